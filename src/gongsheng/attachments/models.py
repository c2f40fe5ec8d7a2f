"""One model: a file on any declared record, stored under the data directory with a checksum."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import user_fk


def upload_path(instance: Attachment, filename: str) -> str:
    """``attachments/<app>.<model>/<yyyy>/<mm>/<uuid><ext>``: never the uploaded name (which is
    kept in ``name``), so no path part or odd character of it reaches the file system."""
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    ct = instance.content_type
    now = timezone.now()
    return f"attachments/{ct.app_label}.{ct.model}/{now:%Y/%m}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A file on a record. Never edited; a removal marks the row and keeps the bytes (see
    ``services.attachment_remove``)."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("purpose"), max_length=30, default="attachment")
    file = models.FileField(_("stored file"), upload_to=upload_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = user_fk(_("uploaded by"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = user_fk(_("removed by"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["content_type_id", "object_id", "uploaded_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_record_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def snapshot(self) -> dict[str, Any]:
        return {
            "record": f"{self.content_type.app_label}.{self.content_type.model}:{self.object_id}",
            "purpose": self.purpose,
            "name": self.name,
            "size": self.size,
            "mime_type": self.mime_type,
            "sha256": self.sha256,
            "file": self.file.name,
            "note": self.note,
        }
