"""Adding and removing files: every write, each in one transaction with its audit entry.

Who may do what follows the record the file is on (``registry.attachable``): adding and
removing need the declared change action on the record, reading needs its view action. The
audit entry carries the record's consortium, unit and confidentiality (read through the
record's access policy), so the audit log shows it to exactly those who see the record's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import is_system
from gongsheng.access.policies import policy_for
from gongsheng.access.scope import can
from gongsheng.attachments import checks
from gongsheng.attachments.models import Attachment
from gongsheng.attachments.registry import PURPOSES, Attachable, declaration_for, record_of
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import record_written
from gongsheng.core.errors import FieldError, Forbidden, NotFound, ValidationFailed


@dataclass(frozen=True)
class RecordScope:
    """Where a record sits for the audit log: its consortium, first owning unit, secrecy."""

    consortium_id: int | None
    unit_id: int | None
    confidential: bool


def record_scope(record: Model) -> RecordScope:
    """The record's consortium and unit, read through its access policy's paths (one query)."""
    policy = policy_for(type(record))
    if policy is None:
        return RecordScope(None, None, False)
    paths = [p for p in (policy.consortium, *policy.owners) if p]
    row = (
        type(record)._default_manager.filter(pk=record.pk).values_list(*paths).first()
        if paths
        else None
    ) or (None,) * len(paths)
    values = dict(zip(paths, row, strict=True))
    consortium_id = values.get(policy.consortium) if policy.consortium else None
    unit_id = next((values[p] for p in policy.owners if values.get(p) is not None), None)
    confidential = getattr(record, "confidential", None)
    if confidential is None:
        confidential = policy.confidential
    return RecordScope(consortium_id, unit_id, bool(confidential))


def declared(record: Model) -> Attachable:
    decl = declaration_for(type(record))
    if decl is None:
        raise NotFound()
    return decl


def _require(actor: Any, decl: Attachable, record: Model) -> None:
    """The actor may change the record's files; "not found" when the record is not theirs."""
    if is_system(actor):  # the system: demo loader, migrations
        return
    if can(actor, decl.change, record):
        return
    if can(actor, "view", record):
        raise Forbidden(_("You may not add or remove files on this record."))
    raise NotFound()


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    record: Model,
    file: File | bytes,
    purpose: str = "attachment",
    name: str | None = None,
    note: str = "",
) -> Attachment:
    """Store ``file`` on ``record`` after checking its type (by content), size and name.

    ``file`` is an uploaded file (or any Django ``File``; bytes with ``name=``). Raises
    ``ValidationFailed`` naming the file and the reason, ``Forbidden``/``NotFound`` when the
    actor may not change the record.
    """
    decl = declared(record)
    if isinstance(file, bytes | bytearray):
        file = ContentFile(bytes(file), name=name or "")
    name = name if name is not None else (file.name or "")
    # lock the record: a concurrent removal or move waits for this one
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    _require(actor, decl, record)
    if purpose not in decl.purposes:
        labels = "、".join(str(PURPOSES[p]) for p in decl.purposes)
        raise ValidationFailed(
            _("This record takes files for: %(purposes)s.") % {"purposes": labels},
            [FieldError("purpose", _("not allowed here"))],
        )
    if len(note) > 300:
        raise ValidationFailed(
            _("The note is longer than 300 characters."), [FieldError("note", _("too long"))]
        )
    checked = checks.inspect(name, file, getattr(file, "size", None))
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        purpose=purpose,
        name=checked.name,
        size=checked.size,
        mime_type=checked.mime_type,
        sha256=checked.sha256,
        note=note.strip(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    file.seek(0)
    attachment.file.save(f"file{checked.ext}", file, save=False)
    attachment.save()
    where = record_scope(record)
    record_written(
        actor, attachment, EventType.ATTACHMENT_ADDED, after=attachment.snapshot(),
        consortium_id=where.consortium_id, unit_id=where.unit_id, confidential=where.confidential,
        related=record,
    )  # fmt: skip
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment_id: int, reason: str = "") -> Attachment:
    """Take a file off its record. The row is marked removed and the bytes are kept.

    Why keep them: evidence proves ledger entries, which are never deleted, and the audit log
    must still be able to show what was removed (name, checksum, and the file itself to the
    platform admin); a removal by mistake is then no loss. Backups and ``verify`` keep
    checking removed files too.
    """
    attachment = (
        Attachment.objects.select_for_update()
        .filter(pk=attachment_id, removed_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise NotFound()
    decl, record = record_of(attachment)
    if not is_system(actor) and not can(actor, decl.view, record):
        raise NotFound()
    _require(actor, decl, record)
    before = attachment.snapshot()
    attachment.removed_at = timezone.now()
    attachment.removed_by = actor if getattr(actor, "pk", None) else None
    attachment.save(update_fields=["removed_at", "removed_by"])
    where = record_scope(record)
    record_written(
        actor, attachment, EventType.ATTACHMENT_REMOVED, Action.DELETE, before=before,
        after={**before, "removed_at": attachment.removed_at}, consortium_id=where.consortium_id,
        unit_id=where.unit_id, confidential=where.confidential, related=record,
        message=reason[:500],
    )  # fmt: skip
    return attachment


@transaction.atomic
def attachment_opened(*, actor: Any, attachment: Attachment, record: Model) -> bool:
    """Write the audit entry for a download of a confidential record's file; ``True`` if one
    was written. (Files of records that are not confidential are not audited on download.)"""
    where = record_scope(record)
    if not where.confidential:
        return False
    record_written(
        actor, attachment, EventType.ATTACHMENT_DOWNLOADED, Action.EXPORT,
        after={"sha256": attachment.sha256, "name": attachment.name},
        consortium_id=where.consortium_id, unit_id=where.unit_id, confidential=True,
        related=record,
    )  # fmt: skip
    return True


def attachments_delete_for(*, actor: Any, record: Model) -> int:
    """The record is being deleted (call it inside the deleting transaction, before the row
    goes): remove every file on it — removed ones too — rows and bytes, with one audit entry
    per file (``ATTACHMENT_DELETED``, the file's last snapshot, related to the record). The
    bytes are deleted after the commit, so a rolled-back deletion keeps them. Returns how
    many files went. The caller has checked the right to delete the record."""
    if declaration_for(type(record)) is None:
        return 0
    rows = list(
        Attachment.objects.select_for_update()
        .filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .select_related("content_type")
        .order_by("pk")
    )
    if not rows:
        return 0
    where = record_scope(record)
    for attachment in rows:
        record_written(
            actor, attachment, EventType.ATTACHMENT_DELETED, Action.DELETE,
            before=attachment.snapshot(), consortium_id=where.consortium_id, unit_id=where.unit_id,
            confidential=where.confidential, related=record, message="the record was deleted",
            after=None,
        )  # fmt: skip
    files = [(a.file.storage, a.file.name) for a in rows if a.file.name]
    Attachment.objects.filter(pk__in=[a.pk for a in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return len(rows)
