"""MTD selection by isotonic regression, as the R package BOIN's ``select.mtd`` does it.

:func:`select_mtd` selects the MTD of one trial; :func:`select_mtd_many` does the same for many trials at once
(rows of 2-D arrays), without a loop over trials, for the simulators.

References
----------
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yan F, Zhang L, Zhou Y, Pan H, Liu S, Yuan Y. BOIN: an R package for designing single-agent and drug-combination
dose-finding trials using Bayesian optimal interval designs. J Stat Softw. 2020;94(13):1-32.
doi:10.18637/jss.v094.i13 (function ``select.mtd``, BOIN version 2.7.2)
Barlow RE, Bartholomew DJ, Bremner JM, Brunk HD. Statistical Inference under Order Restrictions. Wiley; 1972.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import isotonic_regression
from scipy.special import betainc

from .. import _validate


def overdose_probability(target: float, n, y) -> np.ndarray:
    """Posterior probability that the DLT rate exceeds ``target``, ``Pr(p > target | y, n)`` under Beta(1, 1).

    Computed as ``1 - I_target(y + 1, n - y + 1)`` (regularised incomplete beta function), the form of BOIN's
    ``1 - pbeta(target, y + 1, n - y + 1)``.

    Parameters
    ----------
    target : float
        Target DLT probability, in (0, 1).
    n : int or array_like of int
        Patients treated (any shape broadcasting with ``y``).
    y : int or array_like of int
        Patients with a DLT, ``0 <= y <= n``.

    Returns
    -------
    ndarray
        The posterior probability, of the broadcast shape of ``n`` and ``y``.

    Raises
    ------
    ValueError, TypeError
        On a target outside (0, 1) or counts that are not whole numbers with ``0 <= y <= n``.

    Examples
    --------
    >>> round(float(overdose_probability(0.3, 3, 3)), 4)   # 1 - 0.3**4
    0.9919
    """
    target = _validate.probability(target, "target")
    n_arr = _validate.whole_array(n, "n")
    y_arr = _validate.whole_array(y, "y")
    try:
        shape = np.broadcast_shapes(n_arr.shape, y_arr.shape)
    except ValueError:
        raise ValueError(f"n and y must have matching shapes; got {n_arr.shape} and {y_arr.shape}") from None
    if np.any(np.broadcast_to(y_arr, shape) > n_arr):
        raise ValueError("y cannot exceed n")
    return 1.0 - betainc(y_arr + 1.0, n_arr - y_arr + 1.0, target)


def _check_options(cutoff_eli: float, extrasafe: bool, offset: float, pseudo_count: float) -> bool:
    _validate.probability(cutoff_eli, "cutoff_eli")
    _validate.probability(offset, "offset")
    _validate.positive(pseudo_count, "pseudo_count", maximum=1.0)
    return _validate.boolean(extrasafe, "extrasafe")


def _count_matrices(n, y) -> tuple[np.ndarray, np.ndarray]:
    """Check 2-D patient and DLT counts (one row per trial) and return them as int arrays."""
    n_arr = _validate.whole_array(n, "n", ndim=2)
    y_arr = _validate.whole_array(y, "y", ndim=2)
    if n_arr.shape[1] == 0 or n_arr.shape[1] > _validate.MAX_DOSES:
        raise ValueError(f"n must have one column per dose (1 to {_validate.MAX_DOSES}); got shape {n_arr.shape}")
    if n_arr.shape != y_arr.shape:
        raise ValueError(f"n and y must have the same shape; got {n_arr.shape} and {y_arr.shape}")
    if np.any(y_arr > n_arr):
        raise ValueError("y cannot exceed n at any dose")
    return n_arr, y_arr


def _admissible(target: float, n: np.ndarray, y: np.ndarray, cutoff_eli: float, extrasafe: bool,
                offset: float) -> np.ndarray:
    """Tried doses below the lowest eliminated dose (rows are trials), as ``select.mtd`` defines them.

    A dose with ``n >= 3`` and ``Pr(p > target | data) > cutoff_eli`` is eliminated with all higher doses; with
    ``extrasafe`` every dose is eliminated when dose 1 has ``n >= 3`` and that probability above
    ``cutoff_eli - offset``.
    """
    pairs, where = np.unique(n * (y.max(initial=0) + 1) + y, return_inverse=True)
    pr_over = overdose_probability(target, *np.divmod(pairs, y.max(initial=0) + 1))[where.reshape(n.shape)]
    over = (n >= 3) & (pr_over > cutoff_eli)
    if extrasafe:
        over[:, 0] |= (n[:, 0] >= 3) & (pr_over[:, 0] > cutoff_eli - offset)
    eliminated = np.cumsum(over, axis=1) > 0
    return (n > 0) & ~eliminated & ~eliminated[:, :1]


def _estimates(n: np.ndarray, y: np.ndarray, pseudo_count: float) -> tuple[np.ndarray, np.ndarray]:
    """Posterior means under Beta(a, a) with a = ``pseudo_count`` and the weights 1 / posterior variance."""
    a = pseudo_count
    phat = (y + a) / (n + 2 * a)
    var = (y + a) * (n - y + a) / ((n + 2 * a) ** 2 * (n + 2 * a + 1))
    return phat, 1.0 / var


def select_mtd(target: float, n, y, cutoff_eli: float = 0.95, extrasafe: bool = False,
               offset: float = 0.05, pseudo_count: float = 0.05) -> int:
    """Select the MTD from the data at the end of a trial, as BOIN's ``select.mtd``.

    Parameters
    ----------
    target : float
        Target DLT probability.
    n, y : sequences of int
        Patients and DLTs per dose, dose 1 first.
    cutoff_eli : float
        Elimination cutoff: a dose with ``n >= 3`` and ``Pr(p > target | data) > cutoff_eli`` is eliminated
        with all higher doses.
    extrasafe : bool
        Also eliminate every dose when dose 1 has ``Pr(p > target | data) > cutoff_eli - offset``.
    offset : float
        The extra-safe margin.
    pseudo_count : float
        ``a`` of the Beta(a, a) prior behind the estimates: 0.05 in BOIN (and the Keyboard package), 0.005 in
        the mTPI software.

    Returns
    -------
    int
        The selected dose (1..K), or :data:`~dosecourse.escalation.NO_DOSE` (0) when no dose can be
        selected.

    Raises
    ------
    ValueError, TypeError
        On counts that are negative, not whole, of different lengths, or with ``y > n``.

    Notes
    -----
    Eliminated and untried doses are dropped; on the rest :math:`\\hat p = (y + a) / (n + 2a)` is smoothed by
    isotonic regression (PAVA) weighted by :math:`1 / v` with
    :math:`v = (y + a)(n - y + a) / \\{(n + 2a)^2 (n + 2a + 1)\\}`; :math:`j \\times 10^{-10}` is added to the
    j-th admissible estimate to break ties (the higher dose wins among equal estimates below the target, the
    lower above), and the dose whose estimate is closest to the target is selected (the first on an exact tie).
    This function uses :func:`scipy.optimize.isotonic_regression`; :func:`select_mtd_many` is the vectorised
    equivalent used by the simulators.

    Examples
    --------
    BOIN's documented example (``select.mtd`` help page, BOIN 2.7.2):

    >>> select_mtd(0.3, n=[3, 3, 15, 9, 0], y=[0, 0, 4, 4, 0])
    3
    """
    phi = _validate.probability(target, "target")
    extrasafe = _check_options(cutoff_eli, extrasafe, offset, pseudo_count)
    n_arr = _validate.whole_array(n, "n", ndim=1)
    n_arr, y_arr = _validate.counts(n_arr, y, n_arr.size)
    admissible = _admissible(phi, n_arr[None], y_arr[None], cutoff_eli, extrasafe, offset)[0]
    if not admissible.any():
        return 0
    idx = np.flatnonzero(admissible)
    phat, weight = _estimates(n_arr[idx].astype(float), y_arr[idx].astype(float), pseudo_count)
    fitted = isotonic_regression(phat, weights=weight).x + np.arange(1, idx.size + 1) * 1e-10
    return int(idx[np.argmin(np.abs(fitted - phi))]) + 1


def select_mtd_many(target: float, n, y, cutoff_eli: float = 0.95, extrasafe: bool = False,
                    offset: float = 0.05, pseudo_count: float = 0.05) -> np.ndarray:
    """:func:`select_mtd` for many trials at once, without a loop over trials.

    Parameters
    ----------
    target : float
        Target DLT probability.
    n, y : array_like of int, shape (n_trials, K)
        Patients and DLTs per dose, one row per trial, dose 1 first.
    cutoff_eli, extrasafe, offset, pseudo_count
        As in :func:`select_mtd`.

    Returns
    -------
    ndarray of int, shape (n_trials,)
        The selected dose (1..K) of each trial, 0 where no dose is selected.

    Raises
    ------
    ValueError, TypeError
        On arrays that are not 2-D, of different shapes, negative, not whole, or with ``y > n``.

    Notes
    -----
    The weighted non-decreasing (isotonic) regression of :math:`\\hat p_1..\\hat p_m` has the
    max-min representation (Barlow et al. 1972, Theorem 1.4)

    .. math::

        \\tilde p_j = \\max_{i \\le j} \\min_{k \\ge j} \\frac{\\sum_{l=i}^{k} w_l \\hat p_l}{\\sum_{l=i}^{k} w_l},

    computed here for all trials at once from cumulative sums (O(K^3) per trial, cheap for the handful of doses
    of a phase I trial).  Doses that are not admissible get weight 0, which leaves every average over a range
    that contains an admissible dose unchanged, so the formula runs over the admissible doses of each row.
    Tie-breaking and the choice of the closest estimate follow :func:`select_mtd` exactly.

    Examples
    --------
    >>> select_mtd_many(0.3, [[3, 3, 15, 9, 0], [3, 0, 0, 0, 0]], [[0, 0, 4, 4, 0], [3, 0, 0, 0, 0]])
    array([3, 0])
    """
    phi = _validate.probability(target, "target")
    extrasafe = _check_options(cutoff_eli, extrasafe, offset, pseudo_count)
    n_arr, y_arr = _count_matrices(n, y)
    admissible = _admissible(phi, n_arr, y_arr, cutoff_eli, extrasafe, offset)
    phat, weight = _estimates(n_arr.astype(float), y_arr.astype(float), pseudo_count)
    weight = np.where(admissible, weight, 0.0)
    zero = np.zeros((n_arr.shape[0], 1))
    cum_w = np.concatenate([zero, np.cumsum(weight, axis=1)], axis=1)
    cum_wp = np.concatenate([zero, np.cumsum(weight * phat, axis=1)], axis=1)
    # mean[t, i, k] = weighted mean of doses i..k (inclusive); +inf where the range is empty or weightless
    tot_w = cum_w[:, None, 1:] - cum_w[:, :-1, None]
    tot_wp = cum_wp[:, None, 1:] - cum_wp[:, :-1, None]
    ordered = np.triu(np.ones((n_arr.shape[1],) * 2, dtype=bool))              # [first, second] with first <= second
    mean = np.divide(tot_wp, tot_w, out=np.full(tot_w.shape, np.inf), where=ordered & (tot_w > 0))
    suffix_min = np.minimum.accumulate(mean[:, :, ::-1], axis=2)[:, :, ::-1]   # [t, i, j]: min over k >= j
    fitted = np.max(np.where(ordered, suffix_min, -np.inf), axis=1)             # [t, j]: max over i <= j
    fitted = fitted + np.cumsum(admissible, axis=1) * 1e-10
    distance = np.where(admissible, np.abs(fitted - phi), np.inf)
    return np.where(admissible.any(axis=1), np.argmin(distance, axis=1) + 1, 0)
