"""``planner links``: each activity's tracking link (UTM parameters), for the web address the
campaign's messages lead to."""

from __future__ import annotations

import click

from planner.cli.common import CAMPAIGN_ID, UserError, echo_json, echo_table, open_store
from planner.domain.advice import command
from planner.domain.errors import PlannerError


@click.command(short_help="Each activity's tracking link (UTM parameters).")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--base-url",
    metavar="URL",
    help="The page the links lead to, e.g. https://www.example-practice.com/flu (default: "
    "the campaign's landing page).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def links(ctx: click.Context, campaign_id: int, base_url: str | None, as_json: bool) -> None:
    """Give each activity of the campaign its own link to the page (--base-url, else the
    campaign's landing page), tagged with utm_source,
    utm_medium, utm_campaign and utm_content, so that a web analytics export tells which
    activity brought each visit. utm_content names the activity (lower case, hyphens) and is
    unique in the campaign; the same plan always gives the same links."""
    from planner.plan.links import tracking_links

    store = open_store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    base_url = base_url or campaign.landing_page
    if not base_url:
        raise UserError(
            f"Campaign {campaign_id} has no landing page: give the page the links lead to with "
            "--base-url URL, or set the campaign's Landing page in the Overview step."
        )
    try:
        found = tracking_links(campaign, base_url)
    except PlannerError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        echo_json({"campaign_id": campaign_id, "links": [link.as_json() for link in found]})
        return
    if not found:
        click.echo(
            f"Campaign {campaign_id} has no activities yet, so no links. Plan them in the "
            f"Activities step of the planner ({command(store.path)}).",
            err=True,
        )
        return
    echo_table([("ACTIVITY", "LINK"), *((link.activity, link.url) for link in found)])
