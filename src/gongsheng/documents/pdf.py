"""A :class:`~gongsheng.documents.model.Document` as PDF, through WeasyPrint.

Print CSS does the layout: A4, the title as running header from page 2, "第 N 页 共 M 页" in
the footer (``counter(page)``/``counter(pages)``), a table of contents whose page numbers come
from ``target-counter``, table header rows repeated on every page, charts as 200 dpi PNG (the
same images as in the Word file; ``vector=True`` embeds SVG instead, sharper but several times
slower to lay out). WeasyPrint is
imported inside :func:`render_pdf` (its first import takes a while), and its URL fetcher refuses
everything but inline ``data:`` URLs, so a render never reaches the network.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from gongsheng.documents.charts import chart_png, chart_svg
from gongsheng.documents.fonts import CJKFonts, cjk_fonts
from gongsheng.documents.model import Chart, Document


@dataclass
class _Item:
    """One block ready for the template."""

    block: Any
    image: str = ""  # a data: URL for charts


def page_counter_css(pattern: str) -> str:
    """A translated "Page {page} of {pages}" as a CSS ``content`` value.

    >>> page_counter_css("第 {page} 页 共 {pages} 页")
    '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    """
    parts = []
    for token in re.split(r"(\{page\}|\{pages\})", pattern):
        if token == "{page}":
            parts.append("counter(page)")
        elif token == "{pages}":
            parts.append("counter(pages)")
        elif token:
            parts.append('"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def _image(chart: Chart, fonts: CJKFonts, images: dict[int, bytes] | None, vector: bool) -> str:
    if vector:
        svg = chart_svg(chart, fonts=fonts)
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    png = images[id(chart)] if images and id(chart) in images else chart_png(chart, fonts=fonts)
    return "data:image/png;base64," + base64.b64encode(png).decode()


def document_html(
    document: Document,
    *,
    fonts: CJKFonts,
    images: dict[int, bytes] | None = None,
    vector: bool = False,
) -> str:
    """The print HTML of a document, charts inlined (``images``: PNGs already drawn, by
    ``id(chart)``, see :func:`gongsheng.documents.charts.draw_charts`)."""
    with translation.override(document.language):
        sections = []
        for i, section in enumerate(document.sections, start=1):
            items = []
            for block in section.blocks:
                image = _image(block, fonts, images, vector) if isinstance(block, Chart) else ""
                items.append(_Item(block=block, image=image))
            sections.append({"id": f"s{i}", "section": section, "items": items})
        return render_to_string(
            "documents/document.html",
            {
                "document": document,
                "sections": sections,
                "serif": fonts.css_stack("serif"),
                "sans": fonts.css_stack("sans"),
                "page_counter": page_counter_css(_("Page {page} of {pages}")),
                "lang": "zh-Hans" if document.language.startswith("zh") else document.language,
            },
        )


def render_pdf(
    document: Document,
    *,
    fonts: CJKFonts | None = None,
    images: dict[int, bytes] | None = None,
    vector: bool = False,
) -> bytes:
    """The document as PDF bytes; :class:`~gongsheng.documents.fonts.MissingFonts` (naming
    ``fonts-noto-cjk``) when no Chinese font is installed."""
    fonts = fonts or cjk_fonts()
    html = document_html(document, fonts=fonts, images=images, vector=vector)
    import weasyprint  # slow first import: only when a PDF is made
    from weasyprint.urls import URLFetcher

    # only the inline data: URLs of the charts; anything else is refused (and fails the render)
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
