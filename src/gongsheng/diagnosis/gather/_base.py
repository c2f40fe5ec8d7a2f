"""What every gathering shares: the raw fetch, the window, the ledger rows that count."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from gongsheng.ledger.models import LedgerEntry, counted


def _fetch(qs: QuerySet) -> list[tuple[Any, ...]]:
    """Rows of an aggregate ``values_list`` query as the driver returns them (no converters)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _years_q(years: tuple[int | None, int | None] | None) -> Q:
    q = Q()
    if years and years[0] is not None:
        q &= Q(year__gte=years[0])
    if years and years[1] is not None:
        q &= Q(year__lte=years[1])
    return q


def entries(consortium_ids: Iterable[int], *, confidential: bool = True) -> QuerySet:
    """The ledger entries of these consortia that count (decision 0804): without flows that
    still wait for their giver's confirmation or were declined by it; without the confidential
    ones when ``confidential`` is False (the ``members`` audience). Unordered."""
    ids = sorted(set(consortium_ids))
    qs = counted(LedgerEntry.objects.filter(consortium_id__in=ids), ids)
    if not confidential:
        qs = qs.filter(confidential=False)
    return qs.order_by()
