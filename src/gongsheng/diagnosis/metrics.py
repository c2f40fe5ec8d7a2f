"""The diagnosis's metric: pairs of units in the target state, read from stored diagnoses.

It never computes a diagnosis (that is the diagnosis pages', the refresh job's and
``gongsheng diagnose``'s work): a year has a value when the consortium's diagnosis of that
single year is stored and still fresh (its data stamp matches the data, decision 0702).
The count is a consortium total, which every role of the consortium sees on the diagnosis
page (``selectors.diagnosis_access``), so it has no unit; each user reads it from the
diagnosis of the audience they may read (decision 0804).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import context_for
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.models import DiagnosisResult
from gongsheng.diagnosis.services import window_key
from gongsheng.metrics.registry import metric


@metric(
    name="pairs_in_target_state",
    label=_("Pairs in the target state"),
    unit=pgettext_lazy("metric unit", "pairs"),
    source=_("diagnosis: the stored diagnosis of each year"),
    description=_(
        "Pairs of member units in the target state (integrated organisation and symmetric "
        "mutualism) in the consortium's diagnosis of that year alone. Read from the stored "
        "diagnosis: a year shows no value until its diagnosis has been computed (diagnosis "
        "page with that year as the window, or the refresh) and after the data changed."
    ),
)
def pairs_in_target_state(
    *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
) -> list[tuple[int, int | None, int, Any]]:
    ctx = context_for(user)
    if ctx.user_id is None:
        return []
    qs = DiagnosisResult.objects.all()
    if not ctx.platform_admin:
        qs = qs.filter(consortium_id__in=sorted(ctx.all_consortia))
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    years = {window_key(y, y): y for y in range(year_from, year_to + 1)}
    rows = list(
        qs.filter(window_key__in=sorted(years)).values_list(
            "consortium_id", "window_key", "audience", "stamp", "payload__diagnosis__target_count"
        )
    )
    if not rows:
        return []
    # each consortium's count from the audience the user may read (decision 0804)
    from gongsheng.diagnosis.selectors import diagnosis_audience

    audience = {c: diagnosis_audience(user=user, consortium_id=c) for c in {r[0] for r in rows}}
    rows = [(c, key, stamp, n) for c, key, a, stamp, n in rows if a == audience[c]]
    stamps = gather.stamps(sorted({r[0] for r in rows}))
    return [
        (c, None, years[key], count)
        for c, key, stamp, count in rows
        if stamp == stamps.get(c) and count is not None
    ]
