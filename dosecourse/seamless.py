r"""Two-stage seamless phase 2/3 designs that select one of K doses (arms) against a common control.

Setting (all the course's seamless examples): a normal endpoint with known standard deviation
:math:`\sigma` (z-tests), K experimental arms (doses) and one control, equal allocation.  Stage 1 randomizes
:math:`n_1 = t\,n` patients to every arm and to control (:math:`t` is the information fraction, :math:`n` the
final per-arm sample size); at the interim the arm with the largest stage-1 z-statistic is selected
(optionally the trial stops for futility when that largest z is below ``z_futility``); stage 2 randomizes
:math:`n_2 = (1 - t)\,n` patients to the selected arm and to control only.  Effects are standardized:
:math:`\delta_k = (\mu_k - \mu_0) / \sigma`.

Tests of the selected arm against control (one-sided level :math:`\alpha`, default 0.025), see :data:`METHODS`:

* ``"naive"``: pool both stages of the selected arm and of control, compare the pooled z with
  :math:`z_{1-\alpha}` as if no selection had happened.  It does **not** control the familywise error rate
  (FWER): 0.0405 for K = 2 and 0.0613 for K = 4 at t = 1/2 (:func:`naive_fwer`);
* ``"bonferroni"``: the naive statistic at level :math:`\alpha / K`;
* ``"dunnett"``: the naive statistic against the classical Dunnett critical value of K arms sharing a control
  (correlation 1/2) - valid, conservative;
* ``"exact_adjusted"``: the naive statistic against the critical value that makes the exact FWER equal
  :math:`\alpha` (the equicorrelated quantile with correlation :math:`1 - t/2`, derived below);
* ``"closed_dunnett"``, ``"closed_bonferroni"``, ``"closed_simes"``: the adaptive closed test with the
  inverse-normal combination of stage-wise p-values (weights :math:`\sqrt t, \sqrt{1-t}`) and Dunnett,
  Bonferroni or Simes intersection tests on the stage-1 data, as in rpact's
  ``getSimulationMultiArmMeans(design = getDesignInverseNormal(kMax = 2, typeOfDesign = "noEarlyEfficacy"),
  typeOfSelection = "best", intersectionTest = ...)``.

Everything is computed **exactly** by one-dimensional numerical integration
(:func:`exact_operating_characteristics`, :func:`selection_bias`, :func:`naive_fwer`) except the Simes closed
test, whose adjusted p-value depends on all K stage-1 statistics; :func:`simulate_operating_characteristics`
simulates every method at once (vectorised, seeded) as an independent check.

The key identity (derived in :func:`exact_operating_characteristics`): write the stage-1 z of arm k as
:math:`Z_{1k} = (U_k - U_0)/\sqrt2 + d_k` with independent standard normal :math:`U_0, \dots, U_K` (the
standardized stage-1 means; :math:`U_0` is the control's, shared by every arm, hence the correlation 1/2) and
:math:`d_k = \delta_k\sqrt{n_1/2}`.  The pooled (both-stage) statistic of the selected arm S is exactly

.. math:: Z_S = \sqrt t\, Z_{1S} + \sqrt{1-t}\, Z_{2S},

where :math:`Z_{2S}` uses only stage-2 data and is independent of stage 1: the stage-1 control data enter the
final statistic, but only through :math:`Z_{1S}`.

References
----------
Bauer P, Kieser M. Combining different phases in the development of medical treatments within a single trial.
Stat Med. 1999;18(14):1833-1848. doi:10.1002/(SICI)1097-0258(19990730)18:14<1833::AID-SIM221>3.0.CO;2-3
Bretz F, Schmidli H, König F, Racine A, Maurer W. Confirmatory seamless phase II/III clinical trials with
hypotheses selection at interim: general concepts. Biom J. 2006;48(4):623-634. doi:10.1002/bimj.200510232
Posch M, Koenig F, Branson M, Brannath W, Dunger-Baldauf C, Bauer P. Testing and estimation in flexible group
sequential designs with adaptive treatment selection. Stat Med. 2005;24(24):3697-3714. doi:10.1002/sim.2389
Dunnett CW. A multiple comparison procedure for comparing several treatments with a control. J Am Stat Assoc.
1955;50(272):1096-1121. doi:10.1080/01621459.1955.10501294
Wassmer G, Brannath W. Group Sequential and Confirmatory Adaptive Designs in Clinical Trials. Springer; 2016.
doi:10.1007/978-3-319-32562-0 (chapter 11, multi-arm designs; the method of rpact).
Reference software: R package rpact 3.3.4, ``getSimulationMultiArmMeans`` and ``getDesignInverseNormal``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from . import _validate
from .i18n import check_lang, t

MAX_ARMS: int = 10
"""Largest number of experimental arms K (the Simes closed test has :math:`2^K - 1` intersections)."""

MAX_EFFECT: float = 5.0
"""Largest absolute standardized effect :math:`|\\delta_k|` accepted (5 SD is far beyond any real effect)."""

METHODS: tuple[str, ...] = ("naive", "bonferroni", "dunnett", "exact_adjusted",
                            "closed_dunnett", "closed_bonferroni", "closed_simes")
"""Tests of the selected arm, in the order tables show them (see the module docstring)."""

EXACT_METHODS: tuple[str, ...] = METHODS[:-1]
"""Methods computed exactly by :func:`exact_operating_characteristics` (all but the Simes closed test)."""

NAIVE_STATISTIC_METHODS: tuple[str, ...] = METHODS[:4]
"""Methods that compare the naive pooled statistic with a critical value."""

_SQRT2 = math.sqrt(2.0)
_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(64)
_GH_W = _GH_W / math.sqrt(2.0 * math.pi)  # E[g(Y)], Y ~ N(0, 1)  ~=  sum(_GH_W * g(_GH_X))
_GL_X, _GL_W = np.polynomial.legendre.leggauss(10)
_TAIL = 9.0  # a normal variable lies within 9 SD of its mean except for a mass below 2e-19
_PANEL = 0.5  # coarse panel width of the composite Gauss-Legendre rule (functions of scale >= 1)
_CHUNK = 200_000  # simulated trials per block (memory), blocks are processed in order


# --- the design ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeamlessDesign:
    """A two-stage seamless design selecting the best of K arms against a shared control.

    Parameters
    ----------
    n_arms : int
        Number of experimental arms K, 1 to :data:`MAX_ARMS`.
    info_fraction : float
        Information fraction t of the interim, in (0, 1): stage 1 has :math:`t\\,n` patients per arm.
    n_per_arm : int
        Final sample size n per arm (selected arm and control), 2 to ``MAX_PATIENTS``.  Stage sizes
        :math:`t n` and :math:`(1-t) n` need not be whole numbers: only the information enters the z-tests.
    alpha : float
        One-sided significance level, in (0, 0.5).
    z_futility : float or None
        Stop at the interim when the largest stage-1 z is below this value (non-binding: no critical value is
        changed); None for no futility rule.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range or of the wrong type (the message names it).

    Examples
    --------
    >>> d = SeamlessDesign(n_arms=3, info_fraction=0.5, n_per_arm=80)
    >>> d.n_stage1, d.n_stage2
    (40.0, 40.0)
    """

    n_arms: int
    info_fraction: float
    n_per_arm: int = 100
    alpha: float = 0.025
    z_futility: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "n_arms", _validate.integer(self.n_arms, "n_arms", minimum=1, maximum=MAX_ARMS))
        set_(self, "info_fraction", _validate.number(self.info_fraction, "info_fraction", minimum=0.0,
                                                     maximum=1.0, strict_minimum=True, strict_maximum=True))
        set_(self, "n_per_arm", _validate.integer(self.n_per_arm, "n_per_arm", minimum=2,
                                                  maximum=_validate.MAX_PATIENTS))
        set_(self, "alpha", _validate.number(self.alpha, "alpha", minimum=0.0, maximum=0.5,
                                             strict_minimum=True, strict_maximum=True))
        if self.z_futility is not None:
            set_(self, "z_futility", _validate.number(self.z_futility, "z_futility"))

    @property
    def n_stage1(self) -> float:
        """Patients per arm (and control) in stage 1, :math:`t n`."""
        return self.info_fraction * self.n_per_arm

    @property
    def n_stage2(self) -> float:
        """Patients in the selected arm (and control) in stage 2, :math:`(1 - t) n`."""
        return (1.0 - self.info_fraction) * self.n_per_arm

    def drifts(self, effects: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Means of the stage-1 and stage-2 z-statistics per arm: :math:`\\delta_k\\sqrt{n_1/2}`,
        :math:`\\delta_k\\sqrt{n_2/2}`.

        Parameters
        ----------
        effects : sequence of float, optional
            Standardized true effects :math:`\\delta_k = (\\mu_k - \\mu_0)/\\sigma`, one per arm, each within
            :math:`\\pm` :data:`MAX_EFFECT`; zeros (the global null) by default.

        Returns
        -------
        (stage1, stage2) : tuple of ndarray
            The drifts of each stage, shape (K,).
        """
        delta = _effects(effects, self.n_arms)
        return delta * math.sqrt(self.n_stage1 / 2.0), delta * math.sqrt(self.n_stage2 / 2.0)


def _design(design: object) -> SeamlessDesign:
    return _validate.instance(design, "design", SeamlessDesign)


def _effects(effects: Sequence[float] | None, k: int) -> np.ndarray:
    """Standardized effects per arm (zeros when None), each within +-MAX_EFFECT."""
    if effects is None:
        return np.zeros(k)
    return _validate.real_array(effects, "effects", ndim=1, length=k, minimum=-MAX_EFFECT, maximum=MAX_EFFECT)


def _methods(methods: Sequence[str], allowed: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(methods, str):
        methods = (methods,)
    if not isinstance(methods, Sequence) or len(methods) == 0:
        raise TypeError(f"methods must be a non-empty sequence of names from {allowed}; got {methods!r}")
    out = tuple(_validate.one_of(m, "methods", allowed) for m in methods)
    if len(set(out)) != len(out):
        raise ValueError(f"methods must not repeat a method; got {methods!r}")
    return out


# --- equicorrelated normal maxima -------------------------------------------------------------------------

def _gl_rule(breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the 10-point Gauss-Legendre rule on every panel between sorted ``breaks``."""
    a, b = breaks[:-1], breaks[1:]
    half = (b - a) / 2.0
    x = ((a + b) / 2.0)[:, None] + half[:, None] * _GL_X
    return x.ravel(), (half[:, None] * _GL_W).ravel()


def _breaks(lo: float, hi: float, centres: Sequence[float] = (), width: float = 1.0,
            kinks: Sequence[float] = ()) -> np.ndarray:
    """Panel ends on [lo, hi]: every :data:`_PANEL`, every width/2 within 8 widths of each centre, and panels
    shrinking geometrically (to 1e-12) towards each kink from the right."""
    pts = [np.arange(lo, hi, _PANEL), np.array([hi])]
    for x0 in kinks:
        pts.append(x0 + np.concatenate([[0.0], _PANEL * 0.5 ** np.arange(0, 40)]))
    if width < _PANEL:  # a lattice of step width/2, so that nearby centres share their panels
        step = width / 2.0
        idx = [np.arange(math.floor(c / step) - 16, math.ceil(c / step) + 17) for c in centres
               if lo - 8 * width < c < hi + 8 * width]
        if idx:
            pts.append(np.unique(np.concatenate(idx)) * step)
    b = np.concatenate(pts)
    return np.unique(b[(b >= lo) & (b <= hi)])


def _max_cdf_sf(c: np.ndarray | float, k: int, rho: float) -> tuple[np.ndarray, np.ndarray]:
    """P(max <= c) and P(max > c) of k standard normals with common correlation ``rho`` in [0, 1).

    :math:`P(\\max \\le c) = E\\,\\Phi((c - \\sqrt\\rho Y)/\\sqrt{1-\\rho})^k`, Y standard normal; Gauss-Hermite
    for rho = 1/2 (vectorised over c), a refined composite Gauss-Legendre rule otherwise (scalar c).
    """
    c = np.asarray(c, dtype=float)
    if rho == 0.0:
        lp = k * special.log_ndtr(c)
        return np.exp(lp), -np.expm1(lp)
    r, s = math.sqrt(rho), math.sqrt(1.0 - rho)
    if rho == 0.5:
        lp = k * special.log_ndtr((c[..., None] - r * _GH_X) / s)
        return np.exp(lp) @ _GH_W, -np.expm1(lp) @ _GH_W
    if c.ndim != 0:
        raise ValueError("internal: general correlation needs a single critical value")
    a0 = float(special.ndtri(0.5 ** (1.0 / k)))  # Phi(a)^k crosses 1/2 at a0, its width in a is about 1
    y, w = _gl_rule(_breaks(-_TAIL, _TAIL, [(float(c) - s * a0) / r], s / r))
    w = w * np.exp(-0.5 * y * y) / math.sqrt(2.0 * math.pi)
    lp = k * special.log_ndtr((float(c) - r * y) / s)
    return np.asarray(np.exp(lp) @ w), np.asarray(-np.expm1(lp) @ w)


def _max_quantile(alpha: float, k: int, rho: float) -> float:
    """The c with P(max of k equicorrelated standard normals > c) = alpha."""
    lo = float(special.ndtri(1.0 - alpha))  # one arm: P(max > lo) >= alpha
    if k == 1:
        return lo
    hi = float(special.ndtri(1.0 - alpha / k))  # Bonferroni: P(max > hi) <= alpha
    return optimize.brentq(lambda c: float(_max_cdf_sf(c, k, rho)[1]) - alpha, lo, hi + 1e-9, xtol=1e-13)


def dunnett_critical_value(n_arms: int, alpha: float = 0.025, rho: float = 0.5) -> float:
    r"""One-sided critical value for the maximum of K equicorrelated standard normal statistics.

    Parameters
    ----------
    n_arms : int
        Number of statistics K, 1 to :data:`MAX_ARMS`.
    alpha : float
        One-sided level, in (0, 0.5).
    rho : float
        Common correlation, in [0, 1); 1/2 (default) is K arms sharing a control with equal allocation
        (Dunnett's test with known variance); :math:`1 - t/2` gives the exact critical value of the naive
        pooled statistic after selection (method ``"exact_adjusted"``).

    Returns
    -------
    float
        :math:`c` with :math:`P(\max_k Z_k > c) = \alpha`.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Notes
    -----
    With :math:`Z_k = \sqrt\rho\, Y + \sqrt{1-\rho}\, E_k` (Y, :math:`E_k` independent standard normal),

    .. math:: P(\max_k Z_k \le c) = \int \varphi(y)\, \Phi\!\Big(\frac{c - \sqrt\rho\, y}{\sqrt{1-\rho}}\Big)^K dy,

    integrated by Gauss-Hermite (rho = 1/2) or a composite Gauss-Legendre rule refined where the integrand
    changes, and solved for c by Brent's method (tolerance 1e-13).

    References
    ----------
    Dunnett CW. J Am Stat Assoc. 1955;50(272):1096-1121. doi:10.1080/01621459.1955.10501294
    Checked against R ``mvtnorm::qmvnorm(1 - alpha, tail = "lower.tail", corr = ...)`` (mvtnorm 1.x, via
    rpact 3.3.4's ``.getMultivariateDistribution``).

    Examples
    --------
    >>> round(dunnett_critical_value(2), 4)
    2.2121
    >>> round(dunnett_critical_value(4, rho=0.75), 4)
    2.3523
    """
    k = _validate.integer(n_arms, "n_arms", minimum=1, maximum=MAX_ARMS)
    a = _validate.number(alpha, "alpha", minimum=0.0, maximum=0.5, strict_minimum=True, strict_maximum=True)
    r = _validate.number(rho, "rho", minimum=0.0, maximum=1.0, strict_maximum=True)
    return _max_quantile(a, k, r)


def critical_value(design: SeamlessDesign, method: str) -> float:
    r"""The critical value a method compares its final statistic with.

    Parameters
    ----------
    design : SeamlessDesign
        The design (K, t, alpha).
    method : str
        One of :data:`METHODS`.

    Returns
    -------
    float
        For the naive-statistic methods, the critical value of the pooled z of the selected arm:
        :math:`z_{1-\alpha}` (naive), :math:`z_{1-\alpha/K}` (Bonferroni), the Dunnett value of K arms with
        correlation 1/2 (dunnett), the equicorrelated quantile with correlation :math:`1 - t/2` (exact_adjusted).
        For the closed tests, the critical value :math:`z_{1-\alpha}` of the combination statistic of every
        intersection hypothesis (rpact's ``getDesignInverseNormal(kMax = 2, typeOfDesign =
        "noEarlyEfficacy")$criticalValues[2]`` = 1.959964 for alpha = 0.025).

    Raises
    ------
    ValueError, TypeError
        On a bad design or method.

    Notes
    -----
    ``exact_adjusted`` solves :math:`1 - \Phi_K(c;\, 1 - t/2) = \alpha` (see
    :func:`exact_operating_characteristics`): under the global null its FWER is exactly alpha without a
    futility rule, and at most alpha with one (the rule is non-binding).

    References
    ----------
    Bretz F et al. Biom J. 2006;48(4):623-634. doi:10.1002/bimj.200510232

    Examples
    --------
    >>> d = SeamlessDesign(2, 0.5)
    >>> [round(critical_value(d, m), 4) for m in ("naive", "bonferroni", "dunnett", "exact_adjusted")]
    [1.96, 2.2414, 2.2121, 2.1676]
    """
    d = _design(design)
    m = _validate.one_of(method, "method", METHODS)
    return _critical(d, m)


def _critical(d: SeamlessDesign, m: str) -> float:
    if m == "bonferroni":
        return float(special.ndtri(1.0 - d.alpha / d.n_arms))
    if m == "dunnett":
        return _max_quantile(d.alpha, d.n_arms, 0.5)
    if m == "exact_adjusted":
        return _max_quantile(d.alpha, d.n_arms, 1.0 - d.info_fraction / 2.0)
    return float(special.ndtri(1.0 - d.alpha))  # naive and every closed test


# --- adjusted stage-1 statistics of the closed tests ------------------------------------------------------

def _z_from_p(p: np.ndarray, q: np.ndarray | None = None) -> np.ndarray:
    """:math:`\\Phi^{-1}(1 - p)` computed from whichever of p and q = 1 - p is small."""
    q = 1.0 - p if q is None else q
    return np.where(p < 0.5, -special.ndtri(np.clip(p, 0.0, 0.5)), special.ndtri(np.clip(q, 0.0, 0.5)))


def _adjusted_z(kind: str, x: np.ndarray, k: int) -> np.ndarray:
    """Stage-1 z of the binding intersection hypothesis, as a function of the selected arm's stage-1 z."""
    if kind == "closed_dunnett":  # p = 1 - Phi_K(x; 1/2), the global intersection is binding
        cdf, sf = _max_cdf_sf(x, k, 0.5)
        return _z_from_p(sf, cdf)
    if kind == "closed_bonferroni":  # p = min(1, K p_S)
        p = np.minimum(1.0, k * special.ndtr(-x))
        return _z_from_p(p)
    return x


def _transition(kind: str, target: float, k: int) -> float:
    """The stage-1 z at which the adjusted z equals ``target`` (where a rejection probability changes)."""
    if kind == "closed_bonferroni" or (kind == "closed_dunnett" and k > 1):
        x_bonf = float(-special.ndtri(special.ndtr(-target) / k))
        if kind == "closed_bonferroni":
            return x_bonf
        f = lambda x: float(_adjusted_z(kind, np.asarray(x), k)) - target  # noqa: E731
        if f(x_bonf) <= 0.0:
            return x_bonf
        return optimize.brentq(f, target, x_bonf, xtol=1e-10)
    return target


def _simes_adjusted_p(p: np.ndarray) -> np.ndarray:
    """Largest Simes p-value over every intersection containing the arm with the smallest p (rows = trials).

    For a given size m, Simes' p-value increases with every p-value, so the binding intersection of size m adds
    the m - 1 largest other p-values to the selected arm's.
    """
    ps = np.sort(p, axis=1)
    k = ps.shape[1]
    best = ps[:, 0]
    out = best.copy()
    for m in range(2, k + 1):
        others = ps[:, k - m + 1:] * (m / np.arange(2, m + 1))
        out = np.maximum(out, np.minimum(m * best, others.min(axis=1)))
    return np.minimum(out, 1.0)


# --- the exact engine --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Group:
    """Arms sharing one effect: stage-1 and stage-2 drifts, members, continuation quadrature and density."""

    d: float
    e: float
    arms: np.ndarray
    x: np.ndarray
    w: np.ndarray
    f: np.ndarray  # density of the selected arm's stage-1 z for ONE arm of this group, at x


def _density(x: np.ndarray, g: int, dvals: np.ndarray, mult: np.ndarray) -> np.ndarray:
    r""":math:`f_s(x) = \varphi(x - d_s)\, E_Y \prod_{k \ne s} \Phi((x + d_s - 2 d_k + Y)/\sqrt2)`."""
    counts = mult.astype(float)
    counts[g] -= 1.0
    if x.size == 0:
        return x.copy()
    arg = (x[:, None, None] + dvals[g] - 2.0 * dvals[None, None, :] + _GH_X[None, :, None]) / _SQRT2
    lp = (special.log_ndtr(arg) * counts).sum(axis=2)
    return np.exp(-0.5 * (x - dvals[g]) ** 2) / math.sqrt(2.0 * math.pi) * (np.exp(lp) @ _GH_W)


def _groups(design: SeamlessDesign, delta: np.ndarray, specs: Sequence[tuple[str, float]]) -> list[_Group]:
    """Quadrature of the selected arm's stage-1 z over the continuation region, one group per distinct effect."""
    d_all = delta * math.sqrt(design.n_stage1 / 2.0)
    dvals, inverse, mult = np.unique(d_all, return_inverse=True, return_counts=True)
    evals = np.array([delta[inverse == g][0] for g in range(dvals.size)]) * math.sqrt(design.n_stage2 / 2.0)
    tt = design.info_fraction
    width = math.sqrt((1.0 - tt) / tt)
    out = []
    for g, (dg, eg) in enumerate(zip(dvals, evals)):
        lo = dg - _TAIL if design.z_futility is None else max(dg - _TAIL, design.z_futility)
        hi = dg + _TAIL
        if lo >= hi:
            x = w = np.zeros(0)
        else:
            centres = [_transition(kind, (c - math.sqrt(1.0 - tt) * eg) / math.sqrt(tt), design.n_arms)
                       for kind, c in specs]
            # closed Bonferroni: K p_S reaches 1 at x0, where the adjusted z falls to -infinity like
            # -sqrt(2 log(1/(x - x0))), so the rejection probability starts as a power of (x - x0)
            kinks = [float(-special.ndtri(1.0 / design.n_arms))] if design.n_arms > 1 and any(
                kind == "closed_bonferroni" for kind, _ in specs) else []
            x, w = _gl_rule(_breaks(lo, hi, centres, width, kinks))
        out.append(_Group(float(dg), float(eg), np.flatnonzero(inverse == g), x, w, _density(x, g, dvals, mult)))
    return out


def _futility_probability(design: SeamlessDesign, delta: np.ndarray) -> float:
    """P(largest stage-1 z < z_futility), integrating the selected arm's density below the bound."""
    if design.z_futility is None:
        return 0.0
    d_all = delta * math.sqrt(design.n_stage1 / 2.0)
    dvals, mult = np.unique(d_all, return_counts=True)
    total = 0.0
    for g, dg in enumerate(dvals):
        hi = min(design.z_futility, dg + _TAIL)
        if hi > dg - _TAIL:
            x, w = _gl_rule(_breaks(dg - _TAIL, hi))
            total += mult[g] * float(w @ _density(x, g, dvals, mult))
    return total


def _rejection(kind: str, c: float, grp: _Group, design: SeamlessDesign) -> float:
    """P(arm selected, trial continues, its hypothesis rejected) for one arm of group ``grp``."""
    tt = design.info_fraction
    z1 = _adjusted_z(kind, grp.x, design.n_arms)
    r = special.ndtr(grp.e - (c - math.sqrt(tt) * z1) / math.sqrt(1.0 - tt))
    return float(grp.w @ (grp.f * r))


@dataclass(frozen=True)
class ExactOC:
    """Exact operating characteristics of several tests of one seamless design (returned, not built by users).

    Parameters
    ----------
    design : SeamlessDesign
        The design evaluated.
    effects : ndarray, shape (K,)
        Standardized true effects :math:`\\delta_k`.
    methods : tuple of str
        The M tests evaluated, names from :data:`EXACT_METHODS`.
    critical_values : ndarray, shape (M,)
        See :func:`critical_value`.
    reject_any : ndarray, shape (M,)
        P(at least one hypothesis rejected): the FWER under the global null, the power (rpact's
        ``rejectAtLeastOne``) otherwise.  Only the selected arm can be rejected.
    reject_per_arm : ndarray, shape (M, K)
        P(arm k selected and its hypothesis rejected) (rpact's ``rejectedArmsPerStage[2, , k]``).
    selected : ndarray, shape (K,)
        P(arm k selected and the trial continues to stage 2) (rpact's ``selectedArms[2, , k]``).
    futility_stop : float
        P(stop at the interim for futility) (rpact's ``futilityStop``).
    """

    design: SeamlessDesign
    effects: np.ndarray
    methods: tuple[str, ...]
    critical_values: np.ndarray
    reject_any: np.ndarray
    reject_per_arm: np.ndarray
    selected: np.ndarray
    futility_stop: float

    def __post_init__(self) -> None:
        k = _validate.instance(self.design, "design", SeamlessDesign).n_arms
        _validate.real_array(self.effects, "effects", ndim=1, length=k)
        methods = [_validate.one_of(m, "methods item", EXACT_METHODS)
                   for m in _validate.sequence(self.methods, "methods")]
        if not methods:
            raise ValueError("methods must name at least one test; got ()")
        _validate.real_array(self.critical_values, "critical_values", minimum=0.0, strict_minimum=True, ndim=1,
                             length=len(methods))
        _validate.real_array(self.reject_any, "reject_any", minimum=0.0, maximum=1.0, ndim=1, length=len(methods))
        per_arm = _validate.real_array(self.reject_per_arm, "reject_per_arm", minimum=0.0, maximum=1.0, ndim=2)
        if per_arm.shape != (len(methods), k):
            raise ValueError(f"reject_per_arm must have shape ({len(methods)}, {k}) (methods x arms); got "
                             f"{per_arm.shape}")
        _validate.real_array(self.selected, "selected", minimum=0.0, maximum=1.0, ndim=1, length=k)
        _validate.probability(self.futility_stop, "futility_stop", open_interval=False)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per method: critical value, P(reject at least one), P(reject arm k).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the method names and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
        """
        return _oc_frame(self, None, lang)

    def selection_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per arm: true effect and P(selected and continues); a last row for the futility stop.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and of the futility row (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: arm, true effect (NaN on the futility row) and probability.
        """
        return _selection_frame(self, lang)


def exact_operating_characteristics(design: SeamlessDesign, effects: Sequence[float] | None = None, *,
                                    methods: Sequence[str] = EXACT_METHODS) -> ExactOC:
    r"""Exact rejection and selection probabilities of a seamless design, by numerical integration.

    Parameters
    ----------
    design : SeamlessDesign
        K, t, n per arm, alpha, optional futility bound.
    effects : sequence of float, optional
        Standardized true effects :math:`\delta_k = (\mu_k - \mu_0)/\sigma`, one per arm; zeros (the global
        null) by default.
    methods : sequence of str
        Any of :data:`EXACT_METHODS` (the Simes closed test is only simulated).

    Returns
    -------
    ExactOC

    Raises
    ------
    ValueError, TypeError
        On a bad design, effects of the wrong length or beyond :data:`MAX_EFFECT`, or an unknown method
        (``"closed_simes"`` is refused here: use :func:`simulate_operating_characteristics`).

    Notes
    -----
    **Stage-1 statistics.**  With :math:`U_0, \dots, U_K` independent standard normal (standardized stage-1
    means of control and arms), :math:`Z_{1k} = (U_k - U_0)/\sqrt2 + d_k`, :math:`d_k = \delta_k\sqrt{n_1/2}`:
    correlation 1/2 between arms through the shared control.  The selected arm is
    :math:`S = \arg\max_k Z_{1k}`.

    **Final statistics.**  The stage-2 z of the selected arm, :math:`Z_{2S} \sim N(e_S, 1)` with
    :math:`e_k = \delta_k\sqrt{n_2/2}`, uses fresh patients of the arm *and of control*, so it is independent
    of all stage-1 data given S.  The pooled difference of means is :math:`t\,\hat\theta_1 + (1-t)\hat\theta_2`,
    hence the naive statistic :math:`Z_S = \sqrt t Z_{1S} + \sqrt{1-t} Z_{2S}` exactly; the stage-1 control
    data are reused, but only through :math:`Z_{1S}`.  The closed tests combine the adjusted stage-1 p-value
    of each intersection hypothesis :math:`H_I` (:math:`I \ni S`) with the stage-2 p-value of S,
    :math:`\sqrt t\,\Phi^{-1}(1 - p_I) + \sqrt{1-t}\,Z_{2S} \ge z_{1-\alpha}`; since S has the largest
    stage-1 z, the binding intersection is the global one: :math:`p = 1 - \Phi_K(Z_{1S}; 1/2)` (Dunnett),
    :math:`\min(1, K p_S)` (Bonferroni).  So every exact method rejects when
    :math:`\sqrt t\, g(Z_{1S}) + \sqrt{1-t} Z_{2S} > c` for an increasing :math:`g`.

    **Density of the selected arm's stage-1 z.**  Conditioning on :math:`U_0` and completing the square,

    .. math:: f_s(x) = \frac{d}{dx}P(S = s, Z_{1s} \le x)
              = \varphi(x - d_s)\; E_Y \prod_{k\ne s}\Phi\!\Big(\frac{x + d_s - 2d_k + Y}{\sqrt2}\Big),

    and

    .. math:: P(S = s, \text{continue}, \text{reject}) = \int_{z_f}^{\infty} f_s(x)\,
              \Phi\!\Big(e_s - \frac{c - \sqrt t\, g(x)}{\sqrt{1-t}}\Big)\,dx .

    The inner expectation uses 64-point Gauss-Hermite; the outer integral a 10-point Gauss-Legendre rule on
    panels of width 0.5 over :math:`d_s \pm 9`, refined around the point where the rejection probability
    changes when :math:`\sqrt{(1-t)/t} < 0.5`.  Arms with equal effects share one evaluation.

    **Global null, naive statistic.**  With :math:`\tilde W_k = \sqrt t Z_{1k} + \sqrt{1-t} Z_{2S}` (the
    same stage-2 draw for every k), :math:`\arg\max_k \tilde W_k = S` and :math:`\tilde W_S = Z_S`; the
    :math:`\tilde W_k` are standard normal with correlation :math:`t/2 + 1 - t = 1 - t/2`, so

    .. math:: \mathrm{FWER}_{naive} = 1 - \Phi_K(z_{1-\alpha};\ \rho = 1 - t/2),

    which the tests check against this integral; ``exact_adjusted`` uses the matching quantile.

    References
    ----------
    Bretz F et al. Biom J. 2006;48(4):623-634. doi:10.1002/bimj.200510232
    Wassmer G, Brannath W. Springer 2016, chapter 11. doi:10.1007/978-3-319-32562-0
    rpact 3.3.4 ``getSimulationMultiArmMeans`` (``typeOfSelection = "best"``, ``intersectionTest = "Dunnett"``
    or ``"Bonferroni"``; a futility rule on the best stage-1 z is ``effectMeasure = "testStatistic",
    threshold = z_futility``).

    Examples
    --------
    >>> oc = exact_operating_characteristics(SeamlessDesign(2, 0.5), methods=("naive", "closed_dunnett"))
    >>> oc.reject_any.round(4).tolist()
    [0.0405, 0.025]
    """
    d = _design(design)
    delta = _effects(effects, d.n_arms)
    ms = _methods(methods, EXACT_METHODS)
    crit = np.array([_critical(d, m) for m in ms])
    specs = list(zip(ms, crit))
    groups = _groups(d, delta, specs)
    per_arm = np.zeros((len(ms), d.n_arms))
    selected = np.zeros(d.n_arms)
    for grp in groups:
        selected[grp.arms] = float(grp.w @ grp.f)
        for i, (kind, c) in enumerate(specs):
            per_arm[i, grp.arms] = _rejection(kind, c, grp, d)
    return ExactOC(d, _frozen(delta), ms, _frozen(crit), _frozen(per_arm.sum(axis=1)), _frozen(per_arm),
                   _frozen(selected), _futility_probability(d, delta))


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def naive_fwer(n_arms: int, info_fraction: float, alpha: float = 0.025, *, z_futility: float | None = None,
               critical: float | None = None) -> float:
    r"""Exact familywise type I error of the naive pooled test after selecting the best of K arms.

    Parameters
    ----------
    n_arms : int
        Number of arms K, 1 to :data:`MAX_ARMS`.
    info_fraction : float
        Information fraction t of the interim, in (0, 1).
    alpha : float
        Nominal one-sided level (the naive critical value is :math:`z_{1-\alpha}`).
    z_futility : float, optional
        Futility bound on the largest stage-1 z.
    critical : float, optional
        Critical value of the pooled statistic instead of :math:`z_{1-\alpha}`.

    Returns
    -------
    float
        P(reject the selected arm's null hypothesis) under the global null.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Notes
    -----
    :math:`\mathrm{FWER} = 1 - \Phi_K(c;\ 1 - t/2)` without futility (see
    :func:`exact_operating_characteristics`); the integral over the selected arm's stage-1 z is used here, in
    every case.  The per-arm sample size does not matter under the null.

    References
    ----------
    Bauer P, Kieser M. Stat Med. 1999;18(14):1833-1848.

    Examples
    --------
    >>> [round(naive_fwer(k, 0.5), 4) for k in (1, 2, 4)]
    [0.025, 0.0405, 0.0613]
    """
    d = SeamlessDesign(n_arms, info_fraction, 100, alpha, z_futility)
    c = _critical(d, "naive") if critical is None else _validate.number(critical, "critical")
    groups = _groups(d, np.zeros(d.n_arms), [("naive", c)])
    return d.n_arms * _rejection("naive", c, groups[0], d)


def naive_fwer_table(n_arms: Sequence[int] = (1, 2, 3, 4, 5, 6),
                     info_fractions: Sequence[float] = (0.25, 0.5, 0.75), alpha: float = 0.025,
                     lang: str = "en") -> pd.DataFrame:
    """Exact FWER of the naive test, one row per K and one column per information fraction.

    Parameters
    ----------
    n_arms : sequence of int
        Numbers of arms (rows).
    info_fractions : sequence of float
        Information fractions (columns), each in (0, 1).
    alpha : float
        Nominal one-sided level.
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    DataFrame
        FWER values (fractions), index labelled by K.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or more than 100 rows or columns.

    Notes
    -----
    Each cell is :func:`naive_fwer`.

    References
    ----------
    Bretz F et al. Biom J. 2006;48(4):623-634. doi:10.1002/bimj.200510232

    Examples
    --------
    >>> naive_fwer_table((2, 4), (0.5,)).round(4).iloc[:, 0].tolist()
    [0.0405, 0.0613]
    """
    lang = check_lang(lang)
    ks = _validate.whole_array(n_arms, "n_arms", minimum=1, ndim=1)
    ts = _validate.real_array(info_fractions, "info_fractions", ndim=1, nonempty=True, max_size=100,
                              minimum=0.0, strict_minimum=True)
    if np.any(ts >= 1):
        raise ValueError(f"info_fractions must each lie in (0, 1); got {ts[ts >= 1].tolist()}")
    if ks.size == 0 or ks.size > 100:
        raise ValueError(f"n_arms must hold 1 to 100 values; got {ks.size}")
    rows = {int(k): [naive_fwer(int(k), float(tt), alpha) for tt in ts] for k in ks}
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=[t("seam_col_info", lang, t=f"{tt:g}") for tt in ts])
    frame.index.name = t("seam_col_n_arms", lang)
    return frame


# --- selection bias ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SelectionBias:
    """Exact bias of the naive estimates of the selected arm's effect (standardized units; returned).

    Parameters
    ----------
    design : SeamlessDesign
        The design evaluated.
    effects : ndarray, shape (K,)
        Standardized true effects :math:`\\delta_k`.
    selected : ndarray, shape (K,)
        P(arm k selected and the trial continues).
    bias_stage1 : ndarray, shape (K,)
        :math:`E[\\hat\\delta_{1k} - \\delta_k \\mid S = k, \\text{continue}]` of the stage-1 estimate (NaN
        for an arm whose selection probability underflows to 0: the conditional bias is undefined).
    bias_pooled : ndarray, shape (K,)
        The same for the pooled two-stage estimate; equals :math:`t` times ``bias_stage1``.
    overall_stage1, overall_pooled : float
        :math:`E[\\hat\\delta_S - \\delta_S \\mid \\text{continue}]` whichever arm is selected.
    """

    design: SeamlessDesign
    effects: np.ndarray
    selected: np.ndarray
    bias_stage1: np.ndarray
    bias_pooled: np.ndarray
    overall_stage1: float
    overall_pooled: float

    def __post_init__(self) -> None:
        k = _validate.instance(self.design, "design", SeamlessDesign).n_arms
        _validate.real_array(self.effects, "effects", ndim=1, length=k)
        sel = _validate.real_array(self.selected, "selected", minimum=0.0, maximum=1.0, ndim=1, length=k)
        for label in ("bias_stage1", "bias_pooled"):  # NaN (documented) only where the selection is 0
            bias = getattr(self, label)
            if isinstance(bias, np.ndarray) and bias.dtype.kind == "f" and bias.shape == sel.shape:
                bias = np.where(np.isnan(bias) & (sel == 0), 0.0, bias)
            _validate.real_array(bias, label, ndim=1, length=k)
        _validate.number(self.overall_stage1, "overall_stage1")
        _validate.number(self.overall_pooled, "overall_pooled")

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per arm and a last row for the selected arm whichever it is.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and of the last row (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: arm, true effect (NaN on the last row), P(selected and continues) (their sum on the last
            row), and the stage-1 and pooled bias.
        """
        lang = check_lang(lang)
        arms = [str(k + 1) for k in range(self.design.n_arms)] + [t("seam_row_overall", lang)]
        frame = pd.DataFrame({
            t("seam_col_arm", lang): arms,
            t("seam_col_effect", lang): list(self.effects) + [np.nan],
            t("seam_col_selected", lang): list(self.selected) + [float(self.selected.sum())],
            t("seam_col_bias_stage1", lang): list(self.bias_stage1) + [self.overall_stage1],
            t("seam_col_bias_pooled", lang): list(self.bias_pooled) + [self.overall_pooled],
        })
        return frame


def selection_bias(design: SeamlessDesign, effects: Sequence[float] | None = None) -> SelectionBias:
    r"""Exact selection bias of the naive (stage-1 and pooled) estimates of the selected arm's effect.

    Parameters
    ----------
    design : SeamlessDesign
        With its futility rule, if any: the bias is then conditional on continuing to stage 2.
    effects : sequence of float, optional
        Standardized true effects per arm; the global null by default.

    Returns
    -------
    SelectionBias
        Biases in units of :math:`\sigma`.

    Raises
    ------
    ValueError, TypeError
        On a bad design or effects.

    Notes
    -----
    The stage-1 estimate of arm k is :math:`\hat\delta_{1k} = \sqrt{2/n_1}\, Z_{1k}`, so

    .. math:: E[\hat\delta_{1s} - \delta_s \mid S = s, Z_{1s} \ge z_f]
              = \sqrt{2/n_1}\, \frac{\int_{z_f}^\infty (x - d_s) f_s(x)\,dx}{\int_{z_f}^\infty f_s(x)\,dx}

    with :math:`f_s` of :func:`exact_operating_characteristics`.  The stage-2 estimate is unbiased, so the
    pooled estimate :math:`t\hat\delta_1 + (1-t)\hat\delta_2` has :math:`t` times the stage-1 bias.  Under
    the global null without futility the overall stage-1 bias is :math:`E[\max_k Z_{1k}]\sqrt{2/n_1}
    = E[\max_{k\le K} U_k]/\sqrt{n_1}` (1/√π for K = 2, 3/(2√π) for K = 3).

    References
    ----------
    Bauer P, Koenig F, Brannath W, Posch M. Selection and bias - two hostile brothers. Stat Med.
    2010;29(1):1-13. doi:10.1002/sim.3716

    Examples
    --------
    >>> b = selection_bias(SeamlessDesign(2, 0.5, 100))
    >>> round(b.overall_stage1 * math.sqrt(50), 4)  # 1 / sqrt(pi)
    0.5642
    """
    d = _design(design)
    delta = _effects(effects, d.n_arms)
    scale = math.sqrt(2.0 / d.n_stage1)
    selected = np.zeros(d.n_arms)
    excess = np.zeros(d.n_arms)  # integral of (x - d_s) f_s
    for grp in _groups(d, delta, []):
        selected[grp.arms] = float(grp.w @ grp.f)
        excess[grp.arms] = float(grp.w @ ((grp.x - grp.d) * grp.f))
    with np.errstate(invalid="ignore", divide="ignore"):
        b1 = np.where(selected > 0, scale * excess / np.where(selected > 0, selected, 1.0), np.nan)
    total = float(selected.sum())
    overall = scale * float(excess.sum()) / total if total > 0 else math.nan
    tt = d.info_fraction
    return SelectionBias(d, _frozen(delta), _frozen(selected), _frozen(b1), _frozen(tt * b1), overall,
                         tt * overall)


# --- simulation --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedOC:
    """Simulated operating characteristics of several tests on common random numbers (returned).

    Parameters
    ----------
    design, effects, methods, critical_values, reject_any, reject_per_arm, selected, futility_stop
        As in :class:`ExactOC`, estimated by simulation.
    reject_any_se : ndarray, shape (M,)
        Monte Carlo standard error of ``reject_any`` (binomial).
    bias_stage1, bias_pooled : float
        Mean error of the stage-1 and pooled estimates of the selected arm's effect (standardized units),
        among trials that continue to stage 2.
    bias_stage1_se, bias_pooled_se : float
        Their Monte Carlo standard errors.
    n_trials : int
        Simulated trials.
    seed : int or None
        Seed used (None when a Generator was given).
    """

    design: SeamlessDesign
    effects: np.ndarray
    methods: tuple[str, ...]
    critical_values: np.ndarray
    reject_any: np.ndarray
    reject_any_se: np.ndarray
    reject_per_arm: np.ndarray
    selected: np.ndarray
    futility_stop: float
    bias_stage1: float
    bias_stage1_se: float
    bias_pooled: float
    bias_pooled_se: float
    n_trials: int
    seed: int | None

    def __post_init__(self) -> None:
        k = _validate.instance(self.design, "design", SeamlessDesign).n_arms
        _validate.real_array(self.effects, "effects", ndim=1, length=k)
        methods = [_validate.one_of(m, "methods item", METHODS) for m in _validate.sequence(self.methods, "methods")]
        m = len(methods)
        if not m:
            raise ValueError("methods must name at least one test; got ()")
        _validate.real_array(self.critical_values, "critical_values", minimum=0.0, strict_minimum=True, ndim=1,
                             length=m)
        _validate.real_array(self.reject_any, "reject_any", minimum=0.0, maximum=1.0, ndim=1, length=m)
        _validate.real_array(self.reject_any_se, "reject_any_se", minimum=0.0, ndim=1, length=m)
        per_arm = _validate.real_array(self.reject_per_arm, "reject_per_arm", minimum=0.0, maximum=1.0, ndim=2)
        if per_arm.shape != (m, k):
            raise ValueError(f"reject_per_arm must have shape ({m}, {k}) (methods x arms); got {per_arm.shape}")
        sel = _validate.real_array(self.selected, "selected", minimum=0.0, maximum=1.0, ndim=1, length=k)
        _validate.probability(self.futility_stop, "futility_stop", open_interval=False)
        n = _validate.n_trials(self.n_trials)
        defined = round(float(sel.sum()) * n) >= 2  # biases and their SEs are NaN with < 2 trials continuing
        for label in ("bias_stage1", "bias_stage1_se", "bias_pooled", "bias_pooled_se"):
            value = getattr(self, label)
            if defined or not (isinstance(value, float) and math.isnan(value)):
                _validate.number(value, label, minimum=0.0 if label.endswith("_se") else None)
        _validate.seed(self.seed)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per method: critical value, P(reject at least one) and its Monte Carlo SE, P(reject arm k).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the method names and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            With :attr:`n_trials` and :attr:`seed` in its ``attrs``.
        """
        return _oc_frame(self, self.reject_any_se, lang)

    def selection_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per arm: true effect and P(selected and continues); a last row for the futility stop.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and of the futility row (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: arm, true effect (NaN on the futility row) and probability.
        """
        return _selection_frame(self, lang)


def simulate_operating_characteristics(design: SeamlessDesign, effects: Sequence[float] | None = None, *,
                                       methods: Sequence[str] = METHODS, n_trials: int = 100_000,
                                       seed: int | np.random.Generator | None = _validate.DEFAULT_SEED
                                       ) -> SimulatedOC:
    r"""Simulate the seamless design and every requested test on the same simulated trials.

    Parameters
    ----------
    design : SeamlessDesign
    effects : sequence of float, optional
        Standardized true effects per arm; the global null by default.
    methods : sequence of str
        Any of :data:`METHODS`.
    n_trials : int
        Number of simulated trials, 1 to ``MAX_TRIALS``.
    seed : int, Generator or None
        Random seed (default ``DEFAULT_SEED``); None draws one and records it.

    Returns
    -------
    SimulatedOC

    Raises
    ------
    ValueError, TypeError
        On a bad design, effects, method, ``n_trials`` or seed.

    Notes
    -----
    Each trial draws the standardized stage-1 means :math:`U_0, \dots, U_K` and the selected arm's stage-2 z,
    :math:`Z_{1k} = (U_k - U_0)/\sqrt2 + d_k`, :math:`S = \arg\max_k Z_{1k}`,
    :math:`Z_{2S} \sim N(e_S, 1)` (notation of :func:`exact_operating_characteristics`); trials with
    :math:`Z_{1S} <` ``z_futility`` stop.  The naive statistic is :math:`\sqrt t Z_{1S} + \sqrt{1-t} Z_{2S}`.
    The closed tests use the stage-1 p-values :math:`p_k = 1 - \Phi(Z_{1k})` and, for every intersection
    :math:`I \ni S`, the Dunnett (:math:`1 - \Phi_{|I|}(\max_I Z_{1k}; 1/2)`), Bonferroni
    (:math:`|I| \min_I p_k`) or Simes (:math:`\min_j |I| p_{(j)}/j`) p-value; the selected arm's hypothesis
    is rejected when the inverse-normal combination of the largest of these with the stage-2 p-value reaches
    :math:`z_{1-\alpha}` (rpact's rule, ``>=``).  For Simes the largest p-value over intersections of size m is
    the one adding the m - 1 largest other p-values, so K sets are enough instead of :math:`2^{K-1}`.
    Trials run in blocks of 200,000 (vectorised within a block).

    References
    ----------
    Simes RJ. An improved Bonferroni procedure for multiple tests of significance. Biometrika.
    1986;73(3):751-754. doi:10.1093/biomet/73.3.751
    rpact 3.3.4 ``getSimulationMultiArmMeans`` (the reference the tests compare with).

    Examples
    --------
    >>> sim = simulate_operating_characteristics(SeamlessDesign(2, 0.5), methods=("naive",), n_trials=20_000,
    ...                                          seed=7)
    >>> sim.n_trials, sim.seed
    (20000, 7)
    >>> abs(float(sim.reject_any[0]) - 0.0405) < 3 * float(sim.reject_any_se[0])
    True
    """
    d = _design(design)
    delta = _effects(effects, d.n_arms)
    ms = _methods(methods, METHODS)
    n = _validate.n_trials(n_trials)
    gen, used = _validate.rng(seed)
    crit = np.array([_critical(d, m) for m in ms])
    k, tt = d.n_arms, d.info_fraction
    dk, ek = d.drifts(delta)
    s1, s2 = math.sqrt(tt), math.sqrt(1.0 - tt)
    scale1, scale2 = math.sqrt(2.0 / d.n_stage1), math.sqrt(2.0 / d.n_stage2)
    rejections = np.zeros((len(ms), k))
    selected = np.zeros(k)
    sums = np.zeros(4)  # sum and sum of squares of the stage-1 and pooled errors
    for start in range(0, n, _CHUNK):
        m = min(_CHUNK, n - start)
        u = gen.standard_normal((m, k + 1))
        z2_noise = gen.standard_normal(m)
        z1 = (u[:, 1:] - u[:, :1]) / _SQRT2 + dk
        sel = np.argmax(z1, axis=1)
        z1s = z1[np.arange(m), sel]
        go = np.ones(m, dtype=bool) if d.z_futility is None else z1s >= d.z_futility
        z2 = z2_noise + ek[sel]
        naive = s1 * z1s + s2 * z2
        for i, (meth, c) in enumerate(zip(ms, crit)):
            if meth in NAIVE_STATISTIC_METHODS:
                rej = go & (naive > c)
            else:
                if meth == "closed_simes":
                    zadj = _z_from_p(_simes_adjusted_p(special.ndtr(-z1)))
                else:
                    zadj = _adjusted_z(meth, z1s, k)
                rej = go & (s1 * zadj + s2 * z2 >= c)
            rejections[i] += np.bincount(sel[rej], minlength=k)
        selected += np.bincount(sel[go], minlength=k)
        err1 = scale1 * z1s[go] - delta[sel[go]]
        errp = tt * scale1 * z1s[go] + (1.0 - tt) * scale2 * z2[go] - delta[sel[go]]
        sums += [err1.sum(), (err1 ** 2).sum(), errp.sum(), (errp ** 2).sum()]
    reject_any = rejections.sum(axis=1) / n
    n_go = int(selected.sum())
    if n_go > 1:
        mean1, meanp = sums[0] / n_go, sums[2] / n_go
        se1 = math.sqrt(max(sums[1] / n_go - mean1 ** 2, 0.0) / (n_go - 1))
        sep = math.sqrt(max(sums[3] / n_go - meanp ** 2, 0.0) / (n_go - 1))
    else:
        mean1 = meanp = se1 = sep = math.nan  # no (or one) trial continued: the bias is not estimable
    return SimulatedOC(d, _frozen(delta), ms, _frozen(crit), _frozen(reject_any),
                       _frozen(np.sqrt(reject_any * (1.0 - reject_any) / n)), _frozen(rejections / n),
                       _frozen(selected / n), 1.0 - n_go / n, float(mean1), float(se1), float(meanp), float(sep),
                       n, used)


# --- tables ------------------------------------------------------------------------------------------------

def _oc_frame(oc: ExactOC | SimulatedOC, se: np.ndarray | None, lang: str) -> pd.DataFrame:
    lang = check_lang(lang)
    cols: dict[str, list] = {
        t("seam_col_method", lang): [t(f"seam_method_{m}", lang) for m in oc.methods],
        t("seam_col_critical", lang): list(oc.critical_values),
        t("seam_col_reject_any", lang): list(oc.reject_any),
    }
    if se is not None:
        cols[t("seam_col_se", lang)] = list(se)
    for k in range(oc.design.n_arms):
        cols[t("seam_col_reject_arm", lang, arm=k + 1)] = list(oc.reject_per_arm[:, k])
    frame = pd.DataFrame(cols)
    if isinstance(oc, SimulatedOC):
        frame.attrs.update(n_trials=oc.n_trials, seed=oc.seed)
    return frame


def _selection_frame(oc: ExactOC | SimulatedOC, lang: str) -> pd.DataFrame:
    lang = check_lang(lang)
    k = oc.design.n_arms
    return pd.DataFrame({
        t("seam_col_arm", lang): [str(i + 1) for i in range(k)] + [t("seam_row_futility", lang)],
        t("seam_col_effect", lang): list(oc.effects) + [np.nan],
        t("seam_col_selected", lang): list(oc.selected) + [oc.futility_stop],
    })
