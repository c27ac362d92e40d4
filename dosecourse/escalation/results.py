"""What a design does on a true scenario: per-trial results (:class:`Trials`), their summary
(:class:`OperatingCharacteristics`) and one set of derived measures (:class:`Summary`) used by every chapter.

Every design's :meth:`~dosecourse.escalation.Design.simulate` returns :class:`Trials`; its
:meth:`~dosecourse.escalation.Design.exact` and :meth:`~dosecourse.escalation.Design.operating_characteristics`
return :class:`OperatingCharacteristics`.  :meth:`OperatingCharacteristics.summary` gives the measures a
comparison of designs reports (correct selection, overdose selection, patients below, at and above the correct
dose, ...), with the correct dose defined once, by :mod:`dosecourse.escalation.scenarios`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t
from . import scenarios
from .data import NO_DOSE


def _frozen(array: np.ndarray | None, dtype=None) -> np.ndarray | None:
    if array is None:
        return None
    out = np.array(array, dtype=dtype)
    out.setflags(write=False)
    return out


SELECTS: tuple[str, ...] = ("MTD", "OBD")
"""What a design selects: the maximum tolerated dose or the optimal biological dose."""


def _optional(value, check, *args, **kwargs):
    """``check(value, *args, **kwargs)``, or None when ``value`` is None."""
    return None if value is None else check(value, *args, **kwargs)


def _shape(arr: np.ndarray, name: str, shape: tuple[int, ...]) -> np.ndarray:
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got {arr.shape}")
    return arr


def _rates(value, name: str, k: int | None = None) -> np.ndarray:
    """Per-dose probabilities in [0, 1] (one per dose when ``k`` is given)."""
    return _validate.probabilities(value, name, length=k, open_interval=False)


def _means(value, name: str, k: int) -> np.ndarray:
    """Per-dose means or standard errors: finite, >= 0, one per dose."""
    return _validate.real_array(value, name, minimum=0.0, ndim=1, length=k)


@dataclass(frozen=True, eq=False)
class Trials:
    """Per-trial results of a simulation (arrays over trials; per-dose arrays dose 1 first).

    Parameters
    ----------
    design : str
        The design's name.
    true_tox : ndarray
        True DLT probability per dose.
    selected : ndarray of int, shape (n_trials,)
        Dose selected at the end (1..K), :data:`~dosecourse.escalation.NO_DOSE` (0) when none.
    n, y : ndarray of int, shape (n_trials, K)
        Patients and DLTs per dose.
    stopped : ndarray of bool, shape (n_trials,)
        Trials stopped early by a safety rule (they select no dose).
    seed : int or None
        The seed the simulation used (None when a Generator was passed).
    selects : {"MTD", "OBD"}
        What the design selects.
    true_eff : ndarray, optional
        True efficacy (response) probability per dose, for designs that use it.
    responses, backfilled : ndarray of int, shape (n_trials, K), optional
        Responses and backfill patients per dose.
    duration : ndarray, shape (n_trials,), optional
        Trial duration in months, for designs simulated in calendar time.
    """

    design: str
    true_tox: np.ndarray
    selected: np.ndarray
    n: np.ndarray
    y: np.ndarray
    stopped: np.ndarray
    seed: int | None
    selects: str = "MTD"
    true_eff: np.ndarray | None = None
    responses: np.ndarray | None = None
    backfilled: np.ndarray | None = None
    duration: np.ndarray | None = None

    def __post_init__(self) -> None:
        _validate.text(self.design, "design")
        n = _validate.whole_array(self.n, "n", ndim=2)
        m, k = n.shape
        y = _shape(_validate.whole_array(self.y, "y", ndim=2), "y", (m, k))
        if np.any(y > n):
            raise ValueError("y cannot exceed n for any trial and dose")
        _rates(self.true_tox, "true_tox", k)
        selected = _shape(_validate.whole_array(self.selected, "selected", ndim=1), "selected", (m,))
        if np.any(selected > k):
            raise ValueError(f"selected must be dose numbers 0..{k} (0: none); got {int(selected.max())}")
        if np.asarray(self.stopped).dtype != bool or np.shape(self.stopped) != (m,):
            raise TypeError(f"stopped must be an array of True/False, one per trial ({m}); got "
                            f"{_validate._shown(self.stopped)}")
        _validate.seed(self.seed)
        _validate.one_of(self.selects, "selects", SELECTS)
        _optional(self.true_eff, _rates, "true_eff", k)
        for name in ("responses", "backfilled"):
            _optional(getattr(self, name), lambda v, nm: _shape(_validate.whole_array(v, nm), nm, (m, k)), name)
        _optional(self.duration, lambda v: _shape(_validate.real_array(v, "duration", minimum=0.0), "duration",
                                                  (m,)))
        for name, dtype in (("true_tox", float), ("selected", np.int64), ("n", np.int64), ("y", np.int64),
                            ("stopped", bool), ("true_eff", float), ("responses", np.int64),
                            ("backfilled", np.int64), ("duration", float)):
            object.__setattr__(self, name, _frozen(getattr(self, name), dtype))

    @property
    def n_trials(self) -> int:
        """Number of simulated trials."""
        return int(self.n.shape[0])

    @property
    def n_doses(self) -> int:
        """Number of dose levels K."""
        return int(self.n.shape[1])

    def summary(self) -> OperatingCharacteristics:
        """The operating characteristics of these trials: means over trials with Monte Carlo standard errors."""
        m, k = self.n.shape
        sel = self.selected[:, None] == np.arange(1, k + 1)
        tot = self.n.sum(axis=1)

        def mean_se(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            a = np.asarray(a, dtype=float)
            se = a.std(axis=0, ddof=1) / math.sqrt(m) if m > 1 else np.zeros(a.shape[1:])
            return a.mean(axis=0), se

        selection, selection_se = mean_se(sel)
        none, none_se = mean_se(self.selected == NO_DOSE)
        patients, patients_se = mean_se(self.n)
        dlts, dlts_se = mean_se(self.y)
        total, total_se = mean_se(tot)
        stop, stop_se = mean_se(self.stopped)
        extra = {}
        if self.responses is not None:
            extra["responses"], extra["responses_se"] = mean_se(self.responses)
        if self.duration is not None:
            d, d_se = mean_se(self.duration)
            extra["duration"], extra["duration_se"] = float(d), float(d_se)
        return OperatingCharacteristics(
            design=self.design, true_tox=self.true_tox, selection=selection, no_selection=float(none),
            patients=patients, dlts=dlts, total_n=float(total), stopped=float(stop), n_trials=m, seed=self.seed,
            selects=self.selects, true_eff=self.true_eff, selection_se=selection_se, no_selection_se=float(none_se),
            patients_se=patients_se, dlts_se=dlts_se, total_n_se=float(total_se), stopped_se=float(stop_se),
            trials=self, **extra)


@dataclass(frozen=True, eq=False)
class OperatingCharacteristics:
    """What a design does on a true scenario, exactly or as the mean of simulated trials.

    All arrays are indexed by dose, dose 1 first.  For simulated results ``n_trials`` and ``seed`` say how they
    were made, the ``*_se`` attributes hold Monte Carlo standard errors and ``trials`` the per-trial results; for
    exact results ``n_trials`` is None and the standard errors are zero.

    Parameters
    ----------
    design : str
        The design's name.
    true_tox : ndarray
        True DLT probability per dose.
    selection : ndarray
        Probability of selecting each dose (over all trials; stopped trials select none).
    no_selection : float
        Probability that no dose is selected.
    patients, dlts : ndarray
        Mean number of patients treated, and of DLTs observed, at each dose.
    total_n : float
        Mean sample size.
    stopped : float
        Probability the trial stops early for safety.
    n_trials : int or None
        Simulated trials, or None for exact results.
    seed : int or None
        Seed of the simulation.
    selects : {"MTD", "OBD"}
        What the design selects.
    true_eff, responses : ndarray, optional
        True response probability and mean responses per dose (efficacy designs).
    duration : float, optional
        Mean trial duration in months (designs simulated in calendar time).
    selection_se, no_selection_se, patients_se, dlts_se, total_n_se, stopped_se, responses_se, duration_se
        Monte Carlo standard errors (zero for exact results).
    trials : Trials, optional
        The per-trial results behind simulated numbers.
    n_states : int, optional
        For exact results of model-based designs: the largest number of distinct (merged) trial states held
        after any cohort, the size of the enumeration.
    """

    design: str
    true_tox: np.ndarray
    selection: np.ndarray
    no_selection: float
    patients: np.ndarray
    dlts: np.ndarray
    total_n: float
    stopped: float
    n_trials: int | None = None
    seed: int | None = None
    selects: str = "MTD"
    true_eff: np.ndarray | None = None
    responses: np.ndarray | None = None
    duration: float | None = None
    selection_se: np.ndarray | None = None
    no_selection_se: float = 0.0
    patients_se: np.ndarray | None = None
    dlts_se: np.ndarray | None = None
    total_n_se: float = 0.0
    stopped_se: float = 0.0
    responses_se: np.ndarray | None = None
    duration_se: float = 0.0
    trials: Trials | None = field(default=None, repr=False)
    n_states: int | None = None

    def __post_init__(self) -> None:
        _validate.text(self.design, "design")
        k = _validate.probabilities(self.selection, "selection", open_interval=False).size
        _rates(self.true_tox, "true_tox", k)
        _validate.probability(self.no_selection, "no_selection", open_interval=False)
        _validate.probability(self.stopped, "stopped", open_interval=False)
        for name in ("patients", "dlts"):
            _means(getattr(self, name), name, k)
        for name in ("selection_se", "patients_se", "dlts_se", "responses_se", "responses"):
            _optional(getattr(self, name), _means, name, k)
        _optional(self.true_eff, _rates, "true_eff", k)
        for name in ("total_n", "no_selection_se", "total_n_se", "stopped_se", "duration_se"):
            _validate.number(getattr(self, name), name, minimum=0.0)
        _optional(self.duration, _validate.number, "duration", minimum=0.0)
        _optional(self.n_trials, _validate.n_trials)
        _validate.seed(self.seed)
        _validate.one_of(self.selects, "selects", SELECTS)
        _optional(self.trials, _validate.instance, "trials", Trials)
        _optional(self.n_states, _validate.integer, "n_states", minimum=1)
        for name in ("true_tox", "selection", "patients", "dlts", "true_eff", "responses"):
            object.__setattr__(self, name, _frozen(getattr(self, name), float))
        for name in ("selection_se", "patients_se", "dlts_se", "responses_se"):
            value = getattr(self, name)
            if value is None and (name != "responses_se" or self.responses is not None):
                value = np.zeros(k)
            object.__setattr__(self, name, _frozen(value, float))
        total = float(self.selection.sum() + self.no_selection)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"selection probabilities and no_selection must add up to 1; got {total}")

    @property
    def exact(self) -> bool:
        """True when these numbers were computed exactly rather than simulated."""
        return self.n_trials is None

    @property
    def n_doses(self) -> int:
        """Number of dose levels K."""
        return int(self.selection.size)

    def summary(self, target: float | None = None, *, correct=None, band: float = 0.05,
                margin: float = 0.10) -> Summary:
        """The measures a comparison of designs reports, around the correct dose(s).

        Parameters
        ----------
        target : float, optional
            Target DLT probability; the correct doses are :func:`~dosecourse.escalation.scenarios.correct_doses`
            of the true DLT probabilities.
        correct : int or sequence of int, optional
            The correct dose(s) (1..K) when they are defined otherwise (e.g. a paper's scenario table); then
            ``target`` may be omitted, and the acceptable and overly toxic doses are not defined.
        band, margin : float
            Half-width of the acceptable band and overdose margin around ``target``
            (:func:`~dosecourse.escalation.scenarios.acceptable_doses`, :func:`~.scenarios.overdose_doses`).

        Returns
        -------
        Summary

        Raises
        ------
        ValueError, TypeError
            Without ``target`` or ``correct``, or on invalid values.
        """
        k = self.n_doses
        if correct is None:
            if target is None:
                raise TypeError("summary needs target (the target DLT probability) or correct (the correct doses)")
            target = _validate.probability(target, "target")
            right = scenarios.correct_doses(self.true_tox, target)
            ok = scenarios.acceptable_doses(self.true_tox, target, band)
            hot = scenarios.overdose_doses(self.true_tox, target, margin)
        else:
            doses = np.atleast_1d(_validate.whole_array(correct, "correct", minimum=1))
            if doses.size == 0 or doses.max() > k:
                raise ValueError(f"correct must be dose numbers 1..{k}; got {np.atleast_1d(correct).tolist()}")
            right, ok, hot = np.unique(doses), None, None
            if target is not None:
                target = _validate.probability(target, "target")
                ok = scenarios.acceptable_doses(self.true_tox, target, band)
                hot = scenarios.overdose_doses(self.true_tox, target, margin)
        index = np.arange(1, k + 1)
        below, at, above = index < right.min(), np.isin(index, right), index > right.max()
        masks = {"pcs": ("sel", at), "n_at": ("pat", at)}
        if below.any():  # no dose below (or above) the correct dose: the measure is undefined, not 0
            masks["n_below"] = ("pat", below)
        if above.any():
            masks.update(select_above=("sel", above), n_above=("pat", above))
        if hot is not None:
            masks["select_overdose"] = ("sel", np.isin(index, hot))
            masks["n_overdose"] = ("pat", np.isin(index, hot))
            masks["acceptable"] = ("sel", np.isin(index, ok))
        values, errors = {}, {}
        for name, (kind, mask) in masks.items():
            vec = self.selection if kind == "sel" else self.patients
            values[name] = float(vec[mask].sum())
            errors[name] = self._se(kind, mask)
        selected = 1.0 - self.no_selection
        values["tox_selected"] = float(self.selection @ self.true_tox / selected) if selected > 0 else None
        errors.update(total_n=self.total_n_se, no_selection=self.no_selection_se, duration=self.duration_se,
                      dlts=self._se("dlt", index > 0))
        return Summary(design=self.design, correct=tuple(int(d) for d in right), exact=self.exact,
                       n_trials=self.n_trials, seed=self.seed, no_selection=self.no_selection,
                       total_n=self.total_n, dlts=float(self.dlts.sum()), duration=self.duration,
                       se=errors, **{name: values.get(name) for name in
                                     ("pcs", "acceptable", "select_overdose", "select_above", "n_below", "n_at",
                                      "n_above", "n_overdose", "tox_selected")})

    def _se(self, kind: str, mask: np.ndarray) -> float:
        """Monte Carlo standard error of a sum over the doses in ``mask`` (0 for exact results)."""
        if self.trials is None or self.n_trials is None or self.n_trials < 2:
            return 0.0
        tr = self.trials
        if kind == "sel":
            per_trial = np.isin(tr.selected, np.flatnonzero(mask) + 1).astype(float)
        elif kind == "dlt":
            per_trial = tr.y[:, mask].sum(axis=1).astype(float)
        else:
            per_trial = tr.n[:, mask].sum(axis=1).astype(float)
        return float(per_trial.std(ddof=1) / math.sqrt(tr.n_trials))

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """A table with one column per dose: true DLT rate, selection %, mean patients and DLTs (and, for
        efficacy designs, the true response rate and mean responses).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the row and column labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            One row per quantity, one column per dose, rounded to two decimals.
        """
        lang = check_lang(lang)
        rows = {t("oc_true_tox", lang): self.true_tox,
                t("oc_selection_obd_pct" if self.selects == "OBD" else "oc_selection_pct", lang): 100 * self.selection,
                t("oc_mean_patients", lang): self.patients, t("oc_mean_dlts", lang): self.dlts}
        if self.true_eff is not None:
            rows[t("oc_true_eff", lang)] = self.true_eff
        if self.responses is not None:
            rows[t("oc_mean_responses", lang)] = self.responses
        frame = pd.DataFrame(list(rows.values()), index=list(rows),
                             columns=[f"{t('dose', lang)} {d}" for d in range(1, self.n_doses + 1)])
        return frame.round(2)


SUMMARY_FIELDS: tuple[str, ...] = ("pcs", "acceptable", "select_overdose", "select_above", "no_selection",
                                   "n_below", "n_at", "n_above", "n_overdose", "total_n", "dlts", "tox_selected",
                                   "duration")
"""The measures of :class:`Summary`, in the order of :meth:`Summary.as_dict`."""


@dataclass(frozen=True)
class Summary:
    """The measures of one design on one scenario (from :meth:`OperatingCharacteristics.summary`).

    Parameters
    ----------
    design : str
        The design's name.
    correct : tuple of int
        The correct dose(s) the measures refer to.
    exact : bool
        Whether the numbers are exact (else simulated, with ``n_trials`` and ``seed``).
    n_trials, seed : int or None
        Simulation size and seed.
    pcs : float
        Probability of selecting a correct dose.
    acceptable, select_overdose : float or None
        Probability of selecting a dose within the acceptable band, and an overly toxic dose (None when the
        correct doses were given without a target).
    select_above : float or None
        Probability of selecting a dose above the (highest) correct dose (None when it is the top dose).
    no_selection : float
        Probability that no dose is selected.
    n_below, n_at, n_above : float or None
        Mean patients below, at and above the correct dose(s) (None where there is no such dose).
    n_overdose : float or None
        Mean patients at overly toxic doses.
    total_n, dlts : float
        Mean sample size and mean number of DLTs.
    tox_selected : float or None
        Mean true DLT probability of the selected dose among trials that select one (None if none does).
    duration : float or None
        Mean trial duration in months, for designs simulated in calendar time.
    se : dict
        Monte Carlo standard error of each measure (0 for exact results).
    """

    design: str
    correct: tuple[int, ...]
    exact: bool
    n_trials: int | None
    seed: int | None
    pcs: float
    acceptable: float | None
    select_overdose: float | None
    select_above: float | None
    no_selection: float
    n_below: float | None
    n_at: float
    n_above: float | None
    n_overdose: float | None
    total_n: float
    dlts: float
    tox_selected: float | None
    duration: float | None
    se: dict

    def __post_init__(self) -> None:
        _validate.text(self.design, "design")
        if not isinstance(self.correct, tuple):
            raise TypeError(f"correct must be a tuple of dose numbers; got {_validate._shown(self.correct)}")
        if not self.correct:
            raise ValueError("correct must name at least one dose")
        _validate.whole_array(self.correct, "correct", minimum=1)
        _validate.boolean(self.exact, "exact")
        _optional(self.n_trials, _validate.n_trials)
        _validate.seed(self.seed)
        for name in ("pcs", "no_selection", "acceptable", "select_overdose", "select_above", "tox_selected"):
            _optional(getattr(self, name), _validate.probability, name, open_interval=False)
        for name in ("n_at", "total_n", "dlts", "n_below", "n_above", "n_overdose", "duration"):
            _optional(getattr(self, name), _validate.number, name, minimum=0.0)
        for measure, se in _validate.mapping(self.se, "se").items():
            _optional(se, _validate.number, f"se[{measure!r}]", minimum=0.0)
        for name in ("pcs", "no_selection", "n_at", "total_n", "dlts"):
            if getattr(self, name) is None:
                raise TypeError(f"{name} must be a number; got None")

    def as_dict(self) -> dict:
        """The measures as ``{name: value}`` in the order of :data:`SUMMARY_FIELDS` (None where undefined)."""
        return {name: getattr(self, name) for name in SUMMARY_FIELDS}
