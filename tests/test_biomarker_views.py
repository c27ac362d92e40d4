"""Tests of dosecourse.biomarker_views: the chapter's example, its figures and the widget.

Sources of the expected numbers:
* Closed form of the sigmoid Emax model (Holford & Sheiner, Clin Pharmacokinet 1981;6:429):
  D_f = ED50 (f/(1-f))^(1/n), so ED90 = 9 x 20 = 180 mg for Hill 1 and 3 x 20 = 60 mg for Hill 2; E(D) = 100 D/(20 + D)
  gives 83.33% at 100 mg, 93.75% at 300 mg and 98.04% at 1000 mg.
* The shares of chosen doses are checked against an independent re-analysis below: brute-force least squares of
  every simulated trial's individual values (not dose means) over a fine ED50 grid, with fresh random numbers.
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import biomarker_views as v
from dosecourse.biomarkers import BiomarkerModel, simulate_bod_estimation
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_example_closed_form_by_hand():
    m = v.DEFAULT_MODEL
    assert m.optimal_dose(0.9) == pytest.approx(180.0)
    assert BiomarkerModel(0.0, 100.0, 20.0, 2.0).optimal_dose(0.9) == pytest.approx(60.0)
    assert m.response(np.array([100.0, 300.0, 1000.0])) == pytest.approx([250 / 3, 93.75, 100000 / 1020])


def test_simulate_uses_the_escalation_doses_as_candidates():
    sim = v.simulate(3)
    assert sim.n_trials == v.N_TRIALS and sim.true_choice == 300.0
    assert tuple(sim.candidates) == v.DOSE_LEVELS
    assert sim.p_too_low + sim.p_correct + sim.p_too_high == pytest.approx(1.0)
    low = v.simulate(6, dose_set="low")
    assert tuple(np.unique(low.doses)) == (10.0, 30.0, 100.0) and low.true_choice == 300.0
    with pytest.raises(ValueError, match="dose_set must be one of"):
        v.simulate(3, dose_set="middle")


def test_only_sd_over_root_n_matters_for_normal_noise():
    # Dose means are N(E, sd^2/n): n = 12 with SD 20 and n = 3 with SD 10 are the same design (same seed).
    a, b = v.simulate(12, 20.0), v.simulate(3, 10.0)
    assert np.array_equal(a.chosen, b.chosen)


def _independent_shares(n: int, sd: float, trials: int, seed: int) -> tuple[float, float, float]:
    """Shares too low / right / too high by brute-force least squares on individual values."""
    rng = np.random.default_rng(seed)
    cand = np.array(v.DOSE_LEVELS)
    x = np.repeat(cand, n)
    log_ed50 = np.linspace(np.log(0.1), np.log(1e5), 1500)
    h = x[None, :] / (np.exp(log_ed50)[:, None] + x[None, :])          # (G, N)
    hc = h - h.mean(axis=1, keepdims=True)
    hh = (hc ** 2).sum(axis=1)
    chosen = np.empty(trials)
    for i in range(trials):
        y = np.asarray(v.DEFAULT_MODEL.response(x)) + sd * rng.standard_normal(x.size)
        cov = hc @ (y - y.mean())
        # RSS = sum (y - ybar)^2 - cov^2/hh; restrict to a positive Emax (slope cov/hh > 0).
        gain = np.where(cov > 0, cov ** 2 / hh, -np.inf)
        bod = 9 * np.exp(log_ed50[np.argmax(gain)]) if np.isfinite(gain.max()) else np.inf
        chosen[i] = cand[min(np.searchsorted(cand, bod), cand.size - 1)]
    return float(np.mean(chosen < 300)), float(np.mean(chosen == 300)), float(np.mean(chosen > 300))


@pytest.mark.parametrize("n", [3, 12])
def test_shares_agree_with_an_independent_reanalysis(n):
    sim = v.simulate(n)
    ref = _independent_shares(n, v.DEFAULT_NOISE_SD, trials=600, seed=99)
    # Monte Carlo SE of the difference <= sqrt(0.25/2000 + 0.25/600) = 0.023; allow about 3.5 SE.
    for got, want in zip((sim.p_too_low, sim.p_correct, sim.p_too_high), ref):
        assert abs(got - want) < 0.08, (n, got, want)


def test_more_patients_choose_right_more_often():
    small, large = v.simulate(3), v.simulate(12)
    assert large.p_correct > small.p_correct + 0.2
    assert large.p_too_low < small.p_too_low and large.p_too_high < small.p_too_high


@pytest.mark.parametrize("lang", LANGS)
def test_dose_response_figure_draws_without_warnings(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.dose_response_figure(lang=lang)
        fig.canvas.draw()
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any("180" in s for s in texts) and any("60" in s for s in texts)
    assert fig.axes[0].get_title(loc="left") == t("bmv_dr_title", lang)
    plt.close(fig)


def test_dose_response_figure_inhibitory_and_bad_input():
    fig = v.dose_response_figure(BiomarkerModel(e0=100.0, emax=-80.0, ed50=5.0), doses=(1, 3, 10), compare_hill=None)
    assert len(fig.axes[0].get_lines()) >= 4
    plt.close(fig)
    with pytest.raises(TypeError, match="BiomarkerModel"):
        v.dose_response_figure(model={"ed50": 20})
    with pytest.raises(ValueError, match="positive doses"):
        v.dose_response_figure(doses=(0, 10))


@pytest.mark.parametrize("lang", LANGS)
def test_estimate_figure_panels_and_shares(lang):
    sims = [v.simulate(3), v.simulate(12)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.estimate_figure(sims, lang)
        fig.canvas.draw()
    assert len(fig.axes) == 2
    texts = [x.get_text() for x in fig.axes[1].texts]
    assert t("bmv_region_right", lang, pct=f"{100 * sims[1].p_correct:.1f}") in texts
    plt.close(fig)


def test_estimate_figure_top_choice_and_errors():
    # When the true choice is the highest candidate, nothing can be too high: two regions only.
    m = BiomarkerModel(0.0, 100.0, 50.0)
    sim = simulate_bod_estimation(m, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=200)
    assert sim.true_choice == 300.0
    fig = v.estimate_figure(sim, "en", seed=2025)
    assert len(fig.axes[0].texts) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="at least one"):
        v.estimate_figure([])
    with pytest.raises(TypeError, match="BODSimulation"):
        v.estimate_figure([object()])


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang)
    n, sd, doses, text, _out = box.children
    assert "34.6" in text.value and "32.8" in text.value
    n.value = 12
    assert "60.1" in text.value
    sd.value = 10.0   # n = 12, SD 10 is n = 3, SD 5: a precise design
    assert "60.1" not in text.value
    doses.value = "high"
    assert text.value
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("bmv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
