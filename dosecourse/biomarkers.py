"""Pharmacodynamic biomarkers in dose exploration: a plateau, the biologically optimal dose, and its estimate.

A PD biomarker (target inhibition, receptor occupancy, a pathway marker) often follows an Emax curve in dose:
it rises and then plateaus, so doses above the plateau add exposure (and toxicity) without adding
pharmacology.  :class:`BiomarkerModel` holds the sigmoid Emax curve (computed by
:func:`dosecourse.pd.sigmoid_emax`); :func:`biologically_optimal_dose` is the lowest dose reaching a fraction
f of the maximal drug effect, in closed form for the Hill model.

With a few patients at a few doses that dose is estimated with error.  :func:`simulate_bod_estimation`
simulates many small trials at once (normal or log-normal noise), fits the Emax model to each by a vectorised
profile grid search (ED50 on a grid, E0 and Emax in closed form), and reports the distribution of the
estimated dose and how often the dose chosen from it is too low or too high; :func:`bod_tradeoff_table`
repeats this over sample sizes and noise levels.  :func:`biomarker_roles_table` lists the integral, integrated
and exploratory roles of biomarkers in a trial.

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
"""Residual error models of :func:`simulate_bod_estimation`."""

BIOMARKER_ROLES: tuple[str, ...] = ("integral", "integrated", "exploratory")
"""Roles of a biomarker in a trial (NCI usage)."""


@dataclass(frozen=True)
class BiomarkerModel:
    """Sigmoid Emax dose-response of a PD biomarker.

    Attributes
    ----------
    e0 : float
        Biomarker value without drug.
    emax : float
        Maximal drug effect (change from ``e0``); negative for a biomarker the drug lowers.
    ed50 : float
        Dose giving half the maximal effect (> 0).
    hill : float, default 1
        Hill coefficient (> 0).

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
        for name in ("e0", "emax"):
            object.__setattr__(self, name, float(_validate.real_array(getattr(self, name), name)))
        if self.emax == 0:
            raise ValueError("emax must not be 0 (a biomarker the drug does not move has no optimal dose)")
        object.__setattr__(self, "ed50", _validate.positive(self.ed50, "ed50"))
        object.__setattr__(self, "hill", _validate.positive(self.hill, "hill"))

    def response(self, dose: float | np.ndarray) -> float | np.ndarray:
        """Biomarker value at ``dose`` (>= 0): :func:`dosecourse.pd.sigmoid_emax` in dose."""
        return sigmoid_emax(dose, self.emax, self.ed50, self.hill, self.e0)

    def optimal_dose(self, fraction: float = 0.9) -> float:
        """The biologically optimal dose for ``fraction`` (see :func:`biologically_optimal_dose`)."""
        return biologically_optimal_dose(fraction, self.ed50, self.hill)


def biologically_optimal_dose(fraction: float | np.ndarray, ed50: float, hill: float = 1.0) -> float | np.ndarray:
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
    >>> round(biologically_optimal_dose(0.9, ed50=10.0), 9)
    90.0
    >>> round(biologically_optimal_dose(0.9, ed50=10.0, hill=2.0), 6)
    30.0
    """
    return concentration_for_effect(fraction, ed50, hill)


def _lowest_reaching(candidates: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Index of the lowest sorted candidate >= each target (relative tolerance 1e-9); the highest when none is."""
    idx = np.searchsorted(candidates, target * (1 - 1e-9), side="left")
    return np.minimum(idx, candidates.size - 1)


@dataclass(frozen=True)
class BODSimulation:
    """Estimates of the biologically optimal dose (BOD) from simulated trials.

    Attributes
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : ndarray
        Doses given in each trial.
    n_per_dose : int
        Patients per dose.
    fraction : float
        Fraction f of Emax that defines the BOD.
    noise, noise_sd : str, float
        Residual error model and its SD.
    true_bod : float
        The BOD of the true model.
    ed50_hat, hill_hat, bod_hat : ndarray, shape (n_trials,)
        Estimates in each trial.
    at_grid_edge : ndarray of bool
        Trials whose ED50 estimate hit the end of the search grid (the data could not locate the plateau).
    candidates : ndarray
        Doses one may choose from (sorted).
    true_choice : float
        Lowest candidate at or above the true BOD (the highest candidate when none is).
    chosen : ndarray
        Lowest candidate at or above each estimated BOD (the highest candidate when none is).
    """

    model: BiomarkerModel
    doses: np.ndarray
    n_per_dose: int
    fraction: float
    noise: str
    noise_sd: float
    true_bod: float
    ed50_hat: np.ndarray
    hill_hat: np.ndarray
    bod_hat: np.ndarray
    at_grid_edge: np.ndarray
    candidates: np.ndarray
    true_choice: float
    chosen: np.ndarray

    @property
    def n_trials(self) -> int:
        """Number of simulated trials."""
        return int(self.bod_hat.size)

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

    def summary(self, lang: str = "en") -> pd.DataFrame:
        """Key results with Monte Carlo standard errors: BOD percentiles and the too low / right / too high shares.

        The standard error of a share p over T trials is sqrt(p(1 - p)/T).
        """
        lang = check_lang(lang)
        q10, q50, q90 = np.quantile(self.bod_hat, [0.1, 0.5, 0.9])
        shares = (self.p_too_low, self.p_correct, self.p_too_high, float(np.mean(self.at_grid_edge)))
        se = [float(np.sqrt(p * (1 - p) / self.n_trials)) for p in shares]
        rows = [("biomarker_true_bod", self.true_bod, np.nan), ("biomarker_median_bod", q50, np.nan),
                ("biomarker_p10_bod", q10, np.nan), ("biomarker_p90_bod", q90, np.nan),
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


def simulate_bod_estimation(model: BiomarkerModel, doses: Sequence[float], n_per_dose: int, *,
                            noise_sd: float, noise: str = "normal", fraction: float = 0.9,
                            n_trials: int = 2000, seed: int | None = 2025,
                            hill_grid: Sequence[float] | None = None, grid_size: int = 400,
                            candidates: Sequence[float] | None = None) -> BODSimulation:
    """Simulate estimating the biologically optimal dose from a few patients at a few doses.

    Parameters
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : array_like
        Doses given (> 0, at least three distinct; four when ``hill_grid`` is given).
    n_per_dose : int
        Patients per dose.
    noise_sd : float
        Residual SD (> 0): on the biomarker scale for "normal", of log(biomarker) for "lognormal".
    noise : {"normal", "lognormal"}, default "normal"
        Additive normal error, or multiplicative log-normal error with mean 1 (the biomarker must then be
        positive at every dose).
    fraction : float, default 0.9
        Fraction f of Emax that defines the biologically optimal dose.
    n_trials : int, default 2000
        Simulated trials.
    seed : int or None, default 2025
        Seed of :func:`numpy.random.default_rng`.
    hill_grid : array_like, optional
        Hill coefficients to search over; by default the Hill coefficient is known (``model.hill``).
    grid_size : int, default 400
        Points of the log-ED50 grid, spanning dose range / 100 to dose range x 100.
    candidates : array_like, optional
        Doses one may choose from; default ``doses``.

    Returns
    -------
    BODSimulation
        Estimates per trial, the chosen doses and ``.summary(lang)``.

    Raises
    ------
    ValueError
        On a bad dose set, a non-positive SD, an unknown noise model or a log-normal model whose biomarker is
        not positive.
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
    in one matrix product; a parabola through the grid maximum refines log ED50.  A maximum at the grid edge
    means the data did not locate the plateau; such trials are flagged.  The estimate is
    :math:`\\hat D_f = \\widehat{ED}_{50}(f/(1-f))^{1/\\hat n}` (:func:`biologically_optimal_dose`), and the
    chosen dose is the lowest candidate at or above it.  This is the least-squares (maximum-likelihood for
    normal noise) fit; with log-normal noise it is unbiased for the curve's shape, not efficient.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> m = BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
    >>> sim = simulate_bod_estimation(m, [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=1000, seed=7)
    >>> round(sim.true_bod, 9), sim.true_choice
    (180.0, 300.0)
    >>> round(sim.p_too_low + sim.p_correct + sim.p_too_high, 12)
    1.0
    """
    if not isinstance(model, BiomarkerModel):
        raise TypeError(f"model must be a BiomarkerModel; got {type(model).__name__}")
    d = _validate.real_array(doses, "doses")
    min_doses = 3 if hill_grid is None else 4
    if d.ndim != 1 or np.any(d <= 0) or np.unique(d).size < min_doses:
        raise ValueError(f"doses must be a 1-D sequence of positive doses with at least {min_doses} distinct "
                         f"values; got {doses!r}")
    n = _validate.positive_int(n_per_dose, "n_per_dose")
    sd = _validate.positive(noise_sd, "noise_sd")
    if noise not in NOISE_MODELS:
        raise ValueError(f"noise must be one of {NOISE_MODELS}; got {noise!r}")
    f = _validate.probability(fraction, "fraction")
    trials = _validate.positive_int(n_trials, "n_trials")
    g = _validate.positive_int(grid_size, "grid_size", minimum=3)
    hills = np.array([model.hill]) if hill_grid is None else _validate.real_array(hill_grid, "hill_grid")
    if hills.ndim != 1 or hills.size == 0 or np.any(hills <= 0):
        raise ValueError(f"hill_grid must be a non-empty 1-D sequence of positive numbers; got {hill_grid!r}")
    cand = np.sort(d if candidates is None else _validate.real_array(candidates, "candidates", minimum=0.0))
    if cand.ndim != 1 or cand.size == 0:
        raise ValueError(f"candidates must be a non-empty 1-D sequence of doses; got {candidates!r}")

    mean = np.asarray(model.response(d), dtype=float)
    if noise == "lognormal" and np.any(mean <= 0):
        raise ValueError(f"log-normal noise needs a positive biomarker at every dose; got mean values {mean.tolist()}")
    rng = np.random.default_rng(seed)
    if noise == "normal":   # the dose mean of n normal values is exactly normal: draw it directly
        ybar = mean[None, :] + sd / np.sqrt(n) * rng.standard_normal((trials, d.size))
    else:
        z = rng.standard_normal((trials, d.size, n))
        ybar = (mean[None, :, None] * np.exp(sd * z - sd ** 2 / 2)).mean(axis=2)

    log_grid = np.linspace(np.log(d.min() / 100), np.log(d.max() * 100), g)
    sign = float(np.sign(model.emax))
    fits = [_fit_ed50(ybar, d, float(hh), log_grid, sign) for hh in hills]        # one pass per Hill value
    scores = np.stack([s for _, s, _ in fits])
    pick = np.argmax(scores, axis=0)
    cols = np.arange(trials)
    log_ed50 = np.stack([le for le, _, _ in fits])[pick, cols]
    edge = np.stack([e for _, _, e in fits])[pick, cols]
    hill_hat = hills[pick]
    ed50_hat = np.exp(log_ed50)
    bod_hat = ed50_hat * (f / (1 - f)) ** (1 / hill_hat)
    true_bod = float(model.optimal_dose(f))
    idx = _lowest_reaching(cand, bod_hat)
    true_idx = _lowest_reaching(cand, np.array([true_bod]))
    return BODSimulation(model, d, n, f, noise, sd, true_bod, ed50_hat, hill_hat, bod_hat, edge, cand,
                         float(cand[true_idx[0]]), cand[idx])


def bod_tradeoff_table(model: BiomarkerModel, doses: Sequence[float], n_per_dose: Sequence[int],
                       noise_sd: Sequence[float], *, lang: str = "en", **kwargs: object) -> pd.DataFrame:
    """The sample-size / noise trade-off: one :func:`simulate_bod_estimation` per (n, SD) pair.

    Parameters
    ----------
    model : BiomarkerModel
        True dose-response.
    doses : array_like
        Doses given.
    n_per_dose : sequence of int
        Patients per dose to compare.
    noise_sd : sequence of float
        Residual SDs to compare.
    lang : {"en", "zh-tw"}
        Language of the headers.
    **kwargs
        Passed to :func:`simulate_bod_estimation` (``noise``, ``fraction``, ``n_trials``, ``seed``...).

    Returns
    -------
    pandas.DataFrame
        One row per (n, SD): median and 10th-90th percentiles of the estimated BOD, and the shares of chosen
        doses too low, right and too high.

    Raises
    ------
    ValueError, TypeError
        As :func:`simulate_bod_estimation`.

    Notes
    -----
    Every scenario uses the same seed, so rows differ by design, not by simulation noise (common random
    numbers).

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> m = BiomarkerModel(e0=10.0, emax=80.0, ed50=20.0)
    >>> tab = bod_tradeoff_table(m, [10, 30, 100, 300], [3, 12], [10.0], n_trials=500)
    >>> tab.shape
    (2, 8)
    """
    lang = check_lang(lang)
    rows = []
    for n in n_per_dose:
        for sd in noise_sd:
            sim = simulate_bod_estimation(model, doses, n, noise_sd=sd, **kwargs)
            q10, q50, q90 = np.quantile(sim.bod_hat, [0.1, 0.5, 0.9])
            rows.append((sim.n_per_dose, sim.noise_sd, q50, q10, q90, sim.p_too_low, sim.p_correct, sim.p_too_high))
    keys = ("biomarker_col_n", "biomarker_col_sd", "biomarker_median_bod", "biomarker_p10_bod",
            "biomarker_p90_bod", "biomarker_p_too_low", "biomarker_p_correct", "biomarker_p_too_high")
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
