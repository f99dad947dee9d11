"""The plan from the command line (issue 28): ``planner set`` for the campaign's own fields and
``planner segments|influencers|messages|activities|measures|budget list|add|edit|delete`` for
its items, typed as in the planner's forms and through the same checks."""

from __future__ import annotations

import json

import pytest

from planner.store import Store


@pytest.fixture
def flu(tracking_cli) -> str:
    """The Italian flu starter (numbers written 1.234,50), as campaign 1."""
    tracking_cli("new", "Flu 2027", "--from", "flu-vaccination")
    return "1"


def campaign(db_path):
    with Store.open(db_path) as store:
        return store.get_campaign(1)


def test_set_reads_each_field_as_the_form_does(tracking_cli, flu, db_path):
    said = tracking_cli("set", flu, "start-date", "2027-10-01").output
    assert said == "Campaign 1: start date 2027-09-01 → 2027-10-01 (version 2).\n"
    tracking_cli("set", flu, "staff_hours_per_month", "12,5")  # Italy's decimal comma
    tracking_cli("set", flu, "expected-revenue", "2.500")  # an amount, in euros
    tracking_cli("set", flu, "jurisdictions", "italy, EU")  # labels or codes, any case
    tracking_cli("set", flu, "objective", "Raise coverage to 75%.")
    said = tracking_cli("set", flu, "currency", "USD")
    assert "Its amounts are not converted: EUR figures now read as USD" in said.output
    c = campaign(db_path)
    assert c.currency == "USD"
    assert c.start_date.isoformat() == "2027-10-01"
    assert c.staff_hours_per_month == 12.5
    assert c.expected_revenue_minor == 250_000
    assert [j.value for j in c.jurisdictions] == ["IT", "EU"]
    assert c.objective == "Raise coverage to 75%."


def test_set_says_what_it_cannot_read_and_changes_nothing(tracking_cli, flu, db_path):
    before = campaign(db_path)
    said = tracking_cli("set", flu, "start_date", "31/02/2027", code=2).output
    assert "start date: '31/02/2027' is not a date; write it as YYYY-MM-DD" in said
    said = tracking_cli("set", flu, "expected-revenue", "-500", code=2).output  # not an option
    assert "expected revenue: '-500' is negative; amounts must be zero or more." in said
    said = tracking_cli("set", flu, "colour", "red", code=2).output
    assert "A campaign has no field 'colour' that 'planner set' changes" in said
    assert "start_date" in said and "planner segments add" in said
    said = tracking_cli("set", flu, "jurisdictions", "Narnia", code=2).output
    assert "'Narnia' is not one of the choices for jurisdictions: United States" in said
    tracking_cli("set", flu, "name", "Flu season", "--version", "1")  # still version 1: saved
    said = tracking_cli("set", flu, "name", "Late", "--version", "1", code=2).output
    assert "nothing was saved" in said
    after = campaign(db_path)
    assert after.name == "Flu season" and after.start_date == before.start_date


def test_segments_add_edit_list_and_delete_as_the_form_checks(tracking_cli, flu, db_path):
    said = tracking_cli(
        "segments", "add", flu, "Carers of older patients",
        "--age-min", "40", "--age-max", "80", "--preferred-channels", "SMS, email",
        "--eligible-pct", "35%",
    ).output  # fmt: skip
    assert said == "Added segment 'Carers of older patients' to campaign 1 (version 2).\n"
    said = tracking_cli(
        "segments", "add", flu, "Wrong", "--age-min", "90", "--age-max", "80", code=2
    ).output
    assert "The youngest age (90) is above the oldest age (80)" in said
    tracking_cli(
        "segments", "edit", flu, "carers of older patients",
        "--rename", "Carers", "--care-stage", "Preventive", "--age-max", "85",
    )  # fmt: skip
    listed = json.loads(tracking_cli("segments", "list", flu, "--json").output)
    carers = next(s for s in listed if s["name"] == "Carers")
    assert (carers["age_min"], carers["age_max"], carers["care_stage"]) == (40, 85, "preventive")
    assert carers["preferred_channels"] == ["sms", "email"] and carers["eligible_pct"] == 35
    assert "Wrong" not in [s["name"] for s in listed]
    assert "Carers" in tracking_cli("segments", "list", flu).output  # a table to read
    said = tracking_cli("segments", "edit", flu, "Nobody", "--age-min", "3", code=2).output
    assert "Campaign 1 has no segment called 'Nobody'" in said
    taken = campaign(db_path).segments[0].name
    said = tracking_cli("segments", "edit", flu, "Carers", "--rename", taken.upper(), code=2)
    assert f"Campaign 1 already has a segment called '{taken}'; choose another name." in said.output

    said = tracking_cli("segments", "delete", flu, "Carers").output
    assert "Deleted segment 'Carers' from campaign 1" in said and "planner undo 1" in said
    assert "Carers" not in [s.name for s in campaign(db_path).segments]
    tracking_cli("undo", flu)
    assert "Carers" in [s.name for s in campaign(db_path).segments]
    history = tracking_cli("history", flu).output
    assert "Segment 'Carers of older patients' added" in history  # each change is there
    assert "Segment 'Carers' deleted" in history and "(undo of #" in history


def test_measures_and_budget_lines_in_the_campaign_s_number_style(tracking_cli, db_path):
    tracking_cli("new", "Diabetes 2027", "--from", "diabetes-education")  # a US campaign
    tracking_cli(
        "measures", "add", "1", "Walk-in bookings",
        "--baseline", "10", "--target", "20", "--unit", "bookings a month",
    )  # fmt: skip
    tracking_cli("budget", "add", "1", "Posters", "--amount", "1,234.50", "--channel", "print_mail")
    tracking_cli(
        "measures",
        "add",
        "1",
        "No-shows",
        "--unit",
        "% of appointments",
        "--baseline",
        "12%",
        "--direction",
        "decrease",
    )
    tracking_cli("measures", "edit", "1", "no-shows", "--target", "8%")  # the measure's unit
    tracking_cli("activities", "add", "1", "Poster run", "--channel", "Print and direct mail",
                 "--start-date", "2027-05-01", "--health-data-audience", "no")  # fmt: skip
    c = campaign(db_path)
    walk_in = next(m for m in c.measures if m.name == "Walk-in bookings")
    assert (walk_in.baseline, walk_in.target, walk_in.unit) == (10, 20, "bookings a month")
    no_shows = next(m for m in c.measures if m.name == "No-shows")
    assert (no_shows.baseline, no_shows.target) == (12, 8)
    posters = next(b for b in c.budget if b.name == "Posters")
    assert (posters.amount_minor, posters.channel.value) == (123_450, "print_mail")
    run = next(a for a in c.activities if a.name == "Poster run")
    assert run.channel.value == "print_mail" and run.start_date.isoformat() == "2027-05-01"
    said = tracking_cli("budget", "add", "1", "Bad", "--amount", "1.234,50", code=2).output
    assert "amount: '1.234,50' is not how this campaign writes numbers" in said  # not guessed
    assert "Bad" not in [b.name for b in campaign(db_path).budget]


def test_claims_are_added_to_a_variant_with_their_evidence_and_deleted(tracking_cli, flu, db_path):
    variant = campaign(db_path).messages[0].name
    count = len(campaign(db_path).messages[0].claims)
    said = tracking_cli(
        "claims", "add", flu, variant.upper(), "Flu shots cut hospital stays",
        "--evidence", "Study", "--reference", "Cochrane review 2024",
    ).output  # fmt: skip
    assert f"Added a claim to message variant '{variant}'" in said
    listed = json.loads(tracking_cli("claims", "list", flu, "--json").output)
    added = next(c for c in listed if c["text"] == "Flu shots cut hospital stays")
    assert added == {
        "variant": variant,
        "text": "Flu shots cut hospital stays",
        "evidence_kind": "study",
        "evidence_reference": "Cochrane review 2024",
    }
    said = tracking_cli("claims", "add", flu, variant, "flu shots cut HOSPITAL stays", code=2)
    assert "already makes the claim" in said.output  # not twice
    said = tracking_cli("claims", "add", flu, variant, "X", "--evidence", "rumour", code=2).output
    assert "'rumour' is not one of the choices for evidence: Study, Outcome data" in said
    tracking_cli(
        "claims", "edit", flu, variant, "flu shots cut hospital stays",
        "--text", "Flu shots shorten hospital stays", "--evidence", "outcome data",
    )  # fmt: skip
    listed = json.loads(tracking_cli("claims", "list", flu, "--json").output)
    edited = next(c for c in listed if c["text"] == "Flu shots shorten hospital stays")
    assert (edited["evidence_kind"], edited["evidence_reference"]) == (
        "outcome_data",
        "Cochrane review 2024",  # what was not given stays
    )
    tracking_cli("claims", "delete", flu, variant, "flu shots shorten hospital stays")
    assert len(campaign(db_path).messages[0].claims) == count
    # the history says which claim each change added, changed or removed, by its words
    changes = [line.split("  ")[-1] for line in tracking_cli("history", flu).output.splitlines()]
    assert changes[-3:] == [
        "added 'Flu shots cut hospital stays'",
        "'Flu shots cut hospital stays' → 'Flu shots shorten hospital stays'",
        "removed 'Flu shots shorten hospital stays'",
    ]
    said = tracking_cli("claims", "delete", flu, variant, "Never said", code=2).output
    assert f"The message variant '{variant}' makes no claim 'Never said'." in said


def test_each_command_is_a_change_of_its_own_that_undo_takes_back(tracking_cli, flu, db_path):
    """Commands moments apart are not folded into one change, as a form's pauses are."""
    tracking_cli("set", flu, "service_line", "Vaccination")
    tracking_cli("set", flu, "service_line", "Adult vaccination")
    variant = campaign(db_path).messages[0].name
    tracking_cli("claims", "add", flu, variant, "One")
    tracking_cli("claims", "add", flu, variant, "Two")
    history = json.loads(tracking_cli("history", flu, "--json").output)
    assert len(history) == 4
    tracking_cli("undo", flu)
    claims = [c.text for c in campaign(db_path).messages[0].claims]
    assert "One" in claims and "Two" not in claims
    tracking_cli("undo", flu)
    tracking_cli("undo", flu)
    assert campaign(db_path).service_line == "Vaccination"


def test_an_item_is_named_with_name_as_the_issue_writes_it(tracking_cli, flu, db_path):
    """`planner segments add ID --name ...`, `planner measures add ID --name ...`: the name as
    an option or as NAME, once."""
    said = tracking_cli(
        "segments", "add", flu, "--name", "Carers of older patients", "--age-min", "40",
        "--age-max", "80",
    ).output  # fmt: skip
    assert said.startswith("Added segment 'Carers of older patients' to campaign 1")
    tracking_cli("measures", "add", flu, "--name", "Walk-in bookings", "--baseline", "10",
                 "--target", "20", "--unit", "bookings a month")  # fmt: skip
    c = campaign(db_path)
    carers = next(s for s in c.segments if s.name == "Carers of older patients")
    assert (carers.age_min, carers.age_max) == (40, 80)
    walk_in = next(m for m in c.measures if m.name == "Walk-in bookings")
    assert (walk_in.baseline, walk_in.target, walk_in.unit) == (10, 20, "bookings a month")
    twice = tracking_cli("segments", "add", flu, "Carers", "--name", "Others", code=2).output
    assert "Give the segment's name once: as NAME or as --name, not both." in twice
    none = tracking_cli("measures", "add", flu, code=2).output
    assert "Give the new measure a name: NAME or --name." in none
    assert len(campaign(db_path).segments) == len(c.segments)  # nothing added


def test_undoing_a_new_primary_measure_gives_the_mark_back(tracking_cli, flu, db_path):
    """A measure made the primary one takes the mark from the one that had it; undoing (or
    undoing its addition) gives it back, as the history shows the change."""

    def primary() -> list[str]:
        return [m.name for m in campaign(db_path).measures if m.primary]

    first = primary()
    assert len(first) == 1
    other = next(m.name for m in campaign(db_path).measures if not m.primary)
    tracking_cli("measures", "edit", flu, other, "--primary", "yes")
    assert primary() == [other]
    tracking_cli("undo", flu)
    assert primary() == first
    tracking_cli("redo", flu)
    assert primary() == [other]
    tracking_cli("undo", flu)
    tracking_cli("measures", "add", flu, "--name", "Walk-in bookings", "--primary", "yes")
    assert primary() == ["Walk-in bookings"]
    tracking_cli("undo", flu)
    assert primary() == first
    # the history says whose mark the change took
    tracking_cli("measures", "edit", flu, other, "--primary", "yes")
    change = json.loads(tracking_cli("history", flu, "--json").output)[-1]
    assert change["before"]["took_primary_from"] == first
    assert "took_primary_from" not in change["after"]


def test_set_to_the_value_a_field_already_has_changes_nothing(tracking_cli, flu, db_path):
    """Setting a field to what it already holds makes no new version (no history entry, no
    sign-off withdrawn) and says so; as typed in the campaign's style, it is the same value."""
    tracking_cli("set", flu, "expected-revenue", "2.500")
    version = campaign(db_path).version
    said = tracking_cli("set", flu, "expected-revenue", "2.500,00").output
    assert said.startswith("Campaign 1: expected revenue is already ")
    assert said.endswith(f"; nothing changed (version {version}).\n")
    said = tracking_cli("set", flu, "start-date", "2027-09-01").output
    assert (
        said
        == f"Campaign 1: start date is already 2027-09-01; nothing changed (version {version}).\n"
    )
    assert campaign(db_path).version == version
    said = tracking_cli("set", flu, "start-date", "2027-09-02").output
    assert f"(version {version + 1})" in said
