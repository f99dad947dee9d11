"""The TUI driven by real key presses through Textual's Pilot."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import full_campaign
from helpers import highlight_starter, in_another_terminal, list_shown, until
from textual.widgets import Button, Input, MarkdownViewer, OptionList, Static

from planner.store import Store
from screens.app import make_app
from screens.brief import BriefScreen
from screens.dialogs import (
    ConfirmDialog,
    NewCampaignDialog,
    PracticeDetailsDialog,
    StarterDialog,
)
from screens.home import HomeScreen
from screens.tracking import TrackingScreen
from screens.welcome import WelcomeScreen
from screens.widgets.rowtable import RowTable
from screens.workspace import CampaignWorkspace

SIZE = (80, 24)


@pytest.mark.long
async def test_first_run_welcome_then_campaign_from_a_starter(db_path):
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("s")
        assert isinstance(app.screen, StarterDialog)
        options = app.screen.query_one(OptionList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        flu = next(i for i, t in enumerate(titles) if "flu" in t.lower())
        options.highlighted = flu
        await pilot.press("enter")
        assert isinstance(app.screen, NewCampaignDialog)
        name = app.screen.query_one("#name", Input)
        name.value = ""
        await pilot.click("#name")
        assert str(app.screen.query_one("#create", Button).label) == "Next"
        await pilot.press(*"Flu season 2027", "enter")
        await pilot.pause()
        # The starter's texts give the practice's address, phone and website: asked next, each
        # with the sample practice's as its example; Escape goes back keeping what was typed.
        assert isinstance(app.screen, PracticeDetailsDialog)
        assert app.screen.query_one("#phone", Input).placeholder == "e.g. 045 555 0123"
        await pilot.press(*"Via Roma 1, Verona")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NewCampaignDialog)
        assert app.screen.query_one("#name", Input).value == "Flu season 2027"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeDetailsDialog)
        assert app.screen.query_one("#address", Input).value == "Via Roma 1, Verona"
        assert app.screen.query_one("#create").region.bottom <= SIZE[1]  # all of it shows
        await pilot.press("tab", *"045 123 4567", "enter")
        await pilot.pause()
        # A new campaign opens in guided mode on its first step.
        assert isinstance(app.screen, CampaignWorkspace)
        assert app.screen.guided
        assert app.screen.sub_title == "Flu season 2027"
        await pilot.press("ctrl+o")  # preview it as the brief shows it
        await pilot.pause()
        viewer = app.screen.query_one(MarkdownViewer)
        await pilot.pause()
        assert "Flu season 2027" in viewer.document.source
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(RowTable)
        assert table.row_count == 1
        assert "Flu season 2027" in str(table.get_row_at(0)[0])
    # found through the store, complete
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        campaign = store.get_campaign(summary.id)
    assert campaign.name == "Flu season 2027"
    assert campaign.currency == "EUR"
    assert campaign.segments and campaign.messages and campaign.activities and campaign.budget
    texts = campaign.model_dump_json()
    assert "Via Roma 1, Verona" in texts and "045 123 4567" in texts  # its own details
    assert "Via Mameli 48" not in texts and "045 555 0123" not in texts  # not the sample's
    assert "mgborgotrento.example" in texts  # the website left empty keeps the sample's


async def test_new_blank_campaign_checks_its_fields(db_path):
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # leave the welcome for the empty list
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NewCampaignDialog)
        await pilot.press("enter")
        assert "Give the campaign a name" in str(app.screen.query_one("#problem").render())
        await pilot.press(*"Walk-in clinic")
        app.screen.query_one("#currency", Input).value = "XX"
        await pilot.press("enter")
        assert isinstance(app.screen, NewCampaignDialog)
        assert "not a currency code" in str(app.screen.query_one("#problem").render())
        app.screen.query_one("#currency", Input).value = "gbp"
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
    assert (summary.name, summary.currency) == ("Walk-in clinic", "GBP")


async def test_archive_asks_first_and_can_be_undone(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Keep me"))
        store.create_campaign(full_campaign("Retire me"))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        assert isinstance(app.screen, HomeScreen)  # campaigns exist: no welcome
        table = app.screen.query_one(RowTable)
        table.move_cursor(row=1)
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # cancelled: nothing happens
        assert table.row_count == 2
        await pilot.press("a")
        await pilot.click("#yes")
        await pilot.pause()
        assert table.row_count == 1
        assert "Keep me" in str(table.get_row_at(0)[0])
        await pilot.press("v")  # show archived
        assert table.row_count == 2
        table.move_cursor(row=1)
        await pilot.press("u")
        await pilot.press("v")
        assert table.row_count == 2
    with Store.open(db_path) as store:
        assert len(store.list_campaigns()) == 2


async def test_delete_moves_to_the_trash_which_brings_back_or_empties_after_asking(db_path):
    """d moves the campaign under the cursor to the trash (after asking); T shows the Trash,
    where u brings it back whole and e empties the trash (after asking)."""
    from screens.trash import TrashScreen

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Keep me"))
        gone = store.create_campaign(full_campaign("Bin me"))
        before = store.get_campaign(gone).model_dump(exclude={"version"})
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(RowTable)
        table.move_cursor(row=0)  # "Bin me", first by name
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Move “Bin me” to the trash?" in str(app.screen.query_one(".question").render())
        await pilot.press("escape")  # cancelled: nothing happens
        assert table.row_count == 2
        await pilot.press("d")
        await pilot.click("#yes")
        await pilot.pause()
        assert table.row_count == 1 and "Keep me" in str(table.get_row_at(0)[0])

        await pilot.press("T")
        await pilot.pause()
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        rows = trash.query_one("#trash")
        assert rows.row_count == 1 and rows.get_row_at(0)[0] == "Bin me"
        await pilot.press("u")
        await pilot.pause()
        assert rows.row_count == 0 and trash.query_one("#trash-empty").display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and table.row_count == 2
        with Store.open(db_path) as store:  # back whole
            assert store.get_campaign(gone).model_dump(exclude={"version"}) == before

        table.move_cursor(row=0)
        await pilot.press("d")
        await pilot.click("#yes")
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one(".question").render())
        assert "Delete 1 campaign in the trash for good?" in question and "Bin me" in question
        await pilot.press("escape")  # cancelled: still there
        assert app.screen.query_one("#trash").row_count == 1
        await pilot.press("e")
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen.query_one("#trash").row_count == 0
    with Store.open(db_path) as store:
        assert [s.name for s in store.list_campaigns(include_archived=True)] == ["Keep me"]
        assert store.list_trash() == []


async def test_the_calendar_shows_every_campaign_s_activities_by_month(db_path):
    """c opens the Calendar: months, each campaign's activities, the weeks campaigns overlap;
    p shows one practice at a time."""
    from planner.domain.models import Activity, Campaign
    from screens.calendar import CalendarScreen

    def activity(name: str, start: str, end: str) -> Activity:
        return Activity(
            name=name, channel="email", journey_stage="awareness", start_date=start, end_date=end
        )

    with Store.open(db_path) as store:
        for name, practice, acts in [
            (
                "Flu 2027",
                "Alder Street Clinic",
                [activity("Flu letters", "2027-09-20", "2027-10-08")],
            ),
            ("Diabetes", "Elm Surgery", [activity("Diabetes evening", "2027-10-07", "2027-10-07")]),
        ]:
            store.create_campaign(
                Campaign(name=name, practice=practice, currency="USD", activities=acts)
            )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        table = screen.query_one("#calendar")

        def rows() -> list[str]:
            return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]

        assert rows() == [
            "September 2027 |  |  |  | ",
            "20 Sep–8 Oct | Flu 2027 (Alder Street Clinic) | Flu letters | Email | ",
            "October 2027 |  |  |  | ",
            "20 Sep–8 Oct | Flu 2027 (Alder Street Clinic) | Flu letters | Email | ",
            "7 Oct | Diabetes (Elm Surgery) | Diabetes evening | Email | ",
        ]
        # two practices' campaigns in one week share no patients or staff: no busy week
        assert not screen.query_one("#calendar-busy").display
        await pilot.press("p")  # Alder Street Clinic only
        assert [r.split(" | ")[2] for r in rows()] == ["", "Flu letters", "", "Flu letters"]
        await pilot.press("p", "p")  # Elm Surgery, then every practice again
        assert len(rows()) == 5
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


def numbered_campaigns(db_path, count: int) -> None:
    """Campaigns named ``Campaign 000`` onwards, without dates or measures."""
    from planner.domain.models import Campaign

    with Store.open(db_path) as store:
        for n in range(count):
            store.create_campaign(Campaign(name=f"Campaign {n:03d}", currency="USD"))


async def test_the_planner_shows_before_its_list_is_read_and_keys_wait_for_the_list(
    db_path, monkeypatch
):
    """The first frame (title, key bar, an empty table) goes out before the list is read, so
    that the planner shows at once at any number of campaigns; the list follows. A key typed
    in between is not lost on the empty table: the list is read first, and Enter opens the
    campaign under the cursor."""
    numbered_campaigns(db_path, 3)
    drawn_at_read: list[bool] = []
    real = Store.list_campaigns

    def listing(self, *args, **kwargs):
        drawn_at_read.append(app.drawn)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "list_campaigns", listing)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        assert drawn_at_read and drawn_at_read[0] is True
        assert shown(app.screen) == ["Campaign 000", "Campaign 001", "Campaign 002"]
    drawn_at_read.clear()
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.loaded  # typed before the list was read
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
        assert app.screen.editor.campaign.name == "Campaign 001"


async def test_a_long_list_of_campaigns_comes_a_page_at_a_time(db_path):
    numbered_campaigns(db_path, 205)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one(RowTable)
        assert table.row_count == 100
        assert "205 campaigns · 1–100 shown (] next page, [ previous)" in home.caption
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert table.row_count == 5 and "201–205 shown" in home.caption
        assert home.selected().name == "Campaign 200"
        await pilot.press("right_square_bracket")  # no page after the last
        assert "201–205 shown" in home.caption
        await pilot.press("left_square_bracket")
        assert "101–200 shown" in home.caption and home.selected().name == "Campaign 100"
        await pilot.press("down", "enter")  # the campaign under the cursor opens
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
        assert app.screen.editor.campaign.name == "Campaign 101"
        await pilot.press("escape")
        await pilot.pause()
        # Back on the list, the page still holds the campaign that was open.
        assert "101–200 shown" in home.caption and home.selected().name == "Campaign 101"


async def never_counted(self, *args) -> None:
    """The count of campaigns needing attention, taking its time: it never comes."""


async def test_pages_turn_before_the_rest_of_the_list_has_come(db_path, monkeypatch):
    """The first page shows from its own read; the rest of the list comes from the background.
    Until it has come, the count of pages is known and a page can be turned."""
    numbered_campaigns(db_path, 205)
    monkeypatch.setattr(HomeScreen, "_count_elsewhere", never_counted)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert home.query_one(RowTable).row_count == 100
        assert home.caption == "205 campaigns · 1–100 shown (] next page, [ previous)"
        await pilot.press("right_square_bracket")
        assert "101–200 shown" in home.caption and home.selected().name == "Campaign 100"
        await pilot.press("right_square_bracket", "left_square_bracket", "left_square_bracket")
        assert "1–100 shown" in home.caption and home.selected().name == "Campaign 000"


async def test_a_list_that_shrank_or_cannot_be_read_does_not_turn_the_page(db_path, monkeypatch):
    """Turning the page before the rest of the list has come reads it at once. If meanwhile
    another window archived campaigns, the pages are counted again; if it cannot be read, the
    reason is shown and the first page stays."""
    from planner.domain.errors import DatabaseError

    numbered_campaigns(db_path, 105)
    monkeypatch.setattr(HomeScreen, "_count_elsewhere", never_counted)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert "105 campaigns · 1–100 shown" in home.caption
        with Store.open(db_path) as other:  # another window archives ten of them
            for summary in other.list_campaigns()[-10:]:
                other.set_archived(summary.id, True)
        await pilot.press("right_square_bracket")
        assert home.page == 0 and home.selected().name == "Campaign 000"
        assert home.caption.startswith("95 campaigns")  # one page now: no page to turn to

    numbered_campaigns(db_path, 10)  # 105 again, not yet all read
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen

        def unreadable(*args, include_archived=False, limit=None, **order):
            if limit is None:
                raise DatabaseError("The database is busy.")
            return real(include_archived=include_archived, limit=limit, **order)

        real = app.store.list_campaigns
        monkeypatch.setattr(app.store, "list_campaigns", unreadable)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert home.page == 0 and "1–100 shown" in home.caption
        assert any("busy" in str(n.message) for n in app._notifications)


async def test_the_list_moves_by_keys_and_opens_a_clicked_campaign(db_path):
    numbered_campaigns(db_path, 40)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        table = home.query_one(RowTable)
        body = table.size.height - 1  # rows under the header
        await pilot.press("pagedown")
        assert home.selected().name == f"Campaign {body:03d}"
        await pilot.press("end")
        assert home.selected().name == "Campaign 039"
        assert table.scroll_y == 40 - body  # the last row is on screen, at the bottom
        assert "Campaign 039" in app.screen.query_one("#campaigns").render_line(body).text
        await pilot.press("home", "down")
        assert home.selected().name == "Campaign 001" and table.scroll_y == 0
        await pilot.click(RowTable, offset=(3, 4))  # the fourth row: highlighted, not opened
        assert home.selected().name == "Campaign 003" and app.screen is home
        await pilot.click(RowTable, offset=(3, 4))  # clicked again: opened
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
        assert app.screen.editor.campaign.name == "Campaign 003"


@pytest.mark.parametrize("where", ["file", "memory"])
async def test_campaigns_needing_attention_are_counted_on_every_page(db_path, where):
    """The first page shows at once; the campaigns needing attention are counted in a process
    of its own (a database in memory has one connection: they are counted at once), and the
    count takes every page's campaigns."""
    import datetime as dt

    from planner.domain.models import Campaign, Cost

    store = Store.open(db_path if where == "file" else ":memory:")
    for n in range(205):
        campaign_id = store.create_campaign(Campaign(name=f"Campaign {n:03d}", currency="USD"))
        if n >= 200:  # spending without a budget, on the last page only
            store.add_entry(campaign_id, Cost(date=dt.date(2027, 1, 5), amount_minor=5000))
    app = make_app(store=store, today=dt.date(2027, 1, 31))
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await app.workers.wait_for_complete()  # the count, from a process of its own
        await pilot.pause()
        assert "205 campaigns · 5 need attention · 1–100 shown" in home.caption
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert home.selected().name == "Campaign 200"
        assert "“Campaign 200”: spending without a budget" in str(
            home.query_one("#caption").render()
        )
    store.close()


async def test_open_shows_everything_in_the_campaign(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Screening 2027"))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        source = app.screen.query_one(MarkdownViewer).document.source
        for expected in (
            "Adults 50-74",
            "Family doctors",
            "Your screening is due",
            "Screening rate",
            "Email tool",
            "Physical evidence",
        ):
            assert expected in source


async def test_command_palette_offers_the_home_actions(db_path):
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "New blank campaign",
            "New campaign from a starter",
            "Open campaign",
            "Archive campaign",
            "Show one practice's campaigns",  # p, which the key bar has no room for at 80
            "History of the campaign's changes",  # h
            "Quit",
        ):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"from a starter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StarterDialog)


async def test_names_that_look_like_markup_are_shown_as_typed(db_path):
    name = "Flu [/] clinic [b]x[/b]"
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign(name))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        table = app.screen.query_one(RowTable)
        assert str(table.get_row_at(0)[0]) == name
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        assert name in str(app.screen.query_one(".question").render())
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
        assert app.screen.sub_title == name
        assert app.screen.query_one("#field-name", Input).value == name


async def test_the_key_bar_shows_the_keys_and_a_click_presses_one(db_path):
    from textual.command import CommandPalette

    from screens.widgets.keybar import KeyBar

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        shown = str(bar.render())
        assert shown.startswith(" n New  s From starter  t Track  a Archive ")
        assert shown.endswith("▏^p palette ")
        assert len(shown) == SIZE[0]

        def background_at(x: int):
            return bar.render().get_style_at_offset(app.console, x).bgcolor

        # The key under the mouse is lit up, and only while the mouse is over it.
        plain = background_at(2)
        await pilot.hover(KeyBar, offset=(2, 0))  # " n New "
        assert background_at(2) != plain
        assert background_at(10) == plain  # " s From starter "
        await pilot.hover(KeyBar, offset=(10, 0))
        assert background_at(2) == plain
        assert background_at(10) != plain
        await pilot.click(KeyBar, offset=(2, 0))  # " n New "
        await pilot.pause()
        assert isinstance(app.screen, NewCampaignDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(KeyBar, offset=(SIZE[0] - 4, 0))  # "^p palette"
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


# -- changes made by other processes -----------------------------------------------------------


def shown(home: HomeScreen) -> list[str]:
    """The names in the list, as the screen shows them."""
    table = home.query_one(RowTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


GONE = (
    "“Dental check-ups” is no longer in this database: another window or program removed it "
    "(a restore of a backup, say). The list now shows the campaigns the database holds."
)


@pytest.mark.slow
async def test_the_list_follows_campaigns_made_and_restored_away_by_other_processes(
    db_path, tmp_path
):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
    backup = tmp_path / "before-dental.bak"
    in_another_terminal(db_path, "backup", "-o", str(backup))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert shown(home) == ["Flu season 2027"]
        in_another_terminal(db_path, "new", "Dental check-ups")
        await until(pilot, lambda: shown(home) == ["Dental check-ups", "Flu season 2027"])
        in_another_terminal(db_path, "restore", str(backup))
        await until(pilot, lambda: shown(home) == ["Flu season 2027"])  # not offered any more

        opening = [(home.action_open, CampaignWorkspace), (home.action_track, TrackingScreen)]
        for action, screen in opening:
            in_another_terminal(db_path, "new", "Dental check-ups")
            await until(pilot, lambda: len(shown(home)) == 2)
            home.query_one(RowTable).move_cursor(row=0)
            assert home.selected().name == "Dental check-ups"
            # Restored away while the list still shows it (the process runs to its end
            # before the list can look again), then opened, or tracked (Enter, t).
            in_another_terminal(db_path, "restore", str(backup))
            action()
            await pilot.pause()
            assert app.screen is home and not isinstance(app.screen, screen)
            assert [n.message for n in app._notifications][-1] == GONE
            assert shown(home) == ["Flu season 2027"], "the list is read again at once"
    app.store.close()


async def test_a_campaign_another_process_moves_to_the_trash_leaves_the_list(db_path):
    """planner delete in another terminal: the list drops the campaign at its next look, and
    a campaign opened before the list looked again is said to be in the trash, not opened."""
    from screens.home import TRASHED

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu season 2027"))
        store.create_campaign(full_campaign("Dental check-ups"))
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await list_shown(pilot)
        home = app.screen
        assert shown(home) == ["Dental check-ups", "Flu season 2027"]
        in_another_terminal(db_path, "delete", "2")
        await until(pilot, lambda: shown(home) == ["Flu season 2027"])
        in_another_terminal(db_path, "undelete", "2")
        await until(pilot, lambda: len(shown(home)) == 2)
        home.query_one(RowTable).move_cursor(row=0)
        in_another_terminal(db_path, "delete", "2")  # before the list looks again
        home.action_open()
        await pilot.pause()
        assert app.screen is home and not isinstance(app.screen, CampaignWorkspace)
        said = TRASHED.format(name="Dental check-ups")
        assert [n.message for n in app._notifications][-1] == said
        assert shown(home) == ["Flu season 2027"]
    app.store.close()


async def test_a_starter_s_dialog_says_when_its_plan_runs_and_the_campaign_runs_then(db_path):
    app = make_app(db_path, today=dt.date(2026, 12, 6))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        highlight_starter(app, "flu-vaccination")
        await pilot.press("enter")
        assert isinstance(app.screen, NewCampaignDialog)
        span = str(app.screen.query_one("#span", Static).render())
        assert span.startswith("Runs 1 Sep 2027 to 31 Jan 2028;")
        assert app.screen.query_one("#create").region.bottom <= SIZE[1]  # all of it shows
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, PracticeDetailsDialog)
        await pilot.click("#create")  # nothing typed: the texts keep the sample's details
        await pilot.pause()
        assert isinstance(app.screen, CampaignWorkspace)
    with Store.open(db_path) as store:
        (summary,) = store.list_campaigns()
        flu = store.get_campaign(summary.id)
    assert "045 555 0123" in flu.model_dump_json()
    assert (flu.start_date, flu.end_date) == (dt.date(2027, 9, 1), dt.date(2028, 1, 31))
    assert flu.messages[0].headline.startswith("Seasonal flu vaccination 2027-2028:")
