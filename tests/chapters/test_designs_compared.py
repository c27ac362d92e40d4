"""Chapter "Escalation designs compared": every glued number against a closed form, a hand calculation or an
independent computation, and the chapter's tables, figures and widget.

Sources of the expected numbers:
* 3+3 escalation probability (1-p)^3 + 3p(1-p)^5 and the closed-form selection probabilities and mean patients of
  the escalation-only 3+3 (Storer 1989; Lin & Shih, Biostatistics 2001;2:203), computed by hand below; for the
  chapter's 3+3, the default with six patients at the declared MTD, the closed form derived by hand in
  tests/test_three_plus_three.py (written out again below).
* BOIN boundaries for target 0.3: 0.2364907 / 0.3585195 (R package BOIN 2.7.2,
  ``get.boundary(target = 0.3, ncohort = 10, cohortsize = 3)``); binomial tails with math.comb below.
* CRM skeleton: dfcrm ``getprior(halfwidth = 0.05, target = 0.30, nu = 3, nlevel = 5)``, whose closed form is
  s_3 = 0.30 and s_k = 0.30 ** (r ** (3 - k)), r = log(0.25) / log(0.35) (Lee & Cheung 2009).
* The CRM's numbers were simulated before (10,000 trials, seed 2025); they are now exact, and the exact values lie
  within 3 Monte Carlo standard errors of the old simulated ones (pasted below).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import escalation as esc
from dosecourse.chapters import designs_compared as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
MID = chapter.SCENARIOS["mid"]
MID_P = np.array(MID)


def escalate(p):
    p = np.asarray(p, dtype=float)
    return (1 - p) ** 3 + 3 * p * (1 - p) ** 5


def six_at_mtd(tox):
    """Selection, P(no MTD) and mean patients per dose of the six-at-MTD 3+3 from dose 1 (by hand).

    Dose j is declared with e_1...e_{j-1} b_j F_{j+1}: b = (1-p)^6 + 6p(1-p)^5 (at most 1 DLT in six) and F_j the
    probability that a trial that reaches dose j comes back below it, F_j = 1 - e_j + (1-p_j)^3 (1 - c_j) F_{j+1},
    c = (1-p)^3 + 3p(1-p)^2, F_{K+1} = 1; no MTD with F_1.  Patients at j: e_1...e_{j-1} (3 + 9p(1-p)^2 +
    3 (1-p_j)^3 F_{j+1}).
    """
    p = np.asarray(tox, dtype=float)
    q = 1 - p
    e, b, c = escalate(p), q ** 6 + 6 * p * q ** 5, q ** 3 + 3 * p * q ** 2
    back = np.ones(p.size + 1)
    for j in range(p.size - 1, -1, -1):
        back[j] = 1 - e[j] + q[j] ** 3 * (1 - c[j]) * back[j + 1]
    reach = np.concatenate([[1.0], np.cumprod(e)[:-1]])
    return reach * b * back[1:], back[0], reach * (3 + 9 * p * q ** 2 + 3 * q ** 3 * back[1:])


# ------------------------------------------------------------------------------------------------ definitions
def test_scenarios_and_definitions():
    assert [esc.correct_doses(tox, 0.3).tolist() for tox in chapter.SCENARIOS.values()] == [[3], [5], [2]]
    assert [esc.overdose_doses(tox, 0.3).tolist() for tox in chapter.SCENARIOS.values()] == [[4, 5], [], [3, 4, 5]]
    # acceptable selection equals correct selection here: no second dose lies within 0.05 of the target
    for tox in chapter.SCENARIOS.values():
        assert esc.acceptable_doses(tox, 0.3).tolist() == esc.correct_doses(tox, 0.3).tolist()
    # exercise 1: |0.20 - 0.30| = 0.10 < |0.45 - 0.30| = 0.15, dose 3 is still correct; doses 4 and 5 overly toxic
    assert esc.correct_doses(chapter.EXERCISE_SCENARIO, 0.3).tolist() == [3]
    assert esc.overdose_doses(chapter.EXERCISE_SCENARIO, 0.3).tolist() == [4, 5]


def test_crm_skeleton_is_dfcrms_getprior():
    r = np.log(0.25) / np.log(0.35)
    skeleton = [N[f"cmp_skel_{d}"] for d in range(1, 6)]
    np.testing.assert_allclose(skeleton, 0.30 ** (r ** (3 - np.arange(1, 6))), rtol=0, atol=1e-12)


def test_boin_boundaries():
    assert abs(N["cmp_lambda_e"] - 0.2364907) < 1e-7 and abs(N["cmp_lambda_d"] - 0.3585195) < 1e-7


# ------------------------------------------------------------------------------------------------ results
def test_three_plus_three_matches_its_closed_form_in_every_scenario():
    # The chapter's 3+3 (six at the MTD): the closed form six_at_mtd above.  The engine enumerates the trial.
    for key, tox in chapter.SCENARIOS.items():
        sel, none, patients = six_at_mtd(tox)
        oc = chapter.operating_characteristics(tox, ["3+3"])["3+3"]
        assert oc.exact and chapter._design("3+3").variant == "six-at-mtd"
        np.testing.assert_allclose(oc.selection, sel, rtol=0, atol=1e-12)
        assert abs(oc.no_selection - none) < 1e-12
        np.testing.assert_allclose(oc.patients, patients, rtol=0, atol=1e-12)
        assert N[f"cmp_{key}_none_33"] == pytest.approx(100 * none, abs=1e-10)
        assert N[f"cmp_{key}_meann_33"] == pytest.approx(float(patients.sum()), abs=1e-10)


def test_escalation_only_three_plus_three_matches_lin_and_shih():
    # P(MTD = d) = e_1...e_d (1 - e_{d+1}), P(MTD = K) = e_1...e_K, P(no MTD) = 1 - e_1, and
    # E[patients at dose j] = e_1...e_{j-1} (3 + 9 p_j (1-p_j)^2) (Lin & Shih 2001), for the variant by name.
    for tox in chapter.SCENARIOS.values():
        p = np.array(tox)
        e = escalate(p)
        reach = np.concatenate([[1.0], np.cumprod(e)])
        oc = esc.ThreePlusThree(5, variant="escalation-only").exact(tox)
        np.testing.assert_allclose(oc.selection, reach[1:] * np.append(1 - e[1:], 1.0), rtol=0, atol=1e-12)
        assert abs(oc.no_selection - (1 - e[0])) < 1e-12
        np.testing.assert_allclose(oc.patients, reach[:-1] * (3 + 9 * p * (1 - p) ** 2), rtol=0, atol=1e-12)
    e = escalate(MID)
    assert N["cmp_mid_pcs_33eo"] == pytest.approx(100 * e[0] * e[1] * e[2] * (1 - e[3]), abs=1e-10)
    assert N["cmp_mid_sod_33eo"] == pytest.approx(100 * e[0] * e[1] * e[2] * e[3], abs=1e-10)
    assert N["cmp_mid_meann_33eo"] == pytest.approx(float(np.sum(np.concatenate([[1.0], np.cumprod(e)[:-1]])
                                                                 * (3 + 9 * MID_P * (1 - MID_P) ** 2))), abs=1e-10)
    # what six at the MTD changes here: less often the correct dose and an overly toxic one, more patients
    assert N["cmp_mid_pcs_33eo"] > N["cmp_mid_pcs_33"] and N["cmp_mid_sod_33eo"] > N["cmp_mid_sod_33"]
    assert N["cmp_mid_meann_33eo"] < N["cmp_mid_meann_33"]


def test_every_design_is_exact_and_the_chapters_claims_hold():
    for tox in chapter.SCENARIOS.values():
        s = chapter.summaries(tox)
        assert all(v.exact for v in s.values())
        # N = 30 for BOIN, keyboard and CRM (up to BOIN's rare early stop), fewer than 20 for the 3+3
        assert all(s[k].total_n > 29.8 for k in ("BOIN", "Keyboard", "CRM")) and s["3+3"].total_n < 20
        # the model-assisted and model-based designs select the correct dose far more often than the 3+3
        assert all(s[k].pcs > s["3+3"].pcs + 0.2 for k in ("BOIN", "Keyboard", "CRM"))
        # the CRM selects the correct dose at least as often as BOIN and keyboard ...
        assert s["CRM"].pcs >= max(s["BOIN"].pcs, s["Keyboard"].pcs)
        # ... and treats more patients at overly toxic doses where there are any
        if esc.overdose_doses(tox, 0.3).size:
            assert s["CRM"].n_overdose > s["BOIN"].n_overdose
    # "clearly more often when the MTD is the top dose"; selection of an overly toxic dose in the first scenario
    assert N["cmp_high_pcs_crm"] > N["cmp_high_pcs_boin"] + 5
    assert N["cmp_mid_sod_crm"] > N["cmp_mid_sod_boin"]
    # the 3+3 behaves as if it aimed at a DLT rate near 0.2
    assert 0.17 < N["cmp_toxsel33_min"] <= N["cmp_toxsel33_max"] < 0.24 < N["cmp_toxselboin_min"]
    assert N["cmp_toxselboin_max"] < 0.31


def test_summary_numbers_are_the_operating_characteristics():
    ocs = chapter.operating_characteristics(MID)
    for key, g in chapter.GLUE_KEYS.items():
        oc = ocs[key]
        assert N[f"cmp_mid_pcs_{g}"] == pytest.approx(100 * oc.selection[2])
        assert N[f"cmp_mid_sod_{g}"] == pytest.approx(100 * oc.selection[3:].sum())
        assert N[f"cmp_mid_nod_{g}"] == pytest.approx(oc.patients[3:].sum())
        assert N[f"cmp_mid_pctt_{g}"] == pytest.approx(100 * oc.patients[2] / oc.total_n)
        sel = oc.selection / (1 - oc.no_selection)
        assert N[f"cmp_mid_toxsel_{g}"] == pytest.approx(float(sel @ np.array(MID)))


# (glue name, previous simulated value, its Monte Carlo standard error): values of the last build, from 10,000
# simulated CRM trials with seed 2025; standard errors sqrt(p(1-p)/10000) in percentage points.
PREVIOUS_CRM = [("cmp_mid_pcs_crm", 59.56, 0.491), ("cmp_high_pcs_crm", 77.19, 0.420),
                ("cmp_low_pcs_crm", 64.53, 0.478), ("cmp_mid_sod_crm", 29.14, 0.454),
                ("cmp_low_sod_crm", 22.21, 0.416), ("cmp_ex1_pcs_crm", 50.08, 0.500),
                ("cmp_ex1_sod_crm", 46.42, 0.499)]


@pytest.mark.parametrize("key, simulated, se", PREVIOUS_CRM)
def test_exact_crm_agrees_with_the_previous_simulation(key, simulated, se):
    assert abs(N[key] - simulated) < 3 * se


# ------------------------------------------------------------------------------------------------ exact vs simulated
def test_exact_against_simulated_over_every_design_and_scenario():
    # 4 designs x 3 scenarios x 12 quantities, seeds 2025..2036; NaN where a rare event was never simulated
    # (BOIN and keyboard stopping early when the MTD is the top dose: mean N has standard error 0).
    assert N["cmp_z_count"] == 142
    # Standard normal: |z| > 2 has probability 0.0455; with about 140 correlated z-scores a maximum above 4
    # would be very unlikely (probability about 0.01) if simulation and enumeration agreed.
    assert N["cmp_z_max"] < 4 and N["cmp_z_over2"] < 3 * N["cmp_z_over2_expected"]
    assert N["cmp_z_over2_expected"] == pytest.approx(0.0455 * N["cmp_z_count"])
    table = chapter.exact_vs_simulated("BOIN", "mid")
    assert np.all(np.abs(table["z"][np.isfinite(table["z"])]) < 4)
    assert N["cmp_check_exact"] == pytest.approx(N["cmp_mid_pcs_boin"], abs=1e-10)
    p = N["cmp_check_exact"] / 100   # binomial standard error at the exact value, 10,000 trials
    assert N["cmp_check_se"] == pytest.approx(100 * math.sqrt(p * (1 - p) / 10_000), abs=1e-12)
    # 10,000 trials, seed 2025: the same simulation as in the previous build
    assert N["cmp_check_sim"] == pytest.approx(58.29, abs=1e-9)


# ------------------------------------------------------------------------------------------------ decisions
def test_escalation_probabilities():
    # (1 - 0.3)^3 + 3 (0.3) (0.7)^5 = 0.343 + 0.15126 = 0.49426; at 0.2: 0.512 + 0.19661 = 0.70861.
    assert abs(N["cmp_esc33_030"] - 0.49426) < 1e-5 and abs(N["cmp_esc33_020"] - 0.70861) < 1e-5
    assert N["cmp_fail33_012"] == pytest.approx(1 - float(escalate(0.12)), abs=1e-12)
    # BOIN, n = 30: escalate if y <= floor(0.2365 x 30) = 7, de-escalate if y >= floor(0.3585 x 30) + 1 = 11.
    pmf = lambda p: [math.comb(30, y) * p ** y * (1 - p) ** (30 - y) for y in range(31)]  # noqa: E731
    assert N["cmp_boin30_up_015"] == pytest.approx(sum(pmf(0.15)[:8]), abs=1e-12)
    assert N["cmp_boin30_down_045"] == pytest.approx(sum(pmf(0.45)[11:]), abs=1e-12)
    assert N["cmp_boin30_stay_030"] == pytest.approx(sum(pmf(0.30)[8:11]), abs=1e-12)
    e = escalate(MID)
    assert N["cmp_reach3"] == pytest.approx(e[0] * e[1], abs=1e-12)


# ------------------------------------------------------------------------------------------------ exercises
def test_exercise_numbers():
    e = escalate(MID)
    assert [N[f"cmp_ex2_e{d}"] for d in range(1, 5)] == pytest.approx(e[:4].tolist(), abs=1e-12)
    # exercise 2 by hand (six at the MTD): b3 = 0.7^6 + 6(0.3)(0.7)^5 = 0.420175; F5 = 1 - e5 + 0.4^3 (1 - c5)
    # with c5 = 0.4^3 + 3(0.6)(0.4)^2 = 0.352; F4 = 1 - e4 + 0.55^3 (1 - c4) F5 with c4 = 0.55^3 + 3(0.45)(0.55)^2
    assert N["cmp_ex2_b3"] == pytest.approx(0.420175, abs=1e-12)
    f5 = 1 - e[4] + 0.4 ** 3 * (1 - 0.352)
    c4 = 0.55 ** 3 + 3 * 0.45 * 0.55 ** 2
    f4 = 1 - e[3] + 0.55 ** 3 * (1 - c4) * f5
    assert N["cmp_ex2_f5"] == pytest.approx(f5, abs=1e-12) and N["cmp_ex2_f4"] == pytest.approx(f4, abs=1e-12)
    assert N["cmp_ex2_p3"] == pytest.approx(100 * e[0] * e[1] * 0.420175 * f4, abs=1e-10)
    assert N["cmp_ex2_p3"] == pytest.approx(N["cmp_mid_pcs_33"], abs=1e-10)
    # ... and the escalation-only 3+3 of Lin & Shih, e1 e2 e3 (1 - e4), for comparison
    assert N["cmp_ex2_p3_eo"] == pytest.approx(100 * e[0] * e[1] * e[2] * (1 - e[3]), abs=1e-10)
    assert N["cmp_six33_030"] == pytest.approx(0.420175, abs=1e-12)
    # exercise 1: the 3+3 catches up when dose 3 is at 0.20, and drifts to about 0.2
    assert N["cmp_ex1_pcs_33"] > N["cmp_mid_pcs_33"] and N["cmp_ex1_toxsel_33"] < 0.21
    assert N["cmp_ex1_sod_boin"] > N["cmp_mid_sod_boin"] and N["cmp_ex1_sod_crm"] > N["cmp_mid_sod_crm"]
    assert N["cmp_ex1_sod_33"] < N["cmp_ex1_sod_boin"]
    # exercise 3: keyboard and mTPI-2 make the same decisions, so the same allocation; only the final MTD
    # selection (pseudo-count 0.05 against 0.005) differs
    assert N["cmp_ex3_patients_diff"] < 1e-12 and 1e-4 < N["cmp_ex3_sel_diff"] / 100 < 0.01


def test_every_glued_value_is_a_plain_number():
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in N.values())
    assert len(N) == 136


# ------------------------------------------------------------------------------------------------ presentation
@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    sc = chapter.scenario_table(lang=lang)
    assert sc[t("dcmp_col_overdose_doses", lang)].tolist() == ["4, 5", t("dcmp_none", lang), "3, 4, 5"]
    table = chapter.summary_table(lang=lang)
    assert table.shape == (12, 11) and table.iloc[0, 0] == t("dcmp_scenario_mid", lang)
    assert set(table[t("dcmp_col_method", lang)]) == {t("dcmp_method_exact", lang)}
    assert table[t("dcmp_col_pcs", lang)].iloc[3] == round(N["cmp_mid_pcs_crm"], 1)
    check = chapter.exact_vs_simulated(lang=lang)
    assert check.shape == (12, 5) and check["quantity"].iloc[0] == t("dcmp_q_select", lang, d=1)


def test_curve():
    # logit p_d = logit(0.3) + beta (d - m): p_m = 0.3, odds ratio e^beta per level
    p = np.array(chapter.curve(3, 1.0))
    assert p[2] == pytest.approx(0.3)
    odds = p / (1 - p)
    np.testing.assert_allclose(odds[1:] / odds[:-1], math.e, rtol=1e-12)
    assert chapter.curve(2.5, 0.5)[1] < 0.3 < chapter.curve(2.5, 0.5)[2]
    for bad, name in ((dict(mtd=7.0), "mtd"), (dict(steepness=0.0), "steepness"), (dict(steepness="1"), "steepness"),
                      (dict(target=1.5), "target")):
        with pytest.raises((ValueError, TypeError), match=name):
            chapter.curve(**{"mtd": 3.0, "steepness": 1.0, **bad})


@pytest.mark.parametrize("call, message", [
    (lambda: chapter.operating_characteristics([0.1, 0.2, 0.3]), "true_tox"),
    (lambda: chapter.operating_characteristics([0.1, 0.2, 0.3, 0.4, 1.2]), "true_tox"),
    (lambda: chapter.operating_characteristics(MID, ["EWOC"]), "designs"),
    (lambda: chapter.operating_characteristics(MID, "BOIN"), "designs"),
    (lambda: chapter.exact_vs_simulated("EWOC"), "design"),
    (lambda: chapter.exact_vs_simulated(scenario="top"), "scenario"),
    (lambda: chapter.exact_vs_simulated(n_trials=0), "n_trials"),
    (lambda: chapter.exact_vs_simulated(seed=None), "seed"),
    (lambda: chapter.scenario_label("top"), "key"),
    (lambda: chapter.escalation_figure(ns=(0, 3)), "ns"),
    (lambda: chapter.escalation_figure(target=0), "target"),
    (lambda: chapter.comparison_figure(MID, ["ATD"]), "designs"),
    (lambda: chapter.summary_table(lang="fr"), "lang"),
])
def test_bad_arguments_name_themselves(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [chapter.comparison_figure(MID, lang=lang), chapter.summary_figure(lang=lang),
                chapter.escalation_figure(lang=lang)]
        for fig in figs:
            fig.canvas.draw()
    assert figs[0].axes[0].get_title(loc="left") == t("dcmp_panel_selection", lang)
    assert len(figs[0].axes[0].patches) == 4 * 5 + 3  # bars + shaded correct dose and two overdoses
    # the true DLT probabilities drawn on the percentage scale of the selection panel
    np.testing.assert_allclose(figs[0].axes[0].lines[0].get_ydata(), 100 * np.array(MID))
    plt.close("all")


def test_widget_fits_the_site_budget_and_renders():
    w = chapter.widget
    assert isinstance(w, widgets.LiveWidget) and widgets.REGISTRY["designs_compared"] is w
    assert w.n_states == 15 + 15 and len(list(w.part_states(0))) == 15 <= 60
    values = w.values(mtd=5.0, steepness=1.5)
    table = w.render(1, "en", values)
    assert table[t("dcmp_col_design", "en")].tolist() == ["3+3", "BOIN", "Keyboard", "CRM"]
    fig = w.render(0, "zh-tw", values)
    assert len(fig.axes) == 2
    plt.close(fig)
    alt = w.alt_text(0, "en", values)
    assert "the correct dose is 5" in alt and "CRM" in alt
    # both controls change the output
    base = w.render(1, "en", w.defaults)
    assert not base.equals(w.render(1, "en", {**w.defaults, "mtd": 2.0}))
    assert not base.equals(w.render(1, "en", {**w.defaults, "steepness": 0.5}))


def test_the_widget_settings_the_page_suggests_show_what_it_says():
    # "Put the MTD at dose 1": the 3+3 often selects no dose, BOIN less often, the CRM never
    s = chapter.summaries(chapter.curve(1.0, 1.0))
    assert s["3+3"].no_selection > 0.4 > s["BOIN"].no_selection > 0.05 and s["CRM"].no_selection == 0.0
    # "make the curve shallow (0.5)" with the MTD at dose 3: correct selection falls for every design
    shallow, middle = chapter.summaries(chapter.curve(3.0, 0.5)), chapter.summaries(chapter.curve(3.0, 1.0))
    assert all(shallow[k].pcs < middle[k].pcs - 0.1 for k in chapter.DESIGNS)
    # "steep (1.5) with the MTD at dose 2, 3 or 4": BOIN about as often as the CRM (within 4 points), fewer
    # patients at overly toxic doses
    for mtd in (2.0, 3.0, 4.0):
        s = chapter.summaries(chapter.curve(mtd, 1.5))
        assert s["BOIN"].pcs > s["CRM"].pcs - 0.04 and s["BOIN"].n_overdose < s["CRM"].n_overdose
    # and the 3+3 is far behind everywhere on the site grid
    for mtd in chapter.WIDGET_MTD:
        for beta in chapter.WIDGET_STEEPNESS:
            s = chapter.summaries(chapter.curve(mtd, beta))
            assert s["BOIN"].pcs > s["3+3"].pcs + 0.15
