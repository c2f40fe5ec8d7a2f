"""Who to tell: the users holding a role in a consortium, read from ``access`` role assignments.

These are the system's own reads (for ``notify``), not a user's: they are not scoped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from gongsheng.access.models import User
from gongsheng.access.roles import Role


def _holders(role: str, consortium_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role_assignments__role=role,
        role_assignments__consortium_id=consortium_id,
    )


def secretariat(consortium_id: int) -> list[User]:
    """The secretariat of the consortium."""
    return list(_holders(Role.SECRETARIAT, consortium_id).distinct())


def unit_admins(consortium_id: int, unit_ids: Iterable[int | None]) -> list[User]:
    """The unit admins of these units in the consortium (a unit role needs the user's unit)."""
    ids = sorted({u for u in unit_ids if u is not None})
    if not ids:
        return []
    return list(_holders(Role.UNIT_ADMIN, consortium_id).filter(unit_id__in=ids).distinct())


def users(*groups: Iterable[User | None]) -> list[User]:
    """Several lists of recipients as one, each user once, in order."""
    seen: dict[int, User] = {}
    for group in groups:
        for user in group:
            if user is not None and getattr(user, "pk", None) and user.pk not in seen:
                seen[user.pk] = user
    return list(seen.values())
