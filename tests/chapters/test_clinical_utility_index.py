"""Chapter "The clinical utility index": every glued number against a hand calculation or an independent check.

Sources: hand calculation from the chapter's definitions.
* Desirabilities (base_desirabilities): response d_E = (x - 0.10) / 0.40, DLT d_T = (0.40 - y) / 0.35, clipped.
* Curves (CURVES): p_E(d) = 0.6 (d/50)^1.5 / (1 + (d/50)^1.5), p_T(d) = 1 / (1 + (300/d)^2.5).
* Observed data (EXAMPLE_DATA, invented): 50 mg 2/6 responses 0/6 DLT; 100 mg 6/15, 1/15; 200 mg 8/15, 4/15.
* Weight breakpoints: equate the lines CUI_j(w) = d_Tj + w (d_Ej - d_Tj) of two doses.
* BOIN12 utilities (100, 40, 60, 0): Lin et al., JCO Precis Oncol 2020;4:1393 (doi:10.1200/PO.20.00257).
* Posterior probabilities: an independent Monte Carlo with our own Beta draws and another seed.
* Real case: DESTINY-Lung02 (Goto et al., J Clin Oncol 2023;41:4852, doi:10.1200/JCO.23.01361, PMID 37694347):
  ORR 49.0% of 102 and 56.0% of 50; drug-related ILD 12.9% of 101 and 28.0% of 50 (as reported).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import utility as u
from dosecourse.chapters import clinical_utility_index as chapter
from dosecourse.i18n import t

N = chapter.numbers()
PE100, PT100 = 0.6 * 2**1.5 / (1 + 2**1.5), 1 / (1 + 3**2.5)


def test_base_case_and_desirability_anchors():
    assert (N["cui_w_eff"], N["cui_w_tox"]) == (0.6, 0.4)
    d = chapter.base_desirabilities()
    assert d["efficacy"]([0.05, 0.10, 0.50, 0.60]).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert d["toxicity"]([0.0, 0.05, 0.40, 0.7]).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert float(d["toxicity"](0.225)) == pytest.approx(0.5)


def test_curve_numbers_by_hand():
    # 100 mg: p_E = 0.6 x 2^1.5 / (1 + 2^1.5) = 0.4433; p_T = 1 / (1 + 3^2.5) = 0.0603;
    # CUI = 0.6 (p_E - 0.1) / 0.4 + 0.4 (0.4 - p_T) / 0.35 = 0.5149 + 0.3882 = 0.9032.
    assert N["cui_curve_pe_100"] == pytest.approx(PE100, abs=1e-12)
    assert N["cui_curve_pt_100"] == pytest.approx(PT100, abs=1e-12)
    assert N["cui_curve_cui_100"] == pytest.approx(0.6 * (PE100 - 0.1) / 0.4 + 0.4 * (0.4 - PT100) / 0.35, abs=1e-12)
    # 400 mg: p_E = 0.6 x 8^1.5 / (1 + 8^1.5) = 0.575 > 0.5 (d_E = 1); p_T = 1 / (1 + 0.75^2.5) = 0.672 > 0.4
    # (d_T = 0): the CUI is exactly the efficacy weight.
    assert N["cui_curve_pe_400"] == pytest.approx(0.6 * 8**1.5 / (1 + 8**1.5), abs=1e-12)
    assert N["cui_curve_pt_400"] == pytest.approx(1 / (1 + 0.75**2.5), abs=1e-12)
    assert N["cui_curve_pe_400"] > 0.5 and N["cui_curve_pt_400"] > 0.4
    assert N["cui_curve_cui_400"] == pytest.approx(0.6, abs=1e-12)
    # 200 mg: p_E = 0.6 x 4^1.5 / 9 = 8/15, d_E = 1; p_T = 1 / (1 + 1.5^2.5); CUI = 0.6 + 0.4 (0.4 - p_T) / 0.35
    assert N["cui_curve_cui_200"] == pytest.approx(0.6 + 0.4 * (0.4 - 1 / (1 + 1.5**2.5)) / 0.35, abs=1e-12)
    assert N["cui_curve_best"] == 100 and isinstance(N["cui_curve_best"], int)
    on_curves = u.cui({"efficacy": chapter.CURVES.p_efficacy(), "toxicity": chapter.CURVES.p_toxicity()},
                      dict(chapter.BASE_WEIGHTS), chapter.base_desirabilities(), doses=chapter.DOSES_MG)
    assert not on_curves.best.tied


def test_observed_numbers_by_hand():
    assert N["cui_obs_n_total"] == 45 and N["cui_obs_best"] == 100
    # 50 mg: 2/6 responses, 0/6 DLT: 0.6 x 7/12 + 0.4 x 1 = 0.75.
    # 100 mg: 6/15, 1/15: 0.6 x 0.75 + 0.4 x 20/21 = 0.8310.  200 mg: 8/15, 4/15: 0.6 x 1 + 0.4 x 8/21 = 0.7524.
    assert [N["cui_obs_cui_50"], N["cui_obs_cui_100"], N["cui_obs_cui_200"]] == pytest.approx(
        [0.75, 0.45 + 8 / 21, 0.6 + 3.2 / 21], abs=1e-12)
    assert chapter.observed_rates()["toxicity"].tolist() == pytest.approx([0, 0, 1 / 15, 4 / 15, 0.5])


def test_probability_best_against_an_independent_monte_carlo():
    # Beta(1 + x, 1 + n - x) posteriors, 10,000 draws, seed 2025 in the chapter; our own 20,000 draws with seed 7:
    # Monte Carlo SE <= 0.005 for each probability, so they agree within 0.02.
    assert (N["cui_n_draws"], N["cui_seed"]) == (10_000, 2025)
    data = chapter.EXAMPLE_DATA
    rng = np.random.default_rng(7)
    n_, x_, y_ = (np.asarray(data[k]) for k in ("n", "responses", "dlts"))
    pe_ = rng.beta(1 + x_, 1 + n_ - x_, size=(20_000, 5))
    pt_ = rng.beta(1 + y_, 1 + n_ - y_, size=(20_000, 5))
    cui_ = 0.6 * np.clip((pe_ - 0.1) / 0.4, 0, 1) + 0.4 * np.clip((0.4 - pt_) / 0.35, 0, 1)
    share_ = cui_ >= cui_.max(axis=1, keepdims=True) - 1e-9
    share_ = (share_ / share_.sum(axis=1, keepdims=True)).mean(axis=0)
    assert abs(share_[1] - N["cui_pbest_50"]) < 0.02 and abs(share_[2] - N["cui_pbest_100"]) < 0.02
    assert abs(share_[3] - N["cui_pbest_200"]) < 0.02
    assert 0.38 < N["cui_pbest_100"] < 0.47 and 0.26 < N["cui_pbest_50"] < 0.35
    # 95% posterior interval of the CUI of 100 mg, from the same independent draws
    assert N["cui_ci_100_lo"] == pytest.approx(np.quantile(cui_[:, 2], 0.025), abs=0.02)
    assert N["cui_ci_100_hi"] == pytest.approx(1.0, abs=1e-9)  # d_E and d_T both saturate in > 2.5% of draws


def test_weight_breakpoints_by_hand():
    # 50 vs 100 mg: w 7/12 + (1 - w) = w 3/4 + (1 - w) 20/21 gives w = 2/9;
    # 100 vs 200 mg: w 3/4 + (1 - w) 20/21 = w + (1 - w) 8/21 gives w = 16/23.
    assert N["cui_flip_low"] == pytest.approx(2 / 9, abs=1e-12)
    assert N["cui_flip_high"] == pytest.approx(16 / 23, abs=1e-12)
    assert N["cui_flip_margin"] == pytest.approx(16 / 23 - 0.6, abs=1e-12)
    flips = u.weight_breakpoints(chapter.observed_rates(), chapter.base_desirabilities(), doses=chapter.DOSES_MG)
    assert [iv[2] for iv in flips.intervals] == [50, 100, 200]


def test_boin12_numbers_by_hand():
    # utilities (100, 40, 60, 0): w_E = (100 - 40) / 100 = 0.6, w_T = (40 - 0) / 100 = 0.4,
    # interaction (40 + 60 - 100 - 0) / 100 = 0.
    assert (N["cui_boin12_w_eff"], N["cui_boin12_w_tox"], N["cui_boin12_interaction"]) == (0.6, 0.4, 0.0)
    # 100 mg: 0.6 x 0.4433 + 0.4 x (1 - 0.0603) = 0.6419; the rescaled mean utility equals the CUI at every dose
    assert N["cui_boin12_cui_100"] == pytest.approx(0.6 * PE100 + 0.4 * (1 - PT100), abs=1e-12)
    p_e, p_t = chapter.CURVES.p_efficacy(), chapter.CURVES.p_toxicity()
    assert N["cui_boin12_cui_200"] == pytest.approx(u.expected_utility(p_e[3], p_t[3]) / 100, abs=1e-12)
    assert N["cui_boin12_best"] == 100
    from dosecourse.escalation import BOIN12

    table = BOIN12(0.35, 0.25, 5).utility_table()
    assert sorted(table.to_numpy().ravel().tolist()) == [0, 40, 60, 100]


def test_widget_default_numbers_by_hand():
    # 15 patients per dose; expected responses 15 x (0.155, 0.300, 0.443, 0.533, 0.575) -> 2, 5, 7, 8, 9 (halves round
    # up); expected DLTs 15 x (0.002, 0.011, 0.060, 0.266, 0.672) -> 0, 0, 1, 4, 10.  4000 draws, seed 2025.
    default = chapter.scenario()
    assert (N["cui_widget_n"], N["cui_widget_draws"]) == (15, 4000)
    assert default.responses.tolist() == [2, 5, 7, 8, 9] and default.dlts.tolist() == [0, 0, 1, 4, 10]
    assert default.prob_best.most_likely == 100 and 0.5 < N["cui_widget_pbest_100"] < 0.65
    assert default.prob_best.seed == 2025


def test_exercise_numbers_by_hand():
    # w = 0.4: 100 mg 0.4 x 0.75 + 0.6 x 20/21 = 0.8714; 50 mg 0.4 x 7/12 + 0.6 = 0.8333.
    # w = 0.75: 200 mg 0.75 + 0.25 x 8/21 = 0.8452; 100 mg 0.5625 + 0.25 x 20/21 = 0.8006.
    assert [N["cui_ex1_cui100_w40"], N["cui_ex1_cui50_w40"]] == pytest.approx([0.3 + 12 / 21, 0.4 * 7 / 12 + 0.6],
                                                                               abs=1e-12)
    assert [N["cui_ex1_cui200_w75"], N["cui_ex1_cui100_w75"]] == pytest.approx([0.75 + 2 / 21, 0.5625 + 5 / 21],
                                                                                abs=1e-12)
    assert N["cui_ex1_cui100_w40"] > N["cui_ex1_cui50_w40"] and N["cui_ex1_cui200_w75"] > N["cui_ex1_cui100_w75"]
    # 50 mg with 5/21 responses: d_E = (5/21 - 0.1) / 0.4 = 29/84, CUI = 0.6 x 29/84 + 0.4 = 0.6071.
    assert N["cui_ex2_cui50"] == pytest.approx(0.6 * 29 / 84 + 0.4, abs=1e-12)
    assert N["cui_ex2_pbest_50"] < N["cui_pbest_50"] and N["cui_ex2_pbest_100"] > N["cui_pbest_100"]
    # (40 + 80 - 100 - 0) / 100 = 0.2; weights still (100 - 40)/100 = 0.6 and 40/100 = 0.4.
    ex3 = u.boin12_utility_as_cui(chapter.EX3_UTILITIES)
    assert N["cui_ex3_interaction"] == pytest.approx(0.2, abs=1e-12) and ex3.weights == {"efficacy": 0.6,
                                                                                         "toxicity": 0.4}
    assert not ex3.additive and abs(N["cui_ex3_u100"] - N["cui_ex3_u200"]) < 1.0


def test_scenario_follows_the_weight_flip_on_the_curves():
    # On the curves the 100 -> 200 mg flip is at w = 0.806 (weight_breakpoints); w = 0.9 chooses 200 mg.
    wb = u.weight_breakpoints({"efficacy": chapter.CURVES.p_efficacy(), "toxicity": chapter.CURVES.p_toxicity()},
                              chapter.base_desirabilities(), doses=chapter.DOSES_MG)
    assert wb.breakpoints[-1] == pytest.approx(0.806, abs=1e-3)
    assert chapter.scenario(w_efficacy=0.9).result.best.dose == 200
    assert chapter.scenario(w_efficacy=0.8).result.best.dose == 100
    sc = chapter.scenario(n_per_dose=60)
    assert sc.prob_best.probability[2] > chapter.scenario().prob_best.probability[2]


@pytest.mark.parametrize("make, error, name", [
    (lambda: chapter.CurveScenario(emax=1.2, ed50=50, hill=1.5, td50=300, tox_slope=2.5), ValueError, "emax"),
    (lambda: chapter.CurveScenario(emax=0.6, ed50=-1, hill=1.5, td50=300, tox_slope=2.5), ValueError, "ed50"),
    (lambda: chapter.CurveScenario(emax=0.6, ed50=50, hill="x", td50=300, tox_slope=2.5), TypeError, "hill"),
    (lambda: chapter.scenario(w_efficacy=1.2), ValueError, "w_efficacy"),
    (lambda: chapter.scenario(n_per_dose=0), ValueError, "n_per_dose"),
    (lambda: chapter.scenario(n_draws=10**9), ValueError, "n_draws"),
    (lambda: chapter.scenario(curves=None), TypeError, "curves"),
    (lambda: chapter.scenario(doses=[25, 25, 50, 100, 200]), ValueError, "doses"),
    (lambda: chapter.observed_rates({"n": [3, 0], "responses": [1, 0], "dlts": [0, 0]}), ValueError,
     "at least one patient"),
    (lambda: chapter.observed_rates({"n": [3], "responses": [4], "dlts": [0]}), ValueError, "responses"),
    (lambda: chapter.observed_rates({"n": [3]}), ValueError, "data must give"),
    (lambda: chapter.data_table(doses=[25, 50]), ValueError, "doses"),
    (lambda: chapter.weight_figure(chapter.observed_rates(), chapter.base_desirabilities(), reference=1.5),
     ValueError, "reference"),
    (lambda: chapter.cui_figure({"a": 1}), TypeError, "result"),
    (lambda: chapter.summary_text("scenario"), TypeError, "sc"),
])
def test_bad_input_is_refused_with_a_clear_message(make, error, name):
    with pytest.raises(error, match=name):
        make()
    plt.close("all")


def test_cui_figure_checks_that_the_doses_agree():
    res = u.cui({"efficacy": [0.2, 0.4, 0.5], "toxicity": [0.05, 0.15, 0.35]}, {"efficacy": 0.5, "toxicity": 0.5},
                {"efficacy": u.linear_desirability(0, 0.5), "toxicity": u.linear_desirability(0.5, 0)})
    pb2 = u.probability_best([3, 3], [1, 1], [0, 0], {"efficacy": 0.6, "toxicity": 0.4}, n_draws=100)
    with pytest.raises(ValueError, match="prob_best has 2 doses"):
        chapter.cui_figure(res, pb2)


@pytest.mark.parametrize("lang", ["en", "zh-tw"])
def test_tables_and_figures_in_both_languages(lang):
    tab = chapter.data_table(lang=lang)
    assert tab.columns[1] == t("cuiv_col_n", lang)
    assert tab[t("cuiv_col_dlt_rate", lang)].round(4).tolist() == [0.0, 0.0, 0.0667, 0.2667, 0.5]
    d = chapter.EXAMPLE_DATA
    pb = u.probability_best(d["n"], d["responses"], d["dlts"], chapter.BASE_WEIGHTS, chapter.base_desirabilities(),
                            n_draws=500, seed=1, doses=chapter.DOSES_MG)
    res = u.cui(chapter.observed_rates(), chapter.BASE_WEIGHTS, chapter.base_desirabilities(),
                doses=chapter.DOSES_MG)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [chapter.curves_figure(lang=lang), chapter.desirability_figure(lang=lang),
                chapter.weight_figure(chapter.observed_rates(), chapter.base_desirabilities(), reference=0.6,
                                      lang=lang),
                chapter.cui_figure(res, pb, lang=lang), chapter.cui_figure(res, lang=lang)]
        for fig in figs:
            fig.canvas.draw()
    assert figs[0].axes[0].get_title(loc="left") == t("cuiv_curves_title", lang)
    texts = [x.get_text() for x in figs[2].axes[0].texts]
    assert "0.222" in texts and "0.696" in texts
    assert [len(figs[3].axes), len(figs[4].axes)] == [2, 1]
    plt.close("all")


def test_the_widget_fits_its_budget_and_follows_the_model():
    w = chapter.widget
    assert w.n_states == 2 * 5 * 3 * 4  # a text and a figure, each 5 weights x 3 plateaus x 4 sizes
    text = w.render(0, "en", w.values(w_efficacy=0.9))
    assert text == chapter.summary_text(chapter.scenario(w_efficacy=0.9), "en") and "200 mg" in text
    low = w.values(emax=0.4)
    assert "0.40" in w.alt_text(1, "en", low) and "最高反應率 0.40" in w.alt_text(1, "zh-tw", low)
    fig = w.render(1, "zh-tw", w.values(n_per_dose=60))
    assert len(fig.axes) == 2
    plt.close(fig)


def test_real_case_destiny_lung02_by_hand():
    # counts that reproduce the published percentages to their printed precision
    assert (N["cui_rc_x_lo"], N["cui_rc_n_lo"], N["cui_rc_x_hi"], N["cui_rc_n_hi"]) == (50, 102, 28, 50)
    assert (N["cui_rc_y_lo"], N["cui_rc_m_lo"], N["cui_rc_y_hi"], N["cui_rc_m_hi"]) == (13, 101, 14, 50)
    assert (round(100 * 50 / 102, 1), round(100 * 28 / 50, 1)) == (49.0, 56.0)
    assert (round(100 * 13 / 101, 1), round(100 * 14 / 50, 1)) == (12.9, 28.0)
    de = [min(1.0, (50 / 102 - 0.1) / 0.4), min(1.0, (28 / 50 - 0.1) / 0.4)]   # 0.9755, 1 (capped at 50%)
    dt = [(0.4 - 13 / 101) / 0.35, (0.4 - 14 / 50) / 0.35]                     # 0.7751, 0.3429
    cui = [0.6 * e + 0.4 * x for e, x in zip(de, dt)]
    assert (N["cui_rc_cui_lo"], N["cui_rc_cui_hi"]) == pytest.approx(cui, abs=1e-12)
    assert N["cui_rc_de_gain"] == pytest.approx(de[1] - de[0]) and N["cui_rc_dt_loss"] == pytest.approx(dt[0] - dt[1])
    assert N["cui_rc_orr_gain"] == pytest.approx(100 * (28 / 50 - 50 / 102))
    # the two CUI lines d_T + w (d_E - d_T) cross where w = (dt0 - dt1) / ((dt0 - dt1) + (de1 - de0))
    flip = (dt[0] - dt[1]) / ((dt[0] - dt[1]) + (de[1] - de[0]))
    assert N["cui_rc_flip"] == pytest.approx(flip, abs=1e-12) and N["cui_rc_flip"] > 0.9


def test_real_case_probability_best_by_independent_draws():
    rng = np.random.default_rng(99)
    draws = 400_000
    p_e = rng.beta(1 + np.array([50, 28]), 1 + np.array([52, 22]), size=(draws, 2))
    p_t = rng.beta(1 + np.array([13, 14]), 1 + np.array([88, 36]), size=(draws, 2))
    d = chapter.base_desirabilities()
    cui = 0.6 * d["efficacy"](p_e) + 0.4 * d["toxicity"](p_t)
    p = float(np.mean(cui[:, 0] > cui[:, 1]))
    se = np.sqrt(p * (1 - p) / N["cui_n_draws"])   # the chapter's Monte Carlo error dominates
    assert abs(N["cui_rc_pbest_lo"] - p) < 4 * se
    table = chapter.real_case_table()
    assert table.shape[0] == 2 and table.iloc[:, -1].tolist() == pytest.approx(
        [N["cui_rc_pbest_lo"], 1 - N["cui_rc_pbest_lo"]])
