"""TITE-BOIN: the time-to-event Bayesian optimal interval design (Yuan et al. 2018).

BOIN's boundaries :math:`\\lambda_e, \\lambda_d` (:mod:`dosecourse.escalation.boin`) applied to a DLT rate in
which each pending patient's unknown outcome is replaced by its expected value given the follow-up so far, so
that new patients can be treated while others are still in their DLT window.  With no pending patient it is
BOIN.

References
----------
Yuan Y, Lin R, Li D, Nie L, Warren KE. Time-to-event Bayesian optimal interval design to accelerate phase I
trials. Clin Cancer Res. 2018;24(20):4921-4930. doi:10.1158/1078-0432.CCR-18-0246
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t
from .boin import BOIN
from .data import NO_DOSE, TrialData
from .decision import Decision
from .results import Trials
from .tite import TITEData, _as_tite, _counts, _Snapshot, _sums, _TimedDesign

_SAFETY_KEYS = ("interval_stop_toxic", "interval_eliminate", "interval_stop_extrasafe")


def _imputed_rate(n, y, m, stft, target: float):
    """TITE-BOIN's DLT rate with pending outcomes imputed: :math:`\\{y + (m - S)\\,\\hat p/(1 - \\hat p)\\}/n` with
    :math:`\\hat p = (y + \\phi/2)/(n - m + 1)` (arrays broadcast; ``n >= 1``)."""
    p_hat = (y + target / 2) / (n - m + 1)
    return (y + (m - stft) * p_hat / (1 - p_hat)) / n


class TITEBOIN(_TimedDesign, BOIN):
    """The TITE-BOIN design (Yuan et al. 2018): BOIN with pending DLT outcomes imputed from their follow-up.

    Parameters
    ----------
    target : float
        Target DLT probability, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, first dose (1..K).
    max_pending : float
        Suspend accrual when more than this fraction of the patients at the current dose are pending (default
        0.5, the paper's rule), in [0, 1).
    phi1, phi2, cutoff_eli, extrasafe, offset, n_earlystop
        BOIN's settings (:class:`~dosecourse.escalation.BOIN`).
    accrual_per_month : float
        Mean number of patients arriving per month (simulation), at most 100.
    dlt_window_months : float
        Length of the DLT window in months (simulation).
    accrual : {"uniform", "poisson"}
        Inter-arrival times Uniform(0, 2 / rate) or exponential (a Poisson process; default).
    tite : bool
        ``False``: enrol the next cohort only when every enrolled patient has completed the window (BOIN in
        calendar time, the comparator).

    Raises
    ------
    ValueError, TypeError
        On invalid arguments (each message names the argument).

    Notes
    -----
    At the current dose, with n patients, y observed DLTs, m pending patients (no DLT yet, window not over)
    and standardized total follow-up time :math:`S = \\sum_{pending} u_i / W` (each pending patient's follow-up
    over the window), the pending outcomes are imputed by their expected values under a uniform time to DLT
    within the window, with the DLT probability estimated as :math:`\\hat p = (y + \\phi/2)/(n - m + 1)` (the
    completed patients with a Beta(:math:`\\phi/2, 1 - \\phi/2`) prior).  The closed form below is the one that
    reproduces the published decision table (see below); the derivation in Yuan et al. (2018) is reported, not
    re-derived here:

    .. math::

        \\tilde p = \\frac{y + (m - S)\\,\\hat p / (1 - \\hat p)}{n}.

    The decision after each cohort, in order:

    1. safety (BOIN's, on all n patients and the DLTs observed so far): eliminate every dose whose
       :math:`\\Pr(p > \\phi \\mid y, n) > 0.95` (n >= 3) and the doses above; stop if dose 1 is eliminated;
    2. suspend accrual if :math:`m > 0.5\\,n` unless the observed rate already de-escalates
       (:math:`y/n > \\lambda_d`): no patient is enrolled until more follow-up accrues;
    3. if m = 0, BOIN's rule on y/n; otherwise, if :math:`y/n < \\phi` escalate when :math:`\\tilde p \\le
       \\lambda_e` (else stay), if :math:`y/n > \\phi` de-escalate when :math:`\\tilde p > \\lambda_d` (else stay),
       and stay if :math:`y/n = \\phi`.  Pending patients thus only delay a move the observed data point to.

    Because :math:`\\hat p` does not depend on S, each rule is a cutoff on the STFT, tabulated before the trial
    (:meth:`decision_table`); with :math:`\\phi = 0.2` and cohorts of 3 it reproduces the published TITE-BOIN
    decision table (escalate at 1 DLT in 9 with 3 pending if STFT >= 0.77, ...; tests/test_tite_boin.py).  The
    MTD is selected by BOIN's isotonic rule on the complete data.  On a :class:`~dosecourse.escalation.TrialData`
    or an outcome string (complete follow-up) every decision is BOIN's, and so are :meth:`pathways` (cohorts
    followed to the end of the window).  The elimination boundaries use every patient treated, pending included,
    as R TITEgBOIN's ``next_TITE_QuasiBOIN`` does.

    :meth:`simulate` runs trials in calendar time (:mod:`dosecourse.escalation.tite`): the decision is taken when
    a cohort's first patient arrives; during a suspension arriving patients are not enrolled.

    References
    ----------
    Yuan Y, Lin R, Li D, Nie L, Warren KE. Clin Cancer Res. 2018;24(20):4921-4930.
    doi:10.1158/1078-0432.CCR-18-0246

    Examples
    --------
    One DLT among 9 patients, 3 of them pending with a standardized total follow-up time of 1.5: escalate.

    >>> design = TITEBOIN(0.2, n_doses=5)
    >>> data = TITEData(5, levels=[1] * 9, tox=[1] + [0] * 8, followup=[5] + [28] * 5 + [14] * 3, window=28)
    >>> float(data.stft[0]), design.next_dose(data).action
    (1.5, 'escalate')
    """

    name = "TITE-BOIN"
    has_exact = False
    protocol_reference = "protocol_ref_titeboin"

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, max_pending: float = 0.5, phi1: float | None = None,
                 phi2: float | None = None, cutoff_eli: float = 0.95, extrasafe: bool = False, offset: float = 0.05,
                 n_earlystop: int = 100, accrual_per_month: float = 3.0, dlt_window_months: float = 1.0,
                 accrual: str = "poisson", tite: bool = True) -> None:
        super().__init__(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                         phi1=phi1, phi2=phi2, cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset,
                         n_earlystop=n_earlystop)
        self._boin = BOIN(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                          phi1=phi1, phi2=phi2, cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset,
                          n_earlystop=n_earlystop)       # BOIN itself, for its protocol text and table
        self.max_pending = _validate.number(max_pending, "max_pending", minimum=0.0, maximum=1.0,
                                            strict_maximum=True)
        self._timing(accrual_per_month, dlt_window_months, accrual, tite)
        self.name = "TITE-BOIN" if self.tite else "BOIN (timed)"

    # ------------------------------------------------------------------------------------------- conduct
    def next_dose(self, data: TITEData | TrialData | str) -> Decision:
        """The dose for the next cohort, pending outcomes imputed from their follow-up.

        Parameters
        ----------
        data : TITEData, TrialData or str
            Each patient's dose, DLT and follow-up; or counts (or an outcome string) with complete follow-up.

        Returns
        -------
        Decision
            A suspension (or, with ``tite=False``, waiting for every window to end) is "stay" at the current
            dose with reason ``titeboin_suspend`` (``titeboin_wait``): no patient is enrolled until more
            follow-up accrues, then the rule is applied again.

        Raises
        ------
        ValueError, TypeError
            On invalid data, or data with no patient yet (the first cohort receives ``start_dose``).
        """
        data = _as_tite(data, self.n_doses)
        if data.current == NO_DOSE:
            raise ValueError(f"data: no cohort has been treated yet; the first cohort receives start_dose = "
                             f"{self.start_dose}")
        return self._decide(data)

    def _decide(self, data: TITEData) -> Decision:
        counts = data.to_trial_data()
        pending = data.pending
        cur = data.current
        if not self.tite and pending.sum():
            return Decision("stay", cur, "titeboin_wait", {"pending": int(pending.sum()), "n": counts.total})
        boin = BOIN._next_dose(self, counts)          # BOIN's decision on the counts (safety first)
        m = int(pending[cur - 1])
        if m == 0 or boin.key in _SAFETY_KEYS:
            return boin
        b = self._table if counts.n.max() <= self.max_n else self.boundaries(int(counts.n.max()))
        n, y, stft = int(counts.n[cur - 1]), int(counts.y[cur - 1]), float(data.stft[cur - 1])
        fields = dict(n=n, y=y, m=m, stft=stft, dose=cur, lambda_e=self.lambda_e, lambda_d=self.lambda_d)
        if m > self.max_pending * n and y < b.deescalate[n]:
            return Decision("stay", cur, "titeboin_suspend", dict(fields, limit=self.max_pending),
                            eliminated=boin.eliminated)
        rate = float(_imputed_rate(n, y, m, stft, self.target))
        fields["rate"] = rate
        move = int(self._tite_move(np.array([n]), np.array([y]), np.array([rate]))[0])
        lowest = boin.eliminated
        if move == 1 and cur == self.n_doses:
            decision = Decision("stay", cur, "titeboin_stay_top", fields, eliminated=lowest)
        elif move == 1 and lowest == cur + 1:
            decision = Decision("stay", cur, "titeboin_stay_eliminated", fields, eliminated=lowest)
        elif move == -1 and cur == 1:
            decision = Decision("stay", cur, "titeboin_stay_lowest", fields, eliminated=lowest)
        else:
            key = {1: "titeboin_escalate", 0: "titeboin_stay", -1: "titeboin_deescalate"}[move]
            action = {1: "escalate", 0: "stay", -1: "de-escalate"}[move]
            decision = Decision(action, cur + move, key, fields, eliminated=lowest)
        if decision.action == "stay" and n >= self.n_earlystop:
            return Decision("stop", NO_DOSE, "interval_stop_earlystop", dict(n=n, y=y, dose=cur,
                                                                             limit=self.n_earlystop),
                            eliminated=lowest)
        return decision

    def _tite_move(self, n: np.ndarray, y: np.ndarray, rate: np.ndarray) -> np.ndarray:
        """+1, 0, -1 from the imputed rate: escalation only when y/n < target, de-escalation only when above."""
        below, above = y < self.target * n, y > self.target * n
        return (below & (rate <= self.lambda_e)).astype(np.int64) - (above & (rate > self.lambda_d))

    def select(self, data: TITEData | TrialData | str) -> int:
        """The MTD by BOIN's isotonic selection on all patients and the DLTs observed.

        Parameters
        ----------
        data : TITEData, TrialData or str
            The trial's final data (normally complete follow-up).

        Returns
        -------
        int
            The selected dose (1..K), or :data:`~dosecourse.escalation.NO_DOSE`.
        """
        counts = _as_tite(data, self.n_doses).to_trial_data() if isinstance(data, TITEData) else data
        return BOIN.select(self, counts)

    # ------------------------------------------------------------------------------------------ planning
    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """The TITE-BOIN decision table: for each number treated (multiples of the cohort size), DLTs and pending
        patients at the current dose, when to escalate, stay or de-escalate, as cutoffs on the STFT.

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients (default: the design's maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the column names and cells.

        Returns
        -------
        pandas.DataFrame
            Columns: patients treated, DLTs, pending, escalate, stay, de-escalate, suspend accrual; cells "Y",
            "Y & eliminate", or a condition such as "STFT >= 0.77" (see the class notes for the rule).

        Raises
        ------
        ValueError, TypeError
            On an invalid ``max_n`` or ``lang``.

        Examples
        --------
        >>> table = TITEBOIN(0.2, 5).decision_table(9)
        >>> table[(table.iloc[:, 0] == 9) & (table.iloc[:, 1] == 1) & (table.iloc[:, 2] == 3)].iloc[0, 3:6].tolist()
        ['STFT >= 0.77', 'STFT < 0.77', '']
        """
        lang = check_lang(lang)
        top = self.max_n if max_n is None else _validate.positive_int(max_n, "max_n", maximum=1000)
        b = self.boundaries(top)
        yes, elim, suspend = t("titeboin_yes", lang), t("titeboin_yes_eliminate", lang), t("titeboin_yes", lang)
        rows = []
        for n in range(self.cohort_size, top + 1, self.cohort_size):
            for y in range(n + 1):
                for m in range(n - y + 1):
                    esc = stay = de = sus = ""
                    if y >= b.eliminate[n]:
                        de = elim
                    elif m > self.max_pending * n and y < b.deescalate[n]:
                        sus = suspend
                    elif m == 0:
                        esc, stay, de = ((yes, "", "") if y <= b.escalate[n] else
                                         ("", "", yes) if y >= b.deescalate[n] else ("", yes, ""))
                    else:
                        p_hat = (y + self.target / 2) / (n - m + 1)
                        odds = p_hat / (1 - p_hat)
                        if y < self.target * n:
                            cut = m - (n * self.lambda_e - y) / odds
                            esc, stay = ((yes, "") if cut <= 0 else ("", yes) if cut >= m else
                                         (f"STFT >= {cut:.2f}", f"STFT < {cut:.2f}"))
                        elif y > self.target * n:
                            cut = m - (n * self.lambda_d - y) / odds
                            stay, de = (("", yes) if cut >= m else (yes, "") if cut <= 0 else
                                        (f"STFT >= {cut:.2f}", f"STFT < {cut:.2f}"))
                        else:
                            stay = yes
                    rows.append((n, y, m, esc, stay, de, sus))
        columns = [t(key, lang) for key in ("titeboin_col_n", "titeboin_col_y", "titeboin_col_m",
                                            "titeboin_col_escalate", "titeboin_col_stay", "titeboin_col_deescalate",
                                            "titeboin_col_suspend")]
        return pd.DataFrame(rows, columns=columns)

    def describe(self, lang: str = "en") -> str:
        """BOIN's rules and boundaries (:meth:`~dosecourse.escalation.interval.IntervalDesign.describe`), then how
        pending patients enter the decision, ready for a protocol.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """
        lang = check_lang(lang)
        return "\n\n".join([self._boin.describe(lang), self._tite_text(lang)])

    def _tite_text(self, lang: str) -> str:
        """How pending patients enter the decision, in words."""
        key = "titeboin_describe" if self.tite else "titeboin_describe_wait"
        return t(key, lang, window=f"{self.dlt_window_months:g}", target=f"{self.target:g}",
                 limit=f"{self.max_pending:g}")

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """BOIN's sections, the rule followed by how pending patients enter the decision."""
        sections = self._boin._protocol_sections(lang)
        sections["rule"].append(self._tite_text(lang))
        return sections

    def _protocol_table_note(self, lang: str) -> str:
        return t("protocol_table_note_tite", lang)

    # ---------------------------------------------------------------------------------------- evaluation
    def _decide_many(self, snap: _Snapshot, dose: np.ndarray, elim: np.ndarray):
        """Next dose (0-based) and the wait, stop (safety) and finish (early stop, MTD selected) flags of simulated
        trials at their decision times, with the lowest eliminated dose (0-based, K for none)."""
        k, rows = self.n_doses, dose.size
        lv = snap.levels
        n, y = _counts(lv, lv >= 0, k), _counts(lv, snap.dlt, k)
        m = _counts(lv, snap.pending, k)
        stft = _sums(lv, np.where(snap.pending, snap.fraction, 0.0), k)
        never = np.zeros(rows, dtype=bool)
        if not self.tite:
            wait = snap.pending.any(axis=1)
        else:
            wait = never
        b = self._table
        over = (y >= b.eliminate[n]) & (n > 0)
        lowest = np.where(over.any(axis=1), np.argmax(over, axis=1), k)
        new_elim = np.where(wait, elim, np.minimum(elim, lowest))
        r = np.arange(rows)
        nc, yc, mc, sc = n[r, dose], y[r, dose], m[r, dose], stft[r, dose]
        stop = ~wait & ((new_elim == 0) | ((dose == 0) & (yc >= b.stop[nc])))
        forced = ~wait & ~stop & (dose >= new_elim)
        hot = yc >= b.deescalate[nc]
        wait = wait | (~stop & ~forced & (mc > self.max_pending * nc) & ~hot)
        rate = _imputed_rate(nc, yc, mc, sc, self.target)
        tite_move = self._tite_move(nc, yc, rate)
        boin_move = (yc <= b.escalate[nc]).astype(np.int64) - hot
        move = np.where(mc == 0, boin_move, tite_move)
        move = np.where((move == 1) & (dose + 1 >= np.minimum(new_elim, k)), 0, move)
        move = np.where((move == -1) & (dose == 0), 0, move)
        new = np.where(forced, new_elim - 1, dose + move)
        finish = ~wait & ~stop & ~forced & (move == 0) & (nc >= self.n_earlystop)
        return new, wait & ~stop, stop, finish, new_elim

    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate trials in calendar time (see :mod:`dosecourse.escalation.tite`); scenario keywords
        ``late_share``, ``onset``.

        Examples
        --------
        >>> res = TITEBOIN(0.3, 3, n_cohorts=4).simulate([0.1, 0.3, 0.5], n_trials=100, seed=1)
        >>> res.n.shape, bool((res.duration > 0).all())
        ((100, 3), True)
        """
        levels, dlt, stopped, duration = self._calendar(true_tox, n_trials, rng, truth)
        k = self.n_doses
        n, y = _counts(levels, levels >= 0, k), _counts(levels, dlt, k)
        selected = np.where(stopped, NO_DOSE, self._select_many(n, y))
        return Trials(self.name, true_tox, selected, n, y, stopped, seed, duration=duration)
