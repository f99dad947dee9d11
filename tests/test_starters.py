"""The shipped starter campaigns are complete, valid, and survive export and import."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.exchange import dumps, loads
from planner.models import JourneyStage
from planner.starters import campaign_from_starter, list_starters, next_month_start, shift_dates

STARTERS = list_starters()
REQUIRED = {
    "diabetes-education",
    "prenatal-enrolment",
    "flu-vaccination",
    "breast-screening",
    "specialist-referrals",
}


def test_the_five_promised_starters_ship():
    assert {s.id for s in STARTERS} >= REQUIRED
    assert all(s.title and s.summary for s in STARTERS)


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_each_starter_fills_every_step(starter):
    c = starter.load()
    assert c.objective and c.desired_behaviour and c.core_message
    assert c.start_date and c.end_date and c.jurisdictions
    assert len(c.segments) >= 2 and all(s.health_need and s.sized() for s in c.segments)
    assert len(c.influencers) >= 3
    assert len(c.messages) >= 4
    assert any(m.ab_label for m in c.messages)
    claims = [cl for m in c.messages for cl in m.claims]
    assert claims and all(cl.evidence_reference for cl in claims)
    assert all(not element.is_empty for _, element in c.mix.elements())
    assert {a.journey_stage for a in c.activities} == set(JourneyStage)
    assert all(c.start_date <= a.start_date <= c.end_date for a in c.activities if a.start_date)
    assert len(c.measures) >= 5
    assert all(
        m.baseline is not None and m.target is not None and m.data_source for m in c.measures
    )
    assert c.primary_measure.primary
    assert c.budget and c.total_budget_minor > 0
    assert not c.costs and not c.results


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_export_then_import_of_every_starter_gives_an_equal_campaign(store, starter):
    original = starter.load()
    first_id = store.create_campaign(original)
    exported = dumps(store.get_campaign(first_id))
    assert json.loads(exported)["format_version"] == 1
    second_id = store.create_campaign(loads(exported))
    assert second_id != first_id
    first, second = store.get_campaign(first_id), store.get_campaign(second_id)
    assert first.model_dump() == second.model_dump() == original.model_dump()


def test_a_new_campaign_from_a_starter_moves_every_date():
    starter = next(s for s in STARTERS if s.id == "flu-vaccination").load()
    moved = campaign_from_starter("flu-vaccination", name="Flu 2031", start=dt.date(2031, 9, 1))
    delta = dt.date(2031, 9, 1) - starter.start_date
    assert moved.name == "Flu 2031"
    assert moved.end_date == starter.end_date + delta
    assert [a.start_date for a in moved.activities] == [
        a.start_date + delta if a.start_date else None for a in starter.activities
    ]


def test_a_seasonal_starter_keeps_its_season():
    from planner.starters import next_season_start

    assert next_season_start(dt.date(2026, 9, 15), dt.date(2026, 11, 22)) == dt.date(2027, 9, 15)
    assert next_season_start(dt.date(2026, 9, 15), dt.date(2027, 3, 1)) == dt.date(2027, 9, 15)
    flu = campaign_from_starter("flu-vaccination")
    assert (flu.start_date.month, flu.start_date.day) == (
        next(s for s in STARTERS if s.id == "flu-vaccination").load().start_date.timetuple()[1:3]
    )
    assert flu.start_date >= dt.date.today()


def test_starters_begin_next_month_by_default():
    assert next_month_start(dt.date(2026, 11, 22)) == dt.date(2026, 12, 1)
    assert next_month_start(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)


def test_shift_keeps_a_campaign_without_dates():
    from factories import full_campaign

    blank = full_campaign().model_copy(update={"start_date": None, "end_date": None})
    assert shift_dates(blank, dt.date(2030, 1, 1)).start_date == dt.date(2030, 1, 1)
