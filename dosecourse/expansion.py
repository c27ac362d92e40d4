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
(:func:`selection_probabilities`, exact; :func:`simulate_selection`, Monte Carlo check;
:func:`probability_correct_selection`), present (:func:`selection_table`, :func:`selection_figure`,
:func:`describe_rule`).  Doses are numbered 1..K from the lowest; arrays per dose put dose 1 first.

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

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.stats import binom

from . import _validate
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure

MAX_ARMS = 3
"""Largest number of doses handled (the exact computation enumerates pairs of arms sharing one arm)."""

LOWEST_WITHIN_MARGIN = "lowest_within_margin"
"""Default definition of the correct dose: the lowest dose whose true response rate is within the margin of
the best one (``max(p) - p_j <= margin``)."""

MarginLike = float | int | Fraction


# --- argument checks ------------------------------------------------------------------------------------------

def _exact(value: MarginLike, name: str) -> Fraction:
    """``value`` (>= 0, finite) as an exact fraction; a float is read as the shortest decimal that prints it."""
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{name} must be a number >= 0; got {value!r}")
    if isinstance(value, Rational):
        frac = Fraction(value)
    else:
        x = _validate.positive(value, name, allow_zero=True)
        frac = Fraction(repr(x))  # 0.3 means exactly 3/10, not the binary double just below it
    if frac < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return frac


def _rates(p: Sequence[float], name: str, length: int | None = None) -> np.ndarray:
    """True rates per dose in [0, 1], two or three of them (or ``length``)."""
    arr = _validate.probabilities(p, name, length=length, open_interval=False)
    if not 2 <= arr.size <= MAX_ARMS:
        raise ValueError(f"{name} must give 2 or {MAX_ARMS} doses (lowest first); got {arr.size}")
    return arr


def _arm_sizes(n_per_arm: int | Sequence[int], k: int, name: str = "n_per_arm") -> np.ndarray:
    """Patients per arm as an int array of length ``k``; a single whole number means equal allocation."""
    if isinstance(n_per_arm, (bool, np.bool_)):
        raise TypeError(f"{name} must be a whole number >= 1 or one per dose; got {n_per_arm!r}")
    if isinstance(n_per_arm, (int, np.integer)):
        return np.full(k, _validate.positive_int(n_per_arm, name), dtype=np.int64)
    if isinstance(n_per_arm, (str, bytes)) or not isinstance(n_per_arm, Iterable):
        raise TypeError(f"{name} must be a whole number >= 1 or one per dose; got {n_per_arm!r}")
    values = list(n_per_arm)
    if len(values) != k:
        raise ValueError(f"{name} must have one value per dose ({k}); got {len(values)}")
    return np.array([_validate.positive_int(v, f"{name}[{i}]") for i, v in enumerate(values)], dtype=np.int64)


@dataclass(frozen=True)
class _Rule:
    """The checked rule: arm sizes and, per pair (higher j, chosen c), the integer thresholds on counts."""

    n: np.ndarray
    eff: np.ndarray  # eff[j, c] = floor(margin * n_j * n_c), capped at n_j * n_c
    tox: np.ndarray | None  # tox[j, c] = floor(tox_margin * n_j * n_c), capped; None: no toxicity guard


def _thresholds(m: Fraction, n: np.ndarray) -> np.ndarray:
    """``floor(m * n_j * n_c)`` for every pair, capped at ``n_j * n_c`` (a margin >= 1 can never be beaten)."""
    k = n.size
    out = np.zeros((k, k), dtype=np.int64)
    for j in range(k):
        for c in range(k):
            cap = int(n[j]) * int(n[c])
            out[j, c] = min(math.floor(m * cap), cap)
    return out


def _rule(n_per_arm, k: int, margin: MarginLike, tox_margin: MarginLike | None) -> _Rule:
    n = _arm_sizes(n_per_arm, k)
    eff = _thresholds(_exact(margin, "margin"), n)
    tox = None if tox_margin is None else _thresholds(_exact(tox_margin, "tox_margin"), n)
    return _Rule(n, eff, tox)


def _tox_rates(p_tox: Sequence[float] | None, tox_margin: MarginLike | None, k: int) -> np.ndarray | None:
    """Check that ``p_tox`` and ``tox_margin`` come together; return the toxicity rates (or None)."""
    if (p_tox is None) != (tox_margin is None):
        raise ValueError("p_tox and tox_margin go together: give both (toxicity guard) or neither")
    return None if p_tox is None else _rates(p_tox, "p_tox", length=k)


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
        Patients per dose (one number for equal allocation).
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
        If a count or size is not a whole number.

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
    x = np.asarray(responses)
    k = x.size
    if not 2 <= k <= MAX_ARMS:
        raise ValueError(f"responses must give 2 or {MAX_ARMS} doses (lowest first); got {k}")
    rule = _rule(n_per_arm, k, margin, tox_margin)
    n, xs = _validate.counts(rule.n, x, k, n_name="n_per_arm", y_name="responses")
    if (toxicities is None) != (tox_margin is None):
        raise ValueError("toxicities and tox_margin go together: give both (toxicity guard) or neither")
    ys = None
    if toxicities is not None:
        _, ys = _validate.counts(n, toxicities, k, n_name="n_per_arm", y_name="toxicities")
        ys = ys[None, :]
    return int(_select(xs[None, :], rule, ys)[0]) + 1


# --- exact operating characteristics ---------------------------------------------------------------------------

def _pair_events(p: np.ndarray, n: np.ndarray, thr: np.ndarray, *, higher_wins: bool) -> dict[str, float]:
    """Exact probabilities of the pairwise "move" events of one endpoint and of the intersections the rule needs.

    ``M_jc`` is the event that arm j passes the comparison with chosen arm c: ``D > thr[j, c]`` when
    ``higher_wins`` (response), ``D <= thr[j, c]`` otherwise (toxicity), with ``D = z_j n_c - z_c n_j``.
    Returns P(M21) and, for three arms, P(M31), P(M21 and M31) (they share arm 1) and P(M21 and M32) (they
    share arm 2); each intersection is summed over the shared arm's count, exact because arms are independent.
    """
    f = [binom.pmf(np.arange(m + 1), m, q) for m, q in zip(n, p)]
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


def _exact_selection(p: np.ndarray, rule: _Rule, p_tox: np.ndarray | None) -> np.ndarray:
    """Selection probabilities per arm from the pairwise events (response and, if given, toxicity)."""
    e = _pair_events(p, rule.n, rule.eff, higher_wins=True)
    if p_tox is None:
        q = e
    else:
        tx = _pair_events(p_tox, rule.n, rule.tox, higher_wins=False)
        q = {key: e[key] * tx[key] for key in e}  # response and toxicity counts are independent
    if rule.n.size == 2:
        probs = np.array([1.0 - q["21"], q["21"]])
    else:
        probs = np.array([1.0 - q["21"] - q["31"] + q["21&31"],
                          q["21"] - q["21&32"],
                          q["21&32"] + q["31"] - q["21&31"]])
    return np.clip(probs, 0.0, 1.0)


def selection_probabilities(p: Sequence[float], n_per_arm: int | Sequence[int], margin: MarginLike, *,
                            p_tox: Sequence[float] | None = None,
                            tox_margin: MarginLike | None = None) -> np.ndarray:
    r"""Exact probability that each dose is selected by the "lower dose unless beaten by a margin" rule.

    Parameters
    ----------
    p : sequence of float
        True response rates of the doses, lowest dose first (2 or 3 doses, each in [0, 1]).
    n_per_arm : int or sequence of int
        Patients per dose: one number (equal allocation) or one per dose (unequal allocation), each >= 1.
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
        not finite, an arm size is < 1, or only one of ``p_tox`` / ``tox_margin`` is given.
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
    tox = _tox_rates(p_tox, tox_margin, p_arr.size)
    rule = _rule(n_per_arm, p_arr.size, margin, tox_margin)
    return _exact_selection(p_arr, rule, tox)


# --- Monte Carlo check -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedSelection:
    """Selection frequencies from simulated trials.

    Attributes
    ----------
    probabilities : numpy.ndarray
        Fraction of trials selecting each dose (dose 1 first).
    se : numpy.ndarray
        Monte Carlo standard error of each fraction, :math:`\\sqrt{\\hat q (1 - \\hat q) / N}`.
    n_trials : int
        Number of simulated trials N.
    """

    probabilities: np.ndarray
    se: np.ndarray
    n_trials: int


def simulate_selection(p: Sequence[float], n_per_arm: int | Sequence[int], margin: MarginLike,
                       n_trials: int = 100_000, seed: int | None = None, *,
                       p_tox: Sequence[float] | None = None,
                       tox_margin: MarginLike | None = None) -> SimulatedSelection:
    r"""Selection frequencies of the rule in simulated trials (a check on :func:`selection_probabilities`).

    Parameters
    ----------
    p, n_per_arm, margin, p_tox, tox_margin
        As in :func:`selection_probabilities`.
    n_trials : int, default 100000
        Number of simulated trials.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`, for reproducible results.

    Returns
    -------
    SimulatedSelection
        Frequencies and Monte Carlo standard errors.

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_probabilities`, or if ``n_trials`` is not a whole number >= 1.

    Notes
    -----
    All trials are drawn at once (responses :math:`X \sim \mathrm{Bin}(n_j, p_j)` as an ``(n_trials, K)``
    array, toxicities independently) and the same integer rule as :func:`select_dose` is applied column by
    column, so there is no loop over trials.

    Examples
    --------
    >>> sim = simulate_selection([0.25, 0.35, 0.40], 30, 0.05, n_trials=20_000, seed=1)
    >>> exact = selection_probabilities([0.25, 0.35, 0.40], 30, 0.05)
    >>> bool(np.all(np.abs(sim.probabilities - exact) < 3 * sim.se))
    True
    """
    p_arr = _rates(p, "p")
    tox = _tox_rates(p_tox, tox_margin, p_arr.size)
    rule = _rule(n_per_arm, p_arr.size, margin, tox_margin)
    n_trials = _validate.positive_int(n_trials, "n_trials")
    rng = np.random.default_rng(seed)
    x = rng.binomial(rule.n, p_arr, size=(n_trials, p_arr.size))
    y = None if tox is None else rng.binomial(rule.n, tox, size=(n_trials, p_arr.size))
    chosen = _select(x, rule, y)
    freq = np.bincount(chosen, minlength=p_arr.size) / n_trials
    return SimulatedSelection(freq, np.sqrt(freq * (1.0 - freq) / n_trials), n_trials)


# --- correct selection and sample size ------------------------------------------------------------------------

def correct_dose(p: Sequence[float], margin: MarginLike, correct: str | int = LOWEST_WITHIN_MARGIN) -> int:
    r"""The dose counted as the right choice when computing the probability of correct selection.

    Parameters
    ----------
    p : sequence of float
        True response rates, lowest dose first.
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
        If ``correct`` is neither the option string nor a dose number 1..K, or other arguments are invalid.

    Notes
    -----
    Efficacy alone defines the default; with a toxicity guard, name the correct dose explicitly if toxicity
    should change it.

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
        if correct != LOWEST_WITHIN_MARGIN:
            raise ValueError(f"correct must be {LOWEST_WITHIN_MARGIN!r} or a dose number 1..{p_arr.size}; "
                             f"got {correct!r}")
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

    Examples
    --------
    >>> round(probability_correct_selection([0.30, 0.50], 30, 0.10), 3)   # dose 2 is right
    0.751
    """
    probs = selection_probabilities(p, n_per_arm, margin, p_tox=p_tox, tox_margin=tox_margin)
    return float(probs[correct_dose(p, margin, correct) - 1])


@dataclass(frozen=True)
class SelectionSampleSize:
    """Result of :func:`sample_size_for_selection`.

    Attributes
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
        Largest multiplier searched.
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
    ValueError
        If the target is not reached for any n <= ``n_max`` (the message gives the highest PCS found), or an
        argument is invalid.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    The search scans n = 1..n_max upward and evaluates the exact PCS at each (no normal approximation).
    In both modes PCS(n) >= target and PCS(n - 1) < target.  A target can be unreachable at any n: when the
    correct dose's true advantage equals the margin, or the lower dose is right and the doses have equal rates,
    PCS tends to about 1/2, not 1.

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
    n_max = _validate.positive_int(n_max, "n_max")
    tox = _tox_rates(p_tox, tox_margin, k)
    right = correct_dose(p_arr, margin, correct) - 1
    grid = np.arange(1, n_max + 1)
    curve = np.array([_exact_selection(p_arr, _rule(alloc * m, k, margin, tox_margin), tox)[right]
                      for m in grid])
    reached = curve >= target
    if sustained:
        misses = np.flatnonzero(~reached)
        idx = 0 if misses.size == 0 else int(misses[-1]) + 1
    else:
        idx = int(np.argmax(reached)) if reached.any() else n_max
    if idx >= n_max:
        best = int(np.argmax(curve))
        raise ValueError(
            f"target_pcs {target} is not reached for n <= n_max = {n_max}: the highest PCS of dose {right + 1} "
            f"is {curve[best]:.4f} at n = {grid[best]}; raise n_max, lower the target, or check that the "
            f"correct dose can be told apart by the margin (PCS tends to about 1/2 when the true difference "
            f"equals the margin)")
    n = int(grid[idx])
    return SelectionSampleSize(n, tuple(int(v) for v in alloc * n), float(curve[idx]), right + 1, grid, curve)


# --- presentation ----------------------------------------------------------------------------------------------

def _fmt(value: MarginLike) -> str:
    """A margin for display: up to four significant digits."""
    return f"{float(_exact(value, 'margin')):.4g}"


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
    return t("exp_describe_tox", lang, margin=m, tox_margin=_fmt(tox_margin))


def _grid(n_grid: Iterable[int]) -> list[int]:
    """The sample sizes of a table or figure as a non-empty list of whole numbers >= 1."""
    if isinstance(n_grid, (str, bytes)) or not isinstance(n_grid, Iterable):
        raise TypeError(f"n_grid must be a sequence of whole numbers >= 1; got {n_grid!r}")
    values = [_validate.positive_int(v, "n_grid") for v in n_grid]
    if not values:
        raise ValueError("n_grid must not be empty")
    return values


def _allocation(allocation: Sequence[int] | None, k: int) -> np.ndarray:
    """Allocation ratio as an int array (all ones when ``None``)."""
    return np.ones(k, dtype=np.int64) if allocation is None else _arm_sizes(allocation, k, "allocation")


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
        As in :func:`selection_probabilities`, or if ``n_grid`` is empty or ``lang`` unknown.

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
    tox = _tox_rates(p_tox, tox_margin, k)
    right = correct_dose(p_arr, margin, correct)
    rows = []
    for m in _grid(n_grid):
        sizes = alloc * m
        probs = _exact_selection(p_arr, _rule(sizes, k, margin, tox_margin), tox)
        rows.append(["/".join(str(v) for v in sizes), int(sizes.sum()), *probs, probs[right - 1]])
    columns = [t("exp_col_n_per_arm", lang), t("exp_col_total", lang),
               *(t("exp_col_select", lang, dose=j) for j in range(1, k + 1)),
               t("exp_col_pcs", lang, dose=right)]
    return pd.DataFrame(rows, columns=columns)


def selection_figure(p: Sequence[float], n_grid: Iterable[int], margin: MarginLike, lang: str = "en", *,
                     allocation: Sequence[int] | None = None, correct: str | int = LOWEST_WITHIN_MARGIN,
                     p_tox: Sequence[float] | None = None, tox_margin: MarginLike | None = None) -> Figure:
    """Probability of selecting each dose against the number of patients per arm.

    Parameters
    ----------
    p, n_grid, margin, lang, allocation, correct, p_tox, tox_margin
        As in :func:`selection_table`.

    Returns
    -------
    matplotlib.figure.Figure
        One line per dose; the correct dose is drawn thicker and marked in the legend.

    Raises
    ------
    ValueError, TypeError
        As in :func:`selection_table`.

    Examples
    --------
    >>> fig = selection_figure([0.30, 0.50], range(10, 61, 10), 0.10, "zh-tw")
    >>> len(fig.axes[0].get_lines())
    2
    >>> from matplotlib import pyplot as plt; plt.close(fig)
    """
    lang = check_lang(lang)
    p_arr = _rates(p, "p")
    k = p_arr.size
    alloc = _allocation(allocation, k)
    tox = _tox_rates(p_tox, tox_margin, k)
    right = correct_dose(p_arr, margin, correct)
    grid = np.array(_grid(n_grid))
    probs = np.array([_exact_selection(p_arr, _rule(alloc * m, k, margin, tox_margin), tox) for m in grid])
    fig, ax = new_figure(lang)
    for j in range(k):
        label = t("exp_legend_dose", lang, dose=j + 1, rate=f"{100 * p_arr[j]:.0f}")
        if j + 1 == right:
            label = t("exp_legend_correct", lang, label=label)
        ax.plot(grid, probs[:, j], marker="o", markersize=3, color=OKABE_ITO[j],
                linewidth=2.6 if j + 1 == right else 1.4, label=label)
    equal = bool(np.all(alloc == alloc[0]))
    ax.set_xlabel(t("exp_axis_n_per_arm", lang) if equal
                  else t("exp_axis_n_alloc", lang, ratio=":".join(str(v) for v in alloc)))
    ax.set_ylabel(t("exp_axis_probability", lang))
    ax.set_ylim(0, 1)
    ax.set_title(t("exp_fig_title", lang, margin=_fmt(margin)), loc="left")
    ax.legend(loc="best")
    return fig
