"""Issue 27, return a practice can trust: the measure whose results are the campaign's revenue
is marked, never guessed; the referrals starter shows its ROI once collections are recorded;
a database or a campaign file from before the mark keeps the ROI it had."""

from __future__ import annotations

import json
import sqlite3

import pytest

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign, Measure
from planner.plan.exchange import dumps, loads
from planner.store import Store

COLLECTIONS = "Net collections from new-patient visits"


@pytest.fixture
def cli(tracking_cli):
    return tracking_cli


def test_the_referrals_starter_shows_its_roi_once_collections_are_recorded(cli):
    cli("new", "Referrals 2027", "--from", "specialist-referrals", "--start", "2027-01-01")
    cli("costs", "add", "1", "--date", "2027-01-15", "--amount", "1000")
    before = json.loads(cli("report", "1", "--json").stdout)
    assert before["revenue"] is None and before["roi"] is None
    for month in ("2027-01", "2027-02"):  # "USD per month": each month's collections add up
        cli("results", "add", "1", "--measure", COLLECTIONS, "--date", month, "--value", "3000")
    after = json.loads(cli("report", "1", "--json").stdout)
    assert after["revenue"] == {"measure": COLLECTIONS, "revenue_minor": 600_000}
    assert after["roi"] == pytest.approx(5.0)  # (6,000 - 1,000) / 1,000
    assert COLLECTIONS not in [c["measure"] for c in after["cost_per_result"]]


def test_a_measure_called_revenue_but_not_marked_gives_no_roi(cli, db_path):
    with Store.open(db_path) as store:
        store.create_campaign(
            Campaign(
                name="Clinic",
                currency="USD",
                measures=[Measure(name="Revenue", category="financial", unit="currency")],
            )
        )
    cli("costs", "add", "1", "--date", "2027-01-15", "--amount", "100")
    cli("results", "add", "1", "--measure", "Revenue", "--date", "2027-01-20", "--value", "500")
    found = json.loads(cli("report", "1", "--json").stdout)
    assert found["revenue"] is None and found["roi"] is None


def test_a_revenue_measure_that_should_decrease_is_refused_in_a_sentence():
    with pytest.raises(ValueError, match="marked as the campaign's revenue"):
        Measure(name="Takings", category="financial", direction="decrease", revenue=True)


def version_1(campaign: Campaign, *, say: bool | None = None) -> str:
    """The campaign as a planner before the mark wrote it (or, with ``say``, with the mark)."""
    document = json.loads(dumps(campaign))
    document["format_version"] = 1
    for measure in document["campaign"]["measures"]:
        del measure["revenue"]
        if say is not None:
            measure["revenue"] = say
    return json.dumps(document)


def test_a_version_1_file_marks_what_was_taken_for_revenue_then():
    campaign = Campaign(
        name="Clinic",
        currency="EUR",
        measures=[
            Measure(name="Incassi", category="financial", unit="EUR"),
            Measure(name="Net collections", category="financial", unit="EUR per month"),
            Measure(name="Visits", category="acquisition", unit="visits"),
        ],
    )
    marked = [m.revenue for m in loads(version_1(campaign)).measures]
    assert marked == [True, False, False]
    assert [m.revenue for m in loads(version_1(campaign, say=False)).measures] == [False] * 3
    assert [m.revenue for m in loads(dumps(campaign)).measures] == [False] * 3  # version 2


def test_a_file_from_a_newer_planner_is_refused():
    document = json.loads(dumps(Campaign(name="Clinic")))
    document["format_version"] += 1
    with pytest.raises(PlannerError, match="newer planner"):
        loads(json.dumps(document))


def test_upgrading_a_database_marks_what_was_taken_for_revenue_then(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(
            Campaign(
                name="Clinic",
                currency="USD",
                measures=[
                    Measure(name="Sales", category="financial", unit="USD"),
                    Measure(name="Collections", category="financial", unit="USD per month"),
                    Measure(name="Bookings", category="acquisition", unit="bookings"),
                ],
            )
        )
    # The file as the planner before the mark left it.
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("ALTER TABLE measures DROP COLUMN is_revenue")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0013_revenue_measure'")
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == "0013_revenue_measure"
        assert [m.revenue for m in store.get_campaign(1).measures] == [True, False, False]


def test_the_kpi_librarys_revenue_measure_comes_marked():
    from planner.plan.kpis import kpi_library

    marked = [k.measure() for k in kpi_library() if k.measure().revenue]
    assert [m.name for m in marked] == ["Revenue from campaign services"]
