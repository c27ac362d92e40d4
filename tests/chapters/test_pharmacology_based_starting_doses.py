"""Chapter "Pharmacology-based starting doses": every glued number against a hand derivation, the MABEL table,
the figure, the comparison of approaches and the widget.

Sources:
* Simple binding RO = C/(C + K_D), so 10% RO needs K_D/9 and 20% RO K_D/4; with total target R_tot the total
  drug is K_D RO/(1 - RO) + RO R_tot (Muller & Brennan, Clin Pharmacol Ther 2009;85:247).  Dose (mg/kg) =
  C (nM) x 1e-6 x 150 000 g/mol x 0.04 L/kg (IgG in plasma): 6 ug/kg per nM.
* Waibler et al., J Allergy Clin Immunol 2008;122:890 (PMID 18805577): 86.2-90.9% CD28 occupancy estimated at
  TGN1412's first dose of 0.1 mg/kg (dosecourse/data/tgn1412_waibler2008.json).
* Toxicology comparison: monkey NOAEL 50 mg/kg (invented) -> HED 50 x 12/37 = 16.2 mg/kg -> MRSD 1.62 mg/kg
  (FDA 2005, Km monkey 12, human 37).
"""

import warnings

import pytest
from matplotlib import pyplot as plt

from dosecourse import fih, mabel
from dosecourse.chapters import pharmacology_based_starting_doses as chapter
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
D10 = mabel.mabel_dose(chapter.TEACHING_KD_NM, 0.1)


def test_mabel_from_receptor_occupancy():
    assert N["mabel_kd"] == 2.0
    # K_D 2 nM: 10% RO needs 2/9 = 0.2222 nM, 20% RO 2/4 = 0.5 nM.
    assert abs(N["mabel_c10"] - 2 / 9) < 1e-12 and abs(N["mabel_c20"] - 0.5) < 1e-12
    # 1 nM of IgG in 0.04 L/kg is 1e-6 x 150000 x 0.04 = 0.006 mg/kg = 6 ug/kg: 1.333 and 3 ug/kg.
    assert abs(N["mabel_d10_ug"] - 12 / 9) < 1e-9 and abs(N["mabel_d20_ug"] - 3.0) < 1e-9
    # R_tot 10 nM adds 0.1 x 10 = 1 nM: (2/9 + 1) x 6 = 7.333 ug/kg, 5.5 times the simple-binding MABEL.
    assert abs(N["mabel_d10_rt10_ug"] - 6 * (2 / 9 + 1)) < 1e-9 and abs(N["mabel_rt10_fold"] - 5.5) < 1e-9


def test_mabel_and_pad_from_potency():
    assert N["mabel_ec50"] == 0.5
    # EC20 = 0.5/4 = 0.125 nM -> 0.125 x 6 = 0.75 ug/kg; EC10 = 0.5/9 -> 0.333 ug/kg; EC50 0.5 nM -> 3 ug/kg.
    assert abs(N["mabel_ec20"] - 0.125) < 1e-12 and abs(N["mabel_pot_ug"] - 0.75) < 1e-9
    assert abs(N["mabel_ec10"] - 0.5 / 9) < 1e-12 and abs(N["mabel_ec10_ug"] - 6 * 0.5 / 9) < 1e-9
    assert abs(N["mabel_pad_ug"] - 3.0) < 1e-9


def test_tgn1412_numbers():
    assert N["mabel_tgn_dose"] == 0.1 and chapter.TGN1412_IN_SILICO_OCCUPANCY == (0.862, 0.909)
    # 0.1 mg/kg / (150000 g/mol x 0.04 L/kg) = 1e5 ng/kg / 6000 (g/mol)(L/kg) = 16.667 nM.
    assert abs(N["mabel_tgn_conc"] - 50 / 3) < 1e-9
    # K_D = C (1 - RO)/RO: 16.667 x 0.091/0.909 = 1.669 nM and 16.667 x 0.138/0.862 = 2.668 nM.
    assert abs(N["mabel_kd_lo"] - 50 / 3 * 0.091 / 0.909) < 1e-9
    assert abs(N["mabel_kd_hi"] - 50 / 3 * 0.138 / 0.862) < 1e-9
    assert N["mabel_kd_lo"] < chapter.TEACHING_KD_NM < N["mabel_kd_hi"]
    # RO at K_D 2: 16.667/18.667 = 25/28 = 0.8929; the MABELs are 100/1.333 = 75 and 100/3 = 33.3 times lower.
    assert abs(N["mabel_tgn_ro"] - 100 * 25 / 28) < 1e-10
    assert abs(N["mabel_tgn_fold10"] - 75) < 1e-9 and abs(N["mabel_tgn_fold20"] - 100 / 3) < 1e-9
    # Monkey NOAEL 50 mg/kg x 12/37 / 10 = 1.622 mg/kg, 1.622 / 0.001333 = 1216 times the 10%-RO MABEL.
    # TGN1412's cynomolgus NOAEL, 50 mg/kg (Suntharalingam et al. 2006: the 0.1 mg/kg first dose was 500 times
    # smaller); HED 50 x 12/37 = 16.2 mg/kg, MRSD 1.62 mg/kg, 16.2 times the dose actually given.
    assert N["mabel_noael"] == 50.0 and N["mabel_tgn_noael_fold"] == 500.0
    assert abs(N["mabel_tgn_mrsd_fold"] - 600 / 37) < 1e-9
    assert abs(N["mabel_mrsd"] - 60 / 37) < 1e-12 and abs(N["mabel_mrsd_fold"] - 60 / 37 * 750) < 1e-6


def test_the_comparison_takes_the_potency_mabel():
    # Estimates: MRSD 1.622 mg/kg, MABEL(RO) 0.001333, MABEL(EC20) 0.00075, PAD 0.003 mg/kg: the EC20 MABEL is lowest.
    assert abs(N["mabel_start_ug"] - 0.75) < 1e-9
    # 0.75 ug/kg x 60 kg = 45 ug; 1.333/0.75 = 1.78; 1.622/0.00075 = 2162.
    assert abs(N["mabel_start_flat_ug"] - 45) < 1e-9
    assert abs(N["mabel_ro_over_start"] - 16 / 9) < 1e-9 and abs(N["mabel_mrsd_over_start"] - 60 / 37 / 0.00075) < 1e-6
    for lang in LANGS:
        cmp = chapter.compare_approaches({"noael_mrsd": chapter.teaching_mrsd(), "mabel_ro": D10,
                                          "mabel_potency": 0.00075, "pad": 0.003}, lang)
        assert cmp.chosen == t("mv_approach_mabel_potency", lang)
        assert cmp.starting_dose_mg_per_kg == pytest.approx(0.00075)
        names = cmp.to_frame(lang).iloc[:, 0].tolist()
        assert t("mv_approach_mabel_ro", lang) in names and t("fih_approach_noael_mrsd", lang) in names


def test_exercise_numbers():
    # Ex 1: 0.5/9 nM x 6 = 0.333 ug/kg; with R_tot 5 nM: (0.5/9 + 0.5) x 6 = 3.333 ug/kg, 10 times more.
    assert abs(N["mabel_ex1_simple_ug"] - 1 / 3) < 1e-9 and abs(N["mabel_ex1_target_ug"] - 10 / 3) < 1e-9
    assert abs(N["mabel_ex1_fold"] - 10) < 1e-9
    # Ex 2: n = 2 gives EC20 = 0.5 x sqrt(0.25) = 0.25 nM -> 1.5 ug/kg, now above the 1.333 ug/kg RO-based MABEL,
    # which becomes the lowest estimate.
    assert abs(N["mabel_ex2_ec20"] - 0.25) < 1e-12 and abs(N["mabel_ex2_ug"] - 1.5) < 1e-9
    assert abs(N["mabel_ex2_start_ug"] - 1000 * D10) < 1e-12


def test_numbers_are_plain_floats():
    assert len(N) == 35 and all(type(v) is float for v in N.values())


# --- the table -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_mabel_table_by_hand(lang):
    tab = chapter.mabel_table(2.0, occupancies=(0.1, 0.2), target_totals_nm=(0.0, 10.0), lang=lang)
    assert len(tab) == 4
    dose = tab[t("mv_col_dose_ug", lang)].tolist()
    # Simple binding: 2/9 nM -> 2/9 x 6 = 1.333 ug/kg; 2/4 nM -> 3 ug/kg (6 ug/kg per nM).
    assert dose[0] == pytest.approx(12 / 9) and dose[1] == pytest.approx(3.0)
    # R_tot 10 nM: 2/9 + 1 = 1.222 nM -> 7.333 ug/kg; 0.5 + 2 = 2.5 nM -> 15 ug/kg.
    assert dose[2] == pytest.approx(6 * (2 / 9 + 1)) and dose[3] == pytest.approx(15.0)
    assert tab[t("mv_col_bound", lang)].tolist() == pytest.approx([0, 0, 1.0, 2.0])
    assert tab[t("mv_col_flat_ug", lang, weight="60")].iloc[1] == pytest.approx(180.0)


@pytest.mark.parametrize("kwargs, kind, message", [
    ({"occupancies": (1.2,)}, ValueError, "occupancies"),
    ({"occupancies": 0.1}, TypeError, "occupancies"),
    ({"kd_nm": -1.0}, ValueError, "kd_nm"),
    ({"target_totals_nm": (-1.0,)}, ValueError, "target_totals_nm"),
    ({"weight_kg": 0}, ValueError, "weight_kg"),
    ({"lang": "fr"}, ValueError, "lang"),
])
def test_mabel_table_rejects_bad_input(kwargs, kind, message):
    with pytest.raises(kind, match=message):
        chapter.mabel_table(**kwargs)


# --- the figure -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kwargs", [{}, {"mrsd_mg_per_kg": 20 * 12 / 37 / 10 * 2.5},
                                    {"target_total_nm": 10.0, "mabel_occupancies": (0.1,)},
                                    {"given_dose_mg_per_kg": None, "kd_nm": 0.05}])
def test_figure_draws_without_warnings(lang, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chapter.occupancy_dose_figure(lang=lang, **kwargs)
        fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_title(loc="left") == t("mv_title", lang, kd=fih._fmt(kwargs.get("kd_nm", 2.0)))
    texts = [x.get_text() for x in ax.texts]
    if not kwargs:
        assert any("1.33" in s for s in texts) and any("89.3" in s for s in texts)
    plt.close(fig)


def test_figure_depletion_lowers_occupancy_of_given_dose():
    fig = chapter.occupancy_dose_figure(2.0, target_total_nm=10.0, lang="en")
    texts = [x.get_text() for x in fig.axes[0].texts]
    # Total 16.67 nM, R_tot 10, K_D 2: bound = quadratic root -> RO 0.811 (below 0.893 of simple binding).
    assert any("81.1" in s for s in texts)
    assert len(fig.axes[0].lines) >= 2
    plt.close(fig)


def test_figure_rejects_bad_input():
    with pytest.raises(ValueError, match="mabel_occupancies"):
        chapter.occupancy_dose_figure(mabel_occupancies=(0.0,))
    with pytest.raises(ValueError, match="mrsd_mg_per_kg"):
        chapter.occupancy_dose_figure(mrsd_mg_per_kg=-1.0)


# --- summary and widget ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_summary_steps(lang):
    text = chapter.mabel_summary(2.0, 0.1, target_total_nm=1.0, tox_dose_mg_per_kg=60 / 37, lang=lang)
    lines = text.splitlines()
    # 2/9 = 0.222 nM free; + 0.1 x 1 = 0.322 nM total; x 6 = 1.93 ug/kg; 1.6216 / 0.00193 = 839-fold.
    assert "0.222" in lines[0] and "0.322" in lines[1] and "1.93" in lines[2]
    assert any("839" in line for line in lines)
    assert len(chapter.mabel_summary(2.0, 0.1, lang=lang).splitlines()) == 2


def text_of(lang, **values):
    return chapter.widget.render(0, lang, {**chapter.widget.defaults, **values}).data


@pytest.mark.parametrize("lang", LANGS)
def test_widget_text_follows_each_control(lang):
    assert "1.33" in text_of(lang)  # the default: K_D 2 nM, 10%, simple binding
    assert "0.5 nM" in text_of(lang, ro_pct=20.0)  # 2/4 = 0.5 nM -> 3 ug/kg
    assert "0.7 nM" in text_of(lang, ro_pct=20.0, target=1.0)  # R_tot 1 nM: 0.5 + 0.2 = 0.7 nM -> 4.2 ug/kg
    assert "4.2" in text_of(lang, ro_pct=20.0, target=1.0)
    assert "0.133" in text_of(lang, kd=0.2)  # a tenfold lower K_D: a tenfold lower MABEL, 0.133 ug/kg
    # 50% occupancy needs K_D x 1 = 2 nM, nine times the 10% concentration: 12 ug/kg.
    assert "12 µg/kg" in text_of(lang, ro_pct=50.0)
    # The comparison with the teaching MRSD (1.62 mg/kg) follows the steps.
    assert t("fih_approach_noael_mrsd", lang) in text_of(lang)


def test_every_control_changes_the_widget():
    for control in chapter.widget.controls:
        texts = {text_of("en", **{control.name: v}) for v in control.values}
        assert len(texts) == len(control.values), control.name


def test_widget_alt_text_states_the_figure_numbers():
    alt = chapter.widget.alt_text(1, "en", chapter.widget.defaults)
    # The old static figure's alt text: 0.0001 to 10 mg/kg, K_D 2 nM, MABEL 1.33 ug/kg at 10%, TGN1412 at 89.3%,
    # MRSD 1.62 mg/kg.
    for number in ("from 0.0001 to 10", "K_D 2 nM", "10 percent occupancy at 1.33 micrograms", "0.1 mg/kg",
                   "89.3 percent", "1.62 mg/kg", "simple binding"):
        assert number in alt
    target = chapter.widget.alt_text(1, "en", {**chapter.widget.defaults, "target": 10.0})
    assert "10 nM of target" in target and "81.1 percent" in target
    assert "折線圖" in chapter.widget.alt_text(1, "zh-tw", chapter.widget.defaults)
