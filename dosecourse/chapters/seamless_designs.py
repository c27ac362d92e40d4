"""Figures, tables, widget and numbers of the chapter "Seamless phase 2/3 designs" (``register/seamless-designs``).

The science is in :mod:`dosecourse.seamless` (the select-then-confirm design, the exact familywise type I error
of the naive pooled test, the valid tests, power and the selection bias of the naive estimate).  This module
holds the chapter's example and shows it, in the reader's language:

* :data:`EXAMPLE`, :data:`EXAMPLE_EFFECTS`: three doses and a control, interim at half the information,
  200 patients per arm in the end; the two upper doses are equally effective (a plateau);
* :func:`example_oc`, :func:`simes`: exact operating characteristics of the example (global null or the
  example effects) and the simulated Simes closed test (stated number of trials and seed);
* :func:`fwer_figure`: the exact type I error of the naive pooled test against the information fraction, for
  several numbers of doses;
* :func:`methods_table`: critical value, type I error and power of every test of the example;
* :data:`widget`: number of doses, interim information fraction and a futility rule in; type I error of the
  naive and the valid tests and the bias of the selected dose's naive estimate out (all exact);
* :func:`numbers`: every number the prose glues.

References
----------
Bauer P, Kieser M. Combining different phases in the development of medical treatments within a single trial.
Stat Med. 1999;18(14):1833-1848. doi:10.1002/(SICI)1097-0258(19990730)18:14<1833::AID-SIM221>3.0.CO;2-3
Bretz F, Schmidli H, König F, Racine A, Maurer W. Confirmatory seamless phase II/III clinical trials with
hypotheses selection at interim: general concepts. Biom J. 2006;48(4):623-634. doi:10.1002/bimj.200510232
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import special

from .. import _validate
from ..i18n import check_lang, t
from ..seamless import (
    EXACT_METHODS,
    METHODS,
    ExactOC,
    SeamlessDesign,
    SimulatedOC,
    exact_operating_characteristics,
    naive_fwer,
    selection_bias,
    simulate_operating_characteristics,
)
from . import style
from .widgets import LiveWidget, Part, Slider, Toggle

ALPHA = 0.025
"""One-sided significance level of every test in the chapter."""

EXAMPLE = SeamlessDesign(n_arms=3, info_fraction=0.5, n_per_arm=200, alpha=ALPHA)
"""The chapter's design: three doses and a control, 100 patients per arm in stage 1, 100 more on the selected
dose and on control in stage 2 (600 patients)."""

EXAMPLE_EFFECTS: tuple[float, ...] = (0.15, 0.30, 0.30)
"""Standardized true effects of the low, middle and high dose (invented): the two upper doses share a plateau."""

FUTILITY_Z = 0.0
"""Futility bound of the widget and the text: stop when even the best dose is not ahead of control at the interim."""

N_TRIALS = 200_000
"""Simulated trials of the Simes closed test (Monte Carlo SE at most 0.035 percentage points at 2.5%)."""

SEED = 20261203
"""Seed of the chapter's simulations."""

CURVE_ARMS: tuple[int, ...] = (1, 2, 3, 4, 6)
"""Numbers of doses drawn in :func:`fwer_figure`."""

WIDGET_FRACTIONS: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9)
"""Information fractions of the widget's site grid."""

_SHOWN = ("naive", "bonferroni", "dunnett", "exact_adjusted", "closed_dunnett", "closed_bonferroni")
_CURVE_T = np.concatenate([np.linspace(0.01, 0.95, 48), [0.97, 0.99]])
_COLOURS = {1: style.GREY_DARK, 2: style.SKY, 3: style.BLUE, 4: style.VERMILLION, 6: style.PURPLE}


# ------------------------------------------------------------------------------------------------ computations
@lru_cache(maxsize=256)
def _exact(n_arms: int, info_fraction: float, n_per_arm: int, effects: tuple[float, ...] | None,
           z_futility: float | None) -> ExactOC:
    return exact_operating_characteristics(SeamlessDesign(n_arms, info_fraction, n_per_arm, ALPHA, z_futility),
                                           effects, methods=EXACT_METHODS)


def example_oc(effects: Sequence[float] | None = None, z_futility: float | None = None) -> ExactOC:
    """Exact operating characteristics of :data:`EXAMPLE` (cached).

    Parameters
    ----------
    effects : sequence of float, optional
        True standardized effects of the three doses; the global null by default.
    z_futility : float, optional
        Futility bound on the best stage-1 z.

    Returns
    -------
    dosecourse.seamless.ExactOC

    Examples
    --------
    >>> round(float(example_oc().reject_any[0]), 4)  # the naive test
    0.052
    """
    eff = None if effects is None else tuple(float(e) for e in effects)
    zf = None if z_futility is None else float(z_futility)
    return _exact(EXAMPLE.n_arms, EXAMPLE.info_fraction, EXAMPLE.n_per_arm, eff, zf)


@lru_cache(maxsize=4)
def _simes(effects: tuple[float, ...] | None, n_trials: int, seed: int) -> SimulatedOC:
    return simulate_operating_characteristics(EXAMPLE, effects, methods=("closed_simes",), n_trials=n_trials,
                                              seed=seed)


def simes(effects: Sequence[float] | None = None, *, n_trials: int = N_TRIALS, seed: int = SEED) -> SimulatedOC:
    """The Simes closed test of :data:`EXAMPLE`, simulated (cached; its p-value needs every stage-1 statistic).

    Parameters
    ----------
    effects : sequence of float, optional
        True standardized effects; the global null by default.
    n_trials : int
        Simulated trials.
    seed : int
        Seed.

    Returns
    -------
    dosecourse.seamless.SimulatedOC
    """
    eff = None if effects is None else tuple(float(e) for e in effects)
    return _simes(eff, _validate.n_trials(n_trials), _validate.integer(seed, "seed", minimum=0))


def separate_phase3_power(effects: Sequence[float] = EXAMPLE_EFFECTS) -> float:
    """Power of the two-trial alternative with the same patients: the dose chosen from the phase 2 part of
    :data:`EXAMPLE` is tested in a separate phase 3 of :math:`(1-t)n` patients per arm that ignores phase 2.

    :math:`\\sum_s P(S = s)\\,\\Phi(\\delta_s\\sqrt{n_2/2} - z_{1-\\alpha})`, with the selection probabilities of
    :func:`example_oc` and the one-arm power from :func:`dosecourse.seamless.exact_operating_characteristics`.

    Parameters
    ----------
    effects : sequence of float
        Standardized true effect of each of the three doses of :data:`EXAMPLE` (default
        :data:`EXAMPLE_EFFECTS`).

    Returns
    -------
    float
        The power, in [0, 1].
    """
    sel = example_oc(effects).selected
    n2 = int(round(EXAMPLE.n_stage2))
    power = [float(exact_operating_characteristics(SeamlessDesign(1, 0.5, n2, ALPHA), [e],
                                                   methods=("naive",)).reject_any[0]) for e in effects]
    return float(np.dot(sel, power))


def fixed_design_power(effect: float = max(EXAMPLE_EFFECTS)) -> float:
    """Power of a two-arm trial of :data:`EXAMPLE`'s final size when the best dose is known in advance:
    :math:`\\Phi(\\delta\\sqrt{n/2} - z_{1-\\alpha})` (a one-arm design of the module, no selection).

    Parameters
    ----------
    effect : float
        Standardized true effect :math:`\\delta` of the known best dose (default the largest of
        :data:`EXAMPLE_EFFECTS`).

    Returns
    -------
    float
        The power, in [0, 1].
    """
    d = SeamlessDesign(1, EXAMPLE.info_fraction, EXAMPLE.n_per_arm, ALPHA)
    return float(exact_operating_characteristics(d, [effect], methods=("naive",)).reject_any[0])


@lru_cache(maxsize=1)
def _curves() -> dict[int, np.ndarray]:
    return {k: np.array([naive_fwer(k, float(tt), ALPHA) for tt in _CURVE_T]) for k in CURVE_ARMS}


def _bias_in_se(n_arms: int, info_fraction: float, z_futility: float | None) -> tuple[float, float]:
    """Global-null bias of the selected dose's stage-1 and pooled estimates, each in units of its own SE."""
    d = SeamlessDesign(n_arms, info_fraction, 100, ALPHA, z_futility)
    b = selection_bias(d)
    return b.overall_stage1 / math.sqrt(2.0 / d.n_stage1), b.overall_pooled / math.sqrt(2.0 / d.n_per_arm)


# ------------------------------------------------------------------------------------------------ figures
@style.course_figure
def fwer_figure(lang: str = "en") -> Figure:
    """Exact type I error of the naive pooled test against the interim information fraction, one curve per K.

    Each curve is :func:`dosecourse.seamless.naive_fwer` for K = 1, 2, 3, 4 and 6 doses at one-sided
    :data:`ALPHA`; a dashed line marks the nominal level and a dot the chapter's example (K = 3, t = 1/2).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = _curves()
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    ax.axhline(100 * ALPHA, color=style.GREY_DARK, lw=1.2, ls="--")
    ax.text(0.3, 100 * ALPHA - 0.15, t("sdc_fig_nominal", lang, alpha=f"{100 * ALPHA:g}"), va="top", ha="left",
            color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    for k in CURVE_ARMS:
        y = 100 * curves[k]
        ax.plot(_CURVE_T, y, color=_COLOURS[k], lw=2.0 if k == EXAMPLE.n_arms else 1.6,
                label=t("sdc_fig_k", lang, k=k))
        ax.text(_CURVE_T[-1] + 0.01, y[-1] + (0.25 if k == 1 else 0.0), f"K = {k}", va="center", ha="left",
                color=_COLOURS[k], fontsize=style.SMALL_SIZE)
    ex = 100 * naive_fwer(EXAMPLE.n_arms, EXAMPLE.info_fraction, ALPHA)
    ax.plot([EXAMPLE.info_fraction], [ex], "o", color=_COLOURS[EXAMPLE.n_arms], ms=7, zorder=5)
    ax.annotate(t("sdc_fig_example", lang, fwer=f"{ex:.2f}"), xy=(EXAMPLE.info_fraction, ex), xytext=(8, -16),
                textcoords="offset points", ha="left", color=_COLOURS[EXAMPLE.n_arms], fontsize=style.SMALL_SIZE)
    ax.set_xlim(0, 1.08)
    ax.set_ylim(0, 100 * max(c.max() for c in curves.values()) * 1.08)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel(t("sdc_fig_t_axis", lang))
    ax.set_ylabel(t("sdc_fig_fwer_axis", lang))
    ax.set_title(t("sdc_fig_title", lang), loc="left")
    return fig


@style.course_figure
def widget_figure(n_arms: int = EXAMPLE.n_arms, info_fraction: float = EXAMPLE.info_fraction,
                  futility: bool = False, lang: str = "en") -> Figure:
    """Type I error of the naive and of the valid tests (left) and the bias of the naive estimates (right).

    Everything is exact and under the global null: the left panel is ``reject_any`` of
    :func:`dosecourse.seamless.exact_operating_characteristics` for six tests, the right panel the bias of the
    selected dose's stage-1 and pooled estimates (:func:`dosecourse.seamless.selection_bias`), each in units of
    its own standard error (a ratio that does not depend on the sample size under the null).

    Parameters
    ----------
    n_arms : int
        Doses K compared with control at the interim.
    info_fraction : float
        Information fraction t of the interim.
    futility : bool
        Stop when the best stage-1 z is below :data:`FUTILITY_Z`.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    zf = FUTILITY_Z if futility else None
    oc = _exact(int(n_arms), float(info_fraction), 100, None, zf)
    b1, bp = _bias_in_se(int(n_arms), float(info_fraction), zf)
    fig, (ax, bx) = style.new_figure(ncols=2, figsize=(8.6, 3.9), width_ratios=(3, 1.6))
    fw = dict(zip(oc.methods, 100 * oc.reject_any))
    rows = list(reversed(_SHOWN))
    vals = [fw[m] for m in rows]
    colours = [style.VERMILLION if m == "naive" else style.BLUE for m in rows]
    ax.barh(range(len(rows)), vals, color=colours, height=0.65)
    ax.set_yticks(range(len(rows)), [t(f"sdc_short_{m}", lang) for m in rows])
    ax.axvline(100 * ALPHA, color=style.GREY_DARK, lw=1.2, ls="--")
    top = max(10.0, max(vals) * 1.25)
    for i, v in enumerate(vals):
        ax.text(max(v, 100 * ALPHA) + top * 0.012, i, f"{v:.2f}%", va="center", ha="left",
                fontsize=style.TINY_SIZE)
    ax.set_xlim(0, top)
    ax.set_xlabel(t("sdc_w_fwer_axis", lang))
    ax.grid(axis="y", visible=False)
    bars = [b1, bp]
    bx.bar([0, 1], bars, color=[style.ORANGE, style.GREEN], width=0.6)
    for i, v in enumerate(bars):
        bx.text(i, v, f"{v:+.2f}", ha="center", va="bottom", fontsize=style.TINY_SIZE)
    bx.set_xticks([0, 1], [t("sdc_w_bias_stage1", lang), t("sdc_w_bias_pooled", lang)])
    bx.set_ylim(0, 1.3)
    bx.set_ylabel(t("sdc_w_bias_axis", lang))
    bx.grid(axis="x", visible=False)
    rule = t("sdc_w_rule_futility", lang, z=f"{FUTILITY_Z:g}") if futility else t("sdc_w_rule_none", lang)
    fig.suptitle(t("sdc_w_title", lang, k=int(n_arms), t=f"{float(info_fraction):g}", rule=rule), x=0.01,
                 ha="left", fontsize=style.TITLE_SIZE)
    return fig


# ------------------------------------------------------------------------------------------------ tables
def methods_table(lang: str = "en") -> pd.DataFrame:
    """Every test of :data:`EXAMPLE`: critical value, type I error under the global null and power (both in %).

    All values are exact except the Simes closed test's, simulated (:data:`N_TRIALS` trials, seed :data:`SEED`;
    the frame's ``attrs`` record both).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers and method names.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    null, alt = example_oc(), example_oc(EXAMPLE_EFFECTS)
    s_null, s_alt = simes(), simes(EXAMPLE_EFFECTS)
    crit = list(null.critical_values) + [float(s_null.critical_values[0])]
    fwer = list(100 * null.reject_any) + [100 * float(s_null.reject_any[0])]
    power = list(100 * alt.reject_any) + [100 * float(s_alt.reject_any[0])]
    frame = pd.DataFrame({
        t("sdc_col_method", lang): [t(f"seam_method_{m}", lang) for m in METHODS],
        t("sdc_col_critical", lang): crit,
        t("sdc_col_fwer", lang): fwer,
        t("sdc_col_power", lang): power,
        t("sdc_col_how", lang): [t("sdc_how_exact", lang)] * len(EXACT_METHODS)
        + [t("sdc_how_sim", lang, n=f"{N_TRIALS:,}", seed=SEED)],
    })
    frame.attrs.update(n_trials=N_TRIALS, seed=SEED)
    return frame


# ------------------------------------------------------------------------------------------------ widget
def _widget_values(n_arms: int, info_fraction: float, futility: bool) -> dict[str, float]:
    zf = FUTILITY_Z if futility else None
    oc = _exact(int(n_arms), float(info_fraction), 100, None, zf)
    fw = dict(zip(oc.methods, 100 * oc.reject_any))
    b1, bp = _bias_in_se(int(n_arms), float(info_fraction), zf)
    return {**{m: fw[m] for m in _SHOWN}, "ratio": fw["naive"] / (100 * ALPHA), "b1": b1, "bp": bp,
            "stop": 100 * oc.futility_stop}


def _widget_text(lang: str, n_arms: int, info_fraction: float, futility: bool) -> str:
    v = _widget_values(n_arms, info_fraction, futility)
    f = {k: f"{x:.2f}" for k, x in v.items()}
    text = t("sdc_w_text", lang, k=int(n_arms), t=f"{float(info_fraction):g}", **f)
    if futility:
        text += "\n" + t("sdc_w_text_stop", lang, stop=f"{v['stop']:.1f}", z=f"{FUTILITY_Z:g}")
    return text


def _widget_plot(lang: str, n_arms: int, info_fraction: float, futility: bool) -> Figure:
    return widget_figure(n_arms, info_fraction, futility, lang)


def _widget_alt(lang: str, values: dict) -> str:
    v = _widget_values(values["n_arms"], values["info_fraction"], values["futility"])
    rule = (t("sdc_w_rule_futility", lang, z=f"{FUTILITY_Z:g}") if values["futility"]
            else t("sdc_w_rule_none", lang))
    return t("sdc_w_alt", lang, k=int(values["n_arms"]), t=f"{float(values['info_fraction']):g}", rule=rule,
             **{k: f"{x:.2f}" for k, x in v.items()})


widget = LiveWidget(
    "seamless_designs",
    controls=(
        Slider("n_arms", "sdc_w_k", 1, 6, 1, value=EXAMPLE.n_arms, site=(1, 2, 3, 4, 5, 6)),
        Slider("info_fraction", "sdc_w_t", 0.05, 0.95, 0.05, value=EXAMPLE.info_fraction, site=WIDGET_FRACTIONS,
               fmt="{:.2f}"),
        Toggle("futility", "sdc_w_futility", value=False),
    ),
    parts=(Part(_widget_text, ("n_arms", "info_fraction", "futility")),
           Part(_widget_plot, ("n_arms", "info_fraction", "futility"), alt=_widget_alt)),
    columns=3,
)
""":func:`widget_figure` and a summary line from the number of doses K (1 to 6), the information fraction t
(0.1, 0.25, 0.5, 0.75, 0.9 on the site) and a futility rule (best stage-1 z below 0 stops), all exact under the
global null: 6 x 5 x 2 = 60 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_seamless_designs.py``).

    Type I errors and powers are in per cent, effects and biases in standard deviations (SD) of the endpoint.

    Examples
    --------
    >>> round(numbers()["sdc_naive_k2_t50"], 2)
    4.05
    """
    d = EXAMPLE
    k, tt = d.n_arms, d.info_fraction
    null, alt = example_oc(), example_oc(EXAMPLE_EFFECTS)
    fut = example_oc(z_futility=FUTILITY_Z)
    fw = dict(zip(null.methods, 100 * null.reject_any))
    pw = dict(zip(alt.methods, 100 * alt.reject_any))
    crit = dict(zip(null.methods, null.critical_values))
    s_null, s_alt = simes(), simes(EXAMPLE_EFFECTS)
    b_null, b_alt = selection_bias(d), selection_bias(d, EXAMPLE_EFFECTS)
    b_fut = selection_bias(SeamlessDesign(k, tt, d.n_per_arm, ALPHA, FUTILITY_Z))
    naive = {(kk, tf): 100 * naive_fwer(kk, tf, ALPHA) for kk in (1, 2, 3, 4, 6) for tf in (0.25, 0.5, 0.75, 0.9)}
    b1_se, bp_se = _bias_in_se(k, tt, None)
    out: dict[str, float | int] = {
        "sdc_alpha": 100 * ALPHA, "sdc_z": float(special.ndtri(1 - ALPHA)),
        "sdc_k": k, "sdc_t": tt, "sdc_n": d.n_per_arm, "sdc_n1": d.n_stage1, "sdc_n2": d.n_stage2,
        "sdc_total": (k + 1) * d.n_stage1 + 2 * d.n_stage2, "sdc_rho": 1 - tt / 2,
        "sdc_eff_low": EXAMPLE_EFFECTS[0], "sdc_eff_mid": EXAMPLE_EFFECTS[1], "sdc_eff_high": EXAMPLE_EFFECTS[2],
        "sdc_naive_k1": naive[(1, 0.5)],
        "sdc_naive_k2_t50": naive[(2, 0.5)], "sdc_naive_k3_t50": naive[(3, 0.5)],
        "sdc_naive_k4_t50": naive[(4, 0.5)], "sdc_naive_k6_t50": naive[(6, 0.5)],
        "sdc_naive_k3_t25": naive[(3, 0.25)], "sdc_naive_k3_t75": naive[(3, 0.75)],
        "sdc_naive_k6_t90": naive[(6, 0.9)], "sdc_ratio_k6_t90": naive[(6, 0.9)] / (100 * ALPHA),
        "sdc_ratio_k4_t50": naive[(4, 0.5)] / (100 * ALPHA),
        "sdc_crit_naive": crit["naive"], "sdc_crit_bonferroni": crit["bonferroni"],
        "sdc_crit_dunnett": crit["dunnett"], "sdc_crit_exact": crit["exact_adjusted"],
        "sdc_fwer_naive": fw["naive"], "sdc_fwer_bonferroni": fw["bonferroni"], "sdc_fwer_dunnett": fw["dunnett"],
        "sdc_fwer_exact": fw["exact_adjusted"], "sdc_fwer_closed_dunnett": fw["closed_dunnett"],
        "sdc_fwer_closed_bonferroni": fw["closed_bonferroni"],
        "sdc_fwer_simes": 100 * float(s_null.reject_any[0]), "sdc_fwer_simes_se": 100 * float(s_null.reject_any_se[0]),
        "sdc_trials": N_TRIALS, "sdc_seed": SEED,
        "sdc_fwer_naive_fut": 100 * float(fut.reject_any[0]), "sdc_stop_null": 100 * fut.futility_stop,
        "sdc_power_naive": pw["naive"], "sdc_power_bonferroni": pw["bonferroni"], "sdc_power_dunnett": pw["dunnett"],
        "sdc_power_exact": pw["exact_adjusted"], "sdc_power_closed_dunnett": pw["closed_dunnett"],
        "sdc_power_closed_bonferroni": pw["closed_bonferroni"], "sdc_power_simes": 100 * float(s_alt.reject_any[0]),
        "sdc_power_separate": 100 * separate_phase3_power(), "sdc_power_fixed": 100 * fixed_design_power(),
        "sdc_power_gain": pw["closed_dunnett"] - 100 * separate_phase3_power(),
        "sdc_power_loss": 100 * fixed_design_power() - pw["closed_dunnett"],
        "sdc_sel_low": 100 * alt.selected[0], "sdc_sel_mid": 100 * alt.selected[1],
        "sdc_sel_high": 100 * alt.selected[2],
        "sdc_bias1_null": b_null.overall_stage1, "sdc_biasp_null": b_null.overall_pooled,
        "sdc_bias1_null_se": b1_se, "sdc_biasp_null_se": bp_se,
        "sdc_bias1_fut": b_fut.overall_stage1,
        "sdc_bias1_alt": b_alt.overall_stage1, "sdc_biasp_alt": b_alt.overall_pooled,
        "sdc_biasp_alt_pct": 100 * b_alt.overall_pooled / EXAMPLE_EFFECTS[2],
        "sdc_bias1_low": b_alt.bias_stage1[0], "sdc_bias1_high": b_alt.bias_stage1[2],
        "sdc_bias2_k2": selection_bias(SeamlessDesign(2, tt, d.n_per_arm, ALPHA)).overall_stage1,
        # exercise 1: K = 4 doses, interim at 30% of the information
        "sdc_ex1_fwer": 100 * naive_fwer(4, 0.3, ALPHA),
        "sdc_ex1_crit_exact": float(exact_operating_characteristics(
            SeamlessDesign(4, 0.3, 100, ALPHA), methods=("exact_adjusted",)).critical_values[0]),
        "sdc_ex1_crit_bonferroni": float(special.ndtri(1 - ALPHA / 4)),
        "sdc_ex1_rho": 1 - 0.3 / 2,
    }
    return out
