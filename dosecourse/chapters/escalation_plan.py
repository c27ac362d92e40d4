"""Figures, tables, widget and numbers of the chapter "The escalation plan as a pre-specified hypothesis"
(``start/escalation-plan``).

The designs are those of :func:`dosecourse.escalation.make_design` (3+3, BOIN, CRM and accelerated titration) on
one grid of five doses with a target DLT rate of 0.3; the 3+3 is the one protocols write (six patients at the
declared MTD), and accelerated titration ends in that same 3+3.  Every operating characteristic is exact
(:meth:`~dosecourse.escalation.Design.operating_characteristics`, ``method="auto"``: every path of the trial is
enumerated, the CRM's included) and summarised by :meth:`~dosecourse.escalation.OperatingCharacteristics.summary`
around the correct dose(s) of :func:`~dosecourse.escalation.correct_doses`; accelerated titration is also
simulated, as a check.  The sentinel-dosing numbers come from :mod:`dosecourse.sentinel`.

* :data:`SCENARIOS`, :func:`operating_characteristics`, :func:`summary`: the chapter's truths and what each design
  does on them (cached, so that the notebook and :func:`numbers` never compute the same thing twice);
* :func:`first_two_cohorts`, :func:`plan_view`, :func:`protocol_appendix`: the pre-specified plan (the designs' own
  pathways, decision tables, protocol text and protocol appendix);
* :func:`oc_table`, :func:`oc_figure`, :func:`start_dose_table`, :func:`start_dose_figure`,
  :func:`accelerated_table`: operating characteristics, by design and start dose;
* :func:`sentinel_table`, :func:`class_table`: sentinel dosing, and what to pre-specify per molecular class;
* :data:`widget`: design, scenario, start dose and view in; plan, operating characteristics and figure out;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_escalation_plan.py``).

Every user-facing string comes from ``labels/chapters/escalation_plan.toml`` (and the engine's label files).

References
----------
Storer BE. Design and analysis of phase I clinical trials. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
O'Quigley J, Pepe M, Fisher L. Continual reassessment method: a practical design for phase 1 clinical trials in
cancer. Biometrics. 1990;46(1):33-48. doi:10.2307/2531628
Simon R, Freidlin B, Rubinstein L, et al. Accelerated titration designs for phase I clinical trials in
oncology. J Natl Cancer Inst. 1997;89(15):1138-1147. doi:10.1093/jnci/89.15.1138
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Hutchings M, et al. Glofitamab, a novel, bivalent CD20-targeting T-cell-engaging bispecific antibody, induces
durable complete remissions in relapsed or refractory B-cell lymphoma: a phase I trial. J Clin Oncol.
2021;39(18):1959-1970. doi:10.1200/JCO.20.03175 (PMID 33739857, PMC8210975) (:data:`GLOFITAMAB`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import _validate, dose_grid, sentinel
from .. import escalation as esc
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

N_DOSES: int = 5
"""Number of dose levels of the chapter's grid."""

TARGET: float = 0.3
"""Target DLT probability of BOIN and CRM, and of the summaries (the correct dose is closest to it)."""

SEED: int = _validate.DEFAULT_SEED
"""Seed of the chapter's one simulation (accelerated titration, a check on its exact enumeration)."""

AT_N_TRIALS: int = 10_000
"""Simulated accelerated-titration trials."""

GLOFITAMAB: Mapping[str, float] = MappingProxyType({
    "pretreatment_mg": 1000.0, "pretreatment_days_before": 7, "lowest_mg": 0.005, "highest_mg": 30.0,
    "n_multipatient": 171,
})
"""The real plan of the chapter, glofitamab's phase I trial (Hutchings et al. 2021, abstract on PMC8210975):
obinutuzumab 1,000 mg seven days before the first glofitamab dose, glofitamab 0.005-30 mg, escalation steps by a
Bayesian CRM with overdose control, initial single-patient cohorts, then 171 patients treated in multipatient
cohorts with at least one dose."""

DESIGNS: tuple[str, ...] = ("3+3", "BOIN", "CRM", "ATD")
"""The chapter's designs, keys of :data:`dosecourse.escalation.DESIGNS`, in the order they are drawn."""

SCENARIOS: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "target_4": (0.03, 0.07, 0.15, 0.30, 0.45),
    "target_3": (0.05, 0.12, 0.30, 0.45, 0.60),
    "target_2": (0.12, 0.30, 0.45, 0.60, 0.75),
    "all_low": (0.02, 0.04, 0.06, 0.08, 0.10),
})
"""True DLT probabilities per dose (dose 1 first) of the chapter's scenarios; ``"target_4"`` is the default: the
dose with a DLT probability equal to the target is dose 4."""

START_DOSES: tuple[int, ...] = (1, 3)
"""Start doses compared in the section on the start dose (three levels and one level below the target dose)."""

VIEWS: tuple[str, ...] = ("pathways", "table", "protocol")
"""What :func:`plan_view` shows of a design's plan."""

CLASSES: tuple[str, ...] = ("small", "antagonist", "agonist", "limited")
"""Molecular classes of the pre-specification table (Zhu et al., Clin Pharmacol Ther 2025)."""

GLUE_KEYS: Mapping[str, str] = MappingProxyType({"3+3": "tpt", "BOIN": "boin", "CRM": "crm", "ATD": "atd"})
"""Short name of each design in the glue names of :func:`numbers`."""

_COLOURS = {"3+3": style.BLUE, "BOIN": style.VERMILLION, "CRM": style.GREEN, "ATD": style.ORANGE}
_START_COLOURS = (style.BLUE, style.ORANGE, style.GREEN, style.PURPLE, style.SKY)


# ------------------------------------------------------------------------------------------------ designs
def _key(design: str, name: str = "design") -> str:
    return _validate.one_of(design, name, DESIGNS)


def _keys(designs: Sequence[str]) -> list[str]:
    """Validated design keys: a list or tuple of one to four keys of :data:`DESIGNS`."""
    _validate.instance(designs, "designs", (list, tuple))
    _validate.integer(len(designs), "the number of designs", minimum=1, maximum=len(DESIGNS))
    return [_key(d, "designs") for d in designs]


def _scenario(scenario: str) -> tuple[float, ...]:
    return SCENARIOS[_validate.one_of(scenario, "scenario", tuple(SCENARIOS))]


def _start(start_dose: int) -> int:
    return _validate.dose(start_dose, N_DOSES, "start_dose")


@lru_cache(maxsize=64)
def _design(key: str, start_dose: int) -> esc.Design:
    return esc.make_design(key, N_DOSES, TARGET, start_dose=start_dose)


@lru_cache(maxsize=128)
def _oc(key: str, scenario: str, start_dose: int) -> esc.OperatingCharacteristics:
    return _design(key, start_dose).operating_characteristics(SCENARIOS[scenario], method="auto")


@lru_cache(maxsize=8)
def _simulated(key: str, scenario: str, start_dose: int, n_trials: int, seed: int) -> esc.OperatingCharacteristics:
    return _design(key, start_dose).simulate(SCENARIOS[scenario], n_trials=n_trials, seed=seed).summary()


def operating_characteristics(design: str, scenario: str = "target_4", start_dose: int = 1
                              ) -> esc.OperatingCharacteristics:
    """Exact operating characteristics of one of the chapter's designs on one of its scenarios (cached).

    Parameters
    ----------
    design : {"3+3", "BOIN", "CRM", "ATD"}
        A key of :data:`DESIGNS`; the design is ``esc.make_design(design, 5, 0.3, start_dose=start_dose)``.
    scenario : str
        A key of :data:`SCENARIOS`.
    start_dose : int
        Dose (1..5) of the first cohort.

    Returns
    -------
    dosecourse.escalation.OperatingCharacteristics
        Exact (``.exact`` is True) for every design of the chapter.

    Raises
    ------
    ValueError, TypeError
        On an unknown design or scenario, or a start dose outside 1..5.

    Examples
    --------
    >>> oc = operating_characteristics("3+3")
    >>> oc.exact, round(float(oc.selection[3]), 4)
    (True, 0.2691)
    """
    key, start = _key(design), _start(start_dose)
    _scenario(scenario)
    return _oc(key, scenario, start)


def summary(design: str, scenario: str = "target_4", start_dose: int = 1) -> esc.Summary:
    """:meth:`~dosecourse.escalation.OperatingCharacteristics.summary` of :func:`operating_characteristics` at the
    chapter's target: selection of the correct dose, patients below, at and above it, sample size.

    Parameters
    ----------
    design : {"3+3", "BOIN", "CRM", "ATD"}
        A key of :data:`DESIGNS`.
    scenario : str
        A key of :data:`SCENARIOS` (default ``"target_4"``).
    start_dose : int
        Dose (1..5) of the first cohort (default 1).

    Returns
    -------
    dosecourse.escalation.Summary
        Exact, with the correct dose closest to :data:`TARGET`.

    Raises
    ------
    ValueError, TypeError
        On an unknown design or scenario, or a start dose outside 1..5.

    Examples
    --------
    >>> s = summary("BOIN")
    >>> s.correct, round(s.pcs, 4), round(s.n_below, 2)
    ((4,), 0.5482, 15.96)
    """
    return operating_characteristics(design, scenario, start_dose).summary(target=TARGET)


# ------------------------------------------------------------------------------------------------ the plan
def first_two_cohorts(start_dose: int = 1, designs: Sequence[str] = ("3+3", "BOIN", "CRM"),
                      lang: str = "en") -> pd.DataFrame:
    """Every outcome of the first two cohorts of three and what each design does next, one column per design.

    Parameters
    ----------
    start_dose : int
        Dose (1..5) of the first cohort, the same for every design.
    designs : sequence of str
        Keys of :data:`DESIGNS` with cohorts of three (not ``"ATD"``, whose first cohorts have one patient).
    lang : {"en", "zh-tw"}
        Language of the headers and cells.

    Returns
    -------
    pandas.DataFrame
        One row per pair of DLT counts (cohort 1, cohort 2), 16 rows.  A cell reads "dose of cohort 2 -> dose of
        cohort 3" (or the word for stop), or says that the trial stopped after cohort 1.  Read from each design's
        own :meth:`~dosecourse.escalation.Design.pathways`, aligned on the same data.

    Raises
    ------
    ValueError, TypeError
        On a start dose outside 1..5, an unknown design, a design without cohorts of three, or no design.

    Examples
    --------
    >>> first_two_cohorts(lang="en").iloc[0].tolist()
    ['0/3', '0/3', '2 → 3', '2 → 3', '2 → 3']
    """
    lang = check_lang(lang)
    start = _start(start_dose)
    keys = _keys(designs)
    for key in keys:
        if _design(key, start).cohort_size != 3 or key == "ATD":
            raise ValueError(f"designs: first_two_cohorts aligns designs with cohorts of three; {key!r} treats "
                             f"single patients first")
    dlts1, dlts2 = t("pathway_cohort_dlts", lang, i=1), t("pathway_cohort_dlts", lang, i=2)
    dose2, after2 = t("pathway_cohort_dose", lang, i=2), t("pathway_next", lang, i=2)
    rows = {(f"{a}/3", f"{b}/3"): {dlts1: f"{a}/3", dlts2: f"{b}/3"} for a, b in itertools.product(range(4), repeat=2)}
    for key in keys:
        column = esc.design_label(key, lang)
        for _, path in _design(key, start).pathways(2, lang=lang).iterrows():
            if path[dlts2] == "":  # the trial stopped after cohort 1
                for b in range(4):
                    rows[(path[dlts1], f"{b}/3")][column] = t("epv_stopped_after_1", lang)
            else:
                rows[(path[dlts1], path[dlts2])][column] = f"{path[dose2]} → {path[after2]}"
    return pd.DataFrame(list(rows.values()))


def plan_view(design: str, view: str = "pathways", start_dose: int = 1, lang: str = "en") -> pd.DataFrame | str:
    """The pre-specified plan of one design: its pathways for the next two cohorts, its decision table or its
    protocol text.

    Parameters
    ----------
    design : {"3+3", "BOIN", "CRM", "ATD"}
        A key of :data:`DESIGNS`.
    view : {"pathways", "table", "protocol"}
        What to show (:data:`VIEWS`).  The CRM has no decision table: its "table" is a one-cell note.
    start_dose : int
        Dose (1..5) of the first cohort.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame or str
        A table for "pathways" and "table", the protocol text for "protocol".

    Raises
    ------
    ValueError, TypeError
        On an unknown design or view, or a start dose outside 1..5.

    Examples
    --------
    >>> plan_view("3+3", "table").shape
    (5, 2)
    """
    lang = check_lang(lang)
    chosen = _design(_key(design), _start(start_dose))
    view = _validate.one_of(view, "view", VIEWS)
    if view == "pathways":
        return chosen.pathways(2, lang=lang)
    if view == "protocol":
        return chosen.describe(lang)
    if design == "CRM":
        return pd.DataFrame({t("epv_col_note", lang): [t("epv_crm_no_table", lang)]})
    return chosen.decision_table(max_n=12, lang=lang) if design == "BOIN" else chosen.decision_table(lang=lang)


def protocol_appendix(design: str = "BOIN", start_dose: int = 1, lang: str = "en"):
    """The design's pre-specified plan as the protocol appendix the package prints
    (:meth:`~dosecourse.escalation.Design.protocol`), shown as HTML under the chapter's level-3 section.

    Parameters
    ----------
    design : {"3+3", "BOIN", "CRM", "ATD"}
        A key of :data:`DESIGNS`.
    start_dose : int
        Dose (1..5) of the first cohort.
    lang : {"en", "zh-tw"}

    Returns
    -------
    IPython.display.HTML
        The appendix (title at heading level 4): parameters, rule, decision table or pathways, stopping rules,
        MTD selection and reference.  ``design.protocol("markdown")`` gives the same appendix as text.

    Raises
    ------
    ValueError, TypeError
        On an unknown design or language, or a start dose outside 1..5.

    Examples
    --------
    >>> "<h4>" in protocol_appendix("CRM").data
    True
    """
    from IPython.display import HTML

    lang = check_lang(lang)
    return HTML(_design(_key(design), _start(start_dose)).protocol("html", lang, level=4))


# ------------------------------------------------------------------------------------------------ tables
def _method(oc: esc.OperatingCharacteristics, lang: str) -> str:
    return t("epv_exact", lang) if oc.exact else t("epv_simulated", lang, n=f"{oc.n_trials:,}")


def _round(value: float | None, digits: int, scale: float = 1.0) -> float:
    """``scale * value`` rounded, NaN where the measure is undefined (no dose below or above the correct dose)."""
    return float("nan") if value is None else round(scale * value, digits)


def _table(rows: Mapping[str, esc.OperatingCharacteristics], lang: str) -> pd.DataFrame:
    """One row per entry of ``rows``: the chapter's summary of its operating characteristics."""
    frame = {}
    for name, oc in rows.items():
        s = oc.summary(target=TARGET)
        frame[name] = {t("epv_col_p_target", lang): _round(s.pcs, 1, 100),
                       t("epv_col_p_above", lang): _round(s.select_above, 1, 100),
                       t("epv_col_n_below", lang): _round(s.n_below, 2),
                       t("epv_col_n_at", lang): _round(s.n_at, 2),
                       t("epv_col_n_above", lang): _round(s.n_above, 2),
                       t("epv_col_total_n", lang): round(s.total_n, 2),
                       t("epv_col_dlts", lang): round(s.dlts, 2),
                       t("epv_col_method", lang): _method(oc, lang)}
    table = pd.DataFrame.from_dict(frame, orient="index")
    table.index.name = t("epv_col_design", lang)
    return table


def oc_table(scenario: str = "target_4", start_dose: int = 1, designs: Sequence[str] = DESIGNS,
             lang: str = "en") -> pd.DataFrame:
    """Operating characteristics of the designs on one scenario, one row each, around the correct dose.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.
    start_dose : int
        Dose (1..5) of the first cohort.
    designs : sequence of str
        Keys of :data:`DESIGNS`.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        Columns: selection of the correct dose and of a higher dose (%), mean patients below, at and above the
        correct dose, mean sample size, mean DLTs, and how the numbers were obtained; from
        :class:`~dosecourse.escalation.Summary`.

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or design, or a start dose outside 1..5.

    Examples
    --------
    >>> oc_table(designs=("3+3",)).iloc[0, 0]
    26.9
    """
    lang = check_lang(lang)
    keys = _keys(designs)
    return _table({esc.design_label(k, lang): operating_characteristics(k, scenario, start_dose) for k in keys}, lang)


def start_dose_table(scenario: str = "target_4", starts: Sequence[int] = START_DOSES,
                     designs: Sequence[str] = ("3+3", "BOIN", "CRM"), lang: str = "en") -> pd.DataFrame:
    """:func:`oc_table` of each design started at each of ``starts``, one row per design and start.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS` (default ``"target_4"``).
    starts : sequence of int
        Start doses (each 1..5) to compare (default :data:`START_DOSES`).
    designs : sequence of str
        Keys of :data:`DESIGNS` (default 3+3, BOIN and CRM).
    lang : {"en", "zh-tw"}
        Language of the row labels and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`oc_table`; rows named "design, start at dose s", designs outer, starts inner.

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or design, or a start dose outside 1..5.

    Examples
    --------
    >>> list(start_dose_table(designs=("3+3",)).index)
    ['3+3, start at dose 1', '3+3, start at dose 3']
    """
    lang = check_lang(lang)
    keys = _keys(designs)
    firsts = [_start(s) for s in starts]
    rows = {t("epv_design_start", lang, design=esc.design_label(k, lang), start=s):
            operating_characteristics(k, scenario, s) for k in keys for s in firsts}
    return _table(rows, lang)


def accelerated_table(scenario: str = "target_4", lang: str = "en") -> pd.DataFrame:
    """The 3+3 and accelerated titration, exactly, and accelerated titration simulated (:data:`AT_N_TRIALS`
    trials, seed :data:`SEED`) as a check on its enumeration.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS` (default ``"target_4"``).
    lang : {"en", "zh-tw"}
        Language of the row labels and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Three rows (3+3 exact, accelerated titration exact, accelerated titration simulated) and the columns of
        :func:`oc_table`.

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario.

    Examples
    --------
    >>> accelerated_table().shape
    (3, 8)
    """
    lang = check_lang(lang)
    _scenario(scenario)
    rows = {t("epv_row_exact", lang, design=esc.design_label("3+3", lang)): operating_characteristics("3+3", scenario),
            t("epv_row_exact", lang, design=esc.design_label("ATD", lang)): operating_characteristics("ATD", scenario),
            t("epv_row_simulated", lang, design=esc.design_label("ATD", lang)):
                _simulated("ATD", scenario, 1, AT_N_TRIALS, SEED)}
    return _table(rows, lang)


def sentinel_table(qs: Sequence[float] = (0.05, 0.2, 0.5, 1.0), cohort_size: int = 3,
                   lang: str = "en") -> pd.DataFrame:
    """Expected patients with an acute reaction per cohort, dosed together or after one sentinel
    (:func:`dosecourse.sentinel.expected_reactions`).

    Parameters
    ----------
    qs : sequence of float
        Probabilities of an acute reaction per patient, each in [0, 1].
    cohort_size : int
        Patients in the cohort.
    lang : {"en", "zh-tw"}

    Returns
    -------
    pandas.DataFrame
        One row per probability: expected reactions dosed together, after one sentinel, and the reactions
        prevented.

    Raises
    ------
    ValueError, TypeError
        On probabilities outside [0, 1] or an invalid cohort size.

    Examples
    --------
    >>> sentinel_table((1.0,), lang="en").iloc[0].tolist()
    [1.0, 3.0, 1.0, 2.0]
    """
    lang = check_lang(lang)
    q = _validate.real_array(qs, "qs", minimum=0.0, maximum=1.0, ndim=1, nonempty=True, max_size=100)
    together = sentinel.expected_reactions(q, cohort_size, 0)
    first = sentinel.expected_reactions(q, cohort_size, 1)
    spared = sentinel.reactions_prevented(q, cohort_size, 1)
    return pd.DataFrame({t("epv_col_q", lang): q, t("epv_col_together", lang, c=cohort_size): np.round(together, 3),
                         t("epv_col_sentinel", lang): np.round(first, 3),
                         t("epv_col_spared", lang): np.round(spared, 3)})


def class_table(lang: str = "en") -> pd.DataFrame:
    """What an escalation protocol pre-specifies for each molecular class (:data:`CLASSES`), in ``lang``.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        One row per class: the class, where the starting dose comes from, the escalation features, and the
        observation that changes the next decision.

    Examples
    --------
    >>> class_table("en").shape
    (4, 4)
    """
    lang = check_lang(lang)
    cols = ("class", "start", "escalation", "observation")
    return pd.DataFrame([{t(f"epv_cls_col_{c}", lang): t(f"epv_cls_{k}_{c}", lang) for c in cols} for k in CLASSES])


# ------------------------------------------------------------------------------------------------ figures
def _ticks(tox: Sequence[float]) -> list[str]:
    return [f"{d}\n{p:.2f}" for d, p in enumerate(tox, start=1)]


@style.course_figure
def oc_figure(scenario: str = "target_4", start_dose: int = 1, *, highlight: str | None = None,
              lang: str = "en") -> Figure:
    """Selection probabilities and mean patients per dose, one bar per design, the correct dose shaded.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.
    start_dose : int
        Dose (1..5) where every design starts.
    highlight : str, optional
        A key of :data:`DESIGNS` whose bars get a black outline (the widget's chosen design).
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or design, or a start dose outside 1..5.
    """
    tox = _scenario(scenario)
    start = _start(start_dose)
    if highlight is not None:
        _key(highlight, "highlight")
    correct = esc.correct_doses(tox, TARGET)
    fig, axes = style.new_figure(ncols=2, figsize=(9.2, 4.0))
    doses = np.arange(1, N_DOSES + 1)
    width = 0.8 / len(DESIGNS)
    for i, key in enumerate(DESIGNS):
        oc = operating_characteristics(key, scenario, start)
        x = doses - 0.4 + width * (i + 0.5)
        edge = {"edgecolor": style.BLACK, "linewidth": 1.4} if key == highlight else {}
        axes[0].bar(x, 100 * oc.selection, width, color=_COLOURS[key], label=esc.design_label(key, lang), **edge)
        axes[1].bar(x, oc.patients, width, color=_COLOURS[key], **edge)
    for ax in axes:
        for d in correct:
            ax.axvspan(d - 0.5, d + 0.5, color=style.GREY_LIGHT, zorder=0)
            ax.text(d, 1.0, t("epv_target_dose", lang), transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=style.TINY_SIZE)
        ax.set_xticks(doses, _ticks(tox))
        ax.set_xlabel(t("epv_xlabel", lang))
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel(t("epv_ylabel_selection", lang))
    axes[1].set_ylabel(t("epv_ylabel_patients", lang))
    axes[0].set_title(t("epv_title_selection", lang), loc="left", pad=14)
    axes[1].set_title(t("epv_title_patients", lang), loc="left", pad=14)
    fig.suptitle(t("epv_fig_start", lang, start=start), x=0.01, ha="left", fontsize=style.FONT_SIZE)
    fig.legend(loc="outside lower center", ncols=len(DESIGNS))
    return fig


@style.course_figure
def start_dose_figure(scenario: str = "target_4", starts: Sequence[int] = START_DOSES,
                      designs: Sequence[str] = ("3+3", "BOIN", "CRM"), *, lang: str = "en") -> Figure:
    """Patients treated below the correct dose and probability of selecting it, by design and start dose.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS` (with a single correct dose).
    starts : sequence of int
        Start doses, one bar each (at most five).
    designs : sequence of str
        Keys of :data:`DESIGNS`, one group of bars each.
    lang : {"en", "zh-tw"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels of grouped bars: left, mean patients below the correct dose; right, the probability (%) of
        selecting it.

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or design, or a start dose outside 1..5.
    """
    tox = _scenario(scenario)
    keys = _keys(designs)
    _validate.instance(starts, "starts", (list, tuple))
    _validate.integer(len(starts), "the number of starts", minimum=1, maximum=len(_START_COLOURS))
    firsts = [_start(s) for s in starts]
    (target_dose, *_) = esc.correct_doses(tox, TARGET)
    fig, axes = style.new_figure(ncols=2, figsize=(9.2, 3.8))
    x = np.arange(len(keys))
    width = 0.8 / len(firsts)
    for i, s in enumerate(firsts):
        nums = [summary(k, scenario, s) for k in keys]
        below = [n.n_below or 0.0 for n in nums]  # None: no dose below the correct dose, so nobody is treated there
        select = [100 * n.pcs for n in nums]
        xs = x - 0.4 + width * (i + 0.5)
        label = t("epv_start_label", lang, start=s, target=target_dose)
        axes[0].bar(xs, below, width, color=_START_COLOURS[i], label=label)
        axes[1].bar(xs, select, width, color=_START_COLOURS[i])
        for ax, values, fmt in ((axes[0], below, "{:.1f}"), (axes[1], select, "{:.0f}%")):
            for xv, v in zip(xs, values):
                ax.text(xv, v, fmt.format(v), ha="center", va="bottom", fontsize=style.TINY_SIZE)
    for ax in axes:
        ax.set_xticks(x, [esc.design_label(k, lang) for k in keys])
        ax.grid(axis="x", visible=False)
    axes[0].set_title(t("epv_title_below", lang, dose=target_dose), loc="left")
    axes[1].set_title(t("epv_title_select_target", lang, dose=target_dose), loc="left")
    axes[0].set_ylabel(t("epv_ylabel_patients", lang))
    axes[1].set_ylabel(t("epv_ylabel_selection", lang))
    axes[1].set_ylim(0, 100)
    fig.legend(loc="outside lower center", ncols=len(firsts))
    return fig


# ------------------------------------------------------------------------------------------------ widget
def _scenario_option(key: str, lang: str) -> str:
    return t(f"epv_scenario_{key}", lang, tox=", ".join(f"{p:.2f}" for p in SCENARIOS[key]))


def _view_option(view: str, lang: str) -> str:
    return t(f"epv_w_view_{view}", lang)


def _plan_part(lang: str, design: str, view: str, start_dose: int) -> pd.DataFrame | str:
    return plan_view(design, view, start_dose, lang=lang)


def _oc_part(lang: str, design: str, scenario: str, start_dose: int) -> pd.DataFrame:
    return oc_table(scenario, start_dose, designs=(design,), lang=lang)


def _figure_part(lang: str, scenario: str, start_dose: int, design: str) -> Figure:
    return oc_figure(scenario, start_dose, highlight=design, lang=lang)


def _gap(name: str) -> str:
    """The space between a name and the next word: none after a Chinese character (Taiwan usage)."""
    return "" if "\u4e00" <= name[-1] <= "\u9fff" else " "


def figure_alt(scenario: str = "target_4", start_dose: int = 1, highlight: str | None = None,
               lang: str = "en") -> str:
    """The alt text of :func:`oc_figure`: the scenario, the start and, per design, the selection of the correct
    dose and the patients treated there.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS` (default ``"target_4"``).
    start_dose : int
        Dose (1..5) where every design starts (default 1).
    highlight : str, optional
        A key of :data:`DESIGNS` whose outlined bars the text mentions (None: no sentence about it).
    lang : {"en", "zh-tw"}
        Language of the text (default ``"en"``).

    Returns
    -------
    str

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or design, or a start dose outside 1..5.

    Examples
    --------
    >>> "BOIN selects it in 55% of trials" in figure_alt()
    True
    """
    lang = check_lang(lang)
    tox = _scenario(scenario)
    listed = t("epv_list_sep", lang)
    correct = listed.join(str(d) for d in esc.correct_doses(tox, TARGET))
    per_design = t("epv_alt_sep", lang).join(
        t("epv_alt_design", lang, design=esc.design_label(k, lang), gap=_gap(esc.design_label(k, lang)),
          pcs=100 * s.pcs, n_at=s.n_at)
        for k, s in ((k, summary(k, scenario, start_dose)) for k in DESIGNS))
    text = t("epv_alt", lang, tox=listed.join(f"{p:.2f}" for p in tox), correct=correct, start=_start(start_dose),
             designs=per_design)
    if highlight is not None:
        name = esc.design_label(_key(highlight, "highlight"), lang)
        text += t("epv_alt_highlight", lang, design=name, gap=_gap(name))
    return text


def _widget_alt(lang: str, values: Mapping) -> str:
    return figure_alt(values["scenario"], values["start_dose"], values["design"], lang)


def _prepare_trees() -> None:
    """Build the outcome tree of every design's exact enumeration for every start dose of the widget's slider.

    A tree depends on the design and the start dose, not on the scenario
    (:data:`dosecourse.escalation.interval.PLANS`), so the Jupyter view builds them all when it opens and a
    redraw only multiplies and sums path probabilities over a stored tree; the results are the same to the last
    bit.  The operating characteristics computed on the way are not kept.
    """
    tox = SCENARIOS["target_4"]
    for start in range(1, N_DOSES + 1):
        for key in DESIGNS:
            _design(key, start).exact(tox)


widget = LiveWidget(
    "escalation_plan",
    controls=(
        Choice("design", "epv_w_design", DESIGNS, value="BOIN", option_label=esc.design_label),
        Choice("scenario", "epv_w_scenario", tuple(SCENARIOS), value="target_4", option_label=_scenario_option),
        Slider("start_dose", "epv_w_start", 1, N_DOSES, 1, value=1, site=(1, 2, 3), fmt="{:.0f}"),
        Choice("view", "epv_w_view", VIEWS, value="pathways", option_label=_view_option),
    ),
    parts=(Part(_plan_part, ("design", "view", "start_dose")),
           Part(_oc_part, ("design", "scenario", "start_dose")),
           Part(_figure_part, ("scenario", "start_dose", "design"), alt=_widget_alt)),
    columns=2,
    prepare=_prepare_trees,
)
"""Design, scenario, start dose and view in; out, three parts that each redraw only when their own controls move:
the plan (:func:`plan_view`: design, view, start), the chosen design's operating characteristics
(:func:`oc_table`: design, scenario, start) and :func:`oc_figure` of all four designs with the chosen one outlined
(scenario, start, design).  On the site the start dose takes 1, 2 or 3 (48 figure states per language; in Jupyter
the slider runs from 1 to 5, and the view builds every design's outcome tree for the five start doses when it
opens, :func:`_prepare_trees`)."""


# ------------------------------------------------------------------------------------------------ numbers
@lru_cache(maxsize=1)
def _numbers() -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    boin = _design("BOIN", 1)
    table = boin.decision_table(max_n=12)
    out.update(plan_tpt_escalate_p30=esc.three_plus_three_escalation(TARGET), plan_boin_lambda_e=boin.lambda_e,
               plan_boin_lambda_d=boin.lambda_d, plan_boin_esc_6=int(table[6].iloc[1]),
               plan_boin_deesc_6=int(table[6].iloc[2]), plan_boin_elim_6=int(table[6].iloc[3]),
               plan_pr_over_3of3=float(esc.overdose_probability(TARGET, 3, 3)),
               plan_n_pathways=len(first_two_cohorts()), plan_seed=SEED)
    for key in DESIGNS:
        s, short = summary(key), GLUE_KEYS[key]
        out.update({f"plan_p_target_{short}": s.pcs, f"plan_p_above_{short}": s.select_above,
                    f"plan_n_below_{short}": s.n_below, f"plan_n_at_{short}": s.n_at,
                    f"plan_n_total_{short}": s.total_n})
    out["plan_tpt_p_dose3"] = float(operating_characteristics("3+3").selection[2])
    for key in ("3+3", "BOIN", "CRM"):
        for start in START_DOSES:
            s = summary(key, "target_4", start)
            for field, value in (("n_below", s.n_below), ("p_target", s.pcs), ("n_at", s.n_at),
                                 ("n_above", s.n_above), ("total_n", s.total_n)):
                out[f"plan_start_{GLUE_KEYS[key]}_{start}_{field}"] = value
    # the 3+3 of the textbooks' closed forms (escalation-only: the MTD may have three patients), for comparison
    eo = esc.ThreePlusThree(N_DOSES, variant="escalation-only").exact(SCENARIOS["target_4"]).summary(target=TARGET)
    out.update(plan_tpt_eo_p_target=eo.pcs, plan_tpt_eo_p_above=eo.select_above, plan_tpt_eo_n_total=eo.total_n,
               plan_tpt_mtd6_p30=(1 - TARGET) ** 6 + 6 * TARGET * (1 - TARGET) ** 5)
    atd, tpt = operating_characteristics("ATD"), operating_characteristics("3+3")
    out.update(plan_at_n_trials=AT_N_TRIALS, plan_at_saved=summary("3+3").n_below - summary("ATD").n_below,
               plan_at_dose12=float(atd.patients[:2].sum()), plan_tpt_dose12=float(tpt.patients[:2].sum()))
    for q, name in ((1.0, "q100"), (0.5, "q50"), (0.05, "q05")):
        out[f"plan_sent_{name}_together"] = sentinel.expected_reactions(q, 3, 0)
        out[f"plan_sent_{name}"] = sentinel.expected_reactions(q, 3, 1)
    for start in (1, 2):
        s = summary("3+3", "target_3", start)
        out.update({f"plan_ex2_{start}_p_target": s.pcs, f"plan_ex2_{start}_n_below": s.n_below,
                    f"plan_ex2_{start}_total_n": s.total_n})
    return {k: v if isinstance(v, int) else float(v) for k, v in out.items()}


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_escalation_plan.py``).

    Examples
    --------
    >>> numbers()["plan_n_pathways"], round(numbers()["plan_p_target_boin"], 3)
    (16, 0.548)
    """
    out = dict(_numbers())
    g = GLOFITAMAB
    span = g["highest_mg"] / g["lowest_mg"]
    levels = dose_grid.levels_to_reach(span, "doubling")
    out.update(plan_glofit_gpt_mg=g["pretreatment_mg"], plan_glofit_gpt_days=int(g["pretreatment_days_before"]),
               plan_glofit_lo_mg=g["lowest_mg"], plan_glofit_hi_mg=g["highest_mg"],
               plan_glofit_n=int(g["n_multipatient"]), plan_glofit_span=span,
               plan_glofit_doublings=dose_grid.steps_to_reach(span, "doubling"), plan_glofit_levels=levels,
               plan_glofit_levels_pts=3 * levels)
    return out
