"""What the maximum-tolerated-dose (MTD) paradigm has cost: published landscape numbers, with their sources.

The numbers are *published* summary statistics, kept in ``dosecourse/data/landscape.json`` with the sources
below; nothing is estimated.  Every number carries the key of its BibTeX entry (``book/references.bib``) so that
a page citing it can say where it comes from.

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

import re
from dataclasses import dataclass

from . import _validate, data

_YEARS = (1900, 2100)  # approval years the surveys can cover
_MAX_DRUGS = 10_000  # drugs a survey can review


@dataclass(frozen=True)
class ModificationRates:
    """Median rates of dose modification in registration trials (percent of patients, median across drugs).

    Parameters
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

    def __post_init__(self) -> None:
        _validate.integer(self.n_drugs, "n_drugs", minimum=1, maximum=_MAX_DRUGS)
        if not isinstance(self.years, tuple) or len(self.years) != 2:
            raise TypeError(f"years must be a tuple (first, last); got {_validate._shown(self.years)}")
        first, last = (_validate.integer(y, "years", minimum=_YEARS[0], maximum=_YEARS[1]) for y in self.years)
        if first > last:
            raise ValueError(f"years must be (first, last) with first <= last; got {self.years}")
        for name in ("dose_reduction_pct", "interruption_pct", "discontinuation_pct"):
            _validate.integer(getattr(self, name), name, minimum=0, maximum=100)
        _validate.text(self.source, "source")


@dataclass(frozen=True)
class LabelDoseVsMTD:
    """How many approved drugs carry a label dose equal to the MTD.

    Parameters
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

    def __post_init__(self) -> None:
        n = _validate.integer(self.n_drugs, "n_drugs", minimum=1, maximum=_MAX_DRUGS)
        _validate.integer(self.n_at_mtd, "n_at_mtd", minimum=0, maximum=n)
        pmr = _validate.integer(self.n_pmr_dose, "n_pmr_dose", minimum=0, maximum=n)
        _validate.integer(self.n_pmr_dose_at_mtd, "n_pmr_dose_at_mtd", minimum=0, maximum=pmr)
        if not re.fullmatch(r"\d{4}-\d{2}", _validate.text(self.since, "since")):
            raise ValueError(f"since must be an ISO month such as '2017-03'; got {self.since!r}")
        _validate.text(self.source, "source")

    @property
    def n_not_at_mtd(self) -> int:
        """Number approved at a label dose not equal to the MTD."""
        return self.n_drugs - self.n_at_mtd

    @property
    def pct_at_mtd(self) -> float:
        """Percentage approved at the MTD, ``100 * n_at_mtd / n_drugs``."""
        return 100.0 * self.n_at_mtd / self.n_drugs


def _load() -> tuple[ModificationRates, LabelDoseVsMTD]:
    table = data.load("landscape")
    h, c = table["harvey2023"], table["collins2025"]
    return (ModificationRates(n_drugs=h["n_drugs"], years=tuple(h["years"]), dose_reduction_pct=h["dose_reduction_pct"],
                              interruption_pct=h["interruption_pct"], discontinuation_pct=h["discontinuation_pct"],
                              source="harvey2023"),
            LabelDoseVsMTD(n_drugs=c["n_drugs"], n_at_mtd=c["n_at_mtd"], since=c["since"], n_pmr_dose=c["n_pmr_dose"],
                           n_pmr_dose_at_mtd=c["n_pmr_dose_at_mtd"], source="collins2025"))


HARVEY_2023, COLLINS_2025 = _load()
"""Oral new molecular entities approved 2010-2020, as summarised by Harvey (J Natl Cancer Inst 2023); and
small-molecule new molecular entities approved by the FDA since March 2017 (Collins et al., CCP 2025)."""
