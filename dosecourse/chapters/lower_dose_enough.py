"""Figures, table, widget and numbers of the chapter "Was the lower dose enough?" (``register/lower-dose-enough``).

The science is in :mod:`dosecourse.dose_comparison` (non-inferiority of a lower dose against the higher dose on a
response rate, by the Farrington-Manning score test, or on an odds or hazard ratio; sample size and power, the
exact rejection probability, the re-analysis of lenvatinib Study 211) and :mod:`dosecourse.expansion_cases`
(sotorasib's approval and the sonidegib comparison, with their sources).  This module holds the chapter's
examples and shows them, in the reader's language:

* :data:`ASCEND8`: the published numbers of ceritinib ASCEND-8 (450 mg fed against 750 mg fasted) that the
  chapter uses, with their source, and :func:`ascend8_check`, their non-inferiority re-analysis;
* :func:`cases_table`: the four randomized dose comparisons of the chapter, one row each;
* :func:`study211_figure`: Study 211's estimate and confidence interval on the difference and odds-ratio scales,
  with the margins, beside the interval an equally active 18 mg would typically have given;
* :func:`sample_size_figure`: patients per arm a non-inferiority comparison needs, against the margin;
* :func:`power_figure` and :func:`power_text`: the probability of concluding non-inferiority against the
  patients per arm (large-sample formula and exact enumeration);
* :data:`widget`: true response rates, margin and patients per arm in; :func:`power_text` and
  :func:`power_figure` out;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_lower_dose_enough.py``).

References
----------
Farrington CP, Manning G. Stat Med. 1990;9(12):1447-1454. doi:10.1002/sim.4780091208
Brose MS, et al. J Clin Endocrinol Metab. 2022;107(3):776-787. doi:10.1210/clinem/dgab731
Cho BC, et al. J Thorac Oncol. 2019;14(7):1255-1265 (ASCEND-8 efficacy and safety).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator
from scipy import special

from .. import _validate
from .. import dose_comparison as dc
from .. import expansion_cases as cases
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

ASCEND8: Mapping[str, object] = MappingProxyType({
    "source": ("Cho BC, Obermannova R, Bearz A, et al. Efficacy and safety of ceritinib (450 mg/d or 600 mg/d) with "
               "food versus 750-mg/d fasted in patients with ALK receptor tyrosine kinase (ALK)-positive NSCLC: "
               "primary efficacy results from the ASCEND-8 study. J Thorac Oncol. 2019;14(7):1255-1265. Abstract: "
               "306 randomized (450 mg fed 108, 600 mg fed 87, 750 mg fasted 111); efficacy in 198 treatment-naive "
               "patients (73, 51, 74); BIRC ORR 78.1% (95% CI 66.9-86.9), 72.5% and 75.7% (64.3-84.9); dose "
               "reductions (safety set, n = 304) 24.1%, 65.1% and 60.9%."),
    "randomized": 306,
    "n_fed": 73, "n_fasted": 74,
    "orr_fed": 0.781, "orr_fasted": 0.757,
    "orr_ci_fed": (0.669, 0.869), "orr_ci_fasted": (0.643, 0.849),
    "dose_reduction_fed": 0.241, "dose_reduction_fasted": 0.609,
    # derived: round(0.781 x 73) = 57 and round(0.757 x 74) = 56; 57/73 = 78.08%, 56/74 = 75.68%
    "x_fed": 57, "x_fasted": 56,
})
"""ASCEND-8 (ceritinib 450 mg with food against 750 mg fasted), treatment-naive efficacy set, as published; the
responder counts are derived from the rates and arm sizes (they reproduce the rates and, as Clopper-Pearson
intervals, the published 95% CIs)."""

P_HIGH = 0.573
"""True response rate of the higher dose in the chapter's planning examples: Study 211's 24-mg arm."""

SCENARIOS: Mapping[str, tuple[float, float]] = MappingProxyType({
    "study211": (0.403, 0.573),
    "equal": (0.573, 0.573),
    "minus5": (0.523, 0.573),
    "minus10": (0.473, 0.573),
})
"""True response rates (lower dose, higher dose) of the widget: Study 211 as observed, equally active doses,
and a lower dose 5 or 10 percentage points less active."""

MARGINS: tuple[float, ...] = (0.05, 0.10, 0.15, 0.20)
"""Margins on the difference of response rates drawn in the power figure and offered on the site."""

MARGIN = 0.20
"""The chapter's default difference margin (20 percentage points)."""

N_SITE: tuple[int, ...] = (40, 76, 150)
"""Patients per arm offered on the site: a typical randomized dose-optimization arm, Study 211's size, double."""

N_DEFAULT = 76
"""Default patients per arm of the widget: Study 211's 152 patients split evenly."""

N_GRID: tuple[int, ...] = tuple(sorted(set(range(10, 301, 5)) | {N_DEFAULT}))
"""Patients per arm on the x axis of :func:`power_figure` (large-sample curves), including Study 211's 76."""

EXACT_N: tuple[int, ...] = (20, 40, 76, 120, 200)
"""Patients per arm at which :func:`power_figure` marks the exact rejection probability."""

RANDOMIZED_BAND: tuple[int, int] = (20, 40)
"""Patients per arm of typical randomized dose-optimization designs (MERIT, ROSE), shaded in the figures."""

HR_MARGINS: tuple[float, float] = (1.3, 1.25)
"""Hazard-ratio margins of the time-to-event example."""

_Z975 = float(special.ndtri(0.975))
_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}
_SCENARIO_COLOURS = {"study211": style.VERMILLION, "equal": style.BLUE, "minus5": style.GREEN,
                     "minus10": style.ORANGE}


def _pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}"


def _scenario(key: str) -> tuple[float, float]:
    return SCENARIOS[_validate.one_of(key, "scenario", tuple(SCENARIOS))]


@lru_cache(maxsize=1)
def study211() -> dc.Study211Check:
    """:func:`dosecourse.dose_comparison.study211_check` with the published odds-ratio margin (cached).

    Returns
    -------
    dosecourse.dose_comparison.Study211Check
    """
    return dc.study211_check()


def ascend8_check(margin: float = 0.10) -> dc.NIResult:
    """Non-inferiority of ceritinib 450 mg fed against 750 mg fasted on the ORR difference (FM test).

    Parameters
    ----------
    margin : float, default 0.10
        Margin on the difference of response rates, in (0, 1).

    Returns
    -------
    dosecourse.dose_comparison.NIResult

    Notes
    -----
    ASCEND-8 did not test non-inferiority on response: response was a key secondary end point of a trial
    designed around exposure and tolerability.  The re-analysis asks what the published numbers could support.

    Examples
    --------
    >>> r = ascend8_check(0.10)
    >>> round(r.ci_lower, 3), r.non_inferior
    (-0.113, False)
    """
    a = ASCEND8
    return dc.rate_ni_test(a["x_fed"], a["n_fed"], a["x_fasted"], a["n_fasted"], margin)


def or_margin_as_rate(margin: float, p_high: float) -> float:
    """The lower dose's response rate at which its odds ratio against ``p_high`` equals ``margin``.

    :math:`p_L^* = M o_H / (1 + M o_H)` with :math:`o_H = p_H / (1 - p_H)`: the smallest response rate an
    odds-ratio margin M accepts for the lower dose when the higher dose responds in ``p_high``.

    Parameters
    ----------
    margin : float
        Odds-ratio margin M (lower dose / higher dose), in (0, 1).
    p_high : float
        Response rate of the higher dose, in (0, 1).

    Returns
    -------
    float
        :math:`p_L^*`, in (0, ``p_high``).

    Examples
    --------
    >>> round(or_margin_as_rate(0.4, 0.573), 4)
    0.3493
    """
    m = _validate.number(margin, "margin", minimum=0.0, maximum=1.0, strict_minimum=True, strict_maximum=True)
    p = _validate.probability(p_high, "p_high")
    odds = m * p / (1 - p)
    return odds / (1 + odds)


def _n_needed(p_low: float, p_high: float, margin: float) -> int | None:
    """Patients per arm for 80% power (FM, equal allocation), or None when no sample size gives it."""
    try:
        return dc.rate_ni_sample_size(p_low, p_high, margin).n_low
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------------ table
def cases_table(lang: str = "en") -> pd.DataFrame:
    """The chapter's four randomized dose comparisons: doses, question, result and the dose carried forward.

    Numbers come from :data:`dosecourse.expansion_cases.SOTORASIB`, :func:`dosecourse.expansion_cases.case`
    (sonidegib), :data:`ASCEND8` and :func:`dosecourse.dose_comparison.load_study211`.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per drug.
    """
    lang = check_lang(lang)
    soto = cases.SOTORASIB
    son = cases.case("sonidegib")
    a = ASCEND8
    s = study211()
    rows = [
        ("sotorasib", {"hi": soto.approved_dose_mg, "lo": soto.comparison_dose_mg}),
        ("ceritinib", {"fed": _pct(a["orr_fed"]), "fasted": _pct(a["orr_fasted"]),
                       "rfed": _pct(a["dose_reduction_fed"]), "rfasted": _pct(a["dose_reduction_fasted"])}),
        ("sonidegib", {"lo": _pct(son.rates[0], 0), "hi": _pct(son.rates[1], 0), "n_lo": son.n_per_arm[0],
                       "n_hi": son.n_per_arm[1]}),
        ("lenvatinib", {"lo": _pct(s.x_low / s.n_low), "hi": _pct(s.x_high / s.n_high),
                        "or": f"{s.published_or:.2f}", "or_lo": f"{s.published_or_ci[0]:.2f}",
                        "or_hi": f"{s.published_or_ci[1]:.2f}", "m": f"{s.result.bound:g}"}),
    ]
    cols = ("drug", "doses", "question", "result", "dose")
    body = [[t(f"lde_case_{key}_{c}", lang, **fmt) for c in cols] for key, fmt in rows]
    return pd.DataFrame(body, columns=[t(f"lde_col_{c}", lang) for c in cols])


# ------------------------------------------------------------------------------------------------ figures
def _typical_half_width(p: float, n_low: int, n_high: int, z: float) -> float:
    """Half-width of the Wald interval of a difference when both doses respond in ``p``."""
    return z * math.sqrt(p * (1 - p) / n_low + p * (1 - p) / n_high)


@style.course_figure
def study211_figure(lang: str = "en", *, margins: Sequence[float] = (0.10, 0.15, 0.20)) -> Figure:
    """Study 211's result on the difference and on the odds-ratio scale, against the margins.

    Left: the difference of response rates (18 mg - 24 mg) with its Farrington-Manning 95% CI, the difference
    margins ``margins`` and the difference the published odds-ratio margin allows at the 24-mg rate
    (:func:`or_margin_as_rate`).  Right: the odds ratio with its 95% CI (log axis) and the margin 0.4.  On each
    panel a grey bar shows the interval an equally active 18 mg would typically have given (centred on no
    difference, with the width of the large-sample interval at the 24-mg rate for these arm sizes).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
    margins : sequence of float
        Difference margins to mark, in (0, 1).

    Returns
    -------
    matplotlib.figure.Figure
    """
    ms = [_validate.number(m, "margins", minimum=0.0, maximum=1.0, strict_minimum=True, strict_maximum=True)
          for m in margins]
    s = study211()
    ph = s.x_high / s.n_high
    z = _Z975
    diff = dc.rate_ni_test(s.x_low, s.n_low, s.x_high, s.n_high, max(ms))
    or_diff = or_margin_as_rate(s.result.bound, ph) - ph
    half = _typical_half_width(ph, s.n_low, s.n_high, z)
    se_or = math.sqrt(1 / (s.n_low * ph * (1 - ph)) + 1 / (s.n_high * ph * (1 - ph)))

    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(8.6, 3.6), width_ratios=(1.25, 1.0))
    rows = (1.0, 0.0)
    for ax in (ax1, ax2):
        ax.set_yticks(rows, [t("lde_s211_row_observed", lang), t("lde_s211_row_equal", lang)])
        ax.set_ylim(-0.7, 1.7)
        ax.grid(axis="y", visible=False)
    # difference panel (percentage points)
    ax1.axvline(0, color=style.GREY_DARK, lw=1.0)
    for m in ms:
        ax1.axvline(-100 * m, color=style.GREY, lw=1.0, ls="--")
        ax1.text(-100 * m, 1.62, f"−{100 * m:.0f}", ha="center", va="bottom", color=style.GREY_DARK,
                 fontsize=style.TINY_SIZE)
    ax1.axvline(100 * or_diff, color=style.PURPLE, lw=1.2, ls=":")
    ax1.text(100 * or_diff - 0.8, -0.62, t("lde_s211_or_as_diff", lang, d=f"{100 * or_diff:.1f}"), ha="right",
             va="bottom", color=style.PURPLE, fontsize=style.TINY_SIZE)
    ax1.errorbar([100 * diff.estimate], [rows[0]], xerr=[[100 * (diff.estimate - diff.ci_lower)],
                                                          [100 * (diff.ci_upper - diff.estimate)]],
                 fmt="o", color=style.VERMILLION, ms=7, capsize=4, lw=2)
    ax1.errorbar([0.0], [rows[1]], xerr=[[100 * half], [100 * half]], fmt="o", color=style.GREY, ms=6,
                 capsize=4, lw=2)
    ax1.annotate(f"{100 * diff.estimate:.1f} ({100 * diff.ci_lower:.1f}, {100 * diff.ci_upper:.1f})",
                 xy=(100 * diff.estimate, rows[0]), xytext=(0, 9), textcoords="offset points", ha="center",
                 fontsize=style.TINY_SIZE, color=style.VERMILLION, bbox=_LABEL_BOX)
    ax1.set_xlim(-40, 25)
    ax1.set_xlabel(t("lde_s211_diff_axis", lang))
    ax1.set_title(t("lde_s211_diff_title", lang), loc="left", fontsize=style.FONT_SIZE)
    # odds-ratio panel
    r = s.result
    ax2.axvline(1.0, color=style.GREY_DARK, lw=1.0)
    ax2.axvline(r.bound, color=style.PURPLE, lw=1.2, ls=":")
    ax2.text(r.bound, 1.62, t("lde_s211_or_margin", lang, m=f"{r.bound:g}"), ha="center", va="bottom",
             color=style.PURPLE, fontsize=style.TINY_SIZE)
    ax2.errorbar([r.estimate], [rows[0]], xerr=[[r.estimate - r.ci_lower], [r.ci_upper - r.estimate]], fmt="o",
                 color=style.VERMILLION, ms=7, capsize=4, lw=2)
    lo, hi = math.exp(-z * se_or), math.exp(z * se_or)
    ax2.errorbar([1.0], [rows[1]], xerr=[[1 - lo], [hi - 1]], fmt="o", color=style.GREY, ms=6, capsize=4, lw=2)
    ax2.annotate(f"{r.estimate:.2f} ({r.ci_lower:.2f}, {r.ci_upper:.2f})", xy=(r.estimate, rows[0]),
                 xytext=(0, 9), textcoords="offset points", ha="center", fontsize=style.TINY_SIZE,
                 color=style.VERMILLION, bbox=_LABEL_BOX)
    ax2.set_xscale("log")
    ax2.set_xlim(0.2, 2.5)
    ax2.set_xticks([0.25, 0.4, 0.5, 1.0, 2.0])
    ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax2.xaxis.set_minor_locator(NullLocator())
    ax2.set_yticklabels([])
    ax2.set_xlabel(t("lde_s211_or_axis", lang))
    ax2.set_title(t("lde_s211_or_title", lang), loc="left", fontsize=style.FONT_SIZE)
    fig.suptitle(t("lde_s211_title", lang, n_lo=s.n_low, n_hi=s.n_high), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


def sample_size_curve(deficit: float, margins: Sequence[float], p_high: float = P_HIGH) -> np.ndarray:
    """Patients per arm (unrounded, FM, 80% power, one-sided alpha 0.025) for each margin; NaN where none.

    Parameters
    ----------
    deficit : float
        How much less the lower dose truly responds, :math:`p_H - p_L`, in [0, p_high).
    margins : sequence of float
        Margins on the difference.
    p_high : float
        True response rate of the higher dose.

    Returns
    -------
    numpy.ndarray
        NaN where the lower dose is not within the margin or the design exceeds ``MAX_PATIENTS`` per arm.

    Examples
    --------
    >>> np.round(sample_size_curve(0.0, [0.10, 0.20]), 2).tolist()
    [381.57, 93.49]
    """
    pl = p_high - _validate.number(deficit, "deficit", minimum=0.0, maximum=p_high, strict_maximum=True)
    out = []
    for m in margins:
        try:
            out.append(dc.rate_ni_sample_size(pl, p_high, m).n_low_exact)
        except ValueError:
            out.append(np.nan)
    return np.asarray(out, dtype=float)


@style.course_figure
def sample_size_figure(lang: str = "en", *, deficits: Sequence[float] = (0.0, 0.05, 0.10),
                       p_high: float = P_HIGH) -> Figure:
    """Patients per arm a non-inferiority comparison of response rates needs, against the margin.

    One curve per true deficit of the lower dose (:func:`sample_size_curve`), on a log axis; the band of
    :data:`RANDOMIZED_BAND` patients per arm and a line at Study 211's 76 per arm for comparison.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
    deficits : sequence of float
        True deficits :math:`p_H - p_L` (0 = equally active).
    p_high : float
        True response rate of the higher dose.

    Returns
    -------
    matplotlib.figure.Figure
    """
    grid = np.round(np.arange(0.05, 0.3001, 0.005), 3)
    colours = (style.BLUE, style.GREEN, style.ORANGE, style.PURPLE)
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    ax.axhspan(*RANDOMIZED_BAND, color=style.GREY_LIGHT, lw=0, zorder=0)
    ax.text(29.8, math.sqrt(RANDOMIZED_BAND[0] * RANDOMIZED_BAND[1]), t("lde_ss_band", lang), ha="right",
            va="center", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    ax.axhline(N_DEFAULT, color=style.VERMILLION, lw=1.0, ls="--")
    ax.text(29.8, N_DEFAULT * 1.06, t("lde_ss_s211", lang, n=N_DEFAULT), ha="right", va="bottom",
            fontsize=style.TINY_SIZE, color=style.VERMILLION)
    for d, c in zip(deficits, colours):
        y = sample_size_curve(d, grid, p_high)
        ax.plot(100 * grid, y, color=c, lw=2.0,
                label=t("lde_ss_curve", lang, d=f"{100 * d:.0f}", pl=_pct(p_high - d), ph=_pct(p_high)))
    ax.set_xlim(5, 30)
    ax.set_yscale("log")
    ax.set_ylim(10, 10_000)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_xlabel(t("lde_ss_x", lang))
    ax.set_ylabel(t("lde_ss_y", lang))
    ax.set_title(t("lde_ss_title", lang), loc="left")
    ax.legend(loc="upper right")
    return fig


@lru_cache(maxsize=64)
def _power_curve(p_low: float, p_high: float, margin: float) -> np.ndarray:
    return np.array([dc.rate_ni_power(p_low, p_high, margin, n, n) for n in N_GRID])


@lru_cache(maxsize=64)
def _exact_points(p_low: float, p_high: float, margin: float) -> np.ndarray:
    return np.array([dc.rate_ni_exact_power(p_low, p_high, margin, n, n) for n in EXACT_N])


def _relation(p_low: float, p_high: float, margin: float) -> str:
    gap = p_low - p_high + margin
    return "within" if gap > 1e-9 else ("at" if gap > -1e-9 else "beyond")


@style.course_figure
def power_figure(scenario: str = "study211", margin: float = MARGIN, lang: str = "en") -> Figure:
    """Probability of concluding non-inferiority against the patients per arm, for true rates and a margin.

    The bold curve is the large-sample probability (:func:`dosecourse.dose_comparison.rate_ni_power`, the
    formula rpact uses) for ``margin``; dots mark the exact probability of the FM test
    (:func:`dosecourse.dose_comparison.rate_ni_exact_power`) at :data:`EXACT_N`; thin curves show the other
    margins of :data:`MARGINS`.  Reference lines: 80% and one-sided alpha 2.5%; the shaded band is
    :data:`RANDOMIZED_BAND`, the dashed line Study 211's 76 per arm.

    Parameters
    ----------
    scenario : str
        Key of :data:`SCENARIOS` (true response rates).
    margin : float
        Margin on the difference, in (0, 1).
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    pl, ph = _scenario(scenario)
    m = _validate.number(margin, "margin", minimum=0.0, maximum=1.0, strict_minimum=True, strict_maximum=True)
    n = np.asarray(N_GRID)
    colour = _SCENARIO_COLOURS[scenario]
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    ax.axvspan(*RANDOMIZED_BAND, color=style.GREY_LIGHT, lw=0, zorder=0)
    ax.axvline(N_DEFAULT, color=style.GREY_DARK, lw=1.0, ls="--")
    ax.text(N_DEFAULT + 3, 0.99, t("lde_pw_s211", lang), ha="left", va="top", fontsize=style.TINY_SIZE,
            color=style.GREY_DARK)
    ax.axhline(0.8, color=style.GREY, lw=0.9, ls=":")
    ax.axhline(0.025, color=style.GREY, lw=0.9, ls=":")
    ax.text(n[-1], 0.81, "80%", ha="right", va="bottom", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    ax.text(n[-1], 0.035, "α = 2.5%", ha="right", va="bottom", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    y = _power_curve(pl, ph, m)
    labelled = [float(y[-1])]
    for other in MARGINS:
        if abs(other - m) < 1e-9:
            continue
        y_other = _power_curve(pl, ph, other)
        ax.plot(n, y_other, color=style.GREY, lw=1.0)
        if min(abs(float(y_other[-1]) - v) for v in labelled) > 0.035:  # no label on top of another
            labelled.append(float(y_other[-1]))
            ax.annotate(f"{100 * other:.0f}", xy=(n[-1], y_other[-1]), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    ax.plot(n, y, color=colour, lw=2.4, label=t("lde_pw_approx", lang, m=f"{100 * m:.0f}"))
    ax.annotate(f"{100 * m:.0f}", xy=(n[-1], y[-1]), xytext=(3, 0), textcoords="offset points", va="center",
                fontsize=style.TINY_SIZE, color=colour)
    ax.plot(EXACT_N, _exact_points(pl, ph, m), "o", color=colour, mfc="white", mew=1.6, ms=6,
            label=t("lde_pw_exact", lang))
    ax.set_xlim(0, n[-1])
    ax.set_ylim(0, 1.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{100 * v:.0f}%"))
    ax.set_xlabel(t("lde_pw_x", lang))
    ax.set_ylabel(t("lde_pw_y", lang))
    ax.set_title(t("lde_pw_title", lang, pl=_pct(pl), ph=_pct(ph), m=f"{100 * m:.0f}"), loc="left",
                 fontsize=style.FONT_SIZE)
    ax.legend(loc="center right", title=t("lde_pw_legend_title", lang))
    return fig


def power_text(scenario: str = "study211", margin: float = MARGIN, n_per_arm: int = N_DEFAULT,
               lang: str = "en") -> str:
    """The widget's readout: the setting, the probability of concluding non-inferiority and what it means.

    Parameters
    ----------
    scenario : str
        Key of :data:`SCENARIOS`.
    margin : float
        Margin on the difference.
    n_per_arm : int
        Patients per arm (equal allocation).
    lang : {"en", "zh-tw"}

    Returns
    -------
    str

    Examples
    --------
    >>> print(power_text("equal", 0.20, 76).splitlines()[1])
    Probability of concluding non-inferiority: 71.6% (large-sample formula), 71.8% (exact, Farrington–Manning test).
    """
    lang = check_lang(lang)
    pl, ph = _scenario(scenario)
    n = _validate.positive_int(n_per_arm, "n_per_arm", maximum=_validate.MAX_PATIENTS)
    approx = dc.rate_ni_power(pl, ph, margin, n, n)
    exact = dc.rate_ni_exact_power(pl, ph, margin, n, n)
    lines = [t("lde_w_setting", lang, pl=_pct(pl), ph=_pct(ph), m=f"{100 * margin:.0f}", n=n),
             t("lde_w_prob", lang, approx=_pct(approx), exact=_pct(exact))]
    rel = _relation(pl, ph, margin)
    if rel == "within":
        need = _n_needed(pl, ph, margin)
        lines.append(t("lde_w_within", lang, need=f"{need:,}" if need else t("lde_w_too_many", lang)))
    else:
        lines.append(t(f"lde_w_{rel}", lang))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ widget
def _widget_text(lang: str, scenario: str, margin: float, n_per_arm: int) -> str:
    return power_text(scenario, margin, n_per_arm, lang)


def _widget_figure(lang: str, scenario: str, margin: float) -> Figure:
    return power_figure(scenario, margin, lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    pl, ph = _scenario(values["scenario"])
    m = values["margin"]
    y = _power_curve(pl, ph, m)
    n = np.asarray(N_GRID)
    at76 = float(y[n == N_DEFAULT][0])
    return t("lde_w_alt", lang, pl=_pct(pl), ph=_pct(ph), m=f"{100 * m:.0f}", p76=_pct(at76),
             p300=_pct(float(y[-1])))


widget = LiveWidget(
    "lower_dose_enough",
    controls=(
        Choice("scenario", "lde_w_scenario", tuple(SCENARIOS), value="study211",
               option_label=lambda key, lang: t(f"lde_scn_{key}", lang)),
        Slider("margin", "lde_w_margin", 0.02, 0.30, 0.01, value=MARGIN, site=MARGINS, fmt="{:.2f}"),
        Slider("n_per_arm", "lde_w_n", 10, 300, 1, value=N_DEFAULT, site=N_SITE, fmt="{:.0f}"),
    ),
    parts=(Part(_widget_text, ("scenario", "margin", "n_per_arm")),
           Part(_widget_figure, ("scenario", "margin"), alt=_widget_alt)),
    columns=3,
)
""":func:`power_text` from true rates, margin and patients per arm, and :func:`power_figure` from true rates and
margin.  On the site: 4 scenarios x 4 margins x 3 arm sizes = 48 texts and 4 x 4 = 16 figures."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_lower_dose_enough.py``).

    Examples
    --------
    >>> n = numbers()
    >>> n["lde_s211_n_lo"], n["lde_ss_n_m20"]
    (77, 94)
    """
    soto = cases.SOTORASIB
    son = cases.case("sonidegib")
    a = ASCEND8
    s = study211()
    ph_obs = s.x_high / s.n_high
    d20 = dc.rate_ni_test(s.x_low, s.n_low, s.x_high, s.n_high, 0.20)
    or_rate = or_margin_as_rate(s.result.bound, ph_obs)
    pl211, ph211 = SCENARIOS["study211"]
    ss20 = dc.rate_ni_sample_size(P_HIGH, P_HIGH, 0.20)
    cer10, cer15 = ascend8_check(0.10), ascend8_check(0.15)
    z = _Z975
    return {
        # sotorasib (FDA approval summary, via expansion_cases)
        "lde_soto_hi_mg": soto.approved_dose_mg, "lde_soto_lo_mg": soto.comparison_dose_mg,
        "lde_soto_orr": 100 * soto.orr, "lde_soto_n": soto.n,
        "lde_soto_orr_lo": 100 * soto.escalation_orr_range[0], "lde_soto_orr_hi": 100 * soto.escalation_orr_range[1],
        "lde_soto_esc_lo_mg": soto.escalation_dose_range_mg[0],
        # ceritinib ASCEND-8
        "lde_cer_randomized": a["randomized"], "lde_cer_n_fed": a["n_fed"], "lde_cer_n_fasted": a["n_fasted"],
        "lde_cer_orr_fed": 100 * a["orr_fed"], "lde_cer_orr_fasted": 100 * a["orr_fasted"],
        "lde_cer_red_fed": 100 * a["dose_reduction_fed"], "lde_cer_red_fasted": 100 * a["dose_reduction_fasted"],
        "lde_cer_x_fed": a["x_fed"], "lde_cer_x_fasted": a["x_fasted"],
        "lde_cer_diff": 100 * cer10.estimate, "lde_cer_ci_lo": 100 * cer10.ci_lower,
        "lde_cer_ci_hi": 100 * cer10.ci_upper, "lde_cer_p10": cer10.p_value, "lde_cer_p15": cer15.p_value,
        # sonidegib (BOLT, via expansion_cases)
        "lde_so_lo": 100 * son.rates[0], "lde_so_hi": 100 * son.rates[1],
        "lde_so_n_lo": son.n_per_arm[0],
        # Study 211
        "lde_s211_n_lo": s.n_low, "lde_s211_n_hi": s.n_high, "lde_s211_n": s.n_low + s.n_high,
        "lde_s211_x_lo": s.x_low, "lde_s211_x_hi": s.x_high,
        "lde_s211_orr_lo": 100 * s.x_low / s.n_low, "lde_s211_orr_hi": 100 * ph_obs,
        "lde_s211_or": s.result.estimate, "lde_s211_or_lo": s.result.ci_lower, "lde_s211_or_hi": s.result.ci_upper,
        "lde_s211_or_margin": s.result.bound, "lde_s211_or_p": s.result.p_value,
        "lde_s211_or_margin_rate": 100 * or_rate, "lde_s211_or_margin_diff": 100 * (ph_obs - or_rate),
        "lde_s211_or_power_equal": 100 * s.power_if_equal,
        "lde_s211_diff": 100 * d20.estimate, "lde_s211_fm_lo": 100 * d20.ci_lower, "lde_s211_fm_hi": 100 * d20.ci_upper,
        "lde_s211_ni_max": -100 * d20.ci_lower,
        "lde_s211_z20": d20.statistic, "lde_s211_p20": d20.p_value,
        "lde_s211_half_equal": 100 * _typical_half_width(ph_obs, s.n_low, s.n_high, z),
        "lde_s211_power20_equal": 100 * dc.rate_ni_power(ph211, ph211, 0.20, s.n_low, s.n_high),
        "lde_s211_exact20_equal": 100 * dc.rate_ni_exact_power(ph211, ph211, 0.20, s.n_low, s.n_high),
        "lde_s211_power20_obs": 100 * dc.rate_ni_power(pl211, ph211, 0.20, s.n_low, s.n_high),
        "lde_s211_exact20_obs": 100 * dc.rate_ni_exact_power(pl211, ph211, 0.20, s.n_low, s.n_high),
        "lde_s211_n80_obs": dc.rate_ni_sample_size(pl211, ph211, 0.20).n_low,
        # planning (p_high = 57.3%, one-sided alpha 2.5%, 80% power, FM)
        "lde_ss_ph": 100 * P_HIGH, "lde_ss_n_m20_exact": ss20.n_low_exact, "lde_ss_n_m20": ss20.n_low,
        "lde_ss_n_m15": dc.rate_ni_sample_size(P_HIGH, P_HIGH, 0.15).n_low,
        "lde_ss_n_m10": dc.rate_ni_sample_size(P_HIGH, P_HIGH, 0.10).n_low,
        "lde_ss_n_m20_d5": dc.rate_ni_sample_size(P_HIGH - 0.05, P_HIGH, 0.20).n_low,
        "lde_ss_n_m20_d10": dc.rate_ni_sample_size(P_HIGH - 0.10, P_HIGH, 0.20).n_low,
        "lde_ss_n_m15_d5": dc.rate_ni_sample_size(P_HIGH - 0.05, P_HIGH, 0.15).n_low,
        "lde_ss_exact_m20": 100 * dc.rate_ni_exact_power(P_HIGH, P_HIGH, 0.20, ss20.n_low, ss20.n_high),
        "lde_ss_band_lo": RANDOMIZED_BAND[0], "lde_ss_band_hi": RANDOMIZED_BAND[1],
        "lde_ss_power40_m20": 100 * dc.rate_ni_power(P_HIGH, P_HIGH, 0.20, 40, 40),
        "lde_ss_exact40_m20": 100 * dc.rate_ni_exact_power(P_HIGH, P_HIGH, 0.20, 40, 40),
        "lde_ss_power40_m10": 100 * dc.rate_ni_power(P_HIGH, P_HIGH, 0.10, 40, 40),
        "lde_ss_size40_m10": 100 * dc.rate_ni_exact_power(P_HIGH - 0.10, P_HIGH, 0.10, 40, 40),
        # hazard ratio (Schoenfeld, HR 1, 80% power)
        "lde_hr_m1": HR_MARGINS[0], "lde_hr_m2": HR_MARGINS[1],
        "lde_hr_events_m1": math.ceil(dc.hr_ni_events(1.0, HR_MARGINS[0])),
        "lde_hr_events_m2": math.ceil(dc.hr_ni_events(1.0, HR_MARGINS[1])),
        "lde_hr_power300": 100 * dc.hr_ni_power(1.0, HR_MARGINS[0], 300),
        # widget defaults
        "lde_w_margin": 100 * MARGIN, "lde_w_n": N_DEFAULT,
    }
