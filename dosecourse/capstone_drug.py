r"""The capstone's fictional drug DC-2026: its nonclinical package, its hidden true model and its seeded trial data.

DC-2026 is an invented oral, once-daily small-molecule kinase inhibitor (every number below is invented for
teaching; no real drug has them).  It is built to resemble a real pattern (as with sotorasib, whose exposure was
reported not to rise over the doses studied, Nakajima et al. 2022): tumour response plateaus at doses well below
the maximum tolerated dose, while toxicity keeps rising with exposure.  This module computes; it never draws.

* :data:`NONCLINICAL`: the study results the reader starts from (rat and dog toxicology, in vitro potency);
* :class:`TrueModel`: the hidden truth, with apparent clearance depending on body weight and on a latent
  *sickness* that also lowers the chance of response (the confounder of step 7), an observed albumin that
  measures sickness imperfectly, an Emax dose (exposure)-response that plateaus, a logistic exposure-toxicity
  and a target-inhibition biomarker;
* :func:`patients`: a seeded cohort of virtual patients (one stream per part of the programme, so the
  escalation, backfill and expansion data do not change when another part's choices change);
* :func:`run_escalation`: the reader's escalation design run on the hidden truth, cohort by cohort;
* :func:`simulate_backfill`, :func:`simulate_expansion`: backfill cohorts and a randomized expansion of two
  doses;
* :func:`fit_exposure_response`: logistic exposure-response of the expansion data, naive or adjusted for the
  observed covariates;
* :func:`reveal`: the truth, for the facilitator to show at the end.

With the default seed (:data:`DEFAULT_SEED`) a class shares one data set; another seed gives other patients from
the same truth.

References
----------
ICH S9. Nonclinical Evaluation for Anticancer Pharmaceuticals. 2009.
Dancey JE, Dobbin KK, Groshen S, et al. Guidelines for the development and incorporation of biomarker studies in
early clinical trials of novel agents. Clin Cancer Res. 2010;16(6):1745-1755. doi:10.1158/1078-0432.CCR-09-2167
Nakajima EC, Drezner N, Li X, et al. FDA approval summary: sotorasib for KRAS G12C-mutated metastatic NSCLC. Clin
Cancer Res. 2022;28(8):1482-1486. doi:10.1158/1078-0432.CCR-21-3074
Dai HI, Vugmeyster Y, Mangal N. Characterizing exposure-response relationship for therapeutic monoclonal
antibodies in immuno-oncology and beyond: challenges, perspectives, and prospects. Clin Pharmacol Ther. 2020.
doi:10.1002/cpt.1953 (PMID 32557643)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import statsmodels.api as sm
from scipy.special import expit, logit

from . import _validate
from . import escalation as esc

NAME = "DC-2026"
"""The fictional drug's name."""

DEFAULT_SEED: int = 2026
"""Seed a class shares (every data function's default)."""

DOSES: tuple[float, ...] = (80.0, 160.0, 320.0, 480.0, 640.0, 960.0)
"""Dose levels of the escalation, mg once daily (dose level 1 = 80 mg)."""

NONCLINICAL: Mapping[str, float] = MappingProxyType({
    "rat_std10": 100.0,        # 28-day rat study: dose severely toxic to 10% of rats, mg/kg/day
    "rat_noael": 30.0,         # 28-day rat study: NOAEL, mg/kg/day
    "dog_hnstd": 15.0,         # 28-day dog study: highest non-severely toxic dose, mg/kg/day
    "dog_noael": 5.0,          # 28-day dog study: NOAEL, mg/kg/day
    "ic50_nm": 12.0,           # in vitro: cellular IC50 of target phosphorylation, nM
    "efficacious_mouse": 30.0,  # xenograft: dose with tumour regression in mice, mg/kg/day
})
"""The nonclinical package of DC-2026 (invented study results; doses in mg/kg/day)."""

STREAMS: Mapping[str, int] = MappingProxyType({"escalation": 1, "backfill": 2, "expansion": 3})
"""Independent random streams of the programme's parts (:func:`patients`)."""

MAX_PATIENTS_PER_PART = 2_000
"""Largest number of patients one part of the programme may simulate."""

_GH = 48  # Gauss-Hermite nodes per dimension of the true expectations


def _broadcast(**arrays: np.ndarray) -> None:
    """Raise a ValueError naming the arguments when their shapes do not broadcast together."""
    try:
        np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(a)}" for k, a in arrays.items())
        raise ValueError(f"{' and '.join(arrays)} must have shapes that broadcast together; got {shapes}") from None


def _per_patient(obj: object, names: Sequence[str], n: int, **bounds: object) -> None:
    """Check that each attribute in ``names`` is a 1-D array of ``n`` values within ``bounds``."""
    for name in names:
        arr = _validate.real_array(getattr(obj, name), name, ndim=1, **bounds)
        if arr.size != n:
            raise ValueError(f"{name} must have one value per patient ({n}); got {arr.size}")


def _flags(obj: object, names: Sequence[str], n: int) -> None:
    """Check that each attribute in ``names`` is a 1-D boolean array of ``n`` values."""
    for name in names:
        arr = np.asarray(getattr(obj, name))
        if arr.dtype != bool or arr.ndim != 1 or arr.size != n:
            raise ValueError(f"{name} must be a 1-D array of True/False, one per patient ({n}); got "
                             f"{_validate._shown(getattr(obj, name))}")


@dataclass(frozen=True)
class TrueModel:
    r"""The hidden true model of DC-2026 (all values invented).

    Parameters
    ----------
    cl : float
        Typical apparent clearance CL/F (L/h) of a 70-kg patient of average sickness.
    weight_exponent : float
        Allometric exponent of body weight on clearance.
    sickness_on_cl : float
        Change of log clearance per SD of latent sickness (sicker patients clear the drug faster).
    omega_cl : float
        SD of the rest of log clearance.
    weight_median, weight_sd : float
        Median body weight (kg) and SD of log weight.
    albumin_median, albumin_sd, albumin_reliability : float
        Median albumin (g/L), SD of log albumin and the squared correlation between sickness and log albumin
        (albumin falls as sickness rises).
    auc50, hill : float
        Exposure (AUC over 24 h at steady state, mg·h/L) at half the drug's maximal effect, and its Hill
        coefficient.
    response_max, sickness_on_response : float
        :math:`p_R = \frac{A^h}{A_{50}^h + A^h}\,\operatorname{expit}(a - k S)`: the first factor is the share of
        the maximal target effect reached, the second the chance that the tumour of a patient of sickness S
        responds to a full effect; :math:`a = \operatorname{logit}(` ``response_max`` :math:`)`, k =
        ``sickness_on_response``.
    dlt_ref, dlt_slope, auc_ref : float
        Cycle-1 DLT: :math:`\operatorname{logit} q = \operatorname{logit} q_{ref} + \beta \log(A / A_{ref})`.
    tox_cycles : int
        Cycles over which the expansion counts intolerable toxicity: :math:`1 - (1 - q)^{c}` (the same risk in
        every cycle).
    ic50_auc, pd_sd : float
        Target inhibition (%) :math:`= 100 A / (A_{50,PD} + A)` plus normal noise of SD ``pd_sd``.

    Raises
    ------
    ValueError, TypeError
        If a value is out of range.
    """

    cl: float = 12.0
    weight_exponent: float = 0.75
    sickness_on_cl: float = 0.30
    omega_cl: float = 0.30
    weight_median: float = 70.0
    weight_sd: float = 0.20
    albumin_median: float = 38.0
    albumin_sd: float = 0.12
    albumin_reliability: float = 0.7
    auc50: float = 6.0
    hill: float = 1.5
    response_max: float = 0.45
    sickness_on_response: float = 1.0
    dlt_ref: float = 0.25
    dlt_slope: float = 2.5
    auc_ref: float = 56.0
    tox_cycles: int = 3
    ic50_auc: float = 3.0
    pd_sd: float = 8.0

    def __post_init__(self) -> None:
        for name in ("cl", "weight_exponent", "weight_median", "albumin_median", "auc50", "hill", "dlt_slope",
                     "auc_ref", "ic50_auc"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name))
        for name in ("sickness_on_cl", "omega_cl", "weight_sd", "albumin_sd", "sickness_on_response", "pd_sd"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name, allow_zero=True,
                                                              maximum=10.0))
        for name in ("albumin_reliability",):
            object.__setattr__(self, name, _validate.probability(getattr(self, name), name, open_interval=False))
        for name in ("response_max", "dlt_ref"):
            object.__setattr__(self, name, _validate.probability(getattr(self, name), name))
        object.__setattr__(self, "tox_cycles", _validate.positive_int(self.tox_cycles, "tox_cycles", maximum=12))

    # --------------------------------------------------------------------------------------- patient level
    def clearance(self, weight: float | np.ndarray, sickness: float | np.ndarray,
                  eta: float | np.ndarray = 0.0) -> np.ndarray:
        r"""Apparent clearance (L/h): :math:`CL\,(W/70)^{\theta_W} e^{\gamma S + \omega \eta}`.

        Parameters
        ----------
        weight : float or array_like
            Body weight (kg, > 0).
        sickness : float or array_like
            Latent sickness S (SD units).
        eta : float or array_like, default 0
            Standard-normal rest of log clearance.

        Returns
        -------
        numpy.ndarray
        """
        w = _validate.real_array(weight, "weight", minimum=0.0, strict_minimum=True)
        s = _validate.real_array(sickness, "sickness")
        e = _validate.real_array(eta, "eta")
        _broadcast(weight=w, sickness=s, eta=e)
        return self.cl * (w / 70.0) ** self.weight_exponent * np.exp(self.sickness_on_cl * s + self.omega_cl * e)

    def p_response(self, auc: float | np.ndarray, sickness: float | np.ndarray = 0.0) -> np.ndarray:
        """True response probability at exposure ``auc`` (mg·h/L) for sickness ``sickness``.

        Parameters
        ----------
        auc : float or array_like
            AUC over 24 h at steady state (mg·h/L, >= 0).
        sickness : float or array_like, default 0
            Latent sickness S.

        Returns
        -------
        numpy.ndarray
        """
        a = _validate.real_array(auc, "auc", minimum=0.0)
        s = _validate.real_array(sickness, "sickness")
        _broadcast(auc=a, sickness=s)
        share = a ** self.hill / (self.auc50 ** self.hill + a ** self.hill)
        return share * expit(logit(self.response_max) - self.sickness_on_response * s)

    def p_dlt(self, auc: float | np.ndarray) -> np.ndarray:
        """True probability of a DLT in cycle 1 at exposure ``auc`` (mg·h/L).

        Parameters
        ----------
        auc : float or array_like
            AUC over 24 h at steady state (mg·h/L, >= 0).

        Returns
        -------
        numpy.ndarray
        """
        a = _validate.real_array(auc, "auc", minimum=0.0)
        with np.errstate(divide="ignore"):
            eta = logit(self.dlt_ref) + self.dlt_slope * np.log(a / self.auc_ref)
        return expit(eta)

    def p_toxicity(self, auc: float | np.ndarray) -> np.ndarray:
        """True probability of intolerable toxicity within :attr:`tox_cycles` cycles, :math:`1 - (1 - q)^c`.

        Parameters
        ----------
        auc : float or array_like
            AUC over 24 h at steady state (mg·h/L, >= 0).

        Returns
        -------
        numpy.ndarray
        """
        return 1.0 - (1.0 - self.p_dlt(auc)) ** self.tox_cycles

    def inhibition(self, auc: float | np.ndarray) -> np.ndarray:
        """True mean target inhibition (%) at exposure ``auc`` (mg·h/L).

        Parameters
        ----------
        auc : float or array_like
            AUC over 24 h at steady state (mg·h/L, >= 0).

        Returns
        -------
        numpy.ndarray
        """
        a = _validate.real_array(auc, "auc", minimum=0.0)
        return 100.0 * a / (self.ic50_auc + a)

    # --------------------------------------------------------------------------------------- population level
    def _nodes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Gauss-Hermite nodes over (sickness, the rest of log CL): log CL offsets, sickness, weights.

        Body weight enters log CL as a normal term too (log weight is normal), so it is merged into the rest.
        """
        x, w = np.polynomial.hermite_e.hermegauss(_GH)
        w = w / w.sum()
        s, z = np.meshgrid(x, x, indexing="ij")
        rest_sd = math.hypot(self.omega_cl, self.weight_exponent * self.weight_sd)
        offset = self.sickness_on_cl * s + rest_sd * z
        return offset.ravel(), s.ravel(), np.outer(w, w).ravel()

    def _typical_cl(self) -> float:
        return self.cl * (self.weight_median / 70.0) ** self.weight_exponent

    def expected(self, dose: float | Sequence[float], outcome: str) -> np.ndarray:
        r"""The population mean of an outcome at each dose: the truth a trial estimates.

        Parameters
        ----------
        dose : float or sequence of float
            Daily doses (mg, > 0).
        outcome : {"response", "dlt", "toxicity", "inhibition", "auc"}
            Response probability, cycle-1 DLT probability, toxicity within :attr:`tox_cycles` cycles, mean target
            inhibition (%) or mean AUC (mg·h/L).

        Returns
        -------
        numpy.ndarray
            One value per dose.

        Notes
        -----
        :math:`E[g(D/CL, S)]` over the joint normal distribution of S and log CL, by a product Gauss-Hermite rule
        with 48 nodes per dimension (log weight, normal, is folded into the rest of log CL).
        """
        d = np.atleast_1d(_validate.real_array(dose, "dose", minimum=0.0, strict_minimum=True, nonempty=True))
        _validate.one_of(outcome, "outcome", ("response", "dlt", "toxicity", "inhibition", "auc"))
        offset, s, w = self._nodes()
        auc = d[:, None] / (self._typical_cl() * np.exp(offset))[None, :]
        values = {"response": lambda: self.p_response(auc, s[None, :]), "dlt": lambda: self.p_dlt(auc),
                  "toxicity": lambda: self.p_toxicity(auc), "inhibition": lambda: self.inhibition(auc),
                  "auc": lambda: auc}[outcome]()
        return values @ w


DEFAULT_MODEL = TrueModel()
"""DC-2026's hidden truth (every value invented)."""


# ------------------------------------------------------------------------------------------------ patients
@dataclass(frozen=True)
class Patients:
    """A seeded cohort of virtual patients (arrays read-only, one entry per patient, in order of enrolment).

    Parameters
    ----------
    weight, albumin : ndarray
        Body weight (kg) and albumin (g/L), the observed covariates.
    sickness : ndarray
        Latent sickness (not observable in a real trial).
    eta : ndarray
        Standard-normal rest of log clearance.
    u_dlt, u_tox, u_response : ndarray
        Uniform draws that decide, for the dose the patient gets, a cycle-1 DLT (``u < q``), intolerable
        toxicity within the first cycles (``u < 1 - (1 - q)^c``, a draw of its own) and response
        (``u < p_R``).
    z_pd : ndarray
        Standard-normal noise of the target-inhibition measurement.
    seed : int
        Seed of the programme.
    stream : str
        The part of the programme (a key of :data:`STREAMS`).
    """

    weight: np.ndarray
    albumin: np.ndarray
    sickness: np.ndarray
    eta: np.ndarray
    u_dlt: np.ndarray
    u_tox: np.ndarray
    u_response: np.ndarray
    z_pd: np.ndarray
    seed: int
    stream: str

    def __post_init__(self) -> None:
        n = _validate.real_array(self.weight, "weight", ndim=1, nonempty=True, minimum=0.0,
                                 strict_minimum=True).size
        _per_patient(self, ("albumin",), n, minimum=0.0, strict_minimum=True)
        _per_patient(self, ("sickness", "eta", "z_pd"), n)
        _per_patient(self, ("u_dlt", "u_tox", "u_response"), n, minimum=0.0, maximum=1.0)
        _validate.integer(self.seed, "seed", minimum=0)
        _validate.one_of(self.stream, "stream", tuple(STREAMS))

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.weight.size)

    def auc(self, dose: float | np.ndarray, model: TrueModel = DEFAULT_MODEL) -> np.ndarray:
        """Each patient's AUC over 24 h at steady state (mg·h/L) at ``dose`` mg (a number or one per patient).

        Parameters
        ----------
        dose : float or array_like
            Daily dose (mg, > 0).
        model : TrueModel
            The true model.

        Returns
        -------
        numpy.ndarray
        """
        d = _validate.real_array(dose, "dose", minimum=0.0, strict_minimum=True)
        _validate.instance(model, "model", TrueModel)
        return d / model.clearance(self.weight, self.sickness, self.eta)


def _frozen(values: object, dtype: object = float) -> np.ndarray:
    arr = np.array(values, dtype=dtype)
    arr.setflags(write=False)
    return arr


def patients(n: int, stream: str = "escalation", *, seed: int = DEFAULT_SEED,
             model: TrueModel = DEFAULT_MODEL) -> Patients:
    r"""The first ``n`` patients of one part of the programme (seeded: the same seed gives the same patients).

    Parameters
    ----------
    n : int
        Number of patients (1 to :data:`MAX_PATIENTS_PER_PART`).
    stream : {"escalation", "backfill", "expansion"}, default "escalation"
        Part of the programme; each has its own random stream (``SeedSequence([seed, STREAMS[stream]])``).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of the programme (>= 0).
    model : TrueModel
        The true model (its covariate distributions).

    Returns
    -------
    Patients

    Notes
    -----
    :math:`\log W \sim N(\log W_{50}, \sigma_W^2)`, :math:`S \sim N(0, 1)`,
    :math:`\log Alb = \log Alb_{50} - \sigma_A (\sqrt{\rho} S + \sqrt{1 - \rho}\, e)`, :math:`\eta, e \sim N(0, 1)`
    and four uniform or normal outcome draws, all independent; patient i of a stream is the same patient for every
    ``n >= i`` (the draws are made patient by patient).

    Examples
    --------
    >>> p = patients(3, seed=1)
    >>> p.n, bool((patients(5, seed=1).weight[:3] == p.weight).all())
    (3, True)
    """
    n = _validate.positive_int(n, "n", maximum=MAX_PATIENTS_PER_PART)
    stream = _validate.one_of(stream, "stream", tuple(STREAMS))
    seed = _validate.integer(seed, "seed", minimum=0)
    _validate.instance(model, "model", TrueModel)
    gen = np.random.default_rng(np.random.SeedSequence([seed, STREAMS[stream]]))
    draws = gen.standard_normal((MAX_PATIENTS_PER_PART, 4))[:n]
    uniforms = gen.random((MAX_PATIENTS_PER_PART, 3))[:n]
    z_w, s, e_alb, eta = draws.T
    rho = model.albumin_reliability
    weight = model.weight_median * np.exp(model.weight_sd * z_w)
    albumin = model.albumin_median * np.exp(-model.albumin_sd * (math.sqrt(rho) * s + math.sqrt(1 - rho) * e_alb))
    z_pd = gen.standard_normal(MAX_PATIENTS_PER_PART)[:n]
    return Patients(_frozen(weight), _frozen(albumin), _frozen(s), _frozen(eta), _frozen(uniforms[:, 0]),
                    _frozen(uniforms[:, 1]), _frozen(uniforms[:, 2]), _frozen(z_pd), seed, stream)


# ------------------------------------------------------------------------------------------------ escalation
@dataclass(frozen=True)
class EscalationRun:
    """An escalation design run on the hidden truth.

    Parameters
    ----------
    design : str
        The design's ``repr``.
    outcomes : str
        The trial as an outcome string (``"1NNN 2NTN ..."``; T = DLT).
    doses : ndarray of int
        Dose level (1..K) of each patient, in order of enrolment.
    dlt : ndarray of bool
        DLT of each patient.
    response : ndarray of bool
        Response of each patient (recorded, not used by a DLT-based design).
    n, y : ndarray of int
        Patients and DLTs per dose level.
    selected : int
        The dose level the design selects (:data:`dosecourse.escalation.NO_DOSE` if none).
    stopped : bool
        Whether the trial stopped early for safety.
    seed : int
        Seed of the programme.
    """

    design: str
    outcomes: str
    doses: np.ndarray
    dlt: np.ndarray
    response: np.ndarray
    n: np.ndarray
    y: np.ndarray
    selected: int
    stopped: bool
    seed: int

    def __post_init__(self) -> None:
        _validate.text(self.design, "design")
        _validate.text(self.outcomes, "outcomes")
        k = _validate.whole_array(self.n, "n", ndim=1).size
        _validate.counts(self.n, self.y, k)
        doses = _validate.whole_array(self.doses, "doses", ndim=1, minimum=1)
        if doses.size == 0 or doses.max() > k:
            raise ValueError(f"doses must give each patient's dose level, 1 to {k}; got {doses.tolist()[:10]}")
        _flags(self, ("dlt", "response"), doses.size)
        if not (np.array_equal(np.bincount(doses - 1, minlength=k), self.n)
                and np.array_equal(np.bincount(doses - 1, weights=self.dlt, minlength=k), self.y)):
            raise ValueError("n and y must be the patients and DLTs per dose of doses and dlt")
        _validate.integer(self.selected, "selected", minimum=0, maximum=k)
        _validate.boolean(self.stopped, "stopped")
        _validate.integer(self.seed, "seed", minimum=0)

    @property
    def responses(self) -> np.ndarray:
        """Responders per dose level."""
        return np.bincount(self.doses - 1, weights=self.response, minlength=self.n.size).astype(int)


def run_escalation(design: esc.Design, *, seed: int = DEFAULT_SEED, model: TrueModel = DEFAULT_MODEL,
                   doses: Sequence[float] = DOSES) -> EscalationRun:
    """Run an escalation design on DC-2026's hidden truth, cohort by cohort, with seeded patients.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        A DLT-based design on ``len(doses)`` dose levels (e.g. ``esc.BOIN(0.25, 6)``).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of the programme.
    model : TrueModel
        The true model.
    doses : sequence of float, default :data:`DOSES`
        Dose (mg) of each level.

    Returns
    -------
    EscalationRun

    Raises
    ------
    ValueError, TypeError
        If ``design`` is not a design with as many levels as ``doses``.

    Notes
    -----
    The design's own :meth:`~dosecourse.escalation.Design.next_dose` assigns each cohort; patient i of the
    escalation stream has a DLT at dose d when :math:`u_i < q(d / CL_i)`, so every design meets the same patients
    in the same order.

    Examples
    --------
    >>> run = run_escalation(esc.BOIN(0.25, 6, n_cohorts=4), seed=1)
    >>> int(run.n.sum())
    12
    """
    _validate.instance(design, "design", esc.Design)
    _validate.instance(model, "model", TrueModel)
    levels = _validate.real_array(doses, "doses", ndim=1, minimum=0.0, strict_minimum=True, increasing=True)
    k = levels.size
    if design.n_doses != k:
        raise ValueError(f"design must have one dose level per dose of doses ({k}); got {design.n_doses}")
    pts = patients(design.max_n, "escalation", seed=seed, model=model)
    cohorts: list[str] = []
    given, dlts, resp = [], [], []
    dose, i, stopped = design.start_dose, 0, False
    data = esc.TrialData.empty(k)
    for _ in range(design.n_cohorts):
        size = design.cohort_size
        idx = slice(i, i + size)
        auc = pts.auc(levels[dose - 1], model)[idx]
        dlt = pts.u_dlt[idx] < model.p_dlt(auc)
        given += [dose] * size
        dlts += dlt.tolist()
        resp += (pts.u_response[idx] < model.p_response(auc, pts.sickness[idx])).tolist()
        cohorts.append(f"{dose}" + "".join("T" if x else "N" for x in dlt))
        i += size
        data = esc.TrialData.from_outcomes(" ".join(cohorts), k)
        decision = design.next_dose(data)
        if decision.action == "stop":
            stopped = True
            break
        dose = decision.dose
    selected = design.select(data)
    doses_arr = np.array(given, dtype=int)
    dlt_arr = np.array(dlts, dtype=bool)
    n = np.bincount(doses_arr - 1, minlength=k)
    y = np.bincount(doses_arr - 1, weights=dlt_arr, minlength=k).astype(int)
    return EscalationRun(repr(design), " ".join(cohorts), _frozen(doses_arr, int), _frozen(dlt_arr, bool),
                         _frozen(resp, bool), _frozen(n, int), _frozen(y, int), int(selected), stopped,
                         int(seed))


# ------------------------------------------------------------------------------------------------ backfill, expansion
@dataclass(frozen=True)
class CohortData:
    """Patient-level data of backfill cohorts or of a randomized expansion (arrays read-only).

    Parameters
    ----------
    dose : ndarray
        Dose (mg) of each patient.
    weight, albumin : ndarray
        Observed covariates.
    auc : ndarray
        Individual AUC over 24 h at steady state (mg·h/L), from sparse PK (taken as known here).
    response, dlt, toxicity : ndarray of bool
        Objective response, cycle-1 DLT, intolerable toxicity within the first cycles.
    inhibition : ndarray
        Observed target inhibition (%).
    seed : int
        Seed of the programme.
    """

    dose: np.ndarray
    weight: np.ndarray
    albumin: np.ndarray
    auc: np.ndarray
    response: np.ndarray
    dlt: np.ndarray
    toxicity: np.ndarray
    inhibition: np.ndarray
    seed: int

    def __post_init__(self) -> None:
        n = _validate.real_array(self.dose, "dose", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True).size
        _per_patient(self, ("weight", "albumin", "auc"), n, minimum=0.0, strict_minimum=True)
        _per_patient(self, ("inhibition",), n, minimum=0.0, maximum=100.0)
        _flags(self, ("response", "dlt", "toxicity"), n)
        _validate.integer(self.seed, "seed", minimum=0)

    @property
    def levels(self) -> tuple[float, ...]:
        """The doses given, lowest first."""
        return tuple(float(d) for d in np.unique(self.dose))

    def counts(self, outcome: str) -> tuple[np.ndarray, np.ndarray]:
        """Patients and events per dose (lowest first) for ``"response"``, ``"dlt"`` or ``"toxicity"``.

        Parameters
        ----------
        outcome : {"response", "dlt", "toxicity"}
            The binary outcome.

        Returns
        -------
        (ndarray, ndarray)
            Patients and events per dose.
        """
        _validate.one_of(outcome, "outcome", ("response", "dlt", "toxicity"))
        values = getattr(self, outcome)
        levels = np.array(self.levels)
        idx = np.searchsorted(levels, self.dose)
        return (np.bincount(idx, minlength=levels.size),
                np.bincount(idx, weights=values, minlength=levels.size).astype(int))

    def mean(self, outcome: str) -> np.ndarray:
        """Mean of an outcome per dose (lowest first): a rate for the binary ones, % for ``"inhibition"``.

        Parameters
        ----------
        outcome : {"response", "dlt", "toxicity", "inhibition", "auc"}
            The outcome.

        Returns
        -------
        numpy.ndarray
        """
        _validate.one_of(outcome, "outcome", ("response", "dlt", "toxicity", "inhibition", "auc"))
        levels = np.array(self.levels)
        idx = np.searchsorted(levels, self.dose)
        n = np.bincount(idx, minlength=levels.size)
        return np.bincount(idx, weights=np.asarray(getattr(self, outcome), float), minlength=levels.size) / n


def _cohort(doses: np.ndarray, stream: str, seed: int, model: TrueModel) -> CohortData:
    pts = patients(doses.size, stream, seed=seed, model=model)
    auc = pts.auc(doses, model)
    q = model.p_dlt(auc)
    inhibition = model.inhibition(auc) + model.pd_sd * pts.z_pd
    return CohortData(_frozen(doses), pts.weight, pts.albumin, _frozen(auc),
                      _frozen(pts.u_response < model.p_response(auc, pts.sickness), bool),
                      _frozen(pts.u_dlt < q, bool), _frozen(pts.u_tox < model.p_toxicity(auc), bool),
                      _frozen(np.clip(inhibition, 0.0, 100.0)), seed)


def simulate_backfill(doses: Sequence[float], n_per_dose: int = 6, *, seed: int = DEFAULT_SEED,
                      model: TrueModel = DEFAULT_MODEL) -> CohortData:
    """Backfill cohorts: ``n_per_dose`` more patients at each of ``doses``, already cleared by the escalation.

    Parameters
    ----------
    doses : sequence of float
        Doses (mg, > 0, increasing), 1 to 6 of them.
    n_per_dose : int, default 6
        Patients per dose (1 to 100).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of the programme (the backfill stream).
    model : TrueModel
        The true model.

    Returns
    -------
    CohortData
        Patients in blocks, one block per dose (lowest first).

    Examples
    --------
    >>> bf = simulate_backfill([160.0, 320.0], 4, seed=1)
    >>> bf.levels, bf.counts("response")[0].tolist()
    ((160.0, 320.0), [4, 4])
    """
    d = _validate.real_array(doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                             increasing=True, max_size=len(DOSES))
    n = _validate.positive_int(n_per_dose, "n_per_dose", maximum=100)
    _validate.instance(model, "model", TrueModel)
    return _cohort(np.repeat(d, n), "backfill", _validate.integer(seed, "seed", minimum=0), model)


def simulate_expansion(doses: Sequence[float], n_per_arm: int = 40, *, seed: int = DEFAULT_SEED,
                       model: TrueModel = DEFAULT_MODEL) -> CohortData:
    """A randomized expansion of two doses, ``n_per_arm`` patients each (1:1, in blocks of two).

    Parameters
    ----------
    doses : sequence of float
        The two doses (mg, > 0, increasing).
    n_per_arm : int, default 40
        Patients per arm (2 to 500).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of the programme (the expansion stream).
    model : TrueModel
        The true model.

    Returns
    -------
    CohortData
        Patients in order of randomization: odd patients to the lower dose, even to the higher (a fixed block of
        two, so the same patients meet every dose pair).

    Examples
    --------
    >>> ex = simulate_expansion([320.0, 640.0], 10, seed=1)
    >>> ex.levels, ex.counts("response")[0].tolist()
    ((320.0, 640.0), [10, 10])
    """
    d = _validate.real_array(doses, "doses", ndim=1, minimum=0.0, strict_minimum=True, increasing=True)
    if d.size != 2:
        raise ValueError(f"doses must give exactly two doses (lowest first); got {d.size}")
    n = _validate.positive_int(n_per_arm, "n_per_arm", minimum=2, maximum=500)
    _validate.instance(model, "model", TrueModel)
    return _cohort(np.tile(d, n), "expansion", _validate.integer(seed, "seed", minimum=0), model)


# ------------------------------------------------------------------------------------------------ exposure-response
ER_ANALYSES: tuple[str, ...] = ("naive", "adjusted", "dose")
"""Analyses of :func:`fit_exposure_response`: log AUC alone, log AUC with log albumin and log weight, log dose
(the randomized comparison)."""


@dataclass(frozen=True)
class ERFit:
    """A logistic exposure-response (or dose-response) fit to cohort data.

    Parameters
    ----------
    analysis : str
        One of :data:`ER_ANALYSES`.
    slope, se : float
        Log odds ratio of response per unit of log AUC (or log dose), and its standard error.
    ci_low, ci_high : float
        95% Wald interval of the slope.
    n, n_responders : int
        Patients and responders.
    """

    analysis: str
    slope: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_responders: int

    def __post_init__(self) -> None:
        _validate.one_of(self.analysis, "analysis", ER_ANALYSES)
        lo = _validate.number(self.ci_low, "ci_low")
        hi = _validate.number(self.ci_high, "ci_high", minimum=lo)
        _validate.number(self.slope, "slope", minimum=lo, maximum=hi)
        _validate.positive(self.se, "se")
        n = _validate.positive_int(self.n, "n", maximum=_validate.MAX_PATIENTS)
        _validate.integer(self.n_responders, "n_responders", minimum=0, maximum=n)

    @property
    def per_doubling(self) -> float:
        """Odds ratio for a doubling of exposure (or dose): ``exp(slope log 2)``."""
        return math.exp(self.slope * math.log(2.0))


def fit_exposure_response(data: CohortData, analysis: str = "naive") -> ERFit:
    r"""Logistic regression of response on log exposure (naive or adjusted) or on log dose.

    Parameters
    ----------
    data : CohortData
        Patient-level data (e.g. :func:`simulate_expansion`).
    analysis : {"naive", "adjusted", "dose"}, default "naive"
        :math:`\operatorname{logit} P(R) = b_0 + b_1 \log A` (naive), plus :math:`b_2 \log Alb + b_3 \log W`
        (adjusted), or :math:`b_0 + b_1 \log D` (dose, which only randomization makes unconfounded).

    Returns
    -------
    ERFit
        The coefficient of log AUC (or log dose).

    Raises
    ------
    ValueError
        If the analysis is unknown, the data hold only responders or only non-responders, one dose only for
        ``"dose"``, or the fit does not converge.

    Notes
    -----
    Maximum likelihood with statsmodels ``Logit`` (Newton); Wald interval :math:`b_1 \pm 1.96\,SE`.  Within one
    dose, exposure varies only through clearance, so anything that drives both clearance and response (here
    sickness, measured imperfectly by albumin) biases the naive slope (Dai et al. 2020).

    Examples
    --------
    >>> fit = fit_exposure_response(simulate_expansion([320.0, 640.0], 40, seed=1))
    >>> fit.analysis, fit.n
    ('naive', 80)
    """
    _validate.instance(data, "data", CohortData)
    _validate.one_of(analysis, "analysis", ER_ANALYSES)
    y = np.asarray(data.response, dtype=float)
    if y.min() == y.max():
        raise ValueError("data must hold both responders and non-responders for a logistic regression")
    if analysis == "dose":
        if len(data.levels) < 2:
            raise ValueError("analysis 'dose' needs at least two doses")
        X = np.log(data.dose)[:, None]
    else:
        X = np.log(data.auc)[:, None]
        if analysis == "adjusted":
            X = np.column_stack([X, np.log(data.albumin), np.log(data.weight)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=0, method="newton", maxiter=50)
    if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(res.bse)):
        raise ValueError("the logistic regression did not converge (complete separation?)")
    b, se = float(res.params[1]), float(res.bse[1])
    return ERFit(analysis, b, se, b - 1.959963984540054 * se, b + 1.959963984540054 * se, int(y.size), int(y.sum()))


# ------------------------------------------------------------------------------------------------ the truth
@dataclass(frozen=True)
class Truth:
    """What :func:`reveal` shows: the hidden truth at each dose level.

    Parameters
    ----------
    doses : tuple of float
        Dose levels (mg).
    dlt, toxicity, response, inhibition, auc : ndarray
        True cycle-1 DLT probability, intolerable toxicity within the first cycles, response probability, mean
        target inhibition (%) and mean AUC (mg·h/L) per dose.
    mtd : int
        The true MTD level for ``target``: the level whose DLT probability is closest to it
        (:func:`dosecourse.escalation.correct_doses`; the lowest of a tie).
    plateau : int
        The lowest level whose response probability is within ``margin`` of the highest.
    target, margin : float
        The DLT target and the response margin used.
    model : TrueModel
        The model's parameters.
    """

    doses: tuple[float, ...]
    dlt: np.ndarray
    toxicity: np.ndarray
    response: np.ndarray
    inhibition: np.ndarray
    auc: np.ndarray
    mtd: int
    plateau: int
    target: float
    margin: float
    model: TrueModel

    def __post_init__(self) -> None:
        k = _validate.real_array(self.doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                 increasing=True).size
        for name in ("dlt", "toxicity", "response"):
            _validate.probabilities(getattr(self, name), name, length=k, open_interval=False)
        for name, top in (("inhibition", 100.0), ("auc", None)):
            arr = _validate.real_array(getattr(self, name), name, ndim=1, minimum=0.0, maximum=top)
            if arr.size != k:
                raise ValueError(f"{name} must have one value per dose ({k}); got {arr.size}")
        _validate.probability(self.target, "target")
        _validate.probability(self.margin, "margin")
        _validate.integer(self.mtd, "mtd", minimum=0, maximum=k)
        _validate.integer(self.plateau, "plateau", minimum=1, maximum=k)
        _validate.instance(self.model, "model", TrueModel)


def reveal(target: float = 0.25, margin: float = 0.05, *, model: TrueModel = DEFAULT_MODEL,
           doses: Sequence[float] = DOSES) -> Truth:
    """The hidden truth of DC-2026, for the facilitator to show at the end of the capstone.

    Parameters
    ----------
    target : float, default 0.25
        Target DLT probability that defines the true MTD.
    margin : float, default 0.05
        Response margin that defines the start of the plateau (lowest dose within ``margin`` of the best).
    model : TrueModel
        The true model.
    doses : sequence of float, default :data:`DOSES`
        Dose levels (mg).

    Returns
    -------
    Truth

    Examples
    --------
    >>> truth = reveal()
    >>> truth.mtd > truth.plateau
    True
    """
    target = _validate.probability(target, "target")
    margin = _validate.probability(margin, "margin")
    _validate.instance(model, "model", TrueModel)
    d = _validate.real_array(doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                             increasing=True)
    dlt = model.expected(d, "dlt")
    resp = model.expected(d, "response")
    mtd = int(np.min(esc.correct_doses(dlt, target)))
    plateau = int(np.flatnonzero(resp >= resp.max() - margin)[0]) + 1
    return Truth(tuple(float(v) for v in d), _frozen(dlt), _frozen(model.expected(d, "toxicity")), _frozen(resp),
                 _frozen(model.expected(d, "inhibition")), _frozen(model.expected(d, "auc")), mtd, plateau,
                 target, margin, model)
