"""Tracking figures against hand-computed examples: spending against budget, the pace of
spending, progress to target (both directions), cost per result and ROI; and the store's
running totals that the figures are read from."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import tracked_campaign

from planner.domain.errors import NotFoundError, PlannerError, StaleWriteError
from planner.domain.models import (
    Activity,
    Cost,
    Measure,
    Result,
)
from planner.store import Store
from planner.tracking import Standing, portfolio, report

D = dt.date


@pytest.fixture
def cid(store: Store) -> int:
    return store.create_campaign(tracked_campaign())


def cost(day: int, amount: int, month: int = 3, **more) -> Cost:
    return Cost(date=D(2027, month, day), amount_minor=amount, **more)


def result(measure: str, when: dt.date, value: float) -> Result:
    return Result(measure=measure, date=when, value=value)


TODAY = D(2027, 3, 30)


def figures(store: Store, campaign_id: int, today: dt.date = TODAY):
    campaign, data = store.tracking_data(campaign_id)
    return report(campaign, data, today)


def three_costs(store: Store, campaign_id: int) -> None:
    store.add_entry(campaign_id, cost(5, 30000, activity="Reminder email"))
    store.add_entry(campaign_id, cost(10, 20000, activity="Flyers"))  # channel from activity
    store.add_entry(campaign_id, cost(20, 10000, channel="email"))


# ---------------------------------------------------------------------------------------------
# Money


def test_budget_against_spending_in_total_by_channel_and_by_activity(store, cid):
    three_costs(store, cid)
    r = figures(store, cid)
    assert (r.budget_minor, r.spent_minor, r.cost_count) == (150000, 60000, 3)
    assert r.remaining_minor == 90000 and r.variance_minor == -90000
    assert r.spent_pct == pytest.approx(40.0)
    assert r.variance_pct == pytest.approx(-60.0)
    channels = {row.label: (row.budget_minor, row.spent_minor) for row in r.by_channel}
    assert channels == {"Email": (100000, 40000), "Print and direct mail": (50000, 20000)}
    activities = {row.label: (row.planned_minor, row.spent_minor) for row in r.by_activity}
    assert activities == {
        "Reminder email": (80000, 30000),
        "Flyers": (40000, 20000),
        "Not tied to an activity": (0, 10000),
    }
    assert (r.first_date, r.last_date) == ("2027-03-05", "2027-03-20")
    assert r.flags == []


def test_burn_rate_and_projected_spend_at_the_end_date(store, cid):
    three_costs(store, cid)
    r = figures(store, cid, today=D(2027, 3, 30))
    # 30 days gone (1-30 March): 600.00 / 30 = 20.00 a day; 30 days left to 29 April.
    assert r.days_elapsed == 30
    assert r.burn_per_day_minor == pytest.approx(2000)
    assert r.projected_minor == 60000 + 2000 * 30
    after = figures(store, cid, today=D(2027, 6, 1))
    assert after.days_elapsed == 60 and after.projected_minor == 60000
    before = figures(store, cid, today=D(2027, 2, 1))
    assert before.burn_per_day_minor is None and before.projected_minor is None


def test_projected_overspend_and_overspend_are_flagged(store, cid):
    store.add_entry(cid, cost(2, 100000, channel="email"))
    r = figures(store, cid, today=D(2027, 3, 10))  # 1,000.00 in 10 days; 50 days to go
    assert r.projected_minor == 100000 + 10000 * 50
    assert r.flags == ["projected over budget"]
    store.add_entry(cid, cost(9, 60000, channel="events"))
    r = figures(store, cid, today=D(2027, 3, 10))
    # Events has no budget line: said too.
    assert r.over_budget and r.flags == ["over budget", "spending on a channel with no budget line"]
    events = next(row for row in r.by_channel if row.label == "Events and seminars")
    assert (events.budget_minor, events.spent_minor, events.variance_minor) == (0, 60000, 60000)


def test_zero_cost(store, cid):
    r = figures(store, cid)
    assert r.spent_minor == 0 and r.spent_pct == 0
    assert r.burn_per_day_minor == 0 and r.projected_minor == 0
    assert r.roi is None
    assert [c.per_result_minor for c in r.cost_per_result] == [None]


def test_cost_without_budget(store):
    campaign_id = store.create_campaign(tracked_campaign(budget=[]))
    store.add_entry(campaign_id, cost(3, 12345, channel="sms"))
    r = figures(store, campaign_id)
    assert r.budget_minor == 0 and r.spent_pct is None and r.variance_pct is None
    assert r.variance_minor == 12345 and r.remaining_minor == -12345
    assert r.flags == ["spending without a budget"]


def test_each_cost_counts_once_however_many_results(store, cid):
    three_costs(store, cid)
    for day in range(1, 29):
        store.add_entry(cid, result("New-patient appointments", D(2027, 3, day), 1))
        store.add_entry(cid, result("Revenue", D(2027, 3, day), 100))
    r = figures(store, cid)
    assert r.spent_minor == 60000 and r.cost_count == 3
    (per,) = r.cost_per_result
    assert per.results == 28 and per.per_result_minor == round(60000 / 28)
    assert r.revenue is not None and r.revenue.cost_minor == 60000


# ---------------------------------------------------------------------------------------------
# Measures


def progress(store, cid, name, today=TODAY):
    return next(p for p in figures(store, cid, today).measures if p.measure.name == name)


def test_progress_of_a_measure_that_should_fall(store, cid):
    # Baseline 12 %, target 8 %: 10 % is half way; on 30 March half the 60 days are gone.
    store.add_entry(cid, result("No-show rate", D(2027, 3, 25), 10))
    p = progress(store, cid, "No-show rate")
    assert p.progress_pct == pytest.approx(50.0)
    assert p.expected_pct == pytest.approx(50.0)
    assert p.standing is Standing.ON_TRACK and p.on_track is True
    store.add_entry(cid, result("No-show rate", D(2027, 3, 28), 11))
    p = progress(store, cid, "No-show rate")
    assert p.latest == 11 and p.progress_pct == pytest.approx(25.0)
    assert p.standing is Standing.BEHIND and p.on_track is False
    store.add_entry(cid, result("No-show rate", D(2027, 3, 29), 7.5))
    p = progress(store, cid, "No-show rate")
    assert p.progress_pct == pytest.approx(112.5) and p.standing is Standing.REACHED


def test_progress_of_a_measure_that_should_rise(store, cid):
    store.add_entry(cid, result("New-patient appointments", D(2027, 3, 31), 30))
    p = progress(store, cid, "New-patient appointments", today=D(2027, 4, 9))
    # (30 - 0) / (100 - 0) = 30 %, against 40 of 60 days gone = 66.7 %
    assert p.progress_pct == pytest.approx(30.0)
    assert p.expected_pct == pytest.approx(40 / 60 * 100)
    assert p.standing is Standing.BEHIND


def test_without_a_baseline_progress_starts_from_the_last_result_before_the_start(store, cid):
    store.add_entry(cid, result("Satisfaction", D(2027, 2, 15), 70))
    store.add_entry(cid, result("Satisfaction", D(2027, 3, 20), 80))
    p = progress(store, cid, "Satisfaction")
    assert (p.baseline, p.baseline_from) == (70, "before the start")
    assert p.progress_pct == pytest.approx(50.0)


def test_without_a_baseline_or_earlier_result_progress_starts_from_the_first_result(store, cid):
    store.add_entry(cid, result("Satisfaction", D(2027, 3, 10), 60))
    p = progress(store, cid, "Satisfaction")
    assert p.baseline is None and p.progress_pct is None
    assert p.standing is Standing.IN_PROGRESS and p.on_track is None
    store.add_entry(cid, result("Satisfaction", D(2027, 3, 20), 75))
    p = progress(store, cid, "Satisfaction")
    assert (p.baseline, p.baseline_from) == (60, "first result")
    assert p.progress_pct == pytest.approx(50.0)


def test_a_result_before_the_campaign_start_is_not_progress(store, cid):
    store.add_entry(cid, result("New-patient appointments", D(2027, 2, 20), 50))
    p = progress(store, cid, "New-patient appointments")
    assert p.count == 1 and p.latest is None and p.progress_pct is None
    assert p.standing is Standing.NO_RESULTS
    r = figures(store, cid)
    assert r.cost_per_result[0].results == 0  # results before the start are not counted


def test_cost_per_result_and_roi(store, cid):
    three_costs(store, cid)  # 600.00
    store.add_entry(cid, result("New-patient appointments", D(2027, 3, 15), 10))
    store.add_entry(cid, result("New-patient appointments", D(2027, 3, 31), 20))
    store.add_entry(cid, result("Revenue", D(2027, 3, 31), 1500.5))
    r = figures(store, cid)
    (per,) = r.cost_per_result
    assert (per.measure, per.results, per.per_result_minor) == (
        "New-patient appointments",
        30,
        2000,
    )
    assert r.revenue is not None and r.revenue.revenue_minor == 150050
    assert r.roi == pytest.approx((150050 - 60000) / 60000)


def test_no_revenue_measure_means_no_roi(store):
    campaign = tracked_campaign()
    campaign_id = store.create_campaign(
        campaign.model_copy(update={"measures": campaign.measures[:2]})
    )
    three_costs(store, campaign_id)
    r = figures(store, campaign_id)
    assert r.revenue is None and r.roi is None


# ---------------------------------------------------------------------------------------------
# The store's running totals


def rollups(store: Store, campaign_id: int) -> tuple:
    db = store.db
    return (
        db.execute(
            "SELECT SUM(amount_minor), SUM(entries) FROM cost_days WHERE campaign_id = ?",
            [campaign_id],
        ).fetchone(),
        db.execute(
            "SELECT SUM(amount_minor), SUM(entries) FROM cost_totals WHERE campaign_id = ?",
            [campaign_id],
        ).fetchone(),
        db.execute(
            "SELECT SUM(amount_minor), COUNT(*) FROM costs WHERE campaign_id = ?", [campaign_id]
        ).fetchone(),
    )


def test_running_totals_follow_every_add_edit_and_delete(store, cid):
    three_costs(store, cid)
    page = store.list_entries(cid, Cost)
    assert page.total == 3 and [c.amount_minor for c in page.rows] == [10000, 20000, 30000]
    first = page.rows[-1]
    store.update_entry(
        cid, first.model_copy(update={"amount_minor": 35000, "date": D(2027, 4, 1)}), original=first
    )
    store.delete_entry(cid, Cost, page.rows[0].id)
    (days, totals, raw) = rollups(store, cid)
    assert tuple(days) == tuple(totals) == tuple(raw) == (55000, 2)
    r = figures(store, cid)
    assert r.spent_minor == 55000 and r.last_date == "2027-04-01"


def test_deleting_an_activity_keeps_its_costs_and_their_channel(store, cid):
    three_costs(store, cid)
    campaign = store.get_campaign(cid)
    flyers = next(a for a in campaign.activities if a.name == "Flyers")
    store.delete_item(cid, Activity, flyers.id, expected_version=campaign.version)
    r = figures(store, cid)
    assert r.spent_minor == 60000
    assert {row.label: row.spent_minor for row in r.by_activity}["Not tied to an activity"] == 30000
    assert {row.label: row.spent_minor for row in r.by_channel}["Print and direct mail"] == 20000


def test_deleting_a_measure_removes_its_results_from_the_totals(store, cid):
    store.add_entry(cid, result("Satisfaction", D(2027, 3, 10), 60))
    campaign = store.get_campaign(cid)
    measure = next(m for m in campaign.measures if m.name == "Satisfaction")
    store.delete_item(cid, Measure, measure.id, expected_version=campaign.version)
    assert store.db.execute("SELECT COUNT(*) FROM result_days").fetchone()[0] == 0


def test_recording_moves_the_tracking_counter_not_the_plan_version(store, cid):
    before = store.tracking_version(cid)
    store.add_entry(cid, cost(5, 100, channel="email"))
    after = store.tracking_version(cid)
    assert after[0] == before[0] and after[1] == before[1] + 1


def test_an_edit_based_on_a_stale_read_is_refused(store, cid):
    entry_id = store.add_entry(cid, cost(5, 100, channel="email"))
    read = store.get_entry(cid, Cost, entry_id)
    store.update_entry(cid, read.model_copy(update={"amount_minor": 200}), original=read)
    with pytest.raises(StaleWriteError, match="changed in another window"):
        store.update_entry(cid, read.model_copy(update={"note": "mine"}), original=read)
    assert store.get_entry(cid, Cost, entry_id).amount_minor == 200


def test_an_unknown_measure_or_activity_is_named_with_the_ones_there_are(store, cid):
    with pytest.raises(PlannerError, match=r"no measure called 'Leads'.*'No-show rate'"):
        store.add_entry(cid, result("Leads", D(2027, 3, 1), 3))
    with pytest.raises(PlannerError, match=r"no activity called 'Radio'.*its activities are"):
        store.add_entry(cid, cost(1, 100, activity="Radio"))
    assert store.list_entries(cid, Cost).total == 0


def test_entries_of_another_campaign_cannot_be_touched(store, cid):
    other = store.create_campaign(tracked_campaign(name="Other"))
    entry_id = store.add_entry(other, cost(5, 100, channel="email"))
    with pytest.raises(NotFoundError):
        store.delete_entry(cid, Cost, entry_id)
    assert store.list_entries(other, Cost).total == 1


def test_pages_and_streams_of_entries(store, cid):
    for day in range(1, 26):
        store.add_entry(cid, cost(day, day * 100, channel="email"))
    page = store.list_entries(cid, Cost, offset=20, limit=10)
    assert page.total == 25 and [c.date.day for c in page.rows] == [5, 4, 3, 2, 1]
    assert [c.date.day for c in store.iter_entries(cid, Cost)] == list(range(1, 26))


def test_an_older_database_gets_its_running_totals_on_upgrade(db_path, campaign):
    from sqlite_utils import Database

    from planner.store.schema import _migrations

    db = Database(db_path)
    for migration in _migrations()._migrations[:2]:
        migration.fn(db)
        db["_sqlite_migrations"].insert(
            {"migration_set": "planner", "name": migration.name, "applied_at": "2026-01-01"}
        )
    db.execute(
        "INSERT INTO campaigns (id, name, currency, version, created_at, updated_at) "
        "VALUES (1, 'Old', 'EUR', 1, '2026-01-01', '2026-01-01')"
    )
    db.execute(
        "INSERT INTO activities (id, campaign_id, name, channel, journey_stage) "
        "VALUES (1, 1, 'Mailing', 'print_mail', 'awareness')"
    )
    db.execute(
        "INSERT INTO costs (campaign_id, date, amount_minor, activity_id) VALUES "
        "(1, '2027-01-05', 500, 1), (1, '2027-01-05', 700, NULL)"
    )
    db.conn.commit()
    db.close()
    with Store.open(db_path) as store:
        _, data = store.tracking_data(1)
        assert {(t.channel, t.activity, t.amount_minor) for t in data.spend} == {
            ("print_mail", "Mailing", 500),
            (None, None, 700),
        }
        assert data.days[0].date == "2027-01-05"


# ---------------------------------------------------------------------------------------------
# The portfolio


def test_portfolio_shows_spending_progress_and_flags(store, cid):
    quiet = store.create_campaign(tracked_campaign(name="Quiet", end_date=D(2027, 12, 31)))
    store.add_entry(cid, cost(2, 160000, channel="email"))
    store.add_entry(cid, result("New-patient appointments", D(2027, 4, 10), 10))
    lines = {line.summary.name: line for line in portfolio(store.portfolio(), D(2027, 4, 20))}
    busy = lines["New patients"]
    assert busy.spent_minor == 160000 and busy.spent_pct == pytest.approx(160000 / 150000 * 100)
    assert busy.primary is not None and busy.primary.progress_pct == pytest.approx(10)
    assert busy.flags == ["over budget", "behind target", "ending soon"]
    assert lines["Quiet"].flags == [] and lines["Quiet"].spent_minor == 0
    assert quiet in {line.summary.id for line in lines.values()}
