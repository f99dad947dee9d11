"""``planner brief ID --audience client`` (issue 28): the brief a consultant gives the practice,
free of the internal review (sign-offs, findings, rule identifiers, rules turned off) and of the
version counter, saying who it was prepared for and by; ``--audience internal`` (the default)
keeps everything."""

from __future__ import annotations

import io
import json

import pytest
from factories import full_campaign
from pypdf import PdfReader

from planner.domain.models import MessageVariant
from planner.store import Store

INTERNAL = [
    "Campaign version",
    "Review and sign-off",  # the section, and its line in the contents
    "Sign-off outstanding",
    "Dr Bianchi",  # the medical reviewer
    "Compliance review",
    "Rule turned off",
    "IT-SUPERLATIVES",  # the rule the variant's "best" meets (the campaign is Italy's)
    "not needed for this practice",  # the reason a rule was turned off
]


@pytest.fixture
def campaign(db_path) -> int:
    """full_campaign (signed off by Dr Bianchi) with a superlative to review and a rule turned
    off with its reason."""
    with Store.open(db_path) as store:
        plan = full_campaign()
        variant = MessageVariant(
            name="Best in town", body="The best dentists in town, open late.", channel="email"
        )
        plan = plan.model_copy(update={"messages": [*plan.messages, variant]})
        cid = store.create_campaign(plan)
        store.disable_rule(
            cid, "US-EMAIL-FOOTER", "not needed for this practice", expected_version=None
        )
    return cid


def test_the_client_brief_leaves_out_the_internal_review_in_every_format(
    tracking_cli, campaign, tmp_path
):
    internal = tracking_cli("brief", str(campaign)).output
    for words in INTERNAL:
        assert words in internal, words  # the team's brief has each

    client = tracking_cli("brief", str(campaign), "--audience", "client").output
    for words in INTERNAL:
        assert words not in client, words
    assert "**Prepared for:** Riverside Family Medicine" in client
    assert "Prepared for Riverside Family Medicine with Healthcare Campaign Planner" in client
    assert "The best dentists in town" in client  # the plan itself is all there

    html = tracking_cli("brief", str(campaign), "--format", "html", "--audience", "client")
    for words in INTERNAL:
        assert words not in html.output, words
    assert "version" not in html.output.split("</head>")[0]

    pdf = tmp_path / "client.pdf"
    said = tracking_cli("brief", str(campaign), "--audience", "client", "-o", str(pdf)).output
    assert "brief for the client of campaign" in said
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    for words in INTERNAL:
        assert words not in text, words
    assert "Prepared for" in text and "Riverside Family Medicine" in text


def test_an_audience_the_planner_does_not_know_is_refused(tracking_cli, campaign):
    said = tracking_cli("brief", str(campaign), "--audience", "board", code=2).output
    assert "'board' is not one of 'internal', 'client'" in said


def test_the_export_history_says_which_brief_went_to_the_client(tracking_cli, campaign, tmp_path):
    """ "What did we send the client?": planner briefs marks the client's exports."""
    tracking_cli("brief", str(campaign), "-o", str(tmp_path / "team.md"))
    tracking_cli("brief", str(campaign), "--audience", "client", "-o", str(tmp_path / "c.md"))
    rows = json.loads(tracking_cli("briefs", str(campaign), "--json").output)
    assert [(r["path"], r["audience"]) for r in rows] == [
        (str(tmp_path / "c.md"), "client"),
        (str(tmp_path / "team.md"), "internal"),
    ]
    listed = tracking_cli("briefs", str(campaign)).output
    assert "Markdown (client)" in listed
