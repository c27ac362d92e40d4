"""Figures, tables, checks, widget and numbers of the capstone "DC-2026: from the animal data to a dose
justification" (``capstone/capstone``).

The science is in :mod:`dosecourse.capstone_drug` (the fictional drug's nonclinical package, hidden truth and
seeded trial data) and in the modules the earlier chapters teach: :mod:`dosecourse.fih` (ICH S9 and the FDA 2005
MRSD), :mod:`dosecourse.escalation` (BOIN, its decision table, pathways and exact operating characteristics),
:mod:`dosecourse.expansion` (the "lower dose unless beaten by a margin" rule and its exact selection
probabilities), :mod:`dosecourse.biomarkers`, :mod:`dosecourse.utility` (CUI and its weight breakpoints) and
:mod:`dosecourse.stats` (Clopper-Pearson intervals).  This module holds the capstone's model answer and shows it,
in the reader's language, with one check per step:

* step 1: :func:`s9`, :func:`noael_mrsd`, :func:`nonclinical_table`, :func:`check_starting_dose`;
* step 2: :data:`PLAN`, :data:`PLAN_SCENARIOS`, :func:`plan_oc_table`, :func:`check_plan`;
* step 3: :func:`escalation`, :func:`escalation_table`, :func:`escalation_figure`;
* step 4: :func:`backfill`, :func:`expansion`, :func:`expansion_table`, :func:`check_expansion`;
* step 5: :data:`BIOMARKERS`, :func:`biomarker_table`, :func:`check_biomarker_roles`;
* step 6: :func:`cui_result`, :func:`check_weights`, :data:`widget` (efficacy weight and dose pair in; the CUI
  of the expansion data out);
* step 7: :func:`er_table`, :func:`er_figure`;
* step 8: :func:`justification`, :func:`reveal_table`, :func:`reveal_figure`;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_capstone.py``).

Every value of DC-2026 is invented; the case resembles sotorasib, approved at the dose selected in escalation
although its exposure was reported not to rise over the doses studied, with a comparison of a lower dose required
after approval (Nakajima et al. 2022).

References
----------
ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. 2009.
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf. 2010;9(2):289-300.
doi:10.1517/14740330903499265
Nakajima EC, Drezner N, Li X, et al. FDA approval summary: sotorasib for KRAS G12C-mutated metastatic NSCLC. Clin
Cancer Res. 2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import _validate, biomarkers, fih, stats, utility
from .. import capstone_drug as cd
from .. import escalation as esc
from .. import expansion as rex
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

SEED: int = cd.DEFAULT_SEED
"""Seed of every data set of the chapter (the class's shared data)."""

DOSES: tuple[float, ...] = cd.DOSES
"""Dose levels, mg once daily."""

TARGET: float = 0.25
"""Target DLT probability of the plan (and of the true MTD in :func:`reveal_table`)."""

PLAN: esc.BOIN = esc.BOIN(TARGET, len(cd.DOSES), cohort_size=3, n_cohorts=10)
"""The model answer's escalation plan: BOIN, target 0.25, six doses, ten cohorts of three from 80 mg."""

PLAN_SCENARIOS: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "animals": (0.02, 0.04, 0.08, 0.15, 0.25, 0.40),
    "steep": (0.05, 0.12, 0.25, 0.40, 0.55, 0.70),
    "safe": (0.01, 0.02, 0.04, 0.06, 0.10, 0.15),
    "toxic": (0.30, 0.45, 0.60, 0.70, 0.80, 0.90),
})
"""Scenarios of the plan, written before the trial: what the animal data suggest (MTD at 640 mg), a steeper rise
(MTD at 320 mg), a safe drug (every dose below the target) and a drug toxic from the start."""

ALTERNATIVES: Mapping[str, esc.Design] = MappingProxyType({
    "target20": esc.BOIN(0.20, len(cd.DOSES), cohort_size=3, n_cohorts=10),
    "cohort2": esc.BOIN(TARGET, len(cd.DOSES), cohort_size=2, n_cohorts=15),
    "tpt": esc.ThreePlusThree(len(cd.DOSES)),
})
"""Other plans the model answer of step 2 compares with :data:`PLAN` (BOIN with target 0.20; BOIN in 15 cohorts of
two; the 3+3 as protocols write it, with six patients at the declared MTD), on the same scenarios and judged against
the same target of 0.25."""

BACKFILL_DOSES: tuple[float, ...] = (160.0, 320.0, 480.0)
"""Backfill doses of the model answer (cleared by the escalation, below the selected dose)."""

N_BACKFILL: int = 6
"""Backfill patients per dose."""

PAIRS: Mapping[str, tuple[float, float]] = MappingProxyType({
    "320-640": (320.0, 640.0), "480-960": (480.0, 960.0), "320-480": (320.0, 480.0)})
"""Dose pairs of the randomized expansion the widget offers (the model answer: 320 against 640 mg)."""

DEFAULT_PAIR: str = "320-640"
"""The model answer's pair."""

N_PER_ARM: int = 40
"""Patients per arm of the randomized expansion."""

MARGIN: float = 0.10
"""Selection rule of the expansion: the higher dose only if its response rate is higher by more than 0.10."""

ASSUMED: Mapping[str, tuple[float, float]] = MappingProxyType({"plateau": (0.40, 0.40), "rising": (0.30, 0.45)})
"""Response rates the expansion plan assumes for its two doses: a plateau, and a 15-point rise."""

RESPONSE_RANGE: tuple[float, float] = (0.0, 0.5)
"""CUI desirability of the response rate: 0 at 0%, 1 at 50% and above (linear)."""

TOXICITY_RANGE: tuple[float, float] = (0.6, 0.0)
"""CUI desirability of intolerable toxicity within three cycles: 0 at 60% and above, 1 at 0% (linear)."""

W_EFFICACY: float = 0.5
"""The model answer's CUI weight of response (toxicity 1 - w), fixed before the data."""

W_SITE: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""Efficacy weights of the widget on the site."""

OVERDOSE_LIMIT: float = 0.25
"""The course's limit on a plan's probability of selecting an overdose in any scenario (:func:`check_plan`)."""

PLATEAU_LIMIT: float = 0.20
"""The course's limit on P(select the higher dose) when both doses are equally active (:func:`check_expansion`)."""

GAIN: float = 0.15
"""The gain in response rate the expansion plan should detect (:func:`check_expansion`)."""

GAIN_LIMIT: float = 0.60
"""The course's minimum P(select the higher dose) when it is better by :data:`GAIN` (:func:`check_expansion`)."""

LEVEL: float = 0.90
"""Level of the Clopper-Pearson intervals (two-sided 90%, as in Part II)."""

BIOMARKERS: tuple[str, ...] = ("mutation", "pathway", "ctdna", "comutation")
"""DC-2026's candidate biomarkers: the target mutation, target inhibition in paired biopsies, early ctDNA change
and co-mutations."""

BIOMARKER_ANSWER: Mapping[str, str] = MappingProxyType({
    "mutation": "integral", "pathway": "integrated", "ctdna": "integrated", "comutation": "exploratory"})
"""The model answer's role of each biomarker (:data:`dosecourse.biomarkers.BIOMARKER_ROLES`)."""

STEPS: tuple[str, ...] = tuple(f"cap-step-{i}" for i in range(1, 9))
"""Section labels of the eight steps."""


def _fmt(x: float) -> str:
    """A number with up to three significant digits and no trailing zeros."""
    return f"{float(f'{x:.3g}'):g}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ------------------------------------------------------------------------------------------------ step 1
def s9() -> fih.S9StartingDose:
    """ICH S9 starting dose from the rat STD10 and the dog HNSTD of :data:`dosecourse.capstone_drug.NONCLINICAL`.

    Returns
    -------
    dosecourse.fih.S9StartingDose
    """
    nc = cd.NONCLINICAL
    return fih.s9_starting_dose(std10_rodent_mg_per_kg=nc["rat_std10"], hnstd_nonrodent_mg_per_kg=nc["dog_hnstd"])


def noael_mrsd() -> fih.MRSDResult:
    """FDA 2005 MRSD from the rat and dog NOAELs (the conservative healthy-volunteer algorithm, for comparison).

    Returns
    -------
    dosecourse.fih.MRSDResult
    """
    nc = cd.NONCLINICAL
    return fih.mrsd({"rat": nc["rat_noael"], "dog": nc["dog_noael"]})


def nonclinical_table(lang: str = "en") -> pd.DataFrame:
    """The nonclinical package of DC-2026: study, finding, value.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    units = {"ic50_nm": "nM"}
    return pd.DataFrame({
        t("cap_col_finding", lang): [t(f"cap_nc_{k}", lang) for k in cd.NONCLINICAL],
        t("cap_col_value", lang): [f"{_fmt(v)} {units.get(k, 'mg/kg/day')}" for k, v in cd.NONCLINICAL.items()],
    })


def check_starting_dose(mg_per_kg: float, lang: str = "en") -> str:
    """The verdict on a proposed FIH starting dose (mg/kg, for a 60-kg adult of 1.62 m²) against ICH S9.

    Parameters
    ----------
    mg_per_kg : float
        Proposed starting dose, mg/kg (> 0).
    lang : {"en", "zh-tw"}
        Language of the verdict.

    Returns
    -------
    str
        Above the S9 dose (not supported by the nonclinical data), within S9 (at or below the S9 dose, at or
        above the NOAEL-based MRSD), or below even the MRSD (safe but slow: more patients at inactive doses).

    Examples
    --------
    >>> print(check_starting_dose(1.0).split(":")[0])
    Within ICH S9
    """
    lang = check_lang(lang)
    d = _validate.positive(mg_per_kg, "mg_per_kg", maximum=1000.0)
    s, m = s9(), noael_mrsd()
    fields = dict(d=_fmt(d), mg=_fmt(d * fih.HUMAN_WEIGHT_KG), s9=_fmt(s.dose_mg_per_kg),
                  s9mg=_fmt(s.flat_dose_mg()), mrsd=_fmt(m.mrsd_mg_per_kg), ratio=_fmt(d / s.dose_mg_per_kg))
    if d > s.dose_mg_per_kg * (1 + 1e-9):
        key = "cap_check_start_above"
    elif d >= m.mrsd_mg_per_kg * (1 - 1e-9):
        key = "cap_check_start_within"
    else:
        key = "cap_check_start_below"
    return t(key, lang, **fields)


# ------------------------------------------------------------------------------------------------ step 2
def _scenarios(scenarios: Mapping[str, Sequence[float]] | None) -> Mapping[str, tuple[float, ...]]:
    if scenarios is None:
        return PLAN_SCENARIOS
    out = {}
    for name, tox in _validate.mapping(scenarios, "scenarios").items():
        values = tuple(float(v) for v in esc.check_scenario(tox))
        if len(values) != len(DOSES):
            raise ValueError(f"scenarios[{name!r}] must give a DLT probability for each of the {len(DOSES)} doses; "
                             f"got {len(values)}")
        out[str(name)] = values
    if not out:
        raise ValueError("scenarios must hold at least one scenario")
    return out


def _scenario_label(name: str, lang: str) -> str:
    key = f"cap_scenario_{name}"
    try:
        return t(key, lang)
    except KeyError:
        return name


def plan_oc_table(design: esc.Design = PLAN, scenarios: Mapping[str, Sequence[float]] | None = None,
                  lang: str = "en") -> pd.DataFrame:
    """Exact operating characteristics of an escalation plan on the plan's scenarios (one row each).

    Parameters
    ----------
    design : dosecourse.escalation.Design
        The plan (six dose levels).
    scenarios : mapping of str to sequence of float, optional
        Name -> true DLT probability per dose; :data:`PLAN_SCENARIOS` by default.
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
        Correct dose, P(select it), P(select an overdose: true DLT rate above target + 0.10), P(select none),
        mean patients at overdoses and mean sample size, every number exact where the design allows
        (:meth:`~dosecourse.escalation.Design.operating_characteristics`).
    """
    lang = check_lang(lang)
    _validate.instance(design, "design", esc.Design)
    rows = []
    for name, tox in _scenarios(scenarios).items():
        s = _summary(design, tox)
        rows.append({
            t("cap_col_scenario", lang): _scenario_label(name, lang),
            t("cap_col_true_tox", lang): " / ".join(f"{v:.2f}" for v in tox),
            t("cap_col_correct", lang): ", ".join(f"{_fmt(DOSES[c - 1])} mg" for c in s.correct),
            t("cap_col_pcs", lang): round(100 * s.pcs, 1),
            t("cap_col_overdose", lang): round(100 * (s.select_overdose or 0.0), 1),
            t("cap_col_none", lang): round(100 * s.no_selection, 1),
            t("cap_col_n_overdose", lang): round(s.n_overdose or 0.0, 1),
            t("cap_col_total_n", lang): round(s.total_n, 1),
        })
    return pd.DataFrame(rows)


@lru_cache(maxsize=64)
def _summary_cached(design: esc.Design, tox: tuple[float, ...]) -> esc.Summary:
    return design.operating_characteristics(list(tox)).summary(TARGET)


def _summary(design: esc.Design, tox: Sequence[float]) -> esc.Summary:
    return _summary_cached(design, tuple(float(v) for v in tox))


def check_plan(design: esc.Design = PLAN, scenarios: Mapping[str, Sequence[float]] | None = None,
               lang: str = "en") -> str:
    """The verdict on an escalation plan: its worst exact overdosing probability over the plan's scenarios.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        The plan, on the six dose levels of DC-2026.
    scenarios : mapping of str to sequence of float, optional
        The reader's scenarios (name -> true DLT probability per dose); :data:`PLAN_SCENARIOS` by default.
    lang : {"en", "zh-tw"}
        Language of the verdict.

    Returns
    -------
    str
        One line per scenario (P(correct), P(overdose selected), mean patients at overdoses) and a verdict: a
        plan whose probability of selecting an overdose exceeds :data:`OVERDOSE_LIMIT` in a scenario is flagged.

    Raises
    ------
    ValueError, TypeError
        If ``design`` is not a design on six dose levels, or a scenario is invalid.

    Examples
    --------
    >>> print(check_plan().splitlines()[-1])  # doctest: +ELLIPSIS
    Verdict: ...
    """
    lang = check_lang(lang)
    _validate.instance(design, "design", esc.Design)
    if design.n_doses != len(DOSES):
        raise ValueError(f"design must have {len(DOSES)} dose levels (80 to 960 mg); got {design.n_doses}")
    lines, worst, worst_name = [], -1.0, ""
    for name, tox in _scenarios(scenarios).items():
        s = _summary(design, tox)
        over = s.select_overdose or 0.0
        lines.append(t("cap_check_plan_line", lang, scenario=_scenario_label(name, lang), pcs=f"{100 * s.pcs:.1f}",
                       over=f"{100 * over:.1f}", n_over=f"{s.n_overdose or 0.0:.1f}", n=f"{s.total_n:.1f}"))
        if over > worst:
            worst, worst_name = over, _scenario_label(name, lang)
    key = "cap_check_plan_flag" if worst > OVERDOSE_LIMIT else "cap_check_plan_ok"
    lines.append(t(key, lang, worst=f"{100 * worst:.1f}", scenario=worst_name, limit=_fmt(100 * OVERDOSE_LIMIT)))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ step 3
@lru_cache(maxsize=16)
def _escalation(design: esc.Design, seed: int) -> cd.EscalationRun:
    return cd.run_escalation(design, seed=seed)


def escalation(design: esc.Design = PLAN, seed: int = SEED) -> cd.EscalationRun:
    """The plan run on DC-2026's hidden truth (cached).

    Parameters
    ----------
    design : dosecourse.escalation.Design
        The plan.
    seed : int
        Seed of the programme.

    Returns
    -------
    dosecourse.capstone_drug.EscalationRun
    """
    _validate.instance(design, "design", esc.Design)
    return _escalation(design, _validate.integer(seed, "seed", minimum=0))


def escalation_table(design: esc.Design = PLAN, seed: int = SEED, lang: str = "en") -> pd.DataFrame:
    """Patients, DLTs and responses per dose of the escalation, with the selected dose marked.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        The plan.
    seed : int
        Seed of the programme.
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    run = escalation(design, seed)
    return pd.DataFrame({
        t("cap_col_dose", lang): [f"{_fmt(d)} mg" for d in DOSES],
        t("cap_col_patients", lang): run.n,
        t("cap_col_dlts", lang): run.y,
        t("cap_col_responses", lang): run.responses,
        t("cap_col_selected", lang): [t("cap_yes", lang) if i + 1 == run.selected else "" for i in range(len(DOSES))],
    })


@style.course_figure
def escalation_figure(design: esc.Design = PLAN, seed: int = SEED, lang: str = "en") -> Figure:
    """The escalation cohort by cohort: dose of each patient, DLTs marked.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        The plan.
    seed : int
        Seed of the programme.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    run = escalation(design, seed)
    fig, ax = style.new_figure(figsize=(7.4, 3.8))
    x = np.arange(1, run.doses.size + 1)
    y = np.array(DOSES)[run.doses - 1]
    ax.step(x, y, where="mid", color=style.GREY, lw=1.0)
    ok = ~run.dlt
    ax.plot(x[ok], y[ok], "o", color=style.BLUE, ms=7, label=t("cap_esc_no_dlt", lang))
    ax.plot(x[run.dlt], y[run.dlt], "X", color=style.VERMILLION, ms=10, label=t("cap_esc_dlt", lang))
    if run.selected:
        ax.axhline(DOSES[run.selected - 1], color=style.GREEN, ls="--", lw=1.2,
                   label=t("cap_esc_selected", lang, dose=_fmt(DOSES[run.selected - 1])))
    ax.set_yscale("log")
    ax.set_yticks(DOSES)
    ax.set_yticklabels([_fmt(d) for d in DOSES])
    ax.minorticks_off()
    ax.set_xlabel(t("cap_esc_patient_axis", lang))
    ax.set_ylabel(t("cap_dose_axis", lang))
    ax.set_title(t("cap_esc_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


# ------------------------------------------------------------------------------------------------ step 4
@lru_cache(maxsize=8)
def _backfill(seed: int) -> cd.CohortData:
    return cd.simulate_backfill(BACKFILL_DOSES, N_BACKFILL, seed=seed)


def backfill(seed: int = SEED) -> cd.CohortData:
    """The backfill cohorts of the model answer (:data:`N_BACKFILL` patients at each of :data:`BACKFILL_DOSES`).

    Parameters
    ----------
    seed : int
        Seed of the programme.

    Returns
    -------
    dosecourse.capstone_drug.CohortData
    """
    return _backfill(_validate.integer(seed, "seed", minimum=0))


def _pair(pair: str) -> tuple[float, float]:
    return PAIRS[_validate.one_of(pair, "pair", tuple(PAIRS))]


@lru_cache(maxsize=16)
def _expansion(pair: str, n_per_arm: int, seed: int) -> cd.CohortData:
    return cd.simulate_expansion(PAIRS[pair], n_per_arm, seed=seed)


def expansion(pair: str = DEFAULT_PAIR, n_per_arm: int = N_PER_ARM, seed: int = SEED) -> cd.CohortData:
    """The randomized expansion of one dose pair (cached; the same patients meet every pair).

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    n_per_arm : int
        Patients per arm.
    seed : int
        Seed of the programme.

    Returns
    -------
    dosecourse.capstone_drug.CohortData
    """
    _pair(pair)
    return _expansion(pair, _validate.positive_int(n_per_arm, "n_per_arm", minimum=2, maximum=500),
                      _validate.integer(seed, "seed", minimum=0))


def _rate_ci(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = stats.clopper_pearson(x, n, level=LEVEL)
    return np.asarray(lo, float), np.asarray(hi, float)


def selected_dose(pair: str = DEFAULT_PAIR, n_per_arm: int = N_PER_ARM, seed: int = SEED,
                  margin: float = MARGIN) -> float:
    """The dose the expansion's margin rule selects (:func:`dosecourse.expansion.select_dose`), mg.

    Parameters
    ----------
    pair, n_per_arm, seed
        As :func:`expansion`.
    margin : float
        The rule's margin.

    Returns
    -------
    float
    """
    n, x = expansion(pair, n_per_arm, seed).counts("response")
    return _pair(pair)[rex.select_dose(x.tolist(), n.tolist(), margin) - 1]


def expansion_table(pair: str = DEFAULT_PAIR, n_per_arm: int = N_PER_ARM, seed: int = SEED,
                    lang: str = "en") -> pd.DataFrame:
    """The backfill and expansion data per dose: patients, response (90% CI), toxicity, cycle-1 DLTs, target
    inhibition and median AUC.

    Parameters
    ----------
    pair, n_per_arm, seed
        As :func:`expansion`.
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
        Backfill doses first, then the two randomized arms.
    """
    lang = check_lang(lang)
    rows = []
    for part, data in (("backfill", backfill(seed)), ("expansion", expansion(pair, n_per_arm, seed))):
        n, x = data.counts("response")
        lo, hi = _rate_ci(x, n)
        tox, dlt = data.counts("toxicity")[1], data.counts("dlt")[1]
        inh = data.mean("inhibition")
        idx = np.searchsorted(np.array(data.levels), data.dose)
        for j, d in enumerate(data.levels):
            rows.append({
                t("cap_col_part", lang): t(f"cap_part_{part}", lang),
                t("cap_col_dose", lang): f"{_fmt(d)} mg",
                t("cap_col_patients", lang): int(n[j]),
                t("cap_col_response", lang): f"{x[j]}/{n[j]} ({100 * x[j] / n[j]:.0f}%, {100 * lo[j]:.0f}-"
                                             f"{100 * hi[j]:.0f}%)",
                t("cap_col_toxicity", lang): f"{tox[j]}/{n[j]} ({100 * tox[j] / n[j]:.0f}%)",
                t("cap_col_dlts", lang): int(dlt[j]),
                t("cap_col_inhibition", lang): round(float(inh[j]), 1),
                t("cap_col_auc", lang): round(float(np.median(data.auc[idx == j])), 1),
            })
    return pd.DataFrame(rows)


def check_expansion(pair: str = DEFAULT_PAIR, n_per_arm: int = N_PER_ARM, margin: float = MARGIN,
                    assumed: Mapping[str, Sequence[float]] | None = None, lang: str = "en") -> str:
    """The verdict on an expansion plan: exact probability of selecting each dose under the assumed rates.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    n_per_arm : int
        Patients per arm (1 to 500).
    margin : float
        The selection rule's margin (>= 0).
    assumed : mapping of str to (float, float), optional
        Name -> assumed true response rates of the two doses; :data:`ASSUMED` by default.
    lang : {"en", "zh-tw"}
        Language of the verdict.

    Returns
    -------
    str
        One line per assumption with P(select the higher dose)
        (:func:`dosecourse.expansion.selection_probabilities`), and a verdict: the plan is flagged when the
        higher dose is selected more often than :data:`PLATEAU_LIMIT` on a plateau, or less often than
        :data:`GAIN_LIMIT` when it is :data:`GAIN` better.

    Examples
    --------
    >>> print(check_expansion().splitlines()[0])  # doctest: +ELLIPSIS
    Plateau (40% and 40%): the higher dose (640 mg) is selected ...
    """
    lang = check_lang(lang)
    low, high = _pair(pair)
    n = _validate.positive_int(n_per_arm, "n_per_arm", maximum=500)
    m = _validate.number(margin, "margin", minimum=0.0, maximum=1.0)
    rates = ASSUMED if assumed is None else {str(k): tuple(v) for k, v in _validate.mapping(assumed, "assumed").items()}
    lines, flags = [], []
    for name, p in rates.items():
        prob = float(rex.selection_probabilities(list(p), n, m)[1])
        label = t(f"cap_assumed_{name}", lang) if name in ASSUMED else name
        lines.append(t("cap_check_exp_line", lang, assumed=label, p1=_pct(p[0]), p2=_pct(p[1]), high=_fmt(high),
                       prob=f"{100 * prob:.1f}"))
        gap = p[1] - p[0]
        if (gap <= 0 and prob > PLATEAU_LIMIT) or (gap >= GAIN - 1e-12 and prob < GAIN_LIMIT):
            flags.append(label)
    limits = dict(plateau=_fmt(100 * PLATEAU_LIMIT), gain=_fmt(100 * GAIN), power=_fmt(100 * GAIN_LIMIT))
    lines.append(t("cap_check_exp_flag", lang, which=", ".join(flags), **limits) if flags else
                 t("cap_check_exp_ok", lang, low=_fmt(low), high=_fmt(high), n=n, margin=_fmt(m), **limits))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ step 5
def biomarker_table(lang: str = "en") -> pd.DataFrame:
    """DC-2026's candidate biomarkers, what each measures and when (the reader assigns the roles).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    return pd.DataFrame({
        t("cap_col_biomarker", lang): [t(f"cap_bm_{k}", lang) for k in BIOMARKERS],
        t("cap_col_bm_what", lang): [t(f"cap_bm_{k}_what", lang) for k in BIOMARKERS],
    })


def check_biomarker_roles(roles: Mapping[str, str], lang: str = "en") -> str:
    """The verdict on the reader's biomarker roles, one line per biomarker, against the model answer.

    Parameters
    ----------
    roles : mapping of str to str
        Biomarker (a key of :data:`BIOMARKERS`) -> role (``"integral"``, ``"integrated"`` or ``"exploratory"``).
    lang : {"en", "zh-tw"}
        Language of the verdict.

    Returns
    -------
    str

    Examples
    --------
    >>> print(check_biomarker_roles({"mutation": "integral"}))  # doctest: +ELLIPSIS
    Target mutation: integral biomarker, as in the model answer. ...
    """
    lang = check_lang(lang)
    given = _validate.mapping(roles, "roles")
    if not given:
        raise ValueError("roles must assign a role to at least one biomarker")
    lines = []
    for key, role in given.items():
        _validate.one_of(key, "roles (biomarker)", BIOMARKERS)
        _validate.one_of(role, f"roles[{key!r}]", biomarkers.BIOMARKER_ROLES)
        answer = BIOMARKER_ANSWER[key]
        name = (lambda r: t(f"biomarker_role_{r}", lang).lower()) if lang == "en" else \
            (lambda r: t(f"biomarker_role_{r}", lang))
        lines.append(t("cap_check_bm_same" if role == answer else "cap_check_bm_differs", lang,
                       marker=t(f"cap_bm_{key}", lang), role=name(role), answer=name(answer),
                       why=t(f"cap_bm_{key}_why", lang)))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ step 6
def _desirabilities() -> dict[str, utility.Desirability]:
    return {"response": utility.linear_desirability(*RESPONSE_RANGE),
            "toxicity": utility.linear_desirability(*TOXICITY_RANGE)}


SOURCES: tuple[str, ...] = ("assumed", "observed")
"""What a CUI is computed on: the plan's assumptions (before the data) or the expansion data."""


def assumed_attributes(pair: str = DEFAULT_PAIR) -> dict[str, np.ndarray]:
    """The attributes the plan assumes for a dose pair, before the data: the "rising" response rates of
    :data:`ASSUMED` and the toxicity within three cycles implied by the plan's "animals" scenario,
    :math:`1 - (1 - q)^3`.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.

    Returns
    -------
    dict of str to ndarray
        ``response`` and ``toxicity`` for the lower and the higher dose.
    """
    low, high = _pair(pair)
    q = np.array([PLAN_SCENARIOS["animals"][DOSES.index(d)] for d in (low, high)])
    cycles = cd.DEFAULT_MODEL.tox_cycles
    return {"response": np.array(ASSUMED["rising"], float), "toxicity": 1.0 - (1.0 - q) ** cycles}


def _attributes(pair: str, seed: int, source: str) -> dict[str, np.ndarray]:
    _validate.one_of(source, "source", SOURCES)
    if source == "assumed":
        return assumed_attributes(pair)
    data = expansion(pair, N_PER_ARM, seed)
    return {"response": data.mean("response"), "toxicity": data.mean("toxicity")}


def cui_result(pair: str = DEFAULT_PAIR, w_efficacy: float = W_EFFICACY, seed: int = SEED,
               source: str = "observed") -> utility.CUIResult:
    """CUI of the two expansion doses with weight ``w_efficacy`` on response and ``1 - w_efficacy`` on toxicity.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    w_efficacy : float
        Weight of response, in [0, 1].
    seed : int
        Seed of the programme.
    source : {"observed", "assumed"}, default "observed"
        The expansion data, or the plan's assumptions (:func:`assumed_attributes`).

    Returns
    -------
    dosecourse.utility.CUIResult
    """
    w = _validate.probability(w_efficacy, "w_efficacy", open_interval=False)
    return utility.cui(_attributes(pair, seed, source), {"response": w, "toxicity": 1.0 - w}, _desirabilities(),
                       doses=list(_pair(pair)))


def breakpoints(pair: str = DEFAULT_PAIR, seed: int = SEED, source: str = "assumed") -> utility.WeightBreakpoints:
    """Response weights at which the CUI's choice between the two expansion doses flips
    (:func:`dosecourse.utility.weight_breakpoints`).

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    seed : int
        Seed of the programme.
    source : {"assumed", "observed"}, default "assumed"
        The plan's assumptions or the expansion data.

    Returns
    -------
    dosecourse.utility.WeightBreakpoints
    """
    return utility.weight_breakpoints(_attributes(pair, seed, source), _desirabilities(), doses=list(_pair(pair)))


def check_weights(w_efficacy: float, pair: str = DEFAULT_PAIR, lang: str = "en") -> str:
    """The CUI's choice for the reader's pre-specified response weight, first on the plan's assumptions (with the
    weight at which the choice flips there), then on the expansion data.

    Parameters
    ----------
    w_efficacy : float
        Weight of response, in [0, 1] (toxicity gets 1 - w).
    pair : str
        A key of :data:`PAIRS`.
    lang : {"en", "zh-tw"}
        Language of the verdict.

    Returns
    -------
    str

    Examples
    --------
    >>> print(check_weights(0.5).splitlines()[0])  # doctest: +ELLIPSIS
    Response weight 0.5, toxicity 0.5. Under the plan's assumptions the CUI chooses 320 mg ...
    """
    lang = check_lang(lang)
    w = _validate.probability(w_efficacy, "w_efficacy", open_interval=False)
    planned, observed = cui_result(pair, w, source="assumed"), cui_result(pair, w, source="observed")
    cuts = breakpoints(pair, source="assumed").breakpoints
    flip = t("cap_check_w_flip", lang, flip=f"{float(cuts[0]):.2f}") if cuts.size else t("cap_check_w_noflip", lang)
    obs_cuts = breakpoints(pair, source="observed").breakpoints
    obs_flip = t("cap_check_w_flip", lang, flip=f"{float(obs_cuts[0]):.2f}") if obs_cuts.size else \
        t("cap_check_w_noflip", lang)
    return "\n".join([
        t("cap_check_w_plan", lang, w=_fmt(w), w2=_fmt(1 - w), dose=_fmt(float(planned.best.dose)),
          cui=" / ".join(f"{v:.3f}" for v in planned.values), flip=flip),
        t("cap_check_w_data", lang, dose=_fmt(float(observed.best.dose)),
          cui=" / ".join(f"{v:.3f}" for v in observed.values), flip=obs_flip),
    ])


@style.course_figure
def cui_figure(pair: str = DEFAULT_PAIR, w_efficacy: float = W_EFFICACY, lang: str = "en") -> Figure:
    """Stacked bars of the two expansion doses' CUI, under the plan's assumptions and on the expansion data: the
    weighted desirability of response and of low toxicity.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    w_efficacy : float
        Weight of response.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = style.new_figure(figsize=(7.0, 4.0))
    ticks, names = [], []
    for k, source in enumerate(SOURCES):
        res = cui_result(pair, w_efficacy, source=source)
        contrib = np.asarray(res.contributions)
        x = np.array([0.0, 1.0]) + 3.0 * k
        ax.bar(x, contrib[0], color=style.BLUE, width=0.7, label=t("cap_cui_response", lang) if k == 0 else None)
        ax.bar(x, contrib[1], bottom=contrib[0], color=style.ORANGE, width=0.7,
               label=t("cap_cui_toxicity", lang) if k == 0 else None)
        best = float(res.best.dose)
        for xi, v, d in zip(x, res.values, _pair(pair)):
            ax.text(xi, v + 0.02, f"{v:.3f}" + (" *" if d == best else ""), ha="center", va="bottom",
                    fontsize=style.SMALL_SIZE)
        ticks += x.tolist()
        names += [f"{_fmt(d)} mg\n{t(f'cap_source_{source}', lang)}" for d in _pair(pair)]
    ax.set_xticks(ticks)
    ax.set_xticklabels(names)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(t("cap_cui_axis", lang))
    ax.set_title(t("cap_cui_title", lang, w=_fmt(w_efficacy)), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def _widget_text(lang: str, pair: str, w: float) -> str:
    return check_weights(w, pair, lang)


def _widget_figure(lang: str, pair: str, w: float) -> Figure:
    return cui_figure(pair, w, lang)


def _widget_alt(lang: str, values: Mapping) -> str:
    plan = cui_result(values["pair"], values["w"], source="assumed")
    res = cui_result(values["pair"], values["w"])
    low, high = _pair(values["pair"])
    return t("cap_widget_alt", lang, w=_fmt(values["w"]), low=_fmt(low), high=_fmt(high),
             p1=f"{plan.values[0]:.3f}", p2=f"{plan.values[1]:.3f}", pdose=_fmt(float(plan.best.dose)),
             c1=f"{res.values[0]:.3f}", c2=f"{res.values[1]:.3f}", dose=_fmt(float(res.best.dose)))


widget = LiveWidget(
    "capstone",
    controls=(
        Choice("pair", "cap_w_pair", tuple(PAIRS), value=DEFAULT_PAIR,
               option_label=lambda v, lang: t("cap_pair_option", lang, low=_fmt(PAIRS[v][0]),
                                              high=_fmt(PAIRS[v][1]))),
        Slider("w", "cap_w_weight", 0.0, 1.0, 0.05, value=W_EFFICACY, site=W_SITE, fmt="{:.2f}"),
    ),
    parts=(Part(_widget_text, ("pair", "w")), Part(_widget_figure, ("pair", "w"), alt=_widget_alt)),
    columns=2,
)
"""Dose pair and response weight in; the CUI's choice under the plan's assumptions and on the expansion data, and
its bars, out.  On the site:
3 pairs x 9 weights = 27 states per output, 54 in all."""


# ------------------------------------------------------------------------------------------------ step 7
def er_fits(pair: str = DEFAULT_PAIR, seed: int = SEED) -> dict[str, cd.ERFit]:
    """The three logistic analyses of the expansion data (:func:`dosecourse.capstone_drug.fit_exposure_response`).

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    seed : int
        Seed of the programme.

    Returns
    -------
    dict of str to dosecourse.capstone_drug.ERFit
        By analysis: naive, adjusted, dose.
    """
    data = expansion(pair, N_PER_ARM, seed)
    return {a: cd.fit_exposure_response(data, a) for a in cd.ER_ANALYSES}


def er_table(pair: str = DEFAULT_PAIR, seed: int = SEED, lang: str = "en") -> pd.DataFrame:
    """Naive and adjusted exposure-response slopes and the randomized dose-response slope, with 95% intervals.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    seed : int
        Seed of the programme.
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    fits = er_fits(pair, seed)
    return pd.DataFrame({
        t("cap_col_analysis", lang): [t(f"cap_er_{a}", lang) for a in fits],
        t("cap_col_slope", lang): [round(f.slope, 2) for f in fits.values()],
        t("cap_col_ci", lang): [f"{f.ci_low:.2f} to {f.ci_high:.2f}" if lang == "en" else
                                f"{f.ci_low:.2f} 至 {f.ci_high:.2f}" for f in fits.values()],
        t("cap_col_or2", lang): [round(f.per_doubling, 2) for f in fits.values()],
    })


def er_quartiles(pair: str = DEFAULT_PAIR, seed: int = SEED) -> pd.DataFrame:
    """Response rate by quartile of AUC within each arm (the picture a naive E-R analysis draws).

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    seed : int
        Seed of the programme.

    Returns
    -------
    pandas.DataFrame
        Columns ``dose``, ``quartile`` (1-4), ``auc`` (median), ``response`` (rate), ``albumin`` (mean).
    """
    data = expansion(pair, N_PER_ARM, seed)
    rows = []
    for d in data.levels:
        m = data.dose == d
        auc, resp, alb = data.auc[m], data.response[m], data.albumin[m]
        order = np.argsort(auc)
        for q, idx in enumerate(np.array_split(order, 4), start=1):
            rows.append({"dose": d, "quartile": q, "auc": float(np.median(auc[idx])),
                         "response": float(resp[idx].mean()), "albumin": float(alb[idx].mean())})
    return pd.DataFrame(rows)


@style.course_figure
def er_figure(pair: str = DEFAULT_PAIR, seed: int = SEED, lang: str = "en") -> Figure:
    """Response by AUC quartile within each randomized arm, against the arms' overall response rates.

    Parameters
    ----------
    pair : str
        A key of :data:`PAIRS`.
    seed : int
        Seed of the programme.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    q = er_quartiles(pair, seed)
    data = expansion(pair, N_PER_ARM, seed)
    rates = data.mean("response")
    fig, ax = style.new_figure(figsize=(7.4, 4.0))
    for (d, colour), rate in zip(zip(data.levels, (style.BLUE, style.VERMILLION)), rates):
        sub = q[q["dose"] == d]
        ax.plot(sub["auc"], 100 * sub["response"], "o-", color=colour, lw=1.6,
                label=t("cap_er_quartiles", lang, dose=_fmt(d)))
        ax.axhline(100 * rate, color=colour, ls="--", lw=1.0,
                   label=t("cap_er_arm", lang, dose=_fmt(d), rate=f"{100 * rate:.0f}"))
    ax.set_xscale("log")
    ax.set_xticks([10, 20, 30, 50, 80])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.minorticks_off()
    ax.set_xlabel(t("cap_auc_axis", lang))
    ax.set_ylabel(t("cap_response_axis", lang))
    ax.set_ylim(0, 100)
    ax.set_title(t("cap_er_title", lang), loc="left")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


# ------------------------------------------------------------------------------------------------ step 8
DEFAULT_CHOICES: Mapping[str, object] = MappingProxyType({
    "start_mg_per_kg": DOSES[0] / fih.HUMAN_WEIGHT_KG, "design": PLAN, "pair": DEFAULT_PAIR,
    "w_efficacy": W_EFFICACY, "dose": None})
"""The model answer's choices: 80 mg (for 60 kg) as the first dose, :data:`PLAN`, 320 against 640 mg, a response
weight of 0.5, and the CUI's choice as the dose (``dose`` None)."""


def justification(choices: Mapping[str, object] | None = None, lang: str = "en") -> pd.DataFrame:
    """The one-page dose justification assembled from the reader's choices: one row per strand of evidence.

    Parameters
    ----------
    choices : mapping, optional
        Any of ``start_mg_per_kg`` (float), ``design`` (an escalation design), ``pair`` (a key of :data:`PAIRS`),
        ``w_efficacy`` (float) and ``dose`` (the proposed dose, mg; default the CUI's choice); the rest from
        :data:`DEFAULT_CHOICES`.
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
        Columns: step, the evidence (numbers computed by the package), what it supports.

    Raises
    ------
    ValueError, TypeError
        On an unknown choice or an invalid value.
    """
    lang = check_lang(lang)
    c = dict(DEFAULT_CHOICES)
    for key, value in _validate.mapping(choices or {}, "choices").items():
        _validate.one_of(key, "choices (key)", tuple(DEFAULT_CHOICES))
        c[key] = value
    s = s9()
    start = _validate.positive(c["start_mg_per_kg"], "start_mg_per_kg")
    design = _validate.instance(c["design"], "design", esc.Design)
    pair = c["pair"]
    low, high = _pair(pair)
    w = _validate.probability(c["w_efficacy"], "w_efficacy", open_interval=False)
    run = escalation(design)
    summ = _summary(design, PLAN_SCENARIOS["animals"]) if design.n_doses == len(DOSES) else None
    data = expansion(pair)
    n, x = data.counts("response")
    tox = data.counts("toxicity")[1]
    res = cui_result(pair, w)
    dose = float(res.best.dose) if c["dose"] is None else _validate.positive(c["dose"], "dose")
    fits = er_fits(pair)
    bf = backfill()
    rows = [
        ("1", t("cap_j_start", lang, d=_fmt(start), mg=_fmt(start * fih.HUMAN_WEIGHT_KG),
                s9=_fmt(s.dose_mg_per_kg)), check_starting_dose(start, lang).split("\n")[0]),
        ("2", t("cap_j_plan", lang, design=repr(design), pcs=f"{100 * summ.pcs:.0f}" if summ else "-",
                over=f"{100 * (summ.select_overdose or 0):.0f}" if summ else "-"), t("cap_j_plan_use", lang)),
        ("3", t("cap_j_esc", lang, n=int(run.n.sum()), y=int(run.y.sum()),
                mtd=_fmt(DOSES[run.selected - 1]) if run.selected else "-"), t("cap_j_esc_use", lang)),
        ("4", t("cap_j_exp", lang, low=_fmt(low), high=_fmt(high), x1=int(x[0]), x2=int(x[1]), n=int(n[0]),
                t1=int(tox[0]), t2=int(tox[1]), bf=", ".join(_fmt(d) for d in bf.levels)),
         t("cap_j_exp_use", lang, sel=_fmt(selected_dose(pair))),),
        ("5", t("cap_j_bm", lang, inh=f"{float(data.mean('inhibition')[0]):.0f}",
                inh2=f"{float(data.mean('inhibition')[1]):.0f}", low=_fmt(low), high=_fmt(high)),
         t("cap_j_bm_use", lang)),
        ("6", t("cap_j_cui", lang, w=_fmt(w), c1=f"{res.values[0]:.3f}", c2=f"{res.values[1]:.3f}",
                best=_fmt(float(res.best.dose))), t("cap_j_cui_use", lang)),
        ("7", t("cap_j_er", lang, naive=f"{fits['naive'].slope:.2f}", adj=f"{fits['adjusted'].slope:.2f}",
                dose=f"{fits['dose'].slope:.2f}"), t("cap_j_er_use", lang)),
        ("8", t("cap_j_dose", lang, dose=_fmt(dose)), t("cap_j_dose_use", lang, mtd=_fmt(high))),
    ]
    return pd.DataFrame(rows, columns=[t("cap_col_step", lang), t("cap_col_evidence", lang),
                                       t("cap_col_supports", lang)])


def reveal_table(lang: str = "en") -> pd.DataFrame:
    """The hidden truth per dose (:func:`dosecourse.capstone_drug.reveal`), for the end of the capstone.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    tr = cd.reveal(TARGET)
    marks = [", ".join(m for m, ok in ((t("cap_mark_mtd", lang), i + 1 == tr.mtd),
                                        (t("cap_mark_plateau", lang), i + 1 == tr.plateau)) if ok)
             for i in range(len(tr.doses))]
    return pd.DataFrame({
        t("cap_col_dose", lang): [f"{_fmt(d)} mg" for d in tr.doses],
        t("cap_col_true_dlt", lang): np.round(100 * tr.dlt, 1),
        t("cap_col_true_tox3", lang): np.round(100 * tr.toxicity, 1),
        t("cap_col_true_resp", lang): np.round(100 * tr.response, 1),
        t("cap_col_inhibition", lang): np.round(tr.inhibition, 1),
        t("cap_col_auc", lang): np.round(tr.auc, 1),
        t("cap_col_mark", lang): marks,
    })


@style.course_figure
def reveal_figure(lang: str = "en") -> Figure:
    """The true dose-response and dose-toxicity curves of DC-2026, with the trial's observed rates.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    tr = cd.reveal(TARGET)
    grid = np.geomspace(DOSES[0], DOSES[-1], 60)
    m = cd.DEFAULT_MODEL
    fig, ax = style.new_figure(figsize=(7.4, 4.2))
    ax.plot(grid, 100 * m.expected(grid, "response"), color=style.BLUE, lw=2.2, label=t("cap_rev_response", lang))
    ax.plot(grid, 100 * m.expected(grid, "dlt"), color=style.VERMILLION, lw=2.2, label=t("cap_rev_dlt", lang))
    ax.plot(grid, 100 * m.expected(grid, "toxicity"), color=style.ORANGE, lw=1.6, ls="--",
            label=t("cap_rev_tox", lang))
    ex = expansion()
    ax.plot(ex.levels, 100 * ex.mean("response"), "o", color=style.BLUE, ms=8, label=t("cap_rev_obs_resp", lang))
    ax.plot(ex.levels, 100 * ex.mean("toxicity"), "s", color=style.ORANGE, ms=7, label=t("cap_rev_obs_tox", lang))
    ax.axhline(100 * TARGET, color=style.GREY, ls=":", lw=1.0)
    ax.axvline(tr.doses[tr.plateau - 1], color=style.GREEN, ls=":", lw=1.2)
    ax.axvline(tr.doses[tr.mtd - 1], color=style.GREY_DARK, ls=":", lw=1.2)
    ax.set_xscale("log")
    ax.set_xticks(DOSES)
    ax.set_xticklabels([_fmt(d) for d in DOSES])
    ax.minorticks_off()
    ax.set_ylim(0, 100)
    ax.set_xlabel(t("cap_dose_axis", lang))
    ax.set_ylabel(t("cap_prob_axis", lang))
    ax.set_title(t("cap_rev_title", lang, plateau=_fmt(tr.doses[tr.plateau - 1]), mtd=_fmt(tr.doses[tr.mtd - 1])),
                 loc="left")
    fig.legend(loc="outside lower center", ncols=3)
    return fig


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float | int | str]:
    """Every number the capstone's prose glues, by name (checked in ``tests/chapters/test_capstone.py``).

    Examples
    --------
    >>> round(numbers()["cap_s9_mg"], 1)
    81.0
    """
    nc = cd.NONCLINICAL
    s, m = s9(), noael_mrsd()
    run = escalation()
    bf = backfill()
    ex = expansion()
    n, x = ex.counts("response")
    tox = ex.counts("toxicity")[1]
    dlt = ex.counts("dlt")[1]
    lo, hi = _rate_ci(x, n)
    bf_n, bf_x = bf.counts("response")
    fits = er_fits()
    res = cui_result()
    plan_cui = cui_result(source="assumed")
    cuts = breakpoints().breakpoints
    assumed = assumed_attributes()
    tr = cd.reveal(TARGET)
    out: dict[str, float | int | str] = {
        # step 1
        "cap_rat_std10": nc["rat_std10"], "cap_dog_hnstd": nc["dog_hnstd"], "cap_rat_noael": nc["rat_noael"],
        "cap_dog_noael": nc["dog_noael"], "cap_ic50": nc["ic50_nm"], "cap_mouse_dose": nc["efficacious_mouse"],
        "cap_rat_cand": s.candidates_mg_per_m2["rat"], "cap_dog_cand": s.candidates_mg_per_m2["dog"],
        "cap_s9_m2": s.dose_mg_per_m2, "cap_s9_mgkg": s.dose_mg_per_kg, "cap_s9_mg": s.flat_dose_mg(),
        "cap_mrsd_mgkg": m.mrsd_mg_per_kg, "cap_mrsd_mg": m.mrsd_mg(), "cap_s9_over_mrsd":
            s.dose_mg_per_kg / m.mrsd_mg_per_kg,
        "cap_start_mg": DOSES[0], "cap_top_mg": DOSES[-1], "cap_n_levels": len(DOSES),
        "cap_start_over_s9": DOSES[0] / s.flat_dose_mg(),
        # step 2
        "cap_target": TARGET, "cap_cohort": PLAN.cohort_size, "cap_n_cohorts": PLAN.n_cohorts,
        "cap_max_n": PLAN.max_n, "cap_lambda_e": esc.boin_boundaries(TARGET)[0],
        "cap_lambda_d": esc.boin_boundaries(TARGET)[1],
        # step 3
        "cap_esc_n": int(run.n.sum()), "cap_esc_dlts": int(run.y.sum()),
        "cap_esc_selected": DOSES[run.selected - 1], "cap_esc_n_sel": int(run.n[run.selected - 1]),
        "cap_esc_y_sel": int(run.y[run.selected - 1]), "cap_esc_resp": int(run.responses.sum()),
        "cap_seed": SEED,
        # step 4
        "cap_bf_n": N_BACKFILL, "cap_bf_total": int(bf_n.sum()), "cap_bf_resp": int(bf_x.sum()),
        "cap_n_arm": N_PER_ARM, "cap_margin": MARGIN, "cap_low": PAIRS[DEFAULT_PAIR][0],
        "cap_high": PAIRS[DEFAULT_PAIR][1],
        "cap_x_low": int(x[0]), "cap_x_high": int(x[1]), "cap_r_low": 100 * x[0] / n[0],
        "cap_r_high": 100 * x[1] / n[1], "cap_lo_low": 100 * float(lo[0]), "cap_hi_low": 100 * float(hi[0]),
        "cap_lo_high": 100 * float(lo[1]), "cap_hi_high": 100 * float(hi[1]),
        "cap_t_low": int(tox[0]), "cap_t_high": int(tox[1]), "cap_tr_low": 100 * tox[0] / n[0],
        "cap_tr_high": 100 * tox[1] / n[1], "cap_dlt_low": int(dlt[0]), "cap_dlt_high": int(dlt[1]),
        "cap_inh_low": float(ex.mean("inhibition")[0]), "cap_inh_high": float(ex.mean("inhibition")[1]),
        "cap_exp_selected": selected_dose(),
        # step 6
        "cap_w_eff": W_EFFICACY, "cap_cui_low": float(res.values[0]), "cap_cui_high": float(res.values[1]),
        "cap_cui_best": float(res.best.dose), "cap_cui_flip": float(cuts[0]),
        "cap_cui_obs_flips": int(breakpoints(source="observed").breakpoints.size),
        "cap_cui_plan_best": float(plan_cui.best.dose),
        "cap_as_tox_low": 100 * float(assumed["toxicity"][0]), "cap_as_tox_high": 100 * float(assumed["toxicity"][1]),
        "cap_as_resp_low": 100 * float(assumed["response"][0]),
        "cap_as_resp_high": 100 * float(assumed["response"][1]),
        "cap_resp_best": RESPONSE_RANGE[1], "cap_tox_worst": TOXICITY_RANGE[0],
        # step 7
        "cap_er_naive": fits["naive"].slope, "cap_er_naive_lo": fits["naive"].ci_low,
        "cap_er_naive_hi": fits["naive"].ci_high, "cap_er_adj": fits["adjusted"].slope,
        "cap_er_adj_lo": fits["adjusted"].ci_low, "cap_er_adj_hi": fits["adjusted"].ci_high,
        "cap_er_dose": fits["dose"].slope, "cap_er_dose_lo": fits["dose"].ci_low,
        "cap_er_dose_hi": fits["dose"].ci_high, "cap_er_naive_or2": fits["naive"].per_doubling,
        "cap_n_er": fits["naive"].n,
        # step 8: the truth
        "cap_true_mtd": tr.doses[tr.mtd - 1], "cap_true_plateau": tr.doses[tr.plateau - 1],
        "cap_true_margin": 100 * tr.margin,
        "cap_true_resp_low": 100 * float(tr.response[DOSES.index(PAIRS[DEFAULT_PAIR][0])]),
        "cap_true_resp_high": 100 * float(tr.response[DOSES.index(PAIRS[DEFAULT_PAIR][1])]),
        "cap_true_tox_low": 100 * float(tr.toxicity[DOSES.index(PAIRS[DEFAULT_PAIR][0])]),
        "cap_true_tox_high": 100 * float(tr.toxicity[DOSES.index(PAIRS[DEFAULT_PAIR][1])]),
        "cap_true_tox_ratio": float(tr.toxicity[DOSES.index(PAIRS[DEFAULT_PAIR][1])]
                                    / tr.toxicity[DOSES.index(PAIRS[DEFAULT_PAIR][0])]),
        "cap_true_resp_gain": 100 * float(tr.response[DOSES.index(PAIRS[DEFAULT_PAIR][1])]
                                          - tr.response[DOSES.index(PAIRS[DEFAULT_PAIR][0])]),
        "cap_true_dlt_mtd": 100 * float(tr.dlt[tr.mtd - 1]), "cap_true_resp_max": 100 * float(tr.response.max()),
        "cap_over_limit": 100 * OVERDOSE_LIMIT, "cap_plateau_limit": 100 * PLATEAU_LIMIT, "cap_gain": 100 * GAIN,
        "cap_gain_limit": 100 * GAIN_LIMIT, "cap_plateau_rate": 100 * ASSUMED["plateau"][0],
        "cap_tox_cycles": cd.DEFAULT_MODEL.tox_cycles,
    }
    plan = {name: _summary(PLAN, PLAN_SCENARIOS[name]) for name in ("animals", "steep", "toxic")}
    out.update({"cap_oc_animals_pcs": 100 * plan["animals"].pcs,
                "cap_oc_animals_over": 100 * (plan["animals"].select_overdose or 0.0),
                "cap_oc_steep_over": 100 * (plan["steep"].select_overdose or 0.0),
                "cap_oc_toxic_none": 100 * plan["toxic"].no_selection})
    alt = {(key, name): _summary(ALTERNATIVES[key], PLAN_SCENARIOS[name]) for key in ALTERNATIVES
           for name in ("animals", "steep")}
    out.update({"cap_alt_target20_steep_over": 100 * (alt["target20", "steep"].select_overdose or 0.0),
                "cap_alt_target20_animals_pcs": 100 * alt["target20", "animals"].pcs,
                "cap_alt_cohort2_steep_over": 100 * (alt["cohort2", "steep"].select_overdose or 0.0),
                "cap_alt_tpt_steep_over": 100 * (alt["tpt", "steep"].select_overdose or 0.0),
                "cap_alt_tpt_animals_pcs": 100 * alt["tpt", "animals"].pcs,
                "cap_alt_tpt_animals_n": alt["tpt", "animals"].total_n})
    for name, p in ASSUMED.items():
        out[f"cap_exp_{name}_high"] = 100 * float(rex.selection_probabilities(list(p), N_PER_ARM, MARGIN)[1])
        out[f"cap_half_{name}_high"] = 100 * float(rex.selection_probabilities(list(p), N_PER_ARM // 2, MARGIN)[1])
    on_truth = PLAN.operating_characteristics(list(tr.dlt))
    out.update({"cap_half_n": N_PER_ARM // 2, "cap_truth_sel_mtd": 100 * float(on_truth.selection[tr.mtd - 1]),
                "cap_truth_sel_below": 100 * float(on_truth.selection[tr.mtd - 2])})
    return out
