"""The widget mechanism: one declaration, a live ipywidgets layout in Jupyter and precomputed states on the site."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib import pyplot as plt

from dosecourse.chapters import load_all, style, widgets
from dosecourse.chapters.widgets import Choice, LiveWidget, Part, Slider, Toggle

CALLS: list[tuple[str, dict]] = []


@style.course_figure
def _figure(lang: str = "en", slope: float = 1.0, colour: str = "blue") -> plt.Figure:
    CALLS.append(("figure", {"slope": slope, "colour": colour}))
    fig, ax = style.new_figure(figsize=(3, 2))
    ax.plot([0, 1], [0, slope], color={"blue": style.BLUE, "red": style.VERMILLION}[colour])
    ax.set_title("劑量" if lang == "zh-tw" else "Dose")
    return fig


def _table(lang: str = "en", slope: float = 1.0, log: bool = False) -> pd.DataFrame:
    CALLS.append(("table", {"slope": slope, "log": log}))
    return pd.DataFrame({"slope": [slope], "log": [log]})


TOY = LiveWidget(
    "test_toy",
    controls=(Slider("slope", "dose", 0.0, 2.0, 0.1, value=1.0, site=(0.5, 1.0, 2.0), fmt="{:.1f}"),
              Choice("colour", "dose", ("blue", "red"), value="blue", option_label=lambda v, lang: v.upper()),
              Toggle("log", "dose", value=False)),
    parts=(Part(lambda lang, slope, colour: _figure(lang, slope, colour), ("slope", "colour"), alt="dose"),
           Part(_table, ("slope", "log"))),
)


def test_declaration_counts_states_per_part_and_knows_its_defaults():
    assert TOY.n_states == 3 * 2 + 3 * 2
    assert TOY.defaults == {"slope": 1.0, "colour": "blue", "log": False}
    keys = [k for k, _ in TOY.part_states(0)]
    assert keys == ["0_0", "0_1", "1_0", "1_1", "2_0", "2_1"]
    assert dict(TOY.part_states(1))["2_1"] == {"slope": 2.0, "log": True}


@pytest.mark.parametrize("kwargs, message", [
    (dict(parts=(Part(_table, ("slope", "nope")),)), "unknown controls"),
    (dict(parts=(Part(_table, ("slope",)),)), "change no output"),
])
def test_bad_declarations_are_refused(kwargs, message):
    controls = (Slider("slope", "dose", 0.0, 2.0, 0.1, value=1.0, site=(1.0,)), Toggle("log", "dose"))
    with pytest.raises(ValueError, match=message):
        LiveWidget("test_bad", controls=controls, **kwargs)


def test_site_grids_must_hold_the_value_and_fit_the_budget():
    with pytest.raises(ValueError, match="not one of the site values"):
        Slider("x", "dose", 0, 10, 1, value=3, site=(0, 5, 10))
    with pytest.raises(ValueError, match="strictly increasing"):
        Slider("x", "dose", 0, 10, 1, value=5, site=(5, 0))
    big = tuple(float(i) for i in range(30))
    with pytest.raises(ValueError, match="site states; the limit is"):
        LiveWidget("test_big", controls=(Slider("a", "dose", 0, 29, 1, value=0, site=big),
                                         Slider("b", "dose", 0, 29, 1, value=0, site=big)),
                   parts=(Part(lambda lang, a, b: None, ("a", "b")),))


def test_initial_values_must_be_site_values():
    assert TOY("en", slope=2.0).values["slope"] == 2.0
    with pytest.raises(ValueError, match="not one of the site values"):
        TOY("en", slope=1.3)
    with pytest.raises(TypeError, match="has no control"):
        TOY("en", size=3)


def test_jupyter_view_redraws_only_the_parts_that_depend_on_a_moved_control(monkeypatch):
    pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: shown.append(obj))
    CALLS.clear()
    box = TOY("en").ipywidget()
    assert [c[0] for c in CALLS] == ["figure", "table"]
    slider, colour, log = (child for row in box.children[:2] for child in row.children)
    assert slider.description == "Dose" and colour.options[1] == ("RED", "red")
    CALLS.clear()
    log.value = True
    assert CALLS == [("table", {"slope": 1.0, "log": True})]
    CALLS.clear()
    slider.value = 0.5
    assert [c[0] for c in CALLS] == ["figure", "table"] and CALLS[0][1]["slope"] == 0.5
    assert plt.get_fignums() == []  # every drawn figure was closed


def test_without_the_site_flag_the_view_is_an_ipywidget(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.delenv(widgets.SITE_ENV, raising=False)
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    bundle = TOY("en")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_site_html_has_labelled_keyboard_controls_and_the_default_outputs_inline(monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    page = TOY("zh-tw", colour="red")._repr_mimebundle_()["text/html"]
    assert 'data-widget="test_toy"' in page and 'data-lang="zh-tw"' in page
    for name in ("slope", "colour", "log"):
        assert f'<label for="cw-test_toy-{name}">劑量</label>' in page
    assert re.search(r'<input type="range" id="cw-test_toy-slope" data-name="slope" min="0" max="2" step="1" '
                     r'value="1"', page)
    assert '<option value="1" selected>RED</option>' in page
    assert re.search(r'data-part="0" data-depends="slope,colour" data-state="1_1"', page)
    assert re.search(r'<img class="cw-figure" src="data:image/png;base64,[A-Za-z0-9+/=]{200,}" alt="劑量">', page)
    assert 'data-part="1" data-depends="slope,log" data-state="1_0"' in page and "<table" in page
    assert 'data-target="how-to-use.html#how-to-use-local"' in page


def test_exported_states_are_what_a_fresh_call_draws(tmp_path):
    manifest = widgets.export_states(TOY, "en", tmp_path)
    figures, tables = manifest["parts"]
    assert sorted(figures["states"]) == [k for k, _ in TOY.part_states(0)]
    assert manifest == json.loads((tmp_path / "states.json").read_text(encoding="utf-8"))
    script = (tmp_path / "states.js").read_text(encoding="utf-8")
    assert script.startswith("window.courseWidgetStates") and '"test_toy/en"' in script
    for key, values in TOY.part_states(0):
        state = figures["states"][key]
        assert (tmp_path / state["img"]).stat().st_size < 40_000
        fig = TOY.render(0, "en", {**TOY.defaults, **values})
        assert widgets.figure_digest(fig)[1] == state["sha256"]
        plt.close(fig)
    assert len({s["sha256"] for s in figures["states"].values()}) == 6  # every state differs
    for key, values in TOY.part_states(1):
        assert tables["states"][key]["html"] == widgets._html(TOY.render(1, "en", values))


# ----------------------------------------------------------------------------------------- the chapters' widgets
CHAPTER_WIDGETS = {key: w for key, w in widgets.REGISTRY.items() if not key.startswith("test_")} \
    if load_all() else {}


def test_every_chapter_widget_fits_the_site_budget():
    assert CHAPTER_WIDGETS, "no chapter declares a widget"
    for key, w in CHAPTER_WIDGETS.items():
        figures = 0
        for index, part in enumerate(w.parts):
            shown = w.render(index, "en", w.defaults)
            if isinstance(shown, plt.Figure):
                figures += int(np.prod([len(w.control(d).values) for d in part.depends]))
                plt.close(shown)
        assert figures <= 64, f"{key}: {figures} figure states per language (budget 64)"
        assert w.n_states <= widgets.MAX_STATES


@pytest.mark.parametrize("key", sorted(CHAPTER_WIDGETS))
def test_every_chapter_widget_draws_its_default_state_in_both_languages(key, monkeypatch):
    monkeypatch.setenv(widgets.SITE_ENV, "1")
    for lang in ("en", "zh-tw"):
        page = CHAPTER_WIDGETS[key](lang)._repr_mimebundle_()["text/html"]
        assert page.count('class="cw-part"') == len(CHAPTER_WIDGETS[key].parts)
        assert "Traceback" not in page


def _boxes(fig):
    """Tight boxes of every Axes (with its labels), the figure legends and the suptitle, drawn."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer, for_layout_only=True) for ax in fig.axes]
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends]
    if fig._suptitle is not None:
        boxes.append(fig._suptitle.get_window_extent(renderer))
    return boxes


@pytest.mark.parametrize("key, changed", [("designs_compared", {"mtd": 1.5, "steepness": 2.0}),
                                          ("backfill", {"scenario": 7, "n_cap_backfill": 21}),
                                          ("why_dose_optimization", {"ed50": 88, "td50": 85}),
                                          ("large_molecule_antagonists", {"dose": 10.0, "tau": 42.0}),
                                          ("lower_dose_enough", {"scenario": "minus5", "margin": 0.09})])
def test_a_live_redraw_reuses_the_layout_and_draws_the_same_figure(key, changed):
    """In Jupyter a figure takes the layout of the previous one of its shape (no constrained layout at each
    redraw): the same artists and texts as the figure of the book, and no label running into another."""
    w = CHAPTER_WIDGETS[key]
    index = next(i for i, p in enumerate(w.parts) if p.alt is not None)
    values = {**w.defaults, **changed}
    for lang in ("en", "zh-tw"):
        plt.close(w.live_render(index, lang, w.defaults))             # the view's first draw
        live, book = w.live_render(index, lang, values), w.render(index, lang, values)
        assert style._texts(live) == style._texts(book)
        assert [len(ax.patches) + len(ax.lines) + len(ax.collections) for ax in live.axes] == \
            [len(ax.patches) + len(ax.lines) + len(ax.collections) for ax in book.axes]
        boxes = _boxes(live)
        for i, a in enumerate(boxes):
            for b in boxes[:i]:
                overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
                assert min(overlap) <= 0.5, f"{key} ({lang}): labels overlap by {min(overlap):.1f} px"
        plt.close(live)
        plt.close(book)
    assert plt.get_fignums() == []


def test_prepare_runs_once_before_the_first_live_redraw_and_never_for_the_site():
    """``prepare`` (work no output depends on alone, e.g. outcome trees) runs when the Jupyter view first draws,
    once per process; the site's states (``render``) never run it.  The first live redraw also freezes the objects
    alive then out of the garbage collector's full collections."""
    import gc

    runs = []
    w = LiveWidget("test_prepared", controls=(Slider("slope", "dose", 0.0, 2.0, 0.1, value=1.0, site=(1.0, 2.0)),),
                   parts=(Part(_table, ("slope",)),), prepare=lambda: runs.append(len(runs)))
    site = w.render(0, "en", w.defaults)
    assert runs == []
    first = w.live_render(0, "en", w.defaults)
    assert runs == [0] and gc.get_freeze_count() > 0
    w.live_render(0, "en", {"slope": 2.0})
    assert runs == [0]
    assert first.equals(site)
