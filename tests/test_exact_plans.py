"""Exact operating characteristics reuse each design's outcome tree (``dosecourse.escalation.interval.PLANS``): the
tree of states does not depend on the true DLT probabilities, so a stored tree must give, for any scenario, the
numbers a fresh enumeration gives, to the last bit."""

import numpy as np
import pytest

from dosecourse import escalation as esc
from dosecourse.escalation.interval import PLANS, _PlanCache

SCENARIOS = [(0.05, 0.12, 0.30, 0.45, 0.60), (0.02, 0.04, 0.06, 0.08, 0.10), (0.12, 0.30, 0.45, 0.60, 0.75),
             (1e-300, 0.10, 0.30, 0.50, 0.95)]   # paths of probability 0 (1e-300 ** 3): the CRM enumerates afresh
FIELDS = ("selection", "no_selection", "patients", "dlts", "total_n", "stopped", "n_states")


def _forget() -> None:
    with PLANS._lock:
        PLANS._plans.clear()
        PLANS._bytes = 0


@pytest.mark.parametrize("key", ["3+3", "ATD", "BOIN", "Keyboard", "mTPI-2", "CRM"])
def test_a_stored_tree_gives_the_numbers_of_a_fresh_enumeration(key):
    design = esc.make_design(key, 5, 0.3, start_dose=2)
    _forget()
    reused = [design.exact(np.array(tox)) for tox in SCENARIOS]      # the first builds the tree, the rest reuse it
    assert PLANS.get(design) is not None
    for tox, oc in zip(SCENARIOS, reused):
        _forget()
        fresh = design.exact(np.array(tox))
        for field in FIELDS:
            assert np.array_equal(np.asarray(getattr(oc, field)), np.asarray(getattr(fresh, field))), (tox, field)


def test_trees_are_per_design_and_the_store_is_bounded():
    boin = esc.make_design("BOIN", 5, 0.3)
    boin.exact(np.array(SCENARIOS[0]))
    assert PLANS.get(boin.replace(start_dose=3)) is None       # another design, another tree
    small = _PlanCache(1000)
    small.put("a", np.zeros(100))                              # 800 bytes
    small.put("b", np.zeros(100))                              # evicts "a"
    assert small.get("a") is None and small.get("b") is not None
    small.put("c", np.zeros(1000))                             # larger than the whole store: not kept
    assert small.get("c") is None
