"""The base of the ``Store``: opening the database (pragmas, migrations, the copy before an
upgrade), one transaction per write (``_write``) or per read of several queries (``_read``),
and the campaign's version that refuses a write based on a stale read (``_bump``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from planner.domain.advice import command, go_back_to
from planner.domain.errors import DatabaseError, NotFoundError, StaleWriteError
from planner.domain.later import Later

# The busy timeout is read where it is set, ``connection.BUSY_TIMEOUT_MS``, at each use.
from planner.store import connection
from planner.store.connection import (
    _create_database_file,
    _folder_writable,
    _guarded,
    _is_backup,
    _is_disk_problem,
    _is_full,
    _is_locked,
    _open_failure,
    _read_only,
    _remove_database_files,
    _unopenable,
    _writable,
    explain_sqlite_error,
)
from planner.store.copies import _copy_database, remove_unfinished_copies
from planner.store.dbfiles import Tracked
from planner.store.schema import _MIGRATIONS, MIGRATION_SET, _migrations, new_database_script

if TYPE_CHECKING:
    import json

    from sqlite_utils import Database
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    json = Later("json")


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _to_db(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return json.dumps([_to_db(v) for v in value], ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "value"):  # an enumeration
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _write_ahead(conn: sqlite3.Connection) -> None:
    """Put the file in write-ahead-log mode (once, when it is made). The switch takes the whole
    file for a moment, and SQLite says "locked" at once, without waiting, when another planner
    opening the same new file holds it then: so it is asked again, or found done by the other,
    until the busy timeout."""
    deadline = time.monotonic() + connection.BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class StoreBase:
    """The planner's database: opening, transactions and versions."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False
    ) -> None:
        self.conn = conn
        self.path = path
        # The file or its folder cannot be written: the planner shows it but saves nothing.
        self.read_only = read_only
        # While an undo, redo or revert applies a revision: (its kind, the revision reversed),
        # so that the write it makes is recorded as such rather than as a new change.
        self._reverting: tuple[str, int] | None = None

    @functools.cached_property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database (for migrations and savepoints), made on
        first use: the campaign list reads through the plain connection."""
        from sqlite_utils import Database

        return Database(self.conn, recursive_triggers=False, execute_plugins=False)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Self:
        """Open (and on first use create) the database at ``path``, migrated to this version."""
        if str(path) == ":memory:":
            return cls._prepare(sqlite3.connect(":memory:", factory=Tracked), None)
        path = Path(path).expanduser()
        if path.is_dir():
            raise DatabaseError(f"'{path}' is a folder; give the path of a database file.")
        if not path.parent.is_dir():
            raise DatabaseError(
                f"The folder '{path.parent}' does not exist; create it first or choose "
                "another place for the database."
            )
        existed = path.exists()
        if not existed and (not create or _is_backup(path)):  # a backup is never made here
            raise DatabaseError(f"There is no database at '{path}'.")
        folder_writable = _folder_writable(path.parent)
        if not existed and not folder_writable:
            raise DatabaseError(
                f"The folder '{path.parent}' is read-only, so a new database cannot be "
                "created there; choose another place with --db."
            )
        created = not existed and _create_database_file(path)
        # The file is only ever opened through SQLite: closing a descriptor of it opened any
        # other way would drop every lock this process holds on it (another process could
        # then take this one's write-ahead log for abandoned and delete it).
        if existed and (not folder_writable or _is_backup(path)):
            conn, read_only = _read_only(path, immutable=not folder_writable), True
        else:
            conn = None
            try:
                conn = sqlite3.connect(
                    str(path), timeout=connection.BUSY_TIMEOUT_MS / 1000, factory=Tracked
                )
                read_only = existed and not _writable(conn)
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                if created:
                    _remove_database_files(path)
                if _is_full(exc, path) or _is_disk_problem(exc, path):
                    raise DatabaseError(_open_failure(exc, path, created=created)) from None
                raise DatabaseError(_unopenable(exc, path)) from None
            if read_only:  # SQLite fell back to reading: say so, and never try to write
                conn.close()
                conn = _read_only(path, immutable=False)
        if existed and folder_writable:
            remove_unfinished_copies(path)
        try:
            return cls._prepare(conn, path, read_only=read_only)
        except BaseException as exc:
            conn.close()
            if created:  # a new database half made: no trace of it, not "another program's"
                _remove_database_files(path)
            if not isinstance(exc, sqlite3.DatabaseError):
                raise
            raise DatabaseError(_open_failure(exc, path, created=created)) from None

    @classmethod
    def _prepare(
        cls, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False
    ) -> Self:
        conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")
        if path is not None and not read_only:
            _write_ahead(conn)
        store = cls(conn, path, read_only=read_only)
        store._migrate()
        return store

    def _migrate(self) -> None:
        known = {name for name, _ in _MIGRATIONS}
        applied = set(self._applied_migrations())
        unknown = sorted(applied - known)
        if unknown:
            raise DatabaseError(
                f"This database was written by a newer version of the planner (it has schema "
                f"change {unknown[-1]}); upgrade the planner to open it. Nothing was changed."
            )
        tables = self._table_names()
        if not applied and tables and "campaigns" not in tables:
            raise DatabaseError(
                f"'{self.path}' is a SQLite file of another program, not a planner database; "
                "choose another file with --db."
            )
        pending = [name for name, _ in _MIGRATIONS if name not in applied]
        if not pending:
            return
        if self.read_only and self.path is not None and _is_backup(self.path):
            raise DatabaseError(
                f"The backup '{self.path}' is from an older planner and needs an upgrade to be "
                "opened, but the planner never changes a backup; to bring it back, "
                f"{go_back_to(self.path)}, which upgrades what it restores. Nothing was changed."
            )
        if self.read_only:
            raise DatabaseError(
                f"The database '{self.path}' needs an upgrade for this version of the planner, "
                "but it is read-only; make the file and its folder writable, then open it "
                "again. Nothing was changed."
            )
        # The backup before the lock: SQLite's backup cannot read under this connection's own
        # write lock. (A planner that waited for another's upgrade keeps a copy it needed not.)
        if applied and self.path is not None:
            self.backup_before_upgrade(sorted(applied)[-1])
        self._apply_pending(known, new=not applied and not tables)

    def _apply_pending(self, known: set[str], *, new: bool = False) -> None:
        """The pending schema changes in one transaction that holds the file's write lock from
        its start: the file is upgraded whole or, if a change fails, left as it was; and a
        process opening the same new or older file at the same moment waits for this one, then
        finds the changes made (instead of making them again over them). What the changes
        need is loaded before the lock is taken, so that the others wait no longer than the
        changes take. A ``new`` (empty) file is given the whole schema in one go."""
        migrations = _migrations()
        script = new_database_script() if new else None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            applied = set(self._applied_migrations())
            if script is not None and not applied and not self._table_names():
                self._make_new(script)
            elif applied < known:
                migrations.apply(self.db)
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _make_new(self, script: tuple[tuple[str, tuple[object, ...]], ...]) -> None:
        """The whole schema written on an empty file, and each change recorded as applied,
        as sqlite-utils records it."""
        for statement, parameters in script:
            self.conn.execute(statement, parameters)
        now = str(dt.datetime.now(dt.UTC))
        self.conn.executemany(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [(MIGRATION_SET, name, now) for name, _ in _MIGRATIONS],
        )

    def _table_names(self) -> list[str]:
        return [
            name
            for (name,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    def _applied_migrations(self) -> list[str]:
        """The names of the planner's schema changes applied to this file, in order (as
        sqlite-utils records them)."""
        if "_sqlite_migrations" not in self._table_names():
            return []
        return [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            )
        ]

    def _query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dictionaries, column name to value."""
        cursor = self.conn.execute(sql, list(params))
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def backup_before_upgrade(self, schema: str) -> Path:
        """Copy the whole database beside it before a schema change, so an upgrade that goes
        wrong loses nothing: ``planner.db.before-<schema change>-<time>.bak``."""
        assert self.path is not None
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.{schema}-{stamp}.bak")
        try:
            _copy_database(self.conn, target)
        except (sqlite3.Error, OSError) as exc:
            raise DatabaseError(
                f"The database '{self.path}' needs an upgrade, but its backup copy "
                f"'{target}' could not be written ({exc}); nothing was changed. Free some disk "
                "space or make the folder writable, then try again."
            ) from None
        return target

    def close(self) -> None:
        self.conn.close()

    def read_only_notice(self) -> str:
        """Why this database opens for reading only, and what to do: for the app's notice."""
        if self.path is not None and _is_backup(self.path):
            return (
                f"{self.path} is a backup: you can look through it, but the planner never "
                "changes a backup, so nothing you change is saved. To go back to it, "
                f"{go_back_to(self.path)}."
            )
        return (
            f"The database {self.path} is read-only: you can look through it, but nothing you "
            "change is saved. Make the file and its folder writable, then open it again."
        )

    @classmethod
    def open_reader(cls, path: str | Path) -> Self:
        """A read-only store on the database at ``path``, for a process that only reads it
        while another has it open (it neither creates, upgrades nor repairs the file)."""
        path = Path(path)
        if not path.exists():
            raise DatabaseError(f"There is no database '{path}'.")
        return cls(_read_only(path), path, read_only=True)

    def reader(self) -> Self:
        """A second, read-only connection to this database, for reading in another thread
        (a connection belongs to the thread that opened it): open it in that thread. Not for
        a database in memory, which has no other connection."""
        if self.path is None:
            raise DatabaseError("A database in memory cannot be read from another thread.")
        return type(self)(_read_only(self.path), self.path, read_only=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def waiting_at_most(self, milliseconds: int) -> Iterator[None]:
        """Inside the block, a write waits at most ``milliseconds`` for another program's
        write lock instead of the busy timeout: for a write that only helps (stored reading
        counts at the end of a command that reads), which is dropped rather than waited for."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")

    @_guarded
    def schema_version(self) -> str:
        applied = self._applied_migrations()
        return applied[-1] if applied else ""

    @contextlib.contextmanager
    def _write(self, undo: Callable[[], None] | None = None) -> Iterator[None]:
        """One transaction, taking the write lock at once; rolled back on any error, after
        ``undo`` (if given) has taken back what the block did outside the database, so that no
        other process sees it while the lock is still held."""
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_locked(exc):
                raise DatabaseError(explain_sqlite_error(exc, self.path)) from None
            raise
        try:
            yield
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                if undo is not None:
                    undo()
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_locked(exc):
                raise DatabaseError(explain_sqlite_error(exc, self.path)) from None
            raise

    def _bump(self, campaign_id: int, expected_version: int | None) -> int:
        """Check the caller's version of the campaign and move it on by one."""
        now = _now()
        if expected_version is None:
            cur = self.conn.execute(
                "UPDATE campaigns SET version = version + 1, updated_at = ? WHERE id = ?",
                [now, campaign_id],
            )
        else:
            cur = self.conn.execute(
                "UPDATE campaigns SET version = version + 1, updated_at = ? "
                "WHERE id = ? AND version = ?",
                [now, campaign_id, expected_version],
            )
        if cur.rowcount == 0:
            self._check_version(campaign_id, expected_version)
        return self._version(campaign_id)

    def _check_version(self, campaign_id: int, expected_version: int | None) -> None:
        """Refuse a write based on a version of the campaign that is no longer the current."""
        current = self._version(campaign_id)
        if expected_version is not None and current != expected_version:
            raise StaleWriteError(
                f"Campaign {campaign_id} was changed elsewhere since you opened it (you have "
                f"version {expected_version}, it is now version {current}); nothing was saved. "
                "Reload the campaign and make the change again."
            )

    def _version(self, campaign_id: int) -> int:
        """The campaign's version; a campaign in the trash is read or changed by nobody until
        it is brought back (every write checks the version, so every write is refused)."""
        row = self.conn.execute(
            "SELECT version, deleted_at IS NOT NULL FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(self._no_campaign(campaign_id))
        if row[1]:
            raise NotFoundError(self._in_trash(campaign_id))
        return row[0]

    def _no_campaign(self, campaign_id: int) -> str:
        listing = command(self.path, "list", "--all")
        return f"There is no campaign {campaign_id}; run '{listing}' to see the ids."

    def _in_trash(self, campaign_id: int) -> str:
        back = command(self.path, "undelete", str(campaign_id))
        return f"Campaign {campaign_id} is in the trash; '{back}' brings it back."

    def snapshot(self) -> contextlib.AbstractContextManager[None]:
        """Every read inside sees the file as it was at the first: for a caller that reads in
        several steps (export reads a campaign's costs a thousand at a time), so that another
        process's write in between is in all of it or none."""
        return self._read()

    @contextlib.contextmanager
    def _read(self) -> Iterator[None]:
        """A consistent snapshot for a read made of several queries."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    @_guarded
    def data_version(self) -> int:
        """A number that moves on when another connection (another window or process, a
        restore) has changed the file since this one last asked; this connection's own
        changes do not move it. SQLite's own counter, read without reading the file's pages:
        cheap enough to poll."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @_guarded
    def campaign_version(self, campaign_id: int) -> int:
        """The campaign's current version: cheap enough to poll for changes."""
        return self._version(campaign_id)
