"""The Calendar: the activities of every campaign in the list, month by month, with the busy
weeks and the weeks when campaigns overlap; p shows one practice (client) at a time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from planner.domain.errors import PlannerError
from planner.domain.records import CalendarEntry
from planner.plan.calendar import BUSY_ACTIVITIES, busy_weeks, by_month, channel_label
from screens.base import PlannerScreen
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

BUSY_SHOWN = 4  # busy weeks listed under the activities


def _span(entry: CalendarEntry) -> str:
    start, end = entry.start, entry.end
    if start == end:
        return f"{start.day} {start:%b}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {start:%b}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}"


class CalendarScreen(PlannerScreen[None]):
    """Activities across campaigns, by month."""

    DEFAULT_CSS = """
    CalendarScreen {
        #calendar-caption { padding: 0 1; color: $text-muted; }
        #calendar { height: 1fr; }
        #calendar-busy { padding: 0 1; height: auto; max-height: 7; color: $warning; }
        #calendar-empty { padding: 2 4; height: 1fr; }
    }
    """
    BINDINGS = [
        Binding("p", "practice", "Practice"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[CalendarEntry] = []
        self.undated = 0
        self.practice: str | None = None  # None: every practice

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="calendar-caption", markup=False)
        yield DataTable(id="calendar", cursor_type="row", zebra_stripes=False)
        yield Static("", id="calendar-busy", markup=False)
        yield Static(
            "No activity of the campaigns in the list has dates yet (the Activities step).",
            id="calendar-empty",
            markup=False,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Calendar"
        table = self.query_one(DataTable)
        # The campaign before the activity: which campaign a week's work belongs to is what a
        # consultant reads first; long names are cut to their column at 80 columns.
        for label, width in (("Dates", 14), ("Campaign", 20), ("Activity", 30)):
            table.add_column(label, width=width)
        table.add_columns("Channel", "Owner")
        try:
            self.entries, self.undated = self.app.store.calendar_entries()
        except PlannerError as exc:
            self.app.report(exc)
        self.show()
        self.query_one(DataTable).focus()

    @property
    def practices(self) -> list[str]:
        return sorted({e.practice for e in self.entries if e.practice}, key=str.casefold)

    def shown_entries(self) -> list[CalendarEntry]:
        if self.practice is None:
            return self.entries
        return [e for e in self.entries if e.practice == self.practice]

    def show(self) -> None:
        entries = self.shown_entries()
        table = self.query_one(DataTable)
        table.clear()
        for month, running in by_month(entries):
            table.add_row(Text(f"{month:%B %Y}", style="bold"), "", "", "", "")
            for e in running:
                campaign = f"{e.campaign} ({e.practice})" if e.practice else e.campaign
                table.add_row(_span(e), campaign, e.activity, channel_label(e), e.owner)
        who = f"{self.practice}'s campaigns" if self.practice else "every practice's campaigns"
        undated = (
            f" · {self.undated} undated activit{'y' if self.undated == 1 else 'ies'} left out"
            if self.undated and self.practice is None
            else ""
        )
        choose = " · p: one practice at a time" if len(self.practices) > 1 else ""
        self.query_one("#calendar-caption", Static).update(
            f"{len(entries)} activities of {who}{undated}{choose}"
        )
        weeks = busy_weeks(entries)
        lines = [
            f"Week of {w.monday.day} {w.monday:%b %Y}: {w.activities} activities"
            + "".join(f" · {' and '.join(names)} overlap" for names in w.overlaps)
            for w in weeks
        ]
        if len(lines) > BUSY_SHOWN:  # the panel keeps the list of activities in view
            more = len(lines) - BUSY_SHOWN
            lines = [*lines[:BUSY_SHOWN], f"and {more} more (planner calendar lists them all)"]
        busy = self.query_one("#calendar-busy", Static)
        busy.update(
            f"Busy weeks ({BUSY_ACTIVITIES}+ activities, or a practice's campaigns overlapping):\n"
            + "\n".join(lines)
            if lines
            else ""
        )
        busy.display = bool(lines)
        table.display = bool(entries)
        self.query_one("#calendar-empty").display = not entries

    def action_practice(self) -> None:
        """Every practice, then each in turn, then every practice again."""
        choices: list[str | None] = [None, *self.practices]
        at = choices.index(self.practice) if self.practice in choices else 0
        self.practice = choices[(at + 1) % len(choices)]
        self.show()

    def action_back(self) -> None:
        self.dismiss()
