"""Chapter "Totality of evidence": every glued number against a hand calculation or an independent computation,
the figures in both languages and the widget.

Sources of the expected numbers:
* DESTINY-Lung02 (Goto et al., J Clin Oncol 2023;41:4852; dosecourse/data/expansion_cases.json): ORR 49.0% of 102
  and 56.0% of 50, drug-related ILD 12.9% of 101 and 28.0% of 50 (reported); counts by hand: 49.98 -> 50, 28,
  13.03 -> 13, 14.
* Clopper-Pearson limits: scipy.stats.beta.ppf(0.025, x, n - x + 1) and beta.ppf(0.975, x + 1, n - x).
* The score (Farrington-Manning) interval of the ORR difference: inverted here by maximising the binomial
  likelihood under each null difference with scipy.optimize (independent of dosecourse.dose_comparison).
* CUI by hand: d_ORR = (p - 0.2)/0.4, d_ILD = (0.4 - q)/0.4, so 5.4 mg/kg: 0.5 x 0.725 + 0.5 x 0.6775 = 0.70125,
  6.4 mg/kg: 0.5 x 0.9 + 0.5 x 0.3 = 0.6; the choice flips at w = 0.3775/0.5525 = 0.68326.
* Fictional drug: arm numbers recomputed from the trial's patient arrays; the E-R slope against statsmodels 0.15
  Logit; the bootstrap shares against an independent bootstrap with another seed; the truth against
  dosecourse.dossier.true_outcomes (itself checked in tests/test_dossier.py by an independent path enumeration).
"""

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import optimize, stats

from dosecourse import dossier
from dosecourse.chapters import totality_of_evidence as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()


def _cp(x, n):
    lo = stats.beta.ppf(0.025, x, n - x + 1) if x > 0 else 0.0
    hi = stats.beta.ppf(0.975, x + 1, n - x) if x < n else 1.0
    return 100 * lo, 100 * hi


def _score_interval(xl, nl, xh, nh):
    """95% score interval of p_high - p_low, by constrained maximum likelihood and root finding."""
    def z(th):  # null: p_low - p_high = th
        def nll(ph):
            pl = ph + th
            return -(xl * np.log(pl) + (nl - xl) * np.log(1 - pl) + xh * np.log(ph) + (nh - xh) * np.log(1 - ph))
        lo, hi = max(1e-10, -th + 1e-10), min(1 - 1e-10, 1 - th - 1e-10)
        ph = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}).x
        pl = ph + th
        return (xl / nl - xh / nh - th) / np.sqrt(pl * (1 - pl) / nl + ph * (1 - ph) / nh)
    est = xl / nl - xh / nh
    zc = stats.norm.ppf(0.975)
    lo = optimize.brentq(lambda th: z(th) - zc, -0.99, est)
    hi = optimize.brentq(lambda th: z(th) + zc, est, 0.99)
    return -100 * hi, -100 * lo


def test_destiny_counts_and_rates_by_hand():
    assert (N["toe_dl_x_low"], N["toe_dl_n_low"], N["toe_dl_x_high"], N["toe_dl_n_high"]) == (50, 102, 28, 50)
    assert (N["toe_dl_ild_x_low"], N["toe_dl_ild_n_low"], N["toe_dl_ild_x_high"], N["toe_dl_ild_n_high"]) == \
        (13, 101, 14, 50)
    assert (N["toe_dl_orr_low"], N["toe_dl_orr_high"]) == pytest.approx((49.0, 56.0))
    assert (N["toe_dl_ild_low"], N["toe_dl_ild_high"]) == pytest.approx((12.9, 28.0))
    assert round(100 * 50 / 102, 1) == 49.0 and round(100 * 13 / 101, 1) == 12.9
    assert N["toe_dl_orr_diff"] == pytest.approx(7.0) and N["toe_dl_ild_diff"] == pytest.approx(15.1)
    assert N["toe_dl_harm_per_benefit"] == pytest.approx(15.1 / 7.0)
    assert N["toe_dl_ild_ratio"] == pytest.approx(28.0 / 12.9)


def test_destiny_intervals_independently():
    for key, x, n in (("toe_dl_orr_low", 50, 102), ("toe_dl_orr_high", 28, 50), ("toe_dl_ild_low", 13, 101),
                      ("toe_dl_ild_high", 14, 50)):
        assert (N[f"{key}_lo"], N[f"{key}_hi"]) == pytest.approx(_cp(x, n), abs=1e-8), key
    # Printed: ORR 5.4 mg/kg 39.0-59.1, 6.4 mg/kg 41.3-70.0; ILD 7.0-21.0 and 16.2-42.5.
    assert [round(N[k], 1) for k in ("toe_dl_orr_low_lo", "toe_dl_orr_low_hi", "toe_dl_orr_high_lo",
                                     "toe_dl_orr_high_hi")] == [39.0, 59.1, 41.3, 70.0]
    assert (N["toe_dl_diff_lo"], N["toe_dl_diff_hi"]) == pytest.approx(_score_interval(50, 102, 28, 50), abs=1e-5)
    assert (round(N["toe_dl_diff_lo"], 1), round(N["toe_dl_diff_hi"], 1)) == (-9.9, 23.2)
    ild = _score_interval(13, 101, 14, 50)
    assert (N["toe_dl_ild_diff_lo"], N["toe_dl_ild_diff_hi"]) == pytest.approx(ild, abs=1e-5)
    assert (round(N["toe_dl_ild_diff_lo"], 1), round(N["toe_dl_ild_diff_hi"], 1)) == (2.0, 30.0)   # excludes 0


def test_destiny_cui_by_hand():
    assert N["toe_dl_w"] == 0.5
    assert N["toe_dl_cui_low"] == pytest.approx(0.5 * 0.725 + 0.5 * 0.6775, abs=1e-12)
    assert N["toe_dl_cui_high"] == pytest.approx(0.6, abs=1e-12)
    assert N["toe_dl_breakpoint"] == pytest.approx(0.3775 / 0.5525, abs=1e-9)
    assert N["toe_dl_weight_odds"] == pytest.approx(0.3775 / 0.175, abs=1e-9)   # w / (1 - w)
    # Posterior probability that 5.4 mg/kg has the higher CUI: an independent Monte Carlo with another seed.
    rng = np.random.default_rng(99)
    s = 200_000
    o = rng.beta(1 + np.array([50, 28]), 1 + np.array([52, 22]), size=(s, 2))
    i = rng.beta(1 + np.array([13, 14]), 1 + np.array([88, 36]), size=(s, 2))
    u = 0.5 * np.clip((o - 0.2) / 0.4, 0, 1) + 0.5 * np.clip((0.4 - i) / 0.4, 0, 1)
    ref = 100 * float(np.mean(u[:, 0] > u[:, 1]))
    assert abs(N["toe_dl_pbest_low"] - ref) < 1.5          # MC SE of the chapter's 10,000 draws is 0.38 points
    assert N["toe_dl_draws"] == 10_000 and round(N["toe_dl_pbest_low"], 1) == 83.0


def test_landscape_numbers_as_published():
    # Harvey, JNCI 2023;115:485 (medians 2010-2020: reduction 28%, interruption 55%, discontinuation 10%);
    # Collins, Cancer Chemother Pharmacol 2025;95:17 (15 of 54 small-molecule NMEs approved at the MTD).
    assert [N[k] for k in ("toe_land_reduction", "toe_land_interruption", "toe_land_discontinuation")] == [28, 55, 10]
    assert (N["toe_land_at_mtd"], N["toe_land_n"]) == (15, 54)


def test_fictional_arm_numbers_from_the_patient_data():
    tr = chapter.trial()
    assert (N["toe_n_per_arm"], N["toe_seed"], N["toe_boot"], N["toe_cycles"]) == (50, 2025, 2000, 6)
    assert tr.arm.size == 150 and tr.seed == 2025
    for j, d in enumerate((100, 200, 400)):
        m = tr.arm == j
        x = int(tr.response[m].sum())
        assert N[f"toe_orr_{d}"] == pytest.approx(100 * x / 50)
        assert (N[f"toe_orr_{d}_lo"], N[f"toe_orr_{d}_hi"]) == pytest.approx(_cp(x, 50), abs=1e-8)
        assert N[f"toe_ae_{d}"] == pytest.approx(100 * np.mean(tr.n_events[m] > 0))
        assert N[f"toe_c1_{d}"] == pytest.approx(100 * np.mean(tr.cycle1_event[m]))
        assert N[f"toe_red_{d}"] == pytest.approx(100 * np.mean(tr.n_reductions[m] > 0))
        assert N[f"toe_disc_{d}"] == pytest.approx(100 * np.mean(tr.discontinued[m]))
        assert N[f"toe_rdi_{d}"] == pytest.approx(100 * np.mean(tr.dose_intensity[m]), abs=1e-12)
        assert N[f"toe_auc_{d}"] == pytest.approx(np.median(tr.auc[m]), abs=1e-12)
        assert N[f"toe_inh_{d}"] == pytest.approx(np.mean(tr.inhibition[m]), abs=1e-12)
    # Seed 2025: the values the prose shows.
    assert [N[f"toe_orr_{d}"] for d in (100, 200, 400)] == pytest.approx([44.0, 46.0, 62.0])
    assert [N[f"toe_ae_{d}"] for d in (100, 200, 400)] == pytest.approx([6.0, 28.0, 80.0])
    assert [N[f"toe_c1_{d}"] for d in (100, 200, 400)] == pytest.approx([0.0, 10.0, 28.0])
    assert [N[f"toe_disc_{d}"] for d in (100, 200, 400)] == pytest.approx([0.0, 2.0, 10.0])
    assert N["toe_diff_400_200"] == pytest.approx(16.0)
    xs = [int(tr.response[tr.arm == j].sum()) for j in (1, 2)]
    assert (N["toe_diff_lo"], N["toe_diff_hi"]) == pytest.approx(_score_interval(xs[0], 50, xs[1], 50), abs=1e-5)
    # Exercise 3 by hand: (1 + 0.75 + 4 x 0.75) / 6 = 79.17%; SE of a rate with 50 patients at most 0.5/sqrt(50).
    assert N["toe_ex3_rdi"] == pytest.approx(475 / 6, abs=1e-12)
    assert N["toe_se_orr_max"] == pytest.approx(50 / 50 ** 0.5, abs=1e-12)
    # The phase 1 rule: every cycle-1 rate is below 33%, so the highest tolerated dose is 400 mg.
    assert N["toe_mtd_limit"] == pytest.approx(33.0) and N["toe_phase1_dose"] == 400.0


def test_exposure_response_against_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    tr = chapter.trial()
    ref = sm.Logit(tr.response.astype(float), sm.add_constant(np.log(tr.auc))).fit(disp=0)
    assert N["toe_er_slope"] == pytest.approx(float(ref.params[1]), abs=1e-8)
    assert (N["toe_er_slope_lo"], N["toe_er_slope_hi"]) == pytest.approx(tuple(ref.conf_int()[1]), rel=1e-6)
    for j, d in enumerate((100, 200, 400)):
        x = np.column_stack([np.ones(50), np.log(tr.auc[tr.arm == j])])
        assert N[f"toe_orr_er_{d}"] == pytest.approx(100 * float(np.mean(ref.predict(x))), abs=1e-7)


def _independent_bootstrap(weights, seed=77, b=2000, er=False):
    """Share best by an independent bootstrap loop (one resample at a time, statsmodels for the E-R refit)."""
    sm = pytest.importorskip("statsmodels.api")
    tr = chapter.trial()
    rng = np.random.default_rng(seed)
    idx = [np.flatnonzero(tr.arm == j) for j in range(3)]
    des = chapter.DESIRABILITY
    wins = np.zeros(3)
    for _ in range(b):
        pick = [rng.choice(i, i.size) for i in idx]
        vals = {k: np.array([tr.outcome(k)[p].mean() for p in pick]) for k in weights}
        if er:
            allp = np.concatenate(pick)
            fit = sm.Logit(tr.response[allp].astype(float), sm.add_constant(np.log(tr.auc[allp]))).fit(disp=0)
            vals["response"] = np.array([np.mean(fit.predict(sm.add_constant(np.log(tr.auc[p])))) for p in pick])
        u = sum(w * np.asarray(des[k](vals[k])) for k, w in weights.items())
        best = u >= u.max() - 1e-9
        wins += best / best.sum()
    return 100 * wins / b


def test_bootstrap_shares_agree_with_an_independent_bootstrap():
    # Difference of two bootstrap shares of 2000 resamples: SE <= sqrt(2 x 0.25/2000) = 1.6 points; allow 4 SE.
    ref = _independent_bootstrap(chapter.weights("tolerability", 0.5))
    assert N["toe_best"] == 100.0 and abs(N["toe_pbest"] - ref[0]) < 6.5
    ref = _independent_bootstrap(chapter.weights("response_ae", 0.5))
    assert N["toe_best_ae"] == 100.0 and abs(N["toe_pbest_ae"] - ref[0]) < 6.5
    ref = _independent_bootstrap(chapter.weights("response_ae", 0.8))
    assert N["toe_best_hi"] == 400.0 and abs(N["toe_pbest_hi"] - ref[2]) < 6.5
    ref = _independent_bootstrap(chapter.weights("er_tolerability", 0.5), b=400, er=True)
    assert N["toe_best_er"] == 200.0 and abs(N["toe_pbest_er"] - ref[1]) < 9   # 400 resamples: SE <= 2.2 points
    # The E-R dossier first favours 400 mg at a response weight of 0.7 on the site grid.
    assert N["toe_w_switch_er"] == 0.7
    # Site grid 0.3-0.8: the E-R dossier favours 200 mg at 0.4, 0.5 and 0.6, the observed-rate dossier never does.
    er = {w: float(chapter.probability_best("er_tolerability", w).best_observed) for w in chapter.W_SITE}
    obs = {w: float(chapter.probability_best("tolerability", w).best_observed) for w in chapter.W_SITE}
    assert [w for w, d in er.items() if d == 200.0] == [0.4, 0.5, 0.6] and 200.0 not in obs.values()
    assert (N["toe_er200_from"], N["toe_er200_to"]) == (0.4, 0.6)
    assert float(chapter.probability_best("er_tolerability", 0.6).best_observed) == 200.0
    assert [round(N[k]) for k in ("toe_pbest", "toe_pbest_ae", "toe_pbest_er", "toe_pbest_hi")] == [61, 79, 82, 56]


def test_truth_and_the_true_best_dose_by_hand():
    tru = dossier.true_outcomes(chapter.DRUG)
    for j, d in enumerate((100, 200, 400)):
        assert N[f"toe_true_orr_{d}"] == pytest.approx(100 * tru.response[j], abs=1e-12)
        assert N[f"toe_true_ae_{d}"] == pytest.approx(100 * tru.adverse_event[j], abs=1e-12)
        assert N[f"toe_true_disc_{d}"] == pytest.approx(100 * tru.discontinuation[j], abs=1e-12)
        assert N[f"toe_true_rdi_{d}"] == pytest.approx(100 * tru.dose_intensity[j], abs=1e-12)
        assert N[f"toe_true_inh_{d}"] == pytest.approx(100 * tru.inhibition[j] / 100, abs=1e-12)
    # Hand CUI at the truth, response weight 0.5 and the rest in thirds.
    dr = np.clip((tru.response - 0.2) / 0.4, 0, 1)
    rest = (np.clip((0.8 - tru.adverse_event) / 0.7, 0, 1) + np.clip((0.3 - tru.discontinuation) / 0.3, 0, 1)
            + np.clip((tru.dose_intensity - 0.6) / 0.4, 0, 1)) / 3
    u = 0.5 * dr + 0.5 * rest
    assert chapter.DRUG.doses[int(np.argmax(u))] == N["toe_true_best"] == 200.0
    u_hi = 0.8 * dr + 0.2 * np.clip((0.8 - tru.adverse_event) / 0.7, 0, 1)
    assert chapter.DRUG.doses[int(np.argmax(u_hi))] == N["toe_true_best_hi"] == 400.0
    # Printed truth: ORR 36.8 / 48.2 / 55.0%, any intolerable AE 12.0 / 33.5 / 68.4%.
    assert [round(N[f"toe_true_orr_{d}"], 1) for d in (100, 200, 400)] == [36.8, 48.2, 55.0]
    assert [round(N[f"toe_true_ae_{d}"], 1) for d in (100, 200, 400)] == [12.0, 33.5, 68.4]


def test_weights_sum_to_one_and_check_their_arguments():
    for ev in chapter.EVIDENCE:
        for w in chapter.W_SITE:
            assert sum(chapter.weights(ev, w).values()) == pytest.approx(1.0, abs=1e-12)
    assert chapter.weights("response_only", 0.3) == {"response": 1.0}
    with pytest.raises(ValueError, match="evidence must be one of"):
        chapter.weights("pk_only", 0.5)
    with pytest.raises(ValueError, match="w_efficacy"):
        chapter.weights("tolerability", 1.5)


@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    ev = chapter.evidence_table(lang)
    assert len(ev) == 6 and "49.0" in ev.iloc[3, 1] and "-9.9" in ev.iloc[3, 1] and "0.68" in ev.iloc[5, 1]
    assert "83.0" in ev.iloc[5, 1] and "2.0" in ev.iloc[4, 1] and "30.0" in ev.iloc[4, 1]
    arms = chapter.arm_table(lang)
    assert len(arms) == 3 and arms.iloc[2, 1] == 50 and arms.iloc[2, 4].startswith("62.0")
    assert t("toe_col_rdi", lang) in arms.columns


@pytest.mark.parametrize("lang", LANGS)
def test_figures_render_in_both_languages(lang):
    for fig in (chapter.destiny_figure(lang), chapter.destiny_cui_figure(lang), chapter.dossier_figure(lang),
                chapter.cui_figure(lang, 0.8, "er_tolerability")):
        fig.canvas.draw()
        plt.close(fig)
    fig = chapter.destiny_cui_figure(lang)
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert "0.701" in texts and "0.600" in texts
    plt.close(fig)


def test_widget_fits_the_site_budget():
    w = chapter.widget
    assert w.n_states == 48 and w.n_states <= widgets.MAX_STATES
    assert [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts] == [24, 24]
    assert w.defaults == {"w_efficacy": 0.5, "evidence": "tolerability"}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_outputs_follow_the_controls(lang):
    w = chapter.widget
    text = w.render(0, lang, w.defaults)
    assert "100 mg" in text and "61%" in text and "2025" in text
    assert "200 mg" in w.render(0, lang, {**w.defaults, "evidence": "er_tolerability"})
    assert "400 mg" in w.render(0, lang, {"w_efficacy": 0.8, "evidence": "response_ae"})
    alt = w.alt_text(1, lang, w.defaults)
    assert "0.797" in alt and "61" in alt
    for ev in chapter.EVIDENCE:
        fig = w.render(1, lang, {"w_efficacy": 0.5, "evidence": ev})
        fig.canvas.draw()
        plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="totality_of_evidence"' in html
    assert "61%" in html
