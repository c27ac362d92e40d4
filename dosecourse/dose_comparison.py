r"""Randomized comparison of a lower dose against the higher (registration) dose: non-inferiority.

After a drug is approved at a dose, the lower dose is often tested in a randomized trial against it: is the
lower dose not worse by more than a margin?  Three scales, as in dose-optimization trials:

* **response rate, difference** :math:`\theta = p_L - p_H` (L = lower dose, H = higher dose), margin
  :math:`\Delta > 0`: :math:`H_0: \theta \le -\Delta` against :math:`H_1: \theta > -\Delta`
  (:func:`rate_ni_test`, :func:`rate_ni_sample_size`, :func:`rate_ni_power`, :func:`rate_ni_exact_power`,
  :func:`simulate_rate_ni_power`);
* **response rate, odds ratio** (the scale Study 211 used), margin :math:`0 < M < 1`:
  :math:`H_0: OR_{L/H} \le M` (:func:`odds_ratio_ni_test`, :func:`odds_ratio_ni_power`);
* **hazard ratio** of an event such as progression, margin :math:`M > 1`: :math:`H_0: HR_{L/H} \ge M`
  (:func:`hr_ni_events`, :func:`hr_ni_power`, :func:`hr_ni_test`), Schoenfeld's events formula.

**Which test for the difference, and why.**  The default is the Farrington-Manning (FM) score test: the
variance of :math:`\hat p_L - \hat p_H` is evaluated at the maximum-likelihood rates *restricted to the null
boundary* :math:`p_L - p_H = -\Delta`.  The Wald test (variance at the observed rates, ``method="wald"``) is
simpler but its size exceeds alpha when the rates are far from 1/2 or the arms are small, because the observed
variance is too small exactly where the test rejects; exact unconditional tests (Chan 1998) hold the size for
any n but need a search over the nuisance rate.  FM is what rpact (``getSampleSizeRates`` /
``getPowerRates`` / ``getAnalysisResults`` with ``thetaH0 != 0``), PASS and nQuery implement for
non-inferiority of two rates, and for about 75 patients per arm (the scale of dose-comparison trials) its exact
size stays near alpha: :func:`rate_ni_exact_power` computes the real rejection probability of either test by
enumerating every pair of binomial outcomes, so the approximation can be checked for any design.

Every confidence interval is two-sided with level :math:`1 - 2\alpha` (95 % for alpha = 0.025), and
non-inferiority is concluded exactly when the one-sided test rejects at level alpha (for FM: the score interval
is the inversion of the same test).

References
----------
Farrington CP, Manning G. Test statistics and sample size formulae for comparative binomial trials with null
hypothesis of non-zero risk difference or non-unity relative risk. Stat Med. 1990;9(12):1447-1454.
doi:10.1002/sim.4780091208
Miettinen O, Nurminen M. Comparative analysis of two rates. Stat Med. 1985;4(2):213-226.
doi:10.1002/sim.4780040211
Schoenfeld DA. Sample-size formula for the proportional-hazards regression model. Biometrics.
1983;39(2):499-503. doi:10.2307/2531021
Chan ISF. Exact tests of equivalence and efficacy with a non-zero lower bound for comparative studies. Stat
Med. 1998;17(12):1403-1413. doi:10.1002/(SICI)1097-0258(19980630)17:12<1403::AID-SIM834>3.0.CO;2-Y
Brose MS, et al. A Randomized Study of Lenvatinib 18 mg vs 24 mg in Patients With Radioiodine-Refractory
Differentiated Thyroid Cancer. J Clin Endocrinol Metab. 2022;107(3):776-787. doi:10.1210/clinem/dgab731
Reference software: R package rpact 3.3.4 (``getSampleSizeRates``, ``getPowerRates``, ``getAnalysisResults``,
``getSampleSizeSurvival``, ``getPowerSurvival``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy.stats import binom

from . import _validate
from .i18n import check_lang, t

RATE_METHODS: tuple[str, ...] = ("fm", "wald")
"""Tests of the rate difference: Farrington-Manning score test (default) and Wald test."""

STUDY211_SCALES: tuple[str, ...] = ("odds_ratio", "difference")
"""Scales of the Study 211 check: the published odds-ratio margin, or a user-chosen difference margin."""

MAX_SAMPLE_SIZE: int = 10 ** 9
"""Largest sample size per arm a :class:`RateSampleSize` may report (a bound against a wrapped or absurd size)."""

MAX_RATIO: float = 10.0
"""Largest allocation ratio n_low / n_high (and smallest 1 / MAX_RATIO) accepted."""

_CHUNK = 1_000_000  # simulated trials per block


# --- argument checks ---------------------------------------------------------------------------------------

def _alpha(alpha: object) -> float:
    return _validate.number(alpha, "alpha", minimum=0.0, maximum=0.5, strict_minimum=True, strict_maximum=True)


def _rate(p: object, name: str) -> float:
    return _validate.probability(p, name)


def _diff_margin(margin: object) -> float:
    """A risk-difference margin Delta in (0, 1): the lower dose may be worse by less than Delta."""
    return _validate.number(margin, "margin", minimum=0.0, maximum=1.0, strict_minimum=True,
                            strict_maximum=True)


def _or_margin(margin: object) -> float:
    return _validate.number(margin, "margin", minimum=0.0, maximum=1.0, strict_minimum=True,
                            strict_maximum=True)


def _hr_margin(margin: object) -> float:
    """A hazard-ratio margin > 1 (HR of the lower dose over the higher dose; above 1 is worse)."""
    return _validate.number(margin, "margin", minimum=1.0, strict_minimum=True, maximum=100.0)


def _arm(n: object, name: str) -> int:
    return _validate.integer(n, name, minimum=1, maximum=_validate.MAX_PATIENTS)


def _ratio(ratio: object) -> float:
    return _validate.number(ratio, "ratio", minimum=1.0 / MAX_RATIO, maximum=MAX_RATIO)


def _power(power: object, alpha: float) -> float:
    return _validate.number(power, "power", minimum=alpha, maximum=1.0, strict_minimum=True,
                            strict_maximum=True)


def _counts(x: object, n: object, x_name: str, n_name: str) -> tuple[int, int]:
    nn = _arm(n, n_name)
    xx = _validate.integer(x, x_name, minimum=0, maximum=nn)
    return xx, nn


# --- Farrington-Manning restricted maximum likelihood ------------------------------------------------------

def fm_restricted_rates(p_low: float | np.ndarray, p_high: float | np.ndarray, theta0: float,
                        ratio: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Maximum-likelihood rates under the constraint :math:`p_L - p_H = \theta_0` (Farrington-Manning).

    Parameters
    ----------
    p_low, p_high : float or array
        Observed (or true, for planning) response rates of the lower and the higher dose, in [0, 1].
    theta0 : float
        The null difference :math:`\theta_0 = -\Delta`, in (-1, 1).
    ratio : float
        Allocation ratio :math:`n_L / n_H`.

    Returns
    -------
    (ndarray, ndarray)
        Restricted rates :math:`(\tilde p_L, \tilde p_H)`, :math:`\tilde p_L - \tilde p_H = \theta_0` (up to
        clipping into [0, 1]).

    Raises
    ------
    ValueError, TypeError
        On a rate outside [0, 1], theta0 outside (-1, 1) or a bad ratio.

    Notes
    -----
    With :math:`r = n_H/n_L` the restricted :math:`\tilde p_L` is the root in [0, 1] of the cubic
    :math:`a x^3 + b x^2 + c x + d` with :math:`a = 1 + r`,
    :math:`b = -(1 + r + \hat p_L + r\hat p_H + \theta_0(r + 2))`,
    :math:`c = \theta_0^2 + \theta_0(2\hat p_L + r + 1) + \hat p_L + r\hat p_H`,
    :math:`d = -\hat p_L\theta_0(1 + \theta_0)`, given in closed (trigonometric) form:

    .. math:: v = \frac{b^3}{(3a)^3} - \frac{bc}{6a^2} + \frac{d}{2a},\quad
              u = \operatorname{sign}(v)\sqrt{\frac{b^2}{(3a)^2} - \frac{c}{3a}},\quad
              w = \frac{\pi + \arccos(v/u^3)}{3},\quad
              \tilde p_L = 2u\cos w - \frac{b}{3a}.

    For :math:`\theta_0 = 0` the restricted rates are the pooled rate.

    References
    ----------
    Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454. doi:10.1002/sim.4780091208 (Appendix).
    rpact 3.3.4 ``.getFarringtonManningValuesDiff`` (same formula).

    Examples
    --------
    >>> a, b = fm_restricted_rates(31 / 77, 43 / 75, -0.2, 77 / 75)
    >>> round(float(a), 4), round(float(b), 4), round(float(a - b), 4)
    (0.3883, 0.5883, -0.2)
    """
    pl = _validate.real_array(p_low, "p_low", minimum=0.0, maximum=1.0)
    ph = _validate.real_array(p_high, "p_high", minimum=0.0, maximum=1.0)
    th = _validate.number(theta0, "theta0", minimum=-1.0, maximum=1.0, strict_minimum=True, strict_maximum=True)
    return _fm(pl, ph, th, _ratio(ratio))


def _fm(pl: np.ndarray, ph: np.ndarray, th: float, ratio: float) -> tuple[np.ndarray, np.ndarray]:
    pl, ph = np.broadcast_arrays(np.asarray(pl, float), np.asarray(ph, float))
    if th == 0.0:
        pooled = (ratio * pl + ph) / (1.0 + ratio)
        return pooled, pooled.copy()
    r = 1.0 / ratio  # n_H / n_L
    a = 1.0 + r
    b = -(1.0 + r + pl + r * ph + th * (r + 2.0))
    c = th * th + th * (2.0 * pl + r + 1.0) + pl + r * ph
    d = -pl * th * (1.0 + th)
    v = b ** 3 / (3.0 * a) ** 3 - b * c / (6.0 * a * a) + d / (2.0 * a)
    u = np.sqrt(np.maximum(b * b / (3.0 * a) ** 2 - c / (3.0 * a), 0.0))
    u = np.where(v < 0, -u, u)
    safe = np.where(u == 0.0, 1.0, u)
    w = np.where(u == 0.0, math.pi / 2.0, (math.pi + np.arccos(np.clip(v / safe ** 3, -1.0, 1.0))) / 3.0)
    ml1 = np.clip(2.0 * u * np.cos(w) - b / (3.0 * a), 0.0, 1.0)
    ml2 = np.clip(ml1 - th, 0.0, 1.0)
    return ml1, ml2


def _z_rate(pl: np.ndarray, ph: np.ndarray, nl: int, nh: int, theta0: float, method: str) -> np.ndarray:
    """NI test statistic of the difference at null value theta0 (arrays of observed rates)."""
    if method == "fm":
        ql, qh = _fm(pl, ph, theta0, nl / nh)
    else:
        ql, qh = np.asarray(pl, float), np.asarray(ph, float)
    var = ql * (1.0 - ql) / nl + qh * (1.0 - qh) / nh
    num = np.asarray(pl, float) - np.asarray(ph, float) - theta0
    with np.errstate(divide="ignore", invalid="ignore"):
        # zero variance (all or no responders where the null rates sit on 0 or 1): +-infinity, or 0 when the
        # estimate equals the null value
        z = np.where(var > 0, num / np.sqrt(np.where(var > 0, var, 1.0)),
                     np.where(num == 0, 0.0, np.sign(num) * np.inf))
    return z


# --- results -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NIResult:
    """Outcome of a non-inferiority analysis of the lower dose against the higher dose (returned).

    Parameters
    ----------
    scale : {"difference", "odds_ratio", "hazard_ratio"}
        Scale of the comparison: response-rate difference, odds ratio or hazard ratio.
    method : str
        ``"fm"`` or ``"wald"`` (difference), ``"wald_log"`` (odds and hazard ratios).
    estimate : float
        Observed difference :math:`\\hat p_L - \\hat p_H`, odds ratio or hazard ratio (lower / higher dose).
    ci_lower, ci_upper : float
        Two-sided :math:`1 - 2\\alpha` confidence interval.
    bound : float
        The non-inferiority boundary on the scale of the estimate: :math:`-\\Delta`, the odds-ratio margin, or
        the hazard-ratio margin.
    statistic : float
        z-statistic of the test of :math:`H_0` (large values favour non-inferiority).
    p_value : float
        One-sided p-value.
    alpha : float
        One-sided significance level of the test.
    non_inferior : bool
        True when :math:`H_0` is rejected at level alpha (equivalently the CI excludes the boundary on the
        inferior side).
    """

    scale: str
    method: str
    estimate: float
    ci_lower: float
    ci_upper: float
    bound: float
    statistic: float
    p_value: float
    alpha: float
    non_inferior: bool

    def __post_init__(self) -> None:
        _validate.one_of(self.scale, "scale", ("difference", "odds_ratio", "hazard_ratio"))
        _validate.one_of(self.method, "method", RATE_METHODS + ("wald_log", "wald_log_corrected"))
        for label in ("estimate", "bound"):
            _validate.number(getattr(self, label), label)
        for label in ("ci_lower", "ci_upper", "statistic"):  # infinite when the estimate has zero variance
            _validate.not_nan(getattr(self, label), label)
        _validate.probability(self.p_value, "p_value", open_interval=False)
        _validate.probability(self.alpha, "alpha")
        _validate.boolean(self.non_inferior, "non_inferior")

    def conclusion(self, lang: str = "en") -> str:
        """One sentence stating the conclusion, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the sentence (default ``"en"``).

        Returns
        -------
        str
            Whether non-inferiority was shown, and why: where the confidence interval lies relative to
            :attr:`bound`.
        """
        lang = check_lang(lang)
        side = "dcomp_ci_above" if self.scale != "hazard_ratio" else "dcomp_ci_below"
        key = "dcomp_ni_shown" if self.non_inferior else "dcomp_ni_not_shown"
        return t(key, lang, why=t(side if self.non_inferior else f"{side}_not", lang, bound=f"{self.bound:.3g}"))

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The analysis as a two-column table (quantity, value).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Rows: scale, method, estimate, confidence interval, boundary, z-statistic, p-value and the
            :meth:`conclusion`; values as formatted text.
        """
        lang = check_lang(lang)
        level = f"{100 * (1 - 2 * self.alpha):g}%"
        rows = [
            (t("dcomp_row_scale", lang), t(f"dcomp_scale_{self.scale}", lang)),
            (t("dcomp_row_method", lang), t(f"dcomp_method_{self.method}", lang)),
            (t("dcomp_row_estimate", lang), f"{self.estimate:.4f}"),
            (t("dcomp_row_ci", lang, level=level), f"({self.ci_lower:.4f}, {self.ci_upper:.4f})"),
            (t("dcomp_row_bound", lang), f"{self.bound:.4f}"),
            (t("dcomp_row_z", lang), f"{self.statistic:.4f}"),
            (t("dcomp_row_p", lang), f"{self.p_value:.4g}"),
            (t("dcomp_row_conclusion", lang), self.conclusion(lang)),
        ]
        return pd.DataFrame(rows, columns=[t("dcomp_col_quantity", lang), t("dcomp_col_value", lang)])


def _result(scale: str, method: str, est: float, lo: float, hi: float, bound: float, z: float,
            alpha: float) -> NIResult:
    p = float(special.ndtr(-z))
    return NIResult(scale, method, float(est), float(lo), float(hi), float(bound), float(z), p, alpha,
                    bool(z > special.ndtri(1.0 - alpha)))


# --- rate difference: analysis -----------------------------------------------------------------------------

def rate_ni_test(x_low: int, n_low: int, x_high: int, n_high: int, margin: float, *, alpha: float = 0.025,
                 method: str = "fm") -> NIResult:
    r"""Non-inferiority of the lower dose on the response-rate difference, from observed counts.

    Parameters
    ----------
    x_low, n_low : int
        Responders and patients of the lower dose.
    x_high, n_high : int
        Responders and patients of the higher dose.
    margin : float
        Margin :math:`\Delta` in (0, 1): non-inferiority means :math:`p_L - p_H > -\Delta`.
    alpha : float
        One-sided level, in (0, 0.5); the CI has level :math:`1 - 2\alpha`.
    method : {"fm", "wald"}
        Farrington-Manning score test and score interval (default), or Wald test and interval.

    Returns
    -------
    NIResult

    Raises
    ------
    ValueError, TypeError
        On counts that are not whole numbers, responders above patients, a margin outside (0, 1) (a negative
        or zero margin is refused: give the size of the allowed loss), a bad alpha or method.

    Notes
    -----
    .. math:: Z = \frac{\hat p_L - \hat p_H + \Delta}
                       {\sqrt{\tilde p_L(1-\tilde p_L)/n_L + \tilde p_H(1-\tilde p_H)/n_H}}

    with :math:`\tilde p` the restricted rates of :func:`fm_restricted_rates` at :math:`\theta_0 = -\Delta`
    (FM) or the observed rates (Wald).  Non-inferiority when :math:`Z > z_{1-\alpha}`.  The FM interval is
    :math:`\{\theta_0 : |Z(\theta_0)| < z_{1-\alpha}\}`, its limits found by Brent's method; it contains
    :math:`-\Delta` exactly when the test does not reject.  A Wald statistic with zero variance (all or no
    responders in both arms) is :math:`\pm\infty`.

    References
    ----------
    Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454. doi:10.1002/sim.4780091208
    Miettinen O, Nurminen M. Stat Med. 1985;4(2):213-226 (score interval; FM omits their n/(n-1) factor).
    Matched: rpact 3.3.4 ``getStageResults``/``getAnalysisResults`` (``getDataset(n1, n2, events1, events2)``,
    ``thetaH0 = -margin``, ``normalApproximation = TRUE``).

    Examples
    --------
    >>> r = rate_ni_test(31, 77, 43, 75, margin=0.2)
    >>> round(r.estimate, 4), round(r.ci_lower, 4), round(r.statistic, 4), r.non_inferior
    (-0.1707, -0.3213, 0.3683, False)
    """
    xl, nl = _counts(x_low, n_low, "x_low", "n_low")
    xh, nh = _counts(x_high, n_high, "x_high", "n_high")
    delta = _diff_margin(margin)
    a = _alpha(alpha)
    m = _validate.one_of(method, "method", RATE_METHODS)
    pl, ph = xl / nl, xh / nh
    est = pl - ph
    zc = float(special.ndtri(1.0 - a))
    z = float(_z_rate(np.asarray(pl), np.asarray(ph), nl, nh, -delta, m))
    if m == "wald":
        se = math.sqrt(pl * (1 - pl) / nl + ph * (1 - ph) / nh)
        lo, hi = est - zc * se, est + zc * se
    else:
        lo, hi = _score_interval(pl, ph, nl, nh, zc)
    return _result("difference", m, est, lo, hi, -delta, z, a)


def _score_interval(pl: float, ph: float, nl: int, nh: int, zc: float) -> tuple[float, float]:
    """Limits of the FM score interval: the theta0 where Z(theta0) = +-zc."""
    est = pl - ph
    f = lambda th: float(_z_rate(np.asarray(pl), np.asarray(ph), nl, nh, th, "fm"))  # noqa: E731
    eps = 1e-10
    lo = -1.0 if f(-1.0 + eps) <= zc else optimize.brentq(lambda th: f(th) - zc, -1.0 + eps, est, xtol=1e-12)
    hi = 1.0 if f(1.0 - eps) >= -zc else optimize.brentq(lambda th: f(th) + zc, est, 1.0 - eps, xtol=1e-12)
    return lo, hi


# --- rate difference: planning -----------------------------------------------------------------------------

def _variances(pl: float, ph: float, delta: float, ratio: float, method: str) -> tuple[float, float]:
    """Per-patient variances (times n_L) under H0 (restricted) and H1, for allocation ratio n_L/n_H."""
    v1 = pl * (1 - pl) + ratio * ph * (1 - ph)
    if method == "wald":
        return v1, v1
    ql, qh = _fm(np.asarray(pl), np.asarray(ph), -delta, ratio)
    return float(ql * (1 - ql) + ratio * qh * (1 - qh)), v1


@dataclass(frozen=True)
class RateSampleSize:
    """Sample size of a non-inferiority trial on the response-rate difference (returned).

    Parameters
    ----------
    p_low, p_high : float
        Assumed true response rates of the lower and higher dose, in (0, 1).
    margin : float
        Non-inferiority margin :math:`\\Delta` on the rate difference, in (0, 1).
    alpha : float
        One-sided significance level.
    power : float
        Target power.
    ratio : float
        Allocation ratio ``n_low / n_high``.
    method : {"fm", "wald"}
        Farrington-Manning or Wald variance (see :func:`rate_ni_sample_size`).
    n_low_exact, n_high_exact : float
        Unrounded sample sizes of the formula (rpact's ``numberOfSubjects1`` / ``numberOfSubjects2``).
    n_low, n_high : int
        Rounded up.
    """

    p_low: float
    p_high: float
    margin: float
    alpha: float
    power: float
    ratio: float
    method: str
    n_low_exact: float
    n_high_exact: float
    n_low: int
    n_high: int

    def __post_init__(self) -> None:
        _validate.probability(self.p_low, "p_low", open_interval=False)
        _validate.probability(self.p_high, "p_high", open_interval=False)
        _validate.positive(self.margin, "margin")
        _validate.probability(self.alpha, "alpha")
        _validate.probability(self.power, "power")
        _validate.positive(self.ratio, "ratio", maximum=MAX_RATIO)
        _validate.one_of(self.method, "method", RATE_METHODS)
        _validate.positive(self.n_low_exact, "n_low_exact")
        _validate.positive(self.n_high_exact, "n_high_exact")
        _validate.integer(self.n_low, "n_low", minimum=1, maximum=MAX_SAMPLE_SIZE)
        _validate.integer(self.n_high, "n_high", minimum=1, maximum=MAX_SAMPLE_SIZE)

    @property
    def total(self) -> int:
        """n_low + n_high."""
        return self.n_low + self.n_high

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The plan as a two-column table (quantity, value).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Rows: the two assumed rates, the margin, alpha, power, method, the rounded sample sizes of both arms
            and their total; values as text.
        """
        lang = check_lang(lang)
        rows = [
            (t("dcomp_row_p_low", lang), f"{self.p_low:g}"), (t("dcomp_row_p_high", lang), f"{self.p_high:g}"),
            (t("dcomp_row_margin_diff", lang), f"{self.margin:g}"), ("alpha", f"{self.alpha:g}"),
            (t("dcomp_row_power", lang), f"{self.power:g}"), (t("dcomp_row_method", lang),
                                                                  t(f"dcomp_method_{self.method}", lang)),
            (t("dcomp_row_n_low", lang), str(self.n_low)), (t("dcomp_row_n_high", lang), str(self.n_high)),
            (t("dcomp_row_total", lang), str(self.total)),
        ]
        return pd.DataFrame(rows, columns=[t("dcomp_col_quantity", lang), t("dcomp_col_value", lang)])


def rate_ni_sample_size(p_low: float, p_high: float, margin: float, *, alpha: float = 0.025,
                        power: float = 0.8, ratio: float = 1.0, method: str = "fm") -> RateSampleSize:
    r"""Patients per arm for non-inferiority of the lower dose on the response-rate difference.

    Parameters
    ----------
    p_low, p_high : float
        Assumed true response rates of the lower and higher dose, in (0, 1).
    margin : float
        Margin :math:`\Delta` in (0, 1); the assumed difference must satisfy :math:`p_L - p_H > -\Delta`.
    alpha : float
        One-sided level.
    power : float
        Target power, in (alpha, 1).
    ratio : float
        Allocation ratio :math:`n_L / n_H`, from 1/10 to 10.
    method : {"fm", "wald"}
        Farrington-Manning (variance under H0 at the restricted rates) or Wald (variance at the assumed
        rates under both hypotheses).

    Returns
    -------
    RateSampleSize

    Raises
    ------
    ValueError, TypeError
        On an argument out of range, or assumed rates with :math:`p_L - p_H \le -\Delta` (no sample size can
        show non-inferiority of a dose that is truly inferior by the margin or more).

    Notes
    -----
    .. math:: n_L = \frac{\Big(z_{1-\alpha}\sqrt{\tilde p_L\tilde q_L + \rho\,\tilde p_H\tilde q_H}
              + z_{1-\beta}\sqrt{p_L q_L + \rho\, p_H q_H}\Big)^2}{(p_L - p_H + \Delta)^2},
              \qquad n_H = n_L/\rho,

    :math:`\rho = n_L/n_H`, :math:`q = 1 - p`, :math:`\tilde p` the FM restricted rates computed from the
    assumed rates (Farrington & Manning 1990, eq. 6).

    References
    ----------
    Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454. doi:10.1002/sim.4780091208
    Matched: rpact 3.3.4 ``getSampleSizeRates(pi1 = p_low, pi2 = p_high, thetaH0 = -margin, alpha, beta,
    sided = 1, allocationRatioPlanned = ratio)``.

    Examples
    --------
    >>> s = rate_ni_sample_size(0.55, 0.60, 0.15)
    >>> round(s.n_low_exact, 4), s.n_low, s.total
    (377.5045, 378, 756)
    """
    pl, ph = _rate(p_low, "p_low"), _rate(p_high, "p_high")
    delta = _diff_margin(margin)
    a = _alpha(alpha)
    pw = _power(power, a)
    r = _ratio(ratio)
    m = _validate.one_of(method, "method", RATE_METHODS)
    effect = pl - ph + delta
    # a dose exactly at the margin (0.473 - 0.573 + 0.1 is 2.8e-17 in floating point) is not within it
    if effect <= 1e-12:
        raise ValueError(f"p_low - p_high must exceed -margin for non-inferiority to be shown; got "
                         f"p_low - p_high = {pl - ph:g}, margin = {delta:g}")
    v0, v1 = _variances(pl, ph, delta, r, m)
    root = special.ndtri(1 - a) * math.sqrt(v0) + special.ndtri(pw) * math.sqrt(v1)
    if root <= 0:
        raise ValueError(f"power must exceed the power at n = 0 for these rates; got power = {pw:g}")
    nl = float(root ** 2 / effect ** 2)
    nh = nl / r
    if max(nl, nh) > _validate.MAX_PATIENTS:
        raise ValueError(f"the design needs more than {_validate.MAX_PATIENTS:,} patients in an arm "
                         f"({max(nl, nh):,.0f}); widen the margin or change the rates")
    return RateSampleSize(pl, ph, delta, a, pw, r, m, nl, nh, math.ceil(nl - 1e-9), math.ceil(nh - 1e-9))


def rate_ni_power(p_low: float, p_high: float, margin: float, n_low: int, n_high: int, *,
                  alpha: float = 0.025, method: str = "fm") -> float:
    r"""Large-sample power of the non-inferiority test of the rate difference.

    Parameters
    ----------
    p_low, p_high : float
        True response rates, in (0, 1).
    margin : float
        Margin :math:`\Delta` in (0, 1).
    n_low, n_high : int
        Patients per arm.
    alpha : float
        One-sided level.
    method : {"fm", "wald"}

    Returns
    -------
    float
        :math:`\Phi\big((p_L - p_H + \Delta - z_{1-\alpha}\sigma_0)/\sigma_1\big)`.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Notes
    -----
    :math:`\sigma_1^2 = p_Lq_L/n_L + p_Hq_H/n_H` and :math:`\sigma_0^2` the same at the FM restricted rates
    (or :math:`\sigma_0 = \sigma_1` for Wald).  The real rejection probability of the test is
    :func:`rate_ni_exact_power`.

    References
    ----------
    Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454.
    Matched: rpact 3.3.4 ``getPowerRates(pi1 = p_low, pi2 = p_high, thetaH0 = -margin, maxNumberOfSubjects =
    n_low + n_high, allocationRatioPlanned = n_low / n_high, alpha, sided = 1)$overallReject``.

    Examples
    --------
    >>> round(rate_ni_power(0.55, 0.60, 0.15, 100, 100), 4)
    0.3054
    """
    pl, ph = _rate(p_low, "p_low"), _rate(p_high, "p_high")
    delta = _diff_margin(margin)
    nl, nh = _arm(n_low, "n_low"), _arm(n_high, "n_high")
    a = _alpha(alpha)
    m = _validate.one_of(method, "method", RATE_METHODS)
    r = nl / nh
    if not 1.0 / MAX_RATIO <= r <= MAX_RATIO:
        raise ValueError(f"n_low / n_high must lie in [{1 / MAX_RATIO:g}, {MAX_RATIO:g}]; got {r:g}")
    v0, v1 = _variances(pl, ph, delta, r, m)
    s0, s1 = math.sqrt(v0 / nl), math.sqrt(v1 / nl)
    return float(special.ndtr((pl - ph + delta - special.ndtri(1 - a) * s0) / s1))


def _rate_plan_args(p_low, p_high, margin, n_low, n_high, alpha, method):
    pl, ph = _rate(p_low, "p_low"), _rate(p_high, "p_high")
    delta = _diff_margin(margin)
    nl, nh = _arm(n_low, "n_low"), _arm(n_high, "n_high")
    return pl, ph, delta, nl, nh, _alpha(alpha), _validate.one_of(method, "method", RATE_METHODS)


def rate_ni_exact_power(p_low: float, p_high: float, margin: float, n_low: int, n_high: int, *,
                        alpha: float = 0.025, method: str = "fm") -> float:
    r"""Exact probability that the non-inferiority test of the difference rejects, by full enumeration.

    Parameters
    ----------
    p_low, p_high : float
        True response rates, in (0, 1).  With :math:`p_L - p_H = -\Delta` this is the exact size.
    margin : float
        Margin :math:`\Delta` in (0, 1).
    n_low, n_high : int
        Patients per arm, with :math:`(n_L + 1)(n_H + 1) \le` ``MAX_GRID``.
    alpha : float
        One-sided level.
    method : {"fm", "wald"}

    Returns
    -------
    float

    Raises
    ------
    ValueError, TypeError
        On an argument out of range or arms too large to enumerate.

    Notes
    -----
    .. math:: P(\text{reject}) = \sum_{x_L=0}^{n_L}\sum_{x_H=0}^{n_H}
              b(x_L; n_L, p_L)\, b(x_H; n_H, p_H)\; 1\{Z(x_L, x_H) > z_{1-\alpha}\}

    with the statistic of :func:`rate_ni_test`.

    References
    ----------
    Chan ISF. Stat Med. 1998;17(12):1403-1413 (exact size of the score test at the margin).

    Examples
    --------
    >>> round(rate_ni_exact_power(0.573, 0.573, 0.2, 77, 75), 4)
    0.725
    """
    pl, ph, delta, nl, nh, a, m = _rate_plan_args(p_low, p_high, margin, n_low, n_high, alpha, method)
    if (nl + 1) * (nh + 1) > _validate.MAX_GRID:
        raise ValueError(f"(n_low + 1) x (n_high + 1) may not exceed {_validate.MAX_GRID:,} outcomes; got "
                         f"{(nl + 1) * (nh + 1):,}")
    xl, xh = np.arange(nl + 1), np.arange(nh + 1)
    z = _z_rate(xl[:, None] / nl, xh[None, :] / nh, nl, nh, -delta, m)
    reject = (z > special.ndtri(1 - a)).astype(float)
    return float(binom.pmf(xl, nl, pl) @ reject @ binom.pmf(xh, nh, ph))


@dataclass(frozen=True)
class SimulatedPower:
    """Simulated rejection probability of a non-inferiority test (returned).

    Parameters
    ----------
    power : float
        Fraction of simulated trials concluding non-inferiority.
    se : float
        Its binomial Monte Carlo standard error.
    n_trials : int
        Number of simulated trials.
    seed : int or None
        Seed used (None when a Generator was given).
    """

    power: float
    se: float
    n_trials: int
    seed: int | None

    def __post_init__(self) -> None:
        _validate.probability(self.power, "power", open_interval=False)
        _validate.positive(self.se, "se", allow_zero=True)
        _validate.n_trials(self.n_trials)
        _validate.seed(self.seed)


def simulate_rate_ni_power(p_low: float, p_high: float, margin: float, n_low: int, n_high: int, *,
                           alpha: float = 0.025, method: str = "fm", n_trials: int = 100_000,
                           seed: int | np.random.Generator | None = _validate.DEFAULT_SEED) -> SimulatedPower:
    r"""Simulated power of the non-inferiority test of the difference (a check of the exact enumeration).

    Parameters
    ----------
    p_low, p_high, margin, n_low, n_high, alpha, method
        As in :func:`rate_ni_exact_power`.
    n_trials : int
        Simulated trials.
    seed : int, Generator or None
        Random seed.

    Returns
    -------
    SimulatedPower

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Notes
    -----
    Draws :math:`x_L \sim Bin(n_L, p_L)`, :math:`x_H \sim Bin(n_H, p_H)` for every trial at once and applies
    :func:`rate_ni_test`'s statistic; the standard error is :math:`\sqrt{\hat\pi(1-\hat\pi)/N}`.

    References
    ----------
    Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454.

    Examples
    --------
    >>> sim = simulate_rate_ni_power(0.573, 0.573, 0.2, 77, 75, n_trials=20_000, seed=3)
    >>> abs(sim.power - 0.7250) < 3 * sim.se
    True
    """
    pl, ph, delta, nl, nh, a, m = _rate_plan_args(p_low, p_high, margin, n_low, n_high, alpha, method)
    n = _validate.n_trials(n_trials)
    gen, used = _validate.rng(seed)
    zc = special.ndtri(1 - a)
    hits = 0
    for start in range(0, n, _CHUNK):
        size = min(_CHUNK, n - start)
        xl = gen.binomial(nl, pl, size)
        xh = gen.binomial(nh, ph, size)
        hits += int(np.count_nonzero(_z_rate(xl / nl, xh / nh, nl, nh, -delta, m) > zc))
    p = hits / n
    return SimulatedPower(p, math.sqrt(p * (1 - p) / n), n, used)


# --- odds ratio --------------------------------------------------------------------------------------------

def odds_ratio_ni_test(x_low: int, n_low: int, x_high: int, n_high: int, margin: float, *,
                       alpha: float = 0.025) -> NIResult:
    r"""Non-inferiority of the lower dose on the odds ratio of response (Wald test on the log odds ratio).

    Parameters
    ----------
    x_low, n_low, x_high, n_high : int
        Responders and patients per arm.
    margin : float
        Odds-ratio margin M in (0, 1): non-inferiority means :math:`OR_{L/H} > M`.
    alpha : float
        One-sided level; the CI has level :math:`1 - 2\alpha`.

    Returns
    -------
    NIResult

    Raises
    ------
    ValueError, TypeError
        On bad counts, a margin outside (0, 1) or a bad alpha.

    Notes
    -----
    .. math:: \widehat{OR} = \frac{x_L (n_H - x_H)}{(n_L - x_L)\, x_H},\quad
              SE = \sqrt{\frac1{x_L} + \frac1{n_L - x_L} + \frac1{x_H} + \frac1{n_H - x_H}},\quad
              Z = \frac{\log\widehat{OR} - \log M}{SE};

    CI :math:`\exp(\log\widehat{OR} \pm z_{1-\alpha} SE)`.  With a zero cell, 0.5 is added to all four cells
    (Haldane-Anscombe) and ``method`` is ``"wald_log_corrected"``.  Unstratified; a trial's primary analysis
    may be stratified.

    References
    ----------
    Agresti A. Categorical Data Analysis. 3rd ed. Wiley; 2013, section 3.1.
    Brose MS, et al. J Clin Endocrinol Metab. 2022;107(3):776-787 (odds ratio 0.50, 95% CI 0.26-0.96,
    reproduced from 31/77 and 43/75).

    Examples
    --------
    >>> r = odds_ratio_ni_test(31, 77, 43, 75, margin=0.4)
    >>> round(r.estimate, 2), round(r.ci_lower, 2), round(r.ci_upper, 2), r.non_inferior
    (0.5, 0.26, 0.96, False)
    """
    xl, nl = _counts(x_low, n_low, "x_low", "n_low")
    xh, nh = _counts(x_high, n_high, "x_high", "n_high")
    mg = _or_margin(margin)
    a = _alpha(alpha)
    cells = np.array([xl, nl - xl, xh, nh - xh], dtype=float)
    method = "wald_log"
    if np.any(cells == 0):
        cells = cells + 0.5
        method = "wald_log_corrected"
    log_or = math.log(cells[0] * cells[3] / (cells[1] * cells[2]))
    se = math.sqrt(float((1.0 / cells).sum()))
    zc = float(special.ndtri(1 - a))
    z = (log_or - math.log(mg)) / se
    return _result("odds_ratio", method, math.exp(log_or), math.exp(log_or - zc * se), math.exp(log_or + zc * se),
                   mg, z, a)


def odds_ratio_ni_power(p_low: float, p_high: float, margin: float, n_low: int, n_high: int, *,
                        alpha: float = 0.025) -> float:
    r"""Large-sample power of the odds-ratio non-inferiority test.

    Parameters
    ----------
    p_low, p_high : float
        True response rates, in (0, 1).
    margin : float
        Odds-ratio margin in (0, 1).
    n_low, n_high : int
        Patients per arm.
    alpha : float
        One-sided level.

    Returns
    -------
    float
        :math:`\Phi\big((\log OR - \log M)/SE - z_{1-\alpha}\big)`,
        :math:`SE^2 = 1/(n_L p_L q_L) + 1/(n_H p_H q_H)`.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Notes
    -----
    The delta-method variance of the log odds ratio at the true rates.

    References
    ----------
    Agresti A. Categorical Data Analysis. 3rd ed. Wiley; 2013, section 3.1.

    Examples
    --------
    >>> round(odds_ratio_ni_power(0.573, 0.573, 0.4, 77, 75), 3)
    0.798
    """
    pl, ph = _rate(p_low, "p_low"), _rate(p_high, "p_high")
    mg = _or_margin(margin)
    nl, nh = _arm(n_low, "n_low"), _arm(n_high, "n_high")
    a = _alpha(alpha)
    log_or = math.log(pl / (1 - pl)) - math.log(ph / (1 - ph))
    se = math.sqrt(1.0 / (nl * pl * (1 - pl)) + 1.0 / (nh * ph * (1 - ph)))
    return float(special.ndtr((log_or - math.log(mg)) / se - special.ndtri(1 - a)))


# --- hazard ratio ------------------------------------------------------------------------------------------

def hr_ni_events(hr: float, margin: float, *, alpha: float = 0.025, power: float = 0.8,
                 ratio: float = 1.0) -> float:
    r"""Events needed to show non-inferiority of the lower dose on a hazard ratio (Schoenfeld).

    Parameters
    ----------
    hr : float
        Assumed true hazard ratio (lower / higher dose), > 0 and below ``margin``.
    margin : float
        Hazard-ratio margin M > 1: non-inferiority means :math:`HR < M`.
    alpha : float
        One-sided level.
    power : float
        Target power, in (alpha, 1).
    ratio : float
        Allocation ratio :math:`n_L / n_H`.

    Returns
    -------
    float
        Total events (both arms), unrounded; round up for the protocol.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range, a margin <= 1, or ``hr >= margin``.

    Notes
    -----
    .. math:: D = \frac{(z_{1-\alpha} + z_{1-\beta})^2 (1 + \rho)^2}{\rho\,(\log M - \log HR)^2}

    (:math:`\rho = n_L/n_H`; 4 / (log M - log HR)^2 per squared z for equal allocation), from
    :math:`\operatorname{Var}(\log\widehat{HR}) \approx (1+\rho)^2/(\rho D)`.

    References
    ----------
    Schoenfeld DA. Biometrics. 1983;39(2):499-503. doi:10.2307/2531021
    Matched: rpact 3.3.4 ``getSampleSizeSurvival(hazardRatio = hr, thetaH0 = margin, alpha, beta, sided = 1,
    allocationRatioPlanned = ratio)$maxNumberOfEvents``.

    Examples
    --------
    >>> round(hr_ni_events(1.0, 1.3), 3)
    456.098
    """
    h = _validate.positive(hr, "hr")
    mg = _hr_margin(margin)
    a = _alpha(alpha)
    pw = _power(power, a)
    r = _ratio(ratio)
    if h >= mg:
        raise ValueError(f"hr must be below margin for non-inferiority to be shown; got hr = {h:g}, "
                         f"margin = {mg:g}")
    z = special.ndtri(1 - a) + special.ndtri(pw)
    if z <= 0:
        raise ValueError(f"power must exceed alpha; got power = {pw:g}")
    return float(z ** 2 * (1 + r) ** 2 / (r * (math.log(mg) - math.log(h)) ** 2))


def hr_ni_power(hr: float, margin: float, events: float, *, alpha: float = 0.025, ratio: float = 1.0) -> float:
    r"""Power of the hazard-ratio non-inferiority test for a given number of events (Schoenfeld).

    Parameters
    ----------
    hr : float
        True hazard ratio (lower / higher dose), > 0.
    margin : float
        Hazard-ratio margin M > 1.
    events : float
        Total events, > 0 (at most 2 x ``MAX_PATIENTS``).
    alpha : float
        One-sided level.
    ratio : float
        Allocation ratio :math:`n_L / n_H`.

    Returns
    -------
    float
        :math:`\Phi\big(\sqrt{\rho D}/(1+\rho)\,(\log M - \log HR) - z_{1-\alpha}\big)`.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range or a margin <= 1.

    Notes
    -----
    The inverse of :func:`hr_ni_events`.

    References
    ----------
    Schoenfeld DA. Biometrics. 1983;39(2):499-503. doi:10.2307/2531021
    Matched: rpact 3.3.4 ``getPowerSurvival(maxNumberOfEvents = events, hazardRatio = hr, thetaH0 = margin,
    directionUpper = FALSE, alpha, sided = 1)$overallReject``.

    Examples
    --------
    >>> round(hr_ni_power(1.0, 1.3, 300), 4)
    0.6225
    """
    h = _validate.positive(hr, "hr")
    mg = _hr_margin(margin)
    d = _validate.positive(events, "events", maximum=2 * _validate.MAX_PATIENTS)
    a = _alpha(alpha)
    r = _ratio(ratio)
    return float(special.ndtr(math.sqrt(r * d) / (1 + r) * (math.log(mg) - math.log(h)) - special.ndtri(1 - a)))


def se_log_from_ci(lower: float, upper: float, level: float = 0.95) -> float:
    r"""Standard error of a log ratio recovered from a published two-sided confidence interval.

    Parameters
    ----------
    lower, upper : float
        Limits of the CI of a ratio (hazard or odds ratio), 0 < lower < upper.
    level : float
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    float
        :math:`(\log U - \log L) / (2 z_{(1+level)/2})`.

    Raises
    ------
    ValueError, TypeError
        On limits that are not positive and increasing, or a bad level.

    Notes
    -----
    Exact for a Wald interval on the log scale; published limits are rounded, so the SE is approximate.

    References
    ----------
    Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform meta-analyses of the published
    literature for survival endpoints. Stat Med. 1998;17(24):2815-2834.
    doi:10.1002/(SICI)1097-0258(19981230)17:24<2815::AID-SIM110>3.0.CO;2-8

    Examples
    --------
    >>> round(se_log_from_ci(0.26, 0.96), 3)
    0.333
    """
    lo = _validate.positive(lower, "lower")
    hi = _validate.positive(upper, "upper")
    if hi <= lo:
        raise ValueError(f"upper must exceed lower; got lower = {lo:g}, upper = {hi:g}")
    lv = _validate.probability(level, "level")
    return (math.log(hi) - math.log(lo)) / (2.0 * float(special.ndtri((1 + lv) / 2)))


def hr_ni_test(hr: float, margin: float, *, se_log_hr: float | None = None, events: float | None = None,
               ratio: float = 1.0, alpha: float = 0.025) -> NIResult:
    r"""Non-inferiority of the lower dose on an observed hazard ratio.

    Parameters
    ----------
    hr : float
        Observed hazard ratio (lower / higher dose), > 0.
    margin : float
        Hazard-ratio margin M > 1.
    se_log_hr : float, optional
        Standard error of :math:`\log\widehat{HR}` (e.g. from a Cox model, or :func:`se_log_from_ci`).
    events : float, optional
        Total events, to use Schoenfeld's :math:`SE = (1+\rho)/\sqrt{\rho D}` instead; give exactly one of
        ``se_log_hr`` and ``events``.
    ratio : float
        Allocation ratio :math:`n_L / n_H` (only with ``events``).
    alpha : float
        One-sided level; the CI has level :math:`1 - 2\alpha`.

    Returns
    -------
    NIResult
        Non-inferiority when the upper CI limit is below M.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range, a margin <= 1, or neither / both of ``se_log_hr`` and ``events``.

    Notes
    -----
    .. math:: Z = \frac{\log M - \log\widehat{HR}}{SE},\qquad
              CI = \exp(\log\widehat{HR} \pm z_{1-\alpha} SE).

    References
    ----------
    Schoenfeld DA. Biometrics. 1983;39(2):499-503. doi:10.2307/2531021
    Rothmann MD, Wiens BL, Chan ISF. Design and Analysis of Non-Inferiority Trials. Chapman & Hall/CRC; 2011.

    Examples
    --------
    >>> r = hr_ni_test(1.10, 1.3, events=400)
    >>> round(r.ci_upper, 3), r.non_inferior
    (1.338, False)
    """
    h = _validate.positive(hr, "hr")
    mg = _hr_margin(margin)
    a = _alpha(alpha)
    if (se_log_hr is None) == (events is None):
        raise ValueError("give exactly one of se_log_hr and events")
    if se_log_hr is not None:
        se = _validate.positive(se_log_hr, "se_log_hr")
    else:
        d = _validate.positive(events, "events", maximum=2 * _validate.MAX_PATIENTS)
        r = _ratio(ratio)
        se = (1 + r) / math.sqrt(r * d)
    zc = float(special.ndtri(1 - a))
    lh = math.log(h)
    z = (math.log(mg) - lh) / se
    return _result("hazard_ratio", "wald_log", h, math.exp(lh - zc * se), math.exp(lh + zc * se), mg, z, a)


# --- Study 211 ---------------------------------------------------------------------------------------------

def load_study211() -> dict:
    """The published numbers of lenvatinib Study 211 (``data/lenvatinib_study211.json``), a fresh copy.

    Returns
    -------
    dict
        With ``"source"``, ``"arms"``, ``"responders_derived"``, ``"confirm"`` and the published odds ratio.

    Examples
    --------
    >>> load_study211()["arms"]["low"]["n"]
    77
    """
    text = (resources.files("dosecourse") / "data" / "lenvatinib_study211.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Study211Check:
    """Re-analysis of lenvatinib Study 211 (18 vs 24 mg) from its published numbers (returned).

    Parameters
    ----------
    x_low, n_low, x_high, n_high : int
        Responders (derived from the published rates) and patients, 18 mg (low) and 24 mg (high).
    result : NIResult
        The non-inferiority analysis on the chosen scale.
    power_if_equal : float
        Large-sample power of the same test with these arm sizes if 18 mg truly had the 24-mg arm's observed
        response rate: what the trial could have shown had the doses been equally active.
    published_or : float
        The published odds ratio (18/24 mg).
    published_or_ci : tuple of float
        Its published 95% CI ``(lower, upper)``.
    source : str
        Citation of the published numbers (from the data file ``lenvatinib_study211.json``).
    confirm : tuple of str
        Values to confirm in the full paper (see the data file).
    """

    x_low: int
    n_low: int
    x_high: int
    n_high: int
    result: NIResult
    power_if_equal: float
    published_or: float
    published_or_ci: tuple[float, float]
    source: str
    confirm: tuple[str, ...]

    def __post_init__(self) -> None:
        _counts(self.x_low, self.n_low, "x_low", "n_low")
        _counts(self.x_high, self.n_high, "x_high", "n_high")
        _validate.instance(self.result, "result", NIResult)
        _validate.probability(self.power_if_equal, "power_if_equal", open_interval=False)
        _validate.positive(self.published_or, "published_or")
        ci = _validate.real_array(self.published_or_ci, "published_or_ci", minimum=0.0, strict_minimum=True,
                                  ndim=1)
        if ci.size != 2 or ci[0] > ci[1]:
            raise ValueError(f"published_or_ci must be the interval (lower, upper) with lower <= upper; got "
                             f"{ci.tolist()}")
        _validate.text(self.source, "source")
        for item in _validate.sequence(self.confirm, "confirm"):
            _validate.text(item, "confirm item")

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The data used, the analysis and the conclusion as a two-column table.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Responders per arm, the published odds ratio, the rows of :meth:`NIResult.to_frame` and the power
            if the doses were equally active; columns quantity and value.
        """
        lang = check_lang(lang)
        head = pd.DataFrame([
            (t("dcomp_row_resp_low", lang), f"{self.x_low}/{self.n_low} ({100 * self.x_low / self.n_low:.1f}%)"),
            (t("dcomp_row_resp_high", lang),
             f"{self.x_high}/{self.n_high} ({100 * self.x_high / self.n_high:.1f}%)"),
            (t("dcomp_row_published_or", lang),
             f"{self.published_or:.2f} ({self.published_or_ci[0]:.2f}, {self.published_or_ci[1]:.2f})"),
        ], columns=[t("dcomp_col_quantity", lang), t("dcomp_col_value", lang)])
        tail = pd.DataFrame([(t("dcomp_row_power_equal", lang), f"{self.power_if_equal:.3f}")],
                            columns=head.columns)
        return pd.concat([head, self.result.to_frame(lang), tail], ignore_index=True)


def study211_check(margin: float | None = None, *, scale: str = "odds_ratio", alpha: float = 0.025,
                   method: str = "fm") -> Study211Check:
    r"""Why lenvatinib 18 mg could not be shown non-inferior to 24 mg in Study 211.

    Parameters
    ----------
    margin : float, optional
        Non-inferiority margin: an odds ratio in (0, 1) for ``scale="odds_ratio"`` (default: the published
        0.4, see the data file's ``confirm`` notes), or a risk difference :math:`\Delta` in (0, 1) for
        ``scale="difference"`` (required: no difference margin was published).
    scale : {"odds_ratio", "difference"}
    alpha : float
        One-sided level (0.025: two-sided 95% CI).
    method : {"fm", "wald"}
        Test of the difference (ignored on the odds-ratio scale).

    Returns
    -------
    Study211Check

    Raises
    ------
    ValueError, TypeError
        On a bad margin, scale, alpha or method, or a missing difference margin.

    Notes
    -----
    Numbers used (``data/lenvatinib_study211.json``): 152 randomized, 77 to 18 mg and 75 to 24 mg; ORR at
    week 24 40.3% and 57.3%, i.e. 31/77 and 43/75 responders (derived: these counts reproduce the published
    rates, their 95% CIs and the odds ratio 0.50, 95% CI 0.26-0.96).  With the published odds-ratio margin
    0.4 the lower CI limit 0.26 is below 0.4, so non-inferiority is not shown; the point estimate itself
    (0.50) is close to the margin.  The trial was not too small to succeed: had 18 mg been as active as
    24 mg, the test would have had about 80% power (``power_if_equal``); the observed 17-point deficit is what
    failed it.

    References
    ----------
    Brose MS, et al. J Clin Endocrinol Metab. 2022;107(3):776-787. doi:10.1210/clinem/dgab731
    Taylor MH, et al. Cancer Med. 2023;12(4):4332-4342. doi:10.1002/cam4.5308 (arm sizes)

    Examples
    --------
    >>> c = study211_check()
    >>> round(c.result.ci_lower, 2), c.result.non_inferior
    (0.26, False)
    >>> study211_check(0.2, scale="difference").result.non_inferior
    False
    """
    sc = _validate.one_of(scale, "scale", STUDY211_SCALES)
    a = _alpha(alpha)
    m = _validate.one_of(method, "method", RATE_METHODS)
    data = load_study211()
    xl, xh = data["responders_derived"]["low"], data["responders_derived"]["high"]
    nl, nh = data["arms"]["low"]["n"], data["arms"]["high"]["n"]
    ph = xh / nh
    if sc == "odds_ratio":
        mg = data["ni_margin_odds_ratio"] if margin is None else _or_margin(margin)
        res = odds_ratio_ni_test(xl, nl, xh, nh, mg, alpha=a)
        power = odds_ratio_ni_power(ph, ph, mg, nl, nh, alpha=a)
    else:
        if margin is None:
            raise ValueError("margin is required on the difference scale (no difference margin was published); "
                             "got None")
        delta = _diff_margin(margin)
        res = rate_ni_test(xl, nl, xh, nh, delta, alpha=a, method=m)
        power = rate_ni_power(ph, ph, delta, nl, nh, alpha=a, method=m)
    ci = data["odds_ratio_ci95"]
    return Study211Check(xl, nl, xh, nh, res, power, float(data["odds_ratio_low_vs_high"]),
                         (float(ci[0]), float(ci[1])), data["source"], tuple(data["confirm"]))
