"""Time-to-event (TITE) escalation: the data of patients still in their DLT window, and trials in calendar time.

The TITE designs (:class:`~dosecourse.escalation.TITECRM`, :class:`~dosecourse.escalation.TITEBOIN`) decide the
next dose while some patients are still being followed for a dose-limiting toxicity (DLT).  How the time dimension
enters, once for both designs:

* **The data** are one :class:`TITEData` object: each patient's dose, DLT (0/1) and follow-up so far, and the
  length of the DLT window.  A patient without a DLT whose follow-up is shorter than the window is *pending*.
  The designs use follow-up only through the fraction ``followup / window``, so any unit works (days, weeks,
  months).  A :class:`~dosecourse.escalation.TrialData` or an outcome string (``"1NNN 2NTN"``) is data with every
  patient fully followed: on it each TITE design decides exactly as its non-TITE parent (CRM or BOIN).
* **The design** carries the settings of trial conduct in time: patients per month (``accrual_per_month``), the
  DLT window in months (``dlt_window_months``), the accrual process, and ``tite``: ``False`` gives the design that
  waits until every enrolled patient has completed the window before the next cohort (the classic CRM or BOIN in
  calendar time, the comparator of :func:`compare_waiting`).
* **The scenario** adds to ``true_tox`` (the DLT probability within the window) when the DLTs occur: by default
  (``onset="weibull"``) times to DLT are Weibull with :math:`\\Pr(T \\le W) = p` and :math:`\\Pr(T \\le W/2) = p
  (1 - s)`, ``s = late_share`` the share of DLTs in the second half of the window (default 0.5, the late-onset
  scenario of the TITE papers); ``onset="uniform"`` spreads them uniformly over the window.

References
----------
Cheung YK, Chappell R. Sequential designs for phase I clinical trials with late-onset toxicities. Biometrics.
2000;56(4):1177-1182. doi:10.1111/j.0006-341X.2000.01177.x
Yuan Y, Lin R, Li D, Nie L, Warren KE. Time-to-event Bayesian optimal interval design to accelerate phase I
trials. Clin Cancer Res. 2018;24(20):4921-4930. doi:10.1158/1078-0432.CCR-18-0246
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .. import _validate
from .bfboin import ACCRUALS, MAX_ACCRUAL_PER_MONTH
from .data import NO_DOSE, TrialData, _as_data
from .results import OperatingCharacteristics

MAX_WINDOW_MONTHS = 120.0
"""Longest DLT window (months) the designs accept."""

ONSETS: tuple[str, ...] = ("weibull", "uniform")
"""Distributions of the time to DLT within the window in the simulations: Weibull with a given share of late DLTs
(``late_share``), or uniform over the window (Cheung & Chappell 2000; dfcrm ``titesim``'s ``surv="uniform"``)."""


@dataclass(frozen=True, eq=False)
class TITEData:
    """Patients treated so far, each with a dose, a DLT indicator and the follow-up so far.

    Parameters
    ----------
    n_doses : int
        Number of dose levels K.
    levels : sequence of int
        Dose (1..K) each patient received, in order of entry.
    tox : sequence of int
        1 if the patient has had a DLT, else 0.
    followup : sequence of float
        Time each patient has been followed (for a patient with a DLT: the time of the DLT), in [0, window].
    window : float
        Length of the DLT assessment window, in the same unit as ``followup``.
    current : int, optional
        Dose of the last cohort (1..K); default the last patient's dose (:data:`NO_DOSE` with no patient).

    Raises
    ------
    ValueError, TypeError
        On lengths that differ, a dose outside 1..K, an outcome other than 0/1, a follow-up outside
        [0, window], a window that is not positive, or a current dose without patients.

    Examples
    --------
    >>> data = TITEData(3, levels=[1, 1, 1, 2], tox=[0, 1, 0, 0], followup=[28, 10, 28, 7], window=28)
    >>> data.n.tolist(), data.y.tolist(), data.pending.tolist(), data.stft.tolist()
    ([3, 1, 0], [1, 0, 0], [0, 1, 0], [0.0, 0.25, 0.0])
    """

    n_doses: int
    levels: np.ndarray
    tox: np.ndarray
    followup: np.ndarray
    window: float
    current: int | None = None

    def __post_init__(self) -> None:
        k = _validate.integer(self.n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
        window = _validate.positive(self.window, "window")
        if window == 0:
            raise ValueError("window must be > 0 (the length of the DLT assessment window)")
        levels = _validate.whole_array(self.levels, "levels", ndim=1)
        if levels.size > _validate.MAX_PATIENTS:
            raise ValueError(f"levels may hold at most {_validate.MAX_PATIENTS:,} patients; got {levels.size:,}")
        tox = _validate.whole_array(self.tox, "tox", ndim=1)
        followup = _validate.real_array(self.followup, "followup", ndim=1, minimum=0.0)
        if not levels.size == tox.size == followup.size:
            raise ValueError(f"levels, tox and followup must have one entry per patient; got {levels.size}, "
                             f"{tox.size} and {followup.size}")
        if levels.size and (levels.min() < 1 or levels.max() > k):
            raise ValueError(f"levels must be dose numbers 1..{k}; got {_validate._shown(levels.tolist())}")
        if not np.isin(tox, (0, 1)).all():
            raise ValueError(f"tox must hold 0 (no DLT) or 1 (DLT) per patient; got {_validate._shown(tox.tolist())}")
        if np.any(followup > window):
            raise ValueError(f"followup cannot be longer than the DLT window ({window:g}): a patient followed for "
                             f"the whole window has followup = window; got {_validate._shown(followup.tolist())}")
        if self.current is None:
            current = int(levels[-1]) if levels.size else NO_DOSE
        else:
            current = _validate.integer(self.current, "current", minimum=0, maximum=k)
            if (current == NO_DOSE) != (levels.size == 0) or (current and not np.any(levels == current)):
                raise ValueError(f"current must be a dose with patients (NO_DOSE only before any patient); got "
                                 f"{self.current}")
        for name, value in (("n_doses", k), ("levels", levels), ("tox", tox), ("followup", followup),
                            ("window", window), ("current", current)):
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            object.__setattr__(self, name, value)

    @property
    def fraction(self) -> np.ndarray:
        """Each patient's likelihood weight: ``min(followup / window, 1)``, and 1 for a patient with a DLT."""
        return np.where(self.tox == 1, 1.0, np.minimum(self.followup / self.window, 1.0))

    @property
    def is_pending(self) -> np.ndarray:
        """True for each patient still in the window without a DLT."""
        return (self.tox == 0) & (self.followup < self.window)

    def _per_dose(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.levels - 1, weights=weights, minlength=self.n_doses)[:self.n_doses]

    @property
    def n(self) -> np.ndarray:
        """Patients treated per dose (pending included)."""
        return self._per_dose(np.ones(self.levels.size)).astype(np.int64)

    @property
    def y(self) -> np.ndarray:
        """DLTs observed so far per dose."""
        return self._per_dose(self.tox.astype(float)).astype(np.int64)

    @property
    def pending(self) -> np.ndarray:
        """Pending patients per dose."""
        return self._per_dose(self.is_pending.astype(float)).astype(np.int64)

    @property
    def stft(self) -> np.ndarray:
        """Standardized total follow-up time per dose: the sum of ``followup / window`` over pending patients."""
        return self._per_dose(np.where(self.is_pending, self.followup / self.window, 0.0))

    def to_trial_data(self) -> TrialData:
        """The counts per dose (patients, DLTs observed so far) and the current dose, as :class:`TrialData`."""
        return TrialData(self.n, self.y, current=self.current)

    @classmethod
    def complete(cls, data: TrialData, window: float = 1.0) -> TITEData:
        """The data of ``data`` (counts per dose) with every patient followed for the whole window.

        Parameters
        ----------
        data : TrialData
            Patients and DLTs per dose, and the current dose.
        window : float
            Length of the DLT window.

        Returns
        -------
        TITEData
            One patient per treated patient, ``followup = window``; the current dose is ``data.current``.

        Examples
        --------
        >>> TITEData.complete(TrialData([3, 3], [0, 1], current=2)).pending.tolist()
        [0, 0]
        """
        _validate.instance(data, "data", TrialData)
        window = _validate.positive(window, "window")
        levels = np.repeat(np.arange(1, data.n_doses + 1), data.n)
        tox = np.concatenate([np.r_[np.ones(y, dtype=np.int64), np.zeros(n - y, dtype=np.int64)]
                              for n, y in zip(data.n, data.y)]) if data.total else np.zeros(0, dtype=np.int64)
        return cls(data.n_doses, levels, tox, np.full(levels.size, window), window,
                   current=data.current if data.total else None)

    def __repr__(self) -> str:
        return (f"TITEData(n_doses={self.n_doses}, levels={self.levels.tolist()}, tox={self.tox.tolist()}, "
                f"followup={self.followup.tolist()}, window={self.window!r}, current={self.current})")


def _as_tite(data: Any, n_doses: int) -> TITEData:
    """``data`` as :class:`TITEData` with ``n_doses`` doses: complete follow-up for TrialData and outcome strings."""
    if isinstance(data, TITEData):
        if data.n_doses != n_doses:
            raise ValueError(f"data has {data.n_doses} doses but the design has {n_doses}")
        return data
    return TITEData.complete(_as_data(data, n_doses))


def _weibull(true_tox: np.ndarray, window: float, late_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Weibull shape and scale with ``Pr(T <= W) = p`` and ``Pr(T <= W/2) = p (1 - late_share)``.

    From :math:`F(t) = 1 - \\exp\\{-(t/\\lambda)^k\\}`: :math:`k = [\\log\\{-\\log(1-p)\\} - \\log\\{-\\log(1 -
    p(1-s))\\}] / \\log 2`, :math:`\\lambda = W / \\{-\\log(1-p)\\}^{1/k}` (with s = 0.5 these are
    :func:`~dosecourse.escalation.weibull_dlt_times`).
    """
    early = true_tox * (1 - late_share)
    shape = (np.log(-np.log1p(-true_tox)) - np.log(-np.log1p(-early))) / math.log(2)
    scale = window / (-np.log1p(-true_tox)) ** (1 / shape)
    return shape, scale


def _onset(truth: dict) -> tuple[str, float]:
    """The scenario's onset distribution (:data:`ONSETS`) and share of DLTs in the second half of the window (0.5
    unless given, in (0, 1); only the Weibull onset takes it)."""
    onset = _validate.one_of(truth.get("onset", "weibull"), "onset", ONSETS)
    if "late_share" not in truth:
        return onset, 0.5
    if onset == "uniform":
        raise ValueError("late_share applies to onset='weibull' only (a uniform onset has half the DLTs in each half "
                         "of the window)")
    return onset, _validate.number(truth["late_share"], "late_share", minimum=0.0, strict_minimum=True,
                                   maximum=1.0, strict_maximum=True)


class _Snapshot(NamedTuple):
    """What a set of simulated trials know at their decision times (arrays over trials and patient slots)."""

    levels: np.ndarray    # 0-based dose, -1 for an empty slot
    dlt: np.ndarray       # DLT observed by now
    fraction: np.ndarray  # likelihood weight: 1 with a DLT or a completed window, else followup / window
    pending: np.ndarray   # enrolled, no DLT yet, window not over


class _TimedDesign:
    """Settings and checks shared by the TITE designs (mixed into :class:`~dosecourse.escalation.Design`)."""

    truth_args = ("late_share", "onset")

    def _timing(self, accrual_per_month: float, dlt_window_months: float, accrual: str, tite: bool) -> None:
        self.accrual_per_month = _validate.positive(accrual_per_month, "accrual_per_month",
                                                    maximum=MAX_ACCRUAL_PER_MONTH)
        if self.accrual_per_month == 0:
            raise ValueError("accrual_per_month must be > 0 (patients per month)")
        self.dlt_window_months = _validate.positive(dlt_window_months, "dlt_window_months",
                                                    maximum=MAX_WINDOW_MONTHS)
        if self.dlt_window_months == 0:
            raise ValueError("dlt_window_months must be > 0 (the length of the DLT window)")
        self.accrual = _validate.one_of(accrual, "accrual", ACCRUALS)
        self.tite = _validate.boolean(tite, "tite")

    def _calendar(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, truth: dict):
        """Run ``n_trials`` trials of this design in calendar time (see :func:`_run`)."""
        return _run(self, true_tox, n_trials, rng, *_onset(truth))


def _run(design: Any, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, onset: str,
         late_share: float):
    """Simulate trials in calendar time, vectorised across trials, one patient arrival per step.

    The first patient arrives at time 0, the next ones after Uniform(0, 2 / rate) or exponential(1 / rate) gaps
    (``design.accrual``).  Each patient's time to DLT is Weibull (:func:`_weibull`; a DLT after the window is no
    DLT) or, with ``onset="uniform"``, a DLT with probability p at a time uniform over the window; both from one
    uniform number per patient (inverse distribution function).  The patients of a cohort receive its dose; at
    the arrival that would start a new cohort the design decides (``design._decide_many``) from what is known at
    that moment: the next dose, or stop for safety (no dose selected), or finish early (the MTD is selected), or
    wait (accrual suspended, or the non-TITE design waiting for complete follow-up), in which case the arriving
    patient is not enrolled and the decision is taken again at the next arrival.  The trial ends when ``max_n``
    patients are enrolled or the design stops; its duration runs until the last enrolled patient's window (or DLT)
    is over.

    Returns
    -------
    levels : ndarray of int, shape (n_trials, max_n)
        0-based dose of each patient slot (-1 where no patient was enrolled).
    dlt : ndarray of bool
        Each patient's DLT within the window (known once follow-up is complete).
    stopped : ndarray of bool
        Trials stopped by the design's safety rule.
    duration : ndarray
        Months from the first patient's entry to the end of the last patient's assessment.
    """
    m, big_n, c, k = n_trials, design.max_n, design.cohort_size, design.n_doses
    window = design.dlt_window_months
    shape, scale = _weibull(true_tox, window, late_share)
    levels = np.full((m, big_n), -1, dtype=np.int64)
    entry = np.zeros((m, big_n))
    t_dlt = np.full((m, big_n), np.inf)              # time from entry to DLT (inf: none within the window)
    count = np.zeros(m, dtype=np.int64)
    pos = np.zeros(m, dtype=np.int64)                # patients enrolled in the current cohort
    dose = np.full(m, design.start_dose - 1)
    elim = np.full(m, k)                             # lowest eliminated dose (0-based; k when none)
    clock = np.zeros(m)
    active = np.ones(m, dtype=bool)
    stopped = np.zeros(m, dtype=bool)
    stop_time = np.zeros(m)
    rows_all = np.arange(m)
    gap_mean = 1 / design.accrual_per_month
    first = True
    while active.any():
        if not first:
            gap = rng.uniform(0, 2 * gap_mean, m) if design.accrual == "uniform" else rng.exponential(gap_mean, m)
            clock = np.where(active, clock + gap, clock)
        first = False
        u = 1 - rng.random(m)                        # in (0, 1]: -log(u) is finite
        a = rows_all[active]
        need = a[pos[a] == c]
        enrol = a[pos[a] < c]
        if need.size:
            now = clock[need]
            since = now[:, None] - entry[need]
            lv = levels[need]
            enrolled = lv >= 0
            dlt = enrolled & (t_dlt[need] <= since)
            done = dlt | (since >= window)
            pending = enrolled & ~done
            fraction = np.where(done, 1.0, np.clip(since, 0, window) / window) * enrolled
            snap = _Snapshot(lv, dlt, fraction, pending)
            new_dose, wait, stop, finish, new_elim = design._decide_many(snap, dose[need], elim[need])
            elim[need] = new_elim
            stopped[need[stop]] = True
            halt = need[stop | finish]
            active[halt] = False
            stop_time[halt] = clock[halt]
            go = ~stop & ~finish & ~wait
            dose[need[go]] = new_dose[go]
            pos[need[go]] = 0
            enrol = np.concatenate([enrol, need[go]])
        if enrol.size:
            slot = count[enrol]
            d = dose[enrol]
            if onset == "uniform":      # F(t) = p t / W on [0, W]: T = W u / p when u < p
                time = np.where(u[enrol] < true_tox[d], window * u[enrol] / true_tox[d], np.inf)
            else:
                time = scale[d] * (-np.log(u[enrol])) ** (1 / shape[d])
            levels[enrol, slot] = d
            entry[enrol, slot] = clock[enrol]
            t_dlt[enrol, slot] = np.where(time < window, time, np.inf)
            count[enrol] += 1
            pos[enrol] += 1
            active[enrol[count[enrol] == big_n]] = False
    end = np.where(levels >= 0, entry + np.minimum(t_dlt, window), 0.0)
    duration = np.maximum(end.max(axis=1), stop_time)
    return levels, np.isfinite(t_dlt) & (levels >= 0), stopped, duration


def _counts(levels: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Per trial and dose, the number of patient slots with ``mask`` (levels 0-based, -1 empty)."""
    rows = levels.shape[0]
    flat = np.arange(rows)[:, None] * k + np.maximum(levels, 0)
    return np.bincount(flat[mask & (levels >= 0)], minlength=rows * k).reshape(rows, k)


def _sums(levels: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Per trial and dose, the sum of ``values`` over the enrolled patient slots."""
    rows = levels.shape[0]
    flat = np.arange(rows)[:, None] * k + np.maximum(levels, 0)
    used = levels >= 0
    return np.bincount(flat[used], weights=values[used], minlength=rows * k).reshape(rows, k)


@dataclass(frozen=True, eq=False)
class DurationComparison:
    """A TITE design and the same design waiting for complete follow-up, simulated on one scenario.

    Parameters
    ----------
    tite, waiting : OperatingCharacteristics
        Simulated operating characteristics of the TITE design and of its waiting counterpart (``tite=False``),
        both with mean trial durations (months).

    Raises
    ------
    ValueError, TypeError
        If either is not simulated operating characteristics with a duration.
    """

    tite: OperatingCharacteristics
    waiting: OperatingCharacteristics

    def __post_init__(self) -> None:
        for name in ("tite", "waiting"):
            oc = _validate.instance(getattr(self, name), name, OperatingCharacteristics)
            if oc.duration is None:
                raise ValueError(f"{name} must carry a mean trial duration (simulated in calendar time)")

    @property
    def months_saved(self) -> float:
        """Mean duration of the waiting design minus that of the TITE design (months)."""
        return float(self.waiting.duration - self.tite.duration)

    @property
    def ratio(self) -> float:
        """Mean duration of the TITE design over that of the waiting design."""
        return float(self.tite.duration / self.waiting.duration)


def compare_waiting(design: Any, true_tox, *, n_trials: int = 10_000,
                    seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                    **truth: Any) -> DurationComparison:
    """Simulate a TITE design and the same design that waits for every patient's full DLT window.

    Parameters
    ----------
    design : TITECRM or TITEBOIN
        A TITE design (its ``tite`` setting is ignored: both versions are simulated).
    true_tox : sequence of float
        True DLT probability within the window, per dose.
    n_trials : int
        Simulated trials per design.
    seed : int, None or numpy.random.Generator
        Seed; both designs are simulated with it (integer seeds give each the same stream).
    **truth
        ``late_share``: share of DLTs in the second half of the window (default 0.5); ``onset``: "weibull"
        (default) or "uniform" (:data:`ONSETS`).

    Returns
    -------
    DurationComparison

    Raises
    ------
    ValueError, TypeError
        If ``design`` is not a TITE design, or on an invalid scenario.

    Examples
    --------
    >>> from dosecourse.escalation.tite_boin import TITEBOIN
    >>> cmp = compare_waiting(TITEBOIN(0.3, 4, n_cohorts=4, accrual_per_month=4, dlt_window_months=2),
    ...                       [0.1, 0.2, 0.3, 0.5], n_trials=200, seed=1)
    >>> cmp.months_saved > 0
    True
    """
    if not isinstance(design, _TimedDesign):
        raise TypeError(f"design must be a TITE design (TITECRM or TITEBOIN); got {_validate._shown(design)}")
    fast = design.replace(tite=True).simulate(true_tox, n_trials=n_trials, seed=seed, **truth).summary()
    slow = design.replace(tite=False).simulate(true_tox, n_trials=n_trials, seed=seed, **truth).summary()
    return DurationComparison(fast, slow)
