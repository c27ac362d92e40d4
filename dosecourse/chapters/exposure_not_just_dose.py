"""Figures, widget and numbers of the chapter "Exposure, not just dose" (``start/exposure-not-just-dose``).

The science is in :mod:`dosecourse.pk` (allometric scaling, AUC and its inverse, the uncertainty of a scaled
clearance), :mod:`dosecourse.fih` (the MRSD and the ICH S9 start of the previous chapter) and
:mod:`dosecourse.dose_grid` (step schemes, the exposure ladder, step risk, patients below the active dose):

* :func:`exposure_ladder_figure`: the predicted human AUC at each level of an escalation ladder, against the
  efficacious exposure and the exposure at the animal NOAEL;
* :func:`step_risk_figure`: what one +33% or +100% step does on dose-response curves of different steepness;
* :func:`below_active_figure` and :func:`explain`: the simulated number of patients treated below the active dose
  and the risk of the step that crosses it, the two outputs of :data:`widget`;
* :data:`SOTORASIB`, :data:`SOTORASIB_ESCALATION_DOSES_MG`, :data:`SOTORASIB_PHASE1_N`: the real case, an
  escalation in milligrams whose exposure was reported to stop rising;
* :func:`numbers`: every number the prose glues.

The chapter's molecule (invented for teaching) is the small molecule of the previous chapter: rat PK 0.1 L/h and
0.5 L for 0.25 kg, oral bioavailability 0.5, NOAELs 50 mg/kg (rat) and 10 mg/kg (dog), AUC 60 mg*h/L at the rat
NOAEL and an efficacious AUC of 25 mg*h/L per day.

References
----------
Nakajima EC, et al. FDA Approval Summary: Sotorasib for KRAS G12C-Mutated Metastatic NSCLC. Clin Cancer Res.
2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074 (PMC9012672).
Hong DS, Fakih MG, Strickler JH, et al. KRAS G12C Inhibition with Sotorasib in Advanced Solid Tumors. N Engl J Med.
2020;383(13):1207-1217. doi:10.1056/NEJMoa1917239 (PMID 32955176).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from .. import _validate, dose_grid, fih, pk
from .. import expansion_cases as cases
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

# ------------------------------------------------------------------------------------------------ the example
RAT_WEIGHT_KG = 0.25
"""Body weight of the rat, kg."""
CL_RAT = 0.1
"""Rat clearance, L/h."""
V_RAT = 0.5
"""Rat volume of distribution, L."""
F_ORAL = 0.5
"""Oral bioavailability, assumed equal in rat and human."""
NOAEL_MG_PER_KG = {"rat": 50.0, "dog": 10.0}
"""NOAELs of the previous chapter (mg/kg/day), giving the dog-based MRSD."""
STD10_RAT_MG_PER_KG = 150.0
"""Rat STD10 of the previous chapter (mg/kg), for the ICH S9 start."""
HNSTD_DOG_MG_PER_KG = 30.0
"""Dog HNSTD of the previous chapter (mg/kg), for the ICH S9 start."""
AUC_NOAEL = 60.0
"""Rat toxicokinetics at the NOAEL: AUC0-24 on day 28, mg*h/L."""
AUC_TARGET = 25.0
"""Efficacious AUC per day from xenograft PK/PD, mg*h/L."""
EXPONENT_SD = 0.16
"""SD of the allometric exponent of clearance across 91 compounds (Hu & Hayton 2001: b = 0.74 +/- 0.16)."""

P_CURRENT = 0.10
"""Risk of the dose-related event at the current dose (or the last level below the active dose)."""
HILLS = (1.0, 2.0, 4.0)
"""Hill coefficients of the step-risk figure."""
STEPS = {"33": 1.33, "100": 2.0}
"""The two steps of the step-risk figure: +33% and +100%."""
HILL_STEEP = 4.0
"""The steep curve of the scheme comparison and the widget."""
P_LIMIT = 0.25
"""Highest acceptable risk at the next level (exercise 2)."""
DLT_RATE_EX3 = 0.10
"""DLT rate below the active dose in exercise 3."""

# ------------------------------------------------------------------------------------------------ the real case
SOTORASIB: cases.SingleDoseApproval = cases.SOTORASIB
"""Sotorasib's accelerated approval at 960 mg once daily: ORR 36% in 124 patients with NSCLC, 25-50% in the
escalation cohorts at 180-960 mg, and the 960 vs 240 mg comparison required after approval (Nakajima et al. 2022,
abstract and Table 4; read from ``dosecourse/data/expansion_cases.json``)."""
SOTORASIB_ESCALATION_DOSES_MG: tuple[float, ...] = (180.0, 360.0, 720.0, 960.0)
"""Once-daily doses of CodeBreaK 100's dose escalation (mg), as reported from Hong et al. 2020 (N Engl J Med
383:1207-1217, doi:10.1056/NEJMoa1917239); the primary text was not read, so the prose calls them reported. The
lowest and highest, 180 and 960 mg, are the range given in the FDA approval summary (Nakajima et al. 2022, Table 4)."""
SOTORASIB_PHASE1_N = 129
"""Patients in the phase 1 report (Hong et al. 2020; 59 with NSCLC, 42 with colorectal cancer, 28 with other
tumours), as reported; not confirmed in the primary text."""

SEED = 20250101
"""Seed of every simulation of the chapter."""
N_TRIALS = 10_000
"""Simulated trials per scheme."""

_SCHEME_COLOURS = dict(zip(dose_grid.SCHEMES, (style.VERMILLION, style.BLUE, style.GREEN)))
_LINE_STYLES = ("-", "--", "-.", ":")  # one per curve of the step-risk figure


@lru_cache(maxsize=1)
def _example() -> dict[str, float]:
    """The exposure numbers of the chapter's molecule, computed as the notebook's visible cells do."""
    human_weight_kg = fih.HUMAN_WEIGHT_KG
    cl_human = pk.scale_clearance(CL_RAT, RAT_WEIGHT_KG, human_weight_kg)
    v_human = pk.scale_volume(V_RAT, RAT_WEIGHT_KG, human_weight_kg)
    start_mg = fih.mrsd(NOAEL_MG_PER_KG).mrsd_mg()
    auc_start = pk.auc_inf(start_mg, cl_human, f=F_ORAL)
    target_mg = pk.dose_for_auc(AUC_TARGET, cl_human, f=F_ORAL)
    s9_mg = fih.s9_starting_dose(std10_rodent_mg_per_kg=STD10_RAT_MG_PER_KG,
                                 hnstd_nonrodent_mg_per_kg=HNSTD_DOG_MG_PER_KG, rodent="rat",
                                 nonrodent="dog").flat_dose_mg()
    return {"cl_human": cl_human, "v_human": v_human, "half_life": pk.half_life(cl_human, v_human),
            "start_mg": start_mg, "auc_start": auc_start, "target_mg": target_mg, "fold": target_mg / start_mg,
            "s9_mg": s9_mg, "s9_fold": target_mg / s9_mg, "s9_auc": pk.auc_inf(s9_mg, cl_human, f=F_ORAL),
            "gsd": pk.allometric_fold_uncertainty(RAT_WEIGHT_KG, human_weight_kg, exponent_sd=EXPONENT_SD)}


FOLD = _example()["fold"]
"""Target dose / MRSD, 9.40: the median ratio of the active dose to the start."""
S9_FOLD = _example()["s9_fold"]
"""Target dose / ICH S9 start, 2.09."""
GSD = _example()["gsd"]
"""Geometric SD of the active dose, 240 ** 0.16 = 2.40."""


@lru_cache(maxsize=256)
def _cached_simulation(fold: float, scheme: str, dlt_rate_below: float, gsd: float, n_trials: int,
                       seed: int) -> dose_grid.BelowActiveSimulation:
    return dose_grid.simulate_patients_below_active(fold, scheme, gsd=gsd, dlt_rate_below=dlt_rate_below,
                                                    n_trials=n_trials, seed=seed)


def _below_active(fold: float, scheme: str, dlt_rate_below: float = 0.0, *, gsd: float = GSD,
                  n_trials: int = N_TRIALS, seed: int = SEED) -> dose_grid.BelowActiveSimulation:
    """:func:`dosecourse.dose_grid.simulate_patients_below_active`, cached by its (checked) arguments; the
    result's arrays are read-only, so the numbers, the figure, the text and the alt text share one simulation."""
    return _cached_simulation(_validate.positive(fold, "fold"), _validate.one_of(scheme, "scheme", dose_grid.SCHEMES),
                              _validate.number(dlt_rate_below, "dlt_rate_below", minimum=0.0, maximum=1.0,
                                               strict_maximum=True),
                              _validate.number(gsd, "gsd", minimum=1.0), _validate.n_trials(n_trials),
                              _validate.integer(seed, "seed", minimum=0))


def _g(x: float) -> str:
    """A number with three significant digits, without trailing zeros."""
    return f"{x:.3g}"


def _step_ratio_axes(ax, ticks: list[float]) -> None:
    """A log axis of step ratios (ticks as plain numbers) against a probability from 0 to 100%."""
    ax.set_xscale("log")
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())  # no unlabelled minor ticks (they cost layout time in the widget)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0%}"))


# ------------------------------------------------------------------------------------------------ figures
@style.course_figure
def exposure_ladder_figure(start_mg: float, cl: float, f: float, auc_target: float, auc_noael: float, *,
                           scheme: str = "doubling", lang: str = "en") -> Figure:
    """Predicted human AUC at each dose level, with the efficacious AUC and the animal NOAEL AUC.

    The ladder (:func:`dosecourse.dose_grid.exposure_ladder`) starts at ``start_mg`` and follows ``scheme`` up to
    one level past the first whose AUC reaches ``auc_target``.  Levels below the target are grey, the first at
    or above it vermillion, the next dark grey; each point carries its dose in mg.

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
    """
    ladder = dose_grid.exposure_ladder(start_mg, scheme, cl, auc_target, f=f)
    auc_noael = _validate.positive(auc_noael, "auc_noael")
    doses, aucs, first = ladder.doses, ladder.auc, ladder.first_active
    colours = [style.GREY if i < first else style.VERMILLION if i == first else style.GREY_DARK
               for i in range(doses.size)]

    fig, ax = style.new_figure(figsize=(7.4, 4.2))
    levels = np.arange(1, doses.size + 1)
    ax.scatter(levels, aucs, c=colours, s=55, zorder=3)
    ax.plot(levels, aucs, color=style.GREY_LIGHT, lw=1, zorder=2)
    for x, d, a in zip(levels, doses, aucs):
        ax.text(x, a * 1.12, f"{d:.0f}", ha="center", va="bottom", fontsize=style.TINY_SIZE, color=style.GREY_DARK)
    ax.axhline(auc_target, color=style.GREEN, ls="--", lw=1.4)
    ax.axhline(auc_noael, color=style.PURPLE, ls=":", lw=1.6)
    trans = ax.get_yaxis_transform()
    ax.text(0.01, auc_target * 1.06, t("expv_target_line", lang, auc=_g(auc_target)), transform=trans,
            ha="left", va="bottom", color=style.GREEN, fontsize=style.SMALL_SIZE)
    ax.text(0.01, auc_noael * 1.06, t("expv_noael_line", lang, auc=_g(auc_noael)), transform=trans,
            ha="left", va="bottom", color=style.PURPLE, fontsize=style.SMALL_SIZE)
    auc_start = float(aucs[0])
    ax.annotate(t("expv_margin_label", lang, margin=f"{auc_noael / auc_start:.1f}"),
                xy=(1.08, auc_start), xytext=(1.5, auc_start / 1.25), va="center", ha="left",
                fontsize=style.SMALL_SIZE, color=style.BLACK,
                arrowprops={"arrowstyle": "-|>", "color": style.GREY_DARK, "lw": 1})
    ax.set_yscale("log")
    ax.set_ylim(min(aucs) / 2.0, max(max(aucs), auc_noael) * 2.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:g}"))
    ax.set_xticks(levels)
    ax.set_xlim(0.5, doses.size + 0.5)
    ax.set_xlabel(t("expv_ladder_xlabel", lang))
    ax.set_ylabel(t("expv_ladder_ylabel", lang))
    ax.set_title(t("expv_ladder_title", lang, scheme=dose_grid.scheme_label(scheme, lang)), loc="left")
    handles = [Line2D([], [], marker="o", ls="", color=style.GREY, ms=7, label=t("expv_leg_below", lang)),
               Line2D([], [], marker="o", ls="", color=style.VERMILLION, ms=7, label=t("expv_leg_first", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    return fig


@style.course_figure
def step_risk_figure(hills: tuple[float, ...] = HILLS, p_current: float = P_CURRENT, *,
                     lang: str = "en") -> Figure:
    """One +33% step and one +100% step from a dose with risk ``p_current``, on curves of different steepness.

    The x axis is the dose relative to the current dose (log scale); each curve is a Hill (log-logistic)
    dose-response through ``p_current`` at 1 with coefficient n.  Markers show the risk after a step of x1.33 and
    of x2 (:func:`dosecourse.dose_grid.probability_after_step`).

    Parameters
    ----------
    hills : tuple of float
        Hill coefficients (> 0), one curve each.
    p_current : float, default 0.10
        Risk at the current dose, in (0, 1).
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    hills = tuple(_validate.real_array(hills, "hills", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                       max_size=len(_LINE_STYLES)).tolist())
    x = np.geomspace(0.5, 4.0, 200)
    curves = dose_grid.probability_after_step(p_current, x[None, :], np.asarray(hills)[:, None])
    fig, ax = style.new_figure(figsize=(7.2, 4.2))
    for i, (n, curve) in enumerate(zip(hills, curves)):
        ax.plot(x, curve, color=style.GREY_DARK, ls=_LINE_STYLES[i], lw=1.5,
                label=t("expv_hill_curve", lang, n=f"{n:g}"))
        for ratio, colour in ((STEPS["33"], _SCHEME_COLOURS["constant_33"]),
                              (STEPS["100"], _SCHEME_COLOURS["doubling"])):
            p_next = dose_grid.probability_after_step(p_current, ratio, n)
            ax.plot([ratio], [p_next], "o", color=colour, ms=7, zorder=3)
            left = ratio < 1.5 and i % 2 == 1  # alternate sides on the +33% line so close labels do not collide
            ax.text(ratio / 1.03 if left else ratio * 1.03, p_next, f"{p_next:.0%}", ha="right" if left else "left",
                    va="bottom" if left else "top", fontsize=style.TINY_SIZE, color=colour)
    ax.axvline(STEPS["33"], color=_SCHEME_COLOURS["constant_33"], lw=1, alpha=0.6)
    ax.axvline(STEPS["100"], color=_SCHEME_COLOURS["doubling"], lw=1, alpha=0.6)
    ax.plot([1.0], [p_current], "o", color=style.BLACK, ms=7, zorder=3)
    trans = ax.get_xaxis_transform()
    ax.text(STEPS["33"], 1.01, t("expv_step_33", lang), transform=trans, ha="center", va="bottom",
            color=_SCHEME_COLOURS["constant_33"], fontsize=style.SMALL_SIZE)
    ax.text(STEPS["100"], 1.01, t("expv_step_100", lang), transform=trans, ha="center", va="bottom",
            color=_SCHEME_COLOURS["doubling"], fontsize=style.SMALL_SIZE)
    _step_ratio_axes(ax, [0.5, 1, 1.33, 2, 4])
    ax.set_xlabel(t("expv_step_xlabel", lang))
    ax.set_ylabel(t("expv_step_ylabel", lang))
    ax.set_title(t("expv_step_title", lang, p=f"{p_current:.0%}"), loc="left", pad=22)
    ax.legend(loc="upper left")
    return fig


@style.course_figure
def below_active_figure(fold: float = FOLD, scheme: str = "doubling", hill: float = HILL_STEEP, *,
                        gsd: float = GSD, n_trials: int = N_TRIALS, seed: int = SEED,
                        p_current: float = P_CURRENT, lang: str = "en") -> Figure:
    """Patients treated below the active dose (simulated) and the risk of the step that crosses it.

    Left: the distribution of patients treated below the active dose over ``n_trials`` simulated trials
    (:func:`dosecourse.dose_grid.simulate_patients_below_active`), with its mean.  Right: a Hill curve of
    coefficient ``hill`` through ``p_current`` at the last level below the (median) active dose, and the risk
    after the crossing step of each scheme (:func:`dosecourse.dose_grid.crossing_step_risk`), the chosen one
    highlighted.

    Parameters
    ----------
    fold : float, default FOLD
        Median active (target) dose / starting dose.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme.
    hill : float, default 4
        Hill coefficient (steepness) of the dose-response.
    gsd : float, default GSD
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
    sim = _below_active(fold, scheme, gsd=gsd, n_trials=n_trials, seed=seed)
    fig, (left, right) = style.new_figure(ncols=2, figsize=(9.6, 4.2), width_ratios=(1.25, 1))

    values, counts = np.unique(sim.patients_below, return_counts=True)
    left.bar(values, counts / sim.n_trials, width=0.8 * sim.cohort_size, color=_SCHEME_COLOURS[scheme],
             alpha=0.85)
    left.axvline(sim.mean_patients, color=style.BLACK, ls="--", lw=1.3)
    left.text(sim.mean_patients, 0.98, t("expv_mean_label", lang, mean=f"{sim.mean_patients:.1f}"),
              transform=left.get_xaxis_transform(), ha="left", va="top", fontsize=style.SMALL_SIZE,
              color=style.BLACK, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    left.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))   # few tick labels: the live redraw is
    left.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))   # mostly text layout
    left.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0%}"))
    left.set_xlabel(t("expv_below_xlabel", lang))
    left.set_ylabel(t("expv_below_ylabel", lang, n=f"{sim.n_trials:,}"))
    left.set_title(t("expv_below_title", lang, scheme=dose_grid.scheme_label(scheme, lang), fold=_g(fold),
                     gsd=_g(gsd)), loc="left", fontsize=style.FONT_SIZE)

    x = np.geomspace(0.5, 3.0, 200)
    right.plot(x, dose_grid.probability_after_step(p_current, x, hill), color=style.GREY_DARK, lw=1.5)
    right.plot([1.0], [p_current], "o", color=style.BLACK, ms=7)
    for name in dose_grid.SCHEMES:
        ratio = dose_grid.crossing_step_ratio(fold, name)
        p_next = dose_grid.crossing_step_risk(fold, name, hill, p_current)
        chosen = name == scheme
        right.plot([ratio], [p_next], "o", color=_SCHEME_COLOURS[name], ms=10 if chosen else 6,
                   alpha=1.0 if chosen else 0.55, zorder=3,
                   label=t("expv_cross_legend", lang, scheme=dose_grid.scheme_label(name, lang), ratio=f"{ratio:g}",
                           p=f"{p_next:.0%}"))
    _step_ratio_axes(right, [0.5, 1, 1.33, 2, 3])
    right.set_xlabel(t("expv_cross_xlabel", lang))
    right.set_ylabel(t("expv_step_ylabel", lang))
    right.set_title(t("expv_cross_title", lang, n=f"{hill:g}"), loc="left", fontsize=style.FONT_SIZE)
    right.legend(loc="upper left", fontsize=style.TINY_SIZE)
    return fig


def explain(fold: float = FOLD, scheme: str = "doubling", hill: float = HILL_STEEP, *, gsd: float = GSD,
            n_trials: int = N_TRIALS, seed: int = SEED, p_current: float = P_CURRENT, lang: str = "en") -> str:
    """The widget's text: levels to the target, patients below the active dose, and the crossing-step risk.

    Parameters are those of :func:`below_active_figure`.

    Parameters
    ----------
    fold : float, default FOLD
        Median active (target) dose / starting dose.
    scheme : {"doubling", "modified_fibonacci", "constant_33"}
        Step scheme (a key of :data:`dosecourse.dose_grid.SCHEMES`).
    hill : float, default HILL_STEEP
        Hill coefficient (steepness) of the dose-response.
    gsd : float, default GSD
        Geometric standard deviation of the active dose.
    n_trials : int, default N_TRIALS
        Simulated trials.
    seed : int, default SEED
        Seed of the simulation.
    p_current : float, default P_CURRENT
        Risk at the last level below the active dose.
    lang : {"en", "zh-tw"}
        Language of the text.

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
    sim = _below_active(fold, scheme, gsd=gsd, n_trials=n_trials, seed=seed)
    ratio = dose_grid.crossing_step_ratio(fold, scheme)
    p_next = dose_grid.crossing_step_risk(fold, scheme, hill, p_current)
    return "\n".join([
        t("expv_text_levels", lang, scheme=dose_grid.scheme_label(scheme, lang), steps=steps, levels=steps + 1,
          fold=_g(fold), ladder=", ".join(f"{d:.3g}" for d in ladder)),
        sim.summary(lang),
        t("expv_text_step", lang, ratio=f"{ratio:g}", p=f"{p_current:.0%}", n=f"{hill:g}", p_next=f"{p_next:.0%}")
        if steps > 0 else t("expv_text_no_step", lang),
    ])


# ------------------------------------------------------------------------------------------------ widget
def _widget_text(lang: str, fold: float, scheme: str, hill: float) -> str:
    return explain(fold, scheme, hill, lang=lang)


def _widget_figure(lang: str, fold: float, scheme: str, hill: float) -> Figure:
    return below_active_figure(fold, scheme, hill, lang=lang)


def _widget_alt(lang: str, values: dict) -> str:
    fold, scheme, hill = values["fold"], values["scheme"], values["hill"]
    sim = _below_active(fold, scheme)
    patients, counts = np.unique(sim.patients_below, return_counts=True)
    steps = t("expv_list_sep", lang).join(
        t("expv_cross_legend", lang, scheme=dose_grid.scheme_label(name, lang),
          ratio=f"{dose_grid.crossing_step_ratio(fold, name):g}",
          p=f"{dose_grid.crossing_step_risk(fold, name, hill, P_CURRENT):.0%}") for name in dose_grid.SCHEMES)
    return t("expv_widget_alt", lang, n=f"{sim.n_trials:,}", scheme=dose_grid.scheme_label(scheme, lang),
             fold=_g(fold), gsd=_g(GSD), cohort=sim.cohort_size, lo=int(patients.min()), hi=int(patients.max()),
             mode=int(patients[np.argmax(counts)]), mean=f"{sim.mean_patients:.1f}", hill=f"{hill:g}",
             p=f"{P_CURRENT:.0%}", steps=steps)


widget = LiveWidget(
    "exposure_not_just_dose",
    controls=(
        Slider("fold", "expv_w_fold", 1.0, 100.0, 0.1, value=FOLD, site=(S9_FOLD, 5.0, FOLD, 20.0, 50.0),
               fmt="{:.1f}"),
        Choice("scheme", "expv_w_scheme", tuple(dose_grid.SCHEMES), value="doubling",
               option_label=dose_grid.scheme_label),
        Slider("hill", "expv_w_hill", 0.5, 8.0, 0.5, value=HILL_STEEP, site=(1.0, 2.0, 4.0, 8.0), fmt="{:.1f}"),
    ),
    parts=(Part(_widget_text, ("fold", "scheme", "hill")),
           Part(_widget_figure, ("fold", "scheme", "hill"), alt=_widget_alt)),
    columns=3,
)
"""The ratio target/start, the step scheme and the steepness in; :func:`explain` and :func:`below_active_figure`
out (geometric SD :data:`GSD`, :data:`N_TRIALS` trials, seed :data:`SEED`).  On the site the ratio takes the ICH S9
start (2.09), 5, the MRSD (9.40), 20 and 50, and the Hill coefficient 1, 2, 4 and 8: 5 x 3 x 4 = 60 states per
output."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_exposure_not_just_dose.py``).

    Examples
    --------
    >>> round(numbers()["expo_fold"], 2), numbers()["expo_steps_doubling"]
    (9.4, 4)
    """
    ex = _example()
    fold, s9_fold = ex["fold"], ex["s9_fold"]
    out: dict[str, float | int] = {
        "expo_cl_rat": CL_RAT, "expo_v_rat": V_RAT, "expo_cl_human": ex["cl_human"], "expo_v_human": ex["v_human"],
        "expo_half_life": ex["half_life"], "expo_start_mg": ex["start_mg"], "expo_auc_start": ex["auc_start"],
        "expo_auc_noael": AUC_NOAEL, "expo_auc_target": AUC_TARGET, "expo_margin": AUC_NOAEL / ex["auc_start"],
        "expo_target_margin": AUC_NOAEL / AUC_TARGET, "expo_target_mg": ex["target_mg"], "expo_fold": fold,
        "expo_s9_mg": ex["s9_mg"], "expo_s9_fold": s9_fold, "expo_s9_margin": AUC_NOAEL / ex["s9_auc"],
        "expo_gsd": ex["gsd"],
    }
    for n in HILLS:
        for name, r in STEPS.items():
            out[f"expo_step_{name}_n{n:g}"] = dose_grid.probability_after_step(P_CURRENT, r, n)
    out["expo_odds_100_n4"] = STEPS["100"] ** HILL_STEEP
    out["expo_odds_33_n4"] = STEPS["33"] ** HILL_STEEP
    for scheme in dose_grid.SCHEMES:
        out[f"expo_steps_{scheme}"] = dose_grid.steps_to_reach(fold, scheme)
        out[f"expo_levels_{scheme}"] = dose_grid.levels_to_reach(fold, scheme)
        out[f"expo_s9_steps_{scheme}"] = dose_grid.steps_to_reach(s9_fold, scheme)
        out[f"expo_overshoot_{scheme}"] = dose_grid.overshoot(fold, scheme)
    out["expo_first_active_mg"] = dose_grid.exposure_ladder(ex["start_mg"], "doubling", ex["cl_human"], AUC_TARGET,
                                                            f=F_ORAL).first_active_dose
    out["expo_n_trials"], out["expo_seed"] = N_TRIALS, SEED
    for scheme in dose_grid.SCHEMES:
        sim = _below_active(fold, scheme)
        out[f"expo_mean_{scheme}"] = sim.mean_patients
        out[f"expo_p90_{scheme}"] = sim.quantile(0.9)
        out[f"expo_atleast15_{scheme}"] = sim.prob_at_least(15)
        out[f"expo_ex1_mean_{scheme}"] = _below_active(s9_fold, scheme).mean_patients
    out["expo_ex1_saved"] = out["expo_mean_doubling"] - out["expo_ex1_mean_doubling"]
    out["expo_ex2_rmax"] = dose_grid.max_step_ratio(P_CURRENT, P_LIMIT, HILL_STEEP)
    out["expo_ex2_rmax_n1"] = dose_grid.max_step_ratio(P_CURRENT, P_LIMIT, 1.0)
    q = dose_grid.expansion_probability(DLT_RATE_EX3, 3)
    out["expo_ex3_q"] = q
    s, d = SOTORASIB, SOTORASIB_ESCALATION_DOSES_MG
    out.update({
        "expo_soto_dose": s.approved_dose_mg, "expo_soto_cmp_dose": s.comparison_dose_mg,
        "expo_soto_orr_pct": 100 * s.orr, "expo_soto_n": s.n,
        "expo_soto_esc_lo_pct": 100 * s.escalation_orr_range[0],
        "expo_soto_esc_hi_pct": 100 * s.escalation_orr_range[1],
        "expo_soto_phase1_n": SOTORASIB_PHASE1_N,
        **{f"expo_soto_d{i + 1}": dose for i, dose in enumerate(d)},
        **{f"expo_soto_step{i + 1}": d[i + 1] / d[i] for i in range(len(d) - 1)},
        "expo_soto_span": d[-1] / d[0], "expo_soto_cmp_ratio": s.approved_dose_mg / s.comparison_dose_mg,
    })
    out["expo_ex3_mean"] = _below_active(fold, "doubling", DLT_RATE_EX3).mean_patients
    out["expo_ex3_expected"] = _below_active(fold, "doubling").mean_levels * 3 * (1 + q)
    return out
