"""Import and export of bookings (registered with the transfer app), and the cell formats of
the resource catalogue's table (``declarations.resources``).

Opening hours are written as ``1=08:00-12:00,13:30-17:30; 2=08:00-12:00`` (ISO weekday, then
its windows); closed dates as ISO dates separated by commas.

Bookings are imported through ``booking_create``, row by row in one transaction: opening hours,
closed dates, capacity and overlaps (with bookings already made *and* with the file's earlier
rows), quotas and membership are checked for every row and each problem is named by its row and
column; a file with any problem changes nothing. Imported bookings are pending: the owner unit
(or the secretariat) decides on them as on any other. A row whose booking number exists is
skipped when it matches; a booking is moved on its page, not by import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.transfers import admitted_units
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.sharing import selectors, services
from gongsheng.sharing.choices import BookingStatus
from gongsheng.sharing.models import Booking, SharedResource
from gongsheng.transfer.resources import (
    CellError,
    Column,
    RowContext,
    parse_date,
    parse_int,
    parse_text,
)


def format_hours(hours: dict[str, list[list[str]]]) -> str:
    return "; ".join(
        f"{day}=" + ",".join(f"{a}-{b}" for a, b in hours[day]) for day in sorted(hours)
    )


def parse_hours(value: Any) -> dict[str, list[list[str]]] | None:
    text = parse_text(value)
    if not text:
        return None
    out: dict[str, list[list[str]]] = {}
    try:
        for part in text.replace("；", ";").split(";"):
            if not part.strip():
                continue
            day, windows = part.split("=", 1)
            day = day.strip()
            if day not in {str(d) for d in range(1, 8)}:
                raise ValueError
            spans = []
            for window in windows.replace("，", ",").split(","):
                a, b = (t.strip() for t in window.split("-"))
                if dt.time.fromisoformat(a) >= dt.time.fromisoformat(b):
                    raise ValueError
                spans.append([a, b])
            out[day] = spans
    except ValueError as exc:
        raise CellError(
            _("“%(v)s” is not opening hours like 1=08:00-12:00,13:30-17:30; 2=08:00-12:00")
            % {"v": text}
        ) from exc
    return out


def parse_dates(value: Any) -> list[str]:
    text = parse_text(value).replace("，", ",")
    try:
        return sorted(
            {dt.date.fromisoformat(d.strip()).isoformat() for d in text.split(",") if d.strip()}
        )
    except ValueError as exc:
        raise CellError(_("“%(v)s” is not a list of dates (YYYY-MM-DD, …).") % {"v": text}) from exc


def parse_datetime(value: Any) -> dt.datetime | None:
    """A date and time (2026-09-01 08:30), in the platform's time zone."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = parse_text(value).replace("/", "-").replace("T", " ")
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日 %H:%M"):
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            if parse_date(value) is not None:  # a bare date is a day, not a time
                raise CellError(_("“%(v)s” has no time of day (write 2026-09-01 08:30).")
                                % {"v": value})  # fmt: skip
            raise CellError(
                _("“%(v)s” is not a date and time (write 2026-09-01 08:30).") % {"v": value}
            )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment.replace(second=0, microsecond=0))
    return moment


def format_datetime(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class BookingResource(DeclaredResource):
    """Bookings of the consortium's shared resources; new rows are booked through the booking
    service (pending), existing ones (by their number) are skipped when they match. The
    table of the booking's declaration (``declarations.bookings``), which registers it."""

    name = "bookings"
    label = gettext_lazy("Bookings")
    key = "number"
    needs_consortium = True
    columns = [
        Column("number", gettext_lazy("Booking number"), parse=parse_int,
               export=lambda b: b.pk,
               help=gettext_lazy("empty for a new booking")),
        Column("resource", gettext_lazy("Resource code"), required=True,
               export=lambda b: b.resource.code),
        Column("resource_name", gettext_lazy("Resource name"), export=lambda b: b.resource.name,
               help=gettext_lazy("for reading only; the code decides")),
        Column("unit", gettext_lazy("Booking unit credit code"), required=True,
               parse=lambda v: normalise(parse_text(v)), export=lambda b: b.unit.credit_code),
        Column("unit_name", gettext_lazy("Booking unit name"), export=lambda b: b.unit.name,
               help=gettext_lazy("for reading only; the credit code decides")),
        Column("start", gettext_lazy("Start"), required=True, parse=parse_datetime,
               export=lambda b: format_datetime(b.start),
               help=gettext_lazy("date and time, e.g. 2026-09-01 08:30")),
        Column("end", gettext_lazy("End"), required=True, parse=parse_datetime,
               export=lambda b: format_datetime(b.end),
               help=gettext_lazy("the same day, e.g. 2026-09-01 11:30")),
        Column("quantity", gettext_lazy("Places / sets"), parse=parse_int),
        Column("purpose", gettext_lazy("Purpose")),
        Column("status", gettext_lazy("Status"), choices=BookingStatus,
               help=gettext_lazy("for reading only; imported bookings are pending")),
        Column("hours", gettext_lazy("Hours"), help=gettext_lazy("for reading only")),
    ]  # fmt: skip

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        extra = context.extra
        return selectors.booking_list(
            user=user, consortium_id=context.consortium_id,
            resource_id=extra.get("resource_id"), unit_id=extra.get("unit_id"),
        )  # fmt: skip

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = Booking.objects.filter(
            consortium_id=context.consortium_id, pk__in=[k for k in keys if k]
        ).select_related("resource", "unit")
        return {b.pk: b for b in qs}

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        # rows are never applied to existing bookings; seeing them is enough to skip them
        qs = Booking.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "view").values_list("pk", flat=True))

    def _resources(self, context: RowContext) -> dict[str, int]:
        if "resources" not in context.extra:
            qs = scope(
                context.actor, SharedResource.objects.filter(consortium_id=context.consortium_id)
            )
            context.extra["resources"] = dict(qs.values_list("code", "pk"))
        return context.extra["resources"]

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        if existing is not None:
            stored = {
                "resource": existing.resource.code, "unit": existing.unit.credit_code,
                "start": existing.start, "end": existing.end, "quantity": existing.quantity,
                "purpose": existing.purpose,
            }  # fmt: skip
            for name, value in stored.items():
                if name in values and values[name] not in (None, "") and values[name] != value:
                    return [(name, _("a booking is changed on its page (approve, reject, "
                                     "cancel), not by import"))]  # fmt: skip
            return []
        if values.get("number"):
            return [("number", _("no booking of this consortium has this number; leave it "
                                 "empty for a new booking"))]  # fmt: skip
        problems = []
        if values.get("resource") and values["resource"] not in self._resources(context):
            problems.append(("resource", _("no shared resource of this consortium has this code")))
        if values.get("unit") and values["unit"] not in admitted_units(context):
            problems.append(("unit", _("no admitted member has this credit code")))
        return problems

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.booking_create(
            actor=context.actor, resource_id=self._resources(context)[values["resource"]],
            unit_id=admitted_units(context)[values["unit"]], start=values["start"],
            end=values["end"], quantity=values.get("quantity") or 1,
            purpose=values.get("purpose", ""),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        return False  # check_row refused every difference
