"""The count of campaigns needing attention, worked out in a process of its own for the home
screen's caption (``python -m planner.tracking.attention``)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from planner.domain.models import Campaign, Cost
from planner.store import Store

TODAY = "2027-01-31"


def count(db, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner.tracking.attention", str(db), "--today", TODAY, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_counts_the_campaigns_with_a_warning_while_the_planner_has_the_file_open(db_path):
    with Store.open(db_path) as store:  # held open, as the planner does
        for n in range(7):
            cid = store.create_campaign(Campaign(name=f"Campaign {n}", currency="USD"))
            if n < 3:  # spending without a budget
                store.add_entry(cid, Cost(date=dt.date(2027, 1, 5), amount_minor=5000))
        store.set_archived(cid, True)  # an archived one is listed with --archived, not counted
        store.add_entry(cid, Cost(date=dt.date(2027, 1, 5), amount_minor=5000))
        done = count(db_path)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {"attention": 3, "campaigns": 6}
        done = count(db_path, "--archived")
        assert json.loads(done.stdout) == {"attention": 3, "campaigns": 7}


def test_a_missing_database_is_one_sentence_and_no_file_is_made(tmp_path):
    missing = tmp_path / "gone.db"
    done = count(missing)
    assert done.returncode == 2
    assert done.stderr.strip() == f"There is no database '{missing}'."
    assert list(tmp_path.iterdir()) == []
