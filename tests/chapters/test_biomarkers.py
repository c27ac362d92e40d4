"""Chapter "Biomarkers as trial elements": every glued number against a hand calculation or an independent
re-analysis, the figures and the widget.

Sources of the expected numbers:
* Closed form of the sigmoid Emax model (Holford & Sheiner, Clin Pharmacokinet 1981;6:429):
  D_f = ED50 (f/(1-f))^(1/n), so ED90 = 9 x 20 = 180 mg for Hill 1 and 3 x 20 = 60 mg for Hill 2, and
  ED95 = 19 x 20 = 380 mg; E(D) = 100 D/(20 + D) gives 83.33% at 100 mg, 93.75% at 300 mg and 98.04% at 1000 mg.
* The shares of chosen doses are checked against an independent re-analysis below: brute-force least squares of
  every simulated trial's individual values (not dose means) over a fine ED50 grid, with fresh random numbers.
"""

import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse.biomarkers import BiomarkerModel, simulate_obd_estimation
from dosecourse.chapters import biomarkers as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()


def test_closed_form_numbers_by_hand():
    # ED90 = 20 x 0.9/0.1 = 180 mg (Hill 1); 20 x sqrt(9) = 60 mg (Hill 2); ED95 = 20 x 19 = 380 mg.
    assert N["bm_ed50"] == 20.0
    assert N["bm_obd"] == pytest.approx(180.0, abs=1e-9) and N["bm_obd_ratio"] == pytest.approx(9.0, abs=1e-12)
    assert N["bm_obd_steep"] == pytest.approx(60.0, abs=1e-9) and N["bm_obd_steep_ratio"] == pytest.approx(3.0)
    assert N["bm_ex1_steep_obd"] == N["bm_obd_steep"]
    assert N["bm_ex1_ed95"] == pytest.approx(380.0, abs=1e-9)
    # E(D) = 100 D / (20 + D): 100 -> 83.33%, 300 -> 93.75%, 1000 -> 98.04%; 300 -> 1000 mg adds 4.29 points.
    assert N["bm_inh_100"] == pytest.approx(250 / 3, abs=1e-9) and N["bm_inh_300"] == pytest.approx(93.75, abs=1e-9)
    assert N["bm_inh_1000"] == pytest.approx(100000 / 1020, abs=1e-9)
    assert N["bm_gain_300_1000"] == pytest.approx(4.2892, abs=1e-4)


def test_simulation_settings_and_exact_identities():
    small, large = chapter.simulate(3), chapter.simulate(12)
    assert (N["bm_n_small"], N["bm_n_large"], N["bm_sd"], N["bm_trials"], N["bm_seed"]) == (3, 12, 20.0, 2000, 2025)
    assert small.true_choice == 300.0 and small.true_obd == pytest.approx(180.0, abs=1e-9)
    assert tuple(small.candidates) == chapter.DOSE_LEVELS
    for sim in (small, large):
        assert sim.p_too_low + sim.p_correct + sim.p_too_high == pytest.approx(1.0, abs=1e-12)
    # Common random numbers: dose means are N(E, SD^2/n), so 12 patients at SD 20 equal 3 patients at SD 10.
    assert np.array_equal(large.chosen, chapter.simulate(3, 10.0).chosen)
    assert N["bm_ex2_right"] == N["bm_right_12"]
    # SD of a dose mean: 20/sqrt(12) = 10/sqrt(3) = 5.774.
    assert N["bm_ex2_se"] == pytest.approx(10 / 3 ** 0.5, abs=1e-12)
    assert N["bm_ratio_right"] == pytest.approx(N["bm_right_12"] / N["bm_right_3"], rel=1e-12)


def test_seeded_values():
    # Seed 2025, 2000 trials: the values the prose shows.
    assert [round(N[k], 2) for k in ("bm_low_3", "bm_right_3", "bm_high_3", "bm_edge_3")] == [34.65, 32.8, 32.55, 11.7]
    assert [round(N[k], 2) for k in ("bm_low_12", "bm_right_12", "bm_high_12")] == [20.75, 60.1, 19.15]
    assert (round(N["bm_ex2_high_right"], 2), round(N["bm_ex2_high_edge"], 2)) == (3.1, 64.3)
    # The independent re-analysis below (brute-force least squares on individual values, fresh trials) gives about
    # 33% / 32% / 36% with 3 per dose and 19% / 62% / 19% with 12 per dose.
    for keys, ref in ((("bm_low_3", "bm_right_3", "bm_high_3"), (33, 32, 36)),
                      (("bm_low_12", "bm_right_12", "bm_high_12"), (19, 62, 19))):
        for key, want in zip(keys, ref):
            assert abs(N[key] - want) < 6, (key, N[key], want)


def _independent_shares(n: int, sd: float, trials: int, seed: int) -> tuple[float, float, float]:
    """Shares too low / right / too high by brute-force least squares on individual values."""
    rng = np.random.default_rng(seed)
    cand = np.array(chapter.DOSE_LEVELS)
    x = np.repeat(cand, n)
    log_ed50 = np.linspace(np.log(0.1), np.log(1e5), 1500)
    h = x[None, :] / (np.exp(log_ed50)[:, None] + x[None, :])          # (G, N)
    hc = h - h.mean(axis=1, keepdims=True)
    hh = (hc ** 2).sum(axis=1)
    chosen = np.empty(trials)
    for i in range(trials):
        y = np.asarray(chapter.DEFAULT_MODEL.response(x)) + sd * rng.standard_normal(x.size)
        cov = hc @ (y - y.mean())
        # RSS = sum (y - ybar)^2 - cov^2/hh; restrict to a positive Emax (slope cov/hh > 0).
        gain = np.where(cov > 0, cov ** 2 / hh, -np.inf)
        obd = 9 * np.exp(log_ed50[np.argmax(gain)]) if np.isfinite(gain.max()) else np.inf
        chosen[i] = cand[min(np.searchsorted(cand, obd), cand.size - 1)]
    return float(np.mean(chosen < 300)), float(np.mean(chosen == 300)), float(np.mean(chosen > 300))


@pytest.mark.parametrize("n, prose", [(3, ("bm_low_3", "bm_right_3", "bm_high_3")),
                                      (12, ("bm_low_12", "bm_right_12", "bm_high_12"))])
def test_shares_agree_with_an_independent_reanalysis(n, prose):
    ref = _independent_shares(n, chapter.DEFAULT_NOISE_SD, trials=600, seed=99)
    # Monte Carlo SE of the difference <= sqrt(0.25/2000 + 0.25/600) = 0.023; allow about 3.5 SE.  The re-analysis
    # gives about 33% / 32% / 36% with 3 per dose and 19% / 62% / 19% with 12 per dose.
    for key, want in zip(prose, ref):
        assert abs(N[key] / 100 - want) < 0.08, (n, key, N[key], want)


def test_more_patients_choose_right_more_often_and_the_plateau_alone_misleads():
    small, large = chapter.simulate(3), chapter.simulate(12)
    assert large.p_correct > small.p_correct + 0.2
    assert large.p_too_low < small.p_too_low and large.p_too_high < small.p_too_high
    # Sampling only 100, 300, 1000 mg (all above 80% inhibition) leaves the plateau's start unlocated.
    assert N["bm_ex2_high_right"] < 10 and N["bm_ex2_high_edge"] > 50
    low = chapter.simulate(6, dose_set="low")
    assert tuple(np.unique(low.doses)) == (10.0, 30.0, 100.0) and low.true_choice == 300.0


def test_simulate_is_cached_and_checks_its_arguments():
    assert chapter.simulate(3) is chapter.simulate(3, 20.0, "all")
    with pytest.raises(ValueError, match="dose_set must be one of"):
        chapter.simulate(3, dose_set="middle")
    with pytest.raises(ValueError, match="n_per_dose"):
        chapter.simulate(0)
    with pytest.raises(TypeError, match="seed"):
        chapter.simulate(3, seed=1.5)


@pytest.mark.parametrize("lang", LANGS)
def test_dose_response_figure(lang):
    fig = chapter.dose_response_figure(lang=lang)
    fig.canvas.draw()
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any("180" in s for s in texts) and any("60" in s for s in texts)
    assert fig.axes[0].get_title(loc="left") == t("bmv_dr_title", lang)
    plt.close(fig)


def test_dose_response_figure_inhibitory_and_bad_input():
    fig = chapter.dose_response_figure(BiomarkerModel(e0=100.0, emax=-80.0, ed50=5.0), doses=(1, 3, 10),
                                       compare_hill=None)
    assert len(fig.axes[0].get_lines()) >= 4
    plt.close(fig)
    with pytest.raises(TypeError, match="model must be a BiomarkerModel"):
        chapter.dose_response_figure(model={"ed50": 20})
    with pytest.raises(ValueError, match="doses must be > 0"):
        chapter.dose_response_figure(doses=(0, 10))


@pytest.mark.parametrize("lang", LANGS)
def test_estimate_figure_panels_and_shares(lang):
    sims = [chapter.simulate(3), chapter.simulate(12)]
    fig = chapter.estimate_figure(sims, lang)
    fig.canvas.draw()
    assert len(fig.axes) == 2
    texts = [x.get_text() for x in fig.axes[1].texts]
    assert t("bmv_region_right", lang, pct=f"{100 * sims[1].p_correct:.1f}") in texts
    assert "2025" in fig.get_suptitle()
    plt.close(fig)


def test_estimate_figure_top_choice_and_errors():
    # When the true choice is the highest candidate, nothing can be too high: two regions only.
    sim = simulate_obd_estimation(BiomarkerModel(0.0, 100.0, 50.0), [10, 30, 100, 300], 3, noise_sd=10.0,
                                  n_trials=200)
    assert sim.true_choice == 300.0
    fig = chapter.estimate_figure(sim, "en")
    assert len(fig.axes[0].texts) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="number of simulations"):
        chapter.estimate_figure([])
    with pytest.raises(TypeError, match="OBDSimulation"):
        chapter.estimate_figure([object()])


def test_widget_fits_the_site_budget_and_shows_the_prose_settings():
    w = chapter.widget
    assert w.n_states == 96 and w.n_states <= widgets.MAX_STATES
    assert [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts if p.alt] == [48]
    # Exercise 2 and the "try three things" paragraph: 12 per dose, SD 20 and 10, the three highest doses.
    w("en", n_per_dose=12, noise_sd=10.0, dose_set="high")
    assert w.defaults == {"n_per_dose": 3, "noise_sd": 20.0, "dose_set": "all"}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_outputs_follow_the_controls(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    assert "34.6" in text and "32.8" in text and "2025" in text
    assert "60.1" in w.render(0, lang, {**w.defaults, "n_per_dose": 12})
    # n = 12, SD 10 is n = 3, SD 5: a more precise design than 12 at SD 20.
    assert "60.1" not in w.render(0, lang, {**w.defaults, "n_per_dose": 12, "noise_sd": 10.0})
    alt = w.alt_text(1, lang, {**w.defaults, "n_per_dose": 12})
    assert "60.1" in alt and "180" in alt
    fig = w.render(1, lang, {**w.defaults, "dose_set": "high", "n_per_dose": 24})
    fig.canvas.draw()
    plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="biomarkers"' in html
    assert "34.6" in html


def test_real_plateau_pembrolizumab_published_values():
    # Elassaiss-Schaap et al., CPT Pharmacometrics Syst Pharmacol 2017;6:21 (PMC5270295), abstract: target
    # engagement saturates from 1 mg/kg Q3W; 2 mg/kg Q3W gives 95% at steady state.  Turner et al., Clin Cancer Res
    # 2018;24:5841, abstract: OS hazard ratio per dose 0.98 (95% CI 0.94-1.02) in melanoma, 2 to 10 mg/kg Q3W.
    n = chapter.numbers()
    assert (n["bm_pem_saturation"], n["bm_pem_dose95"], n["bm_pem_te95"]) == (1.0, 2.0, 95.0)
    assert n["bm_pem_fold"] == 10.0 / 2.0 == n["bm_pem_hi_dose"] / n["bm_pem_dose95"]
    assert (n["bm_pem_hr"], n["bm_pem_hr_lo"], n["bm_pem_hr_hi"]) == (0.98, 0.94, 1.02)
