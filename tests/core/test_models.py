"""The domain models hold the validation rules every face of the planner relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import full_campaign
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from planner.domain.errors import describe_validation_error
from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Cost,
    JourneyStage,
    Measure,
    MeasureCategory,
    Segment,
)
from planner.domain.money import format_minor
from planner.domain.numbers import parse_amount


def error_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return describe_validation_error(exc.value)


def test_a_campaign_needs_a_name():
    with pytest.raises(ValidationError) as exc:
        Campaign(name="   ")
    assert error_of(exc).startswith("name:")


def test_end_date_may_not_come_before_start():
    with pytest.raises(ValidationError) as exc:
        Campaign(name="x", start_date=dt.date(2027, 5, 1), end_date=dt.date(2027, 4, 1))
    assert "before its start date" in error_of(exc)


def test_activity_dates_are_checked_too():
    with pytest.raises(ValidationError) as exc:
        Activity(
            name="Mailer",
            channel="print_mail",
            journey_stage="awareness",
            start_date=dt.date(2027, 5, 2),
            end_date=dt.date(2027, 5, 1),
        )
    assert "activity 'Mailer'" in error_of(exc)


@pytest.mark.parametrize(
    ("ages", "message"),
    [
        ({"age_min": -1}, "age_min: Must be at least 0"),
        ({"age_max": 130}, "age_max: Must be at most 120"),
        ({"age_min": 70, "age_max": 50}, "youngest age (70) is above the oldest age (50)"),
    ],
)
def test_age_ranges_must_be_sane(ages, message):
    with pytest.raises(ValidationError) as exc:
        Segment(name="Seniors", **ages)
    assert message in error_of(exc)


def test_amounts_are_non_negative_integers_of_minor_units():
    with pytest.raises(ValidationError):
        BudgetLine(name="Print", amount_minor=-1)
    with pytest.raises(ValidationError):
        BudgetLine(name="Print", amount_minor=10.5)
    assert BudgetLine(name="Print", amount_minor=1050).amount_minor == 1050


def test_currency_must_be_iso_4217_and_is_normalised():
    assert Campaign(name="x", currency=" eur ").currency == "EUR"
    with pytest.raises(ValidationError) as exc:
        Campaign(name="x", currency="EURO")
    assert "not an ISO 4217 currency code" in error_of(exc)


def test_enumerations_reject_unknown_values():
    with pytest.raises(ValidationError):
        Campaign(name="x", status="finished")
    with pytest.raises(ValidationError):
        Activity(name="a", channel="carrier pigeon", journey_stage="awareness")
    with pytest.raises(ValidationError):
        Measure(name="m", category="vibes")
    assert CampaignStatus.IN_REVIEW.label == "In review"
    assert JourneyStage.FOLLOW_UP.label == "Follow-up and retention"


def test_measure_target_must_move_in_its_direction():
    Measure(name="No-shows", category="retention", direction="decrease", baseline=12, target=8)
    with pytest.raises(ValidationError) as exc:
        Measure(name="No-shows", category="retention", direction="decrease", baseline=8, target=12)
    assert "above the baseline" in error_of(exc)


def test_links_between_items_must_point_at_existing_items():
    with pytest.raises(ValidationError) as exc:
        Campaign(
            name="x",
            activities=[Activity(name="a", channel="sms", journey_stage="choice", segment="Teens")],
        )
    assert "refers to the segment 'Teens', which does not exist" in error_of(exc)
    with pytest.raises(ValidationError) as exc:
        Campaign(name="x", costs=[Cost(date="2027-01-01", amount_minor=1, activity="Ghost")])
    assert "activity 'Ghost'" in error_of(exc)


def test_names_are_unique_within_a_campaign_whatever_their_case():
    with pytest.raises(ValidationError) as exc:
        Campaign(name="x", segments=[Segment(name="Parents"), Segment(name="parents")])
    assert "two segments are called 'parents'" in error_of(exc).lower()


def test_only_one_primary_measure():
    with pytest.raises(ValidationError):
        Campaign(
            name="x",
            measures=[
                Measure(name="a", category="engagement", primary=True),
                Measure(name="b", category="engagement", primary=True),
            ],
        )


def test_control_characters_are_refused_in_text():
    with pytest.raises(ValidationError):
        Campaign(name="bad\x00name")
    with pytest.raises(ValidationError):
        Segment(name="s", languages=["en\x07"])
    assert Campaign(name="x", objective="line one\nline two").objective == "line one\nline two"


def test_segment_sizing_helper():
    segment = Segment(name="s", population=20000, eligible_pct=25, reachable_pct=40)
    assert segment.sized() == 2000
    assert Segment(name="s", estimated_size=75).sized() == 75


def test_campaign_totals(campaign):
    assert campaign.total_budget_minor == 55000
    assert campaign.planned_cost_minor == 15000
    assert campaign.primary_measure.name == "Screening rate"


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [("120.50", "USD", 12050), ("1,250", "EUR", 125000), ("500", "JPY", 500), ("1.5", "BHD", 1500)],
)
def test_amounts_typed_in_major_units(typed, currency, minor):
    assert parse_amount(typed, currency) == minor


@pytest.mark.parametrize("typed", ["-5", "abc", "1.234", "", "1e3", "1.2345"])
def test_bad_amounts_get_a_sentence(typed):
    with pytest.raises(ValueError, match=r"amount|negative|decimal places|could be read as"):
        parse_amount(typed, "USD")


def test_money_is_shown_in_major_units():
    assert format_minor(123456789, "USD") == "USD 1,234,567.89"
    assert format_minor(500, "JPY") == "JPY 500"


# Property tests ------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


# Unicode White_Space, which pydantic strips from the ends (Python's isspace also counts the
# separators U+001C to U+001F, which are control characters here).
WHITE_SPACE = "".join(
    c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f"
)


@given(st.text(min_size=1, max_size=40))
def test_a_name_is_accepted_exactly_when_it_is_one_clean_line(text):
    stripped = text.strip(WHITE_SPACE)
    if stripped and not any(ord(c) < 32 for c in stripped):
        assert Segment(name=text).name == stripped
    else:
        with pytest.raises(ValidationError):
            Segment(name=text)


@given(
    name=names,
    amount=st.integers(min_value=0, max_value=10**12),
    money_text=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
)
@settings(max_examples=80, deadline=None)
def test_any_valid_campaign_survives_json(name, amount, money_text):
    campaign = Campaign(
        name=name,
        budget=[BudgetLine(name=name, amount_minor=amount, channel=Channel.EMAIL)],
        measures=[Measure(name=name, category=MeasureCategory.FINANCIAL)],
    )
    again = Campaign.model_validate_json(campaign.model_dump_json())
    assert again == campaign
    assert again.name == name.strip()
    assert parse_amount(str(money_text), "USD") == int(money_text * 100)


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    days=st.integers(min_value=-400, max_value=400),
)
def test_date_order_is_enforced_for_any_dates(start, days):
    end = start + dt.timedelta(days=days)
    if days >= 0:
        assert Campaign(name="x", start_date=start, end_date=end).end_date == end
    else:
        with pytest.raises(ValidationError):
            Campaign(name="x", start_date=start, end_date=end)


@given(
    age_min=st.integers(min_value=-5, max_value=130),
    age_max=st.integers(min_value=-5, max_value=130),
)
def test_age_rules_for_any_ages(age_min, age_max):
    valid = 0 <= age_min <= age_max <= 120
    if valid:
        Segment(name="s", age_min=age_min, age_max=age_max)
    else:
        with pytest.raises(ValidationError):
            Segment(name="s", age_min=age_min, age_max=age_max)


def test_full_campaign_fixture_is_valid():
    assert full_campaign().name == "Spring screening drive"
