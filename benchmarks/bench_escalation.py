"""Speed of the escalation designs: ``python benchmarks/bench_escalation.py``.

Scenario: true DLT probabilities (0.05, 0.15, 0.30, 0.45, 0.60), target 0.30, cohorts of 3, N = 30 (ten cohorts;
the 3+3 and accelerated titration stop by their own rules, at most 6 patients per dose).  For each design it
prints the wall time of 10,000 simulated trials (median of 3 runs after one warm-up run) and trials per second,
then the time of the exact operating characteristics of every design that enumerates its trial (the first call,
which enumerates and stores the outcome tree, and a call for another scenario, which replays it), and how the
exact CRM's time and number of merged trial states grow with the sample size (cohorts of 1 and of 3).
Targets: BOIN and keyboard under 0.1 s and CRM under 2 s for 10,000 trials; exact CRM for N = 30 in cohorts of 3
under 0.1 s.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from dosecourse import escalation as esc
from dosecourse.escalation.interval import PLANS

TRUE_TOX = (0.05, 0.15, 0.30, 0.45, 0.60)
TARGET = 0.30
N_TRIALS = 10_000
REPEATS = 3
SKELETON = esc.crm_skeleton(0.05, TARGET, 3, len(TRUE_TOX))
"""dfcrm ``getprior(0.05, 0.30, 3, 5)``: the skeleton of the Part II comparison."""
GROWTH = ((3, (12, 18, 24, 30, 36, 45)), (1, (6, 9, 12, 15, 18)))
"""(cohort size, sample sizes) of the exact CRM's growth table; N = 60 is extrapolated from its last two rows."""


def median_time(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``repeats`` calls of ``run``, after one untimed warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the simulation, exact and growth tables."""
    k = len(TRUE_TOX)
    designs = [
        ("BOIN", esc.BOIN(TARGET, k, cohort_size=3, n_cohorts=10), 0.1),
        ("Keyboard", esc.Keyboard(TARGET, k, cohort_size=3, n_cohorts=10), 0.1),
        ("mTPI-2", esc.MTPI2(TARGET, k, cohort_size=3, n_cohorts=10), 0.1),
        ("CRM (empiric, getprior(0.05, 0.30, 3, 5))", esc.CRM(SKELETON, TARGET, cohort_size=3, n_cohorts=10), 2.0),
        ("3+3", esc.ThreePlusThree(k), None),
        ("Accelerated titration", esc.AcceleratedTitration(k), None),
    ]
    print(f"true_tox = {TRUE_TOX}, target = {TARGET}, cohorts of 3, N = 30; {N_TRIALS:,} trials, "
          f"median of {REPEATS} runs")
    print(f"{'simulated':<44}{'seconds':>10}{'trials/s':>14}{'target':>10}  met")
    for label, design, limit in designs:
        seconds = median_time(lambda d=design: d.simulate(TRUE_TOX, n_trials=N_TRIALS, seed=2025))
        met = "-" if limit is None else ("yes" if seconds < limit else "NO")
        target = "" if limit is None else f"< {limit:g} s"
        print(f"{label:<44}{seconds:>10.4f}{N_TRIALS / seconds:>14,.0f}{target:>10}  {met}")
    print(f"\n{'exact':<44}{'first s':>10}{'replay s':>10}")
    other = tuple(min(p + 0.05, 0.95) for p in TRUE_TOX)
    for label, design, _ in designs:
        if design.has_exact:
            PLANS.clear()
            start = time.perf_counter()
            design.exact(TRUE_TOX)                  # enumerates the outcome tree and stores it
            first = time.perf_counter() - start
            replay = median_time(lambda d=design: d.exact(other))   # another scenario on the stored tree
            note = "   target < 0.1 s" if label.startswith("CRM") else ""
            print(f"{label:<44}{first:>10.4f}{replay:>10.4f}{note}")
    PLANS.clear()
    print("\nexact CRM: growth with N (one run each, nothing stored)")
    print(f"{'cohort size':>12}{'N':>6}{'states':>16}{'seconds':>10}")
    for size, sizes in GROWTH:
        rows = []
        for n in sizes:
            design = esc.CRM(SKELETON, TARGET, cohort_size=size, n_cohorts=n // size)
            start = time.perf_counter()
            oc = design.exact(TRUE_TOX)
            seconds = time.perf_counter() - start
            rows.append((n, oc.n_states, seconds))
            print(f"{size:>12}{n:>6}{oc.n_states:>16,}{seconds:>10.3f}")
        # beyond the table: extrapolate the growth per patient of the last two rows (states and time)
        (n0, s0, t0), (n1, s1, t1) = rows[-2:]
        per_state, per_time = (s1 / s0) ** (1 / (n1 - n0)), (t1 / t0) ** (1 / (n1 - n0))
        print(f"{size:>12}{60:>6}{s1 * per_state ** (60 - n1):>16,.0f}{t1 * per_time ** (60 - n1):>10.0f}"
              f"  extrapolated ({per_state:.2f}x states per patient): not run")


if __name__ == "__main__":
    main()
