"""Chapter "Was the lower dose enough?": every glued number against a published value, a closed form, R rpact or
an independent computation, the figures, the table and the widget.

Sources of the expected numbers:
* Published: Study 211 (Brose, J Clin Endocrinol Metab 2022;107:776, read from dosecourse/data/
  lenvatinib_study211.json): odds ratio 0.50 (95% CI 0.26-0.96), margin 0.4, 77 and 75 patients; ASCEND-8 (Cho,
  J Thorac Oncol 2019;14:1255, abstract): ORR 78.1% (66.9-86.9) of 73 and 75.7% (64.3-84.9) of 74, dose
  reductions 24.1% and 60.9%; sotorasib and sonidegib from dosecourse/data/expansion_cases.json.
* R rpact 3.3.4, calls in the comments (run for this chapter on 2026-12-03).
* Independent computations with scipy: the Farrington-Manning restricted MLE by a vectorised golden-section
  search of the constrained binomial likelihood (not the module's closed-form cubic), the exact rejection
  probability from it, Clopper-Pearson intervals from the beta distribution, and closed forms written out here.
"""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import special, stats

from dosecourse import dose_comparison as dc
from dosecourse import expansion_cases as cases
from dosecourse.chapters import lower_dose_enough as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
Z975 = float(special.ndtri(0.975))
BOOK = Path(__file__).resolve().parents[2] / "book"
PAGE = "register/lower-dose-enough.ipynb"


# --- an independent Farrington-Manning test (golden-section MLE, no cubic) ---------------------------------------

def _restricted_mle(xl, nl, xh, nh, theta0, iters=90):
    """Maximise the binomial log-likelihood over p_H with p_L = p_H + theta0, for arrays of outcomes.

    The log-likelihood is concave in p_H, so a golden-section search converges to the maximum.
    """
    xl, xh = np.broadcast_arrays(np.asarray(xl, float), np.asarray(xh, float))
    lo = np.full(xl.shape, max(0.0, -theta0) + 1e-13)
    hi = np.full(xl.shape, min(1.0, 1.0 - theta0) - 1e-13)

    def ll(ph):
        pl = ph + theta0
        return (special.xlogy(xl, pl) + special.xlog1py(nl - xl, -pl)
                + special.xlogy(xh, ph) + special.xlog1py(nh - xh, -ph))

    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = ll(a), ll(b)
    for _ in range(iters):
        left = fa > fb
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        fa, fb = ll(a), ll(b)
    ph = (lo + hi) / 2
    return ph + theta0, ph


def _fm_z(xl, nl, xh, nh, margin):
    ql, qh = _restricted_mle(xl, nl, xh, nh, -margin)
    pl, ph = np.asarray(xl) / nl, np.asarray(xh) / nh
    return (pl - ph + margin) / np.sqrt(ql * (1 - ql) / nl + qh * (1 - qh) / nh)


def _exact_power(pl, ph, margin, nl, nh):
    xl, xh = np.meshgrid(np.arange(nl + 1), np.arange(nh + 1), indexing="ij")
    reject = _fm_z(xl, nl, xh, nh, margin) > Z975
    w = np.outer(stats.binom.pmf(np.arange(nl + 1), nl, pl), stats.binom.pmf(np.arange(nh + 1), nh, ph))
    return float((w * reject).sum())


# --- published numbers -----------------------------------------------------------------------------------------

def test_study211_reproduces_the_published_result():
    data = dc.load_study211()
    assert (N["lde_s211_n_lo"], N["lde_s211_n_hi"], N["lde_s211_n"]) == (77, 75, 152)
    assert (N["lde_s211_x_lo"], N["lde_s211_x_hi"]) == (31, 43)
    assert round(N["lde_s211_orr_lo"], 1) == data["arms"]["low"]["orr_percent"] == 40.3
    assert round(N["lde_s211_orr_hi"], 1) == data["arms"]["high"]["orr_percent"] == 57.3
    # odds ratio 0.50 (0.26-0.96) as published; by hand: (31 x 32) / (46 x 43), Woolf SE
    or_hat = 31 * 32 / (46 * 43)
    se = math.sqrt(1 / 31 + 1 / 46 + 1 / 43 + 1 / 32)
    assert N["lde_s211_or"] == pytest.approx(or_hat, rel=1e-12)
    assert (N["lde_s211_or_lo"], N["lde_s211_or_hi"]) == pytest.approx(
        (or_hat * math.exp(-Z975 * se), or_hat * math.exp(Z975 * se)), rel=1e-12)
    assert [round(N[k], 2) for k in ("lde_s211_or", "lde_s211_or_lo", "lde_s211_or_hi")] == [0.50, 0.26, 0.96]
    assert N["lde_s211_or_margin"] == 0.4 and N["lde_s211_or_lo"] < 0.4  # non-inferiority not shown
    assert N["lde_s211_or_p"] == pytest.approx(stats.norm.sf((math.log(or_hat) - math.log(0.4)) / se), rel=1e-12)


def test_odds_ratio_margin_as_a_rate_closed_form():
    # p* = M o_H / (1 + M o_H) with o_H = 43/32: 0.4 x 43/32 = 0.5375, p* = 0.5375 / 1.5375 = 0.349593
    assert N["lde_s211_or_margin_rate"] == pytest.approx(100 * 0.5375 / 1.5375, abs=1e-10)
    assert N["lde_s211_or_margin_diff"] == pytest.approx(100 * (43 / 75 - 0.5375 / 1.5375), abs=1e-10)
    assert round(N["lde_s211_or_margin_diff"], 1) == 22.4
    assert chapter.or_margin_as_rate(0.4, 0.573) == pytest.approx(0.4 * 0.573 / 0.427 / (1 + 0.4 * 0.573 / 0.427))


# R, rpact 3.3.4:
#   d <- getDesignGroupSequential(kMax = 1, alpha = 0.025, sided = 1)
#   ds <- getDataset(n1 = 77, n2 = 75, events1 = 31, events2 = 43)
#   getStageResults(d, ds, thetaH0 = -0.2, directionUpper = TRUE, normalApproximation = TRUE)  z 0.3682809912,
#                                                                                            p 0.3563318624
#   getAnalysisResults(...)  repeated CI (-0.3212761126, -0.0118133417)
def test_study211_difference_scale_matches_rpact():
    assert N["lde_s211_diff"] == pytest.approx(100 * (31 / 77 - 43 / 75), abs=1e-12)
    assert N["lde_s211_z20"] == pytest.approx(0.3682809912, abs=1e-9)
    assert N["lde_s211_p20"] == pytest.approx(0.3563318624, abs=1e-9)
    assert (N["lde_s211_fm_lo"], N["lde_s211_fm_hi"]) == pytest.approx((-32.12761126, -1.18133417), abs=1e-4)
    assert N["lde_s211_ni_max"] == -N["lde_s211_fm_lo"]
    # independent: the golden-section FM statistic
    assert float(_fm_z(31, 77, 43, 75, 0.2)) == pytest.approx(N["lde_s211_z20"], abs=1e-8)


# R, rpact 3.3.4: getPowerRates(pi1, pi2 = 0.573, thetaH0 = -0.2, alpha = 0.025, sided = 1,
#                 maxNumberOfSubjects = 152, allocationRatioPlanned = 77/75)$overallReject
#   pi1 = 0.403: 0.0578145967;  pi1 = 0.573: 0.7159640634
# getSampleSizeRates(pi1 = 0.403, pi2 = 0.573, thetaH0 = -0.2, alpha = 0.025, beta = 0.2,
#                    sided = 1)$numberOfSubjects1  4198.1117354050
def test_study211_power_matches_rpact_and_an_independent_enumeration():
    assert N["lde_s211_power20_obs"] == pytest.approx(5.78145967, abs=1e-7)
    assert N["lde_s211_power20_equal"] == pytest.approx(71.59640634, abs=1e-7)
    assert N["lde_s211_n80_obs"] == math.ceil(4198.1117354050) == 4199
    assert N["lde_s211_exact20_obs"] == pytest.approx(100 * _exact_power(0.403, 0.573, 0.2, 77, 75), abs=1e-8)
    assert N["lde_s211_exact20_equal"] == pytest.approx(100 * _exact_power(0.573, 0.573, 0.2, 77, 75), abs=1e-8)
    # odds-ratio power if 18 mg were as active as the 24-mg arm observed (43/75), delta method
    p = 43 / 75
    se = math.sqrt(1 / (77 * p * (1 - p)) + 1 / (75 * p * (1 - p)))
    assert N["lde_s211_or_power_equal"] == pytest.approx(100 * stats.norm.cdf(-math.log(0.4) / se - Z975), abs=1e-10)
    assert round(N["lde_s211_or_power_equal"]) == 80


def test_typical_interval_of_equally_active_doses():
    p = 43 / 75
    assert N["lde_s211_half_equal"] == pytest.approx(100 * Z975 * math.sqrt(p * (1 - p) * (1 / 77 + 1 / 75)),
                                                     rel=1e-9)


# R, rpact 3.3.4:
#   ds <- getDataset(n1 = 73, n2 = 74, events1 = 57, events2 = 56)
#   getStageResults(d, ds, thetaH0 = -0.10, ...)  z 1.7708934029, p 0.0382892148
#   getStageResults(d, ds, thetaH0 = -0.15, ...)  p 0.0066924450
#   getAnalysisResults(d, ds, thetaH0 = -0.10, ...)  CI (-0.1134170447, 0.1608217384)
def test_ascend8_numbers_and_reanalysis():
    a = chapter.ASCEND8
    assert (N["lde_cer_randomized"], N["lde_cer_n_fed"], N["lde_cer_n_fasted"]) == (306, 73, 74)
    assert (round(N["lde_cer_orr_fed"], 1), round(N["lde_cer_orr_fasted"], 1)) == (78.1, 75.7)
    assert (round(N["lde_cer_red_fed"], 1), round(N["lde_cer_red_fasted"], 1)) == (24.1, 60.9)
    # derived counts reproduce the published rates and, as Clopper-Pearson intervals, the published 95% CIs
    for x, n, rate, ci in ((57, 73, a["orr_fed"], a["orr_ci_fed"]), (56, 74, a["orr_fasted"], a["orr_ci_fasted"])):
        assert round(x / n, 3) == rate
        cp = (stats.beta.ppf(0.025, x, n - x + 1), stats.beta.ppf(0.975, x + 1, n - x))
        assert [round(v, 3) for v in cp] == list(ci)
    assert (N["lde_cer_x_fed"], N["lde_cer_x_fasted"]) == (57, 56)
    assert N["lde_cer_diff"] == pytest.approx(100 * (57 / 73 - 56 / 74), abs=1e-12)
    assert (N["lde_cer_ci_lo"], N["lde_cer_ci_hi"]) == pytest.approx((-11.34170447, 16.08217384), abs=1e-4)
    assert N["lde_cer_p10"] == pytest.approx(0.0382892148, abs=1e-9)
    assert N["lde_cer_p15"] == pytest.approx(0.0066924450, abs=1e-9)
    assert not chapter.ascend8_check(0.10).non_inferior and chapter.ascend8_check(0.15).non_inferior


def test_sotorasib_and_sonidegib_come_from_the_cases_file():
    data = json.loads((Path(cases.__file__).parent / "data" / "expansion_cases.json").read_text(encoding="utf-8"))
    soto = data["single_dose_approvals"]["sotorasib"]
    assert (N["lde_soto_hi_mg"], N["lde_soto_lo_mg"], N["lde_soto_n"]) == (960, 240, 124) == (
        soto["approved_dose_mg"], soto["comparison_dose_mg"], soto["n"])
    assert (N["lde_soto_orr"], N["lde_soto_orr_lo"], N["lde_soto_orr_hi"]) == pytest.approx((36, 25, 50))
    assert N["lde_soto_esc_lo_mg"] == 180
    son = data["cases"]["sonidegib"]["arms"]
    assert (N["lde_so_lo"], N["lde_so_hi"]) == pytest.approx((58, 44))
    assert N["lde_so_n_lo"] == 66 == son[0]["n"]


# --- planning --------------------------------------------------------------------------------------------------

# R, rpact 3.3.4: getSampleSizeRates(pi1, pi2 = 0.573, thetaH0, alpha = 0.025, beta = 0.2, sided = 1)
#   $numberOfSubjects1:  (0.573, -0.20) 93.4870031146, (0.573, -0.15) 168.1802364427, (0.573, -0.10) 381.5655536837,
#   (0.523, -0.20) 167.9170798004, (0.473, -0.20) 379.4793963461, (0.523, -0.15) 382.4968422134
def test_sample_sizes_match_rpact():
    assert N["lde_ss_ph"] == pytest.approx(57.3)
    assert N["lde_ss_n_m20_exact"] == pytest.approx(93.4870031146, abs=1e-8)
    expected = {"lde_ss_n_m20": 93.4870031146, "lde_ss_n_m15": 168.1802364427, "lde_ss_n_m10": 381.5655536837,
                "lde_ss_n_m20_d5": 167.9170798004, "lde_ss_n_m20_d10": 379.4793963461,
                "lde_ss_n_m15_d5": 382.4968422134}
    for key, n in expected.items():
        assert N[key] == math.ceil(n), key
    assert np.round(chapter.sample_size_curve(0.0, [0.10, 0.15, 0.20]), 6).tolist() == pytest.approx(
        [381.565554, 168.180236, 93.487003], abs=1e-6)
    assert np.isnan(chapter.sample_size_curve(0.10, [0.10])[0])  # at the margin: no sample size


# R, rpact 3.3.4: getPowerRates(pi1, pi2 = 0.573, thetaH0, alpha = 0.025, sided = 1,
#                 maxNumberOfSubjects = 80)$overallReject:
#   (0.573, -0.20) 0.4544053432, (0.573, -0.10) 0.1476263306, (0.473, -0.10) 0.0250000000
def test_power_at_forty_per_arm_matches_rpact_and_enumeration():
    assert N["lde_ss_power40_m20"] == pytest.approx(45.44053432, abs=1e-7)
    assert N["lde_ss_power40_m10"] == pytest.approx(14.76263306, abs=1e-7)
    assert dc.rate_ni_power(0.473, 0.573, 0.10, 40, 40) == pytest.approx(0.025, abs=1e-9)  # at the margin: alpha
    assert N["lde_ss_exact40_m20"] == pytest.approx(100 * _exact_power(0.573, 0.573, 0.20, 40, 40), abs=1e-8)
    assert N["lde_ss_size40_m10"] == pytest.approx(100 * _exact_power(0.473, 0.573, 0.10, 40, 40), abs=1e-8)
    assert 2.0 < N["lde_ss_size40_m10"] < 3.0  # the exact size stays near alpha
    assert N["lde_ss_exact_m20"] == pytest.approx(100 * _exact_power(0.573, 0.573, 0.20, 94, 94), abs=1e-8)
    assert abs(N["lde_ss_exact_m20"] - 80) < 1.0
    assert (N["lde_ss_band_lo"], N["lde_ss_band_hi"]) == (20, 40)


# R, rpact 3.3.4: getSampleSizeSurvival(hazardRatio = 1, thetaH0 = M, alpha = 0.025, beta = 0.2, sided = 1,
#   pi1 = 0.5, pi2 = 0.5, accrualTime = c(0, 12), followUpTime = 12)$maxNumberOfEvents:
#   M = 1.3: 456.09814225, M = 1.25: 630.5201711805
# getPowerSurvival(maxNumberOfEvents = 300, hazardRatio = 1, thetaH0 = 1.3, ...)$overallReject 0.622547069243
def test_schoenfeld_numbers_match_rpact_and_the_closed_form():
    assert (N["lde_hr_m1"], N["lde_hr_m2"]) == (1.3, 1.25)
    assert N["lde_hr_events_m1"] == math.ceil(456.09814225) == 457
    assert N["lde_hr_events_m2"] == math.ceil(630.5201711805) == 631
    z = Z975 + float(special.ndtri(0.8))
    assert dc.hr_ni_events(1.0, 1.3) == pytest.approx(4 * z ** 2 / math.log(1.3) ** 2, rel=1e-12)
    assert N["lde_hr_power300"] == pytest.approx(62.2547069243, abs=1e-8)


def test_widget_defaults_glued():
    assert (N["lde_w_margin"], N["lde_w_n"]) == (20.0, 76)
    assert chapter.widget.defaults == {"scenario": "study211", "margin": 0.20, "n_per_arm": 76}


def test_every_glued_name_exists_and_every_number_is_glued():
    used = set()
    for lang in LANGS:
        text = (BOOK / lang / PAGE).read_text(encoding="utf-8")
        used |= set(re.findall(r"\{glue:text\}`([a-z0-9_]+)", text))
    assert used <= set(N), sorted(used - set(N))
    assert set(N) == used, sorted(set(N) - used)
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in N.values())


# --- table and figures -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_cases_table(lang):
    table = chapter.cases_table(lang)
    assert table.shape == (4, 5)
    assert "0.50" in table.iloc[3, 3] and "0.26" in table.iloc[3, 3] and "78.1" in table.iloc[1, 3]
    assert "960" in table.iloc[0, 1] and "240" in table.iloc[0, 1] and "58" in table.iloc[2, 3]
    assert list(table.columns)[0] == t("lde_col_drug", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_study211_figure(lang):
    fig = chapter.study211_figure(lang=lang)
    fig.canvas.draw()
    texts = [x.get_text() for ax in fig.axes for x in ax.texts]
    assert "-17.1 (-32.1, -1.2)" in texts and "0.50 (0.26, 0.96)" in texts
    assert any("-22.4" in s for s in texts)
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_sample_size_figure(lang):
    fig = chapter.sample_size_figure(lang=lang)
    fig.canvas.draw()
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 2]
    assert len(lines) == 3
    x, y = lines[0].get_xdata(), lines[0].get_ydata()
    assert y[np.argmin(abs(x - 20))] == pytest.approx(93.4870031146, abs=1e-6)
    plt.close(fig)


def test_power_figure_curves_and_points():
    fig = chapter.power_figure("equal", 0.15, "en")
    ax = fig.axes[0]
    bold = [ln for ln in ax.get_lines() if ln.get_linewidth() > 2][0]
    n = np.asarray(chapter.N_GRID)
    assert bold.get_ydata()[n == 76][0] == pytest.approx(dc.rate_ni_power(0.573, 0.573, 0.15, 76, 76))
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"][0]
    assert tuple(dots.get_xdata()) == chapter.EXACT_N
    assert dots.get_ydata()[2] == pytest.approx(_exact_power(0.573, 0.573, 0.15, 76, 76), abs=1e-9)
    plt.close(fig)
    with pytest.raises(ValueError, match="scenario"):
        chapter.power_figure("half", 0.1)


@pytest.mark.parametrize("lang", LANGS)
def test_power_text_branches(lang):
    within = chapter.power_text("study211", 0.20, 76, lang)
    assert "5.8" in within and "6.1" in within and "4,199" in within
    assert t("lde_w_at", lang) in chapter.power_text("minus10", 0.10, 150, lang)
    assert t("lde_w_beyond", lang) in chapter.power_text("study211", 0.10, 40, lang)
    assert t("lde_w_too_many", lang) in chapter.power_text("minus10", 0.15, 40, lang) or \
        "1,538" in chapter.power_text("minus10", 0.15, 40, lang)


# --- widget ----------------------------------------------------------------------------------------------------

def test_widget_fits_the_site_budget():
    w = chapter.widget
    assert w.n_states == 4 * 4 * 3 + 4 * 4 == 64 and w.n_states <= widgets.MAX_STATES
    per_part = [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts]
    assert per_part == [48, 16] and max(per_part) <= 60


@pytest.mark.parametrize("lang", LANGS)
def test_widget_renders_every_text_state_and_the_default_figure(lang):
    w = chapter.widget
    for _key, values in w.part_states(0):
        text = w.render(0, lang, {**w.defaults, **values})
        assert text.count("\n") == 2
    assert "5.8" in w.render(0, lang, w.defaults)
    fig = w.render(1, lang, w.defaults)
    fig.canvas.draw()
    plt.close(fig)
    alt = w.alt_text(1, lang, w.defaults)
    assert "40.3" in alt and f"{100 * dc.rate_ni_power(0.403, 0.573, 0.2, 76, 76):.1f}" in alt


def test_widget_renders_every_figure_state():
    w = chapter.widget
    for _key, values in w.part_states(1):
        fig = w.render(1, "en", {**w.defaults, **values})
        assert len(fig.axes) == 1
        plt.close(fig)


def test_widget_draws_a_live_setting_off_the_site_grid():
    # a Jupyter setting the site never precomputes (redraw speed: benchmarks/bench_widgets.py)
    w = chapter.widget
    values = {"scenario": "minus5", "margin": 0.12, "n_per_arm": 111}
    for index in range(len(w.parts)):
        shown = w.render(index, "en", values)
        assert shown is not None
        if hasattr(shown, "canvas"):
            shown.canvas.draw()
            plt.close(shown)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="lower_dose_enough"' in html
    assert "5.8%" in html


def test_bad_arguments():
    with pytest.raises(ValueError, match="margin"):
        chapter.or_margin_as_rate(1.2, 0.5)
    with pytest.raises(ValueError, match="deficit"):
        chapter.sample_size_curve(0.6, [0.1])
    with pytest.raises(ValueError, match="n_per_arm"):
        chapter.power_text("equal", 0.2, 0)
