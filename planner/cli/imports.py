"""``planner import costs|results``, ``planner imports`` and ``planner import undo``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner.cli.common import CAMPAIGN_ID, UserError
from planner.cli.common import echo_table as _echo_table
from planner.cli.common import open_store as _store
from planner.domain.advice import command
from planner.domain.models import ImportKind, ImportOptions, ImportRecord, SavedMapping

FORMAT_CHOICES = ["auto", "google-ads", "meta-ads", "mailchimp", "ga4", "hcahps", "generic"]


def _pairs(
    values: tuple[str, ...], option: str, what: str, example: str = "date=Day"
) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, column = value.partition("=")
        if not sep or not key.strip():
            raise UserError(f"{option} '{value}' should be {what}, such as {option} {example}.")
        pairs[key.strip()] = column.strip()
    return pairs


class _Progress:
    """A progress bar on a terminal (stderr), nothing otherwise."""

    def __init__(self, label: str, size: int) -> None:
        self.bar = (
            click.progressbar(length=max(size, 1), label=label, file=sys.stderr, width=30)
            if sys.stderr.isatty()
            else None
        )
        self.done = 0

    def __enter__(self) -> Callable[[int, int], None]:
        if self.bar is not None:
            self.bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is not None and done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.group(name="import", short_help="Import costs or results from an exported file.")
def import_() -> None:
    """Import costs or results from the files ad platforms, email tools, analytics and survey
    files export (Google Ads, Meta Ads Manager, Mailchimp, GA4, CMS HCAHPS) or from any
    spreadsheet saved as CSV, with its columns mapped once. Every import can be undone."""


def _import(
    ctx: click.Context,
    kind: ImportKind,
    campaign_id: int,
    file: Path,
    fmt: str | None,
    maps: tuple[str, ...],
    mapping: str | None,
    save_mapping: str | None,
    day_first: bool,
    where: tuple[str, ...],
    map_channels: tuple[str, ...],
    skip_unreadable: bool,
    dry_run: bool,
    force: bool,
) -> None:
    """``planner import costs`` and ``planner import results``: plan the file, show how its
    columns are read, then preview it (--dry-run) or import it."""
    from planner.imports import plan_import

    store = _store(ctx)
    options = _options(store, kind, mapping, fmt, maps, where, day_first, map_channels)
    campaign = store.get_campaign(campaign_id, tracking=False)
    plan = plan_import(file, campaign, options)
    _echo_plan(file, plan)
    if save_mapping:
        store.save_mapping(SavedMapping(name=save_mapping, **plan.resolved_options().model_dump()))
        click.echo(f"Saved the mapping as '{save_mapping}'; reuse it with --mapping.")
    if plan.problem:
        hint = "--where COLUMN=VALUE" if "Facility ID" in plan.problem else "--map FIELD=COLUMN"
        raise UserError(f"{plan.problem} At the command line: {hint}.")
    if dry_run:
        _dry_run(plan, skip_unreadable)
        return
    _write(store, plan, campaign_id, force=force, skip_unreadable=skip_unreadable)
    if map_channels:
        _remember_channels(store, plan, mapping, save_mapping)


def _options(
    store: Any,
    kind: ImportKind,
    mapping: str | None,
    fmt: str | None,
    maps: tuple[str, ...],
    where: tuple[str, ...],
    day_first: bool,
    map_channels: tuple[str, ...],
) -> ImportOptions:
    """The import's options: the saved mapping's (if one is named), with the command line's
    on top."""
    base = ImportOptions(kind=kind)
    if mapping:
        saved = store.get_mapping(mapping)
        if saved.kind is not kind:
            raise UserError(
                f"The mapping '{saved.name}' reads {saved.kind.value}, not {kind.value}; "
                f"use 'planner import {saved.kind.value}', or another mapping."
            )
        base = ImportOptions(**saved.model_dump(exclude={"name"}))
    return base.model_copy(
        update={
            "format": fmt or base.format,
            "fields": {**base.fields, **_pairs(maps, "--map", "FIELD=COLUMN")},
            "where": {**base.where, **_pairs(where, "--where", "COLUMN=VALUE")},
            "day_first": True if day_first else base.day_first,
            "channels": {
                **base.channels,
                **_pairs(map_channels, "--map-channel", "NAME=CHANNEL", "Stampa=print_mail"),
            },
        }
    )


def _echo_plan(file: Path, plan: Any) -> None:
    """The file's format, and where each field and measure is read from."""
    detected = "" if plan.detected is not plan.format else " (detected)"
    click.echo(f"{file.name}: {plan.format.title}{detected}, {plan.sheet.description}.")
    for name, source in plan.describe_fields():
        click.echo(f"  {name} <- {source}")
    for notice in plan.notices:
        click.echo(f"Note: {notice}")


def _dry_run(plan: Any, skip_unreadable: bool) -> None:
    """Read the whole file and show what would be imported; write nothing."""
    from planner.imports import preview

    with _Progress("Reading", plan.sheet.size) as progress:
        seen = preview(plan, progress)
    _echo_problems(seen)
    _echo_sample(seen, plan.campaign.currency)
    if seen.money_rows and not skip_unreadable:
        click.echo(f"Note: {seen.unreadable_money()}. {_how_to_go_on(seen)}")
    click.echo(f"Would import {seen.summary()}. Nothing was written (--dry-run).")


def _write(store: Any, plan: Any, campaign_id: int, *, force: bool, skip_unreadable: bool) -> None:
    """Import the file, and say what was written and how to undo it."""
    from planner.imports import SkipsMoney, run_import

    try:
        with _Progress("Importing", plan.sheet.size) as progress:
            record, seen = run_import(
                store,
                plan,
                campaign_id,
                force=force,
                skip_unreadable=skip_unreadable,
                on_progress=progress,
            )
    except SkipsMoney as exc:
        _echo_problems(exc.tally, channels=False)
        raise UserError(f"{exc} {_how_to_go_on(exc.tally)}") from None
    _echo_problems(seen)
    undo = command(store.path, "import", "undo", str(record.id))
    click.echo(f"Import {record.id}: {seen.summary()}. Undo it with '{undo}'.")


def _how_to_go_on(seen: Any) -> str:
    """What to type to import a file whose rows holding money cannot all be read."""
    from planner.domain.models import Channel

    if not seen.unknown_channels:
        return "Correct those rows, or leave them out with --skip-unreadable."
    first = next(iter(seen.unknown_channels.values()))[0]
    known = ", ".join(c.value for c in Channel)
    each = " (once for each name)" if len(seen.unknown_channels) > 1 else ""
    return (
        f"Say which channel each is with --map-channel '{first}=CHANNEL'{each}, CHANNEL being "
        f"one of: {known}; or leave these rows out with --skip-unreadable."
    )


def _remember_channels(
    store: Any, plan: Any, mapping: str | None, save_mapping: str | None
) -> None:
    """Keep the channels just mapped in the saved mapping the import used, for the next file;
    without one, say how to keep them."""
    if save_mapping:
        return  # saved with the rest of the mapping before the import
    if not mapping:
        click.echo(
            "Note: the channels given with --map-channel are read so for this import only; "
            "keep them for the next file with --save-mapping NAME."
        )
        return
    saved = store.get_mapping(mapping)
    channels = {**saved.channels, **plan.resolved_options().channels}
    store.save_mapping(saved.model_copy(update={"channels": channels}))
    click.echo(f"Saved the channels in the mapping '{saved.name}' for the next file.")


def _echo_problems(seen: Any, *, channels: bool = True) -> None:
    """Every row that cannot be read (on stderr); without ``channels``, those of a channel
    the planner does not know are left to the sentence that counts them."""
    for problem in seen.problems:
        if channels or not problem.unknown_channel:
            click.echo(f"Cannot read {problem}", err=True)
    if seen.problem_rows > len(seen.problems):
        click.echo(
            f"... and {seen.problem_rows - len(seen.problems):,} more rows that cannot be read.",
            err=True,
        )


def _echo_sample(seen: Any, currency: str) -> None:
    from planner.domain.inputs import show_number
    from planner.domain.models import Cost
    from planner.domain.numbers import format_money

    if not seen.sample:
        return
    shown = seen.sample[:20]
    if seen.kind is ImportKind.COSTS:
        table = [("DATE", "AMOUNT", "CHANNEL", "VENDOR", "ACTIVITY", "NOTE")]
        for cost in shown:
            assert isinstance(cost, Cost)
            table.append(
                (
                    cost.period,
                    format_money(cost.amount_minor, currency, seen.style),
                    cost.channel.value if cost.channel else "(activity's)",
                    cost.vendor,
                    cost.activity or "",
                    cost.note[:40],
                )
            )
    else:
        from planner.tracking import result_for

        table = [("DATE", "MEASURE", "VALUE", "OF", "FOR", "NOTE")]
        table += [
            (
                r.period,
                r.measure,
                show_number(r.value, seen.style),
                "" if r.of is None else show_number(r.of, seen.style),
                "" if result_for(r) == "–" else result_for(r),
                r.note,
            )
            for r in shown
        ]
    _echo_table(table)
    if seen.entries > len(shown):
        click.echo(f"... and {seen.entries - len(shown):,} more.")


def _import_command(kind: ImportKind) -> click.Command:
    noun = kind.value

    @import_.command(name=noun, short_help=f"Import {noun} from an exported file.")
    @click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMAT_CHOICES),
        help="The file's format (default: detected from its header).",
    )
    @click.option(
        "--map",
        "maps",
        multiple=True,
        metavar="FIELD=COLUMN",
        help=(
            "Read FIELD from COLUMN: date, start, amount, currency, channel, vendor, activity, "
            "note (a fixed text works for channel, vendor, activity and note)."
            if kind is ImportKind.COSTS
            else "Read the measure FIELD from COLUMN, e.g. 'Email open rate=Open Rate'; also "
            "date, start, and measure and value for files with one row per figure."
        ),
    )
    @click.option("--mapping", metavar="NAME", help="Start from a saved mapping.")
    @click.option("--save-mapping", metavar="NAME", help="Save this mapping under NAME.")
    @click.option("--day-first", is_flag=True, help="Dates such as 03/09/2027 write the day first.")
    @click.option(
        "--where",
        multiple=True,
        metavar="COLUMN=VALUE",
        help="Keep only the rows whose COLUMN is VALUE (VALUE* for a prefix).",
    )
    @click.option(
        "--map-channel",
        "map_channels",
        multiple=True,
        metavar="NAME=CHANNEL",
        help="Read the file's channel NAME as CHANNEL, e.g. Stampa=print_mail; kept in the "
        "saved mapping (--mapping or --save-mapping) for the next file.",
        hidden=kind is not ImportKind.COSTS,
    )
    @click.option(
        "--skip-unreadable",
        is_flag=True,
        help="Import the readable rows even when rows holding money cannot be read (without "
        "it, such an import stops and says which rows).",
    )
    @click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
    @click.option("--force", is_flag=True, help="Import a file even if it was imported before.")
    @click.pass_context
    def command(ctx: click.Context, campaign_id: int, file: Path, **options: Any) -> None:
        _import(ctx, kind, campaign_id, file, **options)

    command.__doc__ = (
        f"Import {noun} into campaign ID from FILE (CSV or TSV). Shows how the columns are "
        "read, every row that cannot be read, and a summary. One transaction: all of the "
        "readable rows or nothing."
    )
    return command


import_costs = _import_command(ImportKind.COSTS)
import_results = _import_command(ImportKind.RESULTS)


@import_.command(name="undo", short_help="Remove everything an import added.")
@click.argument("import_id", metavar="IMPORT_ID", type=CAMPAIGN_ID)
@click.pass_context
def import_undo(ctx: click.Context, import_id: int) -> None:
    """Remove every cost or result import IMPORT_ID added ('planner imports ID' lists them)."""
    record, removed = _store(ctx).undo_import(import_id)
    noun = "costs" if record.kind is ImportKind.COSTS else "results"
    click.echo(f"Undid import {import_id} ('{record.file_name}'): removed {removed:,} {noun}.")


@import_.command(name="mappings", short_help="List the saved mappings.")
def import_mappings_list() -> None:
    """The column mappings saved with --save-mapping."""
    ctx = click.get_current_context()
    mappings = _store(ctx).list_mappings()
    if not mappings:
        click.echo("No mapping is saved yet; save one with --save-mapping NAME.")
        return
    table = [("NAME", "KIND", "FORMAT", "FIELDS")]
    for m in mappings:
        fields = ", ".join(
            [f"{k}={v}" for k, v in m.fields.items()]
            + [f"channel {k}={v}" for k, v in m.channels.items()]
        )
        table.append((m.name, m.kind.value, m.format, fields))
    _echo_table(table)


def import_json(record: ImportRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude={"campaign_id"})


@click.command(short_help="List a campaign's imports.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def imports(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """The files imported into a campaign, newest first, with what each added."""
    from planner.domain.numbers import format_money, style_of

    store = _store(ctx)
    records = store.list_imports(campaign_id)
    if as_json:
        click.echo(json.dumps([import_json(r) for r in records], indent=2))
        return
    if not records:
        click.echo("No file has been imported into this campaign yet.")
        return
    campaign = store.get_campaign(campaign_id, tracking=False)
    currency, style = campaign.currency, style_of(campaign)
    table = [("ID", "WHEN (UTC)", "KIND", "FORMAT", "FILE", "ADDED", "TOTAL", "STATUS")]
    for r in records:
        table.append(
            (
                str(r.id),
                r.created_at[:16].replace("T", " "),
                r.kind.value,
                r.format,
                r.file_name,
                f"{r.entries:,}",
                ""
                if r.total_minor is None
                else format_money(r.total_minor, currency, style, code=True),
                f"undone {r.undone_at[:10]}" if r.undone_at else "",
            )
        )
    _echo_table(table)
