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
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t
from .decision import Decision
from .three_plus_three import ThreePlusThree, decision_from_codes, decision_rows, rule

# Reason codes of the accelerated phase, after the 3+3 codes of three_plus_three.REASONS.
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
    variant : {"de-escalation", "escalation-only"}
        The 3+3 used after the accelerated phase (see :class:`~dosecourse.escalation.ThreePlusThree`).  The
        default, "de-escalation", completes the dose below a too-toxic dose to six patients before declaring
        it the MTD, which matters here because doses passed in the accelerated phase have a single patient.

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
    receive any dose.  For one dose level the probability that it is declared tolerable is the 3+3's
    :math:`(1 - p)^3 + 3p(1 - p)^5`: the accelerated patient and the two added make the first cohort of three.

    Not modelled: the end of the accelerated phase at grade 2 toxicity, intrapatient dose escalation, and the
    40% dose steps after the accelerated phase in designs 3-4.

    References
    ----------
    Simon R, Freidlin B, Rubinstein L, Arbuck SG, Collins J, Christian MC. J Natl Cancer Inst.
    1997;89(15):1138-1147. doi:10.1093/jnci/89.15.1138

    Examples
    --------
    >>> design = AcceleratedTitration(n_doses=5)
    >>> decision = design.next_dose(n=[1, 1, 0, 0, 0], y=[0, 1, 0, 0, 0], current=2)
    >>> print(decision)  # doctest: +NORMALIZE_WHITESPACE
    dose 2 (DLT in the single patient at dose 2: the accelerated phase ends; add 2 patients at dose 2 to
    complete a cohort of 3, then follow the 3+3 rules)
    """

    name = "Accelerated titration"
    first_cohort_size = 1
    cohorts_per_dose = 3  # the single patient, the two that complete three, three more
    describe_keys = ("atd_describe", "atd_describe_deescalation", "atd_describe_end")

    def __init__(self, n_doses: int, start_dose: int = 1, variant: str = "de-escalation") -> None:
        super().__init__(n_doses, start_dose=start_dose, variant=variant)

    @property
    def max_n(self) -> int:
        """Maximum sample size: six patients per dose."""
        return 6 * self.n_doses

    def next_cohort_size(self, n, y, dose: int) -> int:
        """Number of patients in the cohort that receives ``dose`` next, given the data so far."""
        n, y = _validate.counts(n, y, self.n_doses)
        dose = _validate.dose(dose, self.n_doses, "dose")
        return int(_cohort_size(n[None, :], y[None, :], np.array([dose]))[0])

    def _step(self, n: np.ndarray, y: np.ndarray, dose: np.ndarray) -> tuple[np.ndarray, ...]:
        rows = np.arange(n.shape[0])
        nd, yd = n[rows, dose - 1], y[rows, dose - 1]
        next_dose, mtd, code = rule(n, y, dose, self.variant == "de-escalation")
        single = nd < 3  # only right after an accelerated-phase patient
        code = np.select([single & (yd > 0), single & (dose == self.n_doses), single],
                         [SWITCH_DLT, SWITCH_TOP, ACCELERATE], default=code)
        next_dose = np.where(code == ACCELERATE, dose + 1, np.where(single, dose, next_dose))
        mtd = np.where(single, 0, mtd)
        size = _cohort_size(n, y, np.maximum(next_dose, 1))
        return next_dose, mtd, size, code

    def next_dose(self, n, y, current: int, last_cohort: tuple[int, int] | None = None) -> Decision:
        """The decision after a cohort (``last_cohort`` is not needed: the counts determine the rule).

        Raises
        ------
        ValueError
            Unless the current dose has 1 (accelerated phase), 3 or 6 patients.
        """
        n, y = _validate.counts(n, y, self.n_doses)
        current = _validate.dose(current, self.n_doses)
        nd, yd = int(n[current - 1]), int(y[current - 1])
        if nd not in (1, 3, 6):
            raise ValueError(f"accelerated titration decides after 1 (accelerated phase), 3 or 6 patients at the "
                             f"current dose; got n={nd} at dose {current}")
        nxt, mtd, size, code = (int(a[0]) for a in self._step(n[None, :], y[None, :], np.array([current])))
        if code in _KEYS:
            fields = {"dose": current, "n": nd, "dlts": yd, "next": nxt, "add": size}
            return Decision("escalate" if code == ACCELERATE else "stay", nxt, _KEYS[code], fields)
        return decision_from_codes(nxt, mtd, code, current, nd, yd, add=size if nxt else None)

    def pathways(self, n_cohorts: int = 2, n=None, y=None, current: int | None = None,
                 lang: str = "en") -> pd.DataFrame:
        """Dose transition pathways, as :meth:`Design.pathways`, with this design's varying cohort sizes."""
        lang = check_lang(lang)
        depth = _validate.positive_int(n_cohorts, "n_cohorts")
        k = self.n_doses
        if n is None and y is None:
            n0, y0 = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
            dose0 = self.start_dose if current is None else _validate.dose(current, k)
        else:
            n0, y0 = _validate.counts(n, y, k)
            if current is None:
                raise ValueError("current must be given with n and y: the dose the last cohort received")
            dose0 = self.next_dose(n0, y0, _validate.dose(current, k)).dose
            if dose0 is None:
                raise ValueError("the trial has already stopped on these data; there is no pathway to show")
        rows: list[dict] = []

        def walk(nn: np.ndarray, yy: np.ndarray, dose: int, i: int, row: dict) -> None:
            size = self.next_cohort_size(nn, yy, dose)
            for dlts in range(size + 1):
                n2, y2 = nn.copy(), yy.copy()
                n2[dose - 1] += size
                y2[dose - 1] += dlts
                decision = self.next_dose(n2, y2, dose)
                r = {**row, t("pathway_cohort_dose", lang, i=i): dose,
                     t("pathway_cohort_dlts", lang, i=i): f"{dlts}/{size}",
                     t("pathway_next", lang, i=i): (t("pathway_stop", lang) if decision.dose is None
                                                    else decision.dose)}
                if decision.dose is None or i == depth:
                    rows.append(r)
                else:
                    walk(n2, y2, decision.dose, i + 1, r)

        walk(n0, y0, dose0, 1, {})
        return pd.DataFrame(rows, dtype=object).fillna("")

    def decision_table(self, max_n: int | None = None, lang: str = "en") -> pd.DataFrame:
        """The rule as a table: the accelerated phase's single patient, then the 3+3 (``max_n``: None or 6)."""
        lang = check_lang(lang)
        if max_n not in (None, 6):
            raise ValueError(f"this design decides only at 1, 3 and 6 patients; max_n must be None or 6, "
                             f"got {max_n!r}")
        rows = [("0/1", t("atd_table_single_none", lang)), ("1/1", t("atd_table_single_dlt", lang))]
        rows += decision_rows(self.variant == "de-escalation", lang)
        return pd.DataFrame(rows, columns=[t("tpt_col_outcome", lang), t("tpt_col_decision", lang)])

