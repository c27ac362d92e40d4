"""What the maximum-tolerated-dose (MTD) paradigm has cost: published landscape numbers, with their sources.

The numbers here are *published* summary statistics, typed in from the sources below and checked against them;
nothing is estimated.  Every number carries the key of its BibTeX entry (``book/references.bib``) so that a page
citing it can say where it comes from.

Sources
-------
``harvey2023``
    Harvey RD. The earlier the better? Or better late than never? Dose optimization in oncology.
    J Natl Cancer Inst. 2023;115(5):485-487. doi:10.1093/jnci/djad042. PMID: 36919765.
    The editorial states: "In a review of 59 new oral molecular entities approved 2010-2020, the median dose
    reduction, interruption, and discontinuation rates in registration trials were 28%, 55%, and 10%,
    respectively, and did not vary by year of approval, indication (solid tumor vs hematologic malignancy) or
    molecular target" (it cites the underlying review as its reference 3).  The rates are medians across
    drugs of the percentage of patients with each modification in the registration trials.
``collins2025``
    Collins KP, Yin D, Pithavala YK, Mittapalli RK. Landscape analysis of adverse events and dose intensity for
    FDA approved oncology small molecules. Cancer Chemother Pharmacol. 2025;95(1):17.
    doi:10.1007/s00280-024-04721-0. PMID: 39754626.
    Abstract: of 54 small-molecule new molecular entities approved by the FDA since March 2017, "only 15 were
    approved at a label dose equal to the MTD"; a post-marketing requirement for dose optimization was issued
    for 7 compounds, 3 of them at label dose = MTD.

Examples
--------
>>> from dosecourse import landscape
>>> landscape.HARVEY_2023.dose_reduction_pct
28
>>> round(landscape.COLLINS_2025.pct_at_mtd, 1)
27.8
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure


@dataclass(frozen=True)
class ModificationRates:
    """Median rates of dose modification in registration trials (percent of patients, median across drugs).

    Attributes
    ----------
    n_drugs : int
        Number of drugs reviewed.
    years : tuple of int
        First and last approval year covered.
    dose_reduction_pct, interruption_pct, discontinuation_pct : int
        Median percentage of patients with a dose reduction, a dose interruption, or a discontinuation.
    source : str
        BibTeX key of the source.
    """

    n_drugs: int
    years: tuple[int, int]
    dose_reduction_pct: int
    interruption_pct: int
    discontinuation_pct: int
    source: str


@dataclass(frozen=True)
class LabelDoseVsMTD:
    """How many approved drugs carry a label dose equal to the MTD.

    Attributes
    ----------
    n_drugs : int
        Number of new molecular entities surveyed.
    n_at_mtd : int
        Number approved at a label dose equal to the MTD.
    since : str
        Start of the approval window (ISO month).
    n_pmr_dose : int
        Number issued a post-marketing requirement (PMR) for dose optimization.
    n_pmr_dose_at_mtd : int
        Of those, how many were at label dose = MTD.
    source : str
        BibTeX key of the source.
    """

    n_drugs: int
    n_at_mtd: int
    since: str
    n_pmr_dose: int
    n_pmr_dose_at_mtd: int
    source: str

    @property
    def n_not_at_mtd(self) -> int:
        """Number approved at a label dose not equal to the MTD."""
        return self.n_drugs - self.n_at_mtd

    @property
    def pct_at_mtd(self) -> float:
        """Percentage approved at the MTD, ``100 * n_at_mtd / n_drugs``."""
        return 100.0 * self.n_at_mtd / self.n_drugs


HARVEY_2023 = ModificationRates(n_drugs=59, years=(2010, 2020), dose_reduction_pct=28, interruption_pct=55,
                                discontinuation_pct=10, source="harvey2023")
"""Oral new molecular entities approved 2010-2020, as summarised by Harvey (J Natl Cancer Inst 2023)."""

COLLINS_2025 = LabelDoseVsMTD(n_drugs=54, n_at_mtd=15, since="2017-03", n_pmr_dose=7, n_pmr_dose_at_mtd=3,
                              source="collins2025")
"""Small-molecule new molecular entities approved by the FDA since March 2017 (Collins et al., CCP 2025)."""


def table(lang: str = "en") -> pd.DataFrame:
    """The landscape numbers as a table in ``lang``: one row per statistic, with its value and source key.

    Examples
    --------
    >>> table("en").shape
    (4, 2)
    """
    lang = check_lang(lang)
    h, c = HARVEY_2023, COLLINS_2025
    rows = [
        (t("land_row_reduction", lang, n=h.n_drugs), f"{h.dose_reduction_pct}%", h.source),
        (t("land_row_interruption", lang, n=h.n_drugs), f"{h.interruption_pct}%", h.source),
        (t("land_row_discontinuation", lang, n=h.n_drugs), f"{h.discontinuation_pct}%", h.source),
        (t("land_row_at_mtd", lang, n=c.n_drugs), f"{c.n_at_mtd}/{c.n_drugs} ({c.pct_at_mtd:.0f}%)", c.source),
    ]
    frame = pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows],
                         columns=[t("land_col_value", lang), t("land_col_source", lang)])
    return frame


def figure(lang: str = "en") -> Figure:
    """Two panels: median dose-modification rates (Harvey 2023, top) and label dose vs MTD (Collins 2025, bottom).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label in the figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    h, c = HARVEY_2023, COLLINS_2025
    fig, (ax1, ax2) = new_figure(lang, nrows=2, figsize=(7.4, 5.4), height_ratios=[2.4, 1.0])

    # Top: three median rates, horizontal bars on a 0-100% scale.
    names = [t("land_reduction", lang), t("land_interruption", lang), t("land_discontinuation", lang)]
    values = [h.dose_reduction_pct, h.interruption_pct, h.discontinuation_pct]
    ypos = list(range(len(values)))[::-1]
    ax1.barh(ypos, values, color=OKABE_ITO[1], height=0.6)
    for y, v in zip(ypos, values):
        ax1.text(v + 1.2, y, f"{v}%", va="center")
    ax1.set_yticks(ypos, names)
    ax1.set_xlim(0, 100)
    ax1.set_xlabel(t("land_pct_patients", lang))
    ax1.set_title(t("land_title_modifications", lang, n=h.n_drugs, y0=h.years[0], y1=h.years[1]), loc="left",
                  fontsize=11)
    ax1.grid(axis="y", visible=False)

    # Bottom: one stacked horizontal bar, drugs at the MTD and not at it.
    ax2.barh([0], [c.n_at_mtd], color=OKABE_ITO[1], height=0.6, label=t("land_at_mtd", lang))
    ax2.barh([0], [c.n_not_at_mtd], left=[c.n_at_mtd], color=OKABE_ITO[0], height=0.6,
             label=t("land_not_at_mtd", lang))
    ax2.text(c.n_at_mtd / 2, 0, f"{c.n_at_mtd}", ha="center", va="center", color="white")
    ax2.text(c.n_at_mtd + c.n_not_at_mtd / 2, 0, f"{c.n_not_at_mtd}", ha="center", va="center", color="white")
    ax2.set_xlim(0, c.n_drugs)
    ax2.set_ylim(-0.6, 0.6)
    ax2.set_yticks([])
    ax2.spines["left"].set_visible(False)
    ax2.set_xlabel(t("land_n_drugs", lang))
    ax2.set_title(t("land_title_mtd", lang, n=c.n_drugs), loc="left", fontsize=11)
    ax2.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=2)
    return fig
