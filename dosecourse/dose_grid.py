"""Dose grids for escalation: step schemes, levels needed, overshoot, step risk, and patients below an active dose.

A dose-escalation trial moves along a ladder of dose levels fixed in the protocol.  This module builds such
ladders from three classical step schemes and answers three questions about them:

* how many levels separate a starting dose from a target dose (:func:`steps_to_reach`, :func:`levels_to_reach`),
  how far the first level at or above the target overshoots it (:func:`overshoot`, :func:`crossing_step_ratio`),
  and where a ladder lies on the exposure scale (:func:`exposure_ladder`, linear PK);
* what one step does on a dose-response curve of Hill coefficient n: it multiplies the odds of a dose-related
  event by r**n (:func:`probability_after_step`, :func:`crossing_step_risk`), so a risk limit caps the step
  (:func:`max_step_ratio`);
* how many patients a 3+3-style escalation treats below the active dose when the start is too low and the active
  dose is only known up to a log-normal uncertainty: exactly (:func:`expected_levels_below_active`,
  :func:`expected_patients_below_active`) and by a seeded, vectorised Monte Carlo
  (:func:`simulate_patients_below_active`, :func:`compare_schemes`).

Step schemes (:data:`SCHEMES`), each a sequence of ratios dose(k+1)/dose(k):

* ``"doubling"``: +100% at every step (ratio 2);
* ``"modified_fibonacci"``: +100%, +67%, +50%, +40%, then +33% at every later step, the increments reported by
  Le Tourneau et al. (2009) for the "modified Fibonacci" sequence (they give 30-35% for the later steps; 33% is
  used here).  Penel and Kramar (2012) found that trials citing the term used increments that varied widely
  (ratios 0.80 to 2.08; medians about 2.00, 1.50, 1.33, 1.33 ...), so a protocol should list its doses rather than
  name the sequence;
* ``"constant_33"``: +33% at every step (ratio 1.33).

Every public function checks its arguments with :mod:`dosecourse._validate`; a ladder holds at most
:data:`dosecourse._validate.MAX_DOSES` levels, an array of folds at most :data:`dosecourse._validate.MAX_GRID`
values and a simulation at most :data:`dosecourse._validate.MAX_TRIALS` trials.

References
----------
Le Tourneau C, Lee JJ, Siu LL. Dose escalation methods in phase I cancer clinical trials. J Natl Cancer Inst.
2009;101(10):708-720. doi:10.1093/jnci/djp079 (PMID 19436029)
Penel N, Kramar A. What does a modified-Fibonacci dose-escalation actually correspond to? BMC Med Res Methodol.
2012;12:103. doi:10.1186/1471-2288-12-103
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr

from . import _validate, pk
from .i18n import check_lang, t

SCHEMES: dict[str, tuple[tuple[float, ...], float]] = {
    "doubling": ((), 2.0),
    "modified_fibonacci": ((2.0, 1.67, 1.5, 1.4), 1.33),
    "constant_33": ((), 1.33),
}
"""Step schemes: ``name -> (first ratios, ratio of every later step)``; a ratio is dose(k+1) / dose(k)."""

_TOL = 1e-9  # relative tolerance: a product of ratios equal to the target "reaches" it despite rounding
_Z_TAIL = 12.0  # normal quantiles beyond which a tail probability (< 2e-33) is dropped from an exact sum


def _scheme(scheme: str) -> tuple[np.ndarray, float]:
    """The head ratios and tail ratio of ``scheme`` (checked to be one of :data:`SCHEMES`)."""
    _validate.one_of(scheme, "scheme", tuple(SCHEMES))
    head, tail = SCHEMES[scheme]
    return np.asarray(head, dtype=float), tail


def _folds(fold: object, name: str = "fold") -> np.ndarray:
    """``fold`` as a float array of positive ratios, at most :data:`dosecourse._validate.MAX_GRID` of them."""
    return _validate.real_array(fold, name, minimum=0.0, strict_minimum=True, max_size=_validate.MAX_GRID)


def _open_probabilities(p: object, name: str) -> np.ndarray:
    """``p`` (a number or an array of any shape) as a float array of probabilities in the open interval (0, 1)."""
    arr = _validate.real_array(p, name, max_size=_validate.MAX_GRID)
    if arr.size:
        _validate.probabilities(arr.ravel(), name)
    return arr


def scheme_label(scheme: str, lang: str = "en") -> str:
    """Name of a step scheme in the reader's language.

    Parameters
    ----------
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme (see :data:`SCHEMES`).
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If the scheme or the language is unknown.

    Examples
    --------
    >>> scheme_label("modified_fibonacci", "zh-tw")
    '修正費氏數列'
    """
    _scheme(scheme)
    return t("dg_scheme_" + scheme, check_lang(lang))


def step_ratios(scheme: str, n_steps: int) -> np.ndarray:
    """The first ``n_steps`` ratios dose(k+1)/dose(k) of a step scheme.

    Parameters
    ----------
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme (see :data:`SCHEMES`).
    n_steps : int
        Number of escalation steps, 1 to :data:`dosecourse._validate.MAX_DOSES`.

    Returns
    -------
    ndarray
        ``n_steps`` ratios, each > 1.

    Raises
    ------
    ValueError
        If the scheme is unknown or ``n_steps`` is out of range.
    TypeError
        If ``n_steps`` is not a whole number.

    Notes
    -----
    .. math:: r_k = h_k \\ (k \\le K), \\qquad r_k = r_{tail} \\ (k > K)

    for a scheme with first ratios :math:`h_1, \\dots, h_K` and a constant later ratio :math:`r_{tail}`.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> step_ratios("modified_fibonacci", 6).tolist()
    [2.0, 1.67, 1.5, 1.4, 1.33, 1.33]
    """
    head, tail = _scheme(scheme)
    n = _validate.positive_int(n_steps, "n_steps", maximum=_validate.MAX_DOSES)
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
        Number of dose levels, the start included, 1 to :data:`dosecourse._validate.MAX_DOSES`.

    Returns
    -------
    ndarray
        Doses d_1 = start, d_(k+1) = d_k x r_k.

    Raises
    ------
    ValueError
        If ``start`` is not positive, the scheme is unknown or ``n_levels`` is out of range.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: d_k = d_1 \\prod_{j=1}^{k-1} r_j

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> dose_levels(10.0, "doubling", 4).tolist()
    [10.0, 20.0, 40.0, 80.0]
    >>> dose_levels(10.0, "modified_fibonacci", 5).round(2).tolist()
    [10.0, 20.0, 33.4, 50.1, 70.14]
    """
    start = _validate.positive(start, "start")
    _scheme(scheme)
    n = _validate.positive_int(n_levels, "n_levels", maximum=_validate.MAX_DOSES)
    if n == 1:
        return np.array([start])
    return start * np.concatenate(([1.0], np.cumprod(step_ratios(scheme, n - 1))))


def _steps(folds: np.ndarray, head: np.ndarray, tail: float) -> np.ndarray:
    """Steps to reach each fold (no argument checks; the simulation calls it on up to MAX_TRIALS draws)."""
    logf = np.log(folds)
    need = logf - _TOL * np.maximum(1.0, np.abs(logf))  # a product equal to the fold reaches it
    cum = np.cumsum(np.log(head))
    total = cum[-1] if cum.size else 0.0
    in_head = np.searchsorted(cum, need, side="left") + 1
    in_tail = head.size + np.ceil((need - total) / np.log(tail))
    return np.where(logf <= 0, 0, np.where(need <= total, in_head, in_tail)).astype(np.int64)


def steps_to_reach(fold: float | np.ndarray, scheme: str) -> int | np.ndarray:
    """Number of escalation steps from a start dose to the first level at or above ``fold`` x start.

    Parameters
    ----------
    fold : float or array_like
        Target dose divided by starting dose (> 0); values <= 1 need no step.  At most
        :data:`dosecourse._validate.MAX_GRID` values.
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
    TypeError
        If ``fold`` is not numeric.

    Notes
    -----
    With a constant ratio r the answer is :math:`k = \\lceil \\ln(\\mathrm{fold}) / \\ln r \\rceil`; a scheme with
    decreasing first ratios is searched through its first ratios and then uses the same formula for the rest.
    A product within a relative 1e-9 (on the log scale) of the fold reaches it.  The calculation is vectorised
    over ``fold``.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> [steps_to_reach(10.0, s) for s in ("doubling", "modified_fibonacci", "constant_33")]
    [4, 6, 9]
    >>> steps_to_reach([0.5, 1.0, 2.0, 8.0], "doubling").tolist()
    [0, 0, 1, 3]
    """
    folds = _folds(fold)
    head, tail = _scheme(scheme)
    steps = _steps(folds, head, tail)
    return int(steps) if steps.ndim == 0 else steps


def levels_to_reach(fold: float | np.ndarray, scheme: str) -> int | np.ndarray:
    """Number of dose levels from the start to the first level at or above the target, both included.

    Parameters
    ----------
    fold : float or array_like
        Target dose / starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.

    Returns
    -------
    int or ndarray of int
        :func:`steps_to_reach` + 1: the starting level counts.

    Raises
    ------
    ValueError, TypeError
        As :func:`steps_to_reach`.

    Notes
    -----
    .. math:: \\mathrm{levels} = \\mathrm{steps\\_to\\_reach}(\\mathrm{fold}) + 1

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> levels_to_reach(10.0, "doubling")   # 1, 2, 4, 8, 16 x start
    5
    """
    return steps_to_reach(fold, scheme) + 1


def crossing_step_ratio(fold: float | np.ndarray, scheme: str) -> float | np.ndarray:
    """Ratio of the step that first reaches the target (from the last level below it to the first at or above).

    Parameters
    ----------
    fold : float or array_like
        Target dose / starting dose (> 0; a step exists only for fold > 1).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.

    Returns
    -------
    float or ndarray
        The ratio r_k for k = :func:`steps_to_reach`; 1 where no step is needed.

    Raises
    ------
    ValueError, TypeError
        As :func:`steps_to_reach`.

    Notes
    -----
    .. math:: r_{cross} = r_k, \\quad k = \\mathrm{steps\\_to\\_reach}(\\mathrm{fold}) \\ (k \\ge 1); \\qquad
              r_{cross} = 1 \\ (k = 0)

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> crossing_step_ratio(3.0, "modified_fibonacci")   # 1 -> 2 -> 3.34: the second step, +67%
    1.67
    """
    folds = _folds(fold)
    head, tail = _scheme(scheme)
    return _validate.scalar_or_array(_crossing(_steps(folds, head, tail), head, tail))


def _crossing(steps: np.ndarray, head: np.ndarray, tail: float) -> np.ndarray:
    """Ratio of step number ``steps`` (1 where ``steps`` is 0), same shape."""
    padded = np.concatenate((head, [tail]))
    return np.where(steps == 0, 1.0, padded[np.clip(steps - 1, 0, head.size)])


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

    Raises
    ------
    ValueError, TypeError
        As :func:`steps_to_reach`.

    Notes
    -----
    .. math:: \\mathrm{overshoot} = \\frac{\\prod_{j \\le k} r_j}{\\mathrm{fold}},
              \\quad k = \\mathrm{steps\\_to\\_reach}(\\mathrm{fold})

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> round(overshoot(9.0, "doubling"), 4)   # 16 / 9
    1.7778
    """
    folds = _folds(fold)
    head, tail = _scheme(scheme)
    steps = np.atleast_1d(_steps(folds, head, tail))
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
        Probability at the new dose (broadcast shape of the inputs, at most
        :data:`dosecourse._validate.MAX_GRID` values).

    Raises
    ------
    ValueError
        If ``p`` is outside (0, 1), ``ratio`` or ``hill`` is not positive, or the shapes do not broadcast.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    On the curve :math:`P(d) = d^n / (d^n + D_{50}^n)` the odds are :math:`(d / D_{50})^n`, so one step of ratio r
    multiplies them by :math:`r^n` whatever :math:`D_{50}` is:

    .. math:: \\frac{P'}{1-P'} = \\frac{P}{1-P}\\, r^{n}

    The curve is the sigmoid Emax model of Holford and Sheiner (1981) with the probability as the effect.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> round(probability_after_step(0.10, 2.0, 4.0), 4)   # odds 1/9 x 16 = 16/9 -> 16/25
    0.64
    >>> round(probability_after_step(0.10, 1.33, 4.0), 3)
    0.258
    """
    prob = _open_probabilities(p, "p")
    r = _validate.real_array(ratio, "ratio", minimum=0.0, strict_minimum=True, max_size=_validate.MAX_GRID)
    n = _validate.real_array(hill, "hill", minimum=0.0, strict_minimum=True, max_size=_validate.MAX_GRID)
    try:
        shape = np.broadcast_shapes(prob.shape, r.shape, n.shape)
    except ValueError:
        raise ValueError(f"p, ratio and hill must have shapes that broadcast together; got {prob.shape}, "
                         f"{r.shape} and {n.shape}") from None
    if int(np.prod(shape)) > _validate.MAX_GRID:
        raise ValueError(f"p, ratio and hill broadcast to {int(np.prod(shape)):,} values; at most "
                         f"{_validate.MAX_GRID:,} are accepted")
    odds = prob / (1.0 - prob) * r ** n
    return _validate.scalar_or_array(odds / (1.0 + odds))


def max_step_ratio(p_current: float, p_limit: float, hill: float) -> float:
    """Largest step ratio that keeps the probability of a dose-related event at or below ``p_limit``.

    The inverse of :func:`probability_after_step` in the ratio.

    Parameters
    ----------
    p_current : float
        Probability at the current dose, in (0, 1).
    p_limit : float
        Highest acceptable probability at the next dose, in (0, 1).
    hill : float
        Hill coefficient n (> 0).

    Returns
    -------
    float
        The ratio r_max: > 1 when ``p_limit`` > ``p_current`` (< 1 when the current dose is already above the
        limit).

    Raises
    ------
    ValueError
        If a probability is outside (0, 1) or ``hill`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    One step of ratio r multiplies the odds by :math:`r^n`, so the limit is reached at

    .. math:: r_{max} = \\left(\\frac{p_{lim}/(1-p_{lim})}{p/(1-p)}\\right)^{1/n}

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> round(max_step_ratio(0.10, 0.25, 4.0), 4)   # odds may triple: 3 ** (1/4)
    1.3161
    """
    p = _validate.probability(p_current, "p_current")
    lim = _validate.probability(p_limit, "p_limit")
    n = _validate.positive(hill, "hill")
    return float(((lim / (1.0 - lim)) / (p / (1.0 - p))) ** (1.0 / n))


def crossing_step_risk(fold: float | np.ndarray, scheme: str, hill: float,
                       p_current: float = 0.10) -> float | np.ndarray:
    """Probability of the dose-related event after the step that first reaches the target dose.

    Parameters
    ----------
    fold : float or array_like
        Target dose / starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    hill : float
        Hill coefficient n (> 0) of the dose-response.
    p_current : float, default 0.10
        Probability at the last level below the target, in (0, 1).

    Returns
    -------
    float or ndarray
        :func:`probability_after_step` of the :func:`crossing_step_ratio`; ``p_current`` where no step is needed
        (fold <= 1).

    Raises
    ------
    ValueError, TypeError
        On a bad fold, scheme, Hill coefficient or probability.

    Notes
    -----
    .. math:: P_{cross} = \\frac{o\\, r_{cross}^{n}}{1 + o\\, r_{cross}^{n}}, \\qquad o = \\frac{p}{1-p}

    with :math:`r_{cross} = 1` (no step) when the start already reaches the target.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> [round(crossing_step_risk(9.4, s, 4.0), 3) for s in SCHEMES]
    [0.64, 0.258, 0.258]
    """
    ratio = crossing_step_ratio(fold, scheme)
    p = _validate.probability(p_current, "p_current")
    n = _validate.positive(hill, "hill")
    out = np.where(np.asarray(ratio) > 1, probability_after_step(p, ratio, n), p)
    return _validate.scalar_or_array(out)


@dataclass(frozen=True)
class ExposureLadder:
    """Doses of an escalation ladder and their exposures, up to past the first level reaching a target exposure.

    Parameters
    ----------
    scheme : str
        Step scheme of the ladder.
    doses : ndarray
        Dose of each level (increasing, > 0).
    auc : ndarray
        AUC at each level (increasing, > 0; proportional to the dose with linear PK).
    auc_target : float
        Target (efficacious) AUC (> 0).
    first_active : int
        Index (from 0) of the first level whose AUC reaches ``auc_target``.

    Raises
    ------
    ValueError, TypeError
        If the attributes are inconsistent (built by :func:`exposure_ladder`, they are not).
    """

    scheme: str
    doses: np.ndarray
    auc: np.ndarray
    auc_target: float
    first_active: int

    def __post_init__(self) -> None:
        _scheme(self.scheme)
        doses = _validate.real_array(self.doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                     increasing=True, max_size=_validate.MAX_DOSES).copy()
        auc = _validate.real_array(self.auc, "auc", length=doses.size, minimum=0.0, strict_minimum=True,
                                   increasing=True).copy()
        target = _validate.positive(self.auc_target, "auc_target")
        first = _validate.integer(self.first_active, "first_active", minimum=0, maximum=doses.size - 1)
        reaches = auc >= target * (1 - _TOL)
        if not reaches[first] or (first > 0 and reaches[first - 1]):
            raise ValueError(f"first_active must be the index of the first level whose AUC reaches auc_target; "
                             f"got {first} for AUCs {auc.round(4).tolist()} and target {target:g}")
        for arr in (doses, auc):
            arr.setflags(write=False)
        object.__setattr__(self, "doses", doses)
        object.__setattr__(self, "auc", auc)
        object.__setattr__(self, "auc_target", target)
        object.__setattr__(self, "first_active", first)

    @property
    def levels_below(self) -> int:
        """Number of levels whose AUC is below the target."""
        return self.first_active

    @property
    def first_active_dose(self) -> float:
        """Dose of the first level whose AUC reaches the target."""
        return float(self.doses[self.first_active])


def exposure_ladder(start: float, scheme: str, cl: float, auc_target: float, *, f: float = 1.0,
                    extra_levels: int = 1) -> ExposureLadder:
    """The ladder from ``start`` up to ``extra_levels`` past the first level whose AUC reaches ``auc_target``.

    Parameters
    ----------
    start : float
        Starting dose (> 0), e.g. mg.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    cl : float
        (Predicted human) clearance (> 0), e.g. L/h.
    auc_target : float
        Target (efficacious) AUC (> 0), e.g. mg*h/L.
    f : float, default 1
        Bioavailability, in (0, 1].
    extra_levels : int, default 1
        Levels drawn past the first one reaching the target (>= 0).

    Returns
    -------
    ExposureLadder

    Raises
    ------
    ValueError
        If an argument is out of range, the scheme is unknown or the ladder would exceed
        :data:`dosecourse._validate.MAX_DOSES` levels.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With linear PK each level's AUC (single dose to infinity, or one interval at steady state) is
    :math:`AUC_k = F d_k / CL` (:func:`dosecourse.pk.auc_inf`), so the first level reaching the target is level
    :math:`k = \\mathrm{steps\\_to\\_reach}(AUC_{target} / AUC_1)` (from 0).

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> lad = exposure_ladder(10.0, "doubling", cl=2.0, auc_target=30.0, f=0.5)   # AUC 2.5, 5, 10, 20, 40, 80
    >>> lad.auc.tolist(), lad.first_active, lad.first_active_dose
    ([2.5, 5.0, 10.0, 20.0, 40.0, 80.0], 4, 160.0)
    """
    start = _validate.positive(start, "start")
    auc_start = pk.auc_inf(start, cl, f)
    auc_target = _validate.positive(auc_target, "auc_target")
    extra = _validate.integer(extra_levels, "extra_levels", minimum=0, maximum=_validate.MAX_DOSES)
    steps = steps_to_reach(auc_target / auc_start, scheme)
    if steps + 1 + extra > _validate.MAX_DOSES:
        raise ValueError(f"the ladder would need {steps + 1 + extra} levels to reach auc_target; at most "
                         f"{_validate.MAX_DOSES} are accepted (raise start or lower auc_target)")
    doses = dose_levels(start, scheme, steps + 1 + extra)
    return ExposureLadder(scheme=scheme, doses=doses, auc=doses * (auc_start / start), auc_target=auc_target,
                          first_active=steps)


def expansion_probability(dlt_rate: float, cohort_size: int = 3) -> float:
    """Probability that a cohort is expanded under the 3+3 rule: exactly one DLT among its first patients.

    Parameters
    ----------
    dlt_rate : float
        DLT probability of each patient, in [0, 1].
    cohort_size : int, default 3
        Patients in the first part of the cohort (1 to :data:`dosecourse._validate.MAX_PATIENTS`).

    Returns
    -------
    float
        The probability q, in [0, 1].

    Raises
    ------
    ValueError, TypeError
        On a bad probability or cohort size.

    Notes
    -----
    .. math:: q = m\\, p\\, (1-p)^{m-1}

    (a binomial probability of exactly one event among m patients).

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> round(expansion_probability(0.10), 4)   # 3 x 0.1 x 0.9 ** 2
    0.243
    """
    p = _validate.probability(dlt_rate, "dlt_rate", open_interval=False)
    m = _validate.positive_int(cohort_size, "cohort_size", maximum=_validate.MAX_PATIENTS)
    return m * p * (1.0 - p) ** (m - 1)


def _active_dose_args(fold_median: object, scheme: str, gsd: object) -> tuple[float, np.ndarray, float, float]:
    """Checked ``fold_median``, the scheme's head and tail ratios, and ``gsd`` (>= 1)."""
    fold = _validate.positive(fold_median, "fold_median")
    head, tail = _scheme(scheme)
    return fold, head, tail, _validate.number(gsd, "gsd", minimum=1.0)


def expected_levels_below_active(fold_median: float, scheme: str, *, gsd: float = 2.0) -> float:
    """Exact expected number of dose levels below a log-normally uncertain active dose.

    Parameters
    ----------
    fold_median : float
        Median active dose divided by the starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    gsd : float, default 2
        Geometric standard deviation of the active dose (>= 1; 1 means it is known exactly).

    Returns
    -------
    float
        E[L], with L = :func:`steps_to_reach` (A / start) the number of levels strictly below the active dose A.

    Raises
    ------
    ValueError, TypeError
        On a bad fold, scheme or geometric SD.

    Notes
    -----
    With the cumulative step products :math:`D_0 = 1, D_k = r_1 \\cdots r_k`, :math:`L \\ge k + 1` exactly when
    :math:`A > D_k`, and :math:`\\ln A \\sim N(\\ln \\mathrm{fold}, (\\ln \\mathrm{gsd})^2)`, so

    .. math:: E[L] = \\sum_{k \\ge 0} P(A > D_k)
              = \\sum_{k \\ge 0} \\Phi\\!\\left(\\frac{\\ln \\mathrm{fold} - \\ln D_k}{\\ln \\mathrm{gsd}}\\right)

    summed until the terms fall below :math:`\\Phi(-12)`; for gsd = 1 it is :func:`steps_to_reach` (fold).

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> expected_levels_below_active(10.0, "doubling", gsd=1.0)
    4.0
    >>> round(expected_levels_below_active(8.0, "doubling", gsd=2.0), 4)   # log2 A ~ N(3, 1)
    3.5
    """
    fold, head, tail, gsd = _active_dose_args(fold_median, scheme, gsd)
    if gsd == 1.0:
        return float(_steps(np.asarray(fold), head, tail))
    sigma, log_fold = np.log(gsd), np.log(fold)
    cum = np.concatenate(([0.0], np.cumsum(np.log(head))))       # ln D_0 .. ln D_K
    beyond = max(0.0, log_fold + _Z_TAIL * sigma - cum[-1])
    n_tail = int(np.ceil(beyond / np.log(tail))) + 1
    if n_tail > _validate.MAX_GRID:
        raise ValueError(f"fold_median and gsd need {n_tail:,} levels in the exact sum; at most "
                         f"{_validate.MAX_GRID:,} are accepted")
    log_d = np.concatenate((cum, cum[-1] + np.log(tail) * np.arange(1, n_tail + 1)))
    return float(np.sum(ndtr((log_fold - log_d) / sigma)))


def expected_patients_below_active(fold_median: float, scheme: str, *, gsd: float = 2.0, cohort_size: int = 3,
                                   dlt_rate_below: float = 0.0) -> float:
    """Exact expected number of patients a 3+3-style escalation treats below an uncertain active dose.

    The model is that of :func:`simulate_patients_below_active`; this is its exact mean.

    Parameters
    ----------
    fold_median : float
        Median active dose divided by the starting dose (> 0).
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    gsd : float, default 2
        Geometric standard deviation of the active dose (>= 1).
    cohort_size : int, default 3
        Patients per cohort.
    dlt_rate_below : float, default 0
        DLT probability per patient at levels below the active dose, in [0, 1).

    Returns
    -------
    float
        E[patients below the active dose].

    Raises
    ------
    ValueError, TypeError
        On a bad argument.

    Notes
    -----
    Each of the L levels below the active dose treats m patients, and m more with probability
    :math:`q` (:func:`expansion_probability`), independently of L, so

    .. math:: E[\\text{patients}] = m\\, E[L]\\, (1 + q)

    with :math:`E[L]` from :func:`expected_levels_below_active`.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> round(expected_patients_below_active(10.0, "doubling", gsd=1.0, dlt_rate_below=0.2), 4)   # 12 x 1.384
    16.608
    """
    levels = expected_levels_below_active(fold_median, scheme, gsd=gsd)
    p = _validate.number(dlt_rate_below, "dlt_rate_below", minimum=0.0, maximum=1.0, strict_maximum=True)
    m = _validate.positive_int(cohort_size, "cohort_size", maximum=_validate.MAX_PATIENTS)
    return m * levels * (1.0 + expansion_probability(p, m))


def _frozen(values: object, name: str, *, whole: bool = False, length: int | None = None,
            minimum: float | None = None) -> np.ndarray:
    """A read-only 1-D copy of ``values`` (whole numbers when ``whole``), checked with :mod:`_validate`."""
    if whole:
        arr = _validate.whole_array(values, name, minimum=0 if minimum is None else int(minimum), ndim=1)
        if length is not None and arr.size != length:
            raise ValueError(f"{name} must have one value per trial ({length}); got {arr.size}")
    else:
        arr = _validate.real_array(values, name, ndim=1, minimum=minimum, max_size=_validate.MAX_TRIALS)
        if length is not None and arr.size != length:
            raise ValueError(f"{name} must have one value per trial ({length}); got {arr.size}")
    arr = np.array(arr, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class BelowActiveSimulation:
    """Result of :func:`simulate_patients_below_active`: one value per simulated trial, and the settings.

    Parameters
    ----------
    scheme : str
        Step scheme.
    fold_median : float
        Median of the active dose divided by the starting dose.
    gsd : float
        Geometric standard deviation of the active dose (>= 1).
    cohort_size : int
        Patients per cohort.
    dlt_rate_below : float
        DLT probability of each patient at a level below the active dose, in [0, 1).
    n_trials : int
        Number of simulated trials.
    seed : int or None
        The seed used (None when a Generator was passed).
    active_fold : ndarray
        Drawn active dose / starting dose, one per trial.
    levels_below : ndarray of int
        Dose levels below the active dose, one per trial.
    patients_below : ndarray of int
        Patients treated below the active dose, one per trial.
    crossing_ratio : ndarray
        Ratio of the step that first reaches the active dose (1 if the start is already active).

    Raises
    ------
    ValueError, TypeError
        If an attribute is out of range or an array does not hold one value per trial.

    Notes
    -----
    The arrays are read-only copies, so a result can be cached and shared.
    """

    scheme: str
    fold_median: float
    gsd: float
    cohort_size: int
    dlt_rate_below: float
    n_trials: int
    seed: int | None
    active_fold: np.ndarray
    levels_below: np.ndarray
    patients_below: np.ndarray
    crossing_ratio: np.ndarray

    def __post_init__(self) -> None:
        fold, _, _, gsd = _active_dose_args(self.fold_median, self.scheme, self.gsd)
        m = _validate.positive_int(self.cohort_size, "cohort_size", maximum=_validate.MAX_PATIENTS)
        p = _validate.number(self.dlt_rate_below, "dlt_rate_below", minimum=0.0, maximum=1.0, strict_maximum=True)
        n = _validate.n_trials(self.n_trials)
        seed = _validate.seed(self.seed)
        active = _frozen(self.active_fold, "active_fold", length=n, minimum=0.0)
        levels = _frozen(self.levels_below, "levels_below", whole=True, length=n)
        patients = _frozen(self.patients_below, "patients_below", whole=True, length=n)
        crossing = _frozen(self.crossing_ratio, "crossing_ratio", length=n, minimum=1.0)
        if np.any(patients < m * levels) or np.any(patients > 2 * m * levels):
            raise ValueError(f"patients_below must lie between cohort_size x levels_below and twice that in every "
                             f"trial (cohort_size {m})")
        for name, value in (("fold_median", fold), ("gsd", gsd), ("cohort_size", m), ("dlt_rate_below", p),
                            ("n_trials", n), ("seed", seed), ("active_fold", active), ("levels_below", levels),
                            ("patients_below", patients), ("crossing_ratio", crossing)):
            object.__setattr__(self, name, value)

    @property
    def mean_patients(self) -> float:
        """Mean number of patients treated below the active dose."""
        return float(self.patients_below.mean())

    @property
    def mean_levels(self) -> float:
        """Mean number of dose levels below the active dose."""
        return float(self.levels_below.mean())

    @property
    def se_patients(self) -> float:
        """Monte Carlo standard error of :attr:`mean_patients` (SD / sqrt(n_trials))."""
        return float(self.patients_below.std() / np.sqrt(self.n_trials))

    def quantile(self, q: float) -> float:
        """Quantile ``q`` (in [0, 1]) of the patients treated below the active dose.

        Parameters
        ----------
        q : float
            Quantile level, in [0, 1] (0.5 is the median).

        Returns
        -------
        float
            The quantile over the simulated trials (:func:`numpy.quantile`, linear interpolation).
        """
        return float(np.quantile(self.patients_below, _validate.probability(q, "q", open_interval=False)))

    def prob_at_least(self, patients: int) -> float:
        """Share of simulated trials that treat at least ``patients`` patients below the active dose.

        Parameters
        ----------
        patients : int
            Number of patients, >= 0.

        Returns
        -------
        float
            In [0, 1].
        """
        k = _validate.integer(patients, "patients", minimum=0)
        return float(np.mean(self.patients_below >= k))

    def summary(self, lang: str = "en") -> str:
        """The model and its result in one paragraph, in the reader's language.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the paragraph (default ``"en"``).

        Returns
        -------
        str
            The scheme, trials and seed, the assumed active-dose distribution, cohort size and DLT rate, and the
            mean levels, mean patients and 90th percentile of patients below the active dose.

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
                                   seed: int | np.random.Generator | None = _validate.DEFAULT_SEED
                                   ) -> BelowActiveSimulation:
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
        Patients per cohort (1 to :data:`dosecourse._validate.MAX_PATIENTS`).
    dlt_rate_below : float, default 0
        DLT probability per patient at levels below A, in [0, 1).
    n_trials : int, default 10000
        Number of simulated trials (1 to :data:`dosecourse._validate.MAX_TRIALS`).
    seed : int, None or numpy.random.Generator, default 2025
        Random state (:func:`dosecourse._validate.rng`); the same seed gives the same result.

    Returns
    -------
    BelowActiveSimulation

    Raises
    ------
    ValueError
        If an argument is out of range or the scheme is unknown.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With :math:`L` = :func:`steps_to_reach` (A / start) levels below A and expansion probability
    :math:`q = m p (1-p)^{m-1}` (:func:`expansion_probability`), the patients below A are
    :math:`m (L + X)` with :math:`X \\sim \\mathrm{Binomial}(L, q)`, so

    .. math:: E[\\text{patients}] = m \\, E[L] \\, (1 + q)

    (exactly: :func:`expected_patients_below_active`).  All trials are drawn at once (no loop over trials): first
    the standard normal deviates of ln A, then the binomial expansions.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720 (3+3 rules; "avoid exposing too many
    patients to subtherapeutic doses"). doi:10.1093/jnci/djp079

    Examples
    --------
    >>> sim = simulate_patients_below_active(10.0, "constant_33", gsd=1.0, n_trials=10, seed=0)
    >>> sim.levels_below[:3].tolist(), sim.patients_below[:3].tolist()   # 1.33**8 < 10 <= 1.33**9
    ([9, 9, 9], [27, 27, 27])
    """
    fold, head, tail, gsd = _active_dose_args(fold_median, scheme, gsd)
    m = _validate.positive_int(cohort_size, "cohort_size", maximum=_validate.MAX_PATIENTS)
    p = _validate.number(dlt_rate_below, "dlt_rate_below", minimum=0.0, maximum=1.0, strict_maximum=True)
    n = _validate.n_trials(n_trials)
    gen, used_seed = _validate.rng(seed)
    active = fold * np.exp(np.log(gsd) * gen.standard_normal(n))
    levels = _steps(active, head, tail)
    expanded = gen.binomial(levels, expansion_probability(p, m))
    return BelowActiveSimulation(scheme=scheme, fold_median=fold, gsd=gsd, cohort_size=m, dlt_rate_below=p,
                                 n_trials=n, seed=used_seed, active_fold=active, levels_below=levels,
                                 patients_below=m * (levels + expanded), crossing_ratio=_crossing(levels, head, tail))


def compare_schemes(fold: float, *, hill: float = 1.0, p_current: float = 0.10, gsd: float = 2.0,
                    cohort_size: int = 3, dlt_rate_below: float = 0.0, n_trials: int = 10_000,
                    seed: int | None = _validate.DEFAULT_SEED, lang: str = "en") -> pd.DataFrame:
    """One row per step scheme: levels to the target, patients below it, and the risk of the crossing step.

    Parameters
    ----------
    fold : float
        Target (active) dose / starting dose (> 0); the median when the active dose is uncertain.
    hill : float, default 1
        Hill coefficient of the dose-response used for the step risk (> 0).
    p_current : float, default 0.10
        Probability of the dose-related event at the level below the crossing step, in (0, 1).
    gsd : float, default 2
        Geometric standard deviation of the active dose (>= 1).
    cohort_size : int, default 3
        Patients per cohort.
    dlt_rate_below : float, default 0
        DLT probability per patient below the active dose, in [0, 1).
    n_trials : int, default 10000
        Simulated trials per scheme.
    seed : int or None, default 2025
        Seed of :func:`simulate_patients_below_active`; every scheme uses the same seed.
    lang : {"en", "zh-tw"}
        Language of the headers and scheme names.

    Returns
    -------
    pandas.DataFrame
        Columns: scheme; steps and levels (start included) to reach ``fold``; patients below the target if it is
        known exactly (cohort_size x steps); mean and 90th percentile of patients below the uncertain active dose;
        ratio of the crossing step; probability after that step from ``p_current`` (:func:`crossing_step_risk`).

    Raises
    ------
    ValueError, TypeError
        On a bad argument (as :func:`simulate_patients_below_active` and :func:`crossing_step_risk`).

    Notes
    -----
    The step risk is :math:`o r^n / (1 + o r^n)` with :math:`o = p/(1-p)` and r the crossing step ratio.

    References
    ----------
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> tab = compare_schemes(10.0, gsd=1.0, n_trials=100)
    >>> tab.iloc[:, 1].tolist()
    [4, 6, 9]
    """
    lang = check_lang(lang)
    p = _validate.probability(p_current, "p_current")
    hill = _validate.positive(hill, "hill")
    rows = []
    for scheme in SCHEMES:
        sim = simulate_patients_below_active(fold, scheme, gsd=gsd, cohort_size=cohort_size,
                                             dlt_rate_below=dlt_rate_below, n_trials=n_trials, seed=seed)
        steps = steps_to_reach(fold, scheme)
        ratio = crossing_step_ratio(fold, scheme)
        risk = crossing_step_risk(fold, scheme, hill, p)
        rows.append({
            t("dg_col_scheme", lang): scheme_label(scheme, lang),
            t("dg_col_steps", lang): steps,
            t("dg_col_levels", lang): steps + 1,
            t("dg_col_patients_known", lang): sim.cohort_size * steps,
            t("dg_col_patients_mean", lang): round(sim.mean_patients, 1),
            t("dg_col_patients_p90", lang): sim.quantile(0.9),
            t("dg_col_crossing", lang): ratio,
            t("dg_col_step_risk", lang, p=f"{p:.0%}", n=f"{hill:g}"): round(risk, 3) if ratio > 1 else p,
        })
    return pd.DataFrame(rows)
