"""TITE-CRM: the time-to-event continual reassessment method (Cheung & Chappell 2000), as R dfcrm's ``titecrm``.

The CRM's one-parameter working model and normal prior (:mod:`dosecourse.escalation.crm`), with each patient who
has not had a DLT weighted by how much of the DLT window has been observed: a patient followed for a fraction
``w`` of the window contributes :math:`1 - w\\,p_k(\\beta)` to the likelihood instead of :math:`1 - p_k(\\beta)`.
New patients can then be treated while earlier ones are still in their window.

References
----------
Cheung YK, Chappell R. Sequential designs for phase I clinical trials with late-onset toxicities. Biometrics.
2000;56(4):1177-1182. doi:10.1111/j.0006-341X.2000.01177.x
Cheung YK. dfcrm: Dose-Finding by the Continual Reassessment Method. R package version 0.2-2.1 (functions
``titecrm`` and ``titesim``).
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..i18n import check_lang, t
from .crm import CRM, CRMPosterior, _check_prior_var, _closest, _PosteriorGrid
from .data import NO_DOSE, TrialData
from .decision import Decision
from .design import Design
from .results import Trials
from .tite import TITEData, _as_tite, _counts, _Snapshot, _TimedDesign

_CHUNK = 512   # trials whose posterior is evaluated on the grid at once (bounds memory)


def _weighted_posterior(grid: _PosteriorGrid, n_c: np.ndarray, y_c: np.ndarray, pend_dose: np.ndarray,
                        pend_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and variance of beta for rows of data: complete patients as counts per dose ``n_c``, ``y_c``
    (R, K) and pending patients by 0-based dose ``pend_dose`` (-1: no patient) and weight ``pend_w`` (R, P)."""
    rows = n_c.shape[0]
    mean, var = np.empty(rows), np.empty(rows)
    p_grid = np.exp(grid.log_p)                                    # (K, G)
    for lo in range(0, rows, _CHUNK):
        sl = slice(lo, lo + _CHUNK)
        loglik = np.concatenate([y_c[sl], n_c[sl] - y_c[sl]], axis=1).astype(float) @ grid._log_pq + grid.log_prior
        if pend_dose.shape[1]:      # an empty slot has weight 0: its factor log(1 - 0 p) is 0
            term = p_grid[np.maximum(pend_dose[sl], 0)]
            term *= -np.where(pend_dose[sl] >= 0, pend_w[sl], 0.0)[..., None]
            loglik += np.log1p(term, out=term).sum(axis=1)
        w = np.exp(loglik - loglik.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        mean[sl] = w @ grid.beta
        var[sl] = (w * (grid.beta[None, :] - mean[sl, None]) ** 2).sum(axis=1)
    return mean, var


def _split(data: TITEData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Complete patients as counts per dose, pending ones as (0-based dose, weight), for one data set."""
    k = data.n_doses
    pending = data.is_pending
    done = ~pending
    n_c = np.bincount(data.levels[done] - 1, minlength=k)[None, :k]
    y_c = np.bincount(data.levels[done] - 1, weights=data.tox[done], minlength=k)[None, :k].astype(np.int64)
    return n_c, y_c, (data.levels[pending] - 1)[None, :], data.fraction[pending][None, :]


def tite_crm_posterior(skeleton, target: float, levels, tox, followup, window: float, model: str = "empiric",
                       prior_var: float = 1.34, intercept: float = 3.0) -> CRMPosterior:
    """Posterior of the TITE-CRM's parameter and the recommended dose, as dfcrm's ``titecrm`` (linear weights).

    Parameters
    ----------
    skeleton : sequence of float
        Prior guesses of the DLT probability per dose, strictly increasing, in (0, 1).
    target : float
        Target DLT probability.
    levels : sequence of int
        Dose (1..K) each patient received.
    tox : sequence of int
        1 for a patient with a DLT, 0 otherwise.
    followup : sequence of float
        Follow-up of each patient so far, in [0, window] (for a DLT, any value: its weight is 1).
    window : float
        Length of the DLT window (dfcrm's ``obswin``), in the unit of ``followup``.
    model : {"empiric", "logistic"}
        Working model.
    prior_var : float
        Variance of the normal prior of beta (dfcrm: ``scale**2``, default 1.34), in (0, 100].
    intercept : float
        Fixed intercept of the logistic model (dfcrm's ``intcpt``, default 3).

    Returns
    -------
    CRMPosterior
        Posterior mean and variance of beta, the plug-in DLT probabilities and the recommended dose.

    Raises
    ------
    ValueError, TypeError
        On a skeleton that is not strictly increasing, a dose outside 1..K, outcomes other than 0/1, lengths that
        differ, a window that is not positive or a follow-up outside [0, window].

    Notes
    -----
    With weight :math:`w_i = \\min(u_i / W, 1)` for a patient without DLT followed for :math:`u_i` of the window
    :math:`W` (and :math:`w_i = 1` with a DLT), the posterior of :math:`\\beta \\sim N(0, \\sigma^2)` is
    (Cheung & Chappell 2000, eq. 2)

    .. math::

        \\pi(\\beta \\mid D) \\propto e^{-\\beta^2/(2\\sigma^2)} \\prod_i p_{d_i}(\\beta)^{y_i}
        \\{1 - w_i\\,p_{d_i}(\\beta)\\}^{1 - y_i},

    with the working models of :func:`~dosecourse.escalation.crm_posterior`.  Its mean and variance are integrals
    over :math:`\\beta` computed by the trapezoidal rule on the CRM's grid over :math:`\\pm 8\\sigma`; dfcrm
    integrates with R's ``integrate``, the normalising constant over the real line and the moments over
    [-10, 10] only, which gives the same numbers (to 1e-6, tests/test_tite_crm.py) at the default prior and up to
    :math:`\\sigma = 1.5`; with wider priors and data that push :math:`\\beta` up, dfcrm's moments fall short
    (by 6.5e-6 in the mean at :math:`\\sigma = 2`, 0.01 at :math:`\\sigma = 3`, with no DLT in 8 patients).
    The recommended dose is the one whose :math:`p_k(\\hat\\beta)` is closest to the target (the lower on a
    tie).  With every weight 1 this is :func:`~dosecourse.escalation.crm_posterior`.

    References
    ----------
    Cheung YK, Chappell R. Biometrics. 2000;56(4):1177-1182. doi:10.1111/j.0006-341X.2000.01177.x

    Examples
    --------
    The example of dfcrm's ``titecrm`` help page (follow-up capped at the 180-day window):

    >>> post = tite_crm_posterior([0.05, 0.10, 0.20, 0.35, 0.50, 0.70], 0.2,
    ...                           levels=[3, 3, 3, 4, 4, 3, 2, 2, 2, 3], tox=[0, 0, 1, 0, 1, 0, 0, 0, 0, 0],
    ...                           followup=[178, 180, 168, 180, 24, 180, 179, 102, 42, 3], window=180)
    >>> round(post.beta_mean, 6), round(post.beta_var, 6), post.recommended
    (-0.132787, 0.19549, 3)
    """
    s = _validate.probabilities(skeleton, "skeleton", increasing=True)
    phi = _validate.probability(target, "target")
    data = TITEData(s.size, levels, tox, followup, window)
    grid = _PosteriorGrid(s, _validate.one_of(model, "model", ("empiric", "logistic")), _check_prior_var(prior_var),
                          _validate.number(intercept, "intercept", minimum=-20.0, maximum=20.0), data.levels.size)
    mean, var = _weighted_posterior(grid, *_split(data))
    ptox = grid.ptox(mean[0])
    return CRMPosterior(beta_mean=float(mean[0]), beta_var=float(var[0]), ptox=ptox,
                        recommended=int(_closest(ptox, phi)))


class TITECRM(_TimedDesign, Design):
    """The TITE-CRM (Cheung & Chappell 2000), run in calendar time as dfcrm's ``titesim`` with cohorts.

    Parameters
    ----------
    skeleton : sequence of float
        Prior guesses of the DLT probability per dose, strictly increasing; its length sets K.
    target : float
        Target DLT probability.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, number of cohorts (the trial enrols ``cohort_size * n_cohorts`` patients) and the
        first cohort's dose (1..K).
    model : {"empiric", "logistic"}
        Working model.
    prior_var : float
        Variance of the normal prior of beta (default 1.34), in (0, 100].
    intercept : float
        Fixed intercept of the logistic model (default 3).
    no_skip : bool
        Escalate at most one level above the current dose (dfcrm ``restrict=TRUE``).
    accrual_per_month : float
        Mean number of patients arriving per month (simulation), at most 100.
    dlt_window_months : float
        Length of the DLT window in months (simulation).
    accrual : {"uniform", "poisson"}
        Inter-arrival times Uniform(0, 2 / rate) or exponential (a Poisson process; default).
    tite : bool
        ``True``: decide with pending patients weighted by their follow-up.  ``False``: enrol the next cohort only
        when every enrolled patient has completed the window (the CRM in calendar time, the comparator).

    Raises
    ------
    ValueError, TypeError
        On a skeleton that is not strictly increasing or any argument out of range (each message names it).

    Notes
    -----
    Time enters through the data: :meth:`next_dose` takes a :class:`~dosecourse.escalation.TITEData` (each
    patient's dose, DLT and follow-up) and recommends, from the weighted posterior of
    :func:`tite_crm_posterior`, the dose whose estimated DLT probability is closest to the target, capped at one
    level above the current dose (``no_skip``).  On a :class:`~dosecourse.escalation.TrialData` or an outcome
    string every patient counts as fully followed, and the decision is the CRM's
    (:class:`~dosecourse.escalation.CRM` with ``coherence=False``, as dfcrm's ``titesim``).  With ``tite=False``
    and patients pending, the decision is to wait ("stay" with the reason ``titecrm_wait``; no one is enrolled).
    The MTD at the end is the CRM recommendation from the complete data.  There is no early stopping and no
    fixed decision table (the next dose depends on all the data); :meth:`pathways` show the cohorts with complete
    follow-up.

    :meth:`simulate` runs trials in calendar time (:mod:`dosecourse.escalation.tite`): Poisson or uniform
    accrual, Weibull times to DLT with a share ``late_share`` (default 0.5) of the DLTs in the second half of the
    window (or ``onset="uniform"``, as dfcrm's ``titesim``), the decision taken when a cohort's first patient
    arrives, and each trial's duration.  With cohorts of 1 this is ``titesim`` with ``x0`` a single dose (checked
    against it within Monte Carlo error in tests/test_tite_crm.py).

    References
    ----------
    Cheung YK, Chappell R. Biometrics. 2000;56(4):1177-1182. doi:10.1111/j.0006-341X.2000.01177.x
    O'Quigley J, Pepe M, Fisher L. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628

    Examples
    --------
    Dose 2's three patients are a quarter of the way through their window: the TITE-CRM already escalates.

    >>> design = TITECRM([0.05, 0.12, 0.25, 0.40, 0.55], 0.25, cohort_size=3)
    >>> data = TITEData(5, levels=[1, 1, 1, 2, 2, 2], tox=[0] * 6, followup=[28, 28, 28, 7, 7, 7], window=28)
    >>> design.next_dose(data).dose
    3
    """

    name = "TITE-CRM"
    protocol_reference = "protocol_ref_titecrm"

    def __init__(self, skeleton, target: float, *, cohort_size: int = 3, n_cohorts: int = 10, start_dose: int = 1,
                 model: str = "empiric", prior_var: float = 1.34, intercept: float = 3.0, no_skip: bool = True,
                 accrual_per_month: float = 3.0, dlt_window_months: float = 1.0, accrual: str = "poisson",
                 tite: bool = True) -> None:
        crm = CRM(skeleton, target, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                  model=model, prior_var=prior_var, intercept=intercept, no_skip=no_skip, coherence=False)
        super().__init__(crm.n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        self._crm = crm
        self.skeleton, self.target, self.model = crm.skeleton, crm.target, crm.model
        self.prior_var, self.intercept, self.no_skip = crm.prior_var, crm.intercept, crm.no_skip
        self._timing(accrual_per_month, dlt_window_months, accrual, tite)
        self.name = "TITE-CRM" if self.tite else "CRM (timed)"

    # ------------------------------------------------------------------------------------------- conduct
    def next_dose(self, data: TITEData | TrialData | str) -> Decision:
        """The dose for the next cohort from the data so far, pending patients weighted by their follow-up.

        Parameters
        ----------
        data : TITEData, TrialData or str
            Each patient's dose, DLT and follow-up; or counts (or an outcome string) with complete follow-up.

        Returns
        -------
        Decision
            With ``tite=False`` and patients pending: "stay" at the current dose with reason ``titecrm_wait``
            (enrol no one until every window is over).

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

    def _next_dose(self, data: TrialData) -> Decision:
        return self._decide(TITEData.complete(data))

    def _decide(self, data: TITEData) -> Decision:
        current = data.current
        waiting = int(data.pending.sum())
        if not self.tite and waiting:
            return Decision("stay", current, "titecrm_wait", {"pending": waiting, "n": int(data.levels.size)})
        beta, _ = _weighted_posterior(self._crm._grid, *_split(data))
        ptox = self._crm._grid.ptox(beta)
        rec = int(_closest(ptox, self.target)[0])
        dose = min(rec, current + 1) if self.no_skip else rec
        action = "escalate" if dose > current else "de-escalate" if dose < current else "stay"
        fields = {"beta": float(beta[0]), "rec": rec, "prec": float(ptox[0, rec - 1]), "target": self.target,
                  "dose": dose, "pending": waiting}
        return Decision(action, dose, "titecrm_no_skip" if dose < rec else "titecrm_model", fields)

    def select(self, data: TITEData | TrialData | str) -> int:
        """The MTD: the dose whose estimated DLT probability from all the data is closest to the target.

        Parameters
        ----------
        data : TITEData, TrialData or str
            The trial's final data (normally complete follow-up).

        Returns
        -------
        int
            The selected dose (1..K), or :data:`~dosecourse.escalation.NO_DOSE` before any patient.
        """
        data = _as_tite(data, self.n_doses)
        if data.levels.size == 0:
            return NO_DOSE
        beta, _ = _weighted_posterior(self._crm._grid, *_split(data))
        return int(_closest(self._crm._grid.ptox(beta), self.target)[0])

    def _select(self, data: TrialData) -> int:
        return self.select(data)

    # ------------------------------------------------------------------------------------------ planning
    def describe(self, lang: str = "en") -> str:
        """The design in protocol language: model, prior, weights, dose assignment, timing and MTD.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """
        lang = check_lang(lang)
        parts = self._protocol_sections(lang)["rule"] + [t("crm_describe_end", lang)]
        return ("" if lang == "zh-tw" else " ").join(parts)

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The model, weighting and dose-assignment texts of :meth:`describe`, then stopping (none) and MTD
        selection (the CRM's)."""
        formula = "p_k = s_k^exp(beta)" if self.model == "empiric" else (
            f"p_k = expit({self.intercept:g} + exp(beta) * (logit(s_k) - {self.intercept:g}))")
        rule = [t("titecrm_describe", lang, model=t(f"crm_model_{self.model}", lang), formula=formula,
                  skeleton=", ".join(f"{s:.3f}" for s in self.skeleton), prior_var=f"{self.prior_var:g}",
                  target=f"{self.target:g}", n_cohorts=self.n_cohorts, cohort_size=self.cohort_size,
                  max_n=self.max_n, start=self.start_dose, window=f"{self.dlt_window_months:g}")]
        rule.append(t("titecrm_describe_weights" if self.tite else "titecrm_describe_wait", lang))
        if self.no_skip:
            rule.append(t("crm_describe_no_skip", lang))
        return {"rule": rule,
                "stopping": [t("protocol_crm_stopping", lang, max_n=self.max_n, n_cohorts=self.n_cohorts,
                               cohort_size=self.cohort_size)],
                "selection": [t("protocol_crm_selection", lang, target=f"{self.target:g}")]}

    # ---------------------------------------------------------------------------------------- evaluation
    def _decide_many(self, snap: _Snapshot, dose: np.ndarray, elim: np.ndarray):
        """Next dose (0-based) and the wait, stop and finish flags (none but wait apply to the CRM) of simulated
        trials at their decision times."""
        rows = dose.size
        wait = snap.pending.any(axis=1) if not self.tite else np.zeros(rows, dtype=bool)
        new = dose.copy()
        go = np.flatnonzero(~wait)
        if go.size:
            lv, pend = snap.levels[go], snap.pending[go]
            complete = (lv >= 0) & ~pend
            k = self.n_doses
            n_c, y_c = _counts(lv, complete, k), _counts(lv, complete & snap.dlt[go], k)
            width = int(pend.sum(axis=1).max(initial=0))
            order = np.argsort(~pend, axis=1, kind="stable")[:, :width]
            taken = np.take_along_axis(pend, order, axis=1)
            pend_dose = np.where(taken, np.take_along_axis(lv, order, axis=1), -1)
            pend_w = np.where(taken, np.take_along_axis(snap.fraction[go], order, axis=1), 0.0)
            beta, _ = _weighted_posterior(self._crm._grid, n_c, y_c, pend_dose, pend_w)
            rec = _closest(self._crm._grid.ptox(beta), self.target) - 1
            new[go] = np.minimum(rec, dose[go] + 1) if self.no_skip else rec
        never = np.zeros(rows, dtype=bool)
        return new, wait, never, never, elim

    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate trials in calendar time (see :class:`TITECRM`); scenario keywords ``late_share``, ``onset``.

        Examples
        --------
        >>> res = TITECRM([0.1, 0.2, 0.3], 0.2, n_cohorts=4).simulate([0.1, 0.2, 0.4], n_trials=100, seed=1)
        >>> res.n.shape, bool((res.duration > 0).all())
        ((100, 3), True)
        """
        levels, dlt, stopped, duration = self._calendar(true_tox, n_trials, rng, truth)
        k = self.n_doses
        n, y = _counts(levels, levels >= 0, k), _counts(levels, dlt, k)
        selected = self._crm._recommend(n, y)[2]
        return Trials(self.name, true_tox, selected, n, y, stopped, seed, duration=duration)
