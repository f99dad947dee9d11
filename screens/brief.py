"""The Brief screen: a live preview of the campaign brief, export to Markdown, HTML or PDF, the
history of exports, and the choice of a consultant's own templates."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import (
    DataTable,
    MarkdownViewer,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from planner.briefs import (
    TEMPLATE_DIR_SETTING,
    TEMPLATE_FILES,
    BriefSource,
    RenderedBrief,
    default_file_name,
    export_history,
    export_staged,
    file_state,
    load_brief,
    pdf_available,
    saved_template_dir,
)
from planner.domain.errors import PlannerError
from planner.domain.models import BriefFormat
from planner.store.output import StagedFile, refuse_destination, stage_file
from screens.base import PlannerScreen
from screens.dialogs import ConfirmDialog, ExportDialog, TemplatesDialog
from screens.styles import css
from screens.widgets.brief_preview import BriefViewer
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

FORMAT_SETTING = "brief.last_format"
FOLDER_SETTING = "brief.export_folder"
POLL_SECONDS = 1.0


class BriefScreen(PlannerScreen[None]):
    """The brief as it stands, kept up to date while the plan changes."""

    CSS_PATH = css("brief.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("e", "export", "Export"),
        Binding("h", "history", "History"),
        Binding("p", "preview", "Preview", show=False),
        Binding("f", "templates", "Templates"),
        Binding("t", "toggle_contents", "Contents"),
        Binding("a", "audience", "Client/team"),
    ]

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.shown_version: int | None = None
        self.shown_tracking: int | None = None  # costs and results: the brief shows their totals
        self.shown_folder: Path | None = None
        self.shown_stamp: tuple[tuple[str, int, int], ...] = ()
        self.last_export: str = ""
        self.exporting = False
        self.generation = 0  # of the preview: a render finishing late never hides a newer one
        self.shown_markdown = ""  # the brief shown, before its wide tables were fitted
        self.shown_table_width = 0
        self.audience = "internal"  # or "client": the brief without the internal review

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Rendering the brief…", id="brief-status", markup=False)
        with TabbedContent(id="brief-tabs"):
            with TabPane("Preview", id="preview-tab"):
                yield BriefViewer("", show_table_of_contents=False, id="preview")
            with TabPane("History", id="history-tab"):
                yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
                yield Static("", id="history-note", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        table.add_columns("When", "Format", "Version", "File", "State")
        self.refresh_preview()
        self.refresh_history()
        self.set_interval(POLL_SECONDS, self._check_for_changes)
        # the preview's tables and lists take their colours from the theme as they are drawn
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_preview())
        # The brief opens to be read: PageDown and the arrows scroll it from the first key
        # (Tab still reaches the tabs above it).
        self.query_one("#preview", MarkdownViewer).document.focus()

    def on_unmount(self) -> None:
        # the signal keeps what it calls: a closed brief is let go at once, not at the next theme
        self.app.theme_changed_signal.unsubscribe(self)

    def on_screen_resume(self) -> None:
        self._check_for_changes()

    # The preview ---------------------------------------------------------------------------

    def _check_for_changes(self) -> None:
        try:
            version, tracking = self.app.store.tracking_version(self.campaign_id)
            folder = saved_template_dir(self.app.store)
        except PlannerError as exc:  # e.g. the template folder was deleted
            self._set_status(str(exc))
            return
        stamp = _templates_stamp(folder)
        if (
            version != self.shown_version
            or tracking != self.shown_tracking
            or folder != self.shown_folder
            or (stamp != self.shown_stamp)
        ):
            self.refresh_preview()

    def _source(self) -> BriefSource | None:
        try:
            # Read before the brief: a cost recorded in between shows at the next check.
            self.shown_tracking = self.app.store.tracking_version(self.campaign_id)[1]
            return load_brief(self.app.store, self.campaign_id, today=self.app.today())
        except PlannerError as exc:
            self._set_status(str(exc))
            return None

    def refresh_preview(self) -> None:
        source = self._source()
        if source is None:
            return
        self.shown_version = source.campaign.version
        self.shown_folder = source.template_dir
        self.shown_stamp = _templates_stamp(source.template_dir)
        self.generation += 1
        self.sub_title = source.campaign.name
        self._render_preview(source, self.generation)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _render_preview(self, source: BriefSource, generation: int) -> None:
        try:
            text = source.markdown(today=self.app.today(), audience=self.audience)
        except Exception as exc:
            self.app.call_from_thread(self._render_failed, _sentence(exc, "rendered"), generation)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_preview, text, generation)

    def _render_failed(self, message: str, generation: int) -> None:
        if generation == self.generation:
            self._set_status(message)

    async def _show_preview(self, text: str, generation: int) -> None:
        if generation != self.generation:
            return
        self.shown_markdown = text
        viewer = self.query_one("#preview", MarkdownViewer)
        self.shown_table_width = self._table_width()
        await viewer.document.update(fit_tables(text, self.shown_table_width))
        if generation == self.generation:
            self._set_status()

    def _table_width(self) -> int:
        """The columns a table has in the preview: its width less the scroll bar and margins."""
        return max(self.query_one("#preview", MarkdownViewer).size.width - TABLE_MARGINS, 0)

    async def on_resize(self) -> None:
        # A table that fitted may not any more, or the other way round: shown again, laid out
        # for the new width.
        self.call_after_refresh(self._refit)

    async def _refit(self) -> None:
        if self.shown_markdown and self._table_width() != self.shown_table_width:
            await self._show_preview(self.shown_markdown, self.generation)

    def _set_status(self, problem: str = "") -> None:
        if problem:
            self.query_one("#brief-status", Static).update(problem)
            self.query_one("#brief-status").add_class("problem")
            return
        folder = self.shown_folder
        parts = [
            *(["For the client"] if self.audience == "client" else []),
            f"Version {self.shown_version}",
            f"Templates: {folder}" if folder else "Standard templates",
        ]
        if self.last_export:
            parts.append(self.last_export)
        self.query_one("#brief-status", Static).update(" · ".join(parts))
        self.query_one("#brief-status").remove_class("problem")

    # History ---------------------------------------------------------------------------------

    def refresh_history(self) -> None:
        try:
            renders = export_history(self.app.store, self.campaign_id)
        except PlannerError as exc:
            self.app.report(exc)
            return
        table = self.query_one("#history", DataTable)
        table.clear()
        for r in renders:
            table.add_row(
                _local_time(r.rendered_at),
                r.format.label + (" (client)" if r.audience == "client" else ""),
                str(r.campaign_version),
                r.path or "(standard output)",
                file_state(r) if r.path else "",
            )
        note = self.query_one("#history-note", Static)
        if not renders:
            note.update("No briefs exported yet. Press e to export one.")
        else:
            note.update(
                "Each export is kept with the campaign version it was made from and a "
                "fingerprint (SHA-256) of its content: 'changed since' means the file was "
                "edited after export."
            )

    # Export ----------------------------------------------------------------------------------

    def action_export(self) -> None:
        store = self.app.store
        try:
            source = load_brief(store, self.campaign_id, today=self.app.today())
            last = store.get_setting(FORMAT_SETTING) or BriefFormat.MD.value
            folder = store.get_setting(FOLDER_SETTING)
        except PlannerError as exc:
            self.app.report(exc)
            return
        fmt = BriefFormat(last) if last in BriefFormat._value2member_map_ else BriefFormat.MD
        start = Path(folder) if folder and Path(folder).is_dir() else Path.cwd()
        dialog = ExportDialog(
            fmt,
            start / default_file_name(source.campaign, fmt, self.audience),
            pdf=pdf_available(),
        )

        def chosen(request: tuple[BriefFormat, Path] | None) -> None:
            if request is None:
                return
            fmt, path = request
            try:  # the database itself is refused before anything is asked
                refuse_destination(path)
            except PlannerError as exc:
                self.app.report(exc)
                return
            if path.exists():
                self._confirm_overwrite(fmt, path)
            else:
                self._export(fmt, path)

        self.app.push_screen(dialog, chosen)

    def _confirm_overwrite(self, fmt: BriefFormat, path: Path) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._export(fmt, path)

        self.app.push_screen(
            ConfirmDialog(f"'{path}' already exists.\n\nReplace it?", yes="Replace"), answered
        )

    def _export(self, fmt: BriefFormat, path: Path) -> None:
        source = self._source()
        if source is None:
            return
        self._set_status(f"Exporting the {fmt.label} brief…")
        self.exporting = True
        self._render_export(source, fmt, path)

    @work(thread=True, group="export", exit_on_error=False)
    def _render_export(self, source: BriefSource, fmt: BriefFormat, path: Path) -> None:
        """Render and write the file beside its place, away from the screen; the screen then
        puts it in place and records it, together (the store belongs to the screen's thread)."""
        try:
            brief = source.render(fmt, today=self.app.today(), audience=self.audience)
            staged = stage_file(path, brief.content, force=True)
        except Exception as exc:
            self.app.call_from_thread(self._export_failed, _sentence(exc, "exported"))
            return
        self.app.call_from_thread(self._exported, brief, staged)

    def _export_failed(self, message: str) -> None:
        self.exporting = False
        self._set_status()
        self.app.report(PlannerError(message))

    def _exported(self, brief: RenderedBrief, staged: StagedFile) -> None:
        store = self.app.store
        try:
            done = export_staged(store, brief, staged)
        except PlannerError as exc:
            self._export_failed(str(exc))
            return
        self.exporting = False
        if not store.read_only:
            with contextlib.suppress(PlannerError):  # remembered for next time, if it can be
                store.set_setting(FORMAT_SETTING, brief.format.value)
                store.set_setting(FOLDER_SETTING, str(staged.path.parent))
        self.last_export = f"Exported {brief.format.label} to {done.path}"
        self._set_status()
        self.refresh_history()
        said = f"Saved the {brief.format.label} brief to {done.path}."
        self.app.notify(f"{said} {done.unrecorded}".rstrip(), title="Exported")

    # Templates -------------------------------------------------------------------------------

    def action_templates(self) -> None:
        try:
            current = self.app.store.get_setting(TEMPLATE_DIR_SETTING)
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.app.push_screen(TemplatesDialog(current or ""), self._templates_chosen)

    def _templates_chosen(self, chosen: str | None) -> None:
        if chosen is None:
            return
        self.shown_folder = Path(chosen) if chosen else None
        self.refresh_preview()
        self.app.notify(
            f"Briefs now use the templates in {chosen}."
            if chosen
            else "Briefs now use the standard templates."
        )

    # Moving around ---------------------------------------------------------------------------

    def action_history(self) -> None:
        self.query_one(TabbedContent).active = "history-tab"
        self.refresh_history()

    def action_preview(self) -> None:
        self.query_one(TabbedContent).active = "preview-tab"

    def action_back(self) -> None:
        if self.exporting:  # leaving now would leave the file written but not in the history
            self.app.notify("The brief is being exported; a moment, please.")
            return
        self.dismiss()

    def action_audience(self) -> None:
        """The client's brief (no internal review, no version counter) or the team's."""
        self.audience = "internal" if self.audience == "client" else "client"
        self.refresh_preview()
        self.app.notify(
            "The brief is now the client's: without the sign-offs, findings, rules turned off "
            "and version counter; a shows the team's again."
            if self.audience == "client"
            else "The brief is now the team's, with the internal review; a shows the client's."
        )

    def action_toggle_contents(self) -> None:
        self.action_preview()
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents


# In the preview, a table is shown as a table only where each column has room for its longest
# word (up to WORD_ROOM) and for a few words of its longest cell (CELL_ROOM); a cell takes its
# padding and the line between columns as well. A wider table is shown row by row instead:
# the first cell in bold, then each other column's name and value, so that nothing is cut to
# "Measu…" at 80 columns. The exported brief keeps its tables.
TABLE_MARGINS = 6
WORD_ROOM = 16
CELL_ROOM = 10
CELL_EDGES = 3
NOTHING = ("", "–")  # a cell left out of a row written out: it has nothing to say
_TABLE_ROW = re.compile(r"^\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def fit_tables(markdown: str, width: int) -> str:
    """``markdown`` with each table too wide for ``width`` columns written row by row."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _TABLE_ROW.match(lines[i]) and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and _TABLE_ROW.match(lines[end]):
                end += 1
            headers = _cells(lines[i])
            rows = [_cells(line) for line in lines[i + 2 : end]]
            if _needed_width(headers, rows) > width:
                out += _as_records(headers, rows)
            else:
                out += lines[i:end]
            i = end
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _PIPE.split(line.strip())[1:-1]]


def _needed_width(headers: list[str], rows: list[list[str]]) -> int:
    needed = 0
    for column, header in enumerate(headers):
        cells = [header] + [row[column] for row in rows if column < len(row)]
        longest_word = max((len(w) for c in cells for w in c.split()), default=0)
        longest_cell = max(len(c) for c in cells)
        needed += max(min(longest_word, WORD_ROOM), min(longest_cell, CELL_ROOM)) + CELL_EDGES
    return needed


def _as_records(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = [""]
    for row in rows:
        first, rest = (row[0] if row else ""), row[1:]
        if first and not first.startswith("**"):
            first = f"**{first}**"
        shown = [(h, v) for h, v in zip(headers[1:], rest, strict=False) if v not in NOTHING]
        pairs = [f"{h}: {v}" if h else v for h, v in shown]
        lines += [f"{first}\\" if first and pairs else first, " · ".join(pairs), ""]
    return lines


def _sentence(exc: Exception, done: str) -> str:
    if isinstance(exc, PlannerError):
        return str(exc)
    detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"The brief could not be {done} ({detail}); nothing was changed."


def _templates_stamp(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """What a consultant's templates look like on disk now: the preview follows their edits."""
    if folder is None:
        return ()
    stamps = []
    for name in TEMPLATE_FILES:
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        stamps.append((name, info.st_mtime_ns, info.st_size))
    return tuple(stamps)


def _local_time(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
