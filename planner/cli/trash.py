"""The trash: ``planner delete`` moves a campaign there, ``planner trash`` lists it (and empties
it, after asking), ``planner undelete`` brings a campaign back whole. (``planner restore`` is
for the backups of the whole database.)"""

from __future__ import annotations

import sys

import click

from planner.cli.common import CAMPAIGN_ID, echo_json, echo_table, open_store
from planner.domain.advice import command
from planner.domain.errors import PlannerError


@click.command(short_help="Move a campaign to the trash (undo with undelete).")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def delete(ctx: click.Context, campaign_id: int) -> None:
    """Move a campaign to the trash: it leaves every list, and nothing of it is deleted until
    the trash is emptied ('planner undelete ID' brings it back)."""
    store = open_store(ctx)
    name = store.delete_campaign(campaign_id)
    back = command(store.path, "undelete", str(campaign_id))
    click.echo(f"Moved campaign {campaign_id} “{name}” to the trash; '{back}' brings it back.")


@click.command(short_help="Bring a campaign back from the trash.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def undelete(ctx: click.Context, campaign_id: int) -> None:
    """Bring a campaign back from the trash, whole: its plan, costs, results and reviews."""
    name = open_store(ctx).undelete_campaign(campaign_id)
    click.echo(f"Brought campaign {campaign_id} “{name}” back from the trash.")


@click.command(short_help="List the campaigns in the trash, or empty it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.option("--empty", is_flag=True, help="Delete the campaigns in the trash for good.")
@click.option("--yes", is_flag=True, help="With --empty: do not ask first.")
@click.pass_context
def trash(ctx: click.Context, as_json: bool, empty: bool, yes: bool) -> None:
    """List the campaigns in the trash; with --empty, delete them for good (after asking)."""
    if yes and not empty:
        raise PlannerError(
            "--yes goes with --empty (planner trash --empty --yes); nothing was done."
        )
    store = open_store(ctx)
    trashed = store.list_trash()
    if empty:
        _empty(store, trashed, yes)
        return
    if as_json:
        echo_json([t.as_json() for t in trashed])
        return
    if not trashed:
        click.echo("The trash is empty.")
        return
    table = [("ID", "NAME", "PRACTICE", "STATUS", "DELETED", "COSTS", "RESULTS")]
    for t in trashed:
        when = t.deleted_at.replace("T", " ")[:16] + " UTC"
        table.append(
            (str(t.id), t.name, t.practice, t.status.label, when, str(t.costs), str(t.results))
        )
    echo_table(table)
    back = command(store.path, "undelete", "ID")
    empty = command(store.path, "trash", "--empty")
    click.echo(f"\n'{back}' brings one back; '{empty}' deletes them all for good.")


def _can_ask() -> bool:
    """Whether a person can answer (a terminal), not a script's pipe."""
    return sys.stdin.isatty()


def _empty(store, trashed, yes: bool) -> None:  # type: ignore[no-untyped-def]
    if not trashed:
        click.echo("The trash is empty; nothing was deleted.")
        return
    names = "; ".join(f"{t.id} “{t.name}”" for t in trashed)
    what = "1 campaign" if len(trashed) == 1 else f"{len(trashed)} campaigns"
    if not yes:
        if not _can_ask():
            raise PlannerError(
                f"Emptying the trash deletes {what} for good ({names}); nothing was deleted. "
                "Run it in a terminal to be asked, or add --yes."
            )
        if not click.confirm(
            f"Delete {what} in the trash for good ({names})? This cannot be undone",
            default=False,
        ):
            click.echo("Nothing was deleted.")
            return
    deleted = store.empty_trash(t.id for t in trashed)
    done = "1 campaign" if deleted == 1 else f"{deleted} campaigns"
    click.echo(f"Deleted {done} from the trash for good.")
