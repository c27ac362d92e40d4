"""Figures, tables, widget and numbers of the chapter "Molecules with limited single-agent activity"
(``classes/limited-single-agent-activity``).

The science is in :mod:`dosecourse.target_attainment` (steady-state oral trough, Hill inhibition of the target and
the share of patients reaching a target inhibition with log-normal clearance) and
:mod:`dosecourse.escalation.boin_comb` (BOIN for drug combinations, Lin and Yin 2017).  This module holds the
chapter's examples and shows them, in the reader's language:

* :data:`MODEL`, :data:`DOSES`, :data:`TARGETS`, :data:`SITES`: an oral enzyme inhibitor given twice daily
  (teaching values, not fitted to epacadostat), doses of 25 to 600 mg, target inhibitions of 80% and 90% at trough,
  in plasma or in a tumour where the effective IC50 is :data:`TUMOUR_FACTOR` times higher (an invented assumption
  standing for a lower free concentration and an induced enzyme in the tumour);
* :func:`results`: :func:`dosecourse.target_attainment.attainment` for every dose, target and site (cached);
* :func:`interval_figure` (the widget's figure), :func:`attainment_figure` (its static companion) and
  :func:`attainment_table`;
* :data:`GRID_TOX`, :func:`design`, :func:`operating_characteristics`: BOIN for combinations on a 3 x 5 grid (the
  example scenario of the R package BOIN's ``get.oc.comb``), with :func:`selection_figure`,
  :func:`decision_table` and :func:`pathways_table`;
* :func:`components_table`: the designs that show each component's contribution;
* :data:`widget`: dose, target and site in; a summary and :func:`interval_figure` out;
* :func:`numbers`: every number the prose glues.

References
----------
Beatty GL, O'Dwyer PJ, Clark J, et al. First-in-human phase I study of the oral inhibitor of indoleamine
2,3-dioxygenase-1 epacadostat (INCB024360) in patients with advanced solid malignancies. Clin Cancer Res.
2017;23(13):3269-3276. doi:10.1158/1078-0432.CCR-16-2272 (PMID 28053021)
Lin R, Yin G. Bayesian optimal interval design for dose finding in drug-combination trials. Stat Methods Med Res.
2017;26(5):2155-2167. doi:10.1177/0962280215594494
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter
from scipy.stats import norm

from .. import target_attainment as ta
from ..escalation.boin_comb import BOINComb, CombOperatingCharacteristics
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part

MODEL = ta.PDTargetModel()
"""Teaching parameters of the inhibitor (:class:`dosecourse.target_attainment.PDTargetModel` defaults): CL/F
25 L/h, V/F 100 L (half-life 2.8 h), ka 1.5/h, 50% between-patient SD of log clearance, IC50 0.01 mg/L
(10 ng/mL), Hill coefficient 1."""

TAU = 12.0
"""Dosing interval, hours (twice daily, BID)."""

DOSES: tuple[float, ...] = (25.0, 50.0, 100.0, 300.0, 600.0)
"""Doses of the example, mg twice daily."""

CASE_DOSE = 100.0
"""The dose taken into phase 3 in the case (mg twice daily)."""

TARGETS: tuple[float, ...] = (0.8, 0.9)
"""Target inhibitions at trough."""

TUMOUR_FACTOR = 4.0
"""Ratio of the effective IC50 in the tumour to that in plasma (invented, to show what a tissue gradient does)."""

SITES: Mapping[str, float] = {"plasma": 1.0, "tumour": TUMOUR_FACTOR}
"""Where inhibition is read, with the factor on the IC50."""

DEFAULT_DOSE, DEFAULT_TARGET, DEFAULT_SITE = CASE_DOSE, 0.9, "plasma"
"""The widget's default state."""

SHARE = 0.9
"""Share of patients a dose should bring to the target
(:func:`dosecourse.target_attainment.dose_for_attainment`)."""

QUANTILES: tuple[float, ...] = (0.05, 0.5, 0.95)
"""Clearance quantiles drawn by :func:`interval_figure`: a slow, the typical and a fast eliminator (the 95th
percentile of clearance has the lowest trough)."""

NG_PER_MG_L = 1000.0
"""1 mg/L = 1000 ng/mL."""

# Beatty et al. 2017, abstract (Europe PMC, PMID 28053021): 52 patients; 50 mg once daily, 50 to 700 mg twice
# daily; near-maximal kynurenine changes at >= 100 mg BID with > 80-90% IDO1 inhibition throughout the interval.
BEATTY2017 = {"n": 52, "low_bid": 50.0, "high_bid": 700.0, "near_max_bid": 100.0, "inh_lo": 80.0, "inh_hi": 90.0}
"""First-in-human study of epacadostat (Beatty et al. 2017, abstract)."""

# Long et al. 2019 (Lancet Oncol 20:1083-1097), abstract: 100 mg BID + pembrolizumab 200 mg Q3W, 706 patients
# (354 vs 352 as reported by ASCO Post). Medians 4.7 vs 4.9 months, HR 1.00 and median follow-up 12.4 months as
# reported (ASCO Post, 2019); the 95% CI 0.83-1.21 was not read in a primary source.
LONG2019 = {"dose_bid": 100.0, "pembro_mg": 200.0, "n": 706, "n_epa": 354, "n_pbo": 352, "pfs_epa": 4.7,
            "pfs_pbo": 4.9, "hr": 1.00, "lo": 0.83, "hi": 1.21, "follow_up": 12.4}
"""ECHO-301/KEYNOTE-252 (Long et al. 2019)."""

# RELATIVITY-047: doses and the 1:3 ratio from ClinicalTrials.gov NCT03470922 (results record); 714 patients
# (355 vs 359, same record); PFS 10.1 vs 4.6 months, HR 0.75 (0.62-0.92) and 12-month PFS as reported
# (conference reports of Tawbi et al. 2022, not the article itself).
TAWBI2022 = {"rela_mg": 160.0, "nivo_mg": 480.0, "weeks": 4.0, "n": 714, "n_combo": 355, "n_nivo": 359,
             "pfs_combo": 10.1, "pfs_nivo": 4.6, "hr": 0.75, "lo": 0.62, "hi": 0.92, "pfs12_combo": 47.7,
             "pfs12_nivo": 36.0}
"""RELATIVITY-047 (Tawbi et al. 2022)."""

# ------------------------------------------------------------------------------------------------ combination
GRID_TOX = np.array([[0.01, 0.03, 0.10, 0.20, 0.30],
                     [0.03, 0.05, 0.15, 0.30, 0.60],
                     [0.08, 0.10, 0.30, 0.60, 0.75]])
"""True DLT probabilities on a 3 x 5 grid (rows: drug A levels 1-3; columns: drug B levels 1-5): the example of
``get.oc.comb`` in the R package BOIN 2.7.2.  Three combinations have the target rate 0.30."""

TARGET_DLT = 0.3
"""Target DLT rate of the combination design."""

COHORT_SIZE, N_COHORTS = 3, 10
"""Cohorts of 3, 10 cohorts (30 patients)."""

N_TRIALS, SEED = 10_000, 20261203
"""Simulated trials of :func:`operating_characteristics` and their seed."""

R_REFERENCE = {"n_trials": 40_000, "pcs": 66.6, "patients_mtd": 30.3, "sel_15": 4.12, "sel_24": 17.38,
               "sel_33": 45.12}
"""BOIN 2.7.2, ``get.oc.comb(target=0.3, p.true, ncohort=10, cohortsize=3, startdose=c(1,1), ntrial=40000,
seed=7)``: percentage of correct selection, percentage of patients at the target combinations, and the selection
percentages of the three target combinations (A1,B5), (A2,B4), (A3,B3)."""


def _fmt(x: float) -> str:
    """A number with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ------------------------------------------------------------------------------------------------ PD target
def site_model(site: str) -> ta.PDTargetModel:
    """:data:`MODEL` with the IC50 of ``site`` (plasma, or the tumour's :data:`TUMOUR_FACTOR`-fold IC50).

    Parameters
    ----------
    site : {"plasma", "tumour"}

    Returns
    -------
    dosecourse.target_attainment.PDTargetModel
    """
    if site not in SITES:
        raise ValueError(f"site must be one of {tuple(SITES)}; got {site!r}")
    return replace(MODEL, ic50=MODEL.ic50 * SITES[site])


@lru_cache(maxsize=16)
def results(target: float = DEFAULT_TARGET, site: str = DEFAULT_SITE) -> ta.Attainment:
    """:func:`dosecourse.target_attainment.attainment` for every dose of :data:`DOSES` (cached).

    Parameters
    ----------
    target : float
        Target inhibition at trough, one of :data:`TARGETS` or any value in (0, 1).
    site : {"plasma", "tumour"}

    Returns
    -------
    dosecourse.target_attainment.Attainment

    Examples
    --------
    >>> round(float(results(0.9, "plasma").fraction[2]), 3)
    0.399
    """
    return ta.attainment(list(DOSES), TAU, site_model(site), target=target)


def _index(dose: float) -> int:
    if dose not in DOSES:
        raise ValueError(f"dose must be one of {DOSES}; got {dose!r}")
    return DOSES.index(dose)


def quantile_clearance(q: float) -> float:
    """Clearance (L/h) at quantile ``q`` of the log-normal distribution of :data:`MODEL`.

    Parameters
    ----------
    q : float
        Quantile in (0, 1).

    Returns
    -------
    float
    """
    return MODEL.cl * float(np.exp(MODEL.omega * norm.ppf(q)))


@style.course_figure
def interval_figure(dose: float = DEFAULT_DOSE, target: float = DEFAULT_TARGET, site: str = DEFAULT_SITE,
                    lang: str = "en") -> Figure:
    """Concentration and inhibition over one steady-state interval for patients at the 5th, 50th and 95th
    clearance percentiles, with the target inhibition marked.

    Parameters
    ----------
    dose : float
        One of :data:`DOSES` (mg twice daily).
    target : float
        Target inhibition, one of :data:`TARGETS`.
    site : {"plasma", "tumour"}
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    _index(dose)
    m = site_model(site)
    times = np.linspace(0.0, TAU, 121)
    fig, (ax_c, ax_i) = style.new_figure(nrows=2, sharex=True, figsize=(7.4, 5.4))
    colours = {0.05: style.GREEN, 0.5: style.BLUE, 0.95: style.VERMILLION}
    for q in QUANTILES:
        cl = quantile_clearance(q)
        c = ta.steady_state_concentration(times, dose, TAU, m, cl=cl)
        inh = c / (c + m.ic50)
        label = t("lsa_q_label", lang, q=f"{100 * q:.0f}", cl=_fmt(cl))
        ax_c.plot(times, NG_PER_MG_L * c, color=colours[q], lw=2.0, label=label)
        ax_i.plot(times, 100 * inh, color=colours[q], lw=2.0)
    ax_c.set_yscale("log")
    ax_c.axhline(NG_PER_MG_L * m.ic50, color=style.GREY_DARK, lw=1.0, ls=":")
    ax_c.text(TAU, NG_PER_MG_L * m.ic50, t("lsa_ic50_text", lang, ic50=_fmt(NG_PER_MG_L * m.ic50)), ha="right",
              va="bottom", color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax_c.set_ylabel(t("lsa_conc_axis", lang))
    ax_i.axhline(100 * target, color=style.VERMILLION, lw=1.0, ls="--")
    ax_i.text(2.5, 100 * target - 1.5, t("lsa_target_text", lang, x=f"{100 * target:.0f}"), ha="left", va="top",
              color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    ax_i.set_ylim(0, 102)
    ax_i.set_xlim(0, TAU)
    ax_i.set_xticks([0, 2, 4, 6, 8, 10, 12])
    ax_i.set_ylabel(t("lsa_inh_axis", lang))
    ax_i.set_xlabel(t("lsa_time_axis", lang))
    share = float(results(target, site).fraction[_index(dose)])
    ax_c.set_title(t("lsa_interval_title", lang, dose=_fmt(dose), site=t(f"lsa_site_{site}", lang),
                     share=_pct(share), x=f"{100 * target:.0f}"), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


@style.course_figure
def attainment_figure(lang: str = "en") -> Figure:
    """Share of patients whose trough inhibition reaches 80% or 90%, against the dose, in plasma and in the
    tumour (the widget's static companion).

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    grid = np.geomspace(10.0, 3000.0, 120)
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    colours = {0.8: style.BLUE, 0.9: style.ORANGE}
    for site, ls in (("plasma", "-"), ("tumour", "--")):
        m = site_model(site)
        for target in TARGETS:
            r = ta.attainment(grid, TAU, m, target=target)
            ax.plot(grid, 100 * r.fraction, color=colours[target], ls=ls, lw=2.0,
                    label=t("lsa_att_label", lang, x=f"{100 * target:.0f}", site=t(f"lsa_site_{site}", lang)))
            pts = results(target, site)
            ax.plot(DOSES, 100 * pts.fraction, "o", color=colours[target], ms=5)
    ax.axvline(CASE_DOSE, color=style.GREY, lw=0.9, ls=":")
    ax.text(CASE_DOSE, 101, t("lsa_case_dose_text", lang, d=_fmt(CASE_DOSE)), ha="center", va="bottom",
            color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax.set_xscale("log")
    ax.set_xticks(list(DOSES))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.minorticks_off()
    ax.set_ylim(0, 108)
    ax.set_xlabel(t("lsa_dose_axis", lang))
    ax.set_ylabel(t("lsa_share_axis", lang))
    ax.set_title(t("lsa_att_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def attainment_table(lang: str = "en") -> pd.DataFrame:
    """Per dose: the typical trough, the typical patient's trough inhibition and the share of patients reaching
    80% and 90% inhibition at trough, in plasma and in the tumour.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    p80, p90, t90 = results(0.8, "plasma"), results(0.9, "plasma"), results(0.9, "tumour")
    rows = []
    for i, d in enumerate(DOSES):
        rows.append({t("lsa_col_dose", lang): f"{d:g}",
                     t("lsa_col_trough", lang): round(NG_PER_MG_L * float(p90.typical_trough[i]), 1),
                     t("lsa_col_inh", lang): round(100 * float(p90.typical_inhibition[i]), 1),
                     t("lsa_col_share80", lang): round(100 * float(p80.fraction[i]), 1),
                     t("lsa_col_share90", lang): round(100 * float(p90.fraction[i]), 1),
                     t("lsa_col_share90_tumour", lang): round(100 * float(t90.fraction[i]), 1)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------ combination
def design(rules: str = "next.comb") -> BOINComb:
    """BOIN for combinations on the 3 x 5 grid: target 0.3, cohorts of 3, 10 cohorts, start at (1, 1).

    Parameters
    ----------
    rules : {"next.comb", "get.oc.comb"}
        BOIN 2.7.2's rules for conducting a trial (the default) or for simulating one (those of ``get.oc.comb``,
        used by :func:`operating_characteristics` so that its numbers can be checked against R).

    Returns
    -------
    dosecourse.escalation.boin_comb.BOINComb
    """
    return BOINComb(TARGET_DLT, n_doses=GRID_TOX.shape, cohort_size=COHORT_SIZE, n_cohorts=N_COHORTS,
                    start_dose=(1, 1), rules=rules)


@lru_cache(maxsize=2)
def operating_characteristics() -> CombOperatingCharacteristics:
    """:data:`N_TRIALS` simulated trials of :func:`design` (the rules of ``get.oc.comb``) under :data:`GRID_TOX`
    (seed :data:`SEED`, cached).

    Returns
    -------
    dosecourse.escalation.boin_comb.CombOperatingCharacteristics
    """
    return design("get.oc.comb").simulate(GRID_TOX, n_trials=N_TRIALS, seed=SEED)


def target_cells() -> np.ndarray:
    """Boolean (J, K) mask of the combinations whose true DLT rate is the target."""
    return np.isclose(GRID_TOX, TARGET_DLT)


@style.course_figure
def selection_figure(lang: str = "en") -> Figure:
    """Heat maps on the 3 x 5 grid: true DLT rate, selection percentage and mean patients per combination.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    oc = operating_characteristics()
    sel = np.asarray(oc.selection, dtype=float)
    pts = np.asarray(oc.patients, dtype=float)
    panels = ((100 * GRID_TOX, "lsa_hm_true", "{:.0f}"), (sel, "lsa_hm_sel", "{:.1f}"),
              (pts, "lsa_hm_pts", "{:.1f}"))
    fig, axes = style.new_figure(ncols=3, figsize=(10.2, 3.6))
    j, k = GRID_TOX.shape
    mask = target_cells()
    for ax, (values, key, fmt) in zip(axes, panels, strict=True):
        ax.imshow(values, cmap="Blues", origin="lower", aspect="auto", vmin=0, vmax=max(float(values.max()), 1e-9))
        top = float(values.max())
        for a in range(j):
            for b in range(k):
                v = float(values[a, b])
                ax.text(b, a, fmt.format(v), ha="center", va="center", fontsize=style.TINY_SIZE,
                        color="white" if v > 0.6 * top else "black",
                        fontweight="bold" if mask[a, b] else "normal")
                if mask[a, b]:
                    ax.add_patch(_box(b, a))
        ax.set_xticks(range(k), [str(i + 1) for i in range(k)])
        ax.set_yticks(range(j), [str(i + 1) for i in range(j)])
        ax.set_xlabel(t("lsa_hm_xb", lang))
        ax.set_title(t(key, lang), loc="left", fontsize=style.SMALL_SIZE + 1)
    axes[0].set_ylabel(t("lsa_hm_ya", lang))
    fig.suptitle(t("lsa_hm_title", lang, n=f"{oc.n_trials:,}", N=COHORT_SIZE * N_COHORTS), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


def _box(x: float, y: float) -> Rectangle:
    return Rectangle((x - 0.5, y - 0.5), 1.0, 1.0, fill=False, ec=style.VERMILLION, lw=2.0)


def decision_table(lang: str = "en") -> pd.DataFrame:
    """The BOIN decision table of :func:`design` (escalate, stay, de-escalate by patients treated).

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    return design().decision_table(max_n=12, lang=check_lang(lang))


def pathways_table(lang: str = "en") -> pd.DataFrame:
    """Dose transition pathways of :func:`design` for the first two cohorts.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    return design().pathways(n_cohorts=2, lang=check_lang(lang))


def components_table(lang: str = "en") -> pd.DataFrame:
    """Designs that show the contribution of each component of a combination, and what each shows.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    keys = ("factorial", "addon", "ratio", "dose_combo")
    return pd.DataFrame([{t("lsa_ct_design", lang): t(f"lsa_ct_{k}", lang),
                          t("lsa_ct_arms", lang): t(f"lsa_ct_{k}_arms", lang),
                          t("lsa_ct_shows", lang): t(f"lsa_ct_{k}_shows", lang)} for k in keys])


# ------------------------------------------------------------------------------------------------ widget
def summary_text(dose: float = DEFAULT_DOSE, target: float = DEFAULT_TARGET, site: str = DEFAULT_SITE,
                 lang: str = "en") -> str:
    """The widget's summary: typical trough and its inhibition, the mean inhibition over patients and the share of
    patients at or above the target.

    Parameters
    ----------
    dose, target, site
        As :func:`interval_figure`.
    lang : {"en", "zh-tw"}

    Returns
    -------
    str

    Examples
    --------
    >>> print(summary_text().splitlines()[1])
    Patients reaching 90% inhibition at trough: 39.9%
    """
    lang = check_lang(lang)
    i = _index(dose)
    r = results(target, site)
    return "\n".join([
        t("lsa_sum_trough", lang, dose=_fmt(dose), site=t(f"lsa_site_{site}", lang),
          c=_fmt(NG_PER_MG_L * float(r.typical_trough[i])), inh=f"{100 * float(r.typical_inhibition[i]):.1f}"),
        t("lsa_sum_share", lang, x=f"{100 * target:.0f}", share=f"{100 * float(r.fraction[i]):.1f}"),
        t("lsa_sum_mean", lang, mean=f"{100 * float(r.mean_inhibition[i]):.1f}",
          c=_fmt(NG_PER_MG_L * r.threshold)),
    ])


def _widget_text(lang: str, dose: float, target: float, site: str) -> str:
    return summary_text(dose, target, site, lang)


def _widget_figure(lang: str, dose: float, target: float, site: str) -> Figure:
    return interval_figure(dose, target, site, lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    d, x, s = values["dose"], values["target"], values["site"]
    r = results(x, s)
    i = _index(d)
    return t("lsa_widget_alt", lang, dose=_fmt(d), site=t(f"lsa_site_{s}", lang), x=f"{100 * x:.0f}",
             inh=f"{100 * float(r.typical_inhibition[i]):.1f}", share=f"{100 * float(r.fraction[i]):.1f}")


widget = LiveWidget(
    "limited_single_agent_activity",
    controls=(
        Choice("dose", "lsa_w_dose", DOSES, value=DEFAULT_DOSE,
               option_label=lambda v, lang: t("lsa_dose_option", lang, d=_fmt(v))),
        Choice("target", "lsa_w_target", TARGETS, value=DEFAULT_TARGET, buttons=True,
               option_label=lambda v, lang: f"{100 * v:.0f}%"),
        Choice("site", "lsa_w_site", tuple(SITES), value=DEFAULT_SITE, buttons=True,
               option_label=lambda v, lang: t(f"lsa_site_{v}", lang)),
    ),
    parts=(Part(_widget_text, ("dose", "target", "site")),
           Part(_widget_figure, ("dose", "target", "site"), alt=_widget_alt)),
    columns=3,
)
""":func:`dosecourse.target_attainment.attainment` from the dose, the target inhibition and the site;
:func:`summary_text` and :func:`interval_figure` out.  On the site: 5 doses x 2 targets x 2 sites = 20 states per
output, 40 in all."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in
    ``tests/chapters/test_limited_single_agent_activity.py``).

    Examples
    --------
    >>> round(numbers()["lsa_half_life"], 2)
    2.77
    """
    m = MODEL
    i100, i300, i600 = _index(100.0), _index(300.0), _index(600.0)
    p80, p90 = results(0.8, "plasma"), results(0.9, "plasma")
    t80, t90 = results(0.8, "tumour"), results(0.9, "tumour")
    tm = site_model("tumour")
    peak = float(ta.steady_state_concentration(np.linspace(0, TAU, 721), CASE_DOSE, TAU, m).max())
    d90 = ta.dose_for_attainment(TAU, m, 0.9, SHARE)
    d90_t = ta.dose_for_attainment(TAU, tm, 0.9, SHARE)
    d80 = ta.dose_for_attainment(TAU, m, 0.8, SHARE)
    cl05, cl95 = quantile_clearance(0.05), quantile_clearance(0.95)
    tr05 = float(ta.steady_state_concentration(TAU, CASE_DOSE, TAU, m, cl=cl05))
    tr95 = float(ta.steady_state_concentration(TAU, CASE_DOSE, TAU, m, cl=cl95))
    oc = operating_characteristics()
    sel = np.asarray(oc.selection, dtype=float)
    pts = np.asarray(oc.patients, dtype=float)
    dlts = np.asarray(oc.dlts, dtype=float)
    mask = target_cells()
    above = GRID_TOX > TARGET_DLT
    n_mean = float(oc.total_n)
    b = design()
    out = {
        # model
        "lsa_cl": m.cl, "lsa_v": m.v, "lsa_ka": m.ka, "lsa_half_life": np.log(2) * m.v / m.cl,
        "lsa_omega_pct": 100 * m.omega, "lsa_ic50_ng": NG_PER_MG_L * m.ic50, "lsa_tau": TAU,
        "lsa_tumour_factor": TUMOUR_FACTOR, "lsa_ic50_tumour_ng": NG_PER_MG_L * tm.ic50,
        "lsa_c80_ng": NG_PER_MG_L * p80.threshold, "lsa_c90_ng": NG_PER_MG_L * p90.threshold,
        "lsa_c90_ratio": p90.threshold / p80.threshold,
        # the case dose in the typical patient
        "lsa_trough100_ng": NG_PER_MG_L * float(p90.typical_trough[i100]),
        "lsa_peak100_ng": NG_PER_MG_L * peak,
        "lsa_inh100": 100 * float(p90.typical_inhibition[i100]),
        "lsa_inh100_peak": 100 * peak / (peak + m.ic50),
        "lsa_inh100_tumour": 100 * float(t90.typical_inhibition[i100]),
        "lsa_mean100": 100 * float(p90.mean_inhibition[i100]),
        # variability
        "lsa_cl05": cl05, "lsa_cl95": cl95, "lsa_tr05_ng": NG_PER_MG_L * tr05, "lsa_tr95_ng": NG_PER_MG_L * tr95,
        "lsa_tr_ratio": tr05 / tr95,
        # shares of patients at or above the target
        "lsa_share80_100": 100 * float(p80.fraction[i100]), "lsa_share90_100": 100 * float(p90.fraction[i100]),
        "lsa_share80_100_t": 100 * float(t80.fraction[i100]), "lsa_share90_100_t": 100 * float(t90.fraction[i100]),
        "lsa_share90_300": 100 * float(p90.fraction[i300]), "lsa_share90_600": 100 * float(p90.fraction[i600]),
        "lsa_share90_300_t": 100 * float(t90.fraction[i300]), "lsa_share90_600_t": 100 * float(t90.fraction[i600]),
        "lsa_dose_90_80": d80, "lsa_dose_90_90": d90, "lsa_dose_90_90_t": d90_t,
        "lsa_dose_ratio": d90 / CASE_DOSE, "lsa_share_goal": 100 * SHARE,
        # published: epacadostat
        "lsa_b_n": BEATTY2017["n"], "lsa_b_low": BEATTY2017["low_bid"], "lsa_b_high": BEATTY2017["high_bid"],
        "lsa_b_near": BEATTY2017["near_max_bid"], "lsa_b_inh_lo": BEATTY2017["inh_lo"],
        "lsa_b_inh_hi": BEATTY2017["inh_hi"],
        "lsa_l_dose": LONG2019["dose_bid"], "lsa_l_pembro": LONG2019["pembro_mg"], "lsa_l_n": LONG2019["n"],
        "lsa_l_n_epa": LONG2019["n_epa"], "lsa_l_n_pbo": LONG2019["n_pbo"], "lsa_l_pfs_epa": LONG2019["pfs_epa"],
        "lsa_l_pfs_pbo": LONG2019["pfs_pbo"], "lsa_l_hr": LONG2019["hr"], "lsa_l_lo": LONG2019["lo"],
        "lsa_l_hi": LONG2019["hi"], "lsa_l_fu": LONG2019["follow_up"],
        # published: relatlimab + nivolumab
        "lsa_r_rela": TAWBI2022["rela_mg"], "lsa_r_nivo": TAWBI2022["nivo_mg"], "lsa_r_weeks": TAWBI2022["weeks"],
        "lsa_r_ratio": TAWBI2022["nivo_mg"] / TAWBI2022["rela_mg"], "lsa_r_n": TAWBI2022["n"],
        "lsa_r_n_combo": TAWBI2022["n_combo"], "lsa_r_n_nivo": TAWBI2022["n_nivo"],
        "lsa_r_pfs_combo": TAWBI2022["pfs_combo"], "lsa_r_pfs_nivo": TAWBI2022["pfs_nivo"],
        "lsa_r_hr": TAWBI2022["hr"], "lsa_r_lo": TAWBI2022["lo"], "lsa_r_hi": TAWBI2022["hi"],
        "lsa_r_pfs12_combo": TAWBI2022["pfs12_combo"], "lsa_r_pfs12_nivo": TAWBI2022["pfs12_nivo"],
        # combination design
        "lsa_bc_target": 100 * TARGET_DLT, "lsa_bc_j": GRID_TOX.shape[0], "lsa_bc_k": GRID_TOX.shape[1],
        "lsa_bc_cells": GRID_TOX.size, "lsa_bc_cohort": COHORT_SIZE, "lsa_bc_cohorts": N_COHORTS,
        "lsa_bc_nmax": COHORT_SIZE * N_COHORTS, "lsa_bc_trials": oc.n_trials, "lsa_bc_seed": oc.seed,
        "lsa_bc_lambda_e": b.lambda_e, "lsa_bc_lambda_d": b.lambda_d,
        "lsa_bc_pcs": float(sel[mask].sum()),
        "lsa_bc_sel33": float(sel[2, 2]), "lsa_bc_sel24": float(sel[1, 3]), "lsa_bc_sel15": float(sel[0, 4]),
        "lsa_bc_sel_above": float(sel[above].sum()), "lsa_bc_no_sel": float(oc.no_selection),
        "lsa_bc_pts_mtd": 100 * float(pts[mask].sum()) / n_mean,
        "lsa_bc_pts_above": 100 * float(pts[above].sum()) / n_mean,
        "lsa_bc_n_mean": n_mean, "lsa_bc_dlt_mean": float(dlts.sum()),
        "lsa_bc_r_pcs": R_REFERENCE["pcs"], "lsa_bc_r_pts_mtd": R_REFERENCE["patients_mtd"],
        "lsa_bc_r_trials": R_REFERENCE["n_trials"],
    }
    return out
