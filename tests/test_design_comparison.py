"""Tests of dosecourse.design_comparison: definitions, exact vs simulated agreement, closed forms, figures, widget.

Sources of the expected numbers:
* 3+3 escalation probability (1-p)^3 + 3p(1-p)^5 and the closed-form selection probabilities of the
  escalation-only 3+3 (Storer 1989; Lin & Shih, Biostatistics 2001;2:203): computed by hand below.
* BOIN boundaries for target 0.3: 0.2364907 / 0.3585195 (R package BOIN 2.7.2, get.boundary).
* Binomial tails for BOIN's move probabilities: computed with math.comb below.
"""

from __future__ import annotations

import doctest
import math
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import design_comparison as dc
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")
MID = dc.DEFAULT_SCENARIOS["mid"]


@pytest.fixture(scope="module")
def designs():
    return dc.make_designs(5, names=dc.DESIGN_NAMES)


@pytest.fixture(scope="module")
def mid(designs):
    return dc.compare(MID, {k: designs[k] for k in dc.DEFAULT_DESIGNS}, n_trials=4000, seed=11)


def test_doctests_pass():
    failures, _ = doctest.testmod(dc, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


# ------------------------------------------------------------------ definitions
def test_correct_dose_is_closest_to_target_with_ties():
    assert dc.target_doses(MID).tolist() == [3]
    assert dc.target_doses([0.05, 0.20, 0.45, 0.60]).tolist() == [2]        # 0.10 away beats 0.15 away
    assert dc.target_doses([0.10, 0.25, 0.35, 0.50]).tolist() == [2, 3]     # equally close: both correct
    assert dc.target_doses([0.40, 0.50, 0.60], target=0.3).tolist() == [1]  # no dose below the target


def test_acceptable_and_overdose_sets():
    assert dc.acceptable_doses([0.05, 0.26, 0.34, 0.36]).tolist() == [2, 3]
    assert dc.acceptable_doses([0.05, 0.10, 0.50]).tolist() == []
    assert dc.overdose_doses(MID).tolist() == [4, 5]                         # > 0.40
    assert dc.overdose_doses([0.1, 0.2, 0.40]).tolist() == []                # 0.40 is not above 0.40
    assert dc.overdose_doses(MID, margin=0.2).tolist() == [5]
    with pytest.raises(ValueError, match="band"):
        dc.acceptable_doses(MID, band=1.5)
    with pytest.raises(ValueError, match="margin"):
        dc.overdose_doses(MID, margin=-0.1)


def test_monotonicity_is_flagged_or_enforced():
    assert dc.monotonicity_violations(MID) == []
    assert dc.monotonicity_violations([0.1, 0.3, 0.2, 0.25, 0.1]) == [3, 5]
    assert dc.monotonicity_violations([0.1, 0.1, 0.2]) == []                 # flat is allowed
    with pytest.raises(ValueError, match=r"true_tox must not decrease.*\[3\]"):
        dc.check_scenario([0.1, 0.3, 0.2], require_monotone=True)
    p = dc.check_scenario([0.1, 0.3, 0.2])                                   # flagged, not refused
    comp = dc.compare(p, designs=["BOIN"])
    assert not comp.monotone
    assert t("dcmp_status_not_monotone", "en", doses="3") in dc.status_html(comp, "en").replace("&#x27;", "'")


@pytest.mark.parametrize("bad, match", [([0.1, 1.2, 0.3], "true_tox"), ([0.3], "at least two"),
                                        ("0.1,0.2", "true_tox")])
def test_bad_scenarios_name_the_argument(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        dc.check_scenario(bad)


def test_make_designs_and_errors():
    d = dc.make_designs(5)
    assert list(d) == list(dc.DEFAULT_DESIGNS)
    assert all(x.n_doses == 5 for x in d.values())
    assert d["BOIN"].max_n == d["CRM"].max_n == 30
    # Lee & Cheung skeleton centred on dose 3: s_3 = target
    assert d["CRM"].skeleton[2] == pytest.approx(0.30)
    with pytest.raises(ValueError, match="names must be"):
        dc.make_designs(5, names=["3+3", "EWOC"])
    with pytest.raises(ValueError, match="doses"):
        dc.compare([0.1, 0.2, 0.3], designs=dc.make_designs(5, names=["BOIN"]))
    with pytest.raises(ValueError, match="method"):
        dc.compare(MID, designs=["BOIN"], method="fast")
    with pytest.raises(ValueError, match="not available for CRM"):
        dc.operating_characteristics(d["CRM"], MID, method="exact")


# ------------------------------------------------------------------ exact, simulated and closed forms
def test_methods_are_recorded(mid):
    s = mid.summary()
    assert s["method"].tolist() == ["exact", "exact", "exact", "simulated"]
    assert s["n_trials"].tolist() == [0, 0, 0, 4000]
    assert s.loc[3, "pcs_se"] == pytest.approx(math.sqrt(s.loc[3, "pcs"] * (1 - s.loc[3, "pcs"]) / 4000))
    sim = dc.compare(MID, designs=["BOIN"], method="simulate", n_trials=500)
    assert sim.summary()["method"].tolist() == ["simulated"]


def test_three_plus_three_matches_closed_form():
    for tox in dc.DEFAULT_SCENARIOS.values():
        p = np.array(tox)
        e = (1 - p) ** 3 + 3 * p * (1 - p) ** 5
        reach = np.concatenate([[1.0], np.cumprod(e)])
        oc = dc.compare(p, designs=["3+3"]).ocs["3+3"]
        np.testing.assert_allclose(oc.selection, reach[1:] * np.append(1 - e[1:], 1.0), atol=1e-12)
        np.testing.assert_allclose(oc.patients, reach[:-1] * (3 + 9 * p * (1 - p) ** 2), atol=1e-12)
        assert oc.no_selection == pytest.approx(1 - e[0], abs=1e-12)


@pytest.mark.parametrize("name", ["3+3", "BOIN", "Keyboard"])
@pytest.mark.parametrize("scen", list(dc.DEFAULT_SCENARIOS))
def test_simulation_agrees_with_exact(designs, name, scen):
    frame = dc.exact_vs_simulated(designs[name], dc.DEFAULT_SCENARIOS[scen], n_trials=20_000, seed=3)
    z = frame["z"].to_numpy()
    assert np.all(np.abs(z[np.isfinite(z)]) < 4.5)
    assert np.isfinite(z).sum() >= len(z) - 1


def test_exact_vs_simulated_refuses_crm(designs):
    with pytest.raises(ValueError, match="no exact"):
        dc.exact_vs_simulated(designs["CRM"], MID)


def test_summary_numbers_are_consistent(mid):
    s = mid.summary().set_index("design")
    for name, oc in mid.ocs.items():
        assert s.loc[name, "pcs"] == pytest.approx(oc.selection[2])
        assert s.loc[name, "select_overdose"] == pytest.approx(oc.selection[3:].sum())
        assert s.loc[name, "n_overdose"] == pytest.approx(oc.patients[3:].sum())
        assert s.loc[name, "pct_at_target"] == pytest.approx(100 * oc.patients[2] / oc.total_n)
        sel = oc.selection / (1 - oc.no_selection)
        assert s.loc[name, "tox_selected"] == pytest.approx(float(sel @ np.array(MID)))
    # the chapter's claims: the model-assisted designs select the MTD far more often than the 3+3,
    # which selects a dose with a true DLT rate near 0.2
    assert (s.loc[["BOIN", "Keyboard", "CRM"], "pcs"] > s.loc["3+3", "pcs"] + 0.2).all()
    assert 0.17 < s.loc["3+3", "tox_selected"] < 0.24 < s.loc["BOIN", "tox_selected"]
    assert s.loc["3+3", "mean_n"] < 15


def test_keyboard_and_mtpi2_share_decisions(designs):
    comp = dc.compare(MID, {k: designs[k] for k in ("Keyboard", "mTPI-2")}, method="exact")
    kb, m2 = comp.ocs["Keyboard"], comp.ocs["mTPI-2"]
    np.testing.assert_allclose(kb.patients, m2.patients, atol=1e-12)   # same decisions
    assert 0 < np.abs(kb.selection - m2.selection).max() < 0.01       # different final selection


def test_escalation_probabilities_closed_forms():
    assert dc.escalation_probability_3p3(0.3) == pytest.approx(0.343 + 0.9 * 0.16807, abs=1e-12)
    assert dc.escalation_probability_3p3(np.array([0.0, 1.0])).tolist() == [1.0, 0.0]
    with pytest.raises(ValueError):
        dc.escalation_probability_3p3(1.5)
    up, down = dc.boin_move_probabilities(0.3, 30)
    # BOIN 2.7.2 boundaries 0.2364907 / 0.3585195: escalate y <= 7, de-escalate y >= 11 at n = 30.
    pmf = [math.comb(30, y) * 0.3 ** y * 0.7 ** (30 - y) for y in range(31)]
    assert up == pytest.approx(sum(pmf[:8]), abs=1e-12)
    assert down == pytest.approx(sum(pmf[11:]), abs=1e-12)
    ups = dc.boin_move_probabilities(np.linspace(0.01, 0.9, 50), 12)[0]
    assert np.all(np.diff(ups) < 0)  # escalating gets less likely as toxicity rises


# ------------------------------------------------------------------ presentation
@pytest.mark.parametrize("lang", LANGS)
def test_tables_have_translated_columns(mid, lang):
    frame = mid.to_frame(lang)
    assert frame.columns[0] == t("dcmp_col_design", lang)
    assert frame[t("dcmp_col_method", lang)].iloc[3] == t("dcmp_method_simulated", lang, n="4,000")
    table = dc.summary_table({"mid": mid, "custom": mid}, lang)
    assert table.iloc[0, 0] == t("dcmp_scenario_mid", lang) and table.iloc[-1, 0] == "custom"
    sc = dc.scenario_table(lang=lang)
    assert sc[t("dcmp_col_overdose_doses", lang)].tolist() == ["4, 5", t("dcmp_none", lang), "3, 4, 5"]


@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(mid, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [dc.comparison_figure(mid, lang), dc.summary_figure({"mid": mid, "low": mid}, lang),
                dc.escalation_figure(lang=lang)]
        for fig in figs:
            fig.canvas.draw()
    assert figs[0].axes[0].get_title(loc="left") == t("dcmp_panel_selection", lang)
    assert len(figs[0].axes[0].patches) == 4 * 5 + 3  # bars + shaded correct dose and two overdoses
    plt.close("all")
    with pytest.raises(TypeError, match="Comparison"):
        dc.comparison_figure({"BOIN": None})
    with pytest.raises(ValueError, match="at least one"):
        dc.summary_figure({})


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = dc.widget(lang, n_trials=500, designs=("3+3", "BOIN"))
    controls, text, _out = box.children
    sliders = controls.children[0].children
    row1, row2, how = controls.children[1].children
    boxes = [*row1.children, *row2.children]
    assert [b.description for b in boxes] == list(dc.DESIGN_NAMES)
    assert t("dcmp_status_correct", lang, doses="3") in text.value
    sliders[3].value = 0.10   # dose 4 now below dose 3: flagged
    assert t("dcmp_status_not_monotone", lang, doses="4") in text.value
    for b in boxes:
        b.value = False
    assert text.value == t("dcmp_w_none", lang)
    boxes[1].value = True
    how.value = "auto"
    assert t("dcmp_status_time_exact", lang, seconds="")[:4] in text.value
    how.value = "simulate"
    assert t("dcmp_status_time", lang, seconds="", n="500").split("500")[0][-3:] in text.value
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("dcmp_")]
    assert ids and all(set(catalogue()[k]) == set(LANGS) for k in ids)
