"""Sharing's metric: hours of shared resources used (bookings that took place)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.metrics.registry import metric
from gongsheng.sharing.choices import BookingStatus
from gongsheng.sharing.models import Booking


@metric(
    name="shared_resource_hours",
    label=_("Shared-resource hours used"),
    unit=pgettext_lazy("metric unit", "hours"),
    source=_("sharing: approved bookings that have ended"),
    description=_(
        "The hours of the approved bookings that have already ended, by the booking unit and "
        "the year the booking started. Pending, rejected and cancelled bookings do not count."
    ),
)
def shared_resource_hours(
    *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
) -> list[tuple[int, int | None, int, Any]]:
    qs = scope(user, Booking.objects.all(), "view").filter(
        status=BookingStatus.APPROVED, end__lte=timezone.now()
    )
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    rows = (
        qs.order_by()
        .annotate(y=ExtractYear("start"))
        .filter(y__gte=year_from, y__lte=year_to)
        .values_list("consortium_id", "unit_id", "y")
        .annotate(d=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField())))
    )
    return [(c, u, y, _hours(d)) for c, u, y, d in rows]


def _hours(d: dt.timedelta | None) -> Decimal:
    if d is None:
        return Decimal(0)
    return (Decimal(d.days * 86400 + d.seconds) / 3600).quantize(Decimal("0.01"))
