"""Chapter "Small molecules and ADCs": every glued number against a hand calculation, an independent computation or
the data files, the figures, the table and the widget.

Sources of the expected numbers:
* Hand calculations: EC50 0.15 x 240 = 36 mg, T50 8 x 240 = 1920 mg; differences of published rates.
* Independent computation: every model number by scipy.integrate.quad over the normal density of log exposure
  (Hill inhibition, logistic toxicity, 1 - (1 - p)^4), and the diminishing-return doses by scipy.optimize.brentq on
  the quad expectations.
* Published numbers: dosecourse/data/expansion_cases.json and dosecourse/data/landscape.json read with json; the
  ASCEND-8 abstract (Cho 2019) as typed in below.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import integrate, optimize, stats

from dosecourse.chapters import small_molecules_and_adcs as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
DATA = Path(chapter.__file__).parents[1] / "data"
CASES = json.loads((DATA / "expansion_cases.json").read_text(encoding="utf-8"))
LAND = json.loads((DATA / "landscape.json").read_text(encoding="utf-8"))


def _mean(f, dose, omega=0.4, plateau=False):
    e = (min(dose, 240.0) if plateau else dose) / 240.0
    return integrate.quad(lambda z: f(e * math.exp(omega * z)) * stats.norm.pdf(z), -12, 12, epsabs=1e-13)[0]


def _inh(x):
    return x / (0.15 + x)


def _tox(x):
    return 1.0 / (1.0 + (8.0 / x) ** 1.5)


def _red(x):
    return 1.0 - (1.0 - _tox(x)) ** 4


def test_parameters_by_hand():
    assert N["sma_ec50_mg"] == pytest.approx(36.0) and N["sma_tox50_mg"] == pytest.approx(1920.0)
    assert (N["sma_ec50"], N["sma_tox50"], N["sma_tox_slope"], N["sma_omega"], N["sma_omega_high"]) == (
        0.15, 8.0, 1.5, 0.4, 0.8)
    assert (N["sma_n_cycles"], N["sma_min_gain_pct"], N["sma_sat_dose"], N["sma_lo_dose"], N["sma_hi_dose"]) == (
        4, 5.0, 240.0, 240.0, 960.0)


@pytest.mark.parametrize("key, f, dose, omega, plateau", [
    ("sma_inh_prop_lo", _inh, 240, 0.4, False), ("sma_inh_prop_hi", _inh, 960, 0.4, False),
    ("sma_inh_plat_hi", _inh, 960, 0.4, True), ("sma_inh_var_lo", _inh, 240, 0.8, False),
    ("sma_inh_var_hi", _inh, 960, 0.8, False)])
def test_inhibition_against_quad(key, f, dose, omega, plateau):
    assert N[key] == pytest.approx(_mean(f, dose, omega, plateau), abs=1e-9)


@pytest.mark.parametrize("key, f, dose, omega, plateau", [
    ("sma_tox_prop_lo_pct", _tox, 240, 0.4, False), ("sma_tox_prop_hi_pct", _tox, 960, 0.4, False),
    ("sma_red_prop_lo_pct", _red, 240, 0.4, False), ("sma_red_prop_hi_pct", _red, 960, 0.4, False),
    ("sma_red_plat_lo_pct", _red, 240, 0.4, True), ("sma_red_plat_hi_pct", _red, 960, 0.4, True),
    ("sma_red_var_lo_pct", _red, 240, 0.8, False), ("sma_red_var_hi_pct", _red, 960, 0.8, False)])
def test_toxicity_and_reductions_against_quad(key, f, dose, omega, plateau):
    assert N[key] == pytest.approx(100 * _mean(f, dose, omega, plateau), abs=1e-7)


def test_differences():
    assert N["sma_inh_gain_pp"] == pytest.approx(100 * (N["sma_inh_prop_hi"] - N["sma_inh_prop_lo"]), rel=1e-12)
    assert N["sma_red_gain_pp"] == pytest.approx(N["sma_red_prop_hi_pct"] - N["sma_red_prop_lo_pct"], rel=1e-12)
    assert N["sma_red_plat_hi_pct"] == pytest.approx(N["sma_red_plat_lo_pct"], abs=1e-12)
    assert N["sma_inh_plat_hi"] == pytest.approx(N["sma_inh_prop_lo"], abs=1e-12)


@pytest.mark.parametrize("key, omega, plateau, bracket", [
    ("sma_knee_prop", 0.4, False, (100.0, 2000.0)), ("sma_knee_high", 0.8, False, (100.0, 2000.0)),
    ("sma_knee_plateau", 0.4, True, (121.0, 239.0))])
def test_diminishing_return_doses_against_brentq(key, omega, plateau, bracket):
    def gain(d):
        return _mean(_inh, 2 * d, omega, plateau) - _mean(_inh, d, omega, plateau) - 0.05
    assert N[key] == pytest.approx(optimize.brentq(gain, *bracket, xtol=1e-10), rel=1e-6)


def test_published_numbers_from_the_data_files():
    s = CASES["single_dose_approvals"]["sotorasib"]
    assert (N["sma_soto_dose"], N["sma_soto_cmp_dose"], N["sma_soto_n"]) == (960, 240, 124) == (
        s["approved_dose_mg"], s["comparison_dose_mg"], s["n"])
    assert N["sma_soto_orr_pct"] == pytest.approx(36.0)
    assert (N["sma_soto_esc_lo_pct"], N["sma_soto_esc_hi_pct"]) == pytest.approx((25.0, 50.0))
    assert (N["sma_soto_esc_lo_mg"], N["sma_soto_esc_hi_mg"]) == (180, 960)
    lo, hi = CASES["cases"]["trastuzumab_deruxtecan"]["arms"]
    assert (N["sma_tdxd_n_lo"], N["sma_tdxd_n_hi"]) == (102, 50) == (lo["n"], hi["n"])
    assert (N["sma_tdxd_orr_lo_pct"], N["sma_tdxd_orr_hi_pct"]) == pytest.approx((49.0, 56.0))
    assert (N["sma_tdxd_ild_lo_pct"], N["sma_tdxd_ild_hi_pct"]) == pytest.approx((12.9, 28.0))
    assert "safety_rate" in lo["reported"]  # ILD marked "reported" in the prose and the table
    assert N["sma_tdxd_orr_diff_pp"] == pytest.approx(7.0) and N["sma_tdxd_ild_diff_pp"] == pytest.approx(15.1)
    # ASCEND-8 abstract (Cho 2019): ORR 78.1% (n 73) vs 75.7% (n 74); dose reductions 24.1% vs 60.9%
    assert (N["sma_cer_orr_fed_pct"], N["sma_cer_orr_fasted_pct"]) == pytest.approx((78.1, 75.7))
    assert (N["sma_cer_red_fed_pct"], N["sma_cer_red_fasted_pct"]) == pytest.approx((24.1, 60.9))
    assert (N["sma_cer_n_fed"], N["sma_cer_n_fasted"]) == (73, 74)
    h = LAND["harvey2023"]
    assert (N["sma_harvey_n"], N["sma_harvey_red_pct"], N["sma_harvey_int_pct"], N["sma_harvey_disc_pct"]) == (
        59, 28, 55, 10)
    assert h["n_drugs"] == 59
    assert (N["sma_harvey_first"], N["sma_harvey_last"]) == (2010, 2020)


@pytest.mark.parametrize("lang", LANGS)
def test_cases_table(lang):
    table = chapter.cases_table(lang)
    assert table.shape == (3, 6)
    assert "12.9" in table.iloc[1, 4] and "28.0" in table.iloc[1, 4]
    assert "60.9" in table.iloc[2, 4] and "78.1" in table.iloc[2, 3]
    assert table.iloc[1, 5] == t("sma_status_reported_ild", lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("exposure", chapter.EXPOSURES)
def test_figures_render_in_both_languages(exposure, lang):
    fig = chapter.window_figure(exposure, "moderate", 960.0, lang)  # course_figure raises on a missing glyph
    fig.canvas.draw()
    assert fig.axes[0].get_title(loc="left") == t(f"sma_title_{exposure}", lang)
    plt.close(fig)


def test_widget_fits_the_site_budget():
    w = chapter.widget
    per_part = [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts]
    assert per_part == [36, 36] and w.n_states == 72 <= widgets.MAX_STATES
    assert w.defaults == {"dose": 960.0, "exposure": "proportional", "omega": "moderate"}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_every_site_text_and_the_default_figure(lang):
    w = chapter.widget
    for _key, values in w.part_states(0):
        assert w.render(0, lang, values).count("\n") == 2
    text = w.render(0, lang, w.defaults)
    assert f"{N['sma_inh_prop_hi'] * 100:.1f}" in text and f"{N['sma_red_prop_hi_pct']:.1f}" in text
    assert f"{N['sma_knee_prop']:.0f}" in text
    fig = w.render(1, lang, w.defaults)
    fig.canvas.draw()
    plt.close(fig)
    assert "96.1" in w.alt_text(1, lang, w.defaults)


def test_alt_texts_and_try_this_match_the_model():
    # static alt texts quote: 96.1, 27.6, 68.7, 320 (proportional); 86.3, 4.9, 17.8, 164 (plateau)
    assert [f"{v:.1f}" for v in (100 * N["sma_inh_prop_hi"], N["sma_tox_prop_hi_pct"], N["sma_red_prop_hi_pct"])] == [
        "96.1", "27.6", "68.7"]
    plat = chapter.at(960.0, "plateau")
    assert [f"{100 * plat[k]:.1f}" for k in ("inhibition", "toxicity", "reduction")] == ["86.3", "4.9", "17.8"]
    assert (round(N["sma_knee_prop"]), round(N["sma_knee_plateau"])) == (320, 164)
    # "reductions appear even at low doses" with high variability
    for dose in (60.0, 120.0):  # 10.2% against 7.0% at 120 mg
        assert chapter.at(dose, omega="high")["reduction"] > 1.4 * chapter.at(dose)["reduction"]


def test_bad_input():
    with pytest.raises(ValueError, match="exposure"):
        chapter.model("linear")
    with pytest.raises(ValueError, match="omega"):
        chapter.model("plateau", "huge")
    with pytest.raises(ValueError, match="dose"):
        chapter.at(-1.0)
