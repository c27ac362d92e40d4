"""Pharmacodynamics: Emax models, receptor occupancy and target-mediated drug disposition (TMDD).

Concentration-effect models (:func:`emax_model`, :func:`sigmoid_emax`) and their inverse
(:func:`concentration_for_effect`, for an EC10 or EC20); receptor occupancy by simple binding or with target
depletion (:func:`occupancy`, :func:`concentration_for_occupancy`, :func:`free_drug_concentration`); and a
two-compartment TMDD model of an antibody at the full, quasi-steady-state or quasi-equilibrium level
(:func:`simulate_tmdd`, with the teaching parameter set :data:`TEACHING_TMDD`).

Concentrations may be in any unit as long as ``kd``, ``ec50`` and the target concentration share it; the TMDD
model works in nM, nmol, L and days.

References
----------
Mager DE, Jusko WJ. General pharmacokinetic model for drugs exhibiting target-mediated drug disposition.
J Pharmacokinet Pharmacodyn. 2001;28(6):507-532. doi:10.1023/A:1014414520282
Mager DE, Krzyzanski W. Quasi-equilibrium pharmacokinetic model for drugs exhibiting target-mediated drug
disposition. Pharm Res. 2005;22(10):1589-1596. doi:10.1007/s11095-005-6650-0
Gibiansky L, Gibiansky E, Kakkar T, Ma P. Approximations of the target-mediated drug disposition model and
identifiability of model parameters. J Pharmacokinet Pharmacodyn. 2008;35(5):573-591.
doi:10.1007/s10928-008-9102-8 (PMID 19005743)
Dua P, Hawkins E, van der Graaf PH. A tutorial on target-mediated drug disposition (TMDD) models.
CPT Pharmacometrics Syst Pharmacol. 2015;4(6):324-337. doi:10.1002/psp4.41 (PMID 26225261)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp

from . import _validate
from .i18n import check_lang, t

APPROXIMATIONS: tuple[str, ...] = ("full", "qss", "qe")
"""TMDD model levels: the full binding model, quasi-steady state (QSS) and quasi-equilibrium (QE)."""
MAX_TMDD_TIMES: int = 100_000
"""Largest number of output times :func:`simulate_tmdd` accepts."""
MAX_TMDD_DOSES: int = 500
"""Largest number of doses :func:`simulate_tmdd` accepts (each starts an ODE segment)."""
MAX_TMDD_DAYS: float = 36_500.0
"""Latest output time and longest dosing interval (days, a hundred years) :func:`simulate_tmdd` accepts."""
MIN_TAU_DAYS: float = 1e-3
"""Shortest dosing interval (days, about 1.4 minutes) :func:`simulate_tmdd` accepts: the solver cannot step
across shorter segments."""


def _fractions(values: object, name: str) -> np.ndarray:
    """``values`` as a float array after checking every value lies in the open interval (0, 1)."""
    arr = _validate.real_array(values, name)
    if np.any((arr <= 0) | (arr >= 1)):
        raise ValueError(f"{name} must lie in (0, 1); got {values!r}")
    return arr


def emax_model(conc: float | np.ndarray, emax: float, ec50: float, e0: float = 0.0) -> float | np.ndarray:
    """Effect of the hyperbolic Emax model.

    Parameters
    ----------
    conc : float or array_like
        Drug concentration (>= 0), in the unit of ``ec50``.
    emax : float
        Maximum drug effect (above ``e0``); may be negative for an inhibitory effect.
    ec50 : float
        Concentration giving half the maximum effect (> 0).
    e0 : float, default 0
        Effect with no drug.

    Returns
    -------
    float or ndarray
        Effect, same shape as ``conc``.

    Raises
    ------
    ValueError
        If a concentration is negative or ``ec50`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: E(C) = E_0 + \\frac{E_{max} C}{EC_{50} + C}

    References
    ----------
    Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
    pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> emax_model(2.0, emax=100.0, ec50=2.0)
    50.0
    """
    return sigmoid_emax(conc, emax, ec50, 1.0, e0)


def sigmoid_emax(conc: float | np.ndarray, emax: float, ec50: float, hill: float,
                 e0: float = 0.0) -> float | np.ndarray:
    """Effect of the sigmoid Emax (Hill) model.

    Parameters
    ----------
    conc : float or array_like
        Drug concentration (>= 0), in the unit of ``ec50``.
    emax : float
        Maximum drug effect (above ``e0``).
    ec50 : float
        Concentration giving half the maximum effect (> 0).
    hill : float
        Hill coefficient n (> 0): the steepness of the curve; n = 1 is the hyperbolic Emax model.
    e0 : float, default 0
        Effect with no drug.

    Returns
    -------
    float or ndarray
        Effect, same shape as ``conc``.

    Raises
    ------
    ValueError
        If a concentration is negative, or ``ec50`` or ``hill`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: E(C) = E_0 + \\frac{E_{max} C^n}{EC_{50}^n + C^n}

    References
    ----------
    Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
    pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> sigmoid_emax([1.0, 2.0, 4.0], emax=1.0, ec50=2.0, hill=2.0)
    array([0.2, 0.5, 0.8])
    """
    c = _validate.real_array(conc, "conc", minimum=0.0)
    emax = float(_validate.real_array(emax, "emax"))
    e0 = float(_validate.real_array(e0, "e0"))
    ec50 = _validate.positive(ec50, "ec50")
    n = _validate.positive(hill, "hill")
    # C^n / (EC50^n + C^n) written as 1 / (1 + (EC50/C)^n) is unstable at C = 0; use the ratio r = C/EC50.
    rn = (c / ec50) ** n
    return _validate.scalar_or_array(e0 + emax * rn / (1.0 + rn))


def concentration_for_effect(fraction_of_emax: float | np.ndarray, ec50: float,
                             hill: float = 1.0) -> float | np.ndarray:
    """Concentration giving a stated fraction of the maximum effect (EC10, EC20, ...): the inverse of the Hill model.

    Parameters
    ----------
    fraction_of_emax : float or array_like
        Fraction x of Emax, in (0, 1); 0.2 gives the EC20.
    ec50 : float
        Concentration giving half the maximum effect (> 0).
    hill : float, default 1
        Hill coefficient n (> 0).

    Returns
    -------
    float or ndarray
        Concentration in the unit of ``ec50``.

    Raises
    ------
    ValueError
        If a fraction is outside (0, 1), or ``ec50`` or ``hill`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: EC_x = EC_{50} \\left(\\frac{x}{1 - x}\\right)^{1/n}

    With n = 1, EC10 = EC50/9 and EC20 = EC50/4: an in-vitro EC10-EC20 is one basis of a MABEL.

    References
    ----------
    Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
    pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> concentration_for_effect(0.2, ec50=8.0)
    2.0
    """
    x = _fractions(fraction_of_emax, "fraction_of_emax")
    ec50 = _validate.positive(ec50, "ec50")
    n = _validate.positive(hill, "hill")
    return _validate.scalar_or_array(ec50 * (x / (1.0 - x)) ** (1.0 / n))


def _binding(drug_total: np.ndarray, target_total: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Free drug and drug-target complex at binding equilibrium, from totals and a dissociation constant ``k``.

    Both roots of the quadratic are written without subtracting nearly equal numbers, so they stay accurate
    when almost all drug, or almost no drug, is bound.
    """
    free, fraction = _binding_fractions(drug_total, target_total, k)
    return free, fraction * target_total


def _binding_fractions(drug_total: np.ndarray, target_total: np.ndarray,
                       k: float) -> tuple[np.ndarray, np.ndarray]:
    """Free drug and the bound fraction of the target (occupancy) at binding equilibrium.

    The occupancy is formed without multiplying by the target total, so it stays exact even for a target total
    so small that products with it underflow.
    """
    a = drug_total - target_total - k
    root = np.sqrt((drug_total - target_total) ** 2 + k * (k + 2.0 * drug_total + 2.0 * target_total))
    denom = root - a  # > 0 whenever a < 0, the only case that uses it
    free = np.where(a >= 0, 0.5 * (a + root), 2.0 * k * drug_total / np.where(a >= 0, 1.0, denom))
    return free, 2.0 * drug_total / (drug_total + target_total + k + root)


def free_drug_concentration(drug_total: float | np.ndarray, target_total: float,
                            kd: float) -> float | np.ndarray:
    """Free drug concentration when drug and target bind at equilibrium, from the total concentrations.

    Parameters
    ----------
    drug_total : float or array_like
        Total (free + bound) drug concentration (>= 0).
    target_total : float
        Total (free + bound) target concentration (>= 0), same unit.
    kd : float
        Dissociation constant K_D (> 0), same unit (or the QSS constant K_SS = (k_off + k_int)/k_on).

    Returns
    -------
    float or ndarray
        Free drug concentration, same unit and shape as ``drug_total``.

    Raises
    ------
    ValueError
        If a concentration is negative or ``kd`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    From K_D = C R / RC with C = C_tot - RC and R = R_tot - RC:

    .. math:: C = \\tfrac{1}{2}\\left[(C_{tot} - R_{tot} - K_D)
              + \\sqrt{(C_{tot} - R_{tot} - K_D)^2 + 4 K_D C_{tot}}\\right]

    References
    ----------
    Mager DE, Krzyzanski W. Quasi-equilibrium pharmacokinetic model for drugs exhibiting target-mediated drug
    disposition. Pharm Res. 2005;22(10):1589-1596. doi:10.1007/s11095-005-6650-0

    Examples
    --------
    >>> round(free_drug_concentration(10.0, target_total=10.0, kd=1.0), 4)
    2.7016
    """
    ct = _validate.real_array(drug_total, "drug_total", minimum=0.0)
    rt = _validate.positive(target_total, "target_total", allow_zero=True)
    kd = _validate.positive(kd, "kd")
    return _validate.scalar_or_array(_binding(ct, rt, kd)[0])


def occupancy(conc: float | np.ndarray, kd: float, target_total: float | None = None) -> float | np.ndarray:
    """Fraction of target bound by drug (receptor occupancy), by simple binding or with target depletion.

    Parameters
    ----------
    conc : float or array_like
        Drug concentration (>= 0) in the unit of ``kd``: the free concentration for simple binding
        (``target_total=None``), the total (free + bound) concentration when ``target_total`` is given.
    kd : float
        Dissociation constant K_D (> 0).
    target_total : float, optional
        Total target concentration R_tot (>= 0), same unit. When omitted, binding does not deplete the drug.

    Returns
    -------
    float or ndarray
        Occupancy in [0, 1), same shape as ``conc``.

    Raises
    ------
    ValueError
        If a concentration is negative or ``kd`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    Simple binding: :math:`RO = C / (C + K_D)`.  With total target (Muller & Brennan 2009):

    .. math:: RO = \\frac{(C_{tot} + R_{tot} + K_D)
              - \\sqrt{(C_{tot} + R_{tot} + K_D)^2 - 4 C_{tot} R_{tot}}}{2 R_{tot}}

    which tends to simple binding as :math:`R_{tot} \\to 0`.

    References
    ----------
    Muller PY, Brennan FR. Safety assessment and dose selection for first-in-human clinical trials with
    immunomodulatory monoclonal antibodies. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> occupancy(9.0, kd=1.0)
    0.9
    >>> round(occupancy(9.0, kd=1.0, target_total=5.0), 4)   # 9 is now the total; binding depletes free drug
    0.8292
    """
    c = _validate.real_array(conc, "conc", minimum=0.0)
    kd = _validate.positive(kd, "kd")
    if target_total is None:
        return _validate.scalar_or_array(c / (c + kd))
    rt = _validate.positive(target_total, "target_total", allow_zero=True)
    if rt == 0.0:
        return _validate.scalar_or_array(c / (c + kd))
    return _validate.scalar_or_array(_binding_fractions(c, rt, kd)[1])


def concentration_for_occupancy(occupancy: float | np.ndarray, kd: float,
                                target_total: float | None = None) -> float | np.ndarray:
    """Drug concentration that gives a stated receptor occupancy: the inverse of :func:`occupancy`.

    Parameters
    ----------
    occupancy : float or array_like
        Target occupancy RO, in (0, 1).
    kd : float
        Dissociation constant K_D (> 0).
    target_total : float, optional
        Total target concentration R_tot (>= 0), same unit as ``kd``. When given, the result is the total
        (free + bound) drug concentration; otherwise it is the free concentration of simple binding.

    Returns
    -------
    float or ndarray
        Concentration in the unit of ``kd``.

    Raises
    ------
    ValueError
        If an occupancy is outside (0, 1), ``kd`` is not positive or ``target_total`` is negative.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    Simple binding: :math:`C = K_D \\, RO/(1 - RO)`, so 10% RO needs K_D/9 and 20% RO needs K_D/4.  With target
    depletion the drug bound to target is added (Muller & Brennan 2009):

    .. math:: C_{tot} = K_D \\frac{RO}{1 - RO} + RO \\cdot R_{tot}

    References
    ----------
    Muller PY, Brennan FR. Safety assessment and dose selection for first-in-human clinical trials with
    immunomodulatory monoclonal antibodies. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> concentration_for_occupancy(0.2, kd=1.0)
    0.25
    >>> concentration_for_occupancy(0.2, kd=1.0, target_total=0.5)
    0.35
    """
    ro = _fractions(occupancy, "occupancy")
    kd = _validate.positive(kd, "kd")
    free = kd * ro / (1.0 - ro)
    if target_total is None:
        return _validate.scalar_or_array(free)
    rt = _validate.positive(target_total, "target_total", allow_zero=True)
    return _validate.scalar_or_array(free + ro * rt)


def mg_to_nmol(dose_mg: float, molecular_weight_g_per_mol: float = 150_000.0) -> float:
    """Convert an amount in mg to nmol.

    Parameters
    ----------
    dose_mg : float
        Amount in mg (>= 0).
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight in g/mol (Da); 150 kDa is a typical IgG.

    Returns
    -------
    float
        Amount in nmol.

    Raises
    ------
    ValueError
        If ``dose_mg`` is negative or the molecular weight is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: n\\,[\\mathrm{nmol}] = \\frac{m\\,[\\mathrm{mg}] \\times 10^{6}}{MW\\,[\\mathrm{g/mol}]}

    References
    ----------
    Definition of the mole (SI).

    Examples
    --------
    >>> mg_to_nmol(150.0)
    1000.0
    """
    mg = _validate.positive(dose_mg, "dose_mg", allow_zero=True)
    mw = _validate.positive(molecular_weight_g_per_mol, "molecular_weight_g_per_mol")
    return mg * 1e6 / mw


@dataclass(frozen=True)
class TMDDParameters:
    """Parameters of a two-compartment TMDD model with binding in the central compartment.

    Units: volumes in L, clearances in L/day, first-order rates in 1/day, ``kon`` in 1/(nM day),
    concentrations in nM.

    Parameters
    ----------
    cl : float
        Linear (non-target) clearance of free drug, L/day.
    v1, v2 : float
        Central and peripheral volumes, L.
    q : float
        Inter-compartmental clearance, L/day (0 gives a one-compartment model).
    kint : float
        Internalisation (elimination) rate of the drug-target complex, 1/day.
    kdeg : float
        Degradation rate of free target, 1/day.
    kon : float
        Association rate constant, 1/(nM day).
    koff : float
        Dissociation rate constant, 1/day.
    r0 : float
        Baseline target concentration, nM (target synthesis ksyn = kdeg * r0).
    """

    cl: float
    v1: float
    q: float
    v2: float
    kint: float
    kdeg: float
    kon: float
    koff: float
    r0: float

    def __post_init__(self) -> None:
        for name in ("cl", "v1", "v2", "kdeg", "kon", "koff", "r0"):
            _validate.positive(getattr(self, name), name)
        for name in ("q", "kint"):
            _validate.positive(getattr(self, name), name, allow_zero=True)

    @property
    def kd(self) -> float:
        """Equilibrium dissociation constant K_D = koff/kon, nM."""
        return self.koff / self.kon

    @property
    def kss(self) -> float:
        """Quasi-steady-state constant K_SS = (koff + kint)/kon, nM."""
        return (self.koff + self.kint) / self.kon

    @property
    def ksyn(self) -> float:
        """Target synthesis rate ksyn = kdeg * r0, nM/day."""
        return self.kdeg * self.r0


TEACHING_TMDD = TMDDParameters(cl=0.2, v1=3.0, q=0.5, v2=2.0, kint=0.17, kdeg=17.3, kon=30.2, koff=169.0,
                               r0=0.00657)
"""Teaching parameter set of a monoclonal antibody with TMDD (K_D about 5.6 nM), the values tabulated from the
Dua et al. (2015) tutorial, doi:10.1002/psp4.41."""


@dataclass(frozen=True)
class TMDDProfile:
    """Concentrations over time from :func:`simulate_tmdd` (all in nM, central compartment).

    Parameters
    ----------
    time : ndarray
        Time, days.
    drug_total, drug_free : ndarray
        Total (free + bound) and free drug concentration.
    target_total, target_free, complex : ndarray
        Total and free target, and drug-target complex.
    approximation : {"full", "qss", "qe"}
        Model level that produced the profile.
    """

    time: np.ndarray
    drug_total: np.ndarray
    drug_free: np.ndarray
    target_total: np.ndarray
    target_free: np.ndarray
    complex: np.ndarray
    approximation: str

    def __post_init__(self) -> None:
        time = _validate.real_array(self.time, "time", minimum=0.0, ndim=1, nonempty=True)
        for name in ("drug_total", "drug_free", "target_total", "target_free", "complex"):
            arr = _validate.real_array(getattr(self, name), name, ndim=1, length=time.size)
            if np.any(arr < -1e-6 * max(1.0, float(np.abs(arr).max(initial=0.0)))):  # beyond the solver's error
                raise ValueError(f"{name} must be concentrations >= 0; got {_validate._shown(arr.tolist())}")
        _validate.one_of(self.approximation, "approximation", APPROXIMATIONS)

    @property
    def occupancy(self) -> np.ndarray:
        """Target occupancy, complex / total target, in [0, 1)."""
        return self.complex / self.target_total

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """A table with one row per time: total and free drug, total and free target, occupancy (%).

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: time (days), total and free drug, total and free target (nM) and occupancy (%).
        """
        lang = check_lang(lang)
        return pd.DataFrame({
            t("pk_tmdd_time", lang): self.time,
            t("pk_tmdd_drug_total", lang): self.drug_total,
            t("pk_tmdd_drug_free", lang): self.drug_free,
            t("pk_tmdd_target_total", lang): self.target_total,
            t("pk_tmdd_target_free", lang): self.target_free,
            t("pk_tmdd_occupancy", lang): 100.0 * self.occupancy,
        })


def _tmdd_rhs(p: TMDDParameters, approximation: str):
    """Right-hand side of the TMDD equations for ``solve_ivp``.

    States: full = (A1 free drug amount, A2 peripheral amount, R free target, RC complex);
    qss/qe = (A_tot total drug amount in central, A2, R_tot total target).
    """
    if approximation == "full":
        def rhs(_t: float, y: np.ndarray) -> list[float]:
            a1, a2, r, rc = y
            c = a1 / p.v1
            binding = p.kon * c * r - p.koff * rc
            return [-(p.cl + p.q) * c + p.q * a2 / p.v2 - binding * p.v1,
                    p.q * c - p.q * a2 / p.v2,
                    p.ksyn - p.kdeg * r - binding,
                    binding - p.kint * rc]
        return rhs

    k = p.kss if approximation == "qss" else p.kd

    def rhs_qss(_t: float, y: np.ndarray) -> list[float]:
        a_tot, a2, r_tot = y
        c_free, rc = _binding(np.maximum(a_tot / p.v1, 0.0), max(r_tot, 0.0), k)
        return [-(p.cl + p.q) * c_free + p.q * a2 / p.v2 - p.kint * rc * p.v1,
                p.q * c_free - p.q * a2 / p.v2,
                p.ksyn - p.kdeg * r_tot - (p.kint - p.kdeg) * rc]
    return rhs_qss


def simulate_tmdd(time_days: np.ndarray, dose_nmol: float, params: TMDDParameters = TEACHING_TMDD, *,
                  approximation: str = "qss", tau_days: float | None = None, n_doses: int = 1,
                  rtol: float = 1e-8, atol: float = 1e-12) -> TMDDProfile:
    """Simulate IV bolus doses of a drug with target-mediated disposition (two-compartment, central binding).

    Parameters
    ----------
    time_days : array_like
        Sorted output times, days (>= 0). The dose at time 0 is included in the value at time 0.
    dose_nmol : float
        Amount per IV bolus dose, nmol (see :func:`mg_to_nmol`).
    params : TMDDParameters, default :data:`TEACHING_TMDD`
        Model parameters (L, day, nM).
    approximation : {"qss", "qe", "full"}, default "qss"
        "full" is the Mager & Jusko (2001) binding model; "qss" the quasi-steady-state approximation
        (Gibiansky et al. 2008, constant K_SS); "qe" the quasi-equilibrium approximation (Mager &
        Krzyzanski 2005, constant K_D).
    tau_days : float, optional
        Dosing interval, days; required when ``n_doses > 1``.
    n_doses : int, default 1
        Number of doses, given at 0, tau, 2 tau, ...
    rtol, atol : float
        Tolerances of the ODE solver (LSODA).

    Returns
    -------
    TMDDProfile
        Drug and target concentrations (nM) at ``time_days``.

    Raises
    ------
    ValueError
        If times are negative or unsorted, the dose is negative, ``approximation`` is unknown or
        ``tau_days`` is missing for several doses.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Full model, with C = A1/V1:

    .. math::

        \\dot A_1 &= -(CL + Q) C + Q A_2/V_2 - (k_{on} C R - k_{off} RC) V_1 \\\\
        \\dot A_2 &= Q C - Q A_2 / V_2 \\\\
        \\dot R &= k_{syn} - k_{deg} R - k_{on} C R + k_{off} RC \\\\
        \\dot{RC} &= k_{on} C R - k_{off} RC - k_{int} RC

    QSS/QE: the states are total drug A_tot = V1 (C + RC), A2 and total target R_tot; free drug follows from the
    binding quadratic (:func:`free_drug_concentration`) with K = K_SS = (k_off + k_int)/k_on (QSS) or K_D (QE):

    .. math::

        \\dot A_{tot} &= -(CL + Q) C + Q A_2/V_2 - k_{int} RC \\, V_1 \\\\
        \\dot R_{tot} &= k_{syn} - k_{deg} R_{tot} - (k_{int} - k_{deg}) RC

    References
    ----------
    Mager DE, Jusko WJ. J Pharmacokinet Pharmacodyn. 2001;28(6):507-532. doi:10.1023/A:1014414520282
    Mager DE, Krzyzanski W. Pharm Res. 2005;22(10):1589-1596. doi:10.1007/s11095-005-6650-0
    Gibiansky L et al. J Pharmacokinet Pharmacodyn. 2008;35(5):573-591. doi:10.1007/s10928-008-9102-8
    Dua P, Hawkins E, van der Graaf PH. CPT Pharmacometrics Syst Pharmacol. 2015;4(6):324-337.
    doi:10.1002/psp4.41

    Examples
    --------
    >>> prof = simulate_tmdd([0.0, 7.0], dose_nmol=mg_to_nmol(70.0))   # 1 mg/kg for 70 kg, IgG 150 kDa
    >>> round(float(prof.drug_total[0]), 1)   # 466.7 nmol in 3 L
    155.6
    >>> round(float(prof.occupancy[1]), 2)   # target occupancy one week later
    0.92
    """
    times = _validate.real_array(time_days, "time_days", minimum=0.0, maximum=MAX_TMDD_DAYS,
                                 max_size=MAX_TMDD_TIMES)
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) < 0):
        raise ValueError(f"time_days must be a non-empty, sorted 1-D array of times; got {time_days!r}")
    dose = _validate.positive(dose_nmol, "dose_nmol", allow_zero=True)
    if not isinstance(params, TMDDParameters):
        raise TypeError(f"params must be a TMDDParameters; got {type(params).__name__}")
    if approximation not in APPROXIMATIONS:
        raise ValueError(f"approximation must be one of {APPROXIMATIONS}; got {approximation!r}")
    n_doses = _validate.positive_int(n_doses, "n_doses", maximum=MAX_TMDD_DOSES)
    if n_doses > 1 and tau_days is None:
        raise ValueError("tau_days (the dosing interval) is required when n_doses > 1")
    tau = (_validate.number(tau_days, "tau_days", minimum=MIN_TAU_DAYS, maximum=MAX_TMDD_DAYS)
           if tau_days is not None else np.inf)
    rtol = _validate.number(rtol, "rtol", minimum=1e-13, maximum=0.1)
    atol = _validate.positive(atol, "atol", maximum=1.0)
    dose_times = np.arange(n_doses) * tau if n_doses > 1 else np.zeros(1)

    rhs = _tmdd_rhs(params, approximation)
    p = params
    y = np.array([0.0, 0.0, p.r0, 0.0]) if approximation == "full" else np.array([0.0, 0.0, p.r0])
    states = np.empty((y.size, times.size))
    for i, start in enumerate(dose_times):
        y = y.copy()
        y[0] += dose
        last = i == dose_times.size - 1
        end = max(times[-1], start) if last else dose_times[i + 1]
        in_segment = (times >= start) & ((times <= end) if last else (times < end))
        grid = np.unique(np.concatenate([times[in_segment], [start, end]]))
        if end > start:
            sol = solve_ivp(rhs, (start, end), y, method="LSODA", t_eval=grid, rtol=rtol, atol=atol)
            if not sol.success:
                raise RuntimeError(f"the TMDD ODE solver failed: {sol.message}")
            path = sol.y
        else:
            path = y[:, None]
        states[:, in_segment] = path[:, np.searchsorted(grid, times[in_segment])]
        y = path[:, -1]

    if approximation == "full":
        a1, _, r_free, rc = states
        c_free = a1 / p.v1
        return TMDDProfile(times, c_free + rc, c_free, r_free + rc, r_free, rc, approximation)
    a_tot, _, r_tot = states
    c_tot = np.maximum(a_tot / p.v1, 0.0)
    r_tot = np.maximum(r_tot, 0.0)
    c_free, rc = _binding(c_tot, r_tot, p.kss if approximation == "qss" else p.kd)
    return TMDDProfile(times, c_tot, c_free, r_tot, r_tot - rc, rc, approximation)
