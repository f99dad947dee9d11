"""The store keeps every entity, refuses stale writes, and writes all or nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from factories import as_first_released, as_if_from_a_newer_planner, full_campaign

from planner.domain import registry
from planner.domain.errors import DatabaseError, NotFoundError, PlannerError, StaleWriteError
from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Claim,
    Cost,
    Influencer,
    Measure,
    MessageVariant,
    MixElement,
    MixP,
    Review,
    Segment,
)
from planner.store import Store
from planner.store.schema import _MIGRATIONS


def plan(campaign: Campaign) -> dict:
    return campaign.model_dump(mode="json")


def test_round_trip_of_every_entity(store, campaign):
    campaign_id = store.create_campaign(campaign)
    loaded = store.get_campaign(campaign_id)
    assert plan(loaded) == plan(campaign)
    assert loaded.id == campaign_id and loaded.version == 1 and not loaded.archived
    # the links are kept as foreign keys, so they read back as the same names
    assert loaded.activities[0].segment == "Adults 50-74"
    assert loaded.influencers[0].segments == ["Adults 50-74", "Carers"]
    assert loaded.messages[0].claims[0].evidence_reference.startswith("Ministero")
    assert loaded.costs[0].activity == "Reminder email"
    assert loaded.results[0].measure == "Screening rate"


def test_the_schema_is_readable_with_foreign_keys(store, campaign):
    store.create_campaign(campaign)
    tables = set(store.db.table_names())
    assert {"campaigns", "segments", "activities", "costs", "results", "claims"} <= tables
    fks = {(fk.column, fk.other_table) for fk in store.db["activities"].foreign_keys}
    assert ("segment_id", "segments") in fks and ("campaign_id", "campaigns") in fks
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    # money is integer minor units
    assert store.db.execute("SELECT typeof(amount_minor) FROM costs").fetchone()[0] == "integer"


def test_a_stale_write_is_refused_and_not_applied(store, campaign):
    campaign_id = store.create_campaign(campaign)
    first = store.get_campaign(campaign_id)
    second = store.get_campaign(campaign_id)
    store.update_campaign(campaign_id, {"name": "Renamed"}, expected_version=first.version)
    with pytest.raises(StaleWriteError, match="changed elsewhere"):
        store.update_campaign(
            campaign_id, {"objective": "Lost edit"}, expected_version=second.version
        )
    with pytest.raises(StaleWriteError):
        store.add_item(campaign_id, Segment(name="Teens"), expected_version=second.version)
    now = store.get_campaign(campaign_id)
    assert now.name == "Renamed"
    assert now.objective == campaign.objective
    assert "Teens" not in [s.name for s in now.segments]
    assert now.version == 2


def test_every_write_bumps_the_version(store, campaign):
    campaign_id = store.create_campaign(campaign)
    v = store.get_campaign(campaign_id).version
    v = store.update_mix(campaign_id, MixP.PRICE, MixElement(description="NHS"), expected_version=v)
    v = store.set_archived(campaign_id, True, expected_version=v)
    v = store.set_archived(campaign_id, False, expected_version=v)
    assert store.get_campaign(campaign_id).version == v == 4
    assert store.get_campaign(campaign_id).mix.price.description == "NHS"


@pytest.mark.parametrize(
    "item",
    [
        Segment(name="Teens", age_min=13, age_max=19),
        Influencer(name="School nurses", kind="community_group", segments=["Carers"]),
        MessageVariant(name="Carers note", segment="Carers", claims=[Claim(text="It helps")]),
        Activity(name="Open day", channel="events", journey_stage="advocacy", segment="Carers"),
        Measure(name="Referrals", category="referrals"),
        BudgetLine(name="Posters", amount_minor=9900, channel="print_mail"),
        Review(kind="privacy", message_version=1),  # the version a new sign-off is given on
    ],
    ids=lambda item: type(item).__name__,
)
def test_add_update_delete_each_kind_of_item(store, campaign, item):
    campaign_id = store.create_campaign(campaign)
    model = type(item)
    item_id, version = store.add_item(campaign_id, item, expected_version=1)
    assert version == 2
    field = registry.kind(model).list_field
    saved = [i for i in getattr(store.get_campaign(campaign_id), field) if i.id == item_id]
    assert len(saved) == 1 and saved[0].model_dump() == item.model_dump()

    note_field = (
        next(
            f
            for f in ("description", "note", "comments", "relationship", "headline")
            if f in model.model_fields
        )
        if model is not Measure
        else "data_source"
    )
    changed = saved[0].model_copy(update={note_field: "Changed"})
    store.update_item(campaign_id, changed, expected_version=2)
    again = next(i for i in getattr(store.get_campaign(campaign_id), field) if i.id == item_id)
    assert getattr(again, note_field) == "Changed"

    store.delete_item(campaign_id, model, item_id, expected_version=3)
    assert item_id not in [i.id for i in getattr(store.get_campaign(campaign_id), field)]


def test_renaming_a_segment_keeps_its_links(store, campaign):
    campaign_id = store.create_campaign(campaign)
    segment = store.get_campaign(campaign_id).segments[0]
    store.update_item(
        campaign_id, segment.model_copy(update={"name": "Adults 50+"}), expected_version=1
    )
    loaded = store.get_campaign(campaign_id)
    assert loaded.activities[0].segment == "Adults 50+"
    assert loaded.influencers[0].segments[0] == "Adults 50+"


def test_reorder_items(store, campaign):
    campaign_id = store.create_campaign(campaign)
    measures = store.get_campaign(campaign_id).measures
    store.move_item(campaign_id, Measure, measures[1].id, 0, expected_version=1)
    assert [m.name for m in store.get_campaign(campaign_id).measures] == [
        "No-show rate",
        "Screening rate",
    ]


def test_an_invalid_item_write_leaves_nothing_behind(store, campaign):
    campaign_id = store.create_campaign(campaign)
    with pytest.raises(PlannerError, match="Two segments"):
        store.add_item(campaign_id, Segment(name="carers"), expected_version=1)
    with pytest.raises(PlannerError, match="no segment called 'Nobody'"):
        store.add_item(
            campaign_id,
            Activity(name="x", channel="sms", journey_stage="choice", segment="Nobody"),
            expected_version=1,
        )
    loaded = store.get_campaign(campaign_id)
    assert loaded.version == 1
    assert [s.name for s in loaded.segments] == ["Adults 50-74", "Carers"]


def test_create_campaign_is_one_transaction(store, campaign, monkeypatch):
    """A failure half-way through writing a campaign leaves no part of it."""
    calls = {"n": 0}
    real = Store._insert_item

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_insert_item", failing)
    with pytest.raises(DatabaseError, match="disk I/O error"):
        store.create_campaign(campaign)
    assert store.count_campaigns() == 0
    assert store.db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 0


def test_entries_that_fail_after_thousands_were_written_leave_nothing(store):
    """create_campaign writes the entries it is given a thousand at a time, in the
    transaction that creates the campaign: an error at the 2,500th (a bad one in a file being
    read) leaves no campaign, no cost and no running total; the triggers that keep the totals
    are back, and a cost recorded afterwards is counted."""
    from factories import tracked_campaign

    def entries():
        for i in range(3000):
            if i == 2500:
                raise PlannerError("The 2,500th cost is not valid.")
            yield Cost(date=dt.date(2027, 3, 1 + i % 28), amount_minor=i, activity="Flyers")

    with pytest.raises(PlannerError, match="2,500th"):
        store.create_campaign(tracked_campaign(), entries())
    assert store.count_campaigns() == 0
    for table in ("costs", "results", "cost_days", "cost_totals", "result_days"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    campaign_id = store.create_campaign(tracked_campaign())
    store.add_entry(campaign_id, Cost(date=dt.date(2027, 3, 2), amount_minor=5))
    assert store.count_entries(campaign_id) == (1, 0)
    assert set(store.totals_drift().values()) == {0}


def test_an_entry_naming_an_activity_the_campaign_lacks_is_refused(store):
    from factories import tracked_campaign

    costs = [Cost(date=dt.date(2027, 3, 1), amount_minor=1, activity="Flyers")] * 1500
    costs.append(Cost(date=dt.date(2027, 3, 1), amount_minor=1, activity="Billboards"))
    with pytest.raises(PlannerError, match="no activity called 'Billboards'"):
        store.create_campaign(tracked_campaign(), costs)
    assert store.count_campaigns() == 0


def test_archive_is_a_soft_delete(store, campaign):
    kept = store.create_campaign(campaign)
    gone = store.create_campaign(full_campaign("Old drive"))
    store.set_archived(gone, True)
    assert [c.id for c in store.list_campaigns()] == [kept]
    listed = store.list_campaigns(include_archived=True)
    assert [c.archived for c in listed] == [False, True]
    assert store.get_campaign(gone).archived
    store.set_archived(gone, False)
    assert len(store.list_campaigns()) == 2


def test_campaign_list_shows_budget_totals(store, campaign):
    store.create_campaign(campaign)
    (summary,) = store.list_campaigns()
    assert summary.budget_minor == 55000
    assert summary.practice == "Riverside Family Medicine"


def test_unknown_campaign(store):
    with pytest.raises(NotFoundError, match="no campaign 42"):
        store.get_campaign(42)
    with pytest.raises(NotFoundError):
        store.set_archived(42, True)


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        Store.open(tmp_path / "nope" / "planner.db")
    assert not (tmp_path / "nope").exists()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        Store.open(path)
    assert path.read_text() == "shopping list\n"


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="another program"):
        Store.open(path)


def test_a_database_from_a_newer_planner_is_refused(db_path):
    Store.open(db_path).close()
    as_if_from_a_newer_planner(db_path)
    with pytest.raises(DatabaseError, match="newer version of the planner"):
        Store.open(db_path)


def test_new_database_file_is_private(db_path):
    Store.open(db_path).close()
    assert db_path.stat().st_mode & 0o077 == 0


def test_a_new_file_gets_the_schema_an_upgraded_one_has(db_path, campaign):
    """A new database is made in one go (not by replaying every schema change since the
    first): it has the same tables, indexes, triggers and views, and every change recorded as
    applied, as a file upgraded from the first release; and both keep what is saved alike."""
    upgraded = db_path.with_name("upgraded.db")
    as_first_released(upgraded)
    Store.open(upgraded).close()
    Store.open(db_path).close()

    def schema(path):
        conn = sqlite3.connect(path)
        try:
            objects = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
            changes = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
            return objects, changes
        finally:
            conn.close()

    new_objects, new_changes = schema(db_path)
    old_objects, old_changes = schema(upgraded)
    assert {o[:2] for o in new_objects} == {o[:2] for o in old_objects}
    # the same SQL, whatever the spacing sqlite-utils' table rebuilds leave
    assert {(o[:3], " ".join((o[3] or "").split())) for o in new_objects} == {
        (o[:3], " ".join((o[3] or "").split())) for o in old_objects
    }
    assert new_changes == old_changes == [name for name, _ in _MIGRATIONS]
    for path in (db_path, upgraded):
        with Store.open(path) as store:
            campaign_id = store.create_campaign(campaign)
            assert plan(store.get_campaign(campaign_id)) == plan(campaign)


def test_a_schema_change_a_script_cannot_make_again_is_replayed_on_a_new_file(db_path, monkeypatch):
    """A schema change that leaves something the statements read back would not make again
    (here a user_version, or an FTS table) makes a new file by replaying the changes."""
    from planner.store import schema

    def versioned(db):
        db.execute("PRAGMA user_version = 7")
        db.execute("CREATE VIRTUAL TABLE notes_fts USING fts5(body)")

    monkeypatch.setattr(schema, "_MIGRATIONS", [*schema._MIGRATIONS, ("9999_test", versioned)])
    schema._migrations.cache_clear()
    try:
        assert schema.new_database_script() is None
        Store.open(db_path).close()
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA user_version").fetchone() == (7,)
            assert conn.execute("SELECT count(*) FROM notes_fts").fetchone() == (0,)
            names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
            assert names[-1] == "9999_test" and len(names) == len(schema._MIGRATIONS)
        finally:
            conn.close()
    finally:
        monkeypatch.undo()
        schema._migrations.cache_clear()


def test_reopening_keeps_everything(db_path, campaign):
    with Store.open(db_path) as first:
        campaign_id = first.create_campaign(campaign)
    with Store.open(db_path) as second:
        assert plan(second.get_campaign(campaign_id)) == plan(campaign)
        assert second.schema_version() == "0025_list_order"
    assert not list(db_path.parent.glob("*.bak")), "no upgrade, so no backup copy"


def test_upgrading_an_older_database_backs_it_up_first(db_path, campaign):
    from sqlite_utils import Database

    as_first_released(db_path)
    with Store.open(db_path) as store:
        assert store.schema_version() == "0025_list_order"
        assert store.list_renders(store.create_campaign(campaign)) == []
    (backup,) = db_path.parent.glob("planner.db.0001_initial-*.bak")
    old = Database(backup)
    assert [r["name"] for r in old["_sqlite_migrations"].rows] == ["0001_initial"]
    assert "campaigns" in old.table_names() and "brief_renders" not in old.table_names()


def test_an_upgrade_that_fails_part_way_leaves_the_file_as_it_was(db_path):
    """The schema changes an upgrade needs are one transaction: when the last of them fails
    (here, the disk fills), the changes before it are not kept either."""
    import planner.store.schema as schema

    as_first_released(db_path)
    name, change = schema._MIGRATIONS[-1]

    def disk_full(db):
        raise sqlite3.OperationalError("database or disk is full")

    schema._MIGRATIONS[-1] = (name, disk_full)
    schema._migrations.cache_clear()
    try:
        with pytest.raises(DatabaseError, match="full"):
            Store.open(db_path)
    finally:
        schema._MIGRATIONS[-1] = (name, change)
        schema._migrations.cache_clear()
    conn = sqlite3.connect(db_path)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert applied == ["0001_initial"] and "brief_renders" not in tables
    with Store.open(db_path) as store:  # the next start makes the whole upgrade
        assert store.schema_version() == name


def test_marking_a_measure_primary_takes_the_mark_from_the_other(store, campaign):
    campaign_id = store.create_campaign(campaign)
    saved = store.get_campaign(campaign_id)
    primary = saved.primary_measure
    other = next(m for m in saved.measures if m is not primary)
    store.update_item(
        campaign_id, other.model_copy(update={"primary": True}), expected_version=saved.version
    )
    after = store.get_campaign(campaign_id)
    assert [m.name for m in after.measures if m.primary] == [other.name]


def test_a_currency_with_other_decimals_is_refused_once_amounts_exist(store, campaign):
    campaign_id = store.create_campaign(campaign)
    version = store.get_campaign(campaign_id).version
    with pytest.raises(PlannerError, match="changing the currency would change every amount"):
        store.update_campaign(campaign_id, {"currency": "JPY"}, expected_version=version)
    version = store.update_campaign(campaign_id, {"currency": "USD"}, expected_version=version)
    blank = store.create_campaign(Campaign(name="Blank"))
    store.update_campaign(blank, {"currency": "JPY"}, expected_version=1)
    assert store.get_campaign(blank).currency == "JPY"


def test_a_reader_in_another_thread_sees_the_same_campaigns_and_writes_nothing(db_path):
    import threading

    with Store.open(db_path) as store:
        store.create_campaign(full_campaign("Flu 2027"))
        summaries = store.list_campaigns()
        found: dict[str, object] = {}

        def read() -> None:
            with store.reader() as reader:
                found["rows"] = reader.portfolio_of(summaries)
                try:
                    reader.set_archived(summaries[0].id, True)
                except PlannerError as exc:
                    found["refused"] = str(exc)

        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
        assert found["rows"] == store.portfolio_of(summaries)
        assert "read-only" in str(found["refused"])
        assert not store.list_campaigns()[0].archived
    with Store.open(":memory:") as in_memory, pytest.raises(DatabaseError, match="in memory"):
        in_memory.reader()


@pytest.mark.parametrize("archived", [False, True])
def test_the_list_s_first_page_and_its_count_are_read_from_the_index(store, archived):
    """At a consultant's scale (20,000 campaigns) the first page of the list is read in its
    order from the index and stops at the page's end, and the count is taken from the index:
    no statement sorts or reads every campaign (40 ms a page and 36 a count before)."""
    names = ["beta", "Alpha", "gamma", "alpha 2", "Delta"]
    for name in names:
        store.create_campaign(Campaign(name=name))
    store.set_archived(store.list_campaigns()[0].id, True)  # "Alpha"
    said: list[str] = []
    store.conn.set_trace_callback(said.append)
    try:
        page = store.list_campaigns(limit=3, include_archived=archived)
        total = store.count_campaigns(include_archived=archived)
    finally:
        store.conn.set_trace_callback(None)
    # by name whatever its case, the archived last
    assert [s.name for s in page] == ["alpha 2", "beta", "Delta"]
    assert total == (5 if archived else 4)
    if archived:
        assert store.list_campaigns(include_archived=True)[-1].name == "Alpha"
    for statement in said:
        if statement.lstrip().upper().startswith("SELECT"):
            plan = " ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + statement))
            assert "TEMP B-TREE" not in plan and "campaigns_list" in plan, (statement, plan)


def test_whether_any_campaign_is_kept_counts_the_archived_and_not_the_trashed(store):
    """What the planner asks at start-up to choose the welcome screen: the same answer as a
    count of the list with the archived campaigns in it, without counting."""
    assert store.has_campaigns() is False
    first = store.create_campaign(Campaign(name="Flu"))
    assert store.has_campaigns() is True
    store.set_archived(first, True)
    assert store.has_campaigns() is True  # archived: still kept, shown with v
    store.delete_campaign(first)
    assert store.has_campaigns() is False  # in the trash only
    assert store.count_campaigns() == 0
