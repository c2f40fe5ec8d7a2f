"""The units of the diagnosis and their groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from gongsheng.consortia.choices import GOVERNMENT_TYPES, SCHOOL_TYPES, MembershipStatus, UnitType
from gongsheng.consortia.models import Consortium, Membership, Unit
from gongsheng.diagnosis.gather._base import _fetch


def unit_group(unit_type: str) -> str:
    """The diagnosis group of a ``consortia.choices.UnitType``."""
    if unit_type in GOVERNMENT_TYPES:
        return "government"
    if unit_type in SCHOOL_TYPES:
        return "school"
    if unit_type == UnitType.ENTERPRISE:
        return "enterprise"
    if unit_type == UnitType.RESEARCH_INSTITUTE:
        return "research"
    return "other"


# --- units ----------------------------------------------------------------------------------
def units(consortium_ids: Iterable[int], extra: dict[int, set[int]] | None = None):
    """Per consortium: the engine's unit columns (id, name, group, lead, member) for every unit
    with a membership (``member`` = admitted) plus the units in ``extra`` (units with flows but
    no membership row). Three queries."""
    ids = sorted(set(consortium_ids))
    out: dict[int, dict[str, list[Any]]] = {
        c: {"id": [], "name": [], "group": [], "lead": [], "member": []} for c in ids
    }
    leads: dict[int, set[int]] = {
        pk: {u for u in (g, s, e) if u}
        for pk, g, s, e in Consortium.objects.filter(pk__in=ids).values_list(
            "pk", "lead_government_id", "lead_school_id", "lead_enterprise_id"
        )
    }
    seen: dict[int, set[int]] = defaultdict(set)
    for c, uid, name, utype, status in _fetch(
        Membership.objects.filter(consortium_id__in=ids)
        .order_by("consortium_id", "unit_id")
        .values_list("consortium_id", "unit_id", "unit__name", "unit__type", "status")
    ):
        cols = out[c]
        cols["id"].append(uid)
        cols["name"].append(name)
        cols["group"].append(unit_group(utype))
        cols["lead"].append(uid in leads.get(c, ()))
        cols["member"].append(status == MembershipStatus.ADMITTED)
        seen[c].add(uid)
    missing = {c: set(u) - seen[c] for c, u in (extra or {}).items() if set(u) - seen[c]}
    if missing:
        found = {
            pk: (name, utype)
            for pk, name, utype in Unit.objects.filter(
                pk__in=set().union(*missing.values())
            ).values_list("pk", "name", "type")
        }
        for c, uids in missing.items():
            for uid in sorted(uids):
                name, utype = found.get(uid, (str(uid), "other"))
                cols = out[c]
                cols["id"].append(uid)
                cols["name"].append(name)
                cols["group"].append(unit_group(utype))
                cols["lead"].append(uid in leads.get(c, ()))
                cols["member"].append(False)
    return out
