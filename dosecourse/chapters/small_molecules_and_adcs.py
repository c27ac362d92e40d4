"""Figures, tables, widget and numbers of the chapter "Small molecules and ADCs" (``classes/small-molecules-and-adcs``).

The science is in :mod:`dosecourse.target_window`: target inhibition as an Emax function of exposure, off-target
toxicity as a logistic function of log exposure, log-normal exposure that is proportional to dose or reaches a
plateau.  This module holds the chapter's sotorasib-like example and shows it, in the reader's language:

* :data:`DOSES`, :data:`EXPOSURES`, :data:`OMEGAS`: the dose grid (60 to 960 mg once daily), proportional
  exposure or a plateau above 240 mg (as reported for sotorasib), and three degrees of between-patient variability;
* :func:`model` and :func:`curves`: the teaching model of each setting and its per-dose results;
* :func:`window_figure`: typical exposure, mean inhibition, per-cycle toxicity and the fraction of patients with
  a dose reduction against dose, with the chosen dose and the diminishing-return dose;
* :func:`cases_table`: sotorasib, trastuzumab deruxtecan (DESTINY-Lung02) and ceritinib (ASCEND-8);
* :data:`widget`: dose, exposure shape and variability in; a summary and :func:`window_figure` out;
* :func:`numbers`: every number the prose glues.

The model's parameters are illustrative (:class:`dosecourse.target_window.TargetWindowModel` defaults), not
fitted to sotorasib or any drug.

References
----------
Nakajima EC, et al. Clin Cancer Res. 2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074 (sotorasib).
Goto K, et al. J Clin Oncol. 2023;41(31):4852-4863. doi:10.1200/JCO.23.01361 (DESTINY-Lung02).
Cho BC, et al. J Thorac Oncol. 2019;14(7):1255-1265 (ASCEND-8).
Harvey RD. J Natl Cancer Inst. 2023;115(5):485-487. doi:10.1093/jnci/djad042 (dose modifications).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator

from .. import _validate, landscape
from .. import expansion_cases as cases
from .. import target_window as tw
from ..i18n import check_lang, t
from . import style
from .lower_dose_enough import ASCEND8
from .widgets import Choice, LiveWidget, Part

DOSES: tuple[float, ...] = (60.0, 120.0, 240.0, 480.0, 720.0, 960.0)
"""Once-daily doses (mg) of the example and the widget: 240 and 960 mg are the sotorasib comparison."""

CURVE_DOSES = np.geomspace(30.0, 1920.0, 121)
"""Doses (mg) on which :func:`window_figure` draws the curves."""

SATURATION_DOSE = 240.0
"""Dose (mg) above which exposure stops rising in the plateau setting (reported for sotorasib, 240 to 960 mg)."""

EXPOSURES: tuple[str, ...] = ("proportional", "plateau")
"""Exposure shapes: proportional to dose, or a plateau above :data:`SATURATION_DOSE`."""

OMEGAS: Mapping[str, float] = MappingProxyType({"low": 0.2, "moderate": 0.4, "high": 0.8})
"""Between-patient SD of log exposure by name (CV about 20%, 42% and 95%)."""

N_CYCLES = 4
"""Treatment cycles over which dose reductions are counted."""

MIN_GAIN = 0.05
"""A doubling of dose that adds less than this to the mean inhibition (5 percentage points) "buys little"."""

LOW_DOSE, HIGH_DOSE = 240.0, 960.0
"""The two doses of the worked comparison (mg)."""

_COLOURS = {"inh": style.BLUE, "tox": style.VERMILLION, "red": style.ORANGE}


@lru_cache(maxsize=16)
def model(exposure: str = "proportional", omega: str = "moderate") -> tw.TargetWindowModel:
    """The teaching model of one setting: default parameters, exposure shape and variability.

    Parameters
    ----------
    exposure : {"proportional", "plateau"}
    omega : {"low", "moderate", "high"}

    Returns
    -------
    dosecourse.target_window.TargetWindowModel
    """
    _validate.one_of(exposure, "exposure", EXPOSURES)
    w = OMEGAS[_validate.one_of(omega, "omega", tuple(OMEGAS))]
    sat = SATURATION_DOSE if exposure == "plateau" else None
    return tw.TargetWindowModel(omega=w, saturation_dose=sat, power_above=0.0)


@lru_cache(maxsize=16)
def curves(exposure: str = "proportional", omega: str = "moderate") -> tw.WindowResult:
    """:func:`dosecourse.target_window.evaluate` of :func:`model` on :data:`CURVE_DOSES` (cached)."""
    return tw.evaluate(CURVE_DOSES, model(exposure, omega), n_cycles=N_CYCLES)


def at(dose: float, exposure: str = "proportional", omega: str = "moderate") -> dict[str, float]:
    """Typical exposure, mean inhibition, per-cycle toxicity and fraction reduced at one dose.

    Parameters
    ----------
    dose : float
        Dose (mg, > 0).
    exposure, omega
        As :func:`model`.

    Returns
    -------
    dict of float
        ``exposure``, ``inhibition``, ``toxicity`` (per cycle) and ``reduction`` (within :data:`N_CYCLES`).

    Examples
    --------
    >>> round(at(240.0)["inhibition"], 3)
    0.863
    """
    r = tw.evaluate([_validate.positive(dose, "dose")], model(exposure, omega), n_cycles=N_CYCLES)
    return {"exposure": float(r.exposure[0]), "inhibition": float(r.mean_inhibition[0]),
            "toxicity": float(r.p_toxicity[0]), "reduction": float(r.p_reduction[0])}


@lru_cache(maxsize=16)
def knee(exposure: str = "proportional", omega: str = "moderate") -> float | None:
    """:func:`dosecourse.target_window.diminishing_return_dose` of the setting (mg), :data:`MIN_GAIN` (None: none
    in the dose range)."""
    return tw.diminishing_return_dose(model(exposure, omega), MIN_GAIN, bounds=(1.0, 10_000.0))


# ------------------------------------------------------------------------------------------------ figure
@style.course_figure
def window_figure(exposure: str = "proportional", omega: str = "moderate", dose: float = HIGH_DOSE,
                  lang: str = "en") -> Figure:
    """Typical exposure (top) and mean inhibition, per-cycle toxicity and fraction reduced (bottom) by dose.

    Parameters
    ----------
    exposure, omega
        As :func:`model`.
    dose : float, default 960
        The chosen dose (mg), marked on both panels.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    r = curves(exposure, omega)
    here = at(dose, exposure, omega)
    d_star = knee(exposure, omega)
    fig, (ax_e, ax) = style.new_figure(nrows=2, sharex=True, figsize=(7.4, 5.6), height_ratios=(1.0, 2.2))
    ax_e.plot(r.dose, r.exposure, color=style.BLACK, lw=2.0)
    ax_e.set_ylabel(t("sma_axis_exposure", lang))
    ax_e.set_title(t(f"sma_title_{exposure}", lang), loc="left")
    ax.plot(r.dose, r.mean_inhibition, color=_COLOURS["inh"], lw=2.2, label=t("sma_curve_inhibition", lang))
    ax.plot(r.dose, r.p_toxicity, color=_COLOURS["tox"], lw=2.0, ls="--", label=t("sma_curve_toxicity", lang))
    ax.plot(r.dose, r.p_reduction, color=_COLOURS["red"], lw=2.0, ls="-.",
            label=t("sma_curve_reduction", lang, n=N_CYCLES))
    for a in (ax_e, ax):
        a.axvline(dose, color=style.GREY_DARK, lw=1.2)
        if d_star is not None:
            a.axvline(d_star, color=style.GREY, lw=1.0, ls=":")
    ax.plot([dose] * 3, [here["inhibition"], here["toxicity"], here["reduction"]], "o", color=style.GREY_DARK,
            ms=5)
    trans = ax.get_xaxis_transform()
    ax.annotate(t("sma_chosen_text", lang, dose=f"{dose:g}"), xy=(dose, 0.99), xycoords=trans, xytext=(-3, 0),
                textcoords="offset points", rotation=90, rotation_mode="anchor", ha="right", va="bottom",
                color=style.GREY_DARK, fontsize=style.TINY_SIZE)
    if d_star is not None:
        ax.annotate(t("sma_knee_text", lang, dose=f"{d_star:.0f}"), xy=(d_star, 0.99), xycoords=trans,
                    xytext=(-3, 0), textcoords="offset points", rotation=90, rotation_mode="anchor", ha="right",
                    va="bottom", color=style.GREY, fontsize=style.TINY_SIZE)
    ax.set_xscale("log")
    ax.set_xlim(CURVE_DOSES[0], CURVE_DOSES[-1])
    ax.xaxis.set_major_locator(FixedLocator([30, 60, 120, 240, 480, 960, 1920]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(t("sma_axis_dose", lang))
    ax.set_ylabel(t("sma_axis_fraction", lang))
    fig.legend(loc="outside lower center", ncols=3)
    return fig


# ------------------------------------------------------------------------------------------------ table
def cases_table(lang: str = "en") -> pd.DataFrame:
    """The chapter's three published cases: the doses compared, exposure, efficacy and toxicity, and status.

    Parameters
    ----------
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per drug; numbers from ``dosecourse/data/expansion_cases.json`` and the ASCEND-8 abstract
        (:data:`dosecourse.chapters.lower_dose_enough.ASCEND8`).
    """
    lang = check_lang(lang)
    s, d = cases.SOTORASIB, cases.case("trastuzumab_deruxtecan")
    lo, hi = d.arms
    rows = [
        ("sotorasib", t("sma_case_soto_doses", lang, lo=s.comparison_dose_mg, hi=s.approved_dose_mg),
         t("sma_case_soto_exposure", lang),
         t("sma_case_soto_efficacy", lang, orr=f"{100 * s.orr:.0f}", n=s.n, dose=s.approved_dose_mg),
         t("sma_case_soto_tox", lang), t("sma_status_reported_exposure", lang)),
        ("trastuzumab deruxtecan", t("sma_case_tdxd_doses", lang), t("sma_case_tdxd_exposure", lang),
         t("sma_case_orr_pair", lang, lo=f"{100 * lo.response_rate:.1f}", hi=f"{100 * hi.response_rate:.1f}"),
         t("sma_case_tdxd_tox", lang, lo=f"{100 * lo.safety_rate:.1f}", hi=f"{100 * hi.safety_rate:.1f}"),
         t("sma_status_reported_ild", lang)),
        ("ceritinib", t("sma_case_cer_doses", lang), t("sma_case_cer_exposure", lang),
         t("sma_case_orr_pair", lang, lo=f"{100 * ASCEND8['orr_fed']:.1f}", hi=f"{100 * ASCEND8['orr_fasted']:.1f}"),
         t("sma_case_cer_tox", lang, lo=f"{100 * ASCEND8['dose_reduction_fed']:.1f}",
           hi=f"{100 * ASCEND8['dose_reduction_fasted']:.1f}"),
         t("sma_status_src", lang)),
    ]
    cols = [t(f"sma_col_{c}", lang) for c in ("drug", "doses", "exposure", "efficacy", "toxicity", "status")]
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------------------------------------------------ widget
def summary_text(dose: float = HIGH_DOSE, exposure: str = "proportional", omega: str = "moderate",
                 lang: str = "en") -> str:
    """The widget's summary: the chosen dose against half of it, and the diminishing-return dose.

    Parameters
    ----------
    dose : float, default 960
        Dose (mg).
    exposure, omega
        As :func:`model`.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Examples
    --------
    >>> print(summary_text().splitlines()[0][:60])
    960 mg: typical exposure 4 × that of 240 mg, mean target inh
    """
    lang = check_lang(lang)
    here = at(dose, exposure, omega)
    half = at(dose / 2, exposure, omega)
    d_star = knee(exposure, omega)
    lines = [t("sma_sum_here", lang, dose=f"{dose:g}", e=f"{here['exposure']:.3g}",
               inh=f"{100 * here['inhibition']:.1f}", tox=f"{100 * here['toxicity']:.1f}", n=N_CYCLES,
               red=f"{100 * here['reduction']:.1f}"),
             t("sma_sum_half", lang, half=f"{dose / 2:g}",
               d_inh=f"{100 * (here['inhibition'] - half['inhibition']):.1f}",
               d_red=f"{100 * (here['reduction'] - half['reduction']):.1f}")]
    if d_star is not None:
        lines.append(t("sma_sum_knee", lang, knee=f"{d_star:.0f}", g=f"{100 * MIN_GAIN:.0f}"))
    return "\n".join(lines)


def _widget_text(lang: str, dose: float, exposure: str, omega: str) -> str:
    return summary_text(dose, exposure, omega, lang)


def _widget_figure(lang: str, dose: float, exposure: str, omega: str) -> Figure:
    return window_figure(exposure, omega, dose, lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    dose, exposure, omega = values["dose"], values["exposure"], values["omega"]
    here = at(dose, exposure, omega)
    return t("sma_widget_alt", lang, shape=t(f"sma_exposure_{exposure}", lang), omega=t(f"sma_omega_{omega}", lang),
             dose=f"{dose:g}", inh=f"{100 * here['inhibition']:.1f}", tox=f"{100 * here['toxicity']:.1f}",
             red=f"{100 * here['reduction']:.1f}", knee=f"{knee(exposure, omega):.0f}")


widget = LiveWidget(
    "small_molecules_and_adcs",
    controls=(
        Choice("dose", "sma_w_dose", DOSES, value=HIGH_DOSE, option_label=lambda v, lang: f"{v:g} mg"),
        Choice("exposure", "sma_w_exposure", EXPOSURES, value="proportional",
               option_label=lambda key, lang: t(f"sma_exposure_{key}", lang)),
        Choice("omega", "sma_w_omega", tuple(OMEGAS), value="moderate",
               option_label=lambda key, lang: t(f"sma_omega_{key}", lang)),
    ),
    parts=(Part(_widget_text, ("dose", "exposure", "omega")),
           Part(_widget_figure, ("dose", "exposure", "omega"), alt=_widget_alt)),
    columns=3,
)
""":func:`summary_text` and :func:`window_figure` from the dose, the exposure shape and the variability.  On the
site: 6 doses x 2 shapes x 3 variabilities = 36 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_small_molecules_and_adcs.py``).

    Examples
    --------
    >>> round(numbers()["sma_inh_prop_lo"], 3)
    0.863
    """
    m = tw.TargetWindowModel()
    pl, ph = at(LOW_DOSE), at(HIGH_DOSE)
    sl, sh = at(LOW_DOSE, "plateau"), at(HIGH_DOSE, "plateau")
    vl, vh = at(LOW_DOSE, omega="high"), at(HIGH_DOSE, omega="high")
    s, d = cases.SOTORASIB, cases.case("trastuzumab_deruxtecan")
    lo, hi = d.arms
    h = landscape.HARVEY_2023
    return {
        # the model's teaching parameters
        "sma_ec50": m.ec50, "sma_ec50_mg": m.ec50 / m.exposure_per_dose, "sma_tox50": m.tox50,
        "sma_tox50_mg": m.tox50 / m.exposure_per_dose, "sma_tox_slope": m.tox_slope, "sma_omega": m.omega,
        "sma_omega_high": OMEGAS["high"], "sma_n_cycles": N_CYCLES, "sma_min_gain_pct": 100 * MIN_GAIN,
        "sma_sat_dose": SATURATION_DOSE, "sma_lo_dose": LOW_DOSE, "sma_hi_dose": HIGH_DOSE,
        # proportional exposure: 240 against 960 mg
        "sma_inh_prop_lo": pl["inhibition"], "sma_inh_prop_hi": ph["inhibition"],
        "sma_inh_gain_pp": 100 * (ph["inhibition"] - pl["inhibition"]),
        "sma_tox_prop_lo_pct": 100 * pl["toxicity"], "sma_tox_prop_hi_pct": 100 * ph["toxicity"],
        "sma_red_prop_lo_pct": 100 * pl["reduction"], "sma_red_prop_hi_pct": 100 * ph["reduction"],
        "sma_red_gain_pp": 100 * (ph["reduction"] - pl["reduction"]),
        "sma_knee_prop": knee("proportional"), "sma_knee_plateau": knee("plateau"),
        "sma_knee_high": knee("proportional", "high"),
        # a plateau above 240 mg
        "sma_inh_plat_hi": sh["inhibition"], "sma_red_plat_hi_pct": 100 * sh["reduction"],
        "sma_red_plat_lo_pct": 100 * sl["reduction"],
        # high variability
        "sma_inh_var_lo": vl["inhibition"], "sma_inh_var_hi": vh["inhibition"],
        "sma_red_var_lo_pct": 100 * vl["reduction"], "sma_red_var_hi_pct": 100 * vh["reduction"],
        # published cases
        "sma_soto_dose": s.approved_dose_mg, "sma_soto_cmp_dose": s.comparison_dose_mg,
        "sma_soto_orr_pct": 100 * s.orr, "sma_soto_n": s.n,
        "sma_soto_esc_lo_pct": 100 * s.escalation_orr_range[0], "sma_soto_esc_hi_pct": 100 * s.escalation_orr_range[1],
        "sma_soto_esc_lo_mg": s.escalation_dose_range_mg[0], "sma_soto_esc_hi_mg": s.escalation_dose_range_mg[1],
        "sma_tdxd_n_lo": lo.n, "sma_tdxd_n_hi": hi.n,
        "sma_tdxd_orr_lo_pct": 100 * lo.response_rate, "sma_tdxd_orr_hi_pct": 100 * hi.response_rate,
        "sma_tdxd_ild_lo_pct": 100 * lo.safety_rate, "sma_tdxd_ild_hi_pct": 100 * hi.safety_rate,
        "sma_tdxd_orr_diff_pp": 100 * (hi.response_rate - lo.response_rate),
        "sma_tdxd_ild_diff_pp": 100 * (hi.safety_rate - lo.safety_rate),
        "sma_cer_orr_fed_pct": 100 * ASCEND8["orr_fed"], "sma_cer_orr_fasted_pct": 100 * ASCEND8["orr_fasted"],
        "sma_cer_red_fed_pct": 100 * ASCEND8["dose_reduction_fed"],
        "sma_cer_red_fasted_pct": 100 * ASCEND8["dose_reduction_fasted"],
        "sma_cer_n_fed": ASCEND8["n_fed"], "sma_cer_n_fasted": ASCEND8["n_fasted"],
        "sma_harvey_n": h.n_drugs, "sma_harvey_red_pct": h.dose_reduction_pct,
        "sma_harvey_int_pct": h.interruption_pct, "sma_harvey_disc_pct": h.discontinuation_pct,
        "sma_harvey_first": h.years[0], "sma_harvey_last": h.years[1],
    }
