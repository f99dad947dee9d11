"""``planner starters save ID SLUG --title TEXT`` (issue 28): a campaign kept as a starter of
the user's own, in their data folder, listed by ``planner starters`` and used with ``--from``;
a campaign made from it for another practice names that practice, not the one it was made for."""

from __future__ import annotations

import json

import pytest
from factories import full_campaign

from planner.domain.models import Cost
from planner.store import Store


@pytest.fixture
def own_folder(tmp_path, monkeypatch):
    """The user's data folder, here."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "healthcare-campaign-planner" / "starters"


@pytest.fixture
def riverside(db_path) -> int:
    """full_campaign of Riverside Family Medicine, named in its texts too, with a cost."""
    with Store.open(db_path) as store:
        plan = full_campaign("Screening 2027")
        plan = plan.model_copy(
            update={"core_message": "Riverside Family Medicine books screening around your week."}
        )
        cid = store.create_campaign(plan)
        store.add_entry(cid, Cost(date="2027-03-02", amount_minor=5000, channel="email"))
    return cid


def test_a_campaign_kept_as_a_starter_makes_the_next_client_s_campaign(
    tracking_cli, riverside, own_folder
):
    said = tracking_cli(
        "starters", "save", str(riverside), "screening-plan", "--title", "Screening, our way"
    ).output
    assert said.startswith(f"Kept campaign {riverside} as the starter 'screening-plan' in ")
    assert (own_folder / "screening-plan.json").is_file()
    listed = tracking_cli("starters").output.splitlines()
    assert any(
        line.startswith("screening-plan") and "Screening, our way  (yours)" in line
        for line in listed
    )
    assert any(line.startswith("flu-vaccination") for line in listed)  # the shipped ones too

    made = tracking_cli(
        "new",
        "Screening at Alder",
        "--from",
        "screening-plan",
        "--practice",
        "Alder Street Clinic",
        "--start",
        "2028-03-01",
    ).output
    new_id = int(made.split()[0])
    shown = json.loads(tracking_cli("show", str(new_id), "--json").output)
    assert shown["practice"] == "Alder Street Clinic"
    assert shown["core_message"] == "Alder Street Clinic books screening around your week."
    assert shown["start_date"] == "2028-03-01"
    assert "Riverside Family Medicine" not in json.dumps(shown)
    assert tracking_cli("costs", "list", str(new_id), "--json").output.strip() == "[]"
    assert shown["reviews"] == []  # the sign-off stays with the campaign that had it
    brief = tracking_cli("brief", str(new_id)).output
    assert "Riverside Family Medicine" not in brief and "Alder Street Clinic" in brief


def test_a_starter_s_name_is_checked_and_a_kept_one_replaced_only_with_force(
    tracking_cli, riverside, own_folder
):
    save = ("starters", "save", str(riverside))
    said = tracking_cli(*save, "flu-vaccination", "--title", "Mine", code=2).output
    assert "'flu-vaccination' is a starter the planner ships" in said
    said = tracking_cli(*save, "Our Plan", "--title", "Mine", code=2).output
    assert "small letters, digits and hyphens" in said
    assert "needs a title" in tracking_cli(*save, "ours", "--title", "  ", code=2).output
    assert not own_folder.exists() or not any(own_folder.iterdir())  # nothing was written
    tracking_cli(*save, "ours", "--title", "First")
    assert "--force" in tracking_cli(*save, "ours", "--title", "Second", code=2).output
    tracking_cli(*save, "ours", "--title", "Second", "--force")
    assert "Second  (yours)" in tracking_cli("starters").output


def test_a_kept_starter_takes_the_next_client_s_address_and_phone(
    tracking_cli, db_path, own_folder
):
    """The campaign's own address and phone, given as its texts write them, become the
    starter's placeholders: the next client's campaign gives the next client's."""
    with Store.open(db_path) as store:
        plan = full_campaign("Screening 2027").model_copy(
            update={"core_message": "Call 0113 496 0555 or visit 12 Elm Row, Leeds."}
        )
        cid = store.create_campaign(plan)
    save = ("starters", "save", str(cid), "elm-screening", "--title", "Screening")
    said = tracking_cli(*save, "--phone", "0999", code=2).output
    assert "do not give '0999' (--phone); nothing was kept" in said
    tracking_cli(*save, "--phone", "0113 496 0555", "--address", "12 Elm Row, Leeds")
    made = tracking_cli(
        "new",
        "For Oak",
        "--from",
        "elm-screening",
        "--practice",
        "Oak Surgery",
        "--phone",
        "0161 496 0777",
        "--address",
        "3 Oak Lane, Bury",
    ).output.split()[0]
    shown = json.loads(tracking_cli("show", made, "--json").output)
    assert shown["core_message"] == "Call 0161 496 0777 or visit 3 Oak Lane, Bury."
    # made again without details, it gives the sample's as kept
    again = tracking_cli("new", "As kept", "--from", "elm-screening").output.split()[0]
    kept = json.loads(tracking_cli("show", again, "--json").output)
    assert kept["core_message"] == "Call 0113 496 0555 or visit 12 Elm Row, Leeds."


def test_a_detail_the_starter_has_no_place_for_is_said_not_dropped(tracking_cli):
    result = tracking_cli(
        "new", "Screening", "--from", "breast-screening", "--website", "oak.example"
    )
    assert (
        "The starter 'breast-screening' gives no website in its texts; --website was not used."
        in result.output
    )
