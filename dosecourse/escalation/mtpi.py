"""mTPI: the modified toxicity probability interval design (Ji et al. 2010), and the unit-probability-mass rule
it shares with mTPI-2.

References
----------
Ji Y, Liu P, Li Y, Bekele BN. A modified toxicity probability interval method for dose-finding trials.
Clin Trials. 2010;7(6):653-663. doi:10.1177/1740774510382799
"""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from ..i18n import t
from .interval import IntervalDesign, _highest_of_largest, equivalence_interval, interval_probabilities


class UPMDesign(IntervalDesign):
    """Interval designs deciding by the largest unit probability mass (UPM) over a partition of [0, 1].

    The partition has the equivalence interval ``(target - epsilon1, target + epsilon2)`` as one of its
    intervals; subclasses give the others (:meth:`_edges`).  The UPM of an interval is its posterior
    probability, under Beta(1 + y, 1 + n - y), divided by its length.  The interval with the largest UPM
    decides: below the equivalence interval escalate, the equivalence interval stay, above it de-escalate.

    Parameters
    ----------
    target : float
        Target DLT probability, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, dose (1..K) of the first cohort.
    epsilon1, epsilon2 : float
        The equivalence interval is ``(target - epsilon1, target + epsilon2)``, inside (0, 1).
    cutoff_eli, extrasafe, offset, n_earlystop
        As in :class:`~dosecourse.escalation.interval.IntervalDesign`.

    Notes
    -----
    Ties: when two intervals have the same UPM (equal up to a relative 1e-9, i.e. up to floating-point
    round-off; see :func:`~dosecourse.escalation.interval._highest_of_largest`) the higher interval wins, i.e.
    the safer decision.  Neither paper states a tie rule; this is the one of the Keyboard R package
    (``get.boundary.kb``: ``max(which(targetp == max(targetp)))``), whose keys are mTPI-2's sub-intervals.
    Ties do happen: with the target key (0.42, 0.50), y = n / 2 gives it the same UPM as (0.50, 0.58).

    MTD selection (``pseudo_count = 0.005``): the mTPI software (MD Anderson, "Toxicity Probability Intervals",
    version 2.1) estimates the DLT rates by posterior means under Beta(0.005, 0.005) priors, smooths them by
    isotonic regression weighted by the inverse posterior variances, adds ``j * 1e-10`` to break ties and
    selects the estimate closest to the target among the non-excluded doses -- :func:`select_mtd` with
    ``pseudo_count=0.005``.  Guo et al. (2017) keep this selection for mTPI-2.

    References
    ----------
    Ji Y, Liu P, Li Y, Bekele BN. Clin Trials. 2010;7(6):653-663. doi:10.1177/1740774510382799
    Guo W, Wang SJ, Yang S, Lynn H, Ji Y. Contemp Clin Trials. 2017;58:23-33. doi:10.1016/j.cct.2017.04.006

    Examples
    --------
    0 DLTs in 3: Beta(1, 4) with CDF 1 - (1 - x)^4, UPMs of (0, .25), (.25, .35), (.35, 1):

    >>> MTPI(0.3, n_doses=5).unit_probability_mass(3, 0).round(2).tolist()
    [2.73, 1.38, 0.27]
    """

    pseudo_count = 0.005
    describe_key = ""
    """Label id of the design's rule in words."""

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, epsilon1: float = 0.05, epsilon2: float = 0.05, cutoff_eli: float = 0.95,
                 extrasafe: bool = False, offset: float = 0.05, n_earlystop: int = 100) -> None:
        super().__init__(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                         cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset, n_earlystop=n_earlystop)
        self.lower, self.upper = equivalence_interval(self.target, epsilon1, epsilon2)
        self.edges = self._edges()
        self.edges.setflags(write=False)
        self._equivalence = int(np.flatnonzero(self.edges == self.lower)[0])

    @abstractmethod
    def _edges(self) -> np.ndarray:
        """Edges of the partition of [0, 1], including ``self.lower`` and ``self.upper``."""

    def unit_probability_mass(self, n, y) -> np.ndarray:
        """UPM of each interval of the partition given ``y`` DLTs in ``n`` patients (arrays broadcast).

        Parameters
        ----------
        n, y : int or array_like of int
            Patients and DLTs at the dose, ``0 <= y <= n``.

        Returns
        -------
        ndarray, shape ``broadcast(n, y).shape + (len(edges) - 1,)``
            Posterior probability of each interval divided by its length.
        """
        return interval_probabilities(self.edges, n, y) / np.diff(self.edges)

    def _winner(self, n, y) -> np.ndarray:
        """Index of the interval with the largest UPM (the highest one on a tie)."""
        return _highest_of_largest(self.unit_probability_mass(n, y))

    def _rule(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.sign(self._equivalence - self._winner(n, y)).astype(np.int64)

    def _explain(self, move: int, n: int, y: int) -> tuple[str, dict]:
        win = int(self._winner(n, y))
        upm = float(self.unit_probability_mass(n, y)[win])
        key = {1: "upm_escalate", 0: "upm_stay", -1: "upm_deescalate"}[move]
        return key, dict(n=n, y=y, upm=upm, lo=self.edges[win], hi=self.edges[win + 1], lower=self.lower,
                         upper=self.upper)

    def _describe_rule(self, lang: str) -> str:
        return t(self.describe_key, lang, lower=self.lower, upper=self.upper, width=self.upper - self.lower)


class MTPI(UPMDesign):
    """The mTPI design: three intervals, the largest unit probability mass decides.

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
        As in :class:`~dosecourse.escalation.interval.IntervalDesign`; ``cutoff_eli`` is the paper's xi.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments; each message names the argument.

    Notes
    -----
    With :math:`p \\mid y, n \\sim \\mathrm{Beta}(1 + y, 1 + n - y)` and the intervals
    :math:`(0, p_T - \\epsilon_1)`, :math:`(p_T - \\epsilon_1, p_T + \\epsilon_2)`, :math:`(p_T + \\epsilon_2, 1)`,

    .. math::

        \\mathrm{UPM}(a, b) = \\frac{\\Pr(a < p < b \\mid y, n)}{b - a},

    and the interval with the largest UPM gives escalate, stay or de-escalate.  Exclusion as the course's
    method notes: a dose with ``n >= 3`` and ``Pr(p > p_T | data) > 0.95`` is eliminated with all higher doses.
    mTPI stays at 3 DLTs in 6 patients (target 0.3), the flaw that led to mTPI-2.  Ties and MTD selection:
    see :class:`UPMDesign`.

    References
    ----------
    Ji Y, Liu P, Li Y, Bekele BN. Clin Trials. 2010;7(6):653-663. doi:10.1177/1740774510382799

    Examples
    --------
    >>> from dosecourse.escalation import TrialData
    >>> design = MTPI(0.3, n_doses=5)
    >>> design.next_dose(TrialData([0, 0, 0, 0, 6], [0, 0, 0, 0, 3], current=5)).action
    'stay'
    >>> design.decision_table().loc[:, [3, 6, 9, 12]]
                                3   6   9   12
    Number of patients treated   3   6   9  12
    Escalate if # of DLT <=      0   1   1   2
    De-escalate if # of DLT >=   2   4   5   6
    Eliminate if # of DLT >=     3   4   5   7
    """

    name = "mTPI"
    protocol_reference = "protocol_ref_mtpi"
    describe_key = "mtpi_describe_rule"

    def _edges(self) -> np.ndarray:
        return np.array([0.0, self.lower, self.upper, 1.0])
