"""Every read of shared resources, quotas and bookings, already scoped.

Utilisation is an aggregate over the consortium's approved bookings: every role of the
consortium (observers too) sees it, while single bookings stay with the parties, the
secretariat and supervisors (``rules.BookingPolicy``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongsheng.access.scope import access_object, can, context_for, scope
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.sharing.choices import HOLDING, BookingStatus
from gongsheng.sharing.models import Booking, SharedResource


def resource_list(*, user: Any, consortium_id: int | None = None) -> QuerySet:
    """The resources the user sees (the catalogue's filters: ``declarations.resources``)."""
    qs = scope(user, SharedResource.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    return qs.select_related("owner", "consortium").order_by("name", "pk")


def resource_get(*, user: Any, resource_id: int, action: str = "view") -> SharedResource:
    qs = SharedResource.objects.select_related("owner", "consortium")
    return access_object(user, qs, resource_id, action)


def owner_choices(*, user: Any, consortium_id: int) -> list[tuple[int, str]]:
    """The units that own resources in the consortium (for the filter)."""
    ids = resource_list(user=user, consortium_id=consortium_id).values("owner_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def owner_units(user: Any, consortium_id: int) -> tuple[QuerySet[Unit], QuerySet[Unit]]:
    """The new resource form's owner units: ``(members, offered)``. Any admitted member the
    user sees is a valid answer (the service then asks whether the user may add for it); the
    form offers only the units the policy lets the user add for: any member to whom may add
    for a unit not its own (the secretariat), else its own unit."""
    members = scope(
        user,
        Unit.objects.filter(
            memberships__consortium_id=consortium_id, memberships__status="admitted"
        ),
    ).order_by("name")
    if can(user, "add", SharedResource, consortium_id=consortium_id, owner_id=0):
        return members, members
    return members, members.filter(pk=context_for(user).unit_id)


@dataclass(frozen=True)
class BookingRight:
    """Whether the user may book a resource, and for which units. ``units`` is ``None`` when
    the user books for its own unit only, else the member units it may book for (the
    secretariat books on behalf of a chosen unit)."""

    may_book: bool
    units: QuerySet | None = None


def booking_right(*, user: Any, resource: SharedResource) -> BookingRight:
    """The question the booking service asks (``can(user, "add", Booking, ...)`` for the
    booking unit), asked before the form is shown."""
    if not resource.is_active:
        return BookingRight(False)
    cid = resource.consortium_id
    # may the user book for a unit that is not its own (``owner_id=0``: no unit's)?
    if can(user, "add", Booking, consortium_id=cid, owner_id=0):
        members = Unit.objects.filter(
            memberships__consortium_id=cid, memberships__status="admitted"
        ).exclude(pk=resource.owner_id)
        return BookingRight(True, scope(user, members).order_by("name"))
    unit_id = context_for(user).unit_id
    own = unit_id is not None and unit_id != resource.owner_id
    return BookingRight(own and can(user, "add", Booking, consortium_id=cid, owner_id=unit_id))


def booking_list(
    *,
    user: Any,
    consortium_id: int | None = None,
    resource_id: int | None = None,
    unit_id: int | None = None,
    host_unit_id: int | None = None,
    status: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet:
    qs = scope(user, Booking.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if resource_id is not None:
        qs = qs.filter(resource_id=resource_id)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if host_unit_id is not None:
        qs = qs.filter(host_unit_id=host_unit_id)
    if status:
        qs = qs.filter(status=status)
    if since is not None:
        qs = qs.filter(end__gt=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    return qs.select_related("resource", "unit", "host_unit", "decided_by").order_by("start", "pk")


def booking_get(*, user: Any, booking_id: int, action: str = "view") -> Booking:
    qs = Booking.objects.select_related("resource", "unit", "host_unit")
    return access_object(user, qs, booking_id, action)


def approval_queue(*, user: Any, consortium_id: int) -> QuerySet:
    """Pending bookings the user may decide on: the secretariat all, a unit its own resources'."""
    qs = booking_list(user=user, consortium_id=consortium_id, status=BookingStatus.PENDING)
    return scope(user, qs, "approve")


def my_bookings(*, user: Any, consortium_id: int) -> QuerySet:
    unit_id = context_for(user).unit_id
    if unit_id is None:
        return Booking.objects.none()
    return booking_list(user=user, consortium_id=consortium_id, unit_id=unit_id).order_by(
        "-start", "-pk"
    )


def cancellable(*, user: Any, bookings: list[Booking], now: dt.datetime | None = None) -> set[int]:
    """The ids of those ``bookings`` the user may cancel now, as ``booking_cancel`` decides:
    pending or approved, the move ``cancel``, and before the deadline unless ``cancel_late``
    (two queries for the whole page)."""
    open_ids = [
        b.pk for b in bookings if b.status in (BookingStatus.PENDING, BookingStatus.APPROVED)
    ]
    if not open_ids:
        return set()
    rows = Booking.objects.filter(pk__in=open_ids)
    may = set(scope(user, rows, "cancel").values_list("pk", flat=True))
    late = set(scope(user, rows, "cancel_late").values_list("pk", flat=True))
    now = now or timezone.now()
    return {b.pk for b in bookings if b.pk in may and (b.pk in late or now <= b.cancel_deadline)}


@dataclass(frozen=True)
class WeekSlot:
    booking_id: int
    start: dt.datetime
    end: dt.datetime
    quantity: int
    status: str
    booking: Booking | None  # None: booked by someone whose booking the user may not see


@dataclass(frozen=True)
class Week:
    monday: dt.date
    days: list[tuple[dt.date, list[WeekSlot]]]


def resource_weeks(
    *, user: Any, resource: SharedResource, monday: dt.date, weeks: int = 2
) -> list[Week]:
    """A calendar-like list of the resource's pending and approved bookings, week by week.
    Slots the user may not see in detail show as taken, without who took them (two queries)."""
    tz = timezone.get_current_timezone()
    a = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    b = a + dt.timedelta(days=7 * weeks)
    taken = list(
        Booking.objects.filter(resource_id=resource.pk, status__in=HOLDING, start__lt=b, end__gt=a)
        .order_by("start", "pk")
        .values_list("pk", "start", "end", "quantity", "status")
    )
    visible = {
        bk.pk: bk
        for bk in booking_list(user=user, resource_id=resource.pk, since=a, until=b).filter(
            status__in=HOLDING
        )
    }
    by_day: dict[dt.date, list[WeekSlot]] = {}
    for pk, s, e, q, st in taken:
        day = timezone.localtime(s).date()
        by_day.setdefault(day, []).append(WeekSlot(pk, s, e, q, st, visible.get(pk)))
    out = []
    for w in range(weeks):
        start = monday + dt.timedelta(days=7 * w)
        days = [
            (start + dt.timedelta(days=d), by_day.get(start + dt.timedelta(days=d), []))
            for d in range(7)
        ]
        out.append(Week(monday=start, days=days))
    return out


@dataclass(frozen=True)
class Utilisation:
    """Approved booking hours in one year: per resource, per unit (used and hosted), per month."""

    consortium: Consortium
    year: int
    resources: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[tuple[int, Decimal]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def utilisation(
    *, user: Any, consortium_id: int, year: int | None = None, resource_id: int | None = None
) -> Utilisation:
    """Aggregate queries only (a fixed number whatever the number of bookings)."""
    consortium = access_object(user, Consortium.objects.all(), consortium_id, "view")
    year = year or timezone.localdate().year
    resources = {
        r.pk: r
        for r in resource_list(user=user, consortium_id=consortium.pk)
        .select_related(None)
        .only("pk", "name", "kind", "capacity", "opening_hours", "owner_id")
    }
    # the catalogue is public within the consortium: whoever sees the consortium sees all of
    # its resources, so the bookings need no IN list of resource ids
    approved = Booking.objects.filter(consortium_id=consortium.pk, status=BookingStatus.APPROVED)
    if resource_id is not None:
        approved = approved.filter(resource_id=resource_id)
    span = approved.aggregate(first=Min("start"), last=Max("start"))
    tz = timezone.get_current_timezone()
    years = (
        list(
            range(
                timezone.localtime(span["last"]).year,
                timezone.localtime(span["first"]).year - 1,
                -1,
            )
        )
        if span["first"]
        else []
    )
    in_year = approved.filter(
        start__gte=dt.datetime(year, 1, 1, tzinfo=tz),
        start__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )
    # one scan: sums per (resource, booking unit, host unit) with a conditional sum per month
    # (no per-row time-zone conversion, which SQLite would run in Python); the few groups are
    # then added up per resource, per unit and per month
    bounds = [dt.datetime(year, m, 1, tzinfo=tz) for m in range(1, 13)]
    bounds.append(dt.datetime(year + 1, 1, 1, tzinfo=tz))
    groups = list(
        in_year.values("resource_id", "unit_id", "host_unit_id")
        .annotate(
            h=Sum("hours"),
            n=Count("id"),
            **{
                f"m{m}": Sum("hours", filter=Q(start__gte=bounds[m - 1], start__lt=bounds[m]))
                for m in range(1, 13)
            },
        )
        .order_by()
    )
    zero = Decimal(0)
    per_resource: dict[int, list[Any]] = {}
    used: dict[int, Decimal] = {}
    hosted: dict[int, Decimal] = {}
    months = dict.fromkeys(range(1, 13), zero)
    for g in groups:
        acc = per_resource.setdefault(g["resource_id"], [zero, 0])
        acc[0] += g["h"]
        acc[1] += g["n"]
        used[g["unit_id"]] = used.get(g["unit_id"], zero) + g["h"]
        hosted[g["host_unit_id"]] = hosted.get(g["host_unit_id"], zero) + g["h"]
        for m in range(1, 13):
            months[m] += g[f"m{m}"] or zero
    res_rows = []
    for pk, r in resources.items():
        if resource_id is not None and pk != resource_id:
            continue
        h, n = per_resource.get(pk, (zero, 0))
        open_hours = Decimal(str(r.weekly_hours() * 52 * r.capacity))
        rate = (h / open_hours * 100).quantize(Decimal("0.1")) if open_hours else None
        res_rows.append({"id": pk, "name": r.name, "hours": h, "count": n, "rate": rate})
    res_rows.sort(key=lambda x: (-x["hours"], x["name"]))
    names = {
        pk: short or name
        for pk, short, name in Unit.objects.filter(pk__in=set(used) | set(hosted)).values_list(
            "pk", "short_name", "name"
        )
    }
    unit_rows = [
        {
            "id": pk,
            "name": names.get(pk, ""),
            "used": used.get(pk, zero),
            "hosted": hosted.get(pk, zero),
        }
        for pk in set(used) | set(hosted)
    ]
    unit_rows.sort(key=lambda x: (-(x["used"] + x["hosted"]), x["name"]))
    return Utilisation(
        consortium=consortium,
        year=year,
        resources=res_rows,
        units=unit_rows,
        by_month=sorted(months.items()),
        years=years or [year],
    )
