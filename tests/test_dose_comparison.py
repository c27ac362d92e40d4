"""Tests of dosecourse.dose_comparison: non-inferiority of a lower dose against the higher dose.

Sources of the expected numbers:
* R rpact 3.3.4 (sample size and power of the Farrington-Manning test, FM test statistic, p-value and confidence
  limits of a fixed-design analysis, Schoenfeld events and power); the exact R calls are in the comments.
* Independent checks: the restricted MLE by numerical maximisation of the constrained likelihood; the exact
  rejection probability by a plain loop over every outcome of small arms; seeded simulation within 3 Monte Carlo
  SE; for the hazard ratio, the exact distribution of the exponential-model estimate (an F distribution).
* Study 211 (lenvatinib 18 vs 24 mg): the published odds ratio, CIs and conclusion, read from the package's data
  file ``dosecourse/data/lenvatinib_study211.json`` (the same file the module reads).
"""

import json
import math
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from dosecourse import dose_comparison as dc
from dosecourse.i18n import LANGS

Z975 = float(special.ndtri(0.975))


# --- Farrington-Manning restricted MLE ---------------------------------------------------------------------

def _restricted_mle_numeric(xl, nl, xh, nh, theta0):
    """Maximise the binomial log-likelihood over p_H with p_L = p_H + theta0 (scipy bounded search)."""
    lo, hi = max(0.0, -theta0), min(1.0, 1.0 - theta0)

    def nll(ph):
        pl = ph + theta0
        return -(special.xlogy(xl, pl) + special.xlog1py(nl - xl, -pl)
                 + special.xlogy(xh, ph) + special.xlog1py(nh - xh, -ph))

    res = optimize.minimize_scalar(nll, bounds=(lo + 1e-12, hi - 1e-12), method="bounded",
                                   options={"xatol": 1e-12})
    return res.x + theta0, res.x


@pytest.mark.parametrize("xl, nl, xh, nh, theta0", [
    (31, 77, 43, 75, -0.2), (31, 77, 43, 75, 0.1), (5, 20, 15, 40, -0.15), (0, 30, 10, 30, -0.1),
    (30, 30, 25, 30, -0.2), (12, 50, 9, 25, 0.3), (40, 100, 41, 60, -0.05),
])
def test_fm_restricted_rates_maximise_the_constrained_likelihood(xl, nl, xh, nh, theta0):
    a, b = dc.fm_restricted_rates(xl / nl, xh / nh, theta0, nl / nh)
    na, nb = _restricted_mle_numeric(xl, nl, xh, nh, theta0)
    assert float(a) == pytest.approx(na, abs=1e-7)
    assert float(b) == pytest.approx(nb, abs=1e-7)
    assert float(a - b) == pytest.approx(theta0, abs=1e-12)


def test_fm_at_zero_difference_is_the_pooled_rate():
    a, b = dc.fm_restricted_rates(0.3, 0.5, 0.0, 2.0)
    assert float(a) == float(b) == pytest.approx((2 * 0.3 + 0.5) / 3, abs=1e-15)


# --- analysis of observed data -----------------------------------------------------------------------------

# R, rpact 3.3.4:
#   d <- getDesignGroupSequential(kMax = 1, alpha = 0.025, sided = 1)
#   ds <- getDataset(n1 = 77, n2 = 75, events1 = 31, events2 = 43)
#   sr <- getStageResults(design = d, dataInput = ds, thetaH0 = th, directionUpper = TRUE,
#                         normalApproximation = TRUE)       # sr$overallTestStatistics, sr$overallPValues
#   r <- getAnalysisResults(design = d, dataInput = ds, thetaH0 = th, directionUpper = TRUE,
#                           normalApproximation = TRUE)     # r$repeatedConfidenceIntervalLower/UpperBounds
RPACT_ANALYSIS = {  # thetaH0: (z, p)
    -0.20: (0.3682809912, 0.3563318624),
    -0.15: (-0.2586194686, 0.6020355698),
    -0.25: (1.0093791260, 0.1563964227),
}
RPACT_CI = (-0.3212761126, -0.0118133417)


@pytest.mark.parametrize("theta0", sorted(RPACT_ANALYSIS))
def test_fm_analysis_matches_rpact(theta0):
    r = dc.rate_ni_test(31, 77, 43, 75, margin=-theta0)
    z, p = RPACT_ANALYSIS[theta0]
    assert r.statistic == pytest.approx(z, abs=1e-9)
    assert r.p_value == pytest.approx(p, abs=1e-9)
    # rpact finds the limits by a root search with its own tolerance (about 1e-6 here)
    assert (r.ci_lower, r.ci_upper) == pytest.approx(RPACT_CI, abs=1e-6)
    assert r.estimate == pytest.approx(31 / 77 - 43 / 75, abs=1e-15)
    assert not r.non_inferior


def test_wald_analysis_by_hand():
    pl, ph = 31 / 77, 43 / 75
    se = math.sqrt(pl * (1 - pl) / 77 + ph * (1 - ph) / 75)
    r = dc.rate_ni_test(31, 77, 43, 75, margin=0.2, method="wald")
    assert r.statistic == pytest.approx((pl - ph + 0.2) / se, abs=1e-13)
    assert (r.ci_lower, r.ci_upper) == pytest.approx((pl - ph - Z975 * se, pl - ph + Z975 * se), abs=1e-13)


@settings(max_examples=60, deadline=None)
@given(nl=st.integers(5, 120), nh=st.integers(5, 120), fl=st.floats(0, 1), fh=st.floats(0, 1),
       margin=st.floats(0.02, 0.4), method=st.sampled_from(dc.RATE_METHODS))
def test_conclusion_agrees_with_the_confidence_interval(nl, nh, fl, fh, margin, method):
    xl, xh = round(fl * nl), round(fh * nh)
    r = dc.rate_ni_test(xl, nl, xh, nh, margin, method=method)
    assert r.ci_lower <= r.estimate <= r.ci_upper
    assert 0.0 <= r.p_value <= 1.0
    if abs(r.ci_lower + margin) > 1e-9:  # not exactly on the boundary
        assert r.non_inferior == (r.ci_lower > -margin)


def test_fm_score_interval_inverts_the_test():
    r = dc.rate_ni_test(20, 60, 30, 60, margin=0.1)
    for limit, target in ((r.ci_lower, Z975), (r.ci_upper, -Z975)):
        z = dc._z_rate(np.asarray(20 / 60), np.asarray(30 / 60), 60, 60, limit, "fm")
        assert float(z) == pytest.approx(target, abs=1e-8)


# --- planning ----------------------------------------------------------------------------------------------

# R, rpact 3.3.4: s <- getSampleSizeRates(pi1, pi2, thetaH0, alpha = 0.025, beta, sided = 1,
#                                        allocationRatioPlanned); s$numberOfSubjects1, s$numberOfSubjects2
RPACT_SAMPLE_SIZE = [  # (pi1, pi2, thetaH0, beta, ratio, n1, n2)
    (0.55, 0.60, -0.15, 0.2, 1, 377.5045106531, 377.5045106531),
    (0.40, 0.40, -0.10, 0.1, 2, 763.2533152980, 381.6266576490),
    (0.573, 0.573, -0.20, 0.2, 1, 93.4870031146, 93.4870031146),
]


@pytest.mark.parametrize("pi1, pi2, theta0, beta, ratio, n1, n2", RPACT_SAMPLE_SIZE)
def test_fm_sample_size_matches_rpact(pi1, pi2, theta0, beta, ratio, n1, n2):
    s = dc.rate_ni_sample_size(pi1, pi2, -theta0, power=1 - beta, ratio=ratio)
    assert s.n_low_exact == pytest.approx(n1, abs=1e-8)
    assert s.n_high_exact == pytest.approx(n2, abs=1e-8)
    assert (s.n_low, s.n_high) == (math.ceil(n1), math.ceil(n2))
    # the power formula inverts the sample-size formula
    assert dc.rate_ni_power(pi1, pi2, -theta0, s.n_low, s.n_high) >= 1 - beta


# R, rpact 3.3.4: getPowerRates(pi1, pi2, thetaH0, alpha = 0.025, sided = 1,
#                               maxNumberOfSubjects = N)$overallReject   (equal allocation)
RPACT_POWER = [(0.55, 0.60, -0.15, 200, 0.3054124671), (0.573, 0.573, -0.2, 152, 0.7155608837)]


@pytest.mark.parametrize("pi1, pi2, theta0, total, power", RPACT_POWER)
def test_fm_power_matches_rpact(pi1, pi2, theta0, total, power):
    assert dc.rate_ni_power(pi1, pi2, -theta0, total // 2, total // 2) == pytest.approx(power, abs=1e-9)


def test_wald_sample_size_closed_form():
    s = dc.rate_ni_sample_size(0.5, 0.55, 0.15, method="wald", power=0.9)
    v = 0.25 + 0.55 * 0.45
    assert s.n_low_exact == pytest.approx((Z975 + special.ndtri(0.9)) ** 2 * v / 0.1 ** 2, rel=1e-13)


def _exact_power_loop(pl, ph, margin, nl, nh, method):
    """Plain loop over every (x_L, x_H), using the public analysis function."""
    total = 0.0
    for xl in range(nl + 1):
        for xh in range(nh + 1):
            if dc.rate_ni_test(xl, nl, xh, nh, margin, method=method).non_inferior:
                total += stats.binom.pmf(xl, nl, pl) * stats.binom.pmf(xh, nh, ph)
    return total


@pytest.mark.parametrize("method", dc.RATE_METHODS)
def test_exact_power_equals_a_plain_loop(method):
    got = dc.rate_ni_exact_power(0.45, 0.5, 0.2, 9, 7, method=method)
    assert got == pytest.approx(_exact_power_loop(0.45, 0.5, 0.2, 9, 7, method), abs=1e-14)


@pytest.mark.parametrize("pl, ph, margin, n, method, seed", [
    (0.573, 0.573, 0.2, 76, "fm", 31),
    (0.40, 0.50, 0.10, 75, "fm", 32),       # at the margin: the exact size
    (0.20, 0.30, 0.10, 100, "wald", 33),
    (0.55, 0.60, 0.15, 378, "fm", 34),      # the rpact sample size above
])
def test_exact_power_agrees_with_simulation(pl, ph, margin, n, method, seed):
    exact = dc.rate_ni_exact_power(pl, ph, margin, n, n, method=method)
    sim = dc.simulate_rate_ni_power(pl, ph, margin, n, n, method=method, n_trials=100_000, seed=seed)
    assert sim.seed == seed and sim.n_trials == 100_000
    assert abs(sim.power - exact) <= 3 * math.sqrt(exact * (1 - exact) / sim.n_trials)


def test_exact_size_and_power_at_the_fm_sample_size():
    # The exact size of the FM test at the margin stays close to alpha for ~75 per arm (values in the report):
    for pl, ph, margin in ((0.4, 0.5, 0.1), (0.373, 0.573, 0.2), (0.7, 0.8, 0.1)):
        size = dc.rate_ni_exact_power(pl, ph, margin, 75, 75)
        assert 0.02 < size < 0.03
    # At the FM sample size the real power is about the target (0.8036 exact vs 0.8 planned).
    s = dc.rate_ni_sample_size(0.55, 0.60, 0.15)
    assert abs(dc.rate_ni_exact_power(0.55, 0.60, 0.15, s.n_low, s.n_high) - 0.8) < 0.01


# --- odds ratio and Study 211 ------------------------------------------------------------------------------

def _study211_file():
    text = (resources.files("dosecourse") / "data" / "lenvatinib_study211.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_data_file_has_source_and_confirm_notes():
    data = _study211_file()
    assert "10.1210/clinem/dgab731" in data["source"]
    assert data["randomized"] == data["arms"]["low"]["n"] + data["arms"]["high"]["n"] == 152
    assert data["confirm"] and all(isinstance(c, str) for c in data["confirm"])
    assert dc.load_study211() == data


def test_derived_responders_reproduce_the_published_numbers():
    data = _study211_file()
    for arm in ("low", "high"):
        x, n = data["responders_derived"][arm], data["arms"][arm]["n"]
        p = x / n
        assert round(100 * p, 1) == data["arms"][arm]["orr_percent"]
        half = Z975 * math.sqrt(p * (1 - p) / n)  # published per-arm CIs are Wald intervals
        assert [round(100 * (p - half), 1), round(100 * (p + half), 1)] == data["arms"][arm]["orr_ci95_percent"]
    r = dc.odds_ratio_ni_test(data["responders_derived"]["low"], 77, data["responders_derived"]["high"], 75,
                              data["ni_margin_odds_ratio"])
    assert round(r.estimate, 2) == data["odds_ratio_low_vs_high"]
    assert [round(r.ci_lower, 2), round(r.ci_upper, 2)] == data["odds_ratio_ci95"]


def test_study211_could_not_show_non_inferiority():
    c = dc.study211_check()
    assert (c.x_low, c.n_low, c.x_high, c.n_high) == (31, 77, 43, 75)
    assert c.result.scale == "odds_ratio" and c.result.bound == 0.4
    assert c.result.ci_lower < 0.4 and not c.result.non_inferior  # published conclusion
    # with equal true rates (57.3%) the design had about 80% power: the observed deficit failed it
    assert 0.75 < c.power_if_equal < 0.85
    # on the difference scale the FM lower limit is -0.321: a margin of 0.20 fails, only one above 0.321 passes
    assert not dc.study211_check(0.20, scale="difference").result.non_inferior
    assert dc.study211_check(0.33, scale="difference").result.non_inferior
    assert c.source == _study211_file()["source"] and c.confirm


def test_odds_ratio_zero_cell_correction():
    r = dc.odds_ratio_ni_test(0, 20, 5, 20, 0.2)
    assert r.method == "wald_log_corrected"
    assert r.estimate == pytest.approx((0.5 * 15.5) / (20.5 * 5.5), rel=1e-13)


def test_odds_ratio_power_closed_form():
    se = math.sqrt(1 / (77 * 0.573 * 0.427) + 1 / (75 * 0.573 * 0.427))
    assert dc.odds_ratio_ni_power(0.573, 0.573, 0.4, 77, 75) == pytest.approx(
        special.ndtr(-math.log(0.4) / se - Z975), abs=1e-14)


# --- hazard ratio ------------------------------------------------------------------------------------------

# R, rpact 3.3.4:
#   getSampleSizeSurvival(hazardRatio = 1, thetaH0 = 1.3, alpha = 0.025, beta = 0.2, sided = 1, pi2 = 0.5,
#                         pi1 = 0.5, accrualTime = c(0, 12), followUpTime = 12)$maxNumberOfEvents  456.09814225
#   getSampleSizeSurvival(hazardRatio = 1.05, thetaH0 = 1.25, alpha = 0.025, beta = 0.1, sided = 1,
#                         allocationRatioPlanned = 2, lambda2 = log(2)/12, accrualTime = c(0, 12),
#                         followUpTime = 12)$maxNumberOfEvents                                       1555.42098823
#   getPowerSurvival(maxNumberOfEvents = 300, hazardRatio = 1, thetaH0 = 1.3, alpha = 0.025, sided = 1,
#                    directionUpper = FALSE, lambda2 = log(2)/12, maxNumberOfSubjects = 600,
#                    accrualTime = c(0, 12))$overallReject                                          0.622547069243
def test_schoenfeld_matches_rpact():
    assert dc.hr_ni_events(1.0, 1.3) == pytest.approx(456.09814225, abs=1e-7)
    assert dc.hr_ni_events(1.05, 1.25, power=0.9, ratio=2) == pytest.approx(1555.42098823, abs=1e-7)
    assert dc.hr_ni_power(1.0, 1.3, 300) == pytest.approx(0.622547069243, abs=1e-11)


@settings(max_examples=40, deadline=None)
@given(hr=st.floats(0.6, 1.2), margin=st.floats(1.25, 2.0), power=st.floats(0.5, 0.95),
       ratio=st.floats(0.5, 3.0))
def test_events_and_power_are_inverse(hr, margin, power, ratio):
    d = dc.hr_ni_events(hr, margin, power=power, ratio=ratio)
    assert dc.hr_ni_power(hr, margin, d, ratio=ratio) == pytest.approx(power, abs=1e-10)


def test_schoenfeld_power_against_the_exact_exponential_model():
    # Exponential survival, no censoring, d events per arm: lambda_hat = d / T, 2 lambda T ~ chi2(2d), so
    # HR_hat = HR * F(2 d_H, 2 d_L).  Rejection: log HR_hat < log M - z sqrt(1/d_L + 1/d_H).  Schoenfeld's
    # power is the large-sample limit; the gap shrinks as the events grow.
    gaps = []
    for d in (150, 1500):
        exact = stats.f.cdf(math.exp(math.log(1.3) - Z975 * math.sqrt(2 / d)) / 1.0, 2 * d, 2 * d)
        gaps.append(abs(exact - dc.hr_ni_power(1.0, 1.3, 2 * d)))
    assert gaps[1] < gaps[0] < 0.005


def test_hr_analysis():
    r = dc.hr_ni_test(1.10, 1.3, events=400)
    se = 2 / math.sqrt(400)
    assert r.ci_upper == pytest.approx(1.10 * math.exp(Z975 * se), rel=1e-13)
    assert r.statistic == pytest.approx((math.log(1.3) - math.log(1.1)) / se, rel=1e-13)
    assert not r.non_inferior
    ok = dc.hr_ni_test(0.95, 1.3, se_log_hr=dc.se_log_from_ci(0.80, 1.13))
    assert ok.non_inferior and ok.ci_upper < 1.3
    assert ok.ci_upper == pytest.approx(1.13 * 0.95 / math.sqrt(0.80 * 1.13), rel=1e-12)  # same width


# --- tables ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_tables_in_both_languages(lang):
    frame = dc.study211_check().to_frame(lang)
    assert frame.shape == (12, 2)
    assert frame.iloc[-2, 1] == dc.study211_check().result.conclusion(lang)
    assert dc.rate_ni_sample_size(0.5, 0.5, 0.1).to_frame(lang).shape == (9, 2)
    assert dc.hr_ni_test(0.9, 1.3, events=300).to_frame(lang).shape == (8, 2)
    text = dc.rate_ni_test(40, 60, 40, 60, 0.2).conclusion(lang)
    assert ("Non-inferiority shown" in text) if lang == "en" else ("已證明不劣性" in text)


# --- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: dc.rate_ni_test(31, 77, 43, 75, margin=-0.1), "margin"),
    (lambda: dc.rate_ni_test(31, 77, 43, 75, margin=0.0), "margin"),
    (lambda: dc.rate_ni_test(31, 77, 43, 75, margin=1.0), "margin"),
    (lambda: dc.rate_ni_test(80, 77, 43, 75, margin=0.1), "x_low"),
    (lambda: dc.rate_ni_test(-1, 77, 43, 75, margin=0.1), "x_low"),
    (lambda: dc.rate_ni_test(31, 77, 43.5, 75, margin=0.1), "x_high"),
    (lambda: dc.rate_ni_test(31, 0, 43, 75, margin=0.1), "n_low"),
    (lambda: dc.rate_ni_test(31, 77, 43, 75, margin=0.1, alpha=0.5), "alpha"),
    (lambda: dc.rate_ni_test(31, 77, 43, 75, margin=0.1, method="exact"), "method"),
    (lambda: dc.rate_ni_sample_size(0.3, 0.5, 0.1), "margin"),  # truly inferior by more than the margin
    (lambda: dc.rate_ni_sample_size(0.473, 0.573, 0.1), "margin"),  # exactly at the margin (rounding)
    (lambda: dc.rate_ni_sample_size(0.0, 0.5, 0.1), "p_low"),
    (lambda: dc.rate_ni_sample_size(0.5, 1.0, 0.1), "p_high"),
    (lambda: dc.rate_ni_sample_size(0.5, 0.5, 0.1, power=1.0), "power"),
    (lambda: dc.rate_ni_sample_size(0.5, 0.5, 0.1, power=0.01), "power"),
    (lambda: dc.rate_ni_sample_size(0.5, 0.5, 0.1, ratio=0), "ratio"),
    (lambda: dc.rate_ni_sample_size(0.5, 0.5, 0.001), "patients"),
    (lambda: dc.rate_ni_power(0.5, 0.5, 0.1, 1, 100), "n_low / n_high"),
    (lambda: dc.rate_ni_exact_power(0.5, 0.5, 0.1, 2000, 2000), "n_low"),
    (lambda: dc.simulate_rate_ni_power(0.5, 0.5, 0.1, 50, 50, n_trials=0), "n_trials"),
    (lambda: dc.simulate_rate_ni_power(0.5, 0.5, 0.1, 50, 50, seed=1.5), "seed"),
    (lambda: dc.odds_ratio_ni_test(31, 77, 43, 75, margin=1.2), "margin"),
    (lambda: dc.odds_ratio_ni_power(0.5, 0.5, -0.4, 77, 75), "margin"),
    (lambda: dc.hr_ni_events(1.0, 0.8), "margin"),
    (lambda: dc.hr_ni_events(1.4, 1.3), "hr"),
    (lambda: dc.hr_ni_events(-1.0, 1.3), "hr"),
    (lambda: dc.hr_ni_power(1.0, 1.3, 0), "events"),
    (lambda: dc.hr_ni_test(1.0, 1.3), "se_log_hr"),
    (lambda: dc.hr_ni_test(1.0, 1.3, se_log_hr=0.1, events=100), "se_log_hr"),
    (lambda: dc.hr_ni_test(1.0, 1.3, se_log_hr=-0.1), "se_log_hr"),
    (lambda: dc.se_log_from_ci(1.2, 0.9), "upper"),
    (lambda: dc.se_log_from_ci(0.8, 1.2, level=95), "level"),
    (lambda: dc.fm_restricted_rates(0.5, 1.5, -0.1), "p_high"),
    (lambda: dc.fm_restricted_rates(0.5, 0.5, -1.0), "theta0"),
    (lambda: dc.study211_check(scale="difference"), "margin"),
    (lambda: dc.study211_check(scale="risk ratio"), "scale"),
    (lambda: dc.study211_check(0.4).to_frame("fr"), "lang"),
])
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
