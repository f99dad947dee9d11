"""Costs and results dated after today.

One rule for every face (the tracking screen's forms, the command line, imports): a result is
recorded once it has happened, so one dated after today is refused; a cost dated after today
may be a cost committed but not yet paid, so the screen asks and the command line takes it
with --future. Either way, nothing dated after today counts in the figures until its day comes
(``Store.tracking_data`` leaves it out and counts it apart); ``uncounted_sentence`` says so.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from planner.domain.language import _, ngettext, written_day
from planner.domain.styles import format_money
from planner.store import Uncounted

if TYPE_CHECKING:
    from planner.domain.models import Cost, Entry, Result


def starts_after(entry: Entry, today: dt.date) -> bool:
    """True when the cost or result is dated after ``today``: its day, or the first day of
    the period it covers, is still to come. (A month under way is not after today.)"""
    return (entry.period_start or entry.date) > today


def refuse_future_result(result: Result, today: dt.date) -> str | None:
    """The sentence refusing a result dated after today, or None when its day has come."""
    if not starts_after(result, today):
        return None
    return (
        f"This result is dated {result.period}, after today ({today.isoformat()}); a result "
        "is recorded once it has happened. Correct the date, or record it when the day comes."
    )


def ask_future_cost(cost: Cost, today: dt.date) -> str | None:
    """The question to ask before saving a cost dated after today, or None."""
    if not starts_after(cost, today):
        return None
    return (
        f"This cost is dated {cost.period}, after today ({today.isoformat()}). Save it anyway, "
        "as a cost committed but not yet paid? It counts in the figures from "
        f"{(cost.period_start or cost.date).isoformat()} on."
    )


def refuse_future_cost(cost: Cost, today: dt.date, option: str = "--future") -> str | None:
    """The sentence refusing a cost dated after today at the command line, or None."""
    if not starts_after(cost, today):
        return None
    return (
        f"The cost is dated {cost.period}, after today ({today.isoformat()}); record it once "
        f"it is paid, or add {option} to record it now as a cost committed but not yet paid "
        f"(it counts in the figures from {(cost.period_start or cost.date).isoformat()} on)."
    )


def uncounted_sentence(uncounted: Uncounted, currency: str, style: str | None = None) -> str:
    """What is stored but dated after today, and so left out of the figures: '' if nothing.
    Money is written in the campaign's number ``style``."""
    if not uncounted:
        return ""
    # Written in the language being written in (a brief's: planner.domain.language).
    parts = []
    if uncounted.costs:
        money = format_money(uncounted.cost_minor, currency, style, code=True)
        parts.append(
            ngettext(
                "%(num)s cost (%(amount)s)",
                "%(num)s costs (%(amount)s)",
                uncounted.costs,
                amount=money,
            )
        )
    if uncounted.results:
        parts.append(ngettext("%(num)s result", "%(num)s results", uncounted.results))
    what = (
        parts[0]
        if len(parts) == 1
        else _("%(first)s and %(second)s", first=parts[0], second=parts[1])
    )
    if uncounted.first_date:
        what = _(
            "%(what)s dated after today, the first on %(date)s",
            what=what,
            date=written_day(uncounted.first_date),
        )
    else:
        what = _("%(what)s dated after today", what=what)
    if uncounted.costs + uncounted.results == 1:
        return _(
            "Not counted yet: %(what)s; it counts from its date on "
            "(correct the date if it is wrong).",
            what=what,
        )
    return _(
        "Not counted yet: %(what)s; they count from their date on "
        "(correct the date if it is wrong).",
        what=what,
    )
