"""Clinical utility index (CUI): one score per dose from several attributes, and how firm the choice is.

Each attribute of a dose (response rate, toxicity rate, a biomarker...) is mapped to a desirability in
[0, 1] by a monotone function (:func:`linear_desirability`, :func:`step_desirability`,
:func:`derringer_desirability`); the CUI is the weighted sum of the desirabilities with weights that sum to 1
(:func:`cui`).  The dose with the highest CUI is chosen, with ties reported (:func:`best_dose`).  The rest of
the module asks how firm that choice is:

* :func:`probability_best`: posterior draws of the response and DLT rates give a CUI per draw and the
  probability that each dose has the highest CUI;
* :func:`weight_breakpoints` (two attributes, exact) and :func:`weight_grid` (any number of attributes): which
  weights change the chosen dose;
* :func:`boin12_utility_as_cui`: the BOIN12 2 x 2 utility is a CUI when the utilities are additive.

:func:`efficacy_toxicity_cui` builds the CUI from efficacy and toxicity probability curves
(e.g. :func:`dosecourse.pd.sigmoid_emax` and :func:`logistic_toxicity`); :func:`cui_table` tabulates the result
in English or Traditional Chinese.  The module computes and never draws: the chapter "The clinical utility
index" draws its figures (:func:`dosecourse.chapters.clinical_utility_index.cui_figure`).

Doses are numbered from 1 unless dose labels (e.g. mg) are given.

References
----------
Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
2010;9(2):289-300. doi:10.1517/14740330903499265
Derringer G, Suich R. Simultaneous optimization of several response variables. J Qual Technol.
1980;12(4):214-219. doi:10.1080/00224065.1980.11980968
Lin R, Zhou Y, Yan F, Li D, Yuan Y. BOIN12: Bayesian optimal interval phase I/II trial design for
utility-based dose finding in immunotherapy and targeted therapies. JCO Precis Oncol. 2020;4:1393-1402.
doi:10.1200/PO.20.00257
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate
from .i18n import catalogue, check_lang, t
from .pd import sigmoid_emax

DESIRABILITY_KINDS: tuple[str, ...] = ("linear", "step", "derringer")
"""Shapes of desirability function: a linear ramp, a step at a threshold, a Derringer-Suich power ramp."""

TIE_TOLERANCE = 1e-9
"""Two CUI values closer than this are a tie."""

BOIN12_UTILITIES: tuple[float, float, float, float] = (100.0, 40.0, 60.0, 0.0)
"""BOIN12 default utilities of (T0,E1), (T0,E0), (T1,E1), (T1,E0) (Lin et al. 2020)."""

TIES: tuple[str, ...] = ("split", "lowest")
"""How :func:`probability_best` counts a posterior draw in which several doses share the highest CUI."""

MAX_DRAWS: int = 1_000_000
"""Largest number of posterior draws :func:`probability_best` accepts (the draws of every dose are held at once)."""


def _frozen(values: object, dtype: object = float) -> np.ndarray:
    """``values`` as a read-only array (a copy), for the attributes of a result."""
    arr = np.array(values, dtype=dtype)
    arr.setflags(write=False)
    return arr


# --- desirability functions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Desirability:
    """A monotone desirability function of one attribute, with values in [0, 1].

    Build it with :func:`linear_desirability`, :func:`step_desirability` or :func:`derringer_desirability`;
    call it on attribute values (any shape).

    Parameters
    ----------
    kind : {"linear", "step", "derringer"}
        Shape of the function.
    worst, best : float
        Attribute value with desirability 0 and 1 (a step has ``worst == best ==`` the threshold).
    increasing : bool
        True when larger attribute values are better.
    exponent : float
        Power of the Derringer-Suich ramp (1 for linear and step).
    """

    kind: str
    worst: float
    best: float
    increasing: bool
    exponent: float = 1.0

    def __post_init__(self) -> None:
        _validate.one_of(self.kind, "kind", DESIRABILITY_KINDS)
        worst = _validate.number(self.worst, "worst")
        best = _validate.number(self.best, "best")
        increasing = _validate.boolean(self.increasing, "increasing")
        exponent = _validate.positive(self.exponent, "exponent")
        if self.kind == "step":
            if worst != best:
                raise ValueError(f"a step desirability has worst == best == its threshold; got worst={worst!r}, "
                                 f"best={best!r}")
        else:
            if worst == best:
                raise ValueError(f"worst and best must differ; got worst={worst!r}, best={best!r}")
            if increasing != (best > worst):
                raise ValueError(f"increasing must be {best > worst} when best={best!r} and worst={worst!r}")
        for name, value in (("worst", worst), ("best", best), ("increasing", increasing), ("exponent", exponent)):
            object.__setattr__(self, name, value)

    def __call__(self, x: float | np.ndarray) -> float | np.ndarray:
        """Desirability of attribute value(s) ``x``, in [0, 1], same shape as ``x``."""
        v = _validate.real_array(x, "x")
        if self.kind == "step":
            d = (v >= self.best) if self.increasing else (v <= self.best)
            return _validate.scalar_or_array(d.astype(float))
        ramp = np.clip((v - self.worst) / (self.best - self.worst), 0.0, 1.0)
        return _validate.scalar_or_array(ramp ** self.exponent)


def linear_desirability(worst: float, best: float) -> Desirability:
    """Linear ramp from desirability 0 at ``worst`` to 1 at ``best``, flat outside.

    Parameters
    ----------
    worst : float
        Attribute value at and beyond which the desirability is 0.
    best : float
        Attribute value at and beyond which the desirability is 1. ``best > worst`` gives an increasing
        function (response rate), ``best < worst`` a decreasing one (toxicity rate).

    Returns
    -------
    Desirability
        Callable on attribute values.

    Raises
    ------
    ValueError
        If ``worst == best`` or a value is not finite.
    TypeError
        If an argument is not a number.

    Notes
    -----
    .. math:: d(x) = \\min\\left\\{1, \\max\\left\\{0, \\frac{x - x_{worst}}{x_{best} - x_{worst}}\\right\\}\\right\\}

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> d_tox = linear_desirability(worst=0.40, best=0.10)   # DLT rate: 10% or less ideal, 40% or more unacceptable
    >>> d_tox([0.05, 0.25, 0.50]).tolist()
    [1.0, 0.5, 0.0]
    """
    return _ramp(worst, best, 1.0, "linear")


def _ramp(worst: float, best: float, exponent: float, kind: str) -> Desirability:
    """A checked (power) ramp from ``worst`` (0) to ``best`` (1)."""
    w = _validate.number(worst, "worst")
    b = _validate.number(best, "best")
    if w == b:
        raise ValueError(f"worst and best must differ; got worst={worst!r}, best={best!r}")
    return Desirability(kind, w, b, b > w, _validate.positive(exponent, "exponent"))


def derringer_desirability(worst: float, best: float, exponent: float) -> Desirability:
    """Derringer-Suich one-sided desirability: a linear ramp raised to a power.

    Parameters
    ----------
    worst, best : float
        Attribute values with desirability 0 and 1, as in :func:`linear_desirability`.
    exponent : float
        Power s > 0: s > 1 makes the function demanding (desirability stays low until the attribute is near
        ``best``), s < 1 lenient; s = 1 is the linear ramp.

    Returns
    -------
    Desirability
        Callable on attribute values.

    Raises
    ------
    ValueError
        If ``worst == best`` or ``exponent`` is not positive.
    TypeError
        If an argument is not a number.

    Notes
    -----
    .. math:: d(x) = \\left[\\min\\left\\{1, \\max\\left\\{0, \\frac{x - x_{worst}}{x_{best} - x_{worst}}
              \\right\\}\\right\\}\\right]^{s}

    References
    ----------
    Derringer G, Suich R. J Qual Technol. 1980;12(4):214-219. doi:10.1080/00224065.1980.11980968

    Examples
    --------
    >>> derringer_desirability(worst=0.0, best=0.6, exponent=2.0)(0.3)
    0.25
    """
    return _ramp(worst, best, exponent, "derringer")


def step_desirability(threshold: float, *, higher_is_better: bool = True) -> Desirability:
    """Step desirability: 1 when the attribute reaches ``threshold`` on the good side, 0 otherwise.

    Parameters
    ----------
    threshold : float
        Attribute value at which the desirability jumps from 0 to 1 (the threshold itself counts as good).
    higher_is_better : bool, default True
        Direction: True for d = 1 when x >= threshold, False for d = 1 when x <= threshold.

    Returns
    -------
    Desirability
        Callable on attribute values.

    Raises
    ------
    ValueError
        If ``threshold`` is not finite.
    TypeError
        If ``threshold`` is not a number or ``higher_is_better`` not a bool.

    Notes
    -----
    .. math:: d(x) = \\mathbb 1[x \\ge c] \\quad\\text{or}\\quad \\mathbb 1[x \\le c]

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> step_desirability(0.33, higher_is_better=False)([0.2, 0.33, 0.4]).tolist()
    [1.0, 1.0, 0.0]
    """
    c = _validate.number(threshold, "threshold")
    return Desirability("step", c, c, _validate.boolean(higher_is_better, "higher_is_better"))


# --- the index ----------------------------------------------------------------------------------------------

def _attribute_arrays(attributes: Mapping[str, object]) -> tuple[tuple[str, ...], np.ndarray]:
    """Keys and a (K, n_doses) array of attribute values, checked."""
    attributes = _validate.mapping(attributes, "attributes")
    if not attributes:
        raise ValueError("attributes must not be empty: give {name: values per dose}")
    keys = tuple(attributes)
    rows = []
    for key in keys:
        _validate.text(key, "an attribute name")
        rows.append(_validate.real_array(attributes[key], f"attributes[{key!r}]", ndim=1, nonempty=True,
                                         max_size=_validate.MAX_DOSES))
    if len({r.size for r in rows}) != 1:
        raise ValueError(f"every attribute needs one value per dose; got lengths {[r.size for r in rows]}")
    return keys, np.vstack(rows)


def _desirabilities(desirabilities: Mapping[str, Desirability], keys: tuple[str, ...]) -> list[Desirability]:
    """The desirability function of each attribute, in the order of ``keys``."""
    desirabilities = _validate.mapping(desirabilities, "desirabilities")
    if set(desirabilities) != set(keys):
        raise ValueError(f"desirabilities must give one function per attribute {list(keys)}; got "
                         f"{sorted(map(str, desirabilities))}")
    return [_validate.instance(desirabilities[k], f"desirabilities[{k!r}]", Desirability) for k in keys]


def _weights(weights: Mapping[str, float], keys: tuple[str, ...], normalize: bool,
             name: str = "weights") -> tuple[np.ndarray, bool]:
    """Weights in the order of ``keys``, checked to be >= 0 and to sum to 1 (or rescaled when ``normalize``);
    ``name`` is the argument the messages name."""
    weights = _validate.mapping(weights, name)
    if set(weights) != set(keys):
        raise ValueError(f"{name} must give one weight per attribute {list(keys)}; got {sorted(map(str, weights))}")
    normalize = _validate.boolean(normalize, "normalize")
    w = np.array([_validate.positive(weights[k], f"{name}[{k!r}]", allow_zero=True) for k in keys])
    total = float(w.sum())
    if total <= 0:
        raise ValueError(f"{name} must not all be zero; got {dict(weights)}")
    if abs(total - 1.0) <= 1e-9:
        return w, False
    if not normalize:
        raise ValueError(f"{name} must sum to 1; they sum to {total:.6g}. Pass normalize=True to divide them "
                         "by their sum")
    w = w / total
    warnings.warn(f"weights summed to {total:.6g}; normalized to "
                  f"{ {k: round(float(v), 6) for k, v in zip(keys, w)} }", UserWarning, stacklevel=3)
    return w, True


def _dose_labels(doses: Sequence[float] | None, n: int) -> np.ndarray:
    """Dose labels: 1..n by default, otherwise ``doses`` checked for length."""
    if doses is None:
        return np.arange(1, n + 1)
    if isinstance(doses, (str, bytes)):
        raise TypeError(f"doses must be a sequence of dose labels, one per dose; got {doses!r}")
    arr = np.asarray(doses)
    if arr.ndim != 1 or arr.size != n:
        raise ValueError(f"doses must have one label per dose ({n}); got {np.shape(doses)}")
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ValueError(f"doses must be finite dose labels (no NaN or infinity); got {arr.tolist()}")
    if len(set(arr.tolist())) != arr.size:
        raise ValueError(f"doses must be distinct labels; got {arr.tolist()}")
    return arr


@dataclass(frozen=True)
class BestDose:
    """The dose with the highest CUI, with ties reported.

    Parameters
    ----------
    dose : int or float
        The lowest of the tied best doses (a lower dose exposes patients to less drug for the same utility).
    tied_doses : tuple
        Every dose whose CUI is within :data:`TIE_TOLERANCE` of the maximum, lowest first.
    tied : bool
        True when more than one dose shares the maximum.
    """

    dose: object
    tied_doses: tuple
    tied: bool

    def __post_init__(self) -> None:
        tied_doses = tuple(_validate.instance(self.tied_doses, "tied_doses", (tuple, list)))
        if not tied_doses or self.dose != tied_doses[0]:
            raise ValueError(f"dose must be the first of tied_doses (the lowest tied best dose); got dose="
                             f"{self.dose!r}, tied_doses={tied_doses!r}")
        if _validate.boolean(self.tied, "tied") != (len(tied_doses) > 1):
            raise ValueError(f"tied must be True exactly when tied_doses holds several doses; got tied={self.tied}, "
                             f"tied_doses={tied_doses!r}")
        object.__setattr__(self, "tied_doses", tied_doses)


def best_dose(values: Sequence[float], doses: Sequence[float] | None = None, *,
              tol: float = TIE_TOLERANCE) -> BestDose:
    """The dose with the highest CUI; ties are all reported and the lowest tied dose is returned.

    Parameters
    ----------
    values : array_like
        CUI per dose (1-D), doses in increasing order.
    doses : array_like, optional
        Dose labels; default 1..n.
    tol : float, default :data:`TIE_TOLERANCE`
        Values within ``tol`` of the maximum are tied.

    Returns
    -------
    BestDose
        ``.dose`` (lowest tied best dose), ``.tied_doses`` and ``.tied``.

    Raises
    ------
    ValueError
        If ``values`` is empty or not finite, or ``doses`` has the wrong length.
    TypeError
        If ``values`` is not numeric.

    Notes
    -----
    Ties are common because desirabilities are flat beyond their ``best`` value: two doses with response
    rates above the ``best`` of the efficacy ramp and DLT rates below the ``best`` of the toxicity ramp both
    score 1.  The lowest tied dose is the default choice; the tie is flagged so that a protocol states it.

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> best_dose([0.5, 0.8, 0.8, 0.6], doses=[10, 20, 40, 80])
    BestDose(dose=20, tied_doses=(20, 40), tied=True)
    """
    v = _validate.real_array(values, "values", ndim=1, nonempty=True, max_size=_validate.MAX_DOSES)
    tol = _validate.positive(tol, "tol", allow_zero=True)
    labels = _dose_labels(doses, v.size)
    tied = tuple(labels[v >= v.max() - tol].tolist())
    return BestDose(tied[0], tied, len(tied) > 1)


@dataclass(frozen=True)
class CUIResult:
    """The clinical utility index of each dose and its components.

    Parameters
    ----------
    doses : ndarray
        Dose labels.
    attributes : tuple of str
        Attribute names, in order.
    attribute_values : ndarray, shape (K, n_doses)
        Attribute value of each dose.
    weights : ndarray, shape (K,)
        Weights, summing to 1.
    desirability : ndarray, shape (K, n_doses)
        Desirability d_k of each attribute at each dose.
    values : ndarray, shape (n_doses,)
        CUI of each dose.
    weights_normalized : bool
        True when the weights given did not sum to 1 and were divided by their sum.
    """

    doses: np.ndarray
    attributes: tuple[str, ...]
    attribute_values: np.ndarray
    weights: np.ndarray
    desirability: np.ndarray
    values: np.ndarray
    weights_normalized: bool

    def __post_init__(self) -> None:
        attributes = tuple(_validate.text(a, "attributes") for a in
                           _validate.instance(self.attributes, "attributes", (tuple, list)))
        k = len(attributes)
        a = _validate.real_array(self.attribute_values, "attribute_values", ndim=2)
        d = _validate.real_array(self.desirability, "desirability", ndim=2, minimum=0.0, maximum=1.0)
        w = _validate.real_array(self.weights, "weights", ndim=1, minimum=0.0, length=k)
        v = _validate.real_array(self.values, "values", ndim=1)
        if a.shape != (k, v.size) or d.shape != a.shape:
            raise ValueError(f"attribute_values and desirability must have shape (K attributes, n doses) = "
                             f"({k}, {v.size}); got {a.shape} and {d.shape}")
        if not np.isclose(w.sum(), 1.0, atol=1e-9) or not np.allclose(v, w @ d, atol=1e-12):
            raise ValueError("weights must sum to 1 and values must be the weighted sums of the desirabilities "
                             "(build a CUIResult with cui())")
        doses = _dose_labels(self.doses, v.size)
        for name, value in (("doses", _frozen(doses, doses.dtype)), ("attributes", attributes),
                            ("attribute_values", _frozen(a)), ("weights", _frozen(w)),
                            ("desirability", _frozen(d)), ("values", _frozen(v)),
                            ("weights_normalized", _validate.boolean(self.weights_normalized,
                                                                     "weights_normalized"))):
            object.__setattr__(self, name, value)

    @property
    def contributions(self) -> np.ndarray:
        """Weighted desirabilities w_k d_k, shape (K, n_doses); columns sum to the CUI."""
        return self.weights[:, None] * self.desirability

    @property
    def best(self) -> BestDose:
        """The best dose with ties (see :func:`best_dose`)."""
        return best_dose(self.values, self.doses)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The table of :func:`cui_table`.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the headers (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            One row per dose (without the probability of being best).
        """
        return cui_table(self, lang=lang)


def cui(attributes: Mapping[str, Sequence[float]], weights: Mapping[str, float],
        desirabilities: Mapping[str, Desirability], *, doses: Sequence[float] | None = None,
        normalize: bool = False) -> CUIResult:
    """Clinical utility index of each dose: the weighted sum of the attributes' desirabilities.

    Parameters
    ----------
    attributes : mapping of str to array_like
        Attribute name -> value at each dose (1-D, same length for all), e.g.
        ``{"efficacy": p_response, "toxicity": p_dlt}``.
    weights : mapping of str to float
        Attribute name -> weight w_k >= 0; the weights must sum to 1.
    desirabilities : mapping of str to Desirability
        Attribute name -> desirability function d_k.
    doses : array_like, optional
        Dose labels (e.g. mg); default 1..n.
    normalize : bool, default False
        When the weights do not sum to 1, divide them by their sum (with a ``UserWarning`` that says so)
        instead of raising.

    Returns
    -------
    CUIResult
        ``.values`` (CUI per dose), ``.contributions``, ``.best`` (with ties) and ``.to_frame(lang)``.

    Raises
    ------
    ValueError
        If the names of attributes, weights and desirabilities differ, a weight is negative, the weights do
        not sum to 1 (and ``normalize`` is False) or the attributes have different lengths.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: CUI(d) = \\sum_{k=1}^{K} w_k \\, d_k\\big(a_k(d)\\big), \\qquad w_k \\ge 0, \\; \\sum_k w_k = 1

    so 0 <= CUI <= 1.  The chosen dose is the one with the highest CUI (ties: all reported, the lowest
    returned first, see :func:`best_dose`).

    References
    ----------
    Ouellet D. Benefit-risk assessment: the use of clinical utility index. Expert Opin Drug Saf.
    2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> res = cui({"efficacy": [0.20, 0.40, 0.45], "toxicity": [0.10, 0.20, 0.40]},
    ...           weights={"efficacy": 0.6, "toxicity": 0.4},
    ...           desirabilities={"efficacy": linear_desirability(0.0, 0.5),
    ...                           "toxicity": linear_desirability(0.5, 0.0)})
    >>> res.values.round(3).tolist()    # 0.6*0.4 + 0.4*0.8, 0.6*0.8 + 0.4*0.6, 0.6*0.9 + 0.4*0.2
    [0.56, 0.72, 0.62]
    >>> res.best.dose
    2
    """
    keys, values = _attribute_arrays(attributes)
    funcs = _desirabilities(desirabilities, keys)
    w, normalized = _weights(weights, keys, normalize)
    d = np.vstack([np.asarray(f(row), dtype=float).reshape(row.shape) for f, row in zip(funcs, values)])
    return CUIResult(_dose_labels(doses, values.shape[1]), keys, values, w, d, w @ d, normalized)


def logistic_toxicity(dose: float | np.ndarray, td50: float, slope: float) -> float | np.ndarray:
    """Toxicity probability logistic in log dose: p_T = 1 / (1 + (TD50/dose)^slope).

    Parameters
    ----------
    dose : float or array_like
        Dose (>= 0), in the unit of ``td50``.
    td50 : float
        Dose with 50% toxicity probability (> 0).
    slope : float
        Slope on the log-dose scale (> 0).

    Returns
    -------
    float or ndarray
        Toxicity probability, same shape as ``dose``.

    Raises
    ------
    ValueError
        If a dose is negative or ``td50`` or ``slope`` is not positive.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: \\operatorname{logit} p_T = \\beta\\,(\\log d - \\log TD_{50})
              \\iff p_T = \\frac{d^\\beta}{TD_{50}^\\beta + d^\\beta}

    the sigmoid Emax (Hill) model with E0 = 0 and Emax = 1, so it is computed by
    :func:`dosecourse.pd.sigmoid_emax`.

    References
    ----------
    Holford NHG, Sheiner LB. Clin Pharmacokinet. 1981;6(6):429-453. doi:10.2165/00003088-198106060-00002

    Examples
    --------
    >>> logistic_toxicity([50.0, 100.0, 200.0], td50=100.0, slope=2.0).round(3).tolist()
    [0.2, 0.5, 0.8]
    """
    _validate.real_array(dose, "dose", minimum=0.0, max_size=_validate.MAX_GRID)
    _validate.positive(td50, "td50")
    _validate.positive(slope, "slope")
    return sigmoid_emax(dose, 1.0, td50, slope, 0.0)


def efficacy_toxicity_cui(p_efficacy: Sequence[float], p_toxicity: Sequence[float], *,
                          w_efficacy: float = 0.5,
                          desirability_efficacy: Desirability | None = None,
                          desirability_toxicity: Desirability | None = None,
                          doses: Sequence[float] | None = None) -> CUIResult:
    """CUI of each dose from an efficacy and a toxicity probability curve.

    Parameters
    ----------
    p_efficacy, p_toxicity : array_like
        Response and toxicity probability at each dose, in [0, 1] (e.g. from
        :func:`dosecourse.pd.sigmoid_emax` and :func:`logistic_toxicity`).
    w_efficacy : float, default 0.5
        Weight of efficacy in [0, 1]; toxicity gets ``1 - w_efficacy``.
    desirability_efficacy : Desirability, optional
        Default ``linear_desirability(0, 1)``: d_E = p_E.
    desirability_toxicity : Desirability, optional
        Default ``linear_desirability(1, 0)``: d_T = 1 - p_T.
    doses : array_like, optional
        Dose labels.

    Returns
    -------
    CUIResult
        As :func:`cui`, with attributes ``"efficacy"`` and ``"toxicity"``.

    Raises
    ------
    ValueError
        If a probability or ``w_efficacy`` is outside [0, 1] or the curves differ in length.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    .. math:: CUI(d) = w_E \\, d_E(p_E(d)) + (1 - w_E) \\, d_T(p_T(d))

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> dose = [25.0, 50.0, 100.0, 200.0]
    >>> p_e = sigmoid_emax(dose, emax=0.6, ec50=25.0, hill=1.0)            # plateau at 60% response
    >>> p_t = logistic_toxicity(dose, td50=200.0, slope=2.0)
    >>> res = efficacy_toxicity_cui(p_e, p_t, w_efficacy=0.6, doses=dose)
    >>> res.values.round(3).tolist()
    [0.574, 0.616, 0.608, 0.52]
    >>> res.best.dose
    50.0
    """
    p_e = _validate.probabilities(p_efficacy, "p_efficacy", open_interval=False)
    p_t = _validate.probabilities(p_toxicity, "p_toxicity", length=p_e.size, open_interval=False)
    w = _validate.probability(w_efficacy, "w_efficacy", open_interval=False)
    for name, value in (("desirability_efficacy", desirability_efficacy),
                        ("desirability_toxicity", desirability_toxicity)):
        if value is not None:
            _validate.instance(value, name, Desirability)
    desirs = {"efficacy": desirability_efficacy or linear_desirability(0.0, 1.0),
              "toxicity": desirability_toxicity or linear_desirability(1.0, 0.0)}
    return cui({"efficacy": p_e, "toxicity": p_t}, {"efficacy": w, "toxicity": 1.0 - w}, desirs, doses=doses)


# --- uncertainty --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProbabilityBest:
    """Posterior probability that each dose has the highest CUI.

    Parameters
    ----------
    doses : ndarray
        Dose labels.
    probability : ndarray
        Probability that each dose is best; sums to 1.
    mean_cui : ndarray
        Posterior mean CUI of each dose.
    cui_lower, cui_upper : ndarray
        2.5% and 97.5% posterior quantiles of the CUI.
    n_draws : int
        Number of posterior draws.
    ties : {"split", "lowest"}
        How a draw with several best doses was counted.
    seed : int or None
        The seed the draws used (None when a Generator was passed).
    """

    doses: np.ndarray
    probability: np.ndarray
    mean_cui: np.ndarray
    cui_lower: np.ndarray
    cui_upper: np.ndarray
    n_draws: int
    ties: str
    seed: int | None = None

    def __post_init__(self) -> None:
        p = _validate.real_array(self.probability, "probability", ndim=1, nonempty=True, minimum=0.0, maximum=1.0)
        if not np.isclose(p.sum(), 1.0, atol=1e-9):
            raise ValueError(f"probability must sum to 1 over the doses; got {p.sum():.6g}")
        arrays = {"probability": p}
        for name in ("mean_cui", "cui_lower", "cui_upper"):
            arrays[name] = _validate.real_array(getattr(self, name), name, ndim=1, length=p.size)
        doses = _dose_labels(self.doses, p.size)
        object.__setattr__(self, "doses", _frozen(doses, doses.dtype))
        for name, value in arrays.items():
            object.__setattr__(self, name, _frozen(value))
        object.__setattr__(self, "n_draws", _validate.integer(self.n_draws, "n_draws", minimum=1, maximum=MAX_DRAWS))
        _validate.one_of(self.ties, "ties", TIES)
        object.__setattr__(self, "seed", _validate.seed(self.seed))

    @property
    def most_likely(self) -> object:
        """The dose most likely to be best (lowest dose on a tie)."""
        return self.doses[int(np.argmax(self.probability))].item()


def _best_share(values: np.ndarray, ties: str, tol: float = TIE_TOLERANCE) -> np.ndarray:
    """For each row of ``values`` (draws x doses), the share of 'best' credited to each dose."""
    is_max = values >= values.max(axis=1, keepdims=True) - tol
    if ties == "split":
        return is_max / is_max.sum(axis=1, keepdims=True)
    share = np.zeros_like(values)
    share[np.arange(values.shape[0]), np.argmax(is_max, axis=1)] = 1.0
    return share


def probability_best(n: Sequence[int], responses: Sequence[int], dlts: Sequence[int],
                     weights: Mapping[str, float], desirabilities: Mapping[str, Desirability] | None = None, *,
                     prior: tuple[float, float] = (1.0, 1.0), n_draws: int = 10_000, seed: int | None = 2025,
                     ties: str = "split", doses: Sequence[float] | None = None,
                     n_toxicity: Sequence[int] | None = None) -> ProbabilityBest:
    """Probability that each dose has the highest CUI, from response and DLT counts.

    Parameters
    ----------
    n : array_like of int
        Patients per dose.
    responses, dlts : array_like of int
        Responders and patients with a DLT per dose.
    weights : mapping
        ``{"efficacy": w_E, "toxicity": w_T}``, summing to 1.
    desirabilities : mapping, optional
        ``{"efficacy": d_E, "toxicity": d_T}``; default d_E = p_E and d_T = 1 - p_T.
    prior : (a, b), default (1, 1)
        Beta prior of each rate.
    n_draws : int, default 10 000
        Posterior draws (at most :data:`MAX_DRAWS`).
    seed : int, None or numpy.random.Generator, default 2025
        Seed of the draws (:func:`dosecourse._validate.rng`); the seed used is recorded in the result.
    ties : {"split", "lowest"}, default "split"
        In a draw where several doses share the highest CUI, "split" gives each 1/m of that draw and
        "lowest" credits the lowest of them (the rule of :func:`best_dose`).
    doses : array_like, optional
        Dose labels.
    n_toxicity : array_like of int, optional
        Patients assessed for toxicity per dose, when they are not those assessed for efficacy (a trial's safety
        set often differs from its efficacy set by a patient or two); default ``n``.

    Returns
    -------
    ProbabilityBest
        Probability best (sums to 1), posterior mean and 95% interval of the CUI, ``n_draws`` and ``seed``.

    Raises
    ------
    ValueError
        On inconsistent counts, bad weights, a non-positive prior or an unknown ``ties``.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    Independent conjugate posteriors per dose and attribute,

    .. math:: p_{E,j} \\mid x_j \\sim \\mathrm{Beta}(a + x_j, b + n_j - x_j), \\qquad
              p_{T,j} \\mid y_j \\sim \\mathrm{Beta}(a + y_j, b + m_j - y_j),

    with :math:`m_j` the patients assessed for toxicity (``n_toxicity``, default :math:`n_j`), are drawn (all
    draws at once), the CUI is computed for each draw and dose, and
    :math:`\\Pr(\\text{dose } j \\text{ best}) = \\frac1S \\sum_s \\mathbb 1[CUI_{sj} = \\max_i CUI_{si}]` (with
    the tie rule).  No monotonicity across doses is imposed.  As the counts grow the posterior concentrates
    on the observed rates and the probability goes to 1 for the dose best at those rates.

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300 (sensitivity analysis and uncertainty).
    doi:10.1517/14740330903499265

    Examples
    --------
    >>> pb = probability_best([12, 12, 12], [3, 6, 7], [1, 2, 5], {"efficacy": 0.6, "toxicity": 0.4},
    ...                       n_draws=4000, seed=1)
    >>> round(float(pb.probability.sum()), 12), pb.most_likely
    (1.0, 2)
    """
    k = _validate.whole_array(n, "n", ndim=1).size
    if not 1 <= k <= _validate.MAX_DOSES:
        raise ValueError(f"n must have one count per dose (1 to {_validate.MAX_DOSES} doses); got {k}")
    n_a, x_a = _validate.counts(n, responses, k, y_name="responses")
    m_a, y_a = _validate.counts(n if n_toxicity is None else n_toxicity, dlts, k,
                                n_name="n" if n_toxicity is None else "n_toxicity", y_name="dlts")
    if isinstance(prior, (str, bytes)) or np.ndim(prior) != 1 or len(prior) != 2:
        raise TypeError(f"prior must be a pair (a, b); got {prior!r}")
    a = _validate.positive(prior[0], "prior a")
    b = _validate.positive(prior[1], "prior b")
    draws = _validate.integer(n_draws, "n_draws", minimum=1, maximum=MAX_DRAWS)
    _validate.one_of(ties, "ties", TIES)
    keys = ("efficacy", "toxicity")
    if desirabilities is None:
        desirabilities = {"efficacy": linear_desirability(0.0, 1.0), "toxicity": linear_desirability(1.0, 0.0)}
    funcs = _desirabilities(desirabilities, keys)
    w, _ = _weights(weights, keys, False)
    labels = _dose_labels(doses, k)
    rng, used = _validate.rng(seed)
    p_e = rng.beta(a + x_a, b + n_a - x_a, size=(draws, k))
    p_t = rng.beta(a + y_a, b + m_a - y_a, size=(draws, k))
    values = w[0] * np.asarray(funcs[0](p_e)) + w[1] * np.asarray(funcs[1](p_t))
    lo, hi = np.quantile(values, [0.025, 0.975], axis=0)
    return ProbabilityBest(labels, _best_share(values, ties).mean(axis=0), values.mean(axis=0), lo, hi, draws, ties,
                           used)


# --- weight sensitivity -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeightBreakpoints:
    """How the best dose moves with the weight of the first of two attributes.

    Parameters
    ----------
    attributes : tuple of str
        The two attribute names; ``w`` is the weight of the first, ``1 - w`` of the second.
    breakpoints : ndarray
        Weights in (0, 1) at which the best dose changes, increasing.
    intervals : tuple of (float, float, object)
        ``(w_from, w_to, best dose)`` covering [0, 1]; on an interval's open interior the best dose is unique
        or, when doses tie over a whole interval, the lowest of them.  At a breakpoint, and possibly at
        w = 0 or 1, several doses tie.
    """

    attributes: tuple[str, str]
    breakpoints: np.ndarray
    intervals: tuple[tuple[float, float, object], ...]

    def __post_init__(self) -> None:
        attributes = tuple(_validate.text(a, "attributes") for a in
                           _validate.instance(self.attributes, "attributes", (tuple, list)))
        if len(attributes) != 2:
            raise ValueError(f"attributes must name exactly two attributes; got {attributes!r}")
        cuts = _validate.real_array(self.breakpoints, "breakpoints", ndim=1, minimum=0.0, maximum=1.0)
        if cuts.size > 1 and np.any(np.diff(cuts) <= 0):
            raise ValueError(f"breakpoints must be strictly increasing; got {cuts.tolist()}")
        intervals = tuple(tuple(iv) for iv in _validate.instance(self.intervals, "intervals", (tuple, list)))
        edges = [0.0, *cuts.tolist(), 1.0]
        if len(intervals) != cuts.size + 1 or any(len(iv) != 3 or not np.isclose(iv[0], lo) or
                                                  not np.isclose(iv[1], hi)
                                                  for iv, lo, hi in zip(intervals, edges[:-1], edges[1:])):
            raise ValueError(f"intervals must be (w_from, w_to, dose) triples running from 0 through the breakpoints "
                             f"to 1; got {intervals!r}")
        object.__setattr__(self, "attributes", attributes)
        object.__setattr__(self, "breakpoints", _frozen(cuts))
        object.__setattr__(self, "intervals", intervals)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per weight interval: from, to, best dose.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and of the first attribute's name (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Columns: weight of the first attribute at the start and end of the interval, and the best dose.
        """
        lang = check_lang(lang)
        name = attribute_label(self.attributes[0], lang)
        return pd.DataFrame({
            t("utility_col_weight_from", lang, attribute=name): [iv[0] for iv in self.intervals],
            t("utility_col_weight_to", lang, attribute=name): [iv[1] for iv in self.intervals],
            t("utility_col_best_dose", lang): [iv[2] for iv in self.intervals],
        })


def weight_breakpoints(attributes: Mapping[str, Sequence[float]], desirabilities: Mapping[str, Desirability], *,
                       doses: Sequence[float] | None = None) -> WeightBreakpoints:
    """Exact weights at which the chosen dose flips, for two attributes.

    Parameters
    ----------
    attributes : mapping of two str to array_like
        The two attributes per dose; ``w`` is the weight of the first one.
    desirabilities : mapping
        Desirability function of each attribute.
    doses : array_like, optional
        Dose labels.

    Returns
    -------
    WeightBreakpoints
        ``.breakpoints`` and ``.intervals`` (``.to_frame(lang)`` as a table).

    Raises
    ------
    ValueError
        If there are not exactly two attributes, or the inputs are inconsistent.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    With weights (w, 1 - w) the CUI of dose j is linear in w,

    .. math:: CUI_j(w) = d_{2j} + w\\,(d_{1j} - d_{2j}),

    so the best CUI is the upper envelope of lines and the best dose can only change where two lines cross,
    at :math:`w_{ij} = (d_{2i} - d_{2j}) / \\big((d_{1j} - d_{2j}) - (d_{1i} - d_{2i})\\big)`.  All crossings in
    (0, 1) are computed, the best dose is evaluated between consecutive crossings, and crossings where it
    does not change are dropped.  At a breakpoint itself the two doses tie.

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300 (sensitivity of the CUI to the weights).
    doi:10.1517/14740330903499265

    Examples
    --------
    >>> wb = weight_breakpoints({"efficacy": [0.2, 0.4, 0.5], "toxicity": [0.05, 0.15, 0.35]},
    ...                         {"efficacy": linear_desirability(0.0, 0.5),
    ...                          "toxicity": linear_desirability(0.5, 0.0)})
    >>> wb.breakpoints.round(4).tolist()
    [0.3333, 0.6667]
    >>> [iv[2] for iv in wb.intervals]
    [1, 2, 3]
    """
    keys, values = _attribute_arrays(attributes)
    if len(keys) != 2:
        raise ValueError(f"weight_breakpoints needs exactly two attributes; got {list(keys)} (use weight_grid)")
    funcs = _desirabilities(desirabilities, keys)
    d1, d2 = (np.asarray(f(row), dtype=float).reshape(row.shape) for f, row in zip(funcs, values))
    labels = _dose_labels(doses, d1.size)
    slope, icpt = d1 - d2, d2
    ds = slope[None, :] - slope[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = (icpt[:, None] - icpt[None, :]) / ds
    cross = cross[(ds != 0) & (cross > 0) & (cross < 1)]
    edges = np.unique(np.concatenate([[0.0, 1.0], cross]))
    mids = (edges[:-1] + edges[1:]) / 2
    env = icpt[None, :] + mids[:, None] * slope[None, :]
    best = np.argmax(env >= env.max(axis=1, keepdims=True) - TIE_TOLERANCE, axis=1)
    change = np.flatnonzero(best[1:] != best[:-1])
    bounds = np.concatenate([[0.0], edges[1:-1][change], [1.0]])
    starts = np.concatenate([[0], change + 1])
    intervals = tuple((float(bounds[i]), float(bounds[i + 1]), labels[best[s]].item())
                      for i, s in enumerate(starts))
    return WeightBreakpoints(keys, bounds[1:-1], intervals)


@dataclass(frozen=True)
class WeightGrid:
    """The best dose at every weight vector of a grid on the simplex.

    Parameters
    ----------
    attributes : tuple of str
        Attribute names (columns of ``weights``).
    weights : ndarray, shape (G, K)
        Weight vectors, each summing to 1.
    best : ndarray, shape (G,)
        Best dose (lowest on a tie) at each weight vector.
    tied : ndarray of bool, shape (G,)
        True where several doses share the best CUI.
    reference_best : object or None
        Best dose at the reference weights, when given.
    """

    attributes: tuple[str, ...]
    weights: np.ndarray
    best: np.ndarray
    tied: np.ndarray
    reference_best: object | None

    def __post_init__(self) -> None:
        attributes = tuple(_validate.text(a, "attributes") for a in
                           _validate.instance(self.attributes, "attributes", (tuple, list)))
        w = _validate.real_array(self.weights, "weights", ndim=2, minimum=0.0, maximum=1.0)
        if w.shape[1] != len(attributes) or not np.allclose(w.sum(axis=1), 1.0, atol=1e-9):
            raise ValueError(f"weights must have one column per attribute ({len(attributes)}) and rows summing to "
                             f"1; got shape {w.shape}")
        best, tied = np.array(self.best), np.array(self.tied)
        if best.dtype.kind in "fc" and not np.all(np.isfinite(best)):
            raise ValueError(f"best must hold finite dose labels (no NaN or infinity); got {best.tolist()}")
        if best.shape != (w.shape[0],) or tied.shape != (w.shape[0],) or tied.dtype != bool:
            raise ValueError(f"best and tied must have one entry per weight vector ({w.shape[0]}); tied as booleans; "
                             f"got shapes {best.shape} and {tied.shape}")
        object.__setattr__(self, "attributes", attributes)
        for name, value in (("weights", _frozen(w)), ("best", _frozen(best, best.dtype)),
                            ("tied", _frozen(tied, bool))):
            object.__setattr__(self, name, value)

    @property
    def flips(self) -> np.ndarray:
        """True where the best dose differs from the one at the reference weights (all False without one)."""
        if self.reference_best is None:
            return np.zeros(self.best.shape, dtype=bool)
        return self.best != self.reference_best

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per weight vector: the weights, the best dose, tie and flip flags.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the column names and attribute names (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            One weight column per attribute, then the best dose, whether it is tied, and whether it differs
            from the best dose at the reference weights (:attr:`flips`).
        """
        lang = check_lang(lang)
        cols = {t("utility_col_weight_of", lang, attribute=attribute_label(k, lang)): self.weights[:, i]
                for i, k in enumerate(self.attributes)}
        cols[t("utility_col_best_dose", lang)] = self.best
        cols[t("utility_col_tied", lang)] = self.tied
        cols[t("utility_col_flips", lang)] = self.flips
        return pd.DataFrame(cols)


def weight_grid(attributes: Mapping[str, Sequence[float]], desirabilities: Mapping[str, Desirability], *,
                step: float = 0.05, reference: Mapping[str, float] | None = None,
                doses: Sequence[float] | None = None) -> WeightGrid:
    """Best dose over a grid of weight vectors: which weights flip the choice.

    Parameters
    ----------
    attributes : mapping of str to array_like
        Attribute values per dose (any number K >= 2 of attributes).
    desirabilities : mapping
        Desirability function of each attribute.
    step : float, default 0.05
        Grid spacing of every weight; ``1/step`` must be a whole number.
    reference : mapping, optional
        Weights of the base case; ``.flips`` marks grid points whose best dose differs from its best dose.
    doses : array_like, optional
        Dose labels.

    Returns
    -------
    WeightGrid
        All weight vectors ``(i_1, ..., i_K) * step`` with the i_k >= 0 whole numbers summing to ``1/step``.

    Raises
    ------
    ValueError
        If ``1/step`` is not a whole number, the reference weights are invalid or the inputs inconsistent.
    TypeError
        If an argument has the wrong type.

    Notes
    -----
    The grid has :math:`\\binom{m + K - 1}{K - 1}` points for m = 1/step (stars and bars); the CUI of every
    dose at every point is one matrix product.

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> g = weight_grid({"efficacy": [0.2, 0.4, 0.5], "toxicity": [0.05, 0.15, 0.35]},
    ...                 {"efficacy": linear_desirability(0.0, 0.5), "toxicity": linear_desirability(0.5, 0.0)},
    ...                 step=0.25, reference={"efficacy": 0.5, "toxicity": 0.5})
    >>> g.weights[:, 0].tolist(), g.best.tolist(), g.flips.tolist()
    ([0.0, 0.25, 0.5, 0.75, 1.0], [1, 1, 2, 3, 3], [True, True, False, True, True])
    """
    keys, values = _attribute_arrays(attributes)
    if len(keys) < 2:
        raise ValueError(f"weight_grid needs at least two attributes; got {list(keys)}")
    funcs = _desirabilities(desirabilities, keys)
    h = _validate.positive(step, "step", maximum=1.0)
    m = round(1.0 / h)
    if abs(m * h - 1.0) > 1e-9:
        raise ValueError(f"1/step must be a whole number (e.g. step=0.05); got step={step!r}")
    size = math.comb(m + len(keys) - 1, len(keys) - 1)
    if size > _validate.MAX_GRID:
        raise ValueError(f"step={step!r} with {len(keys)} attributes gives {size:,} weight vectors; the limit is "
                         f"{_validate.MAX_GRID:,} (use a larger step)")
    d = np.vstack([np.asarray(f(row), dtype=float).reshape(row.shape) for f, row in zip(funcs, values)])
    labels = _dose_labels(doses, d.shape[1])
    kk = len(keys)
    bars = np.array(list(itertools.combinations(range(m + kk - 1), kk - 1)), dtype=int).reshape(-1, kk - 1)
    cuts = np.hstack([np.full((bars.shape[0], 1), -1), bars, np.full((bars.shape[0], 1), m + kk - 1)])
    w = (np.diff(cuts, axis=1) - 1) / m
    w = w[np.lexsort(w.T[::-1])]
    values_g = w @ d
    is_max = values_g >= values_g.max(axis=1, keepdims=True) - TIE_TOLERANCE
    best = labels[np.argmax(is_max, axis=1)]
    ref = None
    if reference is not None:
        w_ref, _ = _weights(reference, keys, False, "reference")
        ref = best_dose(w_ref @ d, labels).dose
    return WeightGrid(keys, w, best, is_max.sum(axis=1) > 1, ref)


# --- BOIN12 as a special case -------------------------------------------------------------------------------

def _boin12_utilities(utilities: Sequence[float]) -> np.ndarray:
    """The four utilities (T0E1, T0E0, T1E1, T1E0), checked: T0E1 the highest and T1E0 the lowest."""
    u = _validate.real_array(utilities, "utilities")
    if u.shape != (4,):
        raise ValueError(f"utilities must be four numbers for (T0E1, T0E0, T1E1, T1E0); got {utilities!r}")
    best, neither, both, worst = u
    if not (best >= max(neither, both) and worst <= min(neither, both) and best > worst):
        raise ValueError("utilities must rank efficacy without toxicity (T0E1) highest and toxicity without "
                         f"efficacy (T1E0) lowest, with T0E1 > T1E0; got {u.tolist()}")
    return u


def expected_utility(p_efficacy: float | np.ndarray, p_toxicity: float | np.ndarray,
                     utilities: Sequence[float] = BOIN12_UTILITIES) -> float | np.ndarray:
    """Mean utility of a dose when efficacy and toxicity are independent: sum over the four outcomes.

    Parameters
    ----------
    p_efficacy, p_toxicity : float or array_like
        Efficacy and toxicity probabilities in [0, 1] (broadcast together).
    utilities : four floats, default :data:`BOIN12_UTILITIES`
        Utilities of (T0,E1), (T0,E0), (T1,E1), (T1,E0).

    Returns
    -------
    float or ndarray
        :math:`\\bar u = \\sum_{T,E} u(T,E) P(T) P(E)`.

    Raises
    ------
    ValueError
        If a probability is outside [0, 1] or the utilities are not ordered as BOIN12 requires.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    .. math:: \\bar u = (1-p_T)p_E\\,u_{01} + (1-p_T)(1-p_E)\\,u_{00} + p_T p_E\\,u_{11} + p_T(1-p_E)\\,u_{10}

    References
    ----------
    Lin R et al. JCO Precis Oncol. 2020;4:1393-1402. doi:10.1200/PO.20.00257

    Examples
    --------
    >>> expected_utility(0.25, 0.35)     # BOIN12 defaults at (phi_E, phi_T) = (0.25, 0.35)
    41.0
    """
    pe, pt = _probability_pair(p_efficacy, p_toxicity)
    u01, u00, u11, u10 = _boin12_utilities(utilities)
    return _validate.scalar_or_array((1 - pt) * pe * u01 + (1 - pt) * (1 - pe) * u00 + pt * pe * u11
                                     + pt * (1 - pe) * u10)


def _probability_pair(p_efficacy: object, p_toxicity: object) -> tuple[np.ndarray, np.ndarray]:
    """Efficacy and toxicity probabilities (numbers or arrays in [0, 1]) that broadcast together."""
    pe = _validate.real_array(p_efficacy, "p_efficacy", minimum=0.0, maximum=1.0, max_size=_validate.MAX_GRID)
    pt = _validate.real_array(p_toxicity, "p_toxicity", minimum=0.0, maximum=1.0, max_size=_validate.MAX_GRID)
    try:
        np.broadcast_shapes(pe.shape, pt.shape)
    except ValueError:
        raise ValueError(f"p_efficacy and p_toxicity must have shapes that broadcast together; got {pe.shape} and "
                         f"{pt.shape}") from None
    return pe, pt


@dataclass(frozen=True)
class UtilityAsCUI:
    """A 2 x 2 (toxicity x efficacy) utility written as a CUI of p_E and p_T.

    Parameters
    ----------
    utilities : tuple of float
        (T0E1, T0E0, T1E1, T1E0).
    weights : dict
        ``{"efficacy": w_E, "toxicity": w_T}``, summing to 1, for d_E = p_E and d_T = 1 - p_T.
    interaction : float
        Coefficient of p_E p_T in the rescaled utility; 0 exactly when the utilities are additive.
    """

    utilities: tuple[float, float, float, float]
    weights: dict[str, float]
    interaction: float

    def __post_init__(self) -> None:
        utilities = tuple(float(u) for u in _boin12_utilities(self.utilities))
        weights = _validate.mapping(self.weights, "weights")
        if set(weights) != {"efficacy", "toxicity"}:
            raise ValueError(f"weights must give 'efficacy' and 'toxicity'; got {sorted(weights)}")
        w = {k: _validate.probability(weights[k], f"weights[{k!r}]", open_interval=False)
             for k in ("efficacy", "toxicity")}
        if not np.isclose(sum(w.values()), 1.0, atol=1e-12):
            raise ValueError(f"weights must sum to 1; got {w}")
        object.__setattr__(self, "utilities", utilities)
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "interaction", _validate.number(self.interaction, "interaction"))

    @property
    def additive(self) -> bool:
        """True when u(T1,E1) + u(T0,E0) = u(T0,E1) + u(T1,E0): the utility is then exactly a CUI."""
        return self.interaction == 0.0

    def rescaled_utility(self, p_efficacy: float | np.ndarray,
                         p_toxicity: float | np.ndarray) -> float | np.ndarray:
        """Mean utility rescaled to [0, 1]: (u - u(T1,E0)) / (u(T0,E1) - u(T1,E0)).

        Parameters
        ----------
        p_efficacy, p_toxicity : float or array_like
            Probabilities of efficacy and of toxicity, in [0, 1], of shapes that broadcast together (efficacy and
            toxicity independent, as in :func:`expected_utility`).

        Returns
        -------
        float or ndarray
        """
        u01, _, _, u10 = self.utilities
        return (expected_utility(p_efficacy, p_toxicity, self.utilities) - u10) / (u01 - u10)

    def cui(self, p_efficacy: float | np.ndarray, p_toxicity: float | np.ndarray) -> float | np.ndarray:
        """The CUI w_E p_E + w_T (1 - p_T); equals :meth:`rescaled_utility` when :attr:`additive`.

        Parameters
        ----------
        p_efficacy, p_toxicity : float or array_like
            Probabilities of efficacy and of toxicity, in [0, 1], of shapes that broadcast together.

        Returns
        -------
        float or ndarray
            A float for scalar inputs, otherwise an array of the broadcast shape.

        Raises
        ------
        ValueError, TypeError
            On probabilities outside [0, 1] or shapes that do not broadcast.
        """
        pe, pt = _probability_pair(p_efficacy, p_toxicity)
        return _validate.scalar_or_array(self.weights["efficacy"] * pe + self.weights["toxicity"] * (1 - pt))


def boin12_utility_as_cui(utilities: Sequence[float] = BOIN12_UTILITIES) -> UtilityAsCUI:
    """Write the BOIN12 mean utility as a CUI (plus an interaction term that is zero for additive utilities).

    Parameters
    ----------
    utilities : four floats, default :data:`BOIN12_UTILITIES` = (100, 40, 60, 0)
        Utilities of (T0,E1), (T0,E0), (T1,E1), (T1,E0); (T0,E1) must be the highest, (T1,E0) the lowest.

    Returns
    -------
    UtilityAsCUI
        Weights of the equivalent CUI and the interaction coefficient.

    Raises
    ------
    ValueError
        If the utilities are not four numbers ordered as above.
    TypeError
        If they are not numeric.

    Notes
    -----
    Expanding the mean utility with independent E and T (:func:`expected_utility`):

    .. math:: \\bar u = u_{00} + (u_{01} - u_{00})\\,p_E - (u_{00} - u_{10})\\,p_T
              + (u_{00} + u_{11} - u_{01} - u_{10})\\,p_E p_T .

    Rescaled to [0, 1] by its range [u_10, u_01], with d_E = p_E and d_T = 1 - p_T,

    .. math:: \\frac{\\bar u - u_{10}}{u_{01} - u_{10}} = w_E\\, d_E + w_T\\, d_T + c\\, p_E p_T, \\quad
              w_E = \\frac{u_{01} - u_{00}}{u_{01} - u_{10}}, \\;
              w_T = \\frac{u_{00} - u_{10}}{u_{01} - u_{10}}, \\;
              c = \\frac{u_{00} + u_{11} - u_{01} - u_{10}}{u_{01} - u_{10}},

    and w_E + w_T = 1.  For (100, 40, 60, 0): :math:`\\bar u = 40 + 60 p_E - 40 p_T + 0 \\cdot p_E p_T`, so
    the BOIN12 default utility *is* the CUI with w_E = 0.6, w_T = 0.4 and linear desirabilities.  Only when
    c != 0 does the joint outcome matter beyond the two margins.

    References
    ----------
    Lin R et al. JCO Precis Oncol. 2020;4:1393-1402. doi:10.1200/PO.20.00257
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> eq = boin12_utility_as_cui()
    >>> eq.weights, eq.interaction, eq.additive
    ({'efficacy': 0.6, 'toxicity': 0.4}, 0.0, True)
    >>> round(eq.cui(0.25, 0.35), 12), round(eq.rescaled_utility(0.25, 0.35), 12)
    (0.41, 0.41)
    """
    u = _boin12_utilities(utilities)
    u01, u00, u11, u10 = (float(x) for x in u)
    span = u01 - u10
    return UtilityAsCUI((u01, u00, u11, u10),
                        {"efficacy": (u01 - u00) / span, "toxicity": (u00 - u10) / span},
                        (u00 + u11 - u01 - u10) / span)


# --- presentation -------------------------------------------------------------------------------------------

def attribute_label(key: str, lang: str = "en") -> str:
    """The name of attribute ``key`` in ``lang`` (label ``utility_attr_<key>`` when the catalogue has one, else
    ``key`` itself).

    Parameters
    ----------
    key : str
        Attribute name, e.g. ``"efficacy"`` or ``"toxicity"``.
    lang : {"en", "zh-tw"}
        Language of the name (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> attribute_label("toxicity", "zh-tw"), attribute_label("PRO score")
    ('毒性', 'PRO score')
    """
    lang = check_lang(lang)
    label_id = f"utility_attr_{_validate.text(key, 'key')}"
    return t(label_id, lang) if label_id in catalogue() else key


def check_pair(result: CUIResult, prob_best: ProbabilityBest | None = None) -> None:
    """Check that ``result`` is a :class:`CUIResult` and ``prob_best`` (if given) a :class:`ProbabilityBest` of
    the same doses, as a table or figure of both needs.

    Parameters
    ----------
    result : CUIResult
        From :func:`cui` or :func:`efficacy_toxicity_cui`.
    prob_best : ProbabilityBest, optional
        From :func:`probability_best`.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If they have different numbers of doses.

    Examples
    --------
    >>> check_pair(efficacy_toxicity_cui([0.2], [0.1]), "not a result")
    Traceback (most recent call last):
    ...
    TypeError: prob_best must be a ProbabilityBest; got str 'not a result'
    """
    _validate.instance(result, "result", CUIResult)
    if prob_best is not None:
        _validate.instance(prob_best, "prob_best", ProbabilityBest)
        if prob_best.doses.size != result.doses.size:
            raise ValueError(f"prob_best has {prob_best.doses.size} doses, result has {result.doses.size}")


def cui_table(result: CUIResult, prob_best: ProbabilityBest | None = None, *, lang: str = "en") -> pd.DataFrame:
    """A table of the CUI per dose: each attribute, its weighted desirability, the CUI and the best dose.

    Parameters
    ----------
    result : CUIResult
        From :func:`cui` or :func:`efficacy_toxicity_cui`.
    prob_best : ProbabilityBest, optional
        Adds the probability that each dose is best.
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
        One row per dose.

    Raises
    ------
    TypeError
        If ``result`` or ``prob_best`` has the wrong type.
    ValueError
        If they have different numbers of doses, or ``lang`` is unknown.

    Notes
    -----
    The weighted columns w_k d_k sum to the CUI; "best" marks every tied best dose.

    References
    ----------
    Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265

    Examples
    --------
    >>> res = efficacy_toxicity_cui([0.2, 0.5], [0.1, 0.4], w_efficacy=0.5)
    >>> cui_table(res, lang="zh-tw").columns.tolist()
    ['劑量', '療效', '療效：加權可取性', '毒性', '毒性：加權可取性', '臨床效益指數', '最佳']
    """
    lang = check_lang(lang)
    check_pair(result, prob_best)
    cols: dict[str, object] = {t("dose", lang): result.doses}
    for i, key in enumerate(result.attributes):
        name = attribute_label(key, lang)
        cols[name] = result.attribute_values[i]
        cols[t("utility_col_weighted", lang, attribute=name)] = result.contributions[i]
    cols[t("utility_cui", lang)] = result.values
    tied = set(result.best.tied_doses)
    cols[t("utility_col_best", lang)] = [t("utility_yes", lang) if d in tied else "" for d in result.doses.tolist()]
    if prob_best is not None:
        cols[t("utility_prob_best", lang)] = prob_best.probability
    return pd.DataFrame(cols)
