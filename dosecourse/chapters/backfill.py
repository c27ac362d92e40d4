"""Figures, tables, widget and numbers of the chapter "Backfill cohorts" (``explore/backfill``).

The design is :class:`dosecourse.escalation.BFBOIN`; the interval statistics are in :mod:`dosecourse.stats`.  This
module runs BF-BOIN and its comparator (BOIN in calendar time, no backfilling) on the scenarios of Zhao et al.
(2024), read from ``dosecourse/data/bfboin_zhao2024_table4.json`` with their published Table 4, and shows the
results in the reader's language:

* :data:`SCENARIOS`, :data:`TABLE4`, :func:`scenario_table`: the paper's Table 3 scenarios and Table 4;
* :func:`paper_design`, :func:`compare`: the paper's design, and both designs simulated on one scenario (cached,
  so that the notebook and :func:`numbers` never simulate the same trials twice);
* :func:`comparison_table`, :func:`oc_figure`: the Table 4 measures (from
  :meth:`dosecourse.escalation.OperatingCharacteristics.summary`), simulated and published;
* :func:`response_precision`, :func:`precision_figure`: what backfilling buys at the cleared doses;
* :data:`widget`: scenario, backfill cap and accrual rate in; selection and patients per dose out;
* :func:`numbers`: every number the prose glues (checked in ``tests/chapters/test_backfill.py``).

Every user-facing string comes from ``labels/chapters/backfill.toml``.

References
----------
Zhao Y, Yuan Y, Korn EL, Freidlin B. Backfilling patients in phase I dose-escalation trials using Bayesian
optimal interval design (BOIN). Clin Cancer Res. 2024;30(4):673-679. doi:10.1158/1078-0432.CCR-23-2585
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import _validate, data, stats
from .. import escalation as esc
from ..i18n import check_lang, t
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

DATA_FILE = "bfboin_zhao2024_table4"
"""The data file (:func:`dosecourse.data.load`) with the scenarios, settings and Table 4 of Zhao et al. (2024)."""

METRICS: tuple[str, ...] = ("correct", "overdose", "below", "at", "above", "total", "duration")
"""The columns of Table 4: correct and overdose selection (%), mean patients below, at and above the MTD, mean
sample size and mean duration (months)."""

DESIGNS: tuple[str, ...] = ("boin", "bf")
"""The two designs compared, in the order they are drawn: BOIN (no backfilling), then BF-BOIN."""

PAPER_N_TRIALS = 10_000
"""Simulated trials per scenario behind Table 4 of Zhao et al. (2024)."""

N_TRIALS = 4_000
"""Simulated trials per scenario and design in the chapter."""

WIDGET_TRIALS = 400
"""Simulated trials per design for each setting of the widget."""

SEED = _validate.DEFAULT_SEED
"""Seed of every simulation of the chapter, the same for both designs."""

_COLOURS = {"boin": style.BLUE, "bf": style.VERMILLION}


def _published() -> dict:
    return data.load(DATA_FILE)


def _cell(value: object) -> float | None:
    """A Table 4 cell as a number: ``"10.8 (63.9)"`` (patients, with their percentage) is 10.8."""
    return None if value is None else float(str(value).split()[0])


def _paper_design() -> Mapping[str, float]:
    d = _published()["design"]
    return MappingProxyType({
        "target": float(d["target"]), "n_doses": int(d["ndose"]), "cohort_size": int(d["cohortsize"]),
        "n_cohorts": int(d["ncohort"]), "n_earlystop": int(d["n_earlystop"]),
        "n_cap_backfill": int(d["n_cap_backfill"]), "accrual_per_month": float(d["accrual_per_month"]),
        "dlt_window_months": float(d["dlt_window_months"])})


PAPER_DESIGN: Mapping[str, float] = _paper_design()
"""The simulation settings of Zhao et al. (2024), from the data file: target DLT rate 0.25, five doses, ten cohorts
of three, stop at nine patients on a dose that stays, backfill cap 12, three patients a month, a one-month DLT
window."""


@dataclass(frozen=True)
class Scenario:
    """A scenario of the chapter: true DLT and response probabilities per dose, and its number.

    Parameters
    ----------
    number : int
        The scenario's number (1-12 for those of Zhao et al. 2024, Table 3).
    true_tox : sequence of float
        True DLT probability per dose, each in (0, 1).
    true_eff : sequence of float
        True response probability per dose, each in [0, 1].
    target : float
        Target DLT probability (default 0.25, the paper's).

    Raises
    ------
    ValueError, TypeError
        On an invalid argument, or when two doses are equally close to the target (the chapter's scenarios have
        one MTD).

    Examples
    --------
    >>> SCENARIOS[3].mtd, SCENARIOS[3].true_eff[1]
    (3, 0.2)
    """

    number: int
    true_tox: tuple[float, ...]
    true_eff: tuple[float, ...]
    target: float = 0.25

    def __post_init__(self) -> None:
        number = _validate.positive_int(self.number, "number")
        tox = esc.check_scenario(self.true_tox)
        eff = _validate.probabilities(self.true_eff, "true_eff", length=tox.size, open_interval=False)
        target = _validate.probability(self.target, "target")
        correct = esc.correct_doses(tox, target)
        if correct.size != 1:
            raise ValueError(f"true_tox: doses {correct.tolist()} are equally close to the target {target:g}; a "
                             f"scenario of this chapter has one MTD")
        for name, value in (("number", number), ("true_tox", tuple(tox.tolist())),
                            ("true_eff", tuple(eff.tolist())), ("target", target)):
            object.__setattr__(self, name, value)

    @property
    def mtd(self) -> int:
        """The true MTD (1..K): the dose whose true DLT probability is closest to the target
        (:func:`dosecourse.escalation.correct_doses`)."""
        return int(esc.correct_doses(self.true_tox, self.target)[0])

    @property
    def n_doses(self) -> int:
        """Number of dose levels K."""
        return len(self.true_tox)


def _scenarios() -> Mapping[int, Scenario]:
    pub = _published()
    target = PAPER_DESIGN["target"]
    return MappingProxyType({int(k): Scenario(int(k), tuple(v["DLT"]), tuple(v["Resp"]), target)
                             for k, v in sorted(pub["scenarios"].items(), key=lambda kv: int(kv[0]))})


SCENARIOS: Mapping[int, Scenario] = _scenarios()
"""The twelve scenarios of Zhao et al. (2024, Table 3), from the data file; scenarios 6-12 repeat the DLT
probabilities of 2-5 with flatter response curves."""


def _table4() -> Mapping[str, Mapping[int, tuple]]:
    pub = _published()
    bf = {int(k): tuple(_cell(c) for c in row) for k, row in pub["BF_BOIN"].items()}
    boin5 = {int(k): tuple(_cell(c) for c in row) for k, row in pub["BOIN"].items()}
    # BOIN ignores response: scenarios 6-12 take the row of the scenario with the same DLT probabilities
    profile = {k: next(j for j in sorted(boin5) if SCENARIOS[j].true_tox == sc.true_tox)
               for k, sc in SCENARIOS.items()}
    return MappingProxyType({"bf": MappingProxyType(dict(sorted(bf.items()))),
                             "boin": MappingProxyType({k: boin5[profile[k]] for k in SCENARIOS})})


TABLE4: Mapping[str, Mapping[int, tuple]] = _table4()
"""Zhao et al. (2024, Table 4), ``TABLE4[design][scenario]`` with ``design`` "bf" (BF-BOIN) or "boin": the values
of :data:`METRICS` (None where there is no dose below or above the MTD).  The BOIN rows of scenarios 6-12 are those
of the scenario with the same DLT probabilities (the data file's note), since BOIN ignores response."""


def _as_scenario(value: int | Scenario, name: str = "scenario") -> Scenario:
    """A :class:`Scenario`, or the number of one of :data:`SCENARIOS`, as a Scenario."""
    if isinstance(value, Scenario):
        return value
    _validate.integer(value, name)
    return SCENARIOS[int(_validate.one_of(int(value), name, tuple(SCENARIOS)))]


def _design_name(design: str, lang: str) -> str:
    return t(f"bfv_design_{_validate.one_of(design, 'design', DESIGNS)}", lang)


def _dose_label(d: int, sc: Scenario, lang: str) -> str:
    return t("bfv_dose_mtd", lang, d=d) if d == sc.mtd else str(d)


def scenario_table(numbers: Iterable[int] | None = None, lang: str = "en") -> pd.DataFrame:
    """The scenarios of Zhao et al. (2024, Table 3): true DLT and response probabilities per dose.

    Parameters
    ----------
    numbers : iterable of int, optional
        Scenario numbers to show, in this order (all twelve by default).
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
        Two rows per scenario (DLT, response), one column per dose; the MTD is named in the index.

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario number.

    Examples
    --------
    >>> scenario_table([3]).iloc[0].tolist()
    [0.04, 0.12, 0.25, 0.43, 0.63]
    """
    lang = check_lang(lang)
    chosen = list(SCENARIOS.values()) if numbers is None else [_as_scenario(k, "numbers") for k in numbers]
    if not chosen:
        raise ValueError("numbers must name at least one scenario")
    rows, index = [], []
    for sc in chosen:
        label = t("bfv_scenario_mtd", lang, k=sc.number, mtd=sc.mtd)
        rows += [sc.true_tox, sc.true_eff]
        index += [(label, t("bfv_row_dlt", lang)), (label, t("bfv_row_response", lang))]
    columns = [t("bfv_dose_n", lang, d=d) for d in range(1, chosen[0].n_doses + 1)]
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(
        index, names=[t("bfv_idx_scenario", lang), t("bfv_idx_probability", lang)]), columns=columns)


def paper_design(backfill: bool = True, n_cap_backfill: int = 12, accrual_per_month: float = 3.0) -> esc.BFBOIN:
    """BF-BOIN (or, with ``backfill=False``, its BOIN comparator) with the settings of Zhao et al. (2024).

    Both use the paper's decision table (Table 1: 1 DLT in 3 patients means stay), as the published Table 4
    does (``stay_1_of_3=True`` of :class:`~dosecourse.escalation.BFBOIN`).

    Parameters
    ----------
    backfill : bool
        Backfill (BF-BOIN) or not (BOIN in calendar time, patients arriving during a DLT window turned away).
    n_cap_backfill : int
        A dose takes backfill patients while it has fewer than this many patients (default 12, the paper's).
    accrual_per_month : float
        Mean number of patients arriving per month (default 3; BF-BOIN accepts at most 100).

    Returns
    -------
    dosecourse.escalation.BFBOIN

    Raises
    ------
    ValueError, TypeError
        On an invalid setting (the message names it and its bound).

    Examples
    --------
    >>> paper_design().n_cap_backfill, paper_design(backfill=False).name
    (12, 'BOIN (timed)')
    """
    settings = dict(PAPER_DESIGN)
    target, k = settings.pop("target"), settings.pop("n_doses")
    settings.update(n_cap_backfill=n_cap_backfill, accrual_per_month=accrual_per_month)
    return esc.BFBOIN(target, k, **settings, backfill=_validate.boolean(backfill, "backfill"), stay_1_of_3=True)


@lru_cache(maxsize=128)
def _trials(sc: Scenario, backfill: bool, n_trials: int, seed: int, n_cap_backfill: int | None,
            accrual_per_month: float) -> esc.Trials:
    """Simulated trials of one design (cached).  BOIN without backfilling never reads the cap, so its trials are
    cached without it (``n_cap_backfill=None``; ``tests/chapters/test_backfill.py`` checks they are the same)."""
    cap = PAPER_DESIGN["n_cap_backfill"] if n_cap_backfill is None else n_cap_backfill
    design = paper_design(backfill, cap, accrual_per_month)
    return design.simulate(sc.true_tox, n_trials=n_trials, seed=seed, true_eff=sc.true_eff)


@dataclass(frozen=True)
class Comparison:
    """BF-BOIN and BOIN simulated on one scenario, with the settings used.

    Parameters
    ----------
    scenario : Scenario
        The scenario simulated (true DLT and response probabilities per dose).
    bf, boin : dosecourse.escalation.Trials
        Per-trial results of BF-BOIN and of BOIN (same number of trials, same seed), each with as many doses as
        ``scenario``.
    n_cap_backfill : int
        Backfill cap used (a dose takes backfill patients while it has fewer than this many patients), >= 1.
    accrual_per_month : float
        Mean number of patients arriving per month used in the simulations, > 0.

    Raises
    ------
    ValueError, TypeError
        If a design's trials do not match the scenario's doses, the two designs have different numbers of
        trials, or a setting is out of range.
    """

    scenario: Scenario
    bf: esc.Trials
    boin: esc.Trials
    n_cap_backfill: int
    accrual_per_month: float

    def __post_init__(self) -> None:
        _validate.instance(self.scenario, "scenario", Scenario)
        for name in DESIGNS:
            tr = _validate.instance(getattr(self, name), name, esc.Trials)
            if tr.n_doses != self.scenario.n_doses:
                raise ValueError(f"{name} has {tr.n_doses} doses but the scenario has {self.scenario.n_doses}")
        if self.bf.n_trials != self.boin.n_trials:
            raise ValueError(f"bf and boin must have the same number of trials; got {self.bf.n_trials} and "
                             f"{self.boin.n_trials}")
        object.__setattr__(self, "n_cap_backfill", _validate.positive_int(self.n_cap_backfill, "n_cap_backfill"))
        object.__setattr__(self, "accrual_per_month", _validate.positive(self.accrual_per_month,
                                                                         "accrual_per_month"))

    @property
    def n_trials(self) -> int:
        """Simulated trials per design."""
        return self.bf.n_trials

    @property
    def seed(self) -> int | None:
        """The seed of both simulations."""
        return self.bf.seed

    def trials(self, design: str) -> esc.Trials:
        """The trials of ``design``, "bf" or "boin".

        Parameters
        ----------
        design : {"bf", "boin"}
            BF-BOIN (``"bf"``) or BOIN without backfilling (``"boin"``).

        Returns
        -------
        dosecourse.escalation.Trials
        """
        return getattr(self, _validate.one_of(design, "design", DESIGNS))

    @cached_property
    def _summaries(self) -> dict[str, esc.Summary]:
        correct = [self.scenario.mtd]
        return {d: self.trials(d).summary().summary(correct=correct) for d in DESIGNS}

    def summary(self, design: str) -> esc.Summary:
        """The operating characteristics of ``design`` around the true MTD (:class:`dosecourse.escalation.Summary`,
        with Monte Carlo standard errors).

        Parameters
        ----------
        design : {"bf", "boin"}
            BF-BOIN (``"bf"``) or BOIN without backfilling (``"boin"``).

        Returns
        -------
        dosecourse.escalation.Summary
            Summarised with the scenario's true MTD as the correct dose (computed once, then cached).
        """
        return self._summaries[_validate.one_of(design, "design", DESIGNS)]

    def _applies(self, metric: str) -> bool:
        mtd, k = self.scenario.mtd, self.scenario.n_doses
        return not ((metric == "below" and mtd == 1) or (metric in ("above", "overdose") and mtd == k))

    _FIELDS = {"correct": ("pcs", 100.0), "overdose": ("select_above", 100.0), "below": ("n_below", 1.0),
               "at": ("n_at", 1.0), "above": ("n_above", 1.0), "total": ("total_n", 1.0),
               "duration": ("duration", 1.0)}

    def mean(self, design: str, metric: str) -> float:
        """Mean over trials of one Table 4 measure (:data:`METRICS`; percentages for the selections), NaN where it
        does not apply (no dose below or above the MTD).

        Parameters
        ----------
        design : {"bf", "boin"}
            BF-BOIN (``"bf"``) or BOIN without backfilling (``"boin"``).
        metric : str
            One of :data:`METRICS`: ``"correct"`` and ``"overdose"`` (selection percentages), ``"below"``,
            ``"at"`` and ``"above"`` (mean patients below, at and above the MTD), ``"total"`` (mean sample size)
            or ``"duration"`` (mean trial duration, months).

        Returns
        -------
        float
        """
        field, scale = self._FIELDS[_validate.one_of(metric, "metric", METRICS)]
        if not self._applies(metric):
            return math.nan
        return scale * float(getattr(self.summary(design), field))

    def se(self, design: str, metric: str) -> float:
        """Monte Carlo standard error of :meth:`mean` (the per-trial standard deviation over sqrt(n_trials)).

        Parameters
        ----------
        design : {"bf", "boin"}
            BF-BOIN (``"bf"``) or BOIN without backfilling (``"boin"``).
        metric : str
            One of :data:`METRICS` (see :meth:`mean`).

        Returns
        -------
        float
            In the unit of :meth:`mean`; NaN where the measure does not apply.
        """
        field, scale = self._FIELDS[_validate.one_of(metric, "metric", METRICS)]
        if not self._applies(metric):
            return math.nan
        return scale * float(self.summary(design).se[field])


def compare(scenario: int | Scenario, n_trials: int = N_TRIALS, seed: int | None = SEED,
            n_cap_backfill: int = 12, accrual_per_month: float = 3.0) -> Comparison:
    """Simulate BF-BOIN and BOIN (no backfilling) on one scenario with the paper's settings.

    Results are cached by their arguments: the notebook's cells and :func:`numbers` share the same trials.

    Parameters
    ----------
    scenario : int or Scenario
        A scenario number of :data:`SCENARIOS` (1-12) or a :class:`Scenario`.
    n_trials : int
        Simulated trials per design (default :data:`N_TRIALS`; the paper used :data:`PAPER_N_TRIALS`).
    seed : int or None
        Seed of both designs (default :data:`SEED`); None draws a fresh seed, recorded in the trials.
    n_cap_backfill, accrual_per_month
        Backfill cap and accrual rate (see :func:`paper_design`; accrual at most 100 patients a month).

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError, TypeError
        On an unknown scenario or invalid settings (each message names the argument and its bound).

    Examples
    --------
    >>> c = compare(3, n_trials=200, seed=1)
    >>> c.bf.n.shape, int(c.boin.backfilled.sum()), c.seed
    ((200, 5), 0, 1)
    """
    sc = _as_scenario(scenario)
    count = _validate.n_trials(n_trials)
    used = _validate.rng(None)[1] if seed is None else _validate.integer(seed, "seed", minimum=0)
    design = paper_design(True, n_cap_backfill, accrual_per_month)  # validates the settings
    cap, rate = design.n_cap_backfill, design.accrual_per_month
    return Comparison(sc, _trials(sc, True, count, used, cap, rate), _trials(sc, False, count, used, None, rate),
                      cap, rate)


def comparison_table(comparisons: Iterable[Comparison], lang: str = "en", published: bool = True) -> pd.DataFrame:
    """Table 4 of Zhao et al. (2024) for the simulated scenarios: simulated means, and the published values.

    Parameters
    ----------
    comparisons : iterable of Comparison
        Outputs of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of the headers.
    published : bool
        Add a row with the published value under each simulated row.

    Returns
    -------
    pandas.DataFrame
        Rows (scenario, design, source); columns the measures of :data:`METRICS`, rounded to one decimal.

    Raises
    ------
    ValueError, TypeError
        On an empty or invalid ``comparisons``.

    Examples
    --------
    >>> comparison_table([compare(2, n_trials=100, seed=1)]).shape
    (4, 7)
    """
    lang = check_lang(lang)
    comps = [_validate.instance(c, "comparisons", Comparison) for c in comparisons]
    if not comps:
        raise ValueError("comparisons must hold at least one Comparison")
    published = _validate.boolean(published, "published")
    rows, index = [], []
    for c in comps:
        scen = t("bfv_scenario_mtd", lang, k=c.scenario.number, mtd=c.scenario.mtd)
        for design in ("bf", "boin"):
            rows.append([c.mean(design, m) for m in METRICS])
            index.append((scen, _design_name(design, lang), t("bfv_source_sim", lang, n=f"{c.n_trials:,}")))
            if published:
                pub = TABLE4[design].get(c.scenario.number)
                if pub is None or SCENARIOS.get(c.scenario.number) != c.scenario:
                    raise ValueError(f"scenario {c.scenario.number} is not one of Zhao et al.'s; use published=False")
                rows.append([math.nan if v is None else v for v in pub])
                index.append((scen, _design_name(design, lang), t("bfv_source_paper", lang)))
    names = [t("bfv_idx_scenario", lang), t("bfv_idx_design", lang), t("bfv_idx_source", lang)]
    frame = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=names),
                         columns=[t(f"bfv_metric_{m}", lang) for m in METRICS])
    return frame.round(1)


@dataclass(frozen=True)
class ResponsePrecision:
    """Evidence on the response rate per dose, BOIN against BF-BOIN (arrays over doses, dose 1 first).

    Each dict maps a design of :data:`DESIGNS` (``"boin"``, ``"bf"``) to an array with one value per dose.

    Parameters
    ----------
    scenario : Scenario
        The scenario simulated (its ``true_eff`` is the true response rate).
    level : float
        Confidence level of the Clopper-Pearson intervals.
    treated : dict of ndarray
        Share of trials that treated each dose (``treated["bf"]``, ``treated["boin"]``).
    patients, backfilled : dict of ndarray
        Mean patients per dose, and mean backfill patients per dose, over all trials.
    width : dict of ndarray
        Mean width of the interval for the response rate, over the trials that treated the dose.
    estimate : dict of ndarray
        Mean of the observed response rate x/n, over the trials that treated the dose.
    coverage : dict of ndarray
        Share of those intervals that contain the true response rate.
    """

    scenario: Scenario
    level: float
    treated: dict
    patients: dict
    backfilled: dict
    width: dict
    estimate: dict
    coverage: dict

    def __post_init__(self) -> None:
        _validate.instance(self.scenario, "scenario", Scenario)
        _validate.probability(self.level, "level")
        k = self.scenario.n_doses
        for name in ("treated", "patients", "backfilled", "width", "estimate", "coverage"):
            value = _validate.mapping(getattr(self, name), name)
            if set(value) != set(DESIGNS) or any(np.shape(v) != (k,) for v in value.values()):
                raise ValueError(f"{name} must give one value per dose ({k}) for each of {DESIGNS}")

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per dose: true response rate, patients (and backfill), interval width, BOIN and BF-BOIN.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the dose labels and column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: true response rate, mean patients under BOIN and under BF-BOIN, mean backfill patients
            (BF-BOIN), and the mean interval width under each design; rounded to two decimals.
        """
        lang = check_lang(lang)
        sc = self.scenario
        doses = [_dose_label(d, sc, lang) for d in range(1, sc.n_doses + 1)]
        level = f"{100 * self.level:.0f}"
        boin, bf = _design_name("boin", lang), _design_name("bf", lang)
        frame = pd.DataFrame({
            t("bfv_col_true_eff", lang): sc.true_eff,
            t("bfv_col_patients", lang, design=boin): self.patients["boin"],
            t("bfv_col_patients", lang, design=bf): self.patients["bf"],
            t("bfv_col_backfilled", lang): self.backfilled["bf"],
            t("bfv_col_width", lang, design=boin, level=level): self.width["boin"],
            t("bfv_col_width", lang, design=bf, level=level): self.width["bf"],
        }, index=pd.Index(doses, name=t("bfv_idx_dose", lang)))
        return frame.round(2)


@lru_cache(maxsize=32)
def _precision(comparison: Comparison, level: float) -> ResponsePrecision:
    out: dict[str, dict] = {key: {} for key in ("treated", "patients", "backfilled", "width", "estimate", "coverage")}
    for design in DESIGNS:
        tr = comparison.trials(design)
        s = stats.interval_summary(tr.responses, tr.n, comparison.scenario.true_eff, level)
        for key in ("treated", "width", "estimate", "coverage"):
            out[key][design] = getattr(s, key)
        out["patients"][design] = tr.n.mean(axis=0)
        out["backfilled"][design] = tr.backfilled.mean(axis=0)
    return ResponsePrecision(comparison.scenario, level, **out)


def response_precision(comparison: Comparison, level: float = 0.90) -> ResponsePrecision:
    """How precisely each design estimates the response rate at each dose, from the simulated trials.

    In every simulated trial the responses x and patients n at a dose give a Clopper-Pearson interval; its width,
    averaged over the trials that treated the dose (:func:`dosecourse.stats.interval_summary`), measures the
    evidence the trial leaves at that dose.  Responses are simulated independently of DLTs, as in Zhao et al.

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare`.
    level : float
        Confidence level (default 0.90).

    Returns
    -------
    ResponsePrecision

    Raises
    ------
    ValueError, TypeError
        On an invalid argument.

    Examples
    --------
    >>> p = response_precision(compare(3, n_trials=300, seed=2))
    >>> bool(p.patients["bf"][1] > p.patients["boin"][1]), bool(p.width["bf"][1] < p.width["boin"][1])
    (True, True)
    """
    return _precision(_validate.instance(comparison, "comparison", Comparison), _validate.probability(level, "level"))


# ------------------------------------------------------------------------------------------------ figures
def _dose_ticks(ax, sc: Scenario, lang: str) -> None:
    ax.set_xticks(range(1, sc.n_doses + 1), [_dose_label(d, sc, lang) for d in range(1, sc.n_doses + 1)])
    ax.set_xlabel(t("bfv_xlabel_dose", lang))
    ax.grid(axis="x", visible=False)


def _patients_panel(ax, comparison: Comparison, lang: str, width: float = 0.38) -> None:
    """Mean patients per dose: BOIN, and BF-BOIN split into escalation and backfill patients."""
    doses = np.arange(1, comparison.scenario.n_doses + 1)
    boin_n = comparison.boin.n.mean(axis=0)
    bf_n, bf_back = comparison.bf.n.mean(axis=0), comparison.bf.backfilled.mean(axis=0)
    ax.bar(doses - width / 2, boin_n, width, color=_COLOURS["boin"], label=_design_name("boin", lang))
    ax.bar(doses + width / 2, bf_n - bf_back, width, color=_COLOURS["bf"], label=t("bfv_leg_bf_escalation", lang))
    ax.bar(doses + width / 2, bf_back, width, bottom=bf_n - bf_back, color="white", edgecolor=_COLOURS["bf"],
           hatch="///", lw=1.0, label=t("bfv_leg_bf_backfill", lang))
    ax.set_ylabel(t("bfv_ylabel_patients", lang))
    _dose_ticks(ax, comparison.scenario, lang)


@style.course_figure
def precision_figure(comparison: Comparison, lang: str = "en", level: float = 0.90) -> Figure:
    """Patients per dose and the width of the interval for the response rate, BOIN against BF-BOIN.

    Left: mean patients per dose (BF-BOIN's backfill patients hatched).  Right: mean width of the
    Clopper-Pearson interval for the response rate (:func:`response_precision`), with the true response rate
    printed under each dose.

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of every label.
    level : float
        Confidence level (default 0.90).

    Returns
    -------
    matplotlib.figure.Figure
    """
    prec = response_precision(comparison, level)
    sc = comparison.scenario
    fig, (left, right) = style.new_figure(ncols=2, figsize=(9.6, 4.1))
    _patients_panel(left, comparison, lang)
    left.set_title(t("bfv_title_patients", lang), loc="left")
    doses = np.arange(1, sc.n_doses + 1)
    for design, marker in (("boin", "o"), ("bf", "s")):
        right.plot(doses, prec.width[design], marker=marker, ms=7, lw=1.6, color=_COLOURS[design],
                   label=_design_name(design, lang))
    right.set_ylim(0, 1)
    right.set_ylabel(t("bfv_ylabel_width", lang, level=f"{100 * level:.0f}"))
    right.set_title(t("bfv_title_width", lang), loc="left")
    right.set_xticks(doses, [f"{_dose_label(d, sc, lang)}\n{t('bfv_true_eff_short', lang, p=f'{p:.2f}')}"
                             for d, p in zip(doses, sc.true_eff)])
    right.set_xlabel(t("bfv_xlabel_dose_eff", lang))
    right.grid(axis="x", visible=False)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=style.SMALL_SIZE)
    fig.suptitle(t("bfv_suptitle_scenario", lang, k=sc.number, n=f"{comparison.n_trials:,}"), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


@style.course_figure
def oc_figure(comparisons: Sequence[Comparison], lang: str = "en") -> Figure:
    """BF-BOIN against BOIN on several scenarios: correct selection, patients, duration; published values marked.

    Three panels with one pair of bars per scenario (BOIN, BF-BOIN): the percentage of trials selecting the
    true MTD; the mean number of patients, split into below, at and above the MTD; the mean duration in months.
    A black diamond marks the value published in Zhao et al. (2024, Table 4).

    Parameters
    ----------
    comparisons : sequence of Comparison
        Outputs of :func:`compare` on scenarios of :data:`SCENARIOS`.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        On an empty or invalid ``comparisons``.
    """
    comps = [_validate.instance(c, "comparisons", Comparison) for c in comparisons]
    if not comps:
        raise ValueError("comparisons must hold at least one Comparison")
    fig, axes = style.new_figure(ncols=3, figsize=(11.0, 4.3))
    x = np.arange(len(comps))
    width = 0.38
    shades = {"below": 0.45, "at": 1.0, "above": 0.7}
    for offset, design in ((-width / 2, "boin"), (width / 2, "bf")):
        colour = _COLOURS[design]
        axes[0].bar(x + offset, [c.mean(design, "correct") for c in comps], width, color=colour,
                    label=_design_name(design, lang))
        bottom = np.zeros(len(comps))
        for part in ("below", "at", "above"):
            vals = np.nan_to_num([c.mean(design, part) for c in comps])
            axes[1].bar(x + offset, vals, width, bottom=bottom, color=colour, alpha=shades[part],
                        edgecolor="white", lw=0.8)
            bottom += vals
        axes[2].bar(x + offset, [c.mean(design, "duration") for c in comps], width, color=colour)
        for ax, metric in ((axes[0], "correct"), (axes[1], "total"), (axes[2], "duration")):
            idx = METRICS.index(metric)
            ax.plot(x + offset, [TABLE4[design][c.scenario.number][idx] for c in comps], "D", color=style.BLACK,
                    ms=5, zorder=4)
    labels = [t("bfv_scenario_short", lang, k=c.scenario.number, mtd=c.scenario.mtd) for c in comps]
    titles = ("bfv_title_correct", "bfv_title_total", "bfv_title_duration")
    ylabels = ("bfv_ylabel_correct", "bfv_ylabel_total", "bfv_ylabel_duration")
    for ax, title, ylabel in zip(axes, titles, ylabels):
        ax.set_xticks(x, labels)
        ax.set_title(t(title, lang), loc="left")
        ax.set_ylabel(t(ylabel, lang))
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 100)
    handles, _ = axes[0].get_legend_handles_labels()
    handles.append(Line2D([], [], marker="D", ls="", color=style.BLACK, ms=5, label=t("bfv_leg_published", lang)))
    handles += [Patch(facecolor=style.GREY_DARK, alpha=shades[part], edgecolor="white",
                      label=t(f"bfv_part_{part}", lang)) for part in ("below", "at", "above")]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=style.SMALL_SIZE)
    return fig


def _selection(tr: esc.Trials) -> np.ndarray:
    """Percentage of trials selecting each dose."""
    return 100 * np.bincount(tr.selected, minlength=tr.n_doses + 1)[1:] / tr.n_trials


@style.course_figure
def widget_figure(comparison: Comparison, lang: str = "en") -> Figure:
    """The widget's view: selection and patients per dose for BOIN and BF-BOIN, with N and duration.

    Parameters
    ----------
    comparison : Comparison
        Output of :func:`compare`.
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    comp = _validate.instance(comparison, "comparison", Comparison)
    sc = comp.scenario
    fig, (left, right) = style.new_figure(ncols=2, figsize=(9.6, 4.6))
    doses = np.arange(1, sc.n_doses + 1)
    width = 0.38
    for offset, design in ((-width / 2, "boin"), (width / 2, "bf")):
        left.bar(doses + offset, _selection(comp.trials(design)), width, color=_COLOURS[design],
                 label=_design_name(design, lang))
    left.set_ylim(0, 100)
    left.set_ylabel(t("bfv_ylabel_selection", lang))
    left.set_title(t("bfv_title_selection", lang), loc="left")
    _dose_ticks(left, sc, lang)
    _patients_panel(right, comp, lang)
    right.set_title(t("bfv_title_patients", lang), loc="left")
    summary = "\n".join(
        t("bfv_summary_line", lang, design=_design_name(d, lang), n=f"{comp.mean(d, 'total'):.1f}",
          months=f"{comp.mean(d, 'duration'):.1f}", correct=f"{comp.mean(d, 'correct'):.1f}")
        for d in ("boin", "bf"))
    header = t("bfv_widget_header", lang, k=sc.number, cap=comp.n_cap_backfill, rate=f"{comp.accrual_per_month:g}",
               n=f"{comp.n_trials:,}")
    fig.suptitle(header + "\n" + summary, x=0.01, ha="left", fontsize=style.SMALL_SIZE)
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=style.SMALL_SIZE)
    return fig


# ------------------------------------------------------------------------------------------------ widget
def _widget_comparison(scenario: int, n_cap_backfill: int, accrual_per_month: float) -> Comparison:
    return compare(scenario, WIDGET_TRIALS, SEED, n_cap_backfill, accrual_per_month)


def _widget_figure(lang: str, scenario: int, n_cap_backfill: int, accrual_per_month: float) -> Figure:
    return widget_figure(_widget_comparison(scenario, n_cap_backfill, accrual_per_month), lang=lang)


def _per_dose(values: Sequence[float], fmt: str, lang: str) -> str:
    sep = "、" if lang == "zh-tw" else ", "
    return sep.join(t("bfv_alt_dose_value", lang, d=d, v=fmt.format(v)) for d, v in enumerate(values, start=1))


def _widget_alt(lang: str, values: Mapping) -> str:
    comp = _widget_comparison(values["scenario"], values["n_cap_backfill"], values["accrual_per_month"])
    fields = {"k": comp.scenario.number, "mtd": comp.scenario.mtd, "cap": comp.n_cap_backfill,
              "rate": f"{comp.accrual_per_month:g}", "n": f"{comp.n_trials:,}",
              "back": _per_dose(comp.bf.backfilled.mean(axis=0), "{:.1f}", lang)}
    for d in DESIGNS:
        fields.update({f"n_{d}": f"{comp.mean(d, 'total'):.1f}", f"months_{d}": f"{comp.mean(d, 'duration'):.1f}",
                       f"correct_{d}": f"{comp.mean(d, 'correct'):.1f}",
                       f"sel_{d}": _per_dose(_selection(comp.trials(d)), "{:.0f}%", lang),
                       f"pat_{d}": _per_dose(comp.trials(d).n.mean(axis=0), "{:.1f}", lang)})
    return t("bfv_widget_alt", lang, **fields)


def _scenario_option(k: int, lang: str) -> str:
    s = SCENARIOS[k]
    return t("bfv_scenario_option", lang, k=k, mtd=s.mtd, eff=", ".join(f"{p:.2f}" for p in s.true_eff))


widget = LiveWidget(
    "backfill",
    controls=(
        Choice("scenario", "bfv_w_scenario", tuple(SCENARIOS), value=3, option_label=_scenario_option),
        Slider("n_cap_backfill", "bfv_w_cap", 6, 24, 3, value=12, site=(12, 24), fmt="{:.0f}"),
        Slider("accrual_per_month", "bfv_w_accrual", 1.0, 8.0, 0.5, value=3.0, site=(3.0, 6.0), fmt="{:.1f}"),
    ),
    parts=(Part(_widget_figure, ("scenario", "n_cap_backfill", "accrual_per_month"), alt=_widget_alt),),
    columns=3,
)
"""Scenario, backfill cap and accrual rate in; :func:`widget_figure` of :func:`compare` with :data:`WIDGET_TRIALS`
trials per design out.  On the site the cap takes 12 or 24 patients per dose and the accrual rate 3 or 6 patients a
month (the settings the chapter's text asks the reader to try), so that the twelve scenarios fit the budget of
figure states (12 x 2 x 2 = 48); in Jupyter the sliders run from 6 to 24 and from 1 to 8."""


# ------------------------------------------------------------------------------------------------ numbers
BARNETT2023: Mapping[str, float] = MappingProxyType({"pcs_gain_max": 9.0, "cycle_weeks": 6.0,
                                                     "weeks_saved_per_patient": 0.5})
"""Barnett, Boix, Kontos and Jaki, Clin Trials 2023;20(3):261-268 (doi:10.1177/17407745231160092), abstract: over a
range of simulated scenarios, backfilling raised the percentage of correct MTD selections by up to 9 points, and with
a 6-week cycle each additional backfill patient shortened the trial by about half a week, at the cost of a larger
sample size."""


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_backfill.py``).

    The simulations are those of the notebook's cells (:func:`compare` is cached), plus the exercises' variants
    of scenario 3 (cap 24; accrual 1 and 6 patients a month).

    Examples
    --------
    >>> numbers()["bf_n_trials"]
    4000
    """
    design = paper_design()
    out: dict[str, float | int] = {"bf_lambda_e": design.lambda_e, "bf_lambda_d": design.lambda_d,
                                   "bf_cap": design.n_cap_backfill, "bf_n_trials": N_TRIALS,
                                   "bf_n_paper": PAPER_N_TRIALS}
    comparisons = [compare(k, n_trials=N_TRIALS, seed=SEED) for k in (2, 3, 4)]
    s3 = comparisons[1]
    for d in ("bf", "boin"):
        for m in ("total", "duration", "correct", "overdose", "below"):
            out[f"bf_s3_{m}_{d}"] = s3.mean(d, m)
    extra = [c.mean("bf", "total") - c.mean("boin", "total") for c in comparisons]
    gaps = [abs(c.mean("bf", "duration") - c.mean("boin", "duration")) for c in comparisons]
    out.update(bf_s3_extra=extra[1], bf_extra_min=min(extra), bf_extra_max=max(extra), bf_dur_gap_max=max(gaps),
               bf_s3_pcs_gain=s3.mean("bf", "correct") - s3.mean("boin", "correct"),
               bf_s3_dur_saving=s3.mean("boin", "duration") - s3.mean("bf", "duration"),
               bf_barnett_pcs_gain=BARNETT2023["pcs_gain_max"], bf_barnett_cycle=BARNETT2023["cycle_weeks"],
               bf_barnett_weeks=BARNETT2023["weeks_saved_per_patient"])

    lo, hi = stats.clopper_pearson([2, 4], [10, 20], level=0.90)
    out.update(bf_cp_lo=lo[0], bf_cp_hi=hi[0], bf_cp_w10=hi[0] - lo[0], bf_cp_w20=hi[1] - lo[1])
    precision = response_precision(s3, level=0.90)
    for j, name in ((1, "d2"), (2, "d3")):
        out[f"bf_p_{name}_eff"] = s3.scenario.true_eff[j]
        for d in ("bf", "boin"):
            out[f"bf_p_{name}_n_{d}"] = precision.patients[d][j]
            out[f"bf_p_{name}_w_{d}"] = precision.width[d][j]
    out["bf_p_d2_back"] = precision.backfilled["bf"][1]
    out["bf_p_d2_shrink"] = 100 * (1 - precision.width["bf"][1] / precision.width["boin"][1])
    out["bf_back_total"] = s3.bf.backfilled.sum(axis=1).mean()
    out["bf_widget_trials"] = WIDGET_TRIALS

    cap24 = compare(3, n_trials=N_TRIALS, seed=SEED, n_cap_backfill=24)
    p24 = response_precision(cap24)
    out.update(bf_ex1_n_d2=p24.patients["bf"][1], bf_ex1_w_d2=p24.width["bf"][1],
               bf_ex1_back=cap24.bf.backfilled.sum(axis=1).mean(), bf_ex1_total=cap24.mean("bf", "total"),
               bf_ex1_dur=cap24.mean("bf", "duration"))
    for name, j in (("d1", 0), ("d2", 1)):
        out[f"bf_ex2_true_{name}"] = s3.scenario.true_eff[j]
        for d in ("bf", "boin"):
            out[f"bf_ex2_est_{name}_{d}"] = precision.estimate[d][j]
    for label, rate in (("slow", 1.0), ("fast", 6.0)):
        comp = compare(3, n_trials=N_TRIALS, seed=SEED, accrual_per_month=rate)
        out[f"bf_ex3_back_{label}"] = comp.bf.backfilled.sum(axis=1).mean()
        for d in ("bf", "boin"):
            out[f"bf_ex3_dur_{label}_{d}"] = comp.mean(d, "duration")
            out[f"bf_ex3_total_{label}_{d}"] = comp.mean(d, "total")
    return {k: v if isinstance(v, int) else float(v) for k, v in out.items()}
