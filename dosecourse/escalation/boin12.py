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

from collections.abc import Iterator, Sequence
from itertools import combinations_with_replacement

import numpy as np
import pandas as pd
from scipy.stats import beta, multivariate_normal, norm

from .. import _validate
from ..i18n import check_lang, t
from .boin import boin_boundaries
from .data import NO_DOSE, OUTCOMES, TrialData
from .decision import Decision
from .design import Design
from .mtd_selection import select_mtd_many
from .results import Trials

_TOX = np.array([0, 0, 1, 1])  # toxicity indicator of each outcome column (order of OUTCOMES: E, N, B, T)
_EFF = np.array([1, 0, 1, 0])  # efficacy indicator of each outcome column
_STOP, _EXPLORE, _DEESCALATE, _CHOOSE2, _CHOOSE3 = range(5)  # which rule made a decision


def _check_utilities(utilities: Sequence[float]) -> np.ndarray:
    """Check the four utilities (T0E1, T0E0, T1E1, T1E0): each in [0, 100], best and worst where they belong."""
    u = _validate.real_array(utilities, "utilities", ndim=1, length=4, minimum=0.0, maximum=100.0)
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
    r = _validate.number(rho, "rho", minimum=-1.0, maximum=1.0, strict_minimum=True, strict_maximum=True)
    if r == 0:
        both = p_t * p_e
    else:
        mvn = multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, r], [r, 1.0]])
        both = np.array([mvn.cdf([a, b]) for a, b in zip(norm.ppf(p_t), norm.ppf(p_e))])
    return np.column_stack([p_e - both, 1 - p_t - p_e + both, both, p_t - both])


class BOIN12(Design):
    """BOIN12 phase I/II design for the optimal biological dose (Lin et al. 2020).

    Parameters
    ----------
    target_tox : float
        Highest acceptable toxicity probability :math:`\\phi_T` (0.35 in the paper).
    target_eff : float
        Lowest acceptable efficacy probability :math:`\\phi_E` (0.25 in the paper).
    n_doses : int
        Number of dose levels K.
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

    Ties go to the higher dose; with no admissible candidate the trial stops.  Once ``cohort_size *
    n_cohorts`` patients are treated, :meth:`next_dose` stops the trial and names the OBD that :meth:`select`
    picks.  The data must hold the joint outcomes (``TrialData.outcomes``, as outcome strings give
    them) or, for additive utilities, the responses per dose (``TrialData.responses``).

    References
    ----------
    Lin R, Zhou Y, Yan F, Li D, Yuan Y. JCO Precis Oncol. 2020;4:1393-1402. doi:10.1200/PO.20.00257

    Examples
    --------
    The paper's worked example (p. 1396): after "1NNN 2ENT 3ETT 2EEN" the next cohort gets dose 2.

    >>> design = BOIN12(0.35, 0.25, n_doses=5)
    >>> design.next_dose("1NNN 2ENT 3ETT 2EEN").dose
    2
    >>> round(design.benchmark, 1)
    70.5
    """

    name = "BOIN12"
    selects = "OBD"
    truth_args = ("true_eff", "rho")
    required_truth = ("true_eff",)
    outcome_label = "pathway_cohort_outcomes"
    protocol_reference = "protocol_ref_boin12"

    def __init__(self, target_tox: float, target_eff: float, n_doses: int, *, cohort_size: int = 3,
                 n_cohorts: int = 10, start_dose: int = 1, utilities: Sequence[float] = (100, 40, 60, 0),
                 n_star: int = 6, n_explore: int = 9, cutoff_tox: float = 0.95, cutoff_eff: float = 0.90,
                 phi1: float | None = None, phi2: float | None = None) -> None:
        super().__init__(n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
        self.target_tox = _validate.probability(target_tox, "target_tox")
        self.target_eff = _validate.probability(target_eff, "target_eff")
        utilities = _check_utilities(utilities)
        utilities.setflags(write=False)
        self.utilities = utilities
        self.n_star = _validate.positive_int(n_star, "n_star", maximum=_validate.MAX_PATIENTS)
        self.n_explore = _validate.positive_int(n_explore, "n_explore", maximum=_validate.MAX_PATIENTS)
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

    def _margins(self, data: TrialData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Patients, DLTs, responses and quasi-binomial utility counts per dose from ``data``."""
        if data.outcomes is not None:
            table = data.outcomes
            return data.n, data.y, table @ _EFF, table @ self.utilities / 100
        if data.responses is None:
            raise ValueError("data: BOIN12 needs efficacy data: outcome letters E, T, B, N (TrialData.outcomes) "
                             "or, for additive utilities, responses per dose (TrialData.responses)")
        if not self.additive:
            raise ValueError("data: these utilities are not additive (u(T1E1) + u(T0E0) != u(T0E1) + u(T1E0)), so "
                             "the utility needs the joint outcomes (TrialData.outcomes), not only responses")
        return data.n, data.y, data.responses, self._utility_count(data.n, data.y, data.responses)

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

        Raises
        ------
        ValueError, TypeError
            On non-numeric input, negative values, shapes that do not broadcast, or ``x > n``.
        """
        n_arr = _validate.real_array(n, "n", minimum=0.0, max_size=_validate.MAX_GRID)
        x_arr = _validate.real_array(x, "x", minimum=0.0, max_size=_validate.MAX_GRID)
        try:
            n_arr, x_arr = np.broadcast_arrays(n_arr, x_arr)
        except ValueError:
            raise ValueError(f"n and x must have matching shapes; got {n_arr.shape} and {x_arr.shape}") from None
        if np.any(x_arr > n_arr + 1e-9):
            raise ValueError("x (the utility count) cannot exceed n")
        return self._desirability(n_arr, x_arr)

    def _desirability(self, n: np.ndarray, x: np.ndarray) -> np.ndarray:
        return beta.sf(self.benchmark / 100, 1 + x, 1 + n - x)

    def admissible(self, n, y_tox, y_eff):
        """Which doses are admissible (array_like inputs with doses on the last axis).

        A dose is admissible when :math:`\\Pr(p_T > \\phi_T \\mid D) <` ``cutoff_tox`` and
        :math:`\\Pr(p_E < \\phi_E \\mid D) <` ``cutoff_eff`` (Beta(1, 1) priors); failing the toxicity rule also
        closes every higher dose.

        Parameters
        ----------
        n : array_like of int
            Patients treated at each dose (doses on the last axis).
        y_tox, y_eff : array_like of int
            Patients with a DLT and with a response at each dose, each between 0 and ``n``; broadcast with ``n``.

        Returns
        -------
        ndarray of bool
            True where the dose is admissible, shaped like the broadcast inputs.

        Raises
        ------
        ValueError, TypeError
            On counts that are not whole numbers, negative, of shapes that do not broadcast, or above ``n``.
        """
        arrays = [_validate.whole_array(a, name) for a, name in ((n, "n"), (y_tox, "y_tox"), (y_eff, "y_eff"))]
        try:
            n, y_tox, y_eff = (a.astype(float) for a in np.broadcast_arrays(*arrays))
        except ValueError:
            raise ValueError("n, y_tox and y_eff must have matching shapes") from None
        if np.any(y_tox > n) or np.any(y_eff > n):
            raise ValueError("y_tox and y_eff cannot exceed n")
        return self._admissible(n, y_tox, y_eff)

    def _admissible(self, n: np.ndarray, y_tox: np.ndarray, y_eff: np.ndarray) -> np.ndarray:
        tox_ok = beta.sf(self.target_tox, 1 + y_tox, 1 + n - y_tox) < self.cutoff_tox
        eff_ok = beta.cdf(self.target_eff, 1 + y_eff, 1 + n - y_eff) < self.cutoff_eff
        return np.logical_and.accumulate(tox_ok, axis=-1) & eff_ok

    def _decide(self, n, y_tox, y_eff, x, current):
        """The decision rule, vectorised: arrays (T, K) and current doses (T,) 0-based.

        Returns the next dose (0-based, -1 = stop), the rule used, the candidates' desirability and the
        admissible set, all per trial.
        """
        rows, k = np.arange(n.shape[0]), self.n_doses
        admissible = self._admissible(n, y_tox, y_eff)
        score = self._desirability(n, x)
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
    def _next_dose(self, data: TrialData) -> Decision:
        """The dose for the next cohort after the data so far (see the class notes for the rule).

        Examples
        --------
        >>> from dosecourse.escalation import TrialData
        >>> BOIN12(0.35, 0.25, 5).next_dose(TrialData([3, 0, 0, 0, 0], [0] * 5, current=1, responses=[0] * 5)).dose
        2
        """
        cur = data.current
        n_a, y_a, r_a, x = self._margins(data)
        nxt, rule, score, admissible = (a[0] for a in self._decide(n_a[None], y_a[None], r_a[None], x[None],
                                                                    np.array([cur - 1])))
        closed = np.flatnonzero(~np.logical_and.accumulate(
            beta.sf(self.target_tox, 1 + y_a, 1 + n_a - y_a) < self.cutoff_tox))
        eliminated = int(closed[0]) + 1 if closed.size else NO_DOSE
        fields = {"n": int(n_a[cur - 1]), "y": int(y_a[cur - 1]), "rate": f"{y_a[cur - 1] / n_a[cur - 1]:.3f}",
                  "lambda_e": f"{self.lambda_e:.3f}", "lambda_d": f"{self.lambda_d:.3f}", "n_star": self.n_star,
                  "n_explore": self.n_explore, "current": cur}
        if rule == _STOP:
            return Decision("stop", NO_DOSE, "boin12_stop_none", fields, eliminated)
        if data.total >= self.max_n:  # the maximum sample size is reached: the trial ends with its OBD
            obd = self._select(data)
            return Decision("stop", NO_DOSE, "boin12_stop_max_n",
                            {"max_n": self.max_n, "obd": "-" if obd == NO_DOSE else obd}, eliminated)
        fields.update(next=int(nxt) + 1, score=f"{score[nxt]:.3f}",
                      admissible=", ".join(str(d + 1) for d in np.flatnonzero(admissible)) or "-")
        action = "escalate" if nxt > cur - 1 else "de-escalate" if nxt < cur - 1 else "stay"
        key = {_EXPLORE: "boin12_explore", _DEESCALATE: "boin12_deescalate", _CHOOSE2: "boin12_choose2",
               _CHOOSE3: "boin12_choose3"}[int(rule)]
        return Decision(action, int(nxt) + 1, key, fields, eliminated)

    # -------------------------------------------------------------------------------------- analysis
    def _select(self, data: TrialData) -> int:
        """The optimal biological dose at the end of the trial.

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

        >>> BOIN12(0.35, 0.25, 5).select("1NNN 2NNB 3NEE 3NTN 4ETE 4NBE 4BNN 5BEN 5NBT 4NEN")
        4
        """
        n_a, y_a, r_a, x = self._margins(data)
        return int(self._select_many(n_a[None], y_a[None], r_a[None], x[None])[0])

    def _select_many(self, n, y_tox, y_eff, x) -> np.ndarray:
        """Vectorised OBD selection over trials (arrays (T, K)); 0 means no dose selected."""
        mtd = select_mtd_many(self.target_tox, n, y_tox, cutoff_eli=self.cutoff_tox)
        levels = np.arange(1, self.n_doses + 1)
        ok = self._admissible(n, y_tox, y_eff) & (n > 0) & (levels <= mtd[:, None])
        score = np.where(ok, self._desirability(n, x), -np.inf)
        return np.where(ok.any(axis=1), np.argmax(score, axis=1) + 1, 0)

    # ------------------------------------------------------------------------------------ evaluation
    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        """Simulate ``n_trials`` BOIN12 trials in lockstep, cohort by cohort.

        Scenario keywords: ``true_eff`` (required, efficacy probability per dose) and ``rho`` (latent
        correlation of toxicity and efficacy, default 0; see :func:`joint_probabilities`).
        """
        eff = _validate.probabilities(truth["true_eff"], "true_eff", length=self.n_doses)
        probs = joint_probabilities(true_tox, eff, truth.get("rho", 0.0))
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
        selected = np.where(stopped, NO_DOSE, self._select_many(n, y_tox, y_eff, counts @ self.utilities / 100))
        return Trials(self.name, true_tox, selected, n, y_tox, stopped, seed, selects="OBD", true_eff=eff,
                      responses=y_eff)

    # ------------------------------------------------------------------------------------ description
    def utility_table(self, lang: str = "en") -> pd.DataFrame:
        """The utility of each outcome as a 2 x 2 table (rows: toxicity no/yes; columns: efficacy yes/no).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the row and column labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Utilities on the 0-100 scale.

        Examples
        --------
        >>> BOIN12(0.35, 0.25, 5).utility_table().to_numpy().tolist()
        [[100.0, 40.0], [60.0, 0.0]]
        """
        lang = check_lang(lang)
        e, none, both, tox = self.utilities
        return pd.DataFrame([[e, none], [both, tox]],
                            index=[t("boin12_no_toxicity", lang), t("boin12_toxicity", lang)],
                            columns=[t("boin12_efficacy", lang), t("boin12_no_efficacy", lang)])

    def describe(self, lang: str = "en") -> str:
        """The design's rules in plain words, ready for a protocol, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str

        Examples
        --------
        >>> "70.5" in BOIN12(0.35, 0.25, 5).describe()
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

    def _protocol_derived(self, lang: str) -> list[tuple[str, str, str]]:
        return [(t("protocol_param_lambda_e", lang), f"{self.lambda_e:.4f}", "lambda_e"),
                (t("protocol_param_lambda_d", lang), f"{self.lambda_d:.4f}", "lambda_d"),
                (t("protocol_param_benchmark", lang), f"{self.benchmark:.4g}", "benchmark")]

    def _protocol_table_note(self, lang: str) -> str:
        return t("protocol_table_note_boin12", lang)

    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """The count boundaries of BOIN12 for 1..``max_n`` patients at a dose (default: the maximum sample size).

        Rows: de-escalate if the number of DLTs is at least the BOIN boundary (observed rate
        :math:`\\ge \\lambda_d`); eliminate the dose (and all higher) if DLTs are at least the toxicity
        admissibility boundary; exclude the dose if responses are at most the efficacy admissibility boundary.
        Escalation has no count boundary: when neither rule applies, the most desirable admissible dose is
        chosen (see :meth:`describe`).  All entries come from the design's own rules (:meth:`admissible`,
        ``lambda_d``), so the table cannot drift from the decisions.

        Parameters
        ----------
        max_n : int, optional
            Largest number of patients, 1 to 1000 (default: the design's maximum sample size).
        lang : {"en", "zh-tw"}
            Language of the row labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            The rows above, columns 1..max_n; ``<NA>`` where no count triggers the action.

        Examples
        --------
        With 6 patients, 4 DLTs give :math:`\\Pr(p_T > 0.35) = 0.94 < 0.95` and 5 give 0.99, so elimination
        needs 5; 0 responses give :math:`\\Pr(p_E < 0.25) = 1 - 0.75^7 = 0.87 < 0.90`, so no exclusion yet:

        >>> BOIN12(0.35, 0.25, 5).decision_table(6).loc[:, [3, 6]]  # doctest: +NORMALIZE_WHITESPACE
                                         3     6
        Number of patients treated       3     6
        De-escalate if # of DLT >=       2     3
        Eliminate if # of DLT >=         3     5
        Exclude if # of responses <=  <NA>  <NA>
        """
        lang = check_lang(lang)
        max_n = self.max_n if max_n is None else _validate.positive_int(max_n, "max_n", maximum=1000)
        rows = {key: [] for key in ("boin12_row_n", "boin12_row_deescalate", "boin12_row_eliminate",
                                    "boin12_row_exclude")}
        for n in range(1, max_n + 1):
            y = np.arange(n + 1)
            rate_high = y / n >= self.lambda_d
            tox_out = ~self._admissible(np.full((n + 1, 1), n), y[:, None], np.full((n + 1, 1), n))[:, 0]
            eff_out = ~self._admissible(np.full((n + 1, 1), n), np.zeros((n + 1, 1)), y[:, None])[:, 0]
            rows["boin12_row_n"].append(n)
            rows["boin12_row_deescalate"].append(int(y[rate_high][0]) if rate_high.any() else pd.NA)
            rows["boin12_row_eliminate"].append(int(y[tox_out][0]) if tox_out.any() else pd.NA)
            rows["boin12_row_exclude"].append(int(y[eff_out][-1]) if eff_out.any() else pd.NA)
        return pd.DataFrame([rows[key] for key in rows], index=[t(key, lang) for key in rows],
                            columns=range(1, max_n + 1), dtype="Int64")

    def _cohort_outcomes(self, data: TrialData, dose: int) -> Iterator[tuple[str, TrialData]]:
        """Every outcome mix of the next cohort: how many patients had E, T, B or N (order does not matter),
        so a cohort of 3 has 20 mixes and two cohorts 400.

        Examples
        --------
        >>> table = BOIN12(0.35, 0.25, 5).pathways(1)
        >>> len(table), table.iloc[0].tolist(), table.iloc[-1].tolist()
        (20, [1, 'EEE', 1], [1, 'NNN', 2])
        """
        if data.total and data.outcomes is None:
            raise ValueError("data: BOIN12 pathways need the joint outcomes (give the data as an outcome string)")
        start = data if data.outcomes is not None else TrialData(
            data.n, data.y, outcomes=np.zeros((self.n_doses, len(OUTCOMES)), dtype=np.int64))
        for mix in ("".join(m) for m in combinations_with_replacement("ETBN", self.cohort_size)):
            yield mix, start.add(dose, outcomes=mix)
