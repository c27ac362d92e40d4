"""Chapter "The escalation plan as a pre-specified hypothesis": every glued number against a hand calculation, a
closed form or an independent computation, and the chapter's tables, figures and widget.

Sources of the expected numbers:
* 3+3 (Storer 1989; Lin & Shih 2001): from a dose with DLT probability p the 3+3 escalates with probability
  e(p) = (1-p)^3 + 3p(1-p)^5 and treats on average 3 + 9p(1-p)^2 patients there.  For the escalation-only
  variant these give the selection probabilities and mean patients per dose in closed form (Lin & Shih 2001);
  for the chapter's 3+3, the default with six patients at the declared MTD, a closed form derived by hand
  (tpt_closed_form below, the derivation in tests/test_three_plus_three.py); both written independently of
  the package.
* BOIN (Liu & Yuan 2015; R package BOIN 2.7.2 ``get.boundary(target = 0.3, ncohort = 10, cohortsize = 3)``):
  lambda_e = 0.2365, lambda_d = 0.3585; with 3 patients escalate at 0 DLTs, de-escalate at >= 2, eliminate at 3;
  with 6: <= 1, >= 3, >= 4.
* Sentinel dosing: E = s q + (1 - q)^s (c - s) q, by hand.
* The CRM's numbers were simulated before (4,000 trials, seed 2025); they are now exact, and the exact values lie
  within 3 Monte Carlo standard errors of the old simulated ones (pasted below).
"""

from __future__ import annotations

import warnings
from math import floor, log

import numpy as np
import pytest
from matplotlib import pyplot as plt

from dosecourse import escalation as esc
from dosecourse.chapters import escalation_plan as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
TOX = chapter.SCENARIOS["target_4"]


def e(p: float) -> float:
    return (1 - p) ** 3 + 3 * p * (1 - p) ** 5


def m(p: float) -> float:
    return 3 + 9 * p * (1 - p) ** 2


def b6(p: float) -> float:
    """At most one DLT in six patients: what the six-at-MTD 3+3 asks of the dose it declares."""
    return (1 - p) ** 6 + 6 * p * (1 - p) ** 5


def tpt_closed_form(tox, start):
    """Selection probabilities (dose 1 first), P(no MTD) and mean patients per dose of the six-at-MTD 3+3.

    From the start dose s upwards a dose clears as 0/3 (a = (1-p)^3, three patients) or as 1/3 + 0/3 (six);
    F_j, the probability that a trial that reaches dose j comes back below it, is 1 - e_j + a_j (1 - c_j) F_{j+1}
    with c = (1-p)^3 + 3p(1-p)^2 (at most one DLT among three added) and F_{K+1} = 1 (a cleared top dose is
    expanded too).  Dose j >= s is declared with probability R_j b_j F_{j+1} (R_j = e_s ... e_{j-1}) and treats
    R_j (m_j + 3 a_j F_{j+1}) patients.  Below s the trial arrives with probability F_s and walks down through
    untried doses: each treats 3 + 3 c_j patients and is declared with probability b_j.
    """
    k = len(tox)
    p = np.asarray(tox, float)
    q = 1 - p
    a, c, es, bs = q ** 3, q ** 3 + 3 * p * q ** 2, e(p), b6(p)
    back = np.ones(k + 1)
    for j in range(k - 1, start - 2, -1):
        back[j] = 1 - es[j] + a[j] * (1 - c[j]) * back[j + 1]
    sel, patients = np.zeros(k), np.zeros(k)
    reach = 1.0
    for j in range(start - 1, k):
        sel[j] = reach * bs[j] * back[j + 1]
        patients[j] = reach * (m(p[j]) + 3 * a[j] * back[j + 1])
        reach *= es[j]
    down = back[start - 1]
    for j in range(start - 2, -1, -1):
        sel[j] = down * bs[j]
        patients[j] = down * (3 + 3 * c[j])
        down *= 1 - bs[j]
    return sel, down, patients


def tpt_closed_form_escalation_only(tox, start):
    """Selection probabilities (dose 1 first), P(no MTD) and mean patients per dose of the escalation-only 3+3.

    From the start dose s upwards the trial climbs while doses clear; the first too-toxic dose j > s makes j - 1
    the MTD.  If the start dose itself is too toxic, the trial walks down through untried doses: the first dose
    below that clears is the MTD.
    """
    k = len(tox)
    es = [e(p) for p in tox]
    per_visit = np.array([m(p) for p in tox])
    sel, visit = np.zeros(k), np.zeros(k)
    reach = 1.0
    for j in range(start - 1, k):
        visit[j] = reach
        sel[j] = reach * es[j] * ((1 - es[j + 1]) if j + 1 < k else 1.0)
        reach *= es[j]
    down = 1 - es[start - 1]
    for j in range(start - 2, -1, -1):
        visit[j] = down
        sel[j] = down * es[j]
        down *= 1 - es[j]
    return sel, down, visit * per_visit


# ------------------------------------------------------------------------------------------------ decision tables
def test_decision_table_numbers():
    # 3+3: P(escalate | p = 0.3) = 0.7^3 + 3(0.3)(0.7)^5 = 0.343 + 0.151263 = 0.494263.
    assert abs(N["plan_tpt_escalate_p30"] - (0.7 ** 3 + 3 * 0.3 * 0.7 ** 5)) < 1e-12
    assert abs(N["plan_tpt_escalate_p30"] - 0.494263) < 1e-6
    # the same number from the engine's enumeration of a one-dose escalation-only 3+3 trial
    assert esc.ThreePlusThree(1, variant="escalation-only").exact([0.3]).selection[0] == pytest.approx(
        N["plan_tpt_escalate_p30"], abs=1e-12)
    # six at the MTD: at most 1 DLT in 6 at p = 0.3, 0.7^6 + 6(0.3)(0.7)^5 = 0.117649 + 0.302526 = 0.420175,
    # which is also what the default 3+3 declares a one-dose trial's dose with
    assert N["plan_tpt_mtd6_p30"] == pytest.approx(0.420175, abs=1e-12)
    assert esc.ThreePlusThree(1).exact([0.3]).selection[0] == pytest.approx(N["plan_tpt_mtd6_p30"], abs=1e-12)
    # BOIN, target 0.3, phi1 = 0.18, phi2 = 0.42 (Liu & Yuan 2015): lambda_e = 0.2365, lambda_d = 0.3585.
    lam_e = log(0.82 / 0.7) / log(0.3 * 0.82 / (0.18 * 0.7))
    lam_d = log(0.7 / 0.58) / log(0.42 * 0.7 / (0.3 * 0.58))
    assert abs(N["plan_boin_lambda_e"] - lam_e) < 1e-12 and abs(N["plan_boin_lambda_d"] - lam_d) < 1e-12
    assert round(lam_e, 4) == 0.2365 and round(lam_d, 4) == 0.3585
    # 6 patients: escalate if y <= floor(6 lambda_e) = 1, de-escalate if y >= floor(6 lambda_d) + 1 = 3.
    table = esc.make_design("BOIN", 5, 0.3).decision_table(max_n=12)
    assert table[6].tolist() == [6, floor(6 * lam_e), floor(6 * lam_d) + 1, 4] == [6, 1, 3, 4]
    assert (N["plan_boin_esc_6"], N["plan_boin_deesc_6"], N["plan_boin_elim_6"]) == (1, 3, 4)
    # Elimination needs Pr(p > 0.3 | data) > 0.95 under Beta(1, 1): 3/3 gives 1 - 0.3^4 = 0.9919;
    # 2/3 gives 1 - (4 x 0.3^3 x 0.7 + 0.3^4) = 0.9163, so with 3 patients a dose is eliminated only at 3/3.
    assert N["plan_pr_over_3of3"] == pytest.approx(1 - 0.3 ** 4, abs=1e-12)
    assert table[3].tolist() == [3, 0, 2, 3] and N["plan_pr_over_3of3"] > 0.95 > 1 - (4 * 0.3 ** 3 * 0.7 + 0.3 ** 4)


def test_the_chapters_designs_are_the_factorys():
    assert esc.make_design("CRM", 5, 0.3).skeleton[2] == pytest.approx(0.3)
    crm = chapter.operating_characteristics("CRM")
    assert crm.exact and chapter._design("CRM", 1).max_n == 30
    assert chapter._design("3+3", 1) == esc.ThreePlusThree(5, variant="six-at-mtd")
    assert chapter._design("ATD", 1) == esc.AcceleratedTitration(5, variant="six-at-mtd")   # the same 3+3


# ------------------------------------------------------------------------------------------------ pathways
def test_pathway_rows_discussed_in_the_text():
    tpt, boin, crm = (esc.make_design(k, 5, 0.3) for k in ("3+3", "BOIN", "CRM"))
    paths = chapter.first_two_cohorts(lang="en")
    assert N["plan_n_pathways"] == len(paths) == 16
    # 0/3 at dose 1, then 2/3 at dose 2: the 3+3 goes back to dose 1 to complete it to six (the escalation-only
    # 3+3 would stop with dose 1 as MTD); BOIN (2/3 = 0.67 > 0.3585) and CRM go back to 1 as well.
    data = esc.TrialData([3, 3, 0, 0, 0], [0, 2, 0, 0, 0], current=2, last_cohort=(3, 2))
    assert tpt.next_dose(data).dose == 1 and tpt.next_dose(data).action == "de-escalate"
    only = esc.ThreePlusThree(5, variant="escalation-only")
    assert only.next_dose(data).dose == esc.NO_DOSE and only.select(data) == 1
    assert boin.next_dose(data).dose == 1 and crm.next_dose(data).dose == 1
    # 1/3 then 1/3 at dose 1: 2/6 stops the 3+3 with no MTD; for BOIN 0.236 < 2/6 = 0.333 <= 0.3585: stay.
    assert tpt.next_dose("1NTN 1NTN").dose == esc.NO_DOSE and tpt.select("1NTN 1NTN") == esc.NO_DOSE
    assert boin.next_dose("1NTN 1NTN").dose == 1
    # 3/3 at dose 1: 3+3 and BOIN (elimination) stop; the CRM, which has no stopping rule, stays at dose 1.
    assert tpt.next_dose("1TTT").dose == esc.NO_DOSE and boin.next_dose("1TTT").dose == esc.NO_DOSE
    assert crm.next_dose("1TTT").dose == 1 and paths["CRM"].iloc[12:].tolist() == ["1 → 1"] * 4
    table = paths.set_index(["Cohort 1 DLTs", "Cohort 2 DLTs"])
    assert table.loc[("0/3", "2/3")].tolist() == ["2 → 1", "2 → 1", "2 → 1"]
    assert table.loc[("3/3", "0/3")].tolist() == ["stopped after cohort 1"] * 2 + ["1 → 1"]


@pytest.mark.parametrize("start", [1, 2])
def test_first_two_cohorts_agrees_with_each_designs_pathways(start):
    tab = chapter.first_two_cohorts(start, lang="en")
    for key in ("3+3", "BOIN", "CRM"):
        paths = esc.make_design(key, 5, 0.3, start_dose=start).pathways(2, lang="en")
        col = tab[esc.design_label(key, "en")]
        for _, row in paths.iterrows():
            y1, y2 = row["Cohort 1 DLTs"], row["Cohort 2 DLTs"]
            cells = col[(tab["Cohort 1 DLTs"] == y1) & ((tab["Cohort 2 DLTs"] == y2) | (y2 == ""))]
            if y2 == "":
                assert set(cells) == {t("epv_stopped_after_1", "en")}
            else:
                assert cells.tolist() == [f"{row['Cohort 2 dose']} → {row['Next dose after cohort 2']}"]


@pytest.mark.parametrize("kwargs, message", [(dict(designs=("3+3", "ATD")), "cohorts of three"),
                                             (dict(designs=("mtpi",)), "designs"), (dict(designs="BOIN"), "designs"),
                                             (dict(start_dose=6), "start_dose"), (dict(lang="fr"), "lang")])
def test_first_two_cohorts_refuses_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        chapter.first_two_cohorts(**kwargs)


# ------------------------------------------------------------------------------------------------ what the plan does
def test_operating_characteristics_on_the_default_scenario():
    # 3+3 (six at the MTD) from dose 1, by hand: dose 4 is the MTD when doses 1-3 clear (e1 e2 e3), dose 4 has at
    # most 1 DLT in its six (b4) and the trial comes back from dose 5 (F5 = 1 - e5 + a5 (1 - c5): dose 5 fails, or
    # clears in 3 and its three added patients have 2 or more DLTs).
    es, q = [e(p) for p in TOX], [1 - p for p in TOX]
    f5 = 1 - es[4] + q[4] ** 3 * (1 - q[4] ** 3 - 3 * TOX[4] * q[4] ** 2)
    f4 = 1 - es[3] + q[3] ** 3 * (1 - q[3] ** 3 - 3 * TOX[3] * q[3] ** 2) * f5
    assert abs(N["plan_p_target_tpt"] - es[0] * es[1] * es[2] * b6(TOX[3]) * f5) < 1e-12
    assert abs(N["plan_tpt_p_dose3"] - es[0] * es[1] * b6(TOX[2]) * f4) < 1e-12
    sel, _, patients = tpt_closed_form(TOX, 1)
    assert abs(N["plan_n_below_tpt"] - patients[:3].sum()) < 1e-12
    # what six at the MTD changes: the escalation-only 3+3 (Lin & Shih's closed form) selects dose 4 with
    # e1 e2 e3 e4 (1 - e5), treats fewer patients and selects dose 5 more often
    assert abs(N["plan_tpt_eo_p_target"] - es[0] * es[1] * es[2] * es[3] * (1 - es[4])) < 1e-12
    assert abs(N["plan_tpt_eo_p_above"] - np.prod(es)) < 1e-12
    _, _, eo_patients = tpt_closed_form_escalation_only(TOX, 1)
    assert abs(N["plan_tpt_eo_n_total"] - eo_patients.sum()) < 1e-12
    assert N["plan_tpt_eo_p_target"] > N["plan_p_target_tpt"] and N["plan_tpt_eo_n_total"] < N["plan_n_total_tpt"]
    assert N["plan_tpt_eo_p_above"] > N["plan_p_above_tpt"]
    # every design is exact (the CRM too), and the correct dose of the scenario is dose 4 (true DLT rate 0.30)
    for key in chapter.DESIGNS:
        s = chapter.summary(key)
        assert s.exact and s.correct == (4,)
    # BOIN's exact numbers agree with 10,000 simulated trials (seed 2025) within 4 Monte Carlo standard errors.
    sim = esc.make_design("BOIN", 5, 0.3).simulate(TOX, n_trials=10_000, seed=2025).summary()
    exact = chapter.operating_characteristics("BOIN")
    assert np.all(np.abs(sim.selection - exact.selection) <= 4 * sim.selection_se + 1e-12)
    # BOIN and the CRM enrol their 30 patients (BOIN stops early only if dose 1 is eliminated)
    assert N["plan_n_total_crm"] == pytest.approx(30.0, abs=1e-9)
    assert N["plan_n_total_boin"] == pytest.approx(30.0, abs=0.01)
    assert N["plan_seed"] == 2025


# (key, previous simulated value, its Monte Carlo standard error): chapter values of the last build, from
# operating_characteristics("crm") simulated with 4,000 trials and seed 2025 (standard errors over trials,
# sqrt(p(1-p)/4000) for the probabilities).
PREVIOUS_CRM = [("plan_p_target_crm", 0.55125, 0.00787), ("plan_p_above_crm", 0.29775, 0.00723),
                ("plan_start_crm_3_p_target", 0.5905, 0.00777)]


@pytest.mark.parametrize("key, simulated, se", PREVIOUS_CRM)
def test_exact_crm_agrees_with_the_previous_simulation(key, simulated, se):
    assert abs(N[key] - simulated) < 3 * se


@pytest.mark.parametrize("start", [1, 3])
def test_three_plus_three_matches_closed_form(start):
    oc = chapter.operating_characteristics("3+3", "target_4", start)
    sel, none, patients = tpt_closed_form(TOX, start)
    np.testing.assert_allclose(oc.selection, sel, atol=1e-12)
    assert oc.no_selection == pytest.approx(none, abs=1e-12)
    np.testing.assert_allclose(oc.patients, patients, atol=1e-12)


@pytest.mark.parametrize("start", [1, 3])
def test_escalation_only_three_plus_three_matches_its_closed_form(start):
    oc = esc.ThreePlusThree(5, start_dose=start, variant="escalation-only").exact(TOX)
    sel, none, patients = tpt_closed_form_escalation_only(TOX, start)
    np.testing.assert_allclose(oc.selection, sel, atol=1e-12)
    assert oc.no_selection == pytest.approx(none, abs=1e-12)
    np.testing.assert_allclose(oc.patients, patients, atol=1e-12)


def test_start_dose_numbers():
    es, ms = [e(p) for p in TOX], [m(p) for p in TOX]
    # 3+3 from dose 3: dose 3 is always treated (m3, plus three more if it cleared in 3 and the trial comes back,
    # 3 a3 F4); the trial comes below it with F3, then dose 2 treats 3 + 3 c2 and dose 1, reached if dose 2 has
    # 2 or more DLTs in its six (1 - b2), 3 + 3 c1; dose 4 is the MTD when dose 3 clears, dose 4 has at most 1/6
    # and the trial comes back from dose 5.
    q = [1 - p for p in TOX]
    a = [x ** 3 for x in q]
    c = [q[j] ** 3 + 3 * TOX[j] * q[j] ** 2 for j in range(5)]
    f5 = 1 - es[4] + a[4] * (1 - c[4])
    f4 = 1 - es[3] + a[3] * (1 - c[3]) * f5
    f3 = 1 - es[2] + a[2] * (1 - c[2]) * f4
    below = ms[2] + 3 * a[2] * f4 + f3 * (3 + 3 * c[1]) + f3 * (1 - b6(TOX[1])) * (3 + 3 * c[0])
    assert abs(N["plan_start_tpt_3_n_below"] - below) < 1e-12
    assert abs(N["plan_start_tpt_3_p_target"] - es[2] * b6(TOX[3]) * f5) < 1e-12
    # Starting closer to the target dose treats fewer patients below it, in every design.
    for k in ("tpt", "boin", "crm"):
        assert N[f"plan_start_{k}_3_n_below"] < N[f"plan_start_{k}_1_n_below"]
    # the start at dose 1 is the default scenario of the section before
    for k in ("tpt", "boin", "crm"):
        assert N[f"plan_start_{k}_1_p_target"] == N[f"plan_p_target_{k}"]
        assert N[f"plan_start_{k}_1_n_below"] == N[f"plan_n_below_{k}"]
    # BOIN and the CRM spend the patients saved below the target at and above it; selection improves a little
    assert N["plan_start_boin_3_n_at"] > N["plan_start_boin_1_n_at"]
    assert N["plan_start_boin_3_n_above"] > N["plan_start_boin_1_n_above"]
    assert N["plan_start_boin_3_p_target"] > N["plan_start_boin_1_p_target"]
    assert N["plan_start_crm_3_p_target"] > N["plan_start_crm_1_p_target"]


def test_accelerated_titration_numbers():
    atd = chapter.operating_characteristics("ATD")
    sim = chapter._simulated("ATD", "target_4", 1, chapter.AT_N_TRIALS, chapter.SEED)
    assert N["plan_at_n_trials"] == sim.n_trials == 10_000 and sim.seed == 2025
    # The simulation (10,000 trials, seed 2025) agrees with the exact enumeration within 4 standard errors.
    assert np.all(np.abs(sim.selection - atd.selection) <= 4 * sim.selection_se + 1e-12)
    assert np.all(np.abs(sim.patients - atd.patients) <= 4 * sim.patients_se + 1e-12)
    # Fewer patients below the target dose, a smaller trial, but a higher chance of selecting dose 5 (true DLT 0.45).
    assert N["plan_n_below_atd"] < N["plan_n_below_tpt"] and N["plan_n_total_atd"] < N["plan_n_total_tpt"]
    assert N["plan_p_above_atd"] > N["plan_p_above_tpt"]
    assert N["plan_at_saved"] == pytest.approx(N["plan_n_below_tpt"] - N["plan_n_below_atd"], abs=1e-12)
    assert N["plan_at_dose12"] == pytest.approx(atd.patients[:2].sum()) and N["plan_at_dose12"] < N["plan_tpt_dose12"]
    # the comparison is with the same 3+3 accelerated titration ends in (six patients at the MTD)
    assert chapter._design("ATD", 1).variant == chapter._design("3+3", 1).variant == "six-at-mtd"
    assert N["plan_tpt_dose12"] == pytest.approx(tpt_closed_form(TOX, 1)[2][:2].sum(), abs=1e-12)


def test_sentinel_numbers():
    # E = q + (1 - q) x 2q with one sentinel in a cohort of 3, and 3q without: q = 1 gives 1 vs 3;
    # q = 0.5 gives 0.5 + 0.5 = 1 vs 1.5; q = 0.05 gives 0.05 + 0.095 = 0.145 vs 0.15.
    assert (N["plan_sent_q100"], N["plan_sent_q100_together"]) == (1.0, 3.0)
    assert N["plan_sent_q50"] == pytest.approx(1.0) and N["plan_sent_q50_together"] == pytest.approx(1.5)
    assert N["plan_sent_q05"] == pytest.approx(0.145) and N["plan_sent_q05_together"] == pytest.approx(0.15)


def test_exercise_numbers():
    # Closed form as above, for the true DLT rates 0.05, 0.12, 0.30, 0.45, 0.60 (target dose 3).
    # By hand as in the solution: dose 3 is selected from dose 1 with e1 e2 b3 F4, from dose 2 with e2 b3 F4.
    t3 = chapter.SCENARIOS["target_3"]
    e3, m3, q3 = [e(p) for p in t3], [m(p) for p in t3], [1 - p for p in t3]
    a3 = [x ** 3 for x in q3]
    c3 = [q3[j] ** 3 + 3 * t3[j] * q3[j] ** 2 for j in range(5)]
    f = {6: 1.0}
    for j in (5, 4, 3, 2):
        f[j] = 1 - e3[j - 1] + a3[j - 1] * (1 - c3[j - 1]) * f[j + 1]
    assert abs(N["plan_ex2_1_p_target"] - e3[0] * e3[1] * b6(t3[2]) * f[4]) < 1e-12
    assert abs(N["plan_ex2_2_p_target"] - e3[1] * b6(t3[2]) * f[4]) < 1e-12
    assert abs(N["plan_ex2_1_n_below"] - (m3[0] + 3 * a3[0] * f[2] + e3[0] * (m3[1] + 3 * a3[1] * f[3]))) < 1e-12
    assert abs(N["plan_ex2_2_n_below"] - (m3[1] + 3 * a3[1] * f[3] + f[2] * (3 + 3 * c3[0]))) < 1e-12
    sel, _, patients = tpt_closed_form(t3, 2)
    assert N["plan_ex2_2_total_n"] == pytest.approx(patients.sum(), abs=1e-12)


def test_every_glued_value_is_a_plain_number():
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in N.values())
    assert chapter.numbers() == N and chapter.numbers() is not chapter.numbers()


# ------------------------------------------------------------------------------------------------ tables
@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    tab = chapter.oc_table(lang=lang)
    assert list(tab.index) == [esc.design_label(k, lang) for k in chapter.DESIGNS]
    assert set(tab[t("epv_col_method", lang)]) == {t("epv_exact", lang)}
    assert tab[t("epv_col_p_target", lang)].iloc[1] == round(100 * N["plan_p_target_boin"], 1)
    start = chapter.start_dose_table(lang=lang)
    assert len(start) == 6 and start[t("epv_col_n_below", lang)].iloc[1] == round(N["plan_start_tpt_3_n_below"], 2)
    at = chapter.accelerated_table(lang=lang)
    assert at[t("epv_col_method", lang)].tolist() == [t("epv_exact", lang)] * 2 + [
        t("epv_simulated", lang, n="10,000")]
    assert chapter.sentinel_table(lang=lang).shape == (4, 4)
    assert chapter.class_table(lang).shape == (4, 4)


@pytest.mark.parametrize("lang", LANGS)
def test_plan_views(lang):
    assert len(chapter.plan_view("BOIN", "pathways", lang=lang)) == 13
    assert isinstance(chapter.plan_view("CRM", "protocol", lang=lang), str)
    assert chapter.plan_view("CRM", "table", lang=lang).shape == (1, 1)
    assert chapter.plan_view("BOIN", "table", lang=lang).shape == (4, 12)
    assert len(chapter.plan_view("ATD", "table", lang=lang)) == 7
    with pytest.raises(ValueError, match="view"):
        chapter.plan_view("3+3", "chart", lang=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_protocol_appendix(lang):
    """The section "The rules as protocol text" shows the designs' own appendices, under its level-3 heading; BOIN's
    boundaries against the closed form of Liu & Yuan (2015), computed here by hand for phi = 0.3, phi1 = 0.18,
    phi2 = 0.42."""
    boin = chapter.protocol_appendix("BOIN", lang=lang).data
    assert boin == esc.make_design("BOIN", 5, 0.3).protocol("html", lang, level=4)
    assert boin.count("<h4>") == 1 and "<h3>" not in boin and "<h5>" in boin
    phi, phi1, phi2 = 0.3, 0.18, 0.42
    lambda_e = log((1 - phi1) / (1 - phi)) / log(phi * (1 - phi1) / (phi1 * (1 - phi)))
    lambda_d = log((1 - phi) / (1 - phi2)) / log(phi2 * (1 - phi) / (phi * (1 - phi2)))
    assert f"{lambda_e:.4f}" == "0.2365" and f"{lambda_d:.4f}" == "0.3585"
    assert f"<td>{lambda_e:.4f}</td>" in boin and f"<td>{lambda_d:.4f}</td>" in boin
    crm = chapter.protocol_appendix("CRM", start_dose=2, lang=lang).data
    assert f"<h5>{t('protocol_h_pathways', lang)}</h5>" in crm and f"<h5>{t('protocol_h_table', lang)}</h5>" not in crm
    with pytest.raises(ValueError, match="design"):
        chapter.protocol_appendix("EWOC", lang=lang)


@pytest.mark.parametrize("call, message", [
    (lambda: chapter.operating_characteristics("tpt"), "design"),
    (lambda: chapter.operating_characteristics("BOIN", "target_9"), "scenario"),
    (lambda: chapter.operating_characteristics("BOIN", start_dose=0), "start_dose"),
    (lambda: chapter.oc_table(designs=("EWOC",)), "designs"),
    (lambda: chapter.sentinel_table((0.5, 1.2)), "qs"),
    (lambda: chapter.sentinel_table(cohort_size=0), "cohort_size"),
    (lambda: chapter.oc_figure(highlight="EWOC"), "highlight"),
    (lambda: chapter.start_dose_figure(starts=()), "starts"),
    (lambda: chapter.class_table("fr"), "lang"),
])
def test_bad_arguments_name_themselves(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ------------------------------------------------------------------------------------------------ figures and widget
@pytest.mark.parametrize("lang", LANGS)
def test_figures_draw_without_warnings(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chapter.oc_figure(lang=lang)
        fig.canvas.draw()
        fig2 = chapter.start_dose_figure(lang=lang)
        fig2.canvas.draw()
    assert fig.axes[0].get_title(loc="left") == t("epv_title_selection", lang)
    assert len(fig.axes[0].patches) == 4 * 5 + 1  # bars and the shaded correct dose
    plt.close("all")


def test_widget_fits_the_site_budget_and_every_part_renders():
    w = chapter.widget
    assert isinstance(w, widgets.LiveWidget) and widgets.REGISTRY["escalation_plan"] is w
    # plan 4 designs x 3 views x 3 starts; table 4 x 4 scenarios x 3; figure 4 scenarios x 3 starts x 4 designs
    assert w.n_states == 36 + 48 + 48 <= widgets.MAX_STATES
    figure_states = len(list(w.part_states(2)))
    assert figure_states == 48 <= 60
    values = w.values(design="CRM", scenario="all_low", start_dose=3, view="table")
    assert w.render(0, "en", values).shape == (1, 1)
    assert len(w.render(1, "zh-tw", values)) == 1
    fig = w.render(2, "en", values)
    assert fig.axes[0].patches[4 * 5].get_x() == pytest.approx(4.5)  # the correct dose of "all_low" is dose 5
    plt.close(fig)
    alt = w.alt_text(2, "en", values)
    assert "dose 5" in alt and "CRM, the design chosen" in alt
    assert "BOIN selects it in 55% of trials" in chapter.figure_alt()


def test_every_control_changes_its_parts():
    w = chapter.widget
    base = w.defaults
    assert not w.render(1, "en", base).equals(w.render(1, "en", {**base, "design": "3+3"}))
    assert not w.render(1, "en", base).equals(w.render(1, "en", {**base, "scenario": "target_2"}))
    assert not w.render(1, "en", base).equals(w.render(1, "en", {**base, "start_dose": 2}))
    assert not w.render(0, "en", base).equals(w.render(0, "en", {**base, "view": "table"}))


def test_the_widgets_prepare_stores_every_tree_and_changes_no_number(monkeypatch):
    """The Jupyter view builds every design's outcome tree for start doses 1-5 when it opens; a redraw then replays
    a stored tree, with the numbers of an enumeration from scratch to the last bit."""
    from dosecourse.escalation.interval import PLANS

    assert chapter.widget.prepare is chapter._prepare_trees
    chapter._prepare_trees()
    for start in range(1, chapter.N_DOSES + 1):
        for key in chapter.DESIGNS:
            assert PLANS.get(chapter._design(key, start)) is not None, (key, start)
    tox = chapter.SCENARIOS["target_2"]
    stored = {(k, s): chapter._design(k, s).exact(tox) for k in chapter.DESIGNS for s in (2, 5)}
    monkeypatch.setattr(PLANS, "get", lambda design: None)  # no stored tree: every enumeration from scratch
    for (key, start), oc in stored.items():
        fresh = chapter._design(key, start).exact(tox)
        for field in ("selection", "patients", "dlts", "total_n", "no_selection", "stopped"):
            assert np.array_equal(getattr(oc, field), getattr(fresh, field)), (key, start, field)


def test_glofitamab_plan_as_published_and_derived_by_hand():
    # Transcribed from Hutchings M, et al. J Clin Oncol 2021;39(18):1959-1970 (doi:10.1200/JCO.20.03175), abstract on
    # PMC8210975: obinutuzumab 1,000 mg seven days before the first dose; glofitamab 0.005-30 mg; 171 patients in
    # the multipatient cohorts.
    n = chapter.numbers()
    assert (n["plan_glofit_gpt_mg"], n["plan_glofit_gpt_days"]) == (1000.0, 7)
    assert (n["plan_glofit_lo_mg"], n["plan_glofit_hi_mg"], n["plan_glofit_n"]) == (0.005, 30.0, 171)
    # By hand: 30 / 0.005 = 6000; doubling needs ceil(log2 6000) = ceil(12.55) = 13 steps, 14 levels with the
    # start, 42 patients at three per level.
    assert n["plan_glofit_span"] == pytest.approx(6000.0, rel=1e-12)
    assert n["plan_glofit_doublings"] == 13 == floor(log(6000) / log(2)) + 1
    assert (n["plan_glofit_levels"], n["plan_glofit_levels_pts"]) == (14, 42)
    assert 2 ** 12 * 0.005 < 30.0 <= 2 ** 13 * 0.005
