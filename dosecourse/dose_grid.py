"""Dose grids for escalation: step schemes, levels needed, overshoot, and patients spent below an active dose.

A dose-escalation trial moves along a ladder of dose levels fixed in the protocol.  This module builds such
ladders from three classical step schemes and answers two questions about them:

* how many levels separate a starting dose from a target dose (:func:`steps_to_reach`, :func:`levels_to_reach`),
  and how far the first level at or above the target overshoots it (:func:`overshoot`,
  :func:`crossing_step_ratio`); on a dose-response curve of Hill coefficient n one step of ratio r multiplies the
  odds of a dose-related event by r**n (:func:`probability_after_step`);
* how many patients a 3+3-style escalation treats below the active dose when the start is too low and the active
  dose is only known up to a log-normal uncertainty (:func:`simulate_patients_below_active`, a seeded, vectorised
  Monte Carlo).

Step schemes (:data:`SCHEMES`), each a sequence of ratios dose(k+1)/dose(k):

* ``"doubling"``: +100% at every step (ratio 2);
* ``"modified_fibonacci"``: +100%, +67%, +50%, +40%, then +33% at every later step, the increments reported by
  Le Tourneau et al. (2009) for the "modified Fibonacci" sequence (they give 30-35% for the later steps; 33% is
  used here).  Penel and Kramar (2012) found that trials citing the term used increments that varied widely
  (ratios 0.80 to 2.08; medians about 2.00, 1.50, 1.33, 1.33 ...), so a protocol should list its doses rather than
  name the sequence;
* ``"constant_33"``: +33% at every step (ratio 1.33).

References
----------
Le Tourneau C, Lee JJ, Siu LL. Dose escalation methods in phase I cancer clinical trials. J Natl Cancer Inst.
2009;101(10):708-720. doi:10.1093/jnci/djp079 (PMID 19436029)
Penel N, Kramar A. What does a modified-Fibonacci dose-escalation actually correspond to? BMC Med Res Methodol.
2012;12:103. doi:10.1186/1471-2288-12-103
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate
from .i18n import check_lang, t

SCHEMES: dict[str, tuple[tuple[float, ...], float]] = {
    "doubling": ((), 2.0),
    "modified_fibonacci": ((2.0, 1.67, 1.5, 1.4), 1.33),
    "constant_33": ((), 1.33),
}
"""Step schemes: ``name -> (first ratios, ratio of every later step)``; a ratio is dose(k+1) / dose(k)."""

_TOL = 1e-9  # relative tolerance: a product of ratios equal to the target "reaches" it despite rounding


def _scheme(scheme: str) -> tuple[np.ndarray, float]:
    """The head ratios and tail ratio of ``scheme``, or a ValueError listing the valid names."""
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {tuple(SCHEMES)}; got {scheme!r}")
    head, tail = SCHEMES[scheme]
    return np.asarray(head, dtype=float), tail


def scheme_label(scheme: str, lang: str = "en") -> str:
    """Name of a step scheme in the reader's language.

    Examples
    --------
    >>> scheme_label("modified_fibonacci", "zh-tw")
    '修正費氏數列'
    """
    _scheme(scheme)
    return t("dg_scheme_" + scheme, lang)


def step_ratios(scheme: str, n_steps: int) -> np.ndarray:
    """The first ``n_steps`` ratios dose(k+1)/dose(k) of a step scheme.

    Parameters
    ----------
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme (see :data:`SCHEMES`).
    n_steps : int
        Number of escalation steps (>= 1).

    Returns
    -------
    ndarray
        ``n_steps`` ratios, each > 1.

    Raises
    ------
    ValueError
        If the scheme is unknown or ``n_steps`` < 1.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720.

    Examples
    --------
    >>> step_ratios("modified_fibonacci", 6).tolist()
    [2.0, 1.67, 1.5, 1.4, 1.33, 1.33]
    """
    n = _validate.positive_int(n_steps, "n_steps")
    head, tail = _scheme(scheme)
    out = np.full(n, tail)
    k = min(n, head.size)
    out[:k] = head[:k]
    return out


def dose_levels(start: float, scheme: str, n_levels: int) -> np.ndarray:
    """The first ``n_levels`` doses of a ladder that starts at ``start`` and follows ``scheme``.

    Parameters
    ----------
    start : float
        Starting dose (> 0), any unit.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    n_levels : int
        Number of dose levels, the start included (>= 1).

    Returns
    -------
    ndarray
        Doses d_1 = start, d_(k+1) = d_k x r_k.

    Raises
    ------
    ValueError
        If ``start`` is not positive, the scheme is unknown or ``n_levels`` < 1.

    Notes
    -----
    .. math:: d_k = d_1 \\prod_{j=1}^{k-1} r_j

    Examples
    --------
    >>> dose_levels(10.0, "doubling", 4).tolist()
    [10.0, 20.0, 40.0, 80.0]
    >>> dose_levels(10.0, "modified_fibonacci", 5).round(2).tolist()
    [10.0, 20.0, 33.4, 50.1, 70.14]
    """
    start = _validate.positive(start, "start")
    n = _validate.positive_int(n_levels, "n_levels")
    if n == 1:
        return np.array([start])
    return start * np.concatenate(([1.0], np.cumprod(step_ratios(scheme, n - 1))))


def steps_to_reach(fold: float | np.ndarray, scheme: str) -> int | np.ndarray:
    """Number of escalation steps from a start dose to the first level at or above ``fold`` x start.

    Parameters
    ----------
    fold : float or array_like
        Target dose divided by starting dose (> 0); values <= 1 need no step.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.

    Returns
    -------
    int or ndarray of int
        The smallest k >= 0 with r_1 x ... x r_k >= fold; same shape as ``fold``.  It is also the number of levels
        that lie strictly below the target: d_1, ..., d_k < target <= d_(k+1).

    Raises
    ------
    ValueError
        If a fold is not positive or the scheme is unknown.

    Notes
    -----
    With a constant ratio r the answer is :math:`k = \\lceil \\ln(\\mathrm{fold}) / \\ln r \\rceil`; a scheme with
    decreasing first ratios is searched through its first ratios and then uses the same formula for the rest.
    The calculation is vectorised over ``fold``.

    Examples
    --------
    >>> [steps_to_reach(10.0, s) for s in ("doubling", "modified_fibonacci", "constant_33")]
    [4, 6, 9]
    >>> steps_to_reach([0.5, 1.0, 2.0, 8.0], "doubling").tolist()
    [0, 0, 1, 3]
    """
    folds = _validate.real_array(fold, "fold")
    if np.any(folds <= 0):
        raise ValueError(f"fold (target dose / starting dose) must be > 0; got {fold!r}")
    head, tail = _scheme(scheme)
    logf = np.log(folds)
    need = logf - _TOL * np.maximum(1.0, np.abs(logf))  # a product equal to the fold reaches it
    cum = np.cumsum(np.log(head))
    total = cum[-1] if cum.size else 0.0
    in_head = np.searchsorted(cum, need, side="left") + 1
    in_tail = head.size + np.ceil((need - total) / np.log(tail))
    steps = np.where(logf <= 0, 0, np.where(need <= total, in_head, in_tail)).astype(np.int64)
    return int(steps) if steps.ndim == 0 else steps


def levels_to_reach(fold: float | np.ndarray, scheme: str) -> int | np.ndarray:
    """Number of dose levels from the start to the first level at or above the target, both included.

    Equal to :func:`steps_to_reach` + 1: the starting level counts.

    Examples
    --------
    >>> levels_to_reach(10.0, "doubling")   # 1, 2, 4, 8, 16 x start
    5
    """
    steps = steps_to_reach(fold, scheme)
    return steps + 1


def crossing_step_ratio(fold: float | np.ndarray, scheme: str) -> float | np.ndarray:
    """Ratio of the step that first reaches the target (from the last level below it to the first at or above).

    Parameters
    ----------
    fold : float or array_like
        Target dose / starting dose (> 1 for a step to exist; where fold <= 1 the result is 1).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.

    Returns
    -------
    float or ndarray
        r_k for k = :func:`steps_to_reach`; 1 where no step is needed.

    Examples
    --------
    >>> crossing_step_ratio(3.0, "modified_fibonacci")   # 1 -> 2 -> 3.34: the second step, +67%
    1.67
    """
    steps = np.atleast_1d(steps_to_reach(fold, scheme))
    head, tail = _scheme(scheme)
    idx = steps - 1
    padded = np.concatenate((head, [tail]))
    ratio = np.where(steps == 0, 1.0, padded[np.clip(idx, 0, head.size)])
    return float(ratio[0]) if np.ndim(fold) == 0 else ratio.reshape(np.shape(fold))


def overshoot(fold: float | np.ndarray, scheme: str) -> float | np.ndarray:
    """How far the first level at or above the target lies above it: d_(k+1) / target (>= 1).

    Parameters
    ----------
    fold : float or array_like
        Target dose / starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.

    Returns
    -------
    float or ndarray
        Between 1 (a level falls exactly on the target) and the crossing step ratio; for fold <= 1 it is
        1 / fold (the start itself is above the target).

    Notes
    -----
    .. math:: \\mathrm{overshoot} = \\frac{\\prod_{j \\le k} r_j}{\\mathrm{fold}},
              \\quad k = \\mathrm{steps\\_to\\_reach}(\\mathrm{fold})

    Examples
    --------
    >>> round(overshoot(9.0, "doubling"), 4)   # 16 / 9
    1.7778
    """
    folds = _validate.real_array(fold, "fold")
    steps = np.atleast_1d(steps_to_reach(folds, scheme))
    head, tail = _scheme(scheme)
    cum = np.concatenate(([0.0], np.cumsum(np.log(head))))
    k_head = np.minimum(steps, head.size)
    log_reached = cum[k_head] + np.maximum(steps - head.size, 0) * np.log(tail)
    out = np.exp(log_reached) / np.atleast_1d(folds)
    return float(out[0]) if folds.ndim == 0 else out.reshape(folds.shape)


def probability_after_step(p: float | np.ndarray, ratio: float | np.ndarray,
                           hill: float | np.ndarray) -> float | np.ndarray:
    """Probability of a dose-related event one step up a Hill (log-logistic) dose-response curve.

    Parameters
    ----------
    p : float or array_like
        Probability at the current dose, in (0, 1).
    ratio : float or array_like
        Step ratio new dose / current dose (> 0).
    hill : float or array_like
        Hill coefficient n (> 0), the steepness of the curve.

    Returns
    -------
    float or ndarray
        Probability at the new dose (broadcast shape of the inputs).

    Raises
    ------
    ValueError
        If ``p`` is outside (0, 1) or ``ratio`` or ``hill`` is not positive.

    Notes
    -----
    On the curve :math:`P(d) = d^n / (d^n + D_{50}^n)` the odds are :math:`(d / D_{50})^n`, so one step of ratio r
    multiplies them by :math:`r^n` whatever :math:`D_{50}` is:

    .. math:: \\frac{P'}{1-P'} = \\frac{P}{1-P}\\, r^{n}

    The curve is the sigmoid Emax model of Holford and Sheiner (1981) with the probability as the effect.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453.

    Examples
    --------
    >>> round(probability_after_step(0.10, 2.0, 4.0), 4)   # odds 1/9 x 16 = 16/9 -> 16/25
    0.64
    >>> round(probability_after_step(0.10, 1.33, 4.0), 3)
    0.258
    """
    prob = _validate.real_array(p, "p")
    if np.any((prob <= 0) | (prob >= 1)):
        raise ValueError(f"p must lie in (0, 1); got {p!r}")
    r = _validate.real_array(ratio, "ratio")
    n = _validate.real_array(hill, "hill")
    if np.any(r <= 0):
        raise ValueError(f"ratio must be > 0; got {ratio!r}")
    if np.any(n <= 0):
        raise ValueError(f"hill must be > 0; got {hill!r}")
    odds = prob / (1.0 - prob) * r ** n
    out = odds / (1.0 + odds)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class BelowActiveSimulation:
    """Result of :func:`simulate_patients_below_active`: one value per simulated trial, and the settings.

    Attributes
    ----------
    scheme : str
        Step scheme.
    fold_median : float
        Median of the active dose divided by the starting dose.
    gsd : float
        Geometric standard deviation of the active dose.
    cohort_size : int
        Patients per cohort.
    dlt_rate_below : float
        DLT probability of each patient at a level below the active dose.
    n_trials : int
        Number of simulated trials.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    active_fold : ndarray
        Drawn active dose / starting dose, one per trial.
    levels_below : ndarray of int
        Dose levels below the active dose, one per trial.
    patients_below : ndarray of int
        Patients treated below the active dose, one per trial.
    crossing_ratio : ndarray
        Ratio of the step that first reaches the active dose (1 if the start is already active).
    """

    scheme: str
    fold_median: float
    gsd: float
    cohort_size: int
    dlt_rate_below: float
    n_trials: int
    seed: int
    active_fold: np.ndarray
    levels_below: np.ndarray
    patients_below: np.ndarray
    crossing_ratio: np.ndarray

    @property
    def mean_patients(self) -> float:
        """Mean number of patients treated below the active dose."""
        return float(self.patients_below.mean())

    @property
    def mean_levels(self) -> float:
        """Mean number of dose levels below the active dose."""
        return float(self.levels_below.mean())

    def quantile(self, q: float) -> float:
        """Quantile ``q`` (in [0, 1]) of the patients treated below the active dose."""
        return float(np.quantile(self.patients_below, _validate.probability(q, "q", open_interval=False)))

    def prob_at_least(self, patients: int) -> float:
        """Share of simulated trials that treat at least ``patients`` patients below the active dose."""
        k = _validate.positive_int(patients, "patients", minimum=0)
        return float(np.mean(self.patients_below >= k))

    def summary(self, lang: str = "en") -> str:
        """The model and its result in one paragraph, in the reader's language.

        Examples
        --------
        >>> sim = simulate_patients_below_active(10.0, "doubling", gsd=1.0, n_trials=100, seed=1)
        >>> print(sim.summary("en"))  # doctest: +ELLIPSIS
        Doubling (+100%): 100 simulated trials (seed 1); ... 4.0 levels and 12.0 patients are below the active dose...
        """
        lang = check_lang(lang)
        return t("dg_summary", lang, scheme=scheme_label(self.scheme, lang), n=self.n_trials, seed=self.seed,
                 fold=f"{self.fold_median:.3g}", gsd=f"{self.gsd:.3g}", cohort=self.cohort_size,
                 dlt=f"{self.dlt_rate_below:.0%}", levels=f"{self.mean_levels:.1f}",
                 mean=f"{self.mean_patients:.1f}", p90=f"{self.quantile(0.9):.0f}")


def simulate_patients_below_active(fold_median: float, scheme: str, *, gsd: float = 2.0, cohort_size: int = 3,
                                   dlt_rate_below: float = 0.0, n_trials: int = 10_000,
                                   seed: int = 20250101) -> BelowActiveSimulation:
    """Monte Carlo: patients a 3+3-style escalation treats below the active dose when the start is too low.

    The model, stated plainly:

    1. Doses follow ``scheme`` from the starting dose (:func:`dose_levels`), one cohort per level.
    2. The *active dose* A is the lowest dose whose exposure reaches the efficacious threshold.  With linear PK
       it is proportional to the threshold exposure times clearance, and it is uncertain before the trial:
       A / start is log-normal with median ``fold_median`` and geometric standard deviation ``gsd``.
    3. Every level below A is treated with one cohort of ``cohort_size`` patients; a cohort is expanded by
       another ``cohort_size`` patients when exactly one of its first ``cohort_size`` patients has a DLT (the 3+3
       rule), each patient having DLT probability ``dlt_rate_below``.  Toxicity below A never stops the trial.
    4. The count stops at the first level at or above A.

    Parameters
    ----------
    fold_median : float
        Median active dose divided by the starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    gsd : float, default 2
        Geometric standard deviation of A (>= 1; 1 means A is known exactly).
    cohort_size : int, default 3
        Patients per cohort.
    dlt_rate_below : float, default 0
        DLT probability per patient at levels below A, in [0, 1).
    n_trials : int, default 10000
        Number of simulated trials.
    seed : int, default 20250101
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same result.

    Returns
    -------
    BelowActiveSimulation

    Raises
    ------
    ValueError
        If an argument is out of range or the scheme is unknown.

    Notes
    -----
    With :math:`L` = :func:`steps_to_reach` (A / start) levels below A and expansion probability
    :math:`q = m p (1-p)^{m-1}` (exactly one DLT among the first m patients), the patients below A are
    :math:`m (L + X)` with :math:`X \\sim \\mathrm{Binomial}(L, q)`, so

    .. math:: E[\\text{patients}] = m \\, E[L] \\, (1 + q)

    All trials are drawn at once (no loop over trials).

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720 (3+3 rules; "avoid exposing too many
    patients to subtherapeutic doses").

    Examples
    --------
    >>> sim = simulate_patients_below_active(10.0, "constant_33", gsd=1.0, n_trials=10, seed=0)
    >>> sim.levels_below[:3].tolist(), sim.patients_below[:3].tolist()   # 1.33**8 < 10 <= 1.33**9
    ([9, 9, 9], [27, 27, 27])
    """
    fold_median = _validate.positive(fold_median, "fold_median")
    _scheme(scheme)
    gsd = _validate.positive(gsd, "gsd")
    if gsd < 1:
        raise ValueError(f"gsd (geometric standard deviation) must be >= 1; got {gsd!r}")
    m = _validate.positive_int(cohort_size, "cohort_size")
    p = _validate.probability(dlt_rate_below, "dlt_rate_below", open_interval=False)
    if p >= 1:
        raise ValueError(f"dlt_rate_below must lie in [0, 1); got {dlt_rate_below!r}")
    n = _validate.positive_int(n_trials, "n_trials")
    seed = _validate.positive_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    active = fold_median * np.exp(np.log(gsd) * rng.standard_normal(n))
    levels = steps_to_reach(active, scheme)
    q = m * p * (1.0 - p) ** (m - 1)
    expanded = rng.binomial(levels, q)
    return BelowActiveSimulation(scheme=scheme, fold_median=fold_median, gsd=gsd, cohort_size=m,
                                 dlt_rate_below=p, n_trials=n, seed=seed, active_fold=active,
                                 levels_below=levels, patients_below=m * (levels + expanded),
                                 crossing_ratio=crossing_step_ratio(active, scheme))


def compare_schemes(fold: float, *, hill: float = 1.0, p_current: float = 0.10, gsd: float = 2.0,
                    cohort_size: int = 3, dlt_rate_below: float = 0.0, n_trials: int = 10_000,
                    seed: int = 20250101, lang: str = "en") -> pd.DataFrame:
    """One row per step scheme: levels to the target, patients below it, and the risk of the crossing step.

    Parameters
    ----------
    fold : float
        Target (active) dose / starting dose; the median when the active dose is uncertain.
    hill : float, default 1
        Hill coefficient of the dose-response used for the step risk.
    p_current : float, default 0.10
        Probability of the dose-related event at the level below the crossing step.
    gsd, cohort_size, dlt_rate_below, n_trials, seed
        Passed to :func:`simulate_patients_below_active` (each scheme uses the same seed).
    lang : {"en", "zh-tw"}
        Language of the headers and scheme names.

    Returns
    -------
    pandas.DataFrame
        Columns: scheme; steps and levels (start included) to reach ``fold``; patients below the target if it is
        known exactly (cohort_size x steps); mean and 90th percentile of patients below the uncertain active dose;
        ratio of the crossing step; probability after that step from ``p_current``.

    Examples
    --------
    >>> tab = compare_schemes(10.0, gsd=1.0, n_trials=100)
    >>> tab.iloc[:, 1].tolist()
    [4, 6, 9]
    """
    lang = check_lang(lang)
    rows = []
    for scheme in SCHEMES:
        sim = simulate_patients_below_active(fold, scheme, gsd=gsd, cohort_size=cohort_size,
                                             dlt_rate_below=dlt_rate_below, n_trials=n_trials, seed=seed)
        steps = steps_to_reach(fold, scheme)
        ratio = crossing_step_ratio(fold, scheme)
        rows.append({
            t("dg_col_scheme", lang): scheme_label(scheme, lang),
            t("dg_col_steps", lang): steps,
            t("dg_col_levels", lang): steps + 1,
            t("dg_col_patients_known", lang): cohort_size * steps,
            t("dg_col_patients_mean", lang): round(sim.mean_patients, 1),
            t("dg_col_patients_p90", lang): sim.quantile(0.9),
            t("dg_col_crossing", lang): ratio,
            t("dg_col_step_risk", lang, p=f"{p_current:.0%}", n=f"{hill:g}"):
                round(probability_after_step(p_current, ratio, hill), 3) if ratio > 1 else p_current,
        })
    return pd.DataFrame(rows)
