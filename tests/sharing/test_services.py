"""Booking services: opening hours, overlaps against capacity, quotas, approval with the
ledger, cancellation with its deadline, and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.ledger.models import LedgerEntry
from gongsheng.sharing import services
from gongsheng.sharing.models import Booking
from gongsheng.sharing.services import peak_use
from tests.sharing.support import at, make_resource, next_weekday, price

pytestmark = pytest.mark.django_db


def _fields(exc) -> dict[str, str]:
    return {e.field: str(e.message) for e in exc.value.errors}


@pytest.fixture
def base(world):
    price(world.a)
    return make_resource(world)


def book(world, resource, day, a, b, user="school_admin", **kw):
    return services.booking_create(
        actor=world.users[user], resource_id=resource.pk, start=at(day, *a), end=at(day, *b), **kw
    )


def test_book_approve_posts_one_flow_host_to_user_and_cancel_reverses_it(world, base):
    day = next_weekday(2)
    b = book(world, base, day, (9,), (11, 30))
    assert b.status == "pending" and b.hours == Decimal("2.50")
    assert b.host_unit_id == world.units["ent"].pk
    assert not LedgerEntry.objects.exists()
    b = services.booking_approve(actor=world.users["unit_admin"], booking_id=b.pk, version=1)
    entry = LedgerEntry.objects.get()
    assert (entry.giver_unit_id, entry.receiver_unit_id) == (
        world.units["ent"].pk,
        world.units["school"].pk,
    )
    assert entry.category.code == "facility_use"
    assert entry.quantity == Decimal("2.5") and entry.value == Decimal("250.00")
    assert entry.date == day and entry.source_type == "sharing.booking"
    services.booking_cancel(actor=world.users["school_admin"], booking_id=b.pk, version=b.version)
    assert LedgerEntry.objects.count() == 2
    assert sum(e.value for e in LedgerEntry.objects.all()) == 0
    events = list(
        AuditEntry.objects.filter(object_id=b.pk, content_type__model="booking")
        .order_by("id")
        .values_list("event_type", "message")
    )
    assert events == [
        (EventType.BOOKING_CREATED, ""),
        (EventType.BOOKING_MOVED, "pending → approved"),
        (EventType.BOOKING_MOVED, "approved → cancelled"),
    ]


def test_missing_valuation_rule_fails_the_approval_and_writes_nothing(world):
    resource = make_resource(world, kind="expert_pool", code="experts")
    b = book(world, resource, next_weekday(2), (9,), (10,))
    with pytest.raises(ValidationFailed, match="No valuation rule"):
        services.booking_approve(actor=world.users["unit_admin"], booking_id=b.pk, version=None)
    b.refresh_from_db()
    assert b.status == "pending" and b.version == 1
    assert not LedgerEntry.objects.exists()


def test_overlap_is_refused_naming_the_field(world, base):
    day = next_weekday(3)
    book(world, base, day, (9,), (11,))
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, day, (10,), (12,), user="unit_admin")  # the owner itself: refused too
    assert "unit" in _fields(exc)
    other = world.users["secretariat"]
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(
            actor=other, resource_id=base.pk, unit_id=world.units["other"].pk,
            start=at(day, 10), end=at(day, 12),
        )  # fmt: skip
    assert "overlaps bookings" in _fields(exc)["start"]
    # touching is not overlapping
    book(world, base, day, (11,), (12,))


def test_capacity_counts_the_peak_not_the_sum(world):
    price(world.a)
    lab = make_resource(world, capacity=2, code="lab", kind="laboratory")
    day = next_weekday(4)
    book(world, lab, day, (8,), (10,))
    book(world, lab, day, (10,), (12,))
    book(world, lab, day, (9,), (11,))  # at most 2 at any moment
    with pytest.raises(ValidationFailed) as exc:
        book(world, lab, day, (9, 30), (10, 30))
    assert "capacity 2" in _fields(exc)["start"]
    with pytest.raises(ValidationFailed) as exc:
        book(world, lab, day, (14,), (15,), quantity=3)
    assert "quantity" in _fields(exc)


def test_peak_use():
    t = lambda h: dt.datetime(2026, 1, 1, h, tzinfo=dt.UTC)  # noqa: E731
    rows = [(t(8), t(10), 1), (t(10), t(12), 1), (t(9), t(11), 2)]
    assert peak_use(rows, t(7), t(13)) == 3
    assert peak_use(rows, t(11), t(12)) == 1
    assert peak_use([], t(7), t(13)) == 0


def test_outside_opening_hours_and_closed_dates(world, base):
    day = next_weekday(1)
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, day, (7,), (9,))
    assert "opening hours (08:00–12:00, 13:30–17:30)" in _fields(exc)["start"]
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, next_weekday(6), (9,), (10,))
    assert "not open" in _fields(exc)["start"]
    services.resource_update(
        actor=world.users["unit_admin"], resource_id=base.pk, version=base.version,
        closed_dates=[day.isoformat()],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, day, (9,), (10,))
    assert "closed on" in _fields(exc)["start"]
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, day + dt.timedelta(days=1), (10,), (9,))
    assert "end" in _fields(exc)
    past = dt.date.today() - dt.timedelta(days=7)
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, past, (9,), (10,))
    assert "past" in _fields(exc)["start"]


def test_bad_opening_hours_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        make_resource(world, code="bad", opening_hours={"8": [["08:00", "09:00"]]})
    assert "opening_hours" in _fields(exc)
    with pytest.raises(ValidationFailed) as exc:
        make_resource(world, code="bad2", opening_hours={"1": [["10:00", "09:00"]]})
    assert "opening_hours" in _fields(exc)
    with pytest.raises(ValidationFailed) as exc:
        make_resource(world, code="bad3", closed_dates=["someday"])
    assert "closed_dates" in _fields(exc)


def test_quota_per_resource_and_per_owner(world, base):
    services.quota_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, resource_id=base.pk,
        period="month", hours=Decimal("3"),
    )  # fmt: skip
    day = next_weekday(2, weeks=5)
    day = day.replace(day=min(day.day, 20))
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    book(world, base, day, (8,), (10,))
    with pytest.raises(ValidationFailed) as exc:
        book(world, base, day, (13, 30), (15, 30))
    assert "over the quota: 3.0 h per month, 2.0 h already booked" in _fields(exc)["end"]
    book(world, base, day, (13, 30), (14, 30))
    other = make_resource(world, code="base2")
    services.quota_create(
        actor=SYSTEM, consortium_id=world.a.pk, owner_id=world.units["ent"].pk,
        unit_id=world.units["school"].pk, period="year", hours=Decimal("4"),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        book(world, other, day, (9,), (11,))
    assert "per year" in _fields(exc)["end"]
    with pytest.raises(ValidationFailed):
        services.quota_create(
            actor=SYSTEM, consortium_id=world.a.pk, period="year", hours=Decimal("1"),
            resource_id=base.pk, owner_id=world.units["ent"].pk,
        )  # fmt: skip


def test_only_the_host_or_the_secretariat_decides(world, base):
    b = book(world, base, next_weekday(2), (9,), (10,))
    with pytest.raises(Forbidden):
        services.booking_approve(actor=world.users["school_admin"], booking_id=b.pk, version=1)
    with pytest.raises(ValidationFailed) as exc:
        services.booking_reject(actor=world.users["unit_admin"], booking_id=b.pk, version=1,
                                reason=" ")  # fmt: skip
    assert "reason" in _fields(exc)
    b = services.booking_reject(
        actor=world.users["secretariat"], booking_id=b.pk, version=1, reason="maintenance"
    )
    assert b.status == "rejected" and b.reason == "maintenance"
    with pytest.raises(Conflict, match="already rejected"):
        services.booking_approve(actor=world.users["unit_admin"], booking_id=b.pk, version=None)
    assert not LedgerEntry.objects.exists()


def test_stale_version_is_a_conflict(world, base):
    b = book(world, base, next_weekday(2), (9,), (10,))
    services.booking_approve(actor=world.users["unit_admin"], booking_id=b.pk, version=1)
    with pytest.raises(Conflict):
        services.booking_approve(actor=world.users["secretariat"], booking_id=b.pk, version=1)
    assert LedgerEntry.objects.count() == 1


def test_cancellation_deadline(world, base):
    day = next_weekday(2)
    b = book(world, base, day, (9,), (10,))
    late = at(day, 8)  # an hour before; the deadline is 24 h
    with pytest.raises(ValidationFailed, match="Too late to cancel"):
        services.booking_cancel(
            actor=world.users["school_admin"], booking_id=b.pk, version=None, now=late
        )
    # the owner may still cancel (e.g. a no-show)
    b = services.booking_cancel(
        actor=world.users["unit_admin"], booking_id=b.pk, version=None, now=late
    )
    assert b.status == "cancelled"
    # a cancelled booking no longer holds the slot
    book(world, base, day, (9,), (10,))
    assert Booking.objects.filter(status="pending").count() == 1


def test_outsiders_cannot_book_or_cancel(world, base):
    day = next_weekday(2)
    with pytest.raises(Exception) as exc:
        book(world, base, day, (9,), (10,), user="other_consortium")
    assert type(exc.value).__name__ == "NotFound"
    b = book(world, base, day, (9,), (10,))
    with pytest.raises(Exception) as exc:
        services.booking_cancel(actor=world.users["observer"], booking_id=b.pk, version=None)
    assert type(exc.value).__name__ == "NotFound"
    with pytest.raises(Forbidden):
        services.booking_cancel(actor=world.users["supervisor"], booking_id=b.pk, version=None)


def test_the_secretariat_books_only_for_member_units(world, base):
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(
            actor=world.users["secretariat"], resource_id=base.pk, unit_id=world.units["x"].pk,
            start=at(next_weekday(2), 9), end=at(next_weekday(2), 10),
        )  # fmt: skip
    assert "admitted member" in _fields(exc)["unit"]


def test_resource_and_quota_services_write_their_audit_entries(world):
    r = make_resource(world, code="audited")
    r = services.resource_update(
        actor=world.users["unit_admin"], resource_id=r.pk, version=1, capacity=3
    )
    assert r.version == 2
    same = services.resource_update(
        actor=world.users["unit_admin"], resource_id=r.pk, version=2, capacity=3
    )
    assert same.version == 2  # nothing changed, nothing written
    with pytest.raises(Conflict):
        services.resource_update(
            actor=world.users["secretariat"], resource_id=r.pk, version=1, capacity=4
        )
    with pytest.raises(Forbidden):
        services.resource_update(
            actor=world.users["school_admin"], resource_id=r.pk, version=2, capacity=4
        )
    q = services.quota_create(
        actor=world.users["unit_admin"], consortium_id=world.a.pk, resource_id=r.pk,
        period="year", hours=Decimal(100),
    )  # fmt: skip
    services.quota_delete(actor=world.users["secretariat"], quota_id=q.pk)
    events = list(
        AuditEntry.objects.filter(
            event_type__in=[
                EventType.RESOURCE_CREATED, EventType.RESOURCE_CHANGED,
                EventType.QUOTA_CREATED, EventType.QUOTA_DELETED,
            ]
        ).order_by("id").values_list("event_type", flat=True)
    )  # fmt: skip
    assert events == [
        EventType.RESOURCE_CREATED,
        EventType.RESOURCE_CHANGED,
        EventType.QUOTA_CREATED,
        EventType.QUOTA_DELETED,
    ]
    change = AuditEntry.objects.get(event_type=EventType.RESOURCE_CHANGED)
    assert change.before["capacity"] == 1 and change.after["capacity"] == 3
