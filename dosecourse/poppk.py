"""Population pharmacokinetics: linear one- and two-compartment models for antibodies and small molecules.

The module turns a population PK model (typical values, covariate effects, between-subject variability, residual
error) into individual parameters, concentrations and the exposure metrics a dosing decision uses:

* :class:`PopPKModel` holds a model; :func:`published_model` loads one of :data:`PUBLISHED_MODELS` (pembrolizumab,
  Ahamadi 2017; nivolumab with time-varying clearance, Bajaj 2017) from ``dosecourse/data/poppk_*.json``;
* :func:`individual_parameters` applies covariates and random effects; :func:`simulate_population` draws a seeded
  virtual population (covariates from a stated distribution or given, log-normal random effects with a
  covariance matrix); :func:`add_residual_error` adds proportional or exponential residual error;
* :class:`Regimen` is any dosing history (a list of dose times and amounts, or :meth:`Regimen.repeated`) by IV
  bolus, IV infusion of a given duration or first-order absorption (``ka``, ``F``), flat (mg) or per kg;
* :func:`concentrations`, :func:`auc` and :func:`exposure` (Cmax, tmax, trough, Cavg and AUC over a dosing
  interval, for any interval or at steady state) are vectorised over subjects and times;
* :func:`compare_regimens` tabulates population exposure of several regimens in one virtual population.

**How concentrations are computed.** For time-invariant linear models the concentration is the analytic
superposition of one closed form per dose event: with the central-compartment unit impulse response
:math:`\\sum_i a_i e^{-\\lambda_i t}` (one exponential for one compartment, two for two compartments), each bolus,
infusion or absorbed dose contributes its closed form, evaluated for all subjects and times at once.  The steady
state is the sum of the infinite series of past doses, written with the closed form of the geometric series.
Differences of exponentials are evaluated in a cancellation-free form, so ``ka`` equal to an elimination rate is
not a special case.  The nivolumab model's **time-varying clearance** has no closed form; it is integrated
numerically with :func:`scipy.integrate.solve_ivp` (DOP853) on the stacked system of all subjects, segment by
segment between dosing events (infusion rates are piecewise constant, boluses are jumps), with an extra state for
the running AUC.  The tests check both paths against independent per-subject ``solve_ivp`` solutions at
``rtol=1e-10`` to 1e-6 relative.

**Units.** Everything is in days: clearances in L/day, rate constants in 1/day, times in days, doses in mg
(or mg/kg), volumes in L, concentrations in mg/L (= ug/mL), AUC in mg*day/L.  Models published in hours (Bajaj
2017) are converted on loading (rates x 24, T50 / 24); :attr:`PopPKModel.time_unit` is always ``"day"``.

References
----------
Ahamadi M, Freshwater T, Prohn M, et al. Model-based characterization of the pharmacokinetics of pembrolizumab: a
humanized anti-PD-1 monoclonal antibody in advanced solid tumors. CPT Pharmacometrics Syst Pharmacol.
2017;6(1):49-57. doi:10.1002/psp4.12139
Bajaj G, Wang X, Agrawal S, Gupta M, Roy A, Feng Y. Model-based population pharmacokinetic analysis of nivolumab in
patients with solid tumors. CPT Pharmacometrics Syst Pharmacol. 2017;6(1):58-66. doi:10.1002/psp4.12143
Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis: Concepts and Applications. 5th ed.
Swedish Pharmaceutical Press; 2016 (sums of exponentials, superposition).
Reference software: the models were transcribed from the nlmixr2lib model files ``Ahamadi_2017_pembrolizumab.R``
and ``Bajaj_2017_nivolumab_ddmore.R`` (rxode2 ODE models); the numerical reference in the tests is
``scipy.integrate.solve_ivp``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp

from . import _validate
from .i18n import check_lang, t

ROUTES: tuple[str, ...] = ("bolus", "infusion", "oral")
"""Routes of administration: IV bolus, constant-rate IV infusion, first-order absorption (oral or SC)."""

PARAMETERS: tuple[str, ...] = ("cl", "v1", "q", "v2", "ka", "f", "emax", "t50", "hill")
"""Model parameters: clearance, central and peripheral volumes, inter-compartmental clearance, absorption rate
constant, bioavailability and the three parameters of the time-varying clearance."""

COVARIATE_FORMS: tuple[str, ...] = ("power", "proportional", "exponential")
"""Covariate models: ``TV * (x/ref)**theta``, ``TV * (1 + theta*(x - ref))`` and ``TV * exp(theta*(x - ref))``."""

RESIDUAL_MODELS: tuple[str, ...] = ("proportional", "exponential")
"""Residual error models: ``C * (1 + eps)`` and ``C * exp(eps)`` (additive on the log scale)."""

PUBLISHED_MODELS: tuple[str, ...] = ("pembrolizumab_ahamadi2017", "nivolumab_bajaj2017")
"""Names accepted by :func:`published_model` (data files ``dosecourse/data/poppk_<name>.json``)."""

MAX_SUBJECTS: int = 1_000_000
"""Largest number of subjects (virtual patients) one call accepts."""

MAX_DOSE_EVENTS: int = 5_000
"""Largest number of dose events of a regimen."""

MAX_WORK: int = 300_000_000
"""Largest number of subjects x times x doses one concentration call evaluates (a few seconds of work)."""

_LOG_NORMAL = ("cl", "v1", "q", "v2", "ka")  # parameters whose random effect multiplies exp(eta)
_HOURS_TO_DAYS = {"cl": 24.0, "q": 24.0, "ka": 24.0, "t50": 1.0 / 24.0}


# ----------------------------------------------------------------------------------------------------------------
# numerically stable building blocks
# ----------------------------------------------------------------------------------------------------------------

def _phi(x: np.ndarray) -> np.ndarray:
    """(1 - e^{-x}) / x for x >= 0, equal to 1 at x = 0."""
    small = x < 1e-8
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 - 0.5 * x, -np.expm1(-safe) / safe)


def _ediff(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """(e^{-p} - e^{-q}) / (q - p) without cancellation (its limit e^{-p} when q = p); p, q >= 0."""
    return np.exp(-np.minimum(p, q)) * _phi(np.abs(q - p))


def _xm1e(x: np.ndarray) -> np.ndarray:
    """x - 1 + e^{-x} for x >= 0 (a Taylor series below 1e-3, where the direct form cancels)."""
    series = x * x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24.0 - x / 120.0)))
    return np.where(x < 1e-3, series, x + np.expm1(-x))


def _decay(x: np.ndarray) -> np.ndarray:
    """1 - e^{-x}."""
    return -np.expm1(-x)


# ----------------------------------------------------------------------------------------------------------------
# model, parameters, regimen
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CovariateEffect:
    """One covariate effect on one parameter.

    Parameters
    ----------
    parameter : str
        The parameter it scales, one of :data:`PARAMETERS` (not ``emax``, ``t50``, ``hill``).
    covariate : str
        Covariate name (e.g. ``"WT"``, ``"ALB"``).
    form : str
        ``"power"``: ``(x/ref)**theta``; ``"proportional"``: ``1 + theta*(x - ref)``; ``"exponential"``:
        ``exp(theta*(x - ref))``; ``ref`` is the covariate's reference value in the model.
    theta : float
        The coefficient.
    """

    parameter: str
    covariate: str
    form: str
    theta: float

    def __post_init__(self) -> None:
        _validate.one_of(self.parameter, "parameter", _LOG_NORMAL + ("f",))
        _validate.text(self.covariate, "covariate")
        _validate.one_of(self.form, "form", COVARIATE_FORMS)
        object.__setattr__(self, "theta", _validate.number(self.theta, "theta"))


@dataclass(frozen=True)
class PopPKModel:
    """A linear population PK model (one or two compartments), with optional time-varying clearance.

    Parameters
    ----------
    name : str
        Identifier.
    compartments : int
        1 or 2.
    typical : Mapping[str, float]
        Typical values at the reference covariates, keys from :data:`PARAMETERS`: ``cl`` and ``v1`` always; ``q``
        and ``v2`` for two compartments; ``ka`` (and optionally ``f``) for first-order absorption; ``emax``,
        ``t50``, ``hill`` together for time-varying clearance
        :math:`CL(t) = CL_0 \\exp(E_{max} t^h / (T_{50}^h + t^h))`.  Units: L, L/day, 1/day, day.
    covariate_reference : Mapping[str, float]
        Covariates of the model and their reference values (a patient with all covariates at reference has the
        typical parameters).
    covariate_effects : tuple of CovariateEffect
        The covariate model.
    eta_names : tuple of str
        Names of the random effects.
    eta_on : Mapping[str, int]
        Which random effect acts on which parameter (index into ``eta_names``); the same eta may act on several
        parameters (a shared eta).  On ``cl``, ``v1``, ``q``, ``v2``, ``ka`` the effect is log-normal,
        ``P * exp(eta)``; on ``emax`` it is additive, ``Emax + eta``.
    omega : tuple of tuple of float
        Covariance matrix of the random effects (variances on the log scale), symmetric positive semidefinite.
    residual_model : str
        One of :data:`RESIDUAL_MODELS`.
    residual_sd : float
        SD of the residual error (>= 0).
    population : Mapping[str, Mapping]
        Default distributions of covariates for :func:`simulate_population`:
        ``{"WT": {"distribution": "lognormal", "mean": 79.1, "sd": 19.3}, "SEX_MALE": {"distribution":
        "bernoulli", "p": 0.667}}``.
    source : str
        Full citation of the model.
    time_unit : str
        Always ``"day"``.

    Raises
    ------
    ValueError
        If a parameter is out of range (non-positive clearance or volume, ``ka`` <= 0, ``f`` outside (0, 1]),
        parameters required by the structure are missing, an effect names an unknown covariate, or ``omega`` is
        not a symmetric positive semidefinite matrix of the size of ``eta_names``.
    TypeError
        If an argument has the wrong type.
    """

    name: str
    compartments: int
    typical: Mapping[str, float]
    covariate_reference: Mapping[str, float] = field(default_factory=dict)
    covariate_effects: tuple[CovariateEffect, ...] = ()
    eta_names: tuple[str, ...] = ()
    eta_on: Mapping[str, int] = field(default_factory=dict)
    omega: tuple[tuple[float, ...], ...] = ()
    residual_model: str = "proportional"
    residual_sd: float = 0.0
    population: Mapping[str, Mapping] = field(default_factory=dict)
    source: str = ""
    time_unit: str = "day"

    def __post_init__(self) -> None:
        _validate.text(self.name, "name")
        _validate.one_of(self.compartments, "compartments", (1, 2))
        typical = {}
        for key, value in _validate.mapping(self.typical, "typical").items():
            _validate.one_of(key, "typical parameter", PARAMETERS)
            typical[key] = _validate.number(value, f"typical[{key!r}]")
        _check_structure(typical, self.compartments, "typical")
        object.__setattr__(self, "typical", MappingProxyType(typical))
        reference = {_validate.text(k, "covariate name"): _validate.number(v, f"covariate_reference[{k!r}]")
                     for k, v in _validate.mapping(self.covariate_reference, "covariate_reference").items()}
        object.__setattr__(self, "covariate_reference", MappingProxyType(reference))
        effects = tuple(_validate.instance(e, "covariate_effects item", CovariateEffect)
                        for e in _validate.sequence(self.covariate_effects, "covariate_effects"))
        for effect in effects:
            _validate.one_of(effect.covariate, "covariate of an effect (a key of covariate_reference)",
                             tuple(reference))
            _validate.one_of(effect.parameter, "parameter of an effect", tuple(typical))
            if effect.form == "power" and reference[effect.covariate] <= 0:
                raise ValueError(f"the reference of covariate {effect.covariate!r} must be > 0 for a power model; "
                                 f"got {reference[effect.covariate]}")
        object.__setattr__(self, "covariate_effects", effects)
        names = tuple(_validate.text(n, "eta name") for n in _validate.sequence(self.eta_names, "eta_names"))
        object.__setattr__(self, "eta_names", names)
        k = len(names)
        omega = _validate.real_array(self.omega if k else np.zeros((0, 0)), "omega")
        if omega.size != k * k:
            raise ValueError(f"omega must be a {k} x {k} matrix (one row per eta); got {self.omega!r}")
        omega = omega.reshape(k, k)
        if k and (not np.allclose(omega, omega.T, rtol=0, atol=1e-12)
                  or np.linalg.eigvalsh(omega).min() < -1e-12):
            raise ValueError(f"omega must be symmetric positive semidefinite; got {omega.tolist()}")
        object.__setattr__(self, "omega", tuple(tuple(float(x) for x in row) for row in omega))
        eta_on = {}
        for param, index in _validate.mapping(self.eta_on, "eta_on").items():
            _validate.one_of(param, "parameter of eta_on", _LOG_NORMAL + ("emax",))
            _validate.one_of(param, "parameter of eta_on", tuple(typical))
            eta_on[param] = _validate.integer(index, f"eta_on[{param!r}]", minimum=0, maximum=max(k - 1, 0))
            if k == 0:
                raise ValueError("eta_on needs eta_names and omega")
        if k and not eta_on:
            raise ValueError(f"eta_on must place the etas {names} on parameters; got {{}}")
        object.__setattr__(self, "eta_on", MappingProxyType(eta_on))
        _validate.one_of(self.residual_model, "residual_model", RESIDUAL_MODELS)
        object.__setattr__(self, "residual_sd", _validate.positive(self.residual_sd, "residual_sd",
                                                                   allow_zero=True))
        population = {}
        for cov, spec in _validate.mapping(self.population, "population").items():
            _validate.one_of(cov, "covariate of population", tuple(reference))
            population[cov] = MappingProxyType(_distribution(spec, f"population[{cov!r}]"))
        object.__setattr__(self, "population", MappingProxyType(population))
        _validate.text(self.source, "source")
        _validate.one_of(self.time_unit, "time_unit", ("day",))

    @property
    def omega_matrix(self) -> np.ndarray:
        """``omega`` as a NumPy array."""
        return np.array(self.omega, dtype=float).reshape(len(self.eta_names), len(self.eta_names))

    @property
    def time_varying(self) -> bool:
        """Whether clearance changes with time (``emax`` given and not zero)."""
        return self.typical.get("emax", 0.0) != 0.0 or "emax" in self.eta_on


def _distribution(spec: object, name: str) -> dict:
    """Check one covariate distribution of a virtual population."""
    spec = dict(_validate.mapping(spec, name))
    kind = _validate.one_of(spec.get("distribution"), f"{name}['distribution']", ("lognormal", "bernoulli"))
    out: dict = {"distribution": kind}
    if kind == "lognormal":
        out["mean"] = _validate.positive(spec.get("mean"), f"{name}['mean']")
        out["sd"] = _validate.positive(spec.get("sd"), f"{name}['sd']", allow_zero=True)
    else:
        out["p"] = _validate.probability(spec.get("p"), f"{name}['p']", open_interval=False)
    return out


def _check_structure(values: Mapping[str, object], compartments: int, where: str) -> None:
    """Check that the parameters a structure needs are present (values are checked by the caller)."""
    needed = ["cl", "v1"] + (["q", "v2"] if compartments == 2 else [])
    missing = [p for p in needed if values.get(p) is None]
    if missing:
        raise ValueError(f"{where} must give {', '.join(missing)} for a {compartments}-compartment model")
    tv = [values.get(p) is not None for p in ("emax", "t50", "hill")]
    if any(tv) and not all(tv):
        raise ValueError(f"{where}: time-varying clearance needs emax, t50 and hill together")
    for key in ("cl", "v1", "q", "v2", "ka", "t50", "hill"):
        if key in values and values[key] is not None and np.any(np.asarray(values[key], dtype=float) <= 0):
            raise ValueError(f"{where}[{key!r}] must be > 0; got {values[key]!r}")
    f = values.get("f")
    if f is not None and np.any((np.asarray(f, dtype=float) <= 0) | (np.asarray(f, dtype=float) > 1)):
        raise ValueError(f"{where}['f'] (bioavailability) must lie in (0, 1]; got {f!r}")


@dataclass(frozen=True)
class PKParameters:
    """Individual PK parameters of ``n`` subjects (1-D arrays of equal length; scalars are broadcast).

    Parameters
    ----------
    cl, v1 : ndarray
        Clearance (L/day, > 0) and central volume (L, > 0).  With time-varying clearance ``cl`` is the baseline
        clearance CL0.
    q, v2 : ndarray or None
        Inter-compartmental clearance (L/day, > 0) and peripheral volume (L, > 0); None for one compartment.
    ka : ndarray or None
        First-order absorption rate constant (1/day, > 0); needed for the ``"oral"`` route.
    f : ndarray
        Bioavailability of the ``"oral"`` route, in (0, 1] (default 1).
    weight : ndarray or None
        Body weight (kg, > 0), used by per-kg regimens.
    emax, t50, hill : ndarray or None
        Time-varying clearance :math:`CL(t) = CL_0 \\exp(E_{max} t^h/(T_{50}^h + t^h))`, t in days since the first
        dose (``t50`` in days, > 0; ``hill`` > 0).

    Raises
    ------
    ValueError
        If a clearance, volume, ``ka``, ``t50`` or ``hill`` is not positive, ``f`` is outside (0, 1], a value is
        NaN or infinite, only one of ``q``/``v2`` is given, or the arrays have different lengths.
    TypeError
        If a value is not numeric.

    Examples
    --------
    >>> PKParameters(cl=[0.2, 0.3], v1=3.0).n
    2
    """

    cl: np.ndarray
    v1: np.ndarray
    q: np.ndarray | None = None
    v2: np.ndarray | None = None
    ka: np.ndarray | None = None
    f: np.ndarray | None = None
    weight: np.ndarray | None = None
    emax: np.ndarray | None = None
    t50: np.ndarray | None = None
    hill: np.ndarray | None = None

    def __post_init__(self) -> None:
        arrays = {}
        for name in ("cl", "v1", "q", "v2", "ka", "f", "weight", "emax", "t50", "hill"):
            value = getattr(self, name)
            if value is None and name not in ("cl", "v1"):  # cl and v1 are required
                continue
            kwargs: dict = {"ndim": None, "max_size": MAX_SUBJECTS, "nonempty": True}
            if name == "emax":
                arr = _validate.real_array(value, name, **kwargs)
            elif name == "f":
                arr = _validate.real_array(value, name, minimum=0.0, strict_minimum=True, maximum=1.0, **kwargs)
            else:
                arr = _validate.real_array(value, name, minimum=0.0, strict_minimum=True, **kwargs)
            if arr.ndim > 1:
                raise ValueError(f"{name} must be a number or a 1-D array (one value per subject); got shape "
                                 f"{arr.shape}")
            arrays[name] = arr
        if ("q" in arrays) != ("v2" in arrays):
            raise ValueError("give both q and v2 (two compartments) or neither (one compartment)")
        tv = [n in arrays for n in ("emax", "t50", "hill")]
        if any(tv) and not all(tv):
            raise ValueError("time-varying clearance needs emax, t50 and hill together")
        sizes = {a.size for a in arrays.values() if a.ndim == 1}
        if len(sizes) > 1:
            raise ValueError(f"the parameter arrays must all have the same length (one value per subject); got "
                             f"lengths {sorted(sizes)}")
        n = sizes.pop() if sizes else 1
        if n == 0:
            raise ValueError("the parameter arrays must not be empty")
        for name, arr in arrays.items():
            out = np.broadcast_to(arr, (n,)).astype(float)
            out.setflags(write=False)
            object.__setattr__(self, name, out)
        if self.f is None:
            ones = np.ones(n)
            ones.setflags(write=False)
            object.__setattr__(self, "f", ones)

    @property
    def n(self) -> int:
        """Number of subjects."""
        return int(self.cl.size)

    @property
    def compartments(self) -> int:
        """1 or 2."""
        return 1 if self.q is None else 2

    @property
    def time_varying(self) -> bool:
        """Whether clearance changes with time (some ``emax`` is not zero)."""
        return self.emax is not None and bool(np.any(self.emax != 0.0))

    def subset(self, index: np.ndarray) -> PKParameters:
        """The parameters of the subjects ``index`` (an integer or boolean index array).

        Parameters
        ----------
        index : array_like of int or bool
            NumPy index of the subjects to keep: positions (0-based) or a boolean mask of length ``n``.

        Returns
        -------
        PKParameters
            Every parameter array indexed by ``index`` (parameters that are None stay None).

        Examples
        --------
        >>> PKParameters(cl=[0.2, 0.3], v1=3.0).subset([1]).cl.tolist()
        [0.3]
        """
        index = _validate.positions(index, "index", self.n)
        return PKParameters(**{f.name: (None if getattr(self, f.name) is None else getattr(self, f.name)[index])
                               for f in dataclasses.fields(self)})


@dataclass(frozen=True)
class Regimen:
    """A dosing history: dose times and amounts, one route.

    Parameters
    ----------
    times : tuple of float
        Dose times (days), strictly increasing.
    amounts : tuple of float
        Dose per administration (>= 0): mg, or mg/kg when ``per_kg``.
    route : str
        One of :data:`ROUTES`.
    duration : float or None
        Infusion duration (days, > 0) for ``"infusion"``; None for the other routes.
    interval : float or None
        Dosing interval (days, > 0): the length of the interval after the last dose for :func:`exposure`, and
        the interval of the steady state.  :meth:`repeated` sets it.
    per_kg : bool
        Amounts are per kg of body weight (multiplied by :attr:`PKParameters.weight`).

    Raises
    ------
    ValueError
        If times are not strictly increasing or not finite, amounts are negative or do not match the times, the
        route is unknown, an infusion has no positive duration (or another route has one), or the interval is
        not positive.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> Regimen.repeated(200.0, 21.0, 3, route="infusion", duration=0.5 / 24).times
    (0.0, 21.0, 42.0)
    """

    times: Sequence[float]
    amounts: Sequence[float]
    route: str = "bolus"
    duration: float | None = None
    interval: float | None = None
    per_kg: bool = False

    def __post_init__(self) -> None:
        times = _validate.real_array(self.times, "times", ndim=1, nonempty=True, increasing=True,
                                     max_size=MAX_DOSE_EVENTS)
        amounts = _validate.real_array(self.amounts, "amounts", ndim=1, minimum=0.0, length=times.size)
        _validate.one_of(self.route, "route", ROUTES)
        if self.route == "infusion":
            if self.duration is None:
                raise ValueError("duration (of the infusion, > 0) is required for route 'infusion'")
            object.__setattr__(self, "duration", _validate.positive(self.duration, "duration"))
        elif self.duration is not None:
            raise ValueError(f"duration applies to route 'infusion' only; got duration={self.duration!r} for "
                             f"route {self.route!r}")
        if self.interval is not None:
            object.__setattr__(self, "interval", _validate.positive(self.interval, "interval"))
        _validate.boolean(self.per_kg, "per_kg")
        object.__setattr__(self, "times", tuple(float(x) for x in times))
        object.__setattr__(self, "amounts", tuple(float(x) for x in amounts))

    @classmethod
    def repeated(cls, dose: float, interval: float, n_doses: int, *, route: str = "bolus",
                 duration: float | None = None, per_kg: bool = False, start: float = 0.0) -> Regimen:
        """``n_doses`` equal doses every ``interval`` days from ``start``.

        Parameters
        ----------
        dose : float
            Dose per administration (>= 0), mg or mg/kg.
        interval : float
            Dosing interval (days, > 0).
        n_doses : int
            Number of doses (1 to :data:`MAX_DOSE_EVENTS`).
        route, duration, per_kg
            As in :class:`Regimen`.
        start : float, default 0
            Time of the first dose.

        Returns
        -------
        Regimen

        Raises
        ------
        ValueError, TypeError
            As :class:`Regimen`, or if ``n_doses`` is not a whole number in range.

        Notes
        -----
        .. math:: t_j = t_0 + j \\tau, \\quad j = 0, \\dots, n - 1

        References
        ----------
        Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

        Examples
        --------
        >>> Regimen.repeated(2.0, 21.0, 2, per_kg=True).amounts
        (2.0, 2.0)
        """
        dose = _validate.positive(dose, "dose", allow_zero=True)
        interval = _validate.positive(interval, "interval")
        n_doses = _validate.positive_int(n_doses, "n_doses", maximum=MAX_DOSE_EVENTS)
        start = _validate.number(start, "start")
        return cls(tuple(start + interval * np.arange(n_doses)), (dose,) * n_doses, route=route,
                   duration=duration, interval=interval, per_kg=per_kg)

    @property
    def n_doses(self) -> int:
        """Number of dose events."""
        return len(self.times)

    @property
    def regular(self) -> bool:
        """Equal doses every :attr:`interval` (the condition for a steady state)."""
        if self.interval is None or len(set(self.amounts)) > 1:
            return False
        gaps = np.diff(self.times)
        return bool(np.allclose(gaps, self.interval, rtol=1e-9, atol=1e-12)) if gaps.size else True


@dataclass(frozen=True)
class VirtualPopulation:
    """A seeded virtual population: covariates, random effects and individual parameters.

    Parameters
    ----------
    model : str
        Name of the model.
    parameters : PKParameters
        Individual parameters.
    covariates : Mapping[str, ndarray]
        Covariate values of every subject (drawn, given or at reference).
    etas : ndarray
        Random effects, shape (n, number of etas).
    seed : int or None
        The seed used (None when a Generator was passed).
    n : int
        Number of subjects.
    """

    model: str
    parameters: PKParameters
    covariates: Mapping[str, np.ndarray]
    etas: np.ndarray
    seed: int | None
    n: int

    def __post_init__(self) -> None:
        _validate.text(self.model, "model")
        params = _validate.instance(self.parameters, "parameters", PKParameters)
        n = _validate.integer(self.n, "n", minimum=1, maximum=MAX_SUBJECTS)
        if params.n != n:
            raise ValueError(f"n must equal the number of subjects of parameters ({params.n}); got {n}")
        for key, value in _validate.mapping(self.covariates, "covariates").items():
            _validate.real_array(value, f"covariates[{key!r}]", ndim=1, length=n)
        etas = _validate.real_array(self.etas, "etas", ndim=2)
        if etas.shape[0] != n:
            raise ValueError(f"etas must have one row per subject ({n}); got shape {etas.shape}")
        _validate.seed(self.seed)


@dataclass(frozen=True)
class Exposure:
    """Exposure metrics of every subject over one dosing interval.

    Parameters
    ----------
    cmax : ndarray
        Highest concentration in the interval (mg/L).
    tmax : ndarray
        Time of ``cmax`` after the start of the interval (days).
    ctrough : ndarray
        Pre-dose (trough) concentration at the end of the interval, the left limit before the next dose (for IV
        routes also the lowest concentration of the interval).
    cavg : ndarray
        Average concentration, ``auc / (end - start)``.
    auc : ndarray
        AUC over the interval (mg*day/L).
    interval : int or str
        The dosing interval number (1 = after the first dose) or ``"ss"`` (steady state).
    start, end : float
        Bounds of the interval (days; for ``"ss"``: 0 and tau, times since a dose).
    """

    cmax: np.ndarray
    tmax: np.ndarray
    ctrough: np.ndarray
    cavg: np.ndarray
    auc: np.ndarray
    interval: int | str
    start: float
    end: float

    def __post_init__(self) -> None:
        n = _validate.real_array(self.cmax, "cmax", minimum=0.0, ndim=1, nonempty=True, max_size=MAX_SUBJECTS).size
        for label in ("tmax", "ctrough", "cavg", "auc"):
            _validate.real_array(getattr(self, label), label, minimum=0.0, ndim=1, length=n)
        if isinstance(self.interval, str):
            _validate.one_of(self.interval, "interval", ("ss",))
        else:
            _validate.integer(self.interval, "interval", minimum=1)
        start = _validate.number(self.start, "start")
        _validate.number(self.end, "end", minimum=start, strict_minimum=True)


@dataclass(frozen=True)
class ObservedConcentrations:
    """Concentrations with residual error.

    Parameters
    ----------
    values : ndarray
        Observed concentrations, same shape as the input.
    model : str
        The residual error model used.
    sd : float
        Its SD.
    seed : int or None
        The seed used.
    """

    values: np.ndarray
    model: str
    sd: float
    seed: int | None

    def __post_init__(self) -> None:
        _validate.real_array(self.values, "values")
        _validate.text(self.model, "model")
        _validate.positive(self.sd, "sd", allow_zero=True)
        _validate.seed(self.seed)


# ----------------------------------------------------------------------------------------------------------------
# published models
# ----------------------------------------------------------------------------------------------------------------

def _data(name: str) -> dict:
    path = resources.files("dosecourse") / "data" / f"poppk_{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def published_data(name: str) -> dict:
    """The data file of a published model (a fresh dict): parameters, sources, units and published exposures.

    Parameters
    ----------
    name : str
        One of :data:`PUBLISHED_MODELS`.

    Returns
    -------
    dict
        The parsed ``dosecourse/data/poppk_<name>.json`` (parameters in the published units).

    Raises
    ------
    ValueError
        If ``name`` is not a published model.

    Notes
    -----
    Each file records the full citation (``source``), where the numbers were transcribed from
    (``transcribed_from``), the units, and published exposure comparisons with their sources and a ``check`` flag
    (true where the course fact sheet marks the number as not yet confirmed in the primary source).

    References
    ----------
    Ahamadi et al. 2017, doi:10.1002/psp4.12139; Bajaj et al. 2017, doi:10.1002/psp4.12143.

    Examples
    --------
    >>> published_data("nivolumab_bajaj2017")["units"]["time"]
    'h'
    """
    return _data(_validate.one_of(name, "name", PUBLISHED_MODELS))


def published_model(name: str) -> PopPKModel:
    """A published population PK model, converted to days.

    Parameters
    ----------
    name : str
        One of :data:`PUBLISHED_MODELS`: ``"pembrolizumab_ahamadi2017"`` or ``"nivolumab_bajaj2017"``.

    Returns
    -------
    PopPKModel
        A frozen model; rates in 1/day and L/day, T50 in days (Bajaj 2017 is published in hours and converted:
        CL and Q x 24, T50 / 24).

    Raises
    ------
    ValueError
        If ``name`` is not a published model.
    TypeError
        If ``name`` is not a string.

    Notes
    -----
    Covariates enter as :math:`P = TV \\prod_k g_k(x_k)` with :math:`g = (x/x_{ref})^\\theta`,
    :math:`1 + \\theta (x - x_{ref})` or :math:`e^{\\theta (x - x_{ref})}`; random effects as
    :math:`P_i = P \\, e^{\\eta_i}` (additive on Emax), :math:`\\eta \\sim N(0, \\Omega)`.

    References
    ----------
    Ahamadi et al. 2017, doi:10.1002/psp4.12139; Bajaj et al. 2017, doi:10.1002/psp4.12143; transcribed from the
    nlmixr2lib model files (see the ``transcribed_from`` field of each data file).

    Examples
    --------
    >>> round(published_model("nivolumab_bajaj2017").typical["cl"], 4)   # 0.00940 L/h
    0.2256
    >>> published_model("pembrolizumab_ahamadi2017").covariate_reference["WT"]
    76.8
    """
    data = published_data(_validate.text(name, "name"))
    factor = _HOURS_TO_DAYS if data["units"]["time"] == "h" else {}
    typical = {k: float(v) * factor.get(k, 1.0) for k, v in data["typical"].items()}
    effects = tuple(CovariateEffect(e["parameter"], e["covariate"], e["form"], e["theta"])
                    for e in data["covariate_effects"])
    re = data["random_effects"]
    pop = {k: {kk: vv for kk, vv in v.items() if kk in ("distribution", "mean", "sd", "p")}
           for k, v in data.get("virtual_population", {}).items()}
    return PopPKModel(
        name=data["name"], compartments=int(data["compartments"]), typical=typical,
        covariate_reference={k: v["reference"] for k, v in data["covariates"].items()},
        covariate_effects=effects, eta_names=tuple(re["etas"]), eta_on=re["on"],
        omega=tuple(tuple(r) for r in re["omega"]), residual_model=data["residual_error"]["model"],
        residual_sd=data["residual_error"]["sd"], population=pop, source=data["source"])


# ----------------------------------------------------------------------------------------------------------------
# individual parameters and virtual populations
# ----------------------------------------------------------------------------------------------------------------

def _covariate_arrays(model: PopPKModel, covariates: Mapping[str, object] | None, n: int | None
                      ) -> tuple[dict[str, np.ndarray], int]:
    given = {} if covariates is None else dict(_validate.mapping(covariates, "covariates"))
    arrays = {}
    for name, value in given.items():
        try:
            _validate.one_of(name, "covariate", tuple(model.covariate_reference))
        except ValueError as exc:
            raise ValueError(f"{exc} (a key of covariates)") from None
        arr = _validate.real_array(value, f"covariates[{name!r}]", max_size=MAX_SUBJECTS)
        if arr.ndim > 1:
            raise ValueError(f"covariates[{name!r}] must be a number or a 1-D array; got shape {arr.shape}")
        arrays[name] = arr
    sizes = {a.size for a in arrays.values() if a.ndim == 1}
    if n is not None:
        sizes.add(n)
    if len(sizes) > 1:
        raise ValueError(f"covariate arrays (and etas) must have one value per subject; got lengths {sorted(sizes)}")
    n_out = sizes.pop() if sizes else 1
    out = {name: np.broadcast_to(arrays.get(name, ref), (n_out,)).astype(float)
           for name, ref in model.covariate_reference.items()}
    for effect in model.covariate_effects:
        if effect.form == "power" and np.any(out[effect.covariate] <= 0):
            raise ValueError(f"covariates[{effect.covariate!r}] must be > 0 (it enters a power model); got "
                             f"{out[effect.covariate][out[effect.covariate] <= 0][:5].tolist()}")
    return out, n_out


def individual_parameters(model: PopPKModel, covariates: Mapping[str, object] | None = None,
                          etas: object | None = None) -> PKParameters:
    """Individual parameters from a model, covariates and random effects.

    Parameters
    ----------
    model : PopPKModel
        The model.
    covariates : Mapping[str, array_like], optional
        Covariate values (numbers or one value per subject); covariates not given are at their reference.
    etas : array_like, optional
        Random effects, shape (n, number of etas); omitted: all zero (typical subjects).

    Returns
    -------
    PKParameters
        With ``weight`` set from covariate ``WT`` when the model has it.

    Raises
    ------
    ValueError
        If a covariate is unknown or non-positive where it enters a power model, sizes disagree, or the result
        is out of range (e.g. a proportional covariate effect making a clearance negative).
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: P_i = TV_P \\prod_k g_k(x_{ik}) \\; e^{\\eta_{i,P}}, \\qquad
              E_{max,i} = E_{max} + \\eta_{i,E_{max}}

    References
    ----------
    Mould DR, Upton RN. Basic concepts in population modeling, simulation, and model-based drug development.
    CPT Pharmacometrics Syst Pharmacol. 2012;1:e6. doi:10.1038/psp.2012.4

    Examples
    --------
    >>> m = published_model("pembrolizumab_ahamadi2017")
    >>> individual_parameters(m, {"WT": [76.8, 153.6]}).cl.round(4).tolist()
    [0.22, 0.3323]
    """
    _validate.instance(model, "model", PopPKModel)
    k = len(model.eta_names)
    eta_arr = None
    if etas is not None:
        eta_arr = _validate.real_array(etas, "etas", max_size=MAX_SUBJECTS * max(k, 1))
        if eta_arr.ndim == 1 and k:
            eta_arr = eta_arr.reshape(1, -1) if eta_arr.size == k else eta_arr
        if eta_arr.ndim != 2 or eta_arr.shape[1] != k:
            raise ValueError(f"etas must have shape (n, {k}) (one column per eta {model.eta_names}); got shape "
                             f"{eta_arr.shape}")
    cov, n = _covariate_arrays(model, covariates, None if eta_arr is None else eta_arr.shape[0])
    values: dict[str, np.ndarray] = {}
    for param, tv in model.typical.items():
        value = np.full(n, tv)
        for effect in model.covariate_effects:
            if effect.parameter != param:
                continue
            x, ref = cov[effect.covariate], model.covariate_reference[effect.covariate]
            if effect.form == "power":
                value = value * (x / ref) ** effect.theta
            elif effect.form == "proportional":
                value = value * (1.0 + effect.theta * (x - ref))
            else:
                value = value * np.exp(effect.theta * (x - ref))
        if eta_arr is not None and param in model.eta_on:
            eta = eta_arr[:, model.eta_on[param]]
            value = value + eta if param == "emax" else value * np.exp(eta)
        values[param] = value
    weight = cov.get("WT")
    return PKParameters(weight=weight, **values)


def _draw_covariate(spec: Mapping, n: int, gen: np.random.Generator) -> np.ndarray:
    if spec["distribution"] == "bernoulli":
        return (gen.random(n) < spec["p"]).astype(float)
    mean, sd = spec["mean"], spec["sd"]
    sigma2 = math.log1p((sd / mean) ** 2)
    return mean * np.exp(math.sqrt(sigma2) * gen.standard_normal(n) - 0.5 * sigma2)


def simulate_population(model: PopPKModel, n: int, *,
                        seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                        covariates: Mapping[str, object] | None = None,
                        population: Mapping[str, Mapping] | None = None, iiv: bool = True) -> VirtualPopulation:
    """A seeded virtual population of ``n`` subjects.

    Parameters
    ----------
    model : PopPKModel
        The model.
    n : int
        Number of subjects (1 to :data:`MAX_SUBJECTS`).
    seed : int, Generator or None, default 2025
        Random seed (see :func:`dosecourse._validate.rng`).
    covariates : Mapping[str, array_like], optional
        Covariates given (a number or one value per subject); they are not drawn.
    population : Mapping[str, Mapping], optional
        Covariate distributions replacing the model's :attr:`PopPKModel.population`: ``{"WT": {"distribution":
        "lognormal", "mean": 80, "sd": 20}}`` or ``{"distribution": "bernoulli", "p": 0.6}``.  Covariates
        neither given nor in a distribution stay at their reference value.
    iiv : bool, default True
        Draw random effects (False: all etas zero, only covariates vary).

    Returns
    -------
    VirtualPopulation

    Raises
    ------
    ValueError
        If ``n`` is out of range, a covariate or distribution is invalid.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Draw order: covariates in the order of the distributions, then the etas
    :math:`\\eta = Z L^T`, :math:`Z \\sim N(0, I)`, :math:`L L^T = \\Omega` (symmetric square root, so that zero
    variances are allowed).  A log-normal covariate with mean m and SD s has
    :math:`\\log x \\sim N(\\log m - \\sigma^2/2, \\sigma^2)`, :math:`\\sigma^2 = \\log(1 + s^2/m^2)`.

    References
    ----------
    Mould DR, Upton RN. CPT Pharmacometrics Syst Pharmacol. 2012;1:e6. doi:10.1038/psp.2012.4

    Examples
    --------
    >>> pop = simulate_population(published_model("pembrolizumab_ahamadi2017"), 1000, seed=1)
    >>> pop.n, pop.seed
    (1000, 1)
    """
    _validate.instance(model, "model", PopPKModel)
    n = _validate.positive_int(n, "n", maximum=MAX_SUBJECTS)
    _validate.boolean(iiv, "iiv")
    gen, used = _validate.rng(seed)
    given = {} if covariates is None else dict(_validate.mapping(covariates, "covariates"))
    if population is None:
        specs = dict(model.population)
    else:
        specs = {}
        for cov, spec in _validate.mapping(population, "population").items():
            _validate.one_of(cov, "covariate of population", tuple(model.covariate_reference))
            specs[cov] = _distribution(spec, f"population[{cov!r}]")
    drawn = dict(given)
    for cov, spec in specs.items():
        if cov not in given:
            drawn[cov] = _draw_covariate(spec, n, gen)
    cov_arrays, _ = _covariate_arrays(model, drawn, n)
    k = len(model.eta_names)
    if iiv and k:
        w, v = np.linalg.eigh(model.omega_matrix)
        root = v * np.sqrt(np.clip(w, 0.0, None))
        etas = gen.standard_normal((n, k)) @ root.T
    else:
        etas = np.zeros((n, k))
    params = individual_parameters(model, cov_arrays, etas if k else None)
    if not k:
        params = PKParameters(**{f.name: (None if getattr(params, f.name) is None
                                          else np.broadcast_to(getattr(params, f.name), (n,)))
                                 for f in dataclasses.fields(params)})
    for arr in cov_arrays.values():
        arr.setflags(write=False)
    etas.setflags(write=False)
    return VirtualPopulation(model=model.name, parameters=params, covariates=MappingProxyType(cov_arrays),
                             etas=etas, seed=used, n=n)


def add_residual_error(conc: object, model: PopPKModel, *,
                       seed: int | np.random.Generator | None = _validate.DEFAULT_SEED) -> ObservedConcentrations:
    """Concentrations with the model's residual error.

    Parameters
    ----------
    conc : array_like
        Predicted concentrations (>= 0), any shape (at most :data:`MAX_WORK` values).
    model : PopPKModel
        Gives :attr:`PopPKModel.residual_model` and :attr:`PopPKModel.residual_sd`.
    seed : int, Generator or None, default 2025
        Random seed.

    Returns
    -------
    ObservedConcentrations

    Raises
    ------
    ValueError
        If a concentration is negative or not finite.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Proportional: :math:`Y = C (1 + \\varepsilon)`; exponential: :math:`Y = C e^{\\varepsilon}`;
    :math:`\\varepsilon \\sim N(0, \\sigma^2)`.  A proportional error can give a negative value for a large
    negative draw (probability :math:`\\Phi(-1/\\sigma)`), as the model says; it is not clipped.

    References
    ----------
    Mould DR, Upton RN. Basic concepts in population modeling, simulation, and model-based drug development.
    CPT Pharmacometrics Syst Pharmacol. 2012;1:e6. doi:10.1038/psp.2012.4 (residual error models)

    Examples
    --------
    >>> m = published_model("pembrolizumab_ahamadi2017")
    >>> obs = add_residual_error([0.0, 10.0], m, seed=1)
    >>> float(obs.values[0]), obs.seed
    (0.0, 1)
    """
    values = _validate.real_array(conc, "conc", minimum=0.0, max_size=MAX_WORK)
    _validate.instance(model, "model", PopPKModel)
    gen, used = _validate.rng(seed)
    eps = model.residual_sd * gen.standard_normal(values.shape)
    out = values * (1.0 + eps) if model.residual_model == "proportional" else values * np.exp(eps)
    return ObservedConcentrations(values=out, model=model.residual_model, sd=model.residual_sd, seed=used)


# ----------------------------------------------------------------------------------------------------------------
# analytic solutions
# ----------------------------------------------------------------------------------------------------------------

def _modes(p: PKParameters) -> list[tuple[np.ndarray, np.ndarray]]:
    """Coefficients a_i (1/L) and rates lambda_i (1/day) of the central unit impulse response, as (n, 1) arrays.

    Two compartments: alpha, beta are the roots of x^2 - (k10 + k12 + k21) x + k10 k21, computed without
    cancellation: disc^2 = (k10 - k21)^2 + k12 (k12 + 2 k10 + 2 k21), beta = k10 k21 / alpha, and
    a_alpha = (alpha - k21) / (V1 disc), a_beta = (k21 - beta) / (V1 disc) with (alpha - k21)(k21 - beta) = k12 k21.
    """
    v1 = p.v1[:, None]
    k10 = p.cl[:, None] / v1
    if p.q is None:
        return [(1.0 / v1, k10)]
    k12 = p.q[:, None] / v1
    k21 = p.q[:, None] / p.v2[:, None]
    disc = np.sqrt((k10 - k21) ** 2 + k12 * (k12 + 2.0 * k10 + 2.0 * k21))
    alpha = 0.5 * (k10 + k12 + k21 + disc)
    beta = k10 * k21 / alpha
    d = k10 + k12 - k21
    u_direct = 0.5 * (d + disc)          # alpha - k21, stable when d >= 0
    w_direct = 0.5 * (disc - d)          # k21 - beta, stable when d < 0
    u = np.where(d >= 0, u_direct, k12 * k21 / np.where(d >= 0, 1.0, w_direct))
    w = np.where(d >= 0, k12 * k21 / np.where(d >= 0, u_direct, 1.0), w_direct)
    return [(u / (v1 * disc), alpha), (w / (v1 * disc), beta)]


def _amounts(p: PKParameters, regimen: Regimen) -> np.ndarray:
    """Dose amounts per subject, shape (n, n_doses)."""
    amounts = np.asarray(regimen.amounts, dtype=float)[None, :]
    if regimen.per_kg:
        if p.weight is None:
            raise ValueError("a per-kg regimen needs the subjects' body weight (PKParameters.weight)")
        return p.weight[:, None] * amounts
    return np.broadcast_to(amounts, (p.n, amounts.shape[1]))


def _check_route(p: PKParameters, regimen: Regimen) -> None:
    if regimen.route == "oral" and p.ka is None:
        raise ValueError("route 'oral' needs the absorption rate constant ka (> 0)")


def _unit(route: str, a: np.ndarray, lam: np.ndarray, s: np.ndarray, ka: np.ndarray | None, f: np.ndarray | None,
          duration: float | None, cumulative: bool) -> np.ndarray:
    """Concentration (or its integral from the dose time) of one mode after a unit dose, s = time since dose >= 0.

    ``a``, ``lam``, ``ka``, ``f`` broadcast against ``s``.
    """
    if route == "bolus":
        return a / lam * _decay(lam * s) if cumulative else a * np.exp(-lam * s)
    if route == "infusion":
        T = duration
        m = np.minimum(s, T)
        if not cumulative:
            return a / (lam * T) * _decay(lam * m) * np.exp(-lam * (s - m))
        return a / (lam * lam * T) * (_xm1e(lam * m) + _decay(lam * T) * _decay(lam * (s - m)))
    absorbed_now = f * ka * s * _ediff(lam * s, ka * s)   # mode "amount" x(s) after a unit oral dose
    if not cumulative:
        return a * absorbed_now
    return a / lam * (f * _decay(ka * s) - absorbed_now)


_BLOCK_ELEMENTS = 2_000_000  # subjects x times x doses evaluated at once by the general superposition


def _superpose(p: PKParameters, regimen: Regimen, t: np.ndarray, *, cumulative: bool = False) -> np.ndarray:
    """Sum over doses of the closed forms; t has shape (1, m) (shared, sorted) or (n, m) (per subject).

    Right-continuous: a bolus given at t counts at t.  (A trough is computed with the doses before it only.)
    """
    modes = _modes(p)
    amounts = _amounts(p, regimen)
    if t.shape[0] == 1 and not cumulative and regimen.route != "oral":
        return _superpose_iv(modes, amounts, regimen, t[0])
    dose_t = np.asarray(regimen.times)
    used = int(np.searchsorted(dose_t, float(t.max()), side="right"))  # later doses contribute nothing
    out = np.zeros((p.n, t.shape[1]))
    if used == 0:
        return out
    ka = None if p.ka is None else p.ka[:, None, None]
    f = p.f[:, None, None]
    block = max(1, _BLOCK_ELEMENTS // max(1, p.n * t.shape[1]))
    for k0 in range(0, used, block):
        k1 = min(used, k0 + block)
        s = t[:, :, None] - dose_t[None, None, k0:k1]
        active = s >= 0
        sp = np.maximum(s, 0.0)
        unit = sum(_unit(regimen.route, a[:, :, None], lam[:, :, None], sp, ka, f, regimen.duration, cumulative)
                   for a, lam in modes)
        out += np.einsum("nmb,nb->nm", np.where(active, unit, 0.0), amounts[:, k0:k1])
    return out


def _superpose_iv(modes: list, amounts: np.ndarray, regimen: Regimen, t: np.ndarray) -> np.ndarray:
    """Fast path of :func:`_superpose` for IV routes at shared sorted times: one exponential per element and mode.

    Once a bolus is given, or an infusion has ended (its "post" time p_j), dose j adds ``c_j * exp(-lambda (t -
    p_j))`` to each mode.  Between consecutive post times p_k <= t < p_{k+1} the sum over finished doses is
    ``S_k * exp(-lambda (t - p_k))`` with ``S_k = S_{k-1} exp(-lambda (p_k - p_{k-1})) + c_k`` (the same
    superposition, carried forward by exact decay factors).  Times during an infusion add its closed form.
    """
    n, m = amounts.shape[0], t.size
    out = np.zeros((n, m))
    buf = np.empty((n, m))
    doses = np.asarray(regimen.times)
    if regimen.route == "infusion":
        T = regimen.duration
        post = doses + T
        for j, tj in enumerate(doses):  # during the infusions
            lo, hi = int(np.searchsorted(t, tj)), int(np.searchsorted(t, tj + T))
            if hi > lo:
                s = t[None, lo:hi] - tj
                out[:, lo:hi] += amounts[:, j:j + 1] * sum(a / (lam * T) * _decay(lam * s) for a, lam in modes)
    else:
        post = doses
    first = np.searchsorted(t, post)
    last = np.append(first[1:], m)
    for a, lam in modes:
        a1, lam1 = a[:, 0], lam[:, 0]
        c = a1 if regimen.route == "bolus" else a1 / (lam1 * regimen.duration) * _decay(lam1 * regimen.duration)
        S = np.zeros(n)
        for k in range(post.size):
            if first[k] == m:
                break
            if k:
                S *= np.exp(-lam1 * (post[k] - post[k - 1]))
            S += amounts[:, k] * c
            lo, hi = int(first[k]), int(last[k])
            if hi > lo:
                view = buf[:, : hi - lo]
                np.multiply(lam, (post[k] - t[lo:hi])[None, :], out=view)
                np.exp(view, out=view)
                view *= S[:, None]
                out[:, lo:hi] += view
    return out


def _steady_state(p: PKParameters, regimen: Regimen, tp: np.ndarray) -> np.ndarray:
    """Steady-state concentration at times tp in [0, tau] since the latest dose (tp = tau: the pre-dose trough)."""
    tau = regimen.interval
    dose = _amounts(p, regimen)[:, :1]
    out = 0.0
    for a, lam in _modes(p):
        acc = _decay(lam * tau)
        if regimen.route == "bolus":
            term = a * np.exp(-lam * tp) / acc
        elif regimen.route == "infusion":
            T = regimen.duration
            during = _decay(lam * tp) + _decay(lam * T) * np.exp(-lam * (np.maximum(tp, 0.0) + tau - T)) / acc
            after = _decay(lam * T) * np.exp(-lam * np.maximum(tp - T, 0.0)) / acc
            term = a / (lam * T) * np.where(tp < T, during, after)
        else:
            ka, f = p.ka[:, None], p.f[:, None]
            series = (tp * _ediff(lam * tp, ka * tp)
                      + (tau - tp) * _ediff(lam * tp + ka * tau, ka * tp + lam * tau)) / (acc * _decay(ka * tau))
            term = f * ka * a * series
        out = out + term
    return dose * out


def _asymptotic(p: PKParameters) -> PKParameters:
    """Time-varying clearance replaced by its limit CL0 exp(Emax) (the steady state of a long treatment)."""
    if not p.time_varying:
        return p
    return dataclasses.replace(p, cl=p.cl * np.exp(p.emax), emax=None, t50=None, hill=None)


# ----------------------------------------------------------------------------------------------------------------
# numerical solution (time-varying clearance, or on request)
# ----------------------------------------------------------------------------------------------------------------

_ODE_BLOCK = 1024  # subjects integrated together (larger stacked systems run slower per step)


def _ode(p: PKParameters, regimen: Regimen, times: np.ndarray, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """Concentrations and cumulative AUC at sorted shared ``times`` (right-continuous).

    Subjects are integrated as stacked systems of up to ``_ODE_BLOCK`` subjects (see :func:`_ode_block`).
    """
    if p.n <= _ODE_BLOCK:
        return _ode_block(p, regimen, times, rtol)
    parts = [_ode_block(p.subset(np.arange(i, min(i + _ODE_BLOCK, p.n))), regimen, times, rtol)
             for i in range(0, p.n, _ODE_BLOCK)]
    return np.concatenate([c for c, _ in parts]), np.concatenate([a for _, a in parts])


def _ode_block(p: PKParameters, regimen: Regimen, times: np.ndarray, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """Concentrations and cumulative AUC of a block of subjects, integrated together.

    States per subject: depot, central, peripheral amounts and the running AUC; CL(t) = CL0 exp(Emax t^h /
    (T50^h + t^h)) with t since the first dose.  Integrated with solve_ivp (DOP853) between consecutive dosing
    events (dose times and infusion ends), boluses added as jumps.
    """
    n = p.n
    amounts = _amounts(p, regimen)
    dose_t = np.asarray(regimen.times)
    t0 = dose_t[0]
    route, T = regimen.route, regimen.duration
    v1 = p.v1
    q = np.zeros(n) if p.q is None else p.q
    v2 = np.ones(n) if p.v2 is None else p.v2
    ka = np.zeros(n) if p.ka is None else p.ka
    f = p.f
    cl0 = p.cl
    tv = p.time_varying
    emax = p.emax if tv else None
    t50, hill = (p.t50, p.hill) if tv else (None, None)
    events = set(dose_t.tolist())
    if route == "infusion":
        events |= set((dose_t + T).tolist())
    t_end = float(times.max())
    bps = sorted(b for b in events if b <= t_end) or [t0]
    conc = np.zeros((n, times.size))
    cum = np.zeros((n, times.size))
    y = np.zeros((4, n))
    scale = max(1.0, float(amounts.max()))
    atol = rtol * 1e-4 * scale

    def rhs(tt: float, yflat: np.ndarray, rate: np.ndarray) -> np.ndarray:
        yy = yflat.reshape(4, n)
        cl = cl0
        if tv:
            el = tt - t0
            frac = 0.0 if el <= 0 else 1.0 / (1.0 + (t50 / el) ** hill)
            cl = cl0 * np.exp(emax * frac)
        c = yy[1] / v1
        out = np.empty_like(yy)
        out[0] = -ka * yy[0]
        out[1] = ka * yy[0] + rate - cl * c - q * c + q * yy[2] / v2
        out[2] = q * c - q * yy[2] / v2
        out[3] = c
        return out.ravel()

    for k, b in enumerate(bps):
        hit = np.isclose(dose_t, b, rtol=0, atol=1e-12)
        if route in ("bolus", "oral") and hit.any():
            j = int(np.argmax(hit))
            if route == "bolus":
                y[1] += amounts[:, j]
            else:
                y[0] += f * amounts[:, j]
        last = k + 1 == len(bps)
        b_next = t_end if last else bps[k + 1]
        sel = (times >= b) & ((times <= b_next) if last else (times < b_next))
        if route == "infusion":
            on = (dose_t <= b + 1e-12) & (dose_t + T > b + 1e-12)
            rate = (amounts[:, on] / T).sum(axis=1)
        else:
            rate = np.zeros(n)
        if b_next <= b:
            conc[:, sel] = (y[1] / v1)[:, None]
            cum[:, sel] = y[3][:, None]
            continue
        t_eval = times[sel]
        n_out = t_eval.size
        if n_out == 0 or t_eval[-1] < b_next:
            t_eval = np.append(t_eval, b_next)  # the state at the end of the segment starts the next one
        sol = solve_ivp(rhs, (b, b_next), y.ravel(), method="DOP853", t_eval=t_eval, rtol=rtol, atol=atol,
                        args=(rate,))
        if not sol.success:  # pragma: no cover - DOP853 on this linear system does not fail
            raise RuntimeError(f"solve_ivp failed between t={b} and t={b_next}: {sol.message}")
        ys = sol.y.reshape(4, n, -1)
        conc[:, sel] = ys[1, :, :n_out] / v1[:, None]
        cum[:, sel] = ys[3, :, :n_out]
        y = ys[:, :, -1].copy()
    return conc, cum


# ----------------------------------------------------------------------------------------------------------------
# public computations
# ----------------------------------------------------------------------------------------------------------------

def _check_work(n: int, m: int, n_doses: int) -> None:
    work = n * m * max(n_doses, 1)
    if work > MAX_WORK:
        raise ValueError(f"subjects x times x doses may be at most {MAX_WORK:,} (a few seconds of work); got "
                         f"{n:,} x {m:,} x {n_doses:,} = {work:,}")


def _method(p: PKParameters, method: str) -> str:
    _validate.one_of(method, "method", ("auto", "analytic", "ode"))
    if method == "analytic" and p.time_varying:
        raise ValueError("method 'analytic' has no closed form for time-varying clearance; use 'ode' or 'auto'")
    return "ode" if method == "ode" or (method == "auto" and p.time_varying) else "analytic"


def _rtol(rtol: float) -> float:
    return _validate.number(rtol, "rtol", minimum=1e-13, maximum=1e-3)


def concentrations(params: PKParameters, regimen: Regimen, times: object, *, steady_state: bool = False,
                   method: str = "auto", rtol: float = 1e-8) -> np.ndarray:
    """Central concentrations of every subject at ``times``.

    Parameters
    ----------
    params : PKParameters
        Individual parameters of n subjects.
    regimen : Regimen
        Dosing history.
    times : array_like
        Times (days), 1-D; before the first dose the concentration is 0.  At a bolus time the value includes
        that dose (right-continuous).
    steady_state : bool, default False
        Return the steady state of ``regimen`` (which must be :attr:`Regimen.regular`): periodic with period
        ``regimen.interval``, phase given by the first dose time.  With time-varying clearance the steady state
        uses the limiting clearance :math:`CL_0 e^{E_{max}}`.
    method : {"auto", "analytic", "ode"}, default "auto"
        ``"analytic"``: superposition of closed forms; ``"ode"``: numerical integration (solve_ivp, DOP853);
        ``"auto"``: analytic unless clearance varies with time.
    rtol : float, default 1e-8
        Relative tolerance of the ODE solver (``atol = 1e-4 * rtol * largest dose``).

    Returns
    -------
    ndarray
        Shape (n, len(times)), mg/L.

    Raises
    ------
    ValueError
        If the regimen does not fit the parameters (oral without ``ka``, per kg without weight), steady state is
        asked of an irregular regimen or an infusion longer than the interval, ``method="analytic"`` with
        time-varying clearance, or the work exceeds :data:`MAX_WORK`.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With :math:`t_j, D_j` the dose times and amounts and the unit impulse response
    :math:`\\sum_i a_i e^{-\\lambda_i t}`:

    .. math::

        C(t) = \\sum_{j: t_j \\le t} D_j \\sum_i a_i\\, u_i(t - t_j), \\qquad
        u_i^{bolus}(s) = e^{-\\lambda_i s}, \\quad
        u_i^{inf}(s) = \\frac{(1 - e^{-\\lambda_i \\min(s,T)})\\, e^{-\\lambda_i (s - \\min(s, T))}}{\\lambda_i T},
        \\quad u_i^{oral}(s) = F k_a \\frac{e^{-\\lambda_i s} - e^{-k_a s}}{k_a - \\lambda_i}

    (the last evaluated as :math:`F k_a\\, s\\, e^{-\\min(\\lambda_i, k_a) s}\\, \\phi(|k_a - \\lambda_i| s)`,
    :math:`\\phi(x) = (1 - e^{-x})/x`, exact also at :math:`k_a = \\lambda_i`).  At steady state, with
    :math:`t'` the time since the latest dose, the series over past doses sums to e.g.
    :math:`a_i e^{-\\lambda_i t'}/(1 - e^{-\\lambda_i \\tau})` for a bolus.

    References
    ----------
    Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis. 5th ed. 2016.

    Examples
    --------
    >>> p = PKParameters(cl=2.0, v1=20.0)
    >>> concentrations(p, Regimen((0.0,), (100.0,)), [0.0, 10.0]).round(3).tolist()
    [[5.0, 1.839]]
    """
    _validate.instance(params, "params", PKParameters)
    _validate.instance(regimen, "regimen", Regimen)
    tt = _validate.real_array(times, "times", ndim=1, nonempty=True, max_size=_validate.MAX_GRID)
    _validate.boolean(steady_state, "steady_state")
    rtol = _rtol(rtol)
    _check_route(params, regimen)
    order = np.argsort(tt, kind="stable")
    ts = tt[order]
    if steady_state:
        _check_steady_state(regimen)
        _check_work(params.n, ts.size, 1)
        tp = np.mod(ts - regimen.times[0], regimen.interval)[None, :]
        out = _steady_state(_asymptotic(params), regimen, tp)
    elif _method(params, method) == "ode":
        _check_work(params.n, ts.size, 1)
        out, _ = _ode(params, regimen, ts, _rtol(rtol))
    else:
        _check_work(params.n, ts.size, regimen.n_doses)
        out = _superpose(params, regimen, ts[None, :])
    result = np.empty_like(out)
    result[:, order] = out
    return result


def _check_steady_state(regimen: Regimen) -> None:
    if not regimen.regular:
        raise ValueError("a steady state needs a regular regimen (equal doses every regimen.interval); use "
                         "Regimen.repeated")
    if regimen.route == "infusion" and regimen.duration > regimen.interval:
        raise ValueError(f"duration must not exceed the interval at steady state; got {regimen.duration} > "
                         f"{regimen.interval}")


def _bounds(value: object, name: str, n: int) -> np.ndarray:
    arr = _validate.real_array(value, name, max_size=MAX_SUBJECTS)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size not in (1, n)):
        raise ValueError(f"{name} must be a number or one value per subject ({n}); got shape {arr.shape}")
    return np.broadcast_to(arr.reshape(-1), (n,)).astype(float)


def auc(params: PKParameters, regimen: Regimen, start: object, end: object, *, method: str = "auto",
        rtol: float = 1e-8) -> np.ndarray:
    """Area under the concentration curve from ``start`` to ``end`` (exact, by the analytic integral).

    Parameters
    ----------
    params : PKParameters
        Individual parameters of n subjects.
    regimen : Regimen
        Dosing history (doses after ``end`` do not count).
    start, end : float or array_like
        Bounds (days): numbers, or one value per subject (e.g. the time of each subject's event); ``end >=
        start``.
    method : {"auto", "analytic", "ode"}, default "auto"
        As in :func:`concentrations` (``"ode"`` needs common bounds).
    rtol : float, default 1e-8
        ODE tolerance.

    Returns
    -------
    ndarray
        Shape (n,), mg*day/L.

    Raises
    ------
    ValueError
        If ``end < start``, sizes do not match, or as :func:`concentrations`.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: AUC_{a}^{b} = \\sum_j D_j \\sum_i a_i [U_i(b - t_j) - U_i(a - t_j)], \\quad
              U_i^{bolus}(s) = \\frac{1 - e^{-\\lambda_i s}}{\\lambda_i}, \\quad
              U_i^{oral}(s) = \\frac{F(1 - e^{-k_a s}) - x_i(s)}{\\lambda_i}

    with :math:`U_i(s) = 0` for :math:`s \\le 0` and :math:`x_i(s) = F k_a (e^{-\\lambda_i s} - e^{-k_a s})/(k_a
    - \\lambda_i)` (mass balance of each mode); the infusion form is in the source.

    References
    ----------
    Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis. 5th ed. 2016.

    Examples
    --------
    >>> p = PKParameters(cl=2.0, v1=20.0)
    >>> auc(p, Regimen((0.0,), (100.0,)), 0.0, 1e4).round(6).tolist()   # F * Dose / CL
    [50.0]
    """
    _validate.instance(params, "params", PKParameters)
    _validate.instance(regimen, "regimen", Regimen)
    _check_route(params, regimen)
    rtol = _rtol(rtol)
    a = _bounds(start, "start", params.n)
    b = _bounds(end, "end", params.n)
    if np.any(b < a):
        raise ValueError(f"end must be >= start; got start={a[b < a][:3].tolist()}, end={b[b < a][:3].tolist()}")
    if _method(params, method) == "ode":
        if np.ptp(a) > 0 or np.ptp(b) > 0:
            raise ValueError("method 'ode' needs the same start and end for every subject")
        _, cum = _ode(params, regimen, np.array([a[0], b[0]]) if b[0] > a[0] else np.array([a[0]]), _rtol(rtol))
        return cum[:, -1] - cum[:, 0]
    _check_work(params.n, 2, regimen.n_doses)
    ends = _superpose(params, regimen, np.stack([a, b], axis=1), cumulative=True)
    return ends[:, 1] - ends[:, 0]


def _golden_max(fun, lo: np.ndarray, hi: np.ndarray, iterations: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised golden-section search for the maximum of ``fun`` on [lo, hi], one bracket per subject."""
    g = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = lo.copy(), hi.copy()
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = fun(c), fun(d)
    for _ in range(iterations):
        left = fc >= fd                      # the maximum lies in [a, d]: drop (d, b]; else drop [a, c)
        a, b = np.where(left, a, c), np.where(left, d, b)
        c_next = np.where(left, b - g * (b - a), d)
        d_next = np.where(left, c, a + g * (b - a))
        f_new = fun(np.where(left, c_next, d_next))   # one new evaluation per subject
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
        c, d = c_next, d_next
    x = np.where(fc >= fd, c, d)
    return x, np.maximum(fc, fd)


def exposure(params: PKParameters, regimen: Regimen, interval: int | str = 1, *, method: str = "auto",
             rtol: float = 1e-8, grid: int = 256) -> Exposure:
    """Cmax, tmax, trough, Cavg and AUC over one dosing interval, for every subject.

    Parameters
    ----------
    params : PKParameters
        Individual parameters of n subjects.
    regimen : Regimen
        Dosing history.
    interval : int or "ss", default 1
        Dosing interval number k (from dose k to dose k+1; after the last dose the interval is
        ``regimen.interval`` long), or ``"ss"`` for the steady state of a regular regimen (with time-varying
        clearance: under the limiting clearance :math:`CL_0 e^{E_{max}}`).
    method : {"auto", "analytic", "ode"}, default "auto"
        As in :func:`concentrations`.
    rtol : float, default 1e-8
        ODE tolerance.
    grid : int, default 256
        Grid points for locating Cmax (16 to 10,000).  Analytic: the grid maximum is refined by a golden-section
        search (48 steps) inside the part of the interval that can hold the maximum (for a bolus: the dose time;
        for an infusion: up to the end of the last infusion; for absorption: the whole interval) and compared
        with the special points (dose and infusion-end times), so Cmax is exact to rounding; ODE: the maximum
        over a grid of ``4 * grid`` points plus the special points.

    Returns
    -------
    Exposure

    Raises
    ------
    ValueError
        If ``interval`` is out of range, the last interval has no ``regimen.interval``, or as
        :func:`concentrations`.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: C_{avg} = \\frac{AUC_{t_k}^{t_k + \\tau}}{\\tau}, \\qquad
              AUC_{ss,\\tau} = \\frac{F \\cdot D}{CL}, \\qquad C_{avg,ss} = \\frac{F \\cdot D}{CL \\cdot \\tau}

    The steady-state AUC over one interval equals the single-dose AUC to infinity (linear PK).

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> m = published_model("pembrolizumab_ahamadi2017")
    >>> reg = Regimen.repeated(200.0, 21.0, 8, route="infusion", duration=0.5 / 24)
    >>> round(float(exposure(individual_parameters(m), reg, "ss").cavg[0]), 2)   # 200 / (0.22 * 21)
    43.29
    """
    _validate.instance(params, "params", PKParameters)
    _validate.instance(regimen, "regimen", Regimen)
    _check_route(params, regimen)
    grid = _validate.integer(grid, "grid", minimum=16, maximum=10_000)
    n = params.n
    rtol = _rtol(rtol)
    if isinstance(interval, str):
        _validate.one_of(interval, "interval", ("ss",))
        _check_steady_state(regimen)
        return _exposure_ss(_asymptotic(params), regimen, grid)
    k = _validate.integer(interval, "interval", minimum=1, maximum=regimen.n_doses)
    start = regimen.times[k - 1]
    if k < regimen.n_doses:
        end = regimen.times[k]
    elif regimen.interval is None:
        raise ValueError("the interval after the last dose needs regimen.interval (its length)")
    else:
        end = start + regimen.interval
    before_end = Regimen(regimen.times[:k], regimen.amounts[:k], route=regimen.route, duration=regimen.duration,
                         interval=regimen.interval, per_kg=regimen.per_kg)  # doses before `end` only
    special = [start, end]
    if regimen.route == "infusion":
        special += [tj + regimen.duration for tj in regimen.times[:k] if start < tj + regimen.duration < end]
    if _method(params, method) == "ode":
        _check_work(n, 4 * grid + len(special), 1)
        pts = np.unique(np.concatenate([np.linspace(start, end, 4 * grid), special]))
        conc, cum = _ode(params, before_end, pts, _rtol(rtol))
        i = np.argmax(conc, axis=1)
        cmax, tmax = conc[np.arange(n), i], pts[i] - start
        area = cum[:, -1] - cum[:, 0]
        trough = conc[:, -1]
    else:
        _check_work(n, grid + len(special), k)
        window = _search_window(regimen, before_end.times, start, end)
        if window == start:  # bolus: every term decays after the dose, the maximum is at the dose
            cmax, tmax = _superpose(params, before_end, np.array([[start]]))[:, 0], np.zeros(n)
        else:
            pts = np.unique(np.concatenate([np.linspace(start, window, grid),
                                            [s for s in special if s <= window]]))
            conc = _superpose(params, before_end, pts[None, :])
            cmax, tmax = _refine_max(lambda x: _superpose(params, before_end, x), pts, conc, start)
        trough = _superpose(params, before_end, np.array([[end]]))[:, 0]
        ends = _superpose(params, before_end, np.array([[start, end]]), cumulative=True)
        area = ends[:, 1] - ends[:, 0]
    tau = end - start
    return Exposure(cmax=cmax, tmax=tmax, ctrough=trough, cavg=area / tau, auc=area, interval=k, start=start,
                    end=end)


def _search_window(regimen: Regimen, times: Sequence[float], start: float, end: float) -> float:
    """End of the part of [start, end] that can hold Cmax.

    Every mode of the unit response is a positive decaying exponential once no drug is entering, so after a bolus
    and after the last infusion running in the interval has ended the concentration only falls: Cmax lies in
    [start, that end].  With first-order absorption the whole interval is searched.
    """
    if regimen.route == "oral":
        return end
    if regimen.route == "bolus":
        return start
    return min(end, max(tj + regimen.duration for tj in times))


def _refine_max(fun, pts: np.ndarray, conc: np.ndarray, start: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid maximum refined by golden section inside the neighbouring grid cells."""
    n = conc.shape[0]
    i = np.argmax(conc, axis=1)
    best, tbest = conc[np.arange(n), i], pts[i]
    lo = pts[np.maximum(i - 1, 0)]
    hi = pts[np.minimum(i + 1, pts.size - 1)]
    x, fx = _golden_max(lambda z: fun(z[:, None])[:, 0], lo.astype(float), hi.astype(float))
    better = fx > best
    return np.where(better, fx, best), np.where(better, x, tbest) - start


def _exposure_ss(p: PKParameters, regimen: Regimen, grid: int) -> Exposure:
    _check_work(p.n, grid + 3, 1)
    tau = regimen.interval
    window = _search_window(regimen, (0.0,), 0.0, tau)
    if window == 0.0:
        cmax, tmax = _steady_state(p, regimen, np.zeros((1, 1)))[:, 0], np.zeros(p.n)
    else:
        pts = np.unique(np.concatenate([np.linspace(0.0, window, grid), [window]]))
        conc = _steady_state(p, regimen, pts[None, :])
        cmax, tmax = _refine_max(lambda x: _steady_state(p, regimen, x), pts, conc, 0.0)
    trough = _steady_state(p, regimen, np.array([[tau]]))[:, 0]
    f = p.f if regimen.route == "oral" else 1.0
    area = f * _amounts(p, regimen)[:, 0] / p.cl
    return Exposure(cmax=cmax, tmax=tmax, ctrough=trough, cavg=area / tau, auc=area, interval="ss", start=0.0,
                    end=tau)


def compare_regimens(model: PopPKModel, regimens: Mapping[str, Regimen], *, n: int = 1000,
                     interval: int | str = "ss", statistic: str = "mean",
                     seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                     covariates: Mapping[str, object] | None = None, lang: str = "en") -> pd.DataFrame:
    """Population exposure of several regimens in one seeded virtual population.

    Parameters
    ----------
    model : PopPKModel
        The model.
    regimens : Mapping[str, Regimen]
        Regimens by label (1 to 20).
    n : int, default 1000
        Virtual patients (the same for every regimen).
    interval : int or "ss", default "ss"
        Dosing interval, as in :func:`exposure`.
    statistic : {"mean", "median"}, default "mean"
        Summary over patients.
    seed : int, Generator or None, default 2025
        Random seed of the population.
    covariates : Mapping, optional
        Covariates given to :func:`simulate_population`.
    lang : {"en", "zh-tw"}, default "en"
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
        One row per regimen: Cmax, trough, Cavg (mg/L) and AUC over the interval (mg*day/L).

    Raises
    ------
    ValueError
        If an argument is out of range.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Each regimen is applied to the same subjects, so differences between rows are differences between regimens,
    not between samples.

    References
    ----------
    Freshwater T, et al. Evaluation of dosing strategy for pembrolizumab for oncology indications. J Immunother
    Cancer. 2017;5:43. doi:10.1186/s40425-017-0242-5

    Examples
    --------
    >>> m = published_model("pembrolizumab_ahamadi2017")
    >>> regs = {"200 mg Q3W": Regimen.repeated(200.0, 21.0, 1, route="bolus"),
    ...         "400 mg Q6W": Regimen.repeated(400.0, 42.0, 1, route="bolus")}
    >>> tab = compare_regimens(m, regs, n=200, seed=1)
    >>> bool(abs(tab.iloc[0, 3] - tab.iloc[1, 3]) < 1e-9)   # equal Cavg,ss
    True
    """
    lang = check_lang(lang)
    _validate.instance(model, "model", PopPKModel)
    regimens = dict(_validate.mapping(regimens, "regimens"))
    if not 1 <= len(regimens) <= 20:
        raise ValueError(f"regimens must hold 1 to 20 regimens; got {len(regimens)}")
    _validate.one_of(statistic, "statistic", ("mean", "median"))
    pop = simulate_population(model, n, seed=seed, covariates=covariates)
    summary = np.mean if statistic == "mean" else np.median
    rows = []
    for label, regimen in regimens.items():
        _validate.instance(regimen, f"regimens[{label!r}]", Regimen)
        e = exposure(pop.parameters, regimen, interval)
        rows.append([str(label), float(summary(e.cmax)), float(summary(e.ctrough)), float(summary(e.cavg)),
                     float(summary(e.auc))])
    cols = [t("poppk_regimen", lang), t("poppk_cmax", lang), t("poppk_ctrough", lang), t("poppk_cavg", lang),
            t("poppk_auc", lang)]
    return pd.DataFrame(rows, columns=cols)
