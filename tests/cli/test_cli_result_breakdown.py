"""Issue 27, results with their breakdown: a result says what it is out of (21 bookings of 500
invitations) and what it belongs to (a variant, an activity, a segment, an influencer, a
channel), from the command line, an imported file and a campaign file, and keeps it when the
plan changes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from factories import ab_campaign

from planner.domain.models import Result
from planner.plan.exchange import dumps, loads
from planner.store import Store

BOOKINGS = ("results", "add", "1", "--measure", "Bookings", "--date", "2027-03-10")


@pytest.fixture
def cli(ab_cli):
    return ab_cli


def listed(cli) -> list[dict]:
    return json.loads(cli("results", "list", "1", "--json").stdout)


def test_a_result_of_an_activity_takes_its_variant_segment_and_channel(cli):
    cli(*BOOKINGS, "--value", "21", "--of", "500", "--activity", "email b")
    (result,) = listed(cli)
    assert {k: result[k] for k in ("value", "of", "variant", "activity", "segment")} == {
        "value": 21.0,
        "of": 500.0,
        "variant": "Story email",
        "activity": "Email B",
        "segment": "Parents",
    }
    assert result["channel"] == "email" and result["influencer"] is None
    table = cli("results", "list", "1").stdout.splitlines()
    assert table[0].split()[:6] == ["ID", "DATE", "MEASURE", "VALUE", "OF", "FOR"]
    assert "500" in table[1] and "B: Story email · Email B" in table[1]


def test_what_is_given_is_kept_and_a_variant_brings_its_segment(cli):
    cli(*BOOKINGS, "--value", "3", "--activity", "Flyers", "--channel", "events")
    cli(*BOOKINGS, "--value", "4", "--variant", "short EMAIL")
    cli(*BOOKINGS, "--value", "5", "--influencer", "Dr Rossi", "--segment", "Seniors")
    flyers, short, rossi = listed(cli)
    assert (flyers["channel"], flyers["influencer"], flyers["segment"]) == (
        "events",
        "Dr Rossi",
        "Seniors",
    )
    assert (short["variant"], short["segment"], short["activity"]) == (
        "Short email",
        "Parents",
        None,
    )
    assert (rossi["influencer"], rossi["segment"], rossi["of"]) == ("Dr Rossi", "Seniors", None)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--value", "21", "--of", "0"), "--of needs a number above 0"),
        (("--value", "21", "--of", "many"), "'many' is not a number"),
        (("--value", "600", "--of", "500"), "counts 600 out of 500: it cannot be more than"),
        (("--value", "2", "--variant", "C"), "There is no message variant called 'C'"),
        (("--value", "2", "--segment", "Kids"), "There is no segment called 'Kids'"),
        (("--value", "2", "--influencer", "Dr X"), "There is no influencer called 'Dr X'"),
        (("--value", "2", "--channel", "fax"), "'fax' is not a channel"),
    ],
)
def test_a_breakdown_that_cannot_be_is_refused_in_a_sentence(cli, args, said):
    out = cli(*BOOKINGS, *args, code=2).output
    assert said in out and "Traceback" not in out
    assert listed(cli) == []


def test_a_rate_is_a_share_of_what_it_is_out_of(cli):
    rate = ("results", "add", "1", "--measure", "Open rate", "--date", "2027-03-10")
    cli(*rate, "--value", "42%", "--of", "20", "--activity", "Email A")  # 42% of 20 is fine
    assert "100% at most" in cli(*rate, "--value", "120", "--of", "500", code=2).output
    assert [r["value"] for r in listed(cli)] == [42.0]


def test_the_breakdown_goes_through_a_campaign_file(cli, db_path, tmp_path):
    cli(*BOOKINGS, "--value", "21", "--of", "500", "--activity", "Email A")
    cli(*BOOKINGS, "--value", "9", "--influencer", "Dr Rossi", "--channel", "events")
    path = tmp_path / "recall.json"
    cli("export", "1", "-o", str(path))
    assert json.loads(path.read_text())["format_version"] == 3
    cli("import-campaign", str(path))
    with Store.open(db_path) as store:
        copied = [r.model_dump(exclude={"id"}) for r in store.get_campaign(2).results]
        original = [r.model_dump(exclude={"id"}) for r in store.get_campaign(1).results]
    assert copied == original
    assert (copied[0]["variant"], copied[0]["of"], copied[1]["channel"]) == (
        "Short email",
        500,
        "events",
    )


def test_a_campaign_file_naming_an_item_the_plan_lacks_is_refused(tmp_path):
    document = json.loads(dumps(ab_campaign()))
    document["campaign"]["results"] = [
        {"measure": "Bookings", "date": "2027-03-10", "value": 2, "variant": "Long email"}
    ]
    with pytest.raises(Exception, match="refers to the message variant 'Long email'"):
        loads(json.dumps(document))
    # more than its whole is refused when written, never when read: a measure's unit may
    # change after its results (a file the planner wrote always reads back)
    document["campaign"]["results"] = [
        {"measure": "Bookings", "date": "2027-03-10", "value": 20, "of": 10}
    ]
    assert loads(json.dumps(document)).results[0].of == 10


def test_a_version_2_file_without_a_breakdown_still_reads(db_path):
    document = json.loads(dumps(ab_campaign()))
    document["format_version"] = 2
    document["campaign"]["results"] = [
        {"measure": "Bookings", "date": "2027-03-10", "value": 2, "source": "", "note": ""}
    ]
    (result,) = loads(json.dumps(document)).results
    assert result.of is None and result.breakdown == (None,) * 5


def test_deleting_an_activity_unlinks_its_results_and_undo_links_them_again(cli, db_path):
    cli(*BOOKINGS, "--value", "21", "--of", "500", "--activity", "Email A")
    with Store.open(db_path) as store:
        campaign = store.get_campaign(1)
        activity = next(a for a in campaign.activities if a.name == "Email A")
        store.delete_item(1, type(activity), activity.id, expected_version=campaign.version)
        (result,) = store.get_campaign(1).results
        assert result.activity is None and result.variant == "Short email"  # kept: its own
        store.undo(1, expected_version=None)
        (result,) = store.get_campaign(1).results
        assert result.activity == "Email A"


def test_an_older_database_gains_the_breakdown_with_its_results_whole(db_path):
    with Store.open(db_path) as store:
        store.create_campaign(ab_campaign())
        store.add_entry(1, Result(measure="Bookings", date="2027-03-10", value=7))
    conn = sqlite3.connect(db_path)
    with conn:  # the file as the planner before the breakdown left it
        for index in ("variant", "activity", "segment", "influencer"):
            conn.execute(f"DROP INDEX results_{index}")
        for column in ("trials", "variant_id", "activity_id", "segment_id", "influencer_id"):
            conn.execute(f"ALTER TABLE results DROP COLUMN {column}")
        conn.execute("ALTER TABLE results DROP COLUMN channel")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0014_result_breakdown'")
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == "0014_result_breakdown"
        (result,) = store.get_campaign(1).results
    assert (result.value, result.of, result.breakdown) == (7, None, (None,) * 5)


def test_an_imported_file_maps_the_breakdown_from_its_columns(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    path = tmp_path / "ab.csv"
    path.write_text(
        "Date,Variant,Sent,Booked,Opened\n"
        "2027-03-10,Short email,500,21,40%\n"
        "2027-03-10,Story email,480,38,50%\n"
        "2027-03-10,story EMAIL,20,2,10%\n"  # the same variant and day: added up
        "2027-03-11,Long email,10,1,20%\n",
        encoding="utf-8",
    )
    mapped = ("--map", "value=Booked", "--map", "of=Sent", "--map", "variant=Variant")
    preview = cli("import", "results", "1", str(path), "--map", "measure=Bookings", *mapped,
                  "--dry-run").output  # fmt: skip
    assert "of <- Sent" in preview and "variant <- Variant" in preview
    assert "variant Story email" in preview
    assert "line 5, Variant 'Long email': not a message variant of this campaign" in preview
    cli("import", "results", "1", str(path), "--map", "measure=Bookings", *mapped,
        "--skip-unreadable")  # fmt: skip
    cli(
        "import",
        "results",
        "1",
        str(path),
        "--map",
        "measure=Open rate",
        "--map",
        "value=Opened",
        "--map",
        "of=Sent",
        "--map",
        "variant=Variant",
        "--skip-unreadable",
        "--force",
    )  # fmt: skip (the same file, another measure)
    found = [(r["measure"], r["variant"], r["value"], r["of"]) for r in listed(cli)]
    assert found == [
        ("Bookings", "Short email", 21, 500),
        ("Bookings", "Story email", 40, 500),
        ("Open rate", "Short email", 40, 500),
        # a rate of rows of one variant and day: weighted by what each is out of
        ("Open rate", "Story email", pytest.approx((50 * 480 + 10 * 20) / 500), 500),
    ]
    assert {r["segment"] for r in listed(cli)} == {"Parents"}


def test_a_file_without_the_breakdown_mapped_reads_as_before(cli, tmp_path, monkeypatch):
    """A file's own Campaign or Channel column names the source's campaign, not the plan's
    activity: it is read only when the user maps it."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    path = tmp_path / "plain.csv"
    path.write_text(
        "Date,Campaign,Channel,Measure,Value\n2027-03-10,Spring,Email,Bookings,4\n",
        encoding="utf-8",
    )
    cli("import", "results", "1", str(path))
    (result,) = listed(cli)
    assert (result["value"], result["activity"], result["channel"]) == (4, None, None)


GA4_BY_TAG = """# ----------------------------------------
# Start date: 20270301
# End date: 20270331
# ----------------------------------------
Session manual ad content,Date,Sessions,Key events
spring-recall,20270305,120,4
flu-shots-search,20270305,80,2
flu-shots-search,20270306,20,1
other-campaign-tag,20270305,500,10
(not set),20270305,900,12
"""


def test_a_ga4_report_by_link_tag_attributes_its_rows_to_the_activities(
    tracking_cli, db_path, tmp_path, monkeypatch
):
    """Each row's "Session manual ad content" is the utm_content of an activity's tracking
    link (planner links); rows of other campaigns' links and untagged visits are left out and
    counted."""
    from factories import import_campaign

    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    with Store.open(db_path) as store:
        store.create_campaign(import_campaign())
    links = json.loads(
        tracking_cli("links", "1", "--base-url", "https://clinic.example/flu", "--json").stdout
    )
    tags = {link["utm_content"]: link["activity"] for link in links["links"]}
    assert tags["flu-shots-search"] == "Flu shots search"
    path = tmp_path / "ga4.csv"
    path.write_text(GA4_BY_TAG, encoding="utf-8")
    preview = tracking_cli("import", "results", "1", str(path), "--dry-run").output
    assert "content <- Session manual ad content" in preview
    assert "2 rows of other campaigns' links or untagged visits left out" in preview
    tracking_cli("import", "results", "1", str(path))
    found = [(r["activity"], r["value"], r["channel"]) for r in listed(tracking_cli)]
    assert found == [
        ("Flu shots search", 80, "search_ads"),
        ("Spring recall", 120, "email"),
        ("Flu shots search", 20, "search_ads"),
    ]
    # mapped to nothing, the tag is not read: the file's sessions in all, per day
    tracking_cli("import", "undo", "1")
    tracking_cli("import", "results", "1", str(path), "--map", "content=", "--force")
    totals = [(r["activity"], r["value"]) for r in listed(tracking_cli)]
    assert totals == [(None, 1600), (None, 20)]


def test_a_days_results_of_several_variants_make_one_latest_figure(cli):
    """A rate's results of one day, each out of its own whole, are weighted by it: the
    campaign's open rate that day is 230 of 500, not the last variant's 50%."""
    rate = ("results", "add", "1", "--measure", "Open rate", "--date", "2027-03-10")
    cli(*rate, "--value", "40%", "--of", "300", "--variant", "Short email")
    cli(*rate, "--value", "55%", "--of", "200", "--variant", "Story email")
    report = json.loads(cli("report", "1", "--json").stdout)
    opened = next(m for m in report["measures"] if m["name"] == "Open rate")
    assert opened["latest"] == pytest.approx((40 * 300 + 55 * 200) / 500)  # 46%
    cli(*BOOKINGS, "--value", "21", "--activity", "Email A")
    cli(*BOOKINGS, "--value", "38", "--activity", "Email B")
    report = json.loads(cli("report", "1", "--json").stdout)
    bookings = next(m for m in report["measures"] if m["name"] == "Bookings")
    assert bookings["latest"] == 59


def test_the_referrals_starter_counts_referrals_not_money(tracking_cli):
    """Found by a newcomer's review: the revenue measure ("USD per month from referred new
    patients") was read as referrals, and a count per month was averaged over its sources."""
    cli = tracking_cli
    cli("new", "Referrals", "--from", "specialist-referrals", "--start", "2027-01-01")
    measure = "New-patient referrals from target practices"  # "referrals per month"
    add = ("results", "add", "1", "--date", "2027-03-20", "--measure")
    cli(*add, measure, "--value", "40", "--influencer", "High-volume referring PCP groups")
    cli(
        *add, measure, "--value", "12", "--activity", "Introductory email to clinicians - version A"
    )
    cli(*add, "Net collections from new-patient visits", "--value", "30000",
        "--influencer", "High-volume referring PCP groups")  # fmt: skip
    rows = json.loads(cli("report", "1", "--by", "influencer", "--json").stdout)["rows"]
    high = next(r for r in rows if r["influencer"] == "High-volume referring PCP groups")
    assert high["results"][measure]["value"] == 40
    brief = cli("brief", "1").stdout
    table = brief[brief.index("### Referrals since the start") :]
    line = next(x for x in table.splitlines() if x.startswith("| High-volume referring PCP"))
    assert "| 40 |" in line and "30,000" not in line  # the money is no referral
    # the month's figure is its sources added up: 40 + 12 referrals in March
    report = json.loads(cli("report", "1", "--json").stdout)
    primary = next(m for m in report["measures"] if m["name"] == measure)
    assert primary["latest"] == 52


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--value", "150%"), "is 150%, but a share (% of emails opened) is between 0% and 100%"),
        (("--value", "-5%"), "is -5%, but a share"),
        (("--value", "40%", "--of", "12.5"), "is a whole number (invitations, patients), not 12.5"),
    ],
)
def test_a_share_beyond_its_bounds_or_a_part_of_a_whole_is_refused(cli, args, said):
    """Found by a newcomer's review: 150% of emails opened was saved, and so was 1,234.5
    invitations."""
    rate = ("results", "add", "1", "--measure", "Open rate", "--date", "2027-03-10")
    out = cli(*rate, *args, code=2).output
    assert said in out
    assert listed(cli) == []


def test_an_imported_share_beyond_its_bounds_is_told_at_its_line(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    path = tmp_path / "opens.csv"
    path.write_text(
        "Date,Opened\n2027-03-10,40%\n2027-03-11,45%\n2027-03-12,150%\n", encoding="utf-8"
    )
    out = cli("import", "results", "1", str(path), "--map", "measure=Open rate",
              "--map", "value=Opened", "--dry-run").output  # fmt: skip
    assert "line 4, Open rate '150'" in out and "a share (% of emails opened)" in out


def test_an_import_reads_a_month_alone_as_the_whole_month(cli, tmp_path, monkeypatch):
    """Found by a newcomer's review: results add takes --date 2027-01, an import refused the
    same month in a spreadsheet's Month column."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    path = tmp_path / "months.csv"
    path.write_text(
        "Month,Measure,Value\n2027-01,Bookings,12\n2027-02,Bookings,15\n2027-13,Bookings,3\n",
        encoding="utf-8",
    )
    out = cli("import", "results", "1", str(path), "--map", "date=Month", "--skip-unreadable")
    assert "line 4, Month '2027-13': not a month (01 to 12)" in out.output
    assert [(r["period_start"], r["date"], r["value"]) for r in listed(cli)] == [
        ("2027-01-01", "2027-01-31", 12),
        ("2027-02-01", "2027-02-28", 15),
    ]


def test_the_starting_point_of_a_day_with_several_results_is_one_figure_too(cli):
    """Found by a code review: the baseline taken from the first date was one variant's result
    while the latest combined both, which gave 22% progress where there was none."""
    rate = ("results", "add", "1", "--measure", "Open rate", "--of", "1000", "--date")
    cli(*rate, "2027-03-05", "--value", "2%", "--variant", "Short email")
    cli(*rate, "2027-03-05", "--value", "10%", "--variant", "Story email")
    cli(*rate, "2027-03-20", "--value", "6%", "--variant", "Short email")
    cli(*rate, "2027-03-20", "--value", "6%", "--variant", "Story email")
    report = json.loads(cli("report", "1", "--json").stdout)
    opened = next(m for m in report["measures"] if m["name"] == "Open rate")
    assert (opened["baseline_used"], opened["latest"]) == (6, 6)  # both days: 60 of 1,000


def test_a_unit_changed_after_its_results_never_stops_the_campaign_opening(cli, db_path):
    """A result checked against its measure's unit when written stays readable when the unit
    changes: the campaign opens, exports and imports again."""
    cli(*BOOKINGS, "--value", "80", "--of", "100")
    with Store.open(db_path) as store:
        campaign = store.get_campaign(1)
        bookings = next(m for m in campaign.measures if m.name == "Bookings")
        store.update_item(
            1, bookings.model_copy(update={"unit": "% booked"}), expected_version=campaign.version
        )
        assert store.get_campaign(1).results[0].value == 80
    exported = cli("export", "1").stdout
    assert loads(exported).results[0].of == 100


def test_the_breakdown_reads_only_this_campaigns_named_results(cli, db_path):
    """_evidence and the influencers' sums look up the campaign's own items' results through
    the link's index: another campaign's attributed results are never read."""
    from factories import ab_campaign

    with Store.open(db_path) as store:
        other = store.create_campaign(ab_campaign(name="Other"))
        store.add_entry(other, Result(measure="Bookings", date="2027-03-02", value=5,
                                      influencer="Dr Rossi", of=10))  # fmt: skip
        plan = [
            row[3]
            for row in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM influencers t WHERE t.campaign_id = 1 "
                "AND EXISTS (SELECT 1 FROM results r INDEXED BY results_influencer "
                "WHERE r.influencer_id = t.id)"
            )
        ]
        assert any("results_influencer (influencer_id=?)" in step for step in plan)
        _, data = store.tracking_data(1)
        assert data.evidence.influencers_with_results == 0 and data.by_influencer == []
        _, theirs = store.tracking_data(other)
        assert theirs.evidence.influencers_with_results == 1


def test_a_refused_share_or_whole_is_said_in_the_campaigns_number_style(cli):
    """Found by a code review: an Italian campaign typing 123,4 was told 123.4%."""
    cli("number-style", "1", "it_IT")
    rate = ("results", "add", "1", "--measure", "Open rate", "--date", "2027-03-10")
    assert "This result is 123,4%, but a share" in cli(*rate, "--value", "123,4", code=2).output
    out = cli(*BOOKINGS, "--value", "1.500,5", "--of", "1.000", code=2).output
    assert "counts 1.500,5 out of 1.000" in out
