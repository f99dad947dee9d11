"""The tracking screen: what a campaign has spent and achieved, in figures and charts, and the
costs and results themselves, recorded, corrected and deleted here.

The figures come from ``planner.tracking`` over totals the store keeps in SQL, so a campaign with
a million costs opens as fast as a small one; the lists of costs and results are read a page at
a time. Costs and results typed in another window or at the command line show within a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    DataTable,
    Static,
    TabbedContent,
    TabPane,
)
from textual_plotext import PlotextPlot

from planner.domain.errors import PlannerError
from planner.domain.inputs import show_number
from planner.domain.models import Campaign, Cost, Entry, ImportKind, Result
from planner.domain.numbers import format_money, style_of
from planner.domain.words import plural, plural_of
from planner.store import Page, TrackingData
from planner.tracking import (
    TrackingReport,
    report,
    result_for,
    show_pct,
    uncounted_sentence,
)
from screens.base import PlannerScreen
from screens.dialogs import ConfirmDialog, EntryDialog
from screens.dialogs.entry import describe_entry
from screens.navigation import OpenImport
from screens.styles import css
from screens.tracking_compare import ComparePane
from screens.tracking_lessons import LessonsPane
from screens.tracking_views import (
    draw_by_channel,
    draw_measure,
    draw_spending,
    fill_measures,
    fill_money_tables,
)
from screens.widgets.columns import Column, fit_columns, row_cells
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

PAGE_SIZE = 100
POLL_SECONDS = 1.0
TABS = ("tab-budget", "tab-measures", "tab-compare", "tab-costs", "tab-results", "tab-lessons")
NARROW_BELOW = 100  # columns: a narrower screen stacks the two money charts


class EntriesTable(DataTable[Any]):
    """Costs or results, a page at a time, newest first."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("right_square_bracket", "page(1)", "Next page"),
        Binding("left_square_bracket", "page(-1)", "Previous page"),
    ]

    def __init__(self, model: type[Entry], id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.model = model

    def selected_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key else None

    @property
    def tracking(self) -> TrackingScreen:
        screen = self.screen
        assert isinstance(screen, TrackingScreen)
        return screen

    def action_add(self) -> None:
        self.tracking.add_entry(self.model)

    def action_edit(self) -> None:
        self.tracking.edit_entry(self.model, self.selected_id())

    def action_delete(self) -> None:
        self.tracking.delete_entry(self.model, self.selected_id())

    def action_page(self, step: int) -> None:
        self.tracking.turn_page(self.model, step)


class TrackingScreen(PlannerScreen[None]):
    """Budget against spending, progress to target, cost per result and ROI, with charts.

    About 400 lines: the figures and charts are drawn in ``tracking_views``, the comparison and
    lessons tabs in their own modules; what is left is the screen's keys and its following of
    changes made elsewhere, which share the state of what is shown.
    """

    CSS_PATH = css("forms.tcss", "tracking.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("c", "add_cost", "Record cost"),
        Binding("r", "add_result", "Record result"),
        Binding("i", "import_file", "Import file"),
    ]
    # Below 100 columns the spent-by-channel chart goes under the spending chart, full width:
    # beside it, it had no room for its title or the channels' names.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.report: TrackingReport | None = None
        self.data: TrackingData | None = None
        self.reshow_pending = False
        self.shown_width = 0
        self.stale_tabs: set[str] = set()  # tabs not yet filled from the figures read last
        self.pages: dict[type[Entry], Page] = {}
        self.offsets: dict[type[Entry], int] = {Cost: 0, Result: 0}
        self.seen: tuple[int, int] | None = None
        self.chart_measure: str | None = None

    @property
    def campaign(self) -> Campaign:
        assert self.report is not None
        return self.report.campaign

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="figures", markup=False)
        with TabbedContent(id="tracking-tabs"):
            with TabPane("Budget", id="tab-budget"), VerticalScroll():
                with Horizontal(id="money-charts"):
                    yield PlotextPlot(id="spend-chart")
                    yield PlotextPlot(id="channel-chart")
                yield DataTable(id="channels", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="activities", cursor_type="row", zebra_stripes=True)
            with TabPane("Measures", id="tab-measures"), Vertical():
                yield DataTable(id="measures", cursor_type="row", zebra_stripes=True)
                yield PlotextPlot(id="measure-chart")
            with TabPane("Compare", id="tab-compare"):
                yield ComparePane(id="compare")
            with TabPane("Costs", id="tab-costs"), Vertical():
                yield EntriesTable(Cost, id="costs")
                yield Static("", id="costs-page", classes="page", markup=False)
            with TabPane("Results", id="tab-results"), Vertical():
                yield EntriesTable(Result, id="results")
                yield Static("", id="results-page", classes="page", markup=False)
            with TabPane("Lessons", id="tab-lessons"):
                yield LessonsPane(id="lessons")
        yield KeyBar()

    def on_mount(self) -> None:
        # The tables and charts fit themselves to the screen: they are first shown once it
        # has been laid out, not before and again after.
        self.load(show=False)
        self.reshow_pending = True
        self.call_after_refresh(self._show_again)
        self.set_interval(POLL_SECONDS, self._check_for_changes)

    def on_resize(self) -> None:
        # Shown again once the new size is laid out; resizes that come together show it once.
        if self.report is None or self.reshow_pending or self.size.width == self.shown_width:
            return
        self.reshow_pending = True
        self.call_after_refresh(self._show_again)

    def _show_again(self) -> None:
        self.reshow_pending = False
        if self.report is not None:
            self.show()

    # Reading ------------------------------------------------------------------------------

    def load(self, *, show: bool = True) -> None:
        """Read the figures and the shown pages again, and show them."""
        store = self.app.store
        try:
            self.seen = store.tracking_version(self.campaign_id)
            today = self.app.today()
            campaign, data = store.tracking_data(self.campaign_id, today=today)
            self.report = report(campaign, data, today)
            self.data = data
            for model in (Cost, Result):
                self.pages[model] = store.list_entries(
                    self.campaign_id, model, offset=self.offsets[model], limit=PAGE_SIZE
                )
        except PlannerError as exc:
            self.app.report(exc)
            return
        names = [m.name for m in campaign.measures]
        if self.chart_measure not in names:
            self.chart_measure = campaign.primary_measure.name if campaign.primary_measure else None
        if show:
            self.show()

    def _check_for_changes(self) -> None:
        try:
            now = self.app.store.tracking_version(self.campaign_id)
        except PlannerError:
            return
        if now != self.seen:
            self.load()

    # Showing ------------------------------------------------------------------------------

    def money(self, minor: float | None) -> str:
        if minor is None:
            return "–"
        currency, style = self.campaign.currency, style_of(self.campaign)
        return format_money(round(minor), currency, style, code=True)

    def show(self) -> None:
        r = self.report
        assert r is not None
        self.shown_width = self.size.width
        self.sub_title = f"Tracking: {r.campaign.name}"
        self.query_one("#figures", Static).update(self.figures_text(r))
        # The tab in view is filled now; each other tab when it is first shown (a large
        # campaign has a table of hundreds of measures and pages of costs and results).
        self.stale_tabs = set(TABS)
        self.show_tab(self.query_one(TabbedContent).active)

    def show_tab(self, tab: str) -> None:
        """Fill this tab's tables and charts from the figures read last, if not yet."""
        r = self.report
        if r is None or tab not in self.stale_tabs:
            return
        self.stale_tabs.discard(tab)
        if tab == "tab-budget":
            self.show_money_charts(r)
            self.show_money_tables(r)
        elif tab == "tab-measures":
            self.show_measures(r)
            self.show_measure_chart()
        elif tab == "tab-lessons":
            self.query_one(LessonsPane).show(
                r.campaign,
                self.data or TrackingData([], [], None, None, []),
                r,
                self.size.width or 80,
            )
        elif tab == "tab-compare":
            self.query_one(ComparePane).show(
                r.campaign,
                self.data or TrackingData([], [], None, None, []),
                self.app.store,
                self.app.today(),
                self.size.width or 80,
            )
        else:
            self.show_entries(Cost if tab == "tab-costs" else Result)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            self.show_tab(event.pane.id)

    def figures_text(self, r: TrackingReport) -> Text:
        numbers = style_of(r.campaign)
        text = Text()
        text.append("Spent ", style="bold")
        text.append(f"{self.money(r.spent_minor)} of {self.money(r.budget_minor)}")
        if r.spent_pct is not None:
            text.append(f" ({show_pct(r.spent_pct, numbers)})")
        if r.remaining_minor >= 0:
            text.append(f" · {self.money(r.remaining_minor)} left")
        else:
            text.append(f" · over by {self.money(-r.remaining_minor)}", style="bold red")
        if r.burn_per_day_minor is not None:
            text.append(f" · {self.money(r.burn_per_day_minor)}/day")
        if r.projected_minor is not None:
            style = "bold red" if r.projected_minor > r.budget_minor else ""
            text.append(" · projected ")
            text.append(self.money(r.projected_minor), style=style)
        results = []
        for c in r.cost_per_result:
            if c.per_result_minor is not None:
                results.append(f"{self.money(c.per_result_minor)} per {_singular(c.unit)}")
        if r.revenue is not None:
            roi = show_pct(None if r.roi is None else r.roi * 100, numbers)
            results.append(f"ROI {roi} on {self.money(r.revenue.revenue_minor)} revenue")
        if r.planned_roi is not None:
            results.append(f"planned ROI {show_pct(r.planned_roi * 100, numbers)}")
        if r.responses_pct is not None:
            results.append(f"{show_pct(r.responses_pct, numbers)} of the responses expected")
        primary = r.primary
        if primary is not None:
            results.insert(
                0,
                f"{primary.measure.name}: {show_pct(primary.progress_pct, numbers)} of the way "
                f"({primary.standing.label.lower()})",
            )
        if results:
            text.append("\n" + " · ".join(results))
        if r.flags:
            text.append("\n⚠ " + ", ".join(r.flags).capitalize(), style="bold yellow")
        for said in r.unbudgeted_sentences():
            text.append(f"\n⚠ {said}", style="yellow")
        if r.uncounted:
            said = uncounted_sentence(r.uncounted, r.currency, numbers)
            text.append("\n⚠ " + said, style="yellow")
        return text

    def show_money_charts(self, r: TrackingReport) -> None:
        draw_spending(self.query_one("#spend-chart", PlotextPlot), r)
        draw_by_channel(self.query_one("#channel-chart", PlotextPlot), r)

    def show_money_tables(self, r: TrackingReport) -> None:
        channels = self.query_one("#channels", DataTable)
        activities = self.query_one("#activities", DataTable)
        fill_money_tables(channels, activities, r, self.size.width or 80)

    def show_measures(self, r: TrackingReport) -> None:
        fill_measures(self.query_one("#measures", DataTable), r, self.size.width or 80)

    def show_measure_chart(self) -> None:
        r = self.report
        progress = (
            next((p for p in r.measures if p.measure.name == self.chart_measure), None)
            if r
            else None
        )
        days: list[tuple[str, float, int]] = []
        if progress is not None:
            try:
                days = self.app.store.measure_days(
                    self.campaign_id, progress.measure.name, today=self.app.today()
                )
            except PlannerError:
                days = []
        chart = self.query_one("#measure-chart", PlotextPlot)
        draw_measure(chart, progress, days, r.campaign if r else None)

    def show_entries(self, model: type[Entry]) -> None:
        page = self.pages.get(model)
        if page is None:
            return
        table = self.query_one("#costs" if model is Cost else "#results", EntriesTable)
        keep = table.selected_id()
        cur, style = self.campaign.currency, style_of(self.campaign)
        labels = {m.name: m.ab_label for m in self.campaign.messages if m.ab_label}
        if model is Cost:
            columns = [
                Column("Date", lambda e: e.period, 10),
                Column(
                    "Amount",
                    lambda e: format_money(e.amount_minor, cur, style),
                    11,
                    right=True,
                ),
                Column("Channel", lambda e: e.channel.label if e.channel else "–", 14),
                Column("Activity", lambda e: e.activity or "–"),
                Column("Vendor", lambda e: e.vendor or "–", 14, optional=True),
            ]
        else:
            columns = [
                Column("Date", lambda e: e.period, 10),
                Column("Measure", lambda e: e.measure),
                Column("Value", lambda e: show_number(e.value, style), 10, right=True),
                Column(
                    "Of",
                    lambda e: "–" if e.of is None else show_number(e.of, style),
                    8,
                    right=True,
                    optional=True,
                ),
                Column("For", lambda e: result_for(e, labels), 20, optional=True),
                Column("Source", lambda e: e.source or "–", 16, optional=True),
            ]
        shown = fit_columns(table, columns, self.size.width or 80)
        for entry in page.rows:
            table.add_row(*row_cells(shown, entry), key=str(entry.id))
        ids = [e.id for e in page.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        noun = "cost" if model is Cost else "result"
        label = self.query_one(f"#{noun}s-page", Static)
        if not page.total:
            label.update(f"No {plural_of(noun)} recorded yet. Press a to record one.")
        else:
            first, last = page.offset + 1, page.offset + len(page.rows)
            more = " · ] next page, [ previous" if page.total > PAGE_SIZE else ""
            label.update(f"{first:,}–{last:,} of {plural(page.total, noun)}, newest first{more}")

    # Events and actions -------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if event.data_table.id == "measures" and key and key != self.chart_measure:
            self.chart_measure = key
            self.show_measure_chart()

    def turn_page(self, model: type[Entry], step: int) -> None:
        page = self.pages.get(model)
        if page is None:
            return
        offset = self.offsets[model] + step * PAGE_SIZE
        if offset < 0 or offset >= max(page.total, 1):
            return
        self.offsets[model] = offset
        self.load()

    def action_add_cost(self) -> None:
        self.add_entry(Cost)

    def action_add_result(self) -> None:
        self.add_entry(Result)

    def add_entry(self, model: type[Entry]) -> None:
        if self.report is None:
            return
        if model is Result and not self.campaign.measures:
            self.app.notify(
                "This campaign has no measures yet; add them in step 7 of the plan first.",
                severity="warning",
            )
            return
        store = self.app.store

        def save(entry: Entry) -> None:
            store.add_entry(self.campaign_id, entry)

        self.app.push_screen(EntryDialog(self.campaign, model, None, save), self._saved)

    def edit_entry(self, model: type[Entry], entry_id: int | None) -> None:
        if entry_id is None or self.report is None:
            return
        store = self.app.store
        try:
            original = store.get_entry(self.campaign_id, model, entry_id)
        except PlannerError as exc:
            self.app.report(exc)
            self.load()
            return

        def save(entry: Entry) -> None:
            store.update_entry(
                self.campaign_id, entry.model_copy(update={"id": entry_id}), original=original
            )

        self.app.push_screen(EntryDialog(self.campaign, model, original, save), self._saved)

    def _saved(self, saved: str | None) -> None:
        if saved:
            self.app.notify(saved)
        self.load()

    def delete_entry(self, model: type[Entry], entry_id: int | None) -> None:
        if entry_id is None or self.report is None:
            return
        page = self.pages[model]
        entry = next((e for e in page.rows if e.id == entry_id), None)
        if entry is None:
            return
        what = describe_entry(self.campaign, entry)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.delete_entry(self.campaign_id, model, entry_id)
            except PlannerError as exc:
                self.app.report(exc)
            else:
                self.app.notify(f"Deleted {what}.")
            self.load()

        self.app.push_screen(ConfirmDialog(f"Delete {what}?", yes="Delete"), confirmed)

    def action_close(self) -> None:
        # a review being typed is saved first (a refusal stays on the tab, said there)
        lessons = self.query_one(LessonsPane)
        if lessons.unsaved() and not lessons.save(quietly=True):
            self.query_one(TabbedContent).active = "tab-lessons"
            return
        self.dismiss()

    def action_import_file(self) -> None:
        """Import costs or results from an exported file; the figures follow on return."""
        kind = ImportKind.RESULTS if self._active_tab() == "tab-results" else ImportKind.COSTS
        self.app.post_message(OpenImport(self.campaign_id, kind, lambda _: self.load()))

    def _active_tab(self) -> str:
        return self.query_one("#tracking-tabs", TabbedContent).active

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Import costs or results",
            "From a Google Ads, Meta, Mailchimp, GA4, HCAHPS or other CSV export",
            self.action_import_file,
        )
        yield SystemCommand("Record a cost", "What was spent, when, on what", self.action_add_cost)
        yield SystemCommand(
            "Record a result", "What a measure came to, and when", self.action_add_result
        )
        for tab, title in (
            ("tab-budget", "Budget"),
            ("tab-measures", "Measures"),
            ("tab-compare", "Compare"),
            ("tab-costs", "Costs"),
            ("tab-results", "Results"),
            ("tab-lessons", "Lessons"),
        ):
            yield SystemCommand(
                f"Show {title.lower()}",
                f"The {title} tab of the tracking screen",
                lambda tab=tab: self._show_tab(tab),
            )

    def _show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab


def _singular(unit: str) -> str:
    word = unit.split()[0] if unit.strip() else "result"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
