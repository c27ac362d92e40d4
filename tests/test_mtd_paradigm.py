"""Tests of dosecourse.mtd_paradigm: analytic identities of the Emax and logistic models, the closed-form MTD,
the teaching defaults (derived by hand below), and input checks (the figure and widget are tested with
their chapter, tests/chapters/test_why_dose_optimization.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dosecourse import i18n
from dosecourse import mtd_paradigm as mp


# ------------------------------------------------------------------------------------ analytic identities
@pytest.mark.parametrize("ed50,hill,emax", [(10.0, 1.5, 0.5), (3.0, 0.7, 1.0), (250.0, 4.0, 0.2)])
def test_emax_at_ed50_is_half_the_plateau(ed50, hill, emax):
    assert mp.efficacy(ed50, ed50=ed50, hill=hill, emax=emax) == pytest.approx(emax / 2, rel=1e-12)


def test_emax_limits_and_zero_dose():
    assert mp.efficacy(0.0, ed50=10, hill=1.5, emax=0.5) == 0.0
    assert mp.efficacy(1e12, ed50=10, hill=1.5, emax=0.5) == pytest.approx(0.5, rel=1e-9)


def test_emax_matches_the_textbook_formula():
    d = np.array([0.5, 5.0, 10.0, 43.0, 200.0])
    ed50, h, emax = 10.0, 1.5, 0.5
    expected = emax * d**h / (ed50**h + d**h)  # Holford & Sheiner 1981, sigmoid Emax
    np.testing.assert_allclose(mp.efficacy(d, ed50, h, emax), expected, rtol=1e-12)


@pytest.mark.parametrize("td50,slope", [(120.0, 3.0), (40.0, 0.8), (1.0, 6.0)])
def test_logistic_at_td50_is_one_half(td50, slope):
    assert mp.dlt_probability(td50, td50=td50, tox_slope=slope) == pytest.approx(0.5, abs=1e-15)


def test_logistic_matches_log_dose_form():
    d = np.array([1.0, 30.0, 83.0, 120.0, 300.0])
    td50, b = 120.0, 3.0
    expected = 1.0 / (1.0 + np.exp(-b * (np.log(d) - np.log(td50))))
    np.testing.assert_allclose(mp.dlt_probability(d, td50, b), expected, rtol=1e-12)
    assert mp.dlt_probability(0.0, td50, b) == 0.0


@pytest.mark.parametrize("target", [0.1, 0.2, 0.25, 0.3, 1 / 3, 0.4])
@pytest.mark.parametrize("td50,slope", [(120.0, 3.0), (40.0, 1.2), (500.0, 7.5)])
def test_mtd_solves_p_dlt_equals_target(target, td50, slope):
    d = mp.mtd(td50, slope, target)
    assert d == pytest.approx(td50 * (target / (1 - target)) ** (1 / slope), rel=1e-12)  # closed-form inverse
    assert mp.dlt_probability(d, td50, slope) == pytest.approx(target, abs=1e-12)


@pytest.mark.parametrize("fraction", [0.5, 0.8, 0.9, 0.95])
def test_efficacious_dose_reaches_the_fraction_of_the_plateau(fraction):
    d = mp.efficacious_dose(ed50=10.0, hill=1.5, fraction=fraction)
    assert mp.efficacy(d, 10.0, 1.5, 0.5) / 0.5 == pytest.approx(fraction, abs=1e-12)
    if fraction == 0.5:
        assert d == pytest.approx(10.0)  # the ED50 itself


def test_curves_are_monotone_increasing():
    d = np.linspace(0, 500, 2001)
    assert np.all(np.diff(mp.efficacy(d, 10, 1.5, 0.5)) >= 0)
    assert np.all(np.diff(mp.dlt_probability(d, 120, 3.0)) >= 0)
    assert np.all(np.diff(mp.dlt_probability(d[1:], 120, 3.0)) > 0)


def test_mtd_increases_with_target_and_td50():
    targets = np.linspace(0.05, 0.5, 10)
    assert np.all(np.diff([mp.mtd(120, 3, x) for x in targets]) > 0)
    assert mp.mtd(150, 3, 0.25) > mp.mtd(120, 3, 0.25)


# ------------------------------------------------------------------------------ the chapter's key numbers
def test_default_comparison_matches_hand_derivation():
    # MTD = 120 * (0.25/0.75)^(1/3) = 120 / 3^(1/3) = 83.2034 mg.
    # ED90 = 10 * 9^(1/1.5) = 10 * 9^(2/3) = 43.2675 mg.
    # P(DLT | ED90) = 1 / (1 + (120/ED90)^3) = 1 / (1 + 12^3/9^2) = 1 / (1 + 64/3) = 3/67.
    # (MTD/ED50)^1.5 = (12 / 3^(1/3))^1.5 = sqrt(12^3 / 3) = 24, so E(MTD) = 0.5 * 24/25 = 0.48.
    res = mp.compare()
    assert res.mtd == pytest.approx(120 / 3 ** (1 / 3), rel=1e-12)
    assert res.efficacious_dose == pytest.approx(10 * 9 ** (2 / 3), rel=1e-12)
    assert res.dlt_at_efficacious == pytest.approx(3 / 67, rel=1e-12)
    assert res.dlt_at_mtd == pytest.approx(0.25, rel=1e-12)
    assert res.efficacy_at_mtd == pytest.approx(0.48, rel=1e-12)
    assert res.efficacy_at_efficacious == pytest.approx(0.45, rel=1e-12)
    assert res.efficacy_gain == pytest.approx(0.03, abs=1e-12)
    assert res.dlt_cost == pytest.approx(0.25 - 3 / 67, abs=1e-12)
    assert res.plateau_fraction_at_mtd == pytest.approx(0.96, rel=1e-12)


def test_narrow_window_puts_mtd_below_the_efficacious_dose():
    res = mp.compare(td50=40.0)
    assert res.mtd == pytest.approx(40 / 3 ** (1 / 3))
    assert res.mtd < res.efficacious_dose
    assert res.efficacy_gain < 0 and res.dlt_cost < 0
    assert "below" in res.summary("en")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_summary_in_both_languages(lang):
    for params in ({}, {"td50": 40.0}):
        text = mp.compare(**params).summary(lang)
        assert "MTD" in text and "{" not in text


# ------------------------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("kwargs,name", [
    ({"ed50": 0}, "ed50"), ({"ed50": -1}, "ed50"), ({"hill": 0}, "hill"), ({"td50": float("nan")}, "td50"),
    ({"tox_slope": -2}, "tox_slope"), ({"target": 0}, "target"), ({"target": 1.2}, "target"),
    ({"fraction": 1.0}, "fraction"), ({"emax": 1.5}, "emax"), ({"emax": 0}, "emax"),
])
def test_bad_parameters_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        mp.compare(**kwargs)


def test_wrong_types_and_unknown_names():
    with pytest.raises(TypeError, match="ed50"):
        mp.compare(ed50="ten")
    with pytest.raises(TypeError, match="ec50"):
        mp.compare(ec50=10)
    with pytest.raises(ValueError, match="dose"):
        mp.efficacy([-1.0, 2.0])
    with pytest.raises(ValueError, match="dose"):
        mp.dlt_probability(float("inf"))
    with pytest.raises(ValueError, match="target"):
        mp.mtd(target=-0.1)


# --------------------------------------------------------------------------------- figure, widget, docs






def test_defaults_are_documented_values():
    assert mp.DEFAULTS == {"ed50": 10.0, "hill": 1.5, "emax": 0.5, "td50": 120.0, "tox_slope": 3.0,
                           "target": 0.25, "fraction": 0.9}
    assert math.isclose(mp.mtd(), 83.2033529, rel_tol=1e-8)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_table_rows_and_difference(lang):
    frame = mp.compare().table(lang)
    assert frame.shape == (3, 3)
    np.testing.assert_allclose(frame.iloc[0].to_numpy(), [43.3, 45.0, 4.5])
    np.testing.assert_allclose(frame.iloc[1].to_numpy(), [83.2, 48.0, 25.0])
    np.testing.assert_allclose(frame.iloc[2].to_numpy(), [39.9, 3.0, 20.5])
    assert not any("{" in s for s in list(frame.index) + list(frame.columns))
