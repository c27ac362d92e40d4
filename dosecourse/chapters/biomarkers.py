"""Figures, widget and numbers of the chapter "Biomarkers as trial elements" (``explore/biomarkers``).

The science is in :mod:`dosecourse.biomarkers` (the Emax plateau, the optimal biological dose, the simulated
estimation of that dose, the roles of biomarkers in a trial).  This module holds the chapter's example and
shows it, in the reader's language:

* :data:`DEFAULT_MODEL`, :data:`DOSE_LEVELS`, :data:`DOSE_SETS`: a PD biomarker (target inhibition, %) that
  follows a hyperbolic Emax curve with ED50 = 20 mg, and an escalation grid of 10, 30, 100, 300 and 1000 mg;
* :func:`simulate`: :func:`dosecourse.biomarkers.simulate_obd_estimation` for that example, with a stated,
  fixed number of trials and seed, choosing among the escalation doses (cached, so the notebook, the numbers and
  the widget share each simulation);
* :func:`dose_response_figure`: the dose-response with its plateau, ED50 and the optimal biological dose;
* :func:`estimate_figure` and :func:`shares_text`: the distribution of the estimated optimal biological dose
  over simulated trials, with the shares of chosen doses that are too low, right or too high;
* :data:`widget`: patients per dose, noise and the doses sampled in; the shares and :func:`estimate_figure` out;
* :func:`numbers`: every number the prose glues.

References
----------
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
Dancey JE, Dobbin KK, Groshen S, et al. Guidelines for the development and incorporation of biomarker studies
in early clinical trials of novel agents. Clin Cancer Res. 2010;16(6):1745-1755.
doi:10.1158/1078-0432.CCR-09-2167 (PMID 20215558)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator

from .. import _validate
from ..biomarkers import BiomarkerModel, OBDSimulation, simulate_obd_estimation
from ..i18n import check_lang, t
from . import style
from .large_molecule_antagonists import ES2017, TURNER2018
from .widgets import Choice, LiveWidget, Part, Slider

DEFAULT_MODEL = BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0, hill=1.0)
"""The chapter's biomarker: target inhibition (%) with E0 = 0, Emax = 100, ED50 = 20 mg, Hill 1 (invented)."""

STEEP_HILL = 2.0
"""Hill coefficient of the comparison curve (same ED50)."""

DOSE_LEVELS: tuple[float, ...] = (10.0, 30.0, 100.0, 300.0, 1000.0)
"""Doses (mg) of the chapter's escalation, half a log apart; the doses one may choose from."""

DOSE_SETS: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "all": DOSE_LEVELS,
    "low": (10.0, 30.0, 100.0),
    "high": (100.0, 300.0, 1000.0),
    "spread": (10.0, 100.0, 1000.0),
})
"""Doses at which the biomarker is sampled, by name: all five levels, the three lowest, the three highest, or
three spread over the whole range."""

FRACTION = 0.9
"""Fraction of Emax that defines the optimal biological dose (ED90)."""

DEFAULT_NOISE_SD = 20.0
"""Between-patient SD of the biomarker (percentage points of inhibition) in the chapter's example."""

N_SMALL, N_LARGE = 3, 12
"""Patients per dose of the two designs compared in the text."""

N_TRIALS = 2000
"""Simulated trials per scenario: a modest number, with a Monte Carlo SE of at most 1.1 percentage points."""

SEED = 2025
"""Seed of every simulation in the chapter (common random numbers across scenarios)."""

_REGION_COLOURS = {"low": style.SKY, "right": style.GREEN, "high": style.VERMILLION}
_X_RANGE = (1.0, 1.0e4)


@lru_cache(maxsize=128)
def _cached_simulation(n_per_dose: int, noise_sd: float, dose_set: str, n_trials: int, seed: int) -> OBDSimulation:
    return simulate_obd_estimation(DEFAULT_MODEL, DOSE_SETS[dose_set], n_per_dose, noise_sd=noise_sd,
                                   fraction=FRACTION, n_trials=n_trials, seed=seed, candidates=DOSE_LEVELS)


def simulate(n_per_dose: int = N_SMALL, noise_sd: float = DEFAULT_NOISE_SD, dose_set: str = "all", *,
             n_trials: int = N_TRIALS, seed: int = SEED) -> OBDSimulation:
    """Simulate estimating the chapter's optimal biological dose from ``n_per_dose`` patients per dose.

    :func:`dosecourse.biomarkers.simulate_obd_estimation` with :data:`DEFAULT_MODEL`, :data:`FRACTION` and the
    escalation doses :data:`DOSE_LEVELS` as the doses one may choose; cached by its arguments (the result's
    arrays are read-only).

    Parameters
    ----------
    n_per_dose : int, default 3
        Patients with a biomarker measurement at each sampled dose.
    noise_sd : float, default 20
        Residual SD of one patient's biomarker (normal noise, percentage points).
    dose_set : {"all", "low", "high", "spread"}, default "all"
        Doses sampled (:data:`DOSE_SETS`).
    n_trials : int, default 2000
        Simulated trials.
    seed : int, default 2025
        Seed.

    Returns
    -------
    dosecourse.biomarkers.OBDSimulation

    Raises
    ------
    ValueError, TypeError
        If ``dose_set`` is unknown, or as :func:`dosecourse.biomarkers.simulate_obd_estimation`.

    Examples
    --------
    >>> sim = simulate(12, n_trials=500)
    >>> round(sim.true_obd, 6), sim.true_choice, sim.n_trials, sim.seed
    (180.0, 300.0, 500, 2025)
    """
    return _cached_simulation(_validate.positive_int(n_per_dose, "n_per_dose", maximum=_validate.MAX_PATIENTS),
                              _validate.positive(noise_sd, "noise_sd"),
                              _validate.one_of(dose_set, "dose_set", tuple(DOSE_SETS)),
                              _validate.n_trials(n_trials), _validate.integer(seed, "seed", minimum=0))


def _fmt(x: float) -> str:
    """A dose or a value with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


@style.course_figure
def dose_response_figure(model: BiomarkerModel = DEFAULT_MODEL, doses: Sequence[float] = DOSE_LEVELS,
                         fraction: float = FRACTION, lang: str = "en", *,
                         compare_hill: float | None = STEEP_HILL) -> Figure:
    """The biomarker's dose-response on a log dose axis, with its plateau, ED50 and optimal biological dose.

    The curve rises through ED50 to a plateau at E0 + Emax; a dashed line marks the fraction ``fraction`` of the
    maximal effect and a vertical line the optimal biological dose, the lowest dose reaching it.  The escalation
    doses are drawn on the curve with their biomarker values.  With ``compare_hill`` a second, lighter curve with
    the same ED50 and another Hill coefficient shows how the optimal dose moves with the shape.

    Parameters
    ----------
    model : BiomarkerModel, default DEFAULT_MODEL
        True dose-response (a biomarker the drug raises or lowers).
    doses : sequence of float, default DOSE_LEVELS
        Escalation doses to mark on the curve (> 0).
    fraction : float, default 0.9
        Fraction f of Emax that defines the optimal biological dose.
    lang : {"en", "zh-tw"}
        Language of every label.
    compare_hill : float or None, default 2
        Hill coefficient of a comparison curve; None draws none.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`dosecourse.biomarkers.BiomarkerModel`.
    ValueError
        If ``fraction`` is outside (0, 1) or a dose is not positive.
    """
    _validate.instance(model, "model", BiomarkerModel)
    d = _validate.real_array(doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                             max_size=_validate.MAX_DOSES)
    obd = float(model.optimal_dose(fraction))
    lo = min(d.min(), model.ed50) / 5
    hi = max(d.max(), obd) * 3
    x = np.geomspace(lo, hi, 400)
    c_main, c_cmp, c_obd = style.BLUE, style.GREY, style.VERMILLION

    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    plateau, target = model.e0 + model.emax, model.e0 + fraction * model.emax
    ax.axhline(plateau, color=style.GREY_DARK, lw=1.0, ls=":")
    ax.axhline(target, color=c_obd, lw=1.0, ls="--")
    ax.plot(x, model.response(x), color=c_main, lw=2.2,
            label=t("bmv_curve_label", lang, hill=_fmt(model.hill), ed50=_fmt(model.ed50)))
    if compare_hill is not None:
        steep = BiomarkerModel(model.e0, model.emax, model.ed50, compare_hill)
        ax.plot(x, steep.response(x), color=c_cmp, lw=1.6, ls="-.",
                label=t("bmv_curve_label", lang, hill=_fmt(steep.hill), ed50=_fmt(model.ed50)))
        obd_steep = float(steep.optimal_dose(fraction))
        ax.plot([obd_steep], [target], "o", mfc="white", mec=c_cmp, mew=1.5, ms=7, zorder=4)
        ax.annotate(t("bmv_obd_steep", lang, obd=_fmt(obd_steep)), xy=(obd_steep, target),
                    xytext=(0, -16 if model.emax > 0 else 16), textcoords="offset points", ha="center",
                    va="top" if model.emax > 0 else "bottom", color=c_cmp, fontsize=style.TINY_SIZE)
    y = np.asarray(model.response(d), dtype=float)
    ax.plot(d, y, "s", color=c_main, ms=7, zorder=5, label=t("bmv_doses_label", lang))
    for di, yi in zip(d, y):
        ax.annotate(f"{yi:.0f}", xy=(di, yi), xytext=(0, -13 if model.emax > 0 else 13),
                    textcoords="offset points", ha="left", va="center", color=c_main, fontsize=style.TINY_SIZE)
    ax.axvline(model.ed50, color=style.GREY_DARK, lw=1.0, ls=":")
    ax.axvline(obd, color=c_obd, lw=1.6)
    trans = ax.get_xaxis_transform()
    ax.text(model.ed50, 0.02, t("bmv_ed50_text", lang, ed50=_fmt(model.ed50)), transform=trans, rotation=90,
            ha="right", va="bottom", color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax.text(obd, 0.02, t("bmv_obd_text", lang, pct=f"{100 * fraction:g}", obd=_fmt(obd)), transform=trans,
            rotation=90, ha="right", va="bottom", color=c_obd, fontsize=style.SMALL_SIZE)
    ax.text(lo * 1.1, plateau, t("bmv_plateau_text", lang), ha="left", va="bottom", color=style.GREY_DARK,
            fontsize=style.SMALL_SIZE)
    ax.text(lo * 1.1, target, t("bmv_target_text", lang, pct=f"{100 * fraction:g}"), ha="left",
            va="top" if model.emax > 0 else "bottom", color=c_obd, fontsize=style.SMALL_SIZE)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_xlabel(t("bmv_dose_axis", lang))
    ax.set_ylabel(t("bmv_response_axis", lang))
    ax.set_title(t("bmv_dr_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


def shares_text(sim: OBDSimulation, lang: str = "en") -> str:
    """One line with the shares of chosen doses too low, right and too high, and the simulation's size and seed.

    Parameters
    ----------
    sim : dosecourse.biomarkers.OBDSimulation
        A simulation (from :func:`simulate`).
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str

    Examples
    --------
    >>> print(shares_text(simulate(12), "en"))
    Too low 20.8% · right 60.1% · too high 19.1% (2000 simulated trials, seed 2025)
    """
    lang = check_lang(lang)
    _validate.instance(sim, "sim", OBDSimulation)
    return t("bmv_shares", lang, low=f"{100 * sim.p_too_low:.1f}", right=f"{100 * sim.p_correct:.1f}",
             high=f"{100 * sim.p_too_high:.1f}", trials=sim.n_trials, seed=sim.seed)


@style.course_figure
def estimate_figure(sims: OBDSimulation | Sequence[OBDSimulation], lang: str = "en") -> Figure:
    """Histogram of the estimated optimal biological dose over simulated trials, one panel per simulation.

    The log dose axis is shaded by what the estimate leads to (:meth:`dosecourse.biomarkers.OBDSimulation.regions`):
    estimates up to the dose level below the true choice give a dose that is too low, estimates up to the true
    choice the right dose, larger ones a dose that is too high; each region carries its share of trials.  A
    vertical line marks the true optimal biological dose, and ticks the doses one may choose from.  Estimates
    outside 1 to 10,000 are drawn in the end bins.  The figure title uses the first simulation's true dose,
    number of trials and seed.

    Parameters
    ----------
    sims : OBDSimulation or sequence of OBDSimulation
        Output of :func:`simulate` (or :func:`dosecourse.biomarkers.simulate_obd_estimation`).
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If an element is not a :class:`dosecourse.biomarkers.OBDSimulation`.
    ValueError
        If no simulation, or more than four, is given.
    """
    items = [sims] if isinstance(sims, OBDSimulation) else list(_validate.instance(sims, "sims", Sequence))
    _validate.integer(len(items), "number of simulations", minimum=1, maximum=4)
    for s in items:
        _validate.instance(s, "sims", OBDSimulation)
    bins = np.geomspace(*_X_RANGE, 61)
    fig, axes = style.new_figure(nrows=len(items), sharex=True, squeeze=False, figsize=(7.4, 0.9 + 2.3 * len(items)))
    for ax, sim in zip(axes[:, 0], items):
        est = np.clip(sim.obd_hat, bins[0] * 1.001, bins[-1] * 0.999)
        weights = np.full(est.size, 100.0 / est.size)
        ax.hist(est, bins=bins, weights=weights, color=style.GREY_DARK, alpha=0.85, zorder=3)
        top = ax.get_ylim()[1] * 1.25
        shares = {"low": sim.p_too_low, "right": sim.p_correct, "high": sim.p_too_high}
        for key, (a, b) in sim.regions().items():
            a, b = max(a, bins[0]), min(b, bins[-1])
            if b <= a:
                continue
            ax.axvspan(a, b, color=_REGION_COLOURS[key], alpha=0.18, lw=0, zorder=1)
            ax.text(np.sqrt(a * b), top * 0.97, t(f"bmv_region_{key}", lang, pct=f"{100 * shares[key]:.1f}"),
                    ha="center", va="top", color=style.BLACK, fontsize=style.SMALL_SIZE, zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9})
        ax.axvline(sim.true_obd, color=style.VERMILLION, lw=1.6, zorder=4)
        ax.set_ylim(0, top)
        ax.set_ylabel(t("bmv_pct_trials", lang))
        sampled = t("bmv_list_sep", lang).join(f"{v:g}" for v in np.unique(sim.doses))
        ax.set_title(t("bmv_est_panel", lang, n=sim.n_per_dose, sd=_fmt(sim.noise_sd), doses=sampled),
                     loc="left", fontsize=style.FONT_SIZE)
        ax.grid(axis="x", visible=False)
    last = axes[-1, 0]
    last.set_xscale("log")
    last.set_xlim(*_X_RANGE)
    last.set_xticks(list(items[0].candidates) + [_X_RANGE[0], _X_RANGE[1]])
    last.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    last.xaxis.set_minor_locator(NullLocator())
    last.set_xlabel(t("bmv_est_axis", lang))
    fig.suptitle(t("bmv_est_title", lang, obd=_fmt(items[0].true_obd), trials=items[0].n_trials,
                   seed=items[0].seed), x=0.01, ha="left", fontsize=style.TITLE_SIZE)
    return fig


# ------------------------------------------------------------------------------------------------ widget
def _widget_text(lang: str, n_per_dose: int, noise_sd: float, dose_set: str) -> str:
    return shares_text(simulate(n_per_dose, noise_sd, dose_set), lang)


def _widget_figure(lang: str, n_per_dose: int, noise_sd: float, dose_set: str) -> Figure:
    return estimate_figure(simulate(n_per_dose, noise_sd, dose_set), lang)


def _widget_alt(lang: str, values: dict) -> str:
    sim = simulate(values["n_per_dose"], values["noise_sd"], values["dose_set"])
    return t("bmv_widget_alt", lang, trials=f"{sim.n_trials:,}", seed=sim.seed, n=sim.n_per_dose,
             sd=_fmt(sim.noise_sd), doses=t("bmv_list_sep", lang).join(f"{v:g}" for v in np.unique(sim.doses)),
             obd=_fmt(sim.true_obd), low=f"{100 * sim.p_too_low:.1f}", right=f"{100 * sim.p_correct:.1f}",
             high=f"{100 * sim.p_too_high:.1f}", edge=f"{100 * sim.p_grid_edge:.1f}")


widget = LiveWidget(
    "biomarkers",
    controls=(
        Slider("n_per_dose", "bmv_w_n", 2, 24, 1, value=N_SMALL, site=(3, 6, 12, 24)),
        Slider("noise_sd", "bmv_w_sd", 5.0, 40.0, 2.5, value=DEFAULT_NOISE_SD, site=(10.0, 20.0, 30.0), fmt="{:.1f}"),
        Choice("dose_set", "bmv_w_doses", tuple(DOSE_SETS), value="all",
               option_label=lambda key, lang: t(f"bmv_set_{key}", lang)),
    ),
    parts=(Part(_widget_text, ("n_per_dose", "noise_sd", "dose_set")),
           Part(_widget_figure, ("n_per_dose", "noise_sd", "dose_set"), alt=_widget_alt)),
    columns=3,
)
""":func:`simulate` (:data:`N_TRIALS` trials, seed :data:`SEED`) from patients per dose, noise SD and the doses
sampled; :func:`shares_text` and :func:`estimate_figure` out.  On the site: 3, 6, 12 or 24 patients, an SD of 10,
20 or 30 and the four dose sets, 4 x 3 x 4 = 48 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_biomarkers.py``).

    Examples
    --------
    >>> round(numbers()["bm_obd"], 6), numbers()["bm_trials"]
    (180.0, 2000)
    """
    model = DEFAULT_MODEL
    steep = BiomarkerModel(e0=model.e0, emax=model.emax, ed50=model.ed50, hill=STEEP_HILL)
    obd, obd_steep = model.optimal_dose(FRACTION), steep.optimal_dose(FRACTION)
    inh = [float(e) for e in model.response([100.0, 300.0, 1000.0])]
    small, large = simulate(N_SMALL), simulate(N_LARGE)
    precise = simulate(N_SMALL, 10.0)
    high_only = simulate(N_LARGE, DEFAULT_NOISE_SD, "high")
    return {
        "bm_ed50": model.ed50, "bm_obd": obd, "bm_obd_ratio": obd / model.ed50, "bm_obd_steep": obd_steep,
        "bm_obd_steep_ratio": obd_steep / model.ed50, "bm_inh_100": inh[0], "bm_inh_300": inh[1],
        "bm_inh_1000": inh[2], "bm_gain_300_1000": inh[2] - inh[1],
        "bm_n_small": small.n_per_dose, "bm_n_large": large.n_per_dose, "bm_sd": small.noise_sd,
        "bm_trials": small.n_trials, "bm_seed": small.seed,
        "bm_low_3": 100 * small.p_too_low, "bm_right_3": 100 * small.p_correct, "bm_high_3": 100 * small.p_too_high,
        "bm_edge_3": 100 * small.p_grid_edge,
        "bm_low_12": 100 * large.p_too_low, "bm_right_12": 100 * large.p_correct,
        "bm_high_12": 100 * large.p_too_high, "bm_ratio_right": large.p_correct / small.p_correct,
        "bm_ex1_ed95": model.optimal_dose(0.95), "bm_ex1_steep_obd": obd_steep,
        "bm_ex2_se": DEFAULT_NOISE_SD / N_LARGE ** 0.5, "bm_ex2_right": 100 * precise.p_correct,
        "bm_ex2_high_right": 100 * high_only.p_correct, "bm_ex2_high_edge": 100 * high_only.p_grid_edge,
        # a real plateau: pembrolizumab's ex vivo target engagement in KEYNOTE-001 (Elassaiss-Schaap et al. 2017)
        # and overall survival across 2-10 mg/kg (Turner et al. 2018), the published values of Part IV's chapter
        "bm_pem_saturation": ES2017["saturation_from"], "bm_pem_dose95": ES2017["dose_95"],
        "bm_pem_te95": ES2017["te_95"], "bm_pem_hi_dose": 10.0,
        "bm_pem_fold": 10.0 / ES2017["dose_95"], "bm_pem_hr": TURNER2018["hr_mel"],
        "bm_pem_hr_lo": TURNER2018["lo_mel"], "bm_pem_hr_hi": TURNER2018["hi_mel"],
    }
