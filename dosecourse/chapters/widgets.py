"""Widgets that are live in Jupyter and on the static site, from one declaration.

A chapter declares each widget once, as a :class:`LiveWidget`: its controls (:class:`Slider`, :class:`Choice`,
:class:`Toggle`) and its outputs (:class:`Part`: a function that draws a figure, or returns a table or text,
from the values of the controls it depends on).  The same declaration gives

* in Jupyter, an ipywidgets layout whose outputs redraw when a control moves (only the parts that depend on
  it), and
* on the website, ordinary HTML controls (a range input, a select, radio buttons, a checkbox; labelled in the
  page's language and keyboard operable) that swap in outputs precomputed by the book build for every setting on
  the grid each control declares for the site (``Slider.site``), so the page responds with no kernel, no
  server and no network.

The build (``tools/build_book.py``) executes the notebooks with the environment variable :data:`SITE_ENV`
set; a widget then renders as that HTML, with its default outputs inline (so the page teaches without
JavaScript), and :func:`export_states` writes every other state as static files (palette PNG figures, a script
with the tables and texts) that ``book/_static/course-widgets.js`` swaps in.  Nothing per widget is written in
JavaScript.  Every state is computed by the same functions, with the same seeds, as the live widget.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import html
import io
import itertools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import _validate
from ..i18n import check_lang, t

SITE_ENV = "DOSECOURSE_SITE"
"""Environment variable the book build sets while it executes notebooks: widgets then render as site HTML."""

SITE_DPI = 96
"""Resolution of the precomputed state images (the inline default uses the figure's own resolution)."""

PNG_COLOURS = 96
"""Colours of the palette the state images are reduced to: line and bar charts on a white background need few,
and a palette PNG of a course figure is 10-20 kB (smaller than lossy WebP at a quality that keeps text sharp)."""

MAX_STATES = 400
"""Largest number of precomputed states a widget may declare (all parts together)."""

REGISTRY: dict[str, LiveWidget] = {}
"""Every declared widget, by key."""

_PREPARED: set[str] = set()
"""Keys of the widgets whose ``prepare`` has run in this process."""


# ------------------------------------------------------------------------------------------------ controls
@dataclass(frozen=True)
class Slider:
    """A numeric slider.

    Parameters
    ----------
    name : str
        Argument name the parts receive.
    label : str
        Label id of its description (:func:`dosecourse.i18n.t`).
    min, max, step : float
        Range and step of the live (Jupyter) slider.
    value : float
        Initial value.
    site : sequence of float
        The values precomputed for the website, increasing, within ``[min, max]``, including ``value``.
    fmt : str
        Format of the readout, e.g. ``"{:.2f}"``.
    """

    name: str
    label: str
    min: float
    max: float
    step: float
    value: float
    site: tuple[float, ...]
    fmt: str = "{:g}"

    def __post_init__(self) -> None:
        _validate.text(self.name, "name")
        lo = _validate.number(self.min, "min")
        hi = _validate.number(self.max, "max", minimum=lo, strict_minimum=True)
        _validate.positive(self.step, "step")
        site = _validate.real_array(self.site, "site", ndim=1, nonempty=True, minimum=lo, maximum=hi,
                                    increasing=True)
        object.__setattr__(self, "site", tuple(float(v) for v in site))
        self.index(self.value)

    @property
    def integer(self) -> bool:
        """Whether every value is a whole number (an integer slider)."""
        return all(float(v).is_integer() for v in (self.min, self.max, self.step, self.value, *self.site))

    @property
    def values(self) -> tuple[Any, ...]:
        """The site values (ints for an integer slider)."""
        return tuple(int(v) for v in self.site) if self.integer else self.site

    def index(self, value: Any) -> int:
        """Position of ``value`` on the site grid.

        Parameters
        ----------
        value : float
            A value of :attr:`site` (matched to a relative tolerance of 1e-9).

        Returns
        -------
        int
            Its 0-based position in :attr:`site`.

        Raises
        ------
        ValueError
            If ``value`` is not one of the site values.
        """
        for i, v in enumerate(self.site):
            if abs(v - float(value)) <= 1e-9 * max(1.0, abs(v)):
                return i
        raise ValueError(f"{self.name}: {value!r} is not one of the site values {self.site}")

    def shown(self, value: Any, lang: str) -> str:
        """The readout of ``value``.

        Parameters
        ----------
        value : float
            The slider's value.
        lang : str
            Language code; unused (the readout, ``fmt.format(value)``, is the same in every language), taken for
            the interface every control shares.

        Returns
        -------
        str
        """
        return self.fmt.format(value)


@dataclass(frozen=True)
class Choice:
    """A choice among options: a dropdown, or radio buttons when ``buttons``.

    Parameters
    ----------
    name : str
        Argument name the parts receive.
    label : str
        Label id of its description.
    options : sequence
        The values to choose from (all are precomputed for the website).
    value : object
        Initial value, one of ``options``.
    option_label : callable, optional
        ``option_label(value, lang) -> str``, the text of an option; ``str(value)`` by default.
    buttons : bool
        Show the options as radio buttons instead of a dropdown.
    """

    name: str
    label: str
    options: tuple[Any, ...]
    value: Any
    option_label: Callable[[Any, str], str] | None = None
    buttons: bool = False

    def __post_init__(self) -> None:
        _validate.text(self.name, "name")
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options:
            raise ValueError(f"{self.name}: options must not be empty")
        self.index(self.value)

    @property
    def values(self) -> tuple[Any, ...]:
        """The options."""
        return self.options

    def index(self, value: Any) -> int:
        """Position of ``value`` among the options.

        Parameters
        ----------
        value : object
            One of :attr:`options` (compared with ``==``).

        Returns
        -------
        int
            Its 0-based position in :attr:`options`.

        Raises
        ------
        ValueError
            If ``value`` is not one of the options.
        """
        for i, v in enumerate(self.options):
            if v == value:
                return i
        raise ValueError(f"{self.name}: {value!r} is not one of the options {self.options}")

    def shown(self, value: Any, lang: str) -> str:
        """The text of option ``value``.

        Parameters
        ----------
        value : object
            One of :attr:`options`.
        lang : {"en", "zh-tw"}
            Language of the text, passed to ``option_label``.

        Returns
        -------
        str
            ``option_label(value, lang)``, or ``str(value)`` without an ``option_label``.
        """
        return self.option_label(value, lang) if self.option_label else str(value)


@dataclass(frozen=True)
class Toggle:
    """A checkbox.

    Parameters
    ----------
    name : str
        Argument name the parts receive.
    label : str
        Label id of its description.
    value : bool
        Initial state.
    """

    name: str
    label: str
    value: bool = False

    @property
    def values(self) -> tuple[bool, bool]:
        """False, then True."""
        return (False, True)

    def index(self, value: Any) -> int:
        """0 for False, 1 for True.

        Parameters
        ----------
        value : bool
            The state, True or False (not 0, 1 or a string).

        Returns
        -------
        int

        Raises
        ------
        TypeError
            If ``value`` is not a bool.
        """
        return int(_validate.boolean(value, self.name))

    def shown(self, value: Any, lang: str) -> str:
        """The state in words.

        Parameters
        ----------
        value : bool
            The state.
        lang : {"en", "zh-tw"}
            Language of the words.

        Returns
        -------
        str
            The label ``cw_on`` or ``cw_off`` in ``lang``.
        """
        return t("cw_on" if value else "cw_off", lang)


Control = Slider | Choice | Toggle


@dataclass(frozen=True)
class Part:
    """One output of a widget.

    Parameters
    ----------
    render : callable
        ``render(lang=..., **values)`` with the values of the controls in ``depends``; returns a matplotlib
        Figure, a pandas DataFrame, an :class:`IPython.display.HTML`, a plain string (shown preformatted) or None.
    depends : tuple of str
        Names of the controls it reads; it is redrawn only when one of them moves.
    alt : str or callable, optional
        The alt text of a figure: a label id, formatted with the shown value of each control (``{name}``), or
        ``alt(lang, values) -> str`` for a text that states the figure's numbers.
    """

    render: Callable[..., Any]
    depends: tuple[str, ...]
    alt: str | Callable[[str, Mapping[str, Any]], str] | None = None


# ------------------------------------------------------------------------------------------------ the widget
@dataclass(frozen=True, eq=False)
class LiveWidget:
    """A widget declared once for Jupyter and the static site.

    Parameters
    ----------
    key : str
        Unique id, ``"<chapter module>"`` or ``"<chapter module>.<name>"`` (ASCII, no spaces).
    controls : sequence of Slider, Choice or Toggle
        The controls, in the order they are laid out.
    parts : sequence of Part
        The outputs, in the order they are laid out below the controls.
    columns : int
        Controls per row (default 2).
    prepare : callable, optional
        ``prepare() -> None``: work that every live redraw would otherwise pay on a first visit although no
        result depends on it alone (e.g. the outcome trees of exact enumerations for every start dose a slider
        offers), done once per process before the first live redraw (:meth:`live_render`), that is when the
        Jupyter view is built.  It must not change any output.
    _by_name : dict
        Internal: the controls by name, filled in ``__post_init__``; do not pass it.

    Raises
    ------
    ValueError
        If ``key`` is empty or holds a space, control names repeat, a part depends on an unknown control, a
        control changes no output, or the widget has more than :data:`MAX_STATES` site states.

    Notes
    -----
    Call the widget to show it: ``chapter.widget(lang="zh-tw", scenario=3)`` returns a view that is an
    ipywidgets layout in Jupyter and site HTML during the book build.  Initial values given in the call must lie
    on the site grid.
    """

    key: str
    controls: tuple[Control, ...]
    parts: tuple[Part, ...]
    columns: int = 2
    prepare: Callable[[], None] | None = None
    _by_name: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key or any(c.isspace() for c in self.key):
            raise ValueError(f"key must be a non-empty ASCII id; got {self.key!r}")
        object.__setattr__(self, "controls", tuple(self.controls))
        object.__setattr__(self, "parts", tuple(self.parts))
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.key}: control names repeat: {names}")
        self._by_name.update({c.name: c for c in self.controls})
        for part in self.parts:
            unknown = set(part.depends) - set(names)
            if unknown:
                raise ValueError(f"{self.key}: a part depends on unknown controls {sorted(unknown)}")
        unused = set(names) - {d for p in self.parts for d in p.depends}
        if unused:
            raise ValueError(f"{self.key}: controls {sorted(unused)} change no output")
        if self.n_states > MAX_STATES:
            raise ValueError(f"{self.key}: {self.n_states} site states; the limit is {MAX_STATES} (coarsen a "
                             f"control's site grid)")
        REGISTRY[self.key] = self  # a module reloaded in Jupyter declares its widgets again

    def control(self, name: str) -> Control:
        """The control called ``name``.

        Parameters
        ----------
        name : str
            Name of one of the widget's controls.

        Returns
        -------
        Slider, Choice or Toggle

        Raises
        ------
        ValueError
            If the widget has no control ``name``.
        """
        return self._by_name[_validate.one_of(name, "name", list(self._by_name))]

    @property
    def defaults(self) -> dict[str, Any]:
        """The initial value of every control."""
        return {c.name: c.value for c in self.controls}

    @property
    def n_states(self) -> int:
        """Number of precomputed outputs (all parts together)."""
        return sum(int(np.prod([len(self._by_name[d].values) for d in p.depends])) for p in self.parts)

    def part_states(self, index: int) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every site state of part ``index``: its key (positions on the grids, ``"1_0_3"``) and values.

        Parameters
        ----------
        index : int
            Position of the part in :attr:`parts` (0-based).

        Yields
        ------
        key : str
            Positions of the values on the site grids of the part's controls, in the order of ``depends``, joined
            by ``_`` (``"0"`` for a part that depends on no control).
        values : dict
            ``{control name: value}`` for the controls the part depends on.
        """
        part = self.parts[index]
        grids = [self._by_name[d].values for d in part.depends]
        for combo in itertools.product(*(range(len(g)) for g in grids)):
            values = {d: grids[j][i] for j, (d, i) in enumerate(zip(part.depends, combo))}
            yield "_".join(map(str, combo)) or "0", values

    def values(self, **initial: Any) -> dict[str, Any]:
        """The defaults with ``initial`` values, each checked to be a control's site value.

        Parameters
        ----------
        **initial
            ``name=value`` for some controls; each value must be on its control's site grid.

        Returns
        -------
        dict
            ``{control name: value}`` for every control (site values; ints for an integer slider).

        Raises
        ------
        TypeError
            If a name is not one of the controls.
        ValueError
            If a value is not on its control's site grid.
        """
        unknown = set(initial) - set(self._by_name)
        if unknown:
            raise TypeError(f"{self.key} has no control {sorted(unknown)}; its controls are {list(self._by_name)}")
        values = {**self.defaults, **initial}
        for name, value in values.items():
            control = self._by_name[name]
            value = control.values[control.index(value)]
            values[name] = value
        return values

    def render(self, index: int, lang: str, values: Mapping[str, Any]) -> Any:
        """Output of part ``index`` for ``values`` (only the part's own controls are passed).

        Parameters
        ----------
        index : int
            Position of the part in :attr:`parts` (0-based).
        lang : {"en", "zh-tw"}
            Language passed to the part's ``render``.
        values : mapping
            ``{control name: value}``, holding at least the controls the part depends on.

        Returns
        -------
        object
            What the part's ``render`` returns: a Figure, a DataFrame, HTML, a string or None.
        """
        part = self.parts[index]
        return part.render(lang=lang, **{d: values[d] for d in part.depends})

    def live_render(self, index: int, lang: str, values: Mapping[str, Any]) -> Any:
        """:meth:`render` as a Jupyter redraw does it: a figure reuses the layout of the part's previous figure of the
        same shape (:func:`dosecourse.chapters.style.live_layout`), so that moving a control redraws quickly; the
        first live redraw of a widget in a process runs its ``prepare`` first, then :func:`_settle`.

        Parameters
        ----------
        index : int
            Position of the part in :attr:`parts` (0-based).
        lang : {"en", "zh-tw"}
            Language passed to the part's ``render``.
        values : mapping
            ``{control name: value}``, holding at least the controls the part depends on.

        Returns
        -------
        object
            What :meth:`render` returns, with the same numbers and artists.
        """
        from .style import live_layout

        if self.key not in _PREPARED:
            if self.prepare is not None:
                self.prepare()
            _settle()
            _PREPARED.add(self.key)
        with live_layout():
            return self.render(index, lang, values)

    def alt_text(self, index: int, lang: str, values: Mapping[str, Any]) -> str:
        """Alt text of part ``index``'s figure for ``values``.

        Parameters
        ----------
        index : int
            Position of the part in :attr:`parts` (0-based).
        lang : {"en", "zh-tw"}
            Language of the text.
        values : mapping
            ``{control name: value}`` for every control.

        Returns
        -------
        str
            The part's ``alt(lang, values)`` when it is callable, its label id formatted with the shown value of
            each control when it is a string, otherwise "label: value" for every control.
        """
        part = self.parts[index]
        if callable(part.alt):
            return part.alt(lang, {d: values[d] for d in part.depends})
        shown = {c.name: c.shown(values[c.name], lang) for c in self.controls}
        if part.alt:
            return t(part.alt, lang, **shown)
        return "; ".join(f"{t(c.label, lang)}: {shown[c.name]}" for c in self.controls)

    def __call__(self, lang: str = "en", **initial: Any) -> WidgetView:
        """The widget in ``lang`` with some controls set; displays as ipywidgets, or as site HTML in a build."""
        return WidgetView(self, check_lang(lang), self.values(**initial))


class WidgetView:
    """A widget in one language with its initial values, ready to display (see :class:`LiveWidget`).

    Parameters
    ----------
    widget : LiveWidget
        The widget shown.
    lang : {"en", "zh-tw"}
        Language of the view (already normalised by :func:`dosecourse.i18n.check_lang`).
    values : dict
        ``{control name: value}`` for every control, from :meth:`LiveWidget.values`.
    """

    def __init__(self, widget: LiveWidget, lang: str, values: dict[str, Any]) -> None:
        self.widget, self.lang, self.values = widget, lang, values

    def __repr__(self) -> str:
        return f"<{self.widget.key} widget ({self.lang}): {self.values}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        if os.environ.get(SITE_ENV):
            return {"text/html": self.site_html(), "text/plain": repr(self)}
        return self.ipywidget()._repr_mimebundle_(include=include, exclude=exclude)

    # -------------------------------------------------------------------------------------------- Jupyter
    def ipywidget(self) -> Any:
        """The live ipywidgets layout: controls, then one output area per part."""
        import ipywidgets as w
        from IPython.display import display
        from matplotlib import pyplot as plt
        from matplotlib.figure import Figure

        lang, values = self.lang, dict(self.values)
        style = {"description_width": "initial"}
        boxes = {}
        for c in self.widget.controls:
            label = t(c.label, lang)
            if isinstance(c, Slider):
                kind = w.IntSlider if c.integer else w.FloatSlider
                cast = int if c.integer else float
                boxes[c.name] = kind(value=cast(values[c.name]), min=cast(c.min), max=cast(c.max),
                                     step=cast(c.step), description=label, continuous_update=False, style=style,
                                     readout_format="d" if c.integer else _readout(c.fmt),
                                     layout=w.Layout(width="24em"))
            elif isinstance(c, Choice):
                options = [(c.shown(v, lang), v) for v in c.options]
                kind = w.ToggleButtons if c.buttons else w.Dropdown
                boxes[c.name] = kind(options=options, value=values[c.name], description=label, style=style)
            else:
                boxes[c.name] = w.Checkbox(value=bool(values[c.name]), description=label, indent=False)
        outputs = [w.Output() for _ in self.widget.parts]

        def draw(index: int) -> None:
            shown = self.widget.live_render(index, lang, values)
            with outputs[index]:
                outputs[index].clear_output(wait=True)
                if isinstance(shown, str):
                    print(shown)
                elif shown is not None:
                    display(shown)
            if isinstance(shown, Figure):
                plt.close(shown)

        def changed(change: dict) -> None:
            name = change["owner"]._course_name
            values[name] = change["new"]
            for index, part in enumerate(self.widget.parts):
                if name in part.depends:
                    draw(index)

        for name, box in boxes.items():
            box._course_name = name
            box.observe(changed, names="value")
        for index in range(len(self.widget.parts)):
            draw(index)
        controls = list(boxes.values())
        rows = [w.HBox(controls[i:i + self.widget.columns])
                for i in range(0, len(controls), self.widget.columns)]
        return w.VBox([*rows, *outputs])

    # -------------------------------------------------------------------------------------------- site
    def site_html(self) -> str:
        """The widget as static HTML: controls, a hint, and the default outputs inline."""
        wid, lang = self.widget, self.lang
        uid = f"cw-{wid.key.replace('.', '-')}"
        controls = []
        for c in wid.controls:
            cid = f"{uid}-{c.name}"
            label = html.escape(t(c.label, lang))
            at = c.index(self.values[c.name])
            if isinstance(c, Slider):
                shown = [c.shown(v, lang) for v in c.values]
                controls.append(
                    f'<div class="cw-control cw-slider"><label for="{cid}">{label}</label>'
                    f'<input type="range" id="{cid}" data-name="{c.name}" min="0" max="{len(shown) - 1}" step="1" '
                    f'value="{at}" aria-valuetext="{html.escape(shown[at])}" '
                    f"data-shown='{html.escape(json.dumps(shown, ensure_ascii=False))}'>"
                    f'<output for="{cid}">{html.escape(shown[at])}</output></div>')
            elif isinstance(c, Choice) and c.buttons:
                radios = "".join(
                    f'<label class="cw-radio"><input type="radio" name="{cid}" data-name="{c.name}" value="{i}"'
                    f'{" checked" if i == at else ""}>{html.escape(c.shown(v, lang))}</label>'
                    for i, v in enumerate(c.options))
                controls.append(f'<fieldset class="cw-control cw-buttons"><legend>{label}</legend>{radios}'
                                f'</fieldset>')
            elif isinstance(c, Choice):
                options = "".join(f'<option value="{i}"{" selected" if i == at else ""}>'
                                  f'{html.escape(c.shown(v, lang))}</option>' for i, v in enumerate(c.options))
                controls.append(f'<div class="cw-control cw-select"><label for="{cid}">{label}</label>'
                                f'<select id="{cid}" data-name="{c.name}">{options}</select></div>')
            else:
                controls.append(f'<div class="cw-control cw-check"><input type="checkbox" id="{cid}" '
                                f'data-name="{c.name}"{" checked" if self.values[c.name] else ""}>'
                                f'<label for="{cid}">{label}</label></div>')
        parts = []
        for index, part in enumerate(wid.parts):
            keyed = "_".join(str(wid.control(d).index(self.values[d])) for d in part.depends) or "0"
            body = _inline(wid.render(index, lang, self.values), wid.alt_text(index, lang, self.values))
            parts.append(f'<div class="cw-part" data-part="{index}" data-depends="{",".join(part.depends)}" '
                         f'data-state="{keyed}" aria-live="polite">{body}</div>')
        hint = (f'<p class="cw-hint">{html.escape(t("cw_hint", lang))} '
                f'<a class="cw-run" href="#" data-target="how-to-use.html#how-to-use-local">'
                f'{html.escape(t("cw_run", lang))}</a></p>')
        return (f'<div class="course-widget" id="{uid}" data-widget="{wid.key}" data-lang="{lang}" '
                f'data-columns="{wid.columns}" role="group" aria-label="{html.escape(t("cw_group", lang))}">'
                f'<form class="cw-controls" style="--cw-columns: {wid.columns}">{"".join(controls)}</form>'
                f'{hint}{"".join(parts)}</div>')


def _settle() -> None:
    """Collect the garbage, then leave every object still alive out of later collections (:func:`gc.freeze`).

    A figure leaves reference cycles, so every few redraws the garbage collector runs a full collection, which
    scans every object of the process: some 180,000 once the chapters are imported, 0.1-0.2 s on the course's
    machine, a whole redraw's budget, at random moments.  Done when a widget first draws (modules, caches and
    the notebook's data are then alive for good), later collections scan only what the redraws made.  An object
    frozen here that becomes garbage later is freed only when the kernel ends.
    """
    gc.collect()
    gc.freeze()


def _readout(fmt: str) -> str:
    """An ipywidgets readout format from a Python format string such as ``"{:.2f}"``."""
    inner = fmt.strip()[2:-1] if fmt.strip().startswith("{:") else ""
    return inner if inner and inner[-1] in "fde%g" and "%" not in inner[:-1] else ".3g"


def _figure_png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _inline(shown: Any, alt: str) -> str:
    """An output as HTML for the page itself (a figure as an inline PNG)."""
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    if isinstance(shown, Figure):
        data = base64.b64encode(_figure_png(shown)).decode("ascii")
        plt.close(shown)
        return f'<img class="cw-figure" src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
    return _html(shown)


def _html(shown: Any) -> str:
    """A non-figure output as HTML."""
    if shown is None:
        return ""
    if isinstance(shown, pd.DataFrame):
        return shown.to_html(classes="cw-table", border=0)
    if isinstance(shown, str):
        return f'<pre class="cw-text">{html.escape(shown, quote=False)}</pre>'
    if hasattr(shown, "_repr_html_"):
        return shown._repr_html_()
    raise TypeError(f"a widget part must return a Figure, a DataFrame, HTML, a string or None; got "
                    f"{type(shown).__name__}")


# ------------------------------------------------------------------------------------------------ export
def figure_digest(fig: Any, dpi: int = SITE_DPI) -> tuple[np.ndarray, str]:
    """RGBA pixels of ``fig`` saved at ``dpi`` with a tight bounding box (as on the page: nothing clipped) and
    their SHA-256 (what a state image shows, before encoding).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : int
        Resolution in dots per inch (default :data:`SITE_DPI`).

    Returns
    -------
    pixels : ndarray of uint8, shape (height, width, 4)
        The RGBA image.
    digest : str
        Hexadecimal SHA-256 of the pixel bytes.
    """
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    pixels = np.asarray(Image.open(buffer).convert("RGBA"))
    return pixels, hashlib.sha256(pixels.tobytes()).hexdigest()


def export_states(widget: LiveWidget, lang: str, directory: Path) -> dict:
    """Compute every site state of ``widget`` in ``lang`` and write them to ``directory``.

    Figures are drawn at :data:`SITE_DPI` and saved as palette PNG (``p<part>-<state>.png``); tables and texts go
    into ``states.js``, which registers the states with the page's script (loadable from ``file://``).  A
    ``states.json`` manifest records every state, with the SHA-256 of each figure's pixels, for the tests.

    Parameters
    ----------
    widget : LiveWidget
        The widget whose states are exported.
    lang : {"en", "zh-tw"}
        Language of the states.
    directory : pathlib.Path or str
        Directory to write to (created with its parents if missing).

    Returns
    -------
    dict
        The manifest.
    """
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure
    from PIL import Image

    lang = check_lang(lang)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    parts = []
    for index, part in enumerate(widget.parts):
        states = {}
        for key, values in widget.part_states(index):
            full = {**widget.defaults, **values}
            shown = widget.render(index, lang, full)
            if isinstance(shown, Figure):
                pixels, digest = figure_digest(shown)
                name = f"p{index}-{key}.png"
                image = Image.fromarray(pixels).convert("RGB").quantize(PNG_COLOURS,
                                                                        method=Image.Quantize.MEDIANCUT)
                image.save(directory / name, "PNG", optimize=True)
                plt.close(shown)
                states[key] = {"img": name, "sha256": digest, "alt": widget.alt_text(index, lang, full)}
            else:
                states[key] = {"html": _html(shown)}
        parts.append({"depends": list(part.depends), "states": states})
    manifest = {"widget": widget.key, "lang": lang, "controls": [c.name for c in widget.controls],
                "values": {c.name: [_jsonable(v) for v in c.values] for c in widget.controls},
                "defaults": {k: _jsonable(v) for k, v in widget.defaults.items()}, "parts": parts}
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    (directory / "states.json").write_text(text, encoding="utf-8")
    (directory / "states.js").write_text(
        "window.courseWidgetStates = window.courseWidgetStates || {};\n"
        f"window.courseWidgetStates[{json.dumps(widget.key + '/' + lang)}] = {text};\n", encoding="utf-8")
    return manifest


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def _export_job(job: tuple[str, tuple[str, ...], str]) -> str:
    """Worker of :func:`export_all`: one widget in every language (so cached computations are shared)."""
    import matplotlib

    matplotlib.use("Agg")
    from . import load_all

    key, langs, root = job
    load_all()
    for lang in langs:
        export_states(REGISTRY[key], lang, Path(root) / lang / "widget-states" / key)
    return key


def export_all(root: Path, langs: Sequence[str], *, workers: int = 2) -> list[str]:
    """Export every registered widget's states under ``root/<lang>/widget-states/<key>/`` in parallel.

    Every chapter module is imported first (so every widget is registered); each worker process exports one
    widget in every language (:func:`export_states`), the widgets with the most states first.

    Parameters
    ----------
    root : pathlib.Path or str
        Root directory of the output.
    langs : sequence of str
        Languages to export (each checked with :func:`dosecourse.i18n.check_lang`).
    workers : int
        Worker processes, 1 to 16 (default 2).

    Returns
    -------
    list of str
        The widget keys exported.
    """
    from concurrent.futures import ProcessPoolExecutor

    from . import load_all

    load_all()
    langs = tuple(check_lang(lang) for lang in langs)
    jobs = [(key, langs, str(root)) for key in sorted(REGISTRY, key=lambda k: -REGISTRY[k].n_states)]
    with ProcessPoolExecutor(max_workers=_validate.positive_int(workers, "workers", maximum=16)) as pool:
        return list(pool.map(_export_job, jobs))
