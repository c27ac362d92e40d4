"""BF-BOIN: BOIN with backfilling (Zhao, Yuan, Korn, Freidlin 2024).

While the escalation cohort at the current dose is still in its DLT window, patients who arrive are
"backfilled" to a lower dose that escalation has already cleared, where a response has been seen and the pooled
data are still safe, instead of waiting or being turned away.  After each escalation cohort, BOIN's rule is
applied to all the data (escalation and backfill patients); a lower dose whose data now disagree with the
current one is resolved by pooling the data from that dose up to the current dose.  The MTD is selected by
BOIN's isotonic rule on all patients.

References
----------
Zhao Y, Yuan Y, Korn EL, Freidlin B. Backfilling patients in phase I dose-escalation trials using Bayesian
optimal interval design (BOIN). Clin Cancer Res. 2024;30(4):673-679. doi:10.1158/1078-0432.CCR-23-2585
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from .. import _validate
from ..i18n import check_lang, t
from .boin import BOIN
from .data import NO_DOSE, TrialData
from .decision import Decision
from .design import Design
from .interval import Boundaries
from .mtd_selection import select_mtd_many
from .results import Trials

ACCRUALS = ("uniform", "poisson")
"""Accrual processes of the simulator: inter-arrival times Uniform(0, 2/rate) or exponential (Poisson)."""

RESPONSE_RULES = ("dose_or_below", "dose")
"""Which responses open a dose for backfilling: one at the dose or any lower dose, or one at the dose itself."""

_ESC, _STAY, _DE, _ELIM = range(4)  # BOIN's verdict on one dose's data
MAX_ACCRUAL_PER_MONTH = 100.0
"""Fastest accrual the simulator accepts (patients per month); each arrival is one step of the simulation."""


@dataclasses.dataclass(frozen=True)
class _Step:
    """One BF-BOIN escalation decision for many trials (0-based doses; ``elim = K`` when no dose is closed)."""

    dose: np.ndarray
    elim: np.ndarray
    stop: np.ndarray        # the trial stops for safety, no MTD
    early: np.ndarray       # the trial stops at n_earlystop and selects the MTD
    verdict: np.ndarray     # BOIN's verdict on the current dose's data
    pooled_from: np.ndarray  # lowest dose of the pooled range when a lower dose conflicts, else -1
    pooled_n: np.ndarray
    pooled_y: np.ndarray


class BFBOIN(Design):
    """BOIN with backfilling (BF-BOIN; Zhao et al. 2024), with patient accrual and DLT windows in time.

    Parameters
    ----------
    target : float
        Target DLT probability, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Escalation cohorts: patients per cohort, maximum number of cohorts, first dose (1..K).
    n_earlystop : int
        Stop (and select the MTD) once the current dose has this many patients and BOIN says stay (default 9,
        as in the paper).
    n_cap_backfill : int
        A dose takes backfill patients only while it has fewer than this many patients (escalation and backfill,
        counting those still in their DLT window; default 12).
    accrual_per_month : float
        Mean number of patients arriving per month (default 3; at most 100).
    dlt_window_months : float
        Length of the DLT assessment window in months (default 1); a response is known at its end.
    accrual : {"uniform", "poisson"}
        Inter-arrival times Uniform(0, 2 / rate) (default, as the openpharma ``bfboin`` package) or exponential
        with mean 1 / rate (a Poisson process).
    response_rule : {"dose_or_below", "dose"}
        A dose can be backfilled once a response has been observed at it or at a lower dose (default), or only
        at the dose itself.  See Notes.
    backfill : bool
        ``False`` turns backfilling off: plain BOIN with the same accrual and DLT windows, the paper's
        comparator.
    stay_1_of_3 : bool
        Use the decision table of Zhao et al. (2024, Table 1), in which 1 DLT among 3 patients means stay
        rather than de-escalate, wherever the table is used (current dose, lower doses, pooled data,
        backfill safety).  Default ``False``: BOIN's own table.
    phi1, phi2, cutoff_eli : float
        BOIN's boundaries and elimination cutoff (see :class:`~dosecourse.escalation.boin.BOIN`).

    Raises
    ------
    ValueError, TypeError
        On invalid arguments; each message names the argument.

    Notes
    -----
    With :math:`\\lambda_e, \\lambda_d` BOIN's boundaries and the decision table of
    :meth:`~dosecourse.escalation.interval.IntervalDesign.boundaries`, a dose's data (y DLTs among n) say
    *escalate* (:math:`y \\le e_n`), *eliminate* (:math:`y \\ge x_n`), *de-escalate* (:math:`y \\ge d_n`) or
    *stay*.

    Backfilling (between escalation cohorts, while the current cohort at dose d is in its DLT window).  A dose
    :math:`j < d` is open when (i) a response has been observed at j or a lower dose (``response_rule``),
    (ii) its data are safe, either alone (:math:`y_j < d_{n_j}`) or pooled with dose j + 1
    (:math:`y_j + y_{j+1} < d_{n_j + n_{j+1}}`), and so is every dose below it, and (iii) it has fewer than
    ``n_cap_backfill`` patients.  A patient who arrives then
    goes to the highest open dose, or is turned away if none is open.  Only assessed patients count as data.

    Escalation (after each cohort, on all assessed data).  If no dose below d conflicts (for "escalate", all
    lower doses say escalate; otherwise none says de-escalate or eliminate), BOIN moves as usual.  Otherwise,
    with b the highest conflicting dose, the data of doses b..d are pooled: escalate if the pooled counts say
    escalate; if they say de-escalate, go to the highest k in b..d whose data pooled from b are safe, or to
    b - 1 if none is (at dose 1, stop if its data say eliminate); otherwise stay.  "Eliminate" at d closes d and
    the doses above; eliminating dose 1 stops the trial.

    Timing.  The first patient arrives at time 0; a DLT occurs at a Weibull time with
    :math:`\\Pr(T \\le W) = p` and :math:`\\Pr(T \\le W/2) = p/2` (:func:`weibull_dlt_times`) and ends that
    patient's window early; a response is known at the end of the window.  A cohort is evaluated at the first
    arrival after its last patient's window closes; that patient starts the next cohort.  Backfilling stops
    when escalation does; every enrolled patient is followed to the end of the window, and the trial's
    duration runs until then.  All patients count in the MTD selection and the patient numbers.  Toxicity and
    response are independent.

    Sources of the choices the paper leaves to its software.  The openpharma ``bfboin`` package (uniform
    inter-arrival times, Weibull DLT times, a cohort evaluated at the next arrival) and simFastBOIN's
    reading of the article (a response at or below the dose opens it; all enrolled patients followed up and
    analysed; Table 1 of the paper stays at 1 DLT in 3): with ``stay_1_of_3=True`` these reproduce Table 4 of
    Zhao et al. (2024), durations included (tests/test_bfboin.py).  Requiring the response at the dose itself
    (``response_rule="dose"``, openpharma's choice) enrols up to about one patient fewer per trial than the
    paper reports when responses are rare.

    References
    ----------
    Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res. 2024;30(4):673-679. doi:10.1158/1078-0432.CCR-23-2585

    Examples
    --------
    A response at dose 1 opens doses 1 and 2 below the current dose 3 (only dose 1 with ``response_rule="dose"``):

    >>> design = BFBOIN(0.25, n_doses=5)
    >>> design.backfill_doses(TrialData([3, 3, 3, 0, 0], [0] * 5, current=3, responses=[1, 0, 0, 0, 0]))
    [1, 2]
    >>> BFBOIN(0.25, 5, response_rule="dose").backfill_doses(
    ...     TrialData([3, 3, 3, 0, 0], [0] * 5, current=3, responses=[1, 0, 0, 0, 0]))
    [1]
    >>> design.next_dose(TrialData([9, 3, 0, 0, 0], [3, 0, 0, 0, 0], current=2)).dose
    2
    """

    name = "BF-BOIN"
    protocol_reference = "protocol_ref_bfboin"
    truth_args = ("true_eff",)

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, n_earlystop: int = 9, n_cap_backfill: int = 12,
                 accrual_per_month: float = 3.0, dlt_window_months: float = 1.0, accrual: str = "uniform",
                 response_rule: str = "dose_or_below", backfill: bool = True, stay_1_of_3: bool = False,
                 phi1: float | None = None, phi2: float | None = None, cutoff_eli: float = 0.95) -> None:
        boin = BOIN(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                    phi1=phi1, phi2=phi2, cutoff_eli=cutoff_eli, n_earlystop=n_earlystop)
        super().__init__(n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        self._boin = boin
        self.target, self.n_earlystop = boin.target, boin.n_earlystop
        self.n_cap_backfill = _validate.positive_int(n_cap_backfill, "n_cap_backfill", maximum=_validate.MAX_PATIENTS)
        self.accrual_per_month = _validate.positive(accrual_per_month, "accrual_per_month",
                                                    maximum=MAX_ACCRUAL_PER_MONTH)
        self.dlt_window_months = _validate.positive(dlt_window_months, "dlt_window_months", maximum=120.0)
        self.accrual = _validate.one_of(accrual, "accrual", ACCRUALS)
        self.response_rule = _validate.one_of(response_rule, "response_rule", RESPONSE_RULES)
        self.backfill = _validate.boolean(backfill, "backfill")
        self.stay_1_of_3 = _validate.boolean(stay_1_of_3, "stay_1_of_3")
        self.name = "BF-BOIN" if self.backfill else "BOIN (timed)"
        # BOIN's table, long enough for pooled counts (up to every patient of the trial)
        self._plain = bounds = self._boin.boundaries(self.max_n + n_doses * self.n_cap_backfill)
        if self.stay_1_of_3:  # Zhao et al. 2024, Table 1: with 3 patients, de-escalate at 2 DLTs, not 1
            deescalate = bounds.deescalate.copy()
            deescalate[3] = max(deescalate[3], min(2, bounds.eliminate[3]))
            bounds = dataclasses.replace(bounds, deescalate=deescalate)
        self._bounds: Boundaries = bounds

    @property
    def lambda_e(self) -> float:
        """BOIN's escalation boundary."""
        return self._boin.lambda_e

    @property
    def lambda_d(self) -> float:
        """BOIN's de-escalation boundary."""
        return self._boin.lambda_d

    def decision_table(self, max_n: int | None = None, *, lang: str = "en"):
        """BOIN's decision table (:meth:`~dosecourse.escalation.interval.IntervalDesign.decision_table`), with
        de-escalation at 2 DLTs out of 3 when ``stay_1_of_3`` (Zhao et al. 2024, Table 1).

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients (default: the design's maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the row labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            The rows of :meth:`~dosecourse.escalation.interval.IntervalDesign.decision_table` (patients treated;
            escalate if # of DLT <=; de-escalate if # of DLT >=; eliminate if # of DLT >=), columns 1..max_n.
        """
        table = self._boin.decision_table(max_n, lang=lang)
        if self.stay_1_of_3 and 3 in table.columns:
            table.loc[t("interval_row_deescalate", lang), 3] = int(self._bounds.deescalate[3])
        return table

    # --------------------------------------------------------------------------------- the rules, vectorised
    def _verdicts(self, n: np.ndarray, y: np.ndarray, bounds: Boundaries | None = None) -> np.ndarray:
        b = self._bounds if bounds is None else bounds
        # the first rule that holds: escalate, eliminate, de-escalate, else stay (nested where: np.select's
        # overhead is most of a simulation step's on a few hundred trials)
        return np.where(y <= b.escalate[n], _ESC,
                        np.where(y >= b.eliminate[n], _ELIM, np.where(y >= b.deescalate[n], _DE, _STAY)))

    def _safe(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        return y < self._bounds.deescalate[n]

    def _step(self, n: np.ndarray, y: np.ndarray, dose: np.ndarray, elim: np.ndarray) -> _Step:
        """The escalation decision after a cohort, for trials in rows: all assessed data ``n``, ``y`` (T, K)."""
        t_, k = n.shape
        rows, levels = np.arange(t_), np.arange(k)
        verdict = self._verdicts(n, y)
        v = verdict[rows, dose]
        below = levels < dose[:, None]
        not_esc = below & (verdict != _ESC)
        bad = below & ((verdict == _DE) | (verdict == _ELIM))
        conflict = np.where(v == _ESC, not_esc.any(axis=1), bad.any(axis=1))
        culprit = np.where((v == _ESC)[:, None], not_esc, bad)
        b_star = np.where(conflict, k - 1 - np.argmax(culprit[:, ::-1], axis=1), -1)
        elim = np.where(v == _ELIM, np.minimum(elim, dose), elim)
        # pooled counts over b*..j for every j (zero outside b*..d)
        in_range = (levels >= b_star[:, None]) & (levels <= dose[:, None]) & conflict[:, None]
        cum_n, cum_y = np.cumsum(n * in_range, axis=1), np.cumsum(y * in_range, axis=1)
        pooled_n, pooled_y = cum_n[rows, dose], cum_y[rows, dose]
        pooled = self._verdicts(pooled_n, pooled_y)
        safe_k = in_range & self._safe(cum_n, cum_y)
        k_max = np.where(safe_k.any(axis=1), k - 1 - np.argmax(safe_k[:, ::-1], axis=1), -1)
        pooled_down = np.where(k_max >= 0, k_max, np.maximum(b_star - 1, 0))
        dose1_out = self._verdicts(n[:, 0], y[:, 0]) == _ELIM
        # resolve: escalate if allowed, go down to `target`, or stay
        esc = np.where(conflict, pooled == _ESC, v == _ESC)
        down = np.where(conflict, (pooled == _DE) | (pooled == _ELIM), (v == _DE) | (v == _ELIM))
        target = np.where(conflict, pooled_down, np.maximum(dose - 1, 0))
        stop = np.where(conflict, down & (k_max < 0) & (b_star == 0) & dose1_out, (v == _ELIM) & (dose == 0))
        can_up = dose + 1 < np.minimum(elim, k)
        new = np.where(esc & can_up, dose + 1, np.where(down, target, dose))
        early = ~stop & (new == dose) & (n[rows, dose] >= self.n_earlystop)
        return _Step(new, elim, stop, early, v, b_star, pooled_n, pooled_y)

    def _open(self, n: np.ndarray, y: np.ndarray, dose: np.ndarray, responded: np.ndarray,
              enrolled: np.ndarray) -> np.ndarray:
        """Doses open to backfilling (T, K): below ``dose``, a response there (or below, by ``response_rule``), safe
        alone or with the next dose (and all lower doses too), fewer than the cap enrolled."""
        if self.response_rule == "dose_or_below":
            responded = np.logical_or.accumulate(responded, axis=1)
        n_next = np.concatenate([n[:, 1:], np.zeros_like(n[:, :1])], axis=1)
        y_next = np.concatenate([y[:, 1:], np.zeros_like(y[:, :1])], axis=1)
        safe = self._safe(n, y) | self._safe(n + n_next, y + y_next)
        safe = np.logical_and.accumulate(safe, axis=1)
        below = np.arange(n.shape[1]) < dose[:, None]
        return below & responded & safe & (enrolled < self.n_cap_backfill)

    # ------------------------------------------------------------------------------------------- conduct
    def _next_dose(self, data: TrialData) -> Decision:
        """The dose for the next escalation cohort, from all assessed patients (escalation and backfill).

        ``data.n`` and ``data.y`` are the patients whose DLT window is over, and their DLTs, per dose, backfill
        included; ``data.current`` the dose of the cohort just evaluated; ``data.eliminated`` the lowest dose
        already closed by the elimination rule (the previous decision's ``eliminated``), above the current
        dose; doses from there up are never escalated into.

        Examples
        --------
        Dose 1 (backfilled to 9 patients, 3 DLTs) conflicts with dose 2 (0/3): pooled 3/12 stays at dose 2.

        >>> BFBOIN(0.25, 5).next_dose(TrialData([9, 3, 0, 0, 0], [3, 0, 0, 0, 0], current=2)).reason()
        'dose 1 conflicts with dose 2: pooled doses 1-2, 3/12 DLTs (0.250): stay at dose 2'
        """
        k = self.n_doses
        n_a, y_a, cur = data.n, data.y, data.current
        if data.eliminated != NO_DOSE and data.eliminated <= cur:
            raise ValueError(f"data: eliminated must lie above the current dose {cur} (a closed dose is not "
                             f"treated again); got {data.eliminated}")
        elim = k if data.eliminated == NO_DOSE else data.eliminated - 1
        s = self._step(n_a[None], y_a[None], np.array([cur - 1]), np.array([elim]))
        new, lowest = int(s.dose[0]) + 1, (int(s.elim[0]) + 1 if s.elim[0] < k else NO_DOSE)
        fields = {"n": int(n_a[cur - 1]), "y": int(y_a[cur - 1]), "current": cur, "next": new,
                  "rate": f"{y_a[cur - 1] / n_a[cur - 1]:.3f}", "lambda_e": f"{self.lambda_e:.3f}",
                  "lambda_d": f"{self.lambda_d:.3f}", "limit": self.n_earlystop}
        if s.stop[0]:
            return Decision("stop", NO_DOSE, "bfboin_stop_toxic", fields, eliminated=1)
        if s.early[0]:
            return Decision("stop", NO_DOSE, "bfboin_stop_earlystop", fields, eliminated=lowest)
        action = "escalate" if new > cur else "de-escalate" if new < cur else "stay"
        if s.pooled_from[0] >= 0:
            fields.update(lowest=int(s.pooled_from[0]) + 1, pn=int(s.pooled_n[0]), py=int(s.pooled_y[0]),
                          prate=f"{s.pooled_y[0] / s.pooled_n[0]:.3f}")
            return Decision(action, new, f"bfboin_pooled_{action.replace('-', '')}", fields, eliminated=lowest)
        verdict = int(s.verdict[0])
        if verdict != int(self._verdicts(n_a[cur - 1], y_a[cur - 1], self._plain)):
            key = "bfboin_stay_1_of_3"
        elif action == "stay" and verdict in (_ESC, _DE):
            key = "bfboin_stay_blocked" if verdict == _ESC else "bfboin_stay_lowest"
        else:
            key = {_ESC: "bfboin_escalate", _STAY: "bfboin_stay", _DE: "bfboin_deescalate",
                   _ELIM: "bfboin_eliminate"}[verdict]
        return Decision(action, new, key, fields, eliminated=lowest)

    def _select(self, data: TrialData) -> int:
        """The MTD by BOIN's isotonic selection on all patients (escalation and backfill)."""
        return int(select_mtd_many(self.target, data.n[None], data.y[None], self._boin.cutoff_eli,
                                   pseudo_count=self._boin.pseudo_count)[0])

    def backfill_doses(self, data: TrialData, n_enrolled=None, current: int | None = None) -> list[int]:
        """Doses open to backfilling now; the next backfill patient goes to the highest.

        Parameters
        ----------
        data : TrialData
            Assessed patients and their DLTs per dose, backfill included (at the current dose: the patients of
            the escalation cohort whose window is over), with ``responses`` per dose; ``current`` is the dose of
            the escalation cohort in its DLT window (only lower doses can be backfilled).
        n_enrolled : sequence of int, optional
            Patients enrolled per dose including those still in their window (for the cap); default ``data.n``.
        current : int, optional
            Dose (1..K) of the escalation cohort in its DLT window, in place of ``data.current``: give it right
            after an escalation, while none of the new cohort is assessed (a :class:`TrialData` current dose must
            have assessed patients, so ``data.current`` is then the dose escalated from).

        Returns
        -------
        list of int
            The open doses (1..K), lowest first.

        Raises
        ------
        ValueError, TypeError
            On data without responses or without a current dose, ``n_enrolled`` below ``data.n``, or ``current``
            outside 1..K.

        Examples
        --------
        Dose 2 is unsafe alone (2/3) and pooled with dose 3 (2/6 > lambda_d = 0.298), so it and all above close:

        >>> BFBOIN(0.25, 5).backfill_doses(TrialData([3, 3, 3, 0, 0], [0, 2, 0, 0, 0], current=3,
        ...                                          responses=[1, 1, 1, 0, 0]))
        [1]
        """
        k = self.n_doses
        _validate.instance(data, "data", TrialData)
        if data.n_doses != k:
            raise ValueError(f"data has {data.n_doses} doses but the design has {k}")
        if current is not None:
            current = _validate.integer(current, "current", minimum=1, maximum=k)
        elif data.current != NO_DOSE:
            current = data.current
        if data.responses is None or current is None:
            raise ValueError("data must give responses per dose, and data or current the dose of the escalation "
                             "cohort")
        enrolled = data.n if n_enrolled is None else _validate.whole_array(n_enrolled, "n_enrolled", length=k)
        if np.any(enrolled < data.n):
            raise ValueError("n_enrolled cannot be below n (assessed patients) at any dose")
        open_ = self._open(data.n[None], data.y[None], np.array([current - 1]), (data.responses > 0)[None],
                           enrolled[None])[0]
        return [int(d) + 1 for d in np.flatnonzero(open_)]

    # ---------------------------------------------------------------------------------------- evaluation
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate trials in calendar time (see :class:`BFBOIN`); scenario keyword ``true_eff``.

        The trials advance together, one patient arrival per step, with masks for the trials that are filling a
        cohort, evaluating one, backfilling or finished: no Python loop over trials.  Each trial's result has
        its patients, DLTs, responses and backfill patients per dose and its duration (months from the first
        arrival until the last enrolled patient's DLT window closes).

        Examples
        --------
        >>> res = BFBOIN(0.25, 3).simulate([0.1, 0.25, 0.5], n_trials=200, seed=1, true_eff=[0.2, 0.3, 0.4])
        >>> res.n.shape, bool((res.duration > 0).all())
        ((200, 3), True)
        """
        true_eff = truth.get("true_eff")
        if true_eff is not None:
            eff = _validate.probabilities(true_eff, "true_eff", length=self.n_doses, open_interval=False)
        elif self.backfill:
            raise ValueError("BF-BOIN needs true_eff, the response probability per dose: simulate(..., true_eff=...)")
        else:
            eff = np.zeros(self.n_doses)
        sim = _Trials(self, true_tox, eff, n_trials, rng)
        sim.run()
        n, y, r, duration = sim.final_data()
        selected = np.where(sim.stopped, NO_DOSE, select_mtd_many(self.target, n, y, self._boin.cutoff_eli,
                                                                  pseudo_count=self._boin.pseudo_count))
        return Trials(self.name, true_tox, selected, n, y, sim.stopped.copy(), seed, true_eff=eff, responses=r,
                      backfilled=n - sim.n_esc, duration=duration)

    # --------------------------------------------------------------------------------------- description
    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, with BOIN's decision table, ready for a protocol.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str

        Examples
        --------
        >>> "12" in BFBOIN(0.25, 5).describe("zh-tw")
        True
        """
        lang = check_lang(lang)
        table = self.decision_table(lang=lang)
        every_cohort = table.loc[:, [c for c in table.columns if c % self.cohort_size == 0]]
        text, *more = self._protocol_sections(lang)["rules"]
        return "\n\n".join([text, every_cohort.to_string(na_rep="NA"), *more])

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The texts of :meth:`describe` without its printed table (the appendix prints the table itself)."""
        key = "bfboin_describe" if self.backfill else "bfboin_describe_off"
        text = t(key, lang, k=self.n_doses, c=self.cohort_size, max_n=self.max_n, start=self.start_dose,
                 target=f"{self.target:g}", lambda_e=f"{self.lambda_e:.3f}", lambda_d=f"{self.lambda_d:.3f}",
                 cap=self.n_cap_backfill, limit=self.n_earlystop, rate=f"{self.accrual_per_month:g}",
                 response=t(f"bfboin_response_{self.response_rule}", lang),
                 window=f"{self.dlt_window_months:g}")
        return {"rules": [text] + ([t("bfboin_describe_1_of_3", lang)] if self.stay_1_of_3 else [])}

    def _protocol_derived(self, lang: str) -> list[tuple[str, str, str]]:
        return [(t(f"protocol_param_{name}", lang), f"{getattr(self, name):.4f}", name)
                for name in ("lambda_e", "lambda_d")]

    def _protocol_table_note(self, lang: str) -> str:
        return t("interval_describe_table", lang)


def weibull_dlt_times(true_tox: Sequence[float], window: float) -> tuple[np.ndarray, np.ndarray]:
    """Shape and scale of the Weibull time to DLT with :math:`\\Pr(T \\le W) = p` and :math:`\\Pr(T \\le W/2) = p/2`.

    Parameters
    ----------
    true_tox : sequence of float
        DLT probability within the window, per dose, in (0, 1).
    window : float
        DLT window W.

    Returns
    -------
    (shape, scale) : tuple of ndarray

    Notes
    -----
    From :math:`F(t) = 1 - \\exp\\{-(t/\\lambda)^k\\}`: :math:`k = [\\log\\{-\\log(1-p)\\} -
    \\log\\{-\\log(1-p/2)\\}] / \\log 2` and :math:`\\lambda = W / \\{-\\log(1-p)\\}^{1/k}` (half the DLTs in the
    second half of the window, the late-onset convention of the TITE designs).

    Examples
    --------
    >>> k, lam = weibull_dlt_times([0.3], 1.0)
    >>> float(1 - np.exp(-(0.5 / lam[0]) ** k[0])).__round__(6)
    0.15
    """
    p = _validate.probabilities(true_tox, "true_tox")
    w = _validate.positive(window, "window")
    shape = (np.log(-np.log1p(-p)) - np.log(-np.log1p(-p / 2))) / np.log(2)
    scale = w / (-np.log1p(-p)) ** (1 / shape)
    return shape, scale


class _Trials:
    """The state of ``n_trials`` BF-BOIN trials advanced together, one patient arrival per step."""

    def __init__(self, design: BFBOIN, true_tox: np.ndarray, true_eff: np.ndarray, n_trials: int,
                 rng: np.random.Generator) -> None:
        self.d, self.rng, self.eff = design, rng, true_eff
        k, c, m = design.n_doses, design.cohort_size, n_trials
        self.window = design.dlt_window_months
        self.shape, self.scale = weibull_dlt_times(true_tox, self.window)
        self.levels = np.arange(k)
        self.clock = np.zeros(m)
        self.dose = np.full(m, design.start_dose - 1)
        self.pos = np.zeros(m, dtype=np.int64)               # patients enrolled in the current cohort
        self.c_end = np.full((m, c), np.inf)                  # end of each cohort patient's window
        self.c_dlt = np.zeros((m, c), dtype=bool)
        self.c_resp = np.zeros((m, c), dtype=bool)
        self.n_esc = np.zeros((m, k), dtype=np.int64)         # evaluated escalation cohorts
        self.y_esc = np.zeros((m, k), dtype=np.int64)
        self.r_esc = np.zeros((m, k), dtype=np.int64)
        size = k * design.n_cap_backfill if design.backfill else 0
        self.bf_dose = np.full((m, size), -1)                 # backfill patients, in order of arrival
        self.bf_end = np.full((m, size), np.inf)
        self.bf_dlt = np.zeros((m, size), dtype=bool)
        self.bf_resp = np.zeros((m, size), dtype=bool)
        self.bf_len = np.zeros(m, dtype=np.int64)
        self.first_resp = np.full((m, k), np.inf)             # when the first response at each dose is known
        self.elim = np.full(m, k)
        self.cohorts = np.zeros(m, dtype=np.int64)
        self.active = np.ones(m, dtype=bool)
        self.stopped = np.zeros(m, dtype=bool)
        self.duration = np.zeros(m)

    def _draw(self, dose: np.ndarray, u_t: np.ndarray, u_r: np.ndarray):
        """Window end offset, DLT and response of patients at ``dose`` from uniforms."""
        time = self.scale[dose] * (-np.log(u_t)) ** (1 / self.shape[dose])
        return np.minimum(time, self.window), time < self.window, u_r < self.eff[dose]

    def _backfill_counts(self, rows: np.ndarray, before: np.ndarray, responses: bool = True):
        """Backfill patients per dose of ``rows``: assessed before time ``before`` (n, DLTs, responses), enrolled.

        Counted with one ``bincount`` per quantity over the slots in use (not a one-hot array over doses); the
        responses only when ``responses`` (None otherwise), and no count at all while no row has a backfill patient
        (every count is then 0).
        """
        k, r = self.d.n_doses, rows.size
        width = int(self.bf_len[rows].max(initial=0))
        if width == 0:
            zero = np.zeros((r, k), dtype=np.intp)   # the dtype bincount gives; callers never write into it
            return zero, zero, zero if responses else None, zero
        dose = self.bf_dose[rows, :width]
        used = dose >= 0
        done = used & (self.bf_end[rows, :width] < before[:, None])
        flat = np.arange(r)[:, None] * k + np.where(used, dose, 0)

        def count(mask: np.ndarray) -> np.ndarray:
            return np.bincount(flat[mask], minlength=r * k).reshape(r, k)

        return (count(done), count(done & self.bf_dlt[rows, :width]),
                count(done & self.bf_resp[rows, :width]) if responses else None, count(used))

    def run(self) -> None:
        """Advance every trial, one arrival per step, until all have ended."""
        d, rng = self.d, self.rng
        gap_scale = 1 / d.accrual_per_month
        first = True
        while self.active.any():
            m = self.clock.size
            if not first:
                gap = rng.uniform(0, 2 * gap_scale, m) if d.accrual == "uniform" else rng.exponential(gap_scale, m)
                self.clock = np.where(self.active, self.clock + gap, self.clock)
            first = False
            u_t, u_r = 1 - rng.random(m), rng.random(m)
            full = self.pos == d.cohort_size
            ready = full & (self.c_end.max(axis=1) < self.clock)
            waiting = self.active & full & ~ready
            self._evaluate(np.flatnonzero(self.active & ready))
            self._enrol(np.flatnonzero(self.active & (self.pos < d.cohort_size)), u_t, u_r)
            if d.backfill:
                self._backfill(np.flatnonzero(waiting & (self.dose > 0)), u_t, u_r)

    def _evaluate(self, e: np.ndarray) -> None:
        """Evaluate the complete cohorts of trials ``e`` and decide their next dose (or end them)."""
        if e.size == 0:
            return
        d, de = self.d, self.dose[e]
        self.n_esc[e, de] += d.cohort_size
        self.y_esc[e, de] += self.c_dlt[e].sum(axis=1)
        self.r_esc[e, de] += self.c_resp[e].sum(axis=1)
        nb, yb, _, _ = self._backfill_counts(e, self.clock[e], responses=False)
        step = d._step(self.n_esc[e] + nb, self.y_esc[e] + yb, de, self.elim[e])
        self.cohorts[e] += 1
        end = step.stop | step.early | (self.cohorts[e] >= d.n_cohorts)
        self.duration[e] = self.c_end[e].max(axis=1)
        self.stopped[e[step.stop]] = True
        self.active[e[end]] = False
        self.dose[e], self.elim[e] = step.dose, step.elim
        go = e[~end]
        self.pos[go] = 0
        self.c_end[go], self.c_dlt[go], self.c_resp[go] = np.inf, False, False

    def _enrol(self, i: np.ndarray, u_t: np.ndarray, u_r: np.ndarray) -> None:
        """Enrol the arriving patient of trials ``i`` in their escalation cohort."""
        if i.size == 0:
            return
        di, p = self.dose[i], self.pos[i]
        span, dlt, resp = self._draw(di, u_t[i], u_r[i])
        self.c_end[i, p] = self.clock[i] + span
        self.c_dlt[i, p], self.c_resp[i, p] = dlt, resp
        known = self.clock[i] + self.window
        self.first_resp[i[resp], di[resp]] = np.minimum(self.first_resp[i[resp], di[resp]], known[resp])
        self.pos[i] += 1

    def _backfill(self, w: np.ndarray, u_t: np.ndarray, u_r: np.ndarray) -> None:
        """Backfill the arriving patient of waiting trials ``w`` to their highest open dose, if any."""
        if w.size == 0:
            return
        rows = np.arange(w.size)
        now = self.clock[w]
        nb, yb, _, enrolled = self._backfill_counts(w, now, responses=False)
        done = self.c_end[w] < now[:, None]
        n = self.n_esc[w] + nb
        y = self.y_esc[w] + yb
        n[rows, self.dose[w]] += done.sum(axis=1)
        y[rows, self.dose[w]] += (done & self.c_dlt[w]).sum(axis=1)
        open_ = self.d._open(n, y, self.dose[w], self.first_resp[w] < now[:, None], self.n_esc[w] + enrolled)
        has = open_.any(axis=1)
        j, dose = w[has], (self.d.n_doses - 1 - np.argmax(open_[has, ::-1], axis=1))
        slot = self.bf_len[j]
        span, dlt, resp = self._draw(dose, u_t[j], u_r[j])
        self.bf_dose[j, slot], self.bf_end[j, slot] = dose, self.clock[j] + span
        self.bf_dlt[j, slot], self.bf_resp[j, slot] = dlt, resp
        self.bf_len[j] += 1

    def final_data(self):
        """Patients, DLTs and responses per dose once every enrolled patient is followed up, and the durations
        (until the last patient's window closes)."""
        everyone = np.full(self.clock.size, np.inf)
        nb, yb, rb, _ = self._backfill_counts(np.arange(self.clock.size), everyone)
        last_backfill = np.where(self.bf_dose >= 0, self.bf_end, 0.0).max(axis=1, initial=0.0)
        return self.n_esc + nb, self.y_esc + yb, self.r_esc + rb, np.maximum(self.duration, last_backfill)
