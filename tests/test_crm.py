"""Tests of the continual reassessment method (dosecourse.escalation.crm).

Every expected number names its source.  The independent posterior used as a reference here integrates
dfcrm's formulas with scipy.integrate.quad over the whole real line; the package itself uses a fixed grid.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.special import expit, logit
from scipy.stats import binom

from dosecourse import data
from dosecourse.escalation import NO_DOSE, TrialData
from dosecourse.escalation.crm import CRM, crm_posterior, crm_skeleton

REFERENCE = "crm_cheung2011_table3_2"   # dosecourse/data/crm_cheung2011_table3_2.json


def quad_posterior(skeleton, n, y, model="empiric", prior_var=1.34, a0=3.0):
    """Posterior mean and variance of beta by adaptive quadrature over the real line (independent reference).

    Follows dfcrm's ``crm``: empiric p = s^exp(beta); logistic p = expit(a0 + exp(beta) (logit(s) - a0));
    prior N(0, prior_var).  The integrand is scaled by its maximum so that it neither under- nor overflows.
    """
    s = np.asarray(skeleton, float)
    n, y = np.asarray(n, float), np.asarray(y, float)

    def log_kernel(b):
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            p = s ** np.exp(b) if model == "empiric" else expit(a0 + np.exp(b) * (logit(s) - a0))
            terms = np.where(y > 0, y * np.log(p), 0.0) + np.where(n - y > 0, (n - y) * np.log1p(-p), 0.0)
        return -b * b / (2 * prior_var) + terms.sum()

    grid = np.linspace(-15, 15, 3001)
    top = max(log_kernel(b) for b in grid)

    def kernel(b, power):
        return b ** power * np.exp(log_kernel(b) - top)

    opts = dict(epsabs=0.0, epsrel=1e-12, limit=500)
    z = quad(kernel, -np.inf, np.inf, args=(0,), **opts)[0]
    mean = quad(kernel, -np.inf, np.inf, args=(1,), **opts)[0] / z
    second = quad(kernel, -np.inf, np.inf, args=(2,), **opts)[0] / z
    return mean, second - mean ** 2


def plug_in(skeleton, beta, model="empiric", a0=3.0):
    s = np.asarray(skeleton, float)
    return s ** np.exp(beta) if model == "empiric" else expit(a0 + np.exp(beta) * (logit(s) - a0))


# --- skeleton ----------------------------------------------------------------------------------------------

def test_skeleton_matches_dfcrm_getprior():
    # dfcrm getprior(0.05, 0.25, 3, 5) = 0.08397349 0.15674102 0.25 0.35450043 0.46034311
    # (printed in the method notes (method-semantics), from dfcrm 0.2-2.1).
    expected = [0.08397349, 0.15674102, 0.25, 0.35450043, 0.46034311]
    np.testing.assert_allclose(crm_skeleton(0.05, 0.25, 3, 5), expected, atol=1e-8)


@pytest.mark.parametrize("model", ["empiric", "logistic"])
@pytest.mark.parametrize("halfwidth, target, nu, k", [(0.05, 0.25, 3, 5), (0.04, 0.2, 1, 6), (0.08, 0.33, 6, 6),
                                                       (0.03, 0.3, 4, 8)])
def test_skeleton_has_the_indifference_intervals_it_was_built_for(model, halfwidth, target, nu, k):
    # Defining property (Lee & Cheung 2009): where the model's p_k(beta) reaches target + halfwidth, the dose
    # below has p_{k-1}(beta) = target - halfwidth, for every pair of neighbouring doses; s_nu = target.
    s = crm_skeleton(halfwidth, target, nu, k, model=model)
    assert s[nu - 1] == pytest.approx(target, abs=1e-14)
    assert np.all(np.diff(s) > 0)
    x = np.log(s) if model == "empiric" else logit(s) - 3.0
    hi = np.log(target + halfwidth) if model == "empiric" else logit(target + halfwidth) - 3.0
    for j in range(1, k):
        slope = hi / x[j]  # exp(beta) at which dose j + 1 (1-based) reaches target + halfwidth
        p_below = np.exp(slope * x[j - 1]) if model == "empiric" else expit(3.0 + slope * x[j - 1])
        assert p_below == pytest.approx(target - halfwidth, abs=1e-12)


def test_skeleton_checks_its_arguments():
    with pytest.raises(ValueError, match="halfwidth"):
        crm_skeleton(0.3, 0.25, 3, 5)
    with pytest.raises(ValueError, match="nu"):
        crm_skeleton(0.05, 0.25, 6, 5)
    with pytest.raises(ValueError, match="model"):
        crm_skeleton(0.05, 0.25, 3, 5, model="probit")


# --- posterior -----------------------------------------------------------------------------------------------

def test_cheung_2011_table_3_2_patient_by_patient():
    # Cheung (2011), Dose Finding by the Continual Reassessment Method, Table 3.2 (p. 26), transcribed in
    # dosecourse/data/crm_cheung2011_table3_2.json: logistic model a0 = 3, prior N(0, 1.34),
    # skeleton (0.05, 0.12, 0.25, 0.40, 0.55), target 0.25, start at dose 3.  Patient i has a DLT when
    # u_i < true_tox[dose]; the next patient gets the recommended dose (this trial applies no restriction).
    ref = data.load(REFERENCE)
    levels, tox, dose = [], [], ref["start"]
    for i, u in enumerate(ref["u"]):
        assert dose == ref["doses"][i]
        outcome = int(u < ref["true_tox"][dose - 1])
        assert outcome == ref["tox"][i]
        levels.append(dose)
        tox.append(outcome)
        post = crm_posterior(ref["skeleton"], ref["target"], levels, tox, model="logistic",
                             prior_var=ref["prior_var"])
        # the book prints beta to two decimals
        assert abs(post.beta_mean - ref["beta_hat"][i]) <= 0.005 + 1e-12, f"patient {i + 1}"
        dose = post.recommended
    assert dose == ref["final_mtd"]


def test_cheung_2011_table_3_2_through_the_design():
    # Same trial (Cheung 2011, Table 3.2) run through CRM.next_dose with the restrictions switched off.
    ref = data.load(REFERENCE)
    design = CRM(ref["skeleton"], ref["target"], cohort_size=1, n_cohorts=20, start_dose=ref["start"],
                 model="logistic", no_skip=False, coherence=False)
    trial = TrialData.empty(5)
    dose = ref["start"]
    for i in range(20):
        assert dose == ref["doses"][i]
        trial = trial.add(dose, ref["tox"][i], size=1)       # last_cohort = (1, DLT)
        decision = design.next_dose(trial)
        assert decision.fields["beta"] == pytest.approx(ref["beta_hat"][i], abs=0.005 + 1e-12)
        dose = decision.dose
    assert design.select(trial) == ref["final_mtd"]


def test_dfcrm_crm_help_page_example():
    # Example of dfcrm's crm help page: prior c(0.05,0.10,0.20,0.35,0.50,0.70), target 0.2,
    # level c(3,4,4,3,3,4,3,2,2,2), y c(0,0,1,0,0,1,1,0,0,0), empiric model, scale sqrt(1.34).
    # No printed output of this example could be found (searched dfcrm's sources and manual, package tests
    # that call it, vignettes and web pages), so the reference is an independent adaptive-quadrature
    # integration of dfcrm's formulas (quad_posterior above): posterior mean -0.21217, variance 0.15760.
    prior = [0.05, 0.10, 0.20, 0.35, 0.50, 0.70]
    level = [3, 4, 4, 3, 3, 4, 3, 2, 2, 2]
    tox = [0, 0, 1, 0, 0, 1, 1, 0, 0, 0]
    n = np.bincount(level, minlength=7)[1:]
    y = np.bincount(level, weights=tox, minlength=7)[1:]
    mean, var = quad_posterior(prior, n, y)
    post = crm_posterior(prior, 0.2, level, tox)
    assert post.beta_mean == pytest.approx(mean, abs=1e-9)
    assert post.beta_var == pytest.approx(var, abs=1e-9)
    np.testing.assert_allclose(post.ptox, plug_in(prior, mean), atol=1e-9)
    # closest to 0.2 among the quadrature estimates (0.0887, 0.1553, 0.2721, ...) is dose 2
    assert post.recommended == int(np.argmin(np.abs(plug_in(prior, mean) - 0.2))) + 1 == 2


@pytest.mark.parametrize("model, expected", [("empiric", [0.240, 0.368, 0.566, 0.728]),
                                             ("logistic", [0.274, 0.412, 0.598, 0.734])])
def test_clintrials_example_stated_verifiable_with_dfcrm(model, expected):
    # brockk/clintrials tests/test_crm.py, test_CRM_bayes_again: skeleton (0.1, 0.2, 0.4, 0.6), target 0.4,
    # doses 1,1,1,2,2,2 with DLTs 0,0,0,1,0,1; plug-in estimates printed to three decimals and stated there to be
    # "verifiable in R" (dfcrm).
    post = crm_posterior([0.1, 0.2, 0.4, 0.6], 0.4, [1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 0, 1], model=model)
    np.testing.assert_allclose(post.ptox, expected, atol=5e-4 + 1e-12)


def test_no_data_gives_the_prior():
    # With no patients the posterior is the prior N(0, 1.34): mean 0, variance 1.34, estimates = skeleton.
    post = crm_posterior([0.1, 0.2, 0.3], 0.2, [], [])
    assert post.beta_mean == pytest.approx(0.0, abs=1e-12)
    assert post.beta_var == pytest.approx(1.34, rel=1e-9)
    np.testing.assert_allclose(post.ptox, [0.1, 0.2, 0.3], atol=1e-12)
    assert post.recommended == 2


EXTREME = [  # (skeleton index counts n, y) that push the posterior into its tails
    ([30, 0, 0, 0, 0], [30, 0, 0, 0, 0]),
    ([0, 0, 0, 0, 30], [0, 0, 0, 0, 0]),
    ([12, 0, 0, 0, 12], [12, 0, 0, 0, 0]),
    ([3, 3, 3, 3, 3], [0, 0, 0, 0, 3]),
    ([1, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
]


@pytest.mark.parametrize("model", ["empiric", "logistic"])
@pytest.mark.parametrize("n, y", EXTREME)
def test_grid_posterior_matches_quadrature_in_the_tails(model, n, y):
    skeleton = crm_skeleton(0.05, 0.25, 3, 5, model=model)
    levels = np.repeat(np.arange(1, 6), n)
    tox = np.concatenate([np.r_[np.ones(b, int), np.zeros(a - b, int)] for a, b in zip(n, y)])
    post = crm_posterior(skeleton, 0.25, levels, tox, model=model)
    mean, var = quad_posterior(skeleton, n, y, model=model)
    assert abs(post.beta_mean - mean) < 1e-8
    assert abs(post.beta_var - var) < 1e-8


@settings(max_examples=60, deadline=None)
@given(model=st.sampled_from(["empiric", "logistic"]),
       prior_var=st.floats(0.2, 4.0),
       counts=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=4, max_size=4))
def test_grid_posterior_matches_quadrature(model, prior_var, counts):
    # The fixed-grid posterior agrees with adaptive quadrature to 1e-8 on the mean (and the variance).
    skeleton = [0.06, 0.14, 0.28, 0.45]
    n = [a for a, _ in counts]
    y = [min(a, b) for a, b in counts]
    levels = np.repeat(np.arange(1, 5), n)
    tox = np.concatenate([np.r_[np.ones(b, int), np.zeros(a - b, int)] for a, b in zip(n, y)])
    post = crm_posterior(skeleton, 0.25, levels, tox, model=model, prior_var=prior_var)
    mean, var = quad_posterior(skeleton, n, y, model=model, prior_var=prior_var)
    assert abs(post.beta_mean - mean) < 1e-8
    assert abs(post.beta_var - var) < 1e-8


@settings(max_examples=40, deadline=None)
@given(model=st.sampled_from(["empiric", "logistic"]),
       counts=st.lists(st.tuples(st.integers(1, 8), st.integers(0, 8)), min_size=3, max_size=3),
       where=st.integers(0, 2))
def test_one_more_dlt_lowers_beta(model, counts, where):
    # Monotone likelihood ratio: turning one patient's non-DLT into a DLT lowers the posterior mean of beta
    # (both working models decrease in beta's direction of toxicity), so no dose's estimate goes down.
    n = [a for a, _ in counts]
    y = [min(a, b) for a, b in counts]
    if y[where] == n[where]:
        return
    skeleton = [0.1, 0.2, 0.35]
    levels = np.repeat(np.arange(1, 4), n)
    base = np.concatenate([np.r_[np.ones(b, int), np.zeros(a - b, int)] for a, b in zip(n, y)])
    more = base.copy()
    more[np.flatnonzero((levels == where + 1) & (base == 0))[0]] = 1
    low = crm_posterior(skeleton, 0.25, levels, base, model=model)
    high = crm_posterior(skeleton, 0.25, levels, more, model=model)
    assert high.beta_mean < low.beta_mean
    assert np.all(high.ptox >= low.ptox)


def test_non_monotone_skeleton_is_a_clear_error():
    with pytest.raises(ValueError, match="skeleton must be strictly increasing"):
        CRM([0.1, 0.3, 0.2], target=0.25)
    with pytest.raises(ValueError, match="skeleton must be strictly increasing"):
        crm_posterior([0.1, 0.1, 0.2], 0.25, [1], [0])


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="intercept"):
        CRM([0.5, 0.9, 0.97], target=0.3, model="logistic")
    with pytest.raises(ValueError, match="prior_var"):
        CRM([0.1, 0.2], target=0.2, prior_var=0)
    with pytest.raises(ValueError, match="levels"):
        crm_posterior([0.1, 0.2], 0.2, [3], [0])
    with pytest.raises(ValueError, match="tox"):
        crm_posterior([0.1, 0.2], 0.2, [1], [2])
    with pytest.raises(ValueError, match="equal length"):
        crm_posterior([0.1, 0.2], 0.2, [1, 1], [0])
    with pytest.raises(ValueError, match=r"^last_cohort dlts must be a whole number"):
        CRM([0.1, 0.2], 0.2).next_dose(TrialData([3, 0], [0, 0], current=1, last_cohort=(3, 4)))


# --- the design ----------------------------------------------------------------------------------------------

def test_no_skipping_and_coherence():
    design = CRM([0.05, 0.10, 0.20, 0.35, 0.50], target=0.3, cohort_size=3)
    # 0/3 at dose 1: the model jumps far up (beta large), but escalation is one level at a time.
    d = design.next_dose(TrialData([3, 0, 0, 0, 0], [0, 0, 0, 0, 0], current=1, last_cohort=(3, 0)))
    assert d.fields["rec"] > 2 and (d.action, d.dose, d.key) == ("escalate", 2, "crm_no_skip")
    # 1/3 at dose 3 after 0/6 below: the model still recommends escalation, but 1/3 >= 0.3, so stay (coherence).
    d = design.next_dose(TrialData([3, 3, 3, 0, 0], [0, 0, 1, 0, 0], current=3, last_cohort=(3, 1)))
    assert d.fields["rec"] > 3 and (d.action, d.dose, d.key) == ("stay", 3, "crm_coherence")
    assert "coherence" in d.reason("en") and "一致性" in d.reason("zh-tw")
    # without last_cohort the coherence rule cannot apply: escalate one level
    assert design.next_dose(TrialData([3, 3, 3, 0, 0], [0, 0, 1, 0, 0], current=3)).dose == 4
    # dfcrm's coherence restriction uses ">= target" (crmsim: sum(ynew)/mcohort >= target): 1/3 vs target 1/3
    exact = CRM([0.05, 0.10, 0.20, 0.35, 0.50], target=1 / 3, cohort_size=3)
    assert exact.next_dose(TrialData([3, 3, 3, 0, 0], [0, 0, 1, 0, 0], current=3, last_cohort=(3, 1))).dose <= 3


def scenario_designs():
    """(design, reasons the sequential run must meet, so that the restrictions are exercised)."""
    skeleton = crm_skeleton(0.05, 0.3, 3, 5)
    return [
        (CRM(skeleton, 0.3, cohort_size=3, n_cohorts=10), {"crm_model", "crm_no_skip", "crm_coherence"}),
        (CRM(crm_skeleton(0.06, 0.25, 2, 5, model="logistic"), 0.25, cohort_size=1, n_cohorts=20, start_dose=2,
             model="logistic", prior_var=0.8), {"crm_model", "crm_no_skip"}),
        (CRM(skeleton, 0.3, cohort_size=3, n_cohorts=8, no_skip=False, coherence=False), {"crm_model"}),
    ]


@pytest.mark.parametrize("design, reasons", scenario_designs())
def test_vectorised_simulation_equals_sequential_next_dose(design, reasons):
    # Reference: a plain loop over trials and cohorts calling next_dose on the same uniform draws.
    true_tox = np.array([0.05, 0.15, 0.30, 0.45, 0.60])
    u = np.random.default_rng(20250101).random((250, design.n_cohorts, design.cohort_size))
    selected, n_vec, y_vec = design._trials(true_tox, u)
    keys = set()
    for i in range(u.shape[0]):
        trial = TrialData.empty(5)
        dose = design.start_dose
        for m in range(design.n_cohorts):
            dlts = int((u[i, m] < true_tox[dose - 1]).sum())
            trial = trial.add(dose, dlts, size=design.cohort_size)   # last_cohort = (cohort_size, dlts)
            if m < design.n_cohorts - 1:
                decision = design.next_dose(trial)
                keys.add(decision.key)
                dose = decision.dose
        np.testing.assert_array_equal(n_vec[i], trial.n)
        np.testing.assert_array_equal(y_vec[i], trial.y)
        assert selected[i] == design.select(trial)
    assert keys == reasons


def test_simulated_operating_characteristics_are_consistent():
    design = CRM(crm_skeleton(0.05, 0.3, 3, 5), 0.3, cohort_size=3, n_cohorts=10)
    oc = design.simulate([0.05, 0.15, 0.30, 0.45, 0.60], n_trials=2000, seed=11).summary()
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1.0)
    assert oc.no_selection == 0 and oc.stopped == 0  # no early stopping, as dfcrm's crmsim
    assert oc.total_n == pytest.approx(30.0) and oc.patients.sum() == pytest.approx(30.0)
    assert oc.selection.argmax() == 2  # the dose at the target is the one most often selected
    same = design.simulate([0.05, 0.15, 0.30, 0.45, 0.60], n_trials=2000, seed=11).summary()
    np.testing.assert_array_equal(oc.selection, same.selection)
    with pytest.raises(TypeError, match=r"takes only true_tox; got unexpected \['true_eff'\]"):
        design.simulate([0.05, 0.15, 0.30, 0.45, 0.60], n_trials=10, true_eff=[0.2] * 5)


def test_pathways_and_describe():
    design = CRM([0.05, 0.10, 0.20, 0.35, 0.50], target=0.3, cohort_size=3)
    paths = design.pathways(n_cohorts=2)
    assert len(paths) == 16  # 4 outcomes of each of two cohorts; the CRM never stops early
    assert NO_DOSE not in paths.iloc[:, 2].tolist()
    with pytest.raises(NotImplementedError):
        design.decision_table()
    # the CRM's operating characteristics are now exact too (tests/test_design_contract.py checks them)
    assert design.has_exact and design.exact([0.1] * 5).exact
    en, zh = design.describe("en"), design.describe("zh-tw")
    assert "0.050, 0.100, 0.200, 0.350, 0.500" in en and "N(0, 1.34)" in en and "coherence" in en
    assert "連續再評估法" in zh and "0.050, 0.100, 0.200, 0.350, 0.500" in zh



# ------------------------------------------------------------------------- exact CRM against brute force
def _brute_force(design: CRM, true_tox) -> tuple[np.ndarray, np.ndarray]:
    """Selection and patients per dose by walking every outcome path with the public verbs (next_dose on the
    data so far, select at the end): the posterior of each path is computed from its counts afresh, with no
    merging of states and no carried densities."""
    k, c = design.n_doses, design.cohort_size
    selection, patients = np.zeros(k), np.zeros(k)

    def walk(data: TrialData, dose: int, prob: float, cohort: int) -> None:
        for dlts in range(c + 1):
            p = prob * binom.pmf(dlts, c, true_tox[dose - 1])
            if p == 0:
                continue
            grown = data.add(dose, dlts, size=c)
            if cohort == design.n_cohorts - 1:
                selection[design.select(grown) - 1] += p
                patients[:] += p * grown.n
            else:
                walk(grown, design.next_dose(grown).dose, p, cohort + 1)

    walk(TrialData.empty(k), design.start_dose, 1.0, 0)
    return selection, patients


@pytest.mark.parametrize("kwargs, true_tox", [
    ({"cohort_size": 3, "n_cohorts": 4}, (0.05, 0.15, 0.30, 0.45, 0.60)),
    ({"cohort_size": 1, "n_cohorts": 8, "model": "logistic"}, (0.10, 0.20, 0.25, 0.50, 0.70)),
    ({"cohort_size": 2, "n_cohorts": 5, "prior_var": 0.5, "start_dose": 2}, (0.02, 0.05, 0.10, 0.15, 0.40)),
    ({"cohort_size": 3, "n_cohorts": 4, "coherence": False, "no_skip": False}, (0.30, 0.40, 0.50, 0.60, 0.70)),
])
def test_exact_crm_equals_brute_force_over_every_path(kwargs, true_tox):
    # The exact enumeration merges states and carries each state's posterior density from cohort to cohort; the
    # brute force does neither, so agreement to rounding checks both the merging and the carried densities.
    design = CRM(crm_skeleton(0.05, 0.30, 3, 5), 0.30, **kwargs)
    oc = design.exact(true_tox)
    selection, patients = _brute_force(design, np.asarray(true_tox))
    np.testing.assert_allclose(oc.selection, selection, atol=1e-12)
    np.testing.assert_allclose(oc.patients, patients, atol=1e-10)
    assert oc.n_states >= 1
