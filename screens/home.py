"""The campaign list: every campaign with its practice, status and dates."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from planner.currency import format_minor
from planner.errors import PlannerError
from planner.models import CampaignSummary
from screens.dialogs import ConfirmDialog
from screens.flows import create_campaign


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
        table = self.query_one(DataTable)
        table.add_column("Name", key="name", width=28)
        table.add_column("Practice", key="practice", width=16)
        table.add_column("Status", key="status")
        table.add_column("Start", key="start")
        table.add_column("End", key="end")
        table.add_column("Budget", key="budget")
        self.refresh_campaigns()

    def on_screen_resume(self) -> None:
        self.refresh_campaigns()

    def refresh_campaigns(self, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        rows = self.app.store.list_campaigns(include_archived=self.show_archived)
        self.summaries = {r.id: r for r in rows}
        table.clear()
        for r in rows:
            status = r.status.label + (" · archived" if r.archived else "")
            table.add_row(
                r.name,
                r.practice or "–",
                status,
                str(r.start_date or "–"),
                str(r.end_date or "–"),
                format_minor(r.budget_minor, r.currency),
                key=str(r.id),
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
        from screens.campaign import CampaignScreen

        summary = self.selected()
        if summary is not None:
            self.app.push_screen(CampaignScreen(summary.id))

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
