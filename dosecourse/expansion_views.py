"""Figures and a widget for the chapter "Randomized dose expansion".

The calculations live in :mod:`dosecourse.expansion` (the selection rule and its exact probabilities) and
:mod:`dosecourse.expansion_cases` (the published trials); this module only shows them, in the reader's
language:

* :func:`selection_view_figure`: for given true response rates and margin, the probability that each dose is
  selected as the number of patients per arm grows (left), and the same probabilities as bars at one arm size
  (right), with the correct dose marked;
* :func:`cases_figure`: for each published case, the probability of choosing the right dose against the
  number of patients per arm, treating the reported rates as true, with the trial's own arm sizes marked;
* :func:`widget`: number of doses, true response rates, margin and patients per arm in; the redrawn
  :func:`selection_view_figure` and the rule in words out.

Every user-facing string comes from ``labels/expansion_cases.toml`` (and ``labels/expansion.toml``) through
:func:`dosecourse.i18n.t`.

References
----------
Simon R, Wittes RE, Ellenberg SS. Randomized phase II clinical trials. Cancer Treat Rep. 1985;69:1375-1381.
Wang S, Yuan Y, Liu S. ROSE: Randomized Optimal Selection Design for Dose Optimization. arXiv:2505.03898.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib import pyplot as plt  # noqa: F401  (the docstring examples use plt)
from matplotlib.figure import Figure

from . import expansion, expansion_cases
from .expansion import MarginLike
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

DEFAULT_RATES: tuple[float, float] = (0.35, 0.50)
"""True response rates of the widget's starting state (two doses): a 15-point advantage of the higher dose."""

DEFAULT_THIRD_RATE = 0.52
"""Starting rate of the third dose when the widget compares three doses."""

DEFAULT_N = 30
"""Starting number of patients per arm (the middle of the 20-40 per arm of ROSE/MERIT-type designs)."""

DEFAULT_MARGIN = 0.10
"""Starting margin on the difference in observed response rates."""

N_MAX = 100
"""Largest arm size drawn on the curves."""


def _pct(x: float) -> str:
    return f"{100 * x:.0f}" if abs(100 * x - round(100 * x)) < 1e-9 else f"{100 * x:.1f}"


def selection_view_figure(p: Sequence[float] = DEFAULT_RATES, n_per_arm: int = DEFAULT_N,
                          margin: MarginLike = DEFAULT_MARGIN, lang: str = "en", *, n_max: int = N_MAX,
                          p_tox: Sequence[float] | None = None, tox_margin: MarginLike | None = None) -> Figure:
    """Selection probabilities against patients per arm, and as bars at ``n_per_arm``.

    Parameters
    ----------
    p : sequence of float
        True response rates, lowest dose first (2 or 3 doses).
    n_per_arm : int
        Patients per arm marked on the curves and shown as bars.
    margin : float, int or Fraction
        The rule's margin (see :func:`dosecourse.expansion.select_dose`).
    lang : {"en", "zh-tw"}
        Language of every label.
    n_max : int
        Largest arm size on the curves (at least ``n_per_arm``).
    p_tox, tox_margin : optional
        Toxicity guard, as in :func:`dosecourse.expansion.selection_probabilities`.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels; the correct dose (:func:`dosecourse.expansion.correct_dose`) is drawn thicker and its bar
        labelled.

    Raises
    ------
    ValueError, TypeError
        As in :func:`dosecourse.expansion.selection_probabilities`.

    Examples
    --------
    >>> fig = selection_view_figure(lang="zh-tw")
    >>> len(fig.axes), len(fig.axes[1].patches)
    (2, 2)
    >>> plt.close(fig)
    """
    lang = check_lang(lang)
    p_arr = np.asarray(p, dtype=float)
    n_per_arm = int(n_per_arm)
    at_n = expansion.selection_probabilities(p_arr, n_per_arm, margin, p_tox=p_tox, tox_margin=tox_margin)
    k = p_arr.size
    right = expansion.correct_dose(p_arr, margin)
    grid = np.arange(2, max(n_max, n_per_arm) + 1)
    curves = np.array([expansion.selection_probabilities(p_arr, int(m), margin, p_tox=p_tox,
                                                         tox_margin=tox_margin) for m in grid])

    fig, (ax, bx) = new_figure(lang, ncols=2, figsize=(9.2, 4.0), width_ratios=[1.9, 1.0])
    for j in range(k):
        label = t("exp_legend_dose", lang, dose=j + 1, rate=_pct(p_arr[j]))
        if j + 1 == right:
            label = t("exp_legend_correct", lang, label=label)
        ax.plot(grid, curves[:, j], color=OKABE_ITO[j], linewidth=2.6 if j + 1 == right else 1.4, label=label)
    ax.axvline(n_per_arm, color="0.35", linestyle="--", linewidth=1.0)
    ax.text(n_per_arm, 1.01, t("rdv_n_marker", lang, n=n_per_arm), transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize=9.5, color="0.25")
    ax.set_ylim(0, 1)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel(t("exp_axis_n_per_arm", lang))
    ax.set_ylabel(t("exp_axis_probability", lang))
    ax.set_title(t("rdv_title_curves", lang), loc="left", pad=16)
    ax.legend(loc="center right", fontsize=9)

    xs = np.arange(1, k + 1)
    bars = bx.bar(xs, at_n, color=[OKABE_ITO[j] for j in range(k)], width=0.6)
    bars[right - 1].set_edgecolor("black")
    bars[right - 1].set_linewidth(1.6)
    for j, b in enumerate(bars):
        text = f"{at_n[j]:.2f}"
        if j + 1 == right:
            text += f"\n({t('rdv_correct_mark', lang)})"
        bx.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.02, text, ha="center", va="bottom", fontsize=9.5)
    bx.set_xticks(xs, [t("rdv_dose_tick", lang, dose=j, rate=_pct(p_arr[j - 1])) for j in xs])
    bx.set_ylim(0, 1.18)
    bx.set_yticks(np.linspace(0, 1, 6))
    bx.grid(axis="x", visible=False)
    bx.set_title(t("rdv_title_bars", lang, n=n_per_arm), loc="left", pad=16)
    fig.suptitle(t("exp_fig_title", lang, margin=f"{float(margin):.4g}"), x=0.01, ha="left", fontsize=11)
    return fig


def cases_figure(margin: MarginLike = DEFAULT_MARGIN, lang: str = "en", *,
                 keys: Iterable[str] | None = None, n_grid: Iterable[int] = range(5, 121)) -> Figure:
    """Probability of correct selection against patients per arm for the published cases.

    Each line takes a case's reported rates as the true rates and equal arms of ``n`` patients; a diamond
    marks the probability at the trial's own (possibly unequal) arm sizes, drawn at their mean.  The shaded
    band is 20-40 patients per arm.

    Parameters
    ----------
    margin : float, int or Fraction
        The rule's margin.
    lang : {"en", "zh-tw"}
        Language of every label.
    keys : iterable of str, optional
        Cases to draw (all of :data:`dosecourse.expansion_cases.CASES` by default).
    n_grid : iterable of int
        Arm sizes on the x axis.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = cases_figure(lang="en")
    >>> len(fig.axes[0].get_lines()) >= 4
    True
    >>> plt.close(fig)
    """
    lang = check_lang(lang)
    grid = np.array(list(n_grid))
    cases = [expansion_cases.case(k) for k in (expansion_cases.CASES if keys is None else keys)]
    fig, ax = new_figure(lang, figsize=(8.0, 4.6))
    ax.axvspan(20, 40, color="0.9", zorder=0, label=t("rdv_cases_band", lang))
    for i, c in enumerate(cases):
        right = expansion.correct_dose(c.rates, margin)
        curve = expansion_cases.selection_curve(c, grid, margin)[:, right - 1]
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        ax.plot(grid, curve, color=colour, linewidth=1.8,
                label=t("rdv_cases_legend", lang, drug=c.drug, trial=c.trial, dose=c.doses[right - 1]))
        ax.plot([np.mean(c.n_per_arm)], [expansion_cases.pcs_as_run(c, margin)], marker="D", color=colour,
                markersize=7, markeredgecolor="black", linestyle="")
    ax.plot([], [], marker="D", color="0.6", markeredgecolor="black", linestyle="", label=t("rdv_cases_as_run", lang))
    ax.set_ylim(0, 1)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel(t("exp_axis_n_per_arm", lang))
    ax.set_ylabel(t("rdv_cases_axis_pcs", lang))
    ax.set_title(t("rdv_cases_title", lang, margin=f"{float(margin):.4g}"), loc="left", fontsize=11)
    ax.legend(loc="lower right", fontsize=8.8)
    return fig


def summary_html(p: Sequence[float], n_per_arm: int, margin: MarginLike, lang: str = "en") -> str:
    """The rule in words and the probability of correct selection, as escaped HTML for the widget.

    Examples
    --------
    >>> print(summary_html([0.35, 0.50], 30, 0.10).split("<br>")[1])
    Correct dose: dose 2. Probability of correct selection at 30 patients per arm: 0.606.
    """
    lang = check_lang(lang)
    right = expansion.correct_dose(p, margin)
    pcs = expansion.probability_correct_selection(p, n_per_arm, margin)
    lines = [expansion.describe_rule(margin, lang=lang),
             t("rdv_w_summary", lang, dose=right, n=n_per_arm, pcs=pcs)]
    return "<br>".join(html.escape(s) for s in lines)


def widget(lang: str = "en", *, p: Sequence[float] = DEFAULT_RATES, n_per_arm: int = DEFAULT_N,
           margin: float = DEFAULT_MARGIN):
    """Response rates, margin and patients per arm in; selection probabilities out, redrawn on every change.

    A dropdown chooses two or three doses, one slider per dose sets its true response rate, a slider the
    margin and a slider the patients per arm.  Each change recomputes the exact selection probabilities, states
    the rule and the probability of correct selection, and redraws :func:`selection_view_figure`.  Python
    callbacks need a live kernel: in the static book the controls move but the output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    p : sequence of float, default (0.35, 0.50)
        Starting true response rates (2 or 3 doses).
    n_per_arm : int, default 30
        Starting patients per arm (5 to 150).
    margin : float, default 0.10
        Starting margin (0 to 0.30).

    Returns
    -------
    ipywidgets.VBox
        The controls, the text and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    start = [float(x) for x in p]
    if len(start) not in (2, 3):
        raise ValueError(f"p must give 2 or 3 starting rates; got {len(start)}")
    style = {"description_width": "12em"}
    layout = w.Layout(width="30em")
    n_doses = w.Dropdown(options=[("2", 2), ("3", 3)], value=len(start), description=t("rdv_w_n_doses", lang),
                         style=style, layout=layout)
    third = start[2] if len(start) == 3 else DEFAULT_THIRD_RATE
    rates = [w.FloatSlider(value=v, min=0.0, max=1.0, step=0.01, readout_format=".2f",
                           description=t("rdv_w_rate", lang, dose=j + 1), continuous_update=False,
                           style=style, layout=layout)
             for j, v in enumerate([*start[:2], third])]
    m = w.FloatSlider(value=float(margin), min=0.0, max=0.30, step=0.01, readout_format=".2f",
                      description=t("rdv_w_margin", lang), continuous_update=False, style=style, layout=layout)
    n = w.IntSlider(value=int(n_per_arm), min=5, max=150, step=1, description=t("rdv_w_n", lang),
                    continuous_update=False, style=style, layout=layout)
    text = w.HTML()

    def render() -> Figure:
        k = n_doses.value
        rates[2].layout.display = "" if k == 3 else "none"
        # Sliders hold binary floats; round to the displayed two decimals so the tie convention reads exactly.
        pv = [round(s.value, 2) for s in rates[:k]]
        mv = round(m.value, 2)
        text.value = summary_html(pv, n.value, mv, lang)
        return selection_view_figure(pv, n.value, mv, lang, n_max=max(N_MAX, n.value))

    out = live_output((n_doses, *rates, m, n), render)
    return w.VBox([w.HBox([w.VBox([n_doses, m, n]), w.VBox(rates)]), text, out])
