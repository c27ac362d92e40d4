"""BOIN12: the utility-based Bayesian optimal interval phase I/II design (Lin, Zhou, Yan, Li, Yuan 2020).

BOIN12 looks for the optimal biological dose (OBD), the dose with the best trade-off of efficacy and toxicity,
rather than the maximum tolerated dose.  Each patient has one of four outcomes, scored by a utility on
0..100 (efficacy without toxicity is best, toxicity without efficacy worst); BOIN's toxicity boundaries keep
the escalation safe, and the posterior probability that a dose's mean utility beats a benchmark ranks the
doses it may move between.

Outcome letters follow the literature: E = efficacy only, T = toxicity only, B = both, N = neither.  Arrays of
outcome counts have shape ``(K, 4)`` with the columns in the order of :data:`OUTCOMES`, ``("E", "N", "B",
"T")``, which is also the order of the ``utilities`` argument: (T0,E1), (T0,E0), (T1,E1), (T1,E0).

References
----------
Lin R, Zhou Y, Yan F, Li D, Yuan Y. BOIN12: Bayesian optimal interval phase I/II trial design for utility-based
dose finding in immunotherapy and targeted therapies. JCO Precis Oncol. 2020;4:1393-1402.
doi:10.1200/PO.20.00257
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import beta, multivariate_normal, norm

from .. import _validate
from ..i18n import check_lang, t
from .boin import boin_boundaries
from .decision import Decision
from .design import Design
from .mtd_selection import select_mtd_many
from .oc import OperatingCharacteristics
from .outcomes import parse_outcomes

OUTCOMES: tuple[str, ...] = ("E", "N", "B", "T")
"""Outcome letters in the column order of outcome-count arrays and of ``utilities``:
E = (T0,E1) efficacy only, N = (T0,E0) neither, B = (T1,E1) both, T = (T1,E0) toxicity only."""

_TOX = np.array([0, 0, 1, 1])  # toxicity indicator of each outcome column
_EFF = np.array([1, 0, 1, 0])  # efficacy indicator of each outcome column
_STOP, _EXPLORE, _DEESCALATE, _CHOOSE2, _CHOOSE3 = range(5)  # which rule made a decision


def count_outcomes(outcomes: str, n_doses: int) -> np.ndarray:
    """Count each outcome (E, N, B, T) per dose in an outcome string such as ``"1NNN 2ENT"``.

    Parameters
    ----------
    outcomes : str
        Cohorts as ``<dose><letters>``, letters from E, T, B, N (see :func:`parse_outcomes`).
    n_doses : int
        Number of doses K.

    Returns
    -------
    ndarray of int, shape (K, 4)
        Row ``d - 1`` holds dose d's counts in the column order of :data:`OUTCOMES`.

    Raises
    ------
    ValueError
        On an unreadable cohort or a dose above ``n_doses``.

    Examples
    --------
    >>> count_outcomes("1NNN 2ENT", 2).tolist()
    [[0, 3, 0, 0], [1, 1, 0, 1]]
    """
    k = _validate.positive_int(n_doses, "n_doses")
    table = np.zeros((k, len(OUTCOMES)), dtype=np.int64)
    for cohort in parse_outcomes(outcomes, letters="ETBN"):
        if cohort.dose > k:
            raise ValueError(f"cohort at dose {cohort.dose} but the design has {k} doses")
        for letter in cohort.outcomes:
            table[cohort.dose - 1, OUTCOMES.index(letter)] += 1
    return table


def _check_utilities(utilities: Sequence[float]) -> np.ndarray:
    """Check the four utilities (T0E1, T0E0, T1E1, T1E0): each in [0, 100], best and worst where they belong."""
    u = np.asarray(utilities, dtype=float) if not isinstance(utilities, str) else None
    if u is None or u.shape != (4,) or np.isnan(u).any():
        raise ValueError(f"utilities must be four numbers for (T0E1, T0E0, T1E1, T1E0); got {utilities!r}")
    if np.any((u < 0) | (u > 100)):
        raise ValueError(f"every utility must lie in [0, 100]; got utilities={u.tolist()}")
    best, neither, both, worst = u
    if not (best >= max(neither, both) and worst <= min(neither, both) and best > worst):
        raise ValueError("utilities must rank efficacy without toxicity (T0E1) highest and toxicity without "
                         f"efficacy (T1E0) lowest, with T0E1 > T1E0; got utilities={u.tolist()}")
    return u


def joint_probabilities(true_tox, true_eff, rho: float = 0.0) -> np.ndarray:
    """Probabilities of the four outcomes (E, N, B, T) at each dose from the marginal rates.

    Parameters
    ----------
    true_tox, true_eff : sequences of float
        Toxicity and efficacy probability per dose, each in (0, 1).
    rho : float
        Correlation of the latent bivariate normal variables behind toxicity and efficacy, in (-1, 1);
        0 (the default, as in the BOIN12 paper's simulations) means independence.

    Returns
    -------
    ndarray, shape (K, 4)
        Row d - 1 holds Pr(E), Pr(N), Pr(B), Pr(T) at dose d; each row sums to 1.

    Notes
    -----
    Toxicity occurs when :math:`Z_T < \\Phi^{-1}(p_T)` and efficacy when :math:`Z_E < \\Phi^{-1}(p_E)`, with
    :math:`(Z_T, Z_E)` standard bivariate normal with correlation :math:`\\rho`; so
    :math:`\\Pr(B) = \\Phi_2(\\Phi^{-1}(p_T), \\Phi^{-1}(p_E); \\rho)`, and the other cells follow from the margins.

    Examples
    --------
    >>> joint_probabilities([0.2], [0.5]).round(3).tolist()
    [[0.4, 0.4, 0.1, 0.1]]
    """
    p_t = _validate.probabilities(true_tox, "true_tox")
    p_e = _validate.probabilities(true_eff, "true_eff", length=p_t.size)
    r = float(rho)
    if not -1 < r < 1:
        raise ValueError(f"rho must lie in (-1, 1); got {rho!r}")
    if r == 0:
        both = p_t * p_e
    else:
        mvn = multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, r], [r, 1.0]])
        both = np.array([mvn.cdf([a, b]) for a, b in zip(norm.ppf(p_t), norm.ppf(p_e))])
    return np.column_stack([p_e - both, 1 - p_t - p_e + both, both, p_t - both])


@dataclasses.dataclass(frozen=True)
class EfficacyOperatingCharacteristics(OperatingCharacteristics):
    """Operating characteristics of a design that also records efficacy (BOIN12, BF-BOIN).

    Adds to :class:`OperatingCharacteristics` the true efficacy rates and the mean number of responses
    (efficacy outcomes) per dose, with Monte Carlo standard errors, and what the design selects ("MTD" or
    "OBD"; ``selection`` holds the probabilities of selecting each dose as that).
    """

    true_eff: np.ndarray | None = None
    responses: np.ndarray | None = None
    responses_se: np.ndarray | None = None
    selects: str = "MTD"

    @classmethod
    def from_efficacy_trials(cls, design: str, true_tox: np.ndarray, true_eff: np.ndarray, selected: np.ndarray,
                             n: np.ndarray, y: np.ndarray, responses: np.ndarray, stopped: np.ndarray,
                             **extra) -> "EfficacyOperatingCharacteristics":
        """Summarise simulated trials as :meth:`OperatingCharacteristics.from_trials`, plus responses per dose.

        ``responses`` has shape (n_trials, K); ``extra`` fills the fields a subclass adds.
        """
        base = cls.from_trials(design, true_tox, selected, n, y, stopped)
        r = responses.astype(float)
        se = r.std(axis=0, ddof=1) / np.sqrt(r.shape[0]) if r.shape[0] > 1 else np.zeros(r.shape[1])
        return dataclasses.replace(base, true_eff=np.asarray(true_eff, dtype=float), responses=r.mean(axis=0),
                                   responses_se=se, **extra)

    def to_frame(self, lang: str = "en"):
        """The table of :meth:`OperatingCharacteristics.to_frame` with rows for efficacy added."""
        frame = super().to_frame(lang)
        if self.selects == "OBD":
            frame = frame.rename(index={t("oc_selection_pct", lang): t("boin12_oc_selection_obd", lang)})
        frame.loc[t("boin12_oc_true_eff", lang)] = self.true_eff
        frame.loc[t("boin12_oc_mean_responses", lang)] = self.responses
        return frame.round(2)


class BOIN12(Design):
    """BOIN12 phase I/II design for the optimal biological dose (Lin et al. 2020).

    Parameters
    ----------
    n_doses : int
        Number of dose levels K.
    target_tox : float
        Highest acceptable toxicity probability :math:`\\phi_T` (default 0.35).
    target_eff : float
        Lowest acceptable efficacy probability :math:`\\phi_E` (default 0.25).
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, dose (1..K) of the first cohort.
    utilities : four numbers in [0, 100]
        Utilities of (T0,E1), (T0,E0), (T1,E1), (T1,E0); default (100, 40, 60, 0) as in the paper.
    n_star : int
        :math:`N^*`: with this many patients at the current dose and a DLT rate between the boundaries, the
        next cohort stays or de-escalates (default 6).
    n_explore : int
        With this many patients at the current dose (the paper's "more than 8"), a DLT rate below
        :math:`\\lambda_d` and the next higher admissible dose untried, escalate to it (default 9).
    cutoff_tox, cutoff_eff : float
        A dose is admissible when :math:`\\Pr(p_T > \\phi_T \\mid D) <` ``cutoff_tox`` (0.95) and
        :math:`\\Pr(p_E < \\phi_E \\mid D) <` ``cutoff_eff`` (0.90), under Beta(1, 1) priors.
    phi1, phi2 : float, optional
        BOIN's sub-therapeutic and overly toxic rates behind :math:`\\lambda_e, \\lambda_d` (default 0.6 and
        1.4 times ``target_tox``).

    Raises
    ------
    ValueError, TypeError
        On a probability outside (0, 1), a non-positive count, or utilities outside [0, 100] or ranked so that
        efficacy without toxicity is not the best outcome and toxicity without efficacy not the worst.

    Notes
    -----
    Utility and desirability.  With :math:`y_{jk}` patients of outcome k at dose j and utilities :math:`u_k`,
    the quasi-binomial count :math:`x_j = \\sum_k u_k y_{jk} / 100` gives the posterior
    :math:`u_j / 100 \\sim \\mathrm{Beta}(1 + x_j, 1 + n_j - x_j)`.  The desirability score of dose j is
    :math:`\\Pr(u_j > u_b \\mid D)`, with benchmark :math:`u_b = \\bar u + (100 - \\bar u)/2`, where
    :math:`\\bar u` is the mean utility of a dose with :math:`p_T = \\phi_T`, :math:`p_E = \\phi_E` and independent
    outcomes (41 with the defaults, so :math:`u_b = 70.5`).

    Admissibility.  A dose whose toxicity rule fails closes itself and every higher dose; one whose efficacy
    rule fails is closed alone.  Closed doses are skipped: "the dose below" and "the dose above" mean the
    nearest admissible ones (a case the paper's rule does not spell out; with no closed dose they are d - 1 and
    d + 1, as in the paper).

    Decision after each cohort at dose d, with :math:`\\hat p_T = y_{T,d}/n_d` (in this order):

    1. :math:`n_d \\ge` ``n_explore``, :math:`\\hat p_T < \\lambda_d` and the dose above is untried: escalate.
    2. :math:`\\hat p_T \\ge \\lambda_d`: de-escalate to the dose below (none: stay at d if admissible).
    3. :math:`\\lambda_e < \\hat p_T < \\lambda_d` and :math:`n_d \\ge N^*`: the more desirable of the dose below
       and d.
    4. Otherwise: the most desirable of the dose below, d and the dose above.

    Ties go to the higher dose; with no admissible candidate the trial stops.  At the end,
    :meth:`select_obd` picks the OBD.

    References
    ----------
    Lin R, Zhou Y, Yan F, Li D, Yuan Y. JCO Precis Oncol. 2020;4:1393-1402. doi:10.1200/PO.20.00257

    Examples
    --------
    The paper's worked example (p. 1396): after "1NNN 2ENT 3ETT 2EEN" the next cohort gets dose 2.

    >>> design = BOIN12(n_doses=5)
    >>> design.decide("1NNN 2ENT 3ETT 2EEN").dose
    2
    >>> round(design.benchmark, 1)
    70.5
    """

    name = "BOIN12"

    def __init__(self, n_doses: int, target_tox: float = 0.35, target_eff: float = 0.25, cohort_size: int = 3,
                 n_cohorts: int = 10, start_dose: int = 1, utilities: Sequence[float] = (100, 40, 60, 0),
                 n_star: int = 6, n_explore: int = 9, cutoff_tox: float = 0.95, cutoff_eff: float = 0.90,
                 phi1: float | None = None, phi2: float | None = None) -> None:
        super().__init__(n_doses, cohort_size, n_cohorts, start_dose)
        self.target_tox = _validate.probability(target_tox, "target_tox")
        self.target_eff = _validate.probability(target_eff, "target_eff")
        self.utilities = _check_utilities(utilities)
        self.n_star = _validate.positive_int(n_star, "n_star")
        self.n_explore = _validate.positive_int(n_explore, "n_explore")
        self.cutoff_tox = _validate.probability(cutoff_tox, "cutoff_tox")
        self.cutoff_eff = _validate.probability(cutoff_eff, "cutoff_eff")
        self.lambda_e, self.lambda_d = boin_boundaries(self.target_tox, phi1, phi2)
        cell = np.array([self.target_eff, 1 - self.target_eff, self.target_eff, 1 - self.target_eff])
        cell *= np.array([1 - self.target_tox] * 2 + [self.target_tox] * 2)
        self.mean_utility_at_targets = float(cell @ self.utilities)
        self.benchmark = self.mean_utility_at_targets + (100 - self.mean_utility_at_targets) / 2

    # ----------------------------------------------------------------------------------------- data handling
    @property
    def additive(self) -> bool:
        """True when u(T1,E1) + u(T0,E0) = u(T0,E1) + u(T1,E0), so the utility needs only the margins."""
        e, n, b, tox = self.utilities
        return bool(np.isclose(b + n, e + tox))

    def _margins(self, n, y, y_eff, n_by_outcome) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Check the data and return patients, DLTs, responses and quasi-binomial utility counts per dose."""
        k = self.n_doses
        if n_by_outcome is not None:
            table = np.asarray(n_by_outcome)
            if table.shape != (k, len(OUTCOMES)):
                raise ValueError(f"n_by_outcome must have shape ({k}, 4): one row per dose, columns E, N, B, T; "
                                 f"got {table.shape}")
            if not np.issubdtype(table.dtype, np.number) or np.any(table != np.round(table)) or np.any(table < 0):
                raise ValueError(f"n_by_outcome must hold non-negative whole numbers; got {table.tolist()}")
            table = table.astype(np.int64)
            n_c, y_c, r_c = table.sum(axis=1), table @ _TOX, table @ _EFF
            if n is not None or y is not None:
                n_a, y_a = _validate.counts(n, y, k)
                if np.any(n_a != n_c) or np.any(y_a != y_c):
                    raise ValueError("n and y disagree with n_by_outcome (patients and toxicities per dose)")
            return n_c, y_c, r_c, table @ self.utilities / 100
        if y_eff is None:
            raise ValueError("BOIN12 needs efficacy data: pass n_by_outcome (counts of E, N, B, T per dose) or, "
                             "for additive utilities, y_eff (responses per dose)")
        if not self.additive:
            raise ValueError("these utilities are not additive (u(T1E1) + u(T0E0) != u(T0E1) + u(T1E0)), so the "
                             "utility needs the joint outcomes: pass n_by_outcome instead of y_eff")
        n_a, y_a = _validate.counts(n, y, k)
        _, r_a = _validate.counts(n, y_eff, k, y_name="y_eff")
        return n_a, y_a, r_a, self._utility_count(n_a, y_a, r_a)

    def _utility_count(self, n, y_tox, y_eff):
        """Quasi-binomial count x from the margins, valid for additive utilities."""
        e, none, _, tox = self.utilities
        return (none * n + (e - none) * y_eff + (tox - none) * y_tox) / 100

    # ------------------------------------------------------------------------------------ the statistics
    def desirability(self, n, x):
        """Desirability score :math:`\\Pr(u > u_b \\mid D)` from patients ``n`` and utility counts ``x``.

        Parameters
        ----------
        n, x : array_like
            Patients and quasi-binomial utility counts :math:`x = \\sum_k u_k y_k / 100` (any matching shape).

        Returns
        -------
        ndarray
            :math:`\\Pr\\{\\mathrm{Beta}(1 + x, 1 + n - x) > u_b / 100\\}`; an untried dose scores
            :math:`1 - u_b/100` (0.295 with the defaults).
        """
        n, x = np.asarray(n, dtype=float), np.asarray(x, dtype=float)
        return beta.sf(self.benchmark / 100, 1 + x, 1 + n - x)

    def admissible(self, n, y_tox, y_eff):
        """Which doses are admissible (array_like inputs with doses on the last axis).

        A dose is admissible when :math:`\\Pr(p_T > \\phi_T \\mid D) <` ``cutoff_tox`` and
        :math:`\\Pr(p_E < \\phi_E \\mid D) <` ``cutoff_eff`` (Beta(1, 1) priors); failing the toxicity rule also
        closes every higher dose.
        """
        n, y_tox, y_eff = (np.asarray(a, dtype=float) for a in (n, y_tox, y_eff))
        tox_ok = beta.sf(self.target_tox, 1 + y_tox, 1 + n - y_tox) < self.cutoff_tox
        eff_ok = beta.cdf(self.target_eff, 1 + y_eff, 1 + n - y_eff) < self.cutoff_eff
        return np.logical_and.accumulate(tox_ok, axis=-1) & eff_ok

    def _decide(self, n, y_tox, y_eff, x, current):
        """The decision rule, vectorised: arrays (T, K) and current doses (T,) 0-based.

        Returns the next dose (0-based, -1 = stop), the rule used, the candidates' desirability and the
        admissible set, all per trial.
        """
        rows, k = np.arange(n.shape[0]), self.n_doses
        admissible = self.admissible(n, y_tox, y_eff)
        score = self.desirability(n, x)
        levels = np.arange(k)
        below = admissible & (levels < current[:, None])
        above = admissible & (levels > current[:, None])
        lower = np.where(below.any(axis=1), k - 1 - np.argmax(below[:, ::-1], axis=1), -1)
        upper = np.where(above.any(axis=1), np.argmax(above, axis=1), -1)
        n_d, y_d = n[rows, current], y_tox[rows, current]
        rate = np.divide(y_d, n_d, out=np.zeros(n_d.shape), where=n_d > 0)
        explore = (n_d >= self.n_explore) & (rate < self.lambda_d) & (upper >= 0)
        explore &= n[rows, np.maximum(upper, 0)] == 0
        deescalate = ~explore & (rate >= self.lambda_d)
        choose2 = ~explore & ~deescalate & (rate > self.lambda_e) & (n_d >= self.n_star)
        choose3 = ~explore & ~deescalate & ~choose2
        # candidates ordered highest dose first, so that argmax breaks ties towards the higher dose
        cand = np.stack([np.where(choose3, upper, -1), np.where(admissible[rows, current], current, -1), lower], 1)
        cand_score = np.where(cand >= 0, score[rows[:, None], np.maximum(cand, 0)], -np.inf)
        best = cand[rows, np.argmax(cand_score, axis=1)]
        best = np.where(np.isfinite(cand_score).any(axis=1), best, -1)
        fallback = np.where(lower >= 0, lower, np.where(admissible[rows, current], current, -1))
        nxt = np.select([explore, deescalate], [upper, fallback], best)
        rule = np.select([nxt < 0, explore, deescalate, choose2], [_STOP, _EXPLORE, _DEESCALATE, _CHOOSE2],
                         _CHOOSE3)
        return nxt, rule, score, admissible

    # --------------------------------------------------------------------------------------- conduct
    def next_dose(self, n, y, current: int, last_cohort: tuple[int, int] | None = None, *,
                  y_eff: Sequence[int] | None = None, n_by_outcome=None) -> Decision:
        """The dose for the next cohort after the data so far.

        Parameters
        ----------
        n, y : sequences of int, or None
            Patients and patients with toxicity (T or B) per dose, dose 1 first.  May be ``None`` when
            ``n_by_outcome`` is given (if given too, they must agree with it).
        current : int
            Dose (1..K) the last cohort received.
        last_cohort : ignored
            Part of the shared :class:`Design` interface.
        y_eff : sequence of int, optional
            Patients with efficacy (E or B) per dose; enough when the utilities are additive (the defaults
            are: 60 + 40 = 100 + 0).
        n_by_outcome : array_like of int, shape (K, 4), optional
            Counts of E, N, B, T per dose (columns as :data:`OUTCOMES`); needed for non-additive utilities.
            :func:`count_outcomes` builds it from an outcome string.

        Returns
        -------
        Decision
            ``dose`` is ``None`` (action "stop") when no admissible dose is left.

        Raises
        ------
        ValueError
            On inconsistent or impossible counts, no efficacy data, or no patient at ``current``.

        Examples
        --------
        >>> BOIN12(5).next_dose([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, y_eff=[0, 0, 0, 0, 0]).dose
        2
        """
        cur = _validate.dose(current, self.n_doses)
        n_a, y_a, r_a, x = self._margins(n, y, y_eff, n_by_outcome)
        if n_a[cur - 1] == 0:
            raise ValueError(f"no patient has been treated at the current dose {cur}")
        nxt, rule, score, admissible = (a[0] for a in self._decide(n_a[None], y_a[None], r_a[None], x[None],
                                                                    np.array([cur - 1])))
        closed = np.flatnonzero(~np.logical_and.accumulate(
            beta.sf(self.target_tox, 1 + y_a, 1 + n_a - y_a) < self.cutoff_tox))
        eliminated = int(closed[0]) + 1 if closed.size else None
        fields = {"n": int(n_a[cur - 1]), "y": int(y_a[cur - 1]), "rate": f"{y_a[cur - 1] / n_a[cur - 1]:.3f}",
                  "lambda_e": f"{self.lambda_e:.3f}", "lambda_d": f"{self.lambda_d:.3f}", "n_star": self.n_star,
                  "n_explore": self.n_explore, "current": cur}
        if rule == _STOP:
            return Decision("stop", None, "boin12_stop_none", fields, eliminated)
        fields.update(next=int(nxt) + 1, score=f"{score[nxt]:.3f}",
                      admissible=", ".join(str(d + 1) for d in np.flatnonzero(admissible)) or "-")
        action = "escalate" if nxt > cur - 1 else "de-escalate" if nxt < cur - 1 else "stay"
        key = {_EXPLORE: "boin12_explore", _DEESCALATE: "boin12_deescalate", _CHOOSE2: "boin12_choose2",
               _CHOOSE3: "boin12_choose3"}[int(rule)]
        return Decision(action, int(nxt) + 1, key, fields, eliminated)

    def decide(self, outcomes: str) -> Decision:
        """The decision after an outcome string such as ``"1NNN 2ENT 3ETT"`` (E, T, B, N per patient).

        The last cohort's dose is the current dose.  Once ``n_cohorts * cohort_size`` patients are treated the
        trial stops and the reason names the dose :meth:`select_obd` recommends.

        Examples
        --------
        >>> design = BOIN12(5)
        >>> design.decide("1NNN 2NNB").dose
        3
        """
        counts = count_outcomes(outcomes, self.n_doses)
        cohorts = parse_outcomes(outcomes, letters="ETBN")
        if not cohorts:
            raise ValueError("outcomes is empty: there is no cohort to decide after")
        if counts.sum() >= self.max_n:
            obd = self.select_obd(n_by_outcome=counts)
            return Decision("stop", None, "boin12_stop_max_n",
                            {"max_n": self.max_n, "obd": "-" if obd is None else obd})
        return self.next_dose(None, None, cohorts[-1].dose, n_by_outcome=counts)

    # -------------------------------------------------------------------------------------- analysis
    def select_obd(self, n=None, y=None, *, y_eff: Sequence[int] | None = None, n_by_outcome=None) -> int | None:
        """Select the optimal biological dose at the end of the trial.

        Parameters
        ----------
        n, y, y_eff, n_by_outcome
            The trial's data, as in :meth:`next_dose`.

        Returns
        -------
        int or None
            The OBD (1..K), or ``None`` when no dose qualifies.

        Notes
        -----
        Two steps, as Lin et al.'s final selection is implemented in the R package escalation
        (``select_boin12_obd``): the toxicity rates are smoothed by isotonic regression and the MTD is the dose
        whose estimate is closest to :math:`\\phi_T` (here BOIN's ``select.mtd``, :func:`select_mtd`, with
        ``cutoff_tox`` as elimination cutoff); among the tried, admissible doses at or below the MTD, the OBD
        is the one with the highest desirability score (the lower dose on a tie).  Other BOIN12 code ranks
        those doses by a utility estimated from smoothed toxicity and efficacy rates instead.

        Examples
        --------
        The paper's example trial (Fig. S2) ends after 30 patients with dose 4:

        >>> design = BOIN12(5)
        >>> design.select_obd(n_by_outcome=count_outcomes(
        ...     "1NNN 2NNB 3NEE 3NTN 4ETE 4NBE 4BNN 5BEN 5NBT 4NEN", 5))
        4
        """
        n_a, y_a, r_a, x = self._margins(n, y, y_eff, n_by_outcome)
        return int(self._select(n_a[None], y_a[None], r_a[None], x[None])[0]) or None

    def _select(self, n, y_tox, y_eff, x) -> np.ndarray:
        """Vectorised OBD selection over trials (arrays (T, K)); 0 means no dose selected."""
        mtd = select_mtd_many(self.target_tox, n, y_tox, cutoff_eli=self.cutoff_tox)
        levels = np.arange(1, self.n_doses + 1)
        ok = self.admissible(n, y_tox, y_eff) & (n > 0) & (levels <= mtd[:, None])
        score = np.where(ok, self.desirability(n, x), -np.inf)
        return np.where(ok.any(axis=1), np.argmax(score, axis=1) + 1, 0)

    # ------------------------------------------------------------------------------------ evaluation
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator,
                  **scenario) -> EfficacyOperatingCharacteristics:
        """Simulate ``n_trials`` BOIN12 trials in lockstep, cohort by cohort.

        Scenario keywords: ``true_eff`` (required, efficacy probability per dose) and ``rho`` (latent
        correlation of toxicity and efficacy, default 0; see :func:`joint_probabilities`).
        """
        unknown = set(scenario) - {"true_eff", "rho"}
        if unknown:
            raise TypeError(f"BOIN12 simulation takes true_eff and rho; got unexpected {sorted(unknown)}")
        if "true_eff" not in scenario:
            raise ValueError("BOIN12 needs true_eff, the efficacy probability per dose: simulate(..., true_eff=...)")
        eff = _validate.probabilities(scenario["true_eff"], "true_eff", length=self.n_doses)
        probs = joint_probabilities(true_tox, eff, scenario.get("rho", 0.0))
        cum = np.cumsum(probs, axis=1)[:, :-1]
        k, c = self.n_doses, self.cohort_size
        counts = np.zeros((n_trials, k, len(OUTCOMES)), dtype=np.int64)
        dose = np.full(n_trials, self.start_dose - 1)
        active = np.ones(n_trials, dtype=bool)
        stopped = np.zeros(n_trials, dtype=bool)
        for _ in range(self.n_cohorts):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            u = rng.random((idx.size, c))
            outcome = (u[:, :, None] >= cum[dose[idx]][:, None, :]).sum(axis=2)
            np.add.at(counts, (np.repeat(idx, c), np.repeat(dose[idx], c), outcome.ravel()), 1)
            n, y_tox, y_eff = counts.sum(axis=2), counts @ _TOX, counts @ _EFF
            nxt, *_ = self._decide(n[idx], y_tox[idx], y_eff[idx], counts[idx] @ self.utilities / 100, dose[idx])
            halt = nxt < 0
            stopped[idx[halt]] = True
            active[idx[halt]] = False
            dose[idx[~halt]] = nxt[~halt]
        n, y_tox, y_eff = counts.sum(axis=2), counts @ _TOX, counts @ _EFF
        selected = np.where(stopped, 0, self._select(n, y_tox, y_eff, counts @ self.utilities / 100))
        return EfficacyOperatingCharacteristics.from_efficacy_trials(
            self.name, true_tox, eff, selected, n, y_tox, y_eff, stopped, selects="OBD")

    # ------------------------------------------------------------------------------------ description
    def utility_table(self, lang: str = "en") -> pd.DataFrame:
        """The utility of each outcome as a 2 x 2 table (rows: toxicity no/yes; columns: efficacy yes/no).

        Examples
        --------
        >>> BOIN12(5).utility_table().to_numpy().tolist()
        [[100.0, 40.0], [60.0, 0.0]]
        """
        lang = check_lang(lang)
        e, none, both, tox = self.utilities
        return pd.DataFrame([[e, none], [both, tox]],
                            index=[t("boin12_no_toxicity", lang), t("boin12_toxicity", lang)],
                            columns=[t("boin12_efficacy", lang), t("boin12_no_efficacy", lang)])

    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, ready for a protocol, in ``lang``.

        Examples
        --------
        >>> "70.5" in BOIN12(5).describe()
        True
        """
        lang = check_lang(lang)
        e, none, both, tox = (f"{v:g}" for v in self.utilities)
        return t("boin12_describe", lang, k=self.n_doses, c=self.cohort_size, max_n=self.max_n,
                 start=self.start_dose, phi_t=f"{self.target_tox:g}", phi_e=f"{self.target_eff:g}",
                 u_e=e, u_n=none, u_b=both, u_t=tox, ubar=f"{self.mean_utility_at_targets:.3g}",
                 bench=f"{self.benchmark:.3g}", lambda_e=f"{self.lambda_e:.3f}", lambda_d=f"{self.lambda_d:.3f}",
                 n_star=self.n_star, n_explore=self.n_explore, c_t=f"{self.cutoff_tox:g}",
                 c_e=f"{self.cutoff_eff:g}")

    def decision_table(self, max_n: int | None = None, lang: str = "en") -> pd.DataFrame:
        """The count boundaries of BOIN12 for 1..``max_n`` patients at a dose (default: the maximum sample size).

        Rows: de-escalate if the number of DLTs is at least the BOIN boundary (observed rate
        :math:`\\ge \\lambda_d`); eliminate the dose (and all higher) if DLTs are at least the toxicity
        admissibility boundary; exclude the dose if responses are at most the efficacy admissibility boundary.
        Escalation has no count boundary: when neither rule applies, the most desirable admissible dose is
        chosen (see :meth:`describe`).  All entries come from the design's own rules (:meth:`admissible`,
        ``lambda_d``), so the table cannot drift from the decisions.

        Examples
        --------
        With 6 patients, 4 DLTs give :math:`\\Pr(p_T > 0.35) = 0.94 < 0.95` and 5 give 0.99, so elimination
        needs 5; 0 responses give :math:`\\Pr(p_E < 0.25) = 1 - 0.75^7 = 0.87 < 0.90`, so no exclusion yet:

        >>> BOIN12(5).decision_table(6).loc[:, [3, 6]]  # doctest: +NORMALIZE_WHITESPACE
                                         3     6
        Number of patients treated       3     6
        De-escalate if # of DLT >=       2     3
        Eliminate if # of DLT >=         3     5
        Exclude if # of responses <=  <NA>  <NA>
        """
        lang = check_lang(lang)
        max_n = self.max_n if max_n is None else _validate.positive_int(max_n, "max_n")
        rows = {key: [] for key in ("boin12_row_n", "boin12_row_deescalate", "boin12_row_eliminate",
                                    "boin12_row_exclude")}
        for n in range(1, max_n + 1):
            y = np.arange(n + 1)
            rate_high = y / n >= self.lambda_d
            tox_out = ~self.admissible(np.full((n + 1, 1), n), y[:, None], np.full((n + 1, 1), n))[:, 0]
            eff_out = ~self.admissible(np.full((n + 1, 1), n), np.zeros((n + 1, 1)), y[:, None])[:, 0]
            rows["boin12_row_n"].append(n)
            rows["boin12_row_deescalate"].append(int(y[rate_high][0]) if rate_high.any() else pd.NA)
            rows["boin12_row_eliminate"].append(int(y[tox_out][0]) if tox_out.any() else pd.NA)
            rows["boin12_row_exclude"].append(int(y[eff_out][-1]) if eff_out.any() else pd.NA)
        return pd.DataFrame([rows[key] for key in rows], index=[t(key, lang) for key in rows],
                            columns=range(1, max_n + 1), dtype="Int64")

    def pathways(self, n_cohorts: int = 1, outcomes: str = "", lang: str = "en") -> pd.DataFrame:
        """Dose transition pathways: every outcome mix of the next ``n_cohorts`` cohorts and where it leads.

        A cohort's outcome is how many of its patients had efficacy only (E), toxicity only (T), both (B) or
        neither (N); the order within a cohort does not matter, so a cohort of 3 has 20 outcome mixes and two
        cohorts 400.  Each row follows one sequence through :meth:`decide`, starting after ``outcomes`` (an
        outcome string of the trial so far; empty: the first cohort goes to ``start_dose``).

        Examples
        --------
        >>> table = BOIN12(5).pathways(1)
        >>> len(table), table.iloc[0].tolist(), table.iloc[-1].tolist()
        (20, [1, 'EEE', 1], [1, 'NNN', 2])
        """
        from itertools import combinations_with_replacement

        lang = check_lang(lang)
        _validate.positive_int(n_cohorts, "n_cohorts")
        mixes = ["".join(m) for m in combinations_with_replacement("ETBN", self.cohort_size)]
        if outcomes.strip():
            first = self.decide(outcomes)
            if first.dose is None:
                raise ValueError("the trial has already stopped after these outcomes; there is no pathway to show")
            start = first.dose
        else:
            start = self.start_dose
        rows = []

        def walk(history: str, dose: int, i: int, row: dict) -> None:
            for mix in mixes:
                text = f"{history} {dose}{mix}".strip()
                decision = self.decide(text)
                step = {**row, t("pathway_cohort_dose", lang, i=i): dose,
                        t("pathway_cohort_outcomes", lang, i=i): mix,
                        t("pathway_next", lang, i=i): (t("pathway_stop", lang) if decision.dose is None
                                                      else decision.dose)}
                if decision.dose is None or i == n_cohorts:
                    rows.append(step)
                else:
                    walk(text, decision.dose, i + 1, step)

        walk(outcomes.strip(), start, 1, {})
        return pd.DataFrame(rows, dtype=object).fillna("")
