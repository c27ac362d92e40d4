"""TITE-CRM (dosecourse.escalation.tite_crm) against R dfcrm 0.2-2.1 ``titecrm``, and its properties.

Reference numbers: R 4.x with dfcrm 0.2-2.1 installed from its CRAN source (``R CMD INSTALL dfcrm``), printed with
``sprintf("%.12f", ...)`` from the calls recorded next to each case (``foo$estimate``, ``foo$post.var``,
``foo$ptox``, ``foo$mtd``).  The data sets, in R::

    prior <- c(0.05, 0.10, 0.20, 0.35, 0.50, 0.70)              # dfcrm's titecrm help page
    level <- c(3, 3, 3, 4, 4, 3, 2, 2, 2, 3); y <- c(0, 0, 1, 0, 1, 0, 0, 0, 0, 0)
    u <- c(178, 181, 168, 181, 24, 181, 179, 102, 42, 3)
    sk <- getprior(0.05, 0.25, 3, 5)                            # = crm_skeleton(0.05, 0.25, 3, 5)
    lv <- c(1,1,1,2,2,2,3,3,3,3,4,4); yy <- c(0,0,0,0,0,1,0,1,0,0,0,0)
    fu <- c(6,6,6,6,6,2.5,6,4.2,5.1,3.3,1.2,0.4)
    lv2 <- c(2,2,2,3,3,3,4,4); yy2 <- rep(0, 8); fu2 <- c(30,30,30,28,20,12,5,1)
    lv3 <- c(1,1,1,2,2,2,2,2); yy3 <- c(0,1,0,1,1,0,1,0); fu3 <- c(90,10,90,30,45,80,12,15)

dfcrm caps the weights at 1 (``pmin(followup/obswin, 1)``); this package refuses a follow-up longer than the
window, so the help page's 181 days are given as 180 here: the weights are the same.
"""

from __future__ import annotations

import numpy as np
import pytest

from dosecourse import escalation as esc
from dosecourse.escalation import CRM, TrialData, crm_posterior, crm_skeleton
from dosecourse.escalation.tite import TITEData, _weibull, compare_waiting
from dosecourse.escalation.tite_crm import TITECRM, tite_crm_posterior

PRIOR = [0.05, 0.10, 0.20, 0.35, 0.50, 0.70]
A = dict(levels=[3, 3, 3, 4, 4, 3, 2, 2, 2, 3], tox=[0, 0, 1, 0, 1, 0, 0, 0, 0, 0],
         followup=[178, 180, 168, 180, 24, 180, 179, 102, 42, 3], window=180)
SK = crm_skeleton(0.05, 0.25, 3, 5)
B = dict(levels=[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4], tox=[0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0],
         followup=[6, 6, 6, 6, 6, 2.5, 6, 4.2, 5.1, 3.3, 1.2, 0.4], window=6)
C = dict(levels=[2, 2, 2, 3, 3, 3, 4, 4], tox=[0] * 8, followup=[30, 30, 30, 28, 20, 12, 5, 1], window=30)
D = dict(levels=[1, 1, 1, 2, 2, 2, 2, 2], tox=[0, 1, 0, 1, 1, 0, 1, 0], followup=[90, 10, 90, 30, 45, 80, 12, 15],
         window=90)

# (id, skeleton, target, data, model, prior_var, intercept, R call, estimate, post.var, ptox, mtd)
CASES = [
    ("A-empiric", PRIOR, 0.2, A, "empiric", 1.34, 3.0,
     "titecrm(prior, 0.2, y, level, followup=u, obswin=180)",
     -0.132786551431, 0.195490147841,
     [0.072568894936, 0.133152100275, 0.244312412685, 0.398806548415, 0.545007512356, 0.731745048230], 3),
    ("A-logistic", PRIOR, 0.2, A, "logistic", 1.34, 3.0,
     "titecrm(prior, 0.2, y, level, followup=u, obswin=180, model='logistic')",
     -0.070504914098, 0.052658062674,
     [0.073117412627, 0.136648030672, 0.252053647668, 0.407896869483, 0.550880898886, 0.729847110741], 3),
    ("B-empiric-scale1", SK, 0.25, B, "empiric", 1.0, 3.0,
     "titecrm(sk, 0.25, yy, lv, followup=fu, obswin=6, scale=1)",
     -0.141983323429, 0.155526126051,
     [0.116559411408, 0.200314198423, 0.300352494070, 0.406659960118, 0.510126167330], 2),
    ("B-logistic-scale1", SK, 0.25, B, "logistic", 1.0, 3.0,
     "titecrm(sk, 0.25, yy, lv, followup=fu, obswin=6, scale=1, model='logistic')",
     -0.071019211281, 0.041586205653,
     [0.117112938411, 0.203971703500, 0.306267440755, 0.412761681223, 0.514397100656], 2),
    ("B-logistic-intercept2", SK, 0.25, B, "logistic", 1.34, 2.0,
     "titecrm(sk, 0.25, yy, lv, followup=fu, obswin=6, model='logistic', intcpt=2)",
     -0.109638455612, 0.073913867458,
     [0.126338804066, 0.214120802376, 0.314999949815, 0.418387318017, 0.516301536539], 2),
    ("C-empiric-no-dlt", SK, 0.25, C, "empiric", 1.34, 3.0,
     "titecrm(sk, 0.25, yy2, lv2, followup=fu2, obswin=30)",
     0.958183156307, 0.615188321717,
     [0.001567784483, 0.007977684354, 0.026943639033, 0.066968541014, 0.132333186592], 5),
    ("C-logistic-no-dlt", SK, 0.25, C, "logistic", 1.34, 3.0,
     "titecrm(sk, 0.25, yy2, lv2, followup=fu2, obswin=30, model='logistic')",
     0.972613123997, 0.505384865539,
     [0.000012948492, 0.000083969837, 0.000393434916, 0.001472034699, 0.004702399392], 5),
    ("D-empiric-toxic", SK, 0.25, D, "empiric", 1.34, 3.0,
     "titecrm(sk, 0.25, yy3, lv3, followup=fu3, obswin=90)",
     -1.184818629728, 0.259594451156,
     [0.468814381484, 0.567395050332, 0.654468982367, 0.728235873128, 0.788805293298], 1),
    ("D-logistic-toxic", SK, 0.25, D, "logistic", 1.34, 3.0,
     "titecrm(sk, 0.25, yy3, lv3, followup=fu3, obswin=90, model='logistic')",
     -0.739255733660, 0.147194048910,
     [0.605075576536, 0.682257347367, 0.739435973691, 0.782694479779, 0.816332302632], 1),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_posterior_matches_dfcrm_titecrm(case):
    _, skeleton, target, data, model, prior_var, intercept, _call, beta, var, ptox, mtd = case
    post = tite_crm_posterior(skeleton, target, model=model, prior_var=prior_var, intercept=intercept, **data)
    assert post.beta_mean == pytest.approx(beta, abs=1e-6)
    assert post.beta_var == pytest.approx(var, abs=1e-6)
    np.testing.assert_allclose(post.ptox, ptox, rtol=0, atol=1e-6)
    assert post.recommended == mtd


def test_largest_difference_from_dfcrm_is_far_below_1e6():
    worst = 0.0
    for _, skeleton, target, data, model, prior_var, intercept, _call, beta, var, ptox, _ in CASES:
        post = tite_crm_posterior(skeleton, target, model=model, prior_var=prior_var, intercept=intercept, **data)
        worst = max(worst, abs(post.beta_mean - beta), abs(post.beta_var - var), np.abs(post.ptox - ptox).max())
    # observed 3.1e-7, in the posterior variance of case D-logistic: there dfcrm's own integral (R's integrate,
    # relative tolerance 1.2e-4) is off, as the adaptive quadrature below shows
    assert worst < 5e-7


def _quad_moments(skeleton, data, model, prior_var=1.34, intercept=3.0, limit=None):
    """Posterior mean and variance of beta by adaptive quadrature (scipy.integrate.quad, relative tolerance 1e-13),
    independently of the package's grid; with ``limit``, the moments' integrals stop at +-limit as dfcrm's do."""
    from scipy.integrate import quad
    from scipy.special import expit, logit
    s = np.asarray(skeleton)[np.asarray(data["levels"]) - 1]
    y = np.asarray(data["tox"])
    w = np.where(y == 1, 1.0, np.asarray(data["followup"], float) / data["window"])

    def density(b):
        p = s ** np.exp(b) if model == "empiric" else expit(intercept + np.exp(b) * (logit(s) - intercept))
        return np.exp(-b * b / (2 * prior_var)) * np.prod(np.where(y == 1, p, 1 - w * p))

    opts = dict(epsabs=0, epsrel=1e-13, limit=500)
    wide = 10 * np.sqrt(prior_var) + 10
    z = quad(density, -wide, wide, **opts)[0]
    lo, hi = (-wide, wide) if limit is None else (-limit, limit)
    m1 = quad(lambda b: b * density(b), lo, hi, **opts)[0] / z
    m2 = quad(lambda b: b * b * density(b), lo, hi, **opts)[0] / z
    return m1, m2 - m1 ** 2


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_posterior_agrees_with_adaptive_quadrature(case):
    _, skeleton, target, data, model, prior_var, intercept, *_ = case
    post = tite_crm_posterior(skeleton, target, model=model, prior_var=prior_var, intercept=intercept, **data)
    mean, var = _quad_moments(skeleton, data, model, prior_var, intercept)
    assert post.beta_mean == pytest.approx(mean, abs=1e-9) and post.beta_var == pytest.approx(var, abs=1e-9)


def test_unit_weights_are_the_crm():
    # dfcrm: titecrm(prior, 0.2, y, level, weights=rep(1, 10)) and crm(prior, 0.2, y, level) both give
    # estimate -> 0.011395991661, post.var 0.154755702028, mtd 3
    full = dict(A, followup=[180] * 10)
    for model in ("empiric", "logistic"):
        tite = tite_crm_posterior(PRIOR, 0.2, model=model, **full)
        crm = crm_posterior(PRIOR, 0.2, A["levels"], A["tox"], model=model)
        assert tite.beta_mean == pytest.approx(crm.beta_mean, abs=1e-12)
        assert tite.beta_var == pytest.approx(crm.beta_var, abs=1e-12)
        np.testing.assert_allclose(tite.ptox, crm.ptox, atol=1e-12)
        assert tite.recommended == crm.recommended
    empiric = tite_crm_posterior(PRIOR, 0.2, **full)
    assert empiric.beta_mean == pytest.approx(0.011395991661, abs=1e-6)
    assert empiric.beta_var == pytest.approx(0.154755702028, abs=1e-6) and empiric.recommended == 3


def test_pending_patients_count_less():
    # a patient without DLT followed for part of the window carries less evidence of safety: beta's mean is lower
    # (more toxic) than with complete follow-up, and a weight of 0 is the same as leaving the patient out
    partial = tite_crm_posterior(SK, 0.25, **C)
    full = tite_crm_posterior(SK, 0.25, **dict(C, followup=[30] * 8))
    assert partial.beta_mean < full.beta_mean
    zero = tite_crm_posterior(SK, 0.25, **dict(C, followup=[30, 30, 30, 28, 20, 12, 5, 0]))
    dropped = tite_crm_posterior(SK, 0.25, levels=C["levels"][:7], tox=C["tox"][:7], followup=C["followup"][:7],
                                 window=30)
    assert zero.beta_mean == pytest.approx(dropped.beta_mean, abs=1e-12)


@pytest.mark.parametrize("text", ["1NNN", "1NNN 2NTN", "1NNN 2NNN 3TTN", "1NNN 2NNN 3NNT 3NNN 4TTN",
                                  "1TTT", "2NNN 3NNN 4NNN 5NNN"])
def test_complete_follow_up_decides_as_the_crm(text):
    skeleton = [0.05, 0.12, 0.25, 0.40, 0.55]
    for model in ("empiric", "logistic"):
        tite = TITECRM(skeleton, 0.25, model=model)
        crm = CRM(skeleton, 0.25, model=model, coherence=False)
        assert tite.next_dose(text).dose == crm.next_dose(text).dose
        data = TrialData.from_outcomes(text, 5)
        assert tite.next_dose(TITEData.complete(data, window=28)).dose == crm.next_dose(data).dose
        assert tite.select(text) == crm.select(text)


def test_titedata_counts_and_weights():
    data = TITEData(3, levels=[1, 1, 2, 2], tox=[0, 1, 0, 0], followup=[28, 3, 14, 28], window=28)
    assert data.n.tolist() == [2, 2, 0] and data.y.tolist() == [1, 0, 0]
    assert data.fraction.tolist() == [1.0, 1.0, 0.5, 1.0]            # a DLT counts fully
    assert data.pending.tolist() == [0, 1, 0] and data.stft.tolist() == [0.0, 0.5, 0.0]
    assert data.current == 2 and data.to_trial_data().n.tolist() == [2, 2, 0]


@pytest.mark.parametrize("bad, match", [
    (dict(followup=[28, 3, 14, 29]), "followup cannot be longer than the DLT window"),
    (dict(window=0), "window"), (dict(window=-1), "window"),
    (dict(levels=[1, 1, 2, 4]), "levels"), (dict(tox=[0, 2, 0, 0]), "tox"),
    (dict(followup=[28, 3, 14]), "one entry per patient"),
])
def test_bad_time_to_event_data(bad, match):
    args = dict(n_doses=3, levels=[1, 1, 2, 2], tox=[0, 1, 0, 0], followup=[28, 3, 14, 28], window=28) | bad
    with pytest.raises((ValueError, TypeError), match=match):
        TITEData(**args)


def test_bad_design_settings():
    with pytest.raises(ValueError, match="skeleton"):
        TITECRM([0.3, 0.2, 0.1], 0.25)
    with pytest.raises(ValueError, match="target"):
        TITECRM([0.1, 0.2, 0.3], 1.2)
    with pytest.raises(ValueError, match="dlt_window_months"):
        TITECRM([0.1, 0.2, 0.3], 0.25, dlt_window_months=0)
    with pytest.raises(ValueError, match="accrual_per_month"):
        TITECRM([0.1, 0.2, 0.3], 0.25, accrual_per_month=-2)
    with pytest.raises(ValueError, match="late_share"):
        TITECRM([0.1, 0.2, 0.3], 0.25, n_cohorts=2).simulate([0.1, 0.2, 0.3], n_trials=5, late_share=1.0)


def test_late_onset_weibull():
    # the share of DLTs in the second half of the window is late_share; 0.5 is the package's weibull_dlt_times
    p = np.array([0.05, 0.2, 0.4])
    for share in (0.3, 0.5, 0.7):
        shape, scale = _weibull(p, 2.0, share)
        whole, half = 1 - np.exp(-(2.0 / scale) ** shape), 1 - np.exp(-(1.0 / scale) ** shape)
        np.testing.assert_allclose(whole, p, rtol=1e-12)
        np.testing.assert_allclose((whole - half) / whole, share, rtol=1e-12)
    np.testing.assert_allclose(_weibull(p, 2.0, 0.5), esc.weibull_dlt_times(p, 2.0), rtol=1e-12)


TOX = [0.05, 0.12, 0.25, 0.40, 0.55]
DESIGN = TITECRM([0.05, 0.12, 0.25, 0.40, 0.55], 0.25, n_cohorts=8, accrual_per_month=4, dlt_window_months=2)


def test_seeded_reproducibility():
    one = DESIGN.simulate(TOX, n_trials=300, seed=11, late_share=0.7)
    two = DESIGN.simulate(TOX, n_trials=300, seed=11, late_share=0.7)
    other = DESIGN.simulate(TOX, n_trials=300, seed=12, late_share=0.7)
    for name in ("selected", "n", "y", "duration"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))
    assert not np.array_equal(one.duration, other.duration)
    assert np.all(one.n.sum(axis=1) == DESIGN.max_n) and not one.stopped.any()


def test_waiting_design_is_the_crm_in_calendar_time():
    # With tite=False every decision uses complete data, so the selection is distributed as the CRM's without
    # coherence (dfcrm's titesim restriction): exact CRM vs 4,000 simulated calendar-time trials, seed 5.
    waiting = DESIGN.replace(tite=False)
    crm = CRM(DESIGN.skeleton, 0.25, cohort_size=3, n_cohorts=8, coherence=False)
    exact = crm.exact(TOX)
    sim = waiting.simulate(TOX, n_trials=4000, seed=5).summary()
    se = np.maximum(np.sqrt(exact.selection * (1 - exact.selection) / 4000), 1 / 4000)
    assert np.all(np.abs(sim.selection - exact.selection) / se <= 3), (sim.selection, exact.selection)
    assert np.all(np.abs(sim.patients - exact.patients) <= 3 * np.maximum(sim.patients_se, 24 / 4000))


def test_tite_shortens_the_trial():
    cmp = compare_waiting(DESIGN, TOX, n_trials=400, seed=3)
    # the waiting design spends at least a full window per cohort: 8 cohorts x 2 months
    assert cmp.waiting.duration > 8 * 2
    assert cmp.tite.duration < cmp.waiting.duration and 0 < cmp.ratio < 1
    assert cmp.months_saved == pytest.approx(cmp.waiting.duration - cmp.tite.duration)
    # with complete data or not, both treat every patient
    assert cmp.tite.total_n == cmp.waiting.total_n == DESIGN.max_n


def test_waiting_decision_and_describe():
    data = TITEData(5, levels=[1, 1, 1], tox=[0, 0, 0], followup=[1, 0.5, 0.2], window=1)
    assert DESIGN.replace(tite=False).next_dose(data).key == "titecrm_wait"
    assert DESIGN.next_dose(data).key in ("titecrm_model", "titecrm_no_skip")
    assert "linear weights" in DESIGN.describe() and "完成" in DESIGN.replace(tite=False).describe("zh-tw")


# R: titecrm(sk, 0.25, rep(0, 8), lv2, followup=fu2, obswin=30, scale=sc)$estimate, $post.var for sc = 2, 3
WIDE_PRIOR = [(2.0, 1.677803515206, 1.556076214174), (3.0, 2.488526947188, 3.267927220663)]


@pytest.mark.parametrize("sd, beta, var", WIDE_PRIOR)
def test_wide_prior_departs_from_dfcrm_by_its_truncation(sd, beta, var):
    # dfcrm integrates beta * density only over [-10, 10] (the normalising constant over the real line): with a
    # wide prior and no DLT the posterior reaches past 10 and dfcrm's mean falls short.  The package integrates
    # over +-8 prior SD: it agrees with quadrature over the whole line, and dfcrm with quadrature cut at 10.
    post = tite_crm_posterior(SK, 0.25, prior_var=sd ** 2, **C)
    full = _quad_moments(SK, C, "empiric", sd ** 2)
    cut = _quad_moments(SK, C, "empiric", sd ** 2, limit=10)
    assert post.beta_mean == pytest.approx(full[0], abs=1e-9) and post.beta_var == pytest.approx(full[1], abs=1e-8)
    assert cut[0] == pytest.approx(beta, abs=1e-6) and cut[1] == pytest.approx(var, abs=1e-6)
    assert post.beta_mean - beta > 1e-6          # 6.5e-6 at sd 2, 9.9e-3 at sd 3


# R (dfcrm 0.2-2.1), 2,000 simulated trials, 59 s:
#   foo <- titesim(PI=c(0.05, 0.12, 0.25, 0.40, 0.55), prior=getprior(0.05, 0.25, 3, 5), target=0.25, n=24, x0=1,
#                  nsim=2000, restrict=TRUE, obswin=6, rate=4, accrual="poisson", count=FALSE, seed=2024)
#   foo$MTD; foo$level; foo$tox          (surv="uniform", the default: DLT times uniform over the window)
TITESIM = dict(n_trials=2000, selection=[0.0150, 0.2320, 0.5420, 0.1965, 0.0145],
               patients=[2.8210, 5.6640, 8.1485, 4.8430, 2.5235], dlts=[0.1460, 0.6760, 2.0375, 1.9420, 1.4020])


def test_simulation_agrees_with_dfcrm_titesim():
    # the same trial in this package: cohorts of 1, dfcrm's rate = 4 patients per 6-month window, Poisson accrual,
    # uniform onset; 4,000 trials, seed 31.  Under the same design both means have the same per-trial SD, so the
    # SE of a difference is that SD times sqrt(1/2000 + 1/4000).
    design = TITECRM(crm_skeleton(0.05, 0.25, 3, 5), 0.25, cohort_size=1, n_cohorts=24, accrual_per_month=4 / 6,
                     dlt_window_months=6, accrual="poisson")
    n = 4000
    oc = design.simulate([0.05, 0.12, 0.25, 0.40, 0.55], n_trials=n, seed=31, onset="uniform").summary()
    scale = np.sqrt(1 / TITESIM["n_trials"] + 1 / n)
    sel_sd = np.sqrt(oc.selection * (1 - oc.selection))
    assert np.all(np.abs(oc.selection - TITESIM["selection"]) <= 3 * sel_sd * scale), oc.selection
    for name in ("patients", "dlts"):
        sd = getattr(oc, f"{name}_se") * np.sqrt(n)
        assert np.all(np.abs(getattr(oc, name) - TITESIM[name]) <= 3 * sd * scale), (name, getattr(oc, name))
    with pytest.raises(ValueError, match="late_share"):
        design.simulate([0.05, 0.12, 0.25, 0.40, 0.55], n_trials=10, onset="uniform", late_share=0.7)
    with pytest.raises(ValueError, match="onset"):
        design.simulate([0.05, 0.12, 0.25, 0.40, 0.55], n_trials=10, onset="exponential")
