"""Pharmacology-based first doses: the MABEL from receptor occupancy, and doses from concentrations.

The minimal anticipated biological effect level (MABEL) is the dose expected to give the first, minimal
pharmacological effect in humans.  From receptor binding it is the dose whose concentration occupies a small
fraction (often 10-20%) of the target: :func:`mabel_concentration` gives the concentration (by simple binding,
or with the drug bound to an abundant target added), :func:`mabel_dose` the dose.  From in-vitro potency a MABEL
(EC10-EC20) or a pharmacologically active dose (PAD, e.g. the EC50) is a concentration, turned into a dose the
same way (:func:`dose_from_concentration`; the concentration itself comes from
:func:`dosecourse.pd.concentration_for_effect`).  In the other direction :func:`concentration_from_dose` and
:func:`occupancy_from_dose` give the concentration and the occupancy right after an IV dose, and
:func:`implied_kd` the dissociation constant that a reported occupancy at a known dose implies.

A dose is turned into a concentration through the volume it dilutes into right after an IV bolus: for an
antibody the plasma volume, 0.04 L/kg (:data:`PLASMA_VOLUME_L_PER_KG`), with an IgG's molecular weight of
150 000 g/mol (:data:`IGG_MOLECULAR_WEIGHT`); both are arguments, so a PK model's central volume or another
molecule can be used instead.  Concentrations are in nM, doses in mg/kg.

The toxicology-based starting doses (NOAEL -> HED -> MRSD, ICH S9) and the comparison that takes the lowest
estimate are in :mod:`dosecourse.fih`; the binding equations in :mod:`dosecourse.pd`.

References
----------
Muller PY, Brennan FR. Safety assessment and dose selection for first-in-human clinical trials with
immunomodulatory monoclonal antibodies. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
EMA (CHMP). Guideline on strategies to identify and mitigate risks for first-in-human and early clinical trials
with investigational medicinal products. EMEA/CHMP/SWP/28367/07 Rev. 1, 20 July 2017.
Waibler Z et al. Toward experimental assessment of receptor occupancy: TGN1412 revisited. J Allergy Clin Immunol.
2008;122(5):890-892. doi:10.1016/j.jaci.2008.07.049 (PMID 18805577)
"""

from __future__ import annotations

import numpy as np

from . import _validate
from .pd import concentration_for_occupancy
from .pd import occupancy as _occupancy  # the argument of two functions here is called occupancy

PLASMA_VOLUME_L_PER_KG = 0.04
"""Human plasma volume used to turn a MABEL concentration of an antibody into a dose, L/kg."""

IGG_MOLECULAR_WEIGHT = 150_000.0
"""Molecular weight of a typical IgG antibody, g/mol."""


def _size(molecular_weight_g_per_mol: float, volume_l_per_kg: float) -> tuple[float, float]:
    """The molecular weight and the dilution volume, checked (both > 0)."""
    return (_validate.positive(molecular_weight_g_per_mol, "molecular_weight_g_per_mol"),
            _validate.positive(volume_l_per_kg, "volume_l_per_kg"))


def _target(target_total: float | None, name: str) -> float | None:
    """A total target concentration: None (simple binding) or a number >= 0."""
    return None if target_total is None else _validate.positive(target_total, name, allow_zero=True)


def mabel_concentration(kd: float, occupancy: float, target_total: float | None = None) -> float:
    """Concentration giving a target receptor occupancy: the MABEL concentration (same unit as ``kd``).

    Parameters
    ----------
    kd : float
        Dissociation constant K_D (> 0), e.g. nM.
    occupancy : float
        Receptor occupancy aimed at, in (0, 1); MABEL usually takes 0.1-0.2.
    target_total : float, optional
        Total target concentration (>= 0, same unit).  When given, the result is the total drug concentration,
        including drug bound to the target (target depletion).

    Returns
    -------
    float
        Concentration in the unit of ``kd``.

    Raises
    ------
    ValueError
        If ``occupancy`` is outside (0, 1), ``kd`` is not positive or ``target_total`` is negative.
    TypeError
        If an argument is not a number.

    Notes
    -----
    Simple binding, :math:`RO = C/(C + K_D)`, inverted; with total target :math:`R_{tot}` the bound drug
    :math:`RO \\cdot R_{tot}` is added (Muller & Brennan 2009):

    .. math:: C = K_D \\, \\frac{RO}{1 - RO}, \\qquad C_{tot} = K_D \\, \\frac{RO}{1 - RO} + RO \\cdot R_{tot}

    so 10% RO is K_D/9 and 20% RO is K_D/4.  The arithmetic is :func:`dosecourse.pd.concentration_for_occupancy`.

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
    EMA. EMEA/CHMP/SWP/28367/07 Rev. 1, 2017.  No reference software: checked against the closed form and
    against :func:`dosecourse.pd.occupancy` (the forward model) in ``tests/test_mabel.py``.

    Examples
    --------
    >>> mabel_concentration(kd=1.8, occupancy=0.1), mabel_concentration(kd=1.8, occupancy=0.2)
    (0.2, 0.45)
    >>> round(mabel_concentration(0.41, 0.1, target_total=0.65), 4)   # 0.41/9 + 0.1 x 0.65
    0.1106
    """
    kd = _validate.positive(kd, "kd")
    ro = _validate.probability(occupancy, "occupancy")
    return float(concentration_for_occupancy(ro, kd, _target(target_total, "target_total")))


def dose_from_concentration(concentration_nm: float | np.ndarray, *,
                            molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
                            volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float | np.ndarray:
    """Dose (mg/kg) that gives a plasma concentration right after an IV dose.

    Parameters
    ----------
    concentration_nm : float or array_like
        Concentration aimed at, nM (>= 0), e.g. a MABEL concentration or an in-vitro EC10-EC20.
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight, g/mol (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Volume the dose dilutes into, L/kg: the plasma volume for an antibody, or the central volume of a PK
        model.

    Returns
    -------
    float or ndarray
        Dose in mg/kg (an array for an array).

    Raises
    ------
    ValueError
        If a concentration is negative or not finite, or another argument is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: D\\,[\\mathrm{mg/kg}] = C\\,[\\mathrm{nM}] \\times 10^{-6} \\times MW\\,[\\mathrm{g/mol}]
              \\times V\\,[\\mathrm{L/kg}]

    (nM x L/kg = nmol/kg; x g/mol = ng/kg; x 1e-6 = mg/kg.)

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(dose_from_concentration(10.0) * 1000, 1)   # 10 nM of an IgG: ug/kg
    60.0
    """
    c = _validate.real_array(concentration_nm, "concentration_nm", minimum=0.0, max_size=_validate.MAX_GRID)
    mw, vol = _size(molecular_weight_g_per_mol, volume_l_per_kg)
    return _validate.scalar_or_array(c * 1e-6 * mw * vol)


def concentration_from_dose(dose_mg_per_kg: float | np.ndarray, *,
                            molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
                            volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float | np.ndarray:
    """Plasma concentration (nM) right after an IV dose in mg/kg: the inverse of :func:`dose_from_concentration`.

    Parameters
    ----------
    dose_mg_per_kg : float or array_like
        Dose, mg/kg (>= 0).
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight, g/mol (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Volume the dose dilutes into, L/kg (plasma volume for an antibody).

    Returns
    -------
    float or ndarray
        Concentration, nM (an array for an array).

    Raises
    ------
    ValueError
        If a dose is negative or not finite, or another argument is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: C\\,[\\mathrm{nM}] = \\frac{D\\,[\\mathrm{mg/kg}] \\times 10^{6}}{MW\\,[\\mathrm{g/mol}]
              \\times V\\,[\\mathrm{L/kg}]}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(concentration_from_dose(0.1), 2)   # 0.1 mg/kg IgG in 0.04 L/kg
    16.67
    """
    d = _validate.real_array(dose_mg_per_kg, "dose_mg_per_kg", minimum=0.0, max_size=_validate.MAX_GRID)
    mw, vol = _size(molecular_weight_g_per_mol, volume_l_per_kg)
    return _validate.scalar_or_array(d * 1e6 / (mw * vol))


def occupancy_from_dose(dose_mg_per_kg: float | np.ndarray, kd_nm: float, *, target_total_nm: float | None = None,
                        molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
                        volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float | np.ndarray:
    """Receptor occupancy predicted right after an IV dose, by simple binding or with target depletion.

    Parameters
    ----------
    dose_mg_per_kg : float or array_like
        IV dose(s), mg/kg (>= 0).
    kd_nm : float
        Dissociation constant K_D, nM (> 0).
    target_total_nm : float, optional
        Total target concentration, nM (>= 0).  When given, the dose's concentration is the total (free + bound)
        drug and binding depletes the free drug; 0 or None is simple binding.
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Plasma volume (or a PK model's central volume), L/kg.

    Returns
    -------
    float or ndarray
        Occupancy in [0, 1) (an array for an array).

    Raises
    ------
    ValueError
        If a dose is negative, ``kd_nm`` is not positive or ``target_total_nm`` is negative.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With :math:`C = D \\times 10^6 / (MW\\,V)` (:func:`concentration_from_dose`), simple binding gives
    :math:`RO = C/(C + K_D)`; with total target :math:`R_{tot}` the occupancy is the smaller root of the mass
    balance (:func:`dosecourse.pd.occupancy`):

    .. math:: RO = \\frac{(C + R_{tot} + K_D) - \\sqrt{(C + R_{tot} + K_D)^2 - 4 C R_{tot}}}{2 R_{tot}}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(occupancy_from_dose(0.1, kd_nm=2.0), 4)   # TGN1412's first dose: 16.67 / (16.67 + 2) = 25/28
    0.8929
    >>> round(occupancy_from_dose(0.1, kd_nm=2.0, target_total_nm=10.0), 3)
    0.811
    """
    conc = concentration_from_dose(dose_mg_per_kg, molecular_weight_g_per_mol=molecular_weight_g_per_mol,
                                   volume_l_per_kg=volume_l_per_kg)
    kd = _validate.positive(kd_nm, "kd_nm")
    return _occupancy(conc, kd, _target(target_total_nm, "target_total_nm"))


def mabel_dose(kd_nm: float, occupancy: float, *, target_total_nm: float | None = None,
               molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
               volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float:
    """MABEL dose (mg/kg): the dose whose initial plasma concentration gives a target receptor occupancy.

    Parameters
    ----------
    kd_nm : float
        Dissociation constant K_D, nM (> 0).
    occupancy : float
        Receptor occupancy aimed at, in (0, 1) (usually 0.1-0.2).
    target_total_nm : float, optional
        Total target concentration, nM (>= 0), to account for drug bound to target.
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Plasma volume (or a PK model's central volume), L/kg.

    Returns
    -------
    float
        Dose in mg/kg.

    Raises
    ------
    ValueError
        If ``occupancy`` is outside (0, 1) or another argument is out of range.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    :func:`mabel_concentration` followed by :func:`dose_from_concentration`:

    .. math:: D = \\left(K_D \\frac{RO}{1 - RO} + RO \\cdot R_{tot}\\right) \\times 10^{-6} \\times MW
              \\times V_{plasma}

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273

    Examples
    --------
    >>> round(mabel_dose(1.8, 0.1) * 1000, 2)   # ug/kg
    1.2
    """
    kd = _validate.positive(kd_nm, "kd_nm")
    conc = mabel_concentration(kd, occupancy, _target(target_total_nm, "target_total_nm"))
    return float(dose_from_concentration(conc, molecular_weight_g_per_mol=molecular_weight_g_per_mol,
                                         volume_l_per_kg=volume_l_per_kg))


def implied_kd(dose_mg_per_kg: float, occupancy_fraction: float, *,
               molecular_weight_g_per_mol: float = IGG_MOLECULAR_WEIGHT,
               volume_l_per_kg: float = PLASMA_VOLUME_L_PER_KG) -> float:
    """K_D (nM) that, by simple binding, gives ``occupancy_fraction`` right after an IV dose.

    Parameters
    ----------
    dose_mg_per_kg : float
        IV dose, mg/kg (> 0).
    occupancy_fraction : float
        Receptor occupancy reported or measured at that dose, in (0, 1).
    molecular_weight_g_per_mol : float, default 150 000
        Molecular weight (an IgG by default).
    volume_l_per_kg : float, default 0.04
        Plasma volume, L/kg.

    Returns
    -------
    float
        K_D in nM.

    Raises
    ------
    ValueError
        If the dose is not positive or the occupancy is outside (0, 1).
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With :math:`C = D \\times 10^6 / (MW \\, V)` (:func:`concentration_from_dose`) and
    :math:`RO = C/(C + K_D)`:

    .. math:: K_D = C \\, \\frac{1 - RO}{RO}

    The inverse of :func:`occupancy_from_dose` in ``kd_nm`` (simple binding).

    References
    ----------
    Muller PY, Brennan FR. Clin Pharmacol Ther. 2009;85(3):247-258. doi:10.1038/clpt.2008.273
    Waibler Z et al. J Allergy Clin Immunol. 2008;122(5):890-892. doi:10.1016/j.jaci.2008.07.049 (the
    86.2-90.9% CD28 occupancy estimated at TGN1412's 0.1 mg/kg, to which the course applies it).

    Examples
    --------
    >>> round(implied_kd(0.1, 0.9), 3)   # 16.67 nM x 0.1 / 0.9
    1.852
    """
    dose = _validate.positive(dose_mg_per_kg, "dose_mg_per_kg")
    ro = _validate.probability(occupancy_fraction, "occupancy_fraction")
    conc = concentration_from_dose(dose, molecular_weight_g_per_mol=molecular_weight_g_per_mol,
                                   volume_l_per_kg=volume_l_per_kg)
    return conc * (1.0 - ro) / ro
