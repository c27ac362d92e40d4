"""Tests of dosecourse.expansion: the "lower dose unless beaten by a margin" selection rule.

Sources of the expected numbers:
* Hand enumeration of every outcome for one or two patients per arm, written out in the comments.
* An independent brute-force enumeration (every joint outcome of all arms, exact ``Fraction`` arithmetic and a
  plain-Python version of the rule) for small arms, including unequal allocation and the toxicity guard.
* Symmetry for equal true rates: P(X2 > X1) = (1 - P(X1 = X2)) / 2.
* The normal approximation with continuity correction for a large arm (a sanity bound, not an identity).
* Seeded Monte Carlo simulation (``simulate_selection``), within 3 standard errors.
* Properties (hypothesis): the probabilities form a distribution; a larger margin never lowers P(keep dose 1).
No published operating-characteristic number of ROSE or MERIT could be read in full in the sources searched,
so there is no reference-number test.
"""

import ast
import inspect
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse import _validate
from dosecourse import expansion as ex
from dosecourse import expansion_cases as cases
from dosecourse.i18n import LANGS

# --- brute force: every joint outcome, exact arithmetic ---------------------------------------------------------


def _binom_pmf(n, q):
    return [math.comb(n, x) * q ** x * (1 - q) ** (n - x) for x in range(n + 1)]


def _brute_force(p, n, margin, p_tox=None, tox_margin=None):
    """Exact P(select each dose) by enumerating all response (and toxicity) counts; rates as Fractions."""
    k = len(p)
    p = [Fraction(str(v)) for v in p]
    m = Fraction(str(margin))
    pmf = [_binom_pmf(n[j], p[j]) for j in range(k)]
    tox_outcomes = [((0,) * k, Fraction(1))]
    if p_tox is not None:
        pt = [Fraction(str(v)) for v in p_tox]
        tm = Fraction(str(tox_margin))
        tpmf = [_binom_pmf(n[j], pt[j]) for j in range(k)]
        tox_outcomes = [(ys, math.prod(tpmf[j][ys[j]] for j in range(k)))
                        for ys in itertools.product(*(range(n[j] + 1) for j in range(k)))]
    out = [Fraction(0)] * k
    for xs in itertools.product(*(range(n[j] + 1) for j in range(k))):
        wx = math.prod(pmf[j][xs[j]] for j in range(k))
        for ys, wy in tox_outcomes:
            c = 0
            for j in range(1, k):
                beats = Fraction(xs[j], n[j]) - Fraction(xs[c], n[c]) > m
                safe = p_tox is None or Fraction(ys[j], n[j]) - Fraction(ys[c], n[c]) <= tm
                if beats and safe:
                    c = j
            out[c] += wx * wy
    return [float(v) for v in out]


@pytest.mark.parametrize("p, n, margin, p_tox, tox_margin", [
    ((0.3, 0.6), (3, 3), 0.0, None, None),
    ((0.3, 0.6), (2, 5), 0.2, None, None),
    ((0.2, 0.4, 0.5), (3, 3, 3), 1 / 3, None, None),
    ((0.2, 0.4, 0.5), (2, 4, 3), 0.25, None, None),
    ((0.25, 0.45, 0.55), (2, 3, 4), 0.1, (0.1, 0.3, 0.4), 0.2),
    ((0.4, 0.5), (4, 3), 0.0, (0.2, 0.6), 0.0),
])
def test_exact_equals_brute_force_enumeration(p, n, margin, p_tox, tox_margin):
    got = ex.selection_probabilities(p, n, margin, p_tox=p_tox, tox_margin=tox_margin)
    assert got == pytest.approx(_brute_force(p, n, margin, p_tox, tox_margin), abs=1e-13)


# --- hand-computed small cases -----------------------------------------------------------------------------------

def test_one_patient_per_arm_two_doses():
    # Outcomes (x1, x2) in {0,1}^2; margin 0 moves up only for (0, 1): P(2) = p2 (1 - p1) = 0.6 x 0.7 = 0.42.
    assert ex.selection_probabilities([0.3, 0.6], 1, 0.0) == pytest.approx([0.58, 0.42], abs=1e-15)
    # Margin 0.5 < 1: the only positive difference (1) still beats it.
    assert ex.selection_probabilities([0.3, 0.6], 1, 0.5) == pytest.approx([0.58, 0.42], abs=1e-15)
    # Margin 1: a difference of exactly 1 does not beat it, so dose 1 always.
    assert ex.selection_probabilities([0.3, 0.6], 1, 1) == pytest.approx([1.0, 0.0], abs=1e-15)


def test_two_patients_per_arm_tie_at_the_margin():
    # n = 2: rates in {0, 1/2, 1}.  Margin 1/2: only (x1, x2) = (0, 2) has a difference > 1/2; (0, 1) and (1, 2)
    # differ by exactly 1/2 and keep dose 1.  P(2) = (1 - p1)^2 p2^2 = 0.64 x 0.36 = 0.2304.
    assert ex.selection_probabilities([0.2, 0.6], 2, 0.5)[1] == pytest.approx(0.2304, abs=1e-15)
    # Margin 0.49: (0, 1), (1, 2) and (0, 2) all move up:
    # 0.64 x 0.48 + 0.32 x 0.36 + 0.64 x 0.36 = 0.3072 + 0.1152 + 0.2304 = 0.6528.
    assert ex.selection_probabilities([0.2, 0.6], 2, 0.49)[1] == pytest.approx(0.6528, abs=1e-15)


def test_one_patient_per_arm_three_doses():
    # chosen = 1; move to 2 only for (x1, x2) = (0, 1); dose 3 cannot beat a responder, so
    # P(2) = (1 - p1) p2 = 0.8 x 0.4 = 0.32; P(3) needs (0, 0, 1): 0.8 x 0.6 x 0.6 = 0.288; P(1) = 0.392.
    got = ex.selection_probabilities([0.2, 0.4, 0.6], 1, 0.0)
    assert got == pytest.approx([0.392, 0.32, 0.288], abs=1e-15)


def test_toxicity_guard_by_hand():
    # n = 1, margin 0, tox margin 0: move up iff (x1, x2) = (0, 1) and not (y1, y2) = (0, 1).
    # P(2) = 0.6 x 0.7 x (1 - 0.5 x 0.9) = 0.42 x 0.55 = 0.231.
    got = ex.selection_probabilities([0.3, 0.6], 1, 0.0, p_tox=[0.1, 0.5], tox_margin=0.0)
    assert got == pytest.approx([0.769, 0.231], abs=1e-15)
    # A toxicity excess of exactly the toxicity margin is allowed (0.5 - 0.0 <= 0.5).
    assert ex.select_dose([0, 2], 2, 0.0, toxicities=[0, 1], tox_margin=0.5) == 2
    assert ex.select_dose([0, 2], 2, 0.0, toxicities=[0, 2], tox_margin=0.5) == 1


def test_toxicity_guard_can_only_lower_the_chance_of_moving_up():
    plain = ex.selection_probabilities([0.2, 0.35, 0.5], 25, 0.05)
    guarded = ex.selection_probabilities([0.2, 0.35, 0.5], 25, 0.05, p_tox=[0.1, 0.2, 0.4], tox_margin=0.1)
    assert guarded[0] >= plain[0]
    # A toxicity margin of 1 never blocks, so the guard changes nothing.
    loose = ex.selection_probabilities([0.2, 0.35, 0.5], 25, 0.05, p_tox=[0.1, 0.2, 0.4], tox_margin=1)
    assert loose == pytest.approx(plain, abs=1e-14)


# --- ties and exact arithmetic -----------------------------------------------------------------------------------

def test_difference_equal_to_the_margin_keeps_the_lower_dose_despite_floating_point():
    # In floating point 4/10 - 1/10 = 0.30000000000000004 > 0.3 and 7/10 - 4/10 = 0.29999999999999993 < 0.3;
    # both are exactly 3/10 and must keep dose 1.
    assert 4 / 10 - 1 / 10 > 0.3 and 7 / 10 - 4 / 10 < 0.3
    assert ex.select_dose([1, 4], 10, 0.3) == 1
    assert ex.select_dose([4, 7], 10, 0.3) == 1
    assert ex.select_dose([1, 5], 10, 0.3) == 2
    # Unequal arms: 8/20 - 1/10 = 3/10 exactly.
    assert ex.select_dose([1, 8], [10, 20], 0.3) == 1
    assert ex.select_dose([1, 9], [10, 20], 0.3) == 2
    # A Fraction margin gives the same decisions.
    assert ex.select_dose([1, 4], 10, Fraction(3, 10)) == 1


def test_three_dose_rule_is_sequential():
    # Dose 2 beats dose 1 (0.45 - 0.30 > 0.10), then dose 3 is compared with dose 2 (0.50 - 0.45 <= 0.10).
    assert ex.select_dose([6, 9, 10], 20, 0.10) == 2
    # Dose 2 fails against dose 1, dose 3 is compared with dose 1: 0.45 - 0.30 > 0.10.
    assert ex.select_dose([6, 7, 9], 20, 0.10) == 3


# --- exact versus simulation ------------------------------------------------------------------------------------

SCENARIOS = [
    dict(p=(0.30, 0.45), n_per_arm=30, margin=0.05),
    dict(p=(0.25, 0.35, 0.40), n_per_arm=40, margin=0.05),
    dict(p=(0.20, 0.30, 0.45), n_per_arm=(20, 30, 40), margin=0.10),
    dict(p=(0.40, 0.55), n_per_arm=(25, 50), margin=0.10, p_tox=(0.10, 0.25), tox_margin=0.10),
    dict(p=(0.20, 0.35, 0.45), n_per_arm=(30, 30, 15), margin=0.0, p_tox=(0.1, 0.2, 0.3), tox_margin=0.05),
]


@pytest.mark.parametrize("kwargs", SCENARIOS)
def test_exact_equals_simulation_within_three_standard_errors(kwargs):
    n_trials = 200_000
    exact = ex.selection_probabilities(**kwargs)
    sim = ex.simulate_selection(**kwargs, n_trials=n_trials, seed=20240815)
    se = np.sqrt(exact * (1 - exact) / n_trials)
    assert np.all(np.abs(sim.probabilities - exact) <= 3 * se), (sim.probabilities, exact, se)
    assert sim.n_trials == n_trials and sim.probabilities.sum() == pytest.approx(1.0)


def test_simulation_is_reproducible_with_a_seed():
    a = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=1000, seed=7)
    b = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=1000, seed=7)
    assert np.array_equal(a.probabilities, b.probabilities)


# --- general properties ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", SCENARIOS)
def test_probabilities_sum_to_one(kwargs):
    probs = ex.selection_probabilities(**kwargs)
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(probs >= 0)


def test_larger_true_difference_raises_the_chance_of_the_higher_dose():
    p2 = np.linspace(0.30, 0.70, 9)
    two = [ex.selection_probabilities([0.30, q], 25, 0.05)[1] for q in p2]
    assert np.all(np.diff(two) > 0)
    three = [ex.selection_probabilities([0.30, 0.40, q], (20, 20, 30), 0.05)[2] for q in p2]
    assert np.all(np.diff(three) > 0)


def test_larger_margin_never_raises_the_chance_of_moving_up():
    margins = np.linspace(0.0, 0.5, 11)
    p1 = [ex.selection_probabilities([0.3, 0.4, 0.5], 20, m)[0] for m in margins]
    assert np.all(np.diff(p1) >= -1e-15)


def test_margin_zero_with_equal_rates_is_half_of_the_non_ties():
    # Symmetry: P(X2 > X1) = (1 - P(X1 = X2)) / 2 with P(X1 = X2) = sum_x f(x)^2.
    n, q = 20, 0.3
    f = np.array(_binom_pmf(n, q))
    expected = (1 - np.sum(f ** 2)) / 2
    assert ex.selection_probabilities([q, q], n, 0.0)[1] == pytest.approx(expected, abs=1e-14)


def test_margin_large_limits():
    # Margin >= 1: a rate difference can never exceed it, dose 1 always.
    assert ex.selection_probabilities([0.1, 0.5, 0.9], 15, 1.0) == pytest.approx([1, 0, 0], abs=1e-15)
    assert ex.selection_probabilities([0.1, 0.9], 15, 7.5) == pytest.approx([1, 0], abs=1e-15)
    # Margin 0.999 with n = 10: only (0, 10) moves up: (1 - p1)^10 p2^10.
    assert ex.selection_probabilities([0.2, 0.9], 10, 0.999)[1] == pytest.approx(0.8 ** 10 * 0.9 ** 10, rel=1e-12)


def test_large_arm_close_to_the_normal_approximation():
    # n = 100, p = (0.3, 0.5), margin 0.1: move up iff X2 - X1 >= 11; continuity-corrected normal approximation
    # Phi((20 - 10.5) / sqrt(100 (0.21 + 0.25))) = Phi(1.4007) = 0.919.
    from scipy.stats import norm
    approx = norm.cdf((20 - 10.5) / math.sqrt(100 * 0.46))
    assert ex.selection_probabilities([0.3, 0.5], 100, 0.1)[1] == pytest.approx(approx, abs=0.01)


# --- correct selection and sample size ---------------------------------------------------------------------------

def test_correct_dose_definition():
    assert ex.correct_dose([0.30, 0.38, 0.40], 0.10) == 1   # 0.40 - 0.30 = 0.10 exactly: within the margin
    assert ex.correct_dose([0.20, 0.35, 0.45], 0.10) == 2
    assert ex.correct_dose([0.20, 0.30, 0.60], 0.10) == 3
    assert ex.correct_dose([0.5, 0.4], 0.0) == 1             # a higher dose that is worse is never right
    assert ex.correct_dose([0.20, 0.35, 0.45], 0.10, correct=3) == 3
    pcs = ex.probability_correct_selection([0.20, 0.35, 0.45], 30, 0.10)
    assert pcs == pytest.approx(ex.selection_probabilities([0.20, 0.35, 0.45], 30, 0.10)[1])


@pytest.mark.parametrize("sustained", [True, False])
@pytest.mark.parametrize("p, margin, target, allocation", [
    ((0.30, 0.50), 0.10, 0.80, None),
    ((0.30, 0.30), 0.10, 0.90, None),          # equal rates: dose 1 is right
    ((0.20, 0.35, 0.50), 0.05, 0.70, None),
    ((0.30, 0.50), 0.10, 0.80, (1, 2)),
])
def test_sample_size_reaches_the_target_and_one_less_does_not(p, margin, target, allocation, sustained):
    res = ex.sample_size_for_selection(p, margin, target, allocation=allocation, sustained=sustained)
    alloc = np.ones(len(p), dtype=int) if allocation is None else np.array(allocation)
    assert res.n_per_arm == tuple(int(v) for v in alloc * res.n)
    assert res.pcs == pytest.approx(ex.probability_correct_selection(p, res.n_per_arm, margin))
    assert res.pcs >= target
    if res.n > 1:
        assert ex.probability_correct_selection(p, tuple(alloc * (res.n - 1)), margin) < target
    if sustained:
        assert np.all(res.pcs_curve[res.n - 1:] >= target)


def test_sample_size_is_monotone_in_target_and_difference():
    first = ex.sample_size_for_selection([0.30, 0.50], 0.10, 0.80).n
    sustained_ns = [ex.sample_size_for_selection([0.30, 0.50], 0.10, g).n for g in (0.6, 0.7, 0.8, 0.9)]
    assert sustained_ns == sorted(sustained_ns) and sustained_ns[2] == first
    by_gap = [ex.sample_size_for_selection([0.30, q], 0.10, 0.80).n for q in (0.45, 0.50, 0.55, 0.60)]
    assert by_gap == sorted(by_gap, reverse=True)
    first_crossing = ex.sample_size_for_selection([0.30, 0.50], 0.10, 0.80, sustained=False).n
    assert first_crossing <= first


def test_unreachable_target_is_a_clear_error():
    # True difference equal to the margin: dose 1 is right but PCS tends to about 1/2, never 0.9.
    with pytest.raises(ex.TargetNotReached, match="not reached for n <= n_max = 150") as err:
        ex.sample_size_for_selection([0.30, 0.40], 0.10, 0.90, n_max=150)
    assert isinstance(err.value, ValueError) and 0.4 < err.value.best_pcs < 0.9 and 1 <= err.value.best_n <= 150
    with pytest.raises(ValueError, match="highest PCS"):
        ex.sample_size_for_selection([0.30, 0.50], 0.10, 0.99, n_max=20)


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, match", [
    (lambda: ex.selection_probabilities([0.3, 1.2], 10, 0.1), ValueError, "p must lie in"),
    (lambda: ex.selection_probabilities([-0.1, 0.3], 10, 0.1), ValueError, "p must lie in"),
    (lambda: ex.selection_probabilities([0.3], 10, 0.1), ValueError, "2 or 3 doses"),
    (lambda: ex.selection_probabilities([0.1, 0.2, 0.3, 0.4], 10, 0.1), ValueError, "2 or 3 doses"),
    (lambda: ex.selection_probabilities([0.3, 0.4], [10, 10, 10], 0.1), ValueError, "n_per_arm must have one"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 0, 0.1), ValueError, "n_per_arm must be a whole number >= 1"),
    (lambda: ex.selection_probabilities([0.3, 0.4], [10, 0], 0.1), ValueError,
     r"n_per_arm\[1\] must be a whole number >= 1"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10.5, 0.1), TypeError, "n_per_arm"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, -0.1), ValueError, "margin must be a finite number >= 0"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, Fraction(-1, 10)), ValueError, "margin"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, float("nan")), ValueError, "margin"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, "0.1"), TypeError, "margin"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, 0.1, p_tox=[0.1, 0.2]), ValueError, "go together"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, 0.1, p_tox=[0.1, 0.2, 0.3], tox_margin=0.1),
     ValueError, "p_tox must have one value per dose"),
    (lambda: ex.selection_probabilities([0.3, 0.4], 10, 0.1, p_tox=[0.1, 0.2], tox_margin=-0.1),
     ValueError, "tox_margin"),
    (lambda: ex.simulate_selection([0.3, 0.4], 10, 0.1, n_trials=0), ValueError, "n_trials"),
    (lambda: ex.select_dose([3, 11], 10, 0.1), ValueError, "responses cannot exceed n_per_arm"),
    (lambda: ex.select_dose([3], 10, 0.1), ValueError, "2 or 3 doses"),
    (lambda: ex.select_dose([3, 4], 10, 0.1, toxicities=[1, 1]), ValueError, "go together"),
    (lambda: ex.correct_dose([0.3, 0.4], 0.1, correct=3), ValueError, "correct must be a dose number"),
    (lambda: ex.correct_dose([0.3, 0.4], 0.1, correct="best"), ValueError, "lowest_within_margin"),
    (lambda: ex.sample_size_for_selection([0.3, 0.5], 0.1, 1.0), ValueError, "target_pcs"),
    (lambda: ex.sample_size_for_selection([0.3, 0.5], 0.1, 0.8, n_max=0), ValueError, "n_max"),
    (lambda: ex.sample_size_for_selection([0.3, 0.5], 0.1, 0.8, allocation=(1, 0)), ValueError, "allocation"),
    (lambda: ex.selection_table([0.3, 0.5], [], 0.1), ValueError, "n_grid"),
    (lambda: ex.selection_table([0.3, 0.5], [10, 0], 0.1), ValueError, "n_grid"),
    (lambda: ex.selection_table([0.3, 0.5], [10], 0.1, lang="fr"), ValueError, "lang"),
    (lambda: ex.selection_table([0.3, 0.5], "10", 0.1), TypeError, "n_grid"),
    # size bounds: the exact enumeration grows as n^2, so arms above MAX_ARM_SIZE (500) are refused at once
    (lambda: ex.selection_probabilities([0.3, 0.4], 501, 0.1), ValueError, "n_per_arm must be .* <= 500"),
    (lambda: ex.selection_curve([0.3, 0.4], [10, 260], 0.1, allocation=(1, 2)), ValueError,
     "n_grid must keep every arm at most 500"),
    (lambda: ex.selection_curve([0.3, 0.4], range(1, 502), 0.1), ValueError, "n_grid may hold at most 500"),
    (lambda: ex.sample_size_for_selection([0.3, 0.5], 0.1, 0.8, n_max=300, allocation=(1, 2)), ValueError,
     "n_max must be .* <= 250"),
    (lambda: ex.simulate_selection([0.3, 0.4], 10_001, 0.1, n_trials=10), ValueError, "n_per_arm must be"),
    (lambda: ex.simulate_selection([0.3, 0.4], 10, 0.1, n_trials=10**8), ValueError, "n_trials must be"),
    (lambda: ex.simulate_selection([0.3, 0.4], 10, 0.1, n_trials=10, seed=-1), ValueError, "seed"),
    (lambda: ex.simulate_selection([0.3, 0.4], 10, 0.1, n_trials=10, seed="x"), TypeError, "seed"),
    (lambda: ex.select_dose("34", 10, 0.1), TypeError, "responses"),
    (lambda: ex.select_dose([3, 4], 10, True), TypeError, "margin"),
    (lambda: ex.select_dose([3, 4], 10, 0.1, toxicities=[1, 11], tox_margin=0.1), ValueError, "toxicities"),
    (lambda: ex.correct_dose([0.3, 0.4], 0.1, correct=2.0), TypeError, "correct"),
    (lambda: ex.correct_dose([0.3, 0.4], 0.1, correct=None), TypeError, "correct"),
    (lambda: ex.sample_size_for_selection([0.3, 0.5], 0.1, 0.8, sustained=1), TypeError, "sustained"),
    (lambda: ex.describe_rule(0.1, -0.2), ValueError, "tox_margin"),
    (lambda: ex.selection_probabilities(["a", 0.2], 10, 0.1), TypeError, "p must be"),
    # results a user can build are checked too
    (lambda: ex.SimulatedSelection([0.5, 0.6], [0.1, 0.1], 10), ValueError, "probabilities must sum to 1"),
    (lambda: ex.SimulatedSelection([0.5, 0.5], [0.1], 10), ValueError, "se must have 2 values"),
    (lambda: ex.SimulatedSelection([0.5, 0.5], [0.1, 0.1], 0), ValueError, "n_trials"),
    (lambda: ex.SelectionSampleSize(10, (10, 10), 0.8, 3, np.arange(1, 11), np.full(10, 0.8)), ValueError,
     "correct must be a dose number 1..2"),
    (lambda: ex.SelectionSampleSize(10, (10, 10), 1.2, 1, np.arange(1, 11), np.full(10, 0.8)), ValueError, "pcs"),
    (lambda: ex.SelectionSampleSize(10, 10, 0.8, 1, np.arange(1, 11), np.full(10, 0.8)), TypeError, "n_per_arm"),
    (lambda: ex.SelectionSampleSize(10, (10, 10), 0.8, 1, np.arange(1, 11), np.full(9, 0.8)), ValueError,
     "pcs_curve must have 10 values"),
])
def test_bad_input_is_refused_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- table, figure, text, labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_table_in_both_languages(lang):
    tab = ex.selection_table([0.30, 0.50, 0.55], [10, 40], 0.10, lang, allocation=(1, 1, 2))
    assert list(tab.iloc[:, 0]) == ["10/10/20", "40/40/80"]
    assert list(tab.iloc[:, 1]) == [40, 160]
    probs = tab.iloc[:, 2:5].to_numpy()
    assert probs.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert probs[1] == pytest.approx(ex.selection_probabilities([0.30, 0.50, 0.55], (40, 40, 80), 0.10))
    assert tab.iloc[:, -1].tolist() == pytest.approx(probs[:, 1].tolist())   # correct dose is 2
    assert not any("{" in c for c in tab.columns)
    if lang == "zh-tw":
        assert any("劑量" in c for c in tab.columns)


@pytest.mark.parametrize("lang", LANGS)
def test_rule_text_names_the_margins(lang):
    assert "0.1" in ex.describe_rule(0.1, lang=lang)
    text = ex.describe_rule(0.1, 0.05, lang=lang)
    assert "0.1" in text and "0.05" in text


# --- the sample-size curve, the simulation record, the layout ---------------------------------------------------

def test_selection_curve_rows_are_the_single_size_probabilities_exactly():
    grid = [1, 2, 7, 30, 31]
    kw = dict(p_tox=(0.1, 0.2, 0.35), tox_margin=0.1)
    curve = ex.selection_curve([0.2, 0.35, 0.4], grid, 0.05, allocation=(1, 2, 1), **kw)
    for row, n in zip(curve, grid):
        assert np.array_equal(row, ex.selection_probabilities([0.2, 0.35, 0.4], (n, 2 * n, n), 0.05, **kw))
    assert np.array_equal(ex.selection_curve([0.3, 0.5], range(3, 6), 0.1),
                          ex.selection_curve([0.3, 0.5], (x for x in (3, 4, 5)), 0.1))


def test_sample_size_curve_is_the_selection_curve():
    res = ex.sample_size_for_selection([0.30, 0.50], 0.10, 0.80, allocation=(1, 2), n_max=60)
    curve = ex.selection_curve([0.30, 0.50], range(1, 61), 0.10, allocation=(1, 2))[:, 1]
    assert np.array_equal(res.pcs_curve, curve) and res.n_grid.tolist() == list(range(1, 61))


def test_simulation_records_its_seed_and_uses_the_default_seed():
    a = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=2000)
    b = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=2000, seed=_validate.DEFAULT_SEED)
    assert a.seed == _validate.DEFAULT_SEED and np.array_equal(a.probabilities, b.probabilities)
    fresh = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=2000, seed=None)
    assert isinstance(fresh.seed, int)
    again = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=2000, seed=fresh.seed)
    assert np.array_equal(fresh.probabilities, again.probabilities)   # None draws a seed that reproduces
    gen = ex.simulate_selection([0.3, 0.5], 20, 0.1, n_trials=2000, seed=np.random.default_rng(3))
    assert gen.seed is None and gen.n_trials == 2000


def test_simulation_in_blocks_stays_within_three_standard_errors(monkeypatch):
    # Blocks of 700 trials (the real block is a million): the counts add up and agree with the exact values.
    monkeypatch.setattr(ex, "_SIM_CHUNK", 700)
    exact = ex.selection_probabilities([0.25, 0.35, 0.40], 30, 0.05)
    sim = ex.simulate_selection([0.25, 0.35, 0.40], 30, 0.05, n_trials=20_000, seed=11)
    se = np.sqrt(exact * (1 - exact) / 20_000)
    assert np.all(np.abs(sim.probabilities - exact) <= 3 * se) and sim.probabilities.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("module", [ex, cases])
def test_the_science_modules_never_import_matplotlib(module):
    tree = ast.parse(inspect.getsource(module))
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "matplotlib" for name in imported)


def test_correct_dose_is_not_the_escalation_correct_dose():
    # The expansion's correct dose is an efficacy target with a margin and a lower-dose preference; the escalation
    # chapters' correct doses (dosecourse.escalation.correct_doses) are the doses whose DLT rate is closest to a
    # target.  Read as response rates, (0.20, 0.25, 0.30) gives dose 1 with margin 0.10 and dose 2 with margin
    # 0.05 (the lowest dose within the margin of the best); read as DLT rates with target 0.30 it gives dose 3.
    from dosecourse.escalation import correct_doses

    assert ex.correct_dose([0.20, 0.25, 0.30], 0.10) == 1   # 0.30 - 0.20 = 0.10 exactly: within the margin
    assert ex.correct_dose([0.20, 0.25, 0.30], 0.05) == 2
    assert correct_doses([0.20, 0.25, 0.30], 0.30).tolist() == [3]


# --- properties ---------------------------------------------------------------------------------------------------

rates = st.integers(0, 100).map(lambda v: v / 100)


@settings(max_examples=60, deadline=None)
@given(p=st.lists(rates, min_size=2, max_size=3), n=st.integers(1, 40), margin=st.integers(0, 40),
       tox=st.booleans())
def test_probabilities_are_a_distribution(p, n, margin, tox):
    kw = dict(p_tox=[0.2] * len(p), tox_margin=0.1) if tox else {}
    probs = ex.selection_probabilities(p, n, margin / 100, **kw)
    assert probs.shape == (len(p),) and np.all((probs >= 0) & (probs <= 1))
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(p=st.lists(rates, min_size=2, max_size=3), n=st.integers(1, 30), m1=st.integers(0, 30), dm=st.integers(0, 30))
def test_a_larger_margin_never_lowers_the_chance_of_keeping_dose_1(p, n, m1, dm):
    low = ex.selection_probabilities(p, n, m1 / 100)[0]
    high = ex.selection_probabilities(p, n, (m1 + dm) / 100)[0]
    assert high >= low - 1e-12
