"""Who sees what of a diagnosis: access level, audience, groups too small to show."""

from __future__ import annotations

from typing import Any

from gongsheng.access.roles import Role
from gongsheng.access.scope import can, context_for
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.diagnosis.models import DiagnosisResult
from gongsheng.diagnosis.types import (
    ACCESS_FULL,
    ACCESS_TOTALS,
    ACCESS_UNIT,
)


# --- access ---------------------------------------------------------------------------------
def diagnosis_access(*, user: Any, consortium_id: int) -> tuple[str, int | None]:
    """What ``user`` may see of the consortium's diagnosis: (access level, own unit id).

    Raises ``NotFound`` for a user without any role in the consortium.
    """
    ctx = context_for(user)
    if ctx.user_id is None:
        raise NotFound()
    if ctx.platform_admin:
        if not Consortium.objects.filter(pk=consortium_id).exists():
            raise NotFound()
        return ACCESS_FULL, None
    if consortium_id in ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR):
        return ACCESS_FULL, None
    if consortium_id in ctx.unit_consortia and ctx.unit_id is not None:
        return ACCESS_UNIT, ctx.unit_id
    if consortium_id in ctx.consortia(Role.OBSERVER):
        return ACCESS_TOTALS, None
    raise NotFound()


def _window(year_from: int | None, year_to: int | None) -> tuple[int | None, int | None]:
    for name, v in (("year_from", year_from), ("year_to", year_to)):
        if v is not None and not (1900 <= int(v) <= 2999):
            raise ValidationFailed(f"{name}: a year between 1900 and 2999, got {v}")
    if year_from is not None and year_to is not None and int(year_to) < int(year_from):
        raise ValidationFailed(f"year_to ({year_to}) is before year_from ({year_from})")
    return (
        None if year_from is None else int(year_from),
        None if year_to is None else int(year_to),
    )


def window_check(year_from: int | None, year_to: int | None) -> tuple[int | None, int | None]:
    """The window as ints; ``ValidationFailed`` naming ``year_from`` / ``year_to`` when bad."""
    return _window(year_from, year_to)


def pair_allowed(*, user: Any, consortium_id: int, a_id: int, b_id: int) -> None:
    """``NotFound`` unless the user may open this pair: asked before anything is computed
    (unit users only pairs their unit is in; observers none)."""
    access, unit_id = diagnosis_access(user=user, consortium_id=consortium_id)
    if access == ACCESS_TOTALS or (access == ACCESS_UNIT and unit_id not in (a_id, b_id)):
        raise NotFound()
    if a_id == b_id:
        raise NotFound()


def diagnosis_audience(*, user: Any, consortium_id: int) -> str:
    """Which stored diagnosis ``user`` reads (decision 0804): the one from every entry that
    counts (``ALL``) for those the policy lets read stored results (the secretariat,
    supervisors, platform admins); else the one from the entries every member may see
    (``MEMBERS``: not the confidential ones)."""
    from gongsheng.diagnosis.services import ALL, MEMBERS

    return ALL if can(user, "view", DiagnosisResult, consortium_id=consortium_id) else MEMBERS


def small_groups(units: list[dict[str, Any]], k: int) -> dict[str, set[str]]:
    """The unit groups made by fewer than ``k`` units, per measure: ``inputs`` (units that put
    something in), ``outputs`` (that received something) and ``flows`` (either). Their
    aggregates would be those few units' own figures (decision 0804)."""
    makers: dict[str, dict[str, set[int]]] = {m: {} for m in ("inputs", "outputs", "flows")}
    for u in units:
        for measure, present in (
            ("inputs", bool(u.get("inputs"))),
            ("outputs", bool(u.get("outputs"))),
            ("flows", bool(u.get("inputs") or u.get("outputs"))),
        ):
            if present:
                makers[measure].setdefault(u["group"], set()).add(u["id"])
    groups = {u["group"] for u in units}
    return {
        m: {g for g in groups if len(makers[m].get(g, ())) < k}
        for m in ("inputs", "outputs", "flows")
    }


def _without(values: dict[str, Any], groups: set[str]) -> dict[str, Any]:
    return {g: v for g, v in values.items() if g not in groups}
