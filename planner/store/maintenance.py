"""Restoring a backup (the current file kept first) and the doctor's health check
(``planner restore``, ``planner doctor``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from planner.domain.advice import command
from planner.domain.errors import DatabaseError, PlannerError

# The busy timeout is read where it is set, ``connection.BUSY_TIMEOUT_MS``, at each use.
from planner.store import connection
from planner.store.base import StoreBase
from planner.store.connection import (
    _check_sqlite_header,
    _code,
    _create_database_file,
    _existing_database,
    _is_backup,
    _is_damage,
    _is_disk_problem,
    _is_full,
    _is_locked,
    _only_reading,
    _read_only,
    _remove_database_files,
    explain_sqlite_error,
    free_space,
)
from planner.store.copies import (
    _copy_database,
    _refuse_busy,
    _still_locked,
    _StillLocked,
    backups_beside,
    remove_unfinished_copies,
)
from planner.store.dbfiles import Tracked
from planner.store.records import Health, Restored
from planner.store.schema import _MIGRATIONS


def _backup_to_restore(path: Path, backup: str | Path) -> Path:
    """The backup file named by the user: a path, or the name of a backup beside the
    database (as ``planner doctor`` names them)."""
    chosen = Path(backup).expanduser()
    if not chosen.exists() and chosen.name == str(backup):
        beside = path.parent / chosen.name
        chosen = beside if beside.exists() else chosen
    if chosen.is_dir():
        raise DatabaseError(f"'{chosen}' is a folder; give the path of a backup file.")
    if not chosen.exists():
        raise DatabaseError(f"There is no backup at '{chosen}'; nothing was restored.")
    if path.exists() and chosen.resolve() == path.resolve():
        raise DatabaseError(f"'{chosen}' is the database itself; name a backup of it.")
    return chosen


def _check_backup(conn: sqlite3.Connection, backup: Path, path: Path) -> tuple[int, bool]:
    """Refuse a backup that is not whole, not the planner's, or from a newer planner (to
    restore into the database at ``path``); else how many campaigns it holds and whether it
    needs an upgrade."""
    nothing = "nothing was restored"
    doctor = command(path, "doctor")
    another = f"Choose another backup ('{doctor}' lists those beside the database)."
    try:
        found = [" ".join(row[0].split()) for row in conn.execute("PRAGMA integrity_check(3)")]
        if found != ["ok"]:
            raise DatabaseError(
                f"The backup '{backup}' is damaged (SQLite reports: {'; '.join(found)}); "
                f"{nothing}. {another}"
            )
        store = StoreBase(conn, backup, read_only=True)
        tables = store._table_names()
        applied = store._applied_migrations()
        if "campaigns" not in tables:
            raise DatabaseError(
                f"'{backup}' is not a planner backup (it holds no campaigns table); {nothing}."
            )
        (campaigns,) = conn.execute("SELECT COUNT(*) FROM campaigns").fetchone()
    except sqlite3.DatabaseError as exc:
        if _is_locked(exc):
            raise DatabaseError(_still_locked(backup, f"{nothing}. Try again.")) from None
        if _code(exc) == sqlite3.SQLITE_NOTADB:
            raise DatabaseError(
                f"'{backup}' is not a SQLite database, so it is not a planner backup; {nothing}."
            ) from None
        if _is_disk_problem(exc, backup):
            raise DatabaseError(explain_sqlite_error(exc, backup)) from None
        raise DatabaseError(
            f"The backup '{backup}' is damaged ({exc}); {nothing}. {another}"
        ) from None
    known = [name for name, _ in _MIGRATIONS]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise DatabaseError(
            f"The backup '{backup}' was written by a newer planner (schema change "
            f"{unknown[-1]}); upgrade the planner to restore it. Nothing was restored."
        )
    return campaigns, any(name not in applied for name in known)


def _open_for_restore(path: Path) -> sqlite3.Connection:
    """The database to restore into, opened as the planner opens it (write-ahead log, busy
    timeout); refused when it is not SQLite, or is another program's."""
    conn = sqlite3.connect(str(path), timeout=connection.BUSY_TIMEOUT_MS / 1000, factory=Tracked)
    try:
        conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
        if tables and "campaigns" not in tables:
            raise DatabaseError(
                f"'{path}' is a SQLite file of another program, not a planner database; "
                "nothing was restored. Check --db."
            )
        if tables and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _write_backup(
    source: sqlite3.Connection,
    conn: sqlite3.Connection,
    path: Path,
    holding: Callable[[], None],
) -> None:
    """The backup's pages into the database, in one write transaction. SQLite writes pages
    of another size only into a database without a write-ahead log, which it may leave only
    when no other program has it open (the planner takes the log up again when it next
    opens the file).

    ``holding`` runs once the transaction holds the database's write lock, before anything
    is committed: what it reads of the database through another connection is then the last
    content anyone saved, and stays so until the restore is done (a page at a time, so that
    the first step cannot also be the last)."""
    (size,) = source.execute("PRAGMA page_size").fetchone()
    if size != conn.execute("PRAGMA page_size").fetchone()[0]:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc):
                raise
            mode = "wal"  # another program has it open
        if mode == "wal":
            raise DatabaseError(
                f"The backup's pages are of another size than those of '{path}', which SQLite "
                "can change only while no other program has the database open; close the "
                "planner everywhere else and try again. Nothing was restored."
            )
        # Without its log, the file cannot be read while the restore writes it; and it could
        # leave its log only because nobody else had it open.
        holding()
        source.backup(conn, progress=_refuse_busy)
        return
    waiting = [holding]

    def progress(status: int, remaining: int, total: int) -> None:
        _refuse_busy(status, remaining, total)
        if waiting and status == sqlite3.SQLITE_OK:
            waiting.pop()()

    source.backup(conn, pages=1, progress=progress)
    # Every table has a page of its own, so a planner's database has more than one page.
    assert not waiting, "the restore was done in one step"


def _highest_version(path: Path) -> int:
    """The highest version of any campaign in the database at ``path`` (0 when it cannot be
    read): every version a window may hold of one of its campaigns is at most this."""
    reader = _read_only(path, immutable=False)
    try:
        (highest,) = reader.execute("SELECT COALESCE(MAX(version), 0) FROM campaigns").fetchone()
        return int(highest)
    except sqlite3.Error:
        return 0
    finally:
        reader.close()


def _keep_current(path: Path, stamp: str) -> tuple[Path, bool]:
    """Copy the database's content beside it before it is replaced, through SQLite (with
    whatever a ``-wal`` file beside it holds), read by a connection of its own: checked, as
    ``.before-restore-<time>.bak``; or, when it is damaged, page for page as SQLite reads
    it, as ``...damaged`` (kept for whoever may mend it, and not listed among the
    backups)."""
    reader = _read_only(path, immutable=False)
    try:
        kept = _free_name(path, f"before-restore-{stamp}", "bak")
        try:
            _copy_database(reader, kept)
            return kept, False
        except sqlite3.DatabaseError as exc:
            if not (_is_damage(exc) or "does not read back whole" in str(exc)):
                raise
        kept = _free_name(path, f"before-restore-{stamp}", "damaged")
        _copy_database(reader, kept, check=False)
        return kept, True
    finally:
        reader.close()


def _free_name(path: Path, what: str, suffix: str) -> Path:
    """``planner.db.<what>.<suffix>`` beside the database, numbered if that is taken (two
    restores in one second): a copy never replaces another."""
    for n in range(1, 1000):
        name = path.with_name(f"{path.name}.{what}{'' if n == 1 else f'-{n}'}.{suffix}")
        if not name.exists():
            return name
    raise DatabaseError(f"Too many copies of '{path}' beside it; move some elsewhere.")


def restore_database(path: str | Path, backup: str | Path) -> Restored:
    """Put the content of ``backup`` into the database at ``path``, keeping its previous
    content beside it first.

    The backup is checked (SQLite's integrity check, a planner database, not from a newer
    planner) without changing it. The content goes in through SQLite's backup API into the
    database opened as usual, in one write transaction: a ``-wal`` file left beside it by a
    crash cannot mix old pages into the result (as copying the file over it would), and a
    planner open elsewhere sees the old content or the new, never a mixture. A backup of an
    older planner is upgraded at once (after its own copy, as every upgrade)."""
    path = Path(path).expanduser()
    if _is_backup(path):
        raise DatabaseError(
            f"'{path}' is a backup, which the planner never changes; choose the database to "
            "restore into with --db."
        )
    if path.is_dir():
        raise DatabaseError(f"'{path}' is a folder; give the path of a database file.")
    if not path.parent.is_dir():
        raise DatabaseError(f"The folder '{path.parent}' does not exist.")
    backup = _backup_to_restore(path, backup)
    source = _read_only(backup)
    try:
        campaigns, older = _check_backup(source, backup, path)
        # Restored from a copy in memory, whose campaigns' versions move past the database's
        # (see _restore_into), so that a window still showing a campaign as it was is told
        # that it changed, instead of saving onto whatever campaign now has its id.
        staged = sqlite3.connect(":memory:", factory=Tracked)
        try:
            source.backup(staged)
            kept, damaged = _restore_into(staged, path, backup)
        finally:
            staged.close()
    finally:
        source.close()
    if older:  # upgraded now, so that no planner meets the old layout
        try:
            StoreBase.open(path).close()
        except PlannerError as exc:
            raise DatabaseError(
                f"'{backup}' was restored into '{path}'"
                + (f" (its previous content is kept in '{kept}')" if kept else "")
                + f", but it could not be upgraded for this planner yet: {exc}"
            ) from None
    return Restored(backup, path, kept, damaged, campaigns, older)


def _restore_into(source: sqlite3.Connection, path: Path, backup: Path) -> tuple[Path | None, bool]:
    """Keep the database's content, then write the backup's into it. If it cannot be
    written, the kept copy is removed again: nothing was restored, nothing changed."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    created = not path.exists() and _create_database_file(path)
    kept: Path | None = None
    damaged = False
    conn: sqlite3.Connection | None = None
    try:
        conn = _open_for_restore(path)
        remove_unfinished_copies(path)

        def keep() -> None:
            nonlocal kept, damaged
            if not created:
                kept, damaged = _keep_current(path, stamp)
                # Under the restore's lock: no version can move on meanwhile. The backup's
                # pages are the source's, so a change made through it is copied too.
                source.execute(
                    "UPDATE campaigns SET version = version + ?", [_highest_version(path)]
                )
                source.commit()

        _write_backup(source, conn, path, holding=keep)
    except BaseException as exc:
        if conn is not None:
            conn.close()
            conn = None
        if kept is not None:
            _remove_database_files(kept)
        if created:
            _remove_database_files(path)
        if isinstance(exc, _StillLocked):
            raise DatabaseError(_still_locked(path, "nothing was restored. Try again.")) from None
        if isinstance(exc, sqlite3.Error):
            raise DatabaseError(_restore_failure(exc, path, backup)) from None
        if isinstance(exc, OSError):
            raise DatabaseError(
                f"The database '{path}' could not be kept beside it ({exc.strerror}); "
                "nothing was restored."
            ) from None
        raise
    finally:
        if conn is not None:
            conn.close()
    return kept, damaged


def _restore_failure(exc: sqlite3.Error, path: Path, backup: Path) -> str:
    again = f"then run '{command(path, 'restore', backup.absolute())}' again"
    if _is_locked(exc):
        return _still_locked(path, "nothing was restored. Try again.")
    if _is_full(exc, path):
        return (
            "The disk is full, so nothing was restored and the database is as it was; free "
            "some space and try again."
        )
    if _code(exc) == sqlite3.SQLITE_NOTADB:
        return (
            f"'{path}' is not a SQLite database, so nothing can be restored into it; move it "
            f"aside (keep it), {again}."
        )
    if _is_damage(exc):
        return (
            f"The database '{path}' is too damaged for SQLite to copy it aside ({exc}); "
            f"nothing was restored. Move it aside (keep it), {again}."
        )
    return f"{explain_sqlite_error(exc, path).rstrip('.')}; nothing was restored."


def _wal_size(path: Path) -> int:
    """The size of the write-ahead log beside the database, 0 when there is none: looked up,
    never opened (the log is SQLite's alone)."""
    try:
        return os.stat(path.with_name(path.name + "-wal")).st_size
    except OSError:
        return 0


def check_database(path: str | Path) -> Health:
    """Integrity and foreign-key checks, schema version, size and backups of the database at
    ``path``, read without changing it (no upgrade, no repair), and the room left on its
    disk. A check the disk keeps from running (full, or failing to read) is told as such,
    not as damage. The one thing it removes is what is left of copies that were stopped
    before they were finished."""
    path = _existing_database(path)
    removed = remove_unfinished_copies(path)
    size = path.stat().st_size
    backups = backups_beside(path)
    about = functools.partial(
        Health,
        path,
        size,
        backups,
        free_bytes=free_space(path.parent),
        removed=removed,
        wal_bytes=_wal_size(path),
    )
    try:
        _check_sqlite_header(path)
    except DatabaseError as exc:
        return about(unreadable=str(exc))
    conn = _only_reading(path)
    try:
        store = StoreBase(conn, path)
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(10)")]
        broken: dict[str, int] = {}
        for table, *_ in conn.execute("PRAGMA foreign_key_check"):
            broken[table] = broken.get(table, 0) + 1
        applied = store._applied_migrations()
        known = [name for name, _ in _MIGRATIONS]
        tables = store._table_names()
        campaigns = archived = 0
        if "campaigns" in tables:
            campaigns, archived = conn.execute(
                "SELECT COUNT(*), COUNT(archived_at) FROM campaigns"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        if _is_locked(exc):
            raise DatabaseError(_still_locked(path, "try again.")) from None
        if _is_full(exc, path):
            return about(disk_fault=f"the disk is full ({exc})")
        if _is_disk_problem(exc, path):
            return about(disk_fault=f"the disk could not be read ({exc})")
        return about(unreadable=f"SQLite cannot read it ({exc})", malformed=_is_damage(exc))
    finally:
        conn.close()
    if tables and "campaigns" not in tables:
        return about(unreadable="it is a SQLite file of another program")
    return about(
        integrity=[] if integrity == ["ok"] else integrity,
        broken_links=broken,
        applied=applied,
        pending=[name for name in known if name not in applied],
        unknown=[name for name in applied if name not in known],
        campaigns=campaigns,
        archived=archived,
    )
