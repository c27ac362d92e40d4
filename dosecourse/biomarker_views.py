"""Figures and a widget for the chapter "Biomarkers as trial elements".

The calculations live in :mod:`dosecourse.biomarkers`; this module only sets up the chapter's example and shows
it, in the reader's language:

* :data:`DEFAULT_MODEL`, :data:`DOSE_LEVELS`, :data:`DOSE_SETS`: a PD biomarker (target inhibition, %) that
  follows a hyperbolic Emax curve with ED50 = 20 mg, and an escalation grid of 10, 30, 100, 300 and 1000 mg;
* :func:`simulate`: :func:`dosecourse.biomarkers.simulate_bod_estimation` for that example, with a stated,
  fixed number of trials and seed, choosing among the escalation doses;
* :func:`dose_response_figure`: the dose-response with its plateau, ED50 and the biologically optimal dose;
* :func:`estimate_figure`: the distribution of the estimated biologically optimal dose over simulated trials,
  with the shares of chosen doses that are too low, right or too high;
* :func:`widget`: patients per dose, noise and the doses sampled in, :func:`estimate_figure` out.

Every user-facing string comes from ``labels/biomarker_views.toml`` (and ``labels/biomarkers.toml``) through
:func:`dosecourse.i18n.t`.

References
----------
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
Dancey JE, Dobbin KK, Groshen S, et al. Guidelines for the development and incorporation of biomarker studies
in early clinical trials of novel agents. Clin Cancer Res. 2010;16(6):1745-1755.
doi:10.1158/1078-0432.CCR-09-2167 (PMID 20215558)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .biomarkers import BiomarkerModel, BODSimulation, simulate_bod_estimation
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

DEFAULT_MODEL = BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0, hill=1.0)
"""The chapter's biomarker: target inhibition (%) with E0 = 0, Emax = 100, ED50 = 20 mg, Hill 1 (invented)."""

DOSE_LEVELS: tuple[float, ...] = (10.0, 30.0, 100.0, 300.0, 1000.0)
"""Doses (mg) of the chapter's escalation, half a log apart; the doses one may choose from."""

DOSE_SETS: Mapping[str, tuple[float, ...]] = {
    "all": DOSE_LEVELS,
    "low": (10.0, 30.0, 100.0),
    "high": (100.0, 300.0, 1000.0),
    "spread": (10.0, 100.0, 1000.0),
}
"""Doses at which the biomarker is sampled, by name: all five levels, the three lowest, the three highest, or
three spread over the whole range."""

FRACTION = 0.9
"""Fraction of Emax that defines the biologically optimal dose (ED90)."""

DEFAULT_NOISE_SD = 20.0
"""Between-patient SD of the biomarker (percentage points of inhibition) in the chapter's example."""

N_TRIALS = 2000
"""Simulated trials per scenario: a modest number, with a Monte Carlo SE of at most 1.1 percentage points."""

SEED = 2025
"""Seed of every simulation in the chapter (common random numbers across scenarios)."""

_REGION_COLOURS = {"low": OKABE_ITO[4], "right": OKABE_ITO[2], "high": OKABE_ITO[1]}
_X_RANGE = (1.0, 1.0e4)


def simulate(n_per_dose: int = 3, noise_sd: float = DEFAULT_NOISE_SD, dose_set: str = "all", *,
             model: BiomarkerModel = DEFAULT_MODEL, n_trials: int = N_TRIALS, seed: int | None = SEED,
             **kwargs: object) -> BODSimulation:
    """Simulate estimating the chapter's biologically optimal dose from ``n_per_dose`` patients per dose.

    Parameters
    ----------
    n_per_dose : int, default 3
        Patients with a biomarker measurement at each sampled dose.
    noise_sd : float, default 20
        Residual SD of one patient's biomarker (normal noise, percentage points).
    dose_set : {"all", "low", "high", "spread"}, default "all"
        Doses sampled (:data:`DOSE_SETS`); the dose is always chosen among :data:`DOSE_LEVELS`.
    model : BiomarkerModel, default DEFAULT_MODEL
        True dose-response.
    n_trials : int, default 2000
        Simulated trials.
    seed : int or None, default 2025
        Seed.
    **kwargs
        Passed to :func:`dosecourse.biomarkers.simulate_bod_estimation` (``noise``, ``hill_grid`` ...).

    Returns
    -------
    dosecourse.biomarkers.BODSimulation

    Raises
    ------
    ValueError
        If ``dose_set`` is unknown, or as :func:`dosecourse.biomarkers.simulate_bod_estimation`.

    Examples
    --------
    >>> sim = simulate(12, n_trials=500)
    >>> round(sim.true_bod, 6), sim.true_choice, sim.n_trials
    (180.0, 300.0, 500)
    """
    if dose_set not in DOSE_SETS:
        raise ValueError(f"dose_set must be one of {tuple(DOSE_SETS)}; got {dose_set!r}")
    return simulate_bod_estimation(model, DOSE_SETS[dose_set], n_per_dose, noise_sd=noise_sd,
                                   fraction=kwargs.pop("fraction", FRACTION), n_trials=n_trials, seed=seed,
                                   candidates=kwargs.pop("candidates", DOSE_LEVELS), **kwargs)


def _fmt(x: float) -> str:
    """A dose or a value with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


def dose_response_figure(model: BiomarkerModel = DEFAULT_MODEL, doses: Sequence[float] = DOSE_LEVELS,
                         fraction: float = FRACTION, lang: str = "en", *,
                         compare_hill: float | None = 2.0) -> Figure:
    """The biomarker's dose-response on a log dose axis, with its plateau, ED50 and biologically optimal dose.

    The curve rises through ED50 to a plateau at E0 + Emax; a dashed line marks the fraction ``fraction`` of the
    maximal effect and a vertical line the biologically optimal dose, the lowest dose reaching it.  The escalation
    doses are drawn on the curve with their biomarker values.  With ``compare_hill`` a second, lighter curve with
    the same ED50 and a steeper Hill coefficient shows how the optimal dose moves with the shape.

    Parameters
    ----------
    model : BiomarkerModel, default DEFAULT_MODEL
        True dose-response (a biomarker the drug raises or lowers).
    doses : sequence of float, default DOSE_LEVELS
        Escalation doses to mark on the curve.
    fraction : float, default 0.9
        Fraction f of Emax that defines the biologically optimal dose.
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
    lang = check_lang(lang)
    if not isinstance(model, BiomarkerModel):
        raise TypeError(f"model must be a dosecourse.biomarkers.BiomarkerModel; got {type(model).__name__}")
    d = np.asarray(doses, dtype=float)
    if d.ndim != 1 or d.size == 0 or np.any(d <= 0):
        raise ValueError(f"doses must be a non-empty sequence of positive doses; got {doses!r}")
    bod = float(model.optimal_dose(fraction))
    lo = min(d.min(), model.ed50) / 5
    hi = max(d.max(), bod) * 3
    x = np.geomspace(lo, hi, 400)
    c_main, c_cmp, c_bod = OKABE_ITO[0], "0.55", OKABE_ITO[1]

    fig, ax = new_figure(lang, figsize=(7.4, 4.4))
    plateau, target = model.e0 + model.emax, model.e0 + fraction * model.emax
    ax.axhline(plateau, color="0.35", lw=1.0, ls=":")
    ax.axhline(target, color=c_bod, lw=1.0, ls="--")
    ax.plot(x, model.response(x), color=c_main, lw=2.2,
            label=t("bmv_curve_label", lang, hill=_fmt(model.hill), ed50=_fmt(model.ed50)))
    if compare_hill is not None:
        steep = BiomarkerModel(model.e0, model.emax, model.ed50, compare_hill)
        ax.plot(x, steep.response(x), color=c_cmp, lw=1.6, ls="-.",
                label=t("bmv_curve_label", lang, hill=_fmt(compare_hill), ed50=_fmt(model.ed50)))
        bod_steep = float(steep.optimal_dose(fraction))
        ax.plot([bod_steep], [target], "o", mfc="white", mec=c_cmp, mew=1.5, ms=7, zorder=4)
        ax.annotate(t("bmv_bod_steep", lang, bod=_fmt(bod_steep)), xy=(bod_steep, target),
                    xytext=(0, -16 if model.emax > 0 else 16), textcoords="offset points", ha="center",
                    va="top" if model.emax > 0 else "bottom", color=c_cmp, fontsize=9)
    y = np.asarray(model.response(d), dtype=float)
    ax.plot(d, y, "s", color=c_main, ms=7, zorder=5, label=t("bmv_doses_label", lang))
    for di, yi in zip(d, y):
        ax.annotate(f"{yi:.0f}", xy=(di, yi), xytext=(0, -13 if model.emax > 0 else 13),
                    textcoords="offset points", ha="left", va="center", color=c_main, fontsize=9)
    ax.axvline(model.ed50, color="0.35", lw=1.0, ls=":")
    ax.axvline(bod, color=c_bod, lw=1.6)
    trans = ax.get_xaxis_transform()
    ax.text(model.ed50, 0.02, t("bmv_ed50_text", lang, ed50=_fmt(model.ed50)), transform=trans, rotation=90,
            ha="right", va="bottom", color="0.25", fontsize=9.5)
    ax.text(bod, 0.02, t("bmv_bod_text", lang, pct=f"{100 * fraction:g}", bod=_fmt(bod)), transform=trans,
            rotation=90, ha="right", va="bottom", color=c_bod, fontsize=9.5)
    ax.text(lo * 1.1, plateau, t("bmv_plateau_text", lang), ha="left", va="bottom", color="0.25", fontsize=9.5)
    ax.text(lo * 1.1, target, t("bmv_target_text", lang, pct=f"{100 * fraction:g}"), ha="left",
            va="top" if model.emax > 0 else "bottom", color=c_bod, fontsize=9.5)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_xlabel(t("bmv_dose_axis", lang))
    ax.set_ylabel(t("bmv_response_axis", lang))
    ax.set_title(t("bmv_dr_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3, fontsize=9.5)
    return fig


def _regions(sim: BODSimulation) -> dict[str, tuple[float, float]]:
    """Ranges of the estimated dose that lead to a chosen dose too low, right or too high."""
    cand = np.asarray(sim.candidates, dtype=float)
    below = cand[cand < sim.true_choice]
    edge_lo = float(below.max()) if below.size else 0.0
    out = {"low": (0.0, edge_lo), "right": (edge_lo, sim.true_choice), "high": (sim.true_choice, np.inf)}
    if sim.true_choice >= cand.max():   # nothing above the true choice: every estimate above is "right"
        out["right"], out["high"] = (edge_lo, np.inf), (np.inf, np.inf)
    return out


def shares_text(sim: BODSimulation, lang: str = "en", *, seed: int | None = SEED) -> str:
    """One line with the shares of chosen doses too low, right and too high, and the simulation's size.

    Parameters
    ----------
    sim : dosecourse.biomarkers.BODSimulation
        A simulation (from :func:`simulate`).
    lang : {"en", "zh-tw"}
        Reader's language.
    seed : int or None, default SEED
        The seed the simulation used, for the text (a simulation does not store it).

    Returns
    -------
    str

    Examples
    --------
    >>> print(shares_text(simulate(12), "en"))
    Too low 20.8% · right 60.1% · too high 19.1% (2000 simulated trials, seed 2025)
    """
    lang = check_lang(lang)
    return t("bmv_shares", lang, low=f"{100 * sim.p_too_low:.1f}", right=f"{100 * sim.p_correct:.1f}",
             high=f"{100 * sim.p_too_high:.1f}", trials=sim.n_trials, seed=seed)


def estimate_figure(sims: BODSimulation | Sequence[BODSimulation], lang: str = "en", *,
                    seed: int | None = SEED) -> Figure:
    """Histogram of the estimated biologically optimal dose over simulated trials, one panel per simulation.

    The log dose axis is shaded by what the estimate leads to: estimates up to the dose level below the true
    choice give a dose that is too low, estimates up to the true choice the right dose, larger ones a dose that
    is too high; each region carries its share of trials.  A vertical line marks the true biologically optimal
    dose, and ticks the doses one may choose from.  Estimates outside 1 to 10,000 are drawn in the end bins.
    The figure title uses the first simulation's true dose and number of trials.

    Parameters
    ----------
    sims : BODSimulation or sequence of BODSimulation
        Output of :func:`simulate` (or :func:`dosecourse.biomarkers.simulate_bod_estimation`).
    lang : {"en", "zh-tw"}
        Language of every label.
    seed : int or None, default SEED
        The seed the simulations used, for the title (a simulation does not store it).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If an element is not a :class:`dosecourse.biomarkers.BODSimulation`.
    ValueError
        If no simulation is given.
    """
    lang = check_lang(lang)
    items = [sims] if isinstance(sims, BODSimulation) else list(sims)
    if not items:
        raise ValueError("estimate_figure needs at least one simulation")
    for s in items:
        if not isinstance(s, BODSimulation):
            raise TypeError(f"sims must hold BODSimulation objects (from simulate); got {type(s).__name__}")
    bins = np.geomspace(*_X_RANGE, 61)
    fig, axes = new_figure(lang, nrows=len(items), sharex=True, squeeze=False,
                           figsize=(7.4, 0.9 + 2.3 * len(items)))
    for ax, sim in zip(axes[:, 0], items):
        est = np.clip(sim.bod_hat, bins[0] * 1.001, bins[-1] * 0.999)
        weights = np.full(est.size, 100.0 / est.size)
        ax.hist(est, bins=bins, weights=weights, color="0.3", alpha=0.85, zorder=3)
        top = ax.get_ylim()[1] * 1.25
        shares = {"low": sim.p_too_low, "right": sim.p_correct, "high": sim.p_too_high}
        for key, (a, b) in _regions(sim).items():
            a, b = max(a, bins[0]), min(b, bins[-1])
            if b <= a:
                continue
            ax.axvspan(a, b, color=_REGION_COLOURS[key], alpha=0.18, lw=0, zorder=1)
            ax.text(np.sqrt(a * b), top * 0.97, t(f"bmv_region_{key}", lang, pct=f"{100 * shares[key]:.1f}"),
                    ha="center", va="top", color="0.15", fontsize=9.5, zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9})
        ax.axvline(sim.true_bod, color=OKABE_ITO[1], lw=1.6, zorder=4)
        ax.set_ylim(0, top)
        ax.set_ylabel(t("bmv_pct_trials", lang))
        sampled = t("bmv_list_sep", lang).join(f"{v:g}" for v in np.unique(sim.doses))
        ax.set_title(t("bmv_est_panel", lang, n=sim.n_per_dose, sd=_fmt(sim.noise_sd), doses=sampled),
                     loc="left", fontsize=10.5)
        ax.grid(axis="x", visible=False)
    last = axes[-1, 0]
    last.set_xscale("log")
    last.set_xlim(*_X_RANGE)
    last.set_xticks(list(items[0].candidates) + [_X_RANGE[0], _X_RANGE[1]])
    last.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    last.xaxis.set_minor_formatter(FuncFormatter(lambda v, _pos: ""))
    last.set_xlabel(t("bmv_est_axis", lang))
    fig.suptitle(t("bmv_est_title", lang, bod=_fmt(items[0].true_bod), trials=items[0].n_trials, seed=seed),
                 x=0.01, ha="left", fontsize=12)
    return fig


def widget(lang: str = "en", *, n_per_dose: int = 3, noise_sd: float = DEFAULT_NOISE_SD, dose_set: str = "all"):
    """Patients per dose, noise and the doses sampled in; how often the chosen dose is too low, right or too high.

    A slider sets the patients per dose (2 to 24), another the between-patient SD (5 to 40 percentage points),
    and a dropdown which escalation doses carry biomarker samples (:data:`DOSE_SETS`).  Each change reruns
    :func:`simulate` (:data:`N_TRIALS` trials, seed :data:`SEED`) and redraws :func:`estimate_figure`.  Python
    callbacks need a live kernel: in the static book the controls move but the output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    n_per_dose : int, default 3
        Starting patients per dose (clipped to 2-24).
    noise_sd : float, default 20
        Starting SD (clipped to 5-40).
    dose_set : {"all", "low", "high", "spread"}, default "all"
        Starting set of sampled doses.

    Returns
    -------
    ipywidgets.VBox
        The controls, a line of shares and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    if dose_set not in DOSE_SETS:
        raise ValueError(f"dose_set must be one of {tuple(DOSE_SETS)}; got {dose_set!r}")
    style = {"description_width": "12em"}
    layout = w.Layout(width="30em")
    n = w.IntSlider(value=int(min(max(n_per_dose, 2), 24)), min=2, max=24, step=1,
                    description=t("bmv_w_n", lang), continuous_update=False, style=style, layout=layout)
    sd = w.FloatSlider(value=float(min(max(noise_sd, 5.0), 40.0)), min=5.0, max=40.0, step=2.5,
                       readout_format=".1f", description=t("bmv_w_sd", lang), continuous_update=False,
                       style=style, layout=layout)
    doses = w.Dropdown(options=[(t(f"bmv_set_{k}", lang), k) for k in DOSE_SETS], value=dose_set,
                       description=t("bmv_w_doses", lang), style=style, layout=layout)
    text = w.HTML()

    def render() -> Figure:
        sim = simulate(n.value, sd.value, doses.value)
        text.value = html.escape(shares_text(sim, lang))
        return estimate_figure(sim, lang)

    out = live_output((n, sd, doses), render)
    return w.VBox([n, sd, doses, text, out])
