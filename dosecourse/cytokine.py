"""Cytokine release after T-cell engagers: a small teaching model of priming, step-up dosing and dose delays.

A T-cell engager (a bispecific antibody that bridges CD3 on T cells and an antigen on tumour cells) activates
T cells, and activated T cells (with the monocytes they recruit) release cytokines such as IL-6.  The first
exposure releases the most: the immune system then becomes less responsive (tolerance), and it recovers slowly
when the drug is gone.  This module turns that story into four ordinary differential equations so that a
chapter can show, with numbers,

1. why **step-up dosing** (small priming doses before the target dose) lowers the peak cytokine for the same
   target dose;
2. how the **step schedule and interval** trade speed (time to the target dose and to the target exposure) for
   safety (the peak cytokine);
3. what a **dose delay** does: after a long gap the system re-sensitises (re-priming), so the next full dose
   releases as much cytokine as a first dose, which is why protocols restart the step-up after long delays;
4. why agonist dose-response can be **bell-shaped**: the bridging (ternary) complex needs one drug molecule
   bound to both cells, and too much drug saturates each arm separately (:func:`bell_shaped_response`).

The model (all times in days)
-----------------------------
*Drug PK* is linear and one-compartment, solved in closed form by superposition of single-dose solutions (those
of :mod:`dosecourse.pk`, re-written without per-call checks for speed; the tests check that they agree): IV
bolus, IV infusion (``durations > 0``) or subcutaneous (SC) first-order absorption with bioavailability F.
Doses are in mg, the volume in L, so the concentration C is in mg/L (= ug/mL).

*Stimulus* S(C) in [0, 1] is T-cell engagement: a Hill (sigmoid Emax) function ``stimulus="emax"``, or the
ternary-complex amount relative to its maximum ``stimulus="ternary"`` (bell-shaped in C).

*Responsiveness* R in (0, 1] is the share of the cytokine-releasing capacity still available (primed T cells
and the cells they recruit, and the target cells that trigger them).  Exposure consumes it at the rate
``k_des * S * R``; it recovers towards 1 at the rate ``k_rec * (1 - R)``.  *IL-6* (pg/mL) is produced at the rate
``k_prod * S * R`` and eliminated first-order (``k_el``) towards its baseline:

.. math::

    \\dot R = k_{rec} (1 - R) - k_{des} S(C) R, \\qquad
    \\dot I = k_{el} I_0 + k_{prod} S(C) R - k_{el} I, \\qquad R(0) = 1, \\; I(0) = I_0 .

With ``k_prod`` proportional to ``k_des`` this is the precursor-pool (tolerance) model of Gabrielsson & Weiner:
the cytokine released is drawn from a pool that refills slowly.  A priming dose with a small S drains the pool
slowly, so IL-6 stays low while R falls; the target dose then meets a depleted pool.  A long gap lets the drug
wash out (S -> 0) and R recover, so the next dose meets a full pool again.

*CRS risk*: the probability of cytokine release syndrome (CRS) of grade 2 or higher is a logistic function of
the log peak IL-6, :func:`crs_probability`.

What the model shows (and the tests check)
------------------------------------------
* Step-up lowers the peak IL-6 for the same target dose whenever the priming doses have used at least half of
  the responsiveness by the first target dose (R(T_D) <= 0.5; no counterexample over a wide parameter box);
  with almost no desensitisation it does not help (the priming doses only add drug).
* Longer intervals between steps lower the peak (non-increasing) and delay the target dose and exposure, as
  long as the gaps stay short against recovery and washout; with fast recovery and fast washout a very long
  gap re-primes between steps and the peak rises again.
* The peak after a dose delay grows with the delay: short gaps (drug still present) change little, gaps
  longer than the washout plus a few recovery half-lives give a first-dose peak; restarting the step-up then
  lowers it.
* The ternary complex is largest at the geometric mean of the two K_D and falls towards 0 above it.

Assumptions (each one a simplification made for teaching)
---------------------------------------------------------
* **A teaching model, qualitatively calibrated, not a fitted published model.**  The structure follows the
  mechanisms named in the references (activation, desensitisation / target-cell depletion, cytokine
  turnover); the numbers of :data:`TEACHING_PARAMETERS` were chosen so that the qualitative facts hold
  (teclistamab-like SC step-up: peak IL-6 several-fold lower than the target dose given at once, mostly during
  step-up; re-priming after gaps of several weeks).  They are not estimates and predict no real patient.
* PK is linear (no target-mediated disposition, no time-varying clearance), one-compartment; the drug in the
  model is free drug; binding does not deplete it.
* One lumped responsiveness state stands for T-cell desensitisation, activation-induced cell death and the
  depletion of target (e.g. B) cells, which the mechanistic models treat separately (Hosseini et al. 2020).
* Desensitisation and cytokine production are driven by the same stimulus S; there is no delay between S and
  IL-6 other than IL-6 turnover; premedication (corticosteroids), tocilizumab and tumour burden are absent.
* IL-6 stands for the cytokine burst; its baseline is constant.
* The CRS mapping is a logistic curve in log peak IL-6 with teaching values (not fitted to any trial).
* Times are days since the first dose (the first dose is at t = 0, the protocols' "day 1").

Numerics
--------
``method="exponential"`` (default) freezes S at the midpoint of each step of a fine grid (``dt``, default 15
minutes, with every dose time and infusion end added to the grid) and solves the linear (R, I) system over the
step exactly (exponential integrator): second-order accurate in ``dt`` (IL-6 within about 1e-4 of its peak
of a tight ``solve_ivp`` solution at the default step), no stiffness problem, a few milliseconds per simulated
month.  ``method="ode"`` solves the whole system, PK included as ODE states (depot
and central amounts), with :func:`scipy.integrate.solve_ivp` (LSODA) between dose events; it is the
independent reference the tests compare against.

References
----------
Hosseini I, et al. Mitigating the risk of cytokine release syndrome in a Phase I trial
of CD20/CD3 bispecific antibody mosunetuzumab in NHL: impact of translational system modeling. NPJ Syst Biol
Appl. 2020;6(1):28. doi:10.1038/s41540-020-00145-7 (PMID 32859946). (Mechanistic model of T-cell activation,
B-cell depletion and IL-6; predicted that step-fractionated dosing lowers the cycle-1 cytokine release.)
Weddell J. Mechanistically modeling peripheral cytokine dynamics following bispecific dosing in solid tumors.
CPT Pharmacometrics Syst Pharmacol. 2023;12(11):1726-1737. doi:10.1002/psp4.12928 (PMID 36710368).
(Step-up lowers the cytokine Cmax through immune-cell activation and desensitisation.)
A "fit-for-purpose" semimechanistic PK/PD model of cytokine release upon T-cell-engaging bispecific antibody
treatment, including the priming effect of repeated doses. PMC6853151 (abstract read; recalled as Chen X et al.,
Clin Transl Sci 2019 -- authors, title and journal: check).  (The blinatumomab CRS model cited elsewhere as
CPT Pharmacometrics Syst Pharmacol, doi:10.1002/psp4.12396, could not be confirmed and is not used.)
Schropp J, Khot A, Shah DK, Koch G. Target-mediated drug disposition model for bispecific antibodies:
properties, approximation, and optimal dosing strategy. CPT Pharmacometrics Syst Pharmacol. 2019;8(3):177-187.
doi:10.1002/psp4.12369 (PMID 30480383).
Douglass EF Jr, Miller CJ, Sparer G, Shapiro H, Spiegel DA. A comprehensive mathematical model for three-body
binding equilibria. J Am Chem Soc. 2013;135:6092-6099. doi:10.1021/ja311795d [volume, pages and DOI: check].
Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis: Concepts and Applications. 5th ed.
Swedish Pharmaceutical Press; 2016 (tolerance and precursor-pool models).
Miao X, Wu LS, Wang Lin SX, et al. Population pharmacokinetics and exposure-response with teclistamab in
patients with relapsed/refractory multiple myeloma: results from MajesTEC-1. Target Oncol. 2023;18(5):667-684.
doi:10.1007/s11523-023-00989-z (PK values of :data:`TEACHING_PARAMETERS`, as transcribed in nlmixr2lib
``Miao_2023_teclistamab.R``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from . import _validate
from .i18n import check_lang, t

ROUTES: tuple[str, ...] = ("iv", "sc")
"""Routes of a :class:`Schedule`: intravenous (bolus, or infusion with a duration) and subcutaneous."""

STIMULI: tuple[str, ...] = ("emax", "ternary")
"""Stimulus models: Hill (sigmoid Emax) in C, or the ternary complex relative to its maximum (bell-shaped)."""

METHODS: tuple[str, ...] = ("exponential", "ode")
"""Solvers of :func:`simulate`: exponential integrator on a fine grid (fast), or ``solve_ivp`` (reference)."""

MAX_EVENTS: int = 1_000
"""Largest number of dose events of a :class:`Schedule`."""

DEFAULT_DT: float = 1.0 / 96.0
"""Default step of the simulation grid, days (15 minutes)."""

DATA_FILE: str = "tce_step_up_schedules"
"""Name of the data file (``dosecourse/data/tce_step_up_schedules.json``) with the published schedules."""


# --- parameters ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CytokineParameters:
    """Parameters of the cytokine-release model (units: mg, L, day, mg/L, pg/mL).

    Change one with :func:`dataclasses.replace`, e.g. ``replace(TEACHING_PARAMETERS, k_rec=0.2)``.

    Parameters
    ----------
    cl : float
        Clearance, L/day (> 0).
    v : float
        Volume of distribution, L (> 0).
    ka : float
        SC absorption rate constant, 1/day (> 0); used for SC schedules only.
    f : float
        SC bioavailability, in (0, 1].
    stimulus : {"emax", "ternary"}
        Stimulus model, see :func:`stimulus`.
    ec50 : float
        Concentration of half-maximal stimulus, mg/L (> 0), for ``"emax"``.
    hill : float
        Hill coefficient (> 0), for ``"emax"``.
    kd_effector, kd_target : float
        Dissociation constants of the CD3 (effector) arm and of the tumour-antigen (target) arm, mg/L (> 0),
        for ``"ternary"`` (1 nM of a 150 kDa IgG is 0.15 mg/L).
    k_des : float
        Desensitisation rate at full stimulus, 1/day (> 0).
    k_rec : float
        Recovery (re-priming) rate of responsiveness, 1/day (> 0); recovery half-life ln 2 / k_rec.
    k_prod : float
        IL-6 production rate at full stimulus and full responsiveness, pg/mL/day (> 0).
    k_el : float
        IL-6 elimination rate constant, 1/day (> 0).
    il6_baseline : float
        Baseline IL-6, pg/mL (> 0).
    crs_il6_50 : float
        Peak IL-6 at which P(CRS grade >= 2) is 0.5, pg/mL (> 0).
    crs_slope : float
        Slope of the logistic CRS curve per unit of ln(peak IL-6) (> 0).
    target_conc : float
        Concentration that defines "target exposure reached", mg/L (> 0).
    """

    cl: float = 0.996
    v: float = 4.13
    ka: float = 0.133
    f: float = 0.718
    stimulus: str = "emax"
    ec50: float = 1.0
    hill: float = 1.0
    kd_effector: float = 7.5
    kd_target: float = 0.15
    k_des: float = 3.0
    k_rec: float = 0.1
    k_prod: float = 1500.0
    k_el: float = 4.0
    il6_baseline: float = 3.0
    crs_il6_50: float = 80.0
    crs_slope: float = 2.0
    target_conc: float = 9.0

    def __post_init__(self) -> None:
        for name in ("cl", "v", "ka", "ec50", "hill", "kd_effector", "kd_target", "k_des", "k_rec", "k_prod",
                     "k_el", "il6_baseline", "crs_il6_50", "crs_slope", "target_conc"):
            object.__setattr__(self, name, _validate.positive(getattr(self, name), name))
        f = _validate.positive(self.f, "f", maximum=1.0)
        object.__setattr__(self, "f", f)
        _validate.one_of(self.stimulus, "stimulus", STIMULI)

    @property
    def k(self) -> float:
        """Elimination rate constant of the drug, CL/V, 1/day."""
        return self.cl / self.v

    @property
    def recovery_half_life(self) -> float:
        """Half-life of the recovery of responsiveness once the drug is gone, ln 2 / k_rec, days."""
        return math.log(2.0) / self.k_rec


TEACHING_PARAMETERS = CytokineParameters()
"""Teaching parameter set (documented in the module docstring; illustrative, not fitted).

PK: teclistamab early in treatment, one-compartment collapse of Miao et al. 2023 (Table 2 as transcribed in
nlmixr2lib): CL = CL1 + CL2(t = 0) = 0.449 + 0.547 = 0.996 L/day (CL2 decays with a 24-day half-life, after the
step-up period), V = V1 = 4.13 L (the peripheral volume fills slowly, Q = 0.039 L/day, and is ignored),
ka = 0.133 /day, F = 0.718; reference weight 74 kg.  Pharmacodynamics (teaching values): EC50 1 mg/L, Hill 1,
target exposure 9 mg/L (the EC90), desensitisation 3 /day, recovery 0.1 /day (half-life about 7 days), IL-6
production 1500 pg/mL/day, IL-6 half-life about 4 hours (k_el 4 /day), baseline 3 pg/mL, CRS curve 50% at a
peak of 80 pg/mL with slope 2 per ln unit; ternary stimulus K_D 7.5 mg/L (CD3 arm, about 50 nM) and 0.15 mg/L
(target arm, about 1 nM)."""


def _params(params: object) -> CytokineParameters:
    return _validate.instance(params, "params", CytokineParameters)


# --- schedules -----------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Schedule:
    """A dosing schedule: dose events at given times (days since the first dose).

    Parameters
    ----------
    times : ndarray
        Dose times, days, >= 0 and strictly increasing.
    doses : ndarray
        Amounts, mg (> 0), one per time; for an infusion the whole amount infused.
    route : {"sc", "iv"}
        Subcutaneous (first-order absorption) or intravenous.
    durations : ndarray
        Infusion durations, days (>= 0; 0 is a bolus); IV only, infusions may not overlap.  Default all 0.
    target_dose : float
        The target (full) dose level, mg for bolus/SC doses or mg/day for infusions; default the largest
        level of the schedule.

    Raises
    ------
    ValueError, TypeError
        On unsorted or negative times, non-positive doses, NaN, an unknown route, SC infusions or overlapping
        infusions.

    Examples
    --------
    >>> s = Schedule([0.0, 3.0, 6.0], [4.2, 21.0, 105.0])
    >>> s.n_step_up, s.target_dose
    (2, 105.0)
    """

    times: np.ndarray
    doses: np.ndarray
    route: str = "sc"
    durations: np.ndarray | None = None
    target_dose: float | None = None

    def __post_init__(self) -> None:
        times = _validate.real_array(self.times, "times", minimum=0.0, ndim=1, nonempty=True, increasing=True,
                                     max_size=MAX_EVENTS)
        doses = _validate.real_array(self.doses, "doses", minimum=0.0, strict_minimum=True, ndim=1)
        if doses.size != times.size:
            raise ValueError(f"doses must have one value per dose time ({times.size}); got {doses.size}")
        route = _validate.one_of(self.route, "route", ROUTES)
        if self.durations is None:
            durations = np.zeros(times.size)
        else:
            durations = _validate.real_array(self.durations, "durations", minimum=0.0, ndim=1)
            if durations.size != times.size:
                raise ValueError(f"durations must have one value per dose time ({times.size}); "
                                 f"got {durations.size}")
        if route == "sc" and np.any(durations > 0):
            raise ValueError("durations must all be 0 for route 'sc' (a subcutaneous dose is absorbed "
                             f"first-order, not infused); got {durations.tolist()}")
        overlap = times[:-1] + durations[:-1] > times[1:] * (1.0 + 1e-12)
        if np.any(overlap):
            i = int(np.argmax(overlap))
            raise ValueError(f"durations: infusion {i + 1} (from day {times[i]:g} for {durations[i]:g} days) "
                             f"overlaps the next dose at day {times[i + 1]:g}")
        levels = np.where(durations > 0, doses / np.where(durations > 0, durations, 1.0), doses)
        target = float(levels.max()) if self.target_dose is None else _validate.positive(self.target_dose,
                                                                                         "target_dose")
        for name, arr in (("times", times), ("doses", doses), ("durations", durations)):
            arr = arr.astype(float, copy=True)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "route", route)
        object.__setattr__(self, "target_dose", target)

    @property
    def n_doses(self) -> int:
        """Number of dose events."""
        return int(self.times.size)

    @property
    def levels(self) -> np.ndarray:
        """Dose level of each event: the amount (mg) for bolus/SC doses, the rate (mg/day) for infusions."""
        d = self.durations
        return np.where(d > 0, self.doses / np.where(d > 0, d, 1.0), self.doses)

    @property
    def time_to_target_dose(self) -> float:
        """Time of the first event at the target dose level, days (inf if the schedule never reaches it)."""
        reached = self.levels >= self.target_dose * (1.0 - 1e-12)
        return float(self.times[np.argmax(reached)]) if reached.any() else math.inf

    @property
    def n_step_up(self) -> int:
        """Number of (priming) doses before the first target dose."""
        reached = self.levels >= self.target_dose * (1.0 - 1e-12)
        return int(np.argmax(reached)) if reached.any() else self.n_doses


def step_up_schedule(doses: Sequence[float], interval_days: float | Sequence[float] = 3.0,
                     then_every_days: float = 7.0, n_maintenance: int = 3, *, route: str = "sc",
                     durations: Sequence[float] | None = None) -> Schedule:
    """A step-up schedule: increasing doses, then the target dose repeated at a fixed interval.

    Parameters
    ----------
    doses : sequence of float
        Strictly increasing doses, mg (> 0); the last one is the target dose.  A single dose gives the target
        dose at once (no step-up).
    interval_days : float or sequence of float, default 3
        Days between consecutive step doses (> 0): one number, or one per gap (``len(doses) - 1`` values).
    then_every_days : float, default 7
        Days between target doses after the first one (> 0).
    n_maintenance : int, default 3
        Number of target doses after the first one (>= 0).
    route : {"sc", "iv"}, default "sc"
        Route of every dose.
    durations : sequence of float, optional
        IV infusion durations, days, one per step dose (the maintenance doses take the last one).

    Returns
    -------
    Schedule
        Doses at 0, the step intervals, then every ``then_every_days``; ``target_dose`` is ``doses[-1]``.

    Raises
    ------
    ValueError
        If doses are not positive and strictly increasing, an interval is not positive, or the schedule would
        hold more than :data:`MAX_EVENTS` doses.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With step doses :math:`d_1 < \\dots < d_m = D` and gaps :math:`\\tau_j`, the target dose is first given at

    .. math:: T_D = \\sum_{j=1}^{m-1} \\tau_j ,

    the "speed" side of the step-up trade-off.

    References
    ----------
    Moreau P, et al. Teclistamab in relapsed or refractory multiple myeloma. N Engl J Med. 2022;387(6):495-505.
    doi:10.1056/NEJMoa2203478 (step-up 0.06 -> 0.3 -> 1.5 mg/kg, then weekly).

    Examples
    --------
    >>> s = step_up_schedule([4.2, 21.0, 105.0], interval_days=3, then_every_days=7, n_maintenance=2)
    >>> s.times.tolist(), s.time_to_target_dose
    ([0.0, 3.0, 6.0, 13.0, 20.0], 6.0)
    """
    steps = _validate.real_array(doses, "doses", minimum=0.0, strict_minimum=True, ndim=1, nonempty=True,
                                 max_size=MAX_EVENTS)
    if np.any(np.diff(steps) <= 0):
        raise ValueError(f"doses must be strictly increasing (a step-up ends at the target dose); "
                         f"got {steps.tolist()}")
    n_gaps = steps.size - 1
    gaps = _validate.real_array(interval_days, "interval_days", minimum=0.0, strict_minimum=True)
    if gaps.ndim == 0:
        gaps = np.full(n_gaps, float(gaps))
    elif gaps.ndim != 1 or gaps.size != n_gaps:
        raise ValueError(f"interval_days must be one number or one value per gap between step doses "
                         f"({n_gaps}); got {np.asarray(interval_days).tolist()}")
    every = _validate.positive(then_every_days, "then_every_days")
    n_m = _validate.integer(n_maintenance, "n_maintenance", minimum=0, maximum=MAX_EVENTS)
    if steps.size + n_m > MAX_EVENTS:
        raise ValueError(f"a schedule may hold at most {MAX_EVENTS:,} doses; got {steps.size + n_m:,}")
    times = np.concatenate([[0.0], np.cumsum(gaps)])
    times = np.concatenate([times, times[-1] + every * np.arange(1, n_m + 1)])
    amounts = np.concatenate([steps, np.full(n_m, steps[-1])])
    dur = None
    if durations is not None:
        d = _validate.real_array(durations, "durations", minimum=0.0, ndim=1)
        if d.size != steps.size:
            raise ValueError(f"durations must have one value per step dose ({steps.size}); got {d.size}")
        dur = np.concatenate([d, np.full(n_m, d[-1])])
    sched = Schedule(times, amounts, route=route, durations=dur)
    return Schedule(sched.times, sched.doses, route=sched.route, durations=sched.durations,
                    target_dose=float(sched.levels[steps.size - 1]))


def with_delay(schedule: Schedule, after_dose: int, delay_days: float, *,
               restart_step_up: bool = False) -> Schedule:
    """The schedule with a delay: every dose after dose number ``after_dose`` moves ``delay_days`` later.

    Parameters
    ----------
    schedule : Schedule
        The planned schedule.
    after_dose : int
        Number of the last dose given on time, 1..n-1 (doses are numbered from 1).
    delay_days : float
        Extra days before the next dose (> 0).
    restart_step_up : bool, default False
        If True, the step-up doses of ``schedule`` (those before its first target dose) are given again from
        the delayed resumption day with their original spacing, and the planned doses from the first target
        dose on that were still to come follow with their original spacing, the first of them when the first
        target dose falls in the repeated step-up (a delay during step-up thus restarts the step-up).

    Returns
    -------
    Schedule
        Same route and target dose.

    Raises
    ------
    ValueError
        If ``after_dose`` is not in 1..n-1 or ``delay_days`` is not positive.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With dose times :math:`t_1 < \\dots < t_n` and a delay :math:`\\Delta` after dose :math:`k`, doses
    :math:`k+1, \\dots, n` move to :math:`t_j + \\Delta`.  With a restart of a step-up of :math:`m` doses before
    the first target dose at :math:`t_{m+1}`, the step doses :math:`j \\le m` are given again at
    :math:`t_{k+1} + \\Delta + (t_j - t_1)`, and the planned doses :math:`j \\ge l = \\max(k+1, m+1)` at
    :math:`t_j - t_l + t_{k+1} + \\Delta + (t_{m+1} - t_1)`.

    References
    ----------
    The prescribing information of the T-cell engagers (e.g. LUNSUMIO, TECVAYLI) tabulates after which gaps
    the step-up doses are repeated [check the gaps in the current labels]; this function only builds the
    schedules to compare.

    Examples
    --------
    >>> s = step_up_schedule([4.2, 21.0, 105.0], 3, 7, 3)
    >>> with_delay(s, after_dose=4, delay_days=21).times.tolist()
    [0.0, 3.0, 6.0, 13.0, 41.0, 48.0]
    >>> with_delay(s, after_dose=4, delay_days=21, restart_step_up=True).doses.tolist()
    [4.2, 21.0, 105.0, 105.0, 4.2, 21.0, 105.0, 105.0]
    """
    _validate.instance(schedule, "schedule", Schedule)
    n = schedule.n_doses
    if n < 2:
        raise ValueError("with_delay needs a schedule of at least 2 doses (a delay sits between two doses)")
    k = _validate.integer(after_dose, "after_dose", minimum=1, maximum=n - 1)
    delay = _validate.positive(delay_days, "delay_days")
    restart = _validate.boolean(restart_step_up, "restart_step_up")
    times, doses, dur = schedule.times, schedule.doses, schedule.durations
    before = slice(0, k)
    after = slice(k, n)
    if not restart:
        new_t = np.concatenate([times[before], times[after] + delay])
        new_d = np.concatenate([doses[before], doses[after]])
        new_dur = np.concatenate([dur[before], dur[after]])
    else:
        m = schedule.n_step_up
        if m == 0:
            raise ValueError("restart_step_up=True needs a schedule that starts with step-up doses; this one "
                             "starts at the target dose")
        resume = times[k] + delay
        step_t = resume + (times[:m] - times[0])
        rest = slice(max(k, m), n)  # the planned doses still to come, without the step-up being repeated
        shift = resume + (times[m] - times[0]) - times[max(k, m)] if max(k, m) < n else 0.0
        new_t = np.concatenate([times[before], step_t, times[rest] + shift])
        new_d = np.concatenate([doses[before], doses[:m], doses[rest]])
        new_dur = np.concatenate([dur[before], dur[:m], dur[rest]])
        if new_t.size > MAX_EVENTS:
            raise ValueError(f"a schedule may hold at most {MAX_EVENTS:,} doses; got {new_t.size:,}")
    return Schedule(new_t, new_d, route=schedule.route, durations=new_dur, target_dose=schedule.target_dose)


# --- published schedules -------------------------------------------------------------------------------------

def published_schedules() -> dict:
    """The published step-up schedules of T-cell engagers, as stored in the data file (a fresh copy).

    Returns
    -------
    dict
        The parsed ``dosecourse/data/tce_step_up_schedules.json``: ``"source"``, ``"note"`` and
        ``"schedules"`` (one entry per drug with route, dose unit, step-up and maintenance doses, reported CRS
        rates, sources and a verification status per item).

    Examples
    --------
    >>> sorted(published_schedules()["schedules"])[:2]
    ['blinatumomab', 'epcoritamab']
    """
    text = (resources.files("dosecourse") / "data" / f"{DATA_FILE}.json").read_text(encoding="utf-8")
    return json.loads(text)


def published_schedule(name: str, *, weight_kg: float = 70.0, horizon_days: float = 84.0) -> Schedule:
    """A published step-up schedule as a :class:`Schedule` (doses in mg, days since the first dose).

    Parameters
    ----------
    name : str
        Drug name, a key of ``published_schedules()["schedules"]``.
    weight_kg : float, default 70
        Body weight for mg/kg doses, kg (> 0, at most 300).
    horizon_days : float, default 84
        Keep the doses given before this many days after the first dose (> 0).

    Returns
    -------
    Schedule
        Route as published; infusions (blinatumomab) carry their durations and ug/day rates become mg.

    Raises
    ------
    ValueError
        If ``name`` is unknown or an argument is out of range.

    Examples
    --------
    >>> s = published_schedule("teclistamab", weight_kg=70.0, horizon_days=28.0)
    >>> s.times.tolist(), s.doses.round(1).tolist()
    ([0.0, 3.0, 6.0, 13.0, 20.0, 27.0], [4.2, 21.0, 105.0, 105.0, 105.0, 105.0])
    """
    entries = published_schedules()["schedules"]
    entry = entries[_validate.one_of(name, "name", sorted(entries))]
    weight = _validate.positive(weight_kg, "weight_kg", maximum=300.0)
    horizon = _validate.positive(horizon_days, "horizon_days", maximum=10_000.0)
    unit = entry["dose_unit"]
    scale = {"mg": 1.0, "mg/kg": weight, "ug/day": 1e-3}[unit]
    events: list[tuple[float, float, float]] = []
    for ev in entry["step_up"]:
        events.append((float(ev["day"]), float(ev["dose"]), float(ev.get("duration_days", 0.0))))
    for phase in entry["maintenance"]:
        last = phase["last_day"] if phase["last_day"] is not None else math.inf
        day = float(phase["first_day"])
        while day <= last and day - events[0][0] < horizon:
            events.append((day, float(phase["dose"]), float(phase.get("duration_days", 0.0))))
            day += float(phase["every_days"])
    events.sort()
    day0 = events[0][0]
    kept = [e for e in events if e[0] - day0 < horizon]
    times = np.array([e[0] - day0 for e in kept])
    dur = np.array([e[2] for e in kept])
    amounts = np.array([e[1] for e in kept]) * scale * np.where(dur > 0, dur, 1.0)
    target = float(entry["target_dose"]) * scale
    return Schedule(times, amounts, route=entry["route"], durations=dur, target_dose=target)


# --- pharmacokinetics and stimulus ---------------------------------------------------------------------------

def concentration(schedule: Schedule, time: float | np.ndarray,
                  params: CytokineParameters = TEACHING_PARAMETERS) -> float | np.ndarray:
    """Drug concentration (mg/L) of a schedule at the given times, by superposition of closed forms.

    Parameters
    ----------
    schedule : Schedule
        Dose events.
    time : float or array_like
        Times, days since the first dose (any real; 0 before the first dose).
    params : CytokineParameters, default :data:`TEACHING_PARAMETERS`
        Uses ``cl``, ``v`` and, for SC, ``ka`` and ``f``.

    Returns
    -------
    float or ndarray
        Concentration, same shape as ``time``; right-continuous at an IV bolus (the value at the dose time
        includes the dose).

    Raises
    ------
    TypeError, ValueError
        On a wrong schedule, parameters or times (NaN included).

    Notes
    -----
    .. math:: C(t) = \\sum_i C_1(t - t_i; D_i)

    with the one-compartment single-dose solutions of :func:`dosecourse.pk.conc_iv_bolus`,
    :func:`dosecourse.pk.conc_iv_infusion` and :func:`dosecourse.pk.conc_oral` (SC, bioavailability F).

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> s = Schedule([0.0], [41.3], route="iv")
    >>> round(float(concentration(s, 0.0)), 3)
    10.0
    """
    _validate.instance(schedule, "schedule", Schedule)
    p = _params(params)
    times = _validate.real_array(time, "time", max_size=_validate.MAX_GRID)
    out = _conc(schedule, times.ravel(), p).reshape(times.shape)
    return float(out) if out.ndim == 0 else out


def _conc(schedule: Schedule, times: np.ndarray, p: CytokineParameters) -> np.ndarray:
    """Concentration at 1-D ``times`` (validated inputs), summed over dose events.

    The closed forms of :mod:`dosecourse.pk` written without argument checks (a widget redraws a whole course
    in milliseconds); the tests check that both agree.  The SC (Bateman) term uses
    :math:`(e^{-k s} - e^{-k_a s})/(k_a - k) = e^{-\\min(k, k_a) s}(1 - e^{-|k_a - k| s})/|k_a - k|`, which has no
    cancellation when :math:`k_a \\approx k` and tends to :math:`s e^{-k s}` at :math:`k_a = k`.
    """
    c = np.zeros(times.size)
    k, v = p.k, p.v
    slow, gap = min(k, p.ka), abs(p.ka - k)
    for t0, dose, dur in zip(schedule.times.tolist(), schedule.doses.tolist(), schedule.durations.tolist()):
        s = times - t0
        given = s >= 0.0
        s = np.where(given, s, 0.0)
        if schedule.route == "sc":
            shape = s if gap == 0.0 else -np.expm1(-gap * s) / gap
            term = p.f * dose * p.ka / v * np.exp(-slow * s) * shape
        elif dur > 0.0:
            plateau = dose / dur / p.cl
            term = np.where(s < dur, plateau * -np.expm1(-k * s),
                            plateau * -np.expm1(-k * dur) * np.exp(-k * np.maximum(s - dur, 0.0)))
        else:
            term = dose / v * np.exp(-k * s)
        c += np.where(given, term, 0.0)
    return c


def stimulus(conc: float | np.ndarray, params: CytokineParameters = TEACHING_PARAMETERS) -> float | np.ndarray:
    """T-cell stimulus S(C) in [0, 1] at drug concentration C (mg/L).

    Parameters
    ----------
    conc : float or array_like
        Concentration, mg/L (>= 0).
    params : CytokineParameters, default :data:`TEACHING_PARAMETERS`
        ``stimulus="emax"`` uses ``ec50`` and ``hill``; ``"ternary"`` uses ``kd_effector`` and ``kd_target``.

    Returns
    -------
    float or ndarray
        Stimulus, same shape as ``conc``.

    Raises
    ------
    TypeError, ValueError
        On negative or non-finite concentrations or wrong parameters.

    Notes
    -----
    .. math::

        S_{emax}(C) = \\frac{C^h}{EC_{50}^h + C^h}, \\qquad
        S_{ternary}(C) = \\frac{C \\, (\\sqrt{K_E} + \\sqrt{K_T})^2}{(K_E + C)(K_T + C)}

    (the second is :func:`bell_shaped_response` in the dilute-receptor limit: 1 at
    :math:`C = \\sqrt{K_E K_T}`).

    References
    ----------
    Douglass EF Jr, et al. J Am Chem Soc. 2013;135:6092-6099. doi:10.1021/ja311795d [check].

    Examples
    --------
    >>> round(float(stimulus(1.0)), 3)
    0.5
    """
    p = _params(params)
    c = _validate.real_array(conc, "conc", minimum=0.0)
    out = _stim(c, p)
    return float(out) if out.ndim == 0 else out


def _stim(c: np.ndarray, p: CytokineParameters) -> np.ndarray:
    if p.stimulus == "emax":
        x = np.power(c / p.ec50, p.hill)
        return x / (1.0 + x)
    ke, kt = p.kd_effector, p.kd_target
    return c * (math.sqrt(ke) + math.sqrt(kt)) ** 2 / ((ke + c) * (kt + c))


# --- bell-shaped response (ternary complex) ------------------------------------------------------------------

def bell_peak_concentration(kd_effector: float, kd_target: float) -> float:
    """Free-drug concentration at which the ternary (bridging) complex is largest: sqrt(K_E K_T).

    Parameters
    ----------
    kd_effector, kd_target : float
        Dissociation constants of the two arms (> 0), same unit.

    Returns
    -------
    float
        The geometric mean of the two K_D, in their unit.

    Raises
    ------
    ValueError, TypeError
        If a K_D is not a positive number.

    Notes
    -----
    With free drug B (not depleted), the complex obeys :math:`X = \\kappa(B) (E_t - X)(T_t - X)`,
    :math:`\\kappa(B) = B / ((K_E + B)(K_T + B))` (see :func:`ternary_complex`); X increases with
    :math:`\\kappa`, and :math:`d\\kappa/dB = 0` gives :math:`B^2 = K_E K_T`, for any receptor amounts.

    References
    ----------
    Douglass EF Jr, et al. J Am Chem Soc. 2013;135:6092-6099. doi:10.1021/ja311795d [check].
    Schropp J, et al. CPT Pharmacometrics Syst Pharmacol. 2019;8(3):177-187. doi:10.1002/psp4.12369

    Examples
    --------
    >>> bell_peak_concentration(50.0, 2.0)
    10.0
    """
    ke = _validate.positive(kd_effector, "kd_effector")
    kt = _validate.positive(kd_target, "kd_target")
    return math.sqrt(ke * kt)


def ternary_complex(conc: float | np.ndarray, kd_effector: float, kd_target: float, effector_total: float,
                    target_total: float) -> float | np.ndarray:
    """Equilibrium ternary complex (effector-drug-target bridges) at a free-drug concentration.

    Parameters
    ----------
    conc : float or array_like
        Free drug concentration B (>= 0), the unit of the K_D.
    kd_effector, kd_target : float
        Dissociation constants of the CD3 (effector) arm and the target-antigen arm (> 0).
    effector_total, target_total : float
        Total effector receptor (e.g. CD3) and target antigen concentrations (> 0), same unit.

    Returns
    -------
    float or ndarray
        Ternary complex concentration X, same shape as ``conc``, in [0, min(E_t, T_t)).

    Raises
    ------
    ValueError, TypeError
        On negative or non-finite concentrations or non-positive constants.

    Notes
    -----
    Non-cooperative binding (the second arm binds with the same K_D as the first; no avidity), free drug not
    depleted by binding.  With free receptors E, T and binary complexes, the equilibria
    :math:`EB = E B / K_E`, :math:`BT = B T / K_T`, :math:`X = E B T / (K_E K_T)` and the receptor balances
    :math:`E_t = E + EB + X`, :math:`T_t = T + BT + X` give

    .. math::

        X = \\kappa (E_t - X)(T_t - X), \\quad \\kappa = \\frac{B}{(K_E + B)(K_T + B)}, \\quad
        X = \\frac{1 + \\kappa (E_t + T_t) - \\sqrt{(1 + \\kappa (E_t + T_t))^2 - 4 \\kappa^2 E_t T_t}}
                 {2 \\kappa}

    (the smaller root, written in the cancellation-free form :math:`X = 2 \\kappa E_t T_t / (1 + \\kappa(E_t
    + T_t) + \\sqrt{\\cdot})`).

    References
    ----------
    Douglass EF Jr, et al. J Am Chem Soc. 2013;135:6092-6099. doi:10.1021/ja311795d [check] (three-body
    equilibria; this is their non-cooperative case with the bridging molecule in excess).
    Schropp J, et al. CPT Pharmacometrics Syst Pharmacol. 2019;8(3):177-187. doi:10.1002/psp4.12369
    (ternary complex of bispecific antibodies, quasi-equilibrium approximation).

    Examples
    --------
    >>> round(float(ternary_complex(10.0, 50.0, 2.0, effector_total=1.0, target_total=0.1)), 4)
    0.0014
    """
    b = _validate.real_array(conc, "conc", minimum=0.0)
    ke = _validate.positive(kd_effector, "kd_effector")
    kt = _validate.positive(kd_target, "kd_target")
    et = _validate.positive(effector_total, "effector_total")
    tt = _validate.positive(target_total, "target_total")
    kappa = b / ((ke + b) * (kt + b))
    s = 1.0 + kappa * (et + tt)
    x = 2.0 * kappa * et * tt / (s + np.sqrt(s * s - 4.0 * kappa * kappa * et * tt))
    return float(x) if x.ndim == 0 else x


def bell_shaped_response(conc: float | np.ndarray, kd_effector: float, kd_target: float, *,
                         effector_total: float | None = None,
                         target_total: float | None = None) -> float | np.ndarray:
    """Ternary-complex fraction: the bridging complex relative to its maximum over concentration (bell-shaped).

    Parameters
    ----------
    conc : float or array_like
        Free drug concentration (>= 0), the unit of the K_D.
    kd_effector, kd_target : float
        Dissociation constants of the two arms (> 0).
    effector_total, target_total : float, optional
        Total receptor concentrations (> 0).  Omit both for the dilute-receptor limit (receptors far below the
        K_D), which has a closed form.

    Returns
    -------
    float or ndarray
        :math:`X(C) / X(C^*)` in [0, 1], with :math:`C^* = \\sqrt{K_E K_T}`
        (:func:`bell_peak_concentration`); same shape as ``conc``.

    Raises
    ------
    ValueError, TypeError
        On bad concentrations or constants, or if only one of the receptor totals is given.

    Notes
    -----
    In the dilute limit :math:`X \\approx \\kappa E_t T_t`, so

    .. math:: \\frac{X(C)}{X(C^*)} = \\frac{C (\\sqrt{K_E} + \\sqrt{K_T})^2}{(K_E + C)(K_T + C)} ,

    which grows in proportion to C well below :math:`C^*`, falls as :math:`(\\sqrt{K_E} + \\sqrt{K_T})^2 / C`
    well above it (too much drug occupies each arm separately, so the bridges fall apart), and is symmetric in
    log C about the peak: the value at :math:`C^* x` equals the value at :math:`C^* / x`.  With receptor
    totals the exact root of :func:`ternary_complex` is used; the peak stays at :math:`C^*`.

    References
    ----------
    Douglass EF Jr, et al. J Am Chem Soc. 2013;135:6092-6099. doi:10.1021/ja311795d [check].
    Schropp J, et al. CPT Pharmacometrics Syst Pharmacol. 2019;8(3):177-187. doi:10.1002/psp4.12369

    Examples
    --------
    >>> bell_shaped_response([1.0, 10.0, 100.0, 1000.0], 50.0, 2.0).round(3).tolist()
    [0.471, 1.0, 0.471, 0.068]
    """
    c = _validate.real_array(conc, "conc", minimum=0.0)
    ke = _validate.positive(kd_effector, "kd_effector")
    kt = _validate.positive(kd_target, "kd_target")
    if (effector_total is None) != (target_total is None):
        raise ValueError("give both effector_total and target_total, or neither (dilute-receptor limit)")
    if effector_total is None:
        out = c * (math.sqrt(ke) + math.sqrt(kt)) ** 2 / ((ke + c) * (kt + c))
    else:
        out = (np.asarray(ternary_complex(c, ke, kt, effector_total, target_total))
               / ternary_complex(math.sqrt(ke * kt), ke, kt, effector_total, target_total))
    return float(out) if np.ndim(out) == 0 else out


# --- CRS risk ------------------------------------------------------------------------------------------------

def crs_probability(peak_il6: float | np.ndarray,
                    params: CytokineParameters = TEACHING_PARAMETERS) -> float | np.ndarray:
    """Probability of CRS of grade 2 or higher given the peak IL-6 (teaching logistic curve).

    Parameters
    ----------
    peak_il6 : float or array_like
        Peak IL-6, pg/mL (> 0).
    params : CytokineParameters, default :data:`TEACHING_PARAMETERS`
        Uses ``crs_il6_50`` and ``crs_slope``.

    Returns
    -------
    float or ndarray
        Probability in (0, 1), same shape as ``peak_il6``.

    Raises
    ------
    ValueError, TypeError
        On non-positive or non-finite IL-6 values.

    Notes
    -----
    .. math:: P(\\text{CRS} \\ge 2) = \\frac{1}{1 + \\exp[-\\beta (\\ln I_{max} - \\ln I_{50})]}

    Teaching values (:math:`I_{50}` = 80 pg/mL, :math:`\\beta` = 2), not fitted to any trial.

    References
    ----------
    Lee DW, et al. ASTCT consensus grading for cytokine release syndrome and neurologic toxicity associated with
    immune effector cells. Biol Blood Marrow Transplant. 2019;25(4):625-638. doi:10.1016/j.bbmt.2018.12.758
    (the grades; the curve linking them to IL-6 here is illustrative).

    Examples
    --------
    >>> round(float(crs_probability(80.0)), 3)
    0.5
    """
    p = _params(params)
    x = _validate.real_array(peak_il6, "peak_il6", minimum=0.0, strict_minimum=True)
    z = p.crs_slope * (np.log(x) - math.log(p.crs_il6_50))
    out = 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow
    return float(out) if out.ndim == 0 else out


# --- simulation ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class CytokineResult:
    """One simulated course (from :func:`simulate`).

    Parameters
    ----------
    time : ndarray
        Grid times, days since the first dose (every dose time and infusion end is a grid point).
    concentration : ndarray
        Drug concentration, mg/L.
    stimulus : ndarray
        T-cell stimulus S(C), in [0, 1].
    responsiveness : ndarray
        Responsiveness R, in (0, 1].
    cytokine : ndarray
        IL-6, pg/mL.
    peak_cytokine : float
        Largest IL-6 on the grid, pg/mL.
    peak_time : float
        Its time, days.
    time_to_target_dose : float
        Time of the first dose at the target level, days (from the schedule; inf if never).
    time_to_target_exposure : float
        First time the concentration reaches ``params.target_conc``, days (inf if not within ``t_end``).
    crs_probability : float
        P(CRS grade >= 2) at the peak IL-6 (:func:`crs_probability`).
    schedule : Schedule
        The schedule simulated.
    params : CytokineParameters
        The parameters used.
    method : str
        Solver used, one of :data:`METHODS`.
    """

    time: np.ndarray
    concentration: np.ndarray
    stimulus: np.ndarray
    responsiveness: np.ndarray
    cytokine: np.ndarray
    peak_cytokine: float
    peak_time: float
    time_to_target_dose: float
    time_to_target_exposure: float
    crs_probability: float
    schedule: Schedule
    params: CytokineParameters
    method: str

    def __post_init__(self) -> None:
        time = _validate.real_array(self.time, "time", minimum=0.0, ndim=1, nonempty=True, increasing=True,
                                    max_size=_validate.MAX_GRID)
        n = time.size
        _validate.real_array(self.concentration, "concentration", minimum=0.0, ndim=1, length=n)
        _validate.real_array(self.stimulus, "stimulus", minimum=0.0, maximum=1.0, ndim=1, length=n)
        # R lies in (0, 1]; the reference ODE solver may overshoot 1 by its tolerance
        _validate.real_array(self.responsiveness, "responsiveness", minimum=0.0, strict_minimum=True,
                             maximum=1.0 + 1e-8, ndim=1, length=n)
        _validate.real_array(self.cytokine, "cytokine", minimum=0.0, ndim=1, length=n)
        _validate.positive(self.peak_cytokine, "peak_cytokine", allow_zero=True)
        _validate.number(self.peak_time, "peak_time", minimum=float(time[0]), maximum=float(time[-1]))
        for name in ("time_to_target_dose", "time_to_target_exposure"):  # inf: never (documented)
            value = getattr(self, name)
            if not (isinstance(value, (float, np.floating)) and value == math.inf):
                _validate.positive(value, name, allow_zero=True)
        _validate.probability(self.crs_probability, "crs_probability", open_interval=False)
        _validate.instance(self.schedule, "schedule", Schedule)
        _validate.instance(self.params, "params", CytokineParameters)
        _validate.one_of(self.method, "method", METHODS)

    def peak_between(self, start: float, end: float) -> float:
        """Largest IL-6 (pg/mL) on the grid in the window ``start <= t <= end`` (days).

        Parameters
        ----------
        start, end : float
            Bounds of the window, days since the first dose (``end >= start``).

        Returns
        -------
        float
            The largest IL-6 at a grid time in the window, pg/mL.

        Raises
        ------
        ValueError, TypeError
            If a bound is not a finite number, ``end < start``, or no grid time lies in the window.
        """
        lo = _validate.number(start, "start")
        hi = _validate.number(end, "end", minimum=lo)
        inside = (self.time >= lo) & (self.time <= hi)
        if not inside.any():
            raise ValueError(f"no grid time lies in [{lo:g}, {hi:g}] (the simulation covers "
                             f"[0, {self.time[-1]:g}] days)")
        return float(self.cytokine[inside].max())

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per grid time: time, concentration, stimulus, responsiveness and IL-6.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: time (days), concentration (mg/L), stimulus, responsiveness and IL-6 (pg/mL).
        """
        lang = check_lang(lang)
        return pd.DataFrame({
            t("cytokine_col_time", lang): self.time,
            t("cytokine_col_conc", lang): self.concentration,
            t("cytokine_col_stimulus", lang): self.stimulus,
            t("cytokine_col_responsiveness", lang): self.responsiveness,
            t("cytokine_col_il6", lang): self.cytokine,
        })


def _grid(schedule: Schedule, t_end: float, dt: float) -> np.ndarray:
    n = int(math.ceil(t_end / dt))
    if n + 2 * schedule.n_doses > _validate.MAX_GRID:
        raise ValueError(f"t_end / dt would need {n:,} grid steps; at most {_validate.MAX_GRID:,} are allowed "
                         "(use a larger dt or a shorter t_end)")
    ends = schedule.times + schedule.durations
    pts = np.concatenate([np.linspace(0.0, t_end, n + 1), schedule.times, ends])
    return np.unique(pts[(pts >= 0.0) & (pts <= t_end)])


def _solve_exponential(grid: np.ndarray, s_mid: np.ndarray, p: CytokineParameters) -> tuple[np.ndarray,
                                                                                           np.ndarray]:
    """R and I on ``grid`` with S frozen at ``s_mid`` on each step; the linear (R, I) system solved exactly."""
    h = np.diff(grid)
    a = p.k_rec + p.k_des * s_mid
    rs = p.k_rec / a
    q = p.k_prod * s_mid
    ea = np.exp(-a * h)
    ek = np.exp(-p.k_el * h)
    gap = p.k_el - a
    x = gap * h
    small = np.abs(x) < 1e-4
    # phi = integral_0^h exp(-k_el (h - u)) exp(-a u) du = (e^{-ah} - e^{-k_el h}) / (k_el - a); a series
    # h e^{-k_el h} (1 + x/2 + x^2/6) when a ~ k_el (relative error below 1e-13), to avoid the cancellation
    phi = np.where(small, h * ek * (1.0 + x / 2.0 + x * x / 6.0), (ea - ek) / np.where(small, 1.0, gap))
    base = (p.k_el * p.il6_baseline + q * rs) * (-np.expm1(-p.k_el * h)) / p.k_el
    r_out = np.empty(grid.size)
    i_out = np.empty(grid.size)
    r, i = 1.0, p.il6_baseline
    r_out[0], i_out[0] = r, i
    for n, (rs_n, ea_n, ek_n, base_n, qphi_n) in enumerate(zip(rs.tolist(), ea.tolist(), ek.tolist(),
                                                               base.tolist(), (q * phi).tolist()), start=1):
        d = r - rs_n
        i = i * ek_n + base_n + qphi_n * d
        r = rs_n + d * ea_n
        r_out[n] = r
        i_out[n] = i
    return r_out, i_out


def _solve_ode(schedule: Schedule, grid: np.ndarray, p: CytokineParameters, rtol: float,
               atol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concentration, R and I on ``grid`` from solve_ivp (LSODA), PK as ODE states, between dose events."""
    t_end = grid[-1]
    starts, amounts, durs = schedule.times, schedule.doses, schedule.durations
    ends = starts + durs
    breaks = np.unique(np.concatenate([[0.0, t_end], starts, ends]))
    breaks = breaks[(breaks >= 0.0) & (breaks <= t_end)]
    k, ka, f, v = p.k, p.ka, p.f, p.v
    emax = p.stimulus == "emax"
    ec50, hill = p.ec50, p.hill
    ke_, kt_ = p.kd_effector, p.kd_target
    tern = (math.sqrt(ke_) + math.sqrt(kt_)) ** 2

    def rhs(_t: float, y: np.ndarray, rate: float) -> list[float]:
        depot, central, r, i = y
        c = max(central / v, 0.0)
        if emax:
            xh = (c / ec50) ** hill
            s = xh / (1.0 + xh)
        else:
            s = c * tern / ((ke_ + c) * (kt_ + c))
        return [-ka * depot, ka * depot - k * central + rate,
                p.k_rec * (1.0 - r) - p.k_des * s * r,
                p.k_el * p.il6_baseline + p.k_prod * s * r - p.k_el * i]

    y = np.array([0.0, 0.0, 1.0, p.il6_baseline])
    out = np.empty((4, grid.size))
    for j, a in enumerate(breaks):
        b = breaks[j + 1] if j + 1 < breaks.size else a
        bolus = (starts == a) & (durs == 0)
        if bolus.any():
            y = y.copy()
            if schedule.route == "sc":
                y[0] += f * amounts[bolus].sum()
            else:
                y[1] += amounts[bolus].sum()
        active = (durs > 0) & (starts <= a) & (ends >= b) & (b > a)
        rate = float((amounts[active] / durs[active]).sum())
        last = j + 1 >= breaks.size - 1
        inside = (grid >= a) & ((grid <= b) if last else (grid < b))
        if b > a:
            pts = np.unique(np.concatenate([grid[inside], [b]]))
            sol = solve_ivp(rhs, (a, b), y, method="LSODA", t_eval=pts, rtol=rtol, atol=atol, args=(rate,))
            if not sol.success:
                raise RuntimeError(f"the cytokine ODE solver failed between days {a:g} and {b:g}: {sol.message}")
            out[:, inside] = sol.y[:, np.searchsorted(pts, grid[inside])]
            y = sol.y[:, -1]
        else:
            out[:, inside] = y[:, None]
        if last:
            break
    return np.maximum(out[1] / v, 0.0), out[2], out[3]


def simulate(schedule: Schedule, params: CytokineParameters = TEACHING_PARAMETERS, t_end: float = 28.0, *,
             dt: float = DEFAULT_DT, method: str = "exponential", rtol: float = 1e-8,
             atol: float = 1e-10) -> CytokineResult:
    """Simulate drug concentration, T-cell stimulus, responsiveness and IL-6 for a dosing schedule.

    Parameters
    ----------
    schedule : Schedule
        Dose events (days since the first dose, mg); see :func:`step_up_schedule`, :func:`with_delay`,
        :func:`published_schedule`.
    params : CytokineParameters, default :data:`TEACHING_PARAMETERS`
        Model parameters.
    t_end : float, default 28
        End of the simulation, days (> 0).
    dt : float, default 1/96 (15 minutes)
        Grid step, days (> 0, at most 1); dose times and infusion ends are added to the grid.
    method : {"exponential", "ode"}, default "exponential"
        Exponential integrator on the grid (fast), or :func:`scipy.integrate.solve_ivp` with LSODA (reference).
    rtol, atol : float
        Tolerances of ``method="ode"``.

    Returns
    -------
    CytokineResult
        Profiles on the grid, peak IL-6 and its time, time to target dose and exposure, CRS probability.

    Raises
    ------
    ValueError
        If ``t_end`` or ``dt`` is not positive, the grid would exceed :data:`dosecourse._validate.MAX_GRID`
        points or ``method`` is unknown.
    TypeError
        If ``schedule`` or ``params`` has the wrong type.
    RuntimeError
        If the reference ODE solver fails.

    Notes
    -----
    With C(t) from :func:`concentration` and S = S(C(t)) (:func:`stimulus`):

    .. math::

        \\dot R = k_{rec}(1 - R) - k_{des} S R, \\qquad \\dot I = k_{el} I_0 + k_{prod} S R - k_{el} I,
        \\qquad R(0) = 1, \\; I(0) = I_0 .

    The exponential method holds S at its value at the midpoint of each step; (R, I) is then linear with
    constant coefficients, :math:`a = k_{rec} + k_{des} S`, :math:`R_\\infty = k_{rec}/a`, and over a step h

    .. math::

        R(h) = R_\\infty + (R_0 - R_\\infty) e^{-a h}, \\qquad
        I(h) = I_0' e^{-k_{el} h} + \\frac{k_{el} I_0 + q R_\\infty}{k_{el}} (1 - e^{-k_{el} h})
               + q (R_0 - R_\\infty) \\frac{e^{-a h} - e^{-k_{el} h}}{k_{el} - a}

    with :math:`q = k_{prod} S` and :math:`I_0'` the IL-6 at the start of the step.

    References
    ----------
    Hosseini I, et al. NPJ Syst Biol Appl. 2020;6(1):28. doi:10.1038/s41540-020-00145-7
    Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis. 5th ed. 2016.

    Examples
    --------
    >>> step = simulate(step_up_schedule([4.2, 21.0, 105.0], 3, 7, 3))
    >>> full = simulate(step_up_schedule([105.0], then_every_days=7, n_maintenance=3))
    >>> round(step.peak_cytokine / full.peak_cytokine, 2)   # step-up: 0.06 -> 0.3 -> 1.5 mg/kg, 70 kg
    0.39
    >>> step.time_to_target_dose, full.time_to_target_dose
    (6.0, 0.0)
    """
    _validate.instance(schedule, "schedule", Schedule)
    p = _params(params)
    t_end = _validate.positive(t_end, "t_end", maximum=10_000.0)
    dt = _validate.positive(dt, "dt", maximum=1.0)
    method = _validate.one_of(method, "method", METHODS)
    rtol = _validate.positive(rtol, "rtol", maximum=0.1)
    atol = _validate.positive(atol, "atol")
    grid = _grid(schedule, t_end, dt)
    if method == "exponential":
        both = _conc(schedule, np.concatenate([grid, 0.5 * (grid[1:] + grid[:-1])]), p)
        conc = both[:grid.size]
        resp, il6 = _solve_exponential(grid, _stim(both[grid.size:], p), p)
    else:
        conc, resp, il6 = _solve_ode(schedule, grid, p, rtol, atol)
    for arr in (grid, conc, resp, il6):
        arr.setflags(write=False)
    j = int(np.argmax(il6))
    peak = float(il6[j])
    stim = _stim(conc, p)
    stim.setflags(write=False)
    return CytokineResult(time=grid, concentration=conc, stimulus=stim, responsiveness=resp,
                          cytokine=il6, peak_cytokine=peak, peak_time=float(grid[j]),
                          time_to_target_dose=schedule.time_to_target_dose,
                          time_to_target_exposure=_time_to_exposure(schedule, grid, conc, p),
                          crs_probability=float(crs_probability(peak, p)), schedule=schedule, params=p,
                          method=method)


def _time_to_exposure(schedule: Schedule, grid: np.ndarray, conc: np.ndarray, p: CytokineParameters) -> float:
    """First time C(t) >= target_conc on [0, t_end]: grid search refined by root finding (inf if never)."""
    above = conc >= p.target_conc
    if not above.any():
        return math.inf
    j = int(np.argmax(above))
    if j == 0:
        return float(grid[0])
    lo, hi = float(grid[j - 1]), float(grid[j])
    bolus_at_hi = (schedule.route == "iv") and bool(np.any((schedule.times == hi) & (schedule.durations == 0)))
    if bolus_at_hi:  # C jumps at the bolus: the target is reached at the dose time unless it was reached before
        before = [e for e in range(schedule.n_doses) if schedule.times[e] < hi]
        left = Schedule(schedule.times[before], schedule.doses[before], route="iv",
                        durations=schedule.durations[before]) if before else None
        if left is None or float(_conc(left, np.array([hi]), p)[0]) < p.target_conc:
            return hi

    def gap(x: float) -> float:
        return float(_conc(schedule, np.array([x]), p)[0]) - p.target_conc

    return float(brentq(gap, lo, hi, xtol=1e-10))


# --- comparing schedules -------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ScheduleComparison:
    """Several schedules simulated with the same parameters and horizon (from :func:`compare_schedules`).

    Parameters
    ----------
    names : tuple of str
        Schedule names, in the order given.
    results : tuple of CytokineResult
        One simulation per schedule.
    """

    names: tuple[str, ...]
    results: tuple[CytokineResult, ...]

    def __post_init__(self) -> None:
        names = [_validate.text(n, "names item") for n in _validate.sequence(self.names, "names")]
        results = [_validate.instance(r, "results item", CytokineResult)
                   for r in _validate.sequence(self.results, "results")]
        if not names or len(results) != len(names):
            raise ValueError(f"names and results must pair one name with each result (at least one); got "
                             f"{len(names)} names and {len(results)} results")

    def __getitem__(self, name: str) -> CytokineResult:
        return self.results[self.names.index(_validate.one_of(name, "name", self.names))]

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per schedule: target dose, step-up doses, times to target dose and exposure, peak IL-6, its
        time and P(CRS grade >= 2).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: schedule name, target dose, number of step-up doses, time to the target dose and to the
            target exposure (days), peak IL-6 (pg/mL), its time (days) and P(CRS grade >= 2).
        """
        lang = check_lang(lang)
        return pd.DataFrame([{
            t("cytokine_col_schedule", lang): name,
            t("cytokine_col_target_dose", lang): r.schedule.target_dose,
            t("cytokine_col_n_step_up", lang): r.schedule.n_step_up,
            t("cytokine_col_time_to_target_dose", lang): r.time_to_target_dose,
            t("cytokine_col_time_to_target_exposure", lang): r.time_to_target_exposure,
            t("cytokine_col_peak", lang): r.peak_cytokine,
            t("cytokine_col_peak_time", lang): r.peak_time,
            t("cytokine_col_crs", lang): r.crs_probability,
        } for name, r in zip(self.names, self.results)])


def compare_schedules(schedules: Mapping[str, Schedule], params: CytokineParameters = TEACHING_PARAMETERS,
                      t_end: float = 28.0, *, dt: float = DEFAULT_DT) -> ScheduleComparison:
    """Simulate several schedules with the same parameters and horizon, for a comparison table.

    Parameters
    ----------
    schedules : mapping of str to Schedule
        Named schedules (at most 50), e.g. ``{"step-up": ..., "target dose at once": ...}``.
    params : CytokineParameters, default :data:`TEACHING_PARAMETERS`
        Model parameters.
    t_end : float, default 28
        Horizon, days (> 0).
    dt : float, default 1/96
        Grid step, days.

    Returns
    -------
    ScheduleComparison
        ``.to_frame(lang)`` gives the table; ``comparison[name]`` one simulation.

    Raises
    ------
    ValueError, TypeError
        If ``schedules`` is empty, too long, or holds something other than named :class:`Schedule` objects.

    Notes
    -----
    Each row is one :func:`simulate` call (exponential method); the trade-off read from the table is speed
    (time to target dose :math:`T_D`, time to target exposure) against safety (peak IL-6, P(CRS >= 2)).

    References
    ----------
    Hosseini I, et al. NPJ Syst Biol Appl. 2020;6(1):28. doi:10.1038/s41540-020-00145-7

    Examples
    --------
    >>> cmp = compare_schedules({"step-up": step_up_schedule([4.2, 21.0, 105.0]),
    ...                          "at once": step_up_schedule([105.0])})
    >>> cmp.to_frame()["Peak IL-6 (pg/mL)"].round(0).tolist()
    [42.0, 107.0]
    """
    named = _validate.mapping(schedules, "schedules")
    if not named:
        raise ValueError("schedules must hold at least one named Schedule")
    if len(named) > _validate.MAX_DOSES:
        raise ValueError(f"schedules may hold at most {_validate.MAX_DOSES} schedules; got {len(named)}")
    for key, sched in named.items():
        _validate.text(key, "schedules key")
        _validate.instance(sched, f"schedules[{key!r}]", Schedule)
    results = tuple(simulate(s, params, t_end, dt=dt) for s in named.values())
    return ScheduleComparison(names=tuple(named), results=results)
