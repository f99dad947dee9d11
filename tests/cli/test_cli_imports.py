"""The import commands: preview, import, list, undo, saved mappings, and a killed import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import import_campaign

from planner.cli.main import main
from planner.domain.models import Cost
from planner.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture(autouse=True)
def _files_dated_in_the_past(monkeypatch):
    """The files' rows are dated in 2027: they are imported as of the end of that year (rows
    dated after today are left out; tests/screens/test_future_dates.py shows that)."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "planner.db"
    with Store.open(path) as store:
        store.create_campaign(import_campaign())
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def costs(db: Path) -> list[Cost]:
    with Store.open(db) as store:
        return list(store.iter_entries(1, Cost))


def test_dry_run_shows_the_reading_and_writes_nothing(db):
    result = run(db, "import", "costs", 1, FIXTURES / "google_ads_campaigns.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Google Ads campaign report (detected), UTF-8, comma-separated." in result.output
    assert "date <- the report's dates, 2027-03-01 to 2027-03-31" in result.output
    assert "2027-03-01..2027-03-31  987.30" in result.output
    assert (
        "Would import 3 costs totalling USD 1,344.82 from 4 rows; dated 2027-03-01 to "
        "2027-03-31; 1 row with nothing spent; 4 totals rows left out." in result.output
    )
    assert costs(db) == []


def test_a_row_with_no_start_when_only_the_start_is_mapped_is_named_not_a_traceback(db, tmp_path):
    path = tmp_path / "periods.csv"
    path.write_text("Start,Amount\n2027-01-05,100\n,50\n", encoding="utf-8")
    result = run(db, "import", "costs", 1, path, "--map", "start=Start", "--map", "amount=Amount")
    assert result.exit_code == 0, result.output
    assert "Cannot read line 3, Start: there is no date" in result.output
    assert [c.amount_minor for c in costs(db)] == [10000]


def test_the_format_can_be_chosen_instead_of_detected(db):
    path = FIXTURES / "google_ads_daily_excel.csv"
    result = run(db, "import", "costs", 1, path, "--format", "generic", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Spreadsheet (columns mapped by you), UTF-16, tab-separated." in result.output
    assert "(detected)" not in result.output
    assert "Would import 4 costs totalling USD 105.70" in result.output
    assert "Google Ads" not in result.output.split("ACTIVITY")[1]  # no vendor or note filled in


def test_import_then_list_then_undo(db):
    path = FIXTURES / "generic_costs_problems.csv"
    result = run(db, "import", "costs", 1, path, "--skip-unreadable")
    assert result.exit_code == 0, result.output
    assert "Cannot read line 4, Amount 'TBD': 'TBD' is not a number." in result.stderr
    assert "Import 1: 2 costs totalling USD 1,309.50 from 6 rows" in result.stdout
    assert f"4 rows cannot be read. Undo it with 'planner --db {db} import undo 1'." in (
        result.stdout
    )
    assert sorted(c.amount_minor for c in costs(db)) == [5900, 125050]

    listed = run(db, "imports", 1, "--json")
    (record,) = json.loads(listed.output)
    assert record["entries"] == 2 and record["skipped"] == 4 and record["total_minor"] == 130950
    assert record["format"] == "generic" and record["undone_at"] is None
    assert "generic_costs_problems.csv  2      USD 1,309.50" in run(db, "imports", 1).output

    again = run(db, "import", "costs", 1, FIXTURES / "generic_costs_problems.csv")
    assert again.exit_code == 2
    assert "already imported into this campaign" in again.stderr
    assert "Traceback" not in again.output
    forced = run(db, "import", "costs", 1, path, "--force", "--skip-unreadable")
    assert forced.exit_code == 0 and "Import 2:" in forced.stdout
    assert run(db, "import", "undo", 2).exit_code == 0

    undone = run(db, "import", "undo", 1)
    assert undone.output == "Undid import 1 ('generic_costs_problems.csv'): removed 2 costs.\n"
    assert costs(db) == []
    assert "undone" in run(db, "imports", 1).output
    twice = run(db, "import", "undo", 1)
    assert twice.exit_code == 2 and "already undone" in twice.stderr
    missing = run(db, "import", "undo", 99)
    assert missing.exit_code == 2 and "There is no import 99" in missing.stderr


def test_a_mapping_is_set_once_saved_and_reused(db, tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Paid on;What;How much\n03/09/2027;Flyers;1.250,50\n25/09/2027;Ads;99,00\n")
    first = run(
        db, "import", "costs", 1, ledger,
        "--map", "date=Paid on", "--map", "amount=How much", "--map", "note=What",
        "--map", "channel=print_mail", "--save-mapping", "My ledger",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "Saved the mapping as 'My ledger'" in first.output
    assert [(c.date.isoformat(), c.amount_minor, c.channel.value) for c in costs(db)] == [
        ("2027-09-03", 125050, "print_mail"),  # day first, learned from 25/09/2027
        ("2027-09-25", 9900, "print_mail"),
    ]
    october = tmp_path / "october.csv"
    october.write_text("Paid on;What;How much\n01/10/2027;Posters;80,00\n")
    second = run(db, "import", "costs", 1, october, "--mapping", "my ledger")
    assert second.exit_code == 0, second.output
    assert costs(db)[-1].date.isoformat() == "2027-10-01"  # still day first
    assert "My ledger  costs  generic" in run(db, "import", "mappings").output
    wrong = run(db, "import", "results", 1, october, "--mapping", "My ledger")
    assert wrong.exit_code == 2 and "reads costs, not results" in wrong.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["costs", 1, "../patient/patient_list.csv"], "looks like patient-level data"),
        (["costs", 1, "google_ads_eur.csv"], "in EUR, but this campaign keeps its money in USD"),
        (["costs", 1, "mailchimp_campaigns.csv"], "holds figures, not costs"),
        (["results", 1, "hcahps_hospitals.csv"], "Facility ID=010001"),
        (["costs", 1, "missing.csv"], "There is no file at"),
        (["costs", 1, "google_ads_campaigns.csv", "--map", "amount"], "should be FIELD=COLUMN"),
        (["costs", 1, "google_ads_campaigns.csv", "--map", "price=Cost"], "not a field of a cost"),
        (["costs", 9, "google_ads_campaigns.csv"], "There is no campaign 9"),
    ],
)
def test_user_errors_are_one_sentence_and_write_nothing(db, args, message):
    args[2] = FIXTURES / args[2]
    result = run(db, "import", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert costs(db) == []


def test_results_from_hcahps_of_one_hospital(db):
    result = run(
        db, "import", "results", 1, FIXTURES / "hcahps_hospitals.csv",
        "--where", "Facility ID=010001",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "HCAHPS star rating <- H_STAR_RATING" in result.output
    assert "Import 1: 2 results from 4 rows" in result.output


@pytest.mark.slow
def test_a_killed_import_leaves_the_database_as_it_was(db, tmp_path):
    with Store.open(db) as store:
        store.add_entry(1, Cost(date="2027-03-01", amount_minor=1234))
    big = tmp_path / "big.csv"
    with big.open("w") as out:
        out.write("Date,Vendor,Amount\n")
        for i in range(600_000):
            out.write(f"2027-03-{i % 28 + 1:02d},Vendor {i % 50},{i % 997}.{i % 100:02d}\n")
    wal = Path(f"{db}-wal")
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "--db", str(db), "import", "costs", "1", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 120
    while not (wal.exists() and wal.stat().st_size > 1_000_000):
        assert process.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*), SUM(amount_minor) FROM costs").fetchone() == (1, 1234)
    assert conn.execute("SELECT COUNT(*) FROM imports").fetchone()[0] == 0
    assert conn.execute("SELECT SUM(amount_minor) FROM cost_days").fetchone()[0] == 1234
    triggers = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")
    assert triggers.fetchone()[0] == 9  # the running totals' triggers are all there
    conn.close()
    with Store.open(db) as store:
        store.add_entry(1, Cost(date="2027-03-02", amount_minor=100))
        _, data = store.tracking_data(1)
        assert sum(s.amount_minor for s in data.spend) == 1334
