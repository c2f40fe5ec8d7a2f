"""Rendered documents: the PDF and Word files of one report, kept in Django's storage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: the file formats the pipeline writes
FORMATS = ("pdf", "docx")


class RenderedDocument(models.Model):
    """One render of a report, as its author saw the data at that moment.

    The files hold what the author's access allowed, so only the author (and platform admins)
    may download them (``documents.rules``); the report's own check is asked again at download.
    """

    report = models.CharField(_("report"), max_length=80, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    consortium_id = models.BigIntegerField(_("consortium"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    pdf = models.FileField(_("PDF"), upload_to="documents/%Y/%m/", blank=True, max_length=200)
    docx = models.FileField(_("Word"), upload_to="documents/%Y/%m/", blank=True, max_length=200)
    render_ms = models.PositiveIntegerField(_("render time (ms)"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        indexes = [models.Index(fields=["created_by", "created_at"], name="documents_author_idx")]

    def __str__(self) -> str:
        return self.title

    def file(self, fmt: str) -> models.fields.files.FieldFile | None:
        if fmt not in FORMATS:
            return None
        f = getattr(self, fmt)
        return f if f else None

    @property
    def formats(self) -> list[str]:
        return [fmt for fmt in FORMATS if getattr(self, fmt)]
