"""Check a simulation against exact operating characteristics: the same quantities side by side, with z-scores.

Every design of :mod:`dosecourse.escalation` that enumerates its trial (``design.has_exact``) can be checked
against its own vectorised simulator: the exact values carry no Monte Carlo error, so a simulation that agrees
with them within its standard error checks both implementations at once.

* :func:`agreement`: exact and simulated :class:`~dosecourse.escalation.OperatingCharacteristics` side by side;
* :func:`exact_vs_simulated`: computes both for a design and a scenario, then :func:`agreement`.

References
----------
Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods. Stat Med.
2019;38(11):2074-2102. doi:10.1002/sim.8086 (Monte Carlo standard errors of simulated quantities)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validate
from .escalation import Design, OperatingCharacteristics
from .i18n import check_lang, t

__all__ = ["COLUMNS", "agreement", "exact_vs_simulated"]

COLUMNS: tuple[str, ...] = ("quantity", "exact", "simulated", "se", "z")
"""Columns of the tables of :func:`agreement`."""


def agreement(exact: OperatingCharacteristics, simulated: OperatingCharacteristics,
              lang: str = "en") -> pd.DataFrame:
    """Exact and simulated operating characteristics of one design and scenario side by side, with z-scores.

    Parameters
    ----------
    exact : OperatingCharacteristics
        Exact results (``exact.exact`` is True), from :meth:`~dosecourse.escalation.Design.exact`.
    simulated : OperatingCharacteristics
        Simulated results of the same design on the same scenario (``simulated.exact`` is False), from
        ``design.simulate(...).summary()``.
    lang : {"en", "zh-tw"}
        Language of the quantity names.

    Returns
    -------
    pandas.DataFrame
        One row per quantity: the probability of selecting each dose, of selecting none, the mean number of
        patients at each dose and the mean sample size; columns :data:`COLUMNS`.

    Raises
    ------
    ValueError, TypeError
        If either argument is not an OperatingCharacteristics, ``exact`` is simulated or ``simulated`` exact,
        or the two describe different scenarios.

    Notes
    -----
    For a selection probability with exact value :math:`p` the standard error is the binomial one at the exact
    value, :math:`\\sqrt{p(1-p)/n}` with :math:`n` simulated trials (the standard error the simulation would have
    if it were right); for a mean it is the simulation's own standard error over trials.  Then

    .. math:: z = (\\hat\\theta_{\\text{sim}} - \\theta_{\\text{exact}}) / \\mathrm{se},

    0 where both values are equal and the standard error is 0 (a quantity that cannot vary, such as the sample
    size of a design that always enrols every patient), NaN where the standard error is 0 but the values differ
    (an event the simulated trials never showed, e.g. an early stop of probability 0.001).  If simulation and
    enumeration agree, the z-scores behave like standard normal draws (correlated within one simulation).

    Examples
    --------
    >>> from dosecourse import escalation as esc
    >>> design = esc.make_design("3+3", 3)
    >>> table = agreement(design.exact([0.1, 0.3, 0.5]), design.simulate([0.1, 0.3, 0.5], n_trials=2000).summary())
    >>> table.shape, bool((table["z"].abs() < 4).all())
    ((8, 5), True)
    """
    lang = check_lang(lang)
    _validate.instance(exact, "exact", OperatingCharacteristics)
    _validate.instance(simulated, "simulated", OperatingCharacteristics)
    if not exact.exact:
        raise ValueError(f"exact must hold exact results (n_trials None); got simulated results of "
                         f"{exact.n_trials:,} trials")
    if simulated.exact:
        raise ValueError("simulated must hold simulated results; got exact ones")
    if exact.n_doses != simulated.n_doses or not np.allclose(exact.true_tox, simulated.true_tox, rtol=0,
                                                                  atol=1e-12):
        raise ValueError(f"exact and simulated must describe the same scenario; got true_tox "
                         f"{exact.true_tox.tolist()} and {simulated.true_tox.tolist()}")
    k, n = exact.n_doses, simulated.n_trials
    names = ([t("dcmp_q_select", lang, d=d) for d in range(1, k + 1)] + [t("dcmp_q_none", lang)]
             + [t("dcmp_q_patients", lang, d=d) for d in range(1, k + 1)] + [t("dcmp_q_total", lang)])
    e = np.concatenate([exact.selection, [exact.no_selection], exact.patients, [exact.total_n]])
    s = np.concatenate([simulated.selection, [simulated.no_selection], simulated.patients, [simulated.total_n]])
    p = np.clip(e[:k + 1], 0.0, 1.0)
    se = np.concatenate([np.sqrt(p * (1 - p) / n), simulated.patients_se, [simulated.total_n_se]])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (s - e) / se, np.where(np.isclose(s, e, rtol=0, atol=1e-12), 0.0, np.nan))
    return pd.DataFrame({"quantity": names, "exact": e, "simulated": s, "se": se, "z": z}, columns=list(COLUMNS))


def exact_vs_simulated(design: Design, true_tox, *, n_trials: int = 10_000,
                       seed: int | np.random.Generator | None = _validate.DEFAULT_SEED, lang: str = "en",
                       **truth) -> pd.DataFrame:
    """A design's exact operating characteristics next to ``n_trials`` simulated trials, with z-scores.

    Parameters
    ----------
    design : dosecourse.escalation.Design
        A design with exact results (``design.has_exact``).
    true_tox : sequence of float
        True DLT probability per dose.
    n_trials : int
        Simulated trials.
    seed : int, None or numpy.random.Generator
        Seed of the simulation.
    lang : {"en", "zh-tw"}
        Language of the quantity names.
    **truth
        Further truths the design needs (``design.truth_args``).

    Returns
    -------
    pandas.DataFrame
        :func:`agreement` of ``design.exact(true_tox)`` and ``design.simulate(true_tox, ...).summary()``.

    Raises
    ------
    ValueError, TypeError
        If ``design`` is not a Design or has no exact results, or on an invalid scenario, ``n_trials`` or
        ``seed``.

    Notes
    -----
    See :func:`agreement` for the standard errors and z-scores.

    Examples
    --------
    >>> from dosecourse import escalation as esc
    >>> table = exact_vs_simulated(esc.make_design("BOIN", 5), [0.05, 0.12, 0.30, 0.45, 0.60], n_trials=4000)
    >>> round(float(table.loc[2, "exact"]), 4), bool(table["z"].abs().max() < 4)
    (0.5794, True)
    """
    _validate.instance(design, "design", Design)
    if not design.has_exact:
        raise ValueError(f"design: {design.name} has no exact operating characteristics to compare with")
    lang = check_lang(lang)
    exact = design.exact(true_tox, **truth)
    simulated = design.simulate(true_tox, n_trials=n_trials, seed=seed, **truth).summary()
    return agreement(exact, simulated, lang)
