"""BOIN for drug combinations (dosecourse.escalation.BOINComb) against R BOIN 2.7.2.

Sources of expected numbers (R 4.2.2, BOIN 2.7.2, Iso 0.0-18.1)
-----------------------------------------------------------------
* ``tests/reference/boin_comb_cases.json``: 1038 data sets (made by ``make_boin_comb_cases.py``: the states random
  trials pass through under five design variants, their final states, and arbitrary matrices), and
  ``tests/reference/boin_comb_r.json``: R's answers on them, computed by ``tests/reference/boin_comb_r.R`` with
  ``next.comb(...)$next_dc`` for seeds 1..12 (a tie is broken by ``runif``, so the distinct answers are kept),
  ``select.mtd.comb(..., boundMTD = FALSE / TRUE, mtd.contour = FALSE / TRUE)`` (``$MTD``, ``$p_est``) and the
  selection ``get.oc.comb`` simulates with (its local ``select.mtd.comb.boin``).  The exact calls are in that
  script.
* The help-page examples of ``next.comb`` and ``select.mtd.comb`` (outputs printed by R, recorded below).
* ``get.boundary`` tables printed by R (recorded below with their calls).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize

from dosecourse.escalation.boin import BOIN
from dosecourse.escalation.boin_comb import (
    BOINComb,
    CombOperatingCharacteristics,
    _biviso,
    _biviso_dykstra,
    _r_round,
)

REFERENCE = Path(__file__).parent / "reference"
CASES = json.loads((REFERENCE / "boin_comb_cases.json").read_text())
R = json.loads((REFERENCE / "boin_comb_r.json").read_text())
DESIGNS = [BOINComb(**{k: tuple(x) if isinstance(x, list) else x for k, x in v.items()}) for v in CASES["variants"]]
PAIRS = list(zip(CASES["cases"], R["results"]))


def _r_combo(value) -> tuple[int, int] | None:
    """An R answer: [a, b] -> (a, b); NA, 99, (99, 99), "none" or empty -> None."""
    if value in (None, [None, None], [99], 99, [99, 99], ["none"], "none", []):
        return None
    return tuple(int(v) for v in value)


# ---------------------------------------------------------------------------------------------- help pages
def test_next_comb_help_page_example():
    # n <- matrix(c(3,0,0,0,0, 7,6,0,0,0, 0,0,0,0,0), ncol=5, byrow=TRUE); y likewise with 1 DLT at (2,1), (2,2)
    # next.comb(target=0.3, npts=n, ntox=y, dose.curr=c(2, 2))$next_dc over set.seed(1..6):
    # (3,2) (3,2) (3,2) (2,3) (3,2) (2,3)  -> a tie between (3, 2) and (2, 3)
    n = [[3, 0, 0, 0, 0], [7, 6, 0, 0, 0], [0, 0, 0, 0, 0]]
    y = [[0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0]]
    design = BOINComb(0.3, (3, 5))
    assert design.next_candidates(n, y, (2, 2)) == ((3, 2), (2, 3))
    picks = {design.next_dose(n, y, (2, 2), seed=s) for s in range(40)}
    assert picks == {(3, 2), (2, 3)}


def test_select_mtd_comb_help_page_examples():
    # select.mtd.comb(target=0.3, npts=n, ntox=y): $MTD (2, 3); $p_est
    # 0.02 0.19 0.27 0.5 0.5 / 0.15 0.19 0.27 0.5 0.5 / 0.50 0.50 0.50 0.5 0.5
    n = [[3, 5, 0, 0, 0], [7, 6, 15, 0, 0], [0, 0, 4, 0, 0]]
    y = [[0, 1, 0, 0, 0], [1, 1, 4, 0, 0], [0, 0, 2, 0, 0]]
    design = BOINComb(0.3, (3, 5))
    assert design.select(n, y) == (2, 3)
    np.testing.assert_array_equal(design.estimates(n, y), [[0.02, 0.19, 0.27, 0.5, 0.5], [0.15, 0.19, 0.27, 0.5, 0.5],
                                                           [0.5, 0.5, 0.5, 0.5, 0.5]])
    # select.mtd.comb(target=0.3, npts=n, ntox=y, mtd.contour=TRUE)$MTD: (1, 3), (2, 2), (3, 2)
    n = [[6, 9, 24, 0], [6, 24, 9, 0], [12, 18, 0, 0]]
    y = [[0, 1, 5, 0], [1, 5, 4, 0], [1, 5, 0, 0]]
    assert BOINComb(0.3, (3, 4)).select_contour(n, y) == [(1, 3), (2, 2), (3, 2)]


# ---------------------------------------------------------------------------------------------- next.comb
def test_next_dose_matches_next_comb_on_every_recorded_state():
    checked, ties, stops, wrong = 0, 0, 0, []
    for case, res in PAIRS:
        if case["kind"] != "next":
            continue
        design = DESIGNS[case["variant"]]
        mine = design.next_candidates(case["n"], case["y"], tuple(case["current"]))
        r_answers = {_r_combo(v) for v in res["next_dc"]}
        expected = () if r_answers == {None} else r_answers
        if (set(mine) if mine else ()) != expected:
            wrong.append((case, res, mine))
        nxt = design.next_dose(case["n"], case["y"], tuple(case["current"]), seed=checked)
        assert (nxt is None) == (not mine) and (nxt is None or nxt in mine)
        checked += 1
        ties += len(r_answers) > 1
        stops += None in r_answers
    assert not wrong, wrong[:3]
    assert checked >= 600 and ties >= 50 and stops >= 20          # 632 states, 89 ties, 35 stops


# ---------------------------------------------------------------------------------------------- select.mtd.comb
def _near_half(exact: np.ndarray) -> np.ndarray:
    """Cells whose exact isotonic estimate lies within 1e-7 of a rounding midpoint (x.xx5).

    There R's iterative ``Iso::biviso`` (tolerance 1.5e-8) lands on either side, so its 2-decimal estimate is
    either neighbour (e.g. a block of 10 cells pooled to exactly 3.5 / 4 = 0.875 came out as 0.8750000007 in one
    row and 0.8749999951 in the next: 0.88 and 0.87).
    """
    return np.abs(exact * 100 - np.floor(exact * 100) - 0.5) < 1e-5


def test_select_matches_select_mtd_comb_on_every_recorded_data_set():
    checked, none, wrong, half = 0, 0, [], 0
    for case, res in PAIRS:
        if case["kind"] != "select":
            continue
        design = DESIGNS[case["variant"]]
        n, y = case["n"], case["y"]
        bounded = design.replace(bound_mtd=True)
        got = (design.select(n, y), bounded.select(n, y), design.select_contour(n, y))
        if res["mtd"] == ["none"]:
            expected = (None, None, [])
            none += 1
        else:
            contour = res["contour"]
            contour = [tuple(c) for c in contour] if contour and isinstance(contour[0], list) else []
            expected = (_r_combo(res["mtd"]), _r_combo(res["mtd_bound"]), contour)
            mine = design.estimates(n, y)
            r_est = np.array(res["p_est"])
            exact = _biviso(((np.array(y) + 0.05) / (np.array(n) + 0.1))[None], (np.array(n) + 0.1)[None])[0]
            differ = np.abs(mine - r_est) > 1e-12
            assert np.all(~differ | (_near_half(exact) & (np.abs(mine - r_est) < 0.0101))), (case, mine, r_est)
            half += differ.any()
        if got != expected:
            wrong.append((case, res, got))
        checked += 1
    assert not wrong, wrong[:3]
    assert checked >= 300 and none >= 10 and half <= 3             # 310 data sets, 13 with no MTD, 1 at a midpoint


def _distance(design: BOINComb, n, y, combo) -> float:
    """|tie-broken exact estimate - target| of a tried combination, as select.mtd.comb.boin computes it."""
    n, y = np.asarray(n), np.asarray(y)
    fit = _biviso(((y + 0.05) / (n + 0.1))[None], (n + 0.1)[None])[0]
    a, b = combo[0] - 1, combo[1] - 1
    return abs(fit[a, b] + 1e-5 * (a + b + 2) - design.target)


def test_get_oc_comb_rules_select_as_its_simulations_do():
    wrong, ties = [], 0
    for case, res in PAIRS:
        if case["kind"] != "select":
            continue
        design = DESIGNS[case["variant"]].replace(rules="get.oc.comb")
        for bound, key in ((False, "sim_mtd"), (True, "sim_mtd_bound")):
            got, expected = design.replace(bound_mtd=bound).select(case["n"], case["y"]), _r_combo(res[key])
            if got == expected:
                continue
            # unrounded estimates of one pooled block are equal; R's iterative biviso separates them by ~1e-9 and
            # so picks any of them, this package the first in column order: accept an exact tie only
            if (got is not None and expected is not None
                    and abs(_distance(design, case["n"], case["y"], got)
                            - _distance(design, case["n"], case["y"], expected)) < 1e-9):
                ties += 1
            else:
                wrong.append((case, res, got))
    assert not wrong, wrong[:3]
    assert ties <= 4                                                # 2 (one data set, with and without boundMTD)


# ---------------------------------------------------------------------------------------------- get.boundary
def test_decision_table_is_get_boundary():
    # get.boundary(target=0.3, ncohort=20, cohortsize=3)$full_boundary_tab, columns 1..30
    table = BOINComb(0.3, (3, 5), n_cohorts=20).decision_table(30)
    assert table.iloc[1].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6,
                                      6, 6, 6, 7]
    assert table.iloc[2].tolist() == [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10,
                                      10, 11, 11, 11]
    assert table.iloc[3].tolist()[2:] == [3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11,
                                          12, 12, 12, 13, 13, 14]
    # get.boundary(target=0.25, ncohort=16, cohortsize=3, n.earlystop=12)$boundary_tab, n = 3, 6, 9, 12
    table = BOINComb(0.25, (3, 4), n_cohorts=16, n_earlystop=12).decision_table(12)
    assert table.loc[:, [3, 6, 9, 12]].iloc[1:].values.tolist() == [[0, 1, 1, 2], [1, 2, 3, 4], [3, 4, 5, 6]]
    # get.boundary(target=0.2, ncohort=20, cohortsize=3, p.saf=0.1, p.tox=0.3, extrasafe=TRUE):
    # full_boundary_tab columns 1..24 and stop_boundary
    design = BOINComb(0.2, (4, 5), n_cohorts=20, p_saf=0.1, p_tox=0.3, extrasafe=True)
    table = design.decision_table(24)
    assert table.iloc[1].tolist() == [0] * 6 + [1] * 7 + [2] * 7 + [3] * 4
    assert table.iloc[2].tolist() == [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [6] * 4
    assert table.iloc[3].tolist()[2:] == [2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8]
    assert table.iloc[4].tolist()[2:] == [2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8]
    # the same boundaries as the 1-D BOIN
    assert design.decision_table(24).equals(BOIN(0.2, 5, n_cohorts=20, phi1=0.1, phi2=0.3,
                                                 extrasafe=True).decision_table(24))
    assert (design.lambda_e, design.lambda_d) == (design.boin.lambda_e, design.boin.lambda_d)


# ---------------------------------------------------------------------------------------------- properties
def test_r_round_matches_r():
    # R 4.2.2: round(c(0.125, 0.135, 0.145, 0.875, 0.285, 0.005, 0.015, 0.995, 2.675), 2)
    # -> 0.12 0.14 0.14 0.88 0.28 0.00 0.01 1.00 2.67  (R rounds the double to the nearer candidate, ties to even)
    x = np.array([0.125, 0.135, 0.145, 0.875, 0.285, 0.005, 0.015, 0.995, 2.675])
    np.testing.assert_array_equal(_r_round(x, 2), [0.12, 0.14, 0.14, 0.88, 0.28, 0.0, 0.01, 1.0, 2.67])


@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (3, 5), (4, 4), (3, 7), (5, 5)])  # (5, 5): Dykstra
def test_biviso_is_the_weighted_least_squares_monotone_fit(shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(5):
        v = rng.uniform(0, 1, size=shape)
        w = rng.uniform(0.1, 10, size=shape)
        fit = _biviso(v[None], w[None])[0]
        assert np.all(np.diff(fit, axis=0) >= -1e-12) and np.all(np.diff(fit, axis=1) >= -1e-12)
        # an independent solution: SLSQP on the same problem with the monotonicity constraints
        cons = [{"type": "ineq", "fun": (lambda x, i=i, j=j, di=di, dj=dj:
                                         x.reshape(shape)[i + di, j + dj] - x.reshape(shape)[i, j])}
                for i in range(shape[0]) for j in range(shape[1]) for di, dj in ((1, 0), (0, 1))
                if i + di < shape[0] and j + dj < shape[1]]
        res = minimize(lambda x, w=w, v=v: np.sum(w.ravel() * (x - v.ravel()) ** 2), np.full(v.size, v.mean()),
                       constraints=cons, method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
        np.testing.assert_allclose(fit.ravel(), res.x, atol=2e-5)
        assert np.sum(w * (fit - v) ** 2) <= res.fun + 1e-10


def test_the_two_isotonic_algorithms_agree():
    rng = np.random.default_rng(11)
    for shape in ((3, 5), (4, 5)):
        v, w = rng.uniform(0, 1, (200,) + shape), rng.uniform(0.1, 20, (200,) + shape)
        np.testing.assert_allclose(_biviso_dykstra(v, w), _biviso(v, w), atol=1e-10)


def test_more_dlts_never_move_higher():
    order = {"de-escalate": -1, "stay": 0, "escalate": 1, "stop": -2}
    rng = np.random.default_rng(3)
    design = BOINComb(0.3, (3, 4))
    for _ in range(200):
        n = rng.integers(0, 7, size=(3, 4)) * (rng.random((3, 4)) < 0.5)
        cur = (int(rng.integers(1, 4)), int(rng.integers(1, 5)))
        n[cur[0] - 1, cur[1] - 1] = max(3, n[cur[0] - 1, cur[1] - 1])
        y = rng.binomial(n, 0.2)
        a, b = cur[0] - 1, cur[1] - 1
        actions = []
        for dlts in range(n[a, b] + 1):
            y2 = y.copy()
            y2[a, b] = dlts
            actions.append(order[design._decide(n, y2, cur)[0]])
        assert all(x >= z for x, z in zip(actions, actions[1:])), (n, y, cur, actions)


def test_design_is_immutable_and_its_repr_rebuilds_it():
    design = BOINComb(0.25, (3, 4), n_cohorts=16, start_dose=(1, 2), extrasafe=True, rules="get.oc.comb")
    with pytest.raises(AttributeError, match="replace"):
        design.target = 0.3
    assert eval(repr(design)) == design          # noqa: S307 - the repr is the constructor call
    assert hash(eval(repr(design))) == hash(design)  # noqa: S307
    assert design.replace(target=0.3).target == 0.3 and design.target == 0.25
    with pytest.raises(TypeError, match="no_such"):
        design.replace(no_such=1)


def test_pathways_follow_both_branches_of_a_tie():
    table = BOINComb(0.3, (3, 5)).pathways(2)
    first = table.iloc[:, 2]
    assert first.iloc[0] == "(2, 1) / (1, 2)"
    # after 0/3 at (1, 1) both (2, 1) and (1, 2) are followed: 2 x 4 rows; 1/3 and 2/3 stay: 4 rows each; 3/3 stops
    assert len(table) == 8 + 4 + 4 + 1
    assert set(table.iloc[:8, 3]) == {"(2, 1)", "(1, 2)"}
    assert table.iloc[-1, 2] == "stop"
    zh = BOINComb(0.3, (3, 5)).pathways(1, lang="zh-tw")
    assert zh.iloc[-1, -1] == "停止" and "劑量組合" in zh.columns[0]


def test_describe_in_both_languages():
    design = BOINComb(0.3, (3, 5), extrasafe=True, n_earlystop=12)
    en, zh = design.describe("en"), design.describe("zh-tw")
    assert "0.2365" in en and "0.3585" in en and "next.comb" in en and "12 patients" in en
    assert "0.2365" in zh and "保序迴歸" in zh and "(1, 1)" in zh


def test_bad_input_is_refused_clearly():
    design = BOINComb(0.3, (3, 5))
    n, y = np.zeros((3, 5), int), np.zeros((3, 5), int)
    n[0, 0] = 3
    with pytest.raises(ValueError, match="current"):
        design.next_dose(n, y, (2, 2))                 # nobody treated at (2, 2)
    with pytest.raises(ValueError, match="n must be a 3 x 5"):
        design.next_dose(n[:2], y[:2], (1, 1))
    with pytest.raises(ValueError, match="y cannot exceed n"):
        design.select(n, y + 4)
    with pytest.raises(ValueError, match="p_saf"):
        BOINComb(0.3, (3, 5), p_saf=0.29)
    with pytest.raises(ValueError, match="n_doses"):
        BOINComb(0.3, (11, 3))
    with pytest.raises(ValueError, match="true_tox"):
        design.simulate(np.full((3, 4), 0.2), n_trials=10, seed=1)


def test_operating_characteristics_validate_themselves():
    oc = BOINComb(0.3, (2, 3), n_cohorts=8).simulate([[0.05, 0.1, 0.2], [0.1, 0.3, 0.5]], n_trials=300, seed=5)
    assert math.isclose(oc.selection.sum() + oc.no_selection, 100.0)
    assert oc.correct_selection(0.3) == oc.selection[1, 1]
    assert oc.correct_selection(0.3, tolerance=0.1) == pytest.approx(oc.selection[0, 2] + oc.selection[1, 1])
    fields = {f: getattr(oc, f) for f in oc.__dataclass_fields__}
    with pytest.raises(ValueError, match="add up to 100"):
        CombOperatingCharacteristics(**{**fields, "no_selection": oc.no_selection + 1})
    with pytest.raises(ValueError, match="dlts"):
        CombOperatingCharacteristics(**{**fields, "dlts": oc.patients + 1})
    again = BOINComb(0.3, (2, 3), n_cohorts=8).simulate([[0.05, 0.1, 0.2], [0.1, 0.3, 0.5]], n_trials=300, seed=5)
    np.testing.assert_array_equal(oc.selection, again.selection)


# ---------------------------------------------------------------------------------------------- get.oc.comb
def _grid(values: list[float], rows: int, cols: int) -> np.ndarray:
    """An R matrix printed by dput (column-major) as a rows x cols array."""
    return np.array(values).reshape(cols, rows).T


GET_OC_COMB = {
    # get.oc.comb(target=0.3, p.true=p, ncohort=20, cohortsize=3, n.earlystop=12, startdose=c(1,1), ntrial=10000,
    #             seed=6) with p the help page's 3 x 5 matrix; $selpercent, $npatients, $ntox (dput), $percentstop
    "help page 3x5": dict(
        target=0.3, settings=dict(n_cohorts=20, n_earlystop=12),
        p=[[0.01, 0.03, 0.10, 0.20, 0.30], [0.03, 0.05, 0.15, 0.30, 0.60], [0.08, 0.10, 0.30, 0.60, 0.75]],
        sel=[0.01, 0.08, 0.6, 0.06, 0.27, 8.05, 1.18, 7.92, 48.15, 4.59, 20.01, 2.32, 5.71, 1.04, 0.01],
        npat=[3.1, 1.68, 1.05, 1.69, 1.9, 3.4, 1.36, 3.59, 7.94, 1.4, 3.56, 3.18, 0.92, 1.11, 0.2],
        ntox=[0.03, 0.05, 0.09, 0.05, 0.09, 0.33, 0.14, 0.53, 2.38, 0.28, 1.06, 1.93, 0.28, 0.67, 0.15],
        stop=0.0, totaln=36.1, pcs=73.9),
    # get.oc.comb(target=0.25, p.true=p, ncohort=15, cohortsize=3, startdose=c(1,1), extrasafe=TRUE, ntrial=10000,
    #             seed=6), p = rbind(c(.05,.10,.20,.30), c(.10,.20,.30,.45), c(.20,.30,.45,.60))
    "3x4 extrasafe": dict(
        target=0.25, settings=dict(n_cohorts=15, extrasafe=True),
        p=[[0.05, 0.10, 0.20, 0.30], [0.10, 0.20, 0.30, 0.45], [0.20, 0.30, 0.45, 0.60]],
        sel=[0.01, 3.21, 13.87, 3.11, 21.34, 17.45, 12.4, 15.46, 2.93, 7.2, 2.32, 0.07],
        npat=[4.96, 4.67, 4.03, 4.63, 7.12, 5.33, 4.03, 4.18, 2.32, 1.7, 1.28, 0.49],
        ntox=[0.24, 0.46, 0.81, 0.45, 1.42, 1.6, 0.79, 1.25, 1.05, 0.52, 0.57, 0.29],
        stop=0.63, totaln=44.7, pcs=87.7),
    # get.oc.comb(target=0.3, p.true=p, ncohort=10, cohortsize=3, ntrial=10000, seed=6),
    # p = rbind(c(.30,.45,.55), c(.45,.55,.65), c(.55,.65,.75)): (1, 1) is the MTD, everything above is too toxic
    "3x3 toxic": dict(
        target=0.3, settings=dict(n_cohorts=10),
        p=[[0.30, 0.45, 0.55], [0.45, 0.55, 0.65], [0.55, 0.65, 0.75]],
        sel=[56.24, 11.49, 0.93, 11.13, 1.48, 0.09, 0.97, 0.07, 0],
        npat=[17.06, 3.94, 0.46, 3.88, 0.7, 0.06, 0.45, 0.06, 0],
        ntox=[5.1, 1.77, 0.26, 1.75, 0.38, 0.04, 0.25, 0.04, 0],
        stop=17.6, totaln=26.6, pcs=56.2),
}
R_TRIALS = 10_000
RULES_UNDER_TEST = ("next.comb", "get.oc.comb")


@pytest.mark.parametrize("name", list(GET_OC_COMB))
def test_simulated_operating_characteristics_match_get_oc_comb(name):
    """Within 3 Monte Carlo SE, both sides' (10,000 trials each; R's SE of means from this side's SD)."""
    ref = GET_OC_COMB[name]
    p = np.array(ref["p"])
    rows, cols = p.shape
    design = BOINComb(ref["target"], p.shape, rules="get.oc.comb", **ref["settings"])
    oc = design.simulate(p, n_trials=10_000, seed=2025)
    r_sel = _grid(ref["sel"], rows, cols)
    se = 100 * np.sqrt(oc.selection / 100 * (1 - oc.selection / 100) / oc.n_trials
                       + r_sel / 100 * (1 - r_sel / 100) / R_TRIALS)
    rounding = 0.005                                   # R prints the percentages and means to 2 decimals
    assert np.all(np.abs(oc.selection - r_sel) <= 3 * se + rounding), (oc.selection, r_sel)
    for mine, mine_se, key in ((oc.patients, oc.patients_se, "npat"), (oc.dlts, oc.dlts_se, "ntox")):
        both = mine_se * np.sqrt(1 + oc.n_trials / R_TRIALS)
        assert np.all(np.abs(mine - _grid(ref[key], rows, cols)) <= 3 * both + rounding), (key, mine)
    q, r = oc.no_selection / 100, ref["stop"] / 100
    assert abs(oc.no_selection - ref["stop"]) <= 300 * math.sqrt(q * (1 - q) / 1e4 + r * (1 - r) / R_TRIALS) + 0.01
    assert abs(oc.total_n - ref["totaln"]) <= 3 * oc.total_n_se * math.sqrt(2) + 0.05
    pcs_se = 100 * math.sqrt(ref["pcs"] / 100 * (1 - ref["pcs"] / 100) * 2 / 1e4)
    assert abs(oc.correct_selection(ref["target"]) - ref["pcs"]) <= 3 * pcs_se + 0.05


def test_vectorised_simulation_equals_trial_by_trial_conduct():
    """simulate() (lockstep over trials) against trials run one by one with next_dose() and select()."""
    p = np.array([[0.05, 0.15, 0.30], [0.15, 0.30, 0.50]])
    for rules in RULES_UNDER_TEST:
        design = BOINComb(0.3, (2, 3), n_cohorts=8, n_earlystop=9, rules=rules)
        oc = design.simulate(p, n_trials=20_000, seed=3)
        rng = np.random.default_rng(4)
        count, selected, patients = 1500, np.zeros((2, 3)), np.zeros((2, 3))
        for _ in range(count):
            n, y, dose = np.zeros((2, 3), int), np.zeros((2, 3), int), (1, 1)
            for _cohort in range(design.n_cohorts):
                a, b = dose[0] - 1, dose[1] - 1
                n[a, b] += 3
                y[a, b] += rng.binomial(3, p[a, b])
                dose = design.next_dose(n, y, dose, seed=rng)
                if dose is None:
                    break
            toxic_start = dose is None and design._decide(n, y, (a + 1, b + 1))[2] != "comb_stop_earlystop"
            mtd = None if toxic_start else design.select(n, y)
            if mtd is not None:
                selected[mtd[0] - 1, mtd[1] - 1] += 1
            patients += n
        loop_sel = 100 * selected / count
        se = 100 * np.sqrt(loop_sel / 100 * (1 - loop_sel / 100) / count + oc.selection / 100 * (1 - oc.selection / 100)
                           / oc.n_trials)
        assert np.all(np.abs(loop_sel - oc.selection) <= 3 * se + 1e-9), (rules, loop_sel, oc.selection)
        both = oc.patients_se * math.sqrt(oc.n_trials) * math.sqrt(1 / count + 1 / oc.n_trials)
        assert np.all(np.abs(patients / count - oc.patients) <= 3 * both), (rules, patients / count, oc.patients)



# ---------------------------------------------------------------------------------------------- next.comb trials
R_LOOP = {
    # Rscript tests/reference/boin_comb_trials_r.R 1 2000 12: the "help page 3x5" scenario, next.comb(target=0.3,
    # n, y, d, n.earlystop=12) after each of up to 20 cohorts, select.mtd.comb(0.3, n, y) at the end
    "help page 3x5": dict(
        trials=2000,
        sel=[0, 0.1, 1.3, 0.1, 0.2, 18.35, 0.6, 6.95, 44.85, 2.8, 15, 2.8, 5.85, 1.1, 0],
        npat=[3.0945, 1.728, 1.122, 1.626, 1.839, 3.9855, 1.1085, 2.31, 6.396, 0.909, 2.4615, 2.127, 0.873, 0.7935,
              0.132],
        ntox=[0.0285, 0.0555, 0.0915, 0.0515, 0.089, 0.4105, 0.1065, 0.352, 1.9345, 0.1835, 0.7225, 1.296, 0.2635,
              0.478, 0.099],
        none=0.0),
    # Rscript tests/reference/boin_comb_trials_r.R 2 2000 11: 2000 trials of the "3x4 extrasafe" scenario run with
    # next.comb(target=0.25, n, y, d, n.earlystop=100, extrasafe=TRUE) after each cohort and
    # select.mtd.comb(0.25, n, y, extrasafe=TRUE) at the end (dput of the selection %, mean patients, mean DLTs)
    "3x4 extrasafe": dict(
        trials=2000,
        sel=[0.2, 15.85, 20.5, 10.3, 17.45, 9.75, 13, 5.55, 0.6, 5.5, 0.25, 0],
        npat=[7.2285, 6.8115, 6.2985, 6.369, 5.382, 2.7585, 4.4925, 2.283, 0.5655, 1.905, 0.42, 0.054],
        ntox=[0.348, 0.711, 1.217, 0.6475, 1.09, 0.831, 0.9095, 0.6655, 0.2615, 0.5765, 0.2065, 0.038],
        none=1.05),
}


@pytest.mark.parametrize("name", list(R_LOOP))
def test_default_rules_match_trials_run_with_next_comb(name):
    """rules="next.comb" (the default) against trials R conducts with its own next.comb and select.mtd.comb.

    These differ from get.oc.comb's numbers: on "3x4 extrasafe" get.oc.comb reports 87.7% correct selection,
    the trials run with next.comb select a correct combination in 71.75% (see the BOINComb docstring).
    """
    ref, grid = R_LOOP[name], GET_OC_COMB[name]
    p = np.array(grid["p"])
    rows, cols = p.shape
    oc = BOINComb(grid["target"], p.shape, **grid["settings"]).simulate(p, n_trials=10_000, seed=2025)
    count = ref["trials"]
    r_sel = _grid(ref["sel"], rows, cols)
    se = 100 * np.sqrt(oc.selection / 100 * (1 - oc.selection / 100) / oc.n_trials
                       + r_sel / 100 * (1 - r_sel / 100) / count)
    assert np.all(np.abs(oc.selection - r_sel) <= 3 * se + 1e-9), (oc.selection, r_sel)
    for mine, mine_se, key in ((oc.patients, oc.patients_se, "npat"), (oc.dlts, oc.dlts_se, "ntox")):
        both = mine_se * np.sqrt(1 + oc.n_trials / count)
        assert np.all(np.abs(mine - _grid(ref[key], rows, cols)) <= 3 * both), (key, mine)
    q, r = oc.no_selection / 100, ref["none"] / 100
    assert abs(oc.no_selection - ref["none"]) <= 300 * math.sqrt(q * (1 - q) / oc.n_trials + r * (1 - r) / count)
    # and the two rule sets really differ: correct selection 73.9% / 87.7% with get.oc.comb against about 65% / 72%
    assert oc.correct_selection(grid["target"]) < grid["pcs"] - 5
