"""The province, series, window comparisons and the settings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from gongsheng.access.scope import context_for, scope
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import ValidationFailed
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.models import DiagnosisSettings
from gongsheng.diagnosis.selectors.access import (
    _window,
    _without,
    diagnosis_access,
    diagnosis_audience,
    small_groups,
)
from gongsheng.diagnosis.types import (
    ACCESS_FULL,
    ProvinceRow,
    SeriesRow,
    WindowComparison,
    WindowSummary,
)

COMPARISON_NOTE = gettext_lazy(
    "Descriptive: the modes and energy before and after, side by side. Other things changed "
    "too; this is not an estimate of the policy's effect."
)


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
    # each consortium's totals from the audience the user may read (decision 0804)
    audiences = {pk: diagnosis_audience(user=user, consortium_id=pk) for pk, _n, _c in consortia}
    stored = {}
    for audience in sorted(set(audiences.values())):
        ids = [pk for pk, a in audiences.items() if a == audience]
        stored.update(diagnosis_results(consortium_ids=ids, audience=audience))
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
    from gongsheng.ledger.selectors.base import min_group_units

    access, _unit = diagnosis_access(user=user, consortium_id=consortium_id)
    full = diagnosis_audience(user=user, consortium_id=consortium_id) == "all"
    rows = gather.group_series(
        consortium_id=consortium_id,
        confidential=full,
        min_units=0 if access == ACCESS_FULL else min_group_units(),
    )  # the members' entries and no group of fewer units for others (decision 0804)
    return [SeriesRow(year, group, inputs, outputs) for year, group, inputs, outputs in rows]


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
    access, _unit = diagnosis_access(user=user, consortium_id=consortium_id)
    from gongsheng.diagnosis.services import diagnosis_result
    from gongsheng.ledger.selectors.base import min_group_units

    audience = diagnosis_audience(user=user, consortium_id=consortium_id)

    summaries = []
    for label, years in (("before", before), ("after", after)):
        if not (isinstance(years, (tuple, list)) and len(years) == 2):
            raise ValidationFailed(f"{label}: a pair of years (first, last), got {years!r}")
        y0, y1 = _window(years[0], years[1])
        if y0 is None or y1 is None:
            raise ValidationFailed(f"{label}: both years are needed, got {years!r}")
        stored, _cached = diagnosis_result(
            consortium_id=consortium_id, year_from=y0, year_to=y1, audience=audience
        )
        d = stored.payload["diagnosis"]
        small = small_groups(d["units"], min_group_units()) if access != ACCESS_FULL else {}
        summaries.append(
            WindowSummary(
                years=(y0, y1),
                pair_count=d["pair_count"],
                target_count=d["target_count"],
                target_share=d["target_share"],
                energy=d["energy"],
                behaviour_counts=d["behaviour_counts"],
                organisation_counts=d["organisation_counts"],
                inputs_by_group=_without(d["inputs_by_group"], small.get("inputs", set())),
                outputs_by_group=_without(d["outputs_by_group"], small.get("outputs", set())),
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
        note=str(COMPARISON_NOTE),  # in the request's language
    )


# --- settings -------------------------------------------------------------------------------
def settings_get(*, user: Any, consortium_id: int) -> DiagnosisSettings:
    """The consortium's diagnosis settings (defaults, unsaved, if none were stored yet)."""
    diagnosis_access(user=user, consortium_id=consortium_id)
    found = scope(user, DiagnosisSettings.objects.filter(consortium_id=consortium_id)).first()
    return found or DiagnosisSettings(consortium_id=consortium_id)
