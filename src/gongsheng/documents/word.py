"""A :class:`~gongsheng.documents.model.Document` as a Word file (.docx), through docxtpl.

The template (``data/report.docx``, built by :mod:`gongsheng.documents.build_template`) carries
the styles with East Asian fonts, the TOC field Word updates on open, the header and the page
numbers; the sections are added as a docxtpl sub-document: headings in the heading styles,
tables with a repeating header row, charts as PNG drawn by matplotlib.
"""

from __future__ import annotations

import io
import re

from django.utils import translation
from django.utils.translation import gettext as _

from gongsheng.documents.build_template import TEMPLATE
from gongsheng.documents.charts import chart_png
from gongsheng.documents.fonts import CJKFonts, cjk_fonts
from gongsheng.documents.model import (
    Chart,
    Document,
    KeyValues,
    PageBreak,
    Paragraph,
    Section,
    Table,
)

#: characters XML 1.0 cannot hold (a pasted control character must not break the file)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", str(text))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(sd, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if table.caption:
        sd.add_paragraph(_clean(table.caption), style="Caption")
    t = sd.add_table(rows=1, cols=len(table.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = t.rows[0]
    _repeat_header(head)
    for cell, column in zip(head.cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_clean(column.label))
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "EEF1F8")
    rows = table.aligned()
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        is_total = table.total is not None and i == len(rows) - 1
        for cell, (text, numeric) in zip(cells, row, strict=True):
            p = cell.paragraphs[0]
            run = p.add_run(_clean(text))
            run.bold = is_total
            if numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sd.add_paragraph()


def _section(sd, section: Section, fonts: CJKFonts, images: dict[int, bytes]) -> None:
    from docx.shared import Mm

    sd.add_heading(_clean(section.heading), level=section.level)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            p = sd.add_paragraph(_clean(block.text))
            if block.style == "body":
                p.paragraph_format.first_line_indent = Mm(7.4)  # two characters
        elif isinstance(block, KeyValues):
            if block.caption:
                sd.add_paragraph(_clean(block.caption), style="Caption")
            for label, value in block.items:
                p = sd.add_paragraph()
                p.add_run(_clean(f"{label}："))
                p.add_run(_clean(value)).bold = True
        elif isinstance(block, Table):
            _table(sd, block)
        elif isinstance(block, Chart):
            png = images.get(id(block)) or chart_png(block, fonts=fonts)
            sd.add_picture(io.BytesIO(png), width=Mm(150))
            sd.paragraphs[-1].alignment = 1  # centre
            if block.caption:
                sd.add_paragraph(_clean(block.caption), style="Caption")
        elif isinstance(block, PageBreak):
            sd.add_page_break()


def _page_parts(pattern: str) -> tuple[str, str, str]:
    """ "第 {page} 页 共 {pages} 页" -> ("第 ", " 页 共 ", " 页")."""
    before, _, rest = pattern.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    return before, middle, after


def render_docx(
    document: Document, *, fonts: CJKFonts | None = None, images: dict[int, bytes] | None = None
) -> bytes:
    """The document as .docx bytes; :class:`~gongsheng.documents.fonts.MissingFonts` (naming
    ``fonts-noto-cjk``) when no Chinese font is installed for the charts."""
    from docxtpl import DocxTemplate

    fonts = fonts or cjk_fonts()
    with translation.override(document.language):
        tpl = DocxTemplate(str(TEMPLATE))
        sd = tpl.new_subdoc()
        for section in document.sections:
            _section(sd, section, fonts, images or {})
        before, middle, after = _page_parts(_("Page {page} of {pages}"))
        context = {
            "title": _clean(document.title),
            "subtitle": _clean(document.subtitle),
            "meta": [(_clean(k), _clean(v)) for k, v in document.meta],
            "toc": document.toc,
            "toc_label": _("Contents"),
            "toc_hint": _("Word updates the table of contents when the file is opened."),
            "page_before": before,
            "page_middle": middle,
            "page_after": after,
            "body": sd,
        }
        tpl.render(context, autoescape=True)
        tpl.docx.core_properties.title = _clean(document.title)
        buf = io.BytesIO()
        tpl.save(buf)
    return buf.getvalue()
