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


@click.command(short_help="Staff hours by owner and month, against what a person can give.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--capacity",
    metavar="HOURS",
    help="Set the hours a month each person can give the campaign (empty: none).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def staff(ctx: click.Context, campaign_id: int, capacity: str | None, as_json: bool) -> None:
    """The hours the activities ask of each owner, month by month (each activity's staff
    hours spread over its days), against the hours a month each person can give; a month
    over it is flagged. --capacity sets that figure."""
    from planner.cli.common import UserError
    from planner.domain.inputs import parse_number
    from planner.domain.numbers import format_rounded, style_of
    from planner.plan.staff import NO_OWNER, over_sentences, staff_json, staff_time

    store = open_store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    style = style_of(campaign)
    if capacity is not None:
        try:
            hours = parse_number(capacity, style)
        except ValueError as exc:
            raise UserError(f"--capacity: {exc}") from None
        if hours is not None and not 0 <= hours <= 10_000:
            raise UserError("--capacity takes the hours a month a person can give: 0 to 10,000.")
        store.update_campaign(
            campaign_id, {"staff_hours_per_month": hours}, expected_version=campaign.version
        )
        campaign = store.get_campaign(campaign_id, tracking=False)
        said = "none" if hours is None else f"{format_rounded(hours, style)} hours a month"
        click.echo(f"Staff capacity of campaign {campaign_id}: {said}.", err=True)
    found = staff_time(campaign)
    if as_json:
        echo_json(staff_json(campaign, found))
        return

    def show(hours: float) -> str:
        return format_rounded(hours, style, 1)

    if not found.owners:
        click.echo(f"No activity of campaign {campaign_id} has staff hours yet.")
        return
    from planner.cli.common import echo_table

    months = found.months
    over = {(o.owner, o.month) for o in found.over}
    table = [("OWNER", *months, *(["UNSCHEDULED"] if found.unscheduled else []), "TOTAL")]
    for owner in found.owners:
        cells = [show(found.of(owner, m)) + ("!" if (owner, m) in over else "") for m in months]
        extra = [show(found.unscheduled.get(owner, 0.0))] if found.unscheduled else []
        table.append((owner, *cells, *extra, show(found.owner_total(owner))))
    echo_table(table)
    cap = found.capacity
    click.echo("")
    click.echo(
        f"Capacity: {show(cap)} hours a month a person."
        if cap is not None
        else f"No capacity set: planner staff {campaign_id} --capacity HOURS sets it."
    )
    for sentence in over_sentences(found, show):
        click.echo(f"! {sentence}")
    if NO_OWNER in found.owners:
        click.echo(f"Activities with staff hours but no owner count under '{NO_OWNER}'.")
