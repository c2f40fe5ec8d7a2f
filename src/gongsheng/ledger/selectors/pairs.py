"""The pair summary: what two units gave each other, directly and through shared pools."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    FloatField,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from gongsheng.core.errors import ValidationFailed
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.selectors.base import _unit_names, summary_base
from gongsheng.ledger.selectors.entries import CENT, ZERO, LedgerFilter


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
