"""How well the compliance review finds problems it was not tuned to.

    python -m benchmarks.compliance [--set dev|held-out|both] [--json] [--misses]

The corpus (``tests/compliance_corpus/*.toml``) holds sentences in English, Italian and
Spanish written independently of the rules, each labelled with the families of problems it
must raise (or none: plain information that must stay quiet). It is split once, by a fixed
seed, into a development set, which the rules may be tuned to, and a held-out set, which they
never are: its figures say how the review does on text it has never seen. ``--misses`` lists
what the development set misses and raises by mistake; it does not list the held-out set's.

Figures per family and overall: recall (problems flagged / problems), false blocks (a block
on a text that has no block-level problem in its jurisdiction) and false reviews (a review on
a quiet text, as a share of the quiet texts); a family's false alarms are those its rules
raised. Targets on the held-out set: recall at least
95 %, no false block, at most 5 % false reviews. Rules that look for what a whole message
lacks (an unsubscribe link in an email, a "not medical advice" line in a social post) are left
out: one sentence cannot show them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "compliance_corpus"
SEED = "issue-24"  # the split's seed: never change it, or the held-out set is spoiled
SETS = ("dev", "held-out")
TARGETS = {"recall": 0.95, "false_blocks": 0, "false_reviews": 0.05}

# What each family must raise in each jurisdiction (block, review, or nothing: there it is
# not a problem). The families are the concerns the rules are grouped by (a rule's `family`).
B, R = "block", "review"
EXPECTED: dict[str, dict[str, str]] = {
    "reader-condition": {"US": B, "UK": B, "IT": B},
    "discourage-treatment": {"US": B, "UK": B, "IT": B},
    "referral-incentive": {"US": B, "UK": R, "IT": B},
    "beneficiary-cash": {"US": B},
    "beneficiary-gift": {"US": R},
    "review-incentive": {"US": B, "UK": B, "IT": B},
    "promotion": {"IT": B},
    "procedure-promotion": {"UK": B, "IT": B},
    "free-offer": {"US": R, "IT": B},
    "superlatives": {"US": R, "UK": R, "IT": R},
    "absolute": {"US": B, "UK": B, "IT": B},
    "substantiation": {"US": B, "UK": B, "IT": B},
    "comparison": {"US": B, "UK": B, "IT": B},
    "prescription-medicine": {"US": R, "UK": B, "IT": B},
    "weight-loss-figure": {"US": R, "UK": R, "IT": R},
    "care-mimic": {"US": B, "UK": B, "IT": B},
    "body-image": {"US": B, "UK": B, "IT": B},
    "experimental": {"US": B, "UK": B, "IT": B},
    "shared-decision": {"US": R, "UK": R, "IT": R},
}
# In Italy every promotion of a health service is banned: a procedure's promotion, a free
# offer and a reward for a referral are all found by the promotion rule.
ALSO_FOUND_BY = {
    ("IT", "procedure-promotion"): {"promotion"},
    ("IT", "free-offer"): {"promotion"},
    ("IT", "referral-incentive"): {"promotion"},
}


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    text: str
    jurisdictions: tuple[str, ...]
    channels: tuple[str, ...]
    offering: str
    expect: tuple[str, ...]
    why: str = ""
    dev_only: bool = False  # from a file of development cases written after the split

    @property
    def set(self) -> str:
        """dev or held-out, by a hash of the id and the fixed seed: a case keeps its set when
        others are added. Cases written later for development (files ``*-dev.toml``) are
        never held out: the held-out set was split once and never changes."""
        if self.dev_only:
            return "dev"
        digest = hashlib.sha256(f"{SEED}:{self.id}".encode()).digest()
        return "held-out" if digest[0] % 2 == 0 else "dev"

    @property
    def quiet(self) -> bool:
        return not self.expect

    def severity(self, family: str) -> str | None:
        levels = [EXPECTED[family].get(j) for j in self.jurisdictions]
        return B if B in levels else (R if R in levels else None)

    @property
    def blocks_expected(self) -> bool:
        return any(self.severity(f) == B for f in self.expect)

    def found_by(self, family: str) -> set[str]:
        extra: set[str] = set()
        for j in self.jurisdictions:
            extra |= ALSO_FOUND_BY.get((j, family), set())
        return {family} | extra


def load_corpus(folder: Path = CORPUS) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.toml")):
        for raw in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            cases.append(
                Case(
                    id=raw["id"],
                    lang=raw["lang"],
                    text=raw["text"],
                    jurisdictions=tuple(raw["jurisdictions"]),
                    channels=tuple(raw.get("channels", ())),
                    offering=raw.get("offering", "service"),
                    expect=tuple(raw.get("expect", ())),
                    why=raw.get("why", ""),
                    dev_only=path.stem.endswith("-dev"),
                )
            )
    return cases


@dataclass
class Outcome:
    case: Case
    found: list[tuple[str, str, str, str]]  # (rule id, family, severity, matched)
    missed: list[str] = field(default_factory=list)  # expected families not raised
    false_block: bool = False
    false_review: bool = False


def judge(case: Case, found: list[tuple[str, str, str, str]]) -> Outcome:
    families = {family for _, family, _, _ in found}
    outcome = Outcome(case, found)
    outcome.missed = [f for f in case.expect if not (case.found_by(f) & families)]
    severities = {severity for _, _, severity, _ in found}
    outcome.false_block = B in severities and not case.blocks_expected
    outcome.false_review = case.quiet and R in severities
    return outcome


Family = Callable[[object], str]


def run(cases: Iterable[Case], family_of: Family | None = None) -> list[Outcome]:
    """Lint every case as one text on its channels in its jurisdictions."""
    from planner.compliance import lint_text, load_rules
    from planner.domain.models import Channel, Offering

    rules = load_rules()
    family_of = family_of or (lambda rule: getattr(rule, "family", ""))
    outcomes = []
    for case in cases:
        report = lint_text(
            case.text,
            rules,
            jurisdictions=case.jurisdictions,
            channels=[Channel(c) for c in case.channels],
            offering=Offering(case.offering),
        )
        found = [
            (f.rule.id, family_of(f.rule), f.severity.value, f.matched)
            for f in report.findings
            if not f.rule.required  # what a whole message lacks, not what a sentence says
        ]
        outcomes.append(judge(case, found))
    return outcomes


@dataclass
class Figures:
    problems: int = 0
    flagged: int = 0
    quiet: int = 0
    false_blocks: int = 0
    false_reviews: int = 0
    cases: int = 0
    by_family: dict[str, tuple[int, int]] = field(default_factory=dict)  # (flagged, problems)
    # the families whose rules raised a false alarm: (false blocks, false reviews)
    alarms: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.flagged / self.problems if self.problems else 1.0

    @property
    def false_review_rate(self) -> float:
        return self.false_reviews / self.quiet if self.quiet else 0.0

    def meets_targets(self) -> bool:
        return (
            self.recall >= TARGETS["recall"]
            and self.false_blocks <= TARGETS["false_blocks"]
            and self.false_review_rate <= TARGETS["false_reviews"]
        )

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "problems": self.problems,
            "flagged": self.flagged,
            "recall": round(self.recall, 4),
            "quiet": self.quiet,
            "false_blocks": self.false_blocks,
            "false_reviews": self.false_reviews,
            "false_review_rate": round(self.false_review_rate, 4),
            "meets_targets": self.meets_targets(),
            "families": {
                name: {
                    "flagged": self.by_family.get(name, (0, 0))[0],
                    "problems": self.by_family.get(name, (0, 0))[1],
                    "false_blocks": self.alarms.get(name, (0, 0))[0],
                    "false_reviews": self.alarms.get(name, (0, 0))[1],
                }
                for name in sorted(set(self.by_family) | set(self.alarms))
            },
        }


def figures(outcomes: Iterable[Outcome]) -> Figures:
    fig = Figures()
    per: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    blocks: Counter[str] = Counter()
    reviews: Counter[str] = Counter()
    for o in outcomes:
        fig.cases += 1
        for family in o.case.expect:
            per[family] += 1
            hit[family] += family not in o.missed
        fig.false_blocks += o.false_block
        if o.false_block:
            blocks.update({fam or "(none)" for _, fam, sev, _ in o.found if sev == B})
        if o.case.quiet:
            fig.quiet += 1
            fig.false_reviews += o.false_review
            if o.false_review:
                reviews.update({fam or "(none)" for _, fam, sev, _ in o.found if sev == R})
    fig.problems = sum(per.values())
    fig.flagged = sum(hit.values())
    fig.by_family = {name: (hit[name], per[name]) for name in sorted(per)}
    fig.alarms = {
        name: (blocks[name], reviews[name]) for name in sorted(set(blocks) | set(reviews))
    }
    return fig


def _table(name: str, fig: Figures) -> str:
    lines = [
        f"{name}: {fig.cases} sentences ({fig.quiet} quiet), {fig.problems} problems to find "
        "(a sentence can show more than one)"
    ]
    lines.append(f"  {'family':<24}{'flagged':>12}{'recall':>9}{'false blocks':>14}{'reviews':>9}")
    for family in sorted(set(fig.by_family) | set(fig.alarms)):
        got, of = fig.by_family.get(family, (0, 0))
        fb, fr = fig.alarms.get(family, (0, 0))
        flagged = f"{got}/{of}" if of else "–"
        recall = f"{got / of:.0%}" if of else "–"
        lines.append(f"  {family:<24}{flagged:>12}{recall:>9}{fb or '':>14}{fr or '':>9}")
    lines.append(f"  {'overall':<24}{f'{fig.flagged}/{fig.problems}':>12}{fig.recall:>9.1%}")
    lines.append(f"  false blocks: {fig.false_blocks}")
    lines.append(
        f"  false reviews: {fig.false_reviews} of {fig.quiet} quiet sentences "
        f"({fig.false_review_rate:.1%})"
    )
    verdict = "meets" if fig.meets_targets() else "misses"
    lines.append(f"  {verdict} the targets (recall >= 95%, no false block, false reviews <= 5%)")
    return "\n".join(lines)


def _misses(outcomes: Iterable[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if o.missed or o.false_block or o.false_review:
            what = []
            if o.missed:
                what.append("missed " + ", ".join(o.missed))
            if o.false_block or o.false_review:
                what.append("raised " + ", ".join(f"{r} '{m}'" for r, _, _, m in o.found))
            lines.append(
                f"{o.case.id} [{'/'.join(o.case.jurisdictions)} "
                f"{','.join(o.case.channels)}] {'; '.join(what)}\n    {o.case.text}"
            )
    return "\n".join(lines) or "(none)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compliance")
    parser.add_argument("--set", choices=("dev", "held-out", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--misses", action="store_true", help="List the development set's misses.")
    args = parser.parse_args(argv)
    cases = load_corpus()
    chosen = SETS if args.set == "both" else (args.set,)
    results = {name: run([c for c in cases if c.set == name]) for name in chosen}
    if args.json:
        print(json.dumps({k: figures(v).as_json() for k, v in results.items()}, indent=2))
    else:
        print("\n\n".join(_table(name, figures(results[name])) for name in chosen))
    if args.misses and "dev" in results:
        print("\nDevelopment set, what is missed or raised by mistake:")
        print(_misses(results["dev"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
