"""The History view (issue 28): every saved change of a plan, the newest first, with what the
one under the cursor did word by word; r reverts it as a new change, after asking; opened with
F2 in the campaign (its forms then show the revert) or h on the list of campaigns."""

from __future__ import annotations

import datetime as dt

from factories import three_changes
from textual.widgets import DataTable, Static

from planner.plan.revisions import details, word_diff
from planner.store import Store
from screens.app import make_app
from screens.dialogs import ConfirmDialog
from screens.history import HistoryScreen
from screens.home import HomeScreen
from screens.workspace import CampaignWorkspace

TODAY = dt.date(2027, 1, 15)


def shown(app) -> str:
    return str(app.screen.query_one("#history-change", Static).render())


def test_a_change_s_words_taken_out_and_put_in():
    before, after = "Book your flu jab at the front desk", "Book your flu vaccine at the desk"
    assert word_diff(before, after) == [
        ("=", "Book your flu "),
        ("-", "jab "),
        ("+", "vaccine "),
        ("=", "at the "),
        ("-", "front "),
        ("=", "desk"),
    ]


async def test_the_history_lists_the_changes_newest_first_and_shows_each_whole(db_path):
    cid = three_changes(db_path)
    with Store.open(db_path) as store:
        revisions = store.revisions(cid)
        old_message = revisions[0].before["core_message"]
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.sub_title == "History of Flu 2027"
        table = app.screen.query_one(DataTable)
        whats = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert whats == [
            "Segment 'Carers' deleted",
            "Segment 'Carers of older patients' added",
            "Core message",
        ]
        assert "Name\n  was: Carers\n" in shown(app)  # the item deleted, whole
        await pilot.press("down", "down")
        # the message rewritten: both texts whole, not cut at forty letters
        text = shown(app)
        assert f"Core message\n  was: {old_message}\n" in text
        assert "  now: Book your flu vaccine online or at the desk.\n" in text
        assert app.screen.query_one("#history").region.bottom <= 24


async def test_r_reverts_the_change_after_asking_and_the_campaign_s_forms_show_it(db_path):
    cid = three_changes(db_path)
    with Store.open(db_path) as store:
        old_message = store.revisions(cid)[0].before["core_message"]
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter")  # the campaign
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, CampaignWorkspace)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "down", "r")  # the core message's change
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # kept: nothing changes
        await pilot.pause()
        with Store.open(db_path) as store:
            assert len(store.revisions(cid)) == 3
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")  # Revert (the focus starts on Keep)
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        notices = [n.message for n in app._notifications]
        assert notices[-1].startswith("Reverted #1: Core message")
        assert notices[-1].endswith("Saved as revision 4.")
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "Core message (revert of #1)"
        with Store.open(db_path) as store:
            assert store.get_campaign(cid).core_message == old_message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is workspace
        await pilot.press("4")  # the Message step: its form shows the message put back
        await pilot.pause()
        assert workspace.query_one("#field-core_message").text == old_message


def test_details_of_a_move_and_of_an_added_item(db_path):
    cid = three_changes(db_path)
    with Store.open(db_path) as store:
        added = store.revisions(cid)[1]
    (name,) = [d for d in details(added, "USD") if d.field == "Name"]
    assert name.before == "" and name.after == "Carers of older patients"
    assert not [d for d in details(added, "USD") if d.field in ("Id", "Position")]
