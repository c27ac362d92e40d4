"""The engine shared by the interval designs: BOIN, mTPI, mTPI-2 and Keyboard.

Each of these designs is fully described by a decision table: with ``y`` DLTs among the ``n`` patients treated
at the current dose, escalate if ``y <= e[n]``, de-escalate if ``y >= d[n]``, otherwise stay; eliminate the dose
(and all higher doses) if ``y >= x[n]``.  Only ``e`` and ``d`` differ between the designs; a design supplies its
rule (:meth:`IntervalDesign._rule`) and this module supplies everything else, once:

* the common safety and stopping rules (elimination, stopping when dose 1 is eliminated, the extra-safe rule,
  early stopping at ``n_earlystop``, never escalating into an eliminated dose, staying at the top dose);
* :meth:`~IntervalDesign.next_dose`, :meth:`~IntervalDesign.select`, :meth:`~IntervalDesign.decision_table`
  and :meth:`~IntervalDesign.describe`;
* simulation vectorised across trials (:meth:`~IntervalDesign.simulate`) and exact operating characteristics
  (:meth:`~IntervalDesign.exact`) by enumerating the outcome paths cohort by cohort and merging identical
  states.

The common rules follow the R package BOIN 2.7.2 (``get.boundary``, ``get.oc``; see
:mod:`dosecourse.escalation.boin`): the Keyboard package (``get.oc.kb``) applies the same ones.

References
----------
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yan F, Zhang L, Zhou Y, Pan H, Liu S, Yuan Y. BOIN: an R package for designing single-agent and drug-combination
dose-finding trials using Bayesian optimal interval designs. J Stat Softw. 2020;94(13):1-32.
doi:10.18637/jss.v094.i13
"""

from __future__ import annotations

from abc import abstractmethod
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from threading import Lock
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betainc
from scipy.stats import binom

from .. import _validate
from ..i18n import check_lang, t
from .data import NO_DOSE, TrialData
from .decision import Decision
from .design import Design
from .mtd_selection import overdose_probability, select_mtd_many
from .results import OperatingCharacteristics, Trials

TARGET_RANGE = (0.05, 0.6)
"""Targets the interval designs accept, as the R packages BOIN and Keyboard do."""


@dataclass(frozen=True)
class Boundaries:
    """Decision boundaries indexed by the number of patients ``n`` at the current dose (entry 0 is unused).

    Parameters
    ----------
    escalate : ndarray of int
        Escalate if the number of DLTs ``y <= escalate[n]``; ``-1`` where no count escalates.
    deescalate : ndarray of int
        De-escalate if ``y >= deescalate[n]``; ``n + 1`` where no count de-escalates.  Never above
        ``eliminate[n]``.
    eliminate : ndarray of int
        Eliminate the dose and all higher doses if ``y >= eliminate[n]``; ``n + 1`` where no count does (always
        for ``n < 3``).
    stop : ndarray of int
        Extra-safe rule: stop the trial if dose 1 has ``y >= stop[n]``; ``n + 1`` where it cannot apply.
    """

    escalate: np.ndarray
    deescalate: np.ndarray
    eliminate: np.ndarray
    stop: np.ndarray

    def __post_init__(self) -> None:
        size = None
        for name in ("escalate", "deescalate", "eliminate", "stop"):
            arr = _validate.whole_array(getattr(self, name), name, minimum=-1 if name == "escalate" else 0,
                                        ndim=1)
            if size is not None and arr.size != size:
                raise ValueError(f"{name} must have one entry per number of patients ({size}); got {arr.size}")
            size = arr.size
            if size == 0:
                raise ValueError(f"{name} must not be empty")
            if np.any(arr > np.arange(size) + 1):
                raise ValueError(f"{name}[n] must be at most n + 1 DLTs; got {_validate._shown(arr.tolist())}")


def equal_width_edges(lower: float, upper: float) -> np.ndarray:
    """Edges of the partition of [0, 1] into intervals as wide as ``(lower, upper)``, built outwards from it.

    The intervals below ``lower`` and above ``upper`` have the width ``upper - lower`` except the two end
    ones, truncated at 0 and 1 (mTPI-2's sub-intervals, Keyboard's keys).  Edges within 1e-10 of 0 or 1 are
    snapped to them, so floating-point round-off never creates a sliver interval.

    Parameters
    ----------
    lower, upper : float
        The equivalence interval (the target key), ``0 < lower < upper < 1``.

    Returns
    -------
    ndarray
        Increasing edges from 0 to 1.

    Raises
    ------
    ValueError, TypeError
        Unless ``0 < lower < upper < 1`` with ``upper - lower >= 0.001``.

    Examples
    --------
    >>> equal_width_edges(0.25, 0.35).round(2).tolist()
    [0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.0]
    """
    lower = _validate.probability(lower, "lower")
    upper = _validate.probability(upper, "upper")
    if upper - lower < 1e-3:
        raise ValueError(f"upper must exceed lower by at least 0.001; got lower={lower!r}, upper={upper!r}")
    width = upper - lower
    below = lower - width * np.arange(1, int(np.ceil(lower / width - 1e-10)) + 1)
    above = upper + width * np.arange(1, int(np.ceil((1 - upper) / width - 1e-10)) + 1)
    edges = np.concatenate([[0.0], below[::-1], [lower, upper], above, [1.0]])
    edges = np.clip(np.where(np.abs(edges) < 1e-10, 0.0, np.where(np.abs(edges - 1) < 1e-10, 1.0, edges)), 0, 1)
    return np.unique(edges)


def equivalence_interval(target: float, epsilon1: float, epsilon2: float) -> tuple[float, float]:
    """Check ``epsilon1`` and ``epsilon2`` and return the interval ``(target - epsilon1, target + epsilon2)``.

    The equivalence interval of the mTPI, mTPI-2 and keyboard designs (Ji et al. 2010; Yan et al. 2017): DLT rates
    inside it count as close enough to the target.

    Parameters
    ----------
    target : float
        Target DLT probability, in (0, 1).
    epsilon1, epsilon2 : float
        Distances below and above the target, each in (0, 1).

    Returns
    -------
    tuple of float
        ``(lower, upper)``.

    Raises
    ------
    ValueError, TypeError
        Unless ``target``, ``epsilon1`` and ``epsilon2`` are in (0, 1) and the interval lies inside (0, 1).

    Examples
    --------
    >>> equivalence_interval(0.3, 0.05, 0.05)
    (0.25, 0.35)
    """
    target = _validate.probability(target, "target")
    epsilon1 = _validate.probability(epsilon1, "epsilon1")
    epsilon2 = _validate.probability(epsilon2, "epsilon2")
    lower, upper = target - epsilon1, target + epsilon2
    if not 0 < lower < upper < 1:
        raise ValueError(f"the interval (target - epsilon1, target + epsilon2) must lie inside (0, 1); got "
                         f"({lower:g}, {upper:g}) from epsilon1={epsilon1!r}, epsilon2={epsilon2!r}")
    return lower, upper


def interval_probabilities(edges: np.ndarray, n, y) -> np.ndarray:
    """Posterior probability of each interval between consecutive ``edges`` under Beta(1 + y, 1 + n - y).

    Parameters
    ----------
    edges : array_like
        Increasing edges from 0 to 1.
    n, y : int or array_like of int
        Patients and DLTs, ``0 <= y <= n`` (arrays broadcast).

    Returns
    -------
    ndarray, shape ``broadcast(n, y).shape + (len(edges) - 1,)``

    Raises
    ------
    ValueError, TypeError
        On edges that are not increasing from 0 to 1, or counts that are not whole numbers with
        ``0 <= y <= n``.

    Examples
    --------
    >>> interval_probabilities(np.array([0.0, 0.5, 1.0]), 0, 0).tolist()
    [0.5, 0.5]
    """
    edges = _validate.real_array(edges, "edges", ndim=1, minimum=0.0, maximum=1.0, increasing=True)
    if edges.size < 2 or edges[0] != 0.0 or edges[-1] != 1.0:
        raise ValueError(f"edges must run from 0 to 1; got {edges.tolist()}")
    n, y = _check_counts(n, y)
    return np.diff(betainc(y[..., None] + 1, n[..., None] - y[..., None] + 1, edges), axis=-1)


def _check_counts(n, y) -> tuple[np.ndarray, np.ndarray]:
    """Patients and DLTs as float arrays (broadcast), whole numbers with ``0 <= y <= n``."""
    n_arr = _validate.whole_array(n, "n")
    y_arr = _validate.whole_array(y, "y")
    if np.any(n_arr > _validate.MAX_PATIENTS):
        raise ValueError(f"n may not exceed {_validate.MAX_PATIENTS:,} patients")
    try:
        n_b, y_b = np.broadcast_arrays(n_arr, y_arr)
    except ValueError:
        raise ValueError(f"n and y must have matching shapes; got {n_arr.shape} and {y_arr.shape}") from None
    if np.any(y_b > n_b):
        raise ValueError("y cannot exceed n")
    return n_b.astype(float), y_b.astype(float)


def _highest_of_largest(values: np.ndarray, rtol: float = 1e-9) -> np.ndarray:
    """Index of the largest value along the last axis; among values tied with it, the highest index.

    Values within a relative ``rtol`` of the maximum count as tied: mathematically equal probabilities (e.g. two
    keys placed symmetrically about 0.5 when y = n / 2) come out of floating-point arithmetic a few units in the
    last place apart, and the tie rule must not depend on that round-off.

    Examples
    --------
    >>> _highest_of_largest(np.array([0.2, 0.4, 0.4 * (1 + 1e-15), 0.1])).item()
    2
    >>> _highest_of_largest(np.array([0.2, 0.4 * (1 + 1e-15), 0.4, 0.1])).item()
    2
    """
    tied = values >= np.max(values, axis=-1, keepdims=True) * (1 - rtol)
    return values.shape[-1] - 1 - np.argmax(tied[..., ::-1], axis=-1)


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the non-negative int array ``keys``: the index of each one's first occurrence and, for
    every row, the number of its distinct row.

    Rows are coded as mixed-radix int64 numbers, column by column; before the code could overflow it is
    re-numbered densely (0..number of distinct prefixes - 1), so the coding is exact whatever the number of
    columns, and the distinct codes are found with a 1-D sort (much faster than ``np.unique(axis=0)``).
    """
    code = np.zeros(keys.shape[0], dtype=np.int64)
    bound = 1
    for column in keys.T:
        radix = int(column.max(initial=0)) + 1
        if bound * radix >= 2 ** 62:
            code = np.unique(code, return_inverse=True)[1].ravel()
            bound = int(code.max(initial=0)) + 1
        code = code * radix + column
        bound *= radix
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return first, inverse.ravel()


def _merge_rows(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical rows of the non-negative int array ``keys``, summing their ``weights``: the index of the
    first occurrence of each distinct row and the summed weights (see :func:`_unique_rows`)."""
    first, inverse = _unique_rows(keys)
    return first, np.bincount(inverse, weights=weights, minlength=first.size)


class _PlanCache:
    """The outcome tree of each design's exact enumeration, which does not depend on the true DLT probabilities
    (least recently used first out, at most ``max_bytes`` of arrays).

    An exact computation walks the same tree of states for every scenario: which states there are, which merge and
    what the design decides in each depends only on the counts.  Stored once per design (designs are immutable and
    compare by their arguments), the tree turns another scenario into products and sums over stored indices, in
    the same order as the first walk, so the results are the same to the last bit.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._plans: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, design: Any) -> Any:
        with self._lock:
            entry = self._plans.get(design)
            if entry is None:
                return None
            self._plans.move_to_end(design)
            return entry[0]

    def clear(self) -> None:
        """Forget every stored tree (the next exact computation of each design enumerates afresh)."""
        with self._lock:
            self._plans.clear()
            self._bytes = 0

    def put(self, design: Any, plan: Any) -> None:
        size = _nbytes(plan)
        with self._lock:
            if size > self.max_bytes or design in self._plans:
                return
            self._plans[design] = (plan, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, freed) = self._plans.popitem(last=False)
                self._bytes -= freed


def _nbytes(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (list, tuple)):
        return sum(_nbytes(v) for v in value)
    return 0


def _index(values: np.ndarray) -> np.ndarray:
    """Indices stored in a plan, in the smallest integer type that holds them (the values are unchanged)."""
    return values.astype(np.int32 if values.size == 0 or values.max() < 2 ** 31 - 1 else np.int64)


PLANS = _PlanCache(128 * 2 ** 20)
"""Outcome trees of the exact enumerations (interval designs and the CRM), by design; see :class:`_PlanCache`."""


class IntervalDesign(Design):
    """Base class of the designs fully described by a decision table (BOIN, mTPI, mTPI-2, Keyboard).

    Parameters
    ----------
    target : float
        Target DLT probability, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts : int
        Patients per cohort and maximum number of cohorts.
    start_dose : int
        Dose (1..K) of the first cohort.
    cutoff_eli : float
        A dose with at least 3 patients and ``Pr(p > target | data) > cutoff_eli`` (Beta(1, 1) prior) is
        eliminated with all higher doses; eliminating dose 1 stops the trial with no MTD.
    extrasafe : bool
        Also stop the trial when dose 1 has at least 3 patients and ``Pr(p > target | data) > cutoff_eli -
        offset``.
    offset : float
        Margin of the extra-safe rule, in (0, 0.5).
    n_earlystop : int
        Stop the trial (and select the MTD) once this many patients have been treated at the current dose and
        the rule says stay (or the dose cannot move).

    Notes
    -----
    After each cohort, with ``n`` patients and ``y`` DLTs at the current dose ``j`` (BOIN 2.7.2 ``get.oc``):

    1. if ``y >= x[n]``, eliminate doses ``j..K``; if ``j = 1`` stop the trial, no dose selected;
    2. with ``extrasafe``, stop if ``j = 1`` and ``y >= s[n]`` (checked where ``x[n]`` exists, as ``get.oc``);
    3. if ``y <= e[n]``, go to ``j + 1`` unless ``j = K`` or ``j + 1`` is eliminated (then stay); else if
       ``y >= d[n]`` go to ``j - 1`` (stay at dose 1); else stay;
    4. if the dose stays and ``n >= n_earlystop``, stop and select the MTD.

    At the end the MTD is selected by isotonic regression (:func:`~dosecourse.escalation.select_mtd`, with the
    design's ``pseudo_count``).

    References
    ----------
    Liu S, Yuan Y. J R Stat Soc Ser C Appl Stat. 2015;64(3):507-523. doi:10.1111/rssc.12089
    Yan F, Zhang L, Zhou Y, Pan H, Liu S, Yuan Y. J Stat Softw. 2020;94(13):1-32. doi:10.18637/jss.v094.i13

    Examples
    --------
    The subclasses are :class:`~dosecourse.escalation.BOIN`, :class:`~dosecourse.escalation.MTPI`,
    :class:`~dosecourse.escalation.MTPI2` and :class:`~dosecourse.escalation.Keyboard`:

    >>> from dosecourse.escalation import BOIN
    >>> isinstance(BOIN(0.3, n_doses=5), IntervalDesign)
    True
    """

    name = "interval"
    has_exact = True
    pseudo_count = 0.05
    """``a`` of the Beta(a, a) prior of the final MTD selection (:func:`~dosecourse.escalation.select_mtd`)."""

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, cutoff_eli: float = 0.95, extrasafe: bool = False, offset: float = 0.05,
                 n_earlystop: int = 100) -> None:
        super().__init__(n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        self.target = _validate.number(target, "target", minimum=TARGET_RANGE[0], maximum=TARGET_RANGE[1])
        self.cutoff_eli = _validate.probability(cutoff_eli, "cutoff_eli")
        self.extrasafe = _validate.boolean(extrasafe, "extrasafe")
        self.offset = _validate.number(offset, "offset", minimum=0.0, strict_minimum=True,
                                       maximum=min(0.5, self.cutoff_eli), strict_maximum=True)
        self.n_earlystop = _validate.positive_int(n_earlystop, "n_earlystop", maximum=_validate.MAX_PATIENTS)

    # ------------------------------------------------------------------------------------ the design's rule
    @abstractmethod
    def _rule(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The design's own decision, +1 escalate, 0 stay, -1 de-escalate, before the safety rules.

        ``n`` and ``y`` are equal-shape int arrays with ``n >= 1`` and ``0 <= y <= n``; the decision must not
        increase with ``y`` (the tests check it).
        """

    @abstractmethod
    def _explain(self, move: int, n: int, y: int) -> tuple[str, dict]:
        """Label id and fields of the reason for the design's own decision ``move`` (+1, 0, -1) at (n, y)."""

    @abstractmethod
    def _describe_rule(self, lang: str) -> str:
        """The design's own escalation rule in words, in ``lang``."""

    # ------------------------------------------------------------------------------------ planning
    def boundaries(self, max_n: int | None = None) -> Boundaries:
        """Decision boundaries for 0..``max_n`` patients at a dose (default: the design's maximum sample size).

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients to tabulate.

        Returns
        -------
        Boundaries

        Raises
        ------
        ValueError, TypeError
            Unless ``max_n`` is a whole number >= 1.

        Examples
        --------
        >>> from dosecourse.escalation import BOIN
        >>> b = BOIN(0.3, n_doses=5).boundaries(6)
        >>> b.escalate[3], b.deescalate[3], b.eliminate[3]
        (0, 2, 3)
        """
        max_n = self.max_n if max_n is None else _validate.positive_int(max_n, "max_n", maximum=1000)
        nn, yy = np.meshgrid(np.arange(max_n + 1), np.arange(max_n + 1), indexing="ij")
        possible = (yy <= nn) & (nn >= 1)
        rule = np.zeros(nn.shape, dtype=np.int64)
        rule[possible] = self._rule(nn[possible], yy[possible])
        pr_over = np.zeros(nn.shape)
        pr_over[possible] = overdose_probability(self.target, nn[possible], yy[possible])
        counts = np.arange(max_n + 1)
        never = counts + 1

        def first(mask: np.ndarray) -> np.ndarray:
            return np.where(mask.any(axis=1), np.argmax(mask, axis=1), never)

        # elimination as BOIN's get.boundary: the smallest count 1..n with Pr > cutoff, for n >= 3
        countable = possible & (yy >= 1) & (nn >= 3)
        eliminate = first(countable & (pr_over > self.cutoff_eli))
        if self.extrasafe:
            stop = np.where(eliminate <= counts, first(countable & (pr_over > self.cutoff_eli - self.offset)),
                            never)
        else:
            stop = never
        escalate = np.where((possible & (rule > 0)).any(axis=1),
                            np.max(np.where(possible & (rule > 0), yy, -1), axis=1), -1)
        deescalate = np.minimum(first(possible & (rule < 0)), eliminate)
        return Boundaries(escalate, deescalate, eliminate, stop)

    @cached_property
    def _table(self) -> Boundaries:
        return self.boundaries(self.max_n)

    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """The decision table for 1..``max_n`` patients at the current dose, laid out as R's ``get.boundary``.

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients (default: the design's maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the row labels.

        Returns
        -------
        pandas.DataFrame
            Rows: number of patients treated; escalate if # of DLT <=; de-escalate if # of DLT >=; eliminate if
            # of DLT >= (and, with ``extrasafe``, stop the trial if # of DLT at dose 1 >=).  Columns 1..max_n.
            ``<NA>`` where no number of DLTs triggers the action (no elimination before 3 patients).

        Raises
        ------
        ValueError, TypeError
            On an invalid ``max_n`` or ``lang``.

        Examples
        --------
        >>> from dosecourse.escalation import BOIN
        >>> BOIN(0.3, n_doses=5).decision_table(4, lang="zh-tw").iloc[3].tolist()
        [<NA>, <NA>, 3, 3]
        """
        lang = check_lang(lang)
        b = self.boundaries(max_n)
        counts = np.arange(b.escalate.size)
        rows = {"interval_row_patients": counts,
                "interval_row_escalate": np.where(b.escalate >= 0, b.escalate, np.nan),
                "interval_row_deescalate": np.where(b.deescalate <= counts, b.deescalate, np.nan),
                "interval_row_eliminate": np.where(b.eliminate <= counts, b.eliminate, np.nan)}
        if self.extrasafe:
            rows["interval_row_stop"] = np.where(b.stop <= counts, b.stop, np.nan)
        return pd.DataFrame(np.array(list(rows.values()))[:, 1:], index=[t(key, lang) for key in rows],
                            columns=counts[1:]).astype("Int64")

    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, with its boundaries, ready for a protocol.

        Parameters
        ----------
        lang : {"en", "zh-tw"}

        Returns
        -------
        str

        Examples
        --------
        >>> from dosecourse.escalation import Keyboard
        >>> Keyboard(0.3, n_doses=5).describe().splitlines()[0][:56]
        'The trial tests 5 doses in cohorts of 3 patients, up to '
        """
        lang = check_lang(lang)
        table = self.decision_table(lang=lang)
        every_cohort = table.loc[:, [c for c in table.columns if c % self.cohort_size == 0]]
        with pd.option_context("display.unicode.east_asian_width", True):
            printed = every_cohort.to_string(na_rep="NA")
        sections = self._protocol_sections(lang)
        parts = [*sections["rule"], t("interval_describe_table", lang), printed, *sections["stopping"][:-1],
                 *sections["selection"]]
        return "\n\n".join(parts)

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The texts of :meth:`describe` by section (the protocol appendix's stopping rules end with the
        maximum sample size)."""
        fields = dict(target=self.target, cutoff=self.cutoff_eli, n_doses=self.n_doses,
                      cohort_size=self.cohort_size, max_n=self.max_n, start_dose=self.start_dose)
        stopping = [t("interval_describe_safety", lang, **fields)]
        if self.extrasafe:
            stopping.append(t("interval_describe_extrasafe", lang, target=self.target,
                              cutoff=self.cutoff_eli - self.offset))
        if self.n_earlystop <= self.max_n:
            stopping.append(t("interval_describe_earlystop", lang, limit=self.n_earlystop))
        stopping.append(t("protocol_max_n_stop", lang, max_n=self.max_n))
        return {"rule": [t("interval_describe_setup", lang, **fields), self._describe_rule(lang)],
                "stopping": stopping,
                "selection": [t("interval_describe_selection", lang, target=self.target, a=self.pseudo_count)]}

    def _protocol_table_note(self, lang: str) -> str:
        return t("interval_describe_table", lang)

    # ------------------------------------------------------------------------------------ conduct
    def _next_dose(self, data: TrialData) -> Decision:
        """The dose for the next cohort: the common safety rules, then the design's own rule.

        Interval designs look at the cumulative counts of the current dose (and, for elimination, of every
        dose); ``data.last_cohort`` and ``data.eliminated`` are not needed.

        Examples
        --------
        >>> from dosecourse.escalation import MTPI2, TrialData
        >>> decision = MTPI2(0.3, n_doses=5).next_dose(TrialData([3, 3, 0, 0, 0], [0, 3, 0, 0, 0], current=2))
        >>> decision.dose, decision.eliminated
        (1, 2)
        """
        k = self.n_doses
        n_arr, y_arr, current = data.n, data.y, data.current
        b = self._table if n_arr.max() <= self.max_n else self.boundaries(int(n_arr.max()))
        over = np.flatnonzero(y_arr >= b.eliminate[n_arr])
        lowest = int(over[0]) + 1 if over.size else NO_DOSE
        nc, yc = int(n_arr[current - 1]), int(y_arr[current - 1])

        def safety(dose: int, cutoff: float) -> dict:
            pr = float(overdose_probability(self.target, n_arr[dose - 1], y_arr[dose - 1]))
            return dict(n=int(n_arr[dose - 1]), y=int(y_arr[dose - 1]), target=self.target, prob=pr,
                        cutoff=cutoff, dose=dose)

        if lowest == 1:
            return Decision("stop", NO_DOSE, "interval_stop_toxic", safety(1, self.cutoff_eli), eliminated=1)
        if lowest != NO_DOSE and current >= lowest:
            return Decision("de-escalate", lowest - 1, "interval_eliminate", safety(lowest, self.cutoff_eli),
                            eliminated=lowest)
        if current == 1 and yc >= b.stop[nc]:
            return Decision("stop", NO_DOSE, "interval_stop_extrasafe",
                            safety(1, self.cutoff_eli - self.offset), eliminated=lowest)
        move = 1 if yc <= b.escalate[nc] else -1 if yc >= b.deescalate[nc] else 0
        base = dict(n=nc, y=yc, dose=current)
        if move == 1 and current == k:
            decision = Decision("stay", current, "interval_stay_top", dict(base, bound=int(b.escalate[nc])),
                                eliminated=lowest)
        elif move == 1 and lowest == current + 1:
            decision = Decision("stay", current, "interval_stay_eliminated",
                                dict(base, bound=int(b.escalate[nc]), next=current + 1), eliminated=lowest)
        elif move == -1 and current == 1:
            decision = Decision("stay", current, "interval_stay_lowest", dict(base, bound=int(b.deescalate[nc])),
                                eliminated=lowest)
        else:
            key, fields = self._explain(move, nc, yc)
            action = {1: "escalate", 0: "stay", -1: "de-escalate"}[move]
            decision = Decision(action, current + move, key, fields, eliminated=lowest)
        if decision.action == "stay" and nc >= self.n_earlystop:
            return Decision("stop", NO_DOSE, "interval_stop_earlystop", dict(base, limit=self.n_earlystop),
                            eliminated=lowest)
        return decision

    def _select(self, data: TrialData) -> int:
        """The MTD by isotonic regression (:func:`~dosecourse.escalation.select_mtd`, the design's prior)."""
        return int(self._select_many(data.n[None], data.y[None])[0])

    # ------------------------------------------------------------------------------------ evaluation
    def _advance(self, b: Boundaries, dose: np.ndarray, elim: np.ndarray, n_cur: np.ndarray,
                 y_cur: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One decision for many trials or states at once (doses 0-based; ``elim = K`` when none).

        ``n_cur`` and ``y_cur`` are the counts at the current dose after the cohort.  Returns the next dose,
        the lowest eliminated dose, whether the trial stops for safety and whether it stops early at
        ``n_earlystop``.
        """
        hit = y_cur >= b.eliminate[n_cur]
        elim = np.where(hit, np.minimum(elim, dose), elim)
        stop = (dose == 0) & (hit | (y_cur >= b.stop[n_cur]))
        up = (y_cur <= b.escalate[n_cur]) & (dose + 1 < np.minimum(elim, self.n_doses))
        down = (y_cur >= b.deescalate[n_cur]) & (dose > 0)
        move = up.astype(np.int64) - down
        early = ~stop & (move == 0) & (n_cur >= self.n_earlystop)
        return dose + move, elim, stop, early

    def _exact_plan(self) -> tuple[list, tuple]:
        """The outcome tree of :meth:`_exact` (it does not depend on the true DLT probabilities).

        Returns
        -------
        steps : list of tuple
            Per cohort: for every child state, its parent state, the dose (0-based) and the DLTs of the cohort;
            which children end the trial and which go on; for those that go on, the merged state of each and the
            number of merged states.
        final : tuple
            For the ended trials (in the order of the cohorts): the merged final state of each and their number,
            and per final state whether the trial stopped for safety, patients and DLTs per dose and the selected
            dose.
        """
        k, c = self.n_doses, self.cohort_size
        b = self._table
        dose = np.array([self.start_dose - 1])
        elim = np.array([k])
        counts = np.zeros((1, 2 * k), dtype=np.int64)            # patients per dose, then DLTs per dose
        states = 1
        steps, finished = [], []
        for cohort in range(self.n_cohorts):
            parent = np.repeat(np.arange(states), c + 1)
            dlts = np.tile(np.arange(c + 1), states)
            d = dose[parent]
            rows = np.arange(parent.size)
            grown = counts[parent]
            grown[rows, d] += c
            grown[rows, k + d] += dlts
            current = d
            d, e, stop, early = self._advance(b, d, elim[parent], grown[rows, d], grown[rows, k + d])
            ends = stop | early | (cohort == self.n_cohorts - 1)
            finished.append(np.column_stack([stop[ends], grown[ends]]))
            go = ~ends
            first, inverse = _unique_rows(np.column_stack([d[go], grown[go]]))
            steps.append((_index(parent), _index(current), _index(dlts), ends, go, _index(inverse),
                          first.size))
            dose, counts, elim = d[go][first], grown[go][first], e[go][first]
            states = first.size
            if states == 0:
                break
        final = np.concatenate(finished)
        first, inverse = _unique_rows(final)
        stopped, n, y = final[first, 0].astype(bool), final[first, 1:k + 1], final[first, k + 1:]
        selected = np.where(stopped, NO_DOSE, self._select_many(n, y))
        return steps, (_index(inverse), first.size, stopped, n, y, selected)

    def _select_many(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Selected dose (1..K, 0 for none) of each row of final data."""
        return select_mtd_many(self.target, n, y, self.cutoff_eli, self.extrasafe, self.offset, self.pseudo_count)

    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate ``n_trials`` trials in lockstep: a loop over cohorts, arrays over trials."""
        k, c = self.n_doses, self.cohort_size
        b = self._table
        n = np.zeros((n_trials, k), dtype=np.int64)
        y = np.zeros((n_trials, k), dtype=np.int64)
        n_flat, y_flat = n.reshape(-1), y.reshape(-1)             # views: cell (t, d) is t * k + d
        row_start = np.arange(n_trials) * k
        dose = np.full(n_trials, self.start_dose - 1)
        elim = np.full(n_trials, k)
        active = np.ones(n_trials, dtype=bool)
        stopped = np.zeros(n_trials, dtype=bool)
        for _ in range(self.n_cohorts):
            cell = row_start + dose
            n_flat[cell] += c * active
            y_flat[cell] += rng.binomial(c, true_tox[dose]) * active
            new_dose, new_elim, stop, early = self._advance(b, dose, elim, n_flat[cell], y_flat[cell])
            dose = np.where(active, new_dose, dose)
            elim = np.where(active, new_elim, elim)
            stopped |= active & stop
            active &= ~(stop | early)
            if not active.any():
                break
        selected = np.where(stopped, NO_DOSE, self._select_many(n, y))
        return Trials(self.name, true_tox, selected, n, y, stopped, seed)

    def _exact(self, true_tox: np.ndarray, **truth) -> OperatingCharacteristics:
        """Exact operating characteristics: every outcome path, cohort by cohort, identical states merged.

        Parameters
        ----------
        true_tox : sequence of float
            True DLT probability per dose, in (0, 1).

        Returns
        -------
        OperatingCharacteristics
            With ``n_trials = None`` and zero standard errors.

        Raises
        ------
        ValueError, TypeError
            On invalid ``true_tox``.

        Notes
        -----
        A state is (current dose, patients and DLTs per dose, lowest eliminated dose); it determines the future
        of the trial.  Each cohort turns a state into ``cohort_size + 1`` states with binomial probabilities;
        states that coincide are merged by summing their probabilities, so the number of states stays far below
        the number of paths.  Trials that stop, and all trials after the last cohort, are scored with the MTD
        selection.  The elimination level is a function of the counts (a dose is eliminated exactly when its
        own counts cross the boundary, and its counts never change afterwards), so the counts and the dose are
        the merge key; keys are coded exactly as integers and merged with a sort (:func:`numpy.unique`).

        None of this depends on the true DLT probabilities, so the tree (:meth:`_exact_plan`) is built once per
        design and stored (:data:`PLANS`); each scenario then multiplies and sums the path probabilities over it,
        in the order of the first enumeration (the same numbers to the last bit).

        Examples
        --------
        >>> from dosecourse.escalation import BOIN
        >>> oc = BOIN(0.3, n_doses=5).exact([0.05, 0.15, 0.30, 0.45, 0.60])
        >>> oc.n_trials is None, round(oc.selection[2], 4), round(oc.total_n, 3)
        (True, 0.5463, 29.995)
        """
        c = self.cohort_size
        tox = true_tox
        pmf = binom.pmf(np.arange(c + 1)[None, :], c, tox[:, None])
        plan = PLANS.get(self)
        if plan is None:
            plan = self._exact_plan()
            PLANS.put(self, plan)
        steps, (inverse, size, stopped, n, y, selected) = plan
        prob = np.array([1.0])
        finished = []
        for parent, d, dlts, ends, go, merged, count in steps:
            p = prob[parent] * pmf[d, dlts]
            finished.append(p[ends])
            prob = np.bincount(merged, weights=p[go], minlength=count)
        prob = np.bincount(inverse, weights=np.concatenate(finished), minlength=size)
        k = self.n_doses
        selection = np.array([prob[selected == j].sum() for j in range(1, k + 1)])
        return OperatingCharacteristics(
            design=self.name, true_tox=tox, selection=selection, no_selection=float(prob[selected == 0].sum()),
            patients=prob @ n, dlts=prob @ y, total_n=float(prob @ n.sum(axis=1)), stopped=float(prob[stopped].sum()))
