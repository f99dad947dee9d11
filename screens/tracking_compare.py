"""The Compare tab of the tracking screen: which message variant works better on a measure
(each variant's rate, its 95% interval and the verdict in words), and the figures by activity,
variant, segment, influencer or channel, with a chart of the measure's results by each.

The figures come from ``planner.tracking.abtest`` and ``planner.tracking.dimensions`` over sums
the store adds up in SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, Select, Static
from textual_plotext import PlotextPlot

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign
from planner.domain.numbers import format_money, format_number, format_rounded, style_of
from planner.store import Store, TrackingData
from planner.tracking.abtest import ab_tests, rate_text, verdict_words
from planner.tracking.dimensions import DimensionRow, by_dimension
from screens.widgets.columns import Column, fit_columns, row_cells

DIMENSIONS = [
    ("Activity", "activity"),
    ("Message variant", "variant"),
    ("Segment", "segment"),
    ("Influencer", "influencer"),
    ("Channel", "channel"),
]
LABEL_ROOM = 18
_NO_MEASURE = [("No measures yet", "")]


class ComparePane(VerticalScroll):
    """The variants compared on a measure, and the figures by a dimension."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.measure: str | None = None
        self.by = "activity"
        self.shown: tuple[Campaign, TrackingData, Store, dt.date] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-choices"):
            yield Label("Measure", classes="choice-label")
            yield Select(_NO_MEASURE, id="compare-measure", allow_blank=False, compact=True)
            yield Label("By", classes="choice-label")
            yield Select(
                DIMENSIONS, id="compare-by", value="activity", allow_blank=False, compact=True
            )
        yield Static("", id="ab-heading", classes="section")
        yield DataTable(id="ab-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ab-verdict", markup=False)
        yield Static("", id="by-heading", classes="section")
        yield DataTable(id="by-table", cursor_type="row", zebra_stripes=True)
        yield PlotextPlot(id="by-chart")

    def show(
        self, campaign: Campaign, data: TrackingData, store: Store, today: dt.date, width: int
    ) -> None:
        """Fill the tab for ``campaign`` (its measure chosen, else its primary one)."""
        self.shown = (campaign, data, store, today)
        names = [m.name for m in campaign.measures]
        if self.measure not in names:
            primary = campaign.primary_measure
            self.measure = primary.name if primary else None
        select: Select[str] = self.query_one("#compare-measure", Select)
        with self.prevent(Select.Changed):
            select.set_options([(n, n) for n in names] or _NO_MEASURE)
            select.value = self.measure or ""
        self._fill(width)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "compare-measure" and event.value:
            self.measure = event.value
        elif event.select.id == "compare-by" and isinstance(event.value, str):
            self.by = event.value
        else:
            return
        if self.shown is not None:
            self._fill(self.size.width or 80)

    def _fill(self, width: int) -> None:
        assert self.shown is not None
        campaign, data, store, today = self.shown
        measure = next((m for m in campaign.measures if m.name == self.measure), None)
        try:
            variants = (
                store.result_sums(campaign.id or 0, "variant", measure=measure.name, today=today)
                if measure
                else []
            )
            sums = store.result_sums(campaign.id or 0, self.by, today=today, since_start=True)
        except PlannerError as exc:
            self.app.notify(str(exc), severity="error")
            return
        style = style_of(campaign)
        self._fill_ab(campaign, measure, variants, style, width)
        rows = by_dimension(campaign, data, sums, self.by)
        self._fill_by(campaign, measure, rows, style, width)

    def _fill_ab(
        self, campaign: Campaign, measure: Any, variants: list[Any], style: str, width: int
    ) -> None:
        heading = self.query_one("#ab-heading", Static)
        table = self.query_one("#ab-table", DataTable)
        verdict = self.query_one("#ab-verdict", Static)
        table.clear(columns=True)
        if measure is None:
            heading.update("A/B test")
            table.display = False
            verdict.update("The campaign has no measures yet: add them in step 7 of the plan.")
            return
        tests = ab_tests(campaign, measure, variants)
        heading.update(f"A/B test on {measure.name}")
        if not tests or all(len(t.verdict.arms) < 2 for t in tests):
            table.display = False
            verdict.update(
                f"No variants to compare on {measure.name} yet: record results with the "
                "message variant (or the activity that sends it) and what they are out of "
                "(Out of: 21 bookings of 500 invitations)."
            )
            return
        table.display = True
        several = len(tests) > 1
        rows = [(t, arm) for t in tests for arm in t.verdict.arms]
        columns = [
            *([Column("Segment", lambda r: r[0].segment or "–", 16)] if several else []),
            Column("Variant", lambda r: f"{r[1].label}: {r[1].name}" if r[1].label else r[1].name),
            Column("Trials", lambda r: format_number(r[1].trials, style), 8, right=True),
            Column("Rate", lambda r: _rate(r, style), 8, right=True),
            Column(
                "95% interval",
                lambda r: (
                    f"{rate_text(r[1].interval[0], style)}–{rate_text(r[1].interval[1], style)}"
                ),
                14,
                right=True,
                optional=True,
            ),
            Column(
                "More needed",
                lambda r: format_number(r[0].verdict.more_needed.get(r[1].name, 0), style),
                11,
                right=True,
                optional=True,
            ),
        ]
        shown = fit_columns(table, columns, width)
        for row in rows:
            table.add_row(*row_cells(shown, row))
        said = [
            (f"{t.segment}: " if several and t.segment else "") + verdict_words(t, style)
            for t in tests
        ]
        verdict.update("\n".join(said))

    def _fill_by(
        self,
        campaign: Campaign,
        measure: Any,
        rows: list[DimensionRow],
        style: str,
        width: int,
    ) -> None:
        noun = dict((v, k) for k, v in DIMENSIONS)[self.by]
        heading = self.query_one("#by-heading", Static)
        table = self.query_one("#by-table", DataTable)
        chart = self.query_one("#by-chart", PlotextPlot)
        table.clear(columns=True)
        heading.update(f"By {noun.lower()}")
        if not rows:
            table.display = chart.display = False
            heading.update(f"By {noun.lower()}: nothing spent or achieved yet.")
            return
        table.display = chart.display = True
        cur = campaign.currency

        def cell(row: DimensionRow) -> Any:
            return next((c for c in row.cells if measure and c.measure is measure), None)

        def result(row: DimensionRow) -> str:
            c = cell(row)
            if c is None or not c.results:
                return "–"
            return format_rounded(c.value, style, 2)

        def per_result(row: DimensionRow) -> str:
            c = cell(row)
            if c is None or c.cost_per_result_minor is None:
                return "–"
            return format_money(c.cost_per_result_minor, cur, style)

        def share(value: float | None) -> str:
            return "–" if value is None else f"{format_rounded(value, style, 1)}%"

        name = measure.name if measure else "Results"
        columns = [
            Column(noun, lambda r: Text(r.label, style="italic") if r.key is None else r.label),
            Column("Spent", lambda r: format_money(r.spent_minor, cur, style), 11, right=True),
            Column("Share", lambda r: share(r.spent_share_pct), 6, right=True, optional=True),
            Column(_short(name, 14), result, 14, right=True),
            Column(
                "Rate",
                lambda r: share(c.rate_pct) if (c := cell(r)) else "–",
                7,
                right=True,
                optional=True,
            ),
            Column("Per result", per_result, 11, right=True, optional=True),
            Column(
                "ROI",
                lambda r: "–" if r.roi is None else share(r.roi * 100),
                7,
                right=True,
                optional=True,
            ),
        ]
        shown = fit_columns(table, columns, width)
        for row in rows:
            table.add_row(*row_cells(shown, row))
        self._draw(chart, rows, cell, name)

    def _draw(self, chart: PlotextPlot, rows: list[DimensionRow], cell: Any, name: str) -> None:
        plt = chart.plt
        plt.clear_figure()
        # (drawn from the bottom up: reversed, they read in the table's order)
        bars = [(r.label, c.value) for r in reversed(rows) if (c := cell(r)) and c.value]
        plt.title(f"{name} by {self.by}" if bars else f"No results of {name} yet")
        if bars:
            room = max(LABEL_ROOM, chart.size.width // 3)
            plt.bar(
                [_short(label, room) for label, _ in bars],
                [value for _, value in bars],
                orientation="horizontal",
                color="cyan",
                width=0.4,
            )
        chart.refresh()


def _rate(row: tuple[Any, Any], style: str) -> Text | str:
    test, arm = row
    text = rate_text(arm.rate, style)
    if test.verdict.winner is arm:
        return Text(f"{text} ★", style="bold green")
    return text


def _short(label: str, room: int) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"
