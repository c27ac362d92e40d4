"""Tests of dosecourse.sentinel: expected acute reactions per cohort with and without sentinel dosing.

No reference software computes these numbers.  Independent checks:
* brute-force enumeration of every outcome of the cohort (each patient reacts or not; the patients after the
  sentinels are dosed only if no sentinel reacted), written here without the package's formula;
* a simulation of 200,000 cohorts (seed 20250101, fixed before the run) within 3 Monte Carlo standard errors;
* hand calculations: E = q + (1 - q) 2q with one sentinel in a cohort of 3, and 3q without.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosecourse import sentinel


def enumerated(q: float, c: int, s: int) -> float:
    """Expected reactions by enumerating the 2^c outcomes of the cohort (1 = the patient would react)."""
    total = 0.0
    for outcome in itertools.product((0, 1), repeat=c):
        prob = math.prod(q if r else 1 - q for r in outcome)
        sentinels = outcome[:s]
        dosed = outcome if s == 0 or not any(sentinels) else sentinels
        total += prob * sum(dosed)
    return total


def test_hand_calculations_of_the_chapter():
    # q = 1: one patient affected instead of three; q = 0.5: 0.5 + 0.5 x 2 x 0.5 = 1 against 1.5;
    # q = 0.05: 0.05 + 0.95 x 0.1 = 0.145 against 0.15; q = 0.1: 0.1 + 0.9 x 0.2 = 0.28.
    assert sentinel.expected_reactions(1.0) == 1.0 and sentinel.expected_reactions(1.0, sentinels=0) == 3.0
    assert sentinel.expected_reactions(0.5) == pytest.approx(1.0, abs=1e-15)
    assert sentinel.expected_reactions(0.5, 3, 0) == pytest.approx(1.5, abs=1e-15)
    assert sentinel.expected_reactions(0.05) == pytest.approx(0.145, abs=1e-15)
    assert sentinel.expected_reactions(0.1) == pytest.approx(0.28, abs=1e-15)
    assert sentinel.expected_reactions(0.0) == 0.0


@pytest.mark.parametrize("c", range(1, 7))
def test_formula_matches_enumeration(c):
    for s in range(c + 1):
        for q in (0.0, 0.03, 0.2, 0.5, 0.77, 1.0):
            assert sentinel.expected_reactions(q, c, s) == pytest.approx(enumerated(q, c, s), abs=1e-12)
            assert sentinel.reactions_prevented(q, c, s) == pytest.approx(c * q - enumerated(q, c, s), abs=1e-12)


def test_formula_matches_simulation():
    rng = np.random.default_rng(20250101)
    q, c, s, m = 0.3, 4, 1, 200_000
    react = rng.random((m, c)) < q
    dosed_all = ~react[:, :s].any(axis=1)
    counts = np.where(dosed_all, react.sum(axis=1), react[:, :s].sum(axis=1))
    se = counts.std(ddof=1) / math.sqrt(m)
    assert abs(counts.mean() - sentinel.expected_reactions(q, c, s)) < 3 * se


def test_arrays_give_arrays_and_numbers_give_floats():
    out = sentinel.expected_reactions([0.05, 0.5, 1.0])
    assert isinstance(out, np.ndarray) and out.round(3).tolist() == [0.145, 1.0, 1.0]
    assert isinstance(sentinel.expected_reactions(0.2), float)
    assert sentinel.reactions_prevented(np.array([[0.0, 1.0]])).tolist() == [[0.0, 2.0]]


@settings(max_examples=60, deadline=None)
@given(q=st.floats(0, 1), c=st.integers(1, 12), data=st.data())
def test_bounds(q, c, data):
    s = data.draw(st.integers(0, c))
    e = sentinel.expected_reactions(q, c, s)
    # the sentinels are always dosed; nobody reacts who would not have reacted dosed together
    assert s * q - 1e-12 <= e <= c * q + 1e-12
    assert sentinel.reactions_prevented(q, c, s) >= -1e-12
    # no sentinels and all sentinels both mean the whole cohort is dosed
    assert sentinel.expected_reactions(q, c, 0) == pytest.approx(c * q)
    assert sentinel.expected_reactions(q, c, c) == pytest.approx(c * q)


@pytest.mark.parametrize("kwargs, name", [
    (dict(q=1.5), "q"), (dict(q=-0.1), "q"), (dict(q="0.2"), "q"), (dict(q=float("nan")), "q"), (dict(q=None), "q"),
    (dict(q=0.2, cohort_size=0), "cohort_size"), (dict(q=0.2, cohort_size=2.5), "cohort_size"),
    (dict(q=0.2, cohort_size=1000), "cohort_size"), (dict(q=0.2, sentinels=4), "sentinels"),
    (dict(q=0.2, sentinels=-1), "sentinels"), (dict(q=0.2, sentinels=True), "sentinels"),
])
@pytest.mark.parametrize("func", [sentinel.expected_reactions, sentinel.reactions_prevented])
def test_bad_arguments_name_themselves(func, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        func(**kwargs)
