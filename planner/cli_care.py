"""``planner backup``, ``planner doctor`` and ``planner restore``, looking after the
database file, and
``planner serve``, sharing it with a colleague through a web browser."""

from __future__ import annotations

import importlib
import ipaddress
import shlex
import sys
from pathlib import Path

import click

from planner.cli import UserError, main, resolve_db_path
from planner.doctor import default_backup_path, report, size_words
from planner.store import Store, backup_database, check_database, restore_database


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


@main.command(short_help="Bring a backup back into the database, keeping what it replaces.")
@click.argument("backup_file", metavar="BACKUP")
@click.pass_context
def restore(ctx: click.Context, backup_file: str) -> None:
    """Put the content of BACKUP (a file 'planner backup' made, or one made before an
    upgrade) into the database. BACKUP is a path, or the name of a backup beside the
    database, as 'planner doctor' names it.

    The backup is checked first and never changed. What the database holds now is kept
    beside it first, as planner.db.before-restore-<time>.bak. The backup goes in through
    SQLite, so this is safe after a crash left a planner.db-wal file beside the database
    (copying a backup over the file is not), and a planner open elsewhere sees the restored
    campaigns at once. A backup of an older planner is upgraded as it is restored."""
    if not backup_file.strip():
        raise UserError("restore needs the path of a backup file.")
    done = restore_database(resolve_db_path(ctx.obj.get("db")), backup_file)
    count = f"{done.campaigns} campaign{'' if done.campaigns == 1 else 's'}"
    if done.kept is None:
        before = "there was no database there before"
    elif done.damaged:
        before = f"the damaged previous content is kept, as SQLite read it, in {done.kept}"
    else:
        before = f"the previous content is kept in {done.kept}"
    upgraded = ", upgraded for this planner" if done.upgraded else ""
    click.echo(f"Restored {done.backup} ({count}{upgraded}) into {done.database}; {before}.")


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.1, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # another name: it may resolve to an address others can reach


@main.command(short_help="Open the planner in a web browser, for a second person.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port."
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on an address other computers can reach. The page has no login.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, allow_remote: bool) -> None:
    """Serve the planner to a web browser through textual-serve: each browser tab runs its own
    planner on this database, and a change made in one is refused in another that still shows
    the older version. It listens on this computer only (127.0.0.1) unless --allow-remote is
    given with another --host."""
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise UserError(
            f"--host {host} would let other computers use the planner, and the page has no "
            "login; add --allow-remote to do that anyway, or leave --host out."
        )
    path = resolve_db_path(ctx.obj.get("db"))
    Store.open(path).close()  # created or upgraded now; a problem is told before serving
    command = shlex.join([sys.executable, "-m", "planner", "--db", str(path.resolve())])
    if remote:
        click.echo(
            f"Warning: the page has no login. Anyone who can reach {host}:{port} can read and "
            "change every campaign in this database.",
            err=True,
        )
    click.echo(f"Serving the planner on {path} at http://{host}:{port}/ (Ctrl+C stops it).")
    try:
        importlib.import_module("screens.serve").serve(command, host, port)
    except OSError as exc:
        raise UserError(
            f"The planner cannot listen at {host}:{port} ({exc.strerror or exc}); choose "
            "another --port, or close the program using it."
        ) from None
