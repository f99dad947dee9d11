"""Imported files of costs and results: writing thousands of rows in one transaction (the
running totals summed as the rows go by), undoing an import, and the saved column mappings.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from planner.domain.advice import command
from planner.domain.errors import NotFoundError, PlannerError
from planner.domain.later import Later
from planner.domain.records import CostRow, ImportKind, ResultRow
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded
from planner.store.mapping import (
    _ACTIVITY_REF,
    _INFLUENCER_REF,
    _MEASURE_REF,
    _SEGMENT_REF,
    _VARIANT_REF,
)
from planner.store.rollups import _EMPTY_VALUE, _ROLLUPS

if TYPE_CHECKING:
    import json

    from planner.domain import models
    from planner.domain.models import Entry, ImportRecord, SavedMapping
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")
    json = Later("json")


# The columns an import writes, in the order of the rows the store's readers of CostRow and
# ResultRow produce.
_IMPORTED = {
    "costs": (
        "campaign_id",
        "date",
        "period_start",
        "amount_minor",
        "channel",
        "vendor",
        "activity_id",
        "note",
        "import_id",
    ),
    "results": (
        "campaign_id",
        "measure_id",
        "date",
        "period_start",
        "value",
        "source",
        "note",
        "trials",
        "variant_id",
        "activity_id",
        "segment_id",
        "influencer_id",
        "channel",
        "import_id",
    ),
}


_BULK_ROWS = 20_000  # an import of fewer rows keeps the indexes as it goes


# What the running totals of an import are first summed by, in memory as the rows go by: the
# finest key of the table's rollups (within one campaign).
_SUMMED_BY = {"costs": ("date", "channel", "activity_id"), "results": ("measure_id", "date")}


def _write_sums(
    conn: sqlite3.Connection,
    table: str,
    campaign_id: int,
    sums: dict[tuple[Any, ...], list[Any]],
) -> None:
    """Add ``sums`` (totals and counts of newly written rows, by ``_SUMMED_BY``) to each of
    the table's rollups, in one statement each."""
    finest = _SUMMED_BY[table]
    for rollup in _ROLLUPS[table]:
        picked = [finest.index(c) if c != "campaign_id" else -1 for c in rollup.key.values()]
        empty = [_EMPTY_VALUE.get(c) for c in rollup.key.values()]
        grouped: dict[tuple[Any, ...], list[Any]] = {}
        for key, (total, count) in sums.items():
            values = tuple(
                campaign_id if i < 0 else (e if key[i] is None else key[i])
                for i, e in zip(picked, empty, strict=True)
            )
            found = grouped.get(values)
            if found is None:
                grouped[values] = [total, count]
            else:
                found[0] += total
                found[1] += count
        keys = ", ".join(rollup.key)
        conn.executemany(
            f"INSERT INTO {rollup.table} ({keys}, {rollup.total}, entries) "
            f"VALUES ({', '.join('?' for _ in rollup.key)}, ?, ?) "
            f"ON CONFLICT ({keys}) DO UPDATE SET {rollup.total} = {rollup.total} + "
            f"excluded.{rollup.total}, entries = entries + excluded.entries",
            ((*values, total, count) for values, (total, count) in grouped.items()),
        )


def _import_record(row: dict[str, Any]) -> ImportRecord:
    """An ``imports`` row without its row-id range, which only the store uses."""
    return models.ImportRecord.model_validate(
        {k: v for k, v in row.items() if k in models.ImportRecord.model_fields}
    )


class ImportsMixin(StoreBase):
    """Imports of costs and results, and saved mappings.

    Over 400 lines on purpose: writing an import (its rows, the running totals summed as they
    go by, the indexes dropped and rebuilt for a large one) and undoing it are one piece of
    bookkeeping that must agree row for row, and reads best in one place.
    """

    @_guarded
    def import_entries(
        self,
        record: ImportRecord,
        rows: Iterable[CostRow] | Iterable[ResultRow],
        counted: Callable[[], tuple[int, int]],
        *,
        expected: int = 0,
        refuse_again: Callable[[ImportRecord], Exception] | None = None,
    ) -> ImportRecord:
        """Write every cost or result ``rows`` yields (``CostRow`` or ``ResultRow`` tuples, as
        the record's kind says) as one import, in one transaction: all of them or, if anything
        fails or the process dies, none. Once the rows are consumed, ``counted()`` gives the
        file's data rows and the rows that could not be read (and may raise to write nothing).

        The running totals are not kept row by row here: their triggers are set aside inside
        the transaction and the new rows' totals, summed as they go by, are added at the end.
        An import ``expected`` to add at least as many rows as the table holds also sets the
        table's indexes aside and builds them again at the end, which is several times faster
        than keeping them row by row.

        With ``refuse_again``, a standing import of the same file's bytes is looked for
        inside the write transaction, under the write lock, and its record given to
        ``refuse_again`` for the error to raise: two processes importing one file at once
        cannot both pass the check."""
        campaign_id = record.campaign_id
        kind = ImportKind(record.kind)
        table = "costs" if kind is ImportKind.COSTS else "results"
        with self._write():
            if refuse_again is not None:
                existing = self.find_import(campaign_id, kind, record.content_hash)
                if existing is not None:
                    raise refuse_again(existing)
            self._bump_tracking(campaign_id)
            cur = self.conn.execute(
                "INSERT INTO imports (campaign_id, kind, file_name, content_hash, format, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    campaign_id,
                    kind.value,
                    record.file_name,
                    record.content_hash,
                    record.format,
                    _now(),
                ],
            )
            import_id = cur.lastrowid
            assert import_id is not None
            (before,) = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
            sums: dict[tuple[Any, ...], list[Any]] = {}
            if kind is ImportKind.COSTS:
                written = self._cost_rows(campaign_id, rows, import_id, sums)  # type: ignore[arg-type]
            else:
                written = self._result_rows(campaign_id, rows, import_id, sums)  # type: ignore[arg-type]
            columns = ", ".join(_IMPORTED[table])
            marks = ", ".join("?" for _ in _IMPORTED[table])
            with (
                self._without_rollup_triggers(table),
                self._bulk_indexes(table, expected, before),
                self._large_cache(),
            ):
                self.conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", written)
                _write_sums(self.conn, table, campaign_id, sums)
            summed = "SUM(amount_minor)" if kind is ImportKind.COSTS else "NULL"
            count, last, total = self.conn.execute(
                f"SELECT COUNT(*), MAX(id), {summed} FROM {table} WHERE id > ?",
                [before],
            ).fetchone()
            rows_read, skipped = counted()
            self.conn.execute(
                "UPDATE imports SET rows_read = ?, entries = ?, skipped = ?, total_minor = ?, "
                "first_id = ?, last_id = ? WHERE id = ?",
                [
                    rows_read,
                    count,
                    skipped,
                    (total or 0) if kind is ImportKind.COSTS else None,
                    before + 1 if count else None,
                    last,
                    import_id,
                ],
            )
            return self._get_import(import_id)

    def _cost_rows(
        self,
        campaign_id: int,
        rows: Iterable[CostRow],
        import_id: int | None,
        sums: dict[tuple[Any, ...], list[Any]],
        memo: dict[str, Any] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """The costs table's rows: each activity's name becomes its id, and a cost with no
        channel of its own takes its activity's. Their amounts are summed into ``sums`` by
        date, channel and activity as they go by. ``memo`` keeps what was looked up from one
        batch of rows to the next."""
        memo = {} if memo is None else memo
        cache: dict[str, dict[str, int]] = memo.setdefault("cache", {})
        if "channels" not in memo:
            memo["channels"] = dict(
                self.conn.execute(
                    "SELECT id, channel FROM activities WHERE campaign_id = ?", [campaign_id]
                ).fetchall()
            )
        channels = memo["channels"]
        activity_id = None
        # a name as written: its id and channel
        named: dict[str, tuple[int | None, str | None]] = memo.setdefault("activities", {})
        for day, start, minor, channel, vendor, activity, note in rows:
            if activity is not None:
                found_id = named.get(activity)
                if found_id is None:
                    resolved = self._resolve(campaign_id, _ACTIVITY_REF, activity, cache)
                    found_id = named[activity] = (resolved, channels.get(resolved))
                activity_id = found_id[0]
                channel = channel or found_id[1]
            else:
                activity_id = None
            key = (day, channel, activity_id)
            found = sums.get(key)
            if found is None:
                sums[key] = [minor, 1]
            else:
                found[0] += minor
                found[1] += 1
            yield campaign_id, day, start, minor, channel, vendor, activity_id, note, import_id

    def _result_rows(
        self,
        campaign_id: int,
        rows: Iterable[ResultRow],
        import_id: int | None,
        sums: dict[tuple[Any, ...], list[Any]],
        memo: dict[str, Any] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """The results table's rows: each name becomes its item's id, and a result's blank
        variant, segment, influencer and channel are taken from its activity. Their values
        are summed into ``sums`` by measure and date as they go by. ``memo`` keeps what was
        looked up from one batch of rows to the next."""
        memo = {} if memo is None else memo
        cache: dict[str, dict[str, int]] = memo.setdefault("cache", {})
        resolve = self._resolve
        if "fill" not in memo:
            memo["fill"] = self._result_filler(campaign_id)
        fill = memo["fill"]
        measures: dict[str, int | None] = memo.setdefault("measures", {})  # a name: its id
        # the names as written: their ids, blanks filled
        filled: dict[tuple[Any, ...], tuple[Any, ...]] = memo.setdefault("filled", {})
        for row in rows:
            measure, day, start, value, source, note, of = row[:7]
            measure_id = measures.get(measure)
            if measure_id is None:
                measure_id = measures[measure] = resolve(campaign_id, _MEASURE_REF, measure, cache)
            key = (measure_id, day)
            found = sums.get(key)
            if found is None:
                sums[key] = [value, 1]
            else:
                found[0] += value
                found[1] += 1
            variant, activity, segment, influencer, channel = row[7:]
            if variant is None and activity is None and segment is None and influencer is None:
                yield (
                    *(campaign_id, measure_id, day, start, value, source, note, of),
                    *(None, None, None, None, channel, import_id),
                )
                continue
            names = row[7:]
            ids = filled.get(names)
            if ids is None:
                activity_id = resolve(campaign_id, _ACTIVITY_REF, activity, cache)
                ids = filled[names] = (
                    activity_id,
                    *fill(
                        activity_id,
                        resolve(campaign_id, _VARIANT_REF, variant, cache),
                        resolve(campaign_id, _SEGMENT_REF, segment, cache),
                        resolve(campaign_id, _INFLUENCER_REF, influencer, cache),
                        channel,
                    ),
                )
            activity_id, variant_id, segment_id, influencer_id, channel = ids
            yield (
                *(campaign_id, measure_id, day, start, value, source, note, of),
                *(variant_id, activity_id, segment_id, influencer_id, channel, import_id),
            )

    def _write_entries(
        self,
        campaign_id: int,
        entries: Iterable[Entry | models.EntryRows],
        expected: Mapping[str, int] | None = None,
    ) -> None:
        """Inside a write: every cost and result ``entries`` yields (or batch of their rows), in
        batches of a thousand as they come (one ``executemany`` per table and batch), with the
        running totals summed as they go by and added at the end. The entries are checked
        already: a name of an activity or a measure the campaign lacks is still refused, by
        ``_resolve``."""
        sums: dict[str, dict[tuple[Any, ...], list[Any]]] = {"costs": {}, "results": {}}
        statements = {
            table: f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
            for table, columns in _IMPORTED.items()
        }
        # (no larger page cache, as import_entries takes: a new campaign's rows go at the end
        # of every index, and it would add 64 MB to the memory). ``expected``: how many costs
        # and results are coming, when known; as many as a table holds already, its indexes
        # are built again at the end rather than kept row by row.
        expected = expected or {}
        before = {
            table: self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
            for table in ("costs", "results")
        }
        with (
            self._without_rollup_triggers("costs"),
            self._without_rollup_triggers("results"),
            self._bulk_indexes("costs", expected.get("costs", 0), before["costs"]),
            self._bulk_indexes("results", expected.get("results", 0), before["results"]),
        ):
            pending: dict[type[Entry], list[Any]] = {models.Cost: [], models.Result: []}
            memo: dict[str, Any] = {}

            def write(kind: type[Entry]) -> None:
                rows, pending[kind] = pending[kind], []
                if kind is models.Cost:
                    written = self._cost_rows(campaign_id, rows, None, sums["costs"], memo)
                    self.conn.executemany(statements["costs"], written)
                else:
                    written = self._result_rows(campaign_id, rows, None, sums["results"], memo)
                    self.conn.executemany(statements["results"], written)

            for e in entries:  # each table's rows in the order they come, a thousand at a time
                if type(e) is models.EntryRows:
                    kind = e.kind
                    pending[kind].extend(e.rows)
                elif isinstance(e, models.Cost):
                    kind = models.Cost
                    pending[kind].append(models.cost_row(e))
                elif isinstance(e, models.Result):
                    kind = models.Result
                    pending[kind].append(models.result_row(e))
                else:
                    raise PlannerError("Only costs and results are recorded as entries.")
                if len(pending[kind]) >= 1000:
                    write(kind)
            for kind, rows in pending.items():
                if rows:
                    write(kind)
            for table, summed in sums.items():
                _write_sums(self.conn, table, campaign_id, summed)

    @contextlib.contextmanager
    def _bulk_indexes(self, table: str, expected: int, existing: int) -> Iterator[None]:
        """Inside a write: the indexes of ``table`` are dropped for a bulk insert of about
        ``expected`` rows into a table of about ``existing`` rows (its largest row id), and
        built again when the block ends, if that is cheaper than keeping them row by row. A
        failure rolls the whole transaction back, indexes included."""
        assert self.conn.in_transaction
        if expected < _BULK_ROWS or expected < existing:
            yield
            return
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table],
        ).fetchall()
        for name, _ in indexes:
            self.conn.execute(f"DROP INDEX {name}")
        yield
        for _, statement in indexes:
            self.conn.execute(statement)

    @contextlib.contextmanager
    def _large_cache(self) -> Iterator[None]:
        """Inside a bulk write: a page cache of 64 MB rather than 2, so that adding a million
        rows to the tables' indexes does not read the same pages from disk again and again."""
        (size,) = self.conn.execute("PRAGMA cache_size").fetchone()
        self.conn.execute("PRAGMA cache_size = -16384")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(size)}")

    @contextlib.contextmanager
    def _without_rollup_triggers(self, table: str) -> Iterator[None]:
        """Inside a write: the running totals of ``table`` are not kept per row until the
        block ends; the block keeps them itself. A failure rolls the whole transaction back,
        triggers included."""
        assert self.conn.in_transaction
        rollups = _ROLLUPS[table]
        for rollup in rollups:
            for name in rollup.trigger_names():
                self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        yield
        for rollup in rollups:
            for statement in rollup.triggers():
                self.conn.execute(statement)

    @_guarded
    def undo_import(self, import_id: int) -> tuple[ImportRecord, int]:
        """Remove every cost or result an import added, in one transaction; returns the
        import (now marked undone) and how many entries went. The record stays, as history."""
        with self._write():
            record = self._get_import(import_id)
            if record.undone_at is not None:
                raise PlannerError(
                    f"Import {import_id} ('{record.file_name}') was already undone on "
                    f"{record.undone_at[:10]}; there is nothing left to remove."
                )
            table = "costs" if record.kind is ImportKind.COSTS else "results"
            self._bump_tracking(record.campaign_id)
            first, last = self.conn.execute(
                "SELECT first_id, last_id FROM imports WHERE id = ?", [import_id]
            ).fetchone()
            removed = 0
            if first is not None:
                where = "s.id BETWEEN ? AND ? AND s.import_id = ?"
                params = [first, last, import_id]
                with self._without_rollup_triggers(table):
                    for rollup in _ROLLUPS[table]:
                        self.conn.execute(rollup.merge(where, sign=-1), params)
                        self.conn.execute(
                            f"DELETE FROM {rollup.table} WHERE campaign_id = ? AND entries = 0",
                            [record.campaign_id],
                        )
                    removed = self.conn.execute(
                        f"DELETE FROM {table} AS s WHERE {where}", params
                    ).rowcount
            self.conn.execute("UPDATE imports SET undone_at = ? WHERE id = ?", [_now(), import_id])
            return self._get_import(import_id), removed

    def _get_import(self, import_id: int) -> ImportRecord:
        rows = list(self._query("SELECT * FROM imports WHERE id = ?", [import_id]))
        if not rows:
            raise NotFoundError(
                f"There is no import {import_id}; run '{command(self.path, 'imports', 'ID')}' "
                "to see a campaign's imports."
            )
        return _import_record(rows[0])

    @_guarded
    def get_import(self, import_id: int) -> ImportRecord:
        return self._get_import(import_id)

    @_guarded
    def totals_drift(self) -> dict[str, int]:
        """For each table of running totals, how many of its rows disagree with the costs or
        results they total: all zero in a sound file, whatever was interrupted."""
        return {
            r.table: self.conn.execute(r.drift()).fetchone()[0]
            for rollups in _ROLLUPS.values()
            for r in rollups
        }

    @_guarded
    def list_imports(self, campaign_id: int) -> list[ImportRecord]:
        """The campaign's imports, newest first, undone ones included."""
        self._version(campaign_id)
        return [
            _import_record(row)
            for row in self._query(
                "SELECT * FROM imports WHERE campaign_id = ? ORDER BY id DESC", [campaign_id]
            )
        ]

    @_guarded
    def find_import(
        self, campaign_id: int, kind: ImportKind, content_hash: str
    ) -> ImportRecord | None:
        """The standing (not undone) import of the same file's bytes as the same kind."""
        row = self.conn.execute(
            "SELECT id FROM imports WHERE campaign_id = ? AND kind = ? AND content_hash = ? "
            "AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [campaign_id, ImportKind(kind).value, content_hash],
        ).fetchone()
        return None if row is None else self._get_import(row[0])

    @_guarded
    def save_mapping(self, mapping: SavedMapping) -> None:
        """Save (or replace) a named mapping."""
        mapping = models.SavedMapping.model_validate(mapping.model_dump())
        with self._write():
            self.conn.execute(
                "INSERT INTO import_mappings (name, kind, format, fields, day_first, "
                "row_filter, value_map, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                "format = excluded.format, fields = excluded.fields, "
                "day_first = excluded.day_first, row_filter = excluded.row_filter, "
                "value_map = excluded.value_map, updated_at = excluded.updated_at",
                [
                    mapping.name,
                    mapping.kind.value,
                    mapping.format,
                    json.dumps(mapping.fields),
                    mapping.day_first,
                    json.dumps(mapping.where),
                    json.dumps({"channel": mapping.channels} if mapping.channels else {}),
                    _now(),
                ],
            )

    @_guarded
    def list_mappings(self) -> list[SavedMapping]:
        return [
            models.SavedMapping(
                name=row["name"],
                kind=row["kind"],
                format=row["format"],
                fields=json.loads(row["fields"]),
                day_first=None if row["day_first"] is None else bool(row["day_first"]),
                where=json.loads(row["row_filter"]),
                channels=json.loads(row["value_map"]).get("channel", {}),
            )
            for row in self._query("SELECT * FROM import_mappings ORDER BY name COLLATE NOCASE")
        ]

    @_guarded
    def get_mapping(self, name: str) -> SavedMapping:
        mappings = self.list_mappings()
        for mapping in mappings:
            if mapping.name.casefold() == name.strip().casefold():
                return mapping
        names = ", ".join(f"'{m.name}'" for m in mappings)
        hint = f"the saved ones are: {names}" if names else "none is saved yet"
        raise NotFoundError(f"There is no saved mapping called '{name}'; {hint}.")

    @_guarded
    def delete_mapping(self, name: str) -> None:
        with self._write():
            self.get_mapping(name)
            self.conn.execute("DELETE FROM import_mappings WHERE name = ?", [name.strip()])
