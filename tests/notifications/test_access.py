"""The access matrix of notifications' records: V = view, C = contents, W = change (as in
tests/access/test_matrix.py). A notification is its recipient's alone; platform admins pass every
scope (W on a delivery is moot: no service changes one, the model refuses deletes), but no page
or endpoint lists anyone's notifications but the caller's own."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import scope
from gongsheng.notifications.models import Delivery, Notification
from gongsheng.notifications.services import notify
from tests.access.test_matrix import ROLES
from tests.notifications.support import group, with_mail

pytestmark = pytest.mark.django_db

MATRIX: dict[str, list[str]] = {
    #                       admin  sec    sup   obs  uadm   umem  sadm  othc   nobody
    "notification uadm":   ["VCW", "",    "",   "",  "VCW", "",   "",   "",    ""],
    "chat group A":        ["VCW", "VCW", "VC", "",  "",    "",   "",   "",    ""],
    "chat group own unit": ["VCW", "VCW", "VC", "",  "VCW", "VC", "",   "",    ""],
    "chat group B":        ["VCW", "",    "",   "",  "",    "",   "",   "",    ""],
    "delivery A":          ["VCW", "VC",  "",   "",  "",    "",   "",   "",    ""],
    "delivery B":          ["VCW", "",    "",   "",  "",    "",   "",   "",    ""],
}  # fmt: skip


def _records(world) -> dict[str, object]:
    from gongsheng.notifications.services import chat_channel_create

    with_mail(world)
    notify([world.users["unit_admin"]], "diagnosis.digest", world.a, actor=SYSTEM,
           context={"counts": {"free_rider": 1}})  # fmt: skip
    notify([world.users["other_consortium"]], "diagnosis.digest", world.b, actor=SYSTEM,
           context={"counts": {"free_rider": 1}})  # fmt: skip
    b_group = chat_channel_create(actor=SYSTEM, consortium_id=world.b.pk, name="B", kind="feishu",
                                  key="bkey")  # fmt: skip
    return {
        "notification uadm": Notification.objects.get(recipient=world.users["unit_admin"]),
        "chat group A": group(world, "wecom", "akey"),
        "chat group own unit": group(world, "wecom", "entkey", unit="ent"),
        "chat group B": b_group,
        "delivery A": Delivery.objects.get(consortium=world.a),
        "delivery B": Delivery.objects.get(consortium=world.b),
    }


def _allowed(user, obj) -> str:
    base = type(obj)._default_manager.filter(pk=obj.pk)
    return "".join(
        letter
        for letter, action in (("V", "view"), ("C", "view_contents"), ("W", "change"))
        if scope(user, base, action).exists()
    )


def test_access_matrix(world):
    records = _records(world)
    mismatches = []
    for name, expected in MATRIX.items():
        got = [_allowed(world.users[role], records[name]) for role in ROLES]
        mismatches += [
            f"{name} / {role}: expected {e or '-'}, got {g or '-'}"
            for role, e, g in zip(ROLES, expected, got, strict=True)
            if e != g
        ]
    assert not mismatches, "\n".join(mismatches)
