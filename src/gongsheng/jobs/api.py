"""API of background jobs: list mine (paged), one job with its progress, run a failed one
again. A job nobody showed you is 404, as if it did not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.jobs import selectors, services

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    state: str
    consortium_id: int | None
    progress_done: int
    progress_total: int
    progress_message: str
    percent: int | None
    attempts: int
    max_attempts: int
    error: str
    result: Any = None
    files: dict[str, str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_files(job: Any) -> dict[str, str]:
        return {name: reverse("jobs:file", args=[job.pk, name]) for name in sorted(job.files or {})}


@router.get("/jobs", response=list[JobOut])
@paginate(LimitOffsetPagination)
def jobs(request: HttpRequest, kind: str | None = None, state: str | None = None):
    """The jobs you may see: yours, and your consortium's as its secretariat."""
    return selectors.job_list(user=request.user, kind=kind, state=state)


@router.get("/jobs/{job_id}", response=JobOut)
def job(request: HttpRequest, job_id: int):
    """One job: state, progress, attempts, the error for people, result and files."""
    return selectors.job_get(user=request.user, job_id=job_id)


@router.post("/jobs/{job_id}/retry", response={202: JobOut})
def retry(request: HttpRequest, job_id: int):
    """Run a failed job again from its first attempt."""
    return Status(202, services.job_retry(actor=request.user, job_id=job_id))
