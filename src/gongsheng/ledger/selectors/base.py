"""What every summary starts from: the dimensions and the scoped entries to aggregate."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    QuerySet,
)
from django.utils.translation import gettext as _

from gongsheng.access.roles import Role
from gongsheng.access.scope import context_for, scope
from gongsheng.consortia.models import Unit
from gongsheng.core.errors import Forbidden
from gongsheng.ledger.models import LedgerEntry, counted
from gongsheng.ledger.selectors.entries import LedgerFilter

DIMENSIONS = ("unit", "pair", "pool", "source", "period", "category", "unit_type")
WIDE_DIMENSIONS = frozenset({"period", "category", "unit_type"})


def summary_base(
    *, user: Any, consortium_id: int | None, dimension: str, filters: LedgerFilter | None = None
) -> QuerySet:
    """The entries a summary aggregates over, for this user and dimension.

    Raises ``Forbidden`` when an observer (or anyone without entries) asks for a breakdown by
    unit, pair, pool or source.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown summary dimension {dimension!r}")
    base = LedgerEntry.objects.all()
    if consortium_id is not None:
        base = base.filter(consortium_id=consortium_id)
    ctx = context_for(user)
    wide_only = False
    entry_roles = (Role.SECRETARIAT, Role.SUPERVISOR, Role.UNIT_ADMIN, Role.UNIT_MEMBER)
    if ctx.platform_admin:
        qs = base
    elif consortium_id is not None and consortium_id not in ctx.consortia(*entry_roles):
        if consortium_id not in ctx.consortia(Role.OBSERVER):
            qs = base.none()
        elif dimension not in WIDE_DIMENSIONS:
            raise Forbidden(_("Observers see consortium-wide totals only."))
        else:
            qs = base.filter(confidential=False)
            wide_only = True
    else:
        wide = ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR)
        if consortium_id is not None and consortium_id in wide:
            qs = base  # every entry of the consortium: no per-row access filter to plan around
        elif consortium_id is None and wide and not ctx.unit_consortia and not _has_shares(ctx):
            qs = base.filter(consortium_id__in=sorted(wide))
        else:
            qs = scope(user, base, "view")
    if filters:
        if wide_only and (filters.unit or filters.pool or filters.source):
            # a filter on a unit, pool or source of an observer's totals would be a breakdown
            raise Forbidden(_("Observers see consortium-wide totals only."))
        qs = filters.apply(qs)
    # only what counts: no flow still waiting for (or refused by) its giver (decision 0804)
    return counted(qs, None if consortium_id is None else [consortium_id]).order_by()


def totals_only(user: Any, consortium_id: int | None) -> bool:
    """Whether the user sees this consortium's summaries only as totals over entries they may
    not see one by one (an observer): aggregates by unit type then leave out groups of fewer
    than ``GONGSHENG_MIN_GROUP_UNITS`` units (decision 0804)."""
    if consortium_id is None:
        return False
    ctx = context_for(user)
    entry_roles = (Role.SECRETARIAT, Role.SUPERVISOR, Role.UNIT_ADMIN, Role.UNIT_MEMBER)
    return (
        not ctx.platform_admin
        and consortium_id not in ctx.consortia(*entry_roles)
        and consortium_id in ctx.consortia(Role.OBSERVER)
    )


def min_group_units() -> int:
    """The smallest group whose aggregate is shown to those who may not see its members'
    records (setting ``GONGSHENG_MIN_GROUP_UNITS``, default 3)."""
    from django.conf import settings

    return max(1, int(getattr(settings, "GONGSHENG_MIN_GROUP_UNITS", 3)))


def _has_shares(ctx: Any) -> bool:
    if ctx.unit_id is None:
        return False
    from django.contrib.contenttypes.models import ContentType

    from gongsheng.access.models import ShareGrant

    ct = ContentType.objects.get_for_model(LedgerEntry)
    return ShareGrant.objects.filter(content_type=ct, unit_id=ctx.unit_id).exists()


def _unit_names(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        pk: (name, utype)
        for pk, name, utype in Unit.objects.filter(pk__in=ids).values_list("pk", "name", "type")
    }
