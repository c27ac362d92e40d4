"""MTD selection: BOIN's select.mtd (scipy-based ``select_mtd``) and its vectorised twin ``select_mtd_many``."""

import numpy as np
import pytest
from scipy.stats import beta

from dosecourse import escalation as esc
from dosecourse.escalation import NO_DOSE


# ---------------------------------------------------------------------------------------------- select_mtd
def test_boin_documented_example():
    # BOIN 2.7.2 select.mtd help page (and the Keyboard package's select.mtd.kb help page):
    # n = (3, 3, 15, 9, 0), y = (0, 0, 4, 4, 0), target 0.3 -> dose 3 (method notes, "MTD selection")
    assert esc.select_mtd(0.3, [3, 3, 15, 9, 0], [0, 0, 4, 4, 0]) == 3


def test_isotonic_pooling_by_hand():
    # Hand calculation: dose 2 (3/6) and dose 3 (1/6) violate monotonicity and are pooled into their weighted
    # mean (Beta(0.05, 0.05) estimates 3.05/6.1 and 1.05/6.1, weights 1/var).  No dose is eliminated
    # (Pr(p > 0.3 | 3/6) = P(Bin(7, 0.3) <= 3) = 0.874).  Weights are proportional to 1/(3.05 * 3.05) = 0.10750
    # and 1/(1.05 * 5.05) = 0.18859, so the pooled value is (0.10750 * 0.5 + 0.18859 * 0.17213) / 0.29609 =
    # 0.2912, closer to 0.3 than
    # dose 1's 0.05/3.1; doses 2 and 3 tie below the target, so the higher one, dose 3, is selected.
    n, y = np.array([3, 6, 6]), np.array([0, 3, 1])
    phat = (y + 0.05) / (n + 0.1)
    w = 1 / ((y + 0.05) * (n - y + 0.05) / ((n + 0.1) ** 2 * (n + 1.1)))
    pooled = (w[1] * phat[1] + w[2] * phat[2]) / (w[1] + w[2])
    assert pooled == pytest.approx(0.2912, abs=1e-4)
    assert esc.select_mtd(0.3, n, y) == 3


def test_ties_below_target_pick_the_higher_dose():
    # BOIN select.mtd details: "If there are ties, we select from the ties the highest dose level when the
    # estimate of the DLT rate is smaller than the target". Equal data at doses 1 and 2 give equal estimates.
    assert esc.select_mtd(0.3, [3, 3, 0], [0, 0, 0]) == 2


def test_ties_above_target_pick_the_lower_dose():
    # ... "or the lowest dose level when the estimate of the DLT rate is greater than the target".
    # 2/3 at both doses, target 0.5: estimates 2.05/3.1 = 0.66 > 0.5; Pr(p > 0.5 | 2/3) = 11/16 (no elimination)
    assert esc.select_mtd(0.5, [3, 3], [2, 2]) == 1


def test_eliminated_and_untried_doses_are_not_selected():
    # Pr(p > 0.3 | 3/3) = 1 - 0.3**4 = 0.9919 > 0.95: dose 2 and above are eliminated, dose 1 remains
    assert esc.select_mtd(0.3, [3, 3, 3], [1, 3, 0]) == 1
    # untried doses are dropped: only dose 2 has data (2/6, Pr(p > 0.3 | 2/6) = 0.647, not eliminated)
    assert esc.select_mtd(0.3, [0, 6, 0], [0, 2, 0]) == 2


def test_no_dose_selected():
    assert esc.select_mtd(0.3, [0, 0, 0], [0, 0, 0]) == NO_DOSE              # nothing tried
    assert esc.select_mtd(0.3, [3, 3, 0], [3, 0, 0]) == NO_DOSE              # dose 1 eliminated: all are
    assert esc.select_mtd(0.3, [2, 0, 0], [2, 0, 0]) == 1                    # fewer than 3: no elimination
    assert type(esc.select_mtd(0.3, [0, 0, 0], [0, 0, 0])) is int           # NO_DOSE (0), a plain int


def test_extrasafe():
    # 2/3 at dose 1: Pr(p > 0.3 | 2/3) = P(Bin(4, 0.3) <= 2) = 0.9163 -- above 0.95 - 0.05 but below 0.95
    pr = beta.sf(0.3, 3, 2)
    assert 0.90 < pr < 0.95
    # Without the rule, 2/3 and 0/3 are pooled (estimate about 0.06 at both) and the higher dose wins the tie
    assert esc.select_mtd(0.3, [3, 3], [2, 0]) == 2
    assert esc.select_mtd(0.3, [3, 3], [2, 0], extrasafe=True) == NO_DOSE


def test_pseudo_count_changes_the_estimates():
    # mTPI software uses Beta(0.005, 0.005): 0/3 -> 0.005/3.01 instead of 0.05/3.1; both select the same here
    assert esc.select_mtd(0.3, [3, 3, 15, 9, 0], [0, 0, 4, 4, 0], pseudo_count=0.005) == 3


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(target=1.2, n=[3], y=[0]), ValueError, "target"),
    (dict(target=0.3, n=[3, -3], y=[0, 0]), ValueError, "n"),
    (dict(target=0.3, n=[3, 3], y=[4, 0]), ValueError, "y"),
    (dict(target=0.3, n=[3, 3], y=[0]), ValueError, "y"),
    (dict(target=0.3, n=[3.5, 3], y=[0, 0]), TypeError, "n"),
    (dict(target=0.3, n=[3], y=[0], cutoff_eli=1.5), ValueError, "cutoff_eli"),
    (dict(target=0.3, n=[3], y=[0], pseudo_count=0), ValueError, "pseudo_count"),
])
def test_select_mtd_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        esc.select_mtd(**kwargs)


# ---------------------------------------------------------------------------------------------- select_mtd_many
def _reference(target, n, y, **kw):
    return np.array([esc.select_mtd(target, a, b, **kw) for a, b in zip(n, y)])


@pytest.mark.parametrize("n_doses", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("kw", [{}, {"extrasafe": True}, {"pseudo_count": 0.005}, {"cutoff_eli": 0.8}])
def test_many_equals_scipy_based_select_mtd(n_doses, kw):
    # The max-min formula must reproduce select_mtd (scipy's PAVA) row by row, on thousands of random trials
    # with many ties (small n), zero rows, eliminated doses and doses with y = 0 or y = n.
    rng = np.random.default_rng(20250 + n_doses)
    trials = 2000
    n = rng.choice([0, 0, 1, 2, 3, 3, 6, 6, 9, 12, 15, 30], size=(trials, n_doses))
    y = rng.binomial(n, rng.uniform(0, 0.9, size=(trials, n_doses)))
    target = 0.25 if kw.get("pseudo_count") else 0.3
    np.testing.assert_array_equal(esc.select_mtd_many(target, n, y, **kw), _reference(target, n, y, **kw))


def test_many_edge_cases():
    n = np.array([[0, 0, 0], [3, 0, 0], [3, 3, 3], [3, 3, 3], [6, 6, 6], [1, 0, 0], [30, 30, 30]])
    y = np.array([[0, 0, 0], [3, 0, 0], [0, 0, 0], [3, 3, 3], [2, 2, 2], [1, 0, 0], [0, 30, 30]])
    np.testing.assert_array_equal(esc.select_mtd_many(0.3, n, y), _reference(0.3, n, y))
    np.testing.assert_array_equal(esc.select_mtd_many(0.3, n, y), [0, 0, 3, 0, 1, 1, 1])


def test_many_returns_ints_with_zero_for_none():
    out = esc.select_mtd_many(0.3, [[3, 3, 15, 9, 0], [3, 0, 0, 0, 0]], [[0, 0, 4, 4, 0], [3, 0, 0, 0, 0]])
    assert out.tolist() == [3, 0] and np.issubdtype(out.dtype, np.integer)


@pytest.mark.parametrize("n, y, exc, word", [
    ([3, 3], [0, 0], ValueError, "2-D"),
    ([[3, 3]], [[0, 0, 0]], ValueError, "shape"),
    ([[3, -1]], [[0, 0]], ValueError, "negative"),
    ([[3, 3]], [[4, 0]], ValueError, "exceed"),
    ([[3.5, 3]], [[0, 0]], TypeError, "whole"),
])
def test_many_bad_input(n, y, exc, word):
    with pytest.raises(exc, match=word):
        esc.select_mtd_many(0.3, n, y)
