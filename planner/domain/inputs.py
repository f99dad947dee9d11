"""Turning what a user typed into values, with a sentence when it cannot be read.

The CLI's options and the TUI's form fields both go through these, so a date or an amount is
read the same way everywhere. Each function raises ``ValueError`` whose text can be shown as is.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, TypeVar

from planner.domain import numbers
from planner.domain.money import format_minor, shown
from planner.domain.records import MAX_MINOR, Labeled

E = TypeVar("E", bound=Labeled)


def parse_date(text: str) -> dt.date | None:
    """``2027-03-01`` (blank means no date)."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            raise ValueError(f"'{shown(text)}' is not a day of the calendar.") from None
        raise ValueError(
            f"'{shown(text)}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-01."
        ) from None


def parse_period(text: str) -> tuple[dt.date | None, dt.date]:
    """A day (``2027-03-31``), a month (``2027-03``: 1 to 31 March) or a period
    (``2027-03-01..2027-03-31``), as (first day or None for a single day, last day)."""
    text = text.strip()
    if ".." in text:
        first, _, last = (part.strip() for part in text.partition(".."))
        start, end = parse_date(first), parse_date(last)
        if start is None or end is None:
            raise ValueError(
                f"'{shown(text)}' is not a period; write it as 2027-03-01..2027-03-31."
            )
        if start > end:
            raise ValueError(f"The period '{shown(text)}' ends before it starts.")
        return start, end
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"'{shown(text)}' is not a month; write it as YYYY-MM, e.g. 2027-03.")
        start = dt.date(year, number, 1)
        following = dt.date(year + number // 12, number % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    day = parse_date(text)
    if day is None:
        raise ValueError("A date is needed, such as 2027-03-31 (or 2027-03 for a month).")
    return None, day


def parse_choice(enum: type[E], text: str, what: str) -> E:
    """A member of ``enum`` by its value or its label, in any case (``search_ads``,
    ``Search ads``)."""
    key = text.strip().casefold().replace("-", "_")
    for member in enum:
        if key in (member.value.casefold(), member.label.casefold()):
            return member
    known = ", ".join(member.value for member in enum)
    raise ValueError(f"'{shown(text)}' is not a {what}; choose one of: {known}.")


def parse_number(text: str, style: str | None = None, *, percent: bool = False) -> float | None:
    """A number such as ``12``, ``-3.5`` or ``1,200`` as the campaign's number ``style``
    writes it (blank means none); a trailing ``%`` only with ``percent``."""
    return numbers.parse_number(text, style, percent=percent)


def parse_int(text: str, style: str | None = None) -> int | None:
    """A whole number such as ``2,400`` (``2.400`` in an Italian campaign); blank means none."""
    return numbers.parse_int(text, style)


def parse_percent(text: str, style: str | None = None) -> float | None:
    """A percentage such as ``85``, ``85%`` or ``63,5%`` (blank means none)."""
    return numbers.parse_percent(text, style)


def parse_per_period(text: str, style: str | None = None) -> int | None:
    """A count a month or a season: ``5`` or ``5 a month`` (blank means none)."""
    return numbers.parse_per_period(text, style)


def parse_money(text: str, currency: str, style: str | None = None) -> int:
    """An amount in major units (``1,250.50``; ``1.250,50`` in an Italian campaign) as integer
    minor units; blank means zero."""
    if not text.strip():
        return 0
    minor = numbers.parse_amount(text, currency, style)
    if minor > MAX_MINOR:
        raise ValueError(
            f"'{shown(text)}' is more than the planner can hold (up to "
            f"{numbers.format_money(MAX_MINOR, currency, style, code=True)}); check for extra "
            "digits."
        )
    return minor


def parse_words(text: str) -> list[str]:
    """A comma-separated list: ``Italian, Romanian``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_lines(text: str) -> list[str]:
    """One entry per line; blank lines are dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def show_number(value: float | None, style: str | None = None) -> str:
    """A number as typed back: every digit it holds, never in exponent form (2500000,
    1234.5678, 0.25); in a campaign's ``style`` with its separators (``2.500.000``)."""
    if value is None:
        return ""
    if style is not None:
        return numbers.format_number(value, style)
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def show_money(amount_minor: int, currency: str, style: str | None = None) -> str:
    if style is not None:
        return numbers.format_money(amount_minor, currency, style)
    return format_minor(amount_minor, currency, symbol=False)


def show(value: Any) -> str:
    """A stored value as a user would type it back in."""
    if value is None:
        return ""
    if isinstance(value, float):
        return show_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
