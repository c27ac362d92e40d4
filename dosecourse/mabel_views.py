"""Tables, a figure and a widget for the chapter "Pharmacology-based starting doses" (MABEL and PAD).

The calculations live in :mod:`dosecourse.fih` and :mod:`dosecourse.pd`; this module only shows them, in the
reader's language:

* :func:`mabel_table`: the concentration and the dose that give a stated receptor occupancy (RO), by simple
  binding and with the drug bound to target added (the target-depletion correction);
* :func:`occupancy_dose_figure`: predicted RO right after an IV dose, against the dose on a log axis, with the
  MABEL at 10% and 20% RO, a dose actually given and a toxicology-based MRSD marked;
* :func:`compare_approaches`: :func:`dosecourse.fih.compare_starting_doses` with the chapter's two MABEL variants
  (from RO and from in-vitro potency) named in the reader's language;
* :func:`mabel_summary` and :func:`widget`: K_D, target occupancy and target amount in; the MABEL, and how it
  compares with a toxicology-based dose, out.

Every user-facing string comes from ``labels/mabel_views.toml`` (and ``labels/fih.toml``) through
:func:`dosecourse.i18n.t`.

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
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import _validate, fih
from .i18n import check_lang, t
from .pd import occupancy
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

TEACHING_KD_NM = 2.0
"""K_D (nM) of the chapter's anti-CD28 teaching antibody: inside the 1.67-2.67 nM range implied by the reported
86.2-90.9% CD28 occupancy at 0.1 mg/kg (Waibler et al. 2008) under simple binding in 0.04 L/kg plasma."""

TGN1412_DOSE_MG_PER_KG = 0.1
"""First dose of TGN1412 given in March 2006, mg/kg (Waibler et al. 2008)."""

TEACHING_MONKEY_NOAEL_MG_PER_KG = 50.0
"""Invented monkey NOAEL (mg/kg) of the teaching antibody, used for the toxicology-based comparison."""

CHAPTER_APPROACHES: tuple[str, ...] = ("mabel_ro", "mabel_potency")
"""Approach ids of this chapter, translated by :func:`compare_approaches` (``mv_approach_<id>``)."""


def _fmt(x: float) -> str:
    """A number for text: three significant figures, no exponent."""
    return fih._fmt(float(x))


def implied_kd(dose_mg_per_kg: float, occupancy_fraction: float, *,
               molecular_weight_g_per_mol: float = fih.IGG_MOLECULAR_WEIGHT,
               volume_l_per_kg: float = fih.PLASMA_VOLUME_L_PER_KG) -> float:
    """K_D (nM) that, by simple binding, gives ``occupancy_fraction`` right after an IV dose.

    Parameters
    ----------
    dose_mg_per_kg : float
        IV dose, mg/kg (> 0).
    occupancy_fraction : float
        Receptor occupancy reported or measured at that dose, in (0, 1).
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Plasma volume, L/kg.

    Returns
    -------
    float
        K_D in nM.

    Raises
    ------
    ValueError
        If the dose is not positive or the occupancy is outside (0, 1).
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With :math:`C = D \\times 10^6 / (MW \\, V)` (:func:`dosecourse.fih.concentration_from_dose`) and
    :math:`RO = C/(C + K_D)`:

    .. math:: K_D = C \\, \\frac{1 - RO}{RO}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(implied_kd(0.1, 0.9), 3)   # 16.67 nM x 0.1 / 0.9
    1.852
    """
    dose = _validate.positive(dose_mg_per_kg, "dose_mg_per_kg")
    ro = _validate.probability(occupancy_fraction, "occupancy_fraction")
    conc = fih.concentration_from_dose(dose, molecular_weight_g_per_mol=molecular_weight_g_per_mol,
                                       volume_l_per_kg=volume_l_per_kg)
    return conc * (1.0 - ro) / ro


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

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> tab = mabel_table(1.8, occupancies=(0.1,))
    >>> round(float(tab.iloc[0, 5]), 2)   # ug/kg: 0.2 nM x 150 000 g/mol x 0.04 L/kg
    1.2
    """
    lang = check_lang(lang)
    kd = _validate.positive(kd_nm, "kd_nm")
    weight = _validate.positive(weight_kg, "weight_kg")
    rows = []
    for rt in target_totals_nm:
        rt = _validate.positive(rt, "target_totals_nm", allow_zero=True)
        for ro in occupancies:
            ro = _validate.probability(ro, "occupancies")
            free = fih.mabel_concentration(kd, ro)
            total = fih.mabel_concentration(kd, ro, rt) if rt > 0 else free
            dose_ug = 1000.0 * fih.dose_from_concentration(total)
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


def occupancy_dose_figure(kd_nm: float = TEACHING_KD_NM, *, target_total_nm: float | None = None,
                          mabel_occupancies: Sequence[float] = (0.1, 0.2),
                          given_dose_mg_per_kg: float | None = TGN1412_DOSE_MG_PER_KG,
                          mrsd_mg_per_kg: float | None = None, lang: str = "en") -> Figure:
    """Predicted receptor occupancy right after an IV dose, against the dose, with the MABEL marked.

    The curve is RO of an IgG (150 kDa) diluted in 0.04 L/kg plasma; with ``target_total_nm`` a second, solid
    curve accounts for the drug bound to target and the simple-binding curve is drawn dashed.  Diamonds mark
    the MABEL at each occupancy of ``mabel_occupancies``; a vermillion circle marks a dose actually given, with
    its predicted RO; a dashed line marks a toxicology-based MRSD.

    Parameters
    ----------
    kd_nm : float, default 2
        Dissociation constant K_D, nM (> 0).
    target_total_nm : float, optional
        Total target concentration, nM (>= 0). When given, the MABEL and the RO of the given dose use it.
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
    lang = check_lang(lang)
    kd = _validate.positive(kd_nm, "kd_nm")
    rt = None if target_total_nm is None else _validate.positive(target_total_nm, "target_total_nm",
                                                                 allow_zero=True)
    ros = [_validate.probability(r, "mabel_occupancies") for r in mabel_occupancies]
    given = None if given_dose_mg_per_kg is None else _validate.positive(given_dose_mg_per_kg,
                                                                         "given_dose_mg_per_kg")
    mrsd = None if mrsd_mg_per_kg is None else _validate.positive(mrsd_mg_per_kg, "mrsd_mg_per_kg")
    depletion = rt is not None and rt > 0
    c_curve, c_mabel, c_given, c_mrsd = OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[1], OKABE_ITO[7]
    box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

    def ro_at(dose: np.ndarray | float, with_target: bool = depletion):
        conc = np.asarray(dose, dtype=float) * 1e6 / (fih.IGG_MOLECULAR_WEIGHT * fih.PLASMA_VOLUME_L_PER_KG)
        return occupancy(conc, kd, rt if with_target else None)

    mabels = [fih.mabel_dose(kd, ro, target_total_nm=rt if depletion else None) for ro in ros]
    marks = [*mabels, *([given] if given else []), *([mrsd] if mrsd else [])]
    lo = 10 ** np.floor(np.log10(min(marks) / 3))
    hi = 10 ** np.ceil(np.log10(max(marks) * 3))
    doses = np.logspace(np.log10(lo), np.log10(hi), 400)

    fig, ax = new_figure(lang, figsize=(7.4, 4.6))
    if depletion:
        ax.plot(doses, 100 * ro_at(doses, False), color=c_curve, lw=1.3, ls="--", label=t("mv_leg_simple", lang))
        ax.plot(doses, 100 * ro_at(doses), color=c_curve, lw=2.0,
                label=t("mv_leg_depletion", lang, rt=_fmt(rt)))
    else:
        ax.plot(doses, 100 * ro_at(doses), color=c_curve, lw=2.0, label=t("mv_leg_simple", lang))
    for ro, dose in zip(ros, mabels):
        ax.plot([dose, dose], [0, 100 * ro], color=c_mabel, lw=1.0, ls=":")
        ax.plot([dose], [100 * ro], "D", color=c_mabel, ms=7, zorder=4)
        ax.annotate(t("mv_mabel_point", lang, ro=_fmt(100 * ro), dose=_fmt(1000 * dose)), xy=(dose, 100 * ro),
                    xytext=(-8, 4), textcoords="offset points", ha="right", va="bottom", color=c_mabel,
                    fontsize=9.5, bbox=box)
    if given is not None:
        ro_given = float(ro_at(given))
        ax.plot([given], [100 * ro_given], "o", color=c_given, ms=9, zorder=5)
        ax.annotate(t("mv_given_point", lang, dose=_fmt(given), ro=_fmt(100 * ro_given)),
                    xy=(given, 100 * ro_given), xytext=(-10, 8), textcoords="offset points", ha="right",
                    va="bottom", color=c_given, fontsize=9.5, bbox=box)
    if mrsd is not None:
        ax.axvline(mrsd, color=c_mrsd, lw=1.3, ls="--")
        ax.annotate(t("mv_mrsd_label", lang, dose=_fmt(mrsd)), xy=(mrsd, 0.04), xycoords=ax.get_xaxis_transform(),
                    xytext=(-3, 0), textcoords="offset points", rotation=90, ha="right", va="bottom",
                    color=c_mrsd, fontsize=9.5)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 105)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}"))
    ax.set_xlabel(t("mv_xlabel", lang))
    ax.set_ylabel(t("mv_ylabel", lang))
    ax.set_title(t("mv_title", lang, kd=_fmt(kd)), loc="left")
    handles, _ = ax.get_legend_handles_labels()
    handles.append(plt.Line2D([], [], marker="D", ls="", color=c_mabel, ms=7, label=t("mv_leg_mabel", lang)))
    if given is not None:
        handles.append(plt.Line2D([], [], marker="o", ls="", color=c_given, ms=8, label=t("mv_leg_given", lang)))
    if mrsd is not None:
        handles.append(plt.Line2D([], [], ls="--", color=c_mrsd, label=t("mv_leg_mrsd", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=9.5)
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
             for k, v in estimates_mg_per_kg.items()}
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

    Examples
    --------
    >>> print(mabel_summary(1.8, 0.1, lang="en").splitlines()[0])
    10% occupancy at K_D = 1.8 nM needs a free concentration of K_D x 0.1/0.9 = 0.2 nM.
    """
    lang = check_lang(lang)
    kd = _validate.positive(kd_nm, "kd_nm")
    ro = _validate.probability(occupancy_fraction, "occupancy_fraction")
    rt = _validate.positive(target_total_nm, "target_total_nm", allow_zero=True)
    free = fih.mabel_concentration(kd, ro)
    lines = [t("mv_sum_free", lang, ro=_fmt(100 * ro), kd=_fmt(kd), a=_fmt(ro), b=_fmt(1 - ro), c=_fmt(free))]
    total = free
    if rt > 0:
        total = fih.mabel_concentration(kd, ro, rt)
        lines.append(t("mv_sum_total", lang, rt=_fmt(rt), ro=_fmt(ro), c=_fmt(total)))
    dose = fih.dose_from_concentration(total)
    lines.append(t("mv_sum_dose", lang, c=_fmt(total), ug=_fmt(1000 * dose), flat=_fmt(1000 * dose * 60)))
    if tox_dose_mg_per_kg is not None:
        cmp = fih.compare_starting_doses({"noael_mrsd": tox_dose_mg_per_kg, "mabel": dose})
        lines += cmp.explain(lang).splitlines()
    return "\n".join(lines)


def widget(lang: str = "en", *, kd_nm: float = TEACHING_KD_NM, occupancy_fraction: float = 0.1,
           target_total_nm: float = 1.0, include_target: bool = False,
           tox_dose_mg_per_kg: float | None = None,
           given_dose_mg_per_kg: float | None = TGN1412_DOSE_MG_PER_KG):
    """K_D, target occupancy and target amount in; the MABEL, against a toxicology-based dose, out.

    A log slider sets K_D (0.01 to 100 nM), a slider the occupancy that defines the MABEL (5% to 50%), a check
    box whether drug bound to target is counted and a log slider the total target concentration (0.01 to
    100 nM).  Each change recomputes :func:`mabel_summary` and redraws :func:`occupancy_dose_figure`.  Python
    callbacks need a live kernel: in the static book the controls move but the output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    kd_nm : float, default 2
        Starting K_D, nM.
    occupancy_fraction : float, default 0.1
        Starting occupancy.
    target_total_nm : float, default 1
        Starting total target concentration, nM (used when the check box is ticked).
    include_target : bool, default False
        Whether the check box starts ticked.
    tox_dose_mg_per_kg : float, optional
        Toxicology-based starting dose, fixed, drawn and compared with every MABEL.
    given_dose_mg_per_kg : float, optional
        A dose given in a trial, drawn with its predicted occupancy (default TGN1412's 0.1 mg/kg).

    Returns
    -------
    ipywidgets.VBox
        The controls, the explanation and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    style = {"description_width": "12em"}
    layout = w.Layout(width="30em")
    kd = w.FloatLogSlider(value=min(max(kd_nm, 0.01), 100.0), base=10, min=-2, max=2, step=0.05,
                          readout_format=".3g", description=t("mv_w_kd", lang), continuous_update=False,
                          style=style, layout=layout)
    ro = w.FloatSlider(value=min(max(100 * occupancy_fraction, 5.0), 50.0), min=5.0, max=50.0, step=1.0,
                       readout_format=".0f", description=t("mv_w_ro", lang), continuous_update=False,
                       style=style, layout=layout)
    use_rt = w.Checkbox(value=include_target, description=t("mv_w_use_target", lang), indent=False)
    rt = w.FloatLogSlider(value=min(max(target_total_nm, 0.01), 100.0), base=10, min=-2, max=2, step=0.05,
                          readout_format=".3g", description=t("mv_w_target", lang), continuous_update=False,
                          style=style, layout=layout)
    text = w.HTML()

    def render() -> Figure:
        total = rt.value if use_rt.value else 0.0
        rt.disabled = not use_rt.value
        summary = mabel_summary(kd.value, ro.value / 100.0, target_total_nm=total,
                                tox_dose_mg_per_kg=tox_dose_mg_per_kg, lang=lang)
        text.value = "<br>".join(html.escape(line) for line in summary.splitlines())
        return occupancy_dose_figure(kd.value, target_total_nm=total if use_rt.value else None,
                                     mabel_occupancies=(ro.value / 100.0,), given_dose_mg_per_kg=given_dose_mg_per_kg,
                                     mrsd_mg_per_kg=tox_dose_mg_per_kg, lang=lang)

    out = live_output((kd, ro, use_rt, rt), render)
    return w.VBox([w.HBox([w.VBox([kd, ro]), w.VBox([use_rt, rt])]), text, out])
