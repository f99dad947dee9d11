"""The tracking charts' arithmetic: axes from zero with round ticks labelled as money, and
sparklines in which an empty month is drawn empty."""

from __future__ import annotations

import math

import pytest

from planner.tracking.charts import axis_ticks, money_ticks, nice_step, sparkline, tick_labels


@pytest.mark.parametrize(
    ("high", "step"),
    [
        (925.9, 200),  # the channel bars' old ticks read 0.0 308.6 617.2 925.9
        (5180.8, 2000),  # the old axis started at 1234.5 and read 5180.8
        (1000, 200),
        (1001, 250),
        (12, 2.5),
        (0.03, 0.01),
        (7, 2),
        (50, 10),
    ],
)
def test_a_step_is_1_2_2_5_or_5_times_a_power_of_ten(high, step):
    found = nice_step(high)
    assert found == pytest.approx(step)
    assert round(found / 10 ** math.floor(math.log10(found)), 9) in (1, 2, 2.5, 5)


def test_ticks_start_at_zero_and_reach_past_the_highest_value():
    assert axis_ticks(925.9) == [0, 200, 400, 600, 800, 1000]
    assert axis_ticks(5180.8) == [0, 2000, 4000, 6000]
    assert axis_ticks(1000) == [0, 200, 400, 600, 800, 1000]
    assert axis_ticks(0.3) == [0, 0.1, 0.2, 0.3]  # no float noise such as 0.30000000000000004
    assert axis_ticks(0) == [0, 1]  # nothing yet: still an axis from zero


def test_money_ticks_are_whole_minor_units_and_never_finer_than_one():
    assert money_ticks(92_590, 2) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert money_ticks(3, 2) == [0, 1, 2, 3]
    assert money_ticks(1, 2) == [0, 1]
    assert money_ticks(1, 0) == [0, 1]  # a yen is not split


def test_tick_labels_are_money_with_thousands_separators_and_no_needless_decimals():
    assert tick_labels(money_ticks(518_080, 2), "USD") == ["0", "2,000", "4,000", "6,000"]
    assert tick_labels([0, 250, 500, 750], "USD") == ["0.00", "2.50", "5.00", "7.50"]
    assert tick_labels([0, 500_000], "JPY") == ["0", "500,000"]
    # A formatter in another money style (as the number styles give) is used as it is.
    euro = ["0,00", "1.000,00"]
    assert tick_labels([0, 100_000], "EUR", lambda minor, cur: euro[minor > 0]) == ["0", "1.000"]


def test_sparkline_scales_from_zero_and_draws_an_empty_month_empty():
    assert sparkline([0, 5, 9]) == " ▅█"
    assert sparkline([1, 5, 9]) == "▂▅█"
    assert sparkline([3, 3]) == "██"
    assert sparkline([0, 0]) == "  "
    assert sparkline([1, 1000]) == "▁█"  # a little is still drawn
    assert sparkline([]) == ""
