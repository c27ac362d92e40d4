"""dosecourse.target_window against closed forms and scipy.

Sources of the expected numbers:
* Closed forms: the Hill function E/(EC50 + E) and the logistic in log exposure (equal to E^s/(T50^s + E^s));
  with no variability the expectations are the functions themselves; the diminishing-return dose for h = 1,
  omega = 0, proportional exposure and a doubling is the larger root of 2x^2 + (3 - 1/g)x + 1 = 0.
* scipy: every expectation over log-normal exposure against scipy.integrate.quad over the normal density; the
  diminishing-return dose under variability against scipy.optimize.brentq on the quad expectations.
"""

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from dosecourse import target_window as tw


def _quad_mean(f, e, omega):
    return integrate.quad(lambda z: f(e * math.exp(omega * z)) * stats.norm.pdf(z), -12, 12,
                          epsabs=1e-13, epsrel=1e-12)[0]


def _hill(e, ec50, h):
    return e ** h / (ec50 ** h + e ** h)


def _logit_tox(e, t50, s):
    return 1.0 / (1.0 + math.exp(-s * (math.log(e) - math.log(t50))))


def test_hill_and_logistic_closed_forms():
    e = np.array([0.01, 0.5, 1.0, 3.0, 40.0])
    assert tw.inhibition(e, 1.0, 1.0) == pytest.approx(e / (1 + e), rel=1e-14)
    assert tw.inhibition(e, 2.0, 2.5) == pytest.approx(e ** 2.5 / (2 ** 2.5 + e ** 2.5), rel=1e-13)
    assert tw.inhibition(0.0, 1.0).item() == 0.0 and tw.toxicity_probability(0.0, 1.0, 1.0).item() == 0.0
    expected = [_logit_tox(x, 8.0, 1.5) for x in e]
    assert tw.toxicity_probability(e, 8.0, 1.5) == pytest.approx(expected, rel=1e-12)
    assert tw.toxicity_probability(8.0, 8.0, 1.5).item() == pytest.approx(0.5, abs=1e-15)


def test_typical_exposure_proportional_and_saturating():
    m = tw.TargetWindowModel(exposure_per_dose=0.01)
    assert tw.typical_exposure([0.0, 100.0, 960.0], m).tolist() == pytest.approx([0.0, 1.0, 9.6])
    p = tw.TargetWindowModel(exposure_per_dose=1 / 240, saturation_dose=240.0, power_above=0.0)
    assert tw.typical_exposure([120.0, 240.0, 480.0, 960.0], p) == pytest.approx([0.5, 1.0, 1.0, 1.0])
    half = tw.TargetWindowModel(exposure_per_dose=1 / 240, saturation_dose=240.0, power_above=0.5)
    assert tw.typical_exposure(960.0, half).item() == pytest.approx(2.0, rel=1e-14)  # (960/240)^0.5


def test_no_variability_gives_the_functions_themselves():
    m = tw.TargetWindowModel(ec50=0.3, hill=1.3, tox50=4.0, tox_slope=2.0, omega=0.0, exposure_per_dose=0.01)
    d = np.array([10.0, 100.0, 500.0])
    r = tw.evaluate(d, m, n_cycles=3)
    e = d * 0.01
    assert r.mean_inhibition == pytest.approx(_hill(e, 0.3, 1.3), rel=1e-12)
    p = np.array([_logit_tox(x, 4.0, 2.0) for x in e])
    assert r.p_toxicity == pytest.approx(p, rel=1e-12)
    assert r.p_reduction == pytest.approx(1 - (1 - p) ** 3, rel=1e-12)


@pytest.mark.parametrize("omega", [0.2, 0.4, 0.8])
def test_expectations_against_quad(omega):
    m = tw.TargetWindowModel(ec50=0.15, hill=1.0, tox50=8.0, tox_slope=1.5, omega=omega)
    doses = np.array([60.0, 240.0, 960.0])
    r = tw.evaluate(doses, m, n_cycles=4)
    for j, dose in enumerate(doses):
        e = dose / 240.0
        assert r.mean_inhibition[j] == pytest.approx(_quad_mean(lambda x: _hill(x, 0.15, 1.0), e, omega), abs=1e-9)
        assert r.p_toxicity[j] == pytest.approx(_quad_mean(lambda x: _logit_tox(x, 8.0, 1.5), e, omega), abs=1e-9)
        red = _quad_mean(lambda x: 1 - (1 - _logit_tox(x, 8.0, 1.5)) ** 4, e, omega)
        assert r.p_reduction[j] == pytest.approx(red, abs=1e-9)
        # concavity: variability lowers the fraction reduced below 1 - (1 - mean p)^n
        assert r.p_reduction[j] <= 1 - (1 - r.p_toxicity[j]) ** 4 + 1e-12


def test_one_cycle_reduction_is_the_toxicity_probability():
    r = tw.evaluate([100.0, 1000.0], tw.TargetWindowModel(), n_cycles=1)
    assert r.p_reduction == pytest.approx(r.p_toxicity, rel=1e-12)


def test_a_plateau_buys_nothing_above_the_saturation_dose():
    m = tw.TargetWindowModel(saturation_dose=240.0, power_above=0.0)
    r = tw.evaluate([240.0, 480.0, 960.0], m)
    assert np.ptp(r.mean_inhibition) == 0.0 and np.ptp(r.p_toxicity) == 0.0


@pytest.mark.parametrize("gain", [0.02, 0.05, 0.1])
def test_diminishing_return_dose_closed_form(gain):
    m = tw.TargetWindowModel(ec50=1.0, omega=0.0, exposure_per_dose=1.0)
    b = 3.0 - 1.0 / gain
    x = (-b + math.sqrt(b * b - 8.0)) / 4.0  # larger root of 2x^2 + b x + 1 = 0
    assert tw.diminishing_return_dose(m, gain, bounds=(0.001, 1e4)) == pytest.approx(x, rel=1e-9)


def test_diminishing_return_dose_with_variability_against_brentq_on_quad():
    m = tw.TargetWindowModel()  # omega 0.4, EC50 0.15 at 1/240 per mg
    def gain(d):
        f = lambda x: _hill(x, 0.15, 1.0)  # noqa: E731
        return _quad_mean(f, 2 * d / 240, 0.4) - _quad_mean(f, d / 240, 0.4) - 0.05
    ref = optimize.brentq(gain, 100.0, 2000.0, xtol=1e-10)
    assert tw.diminishing_return_dose(m, 0.05) == pytest.approx(ref, rel=1e-7)


def test_diminishing_return_dose_undefined_cases_are_none():
    m = tw.TargetWindowModel(ec50=1.0, omega=0.0, exposure_per_dose=1.0)
    assert tw.diminishing_return_dose(m, 0.5) is None  # a doubling never adds 0.5
    assert tw.diminishing_return_dose(m, 0.05, bounds=(0.1, 2.0)) is None  # still steep at the top


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="ec50"):
        tw.TargetWindowModel(ec50=0.0)
    with pytest.raises(ValueError, match="omega"):
        tw.TargetWindowModel(omega=-0.1)
    with pytest.raises(ValueError, match="power_above"):
        tw.TargetWindowModel(saturation_dose=240.0, power_above=1.5)
    with pytest.raises(ValueError, match="saturation_dose"):
        tw.TargetWindowModel(saturation_dose=-1.0)
    with pytest.raises(ValueError, match="doses"):
        tw.evaluate([-1.0], tw.TargetWindowModel())
    with pytest.raises(ValueError, match="n_cycles"):
        tw.evaluate([1.0], tw.TargetWindowModel(), n_cycles=0)
    with pytest.raises(ValueError, match="min_gain"):
        tw.diminishing_return_dose(tw.TargetWindowModel(), 1.5)
    with pytest.raises(ValueError, match="bounds"):
        tw.diminishing_return_dose(tw.TargetWindowModel(), bounds=(10.0, 1.0))
    with pytest.raises(TypeError, match="model"):
        tw.typical_exposure(1.0, "model")
    r = tw.evaluate([1.0], tw.TargetWindowModel())
    assert not r.mean_inhibition.flags.writeable
