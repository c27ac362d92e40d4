"""Tests of dosecourse.mabel: the MABEL from receptor occupancy, doses from concentrations, implied K_D.

Sources of the expected numbers:
* Simple binding RO = C/(C + K_D), so 10% RO needs K_D/9 and 20% RO K_D/4; with total target R_tot the total
  drug is K_D RO/(1 - RO) + RO R_tot (Muller & Brennan, Clin Pharmacol Ther 2009;85:247).  Dose (mg/kg) =
  C (nM) x 1e-6 x 150 000 g/mol x 0.04 L/kg (IgG in plasma): 1 nM is 6 ug/kg.  All computed by hand below.
* No reference software computes these: target depletion is checked against an independent numerical solution
  of the mass balance (scipy.optimize.brentq), and every inverse against its forward function.
* TGN1412: Waibler et al., J Allergy Clin Immunol 2008;122:890 (doi:10.1016/j.jaci.2008.07.049), stored once in
  dosecourse/data/tgn1412_waibler2008.json: 0.1 mg/kg, 86.2-90.9% CD28 occupancy estimated in silico.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from dosecourse import data, mabel
from dosecourse import pd as pdm

TGN1412 = data.load("tgn1412_waibler2008")


def occupancy_by_mass_balance(c_total: float, kd: float, r_total: float) -> float:
    """Occupancy at equilibrium, solving free + R_tot * free / (free + K_D) = C_tot for the free drug."""
    free = brentq(lambda f: f + r_total * f / (f + kd) - c_total, 0.0, c_total, xtol=1e-15, rtol=1e-14)
    return free / (free + kd)


# --- MABEL concentration and dose, by hand ------------------------------------------------------------------

def test_mabel_at_10_and_20_percent_occupancy():
    kd = 1.88
    assert mabel.mabel_concentration(kd, 0.1) == pytest.approx(kd / 9, rel=1e-14)
    assert mabel.mabel_concentration(kd, 0.2) == pytest.approx(kd / 4, rel=1e-14)
    # R_tot = 0 is simple binding.
    assert mabel.mabel_concentration(kd, 0.1, target_total=0.0) == mabel.mabel_concentration(kd, 0.1)


def test_mabel_with_target_depletion_gives_back_its_occupancy():
    # Muller & Brennan: C_tot = K_D RO/(1-RO) + RO R_tot.  K_D 0.41 nM, R_tot 0.65 nM, RO 10%:
    # 0.41/9 + 0.065 = 0.1106 nM, and binding at that total gives back 10% occupancy, by the package's quadratic
    # and by an independent numerical solution of the mass balance.
    c_tot = mabel.mabel_concentration(0.41, 0.1, target_total=0.65)
    assert c_tot == pytest.approx(0.41 / 9 + 0.065, rel=1e-14)
    assert pdm.occupancy(c_tot, 0.41, target_total=0.65) == pytest.approx(0.1, rel=1e-12)
    assert occupancy_by_mass_balance(c_tot, 0.41, 0.65) == pytest.approx(0.1, rel=1e-10)


def test_one_nanomolar_of_igg_in_plasma_is_six_micrograms_per_kg():
    # 1 nM x 0.04 L/kg = 0.04 nmol/kg x 150 000 g/mol = 6000 ng/kg = 6 ug/kg = 0.006 mg/kg.
    assert mabel.dose_from_concentration(1.0) == pytest.approx(0.006, rel=1e-14)
    assert mabel.dose_from_concentration([0.0, 2.0]).tolist() == pytest.approx([0.0, 0.012], rel=1e-14)
    # A 50 kDa construct in a 0.05 L/kg central volume: 7.3 nM x 1e-6 x 50 000 x 0.05 = 0.01825 mg/kg.
    dose = mabel.dose_from_concentration(7.3, molecular_weight_g_per_mol=50_000.0, volume_l_per_kg=0.05)
    assert dose == pytest.approx(0.01825, rel=1e-14)
    assert mabel.concentration_from_dose(dose, molecular_weight_g_per_mol=50_000.0,
                                         volume_l_per_kg=0.05) == pytest.approx(7.3, rel=1e-14)


def test_mabel_dose_is_concentration_times_six_micrograms():
    # K_D 2 nM: 10% RO 2/9 nM -> 12/9 = 1.333 ug/kg; 20% RO 0.5 nM -> 3 ug/kg; with R_tot 10 nM the 10% MABEL
    # adds 0.1 x 10 = 1 nM: (2/9 + 1) x 6 = 7.333 ug/kg.
    assert 1000 * mabel.mabel_dose(2.0, 0.1) == pytest.approx(12 / 9, rel=1e-13)
    assert 1000 * mabel.mabel_dose(2.0, 0.2) == pytest.approx(3.0, rel=1e-13)
    assert 1000 * mabel.mabel_dose(2.0, 0.1, target_total_nm=10.0) == pytest.approx(6 * (2 / 9 + 1), rel=1e-13)


# --- TGN1412 --------------------------------------------------------------------------------------------------

def test_tgn1412_first_dose_is_16_7_nanomolar():
    # 0.1 mg/kg in 0.04 L/kg plasma = 2.5 mg/L; / 150 000 g/mol = 16.67 nM.
    assert TGN1412["first_dose_mg_per_kg"] == 0.1
    assert mabel.concentration_from_dose(0.1) == pytest.approx(2.5e-3 / 150_000 * 1e9, rel=1e-14)


def test_reported_occupancy_implies_kd_of_1_67_to_2_67_nanomolar():
    # K_D = C (1 - RO)/RO: 16.667 x 0.091/0.909 = 1.669 nM and 16.667 x 0.138/0.862 = 2.668 nM.
    low, high = TGN1412["in_silico_occupancy"]
    assert (low, high) == (0.862, 0.909)
    assert mabel.implied_kd(0.1, high) == pytest.approx(50 / 3 * 0.091 / 0.909, rel=1e-12)
    assert mabel.implied_kd(0.1, low) == pytest.approx(50 / 3 * 0.138 / 0.862, rel=1e-12)
    # K_D 1.88 nM (the value usually quoted; not checked against the primary report): RO = 16.67/18.55 = 0.899,
    # inside the range; the MABEL at 10% is 1.88/9 x 6 = 1.2533 ug/kg, 80 times below the 100 ug/kg given.
    assert mabel.occupancy_from_dose(0.1, 1.88) == pytest.approx(0.8987, abs=1e-4)
    assert 0.1 / mabel.mabel_dose(1.88, 0.1) == pytest.approx(79.8, abs=0.1)


def test_occupancy_after_a_dose_simple_and_with_target():
    # K_D 2 nM: 16.667 / 18.667 = 25/28.  With R_tot 10 nM the 16.667 nM total is partly bound: the smaller root
    # of the mass balance, 0.811, agrees with the numerical solution.
    assert mabel.occupancy_from_dose(0.1, 2.0) == pytest.approx(25 / 28, rel=1e-14)
    assert mabel.occupancy_from_dose(0.1, 2.0, target_total_nm=0.0) == pytest.approx(25 / 28, rel=1e-14)
    with_target = mabel.occupancy_from_dose(0.1, 2.0, target_total_nm=10.0)
    assert with_target == pytest.approx(occupancy_by_mass_balance(50 / 3, 2.0, 10.0), rel=1e-10)
    assert round(with_target, 3) == 0.811
    doses = np.logspace(-4, 1, 50)
    ro = mabel.occupancy_from_dose(doses, 2.0, target_total_nm=10.0)
    assert ro.shape == (50,) and np.all(np.diff(ro) > 0) and 0 < ro[0] < ro[-1] < 1
    assert mabel.occupancy_from_dose(0.0, 2.0) == 0.0


# --- properties -------------------------------------------------------------------------------------------------

kds = st.floats(min_value=1e-3, max_value=1e3)
ros = st.floats(min_value=0.01, max_value=0.99)
targets = st.floats(min_value=0.0, max_value=1e3)


@given(kd=kds, ro=ros, rt=targets)
def test_the_mabel_dose_gives_back_its_occupancy(kd, ro, rt):
    dose = mabel.mabel_dose(kd, ro, target_total_nm=rt)
    assert mabel.occupancy_from_dose(dose, kd, target_total_nm=rt) == pytest.approx(ro, rel=1e-8)
    # Counting drug bound to target never lowers the MABEL; a higher occupancy always needs a higher dose.
    assert dose >= mabel.mabel_dose(kd, ro) * (1 - 1e-12)
    assert mabel.mabel_dose(kd, min(ro + 0.005, 0.995), target_total_nm=rt) > dose


@given(dose=st.floats(min_value=1e-4, max_value=100.0), ro=ros)
def test_implied_kd_inverts_the_occupancy_of_a_dose(dose, ro):
    assert mabel.occupancy_from_dose(dose, mabel.implied_kd(dose, ro)) == pytest.approx(ro, rel=1e-10)


def test_a_vanishing_target_is_simple_binding():
    # pd forms the occupancy without multiplying by R_tot, so a subnormal R_tot cannot underflow it.
    assert mabel.occupancy_from_dose(0.006, 1.0, target_total_nm=5e-324) == pytest.approx(0.5)


# --- bad input ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, kind, message", [
    (lambda: mabel.mabel_concentration(0.0, 0.1), ValueError, "kd must be a finite number > 0"),
    (lambda: mabel.mabel_concentration(1.0, [0.1, 0.2]), TypeError, "occupancy must be a probability"),
    (lambda: mabel.mabel_concentration(1.0, 0.1, target_total=-1.0), ValueError, "target_total"),
    (lambda: mabel.dose_from_concentration(-1.0), ValueError, "concentration_nm must be >= 0"),
    (lambda: mabel.dose_from_concentration(float("nan")), ValueError, "concentration_nm must hold finite"),
    (lambda: mabel.dose_from_concentration("1"), TypeError, "concentration_nm"),
    (lambda: mabel.dose_from_concentration(1.0, molecular_weight_g_per_mol=0), ValueError,
     "molecular_weight_g_per_mol"),
    (lambda: mabel.concentration_from_dose(1.0, volume_l_per_kg=-0.04), ValueError, "volume_l_per_kg"),
    (lambda: mabel.concentration_from_dose(np.zeros(2_000_000)), ValueError, "dose_mg_per_kg may hold at most"),
    (lambda: mabel.occupancy_from_dose(0.1, -2.0), ValueError, "kd_nm"),
    (lambda: mabel.occupancy_from_dose(-0.1, 2.0), ValueError, "dose_mg_per_kg"),
    (lambda: mabel.occupancy_from_dose(0.1, 2.0, target_total_nm=-1.0), ValueError, "target_total_nm"),
    (lambda: mabel.mabel_dose(None, 0.1), TypeError, "kd_nm"),
    (lambda: mabel.mabel_dose(1.0, 0.1, target_total_nm="5"), TypeError, "target_total_nm"),
    (lambda: mabel.implied_kd(0.0, 0.5), ValueError, "dose_mg_per_kg must be a finite number > 0"),
    (lambda: mabel.implied_kd(0.1, 1.0), ValueError, r"occupancy_fraction must lie in \(0, 1\)"),
])
def test_every_bad_argument_is_named(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.1, float("nan")])
def test_occupancy_outside_open_unit_interval_is_refused(bad):
    with pytest.raises(ValueError, match=r"occupancy must lie in \(0, 1\)"):
        mabel.mabel_concentration(1.0, bad)
    with pytest.raises(ValueError, match=r"occupancy must lie in \(0, 1\)"):
        mabel.mabel_dose(1.0, bad)
