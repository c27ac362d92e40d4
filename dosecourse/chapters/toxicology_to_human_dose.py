"""Tables, figure, widget and numbers of the chapter "From animal toxicology to a human dose"
(``start/toxicology-to-human-dose``).

The science is in :mod:`dosecourse.fih` (FDA 2005 Table 1, HED, the MRSD algorithm, ICH S9); this module shows
it in the reader's language:

* :func:`km_table`: the FDA 2005 guidance's Table 1 (reference weight, body-surface area, Km and the factor that
  turns an animal dose in mg/kg into a human equivalent dose);
* :func:`hed_figure`: each species' NOAEL, its human equivalent dose (HED), the species used, the maximum
  recommended starting dose (MRSD) and, when given, the pharmacologically active dose (PAD), on one log axis;
* :data:`widget`: the dog NOAEL, the species used and the safety factor of the worked example in; the steps of
  :meth:`dosecourse.fih.MRSDResult.explain` and :func:`hed_figure` out;
* :data:`LE_TOURNEAU_2010`: the record of real first-in-human starts of molecularly targeted agents;
* :func:`numbers`: every number the prose glues.

The widget keeps the worked example's rat NOAEL (50 mg/kg) and PAD (0.2 mg/kg) fixed.  The chapter's old widget
also let the reader pick any rodent and non-rodent of Table 1 and move the rat NOAEL; those controls multiplied
the precomputed states of the site (4 x 11 species pairs) without serving any of the three things the chapter
asks the reader to try (move the dog NOAEL through 15 mg/kg, where the two HEDs are equal; override the species;
move the safety factor across the PAD), so they were dropped.

References
----------
FDA (CDER). Guidance for Industry: Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for
Therapeutics in Adult Healthy Volunteers. July 2005.
Nair AB, Jacob S. A simple practice guide for dose conversion between animals and human. J Basic Clin Pharm.
2016;7(2):27-31. doi:10.4103/0976-0105.177703
ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. 2009.
Le Tourneau C, Stathis A, Vidal L, Moore MJ, Siu LL. Choice of starting dose for molecularly targeted agents
evaluated in first-in-human phase I cancer clinical trials. J Clin Oncol. 2010;28(8):1401-1407.
doi:10.1200/JCO.2009.25.9606 (PMID 20124167).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator

from .. import _validate, fih
from ..fih import _fmt  # the three-significant-figure format of fih's own texts
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

EXAMPLE_NOAEL: Mapping[str, float] = MappingProxyType({"rat": 50.0, "dog": 10.0})
"""NOAELs (mg/kg) of the chapter's worked example: a rat and a dog study of one small molecule (invented)."""

EXAMPLE_SAFETY_FACTOR = 10.0
"""Safety factor of the worked example (the guidance's default)."""

EXAMPLE_PAD_MG_PER_KG = 0.2
"""Human pharmacologically active dose of the worked example, mg/kg (invented)."""

ONCOLOGY_STD10_RAT_MG_PER_KG = 150.0
"""Rat STD10 of the same molecule in the ICH S9 example, mg/kg (invented)."""

ONCOLOGY_HNSTD_DOG_MG_PER_KG = 30.0
"""Dog HNSTD of the same molecule in the ICH S9 example, mg/kg (invented)."""

LE_TOURNEAU_2010: Mapping[str, float] = MappingProxyType({
    "trials": 81, "agents": 60, "species_specified": 57, "rodent": 29, "nonrodent": 28, "start_above_mtd": 3,
    "median_levels": 5, "levels_min": 1, "levels_max": 14, "median_ratio": 12, "ratio_max": 300,
})
"""Reports of 81 first-in-human phase I trials of 60 molecularly targeted agents given alone (Le Tourneau et al.
2010, abstract of PubMed 20124167): 57 named the animal model of the start, 29 a rodent and 28 a non-rodent; the
start exceeded the human MTD in 3 trials; median 5 dose levels (range 1-14) and a median ratio of 12 (range < 1 to
300) from the start to the MTD or maximum administered dose."""

EXERCISE_REASON = "metabolite profile closest to human"
"""The reason given for overriding the species in exercise 1 (the species override needs one)."""


def km_table(lang: str = "en", species: tuple[str, ...] | None = None) -> pd.DataFrame:
    """FDA 2005 Table 1: reference weight, body-surface area and Km of each species, with the HED factor.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the column headers and species names.
    species : tuple of str, optional
        Rows to show, in this order (names as in :func:`dosecourse.fih.species_key`); all species of Table 1
        by default.

    Returns
    -------
    pandas.DataFrame
        One row per species: name, reference weight (kg), BSA (m^2), Km (kg/m^2), the factor Km/37 that
        multiplies an animal dose in mg/kg to give the HED, and 37/Km, the number to divide by (NaN for the two
        human rows).

    Raises
    ------
    ValueError
        If a species is not in Table 1.
    TypeError
        If ``species`` is not a tuple of strings.

    Notes
    -----
    .. math:: HED = D_{animal} \\times \\frac{K_{m,animal}}{37} = \\frac{D_{animal}}{37 / K_{m,animal}}

    The guidance prints 37/Km rounded to one decimal (dog 1.8 for 1.85); this table gives it unrounded.

    Examples
    --------
    >>> tab = km_table("en", species=("rat", "dog"))
    >>> tab.iloc[:, 3].tolist()
    [6.0, 20.0]
    """
    lang = check_lang(lang)
    keys = tuple(fih.SPECIES) if species is None else _validate.instance(species, "species", tuple)
    human_km = fih.km_factor("human")
    rows = []
    for name in keys:
        row = fih.SPECIES[fih.species_key(name)]
        animal = row.key in fih.ANIMAL_SPECIES
        rows.append({
            t("fih_col_species", lang): fih.species_label(row.key, lang),
            t("sdv_col_weight", lang): row.weight_kg,
            t("sdv_col_bsa", lang): row.bsa_m2,
            t("fih_col_km", lang): row.km,
            t("sdv_col_multiply", lang): row.km / human_km if animal else np.nan,
            t("sdv_col_divide", lang): human_km / row.km if animal else np.nan,
        })
    return pd.DataFrame(rows)


@style.course_figure
def hed_figure(result: fih.MRSDResult | None = None, lang: str = "en") -> Figure:
    """Each species' NOAEL and HED on a log dose axis, with the species used, the MRSD and the PAD marked.

    For every species a hollow circle marks the animal NOAEL (mg/kg) and an arrow leads to a filled circle at
    its HED (mg/kg), labelled with the Km ratio that converts one into the other.  The species used for the
    MRSD is drawn in vermillion; a dashed line marks the MRSD (its HED divided by the safety factor) and, when
    the result carries one, a dotted green line marks the PAD.

    Parameters
    ----------
    result : dosecourse.fih.MRSDResult, optional
        Output of :func:`dosecourse.fih.mrsd`; by default the chapter's example without its PAD,
        ``fih.mrsd(EXAMPLE_NOAEL)`` (rat 50 mg/kg, dog 10 mg/kg, safety factor 10).
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``result`` is not an :class:`dosecourse.fih.MRSDResult`.
    """
    res = fih.mrsd(EXAMPLE_NOAEL) if result is None else _validate.instance(result, "result", fih.MRSDResult)
    species = list(res.noael_mg_per_kg)
    c_used, c_other, c_mrsd, c_pad = style.VERMILLION, style.BLUE, style.VERMILLION, style.GREEN

    fig, ax = style.new_figure(figsize=(7.4, 2.2 + 0.75 * len(species)))
    for y, key in enumerate(species):
        noael, hed = res.noael_mg_per_kg[key], res.hed_mg_per_kg[key]
        colour = c_used if key == res.species else c_other
        ax.plot([noael], [y], "o", mfc="white", mec=colour, mew=1.8, ms=9, zorder=3)
        ax.plot([hed], [y], "o", color=colour, ms=9, zorder=3)
        if not np.isclose(noael, hed):
            ax.annotate("", xy=(hed, y), xytext=(noael, y),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.4, "shrinkA": 6, "shrinkB": 6})
        factor = (t("sdv_arrow_bsa", lang, km=f"{fih.km_factor(key):g}") if res.scaling == "bsa"
                  else t("sdv_arrow_mgkg", lang))
        # The y axis is inverted (first species on top): y - 0.2 is above a row, y + 0.2 below it.
        ax.text(np.sqrt(noael * hed), y + 0.2, factor, ha="center", va="top", color=colour,
                fontsize=style.SMALL_SIZE)
        ax.text(hed, y - 0.2, t("sdv_hed_value", lang, hed=_fmt(hed)), ha="center", va="bottom",
                color=colour, fontsize=style.SMALL_SIZE)
        ax.text(noael, y - 0.2, _fmt(noael), ha="center", va="bottom", color=colour, fontsize=style.SMALL_SIZE)

    y_used = species.index(res.species)
    ax.axvline(res.mrsd_mg_per_kg, color=c_mrsd, lw=1.3, ls="--")
    ax.plot([res.mrsd_mg_per_kg], [y_used], "D", color=c_mrsd, ms=8, zorder=4)
    ax.annotate("", xy=(res.mrsd_mg_per_kg, y_used), xytext=(res.hed_mg_per_kg[res.species], y_used),
                arrowprops={"arrowstyle": "-|>", "color": c_mrsd, "lw": 1.2, "ls": ":", "shrinkA": 6,
                            "shrinkB": 6})
    values = [*res.noael_mg_per_kg.values(), *res.hed_mg_per_kg.values(), res.mrsd_mg_per_kg]
    if res.pad_mg_per_kg is not None:
        values.append(res.pad_mg_per_kg)
    lo, hi = min(values) / 2.5, max(values) * 2.5
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    # Minor ticks at 2 and 5 of each decade only: the default eight per decade are a third of a live redraw.
    ax.xaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}"))

    def side(x: float) -> str:
        """Align a label away from the nearer edge of the log axis."""
        return "left" if np.log(x / lo) < np.log(hi / x) else "right"

    trans = ax.get_xaxis_transform()
    ax.text(res.mrsd_mg_per_kg, 1.01, t("sdv_mrsd_label", lang, sf=_fmt(res.safety_factor),
                                        mrsd=_fmt(res.mrsd_mg_per_kg), mg=_fmt(res.mrsd_mg())),
            transform=trans, ha=side(res.mrsd_mg_per_kg), va="bottom", color=c_mrsd, fontsize=style.SMALL_SIZE)
    if res.pad_mg_per_kg is not None:
        ax.axvline(res.pad_mg_per_kg, color=c_pad, lw=1.6, ls=":")
        ax.text(res.pad_mg_per_kg, 0.03, f" {t('sdv_pad_label', lang, pad=_fmt(res.pad_mg_per_kg))} ",
                transform=trans, ha="right" if res.pad_mg_per_kg < res.mrsd_mg_per_kg else "left", va="bottom",
                color=c_pad, fontsize=style.SMALL_SIZE)
    ax.set_ylim(len(species) - 0.4, -0.75)
    ax.set_yticks(range(len(species)), [fih.species_label(k, lang) for k in species])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t("sdv_xlabel", lang))
    ax.set_title(t("sdv_title", lang), loc="left", pad=24)
    handles = [
        Line2D([], [], marker="o", ls="", mfc="white", mec=style.GREY_DARK, mew=1.8, ms=8,
               label=t("sdv_leg_noael", lang)),
        Line2D([], [], marker="o", ls="", color=style.GREY_DARK, ms=8, label=t("sdv_leg_hed", lang)),
        Line2D([], [], marker="o", ls="", color=c_used, ms=8, label=t("sdv_leg_used", lang)),
        Line2D([], [], marker="D", ls="--", color=c_mrsd, ms=7, label=t("sdv_leg_mrsd", lang)),
    ]
    if res.pad_mg_per_kg is not None:
        handles.append(Line2D([], [], ls=":", lw=1.6, color=c_pad, label=t("sdv_leg_pad", lang)))
    # Two columns: three would be wider than the figure in English, and the site images are not cropped to fit.
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=style.SMALL_SIZE)
    return fig


def explain_html(result: fih.MRSDResult, lang: str = "en") -> str:
    """The steps of :meth:`dosecourse.fih.MRSDResult.explain` as escaped HTML lines, for the widget.

    Parameters
    ----------
    result : dosecourse.fih.MRSDResult
        Output of :func:`dosecourse.fih.mrsd`.
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str
        One line per step, separated by ``<br>``, every line HTML-escaped.

    Raises
    ------
    TypeError
        If ``result`` is not an :class:`dosecourse.fih.MRSDResult`.

    Examples
    --------
    >>> print(explain_html(fih.mrsd({"rat": 50.0, "dog": 10.0}), "en").split("<br>")[1])
    dog is the most sensitive species: lowest HED (5.41 mg/kg).
    """
    result = _validate.instance(result, "result", fih.MRSDResult)
    return "<br>".join(html.escape(line) for line in result.explain(check_lang(lang)).splitlines())


# ------------------------------------------------------------------------------------------------ the widget
SPECIES_CHOICES: tuple[str, ...] = ("auto", "rat", "dog")
"""The widget's choice of species: the most sensitive (the guidance's default), or either species as an override."""


@lru_cache(maxsize=512)
def _widget_result(noael_dog: float, species: str, safety_factor: float, lang: str) -> fih.MRSDResult:
    override = None if species == "auto" else species
    return fih.mrsd({"rat": EXAMPLE_NOAEL["rat"], "dog": noael_dog}, safety_factor, species=override,
                    reason=None if override is None else t("sdv_w_override_reason", lang),
                    pad_mg_per_kg=EXAMPLE_PAD_MG_PER_KG)


def _widget_text(lang: str, noael_dog: float, species: str, safety_factor: float):
    from IPython.display import HTML

    return HTML(f'<p class="cw-steps">{explain_html(_widget_result(noael_dog, species, safety_factor, lang), lang)}'
                "</p>")


def _widget_figure(lang: str, noael_dog: float, species: str, safety_factor: float) -> Figure:
    return hed_figure(_widget_result(noael_dog, species, safety_factor, lang), lang=lang)


def _widget_alt(lang: str, values: Mapping[str, object]) -> str:
    res = _widget_result(values["noael_dog"], values["species"], values["safety_factor"], lang)
    pad = res.pad_mg_per_kg
    return t("sdv_widget_alt", lang, rat=_fmt(res.noael_mg_per_kg["rat"]), hed_rat=_fmt(res.hed_mg_per_kg["rat"]),
             dog=_fmt(res.noael_mg_per_kg["dog"]), hed_dog=_fmt(res.hed_mg_per_kg["dog"]),
             used=fih.species_label(res.species, lang), sf=_fmt(res.safety_factor), mrsd=_fmt(res.mrsd_mg_per_kg),
             mg=_fmt(res.mrsd_mg()), pad=_fmt(pad),
             side=t("sdv_alt_below" if pad < res.mrsd_mg_per_kg else "sdv_alt_above", lang))


def _species_option(value: str, lang: str) -> str:
    return t("sdv_w_most_sensitive", lang) if value == "auto" else fih.species_label(value, lang)


widget = LiveWidget(
    "toxicology_to_human_dose",
    controls=(
        Slider("noael_dog", "sdv_w_noael_dog", 1.0, 100.0, 1.0, value=EXAMPLE_NOAEL["dog"],
               site=(5.0, 10.0, 15.0, 20.0), fmt="{:.0f}"),
        Choice("species", "sdv_w_species_used", SPECIES_CHOICES, value="auto", option_label=_species_option,
               buttons=True),
        Slider("safety_factor", "sdv_w_safety_factor", 1.0, 100.0, 1.0, value=EXAMPLE_SAFETY_FACTOR,
               site=(3.0, 10.0, 20.0, 30.0, 50.0), fmt="{:.0f}"),
    ),
    parts=(Part(_widget_text, ("noael_dog", "species", "safety_factor")),
           Part(_widget_figure, ("noael_dog", "species", "safety_factor"), alt=_widget_alt)),
    columns=3,
)
"""Dog NOAEL, species used and safety factor in (rat NOAEL 50 mg/kg and PAD 0.2 mg/kg fixed); the steps of the
MRSD and :func:`hed_figure` out.  Site grid: dog NOAEL 5, 10, 15 (the two HEDs tie), 20 mg/kg; the most sensitive
species, the rat or the dog; safety factor 3, 10, 20, 30 (the MRSD crosses the PAD between 20 and 30 when the dog
is used), 50 (and, for the rat, between 30 and 50): 60 figure states and 60 texts per language."""


# ------------------------------------------------------------------------------------------------ numbers
def numbers() -> dict[str, float]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_toxicology_to_human_dose.py``).

    Returns
    -------
    dict of str to float
        Glue name (as in the notebook's prose) -> value.

    Examples
    --------
    >>> round(numbers()["tox_mrsd"], 4)
    0.5405
    """
    out: dict[str, float] = {f"tox_km_{k}": fih.km_factor(k) for k in ("human", "rat", "dog", "mouse")}
    mouse_hed = fih.human_equivalent_dose(100.0, "mouse")
    out.update(tox_mouse_hed=mouse_hed, tox_mouse_fold=100.0 / mouse_hed)

    example = fih.mrsd(EXAMPLE_NOAEL, safety_factor=EXAMPLE_SAFETY_FACTOR, pad_mg_per_kg=EXAMPLE_PAD_MG_PER_KG)
    out.update(tox_noael_rat=example.noael_mg_per_kg["rat"], tox_noael_dog=example.noael_mg_per_kg["dog"],
               tox_hed_rat=example.hed_mg_per_kg["rat"], tox_hed_dog=example.hed_mg_per_kg["dog"],
               tox_sf=example.safety_factor, tox_mrsd=example.mrsd_mg_per_kg, tox_mrsd_mg=example.mrsd_mg(),
               tox_pad=example.pad_mg_per_kg, tox_pad_fold=example.mrsd_mg_per_kg / example.pad_mg_per_kg)

    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=ONCOLOGY_STD10_RAT_MG_PER_KG,
                              hnstd_nonrodent_mg_per_kg=ONCOLOGY_HNSTD_DOG_MG_PER_KG, rodent="rat", nonrodent="dog")
    out.update(tox_std10_rat=s9.animal_dose_mg_per_kg["rat"], tox_hnstd_dog=s9.animal_dose_mg_per_kg["dog"],
               tox_s9_rat_m2=s9.candidates_mg_per_m2["rat"], tox_s9_dog_m2=s9.candidates_mg_per_m2["dog"],
               tox_s9_m2=s9.dose_mg_per_m2, tox_s9_mg=s9.flat_dose_mg(), tox_s9_mgkg=s9.dose_mg_per_kg,
               tox_s9_over_mrsd=s9.dose_mg_per_kg / example.mrsd_mg_per_kg)

    # Exercises: 1a doubles the safety factor; 1b takes the rat; 2 revises the dog HNSTD to 20 mg/kg.
    ex1a = fih.mrsd(EXAMPLE_NOAEL, safety_factor=20.0, pad_mg_per_kg=EXAMPLE_PAD_MG_PER_KG)
    ex1b = fih.mrsd(EXAMPLE_NOAEL, safety_factor=EXAMPLE_SAFETY_FACTOR, species="rat", reason=EXERCISE_REASON,
                    pad_mg_per_kg=EXAMPLE_PAD_MG_PER_KG)
    ex2 = fih.s9_starting_dose(std10_rodent_mg_per_kg=ONCOLOGY_STD10_RAT_MG_PER_KG, hnstd_nonrodent_mg_per_kg=20.0)
    out.update(tox_ex1_mrsd=ex1a.mrsd_mg_per_kg, tox_ex1_mg=ex1a.mrsd_mg(),
               tox_ex1_pad_fold=ex1a.mrsd_mg_per_kg / EXAMPLE_PAD_MG_PER_KG,
               tox_ex1_rat_mrsd=ex1b.mrsd_mg_per_kg, tox_ex1_rat_mg=ex1b.mrsd_mg(),
               tox_ex1_rat_pad_fold=ex1b.mrsd_mg_per_kg / EXAMPLE_PAD_MG_PER_KG,
               tox_ex2_dog_m2=ex2.candidates_mg_per_m2["dog"], tox_ex2_mg=ex2.flat_dose_mg(),
               tox_ex2_mgkg=ex2.dose_mg_per_kg,
               # The dog sets the S9 start when HNSTD x Km(dog) / 6 is below the rat's candidate.
               tox_ex2_threshold=s9.candidates_mg_per_m2["rat"] * 6 / fih.km_factor("dog"))

    lt = LE_TOURNEAU_2010
    out.update({f"tox_lt_{k}": v for k, v in lt.items()})
    out.update(tox_lt_rodent_pct=100 * lt["rodent"] / lt["species_specified"],
               tox_lt_over_pct=100 * lt["start_above_mtd"] / lt["trials"],
               # The S9/MRSD factor of the worked example as a share of the median climb, on a log scale.
               tox_lt_s9_share_pct=100 * np.log(out["tox_s9_over_mrsd"]) / np.log(lt["median_ratio"]))
    return {k: float(v) for k, v in out.items()}
