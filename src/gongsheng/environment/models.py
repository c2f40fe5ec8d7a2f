"""The register of policies and incentives around a consortium (its symbiotic environment)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned, consortium_fk
from gongsheng.environment.choices import (
    AmountBasis,
    Classification,
    Instrument,
    PolicyKind,
    PolicyLevel,
    TargetGroup,
)


class PublicPolicy(Versioned):
    """One policy or incentive measure (政策文件 / 激励措施) recorded for a consortium.

    Visible to every role of the consortium; edited by its secretariat and supervisors. A policy
    is *in force* on a day from ``effective_from`` to ``effective_to`` (open-ended when empty),
    and no longer from ``withdrawn_on`` on.
    """

    consortium = consortium_fk("public_policies")
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=80, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=PolicyLevel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PolicyKind.choices)
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    target_groups = models.CharField(
        _("target groups"), max_length=60, blank=True,
        help_text=_("comma-separated: school, enterprise, government, research"),
    )  # fmt: skip
    target_units = models.ManyToManyField(
        "consortia.Unit", verbose_name=_("target units"), blank=True, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True,
        help_text=_("CNY, or a percentage for the percentage basis"),
    )  # fmt: skip
    amount_basis = models.CharField(
        _("amount is"), max_length=12, choices=AmountBasis.choices, default=AmountBasis.PER_YEAR
    )
    quantity = models.DecimalField(
        _("quantity per year"), max_digits=16, decimal_places=2, null=True, blank=True,
        help_text=_(
            "units, students or projects per year the amount applies to; for a percentage, "
            "the CNY base per year"
        ),
    )  # fmt: skip
    classification = models.CharField(
        _("classification"), max_length=10, choices=Classification.choices,
        default=Classification.NEUTRAL,
    )  # fmt: skip
    classification_reason = models.CharField(_("reason for the classification"), max_length=300,
                                             blank=True)  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-effective_from", "-id"]
        indexes = [
            models.Index(fields=["consortium", "effective_from"], name="env_policy_from"),
            models.Index(fields=["consortium", "kind"], name="env_policy_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="env_policy_term",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="env_policy_amount"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="env_policy_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})" if self.number else self.title

    @property
    def groups(self) -> list[str]:
        return [g for g in self.target_groups.split(",") if g]

    @property
    def group_labels(self) -> list[str]:
        return [str(TargetGroup(g).label) for g in self.groups if g in TargetGroup.values]

    @property
    def ends_on(self) -> dt.date | None:
        """The last day in force: the earlier of the term's end and the day before withdrawal."""
        ends = [d for d in (self.effective_to,) if d]
        if self.withdrawn_on:
            ends.append(self.withdrawn_on - dt.timedelta(days=1))
        return min(ends) if ends else None

    def in_force_on(self, day: dt.date) -> bool:
        end = self.ends_on
        return self.effective_from <= day and (end is None or day <= end)

    def in_force_in(self, year: int) -> bool:
        end = self.ends_on
        return self.effective_from.year <= year and (end is None or end >= dt.date(year, 1, 1))
