"""Focus and typing in the campaign's steps, driven by real key presses through Textual's Pilot:
Tab from the step list lands in the step's first field, what is typed there goes into it (and is
saved), and no key typed in a field is taken for a shortcut."""

from __future__ import annotations

import datetime as dt

import pytest
from textual import events
from textual.widgets import Input, OptionList, Select, TextArea

from planner.campaigns import new_campaign
from planner.guide import Step
from planner.models import MixP
from planner.store import Store
from screens.app import make_app
from screens.editor import EditorScreen
from screens.forms import SAVE_DELAY
from screens.workspace import CampaignWorkspace

TODAY = dt.date(2027, 1, 15)
SIZES = [(100, 32), (80, 24)]
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
