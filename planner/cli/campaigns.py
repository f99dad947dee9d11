"""The commands about whole campaigns: ``planner starters``, ``new``, ``number-style``,
``list``, ``show``, ``export``, ``import-campaign``, ``archive`` and ``unarchive``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.common import CAMPAIGN_ID, UserError, echo_json, echo_table, open_store, read_date
from planner.domain.advice import command
from planner.store.output import write_file

if TYPE_CHECKING:
    from planner.store import Store


@click.group(invoke_without_command=True, short_help="List the starter campaigns, or keep one.")
@click.pass_context
def starters(ctx: click.Context) -> None:
    """List the starter campaigns: the id to pass to --from, then the title (yours marked).
    'planner starters save ID SLUG --title TEXT' keeps a campaign of yours as a starter."""
    from planner.plan.starters import list_starters

    if ctx.invoked_subcommand is not None:
        return
    found = list_starters()
    width = max((len(s.id) for s in found), default=0)
    for starter in found:
        mine = "  (yours)" if starter.own else ""
        click.echo(f"{starter.id:<{width}}  {starter.title}{mine}")


@starters.command(name="save")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("slug")
@click.option("--title", required=True, help="The starter's title, as the lists show it.")
@click.option("--summary", default="", help="A sentence on what the plan does.")
@click.option("--force", is_flag=True, help="Replace a starter of yours of the same name.")
@click.option("--address", metavar="TEXT", help="The practice's address, as its texts give it.")
@click.option("--phone", metavar="TEXT", help="The practice's phone, as its texts give it.")
@click.option("--website", metavar="TEXT", help="The practice's website, as its texts give it.")
@click.pass_context
def starters_save(
    ctx: click.Context,
    campaign_id: int,
    slug: str,
    title: str,
    summary: str,
    force: bool,
    address: str | None,
    phone: str | None,
    website: str | None,
) -> None:
    """Keep campaign ID's plan as a starter of your own called SLUG (in your data folder):
    without its costs, results, sign-offs or decisions on findings, its practice's name in its
    texts filled in with the practice of each campaign made from it
    ('planner new NAME --from SLUG --practice P'), and its address, phone and website too
    when you give them as its texts write them (--address, --phone, --website)."""
    from planner.plan.starters import save_starter

    campaign = open_store(ctx).get_campaign(campaign_id, tracking=False)
    details = {"address": address, "phone": phone, "website": website}
    path = save_starter(campaign, slug, title=title, summary=summary, force=force, details=details)
    click.echo(f"Kept campaign {campaign_id} as the starter '{slug}' in {path}.")


@click.command()
@click.argument("name")
@click.option("--from", "starter", metavar="STARTER", help="Start from this starter's plan.")
@click.option("--currency", metavar="CODE", help="ISO 4217 currency, e.g. USD, EUR, GBP.")
@click.option("--practice", metavar="TEXT", help="The practice the campaign is for.")
@click.option("--start", metavar="DATE", help="Start date (YYYY-MM-DD); a starter's dates move.")
@click.option("--address", metavar="TEXT", help="With --from: the practice's address.")
@click.option("--phone", metavar="TEXT", help="With --from: the practice's phone number.")
@click.option("--website", metavar="TEXT", help="With --from: the practice's website.")
@click.option(
    "--number-style",
    metavar="LOCALE",
    help="How numbers are written, e.g. it_IT (1.234,50) or en_US (1,234.50); default: from "
    "the jurisdictions and currency.",
)
@click.pass_context
def new(
    ctx: click.Context,
    name: str,
    starter: str | None,
    currency: str | None,
    practice: str | None,
    start: str | None,
    address: str | None,
    phone: str | None,
    website: str | None,
    number_style: str | None,
) -> None:
    """Create a campaign called NAME and print its id. From a starter, its texts name the
    practice (--practice) and give its address, phone and website wherever they give the
    sample practice's."""
    from planner.plan.campaigns import new_campaign

    if not name.strip():
        raise UserError('Give the new campaign a name: planner new "Flu season 2027".')
    store = open_store(ctx)
    had = store.get_client(practice) if practice and practice.strip() else None
    campaign_id = new_campaign(
        store,
        name=name,
        starter=starter,
        currency=currency,
        practice=practice,
        start=read_date(start),
        number_style=number_style,
        details={"address": address, "phone": phone, "website": website},
    )
    click.echo(campaign_id)
    kept = None
    if had is None and practice and practice.strip():
        kept = store.get_client(practice)
        if kept is not None:
            click.echo(
                f"Kept the details given as {kept.name}'s, for its next campaigns and every "
                "brief of its ('planner client' shows and changes them).",
                err=True,
            )
    if starter:
        from planner.plan.starters import unused_details

        for key in unused_details(
            starter, {"address": address, "phone": phone, "website": website}
        ):
            where = "kept with the practice's details only" if kept else "not used"
            click.echo(
                f"The starter '{starter}' gives no {key} in its texts; --{key} was {where}.",
                err=True,
            )


@click.command(name="number-style", short_help="Show or set how a campaign writes numbers.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("style", metavar="LOCALE", required=False)
@click.pass_context
def number_style(ctx: click.Context, campaign_id: int, style: str | None) -> None:
    """Show how campaign ID writes numbers, or set it: a LOCALE such as it_IT (1.234,50),
    de_DE, fr_FR (1 234,50), en_US or en_GB (1,234.50); 'auto' works it out from the
    campaign's jurisdictions and currency. Amounts, results and imports are read this way."""
    from planner.domain.numbers import example, normalise_style, style_of

    store = open_store(ctx)
    if style is not None:
        try:
            auto = style.strip().casefold() in ("", "auto")
            chosen = None if auto else normalise_style(style)
        except ValueError as exc:
            raise UserError(f"{exc}.") from None
        store.update_campaign(campaign_id, {"number_style": chosen}, expected_version=None)
    campaign = store.get_campaign(campaign_id, tracking=False)
    how = "chosen" if campaign.number_style else "from its jurisdictions and currency"
    current = style_of(campaign)
    click.echo(f"Campaign {campaign_id} writes numbers like {example(current)} ({current}, {how}).")


def _same_practice(a: str, b: str) -> bool:
    """The same practice however its name's letters are cased or spaced."""
    from planner.domain.words import practice_key

    return practice_key(a) == practice_key(b)


@click.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="Include archived campaigns.")
@click.option(
    "--practice",
    metavar="NAME",
    help="Only the campaigns of this practice (client); letter case does not matter.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def list_(ctx: click.Context, show_all: bool, practice: str | None, as_json: bool) -> None:
    """List the campaigns."""
    from planner.domain.numbers import format_money

    store = open_store(ctx)
    rows = store.list_campaigns(include_archived=show_all)
    if practice is not None:
        known = sorted({r.practice for r in rows if r.practice}, key=str.casefold)
        rows = [r for r in rows if _same_practice(r.practice, practice)]
        if not rows and not as_json:
            archived = [] if show_all else store.list_campaigns(include_archived=True)
            hidden = sum(1 for r in archived if r.archived and _same_practice(r.practice, practice))
            where = f" but {hidden} archived (add --all to list them)" if hidden else ""
            listed = "; ".join(known) if known else "none has a practice yet"
            click.echo(f"No campaigns of the practice '{practice}'{where}. Practices: {listed}.")
            return
    if as_json:
        echo_json([r.as_json() for r in rows])
        return
    if not rows:
        create = command(store.path, "new", "NAME")
        click.echo(f"No campaigns yet. Create one with: {create} [--from STARTER]")
        return
    table = [("ID", "NAME", "PRACTICE", "STATUS", "START", "END", "BUDGET")]
    for r in rows:
        status = r.status.label + (" (archived)" if r.archived else "")
        table.append(
            (
                str(r.id),
                r.name,
                r.practice,
                status,
                str(r.start_date or "–"),
                str(r.end_date or "–"),
                format_money(r.budget_minor, r.currency, r.style, code=True),
            )
        )
    echo_table(table)


@click.command()
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def show(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """Show a campaign."""
    import json

    from planner.plan.campaigns import campaign_json, describe
    from planner.plan.exchange import streamed_lists

    store = open_store(ctx)
    with store.snapshot():  # the plan and its costs as they were at one moment
        campaign = store.get_campaign(campaign_id, tracking=False)
        if as_json:
            # the costs and results written as they are read, as export does
            text = json.dumps(campaign_json(campaign), indent=2, ensure_ascii=False)
            for chunk in streamed_lists(text, _entries(store, campaign_id), depth=1):
                click.echo(chunk, nl=False)
            click.echo()
        else:
            # the costs and results counted from their running totals: a campaign with a
            # million costs is shown as fast as one with none
            click.echo(describe(campaign, store.count_entries(campaign_id)))


def _entries(store: Store, campaign_id: int) -> dict[str, Iterator[Any]]:
    """The campaign's costs and results, oldest first (as ``costs list`` shows them), read a
    thousand at a time down their (campaign, date) index, each as the JSON of its model."""
    from planner.domain.models import Cost, Result

    return {
        "costs": store.iter_entry_documents(campaign_id, Cost),
        "results": store.iter_entry_documents(campaign_id, Result),
    }


@click.command(short_help="Export a campaign as versioned JSON.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.pass_context
def export(ctx: click.Context, campaign_id: int, output: Path | None, force: bool) -> None:
    """Export the whole campaign as versioned JSON (to stdout, or to a file with -o)."""
    from planner.plan.exchange import dump_chunks
    from planner.plan.readings import carried

    store = open_store(ctx)
    # the plan read whole; its costs and results written as they are read (flat memory), all
    # of one moment: another process's import in between is in the file whole or not at all
    with store.snapshot():
        campaign = store.get_campaign(campaign_id, tracking=False)
        # its messages' reading counts ride along: importing it needs no dictionary
        readings = carried(store, campaign)
        extra = {"text_readings": readings} if readings else {}
        chunks = dump_chunks(campaign, _entries(store, campaign_id), **extra)
        if output is None:
            for chunk in chunks:
                click.echo(chunk, nl=False)
        else:
            write_file(output, chunks, force=force)
            click.echo(f"Exported campaign {campaign_id} to {output}", err=True)


@click.command(name="import-campaign", short_help="Create a campaign from a JSON export.")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def import_campaign(ctx: click.Context, file: Path) -> None:
    """Create a campaign from a JSON export and print its new id."""
    from planner.plan.exchange import open_export
    from planner.plan.readings import keep, take

    # the plan read first; its costs and results read and written as they stream by, in the
    # transaction that creates the campaign (flat memory; a bad entry saves nothing)
    campaign, entries = open_export(file)
    store = open_store(ctx)
    click.echo(store.create_campaign(campaign, entries, entries.expected))
    take(store, campaign, entries.readings)  # the counts the file carries: no dictionary
    keep(store, campaign)  # its messages' reading counts, so that its briefs need no dictionary


@click.command(short_help="Archive a campaign (undo with unarchive).")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def archive(ctx: click.Context, campaign_id: int) -> None:
    """Archive a campaign (it leaves the list; 'unarchive' brings it back)."""
    open_store(ctx).set_archived(campaign_id, True)
    click.echo(f"Archived campaign {campaign_id}.")


@click.command()
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def unarchive(ctx: click.Context, campaign_id: int) -> None:
    """Bring an archived campaign back to the list."""
    open_store(ctx).set_archived(campaign_id, False)
    click.echo(f"Unarchived campaign {campaign_id}.")
