"""The planner's Textual app and the one factory the CLI, ``python -m planner`` and tests use."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from planner.domain import clock
from planner.domain.errors import NotFoundError, PlannerError
from planner.store import Store
from screens.home import HomeScreen
from screens.navigation import (
    CampaignCreated,
    OpenBrief,
    OpenCalendar,
    OpenCampaign,
    OpenHistory,
    OpenImport,
    OpenReview,
    OpenTracking,
    OpenTrash,
)
from screens.styles import STYLESHEETS, css

WARM_UP_AFTER = 1.0  # seconds after start-up


COLLECT_EVERY = (10_000, 10, 5)  # objects made; young collections; middle collections


class PlannerApp(App[None]):
    """Healthcare Campaign Planner."""

    TITLE = "Healthcare Campaign Planner"
    # Every screen's stylesheet, read once as the planner starts: a screen opened for the first
    # time would otherwise have the whole stylesheet parsed again and every screen open restyled
    # (a tenth of a second or more each). The screens still name their own files.
    CSS_PATH = css(*STYLESHEETS)
    # Notices show at the top right, under the header, one row a line: at the foot they
    # covered what the user reads last on a screen (a step's budget summary, a list's last
    # rows). The top rows hold a screen's title and introduction, read once.
    CSS = """
    ToastRack {
        dock: top;
        align: right top;
        margin: 1 0 0 0;
    }
    Toast {
        padding: 0 1;
        margin: 0 0 1 0;
    }
    """
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        # Outside a text field (where it copies), Ctrl+C quits as in most terminal programs;
        # every edit is saved first.
        Binding("ctrl+c", "quit", "Quit", show=False),
        # Tab moves the focus as the key arrives, before the keys typed after it are passed
        # on (Textual's own Tab moves it only once the key has come back up from the field,
        # so in a fast burst the next field's text went into the one before). A field that
        # takes Tab itself (a text area that indents) keeps it.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    ]

    async def on_event(self, event: events.Event) -> None:
        """A key typed while no screen is up (the first one still being put up, or the app
        shutting down) has nowhere to go: drop it rather than fail. One typed (or a click
        made) before the home screen first read its list, which waits for the first frame,
        has the list read first: it acts on the list the user is about to see."""
        if isinstance(event, events.Key) and not self.screen_stack:
            return
        if isinstance(event, events.InputEvent) and isinstance(self.screen, HomeScreen):
            self.screen.first_read()
        await super().on_event(event)

    def __init__(self, store: Store, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.store = store
        self._today = today
        self.drawn = False  # whether the first frame is on the screen (``on_ready``)
        # Drawing a screen makes and drops tens of thousands of small objects (a long brief's
        # preview, a form's fields), and Python's cycle collector, at its default of a young
        # collection every 700 objects made and a full one every 70,000, took about a third
        # of the time the Brief screen took to open (2.0-2.6 s for the flu starter at 120x40,
        # 1.5-1.8 s so). The cost is memory: garbage waits longer, about 45 MB more at peak.
        gc.set_threshold(*COLLECT_EVERY)

    def today(self) -> dt.date:
        """Today's date (``planner.domain.clock``); fixed by tests so that no clock shows in a
        snapshot."""
        return self._today or clock.today()

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.store.read_only:
            self.title = f"{self.TITLE} (read-only)"  # on every screen's header
            self.notify(
                self.store.read_only_notice(),
                title="Read-only",
                severity="warning",
                timeout=20,
            )
        if not self.store.has_campaigns():
            from screens.welcome import WelcomeScreen  # only a new user sees it

            self.push_screen(WelcomeScreen())
        # Once the first screen is up and idle, not while it starts.
        self.set_timer(WARM_UP_AFTER, self._warm_up)
        self._catch_signals()

    def on_ready(self) -> None:
        """The first frame is drawn: the home screen reads its list now, if it is up and has
        not (it waits for this, so that the planner shows before the list is read)."""
        self.drawn = True
        if isinstance(self.screen, HomeScreen):
            self.screen.call_after_refresh(self.screen.first_read)

    def _warm_up(self) -> None:
        """Load the reading-grade dictionary (about a second of work) in the background before
        the first message is graded. The thread is a daemon: quitting never waits for it."""
        from planner.plan.readability import warm_up  # not needed to start

        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    def _catch_signals(self) -> None:
        """A terminal that closes (SIGHUP), a polite kill (SIGTERM) or an interrupt (SIGINT)
        saves pending edits and quits cleanly instead of dying mid-way."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit)

    # Navigation: a screen posts what it wants opened (screens.navigation); the screen pushed
    # loads when it is first opened.

    def on_open_campaign(self, message: OpenCampaign) -> None:
        self.open_campaign(message.campaign_id, guided=message.guided, on_gone=message.on_gone)

    def open_campaign(
        self,
        campaign_id: int,
        *,
        guided: bool = False,
        on_gone: Callable[[], None] | None = None,
    ) -> None:
        """Open a campaign's workspace; a new campaign opens in guided mode. ``on_gone`` says
        so, in the screen's words, when the campaign is no longer in the database."""
        from planner.plan.editing import CampaignEditor
        from screens.workspace import CampaignWorkspace

        try:
            editor = CampaignEditor(self.store, campaign_id)
        except PlannerError as exc:
            if isinstance(exc, NotFoundError) and on_gone is not None:
                on_gone()
            else:
                self.report(exc)
            return
        self.push_screen(CampaignWorkspace(editor, guided=guided))

    def on_campaign_created(self, message: CampaignCreated) -> None:
        """Whatever led to the new campaign (welcome, dialogs), the user lands on the list
        with the new campaign open on top of it."""
        while not isinstance(self.screen, HomeScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_campaigns(select=message.campaign_id)
        self.notify(f"Created campaign “{message.name}”.")
        self.open_campaign(message.campaign_id, guided=True)

    def on_open_brief(self, message: OpenBrief) -> None:
        from screens.brief import BriefScreen

        self.push_screen(BriefScreen(message.campaign_id))

    def on_open_tracking(self, message: OpenTracking) -> None:
        from screens.tracking import TrackingScreen

        self.push_screen(TrackingScreen(message.campaign_id))

    def on_open_calendar(self, message: OpenCalendar) -> None:
        from screens.calendar import CalendarScreen

        self.push_screen(CalendarScreen())

    def on_open_trash(self, message: OpenTrash) -> None:
        from screens.trash import TrashScreen

        self.push_screen(TrashScreen())

    def on_open_history(self, message: OpenHistory) -> None:
        from screens.history import HistoryScreen

        self.push_screen(HistoryScreen(message.campaign_id, message.editor), message.callback)

    def on_open_review(self, message: OpenReview) -> None:
        from screens.review import ReviewScreen

        self.push_screen(ReviewScreen(message.editor), message.callback)

    def on_open_import(self, message: OpenImport) -> None:
        from screens.importing import ImportScreen

        self.push_screen(ImportScreen(message.campaign_id, message.kind), message.callback)

    def flush_edits(self) -> None:
        """Save every valid edit still waiting for its pause, on every open screen."""
        for screen in self.screen_stack:
            for name in ("flush", "discard_if_untouched"):
                method = getattr(screen, name, None)
                if method is None:
                    continue
                try:
                    method()
                except Exception:  # quitting must go on whatever happens
                    continue

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.flush_edits()
        super().exit(*args, **kwargs)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        own = getattr(screen, "commands", None)
        if own is not None:
            yield from own()
        yield SystemCommand(
            "Show database location",
            "Where this planner keeps its campaigns",
            self.action_show_database,
        )
        yield from super().get_system_commands(screen)

    def action_show_database(self) -> None:
        where = self.store.path or "in memory"
        self.notify(f"Campaigns are saved in {where}", title="Database")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry user text (campaign names), so markup is off by default."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def report(self, error: PlannerError) -> None:
        """Show a user error as one sentence; the TUI never shows a traceback for these."""
        self.notify(str(error), severity="error", timeout=8)


def make_app(
    db_path: str | Path | None = None,
    *,
    store: Store | None = None,
    today: dt.date | None = None,
) -> PlannerApp:
    """The app on an open store, or on the database at ``db_path`` (opened, migrated)."""
    if store is None:
        if db_path is None:
            raise ValueError("make_app needs a db_path or a store")
        store = Store.open(db_path)
    return PlannerApp(store, today=today)
