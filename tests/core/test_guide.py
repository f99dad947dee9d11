"""Completeness rules of each planning step, and the KPI library."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import full_campaign

from planner.domain.models import (
    Campaign,
    Measure,
    MessageVariant,
    MixElement,
    Segment,
)
from planner.plan.guide import (
    AFTER_CHOICE,
    Step,
    check_campaign,
    check_step,
    reading_warning,
    variant_reading,
)
from planner.plan.kpis import kpi_library
from planner.plan.starters import get_starter, list_starters


def problems(campaign: Campaign, step: Step) -> list[str]:
    return check_step(campaign, step).problems


def with_(campaign: Campaign, **changes) -> Campaign:
    data = {**campaign.model_dump(), "costs": [], "results": []}
    return Campaign.model_validate({**data, **changes})


@pytest.mark.parametrize("starter", list_starters(), ids=lambda s: s.id)
def test_every_starter_is_complete(starter):
    checks = check_campaign(starter.load())
    assert {step: c.problems for step, c in checks.items() if not c.done} == {}


def test_a_blank_campaign_has_something_to_do_at_every_step():
    checks = check_campaign(Campaign(name="Blank"))
    assert all(not c.done for c in checks.values())
    assert checks[Step.AUDIENCE].problems == ["Add at least one audience segment."]
    assert checks[Step.MESSAGE].problems == [
        "Write the core message.",
        "Add at least one message variant.",
    ]
    assert checks[Step.ACTIVITIES].problems == ["Plan at least one activity."]
    assert checks[Step.MEASURES].problems == [
        "Choose at least one measure, from the library or your own."
    ]
    assert checks[Step.BUDGET].summary == "1 thing to do"
    assert checks[Step.MIX].summary == "7 things to do"


def test_overview_needs_objective_behaviour_dates_and_jurisdictions():
    c = Campaign(name="x", practice="p", objective="o", desired_behaviour="b")
    found = problems(c, Step.OVERVIEW)
    assert found == [
        "Set the start and end dates.",
        "Choose where the campaign runs (jurisdictions).",
    ]
    c = with_(c, start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 2, 1), jurisdictions=["UK"])
    assert check_step(c, Step.OVERVIEW).done


def test_audience_names_what_each_segment_lacks():
    c = Campaign(name="x", segments=[Segment(name="Carers", health_need="respite")])
    (problem,) = problems(c, Step.AUDIENCE)
    assert problem == (
        "Segment 'Carers' has no care stage, estimated size, preferred channels or target "
        "reading grade."
    )
    sized = Segment(
        name="Carers",
        health_need="respite",
        care_stage="chronic",
        population=1000,
        eligible_pct=50,
        reachable_pct=50,
        preferred_channels=["sms"],
        literacy_grade=6,
    )
    assert check_step(with_(c, segments=[sized.model_dump()]), Step.AUDIENCE).done


def complete() -> Campaign:
    """A plan that passes every rule (a shipped starter), to break one rule at a time."""
    return get_starter("diabetes-education").load()


def test_each_segment_needs_an_influencer():
    c = complete()
    data = c.model_dump()
    data["segments"].append(Segment(name="Students").model_dump())
    assert "No influencer is listed for segment 'Students'." in problems(
        with_(c, segments=data["segments"]), Step.INFLUENCERS
    )
    data["influencers"][0]["segments"] = []
    assert f"Influencer '{c.influencers[0].name}' is not linked to any segment." in problems(
        with_(c, influencers=data["influencers"]), Step.INFLUENCERS
    )


def test_message_flags_missing_parts_unbacked_claims_and_hard_reading():
    c = complete()
    data = c.model_dump()
    variant = next(v for v in data["messages"] if v["claims"])
    variant["claims"][0]["evidence_reference"] = ""
    variant["call_to_action"] = ""
    found = problems(with_(c, messages=data["messages"]), Step.MESSAGE)
    assert f"Variant '{variant['name']}' has no call to action." in found
    assert any(
        p.startswith(f"A claim in variant '{variant['name']}' has no evidence") for p in found
    )

    segment = next(s for s in c.segments if s.literacy_grade)
    hard = MessageVariant(
        name="Dense",
        segment=segment.name,
        headline="Comprehensive preventive screening programme",
        body="Organised colorectal screening substantially reduces cancer-specific mortality "
        "through identification of precancerous adenomatous lesions.",
        call_to_action="Telephone the administrative office",
    )
    data = c.model_dump()
    data["messages"].append(hard.model_dump())
    (warning,) = [p for p in problems(with_(c, messages=data["messages"]), Step.MESSAGE)]
    assert warning.startswith("Variant 'Dense' reads at Flesch-Kincaid grade 23.7,")
    assert warning.endswith(f"above grade {segment.literacy_grade} for segment '{segment.name}'.")


def test_italian_and_spanish_variants_are_read_on_their_scales():
    anziani = Segment(name="Anziani", languages=["italiano"], literacy_grade=8)
    mayores = Segment(name="Mayores", languages=["Spanish (Latin American)"], literacy_grade=6)
    ainees = Segment(name="Aînés", languages=["French"], literacy_grade=6)
    italian = MessageVariant(
        name="Antinfluenzale",
        segment="Anziani",
        body="La vaccinazione antinfluenzale stagionale è raccomandata ai soggetti con "
        "patologie croniche cardiovascolari e respiratorie.",
    )
    assert reading_warning(italian, anziani) == (
        "Variant 'Antinfluenzale' reads at Gulpease 33, harder than 60 (about grade 8) "
        "for segment 'Anziani'."
    )
    spanish = MessageVariant(
        name="Gripe",
        segment="Mayores",
        body="La evaluación cardiológica incluye un electrocardiograma y una consulta "
        "especializada con el médico.",
    )
    assert reading_warning(spanish, mayores) == (
        "Variant 'Gripe' reads at Fernández-Huerta 18, harder than 70 (about grade 6) "
        "for segment 'Mayores'."
    )
    easy = spanish.model_copy(
        update={"body": "Vacúnese contra la gripe este otoño. La vacuna es gratis y es segura."}
    )
    assert variant_reading(easy, mayores).figure.startswith("Fernández-Huerta ")
    assert reading_warning(easy, mayores) == ""
    french = MessageVariant(
        name="Grippe",
        segment="Aînés",
        body="La vaccination antigrippale saisonnière est recommandée aux personnes atteintes "
        "de maladies chroniques cardiovasculaires et respiratoires.",
    )
    assert variant_reading(french, ainees).described.startswith("reading level not graded")
    assert reading_warning(french, ainees) == ""  # not graded: no warning, never a guess


def test_every_segment_needs_a_variant():
    c = complete()
    data = c.model_dump()
    target = data["messages"][-1]["segment"]
    for variant in data["messages"]:
        if variant["segment"] == target:
            variant["segment"] = None
    assert f"Segment '{target}' has no message variant." in problems(
        with_(c, messages=data["messages"]), Step.MESSAGE
    )


def test_empty_ps_are_flagged():
    c = complete()
    mix = c.mix.model_copy(update={"place": MixElement()})
    assert problems(with_(c, mix=mix.model_dump()), Step.MIX) == ["Place is empty."]


def test_a_plan_that_stops_at_choice_is_flagged():
    c = complete()
    data = c.model_dump()
    kept = [a for a in data["activities"] if a["journey_stage"] not in AFTER_CHOICE]
    names = {a["name"] for a in kept}
    budget = [b for b in data["budget"] if b["activity"] in names or b["activity"] is None]
    found = problems(with_(c, activities=kept, budget=budget), Step.ACTIVITIES)
    assert found == [
        "Nothing is planned after the choice stage: plan how the relationship continues after "
        "the first visit (care experience, follow-up, advocacy)."
    ]
    first = data["activities"][0]
    first["owner"] = ""
    assert f"Activity '{first['name']}' has no owner." in problems(
        with_(c, activities=data["activities"]), Step.ACTIVITIES
    )
    first["owner"] = "Ana"
    first["end_date"] = c.end_date + dt.timedelta(days=1)
    assert problems(with_(c, activities=data["activities"]), Step.ACTIVITIES) == [
        f"Activity '{first['name']}' runs outside the campaign dates."
    ]


def test_measures_need_a_primary_and_figures():
    c = Campaign(name="x", measures=[Measure(name="Visits", category="acquisition")])
    assert problems(c, Step.MEASURES) == [
        "Mark one measure as the primary measure (until then the brief shows the first).",
        "Measure 'Visits' has no baseline, target or data source.",
    ]


def test_budget_below_planned_costs_is_flagged():
    c = full_campaign()
    planned = c.planned_cost_minor
    line = {"name": "All", "amount_minor": planned - 100}
    (problem,) = problems(with_(c, budget=[line]), Step.BUDGET)
    assert "by EUR 1,00" in problem  # a euro campaign writes 1,00 for one euro
    assert check_step(with_(c, budget=[{**line, "amount_minor": planned}]), Step.BUDGET).done


def test_the_budget_finding_writes_money_in_the_campaigns_style():
    c = full_campaign()
    costs = [223450] + [0] * (len(c.activities) - 1)
    activities = [
        {**a.model_dump(), "planned_cost_minor": cost}
        for a, cost in zip(c.activities, costs, strict=True)
    ]
    line = {"name": "All", "amount_minor": 123450}
    (problem,) = problems(with_(c, activities=activities, budget=[line]), Step.BUDGET)
    assert problem == (
        "The activities' planned costs (EUR 2.234,50) are above the budget (EUR 1.234,50) by "
        "EUR 1.000,00."
    )
    us = with_(c, activities=activities, budget=[line], number_style="en_US")
    (problem,) = problems(us, Step.BUDGET)
    assert "(EUR 2,234.50) are above the budget (EUR 1,234.50) by EUR 1,000.00." in problem


def test_kpi_library_offers_the_measures_the_seeds_name():
    names = {k.name for k in kpi_library()}
    for wanted in ("HCAHPS", "Press Ganey", "No-show", "open rate", "HbA1c", "Screening"):
        assert any(wanted.lower() in n.lower() for n in names), wanted
    categories = {k.category for k in kpi_library()}
    assert len(categories) == 7
    no_show = next(k for k in kpi_library() if k.name == "No-show rate")
    measure = no_show.measure(primary=True)
    assert measure.direction == "decrease" and measure.primary
    assert measure.baseline is None  # the practice fills in its own figures
