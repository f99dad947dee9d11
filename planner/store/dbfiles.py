"""The database files this process has open through SQLite, and the refusal to open them any
other way.

Closing a descriptor of a file drops every lock this process holds on that file, however the
file was opened (SQLite's "How To Corrupt An SQLite Database File", section 2.2). If the
planner read its own database as a file to import, a template, or a campaign export, or wrote
a brief over it, another process could take this one's write-ahead log for abandoned and
delete it, with the changes in it. So every file a user chooses is compared, by its identity
(device and inode, from ``os.stat``, which opens nothing), with the databases open here and the
files SQLite keeps beside them, before it is opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from pathlib import Path

from planner.domain.errors import PlannerError

_SIDE_FILES = ("", "-wal", "-shm", "-journal")
_guard = threading.Lock()
_open: Counter[str] = Counter()  # a database's path -> its connections open in this process


class DatabaseFileRefused(PlannerError):
    """A file the user chose is one of the planner's database files."""


class Tracked(sqlite3.Connection):
    """A connection that counts itself among the connections to its file while it is open
    (``sqlite3.connect(..., factory=Tracked)``; a ``file:`` URI is read for its path)."""

    def __init__(self, database: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        super().__init__(database, *args, **kwargs)  # type: ignore[arg-type]
        name = os.fspath(database)
        if kwargs.get("uri") and name.startswith("file:"):
            from urllib.parse import unquote, urlsplit

            name = unquote(urlsplit(name).path)
        self._tracked = "" if name in ("", ":memory:") else os.path.abspath(name)
        if self._tracked:
            with _guard:
                _open[self._tracked] += 1

    def close(self) -> None:
        super().close()
        if self._tracked:
            with _guard:
                _open[self._tracked] -= 1
                if _open[self._tracked] <= 0:
                    del _open[self._tracked]
            self._tracked = ""


def database_in_use(candidate: str | os.PathLike[str]) -> tuple[Path, str] | None:
    """The database open in this process that ``candidate`` is, by another name or a link
    too, or whose write-ahead log (``-wal``), shared memory (``-shm``) or journal it is: the
    database and that suffix ("" for the database itself); None for any other file."""
    try:
        chosen = os.stat(candidate)
    except (OSError, ValueError):
        return None
    with _guard:
        databases = list(_open)
    for database in databases:
        for suffix in _SIDE_FILES:
            try:
                found = os.stat(database + suffix)
            except OSError:
                continue
            if (found.st_dev, found.st_ino) == (chosen.st_dev, chosen.st_ino):
                return Path(database), suffix
    return None


def refuse_database(candidate: str | os.PathLike[str], what: str) -> None:
    """Refuse ``candidate`` if it is one of the planner's database files open here: ``what``
    says, after "'<file>' is the planner's own database;", what the user should do instead."""
    found = database_in_use(candidate)
    if found is None:
        return
    database, suffix = found
    whose = (
        "the planner's own database"
        if not suffix
        else f"a file SQLite keeps beside the planner's database '{database.name}'"
    )
    raise DatabaseFileRefused(f"'{Path(candidate).name}' is {whose}; {what}")
