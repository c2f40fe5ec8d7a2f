"""The diagnosis's background work (discovered by ``gongsheng.jobs`` at start-up).

* job ``diagnosis.refresh``: recompute one consortium's diagnosis and raise its alerts —
  what the secretariat's "recompute" button and ``POST …/diagnosis/refresh`` start
  (:func:`diagnosis_refresh_start`); the page keeps showing the stored result, marked as
  being updated, with the job's progress;
* job ``diagnosis.recompute_stale`` and the sweep ``diagnosis.stale`` (every minute): the
  consortia whose stored default-window result no longer matches their data stamp
  (decision 0702) are recomputed together by one job. Idempotent: a consortium whose result
  is current is left alone, and while the job waits or runs a second sweep starts no other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import access_object, require
from gongsheng.consortia.models import Consortium
from gongsheng.diagnosis import gather, services
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.jobs import sweeps
from gongsheng.jobs.models import Job
from gongsheng.jobs.registry import job_kind
from gongsheng.jobs.services import job_start

REFRESH = "diagnosis.refresh"
RECOMPUTE_STALE = "diagnosis.recompute_stale"


def diagnosis_refresh_start(*, actor: Any, consortium_id: int) -> Job:
    """Start recomputing a consortium's diagnosis in the background (secretariat, platform
    admins); while one is waiting or running, returns that one."""
    access_object(actor, Consortium.objects.all(), consortium_id, "view")
    require(
        actor,
        "refresh",
        DiagnosisResult,
        consortium_id=consortium_id,
        message=_("Only the secretariat refreshes the diagnosis."),
    )
    return job_start(
        actor=actor,
        kind=REFRESH,
        consortium_id=consortium_id,
        dedupe_key=f"consortium-{consortium_id}",
    )


@job_kind(
    REFRESH,
    label=gettext_lazy("Recompute the diagnosis"),
    attempts=3,
    result_template="diagnosis/_refresh_done.html",
)
def refresh(ctx: Any) -> dict[str, Any]:
    ctx.progress(0, 2, _("gathering the ledger and the cooperation"))
    # computed outside one long transaction (SQLite has one writer); alerts in their own
    summary = services.diagnosis_refresh_all(
        actor=ctx.user,
        consortium_ids=[ctx.consortium_id],
        progress=lambda done, total: ctx.progress(done, 2, _("diagnosing")),
    )
    ctx.progress(2, 2, _("stored"))
    return {"pairs": summary["pairs"], "alerts": summary["alerts"]}


def stale_consortia() -> list[int]:
    """Consortia whose stored default-window diagnosis is older than their data."""
    stored: dict[int, dict[str, set[str]]] = {}
    for c, key, stamp in DiagnosisResult.objects.values_list(
        "consortium_id", "window_key", "stamp"
    ):  # either audience (decision 0803)
        stored.setdefault(c, {}).setdefault(key, set()).add(stamp)
    if not stored:
        return []
    windows = {
        r.consortium_id: services.window_key(r.year_from, r.year_to)
        for r in DiagnosisSettings.objects.filter(consortium_id__in=list(stored))
    }
    current = gather.stamps(list(stored))
    out = []
    for c, by_key in stored.items():
        key = windows.get(c, "all")
        if key in by_key and by_key[key] != {current[c]}:
            out.append(c)
    return sorted(out)


@job_kind(RECOMPUTE_STALE, label=gettext_lazy("Recompute stale diagnoses"), attempts=3)
def recompute_stale(ctx: Any) -> dict[str, Any]:
    ids = stale_consortia()  # again: the data may have moved since the sweep looked
    if not ids:
        return {"consortia": 0}

    def step(done: int, total: int) -> None:
        ctx.progress(done, total, _("consortia recomputed"))

    summary = services.diagnosis_refresh_all(
        actor=SYSTEM, consortium_ids=ids, force=False, progress=step
    )
    return {k: summary[k] for k in ("consortia", "recomputed", "alerts")}


@sweeps.register("diagnosis.stale", every=dt.timedelta(minutes=1))
def stale_sweep() -> str:
    ids = stale_consortia()
    if not ids:
        return "no stale diagnosis"
    job = job_start(actor=SYSTEM, kind=RECOMPUTE_STALE, dedupe_key="stale")
    return f"{len(ids)} stale: job {job.pk}"
