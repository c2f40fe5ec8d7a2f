"""The ledger's side of the diagnosis: stamps, flows, pools, series, years (GROUP BYs)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Count, FloatField, Max, Min, Q, Sum
from django.db.models.functions import Cast

from gongsheng.consortia.models import Consortium, Membership, Unit
from gongsheng.cooperation.models import Contract, Project
from gongsheng.diagnosis.gather._base import _fetch, _years_q, entries
from gongsheng.diagnosis.gather.units import unit_group
from gongsheng.diagnosis.models import DiagnosisSettings
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import EntryConfirmation, LedgerEntry
from gongsheng.sharing.models import Booking


# --- stamps ---------------------------------------------------------------------------------
def stamps(consortium_ids: Iterable[int]) -> dict[int, str]:
    """A digest per consortium of cheap aggregates over everything a diagnosis reads:
    ledger count and max id; count, Σ version and max id of projects, contracts, bookings,
    memberships (with Σ of their units' versions); the settings' and the consortium's
    versions. Any write that changes a diagnosis input changes its consortium's stamp (and
    only that one). Eight queries, whatever the number of consortia."""
    ids = sorted(set(consortium_ids))
    if not ids:
        return {}
    parts: dict[int, list[Any]] = {c: [] for c in ids}

    def add(rows: Iterable[tuple[Any, ...]], width: int) -> None:
        got = {row[0]: row[1:] for row in rows}
        for c in ids:
            parts[c].append(tuple(got.get(c, (None,) * width)))

    def totals(model: Any, **aggregates: Any) -> list[tuple[Any, ...]]:
        """``model``'s aggregates per consortium: rows (consortium id, *aggregates)."""
        return _fetch(
            model.objects.filter(consortium_id__in=ids)
            .order_by()
            .values_list("consortium_id")
            .annotate(**aggregates)
            .values_list("consortium_id", *aggregates)
        )

    add(totals(LedgerEntry, n=Count("*"), m=Max("id")), 2)
    # a giver's answer changes what counts (decision 0804) without adding an entry
    add(totals(EntryConfirmation, n=Count("*"), m=Max("id")), 2)
    for model in (Project, Contract, Booking, Membership):
        add(totals(model, n=Count("*"), v=Sum("version"), m=Max("id")), 3)
    add(totals(Membership, v=Sum("unit__version")), 1)
    settings = DiagnosisSettings.objects.filter(consortium_id__in=ids)
    add(_fetch(settings.values_list("consortium_id", "id", "version")), 2)
    add(_fetch(Consortium.objects.filter(pk__in=ids).values_list("pk", "version")), 1)
    return {c: hashlib.sha1(repr(parts[c]).encode()).hexdigest() for c in ids}


# --- flows ----------------------------------------------------------------------------------
def flows(
    consortium_ids: Iterable[int],
    years: tuple[int | None, int | None] | None = None,
    *,
    by_year: bool = False,
    confidential: bool = True,
):
    """Per consortium: the engine's ``direct``, ``pool_inputs`` and ``pool_outputs`` columns
    and the unit ids they name. Three GROUP BY queries, whatever the number of consortia,
    over the entries that count (``_base.entries``: confirmed flows only; without the
    confidential ones when ``confidential`` is False, for the ``members`` audience).

    Without ``years`` and ``by_year`` every query reads a covering index of the ledger
    (decision 0301): the direct sums group by (consortium, giver unit, receiver unit) with no
    filter on the kinds, so a unit's flows into pools and to outside arrive together as
    (giver, NULL); the pool inputs and outputs (grouped by pool and unit) are then subtracted
    from those rows, arithmetic on aggregates, leaving exactly the flows to and from outside.
    ``by_year`` adds the year to every group (for trends; the year is not in the pair index,
    so this reads the table rows: meant for one consortium). ``years`` filters the window.
    """
    ids = sorted(set(consortium_ids))
    base = entries(ids, confidential=confidential)
    if years:
        base = base.filter(_years_q(years))
    total = Cast(Sum("value"), FloatField())
    y = ("year",) if by_year else ()
    direct = _fetch(
        base.values_list("consortium_id", "giver_unit_id", "receiver_unit_id", *y)
        .annotate(v=total)
        .values_list("consortium_id", "giver_unit_id", "receiver_unit_id", *y, "v")
    )
    pool_in = _fetch(
        base.filter(receiver_kind=PartyKind.POOL)
        .values_list("consortium_id", "receiver_kind", "receiver_pool", "giver_unit_id", *y)
        .annotate(v=total)
        .values_list("consortium_id", "receiver_pool", "giver_unit_id", *y, "v")
    )
    pool_out = _fetch(
        base.filter(giver_kind=PartyKind.POOL)
        .values_list("consortium_id", "giver_kind", "giver_pool", "receiver_unit_id", *y)
        .annotate(v=total)
        .values_list("consortium_id", "giver_pool", "receiver_unit_id", *y, "v")
    )
    if not by_year:  # one shape for all: a dummy year
        direct = [(c, g, r, 0, v) for c, g, r, v in direct]
        pool_in = [(c, p, u, 0, v) for c, p, u, v in pool_in]
        pool_out = [(c, p, u, 0, v) for c, p, u, v in pool_out]
    # what units put into pools and got out of them, per (consortium, unit, year)
    into: dict[tuple[int, int, int], float] = defaultdict(float)
    outof: dict[tuple[int, int, int], float] = defaultdict(float)
    for c, _p, u, yr, v in pool_in:
        if u is not None:
            into[(c, u, yr)] += v or 0.0
    for c, _p, u, yr, v in pool_out:
        if u is not None:
            outof[(c, u, yr)] += v or 0.0
    by_c: dict[int, list[tuple[int, int, int, float]]] = defaultdict(list)
    for c, g, r, yr, v in direct:
        v = v or 0.0
        if g is None and r is None:
            continue  # between pools and outside: no unit's flow
        if r is None:
            v -= into.get((c, g, yr), 0.0)
        elif g is None:
            v -= outof.get((c, r, yr), 0.0)
        if abs(v) > 1e-9:
            by_c[c].append((-1 if g is None else g, -1 if r is None else r, yr, v))
    pools_in: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    pools_out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for c, p, u, yr, v in pool_in:
        pools_in[c].append((p or "", -1 if u is None else u, yr, v or 0.0))
    for c, p, u, yr, v in pool_out:
        pools_out[c].append((p or "", -1 if u is None else u, yr, v or 0.0))
    out: dict[int, dict[str, Any]] = {}
    named: dict[int, set[int]] = defaultdict(set)
    for c in ids:
        d = by_c.get(c, [])
        g = np.asarray([r[0] for r in d], dtype=np.int64)
        r_ = np.asarray([r[1] for r in d], dtype=np.int64)
        tables: dict[str, Any] = {
            "direct": {"giver": g, "receiver": r_, "value": np.asarray([r[3] for r in d])}
        }
        named[c].update(g[g >= 0].tolist())
        named[c].update(r_[r_ >= 0].tolist())
        if by_year:
            tables["direct"]["period"] = np.asarray([r[2] for r in d], dtype=np.int64)
        for key, rows in (
            ("pool_inputs", pools_in.get(c, [])),
            ("pool_outputs", pools_out.get(c, [])),
        ):
            u = np.asarray([r[1] for r in rows], dtype=np.int64)
            tables[key] = {
                "pool": [r[0] for r in rows],
                "unit": u,
                "value": np.asarray([r[3] for r in rows], dtype=float),
            }
            if by_year:
                tables[key]["period"] = np.asarray([r[2] for r in rows], dtype=np.int64)
            named[c].update(u[u >= 0].tolist())
        tables["direct"]["value"] = tables["direct"]["value"].astype(float)
        out[c] = tables
    return out, named


# --- evidence and series --------------------------------------------------------------------
def shared_pools(
    *,
    consortium_id: int,
    a_id: int,
    b_id: int,
    years: tuple[int, int] | None,
    confidential: bool = True,
) -> list[str]:
    """Pools through which the pair's flows run: both put something in, or one put in and the
    other received (one GROUP BY over the entries that count)."""
    base = entries([consortium_id], confidential=confidential).filter(_years_q(years))
    rows = _fetch(
        base.filter(
            Q(receiver_kind=PartyKind.POOL, giver_unit_id__in=(a_id, b_id))
            | Q(giver_kind=PartyKind.POOL, receiver_unit_id__in=(a_id, b_id))
        )
        .values_list("receiver_pool", "giver_pool", "giver_unit_id", "receiver_unit_id")
        .annotate(v=Sum("value"))
        .values_list("receiver_pool", "giver_pool", "giver_unit_id", "receiver_unit_id", "v")
    )
    put: dict[int, set[str]] = {a_id: set(), b_id: set()}
    got: dict[int, set[str]] = {a_id: set(), b_id: set()}
    for rpool, gpool, giver, receiver, v in rows:
        if rpool and giver in put and (v or 0) > 0:
            put[giver].add(rpool)
        if gpool and receiver in got and (v or 0) > 0:
            got[receiver].add(gpool)
    shared = (put[a_id] & put[b_id]) | (got[a_id] & put[b_id]) | (got[b_id] & put[a_id])
    return sorted(shared)


def group_series(
    *, consortium_id: int, confidential: bool = True, min_units: int = 0
) -> list[tuple[int, str, float, float]]:
    """(year, group, inputs, outputs) for every year with entries and every unit group with
    flows that year: two GROUP BYs (over the entries that count; without the confidential
    ones when ``confidential`` is False) and one lookup of unit types. With ``min_units``, a
    (year, group) whose inputs or outputs come from fewer units is left out (0804)."""
    base = entries([consortium_id], confidential=confidential)
    total = Cast(Sum("value"), FloatField())
    given = _fetch(
        base.filter(giver_unit_id__isnull=False)
        .values_list("consortium_id", "giver_unit_id", "year")
        .annotate(v=total)
        .values_list("giver_unit_id", "year", "v")
    )
    received = _fetch(
        base.filter(receiver_unit_id__isnull=False)
        .values_list("consortium_id", "receiver_unit_id", "year")
        .annotate(v=total)
        .values_list("receiver_unit_id", "year", "v")
    )
    types = dict(
        Unit.objects.filter(pk__in={r[0] for r in given} | {r[0] for r in received}).values_list(
            "pk", "type"
        )
    )
    cells: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    makers: dict[tuple[int, str], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for u, y, v in given:
        cells[(y, unit_group(types.get(u, "")))][0] += v or 0.0
        if v:
            makers[(y, unit_group(types.get(u, "")))][0].add(u)
    for u, y, v in received:
        cells[(y, unit_group(types.get(u, "")))][1] += v or 0.0
        if v:
            makers[(y, unit_group(types.get(u, "")))][1].add(u)
    return [
        (y, g, i, o)
        for (y, g), (i, o) in sorted(cells.items())
        if all(len(m) >= min_units or not m for m in makers[(y, g)])
    ]


def data_years(consortium_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """First and last year with entries per consortium (one GROUP BY over the index)."""
    return {
        c: (lo, hi)
        for c, lo, hi in entries(consortium_ids)
        .values_list("consortium_id")
        .annotate(lo=Min("year"), hi=Max("year"))
        .values_list("consortium_id", "lo", "hi")
    }


def pool_exposure(
    *,
    consortium_id: int,
    unit_id: int,
    years: tuple[int, int] | None,
    confidential: bool = True,
) -> set[int]:
    """The units whose share of a pool ``unit_id`` received from without putting anything in
    would show in its pairs: the pair view attributes such receipts to all contributors in
    proportion to their inputs (``analytics.diagnosis.pair_view``), so those pairs' numbers
    would tell the viewer the others' shares (decision 0804). Two GROUP BYs."""
    base = entries([consortium_id], confidential=confidential).filter(_years_q(years))
    got = {
        pool
        for pool, v in base.filter(giver_kind=PartyKind.POOL, receiver_unit_id=unit_id)
        .values_list("giver_pool")
        .annotate(v=Sum("value"))
        .values_list("giver_pool", "v")
        if (v or 0) > 0
    }
    if not got:
        return set()
    inputs: dict[str, dict[int, float]] = defaultdict(dict)
    for pool, giver, v in (
        base.filter(receiver_kind=PartyKind.POOL, receiver_pool__in=sorted(got))
        .exclude(giver_unit_id=None)
        .values_list("receiver_pool", "giver_unit_id")
        .annotate(v=Sum("value"))
        .values_list("receiver_pool", "giver_unit_id", "v")
    ):
        inputs[pool][giver] = float(v or 0)
    exposed: set[int] = set()
    for pool in got:
        put = inputs.get(pool, {})
        if put.get(unit_id, 0.0) > 0:
            continue  # it took part: the attribution is the pair view's own (MODELS.md)
        exposed |= {u for u, v in put.items() if v > 0 and u != unit_id}
    return exposed
