"""Figures, tables, widget and numbers of the chapter "Escalation designs compared" (``explore/designs-compared``).

The designs are those of :func:`dosecourse.escalation.make_design` (3+3 as protocols write it, with six patients at
the declared MTD; BOIN, keyboard, CRM; mTPI-2 in an exercise), set up alike on five doses with a target DLT rate
of 0.30.  Every operating characteristic is exact (:meth:`~dosecourse.escalation.Design.operating_characteristics`,
``method="auto"``: every design here, the CRM included, enumerates its trial) and every measure comes from
:meth:`~dosecourse.escalation.OperatingCharacteristics.summary`, with the correct, acceptable and overly toxic
doses of :mod:`dosecourse.escalation.scenarios`.  The check of the simulators against the exact values is
:mod:`dosecourse.simulation_check`; the probabilities of each rule's moves are
:mod:`dosecourse.escalation.move_probabilities`.

* :data:`SCENARIOS`, :func:`scenario_table`: the three scenarios (true MTD in the middle, at the top, near the
  bottom of the dose range);
* :func:`operating_characteristics`, :func:`summaries`, :func:`comparison_table`, :func:`summary_table`: what
  each design does on a scenario (cached, so that the notebook and :func:`numbers` never compute the same thing
  twice);
* :func:`comparison_figure`, :func:`summary_figure`, :func:`escalation_figure`: the figures;
* :func:`exact_vs_simulated`: the check table of one design on one scenario;
* :data:`widget`, :func:`curve`: the comparison on a two-parameter dose-toxicity curve;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_designs_compared.py``).

Why the widget looks as it does
-------------------------------
The previous widget had one slider per dose (five sliders of 90 steps), five design checkboxes and a method menu:
about :math:`10^{10}` settings, which no static site can precompute, and most of them teach nothing new (a
reader moved one dose and watched noise).  The comparison is governed by two features of the truth: **where** the
true MTD lies on the dose grid, and **how steeply** toxicity rises around it (how different the neighbouring doses
are).  The widget therefore sets the true DLT probabilities by a two-parameter logistic curve in the dose level
(:func:`curve`): the location of the true MTD (the dose whose DLT probability equals the target: 1 to 5 on the
site, in half steps in Jupyter) and the steepness (the log odds ratio of a DLT per dose level: 0.5, 1.0 or 1.5 on
the site).  The four designs are always shown, with exact results, so that every difference on screen is a real
difference and not Monte Carlo noise.  That is 15 settings per language (15 figures and 15 tables), far inside
the site budget, and they still show the chapter's lessons: the 3+3 selects the MTD far less often than the other
designs wherever the MTD lies, and selects no dose at all in about half the trials when the MTD is dose 1 (where
the CRM, with no stopping rule, never stops); a shallow curve (neighbours close to the target) lowers correct
selection for every design; and on a steep curve BOIN matches the CRM with fewer patients at overly toxic doses, so
that no design is best everywhere.

Every user-facing string comes from ``labels/chapters/designs_compared.toml``.

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

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import _validate, simulation_check
from .. import escalation as esc
from ..i18n import check_lang, t
from . import style
from .widgets import LiveWidget, Part, Slider

N_DOSES: int = 5
"""Number of dose levels."""

TARGET: float = 0.30
"""Target DLT probability of every design, and of the summaries."""

BAND: float = 0.05
"""Half-width of the acceptable band around the target (:func:`dosecourse.escalation.acceptable_doses`)."""

MARGIN: float = 0.10
"""Overdose margin: a dose is overly toxic above target + margin (:func:`dosecourse.escalation.overdose_doses`)."""

DESIGNS: tuple[str, ...] = ("3+3", "BOIN", "Keyboard", "CRM")
"""The designs compared (keys of :data:`dosecourse.escalation.DESIGNS`), in the order they are shown."""

SCENARIOS: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "mid": (0.05, 0.12, 0.30, 0.45, 0.60),
    "high": (0.02, 0.06, 0.10, 0.18, 0.30),
    "low": (0.12, 0.30, 0.48, 0.60, 0.70),
})
"""The chapter's scenarios (five doses, target 0.30): the true MTD is dose 3, dose 5 and dose 2."""

EXERCISE_SCENARIO: tuple[float, ...] = (0.05, 0.12, 0.20, 0.45, 0.60)
"""Exercise 1: the first scenario with dose 3 at 0.20 instead of 0.30."""

N_TRIALS: int = 10_000
"""Simulated trials of each check of a simulator against the exact values."""

SEED: int = _validate.DEFAULT_SEED
"""Seed of the check table; the checks over every design and scenario use SEED, SEED + 1, ..."""

GLUE_KEYS: Mapping[str, str] = MappingProxyType({"3+3": "33", "BOIN": "boin", "Keyboard": "kb", "CRM": "crm"})
"""Short name of each design in the glue names of :func:`numbers`."""

DESIGN_COLOURS: Mapping[str, str] = MappingProxyType({"3+3": style.BLACK, "BOIN": style.BLUE,
                                                      "Keyboard": style.SKY, "mTPI-2": style.PURPLE,
                                                      "CRM": style.ORANGE})
"""One colour per design (Okabe-Ito), the same in every figure."""

WIDGET_MTD: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0)
"""Locations of the true MTD on the widget's site grid."""

WIDGET_STEEPNESS: tuple[float, ...] = (0.5, 1.0, 1.5)
"""Steepness (log odds ratio per dose level) on the widget's site grid."""


# ------------------------------------------------------------------------------------------------ scenarios
def _scenario(true_tox) -> tuple[float, ...]:
    p = esc.check_scenario(_validate.probabilities(true_tox, "true_tox", length=N_DOSES))
    return tuple(float(v) for v in p)


def _designs(designs: Sequence[str]) -> tuple[str, ...]:
    _validate.instance(designs, "designs", (list, tuple))
    _validate.integer(len(designs), "the number of designs", minimum=1, maximum=len(esc.DESIGNS))
    return tuple(_validate.one_of(d, "designs", esc.DESIGNS) for d in designs)


def curve(mtd: float, steepness: float, *, target: float = TARGET, n_doses: int = N_DOSES) -> tuple[float, ...]:
    """True DLT probabilities on a two-parameter logistic curve in the dose level (the widget's scenario).

    Parameters
    ----------
    mtd : float
        Location of the true MTD: the (possibly fractional) dose level whose DLT probability equals ``target``,
        between 0 and ``n_doses + 1``.
    steepness : float
        Log odds ratio of a DLT per dose level, in (0, 5].
    target : float
        Target DLT probability.
    n_doses : int
        Number of dose levels.

    Returns
    -------
    tuple of float
        The DLT probability of doses 1..K.

    Raises
    ------
    ValueError, TypeError
        On a location outside [0, K + 1], a steepness outside (0, 5] or an invalid target or K.

    Notes
    -----
    .. math:: \\operatorname{logit} p_d = \\operatorname{logit}(\\text{target}) + \\beta\\,(d - m),

    so :math:`p_m` = target and the odds of a DLT are multiplied by :math:`e^{\\beta}` per level.

    Examples
    --------
    >>> [round(p, 3) for p in curve(3, 1.0)]
    [0.055, 0.136, 0.3, 0.538, 0.76]
    """
    k = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
    m = _validate.number(mtd, "mtd", minimum=0.0, maximum=k + 1.0)
    beta = _validate.number(steepness, "steepness", minimum=0.0, strict_minimum=True, maximum=5.0)
    phi = _validate.probability(target, "target")
    logit = math.log(phi / (1.0 - phi)) + beta * (np.arange(1, k + 1) - m)
    return tuple(float(v) for v in 1.0 / (1.0 + np.exp(-logit)))


@lru_cache(maxsize=128)
def _design(key: str) -> esc.Design:
    return esc.make_design(key, N_DOSES, TARGET)


@lru_cache(maxsize=256)
def _oc(key: str, tox: tuple[float, ...]) -> esc.OperatingCharacteristics:
    return _design(key).operating_characteristics(tox, method="auto")


@lru_cache(maxsize=32)
def _simulated(key: str, tox: tuple[float, ...], n_trials: int, seed: int) -> esc.OperatingCharacteristics:
    return _design(key).simulate(tox, n_trials=n_trials, seed=seed).summary()


def operating_characteristics(true_tox, designs: Sequence[str] = DESIGNS) -> dict[str, esc.OperatingCharacteristics]:
    """Each design's exact operating characteristics on one scenario (cached).

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability of each of the five doses (a decrease with dose is allowed; the designs assume none).
    designs : sequence of str
        Keys of :data:`dosecourse.escalation.DESIGNS`; each is ``esc.make_design(key, 5, 0.30)``.

    Returns
    -------
    dict
        ``{key: OperatingCharacteristics}`` in the order of ``designs``, exact for every design.

    Raises
    ------
    ValueError, TypeError
        On an invalid scenario or an unknown design.

    Examples
    --------
    >>> ocs = operating_characteristics(SCENARIOS["mid"], ["3+3", "CRM"])
    >>> [(k, oc.exact) for k, oc in ocs.items()]
    [('3+3', True), ('CRM', True)]
    """
    tox = _scenario(true_tox)
    return {key: _oc(key, tox) for key in _designs(designs)}


def summaries(true_tox, designs: Sequence[str] = DESIGNS) -> dict[str, esc.Summary]:
    """:meth:`~dosecourse.escalation.OperatingCharacteristics.summary` of each design at the target, with the
    chapter's band and margin.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability of each of the five doses, each in (0, 1).
    designs : sequence of str
        Keys of :data:`dosecourse.escalation.DESIGNS` (default :data:`DESIGNS`, the four of the chapter).

    Returns
    -------
    dict
        ``{key: Summary}`` in the order of ``designs``, with target :data:`TARGET`, band :data:`BAND` and margin
        :data:`MARGIN`.

    Examples
    --------
    >>> s = summaries(SCENARIOS["mid"])["BOIN"]
    >>> s.correct, round(s.pcs, 3), round(s.n_overdose, 2)
    ((3,), 0.579, 5.85)
    """
    return {key: oc.summary(target=TARGET, band=BAND, margin=MARGIN)
            for key, oc in operating_characteristics(true_tox, designs).items()}


def scenario_label(key: str, lang: str = "en") -> str:
    """Name of a scenario of :data:`SCENARIOS` in ``lang``.

    Parameters
    ----------
    key : str
        A key of :data:`SCENARIOS` (``"mid"``, ``"high"``, ...).
    lang : {"en", "zh-tw"}
        Language of the name (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> scenario_label("high", "zh-tw")
    'MTD 在劑量 5'
    """
    return t(f"dcmp_scenario_{_validate.one_of(key, 'key', tuple(SCENARIOS))}", check_lang(lang))


def _doses(doses: np.ndarray, lang: str) -> str:
    return ", ".join(str(int(d)) for d in doses) or t("dcmp_none", lang)


def scenario_table(lang: str = "en") -> pd.DataFrame:
    """The scenarios as a table: true DLT probability per dose, the correct dose and the overly toxic doses.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the scenario names and column names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        One row per scenario of :data:`SCENARIOS`: its name, the true DLT probability of each dose, and the
        correct and overly toxic doses as text.

    Examples
    --------
    >>> scenario_table(lang="en").iloc[0, -2:].tolist()
    ['3', '4, 5']
    """
    lang = check_lang(lang)
    rows = []
    for key, tox in SCENARIOS.items():
        row = {t("dcmp_col_scenario", lang): scenario_label(key, lang)}
        row.update({f"{t('dose', lang)} {d}": q for d, q in enumerate(tox, start=1)})
        row[t("dcmp_col_correct_dose", lang)] = _doses(esc.correct_doses(tox, TARGET), lang)
        row[t("dcmp_col_overdose_doses", lang)] = _doses(esc.overdose_doses(tox, TARGET, MARGIN), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def _method(s: esc.Summary, lang: str) -> str:
    return t("dcmp_method_exact", lang) if s.exact else t("dcmp_method_simulated", lang, n=f"{s.n_trials:,}")


def comparison_table(true_tox, designs: Sequence[str] = DESIGNS, lang: str = "en") -> pd.DataFrame:
    """One row per design on one scenario: the measures of :class:`~dosecourse.escalation.Summary`, readable.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability of each of the five doses.
    designs : sequence of str
        Keys of :data:`dosecourse.escalation.DESIGNS`.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        Design, method, correct, acceptable and overly toxic selection and no selection (%), patients at the
        correct dose (% of the sample size), mean patients at overly toxic doses, mean sample size and the mean
        true DLT probability of the selected dose.

    Raises
    ------
    ValueError, TypeError
        On an invalid scenario or an unknown design.

    Examples
    --------
    >>> comparison_table(SCENARIOS["mid"], ["3+3"]).iloc[0, 2]
    29.7
    """
    lang = check_lang(lang)
    rows = []
    for key, s in summaries(true_tox, designs).items():
        rows.append({t("dcmp_col_design", lang): esc.design_label(key, lang),
                     t("dcmp_col_method", lang): _method(s, lang),
                     t("dcmp_col_pcs", lang): round(100 * s.pcs, 1),
                     t("dcmp_col_acceptable", lang): round(100 * s.acceptable, 1),
                     t("dcmp_col_select_overdose", lang): round(100 * s.select_overdose, 1),
                     t("dcmp_col_no_selection", lang): round(100 * s.no_selection, 1),
                     t("dcmp_col_pct_target", lang): round(100 * s.n_at / s.total_n, 1),
                     t("dcmp_col_n_overdose", lang): round(s.n_overdose, 2),
                     t("dcmp_col_mean_n", lang): round(s.total_n, 1),
                     t("dcmp_col_tox_selected", lang): (np.nan if s.tox_selected is None
                                                        else round(s.tox_selected, 3))})
    return pd.DataFrame(rows)


def summary_table(lang: str = "en") -> pd.DataFrame:
    """:func:`comparison_table` of every scenario of :data:`SCENARIOS`, stacked, with a first column naming it.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        One row per scenario and design of :data:`DESIGNS`.

    Examples
    --------
    >>> summary_table().shape
    (12, 11)
    """
    lang = check_lang(lang)
    frames = []
    for key, tox in SCENARIOS.items():
        frame = comparison_table(tox, lang=lang)
        frame.insert(0, t("dcmp_col_scenario", lang), scenario_label(key, lang))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def exact_vs_simulated(design: str = "BOIN", scenario: str = "mid", *, n_trials: int = N_TRIALS,
                       seed: int = SEED, lang: str = "en") -> pd.DataFrame:
    """:func:`dosecourse.simulation_check.agreement` of one design on one of :data:`SCENARIOS`: exact values next to
    ``n_trials`` simulated trials, with z-scores (both cached).

    Parameters
    ----------
    design : str
        A key of :data:`dosecourse.escalation.DESIGNS` (default ``"BOIN"``).
    scenario : str
        A key of :data:`SCENARIOS` (default ``"mid"``).
    n_trials : int
        Simulated trials (default :data:`N_TRIALS`).
    seed : int
        Seed of the simulation, >= 0 (default :data:`SEED`).
    lang : {"en", "zh-tw"}
        Language of the quantity names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        One row per quantity, columns :data:`dosecourse.simulation_check.COLUMNS`.

    Raises
    ------
    ValueError, TypeError
        On an unknown design or scenario, or an invalid ``n_trials`` or ``seed``.

    Examples
    --------
    >>> table = exact_vs_simulated(n_trials=2000)
    >>> round(float(table.loc[2, "exact"]), 4)
    0.5794
    """
    key = _validate.one_of(design, "design", esc.DESIGNS)
    tox = SCENARIOS[_validate.one_of(scenario, "scenario", tuple(SCENARIOS))]
    count, used = _validate.n_trials(n_trials), _validate.integer(seed, "seed", minimum=0)
    return simulation_check.agreement(_oc(key, tox), _simulated(key, tox, count, used), lang)


# ------------------------------------------------------------------------------------------------ figures
def _dose_ticks(tox: Sequence[float]) -> list[str]:
    return [f"{d}\n{q:.2f}" for d, q in enumerate(tox, start=1)]


def _shade(ax, tox: Sequence[float], offset: float) -> None:
    """Shade the correct dose green and the overly toxic doses vermillion (doses at x = d - offset)."""
    for d in esc.correct_doses(tox, TARGET):
        ax.axvspan(d - offset - 0.5, d - offset + 0.5, color=style.GREEN, alpha=0.16, lw=0, zorder=0)
    for d in esc.overdose_doses(tox, TARGET, MARGIN):
        ax.axvspan(d - offset - 0.5, d - offset + 0.5, color=style.VERMILLION, alpha=0.10, lw=0, zorder=0)


def _legend_handles(names: Sequence[str], lang: str) -> list[Patch]:
    handles = [Patch(color=DESIGN_COLOURS[k], label=esc.design_label(k, lang)) for k in names]
    handles += [Patch(color=style.GREEN, alpha=0.3, label=t("dcmp_leg_correct", lang)),
                Patch(color=style.VERMILLION, alpha=0.2, label=t("dcmp_leg_overdose", lang,
                                                                 cut=f"{TARGET + MARGIN:.2f}"))]
    return handles


@style.course_figure
def comparison_figure(true_tox, designs: Sequence[str] = DESIGNS, *, title: str | None = None,
                      lang: str = "en") -> Figure:
    """Selection probability and mean patients per dose, one bar per design, with the truth drawn in.

    Left, how often each design selects each dose, with the true DLT probability of each dose drawn on the same
    percentage scale (grey line) against the target (dashed); right, how many patients each design treats at each
    dose.  The correct dose is shaded green and overly toxic doses vermillion; the x axes show each dose with its
    true DLT probability.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability of each of the five doses.
    designs : sequence of str
        Keys of :data:`dosecourse.escalation.DESIGNS` with a colour in :data:`DESIGN_COLOURS`.
    title : str, optional
        Figure title; by default the target.
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        On an invalid scenario or an unknown design.
    """
    ocs = operating_characteristics(true_tox, designs)
    names = [k for k in ocs if _validate.one_of(k, "designs", tuple(DESIGN_COLOURS))]
    tox = _scenario(true_tox)
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(10.0, 4.2))
    x = np.arange(N_DOSES)
    width = 0.8 / len(names)
    for i, key in enumerate(names):
        oc = ocs[key]
        off = (i - (len(names) - 1) / 2) * width
        ax1.bar(x + off, 100 * oc.selection, width, color=DESIGN_COLOURS[key], zorder=2)
        ax2.bar(x + off, oc.patients, width, color=DESIGN_COLOURS[key], zorder=2)
    ax1.plot(x, 100 * np.array(tox), "o-", color=style.GREY_DARK, lw=1.4, ms=4, zorder=3)
    ax1.axhline(100 * TARGET, color=style.GREY_DARK, lw=0.9, ls="--", zorder=3)
    for ax in (ax1, ax2):
        _shade(ax, tox, offset=1.0)
        ax.set_xticks(x, _dose_ticks(tox))
        ax.set_xlabel(t("dcmp_xlabel_dose", lang))
        ax.set_xlim(-0.5, N_DOSES - 0.5)
        ax.grid(axis="x", visible=False)
    ax1.set_ylabel(t("dcmp_ylabel_selection", lang))
    ax1.set_ylim(0, 100)
    ax2.set_ylabel(t("dcmp_ylabel_patients", lang))
    ax1.set_title(t("dcmp_panel_selection", lang), loc="left")
    ax2.set_title(t("dcmp_panel_patients", lang), loc="left")
    fig.suptitle(title if title is not None else t("dcmp_title", lang, target=f"{TARGET:.2f}"), x=0.01,
                 ha="left", fontsize=style.TITLE_SIZE)
    handles = _legend_handles(names, lang)
    handles.append(Line2D([], [], color=style.GREY_DARK, marker="o", ms=4, lw=1.4,
                          label=t("dcmp_leg_truth", lang, target=f"{100 * TARGET:.0f}")))
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    return fig


@style.course_figure
def summary_figure(lang: str = "en") -> Figure:
    """Across the scenarios of :data:`SCENARIOS`: correct selection, patients at overly toxic doses and mean
    sample size, one bar per design.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label in the figure (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    tables = {key: summaries(tox) for key, tox in SCENARIOS.items()}
    panels = [("pcs", 100, "dcmp_sum_pcs"), ("n_overdose", 1, "dcmp_sum_overdose"),
              ("total_n", 1, "dcmp_sum_mean_n")]
    fig, axes = style.new_figure(ncols=3, figsize=(11.0, 4.0))
    x = np.arange(len(SCENARIOS))
    width = 0.8 / len(DESIGNS)
    for ax, (field, scale, label) in zip(axes, panels):
        for i, key in enumerate(DESIGNS):
            values = [scale * getattr(tables[s][key], field) for s in SCENARIOS]
            ax.bar(x + (i - (len(DESIGNS) - 1) / 2) * width, values, width, color=DESIGN_COLOURS[key], zorder=2)
        ax.set_xticks(x, [t(f"dcmp_tick_{s}", lang) for s in SCENARIOS])
        ax.set_title(t(label, lang), loc="left", fontsize=style.FONT_SIZE)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 100)
    handles = [Patch(color=DESIGN_COLOURS[k], label=esc.design_label(k, lang)) for k in DESIGNS]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


@style.course_figure
def escalation_figure(target: float = TARGET, ns: Sequence[int] = (3, 6, 12, 30), *, lang: str = "en") -> Figure:
    """How each rule reacts to the true DLT probability of the current dose.

    Left: probability of escalating, for the 3+3 (:func:`dosecourse.escalation.three_plus_three_escalation`) and
    for BOIN after ``n`` patients at the dose (:func:`dosecourse.escalation.boin_move_probabilities`).  Right:
    probability that the dose is judged too toxic (3+3: two or more DLTs, the trial stops; BOIN: de-escalate).
    BOIN's "stay" interval between :math:`\\lambda_e` and :math:`\\lambda_d`, and the target, are marked.

    Parameters
    ----------
    target : float
        Target DLT probability of BOIN.
    ns : sequence of int
        Numbers of patients at the dose for BOIN's curves (one to six curves).
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        On an invalid target or numbers of patients.
    """
    target = _validate.probability(target, "target")
    counts = _validate.whole_array(ns, "ns", minimum=1, ndim=1)
    _validate.integer(counts.size, "the number of ns", minimum=1, maximum=6)
    for n in counts:
        _validate.positive_int(int(n), "ns", maximum=_validate.MAX_PATIENTS)
    lam_e, lam_d = esc.boin_boundaries(target)
    p = np.linspace(0.0, 0.7, 281)
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(10.0, 4.2), sharey=True)
    up33 = esc.three_plus_three_escalation(p)
    ax1.plot(p, up33, color=DESIGN_COLOURS["3+3"], lw=2.6, label="3+3")
    ax2.plot(p, 1 - up33, color=DESIGN_COLOURS["3+3"], lw=2.6, label="3+3")
    blues = matplotlib.colormaps["Blues"](np.linspace(0.45, 0.95, counts.size))
    for colour, n in zip(blues, counts):
        moves = esc.boin_move_probabilities(p, int(n), target)
        ax1.plot(p, moves.escalate, color=colour, lw=1.6, ls="--", label=t("dcmp_boin_n", lang, n=int(n)))
        ax2.plot(p, moves.deescalate, color=colour, lw=1.6, ls="--", label=t("dcmp_boin_n", lang, n=int(n)))
    for ax in (ax1, ax2):
        ax.axvspan(lam_e, lam_d, color=style.GREEN, alpha=0.12, lw=0)
        ax.axvline(target, color=style.GREY_DARK, lw=1, ls=":")
        ax.set_xlabel(t("dcmp_xlabel_p", lang))
        ax.set_xlim(0, 0.7)
        ax.set_ylim(0, 1.02)
        ax.text(target, 1.01, t("dcmp_target_mark", lang, target=f"{target:.2f}"), ha="center", va="bottom",
                fontsize=style.TINY_SIZE, color=style.GREY_DARK, transform=ax.get_xaxis_transform())
    ax1.set_ylabel(t("dcmp_ylabel_probability", lang))
    ax1.set_title(t("dcmp_panel_escalate", lang), loc="left", pad=16)
    ax2.set_title(t("dcmp_panel_too_toxic", lang), loc="left", pad=16)
    handles, labels = ax1.get_legend_handles_labels()
    handles.append(Patch(color=style.GREEN, alpha=0.25))
    labels.append(t("dcmp_leg_boin_interval", lang, lo=f"{lam_e:.3f}", hi=f"{lam_d:.3f}"))
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    return fig


# ------------------------------------------------------------------------------------------------ widget
def _widget_title(lang: str, mtd: float, steepness: float) -> str:
    return t("dcmp_w_title", lang, mtd=f"{mtd:g}", beta=f"{steepness:g}", ratio=f"{math.exp(steepness):.1f}")


def _widget_figure(lang: str, mtd: float, steepness: float) -> Figure:
    return comparison_figure(curve(mtd, steepness), title=_widget_title(lang, mtd, steepness), lang=lang)


def _widget_table(lang: str, mtd: float, steepness: float) -> pd.DataFrame:
    return comparison_table(curve(mtd, steepness), lang=lang)


def figure_alt(true_tox, lang: str = "en") -> str:
    """The alt text of :func:`comparison_figure` of the four designs: the scenario and each design's correct
    selection, patients at overly toxic doses and sample size.

    Parameters
    ----------
    true_tox : sequence of float
        True DLT probability of each of the five doses, each in (0, 1).
    lang : {"en", "zh-tw"}
        Language of the text (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> "BOIN 57.9%" in figure_alt(SCENARIOS["mid"])
    True
    """
    lang = check_lang(lang)
    tox = _scenario(true_tox)
    s = summaries(tox)
    sep = t("dcmp_alt_sep", lang)

    def each(fmt: str, field: str, scale: float = 1.0) -> str:
        return sep.join(f"{esc.design_label(k, lang)} {fmt.format(scale * getattr(s[k], field))}" for k in DESIGNS)

    listed = t("dcmp_list_sep", lang)

    def doses(values: np.ndarray) -> str:
        return listed.join(str(int(d)) for d in values) or t("dcmp_none", lang)

    return t("dcmp_alt", lang, tox=listed.join(f"{p:.2f}" for p in tox), correct=doses(esc.correct_doses(tox, TARGET)),
             over=doses(esc.overdose_doses(tox, TARGET, MARGIN)), pcs=each("{:.1f}%", "pcs", 100),
             nod=each("{:.1f}", "n_overdose"), mean_n=each("{:.1f}", "total_n"))


def _widget_alt(lang: str, values: Mapping) -> str:
    return (_widget_title(lang, values["mtd"], values["steepness"]) + t("dcmp_alt_sep", lang)
            + figure_alt(curve(values["mtd"], values["steepness"]), lang))


widget = LiveWidget(
    "designs_compared",
    controls=(
        Slider("mtd", "dcmp_w_mtd", 1.0, 5.0, 0.5, value=3.0, site=WIDGET_MTD, fmt="{:g}"),
        Slider("steepness", "dcmp_w_steepness", 0.25, 2.0, 0.25, value=1.0, site=WIDGET_STEEPNESS, fmt="{:.2f}"),
    ),
    parts=(Part(_widget_figure, ("mtd", "steepness"), alt=_widget_alt),
           Part(_widget_table, ("mtd", "steepness"))),
    columns=2,
)
"""Location of the true MTD and steepness of the dose-toxicity curve (:func:`curve`) in; :func:`comparison_figure`
and :func:`comparison_table` of the four designs, exact, out (see the module notes for why).  On the site: 5 x 3
= 15 settings, 15 figures and 15 tables per language; in Jupyter the MTD moves in half steps and the steepness
from 0.25 to 2."""


# ------------------------------------------------------------------------------------------------ numbers
def _z_checks() -> np.ndarray:
    """z-scores of every design against its simulation on every scenario, seeds SEED, SEED + 1, ... (finite)."""
    pairs = [(key, tox) for key in DESIGNS for tox in SCENARIOS.values()]
    z = np.concatenate([simulation_check.agreement(_oc(key, tox), _simulated(key, tox, N_TRIALS, SEED + i))["z"]
                        .to_numpy() for i, (key, tox) in enumerate(pairs)])
    return z[np.isfinite(z)]


@lru_cache(maxsize=1)
def _numbers() -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for scen, tox in SCENARIOS.items():
        for key, s in summaries(tox).items():
            g = GLUE_KEYS[key]
            out.update({f"cmp_{scen}_pcs_{g}": 100 * s.pcs, f"cmp_{scen}_sod_{g}": 100 * s.select_overdose,
                        f"cmp_{scen}_nod_{g}": s.n_overdose, f"cmp_{scen}_meann_{g}": s.total_n,
                        f"cmp_{scen}_none_{g}": 100 * s.no_selection, f"cmp_{scen}_pctt_{g}": 100 * s.n_at / s.total_n,
                        f"cmp_{scen}_toxsel_{g}": s.tox_selected})
    for d, value in enumerate(_design("CRM").skeleton, start=1):
        out[f"cmp_skel_{d}"] = value
    tox33 = [summaries(tox)["3+3"].tox_selected for tox in SCENARIOS.values()]
    toxboin = [summaries(tox)["BOIN"].tox_selected for tox in SCENARIOS.values()]
    out.update(cmp_toxsel33_min=min(tox33), cmp_toxsel33_max=max(tox33), cmp_toxselboin_min=min(toxboin),
               cmp_toxselboin_max=max(toxboin))
    z = _z_checks()
    out.update(cmp_z_count=int(z.size), cmp_z_max=float(np.abs(z).max()), cmp_z_over2=int((np.abs(z) > 2).sum()),
               cmp_z_over2_expected=0.0455 * z.size)
    check = exact_vs_simulated("BOIN", "mid")
    out.update(cmp_check_exact=100 * check["exact"].iloc[2], cmp_check_sim=100 * check["simulated"].iloc[2],
               cmp_check_se=100 * check["se"].iloc[2])
    out.update(cmp_esc33_030=esc.three_plus_three_escalation(0.30), cmp_esc33_020=esc.three_plus_three_escalation(0.20),
               cmp_fail33_012=1 - esc.three_plus_three_escalation(0.12))
    at30, at15, at45 = (esc.boin_move_probabilities(p, 30, TARGET) for p in (0.30, 0.15, 0.45))
    out.update(cmp_boin30_stay_030=float(at30.stay), cmp_boin30_up_015=float(at15.escalate),
               cmp_boin30_down_045=float(at45.deescalate), cmp_lambda_e=at30.lambda_e, cmp_lambda_d=at30.lambda_d)
    e = esc.three_plus_three_escalation(SCENARIOS["mid"])
    out["cmp_reach3"] = e[0] * e[1]
    for key, s in summaries(EXERCISE_SCENARIO).items():
        g = GLUE_KEYS[key]
        out.update({f"cmp_ex1_pcs_{g}": 100 * s.pcs, f"cmp_ex1_sod_{g}": 100 * s.select_overdose,
                    f"cmp_ex1_toxsel_{g}": s.tox_selected})
    for d in range(4):
        out[f"cmp_ex2_e{d + 1}"] = e[d]
    # Exercise 2, by hand for the six-at-MTD 3+3: dose 3 needs at most 1 DLT in six (b3), and the trial must come
    # back from dose 4 (F4), which it does when dose 4 fails, or clears with 0/3, the trial comes back from
    # dose 5 (F5) and the three added at dose 4 have 2 or more DLTs.
    p = np.asarray(SCENARIOS["mid"])
    q = 1 - p
    b = q ** 6 + 6 * p * q ** 5                              # at most 1 DLT in 6
    fail_added = 1 - q ** 3 - 3 * p * q ** 2                 # 2 or more DLTs among 3 added patients
    f5 = 1 - e[4] + q[4] ** 3 * fail_added[4]
    f4 = 1 - e[3] + q[3] ** 3 * fail_added[3] * f5
    out.update(cmp_ex2_b3=b[2], cmp_ex2_f5=f5, cmp_ex2_f4=f4, cmp_ex2_p3=100 * e[0] * e[1] * b[2] * f4,
               cmp_ex2_p3_eo=100 * e[0] * e[1] * e[2] * (1 - e[3]),
               cmp_six33_030=(1 - TARGET) ** 6 + 6 * TARGET * (1 - TARGET) ** 5)
    eo = esc.ThreePlusThree(N_DOSES, variant="escalation-only").exact(SCENARIOS["mid"]).summary(
        target=TARGET, band=BAND, margin=MARGIN)
    out.update(cmp_mid_pcs_33eo=100 * eo.pcs, cmp_mid_meann_33eo=eo.total_n, cmp_mid_sod_33eo=100 * eo.select_overdose)
    pair = operating_characteristics(SCENARIOS["mid"], ["Keyboard", "mTPI-2"])
    kb, m2 = pair["Keyboard"], pair["mTPI-2"]
    out.update(cmp_ex3_patients_diff=float(np.abs(kb.patients - m2.patients).max()),
               cmp_ex3_sel_diff=100 * float(np.abs(kb.selection - m2.selection).max()))
    return {k: v if isinstance(v, int) else float(v) for k, v in out.items()}


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_designs_compared.py``).

    Examples
    --------
    >>> round(numbers()["cmp_mid_pcs_33"], 1), numbers()["cmp_z_count"]
    (29.7, 142)
    """
    return dict(_numbers())
