"""What a file really is: types told by their bytes, sizes, names, ZIP bombs."""

from __future__ import annotations

import io

import pytest

from gongsheng.attachments.checks import inspect
from gongsheng.core.errors import ValidationFailed
from tests.attachments.conftest import DOCX, PDF, XLSX, make_zip

ODT = make_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
OFD = make_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def check(name, data, size=None):
    return inspect(name, io.BytesIO(data), size)


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("合同.pdf", PDF, "application/pdf"),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("site.jpeg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (
            "方案.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("名单.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("纪要.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("发票.ofd", OFD, "application/ofd"),
        ("名单.csv", "单位,金额\n甲,1\n".encode(), "text/csv"),
        ("说明.txt", "说明文字".encode("gb18030"), "text/plain"),
    ],
)
def test_allowed_types_pass_with_their_checksum(name, data, mime):
    import hashlib

    c = check(name, data)
    assert (c.mime_type, c.size, c.sha256) == (mime, len(data), hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("invoice.pdf", EXE, "is not a .pdf file"),  # an .exe renamed .pdf
        ("setup.exe", EXE, "not accepted"),
        ("a.docx", XLSX, "is not a .docx file"),  # a workbook named as a Word file
        ("a.docx", make_zip({"x.txt": b"x"}), "is not a .docx file"),
        ("a.docx", b"PK\x03\x04 broken", "is not a .docx file"),
        ("a.odt", make_zip({"mimetype": b"application/zip"}), "is not a .odt file"),
        ("a.ofd", DOCX, "is not a .ofd file"),
        ("a.csv", b"a,b\x00\x01", "is not a .csv file"),
        ("a.png", PDF, "is not a .png file"),
        ("empty.pdf", b"", "empty"),
        ("noext", PDF, "not accepted"),
        ("../etc/passwd.pdf", PDF, "must not contain a path"),
        ("dir/a.pdf", PDF, "must not contain a path"),
        ("dir\\a.pdf", PDF, "must not contain a path"),
        ("C:a.pdf", PDF, "must not contain a path"),
        ("..", PDF, "must not contain a path"),
        ("", PDF, "no name"),
        ("a" * 201 + ".pdf", PDF, "longer than 200"),
    ],
)
def test_refused_with_the_file_and_the_reason(name, data, reason):
    with pytest.raises(ValidationFailed, match=reason) as exc:
        check(name, data)
    assert exc.value.errors[0].field == "file"
    if name and "/" not in name and len(name) < 100:
        assert exc.value.message.startswith(name)


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert check("a.pdf", b"%PDF-" + b"x" * 1019).size == 1024
    with pytest.raises(ValidationFailed, match=r"larger than 0\.0 MB") as exc:
        check("a.pdf", b"%PDF-" + b"x" * 1020)
    assert exc.value.errors[0].message == "size"
    # the declared size alone refuses before reading
    with pytest.raises(ValidationFailed, match="larger"):
        check("a.pdf", b"%PDF-", size=4096)


def test_zip_bomb_is_refused(settings):
    """A small .docx that would unpack to far more than ten times the upload limit."""
    settings.UPLOAD_MAX_BYTES = 20 * 1024
    bomb = make_zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (1024 * 1024)}
    )
    assert len(bomb) < settings.UPLOAD_MAX_BYTES
    with pytest.raises(ValidationFailed, match="unpack to far more"):
        check("bomb.docx", bomb)


def test_chinese_messages():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        check("发票.pdf", EXE)
    assert exc.value.message.startswith("发票.pdf") and "不是" in exc.value.message
