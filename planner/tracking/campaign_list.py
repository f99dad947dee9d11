"""The portfolio: every campaign of the list with its spending, its primary measure's progress
and its warnings, worked out from one row of sums each (the home screen shows thousands)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.domain.records import CampaignSummary
from planner.store import PortfolioRow
from planner.tracking.budget import pct_of
from planner.tracking.figures import pace, warnings
from planner.tracking.progress import MeasureProgress, elapsed_pct, measure_progress


class PortfolioLine(NamedTuple):
    """One campaign in the list: its spending, its primary measure's progress, warnings."""

    summary: CampaignSummary
    spent_minor: int
    primary: MeasureProgress | None
    flags: list[str]

    @property
    def spent_pct(self) -> float | None:
        return pct_of(self.spent_minor, self.summary.budget_minor)


def portfolio(rows: list[PortfolioRow], today: dt.date) -> list[PortfolioLine]:
    """Every campaign with its spending, its primary measure's progress and its warnings."""
    lines = []
    for row in rows:
        s = row.campaign
        expected = elapsed_pct(s.start_date, s.end_date, today)
        primary = (
            measure_progress(row.primary, row.figures, expected_pct=expected, currency=s.currency)
            if row.primary is not None
            else None
        )
        _, _, projected = pace(row.spent_minor, s.start_date, s.end_date, today)
        found = warnings(
            spent_minor=row.spent_minor,
            budget_minor=s.budget_minor,
            projected_minor=projected,
            standing=primary.standing if primary else None,
            end=s.end_date,
            completed=s.status.value == "completed" or s.archived,
            today=today,
        )
        lines.append(PortfolioLine(s, row.spent_minor, primary, found))
    return lines
