"""Capstone "DC-2026": every glued number against a hand calculation, a closed form, an independent fit or an
independent integration; the data reproducible by seed; reveal() against the hidden model; checks, figures, widget.

Sources of the expected numbers:
* ICH S9 start: min(STD10_rat x Km_rat / 10, HNSTD_dog x Km_dog / 6) mg/m^2 with Km 6 (rat), 20 (dog), 37 (human)
  and 1.62 m^2 (FDA 2005 Table 1): min(100 x 6 / 10, 15 x 20 / 6) = 50 mg/m^2 = 50/37 mg/kg = 81 mg.
* FDA 2005 MRSD: the lowest HED = NOAEL x Km_animal / 37, divided by 10: min(30 x 6, 5 x 20) / 37 / 10 mg/kg.
* BOIN boundaries (Liu & Yuan 2015, phi1 = 0.6 phi, phi2 = 1.4 phi): closed forms written below.
* Exact operating characteristics: against the package's own Monte Carlo simulation of the same design (a
  different code path), within 4.5 Monte Carlo standard errors.
* The expansion rule's selection probabilities: a double binomial sum written below (scipy.stats.binom).
* Clopper-Pearson limits: beta quantiles (scipy.stats.beta).
* CUI and its flip weight: the linear desirabilities and the weighted sum by hand; the flip solves
  w dR + (1 - w) dT = 0.
* Logistic slopes: an independent Newton-Raphson (IRLS) fit in NumPy.
* The truth: scipy.integrate.dblquad over sickness and the rest of log clearance (normal densities), not the
  module's Gauss-Hermite rule.
"""

import math
import re

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy import integrate, stats

from dosecourse import capstone_drug as cd
from dosecourse import escalation as esc
from dosecourse.chapters import capstone as chapter
from dosecourse.i18n import LANGS

N = chapter.numbers()
M = cd.DEFAULT_MODEL


# ------------------------------------------------------------------------------------------------ step 1
def test_s9_and_mrsd_by_hand():
    s9 = min(100 * 6 / 10, 15 * 20 / 6)
    assert (N["cap_rat_cand"], N["cap_dog_cand"], N["cap_s9_m2"]) == pytest.approx((60.0, 50.0, s9))
    assert N["cap_s9_mgkg"] == pytest.approx(s9 / 37) and N["cap_s9_mg"] == pytest.approx(s9 * 1.62)
    mrsd = min(30 * 6, 5 * 20) / 37 / 10
    assert N["cap_mrsd_mgkg"] == pytest.approx(mrsd) and N["cap_mrsd_mg"] == pytest.approx(60 * mrsd)
    assert N["cap_s9_over_mrsd"] == pytest.approx((s9 / 37) / mrsd)
    assert N["cap_start_over_s9"] == pytest.approx(80 / (s9 * 1.62))


@pytest.mark.parametrize("lang", LANGS)
def test_starting_dose_verdicts_switch_at_the_s9_dose_and_the_mrsd(lang):
    s9, mrsd = 50 / 37, 100 / 37 / 10
    above = chapter.check_starting_dose(s9 * 1.01, lang)
    within = chapter.check_starting_dose(s9, lang)
    low = chapter.check_starting_dose(mrsd * 0.99, lang)

    def head(text):
        return re.split("[:：]", text)[0]

    assert len({head(above), head(within), head(low)}) == 3
    assert head(within) == head(chapter.check_starting_dose(mrsd, lang))
    assert ("Above" in above and "Within" in within and "Below" in low) if lang == "en" else \
        ("高於" in above and "符合" in within and "低於" in low)


# ------------------------------------------------------------------------------------------------ step 2
def test_boin_boundaries_by_closed_form():
    phi = 0.25
    p1, p2 = 0.6 * phi, 1.4 * phi
    le = math.log((1 - p1) / (1 - phi)) / math.log(phi * (1 - p1) / (p1 * (1 - phi)))
    ld = math.log((1 - phi) / (1 - p2)) / math.log(p2 * (1 - phi) / (phi * (1 - p2)))
    assert N["cap_lambda_e"] == pytest.approx(le, rel=1e-12) and N["cap_lambda_d"] == pytest.approx(ld, rel=1e-12)
    assert N["cap_max_n"] == 30 == N["cap_cohort"] * N["cap_n_cohorts"]


PLANS = {"plan": chapter.PLAN, **chapter.ALTERNATIVES}


@pytest.mark.parametrize("plan", list(PLANS))
@pytest.mark.parametrize("scenario", list(chapter.PLAN_SCENARIOS))
def test_exact_operating_characteristics_agree_with_simulation(plan, scenario):
    design, tox = PLANS[plan], chapter.PLAN_SCENARIOS[scenario]
    exact = design.operating_characteristics(list(tox)).summary(0.25)
    assert exact.exact
    sim = design.operating_characteristics(list(tox), method="simulate", n_trials=20_000, seed=11).summary(0.25)
    for name in ("pcs", "select_overdose", "no_selection"):
        e = getattr(exact, name) or 0.0
        se = max(sim.se.get(name) or 0.0, math.sqrt(max(e * (1 - e), 1e-4) / 20_000))
        assert abs((getattr(sim, name) or 0.0) - e) <= 4.5 * se, (plan, scenario, name)
    assert exact.total_n == pytest.approx(sim.total_n, abs=4.5 * max(sim.se["total_n"], 0.01))


def test_glued_operating_characteristics_are_the_exact_summaries():
    def s(design, name):
        return design.operating_characteristics(list(chapter.PLAN_SCENARIOS[name])).summary(0.25)

    assert N["cap_oc_animals_pcs"] == pytest.approx(100 * s(chapter.PLAN, "animals").pcs)
    assert N["cap_oc_animals_over"] == pytest.approx(100 * s(chapter.PLAN, "animals").select_overdose)
    assert N["cap_oc_steep_over"] == pytest.approx(100 * s(chapter.PLAN, "steep").select_overdose)
    assert N["cap_oc_toxic_none"] == pytest.approx(100 * s(chapter.PLAN, "toxic").no_selection)
    alt = chapter.ALTERNATIVES
    assert N["cap_alt_target20_steep_over"] == pytest.approx(100 * s(alt["target20"], "steep").select_overdose)
    assert N["cap_alt_target20_animals_pcs"] == pytest.approx(100 * s(alt["target20"], "animals").pcs)
    assert N["cap_alt_cohort2_steep_over"] == pytest.approx(100 * s(alt["cohort2"], "steep").select_overdose)
    assert N["cap_alt_tpt_steep_over"] == pytest.approx(100 * s(alt["tpt"], "steep").select_overdose)
    assert N["cap_alt_tpt_animals_pcs"] == pytest.approx(100 * s(alt["tpt"], "animals").pcs)
    assert N["cap_alt_tpt_animals_n"] == pytest.approx(s(alt["tpt"], "animals").total_n)
    # the 3+3 as protocols write it (six at the MTD); on the animal scenario the correct dose is dose 5 (0.25), declared
    # by hand with e1 e2 e3 e4 b5 F6: e = (1-p)^3 + 3p(1-p)^5, b = (1-p)^6 + 6p(1-p)^5 and, for the top dose,
    # F6 = 1 - e6 + (1-p6)^3 {1 - (1-p6)^3 - 3 p6 (1-p6)^2} (tests/test_three_plus_three.py)
    assert alt["tpt"].variant == "six-at-mtd"
    p = np.array(chapter.PLAN_SCENARIOS["animals"])
    e = (1 - p) ** 3 + 3 * p * (1 - p) ** 5
    f6 = 1 - e[5] + (1 - p[5]) ** 3 * (1 - (1 - p[5]) ** 3 - 3 * p[5] * (1 - p[5]) ** 2)
    b5 = (1 - p[4]) ** 6 + 6 * p[4] * (1 - p[4]) ** 5
    assert N["cap_alt_tpt_animals_pcs"] == pytest.approx(100 * e[:4].prod() * b5 * f6, abs=1e-10)
    # what the prose says of them
    assert N["cap_alt_target20_steep_over"] < N["cap_oc_steep_over"] < N["cap_alt_cohort2_steep_over"]
    assert N["cap_alt_target20_animals_pcs"] < N["cap_oc_animals_pcs"]
    assert N["cap_alt_tpt_animals_pcs"] < N["cap_oc_animals_pcs"] and N["cap_alt_tpt_animals_n"] < N["cap_max_n"]


def test_check_plan_flags_a_plan_that_overdoses():
    aggressive = esc.BOIN(0.40, 6, cohort_size=1, n_cohorts=20)
    assert chapter.check_plan(lang="en").splitlines()[-1].startswith("Verdict: the plan")
    assert "flagged" in chapter.check_plan(aggressive, lang="en").splitlines()[-1]
    mine = {"mine": (0.02, 0.05, 0.10, 0.20, 0.30, 0.45)}
    text = chapter.check_plan(chapter.PLAN, mine, lang="zh-tw")
    assert text.startswith("mine：") and len(text.splitlines()) == 2


# ------------------------------------------------------------------------------------------------ step 3
def _hand_dlt_probability(dose, weight, sickness, eta):
    cl = 12.0 * (weight / 70.0) ** 0.75 * np.exp(0.30 * sickness + 0.30 * eta)
    auc = dose / cl
    eta_t = math.log(0.25 / 0.75) + 2.5 * np.log(auc / 56.0)
    return 1 / (1 + np.exp(-eta_t))


def test_escalation_follows_the_design_and_the_hidden_truth_patient_by_patient():
    run = chapter.escalation()
    pts = cd.patients(chapter.PLAN.max_n, "escalation", seed=chapter.SEED)
    n = run.doses.size
    q = _hand_dlt_probability(np.array(chapter.DOSES)[run.doses - 1], pts.weight[:n], pts.sickness[:n], pts.eta[:n])
    assert np.array_equal(run.dlt, pts.u_dlt[:n] < q)
    cohorts = run.outcomes.split()
    for i in range(1, len(cohorts)):  # every next dose is the design's own decision on the data so far
        assert chapter.PLAN.next_dose(" ".join(cohorts[:i])).dose == int(re.match(r"\d+", cohorts[i]).group())
    assert run.selected == chapter.PLAN.select(run.outcomes)
    assert N["cap_esc_n"] == n == int(run.n.sum()) and N["cap_esc_dlts"] == int(run.dlt.sum())
    assert N["cap_esc_selected"] == chapter.DOSES[run.selected - 1]
    assert N["cap_esc_y_sel"] == int(run.dlt[run.doses == run.selected].sum())


def test_data_are_reproducible_by_seed_and_change_with_it():
    a = cd.run_escalation(chapter.PLAN, seed=chapter.SEED)
    assert a.outcomes == cd.run_escalation(chapter.PLAN, seed=chapter.SEED).outcomes == chapter.escalation().outcomes
    others = {cd.run_escalation(chapter.PLAN, seed=s).outcomes for s in (1, 2, 3)}
    assert any(o != a.outcomes for o in others)
    e1, e2 = cd.simulate_expansion((320.0, 640.0), 40, seed=5), cd.simulate_expansion((320.0, 640.0), 40, seed=5)
    assert np.array_equal(e1.response, e2.response) and np.array_equal(e1.auc, e2.auc)
    e3 = cd.simulate_expansion((320.0, 640.0), 40, seed=6)
    assert not np.array_equal(e1.auc, e3.auc)
    # patient i is the same patient for a longer cohort, and the same patients meet every dose pair
    assert np.array_equal(cd.patients(10, "expansion", seed=5).weight, cd.patients(50, "expansion", seed=5).weight[:10])
    e4 = cd.simulate_expansion((480.0, 960.0), 40, seed=5)
    assert np.array_equal(e1.weight, e4.weight)


# ------------------------------------------------------------------------------------------------ step 4
def test_expansion_counts_intervals_and_selection_by_hand():
    ex = chapter.expansion()
    low = ex.dose == 320.0
    x1, x2 = int(ex.response[low].sum()), int(ex.response[~low].sum())
    assert (N["cap_x_low"], N["cap_x_high"], N["cap_n_arm"]) == (x1, x2, 40) and low.sum() == 40
    assert (N["cap_t_low"], N["cap_t_high"]) == (int(ex.toxicity[low].sum()), int(ex.toxicity[~low].sum()))
    for x, lo, hi in ((x1, "cap_lo_low", "cap_hi_low"), (x2, "cap_lo_high", "cap_hi_high")):
        assert N[lo] == pytest.approx(100 * stats.beta.ppf(0.05, x, 40 - x + 1), abs=1e-8)
        assert N[hi] == pytest.approx(100 * stats.beta.ppf(0.95, x + 1, 40 - x), abs=1e-8)
    assert N["cap_exp_selected"] == (640.0 if x2 / 40 - x1 / 40 > 0.10 + 1e-12 else 320.0)
    assert N["cap_inh_low"] == pytest.approx(ex.inhibition[low].mean())
    bf = chapter.backfill()
    assert N["cap_bf_total"] == 3 * 6 == bf.dose.size and N["cap_bf_resp"] == int(bf.response.sum())
    assert (N["cap_dlt_low"], N["cap_dlt_high"]) == (int(ex.dlt[low].sum()), int(ex.dlt[~low].sum()))
    assert (N["cap_rat_noael"], N["cap_dog_noael"]) == (30, 5)


def _p_select_higher(p1, p2, n, margin):
    k = np.arange(n + 1)
    f1, f2 = stats.binom.pmf(k, n, p1), stats.binom.pmf(k, n, p2)
    win = (k[None, :] - k[:, None]) > margin * n + 1e-9  # x2 - x1 > margin n
    return float(f1 @ win.astype(float) @ f2)


@pytest.mark.parametrize("name", list(chapter.ASSUMED))
def test_expansion_rule_selection_probability_by_a_double_binomial_sum(name):
    p1, p2 = chapter.ASSUMED[name]
    assert N[f"cap_exp_{name}_high"] / 100 == pytest.approx(_p_select_higher(p1, p2, 40, 0.10), abs=1e-12)


# ------------------------------------------------------------------------------------------------ step 6
def _cui(r, tx, w):
    return w * np.minimum(np.asarray(r) / 0.5, 1.0) + (1 - w) * np.clip(1 - np.asarray(tx) / 0.6, 0.0, 1.0)


def test_cui_and_its_flip_weight_by_hand():
    ex = chapter.expansion()
    low = ex.dose == 320.0
    r = [ex.response[low].mean(), ex.response[~low].mean()]
    tx = [ex.toxicity[low].mean(), ex.toxicity[~low].mean()]
    assert (N["cap_cui_low"], N["cap_cui_high"]) == pytest.approx(tuple(_cui(r, tx, 0.5)))
    assert N["cap_cui_best"] == (320.0 if _cui(r, tx, 0.5)[0] >= _cui(r, tx, 0.5)[1] else 640.0)
    # the plan's assumptions: response 30% vs 45%, toxicity 1 - (1 - q)^3 of the animal scenario
    q = np.array([0.08, 0.25])
    ra, ta = np.array([0.30, 0.45]), 1 - (1 - q) ** 3
    assert (N["cap_as_tox_low"], N["cap_as_tox_high"]) == pytest.approx(tuple(100 * ta))
    d_r = ra / 0.5
    d_t = 1 - ta / 0.6
    flip = (d_t[1] - d_t[0]) / ((d_r[0] - d_r[1]) - (d_t[0] - d_t[1]))
    assert N["cap_cui_flip"] == pytest.approx(flip, rel=1e-9)
    plan = chapter.cui_result(source="assumed")
    assert tuple(plan.values) == pytest.approx(tuple(_cui(ra, ta, 0.5)))
    assert N["cap_cui_plan_best"] == (320.0 if _cui(ra, ta, 0.5)[0] >= _cui(ra, ta, 0.5)[1] else 640.0)
    lo, hi = chapter.cui_result(w_efficacy=flip - 0.01, source="assumed"), \
        chapter.cui_result(w_efficacy=flip + 0.01, source="assumed")
    assert (float(lo.best.dose), float(hi.best.dose)) == (320.0, 640.0)


# ------------------------------------------------------------------------------------------------ step 7
def _irls(X, y):
    X = np.column_stack([np.ones(len(y)), X])
    b = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-X @ b))
        w = p * (1 - p)
        step = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (y - p))
        b += step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = 1 / (1 + np.exp(-X @ b))
    cov = np.linalg.inv(X.T @ ((p * (1 - p))[:, None] * X))
    return b[1], math.sqrt(cov[1, 1])


def test_logistic_slopes_against_an_independent_newton_fit():
    ex = chapter.expansion()
    y = ex.response.astype(float)
    cases = {"naive": np.log(ex.auc)[:, None],
             "adjusted": np.column_stack([np.log(ex.auc), np.log(ex.albumin), np.log(ex.weight)]),
             "dose": np.log(ex.dose)[:, None]}
    names = {"naive": "cap_er_naive", "adjusted": "cap_er_adj", "dose": "cap_er_dose"}
    for analysis, X in cases.items():
        b, se = _irls(X, y)
        key = names[analysis]
        assert N[key] == pytest.approx(b, abs=1e-6)
        assert N[f"{key}_lo"] == pytest.approx(b - 1.959963984540054 * se, abs=1e-5)
        assert N[f"{key}_hi"] == pytest.approx(b + 1.959963984540054 * se, abs=1e-5)
    assert N["cap_er_naive_or2"] == pytest.approx(2 ** N["cap_er_naive"])


def test_the_confounding_is_real_in_the_truth():
    # across seeds the naive slope is biased upwards against the randomized dose slope (mean of 40 replicates)
    naive, dose = [], []
    for s in range(40):
        ex = cd.simulate_expansion((320.0, 640.0), 40, seed=s)
        naive.append(cd.fit_exposure_response(ex, "naive").slope)
        dose.append(cd.fit_exposure_response(ex, "dose").slope)
    assert np.mean(naive) > np.mean(dose) + 0.4


# ------------------------------------------------------------------------------------------------ the truth
def _integrate(dose, outcome):
    rest = math.hypot(0.30, 0.75 * 0.20)

    def f(z, s):
        auc = dose / (12.0 * math.exp(0.30 * s + rest * z))
        share = auc ** 1.5 / (6.0 ** 1.5 + auc ** 1.5)
        value = {"response": share / (1 + math.exp(-(math.log(0.45 / 0.55) - s))),
                 "dlt": 1 / (1 + math.exp(-(math.log(1 / 3) + 2.5 * math.log(auc / 56.0))))}[outcome]
        return value * stats.norm.pdf(z) * stats.norm.pdf(s)
    return integrate.dblquad(f, -9, 9, -9, 9, epsabs=1e-10)[0]


def test_reveal_matches_the_hidden_model_by_independent_integration():
    tr = cd.reveal(0.25)
    for d in (320.0, 640.0):
        i = chapter.DOSES.index(d)
        assert tr.response[i] == pytest.approx(_integrate(d, "response"), abs=1e-7)
        assert tr.dlt[i] == pytest.approx(_integrate(d, "dlt"), abs=1e-7)
    assert np.allclose(tr.dlt, M.expected(chapter.DOSES, "dlt"))
    assert np.allclose(tr.toxicity, M.expected(chapter.DOSES, "toxicity"))
    assert tr.mtd == int(np.argmin(np.abs(tr.dlt - 0.25))) + 1
    assert tr.plateau == int(np.flatnonzero(tr.response >= tr.response.max() - 0.05)[0]) + 1
    assert N["cap_true_mtd"] == chapter.DOSES[tr.mtd - 1] and N["cap_true_plateau"] == chapter.DOSES[tr.plateau - 1]
    assert N["cap_true_resp_low"] == pytest.approx(100 * tr.response[2])
    assert N["cap_true_tox_ratio"] == pytest.approx(tr.toxicity[4] / tr.toxicity[2])
    assert N["cap_true_resp_gain"] == pytest.approx(100 * (tr.response[4] - tr.response[2]))


def test_the_seeded_patients_follow_the_truth():
    # 2000 expansion-stream patients at 640 mg: observed response and cycle-1 DLT rates within 4.5 SE of the truth
    pts = cd.patients(cd.MAX_PATIENTS_PER_PART, "expansion", seed=123)
    auc = pts.auc(640.0)
    tr = cd.reveal()
    for observed, true in ((pts.u_response < M.p_response(auc, pts.sickness), tr.response[4]),
                           (pts.u_dlt < M.p_dlt(auc), tr.dlt[4])):
        assert abs(observed.mean() - true) < 4.5 * math.sqrt(true * (1 - true) / pts.n)


# ------------------------------------------------------------------------------------------------ prose, figures
def test_every_glued_name_exists_and_every_number_is_glued():
    from booktools import BOOK, cell_source, read_notebook

    for lang in LANGS:
        nb = read_notebook(BOOK / lang / "capstone" / "capstone.ipynb")
        text = "\n".join(cell_source(c) for c in nb["cells"])
        used = set(re.findall(r"\{glue:text\}`([a-z0-9_]+):", text))
        assert used == set(N), (sorted(used - set(N)), sorted(set(N) - used))
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in N.values())


def test_eight_steps_have_their_labels_in_both_languages():
    from booktools import BOOK, cell_source, read_notebook

    for lang in LANGS:
        text = "\n".join(cell_source(c) for c in read_notebook(BOOK / lang / "capstone" / "capstone.ipynb")["cells"])
        assert [f"cap-step-{i}" for i in range(1, 9)] == re.findall(r"\((cap-step-\d)\)=", text)
        assert len(re.findall(r"```\{solution\}", text)) >= 8


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["escalation_figure", "er_figure", "reveal_figure", "cui_figure"])
def test_figures_render_without_missing_glyphs(lang, name):
    fig = getattr(chapter, name)(lang=lang)  # course_figure raises on a missing glyph
    fig.canvas.draw()
    assert fig.axes[0].get_title(loc="left")
    plt.close(fig)


def test_widget_fits_the_budget_and_renders_every_state():
    w = chapter.widget
    assert w.n_states == 54 <= 60
    for lang in LANGS:
        for _key, values in w.part_states(0):
            assert "mg" in w.render(0, lang, values)
    alt = w.alt_text(1, "en", w.defaults)
    assert f"{chapter.cui_result(source='assumed').values[0]:.3f}" in alt and f"{N['cap_cui_low']:.3f}" in alt


def test_justification_assembles_the_readers_choices():
    default = chapter.justification(lang="en")
    assert len(default) == 8 and "320 mg once daily" in default.iloc[7, 1]
    mine = chapter.justification({"pair": "480-960", "w_efficacy": 0.8, "dose": 480.0}, lang="zh-tw")
    assert "480 mg" in mine.iloc[7, 1] and "480 對 960" in mine.iloc[3, 1]


@pytest.mark.parametrize("call, error, match", [
    (lambda: chapter.check_starting_dose(-1.0), ValueError, "mg_per_kg"),
    (lambda: chapter.check_plan(esc.BOIN(0.25, 5)), ValueError, "design must have 6"),
    (lambda: chapter.check_plan(chapter.PLAN, {"x": (0.1, 0.2)}), ValueError, "scenarios"),
    (lambda: chapter.check_expansion("100-200"), ValueError, "pair"),
    (lambda: chapter.check_biomarker_roles({"mutation": "central"}), ValueError, "roles"),
    (lambda: chapter.check_biomarker_roles({"blood": "integral"}), ValueError, "roles"),
    (lambda: chapter.check_weights(1.5), ValueError, "w_efficacy"),
    (lambda: chapter.justification({"colour": "red"}), ValueError, "choices"),
    (lambda: cd.simulate_expansion([320.0], 40), ValueError, "two doses"),
    (lambda: cd.run_escalation(esc.BOIN(0.25, 5)), ValueError, "per dose of doses"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_live_redraw_reuses_the_layout_and_draws_the_same_figure():
    from dosecourse.chapters import style

    w = chapter.widget
    values = {**w.defaults, "pair": "480-960", "w": 0.8}
    for lang in LANGS:
        plt.close(w.live_render(1, lang, w.defaults))
        live, book = w.live_render(1, lang, values), w.render(1, lang, values)
        assert style._texts(live) == style._texts(book)
        plt.close(live)
        plt.close(book)


def test_check_expansion_flags_small_arms_by_the_double_binomial_sum():
    text = chapter.check_expansion("320-640", n_per_arm=10, margin=0.10, lang="en")
    plateau, rising = _p_select_higher(0.4, 0.4, 10, 0.10), _p_select_higher(0.3, 0.45, 10, 0.10)
    assert f"{100 * plateau:.1f}%" in text and f"{100 * rising:.1f}%" in text
    assert (plateau > 0.20 or rising < 0.60) and "flagged" in text.splitlines()[-1]
    assert "flagged" not in chapter.check_expansion(lang="en")
    assert (N["cap_over_limit"], N["cap_plateau_limit"], N["cap_gain"], N["cap_gain_limit"]) == (25, 20, 15, 60)


def test_half_arms_and_the_plan_on_the_truth():
    for name, (p1, p2) in chapter.ASSUMED.items():
        assert N[f"cap_half_{name}_high"] / 100 == pytest.approx(_p_select_higher(p1, p2, 20, 0.10), abs=1e-12)
    assert N["cap_half_plateau_high"] > N["cap_exp_plateau_high"]
    assert N["cap_half_rising_high"] < N["cap_exp_rising_high"]
    tr = cd.reveal()
    sim = chapter.PLAN.operating_characteristics(list(tr.dlt), method="simulate", n_trials=20_000, seed=3)
    for level, key in ((tr.mtd, "cap_truth_sel_mtd"), (tr.mtd - 1, "cap_truth_sel_below")):
        p = N[key] / 100
        assert abs(sim.selection[level - 1] - p) < 4.5 * math.sqrt(p * (1 - p) / 20_000)
