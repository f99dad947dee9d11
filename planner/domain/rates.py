"""A result out of a whole: 21 bookings of 500 invitations, or 4.2% of them for a measure in
percent. How many of the whole it counts, and when it cannot be (more than all of them)."""

from __future__ import annotations

from collections.abc import Callable

Show = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:g}"


def is_percent_unit(unit: str) -> bool:
    """A unit such as ``% of recalled patients`` or ``percent``."""
    unit = unit.casefold()
    return "%" in unit or "percent" in unit or "per cent" in unit


def successes(value: float, of: float, unit: str) -> float:
    """How many of ``of`` a result's ``value`` counts: the value itself (21 bookings of 500
    invitations), or its share of ``of`` for a measure in percent (4.2% of 500 is 21)."""
    return value * of / 100 if is_percent_unit(unit) else value


def beyond_whole(value: float, of: float | None, unit: str, what: str, show: Show = _plain) -> str:
    """Why a result of ``value`` out of ``of`` cannot be (more than all of them), or blank.
    ``what`` names the result in the sentence; ``show`` writes a number (the campaign's
    number style)."""
    if of is None:
        return ""
    if is_percent_unit(unit):
        if value > 100:
            return f"{what} is {show(value)}% of {show(of)}: a share is 100% at most"
        return ""
    if value > of:
        return (
            f"{what} counts {show(value)} out of {show(of)}: it cannot be more than what it is "
            "out of"
        )
    return ""


# A percentage unit that says it changes ("% change", "growth in %") may go below 0 or above
# 100; any other is a share of something, between 0% and 100%.
_CHANGES = ("change", "growth", "increase", "decrease", "difference", "variation", "variazione")


def share_out_of_range(value: float, unit: str, what: str, show: Show = _plain) -> str:
    """Why a result of a measure in percent cannot be (a share below 0% or above 100%), or
    blank. ``what`` names the result in the sentence; ``show`` writes a number."""
    if not is_percent_unit(unit) or 0 <= value <= 100:
        return ""
    if any(word in unit.casefold() for word in _CHANGES):
        return ""
    return f"{what} is {show(value)}%, but a share ({unit}) is between 0% and 100%"
