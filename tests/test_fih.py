"""Tests of dosecourse.fih: FDA 2005 Table 1, HED and MRSD, ICH S9 and the comparison of approaches.

Sources of the expected numbers:
* FDA 2005 guidance "Estimating the Maximum Safe Starting Dose in Initial Clinical Trials for Therapeutics in
  Adult Healthy Volunteers", Table 1, as reproduced by Nair & Jacob, J Basic Clin Pharm 2016;7:27 (Table 1),
  stored once in dosecourse/data/fda2005_km_table1.json (read here through dosecourse.data.load).
* Everything else is computed by hand in the comments.  The MABEL and the occupancy calculations are tested in
  tests/test_mabel.py.
"""

import math
from types import MappingProxyType

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosecourse import data, fih
from dosecourse.i18n import LANGS, catalogue

TABLE_1 = data.load("fda2005_km_table1")["species"]


# --- Table 1 ------------------------------------------------------------------------------------------------

def test_species_table_is_the_data_file():
    assert list(fih.SPECIES) == [row["key"] for row in TABLE_1]
    for row in TABLE_1:
        species = fih.SPECIES[row["key"]]
        assert (species.weight_kg, species.bsa_m2, species.km) == (row["weight_kg"], row["bsa_m2"], row["km"])
        assert fih.km_factor(row["key"]) == row["km"]


def test_table_1_spot_values_typed_from_the_guidance():
    # FDA 2005 Table 1: Km human adult 37 (60 kg, 1.62 m2), child 25, mouse 3, rat 6, rabbit 12, dog 20,
    # rhesus monkey 12, mini-pig 35; 15 rows in all.
    assert len(fih.SPECIES) == 15
    assert [fih.km_factor(k) for k in ("human", "child", "mouse", "rat", "rabbit", "dog", "monkey", "mini-pig")] \
        == [37.0, 25.0, 3.0, 6.0, 12.0, 20.0, 12.0, 35.0]
    assert (fih.SPECIES["human"].weight_kg, fih.SPECIES["human"].bsa_m2) == (fih.HUMAN_WEIGHT_KG, fih.HUMAN_BSA_M2)


@pytest.mark.parametrize("row", [r for r in TABLE_1 if r["divide_by"] is not None], ids=lambda r: r["key"])
def test_divide_by_column_is_37_over_km_within_rounding(row):
    # The guidance's HED divisor is 37/Km to one decimal; dog and baboon are printed 1.8 for 37/20 = 1.85.
    assert abs(37.0 / fih.km_factor(row["key"]) - row["divide_by"]) <= 0.05 + 1e-12
    assert fih.human_equivalent_dose(1.0, row["key"]) == pytest.approx(fih.km_factor(row["key"]) / 37.0)


def test_km_is_weight_over_bsa_within_table_rounding():
    # Km = W / BSA: 0.15/0.025 = 6 (rat), 10/0.5 = 20 (dog), 60/1.62 = 37.04 -> 37 (human).
    for key, row in fih.SPECIES.items():
        assert row.weight_kg / row.bsa_m2 == pytest.approx(row.km, rel=0.10), key


def test_species_names_are_forgiving_about_case_and_separators():
    assert fih.km_factor("Guinea_Pig") == fih.km_factor("guinea-pig") == fih.km_factor("GUINEA PIG") == 8.0
    assert fih.km_factor("minipig") == fih.km_factor("Mini-pig") == 35.0
    assert fih.km_factor("rhesus") == fih.km_factor("monkey") == 12.0
    assert fih.species_key("Rhesus Monkey", fih.NONRODENTS) == "monkey"
    assert fih.species_label("rhesus", "en") == "monkey (rhesus)" and fih.species_label("dog", "zh-tw") == "犬"
    assert set(fih.RODENTS) | set(fih.NONRODENTS) == set(fih.ANIMAL_SPECIES)


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
    with pytest.raises(ValueError, match=r"species \(a species with a NOAEL\) must be one of \('rat',\); got 'dog'"):
        fih.mrsd({"rat": 50.0}, species="dog", reason="x")
    with pytest.raises(ValueError, match="reason applies only"):
        fih.mrsd({"rat": 50.0}, reason="x")


def test_mg_per_kg_scaling_needs_a_reason_and_skips_km():
    res = fih.mrsd({"monkey": 20.0}, scaling="mg/kg", scaling_reason="large protein given intravenously")
    assert res.hed_mg_per_kg["monkey"] == 20.0 and res.mrsd_mg_per_kg == 2.0
    assert "large protein" in res.explain("en")
    with pytest.raises(ValueError, match="scaling_reason"):
        fih.mrsd({"monkey": 20.0}, scaling="mg/kg")
    with pytest.raises(ValueError, match=r"scaling must be one of \('bsa', 'mg/kg'\); got 'allometric'"):
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
    with pytest.raises(ValueError, match=r"unit must be one of \('mg/kg', 'mg/m2', 'mg/m\^2'\); got 'mg'"):
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
    with pytest.raises(ValueError, match=r"rodent must be one of \('mouse', 'hamster', 'rat', 'guinea pig'\); got "):
        fih.s9_starting_dose(std10_rodent_mg_per_kg=10.0, rodent="dog")
    with pytest.raises(ValueError, match="nonrodent must be one of"):
        fih.s9_starting_dose(hnstd_nonrodent_mg_per_kg=10.0, nonrodent="rat")
    with pytest.raises(ValueError, match="hnstd_nonrodent_mg_per_kg"):
        fih.s9_starting_dose(hnstd_nonrodent_mg_per_kg=-1.0)


# --- comparison of approaches -------------------------------------------------------------------------------

def test_comparison_takes_the_lowest_and_explains_why():
    noael = fih.mrsd({"monkey": 50.0})  # 50 x 12/37 / 10 = 1.62 mg/kg
    mabel = 1.88 / 9 * 1e-6 * 150_000 * 0.04  # K_D 1.88 nM at 10% RO, IgG in 0.04 L/kg: 0.00125 mg/kg
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
    with pytest.raises(ValueError, match=r"species must be one of \(.*'rat'.*'mini-pig'\); got 'cat'"):
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
    with pytest.raises(TypeError, match="noael_mg_per_kg_by_species must be a mapping"):
        fih.mrsd([("rat", 10.0)])
    with pytest.raises(ValueError, match="noael_mg_per_kg_by_species must not be empty"):
        fih.mrsd({})
    with pytest.raises(ValueError, match="appears twice"):
        fih.mrsd({"rat": 10.0, "Rat": 12.0})
    with pytest.raises(ValueError, match="safety_factor must be a finite number >= 1; got 0.5"):
        fih.mrsd({"rat": 10.0}, safety_factor=0.5)
    with pytest.raises(TypeError, match="dose_mg_per_kg"):
        fih.human_equivalent_dose("10", "rat")
    with pytest.raises(ValueError, match="estimates must not be empty"):
        fih.compare_starting_doses({})
    with pytest.raises(ValueError, match=r"estimates\['mabel'\]"):
        fih.compare_starting_doses({"mabel": -0.1})


@pytest.mark.parametrize("call, kind, message", [
    (lambda: fih.km_factor(None), TypeError, "species must be a string"),
    (lambda: fih.species_key("rat", ("rat", "unicorn")), ValueError, "allowed must be one of"),
    (lambda: fih.hed_by_body_weight(1.0, 0.0), ValueError, "animal_weight_kg must be a finite number > 0"),
    (lambda: fih.hed_by_body_weight(1.0, 0.2, exponent=-0.3), ValueError, "exponent"),
    (lambda: fih.mg_per_kg_to_mg_per_m2(-1.0), ValueError, "dose_mg_per_kg"),
    (lambda: fih.mg_per_m2_to_mg_per_kg(1.0, "cat"), ValueError, "species must be one of"),
    (lambda: fih.flat_dose_mg(1.0, weight_kg=0.0), ValueError, "weight_kg"),
    (lambda: fih.flat_dose_mg(1.0, "mg/m2", bsa_m2=-1.0), ValueError, "bsa_m2"),
    (lambda: fih.mrsd({"rat": 10.0}, safety_factor="10"), TypeError, "safety_factor"),
    (lambda: fih.mrsd({"rat": 10.0}, species="rat", reason="   "), ValueError, "reason must be a non-empty text"),
    (lambda: fih.mrsd({"rat": 10.0}, species="rat", reason=3), TypeError, "reason must be a string"),
    (lambda: fih.mrsd({"rat": 10.0}, scaling_reason="x"), ValueError, "scaling_reason applies only"),
    (lambda: fih.mrsd({"rat": 10.0}, pad_mg_per_kg=0.0), ValueError, "pad_mg_per_kg"),
    (lambda: fih.mrsd({3: 10.0}), TypeError, "noael_mg_per_kg_by_species key must be a string"),
    (lambda: fih.s9_starting_dose(std10_rodent_mg_per_kg="1"), TypeError, "std10_rodent_mg_per_kg"),
    (lambda: fih.compare_starting_doses({"": 1.0}), ValueError, "every approach of estimates must be a non-empty"),
    (lambda: fih.compare_starting_doses({3: 1.0}), TypeError, "a key of estimates must be a string"),
    (lambda: fih.compare_starting_doses({"mabel": "0.1"}), TypeError, r"estimates\['mabel'\]"),
    (lambda: fih.compare_starting_doses([("mabel", 0.1)]), TypeError, "estimates must be a mapping"),
    (lambda: fih.compare_starting_doses({"mabel": 0.1}, molecule=None), TypeError, "molecule must be a string"),
    (lambda: fih.compare_starting_doses({"mabel": 0.1}, weight_kg=0), ValueError, "weight_kg"),
    (lambda: fih.mrsd({"rat": 10.0}).mrsd_mg(weight_kg=-60), ValueError, "weight_kg"),
    (lambda: fih.mrsd({"rat": 10.0}).explain("fr"), ValueError, "lang must be one of"),
])
def test_every_bad_argument_is_named(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


# --- results constructed by hand are checked -----------------------------------------------------------------

def _fields(result):
    return {name: getattr(result, name) for name in result.__dataclass_fields__}


def test_results_are_read_only_and_rebuild_from_their_own_fields():
    res = fih.mrsd({"rat": 50.0, "dog": 10.0}, pad_mg_per_kg=0.2)
    assert isinstance(res.noael_mg_per_kg, MappingProxyType) and isinstance(res.hed_mg_per_kg, MappingProxyType)
    assert fih.MRSDResult(**_fields(res)) == res
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=150.0, hnstd_nonrodent_mg_per_kg=30.0)
    assert fih.S9StartingDose(**_fields(s9)) == s9
    cmp = fih.compare_starting_doses({"s9": s9, "pad": 2.0})
    assert fih.StartingDoseComparison(**_fields(cmp)) == cmp
    with pytest.raises(AttributeError):
        res.species = "rat"


@pytest.mark.parametrize("change, message", [
    ({"mrsd_mg_per_kg": 0.6}, "mrsd_mg_per_kg must be hed_mg_per_kg"),
    ({"species": "rat"}, "species must be the first most sensitive species 'dog' unless overridden"),
    ({"species": "mouse"}, "species must be one of"),
    ({"overridden": 1}, "overridden must be True or False"),
    ({"overridden": True}, "reason must explain an override"),
    ({"tied": ("rat",)}, "tied must list the species with the lowest HED"),
    ({"tied": ["dog"]}, "tied must be a tuple"),
    ({"hed_mg_per_kg": {"rat": 8.0, "dog": 200 / 37}}, r"hed_mg_per_kg\['rat'\] must be the NOAEL scaled"),
    ({"hed_mg_per_kg": {"dog": 200 / 37}}, "one HED per species"),
    ({"noael_mg_per_kg": {"cat": 1.0}}, "a key of noael_mg_per_kg must be one of"),
    ({"safety_factor": 0.5}, "safety_factor must be a finite number >= 1"),
    ({"scaling": "mg/kg"}, "hed_mg_per_kg"),
    ({"scaling_reason": "why"}, "scaling_reason must explain mg/kg scaling"),
    ({"pad_mg_per_kg": -0.2}, "pad_mg_per_kg"),
])
def test_an_inconsistent_mrsd_result_is_refused(change, message):
    fields = _fields(fih.mrsd({"rat": 50.0, "dog": 10.0}, pad_mg_per_kg=0.2))
    with pytest.raises((ValueError, TypeError), match=message):
        fih.MRSDResult(**{**fields, **change})


@pytest.mark.parametrize("change, message", [
    ({"dose_mg_per_m2": 100.0}, "dose_mg_per_m2 must be the lowest candidate"),
    ({"species": "dog"}, r"species must be one of \('rat',\)"),
    ({"basis": "hnstd"}, r"basis must be one of \('std10',\)"),
    ({"candidates_mg_per_m2": {"rat": 90.0, "dog": 120.0}}, r"candidates_mg_per_m2\['dog'\] must be 100"),
    ({"candidates_mg_per_m2": {"rat": 90.0}}, "the same species"),
    ({"animal_dose_mg_per_kg": {"rat": 150.0, "mouse": 30.0}}, "a key of candidates_mg_per_m2 must be one of"),
])
def test_an_inconsistent_s9_result_is_refused(change, message):
    fields = _fields(fih.s9_starting_dose(std10_rodent_mg_per_kg=150.0, hnstd_nonrodent_mg_per_kg=30.0))
    with pytest.raises((ValueError, TypeError), match=message):
        fih.S9StartingDose(**{**fields, **change})


@pytest.mark.parametrize("kwargs, kind, message", [
    ({"doses_mg_per_kg": {}}, ValueError, "doses_mg_per_kg must not be empty"),
    ({"doses_mg_per_kg": {"pad": 0.0}}, ValueError, r"doses_mg_per_kg\['pad'\]"),
    ({"doses_mg_per_kg": {"pad": 1.0}, "molecule": 3}, TypeError, "molecule must be a string"),
    ({"doses_mg_per_kg": {"pad": 1.0}, "weight_kg": float("nan")}, ValueError, "weight_kg"),
])
def test_a_bad_comparison_is_refused(kwargs, kind, message):
    with pytest.raises(kind, match=message):
        fih.StartingDoseComparison(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"key": " ", "weight_kg": 1.0, "bsa_m2": 0.1, "km": 10.0}, "key must name the species"),
    ({"key": "cat", "weight_kg": 0.0, "bsa_m2": 0.1, "km": 10.0}, "weight_kg"),
    ({"key": "cat", "weight_kg": 4.0, "bsa_m2": "0.3", "km": 13.0}, "bsa_m2"),
])
def test_a_bad_species_row_is_refused(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        fih.Species(**kwargs)


# --- properties -------------------------------------------------------------------------------------------------

noaels = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)


@given(rat=noaels, dog=noaels, sf=st.floats(min_value=1.0, max_value=1000.0))
def test_mrsd_is_the_lowest_hed_over_the_safety_factor(rat, dog, sf):
    res = fih.mrsd({"rat": rat, "dog": dog}, sf)
    assert res.mrsd_mg_per_kg == pytest.approx(min(rat * 6 / 37, dog * 20 / 37) / sf, rel=1e-12)
    assert all(res.mrsd_mg_per_kg <= h / sf * (1 + 1e-12) for h in res.hed_mg_per_kg.values())
    # A larger safety factor never raises the start; overriding to the other species never lowers it.
    other = "rat" if res.species == "dog" else "dog"
    assert fih.mrsd({"rat": rat, "dog": dog}, 2 * sf).mrsd_mg_per_kg < res.mrsd_mg_per_kg
    assert fih.mrsd({"rat": rat, "dog": dog}, sf, species=other, reason="x").mrsd_mg_per_kg >= res.mrsd_mg_per_kg


@given(std10=noaels, hnstd=noaels)
def test_s9_start_is_the_lower_candidate(std10, hnstd):
    s9 = fih.s9_starting_dose(std10_rodent_mg_per_kg=std10, hnstd_nonrodent_mg_per_kg=hnstd)
    assert s9.dose_mg_per_m2 == pytest.approx(min(std10 * 6 / 10, hnstd * 20 / 6), rel=1e-12)
    assert s9.flat_dose_mg() == pytest.approx(1.62 * s9.dose_mg_per_m2, rel=1e-12)


# --- labels -------------------------------------------------------------------------------------------------

def test_every_species_has_a_label():
    for key in fih.SPECIES:
        assert "fih_species_" + key.replace(" ", "_").replace("-", "_") in catalogue()


@pytest.mark.parametrize("lang", LANGS)
def test_tables_render_in_both_languages(lang):
    res = fih.mrsd({"rat": 50.0, "dog": 10.0, "mouse": 100.0})
    assert isinstance(res.to_frame(lang), pd.DataFrame) and len(res.to_frame(lang)) == 3
    assert not math.isnan(res.to_frame(lang).iloc[0, 1])
    assert res.explain(lang).count("\n") == 2
