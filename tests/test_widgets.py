"""Tests of dosecourse.widgets.live_output: redraws once at creation and once per change, displays, closes figures."""

import pandas as pd
import pytest
from matplotlib import pyplot as plt

from dosecourse.widgets import live_output

w = pytest.importorskip("ipywidgets")


@pytest.fixture
def shown(monkeypatch):
    """Record what the helper displays (outside a kernel an Output widget keeps nothing)."""
    items = []
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: items.append(obj))
    return items


def _figure(x):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, x])
    return fig


def test_redraws_once_now_and_once_per_change(shown):
    plt.close("all")
    a, b = w.IntSlider(value=1), w.Dropdown(options=["x", "y"], value="x")
    calls = []

    def render():
        calls.append((a.value, b.value))
        return _figure(a.value)

    out = live_output((a, b), render)
    assert isinstance(out, w.Output)
    assert calls == [(1, "x")]
    a.value = 2
    b.value = "y"
    a.value = 2  # not a change: no redraw
    assert calls == [(1, "x"), (2, "x"), (2, "y")]
    assert len(shown) == 3 and all(isinstance(f, plt.Figure) for f in shown)
    assert plt.get_fignums() == []  # every figure displayed was closed


def test_figure_and_frame_in_order_and_html_side_effect(shown):
    plt.close("all")
    before = len(plt.get_fignums())
    s = w.FloatSlider(value=0.5)
    text = w.HTML()
    frame = pd.DataFrame({"a": [1, 2]})

    def render():
        text.value = f"{s.value:.2f}"
        return [_figure(s.value), frame]

    live_output([s], render)
    s.value = 0.25
    assert text.value == "0.25"
    assert [type(x) for x in shown] == [plt.Figure, pd.DataFrame] * 2
    assert shown[1] is frame
    assert len(plt.get_fignums()) == before


def test_none_or_empty_shows_nothing(shown):
    s = w.IntSlider(value=0)
    live_output([s], lambda: None if s.value == 0 else [])
    s.value = 1
    assert shown == []


def test_displays_inside_the_output(monkeypatch):
    """The display happens inside the Output's context, after clear_output(wait=True)."""
    events = []
    monkeypatch.setattr(w.Output, "__enter__", lambda self: events.append("enter"))
    monkeypatch.setattr(w.Output, "__exit__", lambda self, *exc: events.append("exit"))
    monkeypatch.setattr(w.Output, "clear_output", lambda self, *a, **k: events.append(("clear", k.get("wait"))))
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: events.append(("display", obj)))
    live_output([w.IntSlider()], lambda: "item")
    assert events == ["enter", ("clear", True), ("display", "item"), "exit"]
