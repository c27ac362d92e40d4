"""Tests of dosecourse.mabel_views: the MABEL table, the occupancy-dose figure, the comparison and the widget.

Sources of the expected numbers:
* Simple binding RO = C/(C + K_D), so 10% RO needs K_D/9 and 20% RO K_D/4; with total target R_tot the total
  drug is K_D RO/(1 - RO) + RO R_tot (Muller & Brennan, Clin Pharmacol Ther 2009;85:247).  Dose (mg/kg) =
  C (nM) x 1e-6 x 150 000 g/mol x 0.04 L/kg (IgG in plasma).  All computed by hand below.
* Waibler et al., J Allergy Clin Immunol 2008;122:890 (PMID 18805577): 86.2-90.9% CD28 occupancy estimated at
  TGN1412's first dose of 0.1 mg/kg.  0.1 mg/kg = 16.67 nM in 0.04 L/kg, so the implied K_D runs from
  16.67 x 0.091/0.909 = 1.67 nM to 16.67 x 0.138/0.862 = 2.67 nM.
* Toxicology comparison: monkey NOAEL 50 mg/kg (invented) -> HED 50 x 12/37 = 16.2 mg/kg -> MRSD 1.62 mg/kg
  (FDA 2005, Km monkey 12, human 37).
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt

from dosecourse import fih, mabel_views as v
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_teaching_kd_lies_in_the_range_implied_by_waibler():
    lo, hi = v.implied_kd(0.1, 0.909), v.implied_kd(0.1, 0.862)
    assert lo == pytest.approx(50 / 3 * 0.091 / 0.909)
    assert hi == pytest.approx(50 / 3 * 0.138 / 0.862)
    assert lo < v.TEACHING_KD_NM < hi
    # RO at 0.1 mg/kg with K_D 2 nM: 16.667 / 18.667 = 0.8929
    conc = fih.concentration_from_dose(v.TGN1412_DOSE_MG_PER_KG)
    assert conc / (conc + v.TEACHING_KD_NM) == pytest.approx(25 / 28)


@pytest.mark.parametrize("lang", LANGS)
def test_mabel_table_by_hand(lang):
    tab = v.mabel_table(2.0, occupancies=(0.1, 0.2), target_totals_nm=(0.0, 10.0), lang=lang)
    assert len(tab) == 4
    dose = tab[t("mv_col_dose_ug", lang)].tolist()
    # Simple binding: 2/9 nM -> 2/9 x 6 = 1.333 ug/kg; 2/4 nM -> 3 ug/kg (6 ug/kg per nM).
    assert dose[0] == pytest.approx(12 / 9) and dose[1] == pytest.approx(3.0)
    # R_tot 10 nM: 2/9 + 1 = 1.222 nM -> 7.333 ug/kg; 0.5 + 2 = 2.5 nM -> 15 ug/kg.
    assert dose[2] == pytest.approx(6 * (2 / 9 + 1)) and dose[3] == pytest.approx(15.0)
    assert tab[t("mv_col_bound", lang)].tolist() == pytest.approx([0, 0, 1.0, 2.0])
    assert tab[t("mv_col_flat_ug", lang, weight="60")].iloc[1] == pytest.approx(180.0)


def test_mabel_table_rejects_bad_input():
    with pytest.raises(ValueError, match="occupancies"):
        v.mabel_table(2.0, occupancies=(1.2,))
    with pytest.raises(ValueError, match="kd_nm"):
        v.mabel_table(-1.0)
    with pytest.raises(ValueError, match="target_totals_nm"):
        v.mabel_table(2.0, target_totals_nm=(-1.0,))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kwargs", [{}, {"mrsd_mg_per_kg": 20 * 12 / 37 / 10 * 2.5},
                                    {"target_total_nm": 10.0, "mabel_occupancies": (0.1,)},
                                    {"given_dose_mg_per_kg": None, "kd_nm": 0.05}])
def test_figure_draws_without_warnings(lang, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.occupancy_dose_figure(lang=lang, **kwargs)
        fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_title(loc="left") == t("mv_title", lang, kd=fih._fmt(kwargs.get("kd_nm", 2.0)))
    texts = [x.get_text() for x in ax.texts]
    if not kwargs:
        assert any("1.33" in s for s in texts) and any("89.3" in s for s in texts)
    plt.close(fig)


def test_figure_depletion_lowers_occupancy_of_given_dose():
    fig = v.occupancy_dose_figure(2.0, target_total_nm=10.0, lang="en")
    texts = [x.get_text() for x in fig.axes[0].texts]
    # Total 16.67 nM, R_tot 10, K_D 2: bound = quadratic root -> RO 0.811 (below 0.893 of simple binding).
    assert any("81.1" in s for s in texts)
    assert len(fig.axes[0].lines) >= 2
    plt.close(fig)


def test_compare_approaches_takes_the_lowest_in_both_languages():
    mrsd = fih.mrsd({"monkey": v.TEACHING_MONKEY_NOAEL_MG_PER_KG})
    assert mrsd.mrsd_mg_per_kg == pytest.approx(60 / 37)
    est = {"noael_mrsd": mrsd, "mabel_ro": fih.mabel_dose(2.0, 0.1), "mabel_potency": 0.00075, "pad": 0.003}
    for lang in LANGS:
        cmp = v.compare_approaches(est, lang)
        assert cmp.chosen == t("mv_approach_mabel_potency", lang)
        assert cmp.starting_dose_mg_per_kg == pytest.approx(0.00075)
        frame = cmp.to_frame(lang)
        assert t("mv_approach_mabel_ro", lang) in frame.iloc[:, 0].tolist()
        assert t("fih_approach_noael_mrsd", lang) in frame.iloc[:, 0].tolist()


@pytest.mark.parametrize("lang", LANGS)
def test_summary_steps(lang):
    text = v.mabel_summary(2.0, 0.1, target_total_nm=1.0, tox_dose_mg_per_kg=60 / 37, lang=lang)
    lines = text.splitlines()
    assert "0.222" in lines[0] and "0.322" in lines[1] and "1.93" in lines[2]
    # 1.6216 / 0.00193 = 839-fold
    assert any("839" in line for line in lines)
    assert len(v.mabel_summary(2.0, 0.1, lang=lang).splitlines()) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang, tox_dose_mg_per_kg=60 / 37)
    controls, text, _out = box.children
    kd, ro = controls.children[0].children
    use_rt, rt = controls.children[1].children
    assert "1.33" in text.value and rt.disabled
    ro.value = 20.0  # 2/4 = 0.5 nM -> 3 ug/kg
    assert "0.5 nM" in text.value
    use_rt.value = True  # R_tot 1 nM: 0.5 + 0.2 = 0.7 nM -> 4.2 ug/kg
    assert "4.2" in text.value and not rt.disabled
    kd.value = 10 ** 0.0  # K_D 1: 0.25 + 0.2 = 0.45 nM -> 2.7 ug/kg
    assert "2.7" in text.value
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("mv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
