"""Dose-escalation designs: plan, conduct and evaluate a phase I trial.

``from dosecourse import escalation as esc``.  Doses are numbered 1..K everywhere a dose is named; arrays per
dose are ordered dose 1 first.  See :mod:`dosecourse.escalation.design` for the shared interface.
"""

from .boin import boin_boundaries
from .decision import Decision
from .design import Design, simulate
from .mtd_selection import select_mtd
from .oc import OperatingCharacteristics
from .outcomes import Cohort, parse_outcomes, tally

__all__ = ["Cohort", "Decision", "Design", "OperatingCharacteristics", "boin_boundaries", "parse_outcomes",
           "select_mtd", "simulate", "tally"]
