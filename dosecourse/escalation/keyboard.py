"""Keyboard: the Bayesian toxicity probability interval design of Yan, Mandrekar and Yuan (2017).

References
----------
Yan F, Mandrekar SJ, Yuan Y. Keyboard: a novel Bayesian toxicity probability interval design for phase I
clinical trials. Clin Cancer Res. 2017;23(15):3994-4003. doi:10.1158/1078-0432.CCR-17-0220
R package Keyboard (Yuan X, Li C, Sun H, Tang L, Pan H), functions ``get.boundary.kb``, ``get.oc.kb`` and
``select.mtd.kb``.
"""

from __future__ import annotations

import numpy as np

from ..i18n import t
from .interval import (
    IntervalDesign,
    _highest_of_largest,
    equal_width_edges,
    equivalence_interval,
    interval_probabilities,
)


class Keyboard(IntervalDesign):
    """The Keyboard design: the strongest key decides.

    Parameters
    ----------
    target : float
        Target DLT probability, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, dose (1..K) of the first cohort.
    epsilon1, epsilon2 : float
        The target key is ``(target - epsilon1, target + epsilon2)`` (the Keyboard package's ``marginL`` and
        ``marginR``); every key has its width ``epsilon1 + epsilon2``.
    cutoff_eli, extrasafe, offset, n_earlystop
        As in :class:`~dosecourse.escalation.interval.IntervalDesign`.

    Raises
    ------
    ValueError, TypeError
        On invalid arguments; each message names the argument.

    Notes
    -----
    The target key is flanked by keys of the same width spanning [0, 1] (:func:`~dosecourse.escalation.
    interval.equal_width_edges`).  Given ``y`` DLTs in ``n`` patients at the current dose, the posterior of its
    DLT rate is Beta(1 + y, 1 + n - y); the *strongest key* is the key with the largest posterior probability.
    If it lies left of the target key, escalate; if it is the target key, stay; if it lies right, de-escalate.

    End keys: the keys at 0 and 1 are usually truncated; as the Keyboard R package (``get.boundary.kb``) does,
    their probability is multiplied by ``width / truncated width`` (its "compensation factor for incomplete
    keys") before the keys are compared.  Ties: the highest of equally strong keys wins (``max(which(targetp ==
    max(targetp)))`` in ``get.boundary.kb``), "equal" meaning equal up to a relative 1e-9 (floating-point
    round-off, :func:`~dosecourse.escalation.interval._highest_of_largest`).  With these two conventions the
    strongest key is the mTPI-2 sub-interval with the largest unit probability mass, so Keyboard and mTPI-2
    make the same decisions, as the design's authors point out; the tests check it.

    Safety and stopping: the common rules of :class:`~dosecourse.escalation.interval.IntervalDesign`, as in
    ``get.oc.kb`` (which applies ``n >= 3`` to elimination; the package's printed table omits it).  One
    difference: ``get.oc.kb`` stops at ``n.earlystop`` whatever the decision, while this class applies BOIN's
    rule (stop only when the decision is to stay).  MTD selection: ``select.mtd.kb``, which is BOIN's
    ``select.mtd`` (:func:`select_mtd`, Beta(0.05, 0.05) estimates).

    References
    ----------
    Yan F, Mandrekar SJ, Yuan Y. Clin Cancer Res. 2017;23(15):3994-4003. doi:10.1158/1078-0432.CCR-17-0220

    Examples
    --------
    >>> design = Keyboard(0.3, n_doses=5)
    >>> design.next_dose("1NTN").reason()
    'stay: 1/3 DLTs; the strongest key is the target key (0.25, 0.35)'
    >>> design.decision_table().loc[:, [3, 6, 9, 12]]
                                3   6   9   12
    Number of patients treated   3   6   9  12
    Escalate if # of DLT <=      0   1   2   2
    De-escalate if # of DLT >=   2   3   4   5
    Eliminate if # of DLT >=     3   4   5   7
    """

    name = "Keyboard"
    protocol_reference = "protocol_ref_keyboard"
    pseudo_count = 0.05

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, epsilon1: float = 0.05, epsilon2: float = 0.05, cutoff_eli: float = 0.95,
                 extrasafe: bool = False, offset: float = 0.05, n_earlystop: int = 100) -> None:
        super().__init__(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                         cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset, n_earlystop=n_earlystop)
        self.lower, self.upper = equivalence_interval(self.target, epsilon1, epsilon2)
        self.keys = equal_width_edges(self.lower, self.upper)
        self.keys.setflags(write=False)
        self._target_key = int(np.flatnonzero(self.keys == self.lower)[0])

    def key_probabilities(self, n, y) -> np.ndarray:
        """Posterior probability of each key (end keys compensated), given ``y`` DLTs in ``n`` patients.

        Parameters
        ----------
        n, y : int or array_like of int
            Patients and DLTs at the dose, ``0 <= y <= n``.

        Returns
        -------
        ndarray, shape ``broadcast(n, y).shape + (number of keys,)``
        """
        prob = interval_probabilities(self.keys, n, y)
        width = self.upper - self.lower
        compensation = np.ones(self.keys.size - 1)
        compensation[[0, -1]] = width / np.diff(self.keys)[[0, -1]]
        return prob * compensation

    def _strongest(self, n, y) -> np.ndarray:
        """Index of the strongest key (the highest one on a tie)."""
        return _highest_of_largest(self.key_probabilities(n, y))

    def _rule(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        strongest = self._strongest(n, y)
        return (strongest < self._target_key).astype(np.int64) - (strongest > self._target_key)

    def _explain(self, move: int, n: int, y: int) -> tuple[str, dict]:
        key = int(self._strongest(n, y))
        label = {1: "keyboard_escalate", 0: "keyboard_stay", -1: "keyboard_deescalate"}[move]
        return label, dict(n=n, y=y, lo=self.keys[key], hi=self.keys[key + 1], lower=self.lower, upper=self.upper)

    def _describe_rule(self, lang: str) -> str:
        return t("keyboard_describe_rule", lang, lower=self.lower, upper=self.upper, width=self.upper - self.lower)
