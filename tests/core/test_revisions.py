"""The revision history of a campaign's plan: every saved change recorded with what it was and
became, undone and redone through the editor, reverted by a consultant, at the command line
and by Ctrl+Z and Ctrl+Y in the planner's window."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import until
from textual.widgets import Input

from planner.cli.main import main
from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Claim,
    Influencer,
    Measure,
    MessageVariant,
    MixElement,
    MixP,
    Segment,
)
from planner.plan.editing import CampaignEditor
from planner.store import Store
from screens.app import make_app
from screens.workspace import CampaignWorkspace
from screens.workspace.editor import SegmentEditor


@pytest.fixture
def cid(store: Store) -> int:
    return store.create_campaign(Campaign(name="Flu season 2027", currency="EUR"))


def last(store: Store, campaign_id: int):
    return store.revisions(campaign_id)[-1]


def version(store: Store, campaign_id: int) -> int:
    return store.campaign_version(campaign_id)


def test_each_kind_of_write_records_one_revision_with_before_and_after(store, cid):
    store.update_campaign(cid, {"name": "Q"}, expected_version=1)
    rev = last(store, cid)
    assert (rev.label, rev.before, rev.after) == (
        "Name",
        {"name": "Flu season 2027"},
        {"name": "Q"},
    )
    assert rev.version == 2 and rev.kind == "change"
    assert dt.datetime.fromisoformat(rev.created_at).utcoffset() == dt.timedelta(0)

    store.update_mix(
        cid, MixP.PRICE, MixElement(description="Free at the clinic"), expected_version=2
    )
    rev = last(store, cid)
    assert rev.label == "Price (7Ps)"
    assert rev.before["description"] == "" and rev.after["description"] == "Free at the clinic"

    added = store.add_item(cid, Segment(name="Parents of under-5s"), expected_version=3)
    rev = last(store, cid)
    assert rev.label == "Segment 'Parents of under-5s' added" and rev.before is None
    assert rev.after["item"]["name"] == "Parents of under-5s"

    v = store.add_item(
        cid,
        Measure(name="Flu coverage", category="clinical_outcome", target=70),
        expected_version=added.version,
    ).version
    measure_id = store.get_campaign(cid).measures[0].id
    v = store.update_item(
        cid,
        Measure(id=measure_id, name="Flu coverage", category="clinical_outcome", target=75),
        expected_version=v,
    )
    rev = last(store, cid)
    assert rev.label == "Measure 'Flu coverage': target"
    assert (rev.before["target"], rev.after["target"]) == (70, 75)

    for model, name in ((Influencer, "GPs"), (BudgetLine, "Print")):
        extra = {"kind": "other"} if model is Influencer else {"amount_minor": 5000}
        v = store.add_item(cid, model(name=name, **extra), expected_version=v).version
    v = store.add_item(cid, Segment(name="Over-65s"), expected_version=v).version
    over_65 = store.get_campaign(cid).segments[1].id
    v = store.move_item(cid, Segment, over_65, 0, expected_version=v)
    rev = last(store, cid)
    assert rev.label == "Segment 'Over-65s' moved"
    assert (rev.before, rev.after) == ({"position": 1}, {"position": 0})

    v = store.delete_item(cid, Segment, added.id, expected_version=v)
    rev = last(store, cid)
    assert rev.label == "Segment 'Parents of under-5s' deleted" and rev.after is None
    assert rev.before["item"]["name"] == "Parents of under-5s"
    assert [r.version for r in store.revisions(cid)] == list(range(2, v + 1))


def test_a_refused_write_records_no_revision(store, cid):
    store.add_item(cid, Segment(name="Carers"), expected_version=1)
    before = store.revisions(cid)
    with pytest.raises(PlannerError):  # two segments of one name
        store.add_item(cid, Segment(name="carers"), expected_version=2)
    with pytest.raises(StaleWriteError):
        store.update_campaign(cid, {"name": "Q"}, expected_version=1)
    with pytest.raises(PlannerError):  # the end before the start
        store.update_campaign(
            cid,
            {"start_date": dt.date(2027, 9, 1), "end_date": dt.date(2027, 1, 1)},
            expected_version=2,
        )
    assert store.revisions(cid) == before
    assert store.get_campaign(cid).name == "Flu season 2027"


def test_saves_of_one_field_in_a_row_are_one_revision(store, cid):
    # The form saves as the user types: 'Q', then 'Qu', then 'Quick' is one change.
    for n, name in enumerate(["Q", "Qu", "Quick"], start=1):
        store.update_campaign(cid, {"name": name}, expected_version=n)
    (rev,) = store.revisions(cid)
    assert (rev.before, rev.after, rev.version) == (
        {"name": "Flu season 2027"},
        {"name": "Quick"},
        4,
    )
    # Typed back to what it was: no change is left to see.
    store.update_campaign(cid, {"name": "Flu season 2027"}, expected_version=4)
    assert store.revisions(cid) == []


def test_a_new_item_taken_away_at_once_leaves_no_revision(store, cid):
    # The editor drops a new item the user left untouched.
    added = store.add_item(cid, Segment(name="Segment 2"), expected_version=1)
    store.delete_item(cid, Segment, added.id, expected_version=added.version)
    assert store.revisions(cid) == []


def test_revert_puts_back_what_a_revision_changed_as_a_new_revision(store, cid):
    store.update_campaign(cid, {"name": "Q"}, expected_version=1)
    store.update_campaign(cid, {"objective": "More jabs"}, expected_version=2)
    first = store.revisions(cid)[0]
    reverted, applied = store.revert(cid, first.id, expected_version=3)
    assert reverted == first
    assert (applied.kind, applied.reverses) == ("revert", first.id)
    assert (applied.before, applied.after) == ({"name": "Q"}, {"name": "Flu season 2027"})
    campaign = store.get_campaign(cid)
    assert (campaign.name, campaign.objective) == ("Flu season 2027", "More jabs")


def test_a_deleted_item_comes_back_with_its_place_and_links(store, cid):
    v = store.add_item(cid, Segment(name="Parents"), expected_version=1).version
    v = store.add_item(cid, Segment(name="Carers"), expected_version=v).version
    v = store.add_item(
        cid,
        Activity(name="SMS", channel="sms", journey_stage="awareness", segment="Parents"),
        expected_version=v,
    ).version
    parents = store.get_campaign(cid).segments[0]
    v = store.delete_item(cid, Segment, parents.id, expected_version=v)
    assert store.get_campaign(cid).activities[0].segment is None
    deletion = last(store, cid)
    store.revert(cid, deletion.id, expected_version=v)
    campaign = store.get_campaign(cid)
    assert [s.name for s in campaign.segments] == ["Parents", "Carers"]
    assert campaign.segments[0].id == parents.id
    assert campaign.activities[0].segment == "Parents"


def test_revert_is_refused_when_the_thing_changed_since(store, cid):
    added = store.add_item(cid, Segment(name="Parents"), expected_version=1)
    v = store.update_item(
        cid, Segment(id=added.id, name="Parents", population=900), expected_version=added.version
    )
    size_change = last(store, cid)
    v = store.update_item(
        cid, Segment(id=added.id, name="Parents", population=1200), expected_version=v + 0
    )
    # Merged with the change before: one revision, 900 never seen. Change something else.
    assert last(store, cid).id == size_change.id
    v = store.update_campaign(cid, {"name": "Q"}, expected_version=v)
    v = store.update_item(
        cid, Segment(id=added.id, name="Parents", population=1500), expected_version=v
    )
    with pytest.raises(PlannerError) as refused:
        store.revert(cid, size_change.id, expected_version=v)
    assert str(refused.value) == (
        "The change 'Segment 'Parents': population' cannot be reverted: its population has "
        "been changed since; nothing was changed."
    )
    v = store.delete_item(cid, Segment, added.id, expected_version=v)
    with pytest.raises(PlannerError, match="the segment has been deleted since"):
        store.revert(cid, size_change.id, expected_version=v)
    assert version(store, cid) == v
    with pytest.raises(PlannerError, match="has no revision 999"):
        store.revert(cid, 999, expected_version=v)


def test_undo_and_redo_through_the_editor(store, cid):
    editor = CampaignEditor(store, cid)
    editor.save_overview({"name": "Q"})
    item = editor.add(MessageVariant(name="Parents A", headline="Book a flu jab"))
    variant = editor.find(MessageVariant, item)
    editor.save(variant.model_copy(update={"claims": [Claim(text="Safe for children")]}))

    assert (
        editor.undo() == "Undone: Message variant 'Parents A': claims removed 'Safe for children'"
    )
    assert editor.campaign.messages[0].claims == []
    assert editor.undo() == "Undone: Message variant 'Parents A' added (it is gone now)"
    assert editor.campaign.messages == []
    assert editor.redo() == "Redone: Message variant 'Parents A' added (it is back)"
    assert editor.campaign.messages[0].name == "Parents A"
    assert editor.undo() == "Undone: Message variant 'Parents A' added (it is gone now)"
    assert editor.undo() == "Undone: Name 'Q' → 'Flu season 2027'"
    assert store.get_campaign(cid).name == "Flu season 2027"
    with pytest.raises(PlannerError, match="has no saved change to undo"):
        editor.undo()
    assert editor.redo() == "Redone: Name 'Flu season 2027' → 'Q'"
    assert store.get_campaign(cid).name == "Q"


def test_a_new_change_clears_what_redo_would_make_again(store, cid):
    editor = CampaignEditor(store, cid)
    editor.save_overview({"name": "Q"})
    editor.undo()
    editor.save_overview({"objective": "More jabs"})
    with pytest.raises(PlannerError, match="has no undone change to redo"):
        editor.redo()
    assert store.get_campaign(cid).name == "Flu season 2027"
    assert editor.undo() == "Undone: Objective 'More jabs' → (empty)"
    # The name's change was undone already: there is nothing before it.
    with pytest.raises(PlannerError, match="has no saved change to undo"):
        editor.undo()
    assert editor.redo() == "Redone: Objective (empty) → 'More jabs'"
    assert store.get_campaign(cid).name == "Flu season 2027"


def test_undo_from_a_stale_window_is_refused(store, cid):
    window = CampaignEditor(store, cid)
    other = CampaignEditor(store, cid)
    window.save_overview({"name": "Q"})
    with pytest.raises(StaleWriteError, match="was changed elsewhere since you opened it"):
        other.undo()
    assert store.get_campaign(cid).name == "Q"
    assert len(store.revisions(cid)) == 1


# The command line -----------------------------------------------------------------------------


def test_history_and_revert_at_the_command_line(runner, db_path, store, cid):
    store.update_campaign(cid, {"name": "Q"}, expected_version=1)
    store.add_item(cid, BudgetLine(name="Print", amount_minor=123450), expected_version=2)
    line = store.get_campaign(cid).budget[0]
    store.update_item(cid, line.model_copy(update={"amount_minor": 99000}), expected_version=3)
    db = ["--db", str(db_path)]

    shown = runner.invoke(main, [*db, "history", str(cid)])
    assert shown.exit_code == 0, shown.output
    rows = shown.output.splitlines()
    assert rows[0].split() == ["#", "When", "(UTC)", "What", "Change"]
    assert "Name" in rows[1] and "'Flu season 2027' → 'Q'" in rows[1]
    assert "Budget line 'Print' added" in rows[2]
    # a euro campaign writes its money as Italians do
    assert "Budget line 'Print': amount" in rows[3] and "EUR 1.234,50 → EUR 990,00" in rows[3]

    reverted = runner.invoke(main, [*db, "revert", str(cid), "1"])
    assert reverted.exit_code == 0, reverted.output
    assert reverted.output == "Reverted #1: Name 'Q' → 'Flu season 2027'. Saved as revision 4.\n"
    assert store.get_campaign(cid).name == "Flu season 2027"

    undone = runner.invoke(main, [*db, "undo", str(cid)])
    assert undone.output == "Undone: Name 'Flu season 2027' → 'Q'. Saved as revision 5.\n"
    redone = runner.invoke(main, [*db, "redo", str(cid)])
    assert redone.output == "Redone: Name 'Q' → 'Flu season 2027'. Saved as revision 6.\n"

    as_json = json.loads(runner.invoke(main, [*db, "history", str(cid), "--json"]).output)
    assert [r["kind"] for r in as_json] == ["change", "change", "change", "revert", "undo", "redo"]
    assert as_json[3]["reverses"] == 1 and as_json[3]["after"] == {"name": "Flu season 2027"}
    assert [r["revision"] for r in as_json] == [r["id"] for r in as_json] == [1, 2, 3, 4, 5, 6]


def test_revert_at_the_command_line_says_why_it_is_refused(runner, db_path, store, cid):
    store.update_campaign(cid, {"name": "Q"}, expected_version=1)
    store.update_campaign(cid, {"objective": "More jabs"}, expected_version=2)
    store.update_campaign(cid, {"name": "R"}, expected_version=3)
    db = ["--db", str(db_path)]
    refused = runner.invoke(main, [*db, "revert", str(cid), "1"])
    assert refused.exit_code == 2
    assert refused.output == (
        "Error: The change 'Name' cannot be reverted: the name has been changed since; nothing was "
        "changed.\n"
    )
    missing = runner.invoke(main, [*db, "revert", str(cid), "42"])
    assert missing.exit_code == 2
    assert f"Campaign {cid} has no revision 42; run 'planner --db" in missing.output
    nothing = runner.invoke(main, [*db, "redo", str(cid)])
    assert nothing.exit_code == 2
    assert nothing.output == f"Error: Campaign {cid} has no undone change to redo.\n"
    empty = runner.invoke(main, [*db, "history", "99"])
    assert empty.exit_code == 2 and "There is no campaign 99" in empty.output


# The planner's window -------------------------------------------------------------------------


async def test_ctrl_z_undoes_typing_then_the_saved_change_and_ctrl_y_redoes(db_path):
    app = make_app(db_path, today=dt.date(2027, 1, 15))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n", *"Flu season 2027", "enter")
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, CampaignWorkspace)
        store, cid = workspace.editor.store, workspace.editor.campaign_id

        def name_field() -> Input:
            return workspace.query_one("#field-name", Input)

        assert app.focused is name_field()
        # Typing in the field is undone a word at a time.
        await pilot.press("end", *" draft")
        assert name_field().value == "Flu season 2027 draft"
        await pilot.press("ctrl+z")
        assert name_field().value == "Flu season 2027"
        await pilot.press("ctrl+y")
        assert name_field().value == "Flu season 2027 draft"
        await pilot.press("ctrl+z")
        assert name_field().value == "Flu season 2027"

        # A name typed over the old one is saved; on the next field Ctrl+Z undoes the save.
        await pilot.press("ctrl+u", "Q")
        await until(pilot, lambda: store.get_campaign(cid).name == "Q")
        await pilot.press("tab")
        assert app.focused is not name_field()
        await pilot.press("ctrl+z")
        await until(pilot, lambda: name_field().value == "Flu season 2027")
        assert store.get_campaign(cid).name == "Flu season 2027"
        notices = [n.message for n in app._notifications]
        assert notices[-1] == "Undone: Name 'Q' → 'Flu season 2027'"

        await pilot.press("ctrl+y")
        await until(pilot, lambda: name_field().value == "Q")
        assert store.get_campaign(cid).name == "Q"
        assert [n.message for n in app._notifications][-1] == (
            "Redone: Name 'Flu season 2027' → 'Q'"
        )
        assert workspace.sub_title == "Q"


async def test_ctrl_z_in_an_item_editor_puts_the_item_back_and_leaves_when_it_is_gone(db_path):
    with Store.open(db_path) as setup:
        cid = setup.create_campaign(Campaign(name="Flu season 2027"))
    app = make_app(db_path, today=dt.date(2027, 1, 15))
    async with app.run_test(size=(100, 32)) as pilot:
        # Open the campaign; Audience; name a segment in the field above the (empty) list.
        await pilot.press("enter", "2", *"Parents", "enter")
        await until(pilot, lambda: isinstance(app.screen, SegmentEditor))
        editor = app.screen
        store = editor.editor.store
        assert [s.name for s in store.get_campaign(cid).segments] == ["Parents"]
        name = editor.query_one("#field-name", Input)
        name.focus()
        await pilot.pause()
        await pilot.press(*" club")
        await until(
            pilot, lambda: [s.name for s in store.get_campaign(cid).segments] == ["Parents club"]
        )
        await pilot.press("tab")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: editor.query_one("#field-name", Input).value == "Parents")
        assert app.focused is not None, "the focus stays in the editor"
        assert [s.name for s in store.get_campaign(cid).segments] == ["Parents"]
        assert [n.message for n in app._notifications][-1] == (
            "Undone: Segment 'Parents club': name 'Parents club' → 'Parents'"
        )
        await pilot.press("ctrl+z")
        await until(pilot, lambda: isinstance(app.screen, CampaignWorkspace))
        assert store.get_campaign(cid).segments == []
        assert [n.message for n in app._notifications][-1] == (
            "Undone: Segment 'Parents' added (it is gone now)"
        )


def _amount_changed(store: Store, campaign: Campaign) -> int:
    """A campaign whose budget line 'Print' went from 1234.50 to 990.00."""
    cid = store.create_campaign(campaign)
    store.add_item(cid, BudgetLine(name="Print", amount_minor=123450), expected_version=1)
    line = store.get_campaign(cid).budget[0]
    store.update_item(cid, line.model_copy(update={"amount_minor": 99000}), expected_version=2)
    return cid


def test_undo_and_history_write_money_in_the_campaigns_number_style(runner, db_path, store):
    cid = _amount_changed(store, Campaign(name="Flu", currency="EUR", number_style="en_US"))
    db = ["--db", str(db_path)]
    shown = runner.invoke(main, [*db, "history", str(cid)]).output
    assert "EUR 1,234.50 → EUR 990.00" in shown  # the campaign chose 1,234.50
    undone = runner.invoke(main, [*db, "undo", str(cid)]).output
    assert undone.startswith("Undone: Budget line 'Print': amount EUR 990.00 → EUR 1,234.50.")

    euro = _amount_changed(store, Campaign(name="Influenza", currency="EUR"))  # 1.234,50
    editor = CampaignEditor(store, euro)
    assert editor.undo() == "Undone: Budget line 'Print': amount EUR 990,00 → EUR 1.234,50"


def test_undo_and_history_name_a_choice_by_its_label_not_its_code(runner, db_path, store, cid):
    editor = CampaignEditor(store, cid)
    added = editor.add(BudgetLine(name="Stampa", amount_minor=100, channel="print_mail"))
    editor.save(editor.find(BudgetLine, added).model_copy(update={"channel": None}))
    editor.save_overview({"jurisdictions": ["IT", "EU"]})

    shown = runner.invoke(main, ["--db", str(db_path), "history", str(cid)]).output
    assert "'Print and direct mail' → (empty)" in shown
    assert "print_mail" not in shown
    assert editor.undo() == "Undone: Jurisdictions 'Italy, European Union' → (empty)"
    assert editor.undo() == (
        "Undone: Budget line 'Stampa': channel (empty) → 'Print and direct mail'"
    )
