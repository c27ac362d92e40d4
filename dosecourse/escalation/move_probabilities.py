"""How a dose-escalation rule reacts to the true DLT probability of the current dose, in closed form.

* :func:`three_plus_three_escalation`: the probability that the 3+3 clears a dose (escalates from it), as a
  function of the dose's true DLT probability;
* :func:`boin_move_probabilities`: the probabilities that BOIN escalates, stays or de-escalates after ``n``
  patients at a dose, as binomial tail sums at its boundaries :func:`~dosecourse.escalation.boin_boundaries`.

These curves explain the operating characteristics of the two designs: the 3+3's curve is shallow and never
sharpens (each decision rests on three or six patients), while BOIN's sharpen around its boundaries as patients
accumulate at a dose.

References
----------
Storer BE. Design and analysis of phase I clinical trials. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
Lin Y, Shih WJ. Statistical properties of the traditional algorithm-based designs for phase I cancer clinical
trials. Biostatistics. 2001;2(2):203-215. doi:10.1093/biostatistics/2.2.203
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Reference software: R package BOIN (Yuan Y, Liu S), ``get.boundary(target, ncohort, cohortsize)``, whose
escalation and de-escalation boundaries these tail sums use (``tests/test_move_probabilities.py`` checks them
against the decision table of :class:`~dosecourse.escalation.BOIN`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

from .. import _validate
from .boin import boin_boundaries

__all__ = ["MoveProbabilities", "boin_move_probabilities", "three_plus_three_escalation"]


def _p(p) -> np.ndarray:
    return _validate.real_array(p, "p", minimum=0.0, maximum=1.0, max_size=_validate.MAX_GRID)


def three_plus_three_escalation(p) -> float | np.ndarray:
    """Probability that the 3+3 clears a dose (escalates from it) whose true DLT probability is ``p``.

    Parameters
    ----------
    p : float or array_like
        True DLT probability of the dose, in [0, 1]; an array gives one probability per value.

    Returns
    -------
    float or ndarray
        A float for a number ``p``, an array shaped like ``p`` otherwise.  The complement is the probability
        that the dose stops the trial (two or more DLTs among three or six patients).

    Raises
    ------
    ValueError, TypeError
        If ``p`` is not a number or array of numbers in [0, 1].

    Notes
    -----
    The dose is cleared after 0 DLTs among the first three patients, or exactly 1 among three followed by 0
    among the next three:

    .. math:: \\Pr(\\text{escalate} \\mid p) = (1-p)^3 + 3p(1-p)^2 \\cdot (1-p)^3 = (1-p)^3 + 3p(1-p)^5 .

    The same for both variants of :class:`~dosecourse.escalation.ThreePlusThree` (they differ only in the
    dose they declare the MTD: the six-at-MTD default first expands it to six patients).  With :math:`e_j` this
    probability at dose :math:`j`, the escalation-only 3+3 started at dose 1 declares dose :math:`d` the MTD with
    probability :math:`e_1 \\cdots e_d (1 - e_{d+1})` (Lin & Shih 2001).

    References
    ----------
    Storer BE. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
    Lin Y, Shih WJ. Biostatistics. 2001;2(2):203-215. doi:10.1093/biostatistics/2.2.203

    Examples
    --------
    >>> round(three_plus_three_escalation(0.3), 6)
    0.494263
    >>> three_plus_three_escalation([0.0, 1.0]).tolist()
    [1.0, 0.0]
    """
    q = 1.0 - _p(p)
    return _validate.scalar_or_array(q ** 3 + 3.0 * (1.0 - q) * q ** 5)


@dataclass(frozen=True)
class MoveProbabilities:
    """What BOIN does after ``n`` patients at a dose, for each true DLT probability ``p``.

    Parameters
    ----------
    p : ndarray
        The true DLT probabilities.
    n : int
        Patients treated at the dose.
    target, lambda_e, lambda_d : float
        Target DLT probability and BOIN's escalation and de-escalation boundaries.
    escalate, stay, deescalate : ndarray
        Probabilities of each move, shaped like ``p``; they add up to 1.

    Raises
    ------
    ValueError, TypeError
        On probabilities outside [0, 1], arrays of different shapes, moves that do not add up to 1 or ``n`` that
        is not a whole number >= 1.
    """

    p: np.ndarray
    n: int
    target: float
    lambda_e: float
    lambda_d: float
    escalate: np.ndarray
    stay: np.ndarray
    deescalate: np.ndarray

    def __post_init__(self) -> None:
        for name in ("p", "escalate", "stay", "deescalate"):
            arr = _validate.real_array(getattr(self, name), name, minimum=0.0, maximum=1.0)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "n", _validate.positive_int(self.n, "n", maximum=_validate.MAX_PATIENTS))
        _validate.probability(self.target, "target")
        lam_e = _validate.probability(self.lambda_e, "lambda_e")
        lam_d = _validate.probability(self.lambda_d, "lambda_d")
        if not lam_e < lam_d:
            raise ValueError(f"lambda_e must be below lambda_d; got lambda_e={lam_e}, lambda_d={lam_d}")
        if not (self.p.shape == self.escalate.shape == self.stay.shape == self.deescalate.shape):
            raise ValueError("p, escalate, stay and deescalate must have the same shape")
        if not np.allclose(self.escalate + self.stay + self.deescalate, 1.0, rtol=0, atol=1e-9):
            raise ValueError("escalate, stay and deescalate must add up to 1 for every p")


def boin_move_probabilities(p, n: int, target: float = 0.3, *, phi1: float | None = None,
                            phi2: float | None = None) -> MoveProbabilities:
    """Probabilities that BOIN escalates, stays or de-escalates after ``n`` patients at a dose of DLT probability
    ``p``.

    Parameters
    ----------
    p : float or array_like
        True DLT probability of the dose, in [0, 1].
    n : int
        Patients treated at the dose (all cohorts so far), 1 to :data:`~dosecourse._validate.MAX_PATIENTS`.
    target : float
        Target DLT probability.
    phi1, phi2 : float, optional
        BOIN's highest underdosing and lowest overdosing DLT probabilities (default 0.6 and 1.4 times the
        target), as for :func:`~dosecourse.escalation.boin_boundaries`.

    Returns
    -------
    MoveProbabilities
        The three probabilities for each ``p``, with ``n``, the target and the boundaries used.

    Raises
    ------
    ValueError, TypeError
        On ``p`` outside [0, 1], ``n`` that is not a whole number >= 1, or invalid ``target``, ``phi1``,
        ``phi2`` (as :func:`~dosecourse.escalation.boin_boundaries`).

    Notes
    -----
    With :math:`Y \\sim \\mathrm{Bin}(n, p)` DLTs among the ``n`` patients, BOIN escalates when the observed rate
    is at most :math:`\\lambda_e` and de-escalates when it exceeds :math:`\\lambda_d`:

    .. math:: \\Pr(\\text{escalate}) = \\Pr\\bigl(Y \\le \\lfloor \\lambda_e n \\rfloor\\bigr), \\qquad
              \\Pr(\\text{de-escalate}) = \\Pr\\bigl(Y \\ge \\lfloor \\lambda_d n \\rfloor + 1\\bigr),

    and stays otherwise.  The elimination rule (and escalation blocked by an eliminated dose or the top dose)
    is ignored: these are the moves of the decision table.

    References
    ----------
    Liu S, Yuan Y. J R Stat Soc Ser C Appl Stat. 2015;64(3):507-523. doi:10.1111/rssc.12089
    R package BOIN, ``get.boundary``: the same boundaries (``tests/test_move_probabilities.py``).

    Examples
    --------
    >>> moves = boin_move_probabilities(0.3, 3)
    >>> round(float(moves.escalate), 3), round(float(moves.deescalate), 3)
    (0.343, 0.216)
    >>> round(float(boin_move_probabilities(0.3, 30).stay), 4)
    0.449
    """
    p_arr = _p(p)
    count = _validate.positive_int(n, "n", maximum=_validate.MAX_PATIENTS)
    target = _validate.probability(target, "target")
    lam_e, lam_d = boin_boundaries(target, phi1, phi2)
    up = binom.cdf(math.floor(lam_e * count), count, p_arr)
    down = binom.sf(math.floor(lam_d * count), count, p_arr)
    return MoveProbabilities(p=p_arr, n=count, target=target, lambda_e=float(lam_e), lambda_d=float(lam_d),
                             escalate=up, stay=np.clip(1.0 - up - down, 0.0, 1.0), deescalate=down)
