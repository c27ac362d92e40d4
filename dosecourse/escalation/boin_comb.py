"""BOIN for drug combinations (Lin & Yin 2017), as the R package BOIN 2.7.2 implements it.

Two drugs, A with J dose levels and B with K, give a J x K grid of dose combinations.  The trial moves on that grid
with the one-dimensional BOIN boundaries (:func:`~dosecourse.escalation.boin_boundaries`): escalate when the
observed DLT rate at the current combination is at most lambda_e, de-escalate when it exceeds lambda_d, otherwise
stay.  Escalation goes to (j + 1, k) or (j, k + 1), de-escalation to (j - 1, k) or (j, k - 1); of the two
neighbours the one with the larger posterior probability that its DLT rate lies in (lambda_e, lambda_d) is taken.
At the end the MTD is the combination whose bivariate isotonic estimate is closest to the target.

Combinations are written ``(a, b)``: drug A at level ``a`` (1..J), drug B at level ``b`` (1..K), and arrays over
the grid are indexed ``[a - 1, b - 1]`` (rows: drug A, columns: drug B), as R's ``npts``/``ntox`` matrices.

References
----------
Lin R, Yin G. Bayesian optimal interval design for dose finding in drug-combination trials. Stat Methods Med Res.
2017;26(5):2155-2167. doi:10.1177/0962280215594494
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yan F, Zhang L, Zhou Y, Pan H, Liu S, Yuan Y. BOIN: an R package for designing single-agent and drug-combination
dose-finding trials using Bayesian optimal interval designs. J Stat Softw. 2020;94(13):1-32.
doi:10.18637/jss.v094.i13
Robertson T, Wright FT, Dykstra RL. Order Restricted Statistical Inference. Wiley; 1988 (Theorem 1.4.4, the
max-min formula of isotonic regression on a partial order).
"""

from __future__ import annotations

import inspect
import itertools
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betainc

from .. import _validate
from ..i18n import check_lang, t
from .boin import BOIN
from .design import MAX_COHORT_SIZE, MAX_PATHWAY_ROWS, ProtocolAppendix
from .interval import TARGET_RANGE
from .mtd_selection import overdose_probability

RULES: tuple[str, ...] = ("next.comb", "get.oc.comb")
"""The two rule sets of BOIN 2.7.2 (see :class:`BOINComb`, parameter ``rules``)."""

MAX_LEVELS = 10
"""Largest number of dose levels of each drug."""

ENUMERATE_UP_TO = 126
"""Grids with at most this many lower sets (4 x 5: 126) are smoothed by enumeration, larger ones iteratively."""

MAX_COUNT = 1000
"""Largest number of patients at one combination (the decision boundaries are tabulated up to it)."""

_NEIGHBOURS_UP = ((1, 0), (0, 1))
_NEIGHBOURS_DOWN = ((-1, 0), (0, -1))


# ---------------------------------------------------------------------------------------------- numerics
def _r_round(x: np.ndarray, digits: int = 2) -> np.ndarray:
    """R's ``round(x, digits)`` for x >= 0 (R >= 4.0.0: the closer of the two decimal candidates, ties to even).

    ``x10 = 10^d x``; candidates ``floor(x10) / 10^d`` and ``ceiling(x10) / 10^d``; the one nearer to ``x`` in
    double arithmetic wins, and on an exact tie the one with an even last digit (R's ``src/nmath/fround.c``).
    """
    x = np.asarray(x, dtype=float)
    p10 = 10.0 ** digits
    x10 = p10 * x
    i10 = np.floor(x10)
    xd = i10 / p10
    xu = np.ceil(x10) / p10
    du, dd = xu - x, x - xd
    return np.where((du < dd) | ((du == dd) & (np.fmod(i10, 2.0) == 1.0)), xu, xd)


@lru_cache(maxsize=32)
def _order_sets(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray, tuple, tuple]:
    """Lower and upper sets of the grid under the product order, and which of them hold each cell.

    A lower set is a staircase: row ``i`` holds columns ``0..c_i - 1`` with ``c_0 >= c_1 >= ... >= c_{J-1}``;
    the upper sets are their complements.  Returns the 0/1 matrices (sets x cells, cells row-major) and, per cell,
    the indices of the upper and of the lower sets that contain it.
    """
    stairs = [tuple(reversed(c)) for c in itertools.combinations_with_replacement(range(cols + 1), rows)]
    col = np.arange(cols)
    lower = np.array([np.concatenate([col < c for c in stair]) for stair in stairs], dtype=float)
    upper = 1.0 - lower
    up_idx = tuple(np.flatnonzero(upper[:, c] > 0) for c in range(rows * cols))
    low_idx = tuple(np.flatnonzero(lower[:, c] > 0) for c in range(rows * cols))
    return lower, upper, up_idx, low_idx


def _isotonic_last_axis(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted non-decreasing regression along the last axis, by the max-min formula over cumulative sums."""
    shape = x.shape
    m = shape[-1]
    x2, w2 = x.reshape(-1, m), w.reshape(-1, m)
    zero = np.zeros((x2.shape[0], 1))
    cum_w = np.concatenate([zero, np.cumsum(w2, axis=1)], axis=1)
    cum_wx = np.concatenate([zero, np.cumsum(w2 * x2, axis=1)], axis=1)
    tot_w = cum_w[:, None, 1:] - cum_w[:, :-1, None]                  # [s, i, k]: weights of i..k
    tot_wx = cum_wx[:, None, 1:] - cum_wx[:, :-1, None]
    ordered = np.triu(np.ones((m, m), dtype=bool))
    mean = np.divide(tot_wx, tot_w, out=np.full(tot_w.shape, np.inf), where=ordered)
    suffix_min = np.minimum.accumulate(mean[:, :, ::-1], axis=2)[:, :, ::-1]
    return np.max(np.where(ordered, suffix_min, -np.inf), axis=1).reshape(shape)


def _biviso_dykstra(values: np.ndarray, weights: np.ndarray, *, tol: float = 1e-13,
                    max_cycles: int = 20_000) -> np.ndarray:
    """The same regression by Dykstra's alternating projections (rows, then columns), for large grids.

    Dykstra (1983, J Am Stat Assoc 78:837-842) projections onto the two cones "non-decreasing along every row"
    and "along every column" in the weighted norm converge to the projection onto their intersection; iterated
    until no value moves by more than ``tol`` (``Iso::biviso`` follows the same scheme to about 1.5e-8).
    """
    x = values.astype(float).copy()
    p = np.zeros_like(x)
    q = np.zeros_like(x)
    active = np.ones(x.shape[0], dtype=bool)
    for _ in range(max_cycles):
        idx = np.flatnonzero(active)
        xa, pa, qa, wa = x[idx], p[idx], q[idx], weights[idx]
        ya = _isotonic_last_axis(xa + pa, wa)
        pa = xa + pa - ya
        za = np.swapaxes(_isotonic_last_axis(np.swapaxes(ya + qa, 1, 2), np.swapaxes(wa, 1, 2)), 1, 2)
        qa = ya + qa - za
        moved = np.abs(za - xa).max(axis=(1, 2))
        x[idx], p[idx], q[idx] = za, pa, qa
        active[idx] = moved > tol
        if not active.any():
            break
    return x


def _biviso(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted least-squares isotonic regression on a grid, non-decreasing along rows and columns, exactly.

    Parameters
    ----------
    values, weights : ndarray, shape (T, J, K)
        Values to smooth and their positive weights, one grid per row of the first axis.

    Returns
    -------
    ndarray, shape (T, J, K)

    Notes
    -----
    The max-min formula (Robertson, Wright & Dykstra 1988, Theorem 1.4.4):
    :math:`\\tilde p(x) = \\max_{U \\ni x} \\min_{L \\ni x} \\mathrm{Av}(U \\cap L)` over the upper sets ``U`` and
    lower sets ``L`` of the order, ``Av`` the weighted mean.  The grid has C(J + K, J) lower sets, so the
    averages of all pairs are two matrix products per grid.  R's ``Iso::biviso`` reaches the same solution
    iteratively (to a tolerance of about 1.5e-8).  Grids with more than :data:`ENUMERATE_UP_TO` lower sets (larger
    than 4 x 5) use Dykstra's alternating projections instead (:func:`_biviso_dykstra`), to 1e-13.
    """
    t_count, rows, cols = values.shape
    if math.comb(rows + cols, rows) > ENUMERATE_UP_TO:
        return _biviso_dykstra(values, weights)
    lower, upper, up_idx, low_idx = _order_sets(rows, cols)
    v = values.reshape(t_count, -1)
    w = weights.reshape(t_count, -1)
    out = np.empty_like(v)
    pairs = upper.shape[0] * lower.shape[0]
    chunk = max(1, 2_000_000 // pairs)
    for start in range(0, t_count, chunk):
        sl = slice(start, start + chunk)
        sum_w = (upper[None] * w[sl, None, :]) @ lower.T
        sum_wv = (upper[None] * (w[sl] * v[sl])[:, None, :]) @ lower.T
        with np.errstate(invalid="ignore", divide="ignore"):
            avg = sum_wv / sum_w
        for c in range(rows * cols):
            block = avg[:, up_idx[c][:, None], low_idx[c][None, :]]
            out[sl, c] = block.min(axis=2).max(axis=1)
    return out.reshape(values.shape)


def _combination(value: object, shape: tuple[int, int], name: str) -> tuple[int, int]:
    """A combination ``(a, b)`` with 1 <= a <= J and 1 <= b <= K, as a tuple of ints."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list, np.ndarray)):
        raise TypeError(f"{name} must be a combination (drug A level, drug B level), e.g. (1, 1); got "
                        f"{_validate._shown(value)}")
    if len(value) != 2:
        raise ValueError(f"{name} must hold two levels (drug A, drug B); got {_validate._shown(value)}")
    a = _validate.integer(value[0], f"{name}[0] (drug A level)", minimum=1, maximum=shape[0])
    b = _validate.integer(value[1], f"{name}[1] (drug B level)", minimum=1, maximum=shape[1])
    return a, b


def _grid_counts(n: object, y: object, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Check patients ``n`` and DLTs ``y`` per combination: whole-number J x K matrices with 0 <= y <= n."""
    n_arr = _validate.whole_array(n, "n", ndim=2)
    y_arr = _validate.whole_array(y, "y", ndim=2)
    for name, arr in (("n", n_arr), ("y", y_arr)):
        if arr.shape != shape:
            raise ValueError(f"{name} must be a {shape[0]} x {shape[1]} matrix (drug A levels x drug B levels); "
                             f"got shape {arr.shape}")
    if np.any(n_arr > MAX_COUNT):
        raise ValueError(f"n may not exceed {MAX_COUNT} patients at a combination; got {n_arr.max()}")
    if np.any(y_arr > n_arr):
        raise ValueError(f"y cannot exceed n at any combination; got y={y_arr.tolist()}, n={n_arr.tolist()}")
    return n_arr, y_arr


def _shown_combination(combo: tuple[int, int]) -> str:
    return f"({combo[0]}, {combo[1]})"


# ---------------------------------------------------------------------------------------------- the design
class BOINComb(ProtocolAppendix):
    """The BOIN design for drug-combination trials (Lin & Yin 2017; BOIN 2.7.2 ``next.comb``,
    ``select.mtd.comb``, ``get.oc.comb``).

    Parameters
    ----------
    target : float
        Target DLT probability phi, in [0.05, 0.6].
    n_doses : tuple of int
        ``(J, K)``: dose levels of drug A and of drug B, each 1 to 10 (at least 2 combinations).  R requires
        ``J <= K`` for the selection; here either orientation is accepted (it matters only for exact ties).
    cohort_size, n_cohorts : int
        Patients per cohort and maximum number of cohorts (at most 1000 patients in all).
    start_dose : tuple of int
        Combination ``(a, b)`` of the first cohort.
    p_saf, p_tox : float, optional
        Highest DLT rate deemed sub-therapeutic and lowest deemed overly toxic (BOIN's ``p.saf``, ``p.tox``);
        defaults ``0.6 target`` and ``1.4 target``; each at least ``0.1 target`` away from the target.
    n_earlystop : int
        Stop (and select the MTD) once this many patients have been treated at the current combination (see
        ``rules``).  The default 100 turns the rule off in practice.
    cutoff_eli : float
        Elimination cutoff: a combination with at least 3 patients and Pr(DLT rate > target | data) >
        ``cutoff_eli`` under a Beta(1, 1) prior is eliminated with every combination at least as high in both
        drugs.
    extrasafe : bool
        Also stop the trial when (1, 1) has at least 3 patients and that probability exceeds
        ``cutoff_eli - offset``.
    offset : float
        The extra-safe margin, in (0, min(0.5, cutoff_eli)).
    rules : {"next.comb", "get.oc.comb"}
        BOIN 2.7.2 runs a trial (``next.comb`` then ``select.mtd.comb``) with slightly different rules from those it
        simulates (``get.oc.comb``); both are available, ``"next.comb"`` (the rules a trial is conducted with) by
        default.  See Notes.
    bound_mtd : bool
        BOIN's ``boundMTD``: the selected MTD's isotonic estimate must not exceed lambda_d (``"next.comb"``;
        must stay below it with ``"get.oc.comb"``); no MTD when no tried combination qualifies.

    Raises
    ------
    ValueError, TypeError
        On any invalid argument (each message names it).

    Notes
    -----
    **Decision after each cohort** (``next.comb``).  With ``y`` DLTs among the ``n`` patients at the current
    combination ``(j, k)``, and the 1-D BOIN table (:meth:`decision_table`, ``get.boundary``):

    1. elimination: every combination with ``y >= x[n]`` (the elimination count, ``n >= 3``) is eliminated
       together with all combinations ``(j', k')``, ``j' >= j``, ``k' >= k``; if the current combination is
       (1, 1) and it is eliminated the trial stops with no MTD (likewise under ``extrasafe``);
    2. escalate if ``y <= e[n]``: the candidates are (j + 1, k) and (j, k + 1), those inside the grid and not
       eliminated; each scores
       :math:`\\Pr(\\lambda_e < p < \\lambda_d \\mid \\text{data}) + 0.0005\\, n'` under the Beta(y' + 0.5,
       n' - y' + 0.5) posterior of that neighbour (``n'`` patients, ``y'`` DLTs; the small bonus favours the
       neighbour with more data), and the higher score wins; a tie is broken at random (so the first escalation,
       from (1, 1) into two untried neighbours, is a coin toss); no candidate: stay;
    3. de-escalate if ``y >= d[n]``: the same choice between (j - 1, k) and (j, k - 1) (at (1, 1): stay);
    4. otherwise stay.

    **The two rule sets of BOIN 2.7.2.**  ``next.comb`` (``rules="next.comb"``) additionally refuses to escalate
    drug A to (j + 1, k) when an observed rate ``y/n`` at (j + 1, 1..k) is ``>= lambda_d`` (and drug B to
    (j, k + 1) when one at (1..j, k + 1) is), and stops as soon as the current combination has
    ``n >= n_earlystop``; ``select.mtd.comb`` rounds the isotonic estimates to 2 decimals before choosing.
    ``get.oc.comb`` (``rules="get.oc.comb"``) has no observed-rate check, stops at ``n_earlystop`` only when the
    decision is to stay, and chooses from unrounded estimates (and ``boundMTD`` uses ``>=`` instead of ``>``).
    The difference matters: on a 3 x 4 grid (target 0.25, 15 cohorts of 3, ``extrasafe``; the scenario of
    ``tests/test_boin_comb.py``) ``get.oc.comb`` reports 87.7% correct selection, while 2000 trials conducted with
    R's own ``next.comb`` and ``select.mtd.comb`` select a correct combination in 71.8% (this class: 87.0% and
    71.9% on 10,000 trials): one DLT in three at (j + 1, 1) blocks every later escalation of drug A from row j.
    Titration (``get.oc.comb(titration = TRUE)``) is not implemented.

    **MTD selection** (``select.mtd.comb``).  A combination with ``n >= 3`` and Pr(p > target | data) >
    ``cutoff_eli`` eliminates, in its row, itself and the columns to its right and, in its column, itself and
    the rows below (the first such combination of each row; with ``extrasafe`` everything when (1, 1) qualifies).
    If (1, 1) is eliminated no MTD is selected.  Otherwise :math:`\\hat p = (y + 0.05)/(n + 0.1)` on every cell
    (untried cells included, with weight 0.1) is smoothed by bivariate isotonic regression with weights
    :math:`n + 0.1` (``Iso::biviso``; computed here exactly, :func:`_biviso`); eliminated cells get 1.1 and
    untried cells are excluded; :math:`10^{-5}(a + b)` is added to break ties (below the target the higher
    combination wins, above it the lower), and the combination closest to the target is the MTD (on an exact tie
    the first in column order: lowest drug B level, then lowest drug A level).

    **Relation to the 1-D design contract.**  :class:`BOINComb` is not a
    :class:`~dosecourse.escalation.Design`: doses are pairs, the data are matrices and a decision can be a coin
    toss, so ``next_dose(data)`` on a :class:`~dosecourse.escalation.TrialData` cannot apply.  It mirrors the
    contract's conventions instead: the same constructor order (model arguments, then ``cohort_size, n_cohorts,
    start_dose``), immutable (:meth:`replace` returns a changed copy), a ``repr`` that rebuilds an equal design,
    the verbs ``next_dose``/``select``/``decision_table``/``pathways``/``describe``/``simulate``, the
    protocol appendix (:meth:`protocol`, the one of every design), and the 1-D
    BOIN's boundaries (it holds a :class:`~dosecourse.escalation.BOIN` whose table it uses; :attr:`boin`).
    Doses are 1-based tuples and ``None`` means no dose (the 1-D contract's ``NO_DOSE``).

    References
    ----------
    Lin R, Yin G. Stat Methods Med Res. 2017;26(5):2155-2167. doi:10.1177/0962280215594494
    Yan F, et al. J Stat Softw. 2020;94(13):1-32. doi:10.18637/jss.v094.i13

    Examples
    --------
    ``next.comb``'s help-page example (BOIN 2.7.2): 7 patients with 1 DLT at (2, 1), 6 with 1 at (2, 2):

    >>> design = BOINComb(0.3, (3, 5))
    >>> n = [[3, 0, 0, 0, 0], [7, 6, 0, 0, 0], [0, 0, 0, 0, 0]]
    >>> y = [[0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0]]
    >>> design.next_candidates(n, y, (2, 2))       # a tie: next.comb draws runif(1)
    ((3, 2), (2, 3))
    >>> design.next_dose(n, y, (2, 2), seed=1) in design.next_candidates(n, y, (2, 2))
    True
    """

    name = "BOIN-comb"
    protocol_reference = "protocol_ref_boin_comb"

    def __init__(self, target: float, n_doses: tuple[int, int], *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: tuple[int, int] = (1, 1), p_saf: float | None = None, p_tox: float | None = None,
                 n_earlystop: int = 100, cutoff_eli: float = 0.95, extrasafe: bool = False, offset: float = 0.05,
                 rules: str = "next.comb", bound_mtd: bool = False) -> None:
        arguments = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        phi = _validate.number(target, "target", minimum=TARGET_RANGE[0], maximum=TARGET_RANGE[1])
        if isinstance(n_doses, (str, bytes)) or not isinstance(n_doses, (tuple, list)):
            raise TypeError(f"n_doses must be (levels of drug A, levels of drug B), e.g. (3, 5); got "
                            f"{_validate._shown(n_doses)}")
        if len(n_doses) != 2:
            raise ValueError(f"n_doses must hold two numbers of levels (drug A, drug B); got "
                             f"{_validate._shown(n_doses)}")
        rows = _validate.integer(n_doses[0], "n_doses[0] (levels of drug A)", minimum=1, maximum=MAX_LEVELS)
        cols = _validate.integer(n_doses[1], "n_doses[1] (levels of drug B)", minimum=1, maximum=MAX_LEVELS)
        if rows * cols < 2:
            raise ValueError(f"n_doses must give at least 2 combinations; got {n_doses!r}")
        self.target = phi
        self.n_doses = (rows, cols)
        self.cohort_size = _validate.integer(cohort_size, "cohort_size", minimum=1, maximum=MAX_COHORT_SIZE)
        self.n_cohorts = _validate.integer(n_cohorts, "n_cohorts", minimum=1, maximum=_validate.MAX_COHORTS)
        if self.cohort_size * self.n_cohorts > MAX_COUNT:
            raise ValueError(f"cohort_size * n_cohorts may not exceed {MAX_COUNT} patients; got "
                             f"{self.cohort_size * self.n_cohorts:,}")
        self.start_dose = _combination(start_dose, self.n_doses, "start_dose")
        self.p_saf = 0.6 * phi if p_saf is None else _validate.probability(p_saf, "p_saf")
        self.p_tox = 1.4 * phi if p_tox is None else _validate.probability(p_tox, "p_tox")
        if phi - self.p_saf < 0.1 * phi:
            raise ValueError(f"p_saf must be below the target by at least 0.1 * target (BOIN's rule); got "
                             f"p_saf={p_saf!r} for target {phi}")
        if self.p_tox - phi < 0.1 * phi:
            raise ValueError(f"p_tox must be above the target by at least 0.1 * target (BOIN's rule); got "
                             f"p_tox={p_tox!r} for target {phi}")
        self.n_earlystop = _validate.positive_int(n_earlystop, "n_earlystop", maximum=_validate.MAX_PATIENTS)
        self.cutoff_eli = _validate.probability(cutoff_eli, "cutoff_eli")
        self.extrasafe = _validate.boolean(extrasafe, "extrasafe")
        self.offset = _validate.number(offset, "offset", minimum=0.0, strict_minimum=True,
                                       maximum=min(0.5, self.cutoff_eli), strict_maximum=True)
        self.rules = _validate.one_of(rules, "rules", RULES)
        self.bound_mtd = _validate.boolean(bound_mtd, "bound_mtd")
        self.boin = BOIN(phi, 2, cohort_size=self.cohort_size, n_cohorts=self.n_cohorts, phi1=self.p_saf,
                         phi2=self.p_tox, cutoff_eli=self.cutoff_eli, extrasafe=self.extrasafe, offset=self.offset,
                         n_earlystop=self.n_earlystop)
        """The 1-D BOIN whose boundaries the design uses (:meth:`decision_table`)."""
        self.lambda_e, self.lambda_d = self.boin.lambda_e, self.boin.lambda_d
        object.__setattr__(self, "_arguments", arguments)
        object.__setattr__(self, "_frozen", True)

    # ------------------------------------------------------------------------------------ immutability
    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_frozen"):
            raise AttributeError(f"a design cannot be changed after it is made; use design.replace({name}=...) for "
                                 f"a changed copy")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a design cannot be changed after it is made; {name} cannot be deleted")

    def replace(self, **changes: Any) -> BOINComb:
        """A copy of the design with some settings changed.

        Parameters
        ----------
        **changes
            ``setting=value`` for arguments of the constructor; the other settings keep their values.

        Returns
        -------
        BOINComb

        Raises
        ------
        TypeError
            If a name is not one of the design's settings.

        Examples
        --------
        >>> BOINComb(0.3, (3, 5)).replace(n_cohorts=20).n_cohorts
        20
        """
        unknown = set(changes) - set(self._arguments)
        if unknown:
            raise TypeError(f"BOINComb has no setting {sorted(unknown)}; its settings are {list(self._arguments)}")
        return type(self)(**{**self._arguments, **changes})

    def __repr__(self) -> str:
        signature = inspect.signature(type(self))
        parts = []
        for name, value in self._arguments.items():
            default = signature.parameters[name].default
            if default is inspect.Parameter.empty or value != default:
                parts.append(f"{name}={tuple(value) if isinstance(value, list) else value!r}")
        return f"BOINComb({', '.join(parts)})"

    def _key(self) -> tuple:
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in self._arguments.items())

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def max_n(self) -> int:
        """Maximum sample size."""
        return self.cohort_size * self.n_cohorts

    # ------------------------------------------------------------------------------------ tables
    @lru_cache(maxsize=8)  # noqa: B019 - designs are immutable and hashable
    def _tables(self, max_n: int) -> tuple:
        """Boundaries for 0..max_n patients, and the score Pr(lambda_e < p < lambda_d) of every (n, y)."""
        b = self.boin.boundaries(max(max_n, 1))
        nn, yy = np.meshgrid(np.arange(max_n + 1), np.arange(max_n + 1), indexing="ij")
        ok = yy <= nn
        a, bb = np.where(ok, yy + 0.5, 1.0), np.where(ok, nn - yy + 0.5, 1.0)
        score = betainc(a, bb, self.lambda_d) - betainc(a, bb, self.lambda_e)
        return b, np.where(ok, score, 0.0)

    @cached_property
    def _plan_tables(self) -> tuple:
        return self._tables(self.max_n)

    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """The decision table at the current combination: the 1-D BOIN table (``get.boundary``).

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients (default: the maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the row labels.

        Returns
        -------
        pandas.DataFrame
            Rows: patients treated; escalate if # of DLT <=; de-escalate if # of DLT >=; eliminate if # of DLT >=
            (and the extra-safe stopping row).  Columns 1..max_n.

        Raises
        ------
        ValueError, TypeError
            On an invalid ``max_n`` or ``lang``.

        Examples
        --------
        >>> BOINComb(0.3, (3, 5)).decision_table(6).loc[:, [3, 6]].iloc[1:].values.tolist()
        [[0, 1], [2, 3], [3, 4]]
        """
        return self.boin.decision_table(max_n, lang=lang)

    # ------------------------------------------------------------------------------------ conduct
    def _decide(self, n: np.ndarray, y: np.ndarray, current: tuple[int, int]) -> tuple[str, tuple, str, dict]:
        """``(action, candidates, label id, fields)`` after validated data; ``current`` and candidates 1-based."""
        rows, cols = self.n_doses
        b, score = self._tables(max(int(n.max()), self.max_n))
        j, k = current[0] - 1, current[1] - 1
        nc, yc = int(n[j, k]), int(y[j, k])
        base = dict(n=nc, y=yc, dose=_shown_combination(current), lambda_e=self.lambda_e, lambda_d=self.lambda_d,
                    rate=yc / nc)
        if self.rules == "next.comb" and nc >= self.n_earlystop:
            return "stop", (), "comb_stop_earlystop", dict(base, limit=self.n_earlystop)
        if (j, k) == (0, 0) and b.eliminate[nc] <= nc:
            pr = float(overdose_probability(self.target, nc, yc))
            if yc >= b.eliminate[nc]:
                return "stop", (), "comb_stop_toxic", dict(base, target=self.target, prob=pr, cutoff=self.cutoff_eli)
            if yc >= b.stop[nc]:
                return "stop", (), "comb_stop_extrasafe", dict(base, target=self.target, prob=pr,
                                                                cutoff=self.cutoff_eli - self.offset)
        tried = n > 0
        elim_cell = tried & (y >= b.eliminate[n])
        eliminated = (np.maximum.accumulate(np.maximum.accumulate(elim_cell, axis=0), axis=1)) > 0
        rate = y / np.maximum(n, 1)

        def pick(moves: tuple, up: bool) -> tuple[tuple, list]:
            scores, shown = [], []
            for dj, dk in moves:
                a, c = j + dj, k + dk
                value = 0.0
                if 0 <= a < rows and 0 <= c < cols and not (up and eliminated[a, c]):
                    blocked = False
                    if up and self.rules == "next.comb":
                        blocked = bool(np.any(rate[a, :k + 1] >= self.lambda_d) if dj else
                                       np.any(rate[:j + 1, c] >= self.lambda_d))
                    if not blocked:
                        value = score[n[a, c], y[a, c]] + n[a, c] * 5e-4
                    shown.append(f"{_shown_combination((a + 1, c + 1))}: {value:.3f}")
                scores.append(value)
            best = max(scores)
            if best == 0:
                return (), shown
            return tuple((j + dj + 1, k + dk + 1) for (dj, dk), s in zip(moves, scores) if s == best), shown

        if yc <= b.escalate[nc]:
            action, (found, shown) = "escalate", pick(_NEIGHBOURS_UP, True)
        elif yc >= b.deescalate[nc]:
            action, (found, shown) = "de-escalate", pick(_NEIGHBOURS_DOWN, False)
        else:
            action, found, shown = "stay", (), []
        if not found:
            key = {"escalate": "comb_stay_no_escalation", "de-escalate": "comb_stay_lowest",
                   "stay": "comb_stay"}[action]
            if self.rules == "get.oc.comb" and nc >= self.n_earlystop:
                return "stop", (), "comb_stop_earlystop", dict(base, limit=self.n_earlystop)
            return "stay", (current,), key, base
        key = "comb_" + action.replace("-", "") + ("_tie" if len(found) > 1 else "")
        return action, found, key, dict(base, scores="; ".join(shown),
                                        to=" / ".join(_shown_combination(f) for f in found))

    def _check(self, n: object, y: object, current: object) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
        n_arr, y_arr = _grid_counts(n, y, self.n_doses)
        combo = _combination(current, self.n_doses, "current")
        if n_arr[combo[0] - 1, combo[1] - 1] == 0:
            raise ValueError(f"current: no patient has been treated at {_shown_combination(combo)}; the current "
                             f"combination is the one the last cohort received")
        return n_arr, y_arr, combo

    def next_candidates(self, n: np.ndarray, y: np.ndarray, current: tuple[int, int]) -> tuple[tuple[int, int], ...]:
        """The combinations the next cohort may receive: one, two on a random tie, none when the trial stops.

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination, ``[a - 1, b - 1]`` for combination ``(a, b)``.
        current : tuple of int
            The combination the last cohort received.

        Returns
        -------
        tuple of tuple of int
            Equally good combinations; BOIN picks one of two at random (``next.comb`` uses ``runif``).

        Raises
        ------
        ValueError, TypeError
            On invalid counts (not J x K whole numbers with 0 <= y <= n) or a current combination without
            patients.

        Examples
        --------
        >>> n = np.zeros((3, 5), int); n[0, 0] = 3
        >>> BOINComb(0.3, (3, 5)).next_candidates(n, np.zeros((3, 5), int), (1, 1))
        ((2, 1), (1, 2))
        """
        n_arr, y_arr, combo = self._check(n, y, current)
        return self._decide(n_arr, y_arr, combo)[1]

    def next_dose(self, n: np.ndarray, y: np.ndarray, current: tuple[int, int], *,
                  seed: int | np.random.Generator | None = _validate.DEFAULT_SEED) -> tuple[int, int] | None:
        """The combination for the next cohort, as R's ``next.comb``; None when the trial stops.

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination, ``[a - 1, b - 1]`` for combination ``(a, b)``.
        current : tuple of int
            The combination ``(a, b)`` the last cohort received (1-based).
        seed : int, None or numpy.random.Generator
            Breaks a tie between two equally good neighbours at random (default 2025, so the same data give the
            same answer; R draws ``runif(1)``).  :meth:`next_candidates` shows both.

        Returns
        -------
        tuple of int or None
            ``(a, b)``, or None when the trial stops (for toxicity at (1, 1), or at ``n_earlystop``: then select
            the MTD with :meth:`select`).

        Raises
        ------
        ValueError, TypeError
            On invalid counts, a current combination without patients, or an invalid seed.

        Examples
        --------
        >>> n = np.zeros((3, 5), int); n[0, 0] = 3
        >>> y = np.zeros((3, 5), int); y[0, 0] = 2
        >>> BOINComb(0.3, (3, 5)).next_dose(n, y, (1, 1)) is None   # 2/3 at (1, 1): stay; 3/3 would stop
        False
        """
        n_arr, y_arr, combo = self._check(n, y, current)
        gen, _ = _validate.rng(seed)
        action, found, _, _ = self._decide(n_arr, y_arr, combo)
        if action == "stop":
            return None
        return found[0] if len(found) == 1 else found[int(gen.random() * len(found))]

    def explain(self, n: np.ndarray, y: np.ndarray, current: tuple[int, int], *, lang: str = "en") -> str:
        """Why the next cohort receives the combination :meth:`next_dose` gives, in words.

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination.
        current : tuple of int
            The combination the last cohort received.
        lang : {"en", "zh-tw"}
            Language of the text.

        Returns
        -------
        str

        Raises
        ------
        ValueError, TypeError
            On invalid counts, current combination or language.

        Examples
        --------
        >>> n = np.zeros((3, 5), int); n[0, 0] = 3
        >>> BOINComb(0.3, (3, 5)).explain(n, np.zeros((3, 5), int), (1, 1))[:38]
        'escalate: 0/3 DLTs at (1, 1), 0.000 <='
        """
        lang = check_lang(lang)
        n_arr, y_arr, combo = self._check(n, y, current)
        _, _, key, fields = self._decide(n_arr, y_arr, combo)
        return t(key, lang, **fields)

    def _eliminated_for_selection(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """``select.mtd.comb``'s eliminated cells, for many grids at once (shape (T, J, K))."""
        rows, cols = self.n_doses
        over = (n >= 3) & (overdose_probability(self.target, n, y) > self.cutoff_eli)
        elim = np.zeros(n.shape, dtype=bool)
        if self.extrasafe:
            first = (n[:, 0, 0] >= 3) & (overdose_probability(self.target, n[:, 0, 0], y[:, 0, 0])
                                         > self.cutoff_eli - self.offset)
            elim |= first[:, None, None]
        col = np.arange(cols)
        for i in range(rows):
            has = over[:, i, :].any(axis=1)
            first = np.argmax(over[:, i, :], axis=1)
            elim[:, i, :] |= has[:, None] & (col[None, :] >= first[:, None])
            elim[:, i:, :] |= (has[:, None] & (col[None, :] == first[:, None]))[:, None, :]
        return elim

    def _estimates_many(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The isotonic estimates of ``select.mtd.comb`` (rounded to 2 decimals under ``rules="next.comb"``)."""
        fitted = _biviso((y + 0.05) / (n + 0.1), n + 0.1)
        return _r_round(fitted, 2) if self.rules == "next.comb" else np.round(fitted, 12)

    def _select_many(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Selected combination of each grid, 0-based flat index ``a * K + b``, -1 for none."""
        rows, cols = self.n_doses
        elim = self._eliminated_for_selection(n, y)
        none = elim[:, 0, 0].copy()
        phat = self._estimates_many(n, y)
        phat = np.where(elim, 1.1, phat)
        index_sum = np.add.outer(np.arange(1, rows + 1), np.arange(1, cols + 1))
        phat = phat * (n != 0) + 1e-05 * index_sum
        tried = n != 0
        if self.bound_mtd:
            over = phat > self.lambda_d if self.rules == "next.comb" else phat >= self.lambda_d
            none |= np.all(over | ~tried, axis=(1, 2))
            phat = np.where(over, 10.0, phat)
        phat = np.where(tried, phat, 10.0)
        distance = np.abs(phat - self.target).transpose(0, 2, 1).reshape(n.shape[0], -1)   # column-major, as R
        first = np.argmin(distance, axis=1)
        flat = (first % rows) * cols + first // rows
        return np.where(none, -1, flat)

    def select(self, n: np.ndarray, y: np.ndarray) -> tuple[int, int] | None:
        """The MTD combination at the end of the trial, as R's ``select.mtd.comb``; None when none is selected.

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination (at least one patient).

        Returns
        -------
        tuple of int or None
            ``(a, b)`` (1-based), or None when (1, 1) is eliminated (or, with ``bound_mtd``, no combination
            qualifies).

        Raises
        ------
        ValueError, TypeError
            On invalid counts, or no patient at all (R would return (1, 1)).

        Examples
        --------
        ``select.mtd.comb``'s help-page example (BOIN 2.7.2):

        >>> n = [[3, 5, 0, 0, 0], [7, 6, 15, 0, 0], [0, 0, 4, 0, 0]]
        >>> y = [[0, 1, 0, 0, 0], [1, 1, 4, 0, 0], [0, 0, 2, 0, 0]]
        >>> BOINComb(0.3, (3, 5)).select(n, y)
        (2, 3)
        """
        n_arr, y_arr = _grid_counts(n, y, self.n_doses)
        if n_arr.sum() == 0:
            raise ValueError("n: no patient has been treated; there is nothing to select from")
        flat = int(self._select_many(n_arr[None], y_arr[None])[0])
        return None if flat < 0 else (flat // self.n_doses[1] + 1, flat % self.n_doses[1] + 1)

    def estimates(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The bivariate isotonic estimates of the DLT rates that :meth:`select` chooses from (R's ``p_est``).

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination.

        Returns
        -------
        ndarray, shape (J, K)
            Isotonic regression of :math:`(y + 0.05)/(n + 0.1)` with weights :math:`n + 0.1`, rounded to 2
            decimals under ``rules="next.comb"`` (R's ``p_est``).  Untried cells carry the pooled value R
            computes for them too (their raw estimate 0.5 has weight 0.1); they are never selected.

        Raises
        ------
        ValueError, TypeError
            On invalid counts.

        Examples
        --------
        >>> n = [[3, 5, 0, 0, 0], [7, 6, 15, 0, 0], [0, 0, 4, 0, 0]]
        >>> y = [[0, 1, 0, 0, 0], [1, 1, 4, 0, 0], [0, 0, 2, 0, 0]]
        >>> BOINComb(0.3, (3, 5)).estimates(n, y)[1].tolist()
        [0.15, 0.19, 0.27, 0.5, 0.5]
        """
        n_arr, y_arr = _grid_counts(n, y, self.n_doses)
        return self._estimates_many(n_arr[None], y_arr[None])[0]

    def select_contour(self, n: np.ndarray, y: np.ndarray) -> list[tuple[int, int]]:
        """The MTD contour, as ``select.mtd.comb(..., mtd.contour = TRUE)`` (the waterfall design's selection).

        Parameters
        ----------
        n, y : array_like of int, shape (J, K)
            Patients and DLTs per combination.

        Returns
        -------
        list of tuple of int
            At most one combination per drug A level, from the highest level down: in each row the tried,
            non-eliminated combination whose (tie-broken) estimate is closest to the target; a row is left out
            when the row above selected the highest drug B level.  Empty when nothing can be selected.

        Raises
        ------
        ValueError, TypeError
            On invalid counts.

        Notes
        -----
        This is the selection rule only; the waterfall design (Zhang & Yuan 2016, Stat Med 35:4924,
        doi:10.1002/sim.7038) that usually precedes it is not implemented.  R's test ``sum(n[kelimi == 0]) == 0``
        indexes the whole matrix with a row's mask (recycled); it is reproduced as written.

        Examples
        --------
        ``select.mtd.comb``'s help-page contour example (BOIN 2.7.2):

        >>> n = [[6, 9, 24, 0], [6, 24, 9, 0], [12, 18, 0, 0]]
        >>> y = [[0, 1, 5, 0], [1, 5, 4, 0], [1, 5, 0, 0]]
        >>> BOINComb(0.3, (3, 4)).select_contour(n, y)
        [(1, 3), (2, 2), (3, 2)]
        """
        n_arr, y_arr = _grid_counts(n, y, self.n_doses)
        rows, cols = self.n_doses
        elim = self._eliminated_for_selection(n_arr[None], y_arr[None])[0]
        if elim[0, 0]:
            return []
        phat = np.where(elim, 1.1, self._estimates_many(n_arr[None], y_arr[None])[0])
        phat = phat * (n_arr != 0) + 1e-05 * np.add.outer(np.arange(1, rows + 1), np.arange(1, cols + 1))
        if self.bound_mtd:
            over = phat > self.lambda_d if self.rules == "next.comb" else phat >= self.lambda_d
            if np.all(over[n_arr != 0]):
                return []
            phat = np.where(over, 10.0, phat)
        phat = np.where(n_arr == 0, 10.0, phat)
        chosen = [0] * rows                                         # 1-based drug B level, 0 for none
        for r in range(rows - 1, -1, -1):
            recycled = np.resize(~elim[r], n_arr.size)              # R: n[kelimi == 0], column-major recycling
            admissible = (n_arr[r] != 0) & ~elim[r]
            if elim[r, 0] or n_arr.T.reshape(-1)[recycled].sum() == 0 or not admissible.any():
                pick = 0
            else:
                index = np.flatnonzero(admissible)
                pick = int(index[np.argsort(np.abs(phat[r, index] - self.target), kind="stable")[0]]) + 1
            chosen[r] = pick
            if r < rows - 1 and chosen[r + 1] == cols:
                chosen[r] = 0
        return [(r + 1, c) for r, c in enumerate(chosen) if c != 0]

    # ------------------------------------------------------------------------------------ planning
    def pathways(self, n_cohorts: int = 2, *, lang: str = "en") -> pd.DataFrame:
        """Dose transition pathways: every outcome of the first ``n_cohorts`` cohorts and where each leads.

        Parameters
        ----------
        n_cohorts : int
            Number of cohorts to look ahead (1 to 6).
        lang : {"en", "zh-tw"}
            Language of the column names and of the tie marker.

        Returns
        -------
        pandas.DataFrame
            One row per sequence of outcomes (and of coin tosses): the combination each cohort receives, its DLTs
            (``"1/3"``) and the next combination; on a tie the next cell lists both (``"(2, 1) / (1, 2)"``) and
            the following rows follow each of them.  A pathway that stops the trial ends there.

        Raises
        ------
        ValueError, TypeError
            On invalid arguments or a table of more than 200,000 rows.

        Examples
        --------
        >>> table = BOINComb(0.3, (3, 5)).pathways(1)
        >>> table.iloc[:, -1].tolist()
        ['(2, 1) / (1, 2)', '(1, 1)', '(1, 1)', 'stop']
        """
        lang = check_lang(lang)
        depth = _validate.integer(n_cohorts, "n_cohorts", minimum=1, maximum=6)
        if (self.cohort_size + 1) ** depth * 2 ** (depth - 1) > MAX_PATHWAY_ROWS:
            raise ValueError(f"n_cohorts = {depth} could give more than {MAX_PATHWAY_ROWS:,} pathways")
        rows: list[dict] = []
        c = self.cohort_size

        def walk(n: np.ndarray, y: np.ndarray, dose: tuple[int, int], i: int, row: dict) -> None:
            for dlts in range(c + 1):
                n2, y2 = n.copy(), y.copy()
                n2[dose[0] - 1, dose[1] - 1] += c
                y2[dose[0] - 1, dose[1] - 1] += dlts
                action, found, _, _ = self._decide(n2, y2, dose)
                shown = (t("pathway_stop", lang) if action == "stop"
                         else " / ".join(_shown_combination(f) for f in found))
                step = {**row, t("comb_pathway_dose", lang, i=i): _shown_combination(dose),
                        t("pathway_cohort_dlts", lang, i=i): f"{dlts}/{c}", t("pathway_next", lang, i=i): shown}
                if action == "stop" or i == depth:
                    rows.append(step)
                else:
                    for f in found:
                        walk(n2, y2, f, i + 1, step)

        zeros = np.zeros(self.n_doses, dtype=np.int64)
        walk(zeros, zeros.copy(), self.start_dose, 1, {})
        return pd.DataFrame(rows, dtype=object).fillna("")

    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, with its boundaries, ready for a protocol.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text.

        Returns
        -------
        str

        Raises
        ------
        ValueError
            On an unknown language.

        Examples
        --------
        >>> BOINComb(0.3, (3, 5)).describe().splitlines()[0][:45]
        'The trial tests 3 doses of drug A and 5 doses'
        """
        lang = check_lang(lang)
        table = self.decision_table(lang=lang)
        every_cohort = table.loc[:, [col for col in table.columns if col % self.cohort_size == 0]]
        with pd.option_context("display.unicode.east_asian_width", True):
            printed = every_cohort.to_string(na_rep="NA")
        sections = self._protocol_sections(lang)
        (setup, rule, *checks), (safety, *stopping) = sections["rule"], sections["stopping"]
        parts = [setup, rule, t("interval_describe_table", lang), printed, safety, *checks, *stopping[:-1],
                 *sections["selection"]]
        return "\n\n".join(parts)

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The texts of :meth:`describe` by section (next.comb's escalation check with the rule; the protocol
        appendix's stopping rules end with the maximum sample size)."""
        fields = dict(rows=self.n_doses[0], cols=self.n_doses[1], cohort_size=self.cohort_size, max_n=self.max_n,
                      start=_shown_combination(self.start_dose), target=self.target, lambda_e=self.lambda_e,
                      lambda_d=self.lambda_d, p_saf=self.p_saf, p_tox=self.p_tox, cutoff=self.cutoff_eli,
                      limit=self.n_earlystop)
        rule = [t("comb_describe_setup", lang, **fields), t("comb_describe_rule", lang, **fields)]
        stopping = [t("comb_describe_safety", lang, **fields)]
        if self.rules == "next.comb":
            rule.append(t("comb_describe_nextcomb", lang, **fields))
        if self.extrasafe:
            stopping.append(t("comb_describe_extrasafe", lang, target=self.target,
                              cutoff=self.cutoff_eli - self.offset))
        if self.n_earlystop <= self.max_n:
            stopping.append(t("comb_describe_earlystop_" + self.rules.replace(".", ""), lang, **fields))
        stopping.append(t("protocol_max_n_stop", lang, max_n=self.max_n))
        return {"rule": rule, "stopping": stopping, "selection": [t("comb_describe_selection", lang, **fields)]}

    def _protocol_derived(self, lang: str) -> list[tuple[str, str, str]]:
        return [(t(f"protocol_param_{name}", lang), f"{getattr(self, name):.4f}", name)
                for name in ("lambda_e", "lambda_d")]

    def _protocol_table_note(self, lang: str) -> str:
        return t("interval_describe_table", lang)

    # ------------------------------------------------------------------------------------ evaluation
    def _check_truth(self, true_tox: object) -> np.ndarray:
        if isinstance(true_tox, (str, bytes)) or true_tox is None:
            raise TypeError(f"true_tox must be a J x K matrix of DLT probabilities; got {_validate._shown(true_tox)}")
        tox = _validate.real_array(true_tox, "true_tox", ndim=2)
        if tox.shape != self.n_doses:
            raise ValueError(f"true_tox must be a {self.n_doses[0]} x {self.n_doses[1]} matrix (drug A levels x drug "
                             f"B levels); got shape {tox.shape}")
        if np.any((tox <= 0) | (tox >= 1)):
            raise ValueError(f"every value of true_tox must lie in (0, 1); got {tox.tolist()}")
        return tox

    def simulate(self, true_tox: np.ndarray, *, n_trials: int = 10_000,
                 seed: int | np.random.Generator | None) -> CombOperatingCharacteristics:
        """Simulate ``n_trials`` trials on a true DLT-probability grid, vectorised across trials.

        Parameters
        ----------
        true_tox : array_like, shape (J, K)
            True DLT probability of each combination, in (0, 1).
        n_trials : int
            Number of simulated trials (default 10,000; Monte Carlo SE of a 50% selection: 0.5 points).
        seed : int, None or numpy.random.Generator
            Seed of the simulation (required, so that every reported number can be reproduced).

        Returns
        -------
        CombOperatingCharacteristics

        Raises
        ------
        ValueError, TypeError
            On an invalid grid, ``n_trials`` or ``seed``.

        Notes
        -----
        Trials run in lockstep, a loop over cohorts with arrays over trials, under :attr:`rules`; a random tie
        between two neighbours is broken by a uniform draw (R: ``runif``).  The final selection smooths each
        distinct final data set once (:meth:`select`).

        Examples
        --------
        >>> p = [[0.05, 0.10, 0.20], [0.10, 0.30, 0.50]]
        >>> oc = BOINComb(0.3, (2, 3), n_cohorts=8).simulate(p, n_trials=200, seed=1)
        >>> oc.selection.shape, round(float(oc.selection.sum() + oc.no_selection), 6)
        ((2, 3), 100.0)
        """
        tox = self._check_truth(true_tox)
        count = _validate.n_trials(n_trials)
        gen, used = _validate.rng(seed)
        rows, cols = self.n_doses
        c = self.cohort_size
        b, score = self._plan_tables
        n = np.zeros((count, rows, cols), dtype=np.int64)
        y = np.zeros((count, rows, cols), dtype=np.int64)
        eliminated = np.zeros((count, rows, cols), dtype=bool)
        dj = np.full(count, self.start_dose[0] - 1)
        dk = np.full(count, self.start_dose[1] - 1)
        active = np.ones(count, dtype=bool)
        stopped = np.zeros(count, dtype=bool)
        trial = np.arange(count)
        row_idx, col_idx = np.arange(rows)[None, :, None], np.arange(cols)[None, None, :]
        next_comb = self.rules == "next.comb"
        for _ in range(self.n_cohorts):
            idx = trial[active]
            a, k = dj[idx], dk[idx]
            n[idx, a, k] += c
            y[idx, a, k] += gen.binomial(c, tox[a, k])
            nc, yc = n[idx, a, k], y[idx, a, k]
            hit = yc >= b.eliminate[nc]
            eliminated[idx] |= hit[:, None, None] & (row_idx >= a[:, None, None]) & (col_idx >= k[:, None, None])
            at_start = (a == 0) & (k == 0)
            stop = at_start & (hit | (yc >= b.stop[nc]))
            early = (nc >= self.n_earlystop) & ~stop if next_comb else np.zeros(idx.size, dtype=bool)
            go_up = yc <= b.escalate[nc]
            go_down = ~go_up & (yc >= b.deescalate[nc])
            if next_comb:
                rate = y[idx] / np.maximum(n[idx], 1)
                toxic = rate >= self.lambda_d
                toxic_a = np.logical_or.accumulate(toxic, axis=2)     # [t, a, k]: some (a, 1..k) toxic
                toxic_b = np.logical_or.accumulate(toxic, axis=1)     # [t, a, k]: some (1..a, k) toxic
            scores = np.zeros((idx.size, 2))
            targets = np.zeros((idx.size, 2, 2), dtype=np.int64)
            for m, ((uj, uk), (vj, vk)) in enumerate(zip(_NEIGHBOURS_UP, _NEIGHBOURS_DOWN)):
                ua, uc = a + uj, k + uk
                va, vc = a + vj, k + vk
                inside_up = (ua < rows) & (uc < cols)
                ua_c, uc_c = np.minimum(ua, rows - 1), np.minimum(uc, cols - 1)
                ok_up = inside_up & ~eliminated[idx, ua_c, uc_c]
                if next_comb:
                    blocked = (toxic_a[np.arange(idx.size), ua_c, k] if uj else
                               toxic_b[np.arange(idx.size), a, uc_c])
                    ok_up &= ~blocked
                inside_down = (va >= 0) & (vc >= 0)
                va_c, vc_c = np.maximum(va, 0), np.maximum(vc, 0)
                nu, yu = n[idx, ua_c, uc_c], y[idx, ua_c, uc_c]
                nd, yd = n[idx, va_c, vc_c], y[idx, va_c, vc_c]
                up_score = np.where(ok_up, score[nu, yu] + nu * 5e-4, 0.0)
                down_score = np.where(inside_down, score[nd, yd] + nd * 5e-4, 0.0)
                scores[:, m] = np.where(go_up, up_score, np.where(go_down, down_score, 0.0))
                targets[:, m, 0] = np.where(go_up, ua_c, va_c)
                targets[:, m, 1] = np.where(go_up, uc_c, vc_c)
            best = scores.max(axis=1)
            moves = best > 0
            tie = moves & (scores[:, 0] == scores[:, 1])
            choice = np.where(tie, (gen.random(idx.size) * 2).astype(np.int64), np.argmax(scores, axis=1))
            if not next_comb:
                early = ~stop & ~moves & (nc >= self.n_earlystop)
            new_a = np.where(moves, targets[np.arange(idx.size), choice, 0], a)
            new_k = np.where(moves, targets[np.arange(idx.size), choice, 1], k)
            dj[idx], dk[idx] = new_a, new_k
            stopped[idx] |= stop
            active[idx] = ~(stop | early)
            if not active.any():
                break
        flat = np.full(count, -1)
        go = ~stopped
        if go.any():
            keys = np.concatenate([n[go].reshape(go.sum(), -1), y[go].reshape(go.sum(), -1)], axis=1)
            unique, inverse = np.unique(keys, axis=0, return_inverse=True)
            size = rows * cols
            picked = self._select_many(unique[:, :size].reshape(-1, rows, cols),
                                       unique[:, size:].reshape(-1, rows, cols))
            flat[go] = picked[inverse.reshape(-1)]
        selection = np.array([(flat == f).mean() for f in range(rows * cols)]).reshape(rows, cols) * 100
        root = math.sqrt(count)
        return CombOperatingCharacteristics(
            selection=selection, patients=n.mean(axis=0), dlts=y.mean(axis=0),
            no_selection=float((flat < 0).mean() * 100), n_trials=count, seed=used, true_tox=tox,
            patients_se=n.std(axis=0) / root, dlts_se=y.std(axis=0) / root,
            total_n=float(n.sum(axis=(1, 2)).mean()), total_n_se=float(n.sum(axis=(1, 2)).std() / root))


# ---------------------------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class CombOperatingCharacteristics:
    """Simulated operating characteristics of a drug-combination design (arrays indexed [a - 1, b - 1]).

    Parameters
    ----------
    selection : ndarray, shape (J, K)
        Percentage of trials selecting each combination as the MTD.
    patients : ndarray, shape (J, K)
        Mean number of patients treated at each combination.
    dlts : ndarray, shape (J, K)
        Mean number of DLTs at each combination.
    no_selection : float
        Percentage of trials that selected no combination (stopped for toxicity, or nothing qualified).
    n_trials : int
        Number of simulated trials.
    seed : int or None
        The seed of the simulation (None when a Generator was passed).
    true_tox : ndarray, shape (J, K)
        The true DLT probabilities simulated.
    patients_se, dlts_se : ndarray, shape (J, K)
        Monte Carlo standard errors of ``patients`` and ``dlts``.
    total_n, total_n_se : float
        Mean sample size and its Monte Carlo standard error.

    Raises
    ------
    ValueError, TypeError
        On arrays of different shapes, percentages outside [0, 100] or not adding to 100, negative means, DLTs
        above patients, or an invalid ``n_trials``, ``seed`` or ``true_tox``.
    """

    selection: np.ndarray
    patients: np.ndarray
    dlts: np.ndarray
    no_selection: float
    n_trials: int
    seed: int | None
    true_tox: np.ndarray
    patients_se: np.ndarray
    dlts_se: np.ndarray
    total_n: float
    total_n_se: float

    def __post_init__(self) -> None:
        sel = _validate.real_array(self.selection, "selection", ndim=2, minimum=0.0, maximum=100.0)
        shape = sel.shape
        if sel.size == 0:
            raise ValueError("selection must not be empty")
        arrays = {"selection": sel}
        for name in ("patients", "dlts", "patients_se", "dlts_se"):
            arr = _validate.real_array(getattr(self, name), name, ndim=2, minimum=0.0)
            if arr.shape != shape:
                raise ValueError(f"{name} must have the shape of selection {shape}; got {arr.shape}")
            arrays[name] = arr
        tox = _validate.real_array(self.true_tox, "true_tox", ndim=2)
        if tox.shape != shape:
            raise ValueError(f"true_tox must have the shape of selection {shape}; got {tox.shape}")
        if np.any((tox <= 0) | (tox >= 1)):
            raise ValueError(f"every value of true_tox must lie in (0, 1); got {tox.tolist()}")
        arrays["true_tox"] = tox
        none = _validate.number(self.no_selection, "no_selection", minimum=0.0, maximum=100.0)
        if abs(sel.sum() + none - 100.0) > 1e-6:
            raise ValueError(f"selection and no_selection must add up to 100%; got {sel.sum() + none:g}")
        if np.any(arrays["dlts"] > arrays["patients"] + 1e-9):
            raise ValueError("dlts cannot exceed patients at any combination")
        count = _validate.n_trials(self.n_trials)
        seed = _validate.seed(self.seed)
        total = _validate.positive(self.total_n, "total_n", allow_zero=True)
        total_se = _validate.positive(self.total_n_se, "total_n_se", allow_zero=True)
        if abs(total - arrays["patients"].sum()) > 1e-6 * max(1.0, total):
            raise ValueError(f"total_n must equal the sum of patients ({arrays['patients'].sum():g}); got {total:g}")
        for name, arr in arrays.items():
            arr = arr.copy()
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "no_selection", none)
        object.__setattr__(self, "n_trials", count)
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "total_n", total)
        object.__setattr__(self, "total_n_se", total_se)

    @property
    def selection_se(self) -> np.ndarray:
        """Monte Carlo standard errors of :attr:`selection`, in percentage points: 100 sqrt(p (1 - p) / n)."""
        p = self.selection / 100
        return 100 * np.sqrt(p * (1 - p) / self.n_trials)

    def _correct(self, target: float, tolerance: float | None) -> np.ndarray:
        target = _validate.probability(target, "target")
        distance = np.abs(self.true_tox - target)
        if tolerance is None:
            return distance == distance.min()
        return distance <= _validate.number(tolerance, "tolerance", minimum=0.0, maximum=1.0) + 1e-12

    def correct_selection(self, target: float, tolerance: float | None = None) -> float:
        """Percentage of trials selecting a correct combination.

        Parameters
        ----------
        target : float
            Target DLT probability.
        tolerance : float, optional
            None (default): the correct combinations are those whose true DLT rate is closest to the target (the
            combinations at the target when some are; R's ``pcs``).  A number: those within ``tolerance`` of the
            target (an acceptable band, e.g. 0.05 for 0.25-0.35).

        Returns
        -------
        float
            A percentage.

        Raises
        ------
        ValueError, TypeError
            On a target outside (0, 1) or a tolerance outside [0, 1].

        Examples
        --------
        >>> p = [[0.05, 0.10, 0.20], [0.10, 0.30, 0.50]]
        >>> oc = BOINComb(0.3, (2, 3), n_cohorts=8).simulate(p, n_trials=200, seed=1)
        >>> oc.correct_selection(0.3) == oc.selection[1, 1]
        True
        """
        return float(self.selection[self._correct(target, tolerance)].sum())

    def correct_patients(self, target: float, tolerance: float | None = None) -> float:
        """Percentage of the patients treated at a correct combination (R's ``npercent``).

        Parameters
        ----------
        target : float
            Target DLT probability.
        tolerance : float, optional
            As in :meth:`correct_selection`.

        Returns
        -------
        float
            A percentage of the mean sample size.

        Raises
        ------
        ValueError, TypeError
            On a target outside (0, 1) or a tolerance outside [0, 1].

        Examples
        --------
        >>> p = [[0.05, 0.10, 0.20], [0.10, 0.30, 0.50]]
        >>> oc = BOINComb(0.3, (2, 3), n_cohorts=8).simulate(p, n_trials=200, seed=1)
        >>> 0 < oc.correct_patients(0.3) < 100
        True
        """
        total = self.patients.sum()
        return float(100 * self.patients[self._correct(target, tolerance)].sum() / total) if total else 0.0

    def to_frame(self, *, lang: str = "en") -> pd.DataFrame:
        """The grid as a table: selection %, mean patients and mean DLTs per combination.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the labels.

        Returns
        -------
        pandas.DataFrame
            One row per combination ``(a, b)``: true DLT rate, selection %, patients, DLTs.

        Raises
        ------
        ValueError
            On an unknown language.

        Examples
        --------
        >>> p = [[0.05, 0.10, 0.20], [0.10, 0.30, 0.50]]
        >>> BOINComb(0.3, (2, 3), n_cohorts=8).simulate(p, n_trials=50, seed=1).to_frame().shape
        (6, 5)
        """
        lang = check_lang(lang)
        rows, cols = self.selection.shape
        combos = [(a + 1, b + 1) for a in range(rows) for b in range(cols)]
        return pd.DataFrame({
            t("comb_col_combination", lang): [_shown_combination(c) for c in combos],
            t("comb_col_true", lang): self.true_tox.reshape(-1),
            t("comb_col_selection", lang): self.selection.reshape(-1),
            t("comb_col_patients", lang): self.patients.reshape(-1),
            t("comb_col_dlts", lang): self.dlts.reshape(-1)})
