"""Tests of dosecourse.seamless: two-stage seamless designs selecting the best of K arms against a control.

Sources of the expected numbers:
* R mvtnorm 1.1.3 ``pmvnorm`` (Genz-Bretz, tight tolerance) for the equicorrelated normal maxima behind the naive
  FWER and the critical values; the exact R calls are in the comments.
* R rpact 3.3.4 ``getSimulationMultiArmMeans`` for the closed inverse-normal tests (Dunnett, Bonferroni, Simes),
  1e5 (or 5e4) iterations each, compared within 3 combined Monte Carlo standard errors.
* Independent integrals: a closed form with a different integration variable (scipy ``quad``), and a brute-force
  two-dimensional Gauss-Legendre integral over the stage-1 means of control and of the selected arm that does not
  use the module's completed-square density.
* Seeded simulation (``simulate_operating_characteristics``), within 3 Monte Carlo standard errors.
* Closed forms of the selection bias under the global null (E max of 2 or 3 normals).
"""

import math
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from dosecourse import seamless as sm
from dosecourse.i18n import LANGS

Z975 = float(special.ndtri(0.975))


# --- the naive test under the global null ----------------------------------------------------------------

def _closed_form_fwer(k, t, c=Z975):
    """1 - Phi_K(c; rho = 1 - t/2), integrating over the common factor with scipy quad (not the module's rule)."""
    rho = 1 - t / 2
    r, s = math.sqrt(rho), math.sqrt(1 - rho)
    f = lambda y: stats.norm.pdf(y) * -math.expm1(k * special.log_ndtr((c - r * y) / s))  # noqa: E731
    return integrate.quad(f, -12, 12, points=[c / r], epsabs=1e-14, epsrel=1e-12, limit=500)[0]


@pytest.mark.parametrize("k", [1, 2, 3, 4, 6, 10])
@pytest.mark.parametrize("t", [1e-4, 0.1, 0.5, 0.9, 0.9999])
def test_naive_fwer_equals_equicorrelated_closed_form(k, t):
    assert sm.naive_fwer(k, t) == pytest.approx(_closed_form_fwer(k, t), abs=1e-11)


# R 4.x, mvtnorm 1.1.3:
#   S <- matrix(rho, K, K); diag(S) <- 1; set.seed(1)
#   1 - pmvnorm(upper = rep(qnorm(0.975), K), corr = S, algorithm = GenzBretz(abseps = 1e-8, maxpts = 1e6))
# rho = 1 - t/2: t = 0.5 -> rho = 0.75, t = 0.1 -> rho = 0.95.  (value, attr(, "error"))
MVTNORM_NAIVE = {
    (0.5, 2): (0.04047793, 1e-15), (0.5, 3): (0.05201843, 4.6e-08), (0.5, 4): (0.06131639, 3.5e-07),
    (0.5, 6): (0.07592698, 1.2e-06), (0.5, 10): (0.09666508, 1.5e-05),
    (0.1, 2): (0.03228533, 1e-15), (0.1, 3): (0.03671259, 1.4e-07), (0.1, 4): (0.03990110, 7.1e-07),
    (0.1, 6): (0.04444134, 4.6e-06), (0.1, 10): (0.05021132, 1.9e-05),
}


@pytest.mark.parametrize("t, k", sorted(MVTNORM_NAIVE))
def test_naive_fwer_matches_mvtnorm(t, k):
    value, err = MVTNORM_NAIVE[(t, k)]
    # printed to 8 decimals: allow the rounding (5e-9) plus 3 x the Genz error estimate
    assert sm.naive_fwer(k, t) == pytest.approx(value, abs=3 * err + 6e-9)


def test_course_reference_points():
    # Course notes: best of K at half the information inflates 0.025 to about 0.04 (K = 2) to 0.06 (K = 4).
    assert round(sm.naive_fwer(2, 0.5), 4) == 0.0405
    assert round(sm.naive_fwer(4, 0.5), 4) == 0.0613
    # With one arm there is nothing to select: exactly alpha.
    assert sm.naive_fwer(1, 0.3) == pytest.approx(0.025, abs=1e-14)


@settings(max_examples=30, deadline=None)
@given(t=st.floats(0.01, 0.99), k=st.integers(1, 9))
def test_naive_fwer_increases_with_the_number_of_arms(t, k):
    a, b = sm.naive_fwer(k, t), sm.naive_fwer(k + 1, t)
    assert 0.025 - 1e-12 <= a < b < 1


@settings(max_examples=30, deadline=None)
@given(t=st.floats(0.02, 0.97), k=st.integers(2, 10))
def test_naive_fwer_increases_with_the_information_fraction(t, k):
    # rho = 1 - t/2 falls with t: less correlation between the candidate statistics, a larger maximum
    assert sm.naive_fwer(k, t) < sm.naive_fwer(k, t + 0.02)


@settings(max_examples=25, deadline=None)
@given(t=st.floats(0.05, 0.95), k=st.integers(1, 6), zf=st.floats(-2.0, 2.0))
def test_futility_can_only_lower_the_naive_fwer(t, k, zf):
    assert sm.naive_fwer(k, t, z_futility=zf) <= sm.naive_fwer(k, t) + 1e-13


# --- critical values ---------------------------------------------------------------------------------------

# Our critical values (printed to 10 decimals) checked in R mvtnorm 1.1.3:
#   S <- matrix(rho, K, K); diag(S) <- 1; set.seed(2025)
#   1 - pmvnorm(upper = rep(c, K), corr = S, algorithm = GenzBretz(abseps = 1e-10, maxpts = 2e7))
# gave 0.025 within attr(, "error") (the value and the error estimate are listed).
# mvtnorm::qmvnorm(0.975, tail = "lower.tail", corr = S) (default tolerance) gave, for rho = 0.5,
# 2.212168, 2.348887, 2.442043, 2.566424, 2.717346 (K = 2, 3, 4, 6, 10), and rpact's internal
# .getMultivariateDistribution(type = "quantile", sigma = S, alpha = 0.025) (mnormt) 2.212135, 2.348976, 2.441802,
# 2.567216, 2.717009: both stochastic, within 1e-3 of ours.
CRITICAL = {
    (0.5, 2): (2.2121350930, 0.0250000000, 1.0e-15), (0.5, 3): (2.3489761026, 0.0250000001, 3.7e-10),
    (0.5, 4): (2.4417749205, 0.0250000011, 2.7e-09), (0.5, 6): (2.5669993194, 0.0249999928, 3.4e-08),
    (0.5, 10): (2.7162899782, 0.0250001307, 3.2e-07),
    (0.75, 2): (2.1675506970, 0.0250000000, 1.0e-15), (0.75, 3): (2.2781266535, 0.0250000006, 2.6e-10),
    (0.75, 4): (2.3522505021, 0.0249999969, 4.7e-09), (0.75, 6): (2.4511809854, 0.0249999800, 4.3e-08),
    (0.75, 10): (2.5675517041, 0.0250000921, 6.0e-07),
    (0.95, 2): (2.0708808952, 0.0250000000, 1.0e-15), (0.95, 3): (2.1279821608, 0.0249999994, 1.3e-09),
    (0.95, 4): (2.1655756440, 0.0250000096, 1.1e-08), (0.95, 6): (2.2149818964, 0.0250000461, 9.3e-08),
    (0.95, 10): (2.2721051680, 0.0249998533, 8.1e-07),
}


@pytest.mark.parametrize("rho, k", sorted(CRITICAL))
def test_critical_values_checked_with_mvtnorm(rho, k):
    c, r_tail, r_err = CRITICAL[(rho, k)]
    assert sm.dunnett_critical_value(k, rho=rho) == pytest.approx(c, abs=1e-9)
    assert r_tail == pytest.approx(0.025, abs=3 * r_err + 1e-10)  # R confirms P(max > c) = 0.025


def test_classical_dunnett_values_and_ordering():
    # Dunnett (1955) one-sided, infinite df, alpha 0.025: 2.21 (K = 2), 2.35 (K = 3), 2.44 (K = 4)
    assert [round(sm.dunnett_critical_value(k), 2) for k in (2, 3, 4)] == [2.21, 2.35, 2.44]
    assert sm.dunnett_critical_value(1) == pytest.approx(Z975, abs=1e-12)
    assert sm.dunnett_critical_value(3, rho=0.0) == pytest.approx(-special.ndtri(1 - 0.975 ** (1 / 3)), abs=1e-10)
    d = sm.SeamlessDesign(4, 0.5)
    c = {m: sm.critical_value(d, m) for m in sm.METHODS}
    # naive < exact selection-adjusted < classical Dunnett < Bonferroni
    assert c["naive"] < c["exact_adjusted"] < c["dunnett"] < c["bonferroni"]
    assert c["closed_dunnett"] == c["closed_simes"] == c["naive"]


@pytest.mark.parametrize("k, t", [(2, 0.5), (4, 0.3), (6, 0.8), (3, 0.99)])
def test_exact_adjusted_critical_value_gives_fwer_alpha(k, t):
    d = sm.SeamlessDesign(k, t)
    c = sm.critical_value(d, "exact_adjusted")
    assert sm.naive_fwer(k, t, critical=c) == pytest.approx(0.025, abs=1e-12)
    oc = sm.exact_operating_characteristics(d)
    fwer = dict(zip(oc.methods, oc.reject_any))
    assert fwer["exact_adjusted"] == pytest.approx(0.025, abs=1e-12)
    assert fwer["closed_dunnett"] == pytest.approx(0.025, abs=1e-12)  # adjusted stage-1 z is N(0, 1) under H0
    assert fwer["naive"] > 0.025
    for m in ("bonferroni", "dunnett", "closed_bonferroni"):
        assert fwer[m] < 0.025


def test_one_arm_every_method_is_the_plain_two_stage_test():
    oc = sm.exact_operating_characteristics(sm.SeamlessDesign(1, 0.4, 50))
    assert oc.reject_any == pytest.approx(np.full(len(oc.methods), 0.025), abs=1e-13)
    power = sm.exact_operating_characteristics(sm.SeamlessDesign(1, 0.4, 50), [0.5])
    # one arm, no selection: pooled z ~ N(0.5 sqrt(25), 1)
    assert power.reject_any == pytest.approx(np.full(len(oc.methods), special.ndtr(2.5 - Z975)), abs=1e-12)


# --- the exact engine against a brute-force integral ------------------------------------------------------

_GX, _GW = np.polynomial.legendre.leggauss(10)


def _gl(a, b, panels):
    a, b = np.asarray(a, float)[..., None], np.asarray(b, float)[..., None]
    edges = a + (b - a) * np.linspace(0, 1, panels + 1)
    lo, hi = edges[..., :-1], edges[..., 1:]
    x = ((lo + hi) / 2)[..., None] + ((hi - lo) / 2)[..., None] * _GX
    w = ((hi - lo) / 2)[..., None] * _GW
    return x.reshape(*x.shape[:-2], -1), w.reshape(*w.shape[:-2], -1)


def _gl_graded(a, b, panels):
    """Like _gl on [a, b], with the last half unit split into panels shrinking geometrically towards b."""
    x1, w1 = _gl(a, np.maximum(a, b - 0.5), panels)
    tail = np.concatenate([[0.5], 0.5 * 0.5 ** np.arange(1, 40), [0.0]])
    lo = np.maximum(a, b - 0.5)[..., None] + (np.minimum(0.5, b - a)[..., None]) * (1 - tail[:-1] / 0.5)
    hi = np.maximum(a, b - 0.5)[..., None] + (np.minimum(0.5, b - a)[..., None]) * (1 - tail[1:] / 0.5)
    x2 = ((lo + hi) / 2)[..., None] + ((hi - lo) / 2)[..., None] * _GX
    w2 = ((hi - lo) / 2)[..., None] * _GW
    return (np.concatenate([x1, x2.reshape(*x2.shape[:-2], -1)], axis=-1),
            np.concatenate([w1, w2.reshape(*w2.shape[:-2], -1)], axis=-1))


def _brute(design, delta, c, s, adjust=lambda x: x, kink=None):
    """P(select s, continue, reject) integrating over U_s (selection) and U_0 (control) on a 2-D grid.

    ``kink``: a stage-1 z below which the adjusted statistic is -infinity (no rejection); the control's grid
    then ends there, with panels shrinking towards it (the rejection probability starts as a power).
    """
    t = design.info_fraction
    d, e = delta * math.sqrt(design.n_stage1 / 2), delta * math.sqrt(design.n_stage2 / 2)
    phi = lambda z: np.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    v, wv = _gl(-10, 10, 50)
    sel = np.prod([special.ndtr(v + math.sqrt(2) * (d[s] - d[k])) for k in range(d.size) if k != s], axis=0)
    up = np.full_like(v, 10.0) if design.z_futility is None else \
        np.clip(v - math.sqrt(2) * (design.z_futility - d[s]), -10, 10)
    if kink is None:
        u, wu = _gl(np.full_like(v, -10.0), up, 50)
    else:  # x >= kink  <=>  u <= v - sqrt(2) (kink - d_s)
        u, wu = _gl_graded(np.full_like(v, -10.0), np.clip(np.minimum(up, v - math.sqrt(2) * (kink - d[s])),
                                                            -10, 10), 50)
    x = (v[:, None] - u) / math.sqrt(2) + d[s]
    rej = special.ndtr(e[s] - (c - math.sqrt(t) * adjust(x)) / math.sqrt(1 - t))
    return float((wv * phi(v) * sel * (wu * phi(u) * rej).sum(axis=1)).sum())


@pytest.mark.parametrize("k, t, n, delta, zf", [
    (3, 0.5, 80, [0.1, 0.25, 0.4], None),
    (3, 0.4, 80, [0.1, 0.25, 0.4], 0.3),
    (4, 0.7, 60, [0.0, 0.1, 0.3, 0.3], None),
    (2, 0.3, 100, [0.0, 0.0], -0.5),
])
def test_exact_engine_equals_brute_force_integral(k, t, n, delta, zf):
    d = sm.SeamlessDesign(k, t, n, z_futility=zf)
    delta = np.array(delta)
    oc = sm.exact_operating_characteristics(d, delta, methods=("naive", "bonferroni", "closed_bonferroni"))
    bonf = lambda x: -special.ndtri(np.minimum(1.0, k * special.ndtr(-x)))  # noqa: E731
    kink = float(-special.ndtri(1 / k)) if k > 1 else None  # K p_S = 1
    for i, (c, adj, kk) in enumerate([(Z975, lambda x: x, None), (oc.critical_values[1], lambda x: x, None),
                                      (Z975, bonf, kink)]):
        brute = [_brute(d, delta, c, s, adj, kk) for s in range(k)]
        assert oc.reject_per_arm[i] == pytest.approx(brute, abs=1e-9)


def test_closed_dunnett_engine_against_scipy_bivariate_normal():
    # K = 2: the Dunnett p-value 1 - Phi_2(x, x; 1/2) from scipy's multivariate normal (not the module's rule),
    # tabulated on a grid and interpolated inside the brute-force integral.
    d, delta = sm.SeamlessDesign(2, 0.5, 60), np.array([0.2, 0.35])
    grid = np.linspace(-8, 8, 1601)
    mvn = stats.multivariate_normal(mean=[0, 0], cov=[[1, 0.5], [0.5, 1]])
    sf = np.array([1 - mvn.cdf([x, x]) for x in grid])
    zadj = -special.ndtri(np.clip(sf, 1e-300, 1))
    adj = lambda x: np.interp(x, grid, zadj)  # noqa: E731
    oc = sm.exact_operating_characteristics(d, delta, methods=("closed_dunnett",))
    brute = [_brute(d, delta, Z975, s, adj) for s in range(2)]
    assert oc.reject_per_arm[0] == pytest.approx(brute, abs=2e-5)  # grid interpolation + scipy's cdf accuracy


def test_selection_and_futility_probabilities_add_to_one():
    for zf in (None, -1.0, 0.0, 1.5):
        for delta in ([0, 0, 0], [0.1, 0.3, 0.2], [0.5, 0.0, -0.2]):
            oc = sm.exact_operating_characteristics(sm.SeamlessDesign(3, 0.4, 90, z_futility=zf), delta)
            assert oc.selected.sum() + oc.futility_stop == pytest.approx(1.0, abs=1e-12)
    # global null: futility stop = P(max of K equicorrelated(1/2) z < zf)
    oc = sm.exact_operating_characteristics(sm.SeamlessDesign(3, 0.5, z_futility=0.0))
    # Phi_3(0; 1/2) = 1/4 exactly (orthant probability 1/8 + 3 asin(1/2) / (4 pi))
    assert oc.futility_stop == pytest.approx(1 / 8 + 3 * math.asin(0.5) / (4 * math.pi), abs=1e-12)


@settings(max_examples=20, deadline=None)
@given(delta=st.lists(st.floats(-0.5, 0.8), min_size=2, max_size=5), t=st.floats(0.1, 0.9))
def test_probabilities_are_probabilities(delta, t):
    oc = sm.exact_operating_characteristics(sm.SeamlessDesign(len(delta), t, 60), delta)
    assert np.all(oc.reject_per_arm >= -1e-15) and np.all(oc.reject_any <= 1 + 1e-12)
    assert np.all(oc.reject_per_arm <= oc.selected + 1e-12)
    fw = dict(zip(oc.methods, oc.reject_any))
    # at the same statistic, a larger critical value rejects less
    assert fw["naive"] >= fw["exact_adjusted"] >= fw["dunnett"] >= fw["bonferroni"] - 1e-15


# --- exact versus simulation -------------------------------------------------------------------------------

SCENARIOS = [  # (K, t, n, effects, z_futility, seed): seeds fixed in advance
    (2, 0.5, 100, None, None, 101),
    (4, 0.5, 100, None, None, 102),
    (6, 0.25, 60, None, None, 103),
    (3, 0.5, 80, [0.1, 0.25, 0.4], None, 104),
    (3, 0.5, 80, [0.1, 0.25, 0.4], 0.0, 105),
    (4, 0.75, 50, [0.0, 0.2, 0.2, 0.1], 0.5, 106),
]


@pytest.mark.parametrize("k, t, n, eff, zf, seed", SCENARIOS)
def test_exact_agrees_with_simulation(k, t, n, eff, zf, seed):
    d = sm.SeamlessDesign(k, t, n, z_futility=zf)
    ex = sm.exact_operating_characteristics(d, eff)
    sim = sm.simulate_operating_characteristics(d, eff, methods=sm.EXACT_METHODS, n_trials=100_000, seed=seed)
    assert sim.seed == seed and sim.n_trials == 100_000
    se_any = np.sqrt(ex.reject_any * (1 - ex.reject_any) / sim.n_trials)
    assert np.all(np.abs(sim.reject_any - ex.reject_any) <= 3 * se_any)
    se_sel = np.sqrt(ex.selected * (1 - ex.selected) / sim.n_trials)
    assert np.all(np.abs(sim.selected - ex.selected) <= 3 * se_sel + 1e-12)
    se_fut = math.sqrt(ex.futility_stop * (1 - ex.futility_stop) / sim.n_trials)
    assert abs(sim.futility_stop - ex.futility_stop) <= 3 * se_fut + 1e-12
    b = sm.selection_bias(d, eff)
    assert abs(sim.bias_stage1 - b.overall_stage1) <= 3 * sim.bias_stage1_se
    assert abs(sim.bias_pooled - b.overall_pooled) <= 3 * sim.bias_pooled_se


def test_simulation_is_reproducible_and_records_the_seed():
    d = sm.SeamlessDesign(3, 0.5, 50)
    a = sm.simulate_operating_characteristics(d, n_trials=5_000, seed=11)
    b = sm.simulate_operating_characteristics(d, n_trials=5_000, seed=11)
    assert np.array_equal(a.reject_per_arm, b.reject_per_arm)
    c = sm.simulate_operating_characteristics(d, n_trials=5_000, seed=None)
    assert isinstance(c.seed, int)
    again = sm.simulate_operating_characteristics(d, n_trials=5_000, seed=c.seed)
    assert np.array_equal(c.reject_any, again.reject_any)
    g = sm.simulate_operating_characteristics(d, n_trials=100, seed=np.random.default_rng(1))
    assert g.seed is None


def _simes_brute(p):
    """max over every intersection I containing the arm of smallest p of the Simes p-value (2^(K-1) sets)."""
    k, best = p.size, int(np.argmin(p))
    others = [j for j in range(k) if j != best]
    out = 0.0
    for m in range(k):
        for extra in combinations(others, m):
            q = np.sort(p[[best, *extra]])
            out = max(out, float(np.min(q.size * q / np.arange(1, q.size + 1))))
    return out


def test_simes_shortcut_equals_enumeration_of_intersections():
    rng = np.random.default_rng(5)
    for k in (1, 2, 3, 5, 7):
        p = rng.uniform(size=(300, k)) ** 2
        fast = sm._simes_adjusted_p(p)
        assert fast == pytest.approx([_simes_brute(row) for row in p], abs=1e-15)


def test_simes_and_closed_tests_under_the_null_keep_alpha():
    sim = sm.simulate_operating_characteristics(sm.SeamlessDesign(5, 0.5, 80), n_trials=100_000, seed=107)
    fw = dict(zip(sim.methods, zip(sim.reject_any, sim.reject_any_se)))
    for m in ("closed_dunnett", "closed_bonferroni", "closed_simes", "exact_adjusted", "bonferroni", "dunnett"):
        assert fw[m][0] <= 0.025 + 3 * fw[m][1]
    # Simes is uniformly more powerful than Bonferroni on the same trials
    assert fw["closed_simes"][0] >= fw["closed_bonferroni"][0]


# --- rpact 3.3.4 -------------------------------------------------------------------------------------------
# Every number below comes from (R 4.x, rpact 3.3.4):
#   design <- getDesignInverseNormal(kMax = 2, alpha = 0.025, typeOfDesign = "noEarlyEfficacy",
#                                    informationRates = c(t, 1))
#   getSimulationMultiArmMeans(design = design, activeArms = K, effectMatrix = matrix(effects, nrow = 1),
#       typeOfShape = "userDefined", plannedSubjects = c(t * n, n), intersectionTest = TEST,
#       typeOfSelection = "best", effectMeasure = "effectEstimate", threshold = -Inf, stDev = 1,
#       maxNumberOfIterations = N, seed = SEED)
# and, for a futility rule "stop if the best stage-1 z <= zf", effectMeasure = "testStatistic", threshold = zf
# (rpact then selects no arm and stops for futility).  Reported: $rejectAtLeastOne, its binomial SE
# sqrt(p (1 - p) / N), $rejectedArmsPerStage[2, 1, ] and $selectedArms[2, 1, ].
RPACT = {
    # label: (K, t, n, effects, test, zf, N, seed, rejectAtLeastOne, rejectedArmsPerStage[2, 1, ])
    "A_bon": (4, 0.5, 100, (0, 0, 0, 0), "Bonferroni", None, 100_000, 20254, 0.018470,
              (0.004670, 0.004640, 0.004590, 0.004570)),
    "A_sim": (4, 0.5, 100, (0, 0, 0, 0), "Simes", None, 100_000, 20255, 0.019990,
              (0.004790, 0.004900, 0.005050, 0.005250)),
    # Dunnett intersection test (run 2026-12-03, rpact 3.3.4), the same call with intersectionTest = "Dunnett":
    # B_dun: activeArms = 3, informationRates = c(0.5, 1), plannedSubjects = c(40, 80),
    #        effectMatrix = matrix(c(0.1, 0.25, 0.4), nrow = 1), maxNumberOfIterations = 50000, seed = 20257
    #        ($selectedArms[2, 1, ] = 0.054620 0.233600 0.711780; ours, exact: 0.054083 0.232857 0.713060)
    # C_sim: the course's seamless chapter example, Simes, global null (activeArms = 3, plannedSubjects =
    #        c(100, 200), effectMatrix = matrix(c(0, 0, 0), nrow = 1), maxNumberOfIterations = 100000, seed = 20259)
    # A_dun: activeArms = 4, informationRates = c(0.5, 1), plannedSubjects = c(50, 100), global null,
    #        maxNumberOfIterations = 100000, seed = 20256 (the closed Dunnett test's type I error; exactly 0.025)
    "A_dun": (4, 0.5, 100, (0, 0, 0, 0), "Dunnett", None, 100_000, 20256, 0.025820,
              (0.006420, 0.006680, 0.006460, 0.006260)),
    "B_dun": (3, 0.5, 80, (0.1, 0.25, 0.4), "Dunnett", None, 50_000, 20257, 0.581960,
              (0.010320, 0.097860, 0.473780)),
    "C_sim": (3, 0.5, 200, (0, 0, 0), "Simes", None, 100_000, 20259, 0.022250, (0.006900, 0.008100, 0.007250)),
    # C_dun: the chapter example with its effects, effectMatrix = matrix(c(0.15, 0.3, 0.3), nrow = 1), Dunnett,
    #        maxNumberOfIterations = 50000, seed = 20258
    "C_dun": (3, 0.5, 200, (0.15, 0.3, 0.3), "Dunnett", None, 50_000, 20258, 0.842840,
              (0.028920, 0.409440, 0.404480)),
}
_METHOD = {"Dunnett": "closed_dunnett", "Bonferroni": "closed_bonferroni", "Simes": "closed_simes"}


@pytest.mark.parametrize("label", sorted(RPACT))
def test_closed_tests_agree_with_rpact(label):
    k, t, n, eff, test, zf, n_r, _, p_r, arms_r = RPACT[label]
    d = sm.SeamlessDesign(k, t, n, z_futility=zf)
    method = _METHOD[test]
    se_r = math.sqrt(p_r * (1 - p_r) / n_r)
    if method == "closed_simes":  # ours simulated too: combined SE, our seed fixed in advance
        ours = sm.simulate_operating_characteristics(d, eff, methods=(method,), n_trials=100_000, seed=2025)
        p, arms, se = float(ours.reject_any[0]), ours.reject_per_arm[0], float(ours.reject_any_se[0])
    else:
        ours = sm.exact_operating_characteristics(d, eff, methods=(method,))
        p, arms, se = float(ours.reject_any[0]), ours.reject_per_arm[0], 0.0
    assert abs(p - p_r) <= 3 * math.sqrt(se_r ** 2 + se ** 2)
    arms_r = np.array(arms_r)
    se_arm = np.sqrt(arms_r * (1 - arms_r) / n_r + (arms * (1 - arms) / 100_000 if se else 0))
    assert np.all(np.abs(arms - arms_r) <= 3 * se_arm + 1e-4 * (arms_r == 0))


def test_rpact_bonferroni_default_futility_bound_explained():
    # rpact's default futilityBounds = -6 (non-binding) is applied to the adjusted stage-1 statistic; with the
    # Bonferroni intersection test K p_min >= 1 gives qnorm(0) -> -21.27 <= -6, so rpact stops "for futility"
    # whenever the best stage-1 z <= qnorm(1 - 1/K).  For A_bon (K = 4, t = 0.5, null) rpact reported
    # $futilityStop = 0.480570 and $selectedArms[2, 1, ] = 0.129850 0.130900 0.128680 0.130000 (N = 1e5).
    # Those trials could not have rejected anyway, so the rejection probabilities are unaffected.
    d = sm.SeamlessDesign(4, 0.5, 100, z_futility=float(special.ndtri(1 - 1 / 4)))
    oc = sm.exact_operating_characteristics(d, methods=("closed_bonferroni",))
    se = math.sqrt(0.48057 * 0.51943 / 1e5)
    assert abs(oc.futility_stop - 0.480570) <= 3 * se
    assert np.all(np.abs(oc.selected - [0.129850, 0.130900, 0.128680, 0.130000]) <= 3 * math.sqrt(0.13 * 0.87 / 1e5))
    plain = sm.exact_operating_characteristics(sm.SeamlessDesign(4, 0.5, 100), methods=("closed_bonferroni",))
    assert oc.reject_any[0] == pytest.approx(plain.reject_any[0], abs=1e-7)


# --- selection bias ----------------------------------------------------------------------------------------

def test_selection_bias_closed_forms_under_the_null():
    # E[max of K iid N(0,1)]: 1/sqrt(pi) (K = 2), 3/(2 sqrt(pi)) (K = 3); bias = that / sqrt(n1)
    for k, emax in ((2, 1 / math.sqrt(math.pi)), (3, 1.5 / math.sqrt(math.pi))):
        d = sm.SeamlessDesign(k, 0.4, 150)
        b = sm.selection_bias(d)
        assert b.overall_stage1 == pytest.approx(emax / math.sqrt(60), abs=1e-12)
        assert b.overall_pooled == pytest.approx(0.4 * emax / math.sqrt(60), abs=1e-12)
        assert b.bias_stage1 == pytest.approx(np.full(k, emax / math.sqrt(60)), abs=1e-12)
    # K = 1: no selection, no bias
    assert sm.selection_bias(sm.SeamlessDesign(1, 0.5)).overall_stage1 == pytest.approx(0, abs=1e-13)


def test_selection_bias_shrinks_for_a_dominant_arm_and_grows_with_k():
    d = sm.SeamlessDesign(3, 0.5, 200)
    b = sm.selection_bias(d, [0.0, 0.0, 1.0])
    assert abs(b.bias_stage1[2]) < 1e-4 and b.selected[2] > 0.9999
    assert b.bias_stage1[0] > b.bias_stage1[2]  # an arm picked only by luck is badly overestimated
    biases = [sm.selection_bias(sm.SeamlessDesign(k, 0.5, 100)).overall_stage1 for k in range(1, 7)]
    assert np.all(np.diff(biases) > 0)
    assert b.bias_pooled == pytest.approx(0.5 * b.bias_stage1, abs=1e-15)


# --- tables ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_tables_in_both_languages(lang):
    d = sm.SeamlessDesign(3, 0.5, 40, z_futility=0.0)
    ex = sm.exact_operating_characteristics(d, [0.1, 0.2, 0.3])
    frame = ex.to_frame(lang)
    assert frame.shape == (len(sm.EXACT_METHODS), 3 + 3)
    sim = sm.simulate_operating_characteristics(d, [0.1, 0.2, 0.3], n_trials=2_000, seed=1)
    sframe = sim.to_frame(lang)
    assert sframe.shape == (len(sm.METHODS), 4 + 3) and sframe.attrs == {"n_trials": 2_000, "seed": 1}
    sel = ex.selection_frame(lang)
    assert sel.shape == (4, 3)
    assert sel.iloc[:, 2].sum() == pytest.approx(1.0, abs=1e-12)
    bias = sm.selection_bias(d).to_frame(lang)
    assert bias.shape == (4, 5)
    table = sm.naive_fwer_table((1, 2, 4), (0.25, 0.5), lang=lang)
    assert table.shape == (3, 2)
    assert table.iloc[2, 1] == pytest.approx(sm.naive_fwer(4, 0.5), abs=1e-15)
    if lang == "zh-tw":
        assert "治療組" in "".join(frame.columns)


# --- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, name", [
    (dict(n_arms=0, info_fraction=0.5), "n_arms"),
    (dict(n_arms=11, info_fraction=0.5), "n_arms"),
    (dict(n_arms=2.0, info_fraction=0.5), "n_arms"),
    (dict(n_arms=2, info_fraction=0.0), "info_fraction"),
    (dict(n_arms=2, info_fraction=1.0), "info_fraction"),
    (dict(n_arms=2, info_fraction=1.5), "info_fraction"),
    (dict(n_arms=2, info_fraction="0.5"), "info_fraction"),
    (dict(n_arms=2, info_fraction=0.5, n_per_arm=1), "n_per_arm"),
    (dict(n_arms=2, info_fraction=0.5, n_per_arm=10_001), "n_per_arm"),
    (dict(n_arms=2, info_fraction=0.5, alpha=0.0), "alpha"),
    (dict(n_arms=2, info_fraction=0.5, alpha=0.5), "alpha"),
    (dict(n_arms=2, info_fraction=0.5, alpha=-0.1), "alpha"),
    (dict(n_arms=2, info_fraction=0.5, z_futility=float("nan")), "z_futility"),
    (dict(n_arms=2, info_fraction=0.5, z_futility="low"), "z_futility"),
])
def test_bad_design_arguments(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        sm.SeamlessDesign(**kwargs)


@pytest.mark.parametrize("call, name", [
    (lambda d: sm.exact_operating_characteristics(d, [0.1, 0.2]), "effects"),
    (lambda d: sm.exact_operating_characteristics(d, [0.1, 0.2, 9.0]), "effects"),
    (lambda d: sm.exact_operating_characteristics(d, [0.1, float("inf"), 0.0]), "effects"),
    (lambda d: sm.exact_operating_characteristics(d, methods=("closed_simes",)), "methods"),
    (lambda d: sm.exact_operating_characteristics(d, methods=("naive", "naive")), "methods"),
    (lambda d: sm.exact_operating_characteristics(d, methods=()), "methods"),
    (lambda d: sm.exact_operating_characteristics("design"), "design"),
    (lambda d: sm.simulate_operating_characteristics(d, n_trials=0), "n_trials"),
    (lambda d: sm.simulate_operating_characteristics(d, n_trials=10 ** 8), "n_trials"),
    (lambda d: sm.simulate_operating_characteristics(d, seed=-1), "seed"),
    (lambda d: sm.simulate_operating_characteristics(d, seed="a"), "seed"),
    (lambda d: sm.simulate_operating_characteristics(d, methods=("fisher",)), "methods"),
    (lambda d: sm.critical_value(d, "holm"), "method"),
    (lambda d: sm.selection_bias(d, [0, 0]), "effects"),
    (lambda d: sm.dunnett_critical_value(0), "n_arms"),
    (lambda d: sm.dunnett_critical_value(2, alpha=0.7), "alpha"),
    (lambda d: sm.dunnett_critical_value(2, rho=1.0), "rho"),
    (lambda d: sm.naive_fwer(2, 1.2), "info_fraction"),
    (lambda d: sm.naive_fwer(11, 0.5), "n_arms"),
    (lambda d: sm.naive_fwer(2, 0.5, critical="x"), "critical"),
    (lambda d: sm.naive_fwer_table((0, 2)), "n_arms"),
    (lambda d: sm.naive_fwer_table((2,), (0.5, 1.0)), "info_fraction"),
    (lambda d: sm.naive_fwer_table((2,), lang="fr"), "lang"),
    (lambda d: sm.exact_operating_characteristics(d).to_frame("fr"), "lang"),
])
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call(sm.SeamlessDesign(3, 0.5, 50))
