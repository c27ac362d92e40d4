"""Tests of BF-BOIN (dosecourse.escalation.bfboin) against Zhao et al. 2024 and its own invariants.

Sources of expected numbers
---------------------------
* Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673 (doi:10.1158/1078-0432.CCR-23-2585),
  Tables 3-4, transcribed in dosecourse/data/bfboin_zhao2024_table4.json
  (``dosecourse.data.load("bfboin_zhao2024_table4")``; its "note" explains the BOIN comparator).
* BOIN's exact operating characteristics (``BOIN.exact``, itself checked in tests/test_exact_oc.py) for BF-BOIN
  without backfilling.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dosecourse import data
from dosecourse.escalation import NO_DOSE, TrialData
from dosecourse.escalation.bfboin import BFBOIN, weibull_dlt_times
from dosecourse.escalation.boin import BOIN

# Zhao et al. 2024, Table 3 (scenarios; the MTD is the dose with DLT rate 0.25) and Table 4 (10,000 trials each):
# target 0.25, 5 doses, 10 cohorts of 3, n_earlystop 9, backfill cap 12, 3 patients a month, 1-month DLT window.
# Columns: correct selection %, overdose selection %, patients below / at / above the MTD, mean N, months.
# None: not applicable (no dose below or above the MTD).  BOIN rows 6-12 repeat rows 2-5 (same DLT rates).
DLT = {1: [0.25, 0.41, 0.45, 0.49, 0.53], 2: [0.12, 0.25, 0.42, 0.49, 0.55], 3: [0.04, 0.12, 0.25, 0.43, 0.63],
       4: [0.02, 0.06, 0.10, 0.25, 0.40], 5: [0.02, 0.05, 0.08, 0.11, 0.25]}
SCENARIOS = {  # scenario: (DLT profile, response rates)
    1: (1, [0.30, 0.40, 0.45, 0.50, 0.55]), 2: (2, [0.20, 0.30, 0.40, 0.50, 0.60]),
    3: (3, [0.10, 0.20, 0.30, 0.45, 0.58]), 4: (4, [0.05, 0.10, 0.15, 0.30, 0.45]),
    5: (5, [0.05, 0.10, 0.15, 0.20, 0.30]), 6: (2, [0.30, 0.35, 0.36, 0.36, 0.36]),
    7: (3, [0.15, 0.30, 0.35, 0.36, 0.36]), 8: (4, [0.10, 0.20, 0.30, 0.35, 0.35]),
    9: (5, [0.10, 0.15, 0.20, 0.30, 0.35]), 10: (3, [0.30, 0.32, 0.35, 0.36, 0.36]),
    11: (4, [0.10, 0.30, 0.32, 0.35, 0.36]), 12: (5, [0.10, 0.15, 0.30, 0.32, 0.35]),
}
PUBLISHED = data.load("bfboin_zhao2024_table4")


def _table4(design: str) -> dict[int, tuple]:
    """Table 4 rows from the course's transcription; "10.8 (63.9)" cells keep the patient count, 10.8."""
    rows = PUBLISHED[design]

    def cell(value):
        return float(str(value).split()[0]) if value is not None else None
    return {int(key): tuple(cell(v) for v in row) for key, row in rows.items()}


TABLE4_BF_BOIN = _table4("BF_BOIN")
TABLE4_BOIN = _table4("BOIN")
METRICS = ("correct selection %", "overdose selection %", "patients below MTD", "patients at MTD",
           "patients above MTD", "mean N", "duration (months)")
N_SIM, N_PUBLISHED, K_SE = 10_000, 10_000, 4.0
SEED = 2025  # the package default, fixed before comparing


def test_transcription_matches_the_scenarios_and_design_used_here():
    """Table 3 as written out above is the data file's, and so are the design settings."""
    for scenario, (profile, resp) in SCENARIOS.items():
        assert PUBLISHED["scenarios"][str(scenario)] == {"DLT": DLT[profile], "Resp": resp}, scenario
    settings_ = PUBLISHED["design"]
    design = BFBOIN(0.25, 5, stay_1_of_3=True)
    assert (design.target, design.n_doses, design.cohort_size, design.n_cohorts, design.n_earlystop,
            design.n_cap_backfill, design.accrual_per_month, design.dlt_window_months) == (
        settings_["target"], settings_["ndose"], settings_["cohortsize"], settings_["ncohort"],
        settings_["n_earlystop"], settings_["n_cap_backfill"], settings_["accrual_per_month"],
        settings_["dlt_window_months"])
    assert len(PUBLISHED["columns"]) == len(METRICS)


def _per_trial_metrics(res, tox) -> list[np.ndarray | None]:
    """Each Table 4 metric as a per-trial array (None where not applicable)."""
    tox = np.asarray(tox)
    mtd = int(np.flatnonzero(tox == 0.25)[0]) + 1
    below, over = tox < 0.25, tox > 0.25
    return [100.0 * (res.selected == mtd),
            100.0 * (res.selected > mtd) if over.any() else None,
            res.n[:, below].sum(axis=1).astype(float) if below.any() else None,
            res.n[:, mtd - 1].astype(float),
            res.n[:, over].sum(axis=1).astype(float) if over.any() else None,
            res.n.sum(axis=1).astype(float),
            res.duration]


def _compare(res, tox, published) -> list[str]:
    """Cells outside K_SE standard errors of the difference (+ half a unit of the table's last digit)."""
    bad = []
    for name, values, pub in zip(METRICS, _per_trial_metrics(res, tox), published):
        assert (values is None) == (pub is None), name
        if pub is None:
            continue
        sd = values.std(ddof=1)
        tol = K_SE * sd * math.sqrt(1 / N_SIM + 1 / N_PUBLISHED) + 0.05
        if abs(values.mean() - pub) > tol:
            bad.append(f"{name}: simulated {values.mean():.2f}, published {pub}, tolerance {tol:.2f}")
    return bad


@pytest.mark.parametrize("scenario", sorted(TABLE4_BF_BOIN))
def test_table4_bf_boin(scenario):
    """Zhao et al. 2024 Table 4, BF-BOIN rows (the paper's decision table of Table 1: stay at 1 DLT in 3)."""
    profile, resp = SCENARIOS[scenario]
    design = BFBOIN(0.25, 5, stay_1_of_3=True)
    res = design.simulate(DLT[profile], n_trials=N_SIM, seed=SEED, true_eff=resp)
    assert _compare(res, DLT[profile], TABLE4_BF_BOIN[scenario]) == []


@pytest.mark.parametrize("scenario", sorted(TABLE4_BOIN))
def test_table4_boin_comparator(scenario):
    """Zhao et al. 2024 Table 4, BOIN rows: the same trial in calendar time without backfilling."""
    design = BFBOIN(0.25, 5, stay_1_of_3=True, backfill=False)
    res = design.simulate(DLT[scenario], n_trials=N_SIM, seed=SEED)
    assert _compare(res, DLT[scenario], TABLE4_BOIN[scenario]) == []
    assert res.backfilled.sum() == 0


def test_without_backfill_it_is_boin():
    """With backfilling off and BOIN's own table, selection and allocation are BOIN's exact ones (4 SE)."""
    tox = [0.05, 0.12, 0.25, 0.40, 0.55]
    oc = BFBOIN(0.25, 5, backfill=False).simulate(tox, n_trials=20_000, seed=3).summary()
    exact = BOIN(0.25, 5, n_earlystop=9).exact(tox)
    assert np.all(np.abs(oc.selection - exact.selection) <= 4 * np.maximum(oc.selection_se, 1e-4))
    assert np.all(np.abs(oc.patients - exact.patients) <= 4 * np.maximum(oc.patients_se, 1e-4))
    assert abs(oc.stopped - exact.stopped) <= 4 * max(oc.stopped_se, 1e-4)


def test_no_response_means_no_backfill_and_the_same_trials():
    tox = [0.05, 0.12, 0.25, 0.40, 0.55]
    with_bf = BFBOIN(0.25, 5).simulate(tox, n_trials=500, seed=8, true_eff=[0.0] * 5)
    without = BFBOIN(0.25, 5, backfill=False).simulate(tox, n_trials=500, seed=8)
    assert with_bf.backfilled.sum() == 0
    for field in ("n", "y", "duration", "selected", "stopped"):
        assert np.array_equal(getattr(with_bf, field), getattr(without, field)), field


def test_simulate_summarises_trials_and_invariants():
    design = BFBOIN(0.25, 5, stay_1_of_3=True)
    tox, eff = DLT[3], SCENARIOS[3][1]
    res = design.simulate(tox, n_trials=1000, seed=4, true_eff=eff)
    oc = design.operating_characteristics(tox, n_trials=1000, seed=4, true_eff=eff)  # simulated: no exact OC
    assert not oc.exact and oc.n_trials == 1000 and oc.seed == 4
    assert np.allclose(oc.patients, res.n.mean(axis=0)) and oc.duration == pytest.approx(res.duration.mean())
    assert np.allclose(oc.responses, res.responses.mean(axis=0))
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1)
    assert np.all((0 <= res.y) & (res.y <= res.n)) and np.all(res.responses <= res.n)
    assert np.all(res.backfilled <= design.n_cap_backfill)
    assert np.all((res.n - res.backfilled).sum(axis=1) <= design.max_n)
    assert np.all(res.backfilled[:, -1] == 0)  # never backfill the top dose
    assert res.backfilled.sum() > 0 and np.all(res.duration > 0)
    assert oc.duration_se > 0 and "Mean responses" in oc.to_frame().index


def test_pooled_conflict_decisions():
    design = BFBOIN(0.25, 5)
    # dose 1 (backfilled, 3/9: de-escalate) conflicts with dose 2 (0/3: escalate); pooled 3/12 stays
    stay = design.next_dose(TrialData([9, 3, 0, 0, 0], [3, 0, 0, 0, 0], current=2))
    assert (stay.action, stay.dose, stay.key) == ("stay", 2, "bfboin_pooled_stay")
    # dose 1 at 5/12 conflicts with dose 2 at 0/3; pooled 5/15 de-escalates and no range from dose 1 is safe
    down = design.next_dose(TrialData([12, 3, 0, 0, 0], [5, 0, 0, 0, 0], current=2))
    assert (down.action, down.dose) == ("de-escalate", 1)
    assert "5/15" in down.reason("en") and "合併" in down.reason("zh-tw")
    # without conflict, BOIN: 0/3 escalates, unless the next dose is eliminated
    assert design.next_dose(TrialData([3, 3, 0, 0, 0], [0, 0, 0, 0, 0], current=2)).dose == 3
    blocked = design.next_dose(TrialData([3, 3, 0, 0, 0], [0, 0, 0, 0, 0], current=2, eliminated=3))
    assert (blocked.action, blocked.dose, blocked.eliminated) == ("stay", 2, 3)


def test_stopping_and_the_1_of_3_table():
    design = BFBOIN(0.25, 5)
    stop = design.next_dose(TrialData([3, 0, 0, 0, 0], [3, 0, 0, 0, 0], current=1))
    assert stop.action == "stop" and stop.dose == NO_DOSE and stop.key == "bfboin_stop_toxic"
    early = design.next_dose(TrialData([9, 0, 0, 0, 0], [2, 0, 0, 0, 0], current=1))  # 2/9 stays, 9 = n_earlystop
    assert early.action == "stop" and early.key == "bfboin_stop_earlystop"
    one_of_three = TrialData([3, 3, 0, 0, 0], [0, 1, 0, 0, 0], current=2)
    assert design.next_dose(one_of_three).dose == 1  # BOIN: 1/3 de-escalates
    table1 = BFBOIN(0.25, 5, stay_1_of_3=True)
    kept = table1.next_dose(one_of_three)
    assert (kept.dose, kept.key) == (2, "bfboin_stay_1_of_3")
    # Zhao et al. 2024 Table 1 at n = 3: escalate <= 0, de-escalate >= 2, eliminate >= 3
    assert (table1._bounds.escalate[3], table1._bounds.deescalate[3], table1._bounds.eliminate[3]) == (0, 2, 3)


# designs are immutable, so the property tests share them (and BOIN's table) across examples
NO_EARLYSTOP = BFBOIN(0.25, 5, n_earlystop=100), BOIN(0.25, 5, n_earlystop=100, n_cohorts=20)
NO_EARLYSTOP_TABLE = NO_EARLYSTOP[1].boundaries(60)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 12)), min_size=5, max_size=5), st.integers(1, 5))
def test_boin_decisions_when_no_lower_dose_conflicts(pairs, current):
    """With every lower dose saying escalate (a plain BOIN path), BF-BOIN decides as BOIN."""
    n = np.array([a for a, _ in pairs])
    y = np.minimum([b for _, b in pairs], n)
    (design, boin), b = NO_EARLYSTOP, NO_EARLYSTOP_TABLE
    assume(all(y[j] <= b.escalate[n[j]] for j in range(current - 1)))
    assume(not np.any(y >= b.eliminate[n]))  # BOIN's next_dose reads elimination from every dose's data
    trial = TrialData(n, y, current=current)
    assert design.next_dose(trial).dose == boin.next_dose(trial).dose


def test_backfill_doses():
    design = BFBOIN(0.25, 5)
    n, y = [3, 3, 3, 0, 0], [0, 0, 0, 0, 0]

    def open_doses(y, current, responses, n=n, **kw):
        return design.backfill_doses(TrialData(n, y, current=current, responses=responses), **kw)

    assert open_doses(y, 3, [0, 1, 0, 0, 0]) == [2]
    assert open_doses(y, 3, [0, 0, 0, 0, 0]) == []
    assert open_doses(y, 1, [1, 0, 0, 0, 0]) == []  # nothing below dose 1
    assert open_doses(y, 3, [1, 0, 0, 0, 0], n_enrolled=[12, 3, 3, 0, 0]) == [2]
    # dose 2 at 2/3 is unsafe, also pooled with dose 3 (2/6): it and every dose above close
    # (one patient of dose 4's cohort assessed, 0 DLTs; dose 4 is not a candidate and pooling dose 3 with it
    # leaves dose 3 safe, so the answers are those of the state without that patient)
    assert open_doses([0, 2, 0, 0, 0], 4, [1, 1, 1, 0, 0], n=[3, 3, 3, 1, 0]) == [1]
    # 1/3 at dose 2 is unsafe alone but safe pooled with dose 3 (1/6)
    assert open_doses([0, 1, 0, 0, 0], 4, [1, 1, 1, 0, 0], n=[3, 3, 3, 1, 0]) == [1, 2, 3]


def test_backfill_doses_while_no_patient_of_the_current_dose_is_assessed():
    # escalated to dose 3, its first cohort still in the DLT window: TrialData's current dose must have assessed
    # patients, so the data say dose 2 (escalated from) and ``current`` says 3
    data = TrialData([3, 3, 0, 0, 0], [0] * 5, current=2, responses=[1, 0, 0, 0, 0])
    design = BFBOIN(0.25, 5)
    # a response at dose 1 opens doses 1 and 2 below the escalation cohort's dose 3 (the simulator's rule says so)
    opened = design.backfill_doses(data, n_enrolled=[3, 3, 3, 0, 0], current=3)
    assert opened == [1, 2]
    rule = design._open(data.n[None], data.y[None], np.array([2]), (data.responses > 0)[None],
                        np.array([[3, 3, 3, 0, 0]]))[0]
    assert opened == [int(d) + 1 for d in np.flatnonzero(rule)]
    # with the cohort still at dose 2 only dose 1 lies below it
    assert design.backfill_doses(data, n_enrolled=[3, 3, 3, 0, 0]) == [1]
    with pytest.raises(ValueError, match="current"):
        design.backfill_doses(data, current=6)
    with pytest.raises(ValueError, match="current"):
        design.backfill_doses(TrialData([0] * 5, [0] * 5, responses=[0] * 5))  # no dose given at all


def test_weibull_dlt_times():
    shape, scale = weibull_dlt_times([0.05, 0.25, 0.6], 1.0)
    cdf = lambda t: 1 - np.exp(-(t / scale) ** shape)  # noqa: E731
    assert cdf(1.0) == pytest.approx([0.05, 0.25, 0.6])
    assert cdf(0.5) == pytest.approx([0.025, 0.125, 0.3])


def test_describe_and_table():
    design = BFBOIN(0.25, 5, stay_1_of_3=True)
    en, zh = design.describe("en"), design.describe("zh-tw")
    assert "backfilled" in en and "12" in en and "0.298" in en and "one DLT" in en
    assert "回填" in zh and "療效" in zh
    assert "calendar time" in BFBOIN(0.25, 5, backfill=False).describe()
    table, boin = design.decision_table(), BOIN(0.25, 5).decision_table()
    assert table.iloc[2, 2] == 2 and boin.iloc[2, 2] == 1  # de-escalate at n = 3: 2 DLTs (Table 1), BOIN 1
    assert table.drop(columns=3).equals(boin.drop(columns=3))
    assert "lower one" in en and "at that dose" in BFBOIN(0.25, 5, response_rule="dose").describe()


@pytest.mark.parametrize("kwargs, error, match", [
    ({"target": 0.8}, ValueError, "target"),
    ({"n_cap_backfill": 0}, ValueError, "n_cap_backfill"),
    ({"accrual_per_month": -3}, ValueError, "accrual_per_month"),
    ({"dlt_window_months": 0}, ValueError, "dlt_window_months"),
    ({"accrual": "weekly"}, ValueError, "accrual"),
    ({"response_rule": "any"}, ValueError, "response_rule"),
    ({"backfill": "yes"}, TypeError, "backfill"),
    ({"n_earlystop": 0}, ValueError, "n_earlystop"),
])
def test_bad_design_arguments(kwargs, error, match):
    args = {"target": 0.25, "n_doses": 5} | kwargs
    with pytest.raises(error, match=match):
        BFBOIN(**args)


def test_bad_data_and_scenarios():
    design = BFBOIN(0.25, 5)
    with pytest.raises(ValueError, match="y cannot exceed n"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [4, 0, 0, 0, 0], current=1))
    with pytest.raises(ValueError, match="n must not be negative"):
        design.next_dose(TrialData([-3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1))
    with pytest.raises(ValueError, match="data has 3 doses but the design has 5"):
        design.next_dose(TrialData([3, 0, 0], [0, 0, 0], current=1))
    with pytest.raises(ValueError, match="eliminated"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, eliminated=7))
    with pytest.raises(ValueError, match="above the current dose"):
        design.next_dose(TrialData([3, 3, 0, 0, 0], [0, 0, 0, 0, 0], current=2, eliminated=2))
    with pytest.raises(ValueError, match="no patients"):
        design.next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=2))
    with pytest.raises(ValueError, match="n_enrolled"):
        design.backfill_doses(TrialData([3, 3, 0, 0, 0], [0] * 5, current=2, responses=[1, 0, 0, 0, 0]),
                              n_enrolled=[2, 3, 0, 0, 0])
    with pytest.raises(ValueError, match="responses cannot exceed n"):
        design.backfill_doses(TrialData([3, 3, 0, 0, 0], [0] * 5, current=2, responses=[4, 0, 0, 0, 0]))
    with pytest.raises(ValueError, match="responses"):
        design.backfill_doses(TrialData([3, 3, 0, 0, 0], [0] * 5, current=2))
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate(DLT[3], n_trials=10)
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate(DLT[3], n_trials=10, true_eff=[0.2] * 4)
    with pytest.raises(ValueError, match="true_eff"):
        design.simulate(DLT[3], n_trials=10, true_eff=[0.2, 0.3, 1.2, 0.3, 0.3])
    with pytest.raises(ValueError, match="true_tox"):
        design.simulate([0.1, 0.2, 0.3, 0.4, 0.0], n_trials=10, true_eff=[0.2] * 5)
    with pytest.raises(TypeError, match="unexpected"):
        design.simulate(DLT[3], n_trials=10, true_eff=[0.2] * 5, rho=0.3)
    with pytest.raises(ValueError, match="method='exact'"):
        design.operating_characteristics(DLT[3], method="exact", true_eff=[0.2] * 5)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 3)), min_size=5, max_size=5),
       st.integers(1, 5), st.integers(0, 4))
def test_backfill_doses_properties(rows, current, extra_dlt_dose):
    """Open doses lie below the current dose, have a response at or below them, are under the cap, and
    more DLTs never open a dose."""
    design = BFBOIN(0.25, 5)
    n = np.array([a for a, _, _ in rows])
    y = np.minimum([b for _, b, _ in rows], n)
    r = np.minimum([c for _, _, c in rows], n)
    # the escalation cohort's dose by ``current`` (it may have no assessed patient yet); the data's own current
    # dose is any treated dose, as TrialData requires one
    treated = np.flatnonzero(n > 0)
    data_current = int(treated[-1]) + 1 if treated.size else 0
    open_ = design.backfill_doses(TrialData(n, y, current=data_current, responses=r), current=current)
    b = design._bounds
    for j in open_:
        assert j < current and r[:j].sum() > 0 and n[j - 1] < design.n_cap_backfill
        for i in range(j):  # this dose and every dose below it are safe alone or pooled with the next
            nxt_n, nxt_y = (n[i + 1], y[i + 1]) if i + 1 < 5 else (0, 0)
            assert y[i] < b.deescalate[n[i]] or y[i] + nxt_y < b.deescalate[n[i] + nxt_n]
    if y[extra_dlt_dose] < n[extra_dlt_dose]:
        more = y.copy()
        more[extra_dlt_dose] += 1
        assert set(design.backfill_doses(TrialData(n, more, current=data_current, responses=r),
                                         current=current)) <= set(open_)
