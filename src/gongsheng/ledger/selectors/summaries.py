"""Aggregate summaries of the ledger by unit, pool, source, period, category, unit type.

GROUP BY queries over the scoped entries (decision 0301); the pair summary is in ``pairs.py``.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Q,
    Sum,
)

from gongsheng.consortia.models import Unit
from gongsheng.core.errors import Forbidden
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import Category
from gongsheng.ledger.pools import pool_label, pool_names
from gongsheng.ledger.selectors.base import (
    _unit_names,
    min_group_units,
    summary_base,
    totals_only,
)
from gongsheng.ledger.selectors.entries import ZERO, LedgerFilter
from gongsheng.ledger.selectors.pairs import PairRow, pool_inputs, summary_by_pair


@dataclass(slots=True)
class UnitRow:
    unit_id: int
    name: str
    type: str
    inputs: Decimal  # what it gives
    outputs: Decimal  # what it receives
    entries: int

    @property
    def net(self) -> Decimal:
        return self.outputs - self.inputs

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "net": self.net}


def summary_by_unit(
    *, user: Any, consortium_id: int | None, filters: LedgerFilter | None = None
) -> list[UnitRow]:
    """Inputs (given), outputs (received) and net per unit: two GROUP BYs and a name lookup."""
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="unit", filters=filters)
    given = (
        qs.filter(giver_unit_id__isnull=False)
        .values_list("consortium_id", "giver_unit_id")
        .annotate(v=Sum("value"), n=Count("*"))
        .values_list("consortium_id", "giver_unit_id", "v", "n")
    )
    received = (
        qs.filter(receiver_unit_id__isnull=False)
        .values_list("consortium_id", "receiver_unit_id")
        .annotate(v=Sum("value"), n=Count("*"))
        .values_list("consortium_id", "receiver_unit_id", "v", "n")
    )
    totals: dict[int, list[Any]] = defaultdict(lambda: [ZERO, ZERO, 0])
    for _c, pk, v, n in given:
        totals[pk][0] += v or ZERO
        totals[pk][2] += n
    for _c, pk, v, n in received:
        totals[pk][1] += v or ZERO
        totals[pk][2] += n
    if filters and filters.unit:
        totals = {k: v for k, v in totals.items() if k == filters.unit}
    names = _unit_names(set(totals))
    rows = [
        UnitRow(pk, *names.get(pk, ("?", "")), inputs=t[0], outputs=t[1], entries=t[2])
        for pk, t in totals.items()
    ]
    return sorted(rows, key=lambda r: (-(r.inputs + r.outputs), r.name))


@dataclass(frozen=True)
class PoolRow:
    pool: str
    inputs: Decimal  # received by the pool
    outputs: Decimal  # given out of the pool
    participants: int  # units that put something in
    name: str = ""  # what the pool is called (the project's name), "" when unknown

    @property
    def label(self) -> str:
        return pool_label(self.pool, self.name)


def summary_by_pool(
    *, user: Any, consortium_id: int | None, filters: LedgerFilter | None = None
) -> list[PoolRow]:
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="pool", filters=filters)
    inputs = pool_inputs(qs)
    out_of: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for _c, pool, v in (
        qs.filter(giver_kind=PartyKind.POOL)
        .values_list("consortium_id", "giver_pool")
        .annotate(v=Sum("value"))
        .values_list("consortium_id", "giver_pool", "v")
    ):
        out_of[pool] += v or ZERO
    rows = {
        p: PoolRow(p, sum(by_unit.values(), ZERO), out_of.get(p, ZERO), len(by_unit))
        for p, by_unit in inputs.items()
    }
    for p, v in out_of.items():
        rows.setdefault(p, PoolRow(p, ZERO, v, 0))
    names = pool_names(qs, list(rows))
    return sorted(
        (replace(r, name=names.get(r.pool, "")) for r in rows.values()),
        key=lambda r: (-(r.inputs + r.outputs), r.pool),
    )


@dataclass(frozen=True)
class SourceRow:
    source_type: str  # "" for manual entries
    source_id: int | None
    value: Decimal
    entries: int


def summary_by_source(
    *, user: Any, consortium_id: int | None, filters: LedgerFilter | None = None
) -> list[SourceRow]:
    """Value per project, contract, booking … (the record that caused the entries)."""
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="source", filters=filters)
    rows = (
        qs.values_list("consortium_id", "source_type", "source_id")
        .annotate(v=Sum("value"), n=Count("*"))
        .values_list("consortium_id", "source_type", "source_id", "v", "n")
    )
    merged: dict[tuple[str, int | None], list[Any]] = defaultdict(lambda: [ZERO, 0])
    for _c, t, i, v, n in rows:
        merged[(t, i)][0] += v or ZERO
        merged[(t, i)][1] += n
    return sorted(
        (SourceRow(t, i, v, n) for (t, i), (v, n) in merged.items()),
        key=lambda r: (-r.value, r.source_type, r.source_id or 0),
    )


@dataclass(frozen=True)
class PeriodRow:
    period: int  # the calendar year, or the year an academic year starts in (Sept)
    label: str
    value: Decimal
    entries: int
    inputs: Decimal | None = None  # of the filtered unit
    outputs: Decimal | None = None


def summary_by_period(
    *,
    user: Any,
    consortium_id: int | None,
    filters: LedgerFilter | None = None,
    academic: bool = False,
) -> list[PeriodRow]:
    """Totals per calendar year, or per academic year (September to August) with
    ``academic``; with a unit filter also that unit's inputs and outputs."""
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="period", filters=filters)
    unit = filters.unit if filters else None
    key = "academic_year" if academic else "year"  # both stored, both indexed
    aggs: dict[str, Any] = {"v": Sum("value"), "n": Count("*")}
    if unit:
        aggs["i"] = Sum("value", filter=Q(giver_unit_id=unit))
        aggs["o"] = Sum("value", filter=Q(receiver_unit_id=unit))
    merged: dict[int, list[Any]] = defaultdict(lambda: [ZERO, 0, ZERO, ZERO])
    for row in qs.values("consortium_id", key).annotate(**aggs):
        m = merged[row[key]]
        m[0] += row["v"] or ZERO
        m[1] += row["n"]
        if unit:
            m[2] += row["i"] or ZERO
            m[3] += row["o"] or ZERO
    return [
        PeriodRow(
            period=p,
            label=f"{p}–{p + 1}" if academic else str(p),
            value=m[0],
            entries=m[1],
            inputs=m[2] if unit else None,
            outputs=m[3] if unit else None,
        )
        for p, m in sorted(merged.items())
    ]


@dataclass(frozen=True)
class CategoryRow:
    category_id: int
    code: str
    name: str
    quantity_unit: str
    quantity: Decimal
    value: Decimal
    entries: int


def summary_by_category(
    *, user: Any, consortium_id: int | None, filters: LedgerFilter | None = None
) -> list[CategoryRow]:
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="category", filters=filters)
    merged: dict[int, list[Any]] = defaultdict(lambda: [ZERO, ZERO, 0])
    for _c, pk, q, v, n in (
        qs.values_list("consortium_id", "category_id")
        .annotate(q=Sum("quantity"), v=Sum("value"), n=Count("*"))
        .values_list("consortium_id", "category_id", "q", "v", "n")
    ):
        merged[pk][0] += q or ZERO
        merged[pk][1] += v or ZERO
        merged[pk][2] += n
    cats = {c.pk: c for c in Category.objects.filter(pk__in=list(merged))}
    out = [
        CategoryRow(pk, cats[pk].code, cats[pk].name, cats[pk].quantity_unit, q, v, n)
        for pk, (q, v, n) in merged.items()
    ]
    return sorted(out, key=lambda r: (-r.value, r.code))


@dataclass(frozen=True)
class UnitTypeYear:
    """Inputs and outputs of one unit type in one year; ``None`` where fewer units than
    ``GONGSHENG_MIN_GROUP_UNITS`` make the number and the viewer may not see their records
    (it would be those units' own figures: suppressed, decision 0804)."""

    year: int
    unit_type: str
    inputs: Decimal | None
    outputs: Decimal | None


def summary_by_unit_type(
    *, user: Any, consortium_id: int | None, filters: LedgerFilter | None = None
) -> list[UnitTypeYear]:
    """Inputs and outputs per unit type and calendar year (the summaries page's chart)."""
    qs = summary_base(
        user=user, consortium_id=consortium_id, dimension="unit_type", filters=filters
    )
    # per unit and year in index order, then per type through one lookup of the units' types
    # (joining the unit table row by row would cost ten times more)
    given = list(
        qs.filter(giver_unit_id__isnull=False)
        .values_list("consortium_id", "giver_unit_id", "year")
        .annotate(v=Sum("value"))
        .values_list("consortium_id", "giver_unit_id", "year", "v")
    )
    received = list(
        qs.filter(receiver_unit_id__isnull=False)
        .values_list("consortium_id", "receiver_unit_id", "year")
        .annotate(v=Sum("value"))
        .values_list("consortium_id", "receiver_unit_id", "year", "v")
    )
    types = dict(
        Unit.objects.filter(pk__in={r[1] for r in given} | {r[1] for r in received}).values_list(
            "pk", "type"
        )
    )
    cells: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    makers: dict[tuple[int, str], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for _c, u, y, v in given:
        cells[(y, types.get(u, ""))][0] += v or ZERO
        if v:
            makers[(y, types.get(u, ""))][0].add(u)
    for _c, u, y, v in received:
        cells[(y, types.get(u, ""))][1] += v or ZERO
        if v:
            makers[(y, types.get(u, ""))][1].add(u)
    if not totals_only(user, consortium_id):
        return [UnitTypeYear(y, t, i, o) for (y, t), (i, o) in sorted(cells.items())]
    k = min_group_units()
    return [
        UnitTypeYear(
            y,
            t,
            i if len(makers[(y, t)][0]) >= k else None,
            o if len(makers[(y, t)][1]) >= k else None,
        )
        for (y, t), (i, o) in sorted(cells.items())
    ]


@dataclass
class Summaries:
    """Everything the summaries page shows, for one consortium and filter."""

    by_category: list[CategoryRow]
    by_period: list[PeriodRow]
    by_unit_type: list[UnitTypeYear]
    by_unit: list[UnitRow] | None = None  # None: not for this user (observer)
    by_pair: list[PairRow] | None = None
    top_pairs: list[PairRow] | None = None  # the largest, for pages
    by_pool: list[PoolRow] | None = None
    wide_only: bool = False
    min_group: int = 3  # GONGSHENG_MIN_GROUP_UNITS
    generated: dt.datetime = field(default_factory=dt.datetime.now)


def summaries(
    *,
    user: Any,
    consortium_id: int,
    filters: LedgerFilter | None = None,
    academic: bool = False,
) -> Summaries:
    kw: dict[str, Any] = {"user": user, "consortium_id": consortium_id, "filters": filters}
    result = Summaries(
        by_category=summary_by_category(**kw),
        by_period=summary_by_period(**kw, academic=academic),
        by_unit_type=summary_by_unit_type(**kw),
        min_group=min_group_units(),
    )
    try:
        result.by_unit = summary_by_unit(**kw)
    except Forbidden:
        result.wide_only = True
        return result
    result.by_pair = summary_by_pair(**kw)
    result.top_pairs = heapq.nlargest(100, result.by_pair, key=lambda r: r.in_a + r.in_b)
    result.by_pool = summary_by_pool(**kw)
    return result
