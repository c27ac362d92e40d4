"""Figures, tables, widget and numbers of the chapter "Why dose optimization" (``intro/why-dose-optimization``).

The science is in :mod:`dosecourse.landscape` (published numbers on the cost of the MTD paradigm) and
:mod:`dosecourse.mtd_paradigm` (the conceptual efficacy-plateau / rising-toxicity model).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import landscape
from .. import mtd_paradigm as mp
from ..i18n import check_lang, t
from . import style
from .widgets import LiveWidget, Part, Slider


def landscape_table(lang: str = "en") -> pd.DataFrame:
    """The landscape numbers as a table in ``lang``: one row per statistic, with its value and source.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the row labels, column names and sources (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Four rows (dose reduction, interruption, discontinuation, label dose at the MTD) and two columns
        (value, source).

    Examples
    --------
    >>> landscape_table("en").shape
    (4, 2)
    """
    lang = check_lang(lang)
    h, c = landscape.HARVEY_2023, landscape.COLLINS_2025
    rows = [
        (t("land_row_reduction", lang, n=h.n_drugs), f"{h.dose_reduction_pct}%", t("land_source_harvey", lang)),
        (t("land_row_interruption", lang, n=h.n_drugs), f"{h.interruption_pct}%", t("land_source_harvey", lang)),
        (t("land_row_discontinuation", lang, n=h.n_drugs), f"{h.discontinuation_pct}%",
         t("land_source_harvey", lang)),
        (t("land_row_at_mtd", lang, n=c.n_drugs), f"{c.n_at_mtd}/{c.n_drugs} ({c.pct_at_mtd:.0f}%)",
         t("land_source_collins", lang)),
    ]
    return pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows],
                        columns=[t("land_col_value", lang), t("land_col_source", lang)])


@style.course_figure
def landscape_figure(lang: str = "en") -> Figure:
    """Two panels: median dose-modification rates (Harvey 2023, top) and label dose vs MTD (Collins 2025, bottom).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label in the figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    h, c = landscape.HARVEY_2023, landscape.COLLINS_2025
    fig, (ax1, ax2) = style.new_figure(nrows=2, figsize=(7.4, 5.4), height_ratios=[2.4, 1.0])

    names = [t("land_reduction", lang), t("land_interruption", lang), t("land_discontinuation", lang)]
    values = [h.dose_reduction_pct, h.interruption_pct, h.discontinuation_pct]
    ypos = list(range(len(values)))[::-1]
    ax1.barh(ypos, values, color=style.VERMILLION, height=0.6)
    for y, v in zip(ypos, values):
        ax1.text(v + 1.2, y, f"{v}%", va="center")
    ax1.set_yticks(ypos, names)
    ax1.set_xlim(0, 100)
    ax1.set_xlabel(t("land_pct_patients", lang))
    ax1.set_title(t("land_title_modifications", lang, n=h.n_drugs, y0=h.years[0], y1=h.years[1]), loc="left",
                  fontsize=style.FONT_SIZE)
    ax1.grid(axis="y", visible=False)

    ax2.barh([0], [c.n_at_mtd], color=style.VERMILLION, height=0.6, label=t("land_at_mtd", lang))
    ax2.barh([0], [c.n_not_at_mtd], left=[c.n_at_mtd], color=style.BLUE, height=0.6,
             label=t("land_not_at_mtd", lang))
    ax2.text(c.n_at_mtd / 2, 0, f"{c.n_at_mtd}", ha="center", va="center", color="white")
    ax2.text(c.n_at_mtd + c.n_not_at_mtd / 2, 0, f"{c.n_not_at_mtd}", ha="center", va="center", color="white")
    ax2.set_xlim(0, c.n_drugs)
    ax2.set_ylim(-0.6, 0.6)
    ax2.set_yticks([])
    ax2.spines["left"].set_visible(False)
    ax2.set_xlabel(t("land_n_drugs", lang))
    ax2.set_title(t("land_title_mtd", lang, n=c.n_drugs), loc="left", fontsize=style.FONT_SIZE)
    ax2.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=2)
    return fig


@lru_cache(maxsize=256)
def _compare(ed50: float, td50: float, target: float) -> mp.ParadigmComparison:
    return mp.compare(ed50=ed50, td50=td50, target=target)


@style.course_figure
def paradigm_figure(lang: str = "en", **params: float) -> Figure:
    """Efficacy and DLT probability against dose, with the MTD and the efficacious dose marked.

    The band between the two doses is shaded; a note in the plot gives what the extra dose adds in response
    probability and in DLT probability (percentage points).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.
    **params
        Model parameters, as for :func:`dosecourse.mtd_paradigm.compare`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    res = mp.compare(**params)
    p = res.params
    x_max = 1.6 * max(res.mtd, res.efficacious_dose)
    dose = np.linspace(0.0, x_max, 400)
    eff = mp.efficacy(dose, p["ed50"], p["hill"], p["emax"])
    tox = mp.dlt_probability(dose, p["td50"], p["tox_slope"])
    c_eff, c_tox = style.BLUE, style.VERMILLION

    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    lo, hi = sorted((res.efficacious_dose, res.mtd))
    ax.axvspan(lo, hi, color=style.GREY_LIGHT, alpha=0.6, lw=0)
    ax.plot(dose, eff, color=c_eff, lw=2.2, label=t("mtdp_efficacy_curve", lang))
    ax.plot(dose, tox, color=c_tox, lw=2.2, label=t("mtdp_dlt_curve", lang))
    ax.axhline(p["target"], color=c_tox, lw=0.9, ls=":")
    ax.axhline(p["emax"], color=c_eff, lw=0.9, ls=":")
    ax.axvline(res.efficacious_dose, color=c_eff, lw=1.2, ls="--")
    ax.axvline(res.mtd, color=c_tox, lw=1.2, ls="--")
    ax.plot([res.efficacious_dose, res.mtd], [res.efficacy_at_efficacious, res.efficacy_at_mtd], "o", color=c_eff)
    ax.plot([res.efficacious_dose, res.mtd], [res.dlt_at_efficacious, res.dlt_at_mtd], "o", color=c_tox)

    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel(t("mtdp_dose_axis", lang))
    ax.set_ylabel(t("probability", lang))
    ax.set_title(t("mtdp_title", lang), loc="left", pad=22)

    trans = ax.get_xaxis_transform()
    left_first = res.efficacious_dose <= res.mtd
    ax.text(res.efficacious_dose, 1.01, t("mtdp_eff_dose_label", lang, pct=100 * p["fraction"],
                                          d=res.efficacious_dose),
            transform=trans, color=c_eff, ha="right" if left_first else "left", va="bottom",
            fontsize=style.SMALL_SIZE)
    ax.text(res.mtd, 1.01, t("mtdp_mtd_label", lang, d=res.mtd, target=100 * p["target"]),
            transform=trans, color=c_tox, ha="left" if left_first else "right", va="bottom",
            fontsize=style.SMALL_SIZE)

    sign = 1.0 if res.mtd >= res.efficacious_dose else -1.0  # always report higher dose minus lower dose
    note = t("mtdp_note", lang, lo=lo, hi=hi, gain=100 * sign * res.efficacy_gain, cost=100 * sign * res.dlt_cost)
    ax.text(0.98, 0.97, note, transform=ax.transAxes, ha="right", va="top", fontsize=style.SMALL_SIZE,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "0.7"})
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def _widget_figure(lang: str, ed50: float, td50: float, target: float) -> Figure:
    return paradigm_figure(lang, ed50=ed50, td50=td50, target=target)


def _widget_summary(lang: str, ed50: float, td50: float, target: float) -> str:
    return _compare(ed50, td50, target).summary(lang)


def _widget_alt(lang: str, values: dict) -> str:
    res = _compare(values["ed50"], values["td50"], values["target"])
    lo, hi = sorted((res.efficacious_dose, res.mtd))
    sign = 1.0 if res.mtd >= res.efficacious_dose else -1.0
    return t("mtdp_widget_alt", lang, ed50=values["ed50"], td50=values["td50"], target=100 * values["target"],
             deff=res.efficacious_dose, mtd=res.mtd, lo=lo, hi=hi, gain=100 * sign * res.efficacy_gain,
             cost=100 * sign * res.dlt_cost, x_max=1.6 * hi)


widget = LiveWidget(
    "why_dose_optimization",
    controls=(
        Slider("ed50", "mtdp_slider_ed50", 1.0, 100.0, 1.0, value=mp.DEFAULTS["ed50"], site=(5.0, 10.0, 20.0, 40.0),
               fmt="{:.0f}"),
        Slider("td50", "mtdp_slider_td50", 10.0, 400.0, 5.0, value=mp.DEFAULTS["td50"],
               site=(30.0, 60.0, 120.0, 240.0, 400.0), fmt="{:.0f}"),
        Slider("target", "mtdp_slider_target", 0.10, 0.40, 0.01, value=mp.DEFAULTS["target"],
               site=(0.20, 0.25, 0.33), fmt="{:.2f}"),
    ),
    parts=(Part(_widget_summary, ("ed50", "td50", "target")),
           Part(_widget_figure, ("ed50", "td50", "target"), alt=_widget_alt)),
    columns=3,
)
"""ED50, TD50 and the target DLT rate in; the one-sentence summary and :func:`paradigm_figure` out.  The Hill
coefficient, the toxicity slope and the plateau stay at :data:`dosecourse.mtd_paradigm.DEFAULTS`."""


def numbers() -> dict[str, float]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_why_dose_optimization.py``).

    Examples
    --------
    >>> round(numbers()["mtd_dose"], 1)
    83.2
    """
    h, c = landscape.HARVEY_2023, landscape.COLLINS_2025
    out: dict[str, float] = {
        "n_oral_nme": h.n_drugs, "pct_dose_reduction": h.dose_reduction_pct, "pct_interruption": h.interruption_pct,
        "pct_discontinuation": h.discontinuation_pct, "n_collins_nme": c.n_drugs, "n_collins_at_mtd": c.n_at_mtd,
        "n_collins_not_at_mtd": c.n_not_at_mtd, "pct_collins_at_mtd": c.pct_at_mtd, "n_collins_pmr": c.n_pmr_dose,
        "n_collins_pmr_at_mtd": c.n_pmr_dose_at_mtd,
    }
    result = mp.compare()
    p = result.params
    out.update({name: p[name] for name in ("ed50", "hill", "td50", "tox_slope")})
    out.update(emax_pct=100 * p["emax"], target_pct=100 * p["target"], plateau_fraction_pct=100 * p["fraction"],
               mtd_dose=result.mtd, eff_dose=result.efficacious_dose, dose_ratio=result.dose_ratio,
               eff_at_mtd_pct=100 * result.efficacy_at_mtd, eff_at_effdose_pct=100 * result.efficacy_at_efficacious,
               efficacy_gain_pts=100 * result.efficacy_gain, dlt_at_effdose_pct=100 * result.dlt_at_efficacious,
               dlt_cost_pts=100 * result.dlt_cost)
    ex1, ex2 = mp.compare(target=0.33), mp.compare(td50=40.0)
    out.update(ex1_mtd=ex1.mtd, ex1_eff_at_mtd_pct=100 * ex1.efficacy_at_mtd,
               ex1_extra_eff_pts=100 * (ex1.efficacy_at_mtd - result.efficacy_at_mtd),
               ex1_extra_dlt_pts=100 * (ex1.dlt_at_mtd - result.dlt_at_mtd),
               ex2_mtd=ex2.mtd, ex2_plateau_at_mtd_pct=100 * ex2.plateau_fraction_at_mtd,
               ex2_eff_at_mtd_pct=100 * ex2.efficacy_at_mtd, ex2_dlt_at_effdose_pct=100 * ex2.dlt_at_efficacious,
               ex2_extra_eff_pts=-100 * ex2.efficacy_gain, ex2_extra_dlt_pts=-100 * ex2.dlt_cost)
    return {k: float(v) for k, v in out.items()}
