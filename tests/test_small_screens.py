"""The planner at 80x24, the smallest terminal it is made for: each screen still says where the
user is, and nothing the user reads is cut or covered."""

from __future__ import annotations

import datetime as dt

from factories import tracked_campaign
from textual.widgets._header import HeaderTitle

from planner.models import Cost
from planner.store import Store
from screens.app import make_app
from screens.tracking import TrackingScreen

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
