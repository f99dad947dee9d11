"""The tracking screen driven by key presses: record a cost and a result and see the figures
change, correct and delete entries, page through many, and see what another window records."""

from __future__ import annotations

import datetime as dt

from factories import ab_campaign, tracked_campaign
from helpers import until
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from planner.domain.models import Cost, Result
from planner.store import Store
from screens.app import make_app
from screens.dialogs import ConfirmDialog, EntryDialog
from screens.tracking import TrackingScreen

TODAY = dt.date(2027, 3, 30)
SIZE = (100, 32)


def _campaign(db_path, costs: int = 0) -> int:
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(tracked_campaign())
        for n in range(costs):
            store.add_entry(
                campaign_id,
                Cost(date=dt.date(2027, 3, 1 + n % 28), amount_minor=100 + n, channel="email"),
            )
        return campaign_id


async def open_tracking(pilot) -> TrackingScreen:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TrackingScreen)
    return pilot.app.screen


async def open_lessons(pilot) -> TrackingScreen:
    """The tracking screen, on its Lessons tab (five tabs to the right)."""
    screen = await open_tracking(pilot)
    await pilot.press(*["right"] * 5)
    await pilot.pause()
    return screen


def figures(screen) -> str:
    return str(screen.query_one("#figures", Static).render())


def cell(table: DataTable, row: int, column: int) -> str:
    return str(table.get_row_at(row)[column])


async def type_into(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def test_recording_a_cost_and_a_result_changes_the_figures(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        assert "Spent USD 0.00 of USD 1,500.00 (0%)" in figures(screen)

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, EntryDialog)
        await type_into(pilot, "amount_minor", "450")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Spent USD 450.00 of USD 1,500.00 (30%)" in figures(screen)
        assert "USD 15.00/day" in figures(screen)  # 450.00 over 30 days

        await pilot.press("r")
        await pilot.pause()
        await type_into(pilot, "value", "30")
        await pilot.press("enter")
        await pilot.pause()
        measures = screen.query_one("#measures", DataTable)
        assert measures.row_count == 0  # a tab is filled when it is first shown
        screen.query_one(TabbedContent).active = "tab-measures"
        await pilot.pause()
        assert cell(measures, 0, 2) == "30" and cell(measures, 0, 4) == "30%"
        assert cell(measures, 0, 5) == "Behind"  # 30 % of the way, half the time gone
        assert "USD 15.00 per appointment" in figures(screen)
        assert "New-patient appointments: 30% of the way (behind)" in figures(screen)
    with Store.open(db_path) as store:
        assert store.list_entries(1, Cost).rows[0].amount_minor == 45000
        assert store.list_entries(1, Result).rows[0].date == TODAY


async def test_a_bad_amount_is_explained_and_nothing_is_saved(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_tracking(pilot)
        await pilot.press("c")
        await pilot.pause()
        await type_into(pilot, "amount_minor", "EUR 12")
        await type_into(pilot, "when", "2027-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EntryDialog)
        assert "keeps its money in USD" in str(dialog.query_one("#error-amount_minor").render())
        assert "not a day of the calendar" in str(dialog.query_one("#error-when").render())
        await pilot.press("escape")
        await pilot.pause()
    with Store.open(db_path) as store:
        assert store.list_entries(1, Cost).total == 0


async def test_correcting_and_deleting_a_cost(db_path):
    _campaign(db_path, costs=2)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        screen.query_one(TabbedContent).active = "tab-costs"
        await pilot.pause()
        costs = screen.query_one("#costs", DataTable)
        costs.focus()
        assert cell(costs, 0, 1) == "1.01"  # newest first
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "amount_minor", "99.50")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cell(costs, 0, 1) == "99.50"
        assert "Spent USD 100.50" in figures(screen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert "Spent USD 1.00" in figures(screen)
        assert "1–1 of 1 cost," in str(screen.query_one("#costs-page", Static).render())


async def test_many_costs_are_shown_a_page_at_a_time(db_path):
    _campaign(db_path, costs=250)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        screen.query_one(TabbedContent).active = "tab-costs"
        await pilot.pause()
        screen.query_one("#costs", DataTable).focus()
        page = screen.query_one("#costs-page", Static)
        assert "1–100 of 250 costs" in str(page.render())
        assert screen.query_one("#costs", DataTable).row_count == 100
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "201–250 of 250 costs" in str(page.render())
        await pilot.press("right_square_bracket")  # no page beyond the last
        await pilot.pause()
        assert "201–250 of 250 costs" in str(page.render())


async def test_what_another_window_records_shows_up(db_path):
    campaign_id = _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        with Store.open(db_path) as other:
            other.add_entry(campaign_id, Cost(date=TODAY, amount_minor=7000, channel="sms"))
        await until(pilot, lambda: "Spent USD 70.00" in figures(screen))


async def test_a_result_needs_a_measure(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(tracked_campaign(measures=[]))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert any("no measures yet" in n.message for n in app._notifications)


async def test_the_workspace_opens_tracking_with_ctrl_t(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TrackingScreen)


async def test_the_charts_axes_start_at_zero_with_round_money_ticks(db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(tracked_campaign())
        for day, month, amount in ((2, 3, 123450), (5, 5, 30000)):  # nothing in April
            store.add_entry(
                campaign_id,
                Cost(date=dt.date(2027, month, day), amount_minor=amount, channel="email"),
            )
    app = make_app(db_path, today=dt.date(2027, 5, 31))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        await pilot.pause()
        bars = str(screen.query_one("#channel-chart").render()).splitlines()
        assert bars[-1].split() == ["0", "500", "1,000", "1,500", "2,000"]  # not 0.0 308.6 ...
        spend = str(screen.query_one("#spend-chart").render())
        ticks = [line.split("┤")[0].strip() for line in spend.splitlines() if "┤" in line]
        assert [t for t in ticks if t] == ["2,000", "1,000", "0"]  # from zero, not 1234.5
        channels = screen.query_one("#channels", DataTable)
        assert cell(channels, 0, 4) == "█ ▃"  # March, an empty April, May (a quarter of March)


async def test_the_compare_tab_says_which_variant_works_better_and_breaks_down_by_choice(db_path):
    with Store.open(db_path) as store:
        cid = store.create_campaign(ab_campaign())
        for minor, activity in ((40000, "Email A"), (60000, "Email B")):
            store.add_entry(
                cid, Cost(date=dt.date(2027, 3, 5), amount_minor=minor, activity=activity)
            )
        for value, of, activity in ((21, 500, "Email A"), (38, 480, "Email B")):
            store.add_entry(
                cid,
                Result(measure="Bookings", date=dt.date(2027, 3, 20), value=value, of=of,
                       activity=activity),
            )  # fmt: skip
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        await pilot.press("right", "right")  # from the tabs: Measures, then Compare
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-compare"
        ab = screen.query_one("#ab-table", DataTable)
        assert [cell(ab, n, 0) for n in range(ab.row_count)] == [
            "A: Short email",
            "B: Story email",
        ]
        assert "7.9% ★" in cell(ab, 1, 2)
        verdict = str(screen.query_one("#ab-verdict", Static).render())
        assert "B ('Story email') does better than A ('Short email')" in verdict
        assert "unlikely to be chance" in verdict
        by = screen.query_one("#by-table", DataTable)
        assert [cell(by, n, 0) for n in range(by.row_count)] == ["Email A", "Email B"]
        assert cell(by, 0, 3).strip() == "21"
        # By message variant: the costs follow the activities' variants
        screen.query_one("#compare-by", Select).value = "variant"
        await until(pilot, lambda: cell(by, 0, 0) == "Short email")
        assert [cell(by, n, 1).strip() for n in range(by.row_count)] == ["400.00", "600.00"]
        # another measure, with no variants compared yet: said in words
        screen.query_one("#compare-measure", Select).value = "Open rate"
        await until(pilot, lambda: "No variants to compare on Open rate" in str(
            screen.query_one("#ab-verdict", Static).render()))  # fmt: skip


async def test_a_result_is_recorded_with_what_it_is_out_of_and_its_activity(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign())
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_tracking(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EntryDialog)
        await type_into(pilot, "value", "21")
        await type_into(pilot, "of", "500")
        pilot.app.screen.query_one("#field-activity", Select).value = "Email B"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, EntryDialog)
        said = list(app._notifications)[-1].message
        assert said == "Recorded the result 21 of 500 for Bookings on 2027-03-30."
    with Store.open(db_path) as store:
        (result,) = store.get_campaign(1).results
    assert (result.value, result.of, result.activity, result.variant, result.segment) == (
        21,
        500,
        "Email B",
        "Story email",
        "Parents",
    )


async def test_the_lessons_tab_saves_the_review_and_shows_the_maturity(db_path):
    from textual.widgets import TextArea

    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign())
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lessons(pilot)
        assert screen.query_one(TabbedContent).active == "tab-lessons"
        maturity = str(screen.query_one("#maturity", Static).render())
        assert "Learning: 1 Ad hoc" in maturity and "Next: When the campaign ends" in maturity
        screen.query_one("#lesson-next_time", TextArea).focus()
        await pilot.press(*"Text on Saturdays")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Learning: 4 Closed loop" in str(
            screen.query_one("#maturity", Static).render()))  # fmt: skip
    with Store.open(db_path) as store:
        assert store.get_campaign(1).next_time == "Text on Saturdays"


async def test_a_copy_shows_the_lessons_of_the_campaign_it_came_from(db_path):
    from planner.plan.copies import copied_plan

    with Store.open(db_path) as store:
        source = ab_campaign(next_time="Send the story email to every parent")
        store.create_campaign(copied_plan(source, "Recall 2028"))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lessons(pilot)
        earlier = str(screen.query_one("#earlier-lessons", Static).render())
        assert "Lessons from before" in earlier
        assert "Decisions for next time: Send the story email to every parent" in earlier


async def test_the_review_is_saved_as_typed_and_on_leaving_and_keys_type_not_fire(db_path):
    """Found by a newcomer: a review typed without Ctrl+S was lost on Escape, and a key typed
    after Tab (an invisible stop) ran a shortcut (r: record a result)."""
    from textual.widgets import TextArea

    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign(what_worked="Texts"))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lessons(pilot)
        await pilot.press("tab")  # from the tabs into the first field
        await pilot.pause()
        assert app.focused is screen.query_one("#lesson-what_worked", TextArea)
        await pilot.press(*" read right away")
        assert not isinstance(app.screen, EntryDialog)  # r typed, not a shortcut
        await pilot.press("escape")  # leaving saves what was typed
        await pilot.pause()
        assert not isinstance(app.screen, TrackingScreen)
    with Store.open(db_path) as store:
        assert store.get_campaign(1).what_worked == "Texts read right away"


async def test_the_review_saves_itself_a_moment_after_typing_stops(db_path):
    from textual.widgets import TextArea

    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign())
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lessons(pilot)
        screen.query_one("#lesson-next_time", TextArea).focus()
        await pilot.press(*"Book the hall")
        said = screen.query_one("#lessons-said", Static)
        assert "Not saved yet" in str(said.render())

        def saved() -> bool:
            with Store.open(db_path) as store:
                return store.get_campaign(1).next_time == "Book the hall"

        await until(pilot, saved)
        await until(pilot, lambda: str(said.render()) == "Saved.")


async def test_correcting_a_results_activity_takes_the_new_activitys_variant(db_path):
    """Found by a code review: the variant taken from the old activity stayed with the result
    moved to another activity, and the A/B test counted it for the wrong variant."""
    with Store.open(db_path) as store:
        cid = store.create_campaign(ab_campaign())
        store.add_entry(
            cid,
            Result(measure="Bookings", date=dt.date(2027, 3, 20), value=21, of=500,
                   activity="Email A"),
        )  # fmt: skip
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tracking(pilot)
        screen.query_one(TabbedContent).active = "tab-results"
        await pilot.pause()
        screen.query_one("#results", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryDialog)
        app.screen.query_one("#field-activity", Select).value = "Email B"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EntryDialog)
    with Store.open(db_path) as store:
        (result,) = store.get_campaign(1).results
    assert (result.activity, result.variant, result.of) == ("Email B", "Story email", 500)
