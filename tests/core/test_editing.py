"""The editing session the TUI saves through, and the parsers of what users type."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.errors import StaleWriteError
from planner.domain.inputs import (
    parse_date,
    parse_int,
    parse_lines,
    parse_money,
    parse_number,
    parse_percent,
    parse_words,
    show_number,
)
from planner.domain.models import Activity, MixElement, MixP, Segment
from planner.plan.editing import CampaignEditor


@pytest.fixture
def editor(store, campaign):
    campaign_id = store.create_campaign(campaign.model_copy(update={"costs": [], "results": []}))
    return CampaignEditor(store, campaign_id)


def test_edits_are_saved_and_renames_reach_every_reference(store, editor):
    segment = editor.items(Segment)[0]
    editor.save(segment.model_copy(update={"name": "Adults fifty to 74"}))
    fresh = store.get_campaign(editor.campaign_id)
    assert fresh.segments[0].name == "Adults fifty to 74"
    assert "Adults fifty to 74" in fresh.influencers[0].segments
    assert editor.campaign.influencers[0].segments == fresh.influencers[0].segments
    assert editor.version == fresh.version


def test_add_move_delete(store, editor):
    name = editor.new_name(Segment, "New segment")
    assert name == "New segment"
    new_id = editor.add(Segment(name=name))
    assert editor.new_name(Segment, "New segment") == "New segment 2"
    editor.move(Segment, new_id, 0)
    assert store.get_campaign(editor.campaign_id).segments[0].name == "New segment"
    editor.delete(Segment, new_id)
    assert editor.find(Segment, new_id) is None
    editor.save_overview({"objective": "More screening"})
    editor.save_mix(MixP.PLACE, MixElement(description="Via Roma clinic"))
    fresh = store.get_campaign(editor.campaign_id)
    assert fresh.objective == "More screening"
    assert fresh.mix.place.description == "Via Roma clinic"


def test_a_second_window_is_refused_when_it_is_behind(store, editor):
    other = CampaignEditor(store, editor.campaign_id)
    editor.save_overview({"objective": "From the first window"})
    with pytest.raises(StaleWriteError, match="changed elsewhere"):
        other.save_overview({"objective": "From the second window"})
    assert store.get_campaign(editor.campaign_id).objective == "From the first window"
    other.reload()
    other.save_overview({"objective": "From the second window, after reloading"})
    assert store.get_campaign(editor.campaign_id).objective.endswith("after reloading")


def test_problem_with_names_a_clash_before_saving(editor):
    first, second = editor.items(Segment)
    clash = second.model_copy(update={"name": first.name.upper()})
    assert "Two segments are called" in editor.problem_with(clash)
    dangling = Activity(name="x", channel="sms", journey_stage="choice", segment="Nobody")
    assert "does not exist" in editor.problem_with(dangling)
    # a rename is checked as the store applies it: references follow the renamed item
    assert editor.problem_with(second.model_copy(update={"name": "Fine"})) == ""


def test_parsers_read_what_people_type():
    assert parse_date(" 2027-03-01 ") == dt.date(2027, 3, 1)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="write it as YYYY-MM-DD"):
        parse_date("1/3/2027")
    with pytest.raises(ValueError, match="not a day of the calendar"):
        parse_date("2027-02-30")
    assert parse_int("2,400") == 2400
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int("2.5")
    with pytest.raises(ValueError, match="'abc' is not a number"):
        parse_number("abc")
    assert parse_number("-3.5") == -3.5
    assert parse_percent("85%") == 85
    with pytest.raises(ValueError, match="between 0 and 100"):
        parse_percent("140")
    assert parse_money("1,250.50", "EUR") == 125050
    assert parse_money("", "EUR") == 0
    assert parse_money("1250", "JPY") == 1250
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        parse_money("1.0055", "USD")
    # A comma groups thousands in the planner's plain style (1,234.50); a decimal comma is
    # refused with what it may have meant rather than read as 15.
    assert parse_money("12,500,000", "USD") == 1_250_000_000
    assert parse_int("2,400") == 2400
    for typed, amount, number in (
        ("1,5", "1.50", "1.5"),
        ("12,50", "12.50", "12.5"),
        ("1,2345", "1.2345", "1.2345"),
    ):
        with pytest.raises(ValueError, match=rf"'{typed}' is not how .* type {amount}\."):
            parse_money(typed, "EUR")
        with pytest.raises(ValueError, match=rf"'{typed}' is not how .* type {number}\."):
            parse_number(typed)
    assert parse_words("Italian, , Romanian ") == ["Italian", "Romanian"]
    assert parse_lines("a\n\n b \n") == ["a", "b"]


@pytest.mark.parametrize("value", [2_500_000.0, 1234.5678, 0.25, 7.0, -3.5, 1e-7, 123456789012.5])
def test_numbers_are_shown_as_they_can_be_typed_back(value):
    shown = show_number(value)
    assert "e" not in shown
    assert parse_number(shown) == value
