"""Tests of dosecourse.dose_grid: step schemes, levels to a target, overshoot, step risk and the Monte Carlo.

Sources of the expected numbers:
* Modified Fibonacci increments +100%, +67%, +50%, +40%, then 30-35% (33% here), as reported by Le Tourneau,
  Lee & Siu, J Natl Cancer Inst 2009;101:708; Penel & Kramar, BMC Med Res Methodol 2012;12:103 give the common
  form 2.00, 1.67, 1.50, then 1.33.
* Everything else is computed by hand in the comments (powers of 2 and 1.33, odds x r**n, binomial means).
* The exact mean of the patients below the active dose is checked against an independent numerical integral
  (scipy.integrate.quad over the log-normal density of the active dose) and against the seeded simulation
  (within 4 Monte Carlo SE).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import norm

from dosecourse import _validate, pk
from dosecourse import dose_grid as g
from dosecourse.i18n import LANGS, t


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


@pytest.mark.parametrize("call, error, match", [
    (lambda: g.simulate_patients_below_active(10.0, "tripling"), ValueError, "scheme must be one of"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", gsd=0.5), ValueError, "gsd must be"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", dlt_rate_below=1.0), ValueError, "dlt_rate_below"),
    (lambda: g.simulate_patients_below_active(0.0, "doubling"), ValueError, "fold_median"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", cohort_size=0), ValueError, "cohort_size"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", n_trials=10 ** 8), ValueError,
     "n_trials must be a whole number >= 1 and <= 10,000,000"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", n_trials=2.5), TypeError, "n_trials"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", seed=-1), ValueError, "seed"),
    (lambda: g.simulate_patients_below_active(10.0, "doubling", seed="x"), TypeError, "seed"),
    (lambda: g.steps_to_reach(-1.0, "doubling"), ValueError, "fold must be > 0"),
    (lambda: g.steps_to_reach(np.ones(_validate.MAX_GRID + 1), "doubling"), ValueError, "at most 1,000,000"),
    (lambda: g.steps_to_reach("ten", "doubling"), TypeError, "fold"),
    (lambda: g.step_ratios("doubling", 0), ValueError, "n_steps"),
    (lambda: g.step_ratios("doubling", 51), ValueError, "n_steps must be a whole number >= 1 and <= 50"),
    (lambda: g.dose_levels(0.0, "doubling", 3), ValueError, "start"),
    (lambda: g.dose_levels(1.0, "doubling", 1000), ValueError, "n_levels must be a whole number >= 1 and <= 50"),
    (lambda: g.dose_levels(1.0, ["doubling"], 3), ValueError, "scheme must be one of"),
    (lambda: g.probability_after_step(1.0, 2.0, 1.0), ValueError, "p must lie in"),
    (lambda: g.probability_after_step([0.1, 0.0], 2.0, 1.0), ValueError, "p must lie in"),
    (lambda: g.probability_after_step(0.1, 0.0, 1.0), ValueError, "ratio must be > 0"),
    (lambda: g.probability_after_step(0.1, 2.0, -1.0), ValueError, "hill must be > 0"),
    (lambda: g.probability_after_step([0.1, 0.2], [1.5, 2.0, 3.0], 1.0), ValueError, "broadcast"),
    (lambda: g.probability_after_step(np.full(2000, 0.1), np.full((1000, 1), 2.0), 1.0), ValueError,
     "at most 1,000,000"),
    (lambda: g.max_step_ratio(0.1, 1.0, 4.0), ValueError, "p_limit"),
    (lambda: g.max_step_ratio(0.0, 0.25, 4.0), ValueError, "p_current"),
    (lambda: g.max_step_ratio(0.1, 0.25, 0.0), ValueError, "hill"),
    (lambda: g.crossing_step_risk(10.0, "doubling", 0.0), ValueError, "hill"),
    (lambda: g.crossing_step_risk(10.0, "doubling", 1.0, p_current=1.5), ValueError, "p_current"),
    (lambda: g.expansion_probability(1.5), ValueError, "dlt_rate"),
    (lambda: g.expansion_probability(0.1, 0), ValueError, "cohort_size"),
    (lambda: g.expected_levels_below_active(10.0, "doubling", gsd=0.9), ValueError, "gsd"),
    (lambda: g.expected_patients_below_active(10.0, "doubling", dlt_rate_below=-0.1), ValueError,
     "dlt_rate_below"),
    (lambda: g.exposure_ladder(10.0, "doubling", 2.0, 0.0), ValueError, "auc_target"),
    (lambda: g.exposure_ladder(10.0, "doubling", 2.0, 30.0, f=1.5), ValueError, "f must be"),
    (lambda: g.exposure_ladder(10.0, "constant_33", 2.0, 1e9), ValueError, "at most 50 are accepted"),
    (lambda: g.exposure_ladder(10.0, "doubling", 2.0, 30.0, extra_levels=-1), ValueError, "extra_levels"),
    (lambda: g.compare_schemes(10.0, hill=0.0), ValueError, "hill"),
    (lambda: g.compare_schemes(10.0, lang="fr"), ValueError, "lang must be one of"),
    (lambda: g.scheme_label("tripling"), ValueError, "scheme must be one of"),
])
def test_bad_arguments_are_refused_with_a_message_naming_them(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_results_validate_what_a_user_builds():
    sim = g.simulate_patients_below_active(10.0, "doubling", gsd=1.0, n_trials=5, seed=1)
    kw = {f: getattr(sim, f) for f in ("scheme", "fold_median", "gsd", "cohort_size", "dlt_rate_below", "n_trials",
                                       "seed", "active_fold", "levels_below", "patients_below", "crossing_ratio")}
    assert g.BelowActiveSimulation(**kw).mean_patients == 12.0
    with pytest.raises(ValueError, match="one value per trial"):
        g.BelowActiveSimulation(**{**kw, "levels_below": kw["levels_below"][:3]})
    with pytest.raises(ValueError, match="patients_below must lie between"):
        g.BelowActiveSimulation(**{**kw, "patients_below": kw["patients_below"] + 30})
    with pytest.raises(ValueError, match="scheme must be one of"):
        g.BelowActiveSimulation(**{**kw, "scheme": "tripling"})
    # The arrays are read-only copies: a cached result cannot be changed by a caller.
    with pytest.raises(ValueError, match="read-only"):
        sim.patients_below[0] = 0
    lad = g.exposure_ladder(10.0, "doubling", 2.0, 30.0, f=0.5)
    with pytest.raises(ValueError, match="first_active must be the index"):
        g.ExposureLadder(scheme="doubling", doses=lad.doses, auc=lad.auc, auc_target=30.0, first_active=3)
    with pytest.raises(ValueError, match="strictly increasing"):
        g.ExposureLadder(scheme="doubling", doses=lad.doses[::-1], auc=lad.auc, auc_target=30.0, first_active=4)


@pytest.mark.parametrize("lang", LANGS)
def test_compare_schemes_table(lang):
    tab = g.compare_schemes(10.0, hill=4.0, gsd=1.0, n_trials=200, lang=lang)
    assert tab[t("dg_col_crossing", lang)].tolist() == [2.0, 1.33, 1.33]
    assert tab[t("dg_col_steps", lang)].tolist() == [4, 6, 9]
    assert tab[t("dg_col_patients_known", lang)].tolist() == [12, 18, 27]
    risk = tab[t("dg_col_step_risk", lang, p="10%", n="4")].tolist()
    assert risk[0] == pytest.approx(0.64)   # doubling crosses with x2
    assert tab.iloc[:, 0].tolist() == [g.scheme_label(s, lang) for s in g.SCHEMES]


def test_summary_in_both_languages():
    sim = g.simulate_patients_below_active(10.0, "constant_33", gsd=1.0, n_trials=20, seed=2)
    assert "27.0" in sim.summary("en") and "27.0" in sim.summary("zh-tw")
    assert "模擬 20 次試驗" in sim.summary("zh-tw")


def test_seed_conventions():
    # The default seed is the package's; a Generator is used as it is (its seed unknown, recorded as None); None
    # draws a fresh seed and records it, so the run can be repeated.
    a = g.simulate_patients_below_active(8.0, "doubling", n_trials=100)
    assert a.seed == _validate.DEFAULT_SEED and a.n_trials == 100
    b = g.simulate_patients_below_active(8.0, "doubling", n_trials=100,
                                         seed=np.random.default_rng(_validate.DEFAULT_SEED))
    assert b.seed is None and np.array_equal(a.patients_below, b.patients_below)
    c = g.simulate_patients_below_active(8.0, "doubling", n_trials=100, seed=None)
    again = g.simulate_patients_below_active(8.0, "doubling", n_trials=100, seed=c.seed)
    assert np.array_equal(c.patients_below, again.patients_below)


def test_exact_mean_levels_equals_a_numerical_integral():
    # E[L] = integral of steps_to_reach(a) over the log-normal density of A; steps_to_reach is a step function with
    # jumps at the ladder's doses, so quad integrates piece by piece between them.
    for scheme, fold, gsd in (("doubling", 9.4, 2.4), ("modified_fibonacci", 3.0, 1.7), ("constant_33", 20.0, 3.0)):
        sigma = math.log(gsd)
        edges = np.log(g.dose_levels(1.0, scheme, 50))   # ln D_0 = 0, ln D_1, ..., ln D_49 (the tail is < 1e-20)
        integral = 0.0
        for k in range(1, edges.size):       # L = k on (ln D_(k-1), ln D_k]; L = 0 below ln D_0
            lo, hi = edges[k - 1], edges[k]
            density = norm(math.log(fold), sigma).pdf
            integral += k * quad(density, lo, hi, epsabs=1e-13)[0]
        assert g.expected_levels_below_active(fold, scheme, gsd=gsd) == pytest.approx(integral, abs=1e-9)


def test_exact_mean_patients_matches_the_simulation_within_4_se():
    for scheme in g.SCHEMES:
        for dlt in (0.0, 0.2):
            sim = g.simulate_patients_below_active(9.4, scheme, gsd=2.4, dlt_rate_below=dlt, n_trials=20_000, seed=7)
            exact = g.expected_patients_below_active(9.4, scheme, gsd=2.4, dlt_rate_below=dlt)
            assert abs(sim.mean_patients - exact) < 4 * sim.se_patients, (scheme, dlt, sim.mean_patients, exact)
    # gsd 1: the active dose is the fold itself; 10-fold with doubling: 4 levels, 12 patients, x (1 + q).
    assert g.expected_patients_below_active(10.0, "doubling", gsd=1.0) == 12.0
    assert g.expected_levels_below_active(0.5, "doubling", gsd=1.0) == 0.0


def test_expansion_probability_by_hand():
    # Exactly one DLT among 3 patients: 3 p (1-p)^2; 0.1 -> 0.243, 0.2 -> 0.384; none possible at p = 0 or 1.
    assert g.expansion_probability(0.1) == pytest.approx(0.243, abs=1e-12)
    assert g.expansion_probability(0.2) == pytest.approx(0.384, abs=1e-12)
    assert g.expansion_probability(0.0) == 0.0 and g.expansion_probability(1.0) == 0.0
    assert g.expansion_probability(0.5, cohort_size=1) == 0.5


def test_max_step_ratio_inverts_probability_after_step():
    # From 10% with a 25% limit the odds may triple: r = 3^(1/n).
    assert g.max_step_ratio(0.10, 0.25, 4.0) == pytest.approx(3 ** 0.25, rel=1e-12)
    assert g.max_step_ratio(0.10, 0.25, 1.0) == pytest.approx(3.0, rel=1e-12)
    assert g.probability_after_step(0.10, g.max_step_ratio(0.10, 0.25, 2.5), 2.5) == pytest.approx(0.25, rel=1e-12)
    assert g.max_step_ratio(0.30, 0.20, 2.0) < 1.0     # already above the limit: step down


def test_crossing_step_risk_and_exposure_ladder():
    # fold 9.4: doubling crosses with x2 (64% from 10% at n = 4), the other two with x1.33 (25.8%).
    assert g.crossing_step_risk(9.4, "doubling", 4.0) == pytest.approx(0.64, abs=1e-12)
    assert g.crossing_step_risk(9.4, "constant_33", 4.0) == pytest.approx(1.33 ** 4 / (9 + 1.33 ** 4), abs=1e-12)
    assert g.crossing_step_risk([0.5, 3.0], "modified_fibonacci", 1.0, p_current=0.2).tolist() == pytest.approx(
        [0.2, g.probability_after_step(0.2, 1.67, 1.0)])
    # Ladder from the MRSD of the exposure chapter: AUC_k = F d_k / CL; the 5th doubling level (16 x start) is the
    # first to reach 25 mg*h/L.
    cl = pk.scale_clearance(0.1, 0.25, 60.0)
    lad = g.exposure_ladder(1200 / 37, "doubling", cl, 25.0, f=0.5)
    assert lad.first_active == 4 and lad.levels_below == 4 and lad.doses.size == 6
    assert lad.first_active_dose == pytest.approx(16 * 1200 / 37, rel=1e-12)
    np.testing.assert_allclose(lad.auc, [pk.auc_inf(d, cl, 0.5) for d in lad.doses], rtol=1e-12)
    start_reaches = g.exposure_ladder(100.0, "constant_33", 1.0, 10.0, extra_levels=0)
    assert start_reaches.first_active == 0 and start_reaches.doses.tolist() == [100.0]


@settings(max_examples=60, deadline=None)
@given(p=st.floats(0.001, 0.999), r=st.floats(1.0, 10.0), n=st.floats(0.1, 10.0))
def test_step_risk_is_a_probability_that_rises_with_ratio_and_steepness(p, r, n):
    q = g.probability_after_step(p, r, n)
    assert 0.0 < q < 1.0 and q >= p - 1e-12
    assert g.probability_after_step(p, r * 1.1, n) >= q - 1e-12
    assert g.probability_after_step(p, r, n * 1.1) >= q - 1e-12


@settings(max_examples=60, deadline=None)
@given(fold=st.floats(0.05, 1e4), scheme=st.sampled_from(list(g.SCHEMES)))
def test_levels_and_overshoot_properties(fold, scheme):
    k = g.steps_to_reach(fold, scheme)
    assert g.levels_to_reach(fold, scheme) == k + 1
    over = g.overshoot(fold, scheme)
    if fold > 1:
        assert 1 - 1e-9 <= over <= g.crossing_step_ratio(fold, scheme) + 1e-9
    else:
        assert k == 0 and over == pytest.approx(1 / fold)


@settings(max_examples=25, deadline=None)
@given(fold=st.floats(1.0, 200.0), gsd=st.floats(1.0, 4.0), scheme=st.sampled_from(list(g.SCHEMES)))
def test_exact_mean_levels_rise_with_the_fold(fold, gsd, scheme):
    lo = g.expected_levels_below_active(fold, scheme, gsd=gsd)
    hi = g.expected_levels_below_active(fold * 1.5, scheme, gsd=gsd)
    assert 0.0 <= lo <= hi + 1e-12
