"""Bad-input contract over the public API (issue 14): a wrong argument gets a clear error, never a silent result.

For every public callable of the modules in :data:`COVERED` (found by :mod:`public_api`, so a callable added to
them later fails :func:`test_every_public_callable_has_a_valid_call` until it is given a valid call here), the test
starts from one valid call (:data:`VALID`) and replaces one argument at a time by a generated bad value.  The bad
values are chosen from the kind of the valid value (bool, whole number, size, number, probability, name, free
text, array, mapping, object) and the parameter's name:

* ``None`` (unless ``None`` is the default), ``"abc"``, a number where text or True/False is expected;
* NaN and infinity, ``-1``, ``1.5`` where a whole number or a probability is expected;
* ``10**18`` and ``1e300`` for sizes (numbers of trials, patients, cohorts, levels, draws ...);
* ``[]``, NaN inside an array, an array one value too long, negative or out-of-range values inside an array;
* an unknown name for a parameter that takes one of a set of names (``lang``, ``scheme``, ``species`` ...).

A bad value must raise ``ValueError`` or ``TypeError`` whose message names the parameter.  A few values are only
*possibly* bad (an array one value longer, ``-1`` where negative numbers make sense ...): for those a sane result
passes too.  Whatever is returned is checked for sanity: no NaN, no negative counts, no probability outside
[0, 1].  Every call runs under a 3-second alarm: a hang is a failure.

The modules covered default to *every* public module of the package (found by :mod:`public_api`), so a module
added later fails :func:`test_every_public_callable_has_a_valid_call` until its callables have valid calls here.
Only ``dosecourse.chapters`` is left out (:data:`EXCLUDED`): it is the presentation layer of the book (widgets,
figures, styles), not science API a fellow calls with numbers.

``python tests/test_bad_input.py`` runs the same cases outside pytest and prints how many end in each outcome of
:func:`run_case` (clear error, sane result, unclear error, no error, hang): :func:`tally`.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
import signal
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest
from public_api import modules, objects

from dosecourse import (
    biomarkers,
    capstone_drug,
    cytokine,
    data,
    dose_grid,
    dossier,
    expansion,
    expansion_cases,
    fih,
    i18n,
    landscape,
    mabel,
    mtd_paradigm,
    pk,
    poppk,
    seamless,
    sentinel,
    simulation_check,
    stats,
    target_attainment,
    target_window,
    utility,
)
from dosecourse import dose_comparison as dc
from dosecourse import dose_response as dr
from dosecourse import escalation as esc
from dosecourse import exposure_response as er
from dosecourse import pd as pdm
from dosecourse.escalation import blrm, interval

EXCLUDED: tuple[str, ...] = ("dosecourse.chapters",)
"""Packages left out of the contract: ``dosecourse.chapters`` is the book's presentation layer (widgets, figures,
styles, chapter scaffolding), not science API called with numbers."""

COVERED: tuple[str, ...] = tuple(sorted(
    m.__name__ for m in modules()
    if not any(m.__name__ == e or m.__name__.startswith(e + ".") for e in EXCLUDED)))
"""Modules whose public callables the contract covers: by default every public module of the package except
:data:`EXCLUDED`, so that a module added later is covered (and must get valid calls) automatically."""

TIME_LIMIT = 3.0
"""Seconds one call may take."""


# ---------------------------------------------------------------------------------------------- valid calls
def fields_of(obj: Any) -> dict:
    """The constructor arguments of a dataclass instance (to rebuild it with one field changed)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}


def _tox3():
    return [0.1, 0.3, 0.5]


DESIGNS: dict[str, tuple[Callable[[], esc.Design], dict]] = {
    "BOIN": (lambda: esc.BOIN(0.3, 3, n_cohorts=4), {}),
    "Keyboard": (lambda: esc.Keyboard(0.3, 3, n_cohorts=4), {}),
    "MTPI": (lambda: esc.MTPI(0.3, 3, n_cohorts=4), {}),
    "MTPI2": (lambda: esc.MTPI2(0.3, 3, n_cohorts=4), {}),
    "BOIN12": (lambda: esc.BOIN12(0.35, 0.25, 3, n_cohorts=4), {"true_eff": [0.2, 0.4, 0.5]}),
    "BFBOIN": (lambda: esc.BFBOIN(0.25, 3, n_cohorts=4), {"true_eff": [0.2, 0.4, 0.5]}),
    "CRM": (lambda: esc.CRM([0.05, 0.12, 0.25], 0.25, n_cohorts=4), {}),
    "ThreePlusThree": (lambda: esc.ThreePlusThree(3), {}),
    "AcceleratedTitration": (lambda: esc.AcceleratedTitration(3), {}),
    "BLRM": (lambda: blrm.BLRM([1, 2, 4], n_cohorts=4), {}),
    "TITECRM": (lambda: esc.TITECRM([0.05, 0.12, 0.25], 0.25, n_cohorts=4), {"late_share": 0.5}),
    "TITEBOIN": (lambda: esc.TITEBOIN(0.25, 3, n_cohorts=4), {"late_share": 0.5}),
}
"""One small instance of every escalation design, and the further truths its simulations need."""

VERBS: dict[str, Callable[[dict], dict]] = {
    "replace": lambda truth: {"n_cohorts": 3},
    "next_dose": lambda truth: {"data": "1NNN"},
    "select": lambda truth: {"data": "1NNN 2NTN"},
    "describe": lambda truth: {"lang": "en"},
    "decision_table": lambda truth: {"max_n": 6, "lang": "en"},
    "pathways": lambda truth: {"n_cohorts": 1, "data": "1NNN", "lang": "en"},
    "protocol": lambda truth: {"fmt": "markdown", "lang": "en", "max_n": 6, "level": 2},
    "simulate": lambda truth: {"true_tox": _tox3(), "n_trials": 20, "seed": 1, **truth},
    "exact": lambda truth: {"true_tox": _tox3(), **truth},
    "operating_characteristics": lambda truth: {"true_tox": _tox3(), "method": "simulate", "n_trials": 20,
                                                "seed": 1, **truth},
}
"""The verbs of :class:`~dosecourse.escalation.Design`, each with a valid call."""


def _m():
    return biomarkers.BiomarkerModel(e0=0.0, emax=100.0, ed50=20.0)


def _obd():
    return biomarkers.simulate_obd_estimation(_m(), [10, 30, 100, 300], 3, noise_sd=10.0, n_trials=20,
                                              grid_size=50)


def _below():
    return dose_grid.simulate_patients_below_active(10.0, "doubling", gsd=1.0, n_trials=20, seed=1)


def _attrs():
    return {"efficacy": [0.20, 0.40, 0.45], "toxicity": [0.10, 0.20, 0.40]}


def _desir():
    return {"efficacy": utility.linear_desirability(0.0, 0.6), "toxicity": utility.linear_desirability(0.5, 0.0)}


def _cui():
    return utility.cui(_attrs(), {"efficacy": 0.6, "toxicity": 0.4}, _desir())


def _pb():
    return utility.probability_best([12, 12, 12], [3, 6, 7], [1, 2, 5], {"efficacy": 0.6, "toxicity": 0.4},
                                    _desir(), n_draws=200)


def _trials():
    return esc.BOIN(0.3, 3, n_cohorts=4).simulate(_tox3(), n_trials=20, seed=1)


def _oc():
    return _trials().summary()


def _comb():
    return esc.BOINComb(0.3, (2, 3), n_cohorts=4)


def _comb_data():
    return {"n": [[3, 0, 0], [0, 0, 0]], "y": [[0, 0, 0], [0, 0, 0]]}


def _comb_oc():
    return _comb().simulate([[0.05, 0.1, 0.2], [0.1, 0.3, 0.5]], n_trials=20, seed=1)


def _bfboin_data():
    return esc.TrialData([3, 3, 3], [0, 0, 0], current=3, responses=[1, 0, 0])


Call = Callable[[], tuple[Callable, dict]]

VALID: dict[str, Call] = {
    # ---- escalation
    "dosecourse.escalation.accelerated_titration.AcceleratedTitration":
        lambda: (esc.AcceleratedTitration, dict(n_doses=4, start_dose=1, variant="six-at-mtd")),
    "dosecourse.escalation.bfboin.BFBOIN": lambda: (esc.BFBOIN, dict(
        target=0.25, n_doses=3, cohort_size=3, n_cohorts=4, start_dose=1, n_earlystop=9, n_cap_backfill=12,
        accrual_per_month=3.0, dlt_window_months=1.0, accrual="uniform", response_rule="dose_or_below",
        backfill=True, stay_1_of_3=False, phi1=0.15, phi2=0.35, cutoff_eli=0.95)),
    "dosecourse.escalation.bfboin.BFBOIN.backfill_doses":
        lambda: (esc.BFBOIN(0.25, 3).backfill_doses, dict(data=_bfboin_data(), n_enrolled=[3, 3, 3], current=3)),
    "dosecourse.escalation.bfboin.weibull_dlt_times": lambda: (esc.weibull_dlt_times,
                                                               dict(true_tox=[0.3], window=1.0)),
    "dosecourse.escalation.boin.boin_boundaries": lambda: (esc.boin_boundaries,
                                                           dict(target=0.3, phi1=0.18, phi2=0.42)),
    "dosecourse.escalation.boin_comb.BOINComb": lambda: (esc.BOINComb, dict(
        target=0.3, n_doses=(2, 3), cohort_size=3, n_cohorts=4, start_dose=(1, 1), p_saf=0.18, p_tox=0.42,
        n_earlystop=100, cutoff_eli=0.95, extrasafe=False, offset=0.05, rules="next.comb", bound_mtd=False)),
    "dosecourse.escalation.boin_comb.BOINComb.replace": lambda: (_comb().replace, dict(n_cohorts=3)),
    "dosecourse.escalation.boin_comb.BOINComb.decision_table":
        lambda: (_comb().decision_table, dict(max_n=6, lang="en")),
    "dosecourse.escalation.boin_comb.BOINComb.next_candidates":
        lambda: (_comb().next_candidates, dict(**_comb_data(), current=(1, 1))),
    "dosecourse.escalation.boin_comb.BOINComb.next_dose":
        lambda: (_comb().next_dose, dict(**_comb_data(), current=(1, 1), seed=1)),
    "dosecourse.escalation.boin_comb.BOINComb.explain":
        lambda: (_comb().explain, dict(**_comb_data(), current=(1, 1), lang="en")),
    "dosecourse.escalation.boin_comb.BOINComb.select": lambda: (_comb().select, _comb_data()),
    "dosecourse.escalation.boin_comb.BOINComb.estimates": lambda: (_comb().estimates, _comb_data()),
    "dosecourse.escalation.boin_comb.BOINComb.select_contour": lambda: (_comb().select_contour, _comb_data()),
    "dosecourse.escalation.boin_comb.BOINComb.pathways": lambda: (_comb().pathways, dict(n_cohorts=1, lang="en")),
    "dosecourse.escalation.boin_comb.BOINComb.describe": lambda: (_comb().describe, dict(lang="en")),
    "dosecourse.escalation.boin_comb.BOINComb.protocol": lambda: (_comb().protocol, dict(
        fmt="markdown", lang="en", max_n=6, level=2)),
    "dosecourse.escalation.boin_comb.BOINComb.simulate": lambda: (_comb().simulate, dict(
        true_tox=[[0.05, 0.1, 0.2], [0.1, 0.3, 0.5]], n_trials=20, seed=1)),
    "dosecourse.escalation.boin_comb.CombOperatingCharacteristics":
        lambda: (esc.CombOperatingCharacteristics, fields_of(_comb_oc())),
    "dosecourse.escalation.boin_comb.CombOperatingCharacteristics.correct_selection":
        lambda: (_comb_oc().correct_selection, dict(target=0.3, tolerance=0.05)),
    "dosecourse.escalation.boin_comb.CombOperatingCharacteristics.correct_patients":
        lambda: (_comb_oc().correct_patients, dict(target=0.3, tolerance=0.05)),
    "dosecourse.escalation.boin_comb.CombOperatingCharacteristics.to_frame":
        lambda: (_comb_oc().to_frame, dict(lang="en")),
    "dosecourse.escalation.boin.BOIN": lambda: (esc.BOIN, dict(
        target=0.3, n_doses=3, cohort_size=3, n_cohorts=4, start_dose=1, phi1=0.18, phi2=0.42, cutoff_eli=0.95,
        extrasafe=False, offset=0.05, n_earlystop=100)),
    "dosecourse.escalation.boin12.joint_probabilities":
        lambda: (esc.joint_probabilities, dict(true_tox=[0.2, 0.3], true_eff=[0.5, 0.6], rho=0.1)),
    "dosecourse.escalation.boin12.BOIN12": lambda: (esc.BOIN12, dict(
        target_tox=0.35, target_eff=0.25, n_doses=3, cohort_size=3, n_cohorts=4, start_dose=1,
        utilities=(100, 40, 60, 0), n_star=6, n_explore=9, cutoff_tox=0.95, cutoff_eff=0.9, phi1=0.2, phi2=0.4)),
    "dosecourse.escalation.boin12.BOIN12.desirability":
        lambda: (esc.BOIN12(0.35, 0.25, 3).desirability, dict(n=[3, 6], x=[1.0, 2.5])),
    "dosecourse.escalation.boin12.BOIN12.admissible":
        lambda: (esc.BOIN12(0.35, 0.25, 3).admissible, dict(n=[3, 3, 0], y_tox=[0, 1, 0], y_eff=[1, 2, 0])),
    "dosecourse.escalation.boin12.BOIN12.utility_table":
        lambda: (esc.BOIN12(0.35, 0.25, 3).utility_table, dict(lang="en")),
    "dosecourse.escalation.crm.crm_skeleton": lambda: (esc.crm_skeleton, dict(
        halfwidth=0.05, target=0.25, nu=3, n_doses=5, model="empiric", intercept=3.0)),
    "dosecourse.escalation.crm.CRMPosterior": lambda: (esc.CRMPosterior, fields_of(
        esc.crm_posterior([0.05, 0.1, 0.2, 0.35, 0.5], 0.2, [1, 1, 1, 2, 2, 2], [0, 0, 0, 0, 1, 0]))),
    "dosecourse.escalation.crm.crm_posterior": lambda: (esc.crm_posterior, dict(
        skeleton=[0.05, 0.1, 0.2, 0.35, 0.5], target=0.2, levels=[1, 1, 1, 2, 2, 2], tox=[0, 0, 0, 0, 1, 0],
        model="empiric", prior_var=1.34, intercept=3.0)),
    "dosecourse.escalation.crm.CRM": lambda: (esc.CRM, dict(
        skeleton=[0.05, 0.12, 0.25], target=0.25, cohort_size=3, n_cohorts=4, start_dose=1, model="empiric",
        prior_var=1.34, intercept=3.0, no_skip=True, coherence=True)),
    "dosecourse.escalation.tite.TITEData": lambda: (esc.TITEData, dict(
        n_doses=3, levels=[1, 1, 2], tox=[0, 1, 0], followup=[28.0, 10.0, 7.0], window=28.0, current=2)),
    "dosecourse.escalation.tite.TITEData.complete":
        lambda: (esc.TITEData.complete, dict(data=esc.TrialData([3, 3, 0], [0, 1, 0], current=2), window=28.0)),
    "dosecourse.escalation.tite.TITEData.to_trial_data":
        lambda: (esc.TITEData(3, [1, 1, 2], [0, 1, 0], [28.0, 10.0, 7.0], 28.0).to_trial_data, {}),
    "dosecourse.escalation.tite.compare_waiting": lambda: (esc.compare_waiting, dict(
        design=esc.TITEBOIN(0.25, 3, n_cohorts=3), true_tox=[0.1, 0.3, 0.5], n_trials=20, seed=1, late_share=0.5)),
    "dosecourse.escalation.tite.DurationComparison": lambda: (esc.DurationComparison, fields_of(esc.compare_waiting(
        esc.TITEBOIN(0.25, 3, n_cohorts=3), [0.1, 0.3, 0.5], n_trials=20, seed=1))),
    "dosecourse.escalation.tite_crm.tite_crm_posterior": lambda: (esc.tite_crm_posterior, dict(
        skeleton=[0.05, 0.1, 0.2, 0.35, 0.5], target=0.2, levels=[1, 1, 1, 2, 2, 2], tox=[0, 0, 0, 0, 1, 0],
        followup=[28.0, 28.0, 28.0, 20.0, 9.0, 3.0], window=28.0, model="empiric", prior_var=1.34, intercept=3.0)),
    "dosecourse.escalation.tite_crm.TITECRM": lambda: (esc.TITECRM, dict(
        skeleton=[0.05, 0.12, 0.25], target=0.25, cohort_size=3, n_cohorts=4, start_dose=1, model="empiric",
        prior_var=1.34, intercept=3.0, no_skip=True, accrual_per_month=3.0, dlt_window_months=1.0,
        accrual="poisson", tite=True)),
    "dosecourse.escalation.tite_boin.TITEBOIN": lambda: (esc.TITEBOIN, dict(
        target=0.25, n_doses=3, cohort_size=3, n_cohorts=4, start_dose=1, max_pending=0.5, phi1=0.15, phi2=0.35,
        cutoff_eli=0.95, extrasafe=False, offset=0.05, n_earlystop=100, accrual_per_month=3.0,
        dlt_window_months=1.0, accrual="poisson", tite=True)),
    "dosecourse.escalation.data.Cohort": lambda: (esc.Cohort, dict(dose=1, outcomes="NNT")),
    "dosecourse.escalation.data.parse_outcomes": lambda: (esc.parse_outcomes,
                                                          dict(text="1NNT 2NNN", letters="TNEB")),
    "dosecourse.escalation.data.TrialData": lambda: (esc.TrialData, dict(
        n=[3, 3, 0], y=[0, 1, 0], current=2, last_cohort=(2, 1), outcomes=None, responses=[1, 1, 0],
        eliminated=0)),
    "dosecourse.escalation.data.TrialData.empty": lambda: (esc.TrialData.empty, dict(n_doses=3)),
    "dosecourse.escalation.data.TrialData.from_outcomes":
        lambda: (esc.TrialData.from_outcomes, dict(text="1NNN 2NTN", n_doses=4)),
    "dosecourse.escalation.data.TrialData.add":
        lambda: (esc.TrialData.empty(3).add, dict(dose=1, dlts=1, size=3, eliminated=None)),
    "dosecourse.escalation.data.TrialData.with_eliminated":
        lambda: (esc.TrialData.from_outcomes("1NNN 2TTT", 3).with_eliminated, dict(eliminated=2)),
    "dosecourse.escalation.decision.Decision":
        lambda: (esc.Decision, fields_of(esc.BOIN(0.3, 3).next_dose("1NNN"))),
    "dosecourse.escalation.decision.Decision.reason":
        lambda: (esc.BOIN(0.3, 3).next_dose("1NNN").reason, dict(lang="en")),
    "dosecourse.escalation.factory.design_label": lambda: (esc.design_label, dict(key="ATD", lang="en")),
    "dosecourse.escalation.factory.make_design": lambda: (esc.make_design, dict(
        key="BOIN", n_doses=3, target=0.3, cohort_size=3, n_cohorts=4, start_dose=1, crm_halfwidth=0.05,
        crm_prior_mtd=2)),
    "dosecourse.escalation.interval.Boundaries":
        lambda: (interval.Boundaries, fields_of(esc.BOIN(0.3, 3).boundaries(6))),
    "dosecourse.escalation.interval.equal_width_edges":
        lambda: (interval.equal_width_edges, dict(lower=0.25, upper=0.35)),
    "dosecourse.escalation.interval.equivalence_interval":
        lambda: (interval.equivalence_interval, dict(target=0.3, epsilon1=0.05, epsilon2=0.05)),
    "dosecourse.escalation.interval.interval_probabilities":
        lambda: (interval.interval_probabilities, dict(edges=np.array([0.0, 0.5, 1.0]), n=3, y=1)),
    "dosecourse.escalation.interval.IntervalDesign.boundaries":
        lambda: (esc.BOIN(0.3, 3).boundaries, dict(max_n=6)),
    "dosecourse.escalation.keyboard.Keyboard.key_probabilities":
        lambda: (esc.Keyboard(0.3, 3).key_probabilities, dict(n=3, y=1)),
    "dosecourse.escalation.move_probabilities.three_plus_three_escalation":
        lambda: (esc.three_plus_three_escalation, dict(p=[0.1, 0.3])),
    "dosecourse.escalation.move_probabilities.MoveProbabilities":
        lambda: (esc.MoveProbabilities, fields_of(esc.boin_move_probabilities([0.2, 0.3], 3))),
    "dosecourse.escalation.move_probabilities.boin_move_probabilities": lambda: (
        esc.boin_move_probabilities, dict(p=[0.2, 0.3], n=3, target=0.3, phi1=0.18, phi2=0.42)),
    "dosecourse.escalation.mtd_selection.overdose_probability":
        lambda: (esc.overdose_probability, dict(target=0.3, n=[3, 6], y=[1, 3])),
    "dosecourse.escalation.mtd_selection.select_mtd": lambda: (esc.select_mtd, dict(
        target=0.3, n=[3, 3, 15, 9, 0], y=[0, 0, 4, 4, 0], cutoff_eli=0.95, extrasafe=False, offset=0.05,
        pseudo_count=0.05)),
    "dosecourse.escalation.mtd_selection.select_mtd_many": lambda: (esc.select_mtd_many, dict(
        target=0.3, n=[[3, 3, 15, 9, 0], [3, 0, 0, 0, 0]], y=[[0, 0, 4, 4, 0], [3, 0, 0, 0, 0]], cutoff_eli=0.95,
        extrasafe=False, offset=0.05, pseudo_count=0.05)),
    "dosecourse.escalation.mtpi.UPMDesign.unit_probability_mass":
        lambda: (esc.MTPI(0.3, 3).unit_probability_mass, dict(n=3, y=0)),
    "dosecourse.escalation.keyboard.Keyboard":
        lambda: (esc.Keyboard, dict(target=0.3, n_doses=3, n_cohorts=4, epsilon1=0.05, epsilon2=0.05,
                                    cutoff_eli=0.95, extrasafe=False, offset=0.05, n_earlystop=100)),
    "dosecourse.escalation.mtpi.MTPI":
        lambda: (esc.MTPI, dict(target=0.3, n_doses=3, n_cohorts=4, epsilon1=0.05, epsilon2=0.05)),
    "dosecourse.escalation.mtpi2.MTPI2":
        lambda: (esc.MTPI2, dict(target=0.3, n_doses=3, n_cohorts=4, epsilon1=0.05, epsilon2=0.05)),
    "dosecourse.escalation.results.Trials": lambda: (esc.Trials, fields_of(_trials())),
    "dosecourse.escalation.results.Trials.summary": lambda: (_trials().summary, {}),
    "dosecourse.escalation.results.OperatingCharacteristics":
        lambda: (esc.OperatingCharacteristics, {**fields_of(_oc()), "trials": None}),
    "dosecourse.escalation.results.OperatingCharacteristics.summary":
        lambda: (_oc().summary, dict(target=0.3, correct=None, band=0.05, margin=0.1)),
    "dosecourse.escalation.results.OperatingCharacteristics.to_frame": lambda: (_oc().to_frame, dict(lang="en")),
    "dosecourse.escalation.results.Summary": lambda: (esc.Summary, fields_of(_oc().summary(0.3))),
    "dosecourse.escalation.results.Summary.as_dict": lambda: (_oc().summary(0.3).as_dict, {}),
    "dosecourse.escalation.scenarios.check_scenario":
        lambda: (esc.check_scenario, dict(true_tox=[0.1, 0.3, 0.2], require_monotone=False)),
    "dosecourse.escalation.scenarios.monotonicity_violations":
        lambda: (esc.monotonicity_violations, dict(true_tox=[0.05, 0.2, 0.15])),
    "dosecourse.escalation.scenarios.correct_doses":
        lambda: (esc.correct_doses, dict(true_tox=[0.05, 0.3, 0.5], target=0.3)),
    "dosecourse.escalation.scenarios.acceptable_doses":
        lambda: (esc.acceptable_doses, dict(true_tox=[0.05, 0.28, 0.5], target=0.3, band=0.05)),
    "dosecourse.escalation.scenarios.overdose_doses":
        lambda: (esc.overdose_doses, dict(true_tox=[0.05, 0.3, 0.5], target=0.3, margin=0.1)),
    "dosecourse.escalation.three_plus_three.ThreePlusThree":
        lambda: (esc.ThreePlusThree, dict(n_doses=4, start_dose=1, variant="escalation-only")),
    # ---- fih
    "dosecourse.fih.Species": lambda: (fih.Species, fields_of(fih.SPECIES["rat"])),
    "dosecourse.fih.species_key":
        lambda: (fih.species_key, dict(name="Guinea_Pig", allowed=("rat", "guinea pig"), argument="species")),
    "dosecourse.fih.species_label": lambda: (fih.species_label, dict(species="rat", lang="en")),
    "dosecourse.fih.km_factor": lambda: (fih.km_factor, dict(species="rat")),
    "dosecourse.fih.human_equivalent_dose":
        lambda: (fih.human_equivalent_dose, dict(dose_mg_per_kg=50.0, species="rat")),
    "dosecourse.fih.hed_by_body_weight": lambda: (fih.hed_by_body_weight, dict(
        dose_mg_per_kg=50.0, animal_weight_kg=0.15, human_weight_kg=60.0, exponent=0.33)),
    "dosecourse.fih.mg_per_kg_to_mg_per_m2":
        lambda: (fih.mg_per_kg_to_mg_per_m2, dict(dose_mg_per_kg=10.0, species="dog")),
    "dosecourse.fih.mg_per_m2_to_mg_per_kg":
        lambda: (fih.mg_per_m2_to_mg_per_kg, dict(dose_mg_per_m2=370.0, species="human")),
    "dosecourse.fih.flat_dose_mg":
        lambda: (fih.flat_dose_mg, dict(dose=0.5, unit="mg/kg", weight_kg=60.0, bsa_m2=1.62)),
    "dosecourse.fih.MRSDResult": lambda: (fih.MRSDResult, fields_of(fih.mrsd({"rat": 50.0, "dog": 10.0}))),
    "dosecourse.fih.MRSDResult.mrsd_mg": lambda: (fih.mrsd({"rat": 50.0}).mrsd_mg, dict(weight_kg=60.0)),
    "dosecourse.fih.MRSDResult.species_reason":
        lambda: (fih.mrsd({"rat": 50.0}).species_reason, dict(lang="en")),
    "dosecourse.fih.MRSDResult.explain": lambda: (fih.mrsd({"rat": 50.0}).explain, dict(lang="en")),
    "dosecourse.fih.MRSDResult.to_frame": lambda: (fih.mrsd({"rat": 50.0}).to_frame, dict(lang="en")),
    "dosecourse.fih.mrsd": lambda: (fih.mrsd, dict(
        noael_mg_per_kg_by_species={"rat": 50.0, "dog": 10.0}, safety_factor=10.0, species="dog",
        reason="most relevant", scaling="bsa", scaling_reason=None, pad_mg_per_kg=0.5)),
    "dosecourse.fih.S9StartingDose": lambda: (fih.S9StartingDose, fields_of(
        fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0, hnstd_nonrodent_mg_per_kg=10.0))),
    "dosecourse.fih.S9StartingDose.flat_dose_mg": lambda: (
        fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0).flat_dose_mg, dict(bsa_m2=1.62)),
    "dosecourse.fih.S9StartingDose.explain":
        lambda: (fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0).explain, dict(lang="en")),
    "dosecourse.fih.S9StartingDose.to_frame":
        lambda: (fih.s9_starting_dose(std10_rodent_mg_per_kg=60.0).to_frame, dict(lang="en")),
    "dosecourse.fih.s9_starting_dose": lambda: (fih.s9_starting_dose, dict(
        std10_rodent_mg_per_kg=60.0, hnstd_nonrodent_mg_per_kg=10.0, rodent="rat", nonrodent="dog")),
    "dosecourse.fih.StartingDoseComparison": lambda: (fih.StartingDoseComparison, fields_of(
        fih.compare_starting_doses({"noael_mrsd": 1.6, "mabel": 0.0013}, molecule="anti-CD28"))),
    "dosecourse.fih.StartingDoseComparison.to_frame": lambda: (
        fih.compare_starting_doses({"noael_mrsd": 1.6, "mabel": 0.0013}).to_frame, dict(lang="en")),
    "dosecourse.fih.StartingDoseComparison.explain": lambda: (
        fih.compare_starting_doses({"noael_mrsd": 1.6, "mabel": 0.0013}).explain, dict(lang="en")),
    "dosecourse.fih.compare_starting_doses": lambda: (fih.compare_starting_doses, dict(
        estimates={"noael_mrsd": 1.6, "mabel": 0.0013}, molecule="anti-CD28", weight_kg=60.0)),
    # ---- i18n, landscape
    "dosecourse.i18n.check_lang": lambda: (i18n.check_lang, dict(lang="en")),
    "dosecourse.i18n.t": lambda: (i18n.t, dict(key="dose", lang="en")),
    "dosecourse.landscape.ModificationRates":
        lambda: (landscape.ModificationRates, fields_of(landscape.HARVEY_2023)),
    "dosecourse.landscape.LabelDoseVsMTD": lambda: (landscape.LabelDoseVsMTD, fields_of(landscape.COLLINS_2025)),
    # ---- mabel
    "dosecourse.mabel.mabel_concentration":
        lambda: (mabel.mabel_concentration, dict(kd=0.41, occupancy=0.1, target_total=0.65)),
    "dosecourse.mabel.dose_from_concentration": lambda: (mabel.dose_from_concentration, dict(
        concentration_nm=10.0, molecular_weight_g_per_mol=150000.0, volume_l_per_kg=0.04)),
    "dosecourse.mabel.concentration_from_dose": lambda: (mabel.concentration_from_dose, dict(
        dose_mg_per_kg=[0.1, 1.0], molecular_weight_g_per_mol=150000.0, volume_l_per_kg=0.04)),
    "dosecourse.mabel.occupancy_from_dose": lambda: (mabel.occupancy_from_dose, dict(
        dose_mg_per_kg=0.1, kd_nm=2.0, target_total_nm=10.0, molecular_weight_g_per_mol=150000.0,
        volume_l_per_kg=0.04)),
    "dosecourse.mabel.mabel_dose": lambda: (mabel.mabel_dose, dict(
        kd_nm=1.8, occupancy=0.1, target_total_nm=1.0, molecular_weight_g_per_mol=150000.0, volume_l_per_kg=0.04)),
    "dosecourse.mabel.implied_kd": lambda: (mabel.implied_kd, dict(
        dose_mg_per_kg=0.1, occupancy_fraction=0.9, molecular_weight_g_per_mol=150000.0, volume_l_per_kg=0.04)),
    # ---- mtd_paradigm
    "dosecourse.mtd_paradigm.efficacy":
        lambda: (mtd_paradigm.efficacy, dict(dose=[10.0, 20.0], ed50=10.0, hill=2.0, emax=0.6)),
    "dosecourse.mtd_paradigm.dlt_probability":
        lambda: (mtd_paradigm.dlt_probability, dict(dose=120.0, td50=120.0, tox_slope=3.0)),
    "dosecourse.mtd_paradigm.mtd": lambda: (mtd_paradigm.mtd, dict(td50=120.0, tox_slope=3.0, target=0.25)),
    "dosecourse.mtd_paradigm.efficacious_dose":
        lambda: (mtd_paradigm.efficacious_dose, dict(ed50=10.0, hill=1.5, fraction=0.9)),
    "dosecourse.mtd_paradigm.ParadigmComparison":
        lambda: (mtd_paradigm.ParadigmComparison, fields_of(mtd_paradigm.compare())),
    "dosecourse.mtd_paradigm.ParadigmComparison.table": lambda: (mtd_paradigm.compare().table, dict(lang="en")),
    "dosecourse.mtd_paradigm.ParadigmComparison.summary":
        lambda: (mtd_paradigm.compare().summary, dict(lang="en")),
    "dosecourse.mtd_paradigm.compare": lambda: (mtd_paradigm.compare, dict(target=0.25, ed50=10.0)),
    # ---- pd
    "dosecourse.pd.emax_model": lambda: (pdm.emax_model, dict(conc=2.0, emax=100.0, ec50=2.0, e0=1.0)),
    "dosecourse.pd.sigmoid_emax":
        lambda: (pdm.sigmoid_emax, dict(conc=[1.0, 2.0, 4.0], emax=1.0, ec50=2.0, hill=2.0, e0=0.0)),
    "dosecourse.pd.concentration_for_effect":
        lambda: (pdm.concentration_for_effect, dict(fraction_of_emax=0.2, ec50=8.0, hill=1.0)),
    "dosecourse.pd.free_drug_concentration":
        lambda: (pdm.free_drug_concentration, dict(drug_total=10.0, target_total=10.0, kd=1.0)),
    "dosecourse.pd.occupancy": lambda: (pdm.occupancy, dict(conc=9.0, kd=1.0, target_total=5.0)),
    "dosecourse.pd.concentration_for_occupancy":
        lambda: (pdm.concentration_for_occupancy, dict(occupancy=0.2, kd=1.0, target_total=0.5)),
    "dosecourse.pd.mg_to_nmol": lambda: (pdm.mg_to_nmol, dict(dose_mg=150.0, molecular_weight_g_per_mol=150000.0)),
    "dosecourse.pd.TMDDParameters": lambda: (pdm.TMDDParameters, fields_of(pdm.TMDDParameters(
        cl=0.2, v1=3.0, q=0.5, v2=2.0, kint=0.17, kdeg=17.3, kon=30.2, koff=169.0, r0=0.00657))),
    "dosecourse.pd.TMDDProfile":
        lambda: (pdm.TMDDProfile, fields_of(pdm.simulate_tmdd([0.0, 7.0], dose_nmol=466.7))),
    "dosecourse.pd.TMDDProfile.to_frame":
        lambda: (pdm.simulate_tmdd([0.0, 7.0], dose_nmol=466.7).to_frame, dict(lang="en")),
    "dosecourse.pd.simulate_tmdd": lambda: (pdm.simulate_tmdd, dict(
        time_days=[0.0, 7.0, 14.0], dose_nmol=466.7, approximation="qss", tau_days=7.0, n_doses=2, rtol=1e-8,
        atol=1e-12)),
    # ---- pk
    "dosecourse.pk.elimination_rate_constant": lambda: (pk.elimination_rate_constant, dict(cl=2.0, v=20.0)),
    "dosecourse.pk.half_life": lambda: (pk.half_life, dict(cl=0.2, v=3.0)),
    "dosecourse.pk.auc_inf": lambda: (pk.auc_inf, dict(dose=100.0, cl=5.0, f=0.5)),
    "dosecourse.pk.dose_for_auc": lambda: (pk.dose_for_auc, dict(auc=10.0, cl=5.0, f=0.5)),
    "dosecourse.pk.accumulation_ratio": lambda: (pk.accumulation_ratio, dict(cl=1.0, v=10.0, tau=7.0)),
    "dosecourse.pk.cavg_ss": lambda: (pk.cavg_ss, dict(dose=200.0, cl=0.2, tau=21.0, f=1.0)),
    "dosecourse.pk.conc_iv_bolus": lambda: (pk.conc_iv_bolus, dict(
        t=[0.0, 10.0], dose=100.0, cl=1.0, v=10.0, tau=12.0, n_doses=2, steady_state=False)),
    "dosecourse.pk.conc_iv_infusion": lambda: (pk.conc_iv_infusion, dict(
        t=[1.0, 2.0], dose=100.0, cl=1.0, v=10.0, duration=1.0, tau=12.0, n_doses=2, steady_state=False)),
    "dosecourse.pk.conc_oral": lambda: (pk.conc_oral, dict(
        t=[2.0], dose=100.0, cl=1.0, v=10.0, ka=1.0, f=1.0, tau=12.0, n_doses=2, steady_state=False)),
    "dosecourse.pk.scale_clearance": lambda: (pk.scale_clearance, dict(
        cl_animal=0.02, animal_weight_kg=3.0, human_weight_kg=70.0, exponent=0.75)),
    "dosecourse.pk.scale_volume": lambda: (pk.scale_volume, dict(
        v_animal=0.15, animal_weight_kg=3.0, human_weight_kg=70.0, exponent=1.0)),
    "dosecourse.pk.allometric_fold_uncertainty": lambda: (pk.allometric_fold_uncertainty, dict(
        animal_weight_kg=0.25, human_weight_kg=60.0, exponent_sd=0.16)),
    # ---- sentinel, stats
    "dosecourse.sentinel.expected_reactions":
        lambda: (sentinel.expected_reactions, dict(q=[0.05, 0.5], cohort_size=3, sentinels=1)),
    "dosecourse.sentinel.reactions_prevented":
        lambda: (sentinel.reactions_prevented, dict(q=0.05, cohort_size=3, sentinels=1)),
    "dosecourse.stats.clopper_pearson":
        lambda: (stats.clopper_pearson, dict(x=[0, 2, 0], n=[3, 10, 0], level=0.9)),
    "dosecourse.stats.IntervalSummary": lambda: (stats.IntervalSummary, fields_of(
        stats.interval_summary([[1, 0], [3, 0]], [[3, 0], [6, 0]], true_rate=[0.4, 0.2]))),
    "dosecourse.stats.interval_summary": lambda: (stats.interval_summary, dict(
        x=[[1, 0], [3, 0]], n=[[3, 0], [6, 0]], true_rate=[0.4, 0.2], level=0.9)),
    "dosecourse.stats.expected_counts":
        lambda: (stats.expected_counts, dict(p=[0.16, 0.44, 0.58], n_per_dose=10)),
    # ---- utility
    "dosecourse.utility.Desirability":
        lambda: (utility.Desirability, fields_of(utility.derringer_desirability(0.0, 0.6, 2.0))),
    "dosecourse.utility.linear_desirability": lambda: (utility.linear_desirability, dict(worst=0.4, best=0.1)),
    "dosecourse.utility.derringer_desirability":
        lambda: (utility.derringer_desirability, dict(worst=0.0, best=0.6, exponent=2.0)),
    "dosecourse.utility.step_desirability":
        lambda: (utility.step_desirability, dict(threshold=0.33, higher_is_better=False)),
    "dosecourse.utility.BestDose":
        lambda: (utility.BestDose, fields_of(utility.best_dose([0.5, 0.8, 0.8, 0.6], doses=[10, 20, 40, 80]))),
    "dosecourse.utility.best_dose": lambda: (utility.best_dose, dict(
        values=[0.5, 0.8, 0.8, 0.6], doses=[10, 20, 40, 80], tol=1e-9)),
    "dosecourse.utility.CUIResult": lambda: (utility.CUIResult, fields_of(_cui())),
    "dosecourse.utility.CUIResult.to_frame": lambda: (_cui().to_frame, dict(lang="en")),
    "dosecourse.utility.cui": lambda: (utility.cui, dict(
        attributes=_attrs(), weights={"efficacy": 0.6, "toxicity": 0.4}, desirabilities=_desir(),
        doses=[10, 20, 40], normalize=False)),
    "dosecourse.utility.logistic_toxicity":
        lambda: (utility.logistic_toxicity, dict(dose=[50.0, 100.0, 200.0], td50=100.0, slope=2.0)),
    "dosecourse.utility.efficacy_toxicity_cui": lambda: (utility.efficacy_toxicity_cui, dict(
        p_efficacy=[0.2, 0.5], p_toxicity=[0.1, 0.4], w_efficacy=0.5,
        desirability_efficacy=utility.linear_desirability(0.0, 0.6),
        desirability_toxicity=utility.linear_desirability(0.5, 0.0), doses=[10, 20])),
    "dosecourse.utility.ProbabilityBest": lambda: (utility.ProbabilityBest, fields_of(_pb())),
    "dosecourse.utility.probability_best": lambda: (utility.probability_best, dict(
        n=[12, 12, 12], responses=[3, 6, 7], dlts=[1, 2, 5], weights={"efficacy": 0.6, "toxicity": 0.4},
        desirabilities=_desir(), prior=(1.0, 1.0), n_draws=200, seed=1, ties="split", doses=[10, 20, 40])),
    "dosecourse.utility.WeightBreakpoints": lambda: (utility.WeightBreakpoints, fields_of(
        utility.weight_breakpoints(_attrs(), _desir()))),
    "dosecourse.utility.WeightBreakpoints.to_frame":
        lambda: (utility.weight_breakpoints(_attrs(), _desir()).to_frame, dict(lang="en")),
    "dosecourse.utility.weight_breakpoints": lambda: (utility.weight_breakpoints, dict(
        attributes=_attrs(), desirabilities=_desir(), doses=[10, 20, 40])),
    "dosecourse.utility.WeightGrid":
        lambda: (utility.WeightGrid, fields_of(utility.weight_grid(_attrs(), _desir(), step=0.25))),
    "dosecourse.utility.WeightGrid.to_frame":
        lambda: (utility.weight_grid(_attrs(), _desir(), step=0.25).to_frame, dict(lang="en")),
    "dosecourse.utility.weight_grid": lambda: (utility.weight_grid, dict(
        attributes=_attrs(), desirabilities=_desir(), step=0.25, reference={"efficacy": 0.6, "toxicity": 0.4},
        doses=[10, 20, 40])),
    "dosecourse.utility.expected_utility": lambda: (utility.expected_utility, dict(
        p_efficacy=0.25, p_toxicity=0.35, utilities=(100.0, 40.0, 60.0, 0.0))),
    "dosecourse.utility.UtilityAsCUI":
        lambda: (utility.UtilityAsCUI, fields_of(utility.boin12_utility_as_cui())),
    "dosecourse.utility.UtilityAsCUI.rescaled_utility":
        lambda: (utility.boin12_utility_as_cui().rescaled_utility, dict(p_efficacy=0.25, p_toxicity=0.35)),
    "dosecourse.utility.UtilityAsCUI.cui":
        lambda: (utility.boin12_utility_as_cui().cui, dict(p_efficacy=0.25, p_toxicity=0.35)),
    "dosecourse.utility.boin12_utility_as_cui":
        lambda: (utility.boin12_utility_as_cui, dict(utilities=(100.0, 40.0, 60.0, 0.0))),
    "dosecourse.utility.attribute_label": lambda: (utility.attribute_label, dict(key="toxicity", lang="en")),
    "dosecourse.utility.check_pair": lambda: (utility.check_pair, dict(result=_cui(), prob_best=_pb())),
    "dosecourse.utility.cui_table": lambda: (utility.cui_table, dict(result=_cui(), prob_best=_pb(), lang="en")),
    # ---- biomarkers
    "dosecourse.biomarkers.BiomarkerModel":
        lambda: (biomarkers.BiomarkerModel, dict(e0=1.0, emax=100.0, ed50=20.0, hill=1.0)),
    "dosecourse.biomarkers.BiomarkerModel.response": lambda: (_m().response, dict(dose=[20.0, 180.0])),
    "dosecourse.biomarkers.BiomarkerModel.optimal_dose": lambda: (_m().optimal_dose, dict(fraction=0.9)),
    "dosecourse.biomarkers.optimal_biological_dose":
        lambda: (biomarkers.optimal_biological_dose, dict(fraction=0.9, ed50=10.0, hill=1.0)),
    "dosecourse.biomarkers.OBDSimulation": lambda: (biomarkers.OBDSimulation, fields_of(_obd())),
    "dosecourse.biomarkers.OBDSimulation.regions": lambda: (_obd().regions, {}),
    "dosecourse.biomarkers.OBDSimulation.summary": lambda: (_obd().summary, dict(lang="en")),
    "dosecourse.biomarkers.simulate_obd_estimation": lambda: (biomarkers.simulate_obd_estimation, dict(
        model=_m(), doses=[10.0, 30.0, 100.0, 300.0], n_per_dose=3, noise_sd=10.0, noise="normal", fraction=0.9,
        n_trials=20, seed=1, hill_grid=[0.5, 1.0, 2.0], grid_size=50, candidates=[10.0, 30.0, 100.0, 300.0])),
    "dosecourse.biomarkers.obd_tradeoff_table": lambda: (biomarkers.obd_tradeoff_table, dict(
        model=_m(), doses=[10.0, 30.0, 100.0, 300.0], n_per_dose=[3, 6], noise_sd=[10.0], lang="en", noise="normal",
        fraction=0.9, n_trials=20, seed=1, hill_grid=None, grid_size=50, candidates=None)),
    "dosecourse.biomarkers.biomarker_roles_table": lambda: (biomarkers.biomarker_roles_table, dict(lang="en")),
    # ---- dose_grid
    "dosecourse.dose_grid.scheme_label": lambda: (dose_grid.scheme_label, dict(scheme="doubling", lang="en")),
    "dosecourse.dose_grid.step_ratios":
        lambda: (dose_grid.step_ratios, dict(scheme="modified_fibonacci", n_steps=6)),
    "dosecourse.dose_grid.dose_levels":
        lambda: (dose_grid.dose_levels, dict(start=10.0, scheme="doubling", n_levels=4)),
    "dosecourse.dose_grid.steps_to_reach": lambda: (dose_grid.steps_to_reach, dict(fold=10.0, scheme="doubling")),
    "dosecourse.dose_grid.levels_to_reach":
        lambda: (dose_grid.levels_to_reach, dict(fold=[2.0, 10.0], scheme="doubling")),
    "dosecourse.dose_grid.crossing_step_ratio":
        lambda: (dose_grid.crossing_step_ratio, dict(fold=3.0, scheme="modified_fibonacci")),
    "dosecourse.dose_grid.overshoot": lambda: (dose_grid.overshoot, dict(fold=9.0, scheme="doubling")),
    "dosecourse.dose_grid.probability_after_step":
        lambda: (dose_grid.probability_after_step, dict(p=0.1, ratio=2.0, hill=4.0)),
    "dosecourse.dose_grid.max_step_ratio":
        lambda: (dose_grid.max_step_ratio, dict(p_current=0.1, p_limit=0.25, hill=4.0)),
    "dosecourse.dose_grid.crossing_step_risk": lambda: (dose_grid.crossing_step_risk, dict(
        fold=9.4, scheme="doubling", hill=4.0, p_current=0.1)),
    "dosecourse.dose_grid.ExposureLadder": lambda: (dose_grid.ExposureLadder, fields_of(
        dose_grid.exposure_ladder(10.0, "doubling", cl=2.0, auc_target=30.0, f=0.5))),
    "dosecourse.dose_grid.exposure_ladder": lambda: (dose_grid.exposure_ladder, dict(
        start=10.0, scheme="doubling", cl=2.0, auc_target=30.0, f=0.5, extra_levels=1)),
    "dosecourse.dose_grid.expansion_probability":
        lambda: (dose_grid.expansion_probability, dict(dlt_rate=0.1, cohort_size=3)),
    "dosecourse.dose_grid.expected_levels_below_active": lambda: (dose_grid.expected_levels_below_active, dict(
        fold_median=10.0, scheme="doubling", gsd=2.0)),
    "dosecourse.dose_grid.expected_patients_below_active": lambda: (
        dose_grid.expected_patients_below_active,
        dict(fold_median=10.0, scheme="doubling", gsd=2.0, cohort_size=3, dlt_rate_below=0.2)),
    "dosecourse.dose_grid.BelowActiveSimulation": lambda: (dose_grid.BelowActiveSimulation, fields_of(_below())),
    "dosecourse.dose_grid.BelowActiveSimulation.quantile": lambda: (_below().quantile, dict(q=0.5)),
    "dosecourse.dose_grid.BelowActiveSimulation.prob_at_least": lambda: (_below().prob_at_least,
                                                                         dict(patients=3)),
    "dosecourse.dose_grid.BelowActiveSimulation.summary": lambda: (_below().summary, dict(lang="en")),
    "dosecourse.dose_grid.simulate_patients_below_active": lambda: (
        dose_grid.simulate_patients_below_active, dict(fold_median=10.0, scheme="doubling", gsd=2.0, cohort_size=3,
                                                      dlt_rate_below=0.1, n_trials=20, seed=1)),
    "dosecourse.dose_grid.compare_schemes": lambda: (dose_grid.compare_schemes, dict(
        fold=10.0, hill=1.0, p_current=0.1, gsd=1.5, cohort_size=3, dlt_rate_below=0.1, n_trials=20, seed=1,
        lang="en")),
    # ---- expansion
    "dosecourse.expansion.TargetNotReached":
        lambda: (expansion.TargetNotReached, dict(message="not reached", best_n=10, best_pcs=0.5)),
    "dosecourse.expansion.select_dose": lambda: (expansion.select_dose, dict(
        responses=[6, 9], n_per_arm=20, margin=0.1, toxicities=[1, 2], tox_margin=0.1)),
    "dosecourse.expansion.selection_probabilities": lambda: (expansion.selection_probabilities, dict(
        p=[0.25, 0.35, 0.4], n_per_arm=10, margin=0.05, p_tox=[0.1, 0.1, 0.2], tox_margin=0.1)),
    "dosecourse.expansion.selection_curve": lambda: (expansion.selection_curve, dict(
        p=[0.35, 0.5], n_grid=[9, 10], margin=0.1, allocation=[1, 1], p_tox=[0.1, 0.2], tox_margin=0.1)),
    "dosecourse.expansion.SimulatedSelection": lambda: (expansion.SimulatedSelection, fields_of(
        expansion.simulate_selection([0.25, 0.35], 10, 0.05, n_trials=200, seed=1))),
    "dosecourse.expansion.simulate_selection": lambda: (expansion.simulate_selection, dict(
        p=[0.25, 0.35], n_per_arm=10, margin=0.05, n_trials=200, seed=1, p_tox=[0.1, 0.2], tox_margin=0.1)),
    "dosecourse.expansion.correct_dose":
        lambda: (expansion.correct_dose, dict(p=[0.3, 0.38, 0.4], margin=0.1, correct="lowest_within_margin")),
    "dosecourse.expansion.probability_correct_selection": lambda: (expansion.probability_correct_selection, dict(
        p=[0.3, 0.5], n_per_arm=10, margin=0.1, correct="lowest_within_margin", p_tox=[0.1, 0.2],
        tox_margin=0.1)),
    "dosecourse.expansion.SelectionSampleSize": lambda: (expansion.SelectionSampleSize, fields_of(
        expansion.sample_size_for_selection([0.3, 0.5], 0.1, 0.8, n_max=60))),
    "dosecourse.expansion.sample_size_for_selection": lambda: (expansion.sample_size_for_selection, dict(
        p=[0.3, 0.5], margin=0.1, target_pcs=0.8, correct="lowest_within_margin", n_max=60, allocation=[1, 1],
        sustained=True, p_tox=None, tox_margin=None)),
    "dosecourse.expansion.describe_rule":
        lambda: (expansion.describe_rule, dict(margin=0.1, tox_margin=0.1, lang="en")),
    "dosecourse.expansion.selection_table": lambda: (expansion.selection_table, dict(
        p=[0.3, 0.5], n_grid=[10, 20], margin=0.1, lang="en", allocation=[1, 1], correct="lowest_within_margin",
        p_tox=None, tox_margin=None)),
    # ---- expansion_cases
    "dosecourse.expansion_cases.Arm":
        lambda: (expansion_cases.Arm, fields_of(expansion_cases.case("lenvatinib").arms[0])),
    "dosecourse.expansion_cases.PublishedCase":
        lambda: (expansion_cases.PublishedCase, fields_of(expansion_cases.case("lenvatinib"))),
    "dosecourse.expansion_cases.PublishedCase.endpoint":
        lambda: (expansion_cases.case("lenvatinib").endpoint, dict(lang="en")),
    "dosecourse.expansion_cases.PublishedCase.safety_endpoint":
        lambda: (expansion_cases.case("lenvatinib").safety_endpoint, dict(lang="en")),
    "dosecourse.expansion_cases.PublishedCase.outcome":
        lambda: (expansion_cases.case("lenvatinib").outcome, dict(lang="en")),
    "dosecourse.expansion_cases.SingleDoseApproval":
        lambda: (expansion_cases.SingleDoseApproval, fields_of(expansion_cases.SOTORASIB)),
    "dosecourse.expansion_cases.case": lambda: (expansion_cases.case, dict(key="lenvatinib")),
    "dosecourse.expansion_cases.cases_table":
        lambda: (expansion_cases.cases_table, dict(lang="en", keys=["lenvatinib"])),
    "dosecourse.expansion_cases.selection_by_n": lambda: (expansion_cases.selection_by_n, dict(
        key="lenvatinib", n_grid=[10, 20], margin=0.1, lang="en", tox_margin=None, allocation=None,
        correct="lowest_within_margin")),
    "dosecourse.expansion_cases.selection_curve": lambda: (expansion_cases.selection_curve, dict(
        key="sonidegib", n_grid=[10], margin=0.1, tox_margin=None, allocation=None)),
    "dosecourse.expansion_cases.pcs_as_run": lambda: (expansion_cases.pcs_as_run, dict(
        key="lenvatinib", margin=0.1, tox_margin=None, correct="lowest_within_margin")),
    "dosecourse.expansion_cases.n_per_arm_needed": lambda: (expansion_cases.n_per_arm_needed, dict(
        key="lenvatinib", margin=0.1, target_pcs=0.8, n_max=60, tox_margin=None, correct="lowest_within_margin")),
}
"""One valid call per public callable: ``qualified name -> (lambda: (callable, keyword arguments))``."""


# ---------------------------------------------------------------------------------------------- Parts III-IV
def _sched():
    return cytokine.step_up_schedule([4.2, 21.0, 105.0], 3, 7, 1)


def _cyto():
    return cytokine.simulate(_sched(), t_end=14.0, dt=0.25)


def _cm():
    return dr.candidate_models({"linear": None, "emax": 0.2}, [0, 0.5, 1])


def _mct_data():
    return [0, 0, 0.5, 0.5, 1, 1], [0.1, -0.2, 0.9, 0.7, 1.2, 1.0]


def _oc_dr():
    return dr.optimal_contrasts(_cm())


def _fit():
    return dr.fit_model([0, 0, 1, 1, 2, 2], [0.1, -0.1, 0.9, 1.1, 2.1, 1.9], "linear")


def _gfit():
    est = dr.logit_estimates([0, 1, 2], [10, 20, 25], [40, 40, 40])
    return dr.fit_model(est.doses, est.estimates, "linear", cov=est.cov)


def _mcpmod_data():
    dose = np.repeat([0, 0.5, 1], 10)
    return dose, 0.8 * dose + np.tile(np.linspace(-0.5, 0.5, 10), 3)


def _mcpmod():
    dose, y = _mcpmod_data()
    return dr.mcpmod(dose, y, _cm(), delta=0.4)


def _boot():
    return dr.bootstrap_mcpmod(_mcpmod(), n_trials=20, seed=1)


def _cm_power():
    return dr.candidate_models({"linear": None}, [0, 1], max_effect=0.5)


def _sim_mcpmod():
    cm = dr.candidate_models({"linear": None, "emax": 0.5}, [0, 1, 2, 4], max_effect=0.4)
    return dr.simulate_mcpmod(cm, cm.mean()[:, 1], n=40, sigma=1.0, delta=0.2, n_trials=20, seed=1)


def _seam():
    return seamless.SeamlessDesign(2, 0.5, 100)


def _dtrial():
    return dossier.simulate_trial(n_per_arm=20, seed=1)


def _dsummary():
    return dossier.arm_summaries(_dtrial())


def _dweights():
    return {"response": 0.6, "adverse_event": 0.4}


def _ddesir():
    return {"response": utility.linear_desirability(0.0, 0.6), "adverse_event": utility.linear_desirability(0.5, 0.0)}


def _pembro():
    return poppk.published_model("pembrolizumab_ahamadi2017")


def _pkp():
    return poppk.PKParameters(cl=2.0, v1=20.0)


def _reg():
    return poppk.Regimen((0.0,), (100.0,), interval=24.0)


def _ertrial():
    return er.simulate_trials(er.ERScenario(n_patients=60), seed=7)


def _blrm():
    return blrm.BLRM([1, 2, 4, 8, 16], cohort_size=3, n_cohorts=4)


def _design3():
    return esc.make_design("3+3", 3)


VALID_PARTS_III_IV: dict[str, Call] = {
    # ---- data
    "dosecourse.data.names": lambda: (data.names, {}),
    "dosecourse.data.load": lambda: (data.load, dict(name="landscape")),
    # ---- escalation.blrm
    "dosecourse.escalation.blrm.BLRM": lambda: (blrm.BLRM, dict(
        doses=[1, 2, 4, 8, 16], cohort_size=3, n_cohorts=4, start_dose=1, d_ref=None,
        prior_mean=(-1.0986122886681098, 0.0), prior_sd=(1.0, 1.0), prior_corr=0.0, interval=(0.16, 0.33),
        ewoc=0.25, max_step=1, max_increase=None, select_untried=False)),
    "dosecourse.escalation.blrm.BLRM.posterior": lambda: (_blrm().posterior, dict(data="1NNN 2NNN 3NTN")),
    "dosecourse.escalation.blrm.BLRMPosterior":
        lambda: (blrm.BLRMPosterior, fields_of(_blrm().posterior("1NNN 2NNN 3NTN"))),
    "dosecourse.escalation.blrm.BLRMPosterior.to_frame":
        lambda: (_blrm().posterior("1NNN 2NNN 3NTN").to_frame, dict(lang="en")),
    # ---- cytokine
    "dosecourse.cytokine.CytokineParameters":
        lambda: (cytokine.CytokineParameters, fields_of(cytokine.CytokineParameters())),
    "dosecourse.cytokine.Schedule":
        lambda: (cytokine.Schedule, dict(times=[0.0, 3.0, 6.0], doses=[4.2, 21.0, 105.0], route="sc",
                                         durations=None, target_dose=None)),
    "dosecourse.cytokine.step_up_schedule": lambda: (cytokine.step_up_schedule, dict(
        doses=[4.2, 21.0, 105.0], interval_days=3.0, then_every_days=7.0, n_maintenance=2, route="sc",
        durations=None)),
    "dosecourse.cytokine.with_delay": lambda: (cytokine.with_delay, dict(
        schedule=cytokine.step_up_schedule([4.2, 21.0, 105.0], 3, 7, 3), after_dose=4, delay_days=21.0,
        restart_step_up=False)),
    "dosecourse.cytokine.published_schedules": lambda: (cytokine.published_schedules, {}),
    "dosecourse.cytokine.published_schedule": lambda: (cytokine.published_schedule, dict(
        name="teclistamab", weight_kg=70.0, horizon_days=28.0)),
    "dosecourse.cytokine.concentration": lambda: (cytokine.concentration, dict(
        schedule=cytokine.Schedule([0.0], [41.3], route="iv"), time=[0.0, 1.0],
        params=cytokine.CytokineParameters())),
    "dosecourse.cytokine.stimulus":
        lambda: (cytokine.stimulus, dict(conc=[1.0, 2.0], params=cytokine.CytokineParameters())),
    "dosecourse.cytokine.bell_peak_concentration":
        lambda: (cytokine.bell_peak_concentration, dict(kd_effector=50.0, kd_target=2.0)),
    "dosecourse.cytokine.ternary_complex": lambda: (cytokine.ternary_complex, dict(
        conc=10.0, kd_effector=50.0, kd_target=2.0, effector_total=1.0, target_total=0.1)),
    "dosecourse.cytokine.bell_shaped_response": lambda: (cytokine.bell_shaped_response, dict(
        conc=[1.0, 10.0, 100.0], kd_effector=50.0, kd_target=2.0, effector_total=None, target_total=None)),
    "dosecourse.cytokine.crs_probability": lambda: (cytokine.crs_probability, dict(
        peak_il6=[80.0, 20.0], params=cytokine.CytokineParameters())),
    "dosecourse.cytokine.CytokineResult": lambda: (cytokine.CytokineResult, fields_of(_cyto())),
    "dosecourse.cytokine.CytokineResult.peak_between": lambda: (_cyto().peak_between, dict(start=0.0, end=7.0)),
    "dosecourse.cytokine.CytokineResult.to_frame": lambda: (_cyto().to_frame, dict(lang="en")),
    "dosecourse.cytokine.simulate": lambda: (cytokine.simulate, dict(
        schedule=_sched(), params=cytokine.CytokineParameters(), t_end=14.0, dt=0.25, method="exponential",
        rtol=1e-8, atol=1e-10)),
    "dosecourse.cytokine.ScheduleComparison": lambda: (cytokine.ScheduleComparison, fields_of(
        cytokine.compare_schedules({"step-up": _sched()}, t_end=14.0, dt=0.25))),
    "dosecourse.cytokine.ScheduleComparison.to_frame": lambda: (
        cytokine.compare_schedules({"step-up": _sched()}, t_end=14.0, dt=0.25).to_frame, dict(lang="en")),
    "dosecourse.cytokine.compare_schedules": lambda: (cytokine.compare_schedules, dict(
        schedules={"step-up": _sched()}, params=cytokine.CytokineParameters(), t_end=14.0, dt=0.25)),
    # ---- dose_comparison
    "dosecourse.dose_comparison.fm_restricted_rates": lambda: (dc.fm_restricted_rates, dict(
        p_low=31 / 77, p_high=43 / 75, theta0=-0.2, ratio=77 / 75)),
    "dosecourse.dose_comparison.NIResult":
        lambda: (dc.NIResult, fields_of(dc.rate_ni_test(31, 77, 43, 75, margin=0.2))),
    "dosecourse.dose_comparison.NIResult.conclusion":
        lambda: (dc.rate_ni_test(31, 77, 43, 75, margin=0.2).conclusion, dict(lang="en")),
    "dosecourse.dose_comparison.NIResult.to_frame":
        lambda: (dc.rate_ni_test(31, 77, 43, 75, margin=0.2).to_frame, dict(lang="en")),
    "dosecourse.dose_comparison.rate_ni_test": lambda: (dc.rate_ni_test, dict(
        x_low=31, n_low=77, x_high=43, n_high=75, margin=0.2, alpha=0.025, method="fm")),
    "dosecourse.dose_comparison.RateSampleSize":
        lambda: (dc.RateSampleSize, fields_of(dc.rate_ni_sample_size(0.55, 0.60, 0.15))),
    "dosecourse.dose_comparison.RateSampleSize.to_frame":
        lambda: (dc.rate_ni_sample_size(0.55, 0.60, 0.15).to_frame, dict(lang="en")),
    "dosecourse.dose_comparison.rate_ni_sample_size": lambda: (dc.rate_ni_sample_size, dict(
        p_low=0.55, p_high=0.60, margin=0.15, alpha=0.025, power=0.8, ratio=1.0, method="fm")),
    "dosecourse.dose_comparison.rate_ni_power": lambda: (dc.rate_ni_power, dict(
        p_low=0.55, p_high=0.60, margin=0.15, n_low=100, n_high=100, alpha=0.025, method="fm")),
    "dosecourse.dose_comparison.rate_ni_exact_power": lambda: (dc.rate_ni_exact_power, dict(
        p_low=0.573, p_high=0.573, margin=0.2, n_low=77, n_high=75, alpha=0.025, method="fm")),
    "dosecourse.dose_comparison.SimulatedPower": lambda: (dc.SimulatedPower, fields_of(
        dc.simulate_rate_ni_power(0.573, 0.573, 0.2, 77, 75, n_trials=200, seed=3))),
    "dosecourse.dose_comparison.simulate_rate_ni_power": lambda: (dc.simulate_rate_ni_power, dict(
        p_low=0.573, p_high=0.573, margin=0.2, n_low=77, n_high=75, alpha=0.025, method="fm", n_trials=200,
        seed=3)),
    "dosecourse.dose_comparison.odds_ratio_ni_test": lambda: (dc.odds_ratio_ni_test, dict(
        x_low=31, n_low=77, x_high=43, n_high=75, margin=0.4, alpha=0.025)),
    "dosecourse.dose_comparison.odds_ratio_ni_power": lambda: (dc.odds_ratio_ni_power, dict(
        p_low=0.573, p_high=0.573, margin=0.4, n_low=77, n_high=75, alpha=0.025)),
    "dosecourse.dose_comparison.hr_ni_events": lambda: (dc.hr_ni_events, dict(
        hr=1.0, margin=1.3, alpha=0.025, power=0.8, ratio=1.0)),
    "dosecourse.dose_comparison.hr_ni_power":
        lambda: (dc.hr_ni_power, dict(hr=1.0, margin=1.3, events=300.0, alpha=0.025, ratio=1.0)),
    "dosecourse.dose_comparison.se_log_from_ci":
        lambda: (dc.se_log_from_ci, dict(lower=0.26, upper=0.96, level=0.95)),
    "dosecourse.dose_comparison.hr_ni_test": lambda: (dc.hr_ni_test, dict(
        hr=1.10, margin=1.3, se_log_hr=None, events=400.0, ratio=1.0, alpha=0.025)),
    "dosecourse.dose_comparison.load_study211": lambda: (dc.load_study211, {}),
    "dosecourse.dose_comparison.Study211Check": lambda: (dc.Study211Check, fields_of(dc.study211_check())),
    "dosecourse.dose_comparison.Study211Check.to_frame": lambda: (dc.study211_check().to_frame, dict(lang="en")),
    "dosecourse.dose_comparison.study211_check": lambda: (dc.study211_check, dict(
        margin=None, scale="odds_ratio", alpha=0.025, method="fm")),
    # ---- dose_response
    "dosecourse.dose_response.model_mean": lambda: (dr.model_mean, dict(
        model="emax", dose=[0, 0.2, 1], params=[0.2, 0.6, 0.2], off=None, scal=None, nodes=None)),
    "dosecourse.dose_response.default_bounds": lambda: (dr.default_bounds, dict(max_dose=1.0)),
    "dosecourse.dose_response.guesstimate": lambda: (dr.guesstimate, dict(
        model="emax", d=0.3, p=0.8, less=True, local=False, max_dose=None, dose_max_effect=None, scal=None)),
    "dosecourse.dose_response.CandidateModels": lambda: (dr.CandidateModels, fields_of(_cm())),
    "dosecourse.dose_response.CandidateModels.mean": lambda: (_cm().mean, dict(doses=None)),
    "dosecourse.dose_response.CandidateModels.target_dose": lambda: (_cm().target_dose, dict(delta=0.5)),
    "dosecourse.dose_response.CandidateModels.effective_dose": lambda: (_cm().effective_dose, dict(p=0.5)),
    "dosecourse.dose_response.CandidateModels.to_frame": lambda: (_cm().to_frame, dict(lang="en")),
    "dosecourse.dose_response.candidate_models": lambda: (dr.candidate_models, dict(
        models={"linear": None, "emax": 0.2}, doses=[0, 0.5, 1], placebo_effect=0.0, max_effect=None,
        direction="increasing", off=None, scal=None)),
    "dosecourse.dose_response.MvtProbability": lambda: (dr.MvtProbability, fields_of(
        dr.mvt_probability([0, 0], np.array([[1, 0.5], [0.5, 1]])))),
    "dosecourse.dose_response.mvt_probability": lambda: (dr.mvt_probability, dict(
        upper=[0.0, 0.0], corr=np.array([[1, 0.5], [0.5, 1]]), lower=None, df=math.inf, delta=None, abseps=1e-4,
        max_points=65536, n_shifts=10, seed=2025)),
    "dosecourse.dose_response.OptimalContrasts": lambda: (dr.OptimalContrasts, fields_of(_oc_dr())),
    "dosecourse.dose_response.OptimalContrasts.to_frame": lambda: (_oc_dr().to_frame, dict(lang="en")),
    "dosecourse.dose_response.optimal_contrasts": lambda: (dr.optimal_contrasts, dict(
        models=_cm(), weights=None, cov=None, doses=None, constrained=False)),
    "dosecourse.dose_response.MCTResult": lambda: (dr.MCTResult, fields_of(dr.mct_test(*_mct_data(), _cm()))),
    "dosecourse.dose_response.MCTResult.to_frame":
        lambda: (dr.mct_test(*_mct_data(), _cm()).to_frame, dict(lang="en")),
    "dosecourse.dose_response.mct_test": lambda: (dr.mct_test, dict(
        dose=_mct_data()[0], response=_mct_data()[1], models=_cm(), cov=None, df=None, alpha=0.025,
        alternative="one-sided", contrasts=None, critical=False, abseps=1e-4)),
    "dosecourse.dose_response.critical_value": lambda: (dr.critical_value, dict(
        correlation=np.eye(2), alpha=0.025, df=math.inf, alternative="one-sided", abseps=1e-5)),
    "dosecourse.dose_response.MCTPower": lambda: (dr.MCTPower, fields_of(
        dr.power_mct(dr.optimal_contrasts(_cm_power()), _cm_power(), n=50, sigma=1))),
    "dosecourse.dose_response.MCTPower.to_frame": lambda: (
        dr.power_mct(dr.optimal_contrasts(_cm_power()), _cm_power(), n=50, sigma=1).to_frame, dict(lang="en")),
    "dosecourse.dose_response.power_mct": lambda: (dr.power_mct, dict(
        contrasts=dr.optimal_contrasts(_cm_power()), alternatives=_cm_power(), n=50, sigma=1.0)),
    "dosecourse.dose_response.SampleSize": lambda: (dr.SampleSize, fields_of(
        dr.sample_size_mct(dr.optimal_contrasts(_cm_power()), _cm_power(), sigma=1.0))),
    "dosecourse.dose_response.sample_size_mct": lambda: (dr.sample_size_mct, dict(
        contrasts=dr.optimal_contrasts(_cm_power()), alternatives=_cm_power(), sigma=1.0, power=0.8, alpha=0.025,
        alloc_ratio=None, summary="mean", alternative="one-sided", max_n=5000, abseps=1e-4)),
    "dosecourse.dose_response.DoseResponseFit": lambda: (dr.DoseResponseFit, fields_of(_fit())),
    "dosecourse.dose_response.DoseResponseFit.log_likelihood": lambda: (_fit().log_likelihood, {}),
    "dosecourse.dose_response.DoseResponseFit.aic": lambda: (_fit().aic, {}),
    "dosecourse.dose_response.DoseResponseFit.bic": lambda: (_fit().bic, {}),
    "dosecourse.dose_response.DoseResponseFit.gaic": lambda: (_gfit().gaic, {}),
    "dosecourse.dose_response.DoseResponseFit.vcov": lambda: (_fit().vcov, {}),
    "dosecourse.dose_response.DoseResponseFit.predict":
        lambda: (_fit().predict, dict(doses=[0.5, 1.5], kind="ls-means", se=False)),
    "dosecourse.dose_response.DoseResponseFit.target_dose":
        lambda: (_fit().target_dose, dict(delta=0.5, direction="increasing")),
    "dosecourse.dose_response.DoseResponseFit.effective_dose": lambda: (_fit().effective_dose, dict(p=0.5)),
    "dosecourse.dose_response.DoseResponseFit.target_dose_se":
        lambda: (_fit().target_dose_se, dict(delta=0.5, direction="increasing")),
    "dosecourse.dose_response.DoseResponseFit.effective_dose_se": lambda: (_fit().effective_dose_se, dict(p=0.5)),
    "dosecourse.dose_response.fit_model": lambda: (dr.fit_model, dict(
        dose=[0, 0, 1, 1, 2, 2], response=[0.1, -0.1, 0.9, 1.1, 2.1, 1.9], model="linear", cov=None, bounds=None,
        off=None, scal=None)),
    "dosecourse.dose_response.ArmEstimates":
        lambda: (dr.ArmEstimates, fields_of(dr.logit_estimates([0, 1], [10, 20], [40, 40]))),
    "dosecourse.dose_response.logit_estimates":
        lambda: (dr.logit_estimates, dict(doses=[0, 1], events=[10, 20], n=[40, 40])),
    "dosecourse.dose_response.MCPModResult": lambda: (dr.MCPModResult, fields_of(_mcpmod())),
    "dosecourse.dose_response.MCPModResult.predict":
        lambda: (_mcpmod().predict, dict(doses=[0.0, 0.5], kind="ls-means")),
    "dosecourse.dose_response.MCPModResult.curves":
        lambda: (_mcpmod().curves, dict(doses=[0.0, 0.5], kind="ls-means", lang="en")),
    "dosecourse.dose_response.MCPModResult.to_frame": lambda: (_mcpmod().to_frame, dict(lang="en")),
    "dosecourse.dose_response.mcpmod": lambda: (dr.mcpmod, dict(
        dose=_mcpmod_data()[0], response=_mcpmod_data()[1], models=_cm(), cov=None, df=None, alpha=0.025,
        alternative="one-sided", selection="AIC", delta=0.4, p=None, bounds=None, abseps=1e-4)),
    "dosecourse.dose_response.MCPModBootstrap": lambda: (dr.MCPModBootstrap, fields_of(_boot())),
    "dosecourse.dose_response.MCPModBootstrap.to_frame": lambda: (_boot().to_frame, dict(lang="en")),
    "dosecourse.dose_response.MCPModBootstrap.curve_quantiles": lambda: (_boot().curve_quantiles, dict(lang="en")),
    "dosecourse.dose_response.bootstrap_mcpmod": lambda: (dr.bootstrap_mcpmod, dict(
        result=_mcpmod(), n_trials=20, doses=None, probs=(0.025, 0.5, 0.975), seed=1)),
    "dosecourse.dose_response.many_to_one_contrasts":
        lambda: (dr.many_to_one_contrasts, dict(doses=[0, 1, 2], weights=None)),
    "dosecourse.dose_response.MCPModSimulation": lambda: (dr.MCPModSimulation, fields_of(_sim_mcpmod())),
    "dosecourse.dose_response.MCPModSimulation.selection_shares": lambda: (_sim_mcpmod().selection_shares, {}),
    "dosecourse.dose_response.MCPModSimulation.quantiles":
        lambda: (_sim_mcpmod().quantiles, dict(probs=(0.1, 0.5, 0.9))),
    "dosecourse.dose_response.simulate_mcpmod": lambda: (dr.simulate_mcpmod, dict(
        models=dr.candidate_models({"linear": None, "emax": 0.5}, [0, 1, 2, 4], max_effect=0.4),
        true_means=[0.0, 0.27, 0.32, 0.36], n=40, sigma=1.0, delta=0.2, alpha=0.025, n_trials=20, seed=1,
        critical=None, abseps=1e-4)),
    # ---- dossier
    "dosecourse.dossier.FictionalDrug": lambda: (dossier.FictionalDrug, fields_of(dossier.FictionalDrug())),
    "dosecourse.dossier.FictionalDrug.auc": lambda: (dossier.FictionalDrug().auc, dict(dose=[100.0, 200.0], cl=None)),
    "dosecourse.dossier.FictionalDrug.p_response": lambda: (dossier.FictionalDrug().p_response, dict(auc=[5.0, 20.0])),
    "dosecourse.dossier.FictionalDrug.inhibition": lambda: (dossier.FictionalDrug().inhibition, dict(auc=[5.0, 20.0])),
    "dosecourse.dossier.FictionalDrug.p_event": lambda: (dossier.FictionalDrug().p_event, dict(auc=[5.0, 20.0])),
    "dosecourse.dossier.DossierTrial": lambda: (dossier.DossierTrial, fields_of(_dtrial())),
    "dosecourse.dossier.DossierTrial.outcome": lambda: (_dtrial().outcome, dict(name="response")),
    "dosecourse.dossier.simulate_trial":
        lambda: (dossier.simulate_trial, dict(drug=dossier.FictionalDrug(), n_per_arm=20, seed=1)),
    "dosecourse.dossier.ArmSummary": lambda: (dossier.ArmSummary, fields_of(_dsummary())),
    "dosecourse.dossier.ArmSummary.attribute": lambda: (_dsummary().attribute, dict(name="response")),
    "dosecourse.dossier.arm_summaries": lambda: (dossier.arm_summaries, dict(trial=_dtrial(), level=0.95)),
    "dosecourse.dossier.true_outcomes":
        lambda: (dossier.true_outcomes, dict(drug=dossier.FictionalDrug(), nodes=16)),
    "dosecourse.dossier.LogisticER": lambda: (dossier.LogisticER, fields_of(
        dossier.fit_logistic_er([1, 2, 4, 8, 16, 32], [0, 0, 1, 0, 1, 1]))),
    "dosecourse.dossier.LogisticER.predict": lambda: (
        dossier.fit_logistic_er([1, 2, 4, 8, 16, 32], [0, 0, 1, 0, 1, 1]).predict, dict(auc=[1.0, 10.0])),
    "dosecourse.dossier.LogisticER.ci_slope": lambda: (
        dossier.fit_logistic_er([1, 2, 4, 8, 16, 32], [0, 0, 1, 0, 1, 1]).ci_slope, dict(level=0.95)),
    "dosecourse.dossier.fit_logistic_er": lambda: (dossier.fit_logistic_er, dict(
        auc=[1, 2, 4, 8, 16, 32], response=[0, 0, 1, 0, 1, 1], max_iter=50)),
    "dosecourse.dossier.ResampledBest": lambda: (dossier.ResampledBest, fields_of(
        dossier.bootstrap_probability_best(_dtrial(), _dweights(), _ddesir(), n_boot=50, seed=1))),
    "dosecourse.dossier.bootstrap_probability_best": lambda: (dossier.bootstrap_probability_best, dict(
        trial=_dtrial(), weights=_dweights(), desirabilities=_ddesir(), n_boot=50, seed=1, er_response=False)),
    "dosecourse.dossier.posterior_probability_best": lambda: (dossier.posterior_probability_best, dict(
        counts={"orr": ([50, 28], [102, 50]), "ild": ([13, 14], [101, 50])}, weights={"orr": 0.6, "ild": 0.4},
        desirabilities={"orr": utility.linear_desirability(0.0, 0.6), "ild": utility.linear_desirability(0.3, 0.0)},
        doses=None, prior=(1.0, 1.0), n_draws=500, seed=1)),
    "dosecourse.dossier.observed_cui": lambda: (dossier.observed_cui, dict(
        summary=_dsummary(), weights=_dweights(), desirabilities=_ddesir(), response=None)),
    # ---- exposure_response
    "dosecourse.exposure_response.ERScenario":
        lambda: (er.ERScenario, {**fields_of(er.ERScenario()), "n_patients": 60}),
    "dosecourse.exposure_response.ERTrial": lambda: (er.ERTrial, fields_of(_ertrial())),
    "dosecourse.exposure_response.ERTrial.metric": lambda: (_ertrial().metric, dict(name="cavg_ss")),
    "dosecourse.exposure_response.simulate_trials":
        lambda: (er.simulate_trials, dict(scenario=er.ERScenario(n_patients=60), n_trials=2, seed=1)),
    "dosecourse.exposure_response.EREstimate":
        lambda: (er.EREstimate, fields_of(er.fit_exposure_response(_ertrial()))),
    "dosecourse.exposure_response.fit_exposure_response": lambda: (er.fit_exposure_response, dict(
        trial=_ertrial(), endpoint="response", analysis="naive", metric="cavg_ss", replicate=0, caliper=0.2)),
    "dosecourse.exposure_response.ReplicateEstimates": lambda: (er.ReplicateEstimates, fields_of(
        er.replicate_estimates(er.ERScenario(n_patients=60), 5, seed=3))),
    "dosecourse.exposure_response.replicate_estimates": lambda: (er.replicate_estimates, dict(
        scenario=er.ERScenario(n_patients=60), n_trials=5, analysis="naive", metric="cavg_ss", seed=3)),
    "dosecourse.exposure_response.marginal_dose_slope": lambda: (er.marginal_dose_slope, dict(
        scenario=er.ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg"))),
    "dosecourse.exposure_response.ConfoundingCurve": lambda: (er.ConfoundingCurve, fields_of(
        er.confounding_curve(er.ERScenario(n_patients=60), [0.0, 0.4], n_trials=5, seed=2))),
    "dosecourse.exposure_response.confounding_curve": lambda: (er.confounding_curve, dict(
        scenario=er.ERScenario(n_patients=60), strengths=[0.0, 0.4], n_trials=5, analysis="naive",
        metric="cavg_ss", seed=2)),
    "dosecourse.exposure_response.estimates_table": lambda: (er.estimates_table, dict(
        estimates=[er.fit_exposure_response(_ertrial())], lang="en")),
    "dosecourse.exposure_response.response_by_group": lambda: (er.response_by_group, dict(
        trial=_ertrial(), by="quantile", metric="cavg_ss", n_groups=4, replicate=0)),
    "dosecourse.exposure_response.approximate_er_slope":
        lambda: (er.approximate_er_slope, dict(scenario=er.ERScenario(), adjusted=False)),
    # ---- target_window
    "dosecourse.target_window.TargetWindowModel": lambda: (target_window.TargetWindowModel, dict(
        ec50=0.15, hill=1.0, tox50=8.0, tox_slope=1.5, omega=0.4, exposure_per_dose=1.0 / 240.0,
        saturation_dose=240.0, power_above=0.5)),
    "dosecourse.target_window.WindowResult": lambda: (target_window.WindowResult, fields_of(
        target_window.evaluate([240.0, 960.0], target_window.TargetWindowModel(), n_cycles=4))),
    "dosecourse.target_window.typical_exposure": lambda: (target_window.typical_exposure, dict(
        dose=[120.0, 960.0], model=target_window.TargetWindowModel(saturation_dose=240.0))),
    "dosecourse.target_window.inhibition":
        lambda: (target_window.inhibition, dict(exposure=[0.5, 2.0], ec50=0.15, hill=1.0)),
    "dosecourse.target_window.toxicity_probability":
        lambda: (target_window.toxicity_probability, dict(exposure=[0.5, 2.0], tox50=8.0, slope=1.5)),
    "dosecourse.target_window.evaluate": lambda: (target_window.evaluate, dict(
        doses=[240.0, 960.0], model=target_window.TargetWindowModel(), n_cycles=4, n_nodes=40)),
    "dosecourse.target_window.diminishing_return_dose": lambda: (target_window.diminishing_return_dose, dict(
        model=target_window.TargetWindowModel(), min_gain=0.05, factor=2.0, bounds=(1.0, 10_000.0))),
    # ---- poppk
    "dosecourse.poppk.CovariateEffect": lambda: (poppk.CovariateEffect, fields_of(_pembro().covariate_effects[0])),
    "dosecourse.poppk.PopPKModel": lambda: (poppk.PopPKModel, fields_of(_pembro())),
    "dosecourse.poppk.PKParameters": lambda: (poppk.PKParameters, dict(cl=[0.2, 0.3], v1=3.0)),
    "dosecourse.poppk.PKParameters.subset":
        lambda: (poppk.PKParameters(cl=[0.2, 0.3], v1=3.0).subset, dict(index=[1])),
    "dosecourse.poppk.Regimen": lambda: (poppk.Regimen, dict(
        times=[0.0, 21.0], amounts=[200.0, 200.0], route="bolus", duration=None, interval=None, per_kg=False)),
    "dosecourse.poppk.Regimen.repeated": lambda: (poppk.Regimen.repeated, dict(
        dose=200.0, interval=21.0, n_doses=3, route="infusion", duration=0.5 / 24, per_kg=False, start=0.0)),
    "dosecourse.poppk.VirtualPopulation": lambda: (poppk.VirtualPopulation, fields_of(
        poppk.simulate_population(_pembro(), 20, seed=1))),
    "dosecourse.poppk.Exposure": lambda: (poppk.Exposure, fields_of(poppk.exposure(_pkp(), _reg(), 1))),
    "dosecourse.poppk.ObservedConcentrations": lambda: (poppk.ObservedConcentrations, fields_of(
        poppk.add_residual_error([0.0, 10.0], _pembro(), seed=1))),
    "dosecourse.poppk.published_data": lambda: (poppk.published_data, dict(name="nivolumab_bajaj2017")),
    "dosecourse.poppk.published_model": lambda: (poppk.published_model, dict(name="pembrolizumab_ahamadi2017")),
    "dosecourse.poppk.individual_parameters": lambda: (poppk.individual_parameters, dict(
        model=_pembro(), covariates={"WT": [76.8, 153.6]}, etas=None)),
    "dosecourse.poppk.simulate_population": lambda: (poppk.simulate_population, dict(
        model=_pembro(), n=20, seed=1, covariates=None, population=None, iiv=True)),
    "dosecourse.poppk.add_residual_error":
        lambda: (poppk.add_residual_error, dict(conc=[0.0, 10.0], model=_pembro(), seed=1)),
    "dosecourse.poppk.concentrations": lambda: (poppk.concentrations, dict(
        params=_pkp(), regimen=_reg(), times=[0.0, 10.0], steady_state=False, method="auto", rtol=1e-8)),
    "dosecourse.poppk.auc": lambda: (poppk.auc, dict(
        params=_pkp(), regimen=_reg(), start=0.0, end=1e4, method="auto", rtol=1e-8)),
    "dosecourse.poppk.exposure": lambda: (poppk.exposure, dict(
        params=_pkp(), regimen=_reg(), interval=1, method="auto", rtol=1e-8, grid=256)),
    "dosecourse.poppk.compare_regimens": lambda: (poppk.compare_regimens, dict(
        model=_pembro(), regimens={"200 mg Q3W": poppk.Regimen.repeated(200.0, 21.0, 1, route="bolus")}, n=20,
        interval="ss", statistic="mean", seed=1, covariates=None, lang="en")),
    # ---- seamless
    "dosecourse.seamless.SeamlessDesign": lambda: (seamless.SeamlessDesign, dict(
        n_arms=3, info_fraction=0.5, n_per_arm=80, alpha=0.025, z_futility=None)),
    "dosecourse.seamless.SeamlessDesign.drifts": lambda: (_seam().drifts, dict(effects=[0.0, 0.2])),
    "dosecourse.seamless.dunnett_critical_value":
        lambda: (seamless.dunnett_critical_value, dict(n_arms=2, alpha=0.025, rho=0.5)),
    "dosecourse.seamless.critical_value": lambda: (seamless.critical_value, dict(design=_seam(), method="dunnett")),
    "dosecourse.seamless.ExactOC": lambda: (seamless.ExactOC, fields_of(
        seamless.exact_operating_characteristics(_seam(), methods=("naive", "closed_dunnett")))),
    "dosecourse.seamless.ExactOC.to_frame": lambda: (seamless.exact_operating_characteristics(
        _seam(), methods=("naive",)).to_frame, dict(lang="en")),
    "dosecourse.seamless.ExactOC.selection_frame": lambda: (seamless.exact_operating_characteristics(
        _seam(), methods=("naive",)).selection_frame, dict(lang="en")),
    "dosecourse.seamless.exact_operating_characteristics": lambda: (seamless.exact_operating_characteristics, dict(
        design=_seam(), effects=None, methods=("naive", "closed_dunnett"))),
    "dosecourse.seamless.naive_fwer": lambda: (seamless.naive_fwer, dict(
        n_arms=2, info_fraction=0.5, alpha=0.025, z_futility=None, critical=None)),
    "dosecourse.seamless.naive_fwer_table": lambda: (seamless.naive_fwer_table, dict(
        n_arms=(2, 4), info_fractions=(0.5,), alpha=0.025, lang="en")),
    "dosecourse.seamless.SelectionBias": lambda: (seamless.SelectionBias, fields_of(seamless.selection_bias(_seam()))),
    "dosecourse.seamless.SelectionBias.to_frame":
        lambda: (seamless.selection_bias(_seam()).to_frame, dict(lang="en")),
    "dosecourse.seamless.selection_bias": lambda: (seamless.selection_bias, dict(design=_seam(), effects=None)),
    "dosecourse.seamless.SimulatedOC": lambda: (seamless.SimulatedOC, fields_of(
        seamless.simulate_operating_characteristics(_seam(), methods=("naive",), n_trials=200, seed=1))),
    "dosecourse.seamless.SimulatedOC.to_frame": lambda: (seamless.simulate_operating_characteristics(
        _seam(), methods=("naive",), n_trials=200, seed=1).to_frame, dict(lang="en")),
    "dosecourse.seamless.SimulatedOC.selection_frame": lambda: (seamless.simulate_operating_characteristics(
        _seam(), methods=("naive",), n_trials=200, seed=1).selection_frame, dict(lang="en")),
    "dosecourse.seamless.simulate_operating_characteristics": lambda: (
        seamless.simulate_operating_characteristics, dict(design=_seam(), effects=None, methods=("naive",),
                                                          n_trials=200, seed=1)),
    # ---- simulation_check
    "dosecourse.simulation_check.agreement": lambda: (simulation_check.agreement, dict(
        exact=_design3().exact([0.1, 0.3, 0.5]), simulated=_design3().simulate([0.1, 0.3, 0.5], n_trials=200,
                                                                               seed=1).summary(), lang="en")),
    "dosecourse.simulation_check.exact_vs_simulated": lambda: (simulation_check.exact_vs_simulated, dict(
        design=_design3(), true_tox=[0.1, 0.3, 0.5], n_trials=200, seed=1, lang="en")),
    # ---- target_attainment
    "dosecourse.target_attainment.PDTargetModel":
        lambda: (target_attainment.PDTargetModel, fields_of(target_attainment.PDTargetModel())),
    "dosecourse.target_attainment.Attainment": lambda: (target_attainment.Attainment, fields_of(
        target_attainment.attainment([50.0, 100.0], 12.0, target_attainment.PDTargetModel()))),
    "dosecourse.target_attainment.steady_state_concentration": lambda: (
        target_attainment.steady_state_concentration, dict(time=[0.0, 6.0], dose=100.0, tau=12.0,
                                                           model=target_attainment.PDTargetModel(), cl=None)),
    "dosecourse.target_attainment.attainment": lambda: (target_attainment.attainment, dict(
        doses=[50.0, 100.0], tau=12.0, model=target_attainment.PDTargetModel(), target=0.9, n_nodes=40)),
    "dosecourse.target_attainment.dose_for_attainment": lambda: (target_attainment.dose_for_attainment, dict(
        tau=12.0, model=target_attainment.PDTargetModel(), target=0.9, share=0.9)),
}
"""Valid calls of the Part III-IV modules (from their docstring Examples, with smaller sizes)."""
VALID.update(VALID_PARTS_III_IV)


def _cap_expansion():
    return capstone_drug.simulate_expansion([320.0, 640.0], 20, seed=1)


def _cap_run():
    return capstone_drug.run_escalation(esc.BOIN(0.25, 6, n_cohorts=3), seed=1)


VALID_CAPSTONE: dict[str, Call] = {
    "dosecourse.capstone_drug.TrueModel": lambda: (capstone_drug.TrueModel, fields_of(capstone_drug.TrueModel())),
    "dosecourse.capstone_drug.TrueModel.clearance": lambda: (capstone_drug.TrueModel().clearance, dict(
        weight=[60.0, 80.0], sickness=[0.0, 1.0], eta=0.0)),
    "dosecourse.capstone_drug.TrueModel.p_response": lambda: (capstone_drug.TrueModel().p_response, dict(
        auc=[10.0, 40.0], sickness=0.0)),
    "dosecourse.capstone_drug.TrueModel.p_dlt": lambda: (capstone_drug.TrueModel().p_dlt, dict(auc=[10.0, 40.0])),
    "dosecourse.capstone_drug.TrueModel.p_toxicity":
        lambda: (capstone_drug.TrueModel().p_toxicity, dict(auc=[10.0, 40.0])),
    "dosecourse.capstone_drug.TrueModel.inhibition":
        lambda: (capstone_drug.TrueModel().inhibition, dict(auc=[10.0, 40.0])),
    "dosecourse.capstone_drug.TrueModel.expected": lambda: (capstone_drug.TrueModel().expected, dict(
        dose=[320.0, 640.0], outcome="response")),
    "dosecourse.capstone_drug.Patients": lambda: (capstone_drug.Patients, fields_of(
        capstone_drug.patients(5, seed=1))),
    "dosecourse.capstone_drug.Patients.auc": lambda: (capstone_drug.patients(5, seed=1).auc, dict(
        dose=320.0, model=capstone_drug.TrueModel())),
    "dosecourse.capstone_drug.patients": lambda: (capstone_drug.patients, dict(
        n=5, stream="escalation", seed=1, model=capstone_drug.TrueModel())),
    "dosecourse.capstone_drug.EscalationRun": lambda: (capstone_drug.EscalationRun, fields_of(_cap_run())),
    "dosecourse.capstone_drug.run_escalation": lambda: (capstone_drug.run_escalation, dict(
        design=esc.BOIN(0.25, 6, n_cohorts=3), seed=1, model=capstone_drug.TrueModel(),
        doses=[80.0, 160.0, 320.0, 480.0, 640.0, 960.0])),
    "dosecourse.capstone_drug.CohortData": lambda: (capstone_drug.CohortData, fields_of(_cap_expansion())),
    "dosecourse.capstone_drug.CohortData.counts": lambda: (_cap_expansion().counts, dict(outcome="response")),
    "dosecourse.capstone_drug.CohortData.mean": lambda: (_cap_expansion().mean, dict(outcome="inhibition")),
    "dosecourse.capstone_drug.simulate_backfill": lambda: (capstone_drug.simulate_backfill, dict(
        doses=[160.0, 320.0], n_per_dose=4, seed=1, model=capstone_drug.TrueModel())),
    "dosecourse.capstone_drug.simulate_expansion": lambda: (capstone_drug.simulate_expansion, dict(
        doses=[320.0, 640.0], n_per_arm=20, seed=1, model=capstone_drug.TrueModel())),
    "dosecourse.capstone_drug.ERFit": lambda: (capstone_drug.ERFit, fields_of(
        capstone_drug.fit_exposure_response(_cap_expansion()))),
    "dosecourse.capstone_drug.fit_exposure_response": lambda: (capstone_drug.fit_exposure_response, dict(
        data=_cap_expansion(), analysis="naive")),
    "dosecourse.capstone_drug.Truth": lambda: (capstone_drug.Truth, fields_of(capstone_drug.reveal())),
    "dosecourse.capstone_drug.reveal": lambda: (capstone_drug.reveal, dict(
        target=0.25, margin=0.05, model=capstone_drug.TrueModel(), doses=[80.0, 160.0, 320.0, 480.0, 640.0, 960.0])),
}
"""Valid calls of the capstone's fictional drug (:mod:`dosecourse.capstone_drug`)."""

VALID.update(VALID_CAPSTONE)



VERB_OVERRIDES: dict[tuple[str, str], dict] = {
    ("ThreePlusThree", "replace"): {"start_dose": 2},
    ("AcceleratedTitration", "replace"): {"start_dose": 2},
    ("ThreePlusThree", "select"): {"data": "1NNN 2TTN 1NNN"},  # the 3+3 selects when the trial is over
    ("AcceleratedTitration", "select"): {"data": "1N 2TTN 1NN 1NNN"},
}


def _design_call(design: str, verb: str) -> Call:
    make, truth = DESIGNS[design]
    return lambda: (getattr(make(), verb), VERB_OVERRIDES.get((design, verb), VERBS[verb](truth)))


def _design_module(design: str) -> str:
    cls = type(DESIGNS[design][0]())
    return f"{cls.__module__}.{cls.__name__}"


for _design in DESIGNS:
    for _verb in VERBS:
        VALID[f"{_design_module(_design)}.{_verb}"] = _design_call(_design, _verb)

INHERITED = {f"dosecourse.escalation.design.Design.{verb}" for verb in VERBS} | {
    "dosecourse.escalation.interval.IntervalDesign.decision_table",
    "dosecourse.escalation.interval.IntervalDesign.describe",
    "dosecourse.escalation.design.Design", "dosecourse.escalation.design.ProtocolAppendix.protocol"}
"""Methods of the base classes, covered through every design above (the base classes cannot be made)."""

ABSTRACT = {"dosecourse.escalation.interval.IntervalDesign", "dosecourse.escalation.mtpi.UPMDesign",
            "dosecourse.escalation.design.ProtocolAppendix"}
"""Base classes covered through the designs derived from them."""

EXTRA: dict[str, list[tuple[str, str, object, bool]]] = {
    # qualified name -> [(parameter, label, bad value, must raise)]
    "dosecourse.pd.simulate_tmdd": [("tau_days", "1e-300", 1e-300, True), ("time_days", "10**7 points",
                                                                          np.linspace(0, 1, 10**7), True)],
    "dosecourse.escalation.bfboin.BFBOIN": [("accrual_per_month", "1e300", 1e300, True),
                                            ("dlt_window_months", "1e300", 1e300, True)],
    "dosecourse.mtd_paradigm.compare": [("no_such_parameter", "unknown keyword", 1.0, True)],
    "dosecourse.escalation.crm.CRM": [("skeleton", "decreasing", [0.3, 0.2, 0.1], True)],
    "dosecourse.escalation.tite.TITEData": [("followup", "longer than the window", [28.0, 10.0, 29.0], True),
                                           ("window", "zero", 0.0, True)],
    "dosecourse.escalation.tite_crm.TITECRM": [("dlt_window_months", "zero", 0.0, True),
                                               ("skeleton", "decreasing", [0.3, 0.2, 0.1], True)],
    "dosecourse.escalation.tite_boin.TITEBOIN": [("dlt_window_months", "zero", 0.0, True),
                                                 ("target", "outside (0, 1)", 1.5, True)],
    "dosecourse.escalation.data.TrialData": [("y", "y > n", [4, 1, 0], True)],
    "dosecourse.stats.clopper_pearson": [("x", "x > n", [4, 2, 0], True)],
    "dosecourse.escalation.interval.interval_probabilities": [("edges", "decreasing", [1.0, 0.5, 0.0], True)],
}
"""Further bad values the generic generator does not make (each must raise, naming the parameter)."""
EXTRA["dosecourse.escalation.boin_comb.BOINComb.next_dose"] = [("current", "untried (2, 2)", (2, 2), True)]
EXTRA["dosecourse.escalation.boin_comb.BOINComb.replace"] = [("no_such_setting", "unknown setting", 1, True)]
for _design in DESIGNS:
    _name = _design_module(_design)
    EXTRA[f"{_name}.next_dose"] = [("data", "dose 9", "9NNN", True), ("data", "bad letter", "1NNX", True)]
    EXTRA[f"{_name}.replace"] = [("no_such_setting", "unknown setting", 1, True)]


# ---------------------------------------------------------------------------------------------- bad values
class Bad(NamedTuple):
    label: str
    value: object
    must_raise: bool


NAMES = {"lang", "scheme", "species", "model", "variant", "key", "method", "noise", "approximation", "unit",
         "correct", "ties", "kind", "accrual", "response_rule", "rodent", "nonrodent", "scaling", "letters",
         "action", "selects", "name", "fmt"}
"""Parameters that take one of a set of names."""

SIZE = re.compile(r"^(n|max_n|n_.*|.*_n|nu|cohort_size|size|grid_size|extra_levels|sentinels|best_n|"
                  r"n_trials|n_draws|n_per_dose|n_per_arm|n_max|n_grid|allocation)$")
"""Parameters that are sizes of work: they also get 10**18 and 1e300."""

PROB = re.compile(r"^(target|target_tox|target_eff|p|q|p_.*|true_tox|true_eff|true_rate|occupancy|"
                  r"occupancy_fraction|fraction|fraction_of_emax|level|cutoff_.*|.*_rate|.*_rate_below|rate|orr|"
                  r"phi1|phi2|halfwidth|epsilon1|epsilon2|offset|band|target_pcs|best_pcs|"
                  r"response_rate|safety_rate|pcs|lower|upper|skeleton|probability|no_selection|"
                  r"stopped|w_efficacy|escalate|stay|deescalate|selection)$")
"""Parameters that are probabilities (or fractions) when their valid value lies in [0, 1].  (Not the margins of
:mod:`dosecourse.expansion`: a margin of 1 or more is documented as one that can never be beaten.)"""

NEGATIVE_OK = {"e0", "rho", "intercept", "emax", "worst", "best", "threshold", "beta_mean", "interaction",
               "t", "time", "mean_cui", "cui_lower", "cui_upper", "values", "utilities",
               "contributions", "attribute_values", "breakpoints", "true_obd", "ed50_hat", "hill_hat",
               # Parts III-IV: effects, z-values, log-scale and signed model quantities
               "effects", "z_futility", "critical", "true_means", "placebo_effect", "max_effect", "prior_mean",
               "theta", "strengths", "true_slope", "true_log_hr", "disease_on_cl", "disease_on_response",
               "disease_on_hazard", "cl_change_responders", "cl_change_nonresponders"}
"""Parameters for which a negative number can make sense (a sane result passes)."""

EMPTY_OK = {("dosecourse.escalation.move_probabilities.three_plus_three_escalation", "p"),
            ("dosecourse.escalation.move_probabilities.boin_move_probabilities", "p"),
            ("dosecourse.mtd_paradigm.efficacy", "dose"), ("dosecourse.mtd_paradigm.dlt_probability", "dose"),
            ("dosecourse.sentinel.expected_reactions", "q"), ("dosecourse.sentinel.reactions_prevented", "q"),
            ("dosecourse.expansion_cases.Arm", "reported"), ("dosecourse.escalation.decision.Decision", "fields"),
            ("dosecourse.poppk.add_residual_error", "conc"), ("dosecourse.poppk.ObservedConcentrations", "values"),
            ("dosecourse.dose_response.CandidateModels.mean", "doses"),
            ("dosecourse.dose_response.DoseResponseFit.predict", "doses"),
            ("dosecourse.dose_response.MCPModResult.predict", "doses"),
            ("dosecourse.dose_response.MCPModResult.curves", "doses"),
            ("dosecourse.target_window.typical_exposure", "dose"), ("dosecourse.target_window.inhibition", "exposure"),
            ("dosecourse.target_window.toxicity_probability", "exposure")}
"""Vectorised parameters (a number or an array of any shape) for which an empty array gives an empty result."""

NOT_PROB = {("dosecourse.pd.TMDDParameters", "q"), ("dosecourse.exposure_response.ERScenario", "q"),
            ("dosecourse.dose_comparison.se_log_from_ci", "upper"),  # the upper limit of a hazard-ratio CI
            ("dosecourse.dose_response.mvt_probability", "upper")}  # upper limits of integration
"""Parameters whose names read like probabilities but are not (``q`` is an inter-compartmental clearance)."""

MAY_BE_VALID = {
    # capstone_drug: latent sickness, the rest of log clearance, PD noise and confidence limits may be negative
    **{("dosecourse.capstone_drug.TrueModel.clearance", name, "-1"): False for name in ("sickness", "eta")},
    **{("dosecourse.capstone_drug.TrueModel.clearance", name, "[-1]"): False for name in ("sickness", "eta")},
    ("dosecourse.capstone_drug.TrueModel.p_response", "sickness", "-1"): False,
    ("dosecourse.capstone_drug.TrueModel.p_response", "sickness", "[-1]"): False,
    **{("dosecourse.capstone_drug.Patients", name, "[-1]"): False for name in ("sickness", "eta", "z_pd")},
    ("dosecourse.capstone_drug.ERFit", "ci_low", "-1"): False,
    ("dosecourse.escalation.results.OperatingCharacteristics.summary", "correct", "3"): False,  # dose 3
    ("dosecourse.expansion.correct_dose", "correct", "3"): False,  # dose 3 of 3
    ("dosecourse.fih.Species", "key", "unknown name"): False,  # a species row may be any animal
    ("dosecourse.utility.attribute_label", "key", "unknown name"): False,  # free attribute names are shown as given
    ("dosecourse.dose_grid.BelowActiveSimulation.prob_at_least", "patients", "10**18"): False,  # P = 0
    ("dosecourse.utility.CUIResult", "doses", "None"): False,  # doses default to 1..K
    ("dosecourse.utility.ProbabilityBest", "doses", "None"): False,
    ("dosecourse.escalation.results.OperatingCharacteristics", "n_states", "10**18"): False,  # a reported size
    ("dosecourse.escalation.results.Summary", "se", "{}"): False,
    ("dosecourse.escalation.interval.Boundaries", "escalate", "[-1]"): False,  # -1: no count escalates
    ("dosecourse.escalation.decision.Decision", "fields", "{}"): False,  # a reason without placeholders
    ("dosecourse.mtd_paradigm.ParadigmComparison", "params", "{}"): False,  # the defaults
    ("dosecourse.utility.WeightGrid", "best", "[1.5]"): False,  # dose labels may be any value
    ("dosecourse.utility.WeightGrid", "reference_best", "'abc'"): False,
    ("dosecourse.utility.WeightGrid", "reference_best", "3"): False,
    # Parts III-IV
    ("dosecourse.dose_response.fit_model", "response", "[-1]"): False,  # a continuous response, fitted exactly
    ("dosecourse.dose_response.mvt_probability", "upper", "[-1]"): False,  # any real limits of integration
    ("dosecourse.dose_response.mvt_probability", "df", "inf"): False,  # the default: the normal distribution
    ("dosecourse.dose_response.critical_value", "df", "inf"): False,
    ("dosecourse.cytokine.CytokineResult.peak_between", "start", "-1"): False,  # clipped to the simulation
    ("dosecourse.poppk.concentrations", "times", "[-1]"): False,  # before the first dose: 0
    ("dosecourse.poppk.auc", "start", "-1"): False,
    ("dosecourse.poppk.Regimen.repeated", "start", "-1"): False,  # a first dose before the time origin
    ("dosecourse.poppk.PKParameters", "ka", "3"): False,  # a number applies to every subject
    ("dosecourse.poppk.PKParameters", "weight", "3"): False,
    ("dosecourse.poppk.individual_parameters", "covariates", "{}"): False,  # the reference covariates
    ("dosecourse.poppk.PopPKModel", "name", "unknown name"): False,  # a model's name is free text
    ("dosecourse.poppk.PopPKModel", "covariate_effects", "[]"): False,  # a model without covariates
    ("dosecourse.poppk.PopPKModel", "population", "{}"): False,  # no virtual-population recipe
    ("dosecourse.dossier.FictionalDrug", "name", "unknown name"): False,  # a drug's name is free text
    ("dosecourse.dossier.posterior_probability_best", "doses", "[-1]"): False,  # dose labels may be any value
    ("dosecourse.exposure_response.ERScenario", "weight_exponent_cl", "-1"): False,  # a (strange) allometry
    ("dosecourse.exposure_response.ERScenario", "weight_exponent_v", "-1"): False,
    ("dosecourse.exposure_response.fit_exposure_response", "caliper", "inf"): False,  # documented: no caliper
    ("dosecourse.dossier.LogisticER", "slope", "-1"): False,  # a falling exposure-response
    ("dosecourse.dose_response.ArmEstimates", "estimates", "[-1]"): False,  # logits of rates below 1/2
    ("dosecourse.dose_response.MCTPower", "df", "inf"): False,  # the normal approximation
    **{("dosecourse.seamless.SelectionBias", f, label): False  # a bias is a signed quantity
       for f, label in (("bias_stage1", "[-1]"), ("bias_pooled", "[-1]"), ("overall_stage1", "-1"),
                        ("overall_pooled", "-1"))},
    ("dosecourse.dose_response.MCPModSimulation", "selected", "[-1]"): False,  # -1: nothing was significant
    ("dosecourse.dose_response.MCPModSimulation", "dose_estimate", "[nan]"): False,  # documented: no estimate
    ("dosecourse.seamless.SimulatedOC", "bias_stage1", "-1"): False,  # a bias is a signed quantity
    ("dosecourse.seamless.SimulatedOC", "bias_pooled", "-1"): False,
    ("dosecourse.poppk.Exposure", "start", "-1"): False,  # an interval may start before the time origin
    ("dosecourse.poppk.VirtualPopulation", "model", "unknown name"): False,  # any model's name
    ("dosecourse.poppk.VirtualPopulation", "covariates", "{}"): False,  # a model without covariates
    ("dosecourse.poppk.VirtualPopulation", "etas", "[-1]"): False,  # random effects are signed
    **{("dosecourse.dose_comparison.NIResult", f, "-1"): False  # a rate difference and its z may be negative
       for f in ("estimate", "ci_lower", "ci_upper", "bound", "statistic")},
    **{("dosecourse.dose_comparison.NIResult", f, "inf"): False  # zero variance (e.g. 0 of 5 in both arms)
       for f in ("ci_lower", "ci_upper", "statistic")},
    ("dosecourse.poppk.ObservedConcentrations", "model", "unknown name"): False,  # any model's name
    # result classes: documented values and signed quantities
    ("dosecourse.cytokine.CytokineResult", "time_to_target_dose", "inf"): False,  # documented: never
    ("dosecourse.cytokine.CytokineResult", "time_to_target_exposure", "inf"): False,
    ("dosecourse.dose_comparison.Study211Check", "confirm", "[]"): False,  # nothing left to confirm
    ("dosecourse.dose_response.OptimalContrasts", "means", "[-1]"): False,  # means of a decreasing shape
    ("dosecourse.dose_response.MCTResult", "contrasts", "[-1]"): False,  # a contrast given by the user
    ("dosecourse.dose_response.MCTResult", "t_stats", "[-1]"): False,  # one-sided statistics are signed
    ("dosecourse.dose_response.MCTResult", "critical_value", "-1"): False,  # negative at a level above 1/2
    ("dosecourse.dose_response.MCTResult", "df", "inf"): False,  # the general approach
    ("dosecourse.dose_response.MCTResult", "estimates", "[-1]"): False,  # arm means or logits
    ("dosecourse.dose_response.DoseResponseFit", "coefs", "[-1]"): False,  # e0 and delta of a linear fit
    ("dosecourse.dose_response.DoseResponseFit", "estimates", "[-1]"): False,
    ("dosecourse.dose_response.MCPModBootstrap", "curves", "[-1]"): False,  # fitted mean responses
    ("dosecourse.dossier.DossierTrial", "inhibition", "[-1]"): False,  # observed with noise: may fall below 0
    ("dosecourse.dossier.ArmSummary", "inhibition", "[-1]"): False,
    ("dosecourse.exposure_response.ConfoundingCurve", "mean", "[-1]"): False,  # a slope is signed
    ("dosecourse.exposure_response.ConfoundingCurve", "truth", "-1"): False,
    ("dosecourse.exposure_response.ReplicateEstimates", "estimates", "[-1]"): False,
    ("dosecourse.exposure_response.ReplicateEstimates", "truth", "-1"): False,
    ("dosecourse.exposure_response.EREstimate", "ci_low", "-1"): False,  # a log odds ratio's interval
    ("dosecourse.exposure_response.EREstimate", "covariates", "[]"): False,  # the unadjusted analysis
    ("dosecourse.exposure_response.ERTrial", "sickness", "[-1]"): False,  # a standard normal latent variable
}
"""``(qualified name, parameter, bad label) -> must raise`` where the generic rule is wrong for one parameter."""

NAMES_IN_MESSAGE = {("dosecourse.fih.species_key", "name"): "species"}
"""Parameters whose errors name the argument the caller gives (``species_key(..., argument="species")``)."""

FREE_TEXT_OK = {"molecule", "reason", "scaling_reason", "message", "citation", "source", "drug", "trial",
                "design", "argument", "dose", "key"}
"""Text parameters that take any string."""


def _is_prob(name: str, valid: Any) -> bool:
    if not PROB.match(name):
        return False
    try:
        arr = np.asarray(valid, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.size > 0 and bool(np.all((arr >= 0) & (arr <= 1)))


def _kind(annotation: Any) -> str:
    text = str(annotation)
    for kind, words in (("float", ("MarginLike",)), ("bool", ("bool",)),
                        ("array", ("Sequence", "ndarray", "Iterable", "tuple", "list")),
                        ("mapping", ("Mapping", "dict")), ("int", ("int",)), ("float", ("float",)),
                        ("str", ("str",))):
        if any(text.startswith(w) or f"| {w}" in text for w in words):
            return kind
    return "object"


def bad_values(name: str, valid: Any, default: Any, annotation: Any, qualname: str = "") -> list[Bad]:
    """The bad values tried for parameter ``name`` of ``qualname``, whose valid value is ``valid``."""
    none_ok = (default is None or "None" in str(annotation) or name == "seed"
               or (valid is None and default is inspect.Parameter.empty))
    out: list[Bad] = [] if none_ok else [Bad("None", None, True)]
    if valid is None:
        kind = _kind(annotation)
    elif isinstance(valid, (bool, np.bool_)):
        kind = "bool"
    elif isinstance(valid, (int, np.integer)):
        kind = "int"
    elif isinstance(valid, (float, np.floating)):
        kind = "float"
    elif isinstance(valid, str):
        kind = "str"
    elif isinstance(valid, Mapping):
        kind = "mapping"
    elif isinstance(valid, (list, tuple, np.ndarray)):
        kind = "array"
    else:
        kind = "object"
    neg = name not in NEGATIVE_OK
    empty_ok = "np.ndarray" in str(annotation) and "float" in str(annotation) or (qualname, name) in EMPTY_OK
    if kind == "bool":
        out += [Bad("'abc'", "abc", True), Bad("1", 1, True)]
    elif kind == "int":
        out += [Bad("'abc'", "abc", True), Bad("1.5", 1.5, True), Bad("-1", -1, neg),
                Bad("10**18", 10**18, bool(SIZE.match(name)))]
        if SIZE.match(name):
            out.append(Bad("1e300", 1e300, True))
    elif kind == "float":
        out += [Bad("'abc'", "abc", True), Bad("nan", math.nan, True), Bad("inf", math.inf, True),
                Bad("-1", -1.0, neg)]
        if _is_prob(name, valid if valid is not None else 0.5) and (qualname, name) not in NOT_PROB:
            out.append(Bad("1.5", 1.5, True))
    elif kind == "str":
        if name in NAMES:
            out += [Bad("unknown name", "no-such-name", True), Bad("3", 3, True)]
        else:
            out += [Bad("3", 3, name not in FREE_TEXT_OK)]
    elif kind == "array":
        sample = valid if valid is not None else [1.0, 2.0]
        arr = np.asarray(sample, dtype=object)
        flat = [v for v in np.ravel(arr)]
        numeric = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                      for v in flat)
        out += [Bad("'abc'", "abc", True), Bad("[]", [], not empty_ok)]
        if numeric and flat:
            shape = np.shape(sample)
            whole = all(isinstance(v, (int, np.integer)) for v in flat)
            out += [Bad("[nan]", np.full(shape, np.nan).tolist(), True)]
            if np.ndim(sample) == 1:
                out.append(Bad("one value too many", list(sample) + [list(sample)[-1]], False))
            out.append(Bad("[-1]", np.full(shape, -1 if whole else -1.0).tolist(), neg))
            if whole:
                out.append(Bad("[1.5]", np.full(shape, 1.5).tolist(), True))
            elif _is_prob(name, sample) and (qualname, name) not in NOT_PROB:
                out.append(Bad("[1.5]", np.full(shape, 1.5).tolist(), True))
    elif kind == "mapping":
        out += [Bad("'abc'", "abc", True)]
        if valid:
            first = next(iter(valid))
            out += [Bad("{}", {}, True), Bad("unknown key", {**valid, "no-such-name": valid[first]}, False)]
            if isinstance(valid[first], (int, float)) and not isinstance(valid[first], bool):
                out.append(Bad("nan value", {**valid, first: math.nan}, True))
    else:
        out += [Bad("'abc'", "abc", True), Bad("3", 3, True)]
    return [Bad(b.label, b.value, MAY_BE_VALID.get((qualname, name, b.label), b.must_raise)) for b in out]


# ---------------------------------------------------------------------------------------------- sanity, timing
DOCUMENTED_NAN = {"IntervalSummary": {"width", "estimate", "coverage"},
                  "MCPModSimulation": {"dose_estimate"},  # nothing significant, or the fit never crossed
                  "ReplicateEstimates": {"estimates", "se"}}  # exactly where converged is False (checked)
"""Result fields documented as NaN where the value is undefined (no trial treated the dose)."""

COUNT_FIELDS = re.compile(r"^(n|y|patients|dlts|responses|total_n|treated|n_.*|levels_below|patients_below|"
                          r"counts)$")
PROB_FIELDS = re.compile(r"^(p_.*|prob.*|probability|probabilities|selection|no_selection|pcs|acceptable|"
                         r"select_.*|coverage|occupancy|pcs_curve)$")


PERCENT_FIELDS = {"CombOperatingCharacteristics": {"selection", "no_selection"}}
"""Result fields given in percent (0-100) rather than as probabilities."""


def insane(result: Any, depth: int = 0) -> str | None:
    """Why ``result`` is not a sane value (NaN, a negative count, a probability outside [0, 1]), or None."""
    if depth > 3 or result is None or isinstance(result, (str, bool)):
        return None
    if isinstance(result, (float, np.floating)):
        return "NaN" if math.isnan(result) else None
    if isinstance(result, np.ndarray):
        if result.dtype.kind == "f" and np.isnan(result).any():
            return "NaN in an array"
        return None
    if isinstance(result, pd.DataFrame):
        return None  # tables for display: an empty cell (e.g. no boundary yet at 1 patient) is shown blank
    if isinstance(result, (list, tuple)):
        for item in list(result)[:50]:
            why = insane(item, depth + 1)
            if why:
                return why
        return None
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, (int, float, np.ndarray, np.number)) and not isinstance(value, bool):
                arr = np.asarray(value)
                if arr.dtype.kind in "fiu":
                    if (arr.dtype.kind == "f" and np.isnan(arr).any()
                            and f.name not in DOCUMENTED_NAN.get(type(result).__name__, ())):
                        return f"NaN in {f.name}"
                    if COUNT_FIELDS.match(f.name) and (arr < 0).any():
                        return f"negative count in {f.name}"
                    top = 100.0 if f.name in PERCENT_FIELDS.get(type(result).__name__, ()) else 1.0
                    if PROB_FIELDS.match(f.name) and ((arr < 0) | (arr > top * (1 + 1e-12))).any():
                        return f"probability outside [0, 1] in {f.name}"
            else:
                why = insane(value, depth + 1)
                if why:
                    return f"{f.name}: {why}"
    return None


class Hang(BaseException):
    """A call ran past :data:`TIME_LIMIT` (a BaseException, so that no ``except Exception`` swallows it)."""


def _alarm(signum, frame):
    raise Hang


def timed(func: Callable, kwargs: dict) -> Any:
    """``func(**kwargs)``, raising :class:`Hang` past :data:`TIME_LIMIT` seconds."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return func(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------- the contract
def _parameters(func: Callable, kwargs: dict) -> list[tuple[str, Any, Any, Any]]:
    """``(name, valid value, default, annotation)`` of every parameter of ``func`` to try."""
    target = func.__init__ if inspect.isclass(func) and issubclass(func, BaseException) else func
    sig = inspect.signature(target)
    out = []
    for p in sig.parameters.values():
        if p.name == "self" or p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            out += [(k, v, inspect.Parameter.empty, "") for k, v in kwargs.items() if k not in sig.parameters]
            continue
        valid = kwargs.get(p.name, p.default)
        if valid is inspect.Parameter.empty:
            continue
        out.append((p.name, valid, p.default, p.annotation))
    return out


def cases(qualname: str) -> list[tuple[str, Bad]]:
    """Every ``(parameter, bad value)`` tried on ``qualname``."""
    func, kwargs = VALID[qualname]()
    found = [(name, bad) for name, valid, default, ann in _parameters(func, kwargs)
             for bad in bad_values(name, valid, default, ann, qualname)]
    found += [(name, Bad(label, value, must)) for name, label, value, must in EXTRA.get(qualname, [])]
    return found


HANDLED: tuple[str, ...] = ("clear error", "sane result")
"""Outcomes of :func:`run_case` that pass: the rest (``no error``, ``unclear error``, ``hang``) are failures."""


def run_case(func: Callable, kwargs: dict, name: str, bad: Bad, qualname: str = "") -> tuple[str, str]:
    """``(category, detail)`` of one bad value.

    Categories: ``clear error`` (ValueError or TypeError naming the parameter), ``sane result`` (a value that is
    only possibly bad accepted with a sane result), and the failures ``no error`` (accepted with a sane result
    although it must raise, or accepted with a NaN, a negative count or a probability outside [0, 1]), ``unclear
    error`` (another exception, or a message that does not name the parameter) and ``hang``.
    """
    call = {**kwargs, name: bad.value}
    name = NAMES_IN_MESSAGE.get((qualname, name), name)
    try:
        result = timed(func, call)
    except Hang:
        return "hang", f"ran over {TIME_LIMIT:g} s"
    except (ValueError, TypeError) as exc:
        # a length mismatch may be reported against the other array of the pair
        named = name in str(exc) or (bad.label in ("one value too many", "unknown key")
                                     and any(k in str(exc) for k in kwargs))
        if not named and bad.label in ("[]", "one value too many") and dataclasses.is_dataclass(func):
            named = any(k in str(exc) for k in kwargs)
        if not named:
            return "unclear error", f"{type(exc).__name__}: {str(exc)[:150]} (does not name {name})"
        return "clear error", f"{type(exc).__name__}: {str(exc)[:150]}"
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure being reported
        return "unclear error", f"{type(exc).__name__}: {str(exc)[:150]}"
    why = insane(result)
    if why:
        return "no error", f"accepted, returning nonsense: {why}"
    if bad.must_raise:
        return "no error", f"accepted silently, returning {type(result).__name__}"
    return "sane result", f"returning {type(result).__name__}"


def outcomes(qualname: str) -> list[tuple[str, Bad, str, str]]:
    """``(parameter, bad value, category, detail)`` of every case of ``qualname`` (:func:`run_case`)."""
    func, kwargs = VALID[qualname]()
    try:
        result = timed(func, kwargs)
    except NotImplementedError:
        return []  # a verb this design does not have (e.g. exact(), decision_table()): refused clearly
    assert insane(result) is None, f"{qualname}: the valid call returns nonsense: {insane(result)}"
    found = []
    for name, bad in cases(qualname):
        func, kwargs = VALID[qualname]()  # fresh objects: a bad call must not spoil the next one
        found.append((name, bad, *run_case(func, kwargs, name, bad, qualname)))
    return found


def check(qualname: str) -> list[str]:
    """The failures of ``qualname`` (an empty list when every bad value is handled)."""
    return [f"{name}={bad.label}: {category}: {detail}" for name, bad, category, detail in outcomes(qualname)
            if category not in HANDLED]


def tally() -> dict[str, int]:
    """How many of all the contract's bad-input cases end in each :func:`run_case` category (issue 14's tally)."""
    counts = dict.fromkeys(HANDLED + ("unclear error", "no error", "hang"), 0)
    for qualname in sorted(VALID):
        for _name, _bad, category, _detail in outcomes(qualname):
            counts[category] += 1
    return counts


def _group(qualname: str) -> str:
    parts = qualname.split(".")
    return parts[2] if parts[1] == "escalation" else parts[1]


def _enumerated() -> list[str]:
    return sorted(name for name, obj in objects()
                  if not isinstance(obj, property) and any(name.startswith(m + ".") for m in COVERED)
                  and not any(name.startswith(m + ".") for m in EXCLUDED))


def test_every_public_callable_has_a_valid_call():
    missing = [name for name in _enumerated() if name not in VALID and name not in INHERITED | ABSTRACT]
    assert not missing, f"public callables without a valid call in VALID: {missing}"
    stale = [name for name in VALID if name not in set(_enumerated()) and name.rsplit(".", 1)[1] not in VERBS]
    assert not stale, f"VALID names callables that no longer exist: {stale}"


def _contract_test(names: list[str]) -> Callable:
    @pytest.mark.parametrize("qualname", names)
    def test_bad_input(self, qualname):
        failures = check(qualname)
        assert not failures, f"{qualname}:\n  " + "\n  ".join(failures)

    return test_bad_input


# one test class per module, so that pytest-xdist's --dist loadscope spreads them over the workers
for _g in sorted({_group(q) for q in VALID}):
    _names = sorted(q for q in VALID if _group(q) == _g)
    _cls = f"TestBadInput_{_g}"
    globals()[_cls] = type(_cls, (), {"test_bad_input": _contract_test(_names)})


if __name__ == "__main__":  # python tests/test_bad_input.py: the tally over every case
    _counts = tally()
    print(f"{len(VALID)} callables, {sum(_counts.values())} bad-input cases")
    for _category, _n in _counts.items():
        print(f"  {_category}: {_n}")
