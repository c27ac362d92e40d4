"""Make the data sets on which tests/test_boin_comb.py compares BOINComb with R BOIN 2.7.2 (run once; the R
results are then computed by boin_comb_r.R).  Trials are walked with BOINComb itself on random true grids, and every
intermediate state (n, y, current) is kept, so the cases are the states real trials pass through (ties, elimination,
early stopping, the edges of the grid); the final states are the selection cases."""

import json
from pathlib import Path

import numpy as np

from dosecourse.escalation.boin_comb import BOINComb

VARIANTS = [
    dict(target=0.3, n_doses=(3, 5), n_cohorts=20),
    dict(target=0.25, n_doses=(3, 4), n_cohorts=16, n_earlystop=12),
    dict(target=0.3, n_doses=(2, 4), n_cohorts=12, extrasafe=True),
    dict(target=0.2, n_doses=(4, 5), n_cohorts=20, p_saf=0.1, p_tox=0.3),
    dict(target=0.33, n_doses=(3, 3), n_cohorts=10, cohort_size=2, cutoff_eli=0.9, n_earlystop=9),
]


def main() -> None:
    rng = np.random.default_rng(20261203)
    cases = []
    for v, settings in enumerate(VARIANTS):
        design = BOINComb(**settings)
        rows, cols = design.n_doses
        for _trial in range(12):
            base = rng.uniform(0.01, 0.6) * rng.uniform(0.2, 1.0)
            grid = np.clip(base * np.exp(np.add.outer(np.arange(rows) * rng.uniform(0.1, 0.8),
                                                      np.arange(cols) * rng.uniform(0.1, 0.8))), 0.01, 0.95)
            n = np.zeros((rows, cols), dtype=int)
            y = np.zeros((rows, cols), dtype=int)
            dose = design.start_dose
            for _ in range(design.n_cohorts):
                a, b = dose[0] - 1, dose[1] - 1
                n[a, b] += design.cohort_size
                y[a, b] += rng.binomial(design.cohort_size, grid[a, b])
                cases.append(dict(variant=v, kind="next", n=n.tolist(), y=y.tolist(), current=list(dose)))
                dose = design.next_dose(n, y, dose, seed=rng)
                if dose is None:
                    break
            cases.append(dict(variant=v, kind="select", n=n.tolist(), y=y.tolist()))
        for _trial in range(40):                 # further final states, for the MTD selection only
            grid = np.clip(rng.uniform(0.02, 0.5) * np.exp(np.add.outer(np.arange(rows) * rng.uniform(0.1, 0.9),
                                                                        np.arange(cols) * rng.uniform(0.1, 0.9))),
                           0.01, 0.95)
            n = np.zeros((rows, cols), dtype=int)
            y = np.zeros((rows, cols), dtype=int)
            dose = design.start_dose
            for _ in range(design.n_cohorts):
                a, b = dose[0] - 1, dose[1] - 1
                n[a, b] += design.cohort_size
                y[a, b] += rng.binomial(design.cohort_size, grid[a, b])
                dose = design.next_dose(n, y, dose, seed=rng)
                if dose is None:
                    break
            cases.append(dict(variant=v, kind="select", n=n.tolist(), y=y.tolist()))
        for _ in range(10):                     # arbitrary data, not from a trial
            n = rng.integers(0, 10, size=(rows, cols)) * rng.integers(0, 2, size=(rows, cols))
            n[0, 0] = max(n[0, 0], 1)
            y = rng.binomial(n, rng.uniform(0.05, 0.6))
            cases.append(dict(variant=v, kind="select", n=n.tolist(), y=y.tolist()))
    out = dict(variants=[{k: list(x) if isinstance(x, tuple) else x for k, x in s.items()} for s in VARIANTS],
               cases=cases)
    Path(__file__).with_name("boin_comb_cases.json").write_text(json.dumps(out))
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
