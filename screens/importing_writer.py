"""The half of the import screen that changes the database: writing the previewed import (after
asking about rows whose money cannot be read and about a file imported before), the past
imports and undoing one, and the progress bar the thread workers report to.

The import runs in a thread worker on its own connection to the database, so the screen stays
responsive and Escape cancels it between two progress reports (nothing is then written).
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work
from textual.binding import Binding
from textual.widgets import DataTable, ProgressBar, Select, Static, TabbedContent

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign, ImportRecord
from planner.domain.numbers import format_money, style_of
from planner.imports import Plan, Preview, file_digest, run_import
from planner.store import Store
from screens.base import PlannerScreen
from screens.dialogs import ConfirmDialog


class ImportCancelled(PlannerError):
    pass


class HistoryTable(DataTable[str]):
    """Past imports; u undoes the one under the cursor."""

    BINDINGS = [Binding("u", "screen.undo", "Undo import")]


class ImportWriter(PlannerScreen[None]):
    """Importing and undoing imports, for the import screen that is made of it and reads the
    file (``ImportScreen``): it sets what is below before any of it runs."""

    campaign_id: int
    campaign: Campaign
    plan: Plan | None  # how the chosen file is read, once it can be
    seen: Preview | None  # the whole file read as the plan says, once it is
    records: list[ImportRecord]  # the past imports, as the history table shows them
    running: bool  # an import is being written
    cancel: threading.Event  # set to stop the worker at its next progress report

    # Progress -----------------------------------------------------------------------------------

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

    # Past imports -------------------------------------------------------------------------------

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
