"""CRM: the continual reassessment method (O'Quigley, Pepe & Fisher 1990), as the R package dfcrm runs it.

A one-parameter working model links each dose's "skeleton" value (a prior guess of its DLT probability) to
the DLT probability; the parameter :math:`\\beta` has a normal prior, is updated after every cohort, and the
next cohort receives the dose whose estimated DLT probability is closest to the target.

References
----------
O'Quigley J, Pepe M, Fisher L. Continual reassessment method: a practical design for phase 1 clinical trials in
cancer. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
Lee SM, Cheung YK. Model calibration in the continual reassessment method. Clin Trials. 2009;6(3):227-238.
doi:10.1177/1740774509105076
Cheung YK. Dose Finding by the Continual Reassessment Method. Chapman & Hall/CRC; 2011. doi:10.1201/b10783
Cheung YK. dfcrm: Dose-Finding by the Continual Reassessment Method. R package version 0.2-2.1 (functions
``getprior``, ``crm`` and ``crmsim``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit
from scipy.stats import binom

from .. import _validate
from ..i18n import check_lang, t
from .data import NO_DOSE, TrialData
from .decision import Decision
from .design import Design
from .interval import PLANS, _index, _unique_rows
from .results import OperatingCharacteristics, Trials

MODELS: tuple[str, ...] = ("empiric", "logistic")
"""Working models, named as in dfcrm: ``"empiric"`` (power) and ``"logistic"`` (one-parameter logistic)."""

_GRID_HALFWIDTH = 8.0    # grid covers +-8 prior standard deviations (prior mass beyond: 1e-15)
_GRID_STEP = 0.46        # grid step in beta, times 1 / sqrt(patients)
_MIN_STEP_PATIENTS = 15  # the step is that of at least 15 patients (fine enough for the likelihood's flank)
_MAX_PRIOR_VAR = 100.0   # keeps exp(beta) finite over the whole grid
_CHUNK = 4096            # rows of states evaluated at once on the grid (bounds memory)


def _grid_points(prior_var: float, max_patients: int) -> int:
    """Points of the posterior grid: fine enough for the narrowest posterior ``max_patients`` patients give.

    The grid spans +-8 prior standard deviations: the likelihood never fattens the prior's tails (it tends to 1
    as beta grows and to 0 as it falls when any patient is free of DLT), so the mass beyond is below 1e-15.  The
    posterior of beta narrows as 1/sqrt(n), and the trapezoidal rule's error falls as exp(-2 pi^2 sd^2 / h^2) in
    the ratio of the posterior's width to the step h (the logistic model's posterior is the narrower), whatever
    the prior, so the step is 0.46 / sqrt(patients) (40 sqrt(patients) points for the default prior).  With few
    patients the posterior is wide but still has the steep flank of the likelihood (a double exponential in
    beta), which that step under-resolves (errors up to 1e-7 at 2 to 6 patients), so the step is never wider
    than 0.46 / sqrt(15) = 0.119.  The posterior mean and variance then agree with adaptive quadrature to 1e-9
    for 0 to 48 patients, both models and prior variances 0.2 to 4 (tests/test_crm.py).  With many more
    patients and extreme data the +-8 prior standard deviations can cut the posterior's tail (the likelihood
    bound above holds relative to the posterior's normalising constant, which such data make tiny): 4e-8 in the
    mean at 120 patients with 90% DLTs and prior variance 0.2.
    """
    half = _GRID_HALFWIDTH * np.sqrt(prior_var)
    points = int(np.ceil(2 * half / _GRID_STEP * np.sqrt(max(max_patients, _MIN_STEP_PATIENTS))))
    return int(np.clip(points, 129, 20001)) | 1


def _check_prior_var(prior_var: float) -> float:
    return _validate.positive(prior_var, "prior_var", maximum=_MAX_PRIOR_VAR)


def _scaled_doses(skeleton: np.ndarray, model: str, intercept: float) -> np.ndarray:
    """dfcrm's scaled doses: ``log(s)`` for the empiric model (so p = exp(e^beta x)), ``logit(s) - a0`` for
    the logistic model (so p = expit(a0 + e^beta x)); both are negative."""
    if model == "empiric":
        return np.log(skeleton)
    x = logit(skeleton) - intercept
    if np.any(x >= 0):
        raise ValueError(f"the logistic model needs every skeleton value below expit(intercept) = "
                         f"{expit(intercept):.4f}; raise intercept (got {intercept}) or lower the skeleton")
    return x


def _dlt_probability(beta: np.ndarray, x: np.ndarray, model: str, intercept: float) -> np.ndarray:
    """DLT probability at each dose for each beta: shape ``beta.shape + (K,)``."""
    slope = np.exp(np.asarray(beta, dtype=float))[..., None] * x
    return np.exp(slope) if model == "empiric" else expit(intercept + slope)


def crm_skeleton(halfwidth: float, target: float, nu: int, n_doses: int, model: str = "empiric",
                 intercept: float = 3.0) -> np.ndarray:
    """Skeleton by the indifference-interval method of Lee & Cheung (2009), dfcrm's ``getprior``.

    Parameters
    ----------
    halfwidth : float
        Half-width :math:`\\delta` of the indifference interval :math:`[\\phi - \\delta, \\phi + \\delta]`.
    target : float
        Target DLT probability :math:`\\phi`.
    nu : int
        Prior guess of the MTD (1..K); its skeleton value equals the target.
    n_doses : int
        Number of doses K.
    model : {"empiric", "logistic"}
        Working model.
    intercept : float
        Fixed intercept :math:`a_0` of the logistic model (dfcrm's ``intcpt``, default 3).

    Returns
    -------
    ndarray, shape (K,)
        Skeleton, increasing, dose 1 first.

    Raises
    ------
    ValueError
        If ``halfwidth`` is not in (0, min(target, 1 - target)), ``nu`` is not a dose, or (logistic model)
        ``target + halfwidth`` is not below ``expit(intercept)``.

    Notes
    -----
    The skeleton is chosen so that, at the value of :math:`\\beta` where the recommendation switches between
    doses k - 1 and k, dose k - 1 has DLT probability :math:`\\phi - \\delta` and dose k has
    :math:`\\phi + \\delta`.  Solving these equations from :math:`s_\\nu = \\phi` outwards gives, for the
    empiric model :math:`p = s^{\\exp\\beta}`,

    .. math::

        s_k = \\phi^{\\,r^{\\nu - k}}, \\qquad r = \\frac{\\log(\\phi - \\delta)}{\\log(\\phi + \\delta)},

    and for the logistic model :math:`p = \\operatorname{expit}(a_0 + e^{\\beta} x)`,
    :math:`x_k = (\\operatorname{logit}\\phi - a_0)\\, q^{\\nu - k}` with
    :math:`q = \\{\\operatorname{logit}(\\phi - \\delta) - a_0\\} / \\{\\operatorname{logit}(\\phi + \\delta) - a_0\\}`
    and :math:`s_k = \\operatorname{expit}(a_0 + x_k)`; these are the recursions of dfcrm's ``getprior`` in
    closed form.

    References
    ----------
    Lee SM, Cheung YK. Model calibration in the continual reassessment method. Clin Trials. 2009;6(3):227-238.
    doi:10.1177/1740774509105076

    Examples
    --------
    dfcrm's ``getprior(0.05, 0.25, 3, 5)``:

    >>> crm_skeleton(0.05, 0.25, nu=3, n_doses=5).round(8).tolist()
    [0.08397349, 0.15674102, 0.25, 0.35450043, 0.46034311]
    """
    phi = _validate.probability(target, "target")
    k = _validate.positive_int(n_doses, "n_doses", maximum=_validate.MAX_DOSES)
    nu = _validate.dose(nu, k, "nu")
    _validate.one_of(model, "model", MODELS)
    delta = _validate.number(halfwidth, "halfwidth", minimum=0.0, strict_minimum=True,
                             maximum=min(phi, 1 - phi), strict_maximum=True)
    a0 = _validate.number(intercept, "intercept", minimum=-20.0, maximum=20.0)  # checked even where unused
    power = nu - np.arange(1, k + 1)
    if model == "empiric":
        r = np.log(phi - delta) / np.log(phi + delta)
        return phi ** (r ** power)
    hi = logit(phi + delta) - a0
    if hi >= 0:
        raise ValueError(f"target + halfwidth = {phi + delta:g} must lie below expit(intercept) = "
                         f"{expit(a0):.4f}; raise intercept (got {intercept})")
    q = (logit(phi - delta) - a0) / hi
    return expit(a0 + (logit(phi) - a0) * q ** power)


class _PosteriorGrid:
    """Posterior of beta on a fixed grid for one working model, vectorised over many data sets.

    The posterior density is evaluated at equally spaced points over +-8 prior standard deviations
    (:func:`_grid_points`: more points for trials that can treat more patients) and integrated by the
    trapezoidal rule, which converges geometrically for a smooth density that vanishes at both ends; the tests
    check it against adaptive quadrature (``scipy.integrate.quad``).  The log-likelihood of many data sets is
    one matrix product of their counts with the log-probabilities on the grid.
    """

    def __init__(self, skeleton: np.ndarray, model: str, prior_var: float, intercept: float,
                 max_patients: int) -> None:
        self.model, self.intercept = model, intercept
        self.x = _scaled_doses(skeleton, model, intercept)
        half = _GRID_HALFWIDTH * np.sqrt(prior_var)
        self.beta = np.linspace(-half, half, _grid_points(prior_var, max_patients))
        slope = np.exp(self.beta)[None, :] * self.x[:, None]  # (K, G), negative
        if model == "empiric":
            self.log_p = slope
            self.log_q = np.log(-np.expm1(slope))
        else:
            eta = intercept + slope
            self.log_p = -np.logaddexp(0.0, -eta)
            self.log_q = -np.logaddexp(0.0, eta)
        self.log_prior = -self.beta ** 2 / (2 * prior_var)
        self._log_pq = np.vstack([self.log_p, self.log_q])            # (2K, G)
        self._moments = np.column_stack([np.ones_like(self.beta), self.beta])

    def _unnormalised(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Posterior density on the grid up to a constant per row (rows scaled to a maximum of 1)."""
        loglik = np.concatenate([y, n - y], axis=1).astype(float) @ self._log_pq + self.log_prior
        return np.exp(loglik - loglik.max(axis=1, keepdims=True))

    def weights(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Normalised posterior weights on the grid, shape (rows, G), for counts ``n``, ``y`` of shape (rows, K)."""
        w = self._unnormalised(n, y)
        return w / w.sum(axis=1, keepdims=True)

    def moments(self, n: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and variance of beta for each row of counts."""
        w = self.weights(n, y)
        mean = (w * self.beta).sum(axis=1)
        var = (w * (self.beta - mean[:, None]) ** 2).sum(axis=1)
        return mean, var

    def mean(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Posterior mean of beta for many data sets, computing each distinct data set once."""
        states = np.concatenate([n, y], axis=1)
        first, inverse = _unique_rows(states)
        uniq = states[first]
        k = self.x.size
        out = np.empty(uniq.shape[0])
        for start in range(0, uniq.shape[0], _CHUNK):
            rows = uniq[start:start + _CHUNK]
            sums = self._unnormalised(rows[:, :k], rows[:, k:]) @ self._moments
            out[start:start + _CHUNK] = sums[:, 1] / sums[:, 0]
        return out[inverse]

    def ptox(self, beta: np.ndarray) -> np.ndarray:
        """Plug-in DLT probability per dose at ``beta`` (shape ``beta.shape + (K,)``), as dfcrm's ``ptox``."""
        return _dlt_probability(beta, self.x, self.model, self.intercept)


def _closest(ptox: np.ndarray, target: float) -> np.ndarray:
    """Dose (1..K) whose estimate is closest to the target; the lower dose on an exact tie (as dfcrm)."""
    return np.argmin(np.abs(ptox - target), axis=-1) + 1


@dataclass(frozen=True)
class CRMPosterior:
    """The CRM's posterior after the data so far.

    Parameters
    ----------
    beta_mean, beta_var : float
        Posterior mean and variance of :math:`\\beta`.
    ptox : ndarray
        Estimated DLT probability per dose (dose 1 first): the working model at the posterior mean of beta,
        as dfcrm's ``crm`` reports ``ptox``.
    recommended : int
        Dose (1..K) whose estimate is closest to the target.
    """

    beta_mean: float
    beta_var: float
    ptox: np.ndarray
    recommended: int

    def __post_init__(self) -> None:
        _validate.number(self.beta_mean, "beta_mean")
        _validate.positive(self.beta_var, "beta_var", allow_zero=True)
        ptox = _validate.probabilities(self.ptox, "ptox", open_interval=False)
        _validate.dose(self.recommended, ptox.size, "recommended")


def crm_posterior(skeleton, target: float, levels, tox, model: str = "empiric", prior_var: float = 1.34,
                  intercept: float = 3.0) -> CRMPosterior:
    """Posterior of the CRM's parameter and the recommended dose, as dfcrm's ``crm`` (method "bayes").

    Parameters
    ----------
    skeleton : sequence of float
        Prior guesses of the DLT probability per dose, strictly increasing, in (0, 1).
    target : float
        Target DLT probability.
    levels : sequence of int
        Dose (1..K) each patient received.
    tox : sequence of int
        Each patient's outcome: 1 for a DLT, 0 otherwise.
    model : {"empiric", "logistic"}
        Working model.
    prior_var : float
        Variance of the normal prior of beta (dfcrm: ``scale**2``, default 1.34), in (0, 100].
    intercept : float
        Fixed intercept :math:`a_0` of the logistic model (default 3).

    Returns
    -------
    CRMPosterior

    Raises
    ------
    ValueError
        On a skeleton that is not strictly increasing, a dose outside 1..K, an outcome other than 0/1, or
        ``levels`` and ``tox`` of different lengths.

    Notes
    -----
    With :math:`n_k` patients and :math:`y_k` DLTs at dose k, the posterior of :math:`\\beta \\sim N(0, \\sigma^2)` is

    .. math::

        \\pi(\\beta \\mid D) \\propto e^{-\\beta^2 / (2\\sigma^2)} \\prod_k p_k(\\beta)^{y_k}
        \\{1 - p_k(\\beta)\\}^{n_k - y_k},

    with :math:`p_k(\\beta) = s_k^{\\exp\\beta}` (empiric) or
    :math:`p_k(\\beta) = \\operatorname{expit}\\{a_0 + e^{\\beta}(\\operatorname{logit} s_k - a_0)\\}` (logistic).
    Its mean and variance are computed by the trapezoidal rule on a grid over :math:`\\pm 8\\sigma`
    (agreeing with adaptive quadrature to better than 1e-9); the estimate of :math:`p_k` plugs in the posterior
    mean, and the recommended dose minimises :math:`|\\hat p_k - \\phi|`.

    References
    ----------
    O'Quigley J, Pepe M, Fisher L. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
    Cheung YK. Dose Finding by the Continual Reassessment Method. Chapman & Hall/CRC; 2011. doi:10.1201/b10783

    Examples
    --------
    The example of dfcrm's ``crm`` help page:

    >>> post = crm_posterior([0.05, 0.10, 0.20, 0.35, 0.50, 0.70], 0.2,
    ...                      levels=[3, 4, 4, 3, 3, 4, 3, 2, 2, 2], tox=[0, 0, 1, 0, 0, 1, 1, 0, 0, 0])
    >>> round(post.beta_mean, 4), post.recommended
    (-0.2122, 2)
    >>> post.ptox.round(3).tolist()
    [0.089, 0.155, 0.272, 0.428, 0.571, 0.749]
    """
    s = _validate.probabilities(skeleton, "skeleton", increasing=True)
    phi = _validate.probability(target, "target")
    _validate.one_of(model, "model", MODELS)
    lv = _validate.whole_array(levels, "levels", ndim=1)
    if lv.size > _validate.MAX_PATIENTS:
        raise ValueError(f"levels may hold at most {_validate.MAX_PATIENTS:,} patients; got {lv.size:,}")
    grid = _PosteriorGrid(s, model, _check_prior_var(prior_var),
                          _validate.number(intercept, "intercept", minimum=-20.0, maximum=20.0), lv.size)
    tx = _validate.whole_array(tox, "tox", ndim=1)
    if lv.size != tx.size:
        raise ValueError(f"levels and tox must have equal length; got {lv.size} levels and {tx.size} outcomes")
    if lv.size and (lv.min() < 1 or lv.max() > s.size):
        raise ValueError(f"levels must be dose numbers 1..{s.size} (doses are numbered from 1); "
                         f"got {lv.tolist()}")
    if tx.size and not np.isin(tx, (0, 1)).all():
        raise ValueError(f"tox must hold 0 (no DLT) or 1 (DLT) per patient; got {tx.tolist()}")
    n = np.bincount(lv.astype(np.int64), minlength=s.size + 1)[1:]
    y = np.bincount(lv.astype(np.int64), weights=tx, minlength=s.size + 1)[1:].astype(np.int64)
    mean, var = grid.moments(n[None, :], y[None, :])
    ptox = grid.ptox(mean[0])
    return CRMPosterior(beta_mean=float(mean[0]), beta_var=float(var[0]), ptox=ptox,
                        recommended=int(_closest(ptox, phi)))


class CRM(Design):
    """The continual reassessment method, run as dfcrm's ``crmsim`` (one stage, Bayesian posterior mean).

    Parameters
    ----------
    skeleton : sequence of float
        Prior guesses of the DLT probability per dose, strictly increasing; its length sets K (see
        :func:`crm_skeleton` for a calibrated choice).
    target : float
        Target DLT probability.
    cohort_size, n_cohorts : int
        Patients per cohort (dfcrm's ``mcohort``; 1 in dfcrm's default, 3 here like the other designs) and
        number of cohorts; the trial always enrols ``cohort_size * n_cohorts`` patients.
    start_dose : int
        Dose (1..K) of the first cohort.
    model : {"empiric", "logistic"}
        Working model.
    prior_var : float
        Variance of the normal prior of beta (default 1.34), in (0, 100].
    intercept : float
        Fixed intercept of the logistic model (default 3).
    no_skip : bool
        Escalate at most one dose level at a time (dfcrm ``restrict=TRUE``).
    coherence : bool
        Never escalate right after a cohort whose observed DLT rate is at or above the target (dfcrm
        ``restrict=TRUE``; Cheung 2005).

    Raises
    ------
    ValueError, TypeError
        On a skeleton that is not strictly increasing or any argument outside its range.

    Notes
    -----
    After each cohort the posterior mean :math:`\\hat\\beta` is computed from all data
    (:func:`crm_posterior`) and the model's recommendation is the dose whose :math:`p_k(\\hat\\beta)` is closest
    to the target.  The next cohort receives that dose, capped at one level above the current dose (no
    skipping) and at the current dose after a cohort with observed DLT rate :math:`\\ge` target (coherence).
    There is no early stopping, as in ``crmsim``: every trial enrols the full sample, and the MTD is the final
    unrestricted recommendation.  :meth:`next_dose` applies the coherence rule when the data know the last
    cohort's result (``TrialData.last_cohort``, set by outcome strings and :meth:`TrialData.add`).

    :meth:`exact` enumerates every outcome path cohort by cohort and merges paths that reach the same state
    (patients and DLTs per dose, and the dose of the next cohort), so its operating characteristics carry no
    Monte Carlo error.

    References
    ----------
    O'Quigley J, Pepe M, Fisher L. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
    Cheung YK. Coherence principles in dose-finding studies. Biometrika. 2005;92(4):863-873.
    doi:10.1093/biomet/92.4.863
    Cheung YK. Dose Finding by the Continual Reassessment Method. Chapman & Hall/CRC; 2011. doi:10.1201/b10783

    Examples
    --------
    >>> design = CRM([0.05, 0.12, 0.25, 0.40, 0.55], target=0.25, cohort_size=3, n_cohorts=10)
    >>> decision = design.next_dose("1NNN")
    >>> decision.action, decision.dose
    ('escalate', 2)
    """

    name = "CRM"
    has_exact = True
    protocol_reference = "protocol_ref_crm"

    def __init__(self, skeleton, target: float, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, model: str = "empiric", prior_var: float = 1.34, intercept: float = 3.0,
                 no_skip: bool = True, coherence: bool = True) -> None:
        skeleton = _validate.probabilities(skeleton, "skeleton", increasing=True)
        super().__init__(skeleton.size, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        skeleton.setflags(write=False)
        self.skeleton = skeleton
        self.target = _validate.probability(target, "target")
        self.model = _validate.one_of(model, "model", MODELS)
        self.prior_var = _check_prior_var(prior_var)
        self.intercept = _validate.number(intercept, "intercept", minimum=-20.0, maximum=20.0)
        self.no_skip = _validate.boolean(no_skip, "no_skip")
        self.coherence = _validate.boolean(coherence, "coherence")
        self._grid = _PosteriorGrid(self.skeleton, self.model, self.prior_var, self.intercept, self.max_n)

    def _recommend(self, n: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior mean of beta, estimated DLT rates and unrestricted recommendation for rows of counts."""
        beta = self._grid.mean(n, y)
        ptox = self._grid.ptox(beta)
        return beta, ptox, _closest(ptox, self.target)

    def _restrict(self, recommended: np.ndarray, current: np.ndarray, hot: np.ndarray) -> np.ndarray:
        """Apply no-skipping and coherence to the model's recommendation (``hot``: last cohort rate >= target)."""
        cap = current + 1 if self.no_skip else np.full_like(current, self.n_doses)
        if self.coherence:
            cap = np.where(hot, np.minimum(cap, current), cap)
        return np.minimum(recommended, cap)

    def _select(self, data: TrialData) -> int:
        """The MTD at the end of the trial: the unrestricted recommendation from all data (dfcrm ``crmsim``);
        NO_DOSE before any patient is treated (the prior alone selects nothing)."""
        if data.total == 0:
            return NO_DOSE
        return int(self._recommend(data.n[None, :], data.y[None, :])[2][0])

    def _next_dose(self, data: TrialData) -> Decision:
        """The dose for the next cohort (see the class notes for the rule)."""
        current = data.current
        hot = False
        size = dlts = None
        if data.last_cohort is not None:
            size, dlts = data.last_cohort
            hot = dlts / size >= self.target
        beta, ptox, rec = self._recommend(data.n[None, :], data.y[None, :])
        rec = int(rec[0])
        dose = int(self._restrict(np.array([rec]), np.array([current]), np.array([hot]))[0])
        key = "crm_model"
        if dose < rec:
            key = "crm_coherence" if (self.coherence and hot and dose == current) else "crm_no_skip"
        action = "escalate" if dose > current else "de-escalate" if dose < current else "stay"
        fields = {"beta": float(beta[0]), "rec": rec, "prec": float(ptox[0, rec - 1]), "target": self.target,
                  "dose": dose, "dlts": dlts, "size": size}
        return Decision(action, dose, key, fields)

    def describe(self, lang: str = "en") -> str:
        """The design in protocol language: model, prior, dose-assignment rule, restrictions and MTD.

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
        """The model and dose-assignment texts of :meth:`describe`, then stopping (none) and MTD selection."""
        formula = "p_k = s_k^exp(beta)" if self.model == "empiric" else (
            f"p_k = expit({self.intercept:g} + exp(beta) * (logit(s_k) - {self.intercept:g}))")
        rule = [t("crm_describe", lang, model=t(f"crm_model_{self.model}", lang), formula=formula,
                  skeleton=", ".join(f"{s:.3f}" for s in self.skeleton), prior_var=f"{self.prior_var:g}",
                  target=f"{self.target:g}", n_cohorts=self.n_cohorts, cohort_size=self.cohort_size,
                  max_n=self.max_n, start=self.start_dose)]
        if self.no_skip:
            rule.append(t("crm_describe_no_skip", lang))
        if self.coherence:
            rule.append(t("crm_describe_coherence", lang, target=f"{self.target:g}"))
        return {"rule": rule,
                "stopping": [t("protocol_crm_stopping", lang, max_n=self.max_n, n_cohorts=self.n_cohorts,
                               cohort_size=self.cohort_size)],
                "selection": [t("protocol_crm_selection", lang, target=f"{self.target:g}")]}

    def _trials(self, true_tox: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run trials on given uniforms ``u`` of shape (n_trials, n_cohorts, cohort_size): patient j of cohort m
        in trial i has a DLT when ``u[i, m, j] < true_tox[dose - 1]``.  Returns selected dose, n and y."""
        n_trials = u.shape[0]
        rows = np.arange(n_trials)
        n = np.zeros((n_trials, self.n_doses), dtype=np.int64)
        y = np.zeros_like(n)
        dose = np.full(n_trials, self.start_dose)
        for m in range(self.n_cohorts):
            dlts = (u[:, m, :] < true_tox[dose - 1][:, None]).sum(axis=1)
            n[rows, dose - 1] += self.cohort_size
            y[rows, dose - 1] += dlts
            rec = self._recommend(n, y)[2]
            dose = self._restrict(rec, dose, dlts / self.cohort_size >= self.target)
        return rec, n, y

    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        u = rng.random((n_trials, self.n_cohorts, self.cohort_size))
        selected, n, y = self._trials(true_tox, u)
        return Trials(self.name, true_tox, selected, n, y, np.zeros(n_trials, dtype=bool), seed)

    def _exact(self, true_tox: np.ndarray, **truth) -> OperatingCharacteristics:
        """Exact operating characteristics by enumerating every outcome path with merged states.

        States are merged when they share the next dose and the counts per dose.  Each state carries its
        unnormalised posterior density on the grid, and a cohort multiplies it by the likelihood factor
        ``p_d^y q_d^(c - y)`` of its outcome (one multiplication per grid point, no exponential), so the
        posterior of every state costs a product instead of a new likelihood; the tests check the result against
        the posterior computed from the counts afresh.  The posterior means of all the outcomes of the next cohort
        come from one matrix product per dose (:meth:`_child_means`).

        The tree of states depends on the true DLT probabilities only through paths of probability 0, so it is
        stored once per design (:data:`dosecourse.escalation.interval.PLANS`) and another scenario multiplies and
        sums the path probabilities over it, in the same order (the same numbers to the last bit); a scenario with
        a path of probability 0 is enumerated afresh.

        Examples
        --------
        >>> design = CRM(crm_skeleton(0.05, 0.3, 3, 5), 0.3)
        >>> oc = design.exact([0.05, 0.12, 0.30, 0.45, 0.60])
        >>> oc.exact, round(float(oc.selection.sum()), 12), round(oc.total_n, 9)
        (True, 1.0, 30.0)
        """
        k, c, grid = self.n_doses, self.cohort_size, self._grid
        outcomes = np.arange(c + 1)
        pmf = binom.pmf(outcomes[None, :], c, true_tox[:, None])
        plan = PLANS.get(self)
        if plan is not None:
            replayed = _replay(plan, pmf)
            if replayed is not None:
                prob, (n, y, selected, widest) = replayed
                return self._oc(true_tox, prob, n, y, selected, widest)
        hot_after = outcomes / c >= self.target
        # likelihood factor of y DLTs in a cohort of c at dose d, on the grid: shape (K, c + 1, G)
        factor = np.exp(outcomes[None, :, None] * grid.log_p[:, None, :]
                        + (c - outcomes)[None, :, None] * grid.log_q[:, None, :])
        # the same factor times the grid's moments (1, beta), per dose: shape (K, G, 2 (c + 1))
        weighted = (factor[:, :, :, None] * grid._moments[None, None, :, :]).transpose(0, 2, 1, 3).reshape(
            k, grid.beta.size, 2 * (c + 1))
        counts = np.zeros((1, 2 * k), dtype=np.int64)           # patients per dose, then DLTs per dose
        density = np.exp(grid.log_prior - grid.log_prior.max())[None, :]
        dose = np.array([self.start_dose])
        prob = np.array([1.0])
        widest = 1
        steps, complete = [], True
        for cohort in range(self.n_cohorts):
            parent = np.repeat(np.arange(prob.size), c + 1)
            dlts = np.tile(outcomes, prob.size)
            d = dose[parent]
            p = prob[parent] * pmf[d - 1, dlts]
            keep = p > 0
            complete = complete and bool(keep.all())
            parent, dlts, d, p = parent[keep], dlts[keep], d[keep], p[keep]
            grown = counts[parent]
            rows = np.arange(parent.size)
            grown[rows, d - 1] += c
            grown[rows, k + d - 1] += dlts
            beta = self._child_means(density, dose, weighted, factor, parent, d, dlts)
            rec = _closest(grid.ptox(beta), self.target)
            if cohort == self.n_cohorts - 1:
                first, inverse = _unique_rows(np.column_stack([rec, grown]))
                prob = np.bincount(inverse, weights=p, minlength=first.size)
                counts, selected = grown[first], rec[first]
                steps.append((_index(parent), _index(d), _index(dlts), _index(inverse), first.size))
                break
            nxt = self._restrict(rec, d, hot_after[dlts])
            first, inverse = _unique_rows(np.column_stack([nxt, grown]))
            prob = np.bincount(inverse, weights=p, minlength=first.size)
            steps.append((_index(parent), _index(d), _index(dlts), _index(inverse), first.size))
            dose, counts = nxt[first], grown[first]
            density = density[parent[first]] * factor[d[first] - 1, dlts[first]]
            density /= density.max(axis=1, keepdims=True)     # rescaled: no underflow however long the trial
            widest = max(widest, prob.size)
        n, y = counts[:, :k], counts[:, k:]
        if complete:  # every path has a positive probability: the tree serves every other scenario
            PLANS.put(self, (steps, (n, y, selected, widest)))
        return self._oc(true_tox, prob, n, y, selected, widest)

    def _child_means(self, density: np.ndarray, dose: np.ndarray, weighted: np.ndarray, factor: np.ndarray,
                     parent: np.ndarray, d: np.ndarray, dlts: np.ndarray) -> np.ndarray:
        """Posterior mean of beta after one more cohort, for every child (``parent``, dose ``d``, ``dlts``) of the
        states with unnormalised densities ``density`` and doses ``dose``.

        One matrix product per dose gives the two integrals of every outcome of every state.  The model's
        recommendation is all the enumeration uses of the mean, so where two doses are within 1e-9 of the
        closest to the target (a tie that the last bits of the sums could decide) the mean is computed again as
        the integral of the child's own density (the product ``density * factor`` summed on the grid).
        """
        c1 = factor.shape[1]
        sums = np.empty((dose.size, c1, 2))
        for level in np.unique(dose):
            at = dose == level
            sums[at] = (density[at] @ weighted[level - 1]).reshape(-1, c1, 2)
        child = sums[parent, dlts]
        beta = child[:, 1] / child[:, 0]
        distance = np.sort(np.abs(self._grid.ptox(beta) - self.target), axis=1)
        close = np.flatnonzero(distance[:, 1] - distance[:, 0] <= 1e-9)
        for lo in range(0, close.size, _CHUNK):
            part = close[lo:lo + _CHUNK]
            exact = (density[parent[part]] * factor[d[part] - 1, dlts[part]]) @ self._grid._moments
            beta[part] = exact[:, 1] / exact[:, 0]
        return beta

    def _oc(self, true_tox: np.ndarray, prob: np.ndarray, n: np.ndarray, y: np.ndarray, selected: np.ndarray,
            widest: int) -> OperatingCharacteristics:
        k = self.n_doses
        selection = np.array([prob[selected == j].sum() for j in range(1, k + 1)])
        return OperatingCharacteristics(
            design=self.name, true_tox=true_tox, selection=selection, no_selection=0.0, patients=prob @ n,
            dlts=prob @ y, total_n=float(prob @ n.sum(axis=1)), stopped=0.0, n_states=max(widest, prob.size))


def _replay(plan: tuple, pmf: np.ndarray) -> tuple[np.ndarray, tuple] | None:
    """The probabilities of the final states of a stored CRM outcome tree under the binomial probabilities
    ``pmf`` (dose, DLTs), in the order and with the sums of :meth:`CRM._exact`; None if a path has probability
    0 (the enumeration then drops it, and the tree differs)."""
    steps, final = plan
    prob = np.array([1.0])
    for parent, d, dlts, inverse, count in steps:
        p = prob[parent] * pmf[d - 1, dlts]
        if not (p > 0).all():
            return None
        prob = np.bincount(inverse, weights=p, minlength=count)
    return prob, final
