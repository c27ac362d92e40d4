"""Chapter "Beyond the MTD": every glued number against an independent calculation, and the chapter's tables,
figures and widget.

Sources of the expected numbers:
* BLRM posterior: nested adaptive quadrature (scipy.integrate.dblquad) of the bivariate normal prior times the
  binomial likelihood, written below from Neuenschwander et al. 2008 (doi:10.1002/sim.3230), not the package's nodes.
* BLRM operating characteristics: an exact enumeration written below (every cohort outcome weighted by its binomial
  probability, identical (n, y, next dose) states merged), using the design's decision rule; the glued simulated
  values must lie within 3 Monte Carlo standard errors of it.  The same enumerator, with the CRM's rule, counts the
  CRM's distinct final states (the package's ``n_states``).
* BOIN and CRM: the exact values of the chapter before (tests/chapters/test_designs_compared.py checks them).
* A design that waits for every DLT window decides on complete data: its selection is exactly BOIN's (or the CRM's
  without coherence); checked by simulating it in calendar time (10,000 trials, seed SEED + 1) within 3 SE.
* Durations: without DLTs, E[duration] = 29/r + 10 W when waiting and 29/r + W for a design that never waits
  (29 exponential gaps of mean 1/r, ten or one windows), checked by simulation with DLT probabilities of 1e-6.
* Monte Carlo standard errors of a proportion: sqrt(p (1 - p) / (n - 1)) (the package uses the sample SD).
* BOIN12: mean utility 40 + 60 p_E - 40 p_T by hand (Lin et al. 2020 utilities 100, 40, 60, 0); CUI weights 0.6/0.4;
  the benchmark (41 + 100) / 2.
* Glofitamab: Hutchings et al. 2021 abstract (PMC8210975): 0.005 to 30 mg, 171 patients.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.integrate import dblquad
from scipy.special import expit, logit
from scipy.stats import binom

from dosecourse import escalation as esc
from dosecourse.chapters import beyond_the_mtd as chapter
from dosecourse.chapters import designs_compared as dcmp
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS

N = chapter.numbers()


def proportion_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / (n - 1))


# ------------------------------------------------------------------------------------------------ enumeration
def enumerate_design(decide, select, k, c, n_cohorts, start, tox):
    """Exact selection probabilities (index 0: no dose), mean patients per dose and the number of distinct final
    states, for a design whose next dose depends on the counts, the current dose and the last cohort's DLTs."""
    tox = np.asarray(tox)
    n = np.zeros((1, k), int)
    y = np.zeros((1, k), int)
    dose, prob = np.array([start]), np.array([1.0])
    sel, pat, final = np.zeros(k + 1), np.zeros(k), 0
    for m in range(n_cohorts):
        parts = []
        for j in range(c + 1):
            p = prob * binom.pmf(j, c, tox[dose - 1])
            n2, y2, rows = n.copy(), y.copy(), np.arange(dose.size)
            n2[rows, dose - 1] += c
            y2[rows, dose - 1] += j
            keep = p > 0
            parts.append((n2[keep], y2[keep], dose[keep], np.full(keep.sum(), j), p[keep]))
        n2, y2, d2, j2, p2 = (np.concatenate(a) for a in zip(*parts))
        nxt = decide(n2, y2, d2, j2)
        stop = nxt == 0
        sel[0] += p2[stop].sum()
        pat += p2[stop] @ n2[stop]
        n2, y2, nxt, p2 = n2[~stop], y2[~stop], nxt[~stop], p2[~stop]
        if m == n_cohorts - 1:
            chosen = select(n2, y2)
            np.add.at(sel, chosen, p2)
            pat += p2 @ n2
            final = np.unique(np.column_stack([n2, y2, chosen]), axis=0).shape[0]
            break
        uniq, inv = np.unique(np.column_stack([n2, y2, nxt]), axis=0, return_inverse=True)
        prob = np.bincount(inv.ravel(), weights=p2)
        n, y, dose = uniq[:, :k], uniq[:, k:2 * k], uniq[:, 2 * k]
    return sel, pat, final


def blrm_exact(design, tox):
    return enumerate_design(lambda n, y, d, j: design._rule(n, y)[0], lambda n, y: design._rule(n, y)[2],
                            design.n_doses, design.cohort_size, design.n_cohorts, design.start_dose, tox)


# ------------------------------------------------------------------------------------------------ BLRM
def _posterior_by_dblquad(data_n, data_y, doses, d_ref, interval):
    """P(p_d >= c2) and P(c1 <= p_d < c2) per dose, nested adaptive quadrature over (log alpha, log beta)."""
    x = np.log(np.asarray(doses) / d_ref)
    ma, sa, mb, sb = logit(0.25), 1.0, 0.0, 1.0

    def density(b, a):
        p = expit(a + np.exp(b) * x)
        like = np.prod(p ** data_y * (1 - p) ** (data_n - data_y))
        return like * math.exp(-0.5 * (((a - ma) / sa) ** 2 + ((b - mb) / sb) ** 2))

    opts = dict(epsabs=1e-13, epsrel=1e-10)
    total = dblquad(density, ma - 9, ma + 9, mb - 9, mb + 9, **opts)[0]
    over, target = [], []
    for xd in x:
        # the region p_d >= c, i.e. a + exp(b) x_d >= logit(c), as limits of b for each a
        if xd > 0:  # b >= log((logit(c) - a) / x_d) when a < logit(c)
            def above(c, xd=xd):
                return dblquad(density, ma - 9, ma + 9,
                               lambda a: mb - 9 if a >= logit(c) else max(mb - 9, math.log((logit(c) - a) / xd)),
                               mb + 9, **opts)[0]
        elif xd < 0:  # exp(b) <= (a - logit(c)) / |x_d|, only for a > logit(c)
            def above(c, xd=xd):
                return dblquad(density, logit(c), ma + 9, mb - 9,
                               lambda a: min(mb + 9, math.log((a - logit(c)) / -xd)) if a > logit(c) else mb - 9,
                               **opts)[0]
        else:
            def above(c):
                return dblquad(density, logit(c), ma + 9, mb - 9, mb + 9, **opts)[0]
        p_over, p_lo = above(interval[1]) / total, above(interval[0]) / total
        over.append(p_over)
        target.append(p_lo - p_over)
    return np.array(over), np.array(target)


def test_blrm_posterior_against_independent_integration():
    design = chapter.blrm_design()
    assert chapter.BLRM_EXAMPLE == "1NNN 2NNN 3NTN"
    over, target = _posterior_by_dblquad(np.array([3, 3, 3, 0, 0]), np.array([0, 0, 1, 0, 0]), chapter.BLRM_DOSES,
                                         30.0, (0.16, 0.33))
    got = design.posterior(chapter.BLRM_EXAMPLE)
    np.testing.assert_allclose(got.over, over, atol=1e-6)
    np.testing.assert_allclose(got.target, target, atol=1e-6)
    assert N["btm_post_over_3"] == pytest.approx(over[2], abs=1e-6)
    assert N["btm_post_over_4"] == pytest.approx(over[3], abs=1e-6)
    assert N["btm_post_target_3"] == pytest.approx(target[2], abs=1e-6)
    # EWOC by hand: dose 4 excluded (P(over) > 0.25); the dose most likely in the target interval among 1..3 is 3
    assert over[3] > 0.25 >= over[2] and int(np.argmax(target[:3])) + 1 == N["btm_post_next"] == 3
    # first cohorts: 1/3 at dose 1 excludes dose 2; 2/3 at dose 1 excludes dose 1 itself (the trial stops)
    o1, _ = _posterior_by_dblquad(np.array([3, 0, 0, 0, 0]), np.array([1, 0, 0, 0, 0]), chapter.BLRM_DOSES, 30.0,
                                  (0.16, 0.33))
    o2, _ = _posterior_by_dblquad(np.array([3, 0, 0, 0, 0]), np.array([2, 0, 0, 0, 0]), chapter.BLRM_DOSES, 30.0,
                                  (0.16, 0.33))
    assert N["btm_path_1_over2"] == pytest.approx(o1[1], abs=1e-6) and o1[1] > 0.25 and N["btm_path_1"] == 1
    assert N["btm_path_2_over1"] == pytest.approx(o2[0], abs=1e-6) and o2[0] > 0.25
    assert chapter.blrm_design().next_dose("1NTT").action == "stop" and N["btm_path_0"] == 2


def test_blrm_settings():
    assert (N["btm_interval_lo"], N["btm_interval_hi"], N["btm_ewoc"]) == (0.16, 0.33, 0.25)
    assert N["btm_prior_ref"] == pytest.approx(0.25) and N["btm_dref"] == 30.0 and N["btm_n_blrm"] == 2000


@pytest.mark.parametrize("scenario", list(chapter.SCENARIOS))
def test_blrm_simulation_within_3_se_of_its_exact_enumeration(scenario):
    tox = chapter.SCENARIOS[scenario]
    sel, pat, _ = blrm_exact(chapter.blrm_design(), tox)
    correct = esc.correct_doses(tox, 0.3) - 1
    hot = esc.overdose_doses(tox, 0.3, 0.1) - 1
    pcs = sel[1:][correct].sum()
    se = proportion_se(pcs, chapter.N_BLRM)
    oc = chapter.operating_characteristics(scenario)["BLRM"]
    assert abs(oc.summary(target=0.3).pcs - pcs) < 3 * se
    if f"btm_{scenario}_pcs_blrm" in N:
        assert N[f"btm_{scenario}_pcs_blrm"] == pytest.approx(100 * oc.summary(target=0.3).pcs)
    summary = oc.summary(target=0.3)
    if hot.size:  # patients at overly toxic doses, the measure the prose glues
        assert abs(summary.n_overdose - pat[hot].sum()) < 3 * summary.se["n_overdose"]
    if f"btm_{scenario}_sod_blrm" in N:
        sod = sel[1:][hot].sum()
        assert abs(N[f"btm_{scenario}_sod_blrm"] / 100 - sod) < 3 * proportion_se(sod, chapter.N_BLRM)
    if scenario == "low":
        assert abs(N["btm_low_none_blrm"] / 100 - sel[0]) < 3 * proportion_se(sel[0], chapter.N_BLRM)
    if scenario == "mid":
        assert N["btm_mid_pcs_se_blrm"] == pytest.approx(100 * proportion_se(N["btm_mid_pcs_blrm"] / 100, 2000))
        assert N["btm_mid_nod_blrm"] == pytest.approx(summary.n_overdose)


def test_aligned_blrm_within_3_se_of_its_exact_enumeration():
    tox = chapter.SCENARIOS["mid"]
    sel, _, _ = blrm_exact(chapter.blrm_design(chapter.ALIGNED_INTERVAL), tox)
    assert abs(N["btm_mid_pcs_al"] / 100 - sel[3]) < 3 * proportion_se(sel[3], chapter.N_BLRM)
    sod = sel[4:].sum()
    assert abs(N["btm_mid_sod_al"] / 100 - sod) < 3 * proportion_se(sod, chapter.N_BLRM)
    # the aligned interval selects more often correctly and more often too high than the default one
    assert N["btm_mid_pcs_al"] > N["btm_mid_pcs_blrm"] and N["btm_mid_nod_al"] > N["btm_mid_nod_blrm"]


def test_exact_designs_are_those_of_the_chapter_before():
    d = dcmp.numbers()
    for scen in chapter.SCENARIOS:
        for g in ("boin", "crm"):
            for m in ("pcs", "sod", "nod"):
                if f"btm_{scen}_{m}_{g}" in N:
                    assert N[f"btm_{scen}_{m}_{g}"] == pytest.approx(d[f"cmp_{scen}_{m}_{g}"], rel=1e-12)


def test_crm_state_count_by_independent_enumeration():
    crm = dcmp._design("CRM")
    sel, pat, final = enumerate_design(
        lambda n, y, d, j: crm._restrict(crm._recommend(n, y)[2], d, j / 3 >= 0.3),
        lambda n, y: crm._recommend(n, y)[2], 5, 3, 10, 1, chapter.SCENARIOS["mid"])
    oc = crm.exact(chapter.SCENARIOS["mid"])
    np.testing.assert_allclose(sel[1:], oc.selection, atol=1e-12)
    np.testing.assert_allclose(pat, oc.patients, atol=1e-10)
    assert N["btm_crm_states"] == final == 6848


# ------------------------------------------------------------------------------------------------ late toxicity
def test_waiting_designs_are_exactly_boin_and_the_crm_without_coherence():
    tox = chapter.SCENARIOS["mid"]
    waiting = esc.TITEBOIN(0.3, 5, accrual_per_month=2, dlt_window_months=3, tite=False).simulate(
        tox, n_trials=10_000, seed=chapter.SEED + 1).summary()
    exact = esc.make_design("BOIN", 5, 0.3).exact(tox)
    assert np.all(np.abs(waiting.selection - exact.selection) <= 3 * np.maximum(waiting.selection_se, 1e-3))
    assert np.all(np.abs(waiting.patients - exact.patients) <= 3 * np.maximum(waiting.patients_se, 1e-3))
    s = exact.summary(target=0.3)
    assert N["btm_tb_half_wait_pcs"] == pytest.approx(100 * s.pcs) and N["btm_tb_half_wait_nod"] == pytest.approx(
        s.n_overdose)
    crm = esc.CRM(dcmp._design("CRM").skeleton, 0.3, coherence=False)
    timed = esc.TITECRM(crm.skeleton, 0.3, accrual_per_month=2, dlt_window_months=3, tite=False).simulate(
        tox, n_trials=4000, seed=chapter.SEED + 1).summary()
    ex = crm.exact(tox)
    assert np.all(np.abs(timed.selection - ex.selection) <= 3 * np.maximum(timed.selection_se, 1e-3))
    c = ex.summary(target=0.3)
    assert N["btm_tc_half_wait_pcs"] == pytest.approx(100 * c.pcs) and N["btm_tc_half_wait_nod"] == pytest.approx(
        c.n_overdose)


def test_duration_formulas():
    r, w = chapter.ACCRUAL, chapter.WINDOW
    assert N["btm_wait_bound"] == pytest.approx(29 / r + 10 * w) == 44.5
    assert N["btm_tite_bound"] == pytest.approx(29 / r + w) == 17.5
    # without DLTs the simulated durations equal the formulas within 3 SE (29 exponential gaps: SD sqrt(29) / r)
    tiny = [1e-6] * 5
    n = 2000
    se = math.sqrt(29) / r / math.sqrt(n)
    wait = esc.TITEBOIN(0.3, 5, accrual_per_month=r, dlt_window_months=w, tite=False).simulate(
        tiny, n_trials=n, seed=3).summary()
    assert abs(wait.duration - (29 / r + 10 * w)) < 3 * se
    fast = esc.TITECRM(dcmp._design("CRM").skeleton, 0.3, accrual_per_month=r, dlt_window_months=w).simulate(
        tiny, n_trials=n, seed=3).summary()
    assert abs(fast.duration - (29 / r + w)) < 3 * se
    # with DLTs: waiting ends some windows early, TITE-BOIN suspends, the TITE-CRM never waits
    for g in ("tb", "tc"):
        for lg in ("half", "late"):
            p = f"btm_{g}_{lg}"
            if f"{p}_dur" in N:
                assert N[f"{p}_dur"] < N["btm_wait_bound"]
    assert N["btm_tb_half_wait_dur"] < N["btm_wait_bound"]
    assert N["btm_tite_bound"] < N["btm_tb_half_dur"] < N["btm_tb_half_wait_dur"]
    assert N["btm_tite_bound"] - 1 < N["btm_tc_half_dur"] <= N["btm_tite_bound"]


def test_months_saved_and_ratios_are_consistent():
    cmp = chapter.tite_comparison("TITE-BOIN")
    assert N["btm_tb_half_saved"] == pytest.approx(N["btm_tb_half_wait_dur"] - N["btm_tb_half_dur"])
    assert N["btm_tb_half_ratio"] == pytest.approx(100 * N["btm_tb_half_dur"] / N["btm_tb_half_wait_dur"])
    assert N["btm_tb_half_dur"] == pytest.approx(cmp.tite.duration)
    c = chapter.tite_comparison("TITE-CRM")
    assert N["btm_tc_half_saved"] == pytest.approx(c.waiting.duration - c.tite.duration)
    for key, a, w in (("fast", 4.0, 3.0), ("slow", 1.0, 1.0)):
        s = chapter.tite_comparison("TITE-BOIN", a, w, 0.5, "mid", chapter.N_WIDGET)
        assert N[f"btm_w_{key}_saved"] == pytest.approx(s.months_saved)
        assert N[f"btm_w_{key}_ratio"] == pytest.approx(100 * s.ratio)
    assert N["btm_w_fast_saved"] > N["btm_w_slow_saved"] and N["btm_w_fast_ratio"] < N["btm_w_slow_ratio"]


def test_what_tite_gives_up():
    # standard errors of the glued proportions by hand
    assert N["btm_tb_half_pcs_se"] == pytest.approx(100 * proportion_se(N["btm_tb_half_pcs"] / 100, 2000))
    # TITE-BOIN within 3 SE of BOIN's exact correct selection; the TITE-CRM overdoses more when DLTs are late
    assert abs(N["btm_tb_half_pcs"] - N["btm_tb_half_wait_pcs"]) < 3 * N["btm_tb_half_pcs_se"]
    assert N["btm_tb_late_nod"] < N["btm_tb_half_wait_nod"] and N["btm_tb_half_nod"] < N["btm_tb_half_wait_nod"]
    assert N["btm_tc_late_nod"] > N["btm_tc_half_nod"] > N["btm_tc_half_wait_nod"]
    assert (N["btm_late_lo"], N["btm_late_hi"]) == (50.0, 80.0)
    assert (N["btm_accrual"], N["btm_window"], N["btm_n_tite"], N["btm_n_widget"]) == (2.0, 3.0, 2000, 1000)


# ------------------------------------------------------------------------------------------------ BOIN12
def test_boin12_utility_is_a_cui_and_the_obd_by_hand():
    pt, pe = np.array(chapter.B12_TOX), np.array(chapter.B12_EFF)
    u = 40 + 60 * pe - 40 * pt
    full = 100 * (1 - pt) * pe + 40 * (1 - pt) * (1 - pe) + 60 * pt * pe
    np.testing.assert_allclose(u, full, atol=1e-12)
    assert [N[f"btm_u_{d}"] for d in range(1, 6)] == pytest.approx(u.tolist())
    assert (N["btm_w_eff"], N["btm_w_tox"], N["btm_interaction"]) == pytest.approx((0.6, 0.4, 0.0))
    ubar = 100 * 0.65 * 0.25 + 40 * 0.65 * 0.75 + 60 * 0.35 * 0.25
    assert N["btm_ubar"] == pytest.approx(ubar) == pytest.approx(41.0)
    assert N["btm_benchmark"] == pytest.approx((ubar + 100) / 2)
    assert (N["btm_obd"], N["btm_mtd"]) == (int(np.argmax(u)) + 1, 4) == (3, 4)
    assert (N["btm_phi_t"], N["btm_phi_e"], N["btm_n_b12"]) == (0.35, 0.25, 4000)


def test_boin12_selection_within_monte_carlo_error_of_an_independent_run():
    other = chapter.boin12_design().simulate(chapter.B12_TOX, true_eff=chapter.B12_EFF, n_trials=4000,
                                             seed=chapter.SEED + 7).summary()
    p = N["btm_b12_sel_obd"] / 100
    assert N["btm_b12_se_obd"] == pytest.approx(100 * proportion_se(p, 4000))
    combined = math.hypot(proportion_se(p, 4000), float(other.selection_se[2]))
    assert abs(p - other.selection[2]) < 3 * combined
    assert abs(N["btm_b12_sel_mtd"] / 100 - other.selection[3]) < 3 * math.hypot(
        proportion_se(N["btm_b12_sel_mtd"] / 100, 4000), float(other.selection_se[3]))
    boin = esc.make_design("BOIN", 5, 0.3).exact(chapter.B12_TOX)
    assert N["btm_boin_sel_mtd"] == pytest.approx(100 * boin.selection[3])
    assert N["btm_boin_sel_obd"] == pytest.approx(100 * boin.selection[2])
    assert N["btm_boin_n_obd"] == pytest.approx(boin.patients[2])
    assert N["btm_b12_sel_obd"] > N["btm_boin_sel_obd"] and N["btm_boin_sel_mtd"] > N["btm_b12_sel_mtd"]


def test_published_glofitamab_numbers():
    assert (N["btm_glofit_lo"], N["btm_glofit_hi"], N["btm_glofit_n"]) == (0.005, 30.0, 171)
    assert N["btm_glofit_fold"] == pytest.approx(6000)


def test_every_number_is_finite_and_glued():
    assert all(np.isfinite(v) for v in N.values()) and set(N) == set(chapter.GLUED)


# ------------------------------------------------------------------------------------------------ presentation
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["posterior_figure", "oc_figure", "duration_figure", "widget_figure", "obd_figure"])
def test_figures_render_without_missing_glyphs(lang, name):
    fig = getattr(chapter, name)(lang=lang)
    fig.canvas.draw()
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    assert chapter.oc_table(lang).shape == (9, 8)
    assert chapter.tite_table(lang).shape == (8, 7)
    assert chapter.obd_table(lang).shape == (5, 5)
    assert chapter.pathways_table(lang).shape[0] == 10
    assert chapter.posterior_table(lang=lang).shape == (5, 6)
    assert chapter.utility_table(lang).to_numpy().tolist() == [[100.0, 40.0], [60.0, 0.0]]
    assert chapter.widget_table(lang=lang).shape == (2, 6)


def test_widget_fits_the_budget_and_renders_every_state():
    w = chapter.widget
    assert w.n_states == 36 and w.defaults == {"accrual": 2.0, "window": 3.0, "late_share": 0.5}
    for _key, values in w.part_states(1):
        for lang in LANGS:
            assert w.render(1, lang, values).shape == (2, 6)
    alt = w.alt_text(0, "en", w.defaults)
    state = chapter.tite_comparison("TITE-BOIN", 2.0, 3.0, 0.5, "mid", chapter.N_WIDGET)
    assert f"{state.tite.duration:.1f} months for TITE-BOIN" in alt and f"{N['btm_tb_half_wait_pcs']:.1f}%" in alt
    fig = w.render(0, "zh-tw", {"accrual": 4.0, "window": 1.0, "late_share": 0.8})
    fig.canvas.draw()
    plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="beyond_the_mtd"' in html


@pytest.mark.parametrize("call, error, match", [
    (lambda: chapter.tite_comparison("TITE-3+3"), ValueError, "design"),
    (lambda: chapter.tite_comparison(accrual=-1.0), ValueError, "accrual"),
    (lambda: chapter.tite_comparison(late_share=1.5), ValueError, "late_share"),
    (lambda: chapter.tite_comparison(scenario="top"), ValueError, "scenario"),
    (lambda: chapter.operating_characteristics("top"), ValueError, "scenario"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
