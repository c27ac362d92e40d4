"""Tests of dosecourse.starting_dose_views: the Km table, the NOAEL -> HED -> MRSD figure and the widget.

Sources of the expected numbers:
* FDA 2005 guidance "Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for Therapeutics in
  Adult Healthy Volunteers", Table 1, as reproduced by Nair & Jacob, J Basic Clin Pharm 2016;7:27 (Table 1):
  Km rat 6, dog 20, mouse 3, human 37; "divide animal dose by" rat 6.2, dog 1.8, mouse 12.3.
* The worked example (rat NOAEL 50 mg/kg, dog NOAEL 10 mg/kg, safety factor 10) is computed by hand below.
"""

from __future__ import annotations

import doctest
import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt

from dosecourse import fih, starting_dose_views as v
from dosecourse.i18n import LANGS, catalogue, t

matplotlib.use("Agg")


def test_doctests_pass():
    failures, _ = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


@pytest.mark.parametrize("lang", LANGS)
def test_km_table_reproduces_table_1(lang):
    tab = v.km_table(lang)
    assert len(tab) == len(fih.SPECIES)
    km = dict(zip(tab.iloc[:, 0], tab[t("fih_col_km", lang)]))
    assert km[t("fih_species_rat", lang)] == 6.0 and km[t("fih_species_dog", lang)] == 20.0
    divide = dict(zip(tab.iloc[:, 0], tab[t("sdv_col_divide", lang)]))
    # FDA 2005 Table 1 prints 37/Km to one decimal: rat 6.2, mouse 12.3 (dog 1.8 for 1.85, truncated).
    assert round(divide[t("fih_species_rat", lang)], 1) == 6.2
    assert round(divide[t("fih_species_mouse", lang)], 1) == 12.3
    assert divide[t("fih_species_dog", lang)] == pytest.approx(37 / 20)
    assert tab[t("sdv_col_multiply", lang)].iloc[2:].mul(tab[t("sdv_col_divide", lang)].iloc[2:]).round(12).eq(1).all()


def test_km_table_subset_and_bad_species():
    tab = v.km_table("en", species=("Rat", "guinea_pig"))
    assert tab.iloc[:, 0].tolist() == ["rat", "guinea pig"]
    with pytest.raises(ValueError, match="species must be one of"):
        v.km_table("en", species=("unicorn",))


def test_species_label_both_languages():
    assert v.species_label("rhesus", "en") == "monkey (rhesus)"
    assert v.species_label("dog", "zh-tw") == "犬"


def test_worked_example_numbers_by_hand():
    res = fih.mrsd(v.DEFAULT_NOAEL)
    # HED rat = 50 x 6/37 = 8.108; HED dog = 10 x 20/37 = 5.405 -> dog is most sensitive.
    assert res.hed_mg_per_kg["rat"] == pytest.approx(300 / 37)
    assert res.hed_mg_per_kg["dog"] == pytest.approx(200 / 37)
    assert res.species == "dog"
    # MRSD = 200/37/10 = 0.5405 mg/kg = 32.43 mg for 60 kg.
    assert res.mrsd_mg_per_kg == pytest.approx(20 / 37)
    assert res.mrsd_mg() == pytest.approx(1200 / 37)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kwargs", [{}, {"pad_mg_per_kg": 0.2}, {"pad_mg_per_kg": 3.0},
                                    {"species": "rat", "reason": "closest metabolite profile"}])
def test_figure_draws_without_warnings(lang, kwargs):
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = v.hed_figure(res, lang)
        fig.canvas.draw()
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any("0.541" in s for s in texts) or kwargs.get("species") == "rat"
    assert fig.axes[0].get_title(loc="left") == t("sdv_title", lang)
    plt.close(fig)


def test_figure_default_and_mgkg_scaling():
    fig = v.hed_figure(lang="en")
    assert [tick.get_text() for tick in fig.axes[0].get_yticklabels()] == ["rat", "dog"]
    plt.close(fig)
    res = fih.mrsd({"monkey": 3.0}, scaling="mg/kg", scaling_reason="protein above 100 kDa given IV")
    fig = v.hed_figure(res, "zh-tw")
    assert any(x.get_text() == t("sdv_arrow_mgkg", "zh-tw") for x in fig.axes[0].texts)
    plt.close(fig)


def test_figure_rejects_wrong_type():
    with pytest.raises(TypeError, match="MRSDResult"):
        v.hed_figure({"rat": 50.0})


def test_explain_html_escapes_and_splits():
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, species="rat", reason="a <b> & c")
    out = v.explain_html(res, "en")
    assert "&lt;b&gt; &amp; c" in out and out.count("<br>") == 2


@pytest.mark.parametrize("lang", LANGS)
def test_widget_builds_and_recomputes(lang):
    pytest.importorskip("ipywidgets")
    box = v.widget(lang)
    controls, text, _out = box.children
    rod, n_rod, choice = controls.children[0].children
    non, n_non, sf = controls.children[1].children
    assert "0.541" in text.value
    sf.value = 20.0  # MRSD halves: 200/37/20 = 0.270 mg/kg
    assert "0.27" in text.value
    choice.value = "rodent"  # rat used: 300/37/20 = 0.405 mg/kg
    assert "0.405" in text.value and t("sdv_w_override_reason", lang) in text.value
    plt.close("all")


def test_every_label_of_this_module_has_both_languages():
    ids = [k for k in catalogue() if k.startswith("sdv_")]
    assert ids
    for key in ids:
        assert set(catalogue()[key]) >= set(LANGS), key
        assert key.isascii() and key == key.lower()
