"""Figures, tables, widget and numbers of the chapter "Beyond the MTD: overdose control, late toxicity and
efficacy" (``explore/beyond-the-mtd``).

The chapter continues "Escalation designs compared" (:mod:`dosecourse.chapters.designs_compared`), on its five
doses, target DLT probability 0.30, cohorts of three, N = 30 and its three scenarios
(:data:`~dosecourse.chapters.designs_compared.SCENARIOS`).  The science is in :mod:`dosecourse.escalation`
(:class:`~dosecourse.escalation.BLRM`, :class:`~dosecourse.escalation.CRM`, :class:`~dosecourse.escalation.BOIN`,
:class:`~dosecourse.escalation.TITEBOIN`, :class:`~dosecourse.escalation.TITECRM`,
:func:`~dosecourse.escalation.compare_waiting`, :class:`~dosecourse.escalation.BOIN12`) and
:mod:`dosecourse.utility` (:func:`~dosecourse.utility.boin12_utility_as_cui`).  This module shows them:

* overdose control: :func:`blrm_design`, :func:`posterior_table`, :func:`posterior_figure`,
  :func:`pathways_table`, :func:`oc_table`, :func:`oc_figure` (BOIN and CRM exact, the BLRM simulated with
  :data:`N_BLRM` seeded trials per scenario);
* late toxicity: :func:`tite_comparison` (a TITE design against the same design waiting for every DLT window, in
  calendar time, :data:`N_TITE` trials), :func:`tite_table`, :func:`duration_figure` (the widget's static
  companion), and :data:`widget` (TITE-BOIN against waiting, :data:`N_WIDGET` trials per state, all states
  computed once and cached);
* efficacy and toxicity: :func:`boin12_design`, :func:`utility_table`, :func:`obd_table`, :func:`obd_figure`;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_beyond_the_mtd.py``).

Every simulation is seeded and cached, so the notebook, :func:`numbers` and the widget never simulate the same
trials twice.  Every user-facing string comes from ``labels/chapters/beyond_the_mtd.toml``.

References
----------
Neuenschwander B, Branson M, Gsponer T. Critical aspects of the Bayesian approach to phase I cancer trials.
Stat Med. 2008;27(13):2420-2439. doi:10.1002/sim.3230
Babb J, Rogatko A, Zacks S. Cancer phase I clinical trials: efficient dose escalation with overdose control.
Stat Med. 1998;17(10):1103-1120.
Cheung YK, Chappell R. Sequential designs for phase I clinical trials with late-onset toxicities. Biometrics.
2000;56(4):1177-1182. doi:10.1111/j.0006-341X.2000.01177.x
Yuan Y, Lin R, Li D, Nie L, Warren KE. Time-to-event Bayesian optimal interval design to accelerate phase I
trials. Clin Cancer Res. 2018;24(20):4921-4930. doi:10.1158/1078-0432.CCR-18-0246
Lin R, Zhou Y, Yan F, Li D, Yuan Y. BOIN12: Bayesian optimal interval phase I/II trial design for utility-based
dose finding in immunotherapy and targeted therapies. JCO Precis Oncol. 2020;4:1393-1402.
doi:10.1200/PO.20.00257
Hutchings M, Morschhauser F, Iacoboni G, et al. Glofitamab, a novel, bivalent CD20-targeting T-cell-engaging
bispecific antibody, induces durable complete remissions in relapsed or refractory B-cell lymphoma: a phase I
trial. J Clin Oncol. 2021;39(18):1959-1970. doi:10.1200/JCO.20.03175
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import _validate, utility
from .. import escalation as esc
from ..i18n import check_lang, t
from . import designs_compared as dcmp
from . import style
from .widgets import Choice, LiveWidget, Part

N_DOSES, TARGET, BAND, MARGIN = dcmp.N_DOSES, dcmp.TARGET, dcmp.BAND, dcmp.MARGIN
"""Five doses, target DLT probability 0.30, acceptable band 0.05, overdose margin 0.10 (as the chapter before)."""

SCENARIOS = dcmp.SCENARIOS
"""The scenarios of "Escalation designs compared": true MTD at dose 3 (``mid``), 5 (``high``) and 2 (``low``)."""

SEED: int = _validate.DEFAULT_SEED
"""Seed of every simulation of the chapter (each scenario and setting has its own cache entry)."""

BLRM_DOSES: tuple[float, ...] = (10.0, 20.0, 30.0, 40.0, 50.0)
"""Dose values (mg) the BLRM's model sees; its reference dose is the middle one, 30 mg."""

ALIGNED_INTERVAL: tuple[float, float] = (0.20, 0.40)
"""A target interval whose overdosing bound is the chapter's definition of an overly toxic dose (0.40)."""

BLRM_EXAMPLE = "1NNN 2NNN 3NTN"
"""The data of the posterior example: no DLT in 3 at doses 1 and 2, one DLT in 3 at dose 3."""

N_BLRM: int = 2_000
"""Simulated trials of the BLRM per scenario."""

ACCRUAL: float = 2.0
"""Patients per month in the late-toxicity example."""

WINDOW: float = 3.0
"""DLT window in months in the late-toxicity example."""

LATE_SHARES: tuple[float, float] = (0.5, 0.8)
"""Share of DLTs in the second half of the window: half (the TITE papers' late-onset scenario) and four fifths."""

TITE_SCENARIO = "mid"
"""Scenario of the late-toxicity example (true MTD at dose 3)."""

N_TITE: int = 2_000
"""Simulated trials per design in the late-toxicity example."""

WIDGET_ACCRUAL: tuple[float, ...] = (1.0, 2.0, 4.0)
"""Accrual rates (patients per month) of the widget."""

WIDGET_WINDOW: tuple[float, ...] = (1.0, 2.0, 3.0)
"""DLT windows (months) of the widget."""

N_WIDGET: int = 1_000
"""Simulated trials per design in each widget state (3 x 3 x 2 = 18 states, computed once and cached)."""

B12_TOX: tuple[float, ...] = (0.05, 0.10, 0.15, 0.30, 0.45)
"""True DLT probability per dose in the OBD example."""

B12_EFF: tuple[float, ...] = (0.15, 0.40, 0.55, 0.57, 0.58)
"""True response probability per dose in the OBD example: a plateau from dose 3."""

B12_TARGETS: tuple[float, float] = (0.35, 0.25)
"""BOIN12's highest acceptable toxicity and lowest acceptable efficacy probabilities (Lin et al. 2020)."""

N_B12: int = 4_000
"""Simulated trials of BOIN12 in the OBD example."""

# Hutchings et al. 2021 (abstract, read on PMC8210975): glofitamab 0.005 to 30 mg after obinutuzumab
# pretreatment, escalation steps by a Bayesian CRM with overdose control, 171 patients in multipatient cohorts.
GLOFITAMAB: Mapping[str, float] = MappingProxyType({"dose_lo_mg": 0.005, "dose_hi_mg": 30.0, "patients": 171})
"""The published glofitamab phase I escalation (Hutchings et al. 2021, abstract)."""

COLOURS: Mapping[str, str] = MappingProxyType({"BOIN": style.BLUE, "CRM": style.ORANGE, "BLRM": style.GREEN,
                                               "waiting": style.GREY, "TITE-BOIN": style.BLUE,
                                               "TITE-CRM": style.ORANGE, "BOIN12": style.PURPLE})
"""One colour per design (Okabe-Ito)."""


# ------------------------------------------------------------------------------------------------ designs
@lru_cache(maxsize=4)
def blrm_design(interval: tuple[float, float] = esc.blrm.INTERVAL) -> esc.BLRM:
    """The chapter's BLRM: doses :data:`BLRM_DOSES`, cohorts of 3, N = 30, default prior, EWOC 0.25.

    Parameters
    ----------
    interval : pair of float
        Target interval of the DLT rate (default (0.16, 0.33), Neuenschwander et al. 2008).

    Returns
    -------
    dosecourse.escalation.BLRM

    Examples
    --------
    >>> blrm_design().next_dose("1NNN").dose
    2
    """
    return esc.BLRM(BLRM_DOSES, cohort_size=3, n_cohorts=10, interval=tuple(interval))


@lru_cache(maxsize=1)
def boin12_design() -> esc.BOIN12:
    """BOIN12 with the paper's defaults (:data:`B12_TARGETS`, utilities 100, 40, 60, 0), cohorts of 3, N = 30.

    Returns
    -------
    dosecourse.escalation.BOIN12
    """
    return esc.BOIN12(*B12_TARGETS, N_DOSES, cohort_size=3, n_cohorts=10)


def _scenario(key: str) -> tuple[float, ...]:
    return SCENARIOS[_validate.one_of(key, "scenario", tuple(SCENARIOS))]


@lru_cache(maxsize=16)
def _blrm_oc(scenario: str, interval: tuple[float, float] = esc.blrm.INTERVAL) -> esc.OperatingCharacteristics:
    return blrm_design(interval).simulate(_scenario(scenario), n_trials=N_BLRM, seed=SEED).summary()


def operating_characteristics(scenario: str) -> dict[str, esc.OperatingCharacteristics]:
    """BOIN and CRM (exact) and the BLRM (simulated, :data:`N_BLRM` trials, seed :data:`SEED`) on a scenario.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.

    Returns
    -------
    dict
        ``{"BOIN": ..., "CRM": ..., "BLRM": ...}``.

    Examples
    --------
    >>> [oc.exact for oc in operating_characteristics("mid").values()]
    [True, True, False]
    """
    exact = dcmp.operating_characteristics(_scenario(scenario), ["BOIN", "CRM"])
    return {**exact, "BLRM": _blrm_oc(scenario)}


def summaries(scenario: str) -> dict[str, esc.Summary]:
    """:func:`operating_characteristics` summarised at the target with the chapter's band and margin.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.

    Returns
    -------
    dict
        ``{design: Summary}``.
    """
    return {k: oc.summary(target=TARGET, band=BAND, margin=MARGIN) for k, oc in operating_characteristics(
        scenario).items()}


# ------------------------------------------------------------------------------------------------ overdose control
def posterior_table(data: str = BLRM_EXAMPLE, lang: str = "en") -> pd.DataFrame:
    """The BLRM's posterior per dose after ``data``: interval probabilities, mean and EWOC admissibility.

    Parameters
    ----------
    data : str
        Outcome string (default :data:`BLRM_EXAMPLE`); ``""`` gives the prior.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        :meth:`dosecourse.escalation.blrm.BLRMPosterior.to_frame`, rounded to 3 decimals.
    """
    return blrm_design().posterior(data).to_frame(check_lang(lang)).round(3)


def pathways_table(lang: str = "en") -> pd.DataFrame:
    """The BLRM's dose transition pathways for the first two cohorts (16 rows).

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    return blrm_design().pathways(2, lang=check_lang(lang))


@style.course_figure
def posterior_figure(data: str = BLRM_EXAMPLE, lang: str = "en") -> Figure:
    """Posterior probabilities of underdosing, the target interval and overdosing per dose, with the EWOC bound.

    Parameters
    ----------
    data : str
        Outcome string (default :data:`BLRM_EXAMPLE`).
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    post = blrm_design().posterior(data)
    lo, hi = post.interval
    fig, ax = style.new_figure(figsize=(7.5, 4.2))
    x = np.arange(1, N_DOSES + 1)
    ax.bar(x, post.under, 0.6, color=style.SKY, label=t("btm_post_under", lang, lo=f"{lo:g}"), zorder=2)
    ax.bar(x, post.target, 0.6, bottom=post.under, color=style.GREEN,
           label=t("btm_post_target", lang, lo=f"{lo:g}", hi=f"{hi:g}"), zorder=2)
    ax.bar(x, post.over, 0.6, bottom=post.under + post.target, color=style.VERMILLION,
           label=t("btm_post_over", lang, hi=f"{hi:g}"), zorder=2)
    for d, over, ok in zip(x, post.over, post.admissible):
        ax.text(d, 1.02, t("btm_post_ok" if ok else "btm_post_not_ok", lang, p=f"{over:.2f}"), ha="center",
                va="bottom", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    ax.axhline(1 - post.ewoc, color=style.BLACK, lw=1.0, ls="--", zorder=3,
               label=t("btm_post_ewoc", lang, ewoc=f"{post.ewoc:g}"))
    ax.set_xticks(x, [f"{d}\n{v:g} mg" for d, v in zip(x, post.doses)])
    ax.set_xlabel(t("btm_dose_axis", lang))
    ax.set_ylabel(t("btm_post_axis", lang))
    ax.set_ylim(0, 1.12)
    ax.grid(axis="x", visible=False)
    ax.set_title(t("btm_post_title", lang, data=data), loc="left", pad=18)
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def _method(s: esc.Summary, lang: str) -> str:
    return t("btm_exact", lang) if s.exact else t("btm_simulated", lang, n=f"{s.n_trials:,}")


def oc_table(lang: str = "en") -> pd.DataFrame:
    """BOIN, CRM and BLRM on the three scenarios: correct and overly toxic selection, patients at overly toxic
    doses, sample size and no selection.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per scenario and design.
    """
    lang = check_lang(lang)
    rows = []
    for scen in SCENARIOS:
        for key, s in summaries(scen).items():
            rows.append({t("btm_col_scenario", lang): dcmp.scenario_label(scen, lang),
                         t("btm_col_design", lang): t(f"btm_design_{key.lower()}", lang),
                         t("btm_col_method", lang): _method(s, lang),
                         t("btm_col_pcs", lang): round(100 * s.pcs, 1),
                         t("btm_col_sod", lang): round(100 * s.select_overdose, 1),
                         t("btm_col_nod", lang): round(s.n_overdose, 2),
                         t("btm_col_mean_n", lang): round(s.total_n, 1),
                         t("btm_col_none", lang): round(100 * s.no_selection, 1)})
    return pd.DataFrame(rows)


@style.course_figure
def oc_figure(lang: str = "en") -> Figure:
    """Correct selection, selection of an overly toxic dose and patients at overly toxic doses, per scenario and
    design (BOIN, CRM exact; BLRM simulated).

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    tables = {scen: summaries(scen) for scen in SCENARIOS}
    designs = ("BOIN", "CRM", "BLRM")
    panels = [("pcs", 100, "btm_oc_pcs"), ("select_overdose", 100, "btm_oc_sod"), ("n_overdose", 1, "btm_oc_nod")]
    fig, axes = style.new_figure(ncols=3, figsize=(11.0, 4.0))
    x = np.arange(len(SCENARIOS))
    width = 0.8 / len(designs)
    for ax, (field, scale, label) in zip(axes, panels):
        for i, key in enumerate(designs):
            values = [scale * getattr(tables[s][key], field) for s in SCENARIOS]
            ax.bar(x + (i - 1) * width, values, width, color=COLOURS[key], zorder=2)
        ax.set_xticks(x, [t(f"dcmp_tick_{s}", lang) for s in SCENARIOS])
        ax.set_title(t(label, lang), loc="left", fontsize=style.FONT_SIZE)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 100)
    handles = [Patch(color=COLOURS[k], label=t(f"btm_leg_{k.lower()}", lang, n=f"{N_BLRM:,}")) for k in designs]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


# ------------------------------------------------------------------------------------------------ late toxicity
def _tite_design(key: str, accrual: float, window: float):
    if key == "TITE-BOIN":
        return esc.TITEBOIN(TARGET, N_DOSES, cohort_size=3, n_cohorts=10, accrual_per_month=accrual,
                            dlt_window_months=window)
    skeleton = dcmp._design("CRM").skeleton
    return esc.TITECRM(skeleton, TARGET, cohort_size=3, n_cohorts=10, accrual_per_month=accrual,
                       dlt_window_months=window)


@lru_cache(maxsize=64)
def _comparison(key: str, accrual: float, window: float, late_share: float, scenario: str,
                n_trials: int) -> esc.DurationComparison:
    return esc.compare_waiting(_tite_design(key, accrual, window), _scenario(scenario), n_trials=n_trials,
                               seed=SEED, late_share=late_share)


def tite_comparison(design: str = "TITE-BOIN", accrual: float = ACCRUAL, window: float = WINDOW,
                    late_share: float = LATE_SHARES[0], scenario: str = TITE_SCENARIO,
                    n_trials: int = N_TITE) -> esc.DurationComparison:
    """A TITE design against the same design waiting for every patient's DLT window (cached, seed :data:`SEED`).

    Parameters
    ----------
    design : {"TITE-BOIN", "TITE-CRM"}
        TITE-BOIN (target 0.30) or TITE-CRM (the CRM skeleton of the chapter before, no coherence rule).
    accrual : float
        Patients per month (Poisson accrual).
    window : float
        DLT window, months.
    late_share : float
        Share of the DLTs in the second half of the window (Weibull times to DLT), in (0, 1).
    scenario : str
        A key of :data:`SCENARIOS`.
    n_trials : int
        Simulated trials per design.

    Returns
    -------
    dosecourse.escalation.DurationComparison

    Raises
    ------
    ValueError, TypeError
        On an unknown design or scenario or invalid settings.
    """
    key = _validate.one_of(design, "design", ("TITE-BOIN", "TITE-CRM"))
    return _comparison(key, _validate.positive(accrual, "accrual"), _validate.positive(window, "window"),
                       _validate.probability(late_share, "late_share"), _validate.one_of(
                           scenario, "scenario", tuple(SCENARIOS)), _validate.n_trials(n_trials))


@lru_cache(maxsize=8)
def _waiting_exact(key: str, scenario: str = TITE_SCENARIO) -> esc.OperatingCharacteristics:
    """Selection and allocation of the design that waits for every window: they are those of BOIN, or of the CRM
    without the coherence rule (as TITE-CRM), on complete data, computed exactly (only the calendar differs)."""
    if key == "TITE-BOIN":
        return dcmp._oc("BOIN", _scenario(scenario))
    return esc.CRM(dcmp._design("CRM").skeleton, TARGET, cohort_size=3, n_cohorts=10, coherence=False).exact(
        _scenario(scenario))


def tite_table(lang: str = "en") -> pd.DataFrame:
    """TITE-BOIN and TITE-CRM against waiting, at :data:`ACCRUAL` patients per month and a :data:`WINDOW`-month
    window, with half and four fifths of the DLTs late (:data:`N_TITE` trials per design).

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per design, onset and version (TITE or waiting).
    """
    lang = check_lang(lang)
    rows = []
    for key in ("TITE-BOIN", "TITE-CRM"):
        for share in LATE_SHARES:
            cmp = tite_comparison(key, late_share=share)
            for version, oc, months in (("tite", cmp.tite, cmp.tite.duration),
                                        ("wait", _waiting_exact(key), cmp.waiting.duration)):
                s = oc.summary(target=TARGET, band=BAND, margin=MARGIN)
                rows.append({t("btm_col_design", lang): t(f"btm_{version}_{key[5:].lower()}", lang),
                             t("btm_col_late", lang): f"{100 * share:.0f}%",
                             t("btm_col_months", lang): round(months, 1),
                             t("btm_col_method", lang): _method(s, lang),
                             t("btm_col_pcs", lang): round(100 * s.pcs, 1),
                             t("btm_col_sod", lang): round(100 * s.select_overdose, 1),
                             t("btm_col_nod", lang): round(s.n_overdose, 2)})
    return pd.DataFrame(rows)


def _state(accrual: float, window: float, late_share: float) -> esc.DurationComparison:
    return tite_comparison("TITE-BOIN", accrual, window, late_share, TITE_SCENARIO, N_WIDGET)


def prepare_widget() -> None:
    """Simulate every state of :data:`widget` once (18 comparisons of :data:`N_WIDGET` trials per design)."""
    for a in WIDGET_ACCRUAL:
        for w in WIDGET_WINDOW:
            for s in LATE_SHARES:
                _state(a, w, s)


@style.course_figure
def duration_figure(lang: str = "en") -> Figure:
    """Mean trial duration of TITE-BOIN and of BOIN waiting for every window, against the accrual rate, one line
    per window (half the DLTs late; the widget's states): the widget's static companion.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(10.0, 4.2))
    shades = {1.0: style.SKY, 2.0: style.BLUE, 3.0: style.PURPLE}
    for w in WIDGET_WINDOW:
        runs = [_state(a, w, LATE_SHARES[0]) for a in WIDGET_ACCRUAL]
        ax1.plot(WIDGET_ACCRUAL, [r.waiting.duration for r in runs], "o--", color=shades[w], lw=1.4)
        ax1.plot(WIDGET_ACCRUAL, [r.tite.duration for r in runs], "o-", color=shades[w], lw=2.0)
        ax2.plot(WIDGET_ACCRUAL, [100 * r.ratio for r in runs], "o-", color=shades[w], lw=2.0)
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xticks(WIDGET_ACCRUAL, [f"{a:g}" for a in WIDGET_ACCRUAL])
        ax.set_xlabel(t("btm_accrual_axis", lang))
    ax1.set_ylabel(t("btm_months_axis", lang))
    ax1.set_ylim(0, None)
    ax2.set_ylabel(t("btm_ratio_axis", lang))
    ax2.set_ylim(0, 100)
    ax1.set_title(t("btm_dur_panel", lang), loc="left", fontsize=style.FONT_SIZE)
    ax2.set_title(t("btm_ratio_panel", lang), loc="left", fontsize=style.FONT_SIZE)
    handles = [Line2D([], [], color=shades[w], lw=2, label=t("btm_leg_window", lang, w=f"{w:g}"))
               for w in WIDGET_WINDOW]
    handles += [Line2D([], [], color=style.GREY_DARK, lw=2, label=t("btm_leg_tite", lang)),
                Line2D([], [], color=style.GREY_DARK, lw=1.4, ls="--", label=t("btm_leg_wait", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncols=5)
    return fig


@style.course_figure
def widget_figure(accrual: float = ACCRUAL, window: float = WINDOW, late_share: float = LATE_SHARES[0],
                  lang: str = "en") -> Figure:
    """One widget state: trial duration, and selection per dose, of TITE-BOIN and of BOIN waiting for every window.

    Parameters
    ----------
    accrual, window, late_share : float
        A state of :data:`widget` (values of :data:`WIDGET_ACCRUAL`, :data:`WIDGET_WINDOW`, :data:`LATE_SHARES`).
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    cmp = _state(accrual, window, late_share)
    tox = _scenario(TITE_SCENARIO)
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(10.0, 4.2), width_ratios=(1, 2))
    names = (t("btm_leg_wait", lang), t("btm_leg_tite", lang))
    months = (cmp.waiting.duration, cmp.tite.duration)
    ax1.barh([1, 0], months, 0.6, color=(COLOURS["waiting"], COLOURS["TITE-BOIN"]), zorder=2)
    for yv, m in zip((1, 0), months):
        ax1.text(m, yv, f" {m:.1f}", va="center", fontsize=style.SMALL_SIZE)
    ax1.set_yticks([1, 0], names)
    ax1.set_xlim(0, 1.3 * max(months))
    ax1.set_xlabel(t("btm_months_axis", lang))
    ax1.set_title(t("btm_w_dur", lang, saved=f"{cmp.months_saved:.1f}"), loc="left", fontsize=style.FONT_SIZE)
    ax1.grid(axis="y", visible=False)
    x = np.arange(1, N_DOSES + 1)
    for off, oc, colour in ((-0.2, _waiting_exact("TITE-BOIN"), COLOURS["waiting"]),
                            (0.2, cmp.tite, COLOURS["TITE-BOIN"])):
        ax2.bar(x + off, 100 * oc.selection, 0.4, color=colour, zorder=2)
    ax2.plot(x, 100 * np.array(tox), "o-", color=style.GREY_DARK, lw=1.2, ms=4, zorder=3)
    ax2.axhline(100 * TARGET, color=style.GREY_DARK, lw=0.9, ls=":", zorder=3)
    ax2.set_xticks(x, [f"{d}\n{q:.2f}" for d, q in zip(x, tox)])
    ax2.set_xlabel(t("btm_dose_tox_axis", lang))
    ax2.set_ylabel(t("btm_sel_axis", lang))
    ax2.set_ylim(0, 100)
    ax2.grid(axis="x", visible=False)
    ax2.set_title(t("btm_w_sel", lang), loc="left", fontsize=style.FONT_SIZE)
    fig.suptitle(t("btm_w_title", lang, a=f"{accrual:g}", w=f"{window:g}", late=f"{100 * late_share:.0f}",
                   n=f"{N_WIDGET:,}"), x=0.01, ha="left", fontsize=style.TITLE_SIZE)
    handles = [Patch(color=COLOURS["waiting"], label=names[0]), Patch(color=COLOURS["TITE-BOIN"], label=names[1]),
               Line2D([], [], color=style.GREY_DARK, marker="o", ms=4, lw=1.2, label=t("btm_leg_truth", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncols=3)
    return fig


def widget_table(accrual: float = ACCRUAL, window: float = WINDOW, late_share: float = LATE_SHARES[0],
                 lang: str = "en") -> pd.DataFrame:
    """One widget state as a table: duration, correct and overly toxic selection, patients at overly toxic doses.

    Parameters
    ----------
    accrual, window, late_share : float
        A state of :data:`widget`.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    cmp = _state(accrual, window, late_share)
    rows = []
    for version, oc, months in (("wait", _waiting_exact("TITE-BOIN"), cmp.waiting.duration),
                                ("tite", cmp.tite, cmp.tite.duration)):
        s = oc.summary(target=TARGET, band=BAND, margin=MARGIN)
        rows.append({t("btm_col_design", lang): t(f"btm_leg_{version}", lang),
                     t("btm_col_months", lang): round(months, 1), t("btm_col_method", lang): _method(s, lang),
                     t("btm_col_pcs", lang): round(100 * s.pcs, 1),
                     t("btm_col_sod", lang): round(100 * s.select_overdose, 1),
                     t("btm_col_nod", lang): round(s.n_overdose, 2)})
    return pd.DataFrame(rows)


def _widget_alt(lang: str, values: Mapping) -> str:
    cmp = _state(values["accrual"], values["window"], values["late_share"])
    pcs = [100 * oc.summary(target=TARGET).pcs for oc in (_waiting_exact("TITE-BOIN"), cmp.tite)]
    return t("btm_w_alt", lang, a=f"{values['accrual']:g}", w=f"{values['window']:g}",
             late=f"{100 * values['late_share']:.0f}", wait=f"{cmp.waiting.duration:.1f}",
             tite=f"{cmp.tite.duration:.1f}", pw=f"{pcs[0]:.1f}", pt=f"{pcs[1]:.1f}")


widget = LiveWidget(
    "beyond_the_mtd",
    controls=(
        Choice("accrual", "btm_w_accrual", WIDGET_ACCRUAL, value=ACCRUAL,
               option_label=lambda v, lang: t("btm_w_accrual_option", lang, a=f"{v:g}")),
        Choice("window", "btm_w_window", WIDGET_WINDOW, value=WINDOW,
               option_label=lambda v, lang: t("btm_w_window_option", lang, w=f"{v:g}")),
        Choice("late_share", "btm_w_late", LATE_SHARES, value=LATE_SHARES[0], buttons=True,
               option_label=lambda v, lang: t("btm_w_late_option", lang, late=f"{100 * v:.0f}")),
    ),
    parts=(Part(lambda lang, accrual, window, late_share: widget_figure(accrual, window, late_share, lang),
                ("accrual", "window", "late_share"), alt=_widget_alt),
           Part(lambda lang, accrual, window, late_share: widget_table(accrual, window, late_share, lang),
                ("accrual", "window", "late_share"))),
    columns=3,
    prepare=prepare_widget,
)
"""Accrual rate, DLT window and share of late DLTs in; TITE-BOIN against BOIN waiting for every window (scenario
``mid``, :data:`N_WIDGET` seeded trials per design and state) out.  On the site: 3 x 3 x 2 = 18 settings, 18
figures and 18 tables per language; in Jupyter every state is simulated once when the view opens (``prepare``) and
then read from the cache."""


# ------------------------------------------------------------------------------------------------ efficacy
def true_utility(tox=B12_TOX, eff=B12_EFF) -> np.ndarray:
    """Mean BOIN12 utility of each dose with independent toxicity and efficacy (default utilities).

    Parameters
    ----------
    tox, eff : sequence of float
        True DLT and response probabilities per dose.

    Returns
    -------
    ndarray
        :math:`\\bar u_d = 100 (1 - p_T) p_E + 40 (1 - p_T)(1 - p_E) + 60 p_T p_E`, which equals
        :math:`40 + 60 p_E - 40 p_T` (a CUI with weights 0.6 and 0.4, times 100).

    Examples
    --------
    >>> true_utility().round(1).tolist()
    [47.0, 60.0, 67.0, 62.2, 56.8]
    """
    joint = esc.joint_probabilities(tox, eff)
    return joint @ boin12_design().utilities


@lru_cache(maxsize=1)
def _boin12_oc() -> esc.OperatingCharacteristics:
    return boin12_design().simulate(B12_TOX, true_eff=B12_EFF, n_trials=N_B12, seed=SEED).summary()


@lru_cache(maxsize=1)
def _boin_b12() -> esc.OperatingCharacteristics:
    return esc.make_design("BOIN", N_DOSES, TARGET).exact(B12_TOX)


def utility_table(lang: str = "en") -> pd.DataFrame:
    """BOIN12's default utilities as a 2 x 2 table.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    return boin12_design().utility_table(check_lang(lang))


def obd_table(lang: str = "en") -> pd.DataFrame:
    """The OBD example per dose: true DLT and response probabilities, mean utility, BOIN12's selection of the OBD
    (simulated, :data:`N_B12` trials) and BOIN's selection of the MTD (exact), in percent.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per quantity, one column per dose.
    """
    lang = check_lang(lang)
    rows = {t("btm_row_tox", lang): 100 * np.array(B12_TOX), t("btm_row_eff", lang): 100 * np.array(B12_EFF),
            t("btm_row_utility", lang): true_utility().round(1),
            t("btm_row_sel_b12", lang, n=f"{N_B12:,}"): (100 * _boin12_oc().selection).round(1),
            t("btm_row_sel_boin", lang): (100 * _boin_b12().selection).round(1)}
    return pd.DataFrame(list(rows.values()), index=list(rows),
                        columns=[f"{t('dose', lang)} {d}" for d in range(1, N_DOSES + 1)])


@style.course_figure
def obd_figure(lang: str = "en") -> Figure:
    """Left: true DLT and response probabilities and the mean utility per dose; right: how often BOIN12 selects
    each dose as the OBD and BOIN each dose as the MTD.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.arange(1, N_DOSES + 1)
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(10.0, 4.2))
    ax1.plot(x, 100 * np.array(B12_TOX), "o-", color=style.VERMILLION, lw=1.8, label=t("btm_row_tox", lang))
    ax1.plot(x, 100 * np.array(B12_EFF), "s-", color=style.GREEN, lw=1.8, label=t("btm_row_eff", lang))
    ax1.plot(x, true_utility(), "D-", color=COLOURS["BOIN12"], lw=2.2, label=t("btm_row_utility", lang))
    ax1.set_ylabel(t("btm_pct_axis", lang))
    ax1.set_ylim(0, 100)
    ax1.set_title(t("btm_obd_truth", lang), loc="left", fontsize=style.FONT_SIZE)
    ax1.legend(loc="upper left", fontsize=style.TINY_SIZE)
    ax2.bar(x - 0.2, 100 * _boin12_oc().selection, 0.4, color=COLOURS["BOIN12"], zorder=2,
            label=t("btm_leg_b12", lang, n=f"{N_B12:,}"))
    ax2.bar(x + 0.2, 100 * _boin_b12().selection, 0.4, color=COLOURS["BOIN"], zorder=2, label=t("btm_leg_boin_mtd",
                                                                                               lang))
    ax2.set_ylabel(t("btm_sel_axis", lang))
    ax2.set_ylim(0, 100)
    ax2.set_title(t("btm_obd_sel", lang), loc="left", fontsize=style.FONT_SIZE)
    ax2.legend(loc="upper left", fontsize=style.TINY_SIZE)
    for ax in (ax1, ax2):
        ax.set_xticks(x)
        ax.set_xlabel(t("btm_dose_axis", lang))
        ax.grid(axis="x", visible=False)
    return fig


# ------------------------------------------------------------------------------------------------ numbers
GLUED: tuple[str, ...] = (
    "btm_accrual", "btm_b12_n_obd", "btm_b12_se_obd", "btm_b12_sel_mtd", "btm_b12_sel_obd", "btm_benchmark",
    "btm_boin_n_obd", "btm_boin_sel_mtd", "btm_boin_sel_obd", "btm_crm_states", "btm_dref", "btm_ewoc",
    "btm_glofit_fold", "btm_glofit_hi", "btm_glofit_lo", "btm_glofit_n", "btm_high_pcs_al", "btm_high_pcs_blrm",
    "btm_high_pcs_boin", "btm_high_pcs_crm", "btm_interaction", "btm_interval_hi", "btm_interval_lo", "btm_late_hi",
    "btm_late_lo", "btm_low_nod_al", "btm_low_none_blrm", "btm_low_pcs_al", "btm_mid_nod_al", "btm_mid_nod_blrm",
    "btm_mid_nod_boin", "btm_mid_nod_crm", "btm_mid_pcs_al", "btm_mid_pcs_blrm", "btm_mid_pcs_boin",
    "btm_mid_pcs_crm", "btm_mid_pcs_se_blrm", "btm_mid_sod_al", "btm_mid_sod_blrm", "btm_mid_sod_boin",
    "btm_mid_sod_crm", "btm_mtd", "btm_n_b12", "btm_n_blrm", "btm_n_tite", "btm_n_widget", "btm_obd", "btm_path_0",
    "btm_path_1", "btm_path_1_over2", "btm_path_2_over1", "btm_phi_e", "btm_phi_t", "btm_post_next",
    "btm_post_over_3", "btm_post_over_4", "btm_post_target_3", "btm_prior_ref", "btm_tb_half_dur", "btm_tb_half_nod",
    "btm_tb_half_pcs", "btm_tb_half_pcs_se", "btm_tb_half_ratio", "btm_tb_half_saved", "btm_tb_half_wait_dur",
    "btm_tb_half_wait_nod", "btm_tb_half_wait_pcs", "btm_tb_late_nod", "btm_tc_half_dur", "btm_tc_half_nod",
    "btm_tc_half_saved", "btm_tc_half_wait_nod", "btm_tc_half_wait_pcs", "btm_tc_late_nod", "btm_tc_late_pcs",
    "btm_tite_bound", "btm_u_1", "btm_u_2", "btm_u_3", "btm_u_4", "btm_u_5", "btm_ubar", "btm_w_eff",
    "btm_w_fast_ratio", "btm_w_fast_saved", "btm_w_slow_ratio", "btm_w_slow_saved", "btm_w_tox", "btm_wait_bound",
    "btm_window",
)
"""The names the prose of both editions glues, the keys of :func:`numbers`."""


@lru_cache(maxsize=1)
def _numbers() -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    design = blrm_design()
    lo, hi = design.interval
    out.update(btm_interval_lo=lo, btm_interval_hi=hi, btm_ewoc=design.ewoc, btm_n_blrm=N_BLRM,
               btm_prior_ref=1 / (1 + np.exp(-design.prior_mean[0])), btm_dref=design.d_ref)
    prior = design.posterior("")
    post = design.posterior(BLRM_EXAMPLE)
    for d in range(N_DOSES):
        out[f"btm_prior_over_{d + 1}"] = float(prior.over[d])
        out[f"btm_post_over_{d + 1}"] = float(post.over[d])
        out[f"btm_post_target_{d + 1}"] = float(post.target[d])
    out["btm_post_next"] = design.next_dose(BLRM_EXAMPLE).dose
    for outcome, key in (("1NNN", "0"), ("1NNT", "1"), ("1NTT", "2")):
        out[f"btm_path_{key}"] = design.next_dose(outcome).dose
    out["btm_path_2_over1"] = float(design.posterior("1NTT").over[0])
    out["btm_path_1_over2"] = float(design.posterior("1NNT").over[1])
    glue = {"BOIN": "boin", "CRM": "crm", "BLRM": "blrm"}
    for scen in SCENARIOS:
        for key, s in summaries(scen).items():
            g = glue[key]
            out.update({f"btm_{scen}_pcs_{g}": 100 * s.pcs, f"btm_{scen}_sod_{g}": 100 * s.select_overdose,
                        f"btm_{scen}_nod_{g}": s.n_overdose, f"btm_{scen}_none_{g}": 100 * s.no_selection,
                        f"btm_{scen}_meann_{g}": s.total_n})
            if not s.exact:
                out[f"btm_{scen}_pcs_se_{g}"] = 100 * s.se["pcs"]
        aligned = _blrm_oc(scen, ALIGNED_INTERVAL).summary(target=TARGET, band=BAND, margin=MARGIN)
        out.update({f"btm_{scen}_pcs_al": 100 * aligned.pcs, f"btm_{scen}_sod_al": 100 * aligned.select_overdose,
                    f"btm_{scen}_nod_al": aligned.n_overdose})
    out.update(btm_glofit_lo=GLOFITAMAB["dose_lo_mg"], btm_glofit_hi=GLOFITAMAB["dose_hi_mg"],
               btm_glofit_n=int(GLOFITAMAB["patients"]),
               btm_glofit_fold=GLOFITAMAB["dose_hi_mg"] / GLOFITAMAB["dose_lo_mg"])
    out["btm_crm_states"] = int(dcmp._oc("CRM", _scenario("mid")).n_states)
    # late toxicity
    out.update(btm_accrual=ACCRUAL, btm_window=WINDOW, btm_n_tite=N_TITE, btm_n_widget=N_WIDGET,
               btm_late_lo=100 * LATE_SHARES[0], btm_late_hi=100 * LATE_SHARES[1],
               btm_wait_bound=(esc.BOIN(TARGET, N_DOSES).max_n - 1) / ACCRUAL + 10 * WINDOW,
               btm_tite_bound=(esc.BOIN(TARGET, N_DOSES).max_n - 1) / ACCRUAL + WINDOW)
    for key, g in (("TITE-BOIN", "tb"), ("TITE-CRM", "tc")):
        for share, lg in zip(LATE_SHARES, ("half", "late")):
            cmp = tite_comparison(key, late_share=share)
            ft = cmp.tite.summary(target=TARGET, band=BAND, margin=MARGIN)
            fw = _waiting_exact(key).summary(target=TARGET, band=BAND, margin=MARGIN)
            p = f"btm_{g}_{lg}"
            out.update({f"{p}_dur": cmp.tite.duration, f"{p}_wait_dur": cmp.waiting.duration,
                        f"{p}_saved": cmp.months_saved, f"{p}_ratio": 100 * cmp.ratio,
                        f"{p}_pcs": 100 * ft.pcs, f"{p}_wait_pcs": 100 * fw.pcs,
                        f"{p}_sod": 100 * ft.select_overdose, f"{p}_wait_sod": 100 * fw.select_overdose,
                        f"{p}_nod": ft.n_overdose, f"{p}_wait_nod": fw.n_overdose,
                        f"{p}_pcs_se": 100 * ft.se["pcs"]})
    fast = _state(4.0, 3.0, LATE_SHARES[0])
    slow = _state(1.0, 1.0, LATE_SHARES[0])
    out.update(btm_w_fast_saved=fast.months_saved, btm_w_fast_ratio=100 * fast.ratio,
               btm_w_slow_saved=slow.months_saved, btm_w_slow_ratio=100 * slow.ratio)
    # efficacy and toxicity
    eq = utility.boin12_utility_as_cui(tuple(boin12_design().utilities))
    u = true_utility()
    b12, boin = _boin12_oc(), _boin_b12()
    obd = int(np.argmax(u)) + 1
    mtd = int(esc.correct_doses(B12_TOX, TARGET)[0])
    out.update(btm_w_eff=eq.weights["efficacy"], btm_w_tox=eq.weights["toxicity"], btm_interaction=eq.interaction,
               btm_benchmark=boin12_design().benchmark, btm_ubar=boin12_design().mean_utility_at_targets,
               btm_phi_t=B12_TARGETS[0], btm_phi_e=B12_TARGETS[1], btm_obd=obd, btm_mtd=mtd,
               btm_n_b12=N_B12, btm_b12_sel_obd=100 * b12.selection[obd - 1],
               btm_b12_sel_mtd=100 * b12.selection[mtd - 1], btm_b12_none=100 * b12.no_selection,
               btm_b12_se_obd=100 * float(b12.selection_se[obd - 1]),
               btm_boin_sel_obd=100 * boin.selection[obd - 1], btm_boin_sel_mtd=100 * boin.selection[mtd - 1],
               btm_b12_n_obd=float(b12.patients[obd - 1]), btm_boin_n_obd=float(boin.patients[obd - 1]))
    for d in range(N_DOSES):
        out[f"btm_u_{d + 1}"] = float(u[d])
    return {k: out[k] if isinstance(out[k], int) else float(out[k]) for k in GLUED}


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_beyond_the_mtd.py``).

    Examples
    --------
    >>> round(numbers()["btm_w_eff"], 2), numbers()["btm_obd"]
    (0.6, 3)
    """
    return dict(_numbers())
