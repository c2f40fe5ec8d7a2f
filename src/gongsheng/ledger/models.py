"""Categories, dated valuation rules and the append-only ledger entries."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import consortium_fk, unit_fk, user_fk
from gongsheng.ledger.choices import Decision, PartyKind
from gongsheng.ledger.pools import pool_label


def academic_year_of(day: Any) -> int:
    """The year the academic year (September to August) of ``day`` starts in."""
    return day.year if day.month >= 9 else day.year - 1


class Category(models.Model):
    """A kind of quality parameter (资金, 设备, 导师课时 …), platform-wide or a consortium's."""

    consortium = consortium_fk(
        "ledger_categories",
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("empty: available to every consortium"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    quantity_unit = models.CharField(_("unit of quantity"), max_length=20)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("ledger category")
        verbose_name_plural = _("ledger categories")
        ordering = ["consortium_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "code"], name="ledger_category_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(consortium__isnull=True), name="ledger_category_global"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ValuationRule(models.Model):
    """The CNY value of one unit of quantity of a category to its receiver, and what giving it
    costs the giver, from a date on (MODELS.md, "The ledger and what the diagnosis reads").

    The cost is a price per unit (``cost_unit_value``) or a share of the value
    (``cost_share``); with neither, cost = value (money, and every rule written before costs
    were recorded). Rules are never edited: a new price is a new rule with a later
    ``effective_from`` (its ``version`` counts the rules of that category and consortium). An
    entry keeps the rule that valued it.
    """

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="rules"
    )
    consortium = consortium_fk("valuation_rules", on_delete=models.CASCADE, optional=True)
    effective_from = models.DateField(_("effective from"))
    unit_value = models.DecimalField(_("value per unit (CNY)"), max_digits=14, decimal_places=4)
    version = models.PositiveIntegerField(_("version"))
    cost_unit_value = models.DecimalField(
        _("cost per unit (CNY)"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("what giving one unit costs the giver; empty: see the cost share"),
    )
    cost_share = models.DecimalField(
        _("cost as a share of the value"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("e.g. 0.3 for 30 %; empty with no cost per unit: cost = value"),
    )
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    #: shipped with the platform as a starting point the secretariat should review
    is_default = models.BooleanField(_("default to review"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = user_fk()

    class Meta:
        verbose_name = _("valuation rule")
        verbose_name_plural = _("valuation rules")
        ordering = ["category_id", "consortium_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "consortium", "effective_from"], name="ledger_rule_unique"
            ),
            models.CheckConstraint(condition=Q(unit_value__gte=0), name="ledger_rule_nonnegative"),
            models.CheckConstraint(
                condition=Q(cost_unit_value__isnull=True) | Q(cost_share__isnull=True),
                name="ledger_rule_one_cost_rule",
            ),
            models.CheckConstraint(
                condition=(Q(cost_unit_value__isnull=True) | Q(cost_unit_value__gte=0))
                & (Q(cost_share__isnull=True) | Q(cost_share__gte=0)),
                name="ledger_rule_cost_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} v{self.version} ({self.effective_from}): {self.unit_value}"


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Ledger entries are never edited; post a reversing entry.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Ledger entries are never deleted; post a reversing entry.")

    def _demo_delete(self) -> tuple[int, dict[str, int]]:
        """Only the demo loader removes entries (its own synthetic ones): their files, then
        the entries in one DELETE (reversals point at entries of the same set; the foreign keys
        are checked at commit), without loading a million rows into the collector."""
        from django.contrib.contenttypes.models import ContentType

        from gongsheng.attachments.models import Attachment

        pks = self.values("pk")
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(LedgerEntry), object_id__in=pks
        ).delete()
        # reversals of entries in the set go too, wherever they were selected; and the
        # givers' answers to them (append-only too: only the demo's own go, here)
        qs = LedgerEntry.objects.filter(models.Q(pk__in=pks) | models.Q(reverses__in=pks))
        answers = EntryConfirmation.objects.filter(entry__in=qs.values("pk"))
        answers._raw_delete(answers.db)
        n = qs._raw_delete(qs.db)
        return n, {LedgerEntry._meta.label: n}


class LedgerEntry(models.Model):
    """One flow of value from a giver to a receiver. Append-only."""

    consortium = consortium_fk("ledger_entries")
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        editable=False,
        default=0,
        help_text=_("the year its academic year (September to August) starts in"),
    )
    giver_kind = models.CharField(_("giver"), max_length=8, choices=PartyKind.choices)
    giver_unit = unit_fk(_("giving unit"), "ledger_given", optional=True)
    giver_pool = models.CharField(_("giving pool"), max_length=60, blank=True)
    receiver_kind = models.CharField(_("receiver"), max_length=8, choices=PartyKind.choices)
    receiver_unit = unit_fk(_("receiving unit"), "ledger_received", optional=True)
    receiver_pool = models.CharField(_("receiving pool"), max_length=60, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    #: the value to the receiver (what obtaining it otherwise would cost)
    value = models.DecimalField(_("value (CNY)"), max_digits=16, decimal_places=2)
    #: the cost to the giver (money paid out, marginal cost, use forgone); = value where the
    #: category has no cost rule
    cost = models.DecimalField(_("cost to the giver (CNY)"), max_digits=16, decimal_places=2)
    value_stated = models.BooleanField(_("value stated by hand"), default=False)
    cost_stated = models.BooleanField(_("cost stated by hand"), default=False)
    stated_reason = models.CharField(_("reason for the stated amounts"), max_length=300, blank=True)
    rule = models.ForeignKey(
        ValuationRule, verbose_name=_("valuation rule"), on_delete=models.PROTECT, related_name="+"
    )
    source_type = models.CharField(_("source"), max_length=60, blank=True)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True)
    source_key = models.CharField(_("flow"), max_length=120, blank=True)
    manual = models.BooleanField(_("entered by hand"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    #: posted by someone who may not speak for the giving unit: counted only once that unit
    #: (or the secretariat) confirms it in an ``EntryConfirmation`` (decision 0804)
    pending = models.BooleanField(_("awaits the giver's confirmation"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = user_fk()

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-id"]
        # The summaries GROUP BY the consortium first and then their dimension, over covering
        # indexes, so SQLite reads them in index order without a temporary B-tree and without
        # touching the table (decision 0301).
        indexes = [
            models.Index(fields=["giver_unit", "year"], name="ledger_giver_year"),
            models.Index(fields=["receiver_unit", "year"], name="ledger_receiver_year"),
            models.Index(fields=["source_type", "source_id"], name="ledger_source"),
            models.Index(fields=["consortium", "year", "value"], name="ledger_sum_period"),
            models.Index(
                fields=["consortium", "academic_year", "value"], name="ledger_sum_academic"
            ),
            models.Index(
                fields=["consortium", "category", "quantity", "value"], name="ledger_sum_category"
            ),
            models.Index(
                fields=["consortium", "giver_unit", "receiver_unit", "value"],
                name="ledger_sum_pair",
            ),
            models.Index(
                fields=["consortium", "giver_unit", "year", "value"], name="ledger_sum_given"
            ),
            models.Index(
                fields=["consortium", "receiver_unit", "year", "value"],
                name="ledger_sum_received",
            ),
            models.Index(
                fields=["consortium", "receiver_kind", "receiver_pool", "giver_unit", "value"],
                name="ledger_sum_pool_in",
            ),
            models.Index(
                fields=["consortium", "giver_kind", "giver_pool", "value"],
                name="ledger_sum_pool_out",
            ),
            models.Index(
                fields=["consortium", "source_type", "source_id", "value"],
                name="ledger_sum_source",
            ),
            models.Index(
                fields=["consortium", "id"], condition=Q(pending=True), name="ledger_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(giver_kind="unit") & Q(giver_unit__isnull=False))
                | (Q(giver_kind="pool") & ~Q(giver_pool=""))
                | Q(giver_kind="outside"),
                name="ledger_giver_shape",
            ),
            models.CheckConstraint(
                condition=(Q(receiver_kind="unit") & Q(receiver_unit__isnull=False))
                | (Q(receiver_kind="pool") & ~Q(receiver_pool=""))
                | Q(receiver_kind="outside"),
                name="ledger_receiver_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.category}: {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Ledger entries are never edited; post a reversing entry.")
        self.year = self.date.year
        self.academic_year = academic_year_of(self.date)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Ledger entries are never deleted; post a reversing entry.")

    @property
    def giver_pool_label(self) -> str:
        """The giving pool as pages and exports show it (its name where the entry was read
        through ``pools.with_pool_names``)."""
        return pool_label(self.giver_pool, getattr(self, "giver_pool_name", ""))

    @property
    def receiver_pool_label(self) -> str:
        """The receiving pool as pages and exports show it."""
        return pool_label(self.receiver_pool, getattr(self, "receiver_pool_name", ""))


class ConfirmationQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Confirmations are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Confirmations are never deleted.")


class EntryConfirmation(models.Model):
    """The giving unit's answer (confirmed or declined) to a pending entry another unit posted
    in its name. Append-only, one per entry: the entry itself is never edited (decision 0804).
    """

    entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        on_delete=models.PROTECT,
        related_name="confirmation",
    )
    consortium = consortium_fk("+")
    unit = unit_fk(_("giving unit"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    decided_by = user_fk()
    decided_by_name = models.CharField(_("decided by"), max_length=150)

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.decision}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Confirmations are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Confirmations are never deleted.")


def counted(qs: models.QuerySet, consortium_ids: Any = None) -> models.QuerySet:
    """``qs`` (ledger entries) without those that do not count yet: pending entries that
    their giver has not confirmed (undecided or declined), and their reversals. Summaries,
    metrics and the diagnosis read only what this keeps (decision 0804).

    One indexed look at the pending entries of ``consortium_ids`` (all when None); without
    any, ``qs`` is returned as it is, so the summaries keep their covering indexes."""
    pending = LedgerEntry.objects.filter(pending=True)
    if consortium_ids is not None:
        pending = pending.filter(consortium_id__in=sorted(set(consortium_ids)))
    confirmed = EntryConfirmation.objects.filter(decision=Decision.CONFIRMED).values("entry_id")
    uncounted = list(
        pending.exclude(pk__in=confirmed)
        .exclude(reverses_id__in=confirmed)
        .order_by()
        .values_list("pk", flat=True)
    )
    return qs.exclude(pk__in=uncounted) if uncounted else qs
