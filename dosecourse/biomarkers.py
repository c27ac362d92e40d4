"""Pharmacodynamic biomarkers in dose exploration: a plateau, the optimal biological dose, and its estimate.

A PD biomarker (target inhibition, receptor occupancy, a pathway marker) often follows an Emax curve in dose:
it rises and then plateaus, so doses above the plateau add exposure (and toxicity) without adding
pharmacology.  :class:`BiomarkerModel` holds the sigmoid Emax curve (computed by
:func:`dosecourse.pd.sigmoid_emax`); :func:`optimal_biological_dose` is the lowest dose reaching a fraction
f of the maximal drug effect, in closed form for the Hill model.

With a few patients at a few doses that dose is estimated with error.  :func:`simulate_obd_estimation`
simulates many small trials at once (normal or log-normal noise), fits the Emax model to each by a vectorised
profile grid search (ED50 on a grid, E0 and Emax in closed form), and reports the distribution of the
estimated dose and how often the dose chosen from it is too low or too high; :func:`obd_tradeoff_table`
repeats this over sample sizes and noise levels.  :func:`biomarker_roles_table` lists the integral, integrated
and exploratory roles of biomarkers in a trial.

Every public function and result checks its arguments with :mod:`dosecourse._validate`.  A simulation draws at
most :data:`dosecourse._validate.MAX_TRIALS` trials, and its work (trials x grid points x Hill values, and for
log-normal noise trials x doses x patients) is bounded by :data:`MAX_WORK`; it runs in chunks of trials so that
memory stays small, with the same random numbers as one draw of all trials (the chapter's simulations fit in one
chunk).

References
----------
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
Dancey JE, Dobbin KK, Groshen S, et al. Guidelines for the development and incorporation of biomarker studies
in early clinical trials of novel agents. Clin Cancer Res. 2010;16(6):1745-1755.
doi:10.1158/1078-0432.CCR-09-2167 (PMID 20215558)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate
from .i18n import check_lang, t
from .pd import concentration_for_effect, sigmoid_emax

NOISE_MODELS: tuple[str, ...] = ("normal", "lognormal")
"""Residual error models of :func:`simulate_obd_estimation`."""

BIOMARKER_ROLES: tuple[str, ...] = ("integral", "integrated", "exploratory")
"""Roles of a biomarker in a trial (NCI usage)."""

MAX_WORK: int = 400 * _validate.MAX_TRIALS
"""Largest work of one :func:`simulate_obd_estimation`: n_trials x grid_size x len(hill_grid) profile evaluations
(the default grid at the largest number of trials), and n_trials x doses x n_per_dose values for log-normal
noise."""

_CHUNK = 2_000_000  # array elements per chunk of trials (about 16 MB per array)


def _fractions(fraction: object, name: str = "fraction") -> np.ndarray:
    """``fraction`` (a number or an array) as a float array of values in the open interval (0, 1)."""
    arr = _validate.real_array(fraction, name, max_size=_validate.MAX_GRID)
    if arr.size:
        _validate.probabilities(arr.ravel(), name)
    return arr


@dataclass(frozen=True)
class BiomarkerModel:
    """Sigmoid Emax dose-response of a PD biomarker.

    Parameters
    ----------
    e0 : float
        Biomarker value without drug.
    emax : float
        Maximal drug effect (change from ``e0``, not 0); negative for a biomarker the drug lowers.
    ed50 : float
        Dose giving half the maximal effect (> 0).
    hill : float, default 1
        Hill coefficient (> 0).

    Raises
    ------
    ValueError
        If ``emax`` is 0, ``ed50`` or ``hill`` is not positive, or a value is not finite.
    TypeError
        If an attribute is not a number.

    Examples
    --------
    >>> m = BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0)
    >>> m.response([20.0, 180.0]).tolist()
    [50.0, 90.0]
    >>> round(m.optimal_dose(0.9), 9)
    180.0
    """

    e0: float
    emax: float
    ed50: float
    hill: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "e0", _validate.number(self.e0, "e0"))
        emax = _validate.number(self.emax, "emax")
        if emax == 0:
            raise ValueError("emax must not be 0 (a biomarker the drug does not move has no optimal dose); got 0.0")
        object.__setattr__(self, "emax", emax)
        object.__setattr__(self, "ed50", _validate.positive(self.ed50, "ed50"))
        object.__setattr__(self, "hill", _validate.positive(self.hill, "hill"))

    def response(self, dose: float | np.ndarray) -> float | np.ndarray:
        """Biomarker value at ``dose``: :func:`dosecourse.pd.sigmoid_emax` in dose.

        Parameters
        ----------
        dose : float or array_like
            Dose(s), >= 0, in the unit of ``ed50``; at most :data:`dosecourse._validate.MAX_GRID` values.

        Returns
        -------
        float or ndarray
            :math:`E_0 + E_{\\max} D^n / (\\mathrm{ED}_{50}^n + D^n)`, shaped like ``dose``.
        """
        d = _validate.real_array(dose, "dose", minimum=0.0, max_size=_validate.MAX_GRID)
        return sigmoid_emax(d, self.emax, self.ed50, self.hill, self.e0)

    def optimal_dose(self, fraction: float = 0.9) -> float | np.ndarray:
        """The optimal biological dose for ``fraction`` in (0, 1) (see :func:`optimal_biological_dose`).

        Parameters
        ----------
        fraction : float or array_like
            Fraction f of Emax to reach, in (0, 1) (default 0.9, 90% of the plateau).

        Returns
        -------
        float or ndarray
            The lowest dose reaching ``fraction`` of the maximal effect, in the unit of ``ed50``.
        """
        return optimal_biological_dose(fraction, self.ed50, self.hill)


def optimal_biological_dose(fraction: float | np.ndarray, ed50: float, hill: float = 1.0) -> float | np.ndarray:
    """Lowest dose reaching a fraction f of the maximal effect of a sigmoid Emax (Hill) curve.

    Parameters
    ----------
    fraction : float or array_like
        Fraction f of Emax, in (0, 1); 0.9 asks for 90% of the plateau.
    ed50 : float
        Dose giving half the maximal effect (> 0).
    hill : float, default 1
        Hill coefficient n (> 0).

    Returns
    -------
    float or ndarray
        The dose :math:`D_f`, in the unit of ``ed50``.

    Raises
    ------
    ValueError
        If a fraction is outside (0, 1), or ``ed50`` or ``hill`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    The effect above baseline is :math:`E_{max} h(D)` with :math:`h(D) = D^n/(ED_{50}^n + D^n)`, increasing in
    D, so the lowest dose with :math:`h(D) \\ge f` solves :math:`h(D_f) = f`:

    .. math:: D_f = ED_{50} \\left(\\frac{f}{1 - f}\\right)^{1/n}

    (ED90 = 9 ED50 for n = 1, 3 ED50 for n = 2).  It does not depend on E0 or Emax, and equals
    :func:`dosecourse.pd.concentration_for_effect` with dose in place of concentration.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> round(optimal_biological_dose(0.9, ed50=10.0), 9)
    90.0
    >>> round(optimal_biological_dose(0.9, ed50=10.0, hill=2.0), 6)
    30.0
    """
    f = _fractions(fraction)
    ed50 = _validate.positive(ed50, "ed50")
    hill = _validate.positive(hill, "hill")
    return concentration_for_effect(f, ed50, hill)


def _lowest_reaching(candidates: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Index of the lowest sorted candidate >= each target (relative tolerance 1e-9); the highest when none is."""
    idx = np.searchsorted(candidates, target * (1 - 1e-9), side="left")
    return np.minimum(idx, candidates.size - 1)


def _read_only(values: object, name: str, *, length: int | None = None, minimum: float | None = None,
               strict_minimum: bool = False) -> np.ndarray:
    """A read-only 1-D float copy of ``values``, checked with :mod:`dosecourse._validate`."""
    arr = np.array(_validate.real_array(values, name, ndim=1, nonempty=True, minimum=minimum,
                                        strict_minimum=strict_minimum, max_size=_validate.MAX_TRIALS), copy=True)
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have one value per simulated trial ({length}); got {arr.size}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class OBDSimulation:
    """Estimates of the optimal biological dose (OBD) from simulated trials.

    Parameters
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : ndarray
        Doses given in each trial (at which the biomarker is sampled).
    n_per_dose : int
        Patients per dose.
    fraction : float
        Fraction f of Emax that defines the OBD.
    noise : str
        Residual error model, one of :data:`NOISE_MODELS`.
    noise_sd : float
        SD of the residual error (> 0).
    true_obd : float
        The OBD of the true model.
    ed50_hat, hill_hat, obd_hat : ndarray, shape (n_trials,)
        Estimates in each trial.
    at_grid_edge : ndarray of bool
        Trials whose ED50 estimate hit the end of the search grid (the data could not locate the plateau).
    candidates : ndarray
        Doses one may choose from (sorted, distinct).
    true_choice : float
        Lowest candidate at or above the true OBD (the highest candidate when none is).
    chosen : ndarray
        Lowest candidate at or above each estimated OBD (the highest candidate when none is).
    seed : int or None
        The seed used (None when a Generator was passed).

    Raises
    ------
    ValueError, TypeError
        If an attribute is out of range or the arrays do not hold one value per trial.

    Notes
    -----
    The arrays are read-only copies, so a result can be cached and shared.  The number of trials is
    :attr:`n_trials`; the Monte Carlo standard error of a share p is :math:`\\sqrt{p(1-p)/T}`.
    """

    model: BiomarkerModel
    doses: np.ndarray
    n_per_dose: int
    fraction: float
    noise: str
    noise_sd: float
    true_obd: float
    ed50_hat: np.ndarray
    hill_hat: np.ndarray
    obd_hat: np.ndarray
    at_grid_edge: np.ndarray
    candidates: np.ndarray
    true_choice: float
    chosen: np.ndarray
    seed: int | None = None

    def __post_init__(self) -> None:
        _validate.instance(self.model, "model", BiomarkerModel)
        doses = _read_only(self.doses, "doses", minimum=0.0, strict_minimum=True)
        obd_hat = _read_only(self.obd_hat, "obd_hat", minimum=0.0, strict_minimum=True)
        n = _validate.n_trials(obd_hat.size, "number of trials (obd_hat)")
        ed50_hat = _read_only(self.ed50_hat, "ed50_hat", length=n, minimum=0.0, strict_minimum=True)
        hill_hat = _read_only(self.hill_hat, "hill_hat", length=n, minimum=0.0, strict_minimum=True)
        edge = np.array(_validate.instance(self.at_grid_edge, "at_grid_edge", np.ndarray), copy=True)
        _validate.one_of(edge.dtype, "at_grid_edge dtype", (np.dtype(bool),))
        if edge.shape != (n,):
            raise ValueError(f"at_grid_edge must have one value per simulated trial ({n}); got shape {edge.shape}")
        edge.setflags(write=False)
        cand = _read_only(self.candidates, "candidates", minimum=0.0)
        _validate.real_array(cand, "candidates", increasing=True)
        chosen = _read_only(self.chosen, "chosen", length=n)
        options = tuple(cand.tolist())
        true_choice = _validate.one_of(_validate.number(self.true_choice, "true_choice"), "true_choice", options)
        outside = chosen[~np.isin(chosen, cand)]
        if outside.size:
            _validate.one_of(float(outside[0]), "chosen", options)
        for name, value in (
                ("doses", doses), ("n_per_dose", _validate.positive_int(self.n_per_dose, "n_per_dose",
                                                                        maximum=_validate.MAX_PATIENTS)),
                ("fraction", _validate.probability(self.fraction, "fraction")),
                ("noise", _validate.one_of(self.noise, "noise", NOISE_MODELS)),
                ("noise_sd", _validate.positive(self.noise_sd, "noise_sd")),
                ("true_obd", _validate.positive(self.true_obd, "true_obd")),
                ("ed50_hat", ed50_hat), ("hill_hat", hill_hat), ("obd_hat", obd_hat), ("at_grid_edge", edge),
                ("candidates", cand), ("true_choice", float(true_choice)), ("chosen", chosen),
                ("seed", _validate.seed(self.seed))):
            object.__setattr__(self, name, value)

    @property
    def n_trials(self) -> int:
        """Number of simulated trials."""
        return int(self.obd_hat.size)

    @property
    def p_too_low(self) -> float:
        """Share of trials whose chosen dose is below the true choice."""
        return float(np.mean(self.chosen < self.true_choice))

    @property
    def p_correct(self) -> float:
        """Share of trials that choose the true choice."""
        return float(np.mean(self.chosen == self.true_choice))

    @property
    def p_too_high(self) -> float:
        """Share of trials whose chosen dose is above the true choice."""
        return float(np.mean(self.chosen > self.true_choice))

    @property
    def p_grid_edge(self) -> float:
        """Share of trials whose fit could not locate the plateau (ED50 estimate at the end of the grid)."""
        return float(np.mean(self.at_grid_edge))

    def regions(self) -> dict[str, tuple[float, float]]:
        """Ranges of the estimated OBD that lead to a chosen dose too low, right or too high.

        Returns
        -------
        dict
            ``{"low": (a, b), "right": (a, b), "high": (a, b)}``: an estimate in ``(a, b]`` leads to that outcome
            (``a = b`` for an outcome that cannot happen).  An estimate at or below the candidate just below the
            true choice gives a dose too low; one above the true choice a dose too high, unless the true choice is
            the highest candidate (then every larger estimate chooses it).

        Examples
        --------
        >>> m = BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0)
        >>> sim = simulate_obd_estimation(m, [10, 30, 100, 300, 1000], 3, noise_sd=20.0, n_trials=10)
        >>> sim.regions()
        {'low': (0.0, 100.0), 'right': (100.0, 300.0), 'high': (300.0, inf)}
        """
        below = self.candidates[self.candidates < self.true_choice]
        edge_lo = float(below.max()) if below.size else 0.0
        if self.true_choice >= self.candidates.max():
            return {"low": (0.0, edge_lo), "right": (edge_lo, np.inf), "high": (np.inf, np.inf)}
        return {"low": (0.0, edge_lo), "right": (edge_lo, self.true_choice), "high": (self.true_choice, np.inf)}

    def summary(self, lang: str = "en") -> pd.DataFrame:
        """Key results with Monte Carlo standard errors: OBD percentiles and the too low / right / too high shares.

        The standard error of a share p over T trials is sqrt(p(1 - p)/T).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and quantity labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Eight rows (true OBD; median, 10th and 90th percentile of the estimated OBD; shares of chosen doses
            too low, right and too high; share of fits at the grid edge) and three columns (quantity, value,
            Monte Carlo SE, NaN for the OBD rows).

        Examples
        --------
        >>> m = BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0)
        >>> simulate_obd_estimation(m, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=50).summary("zh-tw").shape
        (8, 3)
        """
        lang = check_lang(lang)
        q10, q50, q90 = np.quantile(self.obd_hat, [0.1, 0.5, 0.9])
        shares = (self.p_too_low, self.p_correct, self.p_too_high, self.p_grid_edge)
        se = [float(np.sqrt(p * (1 - p) / self.n_trials)) for p in shares]
        rows = [("biomarker_true_obd", self.true_obd, np.nan), ("biomarker_median_obd", q50, np.nan),
                ("biomarker_p10_obd", q10, np.nan), ("biomarker_p90_obd", q90, np.nan),
                ("biomarker_p_too_low", shares[0], se[0]), ("biomarker_p_correct", shares[1], se[1]),
                ("biomarker_p_too_high", shares[2], se[2]), ("biomarker_p_grid_edge", shares[3], se[3])]
        return pd.DataFrame({t("biomarker_col_quantity", lang): [t(k, lang) for k, _, _ in rows],
                             t("biomarker_col_value", lang): [float(v) for _, v, _ in rows],
                             t("biomarker_col_mc_se", lang): [s for _, _, s in rows]})


def _fit_ed50(ybar: np.ndarray, doses: np.ndarray, hill: float, log_grid: np.ndarray,
              sign: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Profile least-squares ED50 of an Emax model with fixed ``hill`` for every row of ``ybar``.

    Returns the log ED50 estimate (refined by a parabola through the grid maximum and its neighbours), the
    maximal profile score and whether the maximum was at the grid edge.
    """
    with np.errstate(over="ignore"):   # exp -> inf gives h = 0, the right limit
        h = 1.0 / (1.0 + np.exp(hill * (log_grid[:, None] - np.log(doses)[None, :])))   # D^n/(ED50^n + D^n)
    hc = h - h.mean(axis=1, keepdims=True)
    hh = np.einsum("gj,gj->g", hc, hc)
    yc = ybar - ybar.mean(axis=1, keepdims=True)
    cov = yc @ hc.T                                                                  # (T, G)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where((sign * cov > 0) & (hh > 0), cov ** 2 / hh, 0.0)
    k = np.argmax(score, axis=1)
    rows = np.arange(score.shape[0])
    edge = (k == 0) | (k == log_grid.size - 1)
    inner = np.clip(k, 1, log_grid.size - 2)
    s_m, s_0, s_p = score[rows, inner - 1], score[rows, inner], score[rows, inner + 1]
    curv = s_m - 2 * s_0 + s_p
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(~edge & (curv < 0), 0.5 * (s_m - s_p) / curv, 0.0)
    step = log_grid[1] - log_grid[0]
    return log_grid[k] + np.clip(shift, -0.5, 0.5) * step, score[rows, k], edge


def _check_work(n_trials: int, per_trial: int, what: str) -> None:
    """Refuse a simulation whose work n_trials x per_trial exceeds :data:`MAX_WORK`."""
    if n_trials * per_trial > MAX_WORK:
        raise ValueError(f"n_trials x {what} may be at most {MAX_WORK:,}; got {n_trials:,} x {per_trial:,} = "
                         f"{n_trials * per_trial:,} (lower n_trials)")


def simulate_obd_estimation(model: BiomarkerModel, doses: Sequence[float], n_per_dose: int, *,
                            noise_sd: float, noise: str = "normal", fraction: float = 0.9,
                            n_trials: int = 2000, seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                            hill_grid: Sequence[float] | None = None, grid_size: int = 400,
                            candidates: Sequence[float] | None = None) -> OBDSimulation:
    """Simulate estimating the optimal biological dose from a few patients at a few doses.

    Parameters
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : array_like
        Doses given (> 0; at least three distinct, four when ``hill_grid`` is given; at most
        :data:`dosecourse._validate.MAX_DOSES`).
    n_per_dose : int
        Patients per dose (1 to :data:`dosecourse._validate.MAX_PATIENTS`).
    noise_sd : float
        Residual SD (> 0): on the biomarker scale for "normal", of log(biomarker) for "lognormal".
    noise : {"normal", "lognormal"}, default "normal"
        Additive normal error, or multiplicative log-normal error with mean 1 (the biomarker must then be
        positive at every dose).
    fraction : float, default 0.9
        Fraction f of Emax that defines the optimal biological dose, in (0, 1).
    n_trials : int, default 2000
        Simulated trials (1 to :data:`dosecourse._validate.MAX_TRIALS`, and within :data:`MAX_WORK`).
    seed : int, None or numpy.random.Generator, default 2025
        Random state (:func:`dosecourse._validate.rng`); the seed used is kept in the result.
    hill_grid : array_like, optional
        Hill coefficients to search over (> 0); by default the Hill coefficient is known (``model.hill``).
    grid_size : int, default 400
        Points of the log-ED50 grid (3 to :data:`dosecourse._validate.MAX_GRID`), spanning dose range / 100 to
        dose range x 100.
    candidates : array_like, optional
        Doses one may choose from (>= 0); default ``doses``.

    Returns
    -------
    OBDSimulation
        Estimates per trial, the chosen doses and ``.summary(lang)``.

    Raises
    ------
    ValueError
        On a bad dose set, a non-positive SD, an unknown noise model, a log-normal model whose biomarker is
        not positive, or a size beyond the bounds.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Each trial gives :math:`y_{ij} = E(D_j) + \\sigma z_{ij}` (normal) or
    :math:`y_{ij} = E(D_j)\\, e^{\\sigma z_{ij} - \\sigma^2/2}` (log-normal, so :math:`E[y_{ij}] = E(D_j)`).
    With equal patients per dose, least squares on the individual values is least squares on the dose means
    :math:`\\bar y_j`, so for normal noise the means are drawn directly,
    :math:`\\bar y_j \\sim N(E(D_j), \\sigma^2/n)`, and for log-normal noise from the individual values.  For a
    fixed ED50 (and Hill n) the model is linear in E0 and Emax, so the residual sum of squares is minimised in
    closed form and the profile criterion to maximise is

    .. math:: S(ED_{50}) = \\frac{\\big(\\sum_j (\\bar y_j - \\bar{\\bar y})(h_j - \\bar h)\\big)^2}
              {\\sum_j (h_j - \\bar h)^2}, \\qquad h_j = \\frac{D_j^n}{ED_{50}^n + D_j^n},

    restricted to fits whose Emax has the sign of the true one.  S is computed for all trials and grid points
    in one matrix product (per chunk of trials); a parabola through the grid maximum refines log ED50.  A
    maximum at the grid edge means the data did not locate the plateau; such trials are flagged.  The estimate
    is :math:`\\hat D_f = \\widehat{ED}_{50}(f/(1-f))^{1/\\hat n}` (:func:`optimal_biological_dose`), and the
    chosen dose is the lowest candidate at or above it.  This is the least-squares (maximum-likelihood for
    normal noise) fit; with log-normal noise it is unbiased for the curve's shape, not efficient.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> m = BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
    >>> sim = simulate_obd_estimation(m, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=1000, seed=7)
    >>> round(sim.true_obd, 9), sim.true_choice, sim.seed
    (180.0, 300.0, 7)
    >>> round(sim.p_too_low + sim.p_correct + sim.p_too_high, 12)
    1.0
    """
    _validate.instance(model, "model", BiomarkerModel)
    d = _validate.real_array(doses, "doses", ndim=1, minimum=0.0, strict_minimum=True, max_size=_validate.MAX_DOSES)
    min_doses = 3 if hill_grid is None else 4
    if np.unique(d).size < min_doses:
        raise ValueError(f"doses must hold at least {min_doses} distinct values"
                         f"{' to estimate the Hill coefficient' if hill_grid is not None else ''}; got "
                         f"{d.tolist()}")
    n = _validate.positive_int(n_per_dose, "n_per_dose", maximum=_validate.MAX_PATIENTS)
    sd = _validate.positive(noise_sd, "noise_sd")
    _validate.one_of(noise, "noise", NOISE_MODELS)
    f = _validate.probability(fraction, "fraction")
    trials = _validate.n_trials(n_trials)
    g = _validate.positive_int(grid_size, "grid_size", minimum=3, maximum=_validate.MAX_GRID)
    hills = (np.array([model.hill]) if hill_grid is None else
             _validate.real_array(hill_grid, "hill_grid", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                  max_size=_validate.MAX_GRID))
    cand = np.unique(d if candidates is None else
                     _validate.real_array(candidates, "candidates", ndim=1, nonempty=True, minimum=0.0,
                                          max_size=_validate.MAX_GRID))
    _check_work(trials, g * hills.size, "grid_size x len(hill_grid)")
    if noise == "lognormal":
        _check_work(trials, d.size * n, "len(doses) x n_per_dose")

    mean = np.asarray(model.response(d), dtype=float)
    if noise == "lognormal" and np.any(mean <= 0):
        raise ValueError(f"log-normal noise needs a positive biomarker at every dose; got mean values {mean.tolist()}")
    gen, used_seed = _validate.rng(seed)
    log_grid = np.linspace(np.log(d.min() / 100), np.log(d.max() * 100), g)
    sign = float(np.sign(model.emax))
    width = max(g, d.size * n if noise == "lognormal" else d.size)
    chunk = max(1, _CHUNK // width)
    log_ed50, edge, hill_hat = (np.empty(trials), np.empty(trials, dtype=bool), np.empty(trials))
    for lo in range(0, trials, chunk):   # chunks of trials draw the same random numbers as one draw of all
        rows = min(chunk, trials - lo)
        if noise == "normal":   # the dose mean of n normal values is exactly normal: draw it directly
            ybar = mean[None, :] + sd / np.sqrt(n) * gen.standard_normal((rows, d.size))
        else:
            z = gen.standard_normal((rows, d.size, n))
            ybar = (mean[None, :, None] * np.exp(sd * z - sd ** 2 / 2)).mean(axis=2)
        fits = [_fit_ed50(ybar, d, float(hh), log_grid, sign) for hh in hills]        # one pass per Hill value
        pick = np.argmax(np.stack([s for _, s, _ in fits]), axis=0)
        cols = np.arange(rows)
        log_ed50[lo:lo + rows] = np.stack([le for le, _, _ in fits])[pick, cols]
        edge[lo:lo + rows] = np.stack([e for _, _, e in fits])[pick, cols]
        hill_hat[lo:lo + rows] = hills[pick]
    ed50_hat = np.exp(log_ed50)
    obd_hat = ed50_hat * (f / (1 - f)) ** (1 / hill_hat)
    true_obd = float(model.optimal_dose(f))
    idx = _lowest_reaching(cand, obd_hat)
    true_idx = _lowest_reaching(cand, np.array([true_obd]))
    return OBDSimulation(model=model, doses=d, n_per_dose=n, fraction=f, noise=noise, noise_sd=sd, true_obd=true_obd,
                         ed50_hat=ed50_hat, hill_hat=hill_hat, obd_hat=obd_hat, at_grid_edge=edge, candidates=cand,
                         true_choice=float(cand[true_idx[0]]), chosen=cand[idx], seed=used_seed)


def obd_tradeoff_table(model: BiomarkerModel, doses: Sequence[float], n_per_dose: Sequence[int],
                       noise_sd: Sequence[float], *, lang: str = "en", noise: str = "normal", fraction: float = 0.9,
                       n_trials: int = 2000, seed: int | None = _validate.DEFAULT_SEED,
                       hill_grid: Sequence[float] | None = None, grid_size: int = 400,
                       candidates: Sequence[float] | None = None) -> pd.DataFrame:
    """The sample-size / noise trade-off: one :func:`simulate_obd_estimation` per (n, SD) pair.

    Parameters
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : array_like
        Doses given.
    n_per_dose : sequence of int
        Patients per dose to compare (each 1 to :data:`dosecourse._validate.MAX_PATIENTS`).
    noise_sd : sequence of float
        Residual SDs to compare (each > 0).
    lang : {"en", "zh-tw"}
        Language of the headers.
    noise : {"normal", "lognormal"}, default "normal"
        Residual error model.
    fraction : float, default 0.9
        Fraction f of Emax that defines the optimal biological dose.
    n_trials : int, default 2000
        Simulated trials per scenario; the trials of all scenarios together may not exceed
        :data:`dosecourse._validate.MAX_TRIALS`.
    seed : int or None, default 2025
        Seed of every scenario (None draws one fresh seed, used by all).
    hill_grid : array_like, optional
        Hill coefficients to search over (as :func:`simulate_obd_estimation`).
    grid_size : int, default 400
        Points of the log-ED50 grid.
    candidates : array_like, optional
        Doses one may choose from; default ``doses``.

    Returns
    -------
    pandas.DataFrame
        One row per (n, SD): median and 10th-90th percentiles of the estimated OBD, and the shares of chosen
        doses too low, right and too high.

    Raises
    ------
    ValueError, TypeError
        On an empty or bad list of sizes or SDs, too many trials in all, or as :func:`simulate_obd_estimation`.

    Notes
    -----
    Every scenario uses the same seed, so rows differ by design, not by simulation noise (common random
    numbers).  For normal noise only :math:`\\sigma/\\sqrt{n}` matters: rows with the same ratio are identical.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> m = BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
    >>> tab = obd_tradeoff_table(m, [10, 30, 100, 300], [3, 12], [10.0], n_trials=500)
    >>> tab.shape
    (2, 8)
    """
    lang = check_lang(lang)
    sizes = _validate.whole_array(n_per_dose, "n_per_dose", minimum=1, ndim=1)
    sds = _validate.real_array(noise_sd, "noise_sd", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                               max_size=_validate.MAX_GRID)
    if sizes.size == 0:
        raise ValueError("n_per_dose must not be empty")
    trials = _validate.n_trials(n_trials)
    total = sizes.size * sds.size * trials
    if total > _validate.MAX_TRIALS:
        raise ValueError(f"the table would simulate {total:,} trials in all ({sizes.size} x {sds.size} scenarios x "
                         f"{trials:,}); at most {_validate.MAX_TRIALS:,} are accepted")
    if seed is None:   # one fresh seed shared by every scenario (common random numbers)
        _, seed = _validate.rng(None)
    elif isinstance(seed, np.random.Generator):
        raise TypeError("seed must be a whole number >= 0 or None, so that every scenario uses the same random "
                        "numbers; got a numpy Generator")
    rows = []
    for n in sizes.tolist():
        for sd in sds.tolist():
            sim = simulate_obd_estimation(model, doses, n, noise_sd=sd, noise=noise, fraction=fraction,
                                          n_trials=trials, seed=seed, hill_grid=hill_grid, grid_size=grid_size,
                                          candidates=candidates)
            q10, q50, q90 = np.quantile(sim.obd_hat, [0.1, 0.5, 0.9])
            rows.append((sim.n_per_dose, sim.noise_sd, q50, q10, q90, sim.p_too_low, sim.p_correct, sim.p_too_high))
    keys = ("biomarker_col_n", "biomarker_col_sd", "biomarker_median_obd", "biomarker_p10_obd",
            "biomarker_p90_obd", "biomarker_p_too_low", "biomarker_p_correct", "biomarker_p_too_high")
    return pd.DataFrame(rows, columns=[t(k, lang) for k in keys])


def biomarker_roles_table(lang: str = "en") -> pd.DataFrame:
    """The three roles of a biomarker in a trial (integral, integrated, exploratory), with an example each.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
        One row per role: definition, whether it drives trial decisions, an example.

    Raises
    ------
    ValueError
        If ``lang`` is unknown.

    Notes
    -----
    The definitions are the NCI usage set out by the NCI Investigational Drug Steering Committee's Biomarker
    Task Force (Dancey et al. 2010): integral tests must be performed for the trial to proceed (eligibility,
    stratification, treatment or dose assignment); integrated tests are pre-specified, hypothesis-testing and
    measured in all patients (or a pre-specified subset) but do not inform decisions in the trial;
    exploratory (research) markers generate hypotheses.  The FDA-AACR dose-optimization paper of
    Okusanya et al. (Clin Cancer Res 2025) uses the same three roles, as reported; its wording was not checked
    here.  The examples are illustrations for the course.

    References
    ----------
    Dancey JE, Dobbin KK, Groshen S, et al. Clin Cancer Res. 2010;16(6):1745-1755.
    doi:10.1158/1078-0432.CCR-09-2167 (PMID 20215558)

    Examples
    --------
    >>> biomarker_roles_table("zh-tw").iloc[:, 0].tolist()
    ['整合性生物標記', '整合型生物標記', '探索性生物標記']
    """
    lang = check_lang(lang)
    return pd.DataFrame({
        t("biomarker_col_role", lang): [t(f"biomarker_role_{r}", lang) for r in BIOMARKER_ROLES],
        t("biomarker_col_definition", lang): [t(f"biomarker_def_{r}", lang) for r in BIOMARKER_ROLES],
        t("biomarker_col_drives", lang): [t(f"biomarker_drives_{r}", lang) for r in BIOMARKER_ROLES],
        t("biomarker_col_example", lang): [t(f"biomarker_example_{r}", lang) for r in BIOMARKER_ROLES],
    })
