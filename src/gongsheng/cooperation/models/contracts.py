"""Contracts: parties, term, obligations, a benefit-sharing rule, IP clauses and versions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.cooperation.choices import (
    BenefitMethod,
    ContractStatus,
    ContractType,
    IPAction,
    Outcome,
    PartyRole,
)
from gongsheng.core.models import TimeStamped, Versioned, consortium_fk, unit_fk, user_fk


class Contract(Versioned):
    """Confidential: visible to its parties' units and the secretariat; supervisors see that it
    exists, its parties and value."""

    consortium = consortium_fk("contracts")
    project = models.ForeignKey(
        "cooperation.Project", verbose_name=_("project"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="contracts",
    )  # fmt: skip
    code = models.CharField(_("number"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=ContractType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    value = models.DecimalField(_("value (CNY)"), max_digits=14, decimal_places=2, default=0)
    benefit_method = models.CharField(
        _("benefit sharing"), max_length=12, choices=BenefitMethod.choices,
        default=BenefitMethod.FIXED,
    )  # fmt: skip
    terms = models.TextField(_("terms"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["consortium", "type"], name="coop_contract_type")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="coop_contract_term",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class ContractParty(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    unit = unit_fk(_("unit"), "contract_parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    share = models.DecimalField(
        _("fixed share"), max_digits=6, decimal_places=4, null=True, blank=True,
        help_text=_("between 0 and 1; used by fixed-share benefit rules"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        ordering = ["contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "unit"], name="coop_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.role})"


class Obligation(TimeStamped):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    unit = unit_fk(_("obliged unit"))
    description = models.CharField(_("obligation"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["contract", "due_on", "id"]

    def __str__(self) -> str:
        return self.description


class IPClause(models.Model):
    """A clause of the contract on an IP action: it decides before the statutory defaults."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="ip_clauses")
    ref = models.CharField(_("clause"), max_length=60)
    action = models.CharField(_("action"), max_length=12, choices=IPAction.choices)
    unit = unit_fk(_("applies to"), optional=True, help_text=_("empty: every party"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    text = models.CharField(_("text"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("IP clause")
        verbose_name_plural = _("IP clauses")
        ordering = ["contract", "id"]

    def __str__(self) -> str:
        return self.ref


class ContractVersion(models.Model):
    """A saved version of the contract (its fields and parties when it was changed)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("contents"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = user_fk()

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="coop_contract_version")
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"
