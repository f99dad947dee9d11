"""Reading one cell of an exported spreadsheet: numbers, amounts, percentages and dates as ad
platforms, email tools, analytics and survey files write them.

Each reader raises ``ValueError`` with a sentence a user can act on, and returns ``None`` for
the ways those tools write "no value" (`` --``, ``n/a``, ``Not Applicable``, ``(not set)``).
A file writes its numbers one way: either ``1,250.50`` (decimal point) or ``1.250,50``
(decimal comma); :func:`guess_decimal` and :func:`guess_day_first` find which from a sample.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from planner.domain.money import SYMBOLS, exponent, split_currency

MISSING = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "–",
        "n/a",
        "na",
        "n.a.",
        "not applicable",
        "not available",
        "(not set)",
        "(none)",
        "null",
    }
)

# Spaces that group thousands: ordinary, no-break and narrow no-break spaces, and the
# apostrophe of Swiss numbers.
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f'’")
_POINT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_COMMA = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ONLY_POINT = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$|^\d+\.\d{1,2}$|^\d+\.\d{4,}$")
_ONLY_COMMA = re.compile(
    r"^\d{1,3}(\.\d{3})+,\d+$|^\d+,\d{1,2}$|^\d+,\d{4,}$|^\d{1,3}(\.\d{3}){2,}$"
)


def is_missing(text: str) -> bool:
    return text.strip().casefold() in MISSING


def _style(decimal: str) -> str:
    return "1,250.50" if decimal == "." else "1.250,50"


def read_decimal(text: str, decimal: str = ".") -> tuple[Decimal | None, str | None, bool]:
    """A number as written in a cell: its value, the currency code or symbol written with it
    (or None) and whether it was a percentage. ``(12.50)`` is negative, as accountants write
    it."""
    raw = text.strip()
    if raw.casefold() in MISSING:
        return None, None, False
    number, written, _ = split_currency(raw)
    number = number.strip()
    percent = number.endswith("%")
    if percent:
        number = number[:-1].strip()
    if number[:1] in "<>≤≥~" and number:
        raise ValueError(f"'{raw}' is not an exact number.")
    negative = False
    if number.startswith("(") and number.endswith(")"):
        negative, number = True, number[1:-1].strip()
    if number[:1] in "+-−":
        negative, number = number[0] != "+", number[1:].strip()
    if written is None and not percent:
        number, written, _ = split_currency(number)  # "-$1,250.00"
    compact = number.translate(_GROUP_SPACES)
    pattern = _POINT if decimal == "." else _COMMA
    if not pattern.match(compact):
        other = _COMMA if decimal == "." else _POINT
        if other.match(compact):
            raise ValueError(
                f"'{raw}' is not written like this file's other numbers ({_style(decimal)})."
            )
        raise ValueError(f"'{raw}' is not a number.")
    if decimal == ".":
        plain = compact.replace(",", "")
    else:
        plain = compact.replace(".", "").replace(",", ".")
    try:
        value = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the patterns admit only plain digits
        raise ValueError(f"'{raw}' is not a number.") from None
    return (-value if negative else value), written, percent


def read_number(text: str, decimal: str = ".") -> float | None:
    """A count, a rate or a score: ``"18,932"``, ``6.36%`` (6.36), ``0,25`` in a file with
    decimal commas; None when the cell says there is no value."""
    value, written, _ = read_decimal(text, decimal)
    if value is None:
        return None
    if written is not None:
        raise ValueError(f"'{text.strip()}' is an amount of money, not a count or a rate.")
    if abs(value) > Decimal("1e15"):
        raise ValueError(f"'{text.strip()}' is too large.")
    return float(value)


def read_amount(text: str, currency: str, decimal: str = ".") -> int | None:
    """An amount of money in the campaign's ``currency`` as integer minor units, or None when
    the cell is empty. A code or symbol of another currency is refused: the planner never
    converts. Negative amounts (refunds, credits) are refused too."""
    value, written, percent = read_decimal(text, decimal)
    if value is None:
        return None
    raw = text.strip()
    if written is not None:
        means = SYMBOLS.get(written, (written,))
        if currency not in means:
            label = means[0] if len(means) == 1 else f"another currency ({written})"
            raise CurrencyMismatch(label, currency, raw)
    if percent:
        raise ValueError(f"'{raw}' is a percentage, not an amount.")
    if value < 0:
        raise ValueError(f"'{raw}' is negative; the planner records costs of zero or more.")
    minor = value.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(
            f"'{raw}' has more than {exponent(currency)} decimal places, too many for {currency}."
        )
    return int(minor)


class CurrencyMismatch(ValueError):
    """An amount in another currency than the campaign's: a problem of the whole file."""

    def __init__(self, written: str, currency: str, text: str = "") -> None:
        self.written = written
        self.currency = currency
        self.text = text
        shown = f"'{text}' is" if text else "The amounts are"
        super().__init__(
            f"{shown} in {written}, but this campaign keeps its money in {currency}; the "
            "planner does not convert currencies."
        )


def guess_decimal(samples: Iterable[str]) -> str | None:
    """``"."`` or ``","``: how the numbers in ``samples`` write their decimals, or None when
    nothing in them tells (``18,932`` could be either)."""
    point = comma = 0
    for text in samples:
        number, _, _ = split_currency(text.strip())
        compact = number.strip().rstrip("%").strip().lstrip("(-+").rstrip(")")
        compact = compact.translate(_GROUP_SPACES)
        if _ONLY_POINT.match(compact):
            point += 1
        elif _ONLY_COMMA.match(compact):
            comma += 1
    if point == comma:
        return None
    return "." if point > comma else ","


# Dates -----------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "gennaio", "gen"),
            ("february", "feb", "febbraio"),
            ("march", "mar", "marzo"),
            ("april", "apr", "aprile"),
            ("may", "maggio", "mag"),
            ("june", "jun", "giugno", "giu"),
            ("july", "jul", "luglio", "lug"),
            ("august", "aug", "agosto", "ago"),
            ("september", "sep", "sept", "settembre", "set"),
            ("october", "oct", "ottobre", "ott"),
            ("november", "nov", "novembre"),
            ("december", "dec", "dicembre", "dic"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T,]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$", re.IGNORECASE)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{2}}|\d{{4}}){_TIME}$", re.IGNORECASE)
_MONTH_FIRST = re.compile(
    rf"^([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_TIME}$", re.IGNORECASE
)
_DAY_FIRST = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?[\s-]+(\d{{4}}){_TIME}$", re.IGNORECASE
)


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar.") from None


def _month(name: str, text: str) -> int:
    number = _MONTHS.get(name.casefold().rstrip("."))
    if number is None:
        raise ValueError(f"'{text}' is not a date: '{name}' is not the name of a month.")
    return number


@functools.lru_cache(maxsize=4096)  # a file of daily rows repeats its dates
def read_date(text: str, *, day_first: bool = False) -> dt.date | None:
    """A date as export tools write it: ``2025-09-01``, ``20250201``, ``09/01/2025``
    (``01/09/2025`` with ``day_first``), ``Jun 09, 2018 09:30 pm``, ``September 1, 2025``,
    ``27 January 2026``; a time of day after it is ignored. None for an empty cell."""
    raw = text.strip()
    if raw.casefold() in MISSING:
        return None
    if match := _ISO.match(raw):
        return _day(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _COMPACT.match(raw):
        return _day(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _NUMERIC.match(raw):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if len(match[3]) == 2:
            year += 2000
        day, month = (first, second) if day_first else (second, first)
        if month > 12:
            if day_first:
                raise ValueError(f"'{raw}' cannot be day/month/year; it writes the month first.")
            raise ValueError(
                f"'{raw}' cannot be month/day/year; if this file writes the day first, read "
                "its dates as day first (--day-first)."
            )
        return _day(year, month, day, raw)
    if match := _MONTH_FIRST.match(raw):
        return _day(int(match[3]), _month(match[1], raw), int(match[2]), raw)
    if match := _DAY_FIRST.match(raw):
        return _day(int(match[3]), _month(match[2], raw), int(match[1]), raw)
    raise ValueError(f"'{raw}' is not a date this planner can read (such as 2025-09-01).")


def guess_day_first(samples: Iterable[str]) -> bool | None:
    """Whether dates such as ``25/03/2025`` in ``samples`` put the day first: True or False
    when some date shows it, None when every one could be read either way (or none is
    numeric)."""
    day_first = month_first = False
    for text in samples:
        match = _NUMERIC.match(text.strip())
        if match:
            first, second = int(match[1]), int(match[2])
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
    if day_first == month_first:
        return None
    return day_first


def is_ambiguous_date(text: str) -> bool:
    """``03/09/2025``: a numeric date whose first two parts could each be the day."""
    match = _NUMERIC.match(text.strip())
    return bool(match) and int(match[1]) <= 12 and int(match[2]) <= 12 and match[1] != match[2]


def read_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """``September 1, 2025 - September 30, 2025`` (or en-GB ``27 January 2026 - 23 February
    2026``) as (first, last); None for ``All time`` or anything that is not a range."""
    parts = re.split(r"\s+[-–—]\s+|\s*\.\.\s*", text.strip().strip('"'))
    if len(parts) != 2:
        return None
    try:
        first, last = (read_date(part) for part in parts)
    except ValueError:
        return None
    if first is None or last is None or first > last:
        return None
    return first, last
