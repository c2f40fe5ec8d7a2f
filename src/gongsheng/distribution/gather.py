"""Coalition values, totals and inputs measured from the ledger
(docs/decisions/0705-coalition-values-from-the-ledger.md).

Every read is an aggregate query over the consortium's entries (GROUP BY pool and unit, pool
and year); Python only merges the aggregated rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Q, QuerySet, Sum

from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import LedgerEntry

ZERO = Decimal("0")
CENT = Decimal("0.01")


def years(start: dt.date, end: dt.date) -> Decimal:
    """Length of [start, end] (both included) in years of 365.25 days."""
    return Decimal((end - start).days + 1) / Decimal("365.25")


def project_pool(project_id: int) -> str:
    return f"project:{project_id}"


@dataclass
class Measured:
    """v(S) of one coalition from the ledger: the value, the pools behind it, the basis."""

    value: Decimal
    pools: list[str] = field(default_factory=list)
    raw: Decimal = ZERO  # outputs over the history window, before scaling


@dataclass
class LedgerGame:
    values: dict[int, Measured]  # mask -> measurement (only coalitions with history)
    scale: Decimal  # study period / history window
    history_from: dt.date | None
    history_to: dt.date
    skipped_pools: list[str]  # pools with a contributor outside the players


def entries(consortium_id: int) -> QuerySet:
    return LedgerEntry.objects.filter(consortium_id=consortium_id).order_by()


def coalition_values(
    qs: QuerySet,
    *,
    players: list[set[int]],
    period_from: dt.date,
    period_to: dt.date,
    history_from: dt.date | None,
    exclude_pools: set[str] = frozenset(),  # type: ignore[assignment]
    wanted: set[int] | None = None,
) -> LedgerGame:
    """v(S) = (outputs of the pools whose contributor set is exactly S, over the history
    window) × (study period / history window).

    A pool's contributors are the players whose units put a positive net value into it in the
    window; a pool with a contributor who is not a player is left out (named in
    ``skipped_pools``). ``wanted`` limits the result to those masks (pairwise games).
    """
    window = qs.filter(date__lte=period_to)
    if history_from is not None:
        window = window.filter(date__gte=history_from)
    window = window.exclude(Q(receiver_pool__in=exclude_pools) | Q(giver_pool__in=exclude_pools))
    player_of = {u: i for i, units in enumerate(players) for u in units}
    contributors: dict[str, set[int | None]] = defaultdict(set)
    for pool, unit_id, v in (
        window.filter(receiver_kind=PartyKind.POOL, giver_unit_id__isnull=False)
        .values_list("receiver_pool", "giver_unit_id")
        .annotate(v=Sum("value"))
        .values_list("receiver_pool", "giver_unit_id", "v")
    ):
        if (v or ZERO) > 0:
            contributors[pool].add(player_of.get(unit_id))
    outputs = dict(
        window.filter(giver_kind=PartyKind.POOL)
        .values_list("giver_pool")
        .annotate(v=Sum("value"))
        .values_list("giver_pool", "v")
    )
    bounds = window.filter(Q(giver_kind=PartyKind.POOL) | Q(receiver_kind=PartyKind.POOL))
    first = history_from or bounds.aggregate(d=Min("date"))["d"] or period_from
    first = min(first, period_from)
    scale = years(period_from, period_to) / years(first, period_to)
    values: dict[int, Measured] = {}
    skipped: list[str] = []
    for pool, members in sorted(contributors.items()):
        if None in members:
            skipped.append(pool)
            continue
        mask = sum(1 << i for i in members)  # type: ignore[operator]
        if wanted is not None and mask not in wanted:
            continue
        out = outputs.get(pool) or ZERO
        m = values.setdefault(mask, Measured(ZERO))
        m.raw += out
        m.pools.append(pool)
    for m in values.values():
        m.value = (m.raw * scale).quantize(CENT)
    return LedgerGame(values, scale, history_from or first, period_to, skipped)


def pool_total(qs: QuerySet, pool: str, period_from: dt.date, period_to: dt.date) -> Decimal:
    """What a pool gave out in the period (a project's outputs)."""
    v = qs.filter(
        giver_kind=PartyKind.POOL, giver_pool=pool, date__gte=period_from, date__lte=period_to
    ).aggregate(v=Sum("value"))["v"]
    return v or ZERO


def pool_dates(qs: QuerySet, pool: str) -> tuple[dt.date | None, dt.date | None]:
    r = qs.filter(Q(giver_pool=pool) | Q(receiver_pool=pool)).aggregate(a=Min("date"),
                                                                         b=Max("date"))  # fmt: skip
    return r["a"], r["b"]


def consortium_total(
    qs: QuerySet, *, players: list[set[int]], period_from: dt.date, period_to: dt.date
) -> tuple[Decimal, list[str]]:
    """Outputs in the period of the pools whose contributors are all players."""
    game = coalition_values(
        qs, players=players, period_from=period_from, period_to=period_to,
        history_from=period_from,
    )  # fmt: skip
    total = sum((m.raw for m in game.values.values()), ZERO)
    pools = sorted(p for m in game.values.values() for p in m.pools)
    return total.quantize(CENT), pools


def player_inputs(
    qs: QuerySet,
    *,
    players: list[set[int]],
    period_from: dt.date,
    period_to: dt.date,
    pool: str | None = None,
) -> list[Decimal]:
    """Each player's inputs: into ``pool`` (a project study) or everything its units gave in
    the period (a consortium study)."""
    sel = qs.filter(giver_unit_id__isnull=False, date__gte=period_from, date__lte=period_to)
    if pool is not None:
        sel = sel.filter(receiver_kind=PartyKind.POOL, receiver_pool=pool)
    given = dict(
        sel.values_list("giver_unit_id").annotate(v=Sum("value")).values_list("giver_unit_id", "v")
    )
    return [sum((given.get(u) or ZERO for u in units), ZERO).quantize(CENT) for units in players]
