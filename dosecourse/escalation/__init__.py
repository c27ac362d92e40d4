"""Dose-escalation designs: plan, conduct and evaluate a phase I trial.

``from dosecourse import escalation as esc``.  Every design follows one contract
(:class:`~dosecourse.escalation.design.Design`): ``next_dose(data)``, ``select(data)``, ``decision_table()``,
``pathways()``, ``describe(lang)``, ``simulate(true_tox)`` (per-trial results), ``exact(true_tox)`` where the
design allows it, and ``operating_characteristics(true_tox, method="auto")``.  The trial's data are one
:class:`TrialData` object (or an outcome string such as ``"1NNN 2NTN"``).  Doses are numbered 1..K everywhere a
dose is named, arrays per dose are ordered dose 1 first, and :data:`NO_DOSE` (0) means no dose.
"""

from .accelerated_titration import AcceleratedTitration
from .bfboin import BFBOIN, weibull_dlt_times
from .blrm import BLRM
from .boin import BOIN, boin_boundaries
from .boin12 import BOIN12, joint_probabilities
from .boin_comb import BOINComb, CombOperatingCharacteristics
from .crm import CRM, CRMPosterior, crm_posterior, crm_skeleton
from .data import NO_DOSE, OUTCOMES, Cohort, TrialData, parse_outcomes
from .decision import Decision
from .design import METHODS, Design
from .factory import DESIGNS, design_label, make_design
from .interval import IntervalDesign
from .keyboard import Keyboard
from .move_probabilities import MoveProbabilities, boin_move_probabilities, three_plus_three_escalation
from .mtd_selection import overdose_probability, select_mtd, select_mtd_many
from .mtpi import MTPI
from .mtpi2 import MTPI2
from .results import OperatingCharacteristics, Summary, Trials
from .scenarios import acceptable_doses, check_scenario, correct_doses, monotonicity_violations, overdose_doses
from .three_plus_three import ThreePlusThree
from .tite import DurationComparison, TITEData, compare_waiting
from .tite_boin import TITEBOIN
from .tite_crm import TITECRM, tite_crm_posterior

__all__ = ["AcceleratedTitration", "BFBOIN", "BLRM", "BOIN", "BOIN12", "BOINComb", "CRM", "CRMPosterior", "Cohort",
           "CombOperatingCharacteristics", "DESIGNS", "Decision", "Design", "DurationComparison", "IntervalDesign",
           "Keyboard", "METHODS", "MTPI", "MTPI2", "MoveProbabilities", "NO_DOSE", "OUTCOMES",
           "OperatingCharacteristics", "Summary", "TITEBOIN", "TITECRM", "TITEData", "ThreePlusThree", "TrialData",
           "Trials", "acceptable_doses", "boin_boundaries", "boin_move_probabilities", "check_scenario",
           "compare_waiting", "correct_doses", "crm_posterior", "crm_skeleton", "design_label", "joint_probabilities",
           "make_design", "monotonicity_violations", "overdose_doses", "overdose_probability", "parse_outcomes",
           "select_mtd", "select_mtd_many", "three_plus_three_escalation", "tite_crm_posterior", "weibull_dlt_times"]
