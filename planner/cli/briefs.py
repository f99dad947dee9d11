"""The commands about the campaign brief: ``planner brief`` (render and export it),
``briefs`` (the exports so far) and ``templates`` (copy the templates to brand them)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import CAMPAIGN_ID, UserError, echo_json, echo_table, open_store
from planner.domain.advice import command
from planner.domain.words import plural
from planner.store.output import refuse_overwrite

if TYPE_CHECKING:
    from planner.store import Store

BRIEF_FORMATS = click.Choice(["md", "html", "pdf", "docx"], case_sensitive=False)


@click.command(short_help="Render the campaign brief as Markdown, HTML, PDF or Word.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--format",
    "fmt",
    type=BRIEF_FORMATS,
    help="md (Markdown), html (one self-contained file), pdf (needs the [pdf] extra) or "
    "docx (Word, to edit in Word or LibreOffice). "
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
@click.option(
    "--audience",
    type=click.Choice(["internal", "client"], case_sensitive=False),
    default="internal",
    show_default=True,
    help="client: the brief to give the practice, without the internal review (sign-offs, "
    "findings, rule identifiers, rules turned off) or the version counter, and saying who it "
    "was prepared for and by; internal: everything.",
)
@click.option(
    "--language",
    metavar="LANG",
    callback=lambda ctx, param, value: _language(value),
    help="The language of the brief's own words (headings, labels, dates, the sentences "
    "around the plan): en (English) or it (Italiano). Default: the campaign's ('planner set "
    "ID language it'), else Italian for Italy or the Italian number style, else English.",
)
@click.pass_context
def brief(
    ctx: click.Context,
    campaign_id: int,
    fmt: str | None,
    output: Path | None,
    force: bool,
    template_dir: Path | None,
    audience: str,
    language: str | None,
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
    if output is None and chosen.binary and sys.stdout.isatty():
        raise UserError(
            f"A {chosen.label} brief is not for the terminal; write it to a file with "
            f"-o FILE{chosen.suffix}."
        )
    if output is not None:
        refuse_overwrite(output, force=force)  # before a render that can take seconds
    store = open_store(ctx)
    rendered = render_brief(
        store,
        campaign_id,
        chosen,
        template_dir=template_dir,
        audience=audience.lower(),
        language=language,
    )
    _say_what_is_left_to_fill_in(store, campaign_id)
    if output is None:
        done = export_to_stream(store, rendered, _print_bytes)
        if done.unrecorded:
            click.echo(done.unrecorded, err=True)
        return
    done = export_brief(store, rendered, output, force=force)
    whose = " for the client" if rendered.audience == "client" else ""
    said = (
        f"Wrote the {chosen.label} brief{whose} of campaign {campaign_id} (version "
        f"{rendered.campaign_version}) to {done.path}."
    )
    click.echo(f"{said} {done.unrecorded}".rstrip(), err=True)


def _say_what_is_left_to_fill_in(store: Store, campaign_id: int) -> None:
    """A starter made for another practice leaves placeholders ("[your figure]"): a brief that
    still holds them says so, on standard error."""
    from planner.plan.guide import placeholders

    left = placeholders(store.get_campaign(campaign_id, tracking=False))
    if left:
        click.echo(
            f"The brief still holds {', '.join(left)} to fill in; 'planner show {campaign_id}' "
            "(or the planner's steps) says where.",
            err=True,
        )


def _language(value: str | None) -> str | None:
    from planner.domain.language import normalise_language

    if value is None:
        return None
    try:
        return normalise_language(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}.") from None


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


@click.command(short_help="List the briefs exported for a campaign.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def briefs(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List the briefs exported for a campaign, newest first: when, format, the campaign
    version, the SHA-256 of the content, where it went, and whether that file is unchanged."""
    from planner.briefs import export_history, file_state

    store = open_store(ctx)
    renders = export_history(store, campaign_id)
    current = store.campaign_version(campaign_id)
    if as_json:
        rows = [{**r.model_dump(mode="json"), "file_state": file_state(r)} for r in renders]
        echo_json(rows)
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
                r.format.label + (" (client)" if r.audience == "client" else ""),
                str(r.campaign_version),
                r.sha256[:12],
                r.path or "(standard output)",
                file_state(r) if r.path else "",
            )
        )
    echo_table(table)
    latest = renders[0].campaign_version
    if current != latest:
        click.echo(
            f"\nThe campaign is at version {current} now; the latest brief was rendered from "
            f"version {latest}."
        )


@click.command(short_help="Copy the standard brief templates into a folder to brand them.")
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
