"""Figures, tables, widget and numbers of the chapter "Large-molecule antagonists"
(``classes/large-molecule-antagonists``).

The science is in :mod:`dosecourse.pd` (receptor occupancy, target-mediated drug disposition at the full,
quasi-steady-state and quasi-equilibrium levels, :func:`dosecourse.pd.simulate_tmdd` and the teaching parameter
set :data:`dosecourse.pd.TEACHING_TMDD`) and :mod:`dosecourse.poppk` (the published pembrolizumab model).  This
module holds the chapter's example and shows it, in the reader's language:

* :data:`WEIGHT_KG`, :data:`DOSE_LEVELS`, :data:`INTERVALS`: an IgG antagonist (150 kDa) with the teaching TMDD
  parameters, given as IV bolus doses of 0.03 to 10 mg/kg to a 70-kg patient every 2, 3 or 6 weeks for
  :data:`HORIZON_DAYS` days;
* :func:`course`: that course simulated with :func:`dosecourse.pd.simulate_tmdd` (QSS), with its trough
  occupancy before every dose (cached, so the notebook, the numbers and the widget share each simulation);
* :func:`apparent_clearance`: dose / AUC of one dose, which falls to the linear clearance as the target-mediated
  route saturates; :func:`target_share`: the share of elimination that goes through the target;
* :func:`occupancy_figure`, :func:`clearance_figure`, :func:`trough_figure`, :func:`course_figure`;
* :func:`approximation_table` (full, QSS and QE models side by side) and :func:`pembrolizumab_table` (the
  published linear pembrolizumab model at 2 and 10 mg/kg and the flat regimens);
* :data:`widget`: dose and dosing interval in; a summary and :func:`course_figure` out;
* :func:`numbers`: every number the prose glues.

The TMDD parameters are teaching values (Dua et al. 2015), not those of any marketed antibody: the occupancies
illustrate the mechanism and predict no patient.

References
----------
Dua P, Hawkins E, van der Graaf PH. A tutorial on target-mediated drug disposition (TMDD) models.
CPT Pharmacometrics Syst Pharmacol. 2015;4(6):324-337. doi:10.1002/psp4.41 (PMID 26225261)
Elassaiss-Schaap J, Rossenu S, Lindauer A, et al. Using model-based "learn and confirm" to reveal the
pharmacokinetics-pharmacodynamics relationship of pembrolizumab in the KEYNOTE-001 trial. CPT Pharmacometrics
Syst Pharmacol. 2017;6(1):21-28. doi:10.1002/psp4.12132 (PMID 27863143)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from .. import _validate, poppk
from .. import pd as pdm
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part

PARAMS = pdm.TEACHING_TMDD
"""The teaching TMDD parameters (:data:`dosecourse.pd.TEACHING_TMDD`, Dua et al. 2015 values)."""

RICH = replace(PARAMS, r0=100 * PARAMS.r0, kint=10 * PARAMS.kint)
"""A target-rich variant, invented to show saturation: 100 times the baseline target and 10 times the
internalisation rate of the teaching values (all else equal)."""

VARIANTS: Mapping[str, pdm.TMDDParameters] = {"teaching": PARAMS, "rich": RICH}
"""Parameter sets of :func:`apparent_clearance` by name."""

WEIGHT_KG = 70.0
"""Body weight of the chapter's patient, kg (mg/kg doses become mg)."""

MW = 150_000.0
"""Molecular weight of the antibody, g/mol (an IgG): 1 nM is 0.15 mg/L."""

DOSE_LEVELS: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0, 2.0, 10.0)
"""Doses of the example, mg/kg."""

INTERVALS: tuple[float, ...] = (14.0, 21.0, 42.0)
"""Dosing intervals of the example, days (every 2, 3 and 6 weeks)."""

DEFAULT_DOSE, DEFAULT_INTERVAL = 2.0, 21.0
"""The widget's default: 2 mg/kg every 3 weeks."""

CASE_DOSES: tuple[float, float] = (2.0, 10.0)
"""The two doses of the randomized KEYNOTE-001 cohorts, mg/kg every 3 weeks."""

HORIZON_DAYS = 168.0
"""Simulated days of every course (24 weeks: 12, 8 or 4 doses); the last trough is close to steady state."""

POINTS_PER_INTERVAL = 30
"""Output times per dosing interval of :func:`course`."""

RO_MARKS: tuple[float, ...] = (0.5, 0.9, 0.95, 0.99)
"""Occupancies marked on :func:`occupancy_figure`."""

SINGLE_DOSES: tuple[float, ...] = tuple(float(x) for x in np.geomspace(1e-3, 10.0, 17))
"""Single doses (mg/kg) of :func:`clearance_figure`: 0.001 to 10 mg/kg, four per tenfold."""

AUC_DAYS = 600.0
"""Days over which :func:`apparent_clearance` integrates one dose (about 30 linear half-lives)."""

TABLE_DOSES: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0)
"""Single doses (mg/kg) of :func:`approximation_table`."""

TABLE_DAY = 21.0
"""Day of :func:`approximation_table` (the trough of a 3-weekly dose)."""

PEMBRO_REGIMENS: Mapping[str, tuple[float, float, bool]] = {
    "2mgkg_q3w": (2.0, 21.0, True), "10mgkg_q3w": (10.0, 21.0, True),
    "200mg_q3w": (200.0, 21.0, False), "400mg_q6w": (400.0, 42.0, False)}
"""Pembrolizumab regimens of :func:`pembrolizumab_table`: dose, interval (days), per kg or flat."""

PEMBRO_MODEL = "pembrolizumab_ahamadi2017"
"""Published linear population PK model of pembrolizumab (:func:`dosecourse.poppk.published_model`)."""

INFUSION_DAYS = 0.5 / 24
"""Pembrolizumab regimens are 30-minute infusions."""

# Elassaiss-Schaap et al. 2017 (abstract, read on PMC5270295): PK nonlinear below 0.3 mg/kg Q3W; saturation of
# ex vivo target engagement in blood from 1 mg/kg Q3W; 2 mg/kg Q3W at steady state for 95% target engagement.
ES2017 = {"nonlinear_below": 0.3, "saturation_from": 1.0, "dose_95": 2.0, "te_95": 95.0}
"""Published pembrolizumab target-engagement findings (Elassaiss-Schaap et al. 2017, abstract)."""

# Turner et al. 2018 (abstract, Clin Cancer Res 24:5841): OS hazard ratio per dose, 2 to 10 mg/kg Q3W.
TURNER2018 = {"hr_mel": 0.98, "lo_mel": 0.94, "hi_mel": 1.02, "hr_nsclc": 0.98, "lo_nsclc": 0.95, "hi_nsclc": 1.01}
"""Overall survival against pembrolizumab dose, 2 to 10 mg/kg (Turner et al. 2018, abstract)."""

_COLOURS = {14.0: style.ORANGE, 21.0: style.BLUE, 42.0: style.PURPLE}


def _fmt(x: float) -> str:
    """A number with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


def nmol(dose_mg_per_kg: float) -> float:
    """Amount (nmol) of a dose in mg/kg for :data:`WEIGHT_KG` and :data:`MW`.

    Parameters
    ----------
    dose_mg_per_kg : float
        Dose, mg/kg (> 0).

    Returns
    -------
    float

    Examples
    --------
    >>> round(nmol(1.0), 1)
    466.7
    """
    return pdm.mg_to_nmol(_validate.positive(dose_mg_per_kg, "dose_mg_per_kg") * WEIGHT_KG, MW)


def nm_to_mg_per_l(conc_nm: float) -> float:
    """A concentration in nM as mg/L for :data:`MW` (1 nM = 0.15 mg/L for 150 kDa).

    Parameters
    ----------
    conc_nm : float
        Concentration, nM.

    Returns
    -------
    float
    """
    return float(conc_nm) * MW * 1e-6


# ------------------------------------------------------------------------------------------------ simulations
@dataclass(frozen=True)
class Course:
    """A simulated course: the profile and the trough before each dose.

    Parameters
    ----------
    dose, tau : float
        Dose (mg/kg) and dosing interval (days).
    profile : dosecourse.pd.TMDDProfile
        Concentrations at the output times (the left limit just before each dose, then the dose).
    trough_times : ndarray
        End of each dosing interval, days.
    trough_occupancy, trough_free, trough_total : ndarray
        Occupancy (fraction), free and total drug (nM) at the end of each interval.
    """

    dose: float
    tau: float
    profile: pdm.TMDDProfile
    trough_times: np.ndarray
    trough_occupancy: np.ndarray
    trough_free: np.ndarray
    trough_total: np.ndarray

    @property
    def first_trough(self) -> float:
        """Occupancy at the end of the first interval."""
        return float(self.trough_occupancy[0])

    @property
    def last_trough(self) -> float:
        """Occupancy at the end of the last interval (close to steady state)."""
        return float(self.trough_occupancy[-1])


def _grid(tau: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Output times (each interval, ending just before the next dose) and the indices of the troughs."""
    eps = 1e-7 * tau
    per = np.linspace(0.0, tau - eps, POINTS_PER_INTERVAL)
    times = np.concatenate([k * tau + per for k in range(n)] + [[n * tau]])
    troughs = np.array([(k + 1) * POINTS_PER_INTERVAL - 1 for k in range(n - 1)] + [times.size - 1])
    return times, troughs


@lru_cache(maxsize=64)
def _course(dose: float, tau: float, approximation: str) -> Course:
    n = int(round(HORIZON_DAYS / tau))
    times, idx = _grid(tau, n)
    prof = pdm.simulate_tmdd(times, nmol(dose), PARAMS, approximation=approximation, tau_days=tau, n_doses=n)
    tt = np.append(np.arange(1, n) * tau, n * tau)
    out = Course(dose, tau, prof, tt, prof.occupancy[idx].copy(), prof.drug_free[idx].copy(),
                 prof.drug_total[idx].copy())
    for arr in (out.trough_times, out.trough_occupancy, out.trough_free, out.trough_total):
        arr.setflags(write=False)
    return out


def course(dose: float = DEFAULT_DOSE, tau: float = DEFAULT_INTERVAL, approximation: str = "qss") -> Course:
    """The example course: ``dose`` mg/kg every ``tau`` days for :data:`HORIZON_DAYS` days (cached).

    Parameters
    ----------
    dose : float, default 2
        Dose, mg/kg (> 0, at most 100).
    tau : float, default 21
        Dosing interval, days; :data:`HORIZON_DAYS` must be a whole number of intervals.
    approximation : {"qss", "qe", "full"}, default "qss"
        TMDD model level (:func:`dosecourse.pd.simulate_tmdd`).

    Returns
    -------
    Course

    Raises
    ------
    ValueError
        If ``dose`` or ``tau`` is out of range, or ``tau`` does not divide the horizon.

    Examples
    --------
    >>> c = course()
    >>> c.trough_times.size, round(c.first_trough, 3), round(c.last_trough, 3)
    (8, 0.929, 0.96)
    """
    d = _validate.positive(dose, "dose", maximum=100.0)
    tau = _validate.number(tau, "tau", minimum=1.0, maximum=HORIZON_DAYS)
    n = HORIZON_DAYS / tau
    if abs(n - round(n)) > 1e-9:
        raise ValueError(f"tau must divide {HORIZON_DAYS:g} days into whole intervals; got {tau!r}")
    _validate.one_of(approximation, "approximation", pdm.APPROXIMATIONS)
    return _course(float(d), float(tau), approximation)


def target_share(profile: pdm.TMDDProfile, params: pdm.TMDDParameters = PARAMS) -> np.ndarray:
    """Share of drug elimination through the target at each time: k_int RC V1 / (k_int RC V1 + CL C).

    Parameters
    ----------
    profile : dosecourse.pd.TMDDProfile
        A simulated profile.
    params : dosecourse.pd.TMDDParameters
        The parameters that produced it.

    Returns
    -------
    ndarray
        Fractions in [0, 1].
    """
    _validate.instance(profile, "profile", pdm.TMDDProfile)
    target = params.kint * profile.complex * params.v1
    linear = params.cl * profile.drug_free
    total = target + linear
    return np.divide(target, total, out=np.zeros_like(total), where=total > 0)


def auc_grid() -> np.ndarray:
    """Output times of :func:`apparent_clearance`: 0, then log-spaced to 1 day, then linear to :data:`AUC_DAYS`."""
    return np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 200)[:-1], np.linspace(1.0, AUC_DAYS, 3000)])


@lru_cache(maxsize=64)
def _apparent_clearance(dose: float, variant: str) -> float:
    times = auc_grid()
    prof = pdm.simulate_tmdd(times, nmol(dose), VARIANTS[variant], approximation="qss")
    auc = float(np.trapezoid(prof.drug_total, times))
    return nmol(dose) / auc


def apparent_clearance(dose: float, variant: str = "teaching") -> float:
    """Apparent clearance of one IV dose, dose / AUC(0-600 days) of total drug, L/day (QSS model).

    With the target route saturated this tends to the linear clearance (0.2 L/day); at low doses the target adds
    to it (target-mediated clearance).  The AUC is a trapezoid over a grid dense at early times; after 600 days
    (about 30 linear half-lives) the remaining area is negligible.

    Parameters
    ----------
    dose : float
        Dose, mg/kg (> 0, at most 100).
    variant : {"teaching", "rich"}, default "teaching"
        Parameter set (:data:`VARIANTS`).

    Returns
    -------
    float

    Examples
    --------
    >>> round(apparent_clearance(10.0), 3)
    0.2
    """
    return _apparent_clearance(float(_validate.positive(dose, "dose", maximum=100.0)),
                               _validate.one_of(variant, "variant", tuple(VARIANTS)))


# ------------------------------------------------------------------------------------------------ figures
@style.course_figure
def occupancy_figure(lang: str = "en") -> Figure:
    """Receptor occupancy against the free concentration, RO = C/(C + K_D), with 50%, 90%, 95% and 99% marked.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    kd = PARAMS.kd
    c = np.geomspace(kd / 100, kd * 1000, 400)
    fig, ax = style.new_figure(figsize=(7.4, 4.2))
    ax.plot(c, 100 * pdm.occupancy(c, kd), color=style.BLUE, lw=2.2, label=t("lma_ro_curve", lang, kd=_fmt(kd)))
    for ro in RO_MARKS:
        x = float(pdm.concentration_for_occupancy(ro, kd))
        ax.plot([x, x], [0, 100 * ro], color=style.GREY_DARK, lw=0.9, ls=":")
        ax.plot([c[0], x], [100 * ro, 100 * ro], color=style.GREY_DARK, lw=0.9, ls=":")
        ax.plot([x], [100 * ro], "o", color=style.VERMILLION, ms=6, zorder=5)
        right = ro in (0.5, 0.95)  # alternate sides so that neighbouring marks do not overlap
        ax.annotate(t("lma_ro_mark", lang, ro=f"{100 * ro:g}", k=_fmt(ro / (1 - ro)), c=_fmt(x)), xy=(x, 100 * ro),
                    xytext=(8, -4) if right else (-8, 3), textcoords="offset points",
                    ha="left" if right else "right", va="top" if right else "bottom", color=style.VERMILLION,
                    fontsize=style.TINY_SIZE, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    ax.set_xscale("log")
    ax.set_xlim(c[0], c[-1])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_ylim(0, 105)
    ax.set_xlabel(t("lma_free_axis", lang))
    ax.set_ylabel(t("lma_ro_axis", lang))
    ax.set_title(t("lma_ro_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=1)
    return fig


@style.course_figure
def clearance_figure(lang: str = "en") -> Figure:
    """Apparent clearance of one dose against the dose, teaching values and the target-rich variant :data:`RICH`:
    target-mediated clearance saturates and the apparent clearance falls towards the linear clearance.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    doses = np.array(SINGLE_DOSES)
    fig, ax = style.new_figure(figsize=(7.4, 4.2))
    top = 0.0
    for variant, colour in (("teaching", style.BLUE), ("rich", style.VERMILLION)):
        cl = np.array([apparent_clearance(d, variant) for d in doses])
        top = max(top, float(cl.max()))
        ax.plot(doses, cl, "-o", color=colour, lw=2.0, ms=5, label=t(f"lma_cl_{variant}", lang))
    ax.axhline(PARAMS.cl, color=style.GREY_DARK, lw=1.2, ls="--")
    ax.text(doses[-1], PARAMS.cl, t("lma_cl_linear", lang, cl=_fmt(PARAMS.cl)), ha="right", va="bottom",
            color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_ylim(0, top * 1.12)
    ax.set_xlabel(t("lma_dose_axis", lang))
    ax.set_ylabel(t("lma_cl_axis", lang))
    ax.set_title(t("lma_cl_title", lang, w=_fmt(WEIGHT_KG)), loc="left")
    fig.legend(loc="outside lower center", ncols=1)
    return fig


@style.course_figure
def trough_figure(lang: str = "en") -> Figure:
    """Trough occupancy after 24 weeks against the dose, every 2, 3 and 6 weeks, with 95% marked.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    doses = np.array(DOSE_LEVELS)
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    for tau in INTERVALS:
        ro = np.array([course(d, tau).last_trough for d in DOSE_LEVELS])
        ax.plot(doses, 100 * ro, "-o", color=_COLOURS[tau], lw=2.0, ms=6,
                label=t("lma_every", lang, w=_fmt(tau / 7)))
    ax.axhline(95.0, color=style.VERMILLION, lw=1.0, ls="--")
    ax.text(doses[0], 95.0, t("lma_95_text", lang), ha="left", va="bottom", color=style.VERMILLION,
            fontsize=style.SMALL_SIZE)
    for d in CASE_DOSES:
        ax.axvline(d, color=style.GREY, lw=0.9, ls=":")
    ax.set_xscale("log")
    ax.set_xticks(list(DOSE_LEVELS))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.minorticks_off()
    ax.set_ylim(0, 105)
    ax.set_xlabel(t("lma_dose_axis", lang))
    ax.set_ylabel(t("lma_trough_axis", lang))
    ax.set_title(t("lma_trough_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


@style.course_figure
def course_figure(dose: float = DEFAULT_DOSE, tau: float = DEFAULT_INTERVAL, lang: str = "en") -> Figure:
    """Total and free drug, and occupancy, over 24 weeks of ``dose`` mg/kg every ``tau`` days, troughs marked.

    Parameters
    ----------
    dose, tau
        As :func:`course`.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    c = course(dose, tau)
    p = c.profile
    fig, (ax_c, ax_o) = style.new_figure(nrows=2, sharex=True, figsize=(7.4, 5.6))
    ax_c.plot(p.time, p.drug_total, color=style.BLUE, lw=2.0, label=t("lma_total_label", lang))
    ax_c.plot(p.time, p.drug_free, color=style.ORANGE, lw=1.4, ls="--", label=t("lma_free_label", lang))
    ax_c.axhline(PARAMS.kd, color=style.GREY_DARK, lw=1.0, ls=":")
    ax_c.text(HORIZON_DAYS, PARAMS.kd, t("lma_kd_text", lang, kd=_fmt(PARAMS.kd)), ha="right", va="bottom",
              color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax_c.set_yscale("log")
    # minor ticks at 2 and 5 of each decade: a low dose spans six decades, and eight minor ticks a decade are
    # each an artist to draw (the widget's redraw budget)
    ax_c.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ax_c.set_ylim(min(PARAMS.kd, float(p.drug_free.min())) / 3, float(p.drug_total.max()) * 3)
    ax_c.set_ylabel(t("lma_conc_axis", lang))
    ax_o.plot(p.time, 100 * p.occupancy, color=style.GREEN, lw=2.0, label=t("lma_occ_label", lang))
    ax_o.plot(c.trough_times, 100 * c.trough_occupancy, "v", color=style.VERMILLION, ms=6, zorder=5,
              label=t("lma_trough_label", lang))
    ax_o.annotate(t("lma_trough_note", lang, ro=f"{100 * c.last_trough:.1f}"),
                  xy=(c.trough_times[-1], 100 * c.last_trough),
                  xytext=(-6, -16) if c.last_trough > 0.15 else (-6, 40),  # near the axis: above the curve
                  textcoords="offset points",
                  ha="right", color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    ax_o.axhline(95.0, color=style.VERMILLION, lw=0.9, ls="--")
    ax_o.set_ylim(0, 105)
    ax_o.set_ylabel(t("lma_ro_axis_short", lang))
    ax_o.set_xlabel(t("lma_time_axis", lang))
    ax_o.set_xlim(0, HORIZON_DAYS)
    ax_c.set_title(t("lma_course_title", lang, dose=_fmt(dose), w=_fmt(tau / 7), kg=_fmt(WEIGHT_KG)), loc="left")
    fig.legend(loc="outside lower center", ncols=4)
    return fig


# ------------------------------------------------------------------------------------------------ tables
@lru_cache(maxsize=4)
def approximation_runs() -> tuple[dict[str, float], ...]:
    """For each dose of :data:`TABLE_DOSES`: total drug (nM) and occupancy on :data:`TABLE_DAY` after one dose,
    from the full, QSS and QE models.

    Returns
    -------
    tuple of dict
        ``dose``, ``total_<level>`` and ``ro_<level>`` for each level.
    """
    out = []
    for d in TABLE_DOSES:
        row = {"dose": d}
        for level in pdm.APPROXIMATIONS:
            prof = pdm.simulate_tmdd([TABLE_DAY], nmol(d), PARAMS, approximation=level)
            row[f"total_{level}"] = float(prof.drug_total[0])
            row[f"ro_{level}"] = float(prof.occupancy[0])
        out.append(row)
    return tuple(out)


def approximation_table(lang: str = "en") -> pd.DataFrame:
    """Full, QSS and QE models side by side: total drug and occupancy three weeks after one dose.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    rows = []
    for r in approximation_runs():
        row = {t("lma_col_dose", lang): r["dose"]}
        for level in pdm.APPROXIMATIONS:
            row[t(f"lma_col_total_{level}", lang)] = round(r[f"total_{level}"], 4)
        for level in pdm.APPROXIMATIONS:
            row[t(f"lma_col_ro_{level}", lang)] = round(100 * r[f"ro_{level}"], 2)
        rows.append(row)
    return pd.DataFrame(rows)


@lru_cache(maxsize=2)
def pembrolizumab_runs() -> dict[str, dict[str, float]]:
    """Steady-state Cavg, Ctrough and Cmax (mg/L) of the published pembrolizumab model for a typical patient of
    :data:`WEIGHT_KG` kg (other covariates at their reference values), for each of :data:`PEMBRO_REGIMENS`.

    Returns
    -------
    dict
        Regimen key -> ``cavg``, ``ctrough``, ``cmax`` (mg/L), ``ctrough_nm`` (nM).
    """
    params = poppk.individual_parameters(poppk.published_model(PEMBRO_MODEL), {"WT": WEIGHT_KG})
    out = {}
    for key, (dose, tau, per_kg) in PEMBRO_REGIMENS.items():
        mg = dose * WEIGHT_KG if per_kg else dose
        reg = poppk.Regimen.repeated(mg, tau, 1, route="infusion", duration=INFUSION_DAYS)
        e = poppk.exposure(params, reg, "ss")
        trough = float(e.ctrough[0])
        out[key] = {"cavg": float(e.cavg[0]), "ctrough": trough, "cmax": float(e.cmax[0]),
                    "ctrough_nm": trough / (MW * 1e-6)}
    return out


def pembrolizumab_table(lang: str = "en") -> pd.DataFrame:
    """The published pembrolizumab model (Ahamadi et al. 2017) at steady state for a typical 70-kg patient.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers and regimen names.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    return pd.DataFrame([{t("lma_col_regimen", lang): t(f"lma_reg_{k}", lang),
                          t("lma_col_cavg", lang): round(v["cavg"], 1),
                          t("lma_col_ctrough", lang): round(v["ctrough"], 1),
                          t("lma_col_cmax", lang): round(v["cmax"], 1),
                          t("lma_col_ctrough_nm", lang): round(v["ctrough_nm"], 0)}
                         for k, v in pembrolizumab_runs().items()])


# ------------------------------------------------------------------------------------------------ widget
def summary_text(dose: float = DEFAULT_DOSE, tau: float = DEFAULT_INTERVAL, lang: str = "en") -> str:
    """The widget's summary: trough occupancy after the first and the last dose, free target at trough, trough
    concentration and the share of elimination through the target at the last trough.

    Parameters
    ----------
    dose, tau
        As :func:`course`.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Examples
    --------
    >>> print(summary_text().splitlines()[0])
    Trough occupancy: 92.9% after the first dose, 96.0% after 24 weeks (unblocked target 4.0%)
    """
    lang = check_lang(lang)
    c = course(dose, tau)
    share = float(target_share(c.profile)[-1])
    return "\n".join([
        t("lma_sum_ro", lang, first=f"{100 * c.first_trough:.1f}", last=f"{100 * c.last_trough:.1f}",
          free=f"{100 * (1 - c.last_trough):.1f}"),
        t("lma_sum_conc", lang, nm=_fmt(float(c.trough_total[-1])), mg=_fmt(nm_to_mg_per_l(c.trough_total[-1])),
          ratio=_fmt(float(c.trough_free[-1]) / PARAMS.kd), share=f"{100 * share:.1f}"),
    ])


def _widget_text(lang: str, dose: float, tau: float) -> str:
    return summary_text(dose, tau, lang)


def _widget_figure(lang: str, dose: float, tau: float) -> Figure:
    return course_figure(dose, tau, lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    c = course(values["dose"], values["tau"])
    return t("lma_widget_alt", lang, dose=_fmt(c.dose), w=_fmt(c.tau / 7), first=f"{100 * c.first_trough:.1f}",
             last=f"{100 * c.last_trough:.1f}", nm=_fmt(float(c.trough_total[-1])), kd=_fmt(PARAMS.kd))


def _prepare() -> None:
    """Every course the two menus can reach (6 doses x 3 intervals, 0.6 s when the widget opens), so that a redraw
    only draws."""
    for dose in DOSE_LEVELS:
        for tau in INTERVALS:
            course(dose, tau)


widget = LiveWidget(
    "large_molecule_antagonists",
    controls=(
        Choice("dose", "lma_w_dose", DOSE_LEVELS, value=DEFAULT_DOSE,
               option_label=lambda v, lang: t("lma_dose_option", lang, d=_fmt(v))),
        Choice("tau", "lma_w_tau", INTERVALS, value=DEFAULT_INTERVAL,
               option_label=lambda v, lang: t("lma_every", lang, w=_fmt(v / 7))),
    ),
    parts=(Part(_widget_text, ("dose", "tau")),
           Part(_widget_figure, ("dose", "tau"), alt=_widget_alt)),
    columns=2,
    prepare=_prepare,
)
""":func:`course` from the dose and the dosing interval; :func:`summary_text` and :func:`course_figure` out.  On the
site: 6 doses x 3 intervals = 18 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in
    ``tests/chapters/test_large_molecule_antagonists.py``).

    Examples
    --------
    >>> round(numbers()["lma_kd"], 2)
    5.6
    """
    p = PARAMS
    kd = p.kd
    c2, c10 = course(2.0, 21.0), course(10.0, 21.0)
    c03, c1 = course(0.3, 21.0), course(1.0, 21.0)
    c2_q6w, c2_q2w = course(2.0, 42.0), course(2.0, 14.0)
    c01 = course(0.1, 21.0)
    share2 = float(target_share(c2.profile)[-1])
    share01 = float(target_share(c01.profile)[-1])
    runs = approximation_runs()
    diff_ro = max(abs(r[f"ro_{lv}"] - r["ro_full"]) for r in runs for lv in ("qss", "qe"))
    diff_total = max(abs(r[f"total_{lv}"] / r["total_full"] - 1) for r in runs for lv in ("qss", "qe"))
    pem = pembrolizumab_runs()
    c95 = float(pdm.concentration_for_occupancy(0.95, kd))
    c99 = float(pdm.concentration_for_occupancy(0.99, kd))
    trough2_nm = pem["2mgkg_q3w"]["ctrough_nm"]
    return {
        # parameters
        "lma_cl": p.cl, "lma_v1": p.v1, "lma_q": p.q, "lma_v2": p.v2, "lma_kint": p.kint, "lma_kdeg": p.kdeg,
        "lma_kon": p.kon, "lma_koff": p.koff, "lma_r0": p.r0, "lma_kd": kd, "lma_kss": p.kss,
        "lma_ksyn": p.ksyn, "lma_rtot_max": p.ksyn / p.kint, "lma_rtot_ratio": p.kdeg / p.kint,
        "lma_vmax": p.ksyn * p.v1, "lma_weight": WEIGHT_KG, "lma_mw_kda": MW / 1000,
        "lma_nm_mgl": nm_to_mg_per_l(1.0), "lma_dose_nmol_1": nmol(1.0),
        "lma_half_life_deg_h": 24 * np.log(2) / p.kdeg, "lma_half_life_int_d": np.log(2) / p.kint,
        # occupancy by simple binding
        "lma_c90": float(pdm.concentration_for_occupancy(0.9, kd)), "lma_c95": c95, "lma_c99": c99,
        "lma_c95_mgl": nm_to_mg_per_l(c95), "lma_c99_mgl": nm_to_mg_per_l(c99), "lma_c99_c95": c99 / c95,
        # the course: troughs
        "lma_ro2_first": 100 * c2.first_trough, "lma_ro2_last": 100 * c2.last_trough,
        "lma_ro10_last": 100 * c10.last_trough, "lma_ro03_last": 100 * c03.last_trough,
        "lma_ro1_last": 100 * c1.last_trough, "lma_ro01_last": 100 * c01.last_trough,
        "lma_ro2_q6w": 100 * c2_q6w.last_trough, "lma_ro2_q2w": 100 * c2_q2w.last_trough,
        "lma_free2": 100 * (1 - c2.last_trough), "lma_free10": 100 * (1 - c10.last_trough),
        "lma_free_ratio": (1 - c2.last_trough) / (1 - c10.last_trough),
        "lma_free1": 100 * (1 - c1.last_trough), "lma_free_ratio_1_2": (1 - c1.last_trough) / (1 - c2.last_trough),
        "lma_gain_2_10": 100 * (c10.last_trough - c2.last_trough),
        "lma_trough2_nm": float(c2.trough_total[-1]), "lma_trough10_nm": float(c10.trough_total[-1]),
        "lma_trough_ratio": float(c10.trough_total[-1] / c2.trough_total[-1]),
        "lma_share2": 100 * share2, "lma_share01": 100 * share01,
        "lma_n_doses_q3w": c2.trough_times.size, "lma_horizon_weeks": HORIZON_DAYS / 7,
        # saturation of target-mediated clearance
        "lma_cl_0001": apparent_clearance(0.001), "lma_cl_001": apparent_clearance(0.01),
        "lma_cl_03": apparent_clearance(0.3), "lma_cl_10": apparent_clearance(10.0),
        "lma_cl_ratio": apparent_clearance(0.001) / apparent_clearance(10.0),
        "lma_rich_r0": RICH.r0, "lma_rich_kint": RICH.kint,
        "lma_clr_0001": apparent_clearance(0.001, "rich"), "lma_clr_03": apparent_clearance(0.3, "rich"),
        "lma_clr_10": apparent_clearance(10.0, "rich"),
        "lma_clr_ratio": apparent_clearance(0.001, "rich") / apparent_clearance(10.0, "rich"),
        # model levels
        "lma_diff_ro_pts": 100 * diff_ro, "lma_diff_total_pct": 100 * diff_total, "lma_table_day": TABLE_DAY,
        # pembrolizumab (published model, typical 70-kg patient)
        "lma_pem2_cavg": pem["2mgkg_q3w"]["cavg"], "lma_pem2_trough": pem["2mgkg_q3w"]["ctrough"],
        "lma_pem10_cavg": pem["10mgkg_q3w"]["cavg"], "lma_pem10_trough": pem["10mgkg_q3w"]["ctrough"],
        "lma_pem200_cavg": pem["200mg_q3w"]["cavg"], "lma_pem200_trough": pem["200mg_q3w"]["ctrough"],
        "lma_pem400_cavg": pem["400mg_q6w"]["cavg"], "lma_pem400_trough": pem["400mg_q6w"]["ctrough"],
        "lma_pem_ratio": pem["10mgkg_q3w"]["cavg"] / pem["2mgkg_q3w"]["cavg"],
        "lma_pem2_trough_nm": trough2_nm,
        "lma_ex_ro_teach": 100 * float(pdm.occupancy(trough2_nm, kd)),
        "lma_ex_ro_tissue": 100 * float(pdm.occupancy(0.1 * trough2_nm, kd)),
        "lma_ex_tissue_fraction": 10.0,
        # published findings
        "lma_es_nonlinear": ES2017["nonlinear_below"], "lma_es_saturation": ES2017["saturation_from"],
        "lma_es_dose95": ES2017["dose_95"], "lma_es_te95": ES2017["te_95"],
        "lma_turner_hr": TURNER2018["hr_mel"], "lma_turner_lo_mel": TURNER2018["lo_mel"],
        "lma_turner_hi_mel": TURNER2018["hi_mel"], "lma_turner_lo_nsclc": TURNER2018["lo_nsclc"],
        "lma_turner_hi_nsclc": TURNER2018["hi_nsclc"],
    }
