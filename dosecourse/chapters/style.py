"""One look for every figure of the course, in either language, without touching matplotlib's global state.

Chapter figure functions are decorated with :func:`course_figure`: the function body runs inside
``matplotlib.rc_context`` with the course style (:func:`rc`) for the reader's language, and the finished figure
is checked for characters that neither of the course fonts can draw (a missing glyph is a broken figure, so it
raises instead of printing boxes).  Nothing here changes ``matplotlib.rcParams`` outside that context.

The style uses the Okabe-Ito colour-blind-safe palette and registers Noto Sans TC (installed from PyPI by
``pylopdf-fonts-zh-tw``, SIL Open Font License) so that Traditional Chinese labels render; Latin text uses
DejaVu Sans in both languages and Chinese characters fall back to Noto Sans TC.

References
----------
Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations that are friendly to
colorblind people. 2008. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from ..i18n import check_lang

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe-Ito palette, distinguishable under the common forms of colour-vision deficiency."""

BLUE, VERMILLION, GREEN, ORANGE, SKY, PURPLE, YELLOW, BLACK = OKABE_ITO

GREY_DARK = "0.3"
"""Annotations and reference lines."""
GREY = "0.5"
"""Secondary lines and markers."""
GREY_LIGHT = "0.85"
"""Shaded backgrounds (a target dose, a range)."""

FONT_SIZE = 11.0
"""Body text, axis labels."""
TITLE_SIZE = 12.0
"""Axes titles."""
SMALL_SIZE = 9.5
"""Legends and annotations."""
TINY_SIZE = 9.0
"""Labels on bars and small marks."""

FIGSIZE = (7.0, 4.0)
"""Default figure size in inches."""
DPI = 120
"""Resolution of figures on the page and in Jupyter."""

_LATIN_FONTS = ["DejaVu Sans"]
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")

F = TypeVar("F", bound=Callable[..., Figure])


@lru_cache(maxsize=1)
def _cjk_font_path() -> str:
    try:
        font_file = resources.files("pylopdf_fonts_zh_tw").joinpath("NotoSansTC-Regular.otf")
    except ModuleNotFoundError:
        raise RuntimeError("The Traditional Chinese font package 'pylopdf-fonts-zh-tw' is not installed; "
                           "run `pip install -r requirements.txt`.") from None
    with resources.as_file(font_file) as path:
        return str(path)


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    """Register the Traditional Chinese font shipped by ``pylopdf-fonts-zh-tw`` and return its family name.

    Raises
    ------
    RuntimeError
        If the font package is not installed (it is listed in ``requirements.txt``).
    """
    path = _cjk_font_path()
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


@lru_cache(maxsize=2)
def _drawable(with_cjk: bool = True) -> frozenset[int]:
    """Code points that DejaVu Sans or Noto Sans TC can draw (DejaVu Sans alone with ``with_cjk=False``)."""
    from matplotlib.ft2font import FT2Font

    latin = font_manager.findfont(font_manager.FontProperties(family=_LATIN_FONTS[0]), fallback_to_default=False)
    points: set[int] = set()
    for path in (latin, _cjk_font_path()) if with_cjk else (latin,):
        points.update(FT2Font(path).get_charmap())
    return frozenset(points)


def rc(lang: str = "en") -> dict[str, Any]:
    """The course's matplotlib settings for ``lang`` ("en" or "zh-tw"), for ``matplotlib.rc_context``.

    Parameters
    ----------
    lang : {"en", "zh-tw"}
        Language of the figure; the font list always ends with the CJK font, so both languages draw alike
        (default ``"en"``).

    Returns
    -------
    dict
        ``{rcParam: value}``: figure size and resolution, fonts and font sizes, spines, grid, the Okabe-Ito colour
        cycle and legend style.

    Examples
    --------
    >>> rc("zh-tw")["font.family"][-1]
    'Noto Sans TC'
    """
    check_lang(lang)
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        # An explicit family list (not the generic "sans-serif") enables matplotlib's per-glyph fallback.
        "font.family": _LATIN_FONTS + [cjk_font_name()],
        "font.size": FONT_SIZE,
        "axes.titlesize": TITLE_SIZE,
        "axes.titleweight": "normal",  # the CJK font ships one weight; keep both languages alike
        "axes.labelsize": FONT_SIZE,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO)),
        "axes.unicode_minus": False,
        "legend.frameon": False,
        "legend.fontsize": SMALL_SIZE,
    }


def missing_glyphs(fig: Figure) -> list[str]:
    """Characters in ``fig``'s text that neither course font can draw (mathtext between ``$`` is skipped).

    A text with mathtext in it is typeset whole by the mathtext fonts, which have no fallback to the Chinese
    font: in such a text every character outside the ``$`` pairs must be one DejaVu Sans can draw.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure whose texts, titles, axis labels, legends and fixed tick labels are checked.

    Returns
    -------
    list of str
        The characters, sorted, each once (empty when every character can be drawn).

    Examples
    --------
    >>> fig = plt.figure(); _ = fig.text(0.5, 0.5, "劑量 dose ᚠ")
    >>> missing_glyphs(fig)
    ['ᚠ']
    >>> _ = fig.text(0.5, 0.2, "$K_D$ 教學")
    >>> missing_glyphs(fig)
    ['ᚠ', '學', '教']
    >>> plt.close(fig)
    """
    found = set()
    for text in _texts(fig):
        plain = _MATH.sub("", text)
        drawable = _drawable(with_cjk=plain == text)
        found.update(ch for ch in plain if not ch.isspace() and ord(ch) not in drawable)
    return sorted(found)


def _texts(fig: Figure) -> list[str]:
    """Every string a figure shows: its texts, titles, axis labels, legends and fixed tick labels.

    Collected directly (a ``findobj`` walk would make every axis build all its ticks, a third of a redraw);
    numeric tick labels come from formatters and are digits and signs.
    """
    from matplotlib.ticker import FixedFormatter, FixedLocator

    texts = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None:
        texts.append(suptitle.get_text())
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
        texts += [ax.get_title(loc) for loc in ("left", "center", "right")]
        texts += [ax.xaxis.label.get_text(), ax.yaxis.label.get_text()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
        for axis in (ax.xaxis, ax.yaxis):
            # labels given with the ticks (set_xticks(ticks, labels)) sit on a fixed locator
            if isinstance(axis.get_major_locator(), FixedLocator) or \
                    isinstance(axis.get_major_formatter(), FixedFormatter):
                texts += [t.get_text() for t in axis.get_majorticklabels()]
    return texts


def course_figure(func: F) -> F:
    """Decorate a figure function (with a ``lang`` argument) so that it draws in the course style.

    The function runs inside ``matplotlib.rc_context(rc(lang))`` and its figure is checked with
    :func:`missing_glyphs`; a character no course font can draw raises ``ValueError`` naming it.

    Parameters
    ----------
    func : callable
        A function returning a :class:`matplotlib.figure.Figure`, with a ``lang`` parameter.

    Returns
    -------
    callable
        The wrapped function, with the signature and docstring of ``func``.

    Raises
    ------
    TypeError
        If ``func`` has no ``lang`` parameter.
    """
    signature = inspect.signature(func)
    if "lang" not in signature.parameters:
        raise TypeError(f"{func.__qualname__} must take a lang argument to be a course figure")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        lang = check_lang(bound.arguments["lang"])
        depth = _DEPTH.set(_DEPTH.get() + 1)
        try:
            with plt.rc_context(rc(lang)):
                fig = func(*args, **kwargs)
        finally:
            _DEPTH.reset(depth)
        bad = missing_glyphs(fig)
        if bad:
            plt.close(fig)
            raise ValueError(f"{func.__qualname__}: no course font can draw {bad}; use characters of DejaVu Sans "
                             f"or Noto Sans TC (only DejaVu Sans in a text with $...$ mathtext)")
        if _LIVE.get() and _DEPTH.get() == 0:  # the finished figure (not one a course figure builds on)
            _fixed_layout(fig, (func.__module__, func.__qualname__, lang))
        return fig

    return wrapper  # type: ignore[return-value]


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    """``(fig, axes)`` from :func:`matplotlib.pyplot.subplots` with constrained layout (inside a course figure).

    Parameters
    ----------
    nrows, ncols : int
        Rows and columns of the subplot grid (default 1 each).
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``figsize``, ``width_ratios``); ``layout`` defaults
        to ``"constrained"``.

    Returns
    -------
    (fig, axes) : tuple
        The figure and its axes (one Axes, or an array of them), as :func:`matplotlib.pyplot.subplots` returns.

    Examples
    --------
    >>> fig, ax = new_figure(figsize=(3, 2))
    >>> plt.close(fig)
    """
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows=nrows, ncols=ncols, **kwargs)


# ------------------------------------------------------------------------------------------------ live layout
_LIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("dosecourse_live_layout", default=False)
_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("dosecourse_figure_depth", default=0)
_LAYOUTS: dict[tuple, tuple] = {}
_MAX_LAYOUTS = 512

LIVE_PAD = 0.1
"""Extra room (inches) a reused live layout leaves on each side of every Axes, for tick labels a little wider or
taller than those of the figure the layout was computed for."""


@contextlib.contextmanager
def live_layout() -> Iterator[None]:
    """Inside this context a course figure reuses the layout of the last figure of the same shape.

    Constrained layout measures every label twice before a figure is drawn, which is half of the drawing time of a
    course figure.  A widget redrawn in Jupyter makes the same figure again and again with other numbers, so
    inside this context the first figure of a shape (the same function, language, size, grid of Axes and
    decorations: the number of lines of every title, axis label and fixed tick label, the legends and their
    entries, the suptitle) is laid out by constrained layout, with :data:`LIVE_PAD` more room around each Axes,
    and the Axes positions are stored; later figures of that shape get those positions and no layout engine
    (unless a text of an Axes would then run off the figure or into another Axes: that figure keeps constrained
    layout), and titles that matplotlib would leave at the top of their Axes are not measured again
    (:func:`_title_stays`).  Tick labels a little wider than those of the first figure fit in the extra room,
    and the inline backend saves a figure with a tight bounding box, so nothing is clipped at its edges.
    Numbers, colours and artists are those of the same call outside the context; only the Axes positions
    differ, by a few pixels.  The book and the site's precomputed states are drawn outside it (exact constrained
    layout); :meth:`dosecourse.chapters.widgets.WidgetView.ipywidget` draws inside it.

    Examples
    --------
    >>> with live_layout():
    ...     pass
    """
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def _lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0


def _shape(fig: Figure, name: tuple) -> tuple | None:
    """What decides a figure's constrained layout besides the numbers on its axes; None if it has none."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.ticker import FixedFormatter, FixedLocator

    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine) or fig.subfigs:
        return None
    axes = []
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None or getattr(ax, "_colorbars", None) or not ax.get_in_layout():
            return None
        grid = spec.get_gridspec()
        ticks = []
        for axis in (ax.xaxis, ax.yaxis):
            formatter, locator = axis.get_major_formatter(), axis.get_major_locator()
            if isinstance(formatter, FixedFormatter):
                labels = [str(label) for label in formatter.seq]
                fixed = (len(labels), max(map(_lines, labels), default=0),
                         max(map(len, labels), default=0) if axis is ax.yaxis else 0)
            else:
                fixed = len(locator.locs) if isinstance(locator, FixedLocator) else None
            ticks.append((axis.get_visible(), axis.get_label_position(), axis.get_ticks_position(), axis.get_scale(),
                          type(formatter).__name__, fixed))
        # texts the data place (at data coordinates, or annotations of a data point) are not part of the shape,
        # however many there are: _texts_fit checks each figure's
        texts = tuple(_lines(t.get_text()) for t in ax.texts if t.get_in_layout()
                      and t.get_transform() is not ax.transData and getattr(t, "xycoords", None) != "data")
        axes.append((spec.get_geometry(), tuple(grid.get_width_ratios() or ()), tuple(grid.get_height_ratios() or ()),
                     tuple(_lines(ax.get_title(loc)) for loc in ("left", "center", "right")),
                     _lines(ax.xaxis.label.get_text()), _lines(ax.yaxis.label.get_text()), tuple(ticks), texts,
                     ax.axison, ax.get_legend() is not None))
    legends = []
    for leg in fig.legends:
        entries = [t.get_text() for t in leg.get_texts()]
        side = leg._outside_loc in ("left", "right") or not leg._outside_loc
        # a legend above or below the Axes takes their width whatever its entries: only its rows count
        size = (leg._ncols, len(entries)) if side else -(-len(entries) // max(leg._ncols, 1))
        legends.append((leg._outside_loc, size, max(map(_lines, entries), default=0),
                        tuple(entries) if side else None, _lines(leg.get_title().get_text())))
    legends = tuple(legends)
    supt = getattr(fig, "_suptitle", None)
    suptitle = (_lines(supt.get_text()), supt.get_fontsize()) if supt is not None else None
    return (name, tuple(fig.get_size_inches()), fig.dpi, tuple(sorted(engine.get().items())), tuple(axes), legends,
            suptitle)


def _fixed_layout(fig: Figure, name: tuple) -> None:
    """Give ``fig`` the stored layout of its shape (computing and storing it the first time); see
    :func:`live_layout`."""
    shape = _shape(fig, name)
    if shape is None:
        if fig.get_layout_engine() is None:  # fixed margins (subplots_adjust): only the titles would be measured
            for ax in fig.axes:
                if _title_stays(ax):
                    ax._autotitlepos = False
        return
    stored = _LAYOUTS.get(shape)
    if stored is None:
        engine = fig.get_layout_engine()
        pad = engine.get()
        # the layout is computed with more padding, then the Axes keep it when the engine goes
        engine.set(w_pad=pad["w_pad"] + LIVE_PAD, h_pad=pad["h_pad"] + LIVE_PAD)
        engine.execute(fig)
        engine.set(w_pad=pad["w_pad"], h_pad=pad["h_pad"])
        supt = getattr(fig, "_suptitle", None)
        stored = (tuple(ax.get_position(original=True).frozen() for ax in fig.axes),
                  None if supt is None else (supt.get_position(), supt.get_verticalalignment()))
        if len(_LAYOUTS) >= _MAX_LAYOUTS:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[shape] = stored
    positions, suptitle = stored
    for ax, position in zip(fig.axes, positions):
        ax._set_position(position)
    if not _texts_fit(fig):
        return  # a label placed by the data sticks out: constrained layout makes room, as outside the context
    if suptitle is not None:
        fig._suptitle.set_position(suptitle[0])
        fig._suptitle.set_verticalalignment(suptitle[1])
    fig.set_layout_engine("none")
    for ax in fig.axes:
        if _title_stays(ax):
            ax._autotitlepos = False  # the title stays at the top of the Axes, where matplotlib would put it


def _title_stays(ax: Any) -> bool:
    """Whether matplotlib's automatic title placement would leave the titles of ``ax`` at the top of the Axes.

    It moves a title up only over tick labels or an axis label at the top, over another Axes twinned with this
    one, or over the offset text of the y axis (``1e6``, ``+1000``).  Finding out costs a measurement of every
    y tick label before the draw (a fifth of a redraw), so the title is fixed when none of these can happen:
    no x tick labels or x label at the top, no twin, and a y axis whose tick labels carry no offset (a formatter other
    than the scalar one, or a scalar axis whose limits need neither an offset nor powers of ten).
    """
    from matplotlib.ticker import ScalarFormatter

    if ax._autotitlepos is not None and not ax._autotitlepos:
        return False
    if ax.xaxis.get_ticks_position() == "top" or ax.xaxis.get_label_position() == "top":
        return False
    # "unknown": ticks on both sides, or lines without labels (the upper panel of a shared x axis); the title
    # moves only over tick labels at the top
    if ax.xaxis.get_ticks_position() == "unknown" and any(
            kw.get("label2On", mpl.rcParams["xtick.labeltop"]) for kw in (ax.xaxis._major_tick_kw,
                                                                         ax.xaxis._minor_tick_kw)):
        return False
    if len(ax._twinned_axes.get_siblings(ax)) > 1 or ax.child_axes:
        return False
    formatter = ax.yaxis.get_major_formatter()
    if isinstance(formatter, ScalarFormatter):
        if ax.yaxis.get_scale() != "linear":
            return False
        lo, hi = ax.get_ylim()
        size = max(abs(lo), abs(hi))
        return 1e-3 <= size < 1e4 and abs(hi - lo) >= 1e-2 * size
    return True


def _texts_fit(fig: Figure) -> bool:
    """Whether every text of every Axes (labels the data place, notes) lies inside the figure and off the other
    Axes (their extents are measured once and reused by the draw)."""
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    frames = [ax.bbox for ax in fig.axes]
    for ax in fig.axes:
        twins = ax._twinned_axes.get_siblings(ax)
        for text in ax.texts:
            if not (text.get_visible() and text.get_in_layout() and text.get_text()):
                continue
            box = text.get_window_extent(renderer)
            if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
                return False
            for other, frame in zip(fig.axes, frames):
                if other not in twins and box.overlaps(frame):
                    return False
    return True
