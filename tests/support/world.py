"""A small world of two consortia with a user for every role, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gongsheng.access.actors import SYSTEM
from gongsheng.access.models import User
from gongsheng.access.roles import Role
from gongsheng.access.services import role_grant, user_create
from gongsheng.alerts.services import alert_raise
from gongsheng.consortia import credit_code
from gongsheng.consortia.models import Consortium, Contact, Membership, Unit
from gongsheng.consortia.services import (
    consortium_create,
    contact_create,
    unit_create,
)

PASSWORD = "correct-horse-9"


def code(n: int, prefix: str = "91") -> str:
    return credit_code.make(f"{prefix}990100{n:08d}X"[:17])


@dataclass
class World:
    a: Consortium
    b: Consortium
    units: dict[str, Unit]
    contacts: dict[str, Contact]
    memberships: dict[str, Membership]
    users: dict[str, User]
    extra: dict[str, Any] = field(default_factory=dict)


def make_user(username: str, unit: Unit | None, roles: list[tuple[str, Consortium | None]]) -> User:
    user = user_create(
        actor=SYSTEM, username=username, password=PASSWORD, unit_id=unit.pk if unit else None
    )
    for role, consortium in roles:
        role_grant(
            actor=SYSTEM, user=user, role=role, consortium_id=consortium.pk if consortium else None
        )
    return User.objects.get(pk=user.pk)  # fresh, without cached roles


def build_world() -> World:
    a = consortium_create(actor=SYSTEM, code="a", name="Consortium A", level="municipal")
    b = consortium_create(actor=SYSTEM, code="b", name="Consortium B", level="municipal")
    units: dict[str, Unit] = {}
    spec = [
        ("gov", "park_committee", a, "11"),
        ("school", "higher_vocational", a, "12"),
        ("ent", "enterprise", a, "91"),
        ("other", "enterprise", a, "91"),
        ("x", "enterprise", b, "91"),
    ]
    for i, (key, utype, consortium, prefix) in enumerate(spec, start=1):
        units[key] = unit_create(
            actor=SYSTEM,
            consortium_id=consortium.pk,
            credit_code=code(i, prefix),
            name=f"Unit {key}",
            type=utype,
            joined_on=dt.date(2024, 1, 1),
        )
    units["outside"] = unit_create(
        actor=SYSTEM, credit_code=code(99, "11"), name="Supervising department", type="government"
    )
    contacts = {
        key: contact_create(
            actor=SYSTEM, unit_id=units[key].pk, name=f"Contact {key}", phone="0000-1"
        )
        for key in ("ent", "other", "x")
    }
    memberships = {m.unit_id: m for m in Membership.objects.all()}
    memberships = {key: memberships[units[key].pk] for key in ("ent", "other", "x")}
    users = {
        "admin": make_user("admin", None, [(Role.PLATFORM_ADMIN, None)]),
        "secretariat": make_user("secretariat", units["gov"], [(Role.SECRETARIAT, a)]),
        "supervisor": make_user("supervisor", units["outside"], [(Role.SUPERVISOR, a)]),
        "observer": make_user("observer", None, [(Role.OBSERVER, a)]),
        "unit_admin": make_user("unit_admin", units["ent"], [(Role.UNIT_ADMIN, a)]),
        "unit_member": make_user("unit_member", units["ent"], [(Role.UNIT_MEMBER, a)]),
        "school_admin": make_user("school_admin", units["school"], [(Role.UNIT_ADMIN, a)]),
        "other_consortium": make_user("other_consortium", units["x"], [(Role.UNIT_ADMIN, b)]),
        "nobody": make_user("nobody", units["other"], []),
    }
    world = World(a=a, b=b, units=units, contacts=contacts, memberships=memberships, users=users)
    world.extra["alert_ent"] = alert_raise(
        actor=SYSTEM,
        consortium_id=a.pk,
        kind="test",
        title="Alert about ent",
        unit_id=units["ent"].pk,
    )
    world.extra["alert_x"] = alert_raise(
        actor=SYSTEM, consortium_id=b.pk, kind="test", title="Alert about x", unit_id=units["x"].pk
    )
    return world
