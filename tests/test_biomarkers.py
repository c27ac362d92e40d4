"""Tests of dosecourse.biomarkers: the PD plateau, the optimal biological dose and its estimation.

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
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from dosecourse import _validate
from dosecourse import biomarkers as bm
from dosecourse.i18n import LANGS
from dosecourse.pd import sigmoid_emax

MODEL = bm.BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
DOSES = [5.0, 10.0, 30.0, 100.0, 300.0]


# --- the plateau and the optimal biological dose ----------------------------------------------------------

def test_response_is_the_pd_module_sigmoid_emax():
    d = np.array([0.0, 5.0, 20.0, 200.0])
    m = bm.BiomarkerModel(e0=2.0, emax=-1.5, ed50=8.0, hill=1.7)
    np.testing.assert_array_equal(m.response(d), sigmoid_emax(d, -1.5, 8.0, 1.7, 2.0))


def test_obd_hand_values():
    assert bm.optimal_biological_dose(0.9, ed50=10.0) == pytest.approx(90.0)            # 9 ED50
    assert bm.optimal_biological_dose(0.9, ed50=10.0, hill=2.0) == pytest.approx(30.0)  # 3 ED50
    assert bm.optimal_biological_dose(0.5, ed50=7.0, hill=3.3) == pytest.approx(7.0)    # ED50 itself
    assert MODEL.optimal_dose(0.8) == pytest.approx(80.0)                                 # 4 ED50


@pytest.mark.parametrize("e0, emax, ed50, hill", [(10, 80, 20, 1.0), (0, 1, 3, 2.5), (100, -60, 50, 0.7)])
@pytest.mark.parametrize("f", [0.5, 0.8, 0.9, 0.95])
def test_obd_closed_form_equals_the_numerical_inverse(e0, emax, ed50, hill, f):
    m = bm.BiomarkerModel(e0, emax, ed50, hill)
    root = brentq(lambda d: m.response(d) - (e0 + f * emax), 1e-9, 1e9, xtol=1e-12, rtol=1e-13)
    assert m.optimal_dose(f) == pytest.approx(root, rel=1e-9)
    # it is the lowest dose reaching the fraction: just below it the fraction is not reached
    below = m.optimal_dose(f) * (1 - 1e-6)
    assert abs(m.response(below) - e0) < f * abs(emax)


def test_obd_does_not_depend_on_e0_or_emax():
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
    with pytest.raises(ValueError, match="fraction must lie in"):
        MODEL.optimal_dose(1.0)
    with pytest.raises(TypeError, match="e0 must be a finite number"):
        bm.BiomarkerModel("zero", 1.0, 10.0)
    with pytest.raises(ValueError, match="dose must be >= 0"):
        MODEL.response([-1.0, 2.0])
    with pytest.raises(ValueError, match="ed50"):
        bm.optimal_biological_dose(0.9, ed50=0.0)


@settings(max_examples=50, deadline=None)
@given(f=st.floats(0.01, 0.99), ed50=st.floats(0.01, 1e4), hill=st.floats(0.2, 8.0))
def test_obd_rises_with_the_fraction_and_reaches_it(f, ed50, hill):
    d = bm.optimal_biological_dose(f, ed50, hill)
    assert d > 0 and bm.optimal_biological_dose(min(f + 0.005, 0.995), ed50, hill) > d
    m = bm.BiomarkerModel(0.0, 1.0, ed50, hill)
    assert m.response(d) == pytest.approx(f, rel=1e-9)


# --- estimation from a few doses ----------------------------------------------------------------------------

def test_simulation_is_unbiased_at_large_n():
    # n = 10 000 per dose, SD 10: the least-squares bias is O(sigma^2/n) and negligible; the Monte Carlo SE of
    # the mean over 4000 trials is sd(obd_hat)/sqrt(4000) (about 0.04 here), and we allow 4 SE.
    trials = 4000
    sim = bm.simulate_obd_estimation(MODEL, DOSES, 10_000, noise_sd=10.0, n_trials=trials, seed=3)
    se = sim.obd_hat.std(ddof=1) / np.sqrt(trials)
    assert abs(sim.obd_hat.mean() - sim.true_obd) < 4 * se
    assert sim.true_obd == pytest.approx(180.0)
    assert not sim.at_grid_edge.any()


def test_lognormal_noise_is_unbiased_on_the_log_scale_at_large_n():
    trials = 2000
    sim = bm.simulate_obd_estimation(MODEL, DOSES, 2000, noise_sd=0.2, noise="lognormal", n_trials=trials, seed=4)
    log_ratio = np.log(sim.obd_hat / sim.true_obd)
    assert abs(log_ratio.mean()) < 4 * log_ratio.std(ddof=1) / np.sqrt(trials) + 1e-3   # + O(sigma^2/n) bias
    assert sim.p_correct == 1.0


def test_inhibitory_biomarker_is_estimated_too():
    m = bm.BiomarkerModel(e0=100.0, emax=-90.0, ed50=15.0, hill=1.5)
    sim = bm.simulate_obd_estimation(m, DOSES, 10_000, noise_sd=5.0, n_trials=2000, seed=8)
    assert np.median(sim.obd_hat) == pytest.approx(m.optimal_dose(0.9), rel=0.01)


def test_more_patients_or_less_noise_choose_better():
    # Common random numbers (same seed): the share of right choices rises with n and falls with the SD.
    kw = dict(n_trials=3000, seed=2025)
    few = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, **kw)
    many = bm.simulate_obd_estimation(MODEL, DOSES, 12, noise_sd=10.0, **kw)
    noisy = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=20.0, **kw)
    assert noisy.p_correct < few.p_correct < many.p_correct
    spread = [np.subtract(*np.quantile(s.obd_hat, [0.9, 0.1])) for s in (noisy, few, many)]
    assert spread[0] > spread[1] > spread[2]
    for s in (few, many, noisy):
        assert s.p_too_low + s.p_correct + s.p_too_high == pytest.approx(1.0)


def test_chosen_dose_rule_and_candidates():
    # OBD 180 with candidates 10, 30, 100, 300: the lowest candidate reaching 90% of Emax is 300.
    sim = bm.simulate_obd_estimation(MODEL, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=500, seed=1)
    assert sim.true_choice == 300.0
    assert set(np.unique(sim.chosen)) <= {10.0, 30.0, 100.0, 300.0}
    cand = np.array([10.0, 30.0, 100.0, 300.0])
    reaching = np.where(cand[None, :] >= sim.obd_hat[:, None], cand[None, :], np.inf).min(axis=1)
    np.testing.assert_array_equal(sim.chosen, np.where(np.isinf(reaching), 300.0, reaching))
    with_180 = bm.simulate_obd_estimation(MODEL, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=10, seed=1,
                                          candidates=[60, 120, 180, 240])
    assert with_180.true_choice == 180.0           # the true OBD itself, within the 1e-9 tolerance


def test_estimating_the_hill_coefficient_on_a_grid():
    m = bm.BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0, hill=1.5)
    sim = bm.simulate_obd_estimation(m, DOSES, 10_000, noise_sd=5.0, n_trials=500, seed=6,
                                     hill_grid=[0.5, 1.0, 1.5, 2.0, 3.0])
    assert np.mean(sim.hill_hat == 1.5) > 0.95
    assert np.median(sim.obd_hat) == pytest.approx(m.optimal_dose(0.9), rel=0.01)


def test_simulation_is_seeded_and_vectorised():
    a = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=5)
    b = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=5)
    c = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=300, seed=6)
    np.testing.assert_array_equal(a.obd_hat, b.obd_hat)
    assert not np.array_equal(a.obd_hat, c.obd_hat)
    assert a.obd_hat.shape == (300,) and a.n_trials == 300


@pytest.mark.parametrize("lang", LANGS)
def test_summary_and_tradeoff_tables(lang):
    sim = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=400, seed=2)
    tab = sim.summary(lang)
    assert tab.shape == (8, 3)
    assert tab.iloc[4:7, 1].sum() == pytest.approx(1.0)                           # too low + right + too high
    p = sim.p_correct
    assert tab.iloc[5, 2] == pytest.approx(np.sqrt(p * (1 - p) / 400))
    trade = bm.obd_tradeoff_table(MODEL, DOSES, [3, 6], [5.0, 10.0], lang=lang, n_trials=200)
    assert trade.shape == (4, 8)
    assert trade.iloc[:, 0].tolist() == [3, 3, 6, 6]
    # Normal noise: only SD/sqrt(n) matters (common random numbers): n = 12 at SD 20 is n = 3 at SD 10.
    pair = bm.obd_tradeoff_table(MODEL, DOSES, [3, 12], [10.0, 20.0], lang=lang, n_trials=200)
    np.testing.assert_array_equal(pair.iloc[0, 2:].to_numpy(), pair.iloc[3, 2:].to_numpy())


@pytest.mark.parametrize("call, error, match", [
    (lambda: bm.simulate_obd_estimation({"ed50": 1}, DOSES, 3, noise_sd=1.0), TypeError,
     "model must be a BiomarkerModel"),
    (lambda: bm.simulate_obd_estimation(MODEL, [10, 10, 30], 3, noise_sd=1.0), ValueError, "at least 3 distinct"),
    (lambda: bm.simulate_obd_estimation(MODEL, [10, 20, 30], 3, noise_sd=1.0, hill_grid=[1, 2]), ValueError,
     "at least 4 distinct"),
    (lambda: bm.simulate_obd_estimation(MODEL, [0, 10, 30], 3, noise_sd=1.0), ValueError, "doses must be > 0"),
    (lambda: bm.simulate_obd_estimation(MODEL, [[10, 30, 100]], 3, noise_sd=1.0), ValueError, "doses must be a 1-D"),
    (lambda: bm.simulate_obd_estimation(MODEL, np.arange(1.0, 60.0), 3, noise_sd=1.0), ValueError,
     "doses may hold at most 50"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=0.0), ValueError, "noise_sd"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, noise="poisson"), ValueError,
     "noise must be one of"),
    (lambda: bm.simulate_obd_estimation(bm.BiomarkerModel(-5.0, 10.0, 20.0), DOSES, 3, noise_sd=0.1,
                                        noise="lognormal"), ValueError, "log-normal noise needs a positive biomarker"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, fraction=1.2), ValueError, "fraction"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 0, noise_sd=1.0), ValueError, "n_per_dose"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 10 ** 6, noise_sd=1.0), ValueError,
     "n_per_dose must be a whole number >= 1 and <= 10,000"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, hill_grid=[1.0, -1.0]), ValueError,
     "hill_grid"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, n_trials=0), ValueError, "n_trials"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, n_trials=10 ** 8), ValueError,
     "n_trials must be a whole number >= 1 and <= 10,000,000"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, n_trials=10 ** 7, grid_size=1000), ValueError,
     "n_trials x grid_size x len\\(hill_grid\\) may be at most 4,000,000,000"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 10_000, noise_sd=0.1, noise="lognormal", n_trials=10 ** 6),
     ValueError, "n_trials x len\\(doses\\) x n_per_dose may be at most"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, grid_size=2), ValueError, "grid_size"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, candidates=[]), ValueError,
     "candidates must not be empty"),
    (lambda: bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=1.0, seed=-3), ValueError, "seed"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [], [10.0]), ValueError, "n_per_dose"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [3, 0], [10.0]), ValueError, "n_per_dose"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [3], [10.0, -1.0]), ValueError, "noise_sd must be > 0"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [3, 6], [10.0], n_trials=6_000_000), ValueError,
     "at most 10,000,000 are accepted"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [3], [10.0], seed=np.random.default_rng(1)), TypeError, "seed"),
    (lambda: bm.obd_tradeoff_table(MODEL, DOSES, [3], [10.0], lang="fr"), ValueError, "lang must be one of"),
])
def test_bad_arguments_are_refused_with_a_message_naming_them(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_chunks_of_trials_draw_the_same_numbers_as_one_draw(monkeypatch):
    kw = dict(noise_sd=10.0, n_trials=700, seed=13)
    whole = bm.simulate_obd_estimation(MODEL, DOSES, 3, **kw)
    lognormal = bm.simulate_obd_estimation(MODEL, DOSES, 4, noise="lognormal", **{**kw, "noise_sd": 0.3})
    monkeypatch.setattr(bm, "_CHUNK", 400 * 3)     # 3 trials per chunk with the 400-point grid
    # Same random numbers; a matrix product of another shape may round differently in the last digit.
    chunked = bm.simulate_obd_estimation(MODEL, DOSES, 3, **kw)
    np.testing.assert_allclose(chunked.obd_hat, whole.obd_hat, rtol=1e-11)
    np.testing.assert_array_equal(chunked.chosen, whole.chosen)
    again = bm.simulate_obd_estimation(MODEL, DOSES, 4, noise="lognormal", **{**kw, "noise_sd": 0.3})
    np.testing.assert_allclose(again.obd_hat, lognormal.obd_hat, rtol=1e-11)
    np.testing.assert_array_equal(again.chosen, lognormal.chosen)


def test_seed_and_results_are_recorded_and_read_only():
    sim = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=50)
    assert sim.seed == _validate.DEFAULT_SEED and sim.n_trials == 50
    fresh = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=50, seed=None)
    again = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=50, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.obd_hat, again.obd_hat)
    with pytest.raises(ValueError, match="read-only"):
        sim.chosen[0] = 10.0


def test_results_validate_what_a_user_builds():
    sim = bm.simulate_obd_estimation(MODEL, DOSES, 3, noise_sd=10.0, n_trials=20, seed=1)
    fields = ("model", "doses", "n_per_dose", "fraction", "noise", "noise_sd", "true_obd", "ed50_hat", "hill_hat",
              "obd_hat", "at_grid_edge", "candidates", "true_choice", "chosen", "seed")
    kw = {f: getattr(sim, f) for f in fields}
    assert bm.OBDSimulation(**kw).p_correct == sim.p_correct
    for bad, error, match in (({"chosen": np.full(20, 77.0)}, ValueError, "chosen must be one of"),
                              ({"true_choice": 50.0}, ValueError, "true_choice must be one of"),
                              ({"hill_hat": sim.hill_hat[:5]}, ValueError, "one value per simulated trial"),
                              ({"at_grid_edge": sim.at_grid_edge.astype(float)}, ValueError, "at_grid_edge dtype"),
                              ({"noise": "poisson"}, ValueError, "noise must be one of"),
                              ({"model": None}, TypeError, "model must be a BiomarkerModel")):
        with pytest.raises(error, match=match):
            bm.OBDSimulation(**{**kw, **bad})


def test_regions_of_the_estimate():
    # Candidates 10, 30, 100, 300, 1000 with true choice 300: estimates <= 100 too low, (100, 300] right, above high.
    sim = bm.simulate_obd_estimation(MODEL, [10, 30, 100, 300, 1000], 3, noise_sd=10.0, n_trials=300, seed=3)
    regions = sim.regions()
    assert regions == {"low": (0.0, 100.0), "right": (100.0, 300.0), "high": (300.0, np.inf)}
    inside = {key: np.mean((sim.obd_hat > a * (1 - 1e-9)) & (sim.obd_hat <= b * (1 - 1e-9)))
              for key, (a, b) in regions.items()}
    assert inside["low"] == pytest.approx(sim.p_too_low) and inside["right"] == pytest.approx(sim.p_correct)
    top = bm.simulate_obd_estimation(MODEL, [10, 30, 100, 150], 3, noise_sd=10.0, n_trials=20)
    assert top.true_choice == 150.0 and top.regions()["high"] == (np.inf, np.inf)


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
