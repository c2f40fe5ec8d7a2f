"""Every read of the ledger, already scoped: entry lists and aggregate summaries.

Summaries are GROUP BY queries over the scoped entries (reversals carry negative values, so they
net out by themselves); Python only merges the aggregated rows and looks up names. Nothing here
loads entries one by one, so a summary over a million entries costs what its SQL costs.

Who sees what (decision 0301):

* the secretariat and supervisors: every entry of their consortia, so every summary;
* a member unit: the entries it gives or receives (and entries shared with it), so its
  summaries are those of its own flows;
* an observer: no entry, only consortium-wide totals per category, period and unit type, over
  the entries that are not confidential.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from gongsheng.access.roles import Role
from gongsheng.access.scope import access_object, context_for, scope, visible_contents
from gongsheng.attachments.selectors import files_on
from gongsheng.consortia.models import Unit
from gongsheng.core.errors import Forbidden, ValidationFailed
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import Category, LedgerEntry, ValuationRule

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LedgerFilter:
    """The entry list's and the summaries' filters; pages and the API build it alike."""

    unit: int | None = None  # as giver or receiver
    category: str = ""  # category code
    year_from: int | None = None
    year_to: int | None = None
    source: str = ""  # "cooperation.project" or "cooperation.project:12" or "manual"
    pool: str = ""
    manual: bool | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params: Any) -> LedgerFilter:
        def num(name: str) -> int | None:
            raw = str(params.get(name) or "").strip()
            return int(raw) if raw.lstrip("-").isdigit() else None

        manual_raw = str(params.get("manual") or "").strip().lower()
        manual = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        return cls(
            unit=num("unit"),
            category=str(params.get("category") or "").strip(),
            year_from=num("year_from"),
            year_to=num("year_to"),
            source=str(params.get("source") or "").strip(),
            pool=str(params.get("pool") or "").strip(),
            manual=manual.get(manual_raw),
            q=str(params.get("q") or "").strip(),
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.unit:
            qs = qs.filter(Q(giver_unit_id=self.unit) | Q(receiver_unit_id=self.unit))
        if self.category:
            qs = qs.filter(category__code=self.category)
        if self.year_from:
            qs = qs.filter(year__gte=self.year_from)
        if self.year_to:
            qs = qs.filter(year__lte=self.year_to)
        if self.source == "manual":
            qs = qs.filter(source_type="")
        elif self.source:
            label, _, pk = self.source.partition(":")
            qs = qs.filter(source_type=label)
            if pk.isdigit():
                qs = qs.filter(source_id=int(pk))
        if self.pool:
            qs = qs.filter(Q(giver_pool=self.pool) | Q(receiver_pool=self.pool))
        if self.manual is not None:
            qs = qs.filter(manual=self.manual)
        if self.q:
            qs = qs.filter(
                Q(note__icontains=self.q)
                | Q(giver_unit__name__icontains=self.q)
                | Q(receiver_unit__name__icontains=self.q)
                | Q(category__name__icontains=self.q)
            )
        return qs


# --- entries -------------------------------------------------------------------------------
def entry_list(
    *, user: Any, consortium_id: int | None = None, filters: LedgerFilter | None = None
) -> QuerySet:
    """Entries the user may see, newest first, with what a row shows (constant queries)."""
    qs = scope(user, LedgerEntry.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if filters:
        qs = filters.apply(qs)
    return (
        qs.select_related("giver_unit", "receiver_unit", "category", "rule", "consortium")
        .annotate(
            is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))),
            show_contents=Exists(
                scope(user, LedgerEntry.objects.filter(pk=OuterRef("pk")), "view_contents")
            ),
        )
        .order_by("-date", "-id")
    )


def contents_visible(*, user: Any, entries: list[LedgerEntry]) -> set[int]:
    """Pks among ``entries`` whose note and source the user may read (one query)."""
    confidential = [e.pk for e in entries if e.confidential]
    if not confidential:
        return {e.pk for e in entries}
    seen = visible_contents(user, LedgerEntry.objects.filter(pk__in=confidential))
    return {e.pk for e in entries if not e.confidential} | seen


def entry_get(*, user: Any, entry_id: int, action: str = "view") -> LedgerEntry:
    qs = LedgerEntry.objects.select_related(
        "giver_unit", "receiver_unit", "category", "rule", "consortium", "created_by", "reverses"
    )
    return access_object(user, qs, entry_id, action)


@dataclass(frozen=True)
class EntryDetail:
    entry: LedgerEntry
    chain: list[LedgerEntry]  # the original and its reversal, oldest first
    root: LedgerEntry  # the original: its evidence is the chain's evidence
    evidence: list[Any]  # attachments.Attachment (purpose evidence) of the original
    contents: bool  # may read note, source and evidence
    can_reverse: bool


def entry_detail(*, user: Any, entry_id: int) -> EntryDetail:
    from gongsheng.access.scope import can

    entry = entry_get(user=user, entry_id=entry_id)
    root_id = entry.reverses_id or entry.pk
    chain = list(
        scope(user, LedgerEntry.objects.filter(Q(pk=root_id) | Q(reverses_id=root_id)), "view")
        .select_related("created_by")
        .order_by("id")
    )
    contents = (
        not entry.confidential
        or scope(user, LedgerEntry.objects.filter(pk=entry.pk), "view_contents").exists()
    )
    root = next((e for e in chain if e.pk == root_id), entry)
    evidence = files_on(root) if contents else []
    can_reverse = entry.reverses_id is None and len(chain) == 1 and can(user, "reverse", entry)
    return EntryDetail(
        entry=entry,
        root=root,
        chain=chain,
        evidence=evidence,
        contents=contents,
        can_reverse=can_reverse,
    )


def category_list(*, user: Any, consortium_id: int | None, active_only: bool = False) -> QuerySet:
    qs = scope(user, Category.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by(F("consortium_id").asc(nulls_first=True), "code")


def rule_list(*, user: Any, consortium_id: int | None) -> QuerySet:
    qs = scope(user, ValuationRule.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
    return qs.select_related("category", "created_by").order_by(
        "category__code", F("consortium_id").asc(nulls_first=True), "-effective_from"
    )


# --- summaries ------------------------------------------------------------------------------
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
            raise Forbidden("Observers see consortium-wide totals only.")
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
            raise Forbidden("Observers see consortium-wide totals only.")
        qs = filters.apply(qs)
    return qs.order_by()


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


@dataclass(slots=True)
class PairRow:
    """What ``a`` gave ``b`` and ``b`` gave ``a``, directly and through shared project pools.

    Kept in cents (plain ints, light for thousands of pairs); the CNY amounts are Decimals made
    on access."""

    a_id: int
    a_name: str
    b_id: int
    b_name: str
    a_to_b_cents: int
    b_to_a_cents: int
    a_to_b_pools_cents: int
    b_to_a_pools_cents: int

    @property
    def a_to_b(self) -> Decimal:
        return _cny(self.a_to_b_cents)

    @property
    def b_to_a(self) -> Decimal:
        return _cny(self.b_to_a_cents)

    @property
    def a_to_b_pools(self) -> Decimal:
        return _cny(self.a_to_b_pools_cents)

    @property
    def b_to_a_pools(self) -> Decimal:
        return _cny(self.b_to_a_pools_cents)

    @property
    def in_a(self) -> Decimal:
        return _cny(self.a_to_b_cents + self.a_to_b_pools_cents)

    @property
    def in_b(self) -> Decimal:
        return _cny(self.b_to_a_cents + self.b_to_a_pools_cents)

    def as_dict(self) -> dict[str, Any]:
        return {
            "a_id": self.a_id,
            "a_name": self.a_name,
            "b_id": self.b_id,
            "b_name": self.b_name,
            "a_to_b": self.a_to_b,
            "b_to_a": self.b_to_a,
            "a_to_b_pools": self.a_to_b_pools,
            "b_to_a_pools": self.b_to_a_pools,
            "in_a": self.in_a,
            "in_b": self.in_b,
        }


def _cny(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2) if cents else ZERO


def pool_inputs(qs: QuerySet) -> dict[str, dict[int, Decimal]]:
    """Per pool, each unit's input to it (one GROUP BY)."""
    rows = (
        qs.filter(receiver_kind=PartyKind.POOL, giver_unit_id__isnull=False)
        .values_list("consortium_id", "receiver_pool", "giver_unit_id")
        .annotate(v=Sum("value"))
        .values_list("consortium_id", "receiver_pool", "giver_unit_id", "v")
    )
    out: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for _c, pool, unit_id, v in rows:
        out[pool][unit_id] = out[pool].get(unit_id, ZERO) + (v or ZERO)
    return out


def split_pools(inputs: dict[str, dict[int, Decimal]]) -> dict[tuple[int, int], Decimal]:
    """What i gave j through pools both took part in: i's input to each pool split among the
    other participants in proportion to their own inputs to it (MODELS.md, pair view)."""
    out: dict[tuple[int, int], Decimal] = {}
    for by_unit in inputs.values():
        parts = {u: v for u, v in by_unit.items() if v > 0}
        total = sum(parts.values(), ZERO)
        for i, vi in parts.items():
            others = total - vi
            if others <= 0:
                continue
            for j, vj in parts.items():
                if j != i:
                    out[(i, j)] = out.get((i, j), ZERO) + vi * vj / others
    return out


def summary_by_pair(
    *,
    user: Any,
    consortium_id: int | None,
    filters: LedgerFilter | None = None,
    through_pools: bool = True,
) -> list[PairRow]:
    """Pairs of units with their direct flows (one GROUP BY) and, with ``through_pools``, their
    flows through shared pools (one more GROUP BY of inputs per pool and unit)."""
    if consortium_id is None and not (filters and filters.unit):
        raise ValidationFailed(
            _("Pairs are summarised within one consortium (or for one unit); choose one.")
        )
    qs = summary_base(user=user, consortium_id=consortium_id, dimension="pair", filters=filters)
    # sums in cents as plain floats: thousands of rows skip the per-value Decimal converter
    cents = Cast(Sum("value") * 100, FloatField())
    direct = _fetch(
        qs.filter(giver_unit_id__isnull=False, receiver_unit_id__isnull=False)
        .values_list("consortium_id", "giver_unit_id", "receiver_unit_id")
        .annotate(c=cents)
        .values_list("giver_unit_id", "receiver_unit_id", "c")
    )
    pools: dict[str, dict[int, int]] = {}
    if through_pools:
        for pool, unit_id, c in _fetch(
            qs.filter(receiver_kind=PartyKind.POOL, giver_unit_id__isnull=False)
            .values_list("consortium_id", "receiver_pool", "giver_unit_id")
            .annotate(c=cents)
            .values_list("receiver_pool", "giver_unit_id", "c")
        ):
            by_unit = pools.setdefault(pool, {})
            by_unit[unit_id] = by_unit.get(unit_id, 0) + round(c or 0)
    units = sorted(
        {g for g, _r, _c in direct}
        | {r for _g, r, _c in direct}
        | {u for by_unit in pools.values() for u in by_unit}
    )
    if len(units) > _PAIR_MATRIX_MAX:
        cells = _pair_cells(direct, pools)
    else:
        cells = _pair_cells_matrix(units, direct, pools)
    if filters and filters.unit:
        cells = [cell for cell in cells if filters.unit in (cell[0], cell[1])]
    names = {pk: n for pk, (n, _t) in _unit_names({u for c in cells for u in c[:2]}).items()}
    return [
        PairRow(a, names.get(a, "?"), b, names.get(b, "?"), ab, ba, abp, bap)
        for a, b, ab, ba, abp, bap in cells
    ]  # by unit ids; pages pick the largest with heapq


def _fetch(qs: QuerySet) -> list[tuple[Any, ...]]:
    """The rows of an aggregate ``values_list`` query as the database driver returns them:
    the same (scoped) SQL, without Django's per-row converters (thousands of rows)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


_PAIR_MATRIX_MAX = 3000  # units: beyond, the pair matrices would take too much memory


def _pair_cells_matrix(
    units: list[int], direct: list[tuple[int, int, float]], pools: dict[str, dict[int, int]]
) -> list[tuple[int, ...]]:
    """(a, b, a→b, b→a, a→b through pools, b→a through pools) in cents, a < b, sorted: the
    direct sums and the pool split (``split_pools``) as unit × unit matrices."""
    import numpy as np

    n = len(units)
    ids = np.asarray(units, dtype=np.int64)
    seen = np.zeros((n, n), dtype=bool)
    flows = np.zeros((n, n), dtype=np.int64)
    if direct:
        g, r, c = zip(*direct, strict=True)
        gi = np.searchsorted(ids, np.asarray(g, dtype=np.int64))
        ri = np.searchsorted(ids, np.asarray(r, dtype=np.int64))
        c = np.rint(np.nan_to_num(np.asarray(c, dtype=np.float64))).astype(np.int64)
        np.add.at(flows, (gi, ri), c)
        seen[gi, ri] = True
    split = np.zeros((n, n), dtype=np.float64)
    for by_unit in pools.values():
        parts = [(u, v) for u, v in by_unit.items() if v > 0]
        if len(parts) < 2:
            continue
        pu, pv = zip(*parts, strict=True)
        ix = np.searchsorted(ids, np.asarray(pu, dtype=np.int64))
        v = np.asarray(pv, dtype=np.float64)
        others = v.sum() - v
        block = np.ix_(ix, ix)
        split[block] += np.outer(v, v) / others[:, None]
        seen[block] = True
    np.fill_diagonal(seen, False)
    split = np.rint(split).astype(np.int64)
    ai, bi = np.nonzero(np.triu(seen | seen.T, 1))  # row-major: sorted by (a, b)
    return list(
        zip(
            ids[ai].tolist(),
            ids[bi].tolist(),
            flows[ai, bi].tolist(),
            flows[bi, ai].tolist(),
            split[ai, bi].tolist(),
            split[bi, ai].tolist(),
            strict=True,
        )
    )


def _pair_cells(
    direct: list[tuple[int, int, float]], pools: dict[str, dict[int, int]]
) -> list[tuple[int, ...]]:
    """As ``_pair_cells_matrix``, with dicts (for very many units)."""
    cells: dict[tuple[int, int], list[int]] = {}
    for g, r, c in direct:
        key, side = ((g, r), 0) if g < r else ((r, g), 1)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [0, 0, 0, 0]
        cell[side] += round(c or 0)
    inputs = {
        pool: {u: Decimal(v).scaleb(-2) for u, v in by_unit.items()}
        for pool, by_unit in pools.items()
    }
    for (g, r), v in split_pools(inputs).items():
        key, side = ((g, r), 2) if g < r else ((r, g), 3)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [0, 0, 0, 0]
        cell[side] += int(v.quantize(CENT).scaleb(2))
    return [(a, b, *cell) for (a, b), cell in sorted(cells.items())]


@dataclass(frozen=True)
class PoolRow:
    pool: str
    inputs: Decimal  # received by the pool
    outputs: Decimal  # given out of the pool
    participants: int  # units that put something in


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
    return sorted(rows.values(), key=lambda r: (-(r.inputs + r.outputs), r.pool))


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
    year: int
    unit_type: str
    inputs: Decimal
    outputs: Decimal


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
    for _c, u, y, v in given:
        cells[(y, types.get(u, ""))][0] += v or ZERO
    for _c, u, y, v in received:
        cells[(y, types.get(u, ""))][1] += v or ZERO
    return [UnitTypeYear(y, t, i, o) for (y, t), (i, o) in sorted(cells.items())]


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
