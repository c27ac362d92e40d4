"""Redraw time of every chapter widget in Jupyter: ``python benchmarks/bench_widgets.py [--states N] [--only KEY ...]``.

A redraw is what a reader waits for after moving a control: every output of the widget computed and drawn
(``live_render`` of each part, as the Jupyter view calls it, so a figure reuses the layout of the previous figure
of its shape; then an Agg draw of each figure, as the inline backend does).  For each widget it
times ``N`` settings (default 8), drawn at random from the *live* range of each control (sliders at any step of
their Jupyter range, not only the site grid; seed 2025), each setting new to the process so that no cache of a
previous redraw helps (what no control changes, such as the outcome tree of a design's exact enumeration, is
cached as it is for a reader), and prints the median and the slowest, with the load average before and after (the
machine is shared: compare runs at similar load).  Target: every redraw under 0.2 s on the course's
2-core machine.

Before the timed settings, each widget draws its defaults once, as when its Jupyter view opens: that first redraw
runs the widget's ``prepare`` (work no control changes, such as every outcome tree of the escalation plan, done
once per process) and settles the garbage collector; its time is printed as "open s" and is not a redraw.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from dosecourse.chapters import load_all
from dosecourse.chapters.widgets import REGISTRY, Choice, LiveWidget, Slider

TARGET = 0.2
"""Seconds a redraw may take."""


def live_values(control, rng: np.random.Generator) -> list:
    """Every value the Jupyter control can take, in random order (sliders: each step of their range)."""
    if isinstance(control, Slider):
        steps = int(round((control.max - control.min) / control.step))
        values = [control.min + i * control.step for i in range(steps + 1)]
        values = [int(round(v)) for v in values] if control.integer else [float(v) for v in values]
    elif isinstance(control, Choice):
        values = list(control.options)
    else:
        values = [False, True]
    return [values[i] for i in rng.permutation(len(values))]


def redraw(widget: LiveWidget, values: dict, lang: str) -> float:
    """Seconds to compute and draw every part of ``widget`` for ``values``."""
    start = time.perf_counter()
    for index in range(len(widget.parts)):
        out = widget.live_render(index, lang, values)   # what the Jupyter view calls
        if isinstance(out, Figure):
            out.canvas.draw()
            plt.close(out)
    return time.perf_counter() - start


def settings(widget: LiveWidget, count: int, rng: np.random.Generator) -> list[dict]:
    """``count`` distinct settings of the widget's controls, none of them its defaults."""
    pools = {c.name: live_values(c, rng) for c in widget.controls}
    seen, out = {tuple(widget.defaults.values())}, []
    for i in range(50 * count):
        values = {name: pool[(i * (j + 1) + i // len(pool)) % len(pool)] for j, (name, pool) in
                  enumerate(pools.items())}
        key = tuple(values.values())
        if key not in seen:
            seen.add(key)
            out.append(values)
        if len(out) == count:
            break
    return out


def main() -> None:
    """Time every registered widget and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=8, help="settings timed per widget")
    parser.add_argument("--only", nargs="+", metavar="KEY", help="time only these widgets (registry keys)")
    args = parser.parse_args()
    load_all()
    rng = np.random.default_rng(2025)
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"{'widget':<40}{'open s':>10}{'median s':>10}{'max s':>10}  under {TARGET} s")
    slowest = 0.0
    unknown = sorted(set(args.only or ()) - set(REGISTRY))
    if unknown:
        parser.error(f"unknown widget key(s) {unknown}; known: {sorted(REGISTRY)}")
    for key, widget in sorted(REGISTRY.items()):
        timed = settings(widget, args.states, rng)   # drawn for every widget: --only times the same settings
        if args.only and key not in args.only:
            continue
        opening = redraw(widget, widget.defaults, "en")   # imports, prepare and first-use costs: the view opens
        times = [redraw(widget, values, lang) for values in timed for lang in ("en",)]
        slowest = max(slowest, max(times))
        print(f"{key:<40}{opening:>10.3f}{statistics.median(times):>10.3f}{max(times):>10.3f}  "
              f"{'yes' if max(times) < TARGET else 'NO'}")
    print(f"slowest redraw: {slowest:.3f} s")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
