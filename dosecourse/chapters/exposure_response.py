"""Figures, table, widget and numbers of the chapter "Exposure-response for registration, and why it misleads"
(``register/exposure-response``).

The science is in :mod:`dosecourse.exposure_response` (the true model of a trial in which disease drives the
clearance of an antibody, the usual exposure-response analyses and their remedies).  This module holds the
chapter's example and shows it, in the reader's language:

* :data:`SCENARIO`, :data:`RANDOMIZED`: a pembrolizumab-like antibody (Ahamadi 2017 population PK) given at one
  dose (200 mg every 3 weeks) or randomized to 2 or 10 mg/kg, with a *flat* true exposure-response and sicker
  patients clearing the antibody faster (Turner 2018);
* :func:`scenario` and :func:`replicates`: the chapter's variants of that model and the logistic E-R analysis
  repeated over :data:`N_TRIALS` seeded trials (cached, so the notebook, :func:`numbers` and the widget share
  each simulation);
* :func:`groups_figure`: response rate by exposure quartile in one single-dose trial and in one randomized trial,
  with the randomized arms;
* :func:`analyses_figure` and :func:`metrics_figure`: the slope each analysis finds over many trials, against
  the true slope 0 (baseline confounding; then response-driven clearance, Liu 2017);
* :func:`example_table`: the analyses of one trial, side by side;
* :data:`widget`: how strongly disease drives clearance, the analysis, the exposure metric and response-driven
  clearance in; the spurious slope out;
* :func:`numbers`: every number the prose glues.

References
----------
Turner DC, Kondic AG, Anderson KM, et al. Clin Cancer Res. 2018;24(23):5841-5849. PMID 29891725
Liu C, Yu J, Li H, et al. Clin Pharmacol Ther. 2017;101(5):657-666. doi:10.1002/cpt.656
Ahamadi M, Freshwater T, Prohn M, et al. CPT Pharmacometrics Syst Pharmacol. 2017;6(1):49-57.
doi:10.1002/psp4.12139
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator

from .. import _validate
from .. import exposure_response as er
from ..i18n import check_lang, t
from ..stats import clopper_pearson
from . import style
from .widgets import Choice, LiveWidget, Part, Slider, Toggle

SCENARIO = er.ERScenario()
"""The single-dose trial: 300 patients, 200 mg every 3 weeks, flat true exposure-response, disease raising log
clearance by 0.25 per SD of sickness, albumin a marker of sickness with reliability 0.8 (defaults of
:class:`dosecourse.exposure_response.ERScenario`)."""

RANDOMIZED = dataclasses.replace(SCENARIO, doses=(2.0, 10.0), dose_unit="mg/kg")
"""The same patients randomized 1:1 to 2 or 10 mg/kg every 3 weeks (the dose range of Turner et al. 2018)."""

BAJAJ_EMAX = -0.295
"""Maximal change of log clearance over time in the nivolumab population PK model (Bajaj et al. 2017,
doi:10.1002/psp4.12143): a fall of 1 - exp(-0.295) = 25.5%."""

RESPONDER_CL_CHANGE = -0.3
"""Change of log clearance after a response in the response-driven scenario (a fall of 26%, about the size of the
time-varying fall of nivolumab clearance, :data:`BAJAJ_EMAX`)."""

STRENGTHS: tuple[float, ...] = (0.0, 0.125, 0.25, 0.375, 0.5)
"""Values of ``disease_on_cl`` (change in log clearance per SD of sickness) on the widget's site grid."""

ANALYSES: tuple[str, ...] = ("naive", "adjusted", "dose_response")
"""Analyses of the widget: E-R unadjusted, E-R adjusted for albumin and weight (one dose level), and
dose-response across the randomized 2 and 10 mg/kg arms."""

WIDGET_METRICS: tuple[str, ...] = ("cavg_c1", "cavg_ss")
"""Exposure metrics of the widget: cycle-1 and steady-state average concentration."""

N_TRIALS = 200
"""Simulated trials per scenario (Monte Carlo SE of a mean slope about 0.03; of a share at most 3.5 points)."""

N_MATCH = 100
"""Simulated trials for the high- vs low-exposure comparison with and without case-matching (slower: one
matching per trial)."""

SEED = 2025
"""Seed of every simulation in the chapter (common random numbers across scenarios)."""

_UNBIASED_ROWS = ("dose_response", "perfect", "liu_c1", "liu_trough_c1")
_EXPOSURE_TICKS = (10.0, 20.0, 50.0, 100.0, 200.0, 400.0)

_ROWS_BASELINE = (
    ("naive_ss", "erc_row_naive_ss"), ("naive_c1", "erc_row_naive_c1"), ("adjusted", "erc_row_adjusted"),
    ("perfect", "erc_row_perfect"), ("pooled", "erc_row_pooled"), ("dose_response", "erc_row_dose"),
)
_ROWS_METRICS = (
    ("liu_c1", "erc_row_liu_c1"), ("liu_trough_c1", "erc_row_liu_trough_c1"), ("liu_ss", "erc_row_liu_ss"),
    ("liu_trough_ss", "erc_row_liu_trough_ss"),
)


def scenario(strength: float = SCENARIO.disease_on_cl, *, randomized: bool = False,
             responder_change: bool = False, perfect_marker: bool = False) -> er.ERScenario:
    """A variant of the chapter's trial.

    Parameters
    ----------
    strength : float, default 0.25
        How strongly disease drives clearance: change of log clearance per SD of sickness (``disease_on_cl``).
    randomized : bool, default False
        Randomize 2 vs 10 mg/kg (:data:`RANDOMIZED`) instead of one 200 mg dose.
    responder_change : bool, default False
        Clearance falls by :data:`RESPONDER_CL_CHANGE` (log scale) after a response (Liu 2017).
    perfect_marker : bool, default False
        Albumin measures sickness without error (``marker_reliability = 1``).

    Returns
    -------
    dosecourse.exposure_response.ERScenario

    Examples
    --------
    >>> scenario(0.0, responder_change=True).cl_change_responders
    -0.3
    """
    base = RANDOMIZED if _validate.boolean(randomized, "randomized") else SCENARIO
    changes = {"disease_on_cl": _validate.number(strength, "strength", minimum=-10.0, maximum=10.0)}
    if _validate.boolean(responder_change, "responder_change"):
        changes["cl_change_responders"] = RESPONDER_CL_CHANGE
    if _validate.boolean(perfect_marker, "perfect_marker"):
        changes["marker_reliability"] = 1.0
    return dataclasses.replace(base, **changes)


@lru_cache(maxsize=256)
def _cached_trials(sc: er.ERScenario, n_trials: int, seed: int) -> er.ERTrial:
    return er.simulate_trials(sc, n_trials, seed=seed)


@lru_cache(maxsize=256)
def _cached_replicates(sc: er.ERScenario, analysis: str, metric: str, n_trials: int,
                       seed: int) -> er.ReplicateEstimates:
    return er.replicate_estimates(_cached_trials(sc, n_trials, seed), analysis=analysis, metric=metric)


def replicates(strength: float = SCENARIO.disease_on_cl, analysis: str = "naive", metric: str = "cavg_ss", *,
               randomized: bool | None = None, responder_change: bool = False, perfect_marker: bool = False,
               n_trials: int = N_TRIALS, seed: int = SEED) -> er.ReplicateEstimates:
    """The logistic analysis ``analysis`` of response on ``metric``, repeated over seeded simulated trials.

    :func:`dosecourse.exposure_response.replicate_estimates` on :func:`scenario`; cached by its arguments (the
    arrays are read-only).  The same seed at every setting: the same simulated patients (common random numbers).

    Parameters
    ----------
    strength : float, default 0.25
        ``disease_on_cl`` of :func:`scenario`.
    analysis : {"naive", "adjusted", "dose_response", "cl0"}, default "naive"
        As in :func:`dosecourse.exposure_response.replicate_estimates`.
    metric : str, default "cavg_ss"
        Exposure metric (:data:`dosecourse.exposure_response.METRICS`).
    randomized : bool or None, default None
        Randomized 2 vs 10 mg/kg trial; None means randomized only for ``"dose_response"``.
    responder_change, perfect_marker : bool, default False
        As in :func:`scenario`.
    n_trials : int, default 200
        Simulated trials.
    seed : int, default 2025
        Seed.

    Returns
    -------
    dosecourse.exposure_response.ReplicateEstimates

    Examples
    --------
    >>> rep = replicates(0.0)
    >>> rep.truth, rep.n_trials, rep.seed
    (0.0, 200, 2025)
    """
    analysis = _validate.one_of(analysis, "analysis", ("naive", "adjusted", "dose_response", "cl0"))
    metric = _validate.one_of(metric, "metric", er.METRICS)
    if randomized is None:
        randomized = analysis == "dose_response"
    sc = scenario(strength, randomized=randomized, responder_change=responder_change,
                  perfect_marker=perfect_marker)
    return _cached_replicates(sc, analysis, metric, _validate.n_trials(n_trials),
                              _validate.integer(seed, "seed", minimum=0))


def example_trials() -> tuple[er.ERTrial, er.ERTrial]:
    """One simulated single-dose trial and one randomized trial (seed :data:`SEED`), as in the worked example.

    Returns
    -------
    tuple of dosecourse.exposure_response.ERTrial
        ``(single_dose, randomized)``.

    Examples
    --------
    >>> single, rand = example_trials()
    >>> single.scenario.doses, rand.scenario.doses
    ((200.0,), (2.0, 10.0))
    """
    return _cached_trials(SCENARIO, 1, SEED), _cached_trials(RANDOMIZED, 1, SEED)


def _rows() -> dict[str, er.ReplicateEstimates]:
    """Every replicate analysis of the two forest figures, by row key."""
    return {
        "naive_ss": replicates(), "naive_c1": replicates(metric="cavg_c1"),
        "adjusted": replicates(analysis="adjusted"), "perfect": replicates(analysis="adjusted", perfect_marker=True),
        "pooled": replicates(randomized=True), "dose_response": replicates(analysis="dose_response"),
        "liu_c1": replicates(0.0, metric="cavg_c1", responder_change=True),
        "liu_trough_c1": replicates(0.0, metric="ctrough_c1", responder_change=True),
        "liu_ss": replicates(0.0, metric="cavg_ss", responder_change=True),
        "liu_trough_ss": replicates(0.0, metric="ctrough_ss", responder_change=True),
    }


def _fmt(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals, without a minus sign on a value that rounds to zero."""
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


# ------------------------------------------------------------------------------------------------ figures
def _rate_points(ax, tab: pd.DataFrame, colour: str, marker: str, label: str, offset: float = 1.0) -> None:
    lo, hi = clopper_pearson(tab["responders"].to_numpy(), tab["n"].to_numpy(), level=0.95)
    x = tab["exposure_median"].to_numpy() * offset
    y = 100 * tab["rate"].to_numpy()
    ax.errorbar(x, y, yerr=[y - 100 * lo, 100 * hi - y], fmt=marker, color=colour, ms=7, capsize=3, lw=1.2,
                label=label, zorder=4)


@style.course_figure
def groups_figure(lang: str = "en") -> Figure:
    """Response rate by quartile of Cavg,ss in one single-dose trial, and in one randomized trial with its arms.

    Left: the 200 mg trial of :func:`example_trials`, patients in four equal groups of steady-state average
    concentration; each point is a group's response rate (95% Clopper-Pearson interval) at its median exposure.
    Right: the randomized 2 vs 10 mg/kg trial, the same quartile analysis (circles) and the two randomized arms
    (squares).  A dashed line marks the trial's overall response rate: under the true model the drug's effect does
    not depend on exposure at all.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    single, rand = example_trials()
    fig, axes = style.new_figure(ncols=2, sharey=True, figsize=(8.4, 4.2))
    for ax, trial, key in ((axes[0], single, "erc_groups_single"), (axes[1], rand, "erc_groups_rand")):
        q = er.response_by_group(trial)
        ax.axhline(100 * trial.response[0].mean(), color=style.GREY_DARK, lw=1.0, ls="--",
                   label=t("erc_groups_overall", lang))
        _rate_points(ax, q, style.BLUE, "o", t("erc_groups_quartiles", lang))
        if len(trial.scenario.doses) > 1:
            arms = er.response_by_group(trial, by="arm")
            _rate_points(ax, arms, style.VERMILLION, "s", t("erc_groups_arms", lang), offset=1.0)
            _, hi = clopper_pearson(arms["responders"].to_numpy(), arms["n"].to_numpy(), level=0.95)
            for (_, row), top in zip(arms.iterrows(), hi):
                ax.annotate(t("erc_groups_arm_text", lang, dose=f"{row['group']:g}"),
                            xy=(row["exposure_median"], 100 * top), xytext=(0, 4), textcoords="offset points",
                            ha="center", va="bottom", color=style.VERMILLION, fontsize=style.SMALL_SIZE,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
        ax.set_xscale("log")
        ax.set_xticks(_EXPOSURE_TICKS)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlim(8.0, 500.0)
        ax.set_xlabel(t("erc_exposure_axis", lang))
        ax.set_title(t(key, lang), loc="left", fontsize=style.FONT_SIZE)
        ax.legend(loc="upper left", fontsize=style.TINY_SIZE)
    axes[0].set_ylim(0, 70)
    axes[0].set_ylabel(t("erc_rate_axis", lang))
    fig.suptitle(t("erc_groups_title", lang, n=SCENARIO.n_patients, seed=SEED), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


def _forest(ax, rows, reps: dict[str, er.ReplicateEstimates], lang: str) -> None:
    ys = np.arange(len(rows))[::-1]
    shares = []
    for y, (key, _label) in zip(ys, rows):
        rep = reps[key]
        est = rep.estimates[rep.converged]
        lo, hi = np.percentile(est, [2.5, 97.5])
        colour = style.GREEN if key in _UNBIASED_ROWS else style.BLUE
        ax.plot([lo, hi], [y, y], color=colour, lw=2.2, solid_capstyle="butt", zorder=3)
        ax.plot([rep.mean], [y], "o", color=colour, ms=8, zorder=4)
        shares.append(t("erc_forest_sig", lang, pct=f"{100 * rep.rejection_rate:.1f}"))
    ax.axvline(0.0, color=style.VERMILLION, lw=1.4, zorder=2)
    ax.text(0.0, len(rows) - 0.45, t("erc_forest_truth", lang), color=style.VERMILLION, ha="left", va="bottom",
            fontsize=style.SMALL_SIZE)
    ax.set_yticks(ys, [t(label, lang) for _, label in rows])
    ax.set_ylim(-0.7, len(rows) - 0.1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t("erc_forest_axis", lang))
    right = ax.twinx()                      # the share of "significant" trials, as right-hand tick labels
    right.set_ylim(ax.get_ylim())
    right.set_yticks(ys, shares)
    right.tick_params(axis="y", length=0, labelsize=style.SMALL_SIZE, labelcolor=style.GREY_DARK)
    right.grid(False)
    for side in ("right", "top", "left", "bottom"):
        right.spines[side].set_visible(False)


@style.course_figure
def analyses_figure(lang: str = "en") -> Figure:
    """The slope each analysis finds over :data:`N_TRIALS` simulated trials when the truth is flat.

    One row per analysis: the mean estimated slope (log odds of response per e-fold change of exposure, or of
    dose) and the range of the middle 95% of trials, against the true slope 0; at the right, the share of trials
    whose 95% interval excludes 0.  Rows: unadjusted E-R on Cavg,ss and on cycle-1 Cavg in the 200 mg trial;
    adjusted for albumin and weight; adjusted with a perfect marker of sickness; unadjusted E-R pooled over the
    randomized 2 and 10 mg/kg arms; dose-response between the randomized arms.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(figsize=(8.4, 4.2))
    _forest(ax, _ROWS_BASELINE, _rows(), lang)
    fig.suptitle(t("erc_analyses_title", lang, trials=N_TRIALS, seed=SEED), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


@style.course_figure
def metrics_figure(lang: str = "en") -> Figure:
    """Cycle-1 against steady-state exposure metrics when clearance falls after a response (Liu 2017).

    No baseline confounding (``disease_on_cl = 0``), a flat truth, and responders' clearance falling by
    :data:`RESPONDER_CL_CHANGE` on the log scale: the slope of the unadjusted E-R over :data:`N_TRIALS` trials for
    cycle-1 average and trough concentrations and for their steady-state counterparts, as in
    :func:`analyses_figure`.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(figsize=(8.4, 3.2))
    _forest(ax, _ROWS_METRICS, _rows(), lang)
    fig.suptitle(t("erc_metrics_title", lang, pct=f"{100 * (1 - math.exp(RESPONDER_CL_CHANGE)):.0f}", trials=N_TRIALS,
                   seed=SEED), x=0.01, ha="left", fontsize=style.TITLE_SIZE)
    return fig


def example_table(lang: str = "en") -> pd.DataFrame:
    """The analyses of the single-dose example trial, one row each (odds or hazard ratio per e-fold change).

    Unadjusted and adjusted logistic E-R of response on Cavg,ss; response on baseline clearance; high vs low
    exposure halves, unmatched and case-matched on albumin and weight; Cox regression of overall survival on
    Cavg,ss and on baseline clearance.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    pandas.DataFrame
        :func:`dosecourse.exposure_response.estimates_table`, p-values rounded to 4 decimals.
    """
    lang = check_lang(lang)
    table = er.estimates_table(_example_fits(), lang)
    col = t("er_p", lang)
    table[col] = table[col].map(lambda p: round(float(p), 4))
    return table


@lru_cache(maxsize=1)
def _example_fits() -> tuple[er.EREstimate, ...]:
    single, _ = example_trials()
    fit = er.fit_exposure_response
    return (fit(single), fit(single, analysis="adjusted"), fit(single, analysis="cl0"),
            fit(single, analysis="high_vs_low"), fit(single, analysis="matched"),
            fit(single, endpoint="os"), fit(single, endpoint="os", analysis="cl0"))


@lru_cache(maxsize=1)
def _matching() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    trials = _cached_trials(SCENARIO, N_MATCH, SEED)
    unmatched = np.array([er.fit_exposure_response(trials, analysis="high_vs_low", replicate=r).estimate
                          for r in range(N_MATCH)])
    fits = [er.fit_exposure_response(trials, analysis="matched", replicate=r) for r in range(N_MATCH)]
    return unmatched, np.array([f.estimate for f in fits]), np.array([f.n for f in fits])


# ------------------------------------------------------------------------------------------------ widget
def _widget_reps(strength: float, analysis: str, metric: str, responder: bool) -> er.ReplicateEstimates:
    return replicates(strength, analysis, metric, responder_change=responder)


def _slope_unit(analysis: str, lang: str) -> str:
    return t("erc_w_unit_dose" if analysis == "dose_response" else "erc_w_unit_exposure", lang)


def widget_text(strength: float, analysis: str, metric: str, responder: bool, lang: str = "en") -> str:
    """One line: the mean fitted slope, its odds ratio per doubling and the share of "significant" trials.

    Parameters
    ----------
    strength : float
        How strongly disease drives clearance (``disease_on_cl``).
    analysis : {"naive", "adjusted", "dose_response"}
        The analysis (:data:`ANALYSES`).
    metric : {"cavg_c1", "cavg_ss"}
        Exposure metric (ignored by ``"dose_response"``).
    responder : bool
        Clearance falls after a response.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Examples
    --------
    >>> text = widget_text(0.0, "naive", "cavg_ss", False)
    >>> text.startswith("Mean slope 0.02 per e-fold exposure (true 0)"), text.endswith("seed 2025")
    (True, True)
    """
    lang = check_lang(lang)
    rep = _widget_reps(strength, analysis, metric, responder)
    return t("erc_w_text", lang, slope=_fmt(rep.mean), unit=_slope_unit(analysis, lang),
             ratio=f"{2 ** rep.mean:.2f}", pct=f"{100 * rep.rejection_rate:.1f}", trials=rep.n_trials, seed=rep.seed)


@style.course_figure
def widget_figure(strength: float, analysis: str, metric: str, responder: bool, lang: str = "en") -> Figure:
    """The spurious slope appearing as disease drives clearance, and its spread over trials at one strength.

    Left: the mean fitted slope (and the middle 95% of trials) at each strength on the site grid
    :data:`STRENGTHS`, for the chosen analysis, metric and clearance behaviour; the chosen strength is
    highlighted and the true slope, 0, is a red line.  Right: histogram of the slope over the :data:`N_TRIALS`
    trials at the chosen strength.

    Parameters
    ----------
    strength : float
        How strongly disease drives clearance (``disease_on_cl``).
    analysis : {"naive", "adjusted", "dose_response"}
        The analysis (:data:`ANALYSES`).
    metric : {"cavg_c1", "cavg_ss"}
        Exposure metric (ignored by ``"dose_response"``).
    responder : bool
        Clearance falls after a response.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _validate.one_of(analysis, "analysis", ANALYSES)
    _validate.one_of(metric, "metric", WIDGET_METRICS)
    grid = sorted(set(STRENGTHS) | {float(strength)})
    reps = [_widget_reps(g, analysis, metric, responder) for g in grid]
    means = np.array([r.mean for r in reps])
    band = np.array([np.percentile(r.estimates[r.converged], [2.5, 97.5]) for r in reps])
    current = _widget_reps(strength, analysis, metric, responder)
    colour = style.GREEN if analysis == "dose_response" else style.BLUE

    # fixed margins instead of constrained layout: the widget redraws this figure, and the layout solver would be
    # a third of each redraw
    fig, (ax, hx) = style.new_figure(ncols=2, figsize=(8.4, 3.8), width_ratios=(1.15, 1.0), layout=None)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.91, wspace=0.22)
    ax.fill_between(grid, band[:, 0], band[:, 1], color=colour, alpha=0.18, lw=0)
    ax.plot(grid, means, "-o", color=colour, ms=5, lw=1.8)
    ax.plot([strength], [current.mean], "o", ms=11, mfc="none", mec=style.BLACK, mew=1.6, zorder=5)
    ax.axhline(0.0, color=style.VERMILLION, lw=1.4)
    ax.set_xlabel(t("erc_w_strength_axis", lang))
    ax.set_ylabel(t("erc_w_slope_axis", lang, unit=_slope_unit(analysis, lang)))
    ax.set_title(t("erc_w_curve_title", lang), loc="left", fontsize=style.FONT_SIZE)
    lim = (min(-0.6, float(band.min()) - 0.1), max(1.2, float(band.max()) + 0.1))
    ax.set_ylim(*lim)

    est = current.estimates[current.converged]
    edges = np.linspace(lim[0], lim[1], 36)
    counts, _ = np.histogram(np.clip(est, edges[0], edges[-1]), bins=edges)     # outliers in the end bins
    hx.stairs(counts, edges, orientation="horizontal", fill=True, color=style.GREY_DARK, alpha=0.85)
    hx.set_xlim(0, max(1, counts.max()) * 1.08)
    hx.axhline(0.0, color=style.VERMILLION, lw=1.4)
    hx.axhline(current.mean, color=colour, lw=1.6, ls="--")
    hx.set_ylim(*lim)
    hx.tick_params(axis="y", labelleft=False)  # the slope scale of the left panel: its labels once, not twice
    hx.set_xlabel(t("erc_w_hist_axis", lang))
    hx.set_title(t("erc_w_hist_title", lang, strength=f"{strength:g}", pct=f"{100 * current.rejection_rate:.1f}"),
                 loc="left", fontsize=style.FONT_SIZE)
    hx.yaxis.set_minor_locator(NullLocator())
    return fig


def _widget_alt(lang: str, values: dict) -> str:
    rep = _widget_reps(values["strength"], values["analysis"], values["metric"], values["responder"])
    return t("erc_w_alt", lang, strength=f"{values['strength']:g}",
             analysis=t(f"erc_w_analysis_{values['analysis']}", lang),
             metric=t(f"erc_w_metric_{values['metric']}", lang),
             responder=t("erc_w_responder_on" if values["responder"] else "erc_w_responder_off", lang),
             slope=_fmt(rep.mean), pct=f"{100 * rep.rejection_rate:.1f}", trials=rep.n_trials, seed=rep.seed)


def _text_part(lang: str, strength: float, analysis: str, metric: str, responder: bool) -> str:
    return widget_text(strength, analysis, metric, responder, lang)


def _figure_part(lang: str, strength: float, analysis: str, metric: str, responder: bool) -> Figure:
    return widget_figure(strength, analysis, metric, responder, lang)


_DEPENDS = ("strength", "analysis", "metric", "responder")


def _prepare_trials() -> None:
    """Simulate the patients of every strength of the widget's slider, with and without the responder change, in
    the one-dose and the randomized trial, and their exposure metrics (:data:`WIDGET_METRICS`).

    The simulated trials depend on the strength and the responder change, not on the analysis or the metric, and
    the curve of every setting needs the trials of all five strengths; so the Jupyter view simulates them when it
    opens and a redraw only fits the logistic models.  They are the cached trials :func:`replicates` analyses: the
    results are the same to the last bit.
    """
    for strength in STRENGTHS:
        for responder in (False, True):
            _cached_trials(scenario(strength, randomized=True, responder_change=responder), N_TRIALS, SEED)
            trials = _cached_trials(scenario(strength, responder_change=responder), N_TRIALS, SEED)
            for metric in WIDGET_METRICS:
                trials.metric(metric)


widget = LiveWidget(
    "exposure_response",
    controls=(
        Slider("strength", "erc_w_strength", 0.0, 0.5, 0.125, value=SCENARIO.disease_on_cl, site=STRENGTHS,
               fmt="{:.3f}"),
        Choice("analysis", "erc_w_analysis", ANALYSES, value="naive",
               option_label=lambda key, lang: t(f"erc_w_analysis_{key}", lang)),
        Choice("metric", "erc_w_metric", WIDGET_METRICS, value="cavg_ss",
               option_label=lambda key, lang: t(f"erc_w_metric_{key}", lang), buttons=True),
        Toggle("responder", "erc_w_responder", value=False),
    ),
    parts=(Part(_text_part, _DEPENDS), Part(_figure_part, _DEPENDS, alt=_widget_alt)),
    columns=2,
    prepare=_prepare_trials,
)
""":func:`replicates` (:data:`N_TRIALS` trials, seed :data:`SEED`) from how strongly disease drives clearance,
the analysis, the exposure metric and whether clearance falls after a response; :func:`widget_text` and
:func:`widget_figure` out.  On the site: 5 strengths x 3 analyses x 2 metrics x 2 = 60 states per output (in
Jupyter the same 60; the view simulates the trials of every strength when it opens, :func:`_prepare_trials`)."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_exposure_response.py``).

    Returns
    -------
    dict
        Name -> value.

    Examples
    --------
    >>> round(numbers()["erc_cavg_ref"], 1), numbers()["erc_trials"]
    (43.3, 200)
    """
    sc = SCENARIO
    s2w = math.log1p((sc.weight_sd / sc.weight_mean) ** 2)
    var_log_cl = sc.disease_on_cl ** 2 + sc.other_cl_sd ** 2 + sc.weight_exponent_cl ** 2 * s2w
    single, rand = example_trials()
    q = er.response_by_group(single)
    rq = er.response_by_group(rand)
    arms = er.response_by_group(rand, by="arm")
    fits = _example_fits()
    naive, adjusted, _, _, _, os_naive, os_cl0 = fits
    rows = _rows()
    unmatched, matched, pairs = _matching()
    null = replicates(0.0)
    out: dict[str, float | int] = {
        "erc_n": sc.n_patients, "erc_dose": sc.doses[0], "erc_tau": sc.tau, "erc_cl": sc.cl_typical,
        "erc_cavg_ref": sc.reference_exposure, "erc_gamma_cl": sc.disease_on_cl,
        "erc_cl_pct_1sd": 100 * (math.exp(sc.disease_on_cl) - 1), "erc_omega": sc.other_cl_sd,
        "erc_gamma_r": sc.disease_on_response, "erc_resp_rate": 100 * sc.response_rate,
        "erc_reliability": sc.marker_reliability,
        "erc_share_disease": 100 * sc.disease_on_cl ** 2 / var_log_cl,
        "erc_dose_low": RANDOMIZED.doses[0], "erc_dose_high": RANDOMIZED.doses[1],
        "erc_trials": N_TRIALS, "erc_seed": SEED, "erc_n_match": N_MATCH,
        # the example trial
        "erc_q1_rate": 100 * q["rate"][0], "erc_q4_rate": 100 * q["rate"][3],
        "erc_q1_median": q["exposure_median"][0], "erc_q4_median": q["exposure_median"][3],
        "erc_trial_slope": naive.estimate, "erc_trial_or": naive.ratio, "erc_trial_p": naive.p_value,
        "erc_trial_adj_slope": adjusted.estimate, "erc_trial_adj_p": adjusted.p_value,
        "erc_trial_os_hr": os_naive.ratio, "erc_trial_cl0_hr": os_cl0.ratio, "erc_trial_cl0_p": os_cl0.p_value,
        "erc_rq1_rate": 100 * rq["rate"][0], "erc_rq4_rate": 100 * rq["rate"][3],
        "erc_arm_low_rate": 100 * arms["rate"][0], "erc_arm_high_rate": 100 * arms["rate"][1],
        "erc_arm_low_cavg": arms["exposure_median"][0], "erc_arm_high_cavg": arms["exposure_median"][1],
        # many trials
        "erc_null_mean": null.mean, "erc_null_sig": 100 * null.rejection_rate,
        "erc_approx_naive": er.approximate_er_slope(sc),
        "erc_approx_adjusted": er.approximate_er_slope(sc, adjusted=True),
        "erc_approx_pooled": er.approximate_er_slope(RANDOMIZED),
        "erc_var_log_cl": var_log_cl,
        # the strength at which gamma / (gamma^2 + other variance) peaks: the slope per unit of log exposure is
        # largest there, although the share of "significant" trials keeps rising beyond it
        "erc_peak_strength": math.sqrt(sc.other_cl_sd ** 2 + sc.weight_exponent_cl ** 2 * s2w),
        "erc_unmatched_mean": float(unmatched.mean()), "erc_matched_mean": float(matched.mean()),
        "erc_matched_pairs": float(pairs.mean()), "erc_n_half": sc.n_patients // 2,
        "erc_liu_pct": 100 * (1 - math.exp(RESPONDER_CL_CHANGE)),
        "erc_bajaj_fall": 100 * (1 - math.exp(BAJAJ_EMAX)),
    }
    for key, rep in rows.items():
        out[f"erc_{key}_mean"] = rep.mean
        out[f"erc_{key}_sig"] = 100 * rep.rejection_rate
    out["erc_adj_removed"] = 100 * (1 - rows["adjusted"].mean / rows["naive_ss"].mean)
    out["erc_naive_or2"] = 2 ** rows["naive_ss"].mean
    # exercise 1: a patient whose clearance is 30% above typical, at 200 mg every 3 weeks
    out["erc_ex1_cl"] = 1.3 * sc.cl_typical
    out["erc_ex1_cavg"] = sc.doses[0] / (1.3 * sc.cl_typical * sc.tau)
    out["erc_ex1_log_ratio"] = math.log(1.3)
    out["erc_ex1_or"] = math.exp(-rows["naive_ss"].mean * math.log(1.3))
    return out
