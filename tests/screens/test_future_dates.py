"""Costs and results dated after today, in every face: a result is refused, a cost is asked
about (the screen) or taken only with --future (the command line), an import leaves such rows
out and says so, and the figures never count what is dated after today, even when an old
database holds some: they are left out and flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import tracked_campaign
from helpers import until
from textual.widgets import Input, Select, Static

from planner.briefs import render_markdown
from planner.cli.main import main
from planner.domain.models import Cost, Result
from planner.store import Store
from planner.tracking import report, report_lines
from screens.app import make_app
from screens.dialogs import ConfirmDialog, EntryDialog
from screens.tracking import TrackingScreen

D = dt.date
TODAY = D(2026, 12, 6)  # December: a result dated next October is still to come
APPOINTMENTS = "New-patient appointments"


@pytest.fixture
def cid(db_path) -> int:
    campaign = tracked_campaign(start_date=D(2026, 11, 1), end_date=D(2027, 1, 30))
    with Store.open(db_path) as store:
        return store.create_campaign(campaign)


@pytest.fixture
def cli(db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())

    def run(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == code, result.output
        return result

    return run


def stored(db_path: Path) -> tuple[list[Cost], list[Result]]:
    with Store.open(db_path) as store:
        return list(store.iter_entries(1, Cost)), list(store.iter_entries(1, Result))


# ---------------------------------------------------------------------------------------------
# The command line


def test_a_result_dated_after_today_is_refused_at_the_command_line(cli, cid, db_path):
    args = ("results", "add", str(cid), "--measure", APPOINTMENTS, "--value", "46")
    refused = cli(*args, "--date", "2027-10-01", code=2)
    assert refused.output == (
        "Error: This result is dated 2027-10-01, after today (2026-12-06); a result is "
        "recorded once it has happened. Correct the date, or record it when the day comes.\n"
    )
    assert stored(db_path) == ([], [])
    cli(*args, "--date", "2026-12-06")  # today is fine
    cli(*args, "--date", "2026-12")  # and so is the month under way
    assert len(stored(db_path)[1]) == 2


def test_a_cost_dated_after_today_needs_future_at_the_command_line(cli, cid, db_path):
    args = ("costs", "add", str(cid), "--amount", "420", "--channel", "email")
    refused = cli(*args, "--date", "2027-01-15", code=2)
    assert "after today (2026-12-06)" in refused.output and "add --future" in refused.output
    assert stored(db_path) == ([], [])
    taken = cli(*args, "--date", "2027-01-15", "--future")
    assert "dated after today: the figures count it from that day on" in taken.stderr
    assert [c.date for c in stored(db_path)[0]] == [D(2027, 1, 15)]


# ---------------------------------------------------------------------------------------------
# The figures


def test_progress_never_counts_a_result_dated_after_today_and_says_so(db_path, cid):
    with Store.open(db_path) as store:  # as an old database may hold them
        store.add_entry(cid, Result(measure=APPOINTMENTS, date=D(2026, 11, 20), value=10))
        store.add_entry(cid, Result(measure=APPOINTMENTS, date=D(2027, 10, 1), value=46))
        store.add_entry(cid, Cost(date=D(2026, 11, 5), amount_minor=10000, channel="email"))
        store.add_entry(cid, Cost(date=D(2027, 10, 1), amount_minor=42000, channel="email"))
        campaign, data = store.tracking_data(cid, today=TODAY)
        everything = report(*store.tracking_data(cid), TODAY)  # without a day: all counted
    r = report(campaign, data, TODAY)
    p = r.primary
    assert p is not None
    assert (p.latest, p.latest_date, p.count, p.total) == (10, "2026-11-20", 1, 10)
    assert p.progress_pct == pytest.approx(10)  # not 46 % of the way
    assert (r.spent_minor, r.cost_count, r.last_date) == (10000, 1, "2026-11-05")
    assert [row.spent_minor for row in r.by_channel if row.label == "Email"] == [10000]
    assert "entries dated after today not counted" in r.flags
    assert (
        "  Not counted yet: 1 cost (USD 420.00) and 1 result dated after today, the first on "
        "2027-10-01; they count from their date on (correct the date if it is wrong)."
        in report_lines(r)
    )
    assert everything.primary is not None and everything.primary.latest == 46
    # The campaign list works the primary measure out the same way.
    with Store.open(db_path) as store:
        (row,) = store.portfolio(today=TODAY)
    assert (row.spent_minor, row.figures.latest) == (10000, 10)


def test_a_month_under_way_counts(db_path, cid):
    with Store.open(db_path) as store:
        december = Result(
            measure=APPOINTMENTS, period_start=D(2026, 12, 1), date=D(2026, 12, 31), value=7
        )
        store.add_entry(cid, december)
        r = report(*store.tracking_data(cid, today=TODAY), TODAY)
    assert r.primary is not None and r.primary.latest == 7 and not r.uncounted


def test_the_report_command_flags_what_is_dated_after_today(cli, cid, db_path):
    with Store.open(db_path) as store:
        store.add_entry(cid, Result(measure=APPOINTMENTS, date=D(2027, 10, 1), value=46))
    out = cli("report", str(cid)).output
    assert f"{APPOINTMENTS}: 0 -> – -> 100, –, no results yet" in out
    assert "Not counted yet: 1 result dated after today, the first on 2027-10-01" in out


def test_the_brief_flags_unbudgeted_spending_and_what_is_dated_after_today(db_path, cid):
    with Store.open(db_path) as store:
        store.add_entry(cid, Cost(date=D(2026, 11, 5), amount_minor=42000, channel="events"))
        store.add_entry(cid, Result(measure=APPOINTMENTS, date=D(2027, 10, 1), value=46))
        campaign, data = store.tracking_data(cid, today=TODAY)
    text = render_markdown(campaign, tracking=data, today=TODAY)
    assert "**No budget line.** Events and seminars: USD 420.00 spent, no budget line." in text
    assert "**Dated after today.** Not counted yet: 1 result dated after today" in text


# ---------------------------------------------------------------------------------------------
# Imports


def test_an_import_leaves_out_rows_dated_after_today_and_says_so(cli, cid, db_path, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("Date,Amount,Vendor\n2026-11-05,100.00,Printer\n2027-10-01,420.00,Printer\n")
    out = cli("import", "costs", str(cid), str(path)).output
    assert (
        "1 cost totalling USD 100.00 from 2 rows; dated 2026-11-05; 1 row dated after today "
        "left out (holding USD 420.00): record it once it has happened." in out
    )
    assert [c.date for c in stored(db_path)[0]] == [D(2026, 11, 5)]


# ---------------------------------------------------------------------------------------------
# The tracking screen


async def _dialog(pilot, key: str) -> EntryDialog:
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, TrackingScreen))
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, EntryDialog))
    return pilot.app.screen


def _type(dialog: EntryDialog, field: str, text: str) -> None:
    dialog.query_one(f"#field-{field}", Input).value = text


async def test_the_screen_refuses_a_result_dated_after_today(db_path, cid):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await _dialog(pilot, "r")
        _type(dialog, "when", "2027-10-01")
        _type(dialog, "value", "46")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # still open, nothing saved
        problem = str(dialog.query_one("#problem", Static).render())
        assert "dated 2027-10-01, after today (2026-12-06)" in problem
    assert stored(db_path) == ([], [])


async def test_the_screen_asks_before_saving_a_cost_dated_after_today(db_path, cid):
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await _dialog(pilot, "c")
        _type(dialog, "when", "2027-01-15")
        _type(dialog, "amount_minor", "420")
        dialog.query_one("#field-channel", Select).value = "email"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "after today (2026-12-06)" in app.screen.question
        await pilot.press("escape")  # go back: nothing saved, the dialog says why
        await until(pilot, lambda: app.screen is dialog)
        assert "Not saved" in str(dialog.query_one("#problem", Static).render())
        assert stored(db_path) == ([], [])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TrackingScreen))
        await pilot.pause()
        figures = str(app.screen.query_one("#figures", Static).render())
        assert "Spent USD 0.00 of USD 1,500.00" in figures  # not counted before its day
        assert "Not counted yet: 1 cost (USD 420.00) dated after today" in figures
    assert [c.amount_minor for c in stored(db_path)[0]] == [42000]
