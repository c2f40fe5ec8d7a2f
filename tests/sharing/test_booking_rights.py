"""Bookings right (issue 13, point 5; point 3's time zone): the secretariat books on behalf of
a chosen unit and the ledger shows that unit consuming, at the local time it booked; only a
user who may book sees the booking form; the date is prefilled as the browser's date input
wants it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone, translation

from gongsheng.ledger.models import LedgerEntry
from gongsheng.sharing.models import Booking
from tests.sharing.support import at, make_resource, next_weekday, price

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(world):
    price(world.a)
    return make_resource(world)  # owned by ent, open 08:00–12:00 and 13:30–17:30 on weekdays


def test_the_secretariat_books_for_a_unit_and_the_ledger_shows_it_at_local_time(
    world, client, base
):
    day = next_weekday(3)
    client.force_login(world.users["secretariat"])
    page = client.get(f"/resources/{base.pk}/book/").content.decode()
    options = {int(v) for v in re.findall(r'<option value="(\d+)"', page)}
    # every admitted member but the owner; consortium B's unit is not offered
    assert options == {world.units[k].pk for k in ("gov", "school", "other")}
    form = {"unit": world.units["school"].pk, "day": day.isoformat(), "start_time": "08:30",
            "end_time": "10:30", "quantity": 1}  # fmt: skip
    r = client.post(f"/resources/{base.pk}/book/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    booking = Booking.objects.get()
    assert booking.unit_id == world.units["school"].pk  # not the park committee (gov)
    assert booking.requested_by_id == world.users["secretariat"].pk
    assert timezone.localtime(booking.start) == at(day, 8, 30)
    client.force_login(world.users["unit_admin"])  # ent owns the resource
    r = client.post(f"/bookings/{booking.pk}/decide/", {"decision": "approve", "version": 1})
    assert r.status_code == 302
    entry = LedgerEntry.objects.get(source_type="sharing.booking", source_id=booking.pk)
    assert entry.receiver_unit_id == world.units["school"].pk
    assert entry.giver_unit_id == world.units["ent"].pk
    assert entry.date == day
    assert f"{day:%Y-%m-%d} 08:30–10:30" in entry.note, entry.note
    client.force_login(world.users["secretariat"])
    shown = client.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert "08:30–10:30" in shown and "00:30" not in shown


def test_the_secretariat_must_name_the_booking_unit(world, client, base):
    day = next_weekday(3)
    client.force_login(world.users["secretariat"])
    form = {"day": day.isoformat(), "start_time": "08:30", "end_time": "10:30", "quantity": 1}
    r = client.post(f"/resources/{base.pk}/book/", form)
    assert r.status_code == 200 and r.context["form"].errors.get("unit")
    assert 'data-field="unit"' in r.content.decode()
    # the owner unit itself is no choice
    r = client.post(f"/resources/{base.pk}/book/", {**form, "unit": world.units["ent"].pk})
    assert r.status_code == 200 and r.context["form"].errors.get("unit")
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "role, sees_form",
    [
        ("secretariat", True),
        ("school_admin", True),
        ("unit_admin", False),  # ent owns the resource: it does not book it
        ("unit_member", False),  # a member may not add bookings, only its unit's admin
        ("observer", False),
        ("supervisor", False),
    ],
)
def test_only_who_may_book_sees_the_booking_form(world, client, base, role, sees_form):
    client.force_login(world.users[role])
    detail = client.get(f"/resources/{base.pk}/").content.decode()
    assert ('id="book-link"' in detail) == sees_form
    r = client.get(f"/resources/{base.pk}/book/")
    assert r.status_code == (200 if sees_form else 403)
    day = next_weekday(3)
    form = {"day": day.isoformat(), "start_time": "09:00", "end_time": "10:00", "quantity": 1}
    if role == "secretariat":
        form["unit"] = world.units["school"].pk
    r = client.post(f"/resources/{base.pk}/book/", form)
    assert r.status_code == (302 if sees_form else 403)
    assert Booking.objects.count() == (1 if sees_form else 0)


def test_a_closed_resource_offers_no_booking_form(world, client, base):
    from gongsheng.access.actors import SYSTEM
    from gongsheng.sharing.services import resource_update

    resource_update(actor=SYSTEM, resource_id=base.pk, version=None, is_active=False)
    client.force_login(world.users["school_admin"])
    assert 'id="book-link"' not in client.get(f"/resources/{base.pk}/").content.decode()
    assert client.get(f"/resources/{base.pk}/book/").status_code == 403


def test_the_booking_form_is_prefilled_in_the_browsers_date_format(world, client, base):
    client.force_login(world.users["school_admin"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            page = client.get(f"/resources/{base.pk}/book/", HTTP_ACCEPT_LANGUAGE=lang)
        body = page.content.decode()
        assert f'type="date" name="day" value="{tomorrow.isoformat()}"' in body, lang
        assert "unit" not in page.context["form"].fields  # a unit books for itself


def test_the_service_asks_whether_the_actor_may_book_for_that_unit(world, client, base):
    from gongsheng.audit.models import AuditEntry

    day = next_weekday(3)
    body = {"resource_id": base.pk, "start": at(day, 9).isoformat(),
            "end": at(day, 10).isoformat(), "unit_id": world.units["school"].pk}  # fmt: skip
    # another resource, so that ent's admin is not its owner
    other = make_resource(world, owner="other", code="other-base")
    audited = AuditEntry.objects.count()
    client.force_login(world.users["unit_admin"])  # ent's admin may not book for the school
    r = client.post(
        "/api/bookings", json.dumps({**body, "resource_id": other.pk}),
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 403, r.content
    assert not Booking.objects.exists() and AuditEntry.objects.count() == audited
    client.force_login(world.users["secretariat"])
    r = client.post("/api/bookings", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["unit"]["id"] == world.units["school"].pk


def test_a_booking_reads_in_local_time():
    from gongsheng.consortia.models import Unit
    from gongsheng.sharing.models import SharedResource

    start = dt.datetime(2026, 9, 1, 0, 30, tzinfo=dt.UTC)  # 08:30 in Asia/Shanghai
    booking = Booking(
        resource=SharedResource(name="Lab"), unit=Unit(name="School"), start=start,
        end=start + dt.timedelta(hours=2),
    )  # fmt: skip
    assert str(booking) == "Lab 2026-09-01 08:30–10:30 (School)"
