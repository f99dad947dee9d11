"""``planner backup`` and ``planner doctor``: a consistent copy while another process writes,
and a health check in plain words that never changes the file."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from factories import as_first_released, as_if_from_a_newer_planner, full_campaign
from helpers import printed_commands
from test_faults import hold, start

from planner.cli.database import resolve_db_path
from planner.cli.doctor import size_words
from planner.cli.main import main
from planner.store import Store, backup_database
from planner.store.schema import _migrations


def invoke(runner, db_path, *args):
    return runner.invoke(main, ["--db", str(db_path), *args])


def whole(path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_backup_is_a_private_checked_copy_the_doctor_then_lists(runner, db_path, campaign):
    with Store.open(db_path) as store:
        store.create_campaign(campaign)
    result = invoke(runner, db_path, "backup")
    assert result.exit_code == 0, result.output
    (copy,) = db_path.parent.glob("planner.db.backup-*.bak")
    assert f"to {copy}" in result.output
    assert copy.stat().st_mode & 0o077 == 0
    assert whole(copy)
    with Store.open(copy) as restored:
        (summary,) = restored.list_campaigns()
        assert restored.get_campaign(summary.id) == Store.open(db_path).get_campaign(summary.id)
    doctor = invoke(runner, db_path, "doctor")
    assert doctor.exit_code == 0, doctor.output
    assert f"Last backup: {copy.name}" in doctor.output and "(just now)" in doctor.output
    assert not list(db_path.parent.glob(".*.tmp")), "no temporary file left behind"


def test_a_backup_never_replaces_a_file_and_needs_a_database(runner, db_path, tmp_path):
    Store.open(db_path).close()
    taken = tmp_path / "taken.bak"
    taken.write_text("keep me")
    result = invoke(runner, db_path, "backup", "-o", str(taken))
    assert result.exit_code == 2 and "already exists" in result.output
    assert taken.read_text() == "keep me"
    missing = invoke(runner, tmp_path / "nowhere.db", "backup")
    assert missing.exit_code == 2 and "There is no database at" in missing.output
    assert not (tmp_path / "nowhere.db").exists()
    empty = invoke(runner, db_path, "backup", "-o", "")
    assert empty.exit_code == 2 and "-o needs" in empty.output


WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from factories import full_campaign
    from planner.store import Store

    with Store.open({db!r}) as store:
        print("ready", flush=True)
        n = 0
        stop = time.monotonic() + 20
        while time.monotonic() < stop:
            store.create_campaign(full_campaign(f"Campaign {{n}}"))
            n += 1
    """
)


@pytest.mark.slow
def test_a_backup_taken_while_another_process_writes_holds_whole_campaigns(
    runner, db_path, tmp_path, request
):
    Store.open(db_path).close()
    tests = str(request.path.parents[1])
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(tests=tests, db=str(db_path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        counts = []
        for n in range(3):
            copy = tmp_path / f"copy-{n}.bak"
            result = invoke(runner, db_path, "backup", "-o", str(copy))
            assert result.exit_code == 0, result.output
            assert whole(copy)
            with Store.open(copy) as restored:
                summaries = restored.list_campaigns()
                expected = full_campaign("x")
                for summary in summaries:  # each campaign whole, none half-written
                    saved = restored.get_campaign(summary.id)
                    assert len(saved.segments) == len(expected.segments)
                    assert len(saved.measures) == len(expected.measures)
                    assert len(saved.budget) == len(expected.budget)
                counts.append(len(summaries))
            time.sleep(0.3)
        assert writer.poll() is None, "the writer went on while the copies were taken"
        assert counts[0] > 0 and counts == sorted(counts) and counts[-1] > counts[0]
    finally:
        writer.kill()
        writer.wait()
    assert whole(db_path)


def test_the_doctor_reports_a_healthy_database(runner, db_path, campaign):
    with Store.open(db_path) as store:
        store.create_campaign(campaign)
        store.set_archived(store.create_campaign(full_campaign("Old")), True)
    result = invoke(runner, db_path, "doctor")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Database: {db_path.resolve()} (") and "KB)" in lines[0]
    assert "Integrity: the file is whole (SQLite's integrity check passed)." in lines
    assert "Links: every record points at records that exist." in lines
    assert any(line.startswith("Schema: up to date (") for line in lines)
    assert "Campaigns: 1, and 1 archived." in lines
    assert (
        f"Last backup: none beside the database; make one with 'planner --db {db_path} backup'."
        in lines
    )
    assert lines[-1] == "Verdict: healthy."
    assert beside(db_path) == ["planner.db"], "no -wal or -shm left beside a file only read"


def test_the_doctor_finds_damage_and_points_to_the_newest_backup(runner, db_path):
    with Store.open(db_path) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
    assert invoke(runner, db_path, "backup").exit_code == 0
    with Store.open(db_path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xff" * (4096 * 4)
    db_path.write_bytes(bytes(data))
    result = invoke(runner, db_path, "doctor")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (copy,) = db_path.parent.glob("planner.db.backup-*.bak")
    assert result.output.splitlines()[-1] == (
        "Verdict: needs attention; nothing in the database was changed. To recover, run "
        f"'planner --db {db_path} restore {copy}' (the damaged file is kept beside it)."
    )
    assert db_path.read_bytes() == bytes(data), "the doctor changed nothing"


def test_the_doctor_on_a_file_that_is_not_a_database(runner, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n")
    result = invoke(runner, notes, "doctor")
    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output
    assert (
        f"run 'planner --db {notes} restore BACKUP' with your newest copy of the file"
        in result.output
    )
    assert notes.read_text() == "shopping list\n"


def test_the_doctor_reads_older_and_newer_databases_without_changing_them(runner, db_path):
    Store.open(db_path).close()
    as_if_from_a_newer_planner(db_path)
    before = db_path.read_bytes()
    newer = invoke(runner, db_path, "doctor")
    assert newer.exit_code == 1
    assert "written by a newer planner (schema change 9999_future)" in newer.output
    assert db_path.read_bytes() == before

    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('9999_future', '0006_performance')")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    older = invoke(runner, db_path, "doctor")
    assert older.exit_code == 0, older.output
    assert "1 to come; the planner makes a backup beside the file" in older.output
    assert db_path.read_bytes() == before and not list(db_path.parent.glob("*.bak"))


# ---------------------------------------------------------------------------------------------
# A damaged file read: one sentence from every command


def damage(path, table: str) -> None:
    """Overwrite the first page of ``table`` in the closed file with garbage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("table", "command"),
    [
        ("costs", ["costs", "list", "1"]),
        ("costs", ["costs", "list", "1", "--json"]),
        ("results", ["results", "list", "1"]),
        ("results", ["results", "list", "1", "--json"]),
        ("cost_totals", ["report", "1"]),
        ("campaigns", ["list"]),
        ("campaigns", ["show", "1"]),
        ("measures", ["show", "1"]),
    ],
)
def test_reading_a_damaged_file_says_so_in_a_sentence(runner, db_path, table, command):
    with Store.open(db_path) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
    damage(db_path, table)
    result = invoke(runner, db_path, *command)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert result.output.splitlines()[-1].removeprefix("[") == (
        f"Error: The database '{db_path}' is damaged; run 'planner --db {db_path} doctor', which "
        "names a backup to restore and the command that restores it."
    )


# ---------------------------------------------------------------------------------------------
# A backup opened with --db is read, never changed


def sha256(path) -> str:
    """The backup's bytes, hashed with plain file I/O: no connection to it is open here."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_opened_with_db_is_not_changed(runner, db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign("Flu season 2027"))
    assert invoke(runner, db_path, "backup").exit_code == 0
    (backup,) = db_path.parent.glob("planner.db.backup-*.bak")
    before = sha256(backup)
    listed = invoke(runner, backup, "list")
    assert listed.exit_code == 0 and "Flu season 2027" in listed.output
    shown = invoke(runner, backup, "show", str(campaign_id))
    assert shown.exit_code == 0 and "Flu season 2027" in shown.output
    assert invoke(runner, backup, "list", "--json").exit_code == 0
    archived = invoke(runner, backup, "archive", str(campaign_id))
    assert archived.exit_code == 2
    assert archived.output.strip() == (
        f"Error: The database '{backup}' is a backup, which the planner opens read-only so "
        f"that it stays as it was; nothing was saved. To go back to it, run 'planner --db "
        f"{db_path} restore {backup}'."
    )
    missing = invoke(runner, db_path.with_name("none.bak"), "list")
    assert missing.exit_code == 2 and "There is no database at" in missing.output
    assert sha256(backup) == before
    assert not db_path.with_name("none.bak").exists(), "no database made with a backup's name"
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(backup.name)) == [
        backup.name
    ], "no -wal or -shm file beside the backup"


def test_a_backup_of_an_older_planner_is_not_upgraded_in_place(runner, tmp_path):
    older = tmp_path / "planner.db.0001_initial-20260101T000000Z.bak"
    as_first_released(older)
    before = sha256(older)
    result = invoke(runner, older, "list")
    assert result.exit_code == 2
    assert "is from an older planner and needs an upgrade to be opened, but the planner " in (
        result.output
    )
    # no database beside it to bring it back into: the user names one
    assert (
        f"run 'planner --db DATABASE restore {older}' with DATABASE the database to bring it "
        "back into" in result.output
    )
    assert sha256(older) == before and sorted(p.name for p in tmp_path.iterdir()) == [older.name]


async def test_the_planner_shows_a_backup_read_only(db_path):
    from screens.app import make_app

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    backup = db_path.with_name("planner.db.backup-20270101T000000Z.bak")
    backup_database(db_path, backup)
    before = sha256(backup)
    app = make_app(backup)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.title == "Healthcare Campaign Planner (read-only)"
        (note,) = app._notifications
        assert note.message.startswith(f"{backup} is a backup: you can look through it")
        assert f"run 'planner --db {db_path} restore {backup}'" in note.message
    app.store.close()
    assert sha256(backup) == before


# ---------------------------------------------------------------------------------------------
# planner restore


def names(path) -> list[str]:
    with Store.open(path) as store:
        return [s.name for s in store.list_campaigns(include_archived=True)]


def said(process: subprocess.Popen[str]) -> str:
    line = process.stdout.readline().strip()
    assert line, process.stderr.read() if process.poll() is not None else "no output"
    return line



@pytest.mark.slow
def test_restore_after_a_crash_left_a_wal_brings_back_exactly_the_backup(runner, db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    backup = db_path.with_name("before.bak")
    assert invoke(runner, db_path, "backup", "-o", str(backup)).exit_code == 0
    before = sha256(backup)
    writer = start(
        f"""
        from factories import full_campaign
        from planner.store import Store
        store = Store.open({str(db_path)!r})
        store.create_campaign(full_campaign("Written after the backup"))
        store.create_campaign(full_campaign("Also after"))
        print("written", flush=True)
        time.sleep(60)
        """
    )
    assert said(writer) == "written"
    writer.send_signal(signal.SIGKILL)  # a crash: its write-ahead log stays beside the file
    writer.wait()
    wal = db_path.with_name("planner.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    everything = ["Also after", "Flu season 2027", "Written after the backup"]
    reader = start(
        f"""
        from planner.store import Store
        store = Store.open({str(db_path)!r})
        for _ in range(2):
            print(sorted(s.name for s in store.list_campaigns()), flush=True)
            sys.stdin.readline()
        """
    )
    try:
        assert said(reader) == str(everything)
        result = invoke(runner, db_path, "restore", str(backup))
        assert result.exit_code == 0, result.output
        (kept,) = db_path.parent.glob("planner.db.before-restore-*.bak")
        assert result.output == (
            f"Restored {backup} (1 campaign) into {db_path}; the previous content is kept in "
            f"{kept}.\n"
        )
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert said(reader) == "['Flu season 2027']", "the open planner sees the restored file"
    finally:
        reader.kill()
        reader.wait()
    assert whole(db_path)
    assert names(db_path) == ["Flu season 2027"]
    with Store.open(db_path) as restored, Store.open(backup) as original:
        (summary,) = restored.list_campaigns()
        brought, was = restored.get_campaign(summary.id), original.get_campaign(summary.id)
        assert brought.version > was.version  # past every version the database had
        assert brought.model_copy(update={"version": was.version}) == was
    assert whole(kept), "what the crash had saved is kept, whole"
    assert sorted(names(kept)) == everything
    assert kept.stat().st_mode & 0o077 == 0
    assert sha256(backup) == before, "the backup itself is not changed"


def test_restore_by_the_name_the_doctor_gives_and_of_an_older_planner(runner, db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Now"))
    older = db_path.with_name("planner.db.0001_initial-20260101T000000Z.bak")
    as_first_released(older)
    with sqlite3.connect(older) as conn:
        conn.execute(
            "INSERT INTO campaigns (name, currency, created_at, updated_at) "
            "VALUES ('Back then', 'EUR', '2026-01-01', '2026-01-01')"
        )
    conn.close()
    result = invoke(runner, db_path, "restore", older.name)  # beside the database
    assert result.exit_code == 0, result.output
    assert f"Restored {older} (1 campaign, upgraded for this planner) into {db_path}" in (
        result.output
    )
    assert names(db_path) == ["Back then"]
    with Store.open(db_path) as store:
        assert store.schema_version() == _migrations()._migrations[-1].name
    (kept,) = db_path.parent.glob("planner.db.before-restore-*.bak")
    assert names(kept) == ["Now"]
    again = invoke(runner, db_path, "restore", str(kept))  # at once: a copy never replaces one
    assert again.exit_code == 0, again.output
    assert names(db_path) == ["Now"] and names(kept) == ["Now"]
    assert sorted(map(names, db_path.parent.glob("planner.db.before-restore-*"))) == [
        ["Back then"],
        ["Now"],
    ]


def test_restore_into_a_damaged_database_keeps_it_aside(runner, db_path):
    with Store.open(db_path) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
    assert invoke(runner, db_path, "backup").exit_code == 0
    (backup,) = db_path.parent.glob("planner.db.backup-*.bak")
    damage(db_path, "campaigns")
    assert invoke(runner, db_path, "doctor").exit_code == 1
    result = invoke(runner, db_path, "restore", str(backup))
    assert result.exit_code == 0, result.output
    (kept,) = db_path.parent.glob("planner.db.before-restore-*.damaged")
    assert "the damaged previous content is kept, as SQLite read it, in " in result.output
    assert kept.stat().st_size == db_path.stat().st_size and kept.stat().st_mode & 0o077 == 0
    assert whole(db_path) and len(names(db_path)) == 30
    doctor = invoke(runner, db_path, "doctor")
    assert doctor.exit_code == 0 and doctor.output.splitlines()[-1] == "Verdict: healthy."


def test_restore_into_a_missing_database_makes_it(runner, db_path, tmp_path):
    with Store.open(tmp_path / "elsewhere.db") as store:
        store.create_campaign(full_campaign("Kept safe"))
    backup = tmp_path / "kept.bak"
    assert invoke(runner, tmp_path / "elsewhere.db", "backup", "-o", str(backup)).exit_code == 0
    result = invoke(runner, db_path, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("; there was no database there before.\n")
    assert names(db_path) == ["Kept safe"] and db_path.stat().st_mode & 0o077 == 0


def _not_sqlite(path):
    path.write_text("shopping list\n")


def _damaged(path):
    made = path.with_suffix(".db")  # the planner makes no database with a backup's name
    with Store.open(made) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
    damage(made, "campaigns")
    made.rename(path)


def _newer(path):
    made = path.with_suffix(".db")
    Store.open(made).close()
    as_if_from_a_newer_planner(made)
    made.rename(path)


def _other_program(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (None, "There is no backup at '{backup}'; nothing was restored."),
        (_not_sqlite, "'{backup}' is not a SQLite database, so it is not a planner backup"),
        (_damaged, "The backup '{backup}' is damaged ("),
        (_newer, "was written by a newer planner (schema change 9999_future); upgrade"),
        (_other_program, "'{backup}' is not a planner backup (it holds no campaigns table)"),
    ],
)
def test_restore_refuses_a_backup_it_cannot_use(runner, db_path, tmp_path, make, sentence):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Current"))
    backup = tmp_path / "chosen.bak"
    if make is not None:
        make(backup)
    result = invoke(runner, db_path, "restore", str(backup))
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert sentence.format(backup=backup) in lines[0]
    assert "nothing was restored" in lines[0].lower()
    assert names(db_path) == ["Current"] and whole(db_path)
    assert not list(tmp_path.glob("planner.db.before-restore-*")), "no copy left behind"


@pytest.mark.slow
def test_restore_waits_for_a_database_held_by_another_process_then_says_so(
    runner, db_path, tmp_path
):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Current"))
    Store.open(backup := tmp_path / "empty.db").close()
    empty = tmp_path / "empty.bak"
    assert invoke(runner, backup, "backup", "-o", str(empty)).exit_code == 0
    holder = hold(db_path)
    try:
        result = invoke(runner, db_path, "restore", str(empty))
        assert result.exit_code == 2
        assert result.output.strip() == (
            f"Error: The database '{db_path}' stayed locked by another program for 5 "
            "seconds; nothing was restored. Try again."
        )
    finally:
        holder.communicate("go\n", timeout=10)
    assert names(db_path) == ["Current"] and whole(db_path)
    assert not list(tmp_path.glob("planner.db.before-restore-*")), "no copy left behind"


def test_restore_refuses_to_write_into_a_backup_or_another_programs_file(runner, tmp_path):
    _other_program(recipes := tmp_path / "recipes.db")
    Store.open(source := tmp_path / "planner.db").close()
    backup = tmp_path / "planner.bak"
    assert invoke(runner, source, "backup", "-o", str(backup)).exit_code == 0
    into_other = invoke(runner, recipes, "restore", str(backup))
    assert into_other.exit_code == 2
    assert "is a SQLite file of another program, not a planner database" in into_other.output
    into_backup = invoke(runner, backup, "restore", str(backup))
    assert into_backup.exit_code == 2 and "is a backup, which the planner never changes" in (
        into_backup.output
    )


def test_restore_of_a_backup_with_pages_of_another_size(runner, db_path, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.close()
    with Store.open(other) as store:
        store.create_campaign(full_campaign("Eight K pages"))
    backup = tmp_path / "other.bak"
    assert invoke(runner, other, "backup", "-o", str(backup)).exit_code == 0
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Four K pages"))
    result = invoke(runner, db_path, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert names(db_path) == ["Eight K pages"] and whole(db_path)
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# ---------------------------------------------------------------------------------------------
# The commands the planner prints act on the file they are about, run as printed


@pytest.fixture
def default_db(tmp_path, monkeypatch):
    """The user's default database (in a home folder of the test's own), holding a campaign
    of its own: a printed command that left out --db would act on it."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.delenv("PLANNER_DB", raising=False)
    path = resolve_db_path(None)
    assert path.is_relative_to(tmp_path / "home")
    with Store.open(path) as store:
        store.create_campaign(full_campaign("The default's own"))
    return path


def _damaged_copy_with_a_backup(runner, folder: Path, pages: slice | None = None) -> Path:
    """copy.db in ``folder`` with 30 campaigns and a backup beside it, then damaged."""
    folder.mkdir()
    copy = folder / "copy.db"
    with Store.open(copy) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
    assert invoke(runner, copy, "backup").exit_code == 0
    if pages is None:
        damage(copy, "campaigns")
    else:
        with Store.open(copy) as store:
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(copy.read_bytes())
        data[pages] = b"\xff" * (pages.stop - pages.start)
        copy.write_bytes(bytes(data))
    return copy


def run_as_printed(runner, argv: list[str]):
    """A printed command run as a user would type it: the words after 'planner' only."""
    assert argv[0] == "planner"
    return runner.invoke(main, argv[1:])


def _restored_there_only(copy: Path, default_db: Path) -> None:
    assert whole(copy) and len(names(copy)) == 30, "the damaged file got its backup back"
    assert names(default_db) == ["The default's own"], "the default database is untouched"
    assert sorted(p.name for p in default_db.parent.iterdir()) == ["planner.db"]


def test_the_restore_the_doctor_prints_for_a_db_file_restores_that_file(
    runner, tmp_path, default_db, monkeypatch
):
    copy = _damaged_copy_with_a_backup(runner, tmp_path / "my files")
    monkeypatch.chdir(tmp_path)
    doctor = runner.invoke(main, ["--db", "my files/copy.db", "doctor"])  # as typed, relative
    assert doctor.exit_code == 1
    (restore,) = printed_commands(doctor.output.splitlines()[-1])
    (backup,) = copy.parent.glob("copy.db.backup-*.bak")
    assert restore == ["planner", "--db", str(copy), "restore", str(backup)]
    assert f"--db '{copy}'" in doctor.output, "a path with a space is quoted for the shell"
    monkeypatch.chdir(tmp_path / "home")  # typed in another folder, too
    result = run_as_printed(runner, restore)
    assert result.exit_code == 0, result.output
    _restored_there_only(copy, default_db)


def test_the_doctor_named_when_a_db_file_cannot_be_opened_looks_at_that_file(
    runner, tmp_path, default_db, monkeypatch
):
    copy = _damaged_copy_with_a_backup(runner, tmp_path / "my files", slice(4096 * 2, 4096 * 6))
    listed = invoke(runner, copy, "list")
    assert listed.exit_code == 2
    assert "is damaged or is not a planner database" in listed.output
    (doctor_command,) = printed_commands(listed.output)
    monkeypatch.chdir(tmp_path / "home")
    doctor = run_as_printed(runner, doctor_command)
    assert doctor.exit_code == 1
    assert doctor.output.startswith(f"Database: {copy.resolve()} (")
    (restore,) = printed_commands(doctor.output.splitlines()[-1])
    result = run_as_printed(runner, restore)
    assert result.exit_code == 0, result.output
    _restored_there_only(copy, default_db)


# ---------------------------------------------------------------------------------------------
# A damaged file with no backup: said in a sentence, kept as it is, nothing left beside it


def beside(path: Path) -> list[str]:
    """The names of the files beside the database that begin with its name."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_a_damaged_file_with_no_backup_is_kept_as_it_is_not_sent_in_a_circle(runner, db_path):
    with Store.open(db_path) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    data[4096 * 10 : 4096 * 11] = b"\xff" * 4096  # a page of a table: the copy fails its check
    db_path.write_bytes(bytes(data))

    doctor = invoke(runner, db_path, "doctor")
    assert doctor.exit_code == 1
    assert "Last backup: none beside the database." in doctor.output.splitlines()
    as_is = f"'planner --db {db_path} backup --as-is'"
    assert doctor.output.splitlines()[-1].endswith(
        "; without one, the planner cannot mend the file: keep it as it is, unchecked, for "
        f"someone who knows SQLite to rescue what it holds, with {as_is}."
    )
    assert f"'planner --db {db_path} backup'" not in doctor.output, "no advice that fails"

    backup = invoke(runner, db_path, "backup")
    assert backup.exit_code == 2
    assert backup.output == (
        f"Error: The database '{db_path}' is damaged, so no checked backup of it can be made "
        f"and nothing was copied; to keep the file as it is (unchecked), run {as_is}.\n"
    )
    assert beside(db_path) == ["planner.db"], "no -wal or -shm beside a file only read"

    (command,) = printed_commands(backup.output)
    kept = run_as_printed(runner, command)
    assert kept.exit_code == 0, kept.output
    (copy,) = db_path.parent.glob("planner.db.as-is-*.unchecked")
    assert kept.output == (
        f"Copied {db_path} as SQLite reads it, unchecked, to {copy} "
        f"({copy.stat().st_size // 1024:,} KB); it may be as "
        "damaged as the file, so it is not offered as a backup to restore.\n"
    )
    assert copy.stat().st_mode & 0o077 == 0
    assert copy.read_bytes()[4096:] == db_path.read_bytes()[4096:] == bytes(data[4096:]), (
        "every page after the header's, as it is, and the file itself unchanged"
    )
    assert beside(db_path) == ["planner.db", copy.name]
    again = invoke(runner, db_path, "doctor")
    assert "Last backup: none beside the database." in again.output, "not offered to restore"
    assert beside(db_path) == ["planner.db", copy.name]


@pytest.mark.slow
def test_the_doctor_counts_what_waits_in_the_write_ahead_log(runner, db_path):
    Store.open(db_path).close()
    writer = start(
        f"""
        from factories import full_campaign
        from planner.store import Store
        store = Store.open({str(db_path)!r})
        for i in range(20):
            store.create_campaign(full_campaign(f"Campaign {{i}}"))
        print("written", flush=True)
        time.sleep(60)
        """
    )
    try:
        assert said(writer) == "written"
        wal = db_path.with_name("planner.db-wal")
        doctor = invoke(runner, db_path, "doctor")
        assert doctor.exit_code == 0, doctor.output
        assert wal.stat().st_size > db_path.stat().st_size, "more waits than is in the file"
        assert doctor.output.splitlines()[0] == (
            f"Database: {db_path.resolve()} ({size_words(db_path.stat().st_size)}, and up to "
            f"{size_words(wal.stat().st_size)} not yet written back from its write-ahead log)"
        )
        assert "Campaigns: 20." in doctor.output, "what the log holds is read and counted"
    finally:
        writer.kill()
        writer.wait()


def test_after_a_restore_the_doctor_offers_the_backup_not_the_copy_the_restore_kept(
    runner, db_path
):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Good"))
    assert invoke(runner, db_path, "backup").exit_code == 0
    (made,) = db_path.parent.glob("planner.db.backup-*.bak")
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Mistake"))
    assert invoke(runner, db_path, "restore", str(made)).exit_code == 0
    (kept,) = db_path.parent.glob("planner.db.before-restore-*.bak")
    assert kept.stat().st_mtime >= made.stat().st_mtime  # the newer copy, yet not the one
    said = invoke(runner, db_path, "doctor").output
    assert f"Last backup: {made.name}," in said
