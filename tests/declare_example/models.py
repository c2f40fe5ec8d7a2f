from django.db import models
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned


class Notice(Versioned):
    """A notice of the consortium's secretariat to its members; closed when it is over."""

    consortium = models.ForeignKey("consortia.Consortium", on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
