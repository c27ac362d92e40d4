"""Shared plumbing of the course widgets: controls in, a redrawn output area out.

Every chapter widget builds its own controls and layout; :func:`live_output` does the part they all share,
redrawing an :class:`ipywidgets.Output` whenever a control's value changes.  ipywidgets and IPython are imported
inside the function, so that ``import dosecourse`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ipywidgets


def live_output(controls: Iterable[ipywidgets.ValueWidget], render: Callable[[], Any]) -> ipywidgets.Output:
    """Redraw ``render()`` into an Output whenever any control's value changes (and once now).

    Each redraw calls ``render()`` (outside the output area, so an error propagates as before), then, inside the
    area, clears it (``clear_output(wait=True)``, so the old view stays until the new one arrives), displays each
    item returned and closes every matplotlib figure among them, so that figures do not pile up in pyplot.
    ``render`` may update other widgets (a summary ``HTML`` line, a control's ``disabled`` flag) before returning.

    Parameters
    ----------
    controls : iterable of ipywidgets widgets
        The controls to watch; a change of any one's ``value`` redraws.
    render : callable
        Called with no arguments; returns what to show: one displayable (a matplotlib Figure, a pandas
        DataFrame, ...), a list or tuple of displayables shown in order, or None (or an empty list) to show
        nothing.

    Returns
    -------
    ipywidgets.Output
        The output area, already drawn once, to place in the widget's layout.
    """
    import ipywidgets as w
    from IPython.display import display
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    out = w.Output()

    def redraw(_change: object = None) -> None:
        shown = render()
        items = [] if shown is None else list(shown) if isinstance(shown, (list, tuple)) else [shown]
        with out:
            out.clear_output(wait=True)
            for item in items:
                display(item)
        for item in items:
            if isinstance(item, Figure):
                plt.close(item)

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return out
