"""Speed of the Part III ("Register") science: ``python benchmarks/bench_register.py``.

* a virtual population of 10,000 patients (pembrolizumab, Ahamadi 2017, two compartments) with concentrations
  every day over 24 weeks of 200 mg Q3W: target under 1 s;
* the exact type I error of the naive pooled seamless test for K = 1..6 doses at t = 0.5: under 50 ms each;
* the simulated type I error of the naive test, 100,000 trials, K = 6: under 2 s.

Each time is the best of 3 runs after one warm-up run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from dosecourse import poppk
from dosecourse import seamless as sm


def best_time(run: Callable[[], object], repeats: int = 3) -> float:
    """Best wall time of ``repeats`` calls of ``run``, after one untimed warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print each measurement with its target."""
    model = poppk.published_model("pembrolizumab_ahamadi2017")
    regimen = poppk.Regimen.repeated(200.0, 21.0, 8, route="infusion", duration=0.5 / 24)
    days = np.arange(0.0, 24 * 7 + 1.0)

    def population() -> np.ndarray:
        pop = poppk.simulate_population(model, 10_000, seed=2025)
        return poppk.concentrations(pop.parameters, regimen, days)

    rows = [("virtual population, 10,000 x 169 days", best_time(population), 1.0)]
    for k in range(1, 7):
        rows.append((f"exact naive type I error, K = {k}", best_time(lambda k=k: sm.naive_fwer(k, 0.5)), 0.05))
    design = sm.SeamlessDesign(6, 0.5, 100)
    rows.append(("simulated naive type I error, K = 6, 100,000 trials",
                 best_time(lambda: sm.simulate_operating_characteristics(design, methods=("naive",),
                                                                          n_trials=100_000), repeats=2), 2.0))
    print(f"{'measurement':<54}{'seconds':>10}{'target':>10}  met")
    for label, seconds, target in rows:
        print(f"{label:<54}{seconds:>10.4f}{target:>10g}  {'yes' if seconds < target else 'NO'}")


if __name__ == "__main__":
    main()
