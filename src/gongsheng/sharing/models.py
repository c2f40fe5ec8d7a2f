"""Shared resources of a consortium, their booking quotas, and bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned, consortium_fk, unit_fk, user_fk
from gongsheng.sharing.choices import (
    DEFAULT_OPENING_HOURS,
    BookingStatus,
    QuotaPeriod,
    ResourceKind,
)


def default_opening_hours() -> dict[str, list[list[str]]]:
    return {k: [list(w) for w in v] for k, v in DEFAULT_OPENING_HOURS.items()}


class SharedResource(Versioned):
    """Something a member unit offers the consortium: a training base, a laboratory, equipment,
    a public technical-service platform, teaching resources or an expert pool."""

    consortium = consortium_fk("shared_resources")
    owner = unit_fk(_("owner unit"), "shared_resources")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        help_text=_("how many bookings may use it at the same time (places, sets, experts)"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules of use"), blank=True)
    opening_hours = models.JSONField(
        _("opening hours"),
        default=default_opening_hours,
        blank=True,
        help_text=_('ISO weekday (1 = Monday) to time windows, e.g. {"1": [["08:00", "17:30"]]}'),
    )
    closed_dates = models.JSONField(
        _("closed dates"), default=list, blank=True, help_text=_("ISO dates, e.g. 2026-10-01")
    )
    cancel_hours = models.PositiveSmallIntegerField(
        _("cancellation deadline (hours before start)"), default=24
    )
    is_active = models.BooleanField(_("open for booking"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        ordering = ["consortium_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "code"], name="sharing_resource_code"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="sharing_capacity_positive"),
        ]
        indexes = [models.Index(fields=["consortium", "kind"], name="sharing_resource_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("sharing:resource", args=[self.pk])

    # opening hours ------------------------------------------------------------------
    def windows_on(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """The opening windows on ``day`` (none on a closed date)."""
        if day.isoformat() in (self.closed_dates or []):
            return []
        raw = (self.opening_hours or {}).get(str(day.isoweekday()), [])
        return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in raw]

    def weekly_hours(self) -> float:
        total = 0.0
        for windows in (self.opening_hours or {}).values():
            for a, b in windows:
                ta, tb = dt.time.fromisoformat(a), dt.time.fromisoformat(b)
                total += (tb.hour * 60 + tb.minute - ta.hour * 60 - ta.minute) / 60
        return total


class Quota(Versioned):
    """At most ``hours`` of bookings per month or year, for one unit (or every unit) on one
    resource or on all resources of one owner unit."""

    consortium = consortium_fk("booking_quotas", on_delete=models.CASCADE)
    unit = unit_fk(
        _("booking unit"),
        "booking_quotas",
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("empty: every unit"),
    )
    resource = models.ForeignKey(
        SharedResource, verbose_name=_("resource"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="quotas",
    )  # fmt: skip
    owner = unit_fk(
        _("owner unit"),
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("all resources of this owner"),
    )
    period = models.CharField(_("period"), max_length=8, choices=QuotaPeriod.choices)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1)

    class Meta:
        verbose_name = _("booking quota")
        verbose_name_plural = _("booking quotas")
        ordering = ["consortium_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=True, owner__isnull=False)
                | Q(resource__isnull=False, owner__isnull=True),
                name="sharing_quota_one_target",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="sharing_quota_nonnegative"),
        ]

    def __str__(self) -> str:
        target = self.resource or self.owner
        return f"{self.unit or '*'} @ {target}: {self.hours} h {self.get_period_display()}"


class Booking(Versioned):
    """A unit's request to use a resource for a time; the owner unit (or the secretariat)
    approves or rejects it. Approval posts the ledger flow host → user; cancelling reverses it."""

    consortium = consortium_fk("bookings")
    resource = models.ForeignKey(
        SharedResource, verbose_name=_("resource"), on_delete=models.PROTECT,
        related_name="bookings",
    )  # fmt: skip
    unit = unit_fk(_("booking unit"), "bookings")
    host_unit = unit_fk(
        _("host unit"), "hosted_bookings", help_text=_("the resource's owner when booked")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    quantity = models.PositiveSmallIntegerField(
        _("places / sets"), default=1, help_text=_("how much of the capacity it takes")
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, editable=False)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    exclusive = models.BooleanField(
        _("takes the whole resource"), default=False, editable=False,
        help_text=_("set on approval for single-capacity resources (database exclusion)"),
    )  # fmt: skip
    requested_by = user_fk(_("requested by"))
    decided_by = user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sharing_booking_order"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="sharing_booking_quantity"),
        ]
        indexes = [
            models.Index(fields=["resource", "status", "start"], name="sharing_booking_slot"),
            models.Index(fields=["consortium", "status", "start"], name="sharing_booking_cons"),
            models.Index(fields=["unit", "start"], name="sharing_booking_unit"),
            models.Index(fields=["host_unit", "status"], name="sharing_booking_host"),
        ]

    def __str__(self) -> str:
        # local time (the consortium's, Asia/Shanghai): the ledger's note and the audit
        # entries show it, never the stored UTC
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{self.resource} {start:%Y-%m-%d %H:%M}–{end:%H:%M} ({self.unit})"

    @property
    def cancel_deadline(self) -> dt.datetime:
        """Until when the booking unit may cancel by itself (``resource.cancel_hours`` before
        the start); after it only the host unit or the secretariat (``cancel_late``)."""
        return self.start - dt.timedelta(hours=self.resource.cancel_hours)

    @property
    def holds_capacity(self) -> bool:
        return self.status in (BookingStatus.PENDING, BookingStatus.APPROVED)

    def as_dict(self) -> dict[str, Any]:  # pragma: no cover - debugging aid
        return {"id": self.pk, "status": self.status, "start": self.start, "end": self.end}
