"""Statistics helpers for binomial proportions: exact intervals, their precision over simulated trials, and the
counts a typical trial would observe.

* :func:`clopper_pearson`: the Clopper-Pearson ("exact") confidence interval for a response rate, vectorised,
  computed by :func:`statsmodels.stats.proportion.proportion_confint` (``method="beta"``), with the interval
  [0, 1] for a dose that has no patient;
* :func:`interval_summary`: how precisely many simulated trials estimate a rate at each dose (mean interval
  width, mean naive estimate, coverage), the yardstick of what extra patients at a dose buy;
* :func:`expected_counts`: the responders (or DLTs) a trial with ``n_per_dose`` patients per dose would observe
  if every count came out at its expected value.

Doses are the last axis of every array (dose 1 first); simulated trials, when there are several, the first.

References
----------
Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the binomial.
Biometrika. 1934;26(4):404-413. doi:10.1093/biomet/26.4.404
Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion. Stat Sci. 2001;16(2):101-133.
doi:10.1214/ss/1009213286
Reference software: statsmodels ``statsmodels.stats.proportion.proportion_confint(count, nobs, alpha,
method="beta")`` (used), R ``stats::binom.test(x, n, conf.level)$conf.int`` and SciPy
``scipy.stats.binomtest(x, n).proportion_ci(method="exact")`` (checked in ``tests/test_stats.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate

__all__ = ["IntervalSummary", "clopper_pearson", "expected_counts", "interval_summary"]


def _level(level: object) -> float:
    return _validate.probability(level, "level")


def _counts(x: object, n: object) -> tuple[np.ndarray, np.ndarray]:
    """Responders ``x`` and patients ``n`` as int arrays of one shape, 0 <= x <= n, at most MAX_GRID values."""
    x_a = _validate.whole_array(x, "x")
    n_a = _validate.whole_array(n, "n")
    if x_a.shape != n_a.shape:
        raise ValueError(f"x and n must have the same shape (one count per dose and trial); got {x_a.shape} and "
                         f"{n_a.shape}")
    if x_a.size > _validate.MAX_GRID:
        raise ValueError(f"x and n may hold at most {_validate.MAX_GRID:,} counts; got {x_a.size:,}")
    if np.any(n_a > _validate.MAX_PATIENTS):
        raise ValueError(f"n may not exceed {_validate.MAX_PATIENTS:,} patients; got {int(n_a.max()):,}")
    if np.any(x_a > n_a):
        raise ValueError(f"x cannot exceed n; got x={x_a[x_a > n_a].tolist()[:5]} where n="
                         f"{n_a[x_a > n_a].tolist()[:5]}")
    return x_a, n_a


def clopper_pearson(x, n, level: float = 0.90) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson ("exact") confidence interval for a binomial proportion, for arrays of counts.

    Parameters
    ----------
    x, n : array_like of int
        Responders and patients, any shape (the same for both), 0 <= x <= n.  With n = 0 the interval is
        [0, 1]: the dose gives no information.
    level : float
        Confidence level, in (0, 1) (default 0.90).

    Returns
    -------
    (lower, upper) : tuple of ndarray
        Float arrays of the shape of ``x``.

    Raises
    ------
    ValueError, TypeError
        If ``level`` is not in (0, 1), or the counts are not whole numbers, negative, of different shapes, or
        x exceeds n; each message names the argument.

    Notes
    -----
    With :math:`\\alpha = 1 - \\text{level}` and :math:`B(q; a, b)` the q quantile of a Beta(a, b) distribution,

    .. math:: p_L = B(\\alpha/2;\\; x,\\, n - x + 1) \\;(0 \\text{ when } x = 0), \\qquad
              p_U = B(1 - \\alpha/2;\\; x + 1,\\, n - x) \\;(1 \\text{ when } x = n),

    the rates at which the binomial tails equal :math:`\\alpha/2`: :math:`\\Pr(X \\ge x \\mid p_L) = \\alpha/2`
    and :math:`\\Pr(X \\le x \\mid p_U) = \\alpha/2` (Clopper and Pearson 1934).  The interval covers the true
    rate with probability at least ``level`` for every rate (it is conservative; Brown, Cai and DasGupta 2001).

    References
    ----------
    Clopper CJ, Pearson ES. Biometrika. 1934;26(4):404-413. doi:10.1093/biomet/26.4.404
    Reference software: statsmodels ``proportion_confint(x, n, alpha=1 - level, method="beta")``, which computes
    it here; it agrees with R ``binom.test(x, n, conf.level = level)$conf.int`` (``tests/test_stats.py``).

    Examples
    --------
    >>> lo, hi = clopper_pearson([0, 2, 0], [3, 10, 0])
    >>> lo.round(4).tolist(), hi.round(4).tolist()
    ([0.0, 0.0368, 0.0], [0.6316, 0.5069, 1.0])
    """
    from statsmodels.stats.proportion import proportion_confint  # imported here: statsmodels loads slowly

    level = _level(level)
    x_a, n_a = _counts(x, n)
    empty = n_a == 0
    # statsmodels divides x by n; a dose without patients gets the no-information interval [0, 1] instead
    lower, upper = proportion_confint(x_a, np.where(empty, 1, n_a), alpha=1.0 - level, method="beta")
    lower = np.where(empty, 0.0, np.asarray(lower, dtype=float))
    upper = np.where(empty, 1.0, np.asarray(upper, dtype=float))
    return lower, upper


@dataclass(frozen=True)
class IntervalSummary:
    """How precisely a set of simulated trials estimates a rate at each dose (arrays over doses, dose 1 first).

    Parameters
    ----------
    level : float
        Confidence level of the Clopper-Pearson intervals.
    treated : ndarray
        Share of trials with at least one patient at the dose.
    width : ndarray
        Mean width of the interval, over the trials that treated the dose (NaN where none did).
    estimate : ndarray
        Mean of the observed rate x/n over those trials (NaN where none did).
    coverage : ndarray or None
        Share of those intervals that contain the true rate (None when no true rate was given).

    Raises
    ------
    ValueError
        If ``level`` is not in (0, 1), or the arrays are not 1-D with one value per dose.
    """

    level: float
    treated: np.ndarray
    width: np.ndarray
    estimate: np.ndarray
    coverage: np.ndarray | None = None

    def __post_init__(self) -> None:
        _level(self.level)
        treated = _validate.real_array(self.treated, "treated", minimum=0.0, maximum=1.0, ndim=1, nonempty=True)
        for name in ("treated", "width", "estimate", "coverage"):
            value = getattr(self, name)
            if value is None and name == "coverage":
                continue
            if isinstance(value, (str, bytes)) or value is None:
                raise TypeError(f"{name} must be an array of numbers, one per dose; got {value!r}")
            try:
                arr = np.array(value, dtype=float)
            except (TypeError, ValueError):
                raise TypeError(f"{name} must be an array of numbers, one per dose; got {value!r}") from None
            if arr.ndim != 1 or arr.size != treated.size:
                raise ValueError(f"{name} must be a 1-D array with one value per dose; got shape {arr.shape}")
            # NaN exactly where no trial treated the dose (the value is undefined there); else in [0, 1]
            if name != "treated" and not np.array_equal(np.isnan(arr), treated == 0):
                raise ValueError(f"{name} must be NaN exactly where no trial treated the dose; got {arr.tolist()}")
            seen = arr[~np.isnan(arr)]
            if np.any((seen < 0) | (seen > 1)):
                raise ValueError(f"{name} must lie in [0, 1]; got {arr.tolist()}")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)


def interval_summary(x, n, true_rate=None, level: float = 0.90) -> IntervalSummary:
    """Mean Clopper-Pearson width, mean estimate and coverage per dose, over simulated trials.

    In every simulated trial the responders x and patients n at a dose give a Clopper-Pearson interval
    (:func:`clopper_pearson`); its width, averaged over the trials that treated the dose, measures the evidence
    the trial design leaves at that dose.

    Parameters
    ----------
    x, n : array_like of int, shape (n_trials, K)
        Responders and patients per trial (rows) and dose (columns); a 1-D array is one trial.
    true_rate : sequence of float, optional
        True rate per dose, in [0, 1], for the coverage.
    level : float
        Confidence level, in (0, 1) (default 0.90).

    Returns
    -------
    IntervalSummary

    Raises
    ------
    ValueError, TypeError
        On invalid counts or level, or a ``true_rate`` without one value per dose.

    Notes
    -----
    With :math:`T_j` the trials that treated dose j (:math:`n_{ij} > 0`) and :math:`[L_{ij}, U_{ij}]` their
    intervals,

    .. math:: \\bar w_j = \\frac{1}{|T_j|} \\sum_{i \\in T_j} (U_{ij} - L_{ij}), \\qquad
              \\bar p_j = \\frac{1}{|T_j|} \\sum_{i \\in T_j} \\frac{x_{ij}}{n_{ij}}, \\qquad
              c_j = \\frac{1}{|T_j|} \\sum_{i \\in T_j} \\mathbb 1[L_{ij} \\le p_j \\le U_{ij}].

    When :math:`n_{ij}` does not depend on the responses, :math:`\\bar p_j` is unbiased and :math:`c_j \\ge`
    ``level`` up to Monte Carlo error; a design whose sample size at a dose depends on the responses seen
    (backfilling after a response) breaks both.

    References
    ----------
    Clopper CJ, Pearson ES. Biometrika. 1934;26(4):404-413. doi:10.1093/biomet/26.4.404

    Examples
    --------
    >>> s = interval_summary([[1, 0], [3, 0]], [[3, 0], [6, 0]], true_rate=[0.4, 0.2])
    >>> s.treated.tolist(), s.estimate.round(3).tolist(), s.coverage.tolist()
    ([1.0, 0.0], [0.417, nan], [1.0, nan])
    """
    level = _level(level)
    x_a, n_a = _counts(x, n)
    if x_a.ndim == 1:
        x_a, n_a = x_a[None, :], n_a[None, :]
    if x_a.ndim != 2 or x_a.shape[1] == 0:
        raise ValueError(f"x and n must have shape (n_trials, K); got {x_a.shape}")
    lo, hi = clopper_pearson(x_a, n_a, level)
    treated = n_a > 0
    count = treated.sum(axis=0)
    seen = count > 0

    def mean_over_treated(values: np.ndarray) -> np.ndarray:
        total = np.where(treated, values, 0.0).sum(axis=0)
        return np.divide(total, count, out=np.full(count.shape, np.nan), where=seen)

    coverage = None
    if true_rate is not None:
        p = _validate.probabilities(true_rate, "true_rate", length=x_a.shape[1], open_interval=False)
        coverage = mean_over_treated(((lo <= p) & (p <= hi)).astype(float))
    rate = np.divide(x_a, n_a, out=np.zeros(x_a.shape), where=treated)
    return IntervalSummary(level, treated.mean(axis=0), mean_over_treated(hi - lo), mean_over_treated(rate),
                           coverage)


def expected_counts(p, n_per_dose: int) -> np.ndarray:
    """The counts a trial with ``n_per_dose`` patients per dose would observe if each came out at its expected
    value.

    Parameters
    ----------
    p : sequence of float
        Probability of the event (response, DLT) at each dose, in [0, 1].
    n_per_dose : int
        Patients per dose (1 to :data:`~dosecourse._validate.MAX_PATIENTS`).

    Returns
    -------
    ndarray of int
        :math:`\\lfloor n p + 1/2 \\rfloor` per dose (halves round up), between 0 and ``n_per_dose``.

    Raises
    ------
    ValueError, TypeError
        If ``p`` is not a 1-D sequence of probabilities or ``n_per_dose`` not a whole number in range.

    Notes
    -----
    .. math:: x_j = \\lfloor n\\, p_j + \\tfrac12 \\rfloor

    the expected count :math:`n p_j` rounded to the nearest whole number: one typical trial, not the
    distribution of the counts (for that, simulate ``Binomial(n, p_j)``).

    References
    ----------
    Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
    2010;9(2):289-300. doi:10.1517/14740330903499265 (uncertainty of a CUI from the data of one trial)

    Examples
    --------
    >>> expected_counts([0.16, 0.44, 0.58], 10).tolist()
    [2, 4, 6]
    """
    rates = _validate.probabilities(p, "p", open_interval=False)
    size = _validate.positive_int(n_per_dose, "n_per_dose", maximum=_validate.MAX_PATIENTS)
    return np.floor(size * rates + 0.5).astype(np.int64)
