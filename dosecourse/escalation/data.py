"""The data of an escalation trial, one object for every design: :class:`TrialData`.

Every design's :meth:`~dosecourse.escalation.Design.next_dose` and :meth:`~dosecourse.escalation.Design.select`
take a :class:`TrialData` (or an outcome string, which becomes one): patients and DLTs per dose, the dose of
the last cohort and that cohort's own result, and, for designs that use them, efficacy outcomes and the lowest
dose already closed by a safety rule.

Outcome strings are the compact notation of the dose-finding literature: ``"1NNT 2NNN"`` is a cohort of three
at dose 1 with one DLT (T) and two patients without (N), then a cohort of three at dose 2 with none.
Efficacy-toxicity designs use E (efficacy only), T (toxicity only), B (both) and N (neither).

Doses are numbered 1..K; :data:`NO_DOSE` (0) stands for "no dose" everywhere: no patient yet, a stopped trial,
no dose selected, no dose eliminated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .. import _validate

NO_DOSE: int = 0
"""The one value that means "no dose" in every result of :mod:`dosecourse.escalation`."""

OUTCOMES: tuple[str, ...] = ("E", "N", "B", "T")
"""Outcome letters in the column order of :attr:`TrialData.outcomes`: E = efficacy only, N = neither,
B = both, T = toxicity only (the order of BOIN12's utilities (T0,E1), (T0,E0), (T1,E1), (T1,E0))."""

_TOX = np.array([0, 0, 1, 1])
_EFF = np.array([1, 0, 1, 0])
_COHORT = re.compile(r"^(\d+)([A-Za-z]+)$")


@dataclass(frozen=True)
class Cohort:
    """One cohort of an outcome string: its dose (1..K) and each patient's outcome letter.

    Parameters
    ----------
    dose : int
        Dose level of the cohort, >= 1.
    outcomes : str
        One letter per patient, at least one: T (toxicity only), N (neither), E (efficacy only) or B (both).

    Raises
    ------
    ValueError, TypeError
        On a dose below 1, or outcomes that are empty or hold another letter.
    """

    dose: int
    outcomes: str

    def __post_init__(self) -> None:
        _validate.integer(self.dose, "dose", minimum=1)
        _validate.text(self.outcomes, "outcomes")
        bad = set(self.outcomes) - set("TNEB")
        if not self.outcomes or bad:
            raise ValueError(f"outcomes must be letters T, N, E, B (one per patient); got {self.outcomes!r}")

    @property
    def size(self) -> int:
        """Patients in the cohort."""
        return len(self.outcomes)

    @property
    def dlts(self) -> int:
        """Patients with toxicity (T or B)."""
        return sum(c in "TB" for c in self.outcomes)

    @property
    def responses(self) -> int:
        """Patients with efficacy (E or B)."""
        return sum(c in "EB" for c in self.outcomes)


def parse_outcomes(text: str, *, letters: str = "TNEB") -> list[Cohort]:
    """Split an outcome string such as ``"1NNT 2NNN"`` into cohorts.

    Parameters
    ----------
    text : str
        Cohorts separated by spaces, each ``<dose><letters>``.
    letters : str
        Outcome letters allowed.

    Returns
    -------
    list of Cohort

    Raises
    ------
    ValueError, TypeError
        On a cohort that is not ``<dose><letters>``, a dose below 1, or a letter outside ``letters``.

    Examples
    --------
    >>> [(c.dose, c.dlts) for c in parse_outcomes("1NNT 2NNN")]
    [(1, 1), (2, 0)]
    """
    return _parse(text, letters, "text")


def _parse(text: str, letters: str, name: str) -> list[Cohort]:
    """:func:`parse_outcomes`, with errors naming the argument ``name`` the outcome string came in."""
    _validate.text(text, name)
    if not _validate.text(letters, "letters") or set(letters.upper()) - set(OUTCOMES):
        raise ValueError(f"letters must be some of the outcome letters {''.join(OUTCOMES)!r}; got {letters!r}")
    cohorts = []
    for token in text.split():
        m = _COHORT.match(token)
        if not m:
            raise ValueError(f"{name}: cannot read cohort {token!r}: expected a dose number then outcome "
                             f"letters, e.g. '2NNT'")
        dose, codes = int(m.group(1)), m.group(2).upper()
        if dose < 1:
            raise ValueError(f"{name}: doses are numbered from 1; got {token!r}")
        bad = set(codes) - set(letters.upper())
        if bad:
            raise ValueError(f"{name}: cohort {token!r} has letters {sorted(bad)} outside {letters!r}")
        cohorts.append(Cohort(dose, codes))
    return cohorts


@dataclass(frozen=True, eq=False)
class TrialData:
    """What an escalation trial has observed so far.

    Parameters
    ----------
    n, y : sequences of int
        Patients treated and patients with a DLT per dose (dose 1 first); ``0 <= y <= n``.
    current : int
        Dose (1..K) the last cohort received; :data:`NO_DOSE` before the first cohort.  It must have patients.
    last_cohort : (patients, dlts), optional
        The last cohort's own result, for rules that look at it (the CRM's coherence); ``None`` if unknown.
    outcomes : array_like of int, shape (K, 4), optional
        Counts of E, N, B, T per dose (columns as :data:`OUTCOMES`), for efficacy-toxicity designs; must agree
        with ``n`` and ``y``.
    responses : sequence of int, optional
        Patients with efficacy per dose, when the joint ``outcomes`` are not known (default: from ``outcomes``).
    eliminated : int
        Lowest dose already closed by a safety rule, with every dose above it (:data:`NO_DOSE` if none): the
        ``eliminated`` of the previous :class:`~dosecourse.escalation.Decision`.  Designs whose closed doses
        follow from the counts alone ignore it.

    Raises
    ------
    ValueError, TypeError
        On counts that are negative, not whole, of different lengths or with ``y > n``; a current dose without
        patients; or outcomes that disagree with ``n`` and ``y``.

    Examples
    --------
    >>> data = TrialData.from_outcomes("1NNN 2NTN", n_doses=4)
    >>> data.n.tolist(), data.y.tolist(), data.current, data.last_cohort
    ([3, 3, 0, 0], [0, 1, 0, 0], 2, (3, 1))
    """

    n: np.ndarray
    y: np.ndarray
    current: int = NO_DOSE
    last_cohort: tuple[int, int] | None = None
    outcomes: np.ndarray | None = None
    responses: np.ndarray | None = field(default=None)
    eliminated: int = NO_DOSE

    def __post_init__(self) -> None:
        n = _validate.whole_array(self.n, "n", ndim=1)
        if n.size == 0 or n.size > _validate.MAX_DOSES:
            raise ValueError(f"n must have one count per dose (1 to {_validate.MAX_DOSES} doses); got {n.size}")
        n, y = _validate.counts(n, self.y, n.size)
        k = n.size
        current = _validate.integer(self.current, "current", minimum=0, maximum=k)
        if current != NO_DOSE and n[current - 1] == 0:
            raise ValueError(f"current: no patients have been treated at dose {current}; give the dose the last "
                             f"cohort received")
        if current == NO_DOSE and n.sum() > 0:
            raise ValueError("current must be given (the dose the last cohort received) once patients are treated")
        last = self.last_cohort
        if last is not None:
            if isinstance(last, str) or np.ndim(last) != 1 or len(last) != 2:
                raise TypeError(f"last_cohort must be a pair (patients, dlts); got {last!r}")
            size = _validate.integer(last[0], "last_cohort patients", minimum=1)
            dlts = _validate.integer(last[1], "last_cohort dlts", minimum=0, maximum=size)
            if current == NO_DOSE or size > n[current - 1] or dlts > y[current - 1]:
                raise ValueError(f"last_cohort {tuple(last)} does not fit the data at the current dose {current}")
            last = (size, dlts)
        outcomes = self.outcomes
        if outcomes is not None:
            outcomes = _validate.whole_array(outcomes, "outcomes", ndim=2)
            if outcomes.shape != (k, len(OUTCOMES)):
                raise ValueError(f"outcomes must have shape ({k}, 4): one row per dose, columns E, N, B, T; got "
                                 f"{outcomes.shape}")
            if np.any(outcomes.sum(axis=1) != n) or np.any(outcomes @ _TOX != y):
                raise ValueError("outcomes disagree with n and y (patients and toxicities per dose)")
        responses = self.responses
        if responses is not None:
            _, responses = _validate.counts(n, responses, k, y_name="responses")
            if outcomes is not None and np.any(responses != outcomes @ _EFF):
                raise ValueError("responses disagree with outcomes")
        elif outcomes is not None:
            responses = outcomes @ _EFF
        eliminated = _validate.integer(self.eliminated, "eliminated", minimum=0, maximum=k)
        for name, value in (("n", n), ("y", y), ("current", current), ("last_cohort", last),
                            ("outcomes", outcomes), ("responses", responses), ("eliminated", eliminated)):
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            object.__setattr__(self, name, value)

    @property
    def n_doses(self) -> int:
        """Number of dose levels K."""
        return int(self.n.size)

    @property
    def total(self) -> int:
        """Patients treated so far."""
        return int(self.n.sum())

    @classmethod
    def empty(cls, n_doses: int) -> TrialData:
        """The data of a trial that has treated no one yet.

        Parameters
        ----------
        n_doses : int
            Number of dose levels K, 1 to :data:`dosecourse._validate.MAX_DOSES`.

        Returns
        -------
        TrialData
            Zero patients and DLTs at every dose, no current dose.

        Examples
        --------
        >>> TrialData.empty(3).n.tolist()
        [0, 0, 0]
        """
        k = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
        return cls(np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64))

    @classmethod
    def from_outcomes(cls, text: str, n_doses: int) -> TrialData:
        """The data of an outcome string such as ``"1NNT 2ENB"``; the last cohort's dose is the current dose.

        The counts of each letter per dose are recorded (:attr:`outcomes`), so efficacy-toxicity designs read
        "1NNN" as three patients with neither outcome; designs that use only DLTs ignore them.

        Parameters
        ----------
        text : str
            Cohorts separated by spaces, each ``<dose><letters>`` with letters T, N, E, B (see
            :func:`parse_outcomes`); an empty string gives :meth:`empty`.
        n_doses : int
            Number of dose levels K, 1 to :data:`dosecourse._validate.MAX_DOSES`; no cohort may be above K.

        Returns
        -------
        TrialData

        Raises
        ------
        ValueError, TypeError
            On a malformed outcome string or a cohort at a dose above ``n_doses``.

        Examples
        --------
        >>> TrialData.from_outcomes("1NNN 2ENT", 2).outcomes.tolist()
        [[0, 3, 0, 0], [1, 1, 0, 1]]
        """
        return cls._from_text(text, n_doses, "text")

    @classmethod
    def _from_text(cls, text: str, n_doses: int, name: str) -> TrialData:
        """:meth:`from_outcomes`, with errors naming the argument ``name`` the outcome string came in."""
        k = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
        cohorts = _parse(text, "TNEB", name)
        table = np.zeros((k, len(OUTCOMES)), dtype=np.int64)
        for c in cohorts:
            if c.dose > k:
                raise ValueError(f"{name}: cohort at dose {c.dose} but the design has {k} doses")
            for letter in c.outcomes:
                table[c.dose - 1, OUTCOMES.index(letter)] += 1
        if not cohorts:
            return cls.empty(k)
        last = cohorts[-1]
        return cls(table.sum(axis=1), table @ _TOX, current=last.dose, last_cohort=(last.size, last.dlts),
                   outcomes=table)

    def add(self, dose: int, dlts: int | None = None, *, size: int | None = None, outcomes: str | None = None,
            eliminated: int | None = None) -> TrialData:
        """These data with one more cohort at ``dose``: ``dlts`` DLTs among ``size`` patients, or per-patient
        ``outcomes`` letters (E, N, B, T).

        Parameters
        ----------
        dose : int
            Dose (1..K) of the new cohort; it becomes the current dose.
        dlts : int, optional
            DLTs in the cohort (with ``size``).
        size : int, optional
            Patients in the cohort.
        outcomes : str, optional
            One letter per patient instead of ``dlts`` and ``size``.
        eliminated : int, optional
            The lowest closed dose after the previous decision (default: unchanged).

        Returns
        -------
        TrialData

        Examples
        --------
        >>> TrialData.empty(3).add(1, 1, size=3).add(1, 0, size=3).y.tolist()
        [1, 0, 0]
        """
        k = self.n_doses
        d = _validate.dose(dose, k, "dose")
        n, y = self.n.copy(), self.y.copy()
        table = None if self.outcomes is None else self.outcomes.copy()
        responses = None if self.responses is None else self.responses.copy()
        if outcomes is not None:
            if dlts is not None or size is not None:
                raise TypeError("give either outcomes or dlts and size, not both")
            cohort = Cohort(d, _validate.text(outcomes, "outcomes").upper())
            size, dlts = cohort.size, cohort.dlts
            table = np.zeros((k, len(OUTCOMES)), dtype=np.int64) if table is None else table
            if table.sum() != n.sum():
                raise ValueError("outcomes letters can be added only to data that record outcomes")
            for letter in cohort.outcomes:
                table[d - 1, OUTCOMES.index(letter)] += 1
            responses = None
        else:
            if dlts is None or size is None:
                raise TypeError("add needs dlts and size (or outcomes)")
            size = _validate.integer(size, "size", minimum=1, maximum=_validate.MAX_PATIENTS)
            dlts = _validate.integer(dlts, "dlts", minimum=0, maximum=size)
            table, responses = None, None
        n[d - 1] += size
        y[d - 1] += dlts
        return TrialData(n, y, current=d, last_cohort=(size, dlts), outcomes=table, responses=responses,
                         eliminated=self.eliminated if eliminated is None else eliminated)

    def with_eliminated(self, eliminated: int) -> TrialData:
        """These data with the lowest closed dose set to ``eliminated`` (:data:`NO_DOSE` for none).

        Parameters
        ----------
        eliminated : int
            Lowest dose (1..K) closed by a safety rule, with every dose above it, or :data:`NO_DOSE` (0).

        Returns
        -------
        TrialData
            ``self`` when ``eliminated`` is unchanged, otherwise a copy with the new value (validated by the
            constructor).
        """
        if eliminated == self.eliminated:
            return self
        return TrialData(self.n, self.y, current=self.current, last_cohort=self.last_cohort,
                         outcomes=self.outcomes, responses=self.responses, eliminated=eliminated)

    def __repr__(self) -> str:
        parts = [f"n={self.n.tolist()}", f"y={self.y.tolist()}", f"current={self.current}"]
        if self.last_cohort is not None:
            parts.append(f"last_cohort={self.last_cohort}")
        if self.outcomes is not None:
            parts.append(f"outcomes={self.outcomes.tolist()}")
        elif self.responses is not None:
            parts.append(f"responses={self.responses.tolist()}")
        if self.eliminated:
            parts.append(f"eliminated={self.eliminated}")
        return f"TrialData({', '.join(parts)})"


def _as_data(data: TrialData | str, n_doses: int) -> TrialData:
    """``data`` as :class:`TrialData` with ``n_doses`` doses (an outcome string is parsed)."""
    if isinstance(data, str):
        return TrialData._from_text(data, n_doses, "data")
    _validate.instance(data, "data", TrialData)
    if data.n_doses != n_doses:
        raise ValueError(f"data has {data.n_doses} doses but the design has {n_doses}")
    return data
