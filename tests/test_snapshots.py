"""SVG snapshots of each screen at a fixed size with fixed data."""

from __future__ import annotations

import datetime as dt

from factories import full_campaign

from planner.models import CampaignStatus
from planner.store import Store
from screens.app import make_app

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
    assert snap_compare(make_app(db_path), terminal_size=SIZE)


def _one_campaign(db_path) -> None:
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Screening 2027"))


def press(*keys: str):
    """A run_before that presses keys, then turns cursor blinking off."""

    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def test_starter_dialog(snap_compare, db_path):
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=press("s"))


def test_new_campaign_dialog(snap_compare, db_path):
    _one_campaign(db_path)
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=press("n"))


def test_archive_confirmation(snap_compare, db_path):
    _one_campaign(db_path)
    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=press("a"))


def test_campaign_overview(snap_compare, db_path):
    _one_campaign(db_path)
    app = make_app(db_path, today=dt.date(2027, 1, 15))
    assert snap_compare(app, terminal_size=SIZE, run_before=press("enter", "ctrl+o", "t"))
