"""Cooperation episodes of pairs: projects, contracts and bookings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q

from gongsheng.cooperation.choices import APPROVED_OR_LATER, ContractStatus, ProjectStatus
from gongsheng.cooperation.models import Contract, ContractParty, Participant, Project
from gongsheng.diagnosis.types import EpisodeRecord
from gongsheng.sharing.choices import BookingStatus
from gongsheng.sharing.models import Booking

#: project types that create a lasting joint body (an industrial college, a co-built base)
JOINT_BODY_PROJECTS = frozenset({"industrial_college", "training_base"})
#: contracts in these statuses are (or were) cooperation
CONTRACT_STATUSES = (ContractStatus.IN_FORCE, ContractStatus.ENDED)


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
    yield from _shared_episodes(
        part, units, "project", "name", "approved_on", "cooperation.project", JOINT_BODY_PROJECTS
    )
    parties = ContractParty.objects.filter(
        contract__in=Contract.objects.filter(where & Q(status__in=CONTRACT_STATUSES))
    )
    yield from _shared_episodes(
        parties, units, "contract", "title", "signed_on", "cooperation.contract", frozenset()
    )
    yield from _booking_episodes(where, units)


def _shared_episodes(
    members_qs: Any,
    units: tuple[int, int] | None,
    record: str,
    name: str,
    agreed_on: str,
    source: str,
    joint_types: frozenset[str],
):
    """An episode for every two members of each record (a project's participants, a
    contract's parties), from its start (or the day it was approved or signed) to its end."""
    if units:
        members_qs = members_qs.filter(unit_id__in=units)
    members: dict[int, list[int]] = defaultdict(list)
    info: dict[int, tuple[Any, ...]] = {}
    for rid, uid, c, title, rtype, starts, agreed, ends in members_qs.order_by(
        f"{record}_id", "unit_id"
    ).values_list(
        f"{record}_id",
        "unit_id",
        f"{record}__consortium_id",
        f"{record}__{name}",
        f"{record}__type",
        f"{record}__starts_on",
        f"{record}__{agreed_on}",
        f"{record}__ends_on",
    ):
        members[rid].append(uid)
        info[rid] = (c, title, rtype, starts or agreed, ends)
    for rid, uids in members.items():
        c, title, rtype, start, end = info[rid]
        if start is None:
            continue
        rec = EpisodeRecord(source, rid, title, start, end, rtype, rtype in joint_types)
        for i, a in enumerate(uids):
            for b in uids[i + 1 :]:
                yield c, (a, b, rec)


def _booking_episodes(where: Q, units: tuple[int, int] | None):
    """An episode for every approved booking of another unit's resource (booker and host)."""
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
