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

import functools
import inspect
import re
from collections.abc import Callable
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


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """Code points that DejaVu Sans or Noto Sans TC can draw."""
    from matplotlib.ft2font import FT2Font

    latin = font_manager.findfont(font_manager.FontProperties(family=_LATIN_FONTS[0]), fallback_to_default=False)
    points: set[int] = set()
    for path in (latin, _cjk_font_path()):
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
    >>> plt.close(fig)
    """
    drawable = _drawable()
    found = set()
    for text in _texts(fig):
        plain = _MATH.sub("", text)
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
        with plt.rc_context(rc(lang)):
            fig = func(*args, **kwargs)
        bad = missing_glyphs(fig)
        if bad:
            plt.close(fig)
            raise ValueError(f"{func.__qualname__}: no course font can draw {bad}; use characters of DejaVu Sans "
                             f"or Noto Sans TC")
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
