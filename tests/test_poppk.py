"""Tests of dosecourse.poppk against independent numerical solutions and the identities of linear PK.

Independent checks (no reference package is needed at run time):

* every analytic concentration is compared with a per-subject ``scipy.integrate.solve_ivp`` solution of the
  compartment ODEs written out here (DOP853, rtol 1e-10), to 1e-6 relative; one-compartment values also with the
  closed forms of ``dosecourse.pk`` (a separate implementation);
* the steady state with the concentration after 400 doses; AUC with ``scipy.integrate.quad``; Cavg,ss with
  F * Dose / (CL * tau); tmax of a one-compartment oral dose with ln(ka/k)/(ka - k);
* the time-varying clearance of the nivolumab model with a per-subject ``solve_ivp`` of the ODE with
  CL(t) = CL0 exp(Emax t^h / (T50^h + t^h));
* covariate model with the formulas of the papers (Ahamadi 2017 Table 3 footnotes; Bajaj 2017 Eq. 7-10, as
  transcribed in the nlmixr2lib model files), random effects with sample moments within 3 Monte Carlo SE (seeds
  fixed in advance).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp

from dosecourse import pk, poppk
from dosecourse.poppk import PKParameters, Regimen

PEMBRO = poppk.published_model("pembrolizumab_ahamadi2017")
NIVO = poppk.published_model("nivolumab_bajaj2017")

# Parameter sets of several subjects: a small molecule (1/h-like rates) and an antibody (per day).
TWO_CMT = dict(cl=[0.22, 0.4, 0.15], v1=[3.48, 5.0, 2.5], q=[0.795, 0.3, 1.5], v2=[4.06, 2.0, 6.0],
               ka=[0.3, 0.0634, 2.0], f=[0.7, 1.0, 0.5], weight=[76.8, 60.0, 110.0])
ONE_CMT = dict(cl=[2.0, 0.5], v1=[20.0, 10.0], ka=[0.8, 0.05], f=[0.6, 1.0], weight=[70.0, 50.0])
IRREGULAR = dict(times=(0.0, 3.0, 10.5, 11.0, 30.0), amounts=(200.0, 50.0, 120.0, 0.0, 80.0))


def reference_ode(p, i, regimen, times, *, tv=None, rtol=1e-10):
    """Concentration of subject i by solve_ivp of the compartment ODEs, segment by segment between events."""
    cl0, v1 = p.cl[i], p.v1[i]
    q = 0.0 if p.q is None else p.q[i]
    v2 = 1.0 if p.v2 is None else p.v2[i]
    ka = 0.0 if p.ka is None else p.ka[i]
    f = p.f[i]
    amounts = np.array(regimen.amounts) * (p.weight[i] if regimen.per_kg else 1.0)
    dose_t = np.array(regimen.times)
    T = regimen.duration or 0.0

    def clearance(t):
        if tv is None or t <= dose_t[0]:
            return cl0
        emax, t50, hill = tv
        el = t - dose_t[0]
        return cl0 * math.exp(emax * el ** hill / (t50 ** hill + el ** hill))

    def rate(t):
        if regimen.route != "infusion":
            return 0.0
        on = (dose_t <= t) & (t < dose_t + T)
        return float(np.sum(amounts[on]) / T)

    def rhs(t, y, r):
        depot, a1, a2 = y
        return [-ka * depot, ka * depot + r - clearance(t) / v1 * a1 - q / v1 * a1 + q / v2 * a2,
                q / v1 * a1 - q / v2 * a2]

    events = sorted(set(dose_t) | (set(dose_t + T) if regimen.route == "infusion" else set()))
    out = np.zeros(len(times))
    y = np.zeros(3)
    for k, b in enumerate(events):
        for j in np.nonzero(np.isclose(dose_t, b))[0]:
            if regimen.route == "bolus":
                y[1] += amounts[j]
            elif regimen.route == "oral":
                y[0] += f * amounts[j]
        end = events[k + 1] if k + 1 < len(events) else max(times) + 1.0
        r = rate(0.5 * (b + end))  # the infusion rate is constant within a segment
        sel = [m for m, tt in enumerate(times) if b <= tt < end]
        sol = solve_ivp(rhs, (b, end), y, method="DOP853", rtol=rtol, atol=1e-14, dense_output=True, args=(r,))
        for m in sel:
            out[m] = sol.sol(times[m])[1] / v1
        y = sol.y[:, -1].copy()
    return out


def _params(kind):
    return PKParameters(**(TWO_CMT if kind == 2 else ONE_CMT))


def _regimen(route, regular=False, per_kg=False):
    kw = {"duration": 0.7} if route == "infusion" else {}
    if regular:
        return Regimen.repeated(2.0 if per_kg else 150.0, 7.0, 5, route=route, per_kg=per_kg, **kw)
    amounts = tuple(a / 75.0 for a in IRREGULAR["amounts"]) if per_kg else IRREGULAR["amounts"]
    return Regimen(IRREGULAR["times"], amounts, route=route, per_kg=per_kg, interval=7.0, **kw)


# ---------------------------------------------------------------------------------------------------------------
# analytic superposition against solve_ivp and against dosecourse.pk
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [1, 2])
@pytest.mark.parametrize("route", poppk.ROUTES)
@pytest.mark.parametrize("regular, per_kg", [(False, False), (True, True)])
def test_superposition_matches_solve_ivp(kind, route, regular, per_kg):
    p = _params(kind)
    reg = _regimen(route, regular, per_kg)
    times = np.concatenate([[-1.0, 0.0, 0.35, 0.7], np.linspace(0.05, 45.0, 60), [3.0, 10.5, 30.7]])
    conc = poppk.concentrations(p, reg, times)
    for i in range(p.n):
        ref = reference_ode(p, i, reg, times)
        ok = ref > 1e-8 * ref.max()
        np.testing.assert_allclose(conc[i, ok], ref[ok], rtol=1e-6)
        assert np.all(np.abs(conc[i, ~ok]) <= 1e-8 * ref.max())


@pytest.mark.parametrize("route", poppk.ROUTES)
def test_one_compartment_equals_dosecourse_pk(route):
    # dosecourse.pk is a separate closed-form implementation (geometric sums per route).
    p = PKParameters(cl=2.0, v1=20.0, ka=0.8, f=0.7)
    t = np.linspace(-2.0, 70.0, 145)
    kw = {"duration": 1.5} if route == "infusion" else {}
    reg = Regimen.repeated(100.0, 12.0, 3, route=route, **kw)
    fun = {"bolus": lambda **k: pk.conc_iv_bolus(t, 100.0, 2.0, 20.0, **k),
           "infusion": lambda **k: pk.conc_iv_infusion(t, 100.0, 2.0, 20.0, 1.5, **k),
           "oral": lambda **k: pk.conc_oral(t, 100.0, 2.0, 20.0, 0.8, f=0.7, **k)}[route]
    np.testing.assert_allclose(poppk.concentrations(p, reg, t)[0], fun(tau=12.0, n_doses=3), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(poppk.concentrations(p, reg, t, steady_state=True)[0],
                               fun(tau=12.0, steady_state=True), rtol=1e-12)


def test_oral_with_ka_equal_to_an_elimination_rate_is_the_limit():
    # The cancellation-free form needs no special case: ka = k, and ka = beta of a two-compartment model.
    t = np.linspace(0.0, 60.0, 31)
    reg = Regimen.repeated(100.0, 12.0, 4, route="oral")
    p1 = PKParameters(cl=2.0, v1=20.0, ka=0.1)
    near = PKParameters(cl=2.0, v1=20.0, ka=0.1 * (1 + 1e-6))
    np.testing.assert_allclose(poppk.concentrations(p1, reg, t), poppk.concentrations(near, reg, t), rtol=2e-6)
    np.testing.assert_allclose(poppk.concentrations(p1, reg, t)[0], pk.conc_oral(t, 100.0, 2.0, 20.0, 0.1, tau=12.0,
                                                                                 n_doses=4), rtol=1e-10)
    base = PKParameters(cl=0.22, v1=3.48, q=0.795, v2=4.06)
    beta = float(poppk._modes(base)[1][1][0, 0])
    p2 = PKParameters(cl=0.22, v1=3.48, q=0.795, v2=4.06, ka=beta)
    ref = reference_ode(p2, 0, reg, t)
    ok = ref > 0
    np.testing.assert_allclose(poppk.concentrations(p2, reg, t)[0, ok], ref[ok], rtol=1e-6)
    ss = poppk.concentrations(p2, reg, t, steady_state=True)
    assert np.all(np.isfinite(ss)) and np.all(ss > 0)


def test_fast_iv_path_equals_general_superposition():
    # The shared-time path carries the sum of past doses forward; the per-subject path sums each dose.
    pop = poppk.simulate_population(PEMBRO, 30, seed=11)
    times = np.linspace(-1.0, 120.0, 400)
    for route, kw in (("bolus", {}), ("infusion", {"duration": 0.5 / 24})):
        reg = Regimen((0.0, 10.0, 21.0, 42.0), (200.0, 50.0, 200.0, 400.0), route=route, **kw)
        fast = poppk.concentrations(pop.parameters, reg, times)
        general = poppk._superpose(pop.parameters, reg, np.broadcast_to(times, (30, times.size)).copy())
        np.testing.assert_allclose(fast, general, rtol=1e-12, atol=1e-13)


def test_concentrations_in_any_time_order():
    p = _params(2)
    reg = _regimen("infusion")
    times = np.array([30.0, 0.0, 12.0, 5.0, 0.2])
    sorted_conc = poppk.concentrations(p, reg, np.sort(times))
    np.testing.assert_array_equal(poppk.concentrations(p, reg, times)[:, np.argsort(times)],
                                  sorted_conc)


def test_bolus_is_right_continuous_and_trough_is_the_left_limit():
    p = PKParameters(cl=0.22, v1=3.48, q=0.795, v2=4.06)
    reg = Regimen.repeated(200.0, 21.0, 3, route="bolus")
    just_before = poppk.concentrations(p, reg, [21.0 - 1e-9])[0, 0]
    at_dose = poppk.concentrations(p, reg, [21.0])[0, 0]
    assert at_dose - just_before == pytest.approx(200.0 / 3.48, rel=1e-6)
    e = poppk.exposure(p, reg, 1)
    assert e.ctrough[0] == pytest.approx(just_before, rel=1e-7)
    assert e.cmax[0] == pytest.approx(200.0 / 3.48) and e.tmax[0] == 0.0


# ---------------------------------------------------------------------------------------------------------------
# steady state, AUC, exposure metrics
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [1, 2])
@pytest.mark.parametrize("route", poppk.ROUTES)
def test_steady_state_is_the_limit_of_long_dosing(kind, route):
    p = _params(kind)
    kw = {"duration": 0.7} if route == "infusion" else {}
    tau = 7.0
    many = Regimen.repeated(150.0, tau, 260, route=route, **kw)   # 1,820 days: slowest e^(-beta 7 n) < 1e-12
    since = np.linspace(0.0, tau, 29)[:-1]
    late = poppk.concentrations(p, many, 259 * tau + since)
    ss = poppk.concentrations(p, many, since, steady_state=True)
    np.testing.assert_allclose(ss, late, rtol=1e-9)
    np.testing.assert_allclose(poppk.concentrations(p, many, since + 5 * tau, steady_state=True), ss, rtol=1e-12)
    e_ss, e_late = poppk.exposure(p, many, "ss"), poppk.exposure(p, many, 259)
    for field in ("cmax", "ctrough", "cavg", "auc"):
        np.testing.assert_allclose(getattr(e_ss, field), getattr(e_late, field), rtol=1e-8)
    # tmax sits at a flat maximum: rounding of C (1e-16) moves it by about sqrt(1e-16) relative
    np.testing.assert_allclose(e_ss.tmax, e_late.tmax, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("kind", [1, 2])
@pytest.mark.parametrize("route", poppk.ROUTES)
def test_auc_equals_numerical_integral(kind, route):
    p = _params(kind)
    reg = _regimen(route)
    breaks = sorted(set(reg.times) | ({x + reg.duration for x in reg.times} if route == "infusion" else set()))
    for start, end in ((0.0, 3.0), (2.0, 11.0), (0.0, 60.0), (30.5, 31.0)):
        got = poppk.auc(p, reg, start, end)
        for i in range(p.n):
            f = lambda x, i=i: float(poppk.concentrations(p.subset([i]), reg, [x])[0, 0])  # noqa: E731
            pts = [b for b in breaks if start < b < end] or None
            ref = quad(f, start, end, points=pts, limit=400, epsabs=1e-12, epsrel=1e-12)[0]
            assert got[i] == pytest.approx(ref, rel=1e-8)
    # per-subject end times, e.g. each patient's event time
    ends = np.array([5.0, 12.0, 40.0][: p.n])
    per_subject = poppk.auc(p, reg, 0.0, ends)
    for i in range(p.n):
        assert per_subject[i] == pytest.approx(poppk.auc(p.subset([i]), reg, 0.0, ends[i])[0], rel=1e-13)


@pytest.mark.parametrize("route", poppk.ROUTES)
def test_total_auc_is_f_dose_over_cl(route):
    p = _params(2)
    kw = {"duration": 0.7} if route == "infusion" else {}
    reg = Regimen((0.0,), (100.0,), route=route, **kw)
    f = p.f if route == "oral" else 1.0
    np.testing.assert_allclose(poppk.auc(p, reg, 0.0, 1e5), f * 100.0 / p.cl, rtol=1e-10)


@pytest.mark.parametrize("route", poppk.ROUTES)
def test_cavg_ss_identity_and_interval_metrics(route):
    p = _params(2)
    kw = {"duration": 0.7} if route == "infusion" else {}
    reg = Regimen.repeated(150.0, 7.0, 10, route=route, **kw)
    e = poppk.exposure(p, reg, "ss")
    f = p.f if route == "oral" else 1.0
    np.testing.assert_allclose(e.cavg, f * 150.0 / (p.cl * 7.0), rtol=1e-12)
    # AUC over the steady-state interval by quadrature of the steady-state profile
    for i in range(p.n):
        fun = lambda x, i=i: float(poppk.concentrations(p.subset([i]), reg, [x], steady_state=True)[0, 0])  # noqa: E731
        pts = [0.7] if route == "infusion" else None
        assert quad(fun, 0.0, 7.0 - 1e-12, points=pts, epsabs=1e-12, epsrel=1e-12, limit=200)[0] == pytest.approx(
            e.auc[i], rel=1e-8)
    # Cmax is the maximum of a fine profile; the trough is the concentration just before the next dose
    for k in (1, 4, 10):
        ek = poppk.exposure(p, reg, k)
        grid = np.linspace(ek.start, ek.end - 1e-9, 20_001)
        prof = poppk.concentrations(p, reg, grid)
        assert np.all(ek.cmax >= prof.max(axis=1) * (1 - 1e-12))
        np.testing.assert_allclose(ek.cmax, prof.max(axis=1), rtol=1e-6)
        np.testing.assert_allclose(ek.ctrough, prof[:, -1], rtol=1e-6)
        np.testing.assert_allclose(ek.cavg * 7.0, ek.auc, rtol=1e-14)
        for i in range(p.n):
            at_tmax = poppk.concentrations(p.subset([i]), reg, [ek.start + ek.tmax[i]])[0, 0]
            assert at_tmax == pytest.approx(ek.cmax[i], rel=1e-12)


def test_oral_tmax_matches_closed_form():
    # One compartment, single dose: tmax = ln(ka/k)/(ka - k).
    p = PKParameters(cl=2.0, v1=20.0, ka=0.8)
    reg = Regimen((0.0,), (100.0,), route="oral", interval=48.0)
    e = poppk.exposure(p, reg, 1)
    assert e.tmax[0] == pytest.approx(math.log(8.0) / 0.7, rel=1e-7)
    assert e.cmax[0] == pytest.approx(pk.conc_oral(math.log(8.0) / 0.7, 100.0, 2.0, 20.0, 0.8), rel=1e-12)


def test_pembrolizumab_typical_cavg_ss_and_equal_dose_rates():
    typical = poppk.individual_parameters(PEMBRO)   # reference weight 76.8 kg and albumin 39.6 g/L
    q3w = Regimen.repeated(200.0, 21.0, 1, route="infusion", duration=0.5 / 24)
    q6w = Regimen.repeated(400.0, 42.0, 1, route="infusion", duration=0.5 / 24)
    assert poppk.exposure(typical, q3w, "ss").cavg[0] == pytest.approx(200.0 / (0.22 * 21.0), rel=1e-12)
    assert round(float(poppk.exposure(typical, q3w, "ss").cavg[0]), 1) == 43.3
    pop = poppk.simulate_population(PEMBRO, 2000, seed=5)
    np.testing.assert_allclose(poppk.exposure(pop.parameters, q3w, "ss").cavg,
                               poppk.exposure(pop.parameters, q6w, "ss").cavg, rtol=1e-12)
    table = poppk.compare_regimens(PEMBRO, {"q3w": q3w, "q6w": q6w}, n=500, seed=5, lang="zh-tw")
    assert list(table.columns)[0] == "給藥方案"
    assert table.iloc[0, 3] == pytest.approx(table.iloc[1, 3], rel=1e-12)
    assert table.iloc[1, 1] > table.iloc[0, 1] and table.iloc[1, 2] < table.iloc[0, 2]  # higher peak, lower trough


# ---------------------------------------------------------------------------------------------------------------
# time-varying clearance (nivolumab)
# ---------------------------------------------------------------------------------------------------------------

def test_published_nivolumab_model_is_converted_to_days():
    data = poppk.published_data("nivolumab_bajaj2017")
    assert data["units"]["time"] == "h"
    assert NIVO.typical["cl"] == pytest.approx(0.00940 * 24) and NIVO.typical["q"] == pytest.approx(0.0321 * 24)
    assert NIVO.typical["t50"] == pytest.approx(1410.0 / 24) and NIVO.typical["hill"] == 3.15
    assert NIVO.typical["emax"] == -0.295 and NIVO.time_varying
    assert NIVO.residual_model == "proportional" and NIVO.residual_sd == 0.215
    assert NIVO.covariate_reference["WT"] == 80.0


def test_time_varying_clearance_matches_solve_ivp():
    pop = poppk.simulate_population(NIVO, 4, seed=21)
    p = pop.parameters
    assert p.time_varying
    reg = Regimen.repeated(240.0, 14.0, 10, route="infusion", duration=1.0 / 24)
    times = np.array([0.0, 0.02, 1.0, 13.99, 14.0, 30.0, 60.0, 100.0, 139.0, 150.0])
    conc = poppk.concentrations(p, reg, times, rtol=1e-10)
    for i in range(p.n):
        ref = reference_ode(p, i, reg, times, tv=(p.emax[i], p.t50[i], p.hill[i]))
        ok = ref > 0
        np.testing.assert_allclose(conc[i, ok], ref[ok], rtol=1e-6)
    # clearance falls, so concentrations end higher than with constant clearance (Emax < 0 for these subjects)
    const = PKParameters(cl=p.cl, v1=p.v1, q=p.q, v2=p.v2)
    ratio = conc[:, -1] / poppk.concentrations(const, reg, times)[:, -1]
    np.testing.assert_array_equal(ratio > 1.0, p.emax < 0)
    with pytest.raises(ValueError, match="analytic"):
        poppk.concentrations(p, reg, times, method="analytic")


def test_ode_path_equals_analytic_for_constant_clearance():
    p = _params(2)
    for route in poppk.ROUTES:
        reg = _regimen(route)
        times = np.linspace(0.0, 40.0, 81)
        ode = poppk.concentrations(p, reg, times, method="ode", rtol=1e-10)
        exact = poppk.concentrations(p, reg, times)
        ok = exact > 1e-9
        np.testing.assert_allclose(ode[ok], exact[ok], rtol=1e-7)
        np.testing.assert_allclose(poppk.auc(p, reg, 0.0, 40.0, method="ode", rtol=1e-10),
                                   poppk.auc(p, reg, 0.0, 40.0), rtol=1e-7)
        e_ode, e_exact = poppk.exposure(p, reg, 2, method="ode", rtol=1e-10), poppk.exposure(p, reg, 2)
        np.testing.assert_allclose(e_ode.auc, e_exact.auc, rtol=1e-7)
        np.testing.assert_allclose(e_ode.ctrough, e_exact.ctrough, rtol=1e-7)
        np.testing.assert_allclose(e_ode.cmax, e_exact.cmax, rtol=1e-4)   # ODE: maximum over a grid


def test_time_varying_steady_state_uses_the_limiting_clearance():
    p = poppk.individual_parameters(NIVO)
    reg = Regimen.repeated(480.0, 28.0, 1, route="infusion", duration=0.5 / 24)
    e = poppk.exposure(p, reg, "ss")
    assert e.cavg[0] == pytest.approx(480.0 / (NIVO.typical["cl"] * math.exp(-0.295) * 28.0), rel=1e-12)
    long = Regimen.repeated(480.0, 28.0, 60, route="infusion", duration=0.5 / 24)   # 4.6 years: CL at its limit
    assert poppk.exposure(p, long, 60, rtol=1e-9).cavg[0] == pytest.approx(e.cavg[0], rel=2e-3)


# ---------------------------------------------------------------------------------------------------------------
# covariates, random effects, virtual populations
# ---------------------------------------------------------------------------------------------------------------

def test_pembrolizumab_covariate_model():
    cov = {"WT": [50.0, 120.0], "ALB": [30.0, 45.0], "SEXF": [1.0, 0.0], "NSCLC": [1.0, 0.0],
           "ECOG_GE1": [1.0, 0.0], "EGFR": [60.0, 100.0], "TUM_SLD": [150.0, 40.0], "PRIOR_IPI": [0.0, 1.0]}
    p = poppk.individual_parameters(PEMBRO, cov)
    wt, alb = np.array(cov["WT"]), np.array(cov["ALB"])
    cl = (0.22 * (wt / 76.8) ** 0.595 * (alb / 39.6) ** -0.907 * (np.array(cov["TUM_SLD"]) / 89.6) ** 0.0872
          * (np.array(cov["EGFR"]) / 88.47) ** 0.135 * (1 - 0.152 * np.array(cov["SEXF"]))
          * (1 + 0.145 * np.array(cov["NSCLC"])) * (1 - 0.0739 * np.array(cov["ECOG_GE1"]))
          * (1 + 0.140 * np.array(cov["PRIOR_IPI"])))
    v1 = 3.48 * (wt / 76.8) ** 0.489 * (alb / 39.6) ** -0.208 * (1 - 0.134 * np.array(cov["SEXF"])) * (
        1 + 0.0736 * np.array(cov["PRIOR_IPI"]))
    np.testing.assert_allclose(p.cl, cl, rtol=1e-14)
    np.testing.assert_allclose(p.v1, v1, rtol=1e-14)
    np.testing.assert_allclose(p.q, 0.795 * (wt / 76.8) ** 0.595, rtol=1e-14)
    np.testing.assert_allclose(p.v2, 4.06 * (wt / 76.8) ** 0.489, rtol=1e-14)
    np.testing.assert_array_equal(p.weight, wt)
    # shared etas: one on CL and Q, one on V1 and V2
    pe = poppk.individual_parameters(PEMBRO, etas=[[0.3, -0.2]])
    assert pe.cl[0] == pytest.approx(0.22 * math.exp(0.3)) and pe.q[0] == pytest.approx(0.795 * math.exp(0.3))
    assert pe.v1[0] == pytest.approx(3.48 * math.exp(-0.2)) and pe.v2[0] == pytest.approx(4.06 * math.exp(-0.2))


def test_nivolumab_covariate_model_and_additive_eta_on_emax():
    cov = {"WT": 100.0, "EGFR": 60.0, "SEX_MALE": 1.0, "ECOG_GE1": 1.0, "RACE_ASIAN": 1.0}
    p = poppk.individual_parameters(NIVO, cov, etas=[[0.1, 0.2, -0.3, 0.05]])
    cl = 0.2256 * (100 / 80) ** 0.566 * (60 / 90) ** 0.186 * math.exp(0.165 + 0.172 - 0.125 + 0.1)
    assert p.cl[0] == pytest.approx(cl, rel=1e-12)
    assert p.v1[0] == pytest.approx(3.63 * (100 / 80) ** 0.597 * math.exp(0.152 + 0.2), rel=1e-12)
    assert p.v2[0] == pytest.approx(2.78 * math.exp(-0.3), rel=1e-12)
    assert p.q[0] == pytest.approx(0.7704, rel=1e-12)
    assert p.emax[0] == pytest.approx(-0.295 + 0.05, rel=1e-12)
    assert p.t50[0] == pytest.approx(58.75)


def test_seeded_populations_are_reproducible():
    a = poppk.simulate_population(NIVO, 500, seed=123)
    b = poppk.simulate_population(NIVO, 500, seed=123)
    c = poppk.simulate_population(NIVO, 500, seed=124)
    assert a.seed == 123 and a.n == 500
    np.testing.assert_array_equal(a.etas, b.etas)
    np.testing.assert_array_equal(a.parameters.cl, b.parameters.cl)
    np.testing.assert_array_equal(a.covariates["WT"], b.covariates["WT"])
    assert not np.array_equal(a.parameters.cl, c.parameters.cl)
    g = poppk.simulate_population(NIVO, 10, seed=np.random.default_rng(1))
    assert g.seed is None
    default = poppk.simulate_population(NIVO, 10)
    assert default.seed == 2025
    fresh = poppk.simulate_population(NIVO, 10, seed=None)
    again = poppk.simulate_population(NIVO, 10, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.etas, again.etas)


def test_iiv_and_covariate_sample_moments():
    # n = 20,000 draws, seed fixed in advance; moments within 3 Monte Carlo SE.
    n = 20_000
    pop = poppk.simulate_population(NIVO, n, seed=2024)
    omega = NIVO.omega_matrix
    eta = pop.etas
    se_mean = np.sqrt(np.diag(omega) / n)
    assert np.all(np.abs(eta.mean(axis=0)) < 3 * se_mean)
    cov = np.cov(eta, rowvar=False)
    se_cov = np.sqrt((np.outer(np.diag(omega), np.diag(omega)) + omega ** 2) / n)
    assert np.all(np.abs(cov - omega) < 3 * se_cov)
    # log CL of the population minus its covariate part is the eta on CL
    typical = poppk.individual_parameters(NIVO, pop.covariates)
    np.testing.assert_allclose(np.log(pop.parameters.cl / typical.cl), eta[:, 0], rtol=1e-12, atol=1e-12)
    wt = pop.covariates["WT"]
    assert abs(wt.mean() - 79.1) < 3 * 19.3 / math.sqrt(n)
    sigma2 = math.log1p((19.3 / 79.1) ** 2)
    assert abs(np.log(wt).std(ddof=1) - math.sqrt(sigma2)) < 3 * math.sqrt(sigma2 / (2 * n))
    male = pop.covariates["SEX_MALE"]
    assert set(np.unique(male)) == {0.0, 1.0}
    assert abs(male.mean() - 0.667) < 3 * math.sqrt(0.667 * 0.333 / n)


def test_given_weights_and_stated_distribution():
    weights = np.linspace(40.0, 140.0, 11)
    pop = poppk.simulate_population(PEMBRO, 11, seed=1, covariates={"WT": weights}, iiv=False)
    np.testing.assert_array_equal(pop.parameters.weight, weights)
    np.testing.assert_allclose(pop.parameters.cl, 0.22 * (weights / 76.8) ** 0.595, rtol=1e-14)
    stated = poppk.simulate_population(PEMBRO, 5000, seed=2,
                                       population={"WT": {"distribution": "lognormal", "mean": 60.0, "sd": 10.0}})
    assert abs(stated.covariates["WT"].mean() - 60.0) < 3 * 10.0 / math.sqrt(5000)


def test_residual_error_moments():
    n = 40_000
    conc = np.full(n, 10.0)
    prop = poppk.add_residual_error(conc, NIVO, seed=8)
    assert prop.seed == 8 and prop.model == "proportional"
    rel = prop.values / 10.0 - 1.0
    assert abs(rel.mean()) < 3 * 0.215 / math.sqrt(n)
    assert abs(rel.std(ddof=1) - 0.215) < 3 * 0.215 / math.sqrt(2 * n)
    expo = poppk.add_residual_error(conc, PEMBRO, seed=8)
    log_err = np.log(expo.values / 10.0)
    assert abs(log_err.std(ddof=1) - 0.272) < 3 * 0.272 / math.sqrt(2 * n)
    assert np.all(expo.values > 0)


def test_published_data_carries_sources_and_check_flags():
    for name in poppk.PUBLISHED_MODELS:
        data = poppk.published_data(name)
        assert {"pembrolizumab_ahamadi2017": "doi:10.1002/psp4.12139",
                "nivolumab_bajaj2017": "doi:10.1002/psp4.12143"}[name] in data["source"]
        assert "nlmixr2lib" in data["transcribed_from"]
        for item in data["published_exposure"]:
            assert item["source"] and isinstance(item["check"], bool)
    nivo = poppk.published_data("nivolumab_bajaj2017")["published_exposure"]
    assert all(item["check"] for item in nivo)
    fresh = {i["quantity"]: i["value"] for i in poppk.published_data("pembrolizumab_ahamadi2017")["published_exposure"]}
    assert fresh["mean AUCss over 6 weeks, 200 mg Q3W"] == 1.87
    assert isinstance(PEMBRO.typical, type(NIVO.typical)) and PEMBRO.typical["v2"] == 4.06
    with pytest.raises(TypeError):
        PEMBRO.typical["cl"] = 1.0   # frozen


# ---------------------------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------------------------

pos = st.floats(min_value=0.01, max_value=5.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
# (doses are 0 or at least 1e-6: a subnormal dose such as 5e-324 underflows to a zero average, which is no PK)
@given(cl=pos, v1=pos, q=pos, v2=pos, ka=pos, dose=st.one_of(st.just(0.0), st.floats(1e-6, 500.0)),
       scale=st.floats(0.1, 10.0),
       route=st.sampled_from(poppk.ROUTES))
def test_properties_nonnegative_linear_and_mass_balance(cl, v1, q, v2, ka, dose, scale, route):
    p = PKParameters(cl=cl, v1=v1, q=q, v2=v2, ka=ka, f=0.8)
    kw = {"duration": 0.5} if route == "infusion" else {}
    reg = Regimen.repeated(dose, 2.0, 3, route=route, **kw)
    reg2 = Regimen.repeated(dose * scale, 2.0, 3, route=route, **kw)
    t = np.linspace(-1.0, 10.0, 45)
    c = poppk.concentrations(p, reg, t)
    assert np.all(c >= 0)
    np.testing.assert_allclose(poppk.concentrations(p, reg2, t), scale * c, rtol=1e-10, atol=1e-300)
    e = poppk.exposure(p, reg, "ss")
    f = 0.8 if route == "oral" else 1.0
    np.testing.assert_allclose(e.cavg, f * dose / (cl * 2.0), rtol=1e-12)
    assert np.all(e.cmax >= e.cavg * (1 - 1e-9)) and np.all(e.cavg >= e.ctrough * (1 - 1e-9))


@settings(max_examples=30, deadline=None)
@given(shift=st.floats(-50.0, 50.0), cl=pos, v1=pos)
def test_property_time_shift_invariance(shift, cl, v1):
    p = PKParameters(cl=cl, v1=v1, q=0.3, v2=2.0)
    reg = Regimen((0.0, 1.5, 4.0), (10.0, 20.0, 5.0), route="infusion", duration=0.25)
    moved = Regimen(tuple(x + shift for x in reg.times), reg.amounts, route="infusion", duration=0.25)
    t = np.linspace(0.0, 8.0, 17)
    np.testing.assert_allclose(poppk.concentrations(p, moved, t + shift), poppk.concentrations(p, reg, t),
                               rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------------------------

P2 = PKParameters(cl=0.22, v1=3.48, q=0.795, v2=4.06)
REG = Regimen.repeated(200.0, 21.0, 3, route="infusion", duration=0.5 / 24)


@pytest.mark.parametrize("call, match", [
    (lambda: PKParameters(cl=-0.1, v1=3.0), "cl must be > 0"),
    (lambda: PKParameters(cl=[0.2, -0.1], v1=3.0), "cl must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=0.0), "v1 must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, q=0.5, v2=-1.0), "v2 must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, q=0.0, v2=1.0), "q must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, q=0.5), "both q and v2"),
    (lambda: PKParameters(cl=0.2, v1=3.0, ka=0.0), "ka must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, ka=-1.0), "ka must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, f=0.0), "f must be > 0"),
    (lambda: PKParameters(cl=0.2, v1=3.0, f=1.2), "f must be <= 1"),
    (lambda: PKParameters(cl=float("nan"), v1=3.0), "cl must hold finite"),
    (lambda: PKParameters(cl=[0.2, 0.3], v1=[3.0, 3.0, 3.0]), "same length"),
    (lambda: PKParameters(cl=0.2, v1=3.0, emax=-0.3), "emax, t50 and hill"),
    (lambda: Regimen((0.0, 21.0, 14.0), (1.0, 1.0, 1.0)), "times must be strictly increasing"),
    (lambda: Regimen((0.0, 0.0), (1.0, 1.0)), "times must be strictly increasing"),
    (lambda: Regimen((0.0, float("nan")), (1.0, 1.0)), "times must hold finite"),
    (lambda: Regimen((0.0,), (-5.0,)), "amounts must be >= 0"),
    (lambda: Regimen((0.0, 1.0), (5.0,)), "amounts must have 2 values"),
    (lambda: Regimen((0.0,), (5.0,), route="infusion"), "duration"),
    (lambda: Regimen((0.0,), (5.0,), route="infusion", duration=0.0), "duration must be a finite number > 0"),
    (lambda: Regimen((0.0,), (5.0,), route="infusion", duration=-1.0), "duration must be a finite number > 0"),
    (lambda: Regimen((0.0,), (5.0,), route="bolus", duration=1.0), "duration applies"),
    (lambda: Regimen((0.0,), (5.0,), route="sc"), "route must be one of"),
    (lambda: Regimen((0.0,), (5.0,), interval=0.0), "interval must be"),
    (lambda: Regimen.repeated(5.0, 21.0, 0), "n_doses"),
    (lambda: poppk.concentrations(P2, REG, [0.0, float("nan")]), "times must hold finite"),
    (lambda: poppk.concentrations(PKParameters(cl=0.2, v1=3.0), Regimen((0.0,), (1.0,), route="oral"), [1.0]),
     "ka"),
    (lambda: poppk.concentrations(P2, Regimen((0.0,), (2.0,), per_kg=True), [1.0]), "weight"),
    (lambda: poppk.concentrations(P2, Regimen((0.0, 5.0), (1.0, 2.0), interval=5.0), [1.0], steady_state=True),
     "regular"),
    (lambda: poppk.concentrations(P2, Regimen.repeated(1.0, 1.0, 2, route="infusion", duration=2.0), [1.0],
                                  steady_state=True), "duration must not exceed"),
    (lambda: poppk.concentrations(P2, REG, [1.0], method="euler"), "method must be one of"),
    (lambda: poppk.concentrations(P2, REG, [1.0], method="ode", rtol=0.5), "rtol"),
    (lambda: poppk.concentrations(PKParameters(cl=np.full(10_000, 0.2), v1=3.0), Regimen.repeated(1.0, 1.0, 3000),
                                  np.linspace(0, 10, 20_000)), "MAX_WORK|at most"),
    (lambda: poppk.exposure(P2, REG, 0), "interval must be a whole number >= 1"),
    (lambda: poppk.exposure(P2, REG, 4), "interval must be a whole number"),
    (lambda: poppk.exposure(P2, REG, "steady"), "interval must be one of"),
    (lambda: poppk.exposure(P2, Regimen((0.0,), (1.0,)), 1), "regimen.interval"),
    (lambda: poppk.auc(P2, REG, 5.0, 1.0), "end must be >= start"),
    (lambda: poppk.auc(P2, REG, 0.0, [1.0, 2.0]), "end must be a number or one value per subject"),
    (lambda: poppk.published_model("trastuzumab"), "name must be one of"),
    (lambda: poppk.individual_parameters(PEMBRO, {"HEIGHT": 170.0}), "covariate must be one of"),
    (lambda: poppk.individual_parameters(PEMBRO, {"WT": 0.0}), "WT"),
    (lambda: poppk.individual_parameters(PEMBRO, {"WT": [70.0, float("nan")]}), "finite"),
    (lambda: poppk.individual_parameters(PEMBRO, etas=[[0.1, 0.2, 0.3]]), "etas must have shape"),
    (lambda: poppk.simulate_population(PEMBRO, 0), "n must be a whole number"),
    (lambda: poppk.simulate_population(PEMBRO, 10, population={"WT": {"distribution": "gamma"}}), "distribution"),
    (lambda: poppk.simulate_population(PEMBRO, 10, population={"WT": {"distribution": "lognormal", "mean": -1,
                                                                       "sd": 1}}), "mean"),
    (lambda: poppk.PopPKModel("x", 2, {"cl": 0.2, "v1": 3.0}), "q, v2"),
    (lambda: poppk.PopPKModel("x", 1, {"cl": -0.2, "v1": 3.0}), "cl"),
    (lambda: poppk.PopPKModel("x", 3, {"cl": 0.2, "v1": 3.0}), "compartments must be one of"),
    (lambda: poppk.PopPKModel("x", 1, {"cl": 0.2, "v1": 3.0}, eta_names=("a", "b"), omega=((1.0, 2.0), (2.0, 1.0))),
     "positive semidefinite"),
    (lambda: poppk.PopPKModel("x", 1, {"cl": 0.2, "v1": 3.0}, eta_names=("a",), omega=((1.0, 0.0),)), "omega"),
    (lambda: poppk.PopPKModel("x", 1, {"cl": 0.2, "v1": 3.0}, covariate_reference={"WT": 70.0},
                              covariate_effects=(poppk.CovariateEffect("cl", "AGE", "power", 0.5),)), "covariate"),
    (lambda: poppk.CovariateEffect("cl", "WT", "linear", 0.5), "form must be one of"),
    (lambda: poppk.add_residual_error([-1.0], NIVO), "conc must be >= 0"),
])
def test_bad_input_raises_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: PKParameters(cl="fast", v1=3.0), "cl must be a number"),
    (lambda: Regimen((0.0,), (1.0,), per_kg=1), "per_kg must be True or False"),
    (lambda: poppk.concentrations("params", REG, [1.0]), "params must be a PKParameters"),
    (lambda: poppk.concentrations(P2, "Q3W", [1.0]), "regimen must be a Regimen"),
    (lambda: poppk.concentrations(P2, REG, "soon"), "times must be a number"),
    (lambda: poppk.simulate_population(PEMBRO, 10, seed="x"), "seed"),
    (lambda: poppk.simulate_population(PEMBRO, 2.5), "n must be a whole number"),
    (lambda: poppk.exposure(P2, REG, 1.5), "interval"),
])
def test_wrong_types_raise_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()
