"""BOIN: the Bayesian optimal interval design (Liu & Yuan 2015), as the R package BOIN 2.7.2 implements it.

References
----------
Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc Ser C Appl Stat.
2015;64(3):507-523. doi:10.1111/rssc.12089
Yuan Y, Hess KR, Hilsenbeck SG, Gilbert MR. Bayesian optimal interval design: a simple and well-performing
design for phase I oncology trials. Clin Cancer Res. 2016;22(17):4291-4301. doi:10.1158/1078-0432.CCR-16-0592
Yan F, Zhang L, Zhou Y, Pan H, Liu S, Yuan Y. BOIN: an R package for designing single-agent and drug-combination
dose-finding trials using Bayesian optimal interval designs. J Stat Softw. 2020;94(13):1-32.
doi:10.18637/jss.v094.i13
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validate
from ..i18n import t
from .interval import IntervalDesign


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

    computed in the same floating-point order as ``get.boundary``, so that ``floor(lambda_e * n)`` agrees with R.

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


class BOIN(IntervalDesign):
    """The BOIN design for single-agent phase I trials (BOIN 2.7.2 ``get.boundary`` / ``get.oc`` /
    ``select.mtd``).

    Parameters
    ----------
    target : float
        Target DLT probability phi, in [0.05, 0.6].
    n_doses : int
        Number of dose levels K.
    cohort_size, n_cohorts, start_dose : int
        Patients per cohort, maximum number of cohorts, dose (1..K) of the first cohort.
    phi1, phi2 : float, optional
        Highest DLT rate deemed sub-therapeutic and lowest deemed overly toxic; defaults ``0.6 phi`` and
        ``1.4 phi``.  Each must differ from ``target`` by at least ``0.1 target`` (as in BOIN).
    cutoff_eli, extrasafe, offset, n_earlystop
        The common rules of :class:`~dosecourse.escalation.interval.IntervalDesign`.

    Raises
    ------
    ValueError, TypeError
        On a target outside [0.05, 0.6], ``phi1``/``phi2`` on the wrong side of or too close to the target, or
        other invalid arguments (each message names the argument).

    Notes
    -----
    With ``y`` DLTs among ``n`` patients at the current dose: escalate if :math:`y \\le \\lfloor \\lambda_e n
    \\rfloor`, i.e. :math:`\\hat p = y/n \\le \\lambda_e`; de-escalate if :math:`y \\ge \\lfloor \\lambda_d n
    \\rfloor + 1`, i.e. :math:`\\hat p > \\lambda_d` (``get.boundary`` writes ``ceiling(lambda_d * n)``, the same
    count unless :math:`\\lambda_d n` is exactly an integer, which the default boundaries never give; the
    course follows the strict inequality of its method notes); otherwise stay.  The de-escalation count is
    capped at the elimination count.  Safety, stopping and MTD selection are the common rules of
    :class:`~dosecourse.escalation.interval.IntervalDesign`; the MTD is chosen by :func:`select_mtd` with the
    Beta(0.05, 0.05) estimates of ``select.mtd``.

    References
    ----------
    Liu S, Yuan Y. J R Stat Soc Ser C Appl Stat. 2015;64(3):507-523. doi:10.1111/rssc.12089
    Yuan Y, Hess KR, Hilsenbeck SG, Gilbert MR. Clin Cancer Res. 2016;22(17):4291-4301.
    doi:10.1158/1078-0432.CCR-16-0592

    Examples
    --------
    >>> design = BOIN(0.3, n_doses=5)
    >>> design.next_dose("1NNN").reason()
    'escalate: 0/3 DLTs, 0.000 <= lambda_e = 0.236'
    >>> design.decision_table().loc[:, [3, 6, 9]]
                                3  6  9
    Number of patients treated  3  6  9
    Escalate if # of DLT <=     0  1  2
    De-escalate if # of DLT >=  2  3  4
    Eliminate if # of DLT >=    3  4  5
    """

    name = "BOIN"
    pseudo_count = 0.05
    protocol_reference = "protocol_ref_boin"

    def __init__(self, target: float, n_doses: int, *, cohort_size: int = 3, n_cohorts: int = 10,
                 start_dose: int = 1, phi1: float | None = None, phi2: float | None = None, cutoff_eli: float = 0.95,
                 extrasafe: bool = False, offset: float = 0.05, n_earlystop: int = 100) -> None:
        super().__init__(target, n_doses, cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose,
                         cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset, n_earlystop=n_earlystop)
        phi = self.target
        self.phi1 = 0.6 * phi if phi1 is None else _validate.probability(phi1, "phi1")
        self.phi2 = 1.4 * phi if phi2 is None else _validate.probability(phi2, "phi2")
        if phi - self.phi1 < 0.1 * phi:
            raise ValueError(f"phi1 must be below the target by at least 0.1 * target (BOIN's rule); got "
                             f"phi1={phi1!r} for target {phi}")
        if self.phi2 - phi < 0.1 * phi or self.phi2 >= 1:
            raise ValueError(f"phi2 must be above the target by at least 0.1 * target and below 1 (BOIN's rule); "
                             f"got phi2={phi2!r} for target {phi}")
        self.lambda_e, self.lambda_d = boin_boundaries(phi, self.phi1, self.phi2)

    def _rule(self, n: np.ndarray, y: np.ndarray) -> np.ndarray:
        escalate = y <= np.floor(self.lambda_e * n)
        deescalate = y >= np.floor(self.lambda_d * n) + 1
        return escalate.astype(np.int64) - deescalate

    def _explain(self, move: int, n: int, y: int) -> tuple[str, dict]:
        key = {1: "boin_escalate", 0: "boin_stay", -1: "boin_deescalate"}[move]
        return key, dict(n=n, y=y, rate=y / n, lambda_e=self.lambda_e, lambda_d=self.lambda_d)

    def _describe_rule(self, lang: str) -> str:
        return t("boin_describe_rule", lang, lambda_e=self.lambda_e, lambda_d=self.lambda_d, phi1=self.phi1,
                 phi2=self.phi2, target=self.target)

    def _protocol_derived(self, lang: str) -> list[tuple[str, str, str]]:
        return [(t(f"protocol_param_{name}", lang), f"{getattr(self, name):.4f}", name)
                for name in ("lambda_e", "lambda_d")]
