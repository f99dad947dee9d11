"""``planner backup`` and ``planner doctor``: a consistent copy while another process writes,
and a health check in plain words that never changes the file."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from factories import as_first_released, as_if_from_a_newer_planner, full_campaign

from planner.cli import main
from planner.store import Store, backup_database


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
    tests = str(request.path.parent)
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
    assert "Last backup: none beside the database; make one with 'planner backup'." in lines
    assert lines[-1] == "Verdict: healthy."


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
        "Verdict: needs attention; nothing was changed. To recover, copy "
        f"{copy.name} over planner.db while the planner is closed (keep the damaged file aside)."
    )
    assert db_path.read_bytes() == bytes(data), "the doctor changed nothing"


def test_the_doctor_on_a_file_that_is_not_a_database(runner, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n")
    result = invoke(runner, notes, "doctor")
    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output
    assert "restore your newest copy of the file" in result.output
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
        f"Error: The database '{db_path}' is damaged; restore it from a backup copy."
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
        "that it stays as it was; nothing was saved."
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
        assert note.message.endswith("so nothing you change is saved.")
    app.store.close()
    assert sha256(backup) == before
