"""Tests of dosecourse.escalation_plan_views: the escalation-plan chapter's tables, figures and widget.

Sources of the expected numbers:
* 3+3 (Storer 1989; Lin & Shih 2001): from a dose with DLT probability p the 3+3 escalates with probability
  e(p) = (1-p)^3 + 3p(1-p)^5 and treats on average 3 + 9p(1-p)^2 patients there.  For the escalation-only
  variant these give the selection probabilities and mean patients per dose in closed form (below, written
  independently of the package).
* BOIN (Liu & Yuan 2015; R package BOIN 2.7.2 get.boundary, target 0.3): lambda_e = 0.2365, lambda_d = 0.3585;
  with 3 patients escalate at 0 DLTs, de-escalate at >= 2, eliminate at 3; with 6: <= 1, >= 3, >= 4.
* Sentinel dosing: E = s q + (1 - q)^s (c - s) q, by hand.
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import escalation as esc
from dosecourse import escalation_plan_views as v
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")

TOX = v.SCENARIOS["target_4"]


def escalate(p: float) -> float:
    return (1 - p) ** 3 + 3 * p * (1 - p) ** 5


def tpt_closed_form(tox, start):
    """Selection probabilities (dose 1 first), P(no MTD) and mean patients per dose of the escalation-only 3+3.

    From the start dose s upwards the trial climbs while doses clear; the first too-toxic dose j > s makes j - 1
    the MTD.  If the start dose itself is too toxic, the trial walks down through untried doses: the first dose
    below that clears is the MTD.
    """
    k = len(tox)
    e = [escalate(p) for p in tox]
    per_visit = np.array([3 + 9 * p * (1 - p) ** 2 for p in tox])
    sel, visit = np.zeros(k), np.zeros(k)
    reach = 1.0
    for j in range(start - 1, k):            # climbing from the start dose
        visit[j] = reach
        sel[j] = reach * e[j] * ((1 - e[j + 1]) if j + 1 < k else 1.0)
        reach *= e[j]
    down = 1 - e[start - 1]                   # the start dose is too toxic: walk down
    for j in range(start - 2, -1, -1):
        visit[j] = down
        sel[j] = down * e[j]
        down *= 1 - e[j]
    return sel, down, visit * per_visit


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_escalation_probability_at_target():
    # (1 - 0.3)^3 + 3 (0.3)(0.7)^5 = 0.343 + 0.151263 = 0.494263
    oc = v.operating_characteristics("tpt", [0.3])
    assert oc.selection[0] == pytest.approx(0.494263, abs=1e-9)


@pytest.mark.parametrize("start", [1, 3])
def test_three_plus_three_matches_closed_form(start):
    oc = v.operating_characteristics("tpt", TOX, start)
    sel, none, patients = tpt_closed_form(TOX, start)
    np.testing.assert_allclose(oc.selection, sel, atol=1e-12)
    assert oc.no_selection == pytest.approx(none, abs=1e-12)
    np.testing.assert_allclose(oc.patients, patients, atol=1e-12)


def test_boin_decision_table_matches_get_boundary():
    design = v.make_design("boin")
    assert (round(design.lambda_e, 4), round(design.lambda_d, 4)) == (0.2365, 0.3585)
    tab = design.decision_table(6)
    assert tab[3].tolist() == [3, 0, 2, 3] and tab[6].tolist() == [6, 1, 3, 4]


def test_crm_skeleton_and_design():
    sk = v.crm_skeleton()
    assert sk[2] == pytest.approx(0.3) and np.all(np.diff(sk) > 0)
    assert isinstance(v.make_design("crm"), esc.CRM) and v.make_design("crm").max_n == 30


@pytest.mark.parametrize("start", [1, 2])
def test_first_two_cohorts_agrees_with_each_designs_pathways(start):
    tab = v.first_two_cohorts(start, lang="en")
    assert len(tab) == 16
    for key in ("tpt", "boin", "crm"):
        paths = v.make_design(key, start).pathways(2, lang="en")
        col = tab[v.design_label(key, "en")]
        for _, row in paths.iterrows():
            y1, y2 = row["Cohort 1 DLTs"], row["Cohort 2 DLTs"]
            cells = col[(tab["Cohort 1 DLTs"] == y1) & ((tab["Cohort 2 DLTs"] == y2) | (y2 == ""))]
            if y2 == "":
                assert set(cells) == {t("epv_stopped_after_1", "en")}
            else:
                assert cells.tolist() == [f"{row['Cohort 2 dose']} → {row['Next dose after cohort 2']}"]


def test_first_two_cohorts_teaching_rows():
    tab = v.first_two_cohorts(lang="en").set_index(["Cohort 1 DLTs", "Cohort 2 DLTs"])
    # same data, different decisions: 0/3 then 2/3 at dose 2
    assert tab.loc[("0/3", "2/3")].tolist() == ["2 → stop", "2 → 1", "2 → 1"]
    # 3/3 at dose 1: 3+3 and BOIN stop, the CRM (no stopping rule) carries on at dose 1
    assert tab.loc[("3/3", "0/3")].tolist() == ["stopped after cohort 1"] * 2 + ["1 → 1"]


def test_first_two_cohorts_rejects_single_patient_design():
    with pytest.raises(ValueError, match="cohorts of three"):
        v.first_two_cohorts(keys=("tpt", "atd"))


def test_bad_design_key():
    with pytest.raises(ValueError, match="design must be one of"):
        v.make_design("mtpi")


def test_accelerated_titration_simulation_agrees_with_exact():
    exact = v.operating_characteristics("atd", TOX)
    sim = esc.simulate(v.make_design("atd"), TOX, n_trials=10_000, seed=v.SEED)
    assert np.all(np.abs(sim.selection - exact.selection) <= 4 * sim.selection_se + 1e-12)
    assert np.all(np.abs(sim.patients - exact.patients) <= 4 * sim.patients_se + 1e-12)
    # fewer patients below the target dose than the 3+3 from the same start
    tpt = v.operating_characteristics("tpt", TOX)
    assert v.oc_numbers(exact, 4)["n_below"] < v.oc_numbers(tpt, 4)["n_below"]


def test_start_dose_comparison_direction():
    comp = v.start_dose_comparison(lang="en")
    nums = {name: v.oc_numbers(oc, 4) for name, oc in comp.items()}
    for d in ("3+3", "BOIN", "CRM"):
        low, high = nums[f"{d}, start at dose 1"], nums[f"{d}, start at dose 3"]
        assert high["n_below"] < low["n_below"]
    # BOIN enrols all 30 patients unless dose 1 is eliminated (3/3 DLTs there: 0.03^3, or later)
    assert nums["BOIN, start at dose 1"]["total_n"] == pytest.approx(30.0, abs=0.01)


def test_crm_is_simulated_with_the_stated_trials_and_seed():
    oc = v.operating_characteristics("crm", TOX)
    assert oc.n_trials == v.N_TRIALS
    again = esc.simulate(v.make_design("crm"), TOX, n_trials=v.N_TRIALS, seed=v.SEED)
    np.testing.assert_array_equal(oc.selection, again.selection)


@pytest.mark.parametrize("lang", LANGS)
def test_oc_table_columns_and_method(lang):
    tab = v.oc_table(v.default_ocs(lang=lang), 4, lang)
    assert list(tab.index) == [v.design_label(k, lang) for k in v.DESIGNS]
    method = tab[t("epv_col_method", lang)]
    assert method.iloc[0] == t("epv_exact", lang) and "4,000" in method.iloc[2]


def test_sentinel_formula():
    assert v.sentinel_expected_reactions(1.0) == 1.0
    assert v.sentinel_expected_reactions(1.0, sentinels=0) == 3.0
    assert v.sentinel_expected_reactions(0.1) == pytest.approx(0.1 + 0.9 * 2 * 0.1)
    assert v.sentinel_expected_reactions(0.0) == 0.0
    with pytest.raises(ValueError, match="q must be"):
        v.sentinel_expected_reactions(1.5)
    with pytest.raises(ValueError, match="sentinels"):
        v.sentinel_expected_reactions(0.5, sentinels=4)


@pytest.mark.parametrize("lang", LANGS)
def test_class_table_and_plan_views(lang):
    assert v.class_table(lang).shape == (4, 4)
    assert len(v.plan_view("boin", "pathways", lang=lang)) == 13
    assert isinstance(v.plan_view("crm", "protocol", lang=lang), str)
    assert v.plan_view("crm", "table", lang=lang).shape == (1, 1)
    with pytest.raises(ValueError, match="view must be"):
        v.plan_view("tpt", "chart", lang=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.oc_figure(lang=lang)
        fig.canvas.draw()
        fig2 = v.start_dose_figure(lang=lang)
        fig2.canvas.draw()
    assert fig.axes[0].get_title(loc="left") == t("epv_title_selection", lang)
    assert len(fig.axes[0].patches) == 4 * 5 + 1  # bars and the shaded target dose
    plt.close("all")


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang)
    d_box, s_box = box.children[0].children[0].children
    st_box, v_box = box.children[0].children[1].children
    d_box.value = "tpt"
    v_box.value = "table"
    st_box.value = 2
    s_box.value = "all_low"
    v_box.value = "protocol"
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("epv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
