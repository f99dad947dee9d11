"""One database, many hands: the TUI keeps its lock on the file through every screen that
starts a worker (the campaign list, tracking, an import, the brief's preview and export), so
that a command-line process in another terminal never takes itself for the last user and
deletes the write-ahead log under it; and a write from each side survives the other.

The lock is looked up from a second process, in the kernel's table of file locks, as a user
would (``/proc/locks``); the writes and reads on the other side are real ``planner`` commands.
A last test drives every store entry point with Python's own ways of opening files watched:
the database file is only ever opened by SQLite."""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from factories import import_campaign
from helpers import in_another_terminal as planner
from helpers import until
from textual.widgets import Input, MarkdownViewer, Static, TextArea

from planner.domain.errors import StaleWriteError
from planner.domain.models import Cost
from planner.store import Store
from screens.app import make_app
from screens.brief import BriefScreen
from screens.dialogs import EntryDialog, ExportDialog
from screens.home import HomeScreen
from screens.importing import ImportScreen
from screens.tracking import TrackingScreen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks"),
]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
SIZE = (100, 32)


@pytest.fixture(autouse=True)
def _entries_dated_in_the_past(monkeypatch):
    """The costs and imported rows here are dated in 2027: the planner (and every process it
    starts) takes today as the end of that year, so that none is dated after today."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


def locks_held(pid: int, path: Path) -> int:
    """How many locks process ``pid`` holds on ``path``, as another process sees them."""
    script = (
        "import os, sys\n"
        "inode = os.stat(sys.argv[2]).st_ino\n"
        "held = [line for line in open('/proc/locks')\n"
        "        if line.split()[4] == sys.argv[1]\n"
        "        and line.split()[5].rsplit(':', 1)[1] == str(inode)]\n"
        "print(len(held))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(pid), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def notes_on_file(db: Path, campaign_id: int) -> list[str]:
    return [c["note"] for c in json.loads(planner(db, "costs", "list", str(campaign_id), "--json"))]


class Exchange:
    """After each screen: the lock is still held; a command-line process opens and closes the
    file (the one that would delete the log if it thought itself the last); then the TUI and
    the command line each record a cost, and each side sees both."""

    def __init__(self, app, db: Path, campaign_id: int) -> None:
        self.app, self.db, self.campaign_id = app, db, campaign_id
        self.written: list[str] = []

    def lock_is_held(self, where: str) -> None:
        assert locks_held(os.getpid(), self.db) > 0, f"the TUI lost its lock after {where}"

    def tui_writes(self, note: str) -> None:
        self.app.store.add_entry(
            self.campaign_id, Cost(date=dt.date(2027, 3, 2), amount_minor=100, note=note)
        )
        self.written.append(note)

    def after(self, where: str) -> None:
        self.lock_is_held(where)
        planner(self.db, "list")  # opens and closes the file in another process
        self.tui_writes(f"tui after {where}")
        planner(
            self.db, "costs", "add", str(self.campaign_id), "--date", "2027-03-03",
            "--amount", "2.00", "--note", f"cli after {where}",
        )  # fmt: skip
        self.written.append(f"cli after {where}")
        on_file = notes_on_file(self.db, self.campaign_id)
        in_tui = [c.note for c in self.app.store.iter_entries(self.campaign_id, Cost)]
        for note in self.written:
            assert note in on_file, f"{note!r} is not in the file after {where}"
            assert note in in_tui, f"the TUI does not see {note!r} after {where}"
        self.lock_is_held(where)


@pytest.mark.long
async def test_the_tui_keeps_its_lock_and_both_sides_writes_survive(tmp_path):
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        campaign_id = store.create_campaign(import_campaign())
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        side = Exchange(app, db, campaign_id)
        await pilot.app.workers.wait_for_complete()
        assert isinstance(app.screen, HomeScreen)
        side.after("the campaign list")  # whose worker reads with a connection of its own

        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        await pilot.press("c")  # a cost recorded through the screen's own form
        await pilot.pause()
        assert isinstance(app.screen, EntryDialog)
        note = app.screen.query_one("#field-note", TextArea)
        note.focus()
        await pilot.press(*"typed in the TUI")
        amount = app.screen.query_one("#field-amount_minor", Input)
        amount.focus()
        await pilot.press(*"3.50")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        side.written.append("typed in the TUI")
        side.after("tracking")

        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        field = screen.query_one("#path", Input)
        field.focus()
        field.value = str(FIXTURES / "google_ads_daily_excel.csv")
        await pilot.press("enter")
        summary = screen.query_one("#import-summary", Static)
        await until(pilot, lambda: "Ready to import" in str(summary.content))
        await pilot.press("ctrl+s")  # written by a worker thread with a connection of its own
        await until(pilot, lambda: str(summary.content).startswith("Import 1:"))
        side.after("an import")

        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "ctrl+o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert "Flu season" in app.screen.query_one("#preview", MarkdownViewer).document.source
        side.after("the brief's preview")

        await pilot.press("e")  # an export, written beside the database by a worker
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        target = tmp_path / "flu-brief.html"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        side.after("a brief's export")

        await pilot.press("e")  # the database itself as the file: refused before any question
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(db)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert any("would destroy it" in n.message for n in app._notifications)
        side.after("choosing the database as the brief's file")
    app.store.close()

    # The TUI has quit: everything either side was told was saved is in the file, once.
    on_file = notes_on_file(db, campaign_id)
    for note in side.written:
        assert on_file.count(note) == 1, note
    assert len(on_file) == len(side.written) + 4  # and the import's four costs
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.fixture
def watched_opens(monkeypatch):
    """Every path Python itself opens while the test runs (SQLite opens files in C, unseen)."""
    opened: list[str] = []
    real_open, real_os_open, real_io_open = builtins.open, os.open, io.open

    def note(file) -> None:
        if isinstance(file, (str, bytes, os.PathLike)):
            opened.append(os.path.realpath(os.fsdecode(file)))

    def watched_open(file, *args, **kwargs):
        note(file)
        return real_open(file, *args, **kwargs)

    def watched_os_open(path, *args, **kwargs):
        note(path)
        return real_os_open(path, *args, **kwargs)

    def watched_io_open(file, *args, **kwargs):
        note(file)
        return real_io_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watched_open)
    monkeypatch.setattr(os, "open", watched_os_open)
    monkeypatch.setattr(io, "open", watched_io_open)
    return opened


def test_the_database_file_is_opened_only_by_sqlite(tmp_path, watched_opens, runner):
    from planner.cli.main import main
    from planner.domain.models import ImportKind, ImportOptions
    from planner.imports import plan_import, run_import

    db = tmp_path / "planner.db"
    names = {str(db.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    with Store.open(db) as store:
        campaign_id = store.create_campaign(import_campaign())
    # A new database's file is made empty and private before SQLite first opens it, when no
    # connection to it can exist; from here on, every opening is SQLite's.
    watched_opens.clear()
    with Store.open(db) as first, Store.open(db) as second:  # two at once, as TUI and worker
        with first.reader() as reader:
            reader.list_campaigns()
        campaign = second.get_campaign(campaign_id, tracking=False)
        options = ImportOptions(kind=ImportKind.COSTS)
        plan = plan_import(FIXTURES / "google_ads_daily_excel.csv", campaign, options)
        run_import(second, plan, campaign_id)
        first.add_entry(campaign_id, Cost(date=dt.date(2027, 3, 2), amount_minor=5))
    for command in (
        ["list"],
        ["show", str(campaign_id)],
        ["costs", "list", str(campaign_id)],
        ["report", str(campaign_id)],
        ["brief", str(campaign_id)],
        ["backup", "-o", str(tmp_path / "copy.bak")],
        ["doctor"],
        ["--db", str(tmp_path / "copy.bak"), "list"],
        ["restore", str(tmp_path / "copy.bak")],
        ["list"],
    ):
        args = command if command[0] == "--db" else ["--db", str(db), *command]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (command, result.output)
    assert not names & set(watched_opens), "the database was opened outside SQLite"


def test_one_file_imported_by_two_processes_at_once_counts_once(tmp_path):
    """Two terminals import the same export at the same moment: the check for a file imported
    before runs under the write lock, so the second is refused however the two interleave.
    Here the first is held after its early check, while the second imports the file whole."""
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        campaign_id = store.create_campaign(import_campaign())
    export = FIXTURES / "google_ads_daily_excel.csv"
    held = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from planner.store import Store\n"
            "from planner.cli.main import main\n"
            "original = Store.import_entries\n"
            "def held(*args, **kwargs):\n"
            "    print('checked', flush=True)\n"
            "    sys.stdin.readline()\n"
            "    return original(*args, **kwargs)\n"
            "Store.import_entries = held\n"
            f"main(['--db', {str(db)!r}, 'import', 'costs', '{campaign_id}', {str(export)!r}])\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in held.stdout:  # what the command says as it reads the file, then this
            if line.strip() == "checked":
                break
        else:
            raise AssertionError(held.stderr.read())
        planner(db, "import", "costs", str(campaign_id), str(export))
        out, err = held.communicate("go\n", timeout=60)
    finally:
        if held.poll() is None:
            held.kill()
    assert held.returncode == 2, out + err
    assert "'google_ads_daily_excel.csv' was already imported into this campaign" in err
    assert "Traceback" not in err
    imports = json.loads(planner(db, "imports", str(campaign_id), "--json"))
    assert len(imports) == 1
    assert len(notes_on_file(db, campaign_id)) == 4


async def test_choosing_the_database_itself_to_import_is_refused_and_the_lock_kept(tmp_path):
    """An easy slip in the file picker: the database is not read as a spreadsheet (reading it
    with plain file calls would drop the TUI's lock), and everything goes on as before."""
    db = tmp_path / "clinic.db"
    with Store.open(db) as store:
        campaign_id = store.create_campaign(import_campaign())
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        side = Exchange(app, db, campaign_id)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        for chosen in (db, db.with_name("clinic.db-wal")):
            field = screen.query_one("#path", Input)
            field.focus()
            field.value = str(chosen)
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            said = str(screen.query_one("#import-status", Static).content)
            assert f"'{chosen.name}' is " in said and "planner's" in said, said
        side.after("choosing the database to import")
    app.store.close()


@pytest.mark.parametrize(
    "command",
    [
        ["brief", "1", "-o", "{db}", "--force"],
        ["brief", "1", "-o", "{db}-wal", "--force"],
        ["import", "costs", "1", "{db}"],
        ["import", "results", "1", "{db}-wal"],
        ["brief", "1", "--template-dir", "{folder}"],
    ],
    ids=["brief over it", "brief over its log", "as costs", "its log as results",
         "as a template"],
)  # fmt: skip
def test_the_database_is_never_read_or_written_as_a_users_file(tmp_path, runner, command):
    from planner.cli.main import main

    db = tmp_path / "clinic.db"
    with Store.open(db) as store:
        store.create_campaign(import_campaign())
    # A template folder that is the database's own folder, with a template reading it.
    (tmp_path / "brief.md.j2").write_text("{% include 'clinic.db' %}\n", encoding="utf-8")
    args = [part.format(db=db, folder=tmp_path) for part in command]
    result = runner.invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "the planner's own database" in result.output or "beside the planner's" in (
        result.output
    )
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT name FROM campaigns").fetchall() == [("Flu season",)]
    finally:
        conn.close()


def test_a_write_made_while_a_restore_runs_is_never_lost(tmp_path):
    """The restore keeps the database's content beside it only once it holds the write lock:
    a cost another process records meanwhile waits for the restore and lands in the restored
    database, instead of slipping in between the kept copy and the restore and vanishing.
    Here the restore is held just after it made its kept copy."""
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        campaign_id = store.create_campaign(import_campaign())
    planner(db, "backup", "-o", str(tmp_path / "before.bak"))
    restoring = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "import planner.store.maintenance as store\n"
            "from planner.cli.main import main\n"
            "original = store._keep_current\n"
            "def held(*args, **kwargs):\n"
            "    kept = original(*args, **kwargs)\n"
            "    print('kept', flush=True)\n"
            "    sys.stdin.readline()\n"
            "    return kept\n"
            "store._keep_current = held\n"
            f"main(['--db', {str(db)!r}, 'restore', {str(tmp_path / 'before.bak')!r}])\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = None
    try:
        assert restoring.stdout.readline().strip() == "kept", restoring.stderr.read()
        writer = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", str(db), "costs", "add", str(campaign_id),
             "--date", "2027-03-02", "--amount", "9.00", "--note", "during the restore"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        with contextlib.suppress(subprocess.TimeoutExpired):
            writer.wait(timeout=1.5)  # it waits for the restore's lock (up to 5 seconds)
        out, err = restoring.communicate("go\n", timeout=60)
        assert restoring.returncode == 0, out + err
        _, complaint = writer.communicate(timeout=60)
    finally:
        for process in (restoring, writer):
            if process is not None and process.poll() is None:
                process.kill()
    assert writer.returncode == 0, complaint
    assert "during the restore" in notes_on_file(db, campaign_id), "a saved cost was lost"


def test_a_window_editing_a_campaign_a_restore_replaced_is_told_it_changed(tmp_path):
    """A restore brings back another campaign under the same id, at the same version: a
    window still showing the old one must not save onto it."""
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        store.create_campaign(import_campaign(name="Alpha"))
    planner(db, "backup", "-o", str(tmp_path / "alpha.bak"))
    other = tmp_path / "other.db"
    with Store.open(other) as store:
        store.create_campaign(import_campaign(name="Flu A"))
    planner(other, "backup", "-o", str(tmp_path / "flu.bak"))
    planner(db, "restore", str(tmp_path / "flu.bak"))
    with Store.open(db) as window:  # the TUI, showing Flu A as campaign 1
        shown = window.get_campaign(1)
        planner(db, "restore", str(tmp_path / "alpha.bak"))  # Alpha is campaign 1 again
        with pytest.raises(StaleWriteError, match="was changed elsewhere"):
            window.update_campaign(1, {"name": "Borgo X"}, expected_version=shown.version)
    assert [c["name"] for c in json.loads(planner(db, "list", "--json"))] == ["Alpha"]
