"""The list of campaigns by practice (issue 28): p chooses a practice (client), each offered
with its campaigns rolled up; the list then shows that practice's campaigns only, its caption
the roll-up; the first choice shows every practice's again."""

from __future__ import annotations

import datetime as dt

from factories import full_campaign
from helpers import highlight_starter, list_shown
from rich.text import Text
from textual.widgets import OptionList

from planner.domain.models import Cost
from planner.store import Store
from screens.app import make_app
from screens.dialogs import PracticeDialog
from screens.home import HomeScreen
from screens.widgets.rowtable import RowTable

TODAY = dt.date(2027, 4, 15)


def three_practices(db_path) -> None:
    """Two campaigns of Alder Street Clinic (its name written two ways), one with a cost, and
    one of Riverside Family Medicine."""
    with Store.open(db_path) as store:
        for name, practice in [
            ("Flu 2027", "Alder Street Clinic"),
            ("Diabetes 2027", "alder  street clinic"),
            ("Screening 2027", "Riverside Family Medicine"),
        ]:
            cid = store.create_campaign(
                full_campaign(name).model_copy(update={"practice": practice, "costs": []})
            )
            if name == "Flu 2027":
                cost = Cost(date=dt.date(2027, 4, 1), amount_minor=120_000, channel="email")
                store.add_entry(cid, cost)


def names(app) -> list[str]:
    table = app.screen.query_one(RowTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def caption(app) -> str:
    return str(app.screen.query_one("#caption").render())


async def test_p_shows_one_practice_s_campaigns_with_their_roll_up(db_path):
    three_practices(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_shown(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(names(app)) == 3
        await pilot.press("p")
        await app.workers.wait_for_complete()  # how many need attention, counted
        await pilot.pause()
        assert isinstance(app.screen, PracticeDialog)
        options = app.screen.query_one(OptionList)
        offered = [
            Text.from_markup(str(options.get_option_at_index(i).prompt)).plain
            for i in range(options.option_count)
        ]
        assert offered[0] == "Every practice"
        assert offered[1].startswith(
            "Alder Street Clinic · 2 need attention\n2 campaigns · budget EUR "
        )
        assert "spent EUR 1.200,00" in offered[1]  # as euros are written
        await pilot.press("escape")  # nothing changes
        await pilot.pause()
        assert len(names(app)) == 3
        await pilot.press("p", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert sorted(names(app)) == ["Diabetes 2027", "Flu 2027"]  # both spellings
        assert caption(app).startswith("Alder Street Clinic: budget EUR ")
        assert caption(app).count("2 campaigns") == 1  # counted once
        assert "(p: another practice)" in caption(app)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 1  # the practice shown
        await pilot.press("up", "enter")  # every practice again
        await pilot.pause()
        assert len(names(app)) == 3 and "another practice" not in caption(app)


async def test_a_campaign_for_a_client_offers_its_kept_details(db_path):
    """From a starter, for a practice kept as a client: the second step shows its address and
    phone, to check or change, and the campaign's texts give them."""
    from textual.widgets import Input

    from screens.dialogs import NewCampaignDialog, PracticeDetailsDialog

    three_practices(db_path)
    with Store.open(db_path) as store:
        store.set_client("alder street clinic", {"address": "12 Alder St", "phone": "0113 496 0"})
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        highlight_starter(app, "flu-vaccination")
        await pilot.press("enter")
        assert isinstance(app.screen, NewCampaignDialog)
        app.screen.query_one("#practice", Input).value = "Alder Street Clinic"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeDetailsDialog)
        assert app.screen.query_one("#address", Input).value == "12 Alder St"
        assert app.screen.query_one("#phone", Input).value == "0113 496 0"
        assert app.screen.query_one("#website", Input).value == ""  # none kept: the sample's
        await pilot.press("enter")
        await pilot.pause()
    with Store.open(db_path) as store:
        texts = store.get_campaign(4).model_dump_json()
    assert "12 Alder St" in texts and "0113 496 0" in texts and "Via Mameli" not in texts


async def test_each_practice_says_how_many_of_its_campaigns_need_attention(db_path):
    """Counted in a process of its own once the dialog is open, as the list's count is."""
    from planner.domain.words import practice_key
    from planner.tracking.attention import attention_by_practice

    three_practices(db_path)
    with Store.open(db_path) as store:
        flagged = attention_by_practice(store, today=TODAY)
    alder = flagged[practice_key("Alder Street Clinic")]
    assert alder >= 1  # the flu campaign spent EUR 1.200,00 of its EUR 550,00
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        dialog = app.screen
        assert isinstance(dialog, PracticeDialog)
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = dialog.query_one(OptionList)
        offered = [
            Text.from_markup(str(options.get_option_at_index(i).prompt)).plain
            for i in range(1, options.option_count)
        ]

        def needs(n: int) -> str:
            return "none needs attention" if not n else f"{n} need{'s' * (n == 1)} attention"

        assert offered[0].startswith(f"Alder Street Clinic · {needs(alder)}\n2 campaigns")
        riverside = flagged.get(practice_key("Riverside Family Medicine"), 0)
        assert offered[1].startswith(f"Riverside Family Medicine · {needs(riverside)}\n")
        assert "Counting" not in str(dialog.query_one("#hint").render())


async def test_g_groups_the_list_by_practice_with_its_practice_column(db_path):
    """g: each practice's campaigns together (however its name is spaced), the Practice column
    shown even at 80 columns, the caption saying so; g again: by name."""
    three_practices(db_path)
    with Store.open(db_path) as store:
        store.create_campaign(
            full_campaign("Asthma 2027").model_copy(
                update={"practice": "Riverside Family Medicine", "costs": []}
            )
        )
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_shown(pilot)
        by_name = ["Asthma 2027", "Diabetes 2027", "Flu 2027", "Screening 2027"]
        assert names(app) == by_name
        table = app.screen.query_one(RowTable)
        assert "Practice" not in [c.label for c in table.columns]  # no room for it at 80
        await pilot.press("g")
        await pilot.pause()
        assert names(app) == ["Diabetes 2027", "Flu 2027", "Asthma 2027", "Screening 2027"]
        assert [c.label for c in table.columns][:2] == ["Name", "Practice"]
        practices = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert [" ".join(p.casefold().split()) for p in practices[:2]] == [
            "alder street clinic"
        ] * 2
        assert all(p.startswith("Riverside") for p in practices[2:])
        assert "by practice (g: by name" in caption(app)
        await pilot.press("g")
        await pilot.pause()
        assert names(app) == by_name and "by practice" not in caption(app)
