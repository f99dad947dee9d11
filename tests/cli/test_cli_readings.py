"""Reading grades without the pronouncing dictionary: a message's counts are stored when it is
saved (a campaign created from a starter or imported, a message saved in the planner), and a
brief or a lint in a fresh process reads them back instead of loading the dictionary (about a
second) — with the same figures. Text whose counts are not stored is counted anew, once."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest
from helpers import read_only

from planner.plan import readability
from planner.plan.editing import CampaignEditor
from planner.store import Store


def planner(db, *args: str, code: int | None = 0) -> tuple[str, bool]:
    """Run a planner command in a fresh process, as a user types it: what it printed, and
    whether it loaded the pronouncing dictionary (textstat)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planner", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert code is None or done.returncode == code, done.stderr[-2000:]
    imported = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    said = "\n".join(line for line in done.stderr.splitlines() if line not in imported)
    return done.stdout + said, any(line.endswith(" textstat") for line in imported)


def stored(db) -> int:
    with Store.open(db) as store:
        return store.db.execute("SELECT COUNT(*) FROM text_readings").fetchone()[0]


def forget_counts(db) -> None:
    """The database as an older planner left it: no counts stored."""
    with Store.open(db) as store, store.db.conn:
        store.db.execute("DELETE FROM text_readings")


@pytest.fixture
def campaign(tmp_path):
    db = tmp_path / "planner.db"
    planner(db, "new", "Flu 2027", "--from", "flu-vaccination")
    return db


def test_a_new_campaigns_brief_and_lint_read_the_stored_counts(campaign, tmp_path):
    assert stored(campaign) >= 4  # one for each message variant of the starter
    html = ["--format", "html", "-o"]
    out, loaded = planner(campaign, "brief", "1", *html, str(tmp_path / "a.html"))
    assert "Wrote the HTML brief" in out and not loaded
    lint, loaded = planner(campaign, "lint", "1", code=0)
    assert "Campaign 1" in lint and not loaded
    # The same brief as one whose every count is worked out with the dictionary.
    forget_counts(campaign)
    _, loaded = planner(campaign, "brief", "1", *html, str(tmp_path / "b.html"))
    assert loaded
    assert (tmp_path / "a.html").read_text() == (tmp_path / "b.html").read_text()
    # the starter's messages are English, read on their scale in the Italian practice's brief
    assert "Flesch-Kincaid (livello scolastico)" in (tmp_path / "a.html").read_text()


def test_counts_an_older_planner_did_not_store_are_counted_once(campaign, tmp_path):
    forget_counts(campaign)
    _, loaded = planner(campaign, "brief", "1", "-o", str(tmp_path / "a.md"))
    assert loaded and stored(campaign) >= 4  # counted, and kept for the next brief
    _, loaded = planner(campaign, "brief", "1", "-o", str(tmp_path / "b.md"), "--force")
    assert not loaded
    assert (tmp_path / "a.md").read_text() == (tmp_path / "b.md").read_text()


def test_a_message_saved_in_the_planner_keeps_the_counts_of_its_new_text(campaign, tmp_path):
    with Store.open(campaign) as store:
        editor = CampaignEditor(store, 1)
        variant = editor.campaign.messages[0]
        body = "Our nurses give the shot in five minutes, and you can walk in without a booking."
        editor.save(variant.model_copy(update={"body": body}))
    _, loaded = planner(campaign, "brief", "1", "-o", str(tmp_path / "a.md"))
    assert not loaded
    assert body in (tmp_path / "a.md").read_text()
    forget_counts(campaign)  # the same figures as the dictionary's
    _, loaded = planner(campaign, "brief", "1", "-o", str(tmp_path / "b.md"))
    assert loaded and (tmp_path / "a.md").read_text() == (tmp_path / "b.md").read_text()


def test_a_read_only_database_gives_its_brief_and_keeps_nothing(campaign, tmp_path):
    forget_counts(campaign)
    with read_only(campaign):
        _, loaded = planner(campaign, "brief", "1", "-o", str(tmp_path / "a.md"))
    assert loaded and "Flesch-Kincaid (livello scolastico)" in (tmp_path / "a.md").read_text()
    assert stored(campaign) == 0


def test_an_imported_campaign_brings_its_counts(campaign, tmp_path):
    exported = tmp_path / "flu.json"
    planner(campaign, "export", "1", "-o", str(exported))
    other = tmp_path / "other.db"
    planner(other, "import-campaign", str(exported))
    assert stored(other) >= 4
    _, loaded = planner(other, "brief", "1", "-o", str(tmp_path / "a.md"))
    assert not loaded


def test_the_counts_are_keyed_by_the_textstat_that_counted_them():
    # A newer textstat may count syllables otherwise: its counts must not be mistaken for these.
    installed = importlib.metadata.version("textstat")
    assert f"textstat {installed}" == readability._COUNTER


@pytest.mark.parametrize("command", [("show", "1"), ("lint", "1"), ("report", "1")])
def test_any_command_that_had_to_count_keeps_the_counts_for_the_next(campaign, command):
    """A campaign saved by an older planner (or imported from a file without counts): the
    first command that reads its grades counts them and keeps them, whichever it is, so that
    the next one, of any kind, loads no dictionary."""
    forget_counts(campaign)
    first, loaded = planner(campaign, *command, code=None)
    if command[0] == "report":  # a report gives no reading grade: nothing to count
        assert not loaded and stored(campaign) == 0
        return
    assert loaded and stored(campaign) >= 4
    again, loaded = planner(campaign, *command, code=None)
    assert not loaded and again == first
    _, loaded = planner(campaign, "show", "1")
    assert not loaded


def test_a_command_that_had_to_count_while_another_program_writes_still_shows(campaign):
    """The counts kept at a command's end only help: while another program holds the write
    lock, ``show`` prints what it always prints and keeps none; the next one, once the lock
    is let go, keeps them."""
    forget_counts(campaign)
    shown, _ = planner(campaign, "show", "1")
    forget_counts(campaign)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"conn = sqlite3.connect({str(campaign)!r}, isolation_level=None)\n"
            "conn.execute('BEGIN IMMEDIATE')\n"
            "print('holding', flush=True)\n"
            "sys.stdin.readline()\n"
            "conn.execute('ROLLBACK')\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        again, loaded = planner(campaign, "show", "1")
        assert loaded and again == shown
    finally:
        holder.communicate("\n", timeout=30)
    assert stored(campaign) == 0
    _, loaded = planner(campaign, "show", "1")
    assert loaded and stored(campaign) >= 4
