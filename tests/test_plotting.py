"""The course figure style: colour-blind-safe palette, Traditional Chinese glyphs, no silent boxes."""

import warnings

import matplotlib as mpl
from matplotlib import pyplot as plt
import pytest

from dosecourse import plotting


def test_chinese_labels_render_without_missing_glyphs(tmp_path):
    fig, ax = plotting.new_figure("zh-tw")
    ax.set_title("劑量最佳化、臨床效益指數、回填、無縫試驗設計")
    ax.set_xlabel("劑量層級 (mg/m²)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "zh.png")
    assert plotting.cjk_font_name() in mpl.rcParams["font.family"]


def test_a_glyph_no_font_has_is_an_error_not_a_box(tmp_path):
    plotting.use_course_style("en")
    mpl.rcParams["font.family"] = ["DejaVu Sans"]  # no CJK fallback: the glyphs are missing
    fig, ax = plt.subplots()
    ax.set_title("劑量")
    with pytest.raises(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "broken.png")


def test_palette_is_okabe_ito_and_language_is_checked():
    plotting.use_course_style("en")
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3] == ["#0072B2", "#D55E00", "#009E73"]
    with pytest.raises(ValueError, match="lang must be one of"):
        plotting.use_course_style("fr")
