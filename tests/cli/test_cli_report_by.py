"""Issue 27, reports by dimension: ``planner report ID --by activity|variant|segment|
influencer|channel [--json]``, each row's spending, results, cost per result and share,
against figures worked out by hand."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def cli(ab_cli):
    """Spent: Email A 400, Email B 600, Flyers 250, 50 on no activity (1,300 in all).
    Bookings: 21 of 500 (Email A), 38 of 480 (Email B), 4 (Flyers), 2 (nothing named);
    collections of 900 from Email B; one booking dated before the start, left out."""
    for amount, activity in (("400", "Email A"), ("600", "Email B"), ("250", "Flyers")):
        ab_cli("costs", "add", "1", "--date", "2027-03-05", "--amount", amount,
               "--activity", activity)  # fmt: skip
    ab_cli("costs", "add", "1", "--date", "2027-03-06", "--amount", "50")
    add = ("results", "add", "1", "--date", "2027-03-20", "--measure")
    ab_cli(*add, "Bookings", "--value", "21", "--of", "500", "--activity", "Email A")
    ab_cli(*add, "Bookings", "--value", "38", "--of", "480", "--activity", "Email B")
    ab_cli(*add, "Bookings", "--value", "4", "--activity", "Flyers")
    ab_cli(*add, "Bookings", "--value", "2")
    ab_cli(*add, "Collections", "--value", "900", "--activity", "Email B")
    ab_cli("results", "add", "1", "--date", "2027-02-20", "--measure", "Bookings",
           "--value", "7", "--activity", "Email A")  # fmt: skip
    return ab_cli


def rows(cli, by: str) -> dict:
    found = json.loads(cli("report", "1", "--by", by, "--json").stdout)
    assert found["by"] == by and found["spent_minor"] == 130_000
    return {row[by]: row for row in found["rows"]}


def test_by_activity(cli):
    found = rows(cli, "activity")
    assert list(found) == ["Email A", "Email B", "Flyers", None]
    a, b, flyers, none = found.values()
    assert (a["spent_minor"], a["spent_share_pct"]) == (40_000, round(400 / 1300 * 100, 2))
    assert a["results"]["Bookings"] == {
        "value": 21,
        "of": 500,
        "rate_pct": 4.2,
        "share_pct": round(21 / 65 * 100, 2),  # the booking before the start is left out
        "cost_per_result_minor": round(40_000 / 21),
        "entries": 1,
    }
    assert b["results"]["Bookings"]["cost_per_result_minor"] == round(60_000 / 38)
    assert b["results"]["Collections"]["cost_per_result_minor"] is None  # money in
    assert (b["revenue_minor"], b["roi"]) == (90_000, round((90_000 - 60_000) / 60_000, 4))
    assert a["roi"] is None  # no revenue recorded for it: no ROI, rather than -100%
    assert flyers["results"]["Bookings"]["of"] is None
    assert none["label"] == "Not attributed" and none["spent_minor"] == 5_000
    assert none["results"]["Bookings"]["value"] == 2


def test_by_variant_segment_and_influencer_follow_the_activities(cli):
    variant = rows(cli, "variant")
    assert list(variant) == ["Short email", "Story email", None]
    assert variant[None]["spent_minor"] == 30_000  # flyers (no variant) and no activity
    assert variant[None]["results"]["Bookings"]["value"] == 6  # flyers' 4 and the 2
    segment = rows(cli, "segment")
    assert (segment["Parents"]["spent_minor"], segment["Seniors"]["spent_minor"]) == (
        100_000,
        25_000,
    )
    assert segment["Parents"]["results"]["Bookings"]["rate_pct"] == round(59 / 980 * 100, 2)
    assert segment["Parents"]["results"]["Bookings"]["of"] == 980
    influencer = rows(cli, "influencer")
    assert influencer["Dr Rossi"]["results"]["Bookings"]["cost_per_result_minor"] == 6_250


def test_by_channel_in_words(cli):
    found = rows(cli, "channel")
    assert list(found) == ["email", "print_mail", None]
    assert found["email"]["label"] == "Email"
    text = cli("report", "1", "--by", "channel").stdout
    assert "Recall A/B: by channel, on 2027-03-30" in text
    assert "Email: spent USD 1,000.00 (76.9% of the spending); ROI -10%" in text
    assert "  Bookings: 59 of 980 (6%), 90.8% of all, USD 16.95 each" in text


def test_a_campaign_with_nothing_recorded_says_so(ab_cli):
    assert (
        "Nothing spent or achieved by message variant yet."
        in ab_cli("report", "1", "--by", "variant").stdout
    )
    assert json.loads(ab_cli("report", "1", "--by", "variant", "--json").stdout)["rows"] == []
    assert "Invalid value for '--by'" in ab_cli("report", "1", "--by", "vendor", code=2).output
