"""Multi-step flows shared by screens: creating a campaign, blank or from a starter.

The campaign list and the welcome screen import this module as the planner starts; what the
flows need (the models, the starters, the dialogs) loads when a flow begins. The app opens the
campaign created (``screens.navigation.CampaignCreated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import AwaitMount

from planner.domain.errors import PlannerError
from screens.navigation import CampaignCreated

if TYPE_CHECKING:
    from planner.plan.starters import Starter
    from screens.dialogs import NewCampaignRequest


def create_campaign(screen: Screen, *, from_starter: bool) -> AwaitMount:
    """Ask for a starter (if wanted) and a name, create the campaign, then have it opened.

    Await what it returns (the first dialog's mount) in the action of the key that began it:
    until then the app holds the keys typed after it, which would otherwise go to the screen
    behind or to a dialog whose first field has no focus yet, and be lost."""
    from planner.plan.campaigns import new_campaign
    from planner.plan.starters import list_starters
    from screens.dialogs import NewCampaignDialog, StarterDialog

    app = screen.app

    def created(request: NewCampaignRequest | None) -> None:
        if request is None:
            return
        try:
            campaign_id = new_campaign(
                app.store,
                name=request.name,
                starter=request.starter,
                currency=request.currency,
                practice=request.practice,
                start=request.start,
            )
        except PlannerError as exc:
            app.report(exc)
            return
        app.post_message(CampaignCreated(campaign_id, request.name))

    def chosen(starter: Starter | None) -> None:
        if starter is None:
            return
        from planner.plan.starters import default_start

        campaign = starter.load(default_start(starter, app.today()))
        app.push_screen(
            NewCampaignDialog(
                starter=starter,
                name=starter.title,
                practice=campaign.practice,
                currency=campaign.currency,
                start=campaign.start_date,
                end=campaign.end_date,
            ),
            created,
        )

    if from_starter:
        return app.push_screen(StarterDialog(list_starters()), chosen)
    return app.push_screen(NewCampaignDialog(), created)
