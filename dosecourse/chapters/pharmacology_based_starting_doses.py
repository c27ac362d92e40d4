"""Tables, figure, widget and numbers of the chapter "Pharmacology-based starting doses"
(``start/pharmacology-based-starting-doses``).

The science is in :mod:`dosecourse.mabel` (the MABEL from receptor occupancy, doses from concentrations, the
K_D implied by a reported occupancy), :mod:`dosecourse.pd` (binding and Emax models) and :mod:`dosecourse.fih`
(the toxicology-based MRSD and the comparison that takes the lowest estimate); this module shows it in the
reader's language:

* :func:`mabel_table`: the concentration and the dose that give a stated receptor occupancy (RO), by simple
  binding and with the drug bound to target added (the target-depletion correction);
* :func:`occupancy_dose_figure`: predicted RO right after an IV dose, against the dose on a log axis, with the
  MABEL, a dose actually given and a toxicology-based MRSD marked;
* :func:`compare_approaches`: :func:`dosecourse.fih.compare_starting_doses` with the chapter's two MABEL variants
  (from RO and from in-vitro potency) named in the reader's language;
* :func:`mabel_summary` and :data:`widget`: K_D, target occupancy and total target in; the MABEL, and how it
  compares with the toxicology-based dose, out;
* :func:`numbers`: every number the prose glues.

The old widget had a check box "count drug bound to target" next to a slider for the total target; on the site
every state with the box unticked would have repeated itself for each target value, so the two are one slider
here, whose 0 means simple binding.

References
----------
Muller PY, Brennan FR. Safety assessment and dose selection for first-in-human clinical trials with
immunomodulatory monoclonal antibodies. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
Waibler Z et al. Toward experimental assessment of receptor occupancy: TGN1412 revisited. J Allergy Clin Immunol.
2008;122(5):890-892. doi:10.1016/j.jaci.2008.07.049 (PMID 18805577)
EMA (CHMP). Guideline on strategies to identify and mitigate risks for first-in-human and early clinical trials
with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1, 20 July 2017.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator

from .. import _validate, data, fih, mabel
from ..fih import _fmt  # the three-significant-figure format of fih's own texts
from ..i18n import check_lang, t
from ..pd import concentration_for_effect
from . import style
from .widgets import LiveWidget, Part, Slider

_TGN1412 = data.load("tgn1412_waibler2008")

TGN1412_DOSE_MG_PER_KG: float = _TGN1412["first_dose_mg_per_kg"]
"""First dose of TGN1412 given in March 2006, mg/kg (Waibler et al. 2008; ``data/tgn1412_waibler2008.json``)."""

TGN1412_IN_SILICO_OCCUPANCY: tuple[float, float] = tuple(_TGN1412["in_silico_occupancy"])
"""CD28 occupancy at that dose estimated in silico by the expert scientific group, low and high (0.862, 0.909)."""

TEACHING_KD_NM = 2.0
"""K_D (nM) of the chapter's anti-CD28 teaching antibody: inside the 1.67-2.67 nM range implied by
:data:`TGN1412_IN_SILICO_OCCUPANCY` at 0.1 mg/kg under simple binding in 0.04 L/kg plasma."""

TEACHING_EC50_NM = 0.5
"""EC50 (nM) of the teaching antibody in an invented in-vitro T-cell activation assay (Hill coefficient 1)."""

TEACHING_MONKEY_NOAEL_MG_PER_KG: float = float(_TGN1412["cynomolgus_noael_mg_per_kg"])
"""TGN1412's reported NOAEL in cynomolgus monkeys, 50 mg/kg (Suntharalingam et al. 2006; the first human dose was
1/500 of it), used as the teaching antibody's NOAEL for the toxicology-based comparison."""

CHAPTER_APPROACHES: tuple[str, ...] = ("mabel_ro", "mabel_potency")
"""Approach ids of this chapter, translated by :func:`compare_approaches` (``mv_approach_<id>``)."""


def teaching_mrsd() -> fih.MRSDResult:
    """The toxicology-based MRSD from TGN1412's cynomolgus NOAEL, 50 mg/kg, with a safety factor of 10.

    Returns
    -------
    dosecourse.fih.MRSDResult
        ``fih.mrsd({"monkey": TEACHING_MONKEY_NOAEL_MG_PER_KG})``: 50 x 12/37 / 10 = 1.62 mg/kg.

    Examples
    --------
    >>> round(teaching_mrsd().mrsd_mg_per_kg, 3)   # 50 x 12/37 / 10
    1.622
    """
    return fih.mrsd({"monkey": TEACHING_MONKEY_NOAEL_MG_PER_KG})


def mabel_table(kd_nm: float = TEACHING_KD_NM, occupancies: Sequence[float] = (0.1, 0.2),
                target_totals_nm: Sequence[float] = (0.0,), lang: str = "en", *,
                weight_kg: float = fih.HUMAN_WEIGHT_KG) -> pd.DataFrame:
    """Concentration and dose giving each receptor occupancy, for one or more total target concentrations.

    Parameters
    ----------
    kd_nm : float, default 2
        Dissociation constant K_D, nM (> 0).
    occupancies : sequence of float, default (0.1, 0.2)
        Receptor occupancies aimed at, each in (0, 1).
    target_totals_nm : sequence of float, default (0,)
        Total target concentrations R_tot, nM (>= 0); 0 is simple binding (no target depletion).
    lang : {"en", "zh-tw"}
        Language of the column headers.
    weight_kg : float, default 60
        Body weight for the flat dose, kg.

    Returns
    -------
    pandas.DataFrame
        One row per (R_tot, RO): R_tot (nM), RO (%), free drug (nM), drug bound to target (nM), total drug
        (nM), the dose in ug/kg (IgG, 150 kDa, in 0.04 L/kg plasma) and the flat dose in ug.

    Raises
    ------
    ValueError
        If an occupancy is outside (0, 1), K_D is not positive or a target concentration is negative.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: C_{free} = K_D \\frac{RO}{1 - RO}, \\qquad C_{tot} = C_{free} + RO \\cdot R_{tot}, \\qquad
              D = C_{tot} \\times 10^{-6} \\times MW \\times V_{plasma}

    (:func:`dosecourse.mabel.mabel_concentration`, :func:`dosecourse.mabel.dose_from_concentration`.)

    Examples
    --------
    >>> tab = mabel_table(1.8, occupancies=(0.1,))
    >>> round(float(tab.iloc[0, 5]), 2)   # ug/kg: 0.2 nM x 150 000 g/mol x 0.04 L/kg
    1.2
    """
    lang = check_lang(lang)
    kd = _validate.positive(kd_nm, "kd_nm")
    weight = _validate.positive(weight_kg, "weight_kg")
    targets = _validate.real_array(target_totals_nm, "target_totals_nm", minimum=0.0, ndim=1, nonempty=True,
                                   max_size=100)
    ros = _validate.probabilities(occupancies, "occupancies")
    rows = []
    for rt in targets.tolist():
        for ro in ros.tolist():
            free = mabel.mabel_concentration(kd, ro)
            total = mabel.mabel_concentration(kd, ro, rt) if rt > 0 else free
            dose_ug = 1000.0 * mabel.dose_from_concentration(total)
            rows.append({
                t("mv_col_target", lang): rt,
                t("mv_col_ro", lang): 100.0 * ro,
                t("mv_col_free", lang): free,
                t("mv_col_bound", lang): total - free,
                t("mv_col_total", lang): total,
                t("mv_col_dose_ug", lang): dose_ug,
                t("mv_col_flat_ug", lang, weight=_fmt(weight)): dose_ug * weight,
            })
    return pd.DataFrame(rows)


def _dose_axis(marks: Sequence[float]) -> tuple[float, float]:
    """Decades of the log dose axis: from a decade below a third of the lowest mark to above three times the top."""
    return (float(10 ** np.floor(np.log10(min(marks) / 3))), float(10 ** np.ceil(np.log10(max(marks) * 3))))


@style.course_figure
def occupancy_dose_figure(kd_nm: float = TEACHING_KD_NM, *, target_total_nm: float | None = None,
                          mabel_occupancies: Sequence[float] = (0.1, 0.2),
                          given_dose_mg_per_kg: float | None = TGN1412_DOSE_MG_PER_KG,
                          mrsd_mg_per_kg: float | None = None, lang: str = "en") -> Figure:
    """Predicted receptor occupancy right after an IV dose, against the dose, with the MABEL marked.

    The curve is RO of an IgG (150 kDa) diluted in 0.04 L/kg plasma (:func:`dosecourse.mabel.occupancy_from_dose`);
    with ``target_total_nm`` > 0 a second, solid curve accounts for the drug bound to target and the
    simple-binding curve is drawn dashed.  Green diamonds mark the MABEL at each occupancy of
    ``mabel_occupancies``; a vermillion circle marks a dose actually given, with its predicted RO; a dashed black
    line marks a toxicology-based MRSD.

    Parameters
    ----------
    kd_nm : float, default 2
        Dissociation constant K_D, nM (> 0).
    target_total_nm : float, optional
        Total target concentration, nM (>= 0). When > 0, the MABEL and the RO of the given dose use it.
    mabel_occupancies : sequence of float, default (0.1, 0.2)
        Occupancies that define the MABEL, each in (0, 1).
    given_dose_mg_per_kg : float, optional
        A dose given in a trial (default: TGN1412's 0.1 mg/kg); ``None`` to omit.
    mrsd_mg_per_kg : float, optional
        Toxicology-based starting dose (an MRSD) to draw for comparison.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If an argument is out of range.
    TypeError
        If an argument is not numeric.
    """
    kd = _validate.positive(kd_nm, "kd_nm")
    rt = None if target_total_nm is None else _validate.positive(target_total_nm, "target_total_nm",
                                                                 allow_zero=True)
    ros = _validate.probabilities(mabel_occupancies, "mabel_occupancies").tolist()
    given = None if given_dose_mg_per_kg is None else _validate.positive(given_dose_mg_per_kg,
                                                                         "given_dose_mg_per_kg")
    mrsd = None if mrsd_mg_per_kg is None else _validate.positive(mrsd_mg_per_kg, "mrsd_mg_per_kg")
    depletion = rt is not None and rt > 0
    target = rt if depletion else None
    c_curve, c_mabel, c_given, c_mrsd = style.BLUE, style.GREEN, style.VERMILLION, style.BLACK
    box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

    mabels = [mabel.mabel_dose(kd, ro, target_total_nm=target) for ro in ros]
    lo, hi = _dose_axis([*mabels, *([given] if given else []), *([mrsd] if mrsd else [])])
    doses = np.logspace(np.log10(lo), np.log10(hi), 400)

    fig, ax = style.new_figure(figsize=(7.4, 4.6))
    if depletion:
        ax.plot(doses, 100 * mabel.occupancy_from_dose(doses, kd), color=c_curve, lw=1.3, ls="--",
                label=t("mv_leg_simple", lang))
        ax.plot(doses, 100 * mabel.occupancy_from_dose(doses, kd, target_total_nm=rt), color=c_curve, lw=2.0,
                label=t("mv_leg_depletion", lang, rt=_fmt(rt)))
    else:
        ax.plot(doses, 100 * mabel.occupancy_from_dose(doses, kd), color=c_curve, lw=2.0,
                label=t("mv_leg_simple", lang))
    for ro, dose in zip(ros, mabels):
        ax.plot([dose, dose], [0, 100 * ro], color=c_mabel, lw=1.0, ls=":")
        ax.plot([dose], [100 * ro], "D", color=c_mabel, ms=7, zorder=4)
        # Left of the diamond, unless the diamond sits in the left third of the axis (the label would leave it).
        left = np.log(dose / lo) > np.log(hi / lo) / 3
        ax.annotate(t("mv_mabel_point", lang, ro=_fmt(100 * ro), dose=_fmt(1000 * dose)), xy=(dose, 100 * ro),
                    xytext=(-8, 4) if left else (8, -4), textcoords="offset points", ha="right" if left else "left",
                    va="bottom" if left else "top", color=c_mabel, fontsize=style.SMALL_SIZE, bbox=box)
    if given is not None:
        ro_given = mabel.occupancy_from_dose(given, kd, target_total_nm=target)
        ax.plot([given], [100 * ro_given], "o", color=c_given, ms=9, zorder=5)
        ax.annotate(t("mv_given_point", lang, dose=_fmt(given), ro=_fmt(100 * ro_given)),
                    xy=(given, 100 * ro_given), xytext=(-10, 8), textcoords="offset points", ha="right",
                    va="bottom", color=c_given, fontsize=style.SMALL_SIZE, bbox=box)
    if mrsd is not None:
        ax.axvline(mrsd, color=c_mrsd, lw=1.3, ls="--")
        ax.annotate(t("mv_mrsd_label", lang, dose=_fmt(mrsd)), xy=(mrsd, 0.04), xycoords=ax.get_xaxis_transform(),
                    xytext=(-3, 0), textcoords="offset points", rotation=90, ha="right", va="bottom",
                    color=c_mrsd, fontsize=style.SMALL_SIZE)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    # Minor ticks at 2 and 5 of each decade only: the default eight per decade are a third of a live redraw.
    ax.xaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ax.set_ylim(0, 105)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}"))
    ax.set_xlabel(t("mv_xlabel", lang))
    ax.set_ylabel(t("mv_ylabel", lang))
    ax.set_title(t("mv_title", lang, kd=_fmt(kd)), loc="left")
    handles, _ = ax.get_legend_handles_labels()
    # The two long entries (MABEL, MRSD) go in the second column, so that the legend stays narrower than the
    # figure in Chinese too (the site images are not cropped to fit).
    if given is not None:
        handles.append(Line2D([], [], marker="o", ls="", color=c_given, ms=8, label=t("mv_leg_given", lang)))
    handles.append(Line2D([], [], marker="D", ls="", color=c_mabel, ms=7, label=t("mv_leg_mabel", lang)))
    if mrsd is not None:
        handles.append(Line2D([], [], ls="--", color=c_mrsd, label=t("mv_leg_mrsd", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=style.SMALL_SIZE)
    return fig


def compare_approaches(estimates_mg_per_kg: Mapping[str, object], lang: str = "en", *,
                       weight_kg: float = fih.HUMAN_WEIGHT_KG) -> fih.StartingDoseComparison:
    """:func:`dosecourse.fih.compare_starting_doses` with this chapter's approach names in ``lang``.

    Parameters
    ----------
    estimates_mg_per_kg : mapping of str to float, MRSDResult or S9StartingDose
        Approach id -> estimate.  The ids ``"mabel_ro"`` (MABEL from receptor occupancy) and
        ``"mabel_potency"`` (MABEL from an in-vitro EC10-EC20) are translated here; ``"noael_mrsd"``, ``"s9"``,
        ``"mabel"`` and ``"pad"`` by :mod:`dosecourse.fih`; any other key is shown as written.
    lang : {"en", "zh-tw"}
        Language of the approach names.
    weight_kg : float, default 60
        Body weight for flat doses.

    Returns
    -------
    dosecourse.fih.StartingDoseComparison
        With ``.to_frame(lang)`` and ``.explain(lang)``; ``.chosen`` is the (translated) name of the lowest.

    Raises
    ------
    ValueError, TypeError
        As :func:`dosecourse.fih.compare_starting_doses`.

    Examples
    --------
    >>> cmp = compare_approaches({"noael_mrsd": 1.62, "mabel_ro": 0.00133}, "en")
    >>> cmp.chosen
    'MABEL from receptor occupancy'
    """
    lang = check_lang(lang)
    named = {(t("mv_approach_" + k, lang) if k in CHAPTER_APPROACHES else k): v
             for k, v in _validate.mapping(estimates_mg_per_kg, "estimates_mg_per_kg").items()}
    return fih.compare_starting_doses(named, weight_kg=weight_kg)


def mabel_summary(kd_nm: float = TEACHING_KD_NM, occupancy_fraction: float = 0.1, *,
                  target_total_nm: float = 0.0, tox_dose_mg_per_kg: float | None = None,
                  lang: str = "en") -> str:
    """The MABEL calculation step by step, and its comparison with a toxicology-based dose, as text.

    Parameters
    ----------
    kd_nm : float, default 2
        Dissociation constant K_D, nM (> 0).
    occupancy_fraction : float, default 0.1
        Receptor occupancy that defines the MABEL, in (0, 1).
    target_total_nm : float, default 0
        Total target concentration, nM (>= 0); 0 means simple binding.
    tox_dose_mg_per_kg : float, optional
        A toxicology-based starting dose (MRSD) to compare with, mg/kg.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str
        One line per step; with ``tox_dose_mg_per_kg`` the lines of
        :meth:`dosecourse.fih.StartingDoseComparison.explain` follow.

    Raises
    ------
    ValueError, TypeError
        If an argument is out of range or not a number.

    Examples
    --------
    >>> print(mabel_summary(1.8, 0.1, lang="en").splitlines()[0])
    10% occupancy at K_D = 1.8 nM needs a free concentration of K_D x 0.1/0.9 = 0.2 nM.
    """
    lang = check_lang(lang)
    kd = _validate.positive(kd_nm, "kd_nm")
    ro = _validate.probability(occupancy_fraction, "occupancy_fraction")
    rt = _validate.positive(target_total_nm, "target_total_nm", allow_zero=True)
    free = mabel.mabel_concentration(kd, ro)
    lines = [t("mv_sum_free", lang, ro=_fmt(100 * ro), kd=_fmt(kd), a=_fmt(ro), b=_fmt(1 - ro), c=_fmt(free))]
    total = free
    if rt > 0:
        total = mabel.mabel_concentration(kd, ro, rt)
        lines.append(t("mv_sum_total", lang, rt=_fmt(rt), ro=_fmt(ro), c=_fmt(total)))
    dose = mabel.dose_from_concentration(total)
    lines.append(t("mv_sum_dose", lang, c=_fmt(total), ug=_fmt(1000 * dose),
                   flat=_fmt(1000 * dose * fih.HUMAN_WEIGHT_KG)))
    if tox_dose_mg_per_kg is not None:
        cmp = fih.compare_starting_doses({"noael_mrsd": tox_dose_mg_per_kg, "mabel": dose})
        lines += cmp.explain(lang).splitlines()
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ the widget
def _widget_text(lang: str, kd: float, ro_pct: float, target: float):
    from IPython.display import HTML

    text = mabel_summary(kd, ro_pct / 100.0, target_total_nm=target,
                         tox_dose_mg_per_kg=teaching_mrsd().mrsd_mg_per_kg, lang=lang)
    return HTML('<p class="cw-steps">' + "<br>".join(html.escape(line) for line in text.splitlines()) + "</p>")


def _widget_figure(lang: str, kd: float, ro_pct: float, target: float) -> Figure:
    return occupancy_dose_figure(kd, target_total_nm=target, mabel_occupancies=(ro_pct / 100.0,),
                                 mrsd_mg_per_kg=teaching_mrsd().mrsd_mg_per_kg, lang=lang)


def _widget_alt(lang: str, values: Mapping[str, float]) -> str:
    kd, ro, rt = values["kd"], values["ro_pct"] / 100.0, values["target"]
    target = rt if rt > 0 else None
    mrsd = teaching_mrsd().mrsd_mg_per_kg
    dose = mabel.mabel_dose(kd, ro, target_total_nm=target)
    lo, hi = _dose_axis([dose, TGN1412_DOSE_MG_PER_KG, mrsd])
    curve = (t("mv_alt_curves_target", lang, rt=_fmt(rt)) if target else t("mv_alt_curve_simple", lang))
    return t("mv_widget_alt", lang, lo=_fmt(lo), hi=_fmt(hi), kd=_fmt(kd), curve=curve, ro=_fmt(100 * ro),
             dose=_fmt(1000 * dose), given=_fmt(TGN1412_DOSE_MG_PER_KG),
             ro_given=_fmt(100 * mabel.occupancy_from_dose(TGN1412_DOSE_MG_PER_KG, kd, target_total_nm=target)),
             mrsd=_fmt(mrsd), ro_mrsd=_fmt(100 * mabel.occupancy_from_dose(mrsd, kd, target_total_nm=target)))


widget = LiveWidget(
    "pharmacology_based_starting_doses",
    controls=(
        Slider("kd", "mv_w_kd", 0.1, 50.0, 0.1, value=TEACHING_KD_NM, site=(0.2, 0.5, 2.0, 5.0, 20.0), fmt="{:g}"),
        Slider("ro_pct", "mv_w_ro", 5.0, 50.0, 1.0, value=10.0, site=(10.0, 20.0, 50.0), fmt="{:.0f}"),
        Slider("target", "mv_w_target_total", 0.0, 20.0, 0.5, value=0.0, site=(0.0, 1.0, 5.0, 10.0), fmt="{:g}"),
    ),
    parts=(Part(_widget_text, ("kd", "ro_pct", "target")),
           Part(_widget_figure, ("kd", "ro_pct", "target"), alt=_widget_alt)),
    columns=3,
)
"""K_D, the occupancy that defines the MABEL and the total target (0: simple binding) in; the steps of
:func:`mabel_summary` against the teaching MRSD, and :func:`occupancy_dose_figure` with TGN1412's first dose,
out.  Site grid: K_D 0.2 (tenfold below the teaching 2 nM), 0.5, 2, 5, 20 nM; occupancy 10, 20, 50%; total target
0, 1, 5, 10 nM: 60 figure states and 60 texts per language."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float]:
    """Every number the chapter's prose glues, by name.

    Returns
    -------
    dict of str to float
        Glue name (as in the notebook's prose) -> value; checked in
        ``tests/chapters/test_pharmacology_based_starting_doses.py``.

    Examples
    --------
    >>> round(numbers()["mabel_d10_ug"], 3)   # 2/9 nM x 6 ug/kg per nM
    1.333
    """
    kd = TEACHING_KD_NM
    c10, c20 = mabel.mabel_concentration(kd, 0.1), mabel.mabel_concentration(kd, 0.2)
    d10, d20 = mabel.mabel_dose(kd, 0.1), mabel.mabel_dose(kd, 0.2)
    d10_rt10 = mabel.mabel_dose(kd, 0.1, target_total_nm=10.0)
    out = dict(mabel_kd=kd, mabel_c10=c10, mabel_c20=c20, mabel_d10_ug=1000 * d10, mabel_d20_ug=1000 * d20,
               mabel_d10_rt10_ug=1000 * d10_rt10, mabel_rt10_fold=d10_rt10 / d10)

    # Potency: EC20 (MABEL) and EC50 (PAD) of the in-vitro assay, Hill coefficient 1.
    ec50 = TEACHING_EC50_NM
    ec20, ec10 = concentration_for_effect(0.2, ec50=ec50, hill=1.0), concentration_for_effect(0.1, ec50=ec50)
    mabel_potency, pad = mabel.dose_from_concentration(ec20), mabel.dose_from_concentration(ec50)
    out.update(mabel_ec50=ec50, mabel_ec20=ec20, mabel_ec10=ec10, mabel_pot_ug=1000 * mabel_potency,
               mabel_ec10_ug=1000 * mabel.dose_from_concentration(ec10), mabel_pad_ug=1000 * pad)

    # TGN1412: the first dose, the K_D range its reported occupancy implies, the teaching antibody's RO there.
    tgn_dose = TGN1412_DOSE_MG_PER_KG
    ro_low, ro_high = TGN1412_IN_SILICO_OCCUPANCY
    monkey = teaching_mrsd()
    out.update(mabel_tgn_dose=tgn_dose, mabel_tgn_conc=mabel.concentration_from_dose(tgn_dose),
               mabel_kd_lo=mabel.implied_kd(tgn_dose, ro_high), mabel_kd_hi=mabel.implied_kd(tgn_dose, ro_low),
               mabel_tgn_ro=100 * mabel.occupancy_from_dose(tgn_dose, kd), mabel_tgn_fold10=tgn_dose / d10,
               mabel_tgn_fold20=tgn_dose / d20, mabel_noael=TEACHING_MONKEY_NOAEL_MG_PER_KG,
               mabel_mrsd=monkey.mrsd_mg_per_kg, mabel_mrsd_fold=monkey.mrsd_mg_per_kg / d10,
               mabel_tgn_noael_fold=TEACHING_MONKEY_NOAEL_MG_PER_KG / tgn_dose,
               mabel_tgn_mrsd_fold=monkey.mrsd_mg_per_kg / tgn_dose)

    # The lowest of the four estimates (EMA).
    start = fih.compare_starting_doses({"noael_mrsd": monkey, "mabel_ro": d10, "mabel_potency": mabel_potency,
                                        "pad": pad}).starting_dose_mg_per_kg
    out.update(mabel_start_ug=1000 * start, mabel_start_flat_ug=1000 * start * fih.HUMAN_WEIGHT_KG,
               mabel_ro_over_start=d10 / start, mabel_mrsd_over_start=monkey.mrsd_mg_per_kg / start)

    # Exercises: 1, a second antibody (K_D 0.5 nM, R_tot 5 nM); 2, the potency assay refitted with Hill 2.
    ex1_simple, ex1_target = mabel.mabel_dose(0.5, 0.1), mabel.mabel_dose(0.5, 0.1, target_total_nm=5.0)
    ex2_ec20 = concentration_for_effect(0.2, ec50=ec50, hill=2.0)
    ex2_mabel = mabel.dose_from_concentration(ex2_ec20)
    ex2_start = fih.compare_starting_doses({"noael_mrsd": monkey, "mabel_ro": d10, "mabel_potency": ex2_mabel,
                                            "pad": pad}).starting_dose_mg_per_kg
    out.update(mabel_ex1_simple_ug=1000 * ex1_simple, mabel_ex1_target_ug=1000 * ex1_target,
               mabel_ex1_fold=ex1_target / ex1_simple, mabel_ex2_ec20=ex2_ec20, mabel_ex2_ug=1000 * ex2_mabel,
               mabel_ex2_start_ug=1000 * ex2_start)
    return {k: float(v) for k, v in out.items()}
