"""Running the review: every rule of a campaign's jurisdictions over every subject, with the
decisions people took (a review finding accepted, a confirm item ticked) and the rules turned
off for the campaign applied.

``Finding`` is one problem found, ``Report`` the review of a campaign (``lint_campaign``) or of
one text (``lint_text``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from planner.compliance.checks import CHECKS, TEXT_CHECKS
from planner.compliance.context import Context, Subject, campaign_subjects
from planner.compliance.kept import read_openings
from planner.compliance.rules import (
    Rule,
    RuleSet,
    Severity,
    forget_found,
    match_text,
    search,
    sentence_ends,
    words_between,
)
from planner.domain.models import Campaign, Channel, FindingDecision, Offering


@dataclass
class Finding:
    rule: Rule
    subject: str  # the label of what was checked
    field: str
    text: str  # the whole text that was checked ('' for a record)
    start: int
    end: int
    detail: str  # what exactly is wrong, in a sentence
    key: str
    decision: FindingDecision | None = None

    @property
    def matched(self) -> str:
        return self.text[self.start : self.end]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def status(self) -> str:
        """open, accepted or confirmed."""
        if self.decision is None:
            return "open"
        return self.decision.decision

    @property
    def open(self) -> bool:
        return self.decision is None

    @property
    def message(self) -> str:
        return self.detail or self.rule.why

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "rule": self.rule.id,
            "severity": self.severity.value,
            "title": self.rule.title,
            "subject": self.subject,
            "field": self.field,
            "matched": self.matched,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "why": self.rule.why,
            "citation": self.rule.citation,
            "fix": self.rule.fix,
            "family": self.rule.family,
            "status": self.status,
        }
        if self.decision is not None:
            data["reason"] = self.decision.reason
            data["decided_by"] = self.decision.name
        return data


def _key(rule: Rule, subject: Subject, matched: str) -> str:
    raw = f"{rule.id}|{subject.key}|{' '.join(matched.casefold().split())}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:10]


def _applies(rule: Rule, subject: Subject, ctx: Context) -> bool:
    kind = "message" if subject.kind == "variant" else subject.kind
    if kind not in rule.applies_to:
        return False
    if subject.kind == "variant" and not (rule.required or rule.check):
        return False  # a variant as a whole is checked for what it lacks, not for its words
    if subject.kind == "message" and subject.variant is not None and rule.required:
        return False  # what a variant lacks is checked once, on the whole variant
    if subject.kind == "message" and rule.check in ("reading_level",):
        return False
    if rule.fields and subject.field not in rule.fields:
        return False
    if rule.channels and not (rule.channels & subject.channels):
        return False
    if rule.offerings and ctx.offering not in rule.offerings:
        return False
    claim = subject.claim
    return not (rule.unless_evidence and claim is not None and claim.evidence_reference.strip())


def _opener(subject: Subject) -> int:
    """How much of the text an opener rule looks at: a subject line whole, else the first
    sentence (an SMS's or an email's opening words); 0 for other fields."""
    if subject.field in ("headline", "subject"):
        return len(subject.text)
    if subject.field not in ("body", "whole"):
        return 0
    # "Subject:" or a practice's name before a colon is not the opening sentence, nor is a
    # greeting ("Buenas tardes Don Ernesto, le escribe Yesenia de la clínica."): the opener is
    # the sentence after it
    greeted = False
    for m in sentence_ends(subject.text):
        if words_between(subject.text, 0, m.start()) >= 5:
            if greeted or not _GREETING.match(subject.text):
                return m.start()
            greeted = True
    return len(subject.text)


# The words a text message or an email opens with to greet its reader, in the packs' languages.
_GREETING = re.compile(
    r"\W*(hi|hello|hey|dear|good (morning|afternoon|evening)|hola|buen[oa]s( (tardes|noches|"
    r"días|dias))?|estimad[oa]s?|querid[oa]s?|ciao|salve|buongiorno|buonasera|gentile|"
    r"car[oa])\b",
    re.IGNORECASE,
)


def lint_subject(rule: Rule, subject: Subject, ctx: Context) -> Iterator[Finding]:
    if not _applies(rule, subject, ctx):
        return
    if rule.check:
        hits: Iterable[tuple[int, int, str]] = CHECKS[rule.check](rule, subject, ctx)
    elif rule.required:
        assert rule.required_re is not None
        scope = subject.scope or subject.text
        hits = [] if search(rule.required_re, scope) else [(0, 0, "")]
    else:
        hits = ((s, e, "") for s, e in match_text(rule, subject.text, subject.scope))
    if rule.position == "opener":
        limit = _opener(subject)
        hits = [(s, e, d) for s, e, d in hits if e <= limit]
    if rule.unless_evidence and subject.claim is None and subject.variant is not None:
        hits = [
            (s, e, d)
            for s, e, d in hits
            if not (e > s and ctx.covered(subject.variant, subject.text, s, e))
        ]
    for start, end, detail in hits:
        text = subject.text if end > start else ""
        yield Finding(
            rule,
            subject.label,
            subject.field,
            text,
            start if text else 0,
            end if text else 0,
            detail,
            _key(rule, subject, text[start:end] if text else ""),
        )


@dataclass
class Report:
    """The compliance review of a campaign (or of one text)."""

    findings: list[Finding]
    rules: list[Rule]  # the rules that were applied
    disabled: list[tuple[Rule | None, str, str]] = field(default_factory=list)  # (rule, id, why)
    jurisdictions: list[str] = field(default_factory=list)

    def of(self, severity: Severity, *, open_only: bool = True) -> list[Finding]:
        return [f for f in self.findings if f.severity is severity and (f.open or not open_only)]

    @property
    def blocking(self) -> list[Finding]:
        return self.of(Severity.BLOCK)

    def counts(self) -> dict[str, int]:
        counts = {s.value: len(self.of(s)) for s in Severity}
        counts["accepted"] = sum(1 for f in self.findings if f.status == "accepted")
        counts["confirmed"] = sum(1 for f in self.findings if f.status == "confirmed")
        return counts

    def for_variant(self, name: str) -> list[Finding]:
        prefix = f"Variant '{name}'"
        return [f for f in self.findings if f.subject.startswith(prefix)]


def _order(finding: Finding) -> tuple[int, str, int]:
    return finding.severity.rank, finding.subject, finding.start


# The last reviews made, by the rules they were made with and the campaign as it was then (its
# JSON): the workspace asks again at each refresh of its message step, and a brief at each
# render, of a campaign that has often not changed in between. A review takes 60 ms or more,
# reading a campaign's JSON a fifth of a millisecond.
_REVIEWED: OrderedDict[tuple[int, str], tuple[RuleSet, Report]] = OrderedDict()
_REVIEWED_KEPT = 8
_REVIEWED_LOCK = threading.Lock()


def lint_campaign(campaign: Campaign, rules: RuleSet) -> Report:
    """Every finding of the rules of the campaign's jurisdictions, with the decisions taken;
    each call gets a report of its own, which it may change."""
    key = (id(rules), campaign.model_dump_json())
    with _REVIEWED_LOCK:
        kept = _REVIEWED.get(key)
        if kept is not None and kept[0] is rules:
            _REVIEWED.move_to_end(key)
            return _copy(kept[1])
    report = _review(campaign, rules)
    with _REVIEWED_LOCK:
        _REVIEWED[key] = (rules, report)
        while len(_REVIEWED) > _REVIEWED_KEPT:
            _REVIEWED.popitem(last=False)
    return _copy(report)


def forget_reviews() -> None:
    """Forget the reviews kept, so that the next is made anew (for a measure of the review
    itself, as ``python -m benchmarks`` takes), each rule asked of each text again."""
    with _REVIEWED_LOCK:
        _REVIEWED.clear()
    forget_found()


def _copy(report: Report) -> Report:
    return Report(
        [
            dataclasses.replace(f, decision=f.decision.model_copy() if f.decision else None)
            for f in report.findings
        ],
        list(report.rules),
        list(report.disabled),
        list(report.jurisdictions),
    )


def _review(campaign: Campaign, rules: RuleSet) -> Report:
    read_openings(rules)
    waived = {w.rule_id.upper(): w.reason for w in campaign.disabled_rules}
    codes = [j.value for j in campaign.jurisdictions]
    applied = [r for r in rules.for_jurisdictions(codes) if r.id not in waived]
    ctx = Context(
        campaign,
        campaign.offering,
        {
            m.name: tuple(c.text for c in m.claims if c.evidence_reference.strip())
            for m in campaign.messages
        },
    )
    decisions = {d.key: d for d in campaign.finding_decisions}
    findings = []
    for subject in campaign_subjects(campaign):
        said = [f for rule in applied for f in lint_subject(rule, subject, ctx)]
        for finding in one_per_concern(said):
            decision = decisions.get(finding.key)
            if decision is not None and _fits(decision, finding):
                finding.decision = decision
            findings.append(finding)
    findings.sort(key=_order)
    disabled = [(rules.get(rule_id), rule_id, why) for rule_id, why in sorted(waived.items())]
    return Report(findings, applied, disabled, codes)


def _fits(decision: FindingDecision, finding: Finding) -> bool:
    return (
        decision.decision == finding.severity.decision
        and decision.rule_id.upper() == finding.rule.id
    )


def lint_text(
    text: str,
    rules: RuleSet,
    *,
    jurisdictions: Iterable[str] = (),
    channels: Iterable[Channel] = (),
    offering: Offering = Offering.SERVICE,
) -> Report:
    """The findings of one piece of message text, as if it were a variant's body on these
    channels. Checks that need a campaign's records (consent, testimonials) stay quiet."""
    read_openings(rules)
    codes = list(jurisdictions)
    applied = [
        r
        for r in rules.for_jurisdictions(codes)
        if "message" in r.applies_to and (not r.check or r.check in TEXT_CHECKS)
    ]
    subject = Subject("message", "text:body", "Text", text, frozenset(channels), scope=text)
    ctx = Context(None, offering)
    findings = one_per_concern([f for rule in applied for f in lint_subject(rule, subject, ctx)])
    findings.sort(key=_order)
    return Report(findings, applied, [], codes)


def one_per_concern(findings: list[Finding]) -> list[Finding]:
    """The findings of one text, less the reviews of a concern (a rule family) that a block
    already raises there: a reader blocked for discouraging treatment is not also asked to
    review the remedy named beside it."""
    blocked = {f.rule.family for f in findings if f.severity is Severity.BLOCK and f.rule.family}
    return [
        f
        for f in findings
        if f.severity is not Severity.REVIEW or not f.rule.family or f.rule.family not in blocked
    ]


def highlight_spans(finding: Finding) -> tuple[str, int, int]:
    """The text of a finding cut to about a line around its match, and the match's offsets in
    what is returned."""
    text, start, end = finding.text, finding.start, finding.end
    left = max(0, start - 60)
    right = min(len(text), end + 60)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    cut = prefix + text[left:right].replace("\n", " ") + suffix
    offset = len(prefix) - left
    return cut, start + offset, end + offset
