"""``planner delete ID``, ``planner trash [--json] [--empty [--yes]]`` and ``planner undelete
ID`` (issue 28): a campaign moved to the trash leaves every list and refuses every change, comes
back whole, and is deleted for good only when the trash is emptied, after asking."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from factories import full_campaign

from planner.domain.models import Cost, Result
from planner.store import Store


@pytest.fixture
def two(db_path) -> tuple[int, int]:
    """full_campaign with a cost and a result, and a second campaign."""
    with Store.open(db_path) as store:
        first = store.create_campaign(full_campaign())
        store.add_entry(first, Cost(date=dt.date(2027, 3, 2), amount_minor=5000, channel="email"))
        store.add_entry(first, Result(measure="Screening rate", date="2027-03-30", value=44.5))
        second = store.create_campaign(full_campaign().model_copy(update={"name": "Other"}))
    return first, second


def whole(cli, campaign_id: int) -> dict:
    """The campaign as ``show --json`` gives it, but for its version (a move counts)."""
    shown = json.loads(cli("show", str(campaign_id), "--json").output)
    shown.pop("version")
    return shown


def test_a_deleted_campaign_leaves_the_lists_refuses_changes_and_comes_back_whole(
    tracking_cli, two, db_path
):
    first, second = two
    before = whole(tracking_cli, first)
    with Store.open(db_path) as store:
        costs, results = store.count_entries(first)
    assert costs >= 1 and results >= 1
    said = tracking_cli("delete", str(first)).output
    assert said.startswith(f"Moved campaign {first} “{before['name']}” to the trash;")
    assert f"undelete {first}' brings it back" in said

    listed = json.loads(tracking_cli("list", "--all", "--json").output)
    assert [c["id"] for c in listed] == [second]
    refused = tracking_cli("show", str(first), code=2).output
    assert f"Campaign {first} is in the trash;" in refused and "Traceback" not in refused
    tracking_cli("costs", "add", str(first), "--amount", "9", "--date", "2027-03-03", code=2)

    trashed = json.loads(tracking_cli("trash", "--json").output)
    assert trashed == [
        {
            "id": first,
            "name": before["name"],
            "practice": before["practice"],
            "status": before["status"],
            "deleted_at": trashed[0]["deleted_at"],
            "costs": costs,
            "results": results,
        }
    ]
    dt.datetime.fromisoformat(trashed[0]["deleted_at"])
    assert before["name"] in tracking_cli("trash").output

    assert tracking_cli("undelete", str(first)).output.startswith(
        f"Brought campaign {first} “{before['name']}” back from the trash."
    )
    assert whole(tracking_cli, first) == before  # its plan, its cost and its result
    assert json.loads(tracking_cli("trash", "--json").output) == []
    assert "is not in the trash" in tracking_cli("undelete", str(first), code=2).output
    assert "There is no campaign 99" in tracking_cli("undelete", "99", code=2).output


def test_emptying_the_trash_asks_first_and_deletes_for_good(
    tracking_cli, two, db_path, monkeypatch
):
    first, second = two
    tracking_cli("delete", str(first))
    # a script with no terminal is not asked: it is told to add --yes, and nothing goes
    said = tracking_cli("trash", "--empty", code=2).output
    assert "nothing was deleted" in said and "--yes" in said
    monkeypatch.setattr("planner.cli.trash._can_ask", lambda: True)
    result = tracking_cli("trash", "--empty", input="n\n")
    assert "Delete 1 campaign in the trash for good" in result.output
    assert "Nothing was deleted." in result.output
    assert len(json.loads(tracking_cli("trash", "--json").output)) == 1

    result = tracking_cli("trash", "--empty", input="y\n")
    assert "Deleted 1 campaign from the trash for good." in result.output
    assert json.loads(tracking_cli("trash", "--json").output) == []
    assert "There is no campaign" in tracking_cli("undelete", str(first), code=2).output
    with sqlite3.connect(db_path) as conn:  # nothing of it is left, the other is untouched
        for table in ("costs", "results", "segments", "measures", "cost_totals"):
            rows = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE campaign_id = ?", [first])
            assert rows.fetchone()[0] == 0, table
    assert [c["id"] for c in json.loads(tracking_cli("list", "--json").output)] == [second]
    assert tracking_cli("trash", "--empty", "--yes").output.startswith("The trash is empty")
    assert "--yes goes with --empty" in tracking_cli("trash", "--yes", code=2).output


def test_a_stale_delete_is_refused_and_a_trashed_campaign_cannot_be_written(db_path, two):
    first, _ = two
    with Store.open(db_path) as store:
        version = store.campaign_version(first)
        store.update_campaign(first, {"name": "Moved on"}, expected_version=version)
        with pytest.raises(Exception, match="changed elsewhere"):
            store.delete_campaign(first, expected_version=version)
        store.delete_campaign(first)
        with pytest.raises(Exception, match="is in the trash"):
            store.update_campaign(first, {"name": "Again"}, expected_version=None)
        with pytest.raises(Exception, match="is in the trash"):
            store.tracking_version(first)
        assert store.count_campaigns() == 1
        store.undelete_campaign(first)
        assert store.get_campaign(first).name == "Moved on"
