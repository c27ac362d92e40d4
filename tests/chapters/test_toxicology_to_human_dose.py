"""Chapter "From animal toxicology to a human dose": every glued number against a hand derivation, the Km table,
the figure and the widget.

Sources: FDA 2005 guidance "Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for Therapeutics
in Adult Healthy Volunteers", Table 1 (as reproduced by Nair & Jacob, J Basic Clin Pharm 2016;7:27): Km human 37,
rat 6, dog 20, mouse 3; "divide animal dose by" rat 6.2, dog 1.8, mouse 12.3.  ICH S9 (2009): 1/10 of the rodent
STD10 or 1/6 of the non-rodent HNSTD in mg/m^2.  The worked examples are invented and computed by hand below.
"""

import warnings

import pytest
from matplotlib import pyplot as plt

from dosecourse import fih
from dosecourse.chapters import toxicology_to_human_dose as chapter
from dosecourse.i18n import LANGS, t

N = chapter.numbers()


def test_km_factors_and_the_mouse_illustration():
    # FDA 2005 Table 1: Km human 37, rat 6, dog 20, mouse 3.
    assert (N["tox_km_human"], N["tox_km_rat"], N["tox_km_dog"], N["tox_km_mouse"]) == (37, 6, 20, 3)
    # 100 mg/kg x 3/37 = 8.108 mg/kg; mg/kg scaling would be 37/3 = 12.33 times higher.
    assert abs(N["tox_mouse_hed"] - 300 / 37) < 1e-12 and abs(N["tox_mouse_fold"] - 37 / 3) < 1e-12


def test_worked_example_rat_and_dog():
    assert (N["tox_noael_rat"], N["tox_noael_dog"], N["tox_sf"], N["tox_pad"]) == (50.0, 10.0, 10.0, 0.2)
    # HED rat = 50 x 6/37 = 8.108 mg/kg; HED dog = 10 x 20/37 = 5.405 mg/kg: the dog is more sensitive.
    assert abs(N["tox_hed_rat"] - 300 / 37) < 1e-12 and abs(N["tox_hed_dog"] - 200 / 37) < 1e-12
    example = fih.mrsd(chapter.EXAMPLE_NOAEL, safety_factor=10.0, pad_mg_per_kg=0.2)
    assert example.species == "dog" and not example.overridden
    # MRSD = 5.405 / 10 = 0.5405 mg/kg = 32.43 mg for 60 kg; PAD 0.2 mg/kg is 0.5405 / 0.2 = 2.70-fold lower.
    assert abs(N["tox_mrsd"] - 20 / 37) < 1e-12 and abs(N["tox_mrsd_mg"] - 1200 / 37) < 1e-9
    assert example.pad_below_mrsd and abs(N["tox_pad_fold"] - 100 / 37) < 1e-12


def test_ich_s9_oncology_example():
    assert (N["tox_std10_rat"], N["tox_hnstd_dog"]) == (150.0, 30.0)
    # Rat: 150 mg/kg x 6 = 900 mg/m2, / 10 = 90 mg/m2; dog: 30 mg/kg x 20 = 600 mg/m2, / 6 = 100 mg/m2: the rat wins.
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=150.0, hnstd_nonrodent_mg_per_kg=30.0)
    assert s9.species == "rat" and s9.basis == "std10"
    assert abs(N["tox_s9_rat_m2"] - 90) < 1e-12 and abs(N["tox_s9_dog_m2"] - 100) < 1e-12
    assert N["tox_s9_m2"] == N["tox_s9_rat_m2"]
    # 90 mg/m2 x 1.62 m2 = 145.8 mg; 90 / 37 = 2.432 mg/kg, which is (90/37) / (20/37) = 4.5 times the MRSD.
    assert abs(N["tox_s9_mg"] - 145.8) < 1e-9 and abs(N["tox_s9_mgkg"] - 90 / 37) < 1e-12
    assert abs(N["tox_s9_over_mrsd"] - 4.5) < 1e-12


def test_exercise_numbers():
    # Ex 1a: 200/37 / 20 = 0.2703 mg/kg = 16.22 mg; 1.35-fold above the PAD.
    assert abs(N["tox_ex1_mrsd"] - 10 / 37) < 1e-12 and abs(N["tox_ex1_mg"] - 600 / 37) < 1e-9
    assert abs(N["tox_ex1_pad_fold"] - 50 / 37) < 1e-12
    # Ex 1b: the rat, 300/37 / 10 = 0.8108 mg/kg = 48.65 mg; 4.05-fold above the PAD.
    assert abs(N["tox_ex1_rat_mrsd"] - 30 / 37) < 1e-12 and abs(N["tox_ex1_rat_mg"] - 1800 / 37) < 1e-9
    assert abs(N["tox_ex1_rat_pad_fold"] - 150 / 37) < 1e-12
    # Ex 2: dog 20 x 20 / 6 = 66.67 mg/m2 < 90: the dog wins; 66.67 x 1.62 = 108 mg; 400/6/37 = 1.802 mg/kg.
    # The dog sets the dose whenever HNSTD x 20/6 < 90 mg/m2, i.e. HNSTD < 27 mg/kg.
    ex2 = fih.s9_starting_dose(std10_rodent_mg_per_kg=150.0, hnstd_nonrodent_mg_per_kg=20.0)
    assert ex2.species == "dog" and abs(N["tox_ex2_dog_m2"] - 400 / 6) < 1e-12
    assert abs(N["tox_ex2_mg"] - 108) < 1e-9 and abs(N["tox_ex2_mgkg"] - 400 / 6 / 37) < 1e-12
    assert abs(N["tox_ex2_threshold"] - 27) < 1e-12


def test_numbers_are_plain_floats():
    # 33 of the worked examples and exercises, 14 of the Le Tourneau 2010 record (11 published, 3 derived).
    assert len(N) == 47 and all(type(v) is float for v in N.values())


# --- the Km table -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_km_table_reproduces_table_1(lang):
    tab = chapter.km_table(lang)
    assert len(tab) == len(fih.SPECIES)
    km = dict(zip(tab.iloc[:, 0], tab[t("fih_col_km", lang)]))
    assert km[t("fih_species_rat", lang)] == 6.0 and km[t("fih_species_dog", lang)] == 20.0
    divide = dict(zip(tab.iloc[:, 0], tab[t("sdv_col_divide", lang)]))
    # FDA 2005 Table 1 prints 37/Km to one decimal: rat 6.2, mouse 12.3 (dog 1.8 for 1.85, truncated).
    assert round(divide[t("fih_species_rat", lang)], 1) == 6.2
    assert round(divide[t("fih_species_mouse", lang)], 1) == 12.3
    assert divide[t("fih_species_dog", lang)] == pytest.approx(37 / 20)
    animals = tab.iloc[2:]  # the two human rows have no conversion factor
    assert (animals[t("sdv_col_multiply", lang)] * animals[t("sdv_col_divide", lang)]).round(12).eq(1).all()
    assert tab[t("sdv_col_divide", lang)].iloc[:2].isna().all()


def test_km_table_subset_and_bad_species():
    tab = chapter.km_table("en", species=("Rat", "guinea_pig"))
    assert tab.iloc[:, 0].tolist() == ["rat", "guinea pig"]
    with pytest.raises(ValueError, match="species must be one of"):
        chapter.km_table("en", species=("unicorn",))
    with pytest.raises(TypeError, match="species must be a tuple"):
        chapter.km_table("en", species="rat")
    with pytest.raises(ValueError, match="lang must be one of"):
        chapter.km_table("fr")


# --- the figure -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kwargs", [{}, {"pad_mg_per_kg": 0.2}, {"pad_mg_per_kg": 3.0},
                                    {"species": "rat", "reason": "closest metabolite profile"}])
def test_figure_draws_without_warnings(lang, kwargs):
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chapter.hed_figure(res, lang=lang)
        fig.canvas.draw()
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any("0.541" in s for s in texts) or kwargs.get("species") == "rat"
    assert fig.axes[0].get_title(loc="left") == t("sdv_title", lang)
    plt.close(fig)


def test_figure_default_and_mgkg_scaling():
    fig = chapter.hed_figure(lang="en")
    assert [tick.get_text() for tick in fig.axes[0].get_yticklabels()] == ["rat", "dog"]
    plt.close(fig)
    res = fih.mrsd({"monkey": 3.0}, scaling="mg/kg", scaling_reason="protein above 100 kDa given IV")
    fig = chapter.hed_figure(res, lang="zh-tw")
    assert any(x.get_text() == t("sdv_arrow_mgkg", "zh-tw") for x in fig.axes[0].texts)
    plt.close(fig)


def test_figure_and_text_reject_a_wrong_result():
    with pytest.raises(TypeError, match="result must be a MRSDResult"):
        chapter.hed_figure({"rat": 50.0})
    with pytest.raises(TypeError, match="result must be a MRSDResult"):
        chapter.explain_html("dog")


def test_explain_html_escapes_and_splits():
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, species="rat", reason="a <b> & c")
    out = chapter.explain_html(res, "en")
    assert "&lt;b&gt; &amp; c" in out and out.count("<br>") == 2


# --- the widget -------------------------------------------------------------------------------------------------

def text_of(lang, **values):
    return chapter.widget.render(0, lang, {**chapter.widget.defaults, **values}).data


@pytest.mark.parametrize("lang", LANGS)
def test_widget_text_follows_each_control(lang):
    assert "0.541" in text_of(lang)  # the worked example: 200/37/10
    # Safety factor 20: the MRSD halves, 200/37/20 = 0.270 mg/kg.
    assert "0.27 " in text_of(lang, safety_factor=20.0)
    # The rat used: 300/37/20 = 0.405 mg/kg, and the text records the override and its reason.
    rat = text_of(lang, safety_factor=20.0, species="rat")
    assert "0.405" in rat and t("sdv_w_override_reason", lang) in rat
    # Dog NOAEL 15 mg/kg: 15 x 20/37 = 300/37, the rat's HED: the two species tie, the rat (listed first) is used.
    tie = fih.mrsd({"rat": 50.0, "dog": 15.0})
    assert tie.tied == ("rat", "dog") and tie.species_reason(lang) in text_of(lang, noael_dog=15.0)
    # Safety factor 30 with the dog: 0.180 mg/kg, now below the PAD of 0.2 mg/kg.
    assert "0.18 " in text_of(lang, safety_factor=30.0)


def test_widget_alt_text_states_the_figure_numbers():
    alt = chapter.widget.alt_text(1, "en", chapter.widget.defaults)
    for number in ("50 mg/kg", "8.11", "10 mg/kg", "5.41", "0.541", "32.4", "0.2 mg/kg", "below the MRSD"):
        assert number in alt
    assert "above the MRSD" in chapter.widget.alt_text(1, "en", {**chapter.widget.defaults, "safety_factor": 50.0})
    assert "以對數劑量軸" in chapter.widget.alt_text(1, "zh-tw", chapter.widget.defaults)


def test_every_widget_state_differs_from_its_neighbours():
    # Each control changes the text of every state (so every control changes some output).
    for control in chapter.widget.controls:
        texts = {text_of("en", **{control.name: v}) for v in control.values}
        assert len(texts) == len(control.values), control.name



def test_le_tourneau_record_as_published_and_derived_by_hand():
    # Transcribed from the abstract of Le Tourneau C, et al. J Clin Oncol 2010;28(8):1401-1407
    # (doi:10.1200/JCO.2009.25.9606, PubMed 20124167): 81 trials of 60 agents; 57 named the model, 29 (51%) rodent,
    # 28 (49%) non-rodent; start above the human MTD in 3 (3.7%) of 81; median 5 levels (1 to 14); median ratio 12
    # (< 1 to 300).
    n = chapter.numbers()
    got = [n[f"tox_lt_{k}"] for k in ("trials", "agents", "species_specified", "rodent", "nonrodent",
                                      "start_above_mtd", "median_levels", "levels_min", "levels_max",
                                      "median_ratio", "ratio_max")]
    assert got == [81, 60, 57, 29, 28, 3, 5, 1, 14, 12, 300]
    assert n["tox_lt_rodent"] + n["tox_lt_nonrodent"] == n["tox_lt_species_specified"]
    # By hand: 29/57 = 50.9% (the paper rounds to 51%); 3/81 = 3.70% (3.7%).
    assert round(n["tox_lt_rodent_pct"]) == 51 and n["tox_lt_rodent_pct"] == pytest.approx(50.877, abs=1e-3)
    assert round(n["tox_lt_over_pct"], 1) == 3.7
    # The worked example's S9 start over its MRSD is 2.430 / 0.5405 = 4.5; ln 4.5 / ln 12 = 1.504 / 2.485 = 60.5%.
    assert n["tox_s9_over_mrsd"] == pytest.approx(4.5, rel=1e-9)
    assert n["tox_lt_s9_share_pct"] == pytest.approx(100 * 1.5040774 / 2.4849066, rel=1e-6)
