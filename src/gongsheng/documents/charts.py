"""Charts drawn on the server by matplotlib, for PDF (SVG) and Word (PNG).

WeasyPrint runs no JavaScript, so the pages' ECharts cannot appear in a PDF; a report draws the
same numbers here instead, with ECharts' default colours so the two look alike. The font is the
Chinese face :mod:`gongsheng.documents.fonts` found (``axes.unicode_minus`` off: the Unicode
minus sign is missing from some CJK fonts). Figures are made without pyplot (no global state,
safe in threads) and nothing is fetched from the network.
"""

from __future__ import annotations

import io

from gongsheng.documents.fonts import CJKFonts, cjk_fonts, matplotlib_family
from gongsheng.documents.model import Chart, Document

#: ECharts' default palette, so a printed chart matches the page's
PALETTE = (
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#ee6666",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
)


def _figure(chart: Chart, fonts: CJKFonts):  # -> matplotlib.figure.Figure
    import numpy as np
    from matplotlib.figure import Figure

    many = len(chart.categories) > 6
    fig = Figure(figsize=(6.4, 3.6 if chart.kind != "barh" else 0.9 + 0.32 * len(chart.categories)))
    ax = fig.add_subplot()
    x = np.arange(len(chart.categories))
    n = len(chart.series)
    if chart.kind == "pie":
        values = chart.series[0].values
        ax.pie(
            values,
            labels=chart.categories,
            colors=PALETTE[: len(values)],
            autopct=lambda p: f"{p:.0f}%" if p >= 4 else "",
            startangle=90,
            counterclock=False,
        )
        ax.axis("equal")
    elif chart.kind == "line":
        for i, s in enumerate(chart.series):
            ax.plot(chart.categories, s.values, marker="o", color=PALETTE[i % 9], label=s.name)
    elif chart.kind == "barh":
        height = 0.8 / n
        for i, s in enumerate(chart.series):
            ax.barh(
                x + (i - (n - 1) / 2) * height, s.values, height, color=PALETTE[i % 9], label=s.name
            )
        ax.set_yticks(x, chart.categories)
        ax.invert_yaxis()
    elif chart.kind == "stacked":
        bottom = np.zeros(len(chart.categories))
        for i, s in enumerate(chart.series):
            ax.bar(x, s.values, 0.6, bottom=bottom, color=PALETTE[i % 9], label=s.name)
            bottom = bottom + np.asarray(s.values, dtype=float)
        ax.set_xticks(
            x, chart.categories, rotation=30 if many else 0, ha="right" if many else "center"
        )
    else:  # grouped bars
        width = 0.8 / n
        for i, s in enumerate(chart.series):
            ax.bar(
                x + (i - (n - 1) / 2) * width, s.values, width, color=PALETTE[i % 9], label=s.name
            )
        ax.set_xticks(
            x, chart.categories, rotation=30 if many else 0, ha="right" if many else "center"
        )
    if chart.kind != "pie":
        if chart.unit:
            (ax.set_xlabel if chart.kind == "barh" else ax.set_ylabel)(chart.unit)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x" if chart.kind == "barh" else "y", color="#e0e6f1", linewidth=0.8)
        ax.set_axisbelow(True)
        if n > 1:
            ax.legend(frameon=False, fontsize=8)
    ax.set_title(chart.title, fontsize=11)
    fig.tight_layout()
    return fig


def _draw(chart: Chart, fmt: str, *, fonts: CJKFonts | None = None, dpi: int = 200) -> bytes:
    from matplotlib import rc_context

    fonts = fonts or cjk_fonts()
    family = matplotlib_family(fonts)
    rc = {
        "font.family": [family],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no font to display
        "svg.hashsalt": "gongsheng",  # the same chart gives the same bytes
        "font.size": 9,
    }
    with rc_context(rc):
        fig = _figure(chart, fonts)
        buf = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


def chart_svg(chart: Chart, *, fonts: CJKFonts | None = None) -> bytes:
    """The chart as SVG (for the PDF: sharp at any zoom)."""
    return _draw(chart, "svg", fonts=fonts)


def chart_png(chart: Chart, *, fonts: CJKFonts | None = None, dpi: int = 200) -> bytes:
    """The chart as PNG (Word shows SVG only in recent versions; in the PDF a PNG draws several
    times faster than WeasyPrint's SVG renderer, and 200 dpi prints sharp)."""
    return _draw(chart, "png", fonts=fonts, dpi=dpi)


def draw_charts(document: Document, *, fonts: CJKFonts) -> dict[int, bytes]:
    """Every chart of the document as PNG, by ``id(chart)``: drawn once for both formats."""
    return {id(chart): chart_png(chart, fonts=fonts) for chart in document.charts()}
