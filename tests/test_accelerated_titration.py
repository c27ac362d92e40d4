"""Tests of accelerated titration (dosecourse.escalation.accelerated_titration), Simon et al. (1997) reduced to
DLT data: single patients one dose level apart until the first DLT (or the top dose), then the 3+3.

The independent references are closed forms derived by hand in the comments below.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse.escalation import NO_DOSE, TrialData
from dosecourse.escalation.accelerated_titration import AcceleratedTitration
from dosecourse.escalation.three_plus_three import ThreePlusThree


def p_escalate(p):
    """3+3 probability of clearing a dose: (1-p)^3 + 3p(1-p)^5 (method-semantics.md)."""
    return (1 - p) ** 3 + 3 * p * (1 - p) ** 5


def p_six(p):
    """At most one DLT in six patients: (1-p)^6 + 6p(1-p)^5, what the six-at-MTD 3+3 asks of its MTD."""
    return (1 - p) ** 6 + 6 * p * (1 - p) ** 5


@pytest.mark.parametrize("variant, declared", [("escalation-only", p_escalate), ("six-at-mtd", p_six)])
@pytest.mark.parametrize("p", [0.05, 0.3, 0.6])
def test_one_dose_is_declared_as_in_the_3_plus_3(variant, declared, p):
    # One dose: the accelerated patient plus the two added form a first cohort of three with Binomial(3, p) DLTs,
    # so the dose is declared the MTD as in the 3+3 of the same variant: escalation-only when it clears,
    # (1-p)^3 + 3p(1-p)^5 (0.494263 at p = 0.3); six at the MTD with at most 1 DLT in six (0.420175 at 0.3).
    oc = AcceleratedTitration(n_doses=1, variant=variant).exact([p])
    assert oc.selection[0] == pytest.approx(declared(p), abs=1e-12)
    assert oc.selection[0] == pytest.approx(ThreePlusThree(n_doses=1, variant=variant).exact([p]).selection[0],
                                            abs=1e-12)


def test_its_3_plus_3_is_the_3_plus_3_default():
    # Accelerated titration ends in the same 3+3 as ThreePlusThree's default (six patients at the MTD).
    assert AcceleratedTitration(n_doses=4).variant == ThreePlusThree(n_doses=4).variant == "six-at-mtd"


@pytest.mark.parametrize("p1, p2", [(0.1, 0.3), (0.3, 0.5), (0.02, 0.05), (0.5, 0.9)])
def test_two_doses_escalation_only_closed_form(p1, p2):
    # Hand derivation for K = 2, escalation-only (e2 = P(clear dose 2) as in the 3+3):
    #  patient 1 at dose 1 has a DLT (p1): two more join; total 1/3 ((1-p1)^2) -> three more; 1/6 ((1-p1)^3)
    #    -> dose 2 in cohorts of 3: cleared (e2) selects 2, else MTD 1; any further DLT at dose 1 -> no MTD.
    #  no DLT (1 - p1): single patient at dose 2, then two more, the three forming a Binomial(3, p2) cohort:
    #    cleared (e2) selects dose 2, otherwise the MTD is dose 1 (escalation-only).
    # So P(none) = p1 (1 - (1-p1)^5), P(select 2) = (p1 (1-p1)^5 + 1 - p1) e2, and the mean numbers of patients
    # are 1 + 2 p1 + 3 p1 (1-p1)^2 at dose 1 and (p1 (1-p1)^5 + 1 - p1)(3 + 9 p2 (1-p2)^2) at dose 2.
    reach2 = p1 * (1 - p1) ** 5 + 1 - p1
    oc = AcceleratedTitration(n_doses=2, variant="escalation-only").exact([p1, p2])
    assert oc.no_selection == pytest.approx(p1 * (1 - (1 - p1) ** 5), abs=1e-12)
    assert oc.selection[1] == pytest.approx(reach2 * p_escalate(p2), abs=1e-12)
    assert oc.selection[0] == pytest.approx(reach2 * (1 - p_escalate(p2)), abs=1e-12)
    assert oc.patients[0] == pytest.approx(1 + 2 * p1 + 3 * p1 * (1 - p1) ** 2, abs=1e-12)
    assert oc.patients[1] == pytest.approx(reach2 * (3 + 9 * p2 * (1 - p2) ** 2), abs=1e-12)


def test_fewer_patients_at_low_doses_than_the_3_plus_3():
    # The purpose of the design (Simon et al. 1997): fewer patients at sub-therapeutic doses.  With low toxicity
    # at doses 1-3, the 3+3 treats at least 3 patients at each, accelerated titration about one.
    tox = [0.01, 0.02, 0.05, 0.30, 0.50]
    atd = AcceleratedTitration(n_doses=5).exact(tox)
    tpt = ThreePlusThree(n_doses=5).exact(tox)
    assert atd.patients[:3].sum() < 0.6 * tpt.patients[:3].sum()
    assert atd.total_n < tpt.total_n


SCENARIOS = [[0.05, 0.15, 0.30, 0.45, 0.60], [0.01, 0.02, 0.05, 0.30, 0.50], [0.30, 0.40, 0.50, 0.60, 0.70],
             [0.02, 0.04, 0.06, 0.08, 0.10]]


@pytest.mark.parametrize("variant", ["escalation-only", "six-at-mtd"])
@pytest.mark.parametrize("true_tox", SCENARIOS)
def test_exact_agrees_with_simulation(variant, true_tox):
    # Every simulated quantity within 4 Monte Carlo SE of its exact value.  4 rather than 3 SE is a family-wise
    # (Bonferroni) bound: this test makes ~140 comparisons, and at 3 SE each, some comparison fails with
    # probability ~0.3 when simulation and exact agree (seed 5 gives z = -3.66 for one selection probability;
    # over 40 seeds the z-scores have mean ~0 and SD ~1, and 2 * 10^6 trials give z = -0.8 there).
    design = AcceleratedTitration(n_doses=5, variant=variant)
    n_trials = 20_000
    exact = design.exact(true_tox)
    sim = design.simulate(true_tox, n_trials=n_trials, seed=5).summary()
    se_sel = np.maximum(np.sqrt(exact.selection * (1 - exact.selection) / n_trials), sim.selection_se)
    assert np.all(np.abs(sim.selection - exact.selection) <= 4 * se_sel)
    se_none = max(np.sqrt(exact.no_selection * (1 - exact.no_selection) / n_trials), sim.no_selection_se)
    assert abs(sim.no_selection - exact.no_selection) <= 4 * se_none
    assert abs(sim.total_n - exact.total_n) <= 4 * sim.total_n_se
    assert np.all(np.abs(sim.patients - exact.patients) <= 4 * sim.patients_se + 1e-12)
    assert np.all(np.abs(sim.dlts - exact.dlts) <= 4 * sim.dlts_se + 1e-12)
    assert exact.selection.sum() + exact.no_selection == pytest.approx(1.0, abs=1e-12)


def test_exact_equals_brute_force_enumeration_through_next_dose():
    # Independent of exact()'s layered, merged enumeration: a plain recursion over every cohort outcome that
    # only calls next_dose / select and the cohort size hook (_cohort_size, as pathways() uses it).
    from scipy.stats import binom

    tox = np.array([0.02, 0.04, 0.06, 0.08, 0.10])
    design = AcceleratedTitration(n_doses=5)
    patients, selection = np.zeros(5), np.zeros(6)

    def walk(trial, dose, prob):
        size = design._cohort_size(trial, dose)
        for k in range(size + 1):
            after = trial.add(dose, k, size=size)
            p = prob * binom.pmf(k, size, tox[dose - 1])
            decision = design.next_dose(after)
            if decision.dose == NO_DOSE:
                patients[:] += p * after.n
                selection[design.select(after)] += p
            else:
                walk(after, decision.dose, p)

    walk(TrialData.empty(5), 1, 1.0)
    oc = design.exact(tox)
    np.testing.assert_allclose(oc.patients, patients, atol=1e-12)
    np.testing.assert_allclose(oc.selection, selection[1:], atol=1e-12)
    assert oc.no_selection == pytest.approx(selection[0], abs=1e-12)


@pytest.mark.parametrize("variant, start", [("six-at-mtd", 1), ("escalation-only", 1), ("six-at-mtd", 2)])
def test_vectorised_simulation_equals_sequential_next_dose(variant, start):
    # Reference: a plain loop calling next_dose / select and the cohort-size hook on the same uniform draws (a
    # cohort of c patients in step m of trial i uses u[i, m, :c]).
    design = AcceleratedTitration(n_doses=5, start_dose=start, variant=variant)
    true_tox = np.array([0.05, 0.15, 0.30, 0.45, 0.60])
    u = np.random.default_rng(3).random((2000, design.n_cohorts, 3))
    selected, n_vec, y_vec = design._trials(true_tox, u)
    for i in range(u.shape[0]):
        trial = TrialData.empty(5)
        dose, m = start, 0
        while dose != NO_DOSE:
            size = design._cohort_size(trial, dose)
            dlts = int((u[i, m, :size] < true_tox[dose - 1]).sum())
            trial = trial.add(dose, dlts, size=size)
            decision = design.next_dose(trial)
            dose, m = decision.dose, m + 1
        np.testing.assert_array_equal(n_vec[i], trial.n)
        np.testing.assert_array_equal(y_vec[i], trial.y)
        assert selected[i] == design.select(trial) == (decision.fields["mtd"] or NO_DOSE)
        assert trial.n.max() <= 6


def test_decisions():
    design = AcceleratedTitration(n_doses=4)
    # the size of the next cohort: the decision's reason gives it ("add"), and it is the design's cohort hook
    one = TrialData([1, 0, 0, 0], [0, 0, 0, 0], current=1)
    d = design.next_dose(one)
    assert (d.action, d.dose, d.key) == ("escalate", 2, "atd_accelerate")
    assert design._cohort_size(one, 2) == d.fields["add"] == 1
    switch = TrialData([1, 1, 0, 0], [0, 1, 0, 0], current=2)
    d = design.next_dose(switch)
    assert (d.action, d.dose, d.key) == ("stay", 2, "atd_switch_dlt")
    assert design._cohort_size(switch, 2) == d.fields["add"] == 2
    d = design.next_dose(TrialData([1, 1, 1, 1], [0, 0, 0, 0], current=4))
    assert (d.action, d.dose, d.key) == ("stay", 4, "atd_switch_top")
    # after the switch: 2/3 at dose 2 -> back to dose 1, which had a single patient: two more join it
    back = TrialData([1, 3, 0, 0], [0, 2, 0, 0], current=2)
    d = design.next_dose(back)
    assert (d.action, d.dose) == ("de-escalate", 1)
    assert design._cohort_size(back, 1) == d.fields["add"] == 2
    # escalation-only declares the dose below the MTD even with its single patient
    only = AcceleratedTitration(n_doses=4, variant="escalation-only")
    d = only.next_dose(back)
    assert (d.action, d.fields["mtd"], only.select(back)) == ("stop", 1, 1)
    with pytest.raises(ValueError, match=r"^data: Accelerated titration decides after 1, 3, 6 patients"):
        design.next_dose(TrialData([2, 0, 0, 0], [0, 0, 0, 0], current=1))


def test_pathways_tables_and_text():
    design = AcceleratedTitration(n_doses=4)
    paths = design.pathways(n_cohorts=2)
    # cohort 1: one patient (0/1 or 1/1); after 0/1 another single patient, after 1/1 two more at dose 1
    assert set(paths.iloc[:, 1]) == {"0/1", "1/1"}
    assert set(paths.loc[paths.iloc[:, 1] == "0/1"].iloc[:, 4]) == {"0/1", "1/1"}
    assert set(paths.loc[paths.iloc[:, 1] == "1/1"].iloc[:, 4]) == {"0/2", "1/2", "2/2"}
    assert len(design.decision_table()) == 7
    en, zh = design.describe("en"), design.describe("zh-tw")
    assert "Simon et al. 1997" in en and "grade 2" in en
    assert "加速滴定設計" in zh and "2 級毒性" in zh
    assert design.max_n == 24


@settings(max_examples=30, deadline=None)
@given(tox=st.lists(st.floats(0.01, 0.95), min_size=1, max_size=5).map(sorted),
       variant=st.sampled_from(["escalation-only", "six-at-mtd"]))
def test_exact_probabilities_and_patients_add_up(tox, variant):
    oc = AcceleratedTitration(n_doses=len(tox), variant=variant).exact(tox)
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1.0, abs=1e-12)
    assert oc.patients.sum() == pytest.approx(oc.total_n, abs=1e-12)
    assert np.all(oc.patients <= 6 + 1e-12)
