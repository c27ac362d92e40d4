"""The one contract every dose-escalation design of :mod:`dosecourse.escalation` follows.

A design is planned (:meth:`Design.decision_table`, :meth:`Design.describe`, :meth:`Design.pathways`),
conducted (:meth:`Design.next_dose`, :meth:`Design.select`) and evaluated (:meth:`Design.simulate`,
:meth:`Design.exact`, :meth:`Design.operating_characteristics`): the life of a trial, as in the R package
BOIN's ``get.boundary`` / ``next.comb`` / ``select.mtd`` / ``get.oc``.

Construction follows one order in every design: the arguments that define the design's model come first
(``target, n_doses`` for the interval designs; ``skeleton, target`` for the CRM; ``n_doses`` for the 3+3), then
keyword-only settings, always ``cohort_size, n_cohorts, start_dose`` first, with the same names everywhere.
Designs are immutable: :meth:`Design.replace` returns a changed copy (so a design's boundaries can never go
stale), and ``repr`` shows the settings.

Dose numbering: doses are numbered 1..K in every argument and result that names a dose; arrays per dose are
ordered dose 1 first; :data:`~dosecourse.escalation.NO_DOSE` (0) means no dose.
"""

from __future__ import annotations

import functools
import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t
from .data import NO_DOSE, TrialData, _as_data
from .decision import Decision
from .results import OperatingCharacteristics, Trials

METHODS: tuple[str, ...] = ("auto", "exact", "simulate")
"""How :meth:`Design.operating_characteristics` computes: ``exact`` (or an error), ``simulate``, or ``auto``
(exact where the design allows it, simulated otherwise)."""

MAX_COHORT_SIZE = 12
"""Largest cohort size a design accepts."""

MAX_PATHWAY_ROWS = 200_000
"""Largest number of rows :meth:`Design.pathways` enumerates."""


def _normalise(value: Any) -> Any:
    """A hashable, comparable form of a constructor argument (arrays become tuples)."""
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_normalise(v) for v in value)
    return value


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

    name: ClassVar[str] = "design"
    """Short name of the design, as figures and tables show it."""

    has_exact: ClassVar[bool] = False
    """Whether :meth:`exact` computes operating characteristics exactly for this design."""

    truth_args: ClassVar[tuple[str, ...]] = ()
    """Scenario arguments besides ``true_tox`` that :meth:`simulate` and :meth:`exact` take."""

    required_truth: ClassVar[tuple[str, ...]] = ()
    """Those of :attr:`truth_args` that must be given."""

    selects: ClassVar[str] = "MTD"
    """What the design selects at the end: the maximum tolerated dose, or the optimal biological dose."""

    outcome_label: ClassVar[str] = "pathway_cohort_dlts"
    """Label id of a cohort's outcome in :meth:`pathways`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__init__
        signature = inspect.signature(init)

        @functools.wraps(init)
        def frozen_init(self, *args: Any, **kw: Any) -> None:
            init(self, *args, **kw)
            if type(self) is cls:  # the most-derived constructor has finished: record the settings and freeze
                bound = signature.bind(self, *args, **kw)
                bound.apply_defaults()
                arguments = dict(bound.arguments)
                arguments.pop("self")
                object.__setattr__(self, "_arguments", arguments)
                object.__setattr__(self, "_frozen", True)

        cls.__init__ = frozen_init

    def __init__(self, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10, start_dose: int = 1) -> None:
        self.n_doses = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
        self.cohort_size = _validate.integer(cohort_size, "cohort_size", minimum=1, maximum=MAX_COHORT_SIZE)
        self.n_cohorts = _validate.integer(n_cohorts, "n_cohorts", minimum=1, maximum=_validate.MAX_COHORTS)
        if self.cohort_size * self.n_cohorts > _validate.MAX_PATIENTS:
            raise ValueError(f"cohort_size * n_cohorts may not exceed {_validate.MAX_PATIENTS:,} patients; got "
                             f"{self.cohort_size * self.n_cohorts:,}")
        self.start_dose = _validate.dose(start_dose, self.n_doses, "start_dose")

    # ------------------------------------------------------------------------------------ immutability
    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_frozen"):
            raise AttributeError(f"a design cannot be changed after it is made (its boundaries would go stale); "
                                 f"use design.replace({name}=...) for a changed copy")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a design cannot be changed after it is made; {name} cannot be deleted")

    def replace(self, **changes: Any) -> Design:
        """A copy of the design with some settings changed (all derived quantities recomputed).

        Parameters
        ----------
        **changes
            ``setting=value`` for arguments of the design's constructor (e.g. ``target=0.25``); the other
            settings keep their values.

        Returns
        -------
        Design
            A new design of the same class.

        Raises
        ------
        TypeError
            If a name is not one of the design's settings.

        Examples
        --------
        >>> from dosecourse.escalation import BOIN
        >>> BOIN(0.3, 5).replace(target=0.25).lambda_e.__round__(4)
        0.1968
        """
        unknown = set(changes) - set(self._arguments)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no setting {sorted(unknown)}; its settings are "
                            f"{list(self._arguments)}")
        return type(self)(**{**self._arguments, **changes})

    def __repr__(self) -> str:
        signature = inspect.signature(type(self))
        parts = []
        for name, value in self._arguments.items():
            default = signature.parameters[name].default
            if default is inspect.Parameter.empty or _normalise(value) != _normalise(default):
                # full precision, so that eval(repr(design)) gives back an equal design
                shown = value.tolist() if isinstance(value, np.ndarray) else value
                parts.append(f"{name}={shown!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple:
        return tuple((k, _normalise(v)) for k, v in self._arguments.items())

    @property
    def max_n(self) -> int:
        """Maximum sample size."""
        return self.cohort_size * self.n_cohorts

    # ------------------------------------------------------------------------------------ conduct
    def next_dose(self, data: TrialData | str) -> Decision:
        """The decision after the data so far: the dose of the next cohort, and why.

        Parameters
        ----------
        data : TrialData or str
            The trial's data, or an outcome string such as ``"1NNN 2NTN"`` (the last cohort's dose is the
            current dose).

        Returns
        -------
        Decision
            ``dose`` is :data:`~dosecourse.escalation.NO_DOSE` when the trial stops.

        Raises
        ------
        ValueError, TypeError
            On invalid data, or data with no cohort yet (the first cohort receives ``start_dose``).
        """
        data = _as_data(data, self.n_doses)
        if data.current == NO_DOSE:
            raise ValueError(f"data: no cohort has been treated yet; the first cohort receives start_dose = "
                             f"{self.start_dose}")
        return self._next_dose(data)

    @abstractmethod
    def _next_dose(self, data: TrialData) -> Decision:
        """The decision after ``data`` (validated, with a current dose)."""

    def select(self, data: TrialData | str) -> int:
        """The dose selected at the end of the trial (the MTD, or the OBD for efficacy-toxicity designs).

        Parameters
        ----------
        data : TrialData or str
            The trial's final data.

        Returns
        -------
        int
            The selected dose (1..K), or :data:`~dosecourse.escalation.NO_DOSE` when none can be selected.
        """
        return self._select(_as_data(data, self.n_doses))

    @abstractmethod
    def _select(self, data: TrialData) -> int:
        """The dose selected from ``data`` (validated)."""

    # ------------------------------------------------------------------------------------ planning
    @abstractmethod
    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, ready for a protocol, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """

    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """Escalate / de-escalate / eliminate boundaries for 1..``max_n`` patients at a dose.

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients (default: the design's maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the row labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            One column per number of patients, one row per action (as each design defines it).

        Raises
        ------
        NotImplementedError
            For designs whose next dose depends on more than the current dose's counts (use :meth:`pathways`).
        """
        raise NotImplementedError(f"{self.name} has no fixed decision table: its next dose depends on all the "
                                  f"data; use pathways()")

    def _cohort_size(self, data: TrialData, dose: int) -> int:
        """Patients in the next cohort, which goes to ``dose`` (designs with varying cohorts override it)."""
        return self.cohort_size

    def _cohort_outcomes(self, data: TrialData, dose: int) -> Iterator[tuple[str, TrialData]]:
        """Every outcome of the next cohort at ``dose``: its label and the data after it."""
        size = self._cohort_size(data, dose)
        for dlts in range(size + 1):
            yield f"{dlts}/{size}", data.add(dose, dlts, size=size)

    def pathways(self, n_cohorts: int = 2, data: TrialData | str | None = None, *,
                 lang: str = "en") -> pd.DataFrame:
        """Dose transition pathways: every outcome of the next ``n_cohorts`` cohorts and where each leads.

        Parameters
        ----------
        n_cohorts : int
            Number of cohorts to look ahead.
        data : TrialData or str, optional
            The data so far; by default an empty trial whose first cohort goes to ``start_dose``.
        lang : {"en", "zh-tw"}
            Language of the column names.

        Returns
        -------
        pandas.DataFrame
            One row per sequence of cohort outcomes, with the dose each cohort receives, its outcome (DLTs, or
            the outcome letters of efficacy-toxicity designs) and the decision after it.  A pathway that stops
            the trial ends there.  This is the table a first-in-human protocol pre-specifies.

        Raises
        ------
        ValueError, TypeError
            On invalid arguments, data on which the trial has stopped, or a table of more than
            :data:`MAX_PATHWAY_ROWS` rows.
        """
        lang = check_lang(lang)
        depth = _validate.integer(n_cohorts, "n_cohorts", minimum=1, maximum=20)
        if data is None:
            start, dose = TrialData.empty(self.n_doses), self.start_dose
        else:
            start = _as_data(data, self.n_doses)
            dose = self.start_dose if start.current == NO_DOSE else self.next_dose(start).dose
            if dose == NO_DOSE:
                raise ValueError("data: the trial has already stopped on these data; there is no pathway to show")
        branching = len(list(self._cohort_outcomes(start, dose)))
        if branching ** depth > MAX_PATHWAY_ROWS:
            raise ValueError(f"n_cohorts = {depth} would give up to {branching ** depth:,} pathways; the limit is "
                             f"{MAX_PATHWAY_ROWS:,}")
        rows: list[dict] = []

        def walk(current: TrialData, dose: int, i: int, row: dict) -> None:
            for label, after in self._cohort_outcomes(current, dose):
                decision = self.next_dose(after)
                step = {**row, t("pathway_cohort_dose", lang, i=i): dose, t(self.outcome_label, lang, i=i): label,
                        t("pathway_next", lang, i=i): (t("pathway_stop", lang) if decision.dose == NO_DOSE
                                                      else decision.dose)}
                if decision.dose == NO_DOSE or i == depth:
                    rows.append(step)
                else:
                    walk(after.with_eliminated(decision.eliminated), decision.dose, i + 1, step)

        walk(start, dose, 1, {})
        # object dtype keeps dose numbers as integers where a stopped pathway leaves later cells empty
        return pd.DataFrame(rows, dtype=object).fillna("")

    # ------------------------------------------------------------------------------------ evaluation
    def _truth(self, true_tox: Any, truth: dict) -> tuple[np.ndarray, dict]:
        """Validate a scenario: ``true_tox`` and the design's further :attr:`truth_args`."""
        tox = _validate.probabilities(true_tox, "true_tox", length=self.n_doses)
        unknown = set(truth) - set(self.truth_args)
        if unknown:
            takes = f"takes {', '.join(self.truth_args)}" if self.truth_args else "takes only true_tox"
            raise TypeError(f"{self.name} {takes}; got unexpected {sorted(unknown)}")
        missing = [a for a in self.required_truth if truth.get(a) is None]
        if missing:
            raise ValueError(f"{self.name} needs {', '.join(missing)} besides true_tox (e.g. true_eff, the "
                             f"response probability per dose)")
        return tox, truth

    def simulate(self, true_tox, *, n_trials: int = 10_000, seed: int | np.random.Generator | None =
                 _validate.DEFAULT_SEED, **truth: Any) -> Trials:
        """Simulate ``n_trials`` trials on a true scenario, vectorised across trials, and return each trial.

        Parameters
        ----------
        true_tox : sequence of float
            True DLT probability at each dose, in (0, 1), one per dose.
        n_trials : int
            Number of simulated trials (Monte Carlo standard errors shrink as 1/sqrt(n_trials)).
        seed : int, None or numpy.random.Generator
            Seed of the simulation (default 2025); the same seed gives the same trials.
        **truth
            Further truths some designs need (:attr:`truth_args`), e.g. ``true_eff`` for BOIN12 and BF-BOIN.

        Returns
        -------
        Trials
            Per-trial results; ``.summary()`` gives the operating characteristics.

        Raises
        ------
        ValueError, TypeError
            On an invalid scenario, ``n_trials`` or ``seed``.
        """
        tox, truth = self._truth(true_tox, truth)
        count = _validate.n_trials(n_trials)
        gen, used = _validate.rng(seed)
        return self._simulate(tox, count, gen, used, **truth)

    @abstractmethod
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth: Any) -> Trials:
        """Vectorised simulation of ``n_trials`` trials (arguments validated)."""

    def exact(self, true_tox, **truth: Any) -> OperatingCharacteristics:
        """Exact operating characteristics (no Monte Carlo error), where :attr:`has_exact` is True.

        Parameters
        ----------
        true_tox : sequence of float
            True DLT probability at each dose, in (0, 1), one per dose.
        **truth
            Further truths the design takes (:attr:`truth_args`, e.g. ``true_eff``, the response probability
            per dose); those of :attr:`required_truth` must be given.

        Returns
        -------
        OperatingCharacteristics
            With ``exact`` True and zero standard errors.

        Raises
        ------
        NotImplementedError
            For designs without exact results (use :meth:`simulate`).
        ValueError, TypeError
            On an invalid scenario, an unknown truth argument or a missing required one.
        """
        if not self.has_exact:
            raise NotImplementedError(f"{self.name} has no exact operating characteristics; use simulate() or "
                                      f"operating_characteristics(method='simulate')")
        tox, truth = self._truth(true_tox, truth)
        return self._exact(tox, **truth)

    def _exact(self, true_tox: np.ndarray, **truth: Any) -> OperatingCharacteristics:
        raise NotImplementedError

    def operating_characteristics(self, true_tox, *, method: str = "auto", n_trials: int = 10_000,
                                  seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                                  **truth: Any) -> OperatingCharacteristics:
        """Operating characteristics, exact or simulated according to ``method``.

        Parameters
        ----------
        true_tox : sequence of float
            True DLT probability per dose.
        method : {"auto", "exact", "simulate"}
            See :data:`METHODS`.
        n_trials : int
            Simulated trials, when simulating.
        seed : int, None or numpy.random.Generator
            Seed of the simulation.
        **truth
            Further truths (:attr:`truth_args`).

        Returns
        -------
        OperatingCharacteristics
            ``.exact`` tells which method was used.

        Raises
        ------
        ValueError
            On an unknown ``method``, or ``method="exact"`` for a design without exact results.
        """
        _validate.one_of(method, "method", METHODS)
        if method == "exact" and not self.has_exact:
            raise ValueError(f"method='exact' is not available for {self.name}; use 'auto' or 'simulate'")
        if method != "simulate" and self.has_exact:
            return self.exact(true_tox, **truth)
        return self.simulate(true_tox, n_trials=n_trials, seed=seed, **truth).summary()

