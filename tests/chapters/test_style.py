"""The course figure style: colour-blind-safe palette, Traditional Chinese glyphs, no silent boxes, no global
side effects."""

import matplotlib as mpl
import pytest
from matplotlib import pyplot as plt

from dosecourse.chapters import style


@style.course_figure
def _figure(title: str, lang: str = "en"):
    fig, ax = style.new_figure()
    ax.set_title(title)
    ax.plot([0, 1], [0, 1])
    return fig


def test_chinese_labels_render_with_the_course_fonts(tmp_path):
    fig = _figure("劑量最佳化、臨床效益指數、回填、無縫試驗設計（mg/m²）", lang="zh-tw")
    assert fig.axes[0].title.get_fontfamily()[-1] == style.cjk_font_name()
    fig.savefig(tmp_path / "zh.png")
    plt.close(fig)


def test_a_glyph_no_course_font_has_is_an_error_not_a_box():
    with pytest.raises(ValueError, match="no course font can draw"):
        _figure("dose ᚠ", lang="en")


def test_style_applies_inside_the_figure_and_changes_nothing_outside():
    before = dict(mpl.rcParams)
    fig = _figure("x", lang="en")
    assert [c for c in fig.axes[0].get_lines()[0].get_color()] and fig.axes[0].get_lines()[0].get_color() == \
        style.OKABE_ITO[0]
    assert fig.dpi == style.DPI
    assert dict(mpl.rcParams) == before
    plt.close(fig)


def test_importing_the_package_changes_no_global_state():
    import subprocess
    import sys

    code = ("import numpy as np, matplotlib as mpl; p = np.get_printoptions(); r = dict(mpl.rcParams); "
            "import dosecourse, dosecourse.escalation, dosecourse.chapters.style, dosecourse.chapters.widgets; "
            "assert np.get_printoptions() == p and dict(mpl.rcParams) == r; print('ok')")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "ok"


def test_language_is_checked_and_figures_must_take_lang():
    with pytest.raises(ValueError, match="lang must be one of"):
        _figure("x", lang="fr")
    with pytest.raises(TypeError, match="must take a lang argument"):
        style.course_figure(lambda: None)
