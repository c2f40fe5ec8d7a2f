from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongsheng.core.reasons import reason_text


class Severity(models.TextChoices):
    INFO = "info", _("information")
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")


class Alert(models.Model):
    """Something the secretariat should look at, with the reason and what it concerns.

    Apps above this one raise alerts through :func:`gongsheng.alerts.services.alert_raise`; the
    record concerned is named generically (content type and id), so this app imports none of them.
    """

    consortium = models.ForeignKey(
        "consortia.Consortium", on_delete=models.CASCADE, related_name="alerts"
    )
    unit = models.ForeignKey(
        "consortia.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    # the title and reason as codes with parameters, rendered in the reader's language
    # (gongsheng.core.reasons, decision 0808); null for alerts raised as plain text
    title_code = models.JSONField(_("title code"), null=True, blank=True, editable=False)
    reason_code = models.JSONField(_("reason code"), null=True, blank=True, editable=False)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidential = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["consortium", "acknowledged_at"], name="alerts_open_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language (as raised, for an alert without a code)."""
        return (reason_text(self.title_code) if self.title_code else "") or self.title

    @property
    def reason_text(self) -> str:
        """The reason in the active language (as raised, for an alert without a code)."""
        return (reason_text(self.reason_code) if self.reason_code else "") or self.reason
