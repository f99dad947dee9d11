"""Issue 27, staff time: the hours the activities ask of each owner by month, against what a
person can give the campaign, worked out by hand; the guide, the brief and ``planner staff``
flag a month over capacity."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from planner.briefs.render import render_markdown
from planner.cli.main import main
from planner.domain.models import Activity, Campaign
from planner.plan.guide import Step, check_step
from planner.plan.staff import NO_OWNER, staff_time
from planner.store import Store


def activity(name: str, owner: str, hours: float, start=None, end=None) -> Activity:
    return Activity(
        name=name,
        channel="email",
        journey_stage="awareness",
        owner=owner,
        staff_hours=hours,
        start_date=start,
        end_date=end,
    )


def campaign(capacity: float | None = 10) -> Campaign:
    return Campaign(
        name="Recall",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 4, 30),
        staff_hours_per_month=capacity,
        activities=[
            # 30 hours over 20 March to 8 April: 12 days in March, 8 in April
            activity("Texts", "Maria", 30, dt.date(2027, 3, 20), dt.date(2027, 4, 8)),
            # the campaign's 61 days: 31 in March, 30 in April
            activity("Posters", "Maria", 61),
            activity("Calls", "", 5, dt.date(2027, 4, 1), dt.date(2027, 4, 1)),
            activity("Letters", "Luca", 0),
        ],
    )


def test_hours_are_spread_over_each_activitys_days():
    found = staff_time(campaign())
    assert found.months == ["2027-03", "2027-04"]
    assert found.owners == ["Maria", NO_OWNER]  # an activity of no hours names no one
    assert found.of("Maria", "2027-03") == pytest.approx(30 * 12 / 20 + 31)
    assert found.of("Maria", "2027-04") == pytest.approx(30 * 8 / 20 + 30)
    assert found.of(NO_OWNER, "2027-04") == 5
    assert found.total == pytest.approx(96)


def test_a_month_over_capacity_is_flagged_for_people_not_for_no_owner():
    over = staff_time(campaign(capacity=45)).over
    assert [(o.owner, o.month) for o in over] == [("Maria", "2027-03")]  # 49 h; April 42 h
    assert [(o.owner, o.month) for o in staff_time(campaign(capacity=3)).over] == [
        ("Maria", "2027-03"),
        ("Maria", "2027-04"),
    ]
    assert staff_time(campaign(capacity=None)).over == []


def test_hours_with_no_dates_at_all_are_unscheduled():
    undated = campaign().model_copy(update={"start_date": None, "end_date": None})
    found = staff_time(undated)
    assert found.unscheduled == {"Maria": 61}
    assert found.owner_total("Maria") == pytest.approx(91)


def test_the_activities_step_and_the_brief_say_who_is_over_capacity():
    problems = check_step(campaign(capacity=45), Step.ACTIVITIES).problems
    assert (
        "Maria is asked for more than the 45 hours a month a person can give the campaign in "
        "March 2027 (up to 49 hours)." in problems
    )
    brief = render_markdown(campaign(capacity=45), today=dt.date(2027, 3, 1))
    assert "### Staff time" in brief
    assert "| Maria | 91 | Mar 2027 (49 h) | Mar 2027 |" in brief
    assert "**Capacity.** 45 hours a month" in brief
    no_capacity = render_markdown(campaign(capacity=None), today=dt.date(2027, 3, 1))
    assert "No staff capacity set" in no_capacity


def test_planner_staff_sets_the_capacity_and_prints_the_hours(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(campaign(capacity=None))

    def run(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", str(db_path), "staff", "1", *args])
        assert result.exit_code == code, result.output
        return result

    assert "No capacity set" in run().stdout
    found = json.loads(run("--capacity", "45", "--json").stdout)
    assert found["capacity_hours_per_month"] == 45
    assert found["over_capacity"] == [{"owner": "Maria", "month": "2027-03", "hours": 49.0}]
    assert found["owners"][0]["hours"] == {"2027-03": 49.0, "2027-04": 42.0}
    table = run().stdout
    assert "Maria" in table and "49!" in table and "! Maria is asked for more" in table
    assert "'abc' is not a number" in run("--capacity", "abc", code=2).output
    assert "0 to 10,000" in run("--capacity", "-5", code=2).output
    with Store.open(db_path) as store:
        assert store.get_campaign(1).staff_hours_per_month == 45
