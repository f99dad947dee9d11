"""The import screen: pick a file, see how it is read, map its columns, preview, import.

Reading a whole file for the preview and writing an import run in thread workers that report
progress to a bar; the import opens its own connection to the database, so the screen stays
responsive and an import of a million rows can be cancelled (nothing is then written).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from planner.domain.errors import PlannerError
from planner.domain.inputs import show_number
from planner.domain.models import (
    Channel,
    Cost,
    ImportKind,
    ImportOptions,
    ImportRecord,
    Result,
    SavedMapping,
)
from planner.domain.numbers import format_money, style_of
from planner.domain.words import plural
from planner.imports import Plan, Preview, file_digest, plan_import, preview, run_import
from planner.imports.formats import COST_FIELDS, FIELD_HELP, FORMATS, RESULT_FIELDS
from planner.store import Store
from screens.dialogs import ConfirmDialog, FilePicker
from screens.styles import css
from screens.widgets.forms import FieldInput
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

NONE = ""  # the Select value for "no column"
LEAVE_OUT = "-"  # the Select value for "leave the rows of this channel out"


class ImportCancelled(PlannerError):
    pass


class HistoryTable(DataTable[str]):
    """Past imports; u undoes the one under the cursor."""

    BINDINGS = [Binding("u", "screen.undo", "Undo import")]


class ImportScreen(Screen[None]):
    """Import costs or results into one campaign, and undo past imports."""

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
        self.plan: Plan | None = None
        self.seen: Preview | None = None
        self.records: list[ImportRecord] = []
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
        where: dict[str, str] = {}
        for part in event.value.split(";"):
            column, sep, value = part.partition("=")
            if part.strip() and (not sep or not column.strip()):
                self.notify(
                    f"'{part.strip()}' should be COLUMN=VALUE, such as Facility ID=010001.",
                    severity="warning",
                )
                return
            if sep:
                where[column.strip()] = value.strip()
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
        if self.plan is not None and value == self._mapped(self.plan, name):
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

    @staticmethod
    def _mapped(plan: Plan, name: str) -> str:
        """The column a field or a measure is read from now ("" for none or a fixed text)."""
        binding = plan.fields.get(name)
        if binding is not None:
            return "" if binding.fixed else binding.name
        return plan.measures.get(name, "")

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
        detected = " (detected)" if plan.detected is plan.format else ""
        lines = [f"{plan.path.name}: {plan.format.title}{detected}, {plan.sheet.description}."]
        lines += plan.notices
        if plan.problem:
            lines.append(plan.problem)
            status.add_class("error")
        status.update("\n".join(lines))
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

    def _progress_from_thread(self, done: int, total: int) -> None:
        if self.cancel.is_set():
            raise ImportCancelled("The import was cancelled; nothing was written.")
        self.app.call_from_thread(self._set_progress, done)

    def _set_progress(self, done: int) -> None:
        self.query_one("#progress", ProgressBar).update(progress=done)

    def _start_progress(self, size: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(size, 1), progress=0)
        bar.display = True

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
        ready = f"Ready to import {seen.summary()}."
        if seen.unknown_channels:
            one = len(seen.unknown_channels) == 1
            ready += (
                f" Choose above what {seen.describe_values(seen.unknown_channels)} "
                f"{'is' if one else 'are'}, or leave {'its' if one else 'their'} rows out."
            )
        else:
            ready += " Ctrl+S imports."
        self.query_one("#import-summary", Static).update(ready)
        self._show_preview()

    # Showing ----------------------------------------------------------------------------------

    def _show_mapping(self) -> None:
        box = self.query_one("#mapping-fields", VerticalScroll)
        box.remove_children()
        plan = self.plan
        if plan is None:
            box.mount(Static("The mapping appears once the file can be read.", classes="hint"))
            return
        columns = [(name, name) for name in plan.sheet.columns if name]
        rows: list[Horizontal] = []
        names = COST_FIELDS if plan.kind is ImportKind.COSTS else RESULT_FIELDS
        for name in names:
            if name in ("measure", "value") and plan.format.key != "generic":
                continue
            binding = plan.fields.get(name)
            value = binding.name if binding and not binding.fixed else Select.NULL
            label = f"{name}: {FIELD_HELP[name]}"
            if binding is not None and binding.fixed:
                label += f" (now '{binding.name}' for every row)"
            if name == "date" and binding is None and plan.period:
                label += f" (now the report's {plan.period[0]} to {plan.period[1]})"
            rows.append(self._mapping_row(name, label, columns, value))
        if plan.kind is ImportKind.RESULTS and "value" not in plan.fields:
            choices = [(c, c) for c in plan.metric_choices() if c]
            for measure in self.campaign.measures:
                metric = plan.measures.get(measure.name)
                value = metric if metric in dict(choices) else Select.NULL
                label = f"{measure.name} ({measure.unit or 'no unit'}): its figures"
                rows.append(self._mapping_row(measure.name, label, choices, value))
        self._quiet = True
        box.mount_all(rows)
        self.call_after_refresh(self._unquiet)

    def _mapping_row(
        self, name: str, label: str, choices: list[tuple[str, str]], value: Any
    ) -> Horizontal:
        select: Select[str] = Select(
            choices, prompt="(none)", value=value, name=name, classes="field", compact=True
        )
        return Horizontal(Label(label, classes="field-label"), select, classes="mapping-row")

    def _show_unknown(self) -> None:
        """One line for each channel of the file the planner does not know: its rows and
        money, and a choice of the channel it is (or to leave its rows out)."""
        box = self.query_one("#unknown-values", VerticalScroll)
        box.remove_children()
        seen = self.seen
        values = seen.unknown_channels if seen is not None else {}
        box.display = bool(values)
        if seen is None or not values:
            return
        choices = [(c.label, c.value) for c in Channel]
        choices.append(("Leave these rows out", LEAVE_OUT))
        rows = [Label("Channels the planner does not know: which is each?", classes="title")]
        for text, count, minor in values.values():
            rows.append(
                Horizontal(
                    Label(
                        f"'{text}': {plural(count, 'row')}, {seen.money(minor)}",
                        classes="field-label",
                        markup=False,
                    ),
                    Select(
                        choices,
                        prompt="Choose a channel",
                        name=text,
                        classes="value-choice",
                        compact=True,
                    ),
                    classes="mapping-row",
                )
            )
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
        currency = self.campaign.currency
        if seen.kind is ImportKind.COSTS:
            table.add_columns("Date", "Amount", "Channel", "Vendor", "Activity", "Note")
            channels = {a.name: a.channel for a in self.campaign.activities}
            for cost in seen.sample:
                assert isinstance(cost, Cost)
                channel = cost.channel or channels.get(cost.activity or "")
                table.add_row(
                    cost.period,
                    format_money(cost.amount_minor, currency, style_of(self.campaign)),
                    channel.label if channel else "",
                    cost.vendor,
                    cost.activity or "",
                    cost.note[:60],
                )
        else:
            table.add_columns("Date", "Measure", "Value", "Note")
            for result in seen.sample:
                assert isinstance(result, Result)
                table.add_row(result.period, result.measure, show_number(result.value), result.note)
        problems.add_columns("Line", "Column", "Value", "Why")
        for problem in seen.problems:
            problems.add_row(str(problem.line), problem.column, problem.value, problem.reason)
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

    def _load_history(self) -> None:
        try:
            self.records = self.app.store.list_imports(self.campaign_id)
        except PlannerError as exc:
            self.app.report(exc)
            return
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        table.add_columns("Import", "When (UTC)", "Kind", "File", "Added", "Total", "Status")
        for r in self.records:
            table.add_row(
                str(r.id),
                r.created_at[:16].replace("T", " "),
                r.kind.label,
                r.file_name,
                f"{r.entries:,}",
                ""
                if r.total_minor is None
                else format_money(
                    r.total_minor, self.campaign.currency, style_of(self.campaign), code=True
                ),
                f"undone {r.undone_at[:10]}" if r.undone_at else "",
            )

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

    # Importing ----------------------------------------------------------------------------------

    def action_run_import(self) -> None:
        if self.running:
            return
        if self.plan is None or self.seen is None:
            self.notify(
                "Choose a file and wait for its preview before importing.", severity="warning"
            )
            return
        plan, seen = self.plan, self.seen
        if seen.unknown_channels:
            names = " and ".join(f"'{v[0]}'" for v in seen.unknown_channels.values())
            self.notify(
                f"Choose what {names} {'is' if len(seen.unknown_channels) == 1 else 'are'} "
                "first (under the file's name), or leave those rows out there.",
                severity="warning",
            )
            self.query_one(".value-choice", Select).focus()
            return
        if not seen.money_rows:
            self._check_duplicate(plan, skip_unreadable=False)
            return

        def skip(yes: bool | None) -> None:
            if yes:
                self._check_duplicate(plan, skip_unreadable=True)

        self.app.push_screen(
            ConfirmDialog(
                f"{seen.unreadable_money()} (see the Problems tab). Import the other rows "
                "without them?",
                yes="Import without them",
            ),
            skip,
        )

    def _check_duplicate(self, plan: Plan, *, skip_unreadable: bool) -> None:
        """Import ``plan``, asking first if the same file was imported before."""
        try:
            existing = self.app.store.find_import(
                self.campaign_id, plan.kind, file_digest(plan.path)
            )
        except (PlannerError, OSError) as exc:
            self.app.report(PlannerError(str(exc)))
            return
        if existing is None:
            self._start_import(plan, force=False, skip_unreadable=skip_unreadable)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_import(plan, force=True, skip_unreadable=skip_unreadable)

        self.app.push_screen(
            ConfirmDialog(
                f"'{existing.file_name}' was already imported on "
                f"{existing.created_at[:10]} (import {existing.id}, {existing.entries:,} "
                f"{existing.kind.value}). Importing it again would count them twice. Import it "
                "again anyway?",
                yes="Import again",
            ),
            answered,
        )

    def _start_import(self, plan: Plan, *, force: bool, skip_unreadable: bool) -> None:
        path = self.app.store.path
        if path is None:
            self.notify("An import needs a database file.", severity="error")
            return
        self.running = True
        self.cancel.clear()
        self.query_one("#import-summary", Static).update("Importing... (Escape cancels)")
        self.write_import(plan, path, force, skip_unreadable)

    @work(thread=True, exclusive=True, group="import")
    def write_import(self, plan: Plan, path: Path, force: bool, skip_unreadable: bool) -> None:
        self.app.call_from_thread(self._start_progress, plan.sheet.size)
        try:
            with Store.open(path) as store:
                record, seen = run_import(
                    store,
                    plan,
                    self.campaign_id,
                    force=force,
                    skip_unreadable=skip_unreadable,
                    on_progress=self._progress_from_thread,
                )
        except PlannerError as exc:
            self.app.call_from_thread(self._import_failed, str(exc))
            return
        self.app.call_from_thread(self._imported, record, seen)

    def _import_failed(self, message: str) -> None:
        self.running = False
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#import-summary", Static).update(message)
        self.notify(message, severity="error", timeout=8)

    def _imported(self, record: ImportRecord, seen: Preview) -> None:
        self.running = False
        self.query_one("#progress", ProgressBar).display = False
        message = f"Import {record.id}: {seen.summary()}."
        self.query_one("#import-summary", Static).update(
            message + " Press u on Past imports to undo it."
        )
        self.notify(message)
        self._load_history()
        self.query_one("#import-tabs", TabbedContent).active = "tab-history"

    def action_undo(self) -> None:
        if self.running:
            return
        tabs = self.query_one("#import-tabs", TabbedContent)
        table = self.query_one("#history", DataTable)
        if tabs.active != "tab-history" or not self.records:
            tabs.active = "tab-history"
            table.focus()
            return
        record = self.records[min(table.cursor_row, len(self.records) - 1)]
        if record.undone_at:
            self.notify(f"Import {record.id} is already undone.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                _, removed = self.app.store.undo_import(record.id)
            except PlannerError as exc:
                self.app.report(exc)
                return
            self._load_history()
            self.notify(f"Undid import {record.id}: removed {removed:,} {record.kind.value}.")

        self.app.push_screen(
            ConfirmDialog(
                f"Undo import {record.id} ('{record.file_name}') and remove the "
                f"{record.entries:,} {record.kind.value} it added?",
                yes="Undo import",
            ),
            answered,
        )

    def action_close(self) -> None:
        if self.running:
            self.cancel.set()
            self.query_one("#import-summary", Static).update("Cancelling...")
            return
        self.dismiss()

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Choose a file to import", "A CSV or TSV export", self.action_browse)
        yield SystemCommand("Import the file", "Write the previewed rows", self.action_run_import)
        yield SystemCommand("Undo an import", "Remove what a past import added", self.action_undo)
