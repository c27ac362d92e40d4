"""Tests of dosecourse.biomarkers: the PD plateau, the biologically optimal dose and its estimation.

Sources of the expected numbers:
* Hill model E = E0 + Emax D^n/(ED50^n + D^n) and its inverse D_f = ED50 (f/(1-f))^(1/n): Holford & Sheiner,
  Clin Pharmacokinet 1981;6:429 (doi:10.2165/00003088-198106060-00002); ED90 = 9 ED50 (n = 1) and 3 ED50
  (n = 2) follow by hand.  The closed form is checked against a numerical root (scipy.optimize.brentq).
* Unbiasedness: the Monte Carlo standard error of a mean over T trials is sd/sqrt(T); a share p has
  sqrt(p(1-p)/T).
* Biomarker roles and their Chinese names: NCI usage (Dancey et al., Clin Cancer Res 2010;16:1745,
  doi:10.1158/1078-0432.CCR-09-2167) and the course glossary book/glossary.yml.
"""

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq

from dosecourse import biomarkers as bm
from dosecourse.i18n import LANGS
from dosecourse.pd import sigmoid_emax

MODEL = bm.BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
DOSES = [5.0, 10.0, 30.0, 100.0, 300.0]


# --- the plateau and the biologically optimal dose ----------------------------------------------------------

def test_response_is_the_pd_module_sigmoid_emax():
    d = np.array([0.0, 5.0, 20.0, 200.0])
    m = bm.BiomarkerModel(e0=2.0, emax=-1.5, ed50=8.0, hill=1.7)
    np.testing.assert_array_equal(m.response(d), sigmoid_emax(d, -1.5, 8.0, 1.7, 2.0))


def test_bod_hand_values():
    assert bm.biologically_optimal_dose(0.9, ed50=10.0) == pytest.approx(90.0)            # 9 ED50
    assert bm.biologically_optimal_dose(0.9, ed50=10.0, hill=2.0) == pytest.approx(30.0)  # 3 ED50
    assert bm.biologically_optimal_dose(0.5, ed50=7.0, hill=3.3) == pytest.approx(7.0)    # ED50 itself
    assert MODEL.optimal_dose(0.8) == pytest.approx(80.0)                                 # 4 ED50


@pytest.mark.parametrize("e0, emax, ed50, hill", [(10, 80, 20, 1.0), (0, 1, 3, 2.5), (100, -60, 50, 0.7)])
@pytest.mark.parametrize("f", [0.5, 0.8, 0.9, 0.95])
def test_bod_closed_form_equals_the_numerical_inverse(e0, emax, ed50, hill, f):
    m = bm.BiomarkerModel(e0, emax, ed50, hill)
    root = brentq(lambda d: m.response(d) - (e0 + f * emax), 1e-9, 1e9, xtol=1e-12, rtol=1e-13)
    assert m.optimal_dose(f) == pytest.approx(root, rel=1e-9)
    # it is the lowest dose reaching the fraction: just below it the fraction is not reached
    below = m.optimal_dose(f) * (1 - 1e-6)
    assert abs(m.response(below) - e0) < f * abs(emax)


def test_bod_does_not_depend_on_e0_or_emax():
    a = bm.BiomarkerModel(0.0, 1.0, 12.0, 1.5).optimal_dose(0.9)
    b = bm.BiomarkerModel(50.0, -30.0, 12.0, 1.5).optimal_dose(0.9)
    assert a == b


def test_model_bad_inputs():
    with pytest.raises(ValueError, match="emax must not be 0"):
        bm.BiomarkerModel(1.0, 0.0, 10.0)
    with pytest.raises(ValueError, match="ed50"):
        bm.BiomarkerModel(1.0, 1.0, -10.0)
    with pytest.raises(ValueError, match="hill"):
        bm.BiomarkerModel(1.0, 1.0, 10.0, hill=0.0)
    with pytest.raises(ValueError, match="fraction_of_emax"):
        MODEL.optimal_dose(1.0)


# --- estimation from a few doses ----------------------------------------------------------------------------

def test_simulation_is_unbiased_at_large_n():
    # n = 10 000 per dose, SD 10: the least-squares bias is O(sigma^2/n) and negligible; the Monte Carlo SE of
    # the mean over 4000 trials is sd(bod_hat)/sqrt(4000) (about 0.04 here), and we allow 4 SE.
    trials = 4000
    sim = bm.simulate_bod_estimation(MODEL, DOSES, 10_000, noise_sd=10.0, n_trials=trials, seed=3)
    se = sim.bod_hat.std(ddof=1) / np.sqrt(trials)
    assert abs(sim.bod_hat.mean() - sim.true_bod) < 4 * se
    assert sim.true_bod == pytest.approx(180.0)
    assert not sim.at_grid_edge.any()


def test_lognormal_noise_is_unbiased_on_the_log_scale_at_large_n():
    trials = 2000
    sim = bm.simulate_bod_estimation(MODEL, DOSES, 2000, noise_sd=0.2, noise="lognormal", n_trials=trials, seed=4)
    log_ratio = np.log(sim.bod_hat / sim.true_bod)
    assert abs(log_ratio.mean()) < 4 * log_ratio.std(ddof=1) / np.sqrt(trials) + 1e-3   # + O(sigma^2/n) bias
    assert sim.p_correct == 1.0


def test_inhibitory_biomarker_is_estimated_too():
    m = bm.BiomarkerModel(e0=100.0, emax=-90.0, ed50=15.0, hill=1.5)
    sim = bm.simulate_bod_estimation(m, DOSES, 10_000, noise_sd=5.0, n_trials=2000, seed=8)
    assert np.median(sim.bod_hat) == pytest.approx(m.optimal_dose(0.9), rel=0.01)


def test_more_patients_or_less_noise_choose_better():
    # Common random numbers (same seed): the share of right choices rises with n and falls with the SD.
    kw = dict(n_trials=3000, seed=2025)
    few = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=10.0, **kw)
    many = bm.simulate_bod_estimation(MODEL, DOSES, 12, noise_sd=10.0, **kw)
    noisy = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=20.0, **kw)
    assert noisy.p_correct < few.p_correct < many.p_correct
    spread = [np.subtract(*np.quantile(s.bod_hat, [0.9, 0.1])) for s in (noisy, few, many)]
    assert spread[0] > spread[1] > spread[2]
    for s in (few, many, noisy):
        assert s.p_too_low + s.p_correct + s.p_too_high == pytest.approx(1.0)


def test_chosen_dose_rule_and_candidates():
    # BOD 180 with candidates 10, 30, 100, 300: the lowest candidate reaching 90% of Emax is 300.
    sim = bm.simulate_bod_estimation(MODEL, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=500, seed=1)
    assert sim.true_choice == 300.0
    assert set(np.unique(sim.chosen)) <= {10.0, 30.0, 100.0, 300.0}
    cand = np.array([10.0, 30.0, 100.0, 300.0])
    reaching = np.where(cand[None, :] >= sim.bod_hat[:, None], cand[None, :], np.inf).min(axis=1)
    np.testing.assert_array_equal(sim.chosen, np.where(np.isinf(reaching), 300.0, reaching))
    with_180 = bm.simulate_bod_estimation(MODEL, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=10, seed=1,
                                          candidates=[60, 120, 180, 240])
    assert with_180.true_choice == 180.0           # the true BOD itself, within the 1e-9 tolerance


def test_estimating_the_hill_coefficient_on_a_grid():
    m = bm.BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0, hill=1.5)
    sim = bm.simulate_bod_estimation(m, DOSES, 10_000, noise_sd=5.0, n_trials=500, seed=6,
                                     hill_grid=[0.5, 1.0, 1.5, 2.0, 3.0])
    assert np.mean(sim.hill_hat == 1.5) > 0.95
    assert np.median(sim.bod_hat) == pytest.approx(m.optimal_dose(0.9), rel=0.01)


def test_simulation_is_seeded_and_vectorised():
    a = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=5)
    b = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=5)
    c = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=6)
    np.testing.assert_array_equal(a.bod_hat, b.bod_hat)
    assert not np.array_equal(a.bod_hat, c.bod_hat)
    assert a.bod_hat.shape == (300,) and a.n_trials == 300


@pytest.mark.parametrize("lang", LANGS)
def test_summary_and_tradeoff_tables(lang):
    sim = bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=400, seed=2)
    tab = sim.summary(lang)
    assert tab.shape == (8, 3)
    assert tab.iloc[4:7, 1].sum() == pytest.approx(1.0)                           # too low + right + too high
    p = sim.p_correct
    assert tab.iloc[5, 2] == pytest.approx(np.sqrt(p * (1 - p) / 400))
    trade = bm.bod_tradeoff_table(MODEL, DOSES, [3, 6], [5.0, 10.0], lang=lang, n_trials=200)
    assert trade.shape == (4, 8)
    assert trade.iloc[:, 0].tolist() == [3, 3, 6, 6]


def test_simulation_bad_inputs():
    with pytest.raises(TypeError, match="BiomarkerModel"):
        bm.simulate_bod_estimation({"ed50": 1}, DOSES, 3, noise_sd=1.0)
    with pytest.raises(ValueError, match="at least 3 distinct"):
        bm.simulate_bod_estimation(MODEL, [10, 10, 30], 3, noise_sd=1.0)
    with pytest.raises(ValueError, match="at least 4 distinct"):
        bm.simulate_bod_estimation(MODEL, [10, 20, 30], 3, noise_sd=1.0, hill_grid=[1, 2])
    with pytest.raises(ValueError, match="positive doses"):
        bm.simulate_bod_estimation(MODEL, [0, 10, 30], 3, noise_sd=1.0)
    with pytest.raises(ValueError, match="noise_sd"):
        bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=0.0)
    with pytest.raises(ValueError, match="noise must be one of"):
        bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=1.0, noise="poisson")
    with pytest.raises(ValueError, match="log-normal noise needs a positive biomarker"):
        bm.simulate_bod_estimation(bm.BiomarkerModel(-5.0, 10.0, 20.0), DOSES, 3, noise_sd=0.1, noise="lognormal")
    with pytest.raises(ValueError, match="fraction"):
        bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=1.0, fraction=1.2)
    with pytest.raises(ValueError, match="n_per_dose"):
        bm.simulate_bod_estimation(MODEL, DOSES, 0, noise_sd=1.0)
    with pytest.raises(ValueError, match="hill_grid"):
        bm.simulate_bod_estimation(MODEL, DOSES, 3, noise_sd=1.0, hill_grid=[1.0, -1.0])


# --- biomarker roles ----------------------------------------------------------------------------------------

def test_roles_table_in_both_languages_uses_the_glossary_terms():
    glossary = (Path(__file__).resolve().parents[1] / "book" / "glossary.yml").read_text(encoding="utf-8")
    en, zh = bm.biomarker_roles_table("en"), bm.biomarker_roles_table("zh-tw")
    assert en.shape == zh.shape == (3, 4)
    assert en.iloc[:, 0].tolist() == ["Integral biomarker", "Integrated biomarker", "Exploratory biomarker"]
    for name in zh.iloc[:, 0]:
        assert f"zh: {name}" in glossary
    # only an integral biomarker drives decisions in the trial
    assert en.iloc[:, 2].tolist() == ["Yes", "No", "No"]
    with pytest.raises(ValueError, match="lang must be one of"):
        bm.biomarker_roles_table("fr")
