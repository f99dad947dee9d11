"""Which message variant works better: each variant's rate with its Wilson 95% interval, a
test of whether the difference could be chance, and a winner only when it could not and each
variant has been tried enough.

The formulas (the README's "A/B tests" gives them in words):

- a variant's rate is its successes / its trials (21 bookings of 500 invitations: 4.2%), and
  its interval Wilson's score interval at 95% (Wilson 1927; Newcombe 1998, method 3);
- two variants are compared with the two-proportion z-test (pooled; the same p-value as the
  chi-square test without continuity correction) or, when a cell of the 2x2 table expects
  fewer than 5, with Fisher's exact test (two-sided: the tables no more likely than the one
  seen); with more than two, the best against each of the others, each p-value multiplied by
  the number of comparisons (Bonferroni);
- the difference is significant when that p-value is below 0.05, and a winner is declared
  when it is significant and each variant has at least 30 trials;
- the trials a variant needs to tell the observed difference from chance with 80% power at
  the 5% level: n = (z_a * sqrt(2 p q) + z_b * sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2, with p the
  mean of the two rates (Fleiss, without continuity correction).

Written with ``math`` alone (tested against published worked examples), so that the planner
needs no statistics library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.errors import PlannerError
from planner.domain.rates import is_percent_unit
from planner.domain.records import Direction

if TYPE_CHECKING:
    from planner.domain.models import Campaign, Measure
    from planner.store import ResultSum

ALPHA = 0.05  # a difference this unlikely to be chance is called significant
_Z_ALPHA = 1.959963984540054  # the standard normal's 97.5th percentile: two-sided 5%
_Z_POWER = 0.8416212335729143  # its 80th percentile: 80% power
MIN_TRIALS = 30  # a variant tried fewer times does not win, whatever its p-value
_EXPECTED_FOR_Z = 5  # a 2x2 cell expecting fewer than this is tested exactly (Fisher)


def wilson(successes: float, trials: float, z: float = _Z_ALPHA) -> tuple[float, float]:
    """Wilson's score interval of a proportion (95% by default), as (low, high) in 0..1."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_p(s1: float, n1: float, s2: float, n2: float) -> float:
    """The two-sided p-value of the pooled two-proportion z-test."""
    pooled = (s1 + s2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0
    z = abs(s1 / n1 - s2 / n2) / spread
    return math.erfc(z / math.sqrt(2))


def fisher_p(s1: int, n1: int, s2: int, n2: int) -> float:
    """The two-sided p-value of Fisher's exact test of the 2x2 table [[s1, n1 - s1], [s2,
    n2 - s2]]: the probability, with the margins fixed, of the tables no more likely than it."""
    successes, total = s1 + s2, n1 + n2

    def log_probability(a: int) -> float:  # a successes in the first arm
        return _log_comb(n1, a) + _log_comb(n2, successes - a) - _log_comb(total, successes)

    seen = log_probability(s1)
    low, high = max(0, successes - n2), min(n1, successes)
    tolerance = 1e-7  # tables as likely as the one seen, but for rounding, count with it
    p = sum(
        math.exp(lp)
        for a in range(low, high + 1)
        if (lp := log_probability(a)) <= seen + tolerance * abs(seen) + 1e-12
    )
    return min(1.0, p)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def needed_trials(p1: float, p2: float) -> int | None:
    """Trials each of two variants needs to tell rates ``p1`` and ``p2`` apart with 80% power
    at the 5% level; None when they are equal (no number of trials would)."""
    if p1 == p2:
        return None
    p = (p1 + p2) / 2
    top = _Z_ALPHA * math.sqrt(2 * p * (1 - p)) + _Z_POWER * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(top * top / ((p1 - p2) ** 2))


@dataclass(frozen=True)
class Arm:
    """One variant's figures: how many of its trials succeeded."""

    name: str
    label: str  # its A/B label ("A"), or ""
    successes: int
    trials: int

    @property
    def rate(self) -> float:
        return self.successes / self.trials if self.trials else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.successes, self.trials)


@dataclass(frozen=True)
class Verdict:
    """What the comparison found."""

    arms: tuple[Arm, ...]
    best: Arm | None  # the variant doing best so far (None with fewer than two)
    test: str | None  # "two-proportion z" or "fisher exact"; None without a comparison
    p_value: float | None  # the best against the runner-up (adjusted for several)
    significant: bool
    enough_data: bool
    winner: Arm | None
    needed: int | None  # trials each variant needs for the difference seen; None: any
    more_needed: dict[str, int]  # by variant: trials still needed before a verdict


def compare(arms: list[Arm], *, lower_is_better: bool = False) -> Verdict:
    """The verdict on ``arms`` (variants with at least one trial each)."""
    arms = [a for a in arms if a.trials > 0]
    if len(arms) < 2:
        more = {a.name: max(0, MIN_TRIALS - a.trials) for a in arms}
        best = arms[0] if arms else None
        return Verdict(tuple(arms), best, None, None, False, False, None, None, more)
    ranked = sorted(arms, key=lambda a: a.rate, reverse=not lower_is_better)
    best, others = ranked[0], ranked[1:]
    tests = [_test(best, other) for other in others]
    test = "fisher exact" if any(t == "fisher exact" for t, _ in tests) else "two-proportion z"
    p_value = min(1.0, max(p for _, p in tests) * len(others))
    significant = p_value < ALPHA and best.rate != ranked[1].rate
    needed = needed_trials(best.rate, ranked[1].rate)
    tried = all(a.trials >= MIN_TRIALS for a in arms)
    # enough to tell: the difference is significant, or each variant has had the trials
    # that would have shown the difference seen (none would show rates that are the same)
    enough = tried and (significant or needed is None or all(a.trials >= needed for a in arms))
    if enough:
        more = dict.fromkeys((a.name for a in arms), 0)
    else:
        goal = MIN_TRIALS if significant or needed is None else max(MIN_TRIALS, needed)
        more = {a.name: max(0, goal - a.trials) for a in arms}
    winner = best if significant and enough else None
    return Verdict(tuple(arms), best, test, p_value, significant, enough, winner, needed, more)


def _test(a: Arm, b: Arm) -> tuple[str, float]:
    """Which test compares two variants, and its p-value."""
    total = a.trials + b.trials
    successes = a.successes + b.successes
    failures = total - successes
    smallest = min(a.trials, b.trials) * min(successes, failures) / total
    if smallest < _EXPECTED_FOR_Z:
        return "fisher exact", fisher_p(a.successes, a.trials, b.successes, b.trials)
    return "two-proportion z", two_proportion_p(a.successes, a.trials, b.successes, b.trials)


# A campaign's variants compared ---------------------------------------------------------------


@dataclass(frozen=True)
class ABTest:
    """The variants of one segment compared on one measure."""

    measure: Measure
    segment: str | None
    verdict: Verdict
    left_out: int  # results of the measure naming no variant, or not what they are out of


def ab_test(
    campaign: Campaign, measure: Measure, sums: list[ResultSum], segment: str | None
) -> ABTest:
    """The comparison of the variants in ``sums`` (the measure's results by variant, of
    ``segment`` when given). Variants aimed at several segments are refused: compare those
    of one segment."""
    labels = {m.name: m.ab_label for m in campaign.messages}
    aimed = {m.name: m.segment for m in campaign.messages}
    percent = is_percent_unit(measure.unit)
    compared = [s for s in sums if s.key is not None and s.with_trials]
    left_out = sum(s.entries - (s.with_trials if s in compared else 0) for s in sums)
    if segment is None:
        segments = sorted({aimed[s.key] or "" for s in compared if s.key is not None})
        if len(segments) > 1:
            named = ", ".join(f"'{name}'" if name else "no segment" for name in segments)
            fix = (
                " (or give each variant its segment in the Message step)" if "" in segments else ""
            )
            raise PlannerError(
                f"The variants with results of '{measure.name}' are aimed at "
                f"{len(segments)} segments ({named}); compare those of one with "
                f"--segment{fix}."
            )
    arms = [
        Arm(
            s.key,
            labels.get(s.key, ""),
            round(s.weighted / 100 if percent else s.tried),
            round(s.trials),
        )
        for s in sorted(compared, key=lambda s: (labels.get(s.key or "", ""), s.key or ""))
        if s.key is not None
    ]
    return ABTest(measure, segment, compare(arms, lower_is_better=_lower(measure)), left_out)


def ab_test_json(test: ABTest, campaign_id: int | None, style: str | None = None) -> dict[str, Any]:
    """The comparison as ``planner abtest ID --json`` prints it (documented in the README)."""
    v = test.verdict
    return {
        "campaign_id": campaign_id,
        "measure": test.measure.name,
        "segment": test.segment,
        "lower_is_better": _lower(test.measure),
        "alpha": ALPHA,
        "test": v.test,
        "variants": [
            {
                "name": arm.name,
                "label": arm.label,
                "successes": arm.successes,
                "trials": arm.trials,
                "rate": round(arm.rate, 6),
                "ci_low": round(arm.interval[0], 6),
                "ci_high": round(arm.interval[1], 6),
                "more_needed": v.more_needed.get(arm.name, 0),
            }
            for arm in v.arms
        ],
        "p_value": None if v.p_value is None else round(v.p_value, 6),
        "significant": v.significant,
        "winner": v.winner.name if v.winner else None,
        "enough_data": v.enough_data,
        "needed_per_variant": v.needed,
        "left_out": test.left_out,
        "verdict": verdict_words(test, style),
    }


def _called(arm: Arm) -> str:
    return f"{arm.label} ('{arm.name}')" if arm.label else f"'{arm.name}'"


def rate_text(rate: float, style: str | None = None) -> str:
    """A rate as a percentage with one decimal, in the campaign's number ``style``."""
    from planner.domain.numbers import format_rounded  # Babel: loaded when a figure is shown

    return f"{format_rounded(rate * 100, style, 1)}%"


def verdict_words(test: ABTest, style: str | None = None) -> str:
    """The verdict in words a practice manager reads (numbers in the campaign's ``style``)."""
    from planner.domain.numbers import format_rounded

    def _pct(rate: float) -> str:
        return rate_text(rate, style)

    v = test.verdict
    measure = test.measure.name
    if v.best is None or len(v.arms) < 2:
        have = len(v.arms)
        return (
            f"A comparison needs results of '{measure}' for at least two message variants, "
            f"each saying what it is out of (results add --variant V --of N); "
            f"{'none has' if not have else 'one has'} them yet."
        )
    runner_up = sorted(v.arms, key=lambda a: a.rate, reverse=not _lower(test.measure))[1]
    lower = ", lower is better" if _lower(test.measure) else ""
    seen = f"{_pct(v.best.rate)} against {_pct(runner_up.rate)} on '{measure}'{lower}"
    p = (
        f"p = {format_rounded(v.p_value, style, 3)}"
        if v.p_value is not None and v.p_value >= 0.001
        else f"p < {format_rounded(0.001, style, 3)}"
    )
    if v.winner is not None:
        return (
            f"{_called(v.best)} does better than {_called(runner_up)} ({seen}); a difference "
            f"this large is unlikely to be chance ({p})."
        )
    if v.significant:
        short = [
            f"{_called(a)} {format_rounded(n, style, 0)}"
            for a in v.arms
            if (n := v.more_needed.get(a.name, 0))
        ]
        return (
            f"{_called(v.best)} is ahead of {_called(runner_up)} ({seen}) and the difference "
            f"is unlikely to be chance ({p}), but a variant wins only after {MIN_TRIALS} "
            f"trials each; still needed: {', '.join(short)}."
        )
    if v.best.rate == runner_up.rate:
        return f"No winner: {_called(v.best)} and {_called(runner_up)} do as well ({seen})."
    if v.enough_data:
        return (
            f"No winner: {_called(v.best)} is ahead of {_called(runner_up)} ({seen}), but "
            f"the difference could be chance ({p}); with these trials a real difference that "
            "large would most likely have shown, so the variants do about as well."
        )
    more = max(v.more_needed.values(), default=0)
    return (
        f"No winner yet: {_called(v.best)} is ahead of {_called(runner_up)} ({seen}), but "
        f"a difference this large could be chance ({p}). About "
        f"{format_rounded(more, style, 0)} more trials per variant would tell, if the rates "
        "stay as they are."
    )


def _lower(measure: Measure) -> bool:
    return measure.direction is Direction.DECREASE


def ab_tests(campaign: Campaign, measure: Measure, sums: list[ResultSum]) -> list[ABTest]:
    """The comparison of each segment's variants in ``sums`` (the measure's results by
    variant), one a segment the plan aims them at, in the plan's order of segments."""
    aimed = {m.name: m.segment for m in campaign.messages}
    order = {s.name: n for n, s in enumerate(campaign.segments)}
    groups: dict[str | None, list[ResultSum]] = {}
    for s in sums:
        if s.key is not None and s.with_trials:
            groups.setdefault(aimed.get(s.key), []).append(s)
    return [
        ab_test(campaign, measure, groups[segment], segment)
        for segment in sorted(groups, key=lambda g: order.get(g or "", len(order)))
    ]
