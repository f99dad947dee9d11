"""The running totals of costs and results (``cost_days``, ``cost_totals``, ``result_days``):
the triggers that keep them in the same transaction as every change, and the statements that
merge a bulk import's totals in one go or count where they drifted.
"""

from __future__ import annotations

from dataclasses import dataclass

_EMPTY_KEY = {"channel": "''", "activity_id": "0"}


_EMPTY_VALUE = {"channel": "", "activity_id": 0}


def _key_expr(row: str, col: str) -> str:
    """A rollup key taken from a row of costs or results: '' or 0 stand for NULL."""
    return f"COALESCE({row}.{col}, {_EMPTY_KEY[col]})" if col in _EMPTY_KEY else f"{row}.{col}"


@dataclass(frozen=True)
class _Rollup:
    """A table of running totals of ``source`` by ``key``: ``key`` maps each rollup column to
    a column of ``source``; ``total`` is the summed column in the rollup and ``column`` in
    ``source``. Each rollup row also counts its ``entries`` and goes when that reaches 0."""

    table: str
    source: str
    key: dict[str, str]
    total: str
    column: str

    def triggers(self) -> list[str]:
        """Triggers that keep the totals in the same transaction as every change."""
        table, total, column, key = self.table, self.total, self.column, self.key

        def add(row: str) -> str:
            return (
                f"INSERT INTO {table} ({', '.join(key)}, {total}, entries) "
                f"VALUES ({', '.join(_key_expr(row, c) for c in key.values())}, "
                f"{row}.{column}, 1) "
                f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
                f"{total} = {total} + excluded.{total}, entries = entries + 1;"
            )

        def remove(row: str) -> str:
            where = " AND ".join(f"{k} = {_key_expr(row, c)}" for k, c in key.items())
            return (
                f"UPDATE {table} SET {total} = {total} - {row}.{column}, "
                f"entries = entries - 1 WHERE {where}; "
                f"DELETE FROM {table} WHERE {where} AND entries = 0;"
            )

        watched = ", ".join(dict.fromkeys([*key.values(), column]))
        return [
            f"CREATE TRIGGER {table}_on_insert AFTER INSERT ON {self.source} "
            f"BEGIN {add('new')} END",
            f"CREATE TRIGGER {table}_on_delete AFTER DELETE ON {self.source} "
            f"BEGIN {remove('old')} END",
            f"CREATE TRIGGER {table}_on_update AFTER UPDATE OF {watched} ON {self.source} "
            f"BEGIN {remove('old')} {add('new')} END",
        ]

    def trigger_names(self) -> list[str]:
        return [f"{self.table}_on_{event}" for event in ("insert", "delete", "update")]

    def merge(self, where: str, sign: int = 1) -> str:
        """Add (or with ``sign`` -1 take away) the totals of the source rows ``where`` picks,
        in one statement: how a bulk import or its undo keeps the totals without a trigger
        firing per row."""
        keys = ", ".join(self.key)
        picked = ", ".join(_key_expr("s", c) for c in self.key.values())
        groups = ", ".join(str(i + 1) for i in range(len(self.key)))
        minus = "-" if sign < 0 else ""
        return (
            f"INSERT INTO {self.table} ({keys}, {self.total}, entries) "
            f"SELECT {picked}, {minus}SUM(s.{self.column}), {minus}COUNT(*) "
            f"FROM {self.source} s WHERE {where} GROUP BY {groups} "
            f"ON CONFLICT ({keys}) DO UPDATE SET {self.total} = {self.total} + "
            f"excluded.{self.total}, entries = entries + excluded.entries"
        )

    def drift(self) -> str:
        """A query counting the rows where the running totals and the rows they total
        disagree (a total off, a total missing, a total left for rows that are gone)."""
        keys = ", ".join(self.key)
        picked = ", ".join(_key_expr("s", c) for c in self.key.values())
        groups = ", ".join(str(i + 1) for i in range(len(self.key)))
        expected = (
            f"SELECT {picked}, ROUND(SUM(s.{self.column}), 6), COUNT(*) "
            f"FROM {self.source} s GROUP BY {groups}"
        )
        kept = f"SELECT {keys}, ROUND({self.total}, 6), entries FROM {self.table}"
        return (
            f"SELECT (SELECT COUNT(*) FROM ({expected} EXCEPT {kept})) "
            f"+ (SELECT COUNT(*) FROM ({kept} EXCEPT {expected}))"
        )


_ROLLUPS = {
    "costs": (
        _Rollup(
            "cost_days",
            "costs",
            {"campaign_id": "campaign_id", "date": "date", "channel": "channel"},
            "amount_minor",
            "amount_minor",
        ),
        _Rollup(
            "cost_totals",
            "costs",
            {"campaign_id": "campaign_id", "channel": "channel", "activity_id": "activity_id"},
            "amount_minor",
            "amount_minor",
        ),
    ),
    "results": (
        _Rollup(
            "result_days",
            "results",
            {"campaign_id": "campaign_id", "measure_id": "measure_id", "date": "date"},
            "total",
            "value",
        ),
    ),
}
