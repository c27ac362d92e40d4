"""Tests of dosecourse.exposure_views: the exposure ladder, the step-risk figure, the widget figure and widget.

Expected numbers are computed by hand in the comments: human CL = 0.1 L/h x (60/0.25)**0.75 = 6.0976 L/h
(simple allometry, Boxenbaum 1982); AUC = F x dose / CL; one step of ratio r multiplies the odds by r**n.
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt

from dosecourse import exposure_views as v
from dosecourse import pk
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")

CL_HUMAN = pk.scale_clearance(0.1, animal_weight_kg=0.25, human_weight_kg=60.0)


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_clearance_by_hand():
    assert CL_HUMAN == pytest.approx(0.1 * 240 ** 0.75) and CL_HUMAN == pytest.approx(6.0976, abs=1e-4)


@pytest.mark.parametrize("lang", LANGS)
def test_ladder_figure(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.exposure_ladder_figure(1200 / 37, CL_HUMAN, 0.5, 25.0, 60.0, lang=lang)
        fig.canvas.draw()
    ax = fig.axes[0]
    texts = [x.get_text() for x in ax.texts]
    # Start AUC 0.5 x 32.43 / 6.0976 = 2.659; margin 60 / 2.659 = 22.6.
    assert t("expv_margin_label", lang, margin="22.6") in texts
    # Doubling from 32.4 mg: the first level reaching AUC 25 is 32.4 x 16 = 519 mg (level 5); one more drawn.
    assert "519" in texts and "1038" in texts and len(ax.collections[0].get_offsets()) == 6
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_step_risk_figure_marks_the_hand_values(lang):
    fig = v.step_risk_figure(lang=lang)
    texts = {x.get_text() for x in fig.axes[0].texts}
    # 10% -> x2 with n = 4: 64%; x1.33 with n = 4: 25.8%; x2 with n = 1: 2/11 = 18%.
    assert {"64%", "26%", "18%"} <= texts
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_below_active_figure(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.below_active_figure(10.0, "doubling", 4.0, gsd=1.0, n_trials=100, lang=lang)
        fig.canvas.draw()
    left, right = fig.axes
    # gsd 1: all 100 trials treat 12 patients below A (levels 1, 2, 4, 8 x start).
    assert t("expv_mean_label", lang, mean="12.0") in [x.get_text() for x in left.texts]
    labels = [h.get_label() for h in right.get_legend().legend_handles]
    assert any("64%" in s for s in labels)
    plt.close(fig)


def test_explain_lines_by_hand():
    lines = v.explain(10.0, "constant_33", 4.0, gsd=1.0, n_trials=50, lang="en").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Constant +33%: 10 x start is reached in 9 step(s), 10 level(s)")
    assert "27.0 patients" in lines[1] and "26%" in lines[2]
    zh = v.explain(10.0, "constant_33", 4.0, gsd=1.0, n_trials=50, lang="zh-tw")
    assert "9 步" in zh


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang, n_trials=500)
    fold_w, scheme_w, hill_w, text, _out = box.children
    assert "64%" in text.value           # default: doubling, Hill 4
    scheme_w.value = "constant_33"
    assert "26%" in text.value           # x1.33 with n = 4
    hill_w.value = 1.0
    assert "13%" in text.value           # x1.33 with n = 1: odds 1.33/9 -> 12.9%
    fold_w.value = 1.0                   # median active dose = start: no step to the median target ...
    assert t("expv_text_no_step", lang) in text.value
    assert "0.0 " not in text.value      # ... yet the uncertain active dose lies above the start in half the trials
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("expv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
