r"""Published randomized dose comparisons in oncology, as data, and what the selection rule would do with them.

Each case is a trial that randomized patients between two or three doses of one drug.  The numbers are those
reported in the cited source (checked against it, see each entry's notes); every case records which dose was
carried forward.  The helpers treat the observed response rates *as if they were the true rates* and ask a
design question: with the "lower dose unless a higher one beats it by more than a margin" rule of
:mod:`dosecourse.expansion`, how often would a trial with ``n`` patients per arm pick each dose?  All
probabilities are exact (binomial enumeration in :func:`dosecourse.expansion.selection_probabilities`); nothing
is re-implemented here.

Cases (lowest dose first)
-------------------------
``trastuzumab_deruxtecan``
    DESTINY-Lung02 (Goto et al. 2023): HER2-mutant metastatic NSCLC, blinded, randomized 2:1 to 5.4 or
    6.4 mg/kg every 3 weeks (102 / 50 patients).  Confirmed ORR by blinded independent central review 49.0% vs
    56.0% [verified in the JCO abstract / sponsor release of the primary analysis].  Adjudicated drug-related
    ILD 12.9% vs 28.0% (safety set 101 / 50) [as reported by Goto et al.; not confirmed from the primary text
    by the search tool].  The label carries only 5.4 mg/kg, "due to increased toxicity observed with the
    higher dose ... including ILD/pneumonitis" [verified, prescribing information summary].
``sonidegib``
    BOLT (FDA approval summary, Casey et al. 2017): advanced basal cell carcinoma, double-blind, randomized
    2:1 to 800 or 200 mg daily.  ORR in locally advanced BCC 58% at 200 mg (n = 66) and 44% at 800 mg
    [verified]; the 800 mg laBCC count, 128, is 194 laBCC patients minus 66 [calc].  Approved at 200 mg.
``lenvatinib``
    Study 211 (Brose et al. 2022): radioiodine-refractory differentiated thyroid cancer, double-blind,
    randomized to 18 or 24 mg daily.  ORR by week 24 40.3% vs 57.3%, odds ratio 0.50 (95% CI 0.26-0.96),
    against a non-inferiority margin of 0.4 on the odds ratio: non-inferiority of 18 mg not shown.  Grade >= 3
    TEAEs by week 24 57.1% vs 61.3% [verified, PubMed abstract].  Arm sizes 77 / 75 as reported in the
    study's quality-of-life analysis [verified]; 31/77 = 40.3% and 43/75 = 57.3% [calc].  The approved 24 mg
    starting dose stands: the lower dose was not enough.
``ponatinib``
    OPTIC (Cortes et al. 2021): chronic-phase CML resistant to >= 2 TKIs or with T315I, randomized 1:1:1 to
    15, 30 or 45 mg daily (94 treated per arm), 30 and 45 mg reduced to 15 mg at response.  BCR-ABL1^IS <= 1%
    at 12 months 23.1% / 29.0% / 44.1%; grade >= 3 arterial occlusive events in 3 / 5 / 5 patients
    [verified, Blood abstract].  The 45 mg start reduced to 15 mg at response gave the best benefit/risk.

Sotorasib (:data:`SOTORASIB`) is kept apart: the accelerated approval at 960 mg rested on one dose (ORR 36%,
n = 124, CodeBreaK 100) while escalation cohorts at 180-960 mg had ORRs of 25-50%, and FDA required a
960 mg vs 240 mg comparison after approval (Nakajima et al. 2022) [verified, FDA approval summary, its
Table 4 and abstract].

References
----------
Goto K, et al. J Clin Oncol. 2023;41(31):4852-4863. doi:10.1200/JCO.23.01361 (PMID 37694347).
Casey D, et al. FDA Approval Summary: Sonidegib. Clin Cancer Res. 2017;23(10):2377-2381.
doi:10.1158/1078-0432.CCR-16-2051 (PMID 28073840).
Brose MS, et al. J Clin Endocrinol Metab. 2022;107(3):776-787. doi:10.1210/clinem/dgab731 (PMID 34664662).
Cortes JE, et al. Ponatinib dose-ranging study in chronic-phase CML. Blood. 2021;138(21):2042-2050.
FDA approval summary: sotorasib. Clin Cancer Res. 2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import expansion
from .expansion import LOWEST_WITHIN_MARGIN, MarginLike, SelectionSampleSize
from .i18n import check_lang, t


@dataclass(frozen=True)
class Arm:
    """One randomized arm as reported.

    Attributes
    ----------
    dose : str
        Dose as printed in the source (``"5.4 mg/kg"``).
    n : int
        Patients in the arm's efficacy analysis.
    response_rate : float
        Reported rate of the case's efficacy end point, as a proportion.
    safety_rate : float or None
        Reported rate of the case's key safety end point, or None when none is recorded.
    safety_n : int or None
        Patients in the safety analysis when it differs from ``n``.
    safety_count : int or None
        Patients with the safety event, when the source reports a count.
    """

    dose: str
    n: int
    response_rate: float
    safety_rate: float | None = None
    safety_n: int | None = None
    safety_count: int | None = None


@dataclass(frozen=True)
class PublishedCase:
    """A published randomized comparison of two or three doses (arms lowest dose first).

    Attributes
    ----------
    key : str
        Identifier used by :func:`case` (the drug, lowercase with underscores).
    drug, trial : str
        Names as printed in the source.
    arms : tuple of Arm
        The randomized arms, lowest dose first.
    carried_forward : int
        Dose (1..K) that was approved or carried forward.
    citation : str
        Bibliography key in ``book/references.bib``.
    verified : bool
        True when every number in the entry was checked against the source; False when one (named in the
        module docstring) is only as reported.
    """

    key: str
    drug: str
    trial: str
    arms: tuple[Arm, ...]
    carried_forward: int
    citation: str
    verified: bool

    @property
    def doses(self) -> tuple[str, ...]:
        """Dose labels, lowest first."""
        return tuple(a.dose for a in self.arms)

    @property
    def rates(self) -> tuple[float, ...]:
        """Reported efficacy rates, lowest dose first."""
        return tuple(a.response_rate for a in self.arms)

    @property
    def n_per_arm(self) -> tuple[int, ...]:
        """Patients per arm in the efficacy analysis, lowest dose first."""
        return tuple(a.n for a in self.arms)

    @property
    def safety_rates(self) -> tuple[float, ...] | None:
        """Reported safety rates, lowest dose first, or None if the case records none."""
        if any(a.safety_rate is None for a in self.arms):
            return None
        return tuple(a.safety_rate for a in self.arms)

    def endpoint(self, lang: str = "en") -> str:
        """The efficacy end point, in ``lang``."""
        return t(f"rdc_{self.key}_endpoint", lang)

    def safety_endpoint(self, lang: str = "en") -> str | None:
        """The key safety end point, in ``lang`` (None if the case records none)."""
        return None if self.safety_rates is None else t(f"rdc_{self.key}_safety", lang)

    def outcome(self, lang: str = "en") -> str:
        """What was done with the doses, in ``lang``."""
        return t(f"rdc_{self.key}_outcome", lang)


CASES: dict[str, PublishedCase] = {
    "trastuzumab_deruxtecan": PublishedCase(
        key="trastuzumab_deruxtecan", drug="trastuzumab deruxtecan", trial="DESTINY-Lung02",
        arms=(Arm("5.4 mg/kg", 102, 0.490, safety_rate=0.129, safety_n=101),
              Arm("6.4 mg/kg", 50, 0.560, safety_rate=0.280, safety_n=50)),
        carried_forward=1, citation="goto2023destinylung02", verified=False),
    "sonidegib": PublishedCase(
        key="sonidegib", drug="sonidegib", trial="BOLT",
        arms=(Arm("200 mg", 66, 0.58), Arm("800 mg", 128, 0.44)),
        carried_forward=1, citation="casey2017sonidegib", verified=True),
    "lenvatinib": PublishedCase(
        key="lenvatinib", drug="lenvatinib", trial="Study 211",
        arms=(Arm("18 mg", 77, 0.403, safety_rate=0.571), Arm("24 mg", 75, 0.573, safety_rate=0.613)),
        carried_forward=2, citation="brose2022lenvatinib", verified=True),
    "ponatinib": PublishedCase(
        key="ponatinib", drug="ponatinib", trial="OPTIC",
        arms=(Arm("15 mg", 94, 0.231, safety_rate=3 / 94, safety_count=3),
              Arm("30 mg", 94, 0.290, safety_rate=5 / 94, safety_count=5),
              Arm("45 mg", 94, 0.441, safety_rate=5 / 94, safety_count=5)),
        carried_forward=3, citation="cortes2021optic", verified=True),
}
"""The published cases, keyed by drug (see the module docstring for each one's source and checks)."""


@dataclass(frozen=True)
class SingleDoseApproval:
    """An approval that rested on one dose, with the dose comparison required afterwards.

    Attributes
    ----------
    drug : str
    approved_dose_mg, comparison_dose_mg : int
        The approved dose and the lower dose FDA required it to be compared with.
    orr, n : float, int
        Response rate and patients in the primary efficacy population at the approved dose.
    escalation_orr_range : tuple of float
        Range of response rates seen across the escalation doses.
    escalation_dose_range_mg : tuple of int
        Doses (mg) over which that range was seen.
    citation : str
        Bibliography key.
    """

    drug: str
    approved_dose_mg: int
    comparison_dose_mg: int
    orr: float
    n: int
    escalation_orr_range: tuple[float, float]
    escalation_dose_range_mg: tuple[int, int]
    citation: str


SOTORASIB = SingleDoseApproval(drug="sotorasib", approved_dose_mg=960, comparison_dose_mg=240, orr=0.36, n=124,
                               escalation_orr_range=(0.25, 0.50), escalation_dose_range_mg=(180, 960),
                               citation="nakajima2022sotorasib")
"""Sotorasib's accelerated approval (FDA approval summary, Clin Cancer Res 2022;28:1482, abstract and Table 4)."""


def case(key: str | PublishedCase) -> PublishedCase:
    """Look up a published case by drug name (case, spaces and hyphens ignored).

    Parameters
    ----------
    key : str or PublishedCase
        Drug name, e.g. ``"lenvatinib"`` or ``"Trastuzumab deruxtecan"``; a case is returned unchanged.

    Returns
    -------
    PublishedCase

    Raises
    ------
    ValueError
        If no case has that name (the message lists them).
    TypeError
        If ``key`` is neither a string nor a case.

    Examples
    --------
    >>> case("Trastuzumab-Deruxtecan").trial
    'DESTINY-Lung02'
    """
    if isinstance(key, PublishedCase):
        return key
    if not isinstance(key, str):
        raise TypeError(f"key must be a drug name or a PublishedCase; got {key!r}")
    norm = key.strip().lower().replace("-", "_").replace(" ", "_")
    if norm not in CASES:
        raise ValueError(f"no published case {key!r}; choose one of {sorted(CASES)}")
    return CASES[norm]


def cases_table(lang: str = "en", keys: Iterable[str] | None = None) -> pd.DataFrame:
    """The published cases, one row per arm, with labels in ``lang``.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers and end points.
    keys : iterable of str, optional
        Cases to show, in this order (all of :data:`CASES` by default).

    Returns
    -------
    pandas.DataFrame
        Drug, trial, dose, patients, efficacy end point and rate (%), key safety end point and rate (%), and
        the dose carried forward (on the row of that dose).

    Examples
    --------
    >>> tab = cases_table("en", keys=["lenvatinib"])
    >>> tab.iloc[:, 5].tolist()
    [40.3, 57.3]
    """
    lang = check_lang(lang)
    rows = []
    for c in (case(k) for k in (CASES if keys is None else keys)):
        for j, arm in enumerate(c.arms, start=1):
            safety = c.safety_endpoint(lang)
            rows.append({
                t("rdc_col_drug", lang): c.drug,
                t("rdc_col_trial", lang): c.trial,
                t("rdc_col_dose", lang): arm.dose,
                t("rdc_col_n", lang): arm.n,
                t("rdc_col_endpoint", lang): c.endpoint(lang),
                t("rdc_col_rate", lang): round(100 * arm.response_rate, 1),
                t("rdc_col_safety", lang): "" if safety is None else safety,
                t("rdc_col_safety_rate", lang): (np.nan if arm.safety_rate is None
                                                 else round(100 * arm.safety_rate, 1)),
                t("rdc_col_outcome", lang): c.outcome(lang) if j == c.carried_forward else "",
            })
    return pd.DataFrame(rows)


def _tox(c: PublishedCase, tox_margin: MarginLike | None):
    """Safety rates for the toxicity guard (None without a guard); a clear error if the case has none."""
    if tox_margin is None:
        return None
    if c.safety_rates is None:
        raise ValueError(f"the {c.drug} case records no safety rate per arm; call without tox_margin")
    return c.safety_rates


def selection_by_n(key: str | PublishedCase, n_grid: Iterable[int], margin: MarginLike, lang: str = "en", *,
                   tox_margin: MarginLike | None = None, allocation=None,
                   correct: str | int = LOWEST_WITHIN_MARGIN) -> pd.DataFrame:
    """Treating the reported rates as true, the exact probability that the rule picks each dose, per n.

    A thin wrapper of :func:`dosecourse.expansion.selection_table` with ``p`` (and, with ``tox_margin``,
    ``p_tox``) taken from the case.

    Parameters
    ----------
    key : str or PublishedCase
        The case (see :func:`case`).
    n_grid : iterable of int
        Patients per arm (with ``allocation``: per allocation unit).
    margin : float, int or Fraction
        The rule's margin on the difference in response rates.
    lang : {"en", "zh-tw"}
        Language of the column headers.
    tox_margin : float, optional
        Switch on the toxicity guard with the case's safety rates as the true toxicity rates.
    allocation : sequence of int, optional
        Allocation ratio, e.g. ``(2, 1)`` as in DESTINY-Lung02.
    correct : "lowest_within_margin" or int
        Which dose counts as correct (see :func:`dosecourse.expansion.correct_dose`).

    Returns
    -------
    pandas.DataFrame
        As :func:`dosecourse.expansion.selection_table`.

    Raises
    ------
    ValueError
        If ``tox_margin`` is given for a case with no safety rates, or an argument is invalid.

    Examples
    --------
    >>> tab = selection_by_n("lenvatinib", [30, 60], 0.10)
    >>> tab.iloc[:, -1].round(3).tolist()   # P(select 24 mg), the correct dose
    [0.665, 0.754]
    """
    c = case(key)
    return expansion.selection_table(c.rates, n_grid, margin, lang, allocation=allocation, correct=correct,
                                     p_tox=_tox(c, tox_margin), tox_margin=tox_margin)


def selection_curve(key: str | PublishedCase, n_grid: Iterable[int], margin: MarginLike, *,
                    tox_margin: MarginLike | None = None) -> np.ndarray:
    """Exact selection probabilities of a case for equal arms of each size in ``n_grid``.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(n_grid), K)``; row i holds P(select dose j) at ``n_grid[i]`` patients per arm.

    Examples
    --------
    >>> selection_curve("sonidegib", [20], 0.10).round(3).tolist()
    [[0.954, 0.046]]
    """
    c = case(key)
    p_tox = _tox(c, tox_margin)
    return np.array([expansion.selection_probabilities(c.rates, int(n), margin, p_tox=p_tox,
                                                       tox_margin=tox_margin) for n in n_grid])


def pcs_as_run(key: str | PublishedCase, margin: MarginLike, *, tox_margin: MarginLike | None = None,
               correct: str | int = LOWEST_WITHIN_MARGIN) -> float:
    """Probability of correct selection at the trial's own arm sizes, treating the reported rates as true.

    Examples
    --------
    >>> round(pcs_as_run("lenvatinib", 0.10), 3)   # 77 and 75 patients; 24 mg is correct
    0.815
    """
    c = case(key)
    return expansion.probability_correct_selection(c.rates, list(c.n_per_arm), margin, correct,
                                                   p_tox=_tox(c, tox_margin), tox_margin=tox_margin)


def n_per_arm_needed(key: str | PublishedCase, margin: MarginLike, target_pcs: float = 0.80, *,
                     n_max: int = 200, tox_margin: MarginLike | None = None,
                     correct: str | int = LOWEST_WITHIN_MARGIN) -> SelectionSampleSize | None:
    """Smallest equal arm size from which the rule picks the correct dose with at least ``target_pcs``.

    Wraps :func:`dosecourse.expansion.sample_size_for_selection` (exact, "sustained" definition: the PCS stays
    at or above the target for every larger n up to ``n_max``).

    Returns
    -------
    SelectionSampleSize or None
        None when the target is not reached for any n <= ``n_max`` (typically because the true difference is
        close to the margin, where PCS creeps towards 1 only very slowly).

    Examples
    --------
    >>> n_per_arm_needed("lenvatinib", 0.10).n
    81
    >>> n_per_arm_needed("trastuzumab_deruxtecan", 0.10) is None   # 7 points apart, margin 10
    True
    """
    c = case(key)
    try:
        return expansion.sample_size_for_selection(c.rates, margin, target_pcs, correct, n_max,
                                                   p_tox=_tox(c, tox_margin), tox_margin=tox_margin)
    except ValueError as err:
        if "is not reached" in str(err):
            return None
        raise
