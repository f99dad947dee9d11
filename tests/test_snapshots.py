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
