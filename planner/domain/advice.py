"""The planner commands that messages advise, written so that they run as printed.

A command about a database always names it with ``--db`` and its full path: without it,
the command would act on whatever ``$PLANNER_DB`` or the user data folder chooses in the
shell where it is typed (the default database, say), not on the file the message is about;
and a relative path would mean another file in another folder. Naming the file every time is
the one rule that is right wherever the command is typed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

# How the planner names the copies it makes beside a database (``planner.db.<what>.bak``):
# ``planner backup``, the copy before an upgrade (``0006_performance-<time>``) and the copy
# before a restore (numbered when two fall in one second).
_STAMP = r"\d{8}T\d{6}Z"
_COPY_NAME = re.compile(
    rf"(?P<database>.+)\.(?:backup-{_STAMP}|before-restore-{_STAMP}(?:-\d+)?"
    rf"|\d{{4}}_[A-Za-z0-9_]+-{_STAMP})\.bak"
)


def command(database: str | Path | None, *words: str | Path) -> str:
    """``planner --db /the/database.db WORD...``, each part quoted for the shell where it
    needs to be (a path with a space, say). ``database`` None (a database in memory, which
    no command can reach) leaves ``--db`` out."""
    parts = ["planner"]
    if database is not None:
        parts += ["--db", str(Path(database).resolve())]
    # A path in full, without "..": it stays right when a folder on the way is gone.
    parts += [str(word.resolve()) if isinstance(word, Path) else str(word) for word in words]
    return " ".join(shlex.quote(part) for part in parts)


def database_of_backup(backup: Path) -> Path | None:
    """The database beside which the planner made the copy ``backup``, when its name says
    so and that database is there; else None (a backup named with ``-o``, or moved)."""
    named = _COPY_NAME.fullmatch(backup.name)
    if named is None:
        return None
    database = backup.with_name(named["database"])
    return database if database.is_file() else None


def go_back_to(backup: Path) -> str:
    """ "run '...'": the command that brings the backup at ``backup`` back into the database
    it was made beside, or, when that is not known, into the one the user names."""
    database = database_of_backup(backup)
    if database is None:
        restore = command(None, "--db", "DATABASE", "restore", backup.absolute())
        return f"run '{restore}' with DATABASE the database to bring it back into"
    return f"run '{command(database, 'restore', backup.absolute())}'"
