"""Dose defined by a pharmacodynamic target: the share of patients whose steady-state trough inhibits the target
enough.

For a molecule with little activity of its own (an enzyme inhibitor given with a checkpoint inhibitor, say), the
dose cannot be chosen from its own response rate; it is chosen to hold the target inhibited, over the whole
dosing interval, in most patients.  A teaching model with three standard parts:

* **Oral PK at steady state**, one compartment with first-order absorption (apparent clearance :math:`CL`,
  volume :math:`V`, absorption rate :math:`k_a`, elimination rate :math:`k = CL/V`), a dose :math:`D` every
  :math:`\\tau`:

  .. math:: C_{ss}(t) = \\frac{D\\,k_a}{V (k_a - k)}\\left[\\frac{e^{-k t}}{1 - e^{-k\\tau}}
            - \\frac{e^{-k_a t}}{1 - e^{-k_a\\tau}}\\right], \\qquad 0 \\le t \\le \\tau,

  the superposition of infinitely many single doses (Gibaldi and Perrier); the trough is :math:`C_{ss}(\\tau)`.
  When :math:`k_a = k` the bracket is replaced by its limit
  :math:`k\\,e^{-kt}[t/(1 - r) + \\tau r/(1 - r)^2]`, :math:`r = e^{-k\\tau}`.
* **Inhibition** of the target, a Hill (Emax) function of concentration with maximal inhibition 1:
  :math:`I(C) = C^h / (IC_{50}^h + C^h)`; a target inhibition :math:`I^*` needs
  :math:`C^* = IC_{50}\\,(I^*/(1 - I^*))^{1/h}` (:func:`dosecourse.pd.concentration_for_effect`).
* **Between-patient variability**: the clearance is log-normal, :math:`CL_i = CL\\,e^{\\omega Z}`,
  :math:`Z \\sim N(0, 1)` (volume and absorption rate fixed).  The trough falls as the clearance rises (every
  single-dose curve does), so a patient reaches the target at trough exactly when :math:`CL_i \\le CL^*`, where
  :math:`C_{ss}(\\tau; CL^*) = C^*`, and the share of patients who reach it is

  .. math:: P(I(C_{trough}) \\ge I^*) = \\Phi\\left(\\frac{\\ln CL^* - \\ln CL}{\\omega}\\right).

  PK is linear, so the dose that brings a share :math:`p` of patients to the target is
  :math:`D_p = C^* / c_1(CL\\,e^{\\omega z_p})`, with :math:`c_1` the trough per unit dose and :math:`z_p` the
  standard normal quantile (:func:`dose_for_attainment`).

The parameters are teaching values, not fitted to any drug; concentrations are in mg/L when the dose is in mg
and the volume in L.

References
----------
Gibaldi M, Perrier D. Pharmacokinetics. 2nd ed. New York: Marcel Dekker; 1982 (multiple dosing, one-compartment
model with first-order absorption).
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
(PMID 7032803)

Examples
--------
>>> m = PDTargetModel(cl=10.0, v=100.0, ka=2.0, omega=0.3, ic50=0.05)
>>> r = attainment([100.0], 12.0, m, target=0.8)
>>> round(float(r.typical_trough[0]), 3), round(float(r.fraction[0]), 3)
(0.454, 0.928)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm

from . import _validate
from . import pd as pdm

__all__ = ["PDTargetModel", "Attainment", "steady_state_concentration", "attainment", "dose_for_attainment"]

_MAX_N = 10_000  # doses or times per call
_MAX_TAU = 24.0 * 365  # a year, in the model's time unit (hours in the examples)


@lru_cache(maxsize=8)
def _nodes(n: int) -> tuple[np.ndarray, np.ndarray]:
    z, w = np.polynomial.hermite_e.hermegauss(n)
    return z, w / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class PDTargetModel:
    """Parameters of the target-attainment model (teaching values by default, not fitted to any drug).

    Parameters
    ----------
    cl : float, default 25.0
        Typical (median) apparent clearance CL/F, volume per time unit (L/h), > 0.
    v : float, default 100.0
        Apparent volume V/F (L), > 0.
    ka : float, default 1.5
        First-order absorption rate constant (1/h), > 0.
    omega : float, default 0.5
        Between-patient standard deviation of log clearance, in [0, 2].
    ic50 : float, default 0.01
        Concentration giving half-maximal inhibition of the target (mg/L), > 0.
    hill : float, default 1.0
        Hill coefficient of inhibition, in (0, 10].

    Raises
    ------
    ValueError, TypeError
        If a parameter is out of range or not a number (the message names it).
    """

    cl: float = 25.0
    v: float = 100.0
    ka: float = 1.5
    omega: float = 0.5
    ic50: float = 0.01
    hill: float = 1.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "cl", _validate.positive(self.cl, "cl", maximum=1e6))
        set_(self, "v", _validate.positive(self.v, "v", maximum=1e7))
        set_(self, "ka", _validate.positive(self.ka, "ka", maximum=1e3))
        set_(self, "omega", _validate.number(self.omega, "omega", minimum=0.0, maximum=2.0))
        set_(self, "ic50", _validate.positive(self.ic50, "ic50", maximum=1e6))
        set_(self, "hill", _validate.positive(self.hill, "hill", maximum=10.0))


@dataclass(frozen=True)
class Attainment:
    """Per dose: the typical patient's trough and trough inhibition, the mean trough inhibition over patients and
    the share of patients whose trough inhibition reaches the target.

    Parameters
    ----------
    dose, typical_trough, cl_threshold : ndarray
        Equal-length 1-D arrays (read-only): doses, the typical patient's steady-state trough, and the largest
        clearance :math:`CL^*` whose trough still reaches the target (``inf`` at a dose where every clearance
        does; 0 where none can).
    typical_inhibition, mean_inhibition, fraction : ndarray
        Trough inhibition of the typical patient, its mean over the log-normal clearance, and the share of
        patients at or above the target, all in [0, 1].
    tau : float
        Dosing interval.
    target : float
        Target inhibition at trough, in (0, 1).
    threshold : float
        Concentration :math:`C^*` that gives the target inhibition.
    """

    dose: np.ndarray
    typical_trough: np.ndarray
    cl_threshold: np.ndarray
    typical_inhibition: np.ndarray
    mean_inhibition: np.ndarray
    fraction: np.ndarray
    tau: float
    target: float
    threshold: float

    def __post_init__(self) -> None:
        n = None
        for name in ("dose", "typical_trough", "typical_inhibition", "mean_inhibition", "fraction"):
            hi = None if name in ("dose", "typical_trough") else 1.0
            arr = _validate.real_array(getattr(self, name), name, minimum=0.0, maximum=hi, ndim=1, length=n,
                                       nonempty=True).copy()
            n = arr.size
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if isinstance(self.cl_threshold, (str, bytes)) or self.cl_threshold is None:
            raise TypeError(f"cl_threshold must be an array of numbers; got {self.cl_threshold!r}")
        try:
            cl = np.asarray(self.cl_threshold, dtype=float).copy()
        except (TypeError, ValueError):
            raise TypeError(f"cl_threshold must be an array of numbers; got {self.cl_threshold!r}") from None
        if cl.shape != (n,) or np.any(np.isnan(cl)) or np.any(cl < 0):
            raise ValueError(f"cl_threshold must hold {n} values >= 0 (inf allowed); got {self.cl_threshold!r}")
        cl.setflags(write=False)
        object.__setattr__(self, "cl_threshold", cl)
        object.__setattr__(self, "tau", _validate.positive(self.tau, "tau", maximum=_MAX_TAU))
        object.__setattr__(self, "target", _validate.probability(self.target, "target"))
        object.__setattr__(self, "threshold", _validate.positive(self.threshold, "threshold"))


def _check_model(model: object) -> PDTargetModel:
    if not isinstance(model, PDTargetModel):
        raise TypeError(f"model must be a PDTargetModel; got {type(model).__name__}")
    return model


def _css(t: np.ndarray, dose: float | np.ndarray, tau: float, cl: np.ndarray, v: float, ka: float) -> np.ndarray:
    """Steady-state concentration at times ``t`` in [0, tau] (broadcast against ``cl``), closed form."""
    k = cl / v
    rk = np.exp(-k * tau)
    one_k, one_a = -np.expm1(-k * tau), -np.expm1(-ka * tau)  # 1 - e^{-k tau}, without cancellation
    diff = ka - k
    near = np.abs(diff) < 1e-6 * ka
    safe = np.where(near, 1.0, diff)
    general = ka / safe * (np.exp(-k * t) / one_k - np.exp(-ka * t) / one_a)
    limit = k * np.exp(-k * t) * (t / one_k + tau * rk / one_k ** 2)
    return dose / v * np.where(near, limit, general)


def steady_state_concentration(time, dose: float, tau: float, model: PDTargetModel,
                               cl: float | None = None) -> np.ndarray:
    """Steady-state concentration over a dosing interval, one-compartment model with first-order absorption.

    Parameters
    ----------
    time : float or array_like
        Times since the last dose, in [0, ``tau``] (same time unit as ``tau`` and ``1/ka``).
    dose : float
        Dose per administration (mg, > 0).
    tau : float
        Dosing interval (> 0).
    model : PDTargetModel
    cl : float, optional
        A patient's clearance; the model's typical clearance by default.

    Returns
    -------
    ndarray
        Concentrations (mg/L), the shape of ``time``.

    Notes
    -----
    .. math:: C_{ss}(t) = \\frac{D k_a}{V (k_a - k)}\\left[\\frac{e^{-kt}}{1 - e^{-k\\tau}}
              - \\frac{e^{-k_a t}}{1 - e^{-k_a\\tau}}\\right]

    Examples
    --------
    >>> m = PDTargetModel(cl=10.0, v=100.0, ka=2.0)
    >>> steady_state_concentration([0.0, 12.0], 100.0, 12.0, m).round(4).tolist()
    [0.4537, 0.4537]
    """
    model = _check_model(model)
    tau = _validate.positive(tau, "tau", maximum=_MAX_TAU)
    t = _validate.real_array(time, "time", minimum=0.0, maximum=tau, nonempty=True, max_size=_MAX_N)
    d = _validate.positive(dose, "dose", maximum=1e9)
    c = model.cl if cl is None else _validate.positive(cl, "cl", maximum=1e9)
    return _css(t, d, tau, np.asarray(c, dtype=float), model.v, model.ka)


def _trough_per_dose(tau: float, cl: np.ndarray, model: PDTargetModel) -> np.ndarray:
    return _css(np.asarray(tau), 1.0, tau, np.asarray(cl, dtype=float), model.v, model.ka)


def _cl_threshold(dose: float, tau: float, c_star: float, model: PDTargetModel) -> float:
    """Largest clearance whose steady-state trough is at least ``c_star`` (0 if none, inf if every one)."""
    lo, hi = math.log(model.cl) - 20.0, math.log(model.cl) + 20.0

    def gap(log_cl: float) -> float:
        return math.log(float(_trough_per_dose(tau, np.exp(log_cl), model)) * dose) - math.log(c_star)

    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo < 0:
        return 0.0
    if g_hi >= 0:
        return math.inf
    return math.exp(brentq(gap, lo, hi, xtol=1e-12, rtol=1e-13))


def attainment(doses, tau: float, model: PDTargetModel, target: float = 0.9, n_nodes: int = 60) -> Attainment:
    """Typical trough, trough inhibition and the share of patients reaching ``target`` inhibition, per dose.

    Parameters
    ----------
    doses : array_like
        1-D doses per administration (mg, > 0), at most 10 000.
    tau : float
        Dosing interval (> 0; 12 for twice daily when the model is in hours).
    model : PDTargetModel
    target : float, default 0.9
        Target inhibition at trough, in (0, 1).
    n_nodes : int, default 60
        Gauss-Hermite nodes for the mean inhibition over log-normal clearance (5 to 200).

    Returns
    -------
    Attainment

    Notes
    -----
    The share reaching the target is exact (a root of the monotone trough in clearance, then the normal
    distribution function); only the mean inhibition uses quadrature.

    Examples
    --------
    >>> m = PDTargetModel(omega=0.0)
    >>> r = attainment([50.0, 400.0], 12.0, m, target=0.8)
    >>> r.fraction.tolist()
    [0.0, 1.0]
    """
    model = _check_model(model)
    d = _validate.real_array(doses, "doses", minimum=0.0, strict_minimum=True, ndim=1, nonempty=True,
                             max_size=_MAX_N)
    if np.any(d > 1e9):
        raise ValueError(f"doses must be <= 1e+09; got {d.max()!r}")
    tau = _validate.positive(tau, "tau", maximum=_MAX_TAU)
    target = _validate.probability(target, "target")
    n_nodes = _validate.integer(n_nodes, "n_nodes", minimum=5, maximum=200)
    c_star = float(pdm.concentration_for_effect(target, model.ic50, model.hill))
    per_dose = float(_trough_per_dose(tau, np.asarray(model.cl), model))
    typical = d * per_dose
    inh = lambda c: 1.0 / (1.0 + (model.ic50 / np.maximum(c, 1e-300)) ** model.hill)  # noqa: E731
    z, w = _nodes(n_nodes)
    troughs = d[:, None] * _trough_per_dose(tau, model.cl * np.exp(model.omega * z), model)[None, :]
    mean = inh(troughs) @ w
    thresholds = np.array([_cl_threshold(float(x), tau, c_star, model) for x in d])
    with np.errstate(divide="ignore"):
        log_ratio = np.log(thresholds) - math.log(model.cl)
    if model.omega > 0:
        fraction = norm.cdf(log_ratio / model.omega)
    else:
        fraction = (log_ratio >= 0).astype(float)
    return Attainment(dose=d, typical_trough=typical, cl_threshold=thresholds, typical_inhibition=inh(typical),
                      mean_inhibition=np.clip(mean, 0.0, 1.0), fraction=fraction, tau=tau, target=target,
                      threshold=c_star)


def dose_for_attainment(tau: float, model: PDTargetModel, target: float = 0.9, share: float = 0.9) -> float:
    """Dose per administration that brings a ``share`` of patients to ``target`` inhibition at trough.

    Parameters
    ----------
    tau : float
        Dosing interval (> 0).
    model : PDTargetModel
    target : float, default 0.9
        Target inhibition at trough, in (0, 1).
    share : float, default 0.9
        Share of patients who should reach it, in (0, 1).

    Returns
    -------
    float
        Dose (mg).

    Notes
    -----
    .. math:: D_p = \\frac{C^*}{c_1(CL\\,e^{\\omega z_p})}, \\qquad
              C^* = IC_{50}\\left(\\frac{I^*}{1 - I^*}\\right)^{1/h}

    with :math:`c_1(CL)` the steady-state trough per mg and :math:`z_p = \\Phi^{-1}(p)`: the patient at the
    :math:`p` quantile of clearance is the one who must reach the target.

    Examples
    --------
    >>> m = PDTargetModel(omega=0.0)
    >>> r = attainment([dose_for_attainment(12.0, m, 0.8, 0.5)], 12.0, m, target=0.8)
    >>> round(float(r.typical_inhibition[0]), 6)
    0.8
    """
    model = _check_model(model)
    tau = _validate.positive(tau, "tau", maximum=_MAX_TAU)
    target = _validate.probability(target, "target")
    share = _validate.probability(share, "share")
    c_star = float(pdm.concentration_for_effect(target, model.ic50, model.hill))
    cl_p = model.cl * math.exp(model.omega * float(norm.ppf(share)))
    return c_star / float(_trough_per_dose(tau, np.asarray(cl_p), model))
