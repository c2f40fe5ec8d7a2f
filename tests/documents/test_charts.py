"""Charts: drawn by matplotlib with the Chinese font, no missing glyphs, no network."""

from __future__ import annotations

import warnings

import pytest

from gongsheng.documents.charts import chart_png, chart_svg
from gongsheng.documents.fonts import cjk_fonts, matplotlib_family
from gongsheng.documents.model import Chart, Series

KINDS = ("bar", "barh", "stacked", "line", "pie")


def chinese_chart(kind: str) -> Chart:
    return Chart(
        kind,
        "各类单位投入与产出（万元）",
        ["职业院校", "企业", "园区管委会"],
        [
            Series("投入", [3.5, 5.0, 1.0]),
            Series("产出", [4.0, 2.0, -1.0 if kind != "pie" else 1.0]),
        ],
        unit="万元",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_chinese_chart_draws_without_missing_glyphs(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        png = chart_png(chinese_chart(kind), dpi=60)
        svg = chart_svg(chinese_chart(kind))
    assert png.startswith(b"\x89PNG")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"http://" not in svg.replace(b"http://www.w3.org/", b"").replace(
        b"http://purl.org/dc/", b""
    ).replace(b"http://creativecommons.org/", b"")  # no external references


def test_matplotlib_uses_the_cjk_face_fontconfig_found():
    from matplotlib import font_manager

    fonts = cjk_fonts()
    family = matplotlib_family(fonts)
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert path == fonts.sans.file


def test_the_glyph_check_can_fail():
    """The warning filter above is a real check: a Latin-only font misses the Chinese glyphs."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": ["DejaVu Sans"]}), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = Figure()
        fig.add_subplot().set_title("职业院校")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(__import__("io").BytesIO(), format="png")


def test_the_same_chart_gives_the_same_svg():
    assert chart_svg(chinese_chart("bar")) == chart_svg(chinese_chart("bar"))


def test_a_chart_with_mismatched_series_is_refused():
    with pytest.raises(ValueError, match="has 2 values for 3 categories"):
        Chart("bar", "图", ["甲", "乙", "丙"], [Series("投入", [1, 2])])
