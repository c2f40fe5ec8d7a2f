"""Two clerks at once, on real connections (PostgreSQL): one wins, the other is told.

The services lock the resource row (``select_for_update(no_key=True)``) before they check for
conflicts, so the second clerk waits, then sees the first one's booking or decision. On
PostgreSQL an exclusion constraint also keeps approved single-capacity bookings apart.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from gongsheng.core.errors import Conflict, ValidationFailed
from gongsheng.ledger.models import LedgerEntry
from gongsheng.sharing import services
from gongsheng.sharing.models import Booking
from tests.sharing.support import at, make_resource, next_weekday, price

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections (SQLite's in-memory test database shares one cache)",
)


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: dict[int, str] = {}

    def run(i, job):
        from django.utils import translation

        translation.activate("en")  # each thread has its own active language
        try:
            barrier.wait(timeout=10)
            job()
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        except ValidationFailed as exc:
            outcomes[i] = "refused: " + "; ".join(str(e.message) for e in exc.errors)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return [outcomes[i] for i in range(len(jobs))]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_approve_the_same_booking_one_wins_the_other_is_told():
    from tests.support.world import build_world

    world = build_world()
    price(world.a)
    base = make_resource(world)
    day = next_weekday(2)
    b = services.booking_create(
        actor=world.users["school_admin"], resource_id=base.pk, start=at(day, 9), end=at(day, 11)
    )
    jobs = [
        lambda u=u: services.booking_approve(actor=world.users[u], booking_id=b.pk, version=1)
        for u in ("unit_admin", "secretariat")
    ]
    assert sorted(_race(*jobs)) == ["conflict", "ok"]
    b.refresh_from_db()
    assert b.status == "approved" and b.version == 2
    assert LedgerEntry.objects.count() == 1  # posted once, nothing lost or doubled


@pytest.mark.django_db(transaction=True)
def test_two_units_book_the_same_slot_at_once_one_gets_it():
    from tests.support.world import build_world

    world = build_world()
    base = make_resource(world, owner="gov")
    day = next_weekday(3)
    jobs = [
        lambda u=u: services.booking_create(
            actor=world.users[u], resource_id=base.pk, start=at(day, 9), end=at(day, 11)
        )
        for u in ("school_admin", "unit_admin")
    ]
    outcomes = _race(*jobs)
    assert sorted(o.split(":")[0] for o in outcomes) == ["ok", "refused"]
    assert any("overlaps bookings" in o for o in outcomes)
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_overlapping_approved_exclusive_bookings():
    from tests.support.world import build_world

    world = build_world()
    base = make_resource(world)
    day = next_weekday(2)
    common = dict(
        consortium=world.a, resource=base, host_unit=world.units["ent"], hours=2,
        status="approved", exclusive=True,
    )  # fmt: skip
    Booking.objects.create(unit=world.units["school"], start=at(day, 9), end=at(day, 11), **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            unit=world.units["other"], start=at(day, 10), end=at(day, 12), **common
        )
    # touching intervals are fine ([start, end) ranges)
    Booking.objects.create(unit=world.units["other"], start=at(day, 11), end=at(day, 12), **common)
