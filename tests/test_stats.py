"""Tests of dosecourse.stats: Clopper-Pearson intervals, their precision over simulated trials, expected counts.

Sources of the expected numbers:
* R 4.2.2 (Debian), ``stats::binom.test`` (the Clopper-Pearson interval): for each pair below,
  ``ci <- binom.test(x, n, conf.level = 0.90)$conf.int; sprintf("%.15g", ci)``.
* The definition (Clopper and Pearson 1934, doi:10.1093/biomet/26.4.404): the limits are the rates at which the
  binomial tails equal alpha / 2, checked with scipy.stats.binom (independent of the Beta quantiles used).
* SciPy's own exact interval, ``scipy.stats.binomtest(x, n).proportion_ci(confidence_level, method="exact")``.
* Exact expectations over Binomial(n, p) by enumeration of x = 0..n.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom, binomtest
from statsmodels.stats.proportion import proportion_confint

from dosecourse import stats

# binom.test(x, n, conf.level = 0.90)$conf.int in R 4.2.2: (x, n, lower, upper)
R_BINOM_TEST_90 = [
    (0, 3, 0, 0.631596850135961),
    (2, 10, 0.0367714378874651, 0.506901301063202),
    (4, 20, 0.0713538843086181, 0.401028117331975),
    (3, 7, 0.128756392804243, 0.774678415967552),
    (10, 10, 0.741134449106948, 1),
    (1, 1, 0.05, 1),
    (7, 40, 0.0851325045859816, 0.303705667003415),
]


def test_clopper_pearson_matches_r_binom_test():
    x, n, lo_r, hi_r = (np.array(col) for col in zip(*R_BINOM_TEST_90))
    lo, hi = stats.clopper_pearson(x, n, level=0.90)
    # R prints 15 significant digits; the largest difference observed is below 1e-15
    np.testing.assert_allclose(lo, lo_r, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(hi, hi_r, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("level", [0.80, 0.90, 0.95])
def test_clopper_pearson_by_its_definition_and_scipy(level):
    x = np.array([0, 1, 2, 5, 10, 3, 0, 7])
    n = np.array([10, 10, 10, 10, 10, 7, 1, 12])
    lo, hi = stats.clopper_pearson(x, n, level=level)
    half = (1 - level) / 2
    for xi, ni, low, h in zip(x, n, lo, hi):
        # P(X >= x | p = lower) = alpha/2 (lower = 0 when x = 0); P(X <= x | p = upper) = alpha/2 (1 when x = n)
        if xi > 0:
            assert binom.sf(xi - 1, ni, low) == pytest.approx(half, abs=1e-10)
        else:
            assert low == 0.0
        if xi < ni:
            assert binom.cdf(xi, ni, h) == pytest.approx(half, abs=1e-10)
        else:
            assert h == 1.0
        ci = binomtest(int(xi), int(ni)).proportion_ci(confidence_level=level, method="exact")
        assert (low, h) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_clopper_pearson_agrees_with_statsmodels_and_gives_0_1_without_patients():
    x = np.array([[0, 2, 0], [3, 5, 0]])
    n = np.array([[3, 10, 0], [3, 12, 0]])
    lo, hi = stats.clopper_pearson(x, n, level=0.9)
    assert lo.shape == hi.shape == (2, 3)
    ref_lo, ref_hi = proportion_confint(x[:, :2], n[:, :2], alpha=0.1, method="beta")
    np.testing.assert_allclose(lo[:, :2], ref_lo, rtol=1e-14)  # the same call; rounding differs by an ulp
    np.testing.assert_allclose(hi[:, :2], ref_hi, rtol=1e-14)
    assert lo[:, 2].tolist() == [0.0, 0.0] and hi[:, 2].tolist() == [1.0, 1.0]  # no patient: no information


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.floats(0.5, 0.99))
def test_clopper_pearson_properties(xn, level):
    x, n = xn
    lo, hi = stats.clopper_pearson([x], [n], level=level)
    assert 0.0 <= lo[0] <= hi[0] <= 1.0
    if n > 0:
        assert lo[0] <= x / n <= hi[0]
        # symmetry: the interval of n - x responders is the mirror image
        lo2, hi2 = stats.clopper_pearson([n - x], [n], level=level)
        assert lo[0] == pytest.approx(1 - hi2[0], abs=1e-12) and hi[0] == pytest.approx(1 - lo2[0], abs=1e-12)
        # a higher level gives a wider interval containing the first
        lo3, hi3 = stats.clopper_pearson([x], [n], level=min(level + 0.005, 0.999))
        assert lo3[0] <= lo[0] + 1e-12 and hi[0] <= hi3[0] + 1e-12


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(x=[1], n=[3], level=1.5), ValueError, "level"),
    (dict(x=[1], n=[3], level="0.9"), TypeError, "level"),
    (dict(x=[4], n=[3]), ValueError, "x cannot exceed n"),
    (dict(x=[-1], n=[3]), ValueError, "x must not be negative"),
    (dict(x=[1.5], n=[3]), TypeError, "x must hold whole numbers"),
    (dict(x=None, n=[3]), TypeError, "x must be whole numbers"),
    (dict(x=[1, 2], n=[3]), ValueError, "same shape"),
    (dict(x=[1], n=[20_000]), ValueError, "n may not exceed"),
])
def test_clopper_pearson_bad_input_names_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        stats.clopper_pearson(**kwargs)


def test_interval_summary_by_hand():
    # dose 1: trials with 1/3 and 3/6 -> estimate (1/3 + 1/2) / 2; dose 2 never treated -> NaN
    s = stats.interval_summary([[1, 0], [3, 0]], [[3, 0], [6, 0]], true_rate=[0.4, 0.2], level=0.9)
    lo, hi = stats.clopper_pearson([1, 3], [3, 6], level=0.9)
    assert s.treated.tolist() == [1.0, 0.0]
    assert s.estimate[0] == pytest.approx((1 / 3 + 1 / 2) / 2) and np.isnan(s.estimate[1])
    assert s.width[0] == pytest.approx(np.mean(hi - lo)) and np.isnan(s.width[1])
    assert s.coverage[0] == 1.0 and np.isnan(s.coverage[1])
    assert stats.interval_summary([1, 2], [3, 4]).coverage is None  # 1-D input is one trial


def test_interval_summary_agrees_with_the_exact_expectation():
    # Fixed n = 12 per trial and x ~ Binomial(12, 0.3): the mean width, estimate and coverage over 20,000 trials
    # (seed fixed in advance) agree with their exact expectations sum_x pmf(x) f(x) within 4 Monte Carlo SE.
    rng = np.random.default_rng(20250101)
    n, p, m = 12, 0.3, 20_000
    x = rng.binomial(n, p, size=(m, 1))
    s = stats.interval_summary(x, np.full((m, 1), n), true_rate=[p], level=0.9)
    xs = np.arange(n + 1)
    lo, hi = stats.clopper_pearson(xs, np.full_like(xs, n), level=0.9)
    pmf = binom.pmf(xs, n, p)
    lo_t, hi_t = stats.clopper_pearson(x[:, 0], np.full(m, n), level=0.9)
    for got, per_x, per_trial in ((s.width[0], hi - lo, hi_t - lo_t), (s.estimate[0], xs / n, x[:, 0] / n),
                                  (s.coverage[0], ((lo <= p) & (p <= hi)).astype(float),
                                   ((lo_t <= p) & (p <= hi_t)).astype(float))):
        se = per_trial.std(ddof=1) / np.sqrt(m)
        assert abs(got - pmf @ per_x) < 4 * se
    assert pmf @ ((lo <= p) & (p <= hi)) >= 0.9  # Clopper-Pearson is conservative


def test_interval_summary_checks_its_arguments():
    with pytest.raises(ValueError, match="true_rate must have one value per dose"):
        stats.interval_summary([[1, 0]], [[3, 3]], true_rate=[0.2])
    with pytest.raises(ValueError, match="shape"):
        stats.interval_summary(np.zeros((2, 2, 2), int), np.ones((2, 2, 2), int))
    with pytest.raises(ValueError, match="level"):
        stats.IntervalSummary(2.0, [1.0], [0.5], [0.3])
    with pytest.raises(ValueError, match="width"):
        stats.IntervalSummary(0.9, [1.0, 1.0], [0.5], [0.3, 0.2])


def test_expected_counts_round_halves_up():
    # 15 x (0.3, 0.1, 0.05) = (4.5, 1.5, 0.75) -> (5, 2, 1); 10 x (0.16, 0.44, 0.58) -> (2, 4, 6)
    assert stats.expected_counts([0.3, 0.1, 0.05], 15).tolist() == [5, 2, 1]
    assert stats.expected_counts([0.16, 0.44, 0.58], 10).tolist() == [2, 4, 6]
    assert stats.expected_counts([0.0, 1.0], 7).tolist() == [0, 7]


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(p=None, n_per_dose=15), TypeError, "p must be"),
    (dict(p=[0.2, 1.2], n_per_dose=15), ValueError, "p must lie in"),
    (dict(p="0.2", n_per_dose=15), TypeError, "p must be"),
    (dict(p=[0.2], n_per_dose=0), ValueError, "n_per_dose"),
    (dict(p=[0.2], n_per_dose=1.5), TypeError, "n_per_dose"),
    (dict(p=[0.2], n_per_dose=True), TypeError, "n_per_dose"),
    (dict(p=[0.2], n_per_dose=10**9), ValueError, "n_per_dose"),
])
def test_expected_counts_bad_input_names_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        stats.expected_counts(**kwargs)
