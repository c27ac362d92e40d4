"""Dose-escalation designs: plan, conduct and evaluate a phase I trial.

``from dosecourse import escalation as esc``.  Doses are numbered 1..K everywhere a dose is named; arrays per
dose are ordered dose 1 first.  See :mod:`dosecourse.escalation.design` for the shared interface.
"""

from .accelerated_titration import AcceleratedTitration
from .bfboin import BFBOIN
from .boin import BOIN, boin_boundaries
from .boin12 import BOIN12, count_outcomes
from .crm import CRM, CRMPosterior, crm_posterior, crm_skeleton
from .decision import Decision
from .design import Design, simulate
from .interval import IntervalDesign
from .keyboard import Keyboard
from .mtd_selection import select_mtd, select_mtd_many
from .mtpi import MTPI
from .mtpi2 import MTPI2
from .oc import OperatingCharacteristics
from .outcomes import Cohort, parse_outcomes, tally
from .three_plus_three import ThreePlusThree

__all__ = ["AcceleratedTitration", "BFBOIN", "BOIN", "BOIN12", "CRM", "CRMPosterior", "Cohort", "Decision",
           "Design", "IntervalDesign", "Keyboard", "MTPI", "MTPI2", "OperatingCharacteristics", "ThreePlusThree",
           "boin_boundaries", "count_outcomes", "crm_posterior", "crm_skeleton", "parse_outcomes", "select_mtd",
           "select_mtd_many", "simulate", "tally"]
