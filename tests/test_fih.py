"""Tests of dosecourse.fih: FDA 2005 MRSD, ICH S9, MABEL and the comparison of approaches.

Sources of the expected numbers:
* FDA 2005 guidance "Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for Therapeutics in
  Adult Healthy Volunteers", Table 1, as reproduced by Nair & Jacob, J Basic Clin Pharm 2016;7:27 (Table 1).
* TGN1412: Waibler et al., J Allergy Clin Immunol 2008;122:890 (doi:10.1016/j.jaci.2008.07.049) report the
  expert scientific group's in-silico CD28 occupancy of 86.2-90.9% at 0.1 mg/kg.
* Everything else is computed by hand in the comments.
"""

import math

import pandas as pd
import pytest

from dosecourse import fih
from dosecourse import pd as pdm
from dosecourse.i18n import LANGS, catalogue

# FDA 2005 Table 1 (Nair & Jacob 2016): species -> (reference weight kg, BSA m^2, Km, "divide animal dose by")
TABLE_1 = {
    "human": (60.0, 1.62, 37.0, None),
    "child": (20.0, 0.80, 25.0, None),
    "mouse": (0.02, 0.007, 3.0, 12.3),
    "hamster": (0.08, 0.016, 5.0, 7.4),
    "rat": (0.15, 0.025, 6.0, 6.2),
    "ferret": (0.30, 0.043, 7.0, 5.3),
    "guinea pig": (0.40, 0.05, 8.0, 4.6),
    "rabbit": (1.8, 0.15, 12.0, 3.1),
    "dog": (10.0, 0.50, 20.0, 1.8),
    "monkey": (3.0, 0.25, 12.0, 3.1),
    "marmoset": (0.35, 0.06, 6.0, 6.2),
    "squirrel monkey": (0.60, 0.09, 7.0, 5.3),
    "baboon": (12.0, 0.60, 20.0, 1.8),
    "micro-pig": (20.0, 0.74, 27.0, 1.4),
    "mini-pig": (40.0, 1.14, 35.0, 1.1),
}


# --- Table 1 ------------------------------------------------------------------------------------------------

def test_species_table_equals_guidance_table_1():
    assert set(fih.SPECIES) == set(TABLE_1)
    for key, (weight, bsa, km, _) in TABLE_1.items():
        row = fih.SPECIES[key]
        assert (row.weight_kg, row.bsa_m2, row.km) == (weight, bsa, km), key
        assert fih.km_factor(key) == km


@pytest.mark.parametrize("key", [k for k, row in TABLE_1.items() if row[3] is not None])
def test_divide_by_column_is_37_over_km_within_rounding(key):
    # The guidance's HED divisor is 37/Km to one decimal; dog and baboon are printed 1.8 for 37/20 = 1.85.
    divisor = TABLE_1[key][3]
    assert abs(37.0 / fih.km_factor(key) - divisor) <= 0.05 + 1e-12
    assert fih.human_equivalent_dose(1.0, key) == pytest.approx(fih.km_factor(key) / 37.0)


def test_km_is_weight_over_bsa_within_table_rounding():
    # Km = W / BSA: 0.15/0.025 = 6 (rat), 10/0.5 = 20 (dog), 60/1.62 = 37.04 -> 37 (human).
    for key, row in fih.SPECIES.items():
        assert row.weight_kg / row.bsa_m2 == pytest.approx(row.km, rel=0.10), key


def test_species_names_are_forgiving_about_case_and_separators():
    assert fih.km_factor("Guinea_Pig") == fih.km_factor("guinea-pig") == fih.km_factor("GUINEA PIG") == 8.0
    assert fih.km_factor("minipig") == fih.km_factor("Mini-pig") == 35.0
    assert fih.km_factor("rhesus") == fih.km_factor("monkey") == 12.0


# --- HED and MRSD: worked example, computed by hand ----------------------------------------------------------

def test_rat_and_dog_worked_example_tie():
    # Rat NOAEL 50 mg/kg: 50 x 6/37 = 300/37 = 8.108 mg/kg.  Dog NOAEL 15 mg/kg: 15 x 20/37 = 300/37 = 8.108.
    # Both species are equally sensitive; MRSD = 8.108 / 10 = 0.8108 mg/kg = 48.65 mg for 60 kg.
    res = fih.mrsd({"rat": 50.0, "dog": 15.0})
    assert res.hed_mg_per_kg["rat"] == pytest.approx(300 / 37)
    assert res.hed_mg_per_kg["dog"] == pytest.approx(300 / 37)
    assert res.tied == ("rat", "dog")
    assert res.species == "rat" and not res.overridden
    assert res.mrsd_mg_per_kg == pytest.approx(30 / 37)
    assert res.mrsd_mg() == pytest.approx(60 * 30 / 37)
    assert "equally sensitive" in res.species_reason("en")
    assert "同樣敏感" in res.species_reason("zh-tw")


def test_rat_and_dog_worked_example_dog_most_sensitive():
    # Rat NOAEL 50 -> HED 8.108; dog NOAEL 10 -> 10 x 20/37 = 5.405 mg/kg (lower: dog is most sensitive).
    # MRSD = 5.405 / 10 = 0.5405 mg/kg, 32.43 mg for 60 kg.  With the guidance's rounded divisors the HEDs are
    # 50/6.2 = 8.06 and 10/1.8 = 5.56 mg/kg, within 3% of the Km ratios.
    res = fih.mrsd({"rat": 50.0, "dog": 10.0})
    assert res.species == "dog" and res.tied == ("dog",)
    assert res.mrsd_mg_per_kg == pytest.approx(20 / 37)
    assert res.mrsd_mg() == pytest.approx(1200 / 37)
    assert res.hed_mg_per_kg["rat"] == pytest.approx(50 / 6.2, rel=0.03)
    assert res.hed_mg_per_kg["dog"] == pytest.approx(10 / 1.8, rel=0.03)
    assert res.species_reason("en") == "dog is the most sensitive species: lowest HED (5.41 mg/kg)."
    table = res.to_frame("en")
    assert list(table["Species"]) == ["rat", "dog"]
    assert list(table["Selected"]) == ["", "yes"]
    assert "最大建議起始劑量" in res.explain("zh-tw")


def test_safety_factor_divides_the_hed():
    base = fih.mrsd({"monkey": 30.0})
    # 30 x 12/37 = 9.73 mg/kg; / 10 = 0.973; / 30 = 0.324.
    assert base.mrsd_mg_per_kg == pytest.approx(36 / 37)
    assert fih.mrsd({"monkey": 30.0}, safety_factor=30).mrsd_mg_per_kg == pytest.approx(12 / 37)


def test_override_species_needs_and_shows_a_reason():
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, species="rat", reason="rat metabolite profile matches human.")
    assert res.species == "rat" and res.overridden
    assert res.mrsd_mg_per_kg == pytest.approx(30 / 37)
    assert res.species_reason("en") == ("rat is taken as the most appropriate species: "
                                        "rat metabolite profile matches human.")
    with pytest.raises(ValueError, match="reason"):
        fih.mrsd({"rat": 50.0, "dog": 10.0}, species="rat")
    with pytest.raises(ValueError, match="has no NOAEL"):
        fih.mrsd({"rat": 50.0}, species="dog", reason="x")
    with pytest.raises(ValueError, match="reason applies only"):
        fih.mrsd({"rat": 50.0}, reason="x")


def test_mg_per_kg_scaling_needs_a_reason_and_skips_km():
    res = fih.mrsd({"monkey": 20.0}, scaling="mg/kg", scaling_reason="large protein given intravenously")
    assert res.hed_mg_per_kg["monkey"] == 20.0 and res.mrsd_mg_per_kg == 2.0
    assert "large protein" in res.explain("en")
    with pytest.raises(ValueError, match="scaling_reason"):
        fih.mrsd({"monkey": 20.0}, scaling="mg/kg")
    with pytest.raises(ValueError, match="scaling"):
        fih.mrsd({"monkey": 20.0}, scaling="allometric")


def test_pad_comparison():
    # MRSD 0.5405 mg/kg (dog, above).  A PAD of 0.05 mg/kg is 10.8-fold lower: the guidance's step 5 says
    # consider lowering the start.  A PAD of 5 mg/kg is 9.25-fold higher: the MRSD stands.
    low = fih.mrsd({"rat": 50.0, "dog": 10.0}, pad_mg_per_kg=0.05)
    assert low.pad_below_mrsd is True
    assert "10.8-fold below" in low.explain("en")
    high = fih.mrsd({"rat": 50.0, "dog": 10.0}, pad_mg_per_kg=5.0)
    assert high.pad_below_mrsd is False
    assert "9.25-fold above" in high.explain("en")
    assert fih.mrsd({"dog": 10.0}).pad_below_mrsd is None


# --- conversions --------------------------------------------------------------------------------------------

def test_dose_unit_conversions():
    assert fih.mg_per_kg_to_mg_per_m2(1.0) == 37.0
    assert fih.mg_per_m2_to_mg_per_kg(fih.mg_per_kg_to_mg_per_m2(2.5, "rat"), "rat") == pytest.approx(2.5)
    assert fih.flat_dose_mg(1.0) == 60.0  # 1 mg/kg x 60 kg
    assert fih.flat_dose_mg(37.0, "mg/m2") == pytest.approx(59.94)  # 37 mg/m^2 x 1.62 m^2
    assert fih.flat_dose_mg(2.0, weight_kg=80.0) == 160.0
    with pytest.raises(ValueError, match="unit"):
        fih.flat_dose_mg(1.0, "mg")


def test_body_weight_formula_does_not_reproduce_km_ratios():
    # (0.15/60)^0.33 = 0.138 for the rat, against Km ratio 6/37 = 0.162: the Km values are empirical.
    assert fih.hed_by_body_weight(1.0, 0.15) == pytest.approx((0.15 / 60) ** 0.33)
    assert fih.hed_by_body_weight(1.0, 0.15) == pytest.approx(0.138, abs=5e-4)
    assert fih.human_equivalent_dose(1.0, "rat") == pytest.approx(0.162, abs=5e-4)
    assert fih.hed_by_body_weight(1.0, 60.0) == 1.0


# --- ICH S9 -------------------------------------------------------------------------------------------------

def test_s9_nonrodent_more_sensitive():
    # Rat STD10 60 mg/kg: 60 x 6 = 360 mg/m^2, /10 = 36 mg/m^2.  Dog HNSTD 10 mg/kg: 10 x 20 = 200 mg/m^2,
    # /6 = 33.3 mg/m^2 (lower: the dog sets the start).  33.33 x 1.62 = 54.0 mg; 33.33/37 = 0.901 mg/kg.
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0, hnstd_nonrodent_mg_per_kg=10.0)
    assert s9.species == "dog" and s9.basis == "hnstd"
    assert s9.candidates_mg_per_m2 == {"rat": pytest.approx(36.0), "dog": pytest.approx(100 / 3)}
    assert s9.dose_mg_per_m2 == pytest.approx(100 / 3)
    assert s9.flat_dose_mg() == pytest.approx(54.0)
    assert s9.dose_mg_per_kg == pytest.approx(100 / 111)
    assert s9.dose_mg_per_kg * 60 == pytest.approx(54.05, abs=0.01)
    assert "33.3 mg/m²" in s9.explain("en") and "犬" in s9.explain("zh-tw")
    assert list(s9.to_frame("en")["Selected"]) == ["", "yes"]


def test_s9_rodent_more_sensitive_and_single_species():
    # Mouse STD10 30 mg/kg: 30 x 3 / 10 = 9 mg/m^2; monkey HNSTD 12 mg/kg: 12 x 12 / 6 = 24 mg/m^2.
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=30.0, hnstd_nonrodent_mg_per_kg=12.0, rodent="mouse",
                              nonrodent="monkey")
    assert (s9.species, s9.basis, s9.dose_mg_per_m2) == ("mouse", "std10", pytest.approx(9.0))
    only = fih.s9_starting_dose(hnstd_nonrodent_mg_per_kg=12.0, nonrodent="monkey")
    assert only.dose_mg_per_m2 == pytest.approx(24.0) and only.species == "monkey"


def test_s9_bad_input():
    with pytest.raises(ValueError, match="give std10"):
        fih.s9_starting_dose()
    with pytest.raises(ValueError, match=r"rodent must be one of \['mouse', 'hamster', 'rat', 'guinea pig'\]"):
        fih.s9_starting_dose(std10_rodent_mg_per_kg=10.0, rodent="dog")
    with pytest.raises(ValueError, match="nonrodent must be one of"):
        fih.s9_starting_dose(hnstd_nonrodent_mg_per_kg=10.0, nonrodent="rat")
    with pytest.raises(ValueError, match="hnstd_nonrodent_mg_per_kg"):
        fih.s9_starting_dose(hnstd_nonrodent_mg_per_kg=-1.0)


# --- MABEL and TGN1412 --------------------------------------------------------------------------------------

def test_mabel_at_10_and_20_percent_occupancy():
    kd = 1.88
    assert fih.mabel_concentration(kd, 0.1) == pytest.approx(kd / 9)
    assert fih.mabel_concentration(kd, 0.2) == pytest.approx(kd / 4)


def test_mabel_with_target_depletion():
    # Muller & Brennan: C_tot = K_D RO/(1-RO) + RO R_tot.  K_D 0.41 nM, R_tot 0.65 nM, RO 10%:
    # 0.41/9 + 0.065 = 0.1106 nM, and binding at that total gives back 10% occupancy.
    c_tot = fih.mabel_concentration(0.41, 0.1, target_total=0.65)
    assert c_tot == pytest.approx(0.41 / 9 + 0.065)
    assert pdm.occupancy(c_tot, 0.41, target_total=0.65) == pytest.approx(0.1)


def test_tgn1412_occupancy_at_0_1_mg_per_kg():
    # 0.1 mg/kg in 0.04 L/kg plasma = 2.5 mg/L; / 150 000 g/mol = 16.67 nM.  K_D about 1.88 nM (the value
    # usually quoted for TGN1412; not checked against the primary report here): RO = 16.67/(16.67 + 1.88)
    # = 0.899, inside the 86.2-90.9% in-silico range reported by Waibler et al. 2008.
    conc = fih.concentration_from_dose(0.1)
    assert conc == pytest.approx(2.5e-3 / 150_000 * 1e9)
    ro = pdm.occupancy(conc, kd=1.88)
    assert ro == pytest.approx(0.8987, abs=1e-4)
    assert 0.862 <= ro <= 0.909
    # Any K_D from 1.67 to 2.67 nM lands in that range: the conclusion (near-saturation) does not hinge on it.
    for kd in (1.68, 2.66):
        assert 0.862 <= pdm.occupancy(conc, kd=kd) <= 0.909


def test_tgn1412_mabel_dose_is_one_to_three_micrograms_per_kg():
    # 10% RO: 1.88/9 = 0.209 nM -> 0.209e-9 x 150 000 g/mol x 0.04 L/kg = 1.25 ug/kg.
    # 20% RO: 1.88/4 = 0.47 nM -> 2.82 ug/kg.  The dose given (100 ug/kg) was 35-80 times higher.
    low, high = fih.mabel_dose(1.88, 0.1), fih.mabel_dose(1.88, 0.2)
    assert low * 1000 == pytest.approx(1.2533, abs=1e-3)
    assert high * 1000 == pytest.approx(2.82, abs=1e-3)
    assert 0.1 / high == pytest.approx(35.5, abs=0.1)
    assert 0.1 / low == pytest.approx(79.8, abs=0.1)


def test_dose_and_concentration_are_inverse():
    dose = fih.dose_from_concentration(7.3, molecular_weight_g_per_mol=50_000.0, volume_l_per_kg=0.05)
    assert fih.concentration_from_dose(dose, molecular_weight_g_per_mol=50_000.0,
                                       volume_l_per_kg=0.05) == pytest.approx(7.3)


# --- comparison of approaches -------------------------------------------------------------------------------

def test_comparison_takes_the_lowest_and_explains_why():
    noael = fih.mrsd({"monkey": 50.0})  # 50 x 12/37 / 10 = 1.62 mg/kg
    mabel = fih.mabel_dose(1.88, 0.1)  # 0.00125 mg/kg
    cmp = fih.compare_starting_doses({"noael_mrsd": noael, "mabel": mabel, "pad": 0.01, "EC20 in vitro": 0.004},
                                     molecule="anti-CD28")
    assert cmp.chosen == "mabel"
    assert cmp.starting_dose_mg_per_kg == pytest.approx(mabel)
    text = cmp.explain("en")
    assert text.startswith("anti-CD28: Start at the lowest estimate, MABEL")
    assert "EMEA/CHMP/SWP/28367/07 Rev. 1" in text
    # 1.6216 / 0.0012533 = 1294, printed to three significant figures.
    assert "NOAEL-based MRSD (FDA 2005) is 1290-fold higher." in text
    table = cmp.to_frame("en")
    assert list(table["Approach"]) == ["NOAEL-based MRSD (FDA 2005)", "MABEL", "PAD", "EC20 in vitro"]
    assert list(table["Selected"]) == ["", "yes", "", ""]
    assert table["Fold above the lowest"].min() == 1.0
    assert table["Flat dose for 60 kg (mg)"].iloc[2] == pytest.approx(0.6)
    zh = cmp.to_frame("zh-tw")
    assert "最低預期生物效應劑量（MABEL）" in set(zh["方法"])


def test_comparison_accepts_s9_result_in_mg_per_kg():
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0)  # 36 mg/m^2 = 0.973 mg/kg
    cmp = fih.compare_starting_doses({"s9": s9, "pad": 2.0})
    assert cmp.chosen == "s9"
    assert cmp.starting_dose_mg_per_kg == pytest.approx(36 / 37)


# --- bad input ----------------------------------------------------------------------------------------------

def test_unknown_species_lists_valid_ones():
    with pytest.raises(ValueError, match=r"species must be one of \[.*'rat'.*'mini-pig'\]; got 'cat'"):
        fih.km_factor("cat")
    with pytest.raises(ValueError, match="must be one of"):
        fih.human_equivalent_dose(1.0, "human")  # a human dose has no HED
    with pytest.raises(ValueError, match=r"noael_mg_per_kg_by_species key must be one of"):
        fih.mrsd({"cat": 10.0})
    with pytest.raises(TypeError, match="species"):
        fih.km_factor(3)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_negative_or_non_finite_doses_are_refused(bad):
    with pytest.raises(ValueError, match="dose_mg_per_kg"):
        fih.human_equivalent_dose(bad, "rat")
    with pytest.raises(ValueError, match="NOAEL of rat"):
        fih.mrsd({"rat": bad})


def test_other_bad_input():
    with pytest.raises(ValueError, match="NOAEL of rat"):
        fih.mrsd({"rat": 0.0})
    with pytest.raises(TypeError, match="noael_mg_per_kg_by_species"):
        fih.mrsd([("rat", 10.0)])
    with pytest.raises(ValueError, match="appears twice"):
        fih.mrsd({"rat": 10.0, "Rat": 12.0})
    with pytest.raises(ValueError, match="safety_factor must be >= 1"):
        fih.mrsd({"rat": 10.0}, safety_factor=0.5)
    with pytest.raises(TypeError, match="dose_mg_per_kg"):
        fih.human_equivalent_dose("10", "rat")
    with pytest.raises(ValueError, match="estimates"):
        fih.compare_starting_doses({})
    with pytest.raises(ValueError, match=r"estimates\['mabel'\]"):
        fih.compare_starting_doses({"mabel": -0.1})


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.1])
def test_occupancy_outside_open_unit_interval_is_refused(bad):
    with pytest.raises(ValueError, match=r"occupancy must lie in \(0, 1\)"):
        fih.mabel_concentration(1.0, bad)
    with pytest.raises(ValueError, match=r"occupancy must lie in \(0, 1\)"):
        fih.mabel_dose(1.0, bad)


def test_kd_must_be_positive():
    with pytest.raises(ValueError, match="kd"):
        fih.mabel_concentration(0.0, 0.1)
    with pytest.raises(TypeError, match="occupancy"):
        fih.mabel_concentration(1.0, [0.1, 0.2])


# --- labels -------------------------------------------------------------------------------------------------

def test_every_fih_label_has_both_languages():
    fih_ids = [k for k in catalogue() if k.startswith("fih_")]
    assert fih_ids
    for key in fih_ids:
        assert set(catalogue()[key]) == set(LANGS), key
    for key in fih.SPECIES:
        assert "fih_species_" + key.replace(" ", "_").replace("-", "_") in catalogue()


@pytest.mark.parametrize("lang", LANGS)
def test_tables_render_in_both_languages(lang):
    res = fih.mrsd({"rat": 50.0, "dog": 10.0, "mouse": 100.0})
    assert isinstance(res.to_frame(lang), pd.DataFrame) and len(res.to_frame(lang)) == 3
    assert not math.isnan(res.to_frame(lang).iloc[0, 1])
    assert res.explain(lang).count("\n") == 2
