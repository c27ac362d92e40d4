"""Tests of BOIN12 (dosecourse.escalation.boin12) against Lin et al. 2020 and its own invariants.

Sources of expected numbers
---------------------------
* Lin R, Zhou Y, Yan F, Li D, Yuan Y. JCO Precis Oncol 2020;4:1393 (doi:10.1200/PO.20.00257): the worked example
  on p. 1396 and the example trial of Fig. S2 (5 doses, cohorts of 3, 30 patients, phi_T 0.35, phi_E 0.25,
  utilities 100/40/60/0), transcribed in dosecourse/data/boin12_lin2020_paths.json
  (``dosecourse.data.load("boin12_lin2020_paths")``).
* BOIN's boundaries by the closed form of Liu & Yuan 2015, desirability scores by a midpoint-rule Beta integral
  written here, and operating characteristics by an exact enumeration written here on top of ``next_dose`` and
  ``select``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse import data
from dosecourse.escalation import NO_DOSE, OUTCOMES, TrialData
from dosecourse.escalation.boin12 import BOIN12, joint_probabilities

LIN2020 = data.load("boin12_lin2020_paths")
LIN2020_PATHS = [(case["outcomes"], case["dose"], case["continue"]) for case in LIN2020["paths"]]


def outcome_counts(outcomes: str, n_doses: int) -> np.ndarray:
    """Counts of E, N, B, T per dose of an outcome string (columns in the order of OUTCOMES)."""
    return TrialData.from_outcomes(outcomes, n_doses).outcomes


@pytest.fixture(scope="module")
def design() -> BOIN12:
    return BOIN12(0.35, 0.25, n_doses=5)


def test_published_design_settings(design):
    # the transcription's design block is the design these tests use
    settings_ = LIN2020["design"]
    assert (design.target_tox, design.target_eff, design.n_doses, design.cohort_size, design.n_cohorts) == (
        settings_["target_tox"], settings_["target_eff"], settings_["n_doses"], settings_["cohort_size"],
        settings_["n_cohorts"])
    assert design.utilities.tolist() == settings_["utilities"]


@pytest.mark.parametrize("outcomes, dose, cont", LIN2020_PATHS)
def test_published_decisions(design, outcomes, dose, cont):
    """All 11 decisions of Lin et al. 2020 (p. 1396 and Fig. S2)."""
    decision = design.next_dose(outcomes)
    if cont:
        assert decision.dose == dose
    else:  # 30 patients reached: the trial stops and recommends the OBD
        assert decision.action == "stop" and decision.dose == NO_DOSE
        assert decision.key == "boin12_stop_max_n"
        assert design.select(outcomes) == dose
        assert f"is {dose}" in decision.reason("en")


def test_boundaries_utilities_and_benchmark(design):
    # BOIN boundaries for phi = 0.35 (phi1 = 0.21, phi2 = 0.49), by the closed form of Liu & Yuan 2015
    le = math.log(0.79 / 0.65) / math.log(0.35 * 0.79 / (0.21 * 0.65))
    ld = math.log(0.65 / 0.51) / math.log(0.49 * 0.65 / (0.35 * 0.51))
    assert design.lambda_e == pytest.approx(le, abs=1e-12) and round(le, 4) == 0.2763
    assert design.lambda_d == pytest.approx(ld, abs=1e-12) and round(ld, 4) == 0.4189
    # ubar = 100(.25)(.65) + 40(.75)(.65) + 60(.25)(.35) + 0 = 41 and u_b = 41 + 59/2 = 70.5 (Lin et al. 2020)
    assert design.mean_utility_at_targets == pytest.approx(41.0)
    assert design.benchmark == pytest.approx(70.5)
    assert design.utility_table().to_numpy().tolist() == [[100, 40], [60, 0]]
    assert design.utility_table("zh-tw").columns.tolist() == ["有療效", "無療效"]
    assert BOIN12(0.35, 0.25, 5, utilities=(100, 20, 50, 0)).benchmark == pytest.approx(
        (0.25 * 0.65 * 100 + 0.75 * 0.65 * 20 + 0.25 * 0.35 * 50) / 2 + 50)


def _beta_sf(q: float, a: float, b: float, m: int = 200_000) -> float:
    """Pr(Beta(a, b) > q) by the midpoint rule, independent of scipy.stats."""
    x = q + (np.arange(m) + 0.5) * (1 - q) / m
    log_c = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return float(np.sum(np.exp(log_c + (a - 1) * np.log(x) + (b - 1) * np.log1p(-x))) * (1 - q) / m)


def test_desirability_scores(design):
    # untried dose: Pr(Beta(1, 1) > 0.705) = 0.295
    assert design.desirability(0, 0) == pytest.approx(0.295)
    # "3NEE": x = (40 + 100 + 100) / 100 = 2.4, posterior Beta(3.4, 1.6)
    counts = outcome_counts("3NEE", 3)[2]
    x = counts @ design.utilities / 100
    assert x == pytest.approx(2.4)
    assert design.desirability(3, x) == pytest.approx(_beta_sf(0.705, 3.4, 1.6), abs=1e-6)
    assert design.desirability(3, x) == pytest.approx(0.5009, abs=1e-4)


def test_admissibility_rules(design):
    # 3/3 DLTs: Pr(p_T > .35 | Beta(4, 1)) = 1 - .35^4 = .985 > .95 closes the dose and all above
    n, y_t, y_e = [3, 3, 0, 0, 0], [0, 3, 0, 0, 0], [1, 1, 0, 0, 0]
    assert design.admissible(n, y_t, y_e).tolist() == [True, False, False, False, False]
    # no response in 9: Pr(p_E < .25 | Beta(1, 10)) = 1 - .75^10 = .944 > .90 closes that dose only;
    # none in 6: 1 - .75^7 = .867 < .90 keeps it
    assert 1 - 0.75 ** 10 > 0.9 > 1 - 0.75 ** 7
    assert design.admissible([9, 6, 0], [0, 0, 0], [0, 0, 0]).tolist() == [False, True, True]
    decision = design.next_dose(TrialData(n, y_t, current=2, responses=y_e))
    assert decision.dose == 1 and decision.action == "de-escalate" and decision.eliminated == 2


def test_skips_a_closed_dose_and_stops_when_none_is_left(design):
    # dose 2 closed for futility (0/9 responses); from dose 3 with a DLT rate above lambda_d go to dose 1
    decision = design.next_dose(TrialData([3, 9, 3, 0, 0], [0, 0, 2, 0, 0], current=3, responses=[1, 0, 1, 0, 0]))
    assert decision.dose == 1 and decision.action == "de-escalate"
    explore = design.next_dose(TrialData([9, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, responses=[0, 0, 0, 0, 0]))
    assert explore.dose == 2  # n_explore: 9 patients, no DLT, dose 2 untried, even though dose 1 is futile
    none_left = design.next_dose(TrialData([3, 0, 0, 0, 0], [3, 0, 0, 0, 0], current=1, responses=[1, 0, 0, 0, 0]))
    assert none_left.action == "stop" and none_left.dose == NO_DOSE
    assert "admissible" in none_left.reason("en") and "可接受" in none_left.reason("zh-tw")


def test_margins_and_joint_counts_agree(design):
    counts = outcome_counts("1NNN 2ENT 3ETT 2EEN", 5)
    n, y_t, y_e = counts.sum(1), counts[:, 2] + counts[:, 3], counts[:, 0] + counts[:, 2]
    via_counts = design.next_dose(TrialData(n, y_t, current=2, outcomes=counts))
    via_margins = design.next_dose(TrialData(n, y_t, current=2, responses=y_e))
    assert via_counts == via_margins
    assert design.next_dose("1NNN 2ENT 3ETT 2EEN") == via_counts   # the outcome string gives the same data
    assert design.select(TrialData(n, y_t, current=2, responses=y_e)) == design.select(
        TrialData(n, y_t, current=2, outcomes=counts))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
                min_size=5, max_size=5), st.integers(1, 5))
def test_decision_properties(rows, current):
    """The rule moves at most to the nearest admissible neighbour and respects the toxicity boundaries."""
    # room for every count drawn here (up to 180 patients), so that the maximum-sample-size stop never applies
    design = BOIN12(0.35, 0.25, 5, n_cohorts=100)
    counts = np.array(rows)
    n, y_t, y_e = counts.sum(1), counts[:, 2] + counts[:, 3], counts[:, 0] + counts[:, 2]
    if n[current - 1] == 0:
        with pytest.raises(ValueError, match="no patients"):
            design.next_dose(TrialData(n, y_t, current=current, outcomes=counts))
        return
    decision = design.next_dose(TrialData(n, y_t, current=current, outcomes=counts))
    admissible = design.admissible(n, y_t, y_e)
    lower = [d for d in range(1, current) if admissible[d - 1]]
    upper = [d for d in range(current + 1, 6) if admissible[d - 1]]
    allowed = {current, lower[-1] if lower else NO_DOSE, upper[0] if upper else NO_DOSE}
    assert decision.dose in allowed
    rate = y_t[current - 1] / n[current - 1]
    if rate >= design.lambda_d:
        assert decision.action != "escalate"
    if decision.dose != NO_DOSE:
        assert admissible[decision.dose - 1]
        assert decision.dose <= current + 1 or n[decision.dose - 2] > 0  # never skips an untried dose
    else:
        assert not admissible[current - 1] and not lower
    # the same decision from the margins (the default utilities are additive)
    assert design.next_dose(TrialData(n, y_t, current=current, responses=y_e)) == decision


def test_joint_probabilities():
    probs = joint_probabilities([0.1, 0.3], [0.4, 0.6])
    assert probs.sum(axis=1) == pytest.approx([1, 1])
    assert probs[:, 2] == pytest.approx([0.04, 0.18])  # independence: Pr(B) = p_T p_E
    corr = joint_probabilities([0.1, 0.3], [0.4, 0.6], rho=0.5)
    assert corr[:, 2] + corr[:, 3] == pytest.approx([0.1, 0.3])  # toxicity margin kept
    assert corr[:, 0] + corr[:, 2] == pytest.approx([0.4, 0.6])  # efficacy margin kept
    assert np.all(corr[:, 2] > probs[:, 2])


def _exact_two_cohorts(design: BOIN12, probs: np.ndarray):
    """Exact selection and mean patients of a 2-cohort trial by enumerating every outcome (via next_dose and
    select): index 0 of the selection is "no dose"."""
    k, c = design.n_doses, design.cohort_size
    assert design.n_cohorts == 2
    combos = [np.bincount(np.array(s), minlength=4) for s in itertools.combinations_with_replacement(range(4), c)]
    weight = [math.factorial(c) / np.prod([math.factorial(v) for v in m]) for m in combos]
    selection, patients = np.zeros(k + 1), np.zeros(k)

    def as_data(table: np.ndarray, current: int) -> TrialData:
        return TrialData(table.sum(1), table[:, 2] + table[:, 3], current=current, outcomes=table)

    for m1, w1 in zip(combos, weight):
        d1 = design.start_dose
        p1 = w1 * np.prod(probs[d1 - 1] ** m1)
        table = np.zeros((k, 4), dtype=int)
        table[d1 - 1] += m1
        nxt = design.next_dose(as_data(table, d1)).dose
        if nxt == NO_DOSE:
            selection[0] += p1
            patients += p1 * table.sum(1)
            continue
        for m2, w2 in zip(combos, weight):
            p2 = p1 * w2 * np.prod(probs[nxt - 1] ** m2)
            full = table.copy()
            full[nxt - 1] += m2
            end = design.next_dose(as_data(full, nxt))
            # after the last cohort the trial ends: with no admissible dose left it stops without an OBD,
            # otherwise it has reached the maximum sample size and selects the OBD
            assert end.dose == NO_DOSE and end.key in ("boin12_stop_none", "boin12_stop_max_n")
            obd = NO_DOSE if end.key == "boin12_stop_none" else design.select(as_data(full, nxt))
            selection[obd] += p2
            patients += p2 * full.sum(1)
    return selection, patients


def test_vectorised_simulation_matches_exact_enumeration():
    """The lockstep simulator against an exact enumeration built on next_dose / select (within 4 SE)."""
    design = BOIN12(0.35, 0.25, 3, n_cohorts=2)
    tox, eff = [0.1, 0.35, 0.6], [0.2, 0.4, 0.5]
    selection, patients = _exact_two_cohorts(design, joint_probabilities(tox, eff))
    assert selection.sum() == pytest.approx(1)
    oc = design.simulate(tox, n_trials=20_000, seed=11, true_eff=eff).summary()
    assert np.all(np.abs(oc.selection - selection[1:]) <= 4 * np.maximum(oc.selection_se, 1e-3))
    assert abs(oc.no_selection - selection[0]) <= 4 * max(oc.no_selection_se, 1e-3)
    assert np.all(np.abs(oc.patients - patients) <= 4 * np.maximum(oc.patients_se, 1e-3))


def test_simulation_summary_is_consistent_and_reproducible(design):
    tox, eff = [0.05, 0.1, 0.2, 0.3, 0.45], [0.1, 0.3, 0.5, 0.5, 0.5]
    oc = design.simulate(tox, n_trials=2000, seed=5, true_eff=eff).summary()
    again = design.simulate(tox, n_trials=2000, seed=5, true_eff=eff).summary()
    assert np.array_equal(oc.selection, again.selection) and oc.total_n == again.total_n
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1)
    assert oc.patients.sum() == pytest.approx(oc.total_n)
    assert oc.total_n <= design.max_n
    assert np.all(oc.dlts <= oc.patients) and np.all(oc.responses <= oc.patients)
    assert oc.true_eff.tolist() == eff
    assert oc.selects == "OBD" and oc.n_trials == 2000 and oc.seed == 5
    frame = oc.to_frame("zh-tw")
    assert "真實療效機率" in frame.index and "被選為最佳生物劑量 (%)" in frame.index
    # a correlated scenario runs and keeps the margins
    assert design.simulate(tox, n_trials=200, seed=1, true_eff=eff, rho=0.4).n_trials == 200


def test_describe_in_both_languages(design):
    en, zh = design.describe("en"), design.describe("zh-tw")
    for text in (en, zh):
        assert "70.5" in text and "0.419" in text and "0.276" in text and "41" in text
    assert "optimal biological dose" in en and "最佳生物劑量" in zh and "效用" in zh


@pytest.mark.parametrize("kwargs, match", [
    ({"target_tox": 1.2}, "target_tox"),
    ({"target_eff": 0}, "target_eff"),
    ({"cutoff_eff": 1.5}, "cutoff_eff"),
    ({"utilities": (100, 40, 60, -5)}, "utilities must be >= 0"),      # each utility in [0, 100]
    ({"utilities": (100, 40, 160, 0)}, "utilities must be <= 100"),
    ({"utilities": (50, 60, 40, 0)}, "T0E1"),
    ({"utilities": (100, 40, 60)}, "utilities must have 4 values"),
    ({"n_star": 0}, "n_star"),
])
def test_bad_design_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        BOIN12(**({"target_tox": 0.35, "target_eff": 0.25, "n_doses": 5} | kwargs))


def test_bad_data(design):
    eff = [0, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="y cannot exceed n"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [4, 0, 0, 0, 0], current=1, responses=eff))
    with pytest.raises(ValueError, match="responses cannot exceed n"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, responses=[4, 0, 0, 0, 0]))
    with pytest.raises(ValueError, match="n must not be negative"):
        design.next_dose(TrialData([-3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, responses=eff))
    with pytest.raises(ValueError, match="data has 4 doses but the design has 5"):
        design.next_dose(TrialData([3, 0, 0, 0], [0, 0, 0, 0], current=1, responses=eff[:4]))
    with pytest.raises(ValueError, match="efficacy data"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1))
    with pytest.raises(ValueError, match="shape"):
        design.next_dose(TrialData([0] * 5, [0] * 5, outcomes=np.zeros((5, 3), dtype=int)))
    with pytest.raises(ValueError, match="negative"):
        design.next_dose(TrialData([0] * 5, [0] * 5, outcomes=-np.ones((5, 4), dtype=int)))
    with pytest.raises(ValueError, match="disagree"):
        design.next_dose(TrialData([6, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1,
                                   outcomes=outcome_counts("1NNN", 5)))
    with pytest.raises(ValueError, match="not additive"):
        BOIN12(0.35, 0.25, 5, utilities=(100, 30, 50, 0)).next_dose(
            TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, responses=eff))
    with pytest.raises(ValueError, match="dose 6"):
        design.next_dose("1NNN 6NNN")
    with pytest.raises(ValueError, match="letters"):
        design.next_dose("1NNX")


def test_bad_scenarios(design):
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate([0.1] * 5, n_trials=10)
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate([0.1] * 5, n_trials=10, true_eff=[0.2] * 4)
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate([0.1] * 5, n_trials=10, true_eff=[0.2, 0.3, 1.5, 0.4, 0.5])
    with pytest.raises(ValueError, match="true_tox"):
        design.simulate([0.1, 0.2, 0.3, 0.4, 1.0], n_trials=10, true_eff=[0.2] * 5)
    with pytest.raises(ValueError, match="rho"):
        design.simulate([0.1] * 5, n_trials=10, true_eff=[0.2] * 5, rho=1)
    with pytest.raises(TypeError, match="unexpected"):
        design.simulate([0.1] * 5, n_trials=10, true_eff=[0.2] * 5, accrual=3)


def test_outcome_letters_follow_the_utility_order():
    assert OUTCOMES == ("E", "N", "B", "T")
    assert outcome_counts("1EBTN 2B", 2).tolist() == [[1, 1, 1, 1], [0, 0, 1, 0]]


def test_decision_table_agrees_with_the_decisions(design):
    """Every boundary in the table is the count at which next_dose/admissible actually change."""
    table = design.decision_table(12)
    for n in range(3, 13):
        d_row = int(table.iloc[1][n])
        # Observed rate at the boundary is >= lambda_d, one DLT fewer is below it (BOIN rule, Liu & Yuan 2015)
        assert d_row / n >= design.lambda_d > (d_row - 1) / n
        e_row = table.iloc[2][n]
        if e_row is not pd.NA:
            assert not design.admissible([n], [int(e_row)], [n])[0]
            assert design.admissible([n], [int(e_row) - 1], [n])[0]


def test_pathways_cover_every_outcome_mix_and_follow_next_dose(design):
    table = design.pathways(1)
    assert len(table) == 20  # multisets of size 3 from {E, T, B, N}: C(6, 3)
    for _, row in table.iterrows():
        decision = design.next_dose(f"1{row.iloc[1]}")
        assert row.iloc[2] == (decision.dose if decision.dose != NO_DOSE else "stop")
    # from a published state (Lin 2020, Fig. S2): after 1NNN 2NNB, the next cohort goes to dose 3
    assert set(design.pathways(1, "1NNN 2NNB").iloc[:, 0]) == {3}
