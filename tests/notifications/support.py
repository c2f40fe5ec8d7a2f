"""Helpers for the notification tests: users with addresses, a booking request, chat groups."""

from __future__ import annotations

from contextlib import contextmanager

from gongsheng.access.actors import SYSTEM
from gongsheng.access.models import User
from gongsheng.notifications.services import chat_channel_create
from gongsheng.sharing.services import resource_create
from tests.sharing.support import at, next_weekday, price
from tests.support.jobs import run_jobs

ALL_EVENTS = [
    "membership.applied",
    "membership.decided",
    "booking.requested",
    "booking.decided",
    "project.moved",
    "ip.breach",
    "diagnosis.digest",
]


def with_mail(world) -> None:
    for name, user in world.users.items():
        User.objects.filter(pk=user.pk).update(email=f"{name}@example.cn")
        user.email = f"{name}@example.cn"


def request_booking(world, *, user="school_admin"):
    """school_admin books ent's training base: ent's unit admin is told."""
    from gongsheng.sharing.services import booking_create

    price(world.a)
    resource = resource_create(
        actor=SYSTEM, consortium_id=world.a.pk, owner_id=world.units["ent"].pk, code="cnc",
        name="数控实训基地", kind="training_base", capacity=1,
    )  # fmt: skip
    day = next_weekday(2)
    return booking_create(
        actor=world.users[user],
        resource_id=resource.pk,
        start=at(day, 9),
        end=at(day, 11),
    )


def group(world, kind="wecom", key="wecomkey1", *, events=None, unit=None, **kw):
    return chat_channel_create(
        actor=world.users["secretariat"],
        consortium_id=world.a.pk,
        name=f"{kind} group",
        kind=kind,
        key=key,
        events=list(events or ALL_EVENTS),
        unit_id=world.units[unit].pk if unit else None,
        **kw,
    )


@contextmanager
def delivered(capture):
    """Commit what the block does (its on-commit calls start the delivery job), then run the
    worker's jobs: the messages go out as they would with ``gongsheng worker`` running."""
    with capture(execute=True):
        yield
    run_jobs()
