"""The shipped starter campaigns are complete, valid, and survive export and import."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from planner.domain.models import JourneyStage
from planner.plan.exchange import dumps, loads
from planner.plan.starters import (
    campaign_from_starter,
    list_starters,
    next_month_start,
    shift_dates,
)

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
    assert json.loads(exported)["format_version"] == 3
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
    from planner.plan.starters import next_season_start

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


# Starters a practice can send as they are: texts that follow the dates, no block finding --------

STARTS = (dt.date(2027, 9, 1), dt.date(2031, 9, 1))


def _texts(campaign, *, sources: bool = True) -> list[str]:
    """Every text of a campaign: names, messages, notes, descriptions, the 7Ps, measures...
    and, unless ``sources`` is False, the published sources its claims cite."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if sources or key != "evidence_reference":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(campaign.model_dump(mode="python"))
    return found


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_a_fresh_campaign_from_a_starter_has_no_block_finding(starter, start):
    from planner.compliance import lint_campaign, load_rules

    report = lint_campaign(campaign_from_starter(starter.id, start=start), load_rules())
    assert [(f.rule.id, f.subject) for f in report.blocking] == []
    assert report.counts()["review"] <= 1
    assert report.counts()["confirm"] <= 6


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_every_placeholder_in_a_starter_is_filled(starter, start):
    texts = _texts(campaign_from_starter(starter.id, start=start))
    assert [t for t in texts if "{" in t or "}" in t] == []


@pytest.mark.parametrize("start", STARTS, ids=str)
def test_the_flu_starter_speaks_of_the_campaign_s_season(start):
    flu = campaign_from_starter("flu-vaccination", start=start)
    text = "\n".join(_texts(flu))
    y = start.year
    assert (flu.start_date, flu.end_date) == (start, dt.date(y + 1, 1, 31))
    assert f"Seasonal flu vaccination {y}-{y + 1}: who, when and how to book" in text
    assert f"from 19 October to 19 December {y}" in text
    assert f"In the {y - 1}-{y} season, 58%" in text
    assert f"replace with the {y}-{y + 1} circular" in text
    assert f"% of {y - 1}-{y} vaccinated patients" in text
    for stale in range(2020, y - 1):
        assert f"{stale}-{stale + 1}" not in text
    assert "December 2026" not in text and "mid-October" not in text
    # Variants keep their links: activities still name the core message by its new name.
    core = f"Core: {y}-{y + 1} flu vaccination information"
    assert core in {m.name for m in flu.messages}
    assert sum(a.message == core for a in flu.activities) == 4


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_no_starter_text_names_a_year_the_campaign_has_left_behind(starter, start):
    """Last year's figures are the year before the start, and no recent year from the file
    (2024 on) survives when the campaign is years later. The sources that claims cite keep
    the year they were published (and say to use the current edition)."""
    import re

    texts = _texts(campaign_from_starter(starter.id, start=start), sources=False)
    written = starter.load().start_date.year
    for text in texts:
        for match in re.finditer(r"\b(20\d\d)\b", text):
            year = int(match[1])
            if year >= written - 2:
                assert start.year - 3 <= year <= start.year + 1, (year, text)


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_a_starter_s_default_span_fits_its_purpose(starter):
    today = dt.date(2026, 12, 6)
    c = starter.load()
    months = (c.end_date.year - c.start_date.year) * 12 + c.end_date.month - c.start_date.month + 1
    # A whole number of months, from the first of a month to the last day of a month.
    assert c.start_date.day == 1
    assert (c.end_date + dt.timedelta(days=1)).day == 1
    assert 3 <= months <= 9
    for start in (next_month_start(today), *STARTS):
        moved = campaign_from_starter(starter.id, start=start)
        assert moved.start_date == start
        assert (moved.end_date + dt.timedelta(days=1)).day == 1  # still ends on a month end
        assert moved.end_date.month == (start.month + months - 2) % 12 + 1
    if starter.seasonal:  # the flu season: September to January
        assert (c.start_date.month, c.end_date.month) == (9, 1)


def test_a_diabetes_campaign_from_january_ends_with_august():
    moved = campaign_from_starter("diabetes-education", start=dt.date(2027, 1, 1))
    assert (moved.start_date, moved.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 8, 31))
    assert all(moved.start_date <= a.start_date <= moved.end_date for a in moved.activities)
    text = "\n".join(_texts(moved))
    assert "In 2026, 78% of people" in text and "end of April" in text  # was "end of June"


def test_dates_in_texts_move_with_the_activities_they_describe():
    from planner.plan.starters import date_mover, fill_text

    move = date_mover(dt.date(2026, 9, 1), dt.date(2027, 9, 15))
    assert move(dt.date(2026, 10, 19)) == dt.date(2027, 11, 2)
    assert move(dt.date(2027, 1, 31)) == dt.date(2028, 2, 14)
    said = fill_text(
        "From {2026-10-19:%-d %B} ({season}, after {season-1}; {year+1})",
        move,
        dt.date(2027, 9, 15),
    )
    assert said == "From 2 November (2027-2028, after 2026-2027; 2028)"
    # A season is named by the autumn it starts in: a plan from February is for last autumn's.
    assert fill_text("{season}", move, dt.date(2028, 2, 1)) == "2027-2028"


# Starters that name the practice the user gives ------------------------------------------------

GIVEN = "Studio Medico Rossi"
# Each starter's sample practice, and the short name its texts once used for it.
SAMPLES = {
    "breast-screening": ("Hollybank Medical Practice", "Hollybank"),
    "diabetes-education": ("Cedar Valley Primary Care", "Cedar Valley"),
    "flu-vaccination": ("Medicina di Gruppo Borgo Trento", "Medicina di Gruppo"),
    "prenatal-enrolment": ("Bluestem Women's Health", "Bluestem"),
    "specialist-referrals": ("Riverstone Cardiology Associates", "Riverstone"),
}


def _without_web_addresses(text: str) -> str:
    """The text without its sample web addresses (``bluestemwomenshealth.example``): the plan
    has no field for a website, so they stay samples, under the reserved ``.example`` name."""
    import re

    return re.sub(r"\S+\.example\S*", "", text)


def _check_names_the_practice(fresh, sample_run) -> None:
    """``fresh`` (created for GIVEN) names GIVEN wherever ``sample_run`` (created without a
    practice) names the starter's sample practice, and never names the sample."""
    import json

    from planner.plan.starters import get_starter, without_people

    starter = sample_run_id(sample_run)
    full, short = SAMPLES[starter]
    data = json.loads(get_starter(starter).path.read_text(encoding="utf-8"))
    people = data["starter"]["sample"]["people"]  # the sample practice's, not GIVEN's
    assert fresh.practice == GIVEN
    given_texts, sample_texts = _texts(fresh), _texts(sample_run)
    assert len(given_texts) == len(sample_texts)
    named = 0
    details = [data["starter"]["sample"].get(k) for k in ("address", "phone", "website")]
    for given, sample in zip(given_texts, sample_texts, strict=True):
        assert short not in _without_web_addresses(given), given
        for name in people:
            assert name not in given, given
        for detail in filter(None, details):  # GIVEN's are not known: left to fill in
            assert detail not in given, given
        if full in sample:
            expected = without_people(sample.replace(full, GIVEN), people)
            for key, detail in zip(("address", "phone", "website"), details, strict=True):
                expected = expected.replace(detail, f"[your {key}]") if detail else expected
            places = data["starter"]["sample"].get("places", {})
            for place in sorted(places, key=len, reverse=True):  # its places: to fill in
                expected = re.sub(rf"\b{re.escape(place)}\b", places[place], expected)
            # the sample's own figures are left to fill in too (see the test below)
            assert re.sub(r"\d+(?:[.,]\d+)*", "N", given.replace("[your figure]", "N")) == re.sub(
                r"\d+(?:[.,]\d+)*", "N", expected
            )
            named += 1
    assert named >= 2  # the practice field and at least one text a patient or clinician reads


def sample_run_id(campaign) -> str:
    return next(sid for sid, (full, _) in SAMPLES.items() if campaign.practice == full)


@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_planner_new_with_a_practice_names_it_in_every_text(db_path, runner, starter):
    """`planner new --from STARTER --practice "Studio Medico Rossi"`: every text that named
    the sample practice names Studio Medico Rossi, none names the sample, and the campaign
    has no block finding, as one made without --practice has none."""
    from planner.cli.main import main
    from planner.compliance import lint_campaign, load_rules
    from planner.store import Store

    start = ["--start", "2027-09-01"]
    address = ["--address", "1 High Street, Leeds LS1 1AA", "--phone", "0113 496 0000"]
    for args in (["--practice", GIVEN], [], ["--practice", GIVEN, *address]):
        result = runner.invoke(
            main, ["--db", str(db_path), "new", "X", "--from", starter, *start, *args]
        )
        assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        given, sample, addressed = (
            store.get_campaign(s.id) for s in sorted(store.list_campaigns(), key=lambda s: s.id)
        )
    _check_names_the_practice(given, sample)
    for campaign in (addressed, sample):
        report = lint_campaign(campaign, load_rules())
        assert [(f.rule.id, f.subject) for f in report.blocking] == []
        assert report.counts()["review"] <= 1
    # Without its address, GIVEN's marketing emails lack one: said, not filled with the sample's
    blocking = lint_campaign(given, load_rules()).blocking
    assert {f.rule.id for f in blocking} <= {"US-EMAIL-ADDRESS"}


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_a_starter_from_the_store_api_names_the_practice_given(store, starter, start):
    """What the TUI's new-campaign dialog calls: the same texts as the command line."""
    from planner.plan.campaigns import new_campaign

    given = store.get_campaign(
        new_campaign(store, name="X", starter=starter, practice=GIVEN, start=start)
    )
    # An empty Practice field (the dialog sends "") keeps the sample practice in the texts.
    sample = store.get_campaign(
        new_campaign(store, name="Y", starter=starter, practice="", start=start)
    )
    assert sample.practice == ""
    _check_names_the_practice(given, campaign_from_starter(starter, start=start))
    others = {"name", "practice"}
    expected = campaign_from_starter(starter, start=start).model_dump(exclude=others)
    assert sample.model_dump(exclude=others) == expected


@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_any_practice_name_the_field_takes_fits_every_text(starter):
    """The longest name the practice field takes fits every field its starter puts it in,
    and a name written with braces is written as given."""
    for practice in ("P" * 200, "Ambulatorio {year} & Associati"):
        campaign = campaign_from_starter(starter, practice=practice)
        assert campaign.practice == practice
        texts = _texts(campaign.model_copy(update={"practice": ""}))
        assert any(practice in text for text in texts)


async def test_the_new_campaign_dialog_s_practice_is_named_in_the_flu_texts(db_path):
    """From the welcome screen: `s`, the flu starter, the Practice field typed over, Enter."""
    from textual.widgets import Input, Label, OptionList

    from planner.store import Store
    from screens.app import make_app
    from screens.dialogs import NewCampaignDialog, PracticeDetailsDialog

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        options = app.screen.query_one(OptionList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, t in enumerate(titles) if "flu" in t.lower())
        await pilot.press("enter")
        assert isinstance(app.screen, NewCampaignDialog)
        practice = app.screen.query_one("#practice", Input)
        assert practice.value == SAMPLES["flu-vaccination"][0]  # the sample, to type over
        practice.value = ""
        await pilot.click("#practice")
        await pilot.press(*GIVEN, "enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeDetailsDialog)  # its address, phone, website
        assert GIVEN in str(app.screen.query_one(".title", Label).render())
        await pilot.press("enter")  # left empty: the sample's stay
        await pilot.pause()
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        flu = store.get_campaign(summary.id)
    sample = campaign_from_starter("flu-vaccination", start=flu.start_date)
    _check_names_the_practice(flu, sample)
    assert f"The doctors of {GIVEN} vaccinate their patients" in flu.core_message


@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_a_starter_for_another_practice_keeps_the_roles_not_the_sample_s_people(starter):
    """Made for another practice, a starter's "Practice manager - Helen Okafor" is "Practice
    manager", and a sample person named in a sentence is a gap to fill, said as one; made for
    its own sample practice, its people stay."""
    import json

    from planner.plan.starters import campaign_from_starter, get_starter

    data = json.loads(get_starter(starter).path.read_text(encoding="utf-8"))
    people = data["starter"]["sample"]["people"]
    assert people  # every shipped starter names its sample people
    theirs = campaign_from_starter(starter, practice=GIVEN).model_dump_json()
    for name in people:
        assert name not in theirs
    # who prepares its briefs is not the sample's staff: the client's, if kept (planner client)
    assert campaign_from_starter(starter, practice=GIVEN).prepared_by == ""
    sample = campaign_from_starter(starter).model_dump_json()
    assert all(name in sample for name in people)


@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_another_practice_gets_none_of_the_sample_practice_s_own_figures(starter):
    """The sample practice's outcome data ("78% finished", "seen within 2 business days") is
    not another practice's: wherever the plan wrote it, it is left to fill in, as are where the
    sample stood on each measure (the baselines) and how many patients it has (the segments'
    sizes). The sample's own plan keeps them all."""
    from planner.plan.starters import YOUR_FIGURE

    sample = campaign_from_starter(starter, start=dt.date(2027, 9, 1))
    figures = {
        found
        for message in sample.messages
        for claim in message.claims
        if claim.evidence_kind == "outcome_data"
        for found in re.findall(r"\b\d+(?:%|(?: business)? days?\b)", claim.text)
    }
    assert figures  # every shipped starter backs a claim with its own outcome data
    other = campaign_from_starter(starter, practice=GIVEN, start=dt.date(2027, 9, 1))
    texts = other.model_dump_json()
    for figure in figures:
        assert not re.search(rf"(?<![\d.,]){re.escape(figure)}", texts), figure
    claims = [c for m in other.messages for c in m.claims if c.evidence_kind == "outcome_data"]
    assert claims and all(YOUR_FIGURE in c.text for c in claims)
    assert all(m.baseline is None for m in other.measures)
    assert "from [your figure]" in other.objective or "from about [your figure]" in (
        other.objective
    )  # where the objective said the sample practice starts from
    assert any(m.baseline is not None for m in sample.measures)
    assert all(s.population is None and s.estimated_size is None for s in other.segments)
    # the rest of the plan is the sample's: the same items, targets and budget
    assert [m.target for m in other.measures] == [m.target for m in sample.measures]
    assert other.total_budget_minor == sample.total_budget_minor


def test_what_a_starter_for_another_practice_leaves_to_fill_in_is_listed_until_filled(
    db_path, runner
):
    """The steps list each placeholder left ("Fill in [your figure] in variant ..."), planner
    show lists them, and a brief that still holds them says so; filled, they are gone."""
    from planner.cli.main import main
    from planner.plan.guide import Step, check_step
    from planner.store import Store

    def run(*args: str):
        result = runner.invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == 0, result.output
        return result

    run("new", "Flu", "--from", "flu-vaccination", "--practice", GIVEN, "--start", "2027-09-01")
    with Store.open(db_path) as store:
        campaign = store.get_campaign(1)
    overview = check_step(campaign, Step.OVERVIEW).problems
    assert "Fill in [your figure] in the overview." in overview
    message = check_step(campaign, Step.MESSAGE).problems
    assert any(p.startswith("Fill in ") and "[your figure]" in p and "in variant '" in p
               for p in message)  # fmt: skip
    shown = run("show", "1").output
    assert "To fill in (a starter made for this practice left them):" in shown
    assert "1 Overview: Fill in [your figure] in the overview." in shown
    said = run("brief", "1").stderr
    assert "The brief still holds [your figure]" in said and "'planner show 1'" in said
    objective = campaign.objective.replace("[your figure]", "52")
    run("set", "1", "objective", objective)
    with Store.open(db_path) as store:
        assert "Fill in" not in " ".join(check_step(store.get_campaign(1), Step.OVERVIEW).problems)
    # the sample practice's own plan has nothing to fill in
    run("new", "Flu sample", "--from", "flu-vaccination", "--start", "2027-09-01")
    assert "To fill in" not in run("show", "2").output
    assert "still holds" not in run("brief", "2").stderr


@pytest.mark.parametrize("starter", sorted(SAMPLES))
def test_another_practice_gets_none_of_the_sample_practice_s_places(starter):
    """The sample practice's town, districts, sites and local health authority (its file's
    sample places) are left to fill in for another practice, and so are its segments' areas;
    the sample's own plan keeps them."""
    import json

    from planner.plan.starters import get_starter

    data = json.loads(get_starter(starter).path.read_text(encoding="utf-8"))
    places = data["starter"]["sample"]["places"]
    assert places  # every shipped starter names its sample's places
    other = campaign_from_starter(starter, practice=GIVEN, start=dt.date(2027, 9, 1))
    texts = other.model_dump_json()
    for place in places:
        assert not re.search(rf"\b{re.escape(place)}\b", texts), place
    assert all(s.location == "[your area]" for s in other.segments if s.location)
    sample = campaign_from_starter(starter, start=dt.date(2027, 9, 1)).model_dump_json()
    assert any(re.search(rf"\b{re.escape(place)}\b", sample) for place in places)
