"""BOIN against the R package BOIN 2.7.2 (get.boundary, get.oc, select.mtd) and its published examples.

Sources of expected numbers
---------------------------
* Printed BOIN 2.7.2 output of ``get.boundary(target = 0.3, ncohort = 10, cohortsize = 3)`` as shown on the
  public RPubs page "BOIN, CRM and 3+3"
  (https://rstudio-pubs-static.s3.amazonaws.com/1437814_79ba5accbdfc4c6aaed63b046a781eab.html): lambda_e,
  lambda_d, ``$boundary_tab`` (n = 3, 6, ..., 30, all three rows) and the first 20 columns of the escalate and
  de-escalate rows of ``$full_boundary_tab``.  (lambda values also in the course's method notes.)
* No printed tables were found for the other targets (searched CRAN docs, the BOIN sources, RPubs, papers).
  For those, and for the columns not printed above, the tables are checked against the definition computed
  here independently of the package: lambdas with 40-digit decimal logarithms, elimination counts with exact
  rational binomial sums (Pr(p > phi | y of n, Beta(1, 1)) = P(Bin(n + 1, phi) <= y)).
* The BOIN tutorial's worked trial (Yuan et al., BOIN tutorial p. 25), transcribed in
  dosecourse/data/boin_tutorial_path.json (``dosecourse.data.load("boin_tutorial_path")``).
"""

import math
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from dosecourse import data
from dosecourse import escalation as esc
from dosecourse.escalation import NO_DOSE, TrialData

getcontext().prec = 40


# ---------------------------------------------------------------------------------------------- independent maths
def decimal_lambdas(target: str) -> tuple[Decimal, Decimal]:
    """BOIN's lambda_e, lambda_d (Liu & Yuan 2015, eq. 3) in 40-digit decimal arithmetic."""
    phi = Decimal(target)
    phi1, phi2 = Decimal("0.6") * phi, Decimal("1.4") * phi
    lam_e = ((1 - phi1) / (1 - phi)).ln() / (phi * (1 - phi1) / (phi1 * (1 - phi))).ln()
    lam_d = ((1 - phi) / (1 - phi2)).ln() / (phi2 * (1 - phi) / (phi * (1 - phi2))).ln()
    return lam_e, lam_d


def exact_overdose(target: str, n: int, y: int) -> Fraction:
    """Pr(p > target | y DLTs in n, Beta(1, 1)) = P(Bin(n + 1, target) <= y), as an exact fraction."""
    p = Fraction(target)
    return sum(math.comb(n + 1, i) * p ** i * (1 - p) ** (n + 1 - i) for i in range(y + 1))


def independent_table(target: str, max_n: int = 30) -> dict[str, list]:
    """get.boundary's rows from the definitions: floor(lambda_e n), ceiling(lambda_d n) capped at the
    elimination count, and the smallest y in 1..n with Pr > 0.95 (n >= 3), None for NA."""
    lam_e, lam_d = decimal_lambdas(target)
    escalate, deescalate, eliminate = [], [], []
    for n in range(1, max_n + 1):
        for lam in (lam_e, lam_d):          # the rounding must be unambiguous for float arithmetic to agree
            assert abs(lam * n - round(lam * n)) > Decimal("1e-9")
        elim = next((y for y in range(1, n + 1) if exact_overdose(target, n, y) > Fraction(95, 100)), None)
        elim = elim if n >= 3 else None
        de = math.ceil(lam_d * n)
        escalate.append(math.floor(lam_e * n))
        deescalate.append(de if elim is None else min(de, elim))
        eliminate.append(elim)
    return {"escalate": escalate, "deescalate": deescalate, "eliminate": eliminate}


def rows(frame: pd.DataFrame) -> dict[str, list]:
    values = [[None if pd.isna(v) else int(v) for v in frame.iloc[i]] for i in range(4)]
    return {"patients": values[0], "escalate": values[1], "deescalate": values[2], "eliminate": values[3]}


# ---------------------------------------------------------------------------------------------- boundaries
def test_lambdas_target_030_as_printed():
    # BOIN 2.7.2 get.boundary(target = 0.3, ...) prints $lambda_e 0.2364907 and $lambda_d 0.3585195 (RPubs page)
    lam_e, lam_d = esc.boin_boundaries(0.3)
    assert round(lam_e, 7) == 0.2364907
    assert round(lam_d, 7) == 0.3585195


@pytest.mark.parametrize("target", ["0.15", "0.2", "0.25", "0.3", "0.33", "0.35", "0.4"])
def test_lambdas_against_decimal_computation(target):
    # No printed values found except for 0.3; checked against the formula in 40-digit decimal arithmetic.
    lam_e, lam_d = esc.boin_boundaries(float(target))
    ref_e, ref_d = decimal_lambdas(target)
    assert lam_e == pytest.approx(float(ref_e), rel=1e-13)
    assert lam_d == pytest.approx(float(ref_d), rel=1e-13)
    design = esc.BOIN(float(target), 5)
    assert (design.lambda_e, design.lambda_d) == (lam_e, lam_d)


def test_decision_table_030_as_printed_by_boin():
    table = rows(esc.BOIN(0.3, 5, cohort_size=3, n_cohorts=10).decision_table())
    # $boundary_tab printed by BOIN 2.7.2 (RPubs page), n = 3, 6, ..., 30
    every3 = {key: values[2::3] for key, values in table.items()}
    assert every3["patients"] == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
    assert every3["escalate"] == [0, 1, 2, 2, 3, 4, 4, 5, 6, 7]
    assert every3["deescalate"] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert every3["eliminate"] == [3, 4, 5, 7, 8, 9, 10, 11, 12, 14]
    # $full_boundary_tab printed by BOIN 2.7.2 (RPubs page), columns n = 1..20 of the first two decision rows
    assert table["escalate"][:20] == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]
    assert table["deescalate"][:20] == [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8]
    # get.boundary: no elimination before 3 patients (NA)
    assert table["eliminate"][:2] == [None, None]


@pytest.mark.parametrize("target", ["0.2", "0.25", "0.3", "0.33"])
def test_full_decision_table_n1_to_30_against_definition(target):
    # Full tables n = 1..30: checked against the definition computed independently (see module docstring);
    # for 0.3 this also covers the columns the printed output above does not show.
    table = rows(esc.BOIN(float(target), 5, cohort_size=3, n_cohorts=10).decision_table(30))
    reference = independent_table(target)
    assert table["patients"] == list(range(1, 31))
    for key in ("escalate", "deescalate", "eliminate"):
        assert table[key] == reference[key], key


@pytest.mark.parametrize("target", [0.15, 0.2, 0.25, 0.3, 0.33, 0.35, 0.4])
def test_decision_table_is_r_shaped(target):
    frame = esc.BOIN(target, 4, cohort_size=3, n_cohorts=4).decision_table()
    assert list(frame.columns) == list(range(1, 13))
    assert list(frame.index) == ["Number of patients treated", "Escalate if # of DLT <=",
                                 "De-escalate if # of DLT >=", "Eliminate if # of DLT >="]
    assert str(frame.dtypes.iloc[0]) == "Int64"
    zh = esc.BOIN(target, 4, cohort_size=3, n_cohorts=4).decision_table(lang="zh-tw")
    assert list(zh.index) == ["已治療病人數", "升高劑量：DLT 數 ≤", "降低劑量：DLT 數 ≥",
                              "排除劑量：DLT 數 ≥"]
    assert zh.equals(frame.set_axis(zh.index, axis=0))


def test_extrasafe_stop_row():
    # get.boundary(extrasafe = TRUE) also gives stop boundaries: the smallest y with Pr > 0.95 - 0.05 (n >= 3)
    frame = esc.BOIN(0.3, 3, extrasafe=True).decision_table(9)
    stop = [None if pd.isna(v) else int(v) for v in frame.iloc[4]]
    expected = [None, None] + [next(y for y in range(1, n + 1) if exact_overdose("0.3", n, y) > Fraction(9, 10))
                               for n in range(3, 10)]
    assert stop == expected
    assert frame.index[4] == "Stop the trial if # of DLT at dose 1 >="


# ---------------------------------------------------------------------------------------------- next_dose
def test_reason_text():
    decision = esc.BOIN(0.3, 5).next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1))
    assert (decision.action, decision.dose) == ("escalate", 2)
    assert decision.reason() == "escalate: 0/3 DLTs, 0.000 <= lambda_e = 0.236"
    assert decision.reason("zh-tw") == "升高劑量：3 位病人中 0 位發生 DLT，0.000 ≤ λe = 0.236"


def test_tutorial_trial_path():
    # BOIN tutorial worked example (target 0.3, 5 doses, cohorts of 3): the dose recommended after each cohort
    design = esc.BOIN(0.3, 5)
    for case in data.load("boin_tutorial_path")["paths"]:
        decision = design.next_dose(case["outcomes"])       # the last cohort's dose is the current dose
        assert decision.dose == case["dose"], case["outcomes"]
        assert (decision.dose != NO_DOSE) == case["continue"]


@pytest.mark.parametrize("n, y, current, action, dose, key", [
    ([3, 3, 0], [0, 2, 0], 2, "de-escalate", 1, "boin_deescalate"),          # 2/3 = 0.667 > 0.359
    ([3, 6, 0], [0, 2, 0], 2, "stay", 2, "boin_stay"),                       # 0.236 < 0.333 <= 0.359
    ([0, 0, 3], [0, 0, 0], 3, "stay", 3, "interval_stay_top"),               # escalate at the top = stay
    ([3, 0, 0], [2, 0, 0], 1, "stay", 1, "interval_stay_lowest"),            # de-escalate at dose 1 = stay
    ([3, 3, 3], [0, 0, 3], 2, "stay", 2, "interval_stay_eliminated"),        # dose 3 eliminated (3/3)
    ([3, 3, 3], [0, 0, 3], 3, "de-escalate", 2, "interval_eliminate"),       # 3/3: Pr = 0.9919 > 0.95
    ([3, 0, 0], [3, 0, 0], 1, "stop", NO_DOSE, "interval_stop_toxic"),       # dose 1 eliminated: stop
])
def test_next_dose_rules(n, y, current, action, dose, key):
    decision = esc.BOIN(0.3, 3).next_dose(TrialData(n, y, current=current))
    assert (decision.action, decision.dose, decision.key) == (action, dose, key)


def test_elimination_reported():
    decision = esc.BOIN(0.3, 3).next_dose(TrialData([3, 3, 3], [0, 0, 3], current=2))
    assert decision.eliminated == 3
    assert "dose 3 has been eliminated" in decision.reason()


def test_extrasafe_stops_at_dose_one():
    # 2/3 at dose 1: Pr(p > 0.3) = 0.9163 > 0.95 - 0.05 (extra-safe) but not > 0.95
    two_of_three = TrialData([3, 0, 0], [2, 0, 0], current=1)
    assert esc.BOIN(0.3, 3).next_dose(two_of_three).action == "stay"
    decision = esc.BOIN(0.3, 3, extrasafe=True).next_dose(two_of_three)
    assert (decision.action, decision.key) == ("stop", "interval_stop_extrasafe")


def test_n_earlystop_needs_a_stay():
    # get.oc: stop at n.earlystop only when the decision is stay (or the dose cannot move)
    design = esc.BOIN(0.3, 3, n_earlystop=9)
    assert design.next_dose(TrialData([9, 0, 0], [2, 0, 0], current=1)).action == "escalate"  # 2/9 <= 0.236
    assert design.next_dose(TrialData([0, 9, 0], [0, 3, 0], current=2)).key == "interval_stop_earlystop"
    assert design.next_dose(TrialData([0, 0, 9], [0, 0, 0], current=3)).action == "stop"  # escalate at the top
    assert design.next_dose(TrialData([0, 9, 0], [0, 5, 0], current=2)).action == "de-escalate"


def test_describe_gives_the_numbers_in_both_languages():
    en = esc.BOIN(0.3, 5).describe()
    zh = esc.BOIN(0.3, 5).describe("zh-tw")
    for text in (en, zh):
        assert "0.2365" in text and "0.3585" in text and "0.95" in text
    assert "escalate to the next higher dose if it is <= 0.2365" in en
    assert "升高至下一個較高劑量" in zh and "排除" in zh and "病人" in zh
    assert "Extra-safe rule" in esc.BOIN(0.3, 5, extrasafe=True).describe()
    assert "n_earlystop" not in en and "12 patients" in esc.BOIN(0.3, 5, n_earlystop=12).describe()


# ---------------------------------------------------------------------------------------------- OC
def test_simulation_reproducible_and_consistent():
    design = esc.BOIN(0.3, 5)
    tox = [0.05, 0.15, 0.30, 0.45, 0.60]
    a = design.simulate(tox, n_trials=2000, seed=7).summary()
    b = design.simulate(tox, n_trials=2000, seed=7).summary()
    np.testing.assert_array_equal(a.selection, b.selection)
    assert a.selection.sum() + a.no_selection == pytest.approx(1)
    assert a.patients.sum() == pytest.approx(a.total_n)
    assert a.n_trials == 2000 and a.design == "BOIN"


def test_all_doses_too_toxic_stop():
    oc = esc.BOIN(0.3, 3).exact([0.8, 0.9, 0.95])
    assert oc.stopped == pytest.approx(oc.no_selection)
    assert oc.stopped > 0.9


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(target=0.7, n_doses=5), ValueError, "target"),           # R BOIN: "the target is too high!"
    (dict(target=0.03, n_doses=5), ValueError, "target"),          # R BOIN: "the target is too low!"
    (dict(target=1.3, n_doses=5), ValueError, "target"),
    (dict(target="a", n_doses=5), TypeError, "target"),
    (dict(target=0.3, n_doses=0), ValueError, "n_doses"),
    (dict(target=0.3, n_doses=5, phi1=0.29), ValueError, "phi1"),  # closer than 0.1 * target
    (dict(target=0.3, n_doses=5, phi2=0.31), ValueError, "phi2"),
    (dict(target=0.3, n_doses=5, phi1=0.35), ValueError, "phi1"),
    (dict(target=0.3, n_doses=5, cutoff_eli=1.0), ValueError, "cutoff_eli"),
    (dict(target=0.3, n_doses=5, offset=0.6), ValueError, "offset"),
    (dict(target=0.3, n_doses=5, extrasafe="yes"), TypeError, "extrasafe"),
    (dict(target=0.3, n_doses=5, n_earlystop=0), ValueError, "n_earlystop"),
    (dict(target=0.3, n_doses=5, start_dose=6), ValueError, "start_dose"),
    (dict(target=0.3, n_doses=5, cohort_size=2.5), TypeError, "cohort_size"),
])
def test_bad_design_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        esc.BOIN(**kwargs)


@pytest.mark.parametrize("n, y, current, exc, word", [
    ([3, 0, 0], [0, 0], 1, ValueError, r"^y must have one count per dose"),
    ([3, -3, 0], [0, 0, 0], 1, ValueError, r"^n must not be negative"),
    ([3, 0, 0], [4, 0, 0], 1, ValueError, r"^y cannot exceed n"),
    ([3, 0, 0], [0, 0, 0], 4, ValueError, r"^current must be a whole number"),
    ([3, 0, 0], [0, 0, 0], 2, ValueError, r"^current: no patients"),       # no patients at the current dose
    ([3, 0, 0], [0, 0, 0], 1.0, TypeError, r"^current must be a whole number"),
])
def test_bad_next_dose_arguments(n, y, current, exc, word):
    with pytest.raises(exc, match=word):
        esc.BOIN(0.3, 3).next_dose(TrialData(n, y, current=current))


@pytest.mark.parametrize("tox, exc, word", [
    ([0.1, 0.2], ValueError, "true_tox"),
    ([0.1, 0.2, 1.2], ValueError, "true_tox"),
    ([0.0, 0.2, 0.3], ValueError, "true_tox"),
])
def test_bad_true_tox(tox, exc, word):
    design = esc.BOIN(0.3, 3)
    with pytest.raises(exc, match=word):
        design.simulate(tox, n_trials=10)
    with pytest.raises(exc, match=word):
        design.exact(tox)
