"""``planner copy ID NAME [--practice P] [--start DATE] [--db OTHER.db]`` (issue 28, and issue
27's lessons carried to the next campaign): the plan copied, every date moved by the same
days, without what belongs to the campaign that ran."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from factories import full_campaign

from planner.domain.models import Cost, Result
from planner.store import Store


@pytest.fixture
def source(db_path) -> int:
    """full_campaign (1 March to 30 June 2027) with a cost, a result, a sign-off, and its
    end-of-campaign review written."""
    with Store.open(db_path) as store:
        campaign = full_campaign().model_copy(
            update={
                "what_worked": "Texts on Saturday mornings",
                "next_time": "Book the hall in January",
            }
        )
        cid = store.create_campaign(campaign)
        store.add_entry(cid, Cost(date=dt.date(2027, 3, 2), amount_minor=5000, channel="email"))
        store.add_entry(cid, Result(measure="Screening rate", date="2027-03-30", value=44.5))
        return cid


def plan(campaign) -> dict:
    """The plan as a copy keeps it: without what belongs to the campaign that ran."""
    data = campaign.model_dump(mode="json")
    for field in ("costs", "results", "reviews", "disabled_rules", "finding_decisions"):
        data.pop(field)
    return data


def test_a_copy_a_year_on_equals_the_original_but_for_its_dates(tracking_cli, db_path, source):
    out = tracking_cli("copy", "1", "Screening 2028", "--start", "2028-03-01")
    assert out.stdout == "2\n"
    assert "Copied 'Spring screening drive' as 'Screening 2028' (campaign 2)" in out.stderr
    with Store.open(db_path) as store:
        original, copy = store.get_campaign(1), store.get_campaign(2)
    assert (copy.start_date, copy.end_date) == (dt.date(2028, 3, 1), dt.date(2028, 6, 30))
    shift = dt.date(2028, 3, 1) - dt.date(2027, 3, 1)  # 366 days: 2028 is a leap year
    for a, b in zip(original.activities, copy.activities, strict=True):
        assert b.start_date == (a.start_date + shift if a.start_date else None)
        assert b.end_date == (a.end_date + shift if a.end_date else None)
    assert (copy.costs, copy.results, copy.reviews) == ([], [], [])
    assert copy.status.value == "draft"
    expected = plan(original)
    got = plan(copy)
    for data in (expected, got):
        for field in ("name", "start_date", "end_date", "status", "earlier_lessons"):
            data.pop(field)
        for field in ("what_worked", "what_did_not_work", "next_time"):
            data.pop(field)
        for activity in data["activities"]:
            activity.pop("start_date"), activity.pop("end_date")
    assert got == expected


def test_the_copy_carries_the_lessons_to_read_and_starts_its_own_review_empty(tracking_cli, source):
    tracking_cli("copy", "1", "Screening 2028")
    lessons = json.loads(tracking_cli("lessons", "2", "--json").stdout)
    assert (lessons["what_worked"], lessons["next_time"]) == ("", "")
    assert lessons["earlier_lessons"] == (
        "From 'Spring screening drive':\nWhat worked: Texts on Saturday mornings\n"
        "Decisions for next time: Book the hall in January"
    )
    assert "Lessons from before" in tracking_cli("lessons", "2").stdout
    brief = tracking_cli("brief", "2").stdout
    assert "### Lessons from before" in brief and "Book the hall in January" in brief
    # a copy of the copy, which has written nothing yet, carries the same lessons on
    tracking_cli("copy", "2", "Screening 2029")
    again = json.loads(tracking_cli("lessons", "3", "--json").stdout)
    assert again["earlier_lessons"] == lessons["earlier_lessons"]


def test_a_copy_for_another_client_in_another_file(tracking_cli, source, tmp_path):
    client = tmp_path / "alder.db"
    out = tracking_cli("copy", "1", "Alder screening", "--practice", "Alder Street Clinic",
                       "--db", str(client))  # fmt: skip
    assert out.stdout == "1\n" and f"(campaign 1 in {client})" in out.stderr
    with Store.open(client) as store:
        copy = store.get_campaign(1)
    assert (copy.name, copy.practice) == ("Alder screening", "Alder Street Clinic")
    listed = json.loads(tracking_cli("list", "--json").stdout)
    assert [c["name"] for c in listed] == ["Spring screening drive"]  # the source file: as it was


def test_a_copy_into_a_client_s_own_file_takes_the_client_s_details_along(
    tracking_cli, source, tmp_path
):
    """The practice's details (planner client) go with its campaign into a file that keeps
    none of that practice, and its briefs there show them; a file's own details stay."""
    tracking_cli("client", "Riverside Family Medicine", "--address", "4 River Road, Verona",
                 "--prepared-by", "Rossi Consulting", "--colour", "#8b1f4a")  # fmt: skip
    theirs = tmp_path / "riverside.db"
    tracking_cli("copy", "1", "Screening 2028", "--db", str(theirs))
    with Store.open(theirs) as store:
        kept = store.get_client("riverside family medicine")
    assert kept is not None
    assert (kept.address, kept.prepared_by, kept.colour) == (
        "4 River Road, Verona",
        "Rossi Consulting",
        "#8b1f4a",
    )
    brief = tracking_cli("--db", str(theirs), "brief", "1", "--language", "en").stdout
    assert "**Address:** 4 River Road, Verona" in brief
    # the other file's own details are its own: a second copy does not overwrite them
    tracking_cli("--db", str(theirs), "client", "Riverside Family Medicine", "--address",
                 "5 River Road, Verona")  # fmt: skip
    tracking_cli("copy", "1", "Screening 2029", "--db", str(theirs))
    with Store.open(theirs) as store:
        assert store.get_client("Riverside Family Medicine").address == "5 River Road, Verona"
        assert len(store.list_campaigns()) == 2
    # a copy for another practice takes none of this one's details
    other = tmp_path / "alder.db"
    tracking_cli("copy", "1", "X", "--practice", "Alder Street Clinic", "--db", str(other))
    listed = json.loads(tracking_cli("--db", str(other), "clients", "--json").stdout)
    assert [(c["name"], c["details"]) for c in listed] == [("Alder Street Clinic", False)]


def test_what_cannot_be_copied_is_said_in_a_sentence(tracking_cli, db_path, source, tmp_path):
    assert "Give the copy a name" in tracking_cli("copy", "1", " ", code=2).output
    assert (
        "not a day of the calendar"
        in tracking_cli("copy", "1", "X", "--start", "2028-02-30", code=2).output
    )
    assert "There is no campaign 7" in tracking_cli("copy", "7", "X", code=2).output
    assert "is a directory" in tracking_cli("copy", "1", "X", "--db", str(tmp_path), code=2).output
    with Store.open(db_path) as store:
        version = store.get_campaign(1).version
        store.update_campaign(1, {"start_date": None, "end_date": None}, expected_version=version)
    said = tracking_cli("copy", "1", "X", "--start", "2028-03-01", code=2).output
    assert "has no start date, so its dates cannot be moved" in said
    with Store.open(db_path) as store:
        assert [c.name for c in store.list_campaigns()] == ["Spring screening drive"]


def test_a_copy_that_cannot_be_made_is_a_sentence_not_a_traceback(tracking_cli, source):
    long = "x" * 201
    assert "at most 200 characters" in tracking_cli("copy", "1", long, code=2).output
    out = tracking_cli("copy", "1", "Far", "--start", "9999-12-01", code=2).output
    assert "would pass the year 9999" in out and "Traceback" not in out
    tracking_cli("lessons", "1", "--worked", "w" * 15_000, "--next-time", "n" * 15_000)
    tracking_cli("copy", "1", "Long lessons")
    lessons = json.loads(tracking_cli("lessons", "2", "--json").stdout)["earlier_lessons"]
    assert len(lessons) == 20_000 and lessons.endswith("…")


def test_a_campaign_with_an_expected_revenue_keeps_its_currency_s_decimals(tracking_cli, db_path):
    """Found by a code review: a currency with other decimals rescaled the expected revenue
    without a word (EUR 5,000.00 became JPY 500,000)."""
    with Store.open(db_path) as store:
        cid = store.create_campaign(full_campaign().model_copy(update={
            "budget": [], "activities": [], "costs": [], "expected_revenue_minor": 500_000,
        }))  # fmt: skip
        version = store.get_campaign(cid).version
        with pytest.raises(Exception, match="Amounts are already entered"):
            store.update_campaign(cid, {"currency": "JPY"}, expected_version=version)
