"""Tests of dosecourse.escalation.move_probabilities: the 3+3's escalation probability and BOIN's moves.

Sources of the expected numbers:
* 3+3 (Storer 1989; Lin & Shih 2001): (1 - p)^3 + 3p(1 - p)^5, by hand below, and the package's exact
  enumeration of a one-dose 3+3 trial (ThreePlusThree(n_doses=1).exact), an independent implementation.
* BOIN boundaries for target 0.3: lambda_e = 0.2364907, lambda_d = 0.3585195 (R package BOIN 2.7.2,
  ``get.boundary(target = 0.3, ncohort = 10, cohortsize = 3)``); the tails below are summed with math.comb and
  compared with the decision table of dosecourse.escalation.BOIN (which reproduces get.boundary).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse import escalation as esc
from dosecourse.escalation import move_probabilities as mp


def pmf(n: int, p: float) -> list[float]:
    return [math.comb(n, y) * p ** y * (1 - p) ** (n - y) for y in range(n + 1)]


def test_three_plus_three_by_hand():
    # 0.7^3 + 3 (0.3)(0.7)^5 = 0.343 + 0.151263 = 0.494263; at 0.2: 0.512 + 0.196608 = 0.708608
    assert mp.three_plus_three_escalation(0.3) == pytest.approx(0.494263, abs=1e-12)
    assert mp.three_plus_three_escalation(0.2) == pytest.approx(0.708608, abs=1e-12)
    assert mp.three_plus_three_escalation(np.array([0.0, 1.0])).tolist() == [1.0, 0.0]
    assert isinstance(mp.three_plus_three_escalation(0.3), float)


@pytest.mark.parametrize("p", [0.05, 0.12, 0.3, 0.45, 0.8])
def test_three_plus_three_matches_the_engines_enumeration(p):
    # With one dose, the escalation-only 3+3 "selects" it exactly when the dose is cleared (the six-at-MTD
    # default also needs at most one DLT in six there, tests/test_three_plus_three.py).
    oc = esc.ThreePlusThree(1, variant="escalation-only").exact([p])
    assert oc.selection[0] == pytest.approx(mp.three_plus_three_escalation(p), abs=1e-12)


def test_boin_boundaries_and_tails_at_thirty_patients():
    moves = mp.boin_move_probabilities(0.3, 30, 0.3)
    assert (round(moves.lambda_e, 7), round(moves.lambda_d, 7)) == (0.2364907, 0.3585195)
    # n = 30: escalate if y <= floor(0.2365 x 30) = 7, de-escalate if y >= floor(0.3585 x 30) + 1 = 11
    f = pmf(30, 0.3)
    assert moves.escalate == pytest.approx(sum(f[:8]), abs=1e-12)
    assert moves.deescalate == pytest.approx(sum(f[11:]), abs=1e-12)
    assert moves.stay == pytest.approx(sum(f[8:11]), abs=1e-12)
    # n = 3 at p = 0.3: escalate at 0 DLTs (0.7^3 = 0.343), de-escalate at >= 2 (3 x 0.09 x 0.7 + 0.027 = 0.216)
    three = mp.boin_move_probabilities(0.3, 3)
    assert (three.escalate, three.deescalate) == (pytest.approx(0.343), pytest.approx(0.216))


@pytest.mark.parametrize("n", range(1, 13))
def test_boin_moves_follow_the_designs_decision_table(n):
    table = esc.BOIN(0.3, 5).decision_table(max_n=12)
    up_at, down_at = int(table[n].iloc[1]), int(table[n].iloc[2])   # escalate if y <= up_at, de-escalate if >=
    for p in (0.1, 0.25, 0.3, 0.42, 0.6):
        f = pmf(n, p)
        moves = mp.boin_move_probabilities(p, n, 0.3)
        assert moves.escalate == pytest.approx(sum(f[:up_at + 1]), abs=1e-12)
        assert moves.deescalate == pytest.approx(sum(f[down_at:]), abs=1e-12)


def test_boin_custom_phis_and_arrays():
    p = np.linspace(0, 1, 11)
    moves = mp.boin_move_probabilities(p, 6, 0.25, phi1=0.15, phi2=0.35)
    lam_e, lam_d = esc.boin_boundaries(0.25, 0.15, 0.35)
    assert (moves.lambda_e, moves.lambda_d) == (lam_e, lam_d)
    assert moves.escalate.shape == moves.stay.shape == moves.deescalate.shape == (11,)
    np.testing.assert_allclose(moves.escalate + moves.stay + moves.deescalate, 1.0, atol=1e-12)
    assert moves.escalate[0] == 1.0 and moves.deescalate[-1] == 1.0


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), target=st.floats(0.1, 0.5))
def test_boin_moves_are_monotone_in_the_true_rate(n, target):
    moves = mp.boin_move_probabilities(np.linspace(0.0, 1.0, 41), n, target)
    assert np.all(np.diff(moves.escalate) <= 1e-12) and np.all(np.diff(moves.deescalate) >= -1e-12)
    assert np.all((moves.stay >= 0) & (moves.stay <= 1))


@settings(max_examples=40, deadline=None)
@given(p=st.floats(0, 1))
def test_three_plus_three_is_a_probability_that_falls_with_toxicity(p):
    e = mp.three_plus_three_escalation(p)
    assert 0.0 <= e <= 1.0
    assert mp.three_plus_three_escalation(min(1.0, p + 0.01)) <= e + 1e-12


def test_exported_from_the_package():
    assert esc.three_plus_three_escalation is mp.three_plus_three_escalation
    assert esc.boin_move_probabilities is mp.boin_move_probabilities
    assert esc.MoveProbabilities is mp.MoveProbabilities


@pytest.mark.parametrize("call, name", [
    (lambda: mp.three_plus_three_escalation(1.2), "p"), (lambda: mp.three_plus_three_escalation("0.3"), "p"),
    (lambda: mp.three_plus_three_escalation([0.1, float("nan")]), "p"),
    (lambda: mp.boin_move_probabilities(-0.1, 3), "p"), (lambda: mp.boin_move_probabilities(0.3, 0), "n"),
    (lambda: mp.boin_move_probabilities(0.3, 2.5), "n"), (lambda: mp.boin_move_probabilities(0.3, 3, 1.2), "target"),
    (lambda: mp.boin_move_probabilities(0.3, 3, 0.3, phi1=0.35), "phi1"),
    (lambda: mp.boin_move_probabilities(0.3, 3, 0.3, phi2="x"), "phi2"),
])
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_move_probabilities_validate_themselves():
    ok = dict(p=[0.3], n=3, target=0.3, lambda_e=0.24, lambda_d=0.36, escalate=[0.3], stay=[0.5], deescalate=[0.2])
    mp.MoveProbabilities(**ok)
    with pytest.raises(ValueError, match="add up to 1"):
        mp.MoveProbabilities(**{**ok, "stay": [0.6]})
    with pytest.raises(ValueError, match="same shape"):
        mp.MoveProbabilities(**{**ok, "stay": [0.5, 0.5]})
    with pytest.raises(TypeError, match="n"):
        mp.MoveProbabilities(**{**ok, "n": 3.5})
