"""Chapter "Choosing among several doses: MCP-Mod": every glued number against R DoseFinding 1.0.3 / multcomp,
a closed form or an independent computation, the figures and the widget.

R references were produced once (R 4.2.2, DoseFinding 1.0.3, mvtnorm 1.1-3, multcomp) with

    library(DoseFinding); library(multcomp); data(IBScovars)
    tight <- mvtnorm.control(abseps = 1e-6, maxpts = 5e6)
    m <- Mods(linear = NULL, emax = 0.5, sigEmax = c(2, 4), exponential = 2, doses = 0:4)
    t1 <- MCTtest(dose, resp, IBScovars, models = m, critV = TRUE, mvtcontrol = tight)
    MM <- MCPMod(dose, resp, IBScovars, models = m, Delta = 0.25, mvtcontrol = tight)
    MM2 <- MCPMod(dose, resp, IBScovars, models = m, Delta = 0.25, selModel = "aveAIC", mvtcontrol = tight)
    D <- cbind(c(-1,1,0,0,0), c(-1,0,1,0,0), c(-1,0,0,1,0), c(-1,0,0,0,1)) / sqrt(2); rownames(D) <- 0:4
    t2 <- MCTtest(dose, resp, IBScovars, models = m, contMat = D, critV = TRUE, mvtcontrol = tight)   # Dunnett
    summary(glht(aov(resp ~ factor(dose), IBScovars), linfct = mcp("factor(dose)" = "Dunnett"),
                 alternative = "greater"))                                                            # multcomp
    alt <- Mods(linear = NULL, emax = 0.5, sigEmax = c(2, 4), exponential = 2, doses = 0:4, placEff = 0,
                maxEff = 0.35)
    powMCT(optContr(m, w = 1), altModels = alt, n = 75, sigma = 0.76, alpha = 0.025, control = tight)  # and D, top
    sampSizeMCT(upperN = 200, contMat = optContr(m, w = 1), sigma = 0.76, altModels = alt, power = 0.8,
                alRatio = rep(1, 5), alpha = 0.025, sumFct = min)
    TD(alt, Delta = 0.25)

The numbers are pasted below next to each check.
"""

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import stats

from dosecourse import dose_response as dr
from dosecourse.chapters import choosing_among_doses as chapter
from dosecourse.chapters import style, widgets
from dosecourse.i18n import LANGS

N = chapter.numbers()

# t1$tStat, attr(t1$tStat, "pVal"), t1$critVal; qroot (uniroot on a tight pmvt, see tests/test_dose_response.py)
R_T = {"linear": 2.64459056133882, "emax": 3.21970894859298, "sigEmax": 2.36946604791181,
       "exponential": 2.14113086304085}
R_P = {"linear": 0.00918097317995281, "emax": 0.00161333787668194, "sigEmax": 0.01891175161553915,
       "exponential": 0.03272666394410884}
R_CRITVAL, R_QROOT = 2.25602538808246, 2.25580092409116
# MM$selMod, MM$doseEst, MM$modcrit; MM2$selMod (weights), sum(MM2$doseEst * MM2$selMod); coef(MM$mods$emax)
R_TD = {"linear": 3.339283619395353, "emax": 0.712356581879035, "sigEmax": 0.619721091598995}
R_AIC = {"linear": 851.820119362201, "emax": 850.392164899252, "sigEmax": 852.372505678401}
R_WEIGHTS = {"linear": 0.263105038643876, "emax": 0.537286015693442, "sigEmax": 0.199608945662682}
R_TD_AVE = 1.38502344905366
R_EMAX = [0.217112893492857, 0.377336678972602, 0.362836485523003]
# t2 (Dunnett as a contrast test): tStat and pVal; multcomp's single-step p-values 0.038587, 0.032028, 0.011017,
# 0.011529 (its default, looser, mvtnorm accuracy)
R_DUNNETT_T = [2.27501748861857, 2.35082170116458, 2.74930714062451, 2.73588895054969]
R_DUNNETT_P = [0.0385778313821886, 0.0320762883772142, 0.0110851801023647, 0.0115176198355262]
# powMCT at n = 75 (and n = 20 for emax): optimal contrasts, Dunnett D, and top = c(-1, 0, 0, 0, 1)
R_POW_MCP = {"linear": 0.862714004964362, "emax": 0.874174065777876, "sigEmax": 0.937563163017563,
             "exponential": 0.857188629694757}
R_POW_DUNNETT = {"linear": 0.713418954803363, "emax": 0.844412403931664, "sigEmax": 0.757855929928670,
                 "exponential": 0.665347251676663}
R_POW_TOP = 0.803127386841214
R_POW20_MCP_EMAX = 0.339759653499730
# sampSizeMCT: 65 per arm, targFunc 0.8019 (with powMCT's default mvtnorm accuracy, abseps = 0.001); with tight
# control, powMCT(optContr(m, w = 1), alt, n = 65 / 64, sigma = 0.76, control = tight) has minimum (exponential)
# 0.802574967991304 at 65 and 0.796251882032777 at 64 per arm
R_SS_N, R_SS_POWER, R_SS_POWER_64 = 65, 0.802574967991304, 0.796251882032777
R_TRUE_TD = {"linear": 2.857142857142857, "emax": 0.869565217391304, "sigEmax": 2.393516031347077,
             "exponential": 3.432494895236774}


def test_trial_summaries_by_hand():
    dose, resp = chapter.trial_data()
    arms = [resp[dose == d] for d in chapter.DOSES]
    assert N["cad_n_total"] == 369 and (N["cad_n_min"], N["cad_n_max"]) == (71, 78)
    # pooled SD: residual SS of the one-way ANOVA / (369 - 5)
    rss = sum(((y - y.mean()) ** 2).sum() for y in arms)
    assert N["cad_df"] == 364 and N["cad_sd_pooled"] == pytest.approx(math.sqrt(rss / 364), rel=1e-12)
    assert round(N["cad_sd_pooled"], 3) == 0.763 and round(N["cad_mean_placebo"], 3) == 0.217
    for i in range(1, 5):
        assert N[f"cad_diff_{i}"] == pytest.approx(arms[i].mean() - arms[0].mean(), abs=1e-12)
    # planning values are the trial's, rounded
    assert N["cad_sigma"] == round(N["cad_sd_pooled"], 2) and N["cad_max_effect"] == round(N["cad_diff_4"], 2)


def test_dunnett_matches_multcomp_and_doseFinding():
    for i in range(1, 5):
        assert N[f"cad_dunnett_p_{i}"] == pytest.approx(R_DUNNETT_P[i - 1], abs=1e-4)
    assert N["cad_dunnett_n_sig"] == 2  # doses 3 and 4 only
    # t2$critVal = 2.44962448535952 (qmvt, good to about 1e-3); scipy's own multivariate t as a second check
    assert N["cad_dunnett_crit"] == pytest.approx(2.44962448535952, abs=1e-3)
    dun = chapter.dunnett()
    assert np.all((dun.statistic > N["cad_dunnett_crit"]) == (dun.pvalue < 0.025))
    # the same test through the package: Dunnett's comparisons as contrasts of mct_test
    dose, resp = chapter.trial_data()
    res = dr.mct_test(dose, resp, chapter.candidate_models(), contrasts=dr.many_to_one_contrasts(chapter.DOSES))
    np.testing.assert_allclose(res.t_stats, R_DUNNETT_T, atol=1e-9)
    np.testing.assert_allclose(res.p_values, R_DUNNETT_P, atol=1e-4)


def test_contrast_test_matches_mcttest():
    for m in R_T:
        assert N[f"cad_t_{m}"] == pytest.approx(R_T[m], abs=1e-9)
        assert N[f"cad_p_{m}"] == pytest.approx(R_P[m], abs=dr.DEFAULT_ABSEPS)
    assert N["cad_n_significant"] == 3  # exponential's p = 0.033 > 0.025
    # The correlation is nearly singular (smallest eigenvalue 4e-6).  The critical value comes from the tabulated
    # normal maximum (3 SE below 1e-5 in probability, its smallest eigen-direction integrated first), 1e-5 in
    # probability being about 1.7e-4 in the quantile here (dP/dq ~ 0.06); observed 8.2e-5 from qroot (the former
    # lattice search over the t probability: 3.5e-4).
    assert N["cad_crit"] == pytest.approx(R_QROOT, abs=2e-4)
    assert N["cad_crit"] == pytest.approx(R_CRITVAL, abs=1e-3)
    assert max(R_T.values()) > N["cad_crit"] > R_T["exponential"]


def test_fits_selection_and_target_doses_match_mcpmod():
    assert N["cad_selected"] == "emax"
    for m in R_TD:
        assert N[f"cad_aic_{m}"] == pytest.approx(R_AIC[m], abs=1e-6)
        assert N[f"cad_w_{m}"] == pytest.approx(R_WEIGHTS[m], abs=1e-8)
        assert N[f"cad_td_{m}"] == pytest.approx(R_TD[m], rel=1e-6)
    assert N["cad_td"] == N["cad_td_emax"]
    assert N["cad_td_ave"] == pytest.approx(R_TD_AVE, rel=1e-6)
    assert [N["cad_emax_e0"], N["cad_emax_emax"], N["cad_emax_ed50"]] == pytest.approx(R_EMAX, abs=1e-6)
    # closed form of the emax target dose: TD = ED50 * Delta / (Emax - Delta)
    td = N["cad_emax_ed50"] * 0.25 / (N["cad_emax_emax"] - 0.25)
    assert N["cad_td"] == pytest.approx(td, rel=1e-12)
    # effect at dose 1 and its share of the effect at dose 4 (exercise 1): Emax d/(ED50 + d)
    assert N["cad_emax_at1"] == pytest.approx(N["cad_emax_emax"] / (N["cad_emax_ed50"] + 1), rel=1e-12)
    assert N["cad_emax_share1"] == pytest.approx((4 + N["cad_emax_ed50"]) / (4 * (1 + N["cad_emax_ed50"])), rel=1e-12)
    assert N["cad_ex1_td03"] == pytest.approx(N["cad_emax_ed50"] * 0.3 / (N["cad_emax_emax"] - 0.3), rel=1e-12)
    assert chapter.analysis().fits["emax"].target_dose(0.4) is None  # 0.4 > Emax: never reached
    # model average = sum of weights x TDs
    assert N["cad_td_ave"] == pytest.approx(sum(N[f"cad_w_{m}"] * N[f"cad_td_{m}"] for m in R_TD), rel=1e-12)


def test_planning_target_doses_closed_forms():
    # linear: 4 x 0.25 / 0.35; emax: d/(0.5 + d) = (0.25/0.35)(4/4.5); exponential: delta log(1 + (0.25/0.35)(e^2 - 1))
    assert N["cad_true_td_linear"] == pytest.approx(4 * 0.25 / 0.35, rel=1e-12)
    r = 0.25 / 0.35 * 4 / 4.5
    assert N["cad_true_td_emax"] == pytest.approx(0.5 * r / (1 - r), rel=1e-12)
    assert N["cad_true_td_exponential"] == pytest.approx(2 * math.log(1 + 0.25 / 0.35 * math.expm1(2)), rel=1e-12)
    s = 0.25 / 0.35 * 4 ** 4 / (2 ** 4 + 4 ** 4)  # sigEmax(2, 4): d^4/(16 + d^4) = s
    assert N["cad_true_td_sigEmax"] == pytest.approx((16 * s / (1 - s)) ** 0.25, rel=1e-12)
    for m, v in R_TRUE_TD.items():
        assert N[f"cad_true_td_{m}"] == pytest.approx(v, rel=1e-12)


def test_power_matches_powmct_and_the_noncentral_t():
    for m in R_POW_MCP:
        assert N[f"cad_pow_mcp_{m}"] / 100 == pytest.approx(R_POW_MCP[m], abs=5e-4)
        assert N[f"cad_pow_dunnett_{m}"] / 100 == pytest.approx(R_POW_DUNNETT[m], abs=5e-4)
    assert N["cad_pow20_mcp_emax"] / 100 == pytest.approx(R_POW20_MCP_EMAX, abs=5e-4)
    # the top dose alone is one t test with the pooled df 5 x 75 - 5: a noncentral t
    df = 5 * 75 - 5
    ncp = 0.35 / (0.76 * math.sqrt(2 / 75))
    exact = 1 - stats.nct.cdf(stats.t.ppf(0.975, df), df, ncp)
    assert N["cad_pow_top"] / 100 == pytest.approx(exact, abs=1e-4)
    assert N["cad_pow_top"] / 100 == pytest.approx(R_POW_TOP, abs=1e-4)
    assert N["cad_ss_n"] == R_SS_N and N["cad_ss_power"] / 100 == pytest.approx(R_SS_POWER, abs=2e-4)
    assert N["cad_ss_power"] / 100 == pytest.approx(0.8019, abs=1e-3)  # sampSizeMCT's own (looser) value
    assert R_SS_POWER_64 < 0.8 < R_SS_POWER
    # MCP-Mod beats Dunnett under every shape at this size
    assert all(N[f"cad_pow_mcp_{m}"] > N[f"cad_pow_dunnett_{m}"] for m in R_POW_MCP)


def test_simulated_power_agrees_with_the_exact_power():
    for n, key in ((75, "cad_sim_power"), (20, "cad_sim20_power")):
        exact = chapter.powers(n)["mcp"][chapter.SHAPES.index("emax")]
        se = math.sqrt(exact * (1 - exact) / chapter.N_TRIALS)
        assert abs(N[key] / 100 - exact) < 3 * se + 0.005, (n, N[key], exact)
    assert N["cad_trials"] == 1000 and N["cad_seed"] == 2025
    assert N["cad_sim_reached"] <= N["cad_sim_power"]
    assert N["cad_sim_td_lo"] < N["cad_sim_td_med"] < N["cad_sim_td_hi"]
    sim = chapter.simulate("emax", 75)
    est = sim.dose_estimate
    assert N["cad_sim_near0"] == pytest.approx(100 * np.sum(est < 0.1) / est.size, abs=1e-12)
    assert N["cad_sim_below1"] == pytest.approx(100 * np.sum(est < 1) / np.sum(np.isfinite(est)), abs=1e-12)
    # seeded values shown in the prose
    assert (round(N["cad_sim_power"], 1), round(N["cad_sim_sel_emax"], 1), round(N["cad_sim_sel_linear"], 1)) == \
        (87.5, 60.6, 23.9)


def _independent_reanalysis(shape: str, n: int, trials: int):
    """Regenerate the simulation's arm means and variances (same seed and draws) and analyse every significant trial
    with the scalar fitter dr.fit_model, AIC from the individual-data RSS, and the fitted model's own target_dose."""
    cm = chapter.candidate_models()
    mu = chapter.candidate_models(chapter.MAX_EFFECT).mean()[:, chapter.SHAPES.index(shape)]
    k = len(chapter.DOSES)
    gen = np.random.default_rng(chapter.SEED)
    ybar = mu + chapter.SIGMA * gen.standard_normal((chapter.N_TRIALS, k)) / math.sqrt(n)
    nu = 5 * n - 5
    s2 = chapter.SIGMA ** 2 * gen.chisquare(nu, chapter.N_TRIALS) / nu
    oc = dr.optimal_contrasts(cm)
    q = dr.critical_value(oc.correlation, 0.025, nu)
    out = []
    for i in range(trials):
        tstat = ybar[i] @ oc.contrasts / np.sqrt(s2[i] / n)
        sig = [m for m, tt in zip(cm.models, tstat) if tt > q]
        if not sig:
            out.append(np.nan)
            continue
        best, best_aic = None, np.inf
        for m in dict.fromkeys(sig):
            fit = dr.fit_model(chapter.DOSES, ybar[i], m, cov=np.eye(k) * s2[i] / n)
            rss = nu * s2[i] + n * float(np.sum((ybar[i] - fit.predict(chapter.DOSES)) ** 2))
            aic = 5 * n * math.log(2 * math.pi * rss / (5 * n)) + 5 * n + 2 * (fit.coefs.size + 1)
            if aic < best_aic:
                best, best_aic = fit, aic
        td = best.target_dose(0.25)
        out.append(np.nan if td is None else td)
    return np.array(out)


def test_simulated_target_doses_agree_with_an_independent_reanalysis():
    sim = chapter.simulate("emax", 75)
    ref = _independent_reanalysis("emax", 75, 150)
    mine = sim.dose_estimate[:150]
    assert np.array_equal(np.isnan(ref), np.isnan(mine))
    ok = np.isfinite(ref)
    close = np.abs(ref[ok] - mine[ok]) < 1e-3 * (1 + np.abs(ref[ok]))
    assert close.mean() >= 0.97  # the vectorised fitter may find a different (lower) minimum in a few trials


def test_simulate_is_cached_and_checks_arguments():
    assert chapter.simulate("emax", 75) is chapter.simulate("emax", 75)
    with pytest.raises(ValueError, match="shape"):
        chapter.simulate("umbrella", 75)
    with pytest.raises(ValueError, match="n"):
        chapter.simulate("emax", 1)


@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    arm = chapter.arm_table(lang)
    assert arm.shape == (5, 6)
    assert chapter.fit_table(lang).shape == (3, 5)
    pw = chapter.power_table(lang=lang)
    assert pw.shape == (12, 5)


@pytest.mark.parametrize("lang", LANGS)
def test_figures_render_without_missing_glyphs(lang):
    for fig in (chapter.fit_figure(lang=lang), chapter.power_figure("linear", 40, lang=lang),
                chapter.td_figure("sigEmax", 60, lang=lang)):
        fig.canvas.draw()
        assert style.missing_glyphs(fig) == []
        plt.close(fig)


def test_widget_fits_the_site_budget():
    w = chapter.widget
    assert w.defaults == {"shape": "emax", "n": 75}
    per_part = [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts]
    assert per_part == [24, 24, 24] and w.n_states <= widgets.MAX_STATES


@pytest.mark.parametrize("lang", LANGS)
def test_widget_renders_every_site_state_default_text(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    assert f"{N['cad_pow_mcp_emax']:.1f}" in text and "2025" in text
    for shape in chapter.SHAPES:
        for n in w.control("n").values:
            assert "%" in w.render(0, lang, {"shape": shape, "n": n})
    alt = w.alt_text(2, lang, w.defaults)
    assert f"{N['cad_sim_td_med']:.2f}" in alt
    fig = w.render(1, lang, w.defaults)
    fig.canvas.draw()
    plt.close(fig)
