"""Chapter "Model-informed dosing": every glued number against a hand calculation or an independent computation,
the figures, the table and the widget.

Sources of the expected numbers:
* Closed forms: Cavg,ss = F D / (CL tau) (Rowland & Tozer); CL_i = CL_ref (WT/WT_ref)^theta exp(eta) with the
  published estimates (Ahamadi 2017 Table 3: CL 0.22 L/day, theta 0.595, WT_ref 76.8 kg, omega^2 0.134; Bajaj 2017
  Table 1: CL 0.00940 L/h, theta 0.566, WT_ref 80 kg, Emax -0.295, T50 1410 h, Hill 3.15).  Typed here by hand, not
  read from the package.
* Independent individual parameters: recomputed below from each virtual patient's covariates and random effects
  with the covariate equations typed by hand.
* Independent steady state: the periodic solution of the linear two-compartment system by matrix exponentials
  (scipy.linalg.expm), x_ss = (I - e^{M tau})^{-1} x(tau | one dose from zero).
* Independent first month of nivolumab: scipy.integrate.solve_ivp (LSODA) on a stacked system coded here, with the
  time-varying clearance CL(t) = CL0 exp(Emax t^h / (T50^h + t^h)).
* Published values: Freshwater 2017 abstract (1.87 and 1.38 mg*day/mL); Lala 2020 abstract (Cavg,ss about +1%,
  Cmax,ss about -65% vs 10 mg/kg Q2W); Zhao 2020 abstract (+26.8%, +5.2%, +110.4%, -22.1%).
"""

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.integrate import solve_ivp
from scipy.linalg import expm
from scipy.stats import lognorm

from dosecourse.chapters import model_informed_dosing as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
T_INF = 0.5 / 24


def gm(x):
    return float(np.exp(np.mean(np.log(x))))


def pct(a, b):
    return 100 * (gm(a) / gm(b) - 1)


# ------------------------------------------------------------------------------------------------ hand-typed models
def pembro_params():
    """Individual pembrolizumab parameters (L, L/day) from the virtual patients' weights and etas (Ahamadi 2017)."""
    pop = chapter.population("pembrolizumab")
    wt = np.asarray(pop.covariates["WT"])
    e = np.asarray(pop.etas)
    s_cl, s_v = (wt / 76.8) ** 0.595, (wt / 76.8) ** 0.489   # other covariates at reference: factor 1
    return {"wt": wt, "cl": 0.22 * s_cl * np.exp(e[:, 0]), "q": 0.795 * s_cl * np.exp(e[:, 0]),
            "v1": 3.48 * s_v * np.exp(e[:, 1]), "v2": 4.06 * s_v * np.exp(e[:, 1])}


def nivo_params():
    """Individual nivolumab parameters (per day) from the virtual patients' covariates and etas (Bajaj 2017)."""
    pop = chapter.population("nivolumab")
    c = {k: np.asarray(v) for k, v in pop.covariates.items()}
    e = np.asarray(pop.etas)
    cl = (0.00940 * 24 * (c["WT"] / 80) ** 0.566 * (c["EGFR"] / 90) ** 0.186 * np.exp(0.165 * c["SEX_MALE"])
          * np.exp(0.172 * c["ECOG_GE1"]) * np.exp(-0.125 * c["RACE_ASIAN"]) * np.exp(e[:, 0]))
    v1 = 3.63 * (c["WT"] / 80) ** 0.597 * np.exp(0.152 * c["SEX_MALE"]) * np.exp(e[:, 1])
    return {"wt": c["WT"], "cl": cl, "v1": v1, "q": np.full(cl.size, 0.0321 * 24), "v2": 2.78 * np.exp(e[:, 2]),
            "emax": -0.295 + e[:, 3], "t50": 1410 / 24, "hill": 3.15}


def ss_expm(p, dose, tau, cl=None):
    """Steady-state trough and peak (end of a 30-min infusion) of every subject, by matrix exponentials."""
    cl = p["cl"] if cl is None else cl
    n = cl.size
    trough, peak = np.empty(n), np.empty(n)
    for i in range(n):
        k10, k12, k21 = cl[i] / p["v1"][i], p["q"][i] / p["v1"][i], p["q"][i] / p["v2"][i]
        m = np.array([[-(k10 + k12), k21], [k12, -k21]])
        b = np.array([dose[i] / T_INF, 0.0])
        e_t = expm(m * T_INF)
        x_inf = np.linalg.solve(m, (e_t - np.eye(2)) @ b)          # after one infusion, from zero
        e_rest = expm(m * (tau - T_INF))
        x0 = np.linalg.solve(np.eye(2) - e_rest @ e_t, e_rest @ x_inf)   # periodic state at the dose time
        trough[i] = x0[0] / p["v1"][i]
        peak[i] = (e_t @ x0 + x_inf)[0] / p["v1"][i]
    return trough, peak


# ------------------------------------------------------------------------------------------------ closed forms
def test_typical_patient_and_crossing_weights_by_hand():
    # 200 / (0.22 x 21) = 43.290 mg/L; 2 x 76.8 = 153.6 mg -> 33.247 mg/L
    assert N["mid_cavg_typ_200q3w"] == pytest.approx(43.2900433, abs=1e-6)
    assert N["mid_cavg_typ_2q3w"] == pytest.approx(33.2467532, abs=1e-6)
    # 200 mg = 2 mg/kg x 100 kg; 480/28 = 3 WT/14 -> 80 kg; 240 = 3 x 80
    assert (N["mid_cross_wt_pembro"], N["mid_cross_wt_nivo_flat"]) == (100.0, 80.0)
    assert N["mid_cross_wt_nivo_q4w"] == pytest.approx(80.0, abs=1e-12)
    # 480/(6 WT) - 1: +60% at 50 kg, -33.3% at 120 kg
    assert N["mid_nivo_cavgss_50kg_pct"] == pytest.approx(60.0)
    assert N["mid_nivo_cavgss_120kg_pct"] == pytest.approx(-100 / 3)
    assert (N["mid_cl_pembro"], N["mid_theta_pembro"], N["mid_theta_nivo"], N["mid_ref_wt_pembro"]) == \
        (0.22, 0.595, 0.566, 76.8)
    # nivolumab: 0.00940 L/h x 24 = 0.2256 L/day; 1 - exp(-0.295) = 25.55%; T50 1410 h / 24 = 58.75 days
    assert N["mid_nivo_cl0"] == pytest.approx(0.2256, abs=1e-12)
    assert N["mid_nivo_cl_fall_pct"] == pytest.approx(100 * (1 - math.exp(-0.295)), abs=1e-9)
    assert N["mid_nivo_t50"] == pytest.approx(58.75, abs=1e-12)


def test_weight_share_and_heavy_patients_by_hand():
    s2 = math.log(1 + (19.3 / 76.8) ** 2)
    assert N["mid_sigma_logwt"] == pytest.approx(math.sqrt(s2), abs=1e-12)
    flat, perkg = 0.595 ** 2 * s2, 0.405 ** 2 * s2
    assert N["mid_share_flat"] == pytest.approx(100 * flat / (flat + 0.134), abs=1e-9)    # 13.93%
    assert N["mid_share_perkg"] == pytest.approx(100 * perkg / (perkg + 0.134), abs=1e-9)  # 6.97%
    # the virtual population agrees within sampling error (R^2 of 1000 patients, SE about 2 points)
    assert abs(N["mid_share_flat_sim"] - N["mid_share_flat"]) < 5
    assert abs(N["mid_share_perkg_sim"] - N["mid_share_perkg"]) < 5
    # P(WT >= 100 kg) for a log-normal with mean 76.8 and SD 19.3 (scipy.stats.lognorm): 11.69%
    mu = math.log(76.8) - s2 / 2
    assert N["mid_p_over100_lognormal"] == pytest.approx(100 * lognorm.sf(100, math.sqrt(s2), scale=math.exp(mu)),
                                                          abs=1e-9)
    wt = pembro_params()["wt"]
    assert N["mid_p_over100_sim"] == pytest.approx(100 * np.mean(wt >= 100), abs=1e-12)
    assert abs(N["mid_p_over100_sim"] - N["mid_p_over100_lognormal"]) < 3   # binomial SE about 1 point
    assert N["mid_gm_wt_pembro"] == pytest.approx(gm(wt), rel=1e-12)


# ------------------------------------------------------------------------------------------------ pembrolizumab
def test_pembrolizumab_average_exposures_recomputed_independently():
    p = pembro_params()
    cav = {"200q3w": 200 / (p["cl"] * 21), "2q3w": 2 * p["wt"] / (p["cl"] * 21), "400q6w": 400 / (p["cl"] * 42),
           "800q12w": 800 / (p["cl"] * 84)}
    assert N["mid_gm_cavg_200q3w"] == pytest.approx(gm(cav["200q3w"]), rel=1e-9)
    assert N["mid_gm_cavg_2q3w"] == pytest.approx(gm(cav["2q3w"]), rel=1e-9)
    assert N["mid_flat_vs_perkg_pct"] == pytest.approx(pct(cav["200q3w"], cav["2q3w"]), abs=1e-7)
    # per patient the ratio is 100/WT, so the ratio of geometric means is 100/GM(WT)
    assert N["mid_flat_vs_perkg_pct"] == pytest.approx(100 * (100 / gm(p["wt"]) - 1), abs=1e-7)
    assert N["mid_q6w_cavg_pct"] == pytest.approx(0.0, abs=1e-9)
    assert N["mid_q12w_cavg_pct"] == pytest.approx(0.0, abs=1e-9)
    for key in ("200q3w", "2q3w"):
        x = cav[key]
        assert N[f"mid_auc6w_{key}"] == pytest.approx(np.mean(x * 42) / 1000, rel=1e-9)
        assert N[f"mid_cv_cavg_{key}"] == pytest.approx(100 * np.std(x) / np.mean(x), rel=1e-9)
    assert N["mid_auc_ratio_course"] == pytest.approx(np.mean(cav["200q3w"]) / np.mean(cav["2q3w"]), rel=1e-9)
    assert N["mid_auc_ratio_published"] == pytest.approx(1.87 / 1.38, rel=1e-12)
    assert N["mid_auc_excess_pct"] == pytest.approx(100 * (np.mean(cav["200q3w"] * 42) / 1000 / 1.87 - 1), rel=1e-9)


def test_pembrolizumab_troughs_and_peaks_by_matrix_exponentials():
    p = pembro_params()
    wt = p["wt"]
    n = wt.size
    res = {}
    for key, dose, tau in (("200q3w", np.full(n, 200.0), 21.0), ("2q3w", 2 * wt, 21.0),
                           ("400q6w", np.full(n, 400.0), 42.0), ("10q2w", 10 * wt, 14.0),
                           ("800q12w", np.full(n, 800.0), 84.0)):
        res[key] = ss_expm(p, dose, tau)
    tr = {k: v[0] for k, v in res.items()}
    pk = {k: v[1] for k, v in res.items()}
    for key in ("200q3w", "2q3w", "400q6w", "800q12w"):
        assert N[f"mid_gm_cmin_{key}"] == pytest.approx(gm(tr[key]), rel=1e-7)
    for key in ("400q6w", "200q3w", "10q2w", "800q12w"):
        assert N[f"mid_gm_cmax_{key}"] == pytest.approx(gm(pk[key]), rel=1e-7)
    assert N["mid_q6w_cmin_pct"] == pytest.approx(pct(tr["400q6w"], tr["200q3w"]), abs=1e-5)
    assert N["mid_q6w_cmin_vs_2q3w_pct"] == pytest.approx(pct(tr["400q6w"], tr["2q3w"]), abs=1e-5)
    assert N["mid_q6w_cmax_pct"] == pytest.approx(pct(pk["400q6w"], pk["200q3w"]), abs=1e-5)
    assert N["mid_q6w_cmax_vs_10q2w_pct"] == pytest.approx(pct(pk["400q6w"], pk["10q2w"]), abs=1e-5)
    assert N["mid_q12w_cmin_vs_2q3w_pct"] == pytest.approx(pct(tr["800q12w"], tr["2q3w"]), abs=1e-5)
    assert N["mid_q12w_cmax_vs_10q2w_pct"] == pytest.approx(pct(pk["800q12w"], pk["10q2w"]), abs=1e-5)
    p5 = np.percentile(tr["2q3w"], 5)
    assert N["mid_p5_cmin_2q3w"] == pytest.approx(p5, rel=1e-7)
    assert N["mid_q6w_below_p5_pct"] == pytest.approx(100 * np.mean(tr["400q6w"] < p5), abs=1e-9)
    assert N["mid_q12w_below_p5_pct"] == pytest.approx(100 * np.mean(tr["800q12w"] < p5), abs=1e-9)
    cav2, cav6 = 2 * wt / (p["cl"] * 21), 400 / (p["cl"] * 42)
    assert N["mid_q6w_cavg_below_p5_pct"] == pytest.approx(100 * np.mean(cav6 < np.percentile(cav2, 5)), abs=1e-9)
    assert N["mid_max_cmax_400q6w"] == pytest.approx(pk["400q6w"].max(), rel=1e-7)
    assert N["mid_p5_cmax_10q2w"] == pytest.approx(np.percentile(pk["10q2w"], 5), rel=1e-7)


def test_pembrolizumab_against_the_published_numbers():
    # Freshwater 2017: ratio 1.87/1.38 = 1.355 of means; the course's ratio (same patients) within 2%.
    assert N["mid_auc_ratio_course"] == pytest.approx(N["mid_auc_ratio_published"], rel=0.02)
    # the course's level is higher (covariates at reference), by less than 15%
    assert 0 < N["mid_auc_excess_pct"] < 15
    # Lala 2020: Cmax,ss of 400 mg Q6W about 65% below 10 mg/kg Q2W
    assert N["mid_q6w_cmax_vs_10q2w_pct"] == pytest.approx(-65, abs=3)
    # the same CV within 1 point, flat and per kg (Freshwater: 37% and 38%)
    assert abs(N["mid_cv_cavg_200q3w"] - N["mid_cv_cavg_2q3w"]) < 1


# ------------------------------------------------------------------------------------------------ nivolumab
def test_nivolumab_steady_state_by_matrix_exponentials():
    p = nivo_params()
    cl_inf = p["cl"] * np.exp(p["emax"])          # limiting clearance of the time-varying model
    wt = p["wt"]
    cav = {"3q2w": 3 * wt / (cl_inf * 14), "240q2w": 240 / (cl_inf * 14), "480q4w": 480 / (cl_inf * 28)}
    assert N["mid_nivo_cavgss_pct"] == pytest.approx(pct(cav["480q4w"], cav["3q2w"]), abs=1e-7)
    assert N["mid_nivo_flat_cavgss_pct"] == pytest.approx(pct(cav["240q2w"], cav["3q2w"]), abs=1e-7)
    assert N["mid_nivo_cavgss_pct"] == pytest.approx(100 * (80 / gm(wt) - 1), abs=1e-7)   # 80/GM(WT)
    assert N["mid_gm_wt_nivo"] == pytest.approx(gm(wt), rel=1e-12)
    assert N["mid_wt_mean_nivo"] == pytest.approx(np.mean(wt), rel=1e-12)
    assert N["mid_nivo_implied_gm_wt"] == pytest.approx(80 / 1.052, rel=1e-12)
    _, pk480 = ss_expm(p, np.full(wt.size, 480.0), 28.0, cl=cl_inf)
    _, pk10 = ss_expm(p, 10 * wt, 14.0, cl=cl_inf)
    assert N["mid_nivo_cmaxss_vs_10q2w_pct"] == pytest.approx(pct(pk480, pk10), abs=1e-5)


def _first_month(p, dose, tau):
    """Cavg over days 0-28, Cmax after the first dose and the trough on day 28, by solve_ivp (stacked system)."""
    n = dose.size
    cl0, v1, q, v2, emax = p["cl"], p["v1"], p["q"], p["v2"], p["emax"]

    def rhs(tt, y, rate):
        a1, a2 = y[:n], y[n:2 * n]
        frac = 0.0 if tt <= 0 else tt ** p["hill"] / (p["t50"] ** p["hill"] + tt ** p["hill"])
        c = a1 / v1
        cl = cl0 * np.exp(emax * frac)
        return np.concatenate([rate - cl * c - q * c + q * a2 / v2, q * c - q * a2 / v2, c])

    y = np.zeros(3 * n)
    doses = np.arange(0.0, 28.0, tau)
    cmax1 = None
    for d0 in doses:
        for (a, b, rate) in ((d0, d0 + T_INF, dose / T_INF), (d0 + T_INF, d0 + tau, np.zeros(n))):
            sol = solve_ivp(rhs, (a, b), y, method="LSODA", rtol=1e-10, atol=1e-10, args=(rate,))
            y = sol.y[:, -1]
            if cmax1 is None:
                cmax1 = y[:n] / v1          # end of the first infusion: the peak of a two-compartment infusion
    return y[2 * n:] / 28.0, cmax1, y[:n] / v1


def test_nivolumab_first_month_by_an_independent_ode():
    p = nivo_params()
    wt = p["wt"]
    new = _first_month(p, np.full(wt.size, 480.0), 28.0)
    ref = _first_month(p, 3 * wt, 14.0)
    for key, i in (("mid_nivo_cavg28_pct", 0), ("mid_nivo_cmax1_pct", 1), ("mid_nivo_cmin28_pct", 2)):
        assert N[key] == pytest.approx(pct(new[i], ref[i]), abs=1e-3), key


def test_nivolumab_against_zhao_2020():
    # Zhao 2020 abstract (3,203 patients): +26.8%, +5.2%, +110.4%, -22.1%; the course within 3 points.
    for key, pub in (("cavg28", 26.8), ("cavgss", 5.2), ("cmax1", 110.4), ("cmin28", -22.1)):
        assert N[f"mid_pub_nivo_{key}_pct"] == pub
        assert abs(N[f"mid_nivo_{key}_pct"] - pub) < 3, key
    assert N["mid_nivo_n_published"] == 3203
    assert (N["mid_pub_auc6w_200q3w"], N["mid_pub_auc6w_2q3w"], N["mid_theta_freshwater"]) == (1.87, 1.38, 0.578)


def test_population_settings():
    assert (N["mid_n"], N["mid_seed"]) == (1000, 2025)
    wt = pembro_params()["wt"]
    assert N["mid_wt_p5"] == pytest.approx(np.percentile(wt, 5))
    assert N["mid_wt_p95"] == pytest.approx(np.percentile(wt, 95))
    # log-normal weights with mean 76.8 and SD 19.3: the sample mean within 3 SE (SE = 0.61 kg)
    assert abs(wt.mean() - 76.8) < 3 * 19.3 / math.sqrt(1000)
    assert (N["mid_wt_mean_pembro"], N["mid_wt_sd_pembro"], N["mid_omega_cl_pembro"]) == (76.8, 19.3, 0.134)
    assert chapter.population("pembrolizumab") is chapter.population("pembrolizumab")


# ------------------------------------------------------------------------------------------------ helpers, errors
def test_helpers_and_errors():
    assert chapter.geometric_mean(np.array([1.0, 100.0])) == pytest.approx(10.0)
    assert chapter.pct_difference(np.array([2.0, 8.0]), np.array([2.0, 2.0])) == pytest.approx(100.0)
    assert chapter.REGIMENS["pembro_2q3w"].label == "2 mg/kg Q3W" and chapter.REGIMENS["nivo_480q4w"].tau == 28.0
    with pytest.raises(ValueError, match="key"):
        chapter.steady_state("pembro_300q3w")
    with pytest.raises(ValueError, match="pair"):
        chapter.exposure_weight_figure("pembro_none")
    with pytest.raises(ValueError, match="metric"):
        chapter.band_summary("pembro_flat", "auc", "all")
    with pytest.raises(ValueError, match="band"):
        chapter.band_text("pembro_flat", "cavg", "heavy")
    with pytest.raises(ValueError, match="drug"):
        chapter.population("atezolizumab")
    with pytest.raises(ValueError, match="28 days"):
        chapter.first_month("pembro_200q3w")
    bands = [chapter.band_summary("nivo_q4w", "cavg", b)["n"] for b in ("lt60", "60to100", "gt100")]
    assert sum(bands) == chapter.band_summary("nivo_q4w", "cavg", "all")["n"] == 1000


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_table(lang):
    tab = chapter.comparison_table(lang)
    assert tab.shape == (8, 4)
    assert tab.iloc[0, 1] == f"{N['mid_auc6w_200q3w']:.2f}" and tab.iloc[0, 2] == "1.87"
    assert tab.iloc[7, 2] == "-22.1%" and tab.columns[0] == t("mid_col_quantity", lang)


# ------------------------------------------------------------------------------------------------ figures, widget
@pytest.mark.parametrize("lang", LANGS)
def test_figures_render_in_both_languages(lang):
    # course_figure raises on any character no course font can draw
    fig = chapter.profiles_figure(lang)
    fig.canvas.draw()
    assert len(fig.axes) == 2 and len(fig.axes[0].get_lines()) == 6
    plt.close(fig)
    fig = chapter.exposure_weight_figure("pembro_flat", "cavg", "all", lang)
    fig.canvas.draw()
    assert [h.get_text() for h in fig.axes[0].get_legend().get_texts()] == ["200 mg Q3W", "2 mg/kg Q3W"]
    assert "2025" in fig.get_suptitle()
    plt.close(fig)


def test_widget_budget_and_defaults():
    w = chapter.widget
    assert w.n_states == 96 and w.n_states <= widgets.MAX_STATES
    assert [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts] == [48, 48]
    assert w.defaults == {"pair": "pembro_q6w", "metric": "cmin", "band": "all"}
    w("en", pair="nivo_q4w", band="lt60")   # the "try this" settings are site values


@pytest.mark.parametrize("lang", LANGS)
def test_widget_renders_every_site_state(lang):
    # (redraw speed is measured by benchmarks/bench_widgets.py, not here)
    w = chapter.widget
    for key, values in w.part_states(0):
        text = w.render(0, lang, values)
        assert "mg/L" in text, key
    for _key, values in w.part_states(1):
        fig = w.render(1, lang, values)
        assert w.alt_text(1, lang, values)
        plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_widget_default_matches_the_prose(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    s = chapter.band_summary("pembro_q6w", "cmin", "all")
    assert f"{s['pct']:+.1f}" in text and f"{N['mid_q6w_cmin_pct']:+.1f}" in text
    assert "400 mg Q6W" in w.alt_text(1, lang, w.defaults)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="model_informed_dosing"' in html
