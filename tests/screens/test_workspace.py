"""The guided planning workspace, driven by real key presses through Textual's Pilot."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import type_fast, until
from textual import events
from textual.widgets import DataTable, Input, OptionList, Select, SelectionList, TextArea

from planner.domain.models import (
    Activity,
    Campaign,
    CareStage,
    Channel,
    Claim,
    Influencer,
    InfluencerKind,
    JourneyStage,
    Measure,
    MeasureCategory,
    MessageVariant,
    MixElement,
    MixP,
    Result,
    Segment,
)
from planner.plan.campaigns import new_campaign
from planner.plan.editing import CampaignEditor
from planner.plan.guide import Step
from planner.plan.kpis import kpi_library
from planner.store import Store
from screens.app import make_app
from screens.dialogs import ClaimDialog, ConfirmDialog, KpiDialog
from screens.workspace import CampaignWorkspace
from screens.workspace.editor import EditorScreen, SegmentEditor, VariantEditor

SIZE = (80, 24)
TODAY = dt.date(2027, 1, 15)


async def fill(pilot, *fields: str | tuple[str, ...]) -> None:
    """Type each text into the focused field and Tab to the next; a tuple is a list of keys
    pressed as they are (for a choice list), ``None``-like "" skips a field."""
    for entry in fields:
        if isinstance(entry, tuple):
            await pilot.press(*entry)
        elif entry:
            type_fast(pilot, *entry)  # a typed text comes in one burst, as from a typist
            await pilot.pause()
        await pilot.press("tab")
    await pilot.pause()


def focused(app):
    return app.focused


# A campaign built from blank through every step by keys, one test a step. Each test starts
# from the campaign as the keys of the steps before it leave it (saved here through the
# editor, as the screens save it), opens it in guided mode at the step before and presses Next.

OVERVIEW = {
    "practice": "Riverside",
    "service_line": "Diabetes",
    "prepared_by": "Ana",
    "objective": "More HbA1c checks",
    "desired_behaviour": "Book a check-up",
    "start_date": dt.date(2027, 3, 1),
    "end_date": dt.date(2027, 8, 31),
    "jurisdictions": ["US"],
}
SEGMENT = Segment(
    name="Type 2 adults",
    description="Registered",
    age_min=40,
    age_max=79,
    gender="all",
    location="Elm",
    languages=["English", "Spanish"],
    psychographics="Busy",
    health_need="HbA1c checks",
    care_stage=CareStage.CHRONIC,
    payer_notes="Medicare",
    literacy_grade=6,
    cultural_needs="Interpreter",
    preferred_channels=[Channel.EMAIL, Channel.SMS],
    population=12000,
    eligible_pct=10,
    reachable_pct=80,
    estimated_size=960,
)
INFLUENCER = Influencer(
    name="Endocrinologists",
    kind=InfluencerKind.SPECIALIST,
    segments=["Type 2 adults"],
    relationship="Good",
    approach="Lunch talks",
)
VARIANT = MessageVariant(
    name="Adults A",
    segment="Type 2 adults",
    ab_label="A",
    headline="Your check",
    body="It takes half an hour.",
    call_to_action="Book today",
    claims=[Claim(text="Checks help", evidence_kind="guideline", evidence_reference="ADA 2027")],
    disclaimers=["Ask your doctor."],
)
ACTIVITIES = [
    Activity(
        name=name,
        channel=Channel.EMAIL,
        journey_stage=stage,
        start_date=OVERVIEW["start_date"],
        end_date=OVERVIEW["end_date"],
        owner="Ana",
        staff_hours=6,
        planned_cost_minor=cost,
        segment="Type 2 adults",
        message="Adults A",
    )
    for name, stage, cost in (
        ("Email", JourneyStage.AWARENESS, 25000),
        ("Call", JourneyStage.FOLLOW_UP, 120050),
    )
]


def saved_before(db_path, step: Step) -> None:
    """Save the campaign as the keys of the steps before ``step`` leave it."""
    before = list(Step)[: list(Step).index(step)]
    with Store.open(db_path) as store:
        editor = CampaignEditor(store, new_campaign(store, name="Diabetes check-ups"))
        if Step.OVERVIEW in before:
            editor.save_overview(OVERVIEW)
        if Step.AUDIENCE in before:
            editor.add(SEGMENT)
        if Step.INFLUENCERS in before:
            editor.add(INFLUENCER)
        if Step.MESSAGE in before:
            editor.save_overview({"core_message": "Check yearly"})
            editor.add(VARIANT)
        if Step.MIX in before:
            for p in MixP:
                editor.save_mix(p, MixElement(description=p.label[:3], items=["one"]))
        if Step.ACTIVITIES in before:
            for activity in ACTIVITIES:
                editor.add(activity)
        if Step.MEASURES in before:
            kpi = next(k for k in kpi_library() if k.name == "HbA1c control")
            editor.add(kpi.measure(primary=True).model_copy(update={"baseline": 52, "target": 65}))


async def guided_at(pilot, step: Step) -> CampaignWorkspace:
    """Open the saved campaign in guided mode at the step before ``step``, and press Next."""
    workspace = await open_workspace(pilot)
    workspace.guided = True  # as a new campaign opens (or the palette's "Guided mode on")
    await pilot.press(str(step.number - 1))
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()
    return workspace


def saved_campaign(db_path) -> Campaign:
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        return store.get_campaign(summary.id)


async def test_step_1_a_blank_campaign_s_overview_by_keys(db_path):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        # First run: the welcome screen offers a blank campaign.
        await pilot.press("n", *"Diabetes check-ups", "enter")
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, CampaignWorkspace)
        assert workspace.guided and workspace.step is Step.OVERVIEW
        assert "Step 1 of 8" in str(workspace.query_one("#guide-progress").render())

        # 1. Overview: the name field has the focus.
        assert focused(app).id == "field-name"
        await pilot.press("tab")
        await fill(
            pilot,
            "Riverside",
            "Diabetes",
            "Ana",
            "More HbA1c checks",
            "Book a check-up",
            "2027-03-01",
            "2027-08-31",
            "",  # currency stays USD
        )
        assert isinstance(focused(app), SelectionList)
        await pilot.press("space")  # United States
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert workspace.step is Step.AUDIENCE

    c = saved_campaign(db_path)
    assert c.name == "Diabetes check-ups"
    assert (c.practice, c.service_line, c.prepared_by) == ("Riverside", "Diabetes", "Ana")
    assert (c.objective, c.desired_behaviour) == ("More HbA1c checks", "Book a check-up")
    assert (c.start_date, c.end_date) == (dt.date(2027, 3, 1), dt.date(2027, 8, 31))
    assert c.jurisdictions == ["US"]


async def test_step_2_a_segment_with_every_field_and_the_sizing_helper_by_keys(db_path):
    saved_before(db_path, Step.AUDIENCE)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await guided_at(pilot, Step.AUDIENCE)
        assert workspace.step is Step.AUDIENCE

        # 2. Audience: add a segment and fill every field, the sizing helper included. The
        # list is empty, so the field that names a new one has the focus.
        type_fast(pilot, *"Type 2 adults")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SegmentEditor)
        await fill(
            pilot,
            "Registered",
            "40",
            "79",
            "all",
            "Elm",
            "English, Spanish",
            "HbA1c checks",
            ("enter", "down", "down", "down", "enter"),  # care stage: chronic
            "Busy",
            "Medicare",
            "6",
            "Interpreter",
            ("space", "down", "space"),  # email and SMS
            "12000",
            "10",
            "80",
        )
        await pilot.pause(0.8)
        size = app.screen.autoform.form.widget("estimated_size")
        assert size.value == "960" and size.disabled  # 12,000 x 10% x 80%
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is workspace
        await pilot.press("ctrl+n")

    c = saved_campaign(db_path)
    (segment,) = c.segments
    assert segment.name == "Type 2 adults"
    assert (segment.location, segment.health_need, segment.payer_notes) == (
        "Elm",
        "HbA1c checks",
        "Medicare",
    )
    assert (segment.age_min, segment.age_max, segment.literacy_grade) == (40, 79, 6)
    assert segment.languages == ["English", "Spanish"]
    assert segment.care_stage is CareStage.CHRONIC
    assert segment.preferred_channels == [Channel.EMAIL, Channel.SMS]
    assert segment.estimated_size == 960


async def test_step_3_an_influencer_of_the_segment_by_keys(db_path):
    saved_before(db_path, Step.INFLUENCERS)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await guided_at(pilot, Step.INFLUENCERS)

        # 3. Influencers
        type_fast(pilot, *"Endocrinologists")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await fill(
            pilot,
            ("enter", *["up"] * 7, "enter"),  # from Other up to Specialist
            ("space",),  # influences the one segment
            "",  # strength stays 3
            "Good",
            "Lunch talks",
        )
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()

    c = saved_campaign(db_path)
    (segment,) = c.segments
    (influencer,) = c.influencers
    assert influencer.kind is InfluencerKind.SPECIALIST
    assert influencer.segments == [segment.name]
    assert (influencer.relationship, influencer.approach) == ("Good", "Lunch talks")


async def test_step_4_the_core_message_and_a_variant_with_a_claim_by_keys(db_path):
    saved_before(db_path, Step.MESSAGE)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await guided_at(pilot, Step.MESSAGE)

        # 4. Message: the core message above the list of variants.
        assert workspace.step is Step.MESSAGE
        assert isinstance(focused(app), TextArea)
        type_fast(pilot, *"Check yearly")
        await pilot.pause()
        await pilot.press("tab", *"Adults A", "enter")
        await pilot.pause()
        assert isinstance(app.screen, VariantEditor)
        await fill(
            pilot,
            ("enter", "down", "enter"),  # segment: the first one
            "A",
            "",  # written for any channel
            "Your check",
            "It takes half an hour.",
            "Book today",
        )
        type_fast(pilot, *"Ask your doctor.")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, ClaimDialog)
        type_fast(pilot, *"Checks help")
        await pilot.pause()
        await fill(pilot, "", ("enter", "down", "down", "down", "enter"))  # guideline
        type_fast(pilot, *"ADA 2027")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.8)
        assert isinstance(app.screen, VariantEditor)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()

    c = saved_campaign(db_path)
    (segment,) = c.segments
    assert c.core_message == "Check yearly"
    (variant,) = c.messages
    assert (variant.segment, variant.ab_label) == (segment.name, "A")
    assert (variant.headline, variant.call_to_action) == ("Your check", "Book today")
    assert variant.disclaimers == ["Ask your doctor."]
    (claim,) = variant.claims
    assert claim.evidence_kind == "guideline"
    assert (claim.text, claim.evidence_reference) == ("Checks help", "ADA 2027")


async def test_step_5_each_of_the_7ps_described_with_an_item_by_keys(db_path):
    saved_before(db_path, Step.MIX)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await guided_at(pilot, Step.MIX)

        # 5. The 7Ps: each one described, with an item.
        assert workspace.step is Step.MIX
        for p in MixP:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen)
            await fill(pilot, f"{p.label[:3]}", "one")
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("down")
        await pilot.press("ctrl+n")
        await pilot.pause()

    c = saved_campaign(db_path)
    for p, element in c.mix.elements():
        assert element.description == p.label[:3]
        assert element.items == ["one"]


@pytest.mark.long
async def test_step_6_activities_before_and_after_the_visit_by_keys(db_path):
    saved_before(db_path, Step.ACTIVITIES)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await guided_at(pilot, Step.ACTIVITIES)

        # 6. Activities: one before the visit, one after it.
        for name, stage_keys, cost in (
            ("Email", (), "250"),
            ("Call", ("enter", "down", "down", "down", "down", "enter"), "1,200.50"),
        ):
            # Back from an item, the focus is in the field that names the next one.
            await pilot.press(*name, "enter")
            await pilot.pause()
            await fill(
                pilot,
                "",  # channel stays email
                stage_keys,
                ("enter", "down", "enter"),  # the segment
                "",
                ("enter", "down", "enter"),  # the message variant
                "",
                "",  # dates default to the campaign's
                "Ana",
                "6",
                cost,
            )
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()

    c = saved_campaign(db_path)
    (segment,) = c.segments
    first, second = c.activities
    assert first.journey_stage is JourneyStage.AWARENESS
    assert second.journey_stage is JourneyStage.FOLLOW_UP
    assert second.planned_cost_minor == 120050
    assert second.segment == segment.name and second.message == "Adults A"
    assert (second.start_date, second.owner, second.staff_hours) == (c.start_date, "Ana", 6)


async def test_step_7_a_measure_from_the_kpi_library_by_keys(db_path):
    saved_before(db_path, Step.MEASURES)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await guided_at(pilot, Step.MEASURES)

        # 7. Measures: one from the KPI library, from the list under the field.
        await pilot.press("tab", "k")
        await pilot.pause()
        assert isinstance(app.screen, KpiDialog)
        options = app.screen.query_one(OptionList)
        screening = next(
            i
            for i in range(options.option_count)
            if "HbA1c control" in str(options.get_option_at_index(i).prompt)
        )
        options.highlighted = screening
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await fill(pilot, "", "", "", "", "52", "65")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()

    c = saved_campaign(db_path)
    (measure,) = c.measures
    assert measure.name == "HbA1c control" and measure.primary
    assert (measure.baseline, measure.target) == (52, 65)


async def test_step_8_a_budget_line_then_finish_with_every_step_done_by_keys(db_path):
    saved_before(db_path, Step.BUDGET)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await guided_at(pilot, Step.BUDGET)

        # 8. Budget
        type_fast(pilot, *"Mail")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, "1,500")
        await pilot.press("escape")
        await pilot.pause()
        assert workspace.step is Step.BUDGET
        await pilot.press("ctrl+n")  # Finish
        await pilot.pause()
        assert not workspace.guided
        assert all(c.done for c in workspace.checks.values()), {
            s: c.problems for s, c in workspace.checks.items() if not c.done
        }

    c = saved_campaign(db_path)
    (line,) = c.budget
    assert line.amount_minor == 150000


@pytest.fixture
def flu(db_path):
    with Store.open(db_path) as store:
        return new_campaign(store, name="Flu 2027", starter="flu-vaccination")


async def open_workspace(pilot):
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CampaignWorkspace)
    return pilot.app.screen


async def test_an_invalid_value_is_shown_next_to_its_field_and_never_saved(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, SegmentEditor)
        before = editor.editor.items(type(editor.target.item))[0]
        await pilot.press("tab", "tab", "tab")  # oldest age
        assert focused(app).id == "field-age_max"
        # Typed over in one edit: a field cleared first is valid (no oldest age), and a slow
        # machine may save it before the next key arrives.
        focused(app).value = "abc"
        await pilot.pause(0.8)
        error = str(editor.query_one("#error-age_max").render())
        assert "'abc' is not a number" in error
        focused(app).value = "30"  # younger than the youngest age (65)
        await pilot.pause(0.8)
        error = str(editor.query_one("#error-age_max").render())
        assert "The youngest age (65) is above the oldest age (30)" in error
        state = str(editor.query_one(".save-state").render())
        assert "'Oldest age' needs fixing" in state
        # Leaving asks first, and the stored value is the old one.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is workspace
    with Store.open(db_path) as store:
        assert store.get_campaign(flu).segments[0].age_max == before.age_max


async def test_a_bad_date_in_the_overview_keeps_the_rest_saving(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("enter", "tab")  # into the overview form, then to the practice
        await pilot.press("ctrl+u", *"Studio Verdi")
        for _ in range(5):
            await pilot.press("tab")
        assert focused(app).id == "field-start_date"
        focused(app).value = "31/02/2027"  # in one edit: a cleared date is valid (no date)
        await pilot.pause(0.8)
        error = str(workspace.query_one("#error-start_date").render())
        assert "write it as YYYY-MM-DD" in error
    with Store.open(db_path) as store:
        saved = store.get_campaign(flu)
    assert saved.practice == "Studio Verdi"
    assert saved.start_date is not None


async def test_a_stale_save_is_refused_and_a_reload_is_offered(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        # Another window saves first.
        with Store.open(db_path) as other:
            campaign = other.get_campaign(flu)
            other.update_campaign(
                flu, {"practice": "Saved by the other window"}, expected_version=campaign.version
            )
        await pilot.press("enter", "tab", "ctrl+u", *"Typed here")
        # The save comes after the typing pauses; on a loaded machine the question a little
        # later still.
        for _ in range(50):
            await pilot.pause(0.1)
            if isinstance(app.screen, ConfirmDialog) and app.screen.query(".question"):
                break
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "changed in another window" in str(app.screen.query_one(".question").render())
        with Store.open(db_path) as other:
            assert other.get_campaign(flu).practice == "Saved by the other window"
        await pilot.press("y")  # reload
        await pilot.pause()
        assert app.screen is workspace
        practice = workspace.query_one("#field-practice", Input)
        assert practice.value == "Saved by the other window"
        # After the reload, edits save again.
        practice.focus()
        await pilot.press("ctrl+u", *"After reload")
        await pilot.pause(0.8)
    with Store.open(db_path) as store:
        assert store.get_campaign(flu).practice == "After reload"


async def test_number_keys_palette_help_and_delete(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        workspace = await open_workspace(pilot)
        assert app.focused.id == "steps"
        await pilot.press("6", "ctrl+b")
        assert workspace.step is Step.MIX
        await pilot.press("ctrl+n")
        assert workspace.step is Step.ACTIVITIES
        await pilot.press("f1")
        help_text = str(workspace.query_one("#help-text").render())
        assert "after the first visit" in help_text
        count = len(workspace.editor.campaign.activities)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert len(workspace.editor.campaign.activities) == count - 1
        # The command palette offers the steps.
        await pilot.press("ctrl+p")
        await pilot.pause()
        type_fast(pilot, *"step 7")
        await pilot.pause()
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert workspace.step is Step.MEASURES
    with Store.open(db_path) as store:
        assert len(store.get_campaign(flu).activities) == count - 1


async def test_reorder_with_shift_arrows(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("2")
        names = [s.name for s in workspace.editor.campaign.segments]
        await pilot.press("shift+down")
        await pilot.pause()
        assert [s.name for s in workspace.editor.campaign.segments][:2] == [names[1], names[0]]
    with Store.open(db_path) as store:
        assert [s.name for s in store.get_campaign(flu).segments][:2] == [names[1], names[0]]


async def test_a_new_item_left_untouched_is_not_kept(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("3")
        count = len(workspace.editor.campaign.influencers)
        await pilot.press("a")
        await pilot.pause()
        assert len(workspace.editor.campaign.influencers) == count + 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(workspace.editor.campaign.influencers) == count


async def test_reading_grade_warns_above_the_segment_target(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("4")  # the step's list has the focus
        variants = workspace.editor.campaign.messages
        row = next(n for n, v in enumerate(variants) if v.segment)
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, VariantEditor)
        hint = editor.query_one("#hint-call_to_action")
        # The starter's segment reads Italian but its texts are in English: graded as English,
        # and the hint says why.
        assert "Reading level: Flesch-Kincaid grade" in str(hint.render())
        assert "the text reads as English, the segment's language is Italian" in str(hint.render())
        assert not hint.has_class("warn")
        body = editor.query_one("#field-body", TextArea)
        body.focus()
        body.select_all()
        # The user pastes a denser text over the body.
        app.post_message(
            events.Paste(
                "Seasonal influenza immunisation substantially diminishes hospitalisation "
                "probability among individuals with cardiovascular comorbidities."
            )
        )
        await pilot.pause(0.8)
        assert hint.has_class("warn")
        assert "the target for this segment is grade" in str(hint.render())
        segment_select = editor.query_one("#field-segment", Select)
        assert segment_select.value == variants[row].segment


async def test_an_italian_variant_is_read_on_the_gulpease_scale(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("4")
        variants = workspace.editor.campaign.messages
        row = next(n for n, v in enumerate(variants) if v.segment == "Patients aged 65 and over")
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, VariantEditor)
        hint = editor.query_one("#hint-call_to_action")
        for name in ("headline", "body", "call_to_action"):
            field = editor.query_one(f"#field-{name}")
            field.focus()
            await pilot.pause()
            if isinstance(field, TextArea):
                field.select_all()
                await pilot.pause()
                app.post_message(
                    events.Paste(
                        "La vaccinazione antinfluenzale stagionale è raccomandata ai soggetti "
                        "con patologie croniche cardiovascolari e respiratorie."
                    )
                )
            else:
                field.value = ""
            await pilot.pause(0.3)
        await pilot.pause(0.8)
        shown = str(hint.render())
        assert shown.startswith(
            "Reading level: Gulpease 33 (hard for readers with high-school education); the "
            "target for this segment is Gulpease 73 or more (about grade 6)."
        )
        assert hint.has_class("warn")
        await pilot.press("escape")
        await pilot.pause()
        table = workspace.current_pane().table
        cells = [str(c) for c in table.get_row_at(row)]
        assert "G 33" in cells


async def test_ctrl_c_quits_and_saves_the_edit_still_waiting(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("enter", "tab", "ctrl+u", *"Verdi")
        workspace.query_one("#steps").focus()
        await pilot.press("ctrl+c")  # before the pause after typing is over
        await pilot.pause()
        assert not app.is_running
    with Store.open(db_path) as store:
        assert store.get_campaign(flu).practice == "Verdi"


async def test_a_reload_in_an_editor_does_not_let_old_overview_values_overwrite(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        with Store.open(db_path) as other:
            version = other.get_campaign(flu).version
            other.update_campaign(flu, {"practice": "Other window"}, expected_version=version)
        await pilot.press("2", "enter", "ctrl+u", *"Over 65s")  # rename a segment
        await pilot.pause(0.8)
        assert isinstance(app.screen, ConfirmDialog)  # refused: stale
        await pilot.press("y")  # reload
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is workspace
        await pilot.press("1", "enter")
        await pilot.pause()
        assert workspace.query_one("#field-practice", Input).value == "Other window"
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"Dr Bellini")  # prepared by
        await pilot.pause(0.8)
    with Store.open(db_path) as store:
        saved = store.get_campaign(flu)
    assert (saved.practice, saved.prepared_by) == ("Other window", "Dr Bellini")


async def test_a_rename_elsewhere_keeps_the_link_in_an_open_editor(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        row = next(n for n, a in enumerate(workspace.editor.campaign.activities) if a.segment)
        await pilot.press("6", *["down"] * row, "enter")  # an activity aimed at a segment
        await pilot.pause()
        editor = app.screen
        activity = editor.target.item
        assert activity.segment is not None
        with Store.open(db_path) as other:
            campaign = other.get_campaign(flu)
            segment = next(s for s in campaign.segments if s.name == activity.segment)
            other.update_item(
                flu,
                segment.model_copy(update={"name": "Renamed"}),
                expected_version=campaign.version,
            )
        await pilot.press("ctrl+u", *"Letters")
        await pilot.pause(0.8)
        await pilot.press("y")  # reload
        await pilot.pause()
        assert editor.query_one("#field-segment", Select).value == "Renamed"
        await pilot.press("ctrl+u", *"Letters")
        await pilot.pause(0.8)
    with Store.open(db_path) as store:
        saved = next(a for a in store.get_campaign(flu).activities if a.name == "Letters")
    assert saved.segment == "Renamed"


async def test_a_claim_is_saved_even_while_a_field_needs_fixing(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_workspace(pilot)
        await pilot.press("4", "enter")
        await pilot.pause()
        editor = app.screen
        before = len(editor.target.item.claims)
        await pilot.press("tab", "tab", "ctrl+u", *"ab")  # not a valid A/B label
        await pilot.press("ctrl+l")
        await pilot.pause()
        type_fast(pilot, *"Free for over 60s")
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "down", "down", "enter")
        await pilot.press("tab", *"Circolare 2026", "enter")
        await pilot.pause()
        assert "A/B label" in str(editor.query_one(".save-state").render())
    with Store.open(db_path) as store:
        variant = store.get_campaign(flu).messages[0]
    assert len(variant.claims) == before + 1
    assert variant.claims[-1].evidence_reference == "Circolare 2026"
    assert variant.ab_label != "ab"


async def test_deleting_a_measure_says_its_results_go_too(db_path, flu):
    with Store.open(db_path) as store:
        campaign = store.get_campaign(flu)
        measure = campaign.measures[0]
        store.add_entry(flu, Result(measure=measure.name, date=dt.date(2027, 2, 1), value=61))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_workspace(pilot)
        await pilot.press("7", "d")
        await pilot.pause()
        assert "Its 1 recorded result will be deleted with it." in str(
            app.screen.query_one(".question").render()
        )


async def test_a_currency_that_would_change_the_amounts_is_refused_at_the_field(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("enter")  # into the overview form
        workspace.query_one("#field-currency", Input).focus()
        await pilot.press("ctrl+u", *"JPY")
        await pilot.pause(0.8)
        error = str(workspace.query_one("#error-currency").render())
        assert "Amounts are already entered in EUR" in error
    with Store.open(db_path) as store:
        assert store.get_campaign(flu).currency == "EUR"


def key_bar(app) -> str:
    """What the key bar at the foot of the screen shows."""
    from screens.widgets.keybar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


async def visit(pilot, step: str) -> None:
    """Go to a step by its number key, then Tab from the step list to its pane's table."""
    await pilot.press(step)
    pilot.app.screen.query_one("#steps").focus()
    for _ in range(10):
        await pilot.press("tab")
        if isinstance(pilot.app.focused, DataTable):
            break
    await pilot.pause()


async def test_the_key_bar_follows_the_step(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(120, 32)) as pilot:
        workspace = await open_workspace(pilot)
        await visit(pilot, "4")
        assert workspace.step is Step.MESSAGE
        assert " ^r Review " in key_bar(app)
        assert "KPI library" not in key_bar(app)
        await visit(pilot, "7")
        assert workspace.step is Step.MEASURES
        assert " ^k KPI library " in key_bar(app)
        assert " ^r Review " not in key_bar(app)
        # The focused table's keys first, then the screen's; the palette's key on the right.
        assert key_bar(app).startswith(" ⏎ Edit  a Add  d Delete  ^k KPI library  esc Campaigns ")
        assert key_bar(app).endswith("▏^p palette ")


async def test_the_steps_hints_name_keys_that_work_where_the_focus_is(db_path):
    """A blank campaign's Measures step has the focus in "New measure", where k is typed: the
    line under the list and the key bar (at 80x24) name Ctrl+K, which opens the library from
    there; the Message step names Ctrl+R for its review, r being typed in its fields."""
    with Store.open(db_path) as store:
        new_campaign(store, name="Vaccinazioni 2027")
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        workspace.go(Step.MEASURES)
        await pilot.pause()
        assert focused(app) is workspace.current_pane().query_one(".quick-add-name", Input)
        hint = str(workspace.current_pane().query_one(".figures").render())
        assert "Ctrl+K: add one from the KPI library" in hint
        assert "No measures yet. Type a name above" in str(
            workspace.current_pane().query_one(".empty").render()
        )
        assert " ^k KPI library " in key_bar(app)
        await pilot.press("k")
        assert focused(app).value == "k"  # typed, as the user meant
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, KpiDialog)
        await pilot.press("escape")
        await pilot.pause()

        workspace.go(Step.MESSAGE)
        await pilot.pause()
        figures = str(workspace.current_pane().query_one(".figures").render())
        assert "Ctrl+R: the review" in figures
        assert " ^r Review " in key_bar(app)


async def test_an_empty_list_names_its_items_in_the_plural(db_path):
    with Store.open(db_path) as store:
        new_campaign(store, name="Vaccinazioni 2027")
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        workspace.go(Step.ACTIVITIES)
        await pilot.pause()
        empty = str(workspace.current_pane().query_one(".empty").render())
        assert empty.startswith("No activities yet.")


async def test_a_measure_in_percent_shows_its_percent_sign_in_the_list(db_path):
    with Store.open(db_path) as store:
        cid = new_campaign(store, name="Vaccinazioni 2027")
        store.update_campaign(cid, {"currency": "EUR", "jurisdictions": ["IT"]}, expected_version=1)
        measure = Measure(
            name="Copertura over 65",
            category=MeasureCategory.CLINICAL_OUTCOME,
            unit="% degli over 65",
            baseline=58,
            target=63.5,
        )
        store.add_item(cid, measure, expected_version=2)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        workspace = await open_workspace(pilot)
        workspace.go(Step.MEASURES)
        await pilot.pause()
        table = workspace.current_pane().query_one(DataTable)
        assert [str(cell).strip() for cell in table.get_row_at(0)[1:3]] == ["58%", "63,5%"]


async def test_a_segment_without_shares_shows_its_population_in_the_list(db_path):
    with Store.open(db_path) as store:
        cid = new_campaign(store, name="Vaccinazioni 2027")
        store.update_campaign(cid, {"currency": "EUR", "jurisdictions": ["IT"]}, expected_version=1)
        store.add_item(cid, Segment(name="Over 65", population=12000), expected_version=2)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        workspace.go(Step.AUDIENCE)
        await pilot.pause()
        pane = workspace.current_pane()
        assert str(pane.query_one(DataTable).get_row_at(0)[-1]).strip() == "pop. 12.000"
        figures = str(pane.query_one(".figures").render())
        assert "pop.: the whole population, until the eligible and reachable shares" in figures


async def test_ctrl_r_opens_the_review_from_a_variant_editor(db_path, flu):
    """'Ctrl+R anywhere in a campaign': also with the cursor in a variant's field."""
    from screens.review import ReviewScreen

    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_workspace(pilot)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, VariantEditor)
        app.screen.query_one("#field-name").focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VariantEditor)


async def test_the_revenue_measure_is_a_box_of_the_measure_and_marked_in_the_list(db_path):
    """Issue 27: the measure whose results are the campaign's revenue is marked by the user
    (its box in the measure's form), and the list shows which it is."""
    from textual.widgets import Checkbox

    from planner.plan.starters import campaign_from_starter

    with Store.open(db_path) as store:
        store.create_campaign(campaign_from_starter("specialist-referrals"))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        workspace.go(Step.MEASURES)
        await pilot.pause()
        table = workspace.current_pane().query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        last = table.row_count - 1
        assert names[last].startswith("¤ Net collections")
        assert not any(name.startswith("¤") for name in names[:last])
        table.focus()
        table.move_cursor(row=last)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        box = next(b for b in app.screen.query(Checkbox) if "Revenue" in str(b.label))
        assert box.value
        box.focus()
        await pilot.press("space", "escape")
        await pilot.pause()
    assert not any(m.revenue for m in saved_campaign(db_path).measures)


async def test_the_overview_takes_the_staff_capacity_and_the_expected_return(db_path, flu):
    """Issue 27: blank stays none (an expected revenue left out is not zero)."""
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("1")
        await pilot.pause()
        for field, text in (("staff_hours_per_month", "12,5"), ("expected_responses", "1.200")):
            widget = workspace.query_one(f"#field-{field}", Input)
            widget.focus()
            await pilot.press(*text, "tab")
        await until(pilot, lambda: saved_campaign(db_path).expected_responses == 1200)
    saved = saved_campaign(db_path)
    assert saved.staff_hours_per_month == 12.5  # an Italian campaign: 12,5
    assert saved.expected_revenue_minor is None


async def test_with_a_landing_page_the_activities_show_their_link_tags(db_path, flu):
    """Issue 27: each activity's utm_content, as planner links and the brief give it."""
    from planner.plan.links import content_tags

    with Store.open(db_path) as store:
        version = store.get_campaign(flu).version
        store.update_campaign(
            flu, {"landing_page": "https://clinic.example/flu"}, expected_version=version
        )
        campaign = store.get_campaign(flu)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(120, 32)) as pilot:
        workspace = await open_workspace(pilot)
        await pilot.press("6")
        await pilot.pause()
        table = workspace.current_pane().table
        await until(pilot, lambda: table.row_count == len(campaign.activities))
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:2] == ["Activity", "Link tag"]
        first = campaign.activities[0].name
        tag = next(t for t, name in content_tags(campaign).items() if name == first)
        assert str(table.get_row_at(0)[1]).strip() == tag
