"""A conceptual model of the maximum-tolerated-dose (MTD) paradigm and what it costs.

Efficacy follows a sigmoid Emax curve that plateaus; the probability of a dose-limiting toxicity (DLT) follows a
logistic curve in log dose that keeps rising.  The MTD is the dose at which P(DLT) equals a target rate; the
"efficacious dose" is the lowest dose reaching a chosen fraction (default 90%) of the efficacy plateau.  When the
MTD lies above the efficacious dose, the extra dose buys little efficacy and costs DLT probability: the picture
behind Project Optimus.

The model is deliberately simple (dose instead of exposure, one efficacy and one toxicity endpoint, no
variability between patients).  It teaches the shape of the argument; later chapters fit real dose- and
exposure-response data.

Model
-----
.. math::

    E(d) = E_{\\max} \\frac{d^{h}}{\\mathrm{ED}_{50}^{h} + d^{h}}, \\qquad
    \\operatorname{logit} P_{\\mathrm{DLT}}(d) = \\beta \\,(\\log d - \\log \\mathrm{TD}_{50})

so that

.. math::

    \\mathrm{MTD} = \\mathrm{TD}_{50} \\left(\\frac{\\theta}{1-\\theta}\\right)^{1/\\beta}, \\qquad
    d_{f} = \\mathrm{ED}_{50} \\left(\\frac{f}{1-f}\\right)^{1/h}

with target DLT rate :math:`\\theta` and plateau fraction :math:`f`.

References
----------
Holford NHG, Sheiner LB. Understanding the dose-effect relationship: clinical application of
pharmacokinetic-pharmacodynamic models. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002
(the sigmoid Emax model).

Le Tourneau C, Lee JJ, Siu LL. Dose escalation methods in phase I cancer clinical trials. J Natl Cancer Inst.
2009;101(10):708-720. doi:10.1093/jnci/djp079. PMID: 19436029 (the MTD as the dose with a target probability
of DLT; rule- and model-based escalation).

Neuenschwander B, Branson M, Gsponer T. Critical aspects of the Bayesian approach to phase I cancer trials.
Stat Med. 2008;27(13):2420-2439. doi:10.1002/sim.3230 (the two-parameter logistic model in log dose used for
P(DLT)).

Examples
--------
>>> from dosecourse import mtd_paradigm as mp
>>> res = mp.compare()
>>> round(res.mtd, 2), round(res.efficacious_dose, 2)
(83.2, 43.27)
>>> round(res.efficacy_gain, 3), round(res.dlt_cost, 3)
(0.03, 0.205)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from . import _validate
from .i18n import check_lang, t

DEFAULTS: dict[str, float] = {
    "ed50": 10.0,
    "hill": 1.5,
    "emax": 0.5,
    "td50": 120.0,
    "tox_slope": 3.0,
    "target": 0.25,
    "fraction": 0.9,
}
"""Teaching defaults: a drug whose efficacy (maximum response probability 50%) is 90% saturated near 43 mg while
its MTD at a 25% target DLT rate is about 83 mg.  Doses are in hypothetical mg."""


# --------------------------------------------------------------------------------------------- validation
def _params(**params: float) -> dict[str, float]:
    """Merge ``params`` into :data:`DEFAULTS` and validate; unknown names raise a TypeError naming them."""
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown}; expected some of {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **params}
    for name in ("ed50", "hill", "td50", "tox_slope"):
        p[name] = _validate.positive(p[name], name)
    p["emax"] = _validate.positive(p["emax"], "emax", maximum=1.0)
    p["target"] = _validate.probability(p["target"], "target")
    p["fraction"] = _validate.probability(p["fraction"], "fraction")
    return p



# ----------------------------------------------------------------------------------------------- model
def efficacy(dose, ed50: float = DEFAULTS["ed50"], hill: float = DEFAULTS["hill"],
             emax: float = DEFAULTS["emax"]):
    """Sigmoid Emax model: probability of response at ``dose``.

    Parameters
    ----------
    dose : float or array_like
        Dose(s), >= 0.
    ed50 : float
        Dose giving half the maximum effect, > 0.
    hill : float
        Hill coefficient (steepness), > 0.
    emax : float
        Maximum response probability (the plateau), in (0, 1].

    Returns
    -------
    float or ndarray
        :math:`E(d) = E_{\\max} d^h / (\\mathrm{ED}_{50}^h + d^h)`, computed as
        :math:`E_{\\max}\\,\\operatorname{expit}(h(\\log d - \\log \\mathrm{ED}_{50}))` for numerical stability.

    Raises
    ------
    ValueError, TypeError
        If an argument is out of range; the message names the argument.

    References
    ----------
    Holford & Sheiner, Clin Pharmacokinet 1981;6:429-453, doi:10.2165/00003088-198106060-00002.

    Examples
    --------
    >>> efficacy(10.0, ed50=10.0, hill=2.0, emax=0.6)
    0.3
    """
    d = _validate.real_array(dose, "dose", minimum=0.0, max_size=_validate.MAX_GRID)
    ed50, hill = _validate.positive(ed50, "ed50"), _validate.positive(hill, "hill")
    emax = _validate.positive(emax, "emax", maximum=1.0)
    with np.errstate(divide="ignore"):
        out = emax * expit(hill * (np.log(d) - math.log(ed50)))
    return _validate.scalar_or_array(out)


def dlt_probability(dose, td50: float = DEFAULTS["td50"], tox_slope: float = DEFAULTS["tox_slope"]):
    """Probability of a dose-limiting toxicity: logistic in log dose.

    Parameters
    ----------
    dose : float or array_like
        Dose(s), >= 0.
    td50 : float
        Dose with a 50% DLT probability, > 0.
    tox_slope : float
        Slope :math:`\\beta` of the logit of P(DLT) per unit log dose, > 0.

    Returns
    -------
    float or ndarray
        :math:`P_{\\mathrm{DLT}}(d) = \\operatorname{expit}(\\beta(\\log d - \\log \\mathrm{TD}_{50}))`, which is 0
        at dose 0 and 0.5 at TD50.

    References
    ----------
    Neuenschwander et al., Stat Med 2008;27:2420-2439, doi:10.1002/sim.3230 (logistic model in log dose).

    Examples
    --------
    >>> dlt_probability(120.0, td50=120.0, tox_slope=3.0)
    0.5
    """
    d = _validate.real_array(dose, "dose", minimum=0.0, max_size=_validate.MAX_GRID)
    td50, tox_slope = _validate.positive(td50, "td50"), _validate.positive(tox_slope, "tox_slope")
    with np.errstate(divide="ignore"):
        out = expit(tox_slope * (np.log(d) - math.log(td50)))
    return _validate.scalar_or_array(out)


def mtd(td50: float = DEFAULTS["td50"], tox_slope: float = DEFAULTS["tox_slope"],
        target: float = DEFAULTS["target"]) -> float:
    """The maximum tolerated dose: the dose at which P(DLT) equals ``target``.

    Parameters
    ----------
    td50, tox_slope : float
        Parameters of :func:`dlt_probability`.
    target : float
        Target DLT rate :math:`\\theta` in (0, 1), often 0.20-0.33 in phase I oncology.

    Returns
    -------
    float
        :math:`\\mathrm{TD}_{50} (\\theta/(1-\\theta))^{1/\\beta}`, the closed-form inverse of
        :func:`dlt_probability`.

    References
    ----------
    Le Tourneau, Lee & Siu, J Natl Cancer Inst 2009;101:708-720, doi:10.1093/jnci/djp079.

    Examples
    --------
    >>> round(mtd(td50=120.0, tox_slope=3.0, target=0.25), 4)
    83.2034
    """
    td50, tox_slope = _validate.positive(td50, "td50"), _validate.positive(tox_slope, "tox_slope")
    target = _validate.probability(target, "target")
    return td50 * (target / (1.0 - target)) ** (1.0 / tox_slope)


def efficacious_dose(ed50: float = DEFAULTS["ed50"], hill: float = DEFAULTS["hill"],
                     fraction: float = DEFAULTS["fraction"]) -> float:
    """The lowest dose reaching ``fraction`` of the efficacy plateau (e.g. the ED90 for 0.9).

    Parameters
    ----------
    ed50, hill : float
        Parameters of :func:`efficacy`: dose giving half the maximum effect and Hill coefficient, both > 0
        (defaults from :data:`DEFAULTS`: 10 mg and 1.5).
    fraction : float
        Fraction :math:`f` of the plateau :math:`E_{\\max}` to reach, in (0, 1) (default 0.9).

    Returns
    -------
    float
        :math:`\\mathrm{ED}_{50} (f/(1-f))^{1/h}`, the closed-form inverse of :func:`efficacy` divided by
        :math:`E_{\\max}`.

    Examples
    --------
    >>> round(efficacious_dose(ed50=10.0, hill=1.5, fraction=0.9), 4)
    43.2675
    """
    ed50, hill = _validate.positive(ed50, "ed50"), _validate.positive(hill, "hill")
    fraction = _validate.probability(fraction, "fraction")
    return ed50 * (fraction / (1.0 - fraction)) ** (1.0 / hill)


@dataclass(frozen=True)
class ParadigmComparison:
    """The MTD against the lowest dose reaching a fraction of the efficacy plateau.

    Parameters
    ----------
    params : dict
        The model parameters used (see :data:`DEFAULTS`).
    mtd : float
        Dose at which P(DLT) equals the target.
    efficacious_dose : float
        Lowest dose reaching ``params["fraction"]`` of the efficacy plateau.
    efficacy_at_mtd, efficacy_at_efficacious : float
        Response probability at each dose.
    dlt_at_mtd, dlt_at_efficacious : float
        DLT probability at each dose (the first equals the target).
    """

    params: dict
    mtd: float
    efficacious_dose: float
    efficacy_at_mtd: float
    efficacy_at_efficacious: float
    dlt_at_mtd: float
    dlt_at_efficacious: float

    def __post_init__(self) -> None:
        try:
            params = _params(**_validate.mapping(self.params, "params"))
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"params: {exc}") from None
        object.__setattr__(self, "params", params)
        for name in ("mtd", "efficacious_dose"):
            _validate.positive(getattr(self, name), name)
        for name in ("efficacy_at_mtd", "efficacy_at_efficacious", "dlt_at_mtd", "dlt_at_efficacious"):
            _validate.probability(getattr(self, name), name, open_interval=False)

    @property
    def efficacy_gain(self) -> float:
        """Response probability bought by going from the efficacious dose to the MTD (negative if MTD is lower)."""
        return self.efficacy_at_mtd - self.efficacy_at_efficacious

    @property
    def dlt_cost(self) -> float:
        """DLT probability paid for going from the efficacious dose to the MTD (negative if MTD is lower)."""
        return self.dlt_at_mtd - self.dlt_at_efficacious

    @property
    def dose_ratio(self) -> float:
        """MTD divided by the efficacious dose."""
        return self.mtd / self.efficacious_dose

    @property
    def plateau_fraction_at_mtd(self) -> float:
        """Efficacy at the MTD as a fraction of the plateau ``emax``."""
        return self.efficacy_at_mtd / self.params["emax"]

    def table(self, lang: str = "en") -> pd.DataFrame:
        """The two doses side by side, in ``lang``: dose (mg), response and DLT probability (%), and the difference.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the row and column labels (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Rows: the efficacious dose, the MTD and their difference (MTD minus efficacious dose); columns: dose
            (mg), response probability (%) and DLT probability (%), rounded to 0.1.

        Examples
        --------
        >>> compare().table("en").round(1).iloc[:, 0].tolist()
        [43.3, 83.2, 39.9]
        """
        lang = check_lang(lang)
        rows = [
            (self.efficacious_dose, self.efficacy_at_efficacious, self.dlt_at_efficacious),
            (self.mtd, self.efficacy_at_mtd, self.dlt_at_mtd),
        ]
        rows.append(tuple(b - a for a, b in zip(*rows)))
        index = [t("mtdp_row_eff_dose", lang, pct=100 * self.params["fraction"]),
                 t("mtdp_row_mtd", lang, target=100 * self.params["target"]),
                 t("mtdp_row_diff", lang, pct=100 * self.params["fraction"])]
        columns = [t("mtdp_col_dose", lang), t("mtdp_col_response", lang), t("mtdp_col_dlt", lang)]
        frame = pd.DataFrame([(d, 100 * e, 100 * p) for d, e, p in rows], index=index, columns=columns)
        return frame.round(1)

    def summary(self, lang: str = "en") -> str:
        """One sentence, in ``lang``, saying what the dose above the efficacious dose buys and costs.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the sentence (default ``"en"``).

        Returns
        -------
        str
            The MTD, the efficacious dose and their ratio, with the response gained and the DLT risk paid; a
            different sentence when the MTD lies below the efficacious dose.
        """
        lang = check_lang(lang)
        fields = {
            "mtd": self.mtd,
            "deff": self.efficacious_dose,
            "pct": 100 * self.params["fraction"],
            "ratio": self.dose_ratio,
            "gain": 100 * self.efficacy_gain,
            "cost": 100 * self.dlt_cost,
            "target": 100 * self.params["target"],
            "pct_at_mtd": 100 * self.plateau_fraction_at_mtd,
        }
        key = "mtdp_summary_above" if self.mtd >= self.efficacious_dose else "mtdp_summary_below"
        return t(key, lang, **fields)


def compare(**params: float) -> ParadigmComparison:
    """Compare the MTD with the lowest dose reaching a fraction of the efficacy plateau.

    Parameters
    ----------
    **params
        Any of ``ed50``, ``hill``, ``emax``, ``td50``, ``tox_slope``, ``target``, ``fraction``; missing ones
        take the values in :data:`DEFAULTS`.

    Returns
    -------
    ParadigmComparison

    Raises
    ------
    TypeError
        For an unknown parameter name (the message lists the accepted names).
    ValueError
        For a value out of range (the message names the parameter).

    Examples
    --------
    >>> res = compare(target=0.25)
    >>> round(res.dlt_at_efficacious, 4)   # 3/67 with the defaults
    0.0448
    """
    p = _params(**params)
    d_mtd = mtd(p["td50"], p["tox_slope"], p["target"])
    d_eff = efficacious_dose(p["ed50"], p["hill"], p["fraction"])
    return ParadigmComparison(
        params=p,
        mtd=d_mtd,
        efficacious_dose=d_eff,
        efficacy_at_mtd=efficacy(d_mtd, p["ed50"], p["hill"], p["emax"]),
        efficacy_at_efficacious=efficacy(d_eff, p["ed50"], p["hill"], p["emax"]),
        dlt_at_mtd=dlt_probability(d_mtd, p["td50"], p["tox_slope"]),
        dlt_at_efficacious=dlt_probability(d_eff, p["td50"], p["tox_slope"]),
    )
