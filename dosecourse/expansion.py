r"""Randomized dose expansion: choose between two or three doses by a "lower dose unless beaten by a margin" rule.

After escalation has cleared two or three doses, patients are randomized among them and the dose is chosen
from the observed response rates.  The rule here is the selection-design rule of Simon, Wittes and Ellenberg
(1985) with a preference for the lower dose, as in the ROSE design (Wang, Yuan, Liu 2025): the higher dose is
taken only when its observed response rate beats the lower one by more than a pre-set margin (the decision
boundary).  With three doses the comparison runs upward from the lowest dose:

* chosen = dose 1;
* for dose j = 2, ..., K: if :math:`\hat p_j - \hat p_{chosen} > \lambda`, then chosen = j.

A difference exactly equal to the margin :math:`\lambda` keeps the lower dose.  The comparison is done on the
integer counts (:math:`x_j n_c - x_c n_j > \lfloor \lambda n_j n_c \rfloor`) with the margin read as an exact
fraction, so floating-point error never decides a tie.  An optional toxicity guard also requires the higher
dose's observed toxicity rate not to exceed the chosen dose's by more than a toxicity margin.

The verbs follow the trial: plan (:func:`sample_size_for_selection`), conduct (:func:`select_dose`), evaluate
(:func:`selection_probabilities` and :func:`selection_curve`, exact; :func:`simulate_selection`, Monte Carlo
check; :func:`correct_dose`, :func:`probability_correct_selection`), present (:func:`selection_table`,
:func:`describe_rule`).  Doses are numbered 1..K from the lowest; arrays per dose put dose 1 first.  The module
computes and never draws: the chapter's figures are in :mod:`dosecourse.chapters.randomized_expansion`.

The *correct dose* of this module (:func:`correct_dose`) is the target of a selection rule on efficacy: the
lowest dose whose true response rate is within the margin of the best one.  It is not the correct dose of the
escalation chapters (:func:`dosecourse.escalation.correct_doses`: the doses whose true DLT probability is
closest to the target DLT rate, every dose tied for closest); see :func:`correct_dose`.

ROSE (two doses) chooses the boundary and the sample size so that the probability of correct selection meets
prespecified levels; :func:`sample_size_for_selection` does this with exact binomial probabilities.  MERIT
(Yang et al. 2024) sizes multiple-dose randomized trials with pre-calculated efficacy and toxicity decision
boundaries for each dose; it is cited as the companion design of the same school, its rule is not the one
implemented here.

References
----------
Simon R, Wittes RE, Ellenberg SS. Randomized phase II clinical trials. Cancer Treat Rep. 1985;69(12):1375-1381.
PMID 4075313.
Wang S, Yuan Y, Liu S. ROSE: Randomized Optimal Selection Design for Dose Optimization. arXiv:2505.03898
(2025). https://arxiv.org/abs/2505.03898
Yang P, Li D, Lin R, Huang B, Yuan Y. Design and sample size determination for multiple-dose randomized phase
II trials for dose optimization (MERIT). Stat Med. 2024;43(15):2972-2986. doi:10.1002/sim.10093 (PMID 38747472)
FDA (OCE). Optimizing the Dosage of Human Prescription Drugs and Biological Products for the Treatment of
Oncologic Diseases. Guidance for Industry, August 2024.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.stats import binom

from . import _validate
from .i18n import check_lang, t

MAX_ARMS = 3
"""Largest number of doses handled (the exact computation enumerates pairs of arms sharing one arm)."""

MAX_ARM_SIZE = 500
"""Largest number of patients in one arm for the exact computations (each pair of arms is enumerated on an
(n+1) x (n+1) grid of counts, so the work grows as n squared); simulations and :func:`select_dose` accept up to
:data:`dosecourse._validate.MAX_PATIENTS`."""

LOWEST_WITHIN_MARGIN = "lowest_within_margin"
"""Default definition of the correct dose: the lowest dose whose true response rate is within the margin of
the best one (``max(p) - p_j <= margin``)."""

CORRECT_OPTIONS: tuple[str, ...] = (LOWEST_WITHIN_MARGIN,)
"""The named definitions of the correct dose accepted by ``correct=`` (an int names the dose instead)."""

MarginLike = float | int | Fraction

_SIM_CHUNK = 1_000_000
"""Trials simulated at once by :func:`simulate_selection` (bounds its memory)."""


class TargetNotReached(ValueError):
    """Raised by :func:`sample_size_for_selection` when no sample size up to ``n_max`` reaches the target PCS.

    Parameters
    ----------
    message : str
        The error message.
    best_n : int
        The allocation multiplier with the highest PCS found.
    best_pcs : float
        That highest PCS.
    """

    def __init__(self, message: str, best_n: int, best_pcs: float) -> None:
        super().__init__(_validate.text(message, "message"))
        self.best_n = _validate.positive_int(best_n, "best_n", maximum=_validate.MAX_PATIENTS)
        self.best_pcs = _validate.probability(best_pcs, "best_pcs", open_interval=False)


# --- argument checks ------------------------------------------------------------------------------------------

def _exact(value: MarginLike, name: str) -> Fraction:
    """``value`` (>= 0, finite) as an exact fraction; a float is read as the shortest decimal that prints it."""
    if isinstance(value, numbers.Rational) and not isinstance(value, (bool, np.bool_)):
        frac = Fraction(value)
        if frac < 0:
            raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
        return frac
    x = _validate.positive(value, name, allow_zero=True)
    return Fraction(repr(x))  # 0.3 means exactly 3/10, not the binary double just below it


def _rates(p: Sequence[float], name: str, length: int | None = None) -> np.ndarray:
    """True rates per dose in [0, 1], two or three of them (or ``length``)."""
    arr = _validate.probabilities(p, name, length=length, open_interval=False)
    if not 2 <= arr.size <= MAX_ARMS:
        raise ValueError(f"{name} must give 2 or {MAX_ARMS} doses (lowest first); got {arr.size}")
    return arr


def _arm_sizes(n_per_arm: int | Sequence[int], k: int, name: str = "n_per_arm", *,
               maximum: int = MAX_ARM_SIZE) -> np.ndarray:
    """Patients per arm as an int array of length ``k``; a single whole number means equal allocation."""
    if isinstance(n_per_arm, (str, bytes)) or np.ndim(n_per_arm) == 0:
        return np.full(k, _validate.positive_int(n_per_arm, name, maximum=maximum), dtype=np.int64)
    values = list(n_per_arm)
    if len(values) != k:
        raise ValueError(f"{name} must have one value per dose ({k}); got {len(values)}")
    return np.array([_validate.positive_int(v, f"{name}[{i}]", maximum=maximum) for i, v in enumerate(values)],
                    dtype=np.int64)


def _allocation(allocation: Sequence[int] | None, k: int) -> np.ndarray:
    """Allocation ratio as an int array (all ones when ``None``)."""
    return np.ones(k, dtype=np.int64) if allocation is None else _arm_sizes(allocation, k, "allocation")


def _grid(n_grid: Iterable[int], alloc: np.ndarray) -> np.ndarray:
    """Sample sizes (allocation multipliers) as a non-empty int array, each arm within :data:`MAX_ARM_SIZE`."""
    if isinstance(n_grid, Iterable) and not isinstance(n_grid, (str, bytes, list, tuple, np.ndarray)):
        n_grid = list(n_grid)  # a range or a generator
    grid = _validate.whole_array(n_grid, "n_grid", minimum=1, ndim=1)
    if grid.size == 0:
        raise ValueError("n_grid must not be empty")
    if grid.size > MAX_ARM_SIZE:
        raise ValueError(f"n_grid may hold at most {MAX_ARM_SIZE:,} sample sizes; got {grid.size:,}")
    largest = int(grid.max()) * int(alloc.max())
    if largest > MAX_ARM_SIZE:
        raise ValueError(f"n_grid must keep every arm at most {MAX_ARM_SIZE:,} patients (allocation x n) for the "
                         f"exact computation; got an arm of {largest:,}")
    return grid


def _tox_rates(p_tox: Sequence[float] | None, tox_margin: MarginLike | None, k: int) -> np.ndarray | None:
    """Check that ``p_tox`` and ``tox_margin`` come together; return the toxicity rates (or None)."""
    if (p_tox is None) != (tox_margin is None):
        raise ValueError("p_tox and tox_margin go together: give both (toxicity guard) or neither")
    return None if p_tox is None else _rates(p_tox, "p_tox", length=k)


def _thresholds(m: Fraction, n: np.ndarray) -> np.ndarray:
    """``floor(m * n_j * n_c)`` for every pair, capped at ``n_j * n_c`` (a margin >= 1 can never be beaten)."""
    k = n.size
    out = np.zeros((k, k), dtype=np.int64)
    a, b = m.numerator, m.denominator
    for j in range(k):
        for c in range(k):
            cap = int(n[j]) * int(n[c])
            out[j, c] = min(a * cap // b, cap)  # exact integer floor
    return out


@dataclass(frozen=True)
class _Rule:
    """The checked rule: arm sizes and, per pair (higher j, chosen c), the integer thresholds on counts."""

    n: np.ndarray
    eff: np.ndarray  # eff[j, c] = floor(margin * n_j * n_c), capped at n_j * n_c
    tox: np.ndarray | None  # tox[j, c] = floor(tox_margin * n_j * n_c), capped; None: no toxicity guard


def _rule(n: np.ndarray, margin: Fraction, tox_margin: Fraction | None) -> _Rule:
    return _Rule(n, _thresholds(margin, n), None if tox_margin is None else _thresholds(tox_margin, n))


# --- the rule on observed counts -----------------------------------------------------------------------------

def _select(x: np.ndarray, rule: _Rule, y: np.ndarray | None = None) -> np.ndarray:
    """Selected arm (0-based) for each row of response counts ``x`` (and toxicity counts ``y``), vectorised."""
    n = rule.n
    chosen = np.zeros(x.shape[0], dtype=np.int64)
    for j in range(1, n.size):  # loop over the (at most three) arms, never over trials
        nc = n[chosen]
        xc = np.take_along_axis(x, chosen[:, None], axis=1)[:, 0]
        move = x[:, j] * nc - xc * n[j] > rule.eff[j, chosen]
        if y is not None:
            yc = np.take_along_axis(y, chosen[:, None], axis=1)[:, 0]
            move &= y[:, j] * nc - yc * n[j] <= rule.tox[j, chosen]
        chosen = np.where(move, j, chosen)
    return chosen


def select_dose(responses: Sequence[int], n_per_arm: int | Sequence[int], margin: MarginLike, *,
                toxicities: Sequence[int] | None = None, tox_margin: MarginLike | None = None) -> int:
    r"""The dose the rule selects from observed counts (conduct the trial's final analysis).

    Parameters
    ----------
    responses : sequence of int
        Responders per dose, lowest dose first (2 or 3 doses).
    n_per_arm : int or sequence of int
        Patients per dose (one number for equal allocation), each from 1 to
        :data:`dosecourse._validate.MAX_PATIENTS`.
    margin : float, int or Fraction
        Decision boundary :math:`\lambda \ge 0` on the difference of observed response rates.
    toxicities : sequence of int, optional
        Patients with toxicity per dose; with ``tox_margin`` switches on the toxicity guard.
    tox_margin : float, int or Fraction, optional
        Largest allowed excess of the higher dose's observed toxicity rate over the chosen dose's.

    Returns
    -------
    int
        Selected dose, numbered from 1 (the lowest).

    Raises
    ------
    ValueError
        If a count is negative or exceeds its arm size, lengths disagree, a margin is negative, or only one of
        ``toxicities`` / ``tox_margin`` is given.
    TypeError
        If a count or size is not a whole number, or a margin is not a number.

    Notes
    -----
    Start with dose 1; for j = 2..K move to dose j when

    .. math:: x_j n_c - x_c n_j > \lfloor \lambda\, n_j n_c \rfloor
              \iff \frac{x_j}{n_j} - \frac{x_c}{n_c} > \lambda

    (and, with the guard, :math:`y_j n_c - y_c n_j \le \lfloor \lambda_T n_j n_c \rfloor`, i.e. the toxicity
    excess is at most :math:`\lambda_T`).  A response difference exactly equal to the margin keeps the lower
    dose; a toxicity excess exactly equal to the toxicity margin is allowed.

    References
    ----------
    Wang S, Yuan Y, Liu S. arXiv:2505.03898 (2025) (two-arm rule: higher dose only when the difference in
    response rates exceeds the decision boundary).

    Examples
    --------
    >>> select_dose([6, 8], 20, 0.10)    # 40% - 30% = 0.10 is not more than 0.10
    1
    >>> select_dose([6, 9], 20, 0.10)    # 45% - 30% = 0.15 > 0.10
    2
    >>> select_dose([6, 9, 10], 20, 0.10)  # dose 2 beats dose 1; 50% - 45% does not beat dose 2
    2
    """
    x = _validate.whole_array(responses, "responses", ndim=1)
    k = x.size
    if not 2 <= k <= MAX_ARMS:
        raise ValueError(f"responses must give 2 or {MAX_ARMS} doses (lowest first); got {k}")
    n = _arm_sizes(n_per_arm, k, maximum=_validate.MAX_PATIENTS)
    n, xs = _validate.counts(n, x, k, n_name="n_per_arm", y_name="responses")
    m = _exact(margin, "margin")
    if (toxicities is None) != (tox_margin is None):
        raise ValueError("toxicities and tox_margin go together: give both (toxicity guard) or neither")
    ys = None
    if toxicities is not None:
        _, ys = _validate.counts(n, toxicities, k, n_name="n_per_arm", y_name="toxicities")
        ys = ys[None, :]
    tm = None if tox_margin is None else _exact(tox_margin, "tox_margin")
    return int(_select(xs[None, :], _rule(n, m, tm), ys)[0]) + 1


# --- exact operating characteristics ---------------------------------------------------------------------------

def _pair_events(f: list[np.ndarray], n: np.ndarray, thr: np.ndarray, *, higher_wins: bool) -> dict[str, float]:
    """Exact probabilities of the pairwise "move" events of one endpoint and of the intersections the rule needs.

    ``f[j]`` is the binomial pmf of arm j's count.  ``M_jc`` is the event that arm j passes the comparison with
    chosen arm c: ``D > thr[j, c]`` when ``higher_wins`` (response), ``D <= thr[j, c]`` otherwise (toxicity),
    with ``D = z_j n_c - z_c n_j``.  Returns P(M21) and, for three arms, P(M31), P(M21 and M31) (they share arm
    1) and P(M21 and M32) (they share arm 2); each intersection is summed over the shared arm's count, exact
    because arms are independent.
    """
    z = [np.arange(m + 1, dtype=np.int64) for m in n]

    def move(j: int, c: int) -> np.ndarray:
        """0/1 matrix indexed [z_c, z_j] of the event M_jc."""
        d = z[j][None, :] * n[c] - z[c][:, None] * n[j]
        return (d > thr[j, c] if higher_wins else d <= thr[j, c]).astype(float)

    m21 = move(1, 0)
    given1_21 = m21 @ f[1]  # P(M21 | z_1), a vector over z_1
    out = {"21": float(f[0] @ given1_21)}
    if n.size == 3:
        given1_31 = move(2, 0) @ f[2]
        given2_21 = f[0] @ m21  # P(M21 | z_2)
        given2_32 = move(2, 1) @ f[2]
        out["31"] = float(f[0] @ given1_31)
        out["21&31"] = float(f[0] @ (given1_21 * given1_31))
        out["21&32"] = float(f[1] @ (given2_21 * given2_32))
    return out


def _pmf_tables(p: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Per arm j, the binomial pmf of every row's arm size: ``table[j][g, x] = P(Bin(sizes[g, j], p_j) = x)``.

    One call of :func:`scipy.stats.binom.pmf` per arm for the whole grid (zero beyond each row's size); the
    values are the same as one call per size.
    """
    tables = []
    for j in range(sizes.shape[1]):
        nj = sizes[:, j]
        x = np.arange(int(nj.max()) + 1)
        tables.append(binom.pmf(x[None, :], nj[:, None], p[j]))
    return tables


def _combine(q: dict[str, float], k: int) -> np.ndarray:
    """Selection probabilities per arm from the probabilities of the move events."""
    if k == 2:
        probs = np.array([1.0 - q["21"], q["21"]])
    else:
        probs = np.array([1.0 - q["21"] - q["31"] + q["21&31"],
                          q["21"] - q["21&32"],
                          q["21&32"] + q["31"] - q["21&31"]])
    return np.clip(probs, 0.0, 1.0)


def _curve(p: np.ndarray, sizes: np.ndarray, margin: Fraction, p_tox: np.ndarray | None,
           tox_margin: Fraction | None) -> np.ndarray:
    """Exact selection probabilities (rows: the arm sizes ``sizes[g]``; columns: doses), arguments checked."""
    k = p.size
    eff = _pmf_tables(p, sizes)
    tox = None if p_tox is None else _pmf_tables(p_tox, sizes)
    out = np.empty((sizes.shape[0], k))
    for g, n in enumerate(sizes):  # loop over sample sizes, never over outcomes
        q = _pair_events([eff[j][g, :n[j] + 1] for j in range(k)], n, _thresholds(margin, n), higher_wins=True)
        if tox is not None:
            tx = _pair_events([tox[j][g, :n[j] + 1] for j in range(k)], n, _thresholds(tox_margin, n),
                              higher_wins=False)
            q = {key: q[key] * tx[key] for key in q}  # response and toxicity counts are independent
        out[g] = _combine(q, k)
    return out


def selection_probabilities(p: Sequence[float], n_per_arm: int | Sequence[int], margin: MarginLike, *,
                            p_tox: Sequence[float] | None = None,
                            tox_margin: MarginLike | None = None) -> np.ndarray:
    r"""Exact probability that each dose is selected by the "lower dose unless beaten by a margin" rule.

    Parameters
    ----------
    p : sequence of float
        True response rates of the doses, lowest dose first (2 or 3 doses, each in [0, 1]).
    n_per_arm : int or sequence of int
        Patients per dose: one number (equal allocation) or one per dose (unequal allocation), each from 1 to
        :data:`MAX_ARM_SIZE`.
    margin : float, int or Fraction
        Decision boundary :math:`\lambda \ge 0`: a higher dose is taken only if its observed response rate
        exceeds the chosen dose's by more than :math:`\lambda`.  A float is read as the decimal it prints as
        (``0.1`` is exactly 1/10).
    p_tox : sequence of float, optional
        True toxicity rates per dose; with ``tox_margin`` adds the toxicity guard.
    tox_margin : float, int or Fraction, optional
        A higher dose is taken only if its observed toxicity rate exceeds the chosen dose's by at most this.

    Returns
    -------
    numpy.ndarray
        P(select dose j), j = 1..K (dose 1 first); the entries sum to 1.

    Raises
    ------
    ValueError
        If a rate lies outside [0, 1], there are not 2 or 3 doses, lengths disagree, a margin is negative or
        not finite, an arm size is < 1 or above :data:`MAX_ARM_SIZE`, or only one of ``p_tox`` /
        ``tox_margin`` is given.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    The rule (see :func:`select_dose`): chosen = 1; for j = 2..K, move to j if
    :math:`\hat p_j - \hat p_{chosen} > \lambda`, evaluated on integer counts as
    :math:`x_j n_c - x_c n_j > \lfloor \lambda n_j n_c \rfloor`.  Ties at exactly :math:`\lambda` keep the
    lower dose.

    With :math:`X_j \sim \mathrm{Bin}(n_j, p_j)` independent and :math:`M_{jc}` the event "dose j beats
    dose c", the selection events are

    .. math::
        P(1) = P(\bar M_{21} \bar M_{31}), \quad P(2) = P(M_{21} \bar M_{32}), \quad
        P(3) = P(\bar M_{21} M_{31}) + P(M_{21} M_{32}),

    (two doses: :math:`P(2) = P(M_{21})`).  Every term is an intersection of at most two events that share
    one arm, so it is computed exactly as :math:`\sum_{x} f_s(x) P(M \mid x) P(M' \mid x)` over the shared
    arm's count, with the conditional probabilities from (n+1) x (n+1) outer-product grids of the counts:
    :math:`O(n^2)` work.  With the toxicity guard, :math:`M_{jc} = E_{jc} \cap T_{jc}` and, response and
    toxicity counts being independent, every probability factorises:
    :math:`P(M_{21} M_{32}) = P(E_{21} E_{32})\, P(T_{21} T_{32})`.  The independence of response and
    toxicity within a patient is an assumption of this guard.

    References
    ----------
    Simon R, Wittes RE, Ellenberg SS. Cancer Treat Rep. 1985;69(12):1375-1381 (selection design).
    Wang S, Yuan Y, Liu S. ROSE. arXiv:2505.03898 (2025) (decision boundary on the difference in response
    rates between two dose arms).
    No reference software implements this rule; the tests check it against a brute-force enumeration of every
    joint outcome in exact rational arithmetic and against :func:`simulate_selection`.

    Examples
    --------
    One patient per arm, margin 0: dose 2 is chosen only when it responds and dose 1 does not,
    P = 0.6 x (1 - 0.3) = 0.42.

    >>> selection_probabilities([0.3, 0.6], 1, 0.0).round(4).tolist()
    [0.58, 0.42]
    >>> selection_probabilities([0.25, 0.35, 0.40], 30, 0.05).round(3).tolist()
    [0.12, 0.409, 0.47]
    """
    p_arr = _rates(p, "p")
    k = p_arr.size
    tox = _tox_rates(p_tox, tox_margin, k)
    n = _arm_sizes(n_per_arm, k)
    m = _exact(margin, "margin")
    tm = None if tox_margin is None else _exact(tox_margin, "tox_margin")
    return _curve(p_arr, n[None, :], m, tox, tm)[0]


def selection_curve(p: Sequence[float], n_grid: Iterable[int], margin: MarginLike, *,
                    allocation: Sequence[int] | None = None, p_tox: Sequence[float] | None = None,
                    tox_margin: MarginLike | None = None) -> np.ndarray:
    r"""Exact selection probabilities for each sample size of a grid (one row per size).

    Parameters
    ----------
    p, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    n_grid : iterable of int
        Patients per arm (with ``allocation``: multipliers, dose j gets ``allocation[j] * n``), each >= 1; at
        most :data:`MAX_ARM_SIZE` sizes, and no arm above :data:`MAX_ARM_SIZE` patients.
    allocation : sequence of int, optional
        Allocation ratio, e.g. ``(2, 1)``; default equal.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(n_grid), K)``: row i holds P(select dose j) at the i-th sample size.

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_probabilities`, or if ``n_grid`` is empty, not whole numbers >= 1, or too large.

    Notes
    -----
    Row i equals ``selection_probabilities(p, allocation * n_grid[i], margin, ...)`` exactly (the same
    arithmetic); the binomial probabilities of all sizes are computed in one vectorised call per arm, so a
    curve of 100 sizes costs a few milliseconds.

    Examples
    --------
    >>> selection_curve([0.35, 0.50], [29, 30], 0.10)[:, 1].round(3).tolist()   # the saw-tooth at 30
    [0.692, 0.606]
    """
    p_arr = _rates(p, "p")
    k = p_arr.size
    alloc = _allocation(allocation, k)
    grid = _grid(n_grid, alloc)
    tox = _tox_rates(p_tox, tox_margin, k)
    m = _exact(margin, "margin")
    tm = None if tox_margin is None else _exact(tox_margin, "tox_margin")
    return _curve(p_arr, grid[:, None] * alloc[None, :], m, tox, tm)


# --- Monte Carlo check -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedSelection:
    r"""Selection frequencies from simulated trials (returned by :func:`simulate_selection`).

    Parameters
    ----------
    probabilities : numpy.ndarray
        Fraction of trials selecting each dose (dose 1 first); they sum to 1.
    se : numpy.ndarray
        Monte Carlo standard error of each fraction, :math:`\sqrt{\hat q (1 - \hat q) / N}`.
    n_trials : int
        Number of simulated trials N.
    seed : int or None
        The seed used (None when a Generator was passed).
    """

    probabilities: np.ndarray
    se: np.ndarray
    n_trials: int
    seed: int | None = None

    def __post_init__(self) -> None:
        probs = _validate.probabilities(self.probabilities, "probabilities", open_interval=False)
        if not 2 <= probs.size <= MAX_ARMS:
            raise ValueError(f"probabilities must give 2 or {MAX_ARMS} doses; got {probs.size}")
        if abs(probs.sum() - 1.0) > 1e-9:
            raise ValueError(f"probabilities must sum to 1; got {probs.sum()!r}")
        se = _validate.real_array(self.se, "se", minimum=0.0, ndim=1, length=probs.size)
        object.__setattr__(self, "probabilities", probs)
        object.__setattr__(self, "se", se)
        object.__setattr__(self, "n_trials", _validate.n_trials(self.n_trials))
        object.__setattr__(self, "seed", _validate.seed(self.seed))


def simulate_selection(p: Sequence[float], n_per_arm: int | Sequence[int], margin: MarginLike,
                       n_trials: int = 100_000, seed: int | np.random.Generator | None = _validate.DEFAULT_SEED,
                       *, p_tox: Sequence[float] | None = None,
                       tox_margin: MarginLike | None = None) -> SimulatedSelection:
    r"""Selection frequencies of the rule in simulated trials (a check on :func:`selection_probabilities`).

    Parameters
    ----------
    p, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    n_per_arm : int or sequence of int
        Patients per dose, each from 1 to :data:`dosecourse._validate.MAX_PATIENTS`.
    n_trials : int, default 100000
        Number of simulated trials (at most :data:`dosecourse._validate.MAX_TRIALS`).
    seed : int, None or numpy.random.Generator, default 2025
        Random state (:func:`dosecourse._validate.rng`); the seed used is recorded in the result.

    Returns
    -------
    SimulatedSelection
        Frequencies, Monte Carlo standard errors, the number of trials and the seed.

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_probabilities`, or if ``n_trials`` or ``seed`` is invalid.

    Notes
    -----
    Trials are drawn in blocks of a million (responses :math:`X \sim \mathrm{Bin}(n_j, p_j)` as an
    ``(n_trials, K)`` array, toxicities independently) and the same integer rule as :func:`select_dose` is
    applied column by column, so there is no loop over trials.

    Examples
    --------
    >>> sim = simulate_selection([0.25, 0.35, 0.40], 30, 0.05, n_trials=20_000, seed=1)
    >>> exact = selection_probabilities([0.25, 0.35, 0.40], 30, 0.05)
    >>> bool(np.all(np.abs(sim.probabilities - exact) < 3 * sim.se)), sim.seed
    (True, 1)
    """
    p_arr = _rates(p, "p")
    k = p_arr.size
    tox = _tox_rates(p_tox, tox_margin, k)
    n = _arm_sizes(n_per_arm, k, maximum=_validate.MAX_PATIENTS)
    m = _exact(margin, "margin")
    rule = _rule(n, m, None if tox_margin is None else _exact(tox_margin, "tox_margin"))
    n_trials = _validate.n_trials(n_trials)
    gen, used = _validate.rng(seed)
    counts = np.zeros(k, dtype=np.int64)
    for start in range(0, n_trials, _SIM_CHUNK):
        size = min(_SIM_CHUNK, n_trials - start)
        x = gen.binomial(n, p_arr, size=(size, k))
        y = None if tox is None else gen.binomial(n, tox, size=(size, k))
        counts += np.bincount(_select(x, rule, y), minlength=k)
    freq = counts / n_trials
    return SimulatedSelection(freq, np.sqrt(freq * (1.0 - freq) / n_trials), n_trials, used)


# --- correct selection and sample size ------------------------------------------------------------------------

def correct_dose(p: Sequence[float], margin: MarginLike, correct: str | int = LOWEST_WITHIN_MARGIN) -> int:
    r"""The dose counted as the right choice when computing the probability of correct selection.

    Parameters
    ----------
    p : sequence of float
        True response rates, lowest dose first (2 or 3 doses).
    margin : float, int or Fraction
        The rule's margin :math:`\lambda \ge 0`.
    correct : "lowest_within_margin" or int, default "lowest_within_margin"
        ``"lowest_within_margin"``: the lowest dose j whose true rate is within the margin of the best,
        :math:`\max_i p_i - p_j \le \lambda` (rates read as exact decimals, so a gap exactly equal to the
        margin counts as within it, matching the rule's tie convention).  An int names the dose (1..K)
        directly, e.g. when the clinically meaningful difference differs from the decision boundary.

    Returns
    -------
    int
        The correct dose, numbered from 1.

    Raises
    ------
    ValueError
        If ``correct`` is neither one of :data:`CORRECT_OPTIONS` nor a dose number 1..K, or another argument is
        invalid.
    TypeError
        If ``correct`` is neither a string nor a whole number.

    Notes
    -----
    The default is the target the selection rule aims at:

    .. math:: j^\ast = \min\{\, j : \max_i p_i - p_j \le \lambda \,\}.

    It is one dose, defined on efficacy, and depends on the margin: a higher dose is right only if it is
    truly better than every lower dose by more than :math:`\lambda`.  This is *not* the correct dose of the
    escalation chapters, :func:`dosecourse.escalation.correct_doses`, which is defined on toxicity: the dose
    (or every dose tied) whose true DLT probability is closest to the target DLT rate, with no margin and no
    preference for the lower dose.  The two answer different questions (which tolerated dose is active
    enough, against which dose is the MTD) and may differ on the same trial.  With a toxicity guard, name the
    correct dose explicitly if toxicity should change it.

    Examples
    --------
    >>> correct_dose([0.30, 0.38, 0.40], 0.10)   # 0.40 - 0.30 = 0.10 is within the margin
    1
    >>> correct_dose([0.20, 0.35, 0.45], 0.10)   # best 0.45; 0.35 is within 0.10
    2
    """
    p_arr = _rates(p, "p")
    m = _exact(margin, "margin")
    if isinstance(correct, str):
        _validate.one_of(correct, "correct", CORRECT_OPTIONS)
        exact_p = [Fraction(repr(float(q))) for q in p_arr]
        best = max(exact_p)
        return next(j for j, q in enumerate(exact_p, start=1) if best - q <= m)
    return _validate.dose(correct, p_arr.size, "correct")


def probability_correct_selection(p: Sequence[float], n_per_arm: int | Sequence[int], margin: MarginLike,
                                  correct: str | int = LOWEST_WITHIN_MARGIN, *,
                                  p_tox: Sequence[float] | None = None,
                                  tox_margin: MarginLike | None = None) -> float:
    r"""Exact probability of correct selection (PCS): P(the rule selects :func:`correct_dose`).

    Parameters
    ----------
    p, n_per_arm, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    correct : "lowest_within_margin" or int, default "lowest_within_margin"
        Which dose is right (see :func:`correct_dose`).

    Returns
    -------
    float
        PCS in [0, 1].

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_probabilities` and :func:`correct_dose`.

    Notes
    -----
    :math:`\mathrm{PCS} = P(\text{select } j^\ast)` with :math:`j^\ast` from :func:`correct_dose` and the
    selection probabilities of :func:`selection_probabilities`.

    Examples
    --------
    >>> round(probability_correct_selection([0.30, 0.50], 30, 0.10), 3)   # dose 2 is right
    0.751
    """
    right = correct_dose(p, margin, correct)
    probs = selection_probabilities(p, n_per_arm, margin, p_tox=p_tox, tox_margin=tox_margin)
    return float(probs[right - 1])


@dataclass(frozen=True)
class SelectionSampleSize:
    """Result of :func:`sample_size_for_selection`.

    Parameters
    ----------
    n : int
        Allocation multiplier: dose j gets ``allocation[j] * n`` patients.
    n_per_arm : tuple of int
        Patients per dose at that ``n``.
    pcs : float
        Exact PCS at that ``n``.
    correct : int
        The correct dose (1-based).
    n_grid : numpy.ndarray
        Every multiplier examined, 1..n_max.
    pcs_curve : numpy.ndarray
        Exact PCS at each of them (it saw-tooths because counts are discrete).
    """

    n: int
    n_per_arm: tuple[int, ...]
    pcs: float
    correct: int
    n_grid: np.ndarray
    pcs_curve: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", _validate.positive_int(self.n, "n", maximum=_validate.MAX_PATIENTS))
        if isinstance(self.n_per_arm, (str, bytes)) or np.ndim(self.n_per_arm) != 1:
            raise TypeError(f"n_per_arm must be a sequence of 2 or {MAX_ARMS} arm sizes; got {self.n_per_arm!r}")
        sizes = _arm_sizes(self.n_per_arm, len(self.n_per_arm), maximum=_validate.MAX_PATIENTS)
        if not 2 <= sizes.size <= MAX_ARMS:
            raise ValueError(f"n_per_arm must give 2 or {MAX_ARMS} arm sizes; got {sizes.size}")
        object.__setattr__(self, "n_per_arm", tuple(int(v) for v in sizes))
        object.__setattr__(self, "pcs", _validate.probability(self.pcs, "pcs", open_interval=False))
        object.__setattr__(self, "correct", _validate.dose(self.correct, sizes.size, "correct"))
        grid = _validate.whole_array(self.n_grid, "n_grid", minimum=1, ndim=1)
        curve = _validate.real_array(self.pcs_curve, "pcs_curve", minimum=0.0, maximum=1.0, ndim=1,
                                     length=grid.size)
        object.__setattr__(self, "n_grid", grid)
        object.__setattr__(self, "pcs_curve", curve)


def sample_size_for_selection(p: Sequence[float], margin: MarginLike, target_pcs: float,
                              correct: str | int = LOWEST_WITHIN_MARGIN, n_max: int = 200, *,
                              allocation: Sequence[int] | None = None, sustained: bool = True,
                              p_tox: Sequence[float] | None = None,
                              tox_margin: MarginLike | None = None) -> SelectionSampleSize:
    r"""Smallest patients per arm for which the probability of correct selection reaches a target.

    Parameters
    ----------
    p, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    target_pcs : float
        Required PCS, in (0, 1).
    correct : "lowest_within_margin" or int, default "lowest_within_margin"
        Which dose is right (see :func:`correct_dose`).
    n_max : int, default 200
        Largest multiplier searched (so that no arm exceeds :data:`MAX_ARM_SIZE`).
    allocation : sequence of int, optional
        Allocation ratio, e.g. ``(1, 2)``: dose j gets ``allocation[j] * n`` patients.  Default equal.
    sustained : bool, default True
        True: the smallest n from which PCS stays >= target for every n' up to ``n_max``.  False: the first n
        with PCS >= target (PCS is not monotone in n, so a few larger n may fall just below).

    Returns
    -------
    SelectionSampleSize
        The multiplier, patients per arm, the PCS there and the whole PCS curve.

    Raises
    ------
    TargetNotReached
        (a ``ValueError``) If the target is not reached for any n <= ``n_max``; the message gives the highest
        PCS found.
    ValueError, TypeError
        If an argument is invalid.

    Notes
    -----
    The search evaluates the exact PCS at every n = 1..n_max (:func:`selection_curve`; no normal
    approximation).  In both modes PCS(n) >= target and PCS(n - 1) < target.  A target can be unreachable at
    any n: when the correct dose's true advantage equals the margin, or the lower dose is right and the doses
    have equal rates, PCS tends to about 1/2, not 1.

    References
    ----------
    Wang S, Yuan Y, Liu S. ROSE. arXiv:2505.03898 (2025) (smallest sample size meeting prespecified
    probabilities of correct selection).

    Examples
    --------
    >>> res = sample_size_for_selection([0.30, 0.50], 0.10, 0.80)
    >>> res.n, round(res.pcs, 3)
    (41, 0.803)
    >>> sample_size_for_selection([0.30, 0.50], 0.10, 0.80, sustained=False).n  # first crossing; dips follow
    28
    """
    p_arr = _rates(p, "p")
    k = p_arr.size
    alloc = _allocation(allocation, k)
    target = _validate.probability(target_pcs, "target_pcs")
    n_max = _validate.positive_int(n_max, "n_max", maximum=MAX_ARM_SIZE // int(alloc.max()))
    sustained = _validate.boolean(sustained, "sustained")
    right = correct_dose(p_arr, margin, correct) - 1
    grid = np.arange(1, n_max + 1)
    curve = selection_curve(p_arr, grid, margin, allocation=alloc, p_tox=p_tox, tox_margin=tox_margin)[:, right]
    reached = curve >= target
    if sustained:
        misses = np.flatnonzero(~reached)
        idx = 0 if misses.size == 0 else int(misses[-1]) + 1
    else:
        idx = int(np.argmax(reached)) if reached.any() else n_max
    if idx >= n_max:
        best = int(np.argmax(curve))
        raise TargetNotReached(
            f"target_pcs {target} is not reached for n <= n_max = {n_max}: the highest PCS of dose {right + 1} "
            f"is {curve[best]:.4f} at n = {grid[best]}; raise n_max, lower the target, or check that the "
            f"correct dose can be told apart by the margin (PCS tends to about 1/2 when the true difference "
            f"equals the margin)", int(grid[best]), float(curve[best]))
    n = int(grid[idx])
    return SelectionSampleSize(n, tuple(int(v) for v in alloc * n), float(curve[idx]), right + 1, grid, curve)


# --- presentation in words and tables ---------------------------------------------------------------------------

def _fmt(value: MarginLike, name: str = "margin") -> str:
    """A margin for display: up to four significant digits."""
    return f"{float(_exact(value, name)):.4g}"


def describe_rule(margin: MarginLike, tox_margin: MarginLike | None = None, lang: str = "en") -> str:
    """The selection rule as protocol-ready text, in English or Traditional Chinese.

    Parameters
    ----------
    margin : float, int or Fraction
        Response-rate margin (>= 0).
    tox_margin : float, int or Fraction, optional
        Toxicity margin of the optional guard.
    lang : {"en", "zh-tw"}
        Language of the text.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If a margin is negative or ``lang`` is unknown.
    TypeError
        If a margin is not a number.

    Examples
    --------
    >>> print(describe_rule(0.1))  # doctest: +NORMALIZE_WHITESPACE
    Start with the lowest dose. Move to the next higher dose only if its observed response rate exceeds that
    of the currently chosen dose by more than 0.1; a difference of exactly 0.1 keeps the lower dose. Repeat
    up to the highest dose.
    """
    lang = check_lang(lang)
    m = _fmt(margin)
    if tox_margin is None:
        return t("exp_describe", lang, margin=m)
    return t("exp_describe_tox", lang, margin=m, tox_margin=_fmt(tox_margin, "tox_margin"))


def selection_table(p: Sequence[float], n_grid: Iterable[int], margin: MarginLike, lang: str = "en", *,
                    allocation: Sequence[int] | None = None, correct: str | int = LOWEST_WITHIN_MARGIN,
                    p_tox: Sequence[float] | None = None,
                    tox_margin: MarginLike | None = None) -> pd.DataFrame:
    """Exact selection probabilities for several sample sizes, as a table with labels in ``lang``.

    Parameters
    ----------
    p, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    n_grid : sequence of int
        Patients per arm to tabulate (with ``allocation``: multipliers, dose j gets ``allocation[j] * n``).
    lang : {"en", "zh-tw"}
        Language of the labels.
    allocation : sequence of int, optional
        Allocation ratio; default equal.
    correct : "lowest_within_margin" or int
        Which dose is right, for the PCS column (see :func:`correct_dose`).

    Returns
    -------
    pandas.DataFrame
        One row per n: patients per arm, total patients, P(select dose j) for each dose, and PCS.

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_curve`, or if ``lang`` is unknown.

    Examples
    --------
    >>> tab = selection_table([0.30, 0.50], [10, 40], 0.10)
    >>> tab.iloc[:, 0].tolist(), tab.iloc[:, -1].round(3).tolist()
    (['10/10', '40/40'], [0.597, 0.793])
    """
    lang = check_lang(lang)
    p_arr = _rates(p, "p")
    k = p_arr.size
    alloc = _allocation(allocation, k)
    grid = _grid(n_grid, alloc)
    right = correct_dose(p_arr, margin, correct)
    probs = selection_curve(p_arr, grid, margin, allocation=alloc, p_tox=p_tox, tox_margin=tox_margin)
    rows = []
    for m, row in zip(grid, probs):
        sizes = alloc * m
        rows.append(["/".join(str(v) for v in sizes), int(sizes.sum()), *row, row[right - 1]])
    columns = [t("exp_col_n_per_arm", lang), t("exp_col_total", lang),
               *(t("exp_col_select", lang, dose=j) for j in range(1, k + 1)),
               t("exp_col_pcs", lang, dose=right)]
    return pd.DataFrame(rows, columns=columns)
