"""The planner at 80x24, the smallest terminal it is made for: each screen still says where the
user is, and nothing the user reads is cut or covered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from factories import tracked_campaign
from helpers import until
from textual.widgets import Input, MarkdownViewer, Static
from textual.widgets._header import HeaderTitle

import screens.styles
from planner.domain.models import Cost
from planner.plan.campaigns import new_campaign
from planner.plan.guide import Step
from planner.store import Store
from screens.app import PlannerApp, make_app
from screens.brief import fit_tables
from screens.dialogs import EntryDialog
from screens.home_views import PORTFOLIO_COLUMNS
from screens.tracking import TrackingScreen
from screens.widgets.columns import lay_out
from screens.widgets.rowtable import RowTable
from screens.workspace import CampaignWorkspace

SMALL = (80, 24)
TODAY = dt.date(2027, 3, 30)
LONG_NAME = "Vaccinazione antinfluenzale 2027"


def _tracked(db_path) -> int:
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(tracked_campaign(name=LONG_NAME))
        for channel, amount in (("print_mail", 123450), ("physician_liaison", 20000)):
            store.add_entry(
                campaign_id, Cost(date="2027-03-02", amount_minor=amount, channel=channel)
            )
        return campaign_id


def header(app) -> str:
    return str(app.screen.query_one(HeaderTitle).render())


async def test_the_tracking_header_says_tracking_and_the_whole_name_at_80_columns(db_path):
    _tracked(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        assert header(app).strip() == f"Tracking: {LONG_NAME}"
        await pilot.resize_terminal(140, 32)  # room for the app's name as well
        await pilot.pause()
        assert header(app).strip() == f"Healthcare Campaign Planner — Tracking: {LONG_NAME}"


async def test_the_spent_by_channel_chart_has_its_title_and_whole_names_at_80_columns(db_path):
    _tracked(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        chart = str(app.screen.query_one("#channel-chart").render())
        assert "Spent by channel (USD)" in chart
        assert "Print and direct mail┤" in chart
        assert "Physician liaison┤" in chart


def _flu(db_path) -> int:
    with Store.open(db_path) as store:
        return new_campaign(store, name=LONG_NAME, starter="flu-vaccination")


async def test_at_80_columns_the_help_takes_the_steps_place_until_it_is_closed(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter", "8")
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, CampaignWorkspace) and workspace.step is Step.BUDGET
        workspace.current_pane().focus_first()  # at work in the step's first field
        await pilot.pause()
        assert app.focused in workspace.query_one("#panes").query("*")
        field = app.focused
        panes, panel = workspace.query_one("#panes"), workspace.query_one("#help")
        await pilot.press("f1")
        await pilot.pause()
        # The help reads in whole lines, the step is not squeezed beside it...
        assert panel.size.width >= 50 and not panes.display
        assert app.focused is panel  # its keys scroll the help, none acts on the hidden list
        await pilot.press("escape")
        await pilot.pause()
        # ...and comes back whole, with the focus where it was.
        assert panes.display and not panel.display
        assert panes.size.width >= 55 and app.focused is field


async def test_at_100_columns_the_help_stays_beside_the_step(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "8")
        await pilot.pause()
        workspace = app.screen
        workspace.current_pane().focus_first()
        await pilot.press("f1")
        await pilot.pause()
        assert workspace.query_one("#panes").display and workspace.query_one("#help").display
        assert app.focused in workspace.query_one("#panes").query("*")  # the field keeps it


def test_a_table_too_wide_for_the_preview_is_written_row_by_row():
    brief = (
        "## Measures\n\n"
        "| Measure | Category | Baseline | Target | Unit |\n"
        "|---|---|---:|---:|---|\n"
        "| Flu vaccination coverage, patients aged 65 and over | Clinical outcome | 58 | 70 "
        "| % vaccinated \\| this season |\n"
        "| Missed appointments | Retention | 9 | – | |\n\n"
        "After."
    )
    narrow = fit_tables(brief, 40)
    assert "| Measure |" not in narrow
    assert "**Flu vaccination coverage, patients aged 65 and over**\\\n" in narrow
    # each other column by its name; an escaped bar stays in its cell; nothing said of "–"
    assert (
        "Category: Clinical outcome · Baseline: 58 · Target: 70 · Unit: % vaccinated \\| this "
        "season"
    ) in narrow
    assert "**Missed appointments**\\\nCategory: Retention · Baseline: 9\n" in narrow
    assert narrow.startswith("## Measures\n") and narrow.endswith("After.")
    assert fit_tables(brief, 200) == brief  # where it fits, the table stays as it is


async def test_the_brief_preview_at_80_columns_shows_each_measure_whole(db_path):
    campaign_id = _flu(db_path)
    with Store.open(db_path) as store:  # briefed in English, not in the Italian practice's
        store.update_campaign(campaign_id, {"language": "en"}, expected_version=None)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter", "ctrl+o")
        viewer = app.screen.query_one(MarkdownViewer)
        await until(pilot, lambda: "## Measures" in viewer.document.source)
        shown = viewer.document.source
        assert "| Channel | Budget | Planned in activities |" in shown  # fits: a table
        assert "| Measure |" not in shown  # eight columns: row by row
        assert "**Flu vaccination coverage, patients aged 65 and over (primary)**" in shown
        assert "Source: Regional vaccination registry extract" in shown
        await pilot.resize_terminal(220, 40)  # wide enough for the measures' table again
        await until(pilot, lambda: "| Measure |" in viewer.document.source)


async def test_a_refused_result_keeps_the_dialog_clear_of_the_header_and_key_bar(db_path):
    _tracked(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EntryDialog)
        dialog.query_one("#field-when", Input).value = "2027-10-01"  # after today
        dialog.query_one("#field-value", Input).value = "60"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        problem = dialog.query_one("#problem", Static)
        assert "after today" in str(problem.render())
        box = dialog.query_one("#entry-dialog").region
        assert box.y >= 1 and box.bottom <= SMALL[1] - 1  # the header and key bar show
        for part in (problem, dialog.query_one("#save"), dialog.query_one("#cancel")):
            assert box.contains_region(part.region) and part.region.height
        assert problem.region.height == 3 and problem.max_scroll_y == 0  # all of its lines


async def test_a_notice_leaves_the_budget_summary_and_the_header_in_view(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("enter", "8")
        await pilot.pause()
        workspace = app.screen
        summary = workspace.current_pane().query_one(".figures")
        assert "unallocated" in str(summary.render())
        app.notify("Deleted the budget line 'Contingency'. Ctrl+Z puts it back.")
        await until(pilot, lambda: workspace.query("Toast"))
        await pilot.pause()
        notice = workspace.query_one("Toast").region
        assert notice.height and notice.y >= 1  # under the header
        assert not notice.overlaps(summary.region)
        assert notice.bottom <= summary.region.y


def test_the_name_column_has_the_room_the_other_columns_leave():
    widths = dict(
        (c.label, w) for c, w in lay_out(PORTFOLIO_COLUMNS, 100, 1, {"Practice": 31, "Flags": 0})
    )
    assert widths["Name"] >= len(LONG_NAME)  # the flags column, empty, takes only its label
    assert widths["Flags"] == len("Flags") and 10 <= widths["Practice"] < 31
    # Without the cells, the room is shared by weight as before.
    assert dict((c.label, w) for c, w in lay_out(PORTFOLIO_COLUMNS, 100, 1))["Name"] == 25


async def test_the_campaign_list_shows_a_long_name_whole_at_100_columns(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        assert LONG_NAME in table.render_line(1).text  # the first row, under the labels


def test_every_stylesheet_is_read_as_the_planner_starts():
    """The app reads every screen's stylesheet once as it starts (a screen opened for the first
    time does not have the whole stylesheet read again and every screen restyled): a new file
    left out of the list would style its screen only once that screen had opened."""
    folder = Path(screens.styles.__file__).parent
    assert sorted(screens.styles.STYLESHEETS) == sorted(p.name for p in folder.glob("*.tcss"))
    assert [Path(p).name for p in PlannerApp.CSS_PATH] == list(screens.styles.STYLESHEETS)
