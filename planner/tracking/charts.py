"""The arithmetic of the tracking charts: axes that start from zero with round ticks (steps of
1, 2, 2.5 or 5 times a power of ten) labelled as money, and sparklines in which an empty month
is drawn empty. Worked out here, apart from the screen, so that it can be tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from planner.domain.money import exponent, format_minor

BARS = "▁▂▃▄▅▆▇█"
STEPS = (1, 2, 2.5, 5)  # a tick step is one of these times a power of ten


def nice_step(high: float, most: int = 5) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that covers 0 to
    ``high`` in at most ``most`` steps; 1 for nothing to cover."""
    if high <= 0 or most < 1:
        return 1
    rough = high / most
    power = 10.0 ** _floor_log10(rough)
    for multiple in (*STEPS, 10):
        step = multiple * power
        if step * most >= high * (1 - 1e-12):
            return float(step)
    return 10 * power  # not reached: 10 x power always covers it


def _floor_log10(value: float) -> int:
    """The power of ten at or below ``value`` (> 0), exactly for powers of ten."""
    exponent = len(str(int(value))) - 1 if value >= 1 else 0
    while 10.0**exponent > value:
        exponent -= 1
    while 10.0 ** (exponent + 1) <= value:
        exponent += 1
    return exponent


def axis_ticks(high: float, most: int = 5) -> list[float]:
    """Ticks from zero up to the first at or above ``high``, a round step apart: the axis of a
    chart of amounts (never starting at the data's lowest value)."""
    step = nice_step(high, most)
    count = max(1, _ceil_div(high, step))
    return [_tidy(n * step) for n in range(count + 1)]


def money_ticks(high_minor: int, places: int, most: int = 5) -> list[int]:
    """Ticks in minor units from zero to at least ``high_minor``, a round step apart in major
    units (``places`` decimal places): a step is never less than one minor unit."""
    scale = 10**places
    ticks = axis_ticks(high_minor / scale, most)
    if len(ticks) > 1 and ticks[1] * scale < 1:
        ticks = [float(n) / scale for n in range(max(1, high_minor) + 1)][: most + 1]
    return [round(t * scale) for t in ticks]


def tick_labels(
    ticks_minor: list[int],
    currency: str,
    show: Callable[[int, str], str] | None = None,
) -> list[str]:
    """The labels of money ticks in the campaign's money style, without the currency (the
    chart's title names it) and without decimals when every tick is a whole amount:
    ``0, 2,500, 5,000``. ``show`` formats minor units (``format_minor`` without a symbol
    by default)."""
    fmt = show or (lambda minor, cur: format_minor(minor, cur, symbol=False))
    labels = [fmt(t, currency) for t in ticks_minor]
    places = exponent(currency)
    if not places:  # no decimals to drop: "1.000" in a yen campaign is a thousand
        return labels
    whole = re.compile(rf"[.,\u00a0\u202f' ]0{{{places}}}$")  # a separator and only zeros
    if all(whole.search(label) for label in labels):
        labels = [whole.sub("", label) for label in labels]
    return labels


def sparkline(values: Iterable[float]) -> str:
    """A row of block characters, one per value, scaled from zero to the highest: a zero (a
    month with nothing) is a blank, any amount above it at least the lowest block."""
    values = list(values)
    if not values:
        return ""
    high = max(max(values), 0)
    low = min(min(values), 0)
    span = high - low
    if span == 0:
        return " " * len(values)
    bars = []
    for v in values:
        if v == 0:
            bars.append(" ")
        else:
            index = round(abs(v) / span * (len(BARS) - 1))
            bars.append(BARS[max(0, min(len(BARS) - 1, index))])
    return "".join(bars)


def _ceil_div(value: float, step: float) -> int:
    """How many steps reach ``value``, forgiving the rounding of floats."""
    whole = value / step
    near = round(whole)
    return near if abs(whole - near) < 1e-9 else int(whole) + (whole > int(whole))


def _tidy(value: float) -> float:
    """A tick without float noise (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.12g}")
