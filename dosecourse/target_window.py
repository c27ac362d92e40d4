"""The target window of a small molecule or an ADC: does more exposure buy more target inhibition, or only more
off-target toxicity?

A teaching model with three parts, each a standard form:

* **Exposure.** The typical (median) exposure is proportional to dose, :math:`e(D) = k D`; optionally, above a
  dose :math:`D_s` it grows less than proportionally, :math:`e(D) = k D_s (D/D_s)^{\\beta}` with
  :math:`0 \\le \\beta \\le 1` (:math:`\\beta = 0` is a plateau, as reported for sotorasib between 240 and
  960 mg).  A patient's exposure is log-normal around it, :math:`E = e(D)\\,e^{\\omega Z}`, :math:`Z \\sim N(0, 1)`.
* **On-target inhibition**, an Emax (Hill) function of exposure with maximal inhibition 1 (Holford and Sheiner
  1981): :math:`I(E) = E^h / (EC_{50}^h + E^h)`.
* **Off-target toxicity**, a logistic function of log exposure, the probability per treatment cycle of a
  toxicity that needs a dose reduction: :math:`p(E) = 1 / (1 + \\exp(-s(\\ln E - \\ln T_{50})))`, which is the
  same as :math:`E^s / (T_{50}^s + E^s)`.

Per dose, :func:`evaluate` gives the mean inhibition :math:`\\mathbb E_Z[I(E)]`, the mean probability of the
toxicity in a cycle :math:`\\mathbb E_Z[p(E)]` and the expected fraction of patients needing a dose reduction within
:math:`n` cycles, :math:`\\mathbb E_Z[1 - (1 - p(E))^n]` (a patient's risk repeats each cycle at a fixed
exposure, so reductions concentrate in the patients with high exposure).  The expectations over :math:`Z` use
Gauss-Hermite quadrature.  :func:`diminishing_return_dose` finds the dose beyond which raising the dose by a
factor (default 2) buys less than a given gain in mean inhibition.

The model is a teaching model (monotone curves, no time course, no active metabolite); its parameters are
illustrative, not fitted to any drug.  For an ADC, the exposure that drives inhibition (the conjugated antibody
at the target) and the one that drives off-target toxicity (free payload, or the conjugate in lung) can differ;
the model then stands for the exposure that both track.

References
----------
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
(PMID 7032803)
Nakajima EC, et al. FDA Approval Summary: Sotorasib for KRAS G12C-Mutated Metastatic NSCLC. Clin Cancer Res.
2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074

Examples
--------
>>> m = TargetWindowModel(ec50=1.0, tox50=10.0, tox_slope=1.0, omega=0.0, exposure_per_dose=1.0)
>>> r = evaluate([1.0, 10.0], m, n_cycles=1)
>>> r.mean_inhibition.round(3).tolist(), r.p_toxicity.round(3).tolist()
([0.5, 0.909], [0.091, 0.5])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from . import _validate

__all__ = ["TargetWindowModel", "WindowResult", "typical_exposure", "inhibition", "toxicity_probability",
           "evaluate", "diminishing_return_dose"]

_MAX_N = 10_000  # doses per call
_MAX_CYCLES = 1000


@lru_cache(maxsize=8)
def _nodes(n: int) -> tuple[np.ndarray, np.ndarray]:
    z, w = np.polynomial.hermite_e.hermegauss(n)
    return z, w / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class TargetWindowModel:
    """Parameters of the target-window model (teaching values by default, not fitted to any drug).

    Parameters
    ----------
    ec50 : float, default 0.15
        Exposure giving half-maximal target inhibition (same unit as the exposure), > 0.
    hill : float, default 1.0
        Hill coefficient of inhibition, in (0, 10].
    tox50 : float, default 8.0
        Exposure at which the per-cycle probability of the off-target toxicity is 1/2, > 0.
    tox_slope : float, default 1.5
        Slope :math:`s` of the logistic in log exposure, in (0, 20].
    omega : float, default 0.4
        Between-patient standard deviation of log exposure, in [0, 2].
    exposure_per_dose : float, default 1/240
        Typical exposure per unit of dose below :attr:`saturation_dose` (> 0): the default makes 240 mg an
        exposure of 1.
    saturation_dose : float or None, default None
        Dose above which exposure rises less than proportionally (> 0); None: proportional at every dose.
    power_above : float, default 0.0
        Exponent :math:`\\beta` of dose above :attr:`saturation_dose`, in [0, 1] (0: a plateau; 1: proportional).

    Raises
    ------
    ValueError
        If a parameter is out of range (the message names it).
    """

    ec50: float = 0.15
    hill: float = 1.0
    tox50: float = 8.0
    tox_slope: float = 1.5
    omega: float = 0.4
    exposure_per_dose: float = 1.0 / 240.0
    saturation_dose: float | None = None
    power_above: float = 0.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "ec50", _validate.positive(self.ec50, "ec50"))
        set_(self, "hill", _validate.positive(self.hill, "hill", maximum=10.0))
        set_(self, "tox50", _validate.positive(self.tox50, "tox50"))
        set_(self, "tox_slope", _validate.positive(self.tox_slope, "tox_slope", maximum=20.0))
        set_(self, "omega", _validate.number(self.omega, "omega", minimum=0.0, maximum=2.0))
        set_(self, "exposure_per_dose", _validate.positive(self.exposure_per_dose, "exposure_per_dose"))
        if self.saturation_dose is not None:
            set_(self, "saturation_dose", _validate.positive(self.saturation_dose, "saturation_dose"))
        set_(self, "power_above", _validate.number(self.power_above, "power_above", minimum=0.0, maximum=1.0))


@dataclass(frozen=True)
class WindowResult:
    """Per dose: typical exposure, mean inhibition, mean per-cycle toxicity probability, fraction reduced.

    Parameters
    ----------
    dose, exposure, mean_inhibition, p_toxicity, p_reduction : ndarray
        Equal-length 1-D arrays (read-only): the doses, the typical (median) exposure, the mean target inhibition,
        the mean probability of the off-target toxicity in one cycle and the expected fraction of patients
        needing a dose reduction within ``n_cycles``.
    n_cycles : int
        Cycles over which reductions are counted.
    """

    dose: np.ndarray
    exposure: np.ndarray
    mean_inhibition: np.ndarray
    p_toxicity: np.ndarray
    p_reduction: np.ndarray
    n_cycles: int = field(default=1)

    def __post_init__(self) -> None:
        n = None
        for name in ("dose", "exposure", "mean_inhibition", "p_toxicity", "p_reduction"):
            hi = 1.0 if name in ("mean_inhibition", "p_toxicity", "p_reduction") else None
            arr = _validate.real_array(getattr(self, name), name, minimum=0.0, maximum=hi, ndim=1,
                                       length=n, nonempty=True).copy()
            n = arr.size
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "n_cycles", _validate.positive_int(self.n_cycles, "n_cycles",
                                                                    maximum=_MAX_CYCLES))


def typical_exposure(dose, model: TargetWindowModel) -> np.ndarray:
    """Typical (median) exposure at ``dose``: :math:`kD`, or :math:`kD_s(D/D_s)^\\beta` above :math:`D_s`.

    Parameters
    ----------
    dose : float or array_like
        Doses (>= 0).
    model : TargetWindowModel

    Returns
    -------
    ndarray
        Same shape as ``dose``.

    Examples
    --------
    >>> m = TargetWindowModel(saturation_dose=240.0, power_above=0.0)
    >>> typical_exposure([120.0, 240.0, 960.0], m).tolist()
    [0.5, 1.0, 1.0]
    """
    d = _validate.real_array(dose, "dose", minimum=0.0, max_size=_MAX_N)
    if not isinstance(model, TargetWindowModel):
        raise TypeError(f"model must be a TargetWindowModel; got {type(model).__name__}")
    k, ds = model.exposure_per_dose, model.saturation_dose
    if ds is None:
        return k * d
    above = k * ds * (np.maximum(d, ds) / ds) ** model.power_above
    return np.where(d <= ds, k * d, above)


def inhibition(exposure, ec50: float, hill: float = 1.0) -> np.ndarray:
    """Emax (Hill) target inhibition :math:`E^h / (EC_{50}^h + E^h)`, maximal inhibition 1.

    Parameters
    ----------
    exposure : float or array_like
        Exposures (>= 0).
    ec50 : float
        Half-maximal exposure (> 0).
    hill : float, default 1
        Hill coefficient (in (0, 10]).

    Returns
    -------
    ndarray

    Examples
    --------
    >>> inhibition([0.0, 1.0, 3.0], 1.0).tolist()
    [0.0, 0.5, 0.75]
    """
    e = _validate.real_array(exposure, "exposure", minimum=0.0, max_size=_MAX_N * 1000)
    c = _validate.positive(ec50, "ec50")
    h = _validate.positive(hill, "hill", maximum=10.0)
    return 1.0 / (1.0 + np.power(c / np.maximum(e, 1e-300), h)) * (e > 0)


def toxicity_probability(exposure, tox50: float, slope: float) -> np.ndarray:
    """Logistic probability in log exposure, :math:`1/(1 + \\exp(-s(\\ln E - \\ln T_{50})))`.

    Parameters
    ----------
    exposure : float or array_like
        Exposures (>= 0; 0 gives probability 0).
    tox50 : float
        Exposure with probability 1/2 (> 0).
    slope : float
        Slope per unit of log exposure (in (0, 20]).

    Returns
    -------
    ndarray

    Examples
    --------
    >>> toxicity_probability([1.0, 2.0], 2.0, 1.0).round(4).tolist()
    [0.3333, 0.5]
    """
    e = _validate.real_array(exposure, "exposure", minimum=0.0, max_size=_MAX_N * 1000)
    t50 = _validate.positive(tox50, "tox50")
    s = _validate.positive(slope, "slope", maximum=20.0)
    return 1.0 / (1.0 + np.power(t50 / np.maximum(e, 1e-300), s)) * (e > 0)


def evaluate(doses, model: TargetWindowModel, n_cycles: int = 4, n_nodes: int = 40) -> WindowResult:
    """Mean inhibition, mean per-cycle toxicity probability and fraction needing a reduction, per dose.

    Parameters
    ----------
    doses : array_like
        1-D doses (>= 0), at most 10 000.
    model : TargetWindowModel
    n_cycles : int, default 4
        Cycles over which a dose reduction is counted (1 to 1000).
    n_nodes : int, default 40
        Gauss-Hermite nodes for the expectation over log-normal exposure (5 to 200).

    Returns
    -------
    WindowResult

    Notes
    -----
    With :math:`E = e(D)\\,e^{\\omega Z}`:
    :math:`\\bar I(D) = \\mathbb E_Z[I(E)]`, :math:`\\bar p(D) = \\mathbb E_Z[p(E)]` and
    :math:`R_n(D) = \\mathbb E_Z[1 - (1 - p(E))^n]`, so :math:`R_1 = \\bar p`; because
    :math:`1 - (1-p)^n` is concave in :math:`p`, :math:`R_n \\le 1 - (1 - \\bar p)^n`: between-patient variability
    concentrates reductions in the patients with high exposure.

    Examples
    --------
    >>> r = evaluate([240.0, 960.0], TargetWindowModel(saturation_dose=240.0))
    >>> bool(r.mean_inhibition[0] == r.mean_inhibition[1])
    True
    """
    d = _validate.real_array(doses, "doses", minimum=0.0, ndim=1, nonempty=True, max_size=_MAX_N)
    n = _validate.positive_int(n_cycles, "n_cycles", maximum=_MAX_CYCLES)
    k = _validate.integer(n_nodes, "n_nodes", minimum=5, maximum=200)
    e = typical_exposure(d, model)
    z, w = _nodes(k)
    ind = e[:, None] * np.exp(model.omega * z[None, :])
    inh = inhibition(ind, model.ec50, model.hill)
    p = toxicity_probability(ind, model.tox50, model.tox_slope)
    red = -np.expm1(n * np.log1p(-np.minimum(p, 1.0 - 1e-16)))
    return WindowResult(dose=d, exposure=e, mean_inhibition=np.clip((inh * w).sum(axis=1), 0.0, 1.0),
                        p_toxicity=np.clip((p * w).sum(axis=1), 0.0, 1.0),
                        p_reduction=np.clip((red * w).sum(axis=1), 0.0, 1.0),
                        n_cycles=n)


def diminishing_return_dose(model: TargetWindowModel, min_gain: float = 0.05, factor: float = 2.0,
                            bounds: tuple[float, float] = (1.0, 10_000.0)) -> float | None:
    """Smallest dose, above the steepest part of the curve, from which multiplying the dose by ``factor`` adds
    less than ``min_gain`` to the mean inhibition.

    Parameters
    ----------
    model : TargetWindowModel
    min_gain : float, default 0.05
        Gain in mean inhibition (a fraction, in (0, 1)) below which more dose "buys little".
    factor : float, default 2
        Dose multiple compared (in (1, 100]).
    bounds : (float, float), default (1, 10000)
        Dose range searched, 0 < low < high.

    Returns
    -------
    float or None
        The dose :math:`D^*` with :math:`\\bar I(f D^*) - \\bar I(D^*) = g`, the gain falling through ``min_gain``
        above its maximum; None (no such dose in ``bounds``) if the gain never exceeds ``min_gain`` or is still
        above it at ``bounds[1]``.

    Notes
    -----
    Without variability (:math:`\\omega = 0`), with proportional exposure, :math:`h = 1` and :math:`f = 2`, the
    gain at :math:`x = kD/EC_{50}` is :math:`x/((1+2x)(1+x))`, so :math:`D^*` is the larger root of
    :math:`2x^2 + (3 - 1/g)x + 1 = 0`.

    Examples
    --------
    >>> m = TargetWindowModel(ec50=1.0, omega=0.0, exposure_per_dose=1.0)
    >>> round(diminishing_return_dose(m, 0.05), 4)
    8.4408
    """
    if not isinstance(model, TargetWindowModel):
        raise TypeError(f"model must be a TargetWindowModel; got {type(model).__name__}")
    g = _validate.probability(min_gain, "min_gain")
    f = _validate.number(factor, "factor", minimum=1.0, maximum=100.0, strict_minimum=True)
    pair = _validate.sequence(bounds, "bounds")
    if len(pair) != 2:
        raise ValueError(f"bounds must be (low, high) with 0 < low < high; got {bounds!r}")
    lo, hi = (_validate.positive(b, "bounds", maximum=1e9) for b in pair)
    if not lo < hi:
        raise ValueError(f"bounds must be (low, high) with 0 < low < high; got {bounds!r}")

    def gain(log_d: np.ndarray) -> np.ndarray:
        d = np.exp(np.atleast_1d(log_d))
        r = evaluate(np.concatenate([d, f * d]), model, n_cycles=1)
        return r.mean_inhibition[d.size:] - r.mean_inhibition[:d.size]

    grid = np.linspace(math.log(lo), math.log(hi), 801)
    gains = gain(grid)
    top = int(np.argmax(gains))
    if gains[top] <= g:
        return None
    below = np.nonzero(gains[top:] < g)[0]
    if below.size == 0:
        return None
    j = top + int(below[0])
    root = brentq(lambda x: float(gain(x)[0]) - g, grid[j - 1], grid[j], xtol=1e-12)
    return float(math.exp(root))
