"""The interface every dose-escalation design in :mod:`dosecourse.escalation` shares.

A design is planned (:meth:`Design.decision_table`, :meth:`Design.describe`, :meth:`Design.pathways`),
conducted (:meth:`Design.next_dose`), and evaluated (:func:`dosecourse.escalation.simulate`,
:meth:`Design.exact`) -- the life of a trial, as in the R package BOIN's ``get.boundary`` / ``next.comb`` /
``select.mtd`` / ``get.oc``.

Dose numbering: doses are numbered 1..K in every argument and result that names a dose; arrays per dose are
ordered dose 1 first.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t
from .decision import Decision
from .oc import OperatingCharacteristics


class Design(ABC):
    """Base class of the escalation designs.

    Parameters
    ----------
    n_doses : int
        Number of dose levels K.
    cohort_size : int
        Patients per cohort.
    n_cohorts : int
        Maximum number of cohorts.
    start_dose : int
        Dose (1..K) of the first cohort.
    """

    name: str = "design"

    def __init__(self, n_doses: int, cohort_size: int = 3, n_cohorts: int = 10, start_dose: int = 1) -> None:
        self.n_doses = _validate.positive_int(n_doses, "n_doses")
        self.cohort_size = _validate.positive_int(cohort_size, "cohort_size")
        self.n_cohorts = _validate.positive_int(n_cohorts, "n_cohorts")
        self.start_dose = _validate.dose(start_dose, self.n_doses, "start_dose")

    @property
    def max_n(self) -> int:
        """Maximum sample size, ``cohort_size * n_cohorts``."""
        return self.cohort_size * self.n_cohorts

    @abstractmethod
    def next_dose(self, n, y, current: int, last_cohort: tuple[int, int] | None = None) -> Decision:
        """The decision after the data so far.

        Parameters
        ----------
        n, y : sequences of int
            Patients and DLTs per dose (dose 1 first).
        current : int
            Dose (1..K) the last cohort received.
        last_cohort : (patients, dlts), optional
            The last cohort's own result, for rules that look at it (CRM coherence); others ignore it.
        """

    @abstractmethod
    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, ready for a protocol, in ``lang``."""

    @abstractmethod
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator,
                  **scenario) -> OperatingCharacteristics:
        """Vectorised simulation of ``n_trials`` trials (called by :func:`simulate`)."""

    def decision_table(self, max_n: int | None = None, lang: str = "en") -> pd.DataFrame:
        """Escalate / de-escalate / eliminate boundaries for 1..``max_n`` patients at a dose."""
        raise NotImplementedError(f"{type(self).__name__} has no fixed decision table; use pathways()")

    def exact(self, true_tox) -> OperatingCharacteristics:
        """Exact operating characteristics (no Monte Carlo error), where the design allows it."""
        raise NotImplementedError(
            f"exact operating characteristics are available for 3+3 and the interval designs "
            f"(BOIN, keyboard, mTPI, mTPI-2), not {type(self).__name__}; use simulate()")

    def pathways(self, n_cohorts: int = 2, n=None, y=None, current: int | None = None,
                 lang: str = "en") -> pd.DataFrame:
        """Dose transition pathways: every outcome of the next ``n_cohorts`` cohorts and where each leads.

        Starting from the data so far (``n``, ``y``, ``current``; by default an empty trial whose first cohort
        goes to ``start_dose``), each row is one sequence of DLT counts, with the dose each cohort receives and
        the decision after it.  A pathway that stops the trial ends there.  This is the table the founding
        text asks a first-in-human protocol to pre-specify.
        """
        lang = check_lang(lang)
        _validate.positive_int(n_cohorts, "n_cohorts")
        k, c = self.n_doses, self.cohort_size
        if n is None and y is None:
            n0, y0 = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
            dose0 = self.start_dose if current is None else _validate.dose(current, k)
        else:
            n0, y0 = _validate.counts(n, y, k)
            if current is None:
                raise ValueError("current must be given with n and y: the dose the last cohort received")
            dose0 = self.next_dose(n0, y0, _validate.dose(current, k)).dose
            if dose0 is None:
                raise ValueError("the trial has already stopped on these data; there is no pathway to show")
        rows = []
        for outcome in itertools.product(range(c + 1), repeat=n_cohorts):
            nn, yy, dose, row = n0.copy(), y0.copy(), dose0, {}
            for i, dlts in enumerate(outcome, start=1):
                nn[dose - 1] += c
                yy[dose - 1] += dlts
                decision = self.next_dose(nn, yy, dose, last_cohort=(c, dlts))
                row[t("pathway_cohort_dose", lang, i=i)] = dose
                row[t("pathway_cohort_dlts", lang, i=i)] = f"{dlts}/{c}"
                row[t("pathway_next", lang, i=i)] = (t("pathway_stop", lang) if decision.dose is None
                                                     else decision.dose)
                if decision.dose is None:
                    break
                dose = decision.dose
            rows.append(row)
        # object dtype keeps dose numbers as integers where a stopped pathway leaves later cells empty
        frame = pd.DataFrame(rows, dtype=object).drop_duplicates().reset_index(drop=True)
        return frame.fillna("")


def simulate(design: Design, true_tox, n_trials: int = 10_000, seed: int | None = 2025,
             **scenario) -> OperatingCharacteristics:
    """Operating characteristics of ``design`` by simulating ``n_trials`` trials, vectorised across trials.

    Parameters
    ----------
    design : Design
        Any design of :mod:`dosecourse.escalation`.
    true_tox : sequence of float
        True DLT probability at each dose, in (0, 1), one per dose.
    n_trials : int
        Number of simulated trials (the Monte Carlo standard errors shrink as 1/sqrt(n_trials)).
    seed : int or None
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same numbers.
    **scenario
        Further truths some designs need, e.g. ``true_eff`` for BOIN12 and BF-BOIN.

    Returns
    -------
    OperatingCharacteristics
    """
    if not isinstance(design, Design):
        raise TypeError(f"design must be a dosecourse.escalation design; got {type(design).__name__}")
    tox = _validate.probabilities(true_tox, "true_tox", length=design.n_doses)
    n_trials = _validate.positive_int(n_trials, "n_trials")
    return design._simulate(tox, n_trials, np.random.default_rng(seed), **scenario)
