"""The compliance review: health-advertising rules read from packs, checked against a campaign.

Rules live as data in ``data/rules/*.toml`` (one pack per jurisdiction, plus ad platforms,
social media and general checks); a consultant can add packs of their own in a folder. A rule
says what it applies to (message text, claim, testimonial, activity, campaign), how it matches
(phrases with the context around them, in English and Italian), why it matters, its citation
and a fix. Conditions that words cannot show (a testimonial's consent, an SMS list's consent)
are named checks.

The linter finds; people decide. A review finding can be accepted with a reason, a confirm item
ticked, a rule turned off for a campaign with a reason. Block findings stop approval, and so do
missing sign-offs: medical, legal, regulatory and privacy reviewers each approve the campaign's
current message version.

The modules, in the order they build on each other:

- ``lexicons``: terms of one kind in several languages, and phrases made into patterns;
- ``rules``: a rule, the set of rules read, and where a rule's phrases match a text;
- ``context``: what the rules look at (the subjects of a campaign) and know besides the text;
- ``checks``: the named checks on a campaign's data;
- ``packs``: reading the shipped packs and a consultant's own, each checked as it is read;
- ``findings``: running the review over a campaign or a text, with the decisions taken;
- ``signoffs``: the reviewers' sign-offs and what stands between a campaign and approval.
"""

from planner.compliance.findings import (
    Finding,
    Report,
    forget_reviews,
    highlight_spans,
    lint_campaign,
    lint_text,
)
from planner.compliance.lexicons import LANGUAGES
from planner.compliance.packs import RulePackError, load_rules
from planner.compliance.rules import RuleSet, Severity, jurisdiction_codes
from planner.compliance.signoffs import (
    SIGN_OFFS,
    SignOff,
    approval_problems,
    next_sign_off,
    record_sign_off,
    sign_off_date_problem,
    sign_offs,
)

__all__ = [
    "LANGUAGES",
    "SIGN_OFFS",
    "Finding",
    "Report",
    "RulePackError",
    "RuleSet",
    "Severity",
    "SignOff",
    "approval_problems",
    "forget_reviews",
    "highlight_spans",
    "jurisdiction_codes",
    "lint_campaign",
    "lint_text",
    "load_rules",
    "next_sign_off",
    "record_sign_off",
    "sign_off_date_problem",
    "sign_offs",
]
