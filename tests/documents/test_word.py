"""The .docx: Chinese text, East Asian fonts on the styles, a TOC field Word updates on open,
page numbers, a table with a repeating header row, the chart as a picture; and the committed
template is what build_template.py builds."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.utils import translation

from gongsheng.documents import build_template
from gongsheng.documents.word import render_docx
from tests.documents.sample import ROWS, sample_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_bytes():
    with translation.override("zh-hans"):
        return render_docx(sample_document())


@pytest.fixture(scope="module")
def document(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode("utf-8")


def test_the_chinese_text_is_there(document):
    texts = [p.text for p in document.paragraphs]
    for phrase in ("联合体运行简报测试", "二〇二六年度", "联合体：滨海市域产教联合体", "目录",
                   "成员构成", "本联合体共有成员单位九十家，其中企业居多。", "表一 成员单位投入明细",
                   "共生模式分析", "图一 投入与产出", "关键指标"):  # fmt: skip
        assert phrase in texts, phrase
    assert not any("{{" in t or "{%" in t for t in texts)  # every tag was filled


def test_headings_use_the_heading_styles_word_collects(document):
    headings = {
        p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")
    }
    assert headings == {
        "成员构成": "Heading 1",
        "共生模式分析": "Heading 1",
        "关键指标": "Heading 2",
    }


def test_east_asian_fonts_are_set_on_the_styles(document):
    def east_asia(style_name: str) -> str:
        rfonts = document.styles[style_name].element.find(f"{W}rPr/{W}rFonts")
        return rfonts.get(f"{W}eastAsia")

    assert east_asia("Normal") == build_template.BODY_EAST_ASIA == "宋体"
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        assert east_asia(name) == build_template.HEADING_EAST_ASIA == "黑体"


def test_a_toc_field_that_word_updates_on_open(docx_bytes):
    body = xml(docx_bytes, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert 'w:fldCharType="begin" w:dirty="true"' in body
    assert '<w:updateFields w:val="true"/>' in xml(docx_bytes, "word/settings.xml")


def test_page_numbers_in_the_footer(docx_bytes, document):
    footer = xml(docx_bytes, "word/footer1.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer
    text = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert text.startswith("第 ") and " 页 共 " in text and text.endswith(" 页")
    assert document.sections[0].header.paragraphs[0].text == "联合体运行简报测试"


def test_the_table_has_a_repeating_header_row(document):
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["单位名称", "投入（元）", "项目数"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert len(table.rows) == 1 + ROWS + 1
    assert [c.text for c in table.rows[2].cells] == ["成员单位甲乙001", "1,234.50", "1"]
    assert table.rows[-1].cells[0].text == "合计"


def test_the_chart_is_a_picture(docx_bytes, document):
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert images and z.read(images[0]).startswith(b"\x89PNG")


def test_xml_special_and_control_characters_do_not_break_the_file():
    from gongsheng.documents.model import Document, Paragraph, Section

    doc = Document(title="A & B <c>", sections=[Section("节\x07", blocks=[Paragraph("x < y & z")])])
    d = docx.Document(io.BytesIO(render_docx(doc)))
    texts = [p.text for p in d.paragraphs]
    assert "A & B <c>" in texts and "x < y & z" in texts and "节" in texts


PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/header1.xml",
         "word/footer1.xml", "word/footer2.xml", "[Content_Types].xml", "word/_rels/document.xml.rels")  # fmt: skip


def test_the_committed_template_is_a_fresh_build():
    """After changing build_template.py run ``python -m gongsheng.documents.build_template``."""
    fresh = build_template.build()
    committed = build_template.TEMPLATE.read_bytes()
    for part in PARTS:
        assert xml(fresh, part) == xml(committed, part), part
