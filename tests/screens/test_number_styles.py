"""Numbers as people write them: each campaign reads and shows its numbers in its number style
(1.234,50 in Italy or in euros, 1,234.50 in the US), the same in forms, at the command line
and in imports; a value the style could read two ways is refused with both readings."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import full_campaign, import_campaign, tracked_campaign
from helpers import type_fast
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Select, Static

from planner.cli.main import main
from planner.domain.inputs import parse_money
from planner.domain.models import Campaign, Cost, ImportOptions, Jurisdiction, Result
from planner.domain.numbers import (
    OFFERED,
    default_style,
    format_money,
    format_number,
    format_rounded,
    parse_amount,
    parse_int,
    parse_number,
    parse_per_period,
    parse_percent,
    style_of,
)
from planner.imports import plan_import, preview
from planner.plan.exchange import dumps, loads
from planner.store import Store
from screens.app import make_app
from screens.dialogs import EntryDialog
from screens.tracking import TrackingScreen
from screens.workspace import CampaignWorkspace
from screens.workspace.editor import EditorScreen

TODAY = dt.date(2027, 3, 30)
SIZE = (100, 32)


@pytest.fixture(autouse=True)
def _entries_dated_in_the_past(monkeypatch):
    """The costs and results here are dated in 2027: they are recorded as of the end of that
    year (dates after today are refused; tests/screens/test_future_dates.py shows that)."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


# The style itself ------------------------------------------------------------------------------


def test_the_style_comes_from_the_jurisdictions_and_currency_unless_chosen():
    assert default_style([Jurisdiction.IT], "USD") == "it_IT"
    assert default_style([], "EUR") == "it_IT"
    assert default_style([Jurisdiction.US], "USD") == "en_US"
    assert default_style([Jurisdiction.UK], "GBP") == "en_GB"
    assert default_style([], "JPY") == "en_US"
    assert style_of(full_campaign()) == "it_IT"  # Italy, euros
    assert style_of(tracked_campaign()) == "en_US"  # dollars
    assert style_of(full_campaign().model_copy(update={"number_style": "fr_FR"})) == "fr_FR"
    assert Campaign(name="x", number_style="de-de").number_style == "de_DE"
    with pytest.raises(ValueError, match="'martian' is not a number style"):
        Campaign(name="x", number_style="martian")


def test_euro_amounts_as_italians_write_them():
    for typed, minor in [
        ("1.234,50", 123450),
        ("70,5", 7050),
        ("€ 99,90", 9990),
        ("EUR 99,90", 9990),
        ("99,90 €", 9990),
        ("1.234.567", 123456700),
        ("0,5", 50),
    ]:
        assert parse_amount(typed, "EUR", "it_IT") == minor, typed
    assert parse_percent("63,5%", "it_IT") == 63.5
    assert parse_percent("63,5 %", "fr_FR") == 63.5
    assert parse_number("1 234,5", "fr_FR") == 1234.5  # a space groups thousands in French
    with pytest.raises(ValueError, match="'-5' is negative"):
        parse_amount("-5", "EUR", "it_IT")


def test_a_value_written_the_other_way_is_refused_with_what_it_may_mean():
    with pytest.raises(ValueError) as caught:
        parse_amount("1,234.50", "EUR", "it_IT")
    assert str(caught.value) == (
        "'1,234.50' is not how this campaign writes numbers (like 1.234,50); type 1.234,50."
    )
    with pytest.raises(ValueError, match=r"\(like 1,234\.50\); type 1,234\.50\.$"):
        parse_amount("1.234,50", "USD", "en_US")


def test_twelve_thousand_people_in_italy_and_a_refusal_in_the_us():
    assert parse_int("12.000", "it_IT") == 12000
    assert parse_int("12,000", "en_US") == 12000
    with pytest.raises(ValueError) as caught:
        parse_int("12.000", "en_US")
    assert str(caught.value) == (
        "'12.000' could be read as 12 (the dot as a decimal point) or as 12000 (the dot "
        "separating thousands); this campaign writes numbers like 1,234.50, so type 12 for "
        "the first or 12,000 for the second."
    )
    with pytest.raises(ValueError) as caught:
        parse_number("1,234", "it_IT")
    assert "could be read as 1,234 (the comma as a decimal comma) or as 1234" in str(caught.value)
    assert "type 1,2340 for the first or 1.234 for the second" in str(caught.value)
    assert parse_number("1,2340", "it_IT") == 1.234  # as the refusal says to type it


def test_a_trailing_percent_sign_only_where_the_unit_is_a_percentage():
    assert parse_number("12%", "en_US", percent=True) == 12
    with pytest.raises(ValueError, match="'12%' has a % sign, but this figure is not a"):
        parse_number("12%", "en_US")


def test_referrals_a_month_or_a_season_as_the_placeholder_says():
    assert parse_per_period("5 a month", "en_US") == 5
    assert parse_per_period("20 per season", "en_US") == 20
    assert parse_per_period("5/month", "en_US") == 5
    assert parse_per_period("5", "en_US") == 5
    with pytest.raises(ValueError, match="'5 a year' is not a month or a season"):
        parse_per_period("5 a year", "en_US")


def test_numbers_and_money_are_shown_in_the_style():
    assert format_money(123450, "EUR", "it_IT") == "1.234,50"
    assert format_money(123450, "EUR", "it_IT", code=True) == "EUR 1.234,50"
    assert format_money(123450, "USD", "en_US") == "1,234.50"
    assert format_money(500, "JPY", "de_DE") == "500"
    assert format_money(12500, "BHD", "en_US") == "12.500"  # three decimals are the dinar's
    assert format_number(12000, "it_IT") == "12.000"
    assert format_number(1234.5, "en_US") == "1,234.5"
    # A number that would read back as thousands keeps a zero that says it is a decimal.
    assert format_number(12.125, "en_US") == "12.1250"


def test_figures_in_reports_are_rounded_in_the_style():
    assert format_rounded(63.5, "it_IT") == "63,5" and format_rounded(63.5, "en_US") == "63.5"
    assert format_rounded(12000.0, "it_IT") == "12.000"  # twelve thousand, no decimals
    assert format_rounded(1234.567, "en_US") == "1,234.57"
    assert format_rounded(-0.001, "en_US") == "0" and format_rounded(None, "en_US") == "–"


def test_an_amount_too_large_names_the_limit_in_the_style():
    with pytest.raises(ValueError, match=r"up to EUR 10\.000\.000\.000,00\)"):
        parse_money("99.000.000.000.000.000,00", "EUR", "it_IT")


@settings(max_examples=150, deadline=None)
@given(
    style=st.sampled_from(OFFERED),
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    number=st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
)
def test_what_is_shown_reads_back_as_the_same_value(style, value, number):
    minor = int(value * 100)
    assert parse_amount(format_money(minor, "EUR", style), "EUR", style) == minor
    shown = format_number(float(number), style)
    assert Decimal(repr(parse_number(shown, style))) == Decimal(repr(float(number)))


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from(OFFERED), text=st.text(alphabet="0123456789.,% -€EUR'", max_size=12))
def test_anything_typed_in_any_style_is_read_or_refused_in_one_sentence(style, text):
    readers = [
        lambda t: parse_amount(t, "EUR", style),
        lambda t: parse_number(t, style),
        lambda t: parse_int(t, style),
        lambda t: parse_percent(t, style),
    ]
    for read in readers:
        try:
            read(text)
        except ValueError as exc:
            sentence = str(exc)
            assert sentence.endswith(".") and "\n" not in sentence, sentence


# Stored and carried -----------------------------------------------------------------------------


def test_the_style_is_stored_exported_and_imported(db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(
            full_campaign().model_copy(update={"number_style": "de_DE"})
        )
        stored = store.get_campaign(campaign_id)
        assert stored.number_style == "de_DE"
        again = loads(dumps(stored))
        assert again.number_style == "de_DE"
        store.update_campaign(campaign_id, {"number_style": None}, expected_version=None)
        assert store.get_campaign(campaign_id).number_style is None


# The command line -----------------------------------------------------------------------------


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def test_costs_add_reads_an_amount_as_the_campaign_writes_it(db_path):
    with Store.open(db_path) as store:
        euro = store.create_campaign(full_campaign())
        dollars = store.create_campaign(tracked_campaign())
    out = run(db_path, "costs", "add", euro, "--date", "2027-03-05", "--amount", "1.234,50")
    assert out.exit_code == 0, out.output
    assert "EUR 1.234,50" in out.output
    refused = run(db_path, "costs", "add", dollars, "--date", "2027-03-05", "--amount", "12.000")
    assert refused.exit_code == 2
    assert "could be read as 12 (the dot as a decimal point) or as 12000" in refused.output
    with Store.open(db_path) as store:
        amounts = [c.amount_minor for c in store.list_entries(euro, Cost).rows]
        assert 123450 in amounts
        assert store.list_entries(dollars, Cost).total == 0
    listed = run(db_path, "costs", "list", euro).output
    assert "EUR 1.234,50" in listed


def test_results_add_takes_a_percent_sign_for_a_percentage(db_path):
    with Store.open(db_path) as store:
        euro = store.create_campaign(full_campaign())
    out = run(db_path, "results", "add", euro, "--measure", "Screening rate", "--date",
              "2027-03-31", "--value", "63,5%")  # fmt: skip
    assert out.exit_code == 0, out.output
    with Store.open(db_path) as store:
        values = [r.value for r in store.list_entries(euro, Result).rows]
    assert 63.5 in values
    assert "Screening rate  63,5" in run(db_path, "results", "list", euro).output  # as typed
    # 1.234 is a thousand and more in this style: a share of 1,234% is refused as such
    appointments = run(db_path, "results", "add", euro, "--measure", "No-show rate", "--date",
                       "2027-03-31", "--value", "1.234")  # fmt: skip
    assert appointments.exit_code == 2
    assert "is 1.234%, but a share (%) is between 0% and 100%" in appointments.output
    refused = run(db_path, "results", "add", euro, "--measure", "No-show rate", "--date",
                  "2027-03-31", "--value", "4,5 people")  # fmt: skip
    assert refused.exit_code == 2 and "'4,5 people' is not a number" in refused.output


def test_the_number_style_command_shows_and_sets_it(db_path):
    with Store.open(db_path) as store:
        euro = store.create_campaign(full_campaign())
    shown = run(db_path, "number-style", euro)
    assert shown.output.strip() == (
        f"Campaign {euro} writes numbers like 1.234,50 (it_IT, from its jurisdictions and "
        "currency)."
    )
    assert "like 1,234.50 (en_US, chosen)" in run(db_path, "number-style", euro, "en-us").output
    out = run(db_path, "costs", "add", euro, "--date", "2027-03-05", "--amount", "1,234.50")
    assert out.exit_code == 0 and "EUR 1,234.50" in out.output
    bad = run(db_path, "number-style", euro, "martian")
    assert bad.exit_code == 2
    assert bad.output.startswith("Error: 'martian' is not a number style; use a locale such as")
    assert bad.output.endswith("fr_FR.\n")
    assert "(it_IT, from its" in run(db_path, "number-style", euro, "auto").output
    made = run(db_path, "new", "Zurich", "--currency", "CHF", "--number-style", "de_DE")
    assert made.exit_code == 0
    with Store.open(db_path) as store:
        assert store.get_campaign(int(made.output)).number_style == "de_DE"


def test_the_campaign_list_writes_each_budget_in_its_campaigns_style(db_path):
    with Store.open(db_path) as store:
        euro = store.create_campaign(full_campaign())
        budget = sum(line.amount_minor for line in store.get_campaign(euro).budget)
        dollars = store.create_campaign(tracked_campaign())
        dollar_budget = sum(line.amount_minor for line in store.get_campaign(dollars).budget)
    listed = run(db_path, "list").output
    assert format_money(budget, "EUR", "it_IT", code=True) in listed
    assert format_money(dollar_budget, "USD", "en_US", code=True) in listed
    assert format_money(budget, "EUR", "it_IT") == "550,00"  # not 550.00
    run(db_path, "number-style", euro, "en_US")
    assert format_money(budget, "EUR", "en_US", code=True) in run(db_path, "list").output


# Imports ----------------------------------------------------------------------------------------


def _file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "costs.csv"
    path.write_text("Date,Amount,Channel\n" + rows, encoding="utf-8")
    return path


def test_a_file_that_does_not_show_its_style_is_read_in_the_campaigns(db_path, tmp_path):
    path = _file(tmp_path, '2027-03-01,"12.000",email\n2027-03-02,"1.500",email\n')
    italian = import_campaign(currency="EUR", jurisdictions=["IT"])
    planned = plan_import(path, italian, ImportOptions(kind="costs"))
    assert any("read as this campaign writes them (1.234,50)" in n for n in planned.notices)
    seen = preview(planned)
    assert [c.amount_minor for c in seen.sample] == [1200000, 150000]

    seen = preview(plan_import(path, import_campaign(), ImportOptions(kind="costs")))
    assert seen.entries == 0 and seen.problem_rows == 2
    assert seen.problems[0].reason == (
        "'12.000' could be read as 12 (the dot as a decimal point) or as 12000 (the dot "
        "separating thousands), and nothing in the file shows which; write it 12 or 12,000 in "
        "the file."
    )


def test_a_file_that_shows_its_style_is_read_its_own_way(db_path, tmp_path):
    path = _file(tmp_path, '2027-03-01,"12.000,50",email\n2027-03-02,"1.500",email\n')
    seen = preview(plan_import(path, import_campaign(), ImportOptions(kind="costs")))
    assert [c.amount_minor for c in seen.sample] == [1200050, 150000]


# Forms ------------------------------------------------------------------------------------------


async def _type(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    widget.value = ""
    # In one burst, as a person types a number: pressed one by one on a loaded machine, the
    # autosave could take "2" of "20.000" as the whole value between two keys.
    type_fast(pilot, *text)
    await pilot.pause()


async def test_a_cost_typed_as_italians_write_it(db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(tracked_campaign(currency="EUR", jurisdictions=["IT"]))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrackingScreen)
        assert "of EUR 1.500,00" in str(screen.query_one("#figures", Static).render())
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, EntryDialog)
        assert app.screen.query_one("#field-amount_minor", Input).placeholder == "e.g. 120,50"
        await _type(pilot, "amount_minor", "1.234,50")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Spent EUR 1.234,50 of EUR 1.500,00" in str(
            screen.query_one("#figures", Static).render()
        )
    with Store.open(db_path) as store:
        assert store.list_entries(campaign_id, Cost).rows[0].amount_minor == 123450


async def _open_segment(pilot) -> EditorScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CampaignWorkspace)
    await pilot.press("2", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen


@pytest.mark.parametrize(
    ("style", "shown", "saved"), [("it_IT", "12.000", 12000), ("en_US", "12,000", None)]
)
async def test_a_population_of_twelve_thousand(db_path, style, shown, saved):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(
            full_campaign().model_copy(update={"number_style": style})
        )
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_segment(pilot)
        assert editor.query_one("#field-population", Input).value == shown  # 12000 stored
        await _type(pilot, "population", "20.000")
        await pilot.pause(0.8)
        error = str(editor.query_one("#error-population").render())
        if saved is None:
            assert "'20.000' could be read as 20 (the dot as a decimal point) or as 20000" in error
            assert "type 20 for the first or 20,000 for the second" in error
        else:
            assert error == ""
    with Store.open(db_path) as store:
        population = store.get_campaign(campaign_id).segments[0].population
    assert population == (20000 if saved else 12000)


async def test_a_baseline_in_percent_and_referrals_a_month(db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("7", "enter")  # the first measure: "Screening rate", in %
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await _type(pilot, "baseline", "43,5%")
        await pilot.pause(0.8)
        assert str(editor.query_one("#error-baseline").render()) == ""
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("3", "enter")  # the influencer
        await pilot.pause()
        editor = app.screen
        placeholder = editor.query_one("#field-baseline_referrals", Input).placeholder
        assert placeholder == "e.g. 5 a month, or 20 a season"
        await _type(pilot, "baseline_referrals", "5 a month")
        await pilot.pause(0.8)
        assert str(editor.query_one("#error-baseline_referrals").render()) == ""
        await pilot.press("escape")
        await pilot.pause()
    with Store.open(db_path) as store:
        campaign = store.get_campaign(campaign_id)
    assert campaign.measures[0].baseline == 43.5
    assert campaign.influencers[0].baseline_referrals == 5


async def test_a_target_below_the_baseline_is_named_as_the_campaign_writes_it(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign())  # Italy and the euro: 63,5
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("7", "enter")  # the first measure: "Screening rate", to increase
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await _type(pilot, "baseline", "63,5")
        await _type(pilot, "target", "55,5")
        await pilot.pause(0.8)
        said = " ".join(str(error.render()) for error in editor.query(".error"))
        assert "The target (55,5) is below the baseline (63,5)" in said


async def test_the_overview_chooses_the_number_style(db_path):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(full_campaign())
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        workspace = app.screen
        choice = workspace.query_one("#field-number_style", Select)
        assert choice.value == Select.NULL  # from Italy and the euro
        choice.focus()
        await pilot.press("enter", "down", "enter")  # the first style: 1,234.50 (US)
        await pilot.pause(0.8)
        assert choice.value == "en_US"
    with Store.open(db_path) as store:
        assert store.get_campaign(campaign_id).number_style == "en_US"
    assert json.loads(dumps(full_campaign()))["campaign"]["number_style"] is None


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(min_value=-(10**13), max_value=10**13),
    style=st.sampled_from(["en_US", "en_GB", "it_IT", "de_DE"]),
    currency=st.sampled_from(["EUR", "USD", "GBP", "JPY", "BHD"]),
)
def test_the_list_writes_money_as_babel_does_without_loading_it(amount, style, currency):
    """The campaign list writes budgets without Babel's locale data (it shows as the planner
    starts): the same text Babel writes, to the character."""
    from planner.domain.numbers import babel_money
    from planner.domain.styles import format_money as list_money

    assert list_money(amount, currency, style) == babel_money(amount, currency, style)
    assert list_money(amount, currency, style, code=True) == format_money(
        amount, currency, style, code=True
    )
