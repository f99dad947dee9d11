"""Issue 27, the A/B verdict as a user asks for it: ``planner abtest ID --measure M [--json]``
from results recorded per variant (or per activity) with what they are out of."""

from __future__ import annotations

import json

import pytest

from planner.domain.models import MessageVariant
from planner.store import Store

ADD = ("results", "add", "1", "--measure", "Bookings", "--date", "2027-03-10")


@pytest.fixture
def cli(ab_cli):
    return ab_cli


def verdict(cli, *more: str) -> dict:
    return json.loads(cli("abtest", "1", "--measure", "Bookings", *more, "--json").stdout)


def test_a_clear_winner_in_json_and_in_words(cli):
    cli(*ADD, "--value", "21", "--of", "500", "--activity", "Email A")
    cli(*ADD, "--value", "30", "--of", "400", "--variant", "Story email")
    cli(*ADD, "--value", "8", "--of", "80", "--activity", "Email B")  # B: 38 of 480 in all
    cli(*ADD, "--value", "12")  # no variant, nothing it is out of: left out
    found = verdict(cli)
    assert [(v["name"], v["label"], v["successes"], v["trials"]) for v in found["variants"]] == [
        ("Short email", "A", 21, 500),
        ("Story email", "B", 38, 480),
    ]
    assert found["variants"][0]["rate"] == pytest.approx(0.042)
    assert found["variants"][0]["ci_low"] == pytest.approx(0.02763, abs=1e-5)
    assert found["p_value"] == pytest.approx(0.014477, abs=1e-6)
    assert (found["winner"], found["enough_data"], found["left_out"]) == ("Story email", True, 1)
    words = cli("abtest", "1", "--measure", "bookings").stdout
    assert "B ('Story email') does better than A ('Short email')" in words
    assert "7.9% against 4.2%" in words and "unlikely to be chance (p = 0.014)" in words
    assert "1 result of 'Bookings' name no variant" in words


def test_no_winner_yet_says_how_many_more_would_tell(cli):
    cli(*ADD, "--value", "21", "--of", "500", "--variant", "Short email")
    cli(*ADD, "--value", "29", "--of", "480", "--variant", "Story email")
    found = verdict(cli)
    assert found["winner"] is None and found["enough_data"] is False
    assert found["needed_per_variant"] > 2000
    more = {v["name"]: v["more_needed"] for v in found["variants"]}
    assert more == {
        "Short email": found["needed_per_variant"] - 500,
        "Story email": found["needed_per_variant"] - 480,
    }
    assert "No winner yet" in found["verdict"] and "could be chance" in found["verdict"]


def test_a_small_test_is_exact_and_too_small_to_win(cli):
    cli(*ADD, "--value", "5", "--of", "5", "--variant", "Short email")
    cli(*ADD, "--value", "0", "--of", "5", "--variant", "Story email")
    found = verdict(cli)
    assert found["test"] == "fisher exact" and found["p_value"] == pytest.approx(0.0079, abs=1e-4)
    assert found["winner"] is None and found["enough_data"] is False
    assert "wins only after 30 trials each" in found["verdict"]


def test_a_rate_measure_compares_the_shares_it_was_given(cli):
    rate = ("results", "add", "1", "--measure", "Open rate", "--date", "2027-03-10")
    cli(*rate, "--value", "40%", "--of", "500", "--variant", "Short email")
    cli(*rate, "--value", "50%", "--of", "500", "--variant", "Story email")
    found = json.loads(cli("abtest", "1", "--measure", "Open rate", "--json").stdout)
    assert [v["successes"] for v in found["variants"]] == [200, 250]
    assert found["winner"] == "Story email"


def test_variants_of_several_segments_are_compared_one_segment_at_a_time(cli, db_path):
    with Store.open(db_path) as store:
        version = store.get_campaign(1).version
        store.add_item(
            1, MessageVariant(name="Seniors letter", segment="Seniors"), expected_version=version
        )
    cli(*ADD, "--value", "21", "--of", "500", "--variant", "Short email")
    cli(*ADD, "--value", "38", "--of", "480", "--variant", "Story email")
    cli(*ADD, "--value", "9", "--of", "100", "--variant", "Seniors letter")
    out = cli("abtest", "1", "--measure", "Bookings", code=2).output
    assert "aimed at 2 segments ('Parents', 'Seniors'); compare those of one with --segment" in out
    parents = verdict(cli, "--segment", "parents")
    assert parents["segment"] == "Parents"
    assert [v["name"] for v in parents["variants"]] == ["Short email", "Story email"]
    seniors = verdict(cli, "--segment", "Seniors")
    assert [v["name"] for v in seniors["variants"]] == ["Seniors letter"]
    assert seniors["winner"] is None and "at least two message variants" in seniors["verdict"]


def test_an_italian_campaign_reads_its_verdict_in_its_own_numbers(cli, db_path):
    cli("number-style", "1", "it_IT")
    cli(*ADD, "--value", "21", "--of", "1.500", "--variant", "Short email")
    cli(*ADD, "--value", "60", "--of", "1.480", "--variant", "Story email")
    found = verdict(cli)
    assert found["variants"][0]["trials"] == 1500
    words = cli("abtest", "1", "--measure", "Bookings").stdout
    assert "4,1% against 1,4%" in words and "1.500" in words


def test_an_unknown_measure_or_segment_is_a_sentence(cli):
    assert (
        "There is no measure called 'Walk-ins'"
        in cli("abtest", "1", "--measure", "Walk-ins", code=2).output
    )
    assert (
        "There is no segment called 'Kids'"
        in cli("abtest", "1", "--measure", "Bookings", "--segment", "Kids", code=2).output
    )
