"""The PDF: Chinese text that pdftotext can read back, a TOC with page numbers, page numbers,
table headers repeated, nothing fetched from outside."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.utils import translation

from gongsheng.documents.model import Document, Paragraph, Section
from gongsheng.documents.pdf import document_html, render_pdf
from tests.documents.sample import sample_document

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(data: bytes, tmp_path, *, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def pdf_bytes():
    with translation.override("zh-hans"):
        return render_pdf(sample_document())


def test_pdf_text_holds_the_chinese_it_was_given(pdf_bytes, tmp_path):
    assert pdf_bytes.startswith(b"%PDF-")
    text = pdf_text(pdf_bytes, tmp_path)
    for phrase in (
        "联合体运行简报测试",
        "二〇二六年度",
        "滨海市域产教联合体",
        "本联合体共有成员单位九十家，其中企业居多。",
        "表一 成员单位投入明细",
        "单位名称",
        "成员单位甲乙000",
        "成员单位甲乙089",
        "1,234.50",
        "合计",
        "对称互惠共生单元对",
        "十二对",
    ):
        assert phrase in text, phrase


def test_table_of_contents_lists_the_sections_with_page_numbers(pdf_bytes, tmp_path):
    first_page = pdf_text(pdf_bytes, tmp_path, first=1, last=1)
    assert "目录" in first_page
    toc = {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"(成员构成|共生模式分析|关键指标)\s*\.+\s*(\d+)", first_page)
    }
    assert set(toc) == {"成员构成", "共生模式分析", "关键指标"}
    # the numbers are the pages the headings are really on
    for heading, page in toc.items():
        assert heading in pdf_text(pdf_bytes, tmp_path, first=page, last=page)
    assert toc["成员构成"] < toc["共生模式分析"] < toc["关键指标"]  # the page break moved it on


def test_every_page_is_numbered_page_n_of_m(pdf_bytes, tmp_path):
    text = pdf_text(pdf_bytes, tmp_path)
    numbers = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text)
    total = int(numbers[0][1])
    assert total >= 4
    assert [int(n) for n, _m in numbers] == list(range(1, total + 1))
    assert {int(m) for _n, m in numbers} == {total}


def test_table_header_repeats_on_the_next_page(pdf_bytes, tmp_path):
    pages = pdf_text(pdf_bytes, tmp_path).split("\f")
    with_rows = [p for p in pages if "成员单位甲乙" in p]
    assert len(with_rows) >= 2
    assert all("单位名称" in p and "投入（元）" in p for p in with_rows)
    # the running header (the title) from the second page on, not on the title page
    assert all("联合体运行简报测试" in p for p in pages[1:] if p.strip())


def test_text_is_escaped_and_nothing_is_fetched_from_outside(tmp_path):
    doc = Document(
        title="标题<script>",
        sections=[Section("章节", blocks=[Paragraph('<img src="http://127.0.0.1:9/x.png">正文')])],
    )
    from gongsheng.documents.fonts import cjk_fonts

    html = document_html(doc, fonts=cjk_fonts())
    assert '<img src="http' not in html and "&lt;img" in html
    text = pdf_text(render_pdf(doc), tmp_path)
    assert '<img src="http://127.0.0.1:9/x.png">正文' in text


def test_english_document_labels(tmp_path):
    doc = Document(
        title="Brief", sections=[Section("One", blocks=[Paragraph("Text")])], language="en"
    )
    text = pdf_text(render_pdf(doc), tmp_path)
    assert "Contents" in text and re.search(r"Page 2 of 2", text)


def _images(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "img.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines()[2:] if line.split()[2:3] == ["image"]]


def test_the_chart_is_in_the_pdf_as_png_or_as_vectors(pdf_bytes, tmp_path):
    assert len(_images(pdf_bytes, tmp_path)) == 1  # the one chart, as a PNG
    with translation.override("zh-hans"):
        vector = render_pdf(sample_document(), vector=True)
    assert _images(vector, tmp_path) == []  # drawn as paths
    assert "共生模式分析" in pdf_text(vector, tmp_path)
