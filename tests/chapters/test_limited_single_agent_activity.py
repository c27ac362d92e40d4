"""Chapter "Molecules with limited single-agent activity": every glued number against a hand calculation, an
independent implementation, a seeded Monte Carlo or a reference run of R, and the figures, tables and widget.

Sources of the expected numbers:
* Hill inhibition with h = 1: C* = IC50 x/(1 - x), so 80% and 90% need 4 and 9 IC50 (40 and 90 ng/mL for an IC50 of
  10 ng/mL); 9/4 = 2.25.
* Steady-state troughs: an explicit superposition of 400 single oral doses written below (one compartment, first-
  order absorption), not dosecourse.target_attainment's closed form; shares of patients from a root of that
  superposition in clearance and the normal distribution function, and from a seeded Monte Carlo.
* BOIN boundaries: the closed form of Liu and Yuan (2015) with phi1 = 0.6 phi, phi2 = 1.4 phi; R BOIN 2.7.2
  get.boundary(target=0.3, ncohort=10, cohortsize=3) gives lambda_e = 0.2364907, lambda_d = 0.3585195.
* Combination operating characteristics: R BOIN 2.7.2,
  get.oc.comb(target=0.3, p.true, ncohort=10, cohortsize=3, startdose=c(1,1), ntrial=40000, seed=7) with p.true the
  3 x 5 matrix of chapter.GRID_TOX (the example of ?get.oc.comb): selection % (1,5) 4.12, (2,4) 17.38, (3,3) 45.12;
  pcs 66.6%; patients at the target combinations 30.3%; mean sample size 30. (A first run, ntrial=20000, seed=6,
  gave 4.20, 17.82, 44.99, pcs 67%, 30.3%: within Monte Carlo error of the second.)
* Published findings: Beatty et al. 2017 abstract (Europe PMC, PMID 28053021); ECHO-301 design from the Lancet Oncol
  abstract, results as reported (ASCO Post 2019); RELATIVITY-047 doses, ratio and arms from ClinicalTrials.gov
  NCT03470922, results as reported in conference summaries.
"""

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.optimize import brentq
from scipy.stats import norm

from dosecourse.chapters import limited_single_agent_activity as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
CL, V, KA, OMEGA, IC50 = 25.0, 100.0, 1.5, 0.5, 0.01  # the chapter's teaching values (mg/L for IC50)
TAU = 12.0


def _conc(t_h: float, dose: float, cl: float, n: int = 400) -> float:
    """Steady-state concentration (mg/L) at t_h hours after a dose: superposition of n single oral doses."""
    k = cl / V
    times = t_h + TAU * np.arange(n)
    return float(np.sum(dose * KA / (V * (KA - k)) * (np.exp(-k * times) - np.exp(-KA * times))))


def _share(dose: float, target: float, ic50: float = IC50) -> float:
    """Share of patients whose trough inhibition reaches ``target``: root of the superposed trough in clearance."""
    c_star = ic50 * target / (1 - target)
    cl_star = math.exp(brentq(lambda lc: math.log(_conc(TAU, dose, math.exp(lc)) / c_star), math.log(0.5),
                              math.log(5000.0), xtol=1e-12))
    return norm.cdf(math.log(cl_star / CL) / OMEGA)


def test_model_and_thresholds_by_hand():
    assert (N["lsa_cl"], N["lsa_v"], N["lsa_ka"], N["lsa_omega_pct"], N["lsa_ic50_ng"]) == (25.0, 100.0, 1.5, 50.0,
                                                                                            10.0)
    assert N["lsa_half_life"] == pytest.approx(math.log(2) * 100 / 25)
    assert (N["lsa_c80_ng"], N["lsa_c90_ng"]) == pytest.approx((40.0, 90.0))
    assert N["lsa_c90_ratio"] == pytest.approx(2.25)
    assert N["lsa_tumour_factor"] == 4.0 and N["lsa_ic50_tumour_ng"] == pytest.approx(40.0)
    assert N["lsa_tau"] == 12.0 and N["lsa_share_goal"] == 90.0


def test_typical_patient_against_superposition():
    trough = _conc(TAU, 100.0, CL)
    assert N["lsa_trough100_ng"] == pytest.approx(1000 * trough, rel=1e-9)
    assert N["lsa_inh100"] == pytest.approx(100 * trough / (trough + IC50), rel=1e-9)
    assert N["lsa_inh100_tumour"] == pytest.approx(100 * trough / (trough + 4 * IC50), rel=1e-9)
    grid = np.linspace(0, TAU, 721)
    peak = max(_conc(x, 100.0, CL) for x in grid)
    assert N["lsa_peak100_ng"] == pytest.approx(1000 * peak, rel=1e-9)
    assert N["lsa_inh100_peak"] == pytest.approx(100 * peak / (peak + IC50), rel=1e-9)
    assert [round(N[k], 1) for k in ("lsa_trough100_ng", "lsa_inh100")] == [62.9, 86.3]


def test_clearance_percentiles_and_their_troughs():
    z = norm.ppf(0.95)
    assert N["lsa_cl05"] == pytest.approx(CL * math.exp(-OMEGA * z)) and N["lsa_cl95"] == pytest.approx(
        CL * math.exp(OMEGA * z))
    assert N["lsa_tr05_ng"] == pytest.approx(1000 * _conc(TAU, 100.0, N["lsa_cl05"]), rel=1e-9)
    assert N["lsa_tr95_ng"] == pytest.approx(1000 * _conc(TAU, 100.0, N["lsa_cl95"]), rel=1e-9)
    assert N["lsa_tr_ratio"] == pytest.approx(N["lsa_tr05_ng"] / N["lsa_tr95_ng"])


@pytest.mark.parametrize("key, dose, target, factor", [
    ("lsa_share80_100", 100.0, 0.8, 1.0), ("lsa_share90_100", 100.0, 0.9, 1.0),
    ("lsa_share80_100_t", 100.0, 0.8, 4.0), ("lsa_share90_100_t", 100.0, 0.9, 4.0),
    ("lsa_share90_300", 300.0, 0.9, 1.0), ("lsa_share90_600", 600.0, 0.9, 1.0),
    ("lsa_share90_300_t", 300.0, 0.9, 4.0), ("lsa_share90_600_t", 600.0, 0.9, 4.0),
])
def test_shares_against_an_independent_root(key, dose, target, factor):
    assert N[key] == pytest.approx(100 * _share(dose, target, IC50 * factor), abs=1e-6)


def test_shares_and_mean_against_monte_carlo():
    rng = np.random.default_rng(7)
    cl = CL * np.exp(OMEGA * rng.standard_normal(200_000))
    k = cl / V
    trough = 100.0 * KA / (V * (KA - k)) * (np.exp(-k * TAU) / (1 - np.exp(-k * TAU))
                                           - np.exp(-KA * TAU) / (1 - np.exp(-KA * TAU)))
    inh = trough / (trough + IC50)
    for key, x in (("lsa_share80_100", 0.8), ("lsa_share90_100", 0.9)):
        p = float(np.mean(inh >= x))
        assert N[key] / 100 == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / cl.size))
    assert N["lsa_mean100"] / 100 == pytest.approx(float(inh.mean()), abs=2e-3)
    assert N["lsa_mean100"] < N["lsa_inh100"]  # the mean hides the patients who fall short


def test_doses_for_attainment_by_hand():
    cl_p = CL * math.exp(OMEGA * norm.ppf(0.9))  # the patient at the 90th clearance percentile
    per_mg = _conc(TAU, 1.0, cl_p)
    assert N["lsa_dose_90_80"] == pytest.approx(IC50 * 4 / per_mg, rel=1e-8)
    assert N["lsa_dose_90_90"] == pytest.approx(IC50 * 9 / per_mg, rel=1e-8)
    assert N["lsa_dose_90_90_t"] == pytest.approx(4 * IC50 * 9 / per_mg, rel=1e-8)
    assert N["lsa_dose_ratio"] == pytest.approx(N["lsa_dose_90_90"] / 100.0)
    assert N["lsa_share90_100"] < N["lsa_share90_300"] < N["lsa_share90_600"] < 90


def test_boin_boundaries_closed_form_and_r():
    phi, phi1, phi2 = 0.3, 0.18, 0.42
    le = math.log((1 - phi1) / (1 - phi)) / math.log(phi * (1 - phi1) / (phi1 * (1 - phi)))
    ld = math.log((1 - phi) / (1 - phi2)) / math.log(phi2 * (1 - phi) / (phi * (1 - phi2)))
    assert N["lsa_bc_lambda_e"] == pytest.approx(le, rel=1e-12) and N["lsa_bc_lambda_e"] == pytest.approx(
        0.2364907, abs=1e-7)
    assert N["lsa_bc_lambda_d"] == pytest.approx(ld, rel=1e-12) and N["lsa_bc_lambda_d"] == pytest.approx(
        0.3585195, abs=1e-7)


def test_combination_operating_characteristics_against_r():
    oc = chapter.operating_characteristics()
    assert (oc.n_trials, oc.seed) == (10_000, 20261203) == (N["lsa_bc_trials"], N["lsa_bc_seed"])
    sel = np.asarray(oc.selection)
    # Monte Carlo SE of a difference between this run (10,000 trials) and R's (40,000): about 0.56 points at 45%.
    for (a, b), ref in (((0, 4), 4.12), ((1, 3), 17.38), ((2, 2), 45.12)):
        p = ref / 100
        se = 100 * math.sqrt(p * (1 - p) * (1 / 10_000 + 1 / 40_000))
        assert sel[a, b] == pytest.approx(ref, abs=3 * se), (a, b)
    p = 0.666
    assert N["lsa_bc_pcs"] == pytest.approx(66.6, abs=3 * 100 * math.sqrt(p * (1 - p) * (1 / 10_000 + 1 / 40_000)))
    assert N["lsa_bc_pts_mtd"] == pytest.approx(30.3, abs=1.0)
    assert N["lsa_bc_n_mean"] == pytest.approx(30.0) and N["lsa_bc_no_sel"] == 0.0
    # internal consistency
    mask = np.isclose(chapter.GRID_TOX, 0.3)
    assert mask.sum() == 3 and N["lsa_bc_pcs"] == pytest.approx(float(sel[mask].sum()))
    assert N["lsa_bc_pcs"] == pytest.approx(N["lsa_bc_sel33"] + N["lsa_bc_sel24"] + N["lsa_bc_sel15"])
    assert N["lsa_bc_pts_mtd"] == pytest.approx(100 * float(np.asarray(oc.patients)[mask].sum()) / 30.0)
    assert N["lsa_bc_sel_above"] == pytest.approx(float(sel[chapter.GRID_TOX > 0.3].sum()))
    assert N["lsa_bc_dlt_mean"] == pytest.approx(float(np.sum(np.asarray(oc.patients) * chapter.GRID_TOX)), rel=0.02)
    assert (N["lsa_bc_r_pcs"], N["lsa_bc_r_pts_mtd"], N["lsa_bc_r_trials"]) == (66.6, 30.3, 40_000)
    assert (N["lsa_bc_j"], N["lsa_bc_k"], N["lsa_bc_cells"], N["lsa_bc_nmax"]) == (3, 5, 15, 30)


def test_first_cohort_pathway_is_a_coin_toss():
    table = chapter.pathways_table("en")
    assert table.iloc[0, 2] == "(2, 1) / (1, 2)"
    assert "stop" in table.iloc[:, -1].tolist()


def test_published_findings():
    assert (N["lsa_b_n"], N["lsa_b_low"], N["lsa_b_high"], N["lsa_b_near"]) == (52, 50.0, 700.0, 100.0)
    assert (N["lsa_b_inh_lo"], N["lsa_b_inh_hi"]) == (80.0, 90.0)
    assert (N["lsa_l_dose"], N["lsa_l_pembro"], N["lsa_l_n"], N["lsa_l_n_epa"], N["lsa_l_n_pbo"]) == (
        100.0, 200.0, 706, 354, 352)
    assert N["lsa_l_n_epa"] + N["lsa_l_n_pbo"] == N["lsa_l_n"]
    assert (N["lsa_l_pfs_epa"], N["lsa_l_pfs_pbo"], N["lsa_l_hr"], N["lsa_l_lo"], N["lsa_l_hi"], N["lsa_l_fu"]) == (
        4.7, 4.9, 1.00, 0.83, 1.21, 12.4)
    assert (N["lsa_r_rela"], N["lsa_r_nivo"], N["lsa_r_weeks"], N["lsa_r_ratio"]) == (160.0, 480.0, 4.0, 3.0)
    assert (N["lsa_r_n"], N["lsa_r_n_combo"], N["lsa_r_n_nivo"]) == (714, 355, 359)
    assert N["lsa_r_n_combo"] + N["lsa_r_n_nivo"] == N["lsa_r_n"]
    assert (N["lsa_r_pfs_combo"], N["lsa_r_pfs_nivo"], N["lsa_r_hr"], N["lsa_r_lo"], N["lsa_r_hi"]) == (
        10.1, 4.6, 0.75, 0.62, 0.92)
    assert (N["lsa_r_pfs12_combo"], N["lsa_r_pfs12_nivo"]) == (47.7, 36.0)


def test_every_number_is_finite():
    assert all(np.isfinite(v) for v in N.values())
    assert all(k.startswith("lsa_") for k in N)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["interval_figure", "attainment_figure", "selection_figure"])
def test_figures_render_without_missing_glyphs(lang, name):
    fig = getattr(chapter, name)(lang=lang)  # a course figure raises on a missing glyph
    fig.canvas.draw()
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    a = chapter.attainment_table(lang)
    assert a.shape == (5, 6)
    assert a.iloc[2, 4] == round(N["lsa_share90_100"], 1)
    assert chapter.components_table(lang).shape == (4, 3)
    assert chapter.decision_table(lang).shape[1] == 12
    assert chapter.pathways_table(lang).shape == (17, 6)


def test_widget_fits_the_site_budget_and_renders_every_state():
    w = chapter.widget
    assert w.n_states == 40 and w.n_states <= 60 <= widgets.MAX_STATES
    assert w.defaults == {"dose": 100.0, "target": 0.9, "site": "plasma"}
    for lang in LANGS:
        for _key, values in w.part_states(0):
            assert "%" in w.render(0, lang, values)
    text = w.render(0, "en", w.defaults)
    assert f"{N['lsa_share90_100']:.1f}%" in text and f"{N['lsa_inh100']:.1f}%" in text
    alt = w.alt_text(1, "zh-tw", w.defaults)
    assert f"{N['lsa_share90_100']:.1f}%" in alt
    fig = w.render(1, "en", {"dose": 600.0, "target": 0.8, "site": "tumour"})
    fig.canvas.draw()
    plt.close(fig)
    assert t("lsa_site_tumour", "en") in chapter.summary_text(600.0, 0.8, "tumour", "en")


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="limited_single_agent_activity"' in html


@pytest.mark.parametrize("call, error, match", [
    (lambda: chapter.site_model("liver"), ValueError, "site"),
    (lambda: chapter.interval_figure(75.0), ValueError, "dose"),
    (lambda: chapter.summary_text(100.0, 0.9, "bone"), ValueError, "site"),
    (lambda: chapter.results(1.5), ValueError, "target"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
