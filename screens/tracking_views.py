"""The charts and tables of the tracking screen, drawn from a ``TrackingReport``: spending to
date against the budget, spent by channel, a measure's results over time, and the tables of
channels, activities and measures fitted to the screen's width."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from rich.text import Text
from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from planner.domain.measures import parts_add_up
from planner.domain.models import Campaign
from planner.domain.money import exponent
from planner.domain.numbers import format_money, style_of
from planner.tracking import (
    MeasureProgress,
    Standing,
    TrackingReport,
    pct_of,
    show_pct,
    show_value,
)
from planner.tracking.charts import axis_ticks, money_ticks, sparkline, tick_labels
from screens.widgets.columns import Column, fill_rows, fit_columns, row_cells

LABEL_ROOM = 14  # the least room for a channel's name beside its bar


def money_axis(
    currency: str, high_minor: int, room: int, across: bool = False, style: str = "en_US"
) -> tuple[list[float], list[str], float]:
    """A money axis from zero: tick positions in major units, their labels, and its top.
    ``room`` is the axis's length in cells: a tick every other row up the side, or room for
    each label and a gap along the bottom (``across``), so that the ticks are evenly placed
    and none is dropped."""
    places = exponent(currency)
    show = functools.partial(_plain_money, style=style)
    most = 5
    while most > 1:
        ticks = money_ticks(high_minor, places, most)
        widest = max(len(label) for label in tick_labels(ticks, currency, show))
        if len(ticks) - 1 <= room // ((widest + 2) if across else 2):
            break
        most -= 1
    ticks = money_ticks(high_minor, places, most)
    scale = 10**places
    return [t / scale for t in ticks], tick_labels(ticks, currency, show), ticks[-1] / scale


def _plain_money(minor: int, currency: str, style: str) -> str:
    return format_money(minor, currency, style)


_STANDING_STYLE = {
    Standing.REACHED: "bold green",
    Standing.ON_TRACK: "green",
    Standing.BEHIND: "bold red",
}


def standing_text(p: MeasureProgress) -> Text:
    return Text(p.standing.label, style=_STANDING_STYLE.get(p.standing, ""))


def _short(label: str, room: int = LABEL_ROOM) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"


def draw_spending(spend: PlotextPlot, r: TrackingReport) -> None:
    """Spent to date against the budget, and the spending projected to the end."""
    cur = r.currency
    scale = 10 ** exponent(cur)
    plt = spend.plt
    plt.clear_figure()
    plt.title(f"Spending to date ({cur})")
    dates = [d for d, _ in r.cumulative]
    start, end = r.campaign.start_date, r.campaign.end_date
    if start and end and end >= start:
        span = [min([start, *dates]), max([end, *dates])]
    elif dates:
        span = [dates[0], dates[-1]]
    else:
        span = []
    plt.date_form("Y-m-d", "d/m/Y")
    if span:
        labels = [d.isoformat() for d in span]
        plt.plot(labels, [r.budget_minor / scale] * 2, label="Budget", color="green")
        if r.projected_minor is not None and dates and end:
            plt.plot(
                [dates[-1].isoformat(), max(end, dates[-1]).isoformat()],
                [r.spent_minor / scale, r.projected_minor / scale],
                label="Projected",
                color="orange",
            )
    if dates:
        plt.plot(
            [d.isoformat() for d in dates],
            [v / scale for _, v in r.cumulative],
            label="Spent",
            color="cyan",
            marker="hd",
        )
    high = max(r.budget_minor, r.spent_minor, r.projected_minor or 0)
    positions, labels, top = money_axis(
        cur, high, spend.size.height - 5, style=style_of(r.campaign)
    )
    plt.ylim(0, top)
    plt.yticks(positions, labels)
    spend.refresh()


def draw_by_channel(chart: PlotextPlot, r: TrackingReport) -> None:
    """What each channel has spent, in bars along a money axis."""
    cur = r.currency
    scale = 10 ** exponent(cur)
    plt = chart.plt
    plt.clear_figure()
    rows = [row for row in r.by_channel if row.spent_minor]
    plt.title(f"Spent by channel ({cur})" if rows else "Nothing spent yet")
    label_room = max(LABEL_ROOM, chart.size.width // 2 - 2)  # the bars keep half
    if rows:
        plt.bar(
            [_short(row.label, label_room) for row in rows],
            [row.spent_minor / scale for row in rows],
            orientation="horizontal",
            color="cyan",
            width=0.4,
        )
        longest = max(len(_short(row.label, label_room)) for row in rows)
        positions, labels, top = money_axis(
            cur,
            max(row.spent_minor for row in rows),
            chart.size.width - longest - 6,
            True,
            style=style_of(r.campaign),
        )
        plt.xlim(0, top)
        plt.xticks(positions, labels)
    chart.refresh()


def fill_money_tables(
    channels: DataTable, activities: DataTable, r: TrackingReport, width: int
) -> None:
    """Budget, spent and left by channel, and planned against spent by activity."""
    money: Callable[[int], str] = lambda m: format_money(m, r.currency, style_of(r.campaign))  # noqa: E731
    left = Column(
        "Left",
        lambda row: (
            Text(money(row.remaining_minor), style="bold red")
            if row.remaining_minor < 0
            else money(row.remaining_minor)
        ),
        11,
        right=True,
    )
    unbudgeted = r.unbudgeted
    shown = fit_columns(
        channels,
        [
            Column("Channel", lambda row: row.label),
            Column(
                "Budget",
                lambda row: (
                    Text("no line", style="bold yellow")
                    if row in unbudgeted
                    else money(row.budget_minor)
                ),
                11,
                right=True,
            ),
            Column("Spent", lambda row: money(row.spent_minor), 11, right=True),
            left,
            Column("By month", lambda row: sparkline(row.months), 12, optional=True),
        ],
        width,
    )
    for n, row in enumerate(r.by_channel):
        channels.add_row(*row_cells(shown, row), key=str(n))
    shown = fit_columns(
        activities,
        [
            Column("Activity", lambda row: row.label),
            Column("Planned", lambda row: money(row.planned_minor), 11, right=True),
            Column(
                "Budget lines",
                lambda row: money(row.budget_minor),
                12,
                right=True,
                optional=True,
            ),
            Column("Spent", lambda row: money(row.spent_minor), 11, right=True),
            Column(
                "Spent %",
                lambda row: show_pct(
                    pct_of(row.spent_minor, row.planned_minor), style_of(r.campaign)
                ),
                7,
                right=True,
                optional=True,
            ),
        ],
        width,
    )
    for n, row in enumerate(r.by_activity):
        activities.add_row(*row_cells(shown, row), key=str(n))
    channels.styles.height = len(r.by_channel) + 1
    activities.styles.height = len(r.by_activity) + 1


def fill_measures(table: DataTable, r: TrackingReport, width: int) -> None:
    """Each measure's baseline, latest figure, target, progress and standing."""
    keep = table.cursor_row
    style = style_of(r.campaign)
    shown = fit_columns(
        table,
        [
            Column("Measure", lambda p: ("★ " if p.measure.primary else "") + p.measure.name),
            Column(
                "Baseline",
                lambda p: show_value(p.baseline, p.measure.unit, style),
                8,
                right=True,
                optional=True,
            ),
            Column("Latest", lambda p: show_value(p.latest, p.measure.unit, style), 8, right=True),
            Column(
                "Target",
                lambda p: show_value(p.measure.target, p.measure.unit, style),
                8,
                right=True,
            ),
            Column("Progress", lambda p: show_pct(p.progress_pct, style), 8, right=True),
            Column("Standing", standing_text, 14),
            Column("Trend", lambda p: sparkline(p.trend[-12:]), 12, optional=True),
        ],
        width,
    )
    fill_rows(table, shown, r.measures, [p.measure.name for p in r.measures])
    if r.measures:
        table.move_cursor(row=min(keep, len(r.measures) - 1))
    table.display = bool(r.measures)


def draw_measure(
    chart: PlotextPlot,
    progress: MeasureProgress | None,
    days: list[tuple[str, float, int]],
    c: Campaign | None,
) -> None:
    """A measure's results by day (``days``, from the store) against its target and baseline,
    over the campaign's dates."""
    plt = chart.plt
    plt.clear_figure()
    if progress is None or c is None:
        plt.title("No measures yet: add them in step 7 of the plan")
        chart.refresh()
        return
    m = progress.measure
    plt.title(f"{m.name}" + (f" ({m.unit})" if m.unit else ""))
    plt.date_form("Y-m-d", "d/m/Y")
    sums = parts_add_up(m, c.currency)  # a day's sources add up for a count per period
    points = [(d, total if sums else total / n) for d, total, n in days if n]
    dates = [d for d, _ in points]
    span = [x for x in (c.start_date, c.end_date) if x]
    if dates:
        span = [
            min([*[dt.date.fromisoformat(dates[0])], *span]),
            max([dt.date.fromisoformat(dates[-1]), *span]),
        ]
    if m.target is not None and len(span) == 2:
        ends = [span[0].isoformat(), span[-1].isoformat()]
        plt.plot(ends, [m.target, m.target], label="Target", color="green")
        if progress.baseline is not None:
            plt.plot(ends, [progress.baseline] * 2, label="Baseline", color="gray")
    if points:
        plt.plot(dates, [v for _, v in points], label="Results", color="cyan", marker="hd")
    else:
        plt.xlabel("No results yet: press r to record one")
    shown = [v for _, v in points] + [x for x in (m.target, progress.baseline) if x is not None]
    if shown and min(shown) >= 0:  # from zero, with round ticks
        # As many ticks as the chart has rows for: more would be rounded onto the same
        # rows and drawn over one another (which one shows would vary from run to run).
        room, most = max(chart.size.height - 5, 1), 5
        ticks = axis_ticks(max(shown), most)
        while most > 1 and len(ticks) - 1 > room:
            most -= 1
            ticks = axis_ticks(max(shown), most)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [show_value(t, m.unit, style_of(c)) for t in ticks])
    chart.refresh()
