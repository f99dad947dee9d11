"""SVG snapshots of each screen at a fixed size with fixed data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factories import ab_campaign, full_campaign, import_campaign, tracked_campaign

from planner.domain.models import CampaignStatus
from planner.plan.campaigns import new_campaign
from planner.plan.guide import Step
from planner.store import Store
from screens.app import make_app
from screens.importing import ImportScreen

SIZE = (80, 24)


def test_welcome_screen(snap_compare, db_path):
    assert snap_compare(make_app(db_path), terminal_size=SIZE)


def test_home_screen(snap_compare, db_path):
    with Store.open(db_path) as store:
        for i, (name, practice, status) in enumerate(
            [
                ("Flu season 2027", "Studio Medico Verdi", CampaignStatus.ACTIVE),
                ("Diabetes education", "Riverside Family Medicine", CampaignStatus.DRAFT),
                ("Breast screening recall", "Elm Street Surgery", CampaignStatus.APPROVED),
            ]
        ):
            campaign = full_campaign(name).model_copy(
                update={
                    "practice": practice,
                    "status": status,
                    "start_date": dt.date(2027, 1 + i, 1),
                    "end_date": dt.date(2027, 6 + i, 30),
                }
            )
            store.create_campaign(campaign)
    # After the campaigns' costs and results (March 2027): what is dated later is not counted.
    # steady: the count of campaigns needing attention comes from a process of its own
    app = make_app(db_path, today=dt.date(2027, 4, 15))
    assert snap_compare(app, terminal_size=SIZE, run_before=steady)


PORTFOLIO_DAY = dt.date(2027, 4, 20)  # ten days before the campaigns end


def _portfolio(db_path) -> None:
    """Three campaigns: one over budget and behind target, one on track, one ending soon."""
    from planner.domain.models import Cost, Result

    with Store.open(db_path) as store:
        busy = store.create_campaign(tracked_campaign(practice="Elm Street Surgery"))
        store.add_entry(busy, Cost(date="2027-03-02", amount_minor=160000, channel="email"))
        store.add_entry(
            busy, Result(measure="New-patient appointments", date="2027-04-10", value=10)
        )
        calm = store.create_campaign(
            tracked_campaign(name="Diabetes education", end_date=dt.date(2027, 9, 30))
        )
        store.add_entry(calm, Cost(date="2027-03-20", amount_minor=30000, channel="email"))
        store.add_entry(
            calm, Result(measure="New-patient appointments", date="2027-04-15", value=40)
        )
        store.create_campaign(
            tracked_campaign(name="Flu clinic days", practice="Studio Medico Verdi", budget=[])
        )


def test_portfolio(snap_compare, db_path):
    _portfolio(db_path)
    app = make_app(db_path, today=PORTFOLIO_DAY)  # steady: the count comes from elsewhere
    assert snap_compare(app, terminal_size=SIZE, run_before=steady)


def _tracked(db_path) -> None:
    from planner.domain.models import Cost, Result

    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(tracked_campaign())
        for day in range(1, 29):
            channel = "email" if day % 3 else "print_mail"
            activity = "Flyers" if channel == "print_mail" else "Reminder email"
            store.add_entry(
                campaign_id,
                Cost(date=dt.date(2027, 3, day), amount_minor=1500 * day, activity=activity),
            )
            store.add_entry(
                campaign_id,
                Result(measure="New-patient appointments", date=dt.date(2027, 3, day), value=day),
            )
        for day, value in ((10, 11.5), (20, 10.5), (30, 9.8)):
            store.add_entry(
                campaign_id,
                Result(measure="No-show rate", date=dt.date(2027, 3, day), value=value),
            )
        store.add_entry(campaign_id, Result(measure="Revenue", date="2027-03-31", value=9000))


def test_tracking_budget(snap_compare, db_path):
    _tracked(db_path)
    app = make_app(db_path, today=dt.date(2027, 3, 31))
    assert snap_compare(app, terminal_size=(100, 32), run_before=press("t"))


def test_tracking_measures(snap_compare, db_path):
    _tracked(db_path)
    app = make_app(db_path, today=dt.date(2027, 3, 31))
    keys = ("t", "right", "tab", "down")  # the Measures tab, then the no-show rate's chart
    assert snap_compare(app, terminal_size=(100, 32), run_before=press(*keys))


def _ab_tested(db_path) -> None:
    """Two emails tested on one segment (B books more), flyers with a referring physician."""
    from planner.domain.models import Cost, Result

    with Store.open(db_path) as store:
        cid = store.create_campaign(ab_campaign())
        for minor, activity in ((40000, "Email A"), (60000, "Email B"), (25000, "Flyers")):
            store.add_entry(cid, Cost(date="2027-03-05", amount_minor=minor, activity=activity))
        for value, of, activity in (
            (21, 500, "Email A"),
            (38, 480, "Email B"),
            (4, None, "Flyers"),
        ):
            store.add_entry(
                cid,
                Result(
                    measure="Bookings", date="2027-03-20", value=value, of=of, activity=activity
                ),
            )


def test_tracking_compare(snap_compare, db_path):
    _ab_tested(db_path)
    app = make_app(db_path, today=dt.date(2027, 3, 31))
    keys = ("t", "right", "right")  # the Compare tab
    assert snap_compare(app, terminal_size=(100, 32), run_before=press(*keys))


def test_tracking_lessons_small(snap_compare, db_path):
    _ab_tested(db_path)
    with Store.open(db_path) as store:
        version = store.get_campaign(1).version
        store.update_campaign(
            1,
            {"what_worked": "The story email booked nearly twice as many parents."},
            expected_version=version,
        )
    app = make_app(db_path, today=dt.date(2027, 3, 31))

    async def lessons_scrolled_to_the_maturity(pilot) -> None:
        await press("t", *["right"] * 5)(pilot)
        pilot.app.screen.query_one("#lessons").scroll_end(animate=False)
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=lessons_scrolled_to_the_maturity)


def test_tracking_small(snap_compare, db_path):
    _tracked(db_path)
    app = make_app(db_path, today=dt.date(2027, 3, 31))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("t"))


def test_record_cost_dialog(snap_compare, db_path):
    _tracked(db_path)
    app = make_app(db_path, today=dt.date(2027, 3, 31))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("t", "c"))


def _one_campaign(db_path) -> None:
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Screening 2027"))


def _layout(app) -> tuple:
    """Where every widget on the screen is (and how large its content), and whether the screen
    has a layout still to do or any widget messages still to handle or a table its size or
    its columns' widths still to work out (a DataTable does that when it is next idle: under
    load, the tracking screen's measures table was caught with no height)."""
    nodes = [app, *app.screen.walk_children(with_self=True)]
    busy = app.screen._layout_required or any(
        not node._message_queue.empty()
        or getattr(node, "_require_update_dimensions", False)
        or getattr(node, "_updated_cells", False)
        for node in nodes
    )
    return busy, tuple((id(node), node.region, node.size, node.virtual_size) for node in nodes[1:])


async def steady(pilot) -> None:
    """Let the workers finish and the layout settle, then turn cursor blinking off and clear
    notifications: a cursor caught half-way through a blink would differ from run to run, and
    a table laid out again after a resize (a panel opening beside it) must be caught after
    that, however busy the machine is: the screen is taken once three looks in a row find
    nothing left to do and nothing moved."""
    await pilot.app.workers.wait_for_complete()  # e.g. the brief preview's rendering
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    last, same = None, 0
    for _ in range(50):
        await pilot.pause()
        busy, layout = _layout(pilot.app)
        same = same + 1 if not busy and layout == last else 0
        if same >= 3:
            break
        last = layout


def press(*keys: str):
    """A run_before that presses keys, then steadies the screen."""

    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await steady(pilot)

    return run_before


def test_starter_dialog(snap_compare, db_path):
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=press("s"))


def test_new_campaign_dialog(snap_compare, db_path):
    _one_campaign(db_path)
    assert snap_compare(make_app(db_path, today=TODAY), terminal_size=SIZE, run_before=press("n"))


def test_archive_confirmation(snap_compare, db_path):
    _one_campaign(db_path)
    app = make_app(db_path, today=dt.date(2027, 4, 15))  # after its costs (March 2027)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("a"))


def test_trash(snap_compare, db_path, monkeypatch):
    """The Trash: two campaigns moved there, the last first, with their costs and results."""
    monkeypatch.setattr(
        "planner.store.trash._now",
        iter(["2027-04-14T09:30:00+00:00", "2027-04-15T16:05:00+00:00"]).__next__,
    )
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Keep me"))
        for name, practice in [("Flu season 2026", "Studio Medico Verdi"), ("Old draft", "")]:
            campaign = full_campaign(name).model_copy(update={"practice": practice})
            store.delete_campaign(store.create_campaign(campaign))
    app = make_app(db_path, today=dt.date(2027, 4, 15))
    assert snap_compare(app, terminal_size=SIZE, press=["T"], run_before=steady)


def test_history(snap_compare, db_path, monkeypatch):
    """The History view from the list (h): three changes, the newest first, the message's
    rewrite under the cursor, its words taken out and put in."""
    from factories import three_changes

    times = iter(f"2027-04-1{n}T09:30:00+00:00" for n in range(10))
    monkeypatch.setattr("planner.store.revisions._now", times.__next__)
    three_changes(db_path)
    app = make_app(db_path, today=dt.date(2027, 4, 15))
    assert snap_compare(app, terminal_size=SIZE, press=["h", "down", "down"], run_before=steady)


def test_practice_filter(snap_compare, db_path):
    """p on the list: the practices with their campaigns rolled up (how many need attention
    once counted), to show one's only."""
    from test_practice_filter import three_practices

    three_practices(db_path)
    app = make_app(db_path, today=dt.date(2027, 4, 15))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("p"))


def test_calendar(snap_compare, db_path):
    """Two practices' campaigns from starters, overlapping in the autumn of 2027."""
    with Store.open(db_path) as store:
        new_campaign(store, name="Flu 2027", starter="flu-vaccination", start=dt.date(2027, 9, 1))
        new_campaign(
            store, name="Diabetes 2027", starter="diabetes-education", start=dt.date(2027, 10, 1)
        )
    app = make_app(db_path, today=dt.date(2027, 8, 1))
    assert snap_compare(app, terminal_size=SIZE, press=["c"], run_before=steady)


def test_brief_screen(snap_compare, db_path):
    _one_campaign(db_path)
    app = make_app(db_path, today=dt.date(2027, 1, 15))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("enter", "ctrl+o"))


def test_brief_screen_with_contents(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=dt.date(2027, 1, 15))
    assert snap_compare(app, terminal_size=(100, 32), run_before=press("enter", "ctrl+o", "t"))


# The workspace, each step filled from a starter -------------------------------------------

WIDE = (100, 32)
TODAY = dt.date(2027, 1, 15)


def _starter(db_path, starter: str = "diabetes-education") -> None:
    with Store.open(db_path) as store:
        new_campaign(store, name="Diabetes education", starter=starter, start=dt.date(2027, 3, 1))


@pytest.mark.parametrize("step", list(Step), ids=lambda s: s.value)
def test_workspace_step(snap_compare, db_path, step):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    keys = ["enter", str(step.number)]
    if step is Step.OVERVIEW:
        keys.append("enter")  # into the form
    assert snap_compare(app, terminal_size=WIDE, run_before=press(*keys))


def test_workspace_overview_guided_small(snap_compare, db_path):
    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("n", *"Walk-in clinic", "enter"))


def test_workspace_activities_small(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("enter", "6"))


def test_workspace_help_panel(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=WIDE, run_before=press("enter", "2", "f1"))


def test_segment_editor(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=WIDE, run_before=press("enter", "2", "enter"))


def test_variant_editor(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    keys = ("enter", "4", "down", "enter", "tab", "tab", "tab", "tab", "tab")
    assert snap_compare(app, terminal_size=WIDE, run_before=press(*keys))


def test_kpi_library(snap_compare, db_path):
    _starter(db_path)
    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=WIDE, run_before=press("enter", "7", "k"))


def test_import_preview(snap_compare, db_path, monkeypatch):
    with Store.open(db_path) as store:
        store.create_campaign(import_campaign())
    monkeypatch.chdir(Path(__file__).parents[1] / "fixtures" / "imports")  # no path in view

    async def run_before(pilot) -> None:
        await pilot.press("t", "i")
        # On a slow machine the screen may not hold the focus yet: typing early would lose keys.
        for _ in range(200):
            focused = pilot.app.focused
            if isinstance(pilot.app.screen, ImportScreen) and focused and focused.id == "path":
                break
            await pilot.pause(0.05)
        await pilot.press(*"google_ads_daily_excel.csv", "enter")
        screen = pilot.app.screen
        for _ in range(400):
            await pilot.app.workers.wait_for_complete()
            if "Ready" in str(screen.query_one("#import-summary").content):
                break
            await pilot.pause(0.05)
        screen.query_one("#import-tabs").active = "tab-preview"
        await steady(pilot)

    # The file's rows are dated March 2027: imported after that (rows dated later are left out).
    app = make_app(db_path, today=dt.date(2027, 12, 31))
    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


def _compliance(db_path) -> None:
    from factories import compliance_campaign

    with Store.open(db_path) as store:
        store.create_campaign(compliance_campaign())


def test_message_step_with_findings(snap_compare, db_path):
    _compliance(db_path)

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        pilot.app.screen.current_pane().table.focus()
        await steady(pilot)

    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)


def test_review_screen(snap_compare, db_path):
    _compliance(db_path)

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("down")  # the personal-attributes finding of the ad
        await steady(pilot)

    app = make_app(db_path, today=TODAY)
    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)


# At 80x24, rows that differ look different --------------------------------------------------


def _flu(db_path) -> None:
    with Store.open(db_path) as store:
        new_campaign(store, name="Flu 2027", starter="flu-vaccination", start=dt.date(2027, 9, 1))


def test_review_screen_small(snap_compare, db_path):
    """The flu starter's two SMS activities and the State column, with Approve in the key bar."""
    _flu(db_path)
    app = make_app(db_path, today=dt.date(2027, 8, 20))
    # the second checklist item, ticked: the two SMS activities are in view above it
    keys = ("enter", "ctrl+r", *["down"] * 6, "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=press(*keys))


def test_tracking_measures_small(snap_compare, db_path):
    """The flu starter's three coverage measures, whose names start alike."""
    _flu(db_path)
    app = make_app(db_path, today=dt.date(2027, 8, 20))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("t", "right"))


def test_export_dialog(snap_compare, db_path, monkeypatch):
    """Focus on the format; the path whole, to be added to."""
    monkeypatch.setattr("screens.brief.pdf_available", lambda: True)
    _flu(db_path)
    with Store.open(db_path) as store:
        store.set_setting("brief.export_folder", "/tmp")
    app = make_app(db_path, today=dt.date(2027, 8, 20))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("enter", "ctrl+o", "e", "down"))
