"""Chapter "Seamless phase 2/3 designs": every glued number against a closed form, an independent computation or
R, the figures and the widget.

Sources of the expected numbers:
* Closed form of the naive test's type I error, FWER = 1 - Phi_K(z_{1-alpha}; rho = 1 - t/2) (the module docstring
  derives it), integrated here with scipy ``quad`` over the common factor, not with the module's rule; and the
  values R mvtnorm 1.1.3 ``pmvnorm`` gave for it (recorded in tests/test_seamless.py, calls there).
* Critical values: Bonferroni z_{1-alpha/K} by ``ndtri``; Dunnett and the exact selection-adjusted value checked
  with mvtnorm (tests/test_seamless.py, CRITICAL) and recomputed here by quad + brentq.
* An independent simulation written in this file (numpy, its own seed): stage-1 means of control and doses, the
  selected dose's stage-2 z, every test (the closed Dunnett p-value from a quad-tabulated Phi_3(x; 1/2), the Simes
  p-value by enumerating every intersection), the selection and the bias; compared within 3 Monte Carlo SE.
* R rpact 3.3.4 ``getSimulationMultiArmMeans`` for the example (calls below, 5e4 or 1e5 iterations).
* Closed forms: no selection for K = 1 (every test is the plain z-test, type I error alpha); the futility stop
  P(max of 3 equicorrelated(1/2) normals < 0) = 1/8 + 3 asin(1/2)/(4 pi) = 1/4; the global-null bias of the stage-1
  estimate E[max of K iid normals]/sqrt(n1), 1/sqrt(pi) (K = 2) and 3/(2 sqrt(pi)) (K = 3); the one-arm power
  Phi(delta sqrt(n/2) - z).
"""

import math
from itertools import combinations

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import integrate, optimize, special, stats

from dosecourse import seamless as sm
from dosecourse.chapters import seamless_designs as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
Z = float(special.ndtri(0.975))


def _max_sf(c, k, rho):
    """P(max of k standard normals with common correlation rho > c), by quad over the common factor."""
    if k == 1:
        return float(special.ndtr(-c))
    r, s = math.sqrt(rho), math.sqrt(1 - rho)
    f = lambda y: stats.norm.pdf(y) * -math.expm1(k * special.log_ndtr((c - r * y) / s))  # noqa: E731
    return integrate.quad(f, -12, 12, points=[c / r], epsabs=1e-14, epsrel=1e-12, limit=500)[0]


def _max_quantile(k, rho, alpha=0.025):
    return optimize.brentq(lambda c: _max_sf(c, k, rho) - alpha, 1.0, 4.0, xtol=1e-12)


# --- the naive test ---------------------------------------------------------------------------------------------

# R mvtnorm 1.1.3 (tests/test_seamless.py, MVTNORM_NAIVE): 1 - pmvnorm(upper = rep(qnorm(0.975), K), corr = S),
# S equicorrelated 0.75 (t = 0.5).
MVTNORM_T50 = {2: 0.04047793, 3: 0.05201843, 4: 0.06131639, 6: 0.07592698}


def test_naive_type_one_error_against_mvtnorm_and_quad():
    for k, r_value in MVTNORM_T50.items():
        assert N[f"sdc_naive_k{k}_t50"] / 100 == pytest.approx(r_value, abs=2e-6)
        assert N[f"sdc_naive_k{k}_t50"] / 100 == pytest.approx(_max_sf(Z, k, 0.75), abs=1e-11)
    for key, k, tt in (("sdc_naive_k3_t25", 3, 0.25), ("sdc_naive_k3_t75", 3, 0.75), ("sdc_naive_k6_t90", 6, 0.9),
                       ("sdc_ex1_fwer", 4, 0.3)):
        assert N[key] / 100 == pytest.approx(_max_sf(Z, k, 1 - tt / 2), abs=1e-11), key
    assert N["sdc_fwer_naive"] == pytest.approx(N["sdc_naive_k3_t50"], abs=1e-12)
    assert N["sdc_ratio_k4_t50"] == pytest.approx(N["sdc_naive_k4_t50"] / 2.5, rel=1e-12)
    assert N["sdc_ratio_k6_t90"] == pytest.approx(N["sdc_naive_k6_t90"] / 2.5, rel=1e-12)
    # K = 1: nothing is selected, the pooled z-test is exact.
    assert N["sdc_naive_k1"] == pytest.approx(2.5, abs=1e-12)
    assert (N["sdc_alpha"], N["sdc_z"]) == (2.5, pytest.approx(1.959963985, abs=1e-9))


def test_design_numbers():
    assert (N["sdc_k"], N["sdc_t"], N["sdc_n"], N["sdc_n1"], N["sdc_n2"]) == (3, 0.5, 200, 100, 100)
    assert N["sdc_total"] == 4 * 100 + 2 * 100 and N["sdc_rho"] == 0.75 and N["sdc_ex1_rho"] == 0.85
    assert (N["sdc_eff_low"], N["sdc_eff_mid"], N["sdc_eff_high"]) == (0.15, 0.30, 0.30)


def test_critical_values():
    assert N["sdc_crit_naive"] == pytest.approx(Z, abs=1e-12)
    assert N["sdc_crit_bonferroni"] == pytest.approx(float(special.ndtri(1 - 0.025 / 3)), abs=1e-12)
    # mvtnorm-checked (tests/test_seamless.py, CRITICAL): rho 0.5, K = 3 -> 2.3489761026; rho 0.75 -> 2.2781266535
    assert N["sdc_crit_dunnett"] == pytest.approx(2.3489761026, abs=1e-9)
    assert N["sdc_crit_exact"] == pytest.approx(2.2781266535, abs=1e-9)
    assert N["sdc_crit_exact"] == pytest.approx(_max_quantile(3, 0.75), abs=1e-8)
    assert N["sdc_ex1_crit_exact"] == pytest.approx(_max_quantile(4, 0.85), abs=1e-8)
    assert N["sdc_ex1_crit_bonferroni"] == pytest.approx(float(special.ndtri(1 - 0.025 / 4)), abs=1e-12)
    assert N["sdc_crit_naive"] < N["sdc_crit_exact"] < N["sdc_crit_dunnett"] < N["sdc_crit_bonferroni"]


def test_type_one_error_of_the_valid_tests_by_closed_form():
    # Pooled statistic against a critical value c: 1 - Phi_3(c; 0.75) (select-the-best is the worst case).
    assert N["sdc_fwer_bonferroni"] / 100 == pytest.approx(_max_sf(N["sdc_crit_bonferroni"], 3, 0.75), abs=1e-10)
    assert N["sdc_fwer_dunnett"] / 100 == pytest.approx(_max_sf(N["sdc_crit_dunnett"], 3, 0.75), abs=1e-10)
    assert N["sdc_fwer_exact"] == pytest.approx(2.5, abs=1e-9)
    # Closed Dunnett: the binding intersection's stage-1 p-value is uniform under the global null -> exactly alpha.
    assert N["sdc_fwer_closed_dunnett"] == pytest.approx(2.5, abs=1e-9)
    assert N["sdc_fwer_closed_bonferroni"] < 2.5 and N["sdc_fwer_bonferroni"] < N["sdc_fwer_dunnett"] < 2.5
    # Futility (z_f = 0) is non-binding: it can only lower the type I error; P(stop) = Phi_3(0; 1/2) = 1/4.
    assert N["sdc_fwer_naive_fut"] < N["sdc_fwer_naive"]
    assert N["sdc_stop_null"] / 100 == pytest.approx(1 / 8 + 3 * math.asin(0.5) / (4 * math.pi), abs=1e-12)


def test_powers_and_selection_by_closed_forms():
    oc = chapter.example_oc(chapter.EXAMPLE_EFFECTS)
    # one-arm power Phi(delta sqrt(n/2) - z): fixed design of 200 per arm at 0.30 SD; separate phase 3 of 100 per arm
    assert N["sdc_power_fixed"] / 100 == pytest.approx(special.ndtr(0.3 * 10 - Z), abs=1e-12)
    sep = sum(oc.selected[s] * special.ndtr(e * math.sqrt(50) - Z) for s, e in enumerate(chapter.EXAMPLE_EFFECTS))
    assert N["sdc_power_separate"] / 100 == pytest.approx(sep, abs=1e-12)
    assert N["sdc_power_gain"] == pytest.approx(N["sdc_power_closed_dunnett"] - N["sdc_power_separate"], abs=1e-9)
    assert N["sdc_power_loss"] == pytest.approx(N["sdc_power_fixed"] - N["sdc_power_closed_dunnett"], abs=1e-9)
    assert 0 < N["sdc_power_loss"] < 1
    assert N["sdc_sel_mid"] == pytest.approx(N["sdc_sel_high"], abs=1e-12)  # equal effects, equal chances
    assert N["sdc_sel_low"] + N["sdc_sel_mid"] + N["sdc_sel_high"] == pytest.approx(100, abs=1e-9)
    # A valid test can only lose power against the naive one; Dunnett's correlation 1/2 is below 1 - t/2.
    for m in ("bonferroni", "dunnett", "exact", "closed_dunnett", "closed_bonferroni", "simes"):
        assert N[f"sdc_power_{m}"] < N["sdc_power_naive"]
    assert N["sdc_power_bonferroni"] < N["sdc_power_dunnett"] < N["sdc_power_exact"]
    assert N["sdc_power_separate"] < N["sdc_power_bonferroni"]


def test_bias_closed_forms_under_the_null():
    n1 = 100
    assert N["sdc_bias1_null"] == pytest.approx(1.5 / math.sqrt(math.pi) / math.sqrt(n1), abs=1e-12)
    assert N["sdc_biasp_null"] == pytest.approx(0.5 * N["sdc_bias1_null"], abs=1e-15)
    assert N["sdc_bias2_k2"] == pytest.approx(1 / math.sqrt(math.pi) / math.sqrt(n1), abs=1e-12)
    # in units of their own SE: E[max of 3 iid N(0,1)] / sqrt(2) for stage 1; times sqrt(t) for the pooled estimate
    assert N["sdc_bias1_null_se"] == pytest.approx(1.5 / math.sqrt(math.pi) / math.sqrt(2), abs=1e-12)
    assert N["sdc_biasp_null_se"] == pytest.approx(N["sdc_bias1_null_se"] * math.sqrt(0.5), abs=1e-12)
    assert N["sdc_biasp_alt"] == pytest.approx(0.5 * N["sdc_bias1_alt"], abs=1e-15)
    assert N["sdc_biasp_alt_pct"] == pytest.approx(100 * N["sdc_biasp_alt"] / 0.3, rel=1e-12)
    assert N["sdc_bias1_low"] > N["sdc_bias1_high"] > 0  # a dose picked by luck is overestimated most
    assert N["sdc_bias1_fut"] > N["sdc_bias1_null"]  # conditioning on continuing adds bias


# --- an independent simulation of the example ------------------------------------------------------------------

def _phi3_sf_table():
    grid = np.linspace(-6, 7, 1301)
    return grid, np.array([_max_sf(float(x), 3, 0.5) for x in grid])


def _simes_p(p_row):
    k, best = p_row.size, int(np.argmin(p_row))
    out = 0.0
    for m in range(k):
        for extra in combinations([j for j in range(k) if j != best], m):
            q = np.sort(p_row[[best, *extra]])
            out = max(out, float(np.min(q.size * q / np.arange(1, q.size + 1))))
    return out


def _independent(effects, n_trials, seed, grid_sf, simes_trials=0):
    """Simulate the example from the stage-1 means (not the module's z construction)."""
    rng = np.random.default_rng(seed)
    n1, n2, tt = 100, 100, 0.5
    delta = np.zeros(3) if effects is None else np.asarray(effects, float)
    ctrl1 = rng.standard_normal(n_trials) / math.sqrt(n1)                     # mean of control, stage 1 (SD 1)
    arms1 = delta + rng.standard_normal((n_trials, 3)) / math.sqrt(n1)        # means of the doses, stage 1
    z1 = (arms1 - ctrl1[:, None]) / math.sqrt(2 / n1)
    sel = np.argmax(z1, axis=1)
    idx = np.arange(n_trials)
    ctrl2 = rng.standard_normal(n_trials) / math.sqrt(n2)
    arm2 = delta[sel] + rng.standard_normal(n_trials) / math.sqrt(n2)
    diff = (n1 * (arms1[idx, sel] - ctrl1) + n2 * (arm2 - ctrl2)) / (n1 + n2)  # pooled difference of means
    pooled = diff / math.sqrt(2 / (n1 + n2))
    z2 = (arm2 - ctrl2) / math.sqrt(2 / n2)
    x = z1[idx, sel]
    out = {}
    for m in ("naive", "bonferroni", "dunnett", "exact_adjusted"):
        out[m] = pooled > sm.critical_value(chapter.EXAMPLE, m)
    grid, sf = grid_sf
    p_dun = np.interp(x, grid, sf)
    p_bon = np.minimum(1, 3 * special.ndtr(-x))
    for m, p in (("closed_dunnett", p_dun), ("closed_bonferroni", p_bon)):
        zadj = -special.ndtri(np.clip(p, 1e-300, 1 - 1e-16))
        out[m] = math.sqrt(tt) * zadj + math.sqrt(1 - tt) * z2 >= Z
    res = {m: float(v.mean()) for m, v in out.items()}
    if simes_trials:
        p1 = special.ndtr(-z1[:simes_trials])
        zs = -special.ndtri(np.clip([_simes_p(row) for row in p1], 1e-300, 1 - 1e-16))
        res["closed_simes"] = float((math.sqrt(tt) * zs + math.sqrt(1 - tt) * z2[:simes_trials] >= Z).mean())
    res["selected"] = np.bincount(sel, minlength=3) / n_trials
    err1 = arms1[idx, sel] - ctrl1 - delta[sel]
    errp = diff - delta[sel]
    res["bias1"], res["bias1_se"] = float(err1.mean()), float(err1.std(ddof=1) / math.sqrt(n_trials))
    res["biasp"], res["biasp_se"] = float(errp.mean()), float(errp.std(ddof=1) / math.sqrt(n_trials))
    return res


@pytest.fixture(scope="module")
def grid_sf():
    return _phi3_sf_table()


@pytest.mark.parametrize("effects, seed, fwer_key", [(None, 501, "fwer"), (chapter.EXAMPLE_EFFECTS, 502, "power")])
def test_exact_numbers_agree_with_an_independent_simulation(effects, seed, fwer_key, grid_sf):
    n = 400_000
    sim = _independent(effects, n, seed, grid_sf, simes_trials=40_000)
    keys = {"naive": "naive", "bonferroni": "bonferroni", "dunnett": "dunnett", "exact_adjusted": "exact",
            "closed_dunnett": "closed_dunnett", "closed_bonferroni": "closed_bonferroni"}
    for m, key in keys.items():
        p = N[f"sdc_{fwer_key}_{key}"] / 100
        se = math.sqrt(p * (1 - p) / n)
        assert abs(sim[m] - p) <= 3 * se + 2e-5, (m, sim[m], p)  # 2e-5: the tabulated Dunnett p-value
    p = N[f"sdc_{fwer_key}_simes"] / 100
    se = math.sqrt(p * (1 - p) / 40_000 + p * (1 - p) / chapter.N_TRIALS)
    assert abs(sim["closed_simes"] - p) <= 3 * se, (sim["closed_simes"], p)
    if effects is None:
        assert abs(sim["bias1"] - N["sdc_bias1_null"]) <= 3 * sim["bias1_se"]
        assert abs(sim["biasp"] - N["sdc_biasp_null"]) <= 3 * sim["biasp_se"]
    else:
        assert abs(sim["bias1"] - N["sdc_bias1_alt"]) <= 3 * sim["bias1_se"]
        assert abs(sim["biasp"] - N["sdc_biasp_alt"]) <= 3 * sim["biasp_se"]
        sel = np.array([N["sdc_sel_low"], N["sdc_sel_mid"], N["sdc_sel_high"]]) / 100
        assert np.all(np.abs(sim["selected"] - sel) <= 3 * np.sqrt(sel * (1 - sel) / n))


def test_simes_simulation_settings():
    s = chapter.simes()
    assert (s.n_trials, s.seed) == (N["sdc_trials"], N["sdc_seed"]) == (200_000, 20261203)
    assert N["sdc_fwer_simes_se"] == pytest.approx(100 * math.sqrt(s.reject_any[0] * (1 - s.reject_any[0]) / 2e5))
    # Simes' intersection test is uniformly more powerful than Bonferroni's and keeps alpha
    assert N["sdc_fwer_closed_bonferroni"] - 3 * N["sdc_fwer_simes_se"] <= N["sdc_fwer_simes"]
    assert N["sdc_fwer_simes"] <= 2.5 + 3 * N["sdc_fwer_simes_se"]


# --- rpact 3.3.4 ------------------------------------------------------------------------------------------------
# R 4.x, rpact 3.3.4, the chapter's example (K = 3, t = 0.5, 200 per arm):
#   design <- getDesignInverseNormal(kMax = 2, alpha = 0.025, typeOfDesign = "noEarlyEfficacy",
#                                    informationRates = c(0.5, 1))
#   getSimulationMultiArmMeans(design = design, activeArms = 3, effectMatrix = matrix(EFF, nrow = 1),
#       typeOfShape = "userDefined", plannedSubjects = c(100, 200), intersectionTest = TEST,
#       typeOfSelection = "best", effectMeasure = "effectEstimate", threshold = -Inf, stDev = 1,
#       maxNumberOfIterations = N, seed = SEED)$rejectAtLeastOne
RPACT_EXAMPLE = {
    # key of numbers(): (TEST, EFF, N, SEED, $rejectAtLeastOne as printed by sprintf("%.6f"))
    "sdc_power_closed_dunnett": ("Dunnett", "c(0.15, 0.3, 0.3)", 50_000, 20258, 0.842840),
    "sdc_fwer_simes": ("Simes", "c(0, 0, 0)", 100_000, 20259, 0.022250),
    "sdc_power_simes": ("Simes", "c(0.15, 0.3, 0.3)", 50_000, 20260, 0.833920),
}


@pytest.mark.parametrize("key", sorted(RPACT_EXAMPLE))
def test_example_agrees_with_rpact(key):
    _, _, n_r, _, p_r = RPACT_EXAMPLE[key]
    ours = N[key] / 100
    se_ours = math.sqrt(ours * (1 - ours) / chapter.N_TRIALS) if "simes" in key else 0.0  # ours simulated too
    assert abs(ours - p_r) <= 3 * math.sqrt(p_r * (1 - p_r) / n_r + se_ours ** 2)


# --- figures ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_fwer_figure(lang):
    fig = chapter.fwer_figure(lang)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == t("sdc_fig_title", lang)
    assert len(ax.get_lines()) == len(chapter.CURVE_ARMS) + 2  # curves, alpha line, example dot
    k3 = ax.get_lines()[1 + chapter.CURVE_ARMS.index(3)]
    assert np.interp(0.5, k3.get_xdata(), k3.get_ydata()) == pytest.approx(N["sdc_naive_k3_t50"], abs=0.01)
    assert any(f"{N['sdc_naive_k3_t50']:.2f}" in x.get_text() for x in ax.texts)
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_methods_table(lang):
    frame = chapter.methods_table(lang)
    assert frame.shape == (len(sm.METHODS), 5) and frame.attrs == {"n_trials": 200_000, "seed": 20261203}
    fw, pw = frame.iloc[:, 2].to_numpy(), frame.iloc[:, 3].to_numpy()
    assert fw[0] == pytest.approx(N["sdc_fwer_naive"]) and fw[-1] == pytest.approx(N["sdc_fwer_simes"])
    assert pw[4] == pytest.approx(N["sdc_power_closed_dunnett"]) and pw[-1] == pytest.approx(N["sdc_power_simes"])


# --- widget -----------------------------------------------------------------------------------------------------

def test_widget_fits_the_site_budget():
    w = chapter.widget
    assert w.n_states == 120 and w.n_states <= widgets.MAX_STATES
    assert all(int(np.prod([len(w.control(d).values) for d in p.depends])) == 60 for p in w.parts)
    assert w.defaults == {"n_arms": 3, "info_fraction": 0.5, "futility": False}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_default_is_the_example(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    for key in ("sdc_fwer_naive", "sdc_fwer_bonferroni", "sdc_fwer_dunnett", "sdc_fwer_closed_bonferroni",
                "sdc_bias1_null_se", "sdc_biasp_null_se"):
        assert f"{N[key]:.2f}" in text, key
    alt = w.alt_text(1, lang, w.defaults)
    assert f"{N['sdc_fwer_naive']:.2f}%" in alt
    fut = w.render(0, lang, {**w.defaults, "futility": True})
    assert f"{N['sdc_fwer_naive_fut']:.2f}" in fut and f"{N['sdc_stop_null']:.1f}" in fut


def test_widget_every_state_renders_and_k1_is_alpha():
    # every site state draws in both languages (redraw speed is measured by benchmarks/bench_widgets.py)
    w = chapter.widget
    for lang in LANGS:
        for _key, values in w.part_states(1):
            fig = w.render(1, lang, values)
            if values["n_arms"] == 1 and not values["futility"]:
                assert fig.axes[0].texts[-1].get_text() == "2.50%"  # the naive test, top bar: no selection
            plt.close(fig)
            text = w.render(0, lang, values)
            assert "%" in text


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("zh-tw")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="seamless_designs"' in html
    assert f"{N['sdc_fwer_naive']:.2f}" in html


def test_figure_alt_text_numbers():
    # The alt text of the figure (both notebooks) states the curves at t = 0.5 and near t = 1 (t = 0.99).
    assert [round(100 * sm.naive_fwer(k, 0.5), 2) for k in (2, 3, 4, 6)] == [4.05, 5.20, 6.13, 7.59]
    assert [round(100 * sm.naive_fwer(k, 0.99), 1) for k in (2, 3, 4, 6)] == [4.5, 6.3, 7.8, 10.3]
