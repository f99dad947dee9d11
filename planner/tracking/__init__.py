"""What a campaign has spent and achieved against its plan: the figures of the tracking screen,
the report, the portfolio and the brief, worked out here once.

The store adds up the costs and results in SQL (``TrackingData``); this module turns those sums
and the plan into figures. The formulas are written out in the README ("Tracking: the
formulas"); in short:

- spent is the sum of every recorded cost, each counted once; the budget is the sum of the
  budget lines; variance = spent - budget, and remaining = budget - spent;
- burn rate = spent / days from the start (the campaign's, else the first cost's) to today or
  the end, whichever comes first; projected spend = spent + burn rate x days left to the end;
- progress = (latest - baseline) / (target - baseline) x 100, which is right for measures that
  should go down as well as up; the baseline is the plan's, else the last result before the
  start, else the first result; a measure is on track when its progress is at least the share
  of the campaign's days gone by (or it has reached its target);
- cost per result = spent / the results of a measure that counts things (appointments,
  referrals, clicks, leads) recorded since the start; ROI = (revenue - spent) / spent.

The figures are worked out in these modules, and the names the screens, the command line and
the briefs use are imported from here:

- ``progress``: where a measure stands (``Standing``, ``measure_progress``);
- ``budget``: money by channel and by activity (``MoneyRow``);
- ``figures``: one campaign's figures on a day (``report``, ``TrackingReport``), pace, warnings;
- ``campaign_list``: the portfolio, one line a campaign for the home screen (``portfolio``);
- ``dates``: costs and results dated after today;
- ``wording``: the report in words and JSON; ``charts``: the charts' axes and sparklines.

Which results add up (``results_add_up``) is decided here, below: the import pipeline asks it
too.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from planner.domain.records import (
    Direction,
    MeasureCategory,
    PrimaryMeasure,
)

if TYPE_CHECKING:
    from planner.domain.models import Measure

# Units that name things counted in a period: results of such a measure add up over time.
_COUNTED = (
    "appointment",
    "booking",
    "request",
    "referral",
    "session",
    "visit",
    "click",
    "lead",
    "patient",
    "sign-up",
    "signup",
    "registration",
    "enrolment",
    "enrollment",
    "call",
    "vaccination",
    "screening",
    "download",
    "view",
    "impression",
    "repl",
    "response",
    "conversion",
    "enquir",
    "inquir",
    "member",
    "attendee",
)
# Units of a level or a share: the latest result is what counts, they never add up.
_LEVELS = ("%", "percent", "rate", "score", "mean", "average", "star", "rating", "per ", "ratio")
_REVENUE_WORDS = ("revenue", "income", "sales", "takings")


def is_revenue(measure: Measure | PrimaryMeasure, currency: str) -> bool:
    """A financial measure of money coming in (its unit is the currency, or it is called
    revenue, income or sales)."""
    if measure.category is not MeasureCategory.FINANCIAL or measure.direction is Direction.DECREASE:
        return False
    unit = measure.unit.casefold().strip()
    if "per " in unit or "/" in unit:
        return False
    name = measure.name.casefold()
    return unit in ("currency", currency.casefold()) or any(
        w in name or w in unit for w in _REVENUE_WORDS
    )


def results_add_up(measure: Measure | PrimaryMeasure, currency: str = "") -> bool:
    """True when each result counts what happened in its period (appointments, referrals,
    clicks, revenue), so that the results add up; False for a level such as a rate, a score or
    a share, where the latest result is the figure."""
    level, counted = _unit_words(measure.unit)
    if level:
        return False
    return counted or is_revenue(measure, currency)


# The home screen asks this of two thousand campaigns' measures, most with the same few units.
@functools.lru_cache(maxsize=1024)
def _unit_words(unit: str) -> tuple[bool, bool]:
    """Whether the unit names a level or share, and whether it names something counted."""
    folded = unit.casefold()
    return any(word in folded for word in _LEVELS), any(word in folded for word in _COUNTED)


# The names callers import, from the modules that work them out. They come after the rule
# above because ``progress`` and ``figures`` take it from this package.
from planner.tracking.budget import (  # noqa: E402
    MoneyRow,
    budget_by_activity,
    budget_by_channel,
    pct_of,
)
from planner.tracking.campaign_list import PortfolioLine, portfolio  # noqa: E402
from planner.tracking.dates import (  # noqa: E402
    ask_future_cost,
    refuse_future_cost,
    refuse_future_result,
    starts_after,
    uncounted_sentence,
)
from planner.tracking.figures import TrackingReport, report  # noqa: E402
from planner.tracking.progress import MeasureProgress, Standing  # noqa: E402
from planner.tracking.wording import (  # noqa: E402
    entry_json,
    report_json,
    report_lines,
    show_pct,
    show_value,
)

__all__ = [
    "MeasureProgress",
    "MoneyRow",
    "PortfolioLine",
    "Standing",
    "TrackingReport",
    "ask_future_cost",
    "budget_by_activity",
    "budget_by_channel",
    "entry_json",
    "is_revenue",
    "pct_of",
    "portfolio",
    "refuse_future_cost",
    "refuse_future_result",
    "report",
    "report_json",
    "report_lines",
    "results_add_up",
    "show_pct",
    "show_value",
    "starts_after",
    "uncounted_sentence",
]
