"""What a file really is: the allowed types, told by their bytes (magic numbers), not their names.

A short table instead of a library: the types a consortium exchanges are few, and the Office and
ODF formats (all ZIP files) are told apart only by their members, which we must open anyway to
refuse ZIP bombs. The declared extension must name the type the bytes show: a ``.pdf`` that is
an ``.exe`` is refused.

=========================  =================================================================
extension                  the bytes
=========================  =================================================================
.pdf                       ``%PDF-``
.png                       ``\\x89PNG\\r\\n\\x1a\\n``
.jpg .jpeg                 ``\\xff\\xd8\\xff``
.docx .xlsx .pptx          ZIP holding ``word/``, ``xl/``, ``ppt/`` (Office Open XML)
.odt .ods .odp             ZIP whose ``mimetype`` member names the ODF type
.ofd                       ZIP holding ``OFD.xml`` (GB/T 33190, China's fixed-layout format)
.csv .txt                  text: UTF-8 or GB18030, no NUL bytes
=========================  =================================================================
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from gongsheng.core.errors import FieldError, ValidationFailed

#: extension -> MIME type sent back on download
TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ofd": "application/ofd",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
_MAGIC = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
_OOXML = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
_ODF = {".odt", ".ods", ".odp"}
_TEXT = {".csv", ".txt"}
#: a ZIP may unpack to at most this many times the upload limit, in at most this many members
ZIP_EXPANSION_LIMIT = 10
ZIP_MAX_MEMBERS = 10_000
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Checked:
    """A file that passed: its clean name, extension, MIME type, size and SHA-256."""

    name: str
    ext: str
    mime_type: str
    size: int
    sha256: str


def _refuse(name: str, reason: str, code: str) -> ValidationFailed:
    return ValidationFailed(
        _("%(name)s: %(reason)s") % {"name": name, "reason": reason}, [FieldError("file", code)]
    )


def clean_name(name: str) -> str:
    """The uploaded name if it is a plain file name; refuses path parts and control characters."""
    if not name or not name.strip():
        raise _refuse("?", _("the file has no name."), "name")
    if (
        "/" in name
        or "\\" in name
        or name.strip() in (".", "..")
        or any(ord(c) < 32 for c in name)
        or (len(name) > 1 and name[1] == ":")
    ):
        raise _refuse(name, _("the name must not contain a path."), "name")
    if len(name) > 200:
        raise _refuse(name[:40] + "…", _("the name is longer than 200 characters."), "name")
    return name.strip()


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def inspect(name: str, stream: IO[bytes], size: int | None = None) -> Checked:
    """Check one upload (name and a seekable binary stream) and return what it is.

    Raises ``ValidationFailed`` naming the file and the reason (field ``file``) for a name with
    path parts, a type not allowed, an empty or too large file, bytes that are not what the
    extension says, or a ZIP that would unpack to more than ``ZIP_EXPANSION_LIMIT`` times the
    upload limit.
    """
    name = clean_name(name)
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in TYPES:
        raise _refuse(
            name,
            _("this type of file is not accepted (allowed: %(types)s).")
            % {"types": " ".join(sorted(TYPES))},
            "type",
        )
    limit = max_bytes()
    if size is not None and size > limit:
        raise _refuse(name, _too_large(limit), "size")
    stream.seek(0)
    digest = hashlib.sha256()
    head = b""
    total = 0
    while chunk := stream.read(_CHUNK):
        if not head:
            head = chunk[:65536]
        total += len(chunk)
        if total > limit:
            raise _refuse(name, _too_large(limit), "size")
        digest.update(chunk)
    if total == 0:
        raise _refuse(name, _("the file is empty."), "empty")
    if not _matches(ext, head, stream, limit, name):
        raise _refuse(
            name,
            _("its content is not a %(ext)s file (the name does not match the bytes).")
            % {"ext": ext},
            "content",
        )
    stream.seek(0)
    return Checked(name=name, ext=ext, mime_type=TYPES[ext], size=total, sha256=digest.hexdigest())


def _too_large(limit: int) -> str:
    return _("the file is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)}


def _matches(ext: str, head: bytes, stream: IO[bytes], limit: int, name: str) -> bool:
    if ext in _MAGIC:
        return head.startswith(_MAGIC[ext])
    if ext in _TEXT:
        return _is_text(head)
    if not head.startswith(b"PK\x03\x04"):
        return False
    members = _zip_members(stream, limit, name)
    if members is None:
        return False
    names, mimetype = members
    if ext in _OOXML:
        return "[Content_Types].xml" in names and any(n.startswith(_OOXML[ext]) for n in names)
    if ext in _ODF:
        return mimetype == TYPES[ext]
    return "OFD.xml" in names  # .ofd


def _zip_members(stream: IO[bytes], limit: int, name: str) -> tuple[set[str], str] | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as zf:  # type: ignore[arg-type]
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS or (
                sum(i.file_size for i in infos) > ZIP_EXPANSION_LIMIT * limit
            ):
                raise _refuse(name, _("it would unpack to far more than its size."), "size")
            names = {i.filename for i in infos}
            mimetype = ""
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size <= 200:
                    mimetype = zf.read(info).decode("ascii", "replace").strip()
            return names, mimetype
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end of the sample is still text
            if exc.start >= len(head) - 3 and len(head) == 65536:
                return True
    return False


def sha256_of(stream: Any) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
