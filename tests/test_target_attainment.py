"""dosecourse.target_attainment against closed forms and independent calculations.

* The steady-state profile against an explicit superposition of 400 single doses (C(t) = D ka / (V (ka - k))
  (e^{-kt} - e^{-ka t})), against dosecourse.poppk's steady state (its own code, in days) and against the IV-bolus
  limit D/V e^{-kt}/(1 - e^{-k tau}) for a very fast absorption.
* The ka = k branch against the general formula just beside it.
* The share of patients reaching the target against a seeded Monte Carlo over log-normal clearance, and the mean
  inhibition likewise; dose_for_attainment as the inverse of attainment.
"""

import math

import numpy as np
import pytest
from scipy.stats import norm

from dosecourse import poppk
from dosecourse import target_attainment as ta

M = ta.PDTargetModel()


def _superposed(t: float, dose: float, tau: float, cl: float, v: float, ka: float, n: int = 400) -> float:
    k = cl / v
    times = t + tau * np.arange(n)
    return float(np.sum(dose * ka / (v * (ka - k)) * (np.exp(-k * times) - np.exp(-ka * times))))


@pytest.mark.parametrize("cl, v, ka", [(25.0, 100.0, 1.5), (5.0, 50.0, 0.3), (80.0, 200.0, 4.0)])
def test_profile_is_the_superposition_of_single_doses(cl, v, ka):
    m = ta.PDTargetModel(cl=cl, v=v, ka=ka)
    times = np.array([0.0, 0.5, 2.0, 6.0, 12.0])
    got = ta.steady_state_concentration(times, 100.0, 12.0, m)
    ref = [_superposed(t, 100.0, 12.0, cl, v, ka) for t in times]
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    assert got[0] == pytest.approx(got[-1], rel=1e-12)  # trough before and after a dose


def test_profile_against_poppk_steady_state():
    # poppk works in days: CL 25 L/h = 600 L/day, ka 1.5/h = 36/day, tau 12 h = 0.5 day.
    p = poppk.PKParameters(cl=[25.0 * 24], v1=100.0, ka=[1.5 * 24])
    reg = poppk.Regimen.repeated(100.0, 0.5, 1, route="oral")
    times_h = np.array([1.0, 3.0, 6.0, 11.0])
    ref = poppk.concentrations(p, reg, times_h / 24, steady_state=True)[0]
    np.testing.assert_allclose(ta.steady_state_concentration(times_h, 100.0, 12.0, M), ref, rtol=1e-8)
    trough = float(poppk.exposure(p, reg, "ss").ctrough[0])
    r = ta.attainment([100.0], 12.0, M)
    assert float(r.typical_trough[0]) == pytest.approx(trough, rel=1e-6)


def test_fast_absorption_tends_to_the_bolus_closed_form():
    m = ta.PDTargetModel(cl=25.0, v=100.0, ka=900.0)
    k = 0.25
    for t in (0.5, 6.0, 12.0):
        bolus = 100.0 / 100.0 * math.exp(-k * t) / (1 - math.exp(-k * 12.0))
        assert float(ta.steady_state_concentration(t, 100.0, 12.0, m)) == pytest.approx(bolus, rel=2e-3)


def test_equal_rates_branch_is_continuous():
    at = ta.PDTargetModel(cl=25.0, v=100.0, ka=0.25)  # k = ka exactly
    beside = ta.PDTargetModel(cl=25.0, v=100.0, ka=0.25 * (1 + 1e-4))
    for t in (0.0, 3.0, 12.0):
        assert float(ta.steady_state_concentration(t, 100.0, 12.0, at)) == pytest.approx(
            float(ta.steady_state_concentration(t, 100.0, 12.0, beside)), rel=2e-4)


@pytest.mark.parametrize("target", [0.8, 0.9])
def test_share_and_mean_against_monte_carlo(target):
    doses = np.array([25.0, 100.0, 600.0])
    r = ta.attainment(doses, 12.0, M, target=target)
    rng = np.random.default_rng(20261203)
    n = 400_000
    cl = M.cl * np.exp(M.omega * rng.standard_normal(n))
    k = cl / M.v
    per_mg = M.ka / (M.v * (M.ka - k)) * (np.exp(-k * 12) / (1 - np.exp(-k * 12))
                                         - np.exp(-M.ka * 12) / (1 - np.exp(-M.ka * 12)))
    for i, d in enumerate(doses):
        c = d * per_mg
        inh = c / (c + M.ic50)
        share = float(np.mean(inh >= target))
        se = math.sqrt(max(share * (1 - share), 1e-6) / n)
        assert float(r.fraction[i]) == pytest.approx(share, abs=5 * se + 1e-6)
        assert float(r.mean_inhibition[i]) == pytest.approx(float(inh.mean()), abs=2e-3)
    assert r.threshold == pytest.approx(M.ic50 * target / (1 - target))


def test_share_closed_form_through_the_threshold_clearance():
    r = ta.attainment([100.0, 300.0], 12.0, M, target=0.9)
    for i in range(2):
        cstar = float(ta.steady_state_concentration(12.0, float(r.dose[i]), 12.0, M, cl=float(r.cl_threshold[i])))
        assert cstar == pytest.approx(r.threshold, rel=1e-9)
        assert float(r.fraction[i]) == pytest.approx(norm.cdf(math.log(r.cl_threshold[i] / M.cl) / M.omega))
    assert np.all(np.diff(r.fraction) > 0)


@pytest.mark.parametrize("share", [0.2, 0.5, 0.9])
def test_dose_for_attainment_inverts_attainment(share):
    d = ta.dose_for_attainment(12.0, M, 0.9, share)
    assert float(ta.attainment([d], 12.0, M, 0.9).fraction[0]) == pytest.approx(share, abs=1e-8)
    # linear PK: doubling a dose doubles the typical trough
    r = ta.attainment([d, 2 * d], 12.0, M)
    assert r.typical_trough[1] == pytest.approx(2 * r.typical_trough[0], rel=1e-12)


def test_no_variability_gives_all_or_none():
    m = ta.PDTargetModel(omega=0.0)
    d50 = ta.dose_for_attainment(12.0, m, 0.8, 0.5)
    r = ta.attainment([0.99 * d50, 1.01 * d50], 12.0, m, 0.8)
    assert r.fraction.tolist() == [0.0, 1.0]


def test_result_is_read_only_and_validated():
    r = ta.attainment([100.0], 12.0, M)
    with pytest.raises(ValueError):
        r.fraction[0] = 0.5
    with pytest.raises(ValueError, match="fraction"):
        ta.Attainment(dose=[1.0], typical_trough=[1.0], cl_threshold=[1.0], typical_inhibition=[0.5],
                      mean_inhibition=[0.5], fraction=[1.5], tau=12.0, target=0.9, threshold=1.0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ta.PDTargetModel(cl=0.0), ValueError, "cl"),
    (lambda: ta.PDTargetModel(omega=3.0), ValueError, "omega"),
    (lambda: ta.PDTargetModel(hill="1"), TypeError, "hill"),
    (lambda: ta.attainment([], 12.0, M), ValueError, "doses"),
    (lambda: ta.attainment([100.0], 0.0, M), ValueError, "tau"),
    (lambda: ta.attainment([100.0], 12.0, M, target=1.0), ValueError, "target"),
    (lambda: ta.attainment([100.0], 12.0, {"cl": 1}), TypeError, "model"),
    (lambda: ta.steady_state_concentration([13.0], 100.0, 12.0, M), ValueError, "time"),
    (lambda: ta.dose_for_attainment(12.0, M, 0.9, share=0.0), ValueError, "share"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
