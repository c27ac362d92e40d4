"""True dose-toxicity scenarios and the one definition of the correct, acceptable and overly toxic doses.

Every comparison of designs in the course (:meth:`~dosecourse.escalation.OperatingCharacteristics.summary`)
uses these definitions:

* **correct dose** (the true MTD): the dose whose true DLT probability is closest to the target; when two doses
  are equally close (within 1e-12), both count as correct;
* **acceptable dose**: true DLT probability within ``band`` (default 0.05) of the target;
* **overly toxic dose**: true DLT probability above ``target + margin`` (default margin 0.10).

References
----------
Zhou H, Yuan Y, Nie L. Accuracy, safety, and reliability of novel phase I trial designs. Clin Cancer Res.
2018;24(18):4357-4364. doi:10.1158/1078-0432.CCR-18-0168 (percentage of correct selection, of overdose
selection and patients at overly toxic doses as the measures of a design)
"""

from __future__ import annotations

import numpy as np

from .. import _validate

_TIE = 1e-12  # doses whose distance to the target differs by less than this are equally close


def check_scenario(true_tox, *, require_monotone: bool = False) -> np.ndarray:
    """Check a scenario and return it as an array.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, each in (0, 1).
    require_monotone : bool
        Raise if the probabilities decrease anywhere (every design here assumes toxicity rises with dose).

    Returns
    -------
    ndarray

    Raises
    ------
    ValueError, TypeError
        On a value outside (0, 1), or (with ``require_monotone``) a decrease; the message names ``true_tox``.

    Examples
    --------
    >>> check_scenario([0.1, 0.3, 0.2], require_monotone=True)
    Traceback (most recent call last):
    ...
    ValueError: true_tox must not decrease with dose (the designs assume monotone toxicity); it decreases at dose(s) [3]
    """
    p = _validate.probabilities(true_tox, "true_tox")
    _validate.boolean(require_monotone, "require_monotone")
    bad = monotonicity_violations(p)
    if require_monotone and bad:
        raise ValueError(f"true_tox must not decrease with dose (the designs assume monotone toxicity); it "
                         f"decreases at dose(s) {bad}")
    return p


def monotonicity_violations(true_tox) -> list[int]:
    """Doses (1..K) whose true DLT probability is lower than that of the dose below.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, dose 1 first, each in (0, 1).

    Returns
    -------
    list of int
        The doses, increasing (empty for a non-decreasing scenario).

    Examples
    --------
    >>> monotonicity_violations([0.05, 0.20, 0.15, 0.30])
    [3]
    """
    p = _validate.probabilities(true_tox, "true_tox")
    return [int(d) + 2 for d in np.flatnonzero(np.diff(p) < 0)]


def correct_doses(true_tox, target: float) -> np.ndarray:
    """The correct dose(s) (1..K): true DLT probability closest to ``target``; all doses tied for closest.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, dose 1 first, each in (0, 1) (see :func:`check_scenario`).
    target : float
        Target DLT probability, in (0, 1).

    Returns
    -------
    ndarray of int
        The correct doses, increasing (at least one).

    Examples
    --------
    >>> correct_doses([0.05, 0.12, 0.30, 0.45, 0.60], 0.3).tolist()
    [3]
    >>> correct_doses([0.10, 0.25, 0.35, 0.50], 0.3).tolist()
    [2, 3]
    """
    p = check_scenario(true_tox)
    dist = np.abs(p - _validate.probability(target, "target"))
    return np.flatnonzero(dist <= dist.min() + _TIE) + 1


def acceptable_doses(true_tox, target: float, band: float = 0.05) -> np.ndarray:
    """Doses (1..K) with true DLT probability within ``band`` of the target (may be empty).

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, dose 1 first, each in (0, 1) (see :func:`check_scenario`).
    target : float
        Target DLT probability, in (0, 1).
    band : float
        Half-width of the acceptable band, in [0, 1) (default 0.05): a dose is acceptable when
        ``|p - target| <= band``.

    Returns
    -------
    ndarray of int
        The acceptable doses, increasing.

    Examples
    --------
    >>> acceptable_doses([0.05, 0.12, 0.28, 0.34, 0.60], 0.3).tolist()
    [3, 4]
    """
    p = check_scenario(true_tox)
    band = _validate.number(band, "band", minimum=0.0, maximum=1.0, strict_maximum=True)
    return np.flatnonzero(np.abs(p - _validate.probability(target, "target")) <= band + _TIE) + 1


def overdose_doses(true_tox, target: float, margin: float = 0.10) -> np.ndarray:
    """Overly toxic doses (1..K): true DLT probability above ``target + margin``.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, dose 1 first, each in (0, 1) (see :func:`check_scenario`).
    target : float
        Target DLT probability, in (0, 1).
    margin : float
        Overdose margin, in [0, 1) (default 0.10).

    Returns
    -------
    ndarray of int
        The overly toxic doses, increasing (may be empty).

    Examples
    --------
    >>> overdose_doses([0.05, 0.12, 0.30, 0.45, 0.60], 0.3).tolist()
    [4, 5]
    """
    p = check_scenario(true_tox)
    margin = _validate.number(margin, "margin", minimum=0.0, maximum=1.0, strict_maximum=True)
    return np.flatnonzero(p > _validate.probability(target, "target") + margin + _TIE) + 1
