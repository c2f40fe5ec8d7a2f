"""The booking's standard tests (``tests.support.declared``): data and the expected rights
only. Bookings have no pages of their own (queue, my bookings, calendar: ``test_pages_api``)
and are never deleted; their moves are approve, reject and cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.services import unit_create
from gongsheng.sharing.models import Booking
from gongsheng.sharing.services import booking_create
from tests.sharing.support import at, make_resource, next_weekday, price
from tests.support.declared import ROLES, StandardData, StandardTests
from tests.support.world import code

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "approve", "reject", "cancel"}
BOOKER = {"view", "add", "change", "cancel"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (ent's booking of the park committee's hall, another unit's booking of it, x's
#: booking in consortium B): the parties, the secretariat and supervisors see a booking; the
#: booking unit's admin changes and cancels it; the host unit and the secretariat decide
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),  # also the host's (gov's) user
    "supervisor": (SEE, SEE, NONE),
    "observer": (NONE, NONE, NONE),  # utilisation aggregates only
    "unit_admin": (BOOKER, NONE, NONE),  # ent's admin
    "unit_member": (SEE, NONE, NONE),
    "school_admin": (NONE, NONE, NONE),
    "other_consortium": (NONE, NONE, BOOKER),  # x's admin in consortium B
    "nobody": (NONE, NONE, NONE),
}
BOOKS = {"own": "ent", "other": "other", "b": "x"}
#: where a refused API add answers 404: the resource named is out of the role's sight
HIDDEN = {(role, "b") for role in ROLES if role not in ("admin", "other_consortium")} | {
    ("other_consortium", "own"), ("other_consortium", "other"),
    ("nobody", "own"), ("nobody", "other"),
}  # fmt: skip


def _resource(world, where):
    """The park committee's hall in A; in B, a lab of a second unit y (x books it)."""
    key = "hall_b" if where == "b" else "hall_a"
    if key not in world.extra:
        price(world.a)
        price(world.b)
        world.extra["hall_a"] = make_resource(world, owner="gov", capacity=100, code="hall")
        y = unit_create(
            actor=SYSTEM, consortium_id=world.b.pk, credit_code=code(77), name="Unit y",
            type="enterprise", joined_on=dt.date(2024, 1, 1),
        )  # fmt: skip
        from gongsheng.sharing.services import resource_create

        world.extra["hall_b"] = resource_create(
            actor=SYSTEM, consortium_id=world.b.pk, owner_id=y.pk, code="lab-y",
            name="Lab y", kind="laboratory", capacity=100,
        )  # fmt: skip
    return world.extra[key]


def _times():
    day = next_weekday(2, weeks=3)  # a Tuesday three weeks ahead: before every deadline
    return at(day, 9), at(day, 10)


def _make(world, where):
    start, end = _times()
    return booking_create(
        actor=SYSTEM, resource_id=_resource(world, where).pk,
        unit_id=world.units[BOOKS[where]].pk, start=start, end=end,
    )  # fmt: skip


def _api_create(world, where):
    start, end = _times()
    return {"resource_id": _resource(world, where).pk, "unit_id": world.units[BOOKS[where]].pk,
            "start": start.isoformat(), "end": end.isoformat(), "purpose": "practice"}  # fmt: skip


def _pending_again(world, booking):
    """Approve and reject exclude each other: each move starts from a pending booking."""
    Booking.objects.filter(pk=booking.pk).update(status="pending")


class TestBookings(StandardTests):
    data = StandardData(
        model=Booking,
        make=_make,
        form=lambda world, where: {},  # no pages of its own
        api_create=_api_create,
        api_patch=lambda world, where: {"purpose": f"practice ({where})"},
        moves={
            "approve": lambda world: {},
            "reject": lambda world: {"reason": "the hall is closed for repairs"},
            "cancel": lambda world: {"reason": "plans changed"},
        },
        rights=RIGHTS,
        add_hidden=HIDDEN,
        before_move=_pending_again,
    )


def test_only_the_purpose_changes_after_the_request(world, client):
    booking = _make(world, "own")
    client.force_login(world.users["secretariat"])
    r = client.patch(
        f"/api/bookings/{booking.pk}", {"quantity": 5, "purpose": "exam"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["purpose"] == "exam"
    booking.refresh_from_db()
    assert booking.quantity == 1 and booking.purpose == "exam" and booking.version == 2


def test_the_api_filters_bookings(world, client):
    own, other = _make(world, "own"), _make(world, "other")
    client.force_login(world.users["secretariat"])
    base = f"/api/bookings?consortium={world.a.pk}"

    def ids(query=""):
        return {b["id"] for b in client.get(base + query).json()["items"]}

    assert ids() == {own.pk, other.pk}
    assert ids(f"&unit={world.units['ent'].pk}") == {own.pk}
    assert ids(f"&host_unit={world.units['gov'].pk}") == {own.pk, other.pk}
    assert ids("&status=approved") == set()
    _start, end = _times()
    assert ids(f"&since={end.isoformat()}".replace("+", "%2B")) == set()
    assert ids(f"&until={end.isoformat()}".replace("+", "%2B")) == {own.pk, other.pk}
    assert ids("&since=someday") == {own.pk, other.pk}  # a bad value is left out
