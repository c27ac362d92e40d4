"""Tables, figures and a widget for the chapter "From animal toxicology to a human dose".

The calculations live in :mod:`dosecourse.fih`; this module only shows them, in the reader's language:

* :func:`km_table`: the FDA 2005 guidance's Table 1 (reference weight, body-surface area, Km and the factor that
  turns an animal dose in mg/kg into a human equivalent dose);
* :func:`hed_figure`: each species' NOAEL, its human equivalent dose (HED), the species used, the maximum
  recommended starting dose (MRSD) and, when given, the pharmacologically active dose (PAD), on one log axis;
* :func:`widget`: two toxicology species, their NOAELs, the species used and the safety factor, redrawing
  :func:`hed_figure` with the step-by-step text of :meth:`dosecourse.fih.MRSDResult.explain`.

Every user-facing string comes from ``labels/starting_dose_views.toml`` (and ``labels/fih.toml``) through
:func:`dosecourse.i18n.t`.

References
----------
FDA (CDER). Guidance for Industry: Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for
Therapeutics in Adult Healthy Volunteers. July 2005.
Nair AB, Jacob S. A simple practice guide for dose conversion between animals and human. J Basic Clin Pharm.
2016;7(2):27-31. doi:10.4103/0976-0105.177703
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import fih
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

DEFAULT_NOAEL: Mapping[str, float] = {"rat": 50.0, "dog": 10.0}
"""NOAELs (mg/kg) of the chapter's worked example: a rat and a dog study of one small molecule."""

NONRODENTS: tuple[str, ...] = tuple(s for s in fih.ANIMAL_SPECIES if s not in fih.RODENTS)
"""Non-rodent species of Table 1, offered by the widget's second dropdown."""


def species_label(species: str, lang: str = "en") -> str:
    """Translated name of a species of :data:`dosecourse.fih.SPECIES`.

    Parameters
    ----------
    species : str
        Species name (case, spaces, hyphens and underscores ignored, as in :func:`dosecourse.fih.km_factor`).
    lang : {"en", "zh-tw"}
        Reader's language.

    Returns
    -------
    str
        The species name in ``lang``.

    Raises
    ------
    ValueError
        If the species is not in Table 1 (the message lists the valid names).

    Examples
    --------
    >>> species_label("Guinea_Pig", "zh-tw")
    '天竺鼠'
    """
    return t("fih_species_" + _key(species).replace(" ", "_").replace("-", "_"), lang)


def _key(species: str) -> str:
    """Key of :data:`dosecourse.fih.SPECIES` for a forgiving species name (the look-up of :mod:`dosecourse.fih`)."""
    return fih._species(species)


def km_table(lang: str = "en", species: tuple[str, ...] | None = None) -> pd.DataFrame:
    """FDA 2005 Table 1: reference weight, body-surface area and Km of each species, with the HED factor.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the column headers and species names.
    species : tuple of str, optional
        Rows to show, in this order; all species of Table 1 by default.

    Returns
    -------
    pandas.DataFrame
        One row per species: name, reference weight (kg), BSA (m^2), Km (kg/m^2), the factor Km/37 that
        multiplies an animal dose in mg/kg to give the HED, and 37/Km, the number to divide by.

    Raises
    ------
    ValueError
        If a species is not in Table 1.

    Notes
    -----
    .. math:: HED = D_{animal} \\times \\frac{K_{m,animal}}{37} = \\frac{D_{animal}}{37 / K_{m,animal}}

    The guidance prints 37/Km rounded to one decimal (dog 1.8 for 1.85); this table gives it to two.

    References
    ----------
    FDA 2005 guidance, Table 1; Nair AB, Jacob S. J Basic Clin Pharm. 2016;7(2):27-31.

    Examples
    --------
    >>> tab = km_table("en", species=("rat", "dog"))
    >>> tab.iloc[:, 3].tolist()
    [6.0, 20.0]
    """
    lang = check_lang(lang)
    keys = tuple(fih.SPECIES) if species is None else species
    human_km = fih.km_factor("human")
    rows = []
    for name in keys:
        row = fih.SPECIES[_key(name)]
        animal = row.key not in ("human", "child")
        rows.append({
            t("fih_col_species", lang): species_label(row.key, lang),
            t("sdv_col_weight", lang): row.weight_kg,
            t("sdv_col_bsa", lang): row.bsa_m2,
            t("fih_col_km", lang): row.km,
            t("sdv_col_multiply", lang): row.km / human_km if animal else np.nan,
            t("sdv_col_divide", lang): human_km / row.km if animal else np.nan,
        })
    return pd.DataFrame(rows)


def hed_figure(result: fih.MRSDResult | None = None, lang: str = "en") -> Figure:
    """Each species' NOAEL and HED on a log dose axis, with the species used, the MRSD and the PAD marked.

    For every species a hollow circle marks the animal NOAEL (mg/kg) and an arrow leads to a filled circle at
    its HED (mg/kg), labelled with the Km ratio that converts one into the other.  The species used for the
    MRSD is drawn in vermillion; a dashed line marks the MRSD (its HED divided by the safety factor) and, when
    the result carries one, a dotted line marks the PAD.

    Parameters
    ----------
    result : dosecourse.fih.MRSDResult, optional
        Output of :func:`dosecourse.fih.mrsd`; by default the chapter's example,
        ``fih.mrsd(DEFAULT_NOAEL)`` (rat 50 mg/kg, dog 10 mg/kg, safety factor 10).
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
    lang = check_lang(lang)
    res = fih.mrsd(DEFAULT_NOAEL) if result is None else result
    if not isinstance(res, fih.MRSDResult):
        raise TypeError(f"result must be a dosecourse.fih.MRSDResult (from fih.mrsd); got {type(res).__name__}")
    species = list(res.noael_mg_per_kg)
    c_used, c_other, c_mrsd, c_pad = OKABE_ITO[1], OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2]

    fig, ax = new_figure(lang, figsize=(7.4, 1.9 + 0.75 * len(species)))
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
        ax.text(np.sqrt(noael * hed), y + 0.2, factor, ha="center", va="top", color=colour, fontsize=9.5)
        ax.text(hed, y - 0.2, t("sdv_hed_value", lang, hed=fih._fmt(hed)), ha="center", va="bottom",
                color=colour, fontsize=9.5)
        ax.text(noael, y - 0.2, fih._fmt(noael), ha="center", va="bottom", color=colour, fontsize=9.5)

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
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}"))

    def side(x: float) -> str:
        """Align a label away from the nearer edge of the log axis."""
        return "left" if np.log(x / lo) < np.log(hi / x) else "right"

    trans = ax.get_xaxis_transform()
    ax.text(res.mrsd_mg_per_kg, 1.01, t("sdv_mrsd_label", lang, sf=fih._fmt(res.safety_factor),
                                        mrsd=fih._fmt(res.mrsd_mg_per_kg), mg=fih._fmt(res.mrsd_mg())),
            transform=trans, ha=side(res.mrsd_mg_per_kg), va="bottom", color=c_mrsd, fontsize=9.5)
    if res.pad_mg_per_kg is not None:
        ax.axvline(res.pad_mg_per_kg, color=c_pad, lw=1.6, ls=":")
        ax.text(res.pad_mg_per_kg, 0.03, f" {t('sdv_pad_label', lang, pad=fih._fmt(res.pad_mg_per_kg))} ",
                transform=trans, ha="right" if res.pad_mg_per_kg < res.mrsd_mg_per_kg else "left", va="bottom",
                color=c_pad, fontsize=9.5)
    ax.set_ylim(len(species) - 0.4, -0.75)
    ax.set_yticks(range(len(species)), [species_label(k, lang) for k in species])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t("sdv_xlabel", lang))
    ax.set_title(t("sdv_title", lang), loc="left", pad=24)
    handles = [
        plt.Line2D([], [], marker="o", ls="", mfc="white", mec="0.3", mew=1.8, ms=8, label=t("sdv_leg_noael", lang)),
        plt.Line2D([], [], marker="o", ls="", color="0.3", ms=8, label=t("sdv_leg_hed", lang)),
        plt.Line2D([], [], marker="o", ls="", color=c_used, ms=8, label=t("sdv_leg_used", lang)),
        plt.Line2D([], [], marker="D", ls="--", color=c_mrsd, ms=7, label=t("sdv_leg_mrsd", lang)),
    ]
    if res.pad_mg_per_kg is not None:
        handles.append(plt.Line2D([], [], ls=":", lw=1.6, color=c_pad, label=t("sdv_leg_pad", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9.5)
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

    Examples
    --------
    >>> print(explain_html(fih.mrsd({"rat": 50.0, "dog": 10.0}), "en").split("<br>")[1])
    dog is the most sensitive species: lowest HED (5.41 mg/kg).
    """
    return "<br>".join(html.escape(line) for line in result.explain(check_lang(lang)).splitlines())


def widget(lang: str = "en", *, rodent: str = "rat", nonrodent: str = "dog",
           noael_rodent: float = DEFAULT_NOAEL["rat"], noael_nonrodent: float = DEFAULT_NOAEL["dog"],
           safety_factor: float = 10.0, pad_mg_per_kg: float | None = None):
    """Species, NOAELs and safety factor in; the MRSD, and where each number came from, out.

    Two dropdowns choose a rodent and a non-rodent, two log sliders their NOAELs (mg/kg), a third dropdown the
    species used (the most sensitive, as the guidance's default, or either species as an override) and a
    slider the safety factor.  Each change recomputes :func:`dosecourse.fih.mrsd`, prints its steps and
    redraws :func:`hed_figure`.  Python callbacks need a live kernel: in the static book the controls move but
    the output does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the controls, the text and the figure.
    rodent, nonrodent : str, default "rat", "dog"
        Starting species (a rodent and a non-rodent of Table 1).
    noael_rodent, noael_nonrodent : float, default 50, 10
        Starting NOAELs, mg/kg (clipped to the sliders' range, 0.01 to 1000 mg/kg).
    safety_factor : float, default 10
        Starting safety factor (1 to 100).
    pad_mg_per_kg : float, optional
        Human pharmacologically active dose (mg/kg), fixed, drawn and compared with every MRSD.

    Returns
    -------
    ipywidgets.VBox
        The controls, the explanation and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    style = {"description_width": "10em"}
    layout = w.Layout(width="26em")

    def options(keys):
        return [(species_label(k, lang), k) for k in keys]

    def log_slider(value, description, lo=-2.0, hi=3.0):
        return w.FloatLogSlider(value=min(max(value, 10**lo), 10**hi), base=10, min=lo, max=hi, step=0.05,
                                readout_format=".3g", description=description, continuous_update=False,
                                style=style, layout=layout)

    rod = w.Dropdown(options=options(fih.RODENTS), value=_key(rodent), description=t("sdv_w_rodent", lang),
                     style=style, layout=layout)
    non = w.Dropdown(options=options(NONRODENTS), value=_key(nonrodent), description=t("sdv_w_nonrodent", lang),
                     style=style, layout=layout)
    n_rod = log_slider(noael_rodent, t("sdv_w_noael_rodent", lang))
    n_non = log_slider(noael_nonrodent, t("sdv_w_noael_nonrodent", lang))
    choice = w.Dropdown(options=[(t("sdv_w_most_sensitive", lang), "auto"), (t("sdv_w_rodent", lang), "rodent"),
                                 (t("sdv_w_nonrodent", lang), "nonrodent")],
                        value="auto", description=t("sdv_w_species_used", lang), style=style, layout=layout)
    sf = w.FloatSlider(value=min(max(safety_factor, 1.0), 100.0), min=1.0, max=100.0, step=1.0,
                       readout_format=".0f", description=t("sdv_w_safety_factor", lang),
                       continuous_update=False, style=style, layout=layout)
    text = w.HTML()

    def render() -> Figure:
        override = {"rodent": rod.value, "nonrodent": non.value}.get(choice.value)
        res = fih.mrsd({rod.value: n_rod.value, non.value: n_non.value}, sf.value, species=override,
                       reason=None if override is None else t("sdv_w_override_reason", lang),
                       pad_mg_per_kg=pad_mg_per_kg)
        text.value = explain_html(res, lang)
        return hed_figure(res, lang)

    out = live_output((rod, non, n_rod, n_non, choice, sf), render)
    return w.VBox([w.HBox([w.VBox([rod, n_rod, choice]), w.VBox([non, n_non, sf])]), text, out])
