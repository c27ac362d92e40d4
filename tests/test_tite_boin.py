"""TITE-BOIN (dosecourse.escalation.tite_boin) against a published TITE-BOIN decision table, R TITEgBOIN 0.4.0 where
its method coincides, and its properties (no pending patient: BOIN exactly; waiting for follow-up: BOIN's exact
operating characteristics; seeded reproducibility; shorter trials).

The published table: Table 1 of a trial protocol that applies TITE-BOIN with target 0.2, cohorts of 3, up to 9
patients at a dose (Contemp Clin Trials Commun, 2022; https://pmc.ncbi.nlm.nih.gov/articles/PMC9260438, table
tbl1), citing Yuan et al. (2018) for the design and its suspension rule.  Its rows are transcribed below as
(patients, DLTs, pending, decision); the STFT cutoffs are printed there to two decimals.
"""

from __future__ import annotations

import numpy as np
import pytest

from dosecourse.escalation import BOIN, TrialData
from dosecourse.escalation.tite import TITEData, compare_waiting
from dosecourse.escalation.tite_boin import TITEBOIN, _imputed_rate

ESC, STAY, DE, ELIM, SUSPEND = "escalate", "stay", "de-escalate", "de-escalate & eliminate", "suspend"
# (patients n, DLTs y (range), pending m (range), decision) -- PMC9260438, Table 1
PUBLISHED = [
    (3, [0], [0, 1], ESC), (3, [0], [2, 3], SUSPEND), (3, [1], [0, 1, 2], DE), (3, [2, 3], [0, 1], ELIM),
    (6, [0], [0, 1, 2, 3], ESC), (6, [0], [4, 5, 6], SUSPEND), (6, [1], [0, 1, 2, 3], STAY),
    (6, [1], [4, 5], SUSPEND), (6, [2], [0, 1, 2, 3, 4], DE), (6, [3, 4, 5, 6], [0, 1, 2, 3], ELIM),
    (9, [0], [0, 1, 2, 3, 4], ESC), (9, [0], [5, 6, 7, 8, 9], SUSPEND), (9, [1], [0, 1, 2], ESC),
    (9, [1], [5, 6, 7, 8], SUSPEND), (9, [2], [0], STAY), (9, [2], [5, 6, 7], SUSPEND),
    (9, [3], [0, 1, 2, 3, 4, 5, 6], DE), (9, [4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 5], ELIM),
]
# (n, y, m, escalate-if-STFT >= or de-escalate-if-STFT <= cutoff, kind) -- the same table
CUTOFFS = [(9, 1, 3, 0.77, ESC), (9, 1, 4, 2.15, ESC), (9, 2, 1, 0.52, DE), (9, 2, 2, 1.59, DE),
           (9, 2, 3, 2.66, DE), (9, 2, 4, 3.73, DE)]

DESIGN = TITEBOIN(0.2, n_doses=5)


def _cells(table, n, y, m):
    row = table[(table.iloc[:, 0] == n) & (table.iloc[:, 1] == y) & (table.iloc[:, 2] == m)]
    assert len(row) == 1, (n, y, m)
    return row.iloc[0, 3:].tolist()


@pytest.mark.parametrize("n, ys, ms, decision", PUBLISHED)
def test_published_decision_table_rows(n, ys, ms, decision):
    table = DESIGN.decision_table(9)
    expected = {ESC: ["Y", "", "", ""], STAY: ["", "Y", "", ""], DE: ["", "", "Y", ""],
                ELIM: ["", "", "Y & eliminate", ""], SUSPEND: ["", "", "", "Y"]}[decision]
    for y in ys:
        for m in ms:
            if m <= n - y:
                assert _cells(table, n, y, m) == expected, (n, y, m)


@pytest.mark.parametrize("n, y, m, cutoff, kind", CUTOFFS)
def test_published_stft_cutoffs(n, y, m, cutoff, kind):
    table = DESIGN.decision_table(9)
    esc_cell, stay_cell, de_cell, _ = _cells(table, n, y, m)
    if kind == ESC:
        assert (esc_cell, stay_cell) == (f"STFT >= {cutoff:.2f}", f"STFT < {cutoff:.2f}")
    else:
        assert (stay_cell, de_cell) == (f"STFT >= {cutoff:.2f}", f"STFT < {cutoff:.2f}")
    # and next_dose agrees on either side of the cutoff: pending patients' follow-up spread evenly
    for stft, move in ((cutoff - 0.02, kind == DE), (cutoff + 0.02, kind == ESC)):
        data = _data(n, y, m, stft)
        decision = DESIGN.next_dose(data)
        expected = ("escalate" if kind == ESC else "de-escalate") if move else "stay"
        assert decision.action == expected, (n, y, m, stft, decision)


def _data(n, y, m, stft, dose=2, window=28.0):
    """n patients at ``dose`` (3 at each dose below it, no DLT), y DLTs, m pending with total follow-up stft."""
    levels = [d for d in range(1, dose) for _ in range(3)] + [dose] * n
    below = 3 * (dose - 1)
    tox = [0] * below + [1] * y + [0] * (n - y)
    follow = [window] * below + [window / 2] * y + [window] * (n - y - m) + [stft / max(m, 1) * window] * m
    return TITEData(5, levels, tox, follow, window, current=dose)


def test_imputed_rate_by_hand():
    # 1 DLT among 9, 3 pending with STFT 1.5: p_hat = (1 + 0.1) / 7, imputed rate (1 + 1.5 p/(1 - p)) / 9
    p = 1.1 / 7
    assert _imputed_rate(9, 1, 3, 1.5, 0.2) == pytest.approx((1 + 1.5 * p / (1 - p)) / 9, rel=1e-14)
    decision = DESIGN.next_dose(_data(9, 1, 3, 1.5))
    assert decision.fields["rate"] == pytest.approx(0.142185, abs=1e-6) and decision.action == "escalate"


# R: library(TITEgBOIN)  # 0.4.0, from its CRAN source
#    next_TITE_QuasiBOIN(target=0.2, n=n, npend=npend, y=y, ft=ft, d=2, maxt=28, elimination=NA,
#                        cutoff.eli=0.95, extrasafe=FALSE, n.earlystop=100, maxpen=0.5)$d  (and $pending)
# with n = c(3, n2, 0, 0, 0), npend = c(0, m, 0, 0, 0), y = c(0, y2, 0, 0, 0), ft = c(0, ft2, 0, 0, 0) (days)
R_TITEGBOIN = [  # (n2, y2, m, ft2 days, R's next dose, R's pending flag)
    (3, 0, 0, 0, 3, 0), (3, 1, 0, 0, 1, 0), (6, 1, 0, 0, 2, 0), (6, 3, 0, 0, 1, 0),   # no pending: BOIN
    (9, 1, 3, 42, 3, 0), (9, 1, 5, 70, 2, 1),                                          # escalate; suspend
    (9, 2, 1, 7, 1, 0), (9, 2, 1, 21, 2, 0), (9, 2, 2, 28, 1, 0),                      # de-escalate or stay
]


@pytest.mark.parametrize("n2, y2, m, ft, dose, pending", R_TITEGBOIN)
def test_agrees_with_r_titegboin_where_the_methods_coincide(n2, y2, m, ft, dose, pending):
    decision = DESIGN.next_dose(_data(n2, y2, m, ft / 28))
    assert decision.dose == dose
    assert (decision.key == "titeboin_suspend") == bool(pending)


def test_titegboin_uses_another_estimate():
    # TITEgBOIN implements the effective-sample-size estimate of Lin & Yuan (2020), y / (n - m + STFT): with
    # 1 DLT among 9, 3 pending and STFT 0.5 (ft = 14 days), R's next_TITE_QuasiBOIN escalates (d = 3), since
    # 1 / 6.5 = 0.154 <= lambda_e = 0.157; the imputation of Yuan et al. (2018) and its published table stay
    # (STFT 0.5 < 0.77), the imputed rate being 0.164.
    assert 1 / (9 - 3 + 0.5) <= DESIGN.lambda_e
    decision = DESIGN.next_dose(_data(9, 1, 3, 0.5))
    assert decision.action == "stay" and decision.fields["rate"] > DESIGN.lambda_e


@pytest.mark.parametrize("text", ["1NNN", "1NNT", "1NNN 2NTN", "1NNN 2NTT", "1NNN 2NNN 3NNN 3TNN", "1TTT",
                                  "1NNN 2TTN 1NNN", "1NNN 2NNN 3NNN 4NNN 5NNN"])
def test_no_pending_patient_is_boin(text):
    for target in (0.2, 0.3):
        tite, boin = TITEBOIN(target, 5), BOIN(target, 5)
        assert tite.next_dose(text) == boin.next_dose(text)
        data = TrialData.from_outcomes(text, 5)
        assert tite.next_dose(TITEData.complete(data, 21.0)) == boin.next_dose(data)
        assert tite.select(text) == boin.select(text)
    table = TITEBOIN(0.3, 5).decision_table(12)
    boundaries = BOIN(0.3, 5).boundaries(12)
    for n in (3, 6, 9, 12):           # the rows without pending patients are BOIN's decision table
        for y in range(n + 1):
            cells = _cells(table, n, y, 0)
            if y >= boundaries.eliminate[n]:
                assert cells[2] == "Y & eliminate"
            elif y <= boundaries.escalate[n]:
                assert cells[0] == "Y"
            elif y >= boundaries.deescalate[n]:
                assert cells[2] == "Y"
            else:
                assert cells[1] == "Y"


def test_safety_uses_every_patient_treated():
    # 3 DLTs among 6 at dose 1, 2 of them still pending: dose 1 is eliminated (Pr(p > 0.2 | 3/6) > 0.95), stop
    data = TITEData(5, [1] * 6, [1, 1, 1, 0, 0, 0], [3, 5, 9, 28, 10, 5], 28)
    decision = DESIGN.next_dose(data)
    assert decision.action == "stop" and decision.eliminated == 1
    # the suspension yields to an observed rate that already de-escalates
    data = TITEData(5, [1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 0, 0], [28, 28, 28, 4, 3, 2], 28)
    assert DESIGN.next_dose(data).action == "de-escalate"


def test_suspension():
    data = TITEData(5, [1, 1, 1, 2, 2, 2], [0] * 6, [28, 28, 28, 28, 3, 2], 28)   # 2 of 3 pending
    decision = DESIGN.next_dose(data)
    assert (decision.action, decision.dose, decision.key) == ("stay", 2, "titeboin_suspend")
    assert "suspend" in decision.reason() and "暫停收案" in decision.reason("zh-tw")
    # max_pending = 0.7 lets 2 pending out of 3 go on: the imputed rate escalates
    assert DESIGN.replace(max_pending=0.7).next_dose(data).action == "escalate"
    # the design waiting for complete follow-up waits whenever anyone is pending
    assert DESIGN.replace(tite=False).next_dose(data).key == "titeboin_wait"


TOX = [0.05, 0.10, 0.20, 0.30, 0.50]
TIMED = TITEBOIN(0.3, 5, accrual_per_month=3, dlt_window_months=3)


def test_seeded_reproducibility():
    one = TIMED.simulate(TOX, n_trials=500, seed=21, late_share=0.7)
    two = TIMED.simulate(TOX, n_trials=500, seed=21, late_share=0.7)
    other = TIMED.simulate(TOX, n_trials=500, seed=22, late_share=0.7)
    for name in ("selected", "n", "y", "duration", "stopped"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))
    assert not np.array_equal(one.duration, other.duration)


def test_waiting_design_has_boin_exact_operating_characteristics():
    # tite=False: every decision on complete data, so selection, patients and DLTs per dose are BOIN's exact
    # ones, within 3 Monte Carlo SE (10,000 calendar-time trials, seed 7)
    exact = BOIN(0.3, 5).exact(TOX)
    sim = TIMED.replace(tite=False).simulate(TOX, n_trials=10_000, seed=7).summary()
    se = np.maximum(np.sqrt(exact.selection * (1 - exact.selection) / 10_000), 1e-4)
    assert np.all(np.abs(sim.selection - exact.selection) / se <= 3), (sim.selection, exact.selection)
    floor = 30 / 10_000
    assert np.all(np.abs(sim.patients - exact.patients) <= 3 * np.maximum(sim.patients_se, floor))
    assert np.all(np.abs(sim.dlts - exact.dlts) <= 3 * np.maximum(sim.dlts_se, floor))
    assert abs(sim.no_selection - exact.no_selection) <= 3 * max(np.sqrt(exact.no_selection / 10_000), 1e-4)


def test_tite_shortens_the_trial_and_stays_safe():
    cmp = compare_waiting(TIMED, TOX, n_trials=2000, seed=9, late_share=0.5)
    assert cmp.waiting.duration > 10 * 3                      # at least one window per cohort
    assert cmp.ratio < 0.8 and cmp.months_saved > 5
    # the TITE design treats no more patients above the MTD (dose 4, 0.30) than 3 more per trial
    assert cmp.tite.patients[4] <= cmp.waiting.patients[4] + 3


def test_bad_settings():
    with pytest.raises(ValueError, match="target"):
        TITEBOIN(1.5, 5)
    with pytest.raises(ValueError, match="max_pending"):
        TITEBOIN(0.3, 5, max_pending=1.0)
    with pytest.raises(ValueError, match="dlt_window_months"):
        TITEBOIN(0.3, 5, dlt_window_months=-1)
    with pytest.raises(ValueError, match="6 doses"):
        DESIGN.next_dose(TITEData(6, [1], [0], [1.0], 28.0))
    with pytest.raises(NotImplementedError):
        DESIGN.exact(TOX)
    with pytest.raises(TypeError, match="TITE design"):
        compare_waiting(BOIN(0.3, 5), TOX, n_trials=10)
