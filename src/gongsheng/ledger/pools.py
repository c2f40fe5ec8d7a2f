"""Project pools and who takes part in them, as the apps that own pools declare them.

A pool is named ``<kind>:<id>`` (``project:12``). The ledger does not import the apps above
it, so each app that owns pools registers a resolver for its kind in a ``ledger_pools``
module (discovered when the ledger app is ready): given a consortium and the ids named, the
resolver returns, for each pool that exists in that consortium, the ids of the units that
take part in it. A manual entry may name only pools that exist, and the unit on the other
side of a flow into or out of a pool must take part in it (decision 0804).

A kind may also say what its pools are called (the project's name): :func:`with_pool_names`
annotates a queryset of entries with them (one subquery per side, no query per row) and
:func:`pool_label` is how pages and exports show a pool ("项目账户「name」"), the ``<kind>:<id>``
code staying where a file is read back (the import's key columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import BigIntegerField, Case, CharField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

#: kind -> resolver(consortium_id, ids) -> {id: participating unit ids}
Resolver = Callable[[int, list[int]], dict[int, set[int]]]
#: kind -> name(id of the entry's row) -> a subquery of the pool's name
Namer = Callable[[Any], Any]
_RESOLVERS: dict[str, Resolver] = {}
_NAMERS: dict[str, Namer] = {}


def register_pool_kind(kind: str, resolver: Resolver, name: Namer | None = None) -> None:
    """Declare the pools ``<kind>:<id>`` (one resolver per kind) and, optionally, what they
    are called: ``name(pk)`` is a subquery of a pool's name given its id, an integer
    expression of the entry's row (an ``OuterRef``)."""
    if kind in _RESOLVERS and _RESOLVERS[kind] is not resolver:
        raise ValueError(f"ledger pool kind {kind!r} is declared twice")
    _RESOLVERS[kind] = resolver
    if name is not None:
        _NAMERS[kind] = name


def pool_name_expression(field: str) -> Any:
    """The name of the pool held in ``field`` (``giver_pool``, ``receiver_pool``), "" when
    the field holds no pool of a kind that names its pools (or a pool no longer there)."""
    whens = [
        When(
            # only "<kind>:<digits>" is cast to an id (a pool written by hand, such as
            # "project:x", has no name; PostgreSQL refuses to cast it)
            **{f"{field}__regex": rf"^{kind}:[0-9]{{1,18}}$"},
            then=namer(
                Cast(Substr(OuterRef(field), len(kind) + 2), output_field=BigIntegerField())
            ),
        )
        for kind, namer in sorted(_NAMERS.items())
    ]
    if not whens:
        return Value("", output_field=CharField())
    return Case(*whens, default=Value(""), output_field=CharField())


def with_pool_names(qs: Any) -> Any:
    """Entries annotated with ``giver_pool_name`` and ``receiver_pool_name``."""
    return qs.annotate(
        giver_pool_name=pool_name_expression("giver_pool"),
        receiver_pool_name=pool_name_expression("receiver_pool"),
    )


def pool_names(qs: Any, pools: Iterable[str]) -> dict[str, str]:
    """The names of ``pools`` (those of a kind that names them), read through the entries
    ``qs`` that name them: one query."""
    pools = [p for p in pools if p]
    if not pools or not _NAMERS:
        return {}
    found = (
        qs.filter(Q(receiver_pool__in=pools) | Q(giver_pool__in=pools))
        .order_by()
        .values_list(
            "receiver_pool",
            pool_name_expression("receiver_pool"),
            "giver_pool",
            pool_name_expression("giver_pool"),
        )
        .distinct()
    )
    out: dict[str, str] = {}
    for receiver, receiver_name, giver, giver_name in found:
        for pool, name in ((receiver, receiver_name), (giver, giver_name)):
            if name:
                out[pool] = name
    return out


def pool_label(pool: str, name: str = "") -> str:
    """How pages and exports show a pool: its name when it has one, else its code."""
    if not pool:
        return ""
    return _("project pool “%(name)s”") % {"name": name or pool}


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
