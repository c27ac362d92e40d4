"""Tables, figures and a widget for the chapter "Backfill cohorts" (BF-BOIN against BOIN).

The design lives in :mod:`dosecourse.escalation.bfboin`; this module runs it on the scenarios of Zhao et al.
(2024) and shows the results in the reader's language:

* :data:`SCENARIOS` and :data:`TABLE4`: the paper's Table 3 scenarios and its Table 4 operating characteristics;
* :func:`compare`: BF-BOIN and its comparator (BOIN run in calendar time, no backfilling) on the same scenario;
* :func:`comparison_table`, :func:`agreement` and :func:`oc_figure`: the Table 4 metrics, simulated and
  published, and a check that they agree within Monte Carlo error;
* :func:`response_precision` and :func:`precision_figure`: what backfilling buys at the cleared doses, the
  patients per dose and the width of a 90% Clopper-Pearson interval for the response rate;
* :func:`widget_figure` and :func:`widget`: scenario, backfill cap and accrual rate in, operating
  characteristics and duration out.

Every user-facing string comes from ``labels/backfill_views.toml`` through :func:`dosecourse.i18n.t`.

References
----------
Zhao Y, Yuan Y, Korn EL, Freidlin B. Backfilling patients in phase I dose-escalation trials using Bayesian
optimal interval design (BOIN). Clin Cancer Res. 2024;30(4):673-679. doi:10.1158/1078-0432.CCR-23-2585
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the binomial.
Biometrika. 1934;26(4):404-413. doi:10.1093/biomet/26.4.404
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy.stats import beta

from . import escalation as esc
from .escalation.bfboin import BackfillTrials
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

PAPER_DESIGN: Mapping[str, float] = {
    "target": 0.25, "n_doses": 5, "cohort_size": 3, "n_cohorts": 10, "n_earlystop": 9, "n_cap_backfill": 12,
    "accrual_per_month": 3.0, "dlt_window_months": 1.0,
}
"""The simulation settings of Zhao et al. (2024): target DLT rate 0.25, five doses, ten cohorts of three, stop at
nine patients on a dose that stays, backfill cap 12, three patients a month, a one-month DLT window."""

PAPER_N_TRIALS = 10_000
"""Simulated trials per scenario behind Table 4 of Zhao et al. (2024)."""

N_TRIALS = 4_000
"""Simulated trials per scenario in the chapter (a few seconds for BF-BOIN and BOIN together)."""

WIDGET_TRIALS = 400
"""Simulated trials per redraw of the widget (well under a second for both designs)."""

SEED = 2025
"""Seed of :func:`numpy.random.default_rng`, the same for both designs."""

METRICS: tuple[str, ...] = ("correct", "overdose", "below", "at", "above", "total", "duration")
"""The columns of Table 4: correct and overdose selection (%), mean patients below, at and above the MTD, mean
sample size and mean duration (months)."""


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario of Zhao et al. (2024, Table 3): true DLT and response probabilities per dose.

    Examples
    --------
    >>> SCENARIOS[3].mtd, SCENARIOS[3].true_eff[1]
    (3, 0.2)
    """

    number: int
    true_tox: tuple[float, ...]
    true_eff: tuple[float, ...]

    @property
    def mtd(self) -> int:
        """The true MTD (1..K): the dose whose DLT probability equals the target, 0.25."""
        return int(np.flatnonzero(np.isclose(self.true_tox, PAPER_DESIGN["target"]))[0]) + 1


_TOX = {1: (0.25, 0.41, 0.45, 0.49, 0.53), 2: (0.12, 0.25, 0.42, 0.49, 0.55), 3: (0.04, 0.12, 0.25, 0.43, 0.63),
        4: (0.02, 0.06, 0.10, 0.25, 0.40), 5: (0.02, 0.05, 0.08, 0.11, 0.25)}
_EFF = {1: (0.30, 0.40, 0.45, 0.50, 0.55), 2: (0.20, 0.30, 0.40, 0.50, 0.60), 3: (0.10, 0.20, 0.30, 0.45, 0.58),
        4: (0.05, 0.10, 0.15, 0.30, 0.45), 5: (0.05, 0.10, 0.15, 0.20, 0.30), 6: (0.30, 0.35, 0.36, 0.36, 0.36),
        7: (0.15, 0.30, 0.35, 0.36, 0.36), 8: (0.10, 0.20, 0.30, 0.35, 0.35), 9: (0.10, 0.15, 0.20, 0.30, 0.35),
        10: (0.30, 0.32, 0.35, 0.36, 0.36), 11: (0.10, 0.30, 0.32, 0.35, 0.36), 12: (0.10, 0.15, 0.30, 0.32, 0.35)}
_PROFILE = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 2, 7: 3, 8: 4, 9: 5, 10: 3, 11: 4, 12: 5}

SCENARIOS: Mapping[int, Scenario] = {k: Scenario(k, _TOX[_PROFILE[k]], _EFF[k]) for k in _EFF}
"""The twelve scenarios of Zhao et al. (2024, Table 3); scenarios 6-12 repeat the DLT probabilities of 2-5 with
flatter response curves."""

_T4_BF = {1: (79.9, 13.5, None, 10.8, 6.1, 17.0, 8.4), 2: (57.8, 10.9, 10.4, 10.3, 4.8, 25.5, 12.1),
          3: (57.6, 9.7, 16.9, 9.8, 4.2, 30.9, 14.3), 4: (56.7, 13.6, 20.4, 9.6, 3.7, 33.8, 15.6),
          5: (62.8, None, 27.2, 7.2, None, 34.4, 15.5), 6: (57.5, 10.8, 11.1, 10.3, 4.8, 26.2, 12.1),
          7: (57.1, 9.6, 18.3, 9.9, 4.2, 32.3, 14.3), 8: (57.0, 13.2, 23.5, 9.7, 3.6, 36.7, 15.6),
          9: (62.9, None, 29.5, 7.2, None, 36.7, 15.5), 10: (57.2, 9.5, 20.1, 9.8, 4.2, 34.2, 14.3),
          11: (57.0, 13.1, 24.3, 9.7, 3.5, 37.5, 15.6), 12: (62.8, None, 30.0, 7.1, None, 37.1, 15.5)}
_T4_BOIN = {1: (77.0, 16.7, None, 8.7, 6.2, 15.1, 8.8), 2: (55.6, 14.5, 7.2, 8.4, 5.1, 20.7, 12.3),
            3: (56.7, 12.3, 11.4, 8.0, 4.6, 23.9, 14.3), 4: (53.3, 17.1, 14.0, 7.7, 4.0, 25.7, 15.5),
            5: (63.9, None, 17.6, 7.3, None, 24.9, 15.1)}

TABLE4: Mapping[str, Mapping[int, tuple]] = {
    "bf": _T4_BF, "boin": {k: _T4_BOIN[_PROFILE[k]] for k in _EFF}}
"""Zhao et al. (2024, Table 4), ``TABLE4[design][scenario]`` with ``design`` "bf" (BF-BOIN) or "boin": the values of
:data:`METRICS` (None where there is no dose below or above the MTD).  The BOIN rows of scenarios 6-12 are those of
the scenario with the same DLT probabilities, since BOIN ignores response."""

DESIGNS: tuple[str, ...] = ("boin", "bf")
"""The two designs compared, in the order they are drawn: BOIN (no backfilling), then BF-BOIN."""

_COLOURS = {"boin": OKABE_ITO[0], "bf": OKABE_ITO[1]}


def scenario_table(numbers: Iterable[int] | None = None, lang: str = "en") -> pd.DataFrame:
    """The scenarios of Zhao et al. (2024, Table 3): true DLT and response probabilities per dose.

    Parameters
    ----------
    numbers : iterable of int, optional
        Scenario numbers to show, in this order (all twelve by default).
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
        Two rows per scenario (DLT, response), one column per dose; the MTD's column is marked in the index.

    Examples
    --------
    >>> scenario_table([3]).iloc[0].tolist()
    [0.04, 0.12, 0.25, 0.43, 0.63]
    """
    lang = check_lang(lang)
    keys = list(SCENARIOS) if numbers is None else [_scenario(k).number for k in numbers]
    rows, index = [], []
    for k in keys:
        sc = SCENARIOS[k]
        label = t("bfv_scenario_mtd", lang, k=k, mtd=sc.mtd)
        rows += [sc.true_tox, sc.true_eff]
        index += [(label, t("bfv_row_dlt", lang)), (label, t("bfv_row_response", lang))]
    columns = [t("bfv_dose_n", lang, d=d) for d in range(1, len(SCENARIOS[keys[0]].true_tox) + 1)]
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(
        index, names=[t("bfv_idx_scenario", lang), t("bfv_idx_probability", lang)]), columns=columns)


def paper_design(backfill: bool = True, n_cap_backfill: int = 12, accrual_per_month: float = 3.0) -> esc.BFBOIN:
    """BF-BOIN (or, with ``backfill=False``, its BOIN comparator) with the settings of Zhao et al. (2024).

    Both use the paper's decision table (Table 1: 1 DLT in 3 patients means stay), as the published Table 4
    does (see :class:`~dosecourse.escalation.bfboin.BFBOIN`, ``stay_1_of_3``).

    Parameters
    ----------
    backfill : bool
        Backfill (BF-BOIN) or not (BOIN in calendar time, patients arriving during a DLT window turned away).
    n_cap_backfill : int
        A dose takes backfill patients while it has fewer than this many patients (default 12, the paper's).
    accrual_per_month : float
        Mean number of patients arriving per month (default 3).

    Returns
    -------
    dosecourse.escalation.BFBOIN

    Examples
    --------
    >>> paper_design().n_cap_backfill, paper_design(backfill=False).name
    (12, 'BOIN (timed)')
    """
    settings = {**PAPER_DESIGN, "n_cap_backfill": n_cap_backfill, "accrual_per_month": accrual_per_month}
    return esc.BFBOIN(**settings, backfill=backfill, stay_1_of_3=True)


def _scenario(scenario: int | Scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (bool, np.bool_)) or not isinstance(scenario, (int, np.integer)) \
            or int(scenario) not in SCENARIOS:
        raise ValueError(f"scenario must be one of {sorted(SCENARIOS)} (Zhao et al. 2024, Table 3); got {scenario!r}")
    return SCENARIOS[int(scenario)]


@dataclasses.dataclass(frozen=True)
class Comparison:
    """BF-BOIN and BOIN simulated on one scenario (per-trial results of
    :meth:`~dosecourse.escalation.BFBOIN.trials`), with the settings used."""

    scenario: Scenario
    bf: BackfillTrials
    boin: BackfillTrials
    n_trials: int
    seed: int | None
    n_cap_backfill: int
    accrual_per_month: float

    def trials(self, design: str) -> BackfillTrials:
        """The trials of ``design``, "bf" or "boin"."""
        if design not in DESIGNS:
            raise ValueError(f"design must be one of {DESIGNS}; got {design!r}")
        return self.bf if design == "bf" else self.boin

    def metric(self, design: str, name: str) -> np.ndarray | None:
        """Per-trial values of one Table 4 metric (see :func:`table4_metrics`)."""
        return table4_metrics(self.trials(design), self.scenario)[name]

    def mean(self, design: str, name: str) -> float:
        """Mean over trials of one Table 4 metric (NaN where it does not apply)."""
        values = self.metric(design, name)
        return math.nan if values is None else float(values.mean())


def compare(scenario: int | Scenario, n_trials: int = N_TRIALS, seed: int | None = SEED,
            n_cap_backfill: int = 12, accrual_per_month: float = 3.0) -> Comparison:
    """Simulate BF-BOIN and BOIN (no backfilling) on one scenario with the paper's settings.

    Parameters
    ----------
    scenario : int or Scenario
        A scenario number of :data:`SCENARIOS` (1-12) or a :class:`Scenario`.
    n_trials : int
        Simulated trials per design (default :data:`N_TRIALS`; the paper used :data:`PAPER_N_TRIALS`).
    seed : int or None
        Seed for both designs.
    n_cap_backfill, accrual_per_month
        Backfill cap and accrual rate (see :func:`paper_design`).

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        On an unknown scenario or invalid design settings.

    Examples
    --------
    >>> c = compare(3, n_trials=200, seed=1)
    >>> c.bf.n.shape, int(c.boin.backfilled.sum())
    ((200, 5), 0)
    """
    sc = _scenario(scenario)
    bf = paper_design(True, n_cap_backfill, accrual_per_month).trials(sc.true_tox, n_trials, seed, sc.true_eff)
    boin = paper_design(False, n_cap_backfill, accrual_per_month).trials(sc.true_tox, n_trials, seed, sc.true_eff)
    return Comparison(sc, bf, boin, int(n_trials), seed, int(n_cap_backfill), float(accrual_per_month))


def table4_metrics(trials: BackfillTrials, scenario: int | Scenario) -> dict[str, np.ndarray | None]:
    """Each metric of Table 4 as a per-trial array (None where there is no dose below or above the MTD).

    Parameters
    ----------
    trials : BackfillTrials
        Output of :meth:`~dosecourse.escalation.BFBOIN.trials`.
    scenario : int or Scenario
        The scenario the trials were simulated on (it fixes the MTD).

    Returns
    -------
    dict
        Keys :data:`METRICS`: 100 x (MTD selected), 100 x (a dose above the MTD selected), patients below, at
        and above the MTD, all patients, duration in months.  Below + at + above = total in every trial.

    Examples
    --------
    >>> m = table4_metrics(compare(2, n_trials=50, seed=3).bf, 2)
    >>> bool(np.array_equal(m["below"] + m["at"] + m["above"], m["total"]))
    True
    """
    sc = _scenario(scenario)
    tox = np.asarray(sc.true_tox)
    mtd = sc.mtd
    below, above = tox < tox[mtd - 1], tox > tox[mtd - 1]
    n = trials.n.astype(float)
    return {
        "correct": 100.0 * (trials.selected == mtd),
        "overdose": 100.0 * (trials.selected > mtd) if above.any() else None,
        "below": n[:, below].sum(axis=1) if below.any() else None,
        "at": n[:, mtd - 1],
        "above": n[:, above].sum(axis=1) if above.any() else None,
        "total": n.sum(axis=1),
        "duration": np.asarray(trials.duration, dtype=float),
    }


def _design_name(design: str, lang: str) -> str:
    return t(f"bfv_design_{design}", lang)


def comparison_table(comparisons: Iterable[Comparison], lang: str = "en", published: bool = True) -> pd.DataFrame:
    """Table 4 of Zhao et al. (2024) for the simulated scenarios: simulated means, and the published values.

    Parameters
    ----------
    comparisons : iterable of Comparison
        Outputs of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of the headers.
    published : bool
        Add a row with the published value under each simulated row.

    Returns
    -------
    pandas.DataFrame
        Rows (scenario, design, source); columns the metrics of :data:`METRICS`, rounded to one decimal.
    """
    lang = check_lang(lang)
    rows, index = [], []
    for c in comparisons:
        scen = t("bfv_scenario_mtd", lang, k=c.scenario.number, mtd=c.scenario.mtd)
        for design in ("bf", "boin"):
            rows.append([c.mean(design, m) for m in METRICS])
            index.append((scen, _design_name(design, lang), t("bfv_source_sim", lang, n=f"{c.n_trials:,}")))
            if published:
                pub = TABLE4[design][c.scenario.number]
                rows.append([math.nan if v is None else v for v in pub])
                index.append((scen, _design_name(design, lang), t("bfv_source_paper", lang)))
    names = [t("bfv_idx_scenario", lang), t("bfv_idx_design", lang), t("bfv_idx_source", lang)]
    frame = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=names),
                         columns=[t(f"bfv_metric_{m}", lang) for m in METRICS])
    return frame.round(1)


def agreement(comparison: Comparison, k_se: float = 4.0) -> pd.DataFrame:
    """Simulated against published Table 4 values, with a Monte Carlo tolerance.

    The tolerance of a metric is ``k_se`` standard errors of the difference between two independent simulations,
    this one (``n_trials``) and the paper's (:data:`PAPER_N_TRIALS`), estimated from this simulation's per-trial
    standard deviation, plus 0.05 for the table's rounding to one decimal.

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare` with the paper's settings (cap 12, 3 patients a month).
    k_se : float
        Number of standard errors allowed (default 4).

    Returns
    -------
    pandas.DataFrame
        One row per (design, metric) that applies: ``simulated``, ``published``, ``tolerance``, ``within``.

    Raises
    ------
    ValueError
        If the comparison does not use the paper's cap and accrual rate.
    """
    if comparison.n_cap_backfill != PAPER_DESIGN["n_cap_backfill"] or \
            comparison.accrual_per_month != PAPER_DESIGN["accrual_per_month"]:
        raise ValueError("agreement needs the paper's settings: n_cap_backfill=12, accrual_per_month=3")
    rows = []
    for design in ("bf", "boin"):
        pub = TABLE4[design][comparison.scenario.number]
        for name, published in zip(METRICS, pub):
            values = comparison.metric(design, name)
            if values is None or published is None:
                continue
            sd = float(values.std(ddof=1))
            tol = k_se * sd * math.sqrt(1 / comparison.n_trials + 1 / PAPER_N_TRIALS) + 0.05
            sim = float(values.mean())
            rows.append({"design": design, "metric": name, "simulated": sim, "published": float(published),
                         "tolerance": tol, "within": abs(sim - published) <= tol})
    return pd.DataFrame(rows).set_index(["design", "metric"])


def clopper_pearson(x, n, level: float = 0.90) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson ("exact") confidence interval for a binomial proportion, vectorised.

    Parameters
    ----------
    x, n : array_like of int
        Responses and patients (0 <= x <= n).  With n = 0 the interval is [0, 1]: no information.
    level : float
        Confidence level, in (0, 1) (default 0.90).

    Returns
    -------
    (lower, upper) : tuple of ndarray

    Raises
    ------
    ValueError
        If ``level`` is outside (0, 1), or counts are negative or x exceeds n.

    Notes
    -----
    With :math:`\\alpha = 1 - \\text{level}`: lower :math:`= B(\\alpha/2;\\, x, n - x + 1)` (0 when x = 0), upper
    :math:`= B(1 - \\alpha/2;\\, x + 1, n - x)` (1 when x = n), B the Beta quantile (Clopper and Pearson 1934).

    Examples
    --------
    >>> lo, hi = clopper_pearson([0, 2], [3, 10])
    >>> [round(float(v), 4) for v in (lo[0], hi[0], lo[1], hi[1])]
    [0.0, 0.6316, 0.0368, 0.5069]
    """
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    x_a, n_a = np.asarray(x), np.asarray(n)
    if np.any(n_a < 0) or np.any(x_a < 0) or np.any(x_a > n_a):
        raise ValueError("clopper_pearson needs 0 <= x <= n")
    x_f, n_f = x_a.astype(float), n_a.astype(float)
    a = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x_a > 0, beta.ppf(a, np.maximum(x_f, 1), n_f - x_f + 1), 0.0)
        upper = np.where(x_a < n_a, beta.ppf(1 - a, x_f + 1, np.maximum(n_f - x_f, 1)), 1.0)
    empty = n_a == 0
    return np.where(empty, 0.0, lower), np.where(empty, 1.0, upper)


@dataclasses.dataclass(frozen=True)
class ResponsePrecision:
    """Evidence on the response rate per dose, BOIN against BF-BOIN (arrays over doses, dose 1 first).

    Attributes
    ----------
    scenario : Scenario
    level : float
        Confidence level of the Clopper-Pearson intervals.
    treated : dict of ndarray
        Share of trials that treated each dose (``treated["bf"]``, ``treated["boin"]``).
    patients, backfilled : dict of ndarray
        Mean patients per dose, and mean backfill patients per dose, over all trials.
    width : dict of ndarray
        Mean width of the interval for the response rate, over the trials that treated the dose.
    estimate : dict of ndarray
        Mean of the observed response rate x/n, over the trials that treated the dose.
    coverage : dict of ndarray
        Share of those intervals that contain the true response rate.
    """

    scenario: Scenario
    level: float
    treated: dict
    patients: dict
    backfilled: dict
    width: dict
    estimate: dict
    coverage: dict

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per dose: true response rate, patients (and backfill), interval width, BOIN and BF-BOIN."""
        lang = check_lang(lang)
        k = len(self.scenario.true_eff)
        doses = [t("bfv_dose_mtd", lang, d=d) if d == self.scenario.mtd else str(d) for d in range(1, k + 1)]
        level = f"{100 * self.level:.0f}"
        boin, bf = _design_name("boin", lang), _design_name("bf", lang)
        frame = pd.DataFrame({
            t("bfv_col_true_eff", lang): self.scenario.true_eff,
            t("bfv_col_patients", lang, design=boin): self.patients["boin"],
            t("bfv_col_patients", lang, design=bf): self.patients["bf"],
            t("bfv_col_backfilled", lang): self.backfilled["bf"],
            t("bfv_col_width", lang, design=boin, level=level): self.width["boin"],
            t("bfv_col_width", lang, design=bf, level=level): self.width["bf"],
        }, index=pd.Index(doses, name=t("bfv_idx_dose", lang)))
        return frame.round(2)


def response_precision(comparison: Comparison, level: float = 0.90) -> ResponsePrecision:
    """How precisely each design estimates the response rate at each dose, from the simulated trials.

    In every simulated trial the responses x and patients n at a dose give a Clopper-Pearson interval
    (:func:`clopper_pearson`); its width, averaged over the trials that treated the dose, measures the evidence
    the trial leaves at that dose.  Responses are simulated independently of DLTs, as in Zhao et al. (2024).

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare`.
    level : float
        Confidence level (default 0.90).

    Returns
    -------
    ResponsePrecision

    Examples
    --------
    >>> p = response_precision(compare(3, n_trials=300, seed=2))
    >>> bool(p.patients["bf"][1] > p.patients["boin"][1]), bool(p.width["bf"][1] < p.width["boin"][1])
    (True, True)
    """
    eff = np.asarray(comparison.scenario.true_eff)
    out: dict[str, dict] = {key: {} for key in ("treated", "patients", "backfilled", "width", "estimate", "coverage")}
    for design in DESIGNS:
        tr = comparison.trials(design)
        n, x = tr.n, tr.responses
        lo, hi = clopper_pearson(x, n, level)
        treated = n > 0
        count = treated.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(treated, x / np.maximum(n, 1), 0.0)
            out["width"][design] = np.where(count > 0, ((hi - lo) * treated).sum(axis=0) / count, np.nan)
            out["estimate"][design] = np.where(count > 0, rate.sum(axis=0) / count, np.nan)
            covers = (lo <= eff) & (eff <= hi) & treated
            out["coverage"][design] = np.where(count > 0, covers.sum(axis=0) / count, np.nan)
        out["treated"][design] = treated.mean(axis=0)
        out["patients"][design] = n.mean(axis=0)
        out["backfilled"][design] = tr.backfilled.mean(axis=0)
    return ResponsePrecision(comparison.scenario, float(level), **out)


def _dose_ticks(ax, scenario: Scenario, lang: str) -> None:
    k = len(scenario.true_tox)
    ax.set_xticks(range(1, k + 1), [t("bfv_dose_mtd", lang, d=d) if d == scenario.mtd else str(d)
                                    for d in range(1, k + 1)])
    ax.set_xlabel(t("bfv_xlabel_dose", lang))
    ax.grid(axis="x", visible=False)


def _patients_panel(ax, comparison: Comparison, lang: str, width: float = 0.38) -> None:
    """Mean patients per dose: BOIN, and BF-BOIN split into escalation and backfill patients."""
    doses = np.arange(1, len(comparison.scenario.true_tox) + 1)
    boin_n = comparison.boin.n.mean(axis=0)
    bf_n, bf_back = comparison.bf.n.mean(axis=0), comparison.bf.backfilled.mean(axis=0)
    ax.bar(doses - width / 2, boin_n, width, color=_COLOURS["boin"], label=_design_name("boin", lang))
    ax.bar(doses + width / 2, bf_n - bf_back, width, color=_COLOURS["bf"],
           label=t("bfv_leg_bf_escalation", lang))
    ax.bar(doses + width / 2, bf_back, width, bottom=bf_n - bf_back, color="white", edgecolor=_COLOURS["bf"],
           hatch="///", lw=1.0, label=t("bfv_leg_bf_backfill", lang))
    ax.set_ylabel(t("bfv_ylabel_patients", lang))
    _dose_ticks(ax, comparison.scenario, lang)


def precision_figure(comparison: Comparison, lang: str = "en", level: float = 0.90) -> Figure:
    """Patients per dose and the width of the interval for the response rate, BOIN against BF-BOIN.

    Left: mean patients per dose (BF-BOIN's backfill patients hatched).  Right: mean width of the
    Clopper-Pearson interval for the response rate (:func:`response_precision`), with the true response rate
    printed under each dose.

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of every label.
    level : float
        Confidence level (default 0.90).

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    prec = response_precision(comparison, level)
    sc = comparison.scenario
    fig, (left, right) = new_figure(lang, ncols=2, figsize=(9.6, 4.1))
    _patients_panel(left, comparison, lang)
    left.set_title(t("bfv_title_patients", lang), loc="left")
    doses = np.arange(1, len(sc.true_tox) + 1)
    for design, marker in (("boin", "o"), ("bf", "s")):
        right.plot(doses, prec.width[design], marker=marker, ms=7, lw=1.6, color=_COLOURS[design],
                   label=_design_name(design, lang))
    right.set_ylim(0, 1)
    right.set_ylabel(t("bfv_ylabel_width", lang, level=f"{100 * level:.0f}"))
    right.set_title(t("bfv_title_width", lang), loc="left")
    _dose_ticks(right, sc, lang)
    right.set_xticks(doses, [f"{tick.get_text()}\n{t('bfv_true_eff_short', lang, p=f'{p:.2f}')}"
                             for tick, p in zip(right.get_xticklabels(), sc.true_eff)])
    right.set_xlabel(t("bfv_xlabel_dose_eff", lang))
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=9.5)
    fig.suptitle(t("bfv_suptitle_scenario", lang, k=sc.number, n=f"{comparison.n_trials:,}"), x=0.01, ha="left",
                 fontsize=12)
    return fig


def oc_figure(comparisons: Sequence[Comparison], lang: str = "en") -> Figure:
    """BF-BOIN against BOIN on several scenarios: correct selection, patients, duration; published values marked.

    Three panels with one pair of bars per scenario (BOIN, BF-BOIN): the percentage of trials selecting the
    true MTD; the mean number of patients, split into below, at and above the MTD; the mean duration in months.
    A black diamond marks the value published in Zhao et al. (2024, Table 4).

    Parameters
    ----------
    comparisons : sequence of Comparison
        Outputs of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    comps = list(comparisons)
    if not comps:
        raise ValueError("oc_figure needs at least one Comparison")
    fig, axes = new_figure(lang, ncols=3, figsize=(11.0, 4.3))
    x = np.arange(len(comps))
    width = 0.38
    shades = {"below": 0.45, "at": 1.0, "above": 0.7}
    for offset, design in ((-width / 2, "boin"), (width / 2, "bf")):
        colour = _COLOURS[design]
        correct = [c.mean(design, "correct") for c in comps]
        axes[0].bar(x + offset, correct, width, color=colour, label=_design_name(design, lang))
        bottom = np.zeros(len(comps))
        for part in ("below", "at", "above"):
            vals = np.nan_to_num([c.mean(design, part) for c in comps])
            axes[1].bar(x + offset, vals, width, bottom=bottom, color=colour, alpha=shades[part],
                        edgecolor="white", lw=0.8)
            bottom += vals
        axes[2].bar(x + offset, [c.mean(design, "duration") for c in comps], width, color=colour)
        for ax, metric in ((axes[0], "correct"), (axes[1], "total"), (axes[2], "duration")):
            idx = METRICS.index(metric)
            ax.plot(x + offset, [TABLE4[design][c.scenario.number][idx] for c in comps], "D", color="black",
                    ms=5, zorder=4)
    labels = [t("bfv_scenario_short", lang, k=c.scenario.number, mtd=c.scenario.mtd) for c in comps]
    titles = ("bfv_title_correct", "bfv_title_total", "bfv_title_duration")
    ylabels = ("bfv_ylabel_correct", "bfv_ylabel_total", "bfv_ylabel_duration")
    for ax, title, ylabel in zip(axes, titles, ylabels):
        ax.set_xticks(x, labels)
        ax.set_title(t(title, lang), loc="left")
        ax.set_ylabel(t(ylabel, lang))
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 100)
    handles, _ = axes[0].get_legend_handles_labels()
    handles.append(plt.Line2D([], [], marker="D", ls="", color="black", ms=5, label=t("bfv_leg_published", lang)))
    handles += [Patch(facecolor="0.35", alpha=shades[part], edgecolor="white", label=t(f"bfv_part_{part}", lang))
                for part in ("below", "at", "above")]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9.5)
    return fig


def widget_figure(scenario: int | Scenario | Comparison = 3, n_cap_backfill: int = 12,
                  accrual_per_month: float = 3.0, n_trials: int = WIDGET_TRIALS, seed: int | None = SEED,
                  lang: str = "en") -> Figure:
    """The widget's view: selection and patients per dose for BOIN and BF-BOIN, with N and duration.

    Parameters
    ----------
    scenario : int, Scenario or Comparison
        A scenario to simulate (with the other arguments), or a finished :func:`compare` result to draw.
    n_cap_backfill, accrual_per_month, n_trials, seed
        Settings of :func:`compare` when ``scenario`` is not a Comparison.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    comp = scenario if isinstance(scenario, Comparison) else compare(scenario, n_trials, seed, n_cap_backfill,
                                                                     accrual_per_month)
    sc = comp.scenario
    fig, (left, right) = new_figure(lang, ncols=2, figsize=(9.6, 4.6))
    doses = np.arange(1, len(sc.true_tox) + 1)
    width = 0.38
    for offset, design in ((-width / 2, "boin"), (width / 2, "bf")):
        sel = np.bincount(comp.trials(design).selected, minlength=len(doses) + 1)[1:] / comp.n_trials
        left.bar(doses + offset, 100 * sel, width, color=_COLOURS[design], label=_design_name(design, lang))
    left.set_ylim(0, 100)
    left.set_ylabel(t("bfv_ylabel_selection", lang))
    left.set_title(t("bfv_title_selection", lang), loc="left")
    _dose_ticks(left, sc, lang)
    _patients_panel(right, comp, lang)
    right.set_title(t("bfv_title_patients", lang), loc="left")
    summary = "\n".join(
        t("bfv_summary_line", lang, design=_design_name(d, lang), n=f"{comp.mean(d, 'total'):.1f}",
          months=f"{comp.mean(d, 'duration'):.1f}", correct=f"{comp.mean(d, 'correct'):.1f}")
        for d in ("boin", "bf"))
    header = t("bfv_widget_header", lang, k=sc.number, cap=comp.n_cap_backfill,
               rate=f"{comp.accrual_per_month:g}", n=f"{comp.n_trials:,}")
    fig.suptitle(header + "\n" + summary, x=0.01, ha="left", fontsize=10.5)
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=9.5)
    return fig


def widget(lang: str = "en", *, scenario: int = 3, n_cap_backfill: int = 12, accrual_per_month: float = 3.0,
           n_trials: int = WIDGET_TRIALS, seed: int | None = SEED):
    """Scenario, backfill cap and accrual rate in; BF-BOIN's and BOIN's operating characteristics out.

    A dropdown chooses one of the twelve scenarios of Zhao et al. (2024), a slider the backfill cap (6 to 24
    patients per dose) and another the accrual rate (1 to 8 patients a month).  Each change re-simulates both
    designs with ``n_trials`` trials (default :data:`WIDGET_TRIALS`, well under a second) and redraws
    :func:`widget_figure`.  Python callbacks need a live kernel: in the static book the controls move but the
    figure does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls and the figure.
    scenario, n_cap_backfill, accrual_per_month
        Starting values of the controls.
    n_trials : int
        Simulated trials per design and redraw.
    seed : int or None
        Seed of every redraw (the same trials for the same settings).

    Returns
    -------
    ipywidgets.VBox
        The controls and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    style = {"description_width": "11em"}
    layout = w.Layout(width="30em")
    options = [(t("bfv_scenario_option", lang, k=k, mtd=s.mtd,
                  eff=", ".join(f"{p:.2f}" for p in s.true_eff)), k) for k, s in SCENARIOS.items()]
    scen = w.Dropdown(options=options, value=int(_scenario(scenario).number), description=t("bfv_w_scenario", lang),
                      style=style, layout=layout)
    cap = w.IntSlider(value=int(min(max(n_cap_backfill, 6), 24)), min=6, max=24, step=3,
                      description=t("bfv_w_cap", lang), continuous_update=False, style=style, layout=layout)
    rate = w.FloatSlider(value=float(min(max(accrual_per_month, 1.0), 8.0)), min=1.0, max=8.0, step=0.5,
                         readout_format=".1f", description=t("bfv_w_accrual", lang), continuous_update=False,
                         style=style, layout=layout)
    out = live_output((scen, cap, rate),
                      lambda: widget_figure(scen.value, cap.value, rate.value, n_trials, seed, lang))
    return w.VBox([scen, cap, rate, out])
