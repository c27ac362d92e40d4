"""mTPI, mTPI-2 and Keyboard, and properties shared by all four interval designs (BOIN included).

Sources of expected numbers
---------------------------
* Ji Y, Liu P, Li Y, Bekele BN (2010) Clin Trials 7:653, Fig. 2: 195 outcome strings and the mTPI decision
  (target 0.30, epsilon 0.05), transcribed in dosecourse/data/mtpi_ji2010_fig2_paths.json.
* Guo W, Wang SJ, Yang S, Lynn H, Ji Y (2017) Contemp Clin Trials 58:23, Fig. 3: 96 outcome strings and the
  mTPI-2 decision, in mtpi2_guo2017_fig3_paths.json.  The course's method notes: Keyboard gives the same
  decisions as mTPI-2, so the same 96 cases are checked for Keyboard.
* Unit probability masses recomputed here in exact rational arithmetic (Beta(1 + y, 1 + n - y) CDF at a rational
  x equals P(Bin(n + 1, x) >= y + 1)), independently of the package's floating-point code.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from dosecourse import data
from dosecourse import escalation as esc
from dosecourse.escalation import NO_DOSE, TrialData

DESIGNS = [esc.BOIN, esc.MTPI, esc.MTPI2, esc.Keyboard]


def load(name: str) -> list[dict]:
    return data.load(name)["paths"]


def decide(design, outcomes: str):
    return design.next_dose(outcomes)      # an outcome string: the last cohort's dose is the current dose


# ---------------------------------------------------------------------------------------------- published paths
@pytest.mark.parametrize("case", load("mtpi_ji2010_fig2_paths"), ids=lambda c: c["outcomes"])
def test_mtpi_ji2010_fig2(case):
    # Ji et al. 2010, Fig. 2: mTPI with target 0.3, epsilon1 = epsilon2 = 0.05, xi = 0.95, 5 doses
    decision = decide(esc.MTPI(0.3, 5), case["outcomes"])
    assert decision.dose == (NO_DOSE if case["dose"] == "NA" else case["dose"])
    assert (decision.dose != NO_DOSE) == case["continue"]


# One transcribed case reads "1NTT 2TTT 2TTT 2T" amid "2..." strings (probably "2NTT ..."): both readings give
# dose 1 (dose 2 is eliminated; 2/3 at dose 1 has Pr(p > 0.3) = 0.916 < 0.95), so it is checked as written.
@pytest.mark.parametrize("design", [esc.MTPI2, esc.Keyboard], ids=["mTPI-2", "Keyboard"])
@pytest.mark.parametrize("case", load("mtpi2_guo2017_fig3_paths"), ids=lambda c: c["outcomes"])
def test_mtpi2_guo2017_fig3(design, case):
    # Guo et al. 2017, Fig. 3: mTPI-2 with target 0.3, epsilon 0.05, 5 doses; Keyboard must agree (method notes)
    decision = decide(design(0.3, 5), case["outcomes"])
    assert decision.dose == (NO_DOSE if case["dose"] == "NA" else case["dose"])
    assert (decision.dose != NO_DOSE) == case["continue"]


def test_three_of_six_mtpi_stays_mtpi2_deescalates():
    # Guo et al. 2017 (and the method notes): mTPI stays at 3 DLTs in 6 patients, mTPI-2 de-escalates
    assert decide(esc.MTPI(0.3, 5), "3NNN 3TTT").action == "stay"
    assert decide(esc.MTPI2(0.3, 5), "3NNN 3TTT").action == "de-escalate"
    assert decide(esc.Keyboard(0.3, 5), "3NNN 3TTT").action == "de-escalate"


# ---------------------------------------------------------------------------------------------- exact arithmetic
def beta_cdf(x: Fraction, n: int, y: int) -> Fraction:
    """CDF of Beta(1 + y, 1 + n - y) at x: P(Bin(n + 1, x) >= y + 1)."""
    return sum(math.comb(n + 1, i) * x ** i * (1 - x) ** (n + 1 - i) for i in range(y + 1, n + 2))


def exact_decision(edges: list[Fraction], lower: Fraction, n: int, y: int) -> int:
    """+1/0/-1 from the largest exact UPM, the highest interval on an exact tie."""
    cdf = [beta_cdf(x, n, y) for x in edges]
    upm = [(cdf[i + 1] - cdf[i]) / (edges[i + 1] - edges[i]) for i in range(len(edges) - 1)]
    best = max(i for i, u in enumerate(upm) if u == max(upm))
    target_index = edges.index(lower)
    return (best < target_index) - (best > target_index)


def rational_edges(target: Fraction, eps1: Fraction, eps2: Fraction, equal_width: bool) -> list[Fraction]:
    lower, upper = target - eps1, target + eps2
    if not equal_width:
        return [Fraction(0), lower, upper, Fraction(1)]
    width, edges = upper - lower, [lower, upper]
    while edges[0] > 0:
        edges.insert(0, max(edges[0] - width, Fraction(0)))
    while edges[-1] < 1:
        edges.append(min(edges[-1] + width, Fraction(1)))
    return edges


@pytest.mark.parametrize("design, equal_width, target, eps1, eps2", [
    (esc.MTPI, False, "0.3", "0.05", "0.05"),
    (esc.MTPI, False, "0.2", "0.05", "0.05"),
    (esc.MTPI, False, "0.25", "0.03", "0.05"),
    (esc.MTPI2, True, "0.3", "0.05", "0.05"),
    (esc.MTPI2, True, "0.2", "0.05", "0.05"),
    (esc.MTPI2, True, "0.46", "0.04", "0.04"),      # keys (0.42, 0.5) and (0.5, 0.58): exact ties at y = n / 2
    (esc.Keyboard, True, "0.46", "0.04", "0.04"),
    (esc.Keyboard, True, "0.33", "0.05", "0.05"),
])
def test_decisions_against_exact_rational_upm(design, equal_width, target, eps1, eps2):
    t, e1, e2 = Fraction(target), Fraction(eps1), Fraction(eps2)
    edges = rational_edges(t, e1, e2, equal_width)
    d = design(float(target), 3, epsilon1=float(eps1), epsilon2=float(eps2), n_cohorts=7)
    ns, ys = zip(*[(n, y) for n in range(1, 21) for y in range(n + 1)])
    got = d._rule(np.array(ns), np.array(ys))
    expected = [exact_decision(edges, t - e1, n, y) for n, y in zip(ns, ys)]
    assert got.tolist() == expected


def test_exact_ties_go_to_the_higher_interval():
    # With target key (0.42, 0.50), 3 DLTs in 6 give the posterior Beta(4, 4), symmetric about 0.5: the target
    # key and (0.50, 0.58) have exactly the same probability; the higher key (de-escalate) wins.
    edges = rational_edges(Fraction("0.46"), Fraction("0.04"), Fraction("0.04"), True)
    i = edges.index(Fraction("0.42"))
    assert beta_cdf(edges[i + 1], 6, 3) - beta_cdf(edges[i], 6, 3) == \
        beta_cdf(edges[i + 2], 6, 3) - beta_cdf(edges[i + 1], 6, 3)
    for design in (esc.MTPI2, esc.Keyboard):
        decision = design(0.46, 3, epsilon1=0.04, epsilon2=0.04).next_dose(TrialData([0, 6, 0], [0, 3, 0],
                                                                                     current=2))
        assert decision.action == "de-escalate"


# ---------------------------------------------------------------------------------------------- Keyboard = mTPI-2
@pytest.mark.parametrize("eps1, eps2", [(0.05, 0.05), (0.03, 0.03), (0.05, 0.03), (0.02, 0.06), (0.04, 0.04),
                                        (0.1, 0.1), (0.05, 0.1)])
def test_keyboard_equals_mtpi2(eps1, eps2):
    # Keyboard is implemented from its own definition (strongest key); its decisions must equal mTPI-2's
    for target in np.round(np.arange(0.05, 0.61, 0.01), 2):
        if not 0 < target - eps1 < target + eps2 < 1:
            continue
        kb = esc.Keyboard(target, 3, epsilon1=eps1, epsilon2=eps2, n_cohorts=20).boundaries()
        m2 = esc.MTPI2(target, 3, epsilon1=eps1, epsilon2=eps2, n_cohorts=20).boundaries()
        np.testing.assert_array_equal(kb.escalate, m2.escalate, err_msg=f"target {target}")
        np.testing.assert_array_equal(kb.deescalate, m2.deescalate, err_msg=f"target {target}")


def test_keyboard_keys():
    # Yan et al. 2017: with target key (0.25, 0.35), keys of width 0.1 on both sides; ends truncated at 0 and 1
    keys = esc.Keyboard(0.3, 5).keys
    np.testing.assert_allclose(keys, [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1])
    assert esc.Keyboard(0.3, 5).key_probabilities(3, 0).shape == (11,)


# ---------------------------------------------------------------------------------------------- properties
targets = st.sampled_from([0.1, 0.15, 0.2, 0.25, 0.3, 0.33, 0.35, 0.4, 0.5])


@pytest.mark.parametrize("design_class", DESIGNS)
@settings(max_examples=15, deadline=None)
@given(target=targets)
def test_decision_tables_are_monotone_in_y(design_class, target):
    # The rule must be escalate for y <= e[n], de-escalate for y >= d[n], stay between: non-increasing in y.
    # Hence P(escalate | p) = P(Bin(n, p) <= e[n]) never rises when the true toxicity p rises.
    design = design_class(target, 3, n_cohorts=12)
    b = design.boundaries()
    for n in range(1, design.max_n + 1):
        y = np.arange(n + 1)
        rule = design._rule(np.full(n + 1, n), y)
        assert np.all(np.diff(rule) <= 0)
        np.testing.assert_array_equal(rule == 1, y <= b.escalate[n])
        assert b.escalate[n] < b.deescalate[n] <= b.eliminate[n]
        p_escalate = binom.cdf(b.escalate[n], n, np.linspace(0.01, 0.99, 50))
        assert np.all(np.diff(p_escalate) <= 1e-15)


probabilities = st.lists(st.floats(0.01, 0.99), min_size=2, max_size=5)


@pytest.mark.parametrize("design_class", DESIGNS)
@settings(max_examples=10, deadline=None)
@given(tox=probabilities, seed=st.integers(0, 2 ** 31))
def test_simulated_oc_add_up(design_class, tox, seed):
    design = design_class(0.3, len(tox), n_cohorts=6)
    oc = design.simulate(tox, n_trials=300, seed=seed).summary()
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1)
    assert oc.patients.sum() == pytest.approx(oc.total_n)
    assert oc.dlts.sum() <= oc.total_n
    assert 0 <= oc.stopped <= oc.no_selection + 1e-12


@pytest.mark.parametrize("design_class", DESIGNS)
@settings(max_examples=10, deadline=None)
@given(tox=probabilities)
def test_exact_oc_add_up(design_class, tox):
    design = design_class(0.3, len(tox), n_cohorts=5)
    oc = design.exact(tox)
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1, abs=1e-12)
    assert oc.patients.sum() == pytest.approx(oc.total_n)
    assert oc.dlts == pytest.approx(oc.patients * np.asarray(tox))     # E[DLTs] = p * E[patients] per dose


@pytest.mark.parametrize("design_class", DESIGNS)
@settings(max_examples=25, deadline=None)
@given(dlts=st.lists(st.integers(0, 3), min_size=1, max_size=12), start=st.integers(1, 4))
def test_never_assigned_above_an_eliminated_dose(design_class, dlts, start):
    # Walk a trial through next_dose with arbitrary cohort outcomes: once a dose is eliminated, no later cohort
    # receives it or any higher dose, and the lowest eliminated dose never moves up.
    design = design_class(0.3, 4, start_dose=start)
    trial, dose, closed = TrialData.empty(4), start, NO_DOSE
    for count in dlts:
        trial = trial.add(dose, count, size=3)
        decision = design.next_dose(trial)
        if closed != NO_DOSE:
            assert decision.eliminated != NO_DOSE and decision.eliminated <= closed
        closed = decision.eliminated
        if decision.dose == NO_DOSE:
            break
        assert closed == NO_DOSE or decision.dose < closed
        dose = decision.dose


# ---------------------------------------------------------------------------------------------- text and input
@pytest.mark.parametrize("design_class, phrase", [(esc.MTPI, "unit probability mass"),
                                                  (esc.MTPI2, "sub-intervals of the same width 0.10"),
                                                  (esc.Keyboard, "strongest key")])
def test_describe(design_class, phrase):
    text = design_class(0.3, 5).describe()
    assert phrase in text and "(0.25, 0.35)" in text and "Beta(1, 1)" in text
    zh = design_class(0.3, 5).describe("zh-tw")
    assert "(0.25, 0.35)" in zh and "劑量" in zh and "排除" in zh


def test_reasons():
    # 0/3: posterior Beta(1, 4); UPM of (0, 0.25) = (1 - 0.75**4) / 0.25 = 2.734
    assert decide(esc.MTPI(0.3, 5), "1NNN").reason() == (
        "escalate: 0/3 DLTs; the largest unit probability mass (2.73) is on (0.00, 0.25), below the equivalence "
        "interval (0.25, 0.35)")
    # 2/3: posterior Beta(3, 2) with CDF 4x^3 - 3x^4; key (0.65, 0.75) has 0.7383 - 0.5630 = 0.1753, more than
    # (0.55, 0.65) with 0.5630 - 0.3910 = 0.1720 and (0.75, 0.85) with 0.8905 - 0.7383 = 0.1522
    assert decide(esc.Keyboard(0.3, 5), "1NNN 2NTT").reason("zh-tw") == (
        "降低劑量：3 位病人中 2 位發生 DLT；最強鍵 (0.65, 0.75) 位於目標鍵 (0.25, 0.35) 右側")


@pytest.mark.parametrize("design_class", [esc.MTPI, esc.MTPI2, esc.Keyboard])
@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(target=0.7), ValueError, "target"),
    (dict(target=0.3, epsilon1=0), ValueError, "epsilon1"),
    (dict(target=0.3, epsilon2=1.5), ValueError, "epsilon2"),
    (dict(target=0.06, epsilon1=0.1), ValueError, "epsilon1"),      # interval would start below 0
    (dict(target=0.3, epsilon1="x"), TypeError, "epsilon1"),
    (dict(target=0.3, n_cohorts=0), ValueError, "n_cohorts"),
])
def test_bad_arguments(design_class, kwargs, exc, word):
    with pytest.raises(exc, match=word):
        design_class(n_doses=5, **kwargs)


def test_simulate_rejects_unknown_scenario():
    with pytest.raises(TypeError, match=r"got unexpected \['true_eff'\]"):
        esc.Keyboard(0.3, 3).simulate([0.1, 0.2, 0.3], n_trials=10, true_eff=[0.2, 0.3, 0.4])


def test_interval_designs_take_cohort_arguments_in_boins_order():
    """Keyboard(0.3, 5, cohort_size=1, n_cohorts=24) means what it means for BOIN: cohorts of 1, 24 cohorts.
    The settings are keyword-only, so a positional BOIN-style call cannot be read in another order."""
    for cls in (esc.BOIN, esc.MTPI, esc.MTPI2, esc.Keyboard):
        design = cls(0.3, 5, cohort_size=1, n_cohorts=24)
        assert (design.cohort_size, design.n_cohorts, design.max_n) == (1, 24, 24)
        with pytest.raises(TypeError):
            cls(0.3, 5, 1, 24)
