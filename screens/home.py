"""The portfolio: every campaign with its status, budget, share spent, progress of its primary
measure, and warnings (over budget, behind target, ending soon). Its columns, page and
caption are drawn in ``home_views``; this module reads the list and answers the keys."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import gc
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Static

from planner.domain.errors import NotFoundError, PlannerError
from planner.domain.records import CampaignSummary
from screens.base import PlannerScreen
from screens.navigation import OpenCalendar, OpenCampaign, OpenHistory, OpenTracking, OpenTrash
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar
from screens.widgets.rowtable import RowTable

if TYPE_CHECKING:
    from planner.tracking import PortfolioLine

# The list's figures (``planner.tracking``), its columns and caption (``screens.home_views``)
# and the new-campaign flow load when first used, which is after the first frame is drawn (the
# list is read then): a start-up loads only what that frame shows.

PAGE_SIZE = 100  # campaigns on a page of the list: a table of thousands is slow to fill
POLL_SECONDS = 1.0  # how often the list asks whether another window or process changed the file

# Said when the campaign under the cursor has left the database, and asked before archiving one
GONE = (
    "“{name}” is no longer in this database: another window or program removed it (a "
    "restore of a backup, say). The list now shows the campaigns the database holds."
)
DELETE_QUESTION = (
    "Move “{name}” to the trash?\n\nIt leaves every list, whole: press T for the Trash, where "
    "u brings it back. Nothing is deleted until the trash is emptied."
)
TRASHED = (
    "“{name}” was moved to the trash by another window or program: press T for the Trash, "
    "where u brings it back."
)
ARCHIVE_QUESTION = (
    "Archive “{name}”?\n\nIt leaves this list but nothing is deleted: press v to show "
    "archived campaigns and u to bring it back."
)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused while thousands of records are made that all live on
    (the campaigns' lines): it would otherwise scan them again and again as they are made."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


async def attention_elsewhere(path: Path, args: list[str]) -> dict:
    """What ``python -m planner.tracking.attention PATH ARGS`` prints, from a process of its
    own (a worker cancelled meanwhile stops it); a PlannerError in a sentence if it fails."""
    command = [sys.executable, "-m", "planner.tracking.attention", str(path), *args]
    # Looked at every 50 ms rather than awaited through asyncio's child watcher, which
    # complains when the app quits before the count is done.
    # Started from a thread: starting a process takes the loop some milliseconds, in which
    # the keys typed meanwhile would wait.
    child = await asyncio.to_thread(
        subprocess.Popen, command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        while child.poll() is None:
            await asyncio.sleep(0.05)
        out, err = child.communicate()  # a few bytes, already written
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    if child.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        problem = said[-1] if said else f"exit status {child.returncode}"
        raise PlannerError(f"The campaigns needing attention could not be counted: {problem}")
    return json.loads(out)


class HomeScreen(PlannerScreen[None]):
    """The list of campaigns; the place every session starts from.

    About 400 lines: its columns, page and caption are drawn in ``home_views``; what is left is
    reading the list a page at a time without slowing the first frame, following changes made
    in other processes, and its keys, which share the state of the page shown.
    """

    # Default CSS, not a CSS file: a screen's file makes Textual parse every style sheet of the
    # app again as the screen first shows, while default CSS is parsed on its own. This is the
    # first screen, so that was time spent at every start-up.
    DEFAULT_CSS = """
    HomeScreen {
        #caption {
            padding: 0 1;
            color: $text-muted;
        }
        #campaigns {
            height: 1fr;
        }
        #empty {
            padding: 2 4;
            height: 1fr;
            display: none;  /* until the list is read and found empty */
        }
    }
    """
    BINDINGS = [
        # Not in the key bar: the list has the focus, and its own Enter (which opens the
        # campaign too) takes the key's place there.
        Binding("enter", "open", "Open", show=False),
        # Taken as they arrive (priority), not once they have come back up from the list:
        # the keys typed after them then go to the dialog they open, not to the list.
        Binding("n", "new_blank", "New", priority=True),
        Binding("s", "new_from_starter", "From starter", priority=True),
        Binding("t", "track", "Track"),
        Binding("a", "archive", "Archive"),
        Binding("u", "unarchive", "Unarchive", show=False),
        Binding("v", "toggle_archived", "Show archived"),
        Binding("d", "delete", "Delete"),
        Binding("T", "trash", "Trash"),
        Binding("c", "calendar", "Calendar"),
        Binding("h", "history", "History", show=False),
        Binding("p", "practice", "Practice"),
        Binding("g", "group", "By practice", show=False),
        Binding("right_square_bracket", "page(1)", "Next page", show=False),
        Binding("left_square_bracket", "page(-1)", "Previous page", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_archived = False
        self.practice: str | None = None  # the practice (client) shown; None: every one
        self.grouped = False  # the list grouped by practice (g), else by name
        self.rolled = ""  # that practice's campaigns rolled up, for the caption
        self.summaries: dict[int, CampaignSummary] = {}  # the list, or its first page so far
        self.complete = True  # whether ``summaries`` holds the whole list
        self.total = 0  # campaigns in the list
        self.active = 0  # of which not archived
        self.lines: dict[int, PortfolioLine] = {}  # those worked out so far
        self.flagged: int | None = None  # how many need attention, once counted
        self.loaded = False
        self.reading = 0  # bumped by each read of the list: a later read stops an earlier one
        self.laid_out_width = 0
        self.page = 0
        self.caption = ""
        self.seen: int | None = None  # the file's data version when the list was read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="caption", markup=False)
        yield RowTable(id="campaigns")
        yield Static(
            "No campaigns yet. Press [b]s[/b] to start from a starter campaign or [b]n[/b] for "
            "a blank one.",
            id="empty",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self._check_for_changes)

    def on_screen_resume(self) -> None:
        # Also sent when the screen first shows: the list is read once, not again on mount.
        # The first time, after the screen is drawn: the planner shows at once, the list a
        # frame later (at 20,000 campaigns its first page takes a fiftieth of a second). At
        # start-up that is once the app's first frame is out (``PlannerApp.on_ready``, which
        # calls ``first_read``): a callback after the next refresh ran before it.
        if self.loaded:
            self.refresh_campaigns()
        elif getattr(self.app, "drawn", True):
            self.call_after_refresh(self.first_read)

    def first_read(self) -> None:
        """Read the list, unless it has been read."""
        if not self.loaded:
            self.refresh_campaigns()

    def _check_for_changes(self) -> None:
        """Read the list again when another window or process has changed the file since it
        was read (a campaign made with planner new, costs recorded, a backup restored).
        Asking costs one read of SQLite's counter of changes, and nothing more when nothing
        changed; it is asked only while the list is in view (coming back to it reads it)."""
        if not self.loaded or not self.is_current:
            return
        try:
            changed = self.app.store.data_version() != self.seen
        except PlannerError:
            return  # said when the list is next read, not every second
        if changed:
            self.refresh_campaigns()

    def on_resize(self) -> None:
        if self.loaded and self.size.width != self.laid_out_width:
            self.fill_table()  # the columns that fit the new width, from the rows read

    def refresh_campaigns(self, select: int | None = None) -> None:
        """Read the list from the database and show the page with ``select`` (else the
        selected campaign). When that is on the first page, only the first page is read
        first; the rest of the list and the figures of the campaigns on the other pages
        (which the count of those needing attention takes) are worked out in the background
        once it shows."""
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        store, archived, only = self.app.store, self.show_archived, self.only()
        try:
            self.seen = store.data_version()  # first: a change made while reading is seen next
            with _no_collection():
                summaries = store.list_campaigns(
                    include_archived=archived, limit=PAGE_SIZE, by_practice=self.grouped, **only
                )
                complete = len(summaries) < PAGE_SIZE
                first_page = keep is None and self.page == 0
                if not complete and not first_page and keep not in {s.id for s in summaries}:
                    summaries = store.list_campaigns(
                        include_archived=archived, by_practice=self.grouped, **only
                    )
                    complete = True
                counts = None
                if not complete:
                    total = store.count_campaigns(include_archived=archived, **only)
                    active = (
                        store.count_campaigns(include_archived=False, **only) if archived else total
                    )
                    counts = (total, active)
        except PlannerError as exc:
            self.app.report(exc)
            summaries, counts = [], None
        self._take_list(summaries, counts)
        self.lines = {}
        self.loaded = True
        self.reading += 1
        self.fill_table(keep)
        self._read_the_rest()

    def _take_list(
        self, summaries: list[CampaignSummary], counts: tuple[int, int] | None = None
    ) -> None:
        """The whole list, or its first page with ``counts``: how many campaigns the whole
        list holds, and how many of them are not archived."""
        self.summaries = {summary.id: summary for summary in summaries}
        self.complete = counts is None
        if counts is None:
            counts = len(summaries), sum(1 for summary in summaries if not summary.archived)
        self.total, self.active = counts

    def _read_whole_list(self) -> None:
        """The rest of the list, now (to turn the page before it came from the background)."""
        if self.complete:
            return
        try:
            with _no_collection():
                summaries = self.app.store.list_campaigns(
                    include_archived=self.show_archived, by_practice=self.grouped, **self.only()
                )
        except PlannerError as exc:
            self.app.report(exc)
            return
        self._take_list(summaries)

    def only(self) -> dict[str, str]:
        """What the list's reads are given to show the practice chosen (nothing for all)."""
        return {} if self.practice is None else {"practice": self.practice}

    def _read_lines(self, ids: list[int]) -> None:
        """Work out the spending, progress and warnings of these campaigns, if not yet."""
        from planner.tracking import PortfolioLine, portfolio

        wanted = [self.summaries[i] for i in ids if i not in self.lines]
        if not wanted:
            return
        try:
            with _no_collection():
                lines = portfolio(
                    self.app.store.portfolio_of(wanted, today=self.app.today()),
                    self.app.today(),
                )
        except PlannerError as exc:
            self.app.report(exc)
            lines = [PortfolioLine(summary, 0, None, []) for summary in wanted]
        self.lines.update((line.summary.id, line) for line in lines)

    def _read_the_rest(self) -> None:
        """Count the campaigns needing attention, which takes every campaign's figures (most
        of a second at 20,000 campaigns), in a process of its own
        (``planner.tracking.attention``): on another core, and without holding the
        interpreter the screen draws with, as a thread would. The figures of the other pages
        are read as they are turned to. A list that fits on its first page, or a database in
        memory (which has a single connection), is counted here and now."""
        from planner.tracking.attention import needing_attention

        if self.complete and len(self.lines) == len(self.summaries):
            # The whole list is on the page drawn: its figures are all here already.
            lines = self.lines.values()
            flagged = sum(1 for line in lines if line.flags and not line.summary.archived)
            self._take_count(self.reading, (flagged, len(self.summaries)))
            return
        store = self.app.store
        if store.path is None:
            try:
                counted = needing_attention(
                    store,
                    archived=self.show_archived,
                    today=self.app.today(),
                    practice=self.practice,
                )
            except PlannerError as exc:
                self.app.report(exc)
                return
            self._take_count(self.reading, counted)
            return
        self.run_worker(
            # Called when the worker starts: one cancelled before it leaves no coroutine behind.
            functools.partial(
                self._count_elsewhere,
                self.reading,
                store.path,
                self.show_archived,
                self.app.today(),
                self.practice,
            ),
            name="figures",
            group="figures",
            description="the count of campaigns needing attention",
            exclusive=True,
            exit_on_error=False,
        )

    async def _count_elsewhere(
        self, reading: int, path: Path, archived: bool, today: dt.date, practice: str | None
    ) -> None:
        """(A worker.) The count from its own process; a later read of the list cancels this
        one and stops that process (so do quitting and leaving the screen)."""
        args = ["--today", today.isoformat(), *(["--archived"] if archived else [])]
        args += ["--practice", practice] if practice is not None else []
        try:
            counted = await attention_elsewhere(path, args)
        except PlannerError as exc:
            if reading == self.reading:
                self.app.report(exc)
            return
        self._take_count(reading, (counted["attention"], counted["campaigns"]))

    def _take_count(self, reading: int, counted: tuple[int, int]) -> None:
        if reading != self.reading:
            return  # the list was read again since
        self.flagged = counted[0]
        self.update_caption()

    def fill_table(self, keep: int | None = None) -> None:
        """The page of the list read last that holds ``keep`` (else the current page), in the
        columns that fit the screen's width."""
        from screens.home_views import page_table

        table = self.query_one(RowTable)
        if keep is None:
            current = self.selected()
            keep = current.id if current else None
        ids = list(self.summaries)
        if keep in self.summaries:
            self.page = ids.index(keep) // PAGE_SIZE
        self.page = min(self.page, self.pages - 1)
        shown_ids = ids[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]
        self._read_lines(shown_ids)
        self.laid_out_width = self.size.width
        lines = [self.lines[i] for i in shown_ids]
        columns, cells_of = page_table(lines, self.size.width or 80, practice=self.grouped)
        cursor = shown_ids.index(keep) if keep in shown_ids else 0
        table.set_rows(columns, [str(i) for i in shown_ids], cells_of, cursor)
        self.update_caption()
        self.query_one("#empty").display = not ids
        table.display = bool(ids)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def update_caption(self) -> None:
        """How many campaigns, how many need attention (once all are worked out), and which
        are shown."""
        from screens.home_views import caption_of

        self.caption = caption_of(
            self.active, self.total, self.show_archived, self.page, self.flagged, PAGE_SIZE
        )
        if self.practice is not None:
            self.caption = f"{self.practice}: {self.rolled} · {self.caption} (p: another practice)"
        elif self.grouped:
            self.caption += " · by practice (g: by name)"
        self.show_caption()

    def action_page(self, step: int) -> None:
        if min(max(self.page + step, 0), self.pages - 1) == self.page:
            return
        self._read_whole_list()
        if not self.complete:
            return  # the rest of the list could not be read (and the reason was shown)
        ids = list(self.summaries)  # as read now, which may be shorter than counted before
        page = min(max(self.page + step, 0), self.pages - 1)
        if not ids or page == self.page:
            self.update_caption()  # the count as read now
            return
        self.page = page
        self.fill_table(ids[page * PAGE_SIZE])

    def show_caption(self) -> None:
        """The count of campaigns, and the warnings of the one under the cursor in full."""
        from screens.home_views import flags_note

        summary = self.selected()
        line = self.lines.get(summary.id) if summary else None
        self.query_one("#caption", Static).update(self.caption + flags_note(line))

    def on_row_table_row_highlighted(self) -> None:
        self.show_caption()

    def selected(self) -> CampaignSummary | None:
        key = self.query_one(RowTable).cursor_key
        return self.summaries.get(int(key)) if key else None

    # Actions ------------------------------------------------------------------------------

    def on_row_table_row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        summary = self.selected()
        if summary is not None:
            gone = functools.partial(self.gone, summary)
            self.app.post_message(OpenCampaign(summary.id, on_gone=gone))

    def action_track(self) -> None:
        summary = self.still_there()
        if summary is not None:
            self.app.post_message(OpenTracking(summary.id))

    def action_history(self) -> None:
        summary = self.still_there()
        if summary is not None:
            self.app.post_message(OpenHistory(summary.id))

    def still_there(self) -> CampaignSummary | None:
        """The campaign under the cursor, if it is still in the database (else said)."""
        summary = self.selected()
        if summary is None:
            return None
        try:
            self.app.store.campaign_version(summary.id)
        except NotFoundError:
            self.gone(summary)
            return None
        except PlannerError as exc:
            self.app.report(exc)
            return None
        return summary

    def gone(self, summary: CampaignSummary) -> None:
        """Say that a campaign of the list is no longer in the database (another window or
        program removed it, or restored a backup without it, or moved it to the trash), and
        show the list as it is."""
        try:
            trashed = any(t.id == summary.id for t in self.app.store.list_trash())
        except PlannerError:
            trashed = False
        said = TRASHED if trashed else GONE
        self.app.notify(said.format(name=summary.name), severity="warning", timeout=10)
        self.refresh_campaigns()

    async def action_new_blank(self) -> None:
        from screens.flows import create_campaign

        await create_campaign(self, from_starter=False)

    async def action_new_from_starter(self) -> None:
        from screens.flows import create_campaign

        await create_campaign(self, from_starter=True)

    def action_archive(self) -> None:
        from screens.dialogs import ConfirmDialog

        summary = self.selected()
        if summary is None or summary.archived:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._set_archived(summary, True)

        self.app.push_screen(
            ConfirmDialog(ARCHIVE_QUESTION.format(name=summary.name), yes="Archive"),
            confirmed,
        )

    def action_unarchive(self) -> None:
        summary = self.selected()
        if summary is not None and summary.archived:
            self._set_archived(summary, False)

    def _set_archived(self, summary: CampaignSummary, archived: bool) -> None:
        store = self.app.store
        write = functools.partial(
            store.set_archived, summary.id, archived, expected_version=summary.version
        )
        verb = "Archived" if archived else "Restored"
        self._change(summary, write, f"{verb} “{summary.name}”.")

    def _change(self, summary: CampaignSummary, write: Callable[[], object], said: str) -> None:
        """Make a change to a campaign of the list, say so, and read the list again."""
        try:
            write()
        except NotFoundError:
            self.gone(summary)
            return
        except PlannerError as exc:
            self.app.report(exc)
        else:
            self.app.notify(said)
        self.refresh_campaigns()

    def action_delete(self) -> None:
        from screens.dialogs import ConfirmDialog

        summary = self.selected()
        if summary is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                store = self.app.store
                write = functools.partial(
                    store.delete_campaign, summary.id, expected_version=summary.version
                )
                self._change(summary, write, f"Moved “{summary.name}” to the trash (T shows it).")

        self.app.push_screen(
            ConfirmDialog(DELETE_QUESTION.format(name=summary.name), yes="Move to trash"),
            confirmed,
        )

    def action_trash(self) -> None:
        self.app.post_message(OpenTrash())

    def action_calendar(self) -> None:
        self.app.post_message(OpenCalendar())

    def action_practice(self) -> None:
        """Choose the practice whose campaigns the list shows (or every practice's)."""
        from screens.dialogs import PracticeDialog

        try:
            clients = self.app.store.list_clients()
        except PlannerError as exc:
            self.app.report(exc)
            return
        if not any(c.campaigns for c in clients):
            self.app.notify("No campaign names its practice yet; the Overview step does.")
            return

        def chosen(practice: str | None) -> None:
            if practice is None:
                return  # Escape: as it was
            from screens.dialogs.practice import rollup

            found = next((c for c in clients if c.name == practice), None)
            self.practice = practice or None
            self.rolled = rollup(found, count=False) if found else ""
            self.page = 0
            self.refresh_campaigns()

        store, today = self.app.store, self.app.today()

        async def count() -> dict[str, int]:
            """Each practice's campaigns needing attention (by practice_key)."""
            if store.path is None:  # in memory: one connection, counted here
                from planner.tracking.attention import attention_by_practice

                return dict(attention_by_practice(store, today=today))
            args = ["--today", today.isoformat(), "--by-practice"]
            return (await attention_elsewhere(store.path, args))["by_practice"]

        self.app.push_screen(PracticeDialog(clients, self.practice, count), chosen)

    def action_group(self) -> None:
        """The list grouped by practice (its Practice column shown), or by name again."""
        self.grouped = not self.grouped
        self.page = 0
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
            "Show one practice's campaigns",
            "p: choose a practice (client), with its campaigns, budget and spending",
            self.action_practice,
        )
        yield SystemCommand(
            "Group the list by practice" if not self.grouped else "List the campaigns by name",
            "g: each practice's campaigns together, with the Practice column",
            self.action_group,
        )
        yield SystemCommand(
            "History of the campaign's changes",
            "h: every saved change of the selected campaign, and reverting one",
            self.action_history,
        )
        yield SystemCommand(
            "Track the campaign",
            "Costs, results, budget against spending, progress to target",
            self.action_track,
        )
        yield SystemCommand(
            "Archive campaign", "Archive the selected campaign", self.action_archive
        )
        yield SystemCommand(
            "Unarchive campaign", "Bring the selected archived campaign back", self.action_unarchive
        )
        yield SystemCommand(
            "Delete campaign", "Move the selected campaign to the trash", self.action_delete
        )
        yield SystemCommand(
            "Trash", "The campaigns in the trash: bring one back, or empty it", self.action_trash
        )
        yield SystemCommand(
            "Calendar",
            "The activities of every campaign by month, and the weeks campaigns overlap",
            self.action_calendar,
        )
        yield SystemCommand(
            "Show or hide archived campaigns",
            "Toggle archived campaigns in the list",
            self.action_toggle_archived,
        )
