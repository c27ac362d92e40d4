"""Figures, tables, widget and numbers of the chapter "Immunotherapy agonists" (``classes/immunotherapy-agonists``).

The science is in :mod:`dosecourse.cytokine`: a teaching model of cytokine release after a T-cell engager
(linear PK, a T-cell stimulus, a responsiveness that exposure uses up and that recovers, IL-6 turnover), the
step-up and delayed schedules, the bell-shaped ternary-complex response and the published schedules of
``dosecourse/data/tce_step_up_schedules.json``.  This module holds the chapter's example and shows it, in the
reader's language:

* :data:`WEIGHT_KG`, :data:`STEPS_MG_PER_KG`, :data:`SCHEDULES`: a teclistamab-like subcutaneous course for a
  70-kg patient, 1.5 mg/kg weekly reached at once, through one step (0.3 mg/kg) or through two (0.06 and
  0.3 mg/kg, the published step-up);
* :func:`course`: that course with a chosen interval between steps and an optional delay of the second target
  dose (with or without restarting the step-up), simulated with :data:`dosecourse.cytokine.TEACHING_PARAMETERS`
  (cached, so the notebook, the numbers and the widget share each simulation);
* :func:`time_course_figure`: concentration, responsiveness and IL-6 of a course against the target dose given at
  once; :func:`interval_figure`: the speed-safety trade-off of the interval between steps; :func:`delay_figure`:
  the IL-6 peak at resumption against the time since the last dose, with and without a restarted step-up, beside
  the restart rule of the teclistamab label; :func:`bell_figure`: the bell-shaped ternary-complex response;
* :func:`cases_table` (the published schedules and CRS rates) and :func:`escalation_table` (target dose levels
  with and without step-up: the step-up as a second dose variable);
* :data:`widget`: schedule, interval and delay in; a summary and :func:`time_course_figure` out;
* :func:`numbers`: every number the prose glues.

The model is a teaching model with stated assumptions (see :mod:`dosecourse.cytokine`), not fitted to any drug:
its IL-6 values and CRS probabilities illustrate mechanisms and predict no patient.

References
----------
Hosseini I, et al. Mitigating the risk of cytokine release syndrome in a Phase I trial of CD20/CD3 bispecific
antibody mosunetuzumab in NHL: impact of translational system modeling. NPJ Syst Biol Appl. 2020;6(1):28.
doi:10.1038/s41540-020-00145-7 (PMID 32859946)
Moreau P, et al. Teclistamab in relapsed or refractory multiple myeloma. N Engl J Med. 2022;387(6):495-505.
doi:10.1056/NEJMoa2203478 (PMID 35661166)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import _validate
from .. import cytokine as cy
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

PARAMS = cy.TEACHING_PARAMETERS
"""The model's teaching parameters (:data:`dosecourse.cytokine.TEACHING_PARAMETERS`; illustrative, not fitted)."""

WEIGHT_KG = 70.0
"""Body weight of the chapter's patient, kg (mg/kg doses become mg)."""

STEPS_MG_PER_KG: tuple[float, ...] = (0.06, 0.3, 1.5)
"""The teclistamab step-up (Moreau et al. 2022): 0.06 and 0.3 mg/kg, then the target dose 1.5 mg/kg."""

SCHEDULES: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "once": (1.5,),
    "one_step": (0.3, 1.5),
    "two_steps": STEPS_MG_PER_KG,
})
"""Step schedules by name (mg/kg): the target dose at once, one step-up dose, two step-up doses."""

DEFAULT_INTERVAL = 3.0
"""Days between consecutive step doses (label days 1, 4 and 7)."""

EVERY_DAYS = 7.0
"""Days between target doses (weekly)."""

HORIZON_DAYS = 84.0
"""Simulated days of the widget's courses (12 weeks: room for the longest delay and a restarted step-up)."""

FIRST_WEEKS_DAYS = 28.0
"""Simulated days of the static figures of the first weeks."""

DELAYS: Mapping[str, tuple[float, bool]] = MappingProxyType({
    "none": (0.0, False),
    "d21": (21.0, False),
    "d49": (49.0, False),
    "d49_restart": (49.0, True),
})
"""Delay options of the widget: extra days before the second target dose, and whether the step-up restarts.
With weekly dosing, 21 and 49 extra days are 28 and 56 days since the last dose: the two thresholds of the
teclistamab restart rule (:data:`LABEL_RULE`)."""

LABEL_RULE: tuple[tuple[float, str], ...] = (
    (28.0, "continue"), (56.0, "restart_step2"), (math.inf, "restart_step1"))
"""Restart rule of the teclistamab (TECVAYLI) US prescribing information after a delay of a weekly treatment
dose, by days since the last dose: up to 28 continue weekly; 29 to 56 restart at step-up dose 2; more than 56
restart at step-up dose 1 (label Table 2, as reproduced by the manufacturer's medical information)."""

INTERVALS: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0, 7.0)
"""Intervals between steps (days) of :func:`interval_figure`."""

GAPS_SINCE_LAST: tuple[float, ...] = tuple(float(x) for x in range(7, 99, 7))
"""Days since the last dose (7 = on time) of :func:`delay_figure`: weekly, up to 14 weeks."""

ESCALATION_LEVELS: tuple[float, ...] = (0.1, 0.3, 0.6, 1.0, 1.5, 3.0, 6.0)
"""Target dose levels (mg/kg) of :func:`escalation_table`."""

CRS_LIMIT = 0.25
"""Largest acceptable model P(CRS grade >= 2) of :func:`escalation_table` (a teaching threshold)."""

BELL_RANGE = (1e-3, 1e3)
"""Concentration range (mg/L) of :func:`bell_figure`."""

_N_MAINT = 14  # weekly target doses after the first one: enough to fill HORIZON_DAYS
_COLOURS = {"once": style.BLACK, "one_step": style.ORANGE, "two_steps": style.BLUE}


def _mg(levels: tuple[float, ...]) -> list[float]:
    return [lv * WEIGHT_KG for lv in levels]


def _fmt(x: float) -> str:
    """A number with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


# ------------------------------------------------------------------------------------------------ schedules
def schedule(steps: str = "two_steps", interval: float = DEFAULT_INTERVAL, delay: str = "none") -> cy.Schedule:
    """The chapter's course: a step schedule, the interval between steps and a delay of the second target dose.

    Parameters
    ----------
    steps : {"once", "one_step", "two_steps"}, default "two_steps"
        Step schedule (:data:`SCHEDULES`), doses in mg/kg for :data:`WEIGHT_KG`.
    interval : float, default 3
        Days between consecutive step doses (> 0, at most 14).
    delay : {"none", "d21", "d49", "d49_restart"}, default "none"
        Delay of the second target dose (:data:`DELAYS`); a restart repeats the step-up doses first.  A
        schedule with no step-up has nothing to restart: ``"d49_restart"`` is then the same as ``"d49"``.

    Returns
    -------
    dosecourse.cytokine.Schedule
        Subcutaneous doses in mg, weekly target doses after the first.

    Raises
    ------
    ValueError
        If ``steps`` or ``delay`` is unknown or ``interval`` is out of range.

    Examples
    --------
    >>> schedule().times[:5].tolist(), schedule().doses[:3].round(1).tolist()
    ([0.0, 3.0, 6.0, 13.0, 20.0], [4.2, 21.0, 105.0])
    >>> schedule(delay="d49_restart").times[2:6].tolist()
    [6.0, 62.0, 65.0, 68.0]
    """
    levels = SCHEDULES[_validate.one_of(steps, "steps", tuple(SCHEDULES))]
    tau = _validate.positive(interval, "interval", maximum=14.0)
    days, restart = DELAYS[_validate.one_of(delay, "delay", tuple(DELAYS))]
    sched = cy.step_up_schedule(_mg(levels), tau, EVERY_DAYS, _N_MAINT, route="sc")
    if days > 0:
        after = sched.n_step_up + 1  # the first target dose is on time; the second comes late
        sched = cy.with_delay(sched, after, days, restart_step_up=restart and sched.n_step_up > 0)
    return sched


@lru_cache(maxsize=256)
def _course(steps: str, interval: float, delay: str, t_end: float) -> cy.CytokineResult:
    return cy.simulate(schedule(steps, interval, delay), PARAMS, t_end)


def course(steps: str = "two_steps", interval: float = DEFAULT_INTERVAL, delay: str = "none",
           t_end: float = HORIZON_DAYS) -> cy.CytokineResult:
    """:func:`dosecourse.cytokine.simulate` of :func:`schedule` with the teaching parameters (cached).

    Parameters
    ----------
    steps, interval, delay
        As :func:`schedule`.
    t_end : float, default 84
        Simulated days (> 0, at most 400).

    Returns
    -------
    dosecourse.cytokine.CytokineResult

    Examples
    --------
    >>> r = course(t_end=28.0)
    >>> round(r.peak_cytokine, 1), r.time_to_target_dose
    (41.7, 6.0)
    """
    _validate.one_of(steps, "steps", tuple(SCHEDULES))
    _validate.one_of(delay, "delay", tuple(DELAYS))
    return _course(steps, float(_validate.positive(interval, "interval", maximum=14.0)), delay,
                   float(_validate.positive(t_end, "t_end", maximum=400.0)))


def resumption(steps: str, interval: float, delay: str) -> tuple[float, float]:
    """Day of the first dose after the delay and the largest IL-6 from then on (pg/mL), for a delayed course.

    Parameters
    ----------
    steps, interval, delay
        As :func:`schedule`; ``delay`` must not be ``"none"``.

    Returns
    -------
    (day, peak) : tuple of float

    Raises
    ------
    ValueError
        If ``delay`` is ``"none"``.
    """
    if delay == "none":
        raise ValueError("delay: a resumption needs a delay; got 'none'")
    sched = schedule(steps, interval, delay)
    day = float(sched.times[sched.n_step_up + 1])
    res = course(steps, interval, delay)
    return day, res.peak_between(day, res.time[-1])


def _resumed_peak(gap_since_last: float, restart: bool) -> float:
    """Largest IL-6 after the second target dose of the published step-up when it comes ``gap`` days after
    the first (7 = on time), with or without the step-up repeated first; window: 14 days after resuming."""
    base = cy.step_up_schedule(_mg(STEPS_MG_PER_KG), DEFAULT_INTERVAL, EVERY_DAYS, 4, route="sc")
    after = base.n_step_up + 1
    delay = gap_since_last - EVERY_DAYS
    sched = base if delay <= 0 else cy.with_delay(base, after, delay, restart_step_up=restart)
    start = float(sched.times[after])
    res = cy.simulate(sched, PARAMS, start + 14.0)
    return res.peak_between(start, start + 14.0)


@lru_cache(maxsize=4)
def delay_curves() -> dict[str, np.ndarray]:
    """IL-6 peak at resumption against days since the last dose, with and without a restarted step-up.

    Returns
    -------
    dict of ndarray
        ``"gap"`` (days since the last dose, :data:`GAPS_SINCE_LAST`), ``"resume"`` and ``"restart"`` (peak
        IL-6 after resuming, pg/mL); read-only.
    """
    gaps = np.array(GAPS_SINCE_LAST)
    out = {"gap": gaps,
           "resume": np.array([_resumed_peak(g, False) for g in gaps]),
           "restart": np.array([_resumed_peak(g, True) if g > EVERY_DAYS else _resumed_peak(g, False)
                                for g in gaps])}
    for arr in out.values():
        arr.setflags(write=False)
    return out


@lru_cache(maxsize=4)
def interval_runs() -> dict[str, dict[str, np.ndarray]]:
    """Peak IL-6, time to the target dose and to target exposure for each interval of :data:`INTERVALS`.

    Returns
    -------
    dict
        For ``"one_step"`` and ``"two_steps"``: ``"interval"``, ``"peak"`` (pg/mL), ``"to_dose"`` and
        ``"to_exposure"`` (days) arrays; read-only.
    """
    out = {}
    for steps in ("one_step", "two_steps"):
        runs = [course(steps, tau, "none", FIRST_WEEKS_DAYS + 14.0) for tau in INTERVALS]
        row = {"interval": np.array(INTERVALS),
               "peak": np.array([r.peak_cytokine for r in runs]),
               "to_dose": np.array([r.time_to_target_dose for r in runs]),
               "to_exposure": np.array([r.time_to_target_exposure for r in runs])}
        for arr in row.values():
            arr.setflags(write=False)
        out[steps] = row
    return out


# ------------------------------------------------------------------------------------------------ figures
def _dose_marks(ax, sched: cy.Schedule, colour: str, y: float, t_end: float) -> None:
    shown = sched.times <= t_end
    target = (sched.levels >= sched.target_dose * (1 - 1e-12)) & shown
    step = ~target & shown
    ax.plot(sched.times[step], np.full(step.sum(), y), "^", color=colour, ms=6, mfc="white", clip_on=False)
    ax.plot(sched.times[target], np.full(target.sum(), y), "^", color=colour, ms=7, clip_on=False)


_MAX_POINTS = 1500


def _thin(res: cy.CytokineResult) -> np.ndarray:
    """Indices of the grid points drawn: about :data:`_MAX_POINTS` evenly spaced ones (at least hourly on a
    12-week course), plus every dose time and the IL-6 peak, so a long course draws fast and loses no feature."""
    n = res.time.size
    if n <= _MAX_POINTS:
        return np.arange(n)
    even = np.linspace(0, n - 1, _MAX_POINTS).round().astype(int)
    doses = np.searchsorted(res.time, res.schedule.times[res.schedule.times <= res.time[-1]])
    near = np.clip(np.concatenate([doses - 1, doses, doses + 1]), 0, n - 1)
    return np.unique(np.concatenate([even, near, [int(np.argmax(res.cytokine))]]))


@style.course_figure
def time_course_figure(steps: str = "two_steps", interval: float = DEFAULT_INTERVAL, delay: str = "none",
                       lang: str = "en", *, t_end: float = FIRST_WEEKS_DAYS, reference: bool = True) -> Figure:
    """IL-6, responsiveness and concentration of a course, against the target dose given at once.

    Three stacked panels share the time axis (days since the first dose): IL-6 with the CRS curve's midpoint
    (:math:`I_{50}`), the responsiveness R, and the drug concentration with the target exposure.  Triangles mark
    the doses (open: step-up doses; filled: target doses).  With ``reference`` the target dose given at once
    (no step-up, no delay) is drawn in grey.

    Parameters
    ----------
    steps, interval, delay
        As :func:`schedule`.
    lang : {"en", "zh-tw"}
        Language of every label.
    t_end : float, default 28
        Days shown (and simulated).
    reference : bool, default True
        Draw the target dose at once for comparison.

    Returns
    -------
    matplotlib.figure.Figure
    """
    res = course(steps, interval, delay, t_end)
    fig, axes = style.new_figure(nrows=3, sharex=True, figsize=(7.4, 6.4), height_ratios=(1.5, 1.0, 1.0))
    ax_i, ax_r, ax_c = axes
    colour = _COLOURS[steps]
    label = t(f"iag_sched_{steps}", lang, tau=_fmt(interval))
    if delay != "none":
        label += t(f"iag_delay_suffix_{delay}", lang)
    runs = [(res, colour, label, 2.2)]
    if reference and not (steps == "once" and delay == "none"):
        runs.insert(0, (course("once", DEFAULT_INTERVAL, "none", t_end), style.GREY,
                        t("iag_sched_once", lang), 1.5))
    for r, c, lab, lw in runs:
        keep = _thin(r)
        ax_i.plot(r.time[keep], r.cytokine[keep], color=c, lw=lw, label=lab)
        ax_r.plot(r.time[keep], r.responsiveness[keep], color=c, lw=lw)
        ax_c.plot(r.time[keep], r.concentration[keep], color=c, lw=lw)
    ax_i.plot([res.peak_time], [res.peak_cytokine], "o", color=colour, ms=6, zorder=5)
    late = res.peak_time > 0.6 * t_end  # a late peak is labelled on its left, inside the Axes
    ax_i.annotate(t("iag_peak_note", lang, peak=_fmt(res.peak_cytokine), day=f"{res.peak_time:.1f}"),
                  xy=(res.peak_time, res.peak_cytokine), xytext=(-8 if late else 8, 4), textcoords="offset points",
                  ha="right" if late else "left", color=colour, fontsize=style.SMALL_SIZE)
    ax_i.axhline(PARAMS.crs_il6_50, color=style.VERMILLION, lw=1.0, ls="--")
    ax_i.text(t_end, PARAMS.crs_il6_50, t("iag_i50_text", lang, i50=_fmt(PARAMS.crs_il6_50)), ha="right",
              va="bottom", color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    top = max(r.peak_cytokine for r, *_ in runs)
    ax_i.set_ylim(0, max(top, PARAMS.crs_il6_50) * 1.25)
    ax_i.set_ylabel(t("iag_il6_axis", lang))
    ax_r.set_ylim(0, 1.05)
    ax_r.set_ylabel(t("iag_resp_axis", lang))
    ax_c.axhline(PARAMS.target_conc, color=style.GREEN, lw=1.0, ls=":")
    ax_c.text(0.01 * t_end, PARAMS.target_conc, t("iag_target_conc_text", lang, c=_fmt(PARAMS.target_conc)),
              ha="left", va="bottom", color=style.GREEN, fontsize=style.SMALL_SIZE)
    cmax = max(float(r.concentration.max()) for r, *_ in runs)
    ax_c.set_ylim(0, max(cmax, PARAMS.target_conc) * 1.3)
    _dose_marks(ax_c, res.schedule, colour, ax_c.get_ylim()[1] * 0.93, t_end)
    ax_c.set_ylabel(t("iag_conc_axis", lang))
    ax_c.set_xlabel(t("iag_time_axis", lang))
    ax_c.set_xlim(0, t_end)
    ax_i.set_title(t("iag_tc_title", lang, dose=_fmt(STEPS_MG_PER_KG[-1]), w=_fmt(WEIGHT_KG)), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


@style.course_figure
def interval_figure(lang: str = "en") -> Figure:
    """The interval between steps: peak IL-6 against the time to target exposure, one point per interval.

    For one and two step-up doses (:data:`SCHEDULES`), each point is a course with an interval of
    :data:`INTERVALS` days between steps; the target dose at once is the grey star.  Down is safer, left is
    faster.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    runs = interval_runs()
    once = course("once", DEFAULT_INTERVAL, "none", FIRST_WEEKS_DAYS + 14.0)
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    for steps, row in runs.items():
        c = _COLOURS[steps]
        ax.plot(row["to_exposure"], row["peak"], "-o", color=c, lw=1.8, ms=6,
                label=t(f"iag_sched_{steps}_short", lang))
        for x, y, tau in zip(row["to_exposure"], row["peak"], row["interval"]):
            ax.annotate(t("iag_tau_mark", lang, tau=_fmt(tau)), xy=(x, y), xytext=(4, 5), textcoords="offset points",
                        color=c, fontsize=style.TINY_SIZE)
    ax.plot([once.time_to_target_exposure], [once.peak_cytokine], "*", color=style.GREY_DARK, ms=13,
            label=t("iag_sched_once", lang))
    ax.axhline(PARAMS.crs_il6_50, color=style.VERMILLION, lw=1.0, ls="--")
    ax.set_ylim(0, once.peak_cytokine * 1.15)
    ax.set_xlabel(t("iag_to_exposure_axis", lang, c=_fmt(PARAMS.target_conc)))
    ax.set_ylabel(t("iag_peak_axis", lang))
    ax.set_title(t("iag_interval_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


@style.course_figure
def delay_figure(lang: str = "en") -> Figure:
    """IL-6 peak after a delayed target dose against the days since the last dose, with and without restart.

    The published step-up (0.06, 0.3, 1.5 mg/kg, days 0, 3, 6) is followed by a second target dose given
    7 (on time) to 98 days after the first.  Resuming at the target dose (solid) and restarting the step-up first
    (dashed) are compared with the on-time peak and with the first-dose peak of the target dose at once.  The
    background shows the restart rule of the teclistamab label (:data:`LABEL_RULE`).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cur = delay_curves()
    first = course("once", DEFAULT_INTERVAL, "none", FIRST_WEEKS_DAYS).peak_cytokine
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    lo = 0.0
    shades = {"continue": style.GREEN, "restart_step2": style.ORANGE, "restart_step1": style.VERMILLION}
    top = first * 1.3
    for hi, action in LABEL_RULE:
        right = min(hi, cur["gap"][-1] + 3.5)
        ax.axvspan(lo, right, color=shades[action], alpha=0.10, lw=0)
        ax.text((lo + right) / 2, top * 0.98, t(f"iag_rule_{action}", lang), ha="center", va="top",
                fontsize=style.TINY_SIZE, color=style.GREY_DARK)
        lo = right
    ax.plot(cur["gap"], cur["resume"], "-o", color=style.BLUE, lw=2.0, ms=5, label=t("iag_resume_label", lang))
    ax.plot(cur["gap"], cur["restart"], "--s", color=style.PURPLE, lw=1.8, ms=5, label=t("iag_restart_label", lang))
    ax.axhline(first, color=style.GREY_DARK, lw=1.0, ls=":")
    ax.text(cur["gap"][0], first, t("iag_first_dose_text", lang, peak=_fmt(first)), ha="left", va="bottom",
            fontsize=style.SMALL_SIZE, color=style.GREY_DARK)
    ax.set_xlim(0, cur["gap"][-1] + 3.5)
    ax.set_ylim(0, top)
    ax.set_xticks([7, 14, 28, 42, 56, 70, 84, 98])
    ax.set_xlabel(t("iag_gap_axis", lang))
    ax.set_ylabel(t("iag_resumed_axis", lang))
    ax.set_title(t("iag_delay_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


@style.course_figure
def bell_figure(lang: str = "en") -> Figure:
    """Stimulus against concentration: the Emax (monotone) and ternary-complex (bell-shaped) forms.

    The ternary form (:func:`dosecourse.cytokine.bell_shaped_response`, teaching K_D of 7.5 mg/L for the CD3 arm
    and 0.15 mg/L for the target arm) peaks at :math:`\\sqrt{K_E K_T}` and falls above it; the Emax form
    (EC50 1 mg/L, Hill 1) only rises.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ke, kt = PARAMS.kd_effector, PARAMS.kd_target
    c = np.geomspace(*BELL_RANGE, 400)
    peak = cy.bell_peak_concentration(ke, kt)
    fig, ax = style.new_figure(figsize=(7.4, 4.2))
    ax.plot(c, cy.bell_shaped_response(c, ke, kt), color=style.BLUE, lw=2.2,
            label=t("iag_bell_ternary", lang, ke=_fmt(ke), kt=_fmt(kt)))
    ax.plot(c, cy.stimulus(c, PARAMS), color=style.GREY, lw=1.6, ls="-.",
            label=t("iag_bell_emax", lang, ec50=_fmt(PARAMS.ec50)))
    trans = ax.get_xaxis_transform()
    ax.axvline(peak, color=style.VERMILLION, lw=1.4)
    ax.annotate(t("iag_bell_peak_text", lang, c=_fmt(peak)), xy=(peak, 0.03), xycoords=trans, xytext=(-4, 0),
                textcoords="offset points", rotation=90, rotation_mode="anchor", ha="left", va="bottom",
                color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    for k, key in ((kt, "iag_kd_target_text"), (ke, "iag_kd_effector_text")):
        ax.axvline(k, color=style.GREY_DARK, lw=0.9, ls=":")
        ax.annotate(t(key, lang, k=_fmt(k)), xy=(k, 0.97), xycoords=trans, xytext=(-3, 0),
                    textcoords="offset points", rotation=90, rotation_mode="anchor", ha="right", va="bottom",
                    color=style.GREY_DARK, fontsize=style.TINY_SIZE)
    ax.set_xscale("log")
    ax.set_xlim(*BELL_RANGE)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_ylim(0, 1.08)
    ax.set_xlabel(t("iag_bell_conc_axis", lang))
    ax.set_ylabel(t("iag_bell_resp_axis", lang))
    ax.set_title(t("iag_bell_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


# ------------------------------------------------------------------------------------------------ tables
CASE_ORDER: tuple[str, ...] = ("blinatumomab", "teclistamab", "glofitamab", "epcoritamab", "mosunetuzumab")
"""Order of the published cases in :func:`cases_table`."""


def _unit(entry: dict) -> str:
    return entry["dose_unit"].replace("ug", "µg")


def _steps_text(entry: dict, lang: str) -> str:
    unit = _unit(entry)
    parts = [t("iag_case_step", lang, day=int(ev["day"]), dose=f"{ev['dose']:g}") for ev in entry["step_up"]]
    return t("iag_list_sep", lang).join(parts) + f" {unit}"


def cases_table(lang: str = "en") -> pd.DataFrame:
    """The published step-up schedules and CRS rates of the data file, one row per drug.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers and texts.

    Returns
    -------
    pandas.DataFrame
        Drug, targets, route, step-up doses by protocol day, target dose, CRS any grade (%), CRS grade >= 3 (%)
        where reported, and whether the CRS rate was confirmed in the primary source or is "reported".
    """
    lang = check_lang(lang)
    data = cy.published_schedules()["schedules"]
    rows = []
    for name in CASE_ORDER:
        e = data[name]
        crs = e["crs"]
        ge3 = crs.get("grade_ge3_pct")
        if ge3 is None and "grade3_pct" in crs:
            ge3 = crs["grade3_pct"] + crs.get("grade4_pct", 0.0)
        status = e["status"]["crs"]
        rows.append({
            t("iag_col_drug", lang): name,
            t("iag_col_targets", lang): e["targets"].split(" (")[0],
            t("iag_col_route", lang): t(f"iag_route_{e['route']}", lang),
            t("iag_col_steps", lang): _steps_text(e, lang),
            t("iag_col_target", lang): f"{e['target_dose']:g} {_unit(e)}",
            t("iag_col_crs", lang): crs["any_grade_pct"],
            t("iag_col_crs3", lang): ge3 if ge3 is not None else float("nan"),
            t("iag_col_status", lang): t("iag_status_src" if status.startswith("src") else "iag_status_reported",
                                         lang),
        })
    return pd.DataFrame(rows)


def escalation_table(lang: str = "en") -> pd.DataFrame:
    """Target dose levels given at once or after the step-up doses below them: model peak IL-6 and P(CRS >= 2).

    Each target level of :data:`ESCALATION_LEVELS` (mg/kg) is simulated given at once and after the published
    step-up doses (0.06, 0.3 mg/kg) that lie below it, three days apart, then weekly (28 days after the first
    target dose).  The step-up makes the peak depend on the step doses rather than on the target dose: a
    second dose variable of the escalation.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
        Target dose (mg/kg), peak IL-6 and P(CRS >= 2) at once and with step-up, and whether each P is within
        :data:`CRS_LIMIT`.
    """
    lang = check_lang(lang)
    rows = []
    for r in escalation_runs():
        rows.append({
            t("iag_col_level", lang): r["level"],
            t("iag_col_peak_once", lang): round(r["peak_once"], 1),
            t("iag_col_p_once", lang): round(r["p_once"], 3),
            t("iag_col_peak_step", lang): round(r["peak_step"], 1),
            t("iag_col_p_step", lang): round(r["p_step"], 3),
        })
    return pd.DataFrame(rows)


@lru_cache(maxsize=2)
def escalation_runs() -> tuple[dict[str, float], ...]:
    """Per target level of :data:`ESCALATION_LEVELS`: peak IL-6 and P(CRS >= 2), at once and with step-up.

    Returns
    -------
    tuple of dict
        ``level`` (mg/kg), ``peak_once``, ``p_once``, ``peak_step``, ``p_step``.
    """
    out = []
    for lv in ESCALATION_LEVELS:
        dose = lv * WEIGHT_KG
        once = cy.simulate(cy.step_up_schedule([dose], DEFAULT_INTERVAL, EVERY_DAYS, 3), PARAMS, 28.0)
        steps = [d for d in _mg(STEPS_MG_PER_KG[:-1]) if d < dose] + [dose]
        sched = cy.step_up_schedule(steps, DEFAULT_INTERVAL, EVERY_DAYS, 3)
        step = cy.simulate(sched, PARAMS, sched.time_to_target_dose + 28.0)
        out.append({"level": lv, "peak_once": once.peak_cytokine, "p_once": once.crs_probability,
                    "peak_step": step.peak_cytokine, "p_step": step.crs_probability})
    return tuple(out)


# ------------------------------------------------------------------------------------------------ widget
def summary_text(steps: str = "two_steps", interval: float = DEFAULT_INTERVAL, delay: str = "none",
                 lang: str = "en") -> str:
    """The widget's summary: peak IL-6 and its day, P(CRS >= 2), times to target dose and exposure, and, with a
    delay, the peak after resuming.

    Parameters
    ----------
    steps, interval, delay
        As :func:`schedule`.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Examples
    --------
    >>> print(summary_text().splitlines()[0])
    Start of treatment (up to the second target dose): peak IL-6 41.7 pg/mL on day 3.8, model P(CRS grade ≥ 2) 0.21
    """
    lang = check_lang(lang)
    res = course(steps, interval, delay)
    second = float(res.schedule.times[res.schedule.n_step_up + 1])
    inside = res.time <= second
    j = int(np.argmax(np.where(inside, res.cytokine, -np.inf)))
    early = float(res.cytokine[j])
    lines = [t("iag_sum_peak", lang, peak=f"{early:.1f}", day=f"{res.time[j]:.1f}",
               p=f"{float(cy.crs_probability(early, PARAMS)):.2f}"),
             t("iag_sum_speed", lang, dose=f"{res.time_to_target_dose:g}",
               exposure=f"{res.time_to_target_exposure:.1f}", c=_fmt(PARAMS.target_conc))]
    if delay != "none":
        day, peak = resumption(steps, interval, delay)
        key = "iag_sum_delay_nothing" if (DELAYS[delay][1] and steps == "once") else "iag_sum_delay"
        lines.append(t(key, lang, day=f"{day:g}", peak=f"{peak:.1f}",
                       p=f"{float(cy.crs_probability(peak, PARAMS)):.2f}"))
    return "\n".join(lines)


def _widget_text(lang: str, steps: str, interval: float, delay: str) -> str:
    return summary_text(steps, interval, delay, lang)


def _widget_figure(lang: str, steps: str, interval: float, delay: str) -> Figure:
    return time_course_figure(steps, interval, delay, lang, t_end=HORIZON_DAYS)


def _widget_alt(lang: str, values: Mapping) -> str:
    steps, interval, delay = values["steps"], values["interval"], values["delay"]
    res = course(steps, interval, delay)
    once = course("once", DEFAULT_INTERVAL, "none")
    return t("iag_widget_alt", lang, sched=t(f"iag_sched_{steps}", lang, tau=_fmt(interval)),
             delay=t(f"iag_delay_{delay}", lang), peak=f"{res.peak_cytokine:.1f}", day=f"{res.peak_time:.1f}",
             once=f"{once.peak_cytokine:.1f}", dose=f"{res.time_to_target_dose:g}",
             exposure=f"{res.time_to_target_exposure:.1f}")


widget = LiveWidget(
    "immunotherapy_agonists",
    controls=(
        Choice("steps", "iag_w_steps", tuple(SCHEDULES), value="two_steps",
               option_label=lambda key, lang: t(f"iag_sched_{key}_short", lang)),
        Slider("interval", "iag_w_interval", 1.0, 7.0, 1.0, value=DEFAULT_INTERVAL, site=(1.0, 2.0, 3.0, 5.0, 7.0),
               fmt="{:.0f}"),
        Choice("delay", "iag_w_delay", tuple(DELAYS), value="none",
               option_label=lambda key, lang: t(f"iag_delay_{key}", lang)),
    ),
    parts=(Part(_widget_text, ("steps", "interval", "delay")),
           Part(_widget_figure, ("steps", "interval", "delay"), alt=_widget_alt)),
    columns=3,
)
""":func:`course` (teaching parameters, 84 days) from the step schedule, the interval between steps and a delay
of the second target dose; :func:`summary_text` and :func:`time_course_figure` out.  On the site: 3 schedules x
5 intervals (1, 2, 3, 5, 7 days) x 4 delay options = 60 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_immunotherapy_agonists.py``).

    Examples
    --------
    >>> round(numbers()["iag_peak_step"], 1), round(numbers()["iag_peak_once"], 1)
    (41.7, 107.5)
    """
    p = PARAMS
    step = course("two_steps", DEFAULT_INTERVAL, "none", FIRST_WEEKS_DAYS)
    once = course("once", DEFAULT_INTERVAL, "none", FIRST_WEEKS_DAYS)
    one = course("one_step", DEFAULT_INTERVAL, "none", FIRST_WEEKS_DAYS)
    times = step.schedule.times
    windows = [step.peak_between(times[j], times[j + 1]) for j in range(4)]
    r_at_target = float(step.responsiveness[np.searchsorted(step.time, step.time_to_target_dose)])
    runs = interval_runs()["two_steps"]
    cur = delay_curves()
    gap = {int(g): j for j, g in enumerate(cur["gap"])}
    esc = escalation_runs()
    ok_once = [r["level"] for r in esc if r["p_once"] <= CRS_LIMIT]
    ok_step = [r["level"] for r in esc if r["p_step"] <= CRS_LIMIT]
    ke, kt = p.kd_effector, p.kd_target
    bell_peak = cy.bell_peak_concentration(ke, kt)
    data = cy.published_schedules()["schedules"]
    tec, glo, epc = data["teclistamab"]["crs"], data["glofitamab"]["crs"], data["epcoritamab"]["crs"]
    mos, bli = data["mosunetuzumab"]["crs"], data["blinatumomab"]["crs"]
    return {
        # the example
        "iag_weight": WEIGHT_KG, "iag_dose1_mgkg": STEPS_MG_PER_KG[0], "iag_dose2_mgkg": STEPS_MG_PER_KG[1],
        "iag_target_mgkg": STEPS_MG_PER_KG[2], "iag_dose1_mg": STEPS_MG_PER_KG[0] * WEIGHT_KG,
        "iag_dose2_mg": STEPS_MG_PER_KG[1] * WEIGHT_KG, "iag_target_mg": STEPS_MG_PER_KG[2] * WEIGHT_KG,
        "iag_interval": DEFAULT_INTERVAL,
        # parameters
        "iag_cl": p.cl, "iag_v": p.v, "iag_ka": p.ka, "iag_f": p.f, "iag_ec50": p.ec50,
        "iag_target_conc": p.target_conc, "iag_k_des": p.k_des, "iag_k_rec": p.k_rec,
        "iag_rec_half_life": p.recovery_half_life, "iag_drug_half_life": math.log(2.0) / p.k,
        "iag_abs_half_life": math.log(2.0) / p.ka, "iag_il6_half_life_h": 24 * math.log(2.0) / p.k_el,
        "iag_i50": p.crs_il6_50, "iag_crs_slope": p.crs_slope, "iag_r_floor": p.k_rec / (p.k_rec + p.k_des),
        # step-up against the target dose at once
        "iag_peak_step": step.peak_cytokine, "iag_peak_once": once.peak_cytokine,
        "iag_peak_ratio": step.peak_cytokine / once.peak_cytokine,
        "iag_peak_one_step": one.peak_cytokine,
        "iag_p_step": step.crs_probability, "iag_p_once": once.crs_probability,
        "iag_peak_time_step": step.peak_time, "iag_peak_time_once": once.peak_time,
        "iag_to_dose_step": step.time_to_target_dose,
        "iag_to_exp_step": step.time_to_target_exposure, "iag_to_exp_once": once.time_to_target_exposure,
        "iag_to_exp_delay": step.time_to_target_exposure - once.time_to_target_exposure,
        "iag_peak_w1": windows[0], "iag_peak_w2": windows[1], "iag_peak_w3": windows[2], "iag_peak_w4": windows[3],
        "iag_r_at_target": r_at_target,
        # the interval between steps
        "iag_peak_tau1": float(runs["peak"][0]), "iag_peak_tau7": float(runs["peak"][-1]),
        "iag_to_exp_tau1": float(runs["to_exposure"][0]), "iag_to_exp_tau7": float(runs["to_exposure"][-1]),
        "iag_to_dose_tau7": float(runs["to_dose"][-1]),
        # delays and restarts
        "iag_rule_continue": LABEL_RULE[0][0], "iag_rule_step2": LABEL_RULE[1][0],
        "iag_resume_7": float(cur["resume"][gap[7]]), "iag_resume_28": float(cur["resume"][gap[28]]),
        "iag_resume_56": float(cur["resume"][gap[56]]), "iag_resume_91": float(cur["resume"][gap[91]]),
        "iag_restart_56": float(cur["restart"][gap[56]]), "iag_restart_91": float(cur["restart"][gap[91]]),
        "iag_resume_56_ratio": float(cur["resume"][gap[56]] / cur["resume"][gap[7]]),
        # the step-up as a second dose variable
        "iag_crs_limit": CRS_LIMIT, "iag_max_level_once": max(ok_once) if ok_once else 0.0,
        "iag_max_level_step": max(ok_step) if ok_step else 0.0, "iag_top_level": ESCALATION_LEVELS[-1],
        "iag_p_once_top": esc[-1]["p_once"], "iag_p_step_top": esc[-1]["p_step"],
        # the bell
        "iag_kd_effector": ke, "iag_kd_target": kt, "iag_bell_peak": bell_peak,
        "iag_bell_10x": float(cy.bell_shaped_response(10 * bell_peak, ke, kt)),
        "iag_bell_100x": float(cy.bell_shaped_response(100 * bell_peak, ke, kt)),
        # the published cases (data file)
        "iag_tec_crs": tec["any_grade_pct"], "iag_tec_n": tec["n_patients"], "iag_tec_events": tec["n_events"],
        "iag_tec_g1": tec["grade1_pct"], "iag_tec_g2": tec["grade2_pct"], "iag_tec_g3": tec["grade3_pct"],
        "iag_glo_crs": glo["any_grade_pct"], "iag_glo_crs3": glo["grade_ge3_pct"], "iag_glo_n": glo["n_patients"],
        "iag_epc_crs": epc["any_grade_pct"], "iag_epc_n": epc["n_patients"],
        "iag_mos_crs": mos["any_grade_pct"], "iag_mos_n": mos["n_patients"],
        "iag_bli_crs": bli["any_grade_pct"], "iag_bli_crs3": bli["grade_ge3_pct"], "iag_bli_n": bli["n_patients"],
    }
