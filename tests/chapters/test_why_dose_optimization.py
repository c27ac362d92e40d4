"""Chapter "Why dose optimization": every glued number against its source or a hand derivation."""

import math

import pytest

from dosecourse.chapters import why_dose_optimization as chapter

N = chapter.numbers()


def test_landscape_numbers_are_the_published_ones():
    # Harvey 2023 (J Natl Cancer Inst 115:485, doi:10.1093/jnci/djad042): 59 oral NMEs 2010-2020; medians 28%,
    # 55%, 10% of patients with a dose reduction, interruption, discontinuation.
    assert (N["n_oral_nme"], N["pct_dose_reduction"], N["pct_interruption"], N["pct_discontinuation"]) == (
        59, 28, 55, 10)
    # Collins 2025 (Cancer Chemother Pharmacol 95:17, doi:10.1007/s00280-024-04721-0): 15 of 54 at label dose =
    # MTD (100 * 15 / 54 = 27.78%); 7 dose-optimization PMRs, 3 of them for drugs at the MTD.
    assert (N["n_collins_nme"], N["n_collins_at_mtd"], N["n_collins_not_at_mtd"], N["n_collins_pmr"],
            N["n_collins_pmr_at_mtd"]) == (54, 15, 39, 7, 3)
    assert N["pct_collins_at_mtd"] == pytest.approx(100 * 15 / 54, abs=1e-12)


def test_model_numbers_match_the_hand_derivation():
    # Defaults: ED50 10 mg, h 1.5, Emax 0.5, TD50 120 mg, beta 3, theta 0.25, f 0.9.
    assert (N["ed50"], N["hill"], N["emax_pct"], N["td50"], N["tox_slope"], N["target_pct"],
            N["plateau_fraction_pct"]) == (10.0, 1.5, 50.0, 120.0, 3.0, 25.0, 90.0)
    # MTD = 120 (0.25/0.75)^(1/3) = 120 / 3^(1/3); d_0.9 = 10 * 9^(2/3).
    assert N["mtd_dose"] == pytest.approx(120 / 3 ** (1 / 3), rel=1e-12)
    assert N["eff_dose"] == pytest.approx(10 * 9 ** (2 / 3), rel=1e-12)
    assert N["dose_ratio"] == pytest.approx(1.9229994, abs=1e-6)
    # (MTD/ED50)^1.5 = sqrt(12^3 / 3) = 24, so E(MTD) = 0.5 * 24/25 = 0.48; E(d_0.9) = 0.45.
    assert N["eff_at_mtd_pct"] == pytest.approx(48.0, abs=1e-10)
    assert N["eff_at_effdose_pct"] == pytest.approx(45.0, abs=1e-10)
    # P(DLT | d_0.9) = 1 / (1 + 12^3 / 9^2) = 3/67; gain 3 points, cost 25 - 300/67 points.
    assert N["dlt_at_effdose_pct"] == pytest.approx(300 / 67, abs=1e-10)
    assert N["efficacy_gain_pts"] == pytest.approx(3.0, abs=1e-10)
    assert N["dlt_cost_pts"] == pytest.approx(25 - 300 / 67, abs=1e-10)


def test_exercise_numbers_match_the_hand_derivation():
    # Ex 1: target 0.33: MTD = 120 (33/67)^(1/3); (MTD/10)^1.5 = sqrt(1728 * 33/67); extra DLT 8 points.
    assert N["ex1_mtd"] == pytest.approx(120 * (33 / 67) ** (1 / 3), rel=1e-12)
    assert N["ex1_eff_at_mtd_pct"] == pytest.approx(
        100 * 0.5 * 1728 ** 0.5 / (1728 ** 0.5 + (67 / 33) ** 0.5), abs=1e-10)
    assert N["ex1_extra_dlt_pts"] == pytest.approx(8.0, abs=1e-10)
    assert N["ex1_extra_eff_pts"] == pytest.approx(N["ex1_eff_at_mtd_pct"] - 48.0, abs=1e-10)
    # Ex 2: TD50 40 mg: MTD = 40 / 3^(1/3); (MTD/10)^1.5 = 8/sqrt(3), plateau fraction 8/(8 + sqrt 3);
    # P(DLT | d_0.9) = 81/145 since d_0.9^3 = 1000 * 81 and TD50^3 = 64000.
    assert N["ex2_mtd"] == pytest.approx(40 / 3 ** (1 / 3), rel=1e-12) and N["ex2_mtd"] < N["eff_dose"]
    assert N["ex2_plateau_at_mtd_pct"] == pytest.approx(100 * 8 / (8 + math.sqrt(3)), abs=1e-10)
    assert N["ex2_dlt_at_effdose_pct"] == pytest.approx(100 * 81 / 145, abs=1e-10)
    assert N["ex2_extra_eff_pts"] == pytest.approx(100 * (0.45 - 0.5 * 8 / (8 + math.sqrt(3))), abs=1e-10)
    assert N["ex2_extra_dlt_pts"] == pytest.approx(100 * (81 / 145 - 0.25), abs=1e-10)


def test_the_table_shows_citations_not_bibliography_keys():
    table = chapter.landscape_table("en")
    sources = set(table.iloc[:, 1])
    assert sources == {"Harvey, J Natl Cancer Inst 2023", "Collins et al., Cancer Chemother Pharmacol 2025"}
    assert "harvey2023" not in table.to_string()


@pytest.mark.parametrize("lang", ["en", "zh-tw"])
def test_figures_draw_in_both_languages(lang):
    from matplotlib import pyplot as plt

    for fig in (chapter.landscape_figure(lang=lang), chapter.paradigm_figure(lang=lang, td50=40.0)):
        fig.canvas.draw()
        plt.close(fig)


def test_the_widget_summary_follows_the_model():
    summary = chapter.widget.render(0, "en", {"ed50": 10.0, "td50": 120.0, "target": 0.25})
    assert "83 mg" in summary and "1.9 times" in summary
    below = chapter.widget.render(0, "en", {"ed50": 40.0, "td50": 30.0, "target": 0.25})
    assert "is below the dose" in below
