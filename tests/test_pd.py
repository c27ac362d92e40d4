"""Tests of dosecourse.pd: Emax/Hill models, receptor occupancy and TMDD, against their identities.

* Hill with n = 1 is the Emax model; E(EC50) = Emax/2; concentration_for_effect inverts the Hill model.
* occupancy(concentration_for_occupancy(x)) == x, with and without target; the target-depletion quadratic tends
  to simple binding as total target -> 0 (Muller & Brennan, Clin Pharmacol Ther 2009;85:247).
* TMDD (Mager & Jusko 2001; Gibiansky et al. 2008): the QSS and QE approximations follow the full model for the
  teaching parameter set of Dua et al. 2015 (references.bib: dua2015tmdd), and TMDD with almost no target is
  linear PK.
"""

import numpy as np
import pytest

from dosecourse import pd as pdm
from dosecourse import pk
from dosecourse.i18n import LANGS

C = np.array([0.0, 0.1, 1.0, 3.0, 10.0, 1000.0])


# --- Emax / Hill --------------------------------------------------------------------------------------------

def test_hill_with_n_equal_1_is_emax():
    np.testing.assert_allclose(pdm.sigmoid_emax(C, 80.0, 3.0, 1.0, e0=5.0), pdm.emax_model(C, 80.0, 3.0, e0=5.0))
    np.testing.assert_allclose(pdm.emax_model(C, 80.0, 3.0), 80.0 * C / (3.0 + C))


@pytest.mark.parametrize("hill", [0.5, 1.0, 2.5])
def test_half_effect_at_ec50_and_baseline_at_zero(hill):
    assert pdm.sigmoid_emax(3.0, 80.0, 3.0, hill, e0=10.0) == pytest.approx(50.0)
    assert pdm.sigmoid_emax(0.0, 80.0, 3.0, hill, e0=10.0) == 10.0


@pytest.mark.parametrize("hill", [0.7, 1.0, 3.0])
def test_concentration_for_effect_inverts_the_hill_model(hill):
    x = np.array([0.05, 0.1, 0.2, 0.5, 0.9])
    c = pdm.concentration_for_effect(x, ec50=4.0, hill=hill)
    np.testing.assert_allclose(pdm.sigmoid_emax(c, 1.0, 4.0, hill), x, rtol=1e-12)


def test_ec10_and_ec20_with_hill_1():
    assert pdm.concentration_for_effect(0.1, ec50=9.0) == pytest.approx(1.0)  # EC50/9
    assert pdm.concentration_for_effect(0.2, ec50=8.0) == pytest.approx(2.0)  # EC50/4
    assert pdm.concentration_for_effect(0.2, ec50=8.0, hill=2.0) == pytest.approx(4.0)  # EC50 (1/4)^(1/2)


def test_inhibitory_emax():
    assert pdm.emax_model(3.0, emax=-100.0, ec50=3.0, e0=100.0) == pytest.approx(50.0)


# --- receptor occupancy -------------------------------------------------------------------------------------

def test_simple_occupancy():
    assert pdm.occupancy(1.0, kd=1.0) == 0.5
    np.testing.assert_allclose(pdm.occupancy(C, kd=2.0), C / (C + 2.0))


@pytest.mark.parametrize("target_total", [None, 0.0, 0.01, 1.0, 50.0])
def test_occupancy_of_concentration_for_occupancy_is_identity(target_total):
    ro = np.array([0.01, 0.1, 0.2, 0.5, 0.9, 0.999])
    c = pdm.concentration_for_occupancy(ro, kd=1.9, target_total=target_total)
    np.testing.assert_allclose(pdm.occupancy(c, kd=1.9, target_total=target_total), ro, rtol=1e-10)


def test_mabel_occupancies_by_simple_binding():
    assert pdm.concentration_for_occupancy(0.1, kd=1.8) == pytest.approx(0.2)  # K_D/9
    assert pdm.concentration_for_occupancy(0.2, kd=1.8) == pytest.approx(0.45)  # K_D/4


def test_quadratic_tends_to_simple_binding_as_target_vanishes():
    for rt in (1e-3, 1e-6, 1e-9):
        np.testing.assert_allclose(pdm.occupancy(C, 2.0, target_total=rt), pdm.occupancy(C, 2.0),
                                   rtol=10 * rt, atol=1e-15)
    assert pdm.occupancy(5.0, 2.0, target_total=0.0) == pdm.occupancy(5.0, 2.0)


@pytest.mark.parametrize("ct, rt, kd", [(10.0, 10.0, 1.0), (1e-9, 5.0, 1e-3), (1e6, 1.0, 0.1),
                                         (3.0, 2.0, 50.0), (0.0, 1.0, 1.0), (2.0, 1e-12, 1.0)])
def test_binding_equilibrium_holds(ct, rt, kd):
    # Conservation (C + RC = C_tot, R + RC = R_tot) and K_D = C R / RC, also in extreme ratios.
    free = pdm.free_drug_concentration(ct, rt, kd)
    ro = pdm.occupancy(ct, kd, target_total=rt)
    complex_ = ro * rt
    assert 0.0 <= free <= ct
    assert free + complex_ == pytest.approx(ct, rel=1e-12, abs=1e-300)
    if complex_ > 0:
        assert free * (rt - complex_) / complex_ == pytest.approx(kd, rel=1e-8)


def test_high_target_lowers_occupancy_for_the_same_total_drug():
    # Drug bound to target is no longer free: at equal total drug, more target -> lower occupancy.
    assert pdm.occupancy(9.0, 1.0, target_total=5.0) < pdm.occupancy(9.0, 1.0)


def test_mg_to_nmol():
    assert pdm.mg_to_nmol(150.0) == 1000.0  # 150 mg of a 150 kDa IgG
    assert pdm.mg_to_nmol(1.0, 1e6) == 1.0


# --- TMDD -------------------------------------------------------------------------------------------------

def test_teaching_parameters():
    p = pdm.TEACHING_TMDD
    assert p.kd == pytest.approx(169.0 / 30.2)  # "K_D about 5.6 nM"
    assert p.kd == pytest.approx(5.6, abs=0.01)
    assert p.kss == pytest.approx((169.0 + 0.17) / 30.2)
    assert p.ksyn == pytest.approx(17.3 * 0.00657)


@pytest.mark.parametrize("dose_mg", [7.0, 70.0, 700.0])  # 0.1, 1 and 10 mg/kg for 70 kg
def test_qss_and_qe_follow_the_full_model(dose_mg):
    times = np.array([0.5, 1.0, 3.0, 7.0, 14.0, 28.0, 56.0])
    dose = pdm.mg_to_nmol(dose_mg)
    full = pdm.simulate_tmdd(times, dose, approximation="full")
    for approximation in ("qss", "qe"):
        approx = pdm.simulate_tmdd(times, dose, approximation=approximation)
        np.testing.assert_allclose(approx.drug_total, full.drug_total, rtol=1e-3)
        np.testing.assert_allclose(approx.drug_free, full.drug_free, rtol=1e-2)
        np.testing.assert_allclose(approx.occupancy, full.occupancy, atol=1e-3)


def test_tmdd_without_target_is_linear_one_compartment_pk():
    p = pdm.TMDDParameters(cl=0.2, v1=3.0, q=0.0, v2=2.0, kint=0.17, kdeg=17.3, kon=30.2, koff=169.0,
                           r0=1e-12)
    times = np.array([0.0, 1.0, 7.0, 21.0, 42.0])
    for approximation in ("full", "qss"):
        prof = pdm.simulate_tmdd(times, 100.0, p, approximation=approximation)
        np.testing.assert_allclose(prof.drug_total, pk.conc_iv_bolus(times, 100.0, 0.2, 3.0), rtol=1e-6)


def test_repeated_doses_add_the_dose_to_total_drug():
    # Until the second dose the profiles agree; at tau the total drug jumps by dose / V1.
    tau, dose = 21.0, pdm.mg_to_nmol(140.0)
    times = np.array([0.0, 10.0, 21.0, 30.0])
    one = pdm.simulate_tmdd(times, dose)
    two = pdm.simulate_tmdd(times, dose, tau_days=tau, n_doses=2)
    np.testing.assert_allclose(two.drug_total[:2], one.drug_total[:2])
    assert two.drug_total[2] - one.drug_total[2] == pytest.approx(dose / pdm.TEACHING_TMDD.v1, rel=1e-6)
    assert two.drug_total[3] > one.drug_total[3]


def test_occupancy_rises_with_dose_and_stays_below_one():
    times = np.array([1.0, 14.0])
    occ = [pdm.simulate_tmdd(times, pdm.mg_to_nmol(mg)).occupancy for mg in (0.7, 7.0, 70.0)]
    assert np.all(np.diff(np.array(occ), axis=0) > 0)
    assert np.all((np.array(occ) > 0) & (np.array(occ) < 1))


@pytest.mark.parametrize("lang", LANGS)
def test_tmdd_table_in_both_languages(lang):
    frame = pdm.simulate_tmdd([0.0, 1.0, 2.0], 100.0).to_frame(lang)
    assert frame.shape == (3, 6)
    assert frame.iloc[:, -1].between(0, 100).all()


# --- bad input ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 1.5])
def test_occupancy_outside_open_unit_interval(bad):
    with pytest.raises(ValueError, match=r"occupancy must lie in \(0, 1\)"):
        pdm.concentration_for_occupancy(bad, kd=1.0)
    with pytest.raises(ValueError, match=r"fraction_of_emax must lie in \(0, 1\)"):
        pdm.concentration_for_effect(bad, ec50=1.0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: pdm.occupancy(-1.0, 1.0), ValueError, "conc must be >= 0"),
    (lambda: pdm.occupancy(1.0, 0.0), ValueError, "kd"),
    (lambda: pdm.occupancy(1.0, 1.0, target_total=-1.0), ValueError, "target_total"),
    (lambda: pdm.sigmoid_emax(1.0, 1.0, 1.0, hill=0.0), ValueError, "hill"),
    (lambda: pdm.emax_model(1.0, 1.0, ec50=-2.0), ValueError, "ec50"),
    (lambda: pdm.emax_model("high", 1.0, 1.0), TypeError, "conc"),
    (lambda: pdm.simulate_tmdd([1.0, 0.5], 10.0), ValueError, "time_days"),
    (lambda: pdm.simulate_tmdd([-1.0], 10.0), ValueError, "time_days"),
    (lambda: pdm.simulate_tmdd([1.0], 10.0, approximation="mm"), ValueError, "approximation"),
    (lambda: pdm.simulate_tmdd([1.0], 10.0, n_doses=2), ValueError, "tau_days"),
    (lambda: pdm.simulate_tmdd([1.0], -10.0), ValueError, "dose_nmol"),
    (lambda: pdm.simulate_tmdd([1.0], 10.0, params={"cl": 1}), TypeError, "params"),
    (lambda: pdm.TMDDParameters(0.2, 3.0, 0.5, 2.0, 0.17, 17.3, 30.2, 0.0, 0.01), ValueError, "koff"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
