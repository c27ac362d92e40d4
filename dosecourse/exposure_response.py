"""Exposure-response (E-R) analysis of antibodies and how disease confounds it.

For a monoclonal antibody given at one dose, exposure differs between patients mostly because clearance differs,
and clearance is higher in sicker patients (low albumin, cachexia, high tumour burden: more catabolism of IgG).
Sicker patients also do worse.  A regression of outcome on exposure then finds a slope even when the drug's true
exposure-response is flat.  This module simulates such trials from a stated true model and fits the usual
analyses, so that the size of that spurious slope, and what removes it, can be shown:

* :class:`ERScenario` holds the true model: a latent *sickness* ``S ~ N(0, 1)`` raises clearance
  (``disease_on_cl``) and lowers the response probability and survival (``disease_on_response``,
  ``disease_on_hazard``); albumin is a noisy marker of ``S`` (``marker_reliability``); the true effect of exposure
  is ``true_slope`` (log odds) and ``true_log_hr``; optionally clearance falls after a response
  (``cl_change_responders``: the response-driven, time-varying clearance of nivolumab);
* :func:`simulate_trials` simulates patients (vectorised over replicate trials), with exposure from the
  closed form :math:`C_{avg,ss} = Dose/(CL \\tau)` or from :mod:`dosecourse.poppk` (cycle-1 AUC and trough of the
  pembrolizumab two-compartment model, steady-state trough, average concentration up to the event);
* :func:`fit_exposure_response` fits one analysis to one trial with statsmodels: logistic regression of response
  on log exposure (``Logit``) or Cox proportional hazards for survival (``PHReg``), unadjusted, adjusted for the
  observed covariates of clearance (albumin, weight), dose-response across randomized dose levels, baseline
  clearance itself, and a high- versus low-exposure comparison before and after case-matching;
* :func:`replicate_estimates` and :func:`confounding_curve` repeat a logistic analysis over many replicate
  trials at once (a batched Newton-Raphson fit, equal to statsmodels ``Logit`` to 1e-8), for the widget that
  varies how strongly disease drives clearance.

**Case-matching choice.** Each patient in the upper half of exposure is matched 1:1, without replacement, to the
nearest patient in the lower half on the Mahalanobis distance of the observed covariates of clearance (log
albumin, log weight), greedily in order of increasing distance, keeping only pairs closer than a caliper (default
0.2 SD; without a caliper every patient would be matched and the comparison would barely change); the
matched-pairs (McNemar) odds ratio then compares patients who differ in exposure but are alike in the measured
drivers of clearance.  It is the single-arm analogue of the case-matching of exposure subgroups to control patients on
prognostic factors reviewed by Kawakatsu et al. (2021) and Dai et al. (2020).  Like covariate adjustment it can
only remove the part of the confounding that the measured covariates carry.

References
----------
Turner DC, Kondic AG, Anderson KM, et al. Pembrolizumab exposure-response assessments challenged by association
of cancer cachexia and catabolic clearance. Clin Cancer Res. 2018;24(23):5841-5849. PMID 29891725
(doi:10.1158/1078-0432.CCR-18-0415, confirm) (OS flat across 2-10 mg/kg, HR 0.98, while baseline clearance
predicts OS, HR 2.56 melanoma and 2.64 NSCLC unadjusted, 1.64 and 1.88 adjusted).
Liu C, Yu J, Li H, et al. Association of time-varying clearance of nivolumab with disease dynamics and its
implications on exposure response analysis. Clin Pharmacol Ther. 2017;101(5):657-666. doi:10.1002/cpt.656
Kawakatsu S, et al. Confounding factors in exposure-response analyses and mitigation
strategies for monoclonal antibodies in oncology. Br J Clin Pharmacol. 2021;87(6):2493-2501.
doi:10.1111/bcp.14662
Dai HI, Vugmeyster Y, Mangal N. Characterizing exposure-response relationship for therapeutic monoclonal
antibodies in immuno-oncology and beyond: challenges, perspectives, and prospects. Clin Pharmacol Ther. 2020.
doi:10.1002/cpt.1953 (PMID 32557643)
Yin X, Xiong Y, Bi Y, et al. Evaluation and mitigation of time-dependent confounding effects in conventional
exposure-response analyses for oncology drugs. CPT Pharmacometrics Syst Pharmacol. 2025. doi:10.1002/psp4.70119
Cosson VF, Ng VW, Lehle M, Lum BL. Population pharmacokinetics and exposure-response analyses of trastuzumab in
patients with advanced gastric or gastroesophageal junction cancer. Cancer Chemother Pharmacol.
2014;73(4):737-747. doi:10.1007/s00280-014-2400-5 (ToGA: the lowest-Cmin quartile had the shortest OS).
Shah MA, et al. HELOISE: phase IIIb randomized multicenter study comparing standard-of-care and higher-dose
trastuzumab regimens combined with chemotherapy as first-line therapy in patients with HER2-positive metastatic
gastric or gastroesophageal junction adenocarcinoma. J Clin Oncol. 2017;35(23):2558-2567.
doi:10.1200/JCO.2016.71.6852 (author list to confirm; 10 vs 6 mg/kg maintenance: no OS gain, so the ToGA
signal was not a dose effect).
Reference software: statsmodels ``Logit`` and ``PHReg`` (Breslow ties); scipy ``binomtest`` (exact McNemar).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit, logit

from . import _validate, poppk
from .i18n import check_lang, t

ENDPOINTS: tuple[str, ...] = ("response", "os")
"""Binary response (logistic regression) and overall survival (Cox proportional hazards)."""

ANALYSES: tuple[str, ...] = ("naive", "adjusted", "dose_response", "cl0", "high_vs_low", "matched")
"""Analyses of :func:`fit_exposure_response`:

* ``"naive"``: outcome on log exposure;
* ``"adjusted"``: plus the observed covariates of clearance, log albumin and log weight;
* ``"dose_response"``: outcome on the log of the randomized dose level;
* ``"cl0"``: outcome on log baseline clearance (Turner 2018's association);
* ``"high_vs_low"``: upper vs lower half of exposure, unmatched (response only);
* ``"matched"``: the same after 1:1 case-matching on the covariates of clearance (response only).
"""

METRICS: tuple[str, ...] = ("cavg_ss", "cavg_c1", "ctrough_ss", "ctrough_c1", "cavg_te")
"""Exposure metrics: steady-state and cycle-1 average concentration, steady-state and cycle-1 trough, and the
average concentration from the first dose to the event or censoring (a time-dependent metric)."""

DAYS_PER_MONTH: float = 365.25 / 12.0
"""Days in a month (survival times are in months, PK in days)."""

_LOGIT_MAXITER = 50


@dataclass(frozen=True)
class ERScenario:
    """The true model of a simulated exposure-response trial (defaults: a pembrolizumab-like antibody).

    Parameters
    ----------
    n_patients : int
        Patients per trial (10 to 10,000).
    doses : tuple of float
        Dose levels, randomized in equal numbers (one level: a single-dose trial).
    dose_unit : str
        ``"mg"`` (flat) or ``"mg/kg"``.
    tau : float
        Dosing interval (days).
    cl_typical : float
        Clearance (L/day) of a patient of reference weight with ``S = 0``.
    v1, q, v2 : float
        Central volume (L), inter-compartmental clearance (L/day) and peripheral volume (L), used for the
        cycle-1 and trough metrics (pembrolizumab, Ahamadi 2017).
    weight_exponent_cl, weight_exponent_v : float
        Allometric exponents of weight on clearances and volumes.
    weight_reference, weight_mean, weight_sd : float
        Reference weight of the PK model and the log-normal weight distribution of the patients (kg).
    disease_on_cl : float
        Change of log clearance per SD of sickness: how strongly disease drives clearance (0: no confounding).
    other_cl_sd : float
        SD of log clearance not explained by disease or weight.
    marker_reliability : float
        Squared correlation, in [0, 1], between sickness and the observed marker (albumin): 1 means adjusting for
        albumin adjusts for sickness itself.
    albumin_reference, albumin_log_sd : float
        Albumin (g/L) of an average patient and the SD of log albumin; albumin falls as the marker rises.
    response_rate : float
        Response probability at the reference exposure for ``S = 0``, in (0, 1).
    true_slope : float
        True effect of exposure: change in log odds of response per unit of log exposure (0: flat).
    disease_on_response : float
        Decrease in log odds of response per SD of sickness.
    median_os : float
        Median overall survival (months) at the reference exposure for ``S = 0`` (exponential survival).
    true_log_hr : float
        True effect of exposure on the log hazard of death per unit of log exposure (0: flat).
    disease_on_hazard : float
        Increase in log hazard per SD of sickness.
    follow_up : float
        Follow-up (months); censoring is uniform between half and all of it (staggered entry).
    cl_change_responders, cl_change_nonresponders : float
        Change of log clearance from baseline to steady state in responders and non-responders (Liu 2017:
        clearance falls as disease improves; e.g. -0.3 and 0).  The true effect is that of the exposure
        ``Dose / (CL0 tau)`` under baseline clearance; the change happens after the response.

    Raises
    ------
    ValueError
        If a value is out of range.
    TypeError
        If a value has the wrong type.

    Examples
    --------
    >>> round(ERScenario().reference_exposure, 2)   # 200 / (0.22 * 21) mg/L
    43.29
    """

    n_patients: int = 300
    doses: tuple[float, ...] = (200.0,)
    dose_unit: str = "mg"
    tau: float = 21.0
    cl_typical: float = 0.22
    v1: float = 3.48
    q: float = 0.795
    v2: float = 4.06
    weight_exponent_cl: float = 0.595
    weight_exponent_v: float = 0.489
    weight_reference: float = 76.8
    weight_mean: float = 76.8
    weight_sd: float = 19.3
    disease_on_cl: float = 0.25
    other_cl_sd: float = 0.25
    marker_reliability: float = 0.8
    albumin_reference: float = 39.6
    albumin_log_sd: float = 0.12
    response_rate: float = 0.3
    true_slope: float = 0.0
    disease_on_response: float = 1.0
    median_os: float = 12.0
    true_log_hr: float = 0.0
    disease_on_hazard: float = 0.5
    follow_up: float = 24.0
    cl_change_responders: float = 0.0
    cl_change_nonresponders: float = 0.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "n_patients", _validate.integer(self.n_patients, "n_patients", minimum=10,
                                                  maximum=_validate.MAX_PATIENTS))
        doses = _validate.real_array(self.doses, "doses", ndim=1, nonempty=True, minimum=0.0, strict_minimum=True,
                                     max_size=_validate.MAX_DOSES)
        if np.unique(doses).size != doses.size:
            raise ValueError(f"doses must be distinct dose levels; got {doses.tolist()}")
        set_(self, "doses", tuple(float(d) for d in doses))
        _validate.one_of(self.dose_unit, "dose_unit", ("mg", "mg/kg"))
        for name in ("tau", "cl_typical", "v1", "q", "v2", "weight_reference", "weight_mean", "albumin_reference",
                     "median_os", "follow_up"):
            set_(self, name, _validate.positive(getattr(self, name), name))
        for name in ("weight_sd", "other_cl_sd", "albumin_log_sd"):
            set_(self, name, _validate.positive(getattr(self, name), name, allow_zero=True))
        for name in ("weight_exponent_cl", "weight_exponent_v", "disease_on_cl", "true_slope", "disease_on_response",
                     "true_log_hr", "disease_on_hazard", "cl_change_responders", "cl_change_nonresponders"):
            set_(self, name, _validate.number(getattr(self, name), name, minimum=-10.0, maximum=10.0))
        set_(self, "marker_reliability", _validate.probability(self.marker_reliability, "marker_reliability",
                                                               open_interval=False))
        set_(self, "response_rate", _validate.probability(self.response_rate, "response_rate"))

    @property
    def reference_exposure(self) -> float:
        """Cavg,ss (mg/L) of a reference patient at the geometric mean dose level: the exposure at which
        ``response_rate`` and ``median_os`` hold."""
        dose = math.exp(float(np.mean(np.log(self.doses))))
        if self.dose_unit == "mg/kg":
            dose *= self.weight_reference
        return dose / (self.cl_typical * self.tau)


@dataclass(frozen=True)
class ERTrial:
    """Simulated patients of ``n_trials`` replicate trials; every array has shape (n_trials, n_patients).

    The exposure metrics are computed by :meth:`metric` on first use and kept (a private cache, not a parameter).

    Parameters
    ----------
    scenario : ERScenario
        The true model.
    arm : ndarray of int
        Index of the randomized dose level.
    dose_level : ndarray
        Randomized dose level (mg or mg/kg).
    dose_mg : ndarray
        Dose given (mg).
    weight : ndarray
        Body weight (kg).
    albumin : ndarray
        Albumin (g/L), the observed marker of sickness.
    sickness : ndarray
        The latent sickness ``S`` (not observable in a real trial).
    cl0 : ndarray
        Baseline clearance (L/day).
    cl_ss : ndarray
        Clearance at steady state (after any response-driven change).
    exposure_true : ndarray
        ``Dose / (CL0 tau)``: the exposure whose effect is ``true_slope`` / ``true_log_hr``.
    response : ndarray of bool
        Responder.
    os_time : ndarray
        Survival or censoring time (months).
    os_event : ndarray of bool
        Death observed.
    seed : int or None
        The seed used.
    n_trials : int
        Number of replicate trials.
    """

    scenario: ERScenario
    arm: np.ndarray
    dose_level: np.ndarray
    dose_mg: np.ndarray
    weight: np.ndarray
    albumin: np.ndarray
    sickness: np.ndarray
    cl0: np.ndarray
    cl_ss: np.ndarray
    exposure_true: np.ndarray
    response: np.ndarray
    os_time: np.ndarray
    os_event: np.ndarray
    seed: int | None
    n_trials: int
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sc = _validate.instance(self.scenario, "scenario", ERScenario)
        shape = (_validate.n_trials(self.n_trials), sc.n_patients)
        arm = _validate.whole_array(self.arm, "arm", ndim=2)
        if arm.shape != shape or np.any(arm >= len(sc.doses)):
            raise ValueError(f"arm must give each patient's dose level 0..{len(sc.doses) - 1}, shape {shape} "
                             f"(n_trials, n_patients); got shape {arm.shape}")
        level = _validate.real_array(self.dose_level, "dose_level", ndim=2)
        if level.shape != shape or not np.array_equal(level, np.asarray(sc.doses)[arm]):
            raise ValueError("dose_level must be the dose level of each patient's arm (scenario.doses[arm])")
        for name in ("dose_mg", "weight", "albumin", "cl0", "cl_ss", "exposure_true", "os_time"):
            values = _validate.real_array(getattr(self, name), name, minimum=0.0, strict_minimum=True, ndim=2)
            if values.shape != shape:
                raise ValueError(f"{name} must have shape {shape} (n_trials, n_patients); got {values.shape}")
        if _validate.real_array(self.sickness, "sickness", ndim=2).shape != shape:
            raise ValueError(f"sickness must have shape {shape} (n_trials, n_patients); got {np.shape(self.sickness)}")
        _validate.flags(self.response, "response", shape=shape)
        _validate.flags(self.os_event, "os_event", shape=shape)
        _validate.seed(self.seed)

    def metric(self, name: str) -> np.ndarray:
        """An exposure metric of every patient, shape (n_trials, n_patients).

        Parameters
        ----------
        name : str
            One of :data:`METRICS`.

        Returns
        -------
        ndarray
            mg/L.

        Raises
        ------
        ValueError
            If ``name`` is not a metric.

        Notes
        -----
        ``cavg_ss`` :math:`= Dose/(CL_{ss}\\tau)`; ``cavg_c1`` = AUC over the first interval / tau and
        ``ctrough_c1`` = concentration just before the second dose, both after one dose under baseline
        clearance (two-compartment model, IV bolus approximating a 30-minute infusion); ``ctrough_ss`` =
        steady-state trough under :math:`CL_{ss}`; ``cavg_te`` = AUC from the first dose to the event or
        censoring time / that time, dosing every tau throughout, under baseline clearance.  The PK is computed
        with :func:`dosecourse.poppk.auc`, :func:`~dosecourse.poppk.concentrations` and
        :func:`~dosecourse.poppk.exposure`.

        References
        ----------
        Liu et al. Clin Pharmacol Ther. 2017;101:657 (cycle-1 vs steady-state metrics); Yin et al. CPT
        Pharmacometrics Syst Pharmacol. 2025, doi:10.1002/psp4.70119 (metrics up to the event).

        Examples
        --------
        >>> trial = simulate_trials(ERScenario(n_patients=20), seed=1)
        >>> bool((trial.metric("cavg_c1") < trial.metric("cavg_ss")).all())   # accumulation
        True
        """
        try:
            _validate.one_of(name, "metric", METRICS)
        except ValueError as exc:
            raise ValueError(f"{exc} (argument name)") from None
        if name not in self._cache:
            self._cache[name] = self._compute(name)
        return self._cache[name]

    def _params(self, cl: np.ndarray) -> poppk.PKParameters:
        sc = self.scenario
        size = (self.weight.ravel() / sc.weight_reference)
        return poppk.PKParameters(cl=cl.ravel(), v1=sc.v1 * size ** sc.weight_exponent_v,
                                  q=sc.q * size ** sc.weight_exponent_cl, v2=sc.v2 * size ** sc.weight_exponent_v)

    def _compute(self, name: str) -> np.ndarray:
        sc = self.scenario
        shape = self.cl0.shape
        if name == "cavg_ss":
            return self.dose_mg / (self.cl_ss * sc.tau)
        one = poppk.Regimen((0.0,), (1.0,), route="bolus", interval=sc.tau)
        dose = self.dose_mg.ravel()
        if name == "cavg_c1":
            return (dose * poppk.auc(self._params(self.cl0), one, 0.0, sc.tau) / sc.tau).reshape(shape)
        if name == "ctrough_c1":
            return (dose * poppk.concentrations(self._params(self.cl0), one, [sc.tau])[:, 0]).reshape(shape)
        if name == "ctrough_ss":
            return (dose * poppk.exposure(self._params(self.cl_ss), one, "ss").ctrough).reshape(shape)
        # cavg_te: average concentration up to each patient's event or censoring time
        end = np.maximum(self.os_time.ravel() * DAYS_PER_MONTH, 1e-9)
        n_doses = int(math.ceil(float(end.max()) / sc.tau)) + 1
        regimen = poppk.Regimen.repeated(1.0, sc.tau, n_doses, route="bolus")
        return (dose * poppk.auc(self._params(self.cl0), regimen, 0.0, end) / end).reshape(shape)


def simulate_trials(scenario: ERScenario, n_trials: int = 1, *,
                    seed: int | np.random.Generator | None = _validate.DEFAULT_SEED) -> ERTrial:
    """Simulate ``n_trials`` replicate trials of a scenario (vectorised over trials).

    Parameters
    ----------
    scenario : ERScenario
        The true model.
    n_trials : int, default 1
        Replicate trials; ``n_trials * n_patients`` may be at most 5,000,000.
    seed : int, Generator or None, default 2025
        Random seed.

    Returns
    -------
    ERTrial

    Raises
    ------
    ValueError
        If ``n_trials`` is out of range.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    For patient i (standard normal S, Z, eta; dose levels assigned in equal numbers at random):

    .. math::

        M = \\sqrt{r} S + \\sqrt{1 - r} Z, \\qquad ALB = ALB_{ref} e^{-s_{alb} M}, \\qquad
        CL_0 = CL_{typ} (WT/WT_{ref})^{\\theta_{WT}} e^{\\gamma_{CL} S + \\omega \\eta} \\\\
        E = Dose/(CL_0 \\tau), \\qquad
        \\mathrm{logit}\\, P(R) = \\mathrm{logit}\\, p_0 + \\beta \\log(E/E_{ref}) - \\gamma_R S \\\\
        h = \\frac{\\log 2}{m_{OS}} \\exp(\\beta_H \\log(E/E_{ref}) + \\gamma_H S), \\qquad
        CL_{ss} = CL_0 e^{\\delta_R R + \\delta_N (1 - R)}

    Draw order, each as an (n_trials, n_patients) block: S, Z, eta, weight, arm permutation, response uniform,
    survival exponential, censoring uniform.

    References
    ----------
    Turner et al. Clin Cancer Res. 2018;24:5841. PMID 29891725
    Liu et al. Clin Pharmacol Ther. 2017;101:657. doi:10.1002/cpt.656

    Examples
    --------
    >>> trial = simulate_trials(ERScenario(), seed=1)
    >>> trial.response.shape, trial.seed
    ((1, 300), 1)
    """
    sc = _validate.instance(scenario, "scenario", ERScenario)
    n_trials = _validate.n_trials(n_trials)
    n = sc.n_patients
    if n_trials * n > 5_000_000:
        raise ValueError(f"n_trials x n_patients may be at most 5,000,000; got {n_trials:,} x {n:,}")
    gen, used = _validate.rng(seed)
    shape = (n_trials, n)
    s = gen.standard_normal(shape)
    z = gen.standard_normal(shape)
    eta = gen.standard_normal(shape)
    zw = gen.standard_normal(shape)
    k = len(sc.doses)
    arm = gen.permuted(np.broadcast_to(np.arange(n) % k, shape), axis=1)
    u_resp = gen.random(shape)
    e_os = gen.standard_exponential(shape)
    u_cens = gen.random(shape)

    sigma2 = math.log1p((sc.weight_sd / sc.weight_mean) ** 2)
    weight = sc.weight_mean * np.exp(math.sqrt(sigma2) * zw - 0.5 * sigma2)
    marker = math.sqrt(sc.marker_reliability) * s + math.sqrt(1.0 - sc.marker_reliability) * z
    albumin = sc.albumin_reference * np.exp(-sc.albumin_log_sd * marker)
    level = np.asarray(sc.doses)[arm]
    dose_mg = level * weight if sc.dose_unit == "mg/kg" else level
    cl0 = (sc.cl_typical * (weight / sc.weight_reference) ** sc.weight_exponent_cl
           * np.exp(sc.disease_on_cl * s + sc.other_cl_sd * eta))
    exposure_true = dose_mg / (cl0 * sc.tau)
    log_rel = np.log(exposure_true / sc.reference_exposure)
    p_resp = expit(logit(sc.response_rate) + sc.true_slope * log_rel - sc.disease_on_response * s)
    response = u_resp < p_resp
    cl_ss = cl0 * np.exp(np.where(response, sc.cl_change_responders, sc.cl_change_nonresponders))
    hazard = math.log(2.0) / sc.median_os * np.exp(sc.true_log_hr * log_rel + sc.disease_on_hazard * s)
    death = e_os / hazard
    censor = sc.follow_up * (0.5 + 0.5 * u_cens)
    arrays = dict(arm=arm, dose_level=level, dose_mg=dose_mg, weight=weight, albumin=albumin, sickness=s, cl0=cl0,
                  cl_ss=cl_ss, exposure_true=exposure_true, response=response, os_time=np.minimum(death, censor),
                  os_event=death <= censor)
    for arr in arrays.values():
        arr.setflags(write=False)
    return ERTrial(scenario=sc, seed=used, n_trials=n_trials, **arrays)


@dataclass(frozen=True)
class EREstimate:
    """One fitted exposure-response (or dose-response) coefficient.

    Parameters
    ----------
    endpoint : str
        ``"response"`` or ``"os"``.
    analysis : str
        One of :data:`ANALYSES`.
    metric : str
        Exposure metric used (one of :data:`METRICS`, or ``"dose"`` / ``"cl0"``).
    term : str
        The coefficient reported, e.g. ``"log(cavg_ss)"`` or ``"high vs low cavg_ss"``.
    estimate : float
        Log odds ratio or log hazard ratio per unit of the term (per unit of log exposure: an e-fold change).
    se : float
        Its standard error.
    ci_low, ci_high : float
        95% confidence interval of ``estimate``.
    p_value : float
        Two-sided p-value for a zero coefficient.
    n : int
        Patients (for ``"matched"``: matched pairs).
    n_events : int
        Responders, deaths, or discordant pairs (``"matched"``).
    covariates : tuple of str
        Other terms in the model.
    seed : int or None
        Seed of the simulated trial.
    replicate : int
        Which replicate trial was fitted.
    """

    endpoint: str
    analysis: str
    metric: str
    term: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    n_events: int
    covariates: tuple[str, ...]
    seed: int | None
    replicate: int

    def __post_init__(self) -> None:
        _validate.one_of(self.endpoint, "endpoint", ENDPOINTS)
        _validate.one_of(self.analysis, "analysis", ANALYSES)
        _validate.one_of(self.metric, "metric", METRICS + ("dose", "cl0"))
        _validate.text(self.term, "term")
        est = _validate.number(self.estimate, "estimate")
        _validate.positive(self.se, "se")
        lo, hi = _validate.number(self.ci_low, "ci_low"), _validate.number(self.ci_high, "ci_high")
        if not lo <= est <= hi:
            raise ValueError(f"ci_low <= estimate <= ci_high must hold; got {lo:g}, {est:g}, {hi:g}")
        _validate.probability(self.p_value, "p_value", open_interval=False)
        n = _validate.integer(self.n, "n", minimum=1, maximum=_validate.MAX_PATIENTS)
        _validate.integer(self.n_events, "n_events", minimum=0, maximum=n)
        for item in _validate.sequence(self.covariates, "covariates"):
            _validate.text(item, "covariates item")
        _validate.seed(self.seed)
        _validate.integer(self.replicate, "replicate", minimum=0, maximum=_validate.MAX_TRIALS - 1)

    @property
    def ratio(self) -> float:
        """Odds ratio or hazard ratio, ``exp(estimate)``."""
        return math.exp(self.estimate)

    @property
    def ratio_ci(self) -> tuple[float, float]:
        """95% confidence interval of :attr:`ratio`."""
        return math.exp(self.ci_low), math.exp(self.ci_high)


def _design(trial: ERTrial, r: int, analysis: str, endpoint: str, metric: str
            ) -> tuple[np.ndarray, list[str], str]:
    """Columns (without intercept) of one analysis: the term of interest first."""
    levels = len(trial.scenario.doses)
    if analysis == "dose_response":
        if levels < 2:
            raise ValueError("analysis 'dose_response' needs randomized dose levels (scenario.doses has one level)")
        return np.log(trial.dose_level[r])[:, None], ["log(dose)"], "dose"
    if analysis == "cl0":
        return np.log(trial.cl0[r])[:, None], ["log(cl0)"], "cl0"
    x = np.log(trial.metric(metric)[r])
    cols, names = [x], [f"log({metric})"]
    if analysis == "adjusted":
        cols += [np.log(trial.albumin[r]), np.log(trial.weight[r])]
        names += ["log(albumin)", "log(weight)"]
    return np.column_stack(cols), names, metric


def fit_exposure_response(trial: ERTrial, *, endpoint: str = "response", analysis: str = "naive",
                          metric: str = "cavg_ss", replicate: int = 0, caliper: float = 0.2) -> EREstimate:
    """Fit one exposure-response analysis to one simulated trial.

    Parameters
    ----------
    trial : ERTrial
        Simulated trials.
    endpoint : {"response", "os"}, default "response"
        Logistic regression of response (statsmodels ``Logit``) or Cox regression of overall survival
        (statsmodels ``PHReg``, Breslow ties).
    analysis : str, default "naive"
        One of :data:`ANALYSES` (``"high_vs_low"`` and ``"matched"`` for the response endpoint only).
    metric : str, default "cavg_ss"
        Exposure metric, one of :data:`METRICS` (ignored by ``"dose_response"`` and ``"cl0"``).
    replicate : int, default 0
        Which replicate trial to fit.
    caliper : float, default 0.2
        ``"matched"`` only: largest Mahalanobis distance (in SD units) of a matched pair (> 0; ``math.inf`` keeps
        every pair).

    Returns
    -------
    EREstimate

    Raises
    ------
    ValueError
        If an option is unknown, the analysis needs dose levels the scenario does not have, or the fit does not
        converge (e.g. complete separation).
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math::

        \\mathrm{logit}\\, P(R_i) = b_0 + b_1 \\log x_i + b_2^T w_i, \\qquad
        h_i(t) = h_0(t) \\exp(b_1 \\log x_i + b_2^T w_i)

    with :math:`w_i` = (log albumin, log weight) when adjusted.  ``matched``:
    conditional (McNemar) log odds ratio :math:`\\log(b/c)` of the discordant pairs, SE
    :math:`\\sqrt{1/b + 1/c}` (0.5 added to both when one is 0), exact binomial p-value; ``high_vs_low``: the
    unmatched 2 x 2 log odds ratio with the Woolf SE.

    References
    ----------
    Kawakatsu et al. Br J Clin Pharmacol. 2021;87:2493. doi:10.1111/bcp.14662
    Dai et al. Clin Pharmacol Ther. 2020. doi:10.1002/cpt.1953

    Examples
    --------
    >>> trial = simulate_trials(ERScenario(), seed=7)
    >>> est = fit_exposure_response(trial)            # flat truth, yet a positive slope
    >>> est.estimate > 0, est.n
    (True, 300)
    """
    _validate.instance(trial, "trial", ERTrial)
    _validate.one_of(endpoint, "endpoint", ENDPOINTS)
    _validate.one_of(analysis, "analysis", ANALYSES)
    _validate.one_of(metric, "metric", METRICS)
    r = _validate.integer(replicate, "replicate", minimum=0, maximum=trial.n_trials - 1)
    caliper = _validate.number(caliper, "caliper", minimum=0.0, strict_minimum=True) if not (
        isinstance(caliper, float) and caliper == math.inf) else math.inf
    if analysis in ("high_vs_low", "matched"):
        if endpoint != "response":
            raise ValueError(f"analysis {analysis!r} is for the response endpoint only")
        return _split(trial, r, metric, matched=analysis == "matched", caliper=caliper)
    X, names, used_metric = _design(trial, r, analysis, endpoint, metric)
    if endpoint == "response":
        y = trial.response[r].astype(float)
        if y.min() == y.max():
            raise ValueError("the logistic regression needs both responders and non-responders")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=0, method="newton",
                                                                         maxiter=_LOGIT_MAXITER)
        if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(res.bse)):
            raise ValueError("the logistic regression did not converge (complete separation?)")
        j, events = 1, int(y.sum())
    else:
        status = trial.os_event[r].astype(float)
        if status.sum() == 0:
            raise ValueError("the Cox regression needs at least one event")
        res = sm.PHReg(trial.os_time[r], X, status=status, ties="breslow").fit()
        j, events = 0, int(status.sum())
    params, bse = np.asarray(res.params), np.asarray(res.bse)
    ci = np.asarray(res.conf_int())
    return EREstimate(endpoint=endpoint, analysis=analysis, metric=used_metric, term=names[0],
                      estimate=float(params[j]), se=float(bse[j]), ci_low=float(ci[j, 0]), ci_high=float(ci[j, 1]),
                      p_value=float(np.asarray(res.pvalues)[j]), n=int(X.shape[0]), n_events=events,
                      covariates=tuple(names[1:]), seed=trial.seed, replicate=r)


def _halves(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the lower and upper halves of x (the middle patient of an odd n is left out)."""
    order = np.argsort(x, kind="stable")
    h = x.size // 2
    return order[:h], order[x.size - h:]


def _greedy_match(high: np.ndarray, low: np.ndarray, caliper: float) -> tuple[np.ndarray, np.ndarray]:
    """1:1 nearest-neighbour matching without replacement, pairs taken in order of increasing distance, each
    closer than ``caliper``."""
    d = np.sqrt(((high[:, None, :] - low[None, :, :]) ** 2).sum(axis=2))
    order = np.argsort(d, axis=None, kind="stable")
    order = order[d.ravel()[order] <= caliper]
    used_h = np.zeros(high.shape[0], bool)
    used_l = np.zeros(low.shape[0], bool)
    pairs_h, pairs_l = [], []
    n_pairs = min(high.shape[0], low.shape[0])
    for flat in order:
        i, j = divmod(int(flat), low.shape[0])
        if used_h[i] or used_l[j]:
            continue
        used_h[i] = used_l[j] = True
        pairs_h.append(i)
        pairs_l.append(j)
        if len(pairs_h) == n_pairs:
            break
    return np.array(pairs_h), np.array(pairs_l)


def _split(trial: ERTrial, r: int, metric: str, *, matched: bool, caliper: float) -> EREstimate:
    x = trial.metric(metric)[r]
    y = trial.response[r]
    low, high = _halves(x)
    z975 = stats.norm.ppf(0.975)
    covs = ("log(albumin)", "log(weight)")
    if matched:
        w = np.column_stack([np.log(trial.albumin[r]), np.log(trial.weight[r])])
        chol = np.linalg.cholesky(np.cov(w, rowvar=False))
        white = np.linalg.solve(chol, (w - w.mean(axis=0)).T).T   # Mahalanobis distance = Euclidean here
        ph, pl = _greedy_match(white[high], white[low], caliper)
        if ph.size == 0:
            raise ValueError(f"no pair of patients is closer than the caliper ({caliper}); widen it")
        yh, yl = y[high][ph], y[low][pl]
        b, c = int(np.sum(yh & ~yl)), int(np.sum(~yh & yl))
        bb, cc = (b + 0.5, c + 0.5) if min(b, c) == 0 else (b, c)
        est, se = math.log(bb / cc), math.sqrt(1.0 / bb + 1.0 / cc)
        p = float(stats.binomtest(b, b + c, 0.5).pvalue) if b + c else 1.0
        return EREstimate(endpoint="response", analysis="matched", metric=metric, term=f"high vs low {metric}",
                          estimate=est, se=se, ci_low=est - z975 * se, ci_high=est + z975 * se, p_value=p,
                          n=len(ph), n_events=b + c, covariates=covs, seed=trial.seed, replicate=r)
    table = np.array([[np.sum(y[high]), np.sum(~y[high])], [np.sum(y[low]), np.sum(~y[low])]], dtype=float)
    if np.any(table == 0):
        table = table + 0.5
    est = math.log(table[0, 0] * table[1, 1] / (table[0, 1] * table[1, 0]))
    se = math.sqrt(float(np.sum(1.0 / table)))
    p = float(2.0 * stats.norm.sf(abs(est / se)))
    return EREstimate(endpoint="response", analysis="high_vs_low", metric=metric, term=f"high vs low {metric}",
                      estimate=est, se=se, ci_low=est - z975 * se, ci_high=est + z975 * se, p_value=p,
                      n=int(high.size + low.size), n_events=int(y[high].sum() + y[low].sum()), covariates=(),
                      seed=trial.seed, replicate=r)


# ----------------------------------------------------------------------------------------------------------------
# many replicate trials at once
# ----------------------------------------------------------------------------------------------------------------

def _batched_logit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logistic regression MLE of each replicate by Newton-Raphson, all replicates at once.

    X: (R, n, p) with an intercept column; y: (R, n).  Returns coefficients (R, p), standard errors (R, p) from
    the inverse observed information, and a convergence flag (R,).  Replicates that fail (separation) get NaN.
    """
    R, n, k = X.shape
    upper = np.triu_indices(k)
    XX = X[..., upper[0]] * X[..., upper[1]]  # the products of the columns (upper triangle), made once

    def fitted(b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Means, information X'WX and whether it is well conditioned (2-norm condition number below 1e12)."""
        with np.errstate(over="ignore"):
            mu = 1.0 / (1.0 + np.exp(-np.matmul(X, b[:, :, None])[..., 0]))  # batched BLAS, not einsum or expit
        info = np.empty((R, k, k))
        info[:, upper[0], upper[1]] = info[:, upper[1], upper[0]] = np.matmul((mu * (1.0 - mu))[:, None, :], XX)[:, 0]
        lam = np.linalg.eigvalsh(info)  # symmetric positive semi-definite: the singular values
        return mu, info, lam[:, 0] > 1e-12 * lam[:, -1]

    beta = np.zeros((R, k))
    done = np.zeros(R, bool)
    step = np.full((R, k), np.inf)
    for _ in range(_LOGIT_MAXITER):
        mu, info, ok = fitted(beta)
        grad = np.matmul((y - mu)[:, None, :], X)[:, 0, :]
        step = np.zeros((R, k))
        safe = np.where(ok[:, None, None], info, np.eye(k))
        step[ok] = np.linalg.solve(safe[ok], grad[ok][..., None])[..., 0]
        beta = np.where(ok[:, None], beta + step, beta)
        done = ok & (np.abs(step).max(axis=1) < 1e-10)
        if np.all(done | ~ok):
            break
    _, info, ok = fitted(beta)
    converged = done & ok & np.all(np.abs(beta) < 50.0, axis=1)
    se = np.full((R, k), np.nan)
    if converged.any():
        se[converged] = np.sqrt(np.diagonal(np.linalg.inv(info[converged]), axis1=1, axis2=2))
    beta = np.where(converged[:, None], beta, np.nan)
    return beta, se, converged


@dataclass(frozen=True)
class ReplicateEstimates:
    """One logistic exposure-response analysis over many replicate trials.

    Parameters
    ----------
    analysis, metric : str
        The analysis and exposure metric.
    estimates, se : ndarray
        Coefficient of the term of interest (log odds per unit of log exposure, or of log dose) and its SE, per
        replicate: finite where :attr:`converged`, NaN exactly where the fit failed (checked on construction; use
        ``estimates[converged]``).
    converged : ndarray of bool
        Fits that converged (at least one must have).
    truth : float or None
        What the analysis should estimate: ``scenario.true_slope`` (the conditional effect of log exposure) for
        the exposure-response analyses; the population-averaged slope :func:`marginal_dose_slope` for
        ``"dose_response"``; None for ``"cl0"`` (clearance has no effect of its own in the true model, but its
        association with outcome is not an effect to recover).
    n_trials : int
        Replicates.
    seed : int or None
        The seed used.
    """

    analysis: str
    metric: str
    estimates: np.ndarray
    se: np.ndarray
    converged: np.ndarray
    truth: float | None
    n_trials: int
    seed: int | None

    def __post_init__(self) -> None:
        analysis = _validate.one_of(self.analysis, "analysis", ("naive", "adjusted", "dose_response", "cl0"))
        _validate.one_of(self.metric, "metric", METRICS + ("dose", "cl0"))
        R = _validate.n_trials(self.n_trials)
        ok = _validate.flags(self.converged, "converged", shape=(R,))
        if not ok.any():
            raise ValueError("converged: no replicate fit converged (complete separation in every trial?)")
        for name in ("estimates", "se"):
            values = _validate.real_array(getattr(self, name), name, ndim=1, length=R, allow_infinite=True)
            _validate.real_array(values[ok], name, minimum=0.0 if name == "se" else None,
                                 strict_minimum=name == "se")
            if not np.all(np.isnan(values[~ok])):
                raise ValueError(f"{name} must be NaN exactly where converged is False")
        if (self.truth is None) != (analysis == "cl0"):
            raise ValueError(f"truth must be None for the 'cl0' analysis (no effect to recover) and a number "
                             f"otherwise; got {self.truth!r} for {analysis!r}")
        if self.truth is not None:
            _validate.number(self.truth, "truth")
        _validate.seed(self.seed)

    @property
    def mean(self) -> float:
        """Mean estimate over converged replicates."""
        return float(np.mean(self.estimates[self.converged]))

    @property
    def mc_se(self) -> float:
        """Monte Carlo standard error of :attr:`mean`."""
        ok = self.estimates[self.converged]
        return float(np.std(ok, ddof=1) / math.sqrt(ok.size)) if ok.size > 1 else math.inf

    @property
    def bias(self) -> float | None:
        """:attr:`mean` minus :attr:`truth` (None when there is no truth: the ``"cl0"`` analysis)."""
        return None if self.truth is None else self.mean - self.truth

    @property
    def rejection_rate(self) -> float:
        """Share of converged replicates whose 95% Wald interval excludes 0."""
        ok = self.converged
        return float(np.mean(np.abs(self.estimates[ok] / self.se[ok]) > stats.norm.ppf(0.975)))


def _batch_design(trial: ERTrial, analysis: str, metric: str) -> np.ndarray:
    R, n = trial.response.shape
    one = np.ones((R, n))
    if analysis == "dose_response":
        if len(trial.scenario.doses) < 2:
            raise ValueError("analysis 'dose_response' needs randomized dose levels (scenario.doses has one level)")
        return np.stack([one, np.log(trial.dose_level)], axis=2)
    if analysis == "cl0":
        return np.stack([one, np.log(trial.cl0)], axis=2)
    cols = [one, np.log(trial.metric(metric))]
    if analysis == "adjusted":
        cols += [np.log(trial.albumin), np.log(trial.weight)]
    return np.stack(cols, axis=2)


def replicate_estimates(scenario: ERScenario | ERTrial, n_trials: int = 200, *, analysis: str = "naive",
                        metric: str = "cavg_ss",
                        seed: int | np.random.Generator | None = _validate.DEFAULT_SEED) -> ReplicateEstimates:
    """A logistic exposure-response analysis repeated over replicate trials (vectorised).

    Parameters
    ----------
    scenario : ERScenario or ERTrial
        The true model (trials are simulated) or trials already simulated (``n_trials`` and ``seed`` ignored).
    n_trials : int, default 200
        Replicate trials.
    analysis : {"naive", "adjusted", "dose_response", "cl0"}, default "naive"
        As in :func:`fit_exposure_response` (response endpoint).
    metric : str, default "cavg_ss"
        One of :data:`METRICS`.
    seed : int, Generator or None, default 2025
        Random seed.

    Returns
    -------
    ReplicateEstimates

    Raises
    ------
    ValueError
        If an option is unknown or the analysis needs dose levels the scenario lacks.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Each replicate is fitted by Newton-Raphson on the logistic log likelihood, all replicates at once
    (:math:`\\beta \\leftarrow \\beta + I(\\beta)^{-1} X^T(y - \\mu)`), to a step below 1e-10; SE from
    :math:`I(\\hat\\beta)^{-1}`.  The estimates equal statsmodels ``Logit`` (the tests check 1e-8).

    References
    ----------
    McCullagh P, Nelder JA. Generalized Linear Models. 2nd ed. Chapman & Hall; 1989.

    Examples
    --------
    >>> rep = replicate_estimates(ERScenario(disease_on_cl=0.0), 50, seed=3)
    >>> abs(rep.mean) < 3 * rep.mc_se + 0.05      # no confounding: no slope
    True
    """
    _validate.one_of(analysis, "analysis", ("naive", "adjusted", "dose_response", "cl0"))
    _validate.one_of(metric, "metric", METRICS)
    if isinstance(scenario, ERTrial):
        trial = scenario
    else:
        trial = simulate_trials(_validate.instance(scenario, "scenario", ERScenario), n_trials, seed=seed)
    X = _batch_design(trial, analysis, metric)
    # Centre the regressors (not the intercept): the slopes and their SEs are unchanged, and Newton-Raphson then
    # converges to the 1e-10 step even when a covariate with a small spread and a large mean (log albumin) makes
    # the uncentred information matrix ill-conditioned.
    X = np.concatenate([X[..., :1], X[..., 1:] - X[..., 1:].mean(axis=1, keepdims=True)], axis=2)
    beta, se, converged = _batched_logit(X, trial.response.astype(float))
    truths = {"dose_response": marginal_dose_slope(trial.scenario) if analysis == "dose_response" else None,
              "cl0": None}
    truth = truths.get(analysis, trial.scenario.true_slope)
    used = {"dose_response": "dose", "cl0": "cl0"}.get(analysis, metric)
    return ReplicateEstimates(analysis=analysis, metric=used, estimates=beta[:, 1], se=se[:, 1],
                              converged=converged, truth=truth, n_trials=trial.n_trials, seed=trial.seed)


def marginal_dose_slope(scenario: ERScenario) -> float:
    """The population-averaged dose-response slope a randomized comparison estimates (response endpoint).

    Parameters
    ----------
    scenario : ERScenario
        A scenario with at least two dose levels.

    Returns
    -------
    float
        Probability limit of the logistic-regression slope of response on log dose level (equal allocation):
        0 when the true exposure-response is flat.

    Raises
    ------
    ValueError
        If the scenario has a single dose level.
    TypeError
        If ``scenario`` is not an :class:`ERScenario`.

    Notes
    -----
    The odds ratio is not collapsible: averaged over sickness and the other sources of exposure variability,
    the dose effect on the log odds is smaller than ``true_slope`` even without confounding.  Given dose level
    d the linear predictor of :func:`simulate_trials` is normal, :math:`L_d \\sim N(\\mu_d, \\sigma_L^2)` with
    :math:`\\sigma_L^2 = (\\beta\\gamma_{CL} + \\gamma_R)^2 + \\beta^2\\omega^2 + \\beta^2 (u - \\theta_{WT})^2
    \\sigma_{WT}^2` (u = 1 for mg/kg dosing, else 0), so :math:`P_d = E[\\mathrm{expit}(L_d)]` (Gauss-Hermite,
    80 nodes); the slope solves the population score equations
    :math:`\\sum_d (P_d - \\mathrm{expit}(b_0 + b_1 \\log d))(1, \\log d) = 0`.

    References
    ----------
    Greenland S, Robins JM, Pearl J. Confounding and collapsibility in causal inference. Stat Sci.
    1999;14(1):29-46. doi:10.1214/ss/1009211805

    Examples
    --------
    >>> round(marginal_dose_slope(ERScenario(doses=(2.0, 10.0), dose_unit="mg/kg")), 12)
    0.0
    """
    sc = _validate.instance(scenario, "scenario", ERScenario)
    if len(sc.doses) < 2:
        raise ValueError("marginal_dose_slope needs at least two dose levels")
    beta = sc.true_slope
    if beta == 0.0:
        return 0.0          # every dose level has the same response probability
    sigma2_wt = math.log1p((sc.weight_sd / sc.weight_mean) ** 2)
    mean_log_wt = math.log(sc.weight_mean) - 0.5 * sigma2_wt
    per_kg = 1.0 if sc.dose_unit == "mg/kg" else 0.0
    log_d = np.log(np.asarray(sc.doses))
    mean_log_e = (log_d + per_kg * mean_log_wt - math.log(sc.cl_typical)
                  - sc.weight_exponent_cl * (mean_log_wt - math.log(sc.weight_reference)) - math.log(sc.tau))
    mu = logit(sc.response_rate) + beta * (mean_log_e - math.log(sc.reference_exposure))
    sd = math.sqrt((beta * sc.disease_on_cl + sc.disease_on_response) ** 2 + (beta * sc.other_cl_sd) ** 2
                   + (beta * (per_kg - sc.weight_exponent_cl)) ** 2 * sigma2_wt)
    x, w = np.polynomial.hermite_e.hermegauss(80)
    p = (expit(mu[:, None] + sd * x[None, :]) * w).sum(axis=1) / w.sum()
    X = np.column_stack([np.ones_like(log_d), log_d])
    b = np.zeros(2)
    for _ in range(100):
        m = expit(X @ b)
        step = np.linalg.solve(X.T @ (X * (m * (1 - m))[:, None]), X.T @ (p - m))
        b += step
        if np.abs(step).max() < 1e-14:
            break
    return float(b[1])


@dataclass(frozen=True)
class ConfoundingCurve:
    """Mean E-R slope as a function of how strongly disease drives clearance.

    Parameters
    ----------
    strengths : ndarray
        Values of ``disease_on_cl``.
    mean, mc_se : ndarray
        Mean estimated slope and its Monte Carlo SE at each strength.
    rejection_rate : ndarray
        Share of trials with a "significant" slope (95% Wald interval excluding 0).
    truth : float
        The true slope.
    analysis, metric : str
        The analysis and metric.
    n_trials : int
        Replicates per strength.
    seed : int or None
        The seed (the same simulated patients at every strength: common random numbers).
    """

    strengths: np.ndarray
    mean: np.ndarray
    mc_se: np.ndarray
    rejection_rate: np.ndarray
    truth: float
    analysis: str
    metric: str
    n_trials: int
    seed: int | None

    def __post_init__(self) -> None:
        k = _validate.real_array(self.strengths, "strengths", ndim=1, nonempty=True, minimum=-10.0, maximum=10.0,
                                 max_size=50).size
        _validate.real_array(self.mean, "mean", ndim=1, length=k)
        _validate.real_array(self.mc_se, "mc_se", minimum=0.0, ndim=1, length=k,
                             allow_infinite=True)  # inf: fewer than two converged replicates
        _validate.probabilities(self.rejection_rate, "rejection_rate", length=k, open_interval=False)
        _validate.number(self.truth, "truth")
        _validate.one_of(self.analysis, "analysis", ("naive", "adjusted", "dose_response", "cl0"))
        _validate.one_of(self.metric, "metric", METRICS + ("dose", "cl0"))
        _validate.n_trials(self.n_trials)
        _validate.seed(self.seed)


def confounding_curve(scenario: ERScenario, strengths: Sequence[float], n_trials: int = 100, *,
                      analysis: str = "naive", metric: str = "cavg_ss",
                      seed: int | None = _validate.DEFAULT_SEED) -> ConfoundingCurve:
    """The E-R slope appearing as disease drives clearance more strongly (for the widget).

    Parameters
    ----------
    scenario : ERScenario
        The true model; ``disease_on_cl`` is replaced by each strength.
    strengths : sequence of float
        Values of ``disease_on_cl`` (1 to 50 values, each in [-10, 10]).
    n_trials : int, default 100
        Replicate trials per strength (``n_trials * n_patients * len(strengths)`` at most 20,000,000).
    analysis, metric : str
        As in :func:`replicate_estimates`.
    seed : int or None, default 2025
        Random seed, reused at every strength (common random numbers make the curve smooth).

    Returns
    -------
    ConfoundingCurve

    Raises
    ------
    ValueError
        If an argument is out of range.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Under the true model of :func:`simulate_trials` with a flat truth, log exposure is
    :math:`-\\gamma_{CL} S + \\dots` and the logit carries :math:`-\\gamma_R S`, so the slope fitted on log
    exposure grows roughly like :math:`\\gamma_R \\gamma_{CL} / \\mathrm{Var}(\\log C_{avg})`.

    References
    ----------
    Turner et al. Clin Cancer Res. 2018;24:5841. PMID 29891725

    Examples
    --------
    >>> curve = confounding_curve(ERScenario(), [0.0, 0.4], n_trials=40, seed=2)
    >>> bool(curve.mean[1] > curve.mean[0])
    True
    """
    _validate.instance(scenario, "scenario", ERScenario)
    values = _validate.real_array(strengths, "strengths", ndim=1, nonempty=True, minimum=-10.0, maximum=10.0,
                                  max_size=50)
    n_trials = _validate.n_trials(n_trials)
    if n_trials * scenario.n_patients * values.size > 20_000_000:
        raise ValueError("n_trials x n_patients x len(strengths) may be at most 20,000,000; got "
                         f"{n_trials * scenario.n_patients * values.size:,}")
    _validate.seed(seed)
    if seed is None:
        _, seed = _validate.rng(None)
    means, ses, rates = [], [], []
    for g in values:
        rep = replicate_estimates(_replace(scenario, disease_on_cl=float(g)), n_trials, analysis=analysis,
                                  metric=metric, seed=seed)
        means.append(rep.mean)
        ses.append(rep.mc_se)
        rates.append(rep.rejection_rate)
    return ConfoundingCurve(strengths=values, mean=np.array(means), mc_se=np.array(ses),
                            rejection_rate=np.array(rates), truth=scenario.true_slope, analysis=analysis,
                            metric=metric, n_trials=n_trials, seed=seed)


def _replace(scenario: ERScenario, **changes: object) -> ERScenario:
    return dataclasses.replace(scenario, **changes)


def estimates_table(estimates: Sequence[EREstimate], lang: str = "en") -> pd.DataFrame:
    """A table of fitted estimates, one row each, in the reader's language.

    Parameters
    ----------
    estimates : sequence of EREstimate
        The fits (1 to 100).
    lang : {"en", "zh-tw"}, default "en"
        Language of headers and analysis names.

    Returns
    -------
    pandas.DataFrame
        Endpoint, analysis, term, ratio (odds or hazard ratio) with its 95% CI, p-value and n.

    Raises
    ------
    ValueError
        If ``estimates`` is empty or too long.
    TypeError
        If an item is not an :class:`EREstimate`.

    Notes
    -----
    The ratio is :math:`e^{b}` per e-fold change of exposure (per unit of the log term).

    References
    ----------
    Kawakatsu et al. Br J Clin Pharmacol. 2021;87:2493. doi:10.1111/bcp.14662

    Examples
    --------
    >>> est = fit_exposure_response(simulate_trials(ERScenario(), seed=7))
    >>> list(estimates_table([est], "zh-tw").columns)[:2]
    ['評估指標', '分析']
    """
    lang = check_lang(lang)
    estimates = list(_validate.sequence(estimates, "estimates"))
    if not 1 <= len(estimates) <= 100:
        raise ValueError(f"estimates must hold 1 to 100 estimates; got {len(estimates)}")
    rows = []
    for e in estimates:
        _validate.instance(e, "estimates item", EREstimate)
        lo, hi = e.ratio_ci
        rows.append([t(f"er_endpoint_{e.endpoint}", lang), t(f"er_analysis_{e.analysis}", lang), e.term,
                     round(e.ratio, 3), f"{lo:.3f}-{hi:.3f}", e.p_value, e.n])
    cols = [t(k, lang) for k in ("er_endpoint", "er_analysis", "er_term", "er_ratio", "er_ci", "er_p", "er_n")]
    return pd.DataFrame(rows, columns=cols)


GROUPINGS: tuple[str, ...] = ("quantile", "arm")
"""Groupings of :func:`response_by_group`: quantiles of an exposure metric, or randomized dose levels."""


def response_by_group(trial: ERTrial, *, by: str = "quantile", metric: str = "cavg_ss", n_groups: int = 4,
                      replicate: int = 0) -> pd.DataFrame:
    """Response rates of one simulated trial by exposure quantile (the usual E-R plot) or by randomized dose level.

    Parameters
    ----------
    trial : ERTrial
        Simulated trials.
    by : {"quantile", "arm"}, default "quantile"
        Group patients into ``n_groups`` equal-sized groups of the exposure metric (ties broken by patient order;
        groups differ in size by at most one), or by randomized dose level.
    metric : str, default "cavg_ss"
        Exposure metric (one of :data:`METRICS`) used for the grouping and the exposure summaries.
    n_groups : int, default 4
        Number of quantile groups (2 to 10; ignored when ``by="arm"``).
    replicate : int, default 0
        Which replicate trial.

    Returns
    -------
    pandas.DataFrame
        One row per group, in increasing exposure or dose: ``group`` (1-based quantile or the dose level),
        ``n``, ``responders``, ``rate``, and the median, minimum and maximum of the metric (mg/L).

    Raises
    ------
    ValueError
        If an option is out of range.
    TypeError
        If ``trial`` is not an :class:`ERTrial`.

    Notes
    -----
    This is the descriptive analysis behind statements such as "patients in the lowest exposure quartile did
    worse" (trastuzumab in ToGA, Cosson et al. 2014): with one dose level such a gradient can come from clearance
    alone.

    References
    ----------
    Cosson VF, Ng VW, Lehle M, Lum BL. Cancer Chemother Pharmacol. 2014;73(4):737-747.
    doi:10.1007/s00280-014-2400-5

    Examples
    --------
    >>> tab = response_by_group(simulate_trials(ERScenario(), seed=7))
    >>> tab["n"].tolist()
    [75, 75, 75, 75]
    """
    _validate.instance(trial, "trial", ERTrial)
    _validate.one_of(by, "by", GROUPINGS)
    _validate.one_of(metric, "metric", METRICS)
    k = _validate.integer(n_groups, "n_groups", minimum=2, maximum=10)
    r = _validate.integer(replicate, "replicate", minimum=0, maximum=trial.n_trials - 1)
    x = np.asarray(trial.metric(metric)[r])
    y = np.asarray(trial.response[r])
    if by == "arm":
        labels = np.asarray(trial.dose_level[r])
        keys = [float(d) for d in trial.scenario.doses]
        members = [labels == d for d in keys]
    else:
        order = np.argsort(x, kind="stable")
        members = []
        for chunk in np.array_split(order, k):
            mask = np.zeros(x.size, bool)
            mask[chunk] = True
            members.append(mask)
        keys = list(range(1, k + 1))
    rows = []
    for key, m in zip(keys, members):
        n = int(m.sum())
        resp = int(y[m].sum())
        rows.append({"group": key, "n": n, "responders": resp, "rate": resp / n if n else math.nan,
                     "exposure_median": float(np.median(x[m])) if n else math.nan,
                     "exposure_min": float(x[m].min()) if n else math.nan,
                     "exposure_max": float(x[m].max()) if n else math.nan})
    return pd.DataFrame(rows)


def approximate_er_slope(scenario: ERScenario, *, adjusted: bool = False) -> float:
    """Closed-form approximation of the logistic E-R slope on log Cavg,ss that a large trial would find.

    Parameters
    ----------
    scenario : ERScenario
        The true model; clearance must not change after baseline (``cl_change_responders`` and
        ``cl_change_nonresponders`` zero).
    adjusted : bool, default False
        Approximate the slope of the ``"adjusted"`` analysis (log albumin and log weight in the model) instead of
        the unadjusted one.

    Returns
    -------
    float
        Approximate probability limit of the slope (log odds per unit of log exposure).  With a flat truth it is
        the spurious slope; it is 0 when disease does not drive clearance or does not drive response, and when
        adjusting for a marker that is the sickness itself (``marker_reliability = 1``).

    Raises
    ------
    ValueError
        If clearance changes over time in the scenario.
    TypeError
        If ``scenario`` is not an :class:`ERScenario`.

    Notes
    -----
    Write every log quantity as a linear combination of independent standard normals (sickness S, marker noise
    Z, other clearance variability eta, log weight): :math:`\\log C_{avg,ss} = c - \\gamma_{CL} S - \\omega\\eta
    + (u - \\theta_{WT})\\sigma_{WT}\\zeta` plus the log dose level (variance :math:`\\sigma_D^2` of the log dose
    levels under equal allocation), with u = 1 for mg/kg dosing.  Let X be the regressors (log exposure, and for
    the adjusted analysis the marker and log weight) and :math:`b = \\Sigma_{XX}^{-1}\\Sigma_{XS}` the linear
    projection of S on X.  The linear predictor :math:`\\beta \\log E - \\gamma_R S` projects on log exposure with
    coefficient :math:`\\beta - \\gamma_R b_1`, and leaves a residual of variance
    :math:`\\tau^2 = \\gamma_R^2 (1 - \\Sigma_{XS}^T b)`.  Averaging the logistic over that residual scales the slope
    by :math:`\\kappa = (1 + \\pi\\tau^2/8)^{-1/2}` (the probit approximation of the logistic-normal integral):

    .. math::

        b^*_{E-R} \\approx \\kappa (\\beta - \\gamma_R b_1), \\qquad \\text{unadjusted, one dose:}\\quad
        b_1 = -\\gamma_{CL}/\\mathrm{Var}(\\log C_{avg,ss}).

    So with a flat truth the spurious slope is about :math:`\\kappa\\gamma_R\\gamma_{CL}/\\mathrm{Var}(\\log C)`:
    the product of how strongly disease drives clearance and how strongly it drives outcome, over the exposure
    variance.  Exposure variance that disease does not cause (other clearance variability, randomized dose
    levels) dilutes it.  The projection is exact in second moments; the scaling by kappa is exact only for
    normal regressors (one dose level), an approximation otherwise.

    References
    ----------
    Zeger SL, Liang KY, Albert PS. Models for longitudinal data: a generalized estimating equation approach.
    Biometrics. 1988;44(4):1049-1060. doi:10.2307/2531734 (the logistic-normal approximation).
    Turner et al. Clin Cancer Res. 2018;24:5841. PMID 29891725

    Examples
    --------
    >>> round(approximate_er_slope(ERScenario()), 2)            # flat truth, one 200 mg dose
    1.54
    >>> abs(approximate_er_slope(ERScenario(marker_reliability=1.0), adjusted=True)) < 1e-12
    True
    """
    sc = _validate.instance(scenario, "scenario", ERScenario)
    adjusted = _validate.boolean(adjusted, "adjusted")
    if sc.cl_change_responders != 0.0 or sc.cl_change_nonresponders != 0.0:
        raise ValueError("approximate_er_slope assumes clearance constant over time (cl_change_* = 0)")
    sigma_w = math.sqrt(math.log1p((sc.weight_sd / sc.weight_mean) ** 2))
    per_kg = 1.0 if sc.dose_unit == "mg/kg" else 0.0
    log_d = np.log(np.asarray(sc.doses))
    sigma_d = float(np.std(log_d))            # population SD of the log dose level, equal allocation
    r = sc.marker_reliability
    # loadings on (S, Z, eta, zeta, dose): rows are log exposure, marker, log weight
    rows = [[-sc.disease_on_cl, 0.0, -sc.other_cl_sd, (per_kg - sc.weight_exponent_cl) * sigma_w, sigma_d]]
    if adjusted:
        rows.append([math.sqrt(r), math.sqrt(1.0 - r), 0.0, 0.0, 0.0])
        if sigma_w > 0.0:
            rows.append([0.0, 0.0, 0.0, sigma_w, 0.0])
    A = np.array(rows)
    sxx = A @ A.T
    sxs = A[:, 0]
    if abs(sxx[0, 0]) < 1e-300:
        raise ValueError("exposure does not vary in this scenario")
    b = np.linalg.lstsq(sxx, sxs, rcond=None)[0]
    tau2 = max(sc.disease_on_response ** 2 * (1.0 - float(sxs @ b)), 0.0)
    kappa = 1.0 / math.sqrt(1.0 + math.pi * tau2 / 8.0)
    return float(kappa * (sc.true_slope - sc.disease_on_response * b[0]))
