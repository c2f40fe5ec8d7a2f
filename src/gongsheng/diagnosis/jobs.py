"""The diagnosis's background work (discovered by ``gongsheng.jobs`` at start-up).

* job ``diagnosis.refresh``: recompute one consortium's diagnosis and raise its alerts —
  what the secretariat's "recompute" button and ``POST …/diagnosis/refresh`` start
  (:func:`diagnosis_refresh_start`); the page keeps showing the stored result, marked as
  being updated, with the job's progress;
* job ``diagnosis.window``: a page or API read of a window with no current stored result
  (a "cold" window) starts it (:func:`diagnosis_window_job`) instead of computing in the
  request; it computes the window as the user who asked (the same selector the page
  reads) and stores it; the page shows its progress and then loads the result;
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
from gongsheng.diagnosis import gather, selectors, services
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.jobs import sweeps
from gongsheng.jobs.models import Job
from gongsheng.jobs.registry import JobFailed, job_kind
from gongsheng.jobs.services import job_start

REFRESH = "diagnosis.refresh"
WINDOW = "diagnosis.window"
RECOMPUTE_STALE = "diagnosis.recompute_stale"


def diagnosis_refresh_start(*, actor: Any, consortium_id: int) -> Job:
    """Start recomputing a consortium's diagnosis in the background (secretariat, platform
    admins); while one is waiting or running, returns that one."""
    services.refresh_check(actor, consortium_id)
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


def window_ready(
    *, consortium_id: int, year_from: int | None, year_to: int | None, audience: str
) -> bool:
    """Whether a current diagnosis of this window is stored for this audience (decision
    0804; ``services.diagnosis_result`` would use it): then a page reads it at once. A few
    aggregate queries."""
    row = DiagnosisSettings.objects.filter(consortium_id=consortium_id).first()
    if year_from is None and year_to is None and row is not None:
        year_from, year_to = row.year_from, row.year_to
    stamp = (
        DiagnosisResult.objects.filter(
            consortium_id=consortium_id,
            window_key=services.window_key(year_from, year_to),
            audience=audience,
            payload__has_key="by_year",  # a batch's result lacks the trends a read adds
        )
        .values_list("stamp", flat=True)
        .first()
    )
    return stamp is not None and stamp == gather.stamps([consortium_id])[consortium_id]


def diagnosis_window_job(
    *,
    user: Any,
    consortium_id: int,
    year_from: int | None = None,
    year_to: int | None = None,
    page: str = "",
) -> Job | None:
    """``None`` when the window's diagnosis is stored and current (read it now); otherwise the
    ``diagnosis.window`` job that computes it — started now, or the one this user already
    has for this window. ``NotFound`` for a user without a role in the consortium,
    ``ValidationFailed`` for a bad window. ``page``: where the result is shown once done."""
    selectors.diagnosis_access(user=user, consortium_id=consortium_id)
    year_from, year_to = selectors.window_check(year_from, year_to)
    audience = selectors.diagnosis_audience(user=user, consortium_id=consortium_id)
    if window_ready(
        consortium_id=consortium_id, year_from=year_from, year_to=year_to, audience=audience
    ):
        return None
    key = services.window_key(year_from, year_to)
    return job_start(
        actor=user,
        kind=WINDOW,
        consortium_id=consortium_id,
        params={"year_from": year_from, "year_to": year_to, "page": page[:500]},
        dedupe_key=f"consortium-{consortium_id}-{key}-{audience}-user-{getattr(user, 'pk', '')}",
    )


@job_kind(
    WINDOW,
    label=gettext_lazy("Compute the diagnosis"),
    attempts=3,
    result_template="diagnosis/_window_done.html",
)
def compute_window(ctx: Any) -> dict[str, Any]:
    if ctx.user is None:
        raise JobFailed(_("Only a person asks for a window of the diagnosis."))
    ctx.progress(0, 1, _("gathering the ledger and the cooperation"))
    d = selectors.consortium_diagnosis(
        user=ctx.user,
        consortium_id=ctx.consortium_id,
        year_from=ctx.params.get("year_from"),
        year_to=ctx.params.get("year_to"),
    )
    ctx.progress(1, 1, _("stored"))
    return {"pairs": d.pair_count}


def stale_consortia() -> list[int]:
    """Consortia whose stored default-window diagnosis is older than their data."""
    stored: dict[int, dict[str, set[str]]] = {}
    for c, key, stamp in DiagnosisResult.objects.values_list(
        "consortium_id", "window_key", "stamp"
    ):  # either audience (decision 0804)
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
