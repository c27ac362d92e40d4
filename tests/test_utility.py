"""Tests of dosecourse.utility: desirabilities, the clinical utility index, its uncertainty and weight sensitivity.

Sources of the expected numbers:
* CUI = sum_k w_k d_k with weights summing to 1 and desirabilities in [0, 1]: Ouellet, Expert Opin Drug Saf
  2010;9(2):289-300 (doi:10.1517/14740330903499265); the examples are computed by hand in the comments.
* Derringer-Suich power ramp d = ramp^s: Derringer & Suich, J Qual Technol 1980;12(4):214-219.
* BOIN12 utilities (T0E1, T0E0, T1E1, T1E0) = (100, 40, 60, 0), phi_E = 0.25, phi_T = 0.35 and the benchmark
  70.5: Lin et al., JCO Precis Oncol 2020;4:1393 as summarised in /work/shared/notes/method-semantics.md.
* Beta posterior mean (a + x)/(a + b + n): conjugacy of the Beta prior with binomial data.
"""

import math
import warnings

import numpy as np
import pytest
from scipy.special import expit

from dosecourse import utility as ut
from dosecourse.i18n import LANGS
from dosecourse.pd import sigmoid_emax

D_EFF = ut.linear_desirability(0.0, 0.5)    # response rate: 0 -> 0, >= 50% -> 1
D_TOX = ut.linear_desirability(0.5, 0.0)    # DLT rate: 0 -> 1, >= 50% -> 0
DESIRS = {"efficacy": D_EFF, "toxicity": D_TOX}
ATTRS = {"efficacy": [0.20, 0.40, 0.50], "toxicity": [0.05, 0.15, 0.35]}
# By hand: d_E = (0.4, 0.8, 1.0), d_T = (0.9, 0.7, 0.3); CUI_j(w) = d_T + w (d_E - d_T):
# dose 1: 0.9 - 0.5 w, dose 2: 0.7 + 0.1 w, dose 3: 0.3 + 0.7 w -> dose 1 until w = 1/3, dose 2 until 2/3, then 3.


# --- desirability functions ---------------------------------------------------------------------------------

ALL_KINDS = [ut.linear_desirability(0.1, 0.6), ut.linear_desirability(0.6, 0.1),
             ut.derringer_desirability(0.1, 0.6, 2.0), ut.derringer_desirability(0.6, 0.1, 0.5),
             ut.step_desirability(0.3), ut.step_desirability(0.3, higher_is_better=False)]


@pytest.mark.parametrize("d", ALL_KINDS, ids=lambda d: f"{d.kind}-{'up' if d.increasing else 'down'}")
def test_desirability_is_bounded_and_monotone(d):
    x = np.linspace(-1.0, 2.0, 3001)
    v = d(x)
    assert np.all((v >= 0) & (v <= 1))
    steps = np.diff(v)
    assert np.all(steps >= 0) if d.increasing else np.all(steps <= 0)
    assert d(x[:3000].reshape(3, 1000)).shape == (3, 1000)   # any shape in, same shape out


def test_desirability_hand_values():
    # Linear: (0.25 - 0.5)/(0 - 0.5) = 0.5; flat beyond worst and best.
    assert D_TOX([0.0, 0.25, 0.5, 0.7]).tolist() == [1.0, 0.5, 0.0, 0.0]
    assert D_EFF(0.1) == pytest.approx(0.2)
    # Derringer-Suich: ((0.3 - 0)/(0.6 - 0))^2 = 0.25; ^0.5 = sqrt(0.5).
    assert ut.derringer_desirability(0.0, 0.6, 2.0)(0.3) == pytest.approx(0.25)
    assert ut.derringer_desirability(0.0, 0.6, 0.5)(0.3) == pytest.approx(math.sqrt(0.5))
    # Step: the threshold itself counts as good.
    assert ut.step_desirability(0.33, higher_is_better=False)([0.2, 0.33, 0.4]).tolist() == [1.0, 1.0, 0.0]
    assert ut.step_desirability(0.2)([0.1, 0.2]).tolist() == [0.0, 1.0]
    # exponent 1 is the linear ramp
    x = np.linspace(0, 1, 11)
    np.testing.assert_allclose(ut.derringer_desirability(0.2, 0.8, 1.0)(x), ut.linear_desirability(0.2, 0.8)(x))


def test_desirability_bad_inputs():
    with pytest.raises(ValueError, match="worst and best must differ"):
        ut.linear_desirability(0.3, 0.3)
    with pytest.raises(ValueError, match="exponent"):
        ut.derringer_desirability(0.0, 1.0, 0.0)
    with pytest.raises(TypeError, match="worst"):
        ut.linear_desirability("low", 0.3)
    with pytest.raises(ValueError, match="threshold"):
        ut.step_desirability(float("nan"))
    with pytest.raises(TypeError, match="higher_is_better"):
        ut.step_desirability(0.3, higher_is_better="yes")
    with pytest.raises(TypeError, match="worst must be a finite number"):
        ut.linear_desirability([0.0, 0.1], 0.5)
    with pytest.raises(ValueError, match="kind must be one of"):
        ut.Desirability("cubic", 0.0, 1.0, True)


@pytest.mark.parametrize("args, error, name", [
    (("linear", 0.2, 0.2, True), ValueError, "worst and best must differ"),
    (("linear", 0.0, 1.0, False), ValueError, "increasing must be True"),
    (("step", 0.1, 0.3, True), ValueError, "worst == best"),
    (("linear", None, 1.0, True), TypeError, "worst"),
    (("linear", 0.0, 1.0, "yes"), TypeError, "increasing"),
    (("derringer", 0.0, 1.0, True, -1.0), ValueError, "exponent"),
])
def test_a_desirability_built_by_hand_is_checked(args, error, name):
    with pytest.raises(error, match=name):
        ut.Desirability(*args)


# --- the index ----------------------------------------------------------------------------------------------

def test_cui_hand_computed_example():
    res = ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS)
    # 0.5*(0.4+0.9) = 0.65, 0.5*(0.8+0.7) = 0.75, 0.5*(1.0+0.3) = 0.65
    np.testing.assert_allclose(res.values, [0.65, 0.75, 0.65])
    np.testing.assert_allclose(res.desirability, [[0.4, 0.8, 1.0], [0.9, 0.7, 0.3]])
    np.testing.assert_allclose(res.contributions.sum(axis=0), res.values)
    assert res.best == ut.BestDose(2, (2,), False)
    assert res.doses.tolist() == [1, 2, 3] and not res.weights_normalized


def test_cui_is_bounded_and_weights_sum_to_one():
    rng = np.random.default_rng(3)
    for _ in range(50):
        w = rng.dirichlet([1, 1, 1])
        attrs = {k: rng.uniform(-0.5, 1.5, 6) for k in "abc"}
        desirs = {"a": ut.linear_desirability(0, 1), "b": ut.derringer_desirability(1, 0, 3.0),
                  "c": ut.step_desirability(0.5)}
        res = ut.cui(attrs, dict(zip("abc", w)), desirs)
        assert res.weights.sum() == pytest.approx(1.0)
        assert np.all((res.values >= 0) & (res.values <= 1 + 1e-12))


def test_weights_must_sum_to_one_or_be_normalized_with_a_warning():
    with pytest.raises(ValueError, match="weights must sum to 1; they sum to 0.9"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.4}, DESIRS)
    with pytest.warns(UserWarning, match="normalized"):
        res = ut.cui(ATTRS, {"efficacy": 3.0, "toxicity": 1.0}, DESIRS, normalize=True)
    assert res.weights_normalized
    np.testing.assert_allclose(res.weights, [0.75, 0.25])
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # already summing to 1: no warning, not flagged
        assert not ut.cui(ATTRS, {"efficacy": 0.25, "toxicity": 0.75}, DESIRS, normalize=True).weights_normalized


def test_cui_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match=r"weights\['toxicity'\]"):
        ut.cui(ATTRS, {"efficacy": 1.2, "toxicity": -0.2}, DESIRS)
    with pytest.raises(ValueError, match="not all be zero"):
        ut.cui(ATTRS, {"efficacy": 0.0, "toxicity": 0.0}, DESIRS, normalize=True)
    with pytest.raises(ValueError, match="one weight per attribute"):
        ut.cui(ATTRS, {"efficacy": 1.0}, DESIRS)
    with pytest.raises(ValueError, match="one function per attribute"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, {"efficacy": D_EFF})
    with pytest.raises(TypeError, match="must be a Desirability"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, {"efficacy": D_EFF, "toxicity": abs})
    with pytest.raises(ValueError, match="one value per dose"):
        ut.cui({"efficacy": [0.1, 0.2], "toxicity": [0.1]}, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS)
    with pytest.raises(TypeError, match="attributes must be a mapping"):
        ut.cui([0.1, 0.2], {"efficacy": 1.0}, DESIRS)
    with pytest.raises(TypeError, match="weights must be a mapping"):
        ut.cui(ATTRS, None, DESIRS)
    with pytest.raises(TypeError, match="normalize"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS, normalize="no")
    with pytest.raises(ValueError, match="doses must be distinct"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS, doses=[10, 10, 20])
    with pytest.raises(ValueError, match="doses must have one label per dose"):
        ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS, doses=[10, 20])


def test_ties_are_all_reported_and_the_lowest_returned():
    # d_E saturates at 0.5 and d_T at 0: doses 2 and 3 both score 1 on each attribute.
    res = ut.cui({"efficacy": [0.3, 0.6, 0.7], "toxicity": [0.0, 0.0, 0.0]}, {"efficacy": 0.5, "toxicity": 0.5},
                 DESIRS, doses=[10, 20, 40])
    assert res.values.tolist() == [0.8, 1.0, 1.0]
    assert res.best == ut.BestDose(20, (20, 40), True)
    assert ut.best_dose([0.7, 0.7 + 1e-12, 0.5]).tied_doses == (1, 2)     # within TIE_TOLERANCE
    assert ut.best_dose([0.7, 0.7 + 1e-12, 0.5], tol=0.0).tied_doses == (2,)
    with pytest.raises(ValueError, match="values must not be empty"):
        ut.best_dose([])


def test_curves_and_logistic_toxicity():
    dose = np.array([25.0, 50.0, 100.0, 200.0])
    p_t = ut.logistic_toxicity(dose, td50=200.0, slope=2.0)
    np.testing.assert_allclose(p_t, expit(2.0 * np.log(dose / 200.0)))   # logistic in log dose
    assert ut.logistic_toxicity(0.0, td50=1.0, slope=1.0) == 0.0
    p_e = sigmoid_emax(dose, emax=0.6, ec50=25.0, hill=1.0)              # 0.3, 0.4, 0.48, 0.5333
    res = ut.efficacy_toxicity_cui(p_e, p_t, w_efficacy=0.6, doses=dose)
    # dose 25: 0.6*0.3 + 0.4*(1 - 1/65) = 0.573846...; dose 50: 0.6*0.4 + 0.4*(1 - 1/17) = 0.616470...
    assert res.values[0] == pytest.approx(0.18 + 0.4 * 64 / 65)
    assert res.values[1] == pytest.approx(0.24 + 0.4 * 16 / 17)
    assert res.best.dose == 50.0
    with pytest.raises(ValueError, match="w_efficacy"):
        ut.efficacy_toxicity_cui(p_e, p_t, w_efficacy=1.5)
    with pytest.raises(ValueError, match="p_toxicity"):
        ut.efficacy_toxicity_cui(p_e, [0.1, 0.2], w_efficacy=0.5)


# --- uncertainty --------------------------------------------------------------------------------------------

W = {"efficacy": 0.6, "toxicity": 0.4}


@pytest.mark.parametrize("ties", ["split", "lowest"])
def test_probability_best_sums_to_one(ties):
    pb = ut.probability_best([6, 9, 12], [1, 4, 6], [0, 2, 5], W, n_draws=5000, seed=11, ties=ties)
    assert pb.probability.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(pb.cui_lower <= pb.mean_cui) and np.all(pb.mean_cui <= pb.cui_upper)


def test_probability_best_mean_cui_matches_the_beta_posterior_mean():
    # With d_E = p_E and d_T = 1 - p_T the CUI is linear in the rates, so its posterior mean is
    # 0.6 (1 + x)/(2 + n) + 0.4 (1 - (1 + y)/(2 + n)) under Beta(1, 1); Monte Carlo SE < 0.15/sqrt(20000) ~ 0.001.
    n, x, y = np.array([6, 9, 12]), np.array([1, 4, 6]), np.array([0, 2, 5])
    pb = ut.probability_best(n, x, y, W, n_draws=20_000, seed=5)
    exact = 0.6 * (1 + x) / (2 + n) + 0.4 * (1 - (1 + y) / (2 + n))
    np.testing.assert_allclose(pb.mean_cui, exact, atol=0.004)


def test_probability_best_converges_to_the_deterministic_answer():
    p_e, p_t = np.array([0.20, 0.45, 0.50]), np.array([0.05, 0.15, 0.40])
    truth = ut.efficacy_toxicity_cui(p_e, p_t, w_efficacy=0.6).best.dose   # 0.6*0.45 + 0.4*0.85 = 0.61: dose 2
    assert truth == 2
    probs = []
    for n in (10, 100, 10_000):
        counts = np.full(3, n)
        pb = ut.probability_best(counts, np.round(n * p_e).astype(int), np.round(n * p_t).astype(int), W,
                                 n_draws=4000, seed=1)
        probs.append(pb.probability[truth - 1])
    assert probs[0] < probs[1] < probs[2]
    assert probs[2] > 0.99


def test_probability_best_tie_rules():
    # Desirability 1 at every rate: every dose ties in every draw.
    always = {"efficacy": ut.step_desirability(-1.0), "toxicity": ut.step_desirability(2.0, higher_is_better=False)}
    args = ([3, 3, 3], [0, 1, 2], [0, 1, 2], W, always)
    np.testing.assert_allclose(ut.probability_best(*args, ties="split").probability, [1 / 3] * 3)
    np.testing.assert_allclose(ut.probability_best(*args, ties="lowest").probability, [1.0, 0.0, 0.0])


def test_probability_best_is_seeded_and_checks_inputs():
    a = ut.probability_best([6, 6], [1, 3], [0, 2], W, n_draws=1000, seed=9)
    b = ut.probability_best([6, 6], [1, 3], [0, 2], W, n_draws=1000, seed=9)
    np.testing.assert_array_equal(a.probability, b.probability)
    with pytest.raises(ValueError, match="responses cannot exceed n"):
        ut.probability_best([3, 3], [4, 0], [0, 0], W)
    with pytest.raises(ValueError, match="ties"):
        ut.probability_best([3, 3], [1, 0], [0, 0], W, ties="highest")
    with pytest.raises(ValueError, match="prior a"):
        ut.probability_best([3, 3], [1, 0], [0, 0], W, prior=(0.0, 1.0))
    with pytest.raises(ValueError, match="weights must sum to 1"):
        ut.probability_best([3, 3], [1, 0], [0, 0], {"efficacy": 0.6, "toxicity": 0.6})
    with pytest.raises(ValueError, match=f"n_draws must be a whole number >= 1 and <= {ut.MAX_DRAWS:,}"):
        ut.probability_best([3, 3], [1, 0], [0, 0], W, n_draws=10 * ut.MAX_DRAWS)
    with pytest.raises(TypeError, match="prior must be a pair"):
        ut.probability_best([3, 3], [1, 0], [0, 0], W, prior="flat")
    with pytest.raises(TypeError, match="n must be whole numbers"):
        ut.probability_best(None, [1, 0], [0, 0], W)
    with pytest.raises(TypeError, match="seed"):
        ut.probability_best([3, 3], [1, 0], [0, 0], W, seed="2025")
    # the seed used is recorded; a fresh one is drawn (and recorded) for seed=None
    assert a.seed == 9 and a.n_draws == 1000
    fresh = ut.probability_best([6, 6], [1, 3], [0, 2], W, n_draws=100, seed=None)
    again = ut.probability_best([6, 6], [1, 3], [0, 2], W, n_draws=100, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.probability, again.probability)


# --- weight sensitivity -------------------------------------------------------------------------------------

def test_weight_breakpoints_hand_computed():
    wb = ut.weight_breakpoints(ATTRS, DESIRS, doses=[10, 20, 40])
    np.testing.assert_allclose(wb.breakpoints, [1 / 3, 2 / 3], rtol=1e-12)
    assert [iv[2] for iv in wb.intervals] == [10, 20, 40]
    assert wb.intervals[0][0] == 0.0 and wb.intervals[-1][1] == 1.0
    assert len(wb.to_frame("zh-tw")) == 3


def test_weight_breakpoints_agree_with_a_fine_grid():
    rng = np.random.default_rng(42)
    for _ in range(20):
        attrs = {"efficacy": rng.uniform(0, 0.6, 5), "toxicity": rng.uniform(0, 0.5, 5)}
        wb = ut.weight_breakpoints(attrs, DESIRS)
        grid = ut.weight_grid(attrs, DESIRS, step=0.001)
        w = grid.weights[:, 0]
        which = np.searchsorted(wb.breakpoints, w)          # interval of each grid weight
        expected = np.array([iv[2] for iv in wb.intervals])[which]
        near = np.min(np.abs(w[:, None] - np.r_[wb.breakpoints, -1.0][None, :]), axis=1) < 1e-9
        # equal except at a breakpoint or where doses tie at a single weight (e.g. both saturated at w = 1)
        assert np.all((grid.best == expected) | near | grid.tied)
        # the best dose changes between the two grid points around each breakpoint
        for b in wb.breakpoints:
            lo, hi = np.floor(b * 1000) / 1000, np.ceil(b * 1000) / 1000
            if hi - lo > 0:
                assert grid.best[np.isclose(w, lo)][0] != grid.best[np.isclose(w, hi)][0]


def test_weight_breakpoints_need_two_attributes():
    with pytest.raises(ValueError, match="exactly two attributes"):
        ut.weight_breakpoints({"efficacy": [0.1, 0.2]}, {"efficacy": D_EFF})


def test_weight_grid_with_three_attributes():
    attrs = {"efficacy": [0.2, 0.4, 0.5], "toxicity": [0.05, 0.15, 0.35], "pd": [0.3, 0.9, 0.95]}
    desirs = dict(DESIRS, pd=ut.linear_desirability(0.0, 0.9))
    g = ut.weight_grid(attrs, desirs, step=0.05, reference={"efficacy": 0.4, "toxicity": 0.4, "pd": 0.2})
    assert g.weights.shape == (math.comb(20 + 2, 2), 3)       # stars and bars: C(m + K - 1, K - 1)
    np.testing.assert_allclose(g.weights.sum(axis=1), 1.0)
    # reference CUI: dose 1 0.4*0.4 + 0.4*0.9 + 0.2/3 = 0.5867, dose 2 0.32 + 0.28 + 0.2 = 0.80, dose 3 0.4 + 0.12 + 0.2
    assert g.reference_best == 2
    assert g.flips.any() and not g.flips.all()
    assert set(g.best.tolist()) == {1, 2, 3}
    cols = g.to_frame("zh-tw").columns.tolist()
    assert cols[:2] == ["療效權重", "毒性權重"]
    with pytest.raises(ValueError, match="whole number"):
        ut.weight_grid(attrs, desirs, step=0.3)
    with pytest.raises(ValueError, match="the limit is"):
        ut.weight_grid(attrs, desirs, step=1e-4)   # C(10002, 2) = 50,015,001 weight vectors


# --- BOIN12 as a special case -------------------------------------------------------------------------------

def test_boin12_mean_utility_expands_to_40_plus_60pe_minus_40pt():
    pe, pt = np.meshgrid(np.linspace(0, 1, 21), np.linspace(0, 1, 21))
    u = ut.expected_utility(pe, pt)
    # four outcomes, independent: 100 (1-pT)pE + 40 (1-pT)(1-pE) + 60 pT pE + 0 pT(1-pE)
    np.testing.assert_allclose(u, 100 * (1 - pt) * pe + 40 * (1 - pt) * (1 - pe) + 60 * pt * pe, atol=1e-12)
    # interaction coefficient 40 + 60 - 100 - 0 = 0, so the mean utility is additive in the margins
    np.testing.assert_allclose(u, 40 + 60 * pe - 40 * pt, atol=1e-12)


def test_boin12_utility_is_a_cui_with_weights_0_6_and_0_4():
    eq = ut.boin12_utility_as_cui()
    assert eq.weights == {"efficacy": 0.6, "toxicity": 0.4} and eq.interaction == 0.0 and eq.additive
    pe, pt = np.array([0.1, 0.25, 0.5, 0.9]), np.array([0.05, 0.35, 0.2, 0.6])
    via_cui = ut.cui({"efficacy": pe, "toxicity": pt}, eq.weights,
                     {"efficacy": ut.linear_desirability(0, 1), "toxicity": ut.linear_desirability(1, 0)})
    np.testing.assert_allclose(via_cui.values, ut.expected_utility(pe, pt) / 100, atol=1e-12)
    # method-semantics.md: ubar at (phi_E, phi_T) = (0.25, 0.35) gives benchmark ubar + (100 - ubar)/2 = 70.5
    ubar = ut.expected_utility(0.25, 0.35)
    assert ubar == pytest.approx(41.0) and ubar + (100 - ubar) / 2 == pytest.approx(70.5)


def test_boin12_module_agrees_on_the_utility_at_the_targets():
    from dosecourse.escalation.boin12 import BOIN12
    design = BOIN12(0.35, 0.25, 5)
    assert design.mean_utility_at_targets == pytest.approx(ut.expected_utility(0.25, 0.35))
    assert design.benchmark == pytest.approx(70.5)


def test_non_additive_utilities_leave_an_interaction_term():
    eq = ut.boin12_utility_as_cui((100, 50, 60, 0))     # c = (50 + 60 - 100 - 0)/100 = 0.1
    assert eq.interaction == pytest.approx(0.1) and not eq.additive
    assert eq.weights == {"efficacy": 0.5, "toxicity": 0.5}
    pe, pt = np.linspace(0, 1, 7), np.linspace(1, 0, 7)
    np.testing.assert_allclose(eq.rescaled_utility(pe, pt), eq.cui(pe, pt) + 0.1 * pe * pt, atol=1e-12)
    with pytest.raises(ValueError, match="T0E1"):
        ut.boin12_utility_as_cui((40, 100, 60, 0))
    with pytest.raises(ValueError, match="four numbers"):
        ut.boin12_utility_as_cui((100, 40, 60))
    with pytest.raises(ValueError, match="p_toxicity"):
        ut.expected_utility(0.2, 1.2)


# --- results built by hand are checked ------------------------------------------------------------------------

@pytest.mark.parametrize("make, error, name", [
    (lambda: ut.BestDose(2, (1, 2), True), ValueError, "first of tied_doses"),
    (lambda: ut.BestDose(1, (1, 2), False), ValueError, "tied must be True"),
    (lambda: ut.CUIResult([1, 2], ("e",), [[0.1, 0.2]], [1.0], [[0.5, 1.5]], [0.5, 1.5], False), ValueError,
     "desirability must be <= 1"),
    (lambda: ut.CUIResult([1, 2], ("e",), [[0.1, 0.2]], [1.0], [[0.5, 0.5]], [0.5, 0.9], False), ValueError,
     "weighted sums"),
    (lambda: ut.ProbabilityBest([1, 2], [0.7, 0.7], [0.5, 0.5], [0.4, 0.4], [0.6, 0.6], 100, "split"), ValueError,
     "sum to 1"),
    (lambda: ut.ProbabilityBest([1, 2], [0.3, 0.7], [0.5, 0.5], [0.4, 0.4], [0.6, 0.6], 100, "highest"),
     ValueError, "ties must be one of"),
    (lambda: ut.WeightBreakpoints(("e", "t"), [0.7, 0.3], ((0, 0.3, 1), (0.3, 0.7, 2), (0.7, 1, 3))), ValueError,
     "strictly increasing"),
    (lambda: ut.WeightBreakpoints(("e", "t"), [0.5], ((0, 0.4, 1), (0.4, 1, 2))), ValueError, "intervals"),
    (lambda: ut.WeightGrid(("e", "t"), [[0.5, 0.6]], [1], [False], None), ValueError, "rows summing to 1"),
    (lambda: ut.UtilityAsCUI((100, 40, 60, 0), {"efficacy": 0.7, "toxicity": 0.4}, 0.0), ValueError,
     "weights must sum to 1"),
    (lambda: ut.UtilityAsCUI((0, 40, 60, 100), {"efficacy": 0.6, "toxicity": 0.4}, 0.0), ValueError, "T0E1"),
])
def test_result_objects_check_their_fields(make, error, name):
    with pytest.raises(error, match=name):
        make()


# --- tables -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_table_in_both_languages(lang):
    res = ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS, doses=[10, 20, 40])
    pb = ut.probability_best([9, 9, 9], [2, 4, 5], [0, 1, 3], {"efficacy": 0.5, "toxicity": 0.5}, DESIRS,
                             n_draws=2000, doses=[10, 20, 40])
    tab = ut.cui_table(res, pb, lang=lang)
    assert tab.shape == (3, 8)
    assert tab.iloc[:, 6].tolist() == ["", tab.iloc[1, 6], ""] and tab.iloc[1, 6]
    np.testing.assert_allclose(tab.iloc[:, 2] + tab.iloc[:, 4], tab.iloc[:, 5])
    assert res.to_frame(lang).shape == (3, 7)
    assert ut.attribute_label("efficacy", lang) == tab.columns[1]


def test_table_checks_its_arguments():
    res = ut.cui(ATTRS, {"efficacy": 0.5, "toxicity": 0.5}, DESIRS)
    pb2 = ut.probability_best([3, 3], [1, 1], [0, 0], W, n_draws=100)
    with pytest.raises(TypeError, match="result must be a CUIResult"):
        ut.cui_table({"a": 1})
    with pytest.raises(ValueError, match="prob_best has 2 doses"):
        ut.cui_table(res, pb2)
    with pytest.raises(ValueError, match="lang must be one of"):
        ut.cui_table(res, lang="fr")


def test_probability_best_uses_the_toxicity_denominator_when_it_differs():
    # the safety set differs from the efficacy set (DESTINY-Lung02: 102 vs 101 patients at 5.4 mg/kg): the toxicity
    # posterior is Beta(1 + y, 1 + m - y) with m = n_toxicity; rebuilt here with the same generator sequence
    n, x, y, m = [102, 50], [50, 28], [13, 14], [101, 50]
    w = {"efficacy": 0.6, "toxicity": 0.4}
    pb = ut.probability_best(n, x, y, w, n_draws=5000, seed=7, n_toxicity=m)
    rng = np.random.default_rng(7)
    p_e = rng.beta(1 + np.array(x), 1 + np.array(n) - x, size=(5000, 2))
    p_t = rng.beta(1 + np.array(y), 1 + np.array(m) - y, size=(5000, 2))
    values = 0.6 * p_e + 0.4 * (1 - p_t)
    assert pb.mean_cui == pytest.approx(values.mean(axis=0), rel=1e-12)
    assert pb.probability[0] == pytest.approx(np.mean(values[:, 0] > values[:, 1]), abs=1e-12)
    same = ut.probability_best(n, x, y, w, n_draws=5000, seed=7)
    assert not np.allclose(same.mean_cui, pb.mean_cui)
    assert np.allclose(ut.probability_best(n, x, y, w, n_draws=5000, seed=7, n_toxicity=n).mean_cui, same.mean_cui)
    with pytest.raises(ValueError, match="n_toxicity"):
        ut.probability_best(n, x, [13, 60], w, n_toxicity=m)
