"""Every read of the diagnosis, already scoped (decision 0702).

Who sees what:

* platform admins, the secretariat and supervisors: every pair, unit and alert of their
  consortia (``ACCESS_FULL``);
* a member unit's users: the pairs their unit is in, their own unit's row and the alerts that
  name it, plus the consortium totals (mode counts, energy, trends) (``ACCESS_UNIT``);
* observers: the consortium totals only (``ACCESS_TOTALS``);
* anyone else: ``NotFound`` (the same as a consortium that does not exist).

The numbers come from a stored :class:`~gongsheng.diagnosis.models.DiagnosisResult` when its
data stamp still matches; otherwise they are computed (and stored) by
``services.diagnosis_compute``. Reads never load ledger rows: the gathering is GROUP BYs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongsheng.access.roles import Role
from gongsheng.access.scope import context_for, scope
from gongsheng.analytics.diagnosis import UnitDiagnosis
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.models import DiagnosisSettings
from gongsheng.diagnosis.types import (
    ACCESS_FULL,
    ACCESS_TOTALS,
    ACCESS_UNIT,
    ConsortiumDiagnosisView,
    PairDetail,
    ProvinceRow,
    SeriesRow,
    WindowComparison,
    WindowSummary,
)
from gongsheng.ledger.models import LedgerEntry

COMPARISON_NOTE = (
    "Descriptive: the modes and energy before and after, side by side. Other things changed "
    "too; this is not an estimate of the policy's effect."
)


# --- access ---------------------------------------------------------------------------------
def diagnosis_access(*, user: Any, consortium_id: int) -> tuple[str, int | None]:
    """What ``user`` may see of the consortium's diagnosis: (access level, own unit id).

    Raises ``NotFound`` for a user without any role in the consortium.
    """
    ctx = context_for(user)
    if ctx.user_id is None:
        raise NotFound()
    if ctx.platform_admin:
        if not Consortium.objects.filter(pk=consortium_id).exists():
            raise NotFound()
        return ACCESS_FULL, None
    if consortium_id in ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR):
        return ACCESS_FULL, None
    if consortium_id in ctx.unit_consortia and ctx.unit_id is not None:
        return ACCESS_UNIT, ctx.unit_id
    if consortium_id in ctx.consortia(Role.OBSERVER):
        return ACCESS_TOTALS, None
    raise NotFound()


def _window(year_from: int | None, year_to: int | None) -> tuple[int | None, int | None]:
    for name, v in (("year_from", year_from), ("year_to", year_to)):
        if v is not None and not (1900 <= int(v) <= 2999):
            raise ValidationFailed(f"{name}: a year between 1900 and 2999, got {v}")
    if year_from is not None and year_to is not None and int(year_to) < int(year_from):
        raise ValidationFailed(f"year_to ({year_to}) is before year_from ({year_from})")
    return (
        None if year_from is None else int(year_from),
        None if year_to is None else int(year_to),
    )


def window_check(year_from: int | None, year_to: int | None) -> tuple[int | None, int | None]:
    """The window as ints; ``ValidationFailed`` naming ``year_from`` / ``year_to`` when bad."""
    return _window(year_from, year_to)


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
        consortium_id=consortium_id, year_from=year_from, year_to=year_to
    )
    return _view(stored, access=access, unit_id=unit_id, cached=cached)


def _view(stored: Any, *, access: str, unit_id: int | None, cached: bool) -> Any:
    from gongsheng.diagnosis.services import stored_pairs

    data = stored.payload
    d = data["diagnosis"]
    units_all = [_unit(u) for u in d["units"]]
    table = stored_pairs(stored)
    from gongsheng.analytics.diagnosis import Alert, YearTrend

    alerts = [
        Alert(a["kind"], tuple(a["units"]), _num(a["value"]), _num(a["threshold"]), a["reason"])
        for a in d["alerts"]
    ]
    trends = [YearTrend(**t) for t in d["trends"]]
    if access == ACCESS_FULL:
        units, pairs = units_all, table
    elif access == ACCESS_UNIT:
        units = [u for u in units_all if u.id == unit_id]
        pairs = table.take((table.a == unit_id) | (table.b == unit_id))
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
        energy_by_group=d["energy_by_group"],
        inputs_by_group=d["inputs_by_group"],
        outputs_by_group=d["outputs_by_group"],
        groups=d["groups"],
        flow_matrix=d["flow_matrix"],
        concentration=d["concentration"] if access == ACCESS_FULL else {},
        trends=trends,
        units=units,
        pairs=pairs,
        alerts=alerts,
        computed_at=stored.computed_at,
        duration=stored.duration,
        cached=cached,
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
def pair_allowed(*, user: Any, consortium_id: int, a_id: int, b_id: int) -> None:
    """``NotFound`` unless the user may open this pair: asked before anything is computed
    (unit users only pairs their unit is in; observers none)."""
    access, unit_id = diagnosis_access(user=user, consortium_id=consortium_id)
    if access == ACCESS_TOTALS or (access == ACCESS_UNIT and unit_id not in (a_id, b_id)):
        raise NotFound()
    if a_id == b_id:
        raise NotFound()


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
    pair = view.pairs.find(a_id, b_id)
    pools = gather.shared_pools(consortium_id=consortium_id, a_id=a_id, b_id=b_id, years=view.years)
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
    )


def _all_units(consortium_id: int, view: ConsortiumDiagnosisView) -> list[UnitDiagnosis]:
    if view.access == ACCESS_FULL:
        return view.units
    from gongsheng.diagnosis.services import diagnosis_result

    stored, _cached = diagnosis_result(
        consortium_id=consortium_id,
        year_from=view.years[0] if view.years else None,
        year_to=view.years[1] if view.years else None,
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
    qs = scope(user, LedgerEntry.objects.filter(consortium_id=consortium_id), "view").filter(cond)
    if years:
        qs = qs.filter(year__gte=years[0], year__lte=years[1])
    return qs.select_related("giver_unit", "receiver_unit", "category").order_by("-date", "-id")


# --- the province ---------------------------------------------------------------------------
def province_diagnosis(*, user: Any) -> list[ProvinceRow]:
    """One summary row per consortium the user may see (any role), by name.

    Stored results are reused where still valid; the stamps of all consortia are read with
    one query per source (not per consortium).
    """
    from gongsheng.diagnosis.services import diagnosis_results

    ctx = context_for(user)
    if ctx.user_id is None:
        return []
    consortia = scope(user, Consortium.objects.all(), "view").order_by("name")
    if not ctx.platform_admin:
        consortia = consortia.filter(pk__in=sorted(ctx.all_consortia))
    consortia = list(consortia.values_list("pk", "name", "code"))
    stored = diagnosis_results(consortium_ids=[pk for pk, _n, _c in consortia])
    rows = []
    for pk, name, code in consortia:
        access, _unit = diagnosis_access(user=user, consortium_id=pk)
        result = stored[pk].payload["diagnosis"]
        alerts: dict[str, int] = {}
        if access == ACCESS_FULL:
            for a in result["alerts"]:
                alerts[a["kind"]] = alerts.get(a["kind"], 0) + 1
        rows.append(
            ProvinceRow(
                consortium_id=pk,
                name=name,
                code=code,
                access=access,
                units=len(result["units"]),
                pair_count=result["pair_count"],
                target_count=result["target_count"],
                target_share=result["target_share"],
                energy=result["energy"],
                behaviour_counts=result["behaviour_counts"],
                organisation_counts=result["organisation_counts"],
                alerts=alerts,
                years=tuple(result["years"]) if result["years"] else None,
                computed_at=stored[pk].computed_at,
            )
        )
    return rows


# --- series and comparisons -----------------------------------------------------------------
def diagnosis_series(*, user: Any, consortium_id: int) -> list[SeriesRow]:
    """Per year and unit group: inputs and outputs (CNY) over every year with entries (for
    the Logistic fit). Every role of the consortium may read these totals."""
    diagnosis_access(user=user, consortium_id=consortium_id)
    return [
        SeriesRow(year, group, inputs, outputs)
        for year, group, inputs, outputs in gather.group_series(consortium_id=consortium_id)
    ]


def window_comparison(
    *,
    user: Any,
    consortium_id: int,
    before: tuple[int, int],
    after: tuple[int, int],
) -> WindowComparison:
    """Mode counts and energy over two windows (e.g. before and after a policy's start),
    side by side; descriptive, with the caveat in ``note``. Every role of the consortium may
    read these totals."""
    diagnosis_access(user=user, consortium_id=consortium_id)
    from gongsheng.diagnosis.services import diagnosis_result

    summaries = []
    for label, years in (("before", before), ("after", after)):
        if not (isinstance(years, (tuple, list)) and len(years) == 2):
            raise ValidationFailed(f"{label}: a pair of years (first, last), got {years!r}")
        y0, y1 = _window(years[0], years[1])
        if y0 is None or y1 is None:
            raise ValidationFailed(f"{label}: both years are needed, got {years!r}")
        stored, _cached = diagnosis_result(consortium_id=consortium_id, year_from=y0, year_to=y1)
        d = stored.payload["diagnosis"]
        summaries.append(
            WindowSummary(
                years=(y0, y1),
                pair_count=d["pair_count"],
                target_count=d["target_count"],
                target_share=d["target_share"],
                energy=d["energy"],
                behaviour_counts=d["behaviour_counts"],
                organisation_counts=d["organisation_counts"],
                inputs_by_group=d["inputs_by_group"],
                outputs_by_group=d["outputs_by_group"],
            )
        )
    b, a = summaries
    return WindowComparison(
        consortium_id=consortium_id,
        before=b,
        after=a,
        behaviour_change={
            k: a.behaviour_counts[k] - b.behaviour_counts[k] for k in a.behaviour_counts
        },
        organisation_change={
            k: a.organisation_counts[k] - b.organisation_counts[k] for k in a.organisation_counts
        },
        energy_change=a.energy - b.energy,
        note=COMPARISON_NOTE,
    )


# --- settings -------------------------------------------------------------------------------
def settings_get(*, user: Any, consortium_id: int) -> DiagnosisSettings:
    """The consortium's diagnosis settings (defaults, unsaved, if none were stored yet)."""
    diagnosis_access(user=user, consortium_id=consortium_id)
    found = scope(user, DiagnosisSettings.objects.filter(consortium_id=consortium_id)).first()
    return found or DiagnosisSettings(consortium_id=consortium_id)
