"""Tests of dosecourse.landscape: the published numbers as typed in from their sources (the table and the figure
that show them are tested with their chapter, tests/chapters/test_why_dose_optimization.py)."""

from __future__ import annotations

import pytest

from dosecourse import landscape


def test_harvey_2023_numbers():
    # Harvey RD, J Natl Cancer Inst 2023;115:485, doi:10.1093/jnci/djad042: "59 new oral molecular entities
    # approved 2010-2020 ... median dose reduction, interruption, and discontinuation rates ... 28%, 55%, 10%".
    h = landscape.HARVEY_2023
    assert (h.n_drugs, h.years) == (59, (2010, 2020))
    assert (h.dose_reduction_pct, h.interruption_pct, h.discontinuation_pct) == (28, 55, 10)
    assert h.source == "harvey2023"


def test_collins_2025_numbers():
    # Collins KP et al., Cancer Chemother Pharmacol 2025;95:17, doi:10.1007/s00280-024-04721-0: 54 NMEs since
    # March 2017, 15 at label dose = MTD; PMR for dose optimization for 7, of which 3 at the MTD.
    c = landscape.COLLINS_2025
    assert (c.n_drugs, c.n_at_mtd, c.n_not_at_mtd) == (54, 15, 39)
    assert (c.n_pmr_dose, c.n_pmr_dose_at_mtd) == (7, 3)
    assert c.pct_at_mtd == pytest.approx(100 * 15 / 54)
    assert round(c.pct_at_mtd, 1) == 27.8
    assert c.source == "collins2025"



