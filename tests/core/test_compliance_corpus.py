"""The linter against a corpus of English and Italian sentences: each raises the rules it
should, and plain information stays quiet."""

from __future__ import annotations

import pytest
from compliance_corpus import CASES, QUIET

from planner.compliance import lint_text, load_rules
from planner.domain.models import Channel

RULES = load_rules()


def test_the_corpus_is_large_enough_and_bilingual():
    assert len(CASES) >= 60
    assert sum(1 for case in CASES if "IT" in case[1]) >= 15


@pytest.mark.parametrize(
    ("text", "jurisdictions", "channels", "raises", "quiet"),
    CASES,
    ids=[f"{n:02d}-{case[0][:40]}" for n, case in enumerate(CASES)],
)
def test_sentence(text, jurisdictions, channels, raises, quiet):
    report = lint_text(
        text, RULES, jurisdictions=jurisdictions, channels=[Channel(c) for c in channels]
    )
    found = {f.rule.id for f in report.findings}
    explained = [(f.rule.id, f.matched, f.message) for f in report.findings]
    assert raises <= found, f"missed {raises - found}; found {explained}"
    if quiet == QUIET:
        assert not found, f"false alarm on plain information: {explained}"
    else:
        assert not (quiet & found), f"false alarm {quiet & found}: {explained}"
    for finding in report.findings:
        assert text[finding.start : finding.end] == finding.matched
        assert finding.rule.why and finding.rule.citation
