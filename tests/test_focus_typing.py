"""Focus and typing in the campaign's steps, driven by real key presses through Textual's Pilot:
Tab from the step list lands in the step's first field, what is typed there goes into it (and is
saved), and no key typed in a field is taken for a shortcut."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, OptionList, TextArea

from planner.campaigns import new_campaign
from planner.guide import Step
from planner.store import Store
from screens.app import make_app
from screens.brief import BriefScreen
from screens.editor import EditorScreen, SegmentEditor
from screens.forms import SAVE_DELAY
from screens.home import HomeScreen
from screens.welcome import WelcomeScreen
from screens.workspace import CampaignWorkspace

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
        await pilot.press(*SENTENCE)
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
        await self.pilot.press(*text)
        await self.pilot.pause()

    async def nav(self, *keys: str) -> None:
        self.navigation += len(keys)
        for key in keys:
            await self.pilot.press(key)
            await self.pilot.pause()


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
