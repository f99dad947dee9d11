"""The commands about the saved changes of a campaign's plan: ``planner history``,
``undo``, ``redo`` and ``revert``."""

from __future__ import annotations

import click

from planner.cli.common import CAMPAIGN_ID, echo_json_list, echo_table, open_store


@click.command(short_help="List the saved changes of a campaign's plan.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def history(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List every saved change of a campaign's plan, the oldest first: its number (for
    'revert'), when (UTC), what changed, and what it was and became."""
    from planner.domain.numbers import style_of
    from planner.plan.revisions import change_text, what

    store = open_store(ctx)
    revisions = store.revisions(campaign_id)
    if as_json:
        echo_json_list(r.as_json() for r in revisions)
        return
    if not revisions:
        click.echo(f"Campaign {campaign_id} has no saved changes yet.")
        return
    campaign = store.get_campaign(campaign_id, tracking=False)
    currency, style = campaign.currency, style_of(campaign)
    table = [("#", "When (UTC)", "What", "Change")]
    for rev in revisions:
        when = rev.created_at[:16].replace("T", " ")
        table.append((str(rev.id), when, what(rev), change_text(rev, currency, style)))
    echo_table(table)


def _reversed(ctx: click.Context, campaign_id: int, how: str, revision_id: int = 0) -> None:
    """Undo, redo or revert through the store, and say what it did."""
    from planner.compliance.approval import refuse_unready
    from planner.domain.numbers import style_of
    from planner.plan.revisions import notice

    store = open_store(ctx)
    approval = refuse_unready(store)  # an approved status is put back only on a ready campaign
    if how == "undo":
        done, applied = store.undo(campaign_id, expected_version=None, approval=approval)
    elif how == "redo":
        done, applied = store.redo(campaign_id, expected_version=None, approval=approval)
    else:
        done, applied = store.revert(
            campaign_id, revision_id, expected_version=None, approval=approval
        )
    campaign = store.get_campaign(campaign_id, tracking=False)
    currency, style = campaign.currency, style_of(campaign)
    word = {"undo": "Undone", "redo": "Redone", "revert": f"Reverted #{revision_id}"}[how]
    label = applied.label if how == "redo" else done.label
    click.echo(f"{notice(word, label, applied, currency, style)}. Saved as revision {applied.id}.")


@click.command(short_help="Undo the last saved change of a campaign's plan.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def undo(ctx: click.Context, campaign_id: int) -> None:
    """Undo the last saved change of a campaign's plan (made here or in the planner's
    window), as the planner's Ctrl+Z does; 'redo' makes it again."""
    _reversed(ctx, campaign_id, "undo")


@click.command(short_help="Make again the change undone last.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def redo(ctx: click.Context, campaign_id: int) -> None:
    """Make again the change undone last, if no other change was saved since."""
    _reversed(ctx, campaign_id, "redo")


@click.command(short_help="Put back what one saved change changed.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("revision_id", metavar="REVISION", type=CAMPAIGN_ID)
@click.pass_context
def revert(ctx: click.Context, campaign_id: int, revision_id: int) -> None:
    """Put back what revision REVISION of the campaign changed (see 'history'), as a new
    change. Refused when what it changed has been changed or deleted since."""
    _reversed(ctx, campaign_id, "revert", revision_id)
