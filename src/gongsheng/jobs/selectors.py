"""Reads of background jobs, always through ``access.scope``."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from gongsheng.access.scope import access_object, scope
from gongsheng.core.errors import NotFound
from gongsheng.jobs.models import ACTIVE_STATES, Job
from gongsheng.jobs.registry import kinds


def job_list(*, user: Any, kind: str | None = None, state: str | None = None) -> QuerySet[Job]:
    qs = scope(user, Job.objects.select_related("user", "consortium"), "view")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs


def job_get(*, user: Any, job_id: int) -> Job:
    """One job the user may see; ``NotFound`` alike for missing and not-yours jobs."""
    return access_object(user, Job.objects.select_related("user", "consortium"), job_id, "view")


def active_job(*, user: Any, kind: str, consortium_id: int | None = None) -> Job | None:
    """The newest queued or running job of ``kind`` (for the consortium) the user may see:
    pages show "being updated" with its progress while it runs."""
    qs = job_list(user=user, kind=kind).filter(state__in=ACTIVE_STATES)
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    return qs.order_by("-created_at", "-id").first()


def job_file(*, user: Any, job_id: int, name: str) -> str:
    """The storage path of file ``name`` of a job the user may see and whose kind lets them
    download it (``files_for``, asked now); ``NotFound`` alike for every refusal."""
    job = job_get(user=user, job_id=job_id)
    path = (job.files or {}).get(name)
    kind = kinds().get(job.kind)
    if kind is not None and kind.files_for is not None and not kind.files_for(user, job):
        raise NotFound()
    if not path or not default_storage.exists(path):
        raise NotFound()
    return str(path)
