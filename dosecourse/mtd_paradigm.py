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

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.special import expit

from . import _validate
from .i18n import check_lang, t
from .plotting import OKABE_ITO, new_figure
from .widgets import live_output

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
def _positive(value: float, name: str) -> float:
    """Return ``value`` as a finite float > 0, or raise an error naming ``name``."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a positive number; got {value!r}") from None
    if not math.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a positive, finite number; got {value!r}")
    return x


def _doses(dose, name: str = "dose") -> np.ndarray:
    """Return ``dose`` as a float array after checking every value is finite and >= 0."""
    try:
        arr = np.asarray(dose, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers >= 0; got {dose!r}") from None
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0; got {dose!r}")
    return arr


def _emax_value(value: float) -> float:
    """Maximum response probability, in (0, 1]."""
    x = _positive(value, "emax")
    if x > 1:
        raise ValueError(f"emax is a maximum response probability and must lie in (0, 1]; got {value!r}")
    return x


def _params(**params: float) -> dict[str, float]:
    """Merge ``params`` into :data:`DEFAULTS` and validate; unknown names raise a TypeError naming them."""
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown}; expected some of {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **params}
    for name in ("ed50", "hill", "td50", "tox_slope"):
        p[name] = _positive(p[name], name)
    p["emax"] = _emax_value(p["emax"])
    p["target"] = _validate.probability(p["target"], "target")
    p["fraction"] = _validate.probability(p["fraction"], "fraction")
    return p


def _scalar_or_array(arr: np.ndarray):
    return float(arr) if arr.ndim == 0 else arr


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
    d = _doses(dose)
    ed50, hill, emax = _positive(ed50, "ed50"), _positive(hill, "hill"), _emax_value(emax)
    with np.errstate(divide="ignore"):
        out = emax * expit(hill * (np.log(d) - math.log(ed50)))
    return _scalar_or_array(out)


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
    d = _doses(dose)
    td50, tox_slope = _positive(td50, "td50"), _positive(tox_slope, "tox_slope")
    with np.errstate(divide="ignore"):
        out = expit(tox_slope * (np.log(d) - math.log(td50)))
    return _scalar_or_array(out)


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
    td50, tox_slope = _positive(td50, "td50"), _positive(tox_slope, "tox_slope")
    target = _validate.probability(target, "target")
    return td50 * (target / (1.0 - target)) ** (1.0 / tox_slope)


def efficacious_dose(ed50: float = DEFAULTS["ed50"], hill: float = DEFAULTS["hill"],
                     fraction: float = DEFAULTS["fraction"]) -> float:
    """The lowest dose reaching ``fraction`` of the efficacy plateau (e.g. the ED90 for 0.9).

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
    ed50, hill = _positive(ed50, "ed50"), _positive(hill, "hill")
    fraction = _validate.probability(fraction, "fraction")
    return ed50 * (fraction / (1.0 - fraction)) ** (1.0 / hill)


@dataclass(frozen=True)
class ParadigmComparison:
    """The MTD against the lowest dose reaching a fraction of the efficacy plateau.

    Attributes
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
        """One sentence, in ``lang``, saying what the dose above the efficacious dose buys and costs."""
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


# ---------------------------------------------------------------------------------------------- figure
def figure(lang: str = "en", **params: float) -> Figure:
    """Efficacy and DLT probability against dose, with the MTD and the efficacious dose marked.

    The band between the two doses is shaded; a note in the plot gives what the extra dose adds in response
    probability and in DLT probability (percentage points).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.
    **params
        Model parameters, as for :func:`compare`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = check_lang(lang)
    res = compare(**params)
    p = res.params
    x_max = 1.6 * max(res.mtd, res.efficacious_dose)
    dose = np.linspace(0.0, x_max, 400)
    eff = efficacy(dose, p["ed50"], p["hill"], p["emax"])
    tox = dlt_probability(dose, p["td50"], p["tox_slope"])
    c_eff, c_tox = OKABE_ITO[0], OKABE_ITO[1]

    fig, ax = new_figure(lang, figsize=(7.4, 4.4))
    lo, hi = sorted((res.efficacious_dose, res.mtd))
    ax.axvspan(lo, hi, color="0.85", alpha=0.6, lw=0)
    ax.plot(dose, eff, color=c_eff, lw=2.2, label=t("mtdp_efficacy_curve", lang))
    ax.plot(dose, tox, color=c_tox, lw=2.2, label=t("mtdp_dlt_curve", lang))
    ax.axhline(p["target"], color=c_tox, lw=0.9, ls=":")
    ax.axhline(p["emax"], color=c_eff, lw=0.9, ls=":")
    ax.axvline(res.efficacious_dose, color=c_eff, lw=1.2, ls="--")
    ax.axvline(res.mtd, color=c_tox, lw=1.2, ls="--")
    ax.plot([res.efficacious_dose, res.mtd], [res.efficacy_at_efficacious, res.efficacy_at_mtd], "o", color=c_eff)
    ax.plot([res.efficacious_dose, res.mtd], [res.dlt_at_efficacious, res.dlt_at_mtd], "o", color=c_tox)

    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel(t("mtdp_dose_axis", lang))
    ax.set_ylabel(t("probability", lang))
    ax.set_title(t("mtdp_title", lang), loc="left", pad=22)

    # Dose labels just above the plot, at each vertical line.
    trans = ax.get_xaxis_transform()
    left_first = res.efficacious_dose <= res.mtd
    ax.text(res.efficacious_dose, 1.01, t("mtdp_eff_dose_label", lang, pct=100 * p["fraction"],
                                          d=res.efficacious_dose),
            transform=trans, color=c_eff, ha="right" if left_first else "left", va="bottom", fontsize=9.5)
    ax.text(res.mtd, 1.01, t("mtdp_mtd_label", lang, d=res.mtd, target=100 * p["target"]),
            transform=trans, color=c_tox, ha="left" if left_first else "right", va="bottom", fontsize=9.5)

    sign = 1.0 if res.mtd >= res.efficacious_dose else -1.0  # always report higher dose minus lower dose
    note = t("mtdp_note", lang, lo=lo, hi=hi, gain=100 * sign * res.efficacy_gain, cost=100 * sign * res.dlt_cost)
    ax.text(0.98, 0.97, note, transform=ax.transAxes, ha="right", va="top", fontsize=9.5,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "0.7"})
    fig.legend(loc="outside lower center", ncols=2)
    return fig


# ---------------------------------------------------------------------------------------------- widget
_SLIDERS: dict[str, tuple[float, float, float, str]] = {
    # name: (min, max, step, readout format)
    "ed50": (1.0, 100.0, 1.0, ".0f"),
    "hill": (0.5, 5.0, 0.1, ".1f"),
    "td50": (10.0, 400.0, 5.0, ".0f"),
    "tox_slope": (0.5, 8.0, 0.1, ".1f"),
    "target": (0.10, 0.40, 0.01, ".2f"),
}


def widget(lang: str = "en", **params: float):
    """Sliders for ED50, Hill coefficient, TD50, toxicity slope and target DLT rate, redrawing :func:`figure`.

    Python callbacks need a live kernel: in the static book the sliders move but the figure does not change.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the slider labels, the figure and the one-line summary.
    **params
        Starting values, as for :func:`compare`; ``emax`` and ``fraction`` stay fixed at these values.

    Returns
    -------
    ipywidgets.VBox
        The sliders, a one-line summary (:meth:`ParadigmComparison.summary`) and the figure.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    start = _params(**params)
    sliders = {}
    for name, (lo, hi, step, fmt) in _SLIDERS.items():
        value = min(max(start[name], lo), hi)
        sliders[name] = w.FloatSlider(value=value, min=lo, max=hi, step=step, readout_format=fmt,
                                      description=t(f"mtdp_slider_{name}", lang), continuous_update=False,
                                      style={"description_width": "9em"}, layout=w.Layout(width="24em"))
    summary = w.HTML()

    def render() -> Figure:
        values = {**start, **{name: s.value for name, s in sliders.items()}}
        summary.value = html.escape(compare(**values).summary(lang))
        return figure(lang, **values)

    out = live_output(sliders.values(), render)
    names = list(sliders)
    controls = w.HBox([w.VBox([sliders[n] for n in names[:3]]), w.VBox([sliders[n] for n in names[3:]])])
    return w.VBox([controls, summary, out])
