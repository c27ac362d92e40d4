"""The one contract of :mod:`dosecourse.escalation.design`, checked on every design, and the CRM's exact
operating characteristics against its own simulation.

(a) Every design of :data:`dosecourse.escalation.factory.DESIGNS`, BOIN12, BF-BOIN, TITE-CRM and TITE-BOIN: model
    arguments first, then keyword-only settings that start with ``cohort_size, n_cohorts, start_dose`` (the same
    names, order
    and defaults everywhere; the 3+3 and accelerated titration fix their own cohorts and take only
    ``start_dose``); immutable; ``replace()`` gives an equal but new design; ``repr``, ``==`` and ``hash``
    agree (``eval(repr(design)) == design``); the conduct verbs on empty data and on parsed data; the evaluation
    verbs and ``method=``.
(b) ``CRM.exact`` (path enumeration with merged states) against ``CRM.simulate`` (20,000 trials per scenario,
    the seeds listed in ``CRM_SCENARIOS``): selection probabilities, mean patients and mean DLTs per dose
    within 3 Monte Carlo standard errors, on 13 scenarios of 5 doses, cohorts of 3, N = 30 (steep, flat at and
    below the target, all toxic, all safe, the MTD at each dose, and three other CRM settings).
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from dosecourse import escalation as esc
from dosecourse.escalation import NO_DOSE, Decision, OperatingCharacteristics, TrialData, Trials
from dosecourse.escalation.decision import ACTIONS
from dosecourse.escalation.factory import DESIGNS as FACTORY_KEYS
from dosecourse.escalation.factory import make_design

K = 5
COMMON = ("cohort_size", "n_cohorts", "start_dose")
COMMON_DEFAULTS = {"cohort_size": 3, "n_cohorts": 10, "start_dose": 1}
SELF_PACED = ("3+3", "ATD")     # rule-based designs with their own cohorts: of the common settings, start_dose
MODEL_ARGS = {"3+3": ("n_doses",), "ATD": ("n_doses",), "BOIN": ("target", "n_doses"),
              "Keyboard": ("target", "n_doses"), "mTPI": ("target", "n_doses"), "mTPI-2": ("target", "n_doses"),
              "CRM": ("skeleton", "target"), "BOIN12": ("target_tox", "target_eff", "n_doses"),
              "BF-BOIN": ("target", "n_doses"), "TITE-CRM": ("skeleton", "target"), "TITE-BOIN": ("target", "n_doses")}
DESIGNS = {key: make_design(key, K) for key in FACTORY_KEYS} | {
    "BOIN12": esc.BOIN12(0.35, 0.25, K), "BF-BOIN": esc.BFBOIN(0.25, K),
    "TITE-CRM": esc.TITECRM([0.05, 0.12, 0.25, 0.40, 0.55], 0.25), "TITE-BOIN": esc.TITEBOIN(0.25, K)}
KEYS = list(DESIGNS)
TOX = [0.05, 0.10, 0.20, 0.30, 0.50]
EFF = [0.10, 0.20, 0.30, 0.40, 0.50]
NEXT_TEXT = "1NNN 2NTN"                   # a trial under way: the current dose is 2
FINAL_TEXT = {"ATD": "1N 2T 2NT 1TT",     # a trial the design has ended (accelerated titration: single patients;
              "3+3": "1NNN 2NNN 3NTT 2NNN"}  # the 3+3 declares a dose only with six patients there)
FINAL_DEFAULT = "1NNN 2NNN 3NTT"


def truth_of(design) -> dict:
    """The further truths a design's scenarios take (the response rates of the efficacy designs)."""
    return {"true_eff": EFF} if "true_eff" in design.truth_args else {}


def model_args(key: str) -> list:
    """The model arguments of design ``key``, read back from its attributes."""
    return [getattr(DESIGNS[key], name) for name in MODEL_ARGS[key]]


def test_every_factory_design_is_covered():
    assert set(FACTORY_KEYS) <= set(DESIGNS) and set(MODEL_ARGS) == set(DESIGNS)
    assert len(set(DESIGNS.values())) == len(DESIGNS)          # all different designs (== and hash)


# ---------------------------------------------------------------------------------------------- (a) construction
@pytest.mark.parametrize("key", KEYS)
def test_model_arguments_then_keyword_only_settings(key):
    design = DESIGNS[key]
    signature = inspect.signature(type(design))
    params = list(signature.parameters.values())
    kinds = {p.kind for p in params}
    assert kinds <= {inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY}
    positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert tuple(positional) == MODEL_ARGS[key]
    assert all(signature.parameters[name].default is inspect.Parameter.empty for name in positional)
    # the common settings come first among the keyword-only ones, in one order, with one set of defaults
    common = [name for name in COMMON if name in keyword]
    assert common == (["start_dose"] if key in SELF_PACED else list(COMMON))
    assert keyword[:len(common)] == common
    for name in common:
        assert signature.parameters[name].default == COMMON_DEFAULTS[name], name
    for name in COMMON:                      # every design has the attributes (fixed ones included)
        assert isinstance(getattr(design, name), int)
    # the model arguments rebuild the design; settings cannot be given by position
    args = model_args(key)
    assert type(design)(*args) == design
    with pytest.raises(TypeError):
        type(design)(*args, 2)
    assert design.replace(start_dose=2) == type(design)(*args, start_dose=2)


@pytest.mark.parametrize("key", KEYS)
def test_designs_are_immutable(key):
    design = DESIGNS[key]
    for name in ("start_dose", "n_doses", "name", "a_new_attribute"):
        with pytest.raises(AttributeError, match="replace"):
            setattr(design, name, 2)
    with pytest.raises(AttributeError):
        del design.n_doses
    assert design.start_dose == 1 and design.n_doses == K and not hasattr(design, "a_new_attribute")


# mTPI, mTPI-2 and Keyboard once kept a writeable `edges` array: writing to it changed decision_table() but not
# next_dose(), and the design still compared equal.
@pytest.mark.parametrize("key", KEYS)
def test_arrays_a_design_shows_are_read_only(key):
    design = DESIGNS[key]
    for name, value in vars(design).items():
        if not name.startswith("_") and isinstance(value, np.ndarray):
            assert not value.flags.writeable, name
            with pytest.raises(ValueError):
                value[0] = value[0]


@pytest.mark.parametrize("key", KEYS)
def test_replace_returns_an_equal_but_new_design(key):
    design = DESIGNS[key]
    copy = design.replace()
    assert copy == design and copy is not design
    assert hash(copy) == hash(design) and repr(copy) == repr(design)
    moved = design.replace(start_dose=2)
    assert moved.start_dose == 2 and design.start_dose == 1 and moved != design
    assert moved.replace(start_dose=1) == design
    if key not in SELF_PACED:                 # derived quantities are recomputed
        shorter = design.replace(n_cohorts=4)
        assert shorter.max_n == 4 * design.cohort_size and design.max_n == 10 * design.cohort_size
    with pytest.raises(TypeError, match="no setting"):
        design.replace(colour="red")
    with pytest.raises(ValueError, match="start_dose"):
        design.replace(start_dose=K + 1)


@pytest.mark.parametrize("key", KEYS)
def test_repr_eq_and_hash_agree(key):
    design = DESIGNS[key]
    again = eval(repr(design), vars(esc))      # repr shows every non-default setting at full precision
    assert again == design and hash(again) == hash(design) and repr(again) == repr(design)
    assert repr(design).startswith(type(design).__name__ + "(")
    assert len({design, again, design.replace()}) == 1
    moved = design.replace(start_dose=3)
    assert "start_dose=3" in repr(moved) and eval(repr(moved), vars(esc)) == moved
    assert design != moved and design != object() and design != repr(design)


# ---------------------------------------------------------------------------------------------- (a) conduct
# The contract (Design.select): "the selected dose, or NO_DOSE when none can be selected"; with no patient
# treated no dose can be, so select(empty) is NO_DOSE, or a ValueError saying the trial has not started.
# (the CRM once returned the skeleton's prior guess, dose 3)
@pytest.mark.parametrize("key", KEYS)
def test_select_on_empty_data(key):
    design = DESIGNS[key]
    try:
        selected = design.select(TrialData.empty(K))
    except ValueError:
        return
    assert selected == NO_DOSE


@pytest.mark.parametrize("key", KEYS)
def test_next_dose_on_empty_data_names_the_start_dose(key):
    design = DESIGNS[key]
    for empty in (TrialData.empty(K), ""):
        with pytest.raises(ValueError, match="no cohort has been treated yet; the first cohort receives "
                                             "start_dose = 1"):
            design.next_dose(empty)
    with pytest.raises(ValueError, match="start_dose = 2"):
        design.replace(start_dose=2).next_dose(TrialData.empty(K))


@pytest.mark.parametrize("key", KEYS)
def test_next_dose_and_select_on_parsed_data(key):
    design = DESIGNS[key]
    data = TrialData.from_outcomes(NEXT_TEXT, K)
    assert (data.n.tolist(), data.y.tolist(), data.current, data.last_cohort) == ([3, 3, 0, 0, 0],
                                                                                  [0, 1, 0, 0, 0], 2, (3, 1))
    decision = design.next_dose(data)
    assert isinstance(decision, Decision) and decision.action in ACTIONS
    assert isinstance(decision.dose, int) and 0 <= decision.dose <= K
    assert (decision.action == "stop") == (decision.dose == NO_DOSE)
    assert decision.reason("en") and decision.reason("zh-tw")
    assert design.next_dose(NEXT_TEXT) == decision            # an outcome string is the same data
    assert data.n.tolist() == [3, 3, 0, 0, 0] and data.y.tolist() == [0, 1, 0, 0, 0]   # data untouched
    final = FINAL_TEXT.get(key, FINAL_DEFAULT)
    selected = design.select(TrialData.from_outcomes(final, K))
    assert isinstance(selected, int) and 0 <= selected <= K
    assert design.select(final) == selected
    with pytest.raises(ValueError, match="6 doses"):
        design.next_dose(TrialData.from_outcomes(NEXT_TEXT, K + 1))


# ---------------------------------------------------------------------------------------- (a) planning, evaluation
@pytest.mark.parametrize("key", KEYS)
def test_planning_verbs(key):
    design = DESIGNS[key]
    en, zh = design.describe("en"), design.describe("zh-tw")
    assert isinstance(en, str) and isinstance(zh, str) and en and zh and en != zh
    try:
        table = design.decision_table()
    except NotImplementedError:
        assert key in ("CRM", "TITE-CRM")     # the CRM's next dose depends on all the data
    else:
        assert isinstance(table, pd.DataFrame) and not table.empty
        zh_table = design.decision_table(lang="zh-tw")
        assert zh_table.shape == table.shape
        assert not (zh_table.index.equals(table.index) and zh_table.columns.equals(table.columns))
    paths = design.pathways(1)
    assert isinstance(paths, pd.DataFrame) and len(paths) > 1
    assert set(paths.iloc[:, 0]) == {design.start_dose}


@pytest.mark.parametrize("key", KEYS)
def test_protocol_appendix(key):
    """Every design prints its plan as a protocol appendix, in both formats and languages (the content is checked
    in tests/test_protocol.py)."""
    design = DESIGNS[key]
    assert design.protocol_reference, "a design cites its primary reference in its protocol appendix"
    for fmt in ("markdown", "html"):
        en, zh = design.protocol(fmt, "en"), design.protocol(fmt, "zh-tw")
        assert isinstance(en, str) and isinstance(zh, str) and en != zh and en.endswith("\n")
        assert en.startswith("## ") if fmt == "markdown" else en.startswith("<section")
    assert design.protocol(max_n=6) == design.replace().protocol(max_n=6)   # a function of the settings only
    with pytest.raises(ValueError, match="fmt"):
        design.protocol("docx")


@pytest.mark.parametrize("key", KEYS)
def test_evaluation_verbs(key):
    design = DESIGNS[key] if key in SELF_PACED else DESIGNS[key].replace(n_cohorts=4)
    truth = truth_of(design)
    trials = design.simulate(TOX, n_trials=200, seed=3, **truth)
    assert isinstance(trials, Trials) and trials.n.shape == (200, K) and trials.seed == 3
    assert trials.design == design.name and trials.selects == design.selects
    again = design.simulate(TOX, n_trials=200, seed=3, **truth)
    assert np.array_equal(trials.selected, again.selected) and np.array_equal(trials.n, again.n)
    assert np.all((trials.selected >= 0) & (trials.selected <= K))
    oc = trials.summary()
    assert isinstance(oc, OperatingCharacteristics) and not oc.exact and oc.n_trials == 200
    assert oc.selection.sum() + oc.no_selection == pytest.approx(1)
    assert oc.patients.sum() == pytest.approx(oc.total_n)
    simulated = design.operating_characteristics(TOX, method="simulate", n_trials=200, seed=3, **truth)
    np.testing.assert_array_equal(simulated.selection, oc.selection)
    auto = design.operating_characteristics(TOX, n_trials=200, seed=3, **truth)
    if design.has_exact:
        exact = design.exact(TOX, **truth)
        assert exact.exact and auto.exact
        np.testing.assert_array_equal(auto.selection, exact.selection)
        np.testing.assert_array_equal(design.operating_characteristics(TOX, method="exact", **truth).patients,
                                      exact.patients)
        assert exact.selection.sum() + exact.no_selection == pytest.approx(1, abs=1e-12)
    else:
        with pytest.raises(NotImplementedError):
            design.exact(TOX, **truth)
        with pytest.raises(ValueError, match="method='exact'"):
            design.operating_characteristics(TOX, method="exact", **truth)
        assert not auto.exact
        np.testing.assert_array_equal(auto.selection, oc.selection)
    with pytest.raises(ValueError, match="method"):
        design.operating_characteristics(TOX, method="bootstrap", **truth)
    with pytest.raises(TypeError, match="unexpected"):
        design.simulate(TOX, n_trials=10, colour="red", **truth)


# ---------------------------------------------------------------------------------------------- (b) exact CRM
N_TRIALS = 20_000
CRM_DEFAULT = make_design("CRM", K)       # empiric model, indifference-interval skeleton, target 0.3, N = 30
CRM_SCENARIOS = [  # (id, design, true DLT probabilities, seed of the simulation)
    ("steep", CRM_DEFAULT, (0.02, 0.05, 0.30, 0.70, 0.90), 101),
    ("flat-at-target", CRM_DEFAULT, (0.30, 0.30, 0.30, 0.30, 0.30), 102),
    ("flat-below-target", CRM_DEFAULT, (0.15, 0.16, 0.17, 0.18, 0.19), 103),
    ("all-toxic", CRM_DEFAULT, (0.60, 0.70, 0.80, 0.90, 0.95), 104),
    ("all-safe", CRM_DEFAULT, (0.01, 0.02, 0.03, 0.04, 0.05), 105),
    ("mtd-1", CRM_DEFAULT, (0.30, 0.45, 0.60, 0.70, 0.80), 106),
    ("mtd-2", CRM_DEFAULT, (0.12, 0.30, 0.45, 0.60, 0.75), 107),
    ("mtd-3", CRM_DEFAULT, (0.05, 0.12, 0.30, 0.45, 0.60), 108),
    ("mtd-4", CRM_DEFAULT, (0.02, 0.06, 0.12, 0.30, 0.50), 109),
    ("mtd-5", CRM_DEFAULT, (0.01, 0.03, 0.06, 0.12, 0.30), 110),
    ("logistic-start-2", CRM_DEFAULT.replace(model="logistic", start_dose=2), (0.05, 0.12, 0.30, 0.45, 0.60), 111),
    ("unrestricted", CRM_DEFAULT.replace(no_skip=False, coherence=False), (0.02, 0.06, 0.12, 0.30, 0.50), 112),
    ("target-0.2-prior-var-0.5", make_design("CRM", K, 0.2).replace(prior_var=0.5), (0.04, 0.10, 0.20, 0.35, 0.50),
     113),
]


@pytest.mark.parametrize("design, tox, seed", [case[1:] for case in CRM_SCENARIOS],
                         ids=[case[0] for case in CRM_SCENARIOS])
def test_crm_exact_agrees_with_simulation(design, tox, seed):
    assert (design.n_doses, design.cohort_size, design.max_n) == (5, 3, 30)
    exact = design.operating_characteristics(tox, method="exact")
    assert exact.exact and exact.n_trials is None
    np.testing.assert_array_equal(exact.selection, design.exact(tox).selection)
    sim = design.operating_characteristics(tox, method="simulate", n_trials=N_TRIALS, seed=seed)
    assert not sim.exact and sim.n_trials == N_TRIALS and sim.seed == seed

    def proportion_se(q):   # SE of a simulated proportion whose true value is the exact q, at least one trial's
        q = np.asarray(q)   # worth (a rare event seen once is not an error)
        return np.maximum(np.sqrt(q * (1 - q) / N_TRIALS), 1 / N_TRIALS)

    def mean_se(se):        # the sample SE is 0 where no simulated trial went: floor it at what one trial can move
        return np.maximum(se, design.max_n / N_TRIALS)

    checks = [
        ("selection", exact.selection, sim.selection, proportion_se(exact.selection)),
        ("patients", exact.patients, sim.patients, mean_se(sim.patients_se)),
        ("dlts", exact.dlts, sim.dlts, mean_se(sim.dlts_se)),
        ("total_n", exact.total_n, sim.total_n, mean_se(sim.total_n_se)),
    ]
    for name, ex, mc, se in checks:
        z = np.abs(np.asarray(ex) - np.asarray(mc)) / np.asarray(se)
        assert np.all(z <= 3), f"{name}: exact {np.round(ex, 4)}, simulated {np.round(mc, 4)}, |z| {np.round(z, 2)}"
    # the CRM always enrols N and never stops early, exactly and in every simulated trial
    assert exact.total_n == pytest.approx(30, abs=1e-9) and sim.total_n == 30
    assert exact.no_selection == sim.no_selection == 0 and exact.stopped == sim.stopped == 0
    assert exact.selection.sum() == pytest.approx(1, abs=1e-12)
