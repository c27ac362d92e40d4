"""Operating characteristics of a dose-escalation design, simulated or exact."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import check_lang, t


@dataclass(frozen=True)
class OperatingCharacteristics:
    """What a design does on a true dose-toxicity scenario.

    All arrays are indexed by dose, dose 1 first.  For simulated results the ``*_se`` attributes hold the Monte
    Carlo standard errors; for exact results (``n_trials is None``) they are zero.

    Attributes
    ----------
    design : str
        Short name of the design (e.g. "BOIN").
    true_tox : ndarray
        True DLT probability per dose.
    selection : ndarray
        Probability of selecting each dose as the MTD (over all trials; stopped trials select none).
    no_selection : float
        Probability that no dose is selected.
    patients, dlts : ndarray
        Mean number of patients treated, and of DLTs observed, at each dose.
    total_n : float
        Mean total sample size.
    stopped : float
        Probability the trial stops early for safety (the lowest dose is too toxic), selecting no dose.
    n_trials : int or None
        Number of simulated trials, or ``None`` for exact results.
    selection_se, no_selection_se, patients_se, dlts_se, total_n_se, stopped_se
        Monte Carlo standard errors.
    """

    design: str
    true_tox: np.ndarray
    selection: np.ndarray
    no_selection: float
    patients: np.ndarray
    dlts: np.ndarray
    total_n: float
    stopped: float
    n_trials: int | None = None
    selection_se: np.ndarray | None = None
    no_selection_se: float = 0.0
    patients_se: np.ndarray | None = None
    dlts_se: np.ndarray | None = None
    total_n_se: float = 0.0
    stopped_se: float = 0.0

    @classmethod
    def from_trials(cls, design: str, true_tox: np.ndarray, selected: np.ndarray, n: np.ndarray,
                    y: np.ndarray, stopped: np.ndarray) -> "OperatingCharacteristics":
        """Summarise simulated trials.

        Parameters
        ----------
        selected : int array, shape (n_trials,)
            Selected dose per trial, 1..K, or 0 for none.
        n, y : int arrays, shape (n_trials, K)
            Patients and DLTs per dose in each trial.
        stopped : bool array, shape (n_trials,)
            Whether each trial stopped early for safety.
        """
        n_trials, k = n.shape
        sel = np.stack([selected == d for d in range(1, k + 1)], axis=1).astype(float)
        none = (selected == 0).astype(float)
        tot = n.sum(axis=1).astype(float)
        stop = stopped.astype(float)
        root = np.sqrt(n_trials)

        def se(a: np.ndarray) -> np.ndarray:
            return a.std(axis=0, ddof=1) / root if n_trials > 1 else np.zeros(a.shape[1:])

        return cls(
            design=design, true_tox=np.asarray(true_tox, dtype=float), selection=sel.mean(axis=0),
            no_selection=float(none.mean()), patients=n.mean(axis=0), dlts=y.mean(axis=0),
            total_n=float(tot.mean()), stopped=float(stop.mean()), n_trials=int(n_trials),
            selection_se=se(sel), no_selection_se=float(se(none[:, None])[0]), patients_se=se(n.astype(float)),
            dlts_se=se(y.astype(float)), total_n_se=float(se(tot[:, None])[0]),
            stopped_se=float(se(stop[:, None])[0]),
        )

    @property
    def exact(self) -> bool:
        """True when these numbers were computed exactly rather than simulated."""
        return self.n_trials is None

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """A table with one column per dose: true DLT rate, selection %, mean patients and DLTs."""
        lang = check_lang(lang)
        k = self.selection.size
        cols = [f"{t('dose', lang)} {d}" for d in range(1, k + 1)]
        frame = pd.DataFrame(
            [self.true_tox, 100 * self.selection, self.patients, self.dlts],
            index=[t("oc_true_tox", lang), t("oc_selection_pct", lang), t("oc_mean_patients", lang),
                   t("oc_mean_dlts", lang)],
            columns=cols,
        )
        return frame.round(2)
