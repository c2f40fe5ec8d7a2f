"""Project pools and who takes part in them, as the apps that own pools declare them.

A pool is named ``<kind>:<id>`` (``project:12``). The ledger does not import the apps above
it, so each app that owns pools registers a resolver for its kind in a ``ledger_pools``
module (discovered when the ledger app is ready): given a consortium and the ids named, the
resolver returns, for each pool that exists in that consortium, the ids of the units that
take part in it. A manual entry may name only pools that exist, and the unit on the other
side of a flow into or out of a pool must take part in it (decision 0804).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: kind -> resolver(consortium_id, ids) -> {id: participating unit ids}
Resolver = Callable[[int, list[int]], dict[int, set[int]]]
_RESOLVERS: dict[str, Resolver] = {}


def register_pool_kind(kind: str, resolver: Resolver) -> None:
    """Declare the pools ``<kind>:<id>`` (one resolver per kind)."""
    if kind in _RESOLVERS and _RESOLVERS[kind] is not resolver:
        raise ValueError(f"ledger pool kind {kind!r} is declared twice")
    _RESOLVERS[kind] = resolver


def pool_kinds() -> list[str]:
    return sorted(_RESOLVERS)


def pool_participants(consortium_id: int, pools: Iterable[str]) -> dict[str, set[int] | None]:
    """For each pool name: the units taking part in it, or None when no such pool exists in
    the consortium (an unknown kind, a malformed id, another consortium's project). One query
    per kind named."""
    wanted: dict[str, dict[int, str]] = {}
    out: dict[str, set[int] | None] = {}
    for name in pools:
        kind, sep, raw = name.partition(":")
        out[name] = None
        if sep and kind in _RESOLVERS and raw.isdigit() and len(raw) < 19:
            wanted.setdefault(kind, {})[int(raw)] = name
    for kind, by_id in wanted.items():
        found = _RESOLVERS[kind](consortium_id, sorted(by_id))
        for pk, units in found.items():
            if pk in by_id:
                out[by_id[pk]] = set(units)
    return out
