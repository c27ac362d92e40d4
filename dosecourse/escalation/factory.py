"""One factory for the designs the chapters compare, set up alike on one dose grid."""

from __future__ import annotations

from .. import _validate
from ..i18n import check_lang, t
from .accelerated_titration import AcceleratedTitration
from .boin import BOIN
from .crm import CRM, crm_skeleton
from .design import Design
from .keyboard import Keyboard
from .mtpi import MTPI
from .mtpi2 import MTPI2
from .three_plus_three import ThreePlusThree

DESIGNS: tuple[str, ...] = ("3+3", "ATD", "BOIN", "Keyboard", "mTPI", "mTPI-2", "CRM")
"""Keys of :func:`make_design`: 3+3, accelerated titration, BOIN, keyboard, mTPI, mTPI-2 and CRM."""

_LABELS = {"3+3": "design_tpt", "ATD": "design_atd", "BOIN": "design_boin", "Keyboard": "design_keyboard",
           "mTPI": "design_mtpi", "mTPI-2": "design_mtpi2", "CRM": "design_crm"}


def design_label(key: str, lang: str = "en") -> str:
    """Name of design ``key`` in ``lang`` (most names are the same in both languages).

    Parameters
    ----------
    key : str
        One of :data:`DESIGNS`.
    lang : {"en", "zh-tw"}
        Language of the name (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> design_label("ATD", "zh-tw")
    '加速滴定設計'
    """
    return t(_LABELS[_validate.one_of(key, "key", DESIGNS)], check_lang(lang))


def make_design(key: str, n_doses: int, target: float = 0.3, *, cohort_size: int = 3, n_cohorts: int = 10,
                start_dose: int = 1, crm_halfwidth: float = 0.05, crm_prior_mtd: int | None = None) -> Design:
    """A design of :data:`DESIGNS` with the course's standard settings.

    Parameters
    ----------
    key : str
        One of :data:`DESIGNS`.
    n_doses : int
        Number of dose levels K.
    target : float
        Target DLT probability of the model-based and model-assisted designs (the rule-based 3+3 and
        accelerated titration have none).
    cohort_size, n_cohorts : int
        Cohorts of BOIN, keyboard, mTPI, mTPI-2 and CRM (N = 30 by default); the 3+3 and accelerated titration
        have their own cohorts and stop by themselves.
    start_dose : int
        Dose (1..K) of the first cohort.
    crm_halfwidth : float
        Half-width of the indifference interval of the CRM skeleton (:func:`crm_skeleton`).
    crm_prior_mtd : int, optional
        Prior guess of the MTD for the skeleton; the middle dose by default.

    Returns
    -------
    Design

    Raises
    ------
    ValueError, TypeError
        On an unknown key (the message lists the valid ones) or invalid settings.

    Notes
    -----
    BOIN, keyboard (equivalence interval target ± 0.05), mTPI and mTPI-2 use the defaults of their R packages;
    the CRM uses the empiric model, prior N(0, 1.34), a skeleton by the indifference-interval method (Lee &
    Cheung 2009) centred on ``crm_prior_mtd``, no dose skipping and coherence, as dfcrm's ``crmsim`` with
    ``restrict=TRUE``.  The 3+3 is the 3+3 as protocols write it (:class:`ThreePlusThree`'s default variant
    ``"six-at-mtd"``: the declared MTD has six patients), and accelerated titration ends in that same 3+3; the
    escalation-only variant is ``ThreePlusThree(n_doses, variant="escalation-only")``.

    Examples
    --------
    >>> make_design("CRM", 5).skeleton.round(3).tolist()
    [0.123, 0.204, 0.3, 0.402, 0.501]
    """
    key = _validate.one_of(key, "key", DESIGNS)
    k = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
    # the CRM's settings are checked for every key, so that a mistyped one is never silently ignored
    _validate.probability(crm_halfwidth, "crm_halfwidth")
    if crm_prior_mtd is not None:
        _validate.dose(crm_prior_mtd, k, "crm_prior_mtd")
    common = dict(cohort_size=cohort_size, n_cohorts=n_cohorts, start_dose=start_dose)
    if key == "3+3":
        return ThreePlusThree(k, start_dose=start_dose)
    if key == "ATD":
        return AcceleratedTitration(k, start_dose=start_dose)
    if key == "CRM":
        nu = (k + 1) // 2 if crm_prior_mtd is None else crm_prior_mtd
        return CRM(crm_skeleton(crm_halfwidth, target, nu, k), target, **common)
    return {"BOIN": BOIN, "Keyboard": Keyboard, "mTPI": MTPI, "mTPI-2": MTPI2}[key](target, k, **common)
