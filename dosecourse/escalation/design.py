"""The one contract every dose-escalation design of :mod:`dosecourse.escalation` follows.

A design is planned (:meth:`Design.decision_table`, :meth:`Design.describe`, :meth:`Design.pathways`, and all of
them as one protocol appendix, :meth:`Design.protocol`),
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
import html
import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import catalogue, check_lang, t
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

PROTOCOL_FORMATS: tuple[str, ...] = ("markdown", "html")
"""Formats of :meth:`Design.protocol`: Markdown (pipe tables) or an HTML fragment."""

PROTOCOL_MAX_PATHWAY_COHORTS = 3
"""Most cohorts whose dose transition pathways :meth:`Design.protocol` lists for a design without a decision
table (4**3 = 64 rows for cohorts of three)."""

# Settings whose values are names: the label id of each value's text ({} is the value).
_VALUE_LABELS = {"model": "crm_model_{}", "variant": "protocol_variant_{}", "accrual": "protocol_accrual_{}",
                 "response_rule": "bfboin_response_{}", "rules": "protocol_rules_{}"}


def _normalise(value: Any) -> Any:
    """A hashable, comparable form of a constructor argument (arrays become tuples)."""
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_normalise(v) for v in value)
    return value


class ProtocolAppendix:
    """The protocol appendix of a dose-finding design (:meth:`protocol`), assembled from what the design provides.

    A class gets it by inheriting this one if it has ``name``, ``cohort_size``, ``max_n``, its constructor's
    arguments in ``_arguments``, ``describe(lang)``, ``decision_table(max_n, lang=...)`` (raising
    ``NotImplementedError`` when it has no fixed table) and ``pathways(n_cohorts, lang=...)``: :class:`Design` does,
    and so does :class:`~dosecourse.escalation.BOINComb`, whose doses are pairs.
    """

    selects: ClassVar[str] = "MTD"
    """What the design selects at the end: the maximum tolerated dose, or the optimal biological dose."""

    protocol_reference: ClassVar[str] = ""
    """Label id of the design's primary reference, cited in :meth:`protocol`."""

    name_label: ClassVar[str] = ""
    """Label id of the design's name in the reader's language, where it differs from :attr:`name`."""

    def protocol(self, fmt: str = "markdown", lang: str = "en", max_n: int | None = None, *,
                 level: int = 2) -> str:
        """The pre-specified plan as a protocol appendix, ready to paste into a trial protocol.

        One contract for every design: the appendix is assembled from what the design already provides (its
        settings, i.e. the constructor's arguments and ``repr``; its rules in words, from the label texts of
        :meth:`describe`; its :meth:`decision_table`, or for a design without one its :meth:`pathways`), in
        the order a protocol's statistical section gives them:

        1. the design and its parameters, in a table that ends with the design's ``repr`` (which rebuilds it);
        2. the dose escalation and de-escalation rule in words;
        3. the decision table (one row per number of patients at the current dose, where the design's table has
           one column per number of patients), or the dose transition pathways of the first cohorts;
        4. the stopping and elimination rules;
        5. the rule that selects the MTD (or the OBD);
        6. the primary reference.

        A design overrides only what differs, through small hooks: :meth:`_protocol_sections` (the texts of 2,
        4 and 5; by default the whole of :meth:`describe` in one section), :meth:`_protocol_derived` (quantities
        derived from the settings, such as BOIN's boundaries) and :meth:`_protocol_table_note`.

        Parameters
        ----------
        fmt : {"markdown", "html"}
            Markdown with pipe tables, or an HTML fragment (one ``<section>`` element, every text escaped).
        lang : {"en", "zh-tw"}
            Language of the appendix (default ``"en"``).
        max_n : int, optional
            For a decision table, the largest number of patients at a dose it covers (default: the design's
            maximum sample size; the 3+3's table is fixed and accepts only 6).  For pathways, the number of
            patients they cover, rounded up to whole cohorts (default: two cohorts; at most
            :data:`PROTOCOL_MAX_PATHWAY_COHORTS`).  From 1 to the design's maximum sample size.
        level : int
            Heading level of the appendix's title, 1 to 5 (default 2); its sections are one level below.

        Returns
        -------
        str
            The appendix, ending with a newline.

        Raises
        ------
        ValueError, TypeError
            On an unknown ``fmt`` or ``lang``, or ``max_n`` or ``level`` outside its range (each message names
            the argument).

        Examples
        --------
        >>> from dosecourse.escalation import BOIN
        >>> text = BOIN(0.3, 5).protocol(max_n=6)
        >>> text.splitlines()[0]
        '## Appendix: dose-escalation plan (BOIN)'
        >>> "lambda_e = 0.2365" in text, BOIN(0.3, 5).protocol("html").startswith("<section")
        (True, True)
        """
        fmt = _validate.one_of(fmt, "fmt", PROTOCOL_FORMATS)
        lang = check_lang(lang)
        if max_n is not None:
            max_n = _validate.integer(max_n, "max_n", minimum=1, maximum=self.max_n)
        level = _validate.integer(level, "level", minimum=1, maximum=5)
        selects = self.selects.lower()
        sections = self._protocol_sections(lang)
        unknown = set(sections) - {"rule", "rules", "stopping", "selection"}
        if unknown:
            raise RuntimeError(f"{type(self).__name__}._protocol_sections returned unknown sections {unknown}")
        heading, note, table = self._protocol_table(max_n, lang)

        def section(key: str, title: str) -> list[tuple[str, Any]]:
            if key not in sections:
                return []
            lines = [line.strip() for text in sections[key] for line in text.split("\n")]
            return [("heading", t(title, lang))] + [("text", line) for line in lines if line]

        name = t(self.name_label, lang) if self.name_label else self.name
        blocks: list[tuple[str, Any]] = [
            ("title", t("protocol_title", lang, design=name)),
            ("text", t("protocol_intro", lang, selects=t(f"protocol_selects_{selects}", lang))),
            ("heading", t("protocol_h_design", lang)), ("table", self._protocol_parameters(lang)),
            *section("rule", "protocol_h_rule"), *section("rules", "protocol_h_rules"),
            ("heading", t(heading, lang)), *([("text", note)] if note else []), ("table", table),
            *section("stopping", "protocol_h_stopping"), *section("selection", f"protocol_h_selection_{selects}")]
        if self.protocol_reference:
            blocks += [("heading", t("protocol_h_reference", lang)), ("text", t(self.protocol_reference, lang))]
        return _render_protocol(blocks, fmt, level)

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """Texts of the appendix's rule sections in ``lang``: ``"rule"`` (escalation and de-escalation),
        ``"stopping"`` (stopping and elimination) and ``"selection"`` (the MTD or OBD), each a list of paragraphs
        (a newline also starts one); or ``"rules"``, one section holding all three.  By default the whole of
        :meth:`describe`, as one ``"rules"`` section; designs override it to give the three sections from the
        label texts their :meth:`describe` uses."""
        return {"rules": [self.describe(lang)]}

    def _protocol_derived(self, lang: str) -> list[tuple[str, str, str]]:
        """Rows (parameter, value, setting) of quantities derived from the settings, shown after them (none by
        default; BOIN shows its boundaries)."""
        return []

    def _protocol_table_note(self, lang: str) -> str:
        """The sentence that introduces the decision table in the appendix (none by default)."""
        return ""

    def _protocol_parameters(self, lang: str) -> pd.DataFrame:
        """The appendix's table of parameters: the design, every constructor argument (the value in use, e.g.
        BOIN's default phi1 = 0.6 target), the maximum sample size, the derived quantities and ``repr``."""
        rows = [(t("protocol_param_design", lang), t(self.name_label, lang) if self.name_label else self.name, "")]
        for name, value in self._arguments.items():
            if value is None and not hasattr(self, name):
                continue   # a default computed from the other settings, shown by the derived rows
            shown = getattr(self, name, value)
            rows.append((t(f"protocol_param_{name}", lang), _protocol_value(name, value if callable(shown) else
                                                                            shown, lang), name))
        rows.append((t("protocol_param_max_n", lang), str(self.max_n), ""))
        rows += self._protocol_derived(lang)
        rows.append((t("protocol_param_spec", lang), repr(self), ""))
        return pd.DataFrame(rows, columns=[t(f"protocol_col_{c}", lang) for c in ("parameter", "value", "setting")])

    def _protocol_table(self, max_n: int | None, lang: str) -> tuple[str, str, pd.DataFrame]:
        """Heading label id, introductory note and table of the appendix's decision table, or of the dose
        transition pathways for a design without one (``max_n`` validated)."""
        try:
            table = self.decision_table(max_n, lang=lang)
        except NotImplementedError:
            cohorts = 2 if max_n is None else -(-max_n // self.cohort_size)
            if cohorts > PROTOCOL_MAX_PATHWAY_COHORTS:
                raise ValueError(f"max_n: the pathways of {self.name} in a protocol cover at most "
                                 f"{PROTOCOL_MAX_PATHWAY_COHORTS} cohorts (max_n <= "
                                 f"{PROTOCOL_MAX_PATHWAY_COHORTS * self.cohort_size} with cohorts of "
                                 f"{self.cohort_size}); got max_n={max_n}") from None
            return "protocol_h_pathways", t("protocol_pathways_note", lang, n=cohorts), self.pathways(cohorts,
                                                                                                      lang=lang)
        if len(table.columns) and all(isinstance(c, (int, np.integer)) for c in table.columns):
            table = table.T.reset_index(drop=True)   # one row per number of patients: narrow enough for a page
        return "protocol_h_table", self._protocol_table_note(lang), table


class Design(ProtocolAppendix, ABC):
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


def _protocol_value(name: str, value: Any, lang: str) -> str:
    """A setting's value as the appendix shows it: yes/no, a name's text where it has one, numbers to 4
    significant digits, sequences joined by commas (tuples in parentheses)."""
    if value is None:
        return t("protocol_none", lang)
    if isinstance(value, (bool, np.bool_)):
        return t("protocol_yes" if value else "protocol_no", lang)
    if isinstance(value, str):
        key = _VALUE_LABELS.get(name, "").format(value.replace("-", "_").replace(".", "_"))
        return t(key, lang) if key in catalogue() else value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple, np.ndarray)):
        shown = ", ".join(_protocol_value(name, v, lang) for v in np.asarray(value, dtype=object).ravel())
        return f"({shown})" if isinstance(value, tuple) else shown   # a pair (a, b) in parentheses
    return str(value)


def _protocol_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Every cell and column name of ``table`` as text; missing values as "NA"."""
    def cell(value: Any) -> str:
        missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
        return "NA" if missing else str(value)

    out = table.astype(object).map(cell)
    out.columns = [str(c) for c in table.columns]
    return out


def _render_protocol(blocks: list[tuple[str, Any]], fmt: str, level: int) -> str:
    """The appendix's blocks (title, heading, text, table) as Markdown or as an HTML fragment."""
    if fmt == "markdown":
        out = []
        for kind, item in blocks:
            if kind == "table":
                cells = _protocol_cells(item).map(lambda v: v.replace("|", "\\|").replace("\n", " "))
                cells.columns = [c.replace("|", "\\|") for c in cells.columns]
                out.append(cells.to_markdown(index=False, tablefmt="pipe", disable_numparse=True))
            elif kind == "text":
                out.append(item)
            else:
                out.append("#" * (level + (kind == "heading")) + " " + item)
        return "\n\n".join(out) + "\n"
    out = ['<section class="dosecourse-protocol">']
    for kind, item in blocks:
        if kind == "table":
            out.append(_protocol_cells(item).to_html(index=False, escape=True, border=0))
        elif kind == "text":
            out.append(f"<p>{html.escape(item)}</p>")
        else:
            h = level + (kind == "heading")
            out.append(f"<h{h}>{html.escape(item)}</h{h}>")
    out.append("</section>")
    return "\n".join(out) + "\n"
