"""Figures, tables, widget and numbers of the chapter "Choosing among several doses: MCP-Mod"
(``register/choosing-among-doses``).

The science is in :mod:`dosecourse.dose_response` (candidate shapes, optimal contrasts, the multiple contrast
test with its multivariate-t critical value, power, fits, the target dose, simulated MCP-Mod trials).  This
module holds the chapter's example and shows it, in the reader's language:

* the worked case: the ``IBScovars`` data shipped with DoseFinding (a randomized, placebo-controlled
  dose-ranging trial in irritable bowel syndrome, 369 patients, doses blinded as 0-4), analysed with the
  chapter's candidate shapes :data:`CANDIDATES` and target effect :data:`DELTA` (:func:`analysis`,
  :func:`dunnett`, :func:`arm_table`, :func:`fit_figure`);
* the planning question: the power of MCP-Mod, of Dunnett's many-to-one test and of the top dose against
  placebo alone, by patients per arm, for a trial like it (:func:`power_table`, :func:`power_figure`), and the
  spread of the estimated target dose over seeded simulated trials (:func:`simulate`, :func:`td_figure`);
* :data:`widget`: the true shape and the patients per arm in; the powers and the target-dose distribution out;
* :func:`numbers`: every number the prose glues.

References
----------
Bretz F, Pinheiro JC, Branson M. Combining multiple comparisons and modeling techniques in dose-response
studies. Biometrics. 2005;61(3):738-748. doi:10.1111/j.1541-0420.2005.00344.x
Pinheiro J, Bornkamp B, Glimm E, Bretz F. Model-based dose finding under model uncertainty using general
parametric models. Stat Med. 2014;33(10):1646-1661. doi:10.1002/sim.6052
Biesheuvel E, Hothorn LA. Many-to-one comparisons in stratified designs. Biom J. 2002;44(1):101-116.
doi:10.1002/1521-4036(200201)44:1<101::AID-BIMJ101>3.0.CO;2-L
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from .. import _validate, data
from .. import dose_response as dr
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

DOSES: tuple[float, ...] = (0.0, 1.0, 2.0, 3.0, 4.0)
"""Doses of the trial, blinded as 0 (placebo) to 4."""

CANDIDATES: Mapping[str, object] = MappingProxyType({"linear": None, "emax": 0.5, "sigEmax": (2.0, 4.0),
                                                    "exponential": 2.0})
"""The chapter's candidate shapes and their guesstimates (DoseFinding ``Mods``): a straight line, a plateau
(ED50 0.5), an S-shape (ED50 2, Hill 4) and a convex curve (delta 2).  Chosen for this course, not by the
trial's investigators."""

SHAPES: tuple[str, ...] = tuple(CANDIDATES)
"""The shapes, as labelled in the analysis."""

DELTA = 0.25
"""Effect over placebo that defines the target dose (pain-score units; a choice made for this course)."""

ALPHA = 0.025
"""One-sided level of every test."""

SIGMA = 0.76
"""Residual SD assumed when planning (the trial's pooled SD, 0.763, rounded)."""

MAX_EFFECT = 0.35
"""Effect at the top dose assumed when planning (the trial's top-dose difference, 0.348, rounded)."""

N_PLAN = 75
"""Patients per arm of the planned trial in the text (about the trial's arms, 71 to 78)."""

N_GRID: tuple[int, ...] = (10, 20, 30, 40, 50, 60, 75, 90, 110, 130, 150)
"""Patients per arm of the power curves."""

N_TRIALS = 1000
"""Simulated trials per scenario (Monte Carlo SE of a share at most 1.6 percentage points)."""

SEED = 2025
"""Seed of every simulation (common random numbers across scenarios)."""

_METHOD_COLOURS = {"mcp": style.BLUE, "dunnett": style.VERMILLION, "top": style.GREY_DARK}
_SHAPE_COLOURS = {"linear": style.GREY_DARK, "emax": style.BLUE, "sigEmax": style.GREEN,
                  "exponential": style.ORANGE}


# ------------------------------------------------------------------------------------------------ the case
def trial_data() -> tuple[np.ndarray, np.ndarray]:
    """Dose and response of each of the 369 patients of ``IBScovars`` (:mod:`dosecourse.data`)."""
    d = data.load("dosefinding_ibscovars")
    return np.asarray(d["dose"], dtype=float), np.asarray(d["resp"], dtype=float)


def candidate_models(max_effect: float = 1.0) -> dr.CandidateModels:
    """:data:`CANDIDATES` on :data:`DOSES` (placebo effect 0, effect ``max_effect`` at the top dose).

    Parameters
    ----------
    max_effect : float
        Effect over placebo at the top dose, in pain-score units (default 1: the standardised shapes of the
        analysis; :data:`MAX_EFFECT` for planning).

    Returns
    -------
    dosecourse.dose_response.CandidateModels
    """
    return dr.candidate_models(dict(CANDIDATES), DOSES, max_effect=max_effect)


@lru_cache(maxsize=4)
def analysis(selection: str = "AIC") -> dr.MCPModResult:
    """MCP-Mod on the trial: contrast test, fits, selection by AIC (or ``"aveAIC"``) and TD for :data:`DELTA`."""
    dose, resp = trial_data()
    return dr.mcpmod(dose, resp, candidate_models(), delta=DELTA, selection=selection, alpha=ALPHA)


@lru_cache(maxsize=1)
def critical_value() -> float:
    """The multivariate-t critical value of the trial's contrast test (:func:`dosecourse.dose_response.critical_value`).

    Returns
    -------
    float
    """
    res = analysis().test
    return dr.critical_value(res.correlation, ALPHA, res.df)


@lru_cache(maxsize=1)
def dunnett():
    """Dunnett's test of each dose against placebo on the trial (``scipy.stats.dunnett``, one-sided)."""
    dose, resp = trial_data()
    groups = [resp[dose == d] for d in DOSES[1:]]
    return stats.dunnett(*groups, control=resp[dose == 0], alternative="greater",
                         random_state=np.random.default_rng(SEED))


def arm_table(lang: str = "en") -> pd.DataFrame:
    """One row per arm: patients, mean, SD, difference to placebo and Dunnett's adjusted one-sided p-value.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the column names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        One row per dose of :data:`DOSES`; the difference and p-value are None for placebo.
    """
    lang = check_lang(lang)
    dose, resp = trial_data()
    res = dunnett()
    rows = []
    placebo = resp[dose == 0].mean()
    for i, d in enumerate(DOSES):
        y = resp[dose == d]
        rows.append({t("cad_col_dose", lang): int(d), t("cad_col_n", lang): int(y.size),
                     t("cad_col_mean", lang): float(y.mean()), t("cad_col_sd", lang): float(y.std(ddof=1)),
                     t("cad_col_diff", lang): float(y.mean() - placebo) if i else None,
                     t("cad_col_dunnett", lang): float(res.pvalue[i - 1]) if i else None})
    return pd.DataFrame(rows)


def fit_table(lang: str = "en") -> pd.DataFrame:
    """The fitted models of the analysis: AIC, AIC weight, target dose and its delta-method SE.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the column names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        :meth:`dosecourse.dose_response.MCPModResult.to_frame` of the AIC analysis, with the weight column
        replaced by the model-averaging (``"aveAIC"``) weights.
    """
    sel, ave = analysis(), analysis("aveAIC")
    frame = sel.to_frame(lang)
    frame[frame.columns[2]] = [ave.weights.get(m, 0.0) for m in sel.fits]
    return frame


@style.course_figure
def fit_figure(lang: str = "en") -> Figure:
    """Arm means with 95% confidence intervals, the fitted curves of the significant shapes and the target dose.

    The selected model (smallest AIC) is drawn bold; a dashed line marks placebo + :data:`DELTA` and a vertical
    line the selected model's target dose; the model-averaged target dose is a second, dotted vertical line.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label in the figure (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    dose, resp = trial_data()
    sel, ave = analysis(), analysis("aveAIC")
    fig, ax = style.new_figure(figsize=(7.4, 4.4))
    grid = np.linspace(0, DOSES[-1], 201)
    for m, fit in sel.fits.items():
        bold = m == sel.selected
        ax.plot(grid, fit.predict(grid), color=_SHAPE_COLOURS[m], lw=2.4 if bold else 1.3,
                ls="-" if bold else "--", label=t("cad_fit_label", lang, model=m,
                                                    aic=f"{sel.criteria[m]:.1f}"), zorder=3 if bold else 2)
    means = np.array([resp[dose == d].mean() for d in DOSES])
    se = np.array([resp[dose == d].std(ddof=1) / math.sqrt(np.sum(dose == d)) for d in DOSES])
    q = stats.t.ppf(0.975, np.array([np.sum(dose == d) - 1 for d in DOSES]))
    ax.errorbar(DOSES, means, yerr=q * se, fmt="s", color=style.BLACK, ms=6, capsize=4, zorder=4,
                label=t("cad_means_label", lang))
    e0 = sel.fits[sel.selected].predict([0.0])[0]
    ax.axhline(e0 + DELTA, color=style.VERMILLION, lw=1.0, ls="--")
    ax.text(DOSES[-1], e0 + DELTA, t("cad_delta_text", lang, delta=f"{DELTA:g}"), ha="right", va="bottom",
            color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    ax.axvline(sel.dose_estimate, color=style.VERMILLION, lw=1.6)
    ax.axvline(ave.dose_estimate, color=style.PURPLE, lw=1.4, ls=":")
    trans = ax.get_xaxis_transform()
    ax.text(sel.dose_estimate, 0.02, t("cad_td_text", lang, td=f"{sel.dose_estimate:.2f}"), transform=trans,
            rotation=90, ha="right", va="bottom", color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    ax.text(ave.dose_estimate, 0.02, t("cad_td_ave_text", lang, td=f"{ave.dose_estimate:.2f}"), transform=trans,
            rotation=90, ha="right", va="bottom", color=style.PURPLE, fontsize=style.SMALL_SIZE)
    ax.set_xticks(DOSES)
    ax.set_xlabel(t("cad_dose_axis", lang))
    ax.set_ylabel(t("cad_response_axis", lang))
    ax.set_title(t("cad_fit_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


# ------------------------------------------------------------------------------------------------ planning
def _alternatives() -> dr.CandidateModels:
    return candidate_models(MAX_EFFECT)


def true_target_dose(shape: str) -> float | None:
    """Target dose (effect :data:`DELTA`) of the planning shape ``shape`` (top-dose effect :data:`MAX_EFFECT`).

    Parameters
    ----------
    shape : str
        One of :data:`SHAPES`.

    Returns
    -------
    float or None
        None when the shape never reaches :data:`DELTA`.
    """
    _validate.one_of(shape, "shape", SHAPES)
    return _alternatives().target_dose(DELTA)[shape]


@lru_cache(maxsize=64)
def powers(n: int) -> dict[str, np.ndarray]:
    """Exact power with ``n`` patients per arm under every planning shape, for the three tests.

    ``"mcp"``: the MCP-Mod contrast test (optimal contrasts of :data:`CANDIDATES`); ``"dunnett"``: Dunnett's
    single-step test of the four doses against placebo (at least one significant); ``"top"``: the top dose against
    placebo alone (pooled variance, no multiplicity).  All by :func:`dosecourse.dose_response.power_mct` at one-sided
    :data:`ALPHA` with :data:`SIGMA`, at the critical values that :func:`simulate` uses; each array follows
    :data:`SHAPES`.
    """
    nn = _validate.integer(n, "n", minimum=2, maximum=_validate.MAX_PATIENTS)
    alt = _alternatives()
    return {key: dr.power_mct(c, alt, n=nn, sigma=SIGMA, alpha=ALPHA, critical=_critical(nn, key)).power
            for key, c in _tests().items()}


@lru_cache(maxsize=1)
def _tests() -> dict[str, dr.OptimalContrasts]:
    """The contrasts of the three planned tests: MCP-Mod, Dunnett, the top dose alone."""
    many = dr.many_to_one_contrasts(DOSES)
    top = dr.OptimalContrasts(doses=np.array(DOSES), labels=("top",), contrasts=many.contrasts[:, -1:],
                              means=np.zeros((len(DOSES), 1)), correlation=np.ones((1, 1)))
    return {"mcp": dr.optimal_contrasts(candidate_models()), "dunnett": many, "top": top}


@lru_cache(maxsize=256)
def _critical(n: int, test: str = "mcp") -> float:
    """Critical value of ``test`` with ``n`` patients per arm (df 5(n - 1)), shared by :func:`powers` and
    :func:`simulate`; the contrasts' correlation does not depend on ``n`` (equal arms), so after the first size
    each costs a root search on the tabulated normal maximum (:func:`dosecourse.dose_response.critical_value`)."""
    return dr.critical_value(_tests()[test].correlation, ALPHA, len(DOSES) * (n - 1))


def power_table(n_values: tuple[int, ...] = (20, 50, N_PLAN), lang: str = "en") -> pd.DataFrame:
    """Power of the three tests by true shape and patients per arm (one row per shape and n).

    Parameters
    ----------
    n_values : tuple of int
        Patients per arm (each 2 to :data:`dosecourse._validate.MAX_PATIENTS`; default 20, 50 and
        :data:`N_PLAN`).
    lang : {"en", "zh-tw"}
        Language of the column names (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Columns: shape, patients per arm, and the power of MCP-Mod, of Dunnett's test and of the top dose
        against placebo (:func:`powers`).
    """
    lang = check_lang(lang)
    rows = []
    for shape_i, shape in enumerate(SHAPES):
        for n in n_values:
            p = powers(n)
            rows.append({t("cad_col_shape", lang): shape, t("cad_col_n_arm", lang): n,
                         t("cad_col_mcp", lang): float(p["mcp"][shape_i]),
                         t("cad_col_dunnett_power", lang): float(p["dunnett"][shape_i]),
                         t("cad_col_top", lang): float(p["top"][shape_i])})
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def sample_size() -> dr.SampleSize:
    """Patients per arm for MCP-Mod power of at least 80% under every planning shape (``summary="min"``)."""
    return dr.sample_size_mct(dr.optimal_contrasts(candidate_models()), _alternatives(), sigma=SIGMA, power=0.8,
                              alpha=ALPHA, summary="min")


@style.course_figure
def power_figure(shape: str = "emax", n: int = N_PLAN, lang: str = "en") -> Figure:
    """Power against patients per arm under the true shape ``shape``: MCP-Mod, Dunnett and the top dose alone.

    The left panel shows the true shape (the means at the doses); the right panel the three power curves on
    :data:`N_GRID`, with the values at ``n`` marked.

    Parameters
    ----------
    shape : str
        True shape, one of :data:`SHAPES` (default ``"emax"``).
    n : int
        Patients per arm to mark (default :data:`N_PLAN`).
    lang : {"en", "zh-tw"}
        Language of every label in the figure (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _validate.one_of(shape, "shape", SHAPES)
    j = SHAPES.index(shape)
    alt = _alternatives()
    fig, (ax0, ax) = style.new_figure(ncols=2, figsize=(7.6, 3.9), gridspec_kw={"width_ratios": [1, 2.1]})
    grid = np.linspace(0, DOSES[-1], 101)
    for i, s in enumerate(SHAPES):
        ax0.plot(grid, alt.mean(grid)[:, i], color=_SHAPE_COLOURS[s], lw=2.2 if s == shape else 0.8,
                 alpha=1.0 if s == shape else 0.45)
    ax0.plot(DOSES, alt.mean()[:, j], "o", color=_SHAPE_COLOURS[shape], ms=5)
    ax0.axhline(DELTA, color=style.VERMILLION, lw=0.9, ls="--")
    ax0.set_xticks(DOSES)
    ax0.set_yticks(np.arange(0.0, MAX_EFFECT + 1e-9, 0.1))  # few tick labels: each is a text to lay out and draw
    ax0.set_xlabel(t("cad_dose_axis", lang))
    ax0.set_ylabel(t("cad_effect_axis", lang))
    ax0.set_title(t("cad_shape_title", lang, shape=shape), loc="left", fontsize=style.FONT_SIZE)
    ns = np.array(N_GRID + ((n,) if n not in N_GRID else ()))
    ns.sort()
    for key in ("mcp", "dunnett", "top"):
        ys = np.array([powers(int(m))[key][j] for m in ns])
        ax.plot(ns, 100 * ys, color=_METHOD_COLOURS[key], lw=2.0 if key == "mcp" else 1.5,
                ls="-" if key == "mcp" else ("--" if key == "dunnett" else ":"),
                label=t(f"cad_method_{key}", lang))
        y_n = 100 * powers(int(n))[key][j]
        ax.plot([n], [y_n], "o", color=_METHOD_COLOURS[key], ms=6, zorder=4)
    ax.axhline(80, color=style.GREY, lw=0.8, ls=":")
    ax.axvline(n, color=style.GREY, lw=0.8)
    p_n = powers(int(n))
    ax.text(0.98, 0.04, t("cad_power_box", lang, n=n, mcp=f"{100 * p_n['mcp'][j]:.0f}",
                          dunnett=f"{100 * p_n['dunnett'][j]:.0f}", top=f"{100 * p_n['top'][j]:.0f}"),
            transform=ax.transAxes, ha="right", va="bottom", fontsize=style.SMALL_SIZE,
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": style.GREY_LIGHT})
    ax.set_ylim(0, 100)
    ax.set_xlim(0, max(ns) + 5)
    ax.set_xticks(np.arange(0, max(ns) + 1, 50))
    ax.set_xlabel(t("cad_n_axis", lang))
    ax.set_ylabel(t("cad_power_axis", lang))
    ax.set_title(t("cad_power_title", lang, sigma=f"{SIGMA:g}", eff=f"{MAX_EFFECT:g}"), loc="left",
                 fontsize=style.FONT_SIZE)
    fig.legend(loc="outside lower center", ncols=3)
    return fig


@lru_cache(maxsize=64)
def _cached_simulation(shape: str, n: int, n_trials: int, seed: int) -> dr.MCPModSimulation:
    j = SHAPES.index(shape)
    crit = _critical(n) if n_trials == N_TRIALS else None
    return dr.simulate_mcpmod(candidate_models(), _alternatives().mean()[:, j], n=n, sigma=SIGMA, delta=DELTA,
                              alpha=ALPHA, n_trials=n_trials, seed=seed, critical=crit)


def simulate(shape: str = "emax", n: int = N_PLAN, *, n_trials: int = N_TRIALS,
             seed: int = SEED) -> dr.MCPModSimulation:
    """Simulated trials with ``n`` patients per arm under the planning shape ``shape``, analysed by MCP-Mod.

    :func:`dosecourse.dose_response.simulate_mcpmod` with :data:`CANDIDATES`, :data:`SIGMA`, :data:`DELTA` and
    top-dose effect :data:`MAX_EFFECT`; cached by its arguments.

    Parameters
    ----------
    shape : str, default "emax"
        True shape, one of :data:`SHAPES`.
    n : int, default 75
        Patients per arm.
    n_trials : int, default 1000
        Simulated trials.
    seed : int, default 2025
        Seed.

    Returns
    -------
    dosecourse.dose_response.MCPModSimulation

    Examples
    --------
    >>> sim = simulate("emax", 75)
    >>> sim.n_trials, sim.seed
    (1000, 2025)
    """
    return _cached_simulation(_validate.one_of(shape, "shape", SHAPES),
                              _validate.integer(n, "n", minimum=2, maximum=_validate.MAX_PATIENTS),
                              _validate.n_trials(n_trials), _validate.integer(seed, "seed", minimum=0))


def _td_bins() -> np.ndarray:
    return np.linspace(0.0, 4.4, 45)


@style.course_figure
def td_figure(shape: str = "emax", n: int = N_PLAN, lang: str = "en") -> Figure:
    """Histogram of the estimated target dose over simulated trials, with the true target dose.

    Trials whose test was not significant, or whose selected fit never reaches :data:`DELTA`, have no estimate;
    estimates above 4.4 are drawn in the last bin (beyond the highest dose).

    Parameters
    ----------
    shape : str
        True shape, one of :data:`SHAPES` (default ``"emax"``).
    n : int
        Patients per arm of the simulated trials (default :data:`N_PLAN`).
    lang : {"en", "zh-tw"}
        Language of every label in the figure (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    sim = simulate(shape, n)
    true = true_target_dose(shape)
    bins = _td_bins()
    est = sim.dose_estimate[np.isfinite(sim.dose_estimate)]
    fig, ax = style.new_figure(figsize=(7.4, 3.6))
    counts, _ = np.histogram(np.clip(est, 0, bins[-1] - 1e-9), bins=bins)
    ax.stairs(100.0 * counts / sim.n_trials, bins, fill=True, color=style.GREY_DARK, alpha=0.85, lw=0, zorder=3)
    if true is not None:
        ax.axvline(true, color=style.VERMILLION, lw=1.8, zorder=4)
        ax.text(true, 0.97, t("cad_true_td", lang, td=f"{true:.2f}"), transform=ax.get_xaxis_transform(),
                rotation=90, ha="right", va="top", color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    q = sim.quantiles((0.1, 0.5, 0.9))
    right = true is None or true < bins[-1] / 2  # the summary on the side away from the true TD's label
    ax.text(0.99 if right else 0.01, 0.97, t("cad_td_summary", lang, power=f"{100 * sim.power:.1f}",
                                             reached=f"{100 * sim.reached:.1f}", med=f"{q[0 + 1]:.2f}",
                                             lo=f"{q[0]:.2f}", hi=f"{q[2]:.2f}"),
            transform=ax.transAxes, ha="right" if right else "left", va="top", fontsize=style.SMALL_SIZE,
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": style.GREY_LIGHT})
    ax.set_xticks(DOSES)
    ax.set_xlim(0, bins[-1])
    ax.set_ylim(0, ax.get_ylim()[1] * 1.6)  # room above the bars for the label and the summary
    ax.set_xlabel(t("cad_td_axis", lang, delta=f"{DELTA:g}"))
    ax.set_ylabel(t("cad_pct_trials", lang))
    ax.set_title(t("cad_td_title", lang, shape=shape, n=n, trials=sim.n_trials, seed=sim.seed), loc="left",
                 fontsize=style.FONT_SIZE)
    return fig


def powers_text(shape: str = "emax", n: int = N_PLAN, lang: str = "en") -> str:
    """One line: the exact powers of the three tests and the simulated share of significant trials.

    Parameters
    ----------
    shape : str
        True shape, one of :data:`SHAPES` (default ``"emax"``).
    n : int
        Patients per arm (default :data:`N_PLAN`).
    lang : {"en", "zh-tw"}
        Language of the text (default ``"en"``).

    Returns
    -------
    str
    """
    lang = check_lang(lang)
    j = SHAPES.index(_validate.one_of(shape, "shape", SHAPES))
    p = powers(n)
    sim = simulate(shape, n)
    return t("cad_powers_text", lang, shape=shape, n=n, mcp=f"{100 * p['mcp'][j]:.1f}",
             dunnett=f"{100 * p['dunnett'][j]:.1f}", top=f"{100 * p['top'][j]:.1f}",
             sim=f"{100 * sim.power:.1f}", trials=sim.n_trials, seed=sim.seed)


# ------------------------------------------------------------------------------------------------ widget
def _widget_alt(lang: str, values: dict) -> str:
    shape, n = values["shape"], values["n"]
    sim = simulate(shape, n)
    q = sim.quantiles((0.1, 0.5, 0.9))
    true = true_target_dose(shape)
    return t("cad_widget_alt", lang, shape=shape, n=n, trials=sim.n_trials, seed=sim.seed,
             true="-" if true is None else f"{true:.2f}", med=f"{q[1]:.2f}", lo=f"{q[0]:.2f}", hi=f"{q[2]:.2f}",
             power=f"{100 * sim.power:.1f}")


def _power_alt(lang: str, values: dict) -> str:
    shape, n = values["shape"], values["n"]
    j = SHAPES.index(shape)
    p = powers(n)
    return t("cad_power_alt", lang, shape=shape, n=n, mcp=f"{100 * p['mcp'][j]:.0f}",
             dunnett=f"{100 * p['dunnett'][j]:.0f}", top=f"{100 * p['top'][j]:.0f}")


def _prepare() -> None:
    """Critical values and exact powers of the three tests for every size the Jupyter slider offers (29 sizes,
    what a redraw reuses: exact, and under 1 s when the widget opens); the simulated trials stay per redraw."""
    n = widget.control("n")
    for size in range(int(n.min), int(n.max) + 1, int(n.step)):
        powers(size)


widget = LiveWidget(
    "choosing_among_doses",
    controls=(
        Choice("shape", "cad_w_shape", SHAPES, value="emax",
               option_label=lambda key, lang: t(f"cad_shape_{key.lower()}", lang)),
        Slider("n", "cad_w_n", 10, 150, 5, value=N_PLAN, site=(20, 40, 60, 75, 100, 150)),
    ),
    parts=(Part(lambda lang, shape, n: powers_text(shape, n, lang), ("shape", "n")),
           Part(lambda lang, shape, n: power_figure(shape, n, lang), ("shape", "n"), alt=_power_alt),
           Part(lambda lang, shape, n: td_figure(shape, n, lang), ("shape", "n"), alt=_widget_alt)),
    columns=2,
    prepare=_prepare,
)
"""True planning shape and patients per arm in; :func:`powers_text`, :func:`power_figure` and :func:`td_figure`
out.  On the site: 4 shapes x 6 sizes = 24 states per output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int | str]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_choosing_among_doses.py``).

    Examples
    --------
    >>> numbers()["cad_n_total"]
    369
    """
    dose, resp = trial_data()
    arms = [resp[dose == d] for d in DOSES]
    pooled_ss = sum(float(((y - y.mean()) ** 2).sum()) for y in arms)
    df = dose.size - len(DOSES)
    sel, ave = analysis(), analysis("aveAIC")
    test = sel.test
    dun = dunnett()
    out: dict[str, float | int | str] = {
        "cad_n_total": int(dose.size), "cad_n_min": int(min(y.size for y in arms)),
        "cad_n_max": int(max(y.size for y in arms)), "cad_sd_pooled": math.sqrt(pooled_ss / df),
        "cad_mean_placebo": float(arms[0].mean()), "cad_delta": DELTA, "cad_alpha": ALPHA,
        "cad_crit": critical_value(), "cad_df": int(df),
        "cad_selected": sel.selected, "cad_td": sel.dose_estimate, "cad_td_ave": ave.dose_estimate,
        "cad_td_se": sel.fits[sel.selected].target_dose_se(DELTA),
        "cad_n_significant": len(test.significant),
        "cad_dunnett_n_sig": int(np.sum(dun.pvalue < ALPHA)),
        "cad_dunnett_crit": dr.critical_value(dr.many_to_one_contrasts(DOSES, weights=[y.size for y in arms])
                                              .correlation, ALPHA, df),
        "cad_sigma": SIGMA, "cad_max_effect": MAX_EFFECT, "cad_n_plan": N_PLAN,
        "cad_ss_n": int(sample_size().n[0]), "cad_ss_power": 100 * sample_size().power,
        "cad_trials": N_TRIALS, "cad_seed": SEED,
    }
    for i in range(1, len(DOSES)):
        out[f"cad_diff_{i}"] = float(arms[i].mean() - arms[0].mean())
        out[f"cad_dunnett_p_{i}"] = float(dun.pvalue[i - 1])
    for lab, tstat, p in zip(test.labels, test.t_stats, test.p_values):
        out[f"cad_t_{lab}"] = float(tstat)
        out[f"cad_p_{lab}"] = float(p)
    for m in sel.fits:
        out[f"cad_aic_{m}"] = float(sel.criteria[m])
        out[f"cad_w_{m}"] = float(ave.weights[m])
        out[f"cad_td_{m}"] = float(sel.dose_estimates[m])
    emax = sel.fits["emax"].coefs
    out.update({"cad_emax_e0": float(emax[0]), "cad_emax_emax": float(emax[1]), "cad_emax_ed50": float(emax[2]),
                "cad_emax_at1": float(emax[1] * 1 / (emax[2] + 1)),
                "cad_emax_share1": float(1 / (emax[2] + 1) / (DOSES[-1] / (emax[2] + DOSES[-1]))),
                "cad_ex1_td03": float(sel.fits["emax"].target_dose(0.3))})
    p = powers(N_PLAN)
    for j, shape in enumerate(SHAPES):
        out[f"cad_pow_mcp_{shape}"] = 100 * float(p["mcp"][j])
        out[f"cad_pow_dunnett_{shape}"] = 100 * float(p["dunnett"][j])
        out[f"cad_true_td_{shape}"] = float(true_target_dose(shape))
    out["cad_pow_top"] = 100 * float(p["top"][0])
    sim = simulate("emax", N_PLAN)
    q = sim.quantiles((0.1, 0.5, 0.9))
    shares = sim.selection_shares()
    out.update({"cad_sim_power": 100 * sim.power, "cad_sim_reached": 100 * sim.reached,
                "cad_sim_td_lo": float(q[0]), "cad_sim_td_med": float(q[1]), "cad_sim_td_hi": float(q[2]),
                "cad_sim_sel_emax": 100 * shares["emax"], "cad_sim_sel_linear": 100 * shares["linear"],
                "cad_sim_below1": 100 * float(np.mean(sim.dose_estimate[np.isfinite(sim.dose_estimate)] < 1.0)),
                "cad_sim_near0": 100 * float(np.mean(sim.dose_estimate < 0.1))})
    small = simulate("emax", 20)
    qs = small.quantiles((0.1, 0.5, 0.9))
    out.update({"cad_sim20_power": 100 * small.power, "cad_sim20_td_lo": float(qs[0]),
                "cad_sim20_td_hi": float(qs[2]), "cad_pow20_mcp_emax": 100 * float(powers(20)["mcp"][1])})
    return out
