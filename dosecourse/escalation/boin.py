"""BOIN: the Bayesian optimal interval design (Liu & Yuan 2015).

References
----------
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yuan Y, Hess KR, Hilsenbeck SG, Gilbert MR. Bayesian optimal interval design: a simple and well-performing
design for phase I oncology trials. Clin Cancer Res. 2016;22(17):4291-4301. doi:10.1158/1078-0432.CCR-16-0592
"""

from __future__ import annotations

import math

from .. import _validate


def boin_boundaries(target: float, phi1: float | None = None, phi2: float | None = None) -> tuple[float, float]:
    """Escalation and de-escalation boundaries ``(lambda_e, lambda_d)`` of BOIN.

    Parameters
    ----------
    target : float
        Target DLT probability phi, in (0, 1).
    phi1 : float, optional
        Highest DLT probability deemed sub-therapeutic (escalate); default ``0.6 * target``.
    phi2 : float, optional
        Lowest DLT probability deemed overly toxic (de-escalate); default ``1.4 * target``.

    Returns
    -------
    (lambda_e, lambda_d) : tuple of float

    Notes
    -----
    .. math::

        \\lambda_e = \\frac{\\log\\{(1-\\phi_1)/(1-\\phi)\\}}{\\log\\{\\phi(1-\\phi_1)/(\\phi_1(1-\\phi))\\}},\\qquad
        \\lambda_d = \\frac{\\log\\{(1-\\phi)/(1-\\phi_2)\\}}{\\log\\{\\phi_2(1-\\phi)/(\\phi(1-\\phi_2))\\}}

    Raises
    ------
    ValueError
        Unless ``0 < phi1 < target < phi2 < 1``.

    Examples
    --------
    >>> [round(b, 7) for b in boin_boundaries(0.3)]
    [0.2364907, 0.3585195]
    """
    phi = _validate.probability(target, "target")
    phi1 = 0.6 * phi if phi1 is None else _validate.probability(phi1, "phi1")
    phi2 = 1.4 * phi if phi2 is None else _validate.probability(phi2, "phi2")
    if not phi1 < phi < phi2 < 1:
        raise ValueError(f"BOIN needs 0 < phi1 < target < phi2 < 1; got phi1={phi1}, target={phi}, phi2={phi2}")
    lambda_e = math.log((1 - phi1) / (1 - phi)) / math.log(phi * (1 - phi1) / (phi1 * (1 - phi)))
    lambda_d = math.log((1 - phi) / (1 - phi2)) / math.log(phi2 * (1 - phi) / (phi * (1 - phi2)))
    return lambda_e, lambda_d
