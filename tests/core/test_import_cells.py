"""Reading the numbers and dates of exported files, as the export tools write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.imports.cells import (
    CurrencyMismatch,
    guess_day_first,
    guess_decimal,
    read_amount,
    read_date,
    read_date_range,
    read_number,
)

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2)
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


def us(value: Decimal) -> str:
    return f"{value:,.2f}"


def european(value: Decimal) -> str:
    return us(value).replace(",", " ").replace(".", ",").replace(" ", ".")


@given(amounts)
def test_grouped_amounts_read_back_in_either_style(value: Decimal) -> None:
    cents = int(value * 100)
    assert read_amount(us(value), "USD", ".") == cents
    assert read_amount(f"${us(value)}", "USD", ".") == cents
    assert read_amount(f"USD {us(value)}", "USD", ".") == cents
    assert read_amount(european(value), "EUR", ",") == cents
    assert read_amount(f"€ {european(value)}", "EUR", ",") == cents
    assert read_amount(f"{european(value)} EUR", "EUR", ",") == cents


@given(amounts)
def test_a_file_of_decimal_amounts_tells_its_style(value: Decimal) -> None:
    samples = [us(value), "12.50", "1,234.99"]
    assert guess_decimal(samples) == "."
    assert guess_decimal([european(value), "12,50", "1.234,99"]) == ","


@given(st.integers(min_value=0, max_value=10**9))
def test_grouped_counts_read_as_whole_numbers(count: int) -> None:
    assert read_number(f"{count:,}") == count
    assert read_number(f"{count:,}".replace(",", "."), ",") == count


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percentages_read_as_numbers_of_percent(value: Decimal) -> None:
    assert read_number(f"{value}%") == pytest.approx(float(value))
    assert read_number(f"{value}%".replace(".", ","), ",") == pytest.approx(float(value))


@pytest.mark.parametrize(
    "text", ["", " --", "--", "n/a", "N/A", "Not Applicable", "Not Available", "(not set)"]
)
def test_the_ways_tools_write_no_value_read_as_none(text: str) -> None:
    assert read_number(text) is None
    assert read_amount(text, "USD") is None
    assert read_date(text) is None


@pytest.mark.parametrize(
    ("text", "decimal", "reason"),
    [
        ("TBD", ".", "is not a number"),
        ("< 10%", ".", "is not an exact number"),
        ("12,5", ".", "not written like this file's other numbers (1,250.50)"),
        ("1,250.50", ",", "not written like this file's other numbers (1.250,50)"),
    ],
)
def test_unreadable_numbers_say_why(text: str, decimal: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_number(text, decimal)


def test_amounts_in_another_currency_or_negative_are_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="in EUR, but this campaign keeps its money in USD"):
        read_amount("€ 12,50", "USD", ",")
    with pytest.raises(CurrencyMismatch, match="another currency"):
        read_amount("$12.50", "EUR")
    with pytest.raises(ValueError, match="negative"):
        read_amount("(12.50)", "USD")
    with pytest.raises(ValueError, match="more than 0 decimal places"):
        read_amount("12.50", "JPY")


@given(days)
def test_dates_in_every_form_the_tools_write_read_back(day: dt.date) -> None:
    assert read_date(day.isoformat()) == day
    assert read_date(day.strftime("%Y%m%d")) == day  # GA4
    assert read_date(day.strftime("%m/%d/%Y")) == day  # HCAHPS, US
    assert read_date(day.strftime("%d/%m/%Y"), day_first=True) == day  # Europe
    assert read_date(day.strftime("%d.%m.%Y"), day_first=True) == day
    assert read_date(day.strftime("%b %d, %Y %I:%M %p").lower()) == day  # Mailchimp
    assert read_date(day.strftime("%B %-d, %Y")) == day  # Google Ads range, en-US
    assert read_date(day.strftime("%-d %B %Y")) == day  # Google Ads range, en-GB
    assert read_date(f"{day.isoformat()} 09:30:00") == day


def test_a_date_that_cannot_be_month_first_says_to_read_day_first() -> None:
    with pytest.raises(ValueError, match="--day-first"):
        read_date("25/03/2027")
    assert read_date("25/03/2027", day_first=True) == dt.date(2027, 3, 25)
    with pytest.raises(ValueError, match="not a day of the calendar"):
        read_date("2027-02-30")
    with pytest.raises(ValueError, match="not the name of a month"):
        read_date("Smarch 3, 2027")


def test_the_order_of_day_and_month_is_learned_from_the_file() -> None:
    assert guess_day_first(["03/09/2027", "25/09/2027"]) is True
    assert guess_day_first(["03/09/2027", "09/25/2027"]) is False
    assert guess_day_first(["03/09/2027", "04/05/2027"]) is None


def test_report_date_ranges() -> None:
    assert read_date_range('"September 1, 2025 - September 30, 2025"') == (
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 30),
    )
    assert read_date_range("27 January 2026 - 23 February 2026") == (
        dt.date(2026, 1, 27),
        dt.date(2026, 2, 23),
    )
    assert read_date_range("All time") is None
