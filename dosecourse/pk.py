"""One-compartment pharmacokinetics: IV bolus, IV infusion and first-order absorption, single and repeated doses.

Every concentration function takes an array of times and returns concentrations of the same shape, for a single
dose (``tau=None``), ``n_doses`` doses every ``tau``, doses continuing every ``tau`` (``n_doses=None``), or the
steady state (``steady_state=True``, periodic in ``tau``).  Before the first dose the concentration is 0.

Units are whatever the user keeps consistent: with the dose in mg, volumes in L and clearance in L/h, times are
in hours, concentrations in mg/L and AUC in mg*h/L.  Summary quantities (:func:`auc_inf`, its inverse
:func:`dose_for_auc`, :func:`accumulation_ratio`, :func:`cavg_ss`, :func:`half_life`) and simple allometric
scaling from animals (:func:`scale_clearance`, :func:`scale_volume`, and the uncertainty of a scaled clearance,
:func:`allometric_fold_uncertainty`) complete the module.  Every function checks its arguments with
:mod:`dosecourse._validate`; time grids hold at most :data:`dosecourse._validate.MAX_GRID` points.

References
----------
Gabrielsson J, Weiner D. Pharmacokinetic and Pharmacodynamic Data Analysis: Concepts and Applications. 5th ed.
Swedish Pharmaceutical Press; 2016.
Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics: Concepts and Applications. 4th ed.
Lippincott Williams & Wilkins; 2011.
"""

from __future__ import annotations

import numpy as np

from . import _validate


def _times(t: object) -> np.ndarray:
    """``t`` as a float array of finite times, at most :data:`dosecourse._validate.MAX_GRID` of them."""
    return _validate.real_array(t, "t", max_size=_validate.MAX_GRID)


def _schedule(t: np.ndarray, tau: float | None, n_doses: int | None,
              steady_state: bool) -> tuple[np.ndarray, np.ndarray, float]:
    """Time since the latest dose, number of doses given so far (inf at steady state) and the interval.

    A single dose is the case ``tau = inf``: no later dose ever comes.  Before the first dose no dose has been
    given and the time since the latest dose is set to 0 (the caller returns 0 there).
    """
    steady_state = _validate.boolean(steady_state, "steady_state")
    if tau is None:
        if n_doses is not None or steady_state:
            raise ValueError("tau (the dosing interval) is required for n_doses or steady_state")
        return np.maximum(t, 0.0), (t >= 0).astype(float), np.inf
    tau = _validate.positive(tau, "tau")
    if steady_state:
        if n_doses is not None:
            raise ValueError("give either n_doses or steady_state=True, not both")
        return np.mod(t, tau), np.full(t.shape, np.inf), tau
    cap = np.inf if n_doses is None else _validate.positive_int(n_doses, "n_doses", maximum=_validate.MAX_GRID)
    given = np.clip(np.floor(t / tau) + 1.0, 0.0, cap)
    return np.maximum(t - np.maximum(given - 1.0, 0.0) * tau, 0.0), given, tau


def _sum_of_doses(rate: float, tau: float, given: np.ndarray) -> np.ndarray:
    """Geometric sum 1 + r + ... + r^(m-1) with r = exp(-rate*tau): how much ``m`` past doses add up."""
    r = np.exp(-rate * tau)
    return (1.0 - np.power(r, given)) / (1.0 - r)


def elimination_rate_constant(cl: float, v: float) -> float:
    """First-order elimination rate constant of a one-compartment model.

    Parameters
    ----------
    cl : float
        Clearance (volume/time, > 0).
    v : float
        Volume of distribution (> 0).

    Returns
    -------
    float
        The rate constant k, in 1/time.

    Raises
    ------
    ValueError
        If ``cl`` or ``v`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: k = CL / V

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> elimination_rate_constant(cl=2.0, v=20.0)
    0.1
    """
    return _validate.positive(cl, "cl") / _validate.positive(v, "v")


def half_life(cl: float, v: float) -> float:
    """Elimination half-life of a one-compartment model.

    Parameters
    ----------
    cl : float
        Clearance (volume/time, > 0).
    v : float
        Volume of distribution (> 0).

    Returns
    -------
    float
        Half-life, in the time unit of ``cl``.

    Raises
    ------
    ValueError
        If ``cl`` or ``v`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: t_{1/2} = \\ln 2 \\, V / CL

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> round(half_life(cl=0.2, v=3.0), 2)   # an IgG: L/day and L give days
    10.4
    """
    return float(np.log(2.0) / elimination_rate_constant(cl, v))


def auc_inf(dose: float, cl: float, f: float = 1.0) -> float:
    """Area under the concentration-time curve from 0 to infinity after one dose (linear PK, any route).

    Parameters
    ----------
    dose : float
        Dose (>= 0), e.g. mg.
    cl : float
        Clearance (> 0), e.g. L/h.
    f : float, default 1
        Bioavailability, in (0, 1].

    Returns
    -------
    float
        AUC, e.g. mg*h/L.

    Raises
    ------
    ValueError
        If the dose is negative, ``cl`` is not positive or ``f`` is outside (0, 1].
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: AUC_{0-\\infty} = F \\cdot Dose / CL

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> auc_inf(dose=100.0, cl=5.0, f=0.5)
    10.0
    """
    return _bioavailability(f) * _validate.positive(dose, "dose", allow_zero=True) / _validate.positive(cl, "cl")


def _bioavailability(f: float) -> float:
    """``f`` (the bioavailability) as a float after checking 0 < f <= 1."""
    return _validate.number(f, "f", minimum=0.0, strict_minimum=True, maximum=1.0)


def dose_for_auc(auc: float, cl: float, f: float = 1.0) -> float:
    """The dose whose AUC (from 0 to infinity, or over one interval at steady state) is ``auc``: the inverse of
    :func:`auc_inf`.

    Parameters
    ----------
    auc : float
        Target AUC (>= 0), e.g. mg*h/L.
    cl : float
        Clearance (> 0), e.g. L/h.
    f : float, default 1
        Bioavailability, in (0, 1].

    Returns
    -------
    float
        Dose, e.g. mg.

    Raises
    ------
    ValueError
        If ``auc`` is negative, ``cl`` is not positive or ``f`` is outside (0, 1].
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With linear pharmacokinetics :math:`AUC = F \\cdot Dose / CL`, so

    .. math:: Dose = \\frac{AUC \\cdot CL}{F}

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> dose_for_auc(auc=10.0, cl=5.0, f=0.5)
    100.0
    """
    auc = _validate.positive(auc, "auc", allow_zero=True)
    return auc * _validate.positive(cl, "cl") / _bioavailability(f)


def accumulation_ratio(cl: float, v: float, tau: float) -> float:
    """Accumulation ratio at steady state for repeated doses every ``tau`` (one-compartment, linear PK).

    Parameters
    ----------
    cl : float
        Clearance (> 0).
    v : float
        Volume of distribution (> 0).
    tau : float
        Dosing interval (> 0), in the time unit of ``cl``.

    Returns
    -------
    float
        R >= 1: the steady-state concentration divided by the first-dose concentration at the same time after
        a dose (for an IV bolus at every time; for other routes in the elimination phase).

    Raises
    ------
    ValueError
        If an argument is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: R = \\frac{1}{1 - e^{-k \\tau}}, \\qquad k = CL/V

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> accumulation_ratio(cl=1.0, v=10.0, tau=10.0 * np.log(2.0))   # dosing every half-life
    2.0
    """
    k = elimination_rate_constant(cl, v)
    return float(1.0 / -np.expm1(-k * _validate.positive(tau, "tau")))


def cavg_ss(dose: float, cl: float, tau: float, f: float = 1.0) -> float:
    """Average steady-state concentration over a dosing interval (linear PK, any route).

    Parameters
    ----------
    dose : float
        Dose per administration (>= 0).
    cl : float
        Clearance (> 0).
    tau : float
        Dosing interval (> 0), in the time unit of ``cl``.
    f : float, default 1
        Bioavailability, in (0, 1].

    Returns
    -------
    float
        Cavg,ss = AUC over one interval at steady state / tau.

    Raises
    ------
    ValueError
        If the dose is negative, ``cl`` or ``tau`` is not positive or ``f`` is outside (0, 1].
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: C_{avg,ss} = \\frac{F \\cdot Dose}{CL \\cdot \\tau}

    Equal dose rates (Dose/tau) give equal Cavg,ss: 400 mg every 6 weeks and 200 mg every 3 weeks.

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> cavg_ss(dose=200.0, cl=0.2, tau=21.0) == cavg_ss(dose=400.0, cl=0.2, tau=42.0)
    True
    """
    return auc_inf(dose, cl, f) / _validate.positive(tau, "tau")


def conc_iv_bolus(t: float | np.ndarray, dose: float, cl: float, v: float, *, tau: float | None = None,
                  n_doses: int | None = None, steady_state: bool = False) -> float | np.ndarray:
    """Concentration after IV bolus doses, one-compartment model.

    Parameters
    ----------
    t : float or array_like
        Times since the first dose (at steady state: any times, the profile repeats every ``tau``).
    dose : float
        Dose per administration (>= 0), e.g. mg.
    cl : float
        Clearance (> 0), e.g. L/h.
    v : float
        Volume of distribution (> 0), e.g. L.
    tau : float, optional
        Dosing interval; omit for a single dose.
    n_doses : int, optional
        Number of doses (every ``tau`` from time 0); ``None`` with ``tau`` means dosing never stops.
    steady_state : bool, default False
        Return the steady-state profile (needs ``tau``).

    Returns
    -------
    float or ndarray
        Concentration (dose unit / volume unit), same shape as ``t``.

    Raises
    ------
    ValueError
        If a parameter is out of range or the dosing arguments do not fit together.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With k = CL/V, t' the time since the latest dose and m doses given so far:

    .. math:: C(t) = \\frac{Dose}{V} e^{-k t'} \\, \\frac{1 - e^{-m k \\tau}}{1 - e^{-k \\tau}}

    (a single dose has m = 1; steady state has m -> infinity).

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> conc_iv_bolus([0.0, 10.0], dose=100.0, cl=1.0, v=10.0).round(3)
    array([10.   ,  3.679])
    >>> round(conc_iv_bolus(0.0, dose=100.0, cl=1.0, v=10.0, tau=10.0, steady_state=True), 3)
    15.82
    """
    times = _times(t)
    dose = _validate.positive(dose, "dose", allow_zero=True)
    k = elimination_rate_constant(cl, v)
    since, given, tau = _schedule(times, tau, n_doses, steady_state)
    conc = dose / v * np.exp(-k * since) * _sum_of_doses(k, tau, given)
    return _validate.scalar_or_array(np.where(given > 0, conc, 0.0))


def conc_iv_infusion(t: float | np.ndarray, dose: float, cl: float, v: float, duration: float, *,
                     tau: float | None = None, n_doses: int | None = None,
                     steady_state: bool = False) -> float | np.ndarray:
    """Concentration after constant-rate IV infusions, one-compartment model.

    Parameters
    ----------
    t : float or array_like
        Times since the start of the first infusion.
    dose : float
        Dose per infusion (>= 0), given at the rate dose/duration.
    cl : float
        Clearance (> 0).
    v : float
        Volume of distribution (> 0).
    duration : float
        Infusion duration T (> 0); with repeated doses T must not exceed ``tau``.
    tau : float, optional
        Dosing interval; omit for a single infusion.
    n_doses : int, optional
        Number of infusions; ``None`` with ``tau`` means dosing never stops.
    steady_state : bool, default False
        Return the steady-state profile (needs ``tau``).

    Returns
    -------
    float or ndarray
        Concentration, same shape as ``t``.

    Raises
    ------
    ValueError
        If a parameter is out of range, ``duration`` exceeds ``tau`` or the dosing arguments do not fit.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With rate R = Dose/T, k = CL/V, t' the time since the start of the latest infusion, m infusions started
    and S(m) = (1 - e^{-m k tau}) / (1 - e^{-k tau}):

    .. math::

        C = \\frac{R}{CL}\\left[(1 - e^{-k t'})
            + (1 - e^{-k T}) e^{-k (t' + \\tau - T)} S(m - 1)\\right] \\quad (t' < T) \\\\
        C = \\frac{R}{CL} (1 - e^{-k T}) e^{-k (t' - T)} S(m) \\quad (t' \\ge T)

    As T -> 0 this tends to the IV bolus.

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> conc_iv_infusion([1.0, 2.0], dose=100.0, cl=1.0, v=10.0, duration=1.0).round(3)
    array([9.516, 8.611])
    """
    times = _times(t)
    dose = _validate.positive(dose, "dose", allow_zero=True)
    k = elimination_rate_constant(cl, v)
    duration = _validate.positive(duration, "duration")
    since, given, tau = _schedule(times, tau, n_doses, steady_state)
    if np.isfinite(tau):  # one infusion at a time
        _validate.number(duration, "duration", minimum=0.0, strict_minimum=True, maximum=tau)
    plateau = dose / duration / cl
    rise = -np.expm1(-k * duration)
    earlier = _sum_of_doses(k, tau, np.maximum(given - 1.0, 0.0))  # infusions finished before the current one
    during = plateau * (-np.expm1(-k * since) + rise * np.exp(-k * (since + tau - duration)) * earlier)
    after = plateau * rise * np.exp(-k * (since - duration)) * _sum_of_doses(k, tau, given)
    conc = np.where(since < duration, during, after)
    return _validate.scalar_or_array(np.where(given > 0, conc, 0.0))


def conc_oral(t: float | np.ndarray, dose: float, cl: float, v: float, ka: float, *, f: float = 1.0,
              tau: float | None = None, n_doses: int | None = None,
              steady_state: bool = False) -> float | np.ndarray:
    """Concentration after first-order absorption (oral or subcutaneous), one-compartment model.

    Parameters
    ----------
    t : float or array_like
        Times since the first dose.
    dose : float
        Dose per administration (>= 0).
    cl : float
        Systemic clearance (> 0).
    v : float
        Volume of distribution (> 0).
    ka : float
        First-order absorption rate constant (> 0), 1/time.
    f : float, default 1
        Bioavailability, in (0, 1].
    tau : float, optional
        Dosing interval; omit for a single dose.
    n_doses : int, optional
        Number of doses; ``None`` with ``tau`` means dosing never stops.
    steady_state : bool, default False
        Return the steady-state profile (needs ``tau``).

    Returns
    -------
    float or ndarray
        Concentration, same shape as ``t``.

    Raises
    ------
    ValueError
        If a parameter is out of range or the dosing arguments do not fit together.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With k = CL/V, t' the time since the latest dose, m doses given and S_x(m) = (1 - e^{-m x tau}) /
    (1 - e^{-x tau}) (the Bateman function summed over doses):

    .. math:: C = \\frac{F \\cdot Dose \\cdot k_a}{V (k_a - k)}
              \\left[e^{-k t'} S_k(m) - e^{-k_a t'} S_{k_a}(m)\\right]

    When k_a = k the limit :math:`C = \\frac{F \\cdot Dose \\cdot k}{V} e^{-k t'}
    \\sum_{j<m} (t' + j\\tau) e^{-k j \\tau}` is used.

    References
    ----------
    Rowland M, Tozer TN. Clinical Pharmacokinetics and Pharmacodynamics. 4th ed. 2011.

    Examples
    --------
    >>> round(conc_oral(2.0, dose=100.0, cl=1.0, v=10.0, ka=1.0), 3)
    7.593
    """
    times = _times(t)
    dose = _validate.positive(dose, "dose", allow_zero=True)
    k = elimination_rate_constant(cl, v)
    ka = _validate.positive(ka, "ka")
    scale = _bioavailability(f) * dose / v
    since, given, tau = _schedule(times, tau, n_doses, steady_state)
    if np.isclose(ka, k, rtol=1e-9, atol=0.0):
        # sum_{j<m} (t' + j tau) r^j = t' S(m) + tau sum_{j<m} j r^j, with r = exp(-k tau)
        later = 0.0  # the tau * sum_{j<m} j r^j term; zero for a single dose
        if np.isfinite(tau):
            r = np.exp(-k * tau)
            m = np.where(np.isinf(given), 0.0, given)
            later = tau * np.where(np.isinf(given), r / (1.0 - r) ** 2,
                                   (r - m * r ** m + (m - 1.0) * r ** (m + 1.0)) / (1.0 - r) ** 2)
        conc = scale * k * np.exp(-k * since) * (since * _sum_of_doses(k, tau, given) + later)
    else:
        conc = scale * ka / (ka - k) * (np.exp(-k * since) * _sum_of_doses(k, tau, given)
                                        - np.exp(-ka * since) * _sum_of_doses(ka, tau, given))
    return _validate.scalar_or_array(np.where(given > 0, conc, 0.0))


def _allometric(value: float, animal_weight_kg: float, human_weight_kg: float, exponent: float,
                name: str) -> float:
    """``value`` scaled by (human weight / animal weight) ** exponent."""
    value = _validate.positive(value, name)
    wa = _validate.positive(animal_weight_kg, "animal_weight_kg")
    wh = _validate.positive(human_weight_kg, "human_weight_kg")
    b = _validate.positive(exponent, "exponent")
    return value * (wh / wa) ** b


def scale_clearance(cl_animal: float, animal_weight_kg: float, human_weight_kg: float = 70.0,
                    exponent: float = 0.75) -> float:
    """Predict human clearance from one animal species by simple allometry.

    Parameters
    ----------
    cl_animal : float
        Clearance in the animal (> 0), e.g. L/h (not per kg).
    animal_weight_kg : float
        Body weight of the animal, kg.
    human_weight_kg : float, default 70
        Human body weight, kg (70 kg is the usual adult of allometric scaling; the FDA starting-dose guidance
        uses 60 kg for dose conversions).
    exponent : float, default 0.75
        Allometric exponent b.

    Returns
    -------
    float
        Predicted human clearance, same unit as ``cl_animal``.

    Raises
    ------
    ValueError
        If an argument is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: CL_{human} = CL_{animal} \\left(\\frac{W_{human}}{W_{animal}}\\right)^{b}, \\quad b = 0.75

    References
    ----------
    Boxenbaum H. Interspecies scaling, allometry, physiological time, and the ground plan of pharmacokinetics.
    J Pharmacokinet Biopharm. 1982;10(2):201-227. doi:10.1007/BF01062336

    Examples
    --------
    >>> round(scale_clearance(0.02, animal_weight_kg=3.0), 3)   # monkey 0.02 L/h
    0.212
    """
    return _allometric(cl_animal, animal_weight_kg, human_weight_kg, exponent, "cl_animal")


def scale_volume(v_animal: float, animal_weight_kg: float, human_weight_kg: float = 70.0,
                 exponent: float = 1.0) -> float:
    """Predict a human volume of distribution from one animal species by simple allometry.

    Parameters
    ----------
    v_animal : float
        Volume in the animal (> 0), e.g. L (not per kg).
    animal_weight_kg : float
        Body weight of the animal, kg.
    human_weight_kg : float, default 70
        Human body weight, kg.
    exponent : float, default 1.0
        Allometric exponent b (volumes scale about in proportion to weight).

    Returns
    -------
    float
        Predicted human volume, same unit as ``v_animal``.

    Raises
    ------
    ValueError
        If an argument is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: V_{human} = V_{animal} \\left(\\frac{W_{human}}{W_{animal}}\\right)^{b}, \\quad b = 1

    References
    ----------
    Boxenbaum H. Interspecies scaling, allometry, physiological time, and the ground plan of pharmacokinetics.
    J Pharmacokinet Biopharm. 1982;10(2):201-227. doi:10.1007/BF01062336

    Examples
    --------
    >>> round(scale_volume(0.15, animal_weight_kg=3.0), 2)   # monkey 0.15 L -> 3.5 L
    3.5
    """
    return _allometric(v_animal, animal_weight_kg, human_weight_kg, exponent, "v_animal")


def allometric_fold_uncertainty(animal_weight_kg: float, human_weight_kg: float = 70.0,
                                exponent_sd: float = 0.16) -> float:
    """Geometric standard deviation of a clearance scaled from one animal when the exponent itself is uncertain.

    Parameters
    ----------
    animal_weight_kg : float
        Body weight of the animal, kg (> 0).
    human_weight_kg : float, default 70
        Human body weight, kg (> 0).
    exponent_sd : float, default 0.16
        Standard deviation of the allometric exponent across compounds (>= 0); 0.16 is the SD of the clearance
        exponents of 91 xenobiotics scaled from at least three species (mean 0.74, range 0.29 to 1.2) in
        Hu and Hayton (2001).

    Returns
    -------
    float
        The factor by which one SD of the exponent multiplies (or divides) the predicted human clearance, and so
        the dose needed for a given AUC (>= 1).

    Raises
    ------
    ValueError
        If a weight is not positive or ``exponent_sd`` is negative.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With :math:`CL_{human} = CL_{animal} (W_{human}/W_{animal})^{b}` (:func:`scale_clearance`) and an exponent
    :math:`b \\sim N(\\bar b, s^2)`, :math:`\\ln CL_{human}` is normal with SD :math:`s \\ln(W_{human}/W_{animal})`,
    so the predicted clearance is log-normal with geometric standard deviation

    .. math:: GSD = \\left(\\frac{W_{human}}{W_{animal}}\\right)^{s}

    A dose scaled by the same ratio inherits it: the dose reaching a target AUC is :math:`AUC \\cdot CL / F`.

    References
    ----------
    Hu TM, Hayton WL. Allometric scaling of xenobiotic clearance: uncertainty versus universality. AAPS PharmSci.
    2001;3(4):E29. doi:10.1208/ps030429 (PMID 12049492)

    Examples
    --------
    >>> round(allometric_fold_uncertainty(0.25, 60.0), 4)   # rat to a 60-kg human: 240 ** 0.16
    2.4034
    """
    wa = _validate.positive(animal_weight_kg, "animal_weight_kg")
    wh = _validate.positive(human_weight_kg, "human_weight_kg")
    s = _validate.positive(exponent_sd, "exponent_sd", allow_zero=True)
    return float(max(wh / wa, wa / wh) ** s)
