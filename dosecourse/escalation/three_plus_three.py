"""The 3+3 design: the rule-based dose escalation that most phase I oncology trials have used.

The rule, the exact operating characteristics (by enumerating every way a trial can unfold) and the vectorised
simulation here are shared with :mod:`dosecourse.escalation.accelerated_titration`, which ends in the 3+3.

References
----------
Storer BE. Design and analysis of phase I clinical trials. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
Lin Y, Shih WJ. Statistical properties of the traditional algorithm-based designs for phase I cancer clinical
trials. Biostatistics. 2001;2(2):203-215. doi:10.1093/biostatistics/2.2.203
Le Tourneau C, Lee JJ, Siu LL. Dose escalation methods in phase I cancer clinical trials. J Natl Cancer Inst.
2009;101(10):708-720. doi:10.1093/jnci/djp079
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.stats import binom

from .. import _validate
from ..i18n import check_lang, t
from .data import NO_DOSE, TrialData
from .decision import Decision
from .design import Design
from .interval import PLANS
from .results import OperatingCharacteristics, Trials

VARIANTS: tuple[str, ...] = ("six-at-mtd", "escalation-only")
"""3+3 variants.  ``"six-at-mtd"`` (the default) is the 3+3 as protocols write it: a dose is declared the MTD only
once six patients have been treated there with at most one DLT, so the dose below a too-toxic dose (and a highest
dose cleared in three patients) is first expanded to six, going further down if it proves too toxic.
``"escalation-only"`` stops at the first too-toxic dose and declares the dose below the MTD, with the three
patients it may have (the variant whose selection probabilities have the simple closed form
:math:`e_1 \\cdots e_d (1 - e_{d+1})`, Lin & Shih 2001)."""

# Reason codes of the 3+3 rule; their label ids are "tpt_<name>" in labels/three_plus_three.toml.
_REASONS: tuple[str, ...] = ("escalate", "expand", "expand_mtd", "deescalate", "stop_below", "stop_none",
                            "stop_top", "stop_here", "expand_top")
(ESCALATE, EXPAND, EXPAND_MTD, DEESCALATE, STOP_BELOW, STOP_NONE, STOP_TOP, STOP_HERE,
 EXPAND_TOP) = range(len(_REASONS))
_ACTIONS: tuple[str, ...] = ("escalate", "stay", "stay", "de-escalate", "stop", "stop", "stop", "stop", "stay")

# step(n, y, dose) -> (next dose or 0 to stop, MTD or 0 for none, size of the next cohort, reason code), on rows
Step = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]


def _rule(n: np.ndarray, y: np.ndarray, dose: np.ndarray, six_at_mtd: bool) -> tuple[np.ndarray, ...]:
    """The 3+3 decision after a cohort, vectorised over rows of data.

    Parameters
    ----------
    n, y : int arrays, shape (rows, K)
        Patients and DLTs per dose; the current dose has 3 or 6 patients.
    dose : int array, shape (rows,)
        Current dose (1..K).
    six_at_mtd : bool
        Use the six-at-MTD variant (else escalation-only).

    Returns
    -------
    next_dose, mtd, code : int arrays, shape (rows,)
        Dose of the next cohort (0 when the trial stops), the MTD when it stops (0 for none), and the reason
        (an index into ``_REASONS``).

    Notes
    -----
    At the current dose d: 0/3 or at most 1/6 DLTs clears d (escalate; beyond the top dose, stop with the top
    dose as MTD); 1/3 adds three patients at d; 2 or more DLTs make d too toxic, and the MTD is d - 1 (none
    below dose 1).  A dose below d that was never tried is visited before it is declared the MTD.  In the
    six-at-MTD variant the declared MTD must have six patients: the dose below a too-toxic dose, if it has
    three, receives three more, becomes the MTD with at most 1/6 DLTs, and is itself too toxic otherwise; the
    highest dose, cleared with 0/3, also receives three more and is the MTD with at most 1/6.  A cleared dose
    whose next higher dose proved too toxic is the MTD (after expansion to six in the six-at-MTD variant); in
    the escalation-only variant a cleared highest dose is the MTD with three patients.
    """
    n_doses = n.shape[1]
    rows = np.arange(n.shape[0])
    d = dose - 1
    nd, yd = n[rows, d], y[rows, d]
    n_below = np.where(d > 0, n[rows, np.maximum(d - 1, 0)], -1)
    above_tried = (d < n_doses - 1) & (n[rows, np.minimum(d + 1, n_doses - 1)] > 0)
    toxic = yd >= 2
    expand = ~toxic & (yd == 1) & (nd < 6)
    cleared = ~toxic & ~expand
    short = six_at_mtd & (nd < 6)       # cleared, but too few patients to be declared the MTD
    top = d == n_doses - 1
    code = np.select(
        [toxic & (d == 0),
         toxic & ((n_below == 0) | (six_at_mtd & (n_below < 6))),
         toxic,
         expand,
         cleared & above_tried & short,
         cleared & above_tried,
         cleared & top & short,
         cleared & top],
        [STOP_NONE, DEESCALATE, STOP_BELOW, EXPAND, EXPAND_MTD, STOP_HERE, EXPAND_TOP, STOP_TOP],
        default=ESCALATE)
    move = np.array([1, 0, 0, -1, 0, 0, 0, 0, 0])[code]
    stop = np.isin(code, (STOP_BELOW, STOP_NONE, STOP_TOP, STOP_HERE))
    next_dose = np.where(stop, 0, dose + move)
    mtd = np.select([code == STOP_BELOW, code == STOP_HERE, code == STOP_TOP], [dose - 1, dose, n_doses],
                    default=0)
    return next_dose, mtd, code


def _exact_oc(name: str, true_tox: np.ndarray, start_dose: int, first_size: int,
              step: Step, key: object = None) -> OperatingCharacteristics:
    """Exact operating characteristics of a rule-based design by enumerating its decision tree.

    Each node is the data before a cohort (patients and DLTs per dose, the dose and size of the cohort); its
    children are the 0..c DLTs of that cohort, weighted by binomial probabilities.  Nodes are processed layer by
    layer in order of the number of patients treated, all nodes of a layer at once.  Data that can no longer
    change a decision of the 3+3 rules are dropped (:func:`_canonical`) and paths that reach the same node are
    merged, so each distinct situation is expanded once; patients and DLTs are accumulated as the cohorts are
    treated.  Every path ends in a stop, so the probabilities of all leaves sum to 1.

    The tree does not depend on the true DLT probabilities: with ``key`` (the design) it is built once
    (:func:`_tree`) and stored (:data:`dosecourse.escalation.interval.PLANS`), and every scenario runs the same
    products and sums over it in the same order.
    """
    tree = PLANS.get(key) if key is not None else None
    if tree is None:
        tree = _tree(true_tox.size, start_dose, first_size, step)
        if key is not None:
            PLANS.put(key, tree)
    k = true_tox.size
    selection, patients, dlts = np.zeros(k), np.zeros(k), np.zeros(k)
    none = 0.0
    done: list[np.ndarray] = []                        # p of every expansion, in order
    for sources, inverse, expansions in tree:
        weights = np.concatenate([np.ones(1) if origin < 0 else done[origin][rows] for origin, rows in sources])
        probs = np.bincount(inverse, weights=weights)
        for at, dose0, size, dl, chosen, mtd0, empty in expansions:
            p = probs[at] * binom.pmf(dl, size, true_tox[dose0])
            np.add.at(patients, dose0, p * size)
            np.add.at(dlts, dose0, p * dl)
            np.add.at(selection, mtd0, p[chosen])
            none += float(p[empty].sum())
            done.append(p)
    return OperatingCharacteristics(design=name, true_tox=true_tox.copy(), selection=selection,
                                    no_selection=none, patients=patients, dlts=dlts,
                                    total_n=float(patients.sum()), stopped=none)


def _tree(k: int, start_dose: int, first_size: int, step: Step) -> list[tuple]:
    """The decision tree that :func:`_exact_oc` walks, layer by layer (without probabilities).

    Each layer is ``(sources, inverse, expansions)``: the expansions whose surviving children make up its nodes
    (index of the expansion, -1 for the root, and the rows of its probabilities), the node of every child, and
    per number of DLTs ``dl`` of the next cohort an expansion: the nodes it applies to, their dose (0-based) and
    cohort size, ``dl``, the children that stop with an MTD and that MTD (0-based), and those that stop with none.
    """
    root = np.array([[0] * (2 * k) + [start_dose, first_size]], dtype=np.int64)
    pending: dict[int, list[tuple[np.ndarray, int, np.ndarray]]] = {0: [(root, -1, np.zeros(1, dtype=np.int64))]}
    tree, count = [], 0
    while pending:
        layer = pending.pop(min(pending))
        nodes, inverse = np.unique(np.concatenate([a for a, _, _ in layer]), axis=0, return_inverse=True)
        expansions = []
        for dl in range(int(nodes[:, -1].max()) + 1):
            at = nodes[:, -1] >= dl
            n, y = nodes[at, :k].copy(), nodes[at, k:2 * k].copy()
            dose, size = nodes[at, -2], nodes[at, -1]
            rows = np.arange(dose.size)
            n[rows, dose - 1] += size
            y[rows, dose - 1] += dl
            nxt, mtd, nsize, _ = step(n, y, dose)
            stop = nxt == 0
            chosen = stop & (mtd > 0)
            expansions.append((at, dose - 1, size, dl, chosen, mtd[chosen] - 1, stop & (mtd == 0)))
            go = ~stop
            n, y = _canonical(n[go], y[go], nxt[go])
            children = np.column_stack([n, y, nxt[go], nsize[go]])
            totals = n.sum(axis=1)
            alive = np.flatnonzero(go)
            for total in np.unique(totals):
                pending.setdefault(int(total), []).append((children[totals == total], count, alive[totals == total]))
            count += 1
        tree.append(([(origin, rows) for _, origin, rows in layer], inverse.reshape(-1), expansions))
    return tree


def _canonical(n: np.ndarray, y: np.ndarray, dose: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop data that cannot change a later 3+3 decision, given the dose of the next cohort.

    A dose below it with six patients is never treated again and can only be declared the MTD, whatever its
    DLT count; a dose above it that was tried is never treated again and only its having been tried matters.
    Both are set to a standard form (six patients, no DLT), so that equivalent situations merge.
    """
    j = np.arange(1, n.shape[1] + 1)
    done = ((j < dose[:, None]) & (n >= 6)) | ((j > dose[:, None]) & (n > 0))
    return np.where(done, 6, n), np.where(done, 0, y)


def _run_trials(true_tox: np.ndarray, u: np.ndarray, start_dose: int, first_size: int,
               step: Step) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run rule-based trials on given uniforms, vectorised across trials (the loop is over cohorts).

    Patient j of cohort m in trial i has a DLT when ``u[i, m, j] < true_tox[dose - 1]``; a cohort of size c
    uses ``u[i, m, :c]``.  ``u`` has shape (n_trials, maximum cohorts, maximum cohort size).

    Returns
    -------
    selected, n, y
        Selected dose per trial (0 for none) and patients and DLTs per dose, shape (n_trials, K).
    """
    n_trials, n_steps, width = u.shape
    n = np.zeros((n_trials, true_tox.size), dtype=np.int64)
    y = np.zeros_like(n)
    dose = np.full(n_trials, start_dose)
    size = np.full(n_trials, first_size)
    selected = np.zeros(n_trials, dtype=np.int64)
    active = np.arange(n_trials)
    for m in range(n_steps):
        d, c = dose[active], size[active]
        dl = ((u[active, m, :] < true_tox[d - 1][:, None]) & (np.arange(width) < c[:, None])).sum(axis=1)
        n[active, d - 1] += c
        y[active, d - 1] += dl
        nxt, mtd, nsize, _ = step(n[active], y[active], d)
        stop = nxt == 0
        selected[active[stop]] = mtd[stop]
        dose[active], size[active] = nxt, nsize
        active = active[~stop]
        if active.size == 0:
            return selected, n, y
    raise RuntimeError("a rule-based trial did not stop within its maximum number of cohorts")


def _decision_rows(six_at_mtd: bool, lang: str) -> list[tuple[str, str]]:
    """The 3+3 decision table as (DLTs / patients at the current dose, decision) rows, in ``lang``."""
    if six_at_mtd:
        too_toxic = t("tpt_table_deescalate", lang)
        cleared_3, cleared_6 = t("tpt_table_escalate_or_expand", lang), t("tpt_table_escalate_or_mtd", lang)
    else:
        too_toxic = t("tpt_table_stop_below", lang)
        cleared_3 = cleared_6 = t("tpt_table_escalate", lang)
    return [("0/3", cleared_3), ("1/3", t("tpt_table_expand", lang)), ("≥2/3", too_toxic),
            ("≤1/6", cleared_6), ("≥2/6", too_toxic)]


def _decision_from_codes(next_dose: int, mtd: int, code: int, current: int, n: int, dlts: int,
                        **extra) -> Decision:
    """A :class:`Decision` from the rule's outputs; ``extra`` adds fields to the reason."""
    fields = {"dose": current, "n": n, "dlts": dlts, "next": next_dose, "mtd": mtd or None, **extra}
    return Decision(_ACTIONS[code], next_dose, f"tpt_{_REASONS[code]}", fields)


class ThreePlusThree(Design):
    """The 3+3 design.

    Parameters
    ----------
    n_doses : int
        Number of dose levels K.
    start_dose : int
        Dose (1..K) of the first cohort.
    variant : {"six-at-mtd", "escalation-only"}
        "six-at-mtd" (the default) is the 3+3 as protocols write it: the declared MTD has six patients, at most
        one with a DLT, so the dose below the first too-toxic dose (and a highest dose cleared in three
        patients) is first expanded to six, going further down if it proves too toxic.  "escalation-only"
        declares the dose below the first too-toxic dose the MTD, with the three patients it may have.

    Raises
    ------
    ValueError, TypeError
        On an unknown variant or a start dose outside 1..K.

    Notes
    -----
    Cohorts of three: 0/3 DLTs escalate; 1/3 adds three patients at the same dose; 1/6 escalates; 2 or more
    DLTs in 3 or 6 make the dose too toxic.  A trial treats at most six patients per dose.  The probability of
    clearing (escalating from) a dose with DLT probability p is the same in both variants,

    .. math::

        e(p) = (1 - p)^3 + 3p(1 - p)^2 (1 - p)^3 = (1 - p)^3 + 3p(1 - p)^5,

    0.494 at p = 0.3.  The variants differ in the dose they declare.  Escalation-only: the dose below the first
    too-toxic dose, or the highest dose once cleared; from dose 1 it declares dose d < K with probability
    :math:`e_1 \\cdots e_d (1 - e_{d+1})` (Lin & Shih 2001).  Six at the MTD (the default): a dose is declared
    only with six patients and at most one DLT, which has probability :math:`b(p) = (1 - p)^6 + 6p(1 - p)^5`
    (0.420 at p = 0.3) however the six were treated; from dose 1 it declares dose d with probability
    :math:`e_1 \\cdots e_{d-1} \\, b_d \\, F_{d+1}`, where :math:`F_{K+1} = 1` and
    :math:`F_j = 1 - e_j + (1 - p_j)^3 \\, [1 - (1 - p_j)^3 - 3p_j(1 - p_j)^2] \\, F_{j+1}` is the probability
    that a trial that reaches dose j comes back below it (derived by hand in ``tests/test_three_plus_three.py``).
    :meth:`exact` enumerates every path of the trial, so its operating characteristics carry no Monte Carlo
    error.  :meth:`select` is the MTD the rule declares when the trial stops.

    References
    ----------
    Storer BE. Biometrics. 1989;45(3):925-937. doi:10.2307/2531693
    Lin Y, Shih WJ. Biostatistics. 2001;2(2):203-215. doi:10.1093/biostatistics/2.2.203
    Le Tourneau C, Lee JJ, Siu LL. J Natl Cancer Inst. 2009;101(10):708-720. doi:10.1093/jnci/djp079

    Examples
    --------
    >>> design = ThreePlusThree(n_doses=4)
    >>> print(design.next_dose("1NNN 2NNT"))
    dose 2 (1/3 DLTs at dose 2: treat 3 more patients at dose 2)
    >>> print(design.next_dose("1NNN 2NNN 3TTN"))
    dose 2 (2/3 DLTs at dose 3: too toxic; treat patients at dose 2, the dose below)
    >>> round(float(ThreePlusThree(n_doses=1).exact([0.3]).selection[0]), 4)
    0.4202
    >>> round(float(ThreePlusThree(n_doses=1, variant="escalation-only").exact([0.3]).selection[0]), 4)
    0.4943
    """

    name = "3+3"
    has_exact = True
    protocol_reference = "protocol_ref_tpt"
    first_cohort_size = 3
    cohorts_per_dose = 2  # three patients, then three more
    describe_keys = ("tpt_describe", "tpt_describe_six_at_mtd", "tpt_describe_end")
    decides_at = (3, 6)
    """Numbers of patients at the current dose after which the rule decides."""

    def __init__(self, n_doses: int, *, start_dose: int = 1, variant: str = "six-at-mtd") -> None:
        k = _validate.integer(n_doses, "n_doses", minimum=1, maximum=_validate.MAX_DOSES)
        super().__init__(k, cohort_size=3, n_cohorts=self.cohorts_per_dose * k, start_dose=start_dose)
        self.variant = _validate.one_of(variant, "variant", VARIANTS)

    def _step(self, n: np.ndarray, y: np.ndarray, dose: np.ndarray) -> tuple[np.ndarray, ...]:
        next_dose, mtd, code = _rule(n, y, dose, self.variant == "six-at-mtd")
        return next_dose, mtd, np.full_like(next_dose, 3), code

    def _decide(self, data: TrialData) -> tuple[int, int, int, int]:
        """(next dose, MTD, next cohort size, reason code) after ``data``, checking the rule can decide."""
        current = data.current
        nd = int(data.n[current - 1])
        if nd not in self.decides_at:
            raise ValueError(f"data: {self.name} decides after {', '.join(map(str, self.decides_at))} patients at "
                             f"the current dose; got n={nd} at dose {current}")
        return tuple(int(a[0]) for a in self._step(data.n[None, :], data.y[None, :], np.array([current])))

    def _next_dose(self, data: TrialData) -> Decision:
        """The decision after a cohort (the counts determine the rule; ``last_cohort`` is not needed).

        Raises
        ------
        ValueError
            Unless the current dose has 3 or 6 patients.
        """
        nxt, mtd, _, code = self._decide(data)
        current = data.current
        return _decision_from_codes(nxt, mtd, code, current, int(data.n[current - 1]),
                                    int(data.y[current - 1]))

    def _select(self, data: TrialData) -> int:
        """The MTD the rule declares when it stops on ``data``.

        Raises
        ------
        ValueError
            If the rule does not stop on these data (the trial is not over).
        """
        if data.current == NO_DOSE:
            raise ValueError("data: the trial has not started; there is no MTD to select")
        nxt, mtd, _, _ = self._decide(data)
        if nxt != NO_DOSE:
            raise ValueError(f"data: the trial is not over (the next cohort goes to dose {nxt}); {self.name} "
                             f"declares its MTD when it stops")
        return mtd

    def decision_table(self, max_n: int | None = None, *, lang: str = "en") -> pd.DataFrame:
        """The 3+3 rule as a table (DLTs / patients at the current dose -> decision).

        ``max_n`` exists for the common interface; the 3+3 decides only at 3 and 6 patients, so it must be
        ``None`` or 6.

        Parameters
        ----------
        max_n : {None, 6}
            Must be None or 6 (the table is the same).
        lang : {"en", "zh-tw"}
            Language of the table (default ``"en"``).

        Returns
        -------
        pandas.DataFrame
            Two columns: the outcome (DLTs / patients at the current dose) and the decision.

        Raises
        ------
        ValueError
            If ``max_n`` is neither None nor 6.
        """
        lang = check_lang(lang)
        if max_n not in (None, 6):
            raise ValueError(f"max_n: the 3+3 decides only at 3 and 6 patients; max_n must be None or 6, got "
                             f"{max_n!r}")
        rows = self._table_rows(lang)
        return pd.DataFrame(rows, columns=[t("tpt_col_outcome", lang), t("tpt_col_decision", lang)])

    def _table_rows(self, lang: str) -> list[tuple[str, str]]:
        return _decision_rows(self.variant == "six-at-mtd", lang)

    def describe(self, lang: str = "en") -> str:
        """The rules in protocol language.

        Parameters
        ----------
        lang : {"en", "zh-tw"}
            Language of the text (default ``"en"``).

        Returns
        -------
        str
        """
        lang = check_lang(lang)
        sections = self._protocol_sections(lang)
        return ("" if lang == "zh-tw" else " ").join(sections["rule"] + sections["stopping"])

    def _protocol_sections(self, lang: str) -> dict[str, list[str]]:
        """The texts of :meth:`describe` by section, and the MTD the rule declares."""
        intro, six_at_mtd, end = self.describe_keys
        variant = six_at_mtd if self.variant == "six-at-mtd" else "tpt_describe_stop_below"
        return {"rule": [t(intro, lang, k=self.n_doses, start=self.start_dose)],
                "stopping": [t(variant, lang), t(end, lang, max_n=self.max_n)],
                "selection": [t(f"protocol_tpt_selection_{self.variant.replace('-', '_')}", lang)]}

    def _exact(self, true_tox: np.ndarray, **truth) -> OperatingCharacteristics:
        """Exact operating characteristics (no Monte Carlo error) by enumerating every path of the trial."""
        return _exact_oc(self.name, true_tox, self.start_dose, self.first_cohort_size, self._step, key=self)

    def _trials(self, true_tox: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Trials on given uniforms of shape (n_trials, n_cohorts, 3); see :func:`_run_trials`."""
        return _run_trials(true_tox, u, self.start_dose, self.first_cohort_size, self._step)

    def _simulate(self, true_tox: np.ndarray, n_trials: int, rng: np.random.Generator, seed: int | None,
                  **truth) -> Trials:
        selected, n, y = self._trials(true_tox, rng.random((n_trials, self.n_cohorts, 3)))
        return Trials(self.name, true_tox, selected, n, y, selected == NO_DOSE, seed)
