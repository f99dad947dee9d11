"""The compliance commands: lint a text or a campaign (text and JSON, exit codes), rules,
turning a rule off, accepting and confirming findings, sign-offs and the approval gate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import compliance_campaign

from planner.cli.main import main
from planner.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "planner.db"
    with Store.open(path) as store:
        store.create_campaign(compliance_campaign())
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def lint_json(db: Path, *args: str) -> list[dict]:
    result = run(db, "lint", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_lint_a_text_as_json_with_offsets(db):
    text = "Struggling with depression? Our miracle programme can help."
    result = run(
        db,
        "lint",
        "--text",
        text,
        "--jurisdiction",
        "us",
        "--channel",
        "social_media",
        "--format",
        "json",
    )
    assert result.exit_code == 1, "a block finding stands"
    findings = json.loads(result.stdout)
    by_rule = {f["rule"]: f for f in findings}
    attribute = by_rule["ADS-PERSONAL-ATTRIBUTES"]
    assert attribute["severity"] == "block"
    assert text[attribute["start"] : attribute["end"]] == attribute["matched"]
    assert attribute["matched"] == "Struggling with depression"
    assert attribute["citation"].startswith("Meta Advertising Standards")
    assert {"rule", "severity", "matched", "start", "end", "message", "citation"} <= set(attribute)
    assert "US-ABSOLUTE" in by_rule  # miracle


def test_lint_plain_information_exits_0(db):
    result = run(
        db,
        "lint",
        "--text",
        "Open Monday to Friday, 8am to 6pm.",
        "--jurisdiction",
        "US",
        "--jurisdiction",
        "IT",
    )
    assert result.exit_code == 0 and "No findings." in result.output


def test_lint_review_findings_alone_exit_0(db):
    result = run(
        db, "lint", "--text", "Five tips for a healthy heart.", "--channel", "social_media"
    )
    assert result.exit_code == 0, result.output
    assert "REVIEW  SOCIAL-NOT-ADVICE" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give a campaign ID or --text"),
        (("1", "--text", "x"), "Give a campaign ID or --text"),
        (("--text", "x", "--jurisdiction", "FR"), "'FR' is not a jurisdiction"),
        (("1", "--jurisdiction", "US"), "go with --text"),
        (("9",), "There is no campaign 9"),
        (("--text", "x", "--rules", "/no/such/folder"), "does not exist"),
    ],
)
def test_lint_usage_errors_exit_2_with_a_sentence(db, args, message):
    result = run(db, "lint", *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_lint_a_campaign_names_each_record(db):
    result = run(db, "lint", "1")
    assert result.exit_code == 1
    assert "Campaign 1 'Smile month' (US):" in result.output
    assert "BLOCK   US-SMS-CONSENT  Activity 'Reminder texts'" in result.output
    assert "Variant 'Email offer', body: \"Guaranteed\"" in result.output
    assert result.output.rstrip().endswith("open.")


def test_turning_a_rule_off_and_on(db):
    assert "US-ABSOLUTE" in {f["rule"] for f in lint_json(db, "1")}
    result = run(db, "rule", "disable", "1", "us-absolute", "--reason", "Counsel approved.")
    assert result.exit_code == 0, result.output
    assert "US-ABSOLUTE" not in {f["rule"] for f in lint_json(db, "1")}
    assert "OFF     US-ABSOLUTE" in run(db, "lint", "1").output
    assert run(db, "rule", "enable", "1", "US-ABSOLUTE").exit_code == 0
    assert "US-ABSOLUTE" in {f["rule"] for f in lint_json(db, "1")}
    assert (
        "There is no rule NOPE" in run(db, "rule", "disable", "1", "NOPE", "--reason", "x").output
    )


def test_accepting_review_findings_and_confirming_checklist_items(db):
    with Store.open(db) as store:
        store.update_campaign(1, {"jurisdictions": ["IT"]}, expected_version=None)
    findings = lint_json(db, "1")
    confirm = next(f for f in findings if f["severity"] == "confirm")
    block = next(f for f in findings if f["severity"] == "block")
    result = run(db, "finding", "accept", "1", block["key"], "--reason", "fine")
    assert result.exit_code == 2 and "must be fixed" in result.output
    result = run(db, "finding", "confirm", "1", confirm["key"], "--name", "Ana")
    assert result.exit_code == 0, result.output
    again = next(f for f in lint_json(db, "1") if f["key"] == confirm["key"])
    assert again["status"] == "confirmed" and again["decided_by"] == "Ana"
    assert run(db, "finding", "reopen", "1", confirm["key"]).exit_code == 0
    assert next(f for f in lint_json(db, "1") if f["key"] == confirm["key"])["status"] == "open"
    assert "has no finding zzz" in run(db, "finding", "confirm", "1", "zzz").output


def test_sign_offs_and_the_approval_gate(tmp_path):
    db = tmp_path / "planner.db"
    with Store.open(db) as store:
        store.create_campaign(
            compliance_campaign(
                messages=[],
                activities=[],
                core_message="Cleanings every six months keep gums healthy.",
            )
        )
    result = run(db, "status", "1", "approved")
    assert result.exit_code == 2
    assert "cannot be approved yet: sign-off needed from medical (missing)" in result.output
    for kind in ("medical", "legal", "regulatory", "privacy"):
        result = run(
            db,
            "signoff",
            "1",
            kind,
            "--decision",
            "approved",
            "--name",
            "Dr. Lee",
            "--date",
            "2026-03-01",
        )
        assert result.exit_code == 0, result.output
    signed = json.loads(run(db, "signoffs", "1", "--json").stdout)
    assert [s["state"] for s in signed] == ["approved"] * 4
    assert run(db, "status", "1", "approved").exit_code == 0
    assert "approved" in run(db, "show", "1").output.lower()
    # a message changes: every sign-off is withdrawn and the campaign goes back to review
    with Store.open(db) as store:
        store.update_campaign(
            1, {"core_message": "Clean teeth twice a year."}, expected_version=None
        )
    table = run(db, "signoffs", "1").output
    assert table.count("withdrawn: a message changed after this sign-off") == 4
    assert "In review" in run(db, "show", "1").output


def test_a_sign_off_dated_after_today_is_refused(db, monkeypatch):
    monkeypatch.setattr("planner.cli.compliance.today", lambda: dt.date(2027, 3, 30))
    args = ["signoff", "1", "legal", "--decision", "approved", "--name", "Dr. Lee"]
    result = run(db, *args, "--date", "2030-03-31")
    assert result.exit_code == 2
    assert result.output == (
        "Error: The sign-off date 2030-03-31 is after today (2027-03-30); a sign-off records "
        "a decision already made, so give the day it was made.\n"
    )
    legal = json.loads(run(db, "signoffs", "1", "--json").stdout)[1]
    assert (legal["kind"], legal["state"]) == ("legal", "missing")  # nothing was saved
    assert run(db, *args, "--date", "2027-03-30").exit_code == 0  # today is fine
    signed = json.loads(run(db, "signoffs", "1", "--json").stdout)
    assert [(s["kind"], s["date"]) for s in signed if s["state"] == "approved"] == [
        ("legal", "2027-03-30")
    ]


def test_rules_lists_the_packs(db):
    result = run(db, "rules", "--jurisdiction", "IT")
    assert result.exit_code == 0
    assert "IT-PROMOTIONS" in result.output and "EU-CURE" in result.output
    assert "US-ABSOLUTE" not in result.output
    data = json.loads(run(db, "rules", "--json").stdout)
    assert all(r["citation"] and r["why"] and r["fix"] for r in data)


def _house_pack(tmp_path: Path) -> Path:
    """A folder with a pack of one's own: HOUSE-CHEAP blocks the word 'cheap'."""
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "house.toml").write_text(
        '[[rule]]\nid = "HOUSE-CHEAP"\ntitle = "Cheap"\nseverity = "block"\n'
        'words = ["cheap"]\nwhy = "House style."\ncitation = "Style guide"\nfix = "Reword."\n',
        encoding="utf-8",
    )
    return folder


def test_a_folder_of_ones_own_rules_is_remembered(db, tmp_path):
    folder = _house_pack(tmp_path)
    assert run(db, "rules", "--use-folder", str(folder)).exit_code == 0
    assert "HOUSE-CHEAP" in run(db, "rules").output
    with Store.open(db) as store:
        store.update_campaign(1, {"core_message": "Cheap cleanings."}, expected_version=None)
    assert "HOUSE-CHEAP" in {f["rule"] for f in lint_json(db, "1")}
    assert run(db, "rules", "--use-folder", "").exit_code == 0
    assert "HOUSE-CHEAP" not in run(db, "rules").output


def test_a_brief_is_reviewed_with_ones_own_rules_as_lint_is(db, tmp_path):
    """The brief's compliance section counts what the user's own packs find, as 'planner lint'
    and the review screen do; with a folder that cannot be read the brief says its review was
    not run, rather than show one without the user's rules or none without a word."""
    folder = _house_pack(tmp_path)
    with Store.open(db) as store:
        store.update_campaign(1, {"core_message": "Cheap cleanings."}, expected_version=None)
    blocks = sum(f["severity"] == "block" for f in lint_json(db, "1"))
    before = run(db, "brief", "1", "--format", "md").output
    assert run(db, "rules", "--use-folder", str(folder)).exit_code == 0
    assert sum(f["severity"] == "block" for f in lint_json(db, "1")) == blocks + 1
    brief = run(db, "brief", "1", "--format", "md").output
    assert f"{blocks + 1} block" in brief and "HOUSE-CHEAP" in brief
    assert f"{blocks} block" in before and "HOUSE-CHEAP" not in before
    (folder / "house.toml").write_text("[[rule]\n", encoding="utf-8")  # no longer TOML
    brief = run(db, "brief", "1", "--format", "md").output
    assert "**Compliance review.** Not run: the rule packs could not be read" in brief
    assert "HOUSE-CHEAP" not in brief and "Not ready for approval" not in brief
    assert run(db, "lint", "1").exit_code == 2  # which says why
