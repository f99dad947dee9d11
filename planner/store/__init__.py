"""Every line of SQL in the planner: the schema, its migrations, and the queries.

One SQLite file holds every campaign. The store opens it in WAL mode with foreign keys on and a
busy timeout, applies pending migrations, and offers functions that each run in one
transaction. Each campaign has a ``version``: every write to a campaign checks the version the
caller read and bumps it, so a write based on a stale read is refused instead of applied.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from planner.domain import registry
from planner.domain.advice import command, go_back_to
from planner.domain.errors import (
    DatabaseError,
    NotFoundError,
    PlannerError,
    StaleWriteError,
    describe_validation_error,
    is_validation_error,
)
from planner.domain.later import Later
from planner.domain.money import exponent
from planner.domain.records import (
    CampaignStatus,
    CampaignSummary,
    CostRow,
    Direction,
    ImportKind,
    MeasureCategory,
    MixP,
    PrimaryMeasure,
    ResultRow,
)
from planner.domain.styles import default_style
from planner.domain.words import plural_of
from planner.store.dbfiles import Tracked

if TYPE_CHECKING:
    import glob
    import json

    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from planner.compliance import RuleSet
    from planner.domain import models
    from planner.domain.models import (
        BriefRender,
        Campaign,
        Entry,
        FindingDecision,
        ImportRecord,
        Item,
        MarketingMix,
        MixElement,
        RuleWaiver,
        SavedMapping,
    )
else:
    # The models need pydantic and the migrations sqlite-utils; the campaign list needs
    # neither, nor JSON, so the planner starts without loading them.
    models = Later("planner.domain.models")
    json = Later("json")
    glob = Later("glob")

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
MIGRATION_SET = "planner"
RULES_DIR_SETTING = "rules_dir"  # a folder of the user's own compliance rule packs

# The schema changes in order: (name, function). sqlite-utils applies them (see ``_migrations``).
_MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = []


def _migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        _MIGRATIONS.append((name, fn))
        return fn

    return register


@functools.cache
def _migrations() -> Migrations:
    """The schema changes as sqlite-utils' migration set, loaded when one is to be applied."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, fn in _MIGRATIONS:
        migrations(name=name)(fn)
    return migrations


@_migration(name="0001_initial")
def _m0001_initial(db: Database) -> None:
    for statement in _SCHEMA_0001:
        db.execute(statement)


_SCHEMA_0001 = [
    """
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        practice TEXT NOT NULL DEFAULT '',
        service_line TEXT NOT NULL DEFAULT '',
        prepared_by TEXT NOT NULL DEFAULT '',
        objective TEXT NOT NULL DEFAULT '',
        desired_behaviour TEXT NOT NULL DEFAULT '',
        start_date TEXT,
        end_date TEXT,
        currency TEXT NOT NULL,
        jurisdictions TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft',
        core_message TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        archived_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX campaigns_archived ON campaigns (archived_at, name)",
    """
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        age_min INTEGER,
        age_max INTEGER,
        gender TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        languages TEXT NOT NULL DEFAULT '[]',
        psychographics TEXT NOT NULL DEFAULT '',
        health_need TEXT NOT NULL DEFAULT '',
        care_stage TEXT,
        payer_notes TEXT NOT NULL DEFAULT '',
        literacy_grade INTEGER,
        cultural_needs TEXT NOT NULL DEFAULT '',
        preferred_channels TEXT NOT NULL DEFAULT '[]',
        population INTEGER,
        eligible_pct REAL,
        reachable_pct REAL,
        estimated_size INTEGER,
        UNIQUE (campaign_id, name)
    )""",
    """
    CREATE TABLE influencers (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        strength INTEGER NOT NULL DEFAULT 3,
        relationship TEXT NOT NULL DEFAULT '',
        approach TEXT NOT NULL DEFAULT '',
        channels TEXT NOT NULL DEFAULT '[]',
        baseline_referrals INTEGER,
        UNIQUE (campaign_id, name)
    )""",
    """
    CREATE TABLE influencer_segments (
        influencer_id INTEGER NOT NULL REFERENCES influencers(id) ON DELETE CASCADE,
        segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        PRIMARY KEY (influencer_id, segment_id)
    )""",
    "CREATE INDEX influencer_segments_segment ON influencer_segments (segment_id)",
    """
    CREATE TABLE message_variants (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
        ab_label TEXT NOT NULL DEFAULT '',
        headline TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        call_to_action TEXT NOT NULL DEFAULT '',
        disclaimers TEXT NOT NULL DEFAULT '[]',
        UNIQUE (campaign_id, name)
    )""",
    """
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES message_variants(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        evidence_kind TEXT,
        evidence_reference TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX claims_message ON claims (message_id, position)",
    """
    CREATE TABLE marketing_mix (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        p TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        items TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (campaign_id, p)
    )""",
    """
    CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        channel TEXT NOT NULL,
        journey_stage TEXT NOT NULL,
        start_date TEXT,
        end_date TEXT,
        owner TEXT NOT NULL DEFAULT '',
        staff_hours REAL NOT NULL DEFAULT 0,
        planned_cost_minor INTEGER NOT NULL DEFAULT 0 CHECK (planned_cost_minor >= 0),
        segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
        influencer_id INTEGER REFERENCES influencers(id) ON DELETE SET NULL,
        message_id INTEGER REFERENCES message_variants(id) ON DELETE SET NULL,
        description TEXT NOT NULL DEFAULT '',
        UNIQUE (campaign_id, name)
    )""",
    """
    CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL DEFAULT 'increase',
        baseline REAL,
        target REAL,
        data_source TEXT NOT NULL DEFAULT '',
        cadence TEXT NOT NULL DEFAULT 'monthly',
        is_primary INTEGER NOT NULL DEFAULT 0,
        UNIQUE (campaign_id, name)
    )""",
    """
    CREATE TABLE budget_lines (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
        channel TEXT,
        activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,
        note TEXT NOT NULL DEFAULT ''
    )""",
    """
    CREATE TABLE costs (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
        channel TEXT,
        vendor TEXT NOT NULL DEFAULT '',
        activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,
        note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX costs_campaign_date ON costs (campaign_id, date)",
    """
    CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        value REAL NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX results_campaign_measure_date ON results (campaign_id, measure_id, date)",
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        decision TEXT NOT NULL DEFAULT 'pending',
        reviewer TEXT NOT NULL DEFAULT '',
        date TEXT,
        comments TEXT NOT NULL DEFAULT ''
    )""",
]


@_migration(name="0002_brief_renders_and_settings")
def _m0002_brief_renders_and_settings(db: Database) -> None:
    for statement in _SCHEMA_0002:
        db.execute(statement)


_SCHEMA_0002 = [
    # Every exported brief: "what did we send the client, and from which version of the plan?"
    """
    CREATE TABLE brief_renders (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        rendered_at TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('md', 'html', 'pdf')),
        campaign_version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        path TEXT,
        template_dir TEXT
    )""",
    "CREATE INDEX brief_renders_campaign ON brief_renders (campaign_id, rendered_at)",
    # The planner's own settings, such as the folder of a consultant's brief templates.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


@_migration(name="0003_tracking")
def _m0003_tracking(db: Database) -> None:
    for statement in _SCHEMA_0003:
        db.execute(statement)


@functools.lru_cache(maxsize=256)
def _list_style(chosen: str | None, jurisdictions: str, currency: str) -> str:
    """A listed campaign's number style from its row: the one it chose, or the one its
    jurisdictions (as stored, JSON) and currency give."""
    return chosen or default_style(re.findall(r'"(\w+)"', jurisdictions), currency)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_EMPTY_KEY = {"channel": "''", "activity_id": "0"}
_EMPTY_VALUE = {"channel": "", "activity_id": 0}


def _day_literal(today: dt.date | None) -> str:
    """``today`` as the text of an SQL literal ('9999-12-31' without one: every date is on or
    before it). A date's own ISO text holds nothing but digits and dashes."""
    return "9999-12-31" if today is None else today.isoformat()


def _after(row: str, day: str) -> str:
    """SQL: the cost or result ``row`` is dated after ``day`` (its period, if it covers one,
    starts after it). The first test lets the index on the date find them."""
    return f"({row}.date > '{day}' AND COALESCE({row}.period_start, {row}.date) > '{day}')"


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


_SCHEMA_0003 = [
    # Costs and results are not part of the plan: recording them moves this counter, not the
    # plan's version, so a cost typed in one window never makes another window's plan stale.
    "ALTER TABLE campaigns ADD COLUMN tracking_version INTEGER NOT NULL DEFAULT 0",
    # A cost or a result may cover a period: from period_start to date.
    "ALTER TABLE costs ADD COLUMN period_start TEXT",
    "ALTER TABLE results ADD COLUMN period_start TEXT",
    # A cost without a channel spent on its activity's channel.
    """UPDATE costs
       SET channel = (SELECT a.channel FROM activities a WHERE a.id = costs.activity_id)
       WHERE channel IS NULL AND activity_id IS NOT NULL""",
    # Deleting an activity or a measure finds its costs and results by these.
    "CREATE INDEX costs_activity ON costs (activity_id)",
    "CREATE INDEX results_measure ON results (measure_id)",
    # Running totals, kept by triggers in the same transaction as every change to costs and
    # results, so the tracking figures of a campaign with a million costs are read from a few
    # hundred rows. '' stands for no channel and 0 for no activity.
    """
    CREATE TABLE cost_days (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        channel TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        PRIMARY KEY (campaign_id, date, channel)
    ) WITHOUT ROWID""",
    """
    CREATE TABLE cost_totals (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        activity_id INTEGER NOT NULL,
        amount_minor INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        PRIMARY KEY (campaign_id, channel, activity_id)
    ) WITHOUT ROWID""",
    """
    CREATE TABLE result_days (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        total REAL NOT NULL,
        entries INTEGER NOT NULL,
        PRIMARY KEY (campaign_id, measure_id, date)
    ) WITHOUT ROWID""",
    *(statement for rollups in _ROLLUPS.values() for r in rollups for statement in r.triggers()),
    """INSERT INTO cost_days (campaign_id, date, channel, amount_minor, entries)
       SELECT campaign_id, date, COALESCE(channel, ''), SUM(amount_minor), COUNT(*)
       FROM costs GROUP BY 1, 2, 3""",
    """INSERT INTO cost_totals (campaign_id, channel, activity_id, amount_minor, entries)
       SELECT campaign_id, COALESCE(channel, ''), COALESCE(activity_id, 0), SUM(amount_minor),
              COUNT(*)
       FROM costs GROUP BY 1, 2, 3""",
    """INSERT INTO result_days (campaign_id, measure_id, date, total, entries)
       SELECT campaign_id, measure_id, date, SUM(value), COUNT(*) FROM results GROUP BY 1, 2, 3""",
]


@_migration(name="0004_imports")
def _m0004_imports(db: Database) -> None:
    for statement in _SCHEMA_0004:
        db.execute(statement)


_SCHEMA_0004 = [
    # Every imported file: what it was, what it added, and whether it was undone. An import's
    # costs or results were given the row ids first_id to last_id, all in one transaction.
    """
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('costs', 'results')),
        file_name TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        format TEXT NOT NULL,
        rows_read INTEGER NOT NULL DEFAULT 0,
        entries INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        total_minor INTEGER,
        first_id INTEGER,
        last_id INTEGER,
        created_at TEXT NOT NULL,
        undone_at TEXT
    )""",
    "CREATE INDEX imports_campaign ON imports (campaign_id, content_hash)",
    "ALTER TABLE costs ADD COLUMN import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE",
    "ALTER TABLE results ADD COLUMN import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE",
    # Column mappings a user saved to read the next file of the same kind alike.
    """
    CREATE TABLE import_mappings (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('costs', 'results')),
        format TEXT NOT NULL,
        fields TEXT NOT NULL,
        day_first INTEGER,
        row_filter TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
]


@_migration(name="0005_compliance")
def _m0005_compliance(db: Database) -> None:
    for statement in _SCHEMA_0005:
        db.execute(statement)


_SCHEMA_0005 = [
    # What the compliance rules need to know about a campaign, its messages and activities.
    "ALTER TABLE campaigns ADD COLUMN offering TEXT NOT NULL DEFAULT 'service'",
    "ALTER TABLE campaigns ADD COLUMN email_footer TEXT NOT NULL DEFAULT ''",
    # Moves on whenever a message's words change; a sign-off holds the version it was given on.
    "ALTER TABLE campaigns ADD COLUMN message_version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE message_variants ADD COLUMN channel TEXT",
    "ALTER TABLE activities ADD COLUMN list_consent TEXT",
    "ALTER TABLE activities ADD COLUMN health_data_audience INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE reviews ADD COLUMN message_version INTEGER",
    # Sign-offs recorded before versions existed were given on the messages as they are now.
    "UPDATE reviews SET message_version = 1",
    """
    CREATE TABLE testimonials (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES message_variants(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        endorser TEXT NOT NULL DEFAULT '',
        consent_on_file INTEGER NOT NULL DEFAULT 0,
        connection TEXT NOT NULL DEFAULT 'none',
        connection_disclosed INTEGER NOT NULL DEFAULT 0,
        typicality TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX testimonials_message ON testimonials (message_id, position)",
    # A rule turned off for a campaign, with the reason a consultant gave.
    """
    CREATE TABLE rule_waivers (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        rule_id TEXT NOT NULL COLLATE NOCASE,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, rule_id)
    )""",
    # A review finding accepted with a reason, or a confirm item ticked, by the finding's key.
    """
    CREATE TABLE finding_decisions (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'confirmed')),
        reason TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, key)
    )""",
]


@_migration(name="0006_performance")
def _m0006_performance(db: Database) -> None:
    for statement in _SCHEMA_0006:
        db.execute(statement)


_SCHEMA_0006 = [
    # Most costs (every imported one from an ad platform) belong to no activity: they need
    # no entry in the index that finds an activity's costs.
    "DROP INDEX costs_activity",
    "CREATE INDEX costs_activity ON costs (activity_id) WHERE activity_id IS NOT NULL",
    # The Results list pages through a campaign's results newest first.
    "CREATE INDEX results_campaign_date ON results (campaign_id, date)",
]


@_migration(name="0007_primary_measure")
def _m0007_primary_measure(db: Database) -> None:
    # The campaign list finds each campaign's primary measure (the one marked, else the first)
    # with one step down this index instead of sorting the campaign's measures each time.
    db.execute("DROP INDEX measures_campaign")
    db.execute(
        "CREATE INDEX measures_primary ON measures (campaign_id, is_primary DESC, position, id)"
    )


@_migration(name="0008_brief_exports_under_way")
def _m0008_brief_exports_under_way(db: Database) -> None:
    # An export to a file is recorded first as under way (pending = 1), then completed in the
    # transaction that puts the file in place; one cut short is settled when next read.
    db.execute("ALTER TABLE brief_renders ADD COLUMN pending INTEGER NOT NULL DEFAULT 0")


@_migration(name="0009_number_style")
def _m0009_number_style(db: Database) -> None:
    # How the campaign's numbers are typed and shown (a locale such as it_IT); NULL: worked
    # out from its jurisdictions and currency.
    db.execute("ALTER TABLE campaigns ADD COLUMN number_style TEXT")


@_migration(name="0010_revisions")
def _m0010_revisions(db: Database) -> None:
    # Every saved change of a campaign's plan: what it was before and after, so that it can be
    # listed, undone, redone and reverted (see ``Store.revisions``).
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('change', 'undo', 'redo', 'revert')),
            reverses INTEGER REFERENCES revisions(id) ON DELETE SET NULL,
            target TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('set', 'add', 'delete', 'move')),
            label TEXT NOT NULL,
            before TEXT,
            after TEXT
        )"""
    )
    db.execute("CREATE INDEX revisions_campaign ON revisions (campaign_id, id)")


@_migration(name="0011_import_values")
def _m0011_import_values(db: Database) -> None:
    # What a saved mapping reads a file's own words as: {"channel": {"Stampa": "print_mail"}}.
    db.execute("ALTER TABLE import_mappings ADD COLUMN value_map TEXT NOT NULL DEFAULT '{}'")


for _table in (
    "segments",
    "influencers",
    "message_variants",
    "activities",
    "measures",
    "budget_lines",
    "reviews",
):
    _SCHEMA_0001.append(f"CREATE INDEX {_table}_campaign ON {_table} (campaign_id)")


# ---------------------------------------------------------------------------------------------
# How each kind of item maps to its table


@dataclass(frozen=True)
class _Ref:
    """An item's link to another item by name, stored as a row id."""

    field: str  # the model's field, holding a name
    column: str  # the table's column, holding a row id
    table: str  # the table the id points into


@dataclass(frozen=True)
class _Spec:
    """How one kind of item is stored: its table and how fields map to columns."""

    table: str
    model: type[Item]
    json_fields: tuple[str, ...] = ()
    refs: tuple[_Ref, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)  # model field -> column
    ordered: bool = True
    skip: tuple[str, ...] = ()  # fields stored elsewhere

    @functools.cached_property
    def fields_by_column(self) -> dict[str, str]:
        """The model's field stored in each column."""
        return {self.renamed.get(f, f): f for f in self.model.model_fields}


_SEGMENT_REF = _Ref("segment", "segment_id", "segments")
_ACTIVITY_REF = _Ref("activity", "activity_id", "activities")
_MEASURE_REF = _Ref("measure", "measure_id", "measures")


@functools.cache
def _specs() -> dict[type[Item], _Spec]:
    """How each kind of item is stored, as the registry of item kinds says (built on first
    use: it names the models' classes)."""
    tables = {kind.model: kind.table for kind in registry.kinds()}
    return {
        kind.model: _Spec(
            kind.table,
            kind.model,
            json_fields=kind.json_fields,
            refs=tuple(
                _Ref(link.field, link.column, tables[link.target])
                for link in kind.links
                if link.column is not None
            ),
            renamed=kind.renamed,
            ordered=kind.ordered,
            skip=kind.skip,
        )
        for kind in registry.kinds()
    }


@functools.cache
def _campaign_fields() -> list[tuple[str, type[Item]]]:
    """The campaign's list field for each kind, in the order they are written (references
    first)."""
    return [(kind.list_field, kind.model) for kind in registry.kinds()]


_CAMPAIGN_COLUMNS = (
    "name",
    "practice",
    "service_line",
    "prepared_by",
    "objective",
    "desired_behaviour",
    "start_date",
    "end_date",
    "currency",
    "jurisdictions",
    "status",
    "core_message",
    "offering",
    "email_footer",
    "number_style",
)


class SpendTotal(NamedTuple):
    """The costs recorded for one channel and one activity (either may be None)."""

    channel: str | None
    activity: str | None
    amount_minor: int
    entries: int


class DaySpend(NamedTuple):
    date: str
    channel: str | None
    amount_minor: int
    entries: int


class MeasureFigures(NamedTuple):
    """What the results of one measure come to, read from the database in one query.

    ``latest`` is the newest result dated on or after the campaign's start (the newest of all
    when the campaign has no start date), ``before`` the newest dated before the start, and
    ``first`` the earliest on or after it; ``total`` adds up the results from the start on.
    """

    measure_id: int
    measure: str
    count: int
    latest_date: str | None
    latest: float | None
    before_date: str | None
    before: float | None
    first_date: str | None
    first: float | None
    total: float
    months: tuple[tuple[str, float, int], ...] = ()  # (YYYY-MM, sum of results, how many)


class Uncounted(NamedTuple):
    """Costs and results dated after the day the figures are worked out for (their period
    starting after it): stored, but left out of every figure until their day comes."""

    costs: int = 0
    cost_minor: int = 0
    results: int = 0
    first_date: str | None = None  # the earliest of their dates (a period's first day)

    def __bool__(self) -> bool:
        return bool(self.costs or self.results)


class TrackingData(NamedTuple):
    """A campaign's costs and results, aggregated in SQL. With a day to work them out for,
    what is dated after it is left out and counted in ``uncounted``."""

    spend: list[SpendTotal]
    days: list[DaySpend]
    first_date: str | None
    last_date: str | None
    measures: list[MeasureFigures]
    uncounted: Uncounted = Uncounted()

    @property
    def empty(self) -> bool:
        return not self.spend and not any(m.count for m in self.measures) and not self.uncounted


class Page(NamedTuple):
    """One page of a long list: its rows, and how many there are in all."""

    rows: list[Any]
    total: int
    offset: int


class PortfolioRow(NamedTuple):
    """One campaign as the portfolio shows it."""

    campaign: CampaignSummary
    spent_minor: int
    primary: PrimaryMeasure | None
    figures: MeasureFigures | None


class Added(NamedTuple):
    """What ``add_item`` made: the new row's id and the campaign's version after the write."""

    id: int
    version: int


def _spec(model: type[Item]) -> _Spec:
    """How an item of the plan is stored."""
    if issubclass(model, models.Entry):
        raise PlannerError(
            f"A {model.__name__} is recorded with add_entry, not as a part of the plan."
        )
    try:
        return _specs()[model]
    except KeyError:
        raise PlannerError(
            f"A {model.__name__} is saved as part of the item it belongs to, not on its own."
        ) from None


def _entry_spec(entry: Entry | type[Entry]) -> _Spec:
    """How a cost or a result is stored."""
    model = entry if isinstance(entry, type) else type(entry)
    if model not in (models.Cost, models.Result):
        raise PlannerError(f"A {model.__name__} is not a cost or a result.")
    return _specs()[model]


def _noun(spec: _Spec) -> str:
    return {"costs": "cost", "results": "result"}[spec.table]


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


# ---------------------------------------------------------------------------------------------
# The store


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
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
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


class Store:
    """The planner's database. Use ``Store.open(path)``; close it with ``close()``."""

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

    # Opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
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
                conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, factory=Tracked)
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
    ) -> Store:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")
        if path is not None and not read_only:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
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
        if applied and self.path is not None:
            self.backup_before_upgrade(sorted(applied)[-1])
        _migrations().apply(self.db)

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

    def reader(self) -> Store:
        """A second, read-only connection to this database, for reading in another thread
        (a connection belongs to the thread that opened it): open it in that thread. Not for
        a database in memory, which has no other connection."""
        if self.path is None:
            raise DatabaseError("A database in memory cannot be read from another thread.")
        return Store(_read_only(self.path), self.path, read_only=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_guarded
    def schema_version(self) -> str:
        applied = self._applied_migrations()
        return applied[-1] if applied else ""

    # Transactions -------------------------------------------------------------------------

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
        row = self.conn.execute(
            "SELECT version FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(self._no_campaign(campaign_id))
        return row[0]

    def _no_campaign(self, campaign_id: int) -> str:
        listing = command(self.path, "list", "--all")
        return f"There is no campaign {campaign_id}; run '{listing}' to see the ids."

    # Campaigns ----------------------------------------------------------------------------

    @_guarded
    def create_campaign(self, campaign: Campaign) -> int:
        """Save a whole campaign as a new one, in one transaction; returns its id."""
        campaign = models.Campaign.model_validate(campaign.model_dump())
        now = _now()
        with self._write():
            row = {col: _to_db(getattr(campaign, col)) for col in _CAMPAIGN_COLUMNS}
            row.update(
                version=1,
                created_at=now,
                updated_at=now,
                message_version=campaign.message_version,
            )
            cur = self.conn.execute(
                f"INSERT INTO campaigns ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            campaign_id = cur.lastrowid
            self._write_mix(campaign_id, campaign.mix)
            names: dict[str, dict[str, int]] = {}
            for list_field, model in _campaign_fields():
                spec = _specs()[model]
                ids = names.setdefault(spec.table, {})
                for position, item in enumerate(getattr(campaign, list_field)):
                    item_id = self._insert_item(campaign_id, item, position, names)
                    if hasattr(item, "name"):
                        ids[item.name.casefold()] = item_id
            for waiver in campaign.disabled_rules:
                self._write_waiver(campaign_id, waiver)
            for decision in campaign.finding_decisions:
                self._write_decision(campaign_id, decision)
        return campaign_id

    def _write_mix(self, campaign_id: int, mix: MarketingMix) -> None:
        for p, element in mix.elements():
            self._write_mix_element(campaign_id, p, element)

    def _write_mix_element(self, campaign_id: int, p: MixP, element: MixElement) -> None:
        self.conn.execute(
            "INSERT INTO marketing_mix (campaign_id, p, description, items) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, p) DO UPDATE SET "
            "description = excluded.description, items = excluded.items",
            [campaign_id, p.value, element.description, _to_db(element.items)],
        )

    def _resolve(
        self, campaign_id: int, ref: _Ref, name: str | None, cache: dict[str, dict[str, int]]
    ) -> int | None:
        """The row id of the item called ``name`` (in any case) in this campaign."""
        if name is None:
            return None
        known = cache.get(ref.table)
        if known is None or name.casefold() not in known:
            known = {
                row_name.casefold(): row_id
                for row_id, row_name in self.conn.execute(
                    f"SELECT id, name FROM {ref.table} WHERE campaign_id = ?", [campaign_id]
                )
            }
            cache[ref.table] = known
        if name.casefold() not in known:
            noun = ref.field.replace("_", " ")
            plural = plural_of(noun)
            names = [
                row[0]
                for row in self.conn.execute(
                    f"SELECT name FROM {ref.table} WHERE campaign_id = ? ORDER BY position, id",
                    [campaign_id],
                )
            ]
            if not names:
                hint = f"it has no {noun} yet"
            elif len(names) <= 12:
                hint = f"its {plural} are: " + ", ".join(f"'{n}'" for n in names)
            else:
                hint = f"it has {len(names)} {plural}, such as " + ", ".join(
                    f"'{n}'" for n in names[:5]
                )
            raise PlannerError(f"There is no {noun} called '{name}' in this campaign; {hint}.")
        return known[name.casefold()]

    def _item_row(
        self, campaign_id: int, item: Item, cache: dict[str, dict[str, int]]
    ) -> dict[str, Any]:
        spec = _specs()[type(item)]
        row: dict[str, Any] = {"campaign_id": campaign_id}
        ref_fields = {ref.field for ref in spec.refs}
        for name in type(item).model_fields:
            if name == "id" or name in spec.skip or name in ref_fields:
                continue
            row[spec.renamed.get(name, name)] = _to_db(getattr(item, name))
        for ref in spec.refs:
            row[ref.column] = self._resolve(campaign_id, ref, getattr(item, ref.field), cache)
        if spec.model is models.Cost and row["channel"] is None and row["activity_id"] is not None:
            (row["channel"],) = self.conn.execute(
                "SELECT channel FROM activities WHERE id = ?", [row["activity_id"]]
            ).fetchone()
        return row

    def _insert_item(
        self,
        campaign_id: int,
        item: Item,
        position: int | None,
        cache: dict[str, dict[str, int]],
        item_id: int | None = None,
    ) -> int:
        """Insert an item (as row ``item_id`` when given: an item brought back keeps its id)."""
        spec = _specs()[type(item)]
        row = self._item_row(campaign_id, item, cache)
        if item_id is not None:
            row["id"] = item_id
        if spec.ordered:
            if position is None:
                position = self.conn.execute(
                    f"SELECT COALESCE(MAX(position) + 1, 0) FROM {spec.table} "
                    "WHERE campaign_id = ?",
                    [campaign_id],
                ).fetchone()[0]
            row["position"] = position
        cur = self.conn.execute(
            f"INSERT INTO {spec.table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        item_id = cur.lastrowid
        self._write_children(campaign_id, item_id, item, cache)
        return item_id

    def _write_children(
        self, campaign_id: int, item_id: int, item: Item, cache: dict[str, dict[str, int]]
    ) -> None:
        if isinstance(item, models.Influencer):
            self.conn.execute("DELETE FROM influencer_segments WHERE influencer_id = ?", [item_id])
            for name in item.segments:
                segment_id = self._resolve(campaign_id, _SEGMENT_REF, name, cache)
                self.conn.execute(
                    "INSERT OR IGNORE INTO influencer_segments (influencer_id, segment_id) "
                    "VALUES (?, ?)",
                    [item_id, segment_id],
                )
        elif isinstance(item, models.MessageVariant):
            self.conn.execute("DELETE FROM claims WHERE message_id = ?", [item_id])
            for position, claim in enumerate(item.claims):
                self.conn.execute(
                    "INSERT INTO claims (message_id, position, text, evidence_kind, "
                    "evidence_reference) VALUES (?, ?, ?, ?, ?)",
                    [
                        item_id,
                        position,
                        claim.text,
                        _to_db(claim.evidence_kind),
                        claim.evidence_reference,
                    ],
                )
            self.conn.execute("DELETE FROM testimonials WHERE message_id = ?", [item_id])
            for position, said in enumerate(item.testimonials):
                self.conn.execute(
                    "INSERT INTO testimonials (message_id, position, text, endorser, "
                    "consent_on_file, connection, connection_disclosed, typicality) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        item_id,
                        position,
                        said.text,
                        said.endorser,
                        said.consent_on_file,
                        said.connection.value,
                        said.connection_disclosed,
                        said.typicality,
                    ],
                )

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
    def get_campaign(self, campaign_id: int, *, tracking: bool = True) -> Campaign:
        """The whole campaign; ``tracking=False`` leaves out costs and results."""
        with self._read():
            try:
                return self._load_campaign(campaign_id, tracking)
            except (json.JSONDecodeError, KeyError, TypeError):
                detail = "a list column does not hold valid JSON"
            except Exception as exc:
                if not is_validation_error(exc):
                    raise
                detail = describe_validation_error(exc)  # type: ignore[arg-type]
            raise DatabaseError(
                f"Campaign {campaign_id} in the database holds a value the planner cannot "
                f"read ({detail.rstrip('.')}); correct it in the file or restore a backup."
            ) from None

    def _load_campaign(self, campaign_id: int, tracking: bool) -> Campaign:
        row = self.conn.execute("SELECT * FROM campaigns WHERE id = ?", [campaign_id]).fetchone()
        if row is None:
            raise NotFoundError(self._no_campaign(campaign_id))
        cols = [d[0] for d in self.conn.execute("SELECT * FROM campaigns LIMIT 0").description]
        record = dict(zip(cols, row, strict=True))
        data: dict[str, Any] = {col: record[col] for col in _CAMPAIGN_COLUMNS}
        data["jurisdictions"] = json.loads(record["jurisdictions"])
        data.update(
            id=record["id"],
            version=record["version"],
            archived=record["archived_at"] is not None,
            message_version=record["message_version"],
        )
        data["disabled_rules"] = list(
            self._query(
                "SELECT rule_id, reason, created_at FROM rule_waivers WHERE campaign_id = ? "
                "ORDER BY rule_id",
                [campaign_id],
            )
        )
        data["finding_decisions"] = list(
            self._query(
                "SELECT key, rule_id, decision, reason, name, created_at FROM finding_decisions "
                "WHERE campaign_id = ? ORDER BY created_at, key",
                [campaign_id],
            )
        )
        data["mix"] = {
            p: {"description": d, "items": json.loads(items)}
            for p, d, items in self.conn.execute(
                "SELECT p, description, items FROM marketing_mix WHERE campaign_id = ?",
                [campaign_id],
            )
        }
        names: dict[str, dict[int, str]] = {}
        for list_field, model in _campaign_fields():
            if not tracking and model in (models.Cost, models.Result):
                data[list_field] = []
                continue
            spec = _specs()[model]
            items = [self._item_from_row(spec, r, names) for r in self._rows(spec, campaign_id)]
            names[spec.table] = {item["id"]: item["name"] for item in items if "name" in item}
            data[list_field] = items
        return models.Campaign.model_validate(data)

    def _rows(self, spec: _Spec, campaign_id: int) -> Iterator[dict[str, Any]]:
        order = "position, id" if spec.ordered else "id"
        yield from self._query(
            f"SELECT * FROM {spec.table} WHERE campaign_id = ? ORDER BY {order}", [campaign_id]
        )

    def _item_from_row(
        self, spec: _Spec, row: dict[str, Any], names: dict[str, dict[int, str]]
    ) -> dict[str, Any]:
        data: dict[str, Any] = {}
        columns = spec.fields_by_column
        for column, value in row.items():
            field_name = columns.get(column)
            if field_name is None:
                continue
            if field_name in spec.json_fields:
                value = json.loads(value)
            data[field_name] = value
        for ref in spec.refs:
            ref_id = row[ref.column]
            data[ref.field] = None if ref_id is None else names[ref.table][ref_id]
        if spec.model is models.Influencer:
            data["segments"] = [
                names["segments"][seg_id]
                for (seg_id,) in self.conn.execute(
                    "SELECT s.id FROM influencer_segments i JOIN segments s "
                    "ON s.id = i.segment_id WHERE i.influencer_id = ? ORDER BY i.rowid",
                    [row["id"]],
                )
            ]
        elif spec.model is models.MessageVariant:
            data["claims"] = [
                models.Claim(
                    id=claim["id"],
                    text=claim["text"],
                    evidence_kind=claim["evidence_kind"],
                    evidence_reference=claim["evidence_reference"],
                )
                for claim in self._query(
                    "SELECT * FROM claims WHERE message_id = ? ORDER BY position, id",
                    [row["id"]],
                )
            ]
            data["testimonials"] = [
                models.Testimonial(
                    id=said["id"],
                    text=said["text"],
                    endorser=said["endorser"],
                    consent_on_file=bool(said["consent_on_file"]),
                    connection=said["connection"],
                    connection_disclosed=bool(said["connection_disclosed"]),
                    typicality=said["typicality"],
                )
                for said in self._query(
                    "SELECT * FROM testimonials WHERE message_id = ? ORDER BY position, id",
                    [row["id"]],
                )
            ]
        return data

    @_guarded
    def tracking_data(
        self, campaign_id: int, *, today: dt.date | None = None
    ) -> tuple[Campaign, TrackingData]:
        """The plan (without its costs and results) and what its costs and results add up
        to, read in one snapshot so that they agree: the figures the brief, the report and the
        tracking screen show. Costs and results dated after ``today`` are left out and
        counted apart; without ``today`` everything is counted."""
        with self._read():
            campaign = self.get_campaign(campaign_id, tracking=False)
            return campaign, self._tracking_data(campaign_id, campaign.start_date, today)

    def _tracking_data(
        self, campaign_id: int, start: dt.date | None, today: dt.date | None = None
    ) -> TrackingData:
        day = _day_literal(today)
        later = _after("c", day)
        spend_rows: dict[tuple[str, int], list[Any]] = {}
        names: dict[int, str | None] = {}
        for channel, activity_id, name, amount, entries in self.conn.execute(
            """SELECT t.channel, t.activity_id, a.name, t.amount_minor, t.entries
               FROM cost_totals t LEFT JOIN activities a ON a.id = t.activity_id
               WHERE t.campaign_id = ?
               ORDER BY a.position IS NULL, a.position, t.channel""",
            [campaign_id],
        ):
            spend_rows[(channel, activity_id)] = [amount, entries]
            names[activity_id] = name
        # The costs dated after today come off the running totals (there are few: the index
        # on the date finds them).
        for channel, activity_id, amount, entries in self.conn.execute(
            f"""SELECT COALESCE(c.channel, ''), COALESCE(c.activity_id, 0), SUM(c.amount_minor),
                       COUNT(*)
                FROM costs c WHERE c.campaign_id = ? AND {later} GROUP BY 1, 2""",
            [campaign_id],
        ):
            kept = spend_rows[(channel, activity_id)]
            kept[0] -= amount
            kept[1] -= entries
        spend = [
            SpendTotal(channel or None, names[activity_id], amount, entries)
            for (channel, activity_id), (amount, entries) in spend_rows.items()
            if entries
        ]
        days = [
            DaySpend(date, channel or None, amount, entries)
            for date, channel, amount, entries in self.conn.execute(
                f"""SELECT date, channel, amount_minor, entries FROM cost_days
                    WHERE campaign_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT c.date, COALESCE(c.channel, ''), SUM(c.amount_minor), COUNT(*)
                    FROM costs c WHERE c.campaign_id = ? AND c.date > '{day}' AND NOT {later}
                    GROUP BY 1, 2
                    ORDER BY 1, 2""",
                [campaign_id, campaign_id],
            )
        ]
        first = days[0].date if days else None
        last = days[-1].date if days else None
        measures = self._measure_figures("m.campaign_id = ?", [campaign_id], start, today)
        months: dict[int, list[tuple[str, float, int]]] = {}
        for measure_id, month, total, entries in self.conn.execute(
            f"""SELECT measure_id, substr(date, 1, 7), SUM(total), SUM(entries) FROM (
                    SELECT measure_id, date, total, entries FROM result_days
                    WHERE campaign_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT r.measure_id, r.date, r.value, 1 FROM results r
                    WHERE r.campaign_id = ? AND r.date > '{day}' AND NOT {_after("r", day)}
                ) GROUP BY 1, 2 ORDER BY 1, 2""",
            [campaign_id, campaign_id],
        ):
            months.setdefault(measure_id, []).append((month, total, entries))
        measures = [m._replace(months=tuple(months.get(m.measure_id, ()))) for m in measures]
        return TrackingData(spend, days, first, last, measures, self._uncounted(campaign_id, day))

    def _uncounted(self, campaign_id: int, day: str) -> Uncounted:
        """The costs and results of a campaign dated after ``day``."""
        costs, minor, first_cost = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(c.amount_minor), 0), "
            "MIN(COALESCE(c.period_start, c.date)) "
            f"FROM costs c WHERE c.campaign_id = ? AND {_after('c', day)}",
            [campaign_id],
        ).fetchone()
        results, first_result = self.conn.execute(
            "SELECT COUNT(*), MIN(COALESCE(r.period_start, r.date)) "
            f"FROM results r WHERE r.campaign_id = ? AND {_after('r', day)}",
            [campaign_id],
        ).fetchone()
        firsts = [d for d in (first_cost, first_result) if d]
        return Uncounted(costs, minor, results, min(firsts) if firsts else None)

    def _measure_figures(
        self,
        where: str,
        params: list[Any],
        start: dt.date | None = None,
        today: dt.date | None = None,
    ) -> list[MeasureFigures]:
        """The figures of the measures matched by ``where`` (over ``measures m`` joined with
        ``campaigns c``); each measure's campaign start date splits before from after, and
        results dated after ``today`` are left out."""
        return [
            MeasureFigures(*row) for row in self._figures_rows(where, params, today=today)
        ]

    def _figures_rows(
        self, where: str, params: list[Any], measure: str = "", *, today: dt.date | None = None
    ) -> sqlite3.Cursor:
        """The rows of ``MeasureFigures`` for the measures matched by ``where``, each after
        the columns of ``measures m`` named in ``measure`` (``"m.unit, "``). Results dated
        after ``today`` are left out: the running totals up to it, and the few results past
        it whose period has begun."""
        day = _day_literal(today)
        counted = f"NOT {_after('r', day)}"

        def pick(condition: str, order: str) -> str:
            return (
                "(SELECT r.id FROM results r WHERE r.campaign_id = m.campaign_id "
                f"AND r.measure_id = m.id AND {condition} AND {counted} "
                f"ORDER BY {order} LIMIT 1)"
            )

        def since_today(what: str, condition: str = "1") -> str:
            return (
                f"(SELECT {what} FROM results r WHERE r.campaign_id = m.campaign_id "
                f"AND r.measure_id = m.id AND r.date > '{day}' AND {counted} AND {condition})"
            )

        on_or_after = "r.date >= COALESCE(c.start_date, '')"
        picked = measure.replace("m.", "p.")
        return self.conn.execute(
            f"""WITH picked AS (
                    SELECT {measure}m.id, m.name, m.campaign_id, m.position,
                        COALESCE((SELECT SUM(d.entries) FROM result_days d
                         WHERE d.campaign_id = m.campaign_id AND d.measure_id = m.id
                           AND d.date <= '{day}'), 0) + {since_today("COUNT(*)")} AS n,
                        COALESCE((SELECT SUM(d.total) FROM result_days d
                         WHERE d.campaign_id = m.campaign_id AND d.measure_id = m.id
                           AND d.date >= COALESCE(c.start_date, '') AND d.date <= '{day}'), 0)
                          + COALESCE({since_today("SUM(r.value)", on_or_after)}, 0) AS total,
                        {pick(on_or_after, "r.date DESC, r.id DESC")} AS latest_id,
                        {pick("r.date < COALESCE(c.start_date, '')", "r.date DESC, r.id DESC")}
                            AS before_id,
                        {pick(on_or_after, "r.date, r.id")} AS first_id
                    FROM measures m JOIN campaigns c ON c.id = m.campaign_id
                    WHERE {where}
                )
                SELECT {picked}p.id, p.name, COALESCE(p.n, 0), l.date, l.value, b.date, b.value,
                       f.date, f.value, COALESCE(p.total, 0)
                FROM picked p
                LEFT JOIN results l ON l.id = p.latest_id
                LEFT JOIN results b ON b.id = p.before_id
                LEFT JOIN results f ON f.id = p.first_id
                ORDER BY p.campaign_id, p.position, p.id""",
            params,
        )

    @_guarded
    def measure_days(
        self, campaign_id: int, measure: str, *, today: dt.date | None = None
    ) -> list[tuple[str, float, int]]:
        """A measure's results by day: (date, sum of that day's results, how many); those
        dated after ``today`` left out."""
        measure_id = self._resolve(campaign_id, _MEASURE_REF, measure, {})
        day = _day_literal(today)
        return [
            tuple(row)
            for row in self.conn.execute(
                f"""SELECT date, total, entries FROM result_days
                    WHERE campaign_id = ? AND measure_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT r.date, SUM(r.value), COUNT(*) FROM results r
                    WHERE r.campaign_id = ? AND r.measure_id = ? AND r.date > '{day}'
                      AND NOT {_after("r", day)}
                    GROUP BY 1
                    ORDER BY 1""",
                [campaign_id, measure_id, campaign_id, measure_id],
            )
        ]

    @_guarded
    def portfolio(
        self, *, include_archived: bool = False, today: dt.date | None = None
    ) -> list[PortfolioRow]:
        """Every campaign with what it has spent and its primary measure's figures (what is
        dated after ``today`` left out)."""
        return self.portfolio_of(
            self.list_campaigns(include_archived=include_archived), today=today
        )

    @_guarded
    def portfolio_of(
        self, summaries: list[CampaignSummary], *, today: dt.date | None = None
    ) -> list[PortfolioRow]:
        """These campaigns (as ``list_campaigns`` read them) with what each has spent and its
        primary measure's figures: the home screen reads a page at a time. Costs and results
        dated after ``today`` are left out."""
        day = _day_literal(today)
        spent: dict[int, int] = {}
        measures: dict[int, PrimaryMeasure] = {}
        figures: dict[int, MeasureFigures] = {}
        categories = {c.value: c for c in MeasureCategory}
        directions = {d.value: d for d in Direction}
        for chunk in _chunks([s.id for s in summaries], 500):
            marks = ", ".join("?" for _ in chunk)
            spent.update(
                self.conn.execute(
                    "SELECT campaign_id, SUM(amount_minor) FROM cost_totals "
                    f"WHERE campaign_id IN ({marks}) GROUP BY campaign_id",
                    chunk,
                )
            )
            for campaign_id, later in self.conn.execute(
                "SELECT c.campaign_id, SUM(c.amount_minor) FROM costs c "
                f"WHERE c.campaign_id IN ({marks}) AND {_after('c', day)} GROUP BY 1",
                chunk,
            ):
                spent[campaign_id] -= later
            # Each campaign's primary measure (the one marked, else the first) with its
            # figures, in one query. The rows were checked when they were written: read as
            # plain records, without the models (the list is the first thing that shows).
            for row in self._figures_rows(
                f"c.id IN ({marks}) AND m.id = (SELECT p.id FROM measures p "
                "WHERE p.campaign_id = c.id ORDER BY p.is_primary DESC, p.position, p.id "
                "LIMIT 1)",
                chunk,
                "m.campaign_id, m.category, m.unit, m.direction, m.baseline, m.target, ",
                today=today,
            ):
                campaign_id, category, unit, direction, baseline, target = row[:6]
                found = MeasureFigures(*row[6:])
                figures[campaign_id] = found
                measures[campaign_id] = PrimaryMeasure(
                    found.measure_id,
                    found.measure,
                    categories[category],
                    unit,
                    directions[direction],
                    baseline,
                    target,
                )
        return [
            PortfolioRow(s, spent.get(s.id, 0), measures.get(s.id), figures.get(s.id))
            for s in summaries
        ]

    # Costs and results ----------------------------------------------------------------------

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

    def _iter_entries(
        self, spec: _Spec, campaign_id: int, where: str, params: list[Any]
    ) -> Iterator[Entry]:
        """The entries, a batch read at a time as the caller asks for them: after
        ``iter_entries`` has returned, so its SQLite errors are told here."""
        last: tuple[str, int] = ("", 0)
        while True:
            try:
                rows = list(
                    self._query(
                        f"SELECT * FROM {spec.table} WHERE {where} AND (date, id) > (?, ?) "
                        "ORDER BY date, id LIMIT 1000",
                        [*params, *last],
                    )
                )
                entries = self._entries(spec, campaign_id, rows)
            except sqlite3.Error as exc:
                raise DatabaseError(explain_sqlite_error(exc, self.path)) from None
            if not rows:
                return
            yield from entries
            last = (rows[-1]["date"], rows[-1]["id"])

    def _entries(self, spec: _Spec, campaign_id: int, rows: list[dict[str, Any]]) -> list[Entry]:
        names = {
            ref.table: dict(
                self.conn.execute(
                    f"SELECT id, name FROM {ref.table} WHERE campaign_id = ?", [campaign_id]
                ).fetchall()
            )
            for ref in spec.refs
        }
        return [
            spec.model.model_validate(self._item_from_row(spec, row, names) | {"id": row["id"]})
            for row in rows
        ]

    @_guarded
    def tracking_version(self, campaign_id: int) -> tuple[int, int]:
        """The plan's version and the costs-and-results counter: cheap enough to poll."""
        row = self.conn.execute(
            "SELECT version, tracking_version FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()
        if row is None:
            self._version(campaign_id)  # raises: no such campaign
        return row[0], row[1]

    # Imports --------------------------------------------------------------------------------

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
        import_id: int,
        sums: dict[tuple[Any, ...], list[Any]],
    ) -> Iterator[tuple[Any, ...]]:
        """The costs table's rows: each activity's name becomes its id, and a cost with no
        channel of its own takes its activity's. Their amounts are summed into ``sums`` by
        date, channel and activity as they go by."""
        cache: dict[str, dict[str, int]] = {}
        channels = dict(
            self.conn.execute(
                "SELECT id, channel FROM activities WHERE campaign_id = ?", [campaign_id]
            ).fetchall()
        )
        activity_id = None
        for day, start, minor, channel, vendor, activity, note in rows:
            if activity is not None:
                activity_id = self._resolve(campaign_id, _ACTIVITY_REF, activity, cache)
                channel = channel or channels.get(activity_id)
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
        import_id: int,
        sums: dict[tuple[Any, ...], list[Any]],
    ) -> Iterator[tuple[Any, ...]]:
        cache: dict[str, dict[str, int]] = {}
        for measure, day, start, value, source, note in rows:
            measure_id = self._resolve(campaign_id, _MEASURE_REF, measure, cache)
            key = (measure_id, day)
            found = sums.get(key)
            if found is None:
                sums[key] = [value, 1]
            else:
                found[0] += value
                found[1] += 1
            yield campaign_id, measure_id, day, start, value, source, note, import_id

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
        self.conn.execute("PRAGMA cache_size = -65536")
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

    # Brief history and settings -------------------------------------------------------------

    @_guarded
    def begin_render(self, render: BriefRender) -> int:
        """Record an exported brief as under way, before its file is put in place (see
        ``finish_render``): a process killed in between leaves a record that
        ``list_renders`` settles. Takes the write lock, so a busy database refuses the export
        before anything is written. History is not part of the plan: no version bump. Returns
        the record's id."""
        with self._write():
            return self._insert_render(render, pending=True)

    @_guarded
    def finish_render(
        self,
        render_id: int,
        render: BriefRender,
        *,
        place: Callable[[], None] = lambda: None,
        undo: Callable[[], None] = lambda: None,
    ) -> int:
        """Complete an export begun with ``begin_render``, in one transaction that holds the
        write lock while ``place()`` puts the brief where it goes: the record and the file go
        together. If the transaction fails, ``undo()`` takes the file back before the lock is
        let go. Returns the record's id: a new one if a reader settled the record away while
        the file was not yet there."""
        with self._write(undo=undo):
            done = self.conn.execute(
                "UPDATE brief_renders SET pending = 0 WHERE id = ? AND pending = 1", [render_id]
            )
            if done.rowcount == 0:
                render_id = self._insert_render(render, pending=False)
            place()
        return render_id

    @_guarded
    def drop_render(self, render_id: int) -> None:
        """Forget an export that was begun but not done."""
        with self._write():
            self.conn.execute("DELETE FROM brief_renders WHERE id = ? AND pending = 1", [render_id])

    def _insert_render(self, render: BriefRender, *, pending: bool) -> int:
        render = models.BriefRender.model_validate(render.model_dump())
        row = render.model_dump(mode="json", exclude={"id"})
        row["pending"] = int(pending)
        self._version(render.campaign_id)
        cur = self.conn.execute(
            f"INSERT INTO brief_renders ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        return cur.lastrowid

    @_guarded
    def list_renders(
        self, campaign_id: int, *, settle: Callable[[BriefRender], bool] | None = None
    ) -> list[BriefRender]:
        """The campaign's exported briefs, newest first. An export still recorded as under
        way (its process was killed, or is still at work) is left out, unless ``settle`` says
        it was done (its file is in place): then it is kept, and the answer saved when the
        database can be written."""
        self._version(campaign_id)
        renders = self._renders(campaign_id)
        pending = [r for r, under_way in renders if under_way]
        if pending and settle is not None and not self.read_only:
            try:
                self._settle_renders(campaign_id, settle)
            except (sqlite3.Error, DatabaseError):
                pass  # busy, or read-only after all: settled below for this answer only
            else:
                renders = self._renders(campaign_id)
                pending = []
        done = {r.id for r in pending if settle is not None and settle(r)}
        return [r for r, under_way in renders if not under_way or r.id in done]

    def _settle_renders(self, campaign_id: int, settle: Callable[[BriefRender], bool]) -> None:
        """Decide each export under way, holding the write lock: an export in progress
        elsewhere cannot move on in between."""
        with self._write():
            for render, under_way in self._renders(campaign_id):
                if not under_way:
                    continue
                self.conn.execute(
                    "UPDATE brief_renders SET pending = 0 WHERE id = ? AND pending = 1"
                    if settle(render)
                    else "DELETE FROM brief_renders WHERE id = ? AND pending = 1",
                    [render.id],
                )

    def _renders(self, campaign_id: int) -> list[tuple[BriefRender, bool]]:
        """The campaign's export records, newest first, each with whether it is under way."""
        found = []
        for row in self._query(
            "SELECT * FROM brief_renders WHERE campaign_id = ? ORDER BY rendered_at DESC, id DESC",
            [campaign_id],
        ):
            under_way = bool(row.pop("pending"))
            found.append((models.BriefRender.model_validate(row), under_way))
        return found

    @_guarded
    def get_setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    @_guarded
    def set_setting(self, key: str, value: str | None) -> None:
        """Save a setting; ``None`` removes it."""
        with self._write():
            if value is None:
                self.conn.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

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

    @_guarded
    def list_campaigns(
        self, *, include_archived: bool = False, limit: int | None = None
    ) -> list[CampaignSummary]:
        """The campaigns in the list's order (by name, the archived last), or the first
        ``limit`` of them."""
        where = "" if include_archived else "WHERE c.archived_at IS NULL"
        # In the order of CampaignSummary's fields. The rows were checked when they were
        # written: a list of two thousand campaigns is read without checking each again.
        rows = self.conn.execute(
            f"""SELECT c.id, c.name, COALESCE(c.practice, ''), c.status, c.start_date,
                       c.end_date, c.currency,
                       COALESCE((SELECT SUM(b.amount_minor) FROM budget_lines b
                                 WHERE b.campaign_id = c.id), 0),
                       c.archived_at IS NOT NULL, c.version, COALESCE(c.updated_at, ''),
                       c.number_style, c.jurisdictions
                FROM campaigns c
                {where}
                ORDER BY c.archived_at IS NOT NULL, c.name COLLATE NOCASE, c.id
                LIMIT ?""",
            [-1 if limit is None else limit],
        )
        status = {s.value: s for s in CampaignStatus}
        day = _day
        style = _list_style
        return [
            CampaignSummary(
                i, n, p, status[st], day(sd), day(ed), cur, b, bool(a), v, u, style(ns, j, cur)
            )
            for i, n, p, st, sd, ed, cur, b, a, v, u, ns, j in rows
        ]

    @_guarded
    def count_campaigns(self, *, include_archived: bool = True) -> int:
        where = "" if include_archived else " WHERE archived_at IS NULL"
        return self.conn.execute(f"SELECT COUNT(*) FROM campaigns{where}").fetchone()[0]

    @_guarded
    def set_archived(
        self, campaign_id: int, archived: bool, *, expected_version: int | None = None
    ) -> int:
        """Archive (a soft delete that can be undone) or unarchive; returns the new version."""
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self.conn.execute(
                "UPDATE campaigns SET archived_at = ? WHERE id = ?",
                [_now() if archived else None, campaign_id],
            )
        return version

    @_guarded
    def update_campaign(
        self, campaign_id: int, changes: dict[str, Any], *, expected_version: int | None
    ) -> int:
        """Change overview fields (name, dates, status, ...); validated as a whole campaign."""
        unknown = set(changes) - set(_CAMPAIGN_COLUMNS)
        if unknown:
            raise PlannerError(f"A campaign has no field called {sorted(unknown)[0]!r}.")
        with self._write():
            current = self.get_campaign(campaign_id, tracking=False)
            updated = models.Campaign.model_validate(
                {**current.model_dump(), **changes, "costs": [], "results": []}
            )
            self._check_currency_change(campaign_id, current.currency, updated.currency)
            if (
                updated.status is CampaignStatus.APPROVED
                and current.status is not CampaignStatus.APPROVED
            ):
                self._check_approval(updated)
            version = self._bump(campaign_id, expected_version)
            before = self._message_fingerprint(campaign_id, "core_message" in changes)
            assignments = ", ".join(f"{col} = ?" for col in changes)
            self.conn.execute(
                f"UPDATE campaigns SET {assignments} WHERE id = ?",
                [_to_db(getattr(updated, col)) for col in changes] + [campaign_id],
            )
            self._messages_written(campaign_id, before, "core_message" in changes)
            old, new = current.model_dump(mode="json"), updated.model_dump(mode="json")
            fields = [c for c in _CAMPAIGN_COLUMNS if c in changes and old[c] != new[c]]
            self._record(
                campaign_id,
                version,
                "campaign",
                "set",
                ", ".join(field_label(col, first=True) for col in fields),
                {col: old[col] for col in fields},
                {col: new[col] for col in fields},
            )
        return version

    def _check_approval(self, campaign: Campaign) -> None:
        """Refuse to approve a campaign while the compliance review says it is not ready."""
        from planner.compliance import approval_problems  # only when approving

        problems = approval_problems(campaign, self.rules())
        if problems:
            raise PlannerError("The campaign cannot be approved yet: " + "; ".join(problems) + ".")

    def rules(self) -> RuleSet:
        """The shipped compliance rules, with the packs of the folder the user chose."""
        from planner.compliance import load_rules

        return load_rules(self._rules_dir())

    def _rules_dir(self) -> Path | None:
        folder = self.get_setting(RULES_DIR_SETTING)
        return Path(folder) if folder else None

    # Messages and sign-offs ---------------------------------------------------------------

    def _message_version(self, campaign_id: int) -> int:
        row = self.conn.execute(
            "SELECT message_version FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()
        return row[0] if row else 1

    def _message_fingerprint(self, campaign_id: int, what: Any) -> str | None:
        """The words of every message of the campaign as one string, when a write of ``what``
        (an item, a model or a flag) may change them; None when it cannot."""
        variant = models.MessageVariant
        touches = what is True or what is variant or isinstance(what, variant)
        if not touches:
            return None
        parts: list[Any] = [
            self.conn.execute(
                "SELECT core_message FROM campaigns WHERE id = ?", [campaign_id]
            ).fetchone()
        ]
        for table, columns in (
            (
                "message_variants",
                "m.name, m.segment_id, m.channel, m.headline, m.body, "
                "m.call_to_action, m.disclaimers, ''",
            ),
            (
                "claims",
                "m.name, c.text, c.evidence_kind, c.evidence_reference, c.position, '', '', ''",
            ),
            (
                "testimonials",
                "m.name, c.text, c.endorser, c.consent_on_file, c.connection, "
                "c.connection_disclosed, c.typicality, c.position",
            ),
        ):
            join = "" if table == "message_variants" else f"JOIN {table} c ON c.message_id = m.id"
            parts += self.conn.execute(
                f"SELECT {columns} FROM message_variants m {join} "
                "WHERE m.campaign_id = ? ORDER BY 1, 2, 3, 4, 5",
                [campaign_id],
            ).fetchall()
        return json.dumps(parts, default=str)

    def _messages_written(self, campaign_id: int, before: str | None, what: Any) -> None:
        """After a write: when the messages' words changed, move the message version on (which
        withdraws the sign-offs given before) and take an approved campaign back to review."""
        if before is None or self._message_fingerprint(campaign_id, what) == before:
            return
        self.conn.execute(
            "UPDATE campaigns SET message_version = message_version + 1, "
            "status = CASE status WHEN 'approved' THEN 'in_review' ELSE status END "
            "WHERE id = ?",
            [campaign_id],
        )

    @_guarded
    def disable_rule(
        self, campaign_id: int, rule_id: str, reason: str, *, expected_version: int | None
    ) -> int:
        """Turn a compliance rule off for this campaign, recording why."""
        waiver = models.RuleWaiver(rule_id=rule_id, reason=reason, created_at=_now())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._write_waiver(campaign_id, waiver)
        return version

    @_guarded
    def enable_rule(self, campaign_id: int, rule_id: str, *, expected_version: int | None) -> int:
        with self._write():
            version = self._bump(campaign_id, expected_version)
            cur = self.conn.execute(
                "DELETE FROM rule_waivers WHERE campaign_id = ? AND rule_id = ?",
                [campaign_id, rule_id.strip()],
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"The rule {rule_id} is not turned off for this campaign.")
        return version

    def _write_waiver(self, campaign_id: int, waiver: RuleWaiver) -> None:
        self.conn.execute(
            "INSERT INTO rule_waivers (campaign_id, rule_id, reason, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, rule_id) DO UPDATE SET "
            "reason = excluded.reason, created_at = excluded.created_at",
            [campaign_id, waiver.rule_id, waiver.reason, waiver.created_at or _now()],
        )

    @_guarded
    def decide_finding(
        self, campaign_id: int, decision: FindingDecision, *, expected_version: int | None
    ) -> int:
        """Record a review finding accepted (with a reason) or a confirm item ticked."""
        decision = models.FindingDecision.model_validate(
            {**decision.model_dump(), "created_at": decision.created_at or _now()}
        )
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._write_decision(campaign_id, decision)
        return version

    @_guarded
    def undo_decision(self, campaign_id: int, key: str, *, expected_version: int | None) -> int:
        with self._write():
            version = self._bump(campaign_id, expected_version)
            cur = self.conn.execute(
                "DELETE FROM finding_decisions WHERE campaign_id = ? AND key = ?",
                [campaign_id, key.strip()],
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"No finding {key} was accepted or ticked in this campaign.")
        return version

    def _write_decision(self, campaign_id: int, decision: FindingDecision) -> None:
        self.conn.execute(
            "INSERT INTO finding_decisions (campaign_id, key, rule_id, decision, reason, name, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, key) DO UPDATE "
            "SET rule_id = excluded.rule_id, decision = excluded.decision, "
            "reason = excluded.reason, name = excluded.name, created_at = excluded.created_at",
            [
                campaign_id,
                decision.key,
                decision.rule_id,
                decision.decision,
                decision.reason,
                decision.name,
                decision.created_at or _now(),
            ],
        )

    @_guarded
    def check_currency_change(self, campaign_id: int, new: str) -> None:
        """Raise ``PlannerError`` if the campaign cannot move to currency ``new``."""
        (old,) = self.conn.execute(
            "SELECT currency FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone() or ("",)
        self._check_currency_change(campaign_id, old, new.strip().upper())

    def _check_currency_change(self, campaign_id: int, old: str, new: str) -> None:
        """Amounts are minor units of the campaign's currency: a currency with other decimal
        places would change every amount already entered."""
        if exponent(old) == exponent(new):
            return
        (count,) = self.conn.execute(
            """SELECT (SELECT COUNT(*) FROM budget_lines WHERE campaign_id = :id)
                    + (SELECT COUNT(*) FROM activities
                       WHERE campaign_id = :id AND planned_cost_minor > 0)
                    + (SELECT COUNT(*) FROM costs WHERE campaign_id = :id)""",
            {"id": campaign_id},
        ).fetchone()
        if count:
            raise PlannerError(
                f"Amounts are already entered in {old}, which has {exponent(old)} decimal "
                f"places and {new} has {exponent(new)}; changing the currency would change "
                "every amount, so it was not changed."
            )

    @_guarded
    def count_tracked(self, campaign_id: int, model: type[Item], item_id: int) -> int:
        """Recorded results of a measure, or costs of an activity: what deleting it touches."""
        table, column = {
            models.Measure: ("results", "measure_id"),
            models.Activity: ("costs", "activity_id"),
        }.get(model, ("", ""))
        if not table:
            return 0
        return self.conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE campaign_id = ? AND {column} = ?",
            [campaign_id, item_id],
        ).fetchone()[0]

    @_guarded
    def update_mix(
        self, campaign_id: int, p: MixP, element: MixElement, *, expected_version: int | None
    ) -> int:
        element = models.MixElement.model_validate(element.model_dump())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            before = self._mix_json(campaign_id, p)
            self._write_mix_element(campaign_id, p, element)
            after = element.model_dump(mode="json")
            target = f"mix:{p.value}"
            self._record(campaign_id, version, target, "set", _mix_label(p), before, after)
        return version

    # Items --------------------------------------------------------------------------------

    @_guarded
    def add_item(self, campaign_id: int, item: Item, *, expected_version: int | None) -> Added:
        """Add a segment, influencer, message variant, activity, measure, budget line, cost,
        result or review to a campaign. Returns the new item's id and the campaign's version."""
        _spec(type(item))
        item = type(item).model_validate(item.model_dump())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            if isinstance(item, models.Review) and item.message_version is None:
                item = item.model_copy(
                    update={"message_version": self._message_version(campaign_id)}
                )
            before = self._message_fingerprint(campaign_id, item)
            item_id = self._insert_item(campaign_id, item, None, {})
            self._one_primary(campaign_id, item, item_id)
            self._check_campaign(campaign_id, item)
            self._messages_written(campaign_id, before, item)
            self._record_item(campaign_id, version, type(item), item_id, "add")
        return Added(item_id, version)

    @_guarded
    def update_item(self, campaign_id: int, item: Item, *, expected_version: int | None) -> int:
        """Replace a saved item (found by ``item.id``) with this one; returns the new version."""
        if item.id is None:
            raise PlannerError("This item has not been saved yet, so it cannot be updated.")
        spec = _spec(type(item))
        item = type(item).model_validate({**item.model_dump(), "id": item.id})
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item.id)
            old = self._item_json(spec, campaign_id, item.id) if spec.table in _PLAN else None
            before = self._message_fingerprint(campaign_id, item)
            row = self._item_row(campaign_id, item, {})
            row.pop("campaign_id")
            self.conn.execute(
                f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                [*row.values(), item.id],
            )
            self._write_children(campaign_id, item.id, item, {})
            self._one_primary(campaign_id, item, item.id)
            self._check_campaign(campaign_id, item)
            self._messages_written(campaign_id, before, item)
            if old is not None:
                self._record_item(campaign_id, version, type(item), item.id, "set", old)
        return version

    @_guarded
    def delete_item(
        self, campaign_id: int, model: type[Item], item_id: int, *, expected_version: int | None
    ) -> int:
        spec = _spec(model)
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item_id)
            if spec.table in _PLAN:
                saved = self._saved_item(spec, campaign_id, item_id)
                saved["links"] = self._links_to(spec, item_id)
            before = self._message_fingerprint(campaign_id, model)
            self.conn.execute(f"DELETE FROM {spec.table} WHERE id = ?", [item_id])
            self._messages_written(campaign_id, before, model)
            if spec.table in _PLAN:
                label = f"{_item_label(spec, saved['item'])} deleted"
                target = f"{spec.table}:{item_id}"
                self._record(campaign_id, version, target, "delete", label, saved, None)
        return version

    @_guarded
    def move_item(
        self,
        campaign_id: int,
        model: type[Item],
        item_id: int,
        new_position: int,
        *,
        expected_version: int | None,
    ) -> int:
        """Put an ordered item at ``new_position`` (0-based) among its campaign's items."""
        spec = _spec(model)
        if not spec.ordered:
            raise PlannerError(f"{spec.table.replace('_', ' ').capitalize()} have no order.")
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item_id)
            ids = [
                r[0]
                for r in self.conn.execute(
                    f"SELECT id FROM {spec.table} WHERE campaign_id = ? ORDER BY position, id",
                    [campaign_id],
                )
            ]
            old = ids.index(item_id)
            self._place(spec, ids, item_id, new_position)
            new = ids.index(item_id)
            if spec.table in _PLAN and new != old:
                name = self._item_json(spec, campaign_id, item_id) or {}
                label = f"{_item_label(spec, name)} moved"
                target = f"{spec.table}:{item_id}"
                moved = ({"position": old}, {"position": new})
                self._record(campaign_id, version, target, "move", label, *moved)
        return version

    def _place(self, spec: _Spec, ids: list[int], item_id: int, position: int) -> None:
        """Put ``item_id`` at ``position`` among ``ids`` (the items in order), and number
        them so in the table."""
        ids.remove(item_id)
        ids.insert(max(0, min(position, len(ids))), item_id)
        for number, row_id in enumerate(ids):
            self.conn.execute(
                f"UPDATE {spec.table} SET position = ? WHERE id = ?", [number, row_id]
            )

    # Revisions ----------------------------------------------------------------------------

    def _record(
        self,
        campaign_id: int,
        version: int,
        target: str,
        action: str,
        label: str,
        before: Any,
        after: Any,
    ) -> None:
        """Record one saved change of the plan, in the transaction of the write. A change
        that changed nothing is not recorded; a save of the same fields as the revision just
        before it, soon after and with no write between, makes that revision longer."""
        if action == "set" and before == after:
            return
        kind, reverses = self._reverting or ("change", None)
        now = _now()
        if kind == "change" and action == "set" and self._merged(
            campaign_id, version, target, label, before, after, now
        ):
            return
        deleting = kind == "change" and action == "delete"
        if deleting and self._cancelled(campaign_id, version, target):
            return
        self.conn.execute(
            "INSERT INTO revisions (campaign_id, created_at, version, kind, reverses, target, "
            "action, label, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                campaign_id,
                now,
                version,
                kind,
                reverses,
                target,
                action,
                label,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ],
        )

    def _merged(
        self,
        campaign_id: int,
        version: int,
        target: str,
        label: str,
        before: Any,
        after: Any,
        now: str,
    ) -> bool:
        """Fold a save into the campaign's last revision when it changed the same fields of
        the same thing moments before; True if it did (the revision is dropped if the two
        together changed nothing)."""
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id DESC LIMIT 1",
                [campaign_id],
            )
        )
        if not rows:
            return False
        last = _revision(rows[0])
        new = last._replace(before=before, after=after)
        if (
            last.kind != "change"
            or last.action != "set"
            or last.target != target
            or last.version != version - 1
            or last.changed_fields() != new.changed_fields()
            or dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(last.created_at)
            > dt.timedelta(seconds=MERGE_SECONDS)
        ):
            return False
        if last.before == after:
            self.conn.execute("DELETE FROM revisions WHERE id = ?", [last.id])
            return True
        self.conn.execute(
            "UPDATE revisions SET created_at = ?, version = ?, label = ?, after = ? WHERE id = ?",
            [now, version, label, json.dumps(after, ensure_ascii=False), last.id],
        )
        return True

    def _cancelled(self, campaign_id: int, version: int, target: str) -> bool:
        """Drop the revision of an item added by the write just before its deletion (a new
        item left untouched is taken away again): together they changed nothing."""
        cur = self.conn.execute(
            "DELETE FROM revisions WHERE id = (SELECT MAX(id) FROM revisions "
            "WHERE campaign_id = ?) AND kind = 'change' AND action = 'add' AND target = ? "
            "AND version = ?",
            [campaign_id, target, version - 1],
        )
        return cur.rowcount > 0

    def _record_item(
        self,
        campaign_id: int,
        version: int,
        model: type[Item],
        item_id: int,
        action: str,
        old: dict[str, Any] | None = None,
    ) -> None:
        """Record an item added (``add``) or changed (``set``, ``old`` being it before)."""
        spec = _spec(model)
        if spec.table not in _PLAN:
            return  # a sign-off, a cost or a result: not the plan
        target = f"{spec.table}:{item_id}"
        if action == "add":
            saved = self._saved_item(spec, campaign_id, item_id)
            label = f"{_item_label(spec, saved['item'])} added"
            self._record(campaign_id, version, target, "add", label, None, saved)
            return
        assert old is not None
        new = self._item_json(spec, campaign_id, item_id) or {}
        changed = [field_label(k) for k in new if old.get(k) != new.get(k)]
        label = f"{_item_label(spec, old)}: {', '.join(changed)}"
        self._record(campaign_id, version, target, "set", label, old, new)

    def _item_json(self, spec: _Spec, campaign_id: int, item_id: int) -> dict[str, Any] | None:
        """One item of the plan as JSON (references by name), or None if the campaign has no
        such item."""
        rows = list(
            self._query(
                f"SELECT * FROM {spec.table} WHERE id = ? AND campaign_id = ?",
                [item_id, campaign_id],
            )
        )
        if not rows:
            return None
        tables = {ref.table for ref in spec.refs}
        if spec.model is models.Influencer:
            tables.add("segments")
        names = {
            table: dict(
                self.conn.execute(
                    f"SELECT id, name FROM {table} WHERE campaign_id = ?", [campaign_id]
                ).fetchall()
            )
            for table in tables
        }
        data = self._item_from_row(spec, rows[0], names)
        return spec.model.model_validate(data).model_dump(mode="json")

    def _saved_item(self, spec: _Spec, campaign_id: int, item_id: int) -> dict[str, Any]:
        """An item as an added or deleted item's revision holds it: with its place in order."""
        (position,) = self.conn.execute(
            f"SELECT COUNT(*) FROM {spec.table} t, {spec.table} i WHERE i.id = ? "
            "AND t.campaign_id = i.campaign_id "
            "AND (t.position < i.position OR (t.position = i.position AND t.id < i.id))",
            [item_id],
        ).fetchone()
        return {"item": self._item_json(spec, campaign_id, item_id), "position": position}

    def _links_to(self, spec: _Spec, item_id: int) -> list[dict[str, Any]]:
        """The items (and costs) that name this one and lose the link when it is deleted:
        what bringing it back links again."""
        links = [
            {"table": table, "column": column, "id": row_id}
            for table, column in _link_columns(spec.table)
            for (row_id,) in self.conn.execute(
                f"SELECT {'influencer_id' if table == 'influencer_segments' else 'id'} "
                f"FROM {table} WHERE {column} = ?",
                [item_id],
            )
        ]
        return links

    def _relink(self, spec: _Spec, campaign_id: int, item_id: int, links: list[Any]) -> None:
        allowed = set(_link_columns(spec.table))
        for link in links:
            table, column = link.get("table"), link.get("column")
            if (table, column) not in allowed:
                continue  # never build SQL from anything but the known links
            if table == "influencer_segments":
                self.conn.execute(
                    "INSERT OR IGNORE INTO influencer_segments (influencer_id, segment_id) "
                    "SELECT id, ? FROM influencers WHERE id = ? AND campaign_id = ?",
                    [item_id, link["id"], campaign_id],
                )
            else:
                self.conn.execute(
                    f"UPDATE {table} SET {column} = ? "
                    f"WHERE id = ? AND campaign_id = ? AND {column} IS NULL",
                    [item_id, link["id"], campaign_id],
                )

    def _mix_json(self, campaign_id: int, p: MixP) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT description, items FROM marketing_mix WHERE campaign_id = ? AND p = ?",
            [campaign_id, p.value],
        ).fetchone()
        element = (
            models.MixElement()
            if row is None
            else models.MixElement(description=row[0], items=json.loads(row[1]))
        )
        return element.model_dump(mode="json")

    @_guarded
    def revisions(self, campaign_id: int) -> list[Revision]:
        """Every saved change of the campaign's plan, the oldest first."""
        self._version(campaign_id)  # raises: no such campaign
        return [
            _revision(row)
            for row in self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id", [campaign_id]
            )
        ]

    @_guarded
    def get_revision(self, campaign_id: int, revision_id: int) -> Revision:
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE id = ? AND campaign_id = ?",
                [revision_id, campaign_id],
            )
        )
        if not rows:
            self._version(campaign_id)  # raises: no such campaign
            history = command(self.path, "history", str(campaign_id))
            raise NotFoundError(
                f"Campaign {campaign_id} has no revision {revision_id}; run '{history}' to see "
                "its revisions."
            )
        return _revision(rows[0])

    def _stacks(self, campaign_id: int) -> tuple[list[int], list[int]]:
        """The revisions an undo would reverse (the last on top) and those a redo would."""
        undo: list[int] = []
        redo: list[int] = []
        for rev_id, kind, reverses in self.conn.execute(
            "SELECT id, kind, reverses FROM revisions WHERE campaign_id = ? ORDER BY id",
            [campaign_id],
        ):
            if kind == "undo" and undo and undo[-1] == reverses:
                undo.pop()
                redo.append(rev_id)
            elif kind == "redo" and redo and redo[-1] == reverses:
                redo.pop()
                undo.append(rev_id)
            else:  # a change, or a revert: a new change, after which nothing is redone
                undo.append(rev_id)
                redo.clear()
        return undo, redo

    @_guarded
    def can_undo(self, campaign_id: int) -> tuple[bool, bool]:
        """Whether the campaign has a saved change to undo, and one undone to redo."""
        undo, redo = self._stacks(campaign_id)
        return bool(undo), bool(redo)

    @_guarded
    def undo(self, campaign_id: int, *, expected_version: int | None) -> tuple[Revision, Revision]:
        """Undo the campaign's last saved change that is not undone yet: returns it and the
        revision that undid it."""
        return self._step_back(campaign_id, "undo", expected_version)

    @_guarded
    def redo(self, campaign_id: int, *, expected_version: int | None) -> tuple[Revision, Revision]:
        """Make again the change undone last (if no other change was saved since)."""
        return self._step_back(campaign_id, "redo", expected_version)

    def _step_back(
        self, campaign_id: int, kind: str, expected_version: int | None
    ) -> tuple[Revision, Revision]:
        with self._write():
            undo, redo = self._stacks(campaign_id)
            stack = undo if kind == "undo" else redo
            if not stack:
                self._version(campaign_id)  # raises: no such campaign
                what = "saved change to undo" if kind == "undo" else "undone change to redo"
                raise PlannerError(f"Campaign {campaign_id} has no {what}.")
            return self._reverse(campaign_id, stack[-1], kind, expected_version)

    @_guarded
    def revert(
        self, campaign_id: int, revision_id: int, *, expected_version: int | None
    ) -> tuple[Revision, Revision]:
        """Put back what one revision changed (its ``before``), as a new revision."""
        with self._write():
            return self._reverse(campaign_id, revision_id, "revert", expected_version)

    def _reverse(
        self, campaign_id: int, revision_id: int, kind: str, expected_version: int | None
    ) -> tuple[Revision, Revision]:
        rev = self.get_revision(campaign_id, revision_id)
        self._check_version(campaign_id, expected_version)
        self._reverting = (kind, rev.id)
        try:
            self._put_back(rev, kind, expected_version)
        finally:
            self._reverting = None
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id DESC LIMIT 1",
                [campaign_id],
            )
        )
        return rev, _revision(rows[0])

    def _put_back(self, rev: Revision, kind: str, expected_version: int | None) -> None:
        """Write a revision's ``before``, refused when what it changed has changed since."""
        cid = rev.campaign_id

        def refuse(reason: str) -> PlannerError:
            return PlannerError(
                f"The change '{rev.label}' cannot be {_REVERSED[kind]}: {reason}; nothing was "
                "changed."
            )

        def check(current: dict[str, Any], fields: list[str], what: str) -> None:
            for name in fields:
                if current.get(name) != rev.after.get(name):
                    raise refuse(f"{what}{field_label(name)} has been changed since")

        if rev.target == "campaign":
            current = self.get_campaign(cid, tracking=False).model_dump(mode="json")
            check(current, list(rev.after), "the ")
            self.update_campaign(cid, rev.before, expected_version=expected_version)
            return
        if rev.target.startswith("mix:"):
            p = MixP(rev.target.partition(":")[2])
            check(self._mix_json(cid, p), rev.changed_fields(), f"the {p.label} ")
            element = models.MixElement.model_validate(rev.before)
            self.update_mix(cid, p, element, expected_version=expected_version)
            return
        table, _, number = rev.target.partition(":")
        spec = next(sp for sp in _specs().values() if sp.table == table)
        item_id = int(number)
        noun = _PLAN[table].lower()
        current_item = self._item_json(spec, cid, item_id)
        if rev.action == "delete":
            self._bring_back(rev, spec, expected_version, refuse)
            return
        if current_item is None:
            raise refuse(f"the {noun} has been deleted since")
        if rev.action == "set":
            fields = rev.changed_fields()
            check(current_item, fields, "its ")
            values = {**current_item, **{k: rev.before[k] for k in fields}, "id": item_id}
            item = spec.model.model_validate(values)
            self.update_item(cid, item, expected_version=expected_version)
        elif rev.action == "add":
            tracked = self.count_tracked(cid, spec.model, item_id)
            if tracked:
                what = "results" if spec.model is models.Measure else "costs"
                raise refuse(
                    f"{tracked} {what} are recorded against the {noun} since; delete them first"
                )
            self.delete_item(cid, spec.model, item_id, expected_version=expected_version)
        else:  # move
            self.move_item(
                cid, spec.model, item_id, rev.before["position"], expected_version=expected_version
            )

    def _bring_back(
        self,
        rev: Revision,
        spec: _Spec,
        expected_version: int | None,
        refuse: Callable[[str], PlannerError],
    ) -> None:
        """Add a deleted item again, with its id when that is still free, at its place, with
        the links other items had to it."""
        cid = rev.campaign_id
        saved = rev.before
        item = spec.model.model_validate(saved["item"])
        name = saved["item"].get("name", "")
        clash = self.conn.execute(
            f"SELECT 1 FROM {spec.table} WHERE campaign_id = ? AND name = ? COLLATE NOCASE",
            [cid, name],
        ).fetchone()
        if clash:
            raise refuse(f"another {_PLAN[spec.table].lower()} is called '{name}' now")
        version = self._bump(cid, expected_version)
        old_id = int(rev.target.partition(":")[2])
        taken = self.conn.execute(f"SELECT 1 FROM {spec.table} WHERE id = ?", [old_id]).fetchone()
        fingerprint = self._message_fingerprint(cid, item)
        item_id = self._insert_item(cid, item, None, {}, item_id=None if taken else old_id)
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM {spec.table} WHERE campaign_id = ? ORDER BY position, id", [cid]
            )
        ]
        self._place(spec, ids, item_id, saved.get("position", len(ids)))
        self._relink(spec, cid, item_id, saved.get("links", []))
        self._one_primary(cid, item, item_id)
        self._check_campaign(cid, item)
        self._messages_written(cid, fingerprint, item)
        self._record_item(cid, version, spec.model, item_id, "add")

    def _item_owner(self, spec: _Spec, campaign_id: int, item_id: int) -> None:
        row = self.conn.execute(
            f"SELECT campaign_id FROM {spec.table} WHERE id = ?", [item_id]
        ).fetchone()
        if row is None or row[0] != campaign_id:
            raise NotFoundError(
                f"There is no {spec.table.rstrip('s').replace('_', ' ')} {item_id} in campaign "
                f"{campaign_id}."
            )

    def _one_primary(self, campaign_id: int, item: Item, item_id: int) -> None:
        """A measure saved as the primary one takes the mark from any other."""
        if isinstance(item, models.Measure) and item.primary:
            self.conn.execute(
                "UPDATE measures SET is_primary = 0 WHERE campaign_id = ? AND id != ?",
                [campaign_id, item_id],
            )

    def _check_campaign(self, campaign_id: int, item: Item) -> None:
        """Validate the plan as a whole after an item write (names unique, links known)."""
        if isinstance(item, (models.Cost, models.Result, models.Review)):
            return  # their links were resolved on the way in; the plan did not change
        try:
            self._load_campaign(campaign_id, tracking=False)
        except Exception as exc:
            if not is_validation_error(exc):
                raise
            raise PlannerError(describe_validation_error(exc)) from None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Revisions: the history of a campaign's plan

# The tables of the plan's items, and what one of each is called in a revision's label.
_PLAN = {
    "segments": "Segment",
    "influencers": "Influencer",
    "message_variants": "Message variant",
    "activities": "Activity",
    "measures": "Measure",
    "budget_lines": "Budget line",
}

# Saves of the same fields of the same thing within this many seconds of each other, with no
# other write between them, are one revision: the form saves as the user types, and a name
# typed in three bursts is one change to see, undo or revert.
MERGE_SECONDS = 60

_REVERSED = {"undo": "undone", "redo": "redone", "revert": "reverted"}


class Revision(NamedTuple):
    """One saved change of a campaign's plan.

    ``target`` is what changed: ``campaign`` (overview fields), ``mix:<p>`` (an element of the
    7Ps) or ``<table>:<id>`` (an item). ``action`` is how: ``set`` (fields changed; ``before``
    and ``after`` hold the fields, or the whole item), ``add`` and ``delete`` (the item with its
    position on the side where it exists, None on the other) or ``move`` (its position on each
    side, counted from 0). ``kind`` is ``change`` for an edit, or ``undo``, ``redo`` or
    ``revert`` for a revision that put back the ``before`` of revision ``reverses``.
    ``version`` is the campaign's version the change produced; ``created_at`` is UTC."""

    id: int
    campaign_id: int
    created_at: str
    version: int
    kind: str
    reverses: int | None
    target: str
    action: str
    label: str
    before: Any
    after: Any

    def as_json(self) -> dict[str, Any]:
        return self._asdict()

    def changed_fields(self) -> list[str]:
        """The fields a ``set`` revision changed, in their order."""
        if self.action != "set":
            return []
        before, after = self.before or {}, self.after or {}
        return [k for k in after if before.get(k) != after.get(k)]


def field_label(name: str, *, first: bool = False) -> str:
    """A model field as words: ``call_to_action`` -> ``call to action``."""
    words = {"planned_cost_minor": "planned cost", "amount_minor": "amount"}.get(
        name, name.replace("_", " ")
    )
    return words[:1].upper() + words[1:] if first else words


def _mix_label(p: MixP) -> str:
    return f"{p.label} (7Ps)"


def _item_label(spec: _Spec, item: dict[str, Any]) -> str:
    """``Segment 'Parents of under-5s'``."""
    return f"{_PLAN[spec.table]} '{item.get('name', '?')}'"


def _revision(row: dict[str, Any]) -> Revision:
    return Revision(
        **{
            **row,
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": None if row["after"] is None else json.loads(row["after"]),
        }
    )


def _link_columns(table: str) -> list[tuple[str, str]]:
    """The (table, column) pairs that point at a row of ``table`` and are emptied when it is
    deleted (results are deleted with their measure, so they are not among them)."""
    pairs = [
        (spec.table, ref.column)
        for spec in _specs().values()
        for ref in spec.refs
        if ref.table == table and spec.table != "results"
    ]
    if table == "segments":
        pairs.append(("influencer_segments", "segment_id"))
    return pairs


def _import_record(row: dict[str, Any]) -> ImportRecord:
    """An ``imports`` row without its row-id range, which only the store uses."""
    return models.ImportRecord.model_validate(
        {k: v for k, v in row.items() if k in models.ImportRecord.model_fields}
    )


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


# ---------------------------------------------------------------------------------------------
# Backups and the health check (``planner backup``, ``planner doctor``)


def _existing_database(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if path.is_dir():
        raise DatabaseError(f"'{path}' is a folder; give the path of a database file.")
    if not path.exists():
        raise DatabaseError(f"There is no database at '{path}'.")
    return path


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


def _settled_backup(path: Path) -> bool:
    """A backup whose whole content is in its file: no write-ahead log or rollback journal
    beside it that SQLite would need to read it."""
    return _is_backup(path) and not any(
        path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal")
    )


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
        f"{BUSY_TIMEOUT_MS // 1000} seconds; {then}"
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


class Restored(NamedTuple):
    """What ``restore_database`` did."""

    backup: Path
    database: Path
    kept: Path | None  # where the database's previous content was kept (None: there was none)
    damaged: bool  # the previous content was damaged, kept as SQLite read it, unchecked
    campaigns: int  # in the backup, archived ones included
    upgraded: bool  # the backup was of an older planner, and the database is upgraded


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
        store = Store(conn, backup, read_only=True)
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
                f"'{backup}' is not a SQLite database, so it is not a planner backup; "
                f"{nothing}."
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
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, factory=Tracked)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
            Store.open(path).close()
        except PlannerError as exc:
            raise DatabaseError(
                f"'{backup}' was restored into '{path}'"
                + (f" (its previous content is kept in '{kept}')" if kept else "")
                + f", but it could not be upgraded for this planner yet: {exc}"
            ) from None
    return Restored(backup, path, kept, damaged, campaigns, older)


def _restore_into(
    source: sqlite3.Connection, path: Path, backup: Path
) -> tuple[Path | None, bool]:
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


@dataclass(frozen=True)
class Health:
    """What ``planner doctor`` finds in a database file."""

    path: Path
    size_bytes: int
    backups: list[Path]
    unreadable: str = ""  # why the file could not be checked at all (not SQLite, damaged...)
    malformed: bool = False  # unreadable for damage SQLite met while reading it
    disk_fault: str = ""  # why the disk kept SQLite from checking it (full, failing): no damage
    integrity: list[str] = field(default_factory=list)  # SQLite's findings; empty when whole
    broken_links: dict[str, int] = field(default_factory=dict)  # table: rows pointing nowhere
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # schema changes this planner would apply
    unknown: list[str] = field(default_factory=list)  # schema changes of a newer planner
    campaigns: int = 0
    archived: int = 0
    free_bytes: int | None = None  # room left on the disk of its folder
    wal_bytes: int = 0  # the size of its write-ahead log: changes not yet in the file, at most
    removed: list[Path] = field(default_factory=list)  # unfinished copies cleared away

    @property
    def disk_full(self) -> bool:
        return self.free_bytes is not None and self.free_bytes < LOW_SPACE

    @property
    def damaged(self) -> bool:
        """Whether the file itself needs mending (a backup restored), not the disk."""
        return bool(self.unreadable or self.integrity or self.broken_links)

    @property
    def damaged_pages(self) -> bool:
        """A SQLite file damaged within, of which no checked backup can be made."""
        return self.malformed or bool(self.integrity)

    @property
    def healthy(self) -> bool:
        return not (self.damaged or self.unknown or self.disk_fault or self.disk_full)


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
        store = Store(conn, path)
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
