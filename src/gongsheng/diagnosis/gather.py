"""The engine's inputs from the database: GROUP BYs of the ledger, the episodes, the stamps.

Nothing here loads ledger entries one by one: each function is a fixed number of aggregate
queries for any number of consortia, units and pairs (rows are grouped by consortium first, so
the ledger's covering indexes serve them), read without Django's per-row converters. These are
internal reads for the diagnosis services; the selectors apply access on top.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import Count, F, FloatField, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast

from gongsheng.consortia.choices import GOVERNMENT_TYPES, SCHOOL_TYPES, MembershipStatus, UnitType
from gongsheng.consortia.models import Consortium, Membership, Unit
from gongsheng.cooperation.choices import APPROVED_OR_LATER, ContractStatus, ProjectStatus
from gongsheng.cooperation.models import Contract, ContractParty, Participant, Project
from gongsheng.diagnosis.models import DiagnosisSettings
from gongsheng.diagnosis.types import EpisodeRecord
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import LedgerEntry
from gongsheng.sharing.choices import BookingStatus
from gongsheng.sharing.models import Booking

#: project types that create a lasting joint body (an industrial college, a co-built base)
JOINT_BODY_PROJECTS = frozenset({"industrial_college", "training_base"})
#: contracts in these statuses are (or were) cooperation
CONTRACT_STATUSES = (ContractStatus.IN_FORCE, ContractStatus.ENDED)


def unit_group(unit_type: str) -> str:
    """The diagnosis group of a ``consortia.choices.UnitType``."""
    if unit_type in GOVERNMENT_TYPES:
        return "government"
    if unit_type in SCHOOL_TYPES:
        return "school"
    if unit_type == UnitType.ENTERPRISE:
        return "enterprise"
    if unit_type == UnitType.RESEARCH_INSTITUTE:
        return "research"
    return "other"


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

    base = {"consortium_id__in": ids}
    add(
        _fetch(
            LedgerEntry.objects.filter(**base)
            .order_by()
            .values_list("consortium_id")
            .annotate(n=Count("*"), m=Max("id"))
            .values_list("consortium_id", "n", "m")
        ),
        2,
    )
    for model in (Project, Contract, Booking, Membership):
        add(
            _fetch(
                model.objects.filter(**base)
                .order_by()
                .values_list("consortium_id")
                .annotate(n=Count("*"), v=Sum("version"), m=Max("id"))
                .values_list("consortium_id", "n", "v", "m")
            ),
            3,
        )
    add(
        _fetch(
            Membership.objects.filter(**base)
            .order_by()
            .values_list("consortium_id")
            .annotate(v=Sum("unit__version"))
            .values_list("consortium_id", "v")
        ),
        1,
    )
    add(
        _fetch(
            DiagnosisSettings.objects.filter(**base).values_list("consortium_id", "id", "version")
        ),
        2,
    )
    add(_fetch(Consortium.objects.filter(pk__in=ids).values_list("pk", "version")), 1)
    return {c: hashlib.sha1(repr(parts[c]).encode()).hexdigest() for c in ids}


# --- units ----------------------------------------------------------------------------------
def units(consortium_ids: Iterable[int], extra: dict[int, set[int]] | None = None):
    """Per consortium: the engine's unit columns (id, name, group, lead, member) for every unit
    with a membership (``member`` = admitted) plus the units in ``extra`` (units with flows but
    no membership row). Three queries."""
    ids = sorted(set(consortium_ids))
    out: dict[int, dict[str, list[Any]]] = {
        c: {"id": [], "name": [], "group": [], "lead": [], "member": []} for c in ids
    }
    leads: dict[int, set[int]] = {
        pk: {u for u in (g, s, e) if u}
        for pk, g, s, e in Consortium.objects.filter(pk__in=ids).values_list(
            "pk", "lead_government_id", "lead_school_id", "lead_enterprise_id"
        )
    }
    seen: dict[int, set[int]] = defaultdict(set)
    for c, uid, name, utype, status in _fetch(
        Membership.objects.filter(consortium_id__in=ids)
        .order_by("consortium_id", "unit_id")
        .values_list("consortium_id", "unit_id", "unit__name", "unit__type", "status")
    ):
        cols = out[c]
        cols["id"].append(uid)
        cols["name"].append(name)
        cols["group"].append(unit_group(utype))
        cols["lead"].append(uid in leads.get(c, ()))
        cols["member"].append(status == MembershipStatus.ADMITTED)
        seen[c].add(uid)
    missing = {c: set(u) - seen[c] for c, u in (extra or {}).items() if set(u) - seen[c]}
    if missing:
        found = {
            pk: (name, utype)
            for pk, name, utype in Unit.objects.filter(
                pk__in=set().union(*missing.values())
            ).values_list("pk", "name", "type")
        }
        for c, uids in missing.items():
            for uid in sorted(uids):
                name, utype = found.get(uid, (str(uid), "other"))
                cols = out[c]
                cols["id"].append(uid)
                cols["name"].append(name)
                cols["group"].append(unit_group(utype))
                cols["lead"].append(uid in leads.get(c, ()))
                cols["member"].append(False)
    return out


# --- flows ----------------------------------------------------------------------------------
def flows(
    consortium_ids: Iterable[int],
    years: tuple[int | None, int | None] | None = None,
    *,
    by_year: bool = False,
):
    """Per consortium: the engine's ``direct``, ``pool_inputs`` and ``pool_outputs`` columns
    and the unit ids they name. Three GROUP BY queries, whatever the number of consortia.

    Without ``years`` and ``by_year`` every query reads a covering index of the ledger
    (decision 0301): the direct sums group by (consortium, giver unit, receiver unit) with no
    filter on the kinds, so a unit's flows into pools and to outside arrive together as
    (giver, NULL); the pool inputs and outputs (grouped by pool and unit) are then subtracted
    from those rows, arithmetic on aggregates, leaving exactly the flows to and from outside.
    ``by_year`` adds the year to every group (for trends; the year is not in the pair index,
    so this reads the table rows: meant for one consortium). ``years`` filters the window.
    """
    ids = sorted(set(consortium_ids))
    q = Q(consortium_id__in=ids)
    if years:
        q &= _years_q(years)
    base = LedgerEntry.objects.filter(q).order_by()
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


# --- episodes -------------------------------------------------------------------------------
def _project_q() -> Q:
    return Q(status__in=sorted(APPROVED_OR_LATER)) | Q(
        status=ProjectStatus.TERMINATED, approved_on__isnull=False
    )


def episodes(consortium_ids: Iterable[int]) -> dict[int, dict[str, list[Any]]]:
    """Per consortium: the engine's episode columns (a, b, start, end, dimension, joint_body)
    from projects (every two participants of a project approved or later, from its start or
    approval to its end), contracts in force or ended (every two parties) and approved
    bookings (the booking unit and the host). Three queries."""
    ids = sorted(set(consortium_ids))
    out: dict[int, dict[str, list[Any]]] = {
        c: {"a": [], "b": [], "start": [], "end": [], "dimension": [], "joint_body": []}
        for c in ids
    }
    for c, rec in _episode_rows(Q(consortium_id__in=ids)):
        cols = out[c]
        cols["a"].append(rec[0])
        cols["b"].append(rec[1])
        cols["start"].append(rec[2].start)
        cols["end"].append(rec[2].end)
        cols["dimension"].append(rec[2].dimension)
        cols["joint_body"].append(rec[2].joint_body)
    return out


def _episode_rows(where: Q, units: tuple[int, int] | None = None):
    """(consortium, (a, b, EpisodeRecord)) for every pair episode matching ``where``."""
    part = Participant.objects.filter(project__in=Project.objects.filter(where & _project_q()))
    if units:
        part = part.filter(unit_id__in=units)
    members: dict[int, list[int]] = defaultdict(list)
    info: dict[int, tuple[Any, ...]] = {}
    for pid, uid, c, name, ptype, starts, approved, ends in part.order_by(
        "project_id", "unit_id"
    ).values_list(
        "project_id",
        "unit_id",
        "project__consortium_id",
        "project__name",
        "project__type",
        "project__starts_on",
        "project__approved_on",
        "project__ends_on",
    ):
        members[pid].append(uid)
        info[pid] = (c, name, ptype, starts or approved, ends)
    for pid, uids in members.items():
        c, name, ptype, start, end = info[pid]
        if start is None:
            continue
        rec = EpisodeRecord(
            "cooperation.project", pid, name, start, end, ptype, ptype in JOINT_BODY_PROJECTS
        )
        for i, a in enumerate(uids):
            for b in uids[i + 1 :]:
                yield c, (a, b, rec)
    parties = ContractParty.objects.filter(
        contract__in=Contract.objects.filter(where & Q(status__in=CONTRACT_STATUSES))
    )
    if units:
        parties = parties.filter(unit_id__in=units)
    members = defaultdict(list)
    info = {}
    for cid, uid, c, title, ctype, starts, signed, ends in parties.order_by(
        "contract_id", "unit_id"
    ).values_list(
        "contract_id",
        "unit_id",
        "contract__consortium_id",
        "contract__title",
        "contract__type",
        "contract__starts_on",
        "contract__signed_on",
        "contract__ends_on",
    ):
        members[cid].append(uid)
        info[cid] = (c, title, ctype, starts or signed, ends)
    for cid, uids in members.items():
        c, title, ctype, start, end = info[cid]
        if start is None:
            continue
        rec = EpisodeRecord("cooperation.contract", cid, title, start, end, ctype, False)
        for i, a in enumerate(uids):
            for b in uids[i + 1 :]:
                yield c, (a, b, rec)
    bookings = Booking.objects.filter(where & Q(status=BookingStatus.APPROVED)).exclude(
        unit_id=F("host_unit_id")
    )
    if units:
        bookings = bookings.filter(unit_id__in=units, host_unit_id__in=units)
    for bid, c, a, b, start, end, resource in bookings.order_by("id").values_list(
        "id", "consortium_id", "unit_id", "host_unit_id", "start", "end", "resource__name"
    ):
        rec = EpisodeRecord(
            "sharing.booking", bid, resource, _date(start), _date(end), "resource_sharing", False
        )
        yield c, (a, b, rec)


def _date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def pair_episodes(*, consortium_id: int, a_id: int, b_id: int) -> list[EpisodeRecord]:
    """The episodes of one pair with their source records, oldest first (three queries)."""
    recs = [
        rec
        for _c, (a, b, rec) in _episode_rows(Q(consortium_id=consortium_id), units=(a_id, b_id))
        if {a, b} == {a_id, b_id}
    ]
    return sorted(recs, key=lambda r: (r.start, r.source_type, r.source_id))


# --- evidence and series --------------------------------------------------------------------
def shared_pools(
    *, consortium_id: int, a_id: int, b_id: int, years: tuple[int, int] | None
) -> list[str]:
    """Pools through which the pair's flows run: both put something in, or one put in and the
    other received (one GROUP BY)."""
    base = LedgerEntry.objects.filter(Q(consortium_id=consortium_id) & _years_q(years)).order_by()
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


def group_series(*, consortium_id: int) -> list[tuple[int, str, float, float]]:
    """(year, group, inputs, outputs) for every year with entries and every unit group with
    flows that year: two GROUP BYs and one lookup of unit types."""
    base = LedgerEntry.objects.filter(consortium_id=consortium_id).order_by()
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
    for u, y, v in given:
        cells[(y, unit_group(types.get(u, "")))][0] += v or 0.0
    for u, y, v in received:
        cells[(y, unit_group(types.get(u, "")))][1] += v or 0.0
    return [(y, g, i, o) for (y, g), (i, o) in sorted(cells.items())]


def data_years(consortium_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """First and last year with entries per consortium (one GROUP BY over the index)."""
    return {
        c: (lo, hi)
        for c, lo, hi in LedgerEntry.objects.filter(consortium_id__in=sorted(set(consortium_ids)))
        .order_by()
        .values_list("consortium_id")
        .annotate(lo=Min("year"), hi=Max("year"))
        .values_list("consortium_id", "lo", "hi")
    }
