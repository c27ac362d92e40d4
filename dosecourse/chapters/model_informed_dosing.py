"""Figures, table, widget and numbers of the chapter "Model-informed dosing" (``register/model-informed-dosing``).

The science is in :mod:`dosecourse.poppk` (the published population PK models of pembrolizumab, Ahamadi 2017, and
nivolumab, Bajaj 2017; seeded virtual populations; exposure metrics at steady state and after the first dose).
This module holds the chapter's regimens and shows them, in the reader's language:

* :data:`REGIMENS` and :data:`PAIRS`: the flat, weight-based and extended-interval regimens of the two antibodies
  and the comparisons a regulator was asked to accept (each new regimen against the regimen it replaces);
* :func:`population`, :func:`steady_state` and :func:`first_month`: one seeded virtual population per drug
  (:data:`N_PATIENTS` patients, seed :data:`SEED`) and its exposures under each regimen (cached, so the notebook,
  the numbers and the widget share them);
* :func:`weight_variance_share`: the closed form for how much of the spread of Cavg,ss body weight explains under
  flat and under weight-based dosing;
* :func:`comparison_table`: the course's own numbers next to the published ones (Freshwater 2017, Lala 2020,
  Zhao 2020);
* :func:`profiles_figure`: concentration-time profiles of a typical patient;
* :func:`exposure_weight_figure` and :func:`band_text`: exposure against body weight for a pair of regimens, the
  two outputs of :data:`widget`;
* :func:`numbers`: every number the prose glues.

References
----------
Freshwater T, Kondic A, Ahamadi M, et al. Evaluation of dosing strategy for pembrolizumab for oncology
indications. J Immunother Cancer. 2017;5:43. doi:10.1186/s40425-017-0242-5 (PMID 28515943)
Lala M, Li TR, de Alwis DP, et al. A six-weekly dosing schedule for pembrolizumab in patients with cancer based on
evaluation using modelling and simulation. Eur J Cancer. 2020;131:68-75. doi:10.1016/j.ejca.2020.02.016
(PMID 32305010)
Zhao X, Shen J, Ivaturi V, et al. Model-based evaluation of the efficacy and safety of nivolumab once every 4 weeks
across multiple tumor types. Ann Oncol. 2020;31(2):302-309.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import _validate, poppk
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part

# ------------------------------------------------------------------------------------------------ the regimens
MODELS: Mapping[str, str] = MappingProxyType({"pembrolizumab": "pembrolizumab_ahamadi2017",
                                              "nivolumab": "nivolumab_bajaj2017"})
"""Drug -> published population PK model (:func:`dosecourse.poppk.published_model`)."""

INFUSION_DAYS = 0.5 / 24
"""Every regimen is a 30-minute IV infusion (the labelled duration of the flat regimens)."""


@dataclass(frozen=True)
class DosingRegimen:
    """One regimen of the chapter.

    Parameters
    ----------
    drug : str
        ``"pembrolizumab"`` or ``"nivolumab"``.
    dose : float
        Dose per administration, mg (or mg/kg when ``per_kg``).
    weeks : int
        Dosing interval in weeks.
    per_kg : bool
        Weight-based dose.
    """

    drug: str
    dose: float
    weeks: int
    per_kg: bool = False

    @property
    def tau(self) -> float:
        """Dosing interval, days."""
        return 7.0 * self.weeks

    @property
    def label(self) -> str:
        """``"200 mg Q3W"``, ``"2 mg/kg Q3W"`` (the same in both languages)."""
        return f"{self.dose:g} {'mg/kg' if self.per_kg else 'mg'} Q{self.weeks}W"

    def regimen(self, n_doses: int = 1) -> poppk.Regimen:
        """The :class:`dosecourse.poppk.Regimen`: ``n_doses`` 30-minute infusions every ``tau`` days.

        Parameters
        ----------
        n_doses : int
            Number of infusions (default 1).

        Returns
        -------
        dosecourse.poppk.Regimen
            Infusions of :data:`INFUSION_DAYS`, per kg when :attr:`per_kg`.
        """
        return poppk.Regimen.repeated(self.dose, self.tau, n_doses, route="infusion", duration=INFUSION_DAYS,
                                      per_kg=self.per_kg)


REGIMENS: Mapping[str, DosingRegimen] = MappingProxyType({
    "pembro_200q3w": DosingRegimen("pembrolizumab", 200.0, 3),
    "pembro_2q3w": DosingRegimen("pembrolizumab", 2.0, 3, per_kg=True),
    "pembro_400q6w": DosingRegimen("pembrolizumab", 400.0, 6),
    "pembro_800q12w": DosingRegimen("pembrolizumab", 800.0, 12),
    "pembro_10q2w": DosingRegimen("pembrolizumab", 10.0, 2, per_kg=True),
    "nivo_3q2w": DosingRegimen("nivolumab", 3.0, 2, per_kg=True),
    "nivo_240q2w": DosingRegimen("nivolumab", 240.0, 2),
    "nivo_480q4w": DosingRegimen("nivolumab", 480.0, 4),
    "nivo_10q2w": DosingRegimen("nivolumab", 10.0, 2, per_kg=True),
})
"""The regimens: pembrolizumab 200 mg Q3W, 2 mg/kg Q3W, 400 mg Q6W, 10 mg/kg Q2W (the highest dose studied, the
safety reference) and a hypothetical 800 mg Q12W (exercise); nivolumab 3 mg/kg Q2W, 240 mg Q2W, 480 mg Q4W and
10 mg/kg Q2W."""

PAIRS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "pembro_flat": ("pembro_200q3w", "pembro_2q3w"),
    "pembro_q6w": ("pembro_400q6w", "pembro_200q3w"),
    "nivo_q4w": ("nivo_480q4w", "nivo_3q2w"),
    "nivo_flat": ("nivo_240q2w", "nivo_3q2w"),
})
"""Comparisons: (new regimen, the regimen it is bridged to)."""

METRICS: tuple[str, ...] = ("cavg", "cmin", "cmax")
"""Steady-state exposure metrics of the widget: average, trough (pre-dose) and peak concentration."""

BANDS: Mapping[str, tuple[float, float]] = MappingProxyType({
    "all": (0.0, math.inf), "lt60": (0.0, 60.0), "60to100": (60.0, 100.0), "gt100": (100.0, math.inf)})
"""Body-weight bands of the widget (kg; lower bound included)."""

N_PATIENTS = 1000
"""Virtual patients per drug (the same patients receive every regimen of that drug)."""

SEED = 2025
"""Seed of both virtual populations."""

PUBLISHED: Mapping[str, float] = MappingProxyType({
    "auc6w_200q3w": 1.87,      # Freshwater 2017, abstract: mean AUCss over 6 weeks, mg*day/mL (CV 37%, n = 830)
    "auc6w_2q3w": 1.38,        # Freshwater 2017, abstract: 2 mg/kg Q3W (CV 38%, n = 760)
    "cl_weight_exponent": 0.578,   # Freshwater 2017, abstract: power of body weight on CL in their model
    "q6w_cavg_pct": 1.0,       # Lala 2020, abstract: Cavg,ss geometric mean of 400 mg Q6W about 1% higher
    "q6w_cmax_vs_10q2w_pct": -65.0,  # Lala 2020, abstract: Cmax,ss about 65% lower than 10 mg/kg Q2W
    "nivo_cavg28_pct": 26.8,   # Zhao 2020, abstract: time-averaged concentration over the first 28 days
    "nivo_cavgss_pct": 5.2,    # Zhao 2020, abstract: steady state
    "nivo_cmax1_pct": 110.4,   # Zhao 2020, abstract: Cmax after the first dose
    "nivo_cmin28_pct": -22.1,  # Zhao 2020, abstract: trough at day 28
    "nivo_n": 3203,            # Zhao 2020: patients whose exposures were predicted
})
"""Published numbers the chapter compares with (percent: 480 mg Q4W vs 3 mg/kg Q2W, 400 mg Q6W vs 200 mg Q3W)."""

_PAIR_COLOURS = (style.VERMILLION, style.BLUE)  # new regimen, reference regimen


def _check_key(key: str, name: str, options) -> str:
    return _validate.one_of(key, name, tuple(options))


# ------------------------------------------------------------------------------------------------ computations
@lru_cache(maxsize=2)
def population(drug: str) -> poppk.VirtualPopulation:
    """The chapter's seeded virtual population of ``drug`` (:data:`N_PATIENTS` patients, seed :data:`SEED`).

    Covariates are drawn from the model's stated distributions (body weight log-normal; for nivolumab also eGFR,
    sex, ECOG and race); covariates without a distribution stay at their reference values.

    Parameters
    ----------
    drug : {"pembrolizumab", "nivolumab"}
        The drug (a key of :data:`MODELS`).

    Returns
    -------
    dosecourse.poppk.VirtualPopulation

    Raises
    ------
    ValueError
        If ``drug`` is unknown.

    Examples
    --------
    >>> population("pembrolizumab").n
    1000
    """
    drug = _check_key(drug, "drug", MODELS)
    return poppk.simulate_population(poppk.published_model(MODELS[drug]), N_PATIENTS, seed=SEED)


@lru_cache(maxsize=16)
def steady_state(key: str) -> poppk.Exposure:
    """Steady-state exposure of every virtual patient under regimen ``key`` (a key of :data:`REGIMENS`).

    For nivolumab the steady state uses the limiting clearance :math:`CL_0 e^{E_{max}}` of the time-varying
    clearance model.

    Parameters
    ----------
    key : str
        A key of :data:`REGIMENS`.

    Returns
    -------
    dosecourse.poppk.Exposure
        Cmax, trough, Cavg and AUC over one interval at steady state, one value per virtual patient.

    Raises
    ------
    ValueError
        If ``key`` is unknown.

    Examples
    --------
    >>> round(float(np.median(steady_state("pembro_200q3w").cavg)), 1) > 0
    True
    """
    r = REGIMENS[_check_key(key, "key", REGIMENS)]
    return poppk.exposure(population(r.drug).parameters, r.regimen(1), "ss")


@lru_cache(maxsize=8)
def first_month(key: str) -> dict[str, np.ndarray]:
    """Exposure over the first 28 days of regimen ``key``: Cavg over days 0-28, Cmax after the first dose and the
    trough at day 28 (just before the dose given on day 28), for every virtual patient.

    Computed with the time-varying clearance (numerical integration, :func:`dosecourse.poppk.exposure`).

    Parameters
    ----------
    key : str
        A key of :data:`REGIMENS` whose interval divides 28 days.

    Returns
    -------
    dict of str to ndarray
        ``"cavg28"``, ``"cmax1"`` and ``"cmin28"`` (mg/L), one value per virtual patient.

    Raises
    ------
    ValueError
        If ``key`` is unknown or the interval of the regimen does not divide 28 days.
    """
    r = REGIMENS[_check_key(key, "key", REGIMENS)]
    if abs(28.0 / r.tau - round(28.0 / r.tau)) > 1e-9:
        raise ValueError(f"the interval of {r.label} does not divide 28 days")
    k = int(round(28.0 / r.tau))           # the interval that ends on day 28
    reg = r.regimen(k + 1)
    params = population(r.drug).parameters
    last = poppk.exposure(params, reg, k)
    first = last if k == 1 else poppk.exposure(params, reg, 1)
    return {"cavg28": poppk.auc(params, reg, 0.0, 28.0) / 28.0, "cmax1": first.cmax, "cmin28": last.ctrough}


def metric_values(key: str, metric: str) -> np.ndarray:
    """Steady-state ``metric`` (one of :data:`METRICS`) of every virtual patient under regimen ``key``.

    Parameters
    ----------
    key : str
        A key of :data:`REGIMENS`.
    metric : {"cavg", "cmin", "cmax"}
        Average, trough (pre-dose) or peak concentration at steady state.

    Returns
    -------
    ndarray
        One value per virtual patient (:data:`N_PATIENTS`), from :func:`steady_state`.
    """
    e = steady_state(key)
    return {"cavg": e.cavg, "cmin": e.ctrough, "cmax": e.cmax}[_check_key(metric, "metric", METRICS)]


def geometric_mean(x: np.ndarray) -> float:
    """Geometric mean of positive values.

    Parameters
    ----------
    x : array_like
        Values, 1-D, non-empty, each > 0.

    Returns
    -------
    float
        :math:`\\exp(\\overline{\\log x})`.

    Examples
    --------
    >>> round(geometric_mean(np.array([1.0, 100.0])), 9)
    10.0
    """
    x = _validate.real_array(x, "x", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True)
    return float(np.exp(np.mean(np.log(x))))


def pct_difference(new: np.ndarray, ref: np.ndarray) -> float:
    """Percent difference of geometric means, ``100 (GM(new)/GM(ref) - 1)``.

    Parameters
    ----------
    new, ref : array_like
        Positive values (1-D, non-empty) under the new and the reference regimen.

    Returns
    -------
    float
        Percent (positive when the new regimen's geometric mean is higher).

    Examples
    --------
    >>> round(pct_difference(np.array([2.0, 8.0]), np.array([2.0, 2.0])), 6)
    100.0
    """
    return 100.0 * (geometric_mean(new) / geometric_mean(ref) - 1.0)


def weight_variance_share(theta: float, sigma_log_weight: float, omega_cl: float, *, per_kg: bool) -> float:
    """Share of the variance of log Cavg,ss explained by body weight.

    Parameters
    ----------
    theta : float
        Power of body weight on clearance, :math:`CL \\propto WT^{\\theta}`.
    sigma_log_weight : float
        SD of log body weight in the population.
    omega_cl : float
        Variance of the random effect on clearance (log scale).
    per_kg : bool
        Weight-based (True) or flat (False) dose.

    Returns
    -------
    float

    Notes
    -----
    :math:`C_{avg,ss} = D/(CL\\,\\tau)`, so with a flat dose :math:`\\log C_{avg} = c - \\theta \\log WT - \\eta` and
    with :math:`D = d \\cdot WT`, :math:`\\log C_{avg} = c + (1 - \\theta) \\log WT - \\eta`.  The weight share is
    :math:`b^2 \\sigma^2 / (b^2 \\sigma^2 + \\omega^2)` with :math:`b = \\theta` or :math:`1 - \\theta`.

    Examples
    --------
    >>> round(weight_variance_share(0.5, 0.25, 0.1, per_kg=True), 6) == round(weight_variance_share(0.5, 0.25, 0.1,
    ...     per_kg=False), 6)
    True
    """
    b = (1.0 - theta) if per_kg else theta
    part = (b * sigma_log_weight) ** 2
    return part / (part + omega_cl)


def _lognormal_sigma(mean: float, sd: float) -> float:
    return math.sqrt(math.log1p((sd / mean) ** 2))


# ------------------------------------------------------------------------------------------------ table
def comparison_table(lang: str = "en") -> pd.DataFrame:
    """The course's numbers (virtual populations of :data:`N_PATIENTS`, seed :data:`SEED`) next to the published
    ones, one row per comparison.

    Percent differences are between geometric means; the pembrolizumab AUC rows are arithmetic means of the
    AUC over six weeks at steady state, as in Freshwater 2017.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the row labels and column names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Columns: quantity, the course's value, the published value and its source (values as text).

    Examples
    --------
    >>> comparison_table().shape
    (8, 4)
    """
    lang = check_lang(lang)
    n = numbers()
    rows = [
        ("mid_row_auc200", f"{n['mid_auc6w_200q3w']:.2f}", f"{PUBLISHED['auc6w_200q3w']:.2f}", "Freshwater 2017"),
        ("mid_row_auc2", f"{n['mid_auc6w_2q3w']:.2f}", f"{PUBLISHED['auc6w_2q3w']:.2f}", "Freshwater 2017"),
        ("mid_row_q6w_cavg", f"{n['mid_q6w_cavg_pct']:+.1f}%", t("mid_about", lang, v="+1"), "Lala 2020"),
        ("mid_row_q6w_cmax", f"{n['mid_q6w_cmax_vs_10q2w_pct']:+.1f}%", t("mid_about", lang, v="-65"), "Lala 2020"),
        ("mid_row_nivo_cavg28", f"{n['mid_nivo_cavg28_pct']:+.1f}%", f"{PUBLISHED['nivo_cavg28_pct']:+.1f}%",
         "Zhao 2020"),
        ("mid_row_nivo_cavgss", f"{n['mid_nivo_cavgss_pct']:+.1f}%", f"{PUBLISHED['nivo_cavgss_pct']:+.1f}%",
         "Zhao 2020"),
        ("mid_row_nivo_cmax1", f"{n['mid_nivo_cmax1_pct']:+.1f}%", f"{PUBLISHED['nivo_cmax1_pct']:+.1f}%",
         "Zhao 2020"),
        ("mid_row_nivo_cmin28", f"{n['mid_nivo_cmin28_pct']:+.1f}%", f"{PUBLISHED['nivo_cmin28_pct']:+.1f}%",
         "Zhao 2020"),
    ]
    cols = [t("mid_col_quantity", lang), t("mid_col_course", lang), t("mid_col_published", lang),
            t("mid_col_source", lang)]
    return pd.DataFrame([[t(k, lang), a, b, s] for k, a, b, s in rows], columns=cols)


# ------------------------------------------------------------------------------------------------ figures
def _typical(drug: str, weight: float) -> poppk.PKParameters:
    model = poppk.published_model(MODELS[drug])
    return poppk.individual_parameters(model, {"WT": weight})


@style.course_figure
def profiles_figure(lang: str = "en") -> Figure:
    """Concentration-time profiles of a typical patient under the chapter's regimens.

    Left: pembrolizumab at steady state over six weeks (76.8 kg, the model's reference patient): 200 mg Q3W,
    400 mg Q6W and 2 mg/kg Q3W, with their common or different Cavg,ss as dotted lines.  Right: nivolumab over the
    first eight weeks (80 kg, the model's reference patient, time-varying clearance): 3 mg/kg Q2W, 240 mg Q2W and
    480 mg Q4W, with day 28 marked.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax1, ax2) = style.new_figure(ncols=2, figsize=(9.6, 4.2), sharey=False)
    tt = np.linspace(0.0, 42.0, 841)
    p = _typical("pembrolizumab", 76.8)
    for key, colour, ls in (("pembro_200q3w", style.BLUE, "-"), ("pembro_400q6w", style.VERMILLION, "-"),
                            ("pembro_2q3w", style.GREEN, "--")):
        r = REGIMENS[key]
        reg = r.regimen(1)
        c = poppk.concentrations(p, reg, tt, steady_state=True)[0]
        ax1.plot(tt, c, color=colour, ls=ls, lw=2.0, label=r.label)
        cavg = float(poppk.exposure(p, reg, "ss").cavg[0])
        ax1.axhline(cavg, color=colour, lw=0.9, ls=":")
    ax1.set_xlim(0, 42)
    ax1.set_ylim(bottom=0)
    ax1.set_xticks(range(0, 43, 7))
    ax1.set_xlabel(t("mid_days_ss_axis", lang))
    ax1.set_ylabel(t("mid_conc_axis", lang))
    ax1.set_title(t("mid_prof_pembro_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax1.legend(loc="upper right", fontsize=style.TINY_SIZE)

    tn = np.linspace(0.0, 56.0, 561)
    pn = _typical("nivolumab", 80.0)
    for key, colour, ls in (("nivo_3q2w", style.BLUE, "--"), ("nivo_240q2w", style.GREEN, ":"),
                            ("nivo_480q4w", style.VERMILLION, "-")):
        r = REGIMENS[key]
        reg = r.regimen(int(56 / r.tau))
        c = poppk.concentrations(pn, reg, tn)[0]
        ax2.plot(tn, c, color=colour, ls=ls, lw=2.0, label=r.label)
    ax2.axvline(28.0, color=style.GREY_DARK, lw=1.0, ls=":")
    ax2.text(28.0, 0.02, t("mid_day28", lang), transform=ax2.get_xaxis_transform(), ha="right", va="bottom",
             rotation=90, color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax2.set_xlim(0, 56)
    ax2.set_ylim(bottom=0)
    ax2.set_xticks(range(0, 57, 14))
    ax2.set_xlabel(t("mid_days_axis", lang))
    ax2.set_ylabel(t("mid_conc_axis", lang))
    ax2.set_title(t("mid_prof_nivo_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax2.legend(loc="upper right", fontsize=style.TINY_SIZE)
    return fig


def _band_mask(weight: np.ndarray, band: str) -> np.ndarray:
    lo, hi = BANDS[_check_key(band, "band", BANDS)]
    return (weight >= lo) & (weight < hi)


@style.course_figure
def exposure_weight_figure(pair: str = "pembro_flat", metric: str = "cavg", band: str = "all",
                           lang: str = "en") -> Figure:
    """A steady-state exposure metric against body weight for two regimens in one virtual population.

    Left: every virtual patient under both regimens (the same patients), with the median in weight bins as a line;
    the chosen weight band is shaded.  Right: the distribution of the metric within the band for each regimen
    (box: quartiles; whiskers: 5th and 95th percentiles).

    Parameters
    ----------
    pair : str, default "pembro_flat"
        A key of :data:`PAIRS`.
    metric : {"cavg", "cmin", "cmax"}, default "cavg"
        Steady-state Cavg, trough or Cmax.
    band : {"all", "lt60", "60to100", "gt100"}, default "all"
        Weight band of the right panel (:data:`BANDS`).
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a key is unknown.
    """
    keys = PAIRS[_check_key(pair, "pair", PAIRS)]
    _check_key(metric, "metric", METRICS)
    drug = REGIMENS[keys[0]].drug
    weight = np.asarray(population(drug).covariates["WT"])
    mask = _band_mask(weight, band)
    fig, (ax, axb) = style.new_figure(ncols=2, figsize=(9.6, 4.4), width_ratios=(2.3, 1.0), sharey=True)
    order = np.argsort(weight)
    edges = np.quantile(weight, np.linspace(0, 1, 11))
    mids = 0.5 * (edges[:-1] + edges[1:])
    data = []
    for key, colour in zip(keys, _PAIR_COLOURS):
        y = metric_values(key, metric)
        ax.scatter(weight, y, s=6, color=colour, alpha=0.25, lw=0, rasterized=True)
        idx = np.clip(np.searchsorted(edges, weight[order], side="right") - 1, 0, 9)
        med = [np.median(y[order][idx == i]) for i in range(10)]
        ax.plot(mids, med, color=colour, lw=2.4, label=REGIMENS[key].label)
        data.append(y[mask])
    lo, hi = BANDS[band]
    if band != "all":
        ax.axvspan(max(lo, weight.min() - 5), min(hi, weight.max() + 5), color=style.GREY_LIGHT, alpha=0.6, lw=0,
                   zorder=0)
    ax.set_xlim(weight.min() - 3, weight.max() + 3)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(t("mid_weight_axis", lang))
    ax.set_ylabel(t(f"mid_metric_{metric}", lang))
    ax.legend(loc="upper right")
    n_band = int(mask.sum())
    if n_band:
        bp = axb.boxplot(data, whis=(5, 95), widths=0.55, showfliers=False, patch_artist=True,
                         medianprops={"color": style.BLACK, "lw": 1.6})
        for patch, colour in zip(bp["boxes"], _PAIR_COLOURS):
            patch.set_facecolor(colour)
            patch.set_alpha(0.45)
    axb.set_xticks([1, 2], [REGIMENS[k].label for k in keys], fontsize=style.TINY_SIZE)
    axb.set_title(t("mid_band_panel", lang, band=t(f"mid_band_{band}", lang), n=n_band), loc="left",
                  fontsize=style.SMALL_SIZE)
    axb.grid(axis="x", visible=False)
    fig.suptitle(t("mid_ew_title", lang, drug=t(f"mid_drug_{drug}", lang), n=N_PATIENTS, seed=SEED), x=0.01,
                 ha="left", fontsize=style.TITLE_SIZE)
    return fig


def band_summary(pair: str, metric: str, band: str) -> dict[str, float]:
    """Median, 5th and 95th percentiles of both regimens of ``pair`` within ``band``, and the percent difference
    of their geometric means (new vs reference); NaN when the band holds no patient.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS` (new regimen, reference regimen).
    metric : {"cavg", "cmin", "cmax"}
        Steady-state exposure metric (:data:`METRICS`).
    band : str
        A body-weight band, a key of :data:`BANDS`.

    Returns
    -------
    dict
        ``n`` (patients in the band); ``new_p5``, ``new_med``, ``new_p95`` and ``ref_p5``, ``ref_med``,
        ``ref_p95``; and ``pct``, the percent difference of the geometric means.
    """
    keys = PAIRS[_check_key(pair, "pair", PAIRS)]
    weight = np.asarray(population(REGIMENS[keys[0]].drug).covariates["WT"])
    mask = _band_mask(weight, band)
    out: dict[str, float] = {"n": int(mask.sum())}
    vals = [metric_values(k, metric)[mask] for k in keys]
    for tag, v in zip(("new", "ref"), vals):
        q = np.percentile(v, [5, 50, 95]) if v.size else [math.nan] * 3
        out.update({f"{tag}_p5": float(q[0]), f"{tag}_med": float(q[1]), f"{tag}_p95": float(q[2])})
    out["pct"] = pct_difference(vals[0], vals[1]) if vals[0].size else math.nan
    return out


def band_text(pair: str = "pembro_flat", metric: str = "cavg", band: str = "all", lang: str = "en") -> str:
    """Two lines: median (5th-95th percentile) of the metric under each regimen within the band, and the percent
    difference of their geometric means.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS` (default ``"pembro_flat"``).
    metric : {"cavg", "cmin", "cmax"}
        Steady-state exposure metric (default ``"cavg"``).
    band : str
        A key of :data:`BANDS` (default ``"all"``).
    lang : {"en", "zh-tw"}
        Language of the text (default ``"en"``).

    Returns
    -------
    str
        The lines of :func:`band_summary` in words; a single sentence when the band holds no patient.

    Examples
    --------
    >>> "200 mg Q3W" in band_text()
    True
    """
    lang = check_lang(lang)
    keys = PAIRS[_check_key(pair, "pair", PAIRS)]
    s = band_summary(pair, metric, band)
    if not s["n"]:
        return t("mid_band_empty", lang)
    lines = [t("mid_band_line", lang, regimen=REGIMENS[k].label, med=f"{s[f'{tag}_med']:.1f}",
               p5=f"{s[f'{tag}_p5']:.1f}", p95=f"{s[f'{tag}_p95']:.1f}")
             for k, tag in zip(keys, ("new", "ref"))]
    lines.append(t("mid_band_diff", lang, metric=t(f"mid_metric_short_{metric}", lang), new=REGIMENS[keys[0]].label,
                   ref=REGIMENS[keys[1]].label, pct=f"{s['pct']:+.1f}", n=s["n"],
                   band=t(f"mid_band_{band}", lang)))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ widget
def _widget_text(lang: str, pair: str, metric: str, band: str) -> str:
    return band_text(pair, metric, band, lang)


def _widget_figure(lang: str, pair: str, metric: str, band: str) -> Figure:
    return exposure_weight_figure(pair, metric, band, lang)


def _widget_alt(lang: str, values: dict) -> str:
    pair, metric, band = values["pair"], values["metric"], values["band"]
    keys = PAIRS[pair]
    s = band_summary(pair, metric, band)
    return t("mid_widget_alt", lang, metric=t(f"mid_metric_{metric}", lang), new=REGIMENS[keys[0]].label,
             ref=REGIMENS[keys[1]].label, drug=t(f"mid_drug_{REGIMENS[keys[0]].drug}", lang), n=N_PATIENTS,
             seed=SEED, band=t(f"mid_band_{band}", lang), nb=s["n"], new_med=f"{s['new_med']:.1f}",
             ref_med=f"{s['ref_med']:.1f}", pct=f"{s['pct']:+.1f}")


widget = LiveWidget(
    "model_informed_dosing",
    controls=(
        Choice("pair", "mid_w_pair", tuple(PAIRS), value="pembro_q6w",
               option_label=lambda key, lang: t(f"mid_pair_{key}", lang)),
        Choice("metric", "mid_w_metric", METRICS, value="cmin",
               option_label=lambda key, lang: t(f"mid_metric_short_{key}", lang), buttons=True),
        Choice("band", "mid_w_band", tuple(BANDS), value="all",
               option_label=lambda key, lang: t(f"mid_band_{key}", lang)),
    ),
    parts=(Part(_widget_text, ("pair", "metric", "band")),
           Part(_widget_figure, ("pair", "metric", "band"), alt=_widget_alt)),
    columns=3,
)
"""A pair of regimens, a steady-state metric and a weight band in; :func:`band_text` and
:func:`exposure_weight_figure` out.  4 pairs x 3 metrics x 4 bands = 48 states per output; the exposures are
computed once per regimen (cached), so a redraw only plots.  It opens on the trough of 400 mg Q6W against
200 mg Q3W."""


# ------------------------------------------------------------------------------------------------ numbers
@lru_cache(maxsize=1)
def _numbers() -> dict[str, float | int]:
    pm = poppk.published_model(MODELS["pembrolizumab"])
    nm = poppk.published_model(MODELS["nivolumab"])
    cl_p, tau3 = pm.typical["cl"], 21.0
    theta_p = next(e.theta for e in pm.covariate_effects if e.parameter == "cl" and e.covariate == "WT")
    theta_n = next(e.theta for e in nm.covariate_effects if e.parameter == "cl" and e.covariate == "WT")
    wt_spec = pm.population["WT"]
    sigma_w = _lognormal_sigma(wt_spec["mean"], wt_spec["sd"])
    omega_cl = pm.omega_matrix[pm.eta_on["cl"], pm.eta_on["cl"]]
    wp = np.asarray(population("pembrolizumab").covariates["WT"])
    wn = np.asarray(population("nivolumab").covariates["WT"])
    ref_wt_p = pm.covariate_reference["WT"]
    mu_w = math.log(wt_spec["mean"]) - 0.5 * sigma_w ** 2

    cav = {k: steady_state(k).cavg for k in REGIMENS}
    cmin = {k: steady_state(k).ctrough for k in REGIMENS}
    cmax = {k: steady_state(k).cmax for k in REGIMENS}
    # weight share of log Cavg variance in the virtual population (regression R^2 on log WT)
    def r2(y: np.ndarray, w: np.ndarray) -> float:
        return float(np.corrcoef(np.log(w), np.log(y))[0, 1] ** 2)

    nfm = {k: first_month(k) for k in ("nivo_3q2w", "nivo_480q4w")}
    p5_2q3w = float(np.percentile(cmin["pembro_2q3w"], 5))
    p5_2q3w_cavg = float(np.percentile(cav["pembro_2q3w"], 5))
    out: dict[str, float | int] = {
        "mid_n": N_PATIENTS, "mid_seed": SEED,
        # typical patient, closed forms
        "mid_cl_pembro": cl_p, "mid_theta_pembro": theta_p, "mid_theta_nivo": theta_n,
        "mid_theta_freshwater": PUBLISHED["cl_weight_exponent"],
        "mid_ref_wt_pembro": ref_wt_p, "mid_ref_wt_nivo": nm.covariate_reference["WT"],
        "mid_cavg_typ_200q3w": 200.0 / (cl_p * tau3),
        "mid_cavg_typ_2q3w": 2.0 * ref_wt_p / (cl_p * tau3),
        "mid_cross_wt_pembro": 200.0 / 2.0,
        "mid_cross_wt_nivo_q4w": 480.0 / 28.0 * 14.0 / 3.0,
        "mid_cross_wt_nivo_flat": 240.0 / 3.0,
        "mid_p_over100_lognormal": 100.0 * (1.0 - 0.5 * (1.0 + math.erf((math.log(100.0) - mu_w)
                                                                         / (sigma_w * math.sqrt(2.0))))),
        "mid_p_over100_sim": 100.0 * float(np.mean(wp >= 100.0)),
        "mid_wt_mean_pembro": wt_spec["mean"], "mid_wt_sd_pembro": wt_spec["sd"],
        "mid_wt_p5": float(np.percentile(wp, 5)), "mid_wt_p95": float(np.percentile(wp, 95)),
        "mid_sigma_logwt": sigma_w, "mid_omega_cl_pembro": float(omega_cl),
        "mid_share_flat": 100.0 * weight_variance_share(theta_p, sigma_w, omega_cl, per_kg=False),
        "mid_share_perkg": 100.0 * weight_variance_share(theta_p, sigma_w, omega_cl, per_kg=True),
        "mid_share_flat_sim": 100.0 * r2(cav["pembro_200q3w"], wp),
        "mid_share_perkg_sim": 100.0 * r2(cav["pembro_2q3w"], wp),
        # pembrolizumab population, steady state
        "mid_gm_cavg_200q3w": geometric_mean(cav["pembro_200q3w"]),
        "mid_gm_cavg_2q3w": geometric_mean(cav["pembro_2q3w"]),
        "mid_gm_cmin_200q3w": geometric_mean(cmin["pembro_200q3w"]),
        "mid_gm_cmin_2q3w": geometric_mean(cmin["pembro_2q3w"]),
        "mid_gm_cmin_400q6w": geometric_mean(cmin["pembro_400q6w"]),
        "mid_gm_cmax_400q6w": geometric_mean(cmax["pembro_400q6w"]),
        "mid_gm_cmax_200q3w": geometric_mean(cmax["pembro_200q3w"]),
        "mid_gm_cmax_10q2w": geometric_mean(cmax["pembro_10q2w"]),
        "mid_cv_cavg_200q3w": 100.0 * float(np.std(cav["pembro_200q3w"]) / np.mean(cav["pembro_200q3w"])),
        "mid_cv_cavg_2q3w": 100.0 * float(np.std(cav["pembro_2q3w"]) / np.mean(cav["pembro_2q3w"])),
        "mid_flat_vs_perkg_pct": pct_difference(cav["pembro_200q3w"], cav["pembro_2q3w"]),
        "mid_auc6w_200q3w": float(np.mean(cav["pembro_200q3w"] * 42.0)) / 1000.0,
        "mid_auc6w_2q3w": float(np.mean(cav["pembro_2q3w"] * 42.0)) / 1000.0,
        "mid_auc_ratio_course": float(np.mean(cav["pembro_200q3w"]) / np.mean(cav["pembro_2q3w"])),
        "mid_auc_ratio_published": PUBLISHED["auc6w_200q3w"] / PUBLISHED["auc6w_2q3w"],
        "mid_auc_excess_pct": 100.0 * (float(np.mean(cav["pembro_200q3w"] * 42.0)) / 1000.0
                                       / PUBLISHED["auc6w_200q3w"] - 1.0),
        "mid_q6w_cavg_pct": pct_difference(cav["pembro_400q6w"], cav["pembro_200q3w"]),
        "mid_q6w_cmin_pct": pct_difference(cmin["pembro_400q6w"], cmin["pembro_200q3w"]),
        "mid_q6w_cmin_vs_2q3w_pct": pct_difference(cmin["pembro_400q6w"], cmin["pembro_2q3w"]),
        "mid_q6w_cmax_pct": pct_difference(cmax["pembro_400q6w"], cmax["pembro_200q3w"]),
        "mid_q6w_cmax_vs_10q2w_pct": pct_difference(cmax["pembro_400q6w"], cmax["pembro_10q2w"]),
        "mid_q6w_below_p5_pct": 100.0 * float(np.mean(cmin["pembro_400q6w"] < p5_2q3w)),
        "mid_p5_cmin_2q3w": p5_2q3w,
        "mid_q6w_cavg_below_p5_pct": 100.0 * float(np.mean(cav["pembro_400q6w"] < p5_2q3w_cavg)),
        "mid_max_cmax_400q6w": float(cmax["pembro_400q6w"].max()),
        "mid_p5_cmax_10q2w": float(np.percentile(cmax["pembro_10q2w"], 5)),
        # exercise: a hypothetical 800 mg Q12W
        "mid_q12w_cavg_pct": pct_difference(cav["pembro_800q12w"], cav["pembro_200q3w"]),
        "mid_gm_cmin_800q12w": geometric_mean(cmin["pembro_800q12w"]),
        "mid_q12w_cmin_vs_2q3w_pct": pct_difference(cmin["pembro_800q12w"], cmin["pembro_2q3w"]),
        "mid_q12w_below_p5_pct": 100.0 * float(np.mean(cmin["pembro_800q12w"] < p5_2q3w)),
        "mid_gm_cmax_800q12w": geometric_mean(cmax["pembro_800q12w"]),
        "mid_q12w_cmax_vs_10q2w_pct": pct_difference(cmax["pembro_800q12w"], cmax["pembro_10q2w"]),
        # nivolumab
        "mid_nivo_cl0": nm.typical["cl"], "mid_nivo_emax": nm.typical["emax"],
        "mid_nivo_cl_fall_pct": 100.0 * (1.0 - math.exp(nm.typical["emax"])),
        "mid_nivo_t50": nm.typical["t50"],
        "mid_wt_mean_nivo": float(np.mean(wn)),
        "mid_gm_wt_nivo": geometric_mean(wn), "mid_gm_wt_pembro": geometric_mean(wp),
        "mid_nivo_implied_gm_wt": 80.0 / (1.0 + PUBLISHED["nivo_cavgss_pct"] / 100.0),
        "mid_nivo_cavg28_pct": pct_difference(nfm["nivo_480q4w"]["cavg28"], nfm["nivo_3q2w"]["cavg28"]),
        "mid_nivo_cavgss_pct": pct_difference(cav["nivo_480q4w"], cav["nivo_3q2w"]),
        "mid_nivo_cmax1_pct": pct_difference(nfm["nivo_480q4w"]["cmax1"], nfm["nivo_3q2w"]["cmax1"]),
        "mid_nivo_cmin28_pct": pct_difference(nfm["nivo_480q4w"]["cmin28"], nfm["nivo_3q2w"]["cmin28"]),
        "mid_nivo_flat_cavgss_pct": pct_difference(cav["nivo_240q2w"], cav["nivo_3q2w"]),
        "mid_nivo_cmaxss_vs_10q2w_pct": pct_difference(cmax["nivo_480q4w"], cmax["nivo_10q2w"]),
        "mid_nivo_cavgss_50kg_pct": 100.0 * (480.0 / (6.0 * 50.0) - 1.0),
        "mid_nivo_cavgss_120kg_pct": 100.0 * (480.0 / (6.0 * 120.0) - 1.0),
        "mid_nivo_n_published": PUBLISHED["nivo_n"],
    }
    for key in ("nivo_cavg28_pct", "nivo_cavgss_pct", "nivo_cmax1_pct", "nivo_cmin28_pct"):
        out[f"mid_pub_{key}"] = PUBLISHED[key]
    out["mid_pub_auc6w_200q3w"] = PUBLISHED["auc6w_200q3w"]
    out["mid_pub_auc6w_2q3w"] = PUBLISHED["auc6w_2q3w"]
    return out


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_model_informed_dosing.py``).

    Examples
    --------
    >>> round(numbers()["mid_cavg_typ_200q3w"], 1), numbers()["mid_cross_wt_pembro"]
    (43.3, 100.0)
    """
    return dict(_numbers())
