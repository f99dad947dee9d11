"""Focus and typing in the campaign's steps, driven by real key presses through Textual's Pilot:
Tab from the step list lands in the step's first field, what is typed there goes into it (and is
saved), and no key typed in a field is taken for a shortcut."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import type_fast
from textual import events
from textual.widgets import Input, OptionList, TextArea
from textual.widgets._select import SelectOverlay

from planner.domain.models import ReviewKind
from planner.plan.campaigns import new_campaign
from planner.plan.guide import Step
from planner.store import Store
from screens.app import make_app
from screens.brief import BriefScreen
from screens.dialogs import NewCampaignDialog, SignOffDialog
from screens.home import HomeScreen
from screens.welcome import WelcomeScreen
from screens.widgets.forms import SAVE_DELAY
from screens.widgets.keybar import KeyBar
from screens.workspace import CampaignWorkspace
from screens.workspace.editor import EditorScreen, SegmentEditor

TODAY = dt.date(2027, 1, 15)
SIZES = [(100, 32), (80, 24)]
# Keys that are not part of a typed value, from blank to the brief: 27 measured.
NAVIGATION_CEILING = 30
# Digits, '?', and the letters of every shortcut of the steps and their lists (a add, d
# delete, k the KPI library, r the review, y yes, n new): each would fire if it got through.
SENTENCE = "Ask 3 doctors, add 7 kids? Yes: review and drink 1 kale soda."


LISTS = {
    Step.AUDIENCE: "segments",
    Step.INFLUENCERS: "influencers",
    Step.ACTIVITIES: "activities",
    Step.MEASURES: "measures",
    Step.BUDGET: "budget",
}


@pytest.fixture
def flu(db_path):
    with Store.open(db_path) as store:
        return new_campaign(store, name="Flu 2027", starter="flu-vaccination")


def stored(db_path, campaign_id: int):
    with Store.open(db_path) as store:
        return store.get_campaign(campaign_id)


async def open_step(pilot, step: Step) -> CampaignWorkspace:
    """Open the campaign and move the step list's highlight to ``step`` (the list keeps the
    focus, as it does for a user browsing the steps)."""
    await pilot.press("enter")
    await pilot.pause()
    workspace = pilot.app.screen
    assert isinstance(workspace, CampaignWorkspace)
    assert pilot.app.focused is workspace.query_one("#steps", OptionList)
    await pilot.press(*["down"] * (step.number - 1))
    await pilot.pause()
    assert workspace.step is step
    return workspace


def value(widget) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value


def no_binding_fired(app, workspace: CampaignWorkspace, step: Step) -> None:
    assert app.screen is workspace  # no dialog, editor or other screen opened
    assert workspace.step is step  # no number key moved to another step
    assert not workspace.query_one("#help").display  # '?' did not open the help


@pytest.mark.parametrize("size", SIZES, ids=["100x32", "80x24"])
@pytest.mark.parametrize("step", list(Step), ids=[s.value for s in Step])
async def test_tab_from_the_step_list_types_into_the_first_field(db_path, flu, step, size):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        workspace = await open_step(pilot, step)
        before = stored(db_path, flu)
        await pilot.press("tab")
        field = app.focused
        assert isinstance(field, (Input, TextArea)), field
        start = value(field)
        type_fast(pilot, *SENTENCE)  # in one burst, as a fast typist's keys arrive
        await pilot.pause()
        # What was there is kept (the cursor came in at its end), the sentence follows it.
        assert value(field) == start + SENTENCE
        no_binding_fired(app, workspace, step)

        if step in (Step.OVERVIEW, Step.MESSAGE, Step.MIX):
            await pilot.pause(SAVE_DELAY + 0.3)  # saved a moment after the last key
            after = stored(db_path, flu)
            saved = {
                Step.OVERVIEW: (after.name, before.name),
                Step.MESSAGE: (after.core_message, before.core_message),
                Step.MIX: (after.mix.product.description, before.mix.product.description),
            }[step]
            assert saved == (saved[1] + SENTENCE, saved[1])
        else:
            # A list step: the field above the list names a new item; Enter adds it and
            # opens it at its next field.
            await pilot.press("enter")
            await pilot.pause()
            editor = app.screen
            assert isinstance(editor, EditorScreen)
            assert value(editor.autoform.form.widget("name")) == SENTENCE
            assert app.focused is not editor.autoform.form.widget("name")
            items = getattr(stored(db_path, flu), LISTS[step])
            assert SENTENCE in [item.name for item in items]


class Keys:
    """Presses keys as a user would, counting those that are not part of a typed value."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.navigation = 0

    async def type(self, text: str) -> None:
        type_fast(self.pilot, *text)
        await self.pilot.pause()

    async def nav(self, *keys: str) -> None:
        self.navigation += len(keys)
        for key in keys:
            await self.pilot.press(key)
            await self.pilot.pause()


@pytest.mark.long
async def test_a_whole_campaign_from_blank_with_the_keys_the_screens_teach(db_path):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await keys.nav("escape")  # the key bar: "Campaign list"
        assert isinstance(app.screen, HomeScreen)
        await keys.nav("n")  # the key bar: "New"
        await keys.type("Diabetes check-ups")
        await keys.nav("enter")
        workspace = app.screen
        assert isinstance(workspace, CampaignWorkspace) and workspace.guided

        # The help panel teaches the keys the key bar has no room for.
        await keys.nav("f1")
        help_text = str(workspace.query_one("#help-text").render())
        for taught in ("Ctrl+N", "Ctrl+O", "Escape closes this panel"):
            assert taught in help_text
        await keys.nav("escape")  # closes the panel; the campaign stays open
        assert app.screen is workspace and not workspace.query_one("#help").display

        # Overview: the name is in; on to the dates.
        assert app.focused is workspace.query_one("#field-name")
        await keys.nav(*["tab"] * 6)
        assert app.focused is workspace.query_one("#field-start_date")
        await keys.type("2027-03-01")
        await keys.nav("tab")
        await keys.type("2027-08-31")

        # Audience: the list is empty, so the field that names a new segment has the focus.
        await keys.nav("ctrl+n")
        await keys.type("Adults with type 2 diabetes")
        await keys.nav("enter")
        assert isinstance(app.screen, SegmentEditor)
        await keys.type("Registered patients due a check")  # the description, next after name
        await keys.nav("escape")

        await keys.nav("ctrl+n")  # Influencers
        await keys.type("Practice nurses")
        await keys.nav("enter", "escape")

        await keys.nav("ctrl+n")  # Message: the core message first
        await keys.type("A yearly check keeps diabetes in hand.")

        await keys.nav("ctrl+n")  # the 7Ps: typing writes the description of the one shown
        await keys.type("A 30-minute check with a nurse")
        await keys.nav("tab", "down")  # back to the list of Ps, on to Price
        await keys.type("Free with most plans")

        await keys.nav("ctrl+n", "ctrl+n")  # past Activities to Measures
        assert workspace.step is Step.MEASURES
        await keys.type("Patients checked")
        await keys.nav("enter", "escape")

        await keys.nav("ctrl+o")  # taught by the help panel
        assert isinstance(app.screen, BriefScreen)
        print(f"navigation keys: {keys.navigation}")

    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        c = store.get_campaign(summary.id)
    assert c.name == "Diabetes check-ups"
    assert (c.start_date, c.end_date) == (dt.date(2027, 3, 1), dt.date(2027, 8, 31))
    (segment,) = c.segments
    assert (segment.name, segment.description) == (
        "Adults with type 2 diabetes",
        "Registered patients due a check",
    )
    assert [i.name for i in c.influencers] == ["Practice nurses"]
    assert c.core_message == "A yearly check keeps diabetes in hand."
    assert c.mix.product.description == "A 30-minute check with a nurse"
    assert c.mix.price.description == "Free with most plans"
    assert [m.name for m in c.measures] == ["Patients checked"]
    assert keys.navigation <= NAVIGATION_CEILING


async def open_overview_field(pilot, name: str):
    """Open the campaign and Tab from the step list to the overview's field ``name``."""
    workspace = await open_step(pilot, Step.OVERVIEW)
    await pilot.press("tab")
    target = workspace.query_one(f"#field-{name}")
    while pilot.app.focused is not target:
        await pilot.press("tab")
    return workspace, target


@pytest.mark.parametrize("size", SIZES, ids=["100x32", "80x24"])
async def test_pasted_lines_are_joined_not_dropped(db_path, flu, size):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        _, field = await open_overview_field(pilot, "practice")
        await pilot.press("ctrl+u")
        field.post_message(events.Paste("Riverside Family Medicine\n\n  Elm Street clinic\n"))
        await pilot.pause(SAVE_DELAY + 0.3)
        assert field.value == "Riverside Family Medicine; Elm Street clinic"
    assert stored(db_path, flu).practice == "Riverside Family Medicine; Elm Street clinic"


@pytest.mark.parametrize("size", SIZES, ids=["100x32", "80x24"])
async def test_a_long_value_shows_from_its_start_once_the_field_is_left(db_path, flu, size):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        _, field = await open_overview_field(pilot, "practice")
        await pilot.press("ctrl+u", *"Riverside Family Medicine and Community Vaccination Centre")
        await pilot.pause()
        assert field.scroll_offset.x > 0  # typing, the view follows the cursor to the end
        await pilot.press("tab")
        await pilot.pause()
        assert field.scroll_offset.x == 0
        assert "Riverside" in field.render_line(0).text


@pytest.mark.parametrize("size", SIZES, ids=["100x32", "80x24"])
async def test_escape_closes_the_help_panel_and_stays_in_the_campaign(db_path, flu, size):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        workspace = await open_step(pilot, Step.MESSAGE)
        await pilot.press("f1")
        panel = workspace.query_one("#help")
        assert panel.display
        help_text = str(workspace.query_one("#help-text").render())
        assert "F1, ? or Escape closes this panel." in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is workspace and not panel.display
        await pilot.press("escape")  # with the panel closed, Escape leaves as before
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", SIZES, ids=["100x32", "80x24"])
async def test_a_field_error_is_shown_while_and_only_while_the_value_is_wrong(db_path, flu, size):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        workspace, _ = await open_overview_field(pilot, "start_date")
        error = workspace.query_one("#error-start_date")
        await pilot.press("ctrl+u", *"31/02/2027")
        await pilot.pause()
        assert error.display and "'31/02/2027' is not a date" in str(error.render())
        await pilot.press("ctrl+u", *"2027-09-01")
        await pilot.pause()
        assert not error.display
        name = workspace.query_one("#field-name")
        name.focus()
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert workspace.query_one("#error-name").display
        type_fast(pilot, *"Flu")
        await pilot.pause()
        await pilot.pause()
        assert not workspace.query_one("#error-name").display


async def test_a_dialogs_problem_goes_once_the_value_is_put_right(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")  # a new blank campaign, from the list of campaigns
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewCampaignDialog)
        problem = dialog.query_one("#problem")
        await pilot.press("enter")
        await pilot.pause()
        assert "Give the campaign a name." in str(problem.render())
        type_fast(pilot, *"Spring")
        await pilot.pause()
        await pilot.pause()
        assert str(problem.render()).strip() == ""

        await pilot.press("escape")
        await open_step(pilot, Step.OVERVIEW)
        answers = []
        app.push_screen(SignOffDialog(ReviewKind.MEDICAL, TODAY), answers.append)
        await pilot.pause()
        dialog = app.screen
        problem = dialog.query_one("#problem")
        type_fast(pilot, *"Dr Rossi")
        await pilot.pause()
        dialog.query_one("#date").focus()
        await pilot.press("ctrl+u", *"31/02/2027", "enter")
        await pilot.pause()
        assert "'31/02/2027' is not a date" in str(problem.render())
        await pilot.press("ctrl+u", *"2027-01-14")
        await pilot.pause()
        assert str(problem.render()).strip() == ""
        assert app.screen is dialog and not answers  # checked again, not recorded
        await pilot.press("enter")
        await pilot.pause()
        assert answers and answers[0].date == dt.date(2027, 1, 14)


async def test_a_dropdown_near_the_foot_stays_above_the_key_bar(db_path, flu):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        workspace, field = await open_overview_field(pilot, "status")
        await pilot.press("enter")
        await pilot.pause()
        overlay = field.query_one(SelectOverlay)
        assert overlay.display and overlay.region.height > 1
        footer = workspace.query_one(KeyBar)
        assert overlay.region.bottom <= footer.region.y


async def test_typing_on_the_7ps_writes_the_description_of_the_p_under_the_cursor(db_path):
    with Store.open(db_path) as store:
        campaign_id = new_campaign(store, name="Blank")
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        workspace = await open_step(pilot, Step.MIX)
        await pilot.press("enter")  # from the step list into the table of the seven Ps
        await pilot.press("down", *"Free with 3 plans? yes", "tab", "down", *"At the clinic")
        await pilot.pause(SAVE_DELAY + 0.3)
        assert workspace.step is Step.MIX and app.screen is workspace
        assert str(workspace.query_one("#row-description .label").render()) == "Place"
    mix = stored(db_path, campaign_id).mix
    assert mix.product.description == ""
    assert mix.price.description == "Free with 3 plans? yes"
    assert mix.place.description == "At the clinic"


@pytest.mark.parametrize("field", ["jurisdictions", "offering", "status"])
async def test_a_key_typed_on_a_choice_field_is_no_shortcut(db_path, flu, field):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        workspace, widget = await open_overview_field(pilot, field)
        type_fast(pilot, *"3?7a")
        await pilot.pause()
        await pilot.pause()
        no_binding_fired(app, workspace, Step.OVERVIEW)
        assert app.focused is widget
        if field == "jurisdictions":  # the list's own key still works: space ticks
            before = list(widget.selected)
            await pilot.press("space")
            await pilot.pause()
            assert list(widget.selected) != before


async def test_the_brief_language_is_chosen_on_the_overview_by_keyboard(db_path, flu):
    """The starter for Italy is briefed in Italian; choosing English on the Overview (its
    dropdown by keyboard) gives the brief in English, and the choice is kept."""
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        workspace, field = await open_overview_field(pilot, "language")
        await pilot.press("ctrl+o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        preview = app.screen.query_one("#preview").document.source
        assert preview.startswith("# Brief della campagna: Flu 2027")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is workspace and app.focused is field
        await pilot.press("enter", "down", "enter")  # the dropdown: unset, English, Italiano
        await pilot.pause(SAVE_DELAY + 0.3)
        assert stored(db_path, flu).language == "en"
        await pilot.press("ctrl+o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        preview = app.screen.query_one("#preview").document.source
        assert preview.startswith("# Campaign brief: Flu 2027")
