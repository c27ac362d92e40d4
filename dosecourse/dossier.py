r"""Dose-justification dossiers: the strands of evidence behind a registrational dose, and a fictional drug's data.

A registrational dose should be justified by the totality of the evidence (PK, PD, exposure-response, a
randomized comparison of doses, tolerability over time, a benefit-risk summary such as a clinical utility
index), not inherited from phase 1.  This module computes; it never draws.

* :class:`FictionalDrug`: the hidden true model of an invented oral kinase inhibitor ("ficlatinib") given at
  two or three randomized starting doses: log-normal clearance, response and a PD biomarker that follow Emax
  curves in exposure, and intolerable adverse events per cycle whose probability rises with exposure and lead
  to interruptions, dose reductions and discontinuation;
* :func:`simulate_trial`: a seeded randomized trial of that drug (:class:`DossierTrial`, one row per patient);
* :func:`true_outcomes`: the true expected value of every arm summary (exact: Gauss-Hermite quadrature over
  clearance and a Markov chain over cycles), the *truth* a dossier is graded against;
* :func:`arm_summaries`: per-arm PK, PD, response, tolerability and dose-intensity summaries of a trial;
* :func:`fit_logistic_er`: logistic exposure-response for response on log exposure, by maximum likelihood;
* :func:`bootstrap_probability_best` (patient-level data) and :func:`posterior_probability_best` (published
  counts): how often each dose has the highest clinical utility index when the data are resampled.

The CUI itself is :func:`dosecourse.utility.cui`; confidence intervals are
:func:`dosecourse.stats.clopper_pearson`.

References
----------
Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
2010;9(2):289-300. doi:10.1517/14740330903499265
U.S. FDA. Optimizing the Dosage of Human Prescription Drugs and Biological Products for the Treatment of
Oncologic Diseases. Guidance for industry, August 2024.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _validate
from .stats import clopper_pearson
from .utility import Desirability, cui

N_CYCLES_MAX = 52
"""Largest number of treatment cycles a fictional trial may follow."""

MAX_BOOT = 100_000
"""Largest number of bootstrap or posterior draws."""

ATTRIBUTES: tuple[str, ...] = ("response", "adverse_event", "discontinuation", "dose_intensity")
"""Per-patient outcomes whose arm means can enter a CUI: responder (0/1), at least one intolerable adverse event
(0/1), discontinuation for an adverse event (0/1), relative dose intensity (0-1)."""

_GH_NODES = 64


def _frozen(values: object, dtype: object = float) -> np.ndarray:
    arr = np.array(values, dtype=dtype)
    arr.setflags(write=False)
    return arr


def _emax(x: np.ndarray, e0: float, emax: float, x50: float, hill: float) -> np.ndarray:
    xh = np.power(x, hill)
    return e0 + emax * xh / (x50 ** hill + xh)


@dataclass(frozen=True)
class FictionalDrug:
    r"""The true model of a fictional oral drug given at randomized starting doses (all values invented).

    Parameters
    ----------
    doses : sequence of float
        Starting doses (mg once daily), increasing, 2 or 3 of them.
    cl : float
        Typical apparent clearance (L/h).
    omega_cl : float
        Between-patient SD of log clearance.
    e0, emax, auc50, hill : float
        Response probability :math:`p_R = e_0 + E_{max} A^h / (A_{50}^h + A^h)`, A the steady-state
        AUC over 24 h at the starting dose (mg·h/L).
    ic50, pd_sd : float
        PD biomarker: target inhibition (%) = :math:`100 A / (IC_{50} + A)` plus normal noise of SD ``pd_sd``.
    ae_ref, ae_slope, auc_ref : float
        Probability of an intolerable adverse event in a cycle,
        :math:`\operatorname{logit} q = \operatorname{logit} q_{ref} + \beta \log(A_c / A_{ref})`, with
        :math:`A_c` the exposure at the dose taken in that cycle.
    p_severe : float
        Probability that an event leads straight to discontinuation.
    reduction_levels : sequence of float
        Dose after 0, 1, 2, ... reductions as a fraction of the starting dose (starts at 1, decreasing); an event
        at the last level ends treatment.
    interruption_loss : float
        Fraction of a cycle's dose missed when an event interrupts dosing in that cycle.
    n_cycles : int
        Cycles of planned treatment (28 days each).
    name : str
        Name of the drug.

    Raises
    ------
    ValueError, TypeError
        If a value is out of range (doses not increasing, a probability outside (0, 1), ``e0 + emax > 1``,
        reduction levels not starting at 1 or not decreasing).
    """

    doses: tuple[float, ...] = (100.0, 200.0, 400.0)
    cl: float = 8.0
    omega_cl: float = 0.35
    e0: float = 0.05
    emax: float = 0.55
    auc50: float = 10.0
    hill: float = 1.5
    ic50: float = 5.0
    pd_sd: float = 10.0
    ae_ref: float = 0.06
    ae_slope: float = 1.8
    auc_ref: float = 25.0
    p_severe: float = 0.15
    reduction_levels: tuple[float, ...] = (1.0, 0.75, 0.5)
    interruption_loss: float = 0.25
    n_cycles: int = 6
    name: str = "ficlatinib"

    def __post_init__(self) -> None:
        d = _validate.real_array(self.doses, "doses", ndim=1, minimum=0.0, strict_minimum=True, increasing=True)
        if not 2 <= d.size <= 3:
            raise ValueError(f"doses must give 2 or 3 starting doses; got {d.size}")
        object.__setattr__(self, "doses", tuple(float(v) for v in d))
        for name in ("cl", "auc50", "hill", "ic50", "auc_ref", "ae_slope"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name))
        for name in ("omega_cl", "pd_sd"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name, allow_zero=True))
        e0 = _validate.probability(self.e0, "e0", open_interval=False)
        emax = _validate.probability(self.emax, "emax", open_interval=False)
        if e0 + emax > 1:
            raise ValueError(f"e0 + emax must be <= 1 (a probability); got {e0} + {emax}")
        object.__setattr__(self, "ae_ref", _validate.probability(self.ae_ref, "ae_ref"))
        object.__setattr__(self, "p_severe", _validate.probability(self.p_severe, "p_severe", open_interval=False))
        object.__setattr__(self, "interruption_loss",
                           _validate.probability(self.interruption_loss, "interruption_loss", open_interval=False))
        levels = _validate.real_array(self.reduction_levels, "reduction_levels", ndim=1, nonempty=True,
                                      minimum=0.0, strict_minimum=True, maximum=1.0)
        if levels[0] != 1.0 or np.any(np.diff(levels) >= 0):
            raise ValueError(f"reduction_levels must start at 1 and decrease; got {levels.tolist()}")
        object.__setattr__(self, "reduction_levels", tuple(float(v) for v in levels))
        object.__setattr__(self, "n_cycles", _validate.positive_int(self.n_cycles, "n_cycles",
                                                                    maximum=N_CYCLES_MAX))
        _validate.text(self.name, "name")

    def auc(self, dose: float | np.ndarray, cl: float | np.ndarray | None = None) -> np.ndarray:
        """Steady-state AUC over 24 h (mg·h/L): dose / CL.

        Parameters
        ----------
        dose : float or array_like
            Daily dose (mg).
        cl : float or array_like, optional
            Clearance (L/h); the typical clearance by default.

        Returns
        -------
        numpy.ndarray
        """
        d = _validate.real_array(dose, "dose", minimum=0.0)
        c = self.cl if cl is None else _validate.real_array(cl, "cl", minimum=0.0, strict_minimum=True)
        return d / np.asarray(c, dtype=float)

    def p_response(self, auc: float | np.ndarray) -> np.ndarray:
        """True response probability at exposure ``auc``.

        Parameters
        ----------
        auc : float or array_like
            Steady-state AUC over 24 h (mg·h/L).

        Returns
        -------
        numpy.ndarray
        """
        return _emax(_validate.real_array(auc, "auc", minimum=0.0), self.e0, self.emax, self.auc50, self.hill)

    def inhibition(self, auc: float | np.ndarray) -> np.ndarray:
        """True mean target inhibition (%) at exposure ``auc``.

        Parameters
        ----------
        auc : float or array_like
            Steady-state AUC over 24 h (mg·h/L).

        Returns
        -------
        numpy.ndarray
        """
        return _emax(_validate.real_array(auc, "auc", minimum=0.0), 0.0, 100.0, self.ic50, 1.0)

    def p_event(self, auc: float | np.ndarray) -> np.ndarray:
        """True probability of an intolerable adverse event in one cycle at exposure ``auc``.

        Parameters
        ----------
        auc : float or array_like
            AUC at the dose taken in that cycle (mg·h/L).

        Returns
        -------
        numpy.ndarray
        """
        a = _validate.real_array(auc, "auc", minimum=0.0)
        eta = np.log(self.ae_ref / (1 - self.ae_ref)) + self.ae_slope * np.log(a / self.auc_ref)
        return 1.0 / (1.0 + np.exp(-eta))


DEFAULT_DRUG = FictionalDrug()
"""The chapter's fictional drug, ficlatinib 100, 200 or 400 mg once daily (every parameter invented)."""


@dataclass(frozen=True)
class DossierTrial:
    """A simulated randomized trial of a :class:`FictionalDrug`, one entry per patient (arrays read-only).

    Parameters
    ----------
    drug : FictionalDrug
        The true model (hidden from the reader of a dossier).
    arm : ndarray of int
        Arm of each patient (0 = lowest dose).
    cl, auc : ndarray
        Individual clearance (L/h) and steady-state AUC at the starting dose (mg·h/L).
    inhibition : ndarray
        Observed target inhibition (%).
    response : ndarray of bool
        Objective response.
    n_events, n_reductions : ndarray of int
        Intolerable adverse events and dose reductions over the treatment.
    interrupted, discontinued : ndarray of bool
        At least one interruption; discontinuation for an adverse event.
    cycles_on : ndarray of int
        Cycles started on treatment.
    dose_intensity : ndarray
        Relative dose intensity: dose taken / dose planned over the cycles on treatment.
    cycle1_event : ndarray of bool
        Intolerable adverse event in cycle 1 (what a DLT window would see).
    n_per_arm : int
        Patients per arm.
    seed : int or None
        Seed of the simulation.
    """

    drug: FictionalDrug
    arm: np.ndarray
    cl: np.ndarray
    auc: np.ndarray
    inhibition: np.ndarray
    response: np.ndarray
    n_events: np.ndarray
    n_reductions: np.ndarray
    interrupted: np.ndarray
    discontinued: np.ndarray
    cycles_on: np.ndarray
    dose_intensity: np.ndarray
    cycle1_event: np.ndarray
    n_per_arm: int
    seed: int | None = None

    def __post_init__(self) -> None:
        drug = _validate.instance(self.drug, "drug", FictionalDrug)
        n = _validate.positive_int(self.n_per_arm, "n_per_arm", minimum=2, maximum=_validate.MAX_PATIENTS)
        k = len(drug.doses)
        m = k * n
        arm = _validate.whole_array(self.arm, "arm", ndim=1, length=m)
        if np.any(arm >= k) or np.any(np.bincount(arm, minlength=k) != n):
            raise ValueError(f"arm must assign n_per_arm ({n}) patients to each of the {k} arms 0..{k - 1}; got "
                             f"{_validate._shown(arm.tolist())}")
        for name in ("cl", "auc", "dose_intensity"):
            _validate.real_array(getattr(self, name), name, minimum=0.0, strict_minimum=True, ndim=1, length=m)
        if np.any(self.dose_intensity > 1.0 + 1e-12):  # taken / cycles on, up to rounding
            raise ValueError(f"dose_intensity must lie in (0, 1]; got {_validate._shown(self.dose_intensity.tolist())}")
        _validate.real_array(self.inhibition, "inhibition", ndim=1, length=m)  # observed: may fall below 0
        for name in ("response", "interrupted", "discontinued", "cycle1_event"):
            _validate.flags(getattr(self, name), name, shape=(m,))
        events = _validate.whole_array(self.n_events, "n_events", ndim=1, length=m)
        reductions = _validate.whole_array(self.n_reductions, "n_reductions", ndim=1, length=m)
        if np.any(events > drug.n_cycles) or np.any(reductions > np.minimum(events, len(drug.reduction_levels) - 1)):
            raise ValueError("n_events and n_reductions must count at most one event per cycle and one reduction "
                             "per event, down to the last reduction level")
        cycles = _validate.whole_array(self.cycles_on, "cycles_on", minimum=1, ndim=1, length=m)
        if np.any(cycles > drug.n_cycles):
            raise ValueError(f"cycles_on must not exceed the drug's n_cycles ({drug.n_cycles}); got "
                             f"{int(cycles.max())}")
        _validate.seed(self.seed)

    @property
    def doses(self) -> tuple[float, ...]:
        """Starting doses, lowest first."""
        return self.drug.doses

    def outcome(self, name: str) -> np.ndarray:
        """Per-patient values of one of :data:`ATTRIBUTES` (floats).

        Parameters
        ----------
        name : str
            One of :data:`ATTRIBUTES`.

        Returns
        -------
        numpy.ndarray
        """
        name = _validate.one_of(name, "name", ATTRIBUTES)
        values = {"response": self.response, "adverse_event": self.n_events > 0,
                  "discontinuation": self.discontinued, "dose_intensity": self.dose_intensity}[name]
        return np.asarray(values, dtype=float)


def simulate_trial(drug: FictionalDrug = DEFAULT_DRUG, n_per_arm: int = 50, *, seed: int | None = 2025
                   ) -> DossierTrial:
    """Simulate a randomized trial of ``drug`` with ``n_per_arm`` patients at each starting dose.

    Parameters
    ----------
    drug : FictionalDrug
        The true model.
    n_per_arm : int, default 50
        Patients per arm (2 to :data:`dosecourse._validate.MAX_PATIENTS`).
    seed : int or None, default 2025
        Seed (None draws one and records it).

    Returns
    -------
    DossierTrial

    Raises
    ------
    ValueError, TypeError
        If ``drug`` is not a :class:`FictionalDrug` or ``n_per_arm`` is out of range.

    Notes
    -----
    Patient i of arm j has :math:`CL_i = CL\\,e^{\\omega z_i}` and :math:`A_i = D_j / CL_i`.  Response is
    Bernoulli(:math:`p_R(A_i)`) (a teaching simplification: response depends on the starting exposure).  In each
    cycle the patient takes dose :math:`D_j \\ell_r` (:math:`\\ell_r` the reduction level after r reductions)
    and has an intolerable event with probability :math:`q(A_i \\ell_r)`; an event costs
    ``interruption_loss`` of that cycle's dose and either ends treatment (with probability ``p_severe``, or
    at the last reduction level) or reduces the dose one level from the next cycle.

    Examples
    --------
    >>> trial = simulate_trial(n_per_arm=20, seed=1)
    >>> trial.arm.size, trial.doses
    (60, (100.0, 200.0, 400.0))
    """
    _validate.instance(drug, "drug", FictionalDrug)
    n = _validate.positive_int(n_per_arm, "n_per_arm", minimum=2, maximum=_validate.MAX_PATIENTS)
    rng, used = _validate.rng(seed)
    k = len(drug.doses)
    arm = np.repeat(np.arange(k), n)
    m = arm.size
    cl = drug.cl * np.exp(drug.omega_cl * rng.standard_normal(m))
    auc = np.asarray(drug.doses)[arm] / cl
    response = rng.random(m) < drug.p_response(auc)
    inhibition = drug.inhibition(auc) + drug.pd_sd * rng.standard_normal(m)
    levels = np.asarray(drug.reduction_levels)
    level = np.zeros(m, dtype=int)
    on = np.ones(m, dtype=bool)
    n_events = np.zeros(m, dtype=int)
    taken = np.zeros(m)
    cycles_on = np.zeros(m, dtype=int)
    discontinued = np.zeros(m, dtype=bool)
    cycle1 = np.zeros(m, dtype=bool)
    u_event = rng.random((drug.n_cycles, m))
    u_severe = rng.random((drug.n_cycles, m))
    for c in range(drug.n_cycles):
        frac = levels[level]
        event = on & (u_event[c] < drug.p_event(auc * frac))
        if c == 0:
            cycle1 = event.copy()
        cycles_on += on
        taken += np.where(on, frac * np.where(event, 1 - drug.interruption_loss, 1.0), 0.0)
        n_events += event
        stop = event & ((u_severe[c] < drug.p_severe) | (level == levels.size - 1))
        discontinued |= stop
        level = np.where(event & ~stop, level + 1, level)
        on &= ~stop
    n_red = level.copy()
    return DossierTrial(drug, _frozen(arm, int), _frozen(cl), _frozen(auc), _frozen(inhibition),
                        _frozen(response, bool), _frozen(n_events, int), _frozen(n_red, int),
                        _frozen(n_events > 0, bool), _frozen(discontinued, bool), _frozen(cycles_on, int),
                        _frozen(taken / cycles_on), _frozen(cycle1, bool), n, used)


@dataclass(frozen=True)
class ArmSummary:
    """Per-arm summaries of a dossier trial (or their true expected values), lowest dose first.

    Parameters
    ----------
    doses : tuple of float
        Starting doses.
    n : ndarray of int
        Patients per arm (0 for true values).
    auc_median, auc_p05, auc_p95 : ndarray
        Median and 5th / 95th percentiles of the starting-dose AUC (mg·h/L).
    inhibition : ndarray
        Mean target inhibition (%).
    response : ndarray
        Response rate.
    response_lower, response_upper : ndarray or None
        Clopper-Pearson interval of the response rate; None for true values (:func:`true_outcomes`: a true rate
        has no interval).
    cycle1_event, adverse_event, interruption, reduction, discontinuation : ndarray
        Shares of patients with an intolerable event in cycle 1, with any intolerable event, with an
        interruption, with at least one reduction and discontinuing for an adverse event.
    dose_intensity : ndarray
        Mean relative dose intensity.
    """

    doses: tuple[float, ...]
    n: np.ndarray
    auc_median: np.ndarray
    auc_p05: np.ndarray
    auc_p95: np.ndarray
    inhibition: np.ndarray
    response: np.ndarray
    response_lower: np.ndarray | None
    response_upper: np.ndarray | None
    cycle1_event: np.ndarray
    adverse_event: np.ndarray
    interruption: np.ndarray
    reduction: np.ndarray
    discontinuation: np.ndarray
    dose_intensity: np.ndarray

    def __post_init__(self) -> None:
        k = _validate.real_array(self.doses, "doses", minimum=0.0, strict_minimum=True, ndim=1, nonempty=True,
                                 increasing=True, max_size=_validate.MAX_DOSES).size
        _validate.whole_array(self.n, "n", ndim=1, length=k)
        q = [_validate.real_array(getattr(self, name), name, minimum=0.0, strict_minimum=True, ndim=1, length=k)
             for name in ("auc_p05", "auc_median", "auc_p95")]
        if np.any(q[0] > q[1]) or np.any(q[1] > q[2]):
            raise ValueError("auc_p05, auc_median and auc_p95 must be ordered percentiles at every arm")
        _validate.real_array(self.inhibition, "inhibition", ndim=1, length=k)  # observed: may fall below 0
        for name in ("response", "cycle1_event", "adverse_event", "interruption", "reduction", "discontinuation",
                     "dose_intensity"):  # shares in [0, 1]; the exact expectations may exceed 1 by rounding
            _validate.real_array(getattr(self, name), name, minimum=0.0, maximum=1.0 + 1e-12, ndim=1, length=k)
        if (self.response_lower is None) != (self.response_upper is None):
            raise ValueError("response_lower and response_upper must both be given (an interval) or both be None "
                             "(true values)")
        if self.response_lower is not None:
            lo = _validate.probabilities(self.response_lower, "response_lower", length=k, open_interval=False)
            hi = _validate.probabilities(self.response_upper, "response_upper", length=k, open_interval=False)
            if np.any(lo > self.response) or np.any(self.response > hi):
                raise ValueError("response_lower <= response <= response_upper must hold at every arm; got "
                                 f"{lo.tolist()}, {np.asarray(self.response).tolist()}, {hi.tolist()}")

    def attribute(self, name: str) -> np.ndarray:
        """The arm values of one of :data:`ATTRIBUTES`.

        Parameters
        ----------
        name : str
            One of :data:`ATTRIBUTES`.

        Returns
        -------
        numpy.ndarray
        """
        return getattr(self, _validate.one_of(name, "name", ATTRIBUTES))


def arm_summaries(trial: DossierTrial, level: float = 0.95) -> ArmSummary:
    """PK, PD, efficacy and tolerability summaries of each arm of ``trial``.

    Parameters
    ----------
    trial : DossierTrial
        Output of :func:`simulate_trial`.
    level : float, default 0.95
        Level of the Clopper-Pearson interval of the response rate.

    Returns
    -------
    ArmSummary

    Examples
    --------
    >>> s = arm_summaries(simulate_trial(n_per_arm=20, seed=1))
    >>> s.n.tolist()
    [20, 20, 20]
    """
    _validate.instance(trial, "trial", DossierTrial)
    k = len(trial.doses)
    groups = [trial.arm == j for j in range(k)]

    def mean(x: np.ndarray) -> np.ndarray:
        return _frozen([float(np.mean(x[g])) for g in groups])

    n = np.array([int(g.sum()) for g in groups])
    x = np.array([int(trial.response[g].sum()) for g in groups])
    lo, hi = clopper_pearson(x, n, level)
    q = np.array([np.quantile(trial.auc[g], [0.05, 0.5, 0.95]) for g in groups])
    return ArmSummary(trial.doses, _frozen(n, int), _frozen(q[:, 1]), _frozen(q[:, 0]), _frozen(q[:, 2]),
                      mean(trial.inhibition), mean(trial.response.astype(float)), _frozen(lo), _frozen(hi),
                      mean(trial.cycle1_event.astype(float)), mean((trial.n_events > 0).astype(float)),
                      mean(trial.interrupted.astype(float)), mean((trial.n_reductions > 0).astype(float)),
                      mean(trial.discontinued.astype(float)), mean(trial.dose_intensity))


def true_outcomes(drug: FictionalDrug = DEFAULT_DRUG, *, nodes: int = _GH_NODES) -> ArmSummary:
    """The true expected value of every arm summary (the truth a dossier is graded against), computed exactly.

    Parameters
    ----------
    drug : FictionalDrug
        The true model.
    nodes : int, default 64
        Gauss-Hermite nodes over log clearance.

    Returns
    -------
    ArmSummary
        Expected shares and means per arm; ``n`` is 0 and the response interval None.  The AUC quantiles are
        those of the log-normal distribution.

    Notes
    -----
    For a clearance the tolerability process is a Markov chain over (reduction level, on / off treatment)
    across cycles; its expectations are summed exactly and averaged over log clearance by Gauss-Hermite
    quadrature.  The mean dose intensity is the expectation of (dose taken / dose planned while on treatment)
    per patient, computed over the chain's paths.

    Examples
    --------
    >>> round(float(true_outcomes().response[1]), 4)
    0.4821
    """
    _validate.instance(drug, "drug", FictionalDrug)
    nodes = _validate.positive_int(nodes, "nodes", minimum=4, maximum=400)
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    cl = drug.cl * np.exp(drug.omega_cl * z)
    levels = np.asarray(drug.reduction_levels)
    L, C = levels.size, drug.n_cycles
    out = {key: [] for key in ("inh", "resp", "c1", "ae", "red", "disc", "rdi")}
    for dose in drug.doses:
        auc = dose / cl
        out["inh"].append(float(w @ drug.inhibition(auc)))
        out["resp"].append(float(w @ drug.p_response(auc)))
        q = drug.p_event(auc[:, None] * levels[None, :])            # (nodes, L)
        out["c1"].append(float(w @ q[:, 0]))
        # State while on treatment: (level, events so far capped at 1 for "any", taken so far, cycles so far).
        # Track paths as distributions over (level, any_event, cycles_on, taken) exactly: taken takes finitely
        # many values, so carry a dict keyed by (level, any, cycles, taken rounded) per node.
        ae = np.zeros(nodes)
        red = np.zeros(nodes)
        disc = np.zeros(nodes)
        rdi = np.zeros(nodes)
        for i in range(nodes):
            states = {(0, 0, 0.0): 1.0}                              # (level, any event, taken) -> prob, on
            ended: dict[tuple[int, int, float, int], float] = {}    # (level, any, taken, cycles) -> prob, off
            for c in range(C):
                nxt: dict[tuple[int, int, float], float] = {}
                for (lv, anyev, taken), p in states.items():
                    qe = q[i, lv]
                    frac = levels[lv]
                    key = (lv, anyev, round(taken + frac, 12))
                    nxt[key] = nxt.get(key, 0.0) + p * (1 - qe)
                    t_ev = round(taken + frac * (1 - drug.interruption_loss), 12)
                    last = lv == L - 1
                    p_stop = 1.0 if last else drug.p_severe
                    ek = (lv, 1, t_ev, c + 1)
                    ended[ek] = ended.get(ek, 0.0) + p * qe * p_stop
                    if not last:
                        k2 = (lv + 1, 1, t_ev)
                        nxt[k2] = nxt.get(k2, 0.0) + p * qe * (1 - p_stop)
                states = nxt
            for (lv, anyev, taken), p in states.items():
                ae[i] += p * anyev
                red[i] += p * (lv > 0)
                rdi[i] += p * taken / C
            for (lv, _anyev, taken, cyc), p in ended.items():
                ae[i] += p
                red[i] += p * (lv > 0)
                disc[i] += p
                rdi[i] += p * taken / cyc
        out["ae"].append(float(w @ ae))
        out["red"].append(float(w @ red))
        out["disc"].append(float(w @ disc))
        out["rdi"].append(float(w @ rdi))
    from scipy.stats import norm
    zq = norm.ppf([0.05, 0.5, 0.95])
    aucq = np.array([[d / (drug.cl * np.exp(-drug.omega_cl * zz)) for zz in zq] for d in drug.doses])
    k = len(drug.doses)
    ae = np.array(out["ae"])
    return ArmSummary(drug.doses, _frozen(np.zeros(k), int), _frozen(aucq[:, 1]), _frozen(aucq[:, 0]),
                      _frozen(aucq[:, 2]), _frozen(out["inh"]), _frozen(out["resp"]), None, None,
                      _frozen(out["c1"]), _frozen(ae), _frozen(ae), _frozen(out["red"]), _frozen(out["disc"]),
                      _frozen(out["rdi"]))


@dataclass(frozen=True)
class LogisticER:
    r"""A logistic exposure-response fit, :math:`\operatorname{logit} p = \beta_0 + \beta_1 \log A`.

    Parameters
    ----------
    intercept, slope : float
        Maximum-likelihood estimates.
    se_slope : float
        Standard error of the slope (inverse observed information).
    converged : bool
        Whether Newton-Raphson converged.
    """

    intercept: float
    slope: float
    se_slope: float
    converged: bool

    def __post_init__(self) -> None:
        _validate.number(self.intercept, "intercept")
        _validate.number(self.slope, "slope")
        _validate.positive(self.se_slope, "se_slope", allow_zero=True)
        _validate.boolean(self.converged, "converged")

    def predict(self, auc: float | np.ndarray) -> np.ndarray:
        """Fitted response probability at exposure ``auc``.

        Parameters
        ----------
        auc : float or array_like
            Exposure (> 0).

        Returns
        -------
        numpy.ndarray
        """
        a = _validate.real_array(auc, "auc", minimum=0.0, strict_minimum=True)
        return 1.0 / (1.0 + np.exp(-(self.intercept + self.slope * np.log(a))))

    def ci_slope(self, level: float = 0.95) -> tuple[float, float]:
        """Wald interval of the slope.

        Parameters
        ----------
        level : float, default 0.95
            Confidence level, in (0, 1).

        Returns
        -------
        tuple of float
        """
        from scipy.stats import norm
        zc = float(norm.ppf(0.5 + _validate.probability(level, "level") / 2))
        return self.slope - zc * self.se_slope, self.slope + zc * self.se_slope


def fit_logistic_er(auc: Sequence[float], response: Sequence[bool], *, max_iter: int = 50) -> LogisticER:
    """Fit the logistic regression of response on log exposure by maximum likelihood (Newton-Raphson).

    Parameters
    ----------
    auc : array_like
        Exposure of each patient (> 0).
    response : array_like of bool or 0/1
        Response of each patient.
    max_iter : int, default 50
        Newton-Raphson iterations at most.

    Returns
    -------
    LogisticER

    Raises
    ------
    ValueError
        On lengths that differ, fewer than 3 patients, responses other than 0/1, or all-equal responses.

    Examples
    --------
    >>> fit = fit_logistic_er([1, 2, 4, 8, 16, 32], [0, 0, 1, 0, 1, 1])
    >>> round(fit.slope, 4)
    1.7515
    """
    a = _validate.real_array(auc, "auc", ndim=1, minimum=0.0, strict_minimum=True, nonempty=True,
                             max_size=_validate.MAX_GRID)
    if np.ptp(a) == 0:
        raise ValueError(f"auc must hold at least two different values to estimate a slope; got {a[:5].tolist()}")
    y = _validate.real_array(response, "response", ndim=1, length=a.size)
    if a.size < 3:
        raise ValueError(f"auc needs at least 3 patients; got {a.size}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("response must hold 0/1 (or bool) values")
    if y.min() == y.max():
        raise ValueError("response must include responders and non-responders (the fit does not exist)")
    X = np.column_stack([np.ones(a.size), np.log(a)])
    beta = np.zeros(2)
    converged = False
    for _ in range(_validate.positive_int(max_iter, "max_iter", maximum=1000)):
        p = 1.0 / (1.0 + np.exp(-X @ beta))
        info = X.T @ (X * (p * (1 - p))[:, None])
        step = np.linalg.solve(info, X.T @ (y - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            converged = True
            break
    p = 1.0 / (1.0 + np.exp(-X @ beta))
    cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    return LogisticER(float(beta[0]), float(beta[1]), float(np.sqrt(cov[1, 1])), converged)


@dataclass(frozen=True)
class ResampledBest:
    """How often each dose has the highest CUI over resampled data.

    Parameters
    ----------
    doses : tuple
        Dose labels.
    probability : ndarray
        Share of draws in which each dose has the highest CUI (ties split); sums to 1.
    cui_observed : ndarray
        CUI of each dose at the observed data.
    n_draws : int
        Bootstrap samples or posterior draws.
    seed : int or None
        Seed of the draws.
    best_observed : object
        The dose with the highest CUI at the observed data (lowest on a tie).
    """

    doses: tuple
    probability: np.ndarray
    cui_observed: np.ndarray
    n_draws: int
    seed: int | None = None
    best_observed: object = field(default=None)

    def __post_init__(self) -> None:
        labels = _validate.sequence(self.doses, "doses")
        if not labels:
            raise ValueError("doses must label at least one dose; got ()")
        if any(isinstance(v, (float, np.floating)) and not np.isfinite(v) for v in labels):
            _validate.real_array([v for v in labels if isinstance(v, (float, np.floating))], "doses")
        prob = _validate.real_array(self.probability, "probability", minimum=0.0, maximum=1.0, ndim=1,
                                    length=len(labels))
        if abs(prob.sum() - 1.0) > 1e-6:
            raise ValueError(f"probability must sum to 1 over the doses; it sums to {prob.sum():.6g}")
        _validate.real_array(self.cui_observed, "cui_observed", minimum=0.0, maximum=1.0, ndim=1,
                             length=len(labels))
        _validate.integer(self.n_draws, "n_draws", minimum=1, maximum=MAX_BOOT)
        _validate.seed(self.seed)
        if self.best_observed is not None:
            _validate.one_of(self.best_observed, "best_observed (a label of doses)", labels)

    @property
    def most_likely(self) -> object:
        """The dose most often best (lowest on a tie)."""
        return self.doses[int(np.argmax(self.probability))]


def _cui_draws(values: Mapping[str, np.ndarray], weights: Mapping[str, float],
               desirabilities: Mapping[str, Desirability]) -> np.ndarray:
    """CUI per draw and dose from attribute draws (draws x doses), as :func:`dosecourse.utility.cui`."""
    keys = tuple(values)
    weights = _validate.mapping(weights, "weights")
    desirabilities = _validate.mapping(desirabilities, "desirabilities")
    if set(weights) != set(keys) or set(desirabilities) != set(keys):
        raise ValueError(f"weights and desirabilities must name the attributes {list(keys)}; got "
                         f"{sorted(weights)} and {sorted(desirabilities)}")
    w = np.array([_validate.positive(weights[k], f"weights[{k!r}]", allow_zero=True) for k in keys])
    if abs(w.sum() - 1) > 1e-9:
        raise ValueError(f"weights must sum to 1; they sum to {w.sum():.6g}")
    total = 0.0
    for wk, key in zip(w, keys):
        total = total + wk * np.asarray(_validate.instance(desirabilities[key], f"desirabilities[{key!r}]",
                                                           Desirability)(values[key]))
    return np.asarray(total, dtype=float)


def _share_best(values: np.ndarray) -> np.ndarray:
    is_max = values >= values.max(axis=1, keepdims=True) - 1e-9
    return (is_max / is_max.sum(axis=1, keepdims=True)).mean(axis=0)


def bootstrap_probability_best(trial: DossierTrial, weights: Mapping[str, float],
                               desirabilities: Mapping[str, Desirability], *, n_boot: int = 2000,
                               seed: int | None = 2025, er_response: bool = False) -> ResampledBest:
    """Share of bootstrap resamples (patients resampled within arms) in which each dose has the highest CUI.

    Parameters
    ----------
    trial : DossierTrial
        The trial.
    weights, desirabilities : mapping
        Weight and desirability function of each attribute used (names from :data:`ATTRIBUTES`); the weights
        sum to 1.
    n_boot : int, default 2000
        Bootstrap resamples (1 to :data:`MAX_BOOT`).
    seed : int or None, default 2025
        Seed of the resampling.
    er_response : bool, default False
        Replace each arm's observed response rate by the mean fitted probability of a logistic
        exposure-response refitted to each resample (:func:`fit_logistic_er`, pooled over arms).

    Returns
    -------
    ResampledBest

    Raises
    ------
    ValueError, TypeError
        On unknown attributes, weights that do not sum to 1 or a bad ``n_boot``.
    """
    _validate.instance(trial, "trial", DossierTrial)
    try:
        keys = tuple(_validate.one_of(k, "an attribute", ATTRIBUTES) for k in _validate.mapping(weights, "weights"))
    except ValueError as exc:
        raise ValueError(f"{exc} (a key of weights)") from None
    B = _validate.positive_int(n_boot, "n_boot", maximum=MAX_BOOT)
    er_response = _validate.boolean(er_response, "er_response")
    rng, used = _validate.rng(seed)
    k = len(trial.doses)
    idx_arm = [np.flatnonzero(trial.arm == j) for j in range(k)]
    draws = [arm[rng.integers(0, arm.size, size=(B, arm.size))] for arm in idx_arm]   # (B, n_j) indices
    values = {}
    for key in keys:
        x = trial.outcome(key)
        values[key] = np.column_stack([x[d].mean(axis=1) for d in draws])
    observed = {key: np.array([trial.outcome(key)[i].mean() for i in idx_arm])[None, :] for key in keys}
    if er_response and "response" in keys:
        values["response"] = _er_arm_rates(trial, draws)
        fit = fit_logistic_er(trial.auc, trial.response)
        observed["response"] = np.array([fit.predict(trial.auc[i]).mean() for i in idx_arm])[None, :]
    u = _cui_draws(values, weights, desirabilities)
    u_obs = _cui_draws(observed, weights, desirabilities)[0]
    best = trial.doses[int(np.flatnonzero(u_obs >= u_obs.max() - 1e-9)[0])]
    return ResampledBest(trial.doses, _frozen(_share_best(u)), _frozen(u_obs), B, used, best)


def _er_arm_rates(trial: DossierTrial, draws: list[np.ndarray]) -> np.ndarray:
    """Mean fitted E-R response probability per arm, refitting the logistic model to every resample (batched)."""
    idx = np.concatenate(draws, axis=1)                               # (B, N)
    la = np.log(trial.auc)[idx]
    y = trial.response.astype(float)[idx]
    B = idx.shape[0]
    beta = np.zeros((B, 2))
    for _ in range(30):
        eta = beta[:, :1] + beta[:, 1:] * la
        p = 1.0 / (1.0 + np.exp(-eta))
        wgt = p * (1 - p)
        g0, g1 = (y - p).sum(1), ((y - p) * la).sum(1)
        h00, h01, h11 = wgt.sum(1), (wgt * la).sum(1), (wgt * la * la).sum(1)
        det = h00 * h11 - h01 ** 2
        det = np.where(np.abs(det) < 1e-12, np.nan, det)
        step0 = (h11 * g0 - h01 * g1) / det
        step1 = (h00 * g1 - h01 * g0) / det
        beta = beta + np.column_stack([np.nan_to_num(step0), np.nan_to_num(step1)])
        if np.nanmax(np.abs(np.concatenate([step0, step1]))) < 1e-9:
            break
    eta = beta[:, :1] + beta[:, 1:] * la
    p = 1.0 / (1.0 + np.exp(-eta))
    sizes = [d.shape[1] for d in draws]
    cuts = np.cumsum([0, *sizes])
    return np.column_stack([p[:, a:b].mean(axis=1) for a, b in zip(cuts[:-1], cuts[1:])])


def posterior_probability_best(counts: Mapping[str, tuple[Sequence[int], Sequence[int]]],
                               weights: Mapping[str, float], desirabilities: Mapping[str, Desirability], *,
                               doses: Sequence[object] | None = None, prior: tuple[float, float] = (1.0, 1.0),
                               n_draws: int = 10_000, seed: int | None = 2025) -> ResampledBest:
    r"""Posterior probability that each dose has the highest CUI, from published event counts.

    Each attribute is a rate with its own counts and denominators per dose (efficacy and safety analysis
    sets often differ); independent Beta posteriors are drawn and the CUI computed per draw.

    Parameters
    ----------
    counts : mapping of str to (events, patients)
        Attribute -> (events per dose, patients per dose).
    weights, desirabilities : mapping
        Weight (summing to 1) and desirability function of each attribute.
    doses : sequence, optional
        Dose labels (default 1..K).
    prior : (a, b), default (1, 1)
        Beta prior of every rate.
    n_draws : int, default 10000
        Posterior draws (1 to :data:`MAX_BOOT`).
    seed : int or None, default 2025
        Seed.

    Returns
    -------
    ResampledBest

    Raises
    ------
    ValueError, TypeError
        On inconsistent counts, bad weights or priors.

    Notes
    -----
    .. math:: p_{kj} \sim \mathrm{Beta}(a + x_{kj}, b + n_{kj} - x_{kj}), \qquad
              \Pr(j \text{ best}) = \frac1S \sum_s \mathbb 1\big[CUI_{sj} = \max_i CUI_{si}\big]

    Examples
    --------
    >>> from dosecourse.utility import linear_desirability as lin
    >>> res = posterior_probability_best({"orr": ([50, 28], [102, 50]), "ild": ([13, 14], [101, 50])},
    ...                                  {"orr": 0.5, "ild": 0.5}, {"orr": lin(0.2, 0.6), "ild": lin(0.4, 0.0)},
    ...                                  doses=["5.4", "6.4"], seed=1)
    >>> res.most_likely
    '5.4'
    """
    counts = _validate.mapping(counts, "counts")
    if not counts:
        raise ValueError("counts must name at least one attribute")
    _validate.real_array(prior, "prior", ndim=1, length=2)  # (a, b)
    a = _validate.positive(prior[0], "prior a")
    b = _validate.positive(prior[1], "prior b")
    S = _validate.positive_int(n_draws, "n_draws", maximum=MAX_BOOT)
    rng, used = _validate.rng(seed)
    k = None
    draws, observed = {}, {}
    for key, pair in counts.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2 or np.ndim(pair[0]) != 1 or np.ndim(pair[1]) != 1:
            raise TypeError(f"counts[{key!r}] must be (events, patients), two sequences with one count per dose; "
                            f"got {pair!r}")
        x = _validate.whole_array(pair[0], f"counts[{key!r}] events", ndim=1)
        n = _validate.whole_array(pair[1], f"counts[{key!r}] patients", ndim=1, minimum=1)
        if x.size != n.size or (k is not None and x.size != k):
            raise ValueError(f"counts[{key!r}] must give one count per dose for every attribute")
        if np.any(x > n):
            raise ValueError(f"counts[{key!r}]: events must not exceed patients; got {x.tolist()} of {n.tolist()}")
        k = x.size
        draws[key] = rng.beta(a + x, b + n - x, size=(S, k))
        observed[key] = (x / n)[None, :]
    labels = tuple(range(1, k + 1)) if doses is None else tuple(_validate.sequence(doses, "doses"))
    if any(isinstance(v, (float, np.floating)) and not np.isfinite(v) for v in labels):
        _validate.real_array([v for v in labels if isinstance(v, (float, np.floating))], "doses")  # NaN, inf
    if len(labels) != k:
        raise ValueError(f"doses must have one label per dose ({k}); got {len(labels)}")
    u = _cui_draws(draws, weights, desirabilities)
    u_obs = _cui_draws(observed, weights, desirabilities)[0]
    best = labels[int(np.flatnonzero(u_obs >= u_obs.max() - 1e-9)[0])]
    return ResampledBest(labels, _frozen(_share_best(u)), _frozen(u_obs), S, used, best)


def observed_cui(summary: ArmSummary, weights: Mapping[str, float], desirabilities: Mapping[str, Desirability],
                 *, response: Sequence[float] | None = None):
    """:func:`dosecourse.utility.cui` of the arm summaries (optionally with other response rates, e.g. E-R fitted).

    Parameters
    ----------
    summary : ArmSummary
        From :func:`arm_summaries` or :func:`true_outcomes`.
    weights, desirabilities : mapping
        Weight and desirability of each attribute used (names from :data:`ATTRIBUTES`).
    response : sequence of float, optional
        Response rate per arm to use instead of ``summary.response``.

    Returns
    -------
    dosecourse.utility.CUIResult
    """
    _validate.instance(summary, "summary", ArmSummary)
    attrs = {}
    if not _validate.mapping(weights, "weights"):
        raise ValueError("weights must name at least one attribute; got {}")
    for key in weights:
        attrs[_validate.one_of(key, "a key of weights", ATTRIBUTES)] = summary.attribute(key)
    if response is not None and "response" in attrs:
        attrs["response"] = _validate.probabilities(response, "response", length=len(summary.doses),
                                                    open_interval=False)
    return cui(attrs, weights, desirabilities, doses=list(summary.doses))
