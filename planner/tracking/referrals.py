"""Referrals closed back to their source: the referrals recorded for each influencer (the
referring practice or physician) since the campaign's start, a month, against the referrals a
month the plan says the influencer makes today; which influencers moved.

The referrals are the results naming the influencer of the measures that count referrals (a
name or unit saying so), else of every measure that counts things; money (a revenue measure)
is never a referral. A month is 365.25 / 12
days; a campaign less than a month old counts as one month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain.measures import is_revenue, looks_like_revenue, parts_add_up

if TYPE_CHECKING:
    from planner.domain.models import Campaign
    from planner.store import ResultSum

_MONTH_DAYS = 365.25 / 12
_REFERRAL_WORDS = ("referral", "invii", "invio", "derivaci")


@dataclass(frozen=True)
class InfluencerReferrals:
    influencer: str
    baseline: int | None  # referrals a month today, as the plan says
    recorded: float  # referrals recorded since the start
    months: float  # months the campaign has run

    @property
    def per_month(self) -> float:
        return self.recorded / self.months

    @property
    def moved(self) -> str | None:
        """ "up", "down" or "same" against the baseline; None without one."""
        if self.baseline is None:
            return None
        if abs(self.per_month - self.baseline) < 0.05:
            return "same"
        return "up" if self.per_month > self.baseline else "down"


def influencer_referrals(
    campaign: Campaign, sums: list[ResultSum], today: dt.date
) -> dict[str, InfluencerReferrals]:
    """Each influencer's referrals since the start (the influencers with none recorded
    included, at 0, once any is), by name; empty while no result names an influencer."""
    counted = [
        m
        for m in campaign.measures
        if parts_add_up(m, campaign.currency)
        and not (is_revenue(m) or looks_like_revenue(m, campaign.currency))
    ]
    referrals = [
        m for m in counted if any(w in f"{m.name} {m.unit}".casefold() for w in _REFERRAL_WORDS)
    ]
    names = {m.name for m in (referrals or counted)}
    found: dict[str, float] = {}
    for s in sums:
        if s.key is not None and s.measure in names:
            found[s.key] = found.get(s.key, 0.0) + s.total
    if not found:
        return {}
    months = _months(campaign, today)
    return {
        i.name: InfluencerReferrals(i.name, i.baseline_referrals, found.get(i.name, 0.0), months)
        for i in campaign.influencers
    }


def _months(campaign: Campaign, today: dt.date) -> float:
    start = campaign.start_date or today
    end = min(today, campaign.end_date) if campaign.end_date else today
    return max(1.0, ((end - start).days + 1) / _MONTH_DAYS)


_ARROWS = {"up": "↑", "down": "↓", "same": "="}


def referrals_text(r: InfluencerReferrals | None, show: object = None) -> str:
    """ "2 → 3.5 a month ↑": the referrals today, then since the start ("–" for none)."""
    if r is None:
        return "–"
    write = show if callable(show) else (lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
    today = "?" if r.baseline is None else write(r.baseline)
    arrow = f" {_ARROWS[r.moved]}" if r.moved else ""
    return f"{today} → {write(r.per_month)} a month{arrow}"
