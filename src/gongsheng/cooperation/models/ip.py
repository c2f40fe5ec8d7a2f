"""IP assets with their owners, licences and the recorded IP actions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.cooperation.choices import IPAction, IPKind, IPOrigin, LicenceKind, Outcome
from gongsheng.core.models import Versioned, consortium_fk, unit_fk, user_fk


class IPAsset(Versioned):
    consortium = consortium_fk("ip_assets")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=IPKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    origin = models.CharField(
        _("origin"), max_length=14, choices=IPOrigin.choices, default=IPOrigin.OWN
    )
    contract = models.ForeignKey(
        "cooperation.Contract", verbose_name=_("development contract"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="ip_assets",
    )  # fmt: skip
    project = models.ForeignKey(
        "cooperation.Project", verbose_name=_("project"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="ip_assets",
    )  # fmt: skip
    patented = models.BooleanField(_("patent granted"), default=False)
    delivered = models.BooleanField(_("delivered to the commissioning party"), default=True)
    filing_refused_by = models.ManyToManyField(
        "consortia.Unit", verbose_name=_("parties that refused to file"), blank=True,
        related_name="+",
    )  # fmt: skip
    value = models.DecimalField(_("value (CNY)"), max_digits=14, decimal_places=2, default=0)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class IPOwner(models.Model):
    asset = models.ForeignKey(IPAsset, on_delete=models.CASCADE, related_name="owners")
    unit = unit_fk(_("unit"))
    share = models.DecimalField(_("share"), max_digits=6, decimal_places=4, default=1)

    class Meta:
        verbose_name = _("IP owner")
        verbose_name_plural = _("IP owners")
        ordering = ["asset", "-share", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "unit"], name="coop_ipowner_unique"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="coop_ipowner_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.share}"


class Licence(Versioned):
    asset = models.ForeignKey(IPAsset, on_delete=models.PROTECT, related_name="licences")
    licensor = unit_fk(_("licensor"))
    licensee = unit_fk(_("licensee"))
    kind = models.CharField(_("kind"), max_length=10, choices=LicenceKind.choices)
    field_of_use = models.CharField(_("field"), max_length=200, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    may_sublicense = models.BooleanField(_("may sublicense"), default=False)
    may_transfer = models.BooleanField(_("may transfer"), default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("granted under licence"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="sublicences",
    )  # fmt: skip
    contract = models.ForeignKey(
        "cooperation.Contract", verbose_name=_("contract"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="licences",
    )  # fmt: skip
    fee = models.DecimalField(_("fee (CNY)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["asset", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(licensor=models.F("licensee")), name="coop_licence_parties"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset}: {self.kind} → {self.licensee_id}"


class IPRecordedAction(models.Model):
    """An IP action a unit took (a licence granted, a transfer, a sublicence, a filing …),
    with the rules engine's verdict when it was recorded."""

    asset = models.ForeignKey(IPAsset, on_delete=models.PROTECT, related_name="actions")
    unit = unit_fk(_("acting unit"))
    action = models.CharField(_("action"), max_length=12, choices=IPAction.choices)
    counterparty = unit_fk(_("counterparty"), optional=True)
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField(_("date"))
    consent_obtained = models.BooleanField(_("consent obtained"), default=False)
    outcome = models.CharField(_("verdict"), max_length=12, choices=Outcome.choices)
    basis = models.CharField(_("basis"), max_length=300)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = user_fk()

    class Meta:
        verbose_name = _("recorded IP action")
        verbose_name_plural = _("recorded IP actions")
        ordering = ["asset", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.action} {self.asset_id}"
