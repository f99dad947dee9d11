"""Costs and results one at a time: record, read, update, delete and page through them. They
are not part of the plan: writing them moves the campaign's tracking version, not its version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from planner.domain.errors import DatabaseError, PlannerError, StaleWriteError
from planner.domain.later import Later
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded, explain_sqlite_error
from planner.store.mapping import _MEASURE_REF, _entry_spec, _noun, _Spec
from planner.store.records import Page

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import Entry
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")


class EntriesMixin(StoreBase):
    """Costs and results one at a time."""

    def _bump_tracking(self, campaign_id: int) -> None:
        cur = self.conn.execute(
            "UPDATE campaigns SET tracking_version = tracking_version + 1, updated_at = ? "
            "WHERE id = ?",
            [_now(), campaign_id],
        )
        if cur.rowcount == 0:
            self._version(campaign_id)  # raises: no such campaign

    @_guarded
    def add_entry(self, campaign_id: int, entry: Entry) -> int:
        """Record a cost or a result; returns its id. The plan's version does not move."""
        _entry_spec(entry)
        entry = type(entry).model_validate(entry.model_dump())
        with self._write():
            self._bump_tracking(campaign_id)
            return self._insert_item(campaign_id, entry, None, {})

    @_guarded
    def get_entry(self, campaign_id: int, model: type[Entry], entry_id: int) -> Entry:
        spec = _entry_spec(model)
        self._item_owner(spec, campaign_id, entry_id)
        row = self._query(f"SELECT * FROM {spec.table} WHERE id = ?", [entry_id])
        return self._entries(spec, campaign_id, list(row))[0]

    @_guarded
    def update_entry(self, campaign_id: int, entry: Entry, *, original: Entry) -> None:
        """Replace a recorded cost or result (found by ``entry.id``). ``original`` is the entry
        as the caller read it: if it has changed since, nothing is saved."""
        spec = _entry_spec(entry)
        if entry.id is None:
            raise PlannerError("This entry has not been saved yet, so it cannot be updated.")
        entry = type(entry).model_validate({**entry.model_dump(), "id": entry.id})
        with self._write():
            current = self.get_entry(campaign_id, type(entry), entry.id)
            if current.model_dump() != original.model_dump():
                raise StaleWriteError(
                    f"This {_noun(spec)} was changed in another window since you opened it; "
                    "nothing was saved. Open it again to see it as it is now."
                )
            self._bump_tracking(campaign_id)
            row = self._item_row(campaign_id, entry, {})
            row.pop("campaign_id")
            self.conn.execute(
                f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                [*row.values(), entry.id],
            )

    @_guarded
    def delete_entry(self, campaign_id: int, model: type[Entry], entry_id: int) -> None:
        spec = _entry_spec(model)
        with self._write():
            self._item_owner(spec, campaign_id, entry_id)
            self._bump_tracking(campaign_id)
            self.conn.execute(f"DELETE FROM {spec.table} WHERE id = ?", [entry_id])

    @_guarded
    def list_entries(
        self,
        campaign_id: int,
        model: type[Entry],
        *,
        offset: int = 0,
        limit: int = 100,
        measure: str | None = None,
    ) -> Page:
        """A page of costs or results, newest first, and how many there are in all."""
        spec = _entry_spec(model)
        with self._read():
            self._version(campaign_id)
            where, params = "campaign_id = ?", [campaign_id]
            if measure is not None:
                where += " AND measure_id = ?"
                params.append(self._resolve(campaign_id, _MEASURE_REF, measure, {}))
            rollup = "cost_totals" if model is models.Cost else "result_days"
            (total,) = self.conn.execute(
                f"SELECT COALESCE(SUM(entries), 0) FROM {rollup} WHERE {where}", params
            ).fetchone()
            rows = list(
                self._query(
                    f"SELECT * FROM {spec.table} WHERE {where} "
                    "ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
                    [*params, limit, max(0, offset)],
                )
            )
            return Page(self._entries(spec, campaign_id, rows), total, offset)

    @_guarded
    def iter_entries(
        self, campaign_id: int, model: type[Entry], *, measure: str | None = None
    ) -> Iterator[Entry]:
        """Every cost or result of a campaign (or of one measure), oldest first, read in
        batches. An unknown campaign or measure is refused before the first entry."""
        spec = _entry_spec(model)
        self._version(campaign_id)
        where, params = "campaign_id = ?", [campaign_id]
        if measure is not None:
            where += " AND measure_id = ?"
            params.append(self._resolve(campaign_id, _MEASURE_REF, measure, {}))
        return self._iter_entries(spec, campaign_id, where, params)

    @_guarded
    def iter_entry_documents(
        self, campaign_id: int, model: type[Entry]
    ) -> Iterator[dict[str, Any]]:
        """Every cost or result of a campaign, oldest first, read in batches, each as the
        dict ``entry.model_dump(mode="json")`` gives, made straight from its row: the rows
        were checked when they were written, and an export of a million is not held up
        making and checking a model of each. An unknown campaign is refused at once."""
        spec = _entry_spec(model)
        self._version(campaign_id)
        fields = [name for name, info in model.model_fields.items() if not info.exclude]
        columns = {field: column for column, field in spec.fields_by_column.items()}
        refs = {ref.field: ref for ref in spec.refs}
        floats = {name for name in fields if model.model_fields[name].annotation is float}

        def documents(rows: list[tuple[Any, ...]], at: dict[str, int]) -> list[dict[str, Any]]:
            names = self._ref_names(spec, campaign_id)
            # each field: where its value is in a row, and what is made of it
            plan = []
            for name in fields:
                ref = refs.get(name)
                if ref is not None:
                    plan.append((name, at[ref.column], names[ref.table]))
                else:
                    plan.append((name, at[columns[name]], float if name in floats else None))
            made = []
            for row in rows:
                document = {}
                for name, index, turn in plan:
                    value = row[index]
                    if turn is None or value is None:
                        document[name] = value
                    elif turn is float:
                        document[name] = float(value)
                    else:
                        document[name] = turn[value]  # the name of the item it links to
                made.append(document)
            return made

        return self._iter_rows(spec, "campaign_id = ?", [campaign_id], documents, tuples=True)

    def _iter_entries(
        self, spec: _Spec, campaign_id: int, where: str, params: list[Any]
    ) -> Iterator[Entry]:
        return self._iter_rows(
            spec, where, params, lambda rows: self._entries(spec, campaign_id, rows)
        )

    def _iter_rows(
        self,
        spec: _Spec,
        where: str,
        params: list[Any],
        make: Callable[..., list[Any]],
        *,
        tuples: bool = False,
    ) -> Iterator[Any]:
        """What ``make`` makes of the rows, a batch read at a time as the caller asks for
        them: after the caller has returned, so its SQLite errors are told here. ``make``
        is given the rows as dicts or, with ``tuples``, as tuples with where each column
        is in them (quicker for a million)."""
        last: tuple[str, int] = ("", 0)
        sql = (
            f"SELECT * FROM {spec.table} WHERE {where} AND (date, id) > (?, ?) "
            "ORDER BY date, id LIMIT 1000"
        )
        while True:
            try:
                if tuples:
                    cursor = self.conn.execute(sql, [*params, *last])
                    at = {d[0]: i for i, d in enumerate(cursor.description)}
                    rows: list[Any] = cursor.fetchall()
                    made = make(rows, at)
                    if rows:
                        last = (rows[-1][at["date"]], rows[-1][at["id"]])
                else:
                    rows = list(self._query(sql, [*params, *last]))
                    made = make(rows)
                    if rows:
                        last = (rows[-1]["date"], rows[-1]["id"])
            except sqlite3.Error as exc:
                raise DatabaseError(explain_sqlite_error(exc, self.path)) from None
            if not rows:
                return
            yield from made

    def _ref_names(self, spec: _Spec, campaign_id: int) -> dict[str, dict[int, str]]:
        """The names of the items the entries link to (activities, measures), by id."""
        return {
            ref.table: dict(
                self.conn.execute(
                    f"SELECT id, name FROM {ref.table} WHERE campaign_id = ?", [campaign_id]
                ).fetchall()
            )
            for ref in spec.refs
        }

    def _entries(self, spec: _Spec, campaign_id: int, rows: list[dict[str, Any]]) -> list[Entry]:
        names = self._ref_names(spec, campaign_id)
        return [
            spec.model.model_validate(self._item_from_row(spec, row, names) | {"id": row["id"]})
            for row in rows
        ]

    @_guarded
    def tracking_version(self, campaign_id: int) -> tuple[int, int]:
        """The plan's version and the costs-and-results counter: cheap enough to poll."""
        row = self.conn.execute(
            "SELECT version, tracking_version FROM campaigns WHERE id = ? AND deleted_at IS NULL",
            [campaign_id],
        ).fetchone()
        if row is None:
            self._version(campaign_id)  # raises: no such campaign, or it is in the trash
        return row[0], row[1]

    @_guarded
    def count_entries(self, campaign_id: int) -> tuple[int, int]:
        """How many costs and results the campaign holds, from the running totals: no row of
        either is read, however many there are."""
        self._version(campaign_id)  # raises: no such campaign
        costs, results = self.conn.execute(
            "SELECT (SELECT COALESCE(SUM(entries), 0) FROM cost_totals WHERE campaign_id = ?),"
            " (SELECT COALESCE(SUM(entries), 0) FROM result_days WHERE campaign_id = ?)",
            [campaign_id, campaign_id],
        ).fetchone()
        return costs, results
