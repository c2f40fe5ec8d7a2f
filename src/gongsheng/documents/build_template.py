"""Build the Word template (``data/report.docx``) that :mod:`gongsheng.documents.word` fills.

Run ``python -m gongsheng.documents.build_template`` after changing this script and commit the
file; ``tests/documents/test_word.py`` fails while the committed template differs from a fresh
build. The template holds what Word itself must know:

* East Asian fonts on the styles (``w:eastAsia``): 宋体 for body text, 黑体 for headings and the
  title, so Chinese text is set in Chinese fonts in Word and WPS (LibreOffice substitutes the
  Noto CJK faces through fontconfig);
* heading styles 1–3 with outline levels, which Word's TOC field collects;
* a TOC field marked dirty plus ``w:updateFields`` in the settings, so Word rebuilds the table
  of contents (with page numbers) when the file is opened;
* A4 pages, the title as running header, "第 N 页 共 M 页" in the footer (PAGE / NUMPAGES);
* docxtpl tags: ``{{ title }}``, ``{{ subtitle }}``, the meta lines, ``{{p body }}`` (the
  sections, built as a sub-document).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "data" / "report.docx"

BODY_LATIN, BODY_EAST_ASIA = "Times New Roman", "宋体"
HEADING_LATIN, HEADING_EAST_ASIA = "Arial", "黑体"


def _fonts(style, latin: str, east_asia: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]  # theme fonts would override the names below
    for key, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        rfonts.set(qn(f"w:{key}"), value)


def _run(paragraph, xml_tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    el = OxmlElement(xml_tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    run._r.append(el)
    return el


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin / instruction / separate / result / end), marked dirty."""
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"})
    instr = _run(paragraph, "w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(placeholder)
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "end"})


def build() -> bytes:
    """The template as bytes (deterministic apart from the package's core properties)."""
    import datetime as dt

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "Gongsheng"
    props.title = ""
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1

    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, BODY_LATIN, BODY_EAST_ASIA)
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (
        ("Title", 22),
        ("Subtitle", 14),
        ("Heading 1", 16),
        ("Heading 2", 14),
        ("Heading 3", 12),
        ("TOC Heading", 16),
        ("Caption", 9),
    ):
        style = styles[name]
        _fonts(style, HEADING_LATIN, HEADING_EAST_ASIA)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x22, 0x22, 0x22)
        if name in ("Title", "Subtitle", "TOC Heading"):
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Caption"].font.italic = False
    for name in ("Header", "Footer", "Table Grid"):
        _fonts(styles[name], BODY_LATIN, BODY_EAST_ASIA)
    # the document default too, for text in no style at all
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = rpr_default.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for key, value in (
        ("ascii", BODY_LATIN),
        ("hAnsi", BODY_LATIN),
        ("eastAsia", BODY_EAST_ASIA),
        ("cs", BODY_LATIN),
    ):
        rfonts.set(qn(f"w:{key}"), value)
    lang = rpr_default.find(qn("w:rPr")).find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(22)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = "{{ title }}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for footer in (section.footer, section.first_page_footer):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("{{ page_before }}")
        _field(p, "PAGE", "1")
        p.add_run("{{ page_middle }}")
        _field(p, "NUMPAGES", "1")
        p.add_run("{{ page_after }}")

    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{%p if subtitle %}")
    doc.add_paragraph("{{ subtitle }}", style="Subtitle")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for label, value in meta %}")
    meta = doc.add_paragraph("{{ label }}：{{ value }}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if toc %}")
    toc_title = doc.add_paragraph("{{ toc_label }}", style="TOC Heading")
    toc_title.paragraph_format.page_break_before = True
    _field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "{{ toc_hint }}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{p body }}")

    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # the schema fixes the order of the settings: updateFields comes before these
    later = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")
    anchor = next((c for c in settings if c.tag in {qn(f"w:{n}") for n in later}), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def main() -> int:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(build())
    print(f"wrote {TEMPLATE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
