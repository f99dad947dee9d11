"""The Trash: the campaigns moved there from the list (d on the home screen), each kept whole;
u brings the one under the cursor back, e empties the trash after asking."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from planner.domain.errors import PlannerError
from planner.domain.records import TrashedCampaign
from screens.base import PlannerScreen
from screens.widgets.columns import under_cursor
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

EMPTY = "The trash is empty. Campaigns deleted from the list (d) wait here until it is emptied."
EMPTY_QUESTION = (
    "Delete {what} in the trash for good?\n\n{names}\n\n{whose} costs, results and "
    "reviews are deleted with {them}. This cannot be undone."
)


class TrashScreen(PlannerScreen[None]):
    """The campaigns in the trash, the last deleted first."""

    DEFAULT_CSS = """
    TrashScreen {
        #trash-caption { padding: 0 1; color: $text-muted; }
        #trash { height: 1fr; }
        #trash-empty { padding: 2 4; height: 1fr; }
    }
    """
    BINDINGS = [
        Binding("u", "undelete", "Undelete"),
        Binding("e", "empty", "Empty trash"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trashed: list[TrashedCampaign] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="trash-caption", markup=False)
        yield DataTable(id="trash", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY, id="trash-empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Trash"
        table = self.query_one(DataTable)
        table.add_columns("Name", "Practice", "Status", "Deleted", "Costs", "Results")
        self.refresh_trash()
        table.focus()

    def refresh_trash(self) -> None:
        try:
            self.trashed = self.app.store.list_trash()
        except PlannerError as exc:
            self.app.report(exc)
            self.trashed = []
        table = self.query_one(DataTable)
        table.clear()
        for t in self.trashed:
            when = t.deleted_at[:10]  # the day (UTC); planner trash gives the time too
            table.add_row(
                t.name,
                t.practice,
                t.status.label,
                when,
                str(t.costs),
                str(t.results),
                key=str(t.id),
            )
        count = len(self.trashed)
        self.query_one("#trash-caption", Static).update(
            f"{count} campaign{'s' if count != 1 else ''} in the trash: u brings the one under "
            "the cursor back, e deletes them all for good (after asking)."
            if count
            else ""
        )
        table.display = bool(count)
        self.query_one("#trash-empty").display = not count

    def selected(self) -> TrashedCampaign | None:
        return under_cursor(self.query_one(DataTable), self.trashed)

    def action_undelete(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            name = self.app.store.undelete_campaign(chosen.id)
        except PlannerError as exc:
            self.app.report(exc)
        else:
            self.app.notify(f"“{name}” is back in the list of campaigns.")
        self.refresh_trash()

    def action_empty(self) -> None:
        from screens.dialogs import ConfirmDialog

        if not self.trashed:
            self.app.notify("The trash is empty.")
            return
        chosen = list(self.trashed)  # what the question names is what is deleted
        what = "1 campaign" if len(chosen) == 1 else f"{len(chosen)} campaigns"
        names = "\n".join(
            f"• {t.name}" + (f" ({t.practice})" if t.practice else "") for t in chosen
        )

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                deleted = self.app.store.empty_trash(t.id for t in chosen)
            except PlannerError as exc:
                self.app.report(exc)
            else:
                done = "1 campaign" if deleted == 1 else f"{deleted} campaigns"
                self.app.notify(f"Deleted {done} for good.")
            self.refresh_trash()

        self.app.push_screen(
            ConfirmDialog(
                EMPTY_QUESTION.format(
                    what=what,
                    names=names,
                    whose="Its plan," if len(chosen) == 1 else "Their plans,",
                    them="it" if len(chosen) == 1 else "them",
                ),
                yes="Delete for good",
            ),
            confirmed,
        )

    def action_back(self) -> None:
        self.dismiss()
