"""Issue 27, learning: the end-of-campaign review (``planner lessons``) and the maturity
assessment (``planner maturity``), each dimension's level moving as the campaign closes its
loop."""

from __future__ import annotations

import json

import pytest

from planner.domain.models import Campaign
from planner.store import Store

NAMES = [
    "Key influencers",
    "Audience and message",
    "Measures",
    "Closing the loop",
    "Return",
    "Learning",
]


def levels(cli, campaign_id: str = "1") -> dict[str, int]:
    found = json.loads(cli("maturity", campaign_id, "--json").stdout)
    assert [d["name"] for d in found["dimensions"]] == NAMES
    return {d["name"]: d["level"] for d in found["dimensions"]}


def test_an_empty_campaign_is_ad_hoc_everywhere_with_a_next_step(tracking_cli, db_path):
    with Store.open(db_path) as store:
        store.create_campaign(Campaign(name="Walk-ins"))
    found = json.loads(tracking_cli("maturity", "1", "--json").stdout)
    assert (found["level"], found["level_name"]) == (1, "Ad hoc")
    assert all(d["level"] == 1 and d["next_step"] for d in found["dimensions"])
    text = tracking_cli("maturity", "1").stdout
    assert text.startswith("Walk-ins: ad hoc (level 1 of 4)")
    assert "Next steps:\n- Key influencers: Name the influencers" in text


def test_each_dimension_climbs_as_the_loop_closes(ab_cli):
    cli = ab_cli
    # planned: influencers with an activity, A/B labels, measures without baselines
    assert levels(cli) == {
        "Key influencers": 3,
        "Audience and message": 3,
        "Measures": 2,
        "Closing the loop": 1,
        "Return": 1,
        "Learning": 1,
    }
    cli("costs", "add", "1", "--date", "2027-03-05", "--amount", "400", "--activity", "Email A")
    add = ("results", "add", "1", "--date", "2027-03-20", "--measure")
    cli(*add, "Bookings", "--value", "9")  # by hand, tied to nothing
    found = levels(cli)
    assert (found["Closing the loop"], found["Return"]) == (2, 3)
    cli(*add, "Bookings", "--value", "21", "--of", "500", "--activity", "Email A")
    cli(*add, "Bookings", "--value", "38", "--of", "480", "--activity", "Email B")
    cli(*add, "Bookings", "--value", "4", "--influencer", "Dr Rossi")
    cli(*add, "Collections", "--value", "1200")
    found = levels(cli)
    assert found["Key influencers"] == found["Audience and message"] == 4
    assert found["Closing the loop"] == found["Return"] == 4
    evidence = json.loads(cli("maturity", "1", "--json").stdout)["dimensions"]
    assert "ROI 200%" in evidence[4]["evidence"]  # (1,200 - 400) / 400
    cli("lessons", "1", "--worked", "The story email booked more")
    assert levels(cli)["Learning"] == 3
    cli("lessons", "1", "--next-time", "Send the story email to every parent")
    assert levels(cli)["Learning"] == 4


def test_the_review_is_saved_with_the_figures_beside_it_and_can_be_undone(ab_cli):
    cli = ab_cli
    cli("costs", "add", "1", "--date", "2027-03-05", "--amount", "400")
    out = cli("lessons", "1", "--worked", "Texts on Saturday mornings", "--did-not-work", "Flyers")
    assert "Saved the review of campaign 1." in out.stderr
    assert "What worked:\n  Texts on Saturday mornings" in out.stdout
    assert "Decisions for next time:\n  (not written yet)" in out.stdout
    assert "Spent USD 400.00 of a budget of USD 0.00" in out.stdout
    found = json.loads(cli("lessons", "1", "--json").stdout)
    assert (found["what_worked"], found["what_did_not_work"], found["next_time"]) == (
        "Texts on Saturday mornings",
        "Flyers",
        "",
    )
    assert found["maturity"]["dimensions"][5]["level"] == 3
    history = json.loads(cli("history", "1", "--json").stdout)
    assert history[-1]["after"] == {
        "what_worked": "Texts on Saturday mornings",
        "what_did_not_work": "Flyers",
    }
    cli("undo", "1")
    assert json.loads(cli("lessons", "1", "--json").stdout)["what_worked"] == ""


@pytest.mark.parametrize("field", ["what_worked", "what_did_not_work", "next_time"])
def test_the_review_goes_through_a_campaign_file(ab_cli, tmp_path, field):
    option = {"what_worked": "--worked", "what_did_not_work": "--did-not-work"}.get(
        field, "--next-time"
    )
    ab_cli("lessons", "1", option, "Line one\nline two")
    path = tmp_path / "c.json"
    ab_cli("export", "1", "-o", str(path))
    assert json.loads(path.read_text())["campaign"][field] == "Line one\nline two"
    ab_cli("import-campaign", str(path))
    assert json.loads(ab_cli("lessons", "2", "--json").stdout)[field] == "Line one\nline two"


def test_the_brief_has_the_lessons_and_the_maturity_once_there_is_something_to_assess(ab_cli):
    cli = ab_cli
    assert "## Lessons and maturity" not in cli("brief", "1").stdout  # a plan on paper
    cli("lessons", "1", "--next-time", "Send the story email to every parent")
    brief = cli("brief", "1").stdout
    section = brief[brief.index("## Lessons and maturity") :]
    assert "**Decisions for next time.** Send the story email to every parent" in section
    assert "**What worked.** *Not written yet" in section
    assert "| Dimension | Level | Evidence |" in section
    assert "| Learning | 4 Closed loop | The end-of-campaign review records decisions" in section
    assert "Prepared with Healthcare Campaign Planner on 30 Mar 2027" in brief  # PLANNER_TODAY
    html = cli("brief", "1", "--format", "html").stdout
    assert 'href="#lessons"' in html and 'id="lessons"' in html


@pytest.mark.parametrize(
    ("levels", "level"),
    [([1, 1, 1, 3, 3, 3], 2), ([1, 1, 1, 1, 3, 3], 1), ([4, 4, 4, 3, 2, 1], 3), ([2, 4, 3], 3)],
)
def test_the_campaigns_level_is_the_median_rounded_down(levels, level):
    from planner.tracking.maturity import Dimension, overall

    assert overall([Dimension(str(n), lv, "", "") for n, lv in enumerate(levels)]) == level
