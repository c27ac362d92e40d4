"""Accelerated titration (Simon et al. 1997), reduced to DLT data: single patients, then the 3+3.

Simon et al.'s designs 2-4 treat one patient per dose level while no dose-limiting toxicity (DLT) or
moderate toxicity is seen, with intrapatient escalation and, in designs 3-4, doubling dose steps; at the first
DLT (designs 2-4) or the first (design 4) or second (designs 2-3) grade 2 toxicity they revert to the standard
three-to-six patient cohorts.  Here only DLTs are modelled (no grade 2 trigger, no intrapatient escalation)
and the dose levels are fixed: the accelerated phase moves up one level per patient, so the levels should be
spaced as the accelerated phase intends (doubling in design 4).  Ignoring the grade 2 trigger keeps the
accelerated phase as long as it can be, the fastest version of the design.

References
----------
Simon R, Freidlin B, Rubinstein L, Arbuck SG, Collins J, Christian MC. Accelerated titration designs for
phase I clinical trials in oncology. J Natl Cancer Inst. 1997;89(15):1138-1147. doi:10.1093/jnci/89.15.1138
"""

from __future__ import annotations

import numpy as np

from ..i18n import t
from .data import TrialData
from .decision import Decision
from .three_plus_three import ThreePlusThree, _decision_from_codes, _decision_rows, _rule

# Reason codes of the accelerated phase, after the 3+3 codes of three_plus_three._REASONS.
ACCELERATE, SWITCH_DLT, SWITCH_TOP = 100, 101, 102
_KEYS = {ACCELERATE: "atd_accelerate", SWITCH_DLT: "atd_switch_dlt", SWITCH_TOP: "atd_switch_top"}


def _cohort_size(n: np.ndarray, y: np.ndarray, dose: np.ndarray) -> np.ndarray:
    """Size of the cohort that goes to ``dose``: 1 in the accelerated phase (no DLT yet, every dose with at
    most one patient, ``dose`` untried), otherwise enough to bring the dose to 3 patients, or 3."""
    rows = np.arange(n.shape[0])
    at_dose = n[rows, dose - 1]
    accelerated = (y.sum(axis=1) == 0) & (n.max(axis=1) <= 1) & (at_dose == 0)
    return np.where(accelerated, 1, np.where(at_dose < 3, 3 - at_dose, 3))


class AcceleratedTitration(ThreePlusThree):
    """Accelerated titration design (Simon et al. 1997, designs 2-4) reduced to DLT data.

    Parameters
    ----------
    n_doses : int
        Number of dose levels K.
    start_dose : int
        Dose (1..K) of the first patient.
    variant : {"six-at-mtd", "escalation-only"}
        The 3+3 used after the accelerated phase (see :class:`~dosecourse.escalation.ThreePlusThree`).  The
        default is the 3+3's default, "six-at-mtd" (the 3+3 as protocols write it): the declared MTD has six
        patients, which matters here because doses passed in the accelerated phase have a single patient.  With
        "escalation-only" the dose below the first too-toxic dose is the MTD even with that single patient.

    Raises
    ------
    ValueError
        On an unknown variant or a start dose outside 1..K.

    Notes
    -----
    Accelerated phase: one patient per cohort; without a DLT the next patient receives the next dose level.
    At the first DLT, or after the single patient at the highest dose, the accelerated phase ends: that dose is
    completed to three patients (two more) and the 3+3 rules take over, counting the accelerated patient.  A
    dose with a single patient that the 3+3 phase returns to is first completed to three.  At most six patients
    receive any dose.  For one dose level the probability that it is declared the MTD is the 3+3's, of the same
    variant: the accelerated patient and the two added make the first cohort of three, so it is
    :math:`(1 - p)^3 + 3p(1 - p)^5` escalation-only and :math:`(1 - p)^6 + 6p(1 - p)^5` (at most one DLT in six)
    with six at the MTD.

    Not modelled: the end of the accelerated phase at grade 2 toxicity, intrapatient dose escalation, and the
    40% dose steps after the accelerated phase in designs 3-4.

    References
    ----------
    Simon R, Freidlin B, Rubinstein L, Arbuck SG, Collins J, Christian MC. J Natl Cancer Inst.
    1997;89(15):1138-1147. doi:10.1093/jnci/89.15.1138

    Examples
    --------
    >>> design = AcceleratedTitration(n_doses=5)
    >>> print(design.next_dose("1N 2T"))  # doctest: +NORMALIZE_WHITESPACE
    dose 2 (DLT in the single patient at dose 2: the accelerated phase ends; add 2 patients at dose 2 to
    complete a cohort of 3, then follow the 3+3 rules)
    """

    name = "Accelerated titration"
    protocol_reference = "protocol_ref_atd"
    name_label = "design_atd"
    first_cohort_size = 1
    cohorts_per_dose = 3  # the single patient, the two that complete three, three more
    describe_keys = ("atd_describe", "atd_describe_six_at_mtd", "atd_describe_end")
    decides_at = (1, 3, 6)

    def __init__(self, n_doses: int, *, start_dose: int = 1, variant: str = "six-at-mtd") -> None:
        super().__init__(n_doses, start_dose=start_dose, variant=variant)

    @property
    def max_n(self) -> int:
        """Maximum sample size: six patients per dose."""
        return 6 * self.n_doses

    def _cohort_size(self, data: TrialData, dose: int) -> int:
        """Patients in the cohort that receives ``dose`` next: 1 in the accelerated phase, else enough for 3."""
        return int(_cohort_size(data.n[None, :], data.y[None, :], np.array([dose]))[0])

    def _step(self, n: np.ndarray, y: np.ndarray, dose: np.ndarray) -> tuple[np.ndarray, ...]:
        rows = np.arange(n.shape[0])
        nd, yd = n[rows, dose - 1], y[rows, dose - 1]
        next_dose, mtd, code = _rule(n, y, dose, self.variant == "six-at-mtd")
        single = nd < 3  # only right after an accelerated-phase patient
        code = np.select([single & (yd > 0), single & (dose == self.n_doses), single],
                         [SWITCH_DLT, SWITCH_TOP, ACCELERATE], default=code)
        next_dose = np.where(code == ACCELERATE, dose + 1, np.where(single, dose, next_dose))
        mtd = np.where(single, 0, mtd)
        size = _cohort_size(n, y, np.maximum(next_dose, 1))
        return next_dose, mtd, size, code

    def _next_dose(self, data: TrialData) -> Decision:
        """The decision after a cohort (the counts determine the rule).

        Raises
        ------
        ValueError
            Unless the current dose has 1 (accelerated phase), 3 or 6 patients.
        """
        nxt, mtd, size, code = self._decide(data)
        current = data.current
        nd, yd = int(data.n[current - 1]), int(data.y[current - 1])
        if code in _KEYS:
            fields = {"dose": current, "n": nd, "dlts": yd, "next": nxt, "add": size}
            return Decision("escalate" if code == ACCELERATE else "stay", nxt, _KEYS[code], fields)
        return _decision_from_codes(nxt, mtd, code, current, nd, yd, add=size if nxt else None)

    def _table_rows(self, lang: str) -> list[tuple[str, str]]:
        rows = [("0/1", t("atd_table_single_none", lang)), ("1/1", t("atd_table_single_dlt", lang))]
        return rows + _decision_rows(self.variant == "six-at-mtd", lang)
