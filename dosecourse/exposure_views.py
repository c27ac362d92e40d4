"""Figures and a widget for the chapter "Exposure, not just dose".

The calculations live in :mod:`dosecourse.pk` (predicted human exposure) and :mod:`dosecourse.dose_grid` (step
schemes, levels, patients below the active dose); this module only shows them, in the reader's language:

* :func:`exposure_ladder_figure`: the predicted human AUC at each level of an escalation ladder, against the
  efficacious exposure and the exposure at the animal NOAEL;
* :func:`step_risk_figure`: what one +33% or +100% step does on dose-response curves of different steepness;
* :func:`below_active_figure`: the default state of the widget, the simulated number of patients treated below the
  active dose and the risk of the step that crosses it;
* :func:`widget`: the ratio target/start, the step scheme and the steepness in; levels, patients below the active
  dose and the crossing-step risk out.

Every user-facing string comes from ``labels/exposure_views.toml`` (and ``labels/dose_grid.toml``) through
:func:`dosecourse.i18n.t`.

References
----------
Le Tourneau C, Lee JJ, Siu LL. Dose escalation methods in phase I cancer clinical trials. J Natl Cancer Inst.
2009;101(10):708-720. doi:10.1093/jnci/djp079
Holford NHG, Sheiner LB. Understanding the dose-effect relationship. Clin Pharmacokinet. 1981;6(6):429-453.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import _validate, dose_grid, pk
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

_SCHEME_COLOURS = dict(zip(dose_grid.SCHEMES, (OKABE_ITO[1], OKABE_ITO[0], OKABE_ITO[2])))


def _g(x: float) -> str:
    """A number with three significant digits, without trailing zeros."""
    return f"{x:.3g}"


def exposure_ladder_figure(start_mg: float, cl: float, f: float, auc_target: float, auc_noael: float, *,
                           scheme: str = "doubling", lang: str = "en") -> Figure:
    """Predicted human AUC at each dose level, with the efficacious AUC and the animal NOAEL AUC.

    The ladder starts at ``start_mg`` and follows ``scheme`` up to one level past the first whose AUC reaches
    ``auc_target``.  Each level's AUC over a dosing interval at steady state (linear PK) is F x dose / CL
    (:func:`dosecourse.pk.auc_inf`).  Levels below the target are grey, the first at or above it vermillion.

    Parameters
    ----------
    start_mg : float
        Starting dose, mg.
    cl : float
        Predicted human clearance, L/h.
    f : float
        Bioavailability, in (0, 1].
    auc_target : float
        Efficacious AUC, mg*h/L.
    auc_noael : float
        AUC at the animal NOAEL (toxicokinetics), mg*h/L.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme of the ladder.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If an argument is out of range or the scheme is unknown.
    """
    lang = check_lang(lang)
    auc_start = pk.auc_inf(_validate.positive(start_mg, "start_mg"), cl, f)
    auc_target = _validate.positive(auc_target, "auc_target")
    auc_noael = _validate.positive(auc_noael, "auc_noael")
    steps = dose_grid.steps_to_reach(auc_target / auc_start, scheme)
    doses = dose_grid.dose_levels(start_mg, scheme, steps + 2)
    aucs = doses * (auc_start / start_mg)
    first = steps  # index of the first level at or above the target
    colours = ["0.6" if i < first else OKABE_ITO[1] if i == first else "0.3" for i in range(doses.size)]

    fig, ax = new_figure(lang, figsize=(7.4, 4.2))
    levels = np.arange(1, doses.size + 1)
    ax.scatter(levels, aucs, c=colours, s=55, zorder=3)
    ax.plot(levels, aucs, color="0.75", lw=1, zorder=2)
    for x, d, a in zip(levels, doses, aucs):
        ax.text(x, a * 1.12, f"{d:.0f}", ha="center", va="bottom", fontsize=8.5, color="0.25")
    ax.axhline(auc_target, color=OKABE_ITO[2], ls="--", lw=1.4)
    ax.axhline(auc_noael, color=OKABE_ITO[5], ls=":", lw=1.6)
    trans = ax.get_yaxis_transform()
    ax.text(0.01, auc_target * 1.06, t("expv_target_line", lang, auc=_g(auc_target)), transform=trans,
            ha="left", va="bottom", color=OKABE_ITO[2], fontsize=9.5)
    ax.text(0.01, auc_noael * 1.06, t("expv_noael_line", lang, auc=_g(auc_noael)), transform=trans,
            ha="left", va="bottom", color=OKABE_ITO[5], fontsize=9.5)
    ax.annotate(t("expv_margin_label", lang, margin=f"{auc_noael / auc_start:.1f}"),
                xy=(1.08, auc_start), xytext=(1.5, auc_start / 1.25), va="center", ha="left",
                fontsize=9.5, color="0.2", arrowprops={"arrowstyle": "-|>", "color": "0.4", "lw": 1})
    ax.set_yscale("log")
    ax.set_ylim(min(aucs) / 2.0, max(max(aucs), auc_noael) * 2.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:g}"))
    ax.set_xticks(levels)
    ax.set_xlim(0.5, doses.size + 0.5)
    ax.set_xlabel(t("expv_ladder_xlabel", lang))
    ax.set_ylabel(t("expv_ladder_ylabel", lang))
    ax.set_title(t("expv_ladder_title", lang, scheme=dose_grid.scheme_label(scheme, lang)), loc="left")
    handles = [
        plt.Line2D([], [], marker="o", ls="", color="0.6", ms=7, label=t("expv_leg_below", lang)),
        plt.Line2D([], [], marker="o", ls="", color=OKABE_ITO[1], ms=7, label=t("expv_leg_first", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=9.5)
    return fig


def _step_ratio_axes(ax, ticks: list[float]) -> None:
    """A log axis of step ratios (ticks as plain numbers) against a probability from 0 to 100%."""
    ax.set_xscale("log")
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _pos: ""))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0%}"))


def step_risk_figure(hills: tuple[float, ...] = (1.0, 2.0, 4.0), p_current: float = 0.10, *,
                     lang: str = "en") -> Figure:
    """One +33% step and one +100% step from a dose with risk ``p_current``, on curves of different steepness.

    The x axis is the dose relative to the current dose (log scale); each curve is a Hill (log-logistic)
    dose-response through ``p_current`` at 1 with coefficient n.  Markers show the risk after a step of x1.33 and
    of x2 (:func:`dosecourse.dose_grid.probability_after_step`).

    Parameters
    ----------
    hills : tuple of float
        Hill coefficients, one curve each.
    p_current : float, default 0.10
        Risk at the current dose, in (0, 1).
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    p_current = _validate.probability(p_current, "p_current")
    fig, ax = new_figure(lang, figsize=(7.2, 4.2))
    x = np.geomspace(0.5, 4.0, 200)
    styles = ("-", "--", "-.", ":")
    for i, n in enumerate(hills):
        n = _validate.positive(n, "hills")
        ax.plot(x, dose_grid.probability_after_step(p_current, x, n), color="0.35", ls=styles[i % 4], lw=1.5,
                label=t("expv_hill_curve", lang, n=f"{n:g}"))
        for ratio, colour in ((1.33, _SCHEME_COLOURS["constant_33"]), (2.0, _SCHEME_COLOURS["doubling"])):
            p_next = dose_grid.probability_after_step(p_current, ratio, n)
            ax.plot([ratio], [p_next], "o", color=colour, ms=7, zorder=3)
            left = ratio < 1.5 and i % 2 == 1  # alternate sides on the +33% line so close labels do not collide
            ax.text(ratio / 1.03 if left else ratio * 1.03, p_next, f"{p_next:.0%}", ha="right" if left else "left",
                    va="bottom" if left else "top", fontsize=9, color=colour)
    ax.axvline(1.33, color=_SCHEME_COLOURS["constant_33"], lw=1, alpha=0.6)
    ax.axvline(2.0, color=_SCHEME_COLOURS["doubling"], lw=1, alpha=0.6)
    ax.plot([1.0], [p_current], "o", color="0.2", ms=7, zorder=3)
    trans = ax.get_xaxis_transform()
    ax.text(1.33, 1.01, t("expv_step_33", lang), transform=trans, ha="center", va="bottom",
            color=_SCHEME_COLOURS["constant_33"], fontsize=9.5)
    ax.text(2.0, 1.01, t("expv_step_100", lang), transform=trans, ha="center", va="bottom",
            color=_SCHEME_COLOURS["doubling"], fontsize=9.5)
    _step_ratio_axes(ax, [0.5, 1, 1.33, 2, 4])
    ax.set_xlabel(t("expv_step_xlabel", lang))
    ax.set_ylabel(t("expv_step_ylabel", lang))
    ax.set_title(t("expv_step_title", lang, p=f"{p_current:.0%}"), loc="left", pad=22)
    ax.legend(loc="upper left", fontsize=9.5)
    return fig


def below_active_figure(fold: float = 9.4, scheme: str = "doubling", hill: float = 4.0, *, gsd: float = 2.4,
                        n_trials: int = 10_000, seed: int = 20250101, p_current: float = 0.10,
                        lang: str = "en") -> Figure:
    """Patients treated below the active dose (simulated) and the risk of the step that crosses it.

    Left: the distribution of patients treated below the active dose over ``n_trials`` simulated trials
    (:func:`dosecourse.dose_grid.simulate_patients_below_active`), with its mean.  Right: a Hill curve of
    coefficient ``hill`` through ``p_current`` at the last level below the (median) active dose, and the risk
    after the crossing step of each scheme, the chosen one highlighted.

    Parameters
    ----------
    fold : float, default 9.4
        Median active (target) dose / starting dose.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    hill : float, default 4
        Hill coefficient (steepness) of the dose-response.
    gsd : float, default 2.4
        Geometric standard deviation of the active dose.
    n_trials : int, default 10000
        Simulated trials.
    seed : int, default 20250101
        Seed of the simulation.
    p_current : float, default 0.10
        Risk at the last level below the active dose.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    sim = dose_grid.simulate_patients_below_active(fold, scheme, gsd=gsd, n_trials=n_trials, seed=seed)
    hill = _validate.positive(hill, "hill")
    fig, (left, right) = new_figure(lang, ncols=2, figsize=(9.6, 4.2), width_ratios=(1.25, 1))

    values, counts = np.unique(sim.patients_below, return_counts=True)
    left.bar(values, counts / sim.n_trials, width=0.8 * sim.cohort_size, color=_SCHEME_COLOURS[scheme],
             alpha=0.85)
    left.axvline(sim.mean_patients, color="0.2", ls="--", lw=1.3)
    left.text(sim.mean_patients, 0.98, t("expv_mean_label", lang, mean=f"{sim.mean_patients:.1f}"),
              transform=left.get_xaxis_transform(), ha="left", va="top", fontsize=9.5, color="0.2",
              bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    left.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0%}"))
    left.set_xlabel(t("expv_below_xlabel", lang))
    left.set_ylabel(t("expv_below_ylabel", lang, n=f"{sim.n_trials:,}"))
    left.set_title(t("expv_below_title", lang, scheme=dose_grid.scheme_label(scheme, lang), fold=_g(fold),
                     gsd=_g(gsd)), loc="left", fontsize=11)

    x = np.geomspace(0.5, 3.0, 200)
    right.plot(x, dose_grid.probability_after_step(p_current, x, hill), color="0.35", lw=1.5)
    right.plot([1.0], [p_current], "o", color="0.2", ms=7)
    for name in dose_grid.SCHEMES:
        ratio = dose_grid.crossing_step_ratio(fold, name)
        p_next = dose_grid.probability_after_step(p_current, ratio, hill) if ratio > 1 else p_current
        chosen = name == scheme
        right.plot([ratio], [p_next], "o", color=_SCHEME_COLOURS[name], ms=10 if chosen else 6,
                   alpha=1.0 if chosen else 0.55, zorder=3,
                   label=t("expv_cross_legend", lang, scheme=dose_grid.scheme_label(name, lang), ratio=f"{ratio:g}",
                           p=f"{p_next:.0%}"))
    _step_ratio_axes(right, [0.5, 1, 1.33, 2, 3])
    right.set_xlabel(t("expv_cross_xlabel", lang))
    right.set_ylabel(t("expv_step_ylabel", lang))
    right.set_title(t("expv_cross_title", lang, n=f"{hill:g}"), loc="left", fontsize=11)
    right.legend(loc="upper left", fontsize=8.5)
    return fig


def explain(fold: float = 9.4, scheme: str = "doubling", hill: float = 4.0, *, gsd: float = 2.4,
            n_trials: int = 10_000, seed: int = 20250101, p_current: float = 0.10, lang: str = "en") -> str:
    """The widget's text: levels to the target, patients below the active dose, and the crossing-step risk.

    Parameters are those of :func:`below_active_figure`.

    Returns
    -------
    str
        Three lines in the reader's language.

    Examples
    --------
    >>> print(explain(10.0, "doubling", 4.0, gsd=1.0, n_trials=100).splitlines()[0])
    Doubling (+100%): 10 x start is reached in 4 step(s), 5 level(s) counting the start (1, 2, 4, 8, 16 x start).
    """
    lang = check_lang(lang)
    steps = dose_grid.steps_to_reach(fold, scheme)
    ladder = dose_grid.dose_levels(1.0, scheme, steps + 1)
    sim = dose_grid.simulate_patients_below_active(fold, scheme, gsd=gsd, n_trials=n_trials, seed=seed)
    ratio = dose_grid.crossing_step_ratio(fold, scheme)
    p_next = dose_grid.probability_after_step(p_current, ratio, hill) if ratio > 1 else p_current
    return "\n".join([
        t("expv_text_levels", lang, scheme=dose_grid.scheme_label(scheme, lang), steps=steps, levels=steps + 1,
          fold=_g(fold), ladder=", ".join(f"{d:.3g}" for d in ladder)),
        sim.summary(lang),
        t("expv_text_step", lang, ratio=f"{ratio:g}", p=f"{p_current:.0%}", n=f"{hill:g}", p_next=f"{p_next:.0%}")
        if steps > 0 else t("expv_text_no_step", lang),
    ])


def widget(lang: str = "en", *, fold: float = 9.4, scheme: str = "doubling", hill: float = 4.0,
           gsd: float = 2.4, n_trials: int = 10_000, seed: int = 20250101):
    """Start-dose ratio, step scheme and steepness in; levels, patients below the active dose and step risk out.

    A log slider sets the ratio target/start (1 to 100), a dropdown the step scheme and a slider the Hill
    coefficient (0.5 to 8).  Each change reruns the seeded simulation, prints :func:`explain` and redraws
    :func:`below_active_figure`.  Python callbacks need a live kernel: in the static book the controls move but the
    output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    fold, scheme, hill
        Starting values of the controls.
    gsd, n_trials, seed
        Fixed settings of the simulation.

    Returns
    -------
    ipywidgets.VBox
        The controls, the text and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    style = {"description_width": "12em"}
    layout = w.Layout(width="30em")
    fold_w = w.FloatLogSlider(value=min(max(fold, 1.0), 100.0), base=10, min=0.0, max=2.0, step=0.02,
                              readout_format=".3g", description=t("expv_w_fold", lang), continuous_update=False,
                              style=style, layout=layout)
    scheme_w = w.Dropdown(options=[(dose_grid.scheme_label(s, lang), s) for s in dose_grid.SCHEMES],
                          value=scheme, description=t("expv_w_scheme", lang), style=style, layout=layout)
    hill_w = w.FloatSlider(value=min(max(hill, 0.5), 8.0), min=0.5, max=8.0, step=0.5, readout_format=".1f",
                           description=t("expv_w_hill", lang), continuous_update=False, style=style,
                           layout=layout)
    text = w.HTML()

    def render() -> Figure:
        kwargs = {"gsd": gsd, "n_trials": n_trials, "seed": seed, "lang": lang}
        text.value = "<br>".join(html.escape(line) for line in
                                 explain(fold_w.value, scheme_w.value, hill_w.value, **kwargs).splitlines())
        return below_active_figure(fold_w.value, scheme_w.value, hill_w.value, **kwargs)

    out = live_output((fold_w, scheme_w, hill_w), render)
    return w.VBox([fold_w, scheme_w, hill_w, text, out])
