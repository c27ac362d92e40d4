"""Chapter "Exposure, not just dose": every glued number against a hand calculation, the figures, the widget.

Hand calculations (the comments give them): simple allometry CL = 0.1 L/h x (60/0.25)^0.75 and V = 0.5 L x 240
(Boxenbaum 1982); AUC = F x Dose / CL; the MRSD 1200/37 mg and the ICH S9 start 145.8 mg of the previous chapter;
one step of ratio r multiplies the odds by r^n (Hill model, Holford & Sheiner 1981); 240^0.16 for one SD of the
allometric exponent (Hu & Hayton 2001: 0.74 +/- 0.16); the 3+3 expansion probability q = 3 p (1 - p)^2.
"""

import ast
import json
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.stats import norm

from dosecourse import dose_grid
from dosecourse.chapters import exposure_not_just_dose as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
BOOK = Path(__file__).resolve().parents[2] / "book"
SCHEMES = list(dose_grid.SCHEMES)


def test_exposure_numbers_by_hand():
    # CL = 0.1 x 240^0.75 = 6.098 L/h; V = 0.5 x 240 = 120 L; t1/2 = ln2 x 120 / 6.098 = 13.64 h.
    assert N["expo_cl_human"] == pytest.approx(0.1 * 240 ** 0.75, rel=1e-12)
    assert N["expo_v_human"] == pytest.approx(120.0, rel=1e-12)
    assert N["expo_half_life"] == pytest.approx(math.log(2) * 120 / (0.1 * 240 ** 0.75), rel=1e-12)
    assert N["expo_half_life"] == pytest.approx(13.64, abs=0.01)
    # The previous chapter's MRSD: dog HED 10 mg/kg x 20/37 (km dog / km human), / 10, x 60 kg = 1200/37 = 32.43 mg.
    assert N["expo_start_mg"] == pytest.approx(1200 / 37, rel=1e-12)
    # AUC = 0.5 x 32.43 / 6.098 = 2.659 mg*h/L; margin 60 / 2.659 = 22.56.
    assert N["expo_auc_start"] == pytest.approx(0.5 * (1200 / 37) / (0.1 * 240 ** 0.75), rel=1e-12)
    assert N["expo_margin"] == pytest.approx(22.56, abs=0.01)
    # Target dose 25 x 6.098 / 0.5 = 304.9 mg, 9.40 times the start; S9 start 145.8 mg is 2.09 times below it.
    assert N["expo_target_mg"] == pytest.approx(304.88, abs=0.01) and N["expo_fold"] == pytest.approx(9.400, abs=1e-3)
    assert N["expo_s9_mg"] == pytest.approx(145.8, abs=1e-9)
    assert N["expo_s9_fold"] == pytest.approx(2.091, abs=1e-3)
    assert N["expo_s9_margin"] == pytest.approx(60 / (0.5 * 145.8 / (0.1 * 240 ** 0.75)), rel=1e-12)
    assert N["expo_target_margin"] == pytest.approx(60 / 25, rel=1e-12)
    # One SD of the exponent over a 240-fold weight ratio: 240^0.16 = 2.40-fold on clearance.
    assert N["expo_gsd"] == pytest.approx(240 ** 0.16, rel=1e-12) and N["expo_gsd"] == pytest.approx(2.403, abs=1e-3)


def test_step_risks_by_hand():
    # Odds 1/9 x r^n.  n = 4: x2 -> 16/9 -> 16/25 = 0.64; x1.33 -> 1.33^4 / (9 + 1.33^4) = 0.258.
    assert N["expo_step_100_n4"] == pytest.approx(0.64, abs=1e-12)
    assert N["expo_step_33_n4"] == pytest.approx(1.33 ** 4 / (9 + 1.33 ** 4), abs=1e-12)
    # n = 1: x2 -> 2/11; n = 2: x2 -> 4/13; x1.33 -> 1.33/(9 + 1.33) and 1.33^2/(9 + 1.33^2).
    assert N["expo_step_100_n1"] == pytest.approx(2 / 11, abs=1e-12)
    assert N["expo_step_100_n2"] == pytest.approx(4 / 13, abs=1e-12)
    assert N["expo_step_33_n1"] == pytest.approx(1.33 / 10.33, abs=1e-12)
    assert N["expo_step_33_n2"] == pytest.approx(1.33 ** 2 / (9 + 1.33 ** 2), abs=1e-12)
    assert (N["expo_odds_100_n4"], N["expo_odds_33_n4"]) == (16.0, pytest.approx(3.1290072, abs=1e-7))


def test_steps_and_levels_by_hand():
    # From the MRSD (fold 9.40): doubling 8 < 9.40 <= 16: 4 steps; Fibonacci 9.329 < 9.40 <= 12.41: 6 steps;
    # +33%: ln 9.40 / ln 1.33 = 7.86 -> 8 steps.  Levels count the start.
    assert [N[f"expo_steps_{s}"] for s in SCHEMES] == [4, 6, 8]
    assert [N[f"expo_levels_{s}"] for s in SCHEMES] == [5, 7, 9]
    # From the S9 start (2.09): doubling 2 (4 >= 2.09), Fibonacci 2 (3.34), +33%: ln 2.09 / ln 1.33 = 2.59 -> 3.
    assert [N[f"expo_s9_steps_{s}"] for s in SCHEMES] == [2, 2, 3]
    # Overshoot: doubling 16 / 9.40 = 1.70; Fibonacci 2 x 1.67 x 1.5 x 1.4 x 1.33^2 / 9.40; +33%: 1.33^8 / 9.40.
    fold = N["expo_fold"]
    assert N["expo_overshoot_doubling"] == pytest.approx(16 / fold, rel=1e-12)
    assert N["expo_overshoot_modified_fibonacci"] == pytest.approx(2 * 1.67 * 1.5 * 1.4 * 1.33 ** 2 / fold, rel=1e-12)
    assert N["expo_overshoot_constant_33"] == pytest.approx(1.33 ** 8 / fold, rel=1e-12)
    # The first doubling level that reaches the target is 16 x 32.43 = 518.9 mg.
    assert N["expo_first_active_mg"] == pytest.approx(16 * 1200 / 37, rel=1e-12)


def test_simulated_patients_below_agree_with_the_exact_mean():
    # L = k when d_k < A <= d_(k+1), with ln A ~ Normal(ln fold, ln gsd): E[L] = sum_k k [Phi(z_(k+1)) - Phi(z_k)],
    # z_k = (ln d_k - ln fold) / ln gsd, and patients = 3 E[L].  Written out here independently of dose_grid's sum.
    fold, gsd = N["expo_fold"], N["expo_gsd"]
    for scheme in SCHEMES:
        d = np.concatenate(([1.0], np.cumprod(dose_grid.step_ratios(scheme, 49))))
        cdf = norm.cdf((np.log(d) - np.log(fold)) / np.log(gsd))
        exact = 3 * np.sum(np.arange(1, d.size) * np.diff(cdf))
        assert dose_grid.expected_patients_below_active(fold, scheme, gsd=gsd) == pytest.approx(exact, rel=1e-9)
        sim = dose_grid.simulate_patients_below_active(fold, scheme, gsd=gsd, n_trials=N["expo_n_trials"],
                                                       seed=N["expo_seed"])
        assert sim.mean_patients == N[f"expo_mean_{scheme}"]
        assert abs(sim.mean_patients - exact) < 4 * sim.se_patients, (scheme, sim.mean_patients, exact)
    # Seeded values (seed 20250101, 10,000 trials): 11.25, 17.29 and 25.19 (exact 11.20, 17.20, 25.08).
    assert [round(N[f"expo_mean_{s}"], 2) for s in SCHEMES] == [11.25, 17.29, 25.19]
    assert [N[f"expo_p90_{s}"] for s in SCHEMES] == [15.0, 30.0, 36.0]
    assert [N[f"expo_atleast15_{s}"] for s in SCHEMES] == [0.2748, 0.6326, 0.8975]
    assert (N["expo_n_trials"], N["expo_seed"]) == (10_000, 20250101)


def test_exercise_numbers_by_hand():
    # Ex 1: from 145.8 mg the target is 2.09-fold away; doubling needs 2 steps, so at most a few patients below A
    # (6 if A were known exactly); the simulation with the same seed saves 11.25 - 4.92 = 6.34 patients.
    assert dose_grid.steps_to_reach(N["expo_s9_fold"], "doubling") == 2
    assert N["expo_ex1_mean_doubling"] == pytest.approx(
        dose_grid.expected_patients_below_active(N["expo_s9_fold"], "doubling", gsd=N["expo_gsd"]), abs=0.2)
    assert N["expo_ex1_saved"] == pytest.approx(N["expo_mean_doubling"] - N["expo_ex1_mean_doubling"], abs=1e-12)
    assert [round(N[f"expo_ex1_mean_{s}"], 2) for s in SCHEMES] == [4.92, 5.89, 10.07]
    # Ex 2: the odds may rise from 1/9 to 1/3, a factor of 3: r = 3^(1/4) = 1.316 for n = 4, and r = 3 for n = 1.
    assert N["expo_ex2_rmax"] == pytest.approx(3 ** 0.25, rel=1e-12)
    assert N["expo_ex2_rmax"] == pytest.approx(1.316, abs=1e-3)
    assert N["expo_ex2_rmax_n1"] == pytest.approx(3.0, rel=1e-12)
    # Ex 3: q = 3 x 0.1 x 0.81 = 0.243; E[patients] = 3 E[L] (1 + q) with the same draws of A (same seed), and the
    # exact mean of the model.
    assert N["expo_ex3_q"] == pytest.approx(0.243, abs=1e-12)
    assert N["expo_ex3_expected"] == pytest.approx(1.243 * N["expo_mean_doubling"], rel=1e-12)   # 3 E[L] = mean
    assert abs(N["expo_ex3_mean"] - N["expo_ex3_expected"]) < 0.3
    exact = dose_grid.expected_patients_below_active(N["expo_fold"], "doubling", gsd=N["expo_gsd"],
                                                     dlt_rate_below=0.10)
    assert exact == pytest.approx(1.243 * dose_grid.expected_patients_below_active(N["expo_fold"], "doubling",
                                                                                    gsd=N["expo_gsd"]), rel=1e-12)
    assert abs(N["expo_ex3_mean"] - exact) < 0.3


def test_sotorasib_case_as_published():
    # Transcribed from the FDA approval summary (Nakajima EC, et al. Clin Cancer Res 2022;28(8):1482-1486,
    # doi:10.1158/1078-0432.CCR-21-3074, PMC9012672), abstract and Table 4: accelerated approval at 960 mg once
    # daily, ORR 36% in 124 patients with NSCLC; ORRs of 25-50% at 180-960 mg in the dose escalation; a comparison
    # of 960 mg with 240 mg required after approval.
    assert (N["expo_soto_dose"], N["expo_soto_cmp_dose"], N["expo_soto_n"]) == (960, 240, 124)
    assert N["expo_soto_orr_pct"] == pytest.approx(36.0, abs=1e-9)
    assert (N["expo_soto_esc_lo_pct"], N["expo_soto_esc_hi_pct"]) == pytest.approx((25.0, 50.0), abs=1e-9)
    assert chapter.SOTORASIB.escalation_dose_range_mg == (180, 960)
    # As reported from the phase 1 paper (Hong DS, et al. N Engl J Med 2020;383(13):1207-1217,
    # doi:10.1056/NEJMoa1917239), not read in the primary text: 180, 360, 720 and 960 mg in 129 patients.
    assert [N[f"expo_soto_d{i}"] for i in (1, 2, 3, 4)] == [180.0, 360.0, 720.0, 960.0]
    assert N["expo_soto_phase1_n"] == 129 == 59 + 42 + 28
    # The ends of the reported escalation are the summary's dose range.
    assert (N["expo_soto_d1"], N["expo_soto_d4"]) == chapter.SOTORASIB.escalation_dose_range_mg
    # Derived by hand: steps 360/180 = 2, 720/360 = 2, 960/720 = 4/3 (doubling, doubling, +33%); the span
    # 960/180 = 16/3 = 5.33; the comparison 960/240 = 4.
    assert (N["expo_soto_step1"], N["expo_soto_step2"]) == (2.0, 2.0)
    assert N["expo_soto_step3"] == pytest.approx(4 / 3, rel=1e-12)
    assert N["expo_soto_span"] == pytest.approx(16 / 3, rel=1e-12)
    assert N["expo_soto_cmp_ratio"] == 4.0


def _literal_assignments(cell_source: str) -> dict[str, object]:
    """Names bound to literal values at the top level of a cell (``a, b = 1, 2`` included)."""
    found = {}
    for node in ast.parse(cell_source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            target = node.targets[0]
            names = [e.id for e in target.elts] if isinstance(target, ast.Tuple) else [target.id]
            values = value if isinstance(target, ast.Tuple) else (value,)
            found.update(zip(names, values))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_notebook_teaches_with_the_chapter_constants(lang):
    # The visible cells spell the example's numbers out; they must be the ones numbers() glues.
    nb = json.loads((BOOK / lang / "start" / "exposure-not-just-dose.ipynb").read_text(encoding="utf-8"))
    literals = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            literals.update(_literal_assignments("".join(cell["source"])))
    assert literals == {"LANG": lang, "rat_weight_kg": chapter.RAT_WEIGHT_KG, "cl_rat": chapter.CL_RAT,
                        "v_rat": chapter.V_RAT, "f_oral": chapter.F_ORAL, "auc_noael": chapter.AUC_NOAEL,
                        "auc_target": chapter.AUC_TARGET, "SEED": chapter.SEED, "N_TRIALS": chapter.N_TRIALS}


@pytest.mark.parametrize("lang", LANGS)
def test_ladder_figure(lang):
    ex = chapter._example()
    fig = chapter.exposure_ladder_figure(ex["start_mg"], ex["cl_human"], 0.5, 25.0, 60.0, lang=lang)
    fig.canvas.draw()
    ax = fig.axes[0]
    texts = [x.get_text() for x in ax.texts]
    # Start AUC 0.5 x 32.43 / 6.0976 = 2.659; margin 60 / 2.659 = 22.6.
    assert t("expv_margin_label", lang, margin="22.6") in texts
    # Doubling from 32.4 mg: the first level reaching AUC 25 is 32.4 x 16 = 519 mg (level 5); one more drawn.
    assert "519" in texts and "1038" in texts and len(ax.collections[0].get_offsets()) == 6
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_step_risk_figure_marks_the_hand_values(lang):
    fig = chapter.step_risk_figure(lang=lang)
    texts = {x.get_text() for x in fig.axes[0].texts}
    # 10% -> x2 with n = 4: 64%; x1.33 with n = 4: 25.8%; x2 with n = 1: 2/11 = 18%.
    assert {"64%", "26%", "18%"} <= texts
    plt.close(fig)
    with pytest.raises(ValueError, match="hills"):
        chapter.step_risk_figure(hills=(1.0, -2.0), lang=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_below_active_figure(lang):
    fig = chapter.below_active_figure(10.0, "doubling", 4.0, gsd=1.0, n_trials=100, lang=lang)
    fig.canvas.draw()
    left, right = fig.axes
    # gsd 1: all 100 trials treat 12 patients below A (levels 1, 2, 4, 8 x start).
    assert t("expv_mean_label", lang, mean="12.0") in [x.get_text() for x in left.texts]
    labels = [h.get_label() for h in right.get_legend().legend_handles]
    assert any("64%" in s for s in labels)
    plt.close(fig)


def test_explain_lines_by_hand():
    lines = chapter.explain(10.0, "constant_33", 4.0, gsd=1.0, n_trials=50, lang="en").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Constant +33%: 10 x start is reached in 9 step(s), 10 level(s)")
    assert "27.0 patients" in lines[1] and "26%" in lines[2]
    assert "9 步" in chapter.explain(10.0, "constant_33", 4.0, gsd=1.0, n_trials=50, lang="zh-tw")
    # Median active dose = start: no step to the median target, yet the uncertain active dose lies above the start
    # in half of the trials.
    lines = chapter.explain(1.0, "doubling", 4.0, lang="en").splitlines()
    assert lines[2] == t("expv_text_no_step", "en") and " 0.0 patients" not in lines[1]


def test_widget_fits_the_site_budget_and_shows_the_prose_settings():
    w = chapter.widget
    assert w.n_states == 120 and w.n_states <= widgets.MAX_STATES
    figure_states = [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts if p.alt]
    assert figure_states == [60]
    # The prose asks for the ratio at the MRSD and at the S9 start, constant +33% and a Hill coefficient of 1.
    w("en", fold=chapter.S9_FOLD, scheme="constant_33", hill=1.0)
    assert w.defaults == {"fold": N["expo_fold"], "scheme": "doubling", "hill": 4.0}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_outputs_follow_the_controls(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    assert "64%" in text and "11.3" in text                   # doubling, Hill 4: the prose's numbers
    assert "26%" in w.render(0, lang, {**w.defaults, "scheme": "constant_33"})
    assert "13%" in w.render(0, lang, {**w.defaults, "scheme": "constant_33", "hill": 1.0})   # odds 1.33/9
    alt = w.alt_text(1, lang, w.defaults)
    assert "11.3" in alt and "64%" in alt and "26%" in alt
    fig = w.render(1, lang, {**w.defaults, "fold": 50.0, "hill": 8.0})
    fig.canvas.draw()
    plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("zh-tw")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and "data-widget=\"exposure_not_just_dose\"" in html
    assert "11.3" in html   # the default text and alt text
