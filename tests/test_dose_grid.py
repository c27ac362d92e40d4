"""Tests of dosecourse.dose_grid: step schemes, levels to a target, overshoot, step risk and the Monte Carlo.

Sources of the expected numbers:
* Modified Fibonacci increments +100%, +67%, +50%, +40%, then 30-35% (33% here), as reported by Le Tourneau,
  Lee & Siu, J Natl Cancer Inst 2009;101:708; Penel & Kramar, BMC Med Res Methodol 2012;12:103 give the common
  form 2.00, 1.67, 1.50, then 1.33.
* Everything else is computed by hand in the comments (powers of 2 and 1.33, odds x r**n, binomial means).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from dosecourse import dose_grid as g
from dosecourse.i18n import LANGS, catalogue, t


def test_doctests_pass():
    failures, _ = doctest.testmod(g, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert failures == 0


def test_step_ratios_follow_the_reported_schemes():
    # Le Tourneau 2009: +100%, +67%, +50%, +40%, then about +33%.
    assert g.step_ratios("modified_fibonacci", 7).tolist() == [2.0, 1.67, 1.5, 1.4, 1.33, 1.33, 1.33]
    assert g.step_ratios("modified_fibonacci", 2).tolist() == [2.0, 1.67]
    assert g.step_ratios("doubling", 3).tolist() == [2.0, 2.0, 2.0]
    assert g.step_ratios("constant_33", 2).tolist() == [1.33, 1.33]


def test_dose_levels_are_cumulative_products():
    # 10 x 2 x 1.67 x 1.5 x 1.4 x 1.33 = 93.2862
    assert g.dose_levels(10.0, "modified_fibonacci", 6)[-1] == pytest.approx(10 * 2 * 1.67 * 1.5 * 1.4 * 1.33)
    assert g.dose_levels(5.0, "doubling", 1).tolist() == [5.0]
    levels = g.dose_levels(1.0, "constant_33", 10)
    assert np.allclose(levels, 1.33 ** np.arange(10))


@pytest.mark.parametrize("scheme", list(g.SCHEMES))
def test_steps_to_reach_is_the_smallest_k_reaching_the_fold(scheme):
    folds = np.geomspace(1.01, 500.0, 400)
    steps = g.steps_to_reach(folds, scheme)
    for f, k in zip(folds, steps):
        reached = g.dose_levels(1.0, scheme, k + 1)[-1]
        before = g.dose_levels(1.0, scheme, k)[-1] if k >= 1 else 0.0
        assert reached >= f * (1 - 1e-9) and before < f


def test_steps_by_hand_and_exact_powers():
    # 2**3 = 8 < 10 <= 16: 4 steps; 1.33**8 = 9.78 < 10 <= 1.33**9 = 13.0: 9 steps;
    # modified Fibonacci 2, 3.34, 5.01, 7.014, 9.329 < 10 <= 12.41: 6 steps.
    assert (g.steps_to_reach(10.0, "doubling"), g.steps_to_reach(10.0, "constant_33"),
            g.steps_to_reach(10.0, "modified_fibonacci")) == (4, 9, 6)
    # A level exactly on the target reaches it: 8 = 2**3, and 2 x 1.67 = 3.34 for the Fibonacci ladder.
    assert g.steps_to_reach(8.0, "doubling") == 3
    assert g.steps_to_reach(2 * 1.67, "modified_fibonacci") == 2
    assert g.steps_to_reach(1.0, "doubling") == 0 and g.steps_to_reach(0.3, "constant_33") == 0
    assert g.levels_to_reach(10.0, "doubling") == 5
    assert g.steps_to_reach([[2.0, 4.0], [4.5, 1.0]], "doubling").tolist() == [[1, 2], [3, 0]]


def test_larger_steps_never_need_more_levels():
    folds = np.geomspace(1.0, 1000.0, 300)
    d, f, c = (g.steps_to_reach(folds, s) for s in ("doubling", "modified_fibonacci", "constant_33"))
    assert np.all(d <= f) and np.all(f <= c)


def test_crossing_ratio_and_overshoot():
    # fold 3: 1 -> 2 -> 3.34, the second Fibonacci step (+67%) crosses; overshoot 3.34/3.
    assert g.crossing_step_ratio(3.0, "modified_fibonacci") == 1.67
    assert g.overshoot(3.0, "modified_fibonacci") == pytest.approx(3.34 / 3)
    # fold 9: doubling lands on 16, 16/9 = 1.778; fold 8 lands exactly: overshoot 1.
    assert g.overshoot(9.0, "doubling") == pytest.approx(16 / 9)
    assert g.overshoot(8.0, "doubling") == pytest.approx(1.0)
    # The overshoot never exceeds the crossing ratio.
    folds = np.geomspace(1.01, 200, 200)
    for s in g.SCHEMES:
        assert np.all(g.overshoot(folds, s) <= g.crossing_step_ratio(folds, s) + 1e-12)
    assert g.crossing_step_ratio(0.5, "doubling") == 1.0 and g.overshoot(0.5, "doubling") == pytest.approx(2.0)


def test_probability_after_step_multiplies_odds_by_r_to_the_n():
    # odds 0.1/0.9 x 2**4 = 16/9 -> p = 16/25 = 0.64; Hill 1: odds x 2 = 2/9 -> 2/11.
    assert g.probability_after_step(0.10, 2.0, 4.0) == pytest.approx(0.64)
    assert g.probability_after_step(0.10, 2.0, 1.0) == pytest.approx(2 / 11)
    # A step of ratio 1 changes nothing; two steps r1, r2 equal one step r1 x r2.
    assert g.probability_after_step(0.3, 1.0, 3.0) == pytest.approx(0.3)
    two = g.probability_after_step(g.probability_after_step(0.1, 1.5, 2.5), 1.4, 2.5)
    assert two == pytest.approx(g.probability_after_step(0.1, 1.5 * 1.4, 2.5))
    out = g.probability_after_step(0.1, np.array([1.33, 2.0]), np.array([[1.0], [4.0]]))
    assert out.shape == (2, 2)


def test_simulation_known_active_dose_is_deterministic():
    # gsd 1: A = 10 x start exactly; doubling -> 4 levels below, 12 patients in every trial.
    sim = g.simulate_patients_below_active(10.0, "doubling", gsd=1.0, n_trials=50, seed=3)
    assert set(sim.levels_below.tolist()) == {4} and set(sim.patients_below.tolist()) == {12}
    assert sim.mean_patients == 12.0 and sim.prob_at_least(12) == 1.0 and sim.prob_at_least(13) == 0.0


def test_simulation_is_seeded_and_matches_the_analytic_mean():
    kw = {"gsd": 2.0, "n_trials": 40_000, "seed": 11}
    a = g.simulate_patients_below_active(8.0, "doubling", **kw)
    b = g.simulate_patients_below_active(8.0, "doubling", **kw)
    assert np.array_equal(a.patients_below, b.patients_below)
    # log2(A) ~ Normal(3, 1) when A/start ~ lognormal(median 8, gsd 2); levels below = ceil(log2 A) for A > 1, else 0.
    # E[L] = sum_k k P(k-1 < log2 A <= k) is computed from the normal CDF.
    from scipy.stats import norm
    k = np.arange(1, 40)
    e_levels = np.sum(k * (norm.cdf(k - 3.0) - norm.cdf(k - 1 - 3.0)))
    assert a.mean_levels == pytest.approx(e_levels, abs=0.03)
    assert a.mean_patients == pytest.approx(3 * e_levels, abs=0.09)


def test_simulation_expansion_follows_the_3_plus_3_rule():
    # DLT rate 0.2 below A: q = 3 x 0.2 x 0.8**2 = 0.384 expansions per level; A known: 4 levels (doubling, fold 10).
    sim = g.simulate_patients_below_active(10.0, "doubling", gsd=1.0, dlt_rate_below=0.2, n_trials=40_000, seed=5)
    assert sim.mean_patients == pytest.approx(3 * 4 * (1 + 0.384), rel=0.01)
    assert np.all(sim.patients_below % 3 == 0) and sim.patients_below.max() <= 24


def test_simulation_argument_errors():
    with pytest.raises(ValueError, match="scheme must be one of"):
        g.simulate_patients_below_active(10.0, "tripling")
    with pytest.raises(ValueError, match="gsd"):
        g.simulate_patients_below_active(10.0, "doubling", gsd=0.5)
    with pytest.raises(ValueError, match="dlt_rate_below"):
        g.simulate_patients_below_active(10.0, "doubling", dlt_rate_below=1.0)
    with pytest.raises(ValueError, match="fold_median"):
        g.simulate_patients_below_active(0.0, "doubling")
    with pytest.raises(ValueError, match="fold"):
        g.steps_to_reach(-1.0, "doubling")
    with pytest.raises(ValueError, match="n_steps"):
        g.step_ratios("doubling", 0)
    with pytest.raises(ValueError, match="p must lie"):
        g.probability_after_step(1.0, 2.0, 1.0)


@pytest.mark.parametrize("lang", LANGS)
def test_compare_schemes_table(lang):
    tab = g.compare_schemes(10.0, hill=4.0, gsd=1.0, n_trials=200, lang=lang)
    assert tab[t("dg_col_steps", lang)].tolist() == [4, 6, 9]
    assert tab[t("dg_col_patients_known", lang)].tolist() == [12, 18, 27]
    risk = tab[t("dg_col_step_risk", lang, p="10%", n="4")].tolist()
    assert risk[0] == pytest.approx(0.64)   # doubling crosses with x2
    assert tab.iloc[:, 0].tolist() == [g.scheme_label(s, lang) for s in g.SCHEMES]


def test_summary_in_both_languages():
    sim = g.simulate_patients_below_active(10.0, "constant_33", gsd=1.0, n_trials=20, seed=2)
    assert "27.0" in sim.summary("en") and "27.0" in sim.summary("zh-tw")
    assert "模擬 20 次試驗" in sim.summary("zh-tw")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("dg_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
