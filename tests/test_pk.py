"""Tests of dosecourse.pk against the analytic identities of linear one-compartment pharmacokinetics.

Each expected value follows from a textbook identity (Rowland & Tozer, Clinical Pharmacokinetics and
Pharmacodynamics, 4th ed.): AUC = F*Dose/CL; the AUC over one interval at steady state equals the single-dose
AUC to infinity; repeated doses are the superposition of single doses; an infusion tends to a bolus as its
duration tends to 0; Cavg,ss = F*Dose/(CL*tau).
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from dosecourse import pk

CL, V, KA, F = 2.0, 20.0, 0.8, 0.7  # L/h, L, 1/h: k = 0.1/h, half-life 6.93 h
DOSE, TAU, T_INF = 100.0, 12.0, 1.5

ROUTES = {
    "bolus": lambda t, **kw: pk.conc_iv_bolus(t, DOSE, CL, V, **kw),
    "infusion": lambda t, **kw: pk.conc_iv_infusion(t, DOSE, CL, V, T_INF, **kw),
    "oral": lambda t, **kw: pk.conc_oral(t, DOSE, CL, V, KA, f=F, **kw),
    "oral_ka_equals_k": lambda t, **kw: pk.conc_oral(t, DOSE, CL, V, CL / V, f=F, **kw),
}
BIOAVAILABILITY = {"bolus": 1.0, "infusion": 1.0, "oral": F, "oral_ka_equals_k": F}


def _integrate(fun, a, b, breaks=()):
    points = [p for p in breaks if a < p < b] or None
    return quad(lambda x: float(fun(x)), a, b, points=points, limit=200, epsabs=1e-11, epsrel=1e-11)[0]


@pytest.mark.parametrize("route", ROUTES)
def test_auc_equals_f_dose_over_cl(route):
    conc = ROUTES[route]
    auc = _integrate(conc, 0.0, 600.0, breaks=(T_INF,))  # 600 h = 87 half-lives: the tail is negligible
    assert auc == pytest.approx(pk.auc_inf(DOSE, CL, BIOAVAILABILITY[route]), rel=1e-8)


@pytest.mark.parametrize("route", ROUTES)
def test_steady_state_auc_over_interval_equals_single_dose_auc_inf(route):
    conc = ROUTES[route]
    auc_tau = _integrate(lambda x: conc(x, tau=TAU, steady_state=True), 0.0, TAU, breaks=(T_INF,))
    assert auc_tau == pytest.approx(pk.auc_inf(DOSE, CL, BIOAVAILABILITY[route]), rel=1e-9)
    assert auc_tau / TAU == pytest.approx(pk.cavg_ss(DOSE, CL, TAU, BIOAVAILABILITY[route]), rel=1e-9)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("n_doses", [1, 3, None])
def test_multiple_dose_formula_equals_superposition_of_single_doses(route, n_doses):
    conc = ROUTES[route]
    t = np.linspace(-5.0, 70.0, 301)  # before the first dose, during dosing and after the last of 3 doses
    n_given = 7 if n_doses is None else n_doses  # doses at 0..72 h cover t <= 70 when dosing never stops
    superposed = sum(conc(t - i * TAU) for i in range(n_given))
    np.testing.assert_allclose(conc(t, tau=TAU, n_doses=n_doses), superposed, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("route", ROUTES)
def test_steady_state_is_the_limit_of_many_doses(route):
    conc = ROUTES[route]
    since = np.linspace(0.0, TAU, 49)[:-1]
    after_many = conc(300 * TAU + since, tau=TAU)
    np.testing.assert_allclose(conc(since, tau=TAU, steady_state=True), after_many, rtol=1e-10)
    # The steady-state profile repeats every tau.
    np.testing.assert_allclose(conc(since + 5 * TAU, tau=TAU, steady_state=True),
                               conc(since, tau=TAU, steady_state=True), rtol=1e-12)


def test_accumulation_ratio_of_a_bolus():
    # C_ss(t') / C_1(t') = 1 / (1 - exp(-k tau)) at every time after the dose; k = 0.1/h, tau = 12 h: 1.4310.
    since = np.array([0.0, 3.0, 11.0])
    ratio = pk.conc_iv_bolus(since, DOSE, CL, V, tau=TAU, steady_state=True) / pk.conc_iv_bolus(since, DOSE, CL, V)
    np.testing.assert_allclose(ratio, pk.accumulation_ratio(CL, V, TAU), rtol=1e-12)
    assert pk.accumulation_ratio(CL, V, TAU) == pytest.approx(1 / (1 - math.exp(-1.2)))


def test_infusion_tends_to_bolus_as_duration_tends_to_zero():
    t = np.array([0.5, 2.0, 10.0, 30.0])
    for duration, tol in ((1e-3, 1e-4), (1e-6, 1e-7)):
        np.testing.assert_allclose(pk.conc_iv_infusion(t, DOSE, CL, V, duration),
                                   pk.conc_iv_bolus(t, DOSE, CL, V), rtol=tol)


def test_continuous_infusion_at_steady_state_is_flat():
    # An infusion lasting the whole interval is a constant rate R = Dose/tau: Css = R / CL at all times.
    t = np.linspace(0.0, 2 * TAU, 25)
    css = pk.conc_iv_infusion(t, DOSE, CL, V, duration=TAU, tau=TAU, steady_state=True)
    np.testing.assert_allclose(css, DOSE / TAU / CL, rtol=1e-12)


def test_oral_ka_equal_to_k_is_the_limit_of_nearby_ka():
    t = np.linspace(0.0, 48.0, 13)
    k = CL / V
    for kw in ({}, {"tau": TAU, "n_doses": 3}, {"tau": TAU, "steady_state": True}):
        np.testing.assert_allclose(pk.conc_oral(t, DOSE, CL, V, k, **kw),
                                   pk.conc_oral(t, DOSE, CL, V, k * (1 + 1e-7), **kw), rtol=1e-6)


def test_bolus_values_and_half_life():
    # C(0) = 100/20 = 5 mg/L; after one half-life (ln2 x 20/2 = 6.93 h) 2.5 mg/L.
    assert pk.conc_iv_bolus(0.0, DOSE, CL, V) == 5.0
    assert pk.half_life(CL, V) == pytest.approx(math.log(2) * 10)
    assert pk.conc_iv_bolus(pk.half_life(CL, V), DOSE, CL, V) == pytest.approx(2.5)
    assert pk.elimination_rate_constant(CL, V) == pytest.approx(0.1)


def test_oral_peak_time():
    # tmax = ln(ka/k)/(ka - k) = ln 8 / 0.7 = 2.971 h: the derivative changes sign there.
    tmax = math.log(KA / 0.1) / (KA - 0.1)
    c = pk.conc_oral(np.array([tmax - 1e-3, tmax, tmax + 1e-3]), DOSE, CL, V, KA)
    assert c[1] > c[0] and c[1] > c[2]


def test_equal_dose_rates_give_equal_cavg():
    # Pembrolizumab-like antibody (CL 0.22 L/day): 200 mg q3w and 400 mg q6w share Dose/tau, so Cavg,ss.
    assert pk.cavg_ss(200.0, 0.22, 21.0) == pytest.approx(pk.cavg_ss(400.0, 0.22, 42.0))


def test_scalar_in_scalar_out_array_in_array_out():
    assert isinstance(pk.conc_iv_bolus(1.0, DOSE, CL, V), float)
    out = pk.conc_oral([[0.0, 1.0], [2.0, 3.0]], DOSE, CL, V, KA)
    assert isinstance(out, np.ndarray) and out.shape == (2, 2)
    assert pk.conc_iv_infusion(-1.0, DOSE, CL, V, 1.0) == 0.0  # before the first dose


def test_allometric_scaling():
    # A 16-fold weight ratio multiplies clearance by 16^0.75 = 8 and volume by 16.
    assert pk.scale_clearance(1.0, animal_weight_kg=4.375, human_weight_kg=70.0) == pytest.approx(8.0)
    assert pk.scale_volume(1.0, animal_weight_kg=4.375, human_weight_kg=70.0) == pytest.approx(16.0)
    assert pk.scale_clearance(1.0, 10.0, 10.0) == 1.0


def test_dose_for_auc_inverts_auc_inf():
    # AUC = F x Dose / CL, so Dose = AUC x CL / F: 25 mg*h/L x 6.0976 L/h / 0.5 = 304.88 mg (the exposure chapter).
    cl = pk.scale_clearance(0.1, 0.25, 60.0)
    assert pk.dose_for_auc(25.0, cl, f=0.5) == pytest.approx(25.0 * 0.1 * 240 ** 0.75 / 0.5, rel=1e-12)
    for dose in (0.0, 3.0, 1234.5):
        assert pk.dose_for_auc(pk.auc_inf(dose, CL, F), CL, F) == pytest.approx(dose, rel=1e-12, abs=1e-15)


def test_allometric_fold_uncertainty_is_the_lognormal_sd_of_the_scaled_clearance():
    # ln CL_h = ln CL_a + b ln(W_h/W_a): an SD of 0.16 on b is an SD of 0.16 ln 240 on ln CL_h (Hu & Hayton 2001).
    gsd = pk.allometric_fold_uncertainty(0.25, 60.0, exponent_sd=0.16)
    assert gsd == pytest.approx(240 ** 0.16, rel=1e-12) and gsd == pytest.approx(2.4034, abs=1e-4)
    # Independent check: the SD of ln(scale_clearance) over exponents b = 0.74 +/- 0.16 (exact for a linear map).
    b = 0.74 + 0.16 * np.array([-1.0, 1.0])
    logs = [math.log(pk.scale_clearance(0.1, 0.25, 60.0, exponent=x)) for x in b]
    assert math.exp((logs[1] - logs[0]) / 2) == pytest.approx(gsd, rel=1e-12)
    assert pk.allometric_fold_uncertainty(10.0, 10.0) == 1.0 and pk.allometric_fold_uncertainty(3.0, 70.0, 0.0) == 1.0


@pytest.mark.parametrize("call, match", [
    (lambda: pk.conc_iv_bolus(1.0, DOSE, -1.0, V), "cl"),
    (lambda: pk.conc_iv_bolus(1.0, DOSE, CL, 0.0), "v"),
    (lambda: pk.conc_iv_bolus(1.0, -5.0, CL, V), "dose"),
    (lambda: pk.conc_iv_bolus(1.0, DOSE, CL, V, n_doses=3), "tau"),
    (lambda: pk.conc_iv_bolus(1.0, DOSE, CL, V, steady_state=True), "tau"),
    (lambda: pk.conc_iv_bolus(1.0, DOSE, CL, V, tau=12.0, n_doses=3, steady_state=True), "not both"),
    (lambda: pk.conc_iv_bolus(1.0, DOSE, CL, V, tau=12.0, n_doses=0), "n_doses"),
    (lambda: pk.conc_iv_infusion(1.0, DOSE, CL, V, 13.0, tau=12.0, n_doses=2), "duration"),
    (lambda: pk.conc_oral(1.0, DOSE, CL, V, KA, f=1.2), "f must be a finite number > 0 and <= 1"),
    (lambda: pk.conc_oral(1.0, DOSE, CL, V, 0.0), "ka"),
    (lambda: pk.conc_iv_bolus([1.0, float("nan")], DOSE, CL, V), "t must hold finite"),
    (lambda: pk.accumulation_ratio(CL, V, 0.0), "tau"),
    (lambda: pk.scale_clearance(1.0, 0.0), "animal_weight_kg"),
    (lambda: pk.conc_iv_bolus(np.zeros(1_000_001), DOSE, CL, V), "at most 1,000,000"),
    (lambda: pk.dose_for_auc(-1.0, CL), "auc"),
    (lambda: pk.dose_for_auc(10.0, CL, f=0.0), "f must be"),
    (lambda: pk.allometric_fold_uncertainty(0.25, 60.0, exponent_sd=-0.1), "exponent_sd"),
    (lambda: pk.allometric_fold_uncertainty(0.0, 60.0), "animal_weight_kg"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types():
    with pytest.raises(TypeError, match="t must be a number"):
        pk.conc_iv_bolus("soon", DOSE, CL, V)
    with pytest.raises(TypeError, match="steady_state must be True or False"):
        pk.conc_iv_bolus(1.0, DOSE, CL, V, tau=12.0, steady_state="yes")
    with pytest.raises(TypeError, match="n_doses"):
        pk.conc_iv_bolus(1.0, DOSE, CL, V, tau=12.0, n_doses=2.5)
