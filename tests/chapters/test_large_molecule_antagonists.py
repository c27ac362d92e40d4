"""Chapter "Large-molecule antagonists": every glued number against a hand calculation, an independent ODE solution
or a closed form, the figures and the widget.

Sources of the expected numbers:
* Teaching TMDD values of Dua et al. 2015 (references.bib: dua2015tmdd): K_D = koff/kon = 169/30.2 = 5.596 nM,
  K_SS = (169 + 0.17)/30.2 = 5.602 nM, ksyn = 17.3 x 0.00657 = 0.1137 nM/day.
* Simple binding RO = C/(C + K_D): C = K_D RO/(1 - RO), so 90%, 95%, 99% need 9, 19 and 99 K_D (Muller & Brennan
  2009); 99 K_D / 19 K_D = 5.21.
* Troughs: an independent full TMDD model (Mager & Jusko 2001) written below and solved with scipy's solve_ivp
  (Radau, its own dose loop), not dosecourse.pd.simulate_tmdd.
* Apparent clearance at vanishing dose (QSS, target at baseline): (CL + k_int R0 V1 / K_SS) / (1 + R0 / K_SS), the
  clearance of free drug expressed on total drug.
* Pembrolizumab: Cavg,ss = dose / (CL tau) with CL = 0.22 (70/76.8)^0.595 L/day (Ahamadi et al. 2017, typical
  values); Ctrough,ss from the two-compartment bolus closed form (a 30-minute infusion differs by < 1%).
* Published findings: Elassaiss-Schaap et al. 2017 abstract (PMC5270295) and Turner et al. 2018 abstract.
"""

import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from scipy.integrate import solve_ivp

from dosecourse import pd as pdm
from dosecourse.chapters import large_molecule_antagonists as chapter
from dosecourse.chapters import widgets
from dosecourse.i18n import LANGS, t

N = chapter.numbers()


def test_parameters_and_closed_forms_by_hand():
    assert N["lma_kd"] == pytest.approx(169 / 30.2, rel=1e-12) and round(N["lma_kd"], 2) == 5.6
    assert N["lma_kss"] == pytest.approx(169.17 / 30.2, rel=1e-12)
    assert N["lma_ksyn"] == pytest.approx(0.113661, rel=1e-12)
    assert N["lma_rtot_max"] == pytest.approx(0.113661 / 0.17, rel=1e-12)  # ksyn / kint = 0.669 nM
    assert N["lma_rtot_ratio"] == pytest.approx(17.3 / 0.17, rel=1e-12)
    assert N["lma_vmax"] == pytest.approx(0.113661 * 3.0, rel=1e-12)
    assert N["lma_nm_mgl"] == pytest.approx(0.15) and N["lma_dose_nmol_1"] == pytest.approx(70e6 / 150000)
    assert N["lma_half_life_deg_h"] == pytest.approx(24 * math.log(2) / 17.3)
    assert N["lma_half_life_int_d"] == pytest.approx(math.log(2) / 0.17)
    kd = 169 / 30.2
    assert (N["lma_c90"], N["lma_c95"], N["lma_c99"]) == pytest.approx((9 * kd, 19 * kd, 99 * kd), rel=1e-12)
    assert N["lma_c95_mgl"] == pytest.approx(19 * kd * 0.15) and N["lma_c99_mgl"] == pytest.approx(99 * kd * 0.15)
    assert N["lma_c99_c95"] == pytest.approx(99 / 19)
    # the exercise: RO at a pembrolizumab-like trough with the teaching K_D, in plasma and at a tenth of it
    c = N["lma_pem2_trough_nm"]
    assert N["lma_ex_ro_teach"] == pytest.approx(100 * c / (c + kd), rel=1e-12)
    assert N["lma_ex_ro_tissue"] == pytest.approx(100 * 0.1 * c / (0.1 * c + kd), rel=1e-12)


# --- an independent full TMDD model -------------------------------------------------------------------------
def _full_tmdd_troughs(dose_mgkg: float, tau: float, n: int) -> np.ndarray:
    """Occupancy just before each dose 2..n and at n tau: full binding model, solve_ivp Radau, own dose loop."""
    cl, v1, q, v2, kint, kdeg, kon, koff, r0 = 0.2, 3.0, 0.5, 2.0, 0.17, 17.3, 30.2, 169.0, 0.00657
    ksyn = kdeg * r0
    dose = dose_mgkg * 70.0 * 1e6 / 150000.0

    def rhs(_t, y):
        a1, a2, r, rc = y
        c = a1 / v1
        bind = kon * c * r - koff * rc
        return [-(cl + q) * c + q * a2 / v2 - bind * v1, q * c - q * a2 / v2, ksyn - kdeg * r - bind,
                bind - kint * rc]

    y = np.array([0.0, 0.0, r0, 0.0])
    out = []
    for _ in range(n):
        y[0] += dose
        sol = solve_ivp(rhs, (0.0, tau), y, method="Radau", rtol=1e-10, atol=1e-14)
        assert sol.success
        y = sol.y[:, -1].copy()
        out.append(y[3] / (y[2] + y[3]))
    return np.array(out)


@pytest.mark.parametrize("dose, tau", [(2.0, 21.0), (10.0, 21.0), (0.3, 21.0), (2.0, 42.0)])
def test_troughs_agree_with_an_independent_full_model(dose, tau):
    n = int(round(chapter.HORIZON_DAYS / tau))
    ref = _full_tmdd_troughs(dose, tau, n)
    got = chapter.course(dose, tau).trough_occupancy
    # QSS against the full model: K_SS differs from K_D by 0.1%; the agreement is to about 1e-4.
    np.testing.assert_allclose(got, ref, atol=5e-4)
    np.testing.assert_allclose(chapter.course(dose, tau, "full").trough_occupancy, ref, atol=1e-6)


def test_glued_troughs_match_the_independent_model():
    r2, r10 = _full_tmdd_troughs(2.0, 21.0, 8), _full_tmdd_troughs(10.0, 21.0, 8)
    # Independent full model: 92.94% first and 96.02% last trough at 2 mg/kg; 99.18% at 10 mg/kg.
    assert N["lma_ro2_first"] == pytest.approx(100 * r2[0], abs=0.05)
    assert N["lma_ro2_last"] == pytest.approx(100 * r2[-1], abs=0.05)
    assert N["lma_ro10_last"] == pytest.approx(100 * r10[-1], abs=0.05)
    assert [round(N[k], 1) for k in ("lma_ro2_first", "lma_ro2_last", "lma_ro10_last")] == [92.9, 96.0, 99.2]
    assert N["lma_free2"] == pytest.approx(100 - N["lma_ro2_last"]) and N["lma_free10"] == pytest.approx(
        100 - N["lma_ro10_last"])
    assert N["lma_free_ratio"] == pytest.approx(N["lma_free2"] / N["lma_free10"])
    assert N["lma_free1"] == pytest.approx(100 - N["lma_ro1_last"])
    assert N["lma_free_ratio_1_2"] == pytest.approx(N["lma_free1"] / N["lma_free2"])
    assert N["lma_gain_2_10"] == pytest.approx(N["lma_ro10_last"] - N["lma_ro2_last"])
    # Above saturation occupancy follows simple binding on free drug: unblocked target ~ K_D / C_free, so 5x the
    # dose leaves about 1/5 of the unblocked target.
    assert 4.5 < N["lma_free_ratio"] < 5.0
    assert N["lma_trough_ratio"] == pytest.approx(5.0, abs=0.02)  # linear PK above saturation
    for key, dose, tau in (("lma_ro03_last", 0.3, 21.0), ("lma_ro1_last", 1.0, 21.0), ("lma_ro01_last", 0.1, 21.0),
                           ("lma_ro2_q6w", 2.0, 42.0), ("lma_ro2_q2w", 2.0, 14.0)):
        n = int(round(168 / tau))
        assert N[key] == pytest.approx(100 * _full_tmdd_troughs(dose, tau, n)[-1], abs=0.05), key
    assert N["lma_n_doses_q3w"] == 8 and N["lma_horizon_weeks"] == 24


def test_course_troughs_are_left_limits_before_each_dose():
    c = chapter.course(2.0, 21.0)
    for k in (1, 3, 8):
        one = pdm.simulate_tmdd([21.0 * k], chapter.nmol(2.0), approximation="qss", tau_days=21.0, n_doses=k)
        assert c.trough_occupancy[k - 1] == pytest.approx(float(one.occupancy[0]), abs=1e-6)
    assert c.trough_times.tolist() == [21.0 * k for k in range(1, 9)]


def test_target_share_against_the_quasi_steady_target():
    p = chapter.PARAMS
    c = chapter.course(2.0, 21.0)
    cf = float(c.trough_free[-1])
    ro = cf / (p.kss + cf)
    # Target total at quasi-steady state: its rate kdeg (1 - RO) + kint RO is about 0.85/day at 96% occupancy, so
    # it lags the falling concentration by about a day; the closed form is 3.5% below the simulated share.
    rtot = p.ksyn / (p.kdeg * (1 - ro) + p.kint * ro)
    tm = p.kint * ro * rtot * p.v1
    assert N["lma_share2"] == pytest.approx(100 * tm / (tm + p.cl * cf), rel=0.05)
    assert N["lma_share2"] < 1 and N["lma_share01"] < 1  # the teaching target is a small sink


def test_apparent_clearance_limits():
    p, r = chapter.PARAMS, chapter.RICH
    for params, key in ((p, "lma_cl_0001"), (r, "lma_clr_0001")):
        low = (params.cl + params.kint * params.r0 * params.v1 / params.kss) / (1 + params.r0 / params.kss)
        assert N[key] == pytest.approx(low, rel=0.01), key
    # Saturated: the apparent clearance falls towards the linear clearance 0.2 L/day.
    assert N["lma_cl_10"] == pytest.approx(0.2, rel=2e-3)
    assert N["lma_clr_0001"] > N["lma_clr_03"] > N["lma_clr_10"] > 0.2
    assert N["lma_clr_ratio"] == pytest.approx(N["lma_clr_0001"] / N["lma_clr_10"])
    assert N["lma_cl_ratio"] == pytest.approx(N["lma_cl_0001"] / N["lma_cl_10"]) and N["lma_cl_ratio"] < 1.01
    assert (N["lma_rich_r0"], N["lma_rich_kint"]) == pytest.approx((0.657, 1.7))
    assert N["lma_cl_001"] == pytest.approx(chapter.apparent_clearance(0.01))
    assert N["lma_cl_03"] == pytest.approx(chapter.apparent_clearance(0.3))


def test_mass_balance_of_the_apparent_clearance():
    # Elimination = CL * AUC(free) + kint * V1 * AUC(complex) equals the dose (600 days leave nothing behind).
    for variant, params in chapter.VARIANTS.items():
        times = chapter.auc_grid()
        prof = pdm.simulate_tmdd(times, chapter.nmol(0.1), params)
        eliminated = (params.cl * np.trapezoid(prof.drug_free, times)
                      + params.kint * params.v1 * np.trapezoid(prof.complex, times))
        assert eliminated == pytest.approx(chapter.nmol(0.1), rel=2e-3), variant


def test_model_levels_agree():
    assert N["lma_diff_ro_pts"] < 0.1 and N["lma_diff_total_pct"] < 0.1
    for r in chapter.approximation_runs():
        assert r["ro_qss"] == pytest.approx(r["ro_full"], abs=1e-3)
        assert r["total_qe"] == pytest.approx(r["total_full"], rel=1e-3)
    assert N["lma_table_day"] == 21.0


def _pembro_ss(dose_mg: float, tau: float) -> tuple[float, float]:
    """Cavg,ss and Ctrough,ss of the typical 70-kg patient: two-compartment bolus closed form."""
    w = 70.0 / 76.8
    cl, q = 0.22 * w ** 0.595, 0.795 * w ** 0.595
    v1, v2 = 3.48 * w ** 0.489, 4.06 * w ** 0.489
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s = k10 + k12 + k21
    lam = np.array([(s + math.sqrt(s * s - 4 * k10 * k21)) / 2, (s - math.sqrt(s * s - 4 * k10 * k21)) / 2])
    a = np.array([(k21 - lam[0]) / (lam[1] - lam[0]), (k21 - lam[1]) / (lam[0] - lam[1])]) / v1
    trough = float(np.sum(dose_mg * a * np.exp(-lam * tau) / (1 - np.exp(-lam * tau))))
    return dose_mg / (cl * tau), trough


def test_pembrolizumab_against_closed_forms():
    for prefix, dose, tau in (("lma_pem2", 140.0, 21.0), ("lma_pem10", 700.0, 21.0), ("lma_pem200", 200.0, 21.0),
                              ("lma_pem400", 400.0, 42.0)):
        cavg, trough = _pembro_ss(dose, tau)
        assert N[f"{prefix}_cavg"] == pytest.approx(cavg, rel=1e-6), prefix
        assert N[f"{prefix}_trough"] == pytest.approx(trough, rel=0.01), prefix
    assert N["lma_pem_ratio"] == pytest.approx(5.0, rel=1e-12)
    assert N["lma_pem400_cavg"] == pytest.approx(N["lma_pem200_cavg"], rel=1e-12)  # equal dose per day
    assert N["lma_pem2_trough_nm"] == pytest.approx(N["lma_pem2_trough"] / 0.15, rel=1e-12)
    # 2 mg/kg Q3W, 70 kg: Cavg 32.0 mg/L, trough 21.9 mg/L = 146 nM.
    assert (round(N["lma_pem2_cavg"], 1), round(N["lma_pem2_trough"], 1)) == (32.0, 21.9)


def test_published_findings():
    assert (N["lma_es_nonlinear"], N["lma_es_saturation"], N["lma_es_dose95"], N["lma_es_te95"]) == (0.3, 1.0, 2.0,
                                                                                                        95.0)
    assert (N["lma_turner_hr"], N["lma_turner_lo_mel"], N["lma_turner_hi_mel"]) == (0.98, 0.94, 1.02)
    assert (N["lma_turner_lo_nsclc"], N["lma_turner_hi_nsclc"]) == (0.95, 1.01)


def test_every_number_is_finite():
    assert all(np.isfinite(v) for v in N.values())
    assert all(k.startswith("lma_") for k in N)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["occupancy_figure", "clearance_figure", "trough_figure", "course_figure"])
def test_figures_render_without_missing_glyphs(lang, name):
    fig = getattr(chapter, name)(lang=lang)  # course_figure raises on a missing glyph
    fig.canvas.draw()
    assert fig.axes[0].get_title(loc="left")
    plt.close(fig)


def test_course_figure_marks_the_last_trough():
    fig = chapter.course_figure(10.0, 42.0, "en")
    texts = [x.get_text() for x in fig.axes[1].texts]
    assert t("lma_trough_note", "en", ro=f"{100 * chapter.course(10.0, 42.0).last_trough:.1f}") in texts
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_tables(lang):
    a = chapter.approximation_table(lang)
    assert a.shape == (len(chapter.TABLE_DOSES), 7)
    p = chapter.pembrolizumab_table(lang)
    assert p.shape == (4, 5) and p.iloc[0, 0] == t("lma_reg_2mgkg_q3w", lang)


def test_widget_fits_the_site_budget_and_renders_every_state():
    w = chapter.widget
    assert w.n_states == 36 and w.n_states <= widgets.MAX_STATES
    assert w.defaults == {"dose": 2.0, "tau": 21.0}
    for lang in LANGS:
        for _key, values in w.part_states(0):
            assert "%" in w.render(0, lang, values)
    text = w.render(0, "en", w.defaults)
    assert "92.9%" in text and "96.0%" in text
    alt = w.alt_text(1, "zh-tw", w.defaults)
    assert "96.0%" in alt and "5.6" in alt
    fig = w.render(1, "en", {"dose": 0.03, "tau": 42.0})
    fig.canvas.draw()
    plt.close(fig)


def test_site_html_shows_the_default_state_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    html = chapter.widget("en")._repr_mimebundle_()["text/html"]
    assert html.count('<img class="cw-figure"') == 1 and 'data-widget="large_molecule_antagonists"' in html
    assert "96.0" in html


@pytest.mark.parametrize("call, error, match", [
    (lambda: chapter.course(0.0), ValueError, "dose"),
    (lambda: chapter.course(2.0, 20.0), ValueError, "tau must divide"),
    (lambda: chapter.course(2.0, 21.0, "mm"), ValueError, "approximation"),
    (lambda: chapter.apparent_clearance(1.0, "other"), ValueError, "variant"),
    (lambda: chapter.nmol(-1.0), ValueError, "dose_mg_per_kg"),
    (lambda: chapter.target_share({"complex": 1}), TypeError, "profile"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
