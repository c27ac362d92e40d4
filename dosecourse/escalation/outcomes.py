"""Outcome strings, the compact notation of the dose-finding literature.

``"1NNT 2NNN"`` means a cohort of three at dose 1 with one DLT (T) and two patients without (N), then a cohort
of three at dose 2 with none.  Efficacy-toxicity designs use E (efficacy only), T (toxicity only), B (both)
and N (neither).  Doses are numbered from 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_COHORT = re.compile(r"^(\d+)([A-Za-z]+)$")


@dataclass(frozen=True)
class Cohort:
    """One cohort: its dose (1..K) and each patient's outcome letter."""

    dose: int
    outcomes: str

    @property
    def size(self) -> int:
        return len(self.outcomes)

    @property
    def dlts(self) -> int:
        """Patients with toxicity (T or B)."""
        return sum(c in "TB" for c in self.outcomes)

    @property
    def responses(self) -> int:
        """Patients with efficacy (E or B)."""
        return sum(c in "EB" for c in self.outcomes)


def parse_outcomes(text: str, *, letters: str = "TNEB") -> list[Cohort]:
    """Split an outcome string into cohorts.

    Raises
    ------
    ValueError
        On a cohort that is not ``<dose><letters>``, a dose below 1, or a letter outside ``letters``.
    """
    if not isinstance(text, str):
        raise TypeError(f"outcomes must be a string such as '1NNT 2NNN'; got {text!r}")
    cohorts = []
    for token in text.split():
        m = _COHORT.match(token)
        if not m:
            raise ValueError(f"cannot read cohort {token!r}: expected a dose number then outcome letters, "
                             f"e.g. '2NNT'")
        dose, codes = int(m.group(1)), m.group(2).upper()
        if dose < 1:
            raise ValueError(f"doses are numbered from 1; got {token!r}")
        bad = set(codes) - set(letters)
        if bad:
            raise ValueError(f"cohort {token!r} has letters {sorted(bad)} outside {letters!r}")
        cohorts.append(Cohort(dose, codes))
    return cohorts


def tally(cohorts: list[Cohort], n_doses: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Patients, DLTs and responses per dose (arrays of length ``n_doses``, dose 1 first)."""
    n = np.zeros(n_doses, dtype=np.int64)
    y = np.zeros(n_doses, dtype=np.int64)
    r = np.zeros(n_doses, dtype=np.int64)
    for c in cohorts:
        if c.dose > n_doses:
            raise ValueError(f"cohort at dose {c.dose} but the design has {n_doses} doses")
        n[c.dose - 1] += c.size
        y[c.dose - 1] += c.dlts
        r[c.dose - 1] += c.responses
    return n, y, r
