"""Speed of the escalation designs' simulators: ``python benchmarks/bench_escalation.py``.

Scenario: true DLT probabilities (0.05, 0.15, 0.30, 0.45, 0.60), target 0.30, cohorts of 3, N = 30 (ten cohorts;
the 3+3 and accelerated titration stop by their own rules, at most 6 patients per dose).  For each design it
prints the wall time of 10,000 simulated trials (median of 3 runs after one warm-up run) and trials per second,
then the time of BOIN's exact operating characteristics for N = 30.  Targets: BOIN and keyboard under 0.1 s,
CRM under 2 s for 10,000 trials.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from dosecourse import escalation as esc

TRUE_TOX = (0.05, 0.15, 0.30, 0.45, 0.60)
TARGET = 0.30
N_TRIALS = 10_000
REPEATS = 3


def median_time(run: Callable[[], object]) -> float:
    """Median wall time of ``REPEATS`` calls of ``run``, after one untimed warm-up call."""
    run()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    k = len(TRUE_TOX)
    designs = [
        ("BOIN", esc.BOIN(TARGET, k, cohort_size=3, n_cohorts=10), 0.1),
        ("Keyboard", esc.Keyboard(TARGET, k, cohort_size=3, n_cohorts=10), 0.1),
        ("CRM (empiric, getprior(0.05, 0.30, 3, 5))",
         esc.CRM(esc.crm_skeleton(0.05, TARGET, 3, k), TARGET, cohort_size=3, n_cohorts=10), 2.0),
        ("3+3", esc.ThreePlusThree(k), None),
        ("Accelerated titration", esc.AcceleratedTitration(k), None),
    ]
    print(f"true_tox = {TRUE_TOX}, target = {TARGET}, cohorts of 3, N = 30; {N_TRIALS:,} trials, "
          f"median of {REPEATS} runs")
    print(f"{'design':<44}{'seconds':>10}{'trials/s':>14}{'target':>10}  met")
    for label, design, limit in designs:
        seconds = median_time(lambda: esc.simulate(design, TRUE_TOX, N_TRIALS, seed=2025))
        met = "-" if limit is None else ("yes" if seconds < limit else "NO")
        target = "" if limit is None else f"< {limit:g} s"
        print(f"{label:<44}{seconds:>10.4f}{N_TRIALS / seconds:>14,.0f}{target:>10}  {met}")
    boin = designs[0][1]
    seconds = median_time(lambda: boin.exact(TRUE_TOX))
    print(f"{'BOIN exact operating characteristics, N = 30':<44}{seconds:>10.4f}")


if __name__ == "__main__":
    main()
