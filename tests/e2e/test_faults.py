"""Faults the planner survives. A process is killed in the middle of a write, an import, a
schema upgrade and a brief export (each paused at its most delicate point, so that the kill
lands there); another process holds the database; the file or its folder is read-only; the disk
fills up; two processes edit the same campaign. Afterwards the database opens, passes SQLite's
integrity check and holds the whole operation or none of it."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from factories import as_first_released, full_campaign
from helpers import read_only

from planner.briefs import export_history
from planner.cli.main import main
from planner.domain.errors import DatabaseError
from planner.store import Store
from planner.store.schema import _MIGRATIONS

pytestmark = pytest.mark.slow
TESTS = str(Path(__file__).resolve().parents[1])


@pytest.fixture(autouse=True)
def _entries_dated_in_the_past(monkeypatch):
    """The costs and imported rows here are dated in 2027: the planner (and every process it
    starts) takes today as the end of that year, so that none is dated after today."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


def whole(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def start(code: str) -> subprocess.Popen[str]:
    """A planner process running ``code``, which prints a line when it reaches the point the
    test is about."""
    script = f"import sys, time\nsys.path.insert(0, {TESTS!r})\n" + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def reach(process: subprocess.Popen[str], line: str) -> None:
    """Wait for the process to print ``line`` (after whatever else it prints)."""
    said = []
    for output in process.stdout:
        if output.strip() == line:
            return
        said.append(output)
    process.kill()
    raise AssertionError(f"the process ended saying {said!r}: {process.stderr.read()}")


def kill_at(code: str, line: str = "inside") -> None:
    """Run ``code``, which may wrap a function in ``paused``, and kill it once it pauses."""
    process = start(PAUSE + textwrap.dedent(code))
    try:
        reach(process, line)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


# The point where each operation is paused: after its rows are written, before its commit.
PAUSE = """
def paused(original):
    def pause(*args, **kwargs):
        result = original(*args, **kwargs)
        print("inside", flush=True)
        time.sleep(60)
        return result
    return pause
"""


def test_killed_while_saving_a_campaign(db_path):
    with Store.open(db_path) as store:
        kept = store.create_campaign(full_campaign("Kept"))
    kill_at(
        f"""
        from factories import as_first_released, full_campaign
        from planner.store import Store
        Store._insert_item = paused(Store._insert_item)  # the campaign row and its first item
        Store.open({str(db_path)!r}).create_campaign(full_campaign("Half"))
        """
    )
    assert whole(db_path)
    with Store.open(db_path) as store:
        assert [s.name for s in store.list_campaigns()] == ["Kept"]
        assert store.get_campaign(kept) == store.get_campaign(kept)  # reads back whole
        assert store.conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == len(
            full_campaign().segments
        )


COSTS = "SELECT COUNT(*), SUM(amount_minor), (SELECT SUM(amount_minor) FROM cost_totals) FROM costs"


def test_killed_during_an_import(db_path, tmp_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(costs)")}
        before = store.conn.execute(COSTS).fetchone()
    path = tmp_path / "year.csv"
    path.write_text(
        "Date,Channel,Amount\n"
        + "".join(f"2027-03-{i % 28 + 1:02d},email,{i % 90}.5\n" for i in range(30_000))
    )
    kill_at(
        f"""
        import planner.store.imports as imports
        from planner.cli.main import main
        imports._write_sums = paused(imports._write_sums)
        main(["--db", {str(db_path)!r}, "import", "costs", "{campaign_id}", {str(path)!r}])
        """
    )
    assert whole(db_path)
    with Store.open(db_path) as store:
        assert store.list_imports(campaign_id) == []
        assert store.conn.execute(COSTS).fetchone() == before
        # The indexes a bulk import sets aside inside its transaction are there again.
        assert {r[1] for r in store.conn.execute("PRAGMA index_list(costs)")} == indexes


def test_killed_during_a_schema_upgrade(db_path):
    from planner.store.schema import _migrations

    as_first_released(db_path)
    kill_at(
        f"""
        import planner.store.schema as schema
        from planner.store import Store
        name, fn = schema._MIGRATIONS[-1]
        schema._MIGRATIONS[-1] = (name, paused(fn))  # the last change, not yet recorded
        Store.open({str(db_path)!r})
        """
    )
    assert whole(db_path)
    conn = sqlite3.connect(db_path)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert applied[-1] != _migrations()._migrations[-1].name, "the last change was not kept"
    with Store.open(db_path) as store:  # the next start finishes the upgrade
        assert store.schema_version() == _migrations()._migrations[-1].name
        assert store.list_campaigns() == []
    assert list(db_path.parent.glob("planner.db.0001_initial-*.bak"))


def test_killed_while_a_new_file_is_made(db_path):
    """A new file is given its whole schema in one transaction: a planner killed after the
    schema is written but before it is committed leaves a file the next planner makes whole,
    every schema change recorded once."""
    kill_at(
        f"""
        from planner.store import Store
        from planner.store.base import StoreBase
        StoreBase._make_new = paused(StoreBase._make_new)  # written, not yet committed
        Store.open({str(db_path)!r})
        """
    )
    assert whole(db_path)
    with Store.open(db_path) as store:
        assert store.list_campaigns() == []
        applied = store._applied_migrations()
    assert applied == [name for name, _ in _MIGRATIONS]


def _planners_at_once(db_path: Path, count: int = 4) -> list[subprocess.CompletedProcess[str]]:
    """``planner list`` started ``count`` times at the same moment on one file."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", str(db_path), "list"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    done = []
    for process in started:
        out, err = process.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


@pytest.mark.parametrize("older", [False, True], ids=["new file", "older file"])
def test_planners_opening_one_file_at_the_same_moment_all_open_it(tmp_path, older):
    """Several planners started at once on a file that does not exist yet, or on one an older
    planner wrote: one makes (or upgrades) it, the others wait for it and open it made; none
    says it is damaged, another program's or locked, and none deletes it."""
    from planner.store.schema import _migrations

    for attempt in range(3):
        db_path = tmp_path / f"planner-{attempt}.db"
        if older:
            as_first_released(db_path)
        for done in _planners_at_once(db_path):
            assert done.returncode == 0, done.stderr
        assert whole(db_path)
        with Store.open(db_path) as store:
            assert store.schema_version() == _migrations()._migrations[-1].name
            assert store._applied_migrations() == [m.name for m in _migrations()._migrations]


def test_killed_while_exporting_a_brief(db_path, tmp_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "brief.html"
    kill_at(
        f"""
        from pathlib import Path
        from planner.cli.main import main
        Path.replace = paused(lambda self, target: None)  # written in full, not yet renamed
        main(["--db", {str(db_path)!r}, "brief", "{campaign_id}", "-o", {str(out)!r}])
        """
    )
    assert not out.exists(), "no half-written brief"
    assert whole(db_path)
    with Store.open(db_path) as store:
        assert export_history(store, campaign_id) == [], "no export recorded for a missing file"
        assert store.conn.execute("SELECT COUNT(*) FROM brief_renders").fetchone() == (0,)


def test_killed_just_after_a_brief_is_put_in_place(runner, db_path, tmp_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "brief.html"
    kill_at(
        f"""
        from pathlib import Path
        from planner.cli.main import main
        Path.replace = paused(Path.replace)  # renamed into place, the record not yet completed
        main(["--db", {str(db_path)!r}, "brief", "{campaign_id}", "-o", {str(out)!r}])
        """
    )
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert whole(db_path)
    listing = runner.invoke(main, ["--db", str(db_path), "briefs", str(campaign_id)])
    assert listing.exit_code == 0, listing.output
    (line,) = [line for line in listing.output.splitlines() if str(out) in line]
    assert "HTML" in line and line.endswith("unchanged")
    with Store.open(db_path) as store:  # settled for good when it was read
        assert store.conn.execute("SELECT pending FROM brief_renders").fetchall() == [(0,)]


def test_a_brief_is_not_exported_while_another_process_holds_the_database(
    runner, db_path, tmp_path, monkeypatch
):
    import planner.store.connection

    monkeypatch.setattr(planner.store.connection, "BUSY_TIMEOUT_MS", 1000)
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "out" / "brief.md"
    out.parent.mkdir()
    brief = ["--db", str(db_path), "brief", str(campaign_id)]
    holder = hold(db_path)
    try:
        to_file = runner.invoke(main, [*brief, "-o", str(out)])
        to_stdout = runner.invoke(main, brief)
    finally:
        holder.communicate("go\n", timeout=10)
    for result in (to_file, to_stdout):
        assert result.exit_code == 2
        assert result.output.startswith("Error: The database is busy: another program has been")
        assert "Nothing was saved; try again in a moment." in result.output
    assert to_stdout.stdout == "", "nothing printed"
    assert list(out.parent.iterdir()) == [], "no file, not even a temporary one"
    again = runner.invoke(main, [*brief, "-o", str(out)])
    assert again.exit_code == 0, again.output
    with Store.open(db_path) as store:
        assert [r.path for r in export_history(store, campaign_id)] == [str(out)]


def test_a_brief_from_a_read_only_database_is_written_but_not_recorded(runner, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    db_path = folder / "planner.db"
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "brief.md"
    brief = ["--db", str(db_path), "brief", str(campaign_id)]
    note = (
        "This export is not in the campaign's brief history, because the database "
        f"'{db_path}' is read-only."
    )
    with read_only(db_path):
        printed = runner.invoke(main, brief)
        written = runner.invoke(main, [*brief, "-o", str(out)])
        listed = runner.invoke(main, ["--db", str(db_path), "briefs", str(campaign_id)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("# Campaign brief: ")
    assert printed.stderr == note + "\n"
    assert written.exit_code == 0, written.output
    assert written.stderr == (
        f"Wrote the Markdown brief of campaign {campaign_id} (version 1) to {out}. {note}\n"
    )
    assert out.read_text() == printed.stdout
    assert "No briefs exported" in listed.output
    assert whole(db_path)


def hold(db_path: Path) -> subprocess.Popen[str]:
    """A second process that holds the database's write lock until it reads a line."""
    holder = start(
        f"""
        import sqlite3
        conn = sqlite3.connect({str(db_path)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        print("holding", flush=True)
        sys.stdin.readline()
        conn.execute("ROLLBACK")
        """
    )
    reach(holder, "holding")
    return holder


def test_a_database_held_by_another_process_is_waited_for_then_told(runner, db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    holder = hold(db_path)
    try:
        result = runner.invoke(main, ["--db", str(db_path), "archive", str(campaign_id)])
        assert result.exit_code == 2
        assert result.output.strip() == (
            "Error: The database is busy: another program has been writing to it for 5 "
            "seconds. Nothing was saved; try again in a moment."
        )
    finally:
        holder.communicate("go\n", timeout=10)
    again = runner.invoke(main, ["--db", str(db_path), "archive", str(campaign_id)])
    assert again.exit_code == 0, again.output
    assert whole(db_path)


@pytest.mark.parametrize("what", ["file", "folder"])
async def test_a_read_only_database_opens_for_reading(runner, tmp_path, what):
    from screens.app import make_app
    from screens.home import HomeScreen

    folder = tmp_path / "shared"
    folder.mkdir()
    db_path = folder / "planner.db"
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign("Flu season 2027"))
    with read_only(db_path if what == "file" else folder):
        listed = runner.invoke(main, ["--db", str(db_path), "list"])
        assert listed.exit_code == 0 and "Flu season 2027" in listed.output
        archive = runner.invoke(main, ["--db", str(db_path), "archive", str(campaign_id)])
        assert archive.exit_code == 2 and "is read-only, so nothing was saved" in archive.output
        app = make_app(db_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.title == "Healthcare Campaign Planner (read-only)"
            (note,) = app._notifications
            assert "is read-only: you can look through it, but nothing you change is saved" in (
                note.message
            )
            await pilot.press("a")  # archive: asks, then is told it cannot
            await pilot.click("#yes")
            await pilot.pause()
            assert any("nothing was saved" in n.message for n in app._notifications)
        app.store.close()
        if what == "folder":
            new = runner.invoke(main, ["--db", str(folder / "new.db"), "list"])
            assert new.output.strip() == (
                f"Error: The folder '{folder}' is read-only, so a new database cannot be "
                "created there; choose another place with --db."
            )
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        assert not summary.archived
    assert whole(db_path)


def test_a_full_disk_rolls_the_write_back(db_path):
    with Store.open(db_path) as store:
        kept = store.create_campaign(full_campaign("Kept"))
        (pages,) = store.conn.execute("PRAGMA page_count").fetchone()
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
        with pytest.raises(DatabaseError, match="The disk is full, so nothing was saved"):
            for n in range(20):
                store.create_campaign(full_campaign(f"Campaign {n}"))
        names = [s.name for s in store.list_campaigns()]
        for name in names:
            campaign = store.get_campaign(
                next(s.id for s in store.list_campaigns() if s.name == name)
            )
            assert len(campaign.segments) == len(full_campaign().segments)
        assert "Kept" in names and store.get_campaign(kept).name == "Kept"
    assert whole(db_path)


def test_two_processes_editing_one_campaign(runner, db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    other = start(
        f"""
        from planner.domain.errors import PlannerError
        from planner.store import Store
        store = Store.open({str(db_path)!r})
        version = store.get_campaign({campaign_id}).version
        print("read", flush=True)
        sys.stdin.readline()  # meanwhile, the test changes the campaign
        try:
            store.set_archived({campaign_id}, True, expected_version=version)
        except PlannerError as exc:
            print(exc, flush=True)
        """
    )
    reach(other, "read")
    moved = runner.invoke(main, ["--db", str(db_path), "status", str(campaign_id), "in_review"])
    assert moved.exit_code == 0, moved.output
    out, err = other.communicate("go\n", timeout=30)
    assert f"Campaign {campaign_id} was changed elsewhere since you opened it" in out, out + err
    with Store.open(db_path) as store:
        campaign = store.get_campaign(campaign_id)
        assert campaign.status.value == "in_review"
        assert not store.list_campaigns()[0].archived


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a file system of 2 MB, to fill up: a tmpfs mounted for the test, which
    needs root on Linux (as CI runs); elsewhere the test is skipped."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root on Linux")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk has no room left."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


FULL = "The disk is full"


def test_a_full_disk_is_told_by_every_command_and_never_called_damage(runner, small_disk):
    db_path = small_disk / "planner.db"
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign("Kept"))
    assert not list(small_disk.glob("planner.db-*")), "closed: SQLite needs room to open it"
    filler = fill(small_disk)
    for command in (
        ["list"],
        ["show", str(campaign_id)],
        ["costs", "list", str(campaign_id)],
        ["costs", "add", str(campaign_id), "--date", "2027-03-01", "--amount", "5"],
        ["new", "Another"],
    ):
        result = runner.invoke(main, ["--db", str(db_path), *command])
        assert result.exit_code == 2, (command, result.output)
        assert result.output.strip() == (
            f"Error: {FULL}, so the database '{db_path}' could not be opened; free some "
            "space and try again. Nothing was changed."
        ), command
    doctor = runner.invoke(main, ["--db", str(db_path), "doctor"])
    assert doctor.exit_code == 1
    assert "damaged" not in doctor.output and "planner restore" not in doctor.output
    lines = doctor.output.splitlines()
    assert lines[1] == (
        "Space: the disk is full (0 bytes free); nothing can be saved until some space is freed."
    )
    assert lines[-1].startswith(
        "Verdict: the disk is full; nothing in the database was changed. Free some space"
    )
    new = small_disk / "new.db"
    made = runner.invoke(main, ["--db", str(new), "new", "First"])
    assert made.output.strip() == (
        f"Error: {FULL}, so the new database '{new}' could not be made (nothing was left of "
        "it); free some space and try again."
    )
    assert not list(small_disk.glob("new.db*")), "no half-made file to be taken for another's"
    filler.unlink()
    listed = runner.invoke(main, ["--db", str(db_path), "list"])
    assert listed.exit_code == 0 and "Kept" in listed.output
    assert runner.invoke(main, ["--db", str(new), "new", "First"]).exit_code == 0
    assert whole(db_path) and whole(new)


def test_a_full_disk_while_the_planner_is_open_elsewhere(runner, small_disk):
    db_path = small_disk / "planner.db"
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign("Kept"))
    other = start(
        f"""
        from planner.store import Store
        store = Store.open({str(db_path)!r})
        store.list_campaigns()
        print("open", flush=True)
        sys.stdin.readline()
        """
    )
    try:
        reach(other, "open")
        filler = fill(small_disk)
        listed = runner.invoke(main, ["--db", str(db_path), "list"])
        assert listed.exit_code == 0 and "Kept" in listed.output, "reading still works"
        for command in (
            ["costs", "add", str(campaign_id), "--date", "2027-03-01", "--amount", "5"],
            ["new", "Another"],
            ["archive", str(campaign_id)],
        ):
            result = runner.invoke(main, ["--db", str(db_path), *command])
            assert result.output.strip() == (
                f"Error: {FULL}, so nothing was saved; free some space and try again."
            ), command
        doctor = runner.invoke(main, ["--db", str(db_path), "doctor"])
        assert doctor.exit_code == 1 and "damaged" not in doctor.output
        assert "Integrity: the file is whole (SQLite's integrity check passed)." in doctor.output
        assert doctor.output.splitlines()[-1].startswith("Verdict: the disk is full;")
        filler.unlink()
    finally:
        other.communicate("go\n", timeout=10)
    with Store.open(db_path) as store:
        assert [s.name for s in store.list_campaigns()] == ["Kept"]
        assert len(store.get_campaign(campaign_id).costs) == len(full_campaign().costs)
    assert whole(db_path)


# A copy paused once SQLite has written it whole, before it is checked and renamed.
PAUSE_COPY = """
import sqlite3
connect = sqlite3.connect

class Paused(sqlite3.Connection):
    def execute(self, sql, *args):
        if sql.startswith("PRAGMA quick_check"):
            print("inside", flush=True)
            time.sleep(60)
        return super().execute(sql, *args)

def copying(database, *args, **kwargs):
    if str(database).endswith(".tmp"):
        kwargs["factory"] = Paused
    return connect(database, *args, **kwargs)

sqlite3.connect = copying
"""


@pytest.mark.parametrize(
    ("killed", "then"),
    [("backup", ["backup"]), ("backup", ["doctor"]), ("upgrade", ["list"])],
)
def test_killed_during_a_backup(runner, db_path, killed, then):
    if killed == "backup":
        with Store.open(db_path) as store:
            store.create_campaign(full_campaign())
        run = f'from planner.cli.main import main\nmain(["--db", {str(db_path)!r}, "backup"])'
    else:  # the copy made before a schema upgrade
        as_first_released(db_path)
        run = f"from planner.store import Store\nStore.open({str(db_path)!r})"
    process = start(PAUSE_COPY + run)
    try:
        reach(process, "inside")
        (unfinished,) = db_path.parent.glob(".planner.db.*.bak.*.tmp")
        assert unfinished.stat().st_size > 0, "SQLite has written the copy"
        assert unfinished.stat().st_mode & 0o777 == 0o600, "readable by its owner only"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert unfinished.exists()
    assert not list(db_path.parent.glob("*.bak")), "no copy was finished"
    result = runner.invoke(main, ["--db", str(db_path), *then])
    assert result.exit_code == 0, result.output
    assert not list(db_path.parent.glob(".*")), "the unfinished copy is removed"
    if then == ["doctor"]:
        assert (
            f"Leftovers: removed 1 unfinished copy file of a backup that was stopped "
            f"({unfinished.name})." in result.output.splitlines()
        )
    else:
        assert len(list(db_path.parent.glob("*.bak"))) == 1, "the next copy is made"
    assert whole(db_path)
