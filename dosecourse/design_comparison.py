"""Several escalation designs on one dose-toxicity scenario: a tidy comparison, figures and a widget.

The designs come from :mod:`dosecourse.escalation`; this module runs them on the same true DLT probabilities
and summarises what matters when choosing a design:

* :func:`compare` returns a :class:`Comparison`: each design's operating characteristics, computed **exactly**
  where the engine can (3+3 and the interval designs, by enumerating every path of the trial) and by
  **simulation** otherwise (CRM), with the method recorded for every design;
* :meth:`Comparison.summary` / :meth:`Comparison.to_frame` give one row per design: probability of correct
  selection, of selecting an acceptable dose, of selecting an overly toxic dose, patients treated at the target
  and at overly toxic doses, mean sample size, and the mean true DLT probability of the dose selected;
* :func:`exact_vs_simulated` checks that simulation agrees with the exact numbers within Monte Carlo error;
* :func:`escalation_probability_3p3` and :func:`boin_move_probabilities` give the probability of escalating
  from a dose as a function of its true DLT probability, drawn by :func:`escalation_figure`;
* :func:`comparison_figure`, :func:`summary_figure` and :func:`widget` show the results.

Definitions used throughout (see :func:`target_doses`, :func:`acceptable_doses`, :func:`overdose_doses`):

* **correct dose** (the true MTD): the dose whose true DLT probability is closest to the target; if two doses are
  equally close, both count as correct;
* **acceptable dose**: true DLT probability within ``band`` (default 0.05) of the target;
* **overly toxic dose**: true DLT probability above ``target + margin`` (default margin 0.10), i.e. above 0.40
  for a target of 0.30.

Every user-facing string comes from ``labels/design_comparison.toml`` through :func:`dosecourse.i18n.t`.

References
----------
Storer BE. Design and analysis of phase I clinical trials. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
O'Quigley J, Pepe M, Fisher L. Continual reassessment method: a practical design for phase 1 clinical trials in
cancer. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yan F, Mandrekar SJ, Yuan Y. Keyboard: a novel Bayesian toxicity probability interval design for phase I
clinical trials. Clin Cancer Res. 2017;23(15):3994-4003. doi:10.1158/1078-0432.CCR-17-0220
Guo W, Wang SJ, Yang S, Lynn H, Ji Y. A Bayesian interval dose-finding design addressing Ockham's razor:
mTPI-2. Contemp Clin Trials. 2017;58:23-33. doi:10.1016/j.cct.2017.04.006
Zhou H, Yuan Y, Nie L. Accuracy, safety, and reliability of novel phase I trial designs. Clin Cancer Res.
2018;24(18):4357-4364. doi:10.1158/1078-0432.CCR-18-0168
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy.stats import binom

from . import _validate
from . import escalation as esc
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

TARGET: float = 0.30
"""Target DLT probability of the chapter."""

DESIGN_NAMES: tuple[str, ...] = ("3+3", "BOIN", "Keyboard", "mTPI-2", "CRM")
"""Designs :func:`make_designs` can build, in the order they are shown."""

DEFAULT_DESIGNS: tuple[str, ...] = ("3+3", "BOIN", "Keyboard", "CRM")
"""Designs compared by default."""

DEFAULT_SCENARIOS: Mapping[str, tuple[float, ...]] = {
    "mid": (0.05, 0.12, 0.30, 0.45, 0.60),
    "high": (0.02, 0.06, 0.10, 0.18, 0.30),
    "low": (0.12, 0.30, 0.48, 0.60, 0.70),
}
"""The chapter's scenarios (five doses, target 0.30): the true MTD is dose 3, dose 5 and dose 2."""

METHODS: tuple[str, ...] = ("auto", "exact", "simulate")
"""``auto``: exact where the design allows it, simulated otherwise; ``exact``: exact or an error;
``simulate``: simulate every design."""

DESIGN_COLOURS: Mapping[str, str] = {"3+3": OKABE_ITO[7], "BOIN": OKABE_ITO[0], "Keyboard": OKABE_ITO[4],
                                     "mTPI-2": OKABE_ITO[5], "CRM": OKABE_ITO[3]}
"""One colour per design (Okabe-Ito), the same in every figure."""

_TIE = 1e-12  # doses whose distance to the target differs by less than this are equally close


# ------------------------------------------------------------------------------------------------ scenarios
def monotonicity_violations(true_tox) -> list[int]:
    """Doses (1..K) whose true DLT probability is lower than that of the dose below.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, dose 1 first.

    Returns
    -------
    list of int
        Empty when the probabilities never decrease.

    Examples
    --------
    >>> monotonicity_violations([0.05, 0.20, 0.15, 0.30])
    [3]
    """
    p = np.asarray(true_tox, dtype=float)
    return [int(d) + 2 for d in np.flatnonzero(np.diff(p) < 0)]


def check_scenario(true_tox, target: float = TARGET, *, require_monotone: bool = False) -> np.ndarray:
    """Check a scenario and return it as an array.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose, each in (0, 1), at least two doses.
    target : float
        Target DLT probability, in (0, 1).
    require_monotone : bool
        Raise if the probabilities decrease anywhere (every design here assumes toxicity rises with dose).

    Returns
    -------
    ndarray

    Raises
    ------
    ValueError
        On a value outside (0, 1), fewer than two doses, or (with ``require_monotone``) a decrease; the
        message names ``true_tox`` and the offending doses.

    Examples
    --------
    >>> check_scenario([0.1, 0.3, 0.2], require_monotone=True)
    Traceback (most recent call last):
    ...
    ValueError: true_tox must not decrease with dose (the designs assume monotone toxicity); it decreases at dose(s) [3]
    """
    _validate.probability(target, "target")
    p = _validate.probabilities(true_tox, "true_tox")
    if p.size < 2:
        raise ValueError(f"true_tox needs at least two doses; got {p.size}")
    bad = monotonicity_violations(p)
    if require_monotone and bad:
        raise ValueError(f"true_tox must not decrease with dose (the designs assume monotone toxicity); it "
                         f"decreases at dose(s) {bad}")
    return p


def target_doses(true_tox, target: float = TARGET) -> np.ndarray:
    """The correct dose(s): true DLT probability closest to ``target`` (all doses tied for closest).

    Examples
    --------
    >>> target_doses([0.05, 0.12, 0.30, 0.45, 0.60]).tolist()
    [3]
    >>> target_doses([0.10, 0.25, 0.35, 0.50]).tolist()
    [2, 3]
    """
    p = check_scenario(true_tox, target)
    dist = np.abs(p - target)
    return np.flatnonzero(dist <= dist.min() + _TIE) + 1


def acceptable_doses(true_tox, target: float = TARGET, band: float = 0.05) -> np.ndarray:
    """Doses (1..K) with true DLT probability within ``band`` of the target (may be empty).

    Examples
    --------
    >>> acceptable_doses([0.05, 0.12, 0.28, 0.34, 0.60]).tolist()
    [3, 4]
    """
    p = check_scenario(true_tox, target)
    if not 0 <= band < 1:
        raise ValueError(f"band must lie in [0, 1); got {band!r}")
    return np.flatnonzero(np.abs(p - target) <= band + _TIE) + 1


def overdose_doses(true_tox, target: float = TARGET, margin: float = 0.10) -> np.ndarray:
    """Overly toxic doses (1..K): true DLT probability above ``target + margin``.

    Examples
    --------
    >>> overdose_doses([0.05, 0.12, 0.30, 0.45, 0.60]).tolist()
    [4, 5]
    """
    p = check_scenario(true_tox, target)
    if not 0 <= margin < 1:
        raise ValueError(f"margin must lie in [0, 1); got {margin!r}")
    return np.flatnonzero(p > target + margin + _TIE) + 1


# ------------------------------------------------------------------------------------------------ designs
def make_designs(n_doses: int, target: float = TARGET, names: Sequence[str] = DEFAULT_DESIGNS,
                 cohort_size: int = 3, n_cohorts: int = 10, crm_halfwidth: float = 0.05,
                 crm_nu: int | None = None) -> dict[str, esc.Design]:
    """The designs of the chapter, set up alike: same doses, target, cohort size and maximum sample size.

    Parameters
    ----------
    n_doses : int
        Number of doses K.
    target : float
        Target DLT probability.
    names : sequence of str
        Designs to build, from :data:`DESIGN_NAMES`.
    cohort_size, n_cohorts : int
        Cohort size and number of cohorts of BOIN, keyboard, mTPI-2 and CRM (N = 30 by default).  The 3+3
        has its own rules and stops by itself (at most six patients per dose).
    crm_halfwidth : float
        Half-width of the indifference interval of the CRM skeleton (:func:`dosecourse.escalation.crm_skeleton`).
    crm_nu : int, optional
        Prior guess of the MTD for the skeleton; the middle dose by default.

    Returns
    -------
    dict
        ``{name: design}`` in the order of ``names``.

    Raises
    ------
    ValueError
        On an unknown design name (the message lists the valid ones).

    Notes
    -----
    BOIN, keyboard (equivalence interval target ± 0.05) and mTPI-2 use the defaults of their R packages; the
    CRM uses the empiric model, prior N(0, 1.34), a skeleton by the indifference-interval method (Lee & Cheung
    2009) centred on ``crm_nu``, no dose skipping and coherence, as dfcrm's ``crmsim`` with ``restrict=TRUE``.
    """
    k = _validate.positive_int(n_doses, "n_doses")
    unknown = [n for n in names if n not in DESIGN_NAMES]
    if unknown or not names:
        raise ValueError(f"names must be a non-empty selection of {DESIGN_NAMES}; got {list(names)!r}")
    nu = (k + 1) // 2 if crm_nu is None else crm_nu
    common = dict(cohort_size=cohort_size, n_cohorts=n_cohorts)
    build = {
        "3+3": lambda: esc.ThreePlusThree(k),
        "BOIN": lambda: esc.BOIN(target, k, **common),
        "Keyboard": lambda: esc.Keyboard(target, k, **common),
        "mTPI-2": lambda: esc.MTPI2(target, k, **common),
        "CRM": lambda: esc.CRM(esc.crm_skeleton(crm_halfwidth, target, nu, k), target, **common),
    }
    return {name: build[name]() for name in names}


def has_exact(design: esc.Design) -> bool:
    """Whether the engine computes ``design``'s operating characteristics exactly (3+3, interval designs)."""
    return isinstance(design, (esc.ThreePlusThree, esc.IntervalDesign))


def operating_characteristics(design: esc.Design, true_tox, method: str = "auto", n_trials: int = 10_000,
                              seed: int | None = 2025) -> esc.OperatingCharacteristics:
    """One design's operating characteristics, exact or simulated according to ``method``.

    Parameters
    ----------
    design : dosecourse.escalation.Design
    true_tox : sequence of float
    method : {"auto", "exact", "simulate"}
        See :data:`METHODS`.
    n_trials : int
        Simulated trials, when simulating.
    seed : int or None
        Seed of the simulation.

    Returns
    -------
    dosecourse.escalation.OperatingCharacteristics
        ``.exact`` tells which method was used.

    Raises
    ------
    ValueError
        On an unknown ``method``, or ``method="exact"`` for a design without exact results.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    if method == "exact" and not has_exact(design):
        raise ValueError(f"method='exact' is not available for {design.name}; use 'auto' or 'simulate'")
    if method != "simulate" and has_exact(design):
        return design.exact(true_tox)
    return esc.simulate(design, true_tox, n_trials=n_trials, seed=seed)


# ------------------------------------------------------------------------------------------------ comparison
SUMMARY_COLUMNS: tuple[str, ...] = (
    "design", "method", "n_trials", "pcs", "pcs_se", "acceptable", "select_overdose", "no_selection",
    "n_at_target", "pct_at_target", "n_overdose", "pct_overdose", "mean_n", "mean_dlts", "tox_selected",
    "seconds")
"""Columns of :meth:`Comparison.summary` (language-independent names)."""


@dataclass(frozen=True)
class Comparison:
    """Several designs' operating characteristics on one scenario, with the definitions used to summarise them.

    Attributes
    ----------
    true_tox : ndarray
        True DLT probability per dose.
    target, band, margin : float
        Target, half-width of the acceptable band and overdose margin (see :func:`acceptable_doses`,
        :func:`overdose_doses`).
    ocs : dict
        ``{design name: OperatingCharacteristics}``.
    seconds : dict
        Wall time of each design's computation.
    """

    true_tox: np.ndarray
    target: float
    band: float
    margin: float
    ocs: dict[str, esc.OperatingCharacteristics]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def correct(self) -> np.ndarray:
        """The correct dose(s), 1..K."""
        return target_doses(self.true_tox, self.target)

    @property
    def acceptable(self) -> np.ndarray:
        """The acceptable doses, 1..K."""
        return acceptable_doses(self.true_tox, self.target, self.band)

    @property
    def overdoses(self) -> np.ndarray:
        """The overly toxic doses, 1..K."""
        return overdose_doses(self.true_tox, self.target, self.margin)

    @property
    def monotone(self) -> bool:
        """Whether the true DLT probabilities never decrease with dose."""
        return not monotonicity_violations(self.true_tox)

    def summary(self) -> pd.DataFrame:
        """One row per design; columns :data:`SUMMARY_COLUMNS` (probabilities as fractions).

        ``pcs_se`` is the Monte Carlo standard error of ``pcs`` (binomial, 0 for exact results);
        ``tox_selected`` is the mean true DLT probability of the selected dose among trials that select one.
        """
        rows = []
        right, ok, hot = self.correct - 1, self.acceptable - 1, self.overdoses - 1
        for name, oc in self.ocs.items():
            pcs = float(oc.selection[right].sum())
            selected = 1.0 - oc.no_selection
            n_t, n_o = float(oc.patients[right].sum()), float(oc.patients[hot].sum())
            rows.append({
                "design": name, "method": "exact" if oc.exact else "simulated",
                "n_trials": 0 if oc.exact else oc.n_trials, "pcs": pcs,
                "pcs_se": 0.0 if oc.exact else math.sqrt(pcs * (1 - pcs) / oc.n_trials),
                "acceptable": float(oc.selection[ok].sum()), "select_overdose": float(oc.selection[hot].sum()),
                "no_selection": float(oc.no_selection), "n_at_target": n_t,
                "pct_at_target": 100 * n_t / oc.total_n, "n_overdose": n_o,
                "pct_overdose": 100 * n_o / oc.total_n, "mean_n": float(oc.total_n),
                "mean_dlts": float(oc.dlts.sum()),
                "tox_selected": float(oc.selection @ self.true_tox / selected) if selected > 0 else np.nan,
                "seconds": self.seconds.get(name, np.nan),
            })
        return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The summary as a readable table in ``lang``: percentages to one decimal, the method in words."""
        lang = check_lang(lang)
        s = self.summary()
        method = [t("dcmp_method_exact", lang) if m == "exact"
                  else t("dcmp_method_simulated", lang, n=f"{n:,}") for m, n in zip(s["method"], s["n_trials"])]
        frame = pd.DataFrame({
            t("dcmp_col_design", lang): s["design"],
            t("dcmp_col_method", lang): method,
            t("dcmp_col_pcs", lang): (100 * s["pcs"]).round(1),
            t("dcmp_col_acceptable", lang): (100 * s["acceptable"]).round(1),
            t("dcmp_col_select_overdose", lang): (100 * s["select_overdose"]).round(1),
            t("dcmp_col_no_selection", lang): (100 * s["no_selection"]).round(1),
            t("dcmp_col_pct_target", lang): s["pct_at_target"].round(1),
            t("dcmp_col_n_overdose", lang): s["n_overdose"].round(2),
            t("dcmp_col_mean_n", lang): s["mean_n"].round(1),
            t("dcmp_col_tox_selected", lang): s["tox_selected"].round(3),
        })
        return frame


def compare(true_tox, designs: Mapping[str, esc.Design] | Sequence[str] | None = None, target: float = TARGET,
            method: str = "auto", n_trials: int = 10_000, seed: int | None = 2025, band: float = 0.05,
            margin: float = 0.10) -> Comparison:
    """Run several designs on one scenario.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability per dose (a decrease is allowed and flagged by :attr:`Comparison.monotone`).
    designs : dict or sequence of str, optional
        ``{name: design}``, or names from :data:`DESIGN_NAMES` built by :func:`make_designs`;
        :data:`DEFAULT_DESIGNS` by default.
    target : float
        Target DLT probability; must be the designs' own target.
    method : {"auto", "exact", "simulate"}
        ``auto`` (default): exact for 3+3 and the interval designs, simulation for the CRM.
    n_trials, seed
        Simulation size and seed (every simulated design uses the same seed).
    band, margin : float
        Acceptable band and overdose margin.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        On an invalid scenario, ``method``, ``band`` or ``margin``, or designs with a different number of doses.

    Examples
    --------
    >>> comp = compare([0.05, 0.12, 0.30, 0.45, 0.60], designs=["3+3", "BOIN"])
    >>> comp.summary()[["design", "method"]].values.tolist()
    [['3+3', 'exact'], ['BOIN', 'exact']]
    >>> round(float(comp.summary().loc[1, "pcs"]), 3)
    0.579
    """
    p = check_scenario(true_tox, target)
    acceptable_doses(p, target, band)
    overdose_doses(p, target, margin)
    if designs is None or not isinstance(designs, Mapping):
        designs = make_designs(p.size, target, DEFAULT_DESIGNS if designs is None else tuple(designs))
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    ocs, seconds = {}, {}
    for name, design in designs.items():
        if design.n_doses != p.size:
            raise ValueError(f"design {name!r} has {design.n_doses} doses but true_tox has {p.size}")
        start = time.perf_counter()
        ocs[name] = operating_characteristics(design, p, method, n_trials, seed)
        seconds[name] = time.perf_counter() - start
    return Comparison(true_tox=p, target=float(target), band=float(band), margin=float(margin), ocs=ocs,
                      seconds=seconds)


def summary_table(comparisons: Mapping[str, Comparison], lang: str = "en") -> pd.DataFrame:
    """:meth:`Comparison.to_frame` of several scenarios stacked, with a first column naming the scenario.

    Keys of :data:`DEFAULT_SCENARIOS` are translated (label ``dcmp_scenario_<key>``); other keys are shown as
    they are.
    """
    lang = check_lang(lang)
    frames = []
    for key, comp in comparisons.items():
        frame = comp.to_frame(lang)
        frame.insert(0, t("dcmp_col_scenario", lang), scenario_label(key, lang))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def scenario_table(scenarios: Mapping[str, Sequence[float]] = DEFAULT_SCENARIOS, target: float = TARGET,
                   margin: float = 0.10, lang: str = "en") -> pd.DataFrame:
    """The scenarios as a table: true DLT probability per dose, the correct dose and the overly toxic doses.

    Examples
    --------
    >>> scenario_table(lang="en").iloc[0, -2:].tolist()
    ['3', '4, 5']
    """
    lang = check_lang(lang)
    rows = []
    for key, tox in scenarios.items():
        p = check_scenario(tox, target)
        row = {t("dcmp_col_scenario", lang): scenario_label(key, lang)}
        row.update({f"{t('dose', lang)} {d}": q for d, q in enumerate(p, start=1)})
        row[t("dcmp_col_correct_dose", lang)] = ", ".join(str(d) for d in target_doses(p, target))
        row[t("dcmp_col_overdose_doses", lang)] = (", ".join(str(d) for d in overdose_doses(p, target, margin))
                                                   or t("dcmp_none", lang))
        rows.append(row)
    return pd.DataFrame(rows)


def scenario_label(key: str, lang: str = "en") -> str:
    """Translated name of a scenario of :data:`DEFAULT_SCENARIOS` (other keys unchanged)."""
    return t(f"dcmp_scenario_{key}", lang) if key in DEFAULT_SCENARIOS else str(key)


def exact_vs_simulated(design: esc.Design, true_tox, n_trials: int = 10_000, seed: int | None = 2025,
                       lang: str = "en") -> pd.DataFrame:
    """Exact operating characteristics next to simulated ones, with Monte Carlo z-scores.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        A design with exact results (3+3 or an interval design).
    true_tox : sequence of float
    n_trials, seed
        Simulation size and seed.
    lang : {"en", "zh-tw"}
        Language of the quantity names.

    Returns
    -------
    pandas.DataFrame
        One row per quantity (selection of each dose, no selection, mean patients per dose, mean N) with
        columns ``quantity, exact, simulated, se, z``.  For a selection probability ``se`` is the binomial
        standard error at the exact value, :math:`\\sqrt{p(1-p)/n}`; for means it is the simulation's own
        standard error.  ``z = (simulated - exact) / se``: 0 where both are exactly equal and ``se`` is 0, NaN
        where ``se`` is 0 but the values differ (a rare event the simulated trials never showed, e.g. a trial
        stopping early, so that the simulation's standard error of the mean N is 0).

    Raises
    ------
    ValueError
        If the design has no exact results.
    """
    lang = check_lang(lang)
    if not has_exact(design):
        raise ValueError(f"{design.name} has no exact operating characteristics to compare with")
    ex = design.exact(true_tox)
    sim = esc.simulate(design, true_tox, n_trials=n_trials, seed=seed)
    k = ex.selection.size
    names = ([t("dcmp_q_select", lang, d=d) for d in range(1, k + 1)] + [t("dcmp_q_none", lang)]
             + [t("dcmp_q_patients", lang, d=d) for d in range(1, k + 1)] + [t("dcmp_q_total", lang)])
    e = np.concatenate([ex.selection, [ex.no_selection], ex.patients, [ex.total_n]])
    s = np.concatenate([sim.selection, [sim.no_selection], sim.patients, [sim.total_n]])
    se = np.concatenate([np.sqrt(e[:k + 1] * (1 - e[:k + 1]) / n_trials), sim.patients_se, [sim.total_n_se]])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (s - e) / se, np.where(np.isclose(s, e, atol=1e-12), 0.0, np.nan))
    return pd.DataFrame({"quantity": names, "exact": e, "simulated": s, "se": se, "z": z})


# ------------------------------------------------------------------------------------------------ decisions
def escalation_probability_3p3(p) -> np.ndarray:
    """Probability that the 3+3 clears a dose (escalates) whose true DLT probability is ``p``.

    .. math:: \\Pr(\\text{escalate} \\mid p) = (1-p)^3 + 3p(1-p)^5

    (0 DLTs in 3, or exactly 1 in 3 followed by 0 in the next 3).

    Examples
    --------
    >>> round(float(escalation_probability_3p3(0.3)), 4)
    0.4943
    """
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must lie in [0, 1]")
    return (1 - p) ** 3 + 3 * p * (1 - p) ** 5


def boin_move_probabilities(p, n: int, target: float = TARGET) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities that BOIN escalates and de-escalates after ``n`` patients at a dose of DLT probability ``p``.

    BOIN escalates when :math:`y \\le \\lfloor \\lambda_e n \\rfloor` and de-escalates when
    :math:`y \\ge \\lfloor \\lambda_d n \\rfloor + 1` (:func:`dosecourse.escalation.boin_boundaries`), so with
    :math:`Y \\sim \\mathrm{Bin}(n, p)` the two probabilities are binomial tail sums.  Elimination is ignored.

    Returns
    -------
    (escalate, deescalate) : ndarrays shaped like ``p``

    Examples
    --------
    >>> up, down = boin_move_probabilities(0.3, 3)
    >>> round(float(up), 3), round(float(down), 3)
    (0.343, 0.216)
    """
    n = _validate.positive_int(n, "n")
    lam_e, lam_d = esc.boin_boundaries(target)
    p = np.asarray(p, dtype=float)
    up = binom.cdf(math.floor(lam_e * n), n, p)
    down = binom.sf(math.floor(lam_d * n), n, p)
    return up, down


# ------------------------------------------------------------------------------------------------ figures
def _dose_ticks(true_tox: np.ndarray, lang: str) -> list[str]:
    return [t("dcmp_tick", lang, d=d, p=f"{q:.2f}") for d, q in enumerate(true_tox, start=1)]


def _shade(ax, comp: Comparison) -> None:
    for d in comp.correct:
        ax.axvspan(d - 1.5, d - 0.5, color=OKABE_ITO[2], alpha=0.16, lw=0, zorder=0)
    for d in comp.overdoses:
        ax.axvspan(d - 1.5, d - 0.5, color=OKABE_ITO[1], alpha=0.10, lw=0, zorder=0)


def comparison_figure(comp: Comparison, lang: str = "en", title: str | None = None) -> Figure:
    """Selection probability and mean patients per dose, one bar per design, for one scenario.

    The correct dose is shaded green and overly toxic doses vermillion; the x axis shows each dose with its true
    DLT probability.

    Parameters
    ----------
    comp : Comparison
        Output of :func:`compare`.
    lang : {"en", "zh-tw"}
    title : str, optional
        Figure title; by default the target and the method of each design.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``comp`` is not a :class:`Comparison`.
    """
    lang = check_lang(lang)
    if not isinstance(comp, Comparison):
        raise TypeError(f"comp must be a Comparison (from compare); got {type(comp).__name__}")
    k, names = comp.true_tox.size, list(comp.ocs)
    fig, (ax1, ax2) = new_figure(lang, ncols=2, figsize=(10.0, 4.2))
    width = 0.8 / len(names)
    x = np.arange(k)
    for i, name in enumerate(names):
        oc = comp.ocs[name]
        off = (i - (len(names) - 1) / 2) * width
        colour = DESIGN_COLOURS.get(name, OKABE_ITO[i % len(OKABE_ITO)])
        ax1.bar(x + off, 100 * oc.selection, width, color=colour, label=name, zorder=2)
        ax2.bar(x + off, oc.patients, width, color=colour, zorder=2)
    for ax in (ax1, ax2):
        _shade(ax, comp)
        ax.set_xticks(x, _dose_ticks(comp.true_tox, lang))
        ax.set_xlim(-0.5, k - 0.5)
        ax.grid(axis="x", visible=False)
    ax1.set_ylabel(t("dcmp_ylabel_selection", lang))
    ax1.set_ylim(0, 100)
    ax2.set_ylabel(t("dcmp_ylabel_patients", lang))
    ax1.set_title(t("dcmp_panel_selection", lang), loc="left")
    ax2.set_title(t("dcmp_panel_patients", lang), loc="left")
    fig.suptitle(title if title is not None else t("dcmp_title", lang, target=f"{comp.target:.2f}"),
                 x=0.01, ha="left")
    handles = [Patch(color=DESIGN_COLOURS.get(n, OKABE_ITO[i % len(OKABE_ITO)]), label=n)
               for i, n in enumerate(names)]
    handles += [Patch(color=OKABE_ITO[2], alpha=0.3, label=t("dcmp_leg_correct", lang)),
                Patch(color=OKABE_ITO[1], alpha=0.2,
                      label=t("dcmp_leg_overdose", lang, cut=f"{comp.target + comp.margin:.2f}"))]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=9.5)
    return fig


def summary_figure(comparisons: Mapping[str, Comparison], lang: str = "en") -> Figure:
    """Across scenarios: correct selection, patients at overly toxic doses and mean sample size, per design.

    Parameters
    ----------
    comparisons : dict
        ``{scenario key: Comparison}``; keys of :data:`DEFAULT_SCENARIOS` are translated.
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    if not comparisons:
        raise ValueError("comparisons must hold at least one scenario")
    keys = list(comparisons)
    tables = {k: comparisons[k].summary().set_index("design") for k in keys}
    names = list(dict.fromkeys(n for k in keys for n in tables[k].index))
    panels = [("pcs", 100, "dcmp_sum_pcs"), ("n_overdose", 1, "dcmp_sum_overdose"),
              ("mean_n", 1, "dcmp_sum_mean_n")]
    fig, axes = new_figure(lang, ncols=3, figsize=(11.0, 4.0))
    x = np.arange(len(keys))
    width = 0.8 / len(names)
    for ax, (col, scale, label) in zip(axes, panels):
        for i, name in enumerate(names):
            vals = [scale * tables[k].loc[name, col] if name in tables[k].index else np.nan for k in keys]
            ax.bar(x + (i - (len(names) - 1) / 2) * width, vals, width,
                   color=DESIGN_COLOURS.get(name, OKABE_ITO[i % len(OKABE_ITO)]), label=name, zorder=2)
        ax.set_xticks(x, [t(f"dcmp_tick_{k}", lang) if k in DEFAULT_SCENARIOS else str(k) for k in keys])
        ax.set_title(t(label, lang), loc="left", fontsize=11)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 100)
    handles = [Patch(color=DESIGN_COLOURS.get(n, OKABE_ITO[i % len(OKABE_ITO)]), label=n)
               for i, n in enumerate(names)]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=9.5)
    return fig


def escalation_figure(target: float = TARGET, ns: Sequence[int] = (3, 6, 12, 30), lang: str = "en") -> Figure:
    """How each rule reacts to the true DLT probability of the current dose.

    Left: probability of escalating, for the 3+3 (:func:`escalation_probability_3p3`) and for BOIN after ``n``
    patients at the dose (:func:`boin_move_probabilities`).  Right: probability that the dose is judged too
    toxic (3+3: two or more DLTs, the trial stops; BOIN: de-escalate).  BOIN's boundaries
    :math:`\\lambda_e` and :math:`\\lambda_d` and the target are marked.

    Parameters
    ----------
    target : float
    ns : sequence of int
        Numbers of patients at the dose for BOIN's curves.
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    lam_e, lam_d = esc.boin_boundaries(target)
    p = np.linspace(0.0, 0.7, 281)
    fig, (ax1, ax2) = new_figure(lang, ncols=2, figsize=(10.0, 4.2), sharey=True)
    up33 = escalation_probability_3p3(p)
    ax1.plot(p, up33, color=DESIGN_COLOURS["3+3"], lw=2.6, label="3+3")
    ax2.plot(p, 1 - up33, color=DESIGN_COLOURS["3+3"], lw=2.6, label="3+3")
    blues = plt.get_cmap("Blues")(np.linspace(0.45, 0.95, len(ns)))
    for colour, n in zip(blues, ns):
        up, down = boin_move_probabilities(p, n, target)
        ax1.plot(p, up, color=colour, lw=1.6, ls="--", label=t("dcmp_boin_n", lang, n=n))
        ax2.plot(p, down, color=colour, lw=1.6, ls="--", label=t("dcmp_boin_n", lang, n=n))
    for ax in (ax1, ax2):
        ax.axvspan(lam_e, lam_d, color=OKABE_ITO[2], alpha=0.12, lw=0)
        ax.axvline(target, color="0.35", lw=1, ls=":")
        ax.set_xlabel(t("dcmp_xlabel_p", lang))
        ax.set_xlim(0, 0.7)
        ax.set_ylim(0, 1.02)
        ax.text(target, 1.01, t("dcmp_target_mark", lang, target=f"{target:.2f}"), ha="center", va="bottom",
                fontsize=9, color="0.3", transform=ax.get_xaxis_transform())
    ax1.set_ylabel(t("dcmp_ylabel_probability", lang))
    ax1.set_title(t("dcmp_panel_escalate", lang), loc="left", pad=16)
    ax2.set_title(t("dcmp_panel_too_toxic", lang), loc="left", pad=16)
    handles, labels = ax1.get_legend_handles_labels()
    handles.append(Patch(color=OKABE_ITO[2], alpha=0.25))
    labels.append(t("dcmp_leg_boin_interval", lang, lo=f"{lam_e:.3f}", hi=f"{lam_d:.3f}"))
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=9.5)
    return fig


# ------------------------------------------------------------------------------------------------ widget
def status_html(comp: Comparison, lang: str = "en") -> str:
    """One line for the widget: the correct dose, a monotonicity flag, and the time of the computation.

    Examples
    --------
    >>> comp = compare([0.05, 0.20, 0.15, 0.45, 0.60], designs=["BOIN"])
    >>> "decrease" in status_html(comp, "en")
    True
    """
    lang = check_lang(lang)
    parts = [t("dcmp_status_correct", lang, doses=", ".join(str(d) for d in comp.correct))]
    bad = monotonicity_violations(comp.true_tox)
    if bad:
        parts.append(t("dcmp_status_not_monotone", lang, doses=", ".join(str(d) for d in bad)))
    n_sim = {oc.n_trials for oc in comp.ocs.values() if not oc.exact}
    seconds = f"{sum(comp.seconds.values()):.2f}"
    if n_sim:
        parts.append(t("dcmp_status_time", lang, seconds=seconds, n=", ".join(f"{n:,}" for n in sorted(n_sim))))
    else:
        parts.append(t("dcmp_status_time_exact", lang, seconds=seconds))
    return "<br>".join(html.escape(p) for p in parts)


def widget(lang: str = "en", true_tox: Sequence[float] = DEFAULT_SCENARIOS["mid"],
           designs: Sequence[str] = DEFAULT_DESIGNS, target: float = TARGET, n_trials: int = 10_000,
           method: str = "simulate", seed: int | None = 2025):
    """Sliders for the true DLT probability at each dose and checkboxes for the designs; the comparison redraws.

    Each change reruns :func:`compare` on the chosen designs (by default simulating every design with
    ``n_trials`` trials, so that the redraw time shows the engine's speed; a dropdown switches to exact results
    where available), redraws :func:`comparison_figure` and the summary table, and reports the correct dose, any
    decrease in the true probabilities (the designs assume monotone toxicity; the comparison still runs) and the
    time the computation took.  Python callbacks need a live kernel: in the static book the controls move but the
    output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
    true_tox : sequence of float
        Starting true DLT probabilities (one slider per dose, 0.01 to 0.90).
    designs : sequence of str
        Designs checked at the start, from :data:`DESIGN_NAMES` (all of them get a checkbox).
    target : float
    n_trials : int
        Simulated trials per design.
    method : {"simulate", "auto"}
        Starting method.
    seed : int or None

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w

    lang = check_lang(lang)
    p0 = check_scenario(true_tox, target)
    if method not in ("simulate", "auto"):
        raise ValueError(f"method must be 'simulate' or 'auto' in the widget; got {method!r}")
    pool = make_designs(p0.size, target, DESIGN_NAMES)
    layout = w.Layout(width="22em")
    sliders = [w.FloatSlider(value=float(np.clip(q, 0.01, 0.90)), min=0.01, max=0.90, step=0.01,
                             readout_format=".2f", continuous_update=False,
                             description=t("dcmp_w_dose", lang, d=d), layout=layout)
               for d, q in enumerate(p0, start=1)]
    boxes = [w.Checkbox(value=name in designs, description=name, indent=False, layout=w.Layout(width="9em"))
             for name in DESIGN_NAMES]
    how = w.Dropdown(options=[(t("dcmp_w_simulate", lang, n=f"{n_trials:,}"), "simulate"),
                              (t("dcmp_w_auto", lang), "auto")], value=method,
                     description=t("dcmp_w_method", lang), style={"description_width": "6em"},
                     layout=w.Layout(width="26em"))
    text = w.HTML()

    def render() -> list:
        chosen = {b.description: pool[b.description] for b in boxes if b.value}
        if not chosen:
            text.value = html.escape(t("dcmp_w_none", lang))
            return []
        comp = compare([s.value for s in sliders], chosen, target, how.value, n_trials, seed)
        fig = comparison_figure(comp, lang)
        text.value = status_html(comp, lang)
        return [fig, comp.to_frame(lang)]

    out = live_output((*sliders, *boxes, how), render)
    return w.VBox([w.HBox([w.VBox(sliders), w.VBox([w.HBox(boxes[:3]), w.HBox(boxes[3:]), how])]), text, out])
