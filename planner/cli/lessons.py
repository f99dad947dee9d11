"""``planner lessons`` (the end-of-campaign review: what worked, what did not, decisions for
next time, with the figures beside it) and ``planner maturity`` (where the campaign stands
from ad hoc to a closed-loop programme)."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from planner.cli.common import CAMPAIGN_ID, echo_json, open_store, today


def _assessed(ctx: click.Context, campaign_id: int) -> tuple[Any, Any, Any]:
    """The campaign, its figures as of today, and its maturity dimensions."""
    from planner.tracking import report
    from planner.tracking.maturity import assess

    day = today()
    campaign, data = open_store(ctx).tracking_data(campaign_id, today=day)
    tracked = report(campaign, data, day)
    return campaign, tracked, assess(campaign, data, tracked)


@click.command(short_help="Where the campaign stands, from ad hoc to a closed loop.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def maturity(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """Assess the campaign along the steps from ad hoc campaigns to a measured, closed-loop
    programme (key influencers, audience and message, measures, closing the loop, return,
    learning): each dimension's level (1 ad hoc, 2 planned, 3 measured, 4 closed loop), the
    evidence for it and the next step. Worked out from what the campaign holds."""
    from planner.tracking.maturity import LEVELS, maturity_json, overall

    campaign, _, dimensions = _assessed(ctx, campaign_id)
    if as_json:
        echo_json(maturity_json(campaign, dimensions))
        return
    level = overall(dimensions)
    click.echo(f"{campaign.name}: {LEVELS[level].lower()} (level {level} of 4)")
    click.echo("")
    for d in dimensions:
        click.echo(f"{d.name}: {d.level} {d.level_name.lower()}")
        click.echo(textwrap.fill(d.evidence, 78, initial_indent="  ", subsequent_indent="  "))
    steps = [d for d in sorted(dimensions, key=lambda d: d.level) if d.next_step]
    if steps:
        click.echo("")
        click.echo("Next steps:")
        for d in steps[:3]:
            click.echo(f"- {d.name}: {d.next_step}")


@click.command(short_help="The end-of-campaign review: what worked, what did not, what next.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--worked", metavar="TEXT", help="What worked.")
@click.option("--did-not-work", metavar="TEXT", help="What did not work.")
@click.option("--next-time", metavar="TEXT", help="The decisions for next time.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def lessons(
    ctx: click.Context,
    campaign_id: int,
    worked: str | None,
    did_not_work: str | None,
    next_time: str | None,
    as_json: bool,
) -> None:
    """Write or read the end-of-campaign review. With --worked, --did-not-work or
    --next-time it saves those (an empty text clears one); it then prints the review with
    the figures beside it: spending against the budget, the primary measure's progress, cost
    per result and ROI, and the maturity assessment."""
    from planner.tracking.lessons import lessons_json, lessons_lines

    changes = {
        field: text.strip()
        for field, text in (
            ("what_worked", worked),
            ("what_did_not_work", did_not_work),
            ("next_time", next_time),
        )
        if text is not None
    }
    if changes:
        store = open_store(ctx)
        campaign = store.get_campaign(campaign_id, tracking=False)
        store.update_campaign(campaign_id, changes, expected_version=campaign.version)
        click.echo(f"Saved the review of campaign {campaign_id}.", err=True)
    campaign, tracked, dimensions = _assessed(ctx, campaign_id)
    if as_json:
        echo_json(lessons_json(campaign, tracked, dimensions))
    else:
        click.echo("\n".join(lessons_lines(campaign, tracked, dimensions)))
