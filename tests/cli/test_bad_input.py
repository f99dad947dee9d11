"""Errors a user can cause get one sentence, never a traceback, and nothing is half-written."""

from __future__ import annotations

import json
import sqlite3

import pytest
from factories import full_campaign

from planner.briefs import md_cell, md_text
from planner.cli.main import main
from planner.domain.errors import DatabaseError
from planner.domain.models import Activity, Campaign, Influencer, Segment
from planner.store import Store


@pytest.fixture(autouse=True)
def _entries_dated_in_the_past(monkeypatch):
    """The costs and imported rows here are dated in 2027: the planner (and every process it
    starts) takes today as the end of that year, so that none is dated after today."""
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")


def invoke(runner, db_path, *args):
    return runner.invoke(main, ["--db", str(db_path), *args])


def assert_sentence(result, *words):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = result.output.strip()
    assert text.startswith("Error: ") and len(text.splitlines()) == 1, text
    for word in words:
        assert word in text


def test_a_read_only_database_says_so(db_path, campaign):
    with Store.open(db_path) as store:
        store.create_campaign(campaign)
        store.db.execute("PRAGMA query_only = ON")
        with pytest.raises(DatabaseError, match="read-only, so nothing was saved"):
            store.set_archived(1, True)
        assert not store.get_campaign(1).archived


def test_a_damaged_database_says_so(runner, db_path, campaign):
    with Store.open(db_path) as store:
        for i in range(30):
            store.create_campaign(full_campaign(f"Campaign {i}"))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xff" * (page * 4)
    db_path.write_bytes(bytes(data))
    result = invoke(runner, db_path, "list")
    assert_sentence(result, "damaged")


def test_a_decimal_comma_is_not_read_as_a_larger_amount(runner, db_path, campaign):
    with Store.open(db_path) as store:
        campaign_id = store.create_campaign(campaign.model_copy(update={"number_style": "en_US"}))
        before = store.conn.execute("SELECT COUNT(*) FROM costs").fetchone()
    result = invoke(
        runner, db_path, "costs", "add", str(campaign_id), "--date", "2027-01-05", "--amount", "1,5"
    )
    assert_sentence(result, "'1,5' is not how this campaign writes numbers (like 1,234.50)")
    assert "type 1.50." in result.output
    with Store.open(db_path) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM costs").fetchone() == before


def test_an_id_too_large_is_a_usage_error(runner, db_path):
    result = invoke(runner, db_path, "show", "9223372036854775808")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_empty_db_and_starter_arguments(runner, db_path):
    assert_sentence(runner.invoke(main, ["--db", "", "list"]), "--db needs")
    assert_sentence(invoke(runner, db_path, "new", "X", "--from", ""), "--from needs")


def test_a_start_date_that_pushes_dates_past_9999(runner, db_path):
    result = invoke(
        runner, db_path, "new", "X", "--from", "flu-vaccination", "--start", "9999-12-01"
    )
    assert_sentence(result, "past the year 9999")


@pytest.mark.parametrize(
    "content",
    [
        '{"campaign": {"name": "x", "budget": [{"name": "b", "amount_minor": 1'
        + "0" * 5000
        + "}]}}",
        "[" * 100_000,
    ],
)
def test_import_of_absurd_json(runner, db_path, tmp_path, content):
    bad = tmp_path / "absurd.json"
    bad.write_text(content)
    assert_sentence(invoke(runner, db_path, "import-campaign", str(bad)), "too large")


def test_import_refuses_amounts_that_are_not_whole_minor_units(runner, db_path, tmp_path):
    for amount in ("true", '"100"', "10.5", "10000000000000"):
        bad = tmp_path / "amount.json"
        line = '{"name": "b", "amount_minor": ' + amount + "}"
        bad.write_text('{"campaign": {"name": "x", "budget": [' + line + "]}}")
        assert_sentence(invoke(runner, db_path, "import-campaign", str(bad)), "amount_minor")


def test_a_binary_file_is_not_a_campaign(runner, db_path, tmp_path):
    bad = tmp_path / "photo.json"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert_sentence(invoke(runner, db_path, "import-campaign", str(bad)))


def test_a_row_edited_by_hand_into_nonsense(runner, db_path, campaign):
    with Store.open(db_path) as store:
        store.create_campaign(campaign)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE segments SET languages = 'en, it'")
    conn.commit()
    conn.close()
    assert_sentence(invoke(runner, db_path, "show", "1"), "cannot read", "restore a backup")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE segments SET languages = '[]'")
    conn.execute("UPDATE campaigns SET status = 'Active'")
    conn.commit()
    conn.close()
    assert_sentence(invoke(runner, db_path, "show", "1"), "status")


def test_names_match_in_any_case_including_accents(store):
    campaign_id = store.create_campaign(
        Campaign(name="x", segments=[Segment(name="Età 65+"), Segment(name="Straße")])
    )
    store.add_item(
        campaign_id,
        Activity(name="a", channel="sms", journey_stage="choice", segment="ETÀ 65+"),
        expected_version=1,
    )
    assert store.get_campaign(campaign_id).activities[0].segment == "Età 65+"
    with pytest.raises(ValueError, match="lists the segment 'ETÀ 65\\+' twice"):
        Campaign(
            name="x",
            segments=[Segment(name="Età 65+")],
            influencers=[Influencer(name="i", segments=["Età 65+", "ETÀ 65+"])],
        )


def test_names_must_fit_on_one_line():
    with pytest.raises(ValueError, match="one line"):
        Segment(name="Two\nlines")


def test_export_through_a_link_writes_the_linked_file(runner, db_path, tmp_path):
    invoke(runner, db_path, "new", "Linked")
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert invoke(runner, db_path, "export", "1", "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink()
    assert json.loads(target.read_text())["campaign"]["name"] == "Linked"


def test_export_refuses_a_special_file(runner, db_path):
    invoke(runner, db_path, "new", "X")
    assert_sentence(
        invoke(runner, db_path, "export", "1", "-o", "/dev/null", "--force"), "not a regular file"
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "a | b",
        "{{ 7*7 }}",
        "# heading",
        "1. item",
        "Clinic #",
        "**bold** _it_ [link](http://x)",
        "line one\n\nline two",
    ],
)
def test_user_text_is_literal_in_markdown(text):
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    html = md.render(
        f"| a |\n|---|\n| {md_cell(text)} |\n\n### {md_cell(text)}\n\n> {md_text(text)}\n"
    )
    assert "<script>" not in html and "<strong>" not in html and "<a href" not in html
    assert "<ol" not in html and "<h1" not in html
    assert html.count("<td>") == 1
    assert "49" not in html
