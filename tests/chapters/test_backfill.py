"""Chapter "Backfill cohorts": every glued number against its source, a hand calculation or an independent check.

Sources:
* Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673 (doi:10.1158/1078-0432.CCR-23-2585), Table 3
  (scenarios) and Table 4 (operating characteristics, 10,000 trials), in dosecourse/data/bfboin_zhao2024_table4.json
  (read here with dosecourse.data.load, the same file the chapter reads).
* Liu S, Yuan Y. J R Stat Soc C 2015;64:507 (doi:10.1111/rssc.12089): BOIN's boundaries in closed form.
* Clopper-Pearson limits by their definition, with scipy.stats.binom and scipy.stats.beta.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.stats import beta, binom

from dosecourse import data, stats
from dosecourse import escalation as esc
from dosecourse.chapters import backfill as chapter

PUB = data.load("bfboin_zhao2024_table4")
N = chapter.numbers()
COMPARISONS = [chapter.compare(k, n_trials=chapter.N_TRIALS, seed=chapter.SEED) for k in (2, 3, 4)]  # cached
S3 = COMPARISONS[1]


def _cell(value):
    return None if value is None else float(str(value).split()[0])


def test_scenarios_and_table4_are_those_of_the_data_file():
    for key, sc in PUB["scenarios"].items():
        assert chapter.SCENARIOS[int(key)].true_tox == tuple(sc["DLT"])
        assert chapter.SCENARIOS[int(key)].true_eff == tuple(sc["Resp"])
    for key, row in PUB["BF_BOIN"].items():
        assert chapter.TABLE4["bf"][int(key)] == tuple(_cell(x) for x in row)
    for key, row in PUB["BOIN"].items():
        assert chapter.TABLE4["boin"][int(key)] == tuple(_cell(x) for x in row)
    # BOIN ignores response: scenarios 6-12 repeat the row of the scenario with the same DLT probabilities
    assert chapter.TABLE4["boin"][10] == chapter.TABLE4["boin"][3] and chapter.TABLE4["boin"][12] == \
        chapter.TABLE4["boin"][5] and chapter.TABLE4["boin"][6] == chapter.TABLE4["boin"][2]
    # the MTD is the dose at the target 0.25 in every scenario
    assert {k: sc.mtd for k, sc in chapter.SCENARIOS.items()} == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 2, 7: 3, 8: 4,
                                                                 9: 5, 10: 3, 11: 4, 12: 5}
    d = PUB["design"]
    assert dict(chapter.PAPER_DESIGN) == {
        "target": d["target"], "n_doses": d["ndose"], "cohort_size": d["cohortsize"], "n_cohorts": d["ncohort"],
        "n_earlystop": d["n_earlystop"], "n_cap_backfill": d["n_cap_backfill"],
        "accrual_per_month": d["accrual_per_month"], "dlt_window_months": d["dlt_window_months"]}


def test_boin_boundaries_and_the_two_worked_cases():
    design = chapter.paper_design()
    # Liu & Yuan (2015) with phi = 0.25, phi1 = 0.15, phi2 = 0.35:
    # lambda_e = log(0.85/0.75) / log(0.25*0.85 / (0.15*0.75)) = 0.1968; lambda_d = log(0.75/0.65) /
    # log(0.35*0.75 / (0.25*0.65)) = 0.2984.
    assert N["bf_lambda_e"] == pytest.approx(math.log(0.85 / 0.75) / math.log(0.25 * 0.85 / (0.15 * 0.75)),
                                             abs=1e-12)
    assert N["bf_lambda_d"] == pytest.approx(math.log(0.75 / 0.65) / math.log(0.35 * 0.75 / (0.25 * 0.65)),
                                             abs=1e-12)
    assert N["bf_cap"] == 12 == PUB["design"]["n_cap_backfill"]
    # 2/3 and 2/6 both exceed lambda_d = 0.298: dose 2 and every dose above it close, only dose 1 stays open
    case1 = esc.TrialData([3, 3, 3, 3, 0], [0, 2, 0, 0, 0], current=4, responses=[1, 1, 1, 0, 0])
    assert design.backfill_doses(case1) == [1]
    # 3/12 = 0.25 lies between the boundaries: pooled doses 1-2 say stay
    case2 = design.next_dose(esc.TrialData([9, 3, 0, 0, 0], [3, 0, 0, 0, 0], current=2))
    assert (case2.action, case2.dose) == ("stay", 2) and design.lambda_e < 3 / 12 < design.lambda_d


def _agreement(c: chapter.Comparison, k_se: float = 4.0) -> list[tuple[str, str, float, float, float]]:
    """(design, metric, simulated, published, tolerance) for every Table 4 cell that applies.

    The tolerance is ``k_se`` standard errors of the difference between two independent simulations, this one
    (n trials) and the paper's (10,000), estimated from this simulation's per-trial standard deviation
    (Monte Carlo SE x sqrt(1 + n / 10,000)), plus 0.05 for the table's rounding to one decimal.
    """
    rows = []
    for design in chapter.DESIGNS:
        for metric, published in zip(chapter.METRICS, chapter.TABLE4[design][c.scenario.number]):
            sim = c.mean(design, metric)
            if published is None:
                assert math.isnan(sim)
                continue
            tol = k_se * c.se(design, metric) * math.sqrt(1 + c.n_trials / chapter.PAPER_N_TRIALS) + 0.05
            rows.append((design, metric, sim, published, tol))
    return rows


@pytest.mark.parametrize("c", COMPARISONS, ids=lambda c: f"scenario-{c.scenario.number}")
def test_simulated_table4_agrees_with_the_paper(c):
    rows = _agreement(c)
    assert len(rows) == 14  # 7 measures x 2 designs: scenarios 2-4 have doses below and above the MTD
    bad = [r for r in rows if abs(r[2] - r[3]) > r[4]]
    assert not bad, bad


@pytest.mark.parametrize("c", COMPARISONS, ids=lambda c: f"scenario-{c.scenario.number}")
def test_per_trial_identities(c):
    mtd = c.scenario.mtd
    for design in chapter.DESIGNS:
        tr = c.trials(design)
        below, at, above = tr.n[:, :mtd - 1].sum(axis=1), tr.n[:, mtd - 1], tr.n[:, mtd:].sum(axis=1)
        assert np.array_equal(below + at + above, tr.n.sum(axis=1))  # every patient counted once
        # the Table 4 means are the means of these per-trial counts
        assert c.mean(design, "below") == pytest.approx(below.mean(), abs=1e-12)
        assert c.mean(design, "total") == pytest.approx(tr.n.sum(axis=1).mean(), abs=1e-12)
        assert c.mean(design, "correct") == pytest.approx(100 * np.mean(tr.selected == mtd), abs=1e-12)
        assert c.mean(design, "overdose") == pytest.approx(100 * np.mean(tr.selected > mtd), abs=1e-12)
        escalation = tr.n - tr.backfilled
        assert np.all(escalation.sum(axis=1) <= 30) and np.all(escalation.sum(axis=1) % 3 == 0)
        assert np.all(tr.backfilled[:, -1] == 0) and np.all((tr.responses <= tr.n) & (tr.y <= tr.n))
    assert c.boin.backfilled.sum() == 0 and np.all(c.bf.backfilled.sum(axis=1) <= 4 * 12)
    assert np.all(c.bf.backfilled <= 12)


def test_glued_comparison_numbers():
    assert (N["bf_n_trials"], N["bf_n_paper"], N["bf_widget_trials"]) == (4000, 10_000, 400)
    for d in chapter.DESIGNS:
        for m in ("total", "duration", "correct", "overdose", "below"):
            assert N[f"bf_s3_{m}_{d}"] == S3.mean(d, m)
    extra = [c.mean("bf", "total") - c.mean("boin", "total") for c in COMPARISONS]
    assert (N["bf_s3_extra"], N["bf_extra_min"], N["bf_extra_max"]) == (extra[1], min(extra), max(extra))
    # Table 4 itself: BF-BOIN enrols 4.8 (25.5 - 20.7), 7.0 and 8.1 more patients; durations within 0.2 months
    assert 4 < N["bf_extra_min"] and N["bf_extra_max"] < 9.5 and N["bf_dur_gap_max"] < 0.6


def test_clopper_pearson_numbers_by_definition():
    # P(X >= 2 | n=10, p=lo) = 0.05 and P(X <= 2 | n=10, p=hi) = 0.05; the Beta quantiles B(0.05; 2, 9), B(0.95; 3, 8)
    lo, hi = N["bf_cp_lo"], N["bf_cp_hi"]
    assert binom.sf(1, 10, lo) == pytest.approx(0.05, abs=1e-9) and binom.cdf(2, 10, hi) == pytest.approx(0.05,
                                                                                                          abs=1e-9)
    assert lo == pytest.approx(beta.ppf(0.05, 2, 9), abs=1e-12) and hi == pytest.approx(beta.ppf(0.95, 3, 8),
                                                                                      abs=1e-12)
    assert N["bf_cp_w10"] == pytest.approx(hi - lo, abs=1e-15)
    # 4 in 20: B(0.95; 5, 16) - B(0.05; 4, 17)
    assert N["bf_cp_w20"] == pytest.approx(beta.ppf(0.95, 5, 16) - beta.ppf(0.05, 4, 17), abs=1e-12)


def test_precision_numbers():
    p = chapter.response_precision(S3, level=0.90)
    # patients per dose add up to the Table 4 totals; backfilling narrows the interval at doses 1-3
    assert p.patients["bf"].sum() == pytest.approx(S3.mean("bf", "total"), abs=1e-9)
    assert np.all(p.width["bf"][:3] < p.width["boin"][:3])
    assert np.all(p.backfilled["boin"] == 0) and p.backfilled["bf"][-1] == 0
    assert np.all(p.coverage["boin"][:3] >= 0.85)  # Clopper-Pearson is conservative; n independent of response
    assert (N["bf_p_d2_eff"], N["bf_p_d3_eff"]) == (0.2, 0.3)
    assert N["bf_p_d2_w_bf"] == p.width["bf"][1] and N["bf_p_d3_n_boin"] == p.patients["boin"][2]
    assert N["bf_p_d2_shrink"] == pytest.approx(100 * (1 - p.width["bf"][1] / p.width["boin"][1]), abs=1e-12)
    assert N["bf_back_total"] == pytest.approx(S3.bf.backfilled.sum(axis=1).mean(), abs=1e-12)
    # Independent check of the mean width at dose 2 under BOIN: the exact expected Clopper-Pearson width given each
    # trial's n (summing over x ~ Binomial(n, 0.20)), averaged over trials, agrees within 4 Monte Carlo SE.
    n2, p2 = S3.boin.n[:, 1], S3.scenario.true_eff[1]
    exact = {}
    for n in np.unique(n2[n2 > 0]):
        xs = np.arange(n + 1)
        low, high = stats.clopper_pearson(xs, np.full_like(xs, n), 0.90)
        exact[n] = float((binom.pmf(xs, n, p2) * (high - low)).sum())
    expected = np.mean([exact[n] for n in n2[n2 > 0]])
    low, high = stats.clopper_pearson(S3.boin.responses[:, 1][n2 > 0], n2[n2 > 0], 0.90)
    se = (high - low).std(ddof=1) / np.sqrt((n2 > 0).sum())
    assert abs(p.width["boin"][1] - expected) < 4 * se


def test_exercise_numbers():
    cap24 = chapter.compare(3, n_cap_backfill=24)
    # BOIN ignores the cap: the same seed gives the same BOIN trials (simulated afresh, not from the cache)
    tox, eff = S3.scenario.true_tox, S3.scenario.true_eff
    a = chapter.paper_design(False, 12).simulate(tox, n_trials=300, seed=5, true_eff=eff)
    b = chapter.paper_design(False, 24).simulate(tox, n_trials=300, seed=5, true_eff=eff)
    assert np.array_equal(a.n, b.n) and np.array_equal(a.duration, b.duration)
    # a higher cap never removes backfill patients on average, and adds few at 3 patients a month
    back12, back24 = S3.bf.backfilled.sum(axis=1).mean(), cap24.bf.backfilled.sum(axis=1).mean()
    assert back12 <= back24 < back12 + 4 and N["bf_ex1_back"] == back24
    assert N["bf_ex1_total"] == cap24.mean("bf", "total") and N["bf_ex1_n_d2"] > N["bf_p_d2_n_bf"]
    # Without backfilling, n at a dose does not depend on responses, so x/n is unbiased: within 4 SE of the truth.
    # With backfilling, a dose opens only after a response: the naive mean lies well below the truth (more than 4 SE).
    for j, name in ((0, "d1"), (1, "d2")):
        for d in chapter.DESIGNS:
            tr = S3.trials(d)
            keep = tr.n[:, j] > 0
            rate = tr.responses[keep, j] / tr.n[keep, j]
            se = rate.std(ddof=1) / np.sqrt(keep.sum())
            gap = rate.mean() - S3.scenario.true_eff[j]
            assert abs(gap) < 4 * se if d == "boin" else gap < -4 * se
            assert N[f"bf_ex2_est_{name}_{d}"] == pytest.approx(rate.mean(), abs=1e-12)
    # slower accrual: fewer arrivals during DLT windows, less backfilling, and a longer trial for both designs
    assert N["bf_ex3_back_slow"] < N["bf_back_total"] < N["bf_ex3_back_fast"]
    assert N["bf_ex3_dur_slow_boin"] > N["bf_s3_duration_boin"] > N["bf_ex3_dur_fast_boin"]


def test_scenario_1_has_no_dose_below_the_mtd():
    c = chapter.compare(1, n_trials=200, seed=5)
    assert math.isnan(c.mean("bf", "below")) and math.isnan(c.se("boin", "below"))
    assert not math.isnan(c.mean("bf", "overdose"))
    assert len(_agreement(c)) == 12
    table = chapter.comparison_table([c], "en")
    assert table.shape == (4, 7) and np.isnan(table.iloc[1, 2])


@pytest.mark.parametrize("make, error, name", [
    (lambda: chapter.Scenario(number=None, true_tox=(0.1, 0.25), true_eff=(0.1, 0.2)), TypeError, "number"),
    (lambda: chapter.Scenario(0, (0.1, 0.25), (0.1, 0.2)), ValueError, "number"),
    (lambda: chapter.Scenario(1, (0.1, 1.2), (0.1, 0.2)), ValueError, "true_tox"),
    (lambda: chapter.Scenario(1, (0.1, 0.25), (0.1,)), ValueError, "true_eff"),
    (lambda: chapter.Scenario(1, (0.20, 0.30), (0.1, 0.2)), ValueError, "equally close"),
    (lambda: chapter.compare(13, n_trials=10), ValueError, "scenario must be one of"),
    (lambda: chapter.compare("3", n_trials=10), TypeError, "scenario"),
    (lambda: chapter.compare(3, n_trials=0), ValueError, "n_trials"),
    (lambda: chapter.compare(3, n_trials=10, seed=-1), ValueError, "seed"),
    (lambda: chapter.compare(3, n_trials=10, accrual_per_month=1000), ValueError,
     r"accrual_per_month must be a finite number > 0 and <= 100"),
    (lambda: chapter.compare(3, n_trials=10, n_cap_backfill=0), ValueError, "n_cap_backfill"),
    (lambda: chapter.paper_design(backfill="yes"), TypeError, "backfill"),
    (lambda: chapter.scenario_table([14]), ValueError, "numbers must be one of"),
    (lambda: chapter.comparison_table([]), ValueError, "at least one"),
    (lambda: chapter.comparison_table([S3], published=1), TypeError, "published"),
    (lambda: chapter.oc_figure([]), ValueError, "at least one"),
    (lambda: chapter.oc_figure([3]), TypeError, "comparisons"),
    (lambda: S3.mean("bf", "speed"), ValueError, "metric must be one of"),
    (lambda: S3.trials("crm"), ValueError, "design must be one of"),
    (lambda: chapter.response_precision(S3, level=1.5), ValueError, "level"),
    (lambda: chapter.Comparison(S3.scenario, S3.bf, "trials", 12, 3.0), TypeError, "boin"),
])
def test_bad_input_is_refused_with_a_clear_message(make, error, name):
    with pytest.raises(error, match=name):
        make()


@pytest.mark.parametrize("lang", ["en", "zh-tw"])
def test_tables_and_figures_in_both_languages(lang):
    table = chapter.comparison_table(COMPARISONS, lang)
    assert table.shape == (12, 7)
    assert table.iloc[1].tolist() == [np.nan if x is None else x for x in chapter.TABLE4["bf"][2]]
    assert chapter.scenario_table([2, 3], lang).iloc[2].tolist() == list(chapter.SCENARIOS[3].true_tox)
    assert chapter.response_precision(S3).to_frame(lang).shape == (5, 6)
    for fig in (chapter.oc_figure(COMPARISONS, lang=lang), chapter.precision_figure(S3, lang=lang)):
        fig.canvas.draw()
        plt.close(fig)


def test_the_widget_declares_a_site_grid_within_budget_and_states_its_numbers():
    w = chapter.widget
    assert w.n_states == 12 * 2 * 2  # one figure part: 12 scenarios x cap (12, 24) x accrual (3, 6)
    values = w.values(scenario=10, n_cap_backfill=24, accrual_per_month=6.0)
    comp = chapter.compare(10, chapter.WIDGET_TRIALS, chapter.SEED, 24, 6.0)
    alt = w.alt_text(0, "en", values)
    assert f"{comp.mean('bf', 'total'):.1f} patients" in alt and "scenario 10" in alt
    assert "情境 10" in w.alt_text(0, "zh-tw", values)
    fig = w.render(0, "zh-tw", values)
    assert "24" in fig._suptitle.get_text()
    plt.close(fig)


def test_barnett_comparison_numbers():
    # Barnett et al., Clin Trials 2023;20:261 (doi:10.1177/17407745231160092), abstract: up to 9% more correct
    # selections; with a 6-week cycle, each extra backfill patient shortens the trial by about half a week.
    n = chapter.numbers()
    assert (n["bf_barnett_pcs_gain"], n["bf_barnett_cycle"], n["bf_barnett_weeks"]) == (9.0, 6.0, 0.5)
    assert n["bf_s3_pcs_gain"] == pytest.approx(n["bf_s3_correct_bf"] - n["bf_s3_correct_boin"])
    assert n["bf_s3_dur_saving"] == pytest.approx(n["bf_s3_duration_boin"] - n["bf_s3_duration_bf"])
