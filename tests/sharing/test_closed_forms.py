"""Issue 13.7: "my bookings" shows the cancel form only where booking_cancel would accept it —
an open booking before its notice deadline, not a cancelled one, not one past the deadline
(the booking unit may no longer cancel it; the host may, on its own pages)."""

from __future__ import annotations

import pytest

from gongsheng.sharing import services
from tests.sharing.support import at, make_resource, next_weekday, price

pytestmark = pytest.mark.django_db


def _book(world, resource, day, hour):
    return services.booking_create(
        actor=world.users["school_admin"],
        resource_id=resource.pk,
        start=at(day, hour),
        end=at(day, hour + 1),
    )


def test_cancel_form_only_where_the_service_allows_it(world, client):
    price(world.a)
    day = next_weekday(2)
    usual = make_resource(world)
    # notice of 60 days: a booking next week is already past its cancellation deadline
    strict = make_resource(world, code="strict", cancel_hours=24 * 60)
    open_booking = _book(world, usual, day, 9)
    late_booking = _book(world, strict, day, 9)
    gone = _book(world, usual, day, 11)
    services.booking_cancel(actor=world.users["school_admin"], booking_id=gone.pk, version=None)

    client.force_login(world.users["school_admin"])
    page = client.get(f"/consortia/{world.a.pk}/bookings/mine/").content.decode()
    assert f"/bookings/{open_booking.pk}/cancel/" in page
    assert f"/bookings/{late_booking.pk}/cancel/" not in page
    assert f"/bookings/{gone.pk}/cancel/" not in page
    assert page.count("/cancel/") == 1

    # the hidden form would have been refused: the page and the service agree
    refused = client.post(f"/bookings/{late_booking.pk}/cancel/", {"version": "1"})
    late_booking.refresh_from_db()
    assert late_booking.status == "pending" and refused.status_code in (200, 302, 422)
    client.post(f"/bookings/{open_booking.pk}/cancel/", {"version": "1"})
    open_booking.refresh_from_db()
    assert open_booking.status == "cancelled"
