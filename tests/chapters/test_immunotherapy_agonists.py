"""Chapter "Immunotherapy agonists": every glued number against a hand calculation, an independent computation or
the data file, the figures, the tables and the widget.

Sources of the expected numbers:
* Hand calculations: doses 0.06 / 0.3 / 1.5 mg/kg x 70 kg = 4.2 / 21 / 105 mg; half-lives ln 2 / k with
  k = CL/V = 0.996/4.13, ln 2 / ka, ln 2 / k_rec and 24 ln 2 / k_el; the floor of R, k_rec / (k_rec + k_des);
  the logistic CRS curve 1 / (1 + exp(-2 (ln I - ln 80))); the ternary complex in the dilute limit
  C (sqrt(K_E) + sqrt(K_T))^2 / ((K_E + C)(K_T + C)), largest at sqrt(K_E K_T) = sqrt(1.125).
* Independent computation: every IL-6 peak and responsiveness against ``cytokine.simulate(method="ode")``
  (scipy solve_ivp, LSODA, PK as ODE states, rtol 1e-10) instead of the chapter's exponential integrator; the
  time to target exposure by brentq on the single-dose SC closed forms of dosecourse.pk (superposition).
* The published cases against dosecourse/data/tce_step_up_schedules.json read directly with json.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.optimize import brentq

from dosecourse import cytokine as cy
from dosecourse import pk
from dosecourse.chapters import immunotherapy_agonists as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()
P = cy.TEACHING_PARAMETERS
DATA = json.loads((Path(cy.__file__).parent / "data" / "tce_step_up_schedules.json").read_text(encoding="utf-8"))
STEP_MG = [4.2, 21.0, 105.0]


def _ode(sched, t_end):
    return cy.simulate(sched, P, t_end, method="ode", rtol=1e-10, atol=1e-12)


def _step(interval=3.0, n_maintenance=3):
    return cy.step_up_schedule(STEP_MG, interval, 7.0, n_maintenance)


def test_example_and_parameters_by_hand():
    assert (N["iag_dose1_mg"], N["iag_dose2_mg"], N["iag_target_mg"]) == pytest.approx((4.2, 21.0, 105.0))
    assert (N["iag_dose1_mgkg"], N["iag_dose2_mgkg"], N["iag_target_mgkg"], N["iag_weight"]) == (0.06, 0.3, 1.5, 70.0)
    assert N["iag_interval"] == 3.0
    assert N["iag_drug_half_life"] == pytest.approx(math.log(2) * 4.13 / 0.996, rel=1e-12)  # 2.874 days
    assert N["iag_abs_half_life"] == pytest.approx(math.log(2) / 0.133, rel=1e-12)  # 5.21 days
    assert N["iag_rec_half_life"] == pytest.approx(math.log(2) / 0.1, rel=1e-12)  # 6.93 days
    assert N["iag_il6_half_life_h"] == pytest.approx(24 * math.log(2) / 4.0, rel=1e-12)  # 4.16 hours
    assert N["iag_r_floor"] == pytest.approx(0.1 / 3.1, rel=1e-12)
    assert (N["iag_cl"], N["iag_v"], N["iag_ka"], N["iag_f"], N["iag_ec50"], N["iag_target_conc"], N["iag_k_des"],
            N["iag_k_rec"], N["iag_i50"], N["iag_crs_slope"]) == (0.996, 4.13, 0.133, 0.718, 1.0, 9.0, 3.0, 0.1,
                                                                   80.0, 2.0)


def test_step_up_against_the_target_dose_at_once_with_solve_ivp():
    step, once = _ode(_step(), 28.0), _ode(cy.step_up_schedule([105.0], 3.0, 7.0, 3), 28.0)
    # solve_ivp: 41.70 and 107.46 pg/mL (the values test_cytokine pins at 41.7 and 107.5)
    assert N["iag_peak_step"] == pytest.approx(step.peak_cytokine, rel=1e-3)
    assert N["iag_peak_once"] == pytest.approx(once.peak_cytokine, rel=1e-3)
    assert round(N["iag_peak_step"], 1) == 41.7 and round(N["iag_peak_once"], 1) == 107.5
    assert N["iag_peak_ratio"] == pytest.approx(step.peak_cytokine / once.peak_cytokine, rel=2e-3)
    one = _ode(cy.step_up_schedule([21.0, 105.0], 3.0, 7.0, 3), 28.0)
    assert N["iag_peak_one_step"] == pytest.approx(one.peak_cytokine, rel=1e-3)
    assert N["iag_peak_step"] < N["iag_peak_one_step"] < N["iag_peak_once"]
    # the logistic curve by hand: 1 / (1 + exp(-2 (ln I - ln 80)))
    for key, peak in (("iag_p_step", N["iag_peak_step"]), ("iag_p_once", N["iag_peak_once"])):
        assert N[key] == pytest.approx(1 / (1 + math.exp(-2 * (math.log(peak) - math.log(80.0)))), rel=1e-9)
    # timing: the step-up peak comes with the second step dose (day 3 to 6), the first-dose peak within a day
    assert 3.0 < N["iag_peak_time_step"] < 6.0 and N["iag_peak_time_step"] == pytest.approx(step.peak_time, abs=0.02)
    assert N["iag_peak_time_once"] < 1.0
    # responsiveness left when the first target dose is given (day 6)
    r6 = float(np.interp(6.0, step.time, step.responsiveness))
    assert N["iag_r_at_target"] == pytest.approx(r6, abs=1e-4) and N["iag_r_at_target"] < 0.1


def test_peaks_dose_by_dose_with_solve_ivp():
    ref = _ode(_step(), 28.0)
    times = [0.0, 3.0, 6.0, 13.0, 20.0]
    for j in range(4):
        assert N[f"iag_peak_w{j + 1}"] == pytest.approx(ref.peak_between(times[j], times[j + 1]), rel=1e-3)
    assert N["iag_peak_w2"] == N["iag_peak_step"]  # the largest release is during step-up
    assert N["iag_peak_w3"] < N["iag_peak_w1"] and N["iag_peak_w4"] < N["iag_peak_w3"]


def _first_crossing(times, doses, conc):
    """First t with C(t) = conc, C from dosecourse.pk.conc_oral by superposition, by a grid scan and brentq."""
    def c(x):
        return float(sum(pk.conc_oral(x - t0, d, P.cl, P.v, P.ka, f=P.f) for t0, d in zip(times, doses)
                         if x >= t0))
    grid = np.arange(0.0, 60.0, 0.01)
    j = next(i for i, x in enumerate(grid) if c(x) >= conc)
    return brentq(lambda x: c(x) - conc, grid[j - 1], grid[j], xtol=1e-10)


def test_speed_the_days_to_target_dose_and_exposure():
    assert N["iag_to_dose_step"] == 3.0 + 3.0  # T_D = sum of the gaps
    sched = _step(n_maintenance=6)
    assert N["iag_to_exp_step"] == pytest.approx(_first_crossing(sched.times, sched.doses, 9.0), abs=1e-6)
    once = cy.step_up_schedule([105.0], 3.0, 7.0, 6)
    assert N["iag_to_exp_once"] == pytest.approx(_first_crossing(once.times, once.doses, 9.0), abs=1e-6)
    assert N["iag_to_exp_delay"] == pytest.approx(N["iag_to_exp_step"] - N["iag_to_exp_once"], abs=1e-12)


def test_the_interval_between_steps():
    runs = chapter.interval_runs()["two_steps"]
    assert list(runs["interval"]) == list(chapter.INTERVALS)
    assert np.all(np.diff(runs["peak"]) <= 1e-9 * runs["peak"][:-1])  # longer gaps: never a higher peak
    np.testing.assert_allclose(runs["to_dose"], 2 * runs["interval"])
    assert np.all(np.diff(runs["to_exposure"]) > 0)
    ref1 = _ode(_step(1.0), 30.0)
    assert N["iag_peak_tau1"] == pytest.approx(ref1.peak_cytokine, rel=1e-3)
    # with 7 days between steps the first 4.2-mg dose alone sets the peak: compare with that dose on its own
    alone = _ode(cy.Schedule([0.0], [4.2]), 7.0)
    assert N["iag_peak_tau7"] == pytest.approx(alone.peak_cytokine, rel=1e-3)
    assert N["iag_peak_tau7"] == pytest.approx(N["iag_peak_w1"], rel=1e-6)
    s1, s7 = _step(1.0, 6), _step(7.0, 6)
    assert N["iag_to_exp_tau1"] == pytest.approx(_first_crossing(s1.times, s1.doses, 9.0), abs=1e-6)
    assert N["iag_to_exp_tau7"] == pytest.approx(_first_crossing(s7.times, s7.doses, 9.0), abs=1e-6)
    assert N["iag_to_dose_tau7"] == 14.0


def test_delays_and_restarts_with_solve_ivp():
    assert (N["iag_rule_continue"], N["iag_rule_step2"]) == (28.0, 56.0)  # TECVAYLI label, Table 2
    base = cy.step_up_schedule(STEP_MG, 3.0, 7.0, 4)

    def resumed(gap, restart):
        sched = base if gap == 7 else cy.with_delay(base, 3, gap - 7.0, restart_step_up=restart)
        start = float(sched.times[3])
        return _ode(sched, start + 14.0).peak_between(start, start + 14.0)

    assert N["iag_resume_7"] == pytest.approx(resumed(7, False), rel=1e-3)
    assert N["iag_resume_7"] == pytest.approx(N["iag_peak_w4"], rel=1e-6)  # on time: the maintenance peak
    for gap in (28, 56, 91):
        assert N[f"iag_resume_{gap}"] == pytest.approx(resumed(gap, False), rel=1e-3)
    for gap in (56, 91):
        assert N[f"iag_restart_{gap}"] == pytest.approx(resumed(gap, True), rel=1e-3)
    assert N["iag_resume_56_ratio"] == pytest.approx(N["iag_resume_56"] / N["iag_resume_7"], rel=1e-12)
    # 28 days since the last dose change little; 91 days re-prime to about a first dose; restarting lowers it
    assert N["iag_resume_28"] < 1.25 * N["iag_resume_7"]
    assert N["iag_resume_91"] == pytest.approx(N["iag_peak_once"], rel=0.05)
    assert N["iag_restart_91"] == pytest.approx(N["iag_peak_step"], rel=0.05)
    assert N["iag_restart_56"] < 0.6 * N["iag_resume_56"]
    cur = chapter.delay_curves()
    assert np.all(np.diff(cur["resume"]) > 0)
    # a restart helps once the gap is long (28 days or more); after a short gap it changes little (the priming
    # doses then only add drug to a still-depleted system: +1% at 14 days)
    long_gap = cur["gap"] >= 28
    assert np.all(cur["restart"][long_gap] < cur["resume"][long_gap])
    np.testing.assert_allclose(cur["restart"][~long_gap], cur["resume"][~long_gap], rtol=0.03)


def test_step_up_as_a_second_dose_variable():
    runs = chapter.escalation_runs()
    assert [r["level"] for r in runs] == list(chapter.ESCALATION_LEVELS)
    for r in runs[:: 3]:
        dose = r["level"] * 70.0
        once = _ode(cy.step_up_schedule([dose], 3.0, 7.0, 3), 28.0)
        steps = [d for d in STEP_MG[:2] if d < dose] + [dose]
        s = cy.step_up_schedule(steps, 3.0, 7.0, 3)
        step = _ode(s, s.time_to_target_dose + 28.0)
        assert r["peak_once"] == pytest.approx(once.peak_cytokine, rel=1e-3)
        assert r["peak_step"] == pytest.approx(step.peak_cytokine, rel=1e-3)
    # at once the risk rises with the dose; with the step-up the step doses set it (same above 0.3 mg/kg)
    assert all(a["p_once"] < b["p_once"] for a, b in zip(runs, runs[1:]))
    assert len({round(r["p_step"], 9) for r in runs[1:]}) == 1
    assert N["iag_crs_limit"] == 0.25 and N["iag_max_level_once"] == 0.1 and N["iag_max_level_step"] == 6.0
    assert N["iag_top_level"] == 6.0
    assert N["iag_p_once_top"] == pytest.approx(runs[-1]["p_once"]) and N["iag_p_step_top"] == pytest.approx(
        N["iag_p_step"], rel=1e-9)


def test_bell_shaped_response_by_hand():
    ke, kt = 7.5, 0.15
    assert (N["iag_kd_effector"], N["iag_kd_target"]) == (ke, kt)
    peak = math.sqrt(ke * kt)  # sqrt(1.125) = 1.0607 mg/L
    assert N["iag_bell_peak"] == pytest.approx(peak, rel=1e-12)

    def frac(c):
        return c * (math.sqrt(ke) + math.sqrt(kt)) ** 2 / ((ke + c) * (kt + c))

    assert N["iag_bell_10x"] == pytest.approx(frac(10 * peak), rel=1e-12)
    assert N["iag_bell_100x"] == pytest.approx(frac(100 * peak), rel=1e-12)
    assert N["iag_bell_10x"] == pytest.approx(frac(peak / 10), rel=1e-12)  # symmetric in log C
    assert frac(peak) == pytest.approx(1.0)


def test_published_cases_from_the_data_file():
    s = DATA["schedules"]
    assert (N["iag_tec_crs"], N["iag_tec_events"], N["iag_tec_n"]) == (72.1, 119, 165)
    assert round(100 * 119 / 165, 1) == 72.1
    assert (N["iag_tec_g1"], N["iag_tec_g2"], N["iag_tec_g3"]) == (50.3, 21.2, 0.6)
    assert (N["iag_glo_crs"], N["iag_glo_crs3"], N["iag_glo_n"]) == (s["glofitamab"]["crs"]["any_grade_pct"], 4.0, 154)
    assert (N["iag_epc_crs"], N["iag_epc_n"]) == (51.0, 157)
    assert (N["iag_mos_crs"], N["iag_mos_n"]) == (44.0, 90) and s["mosunetuzumab"]["status"]["crs"] == "check"
    assert (N["iag_bli_crs"], N["iag_bli_crs3"], N["iag_bli_n"]) == (14.0, 3.0, 267)
    assert [e["dose"] for e in s["teclistamab"]["step_up"]] == [0.06, 0.3, 1.5]
    assert [e["dose"] for e in s["mosunetuzumab"]["step_up"]] == [1.0, 2.0, 60.0]


@pytest.mark.parametrize("lang", LANGS)
def test_cases_table(lang):
    table = chapter.cases_table(lang)
    assert table.shape == (5, 8)
    assert list(table[t("iag_col_drug", lang)]) == list(chapter.CASE_ORDER)
    crs = dict(zip(table[t("iag_col_drug", lang)], table[t("iag_col_crs", lang)]))
    assert crs == {k: DATA["schedules"][k]["crs"]["any_grade_pct"] for k in chapter.CASE_ORDER}
    status = dict(zip(table[t("iag_col_drug", lang)], table[t("iag_col_status", lang)]))
    assert status["mosunetuzumab"] == t("iag_status_reported", lang)
    assert status["teclistamab"] == t("iag_status_src", lang)
    assert "0.06" in table[t("iag_col_steps", lang)][1]


@pytest.mark.parametrize("lang", LANGS)
def test_escalation_table(lang):
    table = chapter.escalation_table(lang)
    assert table.shape == (len(chapter.ESCALATION_LEVELS), 5)
    assert table[t("iag_col_peak_step", lang)].iloc[-1] == round(N["iag_peak_step"], 1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["time_course_figure", "interval_figure", "delay_figure", "bell_figure"])
def test_figures_render_in_both_languages(name, lang):
    fig = getattr(chapter, name)(lang=lang)  # course_figure raises on a glyph no course font can draw
    fig.canvas.draw()
    assert fig.axes[0].get_title(loc="left")
    plt.close(fig)


def test_time_course_figure_marks_the_peak_and_the_reference():
    fig = chapter.time_course_figure()
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any("41.7" in s for s in texts)
    assert len(fig.axes[0].get_lines()) >= 3  # reference, course, peak mark (and the I50 line)
    plt.close(fig)
    fig = chapter.time_course_figure("once", reference=True)  # no reference against itself
    assert len([ln for ln in fig.axes[0].get_lines() if not ln.get_label().startswith("_")]) == 1
    plt.close(fig)


def test_schedules_and_bad_input():
    s = chapter.schedule("two_steps", 3.0, "d49_restart")
    assert s.times[:7].tolist() == [0.0, 3.0, 6.0, 62.0, 65.0, 68.0, 75.0]
    assert chapter.schedule("once", 3.0, "d49_restart").times.tolist() == chapter.schedule("once", 3.0,
                                                                                           "d49").times.tolist()
    assert chapter.schedule("one_step", 2.0).times[:3].tolist() == [0.0, 2.0, 9.0]
    with pytest.raises(ValueError, match="steps"):
        chapter.schedule("three_steps")
    with pytest.raises(ValueError, match="delay"):
        chapter.schedule(delay="d7")
    with pytest.raises(ValueError, match="interval"):
        chapter.schedule(interval=0.0)
    with pytest.raises(ValueError, match="delay"):
        chapter.resumption("two_steps", 3.0, "none")
    assert chapter.course() is chapter.course("two_steps", 3, "none", 84)


def test_widget_fits_the_site_budget():
    w = chapter.widget
    per_part = [int(np.prod([len(w.control(d).values) for d in p.depends])) for p in w.parts]
    assert per_part == [60, 60] and w.n_states == 120 <= widgets.MAX_STATES
    assert w.defaults == {"steps": "two_steps", "interval": 3, "delay": "none"}


@pytest.mark.parametrize("lang", LANGS)
def test_widget_every_site_text_and_the_default_figure(lang):
    w = chapter.widget
    for _key, values in w.part_states(0):
        text = w.render(0, lang, values)
        assert isinstance(text, str) and text.count("\n") == (1 if values["delay"] == "none" else 2)
    assert "41.7" in w.render(0, lang, w.defaults) and "20.7" in w.render(0, lang, w.defaults)
    delayed = w.render(0, lang, {**w.defaults, "delay": "d49_restart"})
    day, peak = chapter.resumption("two_steps", 3.0, "d49_restart")
    assert f"{peak:.1f}" in delayed and f"{day:g}" in delayed
    fig = w.render(1, lang, w.defaults)
    fig.canvas.draw()
    plt.close(fig)
    alt = w.alt_text(1, lang, w.defaults)
    assert "41.7" in alt and "107.5" in alt


def test_the_try_this_paragraph():
    # "the restart costs six days before the target dose, and it halves the resumed peak" (two steps, 49 days
    # late); "the resumed dose releases about four times as much as an on-time dose" (target dose at once)
    late = chapter.schedule("two_steps", 3.0, "d49")
    again = chapter.schedule("two_steps", 3.0, "d49_restart")
    resume_day = float(late.times[3])
    first_target = float(again.times[again.doses >= 105.0 - 1e-9][1])  # the first target dose after resuming
    assert first_target - resume_day == 6.0 and float(again.times[3]) == resume_day
    ratio = chapter.resumption("two_steps", 3.0, "d49_restart")[1] / chapter.resumption("two_steps", 3.0, "d49")[1]
    assert 0.4 < ratio < 0.6
    once = chapter.course("once", 3.0, "none")
    fold = chapter.resumption("once", 3.0, "d49")[1] / once.peak_between(7.0, 14.0)
    assert 3.5 < fold < 4.5


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("zh-tw")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="immunotherapy_agonists"' in html
    assert "41.7" in html
