"""Issue 27, planned against actual return: the plan's expected responses and revenue give a
planned cost per response and a planned ROI, set beside what the campaign achieves."""

from __future__ import annotations

import json

import pytest
from factories import tracked_campaign

from planner.store import Store


@pytest.fixture
def cli(tracking_cli, db_path):
    """A budget of USD 1,500.00; 100 new-patient appointments and USD 6,000.00 expected."""
    with Store.open(db_path) as store:
        store.create_campaign(
            tracked_campaign(expected_responses=100, expected_revenue_minor=600_000)
        )
    return tracking_cli


def test_planned_return_before_anything_is_recorded(cli):
    found = json.loads(cli("report", "1", "--json").stdout)
    assert found["expected_responses"] == 100 and found["expected_revenue_minor"] == 600_000
    assert found["planned_roi"] == 3.0  # (6,000 - 1,500) / 1,500
    assert found["planned_cost_per_response_minor"] == 1_500  # 1,500.00 / 100
    assert (found["responses"], found["responses_pct"], found["cost_per_response_minor"]) == (
        0,
        0,
        None,
    )
    text = cli("report", "1").stdout
    assert "Expected revenue USD 6,000.00: a planned ROI of 300%; no revenue recorded yet." in text


def test_planned_against_actual_once_results_come(cli):
    cli("costs", "add", "1", "--date", "2027-03-05", "--amount", "300")
    add = ("results", "add", "1", "--date", "2027-03-20", "--measure")
    cli(*add, "New-patient appointments", "--value", "20")
    cli(*add, "Revenue", "--value", "900")
    found = json.loads(cli("report", "1", "--json").stdout)
    assert (found["responses"], found["responses_pct"]) == (20, 20.0)
    assert found["cost_per_response_minor"] == 1_500  # 300.00 / 20
    assert (found["planned_roi"], found["roi"]) == (3.0, 2.0)  # (900 - 300) / 300
    text = cli("report", "1").stdout
    assert (
        "Responses (New-patient appointments): 100 expected, 20 so far (20%); cost per "
        "response USD 15.00 planned, USD 15.00 so far." in text
    )
    brief = cli("brief", "1").stdout
    assert "**Responses.** 100 expected, 20 so far (20%); planned cost per response" in brief
    assert "a planned return on investment of 300%" in brief


def test_a_primary_measure_that_is_not_a_count_has_no_responses(tracking_cli, db_path):
    with Store.open(db_path) as store:
        campaign = tracked_campaign(expected_responses=50)
        measures = [m.model_copy(update={"primary": m.name == "No-show rate"}) for m in
                    campaign.measures]  # fmt: skip
        store.create_campaign(campaign.model_copy(update={"measures": measures}))
    found = json.loads(tracking_cli("report", "1", "--json").stdout)
    assert found["responses"] is None and found["responses_pct"] is None
    assert "not counted: No-show rate is not a count" in tracking_cli("report", "1").stdout
