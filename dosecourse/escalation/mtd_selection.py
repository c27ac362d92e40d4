"""MTD selection by isotonic regression, as the R package BOIN's ``select.mtd`` does it.

References
----------
Liu S, Yuan Y. J R Stat Soc Ser C Appl Stat. 2015;64(3):507-523. doi:10.1111/rssc.12089
BOIN R package (Yuan, Liu, Zhou), function ``select.mtd``, version 2.7.2.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import isotonic_regression
from scipy.stats import beta

from .. import _validate


def overdose_probability(target: float, n, y):
    """Posterior probability that the DLT rate exceeds ``target``, ``Pr(p > target | y, n)`` under Beta(1, 1)."""
    n = np.asarray(n)
    y = np.asarray(y)
    return beta.sf(target, y + 1, n - y + 1)


def select_mtd(target: float, n, y, cutoff_eli: float = 0.95, extrasafe: bool = False,
               offset: float = 0.05) -> int | None:
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

    Returns
    -------
    int or None
        The selected dose (1..K), or ``None`` when no dose can be selected.

    Notes
    -----
    Eliminated and untried doses are dropped; on the rest ``phat = (y + 0.05) / (n + 0.1)`` is smoothed by
    isotonic regression weighted by ``1 / var`` with ``var = (y + 0.05)(n - y + 0.05) / ((n + 0.1)^2 (n + 1.1))``;
    ``j * 1e-10`` is added to the j-th estimate to break ties (the higher dose wins among equal estimates
    below the target, the lower above), and the dose whose estimate is closest to the target is selected
    (first one on an exact tie).

    Examples
    --------
    BOIN's documented example:

    >>> select_mtd(0.3, n=[3, 3, 15, 9, 0], y=[0, 0, 4, 4, 0])
    3
    """
    phi = _validate.probability(target, "target")
    n_arr = np.asarray(n)
    n_arr, y_arr = _validate.counts(n, y, n_arr.size)
    pr_over = overdose_probability(phi, n_arr, y_arr)
    eliminated = np.zeros(n_arr.size, dtype=bool)
    if extrasafe and n_arr[0] >= 3 and pr_over[0] > cutoff_eli - offset:
        eliminated[:] = True
    over = np.flatnonzero((n_arr >= 3) & (pr_over > cutoff_eli))
    if over.size:
        eliminated[over[0]:] = True
    admissible = (n_arr > 0) & ~eliminated
    if eliminated[0] or not admissible.any():
        return None
    idx = np.flatnonzero(admissible)
    na, ya = n_arr[idx].astype(float), y_arr[idx].astype(float)
    phat = (ya + 0.05) / (na + 0.1)
    var = (ya + 0.05) * (na - ya + 0.05) / ((na + 0.1) ** 2 * (na + 1.1))
    fitted = isotonic_regression(phat, weights=1.0 / var).x + np.arange(1, idx.size + 1) * 1e-10
    return int(idx[np.argmin(np.abs(fitted - phi))]) + 1
