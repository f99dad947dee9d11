"""History: every saved change of a campaign's plan, the newest first (the same history that
Ctrl+Z undoes and ``planner history`` lists), with what the highlighted change did, word by
word; r puts back what it changed, as a new change, after asking."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.numbers import style_of
from planner.plan.editing import CampaignEditor
from planner.plan.revisions import change_text, details, what, word_diff
from planner.store import Revision
from screens.base import PlannerScreen
from screens.widgets.columns import under_cursor
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

EMPTY = "No saved changes yet: each change to the plan is listed here as it is saved."
REVERT_QUESTION = (
    "Put back what change #{id} changed?\n\n{what}\n\nThis is saved as a new change, which "
    "Ctrl+Z in the campaign undoes."
)


class HistoryScreen(PlannerScreen[None]):
    """A campaign's saved changes; the one under the cursor shown whole below the list."""

    DEFAULT_CSS = """
    HistoryScreen {
        #history-caption { padding: 0 1; color: $text-muted; }
        #history { height: 1fr; overflow-x: hidden; }
        #history-detail { height: 1fr; border-top: solid $primary; padding: 0 1; }
        #history-empty { padding: 2 4; height: 1fr; }
    }
    """
    BINDINGS = [
        Binding("r", "revert", "Revert this change"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, campaign_id: int, editor: CampaignEditor | None = None) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.editor = editor
        self.revisions: list[Revision] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-caption", markup=False)
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="history-detail"):
            yield Static("", id="history-change")
        yield Static(EMPTY, id="history-empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "When (UTC)", "What", "Change")
        try:
            if self.editor is None:
                self.editor = CampaignEditor(self.app.store, self.campaign_id)
            self.sub_title = f"History of {self.editor.campaign.name}"
        except PlannerError as exc:
            self.app.report(exc)
            self.dismiss()
            return
        self.refresh_history()
        table.focus()

    def refresh_history(self) -> None:
        assert self.editor is not None
        try:
            self.revisions = list(reversed(self.app.store.revisions(self.campaign_id)))
            campaign = self.editor.reload()
        except PlannerError as exc:
            self.app.report(exc)
            self.revisions = []
            return
        self.currency, self.style = campaign.currency, style_of(campaign)
        table = self.query_one(DataTable)
        table.clear()
        for rev in self.revisions:
            table.add_row(
                str(rev.id),
                rev.created_at[:16].replace("T", " "),
                Text(what(rev)),
                Text(change_text(rev, self.currency, self.style)),
                key=str(rev.id),
            )
        count = len(self.revisions)
        self.query_one("#history-caption", Static).update(
            f"{count} saved change{'s' if count != 1 else ''}, the newest first. r puts back "
            "what the one under the cursor changed."
            if count
            else ""
        )
        table.display = bool(count)
        self.query_one("#history-detail").display = bool(count)
        self.query_one("#history-empty").display = not count
        self.show_detail()

    def selected(self) -> Revision | None:
        return under_cursor(self.query_one(DataTable), self.revisions)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        rev = self.selected()
        self.query_one("#history-change", Static).update(
            detail_text(rev, self.currency, self.style) if rev else ""
        )

    def action_revert(self) -> None:
        from planner.compliance.approval import refuse_unready
        from screens.dialogs import ConfirmDialog

        rev = self.selected()
        if rev is None or self.editor is None:
            return
        editor = self.editor

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                said = editor.revert(rev.id, refuse_unready(self.app.store))
            except StaleWriteError:
                self.app.notify(
                    "The campaign was changed elsewhere just now; the history shows it now. "
                    "Press r again to revert.",
                    severity="warning",
                )
            except PlannerError as exc:
                self.app.notify(str(exc), severity="warning")
            else:
                self.app.notify(said)
            self.refresh_history()

        question = REVERT_QUESTION.format(id=rev.id, what=what(rev))
        dialog = ConfirmDialog(question, yes="Revert", no="Keep", danger=False)
        self.app.push_screen(dialog, confirmed)

    def action_back(self) -> None:
        self.dismiss()


def detail_text(rev: Revision, currency: str, style: str | None) -> Text:
    """What a change did, whole: each field as it was, its words taken out in red and struck
    through, and as it is after, its words put in in green and underlined; an item added or
    deleted with all it held."""
    text = Text()
    text.append(f"#{rev.id} ", style="bold")
    text.append(what(rev), style="bold")
    text.append(f"  ({rev.created_at[:16].replace('T', ' ')} UTC)\n", style="dim")
    for field, before, after in details(rev, currency, style):
        text.append(f"{field}\n", style="bold")
        pieces = word_diff(before, after)
        for side, value, mark, marked in (
            ("was", before, "-", "red strike"),
            ("now", after, "+", "green underline"),
        ):
            if not value:
                continue  # an item added had no before, one deleted has no after
            text.append(f"  {side}: ", style="dim")
            for op, piece in pieces:
                if op in ("=", mark):
                    text.append(piece, style=marked if op == mark else "")
            text.append("\n")
    return text
