"""dosecourse.dossier: the fictional drug's trial against its exact expectations, the exact expectations against an
independent path enumeration, the logistic E-R fit against statsmodels, the resampled probabilities of the best dose
against closed forms and dosecourse.utility, and bad input.

Sources of the expected numbers:
* An independent exact calculation in this file: every path of events over the cycles is enumerated recursively for
  one clearance, and the expectation over log clearance is taken with scipy.integrate.quad against the normal
  density (the module uses a Markov chain and Gauss-Hermite quadrature).
* statsmodels 0.15 ``Logit(y, [1, log AUC]).fit()`` for the exposure-response fit.
* Closed forms for degenerate drugs (no variability, no reductions): P(any event) = 1 - (1 - q)^C.
"""

from functools import cache

import numpy as np
import pytest
from scipy import integrate, stats

from dosecourse import dossier
from dosecourse.utility import cui, linear_desirability, probability_best

DRUG = dossier.DEFAULT_DRUG


def _paths(drug, auc, c=0, level=0, taken=0.0, anyev=0, prob=1.0):
    """Yield (probability, any event, reduced, discontinued, dose intensity) over every path from cycle c."""
    levels = drug.reduction_levels
    if c == drug.n_cycles:
        yield prob, anyev, level > 0, False, taken / drug.n_cycles
        return
    frac = levels[level]
    q = float(drug.p_event(auc * frac))
    yield from _paths(drug, auc, c + 1, level, taken + frac, anyev, prob * (1 - q))
    t_ev = taken + frac * (1 - drug.interruption_loss)
    last = level == len(levels) - 1
    p_stop = 1.0 if last else drug.p_severe
    if p_stop > 0:
        yield prob * q * p_stop, 1, level > 0, True, t_ev / (c + 1)
    if p_stop < 1:
        yield from _paths(drug, auc, c + 1, level + 1, t_ev, 1, prob * q * (1 - p_stop))


def _per_clearance(drug, dose, z):
    auc = dose / (drug.cl * np.exp(drug.omega_cl * z))
    out = np.zeros(4)
    for p, anyev, red, disc, rdi in _paths(drug, auc):
        out += p * np.array([anyev, red, disc, rdi])
    return out


@cache
def _independent(dose, index):
    f = lambda z: _per_clearance(DRUG, dose, z)[index] * stats.norm.pdf(z)  # noqa: E731
    return integrate.quad(f, -9, 9, epsabs=1e-10, limit=200)[0]


def test_exact_expectations_against_an_independent_path_enumeration():
    tru = dossier.true_outcomes(DRUG)
    for j, dose in enumerate(DRUG.doses):
        for index, name in enumerate(("adverse_event", "reduction", "discontinuation", "dose_intensity")):
            assert getattr(tru, name)[j] == pytest.approx(_independent(dose, index), abs=1e-7), (dose, name)
        resp = integrate.quad(lambda z, d=dose: float(DRUG.p_response(d / (DRUG.cl * np.exp(DRUG.omega_cl * z))))
                              * stats.norm.pdf(z), -9, 9, epsabs=1e-12)[0]
        assert tru.response[j] == pytest.approx(resp, abs=1e-8)
    # Log-normal quantiles: median = D / CL exactly; 95th percentile = D / CL x exp(1.645 x 0.35).
    assert tru.auc_median.tolist() == pytest.approx([12.5, 25.0, 50.0], abs=1e-12)
    assert tru.auc_p95[1] == pytest.approx(25 * np.exp(stats.norm.ppf(0.95) * 0.35), rel=1e-12)


def test_degenerate_drug_has_closed_forms():
    # No variability, no reductions, no interruption loss: an event ends treatment; P(any) = 1 - (1 - q)^C.
    drug = dossier.FictionalDrug(omega_cl=0.0, reduction_levels=(1.0,), p_severe=0.0, interruption_loss=0.0,
                                 n_cycles=4)
    tru = dossier.true_outcomes(drug)
    q = drug.p_event(np.array(drug.doses) / drug.cl)
    assert tru.adverse_event == pytest.approx(1 - (1 - q) ** 4, abs=1e-12)
    assert tru.discontinuation == pytest.approx(tru.adverse_event, abs=1e-12)
    assert tru.reduction == pytest.approx([0, 0, 0], abs=1e-15)
    assert tru.dose_intensity == pytest.approx([1, 1, 1], abs=1e-12)   # nothing is missed before stopping
    assert tru.cycle1_event == pytest.approx(q, abs=1e-12)


def test_simulation_agrees_with_the_exact_expectations():
    big = dossier.arm_summaries(dossier.simulate_trial(DRUG, 10_000, seed=11))
    tru = dossier.true_outcomes(DRUG)
    for name in ("response", "cycle1_event", "adverse_event", "reduction", "discontinuation"):
        p = getattr(tru, name)
        se = np.sqrt(p * (1 - p) / 10_000)
        assert np.all(np.abs(getattr(big, name) - p) < 4.5 * se + 1e-12), name
    assert big.dose_intensity == pytest.approx(tru.dose_intensity, abs=0.004)
    assert big.inhibition == pytest.approx(tru.inhibition, abs=0.3)
    assert big.auc_median == pytest.approx(tru.auc_median, rel=0.02)


def test_trial_is_seeded_and_read_only():
    a, b = dossier.simulate_trial(seed=5, n_per_arm=30), dossier.simulate_trial(seed=5, n_per_arm=30)
    assert np.array_equal(a.response, b.response) and np.array_equal(a.dose_intensity, b.dose_intensity)
    assert a.arm.size == 90 and a.seed == 5 and a.n_per_arm == 30
    with pytest.raises(ValueError):
        a.auc[0] = 1.0
    assert np.all((a.dose_intensity > 0) & (a.dose_intensity <= 1))
    assert np.all(a.n_reductions <= len(DRUG.reduction_levels) - 1)
    assert np.all(a.discontinued <= (a.n_events > 0)) and np.all(a.cycle1_event <= (a.n_events > 0))
    assert a.outcome("adverse_event").tolist() == (a.n_events > 0).astype(float).tolist()


def test_arm_summaries_by_hand():
    tr = dossier.simulate_trial(seed=3, n_per_arm=25)
    s = dossier.arm_summaries(tr)
    for j in range(3):
        m = tr.arm == j
        x = int(tr.response[m].sum())
        assert s.response[j] == x / 25
        assert s.response_lower[j] == pytest.approx(stats.beta.ppf(0.025, x, 26 - x) if x else 0.0, abs=1e-10)
        assert s.discontinuation[j] == tr.discontinued[m].mean()
        assert s.dose_intensity[j] == pytest.approx(tr.dose_intensity[m].mean(), abs=1e-15)
        assert s.auc_median[j] == pytest.approx(np.median(tr.auc[m]), abs=1e-12)
    assert s.attribute("response") is s.response


def test_logistic_fit_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    tr = dossier.simulate_trial(seed=7, n_per_arm=60)
    fit = dossier.fit_logistic_er(tr.auc, tr.response)
    ref = sm.Logit(tr.response.astype(float), sm.add_constant(np.log(tr.auc))).fit(disp=0)
    assert fit.converged
    assert (fit.intercept, fit.slope) == pytest.approx(tuple(ref.params), abs=1e-8)
    assert fit.se_slope == pytest.approx(float(ref.bse[1]), rel=1e-6)
    lo, hi = fit.ci_slope()
    assert (lo, hi) == pytest.approx(tuple(ref.conf_int()[1]), rel=1e-6)
    assert float(fit.predict(20.0)) == pytest.approx(float(ref.predict([[1.0, np.log(20.0)]])[0]), abs=1e-10)


def test_posterior_probability_best_agrees_with_utility_when_denominators_agree():
    lin = linear_desirability
    counts = {"efficacy": ([3, 6, 7], [12, 12, 12]), "toxicity": ([1, 2, 5], [12, 12, 12])}
    des = {"efficacy": lin(0.0, 1.0), "toxicity": lin(1.0, 0.0)}
    mine = dossier.posterior_probability_best(counts, {"efficacy": 0.6, "toxicity": 0.4}, des, n_draws=40_000,
                                              seed=1)
    ref = probability_best([12, 12, 12], [3, 6, 7], [1, 2, 5], {"efficacy": 0.6, "toxicity": 0.4}, n_draws=40_000,
                           seed=2)
    assert mine.probability.sum() == pytest.approx(1.0, abs=1e-12)
    assert mine.probability == pytest.approx(ref.probability, abs=0.015)   # two Monte Carlo runs, SE < 0.004
    # Observed CUI = utility.cui at the observed rates.
    obs = cui({"efficacy": [3 / 12, 6 / 12, 7 / 12], "toxicity": [1 / 12, 2 / 12, 5 / 12]},
              {"efficacy": 0.6, "toxicity": 0.4}, des)
    assert mine.cui_observed == pytest.approx(obs.values, abs=1e-12)
    assert mine.best_observed == obs.best.dose


def test_posterior_concentrates_with_large_counts():
    lin = linear_desirability
    res = dossier.posterior_probability_best({"r": ([4000, 5000], [10_000, 10_000]), "t": ([1000, 3000],
                                                                                           [10_000, 10_000])},
                                             {"r": 0.5, "t": 0.5}, {"r": lin(0, 1), "t": lin(1, 0)}, seed=3)
    # CUI = 0.5 x 0.4 + 0.5 x 0.9 = 0.65 vs 0.5 x 0.5 + 0.5 x 0.7 = 0.60: dose 1, with near certainty.
    assert res.cui_observed == pytest.approx([0.65, 0.60])
    assert res.probability[0] > 0.999 and res.most_likely == 1


def test_bootstrap_probability_best():
    tr = dossier.simulate_trial(seed=4, n_per_arm=40)
    des = {"response": linear_desirability(0.2, 0.6), "adverse_event": linear_desirability(0.8, 0.1)}
    res = dossier.bootstrap_probability_best(tr, {"response": 0.5, "adverse_event": 0.5}, des, n_boot=500, seed=1)
    assert res.probability.sum() == pytest.approx(1.0, abs=1e-12) and res.n_draws == 500 and res.seed == 1
    s = dossier.arm_summaries(tr)
    by_hand = 0.5 * np.clip((s.response - 0.2) / 0.4, 0, 1) + 0.5 * np.clip((0.8 - s.adverse_event) / 0.7, 0, 1)
    assert res.cui_observed == pytest.approx(by_hand, abs=1e-12)
    # The batched E-R refit at the observed data equals fit_logistic_er.
    er = dossier.bootstrap_probability_best(tr, {"response": 0.5, "adverse_event": 0.5}, des, n_boot=200, seed=1,
                                            er_response=True)
    fit = dossier.fit_logistic_er(tr.auc, tr.response)
    pred = np.array([fit.predict(tr.auc[tr.arm == j]).mean() for j in range(3)])
    d_ae = np.clip((0.8 - s.adverse_event) / 0.7, 0, 1)
    assert er.cui_observed == pytest.approx(0.5 * np.clip((pred - 0.2) / 0.4, 0, 1) + 0.5 * d_ae, abs=1e-10)
    draws = [np.flatnonzero(tr.arm == j)[None, :] for j in range(3)]
    assert dossier._er_arm_rates(tr, draws)[0] == pytest.approx(pred, abs=1e-8)


def test_observed_cui_uses_the_summary_and_replacement_rates():
    s = dossier.true_outcomes()
    des = {"response": linear_desirability(0.2, 0.6)}
    res = dossier.observed_cui(s, {"response": 1.0}, des, response=[0.6, 0.2, 0.4])
    assert res.values.tolist() == pytest.approx([1.0, 0.0, 0.5]) and res.best.dose == 100.0


def test_bad_input():
    with pytest.raises(ValueError, match="doses must be strictly increasing"):
        dossier.FictionalDrug(doses=(200.0, 100.0))
    with pytest.raises(ValueError, match="2 or 3"):
        dossier.FictionalDrug(doses=(1.0, 2.0, 3.0, 4.0))
    with pytest.raises(ValueError, match="e0 \\+ emax"):
        dossier.FictionalDrug(e0=0.5, emax=0.6)
    with pytest.raises(ValueError, match="reduction_levels"):
        dossier.FictionalDrug(reduction_levels=(0.8, 0.5))
    with pytest.raises(ValueError, match="cl must be a finite number > 0"):
        dossier.FictionalDrug(cl=-1.0)
    with pytest.raises(ValueError, match="n_per_arm"):
        dossier.simulate_trial(n_per_arm=1)
    with pytest.raises(TypeError, match="drug"):
        dossier.simulate_trial(drug="ficlatinib")
    with pytest.raises(ValueError, match="responders and non-responders"):
        dossier.fit_logistic_er([1, 2, 3], [1, 1, 1])
    with pytest.raises(ValueError, match="0/1"):
        dossier.fit_logistic_er([1, 2, 3], [0, 2, 1])
    with pytest.raises(ValueError, match="auc must be > 0"):
        dossier.fit_logistic_er([0, 2, 3], [0, 1, 1])
    tr = dossier.simulate_trial(n_per_arm=10, seed=1)
    with pytest.raises(ValueError, match="weights must sum to 1"):
        dossier.bootstrap_probability_best(tr, {"response": 0.5}, {"response": linear_desirability(0, 1)})
    with pytest.raises(ValueError, match="an attribute must be one of"):
        dossier.bootstrap_probability_best(tr, {"ild": 1.0}, {"ild": linear_desirability(0, 1)})
    with pytest.raises(ValueError, match="n_boot"):
        dossier.bootstrap_probability_best(tr, {"response": 1.0}, {"response": linear_desirability(0, 1)}, n_boot=0)
    with pytest.raises(ValueError, match="events must not exceed"):
        dossier.posterior_probability_best({"r": ([5, 3], [4, 4])}, {"r": 1.0}, {"r": linear_desirability(0, 1)})
    with pytest.raises(ValueError, match="one count per dose"):
        dossier.posterior_probability_best({"r": ([1, 2], [4, 4]), "t": ([1], [4])}, {"r": 0.5, "t": 0.5},
                                           {"r": linear_desirability(0, 1), "t": linear_desirability(1, 0)})
    with pytest.raises(TypeError, match="events, patients"):
        dossier.posterior_probability_best({"r": [1, 2]}, {"r": 1.0}, {"r": linear_desirability(0, 1)})


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=25, deadline=None)
@hypothesis.given(n=st.integers(2, 40), seed=st.integers(0, 2 ** 32 - 1), cycles=st.integers(1, 8),
                  p_severe=st.floats(0.0, 1.0))
def test_property_summaries_are_proportions_and_ordered(n, seed, cycles, p_severe):
    drug = dossier.FictionalDrug(n_cycles=cycles, p_severe=p_severe)
    s = dossier.arm_summaries(dossier.simulate_trial(drug, n, seed=seed))
    for name in ("response", "cycle1_event", "adverse_event", "interruption", "reduction", "discontinuation"):
        v = getattr(s, name)
        assert np.all((v >= 0) & (v <= 1)), name
    assert np.all((s.dose_intensity > 0) & (s.dose_intensity <= 1))
    assert np.all(s.response_lower <= s.response) and np.all(s.response <= s.response_upper)
    assert np.all(s.cycle1_event <= s.adverse_event) and np.all(s.reduction <= s.adverse_event)


@hypothesis.settings(max_examples=25, deadline=None)
@hypothesis.given(bad=st.sampled_from([-1.0, 0.0, float("nan"), float("inf")]))
def test_property_impossible_clearance_is_refused(bad):
    with pytest.raises(ValueError, match="cl must be"):
        dossier.FictionalDrug(cl=bad)
