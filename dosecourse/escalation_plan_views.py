"""Tables, figures and a widget for the chapter "The escalation plan as a pre-specified hypothesis".

The designs and their mathematics live in :mod:`dosecourse.escalation`; this module puts them side by side on
one five-dose grid, in the reader's language:

* :func:`make_design`: the chapter's 3+3, BOIN, CRM and accelerated-titration designs (target DLT rate 0.3,
  cohorts of three, at most 30 patients for BOIN and CRM);
* :func:`first_two_cohorts`: every outcome of the first two cohorts and the dose each design gives next, one
  column per design (the designs' own :meth:`~dosecourse.escalation.Design.pathways`, aligned);
* :func:`operating_characteristics`, :func:`oc_numbers`, :func:`oc_table`, :func:`oc_figure`: what each
  design does on a true dose-toxicity scenario, exact where the design allows it and otherwise simulated with
  a stated number of trials and seed;
* :func:`start_dose_comparison`, :func:`start_dose_figure`: the same designs started one or three levels
  below the target dose;
* :func:`sentinel_expected_reactions`, :func:`sentinel_table`: what sentinel dosing can and cannot prevent;
* :func:`class_table`: what a protocol pre-specifies for each molecular class;
* :func:`widget`: design, scenario and start dose in; pathways, decision table or protocol text, and the
  operating characteristics, out.

Every user-facing string comes from ``labels/escalation_plan_views.toml`` (and the engine's label files)
through :func:`dosecourse.i18n.t`.

References
----------
Storer BE. Design and analysis of phase I clinical trials. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
O'Quigley J, Pepe M, Fisher L. Continual reassessment method: a practical design for phase 1 clinical trials in
cancer. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
Simon R, Freidlin B, Rubinstein L, et al. Accelerated titration designs for phase I clinical trials in
oncology. J Natl Cancer Inst. 1997;89(15):1138-1147. doi:10.1093/jnci/89.15.1138
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from . import _validate
from . import escalation as esc
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure

N_DOSES: int = 5
"""Number of dose levels of the chapter's grid."""

TARGET: float = 0.3
"""Target DLT probability of BOIN and CRM."""

SEED: int = 2025
"""Seed of every simulation in the chapter."""

N_TRIALS: int = 4000
"""Simulated trials per design and scenario where no exact calculation exists (CRM)."""

CRM_HALFWIDTH: float = 0.05
"""Half-width of the indifference interval of the CRM skeleton (Lee & Cheung 2009)."""

CRM_PRIOR_MTD: int = 3
"""Prior guess of the MTD used to calibrate the CRM skeleton (the middle dose)."""

DESIGNS: tuple[str, ...] = ("tpt", "boin", "crm", "atd")
"""Design keys: 3+3, BOIN, CRM, accelerated titration."""

SCENARIOS: Mapping[str, tuple[float, ...]] = {
    "target_4": (0.03, 0.07, 0.15, 0.30, 0.45),
    "target_3": (0.05, 0.12, 0.30, 0.45, 0.60),
    "target_2": (0.12, 0.30, 0.45, 0.60, 0.75),
    "all_low": (0.02, 0.04, 0.06, 0.08, 0.10),
}
"""True DLT probabilities per dose (dose 1 first) of the chapter's scenarios; ``"target_4"`` is the default:
the dose with a DLT probability equal to the target is dose 4."""

_SUMMARY_KEYS: tuple[str, ...] = ("p_target", "p_above", "p_none", "n_below", "n_at", "n_above", "total_n",
                                  "dlts")


def design_label(key: str, lang: str = "en") -> str:
    """Name of a design of :data:`DESIGNS` in ``lang``.

    Examples
    --------
    >>> design_label("atd", "zh-tw")
    '加速滴定設計'
    """
    return t(f"epv_design_{_check_key(key)}", lang)


def _check_key(key: str) -> str:
    if key not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}; got {key!r}")
    return key


def crm_skeleton(target: float = TARGET, n_doses: int = N_DOSES) -> np.ndarray:
    """The chapter's CRM skeleton: indifference interval ``target +- 0.05``, prior MTD at dose 3.

    Examples
    --------
    >>> crm_skeleton().round(3).tolist()
    [0.123, 0.204, 0.3, 0.402, 0.501]
    """
    return esc.crm_skeleton(CRM_HALFWIDTH, target, nu=min(CRM_PRIOR_MTD, n_doses), n_doses=n_doses)


def make_design(key: str, start_dose: int = 1, target: float = TARGET, n_doses: int = N_DOSES) -> esc.Design:
    """One of the chapter's designs on the five-dose grid.

    Parameters
    ----------
    key : {"tpt", "boin", "crm", "atd"}
        3+3 (escalation-only variant), BOIN (10 cohorts of 3), CRM (empiric model, skeleton of
        :func:`crm_skeleton`, 10 cohorts of 3, no skipping, coherence) or accelerated titration (single
        patients until the first DLT, then the 3+3 with de-escalation).
    start_dose : int
        Dose (1..K) of the first cohort.
    target : float
        Target DLT probability of BOIN and CRM (ignored by the rule-based designs).
    n_doses : int
        Number of dose levels K.

    Returns
    -------
    dosecourse.escalation.Design

    Raises
    ------
    ValueError
        On an unknown key or an invalid start dose.

    Examples
    --------
    >>> make_design("boin").decision_table(6).iloc[1].tolist()
    [0, 0, 0, 0, 1, 1]
    """
    key = _check_key(key)
    if key == "tpt":
        return esc.ThreePlusThree(n_doses, start_dose=start_dose)
    if key == "boin":
        return esc.BOIN(target, n_doses, cohort_size=3, n_cohorts=10, start_dose=start_dose)
    if key == "crm":
        return esc.CRM(crm_skeleton(target, n_doses), target, cohort_size=3, n_cohorts=10, start_dose=start_dose)
    return esc.AcceleratedTitration(n_doses, start_dose=start_dose)


def target_dose(true_tox: Sequence[float], target: float = TARGET) -> int:
    """The dose (1..K) whose true DLT probability is closest to ``target`` (the lower one on a tie).

    Examples
    --------
    >>> target_dose(SCENARIOS["target_4"])
    4
    """
    tox = _validate.probabilities(true_tox, "true_tox")
    return int(np.argmin(np.abs(tox - target))) + 1


# ------------------------------------------------------------------------------------------- planning
def _move(decision: esc.Decision, lang: str) -> str:
    """A decision in a few words: 'escalate to dose 2', 'stop the trial'."""
    if decision.dose is None:
        return t("epv_move_stop", lang)
    return t(f"epv_move_{decision.action.replace('-', '')}", lang, dose=decision.dose)


def first_two_cohorts(start_dose: int = 1, keys: Sequence[str] = ("tpt", "boin", "crm"),
                      lang: str = "en") -> pd.DataFrame:
    """Every outcome of the first two cohorts of three and what each design does next.

    Parameters
    ----------
    start_dose : int
        Dose of the first cohort, the same for every design.
    keys : sequence of str
        Designs with cohorts of three (not ``"atd"``, whose first cohorts have one patient).
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per pair of DLT counts (cohort 1, cohort 2), 16 rows; one column per design.  A cell reads
        "dose of cohort 2 -> dose of cohort 3" (or the word for stop), or says that the trial stopped after
        cohort 1.  The same numbers as each design's :meth:`~dosecourse.escalation.Design.pathways`.

    Raises
    ------
    ValueError
        If a design does not treat cohorts of three.

    Examples
    --------
    >>> first_two_cohorts(lang="en").iloc[0].tolist()
    ['0/3', '0/3', '2 → 3', '2 → 3', '2 → 3']
    """
    lang = check_lang(lang)
    designs = {k: make_design(k, start_dose) for k in keys}
    for k, d in designs.items():
        if k == "atd" or d.cohort_size != 3:
            raise ValueError(f"first_two_cohorts compares designs with cohorts of three; {k!r} is not one")
    rows = []
    for y1, y2 in itertools.product(range(4), repeat=2):
        row = {t("pathway_cohort_dlts", lang, i=1): f"{y1}/3", t("pathway_cohort_dlts", lang, i=2): f"{y2}/3"}
        for k, d in designs.items():
            n, y = np.zeros(d.n_doses, dtype=np.int64), np.zeros(d.n_doses, dtype=np.int64)
            n[start_dose - 1], y[start_dose - 1] = 3, y1
            first = d.next_dose(n, y, start_dose, last_cohort=(3, y1))
            if first.dose is None:
                row[design_label(k, lang)] = t("epv_stopped_after_1", lang)
                continue
            n[first.dose - 1] += 3
            y[first.dose - 1] += y2
            second = d.next_dose(n, y, first.dose, last_cohort=(3, y2))
            after = t("pathway_stop", lang) if second.dose is None else str(second.dose)
            row[design_label(k, lang)] = f"{first.dose} → {after}"
        rows.append(row)
    return pd.DataFrame(rows)


def first_cohort_decisions(start_dose: int = 1, keys: Sequence[str] = ("tpt", "boin", "crm"),
                           lang: str = "en") -> pd.DataFrame:
    """What each design does after the first cohort of three, for 0, 1, 2 and 3 DLTs.

    Examples
    --------
    >>> first_cohort_decisions(lang="en").iloc[3].tolist()
    ['3/3', 'stop the trial', 'stop the trial', 'stay at dose 1']
    """
    lang = check_lang(lang)
    rows = []
    for y1 in range(4):
        row = {t("pathway_cohort_dlts", lang, i=1): f"{y1}/3"}
        for k in keys:
            d = make_design(k, start_dose)
            n, y = np.zeros(d.n_doses, dtype=np.int64), np.zeros(d.n_doses, dtype=np.int64)
            n[start_dose - 1], y[start_dose - 1] = 3, y1
            row[design_label(k, lang)] = _move(d.next_dose(n, y, start_dose, last_cohort=(3, y1)), lang)
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------- evaluation
@lru_cache(maxsize=64)
def _oc_cached(key: str, true_tox: tuple[float, ...], start_dose: int, target: float, n_trials: int,
               seed: int) -> esc.OperatingCharacteristics:
    design = make_design(key, start_dose, target, len(true_tox))
    try:
        return design.exact(true_tox)
    except NotImplementedError:
        return esc.simulate(design, true_tox, n_trials=n_trials, seed=seed)


def operating_characteristics(key: str, true_tox: Sequence[float] = SCENARIOS["target_4"], start_dose: int = 1,
                              target: float = TARGET, n_trials: int = N_TRIALS,
                              seed: int = SEED) -> esc.OperatingCharacteristics:
    """Operating characteristics of one of the chapter's designs: exact if possible, else simulated.

    3+3, BOIN and accelerated titration are computed exactly (every path of the trial); the CRM is simulated
    with ``n_trials`` trials and ``seed``.  Results are cached.

    Parameters
    ----------
    key : {"tpt", "boin", "crm", "atd"}
    true_tox : sequence of float
        True DLT probability per dose (default: :data:`SCENARIOS` ``["target_4"]``).
    start_dose : int
    target : float
    n_trials : int
        Simulated trials for the CRM.
    seed : int
        Seed of the CRM simulation.

    Returns
    -------
    dosecourse.escalation.OperatingCharacteristics

    Examples
    --------
    >>> oc = operating_characteristics("tpt", [0.3])
    >>> round(float(oc.selection[0]), 4)   # (1 - 0.3)^3 + 3(0.3)(1 - 0.3)^5
    0.4943
    """
    tox = tuple(float(p) for p in _validate.probabilities(true_tox, "true_tox"))
    return _oc_cached(_check_key(key), tox, int(start_dose), float(target), _validate.positive_int(n_trials, "n_trials"),
                      int(seed))


def oc_numbers(oc: esc.OperatingCharacteristics, target_dose: int) -> dict[str, float]:
    """The chapter's summary of operating characteristics around the target dose.

    Parameters
    ----------
    oc : dosecourse.escalation.OperatingCharacteristics
    target_dose : int
        The dose (1..K) whose true DLT probability equals (or is closest to) the target.

    Returns
    -------
    dict
        ``p_target`` (probability the target dose is selected), ``p_above`` (a dose above it is selected),
        ``p_none`` (no dose selected), ``n_below``, ``n_at``, ``n_above`` (mean patients treated below, at and
        above the target dose), ``total_n`` (mean sample size) and ``dlts`` (mean DLTs).

    Examples
    --------
    >>> num = oc_numbers(operating_characteristics("tpt", [0.3]), 1)
    >>> round(num["p_target"], 4), num["n_below"]
    (0.4943, 0.0)
    """
    k = oc.selection.size
    j = _validate.dose(target_dose, k, "target_dose") - 1
    return {"p_target": float(oc.selection[j]), "p_above": float(oc.selection[j + 1:].sum()),
            "p_none": float(oc.no_selection), "n_below": float(oc.patients[:j].sum()),
            "n_at": float(oc.patients[j]), "n_above": float(oc.patients[j + 1:].sum()),
            "total_n": float(oc.total_n), "dlts": float(oc.dlts.sum())}


def _method(oc: esc.OperatingCharacteristics, lang: str) -> str:
    return t("epv_exact", lang) if oc.exact else t("epv_simulated", lang, n=f"{oc.n_trials:,}")


def oc_table(ocs: Mapping[str, esc.OperatingCharacteristics], target_dose: int, lang: str = "en") -> pd.DataFrame:
    """Operating characteristics of several designs, one row each, summarised around the target dose.

    Parameters
    ----------
    ocs : mapping of str to OperatingCharacteristics
        Row label -> operating characteristics.
    target_dose : int
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        Columns: P(select target dose) and P(select a higher dose) in %, mean patients below, at and above the
        target dose, mean sample size, mean DLTs, and how the numbers were obtained (exact or simulated).

    Examples
    --------
    >>> tab = oc_table({"3+3": operating_characteristics("tpt")}, target_dose=4)
    >>> tab.columns[0]
    'Selects the target dose (%)'
    """
    lang = check_lang(lang)
    rows = {}
    for name, oc in ocs.items():
        num = oc_numbers(oc, target_dose)
        rows[name] = {t("epv_col_p_target", lang): round(100 * num["p_target"], 1),
                      t("epv_col_p_above", lang): round(100 * num["p_above"], 1),
                      t("epv_col_n_below", lang): round(num["n_below"], 2),
                      t("epv_col_n_at", lang): round(num["n_at"], 2),
                      t("epv_col_n_above", lang): round(num["n_above"], 2),
                      t("epv_col_total_n", lang): round(num["total_n"], 2),
                      t("epv_col_dlts", lang): round(num["dlts"], 2),
                      t("epv_col_method", lang): _method(oc, lang)}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = t("epv_col_design", lang)
    return frame


def default_ocs(true_tox: Sequence[float] = SCENARIOS["target_4"], start_dose: int = 1,
                keys: Sequence[str] = DESIGNS, lang: str = "en") -> dict[str, esc.OperatingCharacteristics]:
    """Operating characteristics of the chapter's designs on one scenario, keyed by design name in ``lang``.

    Examples
    --------
    >>> list(default_ocs(keys=("tpt", "boin")))
    ['3+3', 'BOIN']
    """
    lang = check_lang(lang)
    return {design_label(k, lang): operating_characteristics(k, true_tox, start_dose) for k in keys}


def oc_figure(ocs: Mapping[str, esc.OperatingCharacteristics] | None = None, target_dose: int | None = None,
              lang: str = "en", highlight: str | None = None) -> Figure:
    """Selection probabilities and mean patients per dose, one bar per design, the target dose shaded.

    Parameters
    ----------
    ocs : mapping of str to OperatingCharacteristics, optional
        Design name -> operating characteristics; by default :func:`default_ocs` in ``lang`` (the four
        designs on the default scenario, starting at dose 1).
    target_dose : int, optional
        Dose to shade; by default the dose closest to the target on the first scenario's true DLT rates.
    lang : {"en", "zh-tw"}
    highlight : str, optional
        Design name drawn with a black edge (the widget's chosen design).

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    ocs = default_ocs(lang=lang) if ocs is None else dict(ocs)
    if not ocs:
        raise ValueError("ocs must hold at least one design's operating characteristics")
    first = next(iter(ocs.values()))
    k = first.selection.size
    tdose = target_dose_from(first) if target_dose is None else _validate.dose(target_dose, k, "target_dose")
    fig, axes = new_figure(lang, ncols=2, figsize=(9.2, 4.0))
    doses = np.arange(1, k + 1)
    width = 0.8 / len(ocs)
    for i, (name, oc) in enumerate(ocs.items()):
        x = doses - 0.4 + width * (i + 0.5)
        edge = {"edgecolor": "black", "linewidth": 1.4} if name == highlight else {}
        axes[0].bar(x, 100 * oc.selection, width, color=OKABE_ITO[i % len(OKABE_ITO)], label=name, **edge)
        axes[1].bar(x, oc.patients, width, color=OKABE_ITO[i % len(OKABE_ITO)], **edge)
    for ax in axes:
        ax.axvspan(tdose - 0.5, tdose + 0.5, color="0.85", zorder=0)
        ax.set_xticks(doses, [f"{d}\n{p:.2f}" for d, p in zip(doses, first.true_tox)])
        ax.set_xlabel(t("epv_xlabel", lang))
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel(t("epv_ylabel_selection", lang))
    axes[1].set_ylabel(t("epv_ylabel_patients", lang))
    axes[0].set_title(t("epv_title_selection", lang), loc="left")
    axes[1].set_title(t("epv_title_patients", lang), loc="left")
    for ax in axes:
        ax.text(tdose, 1.0, t("epv_target_dose", lang), transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=9)
    fig.legend(loc="outside lower center", ncols=len(ocs), fontsize=9.5)
    return fig


def target_dose_from(oc: esc.OperatingCharacteristics, target: float = TARGET) -> int:
    """:func:`target_dose` of the true DLT rates stored in ``oc``."""
    return target_dose(oc.true_tox, target)


# ------------------------------------------------------------------------------------------- start dose
def start_dose_comparison(true_tox: Sequence[float] = SCENARIOS["target_4"], starts: Sequence[int] = (1, 3),
                          keys: Sequence[str] = ("tpt", "boin", "crm"),
                          lang: str = "en") -> dict[str, esc.OperatingCharacteristics]:
    """The designs started at different doses: ``{"<design>, start at dose s": OC}`` in ``lang``.

    Examples
    --------
    >>> list(start_dose_comparison(keys=("tpt",)))
    ['3+3, start at dose 1', '3+3, start at dose 3']
    """
    lang = check_lang(lang)
    return {t("epv_design_start", lang, design=design_label(k, lang), start=s):
            operating_characteristics(k, true_tox, s) for k in keys for s in starts}


def start_dose_figure(true_tox: Sequence[float] = SCENARIOS["target_4"], starts: Sequence[int] = (1, 3),
                      keys: Sequence[str] = ("tpt", "boin", "crm"), lang: str = "en") -> Figure:
    """Patients treated below the target dose and probability of selecting it, by design and start dose.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels of grouped bars: left, mean patients below the target dose; right, the probability (%) of
        selecting the target dose; one group per design, one bar per start dose.
    """
    lang = check_lang(lang)
    tdose = target_dose(true_tox)
    fig, axes = new_figure(lang, ncols=2, figsize=(9.2, 3.8))
    x = np.arange(len(keys))
    width = 0.8 / len(starts)
    for i, s in enumerate(starts):
        nums = [oc_numbers(operating_characteristics(k, true_tox, s), tdose) for k in keys]
        below = [n["n_below"] for n in nums]
        select = [100 * n["p_target"] for n in nums]
        xs = x - 0.4 + width * (i + 0.5)
        colour = OKABE_ITO[(i * 2 + 1) % len(OKABE_ITO)] if i else OKABE_ITO[0]
        label = t("epv_start_label", lang, start=s, target=tdose)
        axes[0].bar(xs, below, width, color=colour, label=label)
        axes[1].bar(xs, select, width, color=colour)
        for ax, values, fmt in ((axes[0], below, "{:.1f}"), (axes[1], select, "{:.0f}%")):
            for xv, v in zip(xs, values):
                ax.text(xv, v, fmt.format(v), ha="center", va="bottom", fontsize=9)
    for ax in axes:
        ax.set_xticks(x, [design_label(k, lang) for k in keys])
        ax.grid(axis="x", visible=False)
    axes[0].set_title(t("epv_title_below", lang, dose=tdose), loc="left")
    axes[1].set_title(t("epv_title_select_target", lang, dose=tdose), loc="left")
    axes[0].set_ylabel(t("epv_ylabel_patients", lang))
    axes[1].set_ylabel(t("epv_ylabel_selection", lang))
    axes[1].set_ylim(0, 100)
    fig.legend(loc="outside lower center", ncols=len(starts), fontsize=9.5)
    return fig


# ------------------------------------------------------------------------------------------- sentinel dosing
def sentinel_expected_reactions(q: float, cohort_size: int = 3, sentinels: int = 1) -> float:
    """Expected number of patients of a cohort who have an acute reaction, with or without sentinel dosing.

    Parameters
    ----------
    q : float
        Probability, in [0, 1], that a patient has an acute reaction that shows within the sentinel
        observation period; independent between patients.
    cohort_size : int
        Patients in the cohort.
    sentinels : int
        Patients dosed first (0 for no sentinel dosing, i.e. the whole cohort dosed together).  The others are
        dosed only if none of the sentinels reacts.

    Returns
    -------
    float

    Notes
    -----
    .. math:: E = s\\,q + (1 - q)^s (c - s)\\,q

    With ``s = 0`` this is :math:`c\\,q`.  The saving, :math:`(c - s)\\,q\\,[1 - (1 - q)^s]`, is large only when
    ``q`` is large: sentinel dosing protects the rest of the cohort against a reaction that the dose makes
    likely (as with the first dose of a potent immune agonist), not against a rare idiosyncratic one, and not
    against toxicity that appears after the observation period.

    Examples
    --------
    >>> sentinel_expected_reactions(1.0), sentinel_expected_reactions(1.0, sentinels=0)
    (1.0, 3.0)
    >>> round(sentinel_expected_reactions(0.1), 3)
    0.28
    """
    q = float(q)
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must be a probability in [0, 1]; got {q!r}")
    c = _validate.positive_int(cohort_size, "cohort_size")
    if not isinstance(sentinels, (int, np.integer)) or not 0 <= sentinels <= c:
        raise ValueError(f"sentinels must be a whole number from 0 to cohort_size = {c}; got {sentinels!r}")
    s = int(sentinels)
    return s * q + (1 - q) ** s * (c - s) * q


def sentinel_table(qs: Sequence[float] = (0.05, 0.2, 0.5, 1.0), cohort_size: int = 3,
                   lang: str = "en") -> pd.DataFrame:
    """Expected patients with an acute reaction per cohort, dosed together or after one sentinel.

    Examples
    --------
    >>> sentinel_table((1.0,), lang="en").iloc[0].tolist()
    [1.0, 3.0, 1.0, 2.0]
    """
    lang = check_lang(lang)
    rows = []
    for q in qs:
        together = sentinel_expected_reactions(q, cohort_size, 0)
        sentinel = sentinel_expected_reactions(q, cohort_size, 1)
        rows.append({t("epv_col_q", lang): q, t("epv_col_together", lang, c=cohort_size): round(together, 3),
                     t("epv_col_sentinel", lang): round(sentinel, 3),
                     t("epv_col_spared", lang): round(together - sentinel, 3)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------- molecular classes
CLASSES: tuple[str, ...] = ("small", "antagonist", "agonist", "limited")
"""Molecular classes of the pre-specification table (Zhu et al., CPT 2025)."""


def class_table(lang: str = "en") -> pd.DataFrame:
    """What an escalation protocol pre-specifies for each molecular class, in ``lang``.

    Returns
    -------
    pandas.DataFrame
        One row per class: the class, where the starting dose comes from, the escalation features, and the
        observation that changes the next decision.

    Examples
    --------
    >>> class_table("en").shape
    (4, 4)
    """
    lang = check_lang(lang)
    cols = ("class", "start", "escalation", "observation")
    return pd.DataFrame([{t(f"epv_cls_col_{c}", lang): t(f"epv_cls_{k}_{c}", lang) for c in cols} for k in CLASSES])


# ------------------------------------------------------------------------------------------- widget
def plan_view(key: str, view: str = "pathways", start_dose: int = 1, lang: str = "en"):
    """The pre-specified plan of one design: ``"pathways"`` (next two cohorts), ``"table"`` (decision table)
    or ``"protocol"`` (the design's protocol text).

    Examples
    --------
    >>> plan_view("tpt", "table").shape
    (5, 2)
    """
    lang = check_lang(lang)
    design = make_design(key, start_dose)
    if view == "pathways":
        return design.pathways(2, lang=lang)
    if view == "table":
        if key == "crm":
            return pd.DataFrame({t("epv_col_note", lang): [t("epv_crm_no_table", lang)]})
        return design.decision_table(max_n=12, lang=lang) if key == "boin" else design.decision_table(lang=lang)
    if view == "protocol":
        return design.describe(lang)
    raise ValueError(f"view must be 'pathways', 'table' or 'protocol'; got {view!r}")


def widget(lang: str = "en", *, design: str = "boin", scenario: str = "target_4", start_dose: int = 1,
           view: str = "pathways"):
    """Design, true toxicity scenario and start dose in; the pre-specified plan and what it does, out.

    A dropdown chooses the design, one the scenario of :data:`SCENARIOS`, one the start dose and one what to
    show of the plan (dose transition pathways of the next two cohorts, the decision table, or the protocol
    text).  Below, the operating characteristics of the chosen design (exact, or simulated with
    :data:`N_TRIALS` trials and seed :data:`SEED` for the CRM) and :func:`oc_figure` for all four designs on
    the same scenario and start.  Python callbacks need a live kernel: in the static book the controls move
    but the output does not change.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w
    from IPython.display import display

    lang = check_lang(lang)
    style = {"description_width": "9em"}
    layout = w.Layout(width="30em")
    d_box = w.Dropdown(options=[(design_label(k, lang), k) for k in DESIGNS], value=_check_key(design),
                       description=t("epv_w_design", lang), style=style, layout=layout)
    s_box = w.Dropdown(options=[(t(f"epv_scenario_{k}", lang, tox=", ".join(f"{p:.2f}" for p in v)), k)
                                for k, v in SCENARIOS.items()], value=scenario,
                       description=t("epv_w_scenario", lang), style=style, layout=layout)
    st_box = w.Dropdown(options=list(range(1, N_DOSES + 1)), value=start_dose,
                        description=t("epv_w_start", lang), style=style, layout=layout)
    v_box = w.Dropdown(options=[(t(f"epv_w_view_{v}", lang), v) for v in ("pathways", "table", "protocol")],
                       value=view, description=t("epv_w_view", lang), style=style, layout=layout)
    plan_out, oc_out, fig_out = w.Output(), w.Output(), w.Output()

    def redraw(_change=None) -> None:
        tox = SCENARIOS[s_box.value]
        shown = plan_view(d_box.value, v_box.value, st_box.value, lang)
        with plan_out:
            plan_out.clear_output(wait=True)
            if isinstance(shown, str):
                print(shown)
            else:
                display(shown)
        ocs = default_ocs(tox, st_box.value, lang=lang)
        chosen = design_label(d_box.value, lang)
        with oc_out:
            oc_out.clear_output(wait=True)
            display(oc_table({chosen: ocs[chosen]}, target_dose(tox), lang))
        fig = oc_figure(ocs, target_dose(tox), lang, highlight=chosen)
        with fig_out:
            fig_out.clear_output(wait=True)
            display(fig)
        plt.close(fig)

    for c in (d_box, s_box, st_box, v_box):
        c.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([w.VBox([d_box, s_box]), w.VBox([st_box, v_box])]), plan_out, oc_out, fig_out])
