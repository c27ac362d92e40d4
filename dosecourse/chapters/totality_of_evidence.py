"""Figures, tables, widget and numbers of the chapter "Totality of evidence" (``register/totality-of-evidence``).

The science is in :mod:`dosecourse.dossier` (the fictional drug and its trial, arm summaries, exposure-response
fit, resampled probability that a dose has the highest CUI), :mod:`dosecourse.utility` (the CUI and its weight
breakpoints), :mod:`dosecourse.stats` (Clopper-Pearson) and :mod:`dosecourse.dose_comparison` (the score
interval of a difference in rates); the published numbers come from :mod:`dosecourse.expansion_cases`.  This
module holds the chapter's two dossiers and shows them, in the reader's language:

* the real case, trastuzumab deruxtecan in HER2-mutant NSCLC (DESTINY-Lung02, 5.4 vs 6.4 mg/kg):
  :func:`destiny_counts`, :func:`destiny_figure`, :func:`destiny_cui_figure`, :func:`evidence_table`;
* the exercise, the fictional drug ficlatinib (100, 200 or 400 mg, :data:`N_PER_ARM` patients per arm, seed
  :data:`SEED`): :func:`trial`, :func:`arm_table`, :func:`dossier_figure`, :func:`cui_figure`;
* :data:`widget`: the weight of efficacy and the strands of evidence available in; which dose the dossier
  supports and how often it stays best over bootstrap resamples out;
* :func:`numbers`: every number the prose glues.

References
----------
Goto K, et al. J Clin Oncol. 2023;41(31):4852-4863. doi:10.1200/JCO.23.01361 (PMID 37694347).
Ouellet D. Expert Opin Drug Saf. 2010;9(2):289-300. doi:10.1517/14740330903499265
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import _validate, dossier, expansion_cases, landscape
from ..dose_comparison import rate_ni_test
from ..i18n import check_lang, t
from ..stats import clopper_pearson
from ..utility import linear_desirability, weight_breakpoints
from . import style
from .widgets import Choice, LiveWidget, Part, Slider

CASE = expansion_cases.case("trastuzumab_deruxtecan")
"""DESTINY-Lung02 as stored in ``dosecourse/data/expansion_cases.json`` (ILD rates and safety n *reported*)."""

DL_DESIRABILITY = MappingProxyType({"orr": linear_desirability(0.20, 0.60), "ild": linear_desirability(0.40, 0.0)})
"""Desirabilities of the real case: ORR 20% -> 0, 60% -> 1; drug-related ILD 40% -> 0, 0% -> 1 (the course's
choice, for illustration)."""

DL_WEIGHT = 0.5
"""Default weight of ORR in the real case's CUI."""

DRUG = dossier.DEFAULT_DRUG
"""The fictional drug of the exercise (hidden true model)."""

N_PER_ARM = 50
"""Patients per arm in the fictional randomized trial."""

SEED = 2025
"""Seed of the fictional trial, the bootstrap and the posterior draws."""

N_BOOT = 2000
"""Bootstrap resamples of the fictional trial."""

N_DRAWS = 10_000
"""Posterior draws of the real case."""

DESIRABILITY = MappingProxyType({
    "response": linear_desirability(0.20, 0.60),
    "adverse_event": linear_desirability(0.80, 0.10),
    "discontinuation": linear_desirability(0.30, 0.0),
    "dose_intensity": linear_desirability(0.60, 1.0),
})
"""Desirabilities of the fictional dossier: response 20% -> 0, 60% -> 1; any intolerable adverse event 80% -> 0,
10% -> 1; discontinuation for adverse events 30% -> 0, 0% -> 1; mean relative dose intensity 0.6 -> 0, 1 -> 1."""

EVIDENCE: tuple[str, ...] = ("response_only", "response_ae", "tolerability", "er_tolerability")
"""Strands of evidence in the CUI: response alone; response and adverse events; response with adverse events,
discontinuation and dose intensity; the same with the response rate from the exposure-response model."""

W_EFFICACY = 0.5
"""Default weight of response; the rest is shared equally by the tolerability attributes in use."""

W_SITE = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
"""Weights of response precomputed for the site."""

MTD_LIMIT = 0.33
"""The phase 1 rule the chapter contrasts: a dose is 'tolerated' when fewer than a third of patients have a
dose-limiting event in cycle 1."""

_ARM_COLOURS = (style.SKY, style.BLUE, style.VERMILLION)
_ATTR_COLOURS = {"response": style.BLUE, "adverse_event": style.VERMILLION, "discontinuation": style.PURPLE,
                 "dose_intensity": style.GREEN}


# ------------------------------------------------------------------------------------------------ real case
def destiny_counts() -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Responders and ILD events per arm, as (events, patients), derived as rate x n from the stored case.

    Returns
    -------
    dict
        ``{"orr": ((x_5.4, n_5.4), (x_6.4, n_6.4)), "ild": (...)}``; 49.0% of 102 = 50, 56.0% of 50 = 28,
        12.9% of 101 = 13, 28.0% of 50 = 14.
    """
    arms = CASE.arms
    orr = tuple((int(round(a.response_rate * a.n)), a.n) for a in arms)
    ild = tuple((int(round(a.safety_rate * a.safety_n)), a.safety_n) for a in arms)
    return {"orr": orr, "ild": ild}


@lru_cache(maxsize=16)
def destiny_probability_best(w_orr: float = DL_WEIGHT) -> dossier.ResampledBest:
    """Posterior probability that each dose has the higher CUI (Beta(1, 1) priors, :data:`N_DRAWS` draws).

    Parameters
    ----------
    w_orr : float, default 0.5
        Weight of ORR (ILD gets the rest).

    Returns
    -------
    dosecourse.dossier.ResampledBest
    """
    c = destiny_counts()
    counts = {key: ([x for x, _ in c[key]], [n for _, n in c[key]]) for key in ("orr", "ild")}
    return dossier.posterior_probability_best(counts, {"orr": w_orr, "ild": 1 - w_orr}, dict(DL_DESIRABILITY),
                                              doses=CASE.doses, n_draws=N_DRAWS, seed=SEED)


def _destiny_cui(w: np.ndarray) -> np.ndarray:
    """CUI of (5.4, 6.4) mg/kg at ORR weights ``w`` (rows), from the reported rates."""
    d_orr = np.asarray(DL_DESIRABILITY["orr"](np.array(CASE.rates)))
    d_ild = np.asarray(DL_DESIRABILITY["ild"](np.array(CASE.safety_rates)))
    w = np.asarray(w, dtype=float)[..., None]
    return w * d_orr + (1 - w) * d_ild


def destiny_breakpoint() -> float:
    """ORR weight above which 6.4 mg/kg has the higher CUI (:func:`dosecourse.utility.weight_breakpoints`)."""
    bp = weight_breakpoints({"orr": list(CASE.rates), "ild": list(CASE.safety_rates)}, dict(DL_DESIRABILITY),
                            doses=[5.4, 6.4])
    return float(bp.breakpoints[0])


@style.course_figure
def destiny_figure(lang: str = "en") -> Figure:
    """ORR and drug-related ILD in DESTINY-Lung02 by dose, with 95% Clopper-Pearson intervals.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    c = destiny_counts()
    fig, axes = style.new_figure(ncols=2, figsize=(7.4, 3.9), sharey=True)
    x = np.arange(2)
    for ax, key, colour in zip(axes, ("orr", "ild"), (style.BLUE, style.VERMILLION)):
        ev = np.array([e for e, _ in c[key]])
        n = np.array([m for _, m in c[key]])
        rates = np.array(CASE.rates if key == "orr" else CASE.safety_rates)
        lo, hi = clopper_pearson(ev, n, 0.95)
        ax.bar(x, 100 * rates, width=0.55, color=colour, alpha=0.85, zorder=2)
        ax.errorbar(x, 100 * rates, yerr=[100 * (rates - lo), 100 * (hi - rates)], fmt="none", ecolor=style.BLACK,
                    capsize=5, lw=1.2, zorder=3)
        for xi, r, u in zip(x, rates, hi):
            ax.text(xi, 100 * u + 2, f"{100 * r:.1f}%", ha="center", va="bottom", fontsize=style.SMALL_SIZE)
        ax.set_xticks(x, [t("toe_dl_dose_tick", lang, dose=d, n=m) for d, m in zip(CASE.doses, n)])
        ax.set_title(t(f"toe_dl_{key}_title", lang), loc="left", fontsize=style.FONT_SIZE)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel(t("toe_pct_patients", lang))
    axes[0].set_ylim(0, 85)
    fig.suptitle(t("toe_dl_title", lang), x=0.01, ha="left", fontsize=style.TITLE_SIZE)
    return fig


@style.course_figure
def destiny_cui_figure(lang: str = "en", w_orr: float = DL_WEIGHT) -> Figure:
    """CUI of each dose of DESTINY-Lung02 against the weight of ORR, with the weight at which the choice flips.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.
    w_orr : float, default 0.5
        Weight marked on the curves.

    Returns
    -------
    matplotlib.figure.Figure
    """
    w_orr = _validate.probability(w_orr, "w_orr", open_interval=False)
    w = np.linspace(0, 1, 201)
    u = _destiny_cui(w)
    bp = destiny_breakpoint()
    fig, ax = style.new_figure(figsize=(7.0, 4.0))
    ax.axvspan(0, bp, color=style.BLUE, alpha=0.08, lw=0)
    ax.axvspan(bp, 1, color=style.VERMILLION, alpha=0.08, lw=0)
    for j, (dose, colour) in enumerate(zip(CASE.doses, (style.BLUE, style.VERMILLION))):
        ax.plot(w, u[:, j], color=colour, lw=2.2, label=dose)
        uj = float(_destiny_cui(np.array([w_orr]))[0, j])
        ax.plot([w_orr], [uj], "o", color=colour, ms=7, zorder=4)
        ax.annotate(f"{uj:.3f}", xy=(w_orr, uj), xytext=(6, 6 if j == 0 else -12), textcoords="offset points",
                    color=colour, fontsize=style.SMALL_SIZE)
    ax.axvline(bp, color=style.GREY_DARK, lw=1.2, ls="--")
    ax.text(bp, 0.02, t("toe_dl_breakpoint", lang, w=f"{bp:.2f}"), transform=ax.get_xaxis_transform(),
            rotation=90, ha="right", va="bottom", color=style.GREY_DARK, fontsize=style.SMALL_SIZE)
    ax.text(bp / 2, 0.97, t("toe_dl_region_low", lang), transform=ax.get_xaxis_transform(), ha="center", va="top",
            color=style.BLUE, fontsize=style.SMALL_SIZE)
    ax.text((1 + bp) / 2, 0.97, t("toe_dl_region_high", lang), transform=ax.get_xaxis_transform(), ha="center",
            va="top", color=style.VERMILLION, fontsize=style.SMALL_SIZE)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(t("toe_dl_weight_axis", lang))
    ax.set_ylabel(t("toe_cui_axis", lang))
    ax.set_title(t("toe_dl_cui_title", lang), loc="left")
    ax.legend(loc="lower left", title=t("toe_dose_legend", lang))
    return fig


_STRANDS = ("pk", "pd", "er", "randomized", "tolerability", "cui")


def evidence_table(lang: str = "en") -> pd.DataFrame:
    """The real case's dossier: each strand of evidence, what the course's public numbers show, what it supports.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the table.

    Returns
    -------
    pandas.DataFrame
        One row per strand (PK, PD, exposure-response, randomized comparison, safety and tolerability, CUI).
    """
    lang = check_lang(lang)
    n = numbers()
    fields = {k: (f"{v:.1f}" if isinstance(v, float) else v) for k, v in n.items()}
    fields.update(w=f"{n['toe_dl_w']:.1f}", bp=f"{n['toe_dl_breakpoint']:.2f}",
                  toe_dl_cui_low=f"{n['toe_dl_cui_low']:.3f}", toe_dl_cui_high=f"{n['toe_dl_cui_high']:.3f}",
                  pbest=f"{n['toe_dl_pbest_low']:.1f}")
    rows = [{t("toe_col_strand", lang): t(f"toe_strand_{s}", lang),
             t("toe_col_shows", lang): t(f"toe_dl_shows_{s}", lang, **fields),
             t("toe_col_supports", lang): t(f"toe_dl_supports_{s}", lang)} for s in _STRANDS]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------ fictional drug
@lru_cache(maxsize=1)
def trial() -> dossier.DossierTrial:
    """The fictional randomized trial: :data:`DRUG`, :data:`N_PER_ARM` per arm, seed :data:`SEED` (cached)."""
    return dossier.simulate_trial(DRUG, N_PER_ARM, seed=SEED)


@lru_cache(maxsize=1)
def summary() -> dossier.ArmSummary:
    """Arm summaries of :func:`trial`."""
    return dossier.arm_summaries(trial())


@lru_cache(maxsize=1)
def truth() -> dossier.ArmSummary:
    """The true expected arm summaries of :data:`DRUG` (:func:`dosecourse.dossier.true_outcomes`)."""
    return dossier.true_outcomes(DRUG)


@lru_cache(maxsize=1)
def er_fit() -> dossier.LogisticER:
    """Logistic exposure-response of response on log AUC, pooled over the three arms of :func:`trial`."""
    tr = trial()
    return dossier.fit_logistic_er(tr.auc, tr.response)


def er_arm_rates() -> np.ndarray:
    """Mean E-R-fitted response probability of each arm's patients."""
    tr, fit = trial(), er_fit()
    return np.array([float(fit.predict(tr.auc[tr.arm == j]).mean()) for j in range(len(tr.doses))])


def weights(evidence: str, w_efficacy: float) -> dict[str, float]:
    """CUI weights for a set of strands: response gets ``w_efficacy``, the others share the rest equally.

    Parameters
    ----------
    evidence : str
        One of :data:`EVIDENCE`.
    w_efficacy : float
        Weight of response, in [0, 1] (ignored for ``"response_only"``).

    Returns
    -------
    dict
    """
    evidence = _validate.one_of(evidence, "evidence", EVIDENCE)
    w = _validate.probability(w_efficacy, "w_efficacy", open_interval=False)
    if evidence == "response_only":
        return {"response": 1.0}
    if evidence == "response_ae":
        return {"response": w, "adverse_event": 1 - w}
    rest = (1 - w) / 3
    return {"response": w, "adverse_event": rest, "discontinuation": rest, "dose_intensity": 1 - w - 2 * rest}


@lru_cache(maxsize=64)
def probability_best(evidence: str = "tolerability", w_efficacy: float = W_EFFICACY) -> dossier.ResampledBest:
    """Bootstrap share in which each dose has the highest CUI (:data:`N_BOOT` resamples, seed :data:`SEED`).

    Parameters
    ----------
    evidence : str, default "tolerability"
        One of :data:`EVIDENCE`.
    w_efficacy : float, default 0.5
        Weight of response.

    Returns
    -------
    dosecourse.dossier.ResampledBest
    """
    wts = weights(evidence, w_efficacy)
    return dossier.bootstrap_probability_best(trial(), wts, {k: DESIRABILITY[k] for k in wts}, n_boot=N_BOOT,
                                              seed=SEED, er_response=evidence == "er_tolerability")


def true_best(evidence: str = "tolerability", w_efficacy: float = W_EFFICACY) -> float:
    """The dose with the highest CUI at the true values (same weights; the E-R response is the true response).

    Parameters
    ----------
    evidence : str, default "tolerability"
        One of :data:`EVIDENCE`.
    w_efficacy : float, default 0.5
        Weight of response.

    Returns
    -------
    float
    """
    wts = weights(evidence, w_efficacy)
    res = dossier.observed_cui(truth(), wts, {k: DESIRABILITY[k] for k in wts})
    return float(res.best.dose)


def _mg(dose: float) -> str:
    return f"{dose:g}"


def arm_table(lang: str = "en") -> pd.DataFrame:
    """The fictional trial's arm summaries as a dossier table (one row per starting dose).

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the headers.

    Returns
    -------
    pandas.DataFrame
    """
    lang = check_lang(lang)
    s, pred = summary(), er_arm_rates()
    rows = []
    for j, dose in enumerate(s.doses):
        rows.append({
            t("toe_col_dose", lang): f"{_mg(dose)} mg",
            t("toe_col_n", lang): int(s.n[j]),
            t("toe_col_auc", lang): f"{s.auc_median[j]:.1f} ({s.auc_p05[j]:.1f}-{s.auc_p95[j]:.1f})",
            t("toe_col_inhibition", lang): round(float(s.inhibition[j]), 1),
            t("toe_col_orr", lang): f"{100 * s.response[j]:.1f} ({100 * s.response_lower[j]:.1f}-"
                                    f"{100 * s.response_upper[j]:.1f})",
            t("toe_col_orr_er", lang): round(100 * float(pred[j]), 1),
            t("toe_col_c1", lang): round(100 * float(s.cycle1_event[j]), 1),
            t("toe_col_ae", lang): round(100 * float(s.adverse_event[j]), 1),
            t("toe_col_reduction", lang): round(100 * float(s.reduction[j]), 1),
            t("toe_col_disc", lang): round(100 * float(s.discontinuation[j]), 1),
            t("toe_col_rdi", lang): round(100 * float(s.dose_intensity[j]), 1),
        })
    return pd.DataFrame(rows)


@style.course_figure
def dossier_figure(lang: str = "en") -> Figure:
    """Four strands of the fictional dossier: PK by dose, exposure-response, efficacy vs safety, tolerability.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    tr, s, fit = trial(), summary(), er_fit()
    doses = tr.doses
    fig, axes = style.new_figure(nrows=2, ncols=2, figsize=(8.6, 7.0))
    (ax_pk, ax_er), (ax_rs, ax_tol) = axes
    gen = np.random.default_rng(0)  # horizontal jitter of the strip plot only
    for j in range(len(doses)):
        a = tr.auc[tr.arm == j]
        ax_pk.scatter(j + gen.uniform(-0.18, 0.18, a.size), a, s=10, color=_ARM_COLOURS[j], alpha=0.7, lw=0)
        ax_pk.plot([j - 0.28, j + 0.28], [s.auc_median[j]] * 2, color=style.BLACK, lw=2)
    ax_pk.set_yscale("log")
    ax_pk.set_xticks(range(len(doses)), [f"{_mg(d)} mg" for d in doses])
    ax_pk.set_ylabel(t("toe_auc_axis", lang))
    ax_pk.set_title(t("toe_pk_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax_pk.grid(axis="x", visible=False)

    a_grid = np.geomspace(tr.auc.min() * 0.9, tr.auc.max() * 1.1, 200)
    ax_er.plot(a_grid, 100 * fit.predict(a_grid), color=style.BLACK, lw=2, label=t("toe_er_fit", lang))
    q = np.quantile(tr.auc, [0, 0.25, 0.5, 0.75, 1.0])
    grp = np.clip(np.searchsorted(q, tr.auc, side="right") - 1, 0, 3)
    for g in range(4):
        m = grp == g
        x, n = int(tr.response[m].sum()), int(m.sum())
        lo, hi = clopper_pearson(x, n, 0.95)
        med = float(np.median(tr.auc[m]))
        ax_er.errorbar([med], [100 * x / n], yerr=[[100 * (x / n - lo)], [100 * (hi - x / n)]], fmt="s",
                       color=style.GREY_DARK, capsize=4, ms=6, label=t("toe_er_quartiles", lang) if g == 0 else None)
    ax_er.set_xscale("log")
    ax_er.set_ylim(0, 100)
    ax_er.set_xlabel(t("toe_auc_axis", lang))
    ax_er.set_ylabel(t("toe_orr_axis", lang))
    ax_er.set_title(t("toe_er_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax_er.legend(loc="upper left", fontsize=style.TINY_SIZE)

    x = np.arange(len(doses))
    ae_x = np.array([int((tr.n_events[tr.arm == j] > 0).sum()) for j in range(len(doses))])
    ae_lo, ae_hi = clopper_pearson(ae_x, s.n, 0.95)
    for off, rate, lo, hi, colour, key in ((-0.17, s.response, s.response_lower, s.response_upper, style.BLUE,
                                            "toe_legend_orr"),
                                           (0.17, s.adverse_event, ae_lo, ae_hi, style.VERMILLION, "toe_legend_ae")):
        ax_rs.bar(x + off, 100 * rate, width=0.32, color=colour, alpha=0.85, label=t(key, lang), zorder=2)
        ax_rs.errorbar(x + off, 100 * rate, yerr=[100 * (rate - lo), 100 * (hi - rate)], fmt="none",
                       ecolor=style.BLACK, capsize=3, lw=1, zorder=3)
    ax_rs.set_xticks(x, [f"{_mg(d)} mg" for d in doses])
    ax_rs.set_ylim(0, 100)
    ax_rs.set_ylabel(t("toe_pct_patients", lang))
    ax_rs.set_title(t("toe_rs_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax_rs.legend(loc="upper left", fontsize=style.TINY_SIZE)
    ax_rs.grid(axis="x", visible=False)

    width = 0.25
    for i, (key, vals, colour) in enumerate((("toe_legend_interruption", s.interruption, style.ORANGE),
                                             ("toe_legend_reduction", s.reduction, style.PURPLE),
                                             ("toe_legend_disc", s.discontinuation, style.BLACK))):
        ax_tol.bar(x + (i - 1) * width, 100 * vals, width=width, color=colour, alpha=0.85, label=t(key, lang),
                   zorder=2)
    for j in range(len(doses)):
        ax_tol.text(j, 96, t("toe_rdi_text", lang, rdi=f"{100 * s.dose_intensity[j]:.0f}"), ha="center",
                    va="top", fontsize=style.TINY_SIZE)
    ax_tol.set_xticks(x, [f"{_mg(d)} mg" for d in doses])
    ax_tol.set_ylim(0, 100)
    ax_tol.set_ylabel(t("toe_pct_patients", lang))
    ax_tol.set_title(t("toe_tol_title", lang), loc="left", fontsize=style.FONT_SIZE)
    ax_tol.legend(loc="center left", fontsize=style.TINY_SIZE)
    ax_tol.grid(axis="x", visible=False)
    fig.suptitle(t("toe_dossier_title", lang, n=N_PER_ARM, seed=SEED), x=0.01, ha="left",
                 fontsize=style.TITLE_SIZE)
    return fig


@style.course_figure
def cui_figure(lang: str = "en", w_efficacy: float = W_EFFICACY, evidence: str = "tolerability") -> Figure:
    """Stacked weighted contributions to each dose's CUI, with the bootstrap share in which the dose is best.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of every label.
    w_efficacy : float, default 0.5
        Weight of response.
    evidence : str, default "tolerability"
        One of :data:`EVIDENCE`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    wts = weights(evidence, w_efficacy)
    s = summary()
    resp = er_arm_rates() if evidence == "er_tolerability" else None
    res = dossier.observed_cui(s, wts, {k: DESIRABILITY[k] for k in wts}, response=resp)
    pb = probability_best(evidence, w_efficacy)
    contrib = np.asarray(res.contributions)
    fig, ax = style.new_figure(figsize=(7.4, 3.6))
    y = np.arange(len(s.doses))[::-1]
    left = np.zeros(len(s.doses))
    for key, row in zip(res.attributes, contrib):
        ax.barh(y, row, left=left, height=0.55, color=_ATTR_COLOURS[key], alpha=0.85,
                label=t(f"toe_attr_{key}", lang), zorder=2)
        left = left + row
    best = float(res.best.dose)
    for yi, dose, total, p in zip(y, s.doses, left, pb.probability):
        ax.text(total + 0.01, yi, t("toe_cui_bar", lang, cui=f"{total:.3f}", p=f"{100 * p:.0f}"), va="center",
                ha="left", fontsize=style.SMALL_SIZE, color=style.BLACK if dose == best else style.GREY)
    ax.set_yticks(y, [f"{_mg(d)} mg" for d in s.doses])
    ax.set_xlim(0, 1.25)
    ax.set_xlabel(t("toe_cui_axis", lang))
    ax.set_title(t("toe_cui_title", lang, evidence=t(f"toe_ev_{evidence}", lang)), loc="left",
                 fontsize=style.FONT_SIZE)
    fig.legend(loc="outside lower center", ncols=4, fontsize=style.TINY_SIZE)
    ax.grid(axis="y", visible=False)
    return fig


def verdict_text(lang: str = "en", w_efficacy: float = W_EFFICACY, evidence: str = "tolerability") -> str:
    """Which dose the dossier supports and how often it stays best over bootstrap resamples.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Reader's language.
    w_efficacy : float
        Weight of response.
    evidence : str
        One of :data:`EVIDENCE`.

    Returns
    -------
    str
    """
    lang = check_lang(lang)
    pb = probability_best(evidence, w_efficacy)
    best = float(pb.best_observed)
    p = float(pb.probability[list(pb.doses).index(best)])
    key = "toe_robust_firm" if p >= 0.8 else ("toe_robust_moderate" if p >= 0.6 else "toe_robust_weak")
    return t("toe_verdict", lang, dose=_mg(best), p=f"{100 * p:.0f}", robust=t(key, lang), boot=N_BOOT, seed=SEED)


# ------------------------------------------------------------------------------------------------ widget
def _widget_text(lang: str, w_efficacy: float, evidence: str) -> str:
    return verdict_text(lang, w_efficacy, evidence)


def _widget_figure(lang: str, w_efficacy: float, evidence: str) -> Figure:
    return cui_figure(lang, w_efficacy, evidence)


def _widget_alt(lang: str, values: dict) -> str:
    w, ev = values["w_efficacy"], values["evidence"]
    pb = probability_best(ev, w)
    parts = t("toe_list_sep", lang).join(
        t("toe_alt_dose", lang, dose=_mg(d), cui=f"{u:.3f}", p=f"{100 * p:.0f}")
        for d, u, p in zip(pb.doses, pb.cui_observed, pb.probability))
    return t("toe_widget_alt", lang, evidence=t(f"toe_ev_{ev}", lang), w=f"{w:.1f}", doses=parts,
             best=_mg(float(pb.best_observed)))


widget = LiveWidget(
    "totality_of_evidence",
    controls=(
        Slider("w_efficacy", "toe_w_weight", 0.0, 1.0, 0.1, value=W_EFFICACY, site=W_SITE, fmt="{:.1f}"),
        Choice("evidence", "toe_w_evidence", EVIDENCE, value="tolerability",
               option_label=lambda key, lang: t(f"toe_ev_{key}", lang)),
    ),
    parts=(Part(_widget_text, ("w_efficacy", "evidence")),
           Part(_widget_figure, ("w_efficacy", "evidence"), alt=_widget_alt)),
    columns=2,
)
""":func:`verdict_text` and :func:`cui_figure` from the weight of response and the strands of evidence; on the
site 6 weights x 4 strand sets = 24 states per output (48 in all)."""


# ------------------------------------------------------------------------------------------------ numbers
@lru_cache(maxsize=1)
def _numbers() -> dict[str, float | int]:
    c = destiny_counts()
    (xl, nl), (xh, nh) = c["orr"]
    (il, ml), (ih, mh) = c["ild"]
    orr_lo, orr_hi = clopper_pearson([xl, xh], [nl, nh], 0.95)
    ild_lo, ild_hi = clopper_pearson([il, ih], [ml, mh], 0.95)
    diff = rate_ni_test(xl, nl, xh, nh, 0.10, alpha=0.025)
    ild_diff = rate_ni_test(il, ml, ih, mh, 0.10, alpha=0.025)   # only its score interval is used
    pb_dl = destiny_probability_best(DL_WEIGHT)
    u_dl = _destiny_cui(np.array([DL_WEIGHT]))[0]
    s, tr, fit, tru = summary(), trial(), er_fit(), truth()
    pred = er_arm_rates()
    slope_lo, slope_hi = fit.ci_slope()
    pb = probability_best("tolerability", W_EFFICACY)
    pb_ae = probability_best("response_ae", W_EFFICACY)
    pb_er = probability_best("er_tolerability", W_EFFICACY)
    pb_hi = probability_best("response_ae", 0.8)
    d200 = rate_ni_test(int(tr.response[tr.arm == 1].sum()), N_PER_ARM, int(tr.response[tr.arm == 2].sum()),
                        N_PER_ARM, 0.15, alpha=0.025)
    tolerated = [float(d) for d, r in zip(s.doses, s.cycle1_event) if r < MTD_LIMIT]
    out: dict[str, float | int] = {
        # DESTINY-Lung02
        "toe_dl_n_low": nl, "toe_dl_n_high": nh, "toe_dl_x_low": xl, "toe_dl_x_high": xh,
        "toe_dl_orr_low": 100 * CASE.rates[0], "toe_dl_orr_high": 100 * CASE.rates[1],
        "toe_dl_orr_low_lo": 100 * orr_lo[0], "toe_dl_orr_low_hi": 100 * orr_hi[0],
        "toe_dl_orr_high_lo": 100 * orr_lo[1], "toe_dl_orr_high_hi": 100 * orr_hi[1],
        "toe_dl_orr_diff": 100 * (CASE.rates[1] - CASE.rates[0]),
        "toe_dl_diff_lo": -100 * diff.ci_upper, "toe_dl_diff_hi": -100 * diff.ci_lower,
        "toe_dl_ild_n_low": ml, "toe_dl_ild_n_high": mh, "toe_dl_ild_x_low": il, "toe_dl_ild_x_high": ih,
        "toe_dl_ild_low": 100 * CASE.safety_rates[0], "toe_dl_ild_high": 100 * CASE.safety_rates[1],
        "toe_dl_ild_low_lo": 100 * ild_lo[0], "toe_dl_ild_low_hi": 100 * ild_hi[0],
        "toe_dl_ild_high_lo": 100 * ild_lo[1], "toe_dl_ild_high_hi": 100 * ild_hi[1],
        "toe_dl_ild_diff": 100 * (CASE.safety_rates[1] - CASE.safety_rates[0]),
        "toe_dl_ild_diff_lo": -100 * ild_diff.ci_upper, "toe_dl_ild_diff_hi": -100 * ild_diff.ci_lower,
        "toe_dl_ild_ratio": CASE.safety_rates[1] / CASE.safety_rates[0],
        "toe_dl_weight_odds": destiny_breakpoint() / (1 - destiny_breakpoint()),
        "toe_dl_harm_per_benefit": (CASE.safety_rates[1] - CASE.safety_rates[0]) / (CASE.rates[1] - CASE.rates[0]),
        "toe_dl_w": DL_WEIGHT, "toe_dl_cui_low": float(u_dl[0]), "toe_dl_cui_high": float(u_dl[1]),
        "toe_dl_breakpoint": destiny_breakpoint(),
        "toe_dl_pbest_low": 100 * float(pb_dl.probability[0]), "toe_dl_draws": N_DRAWS,
        # landscape (Harvey 2023; Collins 2025)
        "toe_land_reduction": landscape.HARVEY_2023.dose_reduction_pct,
        "toe_land_interruption": landscape.HARVEY_2023.interruption_pct,
        "toe_land_discontinuation": landscape.HARVEY_2023.discontinuation_pct,
        "toe_land_n": landscape.COLLINS_2025.n_drugs, "toe_land_at_mtd": landscape.COLLINS_2025.n_at_mtd,
        # fictional trial
        "toe_n_per_arm": N_PER_ARM, "toe_seed": SEED, "toe_boot": N_BOOT, "toe_cycles": DRUG.n_cycles,
        "toe_mtd_limit": 100 * MTD_LIMIT, "toe_phase1_dose": max(tolerated) if tolerated else 0.0,
        "toe_er_slope": fit.slope, "toe_er_slope_lo": slope_lo, "toe_er_slope_hi": slope_hi,
        "toe_w_eff": W_EFFICACY, "toe_best": float(pb.best_observed),
        "toe_pbest": 100 * float(pb.probability[list(pb.doses).index(pb.best_observed)]),
        "toe_best_ae": float(pb_ae.best_observed),
        "toe_pbest_ae": 100 * float(pb_ae.probability[list(pb_ae.doses).index(pb_ae.best_observed)]),
        "toe_best_er": float(pb_er.best_observed),
        "toe_pbest_er": 100 * float(pb_er.probability[list(pb_er.doses).index(pb_er.best_observed)]),
        "toe_best_hi": float(pb_hi.best_observed),
        "toe_pbest_hi": 100 * float(pb_hi.probability[list(pb_hi.doses).index(pb_hi.best_observed)]),
        "toe_true_best": true_best("tolerability", W_EFFICACY),
        "toe_true_best_hi": true_best("response_ae", 0.8),
        "toe_w_switch_er": min(w for w in W_SITE if float(probability_best("er_tolerability", w).best_observed)
                               == s.doses[-1]),
        "toe_er200_from": min(w for w in W_SITE if float(probability_best("er_tolerability", w).best_observed)
                              == s.doses[1]),
        "toe_er200_to": max(w for w in W_SITE if float(probability_best("er_tolerability", w).best_observed)
                            == s.doses[1]),
        "toe_se_orr_max": 100 * (0.25 / N_PER_ARM) ** 0.5,
        "toe_ex3_rdi": 100 * (1 + (1 - DRUG.interruption_loss) + 4 * DRUG.reduction_levels[1]) / DRUG.n_cycles,
        "toe_diff_400_200": 100 * (s.response[2] - s.response[1]),
        "toe_diff_lo": -100 * d200.ci_upper, "toe_diff_hi": -100 * d200.ci_lower,
    }
    for j, dose in enumerate(s.doses):
        d = int(dose)
        out.update({
            f"toe_auc_{d}": float(s.auc_median[j]), f"toe_inh_{d}": float(s.inhibition[j]),
            f"toe_orr_{d}": 100 * float(s.response[j]), f"toe_orr_{d}_lo": 100 * float(s.response_lower[j]),
            f"toe_orr_{d}_hi": 100 * float(s.response_upper[j]), f"toe_orr_er_{d}": 100 * float(pred[j]),
            f"toe_c1_{d}": 100 * float(s.cycle1_event[j]), f"toe_ae_{d}": 100 * float(s.adverse_event[j]),
            f"toe_red_{d}": 100 * float(s.reduction[j]), f"toe_disc_{d}": 100 * float(s.discontinuation[j]),
            f"toe_rdi_{d}": 100 * float(s.dose_intensity[j]),
            f"toe_true_orr_{d}": 100 * float(tru.response[j]), f"toe_true_ae_{d}": 100 * float(tru.adverse_event[j]),
            f"toe_true_disc_{d}": 100 * float(tru.discontinuation[j]),
            f"toe_true_rdi_{d}": 100 * float(tru.dose_intensity[j]),
            f"toe_true_inh_{d}": float(tru.inhibition[j]),
        })
    return out


def numbers() -> dict[str, float | int]:
    """Every number the chapter's prose glues, by name (checked in ``tests/chapters/test_totality_of_evidence.py``).

    Examples
    --------
    >>> numbers()["toe_dl_x_low"], numbers()["toe_dl_x_high"]
    (50, 28)
    """
    return dict(_numbers())
