"""The import screen: pick a file, see how it is read, map its columns, preview, import.

Reading a whole file for the preview and writing an import run in thread workers that report
progress to a bar; the import opens its own connection to the database, so the screen stays
responsive and an import of a million rows can be cancelled (nothing is then written).

This module holds the choosing and reading; what is shown is built in ``importing_views`` and
the writing, the past imports and undo are in ``importing_writer``, which the screen is made of.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from planner.domain.errors import PlannerError
from planner.domain.models import Channel, ImportKind, ImportOptions, SavedMapping
from planner.imports import Plan, Preview, plan_import, preview
from planner.imports.formats import FORMATS
from screens.dialogs import FilePicker
from screens.importing_views import (
    LEAVE_OUT,
    describe,
    fill_preview,
    fill_problems,
    mapped,
    mapping_rows,
    parse_where,
    ready_text,
    unknown_rows,
)
from screens.importing_writer import HistoryTable, ImportWriter
from screens.styles import css
from screens.widgets.forms import FieldInput
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar


class ImportScreen(ImportWriter):
    """Import costs or results into one campaign, and undo past imports (``ImportWriter``)."""

    CSS_PATH = css("importing.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("ctrl+o", "browse", "Choose file"),
        Binding("ctrl+s", "run_import", "Import"),
    ]

    def __init__(self, campaign_id: int, kind: ImportKind = ImportKind.COSTS) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.options = ImportOptions(kind=kind)
        self.plan = None
        self.seen = None
        self.records = []
        self.running = False
        self.mapping_name: str | None = None  # the saved mapping in use, if any
        self.cancel = threading.Event()
        self._quiet = False  # set while the screen fills its own controls

    # Layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="import-file"):
            yield Select(
                [("Costs", ImportKind.COSTS), ("Results", ImportKind.RESULTS)],
                value=self.options.kind,
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield FieldInput(placeholder="Path of a CSV file (Ctrl+O to browse)", id="path")
            yield Button("Browse", id="browse", compact=True)
        with Horizontal(id="import-options"):
            yield Select(
                [("Detect the format", "auto")]
                + [(fmt.title, key) for key, fmt in FORMATS.items()],
                value="auto",
                allow_blank=False,
                id="format",
                compact=True,
            )
            yield Checkbox("Day first", id="day-first", compact=True)
            yield FieldInput(placeholder="Keep rows where COLUMN=VALUE", id="where")
            yield Select([], prompt="Saved mapping", id="mapping", compact=True)
        yield Static("Choose a file to import.", id="import-status", markup=False)
        yield VerticalScroll(id="unknown-values")  # what the file's unknown channels are
        with TabbedContent(id="import-tabs"):
            with TabPane("Mapping", id="tab-mapping"):
                yield VerticalScroll(id="mapping-fields")
                with Horizontal(id="save-mapping"):
                    yield FieldInput(placeholder="Name to save this mapping as", id="mapping-name")
                    yield Button("Save mapping", id="save-mapping-button", compact=True)
            with TabPane("Preview", id="tab-preview"):
                yield DataTable(id="preview", cursor_type="row", zebra_stripes=True)
            with TabPane("Problems", id="tab-problems"):
                yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
            with TabPane("Past imports", id="tab-history"):
                yield HistoryTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-summary", markup=False)
        yield ProgressBar(id="progress", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        try:
            self.campaign = self.app.store.get_campaign(self.campaign_id, tracking=False)
        except PlannerError as exc:
            self.app.report(exc)
            self.dismiss()
            return
        self.title = f"Import into {self.campaign.name}"
        self.query_one("#progress", ProgressBar).display = False
        self._load_mappings()
        self._load_history()
        self.query_one("#path", Input).focus()

    # Choosing a file and options ------------------------------------------------------------

    def action_browse(self) -> None:
        if self.running:
            return
        typed = self.query_one("#path", Input).value.strip()
        start = Path(typed).expanduser().parent if typed else Path.cwd()
        if not start.is_dir():
            start = Path.home()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one("#path", Input).value = str(path)
                self.replan()

        self.app.push_screen(FilePicker(start), chosen)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "browse":
            self.action_browse()
        elif event.button.id == "save-mapping-button":
            self.save_mapping()

    @on(Input.Submitted, "#path")
    def path_submitted(self) -> None:
        self.replan()

    @on(Input.Submitted, "#where")
    def where_submitted(self, event: Input.Submitted) -> None:
        try:
            where = parse_where(event.value)
        except PlannerError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.options = self.options.model_copy(update={"where": where})
        self.replan()

    @on(Input.Submitted, "#mapping-name")
    def name_submitted(self) -> None:
        self.save_mapping()

    @on(Select.Changed, "#kind")
    def kind_changed(self, event: Select.Changed) -> None:
        if self._quiet or event.value == self.options.kind:
            return
        self.options = ImportOptions(kind=event.value)
        self.mapping_name = None
        self.replan()

    @on(Select.Changed, "#format")
    def format_changed(self, event: Select.Changed) -> None:
        if self._quiet or event.value == self.options.format:
            return
        self.options = self.options.model_copy(update={"format": event.value, "fields": {}})
        self.replan()

    @on(Checkbox.Changed, "#day-first")
    def day_first_changed(self, event: Checkbox.Changed) -> None:
        # The box shows what the file was found to write: reading it again for that would
        # remount the mapping while it is still being mounted.
        if self._quiet or (self.plan is not None and event.value == self.plan.day_first):
            return
        self.options = self.options.model_copy(update={"day_first": event.value})
        self.replan()

    @on(Select.Changed, "#mapping")
    def mapping_chosen(self, event: Select.Changed) -> None:
        if self._quiet or event.value is Select.NULL:
            return
        try:
            saved = self.app.store.get_mapping(str(event.value))
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.options = ImportOptions(**saved.model_dump(exclude={"name"}))
        self.mapping_name = saved.name
        self._set_controls()
        self.replan()

    @on(Select.Changed, ".field")
    def field_changed(self, event: Select.Changed) -> None:
        if self._quiet:
            return
        name = event.select.name or ""
        value = "" if event.value is Select.NULL else str(event.value)
        if self.plan is not None and value == mapped(self.plan, name):
            return  # the select shows what the plan already reads: nothing changed
        fields = {**self.options.fields, name: value}
        self.options = self.options.model_copy(update={"fields": fields})
        self.replan()

    @on(Select.Changed, ".value-choice")
    def channel_chosen(self, event: Select.Changed) -> None:
        """A channel of the file the planner does not know is mapped (or left out): read so
        from now on, and kept in the saved mapping in use for the next file."""
        if self._quiet or event.value is Select.NULL:
            return
        written = event.select.name or ""
        chosen = "" if event.value == LEAVE_OUT else str(event.value)
        channels = {**self.options.channels, written: chosen}
        self.options = self.options.model_copy(update={"channels": channels})
        if not chosen:
            self.notify(f"The rows of '{written}' are left out of this import.")
        elif self.mapping_name is None:
            self.notify(
                f"'{written}' is read as {Channel(chosen).label}. Save the mapping (Mapping "
                "tab) to read it so in the next file."
            )
        else:
            try:
                saved = self.app.store.get_mapping(self.mapping_name)
                kept = {**saved.channels, written: chosen}
                self.app.store.save_mapping(saved.model_copy(update={"channels": kept}))
            except PlannerError as exc:
                self.app.report(exc)
            else:
                self.notify(
                    f"'{written}' is read as {Channel(chosen).label}, and so in the next file "
                    f"(kept in the mapping '{saved.name}')."
                )
        self.replan()

    def _set_controls(self) -> None:
        self._quiet = True
        try:
            self.query_one("#kind", Select).value = self.options.kind
            self.query_one("#format", Select).value = self.options.format
            self.query_one("#day-first", Checkbox).value = bool(self.options.day_first)
            self.query_one("#where", Input).value = "; ".join(
                f"{k}={v}" for k, v in self.options.where.items()
            )
        finally:
            self.call_after_refresh(self._unquiet)

    def _unquiet(self) -> None:
        self._quiet = False

    # Reading the file ---------------------------------------------------------------------------

    def replan(self) -> None:
        """Read the file's header and first rows as the options say, then preview it all."""
        if self.running:
            return
        typed = self.query_one("#path", Input).value.strip()
        status = self.query_one("#import-status", Static)
        self.plan, self.seen = None, None
        self._show_preview()
        if not typed:
            status.update("Choose a file to import.")
            self._show_mapping()
            return
        try:
            self.plan = plan_import(Path(typed), self.campaign, self.options)
            self.plan.today = self.app.today()
        except PlannerError as exc:
            status.update(str(exc))
            status.add_class("error")
            self._show_mapping()
            return
        status.remove_class("error")
        plan = self.plan
        if plan.problem:
            status.add_class("error")
        status.update(describe(plan))
        self._quiet = True
        self.query_one("#day-first", Checkbox).value = plan.day_first
        self.call_after_refresh(self._unquiet)
        self._show_mapping()
        if plan.problem:
            self.query_one("#import-summary", Static).update(
                "Choose the columns on the Mapping tab (or a filter above) to go on."
            )
            self.query_one("#import-tabs", TabbedContent).active = "tab-mapping"
            return
        self.query_one("#import-summary", Static).update("Reading the whole file...")
        self.read_file(plan)

    @work(thread=True, exclusive=True, group="preview")
    def read_file(self, plan: Plan) -> None:
        self.app.call_from_thread(self._start_progress, plan.sheet.size)
        try:
            seen = preview(plan, self._progress_from_thread)
        except PlannerError as exc:
            self.app.call_from_thread(self._refused, plan, str(exc))
            return
        self.app.call_from_thread(self._previewed, plan, seen)

    def _refused(self, plan: Plan, message: str) -> None:
        if plan is not self.plan:
            return
        self.query_one("#progress", ProgressBar).display = False
        self.plan = None
        status = self.query_one("#import-status", Static)
        status.update(message)
        status.add_class("error")
        self.query_one("#import-summary", Static).update("")

    def _previewed(self, plan: Plan, seen: Preview) -> None:
        if plan is not self.plan:
            return  # the options changed while the file was read
        self.seen = seen
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#import-summary", Static).update(ready_text(seen))
        self._show_preview()

    # Showing ----------------------------------------------------------------------------------

    def _show_mapping(self) -> None:
        box = self.query_one("#mapping-fields", VerticalScroll)
        box.remove_children()
        plan = self.plan
        if plan is None:
            box.mount(Static("The mapping appears once the file can be read.", classes="hint"))
            return
        self._mount_quietly(box, mapping_rows(plan, self.campaign))

    def _show_unknown(self) -> None:
        """Ask which channel each of the file's channels the planner does not know is."""
        box = self.query_one("#unknown-values", VerticalScroll)
        box.remove_children()
        seen = self.seen
        values = seen.unknown_channels if seen is not None else {}
        box.display = bool(values)
        if seen is None or not values:
            return
        self._mount_quietly(box, unknown_rows(seen))

    def _mount_quietly(self, box: VerticalScroll, rows: Sequence[Widget]) -> None:
        """Mount rows of selects without their first Changed being taken for the user's."""
        self._quiet = True
        box.mount_all(rows)
        self.call_after_refresh(self._unquiet)

    def _show_preview(self) -> None:
        self._show_unknown()
        table = self.query_one("#preview", DataTable)
        problems = self.query_one("#problems", DataTable)
        table.clear(columns=True)
        problems.clear(columns=True)
        seen = self.seen
        tabs = self.query_one("#import-tabs", TabbedContent)
        if seen is None:
            tabs.get_tab("tab-problems").label = "Problems"
            return
        fill_preview(table, seen, self.campaign)
        fill_problems(problems, seen)
        tabs.get_tab("tab-problems").label = f"Problems ({seen.problem_rows:,})"

    def _load_mappings(self) -> None:
        try:
            mappings = self.app.store.list_mappings()
        except PlannerError as exc:
            self.app.report(exc)
            return
        self._quiet = True
        self.query_one("#mapping", Select).set_options(
            [(f"{m.name} ({m.kind.value})", m.name) for m in mappings]
        )
        self.call_after_refresh(self._unquiet)

    # Saving a mapping ---------------------------------------------------------------------------

    def save_mapping(self) -> None:
        name_input = self.query_one("#mapping-name", Input)
        name = name_input.value.strip()
        if self.plan is None:
            self.notify("Choose a file that can be read first.", severity="warning")
            return
        if not name:
            self.notify("Type a name for the mapping first.", severity="warning")
            name_input.focus()
            return
        try:
            options = self.plan.resolved_options()
            self.app.store.save_mapping(SavedMapping(name=name, **options.model_dump()))
        except PlannerError as exc:
            self.app.report(exc)
            return
        name_input.value = ""
        self.mapping_name = name
        self._load_mappings()
        self.notify(f"Saved the mapping '{name}'; choose it for the next file of this kind.")

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Choose a file to import", "A CSV or TSV export", self.action_browse)
        yield SystemCommand("Import the file", "Write the previewed rows", self.action_run_import)
        yield SystemCommand("Undo an import", "Remove what a past import added", self.action_undo)
