"""Turning what a user typed into values, with a sentence when it cannot be read.

The CLI's options and the TUI's form fields both go through these, so a date or an amount is
read the same way everywhere. Each function raises ``ValueError`` whose text can be shown as is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from planner.currency import format_minor, parse_amount

_NUMBER = re.compile(r"^[+-]?(\d[\d,_]*)?(\.\d+)?$")


def parse_date(text: str) -> dt.date | None:
    """``2027-03-01`` (blank means no date)."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            raise ValueError(f"'{text}' is not a day of the calendar.") from None
        raise ValueError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-01."
        ) from None


def parse_number(text: str) -> float | None:
    """A number such as ``12``, ``-3.5`` or ``1,200`` (blank means none)."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned) or cleaned in {"+", "-", "."}:
        raise ValueError(f"'{text.strip()}' is not a number; type digits such as 12 or 3.5.")
    value = float(cleaned)
    if not math.isfinite(value):  # pragma: no cover - the pattern admits only finite numbers
        raise ValueError(f"'{text.strip()}' is too large.")
    return value


def parse_int(text: str) -> int | None:
    """A whole number such as ``2,400`` (blank means none)."""
    value = parse_number(text)
    if value is None:
        return None
    if value != int(value):
        raise ValueError(f"'{text.strip()}' is not a whole number.")
    return int(value)


def parse_percent(text: str) -> float | None:
    """A percentage such as ``85`` or ``85%`` (blank means none)."""
    value = parse_number(text.strip().removesuffix("%"))
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"'{text.strip()}' is not a percentage between 0 and 100.")
    return value


def parse_money(text: str, currency: str) -> int:
    """An amount in major units (``1,250.50``) as integer minor units; blank means zero."""
    if not text.strip():
        return 0
    return parse_amount(text, currency)


def parse_words(text: str) -> list[str]:
    """A comma-separated list: ``Italian, Romanian``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_lines(text: str) -> list[str]:
    """One entry per line; blank lines are dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def show_number(value: float | None) -> str:
    """A number as typed back: every digit it holds, never in exponent form (2500000,
    1234.5678, 0.25)."""
    if value is None:
        return ""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def show_money(amount_minor: int, currency: str) -> str:
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
