"""The campaign list: every campaign with its practice, status and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from planner.currency import format_minor
from planner.errors import PlannerError
from planner.models import CampaignSummary
from screens.dialogs import ConfirmDialog
from screens.flows import create_campaign, open_campaign


def date_span(start: dt.date | None, end: dt.date | None) -> str:
    """``Mar–Aug 2027``, ``Nov 2026–Feb 2027``, ``from Mar 2027`` or ``no dates``."""
    if start is None and end is None:
        return "no dates"
    if end is None:
        return f"from {start:%b %Y}"
    if start is None:
        return f"until {end:%b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


class HomeScreen(Screen[None]):
    """The list of campaigns; the place every session starts from."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("n", "new_blank", "New"),
        Binding("s", "new_from_starter", "From starter"),
        Binding("a", "archive", "Archive"),
        Binding("u", "unarchive", "Unarchive", show=False),
        Binding("v", "toggle_archived", "Show archived"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_archived = False
        self.summaries: dict[int, CampaignSummary] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="caption")
        table: DataTable[str] = DataTable(id="campaigns", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(
            "No campaigns yet. Press [b]s[/b] to start from a starter campaign or [b]n[/b] for "
            "a blank one.",
            id="empty",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_campaigns()

    def on_screen_resume(self) -> None:
        self.refresh_campaigns()

    def on_resize(self) -> None:
        self.refresh_campaigns()

    def _columns(self, table: DataTable[str], cells: list[tuple[str, ...]]) -> None:
        """Short columns as wide as their widest cell; name and practice share the rest."""
        short = ("Status", "Dates", "Budget")
        widths = [
            max([len(label)] + [len(row[i + 2]) for row in cells]) for i, label in enumerate(short)
        ]
        padding = 2 * table.cell_padding * 5 + 2
        spare = max(24, self.size.width - sum(widths) - padding)
        name = max(12, spare * 3 // 5)
        table.clear(columns=True)
        table.add_column("Name", key="name", width=name)
        table.add_column("Practice", key="practice", width=spare - name)
        for label, width in zip(short, widths, strict=True):
            table.add_column(label, key=label.lower(), width=width)

    def refresh_campaigns(self, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        try:
            rows = self.app.store.list_campaigns(include_archived=self.show_archived)
        except PlannerError as exc:
            self.app.report(exc)
            rows = []
        self.summaries = {r.id: r for r in rows}
        cells = [
            (
                r.name,
                r.practice or "–",
                "Archived" if r.archived else r.status.label,
                date_span(r.start_date, r.end_date),
                format_minor(r.budget_minor, r.currency),
            )
            for r in rows
        ]
        self._columns(table, cells)
        for r, row in zip(rows, cells, strict=True):
            # Text cells are literal: a name such as "Flu [/] clinic" is not markup.
            table.add_row(
                *(Text(cell) for cell in row[:4]), Text(row[4], justify="right"), key=str(r.id)
            )
        if keep in self.summaries:
            table.move_cursor(row=table.get_row_index(str(keep)))
        active = sum(1 for r in rows if not r.archived)
        caption = f"{active} campaign{'s' if active != 1 else ''}"
        if self.show_archived:
            caption += f", {len(rows) - active} archived (shown)"
        self.query_one("#caption", Static).update(caption)
        self.query_one("#empty").display = not rows
        table.display = bool(rows)

    def selected(self) -> CampaignSummary | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.summaries.get(int(key.value)) if key.value else None

    # Actions ------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        summary = self.selected()
        if summary is not None:
            open_campaign(self.app, summary.id)

    def action_new_blank(self) -> None:
        create_campaign(self, from_starter=False)

    def action_new_from_starter(self) -> None:
        create_campaign(self, from_starter=True)

    def action_archive(self) -> None:
        summary = self.selected()
        if summary is None or summary.archived:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._set_archived(summary, True)

        self.app.push_screen(
            ConfirmDialog(
                f"Archive “{summary.name}”?\n\nIt leaves this list but nothing is deleted: "
                "press v to show archived campaigns and u to bring it back.",
                yes="Archive",
            ),
            confirmed,
        )

    def action_unarchive(self) -> None:
        summary = self.selected()
        if summary is not None and summary.archived:
            self._set_archived(summary, False)

    def _set_archived(self, summary: CampaignSummary, archived: bool) -> None:
        try:
            self.app.store.set_archived(summary.id, archived, expected_version=summary.version)
        except PlannerError as exc:
            self.app.report(exc)
        else:
            verb = "Archived" if archived else "Restored"
            self.app.notify(f"{verb} “{summary.name}”.")
        self.refresh_campaigns()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_campaigns()

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New blank campaign", "An empty plan", self.action_new_blank)
        yield SystemCommand(
            "New campaign from a starter",
            "Begin from a complete example plan",
            self.action_new_from_starter,
        )
        yield SystemCommand("Open campaign", "Open the selected campaign", self.action_open)
        yield SystemCommand(
            "Archive campaign", "Archive the selected campaign", self.action_archive
        )
        yield SystemCommand(
            "Unarchive campaign", "Bring the selected archived campaign back", self.action_unarchive
        )
        yield SystemCommand(
            "Show or hide archived campaigns",
            "Toggle archived campaigns in the list",
            self.action_toggle_archived,
        )
