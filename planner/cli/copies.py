"""``planner copy``: a campaign's plan copied for the next client or the next year, in the same
database file or into another."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import CAMPAIGN_ID, open_store, read_date


@click.command(short_help="Copy a campaign's plan, for another client or another year.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("name")
@click.option("--practice", metavar="P", help="The practice (client) the copy is for.")
@click.option(
    "--start",
    metavar="DATE",
    help="The copy's start date (YYYY-MM-DD); every date of the plan moves by the same days.",
)
@click.option(
    "--db",
    "other",
    metavar="OTHER.db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Copy into this database file (made if it does not exist), such as a client's.",
)
@click.pass_context
def copy(
    ctx: click.Context,
    campaign_id: int,
    name: str,
    practice: str | None,
    start: str | None,
    other: Path | None,
) -> None:
    """Copy campaign ID's plan as a new draft called NAME and print its id: its segments,
    influencers, messages, 7Ps, activities, measures and budget, but not its costs, results,
    sign-offs or decisions on findings. The copy carries the campaign's end-of-campaign
    review to read (Lessons from before) and starts its own empty."""
    from planner.plan.copies import copied_plan
    from planner.store import Store

    store = open_store(ctx)
    source = store.get_campaign(campaign_id, tracking=False)
    copy_ = copied_plan(source, name, practice=practice, start=read_date(start))
    if other is None or _same_file(other, store.path):
        new_id = store.create_campaign(copy_)
        where = ""
    else:
        # the client's details go along when the other file keeps none of that practice
        client = store.get_client(source.practice) if not practice else None
        with Store.open(other) as target:
            new_id = target.create_campaign_of_client(copy_, client)
        where = f" in {other}"
    click.echo(new_id)
    moved = f", moved to start on {copy_.start_date}" if start and copy_.start_date else ""
    click.echo(
        f"Copied '{source.name}' as '{copy_.name}' (campaign {new_id}{where}){moved}: the plan, "
        "without costs, results, sign-offs or decisions on findings.",
        err=True,
    )


def _same_file(path: Path, current: Path) -> bool:
    try:
        return path.exists() and path.samefile(current)
    except OSError:
        return False
