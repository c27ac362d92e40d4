"""mTPI-2: mTPI with the intervals outside the equivalence interval cut to its width (Guo et al. 2017).

References
----------
Guo W, Wang SJ, Yang S, Lynn H, Ji Y. A Bayesian interval dose-finding design addressing Ockham's razor: mTPI-2.
Contemp Clin Trials. 2017;58:23-33. doi:10.1016/j.cct.2017.04.006
"""

from __future__ import annotations

import numpy as np

from .interval import equal_width_edges
from .mtpi import UPMDesign


class MTPI2(UPMDesign):
    """The mTPI-2 design: equal-width sub-intervals, the largest unit probability mass decides.

    Parameters
    ----------
    target : float
        Target DLT probability p_T, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, dose (1..K) of the first cohort.
    epsilon1, epsilon2 : float
        Equivalence interval ``(p_T - epsilon1, p_T + epsilon2)``; 0.05 each by default.
    cutoff_eli, extrasafe, offset, n_earlystop
        As in :class:`~dosecourse.escalation.interval.IntervalDesign`.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments; each message names the argument.

    Notes
    -----
    The under-dosing interval :math:`(0, p_T - \\epsilon_1)` and the over-dosing interval
    :math:`(p_T + \\epsilon_2, 1)` are cut into sub-intervals of width :math:`\\epsilon_1 + \\epsilon_2`, built
    outwards from the equivalence interval and truncated at 0 and 1 (:func:`~dosecourse.escalation.interval.
    equal_width_edges`).  The sub-interval with the largest unit probability mass
    :math:`\\Pr(a < p < b \\mid y, n) / (b - a)` decides: escalate below the equivalence interval, stay on it,
    de-escalate above it.  This "blunts Ockham's razor": with target 0.3, 3 DLTs in 6 patients now
    de-escalates.  The decisions coincide with the Keyboard design's
    (:class:`~dosecourse.escalation.Keyboard`).  Ties and MTD selection: see
    :class:`~dosecourse.escalation.mtpi.UPMDesign`.

    References
    ----------
    Guo W, Wang SJ, Yang S, Lynn H, Ji Y. Contemp Clin Trials. 2017;58:23-33. doi:10.1016/j.cct.2017.04.006

    Examples
    --------
    >>> from dosecourse.escalation import TrialData
    >>> design = MTPI2(0.3, n_doses=5)
    >>> design.next_dose(TrialData([0, 0, 0, 0, 6], [0, 0, 0, 0, 3], current=5)).action
    'de-escalate'
    >>> design.edges.round(2).tolist()
    [0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.0]
    """

    name = "mTPI-2"
    protocol_reference = "protocol_ref_mtpi2"
    describe_key = "mtpi2_describe_rule"

    def _edges(self) -> np.ndarray:
        return equal_width_edges(self.lower, self.upper)
