"""Backup copies of the database, made through SQLite's backup API (never a plain file copy):
``planner backup``, and the unfinished copies a killed backup leaves behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.advice import command
from planner.domain.errors import DatabaseError
from planner.domain.later import Later

# The busy timeout is read where it is set, ``connection.BUSY_TIMEOUT_MS``, at each use.
from planner.store import connection
from planner.store.connection import (
    _check_sqlite_header,
    _existing_database,
    _is_damage,
    _is_full,
    _is_locked,
    _new_private_file,
    _only_reading,
    _remove_database_files,
)
from planner.store.dbfiles import Tracked

if TYPE_CHECKING:
    import glob
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    glob = Later("glob")


class _StillLocked(sqlite3.OperationalError):
    """SQLite's busy timeout passed in vain during a backup (told as a locked database by
    every caller that tells one)."""

    def __init__(self) -> None:
        super().__init__("database is locked")


def _refuse_busy(status: int, remaining: int, total: int) -> None:
    """The backup API retries a locked database for ever: once SQLite's busy timeout has
    passed in vain (``SQLITE_BUSY``), give up."""
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise _StillLocked


def _copy_database(conn: sqlite3.Connection, target: Path, *, check: bool = True) -> None:
    """A consistent copy of the database behind ``conn`` at ``target``, through SQLite's
    online backup API (safe while another program writes to it), written beside ``target``
    first and renamed into place once whole and checked (unless ``check`` is False, to keep
    a damaged database as SQLite reads it): never half a copy. The file beside is readable
    by its owner only from the start, and one left by a process killed while copying is
    removed by the next copy."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _remove_unfinished(target.parent, re.escape(target.name))
    try:
        try:
            _new_private_file(tmp)  # campaign plans and budgets: the owner's only
        except FileExistsError:  # left by a process that had this one's id before
            _remove_database_files(tmp)
            _new_private_file(tmp)
        copy = sqlite3.connect(str(tmp), factory=Tracked)
        try:
            conn.backup(copy, progress=_refuse_busy)  # not retried for ever while locked
            if check:
                (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
                if verdict != "ok":
                    raise sqlite3.DatabaseError(f"the copy does not read back whole: {verdict}")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        _remove_database_files(tmp)
        raise


def _running(pid: int) -> bool:
    """Whether process ``pid`` may still be running: only a process known to be gone is not
    (on Windows, where asking could end the process, every process is taken to be running)."""
    if pid <= 0 or pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _remove_unfinished(folder: Path, names: str) -> list[Path]:
    """Remove the files beside copies that were stopped before they were finished (the
    process killed, the computer switched off): the planner's own ``.NAME.PID.tmp``, for a
    NAME matching the regular expression ``names``, made by a process no longer running,
    with SQLite's journals of it. Returns the copies removed."""
    pattern = re.compile(rf"\.(?:{names})\.(\d+)\.tmp(-journal|-wal|-shm)?")
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or _running(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                if not found.group(2):
                    removed.append(Path(entry.path))
    return sorted(removed)


def remove_unfinished_copies(path: Path) -> list[Path]:
    """Remove what is left of the copies the planner began beside the database at ``path``
    (by ``planner backup``, before an upgrade, before a restore) and never finished; the
    database itself is not touched. Returns the copies removed."""
    return _remove_unfinished(
        path.parent, rf"{re.escape(path.name)}\..+\.(?:bak|damaged|unchecked)"
    )


def _still_locked(path: Path, then: str) -> str:
    return (
        f"The database '{path}' stayed locked by another program for "
        f"{connection.BUSY_TIMEOUT_MS // 1000} seconds; {then}"
    )


def _copy_failure(exc: sqlite3.Error, path: Path, target: Path) -> str:
    """Why a copy of the database at ``path`` could not be written to ``target``."""
    if _is_locked(exc):
        return _still_locked(path, "nothing was copied. Try again.")
    if _is_full(exc, target):
        return (
            f"The disk is full, so the backup '{target}' could not be written; nothing was "
            "copied. Free some space or choose another place with -o."
        )
    if _is_damage(exc) or "does not read back whole" in str(exc):
        return (
            f"The database '{path}' is damaged, so no checked backup of it can be made and "
            "nothing was copied; to keep the file as it is (unchecked), run "
            f"'{command(path, 'backup', '--as-is')}'."
        )
    return (
        f"The backup '{target}' could not be written ({exc}); nothing was copied. Free "
        "some disk space or choose another place with -o."
    )


def backup_database(path: str | Path, target: str | Path, *, check: bool = True) -> Path:
    """Copy the database at ``path`` to ``target`` (a new file), as it is: a database that
    needs an upgrade, or comes from a newer planner, is copied without being changed. The
    copy is checked (SQLite's quick check) unless ``check`` is False: a damaged database is
    then copied page for page as SQLite reads it, for whoever may rescue what it holds."""
    path = _existing_database(path)
    target = Path(target).expanduser()
    if target.exists():
        raise DatabaseError(f"'{target}' already exists; choose a new name for the backup.")
    if not target.parent.is_dir():
        raise DatabaseError(f"The folder '{target.parent}' does not exist.")
    _check_sqlite_header(path)
    remove_unfinished_copies(path)
    conn = _only_reading(path)
    try:
        _copy_database(conn, target, check=check)
    except sqlite3.Error as exc:
        if not check and _is_damage(exc):
            raise DatabaseError(
                f"The database '{path}' is too damaged for SQLite to copy it even as it is "
                f"({' '.join(str(exc).split())}); nothing was copied. With the planner closed "
                "everywhere, copy the file, and its -wal file if there is one beside it."
            ) from None
        raise DatabaseError(_copy_failure(exc, path, target)) from None
    except OSError as exc:
        raise DatabaseError(
            f"The backup '{target}' could not be written: {exc.strerror}."
        ) from None
    finally:
        conn.close()
    return target


def backups_beside(path: Path) -> list[Path]:
    """The copies the planner made beside the database (``planner backup`` and the copies
    made before an upgrade), the newest first."""
    found = [p for p in path.parent.glob(f"{glob.escape(path.name)}.*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
