"""BLRM: the Bayesian logistic regression model with escalation with overdose control (EWOC).

The DLT probability at dose :math:`d` follows the two-parameter logistic model of Neuenschwander, Branson &
Gsponer (2008),

.. math::

    \\operatorname{logit} p(d) = \\log\\alpha + \\beta \\log(d / d_{ref}), \\qquad \\beta > 0,

with a bivariate normal prior on :math:`(\\log\\alpha, \\log\\beta)`.  After each cohort the posterior gives,
for every dose, the probabilities that its DLT rate lies in the underdosing interval :math:`[0, 0.16)`, the
target interval :math:`[0.16, 0.33)` and the overdosing interval :math:`[0.33, 1]`.  Escalation with overdose
control (Babb, Rogatko & Zacks 1998, in the interval form of Neuenschwander et al. 2008) admits only doses whose
posterior probability of overdosing is at most 0.25; among them the next cohort receives the dose most likely
to lie in the target interval, never skipping an untried dose.

The posterior is computed by quadrature on a fixed set of nodes over :math:`(\\log\\alpha, \\log\\beta)`
(:class:`_Nodes`), the same for every data set, so that the posterior of thousands of data sets is one matrix
product of their counts with the nodes' log-probabilities, as :mod:`dosecourse.escalation.crm` does in one
dimension.

References
----------
Neuenschwander B, Branson M, Gsponer T. Critical aspects of the Bayesian approach to phase I cancer trials.
Stat Med. 2008;27(13):2420-2439. doi:10.1002/sim.3230
Babb J, Rogatko A, Zacks S. Cancer phase I clinical trials: efficient dose escalation with overdose control.
Stat Med. 1998;17(10):1103-1120. doi:10.1002/(SICI)1097-0258(19980530)17:10<1103::AID-SIM793>3.0.CO;2-9
Neuenschwander B, Matano A, Tang Z, Roychoudhury S, Wandel S, Bailey S. A Bayesian industry approach to phase I
combination trials in oncology. In: Zhao W, Yang H, eds. Statistical Methods in Drug Combination Studies.
Chapman & Hall/CRC; 2015:95-135.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.polynomial.legendre import leggauss
from scipy.special import expit, log_expit, logit

from .. import _validate
from ..i18n import check_lang, t
from .data import NO_DOSE, TrialData, _as_data
from .decision import Decision
from .design import Design
from .interval import _unique_rows
from .results import Trials

PRIOR_MEAN = (-1.0986122886681098, 0.0)
"""Default prior means of (log alpha, log beta): logit(0.25) and 0, a prior median DLT rate of 0.25 at the
reference dose and a prior median slope of 1."""

INTERVAL = (0.16, 0.33)
"""Default bounds of the target interval of the DLT rate, as Neuenschwander et al. (2008): below 0.16 is
underdosing, 0.33 and above is overdosing."""

_HALF = 8.0              # nodes cover the prior's ellipse of Mahalanobis radius 8 (prior mass outside: 1e-14)
_STEP_B = 0.95           # step in log(beta): 0.95 / sqrt(patients), at most half a prior SD
_PANEL_A = 13.5          # width of a quadrature panel in log(alpha): 13.5 / sqrt(patients)
_GAUSS = 9               # Gauss-Legendre nodes per panel
_MIN_PATIENTS = 15       # resolution of at least 15 patients
_MAX_PATIENTS_GRID = 120  # resolution of at most 120 patients (the node count grows as the patients)
_CHUNK = 256             # data sets evaluated at once (bounds memory: _CHUNK x nodes floats)
_MAX_PRIOR_SD = 4.0


class _Nodes:
    """Quadrature nodes and weights for the BLRM posterior, the same for every data set.

    With :math:`a = \\log\\alpha`, :math:`b = \\log\\beta` and :math:`x_d = \\log(d / d_{ref})`, the dose's
    linear predictor is :math:`\\eta_d = a + e^b x_d`.  The outer integral over :math:`b` is the trapezoidal rule
    (geometric convergence for a smooth integrand vanishing at both ends).  For each :math:`b`, the inner
    integral over :math:`a` runs over the prior's ellipse and is split into panels whose edges include every
    point where some dose's :math:`\\eta_d` crosses an interval bound, :math:`a = \\operatorname{logit}(c) -
    e^b x_d`; each panel has 9 Gauss-Legendre nodes.  The interval indicators are then constant on every panel,
    so the interval probabilities are integrals of a smooth density over whole panels, with no error from the
    discontinuity of the indicator.  Step and panel width shrink as 1 / sqrt(patients) (the posterior's width).
    The resolution stops growing at 120 patients (the node count grows as the patients).  The tests check the
    result against nested adaptive quadrature (``scipy.integrate.dblquad``) and an R computation (nested
    ``integrate``), agreeing to 6e-8 or better (typically 1e-9), and against nodes of the 120-patient
    resolution on random data sets of up to 30 patients, including implausible ones (a DLT rate that falls
    with the dose): at most 1e-6 apart.
    """

    def __init__(self, x: np.ndarray, mean: tuple[float, float], sd: tuple[float, float], corr: float,
                 bounds: tuple[float, float], max_patients: int) -> None:
        (ma, mb), (sa, sb), r = mean, sd, corr
        patients = np.sqrt(min(max(max_patients, _MIN_PATIENTS), _MAX_PATIENTS_GRID))
        cond_sd = sa * np.sqrt(1 - r * r)                       # sd of a given b
        step_b = min(_STEP_B / patients, 0.5 * sb)
        panel = min(_PANEL_A / patients, 2.5 * cond_sd)
        count = int(np.ceil(2 * _HALF * sb / step_b)) | 1
        z = np.linspace(-_HALF, _HALF, count)
        weight_b = sb * (z[1] - z[0])
        cuts = logit(np.asarray(bounds))
        gx, gw = leggauss(_GAUSS)
        a_parts, b_parts, w_parts = [], [], []
        for zi in z:
            b = mb + sb * zi
            centre = ma + r * sa * zi
            half = cond_sd * np.sqrt(max(_HALF ** 2 - zi ** 2, 1.0))
            edges = np.linspace(centre - half, centre + half, int(np.ceil(2 * half / panel)) + 1)
            crossings = (cuts[:, None] - np.exp(b) * x[None, :]).ravel()
            crossings = crossings[(crossings > edges[0]) & (crossings < edges[-1])]
            edges = np.unique(np.concatenate([edges, crossings]))
            width, mid = np.diff(edges) / 2, (edges[1:] + edges[:-1]) / 2
            a_parts.append((mid[:, None] + width[:, None] * gx).ravel())
            w_parts.append((width[:, None] * gw).ravel() * weight_b)
            b_parts.append(np.full(a_parts[-1].size, b))
        a, b, w = np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(w_parts)
        za, zb = (a - ma) / sa, (b - mb) / sb
        self.log_weight = np.log(w) - (za * za - 2 * r * za * zb + zb * zb) / (2 * (1 - r * r))
        eta = a[None, :] + np.exp(b)[None, :] * x[:, None]              # (K, M)
        self._log_pq = np.vstack([log_expit(eta), log_expit(-eta)])    # (2K, M)
        # columns: under per dose, over per dose, DLT probability per dose, 1 (normalising constant)
        self._columns = np.hstack([(eta < cuts[0]).T, (eta >= cuts[1]).T, expit(eta).T,
                                   np.ones((a.size, 1))]).astype(float)
        self.size = a.size
        self.k = x.size

    def summaries(self, n: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """Posterior ``P(under)``, ``P(target)``, ``P(over)`` and mean DLT probability per dose, each of shape
        (rows, K), for counts ``n``, ``y`` of shape (rows, K); each distinct data set is computed once."""
        k = self.k
        states = np.concatenate([y, n - y], axis=1)
        first, inverse = _unique_rows(states)
        uniq = states[first].astype(float)
        out = np.empty((uniq.shape[0], 3 * k))
        for lo in range(0, uniq.shape[0], _CHUNK):
            loglik = uniq[lo:lo + _CHUNK] @ self._log_pq
            loglik += self.log_weight
            loglik -= loglik.max(axis=1, keepdims=True)
            np.exp(loglik, out=loglik)
            sums = loglik @ self._columns
            out[lo:lo + _CHUNK] = sums[:, :-1] / sums[:, -1:]
        out = out[inverse]
        under, over, mean = out[:, :k], out[:, k:2 * k], out[:, 2 * k:]
        target = np.clip(1.0 - under - over, 0.0, 1.0)
        return under, target, over, mean


@dataclass(frozen=True)
class BLRMPosterior:
    """The BLRM's posterior after the data so far, per dose (dose 1 first).

    Parameters
    ----------
    doses : ndarray
        Dose values.
    under, target, over : ndarray
        Posterior probabilities that the dose's DLT rate lies below, in, and at or above the target interval.
    mean : ndarray
        Posterior mean DLT probability.
    admissible : ndarray of bool
        Whether the dose satisfies EWOC (``over <= ewoc``).
    interval : tuple of float
        The target interval's bounds.
    ewoc : float
        The overdose-control bound.
    """

    doses: np.ndarray
    under: np.ndarray
    target: np.ndarray
    over: np.ndarray
    mean: np.ndarray
    admissible: np.ndarray
    interval: tuple[float, float]
    ewoc: float

    def __post_init__(self) -> None:
        d = _validate.real_array(self.doses, "doses", minimum=0.0, strict_minimum=True, ndim=1, nonempty=True,
                                 increasing=True, max_size=_validate.MAX_DOSES)
        for label in ("under", "target", "over", "mean"):
            _validate.real_array(getattr(self, label), label, minimum=0.0, maximum=1.0, ndim=1, length=d.size)
        adm = np.asarray(self.admissible)
        if adm.dtype != bool or adm.shape != d.shape:
            _validate.boolean(self.admissible, f"admissible (one True/False per dose, {d.size})")
        _validate.probabilities(self.interval, "interval", length=2, increasing=True)
        _validate.probability(self.ewoc, "ewoc")

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """A table with one row per dose: dose value, the three interval probabilities, the posterior mean DLT
        probability and whether the dose satisfies EWOC.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Indexed by dose number 1..K.
        """
        lang = check_lang(lang)
        lo, hi = (f"{v:g}" for v in self.interval)
        columns = {t("blrm_col_dose", lang): self.doses, t("blrm_col_under", lang, lo=lo): self.under,
                   t("blrm_col_target", lang, lo=lo, hi=hi): self.target,
                   t("blrm_col_over", lang, hi=hi): self.over, t("blrm_col_mean", lang): self.mean,
                   t("blrm_col_ewoc", lang, ewoc=f"{self.ewoc:g}"): self.admissible}
        frame = pd.DataFrame(columns, index=pd.RangeIndex(1, self.doses.size + 1, name=t("dose", lang)))
        return frame


def _pair(value, name: str) -> tuple:
    """A pair of numbers given as a sequence of length 2."""
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1 or len(value) != 2:
        raise TypeError(f"{name} must be a pair of numbers; got {value!r}")
    return tuple(value)


class BLRM(Design):
    """Bayesian logistic regression model with escalation with overdose control (Neuenschwander et al. 2008).

    Parameters
    ----------
    doses : sequence of float
        The dose values (e.g. mg), positive and strictly increasing; their number sets K.
    cohort_size, n_cohorts : int
        Patients per cohort and maximum number of cohorts.
    start_dose : int
        Dose (1..K) of the first cohort.
    d_ref : float, optional
        Reference dose :math:`d_{ref}` of the model, positive; :math:`\\alpha` is the odds of a DLT at
        :math:`d_{ref}`.  Default: the middle dose level, ``doses[(K - 1) // 2]``, as a prior guess of the MTD.
    prior_mean : pair of float
        Prior means of :math:`(\\log\\alpha, \\log\\beta)`; default ``(logit(0.25), 0)``
        (:data:`PRIOR_MEAN`): a prior median DLT rate of 0.25 at :math:`d_{ref}` and a prior median slope of 1.
        Neuenschwander et al.'s (2008) example (as OncoBayes2 runs it) uses ``(0, 0)`` with ``prior_sd=(2, 1)``
        and :math:`d_{ref}` = 250 mg.
    prior_sd : pair of float
        Prior standard deviations of :math:`(\\log\\alpha, \\log\\beta)`, each in (0, 4]; default ``(1, 1)``.
        Much vaguer priors make EWOC stop trials after a single DLT at the lowest dose (the "critical aspect" of
        Neuenschwander et al. 2008: a vague prior is not a harmless one).
    prior_corr : float
        Prior correlation of :math:`\\log\\alpha` and :math:`\\log\\beta`, in (-1, 1) (so that the prior
        covariance is positive definite); default 0.
    interval : pair of float
        Bounds :math:`[c_1, c_2)` of the target interval of the DLT rate, ``0 < c1 < c2 < 1``; default
        ``(0.16, 0.33)``.
    ewoc : float
        Overdose control: a dose is admissible when its posterior probability of overdosing,
        :math:`\\Pr(p \\ge c_2 \\mid \\text{data})`, is at most ``ewoc`` (default 0.25), in (0, 1).
    max_step : int
        The next dose is at most ``max_step`` levels above the highest dose tried so far (default 1: no untried
        dose is skipped).
    max_increase : float, optional
        Also at most ``max_increase`` times the highest dose tried so far (e.g. 2 for "at most doubling"),
        > 1; default None (no such limit).
    select_untried : bool
        Whether the MTD may be a dose no patient received (default False: the MTD is chosen among tried doses).

    Raises
    ------
    ValueError, TypeError
        On doses that are not positive and strictly increasing, a prior SD outside (0, 4], a prior correlation
        outside (-1, 1) (covariance not positive definite), an interval not inside (0, 1) in increasing order,
        or any other argument outside its range; each message names the argument.

    Notes
    -----
    With :math:`n_d` patients and :math:`y_d` DLTs at dose :math:`d`, the posterior of
    :math:`\\theta = (\\log\\alpha, \\log\\beta) \\sim N_2(m, S)` is

    .. math::

        \\pi(\\theta \\mid D) \\propto N_2(\\theta; m, S) \\prod_d p_d(\\theta)^{y_d}\\{1 - p_d(\\theta)\\}^{n_d - y_d},
        \\qquad \\operatorname{logit} p_d(\\theta) = \\log\\alpha + e^{\\log\\beta} \\log(d / d_{ref}).

    After each cohort, for every dose, the posterior probabilities of underdosing :math:`\\Pr(p_d < c_1)`, of
    the target interval :math:`\\Pr(c_1 \\le p_d < c_2)` and of overdosing :math:`\\Pr(p_d \\ge c_2)` are computed
    (:meth:`posterior`).  The next cohort receives, among the doses that satisfy EWOC
    (:math:`\\Pr(p_d \\ge c_2) \\le` ``ewoc``; Babb et al. 1998) and the escalation limits (``max_step``,
    ``max_increase``), the dose with the largest probability of the target interval (the lower dose on an exact
    tie).  Because :math:`p_d` increases with the dose for every :math:`\\theta`, the probability of overdosing
    increases with the dose; when even dose 1 fails EWOC the trial stops with no MTD.  Otherwise the trial
    enrols all ``n_cohorts`` cohorts; the MTD is then the dose with the largest probability of the target
    interval among the doses that satisfy EWOC (and were tried, unless ``select_untried``).  The first cohort
    receives ``start_dose`` whatever the prior says; :meth:`posterior` on empty data shows the prior's
    probabilities.  There is no fixed decision table (the next dose depends on all the data): :meth:`pathways`
    lists the decisions a protocol pre-specifies.

    The posterior is computed by quadrature on fixed nodes (see :class:`_Nodes`), agreeing with adaptive
    quadrature to 1e-6 or better for trials of up to 30 patients (typically 1e-9).

    One more DLT at the highest dose tried, or at a dose at or above the next dose, never raised the next dose in
    the tests; one more DLT at a *lower* dose can: it flattens the fitted curve and may lower the probability of
    overdosing at the higher doses (a property of two-parameter models, not of this implementation).

    References
    ----------
    Neuenschwander B, Branson M, Gsponer T. Critical aspects of the Bayesian approach to phase I cancer trials.
    Stat Med. 2008;27(13):2420-2439. doi:10.1002/sim.3230
    Babb J, Rogatko A, Zacks S. Cancer phase I clinical trials: efficient dose escalation with overdose control.
    Stat Med. 1998;17(10):1103-1120. doi:10.1002/(SICI)1097-0258(19980530)17:10<1103::AID-SIM793>3.0.CO;2-9

    Examples
    --------
    >>> design = BLRM([1, 2, 4, 8, 16], cohort_size=3, n_cohorts=10)
    >>> decision = design.next_dose("1NNN")
    >>> decision.action, decision.dose
    ('escalate', 2)
    >>> design.next_dose("1NNN 2NTT").dose
    1

    Three DLTs in three patients at dose 2 leave even dose 1 with a posterior probability of overdosing of 0.30,
    above 0.25, so the trial stops:

    >>> design.next_dose("1NNN 2TTT").action
    'stop'
    """

    name = "BLRM"
    protocol_reference = "protocol_ref_blrm"

    def __init__(self, doses, *, cohort_size: int = 3, n_cohorts: int = 10, start_dose: int = 1,
                 d_ref: float | None = None, prior_mean=PRIOR_MEAN, prior_sd=(1.0, 1.0), prior_corr: float = 0.0,
                 interval=INTERVAL, ewoc: float = 0.25, max_step: int = 1, max_increase: float | None = None,
                 select_untried: bool = False) -> None:
        values = _validate.real_array(doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                      increasing=True, max_size=_validate.MAX_DOSES)
        super().__init__(values.size, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        values.setflags(write=False)
        self.doses = values
        self.d_ref = float(values[(values.size - 1) // 2]) if d_ref is None else _validate.positive(d_ref, "d_ref")
        mean = _pair(prior_mean, "prior_mean")
        self.prior_mean = (_validate.number(mean[0], "prior_mean[0] (log alpha)", minimum=-20.0, maximum=20.0),
                           _validate.number(mean[1], "prior_mean[1] (log beta)", minimum=-5.0, maximum=5.0))
        sd = _pair(prior_sd, "prior_sd")
        self.prior_sd = (_validate.positive(sd[0], "prior_sd[0] (log alpha)", maximum=_MAX_PRIOR_SD),
                         _validate.positive(sd[1], "prior_sd[1] (log beta)", maximum=_MAX_PRIOR_SD))
        corr = _validate.number(prior_corr, "prior_corr")
        if not -1 < corr < 1:
            raise ValueError(f"prior_corr must lie in (-1, 1) so that the prior covariance is positive definite; "
                             f"got {prior_corr!r}")
        self.prior_corr = _validate.number(corr, "prior_corr", minimum=-0.99, maximum=0.99)
        lo, hi = _pair(interval, "interval")
        lo = _validate.probability(lo, "interval[0] (lower bound)")
        hi = _validate.number(_validate.probability(hi, "interval[1] (upper bound)"), "interval[1] (upper bound)",
                              minimum=lo, strict_minimum=True)
        self.interval = (lo, hi)
        self.ewoc = _validate.probability(ewoc, "ewoc")
        self.max_step = _validate.integer(max_step, "max_step", minimum=1, maximum=self.n_doses)
        self.max_increase = (None if max_increase is None else
                             _validate.number(max_increase, "max_increase", minimum=1.0, strict_minimum=True))
        self.select_untried = _validate.boolean(select_untried, "select_untried")
        x = np.log(values / self.d_ref)
        x.setflags(write=False)
        self._x = x

    @cached_property
    def _nodes(self) -> _Nodes:
        return _Nodes(self._x, self.prior_mean, self.prior_sd, self.prior_corr, self.interval, self.max_n)

    # ------------------------------------------------------------------------------------ the rule, vectorised
    def _limit(self, n: np.ndarray) -> np.ndarray:
        """Highest dose (1..K) the next cohort may receive, per row of counts (the escalation limits)."""
        k = self.n_doses
        tried = np.where((n > 0).any(axis=1), k - np.argmax((n > 0)[:, ::-1], axis=1), self.start_dose)
        cap = np.minimum(tried + self.max_step, k)
        if self.max_increase is not None:
            reach = self.max_increase * self.doses[tried - 1] * (1 + 1e-12)
            cap = np.minimum(cap, np.maximum(np.searchsorted(self.doses, reach, side="right"), tried))
        return cap

    def _rule(self, n: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """The decision for rows of counts: next dose (0 to stop), best EWOC dose ignoring the escalation limits
        (0 if none), MTD (0 if none), and the posterior summaries."""
        under, target, over, mean = self._nodes.summaries(n, y)
        index = np.arange(1, self.n_doses + 1)
        ok = over <= self.ewoc

        def best(mask: np.ndarray) -> np.ndarray:
            score = np.where(mask, target, -1.0)
            return np.where(mask.any(axis=1), np.argmax(score, axis=1) + 1, NO_DOSE)

        nxt = best(ok & (index <= self._limit(n)[:, None]))
        mtd = best(ok if self.select_untried else ok & (n > 0))
        return nxt, best(ok), mtd, (under, target, over, mean)

    # ------------------------------------------------------------------------------------ conduct
    def posterior(self, data: TrialData | str) -> BLRMPosterior:
        """The posterior interval probabilities per dose after ``data`` (the prior's, for empty data).

        Parameters
        ----------
        data : TrialData or str
            The trial's data, or an outcome string such as ``"1NNN 2NTN"``.

        Returns
        -------
        BLRMPosterior

        Examples
        --------
        >>> post = BLRM([1, 2, 4, 8, 16]).posterior("1NNN 2NNN 3NTN")
        >>> post.target.round(3).tolist()
        [0.065, 0.171, 0.469, 0.227, 0.13]
        >>> post.over.round(3).tolist()
        [0.004, 0.016, 0.233, 0.69, 0.83]
        >>> post.admissible.tolist()
        [True, True, True, False, False]
        """
        data = _as_data(data, self.n_doses)
        under, target, over, mean = self._nodes.summaries(data.n[None, :], data.y[None, :])
        arrays = [a[0].copy() for a in (under, target, over, mean)] + [over[0] <= self.ewoc]
        for a in arrays:
            a.setflags(write=False)
        return BLRMPosterior(self.doses, *arrays, interval=self.interval, ewoc=self.ewoc)

    def _next_dose(self, data: TrialData) -> Decision:
        """The dose for the next cohort (see the class notes for the rule)."""
        current = data.current
        nxt, best, _, (under, target, over, mean) = self._rule(data.n[None, :], data.y[None, :])
        dose, best = int(nxt[0]), int(best[0])
        lo, hi = self.interval
        if dose == NO_DOSE:
            return Decision("stop", NO_DOSE, "blrm_stop", dict(pover=float(over[0, 0]), ewoc=self.ewoc, hi=hi),
                            eliminated=1)
        fields = dict(dose=dose, best=best, ptarget=float(target[0, dose - 1]), pover=float(over[0, dose - 1]),
                      pbest=float(target[0, best - 1]), lo=lo, hi=hi, ewoc=self.ewoc, limit=int(self._limit(
                          data.n[None, :])[0]))
        key = "blrm_ewoc" if dose == best else "blrm_limit"
        action = "escalate" if dose > current else "de-escalate" if dose < current else "stay"
        return Decision(action, dose, key, fields)

    def _select(self, data: TrialData) -> int:
        """The MTD: the dose most likely in the target interval among the EWOC doses (tried ones unless
        ``select_untried``); NO_DOSE before any patient is treated or when no dose satisfies EWOC."""
        if data.total == 0:
            return NO_DOSE
        return int(self._rule(data.n[None, :], data.y[None, :])[2][0])

    # ------------------------------------------------------------------------------------ planning
    def describe(self, lang: str = "en") -> str:
        """The design in protocol language: model, prior, intervals, EWOC rule, escalation limits, stopping and
        MTD selection.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str

        Examples
        --------
        >>> BLRM([1, 2, 4, 8, 16]).describe().split(" (Neuenschwander")[0]
        'Bayesian logistic regression model (BLRM) with escalation with overdose control (EWOC)'
        """
        lang = check_lang(lang)
        sections = self._protocol_sections(lang)
        parts = sections["rule"] + sections["stopping"] + sections["selection"]
        return ("" if lang == "zh-tw" else " ").join(parts)

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The texts of :meth:`describe` by section: model, prior and rule; stopping; MTD selection."""
        lo, hi = (f"{v:g}" for v in self.interval)
        (ma, mb), (sa, sb) = self.prior_mean, self.prior_sd
        rule = [t("blrm_describe_model", lang, k=self.n_doses, doses=", ".join(f"{d:g}" for d in self.doses),
                  d_ref=f"{self.d_ref:g}", m_a=f"{ma:.3g}", m_b=f"{mb:.3g}", s_a=f"{sa:g}", s_b=f"{sb:g}",
                  corr=f"{self.prior_corr:g}", p_ref=f"{expit(ma):.3g}"),
                t("blrm_describe_trial", lang, n_cohorts=self.n_cohorts, cohort_size=self.cohort_size,
                  max_n=self.max_n, start=self.start_dose),
                t("blrm_describe_rule", lang, lo=lo, hi=hi, ewoc=f"{self.ewoc:g}"),
                t("blrm_describe_step", lang, step=self.max_step)]
        if self.max_increase is not None:
            rule.append(t("blrm_describe_increase", lang, fold=f"{self.max_increase:g}"))
        return {"rule": rule, "stopping": [t("blrm_describe_stop", lang, hi=hi, ewoc=f"{self.ewoc:g}")],
                "selection": [t("blrm_describe_mtd_untried" if self.select_untried else "blrm_describe_mtd", lang,
                                lo=lo, hi=hi, ewoc=f"{self.ewoc:g}")]}

    # ------------------------------------------------------------------------------------ evaluation
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate ``n_trials`` trials in lockstep: a loop over cohorts, arrays over trials (each distinct data
        set's posterior computed once per cohort)."""
        k, c = self.n_doses, self.cohort_size
        n = np.zeros((n_trials, k), dtype=np.int64)
        y = np.zeros_like(n)
        rows = np.arange(n_trials)
        dose = np.full(n_trials, self.start_dose)
        active = np.ones(n_trials, dtype=bool)
        stopped = np.zeros(n_trials, dtype=bool)
        selected = np.zeros(n_trials, dtype=np.int64)
        for _ in range(self.n_cohorts):
            dlts = rng.binomial(c, true_tox[dose - 1])
            live = rows[active]
            n[live, dose[live] - 1] += c
            y[live, dose[live] - 1] += dlts[live]
            nxt, _, mtd, _ = self._rule(n[live], y[live])
            selected[live] = mtd
            stop = nxt == NO_DOSE
            stopped[live[stop]] = True
            dose[live] = np.where(stop, dose[live], nxt)
            active[live[stop]] = False
            if not active.any():
                break
        selected[stopped] = NO_DOSE
        return Trials(self.name, true_tox, selected, n, y, stopped, seed)
