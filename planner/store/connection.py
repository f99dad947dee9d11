"""The database file as SQLite sees it: opening it (for writing, or for reading only when
its file or folder cannot be written), the busy timeout, and every SQLite error a user can meet
told in one sentence (``explain_sqlite_error``; ``_guarded`` turns a store method's errors into
those sentences).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from planner.domain.advice import command, go_back_to
from planner.domain.errors import (
    DatabaseError,
    PlannerError,
    describe_validation_error,
    is_validation_error,
)
from planner.store.dbfiles import Tracked

T = TypeVar("T")


BUSY_TIMEOUT_MS = 5000


def _code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an error (``SQLITE_FULL``, ``SQLITE_CORRUPT``...), or
    None for an error without one (raised by the planner itself). Python gives the extended
    code (``SQLITE_IOERR_SHMSIZE``), whose low byte is the primary one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_locked(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(exc).lower()
    return "locked" in text or "busy" in text


LOW_SPACE = 1024 * 1024  # bytes: a disk with less room than this left counts as full


def free_space(folder: Path) -> int | None:
    """The bytes this user may still write on the disk of ``folder`` (None if unknown)."""
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _is_full(exc: BaseException, path: Path | None) -> bool:
    """Whether an error means the disk is full: SQLite says so (``SQLITE_FULL``), or could not
    write the disk (``SQLITE_IOERR``, as when the shared-memory file it keeps beside the
    database cannot grow) and the disk has next to no room left."""
    code = _code(exc)
    if code == sqlite3.SQLITE_FULL:
        return True
    if code != sqlite3.SQLITE_IOERR or path is None:
        return False
    free = free_space(path.parent)
    return free is not None and free < LOW_SPACE


def _is_disk_problem(exc: BaseException, path: Path | None) -> bool:
    """A full disk or one that cannot be read or written: a fault of the disk, not damage to
    the file (restoring a backup would lose what was saved since, and mend nothing)."""
    return _is_full(exc, path) or _code(exc) == sqlite3.SQLITE_IOERR


def _is_damage(exc: BaseException) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _is_backup(path: Path) -> bool:
    """A backup by its name (``planner backup``, and the copy before an upgrade, end so):
    the planner opens it for reading only, so that it stays as it was."""
    return path.name.endswith(".bak")


def explain_sqlite_error(exc: sqlite3.Error, path: Path | None) -> str:
    """One sentence for a SQLite error a user can meet: what happened, what to do. The kind
    of error is told by SQLite's result code; the text only for errors without one."""
    code = _code(exc)
    text = str(exc).lower()
    where = f"'{path}'" if path else "the database"
    if code == sqlite3.SQLITE_READONLY or (
        code is None and ("readonly" in text or "read-only" in text)
    ):
        if path is not None and _is_backup(path):
            return (
                f"The database {where} is a backup, which the planner opens read-only so that "
                f"it stays as it was; nothing was saved. To go back to it, {go_back_to(path)}."
            )
        return (
            f"The database {where} is read-only, so nothing was saved; check the "
            "permissions of the file and its folder."
        )
    if _is_locked(exc):
        return (
            "The database is busy: another program has been writing to it for "
            f"{BUSY_TIMEOUT_MS // 1000} seconds. Nothing was saved; try again in a moment."
        )
    if _is_full(exc, path) or (code is None and "full" in text):
        return "The disk is full, so nothing was saved; free some space and try again."
    if code == sqlite3.SQLITE_IOERR:
        return (
            f"The disk holding {where} could not be read or written ({exc}), so nothing was "
            "saved; check the disk, then try again (the fault is the disk's, not the file's)."
        )
    if _is_damage(exc):
        return _damaged(where, path)
    if "integer overflow" in text:
        return "A total is too large to compute; check for amounts entered with extra digits."
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        return f"The database {where} cannot be opened; check that the file can be read."
    return f"The database {where} could not be used ({exc})."


def _damaged(where: str, path: Path | None) -> str:
    """A damaged database: the doctor, on that file, names the backup to restore and the
    command that restores it."""
    return (
        f"The database {where} is damaged; run '{command(path, 'doctor')}', which names a "
        "backup to restore and the command that restores it."
    )


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn SQLite and validation errors of a store method into one-sentence errors."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise DatabaseError(explain_sqlite_error(exc, self.path)) from None
        except PlannerError:
            raise
        except Exception as exc:
            if not is_validation_error(exc):
                raise
            raise PlannerError(describe_validation_error(exc)) from None  # type: ignore[arg-type]

    return wrapper


def _not_sqlite(path: Path) -> str:
    return (
        f"'{path}' is not a SQLite database; choose another file with --db, or run "
        f"'{command(path, 'doctor')}' to find a backup copy to restore."
    )


def _unopenable(exc: sqlite3.Error, path: Path) -> str:
    """Why SQLite could not open or first read the file at ``path``, in one sentence."""
    if _code(exc) == sqlite3.SQLITE_NOTADB:
        return _not_sqlite(path)
    if _code(exc) == sqlite3.SQLITE_CANTOPEN and not os.access(path, os.R_OK):
        return f"The database '{path}' cannot be read: permission denied."
    return f"The database '{path}' cannot be opened: {exc}."


def _writable(conn: sqlite3.Connection) -> bool:
    """Whether SQLite could open the file for writing: where the system refuses, SQLite
    opens it for reading only, and then refuses to begin a write. Asked of SQLite itself,
    since ``os.access`` says yes to root even for an immutable file and opening the file
    any other way would drop this process's locks on it. Raises SQLite's error for a file
    that is not a database."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        # A write that changes nothing, rolled back before it reaches the file: only a write
        # to a page finds that SQLite holds the file for reading (a write-ahead log beside a
        # read-only file lets the transaction itself begin).
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        conn.execute(f"PRAGMA user_version = {int(version)}")
    except sqlite3.OperationalError as exc:
        if _code(exc) == sqlite3.SQLITE_READONLY:
            return False
        if not _is_locked(exc):
            raise
        # Another program is writing: the write lock was asked for, so the file is writable.
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return True


def _folder_writable(folder: Path) -> bool:
    """Whether files can be made in the folder (SQLite makes its journal files beside the
    database): tried with a nameless temporary file."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _check_sqlite_header(path: Path) -> None:
    """Refuse a file that is not a SQLite database, asked of SQLite through a connection of
    its own that reads the header and nothing else (never a plain ``open()`` of the file: see
    ``Store.open``)."""
    try:
        conn = _only_reading(path)
    except DatabaseError:
        if not os.access(path, os.R_OK):
            raise DatabaseError(
                f"The database '{path}' cannot be read: permission denied."
            ) from None
        raise
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            raise DatabaseError(_not_sqlite(path)) from None
        if _code(exc) == sqlite3.SQLITE_CANTOPEN:
            raise DatabaseError(_unopenable(exc, path)) from None
        # Locked or damaged further in: the caller's own reading says which.
    finally:
        conn.close()


def _create_database_file(path: Path) -> bool:
    """Make the new database file, empty and readable by its owner only, before SQLite writes
    into it (SQLite would make it readable by all until a chmod). False if another process
    made it first: then it is theirs, opened as it is and never removed by this one."""
    try:
        _new_private_file(path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DatabaseError(
                f"The disk is full, so the new database '{path}' could not be made; free some "
                "space and try again."
            ) from None
        raise DatabaseError(f"The database '{path}' cannot be created: {exc.strerror}.") from None
    return True


def _new_private_file(path: Path) -> None:
    """A new, empty file at ``path`` only its owner can read (FileExistsError if there is
    one): a new database or copy, before SQLite writes a page of it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _remove_database_files(path: Path) -> None:
    """Remove a database this process made, with the files SQLite keeps beside it."""
    for name in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(OSError):
            name.unlink(missing_ok=True)


def _open_failure(exc: sqlite3.DatabaseError, path: Path, *, created: bool) -> str:
    """The sentence for a database that could not be opened (or made, when ``created``)."""
    if _is_locked(exc):
        return f"The database '{path}' is locked by another program; close it and try again."
    if _code(exc) == sqlite3.SQLITE_NOTADB and not created:
        return _not_sqlite(path)
    if _is_full(exc, path):
        if created:
            return (
                f"The disk is full, so the new database '{path}' could not be made (nothing "
                "was left of it); free some space and try again."
            )
        return (
            f"The disk is full, so the database '{path}' could not be opened; free some "
            "space and try again. Nothing was changed."
        )
    if _is_disk_problem(exc, path):
        return (
            f"The disk holding '{path}' could not be read or written ({exc}); check the disk, "
            "then try again (the fault is the disk's, not the file's)."
        )
    if created:
        return f"The new database '{path}' could not be made ({exc}); nothing was left of it."
    return (
        f"'{path}' is damaged or is not a planner database ({exc}); run "
        f"'{command(path, 'doctor')}', which names a backup to restore and the command that "
        "restores it."
    )


def _existing_database(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if path.is_dir():
        raise DatabaseError(f"'{path}' is a folder; give the path of a database file.")
    if not path.exists():
        raise DatabaseError(f"There is no database at '{path}'.")
    return path


def _settled_backup(path: Path) -> bool:
    """A backup whose whole content is in its file: no write-ahead log or rollback journal
    beside it that SQLite would need to read it."""
    return _is_backup(path) and not any(
        path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal")
    )


def _read_only(path: Path, *, immutable: bool | None = None) -> sqlite3.Connection:
    """A connection that cannot change the file (nor, being read-only, upgrade it). In a
    read-only folder, where SQLite cannot make its shared-memory file, it reads the file as
    unchanging (``immutable``), without locks; so it reads a backup with nothing of it in a
    journal beside it, which then stays exactly as it was, with no file made beside it."""
    if immutable is None:
        immutable = not _folder_writable(path.parent)
    immutable = immutable or _settled_backup(path)
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, factory=Tracked)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        raise DatabaseError(f"The database '{path}' cannot be opened: {exc}.") from None
    return conn


def _only_reading(path: Path) -> sqlite3.Connection:
    """A connection for a command that only reads the database at ``path`` (the doctor, a
    backup), which leaves nothing beside the file that was not there. SQLite makes a
    ``-wal`` and a ``-shm`` file beside a database in WAL mode as it reads it, and only a
    connection that may write removes them as it closes, when it is the last one: so, when
    no journal lies beside the file (none of another program that has it open, nor of a
    crash, which a writable connection would act on) and its folder can be written, the
    connection is a writable one kept from writing (``query_only``). Otherwise it is
    read-only, and whatever lies beside the file is another program's and stays."""
    beside = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    if _is_backup(path) or not _folder_writable(path.parent) or any(p.exists() for p in beside):
        return _read_only(path)
    uri = f"{path.resolve().as_uri()}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, factory=Tracked)
    except sqlite3.Error:
        return _read_only(path)  # which says why, if it cannot open the file either
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn
