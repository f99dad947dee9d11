"""The schema: every table, index and trigger, as the numbered changes (migrations) that
sqlite-utils applies in order to bring an older file up to this version.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from planner.store.rollups import _ROLLUPS

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations


MIGRATION_SET = "planner"


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


def new_database_script() -> tuple[tuple[str, tuple[object, ...]], ...] | None:
    """What the schema changes make of an empty file, as the SQL statements (with their
    parameters) that make it in one go: the changes replayed once (in memory) and read back in
    the order they left their tables, indexes, triggers and views, with any rows they wrote,
    but without sqlite-utils' record of each change, which the caller writes with the time it
    makes the file. A new file made this way has the same schema as one the changes were
    replayed on (a test compares the two), in a fifth of the time. None where the changes made
    something a script read back would not make again (a virtual table, a generated column,
    an AUTOINCREMENT counter, a user_version, application_id or auto_vacuum pragma): the
    file is then made by replaying them. Kept with the migration set it was made from."""
    migrations = _migrations()
    if not hasattr(migrations, "planner_new_file"):
        migrations.planner_new_file = _read_back(migrations)  # type: ignore[attr-defined]
    return migrations.planner_new_file  # type: ignore[attr-defined]


def _read_back(migrations: Migrations) -> tuple[tuple[str, tuple[object, ...]], ...] | None:
    import sqlite3

    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")
        migrations.apply(Database(conn, recursive_triggers=False, execute_plugins=False))
        made = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY rowid"
        ).fetchall()
        pragmas = [
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("user_version", "application_id", "auto_vacuum")
        ]
        tables = [name for kind, name, _ in made if kind == "table"]
        generated = any(
            column[6] in (2, 3)  # table_xinfo's hidden: 2 and 3 are generated columns
            for name in tables
            for column in conn.execute(f"PRAGMA table_xinfo({_quoted(name)})")
        )
        every = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        counters = "sqlite_sequence" in every and any(conn.execute("SELECT 1 FROM sqlite_sequence"))
        virtual = any(sql.upper().startswith("CREATE VIRTUAL") for _, _, sql in made)
        if any(pragmas) or generated or counters or virtual:
            return None
        script: list[tuple[str, tuple[object, ...]]] = [(sql, ()) for _, _, sql in made]
        for name in tables:
            if name == "_sqlite_migrations":
                continue
            for row in conn.execute(f"SELECT * FROM {_quoted(name)}"):
                marks = ", ".join("?" * len(row))
                script.append((f"INSERT INTO {_quoted(name)} VALUES ({marks})", tuple(row)))
        return tuple(script)
    finally:
        conn.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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


@_migration(name="0012_text_readings")
def _m0012_text_readings(db: Database) -> None:
    # The counts behind a text's English reading grade (words, sentences, syllables), by the
    # hash of the text and of the counter that made them (``planner.plan.readability``):
    # found once when the text is saved, so that a brief or a review reads them back instead
    # of loading the pronouncing dictionary. Not part of any plan; a text changed anywhere
    # simply has no row yet and is counted anew.
    db.execute(
        """
        CREATE TABLE text_readings (
            hash TEXT PRIMARY KEY,
            words INTEGER NOT NULL,
            sentences INTEGER NOT NULL,
            syllables INTEGER NOT NULL
        ) WITHOUT ROWID"""
    )


@_migration(name="0013_revenue_measure")
def _m0013_revenue_measure(db: Database) -> None:
    # The measure whose results are the campaign's revenue, marked rather than guessed from
    # its name and unit: the measures the guess took before are marked, so that every
    # campaign's return (ROI) stays as it was.
    from planner.domain.measures import looks_like_revenue
    from planner.domain.records import Direction, MeasureCategory, PrimaryMeasure

    db.execute("ALTER TABLE measures ADD COLUMN is_revenue INTEGER NOT NULL DEFAULT 0")
    rows = db.execute(
        "SELECT m.id, m.name, m.category, m.unit, m.direction, c.currency "
        "FROM measures m JOIN campaigns c ON c.id = m.campaign_id"
    ).fetchall()
    categories, directions = {c.value for c in MeasureCategory}, {d.value for d in Direction}
    marked = [
        (measure_id,)
        for measure_id, name, category, unit, direction, currency in rows
        if category in categories
        and direction in directions
        and looks_like_revenue(
            PrimaryMeasure(
                measure_id,
                name,
                MeasureCategory(category),
                unit,
                Direction(direction),
                None,
                None,
            ),
            currency,
        )
    ]
    db.conn.executemany("UPDATE measures SET is_revenue = 1 WHERE id = ?", marked)


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


@_migration(name="0014_result_breakdown")
def _m0014_result_breakdown(db: Database) -> None:
    # A result may say what it is out of (21 bookings of 500 invitations) and what it belongs
    # to: a message variant, an activity, a segment, an influencer, a channel. Deleting the
    # item leaves the result with no link to it. The indexes hold only the results that name
    # one (a bulk import of results without a breakdown writes nothing to them), and let a
    # delete of the item find its results without reading every result.
    for statement in (
        "ALTER TABLE results ADD COLUMN trials REAL",
        "ALTER TABLE results ADD COLUMN variant_id INTEGER "
        "REFERENCES message_variants(id) ON DELETE SET NULL",
        "ALTER TABLE results ADD COLUMN activity_id INTEGER "
        "REFERENCES activities(id) ON DELETE SET NULL",
        "ALTER TABLE results ADD COLUMN segment_id INTEGER "
        "REFERENCES segments(id) ON DELETE SET NULL",
        "ALTER TABLE results ADD COLUMN influencer_id INTEGER "
        "REFERENCES influencers(id) ON DELETE SET NULL",
        "ALTER TABLE results ADD COLUMN channel TEXT",
    ):
        db.execute(statement)
    for column in ("variant_id", "activity_id", "segment_id", "influencer_id"):
        db.execute(
            f"CREATE INDEX results_{column.removesuffix('_id')} ON results ({column}) "
            f"WHERE {column} IS NOT NULL"
        )


@_migration(name="0015_lessons")
def _m0015_lessons(db: Database) -> None:
    # The end-of-campaign review: what worked, what did not, and the decisions for next time.
    for column in ("what_worked", "what_did_not_work", "next_time"):
        db.execute(f"ALTER TABLE campaigns ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


@_migration(name="0016_staff_capacity")
def _m0016_staff_capacity(db: Database) -> None:
    # The hours a month each person can give the campaign's activities.
    db.execute("ALTER TABLE campaigns ADD COLUMN staff_hours_per_month REAL")


@_migration(name="0017_expected_return")
def _m0017_expected_return(db: Database) -> None:
    # What the plan expects back: responses (of the primary measure) and revenue.
    db.execute("ALTER TABLE campaigns ADD COLUMN expected_responses INTEGER")
    db.execute("ALTER TABLE campaigns ADD COLUMN expected_revenue_minor INTEGER")


@_migration(name="0018_landing_page")
def _m0018_landing_page(db: Database) -> None:
    # The page the campaign's messages lead to, which the activities' tracking links start from.
    db.execute("ALTER TABLE campaigns ADD COLUMN landing_page TEXT NOT NULL DEFAULT ''")


@_migration(name="0019_earlier_lessons")
def _m0019_earlier_lessons(db: Database) -> None:
    # A copy carries the review of the campaign it was copied from, to read.
    db.execute("ALTER TABLE campaigns ADD COLUMN earlier_lessons TEXT NOT NULL DEFAULT ''")


@_migration(name="0020_trash")
def _m0020_trash(db: Database) -> None:
    # A campaign moved to the trash: kept whole until the trash is emptied, out of every list.
    db.execute("ALTER TABLE campaigns ADD COLUMN deleted_at TEXT")


@_migration(name="0021_brief_audience")
def _m0021_brief_audience(db: Database) -> None:
    # Whom an exported brief was for: the team's brief or the client's (planner brief
    # --audience client), so that "what did we send the client?" has an answer.
    db.execute("ALTER TABLE brief_renders ADD COLUMN audience TEXT NOT NULL DEFAULT 'internal'")


@_migration(name="0022_brief_docx")
def _m0022_brief_docx(db: Database) -> None:
    # Word briefs (planner brief --format docx) are recorded too: the format's check, which a
    # table keeps from its creation, is written anew, every export kept as it was.
    db.execute(
        """
        CREATE TABLE brief_renders_0022 (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            rendered_at TEXT NOT NULL,
            format TEXT NOT NULL CHECK (format IN ('md', 'html', 'pdf', 'docx')),
            campaign_version INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            path TEXT,
            template_dir TEXT,
            pending INTEGER NOT NULL DEFAULT 0,
            audience TEXT NOT NULL DEFAULT 'internal'
        )"""
    )
    columns = (
        "id, campaign_id, rendered_at, format, campaign_version, sha256, size, path, "
        "template_dir, pending, audience"
    )
    db.execute(f"INSERT INTO brief_renders_0022 ({columns}) SELECT {columns} FROM brief_renders")
    db.execute("DROP TABLE brief_renders")
    db.execute("ALTER TABLE brief_renders_0022 RENAME TO brief_renders")
    db.execute("CREATE INDEX brief_renders_campaign ON brief_renders (campaign_id, rendered_at)")


@_migration(name="0023_clients")
def _m0023_clients(db: Database) -> None:
    # A consultant's clients: each practice's details, kept once and used by every brief of
    # its campaigns (found by the practice's name however it is cased or spaced: ``key``).
    db.execute(
        """
        CREATE TABLE clients (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            website TEXT NOT NULL DEFAULT '',
            prepared_by TEXT NOT NULL DEFAULT '',
            colour TEXT NOT NULL DEFAULT '',
            logo BLOB,
            logo_type TEXT,
            updated_at TEXT NOT NULL
        )"""
    )


@_migration(name="0024_language")
def _m0024_language(db: Database) -> None:
    # The language the campaign's brief is written in ("en", "it"); NULL: the one its number
    # style speaks (see planner.domain.language.language_of).
    db.execute("ALTER TABLE campaigns ADD COLUMN language TEXT")


@_migration(name="0025_list_order")
def _m0025_list_order(db: Database) -> None:
    # The campaign list's order (the archived last, then by name whatever its case), so that
    # its first page is read from the index instead of sorting every campaign: 0.2 ms rather
    # than 40 at 20,000 campaigns (planner.store.campaigns.list_campaigns).
    db.execute(
        "CREATE INDEX campaigns_list ON campaigns "
        "(archived_at IS NOT NULL, name COLLATE NOCASE, id) WHERE deleted_at IS NULL"
    )
