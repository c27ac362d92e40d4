"""Tests of dosecourse.cui_views: the chapter example, its figures and the widget.

Sources of the expected numbers: hand calculation from the chapter's definitions.
* Desirabilities (base_desirabilities): response d_E = (x - 0.10) / 0.40, DLT d_T = (0.40 - y) / 0.35, clipped.
* Observed data (EXAMPLE_DATA, invented): 50 mg 2/6 responses 0/6 DLT; 100 mg 6/15, 1/15; 200 mg 8/15, 4/15.
  CUI at (0.6, 0.4): 0.6 x 7/12 + 0.4 = 0.75; 0.6 x 0.75 + 0.4 x 20/21 = 0.8310; 0.6 + 0.4 x 8/21 = 0.7524.
* Weight breakpoints: 50 vs 100 mg at w = 2/9, 100 vs 200 mg at w = 16/23 (equate the two lines
  CUI_j(w) = d_Tj + w (d_Ej - d_Tj)).
* Curves (CURVES): p_E(100) = 0.6 x 2^1.5 / (1 + 2^1.5), p_T(100) = 1 / (1 + 3^2.5).
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt

from dosecourse import cui_views as v, utility as u
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_base_desirabilities_anchors():
    d = v.base_desirabilities()
    assert d["efficacy"]([0.05, 0.10, 0.50, 0.60]).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert d["toxicity"]([0.0, 0.05, 0.40, 0.7]).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert float(d["toxicity"](0.225)) == pytest.approx(0.5)


def test_observed_cui_and_breakpoints_by_hand():
    res = u.cui(v.observed_rates(), v.BASE_WEIGHTS, v.base_desirabilities(), doses=v.DOSES_MG)
    assert res.values[1:4] == pytest.approx([0.75, 0.45 + 8 / 21, 0.6 + 3.2 / 21])
    assert res.best.dose == 100
    wb = u.weight_breakpoints(v.observed_rates(), v.base_desirabilities(), doses=v.DOSES_MG)
    assert wb.breakpoints == pytest.approx([2 / 9, 16 / 23])
    assert [iv[2] for iv in wb.intervals] == [50, 100, 200]


def test_observed_rates_rejects_empty_dose():
    with pytest.raises(ValueError, match="at least one patient"):
        v.observed_rates({"n": [3, 0], "responses": [1, 0], "dlts": [0, 0]})


def test_curves_by_hand():
    assert v.CURVES.p_efficacy()[2] == pytest.approx(0.6 * 2**1.5 / (1 + 2**1.5))
    assert v.CURVES.p_toxicity()[2] == pytest.approx(1 / (1 + 3**2.5))


@pytest.mark.parametrize("lang", LANGS)
def test_data_table_headers_and_rates(lang):
    tab = v.data_table(lang=lang)
    assert tab.columns[1] == t("cuiv_col_n", lang)
    assert tab[t("cuiv_col_dlt_rate", lang)].round(4).tolist() == [0.0, 0.0, 0.0667, 0.2667, 0.5]


def test_expected_counts_round_half_up_and_validate():
    assert v.expected_counts([0.3, 0.1, 0.05], 15).tolist() == [5, 2, 1]
    with pytest.raises(ValueError, match="n_per_dose"):
        v.expected_counts([0.3], 0)


def test_scenario_default_and_weight_flip():
    sc = v.scenario()
    assert sc.responses.tolist() == [2, 5, 7, 8, 9] and sc.dlts.tolist() == [0, 0, 1, 4, 10]
    assert sc.result.best.dose == 100 and sc.prob_best.most_likely == 100
    assert sc.prob_best.probability.sum() == pytest.approx(1.0)
    # On the curves the 100 -> 200 mg flip is at w = 0.806 (weight_breakpoints); w = 0.9 chooses 200 mg.
    wb = u.weight_breakpoints({"efficacy": v.CURVES.p_efficacy(), "toxicity": v.CURVES.p_toxicity()},
                              v.base_desirabilities(), doses=v.DOSES_MG)
    assert wb.breakpoints[-1] == pytest.approx(0.806, abs=1e-3)
    assert v.scenario(w_efficacy=0.9).result.best.dose == 200
    with pytest.raises(ValueError, match="w_efficacy"):
        v.scenario(w_efficacy=1.2)


@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(lang):
    d = v.EXAMPLE_DATA
    pb = u.probability_best(d["n"], d["responses"], d["dlts"], v.BASE_WEIGHTS, v.base_desirabilities(),
                            n_draws=500, seed=1, doses=v.DOSES_MG)
    res = u.cui(v.observed_rates(), v.BASE_WEIGHTS, v.base_desirabilities(), doses=v.DOSES_MG)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [v.curves_figure(lang=lang), v.desirability_figure(lang=lang),
                v.weight_figure(v.observed_rates(), v.base_desirabilities(), reference=0.6, lang=lang),
                v.probability_best_figure(res, pb, lang=lang), v.scenario_figure(lang=lang, n_draws=500)]
        for fig in figs:
            fig.canvas.draw()
    assert figs[0].axes[0].get_title(loc="left") == t("cuiv_curves_title", lang)
    texts = [x.get_text() for x in figs[2].axes[0].texts]
    assert "0.222" in texts and "0.696" in texts
    plt.close("all")


def test_weight_figure_rejects_bad_reference():
    with pytest.raises(ValueError, match="reference"):
        v.weight_figure(v.observed_rates(), v.base_desirabilities(), reference=1.5)
    plt.close("all")


@pytest.mark.parametrize("lang", LANGS)
def test_summary_text_both_languages(lang):
    text = v.summary_text(v.scenario(n_draws=500), lang)
    assert "100 mg" in text and "15" in text


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang)
    controls, text, _out = box.children
    weight, emax, ed50, hill = controls.children[0].children
    n, td50, slope = controls.children[1].children
    assert "100 mg" in text.value
    weight.value = 0.9  # beyond the 0.806 flip on the curves: 200 mg has the highest CUI
    assert text.value == v.summary_text(v.scenario(w_efficacy=0.9), lang)
    assert v.scenario(w_efficacy=0.9).result.best.dose == 200
    n.value = 30
    assert text.value == v.summary_text(v.scenario(w_efficacy=0.9, n_per_dose=30), lang)
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("cuiv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
