"""The import screen driven by key presses: read a file, see the preview and its problems,
map a spreadsheet's columns, import, and undo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factories import import_campaign
from helpers import until
from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from planner.domain.models import Cost
from planner.store import Store
from screens.app import make_app
from screens.dialogs import ConfirmDialog
from screens.dialogs.file_picker import CsvTree, FilePicker
from screens.importing import ImportScreen
from screens.tracking import TrackingScreen

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
SIZE = (100, 32)


@pytest.fixture(autouse=True)
def _files_dated_in_the_past(monkeypatch):
    """The files' rows are dated in 2027: they are imported as of the end of that year (rows
    dated after today are left out; tests/screens/test_future_dates.py shows that)."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


def _campaign(db_path) -> int:
    with Store.open(db_path) as store:
        return store.create_campaign(import_campaign())


def costs(db_path) -> list[Cost]:
    with Store.open(db_path) as store:
        return list(store.iter_entries(1, Cost))


def _dropdowns_ready(screen) -> bool:
    """Whether every dropdown of the mapping is mounted with its label (a value can be set)."""
    selects = list(screen.query(".field").results(Select))
    return bool(selects) and all(s.is_mounted and s.query("#label") for s in selects)


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def open_import(pilot) -> ImportScreen:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TrackingScreen)
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportScreen)
    return pilot.app.screen


async def choose(pilot, path: Path) -> None:
    field = pilot.app.screen.query_one("#path", Input)
    field.focus()
    field.value = str(path)
    await pilot.press("enter")


async def test_preview_import_and_undo_a_google_ads_file(db_path):
    _campaign(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, FIXTURES / "google_ads_daily_excel.csv")
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"))
        assert "Google Ads campaign report (detected), UTF-16, tab-separated." in text(
            screen, "#import-status"
        )
        assert "4 costs totalling USD 105.70 from 4 rows" in text(screen, "#import-summary")
        bar = screen.query_one(ProgressBar)
        assert bar.total == (FIXTURES / "google_ads_daily_excel.csv").stat().st_size
        assert bar.progress == bar.total and not bar.display  # read to the end, then hidden
        preview = screen.query_one("#preview", DataTable)
        assert preview.row_count == 4
        assert [str(c) for c in preview.get_row_at(1)][:3] == ["2027-03-01", "6.25", "Display ads"]
        assert costs(db_path) == []  # a preview writes nothing

        await pilot.press("ctrl+s")
        await until(pilot, lambda: text(screen, "#import-summary").startswith("Import 1:"))
        assert sorted(c.amount_minor for c in costs(db_path)) == [625, 3095, 3310, 3540]
        history = screen.query_one("#history", DataTable)
        assert history.row_count == 1
        assert [str(c) for c in history.get_row_at(0)][2:6] == [
            "Costs",
            "google_ads_daily_excel.csv",
            "4",
            "USD 105.70",
        ]

        await pilot.press("ctrl+s")  # the same file again: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert len(costs(db_path)) == 4

        history.focus()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert costs(db_path) == []
        assert "undone" in str(history.get_row_at(0)[6])

        await pilot.press("escape")  # back to tracking, whose figures follow
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)


async def test_a_spreadsheet_is_mapped_by_choosing_columns(db_path, tmp_path):
    _campaign(db_path)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("When,What,How much\n2027-03-02,Flyers,120.50\n2027-03-09,Poster,x\n")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, ledger)
        await pilot.pause()
        assert "Which column of 'ledger.csv' holds the dates?" in text(screen, "#import-status")
        selects = {s.name: s for s in screen.query(".field").results(Select)}
        selects["date"].value = "When"
        # the mapping's fields are laid out again for the next question: wait for the new
        # dropdowns to be whole before choosing in them
        await until(pilot, lambda: "holds the amounts" in text(screen, "#import-status"))
        await until(pilot, lambda: _dropdowns_ready(screen))
        selects = {s.name: s for s in screen.query(".field").results(Select)}
        assert "holds the amounts" in text(screen, "#import-status")
        selects["amount"].value = "How much"
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"))
        assert (
            "1 cost totalling USD 120.50 from 2 rows; dated 2027-03-02; 1 row cannot be read"
            in (text(screen, "#import-summary"))
        )
        problems = screen.query_one("#problems", DataTable)
        assert [str(c) for c in problems.get_row_at(0)][:3] == ["3", "How much", "x"]

        screen.query_one("#mapping-name", Input).value = "Ledger"
        await pilot.click("#save-mapping-button")
        await pilot.pause()
        with Store.open(db_path) as store:
            assert store.get_mapping("ledger").fields["amount"] == "How much"


async def test_a_patient_list_is_refused_on_screen_and_nothing_can_be_imported(db_path):
    _campaign(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, FIXTURES.parent / "patient" / "patient_list.csv")
        await pilot.pause()
        assert "looks like patient-level data" in text(screen, "#import-status")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert costs(db_path) == []


async def test_a_file_is_chosen_in_the_file_picker(db_path, tmp_path):
    _campaign(db_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(FIXTURES / "meta_ads_daily.csv", folder / "meta.csv")
    (folder / "notes.docx").write_bytes(b"not a spreadsheet")
    (folder / ".hidden.csv").write_text("a,b\n")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        screen.query_one("#path", Input).value = str(folder / "x.csv")  # starts in its folder
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, FilePicker)
        tree = app.screen.query_one(CsvTree)
        await until(pilot, lambda: len(tree.root.children) > 0)
        assert [str(node.label) for node in tree.root.children] == ["meta.csv"]
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#path", Input).value == str(folder / "meta.csv")
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"))
        assert "Meta Ads Manager export (detected)" in text(screen, "#import-status")


async def test_escape_cancels_an_import_under_way_and_nothing_is_written(db_path, tmp_path):
    _campaign(db_path)
    big = tmp_path / "big.csv"
    with big.open("w") as out:
        out.write("Date,Amount\n")
        for i in range(20_000):
            out.write(f"2027-03-{i % 28 + 1:02d},{i % 500}.25\n")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, big)
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"), 30)
        # However fast the machine, the import is still under way when Escape arrives: its
        # first progress report waits for the cancel.
        report = screen._progress_from_thread

        def held(done: int, total: int) -> None:
            screen.cancel.wait(10)
            report(done, total)

        screen._progress_from_thread = held
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await until(pilot, lambda: not screen.running, 30)
        assert "cancelled; nothing was written" in text(screen, "#import-summary")
        assert app.screen is screen  # Escape cancelled the import, it did not leave
    assert costs(db_path) == []
    with Store.open(db_path) as store:
        assert store.list_imports(1) == []


async def test_a_channel_the_planner_does_not_know_is_asked_for_and_kept(db_path, tmp_path):
    import datetime as dt

    with Store.open(db_path) as store:
        store.create_campaign(
            import_campaign(
                currency="EUR", start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31)
            )
        )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, FIXTURES / "costs_it_canali.csv")  # Stampa is print; Radio is not
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"))
        assert (
            "5 costs totalling EUR 9.100,00 from 6 rows; dated 2026-09-02 to 2026-09-25; 1 row "
            "cannot be read. Choose above what 'Radio' (1 row, EUR 900,00) is, or leave its "
            "rows out."
        ) in text(screen, "#import-summary")
        asked = screen.query_one("#unknown-values")
        assert asked.display
        assert "'Radio': 1 row, EUR 900,00" in [
            str(label.content) for label in asked.query(".field-label")
        ]

        await pilot.press("ctrl+s")  # not imported without it, and not skipped either
        await pilot.pause()
        assert costs(db_path) == []
        choice = screen.query_one(".value-choice", Select)
        assert app.focused is choice  # where it is asked

        screen.query_one("#import-tabs").active = "tab-mapping"  # save the mapping first
        await pilot.pause()
        name = screen.query_one("#mapping-name", Input)
        await until(pilot, lambda: name.focus() and app.focused is name)  # once it is shown
        await pilot.press(*"Contabilità", "enter")
        await until(pilot, lambda: screen.mapping_name == "Contabilità")

        await until(pilot, lambda: choice.focus() and app.focused is choice)
        await pilot.press("enter", *"Other", "enter")  # type to find it in the list
        await until(pilot, lambda: "Ctrl+S imports" in text(screen, "#import-summary"))
        assert "6 costs totalling EUR 10.000,00 from 6 rows" in text(screen, "#import-summary")
        assert not screen.query_one("#unknown-values").display

        await pilot.press("ctrl+s")
        await until(pilot, lambda: text(screen, "#import-summary").startswith("Import 1:"))
        stored = costs(db_path)
        assert sum(c.amount_minor for c in stored) == 1_000_000
        assert [c.channel.value for c in stored if c.vendor == "Radio Città"] == ["other"]
        with Store.open(db_path) as store:
            assert store.get_mapping("contabilità").channels == {"Radio": "other"}

        # The next file from the same source: the saved mapping reads Radio without asking.
        october = tmp_path / "ottobre.csv"
        october.write_text(
            "Data;Descrizione;Canale;Fornitore;Importo\n05/10/2026;Spot;radio;Radio Città;300\n",
            encoding="utf-8",
        )
        screen.query_one("#mapping", Select).value = "Contabilità"
        await pilot.pause()
        await choose(pilot, october)
        await until(pilot, lambda: "Ctrl+S imports" in text(screen, "#import-summary"))
        assert "1 cost totalling EUR 300,00 from 1 row" in text(screen, "#import-summary")
        assert not screen.query_one("#unknown-values").display


async def test_rows_holding_money_that_cannot_be_read_are_left_out_only_when_told(
    db_path, tmp_path
):
    _campaign(db_path)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Date,Amount,Channel\n2026-02-30,400.00,email\n2026-03-02,20.00,email\n")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await choose(pilot, ledger)
        await until(pilot, lambda: "Ready to import" in text(screen, "#import-summary"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "1 row holding USD 400.00 (95% of the money in the file) cannot be read" in str(
            app.screen.query_one(".question", Static).content
        )
        await pilot.press("escape")  # not told: nothing written
        await pilot.pause()
        assert costs(db_path) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: text(screen, "#import-summary").startswith("Import 1:"))
        assert [c.amount_minor for c in costs(db_path)] == [2000]
