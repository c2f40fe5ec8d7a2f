"""Reading files: always through the record they are on (its access policy decides)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from gongsheng.access.scope import access_object, can
from gongsheng.attachments.models import Attachment
from gongsheng.attachments.registry import (
    PURPOSES,
    Attachable,
    declaration_for,
    parse_ref,
    record_of,
    ref_of,
)
from gongsheng.core.errors import NotFound


def record_get(user: Any, ref: str) -> tuple[Attachable, Model]:
    """The record named ``<type>:<id>`` if the user may see its files; ``NotFound`` for a
    record that is missing, not theirs, or of a type that takes no files."""
    decl, pk = parse_ref(ref)
    record = access_object(user, decl.model._default_manager.all(), pk, "view")
    if not can(user, decl.view, record):
        raise NotFound()
    return decl, record


def attachments_for(user: Any, record: Model) -> list[Attachment]:
    """The files on ``record`` (not removed), if the user may see them; else ``NotFound``."""
    decl = declaration_for(type(record))
    if decl is None or not can(user, decl.view, record):
        raise NotFound()
    return files_on(record)


def files_on(record: Model) -> list[Attachment]:
    """The files on ``record`` (not removed), for a caller that has already checked that the
    user may see them (one query)."""
    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            removed_at__isnull=True,
        ).select_related("uploaded_by")
    )


def attachment_get(user: Any, attachment_id: int) -> tuple[Attachment, Model]:
    """One file and its record, if the user may see the record's files (the same
    ``NotFound`` for a missing file, a removed one and one that is not theirs)."""
    attachment = (
        Attachment.objects.select_related("content_type")
        .filter(pk=attachment_id, removed_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise NotFound()
    decl, record = record_of(attachment)
    if not can(user, decl.view, record):
        raise NotFound()
    return attachment, record


@dataclass
class Panel:
    """What the attachments panel of a detail page shows."""

    ref: str
    items: list[Attachment] = field(default_factory=list)
    may_view: bool = False
    may_change: bool = False
    purposes: list[tuple[str, Any]] = field(default_factory=list)


def panel(user: Any, record: Model) -> Panel:
    """The panel for ``record``: nothing for a user who may not see its files; the upload
    form and remove buttons only for one who may change them (three queries)."""
    decl = declaration_for(type(record))
    out = Panel(ref=ref_of(record))
    if decl is None or not can(user, decl.view, record):
        return out
    out.may_view = True
    out.items = files_on(record)
    out.may_change = can(user, decl.change, record)
    out.purposes = [(p, PURPOSES[p]) for p in decl.purposes]
    return out
