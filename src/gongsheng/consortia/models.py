"""Consortia, member units, their contacts and memberships."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.consortia.choices import (
    ConsortiumStatus,
    Level,
    MembershipEventKind,
    MembershipStatus,
    Rank,
    UnitType,
)
from gongsheng.consortia.credit_code import validate_credit_code
from gongsheng.core.models import TimeStamped, Versioned, consortium_fk, unit_fk, user_fk


class Consortium(Versioned):
    """A municipal industry–education consortium (市域产教联合体)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ConsortiumStatus.choices, default="building"
    )
    province = models.CharField(_("province"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    park_name = models.CharField(_("industrial park"), max_length=200, blank=True)
    park_industry_chain = models.CharField(_("leading industry chain"), max_length=200, blank=True)
    park_output = models.DecimalField(
        _("park output (100 million CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    park_output_rank = models.PositiveSmallIntegerField(
        _("output rank in the province"), null=True, blank=True
    )
    lead_government = unit_fk(_("lead government body"), optional=True)
    lead_school = unit_fk(_("lead school"), optional=True)
    lead_enterprise = unit_fk(_("lead enterprise"), optional=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(Versioned):
    """A member organisation, identified platform-wide by its credit code."""

    credit_code = models.CharField(
        _("credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    type = models.CharField(_("type"), max_length=30, choices=UnitType.choices)
    province = models.CharField(_("province"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["name"]
        indexes = [models.Index(fields=["type"], name="consortia_unit_type_idx")]

    def __str__(self) -> str:
        return self.name


class Contact(Versioned):
    """A contact person of a unit: personal data, visible only to that unit and the
    secretariat."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(Versioned):
    """A unit's membership of one consortium, with its rank and lifecycle."""

    consortium = consortium_fk("memberships")
    unit = unit_fk(_("unit"), "memberships")
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, default=Rank.MEMBER)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    approved_by = user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["consortium", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "unit"], name="consortia_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="consortia_membership_dates",
            ),
        ]
        indexes = [models.Index(fields=["consortium", "status"], name="consortia_ms_status_idx")]

    def __str__(self) -> str:
        return f"{self.unit} @ {self.consortium}"


class MembershipEvent(TimeStamped):
    """A recorded step of a membership: applied, admitted, rank or details changed, left."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=MembershipEventKind.choices)
    on = models.DateField(_("date"))
    from_value = models.CharField(_("from"), max_length=60, blank=True)
    to_value = models.CharField(_("to"), max_length=60, blank=True)
    actor = user_fk(_("by"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["membership", "on", "id"]

    def __str__(self) -> str:
        return f"{self.membership} {self.kind} {self.on}"
