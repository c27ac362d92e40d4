"""Figures, widget and numbers of the chapter "Randomized dose expansion" (``explore/randomized-expansion``).

The science is in :mod:`dosecourse.expansion` (the "lower dose unless beaten by a margin" selection rule and
its exact probabilities) and :mod:`dosecourse.expansion_cases` (the published trials, read from
``dosecourse/data/expansion_cases.json``); this module only shows them, in the reader's language:

* :func:`selection_figure`: the probability that each dose is selected against the number of patients per arm,
  the correct dose (:func:`dosecourse.expansion.correct_dose`) drawn thicker;
* :func:`cases_figure`: for each published case, the probability of choosing the right dose against the number
  of patients per arm, treating the reported rates as true, with the trial's own arm sizes marked;
* :data:`widget`: true response rates, margin and patients per arm in; the rule in words, the probability of
  correct selection and :func:`selection_figure` out;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_randomized_expansion.py``).

Every user-facing string comes from ``labels/chapters/randomized_expansion.toml`` (and the science modules'
labels) through :func:`dosecourse.i18n.t`.

References
----------
Simon R, Wittes RE, Ellenberg SS. Randomized phase II clinical trials. Cancer Treat Rep. 1985;69:1375-1381.
Wang S, Yuan Y, Liu S. ROSE: Randomized Optimal Selection Design for Dose Optimization. arXiv:2505.03898.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from .. import expansion
from .. import expansion_cases as cases
from ..expansion import LOWEST_WITHIN_MARGIN, MarginLike
from ..i18n import t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

DOSE_COLOURS: tuple[str, ...] = (style.BLUE, style.VERMILLION, style.GREEN)
"""Colour of dose 1, 2 and 3 in every figure of the chapter."""

MARGIN = 0.10
"""The margin of the chapter's worked examples and of the widget's starting state."""

DEFAULT_RATES: tuple[float, float] = (0.35, 0.50)
"""True response rates of the generic example and of the widget's starting state: a 15-point advantage."""

DEFAULT_N = 30
"""Starting number of patients per arm of the widget (the middle of the 20-40 per arm of ROSE/MERIT designs)."""

WIDGET_N_GRID = range(2, 101)
"""Patients per arm on the x axis of the widget's figure."""

CASE_N_GRID = range(5, 121)
"""Patients per arm on the x axis of :func:`cases_figure`."""

RATE_CHOICES: tuple[tuple[tuple[float, ...], str | None], ...] = (
    (DEFAULT_RATES, None),
    ((0.36, 0.36), None),
    ((0.35, 0.45), None),
    ((0.30, 0.45, 0.47), None),
    (cases.case("lenvatinib").rates, cases.case("lenvatinib").trial),
)
"""The widget's true response rates, each with the trial it comes from (None: a teaching example): the default
(dose 2 better by 15 points), equal rates of 36% (the chapter's equal-dose example), two rates exactly one
default margin apart, three doses whose top dose is only 2 points better than the middle one, and Study 211 as
reported (for exercise 1)."""


def _pct(x: float) -> str:
    """A rate as a percentage: no decimal when it is a whole percent, else one."""
    return f"{100 * x:.0f}" if abs(100 * x - round(100 * x)) < 1e-9 else f"{100 * x:.1f}"


def _margin_text(margin: MarginLike) -> str:
    return f"{float(margin):.4g}"


@lru_cache(maxsize=256)
def _curve(rates: tuple[float, ...], n_grid: tuple[int, ...], margin: MarginLike,
           allocation: tuple[int, ...] | None, p_tox: tuple[float, ...] | None,
           tox_margin: MarginLike | None) -> np.ndarray:
    """:func:`dosecourse.expansion.selection_curve`, cached (the widget redraws a setting without recomputing)."""
    out = expansion.selection_curve(rates, n_grid, margin, allocation=allocation, p_tox=p_tox,
                                    tox_margin=tox_margin)
    out.flags.writeable = False
    return out


def _tuple(values: Sequence | None, cast=float) -> tuple | None:
    return None if values is None else tuple(cast(v) for v in values)


@style.course_figure
def selection_figure(p: Sequence[float], n_grid: Iterable[int], margin: MarginLike, lang: str = "en", *,
                     allocation: Sequence[int] | None = None, correct: str | int = LOWEST_WITHIN_MARGIN,
                     p_tox: Sequence[float] | None = None, tox_margin: MarginLike | None = None) -> Figure:
    """Probability of selecting each dose against the number of patients per arm.

    Parameters
    ----------
    p : sequence of float
        True response rates, lowest dose first (2 or 3 doses).
    n_grid : iterable of int
        Patients per arm on the x axis (with ``allocation``: per allocation unit).
    margin : float, int or Fraction
        The rule's margin (see :func:`dosecourse.expansion.select_dose`).
    lang : {"en", "zh-tw"}
        Language of every label.
    allocation, correct, p_tox, tox_margin
        As in :func:`dosecourse.expansion.selection_table`.

    Returns
    -------
    matplotlib.figure.Figure
        One line per dose; the correct dose is drawn thicker and marked in the legend.

    Raises
    ------
    ValueError, TypeError
        As in :func:`dosecourse.expansion.selection_curve` and :func:`dosecourse.expansion.correct_dose`.

    Examples
    --------
    >>> fig = selection_figure([0.30, 0.50], range(10, 61, 10), 0.10, lang="zh-tw")
    >>> len(fig.axes[0].get_lines())
    2
    >>> from matplotlib import pyplot as plt; plt.close(fig)
    """
    rates = _tuple(p)
    right = expansion.correct_dose(rates, margin, correct)
    grid = tuple(int(v) for v in (list(n_grid) if not isinstance(n_grid, np.ndarray) else n_grid.tolist()))
    alloc = _tuple(allocation, int)
    probs = _curve(rates, grid, margin, alloc, _tuple(p_tox), tox_margin)
    fig, ax = style.new_figure()
    for j in range(len(rates)):
        label = t("exp_legend_dose", lang, dose=j + 1, rate=_pct(rates[j]))
        if j + 1 == right:
            label = t("exp_legend_correct", lang, label=label)
        ax.plot(grid, probs[:, j], marker="o", markersize=3, color=DOSE_COLOURS[j],
                linewidth=2.6 if j + 1 == right else 1.4, label=label)
    equal = alloc is None or len(set(alloc)) == 1
    ax.set_xlabel(t("exp_axis_n_per_arm", lang) if equal
                  else t("exp_axis_n_alloc", lang, ratio=":".join(str(v) for v in alloc)))
    ax.set_ylabel(t("exp_axis_probability", lang))
    ax.set_ylim(0, 1)
    ax.set_title(t("exp_fig_title", lang, margin=_margin_text(margin)), loc="left")
    ax.legend(loc="best")
    return fig


@style.course_figure
def cases_figure(margin: MarginLike = MARGIN, lang: str = "en", *, keys: Iterable[str] | None = None,
                 n_grid: Iterable[int] = CASE_N_GRID) -> Figure:
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

    Raises
    ------
    ValueError, TypeError
        As in :func:`dosecourse.expansion_cases.selection_curve`.

    Examples
    --------
    >>> fig = cases_figure(lang="en")
    >>> len(fig.axes[0].get_lines()) >= 4
    True
    >>> from matplotlib import pyplot as plt; plt.close(fig)
    """
    grid = tuple(int(v) for v in n_grid)
    chosen = list(cases.CASES.values()) if keys is None else [cases.case(k) for k in keys]
    fig, ax = style.new_figure(figsize=(8.0, 4.6))
    ax.axvspan(20, 40, color=style.GREY_LIGHT, zorder=0, label=t("rdv_cases_band", lang))
    for i, c in enumerate(chosen):
        right = expansion.correct_dose(c.rates, margin)
        curve = _curve(c.rates, grid, margin, None, None, None)[:, right - 1]
        colour = style.OKABE_ITO[i % len(style.OKABE_ITO)]
        ax.plot(grid, curve, color=colour, linewidth=1.8,
                label=t("rdv_cases_legend", lang, drug=c.drug, trial=c.trial, dose=c.doses[right - 1]))
        ax.plot([np.mean(c.n_per_arm)], [cases.pcs_as_run(c, margin)], marker="D", color=colour,
                markersize=7, markeredgecolor=style.BLACK, linestyle="")
    ax.plot([], [], marker="D", color=style.GREY, markeredgecolor=style.BLACK, linestyle="",
            label=t("rdv_cases_as_run", lang))
    ax.set_ylim(0, 1)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel(t("exp_axis_n_per_arm", lang))
    ax.set_ylabel(t("rdv_cases_axis_pcs", lang))
    ax.set_title(t("rdv_cases_title", lang, margin=_margin_text(margin)), loc="left", fontsize=style.FONT_SIZE)
    ax.legend(loc="lower right", fontsize=style.TINY_SIZE)
    return fig


# --- widget -----------------------------------------------------------------------------------------------------
# The old widget had six controls (number of doses, three rate sliders, margin, patients per arm); their site
# grids multiply to thousands of figures.  The rates are now one choice among the chapter's teaching cases, and
# the figure (the whole curve against patients per arm) depends on rates and margin only; patients per arm
# changes the text (the probability of each dose at that size), which costs no image.  5 rate sets x 5 margins
# = 25 figures and 5 x 5 x 6 = 150 texts per language.

def _rates_text(rates: Sequence[float]) -> str:
    return " / ".join(f"{_pct(r)}%" for r in rates)


def _rates_option(rates: tuple[float, ...], lang: str) -> str:
    trial = dict(RATE_CHOICES)[rates]
    text = _rates_text(rates)
    return text if trial is None else t("rdv_w_rates_case", lang, rates=text, trial=trial)


def _live_margin(margin: float) -> float:
    # The live slider holds binary floats; its two displayed decimals are what the reader set, so the tie
    # convention (a difference of exactly the margin keeps the lower dose) reads exactly.
    return round(float(margin), 2)


def _widget_summary(lang: str, rates: tuple[float, ...], margin: float, n_per_arm: int):
    from IPython.display import HTML

    margin = _live_margin(margin)
    n_per_arm = int(n_per_arm)
    right = expansion.correct_dose(rates, margin)
    probs = expansion.selection_probabilities(rates, n_per_arm, margin)
    items = t("rdv_w_sep", lang).join(t("rdv_w_prob_item", lang, dose=j, p=q) for j, q in enumerate(probs, 1))
    lines = [expansion.describe_rule(margin, lang=lang),
             t("rdv_w_summary", lang, dose=right, n=n_per_arm, pcs=probs[right - 1]),
             t("rdv_w_probs", lang, n=n_per_arm, items=items)]
    return HTML("<p>" + "<br>".join(html.escape(s) for s in lines) + "</p>")


def _widget_figure(lang: str, rates: tuple[float, ...], margin: float) -> Figure:
    return selection_figure(rates, WIDGET_N_GRID, _live_margin(margin), lang=lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    rates, margin = values["rates"], _live_margin(values["margin"])
    grid = tuple(WIDGET_N_GRID)
    probs = _curve(tuple(rates), grid, margin, None, None, None)
    right = expansion.correct_dose(rates, margin)
    at = {n: probs[grid.index(n), right - 1] for n in (10, 30, 100)}
    lines = t("rdv_w_sep", lang).join(
        t("rdv_w_alt_line", lang, dose=j + 1, p_lo=f"{probs[0, j]:.2f}", p_hi=f"{probs[-1, j]:.2f}")
        for j in range(len(rates)))
    return t("rdv_w_alt", lang, n_lo=grid[0], n_hi=grid[-1], rates=_rates_text(rates), margin=f"{margin:.2f}",
             dose=right, n_a=10, n_b=30, n_c=100, p_a=f"{at[10]:.2f}", p_b=f"{at[30]:.2f}",
             p_c=f"{at[100]:.2f}", lines=lines)


widget = LiveWidget(
    "randomized_expansion",
    controls=(
        Choice("rates", "rdv_w_rates", tuple(r for r, _ in RATE_CHOICES), value=DEFAULT_RATES,
               option_label=_rates_option),
        Slider("margin", "rdv_w_margin", 0.0, 0.30, 0.01, value=MARGIN, site=(0.0, 0.05, 0.10, 0.15, 0.20),
               fmt="{:.2f}"),
        Slider("n_per_arm", "rdv_w_n", 5, 150, 1, value=DEFAULT_N, site=(10, 20, 30, 40, 60, 100), fmt="{:.0f}"),
    ),
    parts=(Part(_widget_summary, ("rates", "margin", "n_per_arm")),
           Part(_widget_figure, ("rates", "margin"), alt=_widget_alt)),
    columns=3,
)
"""True response rates (:data:`RATE_CHOICES`), margin and patients per arm in; the rule in words with the
probability of correct selection at that arm size, and :func:`selection_figure` over 2-100 patients per arm,
out.  For other rates, call :func:`selection_figure` directly."""


# --- numbers of the prose -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _numbers() -> tuple[tuple[str, float | int | str], ...]:
    out: dict[str, float | int | str] = {}
    soto = cases.SOTORASIB
    out.update(rde_soto_n=soto.n, rde_soto_orr=100 * soto.orr, rde_soto_lo_mg=soto.escalation_dose_range_mg[0],
               rde_soto_hi_mg=soto.approved_dose_mg, rde_soto_cmp_mg=soto.comparison_dose_mg,
               rde_soto_orr_lo=100 * soto.escalation_orr_range[0], rde_soto_orr_hi=100 * soto.escalation_orr_range[1])

    # The generic example: 35% vs 50%, margin 0.10.
    for n in (20, 29, 30, 40):
        out[f"rde_gen_pcs{n}"] = expansion.probability_correct_selection(DEFAULT_RATES, n, MARGIN)
    out["rde_gen_n80"] = expansion.sample_size_for_selection(DEFAULT_RATES, MARGIN, 0.80).n
    out["rde_equal_lower"] = float(expansion.selection_probabilities([0.36, 0.36], 30, MARGIN)[0])

    le = cases.case("lenvatinib")
    out.update(rde_len_lo=100 * le.rates[0], rde_len_hi=100 * le.rates[1], rde_len_tox_lo=100 * le.safety_rates[0],
               rde_len_tox_hi=100 * le.safety_rates[1], rde_len_n1=le.n_per_arm[0], rde_len_n2=le.n_per_arm[1],
               rde_len_pcs_run=cases.pcs_as_run(le, MARGIN),
               rde_len_wrong30=float(cases.selection_curve(le, [30], MARGIN)[0][0]),
               rde_len_n80=cases.n_per_arm_needed(le, MARGIN, 0.80).n)

    dl = cases.case("trastuzumab_deruxtecan")
    out.update(rde_dl_n1=dl.n_per_arm[0], rde_dl_n2=dl.n_per_arm[1], rde_dl_lo=100 * dl.rates[0],
               rde_dl_hi=100 * dl.rates[1], rde_dl_ild_lo=100 * dl.safety_rates[0],
               rde_dl_ild_hi=100 * dl.safety_rates[1], rde_dl_pcs_run=cases.pcs_as_run(dl, MARGIN),
               rde_dl_pcs200=float(cases.selection_curve(dl, [200], MARGIN)[0][0]),
               rde_dl_guard_run=cases.pcs_as_run(dl, MARGIN, tox_margin=0.05))

    so, po = cases.case("sonidegib"), cases.case("ponatinib")
    out.update(rde_so_lo=100 * so.rates[0], rde_so_hi=100 * so.rates[1],
               rde_so_pcs20=float(cases.selection_curve(so, [20], MARGIN)[0][0]), rde_po_n=po.n_per_arm[0])
    for j, arm in enumerate(po.arms, start=1):
        out[f"rde_po_r{j}"] = 100 * arm.response_rate
        out[f"rde_po_aoe{j}"] = arm.safety_count
    out.update(rde_po_pcs_run=cases.pcs_as_run(po, MARGIN),
               rde_po_pcs30=float(cases.selection_curve(po, [30], MARGIN)[0][2]),
               rde_po_n80=cases.n_per_arm_needed(po, MARGIN, 0.80).n)

    # Exercise 1: Study 211 with a margin of 0.05; equal rates of 36% with margins 0.05 and 0.10.
    out.update(rde_ex1_n80=cases.n_per_arm_needed(le, 0.05, 0.80).n,
               rde_ex1_pcs30=float(cases.selection_curve(le, [30], 0.05)[0][1]),
               rde_ex1_equal05=float(expansion.selection_probabilities([0.36, 0.36], 30, 0.05)[1]),
               rde_ex1_equal10=float(expansion.selection_probabilities([0.36, 0.36], 30, MARGIN)[1]))
    # Exercise 2: DESTINY-Lung02 planned as 40 / 20 patients, response alone, ILD guards of 5 and 20 points.
    out.update(rde_ex2_plain=float(expansion.selection_probabilities(dl.rates, [40, 20], MARGIN)[0]))
    for name, guard in (("rde_ex2_guard", 0.05), ("rde_ex2_loose", 0.20)):
        out[name] = float(expansion.selection_probabilities(dl.rates, [40, 20], MARGIN, p_tox=dl.safety_rates,
                                                            tox_margin=guard)[0])
    return tuple(out.items())


def numbers() -> dict[str, float | int | str]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_randomized_expansion.py``).

    Counts (patients, doses, sample sizes) are ints, rates and probabilities floats; computed once per session.

    Examples
    --------
    >>> numbers()["rde_gen_n80"], round(numbers()["rde_len_pcs_run"], 3)
    (151, 0.815)
    """
    return dict(_numbers())
