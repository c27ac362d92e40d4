r"""Published randomized dose comparisons in oncology, as data, and what the selection rule would do with them.

Each case is a trial that randomized patients between two or three doses of one drug.  The numbers live in
``dosecourse/data/expansion_cases.json`` (read with :func:`dosecourse.data.load`), each case with its full
source citation; a number that could not be confirmed from the primary text is marked ``"reported"`` there
(and listed in :attr:`Arm.reported`), a number computed from published ones is marked ``"derived"``.  Every
case records which dose was carried forward.  The helpers treat the observed response rates *as if they were
the true rates* and ask a design question: with the "lower dose unless a higher one beats it by more than a
margin" rule of :mod:`dosecourse.expansion`, how often would a trial with ``n`` patients per arm pick each dose?
All probabilities are exact (binomial enumeration in :func:`dosecourse.expansion.selection_curve`); nothing is
re-implemented here.

Cases (lowest dose first)
-------------------------
``trastuzumab_deruxtecan``
    DESTINY-Lung02 (Goto et al. 2023): HER2-mutant metastatic NSCLC, 5.4 or 6.4 mg/kg (2:1, 102 / 50
    patients), confirmed ORR 49.0% vs 56.0%; adjudicated drug-related ILD 12.9% vs 28.0% (safety set 101 / 50,
    *reported*).  The label carries only 5.4 mg/kg.
``sonidegib``
    BOLT (Casey et al. 2017): advanced BCC, 200 or 800 mg; laBCC ORR 58% (n = 66) vs 44% (n = 128, *derived*
    as 194 - 66).  Approved at 200 mg.
``lenvatinib``
    Study 211 (Brose et al. 2022): RAI-refractory DTC, 18 or 24 mg (77 / 75); ORR by week 24 40.3% vs 57.3%,
    grade >= 3 TEAEs 57.1% vs 61.3%.  The lower dose was not enough; 24 mg stands.
``ponatinib``
    OPTIC (Cortes et al. 2021): resistant chronic-phase CML, 15, 30 or 45 mg (94 per arm); BCR-ABL1 IS <= 1% at
    12 months 23.1% / 29.0% / 44.1%; grade >= 3 arterial occlusive events in 3 / 5 / 5 patients.

Sotorasib (:data:`SOTORASIB`) is kept apart: the accelerated approval at 960 mg rested on one dose (ORR 36%,
n = 124) while escalation cohorts at 180-960 mg had ORRs of 25-50%, and FDA required a 960 mg vs 240 mg
comparison after approval (Nakajima et al. 2022).

References
----------
Goto K, et al. J Clin Oncol. 2023;41(31):4852-4863. doi:10.1200/JCO.23.01361 (PMID 37694347).
Casey D, et al. FDA Approval Summary: Sonidegib. Clin Cancer Res. 2017;23(10):2377-2381.
doi:10.1158/1078-0432.CCR-16-2051 (PMID 28073840).
Brose MS, et al. J Clin Endocrinol Metab. 2022;107(3):776-787. doi:10.1210/clinem/dgab731 (PMID 34664662).
Cortes JE, et al. Ponatinib dose-ranging study in chronic-phase CML. Blood. 2021;138(21):2042-2050.
Nakajima EC, et al. FDA approval summary: sotorasib. Clin Cancer Res. 2022;28(8):1482-1486.
doi:10.1158/1078-0432.CCR-21-3074.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate, data, expansion
from .expansion import LOWEST_WITHIN_MARGIN, MarginLike, SelectionSampleSize
from .i18n import check_lang, t

DATA_FILE = "expansion_cases"
"""The data file (:func:`dosecourse.data.load`) holding every number of this module, with its sources."""

ARM_FIELDS: tuple[str, ...] = ("n", "response_rate", "safety_rate", "safety_n", "safety_count")
"""The numbers of an arm that a ``reported`` mark may name."""


def _optional(value, check, *args, **kwargs):
    return None if value is None else check(value, *args, **kwargs)


@dataclass(frozen=True)
class Arm:
    """One randomized arm as reported.

    Parameters
    ----------
    dose : str
        Dose as printed in the source (``"5.4 mg/kg"``).
    n : int
        Patients in the arm's efficacy analysis.
    response_rate : float
        Reported rate of the case's efficacy end point, as a proportion.
    safety_rate : float or None
        Rate of the case's key safety end point (from ``safety_count`` when only a count is reported), or None
        when none is recorded.
    safety_n : int or None
        Patients in the safety analysis when it differs from ``n``.
    safety_count : int or None
        Patients with the safety event, when the source reports a count.
    reported : tuple of str
        Fields (of :data:`ARM_FIELDS`) given as reported but not confirmed from the primary text.

    Raises
    ------
    ValueError, TypeError
        On a rate outside [0, 1], a count above its analysis set, a rate that disagrees with its count, or an
        unknown field in ``reported``.
    """

    dose: str
    n: int
    response_rate: float
    safety_rate: float | None = None
    safety_n: int | None = None
    safety_count: int | None = None
    reported: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _validate.text(self.dose, "dose").strip():
            raise ValueError("dose must not be empty")
        n = _validate.positive_int(self.n, "n", maximum=_validate.MAX_PATIENTS)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "response_rate",
                           _validate.probability(self.response_rate, "response_rate", open_interval=False))
        safety_n = _optional(self.safety_n, _validate.positive_int, "safety_n", maximum=_validate.MAX_PATIENTS)
        object.__setattr__(self, "safety_n", safety_n)
        rate = _optional(self.safety_rate, _validate.probability, "safety_rate", open_interval=False)
        if self.safety_count is not None:
            denominator = n if safety_n is None else safety_n
            count = _validate.integer(self.safety_count, "safety_count", minimum=0, maximum=denominator)
            object.__setattr__(self, "safety_count", count)
            if rate is None:
                rate = count / denominator
            elif abs(rate - count / denominator) > 0.0005:  # a printed rate rounds to 0.1%
                raise ValueError(f"safety_rate {rate} disagrees with safety_count / patients = "
                                 f"{count}/{denominator}")
        object.__setattr__(self, "safety_rate", rate)
        if isinstance(self.reported, str) or not isinstance(self.reported, (tuple, list)):
            raise TypeError(f"reported must be a sequence of field names; got {self.reported!r}")
        reported = tuple(_validate.one_of(f, "reported", ARM_FIELDS) for f in self.reported)
        object.__setattr__(self, "reported", reported)


@dataclass(frozen=True)
class PublishedCase:
    """A published randomized comparison of two or three doses (arms lowest dose first).

    Parameters
    ----------
    key : str
        Identifier used by :func:`case` (the drug, lowercase with underscores).
    drug, trial : str
        Names as printed in the source.
    arms : tuple of Arm
        The randomized arms, lowest dose first (2 or 3).
    carried_forward : int
        Dose (1..K) that was approved or carried forward.
    citation : str
        Bibliography key in ``book/references.bib``.
    source : str
        Full citation (with DOI / PMID where confirmed) and where in the source the numbers are.

    Raises
    ------
    ValueError, TypeError
        On a malformed key, fewer than 2 or more than 3 arms, or a carried-forward dose outside 1..K.
    """

    key: str
    drug: str
    trial: str
    arms: tuple[Arm, ...]
    carried_forward: int
    citation: str
    source: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9_]+", _validate.text(self.key, "key")):
            raise ValueError(f"key must be lowercase letters, digits and underscores; got {self.key!r}")
        for name in ("drug", "trial", "citation", "source"):
            _validate.text(getattr(self, name), name)
        if isinstance(self.arms, (str, bytes)) or not isinstance(self.arms, Iterable):
            raise TypeError(f"arms must be a sequence of Arm; got {self.arms!r}")
        arms = tuple(_validate.instance(a, "arms", Arm) for a in self.arms)
        if not 2 <= len(arms) <= expansion.MAX_ARMS:
            raise ValueError(f"arms must give 2 or {expansion.MAX_ARMS} doses; got {len(arms)}")
        object.__setattr__(self, "arms", arms)
        object.__setattr__(self, "carried_forward", _validate.dose(self.carried_forward, len(arms),
                                                                   "carried_forward"))

    @property
    def verified(self) -> bool:
        """True when every number was checked against the source (no arm has a ``reported`` field)."""
        return not any(a.reported for a in self.arms)

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
        """The efficacy end point, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """
        return t(f"rdc_{self.key}_endpoint", lang)

    def safety_endpoint(self, lang: str = "en") -> str | None:
        """The key safety end point, in ``lang`` (None if the case records none).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str or None
        """
        return None if self.safety_rates is None else t(f"rdc_{self.key}_safety", lang)

    def outcome(self, lang: str = "en") -> str:
        """What was done with the doses, in ``lang``.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """
        return t(f"rdc_{self.key}_outcome", lang)


@dataclass(frozen=True)
class SingleDoseApproval:
    """An approval that rested on one dose, with the dose comparison required afterwards.

    Parameters
    ----------
    drug : str
        Name of the drug.
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
    source : str
        Full citation and where in the source the numbers are.

    Raises
    ------
    ValueError, TypeError
        On a rate outside [0, 1], a comparison dose not below the approved dose, or a range not increasing.
    """

    drug: str
    approved_dose_mg: int
    comparison_dose_mg: int
    orr: float
    n: int
    escalation_orr_range: tuple[float, float]
    escalation_dose_range_mg: tuple[int, int]
    citation: str
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("drug", "citation", "source"):
            _validate.text(getattr(self, name), name)
        approved = _validate.positive_int(self.approved_dose_mg, "approved_dose_mg")
        _validate.positive_int(self.comparison_dose_mg, "comparison_dose_mg", maximum=approved - 1)
        object.__setattr__(self, "orr", _validate.probability(self.orr, "orr", open_interval=False))
        _validate.positive_int(self.n, "n", maximum=_validate.MAX_PATIENTS)
        orr_range = _validate.real_array(self.escalation_orr_range, "escalation_orr_range", minimum=0.0,
                                         maximum=1.0, length=2, increasing=True)
        object.__setattr__(self, "escalation_orr_range", tuple(float(v) for v in orr_range))
        doses = _validate.whole_array(self.escalation_dose_range_mg, "escalation_dose_range_mg", minimum=1,
                                      length=2)
        if doses[0] >= doses[1]:
            raise ValueError(f"escalation_dose_range_mg must be increasing; got {doses.tolist()}")
        object.__setattr__(self, "escalation_dose_range_mg", tuple(int(v) for v in doses))


def _read() -> tuple[dict[str, PublishedCase], dict[str, SingleDoseApproval]]:
    """The cases and the single-dose approvals of :data:`DATA_FILE`, checked by their dataclasses."""
    raw = data.load(DATA_FILE)
    cases = {}
    for key, entry in raw["cases"].items():
        arms = tuple(Arm(dose=a["dose"], n=a["n"], response_rate=a["response_rate"],
                         safety_rate=a.get("safety_rate"), safety_n=a.get("safety_n"),
                         safety_count=a.get("safety_count"), reported=tuple(a.get("reported", ())))
                     for a in entry["arms"])
        cases[key] = PublishedCase(key=key, drug=entry["drug"], trial=entry["trial"], arms=arms,
                                   carried_forward=entry["carried_forward"], citation=entry["citation"],
                                   source=entry["source"])
    approvals = {}
    for key, entry in raw["single_dose_approvals"].items():
        approvals[key] = SingleDoseApproval(
            drug=entry["drug"], approved_dose_mg=entry["approved_dose_mg"],
            comparison_dose_mg=entry["comparison_dose_mg"], orr=entry["orr"], n=entry["n"],
            escalation_orr_range=tuple(entry["escalation_orr_range"]),
            escalation_dose_range_mg=tuple(entry["escalation_dose_range_mg"]), citation=entry["citation"],
            source=entry["source"])
    return cases, approvals


CASES, SINGLE_DOSE_APPROVALS = _read()
"""The published cases, keyed by drug, in the order of the data file (see the module docstring)."""

SOTORASIB: SingleDoseApproval = SINGLE_DOSE_APPROVALS["sotorasib"]
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
    if isinstance(_validate.instance(key, "key", (str, PublishedCase)), PublishedCase):
        return key
    norm = key.strip().lower().replace("-", "_").replace(" ", "_")
    return CASES[_validate.one_of(norm, "key", tuple(CASES))]


def _cases(keys: Iterable[str | PublishedCase] | None) -> list[PublishedCase]:
    if keys is None:
        return list(CASES.values())
    if isinstance(keys, (str, bytes, PublishedCase)) or not isinstance(keys, Iterable):
        raise TypeError(f"keys must be a sequence of case names; got {keys!r}")
    found = [case(k) for k in keys]
    if not found:
        raise ValueError("keys must name at least one case")
    return found


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

    Raises
    ------
    ValueError, TypeError
        If ``lang`` is unknown or ``keys`` names no case / an unknown case.

    Examples
    --------
    >>> tab = cases_table("en", keys=["lenvatinib"])
    >>> tab.iloc[:, 5].tolist()
    [40.3, 57.3]
    """
    lang = check_lang(lang)
    rows = []
    for c in _cases(keys):
        safety = c.safety_endpoint(lang)
        for j, arm in enumerate(c.arms, start=1):
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


def _tox(c: PublishedCase, tox_margin: MarginLike | None) -> tuple[float, ...] | None:
    """Safety rates for the toxicity guard (None without a guard); a clear error if the case has none."""
    if tox_margin is None:
        return None
    if c.safety_rates is None:
        raise ValueError(f"tox_margin: the {c.drug} case records no safety rate per arm; call without tox_margin")
    return c.safety_rates


def selection_by_n(key: str | PublishedCase, n_grid: Iterable[int], margin: MarginLike, lang: str = "en", *,
                   tox_margin: MarginLike | None = None, allocation: Sequence[int] | None = None,
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
    ValueError, TypeError
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
                    tox_margin: MarginLike | None = None, allocation: Sequence[int] | None = None) -> np.ndarray:
    """Exact selection probabilities of a case for arms of each size in ``n_grid`` (reported rates as true).

    Parameters
    ----------
    key : str or PublishedCase
        The case (see :func:`case`).
    n_grid : iterable of int
        Patients per arm (with ``allocation``: per allocation unit).
    margin : float, int or Fraction
        The rule's margin.
    tox_margin : float, optional
        Toxicity guard with the case's safety rates.
    allocation : sequence of int, optional
        Allocation ratio; default equal.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(n_grid), K)``; row i holds P(select dose j) at ``n_grid[i]`` patients per arm.

    Raises
    ------
    ValueError, TypeError
        As in :func:`dosecourse.expansion.selection_curve`, or for a guard on a case without safety rates.

    Examples
    --------
    >>> selection_curve("sonidegib", [20], 0.10).round(3).tolist()
    [[0.954, 0.046]]
    """
    c = case(key)
    return expansion.selection_curve(c.rates, n_grid, margin, allocation=allocation, p_tox=_tox(c, tox_margin),
                                     tox_margin=tox_margin)


def pcs_as_run(key: str | PublishedCase, margin: MarginLike, *, tox_margin: MarginLike | None = None,
               correct: str | int = LOWEST_WITHIN_MARGIN) -> float:
    """Probability of correct selection at the trial's own arm sizes, treating the reported rates as true.

    Parameters
    ----------
    key : str or PublishedCase
        The case (see :func:`case`).
    margin : float, int or Fraction
        The rule's margin.
    tox_margin : float, optional
        Toxicity guard with the case's safety rates.
    correct : "lowest_within_margin" or int
        Which dose counts as correct (see :func:`dosecourse.expansion.correct_dose`).

    Returns
    -------
    float

    Raises
    ------
    ValueError, TypeError
        As in :func:`dosecourse.expansion.probability_correct_selection`.

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

    Parameters
    ----------
    key : str or PublishedCase
        The case (see :func:`case`).
    margin : float, int or Fraction
        The rule's margin.
    target_pcs : float, default 0.80
        Required probability of correct selection, in (0, 1).
    n_max : int, default 200
        Largest arm size searched.
    tox_margin : float, optional
        Toxicity guard with the case's safety rates.
    correct : "lowest_within_margin" or int
        Which dose counts as correct.

    Returns
    -------
    SelectionSampleSize or None
        None when the target is not reached for any n <= ``n_max`` (typically because the true difference is
        close to the margin, where PCS creeps towards 1 only very slowly).

    Raises
    ------
    ValueError, TypeError
        If an argument is invalid.

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
    except expansion.TargetNotReached:
        return None
