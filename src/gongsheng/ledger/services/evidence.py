"""Evidence files on entries (attachments with purpose ``evidence``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongsheng.access.scope import require
from gongsheng.core.errors import FieldError, NotFound, ValidationFailed
from gongsheng.ledger.models import LedgerEntry

# --- evidence -------------------------------------------------------------------------------
#: kept for ``environment.PublicPolicy``'s evidence file until it moves onto attachments
#: (the ledger's own evidence uses ``gongsheng.attachments.checks``)
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
}


def check_evidence(name: str, data: bytes) -> str:
    """The file's extension after checking its type (by content) and size."""
    from django.conf import settings

    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationFailed(
            _("%(name)s: evidence must be a PDF, image, Word, Excel or OFD file.") % {"name": name},
            [FieldError("file", _("type not accepted"))],
        )
    if not data:
        raise ValidationFailed(
            _("%(name)s is empty.") % {"name": name}, [FieldError("file", _("empty"))]
        )
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationFailed(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1)},
            [FieldError("file", _("too large"))],
        )
    if not any(data.startswith(magic) for magic in EVIDENCE_TYPES[ext]):
        raise ValidationFailed(
            _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext},
            [FieldError("file", _("content does not match its name"))],
        )
    return ext


def evidence_add(*, actor: Any, entry_id: int, name: str, data: Any) -> Any:
    """Attach an evidence file (佐证材料) to an entry: an ``attachments.Attachment`` with
    purpose ``evidence`` (checked by content, size and name; audited as ATTACHMENT_ADDED).
    Whoever may post the entry may attach evidence to it: the secretariat, or a unit admin of
    a party (the entry policy's ``attach`` move). ``data`` is bytes or an uploaded file."""
    from gongsheng.attachments.services import attachment_add

    entry = LedgerEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    require(
        actor,
        "attach",
        entry,
        message=_("You may add evidence only to your own unit's entries."),
    )
    return attachment_add(actor=actor, record=entry, file=data, name=name, purpose="evidence")
