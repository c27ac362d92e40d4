"""One look for every figure in the course, in either language.

:func:`use_course_style` sets a consistent matplotlib style with the Okabe-Ito colour-blind-safe palette and
registers Noto Sans TC (installed from PyPI by ``pylopdf-fonts-zh-tw``, SIL Open Font License) so that
Traditional Chinese labels render with no missing glyphs.  Figure functions elsewhere in the package call
:func:`new_figure`, which applies the style for the reader's language.

References
----------
Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations that are friendly to
colorblind people. 2008. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import resources

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from .i18n import check_lang

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

_LATIN_FONTS = ["DejaVu Sans"]


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    """Register the Traditional Chinese font shipped by ``pylopdf-fonts-zh-tw`` and return its family name.

    Raises
    ------
    RuntimeError
        If the font package is not installed (it is listed in ``requirements.txt``).
    """
    try:
        font_file = resources.files("pylopdf_fonts_zh_tw").joinpath("NotoSansTC-Regular.otf")
    except ModuleNotFoundError:
        raise RuntimeError(
            "The Traditional Chinese font package 'pylopdf-fonts-zh-tw' is not installed; "
            "run `pip install -r requirements.txt`."
        ) from None
    with resources.as_file(font_file) as path:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()


def use_course_style(lang: str = "en") -> None:
    """Apply the course's matplotlib style for ``lang`` ("en" or "zh-tw").

    Both languages use the same sizes and colours; the font list puts Noto Sans TC after DejaVu Sans, so
    Latin text looks identical in both languages and Chinese characters fall back to Noto Sans TC.
    """
    check_lang(lang)
    # A missing glyph is a broken figure: make matplotlib's warning an error, so a notebook cell (and with it
    # the book build and nbval) fails instead of printing boxes.
    warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from font")
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            # An explicit family list (not the generic "sans-serif") enables matplotlib's per-glyph fallback.
            "font.family": _LATIN_FONTS + [cjk_font_name()],
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.titleweight": "normal",  # the CJK font ships one weight; keep both languages alike
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO)),
            "axes.unicode_minus": False,
            "legend.frameon": False,
        }
    )


def new_figure(lang: str = "en", *, nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, object]:
    """Return ``(fig, axes)`` from :func:`matplotlib.pyplot.subplots` in the course style for ``lang``."""
    use_course_style(lang)
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows=nrows, ncols=ncols, **kwargs)
