"""How a measure's results count: added up over time (appointments, clicks, revenue), or a
level where the latest result is the figure (a rate, a score, a share).

One rule for the tracking figures and for the import, which adds up a file's rows of a counted
measure and averages those of a level.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from planner.domain.records import Direction, MeasureCategory, PrimaryMeasure

if TYPE_CHECKING:  # the models load when a campaign is opened, not for the campaign list
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


def is_revenue(measure: Measure | PrimaryMeasure) -> bool:
    """A measure marked as the campaign's revenue: money coming in, from which the return
    (ROI) is worked out. Marked, never guessed from a name."""
    return bool(measure.revenue)


def looks_like_revenue(measure: Measure | PrimaryMeasure, currency: str) -> bool:
    """How planners before the mark told a revenue measure: a financial measure that should
    increase, whose unit is the currency or that is called revenue, income, sales or takings
    (and is not a rate "per" something). Used once, to mark the measures of a database or a
    campaign file written before, so that their ROI stays as it was."""
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
    clicks, revenue: a revenue measure's results are each period's money, "USD per month"
    as well), so that the results add up; False for a level such as a rate, a score or a
    share, where the latest result is the figure."""
    if is_revenue(measure):
        return True
    level, counted = _unit_words(measure.unit)
    if level:
        return False
    return counted or looks_like_revenue(measure, currency)


# The home screen asks this of two thousand campaigns' measures, most with the same few units.
@functools.lru_cache(maxsize=1024)
def _unit_words(unit: str) -> tuple[bool, bool]:
    """Whether the unit names a level or share, and whether it names something counted."""
    folded = unit.casefold()
    return any(word in folded for word in _LEVELS), any(word in folded for word in _COUNTED)


def parts_add_up(measure: Measure | PrimaryMeasure, currency: str = "") -> bool:
    """True when results of one period from several sources (variants, activities, landing
    pages) add up to that period's figure: a measure whose results add up, or a count per
    period ("referrals per month", whose latest month is the figure but whose sources that
    month add up)."""
    if results_add_up(measure, currency):
        return True
    folded = measure.unit.casefold()
    _, counted = _unit_words(measure.unit)
    return counted and not any(w in folded for w in _LEVELS if w != "per ")


def combined(
    measure: Measure | PrimaryMeasure,
    total: float,
    count: int,
    weighted: float = 0.0,
    trials: float = 0.0,
    with_trials: int = 0,
    currency: str = "",
) -> float:
    """One period's figure from its ``count`` parts (results of the measure on one day, of
    several variants or activities): their ``total`` when they add up; a rate weighted by
    what each is out of when all of them say (``weighted`` / ``trials``); else their mean."""
    if count <= 1 or parts_add_up(measure, currency):
        return total
    if with_trials == count and trials:
        return weighted / trials
    return total / count
