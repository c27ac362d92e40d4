"""Examples, figures and a widget for the chapter "The clinical utility index".

The calculations live in :mod:`dosecourse.utility` (desirabilities, the CUI, the probability each dose is best,
weight breakpoints, BOIN12 as a CUI); this module holds the chapter's example and shows it, in the reader's
language:

* :data:`DOSES_MG`, :data:`CURVES`, :data:`EXAMPLE_DATA`, :data:`BASE_WEIGHTS` and :func:`base_desirabilities`:
  the chapter's five-dose example (invented for teaching);
* :func:`curves_figure`: response and DLT probability curves with the doses marked;
* :func:`desirability_figure`: linear, step and Derringer-Suich desirability functions of both attributes;
* :func:`data_table`: patients, responses and DLTs per dose, with the observed rates;
* :func:`weight_figure`: the CUI of every dose as a line in the weight of efficacy, with the exact weights at
  which the chosen dose changes (:func:`dosecourse.utility.weight_breakpoints`);
* :func:`scenario_figure` and :func:`widget`: weights and curve parameters in; the CUI per dose and the
  probability each dose is best after ``n`` patients per dose out (drawn with
  :func:`dosecourse.utility.cui_figure`).

Every user-facing string comes from ``labels/cui_views.toml`` (and ``labels/utility.toml``) through
:func:`dosecourse.i18n.t`.

References
----------
Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
2010;9(2):289-300. doi:10.1517/14740330903499265
Derringer G, Suich R. Simultaneous optimization of several response variables. J Qual Technol.
1980;12(4):214-219. doi:10.1080/00224065.1980.11980968
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator

from . import utility as u
from .i18n import check_lang, t
from .pd import sigmoid_emax
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

DOSES_MG: tuple[int, ...] = (25, 50, 100, 200, 400)
"""The five doses (mg) of the chapter's example."""

BASE_WEIGHTS: Mapping[str, float] = {"efficacy": 0.6, "toxicity": 0.4}
"""Base-case weights of the chapter's example (they sum to 1)."""

EXAMPLE_DATA: Mapping[str, tuple[int, ...]] = {
    "n": (3, 6, 15, 15, 6),
    "responses": (0, 2, 6, 8, 3),
    "dlts": (0, 0, 1, 4, 3),
}
"""Invented trial data for teaching: patients, responders and patients with a DLT at each of :data:`DOSES_MG`
(escalation cohorts at 25, 50 and 400 mg, expansion cohorts of 15 at 100 and 200 mg)."""


@dataclass(frozen=True)
class CurveScenario:
    """Assumed dose-response curves: sigmoid Emax for response, logistic in log dose for DLT.

    Attributes
    ----------
    emax : float
        Highest response probability (0 < emax <= 1).
    ed50 : float
        Dose (mg) with half the highest response probability.
    hill : float
        Steepness of the response curve.
    td50 : float
        Dose (mg) with a DLT probability of 0.5.
    tox_slope : float
        Slope of the DLT curve on the log-dose scale.
    """

    emax: float
    ed50: float
    hill: float
    td50: float
    tox_slope: float

    def p_efficacy(self, doses: Sequence[float] = DOSES_MG) -> np.ndarray:
        """Response probability at ``doses`` (:func:`dosecourse.pd.sigmoid_emax`)."""
        return np.asarray(sigmoid_emax(np.asarray(doses, dtype=float), self.emax, self.ed50, self.hill), float)

    def p_toxicity(self, doses: Sequence[float] = DOSES_MG) -> np.ndarray:
        """DLT probability at ``doses`` (:func:`dosecourse.utility.logistic_toxicity`)."""
        return np.asarray(u.logistic_toxicity(np.asarray(doses, dtype=float), self.td50, self.tox_slope), float)


CURVES = CurveScenario(emax=0.6, ed50=50.0, hill=1.5, td50=300.0, tox_slope=2.5)
"""The chapter's assumed curves: response plateau 60%, ED50 50 mg; DLT probability 50% at 300 mg."""


def base_desirabilities() -> dict[str, u.Desirability]:
    """The chapter's desirability functions, anchored with clinicians.

    Response rate: 0 at 10% or less (no better than the standard of care), 1 at 50% or more.
    DLT rate: 1 at 5% or less, 0 at 40% or more.

    Examples
    --------
    >>> d = base_desirabilities()
    >>> round(float(d["efficacy"](0.30)), 12), round(float(d["toxicity"](0.225)), 12)
    (0.5, 0.5)
    """
    return {"efficacy": u.linear_desirability(worst=0.10, best=0.50),
            "toxicity": u.linear_desirability(worst=0.40, best=0.05)}


def observed_rates(data: Mapping[str, Sequence[int]] = EXAMPLE_DATA) -> dict[str, np.ndarray]:
    """Observed response and DLT rates per dose, ``{"efficacy": x/n, "toxicity": y/n}``.

    Examples
    --------
    >>> observed_rates()["toxicity"].round(3).tolist()
    [0.0, 0.0, 0.067, 0.267, 0.5]
    """
    n = np.asarray(data["n"], dtype=float)
    if np.any(n <= 0):
        raise ValueError(f"every dose needs at least one patient; got n={list(data['n'])}")
    return {"efficacy": np.asarray(data["responses"]) / n, "toxicity": np.asarray(data["dlts"]) / n}


def _dose_axis(ax, doses: Sequence[float]) -> None:
    """A log dose axis ticked at the doses."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(list(doses)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{d:g}" for d in doses])


def curves_figure(scenario: CurveScenario = CURVES, doses: Sequence[float] = DOSES_MG, *,
                  lang: str = "en") -> Figure:
    """Response and DLT probability against dose (log scale), with the doses of the example marked.

    Parameters
    ----------
    scenario : CurveScenario, default :data:`CURVES`
        Assumed curves.
    doses : sequence of float, default :data:`DOSES_MG`
        Doses to mark (mg).
    lang : {"en", "zh-tw"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = curves_figure(lang="zh-tw")
    >>> len(fig.axes[0].lines)     # a curve and the dose markers for each attribute
    4
    """
    lang = check_lang(lang)
    fig, ax = new_figure(lang, figsize=(7.0, 3.8))
    d = np.asarray(doses, dtype=float)
    grid = np.geomspace(d.min() / 1.5, d.max() * 1.5, 200)
    for p, colour, key, marker in ((scenario.p_efficacy, OKABE_ITO[0], "cuiv_p_efficacy", "o"),
                                   (scenario.p_toxicity, OKABE_ITO[1], "cuiv_p_toxicity", "s")):
        ax.plot(grid, p(grid), color=colour, lw=2, marker=marker, markevery=[], label=t(key, lang))
        ax.plot(d, p(d), marker, color=colour, ms=7)
        for x, y in zip(d, p(d)):
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center",
                        fontsize=8.5, color=colour)
    _dose_axis(ax, d)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("cuiv_xlabel_dose", lang))
    ax.set_ylabel(t("cuiv_probability", lang))
    ax.set_title(t("cuiv_curves_title", lang), loc="left")
    ax.legend(loc="upper left")
    return fig


def desirability_figure(*, lang: str = "en") -> Figure:
    """Desirability functions of the response rate and of the DLT rate: linear, step and Derringer-Suich.

    The linear ramps are those of :func:`base_desirabilities`; the step puts the threshold in the middle of
    the ramp, and the Derringer-Suich curves raise the ramp to a power (2 for response: demanding; 0.5 for
    DLT: lenient).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(desirability_figure(lang="en").axes)
    2
    """
    lang = check_lang(lang)
    fig, axes = new_figure(lang, ncols=2, figsize=(8.0, 3.5), sharey=True)
    x = np.linspace(0, 0.7, 351)
    specs = (
        ("cuiv_attr_response", (u.linear_desirability(0.10, 0.50), u.step_desirability(0.30),
                                u.derringer_desirability(0.10, 0.50, 2.0)), 2.0),
        ("cuiv_attr_dlt", (u.linear_desirability(0.40, 0.05), u.step_desirability(0.225, higher_is_better=False),
                           u.derringer_desirability(0.40, 0.05, 0.5)), 0.5),
    )
    for ax, (key, (lin, step, der), s) in zip(axes, specs):
        ax.plot(x, lin(x), color=OKABE_ITO[0], lw=2.2, label=t("cuiv_linear", lang))
        ax.plot(x, step(x), color=OKABE_ITO[3], lw=1.8, ls="--", label=t("cuiv_step", lang))
        ax.plot(x, der(x), color=OKABE_ITO[5], lw=1.8, ls=":", label=t("cuiv_derringer", lang, s=f"{s:g}"))
        ax.set_xlabel(t(key, lang))
        ax.set_xlim(0, 0.7)
        ax.set_ylim(-0.03, 1.05)
        ax.legend(loc="lower right" if key == "cuiv_attr_response" else "upper right", fontsize=9)
    axes[0].set_ylabel(t("cuiv_desirability", lang))
    axes[0].set_title(t("cuiv_desir_title_eff", lang), loc="left")
    axes[1].set_title(t("cuiv_desir_title_tox", lang), loc="left")
    return fig


def data_table(data: Mapping[str, Sequence[int]] = EXAMPLE_DATA, doses: Sequence[float] = DOSES_MG, *,
               lang: str = "en") -> pd.DataFrame:
    """Patients, responders and DLTs per dose with the observed rates.

    Parameters
    ----------
    data : mapping, default :data:`EXAMPLE_DATA`
        ``{"n": ..., "responses": ..., "dlts": ...}``, one count per dose.
    doses : sequence, default :data:`DOSES_MG`
        Dose labels (mg).
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> data_table(lang="en").iloc[2].tolist()
    [100.0, 15.0, 6.0, 1.0, 0.4, 0.06666666666666667]
    """
    lang = check_lang(lang)
    rates = observed_rates(data)
    return pd.DataFrame({
        t("cuiv_col_dose_mg", lang): list(doses),
        t("cuiv_col_n", lang): list(data["n"]),
        t("cuiv_col_responses", lang): list(data["responses"]),
        t("cuiv_col_dlts", lang): list(data["dlts"]),
        t("cuiv_col_resp_rate", lang): rates["efficacy"],
        t("cuiv_col_dlt_rate", lang): rates["toxicity"],
    })


def weight_figure(attributes: Mapping[str, Sequence[float]], desirabilities: Mapping[str, u.Desirability], *,
                  doses: Sequence[float] = DOSES_MG, reference: float | None = None,
                  lang: str = "en") -> Figure:
    """CUI of every dose as a line in the weight w of the first attribute, with the exact flip points.

    With weights (w, 1 - w) the CUI of dose j is d_2j + w (d_1j - d_2j), a straight line; the chosen dose
    follows the upper envelope, and changes at the breakpoints of
    :func:`dosecourse.utility.weight_breakpoints`, drawn as dotted vertical lines.

    Parameters
    ----------
    attributes : mapping of two str to array_like
        The two attributes per dose, e.g. ``{"efficacy": p_E, "toxicity": p_T}``.
    desirabilities : mapping
        Desirability function of each attribute.
    doses : sequence, default :data:`DOSES_MG`
        Dose labels (mg).
    reference : float, optional
        Base-case weight of the first attribute, drawn as a dashed line.
    lang : {"en", "zh-tw"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If there are not exactly two attributes or ``reference`` is outside [0, 1].

    Examples
    --------
    >>> fig = weight_figure(observed_rates(), base_desirabilities(), reference=0.6)
    >>> len(fig.axes[0].lines) >= 5
    True
    """
    lang = check_lang(lang)
    wb = u.weight_breakpoints(attributes, desirabilities, doses=doses)
    keys = wb.attributes
    res = u.cui(attributes, {keys[0]: 0.5, keys[1]: 0.5}, desirabilities, doses=doses)
    d1, d2 = res.desirability
    w = np.linspace(0, 1, 201)
    fig, ax = new_figure(lang, figsize=(7.2, 4.2))
    for j, dose in enumerate(res.doses.tolist()):
        ax.plot(w, d2[j] + w * (d1[j] - d2[j]), color=OKABE_ITO[j % 7], lw=1.6,
                label=t("cuiv_dose_mg", lang, dose=f"{dose:g}"))
    env = np.max(d2[None, :] + w[:, None] * (d1 - d2)[None, :], axis=1)
    ax.plot(w, env, color=OKABE_ITO[7], lw=4, alpha=0.18, label=t("utility_best_marker", lang))
    for i, b in enumerate(wb.breakpoints):
        ax.axvline(b, color="0.35", ls=":", lw=1.3, label=t("cuiv_flip", lang) if i == 0 else None)
        ax.text(b, 1.02, f"{b:.3f}", transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=9,
                color="0.25")
    for lo, hi, dose in wb.intervals:
        ax.text((lo + hi) / 2, 0.03, t("cuiv_dose_mg", lang, dose=f"{dose:g}"), ha="center", va="bottom",
                fontsize=9, color="0.25", transform=ax.get_xaxis_transform())
    if reference is not None:
        ref = float(reference)
        if not 0.0 <= ref <= 1.0:
            raise ValueError(f"reference must lie in [0, 1]; got {reference!r}")
        ax.axvline(ref, color=OKABE_ITO[5], ls="--", lw=1.6, label=t("cuiv_base_case", lang, w=f"{ref:g}"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel(t("cuiv_weight_xlabel", lang))
    ax.set_ylabel(t("utility_cui", lang))
    ax.set_title(t("cuiv_weight_title", lang), loc="left", pad=18)
    fig.legend(loc="outside right center", fontsize=9)
    return fig


def expected_counts(p: Sequence[float], n_per_dose: int) -> np.ndarray:
    """Counts a trial with ``n_per_dose`` patients per dose would observe at its expected rates (halves round up).

    Examples
    --------
    >>> expected_counts([0.16, 0.44, 0.58], 10).tolist()
    [2, 4, 6]
    """
    n = int(n_per_dose)
    if n < 1:
        raise ValueError(f"n_per_dose must be a positive whole number; got {n_per_dose!r}")
    return np.floor(n * np.asarray(p, dtype=float) + 0.5).astype(int)


@dataclass(frozen=True)
class Scenario:
    """The CUI of the curves and the probability each dose is best after ``n_per_dose`` patients per dose."""

    result: u.CUIResult
    prob_best: u.ProbabilityBest
    n_per_dose: int
    responses: np.ndarray
    dlts: np.ndarray


def scenario(curves: CurveScenario = CURVES, *, w_efficacy: float = BASE_WEIGHTS["efficacy"],
             n_per_dose: int = 15, doses: Sequence[float] = DOSES_MG, n_draws: int = 4000,
             seed: int = 2025) -> Scenario:
    """CUI per dose from the curves, and how sure a trial with ``n_per_dose`` per dose would be of the best.

    The CUI uses the true curve values and :func:`base_desirabilities`.  The probability each dose is best
    comes from :func:`dosecourse.utility.probability_best` applied to the counts a trial of ``n_per_dose``
    patients per dose would observe if every count came out at its expected value (:func:`expected_counts`):
    a typical trial, not a simulation of many.

    Parameters
    ----------
    curves : CurveScenario, default :data:`CURVES`
    w_efficacy : float, default 0.6
        Weight of efficacy; toxicity gets ``1 - w_efficacy``.
    n_per_dose : int, default 15
    doses : sequence, default :data:`DOSES_MG`
    n_draws : int, default 4000
        Posterior draws.
    seed : int, default 2025

    Returns
    -------
    Scenario

    Examples
    --------
    >>> sc = scenario()
    >>> sc.result.best.dose, sc.responses.tolist(), sc.dlts.tolist()
    (100, [2, 5, 7, 8, 9], [0, 0, 1, 4, 10])
    """
    w = float(w_efficacy)
    if not 0.0 <= w <= 1.0:
        raise ValueError(f"w_efficacy must lie in [0, 1]; got {w_efficacy!r}")
    weights = {"efficacy": w, "toxicity": 1.0 - w}
    p_e, p_t = curves.p_efficacy(doses), curves.p_toxicity(doses)
    desirs = base_desirabilities()
    result = u.cui({"efficacy": p_e, "toxicity": p_t}, weights, desirs, doses=doses)
    x, y = expected_counts(p_e, n_per_dose), expected_counts(p_t, n_per_dose)
    n = np.full(len(doses), int(n_per_dose))
    pb = u.probability_best(n, x, y, weights, desirs, n_draws=n_draws, seed=seed, doses=doses)
    return Scenario(result, pb, int(n_per_dose), x, y)


def scenario_figure(curves: CurveScenario = CURVES, *, w_efficacy: float = BASE_WEIGHTS["efficacy"],
                    n_per_dose: int = 15, n_draws: int = 4000, seed: int = 2025, lang: str = "en") -> Figure:
    """The widget's default state: :func:`dosecourse.utility.cui_figure` of :func:`scenario`.

    Left panel: the CUI of each dose from the curves, weighted desirabilities stacked.  Right panel: the
    probability each dose is best after ``n_per_dose`` patients per dose.

    Examples
    --------
    >>> len(scenario_figure(lang="zh-tw").axes)
    2
    """
    sc = scenario(curves, w_efficacy=w_efficacy, n_per_dose=n_per_dose, n_draws=n_draws, seed=seed)
    return _widen(u.cui_figure(sc.result, sc.prob_best, lang=check_lang(lang)))


def _widen(fig: Figure) -> Figure:
    """Give the two panels of :func:`dosecourse.utility.cui_figure` room for their titles."""
    fig.set_size_inches(10.5, 4.4)
    for ax in fig.axes:
        ax.title.set_fontsize(10.5)
    return fig


def probability_best_figure(result: u.CUIResult, prob_best: u.ProbabilityBest, *, lang: str = "en") -> Figure:
    """:func:`dosecourse.utility.cui_figure` with its probability panel, sized for a page in either language.

    Examples
    --------
    >>> d = EXAMPLE_DATA
    >>> pb = u.probability_best(d["n"], d["responses"], d["dlts"], BASE_WEIGHTS, base_desirabilities(),
    ...                         n_draws=1000, seed=1, doses=DOSES_MG)
    >>> res = u.cui(observed_rates(), BASE_WEIGHTS, base_desirabilities(), doses=DOSES_MG)
    >>> probability_best_figure(res, pb, lang="zh-tw").get_size_inches().tolist()
    [10.5, 4.4]
    """
    return _widen(u.cui_figure(result, prob_best, lang=check_lang(lang)))


def summary_text(sc: Scenario, lang: str = "en") -> str:
    """One sentence on a :class:`Scenario`: the best dose by CUI and the dose most likely best after the trial.

    Examples
    --------
    >>> print(summary_text(scenario(), "en"))
    Highest CUI on the curves: 100 mg (CUI 0.90). After 15 patients per dose, the dose most likely to be best is 100 mg (probability 0.58).
    """
    lang = check_lang(lang)
    best = sc.result.best.dose
    j = int(np.flatnonzero(sc.result.doses == best)[0])
    k = int(np.argmax(sc.prob_best.probability))
    return t("cuiv_summary", lang, dose=f"{best:g}", cui=f"{sc.result.values[j]:.2f}", n=sc.n_per_dose,
             best=f"{sc.prob_best.most_likely:g}", p=f"{sc.prob_best.probability[k]:.2f}")


def widget(lang: str = "en", *, curves: CurveScenario = CURVES, w_efficacy: float = BASE_WEIGHTS["efficacy"],
           n_per_dose: int = 15):
    """Weights and curve parameters in; the CUI per dose and the probability each dose is best out.

    Sliders set the weight of efficacy, the response curve (highest response rate, ED50, Hill coefficient),
    the DLT curve (TD50, slope) and the patients per dose; each change redraws :func:`scenario_figure` and
    states the result in a sentence.  Python callbacks need a live kernel: in the static book the controls
    move but the output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    curves : CurveScenario, default :data:`CURVES`
        Starting curves.
    w_efficacy : float, default 0.6
        Starting weight of efficacy.
    n_per_dose : int, default 15
        Starting patients per dose.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w

    lang = check_lang(lang)
    style = {"description_width": "12em"}
    layout = w.Layout(width="27em")

    def slider(cls, value, lo, hi, step, key, fmt):
        return cls(value=min(max(value, lo), hi), min=lo, max=hi, step=step, readout_format=fmt,
                   description=t(key, lang), continuous_update=False, style=style, layout=layout)

    weight = slider(w.FloatSlider, w_efficacy, 0.0, 1.0, 0.05, "cuiv_w_weight", ".2f")
    emax = slider(w.FloatSlider, curves.emax, 0.1, 1.0, 0.05, "cuiv_w_emax", ".2f")
    ed50 = slider(w.FloatSlider, curves.ed50, 10.0, 400.0, 5.0, "cuiv_w_ed50", ".0f")
    hill = slider(w.FloatSlider, curves.hill, 0.5, 4.0, 0.1, "cuiv_w_hill", ".1f")
    td50 = slider(w.FloatSlider, curves.td50, 50.0, 1000.0, 10.0, "cuiv_w_td50", ".0f")
    slope = slider(w.FloatSlider, curves.tox_slope, 0.5, 6.0, 0.1, "cuiv_w_slope", ".1f")
    n = slider(w.IntSlider, n_per_dose, 3, 60, 3, "cuiv_w_n", "d")
    text = w.HTML()

    def render() -> Figure:
        cs = CurveScenario(emax.value, ed50.value, hill.value, td50.value, slope.value)
        sc = scenario(cs, w_efficacy=weight.value, n_per_dose=n.value)
        text.value = html.escape(summary_text(sc, lang))
        return _widen(u.cui_figure(sc.result, sc.prob_best, lang=lang))

    out = live_output((weight, n, emax, ed50, hill, td50, slope), render)
    return w.VBox([w.HBox([w.VBox([weight, emax, ed50, hill]), w.VBox([n, td50, slope])]), text, out])
