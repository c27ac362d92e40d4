"""Tests of dosecourse.exposure_response: confounding of exposure-response by disease, and its remedies.

The true model is known, so every claim is checked against it by simulation with seeds fixed in advance, within
3 Monte Carlo standard errors:

* with a flat true exposure-response and disease driving clearance, the unadjusted slope is far from 0;
* adjusting for the observed covariates of clearance, or case-matching on them, shrinks it, and adjusting for a
  marker that *is* the sickness removes it (the correctly specified model recovers the true slope);
* randomized dose levels (2 vs 10 mg/kg) recover the truth: 0 when flat, else the population-averaged slope,
  computed independently here by adaptive quadrature;
* without confounding there is no slope and the 5% test rejects about 5% of the time;
* Cox regression: spurious protective HR for exposure, HR > 1 for baseline clearance (Turner 2018);
* time-dependent metrics: response-driven clearance change biases steady-state metrics but not cycle-1 metrics
  (Liu 2017); the average concentration up to the event creates a protective HR from accumulation alone (Yin 2025).

The batched logistic fit is checked against statsmodels ``Logit`` (the reference implementation) to 1e-8.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.special import expit, logit

from dosecourse import exposure_response as er
from dosecourse import poppk

BASE = er.ERScenario()                       # single 200 mg dose, flat truth, disease drives clearance
RANDOMIZED = er.ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg")


def within(est, truth, se, k=3.0):
    return abs(est - truth) <= k * se


def test_spurious_slope_with_flat_truth():
    rep = er.replicate_estimates(BASE, 300, seed=101)
    assert rep.truth == 0.0 and rep.converged.all() and rep.n_trials == 300 and rep.seed == 101
    assert rep.mean > 1.0 and rep.mean > 20 * rep.mc_se
    assert rep.rejection_rate > 0.9            # nearly every trial "finds" an exposure-response
    single = er.fit_exposure_response(er.simulate_trials(BASE, seed=7))
    assert single.estimate > 0 and single.p_value < 0.05 and single.ratio > 1


def test_adjustment_shrinks_the_slope_and_a_perfect_marker_removes_it():
    naive = er.replicate_estimates(BASE, 200, seed=102)
    adjusted = er.replicate_estimates(BASE, 200, analysis="adjusted", seed=102)
    assert adjusted.mean < naive.mean - 3 * math.hypot(naive.mc_se, adjusted.mc_se)
    assert adjusted.mean > 0            # albumin measures sickness with reliability 0.8: residual confounding
    perfect = er.ERScenario(marker_reliability=1.0)
    fixed = er.replicate_estimates(perfect, 200, analysis="adjusted", seed=103)
    assert within(fixed.mean, 0.0, fixed.mc_se)
    # the correctly specified adjusted model recovers a non-flat true slope as well
    true = er.ERScenario(marker_reliability=1.0, true_slope=0.6, n_patients=600)
    rep = er.replicate_estimates(true, 300, analysis="adjusted", seed=104)
    assert within(rep.mean, 0.6, rep.mc_se, k=3.5)


def test_case_matching_shrinks_the_high_vs_low_contrast():
    trials = er.simulate_trials(BASE, 40, seed=105)
    unmatched = np.array([er.fit_exposure_response(trials, analysis="high_vs_low", replicate=r).estimate
                          for r in range(40)])
    fits = [er.fit_exposure_response(trials, analysis="matched", replicate=r) for r in range(40)]
    matched = np.array([f.estimate for f in fits])
    diff = unmatched - matched
    assert diff.mean() > 3 * diff.std(ddof=1) / math.sqrt(40)
    assert all(f.n < 150 and f.covariates == ("log(albumin)", "log(weight)") for f in fits)   # caliper drops pairs
    # no caliper: everyone is matched and the contrast barely changes
    loose = er.fit_exposure_response(trials, analysis="matched", caliper=math.inf)
    assert loose.n == 150


def test_matched_pairs_odds_ratio_is_mcnemar():
    trial = er.simulate_trials(BASE, seed=106)
    fit = er.fit_exposure_response(trial, analysis="matched")
    b = round(math.exp(fit.estimate) * fit.n_events / (1 + math.exp(fit.estimate)))
    c = fit.n_events - b
    assert fit.estimate == pytest.approx(math.log(b / c), rel=1e-12)
    assert fit.se == pytest.approx(math.sqrt(1 / b + 1 / c), rel=1e-12)
    assert fit.p_value == pytest.approx(stats.binomtest(b, b + c).pvalue, rel=1e-12)


def _marginal_slope_by_quad(sc):
    """Population-averaged slope between two dose levels by adaptive quadrature (independent of Gauss-Hermite)."""
    beta = sc.true_slope
    s2w = math.log1p((sc.weight_sd / sc.weight_mean) ** 2)
    mlw = math.log(sc.weight_mean) - s2w / 2
    probs = []
    for d in sc.doses:
        mean_log_e = (math.log(d) + mlw - math.log(sc.cl_typical) - sc.weight_exponent_cl * (mlw - math.log(
            sc.weight_reference)) - math.log(sc.tau))
        mu = logit(sc.response_rate) + beta * (mean_log_e - math.log(sc.reference_exposure))
        sd = math.sqrt((beta * sc.disease_on_cl + sc.disease_on_response) ** 2 + (beta * sc.other_cl_sd) ** 2
                       + (beta * (1 - sc.weight_exponent_cl)) ** 2 * s2w)
        density = lambda z, mu=mu, sd=sd: expit(mu + sd * z) * stats.norm.pdf(z)  # noqa: E731
        probs.append(integrate.quad(density, -12, 12, epsabs=1e-13)[0])
    return (logit(probs[1]) - logit(probs[0])) / math.log(sc.doses[1] / sc.doses[0])


def test_randomized_doses_recover_the_truth():
    flat = er.replicate_estimates(RANDOMIZED, 300, analysis="dose_response", seed=107)
    assert flat.truth == 0.0 and within(flat.mean, 0.0, flat.mc_se)
    pooled = er.replicate_estimates(RANDOMIZED, 200, seed=107)    # E-R pooled over both doses stays biased
    assert pooled.mean > 10 * pooled.mc_se
    true = er.ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg", true_slope=0.5, n_patients=1000)
    marginal = er.marginal_dose_slope(true)
    assert marginal == pytest.approx(_marginal_slope_by_quad(true), rel=1e-9)
    assert 0.3 < marginal < 0.5          # the odds ratio is not collapsible: smaller than the conditional 0.5
    rep = er.replicate_estimates(true, 300, analysis="dose_response", seed=108)
    assert rep.truth == pytest.approx(marginal) and within(rep.mean, marginal, rep.mc_se)


def test_marginal_slope_agrees_with_brute_force_simulation():
    sc = er.ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg", true_slope=0.8, n_patients=10_000)
    trials = er.simulate_trials(sc, 40, seed=109)
    y = trials.response
    p = [y[trials.arm == k].mean() for k in (0, 1)]
    n_arm = y.size / 2
    est = (logit(p[1]) - logit(p[0])) / math.log(5.0)
    se = math.sqrt(sum(1 / (n_arm * q * (1 - q)) for q in p)) / math.log(5.0)
    assert within(est, er.marginal_dose_slope(sc), se)


def test_no_confounding_no_slope():
    clean = er.ERScenario(disease_on_cl=0.0)
    rep = er.replicate_estimates(clean, 400, seed=110)
    assert within(rep.mean, 0.0, rep.mc_se)
    assert abs(rep.rejection_rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / 400) + 0.01


def test_cox_hazard_ratio_directions():
    trials = er.simulate_trials(BASE, 6, seed=111)
    naive = np.array([er.fit_exposure_response(trials, endpoint="os", replicate=r).estimate for r in range(6)])
    cl0 = np.array([er.fit_exposure_response(trials, endpoint="os", analysis="cl0", replicate=r).estimate
                    for r in range(6)])
    assert naive.mean() < -3 * naive.std(ddof=1) / math.sqrt(6)     # exposure looks protective (HR < 1)
    assert cl0.mean() > 3 * cl0.std(ddof=1) / math.sqrt(6)          # baseline clearance predicts death (HR > 1)
    # with one dose, log exposure = log dose - log CL - log tau: the two fits are mirror images
    np.testing.assert_allclose(naive, -cl0, rtol=1e-8)
    fit = er.fit_exposure_response(trials, endpoint="os", analysis="cl0")
    assert fit.ratio > 1 and fit.ratio_ci[0] > 1 and fit.n_events == int(trials.os_event[0].sum())
    # with randomized doses the dose-response HR is 1 within its error
    rtrials = er.simulate_trials(RANDOMIZED, 6, seed=112)
    dose = np.array([er.fit_exposure_response(rtrials, endpoint="os", analysis="dose_response", replicate=r).estimate
                     for r in range(6)])
    assert within(dose.mean(), 0.0, dose.std(ddof=1) / math.sqrt(6))


def test_time_dependent_metrics_liu_and_yin():
    # Clearance falls after a response (Liu 2017) and no baseline confounding: cycle-1 metrics see the flat
    # truth, steady-state metrics a steep spurious slope.
    liu = er.ERScenario(disease_on_cl=0.0, cl_change_responders=-0.3)
    trials = er.simulate_trials(liu, 300, seed=113)
    c1 = er.replicate_estimates(trials, metric="cavg_c1")
    ss = er.replicate_estimates(trials, metric="cavg_ss")
    trough_c1 = er.replicate_estimates(trials, metric="ctrough_c1")
    trough_ss = er.replicate_estimates(trials, metric="ctrough_ss")
    assert within(c1.mean, 0.0, c1.mc_se) and within(trough_c1.mean, 0.0, trough_c1.mc_se)
    assert ss.bias > 1.0 and trough_ss.bias > 1.0
    # Average concentration up to the event (Yin 2025): accumulation alone makes exposure look protective.
    yin = er.simulate_trials(er.ERScenario(disease_on_cl=0.0), 6, seed=114)
    te = np.array([er.fit_exposure_response(yin, endpoint="os", metric="cavg_te", replicate=r).estimate
                   for r in range(6)])
    first = np.array([er.fit_exposure_response(yin, endpoint="os", metric="cavg_c1", replicate=r).estimate
                      for r in range(6)])
    assert te.mean() < -3 * te.std(ddof=1) / math.sqrt(6)
    assert within(first.mean(), 0.0, first.std(ddof=1) / math.sqrt(6))


def test_confounding_curve_grows_from_zero():
    curve = er.confounding_curve(BASE, [0.0, 0.1, 0.25], n_trials=200, seed=115)
    assert within(curve.mean[0], 0.0, curve.mc_se[0])
    assert curve.mean[0] < curve.mean[1] < curve.mean[2]
    assert curve.rejection_rate[2] > 0.9 and curve.seed == 115 and curve.n_trials == 200


def test_batched_logit_equals_statsmodels():
    trials = er.simulate_trials(RANDOMIZED, 25, seed=116)
    for analysis in ("naive", "adjusted", "dose_response", "cl0"):
        rep = er.replicate_estimates(trials, analysis=analysis)
        ref = [er.fit_exposure_response(trials, analysis=analysis, replicate=r) for r in range(25)]
        np.testing.assert_allclose(rep.estimates, [f.estimate for f in ref], rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(rep.se, [f.se for f in ref], rtol=1e-8)


# ---------------------------------------------------------------------------------------------------------------
# simulation: the true model, metrics, reproducibility
# ---------------------------------------------------------------------------------------------------------------

def test_simulation_follows_the_true_model():
    sc = er.ERScenario(disease_on_cl=0.0, disease_on_response=0.0, disease_on_hazard=0.0, other_cl_sd=0.0,
                       weight_sd=0.0, n_patients=5000, follow_up=1000.0)
    tr = er.simulate_trials(sc, 4, seed=117)
    assert abs(tr.response.mean() - 0.3) < 3 * math.sqrt(0.21 / tr.response.size)
    np.testing.assert_allclose(tr.cl0, 0.22)
    np.testing.assert_allclose(tr.metric("cavg_ss"), 200 / (0.22 * 21))
    # exponential survival, median 12 months; censoring at >= 500 months is negligible
    assert tr.os_event.mean() > 0.999
    med = np.median(tr.os_time)
    assert abs(med - 12.0) < 3 * 12.0 / math.sqrt(tr.os_time.size)   # SE of the median of an exponential ~ m/sqrt(n)
    # albumin is a noisy marker: corr(log albumin, sickness)^2 = reliability
    tr2 = er.simulate_trials(er.ERScenario(n_patients=10_000), 1, seed=118)
    r = np.corrcoef(np.log(tr2.albumin[0]), tr2.sickness[0])[0, 1]
    assert abs(r ** 2 - 0.8) < 0.02


def test_balanced_randomization_and_per_kg_doses():
    tr = er.simulate_trials(er.ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg", n_patients=301), 5, seed=119)
    counts = [(tr.arm[r] == 0).sum() for r in range(5)]
    assert set(counts) <= {150, 151}
    np.testing.assert_allclose(tr.dose_mg, tr.dose_level * tr.weight)
    assert set(np.unique(tr.dose_level)) == {2.0, 10.0}


def test_metrics_against_poppk_and_quadrature():
    tr = er.simulate_trials(er.ERScenario(cl_change_responders=-0.3, n_patients=20), seed=120)
    sc = tr.scenario
    i = 3
    size = tr.weight[0, i] / sc.weight_reference
    p = poppk.PKParameters(cl=tr.cl0[0, i], v1=sc.v1 * size ** sc.weight_exponent_v,
                           q=sc.q * size ** sc.weight_exponent_cl, v2=sc.v2 * size ** sc.weight_exponent_v)
    dose = tr.dose_mg[0, i]
    one = poppk.Regimen((0.0,), (dose,), interval=21.0)
    f = lambda x: float(poppk.concentrations(p, one, [x])[0, 0])  # noqa: E731
    assert tr.metric("cavg_c1")[0, i] == pytest.approx(integrate.quad(f, 0, 21, epsrel=1e-12)[0] / 21, rel=1e-9)
    assert tr.metric("ctrough_c1")[0, i] == pytest.approx(f(21.0), rel=1e-12)
    end = tr.os_time[0, i] * er.DAYS_PER_MONTH
    many = poppk.Regimen.repeated(dose, 21.0, 60)
    g = lambda x: float(poppk.concentrations(p, many, [x])[0, 0])  # noqa: E731
    pts = [21.0 * k for k in range(1, 60) if 21.0 * k < end]
    ref = integrate.quad(g, 0, end, points=pts or None, limit=500, epsrel=1e-11)[0] / end
    assert tr.metric("cavg_te")[0, i] == pytest.approx(ref, rel=1e-8)
    resp = tr.response[0]
    np.testing.assert_allclose(tr.cl_ss[0], tr.cl0[0] * np.where(resp, math.exp(-0.3), 1.0))
    assert np.all(tr.metric("cavg_c1") < tr.metric("cavg_ss") / np.exp(np.where(tr.response, 0.3, 0.0)))


def test_seeded_reproducibility():
    a = er.simulate_trials(BASE, 3, seed=121)
    b = er.simulate_trials(BASE, 3, seed=121)
    np.testing.assert_array_equal(a.response, b.response)
    np.testing.assert_array_equal(a.os_time, b.os_time)
    assert a.seed == 121 and a.n_trials == 3
    assert er.fit_exposure_response(a) == er.fit_exposure_response(b)
    fresh = er.simulate_trials(BASE, seed=None)
    assert isinstance(fresh.seed, int)
    np.testing.assert_array_equal(er.simulate_trials(BASE, seed=fresh.seed).cl0, fresh.cl0)
    assert er.simulate_trials(BASE, seed=np.random.default_rng(3)).seed is None
    assert er.replicate_estimates(BASE, 20, seed=5).estimates.tolist() == er.replicate_estimates(
        BASE, 20, seed=5).estimates.tolist()


def test_estimates_table_languages():
    trial = er.simulate_trials(BASE, seed=7)
    ests = [er.fit_exposure_response(trial), er.fit_exposure_response(trial, analysis="matched")]
    en = er.estimates_table(ests)
    zh = er.estimates_table(ests, "zh-tw")
    assert list(en.columns) == ["Endpoint", "Analysis", "Term", "Odds or hazard ratio", "95% CI", "p-value", "n"]
    assert zh.iloc[1, 1] == "高暴露對低暴露，病例配對" and zh.iloc[0, 0] == "反應"
    assert en.iloc[0, 3] == round(ests[0].ratio, 3)


@settings(max_examples=15, deadline=None)
@given(g_cl=st.floats(-1.0, 1.0), g_r=st.floats(-2.0, 2.0), slope=st.floats(-1.0, 1.0),
       rel=st.floats(0.0, 1.0), rate=st.floats(0.05, 0.95), seed=st.integers(0, 2**31))
def test_property_simulations_are_well_formed(g_cl, g_r, slope, rel, rate, seed):
    sc = er.ERScenario(n_patients=50, disease_on_cl=g_cl, disease_on_response=g_r, true_slope=slope,
                       marker_reliability=rel, response_rate=rate)
    tr = er.simulate_trials(sc, 2, seed=seed)
    for name in er.METRICS:
        m = tr.metric(name)
        assert m.shape == (2, 50) and np.all(np.isfinite(m)) and np.all(m > 0)
    assert tr.response.dtype == bool and np.all(tr.os_time > 0) and np.all(tr.os_time <= sc.follow_up)
    assert np.all(tr.os_time[~tr.os_event] >= sc.follow_up / 2)


# ---------------------------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------------------------

TRIAL = er.simulate_trials(BASE, 2, seed=1)


@pytest.mark.parametrize("call, match", [
    (lambda: er.ERScenario(n_patients=5), "n_patients"),
    (lambda: er.ERScenario(n_patients=20_000), "n_patients"),
    (lambda: er.ERScenario(doses=()), "doses must not be empty"),
    (lambda: er.ERScenario(doses=(2.0, -1.0)), "doses must be > 0"),
    (lambda: er.ERScenario(doses=(2.0, 2.0)), "distinct"),
    (lambda: er.ERScenario(doses=(float("nan"),)), "doses must hold finite"),
    (lambda: er.ERScenario(dose_unit="mg/m2"), "dose_unit must be one of"),
    (lambda: er.ERScenario(tau=0.0), "tau"),
    (lambda: er.ERScenario(cl_typical=-0.2), "cl_typical"),
    (lambda: er.ERScenario(marker_reliability=1.5), "marker_reliability"),
    (lambda: er.ERScenario(response_rate=1.0), "response_rate"),
    (lambda: er.ERScenario(disease_on_cl=float("inf")), "disease_on_cl"),
    (lambda: er.ERScenario(weight_sd=-1.0), "weight_sd"),
    (lambda: er.simulate_trials(BASE, 0), "n_trials"),
    (lambda: er.simulate_trials(BASE, 100_000), "5,000,000"),
    (lambda: er.fit_exposure_response(TRIAL, endpoint="pfs"), "endpoint must be one of"),
    (lambda: er.fit_exposure_response(TRIAL, analysis="ancova"), "analysis must be one of"),
    (lambda: er.fit_exposure_response(TRIAL, metric="cmax"), "metric must be one of"),
    (lambda: er.fit_exposure_response(TRIAL, analysis="dose_response"), "randomized dose levels"),
    (lambda: er.fit_exposure_response(TRIAL, endpoint="os", analysis="matched"), "response endpoint only"),
    (lambda: er.fit_exposure_response(TRIAL, replicate=2), "replicate"),
    (lambda: er.fit_exposure_response(TRIAL, analysis="matched", caliper=0.0), "caliper"),
    (lambda: er.fit_exposure_response(TRIAL, analysis="matched", caliper=1e-9), "caliper"),
    (lambda: er.replicate_estimates(BASE, 10, analysis="matched"), "analysis must be one of"),
    (lambda: er.replicate_estimates(BASE, 10, analysis="dose_response"), "randomized dose levels"),
    (lambda: er.confounding_curve(BASE, [], n_trials=10), "strengths must not be empty"),
    (lambda: er.confounding_curve(BASE, list(range(60)), n_trials=10), "strengths"),
    (lambda: er.confounding_curve(BASE, [0.1], n_trials=100_000), "20,000,000"),
    (lambda: er.marginal_dose_slope(BASE), "two dose levels"),
    (lambda: er.estimates_table([]), "1 to 100"),
    (lambda: TRIAL.metric("auc"), "metric must be one of"),
])
def test_bad_input_raises_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: er.ERScenario(n_patients=300.5), "n_patients"),
    (lambda: er.ERScenario(doses="200"), "doses"),
    (lambda: er.simulate_trials("scenario"), "scenario must be a ERScenario"),
    (lambda: er.simulate_trials(BASE, seed="x"), "seed"),
    (lambda: er.fit_exposure_response("trial"), "trial must be a ERTrial"),
    (lambda: er.estimates_table(["x"]), "estimates item must be a EREstimate"),
    (lambda: er.estimates_table([er.fit_exposure_response(TRIAL)], lang=3), "lang"),
])
def test_wrong_types_raise_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ---------------------------------------------------------------------------------------------------------------
# response by group and the closed-form approximation of the spurious slope
# ---------------------------------------------------------------------------------------------------------------

def test_response_by_group_counts_by_hand():
    trial = er.simulate_trials(BASE, 2, seed=130)
    tab = er.response_by_group(trial, replicate=1)
    x, y = trial.metric("cavg_ss")[1], trial.response[1]
    q = np.argsort(x, kind="stable")
    assert tab["n"].tolist() == [75] * 4 and tab["group"].tolist() == [1, 2, 3, 4]
    for g in range(4):
        idx = q[75 * g: 75 * (g + 1)]
        assert tab["responders"][g] == int(y[idx].sum())
        assert tab["exposure_median"][g] == pytest.approx(float(np.median(x[idx])), rel=1e-12)
    assert tab["exposure_max"].is_monotonic_increasing
    odd = er.response_by_group(er.simulate_trials(er.ERScenario(n_patients=301), seed=1), n_groups=3)
    assert odd["n"].tolist() == [101, 100, 100]
    arms = er.response_by_group(er.simulate_trials(RANDOMIZED, seed=131), by="arm")
    assert arms["group"].tolist() == [2.0, 10.0] and arms["n"].tolist() == [150, 150]
    with pytest.raises(ValueError, match="by must be one of"):
        er.response_by_group(trial, by="tertile")
    with pytest.raises(ValueError, match="n_groups"):
        er.response_by_group(trial, n_groups=1)


def _population_slope(sc, nodes=60):
    """Exact large-sample logistic slope of response on log Cavg,ss (one dose, flat or not), independent of the
    projection formula: (log C, S) are bivariate normal; P(R | log C) by Gauss-Hermite over S given log C, then the
    population logistic regression by statsmodels GLM on quadrature nodes weighted by the normal density."""
    import statsmodels.api as sm

    s2w = math.log1p((sc.weight_sd / sc.weight_mean) ** 2)
    var_c = sc.disease_on_cl ** 2 + sc.other_cl_sd ** 2 + sc.weight_exponent_cl ** 2 * s2w
    cov_cs = -sc.disease_on_cl
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    lc = math.sqrt(var_c) * x                                   # centred log exposure
    mean_s = cov_cs / var_c * lc
    sd_s = math.sqrt(1 - cov_cs ** 2 / var_c)
    lin = (logit(sc.response_rate) + sc.true_slope * lc[:, None]
           - sc.disease_on_response * (mean_s[:, None] + sd_s * x[None, :]))
    p = (expit(lin) * w[None, :]).sum(axis=1)
    fit = sm.GLM(p, sm.add_constant(lc), family=sm.families.Binomial(), var_weights=w).fit(tol=1e-13)
    return float(fit.params[1])


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
@pytest.mark.parametrize("changes", [{}, {"disease_on_cl": 0.5}, {"disease_on_response": 0.4},
                                     {"true_slope": 0.5}, {"disease_on_cl": 0.0}])
def test_approximate_slope_against_the_exact_population_limit(changes):
    sc = dataclasses.replace(BASE, **changes)
    exact = _population_slope(sc)
    approx = er.approximate_er_slope(sc)
    assert approx == pytest.approx(exact, rel=0.03, abs=1e-9)     # the probit approximation: within 3%


def test_approximate_slope_against_simulation_and_special_cases():
    rep = er.replicate_estimates(BASE, 400, seed=132)
    # small-sample bias of the logistic MLE is O(1/n): allow 3 MC SE plus 4%
    assert abs(rep.mean - er.approximate_er_slope(BASE)) < 3 * rep.mc_se + 0.04 * rep.mean
    adj = er.replicate_estimates(BASE, 400, analysis="adjusted", seed=132)
    assert abs(adj.mean - er.approximate_er_slope(BASE, adjusted=True)) < 3 * adj.mc_se + 0.05
    pooled = er.replicate_estimates(RANDOMIZED, 400, seed=133)
    assert abs(pooled.mean - er.approximate_er_slope(RANDOMIZED)) < 3 * pooled.mc_se + 0.03
    assert er.approximate_er_slope(dataclasses.replace(BASE, marker_reliability=1.0), adjusted=True) == \
        pytest.approx(0.0, abs=1e-12)
    assert er.approximate_er_slope(dataclasses.replace(BASE, disease_on_response=0.0)) == 0.0
    # one dose, no residual: gamma_R gamma_CL / Var(log C) exactly when kappa = 1 (gamma_R -> 0 limit, per unit)
    small = dataclasses.replace(BASE, disease_on_response=1e-6)
    s2w = math.log1p((BASE.weight_sd / BASE.weight_mean) ** 2)
    v = 0.25 ** 2 + 0.25 ** 2 + 0.595 ** 2 * s2w
    assert er.approximate_er_slope(small) / 1e-6 == pytest.approx(0.25 / v, rel=1e-9)
    with pytest.raises(ValueError, match="constant over time"):
        er.approximate_er_slope(dataclasses.replace(BASE, cl_change_responders=-0.3))
    with pytest.raises(TypeError, match="adjusted"):
        er.approximate_er_slope(BASE, adjusted="yes")


def test_batched_logit_converges_with_an_ill_conditioned_covariate():
    # A perfect marker gives log albumin a large coefficient; before the regressors were centred, two of these 200
    # replicates (41 and 104) failed the 1e-10 step criterion although statsmodels converges.
    sc = dataclasses.replace(BASE, marker_reliability=1.0)
    trials = er.simulate_trials(sc, 200, seed=2025)
    rep = er.replicate_estimates(trials, analysis="adjusted")
    assert rep.converged.all()
    for r in (41, 104):
        ref = er.fit_exposure_response(trials, analysis="adjusted", replicate=r)
        assert rep.estimates[r] == pytest.approx(ref.estimate, rel=1e-8)
        assert rep.se[r] == pytest.approx(ref.se, rel=1e-8)
