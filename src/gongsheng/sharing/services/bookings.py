"""The booking request and its moves (approve, reject, cancel).

Booking writes lock the resource row (``select_for_update(no_key=True)``; several resources in
ascending id order) before they check conflicts and quotas, so two clerks booking or approving
the same slot at once are serialised: one wins, the other is told (decision 0501). Approval
posts the ledger flow host unit → booking unit through ``ledger.services.flows_sync`` in the
same transaction; rejection and cancellation make the flows empty, which reverses them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, can, check_saved, require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.core.errors import Conflict, FieldError, ValidationFailed
from gongsheng.core.services import check_version, full_clean_or_raise, save_versioned
from gongsheng.ledger.services import Flow, Party, flows_sync
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify
from gongsheng.sharing.choices import HOLDING, KIND_CATEGORY, BookingStatus, QuotaPeriod
from gongsheng.sharing.models import Booking, Quota, SharedResource


def _is_system(actor: Actor) -> bool:
    return is_system(actor)


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _is_member(consortium_id: int, unit_id: int) -> bool:
    from gongsheng.consortia.choices import MembershipStatus
    from gongsheng.consortia.models import Membership

    return Membership.objects.filter(
        consortium_id=consortium_id, unit_id=unit_id, status=MembershipStatus.ADMITTED
    ).exists()


# --- bookings: checks -----------------------------------------------------------------
def _lock_resources(ids: list[int]) -> dict[int, SharedResource]:
    """Lock resource rows in a fixed (ascending id) order, so two writers never deadlock."""
    rows = SharedResource.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    return {r.pk: r for r in rows}


def booking_hours(start: dt.datetime, end: dt.datetime, quantity: int) -> Decimal:
    seconds = Decimal((end - start).total_seconds())
    return (seconds / Decimal(3600) * quantity).quantize(Decimal("0.01"))


def _check_times(
    resource: SharedResource, start: dt.datetime, end: dt.datetime
) -> list[FieldError]:
    if end <= start:
        return [FieldError("end", _("must be after the start"))]
    a, b = timezone.localtime(start), timezone.localtime(end)
    if a.date() != b.date():
        return [FieldError("end", _("a booking lies within one day; book each day separately"))]
    if a.date().isoformat() in (resource.closed_dates or []):
        return [
            FieldError(
                "start", _("the resource is closed on %(date)s") % {"date": a.date().isoformat()}
            )
        ]
    windows = resource.windows_on(a.date())
    if not windows:
        return [FieldError("start", _("the resource is not open on that weekday"))]
    if not any(w0 <= a.time() and b.time() <= w1 for w0, w1 in windows):
        shown = ", ".join(f"{w0:%H:%M}–{w1:%H:%M}" for w0, w1 in windows)
        return [FieldError("start", _("outside the opening hours (%(hours)s)") % {"hours": shown})]
    return []


def peak_use(
    intervals: list[tuple[dt.datetime, dt.datetime, int]], start: dt.datetime, end: dt.datetime
) -> int:
    """The largest number of places the ``intervals`` take at any moment within [start, end)."""
    events: list[tuple[dt.datetime, int]] = []
    for s, e, q in intervals:
        s, e = max(s, start), min(e, end)
        if s < e:
            events += [(s, q), (e, -q)]
    events.sort(key=lambda ev: (ev[0], ev[1]))  # ends before starts at the same instant
    peak = now = 0
    for _at, delta in events:
        now += delta
        peak = max(peak, now)
    return peak


def _check_overlap(
    resource: SharedResource,
    start: dt.datetime,
    end: dt.datetime,
    quantity: int,
    *,
    statuses: tuple[str, ...],
    exclude_id: int | None = None,
) -> list[FieldError]:
    others = Booking.objects.filter(
        resource_id=resource.pk, status__in=statuses, start__lt=end, end__gt=start
    ).exclude(pk=exclude_id)
    rows = list(others.values_list("start", "end", "quantity"))
    if quantity > resource.capacity:
        return [
            FieldError("quantity", _("more than the capacity (%(n)d)") % {"n": resource.capacity})
        ]
    if peak_use(rows, start, end) + quantity <= resource.capacity:
        return []
    first, last = min(r[0] for r in rows), max(r[1] for r in rows)
    return [
        FieldError(
            "start",
            _("overlaps bookings of this resource between %(a)s and %(b)s (capacity %(n)d)")
            % {
                "a": timezone.localtime(first).strftime("%Y-%m-%d %H:%M"),
                "b": timezone.localtime(last).strftime("%H:%M"),
                "n": resource.capacity,
            },
        )
    ]


def _period_bounds(day: dt.date, period: str) -> tuple[dt.datetime, dt.datetime]:
    if period == QuotaPeriod.MONTH:
        a = day.replace(day=1)
        b = (a + dt.timedelta(days=32)).replace(day=1)
    else:
        a, b = day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(a, dt.time.min, tzinfo=tz),
        dt.datetime.combine(b, dt.time.min, tzinfo=tz),
    )


def _check_quota(
    resource: SharedResource, unit_id: int, start: dt.datetime, hours: Decimal,
    exclude_id: int | None = None,
) -> list[FieldError]:  # fmt: skip
    quotas = Quota.objects.filter(
        Q(unit_id=unit_id) | Q(unit__isnull=True),
        Q(resource_id=resource.pk) | Q(owner_id=resource.owner_id),
        consortium_id=resource.consortium_id,
    ).order_by("pk")
    errors = []
    day = timezone.localtime(start).date()
    for quota in quotas:
        a, b = _period_bounds(day, quota.period)
        target = (
            Q(resource_id=quota.resource_id)
            if quota.resource_id
            else Q(host_unit_id=quota.owner_id)
        )
        used = Booking.objects.filter(
            target, unit_id=unit_id, status__in=HOLDING, start__gte=a, start__lt=b
        ).exclude(pk=exclude_id).aggregate(h=Sum("hours"))["h"] or Decimal(0)
        if used + hours > quota.hours:
            errors.append(
                FieldError(
                    "end",
                    _("over the quota: %(quota)s h %(period)s, %(used)s h already booked")
                    % {
                        "quota": Decimal(quota.hours).quantize(Decimal("0.1")),
                        "period": quota.get_period_display(),
                        "used": Decimal(used).quantize(Decimal("0.1")),
                    },
                )
            )
    return errors


# --- bookings: writes -----------------------------------------------------------------
@transaction.atomic
def booking_create(
    *,
    actor: Actor,
    resource_id: int,
    start: dt.datetime,
    end: dt.datetime,
    unit_id: int | None = None,
    quantity: int = 1,
    purpose: str = "",
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> Booking:
    """Ask for a resource: a pending booking the owner unit (or the secretariat) decides on."""
    if not _is_system(actor):
        access_object(actor, SharedResource.objects.all(), resource_id, "view")
        unit_id = unit_id or getattr(actor, "unit_id", None)
    if unit_id is None:
        raise ValidationFailed(_("Name the unit that books."), [FieldError("unit", _("required"))])
    resource = _lock_resources([resource_id])[resource_id]
    if not _is_system(actor):  # the question the booking form asks (selectors.booking_right)
        require(
            actor, "add", Booking, consortium_id=resource.consortium_id, owner_id=unit_id,
            message=_("You may not book for this unit."),
        )  # fmt: skip
    errors: list[FieldError] = []
    if not resource.is_active:
        errors.append(FieldError("resource", _("is not open for booking")))
    if not _is_system(actor) and not _is_member(resource.consortium_id, unit_id):
        errors.append(FieldError("unit", _("is not an admitted member of this consortium")))
    if unit_id == resource.owner_id:
        errors.append(FieldError("unit", _("the owner unit does not book its own resource")))
    if quantity < 1:
        errors.append(FieldError("quantity", _("must be at least 1")))
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("booking times must be aware datetimes")
    if not _is_system(actor) and start < (now or timezone.now()):
        errors.append(FieldError("start", _("lies in the past")))
    errors += _check_times(resource, start, end)
    if not errors:
        errors += _check_overlap(resource, start, end, quantity, statuses=HOLDING)
    hours = booking_hours(start, end, max(quantity, 1)) if end > start else Decimal(0)
    if not errors:
        errors += _check_quota(resource, unit_id, start, hours)
    if errors:
        raise ValidationFailed(_("The booking could not be made."), errors)
    booking = Booking(
        consortium_id=resource.consortium_id, resource=resource, unit_id=unit_id,
        host_unit_id=resource.owner_id, start=start, end=end, quantity=quantity, hours=hours,
        purpose=purpose, requested_by=_user(actor), is_demo=is_demo,
    )  # fmt: skip
    # the references were checked above; skip full_clean's one query per foreign key
    full_clean_or_raise(
        booking,
        message=_("The booking could not be made."),
        exclude=["consortium", "resource", "unit", "host_unit", "requested_by", "decided_by"],
    )
    booking.save()
    check_saved(actor, [booking], "add")
    record_written(actor, booking, EventType.BOOKING_CREATED, unit_id=unit_id)
    host_admins = notified.unit_admins(booking.consortium_id, [booking.host_unit_id])
    notify(host_admins, "booking.requested", booking, actor=actor)
    return booking


def _flows(booking: Booking) -> list[Flow]:
    if booking.status != BookingStatus.APPROVED:
        return []
    return [
        Flow(
            key="use",
            date=timezone.localtime(booking.start).date(),
            category=KIND_CATEGORY[booking.resource.kind],
            quantity=booking.hours,
            giver=Party.unit(booking.host_unit_id),
            receiver=Party.unit(booking.unit_id),
            note=str(booking)[:300],
        )
    ]


def _locked_booking(actor: Actor, booking_id: int, action: str = "change") -> Booking:
    """Read the booking (scoped for ``action``), lock its resource, then lock and re-read the
    booking."""
    base = Booking.objects.all()
    seen = (
        base.get(pk=booking_id)
        if _is_system(actor)
        else access_object(actor, base, booking_id, action)
    )
    resource = _lock_resources([seen.resource_id])[seen.resource_id]
    booking = Booking.objects.select_for_update(no_key=True).get(pk=booking_id)
    booking.resource = resource
    return booking


def _move(
    *, actor: Actor, booking: Booking, to: str, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    before = snapshot(booking)
    booking.status = to
    booking.reason = reason[:300]
    if to in (BookingStatus.APPROVED, BookingStatus.REJECTED):
        booking.decided_by = _user(actor)
        booking.decided_at = now or timezone.now()
    booking.exclusive = to == BookingStatus.APPROVED and booking.resource.capacity == 1
    try:
        with transaction.atomic():
            save_versioned(booking, ["status", "reason", "decided_by", "decided_at", "exclusive"])
    except IntegrityError as exc:  # the PostgreSQL exclusion constraint, behind the lock
        raise Conflict(_("Another approved booking already takes this slot.")) from exc
    flows_sync(
        actor=actor, consortium_id=booking.consortium_id, source=booking, flows=_flows(booking)
    )
    record_written(
        actor, booking, EventType.BOOKING_MOVED, before=before, unit_id=booking.unit_id,
        message=f"{before['status']} → {to}",
    )  # fmt: skip
    # the booker hears of a decision; the owner unit's admins also of a cancellation
    sides = [booking.host_unit_id] if to == BookingStatus.CANCELLED else []
    sides += [] if booking.requested_by_id else [booking.unit_id]
    people = notified.users(
        [booking.requested_by], notified.unit_admins(booking.consortium_id, sides)
    )
    notify(people, "booking.decided", booking, actor=actor)
    return booking


def _may_decide(actor: Actor, booking: Booking, move: str) -> None:
    require(
        actor,
        move,
        booking,
        message=_("Only the owner unit or the secretariat decides on a booking."),
    )


def _expect(booking: Booking, *statuses: str) -> None:
    if booking.status not in statuses:
        raise Conflict(
            _("This booking is already %(status)s; nothing was changed.")
            % {"status": booking.get_status_display()},
            current_version=booking.version,
        )


@transaction.atomic
def booking_approve(
    *, actor: Actor, booking_id: int, version: int | None, now: dt.datetime | None = None
) -> Booking:
    booking = _locked_booking(actor, booking_id)
    _may_decide(actor, booking, "approve")
    check_version(booking, version)
    _expect(booking, BookingStatus.PENDING)
    errors = _check_overlap(
        booking.resource, booking.start, booking.end, booking.quantity,
        statuses=(BookingStatus.APPROVED,), exclude_id=booking.pk,
    )  # fmt: skip
    if errors:
        raise ValidationFailed(_("The booking cannot be approved."), errors)
    return _move(actor=actor, booking=booking, to=BookingStatus.APPROVED, now=now)


@transaction.atomic
def booking_reject(*, actor: Actor, booking_id: int, version: int | None, reason: str) -> Booking:
    booking = _locked_booking(actor, booking_id)
    _may_decide(actor, booking, "reject")
    check_version(booking, version)
    _expect(booking, BookingStatus.PENDING)
    if not reason.strip():
        raise ValidationFailed(
            _("Say why the booking is rejected."), [FieldError("reason", _("required"))]
        )
    return _move(actor=actor, booking=booking, to=BookingStatus.REJECTED, reason=reason.strip())


@transaction.atomic
def booking_cancel(
    *,
    actor: Actor,
    booking_id: int,
    version: int | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Withdraw a pending or approved booking; reverses its ledger flow.

    The booking unit may cancel until ``resource.cancel_hours`` before the start; after that
    only the owner unit or the secretariat may (e.g. for a no-show)."""
    booking = _locked_booking(actor, booking_id, "cancel")
    check_version(booking, version)
    _expect(booking, BookingStatus.PENDING, BookingStatus.APPROVED)
    privileged = can(actor, "cancel_late", booking)
    if not privileged and (now or timezone.now()) > booking.cancel_deadline:
        raise ValidationFailed(
            _("Too late to cancel: this resource needs %(h)d hours' notice.")
            % {"h": booking.resource.cancel_hours},
            [FieldError("start", _("the cancellation deadline has passed"))],
        )
    return _move(actor=actor, booking=booking, to=BookingStatus.CANCELLED, reason=reason.strip())
