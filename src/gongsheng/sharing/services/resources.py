"""The writes of shared resources and booking quotas: the declared model's standard writes
(``gongsheng.declare.services``; ``sharing.declarations``), under the names callers use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongsheng.access.actors import Actor
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for
from gongsheng.sharing.models import Quota, SharedResource


def resource_create(
    *, actor: Actor, consortium_id: int, owner_id: int, **data: Any
) -> SharedResource:
    """Add a resource to the catalogue (the owner unit's admin or the secretariat); the owner
    is fixed once the resource exists."""
    decl = declaration_for(SharedResource)
    return declared.create(
        decl, actor=actor, consortium_id=consortium_id, owner_id=owner_id, **data
    )


def resource_update(
    *, actor: Actor, resource_id: int, version: int | None, **data: Any
) -> SharedResource:
    decl = declaration_for(SharedResource)
    return declared.update(decl, actor=actor, pk=resource_id, version=version, **data)


def quota_create(
    *,
    actor: Actor,
    consortium_id: int,
    period: str,
    hours: Decimal,
    unit_id: int | None = None,
    resource_id: int | None = None,
    owner_id: int | None = None,
) -> Quota:
    """A quota on one resource or on all resources of one owner unit."""
    return declared.create(
        declaration_for(Quota), actor=actor, consortium_id=consortium_id, period=period,
        hours=hours, unit_id=unit_id, resource_id=resource_id, owner_id=owner_id,
    )  # fmt: skip


def quota_delete(*, actor: Actor, quota_id: int, version: int | None = None) -> None:
    declared.delete(declaration_for(Quota), actor=actor, pk=quota_id, version=version)
