"""Sentinel dosing: what dosing the first patients of a cohort alone, and waiting, can prevent.

In sentinel dosing the first patient(s) of a cohort at a new dose are dosed and observed for a pre-specified
period before the rest of the cohort is treated; the others are dosed only if no sentinel reacts.  The EMA
guideline on first-in-human trials asks for this sequential dosing within a cohort (its first edition followed
the TGN1412 trial, in which every volunteer dosed at once developed a cytokine storm).

* :func:`expected_reactions`: the expected number of patients of a cohort who have an acute reaction, with
  ``s`` sentinels or with the whole cohort dosed together (``s = 0``);
* :func:`reactions_prevented`: how many of those reactions the sentinels prevent on average.

The model is deliberately simple: each patient reacts independently with probability ``q``, and a reaction is
seen within the observation period.  It shows what sentinel dosing can and cannot do: the saving is large only
when the dose makes a reaction likely, and it is nil for toxicity that appears after the observation period.

References
----------
European Medicines Agency, CHMP. Guideline on strategies to identify and mitigate risks for first-in-human and
early clinical trials with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1; 2017.
van Gerven J, Bonelli M. Commentary on the EMA guideline on strategies to identify and mitigate risks for
first-in-human and early clinical trials with investigational medicinal products. Br J Clin Pharmacol.
2018;84(7):1401-1409. doi:10.1111/bcp.13550
Suntharalingam G, Perry MR, Ward S, et al. Cytokine storm in a phase 1 trial of the anti-CD28 monoclonal
antibody TGN1412. N Engl J Med. 2006;355(10):1018-1028. doi:10.1056/NEJMoa063842
No reference software computes this; ``tests/test_sentinel.py`` checks the formula against a brute-force
enumeration of every outcome of the cohort and against simulation.
"""

from __future__ import annotations

import numpy as np

from . import _validate

__all__ = ["expected_reactions", "reactions_prevented"]

MAX_COHORT = 100
"""Largest cohort size accepted (a first-in-human cohort has a handful of patients)."""


def _arguments(q, cohort_size: int, sentinels: int) -> tuple[np.ndarray, int, int]:
    """Validated ``q`` (an array), cohort size and number of sentinels."""
    q_arr = _validate.real_array(q, "q", minimum=0.0, maximum=1.0, max_size=_validate.MAX_GRID)
    c = _validate.positive_int(cohort_size, "cohort_size", maximum=MAX_COHORT)
    s = _validate.integer(sentinels, "sentinels", minimum=0, maximum=c)
    return q_arr, c, s


def expected_reactions(q, cohort_size: int = 3, sentinels: int = 1) -> float | np.ndarray:
    """Expected number of patients of a cohort with an acute reaction, with or without sentinel dosing.

    Parameters
    ----------
    q : float or array_like
        Probability, in [0, 1], that a patient at the new dose has an acute reaction that shows within the
        sentinel observation period; independent between patients.  An array gives one result per value.
    cohort_size : int
        Patients in the cohort, 1 to :data:`MAX_COHORT`.
    sentinels : int
        Patients dosed first, 0 to ``cohort_size`` (0: the whole cohort is dosed together).  The others are
        dosed only if none of the sentinels reacts.

    Returns
    -------
    float or ndarray
        A float for a number ``q``, an array shaped like ``q`` otherwise.

    Raises
    ------
    ValueError, TypeError
        If ``q`` is not a probability in [0, 1], ``cohort_size`` is not a whole number from 1 to
        :data:`MAX_COHORT` or ``sentinels`` is not a whole number from 0 to ``cohort_size``.

    Notes
    -----
    With :math:`c` patients, :math:`s` sentinels and reaction probability :math:`q`, the sentinels react
    :math:`s q` times on average, and the other :math:`c - s` patients are dosed with probability
    :math:`(1 - q)^s` (no sentinel reacted):

    .. math:: E = s\\,q + (1 - q)^s\\,(c - s)\\,q .

    With :math:`s = 0` this is :math:`c\\,q`.

    References
    ----------
    EMA guideline EMEA/CHMP/SWP/28367/07 Rev. 1 (2017) for sequential dosing within a cohort; the formula is the
    course's own derivation, checked by enumeration in ``tests/test_sentinel.py``.

    Examples
    --------
    >>> expected_reactions(1.0), expected_reactions(1.0, sentinels=0)
    (1.0, 3.0)
    >>> round(expected_reactions(0.1), 3)
    0.28
    >>> expected_reactions([0.05, 0.5]).round(3).tolist()
    [0.145, 1.0]
    """
    q_arr, c, s = _arguments(q, cohort_size, sentinels)
    return _validate.scalar_or_array(s * q_arr + (1.0 - q_arr) ** s * (c - s) * q_arr)


def reactions_prevented(q, cohort_size: int = 3, sentinels: int = 1) -> float | np.ndarray:
    """Expected reactions that ``sentinels`` prevent, against dosing the whole cohort together.

    Parameters
    ----------
    q : float or array_like
        Probability of an acute reaction per patient, in [0, 1].
    cohort_size : int
        Patients in the cohort, 1 to :data:`MAX_COHORT`.
    sentinels : int
        Patients dosed first, 0 to ``cohort_size``.

    Returns
    -------
    float or ndarray
        :math:`c\\,q - E`, a float for a number ``q``.

    Raises
    ------
    ValueError, TypeError
        As :func:`expected_reactions`.

    Notes
    -----
    .. math:: c\\,q - E = (c - s)\\,q\\,\\bigl[1 - (1 - q)^s\\bigr] ,

    the patients who are not dosed because a sentinel reacted, times the probability that they would have
    reacted.  It is small for small :math:`q` (about :math:`(c - s)\\,s\\,q^2`): sentinel dosing protects the rest
    of a cohort against a reaction that the dose makes likely, not against a rare one.

    Examples
    --------
    >>> reactions_prevented(1.0), round(reactions_prevented(0.05), 4)
    (2.0, 0.005)
    """
    q_arr, c, s = _arguments(q, cohort_size, sentinels)
    return _validate.scalar_or_array((c - s) * q_arr * (1.0 - (1.0 - q_arr) ** s))
