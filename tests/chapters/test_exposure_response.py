"""Chapter "Exposure-response for registration, and why it misleads": every glued number against a hand calculation
or an independent re-analysis, the figures, the table and the widget.

Sources of the expected numbers:
* Closed forms, by hand: Cavg,ss = Dose / (CL tau) = 200 / (0.22 x 21) = 43.29 mg/L (Ahamadi 2017 typical
  clearance); exp(0.25) - 1 = 28.4% more clearance per SD of sickness; Var(log CL) = 0.25^2 + 0.25^2 + 0.595^2 x
  log(1 + (19.3/76.8)^2) = 0.1467, of which 0.0625 / 0.1467 = 42.6% from sickness; 1 - exp(-0.3) = 25.9%;
  the exercise-1 patient: 1.3 x 0.22 = 0.286 L/day and 200 / (0.286 x 21) = 33.30 mg/L.
* The example trial: re-analysed here directly with statsmodels ``Logit`` / ``PHReg`` and pandas ``qcut`` from the
  simulated patients (``er.simulate_trials(chapter.SCENARIO, 1, seed=2025)``), not through the chapter module.
* The replicate analyses: every one of the 200 trials per row refitted with statsmodels ``Logit`` (the reference
  implementation), and the means checked against the closed-form slope of equation erc-eq-slope, computed here
  by hand, and against the true slope 0 within 3 Monte Carlo SE.
* Case-matching: an independent greedy Mahalanobis matching written here in plain Python loops.
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from matplotlib import pyplot as plt
from scipy import stats

from dosecourse import exposure_response as er
from dosecourse.chapters import exposure_response as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
BOOK = Path(__file__).resolve().parents[2] / "book"
S2W = math.log1p((19.3 / 76.8) ** 2)


def within(est, truth, se, k=3.0):
    return abs(est - truth) <= k * se


def test_closed_form_numbers_by_hand():
    assert (N["erc_n"], N["erc_dose"], N["erc_tau"], N["erc_cl"]) == (300, 200.0, 21.0, 0.22)
    assert N["erc_cavg_ref"] == pytest.approx(200 / (0.22 * 21), rel=1e-12)           # 43.29 mg/L
    assert N["erc_cl_pct_1sd"] == pytest.approx(28.4025, abs=1e-4)                    # exp(0.25) - 1
    v = 0.25 ** 2 + 0.25 ** 2 + 0.595 ** 2 * S2W
    assert N["erc_var_log_cl"] == pytest.approx(v, rel=1e-12) and round(v, 4) == 0.1467
    assert N["erc_share_disease"] == pytest.approx(100 * 0.0625 / v, rel=1e-12) and round(N["erc_share_disease"]) == 43
    assert N["erc_peak_strength"] == pytest.approx(math.sqrt(0.0625 + 0.595 ** 2 * S2W), rel=1e-12)
    assert N["erc_liu_pct"] == pytest.approx(100 * (1 - math.exp(-0.3)), rel=1e-12)   # 25.9%
    assert N["erc_bajaj_fall"] == pytest.approx(25.547, abs=1e-3)                      # 1 - exp(-0.295) = 1 - 0.74453
    assert (N["erc_gamma_cl"], N["erc_omega"], N["erc_gamma_r"], N["erc_resp_rate"], N["erc_reliability"]) == (
        0.25, 0.25, 1.0, 30.0, 0.8)
    assert (N["erc_dose_low"], N["erc_dose_high"], N["erc_trials"], N["erc_seed"], N["erc_n_match"],
            N["erc_n_half"]) == (2.0, 10.0, 200, 2025, 100, 150)
    # exercise 1: 1.3 x 0.22 = 0.286 L/day; 200 / (0.286 x 21) = 33.30 mg/L; ln 1.3 = 0.2624
    assert N["erc_ex1_cl"] == pytest.approx(0.286, rel=1e-12)
    assert N["erc_ex1_cavg"] == pytest.approx(200 / (0.286 * 21), rel=1e-12) and round(N["erc_ex1_cavg"], 1) == 33.3
    assert N["erc_ex1_log_ratio"] == pytest.approx(0.262364, abs=1e-6)
    assert N["erc_ex1_or"] == pytest.approx(1.3 ** -N["erc_naive_ss_mean"], rel=1e-12)
    assert N["erc_naive_or2"] == pytest.approx(2 ** N["erc_naive_ss_mean"], rel=1e-12)
    assert N["erc_adj_removed"] == pytest.approx(100 * (1 - N["erc_adjusted_mean"] / N["erc_naive_ss_mean"]))


def _closed_form_slope(gamma_cl=0.25, omega=0.25, gamma_r=1.0, extra_var=0.0):
    """Equation erc-eq-slope by hand (unadjusted): kappa gamma_R gamma_CL / Var(log C)."""
    v = gamma_cl ** 2 + omega ** 2 + 0.595 ** 2 * S2W + extra_var
    tau2 = gamma_r ** 2 * (1 - gamma_cl ** 2 / v)
    return gamma_r * gamma_cl / v / math.sqrt(1 + math.pi * tau2 / 8)


def test_closed_form_slopes_by_hand():
    assert N["erc_approx_naive"] == pytest.approx(_closed_form_slope(), rel=1e-12)
    # mg/kg dosing: log C carries (1 - 0.595) log WT; the randomized dose adds Var(log d) = (ln 5 / 2)^2
    v_pooled = 0.0625 + 0.0625 + (1 - 0.595) ** 2 * S2W + (math.log(5) / 2) ** 2
    tau2 = 1 - 0.0625 / v_pooled
    assert N["erc_approx_pooled"] == pytest.approx(0.25 / v_pooled / math.sqrt(1 + math.pi * tau2 / 8), rel=1e-12)
    # adjusted: projection of S on (log C, marker, log WT) with marker = sqrt(0.8) S + sqrt(0.2) Z
    A = np.array([[-0.25, 0, -0.25, -0.595 * math.sqrt(S2W)], [math.sqrt(0.8), math.sqrt(0.2), 0, 0],
                  [0, 0, 0, math.sqrt(S2W)]])
    b = np.linalg.solve(A @ A.T, A[:, 0])
    tau2 = 1 - A[:, 0] @ b
    assert N["erc_approx_adjusted"] == pytest.approx(-b[0] / math.sqrt(1 + math.pi * tau2 / 8), rel=1e-10)


# ---------------------------------------------------------------------------------------------- the example trial
SINGLE = er.simulate_trials(chapter.SCENARIO, 1, seed=2025)
RAND = er.simulate_trials(chapter.RANDOMIZED, 1, seed=2025)


def _frame(trial):
    return pd.DataFrame({"y": trial.response[0].astype(float), "cavg": trial.metric("cavg_ss")[0],
                         "alb": trial.albumin[0], "wt": trial.weight[0], "cl0": trial.cl0[0],
                         "dose": trial.dose_level[0], "time": trial.os_time[0], "event": trial.os_event[0]})


def test_example_trial_quartiles_by_qcut():
    d = _frame(SINGLE)
    d["q"] = pd.qcut(d["cavg"].rank(method="first"), 4, labels=False)
    rates = 100 * d.groupby("q")["y"].mean()
    med = d.groupby("q")["cavg"].median()
    assert N["erc_q1_rate"] == pytest.approx(rates[0], abs=1e-12) and N["erc_q4_rate"] == pytest.approx(rates[3])
    assert N["erc_q1_median"] == pytest.approx(med[0]) and N["erc_q4_median"] == pytest.approx(med[3])
    # the values the prose and alt text show (seed 2025): 17.3% at 29 mg/L, 40.0% at 72 mg/L
    assert (round(N["erc_q1_rate"], 1), round(N["erc_q4_rate"], 1)) == (17.3, 40.0)
    assert (round(N["erc_q1_median"]), round(N["erc_q4_median"])) == (29, 72)
    r = _frame(RAND)
    r["q"] = pd.qcut(r["cavg"].rank(method="first"), 4, labels=False)
    rq = 100 * r.groupby("q")["y"].mean()
    arm = 100 * r.groupby("dose")["y"].mean()
    assert N["erc_rq1_rate"] == pytest.approx(rq[0]) and N["erc_rq4_rate"] == pytest.approx(rq[3])
    assert N["erc_arm_low_rate"] == pytest.approx(arm[2.0]) and N["erc_arm_high_rate"] == pytest.approx(arm[10.0])
    assert N["erc_arm_low_cavg"] == pytest.approx(r.loc[r.dose == 2.0, "cavg"].median())
    assert N["erc_arm_high_cavg"] == pytest.approx(r.loc[r.dose == 10.0, "cavg"].median())
    assert [round(N[k], 1) for k in ("erc_rq1_rate", "erc_rq4_rate", "erc_arm_low_rate", "erc_arm_high_rate")] == [
        18.7, 36.0, 30.7, 33.3]
    assert (round(N["erc_arm_low_cavg"]), round(N["erc_arm_high_cavg"])) == (30, 164)


def test_example_trial_fits_by_statsmodels_directly():
    d = _frame(SINGLE)
    naive = sm.Logit(d["y"], sm.add_constant(np.log(d[["cavg"]]))).fit(disp=0)
    assert N["erc_trial_slope"] == pytest.approx(naive.params["cavg"], rel=1e-8)
    assert N["erc_trial_or"] == pytest.approx(math.exp(naive.params["cavg"]), rel=1e-8)
    assert N["erc_trial_p"] == pytest.approx(naive.pvalues["cavg"], rel=1e-6)
    assert N["erc_trial_p"] < 0.05
    adj = sm.Logit(d["y"], sm.add_constant(np.log(d[["cavg", "alb", "wt"]]))).fit(disp=0)
    assert N["erc_trial_adj_slope"] == pytest.approx(adj.params["cavg"], rel=1e-7)
    assert N["erc_trial_adj_p"] == pytest.approx(adj.pvalues["cavg"], rel=1e-6)
    cox = sm.PHReg(d["time"], np.log(d[["cl0"]]), status=d["event"].astype(float), ties="breslow").fit()
    assert N["erc_trial_cl0_hr"] == pytest.approx(math.exp(cox.params[0]), rel=1e-7)
    assert N["erc_trial_cl0_p"] < 0.001                                  # the prose says p < 0.001
    # one dose: log Cavg,ss = log(200/21) - log CL0, so the exposure HR is the reciprocal of the clearance HR
    assert N["erc_trial_os_hr"] == pytest.approx(1 / N["erc_trial_cl0_hr"], rel=1e-7)
    assert N["erc_trial_os_hr"] < 1 < N["erc_trial_cl0_hr"]


@pytest.mark.parametrize("lang", LANGS)
def test_example_table(lang):
    tab = chapter.example_table(lang)
    assert len(tab) == 7
    assert tab.iloc[0, 3] == round(N["erc_trial_or"], 3)
    assert tab.iloc[6, 3] == round(N["erc_trial_cl0_hr"], 3)
    assert tab.iloc[0, 0] == t("er_endpoint_response", lang) and tab.iloc[6, 0] == t("er_endpoint_os", lang)


# ---------------------------------------------------------------------------------------------- many trials
ROWS = {  # row key -> (scenario, analysis, metric)
    "naive_ss": (chapter.scenario(), "naive", "cavg_ss"),
    "naive_c1": (chapter.scenario(), "naive", "cavg_c1"),
    "adjusted": (chapter.scenario(), "adjusted", "cavg_ss"),
    "perfect": (chapter.scenario(perfect_marker=True), "adjusted", "cavg_ss"),
    "pooled": (chapter.scenario(randomized=True), "naive", "cavg_ss"),
    "dose_response": (chapter.scenario(randomized=True), "dose_response", "cavg_ss"),
    "liu_c1": (chapter.scenario(0.0, responder_change=True), "naive", "cavg_c1"),
    "liu_trough_c1": (chapter.scenario(0.0, responder_change=True), "naive", "ctrough_c1"),
    "liu_ss": (chapter.scenario(0.0, responder_change=True), "naive", "cavg_ss"),
    "liu_trough_ss": (chapter.scenario(0.0, responder_change=True), "naive", "ctrough_ss"),
}


def _statsmodels_refit(sc, analysis, metric, n_trials=200, seed=2025):
    """Slope and 5%-level rejection of each replicate, refitted one by one with statsmodels Logit."""
    trials = er.simulate_trials(sc, n_trials, seed=seed)
    slopes, reject = [], []
    for r in range(n_trials):
        if analysis == "dose_response":
            X = np.log(trials.dose_level[r])[:, None]
        else:
            cols = [np.log(trials.metric(metric)[r])]
            if analysis == "adjusted":
                cols += [np.log(trials.albumin[r]), np.log(trials.weight[r])]
            X = np.column_stack(cols)
        fit = sm.Logit(trials.response[r].astype(float), sm.add_constant(X)).fit(disp=0, method="newton")
        slopes.append(fit.params[1])
        reject.append(fit.pvalues[1] < 0.05)
    return np.array(slopes), np.array(reject)


@pytest.mark.parametrize("key", list(ROWS))
def test_replicate_rows_refitted_with_statsmodels(key):
    slopes, reject = _statsmodels_refit(*ROWS[key])
    assert N[f"erc_{key}_mean"] == pytest.approx(slopes.mean(), rel=1e-7, abs=1e-9)
    assert N[f"erc_{key}_sig"] == pytest.approx(100 * reject.mean(), abs=1e-9)


def test_replicate_means_against_theory_and_truth():
    rows = chapter._rows()
    se = {k: r.mc_se for k, r in rows.items()}
    # (a) the spurious slope: the closed form within 3 MC SE plus the O(1/n) small-sample bias (4%)
    assert abs(N["erc_naive_ss_mean"] - _closed_form_slope()) < 3 * se["naive_ss"] + 0.04 * _closed_form_slope()
    assert N["erc_naive_ss_sig"] > 90 and N["erc_naive_c1_sig"] > 80
    # no confounding: slope 0 and about 5% significant (binomial SE of 200 trials: 1.5 points)
    null = chapter.replicates(0.0)
    assert within(N["erc_null_mean"], 0.0, null.mc_se) and abs(N["erc_null_sig"] - 5) < 3 * 1.55
    # (b) adjustment shrinks it but leaves residual confounding; a perfect marker removes it
    assert abs(N["erc_adjusted_mean"] - N["erc_approx_adjusted"]) < 3 * se["adjusted"] + 0.05
    assert N["erc_adjusted_mean"] < N["erc_naive_ss_mean"] - 3 * math.hypot(se["adjusted"], se["naive_ss"])
    assert within(N["erc_perfect_mean"], 0.0, se["perfect"])
    # (c) randomized doses: pooled E-R still biased (closed form), dose-response unbiased with 5% significance
    assert abs(N["erc_pooled_mean"] - N["erc_approx_pooled"]) < 3 * se["pooled"] + 0.02
    assert within(N["erc_dose_response_mean"], 0.0, se["dose_response"]) and abs(N["erc_dose_response_sig"] - 5) < 4.7
    # Liu: cycle-1 metrics unbiased, steady-state metrics steep
    for k in ("liu_c1", "liu_trough_c1"):
        assert within(N[f"erc_{k}_mean"], 0.0, se[k]) and N[f"erc_{k}_sig"] < 10
    assert N["erc_liu_ss_mean"] > 2 and N["erc_liu_ss_sig"] == 100.0 and N["erc_liu_trough_ss_sig"] == 100.0
    # the values the prose and alt texts show (seed 2025, 200 trials)
    shown = {k: round(N[f"erc_{k}_mean"], 2) for k in ROWS}
    assert shown == {"naive_ss": 1.57, "naive_c1": 2.35, "adjusted": 0.68, "perfect": 0.01, "pooled": 0.27,
                     "dose_response": -0.0, "liu_c1": 0.04, "liu_trough_c1": 0.03, "liu_ss": 3.66,
                     "liu_trough_ss": 3.06}
    sig = {k: round(N[f"erc_{k}_sig"], 1) for k in ROWS}
    assert sig == {"naive_ss": 99.5, "naive_c1": 92.5, "adjusted": 31.5, "perfect": 3.5, "pooled": 47.0,
                   "dose_response": 5.0, "liu_c1": 4.5, "liu_trough_c1": 4.5, "liu_ss": 100.0,
                   "liu_trough_ss": 100.0}


def _greedy_pairs(w_high, w_low, caliper=0.2):
    """Independent greedy 1:1 matching: all pairs sorted by distance, taken while both patients are free."""
    pairs = sorted((math.dist(a, b), i, j) for i, a in enumerate(w_high) for j, b in enumerate(w_low))
    used_h, used_l, out = set(), set(), []
    for dist, i, j in pairs:
        if dist > caliper:
            break
        if i not in used_h and j not in used_l:
            used_h.add(i)
            used_l.add(j)
            out.append((i, j))
    return out


def test_matching_numbers_by_an_independent_matcher():
    trials = er.simulate_trials(chapter.SCENARIO, chapter.N_MATCH, seed=2025)
    unmatched = []
    for r in range(chapter.N_MATCH):
        x, y = trials.metric("cavg_ss")[r], trials.response[r]
        order = np.argsort(x, kind="stable")
        low, high = order[:150], order[150:]
        a, b = y[high].sum(), (~y[high]).sum()
        c, d = y[low].sum(), (~y[low]).sum()
        unmatched.append(math.log(a * d / (b * c)))                    # no zero cells at these sizes
    assert N["erc_unmatched_mean"] == pytest.approx(np.mean(unmatched), rel=1e-12)
    for r in range(3):                                                 # the matched estimate of three trials
        x, y = trials.metric("cavg_ss")[r], trials.response[r]
        order = np.argsort(x, kind="stable")
        low, high = order[:150], order[150:]
        w = np.column_stack([np.log(trials.albumin[r]), np.log(trials.weight[r])])
        white = (w - w.mean(axis=0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(w, rowvar=False))).T
        pairs = _greedy_pairs(white[high].tolist(), white[low].tolist())
        b = sum(1 for i, j in pairs if y[high][i] and not y[low][j])
        c = sum(1 for i, j in pairs if not y[high][i] and y[low][j])
        b, c = (b + 0.5, c + 0.5) if min(b, c) == 0 else (b, c)
        fit = er.fit_exposure_response(trials, analysis="matched", replicate=r)
        assert fit.n == len(pairs) and fit.estimate == pytest.approx(math.log(b / c), rel=1e-12)
    assert N["erc_matched_mean"] < N["erc_unmatched_mean"] and N["erc_matched_pairs"] < 150
    assert (round(N["erc_unmatched_mean"], 2), round(N["erc_matched_mean"], 2), round(N["erc_matched_pairs"])) == (
        0.94, 0.38, 54)


# ---------------------------------------------------------------------------------------------- figures
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["groups_figure", "analyses_figure", "metrics_figure"])
def test_figures_render_without_missing_glyphs(name, lang):
    fig = getattr(chapter, name)(lang=lang)          # course_figure raises on a glyph no course font can draw
    fig.canvas.draw()
    plt.close(fig)


def test_forest_labels_show_the_shares():
    fig = chapter.analyses_figure("en")
    right = fig.axes[1]
    labels = [x.get_text() for x in right.get_yticklabels()]
    assert labels[0] == t("erc_forest_sig", "en", pct=f"{N['erc_naive_ss_sig']:.1f}")
    assert labels[-1] == t("erc_forest_sig", "en", pct=f"{N['erc_dose_response_sig']:.1f}")
    plt.close(fig)


def test_scenario_and_replicates_arguments():
    assert chapter.scenario(0.1, randomized=True).doses == (2.0, 10.0)
    assert chapter.scenario(perfect_marker=True).marker_reliability == 1.0
    assert chapter.replicates() is chapter.replicates(0.25, "naive", "cavg_ss")
    assert chapter.replicates(analysis="dose_response").analysis == "dose_response"
    with pytest.raises(ValueError, match="analysis must be one of"):
        chapter.replicates(analysis="matched")
    with pytest.raises(TypeError, match="randomized"):
        chapter.scenario(randomized="yes")
    with pytest.raises(ValueError, match="analysis must be one of"):
        chapter.widget_figure(0.25, "cl0", "cavg_ss", False)


# ---------------------------------------------------------------------------------------------- widget
def test_widget_fits_the_site_budget():
    w = chapter.widget
    assert [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts] == [60, 60]
    assert w.n_states == 120 <= widgets.MAX_STATES
    assert w.defaults == {"strength": 0.25, "analysis": "naive", "metric": "cavg_ss", "responder": False}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_default_state_is_the_static_example(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    assert f"{N['erc_naive_ss_mean']:.2f}" in text and f"{N['erc_naive_ss_sig']:.1f}" in text and "2025" in text
    alt = w.alt_text(1, lang, w.defaults)
    assert f"{N['erc_naive_ss_mean']:.2f}" in alt and "0.25" in alt
    fig = w.render(1, lang, w.defaults)
    fig.canvas.draw()
    plt.close(fig)


def test_widget_every_site_state_renders_its_text():
    w = chapter.widget
    seen = {}
    for key, values in w.part_states(0):
        text = w.render(0, "en", {**w.defaults, **values})
        rep = chapter.replicates(values["strength"], values["analysis"], values["metric"],
                                 responder_change=values["responder"])
        assert f"{100 * rep.rejection_rate:.1f}%" in text
        seen[key] = text
    assert len(seen) == 60
    # the randomized dose-response does not move with the strength (common random numbers)
    dr = {w.render(0, "en", {**w.defaults, "analysis": "dose_response", "strength": s}) for s in chapter.STRENGTHS}
    assert len(dr) == 1


def test_widget_figure_states_draw_in_chinese():
    # the corner settings draw (redraw speed is measured by benchmarks/bench_widgets.py, not here)
    w = chapter.widget
    for values in ({"strength": 0.0, "analysis": "naive", "metric": "cavg_c1", "responder": True},
                   {"strength": 0.5, "analysis": "dose_response", "metric": "cavg_ss", "responder": False}):
        fig = w.render(1, "zh-tw", {**w.defaults, **values})
        fig.set_dpi(widgets.SITE_DPI)
        fig.canvas.draw()
        plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="exposure_response"' in html
    assert f"{N['erc_naive_ss_mean']:.2f}" in html


# ---------------------------------------------------------------------------------------------- notebook alt texts
def _alts(lang):
    nb = json.loads((BOOK / lang / "register" / "exposure-response.ipynb").read_text(encoding="utf-8"))
    return {c["id"]: c["metadata"]["mystnb"]["image"]["alt"] for c in nb["cells"]
            if "mystnb" in c.get("metadata", {})}


@pytest.mark.parametrize("lang", LANGS)
def test_alt_texts_state_the_glued_numbers(lang):
    alts = _alts(lang)
    assert set(alts) == {"erc-10", "erc-15", "erc-18"}
    for k in ("erc_q1_rate", "erc_q4_rate", "erc_rq1_rate", "erc_rq4_rate", "erc_arm_low_rate", "erc_arm_high_rate"):
        assert f"{N[k]:.1f}%" in alts["erc-10"], k
    for k in ("naive_ss", "naive_c1", "adjusted", "pooled"):
        assert f"{N[f'erc_{k}_mean']:.2f}" in alts["erc-15"] and f"{N[f'erc_{k}_sig']:.1f}%" in alts["erc-15"], k
    for k in ("liu_ss", "liu_trough_ss"):
        assert f"{N[f'erc_{k}_mean']:.2f}" in alts["erc-18"], k
    assert f"{N['erc_liu_c1_sig']:.1f}%" in alts["erc-18"]


def test_probit_approximation_is_close_to_the_exact_logistic_normal_integral():
    # kappa = (1 + pi tau^2 / 8)^(-1/2) approximates logit E[expit(a + tau Z)] / a for small a (Zeger et al. 1988)
    tau2 = 1 - 0.0625 / N["erc_var_log_cl"]
    a = 0.01
    exact = stats.norm.expect(lambda z: 1 / (1 + math.exp(-(a + math.sqrt(tau2) * z))))
    assert math.log(exact / (1 - exact)) / a == pytest.approx(1 / math.sqrt(1 + math.pi * tau2 / 8), rel=0.02)
