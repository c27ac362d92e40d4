"""Figures, tables, widget and numbers of the chapter "The clinical utility index" (``explore/clinical-utility-index``).

The calculations live in :mod:`dosecourse.utility` (desirabilities, the CUI, the probability each dose is best,
weight breakpoints, BOIN12 as a CUI) and :mod:`dosecourse.stats` (expected counts); this module holds the
chapter's example and shows it, in the reader's language:

* :data:`DOSES_MG`, :data:`CURVES`, :data:`EXAMPLE_DATA`, :data:`BASE_WEIGHTS`, :func:`base_desirabilities` and
  :func:`observed_rates`: the chapter's five-dose example (invented for teaching);
* :func:`curves_figure`, :func:`desirability_figure`, :func:`data_table`, :func:`cui_figure`,
  :func:`weight_figure`: its figures and tables;
* :func:`scenario`, :func:`summary_text` and :data:`widget`: the weight of efficacy, the highest response rate and
  the patients per dose in; the CUI per dose and the probability each dose is best out;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_clinical_utility_index.py``).

Every user-facing string comes from ``labels/chapters/clinical_utility_index.toml`` (and
``labels/utility.toml``).

References
----------
Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
2010;9(2):289-300. doi:10.1517/14740330903499265
Derringer G, Suich R. Simultaneous optimization of several response variables. J Qual Technol.
1980;12(4):214-219. doi:10.1080/00224065.1980.11980968
Lin R, Zhou Y, Yan F, Li D, Yuan Y. BOIN12: Bayesian optimal interval phase I/II trial design for
utility-based dose finding in immunotherapy and targeted therapies. JCO Precis Oncol. 2020;4:1393-1402.
doi:10.1200/PO.20.00257
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator

from .. import _validate, stats
from .. import expansion_cases as cases
from .. import utility as u
from ..i18n import check_lang, t
from ..pd import sigmoid_emax
from . import style
from .widgets import LiveWidget, Part, Slider

DOSES_MG: tuple[int, ...] = (25, 50, 100, 200, 400)
"""The five doses (mg) of the chapter's example."""

BASE_WEIGHTS: Mapping[str, float] = MappingProxyType({"efficacy": 0.6, "toxicity": 0.4})
"""Base-case weights of the chapter's example (they sum to 1)."""

EXAMPLE_DATA: Mapping[str, tuple[int, ...]] = MappingProxyType({
    "n": (3, 6, 15, 15, 6),
    "responses": (0, 2, 6, 8, 3),
    "dlts": (0, 0, 1, 4, 3),
})
"""Invented trial data for teaching: patients, responders and patients with a DLT at each of :data:`DOSES_MG`
(escalation cohorts at 25, 50 and 400 mg, expansion cohorts of 15 at 100 and 200 mg)."""

N_DRAWS = 10_000
"""Posterior draws of the probability each dose is best, on the observed data."""

WIDGET_DRAWS = 4_000
"""Posterior draws of the probability each dose is best, in the widget."""

SEED = _validate.DEFAULT_SEED
"""Seed of every posterior draw of the chapter."""


def _doses(doses: Sequence[float]) -> np.ndarray:
    """The doses (mg) of a trial: positive and increasing, at most MAX_DOSES."""
    return _validate.real_array(doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                increasing=True, max_size=_validate.MAX_DOSES)


def _grid(doses: Sequence[float]) -> np.ndarray:
    """Doses (mg) at which to evaluate a curve: >= 0, at most MAX_GRID values."""
    return _validate.real_array(doses, "doses", minimum=0.0, max_size=_validate.MAX_GRID)


@dataclasses.dataclass(frozen=True)
class CurveScenario:
    """Assumed dose-response curves: sigmoid Emax for response, logistic in log dose for DLT.

    Parameters
    ----------
    emax : float
        Highest response probability, in (0, 1].
    ed50 : float
        Dose (mg) with half the highest response probability (> 0).
    hill : float
        Steepness of the response curve (> 0).
    td50 : float
        Dose (mg) with a DLT probability of 0.5 (> 0).
    tox_slope : float
        Slope of the DLT curve on the log-dose scale (> 0).

    Raises
    ------
    ValueError, TypeError
        On an invalid parameter; the message names it.

    Examples
    --------
    >>> CURVES.p_efficacy().round(3).tolist()
    [0.157, 0.3, 0.443, 0.533, 0.575]
    """

    emax: float
    ed50: float
    hill: float
    td50: float
    tox_slope: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "emax", _validate.number(self.emax, "emax", minimum=0.0, strict_minimum=True,
                                                          maximum=1.0))
        for name in ("ed50", "hill", "td50", "tox_slope"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name))

    def p_efficacy(self, doses: Sequence[float] = DOSES_MG) -> np.ndarray:
        """Response probability at ``doses`` (mg, any shape; :func:`dosecourse.pd.sigmoid_emax`).

        Parameters
        ----------
        doses : sequence of float
            Doses in mg, >= 0, at most :data:`dosecourse._validate.MAX_GRID` values (default :data:`DOSES_MG`).

        Returns
        -------
        ndarray
            Response probability per dose, shaped like ``doses``.
        """
        return np.asarray(sigmoid_emax(_grid(doses), self.emax, self.ed50, self.hill), float)

    def p_toxicity(self, doses: Sequence[float] = DOSES_MG) -> np.ndarray:
        """DLT probability at ``doses`` (mg, any shape; :func:`dosecourse.utility.logistic_toxicity`).

        Parameters
        ----------
        doses : sequence of float
            Doses in mg, >= 0, at most :data:`dosecourse._validate.MAX_GRID` values (default :data:`DOSES_MG`).

        Returns
        -------
        ndarray
            DLT probability per dose, shaped like ``doses``.
        """
        return np.asarray(u.logistic_toxicity(_grid(doses), self.td50, self.tox_slope), float)


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


def _data(data: Mapping[str, Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Patients, responders and DLTs per dose of a ``{"n", "responses", "dlts"}`` mapping, checked."""
    data = _validate.mapping(data, "data")
    if set(data) != {"n", "responses", "dlts"}:
        raise ValueError(f"data must give 'n', 'responses' and 'dlts' per dose; got {sorted(map(str, data))}")
    k = _validate.whole_array(data["n"], "data['n']", ndim=1).size
    n, x = _validate.counts(data["n"], data["responses"], k, n_name="data['n']", y_name="data['responses']")
    _, y = _validate.counts(data["n"], data["dlts"], k, n_name="data['n']", y_name="data['dlts']")
    if k == 0 or np.any(n == 0):
        raise ValueError(f"every dose needs at least one patient; got n={n.tolist()}")
    return n, x, y


def observed_rates(data: Mapping[str, Sequence[int]] = EXAMPLE_DATA) -> dict[str, np.ndarray]:
    """Observed response and DLT rates per dose, ``{"efficacy": x/n, "toxicity": y/n}``.

    Parameters
    ----------
    data : mapping, default :data:`EXAMPLE_DATA`
        ``{"n": ..., "responses": ..., "dlts": ...}``, one count per dose, at least one patient at every dose.

    Returns
    -------
    dict of ndarray

    Raises
    ------
    ValueError, TypeError
        On missing keys or invalid counts.

    Examples
    --------
    >>> observed_rates()["toxicity"].round(3).tolist()
    [0.0, 0.0, 0.067, 0.267, 0.5]
    """
    n, x, y = _data(data)
    return {"efficacy": x / n, "toxicity": y / n}


def _dose_axis(ax, doses: np.ndarray) -> None:
    """A log dose axis ticked at the doses."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(list(doses)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{d:g}" for d in doses])


@style.course_figure
def curves_figure(scenario: CurveScenario = CURVES, doses: Sequence[float] = DOSES_MG, *,
                  lang: str = "en") -> Figure:
    """Response and DLT probability against dose (log scale), with the doses of the example marked.

    Parameters
    ----------
    scenario : CurveScenario, default :data:`CURVES`
        Assumed curves.
    doses : sequence of float, default :data:`DOSES_MG`
        Doses to mark (mg), increasing.
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
    curves = _validate.instance(scenario, "scenario", CurveScenario)
    d = _doses(doses)
    fig, ax = style.new_figure(figsize=(7.0, 3.8))
    grid = np.geomspace(d.min() / 1.5, d.max() * 1.5, 200)
    for p, colour, key, marker in ((curves.p_efficacy, style.BLUE, "cuiv_p_efficacy", "o"),
                                   (curves.p_toxicity, style.VERMILLION, "cuiv_p_toxicity", "s")):
        ax.plot(grid, p(grid), color=colour, lw=2, marker=marker, markevery=[], label=t(key, lang))
        ax.plot(d, p(d), marker, color=colour, ms=7)
        for x, y in zip(d, p(d)):
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center",
                        fontsize=style.TINY_SIZE, color=colour)
    _dose_axis(ax, d)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("cuiv_xlabel_dose", lang))
    ax.set_ylabel(t("cuiv_probability", lang))
    ax.set_title(t("cuiv_curves_title", lang), loc="left")
    ax.legend(loc="upper left")
    return fig


@style.course_figure
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
    fig, axes = style.new_figure(ncols=2, figsize=(8.0, 3.5), sharey=True)
    x = np.linspace(0, 0.7, 351)
    specs = (
        ("cuiv_attr_response", (u.linear_desirability(0.10, 0.50), u.step_desirability(0.30),
                                u.derringer_desirability(0.10, 0.50, 2.0)), 2.0),
        ("cuiv_attr_dlt", (u.linear_desirability(0.40, 0.05), u.step_desirability(0.225, higher_is_better=False),
                           u.derringer_desirability(0.40, 0.05, 0.5)), 0.5),
    )
    for ax, (key, (lin, step, der), s) in zip(axes, specs):
        ax.plot(x, lin(x), color=style.BLUE, lw=2.2, label=t("cuiv_linear", lang))
        ax.plot(x, step(x), color=style.ORANGE, lw=1.8, ls="--", label=t("cuiv_step", lang))
        ax.plot(x, der(x), color=style.PURPLE, lw=1.8, ls=":", label=t("cuiv_derringer", lang, s=f"{s:g}"))
        ax.set_xlabel(t(key, lang))
        ax.set_xlim(0, 0.7)
        ax.set_ylim(-0.03, 1.05)
        ax.legend(loc="lower right" if key == "cuiv_attr_response" else "upper right", fontsize=style.TINY_SIZE)
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
        Doses (mg), one per count.
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError, TypeError
        On invalid data, or doses that do not match them.

    Examples
    --------
    >>> data_table(lang="en").iloc[2].tolist()
    [100.0, 15.0, 6.0, 1.0, 0.4, 0.06666666666666667]
    """
    lang = check_lang(lang)
    n, x, y = _data(data)
    d = _doses(doses)
    if d.size != n.size:
        raise ValueError(f"doses must give one dose per count ({n.size}); got {d.size}")
    return pd.DataFrame({
        t("cuiv_col_dose_mg", lang): d.tolist(),
        t("cuiv_col_n", lang): n.tolist(),
        t("cuiv_col_responses", lang): x.tolist(),
        t("cuiv_col_dlts", lang): y.tolist(),
        t("cuiv_col_resp_rate", lang): x / n,
        t("cuiv_col_dlt_rate", lang): y / n,
    })


def _tick_labels(doses: np.ndarray) -> list[str]:
    """Dose labels for an axis: numbers without trailing zeros (25.0 -> "25"), anything else as text."""
    return [f"{d:g}" if isinstance(d, (int, float)) else str(d) for d in doses.tolist()]


@style.course_figure
def cui_figure(result: u.CUIResult, prob_best: u.ProbabilityBest | None = None, *, lang: str = "en") -> Figure:
    """CUI per dose with its weighted components stacked, and (optionally) the probability each dose is best.

    Parameters
    ----------
    result : dosecourse.utility.CUIResult
        From :func:`dosecourse.utility.cui` or :func:`dosecourse.utility.efficacy_toxicity_cui`.
    prob_best : dosecourse.utility.ProbabilityBest, optional
        Adds a second panel with the probability that each dose has the highest CUI.
    lang : {"en", "zh-tw"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``result`` or ``prob_best`` has the wrong type.
    ValueError
        If they have different numbers of doses.

    Notes
    -----
    Bar heights are :math:`w_k d_k`, so the top of each stack is the CUI; the tied best doses are marked.

    Examples
    --------
    >>> fig = cui_figure(u.efficacy_toxicity_cui([0.2, 0.5], [0.1, 0.4]), lang="zh-tw")
    >>> len(fig.axes)
    1
    """
    u.check_pair(result, prob_best)
    two = prob_best is not None
    fig, axes = style.new_figure(ncols=2 if two else 1, figsize=(10.5, 4.4) if two else (7.0, 4.0))
    ax = axes[0] if two else axes
    title_size = style.SMALL_SIZE if two else style.TITLE_SIZE  # two panels share the width of one figure
    x = np.arange(result.doses.size)
    bottom = np.zeros(x.size)
    for i, key in enumerate(result.attributes):
        ax.bar(x, result.contributions[i], bottom=bottom, color=style.OKABE_ITO[i % len(style.OKABE_ITO)],
               label=u.attribute_label(key, lang))
        bottom += result.contributions[i]
    best = np.isin(result.doses, result.best.tied_doses)
    ax.plot(x[best], result.values[best] + 0.03, "v", color=style.BLACK, label=t("utility_best_marker", lang))
    ax.set_xticks(x, _tick_labels(result.doses))
    ax.set_xlabel(t("dose", lang))
    ax.set_ylabel(t("utility_cui", lang))
    ax.set_ylim(0, 1.1)
    ax.set_title(t("utility_fig_title", lang), fontsize=title_size)
    ax.legend(loc="upper left", fontsize=style.TINY_SIZE)
    if two:
        axes[1].bar(x, prob_best.probability, color=style.SKY)
        axes[1].set_xticks(x, _tick_labels(result.doses))
        axes[1].set_ylim(0, 1)
        axes[1].set_xlabel(t("dose", lang))
        axes[1].set_ylabel(t("utility_prob_best", lang))
        axes[1].set_title(t("utility_fig_prob_title", lang, n=prob_best.n_draws), fontsize=title_size)
    return fig


@style.course_figure
def weight_figure(attributes: Mapping[str, Sequence[float]], desirabilities: Mapping[str, u.Desirability], *,
                  doses: Sequence[float] = DOSES_MG, reference: float | None = None,
                  lang: str = "en") -> Figure:
    """CUI of every dose as a line in the weight w of the first attribute, with the exact flip points.

    With weights (w, 1 - w) the CUI of dose j is :math:`d_{2j} + w (d_{1j} - d_{2j})`, a straight line; the chosen
    dose follows the upper envelope, and changes at the breakpoints of
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
        Base-case weight of the first attribute, in [0, 1], drawn as a dashed line.
    lang : {"en", "zh-tw"}
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        If there are not exactly two attributes, the inputs are inconsistent or ``reference`` is outside [0, 1].

    Examples
    --------
    >>> fig = weight_figure(observed_rates(), base_desirabilities(), reference=0.6)
    >>> len(fig.axes[0].lines) >= 5
    True
    """
    ref = None if reference is None else _validate.probability(reference, "reference", open_interval=False)
    wb = u.weight_breakpoints(attributes, desirabilities, doses=doses)
    keys = wb.attributes
    res = u.cui(attributes, {keys[0]: 0.5, keys[1]: 0.5}, desirabilities, doses=doses)
    d1, d2 = res.desirability
    w = np.linspace(0, 1, 201)
    fig, ax = style.new_figure(figsize=(7.2, 4.2))
    for j, dose in enumerate(res.doses.tolist()):
        ax.plot(w, d2[j] + w * (d1[j] - d2[j]), color=style.OKABE_ITO[j % 7], lw=1.6,
                label=t("cuiv_dose_mg", lang, dose=f"{dose:g}"))
    env = np.max(d2[None, :] + w[:, None] * (d1 - d2)[None, :], axis=1)
    ax.plot(w, env, color=style.BLACK, lw=4, alpha=0.18, label=t("utility_best_marker", lang))
    for i, b in enumerate(wb.breakpoints):
        ax.axvline(b, color=style.GREY_DARK, ls=":", lw=1.3, label=t("cuiv_flip", lang) if i == 0 else None)
        ax.text(b, 1.02, f"{b:.3f}", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    for lo, hi, dose in wb.intervals:
        ax.text((lo + hi) / 2, 0.03, t("cuiv_dose_mg", lang, dose=f"{dose:g}"), ha="center", va="bottom",
                fontsize=style.TINY_SIZE, color=style.GREY_DARK, transform=ax.get_xaxis_transform())
    if ref is not None:
        ax.axvline(ref, color=style.PURPLE, ls="--", lw=1.6, label=t("cuiv_base_case", lang, w=f"{ref:g}"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel(t("cuiv_weight_xlabel", lang))
    ax.set_ylabel(t("utility_cui", lang))
    ax.set_title(t("cuiv_weight_title", lang), loc="left", pad=18)
    fig.legend(loc="outside right center", fontsize=style.TINY_SIZE)
    return fig


@dataclasses.dataclass(frozen=True)
class Scenario:
    """The CUI of assumed curves and the probability each dose is best after ``n_per_dose`` patients per dose.

    Parameters
    ----------
    result : dosecourse.utility.CUIResult
        The CUI of each dose on the curves.
    prob_best : dosecourse.utility.ProbabilityBest
        The probability each dose is best given the expected counts (with its draws and seed).
    n_per_dose : int
        Patients per dose of the typical trial (1 to :data:`dosecourse._validate.MAX_PATIENTS`).
    responses, dlts : ndarray of int
        Its responders and patients with a DLT per dose (:func:`dosecourse.stats.expected_counts`), each between
        0 and ``n_per_dose``.

    Raises
    ------
    ValueError, TypeError
        If ``result`` and ``prob_best`` have the wrong types or different numbers of doses, or a count is out of
        range.
    """

    result: u.CUIResult
    prob_best: u.ProbabilityBest
    n_per_dose: int
    responses: np.ndarray
    dlts: np.ndarray

    def __post_init__(self) -> None:
        u.check_pair(_validate.instance(self.result, "result", u.CUIResult),
                     _validate.instance(self.prob_best, "prob_best", u.ProbabilityBest))
        n = _validate.positive_int(self.n_per_dose, "n_per_dose", maximum=_validate.MAX_PATIENTS)
        k = self.result.doses.size
        for name in ("responses", "dlts"):
            _, counts = _validate.counts(np.full(k, n), getattr(self, name), k, n_name="n_per_dose", y_name=name)
            counts.setflags(write=False)
            object.__setattr__(self, name, counts)
        object.__setattr__(self, "n_per_dose", n)


@lru_cache(maxsize=256)
def _scenario(curves: CurveScenario, w_efficacy: float, n_per_dose: int, doses: tuple[float, ...], n_draws: int,
              seed: int) -> Scenario:
    weights = {"efficacy": w_efficacy, "toxicity": 1.0 - w_efficacy}
    p_e, p_t = curves.p_efficacy(doses), curves.p_toxicity(doses)
    desirs = base_desirabilities()
    result = u.cui({"efficacy": p_e, "toxicity": p_t}, weights, desirs, doses=doses)
    x, y = stats.expected_counts(p_e, n_per_dose), stats.expected_counts(p_t, n_per_dose)
    n = np.full(len(doses), n_per_dose)
    pb = u.probability_best(n, x, y, weights, desirs, n_draws=n_draws, seed=seed, doses=doses)
    return Scenario(result, pb, n_per_dose, x, y)


def scenario(curves: CurveScenario = CURVES, *, w_efficacy: float = BASE_WEIGHTS["efficacy"],
             n_per_dose: int = 15, doses: Sequence[float] = DOSES_MG, n_draws: int = WIDGET_DRAWS,
             seed: int = SEED) -> Scenario:
    """CUI per dose from the curves, and how sure a trial with ``n_per_dose`` per dose would be of the best.

    The CUI uses the true curve values and :func:`base_desirabilities`.  The probability each dose is best
    comes from :func:`dosecourse.utility.probability_best` applied to the counts a trial of ``n_per_dose``
    patients per dose would observe if every count came out at its expected value
    (:func:`dosecourse.stats.expected_counts`): a typical trial, not a simulation of many.  Results are cached.

    Parameters
    ----------
    curves : CurveScenario, default :data:`CURVES`
        Assumed dose-response curves.
    w_efficacy : float, default 0.6
        Weight of efficacy, in [0, 1]; toxicity gets ``1 - w_efficacy``.
    n_per_dose : int, default 15
        Patients per dose of the typical trial.
    doses : sequence, default :data:`DOSES_MG`
        Doses (mg), positive and increasing.
    n_draws : int, default :data:`WIDGET_DRAWS`
        Posterior draws (at most :data:`dosecourse.utility.MAX_DRAWS`).
    seed : int, default :data:`SEED`
        Seed of the posterior draws.

    Returns
    -------
    Scenario

    Raises
    ------
    ValueError, TypeError
        On an invalid argument; the message names it.

    Examples
    --------
    >>> sc = scenario()
    >>> sc.result.best.dose, sc.responses.tolist(), sc.dlts.tolist()
    (100, [2, 5, 7, 8, 9], [0, 0, 1, 4, 10])
    """
    _validate.instance(curves, "curves", CurveScenario)
    w = _validate.probability(w_efficacy, "w_efficacy", open_interval=False)
    n = _validate.positive_int(n_per_dose, "n_per_dose", maximum=_validate.MAX_PATIENTS)
    labels = tuple(int(v) if v.is_integer() else v for v in _doses(doses).tolist())  # 100.0 mg shows as 100
    draws = _validate.integer(n_draws, "n_draws", minimum=1, maximum=u.MAX_DRAWS)
    used = _validate.integer(seed, "seed", minimum=0)
    return _scenario(curves, w, n, labels, draws, used)


def summary_text(sc: Scenario, lang: str = "en") -> str:
    """One sentence on a :class:`Scenario`: the best dose by CUI and the dose most likely best after the trial.

    Parameters
    ----------
    sc : Scenario
        From :func:`scenario`.
    lang : {"en", "zh-tw"}
        Language of the sentence.

    Returns
    -------
    str

    Examples
    --------
    >>> print(summary_text(scenario(), "en"))  # doctest: +NORMALIZE_WHITESPACE
    Highest CUI on the curves: 100 mg (CUI 0.90). After 15 patients per dose, the dose most likely to be best
    is 100 mg (probability 0.58).
    """
    lang = check_lang(lang)
    _validate.instance(sc, "sc", Scenario)
    best = sc.result.best.dose
    j = int(np.flatnonzero(sc.result.doses == best)[0])
    k = int(np.argmax(sc.prob_best.probability))
    return t("cuiv_summary", lang, dose=f"{best:g}", cui=f"{sc.result.values[j]:.2f}", n=sc.n_per_dose,
             best=f"{sc.prob_best.most_likely:g}", p=f"{sc.prob_best.probability[k]:.2f}")


# ------------------------------------------------------------------------------------------------ widget
def _widget_scenario(w_efficacy: float, emax: float, n_per_dose: int) -> Scenario:
    return scenario(dataclasses.replace(CURVES, emax=emax), w_efficacy=w_efficacy, n_per_dose=n_per_dose)


def _widget_summary(lang: str, w_efficacy: float, emax: float, n_per_dose: int) -> str:
    return summary_text(_widget_scenario(w_efficacy, emax, n_per_dose), lang)


def _widget_figure(lang: str, w_efficacy: float, emax: float, n_per_dose: int) -> Figure:
    sc = _widget_scenario(w_efficacy, emax, n_per_dose)
    return cui_figure(sc.result, sc.prob_best, lang=lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    sc = _widget_scenario(values["w_efficacy"], values["emax"], values["n_per_dose"])
    sep = "、" if lang == "zh-tw" else ", "
    doses = sc.result.doses.tolist()
    cuis = sep.join(t("cuiv_alt_dose_value", lang, dose=f"{d:g}", v=f"{v:.2f}") for d, v in
                    zip(doses, sc.result.values))
    probs = sep.join(t("cuiv_alt_dose_value", lang, dose=f"{d:g}", v=f"{v:.2f}") for d, v in
                     zip(doses, sc.prob_best.probability))
    return t("cuiv_widget_alt", lang, w=f"{values['w_efficacy']:.2f}", emax=f"{values['emax']:.2f}",
             n=sc.n_per_dose, draws=sc.prob_best.n_draws, best=f"{sc.result.best.dose:g}", cuis=cuis, probs=probs)


_DEPENDS = ("w_efficacy", "emax", "n_per_dose")

widget = LiveWidget(
    "clinical_utility_index",
    controls=(
        Slider("w_efficacy", "cuiv_w_weight", 0.0, 1.0, 0.05, value=BASE_WEIGHTS["efficacy"],
               site=(0.05, 0.3, 0.6, 0.8, 0.9), fmt="{:.2f}"),
        Slider("emax", "cuiv_w_emax", 0.1, 1.0, 0.05, value=CURVES.emax, site=(0.4, 0.6, 0.8), fmt="{:.2f}"),
        Slider("n_per_dose", "cuiv_w_n", 3, 60, 3, value=15, site=(6, 15, 30, 60), fmt="{:.0f}"),
    ),
    parts=(Part(_widget_summary, _DEPENDS), Part(_widget_figure, _DEPENDS, alt=_widget_alt)),
    columns=3,
)
"""The weight of efficacy, the highest response rate and the patients per dose in; :func:`summary_text` and
:func:`cui_figure` of :func:`scenario` out.  The other curve parameters (ED50, Hill coefficient, TD50, DLT slope)
stay at :data:`CURVES`: seven controls would need tens of thousands of precomputed states on the site, and these
three are the ones the chapter asks the reader to move (the flip of the chosen dose with the weight, a lower
plateau, more patients).  Change the others in code, e.g.
``scenario(dataclasses.replace(CURVES, td50=200.0))``.  The site grid puts weights on both sides of the flips on
the curves (0.076 and 0.806 at the default plateau): 5 x 3 x 4 = 60 figure states per language."""


# ------------------------------------------------------------------------------------------------ numbers
EX2_DATA: Mapping[str, tuple[int, ...]] = MappingProxyType({
    "n": (3, 21, 15, 15, 6), "responses": (0, 5, 6, 8, 3), "dlts": (0, 0, 1, 4, 3)})
"""Exercise 2: :data:`EXAMPLE_DATA` after a randomized expansion adds 15 patients at 50 mg (3 responders, no DLT)."""

EX3_UTILITIES: tuple[float, float, float, float] = (100.0, 40.0, 80.0, 0.0)
"""Exercise 3: BOIN12's utilities with "response with a DLT" raised from 60 to 80."""


# ------------------------------------------------------------------------------------------------ a real case
REAL_CASE = "trastuzumab_deruxtecan"
"""Key of the published case of :mod:`dosecourse.expansion_cases` the chapter scores: trastuzumab deruxtecan 5.4
vs 6.4 mg/kg in the randomized DESTINY-Lung02 trial (Goto et al., J Clin Oncol 2023)."""


@dataclasses.dataclass(frozen=True)
class RealCase:
    """The chapter's CUI applied to a published randomized dose comparison.

    Parameters
    ----------
    doses : tuple of float
        The doses compared (mg/kg).
    n, responders : tuple of int
        Patients assessed for response and responders per dose.
    n_safety, events : tuple of int
        Patients assessed for safety and patients with the safety event (here drug-related ILD) per dose.
    result : dosecourse.utility.CUIResult
        The CUI at the observed rates, with the chapter's desirabilities and weights.
    prob_best : dosecourse.utility.ProbabilityBest
        Posterior probability that each dose has the higher CUI.
    flip : float
        The efficacy weight above which the higher dose would have the higher CUI.
    """

    doses: tuple[float, ...]
    n: tuple[int, ...]
    responders: tuple[int, ...]
    n_safety: tuple[int, ...]
    events: tuple[int, ...]
    result: u.CUIResult
    prob_best: u.ProbabilityBest
    flip: float


@lru_cache(maxsize=1)
def real_case() -> RealCase:
    """DESTINY-Lung02 scored with the chapter's CUI, ILD in the place of the DLT rate.

    The counts are the published rates times the arm sizes (49.0% of 102 = 50, 56.0% of 50 = 28; ILD 12.9% of
    101 = 13 and 28.0% of 50 = 14, as reported), from :func:`dosecourse.expansion_cases.case`.  The desirability
    functions and weights are the chapter's (:func:`base_desirabilities`, :data:`BASE_WEIGHTS`): a teaching
    choice, not the sponsor's or the FDA's analysis.

    Returns
    -------
    RealCase

    Examples
    --------
    >>> rc = real_case()
    >>> rc.responders, rc.events, rc.result.best.dose
    ((50, 28), (13, 14), 5.4)
    """
    c = cases.case(REAL_CASE)
    doses = tuple(float(a.dose.split()[0]) for a in c.arms)
    n = tuple(a.n for a in c.arms)
    responders = tuple(int(round(a.response_rate * a.n)) for a in c.arms)
    n_safety = tuple(a.safety_n for a in c.arms)
    events = tuple(int(round(a.safety_rate * a.safety_n)) for a in c.arms)
    weights, desirs = dict(BASE_WEIGHTS), base_desirabilities()
    rates = {"efficacy": np.divide(responders, n), "toxicity": np.divide(events, n_safety)}
    result = u.cui(rates, weights, desirs, doses=doses)
    prob_best = u.probability_best(n, responders, events, weights, desirs, n_draws=N_DRAWS, seed=SEED,
                                   doses=doses, n_toxicity=n_safety)
    flip = u.weight_breakpoints(rates, desirs, doses=doses).breakpoints
    return RealCase(doses, n, responders, n_safety, events, result, prob_best, float(flip[0]))


def real_case_table(lang: str = "en") -> pd.DataFrame:
    """The CUI table of :func:`real_case` (:func:`dosecourse.utility.cui_table`, with the probability best).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    pandas.DataFrame
        One row per dose.
    """
    rc = real_case()
    return u.cui_table(rc.result, rc.prob_best, lang=check_lang(lang))


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in
    ``tests/chapters/test_clinical_utility_index.py``).

    Examples
    --------
    >>> numbers()["cui_curve_best"]
    100
    """
    weights, desirs = dict(BASE_WEIGHTS), base_desirabilities()
    p_e, p_t = CURVES.p_efficacy(), CURVES.p_toxicity()
    on_curves = u.cui({"efficacy": p_e, "toxicity": p_t}, weights, desirs, doses=DOSES_MG)
    out: dict[str, float | int] = {
        "cui_w_eff": weights["efficacy"], "cui_w_tox": weights["toxicity"],
        "cui_curve_best": int(on_curves.best.dose), "cui_curve_pe_100": p_e[2], "cui_curve_pt_100": p_t[2],
        "cui_curve_cui_100": on_curves.values[2], "cui_curve_cui_200": on_curves.values[3],
        "cui_curve_cui_400": on_curves.values[4], "cui_curve_pe_400": p_e[4], "cui_curve_pt_400": p_t[4]}

    rates = observed_rates()
    observed = u.cui(rates, weights, desirs, doses=DOSES_MG)
    out.update(cui_obs_n_total=int(sum(EXAMPLE_DATA["n"])), cui_obs_best=int(observed.best.dose),
               cui_obs_cui_50=observed.values[1], cui_obs_cui_100=observed.values[2],
               cui_obs_cui_200=observed.values[3])
    data = EXAMPLE_DATA
    prob_best = u.probability_best(data["n"], data["responses"], data["dlts"], weights, desirs, n_draws=N_DRAWS,
                                   seed=SEED, doses=DOSES_MG)
    out.update(cui_n_draws=int(prob_best.n_draws), cui_seed=int(prob_best.seed),
               cui_pbest_50=prob_best.probability[1], cui_pbest_100=prob_best.probability[2],
               cui_pbest_200=prob_best.probability[3], cui_ci_100_lo=prob_best.cui_lower[2],
               cui_ci_100_hi=prob_best.cui_upper[2])
    flips = u.weight_breakpoints(rates, desirs, doses=DOSES_MG)
    out.update(cui_flip_low=flips.breakpoints[0], cui_flip_high=flips.breakpoints[1],
               cui_flip_margin=flips.breakpoints[1] - weights["efficacy"])

    boin12 = u.boin12_utility_as_cui()
    boin12_view = u.efficacy_toxicity_cui(p_e, p_t, w_efficacy=boin12.weights["efficacy"], doses=DOSES_MG)
    out.update(cui_boin12_w_eff=boin12.weights["efficacy"], cui_boin12_w_tox=boin12.weights["toxicity"],
               cui_boin12_interaction=boin12.interaction, cui_boin12_best=int(boin12_view.best.dose),
               cui_boin12_cui_100=boin12_view.values[2], cui_boin12_cui_200=boin12_view.values[3])

    default = scenario()
    out.update(cui_widget_n=int(default.n_per_dose), cui_widget_draws=int(default.prob_best.n_draws),
               cui_widget_pbest_100=default.prob_best.probability[2])

    ex1_low = u.cui(rates, {"efficacy": 0.4, "toxicity": 0.6}, desirs, doses=DOSES_MG)
    ex1_high = u.cui(rates, {"efficacy": 0.75, "toxicity": 0.25}, desirs, doses=DOSES_MG)
    out.update(cui_ex1_cui100_w40=ex1_low.values[2], cui_ex1_cui50_w40=ex1_low.values[1],
               cui_ex1_cui200_w75=ex1_high.values[3], cui_ex1_cui100_w75=ex1_high.values[2])
    ex2_data = EX2_DATA
    ex2 = u.cui(observed_rates(ex2_data), weights, desirs, doses=DOSES_MG)
    ex2_pb = u.probability_best(ex2_data["n"], ex2_data["responses"], ex2_data["dlts"], weights, desirs,
                                n_draws=N_DRAWS, seed=SEED, doses=DOSES_MG)
    out.update(cui_ex2_cui50=ex2.values[1], cui_ex2_pbest_50=ex2_pb.probability[1],
               cui_ex2_pbest_100=ex2_pb.probability[2])
    ex3 = u.boin12_utility_as_cui(EX3_UTILITIES)
    ex3_u = u.expected_utility(p_e, p_t, EX3_UTILITIES)
    out.update(cui_ex3_interaction=ex3.interaction, cui_ex3_u100=ex3_u[2], cui_ex3_u200=ex3_u[3])
    rc = real_case()
    (de_lo, de_hi), (dt_lo, dt_hi) = rc.result.desirability
    out.update(cui_rc_n_lo=rc.n[0], cui_rc_n_hi=rc.n[1], cui_rc_x_lo=rc.responders[0], cui_rc_x_hi=rc.responders[1],
               cui_rc_m_lo=rc.n_safety[0], cui_rc_m_hi=rc.n_safety[1], cui_rc_y_lo=rc.events[0],
               cui_rc_y_hi=rc.events[1], cui_rc_cui_lo=rc.result.values[0], cui_rc_cui_hi=rc.result.values[1],
               cui_rc_pbest_lo=rc.prob_best.probability[0], cui_rc_flip=rc.flip,
               cui_rc_de_gain=de_hi - de_lo, cui_rc_dt_loss=dt_lo - dt_hi,
               cui_rc_orr_gain=100 * (rc.responders[1] / rc.n[1] - rc.responders[0] / rc.n[0]))
    return {k: v if isinstance(v, int) else float(v) for k, v in out.items()}

