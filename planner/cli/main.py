"""The command line: every job of the planner, scriptable. ``planner`` alone opens the TUI."""

from __future__ import annotations

import datetime as dt
import importlib
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner import __version__
from planner.cli.launch import APP_NAME, ENV_DB, open_planner, resolve_db_path
from planner.domain.advice import command
from planner.domain.errors import PlannerError
from planner.domain.inputs import parse_date
from planner.domain.later import Later
from planner.domain.words import plural
from planner.store import Store, explain_sqlite_error
from planner.store.output import refuse_overwrite, write_file

if TYPE_CHECKING:
    import json
else:
    json = Later("json")  # for the commands that print JSON, not at every start

class UserError(click.ClickException):
    """A problem the user can fix: one sentence on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


# What each kind of number names, and the command that lists them (by the argument's name).
_NUMBERED = {
    "campaign_id": ("campaign", "planner list"),
    "cost_id": ("cost", "planner costs list ID"),
    "result_id": ("result", "planner results list ID"),
    "import_id": ("import", "planner imports ID"),
}


class Number(click.ParamType):
    """The number of a campaign (or a cost, a result, an import) as its list shows it; any
    other text is refused with a sentence saying what to type."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2**63:
            return value
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 1 <= int(text) < 2**63:
            return int(text)
        what, listing = _NUMBERED.get(param.name if param else "", _NUMBERED["campaign_id"])
        raise UserError(
            f"'{value}' is not the number of a {what}; type the number '{listing}' shows in "
            f"its ID column (such as 1)."
        )


CAMPAIGN_ID = Number()


def _missing(exc: click.MissingParameter) -> str:
    """A missing argument or option in a sentence that says what to type."""
    param, ctx = exc.param, exc.ctx
    path = ctx.command_path if ctx else "planner"
    if path.endswith(" new") and param is not None and param.name == "name":
        return 'Give the new campaign a name: planner new "Flu season 2027".'
    if isinstance(param, click.Argument) and param.name in _NUMBERED:
        what, listing = _NUMBERED[param.name]
        return (
            f"Say which {what}: {path} {param.make_metavar(ctx) if ctx else 'ID'}, with the "
            f"number '{listing}' shows (such as {path} 1)."
        )
    if isinstance(param, click.Option):
        name = max(param.opts, key=len)
        told = ""
        if param.help:
            said = param.help.rstrip(".")
            said = said[0].lower() + said[1:] if said[1:2].islower() else said
            told = f" ({said})"
        return f"{path} needs {name}{told}; see '{path} --help'."
    named = param.human_readable_name if param else "a value"
    return f"{path} needs {named}; see '{path} --help'."


# The commands that live in modules of their own, by name. A module is imported (which
# registers its commands on ``main``) only when one of its commands is run or the help lists
# them: ``planner`` alone, and every other command, starts without the compliance rules,
# pydantic's models or the web server (a tenth of a second and more).
LAZY_COMMANDS = {
    **dict.fromkeys(("backup", "doctor", "restore", "serve"), "planner.cli.care"),
    **dict.fromkeys(
        ("finding", "lint", "rule", "rules", "signoff", "signoffs", "status"),
        "planner.cli.compliance",
    ),
    **dict.fromkeys(("import", "imports"), "planner.cli.imports"),
}


class PlannerGroup(click.Group):
    """Turns every PlannerError raised by a command into a one-sentence UserError (and so any
    SQLite error no store method has put in words, such as one met while a list is printed
    as it is read), and loads the commands of ``LAZY_COMMANDS`` when they are needed."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.MissingParameter as exc:
            raise UserError(_missing(exc)) from None
        except PlannerError as exc:
            raise UserError(str(exc)) from None
        except sqlite3.Error as exc:
            store = ctx.obj.get("store") if isinstance(ctx.obj, dict) else None
            raise UserError(explain_sqlite_error(exc, store.path if store else None)) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            importlib.import_module(LAZY_COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(LAZY_COMMANDS.values())):
            importlib.import_module(module)
        return super().list_commands(ctx)


def _store(ctx: click.Context) -> Store:
    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        obj["store"] = Store.open(resolve_db_path(obj.get("db")))
        ctx.call_on_close(obj["store"].close)
    return obj["store"]


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise PlannerError(str(exc)) from None


def _echo_table(table: list[tuple[str, ...]]) -> None:
    """Rows of text in aligned columns, the first row being the headings."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@click.group(cls=PlannerGroup, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH",
    help=f"The database file (default: ${ENV_DB}, else {APP_NAME}/planner.db in your user "
    "data folder).",
)
@click.version_option(__version__, prog_name="planner")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Healthcare Campaign Planner: plan a patient-relationship campaign, render its brief,
    and track what it cost and achieved.

    Run without a command to open the planner in the terminal.
    """
    ctx.ensure_object(dict)["db"] = db
    if db is not None and not db.strip():
        raise UserError("--db needs the path of a database file.")
    _today()  # a $PLANNER_TODAY that is not a date is said now, before anything is opened
    if ctx.invoked_subcommand is None:
        open_planner(_store(ctx))


@main.command(short_help="List the starter campaigns.")
def starters() -> None:
    """List the starter campaigns: the id to pass to --from, then the title."""
    from planner.plan.starters import list_starters

    found = list_starters()
    width = max((len(s.id) for s in found), default=0)
    for starter in found:
        click.echo(f"{starter.id:<{width}}  {starter.title}")


@main.command()
@click.argument("name")
@click.option("--from", "starter", metavar="STARTER", help="Start from this starter's plan.")
@click.option("--currency", metavar="CODE", help="ISO 4217 currency, e.g. USD, EUR, GBP.")
@click.option("--practice", metavar="TEXT", help="The practice the campaign is for.")
@click.option("--start", metavar="DATE", help="Start date (YYYY-MM-DD); a starter's dates move.")
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
    number_style: str | None,
) -> None:
    """Create a campaign called NAME and print its id."""
    from planner.plan.campaigns import new_campaign

    if not name.strip():
        raise UserError('Give the new campaign a name: planner new "Flu season 2027".')
    campaign_id = new_campaign(
        _store(ctx),
        name=name,
        starter=starter,
        currency=currency,
        practice=practice,
        start=_date(start),
        number_style=number_style,
    )
    click.echo(campaign_id)


@main.command(name="number-style", short_help="Show or set how a campaign writes numbers.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("style", metavar="LOCALE", required=False)
@click.pass_context
def number_style(ctx: click.Context, campaign_id: int, style: str | None) -> None:
    """Show how campaign ID writes numbers, or set it: a LOCALE such as it_IT (1.234,50),
    de_DE, fr_FR (1 234,50), en_US or en_GB (1,234.50); 'auto' works it out from the
    campaign's jurisdictions and currency. Amounts, results and imports are read this way."""
    from planner.domain.numbers import example, normalise_style, style_of

    store = _store(ctx)
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


@main.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="Include archived campaigns.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def list_(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List the campaigns."""
    from planner.domain.numbers import format_money

    store = _store(ctx)
    rows = store.list_campaigns(include_archived=show_all)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
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
    _echo_table(table)


@main.command()
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def show(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """Show a campaign."""
    from planner.plan.campaigns import campaign_json, describe

    campaign = _store(ctx).get_campaign(campaign_id)
    if as_json:
        click.echo(json.dumps(campaign_json(campaign), indent=2, ensure_ascii=False))
    else:
        click.echo(describe(campaign))


@main.command(short_help="Export a campaign as versioned JSON.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.pass_context
def export(ctx: click.Context, campaign_id: int, output: Path | None, force: bool) -> None:
    """Export the whole campaign as versioned JSON (to stdout, or to a file with -o)."""
    from planner.plan.exchange import dumps

    text = dumps(_store(ctx).get_campaign(campaign_id))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_file(output, text, force=force)
        click.echo(f"Exported campaign {campaign_id} to {output}", err=True)


@main.command(name="import-campaign", short_help="Create a campaign from a JSON export.")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def import_campaign(ctx: click.Context, file: Path) -> None:
    """Create a campaign from a JSON export and print its new id."""
    from planner.plan.exchange import read_file

    campaign = read_file(file)
    click.echo(_store(ctx).create_campaign(campaign))


@main.command(short_help="Archive a campaign (undo with unarchive).")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def archive(ctx: click.Context, campaign_id: int) -> None:
    """Archive a campaign (it leaves the list; 'unarchive' brings it back)."""
    _store(ctx).set_archived(campaign_id, True)
    click.echo(f"Archived campaign {campaign_id}.")


@main.command()
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def unarchive(ctx: click.Context, campaign_id: int) -> None:
    """Bring an archived campaign back to the list."""
    _store(ctx).set_archived(campaign_id, False)
    click.echo(f"Unarchived campaign {campaign_id}.")


@main.command(short_help="List the saved changes of a campaign's plan.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def history(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List every saved change of a campaign's plan, the oldest first: its number (for
    'revert'), when (UTC), what changed, and what it was and became."""
    from planner.domain.numbers import style_of
    from planner.plan.revisions import change_text, what

    store = _store(ctx)
    revisions = store.revisions(campaign_id)
    if as_json:
        _echo_json_list(r.as_json() for r in revisions)
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
    _echo_table(table)


def _reversed(ctx: click.Context, campaign_id: int, how: str, revision_id: int = 0) -> None:
    """Undo, redo or revert through the store, and say what it did."""
    from planner.compliance.approval import refuse_unready
    from planner.domain.numbers import style_of
    from planner.plan.revisions import notice

    store = _store(ctx)
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


@main.command(short_help="Undo the last saved change of a campaign's plan.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def undo(ctx: click.Context, campaign_id: int) -> None:
    """Undo the last saved change of a campaign's plan (made here or in the planner's
    window), as the planner's Ctrl+Z does; 'redo' makes it again."""
    _reversed(ctx, campaign_id, "undo")


@main.command(short_help="Make again the change undone last.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.pass_context
def redo(ctx: click.Context, campaign_id: int) -> None:
    """Make again the change undone last, if no other change was saved since."""
    _reversed(ctx, campaign_id, "redo")


@main.command(short_help="Put back what one saved change changed.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("revision_id", metavar="REVISION", type=CAMPAIGN_ID)
@click.pass_context
def revert(ctx: click.Context, campaign_id: int, revision_id: int) -> None:
    """Put back what revision REVISION of the campaign changed (see 'history'), as a new
    change. Refused when what it changed has been changed or deleted since."""
    _reversed(ctx, campaign_id, "revert", revision_id)


BRIEF_FORMATS = click.Choice(["md", "html", "pdf"], case_sensitive=False)


@main.command(short_help="Render the campaign brief as Markdown, HTML or PDF.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--format",
    "fmt",
    type=BRIEF_FORMATS,
    help="md (Markdown), html (one self-contained file) or pdf (needs the [pdf] extra). "
    "Default: from the -o file's extension, else md.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--template-dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Your own templates (see 'planner templates'); any file missing there comes from "
    "the standard set. Default: the folder chosen in the planner's Brief screen, if any.",
)
@click.pass_context
def brief(
    ctx: click.Context,
    campaign_id: int,
    fmt: str | None,
    output: Path | None,
    force: bool,
    template_dir: Path | None,
) -> None:
    """Render the campaign brief and record the export ('planner briefs ID' lists them).

    Markdown and HTML go to standard output unless -o names a file; an existing file is
    replaced only with --force, and a file is written whole or not at all, together with its
    record. From a read-only database the brief is written but not recorded, and says so.
    """
    from planner.briefs import export_brief, export_to_stream, format_for_path, render_brief
    from planner.domain.models import BriefFormat

    if fmt is not None:
        chosen = BriefFormat(fmt.lower())
    else:
        chosen = (format_for_path(output) if output else None) or BriefFormat.MD
    if output is None and chosen is BriefFormat.PDF and sys.stdout.isatty():
        raise UserError("A PDF is not for the terminal; write it to a file with -o FILE.pdf.")
    if output is not None:
        refuse_overwrite(output, force=force)  # before a render that can take seconds
    store = _store(ctx)
    rendered = render_brief(store, campaign_id, chosen, template_dir=template_dir)
    if output is None:
        done = export_to_stream(store, rendered, _print_bytes)
        if done.unrecorded:
            click.echo(done.unrecorded, err=True)
        return
    done = export_brief(store, rendered, output, force=force)
    said = (
        f"Wrote the {chosen.label} brief of campaign {campaign_id} (version "
        f"{rendered.campaign_version}) to {done.path}."
    )
    click.echo(f"{said} {done.unrecorded}".rstrip(), err=True)


def _print_bytes(data: bytes) -> None:
    """Write bytes to standard output; a full disk or a closed pipe is a sentence."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise UserError(
            f"The brief could not be written to standard output ({exc.strerror or exc}); "
            "write it to a file with -o FILE."
        ) from None


@main.command(short_help="List the briefs exported for a campaign.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def briefs(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List the briefs exported for a campaign, newest first: when, format, the campaign
    version, the SHA-256 of the content, where it went, and whether that file is unchanged."""
    from planner.briefs import export_history, file_state

    store = _store(ctx)
    renders = export_history(store, campaign_id)
    current = store.campaign_version(campaign_id)
    if as_json:
        rows = [{**r.model_dump(mode="json"), "file_state": file_state(r)} for r in renders]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not renders:
        click.echo(
            f"No briefs exported for campaign {campaign_id} yet. Export one with: "
            f"{command(store.path, 'brief', str(campaign_id), '-o', 'FILE')}"
        )
        return
    table = [("WHEN (UTC)", "FORMAT", "VERSION", "SHA-256", "FILE", "STATE")]
    for r in renders:
        table.append(
            (
                r.rendered_at[:16].replace("T", " "),
                r.format.label,
                str(r.campaign_version),
                r.sha256[:12],
                r.path or "(standard output)",
                file_state(r) if r.path else "",
            )
        )
    _echo_table(table)
    latest = renders[0].campaign_version
    if current != latest:
        click.echo(
            f"\nThe campaign is at version {current} now; the latest brief was rendered from "
            f"version {latest}."
        )


@main.command(short_help="Copy the standard brief templates into a folder to brand them.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace template files already in the folder.")
def templates(folder: Path, force: bool) -> None:
    """Copy the standard brief templates into FOLDER, to change them there (the styles are in
    brief.css, the sections in body.j2). Use the folder with 'planner brief --template-dir',
    or choose it in the planner's Brief screen."""
    from planner.briefs import copy_templates

    copied = copy_templates(folder, force=force)
    click.echo(f"Copied {plural(len(copied), 'template file')} to {folder}:")
    for path in copied:
        click.echo(f"  {path.name}")


# ---------------------------------------------------------------------------------------------
# Tracking: costs, results and the report


def _value(parse: Any, text: str, *args: Any, **options: Any) -> Any:
    """Read a typed option; a value that cannot be read is a one-sentence user error."""
    try:
        return parse(text, *args, **options)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _today() -> dt.date:
    from planner.domain import clock

    return clock.today()


def _echo_json_list(items: Any) -> None:
    """A JSON list written as it is read, so that a million entries never sit in memory."""
    first = True
    click.echo("[", nl=False)
    for item in items:
        click.echo(("" if first else ",") + "\n  " + json.dumps(item, ensure_ascii=False), nl=False)
        first = False
    click.echo("]" if first else "\n]")


def _echo_entries(
    entries: Any,
    currency: str,
    *,
    as_json: bool,
    headings: tuple[str, ...],
    cells: Any,
    empty: str,
) -> None:
    """Costs or results as a JSON list (streamed) or a table: id and date, the kind's own
    ``cells``, then the note; ``empty`` when there are none."""
    from planner.tracking import entry_json

    if as_json:
        _echo_json_list(entry_json(e, currency) for e in entries)
        return
    table = [headings]
    for e in entries:
        table.append((str(e.id), e.period, *cells(e), e.note.replace("\n", " ")))
    if len(table) == 1:
        click.echo(empty)
        return
    _echo_table(table)


@main.group(short_help="Record and list what the campaign spent.")
def costs() -> None:
    """Record what the campaign spent, list it, delete a wrong entry. Amounts are in the
    campaign's currency, typed in major units (120.50)."""


@costs.command(name="add")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--date",
    "when",
    required=True,
    metavar="D",
    help="YYYY-MM-DD, a month (YYYY-MM) or a period (YYYY-MM-DD..YYYY-MM-DD).",
)
@click.option(
    "--amount", required=True, metavar="A", help="In the campaign's currency, e.g. 120.50."
)
@click.option(
    "--channel", metavar="C", help="e.g. email, sms, search_ads (default: the activity's)."
)
@click.option("--vendor", metavar="V", default="", help="Who was paid.")
@click.option("--activity", metavar="N", help="The name of the activity it paid for.")
@click.option("--note", metavar="T", default="", help="A note.")
@click.option(
    "--future",
    is_flag=True,
    help="Record a cost dated after today: committed, not yet paid (it counts from its date).",
)
@click.pass_context
def costs_add(
    ctx: click.Context,
    campaign_id: int,
    when: str,
    amount: str,
    channel: str | None,
    vendor: str,
    activity: str | None,
    note: str,
    future: bool,
) -> None:
    """Record a cost and print its id. A cost dated after today is refused unless --future
    says it is committed but not yet paid."""
    from planner.domain.inputs import parse_choice, parse_money, parse_period
    from planner.domain.models import Channel, Cost
    from planner.domain.numbers import format_money, style_of
    from planner.tracking import refuse_future_cost, starts_after

    store = _store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    style = style_of(campaign)
    start, end = _value(parse_period, when)
    if not amount.strip():
        raise UserError(
            f"--amount needs an amount, such as {format_money(12050, campaign.currency, style)}."
        )
    minor = _value(parse_money, amount, campaign.currency, style)
    chosen = _value(parse_choice, Channel, channel, "channel") if channel else None
    cost = _entry(
        Cost,
        date=end,
        period_start=start,
        amount_minor=minor,
        channel=chosen,
        vendor=vendor,
        activity=activity,
        note=note,
    )
    refused = None if future else refuse_future_cost(cost, _today())
    if refused:
        raise UserError(refused)
    cost_id = store.add_entry(campaign_id, cost)
    click.echo(cost_id)
    later = (
        " It is dated after today: the figures count it from that day on."
        if starts_after(cost, _today())
        else ""
    )
    click.echo(
        f"Recorded cost {cost_id}: {format_money(minor, campaign.currency, style, code=True)} "
        f"on {cost.period}." + later,
        err=True,
    )


def _entry(model: Any, **fields: Any) -> Any:
    from pydantic import ValidationError

    from planner.domain.errors import describe_validation_error

    try:
        return model(**fields)
    except ValidationError as exc:
        raise UserError(describe_validation_error(exc)) from None


@costs.command(name="list")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def costs_list(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List the recorded costs, oldest first."""
    from planner.domain.models import Cost
    from planner.domain.numbers import format_money, style_of

    store = _store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    currency, style = campaign.currency, style_of(campaign)
    _echo_entries(
        store.iter_entries(campaign_id, Cost),
        currency,
        as_json=as_json,
        headings=("ID", "DATE", "AMOUNT", "CHANNEL", "ACTIVITY", "VENDOR", "NOTE"),
        cells=lambda e: (
            format_money(e.amount_minor, currency, style, code=True),
            e.channel.label if e.channel else "–",
            e.activity or "–",
            e.vendor,
        ),
        empty=f"No costs recorded for campaign {campaign_id} yet. Record one with: "
        + command(
            store.path,
            *("costs", "add", str(campaign_id)),
            *("--date", "YYYY-MM-DD", "--amount", "120.50"),
        ),
    )


@costs.command(name="delete")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("cost_id", metavar="COST_ID", type=CAMPAIGN_ID)
@click.pass_context
def costs_delete(ctx: click.Context, campaign_id: int, cost_id: int) -> None:
    """Delete a cost recorded by mistake."""
    from planner.domain.models import Cost

    _store(ctx).delete_entry(campaign_id, Cost, cost_id)
    click.echo(f"Deleted cost {cost_id}.")


@main.group(short_help="Record and list the results of the campaign's measures.")
def results() -> None:
    """Record what each measure came to, list the results, delete a wrong one."""


@results.command(name="add")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--measure", required=True, metavar="NAME", help="The measure's name.")
@click.option(
    "--date",
    "when",
    required=True,
    metavar="D",
    help="YYYY-MM-DD, a month (YYYY-MM) or a period (YYYY-MM-DD..YYYY-MM-DD).",
)
@click.option("--value", required=True, metavar="V", help="The figure, e.g. 42 or 12.5.")
@click.option("--source", metavar="S", default="", help="Where the figure comes from.")
@click.option("--note", metavar="T", default="", help="A note.")
@click.pass_context
def results_add(
    ctx: click.Context,
    campaign_id: int,
    measure: str,
    when: str,
    value: str,
    source: str,
    note: str,
) -> None:
    """Record a result of a measure and print its id."""
    from planner.domain.inputs import parse_number, parse_period
    from planner.domain.models import Result
    from planner.domain.numbers import is_percent_unit, style_of
    from planner.tracking import refuse_future_result

    store = _store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    start, end = _value(parse_period, when)
    found = [m for m in campaign.measures if m.name.casefold() == measure.strip().casefold()]
    percent = not found or is_percent_unit(found[0].unit)  # an unknown measure is refused below
    number = _value(parse_number, value, style_of(campaign), percent=percent)
    if number is None:
        raise UserError("--value needs a number, such as 42 or 12.5.")
    result = _entry(
        Result,
        measure=measure,
        date=end,
        period_start=start,
        value=number,
        source=source,
        note=note,
    )
    refused = refuse_future_result(result, _today())
    if refused:
        raise UserError(refused)
    result_id = store.add_entry(campaign_id, result)
    click.echo(result_id)
    click.echo(
        f"Recorded result {result_id}: {measure} {value.strip()} on {result.period}.", err=True
    )


@results.command(name="list")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--measure", metavar="NAME", help="Only this measure's results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def results_list(ctx: click.Context, campaign_id: int, measure: str | None, as_json: bool) -> None:
    """List the recorded results, oldest first."""
    from planner.domain.inputs import show_number
    from planner.domain.models import Result
    from planner.domain.numbers import style_of

    store = _store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    style = style_of(campaign)
    _echo_entries(
        store.iter_entries(campaign_id, Result, measure=measure),
        campaign.currency,
        as_json=as_json,
        headings=("ID", "DATE", "MEASURE", "VALUE", "SOURCE", "NOTE"),
        cells=lambda e: (e.measure, show_number(e.value, style), e.source),
        empty=f"No results recorded for campaign {campaign_id} yet. Record one with: "
        + command(
            store.path,
            *("results", "add", str(campaign_id), "--measure", "NAME"),
            *("--date", "YYYY-MM-DD", "--value", "42"),
        ),
    )


@results.command(name="delete")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("result_id", metavar="RESULT_ID", type=CAMPAIGN_ID)
@click.pass_context
def results_delete(ctx: click.Context, campaign_id: int, result_id: int) -> None:
    """Delete a result recorded by mistake."""
    from planner.domain.models import Result

    _store(ctx).delete_entry(campaign_id, Result, result_id)
    click.echo(f"Deleted result {result_id}.")


@main.command(short_help="Budget against spending, progress to target, cost per result, ROI.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def report(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """What the campaign has spent and achieved so far: budget against spending in total and
    by channel, the burn rate and projected spend, each measure's progress to its target,
    cost per result and ROI. The README gives the formulas."""
    from planner.tracking import report as build
    from planner.tracking import report_json, report_lines

    today = _today()
    campaign, data = _store(ctx).tracking_data(campaign_id, today=today)
    found = build(campaign, data, today)
    if as_json:
        click.echo(json.dumps(report_json(found), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(report_lines(found)))


if __name__ == "__main__":  # pragma: no cover
    main()
