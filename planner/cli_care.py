"""``planner backup`` and ``planner doctor``: looking after the database file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli import UserError, main, resolve_db_path
from planner.doctor import default_backup_path, report, size_words
from planner.store import backup_database, check_database


@main.command(short_help="Copy the database safely, even while the planner is open.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the copy (default: beside the database, named for the time).",
)
@click.pass_context
def backup(ctx: click.Context, output: str | None) -> None:
    """Write a consistent copy of the database through SQLite's online backup API: safe while
    the planner or another command is writing to it. The copy is checked before it is kept,
    is readable by you only, and never replaces an existing file."""
    if output is not None and not output.strip():
        raise UserError("-o needs the path of the backup file.")
    source = resolve_db_path(ctx.obj.get("db"))
    target = Path(output).expanduser() if output is not None else default_backup_path(source)
    written = backup_database(source, target)
    click.echo(f"Backed up {source} to {written} ({size_words(written.stat().st_size)}).")


@main.command(short_help="Check the database: integrity, links, schema, size, backups.")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check the database without changing it: SQLite's integrity and foreign-key checks, the
    schema version, the file's place and size, and the last backup beside it. Exits 0 when
    the database is healthy and 1 when it needs attention."""
    health = check_database(resolve_db_path(ctx.obj.get("db")))
    for line in report(health):
        click.echo(line)
    sys.exit(0 if health.healthy else 1)
