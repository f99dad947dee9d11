"""Issue 27, the A/B verdict's statistics against published worked examples: Wilson intervals
(Newcombe 1998), Fisher's exact test (Fisher's tea-tasting table; SciPy's documented table),
the two-proportion test, the sample size for 80% power (Fleiss), and the verdict's rules."""

from __future__ import annotations

import pytest

from planner.tracking.abtest import (
    MIN_TRIALS,
    Arm,
    compare,
    fisher_p,
    needed_trials,
    two_proportion_p,
    wilson,
)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe RG, Two-sided confidence intervals for the single proportion: comparison of
        # seven methods, Statistics in Medicine 17 (1998) 857-872, table II, method 3 (Wilson)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_intervals_are_newcombes(successes, trials, low, high):
    found = wilson(successes, trials)
    assert found == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


@pytest.mark.parametrize(
    ("table", "p"),
    [
        # Fisher, The Design of Experiments (1935): the lady tasting tea, 3 of 4 cups right
        (((3, 4), (1, 4)), 0.4857),
        # scipy.stats.fisher_exact's documented example, [[8, 2], [1, 5]]
        (((8, 10), (1, 6)), 0.0350),
        # a table with every probability alike on both tails
        (((0, 5), (5, 5)), 0.0079),
    ],
)
def test_fisher_exact_two_sided_p_values(table, p):
    (s1, n1), (s2, n2) = table
    assert fisher_p(s1, n1, s2, n2) == pytest.approx(p, abs=5e-5)


def test_the_two_proportion_test_is_the_chi_square_test_without_correction():
    # 56/70 against 48/80 (Newcombe 1998's example of a difference): chi-square 7.0234 on one
    # degree of freedom, p = 0.00805, as scipy.stats.chi2_contingency(correction=False) gives
    assert two_proportion_p(56, 70, 48, 80) == pytest.approx(0.008045, abs=5e-6)
    assert two_proportion_p(21, 500, 38, 480) == pytest.approx(0.014477, abs=5e-6)
    assert two_proportion_p(5, 50, 5, 50) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("p1", "p2", "n"),
    # Fleiss, Statistical Methods for Rates and Proportions: 80% power, 5% two-sided,
    # without continuity correction (356 for 60% against 70%; 199 for 10% against 20%)
    [(0.6, 0.7, 356), (0.1, 0.2, 199), (0.7, 0.6, 356)],
)
def test_trials_needed_for_80_percent_power(p1, p2, n):
    assert needed_trials(p1, p2) == n
    assert needed_trials(p1, p1) is None


def test_a_clear_difference_with_enough_trials_has_a_winner():
    verdict = compare([Arm("Short", "A", 21, 500), Arm("Story", "B", 38, 480)])
    assert verdict.winner.name == "Story" and verdict.significant and verdict.enough_data
    assert verdict.test == "two-proportion z" and verdict.more_needed == {"Short": 0, "Story": 0}


def test_a_difference_that_could_be_chance_says_how_many_more_trials_would_tell():
    verdict = compare([Arm("Short", "A", 21, 500), Arm("Story", "B", 29, 480)])
    assert verdict.winner is None and not verdict.significant and not verdict.enough_data
    needed = needed_trials(21 / 500, 29 / 480)
    assert verdict.more_needed == {"Short": needed - 500, "Story": needed - 480}


def test_small_counts_are_tested_exactly_and_a_few_trials_never_win():
    tiny = compare([Arm("A", "A", 5, 5), Arm("B", "B", 0, 5)])
    assert tiny.test == "fisher exact" and tiny.p_value == pytest.approx(0.0079, abs=5e-5)
    assert tiny.significant and tiny.winner is None and not tiny.enough_data
    assert tiny.more_needed == {"A": MIN_TRIALS - 5, "B": MIN_TRIALS - 5}
    rare = compare([Arm("A", "A", 8, 30), Arm("B", "B", 0, 30)])
    assert rare.test == "fisher exact" and rare.winner.name == "A"


def test_for_a_measure_that_should_go_down_the_lower_rate_wins():
    verdict = compare([Arm("Call", "A", 60, 600), Arm("Text", "B", 30, 600)], lower_is_better=True)
    assert verdict.winner.name == "Text"


def test_with_three_variants_the_best_must_beat_each_other_after_bonferroni():
    # the best against the runner-up alone: p = 0.028; two comparisons make it 0.056
    arms = [Arm("A", "A", 50, 1000), Arm("B", "B", 73, 1000), Arm("C", "C", 20, 1000)]
    verdict = compare(arms)
    alone = two_proportion_p(73, 1000, 50, 1000)
    assert 0.025 < alone < 0.05
    assert verdict.p_value == pytest.approx(2 * alone) and verdict.winner is None


def test_one_variant_alone_is_no_comparison():
    verdict = compare([Arm("A", "A", 21, 500)])
    assert verdict.test is None and verdict.p_value is None and verdict.winner is None
