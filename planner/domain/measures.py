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
