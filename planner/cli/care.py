"""``planner backup``, ``planner doctor`` and ``planner restore``, looking after the
database file, and
``planner serve``, sharing it with a colleague through a web browser."""

from __future__ import annotations

import importlib
import os
import shlex
import sys
from pathlib import Path

import click

from planner.cli.common import UserError
from planner.cli.database import resolve_db_path
from planner.cli.doctor import default_backup_path, report, size_words
from planner.domain.serving import (
    MIN_PASSWORD,
    Gate,
    address,
    is_bare_name,
    is_every_address,
    is_loopback,
    listen,
    new_token,
    token_problem,
)
from planner.store import Store, backup_database, check_database, restore_database


@click.command(short_help="Copy the database safely, even while the planner is open.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write the copy (default: beside the database, named for the time).",
)
@click.option(
    "--as-is",
    "as_is",
    is_flag=True,
    help="Copy a damaged database as SQLite reads it, without the check (no checked backup "
    "can be made of it); the copy is named .unchecked and is not offered as a backup.",
)
@click.pass_context
def backup(ctx: click.Context, output: str | None, as_is: bool) -> None:
    """Write a consistent copy of the database through SQLite's online backup API: safe while
    the planner or another command is writing to it. The copy is checked before it is kept,
    is readable by you only, and never replaces an existing file.

    A damaged database cannot pass the check: --as-is keeps a copy of it as it is, unchecked
    (with whatever its -wal file holds), for someone who knows SQLite to rescue what it
    holds."""
    if output is not None and not output.strip():
        raise UserError("-o needs the path of the backup file.")
    source = resolve_db_path(ctx.obj.get("db"))
    target = (
        Path(output).expanduser()
        if output is not None
        else default_backup_path(source, as_is=as_is)
    )
    written = backup_database(source, target, check=not as_is)
    size = size_words(written.stat().st_size)
    if as_is:
        click.echo(
            f"Copied {source} as SQLite reads it, unchecked, to {written} ({size}); it may be "
            "as damaged as the file, so it is not offered as a backup to restore."
        )
        return
    click.echo(f"Backed up {source} to {written} ({size}).")


@click.command(short_help="Check the database: integrity, links, schema, size, backups.")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check the database without changing it: SQLite's integrity and foreign-key checks, the
    schema version, the file's place and size, and the last backup beside it. Exits 0 when
    the database is healthy and 1 when it needs attention."""
    health = check_database(resolve_db_path(ctx.obj.get("db")))
    for line in report(health):
        click.echo(line)
    sys.exit(0 if health.healthy else 1)


@click.command(short_help="Bring a backup back into the database, keeping what it replaces.")
@click.argument("backup_file", metavar="BACKUP")
@click.pass_context
def restore(ctx: click.Context, backup_file: str) -> None:
    """Put the content of BACKUP (a file 'planner backup' made, or one made before an
    upgrade) into the database. BACKUP is a path, or the name of a backup beside the
    database, as 'planner doctor' names it.

    The backup is checked first and never changed. What the database holds now is kept
    beside it first, as planner.db.before-restore-<time>.bak. The backup goes in through
    SQLite, so this is safe after a crash left a planner.db-wal file beside the database
    (copying a backup over the file is not), and a planner open elsewhere shows the restored
    campaigns in its list within a second. A backup of an older planner is upgraded as it
    is restored."""
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


PASSWORD_VARIABLE = "PLANNER_SERVE_PASSWORD"
TOKEN_VARIABLE = "PLANNER_SERVE_TOKEN"


def _serve_password() -> str:
    """The password of --password: from PLANNER_SERVE_PASSWORD, else asked for (twice, not
    shown), never on the command line, where other users of this computer could read it."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = click.prompt(
            "Password for the page", hide_input=True, confirmation_prompt=True, err=True
        )
    if len(password) < MIN_PASSWORD:
        raise UserError(f"The password must be at least {MIN_PASSWORD} characters.")
    return password


@click.command(short_help="Open the planner in a web browser, for a second person.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port."
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on an address other computers can reach (they still need the token).",
)
@click.option(
    "--allowed-host",
    "more_names",
    multiple=True,
    metavar="NAME",
    help="Another name the page may be opened at, such as this computer's name on the "
    "network; repeat it for more.",
)
@click.option(
    "--token",
    envvar=TOKEN_VARIABLE,
    metavar="TOKEN",
    help=f"The token the address carries, instead of a new random one (or set {TOKEN_VARIABLE}, "
    "which other users of this computer cannot read, unlike a command line).",
)
@click.option(
    "--password",
    "use_password",
    is_flag=True,
    help=f"Also let people in with a password: asked for now, or taken from {PASSWORD_VARIABLE}.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    allow_remote: bool,
    more_names: tuple[str, ...],
    token: str | None,
    use_password: bool,
) -> None:
    """Serve the planner to a web browser through textual-serve: each browser tab runs its own
    planner on this database, and a change made in one is refused in another that still shows
    the older version. It listens on this computer only (127.0.0.1) unless --allow-remote is
    given with another --host. The page opens only with the address printed at start, which
    carries a token (or with the password of --password)."""
    if not host.strip():
        raise UserError("--host needs an address, such as 127.0.0.1.")
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise UserError(
            f"--host {host} would let other computers reach the planner's page; add "
            "--allow-remote to do that anyway, or leave --host out."
        )
    for name in more_names:
        if not is_bare_name(name):
            raise UserError(
                f"--allowed-host {name} is not a name: give one without a port or a path, "
                "such as reception-pc."
            )
    if token is not None and (problem := token_problem(token)):
        raise UserError(f"The token (--token or {TOKEN_VARIABLE}) {problem}.")
    password = _serve_password() if use_password else None
    for secret in (TOKEN_VARIABLE, PASSWORD_VARIABLE):
        os.environ.pop(secret, None)  # the planners started for each browser tab need neither
    token = token or new_token()
    path = resolve_db_path(ctx.obj.get("db"))
    Store.open(path).close()  # created or upgraded now; a problem is told before serving
    command = shlex.join([sys.executable, "-m", "planner", "--db", str(path.resolve())])
    try:
        sockets = listen(host, port)  # before the address is printed: it must answer
    except OSError as exc:
        raise UserError(
            f"The planner cannot listen at {host}:{port} ({exc.strerror or exc}); choose "
            "another --port, or close the program using it."
        ) from None
    if remote:
        click.echo(
            f"Warning: other computers can reach the page at {host}:{port}. Anyone given its "
            f"address with its token{' or the password' if password else ''} can read and change "
            "every campaign in this database, and nothing sent is encrypted.",
            err=True,
        )
    click.echo(f"Serving the planner on {path} at {address(host, port)} (Ctrl+C stops it).")
    shown = "127.0.0.1" if is_every_address(host) else host
    click.echo("Open this address in a web browser (its token is the key to the page):")
    click.echo(f"    {address(shown, port, token)}")
    if shown != host:
        click.echo("From another computer, put this computer's address in place of 127.0.0.1.")
    gate = Gate.serving(host, port, more_names)
    serving = importlib.import_module("screens.serve")
    serving.serve(command, sockets, host, port, gate, token, password)
