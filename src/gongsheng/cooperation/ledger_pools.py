"""The ledger's project pools (``project:<id>``) and their participants (ledger.pools)."""

from __future__ import annotations

from typing import Any

from django.db.models import Subquery

from gongsheng.cooperation.models import Participant, Project
from gongsheng.ledger.pools import register_pool_kind


def project_pools(consortium_id: int, ids: list[int]) -> dict[int, set[int]]:
    """The projects of the consortium among ``ids`` with their participating units."""
    out: dict[int, set[int]] = {}
    for project_id, unit_id in Participant.objects.filter(
        project_id__in=ids, project__consortium_id=consortium_id
    ).values_list("project_id", "unit_id"):
        out.setdefault(project_id, set()).add(unit_id)
    return out


def project_name(pk: Any) -> Any:
    """The project's name, given its id as an expression of the entry's row."""
    return Subquery(Project.objects.filter(pk=pk).order_by().values("name")[:1])


register_pool_kind("project", project_pools, project_name)
