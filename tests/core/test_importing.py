"""Importing the files practices already have: every format with its quirks, the preview,
patient-level refusal, all-or-nothing writes, duplicate detection and undo."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from factories import import_campaign
from patient_corpus import patients_after

from planner.domain.errors import PlannerError
from planner.domain.models import Cost, ImportKind, ImportOptions, Result, SavedMapping
from planner.imports import DuplicateImport, ImportRefused, plan_import, preview, run_import
from planner.imports.patient_data import PatientDataError
from planner.imports.tabular import FileProblem
from planner.store import Store
from planner.tracking import report

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture(autouse=True)
def _files_dated_in_the_past(monkeypatch):
    """The files' rows are dated in 2027: they are imported as of the end of that year (rows
    dated after today are left out; tests/screens/test_future_dates.py shows that)."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "planner.db") as opened:
        yield opened


@pytest.fixture
def campaign_id(store: Store) -> int:
    return store.create_campaign(import_campaign())


def plan(store: Store, campaign_id: int, name: str, kind: str = "costs", **options):
    campaign = store.get_campaign(campaign_id, tracking=False)
    return plan_import(FIXTURES / name, campaign, ImportOptions(kind=kind, **options))


def test_google_ads_report_costs_span_its_date_range_and_skip_totals(store, campaign_id):
    planned = plan(store, campaign_id, "google_ads_campaigns.csv")
    assert planned.format.key == "google-ads"
    seen = preview(planned)
    assert seen.entries == 3  # the paused campaign spent nothing
    assert seen.total_minor == 98730 + 19032 + 16720  # "Total:" rows are not counted
    assert seen.totals_skipped == 4
    assert seen.empty == 1
    first = seen.sample[0]
    assert (first.period_start, first.date) == (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert first.activity == "Flu shots search"  # the source campaign matched an activity
    assert seen.sample[1].channel.value == "display_ads"  # from the campaign type
    assert "1 row with nothing spent; 4 totals rows left out" in seen.summary()


def test_google_ads_excel_download_in_utf16_with_tabs_and_days(store, campaign_id):
    planned = plan(store, campaign_id, "google_ads_daily_excel.csv")
    assert planned.sheet.description == "UTF-16, tab-separated"
    seen = preview(planned)
    assert [c.date.day for c in seen.sample] == [1, 1, 2, 3]
    assert seen.total_minor == 10570
    assert all(c.period_start is None for c in seen.sample)


def test_google_ads_clicks_become_results_of_the_obvious_measure(store, campaign_id):
    planned = plan(store, campaign_id, "google_ads_campaigns.csv", "results")
    assert planned.measures == {"Ad clicks": "Clicks"}
    (result,) = preview(planned).sample
    assert (result.measure, result.value) == ("Ad clicks", 1604)  # grouped "1,204" read


def test_meta_export_with_bom_summary_row_and_header_currency(store, campaign_id):
    seen = preview(plan(store, campaign_id, "meta_ads_daily.csv"))
    assert seen.totals_skipped == 1  # the summary row with no campaign name
    assert seen.total_minor == 1466 + 1533 + 11288
    assert seen.sample[0].date == dt.date(2027, 3, 1) and seen.sample[0].period_start is None
    assert seen.sample[-1].period_start == dt.date(2027, 3, 1)
    newer = preview(plan(store, campaign_id, "meta_ads_new.csv"))
    assert newer.total_minor == 1925


def test_mailchimp_rates_and_send_dates_from_a_windows_1252_file(store, campaign_id):
    planned = plan(store, campaign_id, "mailchimp_campaigns.csv", "results")
    assert planned.sheet.encoding == "cp1252"
    assert planned.measures == {"Email open rate": "Open Rate", "Email click rate": "Click Rate"}
    seen = preview(planned)
    opens = [(r.date, r.value) for r in seen.sample if r.measure == "Email open rate"]
    assert opens == [
        (dt.date(2027, 3, 2), 37.78),
        (dt.date(2027, 3, 9), 33.95),
        (dt.date(2027, 3, 16), 32.31),
    ]
    assert seen.by_measure["Email click rate"][0] == 2  # n/a is no figure, not an error
    assert not seen.problems


def test_mailchimp_has_no_costs(store, campaign_id):
    with pytest.raises(ImportRefused, match="holds figures, not costs; import it as results"):
        plan(store, campaign_id, "mailchimp_campaigns.csv")


def test_ga4_period_from_comments_fractions_as_percent_and_rows_added_up(store, campaign_id):
    planned = plan(store, campaign_id, "ga4_landing_pages.csv", "results")
    assert planned.period == (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    by_name = {r.measure: r for r in preview(planned).sample}
    assert by_name["Website sessions"].value == 1482 + 311 + 57  # landing pages add up
    rate = by_name["Key event rate"].value  # a fraction in the file, a percentage here
    assert rate == pytest.approx((4.11605937921727 + 14.1479099678457 + 0) / 3)
    assert by_name["Key event rate"].note == "the average of 3 rows"
    daily = preview(plan(store, campaign_id, "ga4_daily.csv", "results"))
    assert [r.date for r in daily.sample] == [dt.date(2027, 3, d) for d in (1, 2, 3)]


def test_hcahps_needs_one_hospital_and_reads_the_right_value_column(store, campaign_id):
    with pytest.raises(ImportRefused, match=r"several hospitals.*Facility ID=010001"):
        preview(plan(store, campaign_id, "hcahps_hospitals.csv", "results"))
    planned = plan(
        store, campaign_id, "hcahps_hospitals.csv", "results", where={"Facility ID": "010001"}
    )
    seen = preview(planned)
    values = {r.measure: (r.period_start, r.date, r.value) for r in seen.sample}
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert values == {"HCAHPS star rating": (*year, 3), "Overall hospital rating": (*year, 71)}
    assert seen.filtered == 4 and seen.unmapped == 2


def test_a_european_spreadsheet_with_day_first_dates_and_a_total_row(store):
    campaign_id = store.create_campaign(import_campaign(currency="EUR"))
    planned = plan(store, campaign_id, "generic_costs_it.csv")
    assert (planned.decimal, planned.day_first) == (",", True)
    assert planned.sheet.description == "Windows-1252, semicolon-separated"
    seen = preview(planned)
    assert [(c.date, c.amount_minor) for c in seen.sample] == [
        (dt.date(2027, 3, 3), 125050),
        (dt.date(2027, 3, 15), 32000),
        (dt.date(2027, 3, 28), 7550),
    ]
    assert seen.totals_skipped == 1
    assert [c.channel.value for c in seen.sample] == ["print_mail", "social_media", "events"]
    assert seen.sample[0].note == "Volantini vaccino antinfluenzale"


def test_every_unreadable_row_is_listed_with_line_column_value_and_reason(store, campaign_id):
    seen = preview(plan(store, campaign_id, "generic_costs_problems.csv"))
    assert seen.entries == 2 and seen.problem_rows == 4
    assert [(p.line, p.column, p.value) for p in seen.problems] == [
        (3, "Date", "2027-02-30"),
        (4, "Amount", "TBD"),
        (5, "Amount", "-$50.00"),
        (6, "Channel", "billboards"),
    ]
    assert "not a day of the calendar" in seen.problems[0].reason
    assert "negative" in seen.problems[2].reason


def test_control_characters_and_amounts_too_large_are_rows_that_cannot_be_read(
    store, campaign_id, tmp_path
):
    path = tmp_path / "odd.csv"
    path.write_text(
        "Date,Amount,Vendor,Note\n"
        "2027-03-01,10.00,Acme,fine\n"
        "2027-03-02,10.00,Ac\x07me,bell in the vendor\n"
        "2027-03-03,10.00,Acme,bell\x07in the note\n"
        "2027-03-04,20000000000.00,Acme,too much for one cost\n"
        "2027-03-05,12.345,Acme,too many decimals\n"
        f"2027-03-06,5.00,{'A' * 199} {'B' * 10},a long vendor is cut at 200 characters\n",
        encoding="utf-8",
    )
    campaign = store.get_campaign(campaign_id, tracking=False)
    seen = preview(plan_import(path, campaign, ImportOptions(kind="costs")))
    assert seen.entries == 2 and seen.total_minor == 1500
    planned = plan_import(path, campaign, ImportOptions(kind="costs"))
    run_import(store, planned, campaign_id, skip_unreadable=True)
    stored = [v for (v,) in store.db.execute("SELECT vendor FROM costs ORDER BY date")]
    assert stored == ["Acme", "A" * 199]  # cut, with no space left at the end
    assert [(p.line, p.column) for p in seen.problems] == [
        (3, "Vendor"),
        (4, "Note"),
        (5, "Amount"),
        (6, "Amount"),
    ]
    assert "control characters" in seen.problems[0].reason
    assert "more than one cost can be" in seen.problems[2].reason
    assert "decimal places" in seen.problems[3].reason


def test_an_ambiguous_date_is_read_month_first_and_said_so(store, campaign_id, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("Date,Amount\n03/09/2027,10.00\n04/10/2027,12.00\n")
    campaign = store.get_campaign(campaign_id, tracking=False)
    planned = plan_import(path, campaign, ImportOptions(kind="costs"))
    assert "could be read either way" in planned.notices[0]
    assert preview(planned).sample[0].date == dt.date(2027, 3, 9)
    flipped = plan_import(path, campaign, ImportOptions(kind="costs", day_first=True))
    assert preview(flipped).sample[0].date == dt.date(2027, 9, 3)


def test_a_long_file_with_measure_and_value_columns(store, campaign_id):
    planned = plan(
        store, campaign_id, "generic_results_long.tsv", "results", fields={"date": "Month"}
    )
    seen = preview(planned)
    assert [(r.measure, r.value) for r in seen.sample] == [
        ("New-patient appointments", 42),
        ("Patient satisfaction", 4.6),
        ("New-patient appointments", 51),
        ("Patient satisfaction", 4.7),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("google_ads_eur.csv", "in EUR, but this campaign keeps its money in USD"),
        ("meta_ads_aud.csv", "in AUD, but this campaign keeps its money in USD"),
        ("google_ads_all_time.csv", "covers 'All time' and has no Day column"),
    ],
)
def test_files_that_cannot_be_imported_say_why(store, campaign_id, name, message):
    with pytest.raises(ImportRefused, match=message):
        preview(plan(store, campaign_id, name))


@pytest.mark.parametrize("name", ["../patient/patient_list.csv", "../patient/patient_values.csv"])
def test_patient_level_files_are_refused_and_nothing_is_written(store, campaign_id, name):
    with pytest.raises(PlannerError, match="patient-level data") as caught:
        planned = plan(store, campaign_id, name)
        run_import(store, planned, campaign_id)
    assert "aggregate figures only" in str(caught.value)
    assert isinstance(caught.value, PatientDataError | ImportRefused)
    assert store.list_entries(campaign_id, Cost).total == 0
    assert store.list_imports(campaign_id) == []


def test_unreadable_files_get_a_sentence(store, campaign_id, tmp_path):
    workbook = tmp_path / "costs.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FileProblem, match=r"Excel workbook.*save it as CSV"):
        plan_import(workbook, import_campaign(), ImportOptions(kind="costs"))
    with pytest.raises(FileProblem, match="There is no file"):
        plan_import(tmp_path / "missing.csv", import_campaign(), ImportOptions(kind="costs"))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(FileProblem, match="is empty"):
        plan_import(empty, import_campaign(), ImportOptions(kind="costs"))
    unmapped = tmp_path / "ledger.csv"
    unmapped.write_text("When,How much\n2027-03-01,10\n")
    needs = r"holds the dates\? Map 'date' to one of its columns: 'When', 'How much'"
    with pytest.raises(ImportRefused, match=needs):
        preview(plan_import(unmapped, import_campaign(), ImportOptions(kind="costs")))
    mapped = plan_import(
        unmapped,
        import_campaign(),
        ImportOptions(
            kind="costs", fields={"date": "When", "amount": "How much", "vendor": "Acme"}
        ),
    )
    assert preview(mapped).sample[0].vendor == "Acme"  # a fixed text for every row


# Writing --------------------------------------------------------------------------------------


def test_an_import_writes_its_costs_and_the_tracking_figures_follow(store, campaign_id):
    record, _seen = run_import(
        store, plan(store, campaign_id, "google_ads_daily_excel.csv"), campaign_id
    )
    assert (record.entries, record.total_minor, record.rows_read) == (4, 10570, 4)
    assert record.format == "google-ads" and record.file_name == "google_ads_daily_excel.csv"
    page = store.list_entries(campaign_id, Cost)
    assert page.total == 4
    campaign, data = store.tracking_data(campaign_id)
    figures = report(campaign, data, dt.date(2027, 3, 10))
    assert figures.spent_minor == 10570
    by_channel = {row.channel.value: row.spent_minor for row in figures.by_channel}
    assert by_channel["search_ads"] == 3310 + 3095 + 3540  # the activity's channel
    assert by_channel["display_ads"] == 625


def test_bulk_totals_equal_the_totals_kept_row_by_row(store, campaign_id):
    run_import(store, plan(store, campaign_id, "meta_ads_daily.csv"), campaign_id)
    run_import(store, plan(store, campaign_id, "mailchimp_campaigns.csv", "results"), campaign_id)
    bulk = _rollups(store)
    other = store.create_campaign(import_campaign(name="Row by row"))
    for entry in store.iter_entries(campaign_id, Cost):
        store.add_entry(other, entry.model_copy(update={"id": None}))
    for entry in store.iter_entries(campaign_id, Result):
        store.add_entry(other, entry.model_copy(update={"id": None}))
    by_row = _rollups(store)
    for table in bulk:
        assert [r[1:] for r in bulk[table] if r[0] == campaign_id] == [
            r[1:] for r in by_row[table] if r[0] == other
        ]
    # The triggers are back: a cost added by hand still moves the totals.
    store.add_entry(campaign_id, Cost(date=dt.date(2027, 3, 5), amount_minor=100))
    _campaign, data = store.tracking_data(campaign_id)
    assert sum(s.amount_minor for s in data.spend) == 1466 + 1533 + 11288 + 100


def _rollups(store: Store) -> dict[str, list[tuple]]:
    """The running totals, with activities and measures by name (their ids differ)."""
    queries = {
        "cost_days": "SELECT * FROM cost_days",
        "cost_totals": "SELECT t.campaign_id, t.channel, COALESCE(a.name, ''), t.amount_minor, "
        "t.entries FROM cost_totals t LEFT JOIN activities a ON a.id = t.activity_id",
        "result_days": "SELECT d.campaign_id, m.name, d.date, d.total, d.entries "
        "FROM result_days d JOIN measures m ON m.id = d.measure_id",
    }
    return {
        table: sorted(tuple(row) for row in store.db.execute(query))
        for table, query in queries.items()
    }


def _indexes(store: Store, table: str) -> list[tuple]:
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY 1"
    return [tuple(row) for row in store.db.execute(query, [table])]


def _cost_file(path: Path, rows: int) -> Path:
    with path.open("w") as out:
        out.write("Date,Channel,Amount,Note\n")
        for i in range(rows):
            out.write(f"2027-03-{i % 28 + 1:02d},{('email', 'print_mail')[i % 2]},{i % 90}.5,{i}\n")
    return path


def test_a_bulk_import_builds_the_indexes_again_and_keeps_the_totals(store, campaign_id, tmp_path):
    store.add_entry(campaign_id, Cost(date=dt.date(2027, 3, 1), amount_minor=700))
    indexes = _indexes(store, "costs")
    assert len(indexes) >= 2
    record, seen = run_import(
        store,
        plan_import(
            _cost_file(tmp_path / "year.csv", 25_000),
            store.get_campaign(campaign_id, tracking=False),
            ImportOptions(kind="costs"),
        ),
        campaign_id,
    )
    assert record.entries == seen.entries == 25_000
    assert _indexes(store, "costs") == indexes
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    recount = sorted(
        tuple(row)
        for row in store.db.execute(
            "SELECT campaign_id, date, COALESCE(channel, ''), SUM(amount_minor), COUNT(*) "
            "FROM costs GROUP BY 1, 2, 3"
        )
    )
    assert _rollups(store)["cost_days"] == recount
    # The activity's index holds only costs with an activity (none of these).
    (indexed,) = store.db.execute(
        "SELECT COUNT(*) FROM costs INDEXED BY costs_activity WHERE activity_id > 0"
    ).fetchone()
    assert indexed == 0


def test_a_bulk_import_that_fails_leaves_the_table_and_its_indexes_as_they_were(store, campaign_id):
    from planner.domain.models import ImportRecord

    indexes = _indexes(store, "costs")

    def rows():
        for i in range(30_000):
            yield ("2027-03-01", None, 100, "email", "", None, f"{i}")
        raise PlannerError("The file changed while it was read.")

    record = ImportRecord(
        campaign_id=campaign_id,
        kind=ImportKind.COSTS,
        file_name="x.csv",
        content_hash="x",
        format="generic",
    )
    with pytest.raises(PlannerError, match="changed while"):
        store.import_entries(record, rows(), lambda: (30_000, 0), expected=30_000)
    assert _indexes(store, "costs") == indexes
    assert store.list_entries(campaign_id, Cost).total == 0
    assert store.list_imports(campaign_id) == []


def test_a_large_file_read_by_a_second_process_imports_the_same(
    store, campaign_id, tmp_path, monkeypatch
):
    import planner.imports.run as importing

    campaign = store.get_campaign(campaign_id, tracking=False)
    path = _cost_file(tmp_path / "year.csv", 3_000)
    here, seen_here = run_import(
        store, plan_import(path, campaign, ImportOptions(kind="costs")), campaign_id
    )
    store.undo_import(here.id)
    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)  # every file is "large"
    there, seen_there = run_import(
        store, plan_import(path, campaign, ImportOptions(kind="costs")), campaign_id
    )
    assert (there.entries, there.total_minor, there.rows_read) == (
        here.entries,
        here.total_minor,
        here.rows_read,
    )
    assert seen_there.summary() == seen_here.summary()
    assert seen_there.sample == seen_here.sample
    # Results too: read there, summed here the same way.
    mailchimp = plan(store, campaign_id, "mailchimp_campaigns.csv", "results")
    record, seen = run_import(store, mailchimp, campaign_id)
    assert record.entries == seen.entries == preview(mailchimp).entries > 0


def test_what_stops_the_second_process_writes_nothing(store, campaign_id, monkeypatch, tmp_path):
    import planner.imports.run as importing

    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)
    hidden = patients_after(tmp_path / "costs.csv")  # patients after the first 2,000 rows
    with pytest.raises(ImportRefused, match="patient-level data"):
        run_import(store, plan(store, campaign_id, str(hidden)), campaign_id)

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        run_import(
            store, plan(store, campaign_id, "meta_ads_daily.csv"), campaign_id, on_progress=cancel
        )
    assert store.list_entries(campaign_id, Cost).total == 0
    assert store.list_imports(campaign_id) == []


def test_a_reader_that_dies_is_a_sentence_and_writes_nothing(
    store, campaign_id, tmp_path, monkeypatch
):
    import sys

    import planner.imports.run as importing

    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'MemoryError: out of memory' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(sys, "executable", str(broken))
    with pytest.raises(ImportRefused, match=r"stopped unexpectedly \(MemoryError: out of"):
        run_import(store, plan(store, campaign_id, "meta_ads_daily.csv"), campaign_id)
    assert store.list_entries(campaign_id, Cost).total == 0
    assert store.list_imports(campaign_id) == []


def test_a_reader_killed_half_way_through_a_batch_is_a_sentence(store, campaign_id, monkeypatch):
    import planner.imports.run as importing

    # A real reading process that sends half a batch of rows and is then killed.
    from planner.domain import children

    monkeypatch.setattr(
        children,
        "_SERVE",
        "import os, pickle, signal, sys\n"
        "sys.stdin.buffer.read()\n"
        "sent = pickle.dumps(('items', [('2027-03-01', None, 100)] * 500))\n"
        "sys.stdout.buffer.write(sent[: len(sent) // 2])\n"
        "sys.stdout.buffer.flush()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n",
    )
    monkeypatch.setattr(importing, "PARALLEL_ROWS", 0)
    with pytest.raises(ImportRefused) as refused:
        run_import(store, plan(store, campaign_id, "meta_ads_daily.csv"), campaign_id)
    assert str(refused.value) == (
        "Reading 'meta_ads_daily.csv' stopped unexpectedly (the reading process was stopped by "
        "SIGKILL); nothing was written."
    )
    assert store.list_entries(campaign_id, Cost).total == 0
    assert store.list_imports(campaign_id) == []


def test_the_same_file_twice_is_refused_unless_forced(store, campaign_id, tmp_path):
    first, _ = run_import(store, plan(store, campaign_id, "meta_ads_daily.csv"), campaign_id)
    copy = tmp_path / "renamed.csv"
    shutil.copy(FIXTURES / "meta_ads_daily.csv", copy)  # same bytes, another name
    campaign = store.get_campaign(campaign_id, tracking=False)
    again = plan_import(copy, campaign, ImportOptions(kind="costs"))
    with pytest.raises(DuplicateImport, match=f"import {first.id}, 3 costs.*count them twice"):
        run_import(store, again, campaign_id)
    assert store.list_entries(campaign_id, Cost).total == 3
    run_import(store, again, campaign_id, force=True)
    assert store.list_entries(campaign_id, Cost).total == 6
    # The same file as results is another import, not a duplicate.
    run_import(
        store,
        plan(
            store, campaign_id, "meta_ads_daily.csv", "results", fields={"Ad clicks": "Link clicks"}
        ),
        campaign_id,
    )


def test_undo_takes_back_the_whole_import_and_nothing_else(store, campaign_id):
    by_hand = store.add_entry(campaign_id, Cost(date=dt.date(2027, 3, 2), amount_minor=5000))
    record, _ = run_import(
        store, plan(store, campaign_id, "google_ads_daily_excel.csv"), campaign_id
    )
    undone, removed = store.undo_import(record.id)
    assert removed == 4 and undone.undone_at is not None
    page = store.list_entries(campaign_id, Cost)
    assert [c.id for c in page.rows] == [by_hand]
    _campaign, data = store.tracking_data(campaign_id)
    assert sum(s.amount_minor for s in data.spend) == 5000
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(PlannerError, match="already undone"):
        store.undo_import(record.id)
    # Once undone, the file may be imported again without insisting.
    run_import(store, plan(store, campaign_id, "google_ads_daily_excel.csv"), campaign_id)
    assert [r.undone_at is None for r in store.list_imports(campaign_id)] == [True, False]


def test_nothing_readable_writes_nothing(store, campaign_id, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Amount\n2027-13-01,10\n")
    with pytest.raises(ImportRefused, match=r"Nothing in 'bad.csv' can be imported"):
        run_import(
            store, plan_import(path, import_campaign(), ImportOptions(kind="costs")), campaign_id
        )
    assert store.list_imports(campaign_id) == []


def test_saved_mappings_are_reused_by_name(store):
    store.save_mapping(
        SavedMapping(
            name="Ledger",
            kind=ImportKind.COSTS,
            fields={"date": "When", "amount": "How much"},
            day_first=True,
        )
    )
    mapping = store.get_mapping("ledger")
    assert mapping.fields == {"date": "When", "amount": "How much"} and mapping.day_first
    with pytest.raises(
        PlannerError, match="no saved mapping called 'Other'; the saved ones are: 'Ledger'"
    ):
        store.get_mapping("Other")
