"""Multi-step flows shared by screens: creating a campaign, blank or from a starter.

The campaign list and the welcome screen import this module as the planner starts; what the
flows need (the models, the starters, the dialogs) loads when a flow begins. The app opens the
campaign created (``screens.navigation.CampaignCreated``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import AwaitMount

from planner.domain.errors import PlannerError
from screens.navigation import CampaignCreated

if TYPE_CHECKING:
    from planner.plan.starters import Starter
    from screens.dialogs import NewCampaignRequest
    from screens.dialogs.practice_details import DetailsAnswer


def create_campaign(screen: Screen, *, from_starter: bool) -> AwaitMount:
    """Ask for a starter (if wanted) and a name, create the campaign, then have it opened.

    Await what it returns (the first dialog's mount) in the action of the key that began it:
    until then the app holds the keys typed after it, which would otherwise go to the screen
    behind or to a dialog whose first field has no focus yet, and be lost."""
    from planner.plan.campaigns import new_campaign
    from planner.plan.starters import list_starters
    from screens.dialogs import NewCampaignDialog, PracticeDetailsDialog, StarterDialog

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
                details=request.details,
            )
        except PlannerError as exc:
            app.report(exc)
            return
        app.post_message(CampaignCreated(campaign_id, request.name))

    def named(starter: Starter, request: NewCampaignRequest | None) -> None:
        """The name step done: the practice's details next, where the starter's texts give
        them; Back there returns to the name step with what was typed in both."""
        samples = starter.details()
        if request is None or not samples:
            created(request)
            return

        def detailed(answer: DetailsAnswer | None) -> None:
            if answer is None or answer.back:
                name_step(starter, request, answer.details if answer else request.details)
                return
            created(replace(request, details={k: v or None for k, v in answer.details.items()}))

        given = request.details
        if given is None and request.practice:  # a client's kept details, to check or change
            client = app.store.get_client(request.practice)
            if client is not None:
                kept = {"address": client.address, "phone": client.phone, "website": client.website}
                given = {k: kept[k] for k in samples if kept.get(k)}
        app.push_screen(
            PracticeDetailsDialog(samples, practice=request.practice, given=given),
            detailed,
        )

    def name_step(
        starter: Starter,
        typed: NewCampaignRequest | None = None,
        details: dict[str, str] | None = None,
    ) -> None:
        from planner.plan.starters import default_start

        campaign = starter.load(default_start(starter, app.today()))

        def answered(request: NewCampaignRequest | None) -> None:
            named(starter, request if request is None else replace(request, details=details))

        app.push_screen(
            NewCampaignDialog(
                starter=starter,
                name=typed.name if typed else starter.title,
                practice=typed.practice if typed else campaign.practice,
                currency=typed.currency if typed else campaign.currency,
                start=campaign.start_date,
                end=campaign.end_date,
                then_details=bool(starter.details()),
            ),
            answered,
        )

    def chosen(starter: Starter | None) -> None:
        if starter is not None:
            name_step(starter)

    if from_starter:
        return app.push_screen(StarterDialog(list_starters()), chosen)
    return app.push_screen(NewCampaignDialog(), created)
