"""Real users' roles in the demo consortia survive a demo reset.

Resetting the demo deletes and re-creates its consortia, and with them every role held in
them. A role that a real account (one the demo did not make, ``User.is_demo`` false) holds in
a demo consortium is noted before the reset and granted again afterwards in the consortium
of the same code (``access.services.role_grant`` as the system: audited as ``ROLE_GRANTED``);
one whose consortium the demo no longer makes (a scale consortium) is listed, not dropped
silently (``gongsheng demo`` prints both lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongsheng.access.actors import SYSTEM
from gongsheng.access.models import RoleAssignment, User
from gongsheng.access.services import role_grant
from gongsheng.consortia.models import Consortium


@dataclass(frozen=True)
class HeldRole:
    user_id: int
    username: str
    role: str
    consortium_code: str

    def __str__(self) -> str:
        return f"{self.username} ({self.role}, {self.consortium_code})"


def held_roles() -> list[HeldRole]:
    """The roles real accounts hold in demo consortia."""
    rows = RoleAssignment.objects.filter(consortium__is_demo=True, user__is_demo=False)
    return [
        HeldRole(user_id, username, role, code)
        for user_id, username, role, code in rows.order_by(
            "user__username", "role", "pk"
        ).values_list("user_id", "user__username", "role", "consortium__code")
    ]


def restore_roles(held: list[HeldRole]) -> tuple[list[HeldRole], list[HeldRole]]:
    """Grant ``held`` again in the demo consortia of the same codes; (restored, lost)."""
    if not held:
        return [], []
    consortia = dict(
        Consortium.objects.filter(
            is_demo=True, code__in={h.consortium_code for h in held}
        ).values_list("code", "pk")
    )
    users = User.objects.in_bulk({h.user_id for h in held})
    restored, lost = [], []
    for h in held:
        pk = consortia.get(h.consortium_code)
        if pk is None or h.user_id not in users:
            lost.append(h)
            continue
        role_grant(actor=SYSTEM, user=users[h.user_id], role=h.role, consortium_id=pk)
        restored.append(h)
    return restored, lost
