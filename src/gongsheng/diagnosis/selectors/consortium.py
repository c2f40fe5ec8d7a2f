"""One consortium's diagnosis and one pair's, as the user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongsheng.access.scope import scope
from gongsheng.analytics.diagnosis import UnitDiagnosis
from gongsheng.core.errors import NotFound
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.selectors.access import (
    _window,
    _without,
    diagnosis_access,
    diagnosis_audience,
    small_groups,
)
from gongsheng.diagnosis.types import (
    ACCESS_FULL,
    ACCESS_TOTALS,
    ACCESS_UNIT,
    ConsortiumDiagnosisView,
    PairDetail,
)
from gongsheng.ledger.models import LedgerEntry, counted
from gongsheng.ledger.pools import with_pool_names


# --- the consortium ---------------------------------------------------------------------------
def consortium_diagnosis(
    *,
    user: Any,
    consortium_id: int,
    year_from: int | None = None,
    year_to: int | None = None,
) -> ConsortiumDiagnosisView:
    """The consortium's diagnosis over the window (default: its settings' window, else every
    year with entries), as ``user`` may see it (see the module docstring).

    A stored result is reused while its data stamp matches (a few aggregate queries); else it
    is computed from GROUP BYs of the ledger and the episodes and stored.
    """
    from gongsheng.diagnosis.services import diagnosis_result

    access, unit_id = diagnosis_access(user=user, consortium_id=consortium_id)
    year_from, year_to = _window(year_from, year_to)
    stored, cached = diagnosis_result(
        consortium_id=consortium_id,
        year_from=year_from,
        year_to=year_to,
        audience=diagnosis_audience(user=user, consortium_id=consortium_id),
    )
    return _view(stored, access=access, unit_id=unit_id, cached=cached)


def _view(stored: Any, *, access: str, unit_id: int | None, cached: bool) -> Any:
    from gongsheng.diagnosis.services import stored_pairs
    from gongsheng.ledger.selectors.base import min_group_units

    data = stored.payload
    d = data["diagnosis"]
    units_all = [_unit(u) for u in d["units"]]
    table = stored_pairs(stored)
    # groups too small to show to those who may not see their units' records (0804)
    small = small_groups(d["units"], min_group_units()) if access != ACCESS_FULL else {}
    hidden_in, hidden_out = small.get("inputs", set()), small.get("outputs", set())
    hidden = small.get("flows", set())
    from gongsheng.analytics.diagnosis import Alert, YearTrend
    from gongsheng.analytics.reasons import Reason

    alerts = [
        Alert(
            a["kind"],
            tuple(a["units"]),
            _num(a["value"]),
            _num(a["threshold"]),
            Reason.load(a.get("reason_code"), a["reason"]),
        )
        for a in d["alerts"]
    ]
    trends = [
        YearTrend(
            **t
            | {
                "inputs_by_group": _without(t["inputs_by_group"], hidden_in),
                "outputs_by_group": _without(t["outputs_by_group"], hidden_out),
            }
        )
        for t in d["trends"]
    ]
    groups = list(d["groups"])
    matrix = [
        [0.0 if g in hidden or h in hidden else x for h, x in zip(groups, row, strict=True)]
        for g, row in zip(groups, d["flow_matrix"], strict=True)
    ]
    if access == ACCESS_UNIT and unit_id is not None:
        exposed = gather.pool_exposure(
            consortium_id=stored.consortium_id,
            unit_id=unit_id,
            years=tuple(d["years"]) if d["years"] else None,
            confidential=data.get("audience", "all") == "all",
        )
        keep = (table.a == unit_id) | (table.b == unit_id)
        for other in exposed:  # pairs whose pool attribution would tell another's share
            keep &= ~(((table.a == unit_id) & (table.b == other)) | (
                (table.b == unit_id) & (table.a == other)))  # fmt: skip
    else:
        exposed = set()
    if access == ACCESS_FULL:
        units, pairs = units_all, table
    elif access == ACCESS_UNIT:
        units = [u for u in units_all if u.id == unit_id]
        pairs = table.take(keep)
        alerts = [a for a in alerts if unit_id in a.units]
    else:
        units, alerts = [], []
        pairs = table.take(table.a < 0)
    return ConsortiumDiagnosisView(
        consortium_id=stored.consortium_id,
        consortium_name=data["consortium_name"],
        years=tuple(d["years"]) if d["years"] else None,
        access=access,
        unit_id=unit_id,
        settings=d["settings"],
        behaviour_counts=d["behaviour_counts"],
        organisation_counts=d["organisation_counts"],
        pair_count=len(table),
        target_count=d["target_count"],
        target_share=d["target_share"],
        energy=d["energy"],
        energy_by_group=_without(d["energy_by_group"], hidden),
        inputs_by_group=_without(d["inputs_by_group"], hidden_in),
        outputs_by_group=_without(d["outputs_by_group"], hidden_out),
        groups=groups,
        flow_matrix=matrix,
        concentration=d["concentration"] if access == ACCESS_FULL else {},
        trends=trends,
        units=units,
        pairs=pairs,
        alerts=alerts,
        computed_at=stored.computed_at,
        duration=stored.duration,
        cached=cached,
        suppressed_groups=sorted(hidden_in | hidden_out),
        withheld_pairs=frozenset(exposed),
    )


def _num(v: Any) -> float:
    return float("nan") if v is None else float(v)


def _unit(u: dict[str, Any]) -> UnitDiagnosis:
    import datetime as dt

    last = u.get("last_activity")
    return UnitDiagnosis(
        id=u["id"],
        name=u["name"],
        group=u["group"],
        lead=u["lead"],
        member=u["member"],
        inputs=u["inputs"],
        outputs=u["outputs"],
        net=u["net"],
        pair_gain=u["pair_gain"],
        pairs=u["pairs"],
        free_rider=u["free_rider"],
        last_activity=dt.date.fromisoformat(last) if last else None,
    )


# --- one pair -------------------------------------------------------------------------------
def pair_diagnosis(
    *,
    user: Any,
    consortium_id: int,
    a_id: int,
    b_id: int,
    year_from: int | None = None,
    year_to: int | None = None,
) -> PairDetail:
    """One pair's diagnosis with its evidence: the ledger entries behind it (a scoped
    queryset, newest first: direct flows between the two and flows into and out of the pools
    they share, in the window) and the episodes with their source records.

    Unit users may open only pairs their unit is in; observers none (``NotFound``).
    """
    view = consortium_diagnosis(
        user=user, consortium_id=consortium_id, year_from=year_from, year_to=year_to
    )
    if view.access == ACCESS_TOTALS or (
        view.access == ACCESS_UNIT and view.unit_id not in (a_id, b_id)
    ):
        raise NotFound()
    if a_id == b_id:
        raise NotFound()
    a_id, b_id = min(a_id, b_id), max(a_id, b_id)
    units = {u.id: u for u in _all_units(consortium_id, view)}
    if a_id not in units or b_id not in units:
        raise NotFound()
    # the pair's pool attribution would tell the viewer another unit's share of a pool it
    # did not put into: its numbers are withheld (decision 0804)
    withheld = bool({a_id, b_id} & view.withheld_pairs)
    pair = None if withheld else view.pairs.find(a_id, b_id)
    pools = gather.shared_pools(
        consortium_id=consortium_id, a_id=a_id, b_id=b_id, years=view.years,
        confidential=diagnosis_audience(user=user, consortium_id=consortium_id) == "all",
    )  # fmt: skip
    entries = pair_entries(
        user=user, consortium_id=consortium_id, a_id=a_id, b_id=b_id, pools=pools,
        years=view.years,
    )  # fmt: skip
    episodes = gather.pair_episodes(consortium_id=consortium_id, a_id=a_id, b_id=b_id)
    return PairDetail(
        consortium_id=consortium_id,
        years=view.years,
        a=units[a_id],
        b=units[b_id],
        pair=pair,
        entries=entries,
        pools=pools,
        episodes=episodes,
        withheld=withheld,
    )


def _all_units(consortium_id: int, view: ConsortiumDiagnosisView) -> list[UnitDiagnosis]:
    if view.access == ACCESS_FULL:
        return view.units
    from gongsheng.diagnosis.services import diagnosis_result

    stored, _cached = diagnosis_result(
        consortium_id=consortium_id,
        year_from=view.years[0] if view.years else None,
        year_to=view.years[1] if view.years else None,
        audience="members",  # names and ids only; a unit user's view reads this audience
    )
    return [_unit(u) for u in stored.payload["diagnosis"]["units"]]


def pair_entries(
    *,
    user: Any,
    consortium_id: int,
    a_id: int,
    b_id: int,
    pools: list[str],
    years: tuple[int, int] | None,
) -> QuerySet:
    """The ledger entries behind a pair that ``user`` may see (newest first; page it)."""
    direct = Q(giver_unit_id=a_id, receiver_unit_id=b_id) | Q(
        giver_unit_id=b_id, receiver_unit_id=a_id
    )
    cond = direct
    if pools:
        cond |= Q(receiver_pool__in=pools, giver_unit_id__in=(a_id, b_id)) | Q(
            giver_pool__in=pools, receiver_unit_id__in=(a_id, b_id)
        )
    base = counted(LedgerEntry.objects.filter(consortium_id=consortium_id), [consortium_id])
    qs = scope(user, base, "view").filter(cond)
    if years:
        qs = qs.filter(year__gte=years[0], year__lte=years[1])
    return (
        with_pool_names(qs)
        .select_related("giver_unit", "receiver_unit", "category")
        .order_by("-date", "-id")
    )
