"""Every write of the jobs app: starting a job, and the worker's own moves (claim, progress,
retry, finish, recover a lost job, prune old jobs).

``job_start`` is what apps call. The rest is called by :mod:`gongsheng.jobs.runner` and the
built-in sweeps; each is one short transaction (SQLite has one writer at a time, and a job's
progress must not wait for its own work).
"""

from __future__ import annotations

import datetime as dt
import traceback as tb
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import SYSTEM, Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, record_written
from gongsheng.core.context import current_request_id
from gongsheng.core.errors import ApplicationError, FieldError, ValidationFailed
from gongsheng.jobs.models import ACTIVE_STATES, FINISHED_STATES, Job, JobState
from gongsheng.jobs.registry import get_kind

#: where a job's files live in the default storage (under the data directory)
FILES_ROOT = "jobs"


def job_dir(job: Job) -> str:
    return f"{FILES_ROOT}/{job.pk}"


# --- starting -------------------------------------------------------------------------------
@transaction.atomic
def job_start(
    *,
    actor: Actor,
    kind: str,
    consortium_id: int | None = None,
    params: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
    dedupe_key: str = "",
) -> Job:
    """Record a job and put it in the queue; returns the :class:`Job` (state ``queued``).

    ``actor`` is the user who starts it (``None``: the system, e.g. a sweep); the calling
    service has already checked that the actor may do the work. ``files`` are inputs kept in
    storage for the worker (``ctx.input(name)``). With ``dedupe_key``, a second start while
    the same kind and key is still queued or running returns that job instead.

    The queue row (django-tasks' database backend) is written in this same transaction: the
    worker cannot see it before the commit, and a crash cannot separate the two (decision
    0802).
    """
    try:
        job_kind = get_kind(kind)
    except LookupError:
        raise ValidationFailed(
            _("Unknown kind of background job."),
            [FieldError("kind", _("Unknown kind of background job: %(kind)s") % {"kind": kind})],
        ) from None
    if not is_system(actor) and consortium_id is not None:
        access_object(actor, apps.get_model("consortia", "Consortium").objects.all(), consortium_id)
    if dedupe_key:
        existing = _active_duplicate(kind, dedupe_key)
        if existing is not None:
            return existing
    job = Job(
        kind=kind,
        user=None if is_system(actor) else actor,
        consortium_id=consortium_id,
        params=dict(params or {}),
        dedupe_key=dedupe_key,
        max_attempts=job_kind.attempts,
        request_id=current_request_id(),
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # another start of the same work committed first
        existing = _active_duplicate(kind, dedupe_key)
        if existing is None:
            raise
        return existing
    if files:
        inputs = {}
        for name, blob in files.items():
            inputs[name] = default_storage.save(f"{job_dir(job)}/input/{name}", ContentFile(blob))
        job.params = {**job.params, "_inputs": inputs}
        job.save(update_fields=["params"])
    check_saved(actor, [job], "add")
    record_written(actor, job, EventType.JOB_STARTED, after=None, message=f"job {kind} started")
    _enqueue(job)
    return job


def _active_duplicate(kind: str, key: str) -> Job | None:
    return Job.objects.filter(kind=kind, dedupe_key=key, state__in=ACTIVE_STATES).first()


def _enqueue(job: Job, *, run_after: dt.datetime | None = None) -> None:
    """Put "run job N" in django-tasks' queue (in the caller's transaction)."""
    from gongsheng.jobs.tasks import run_job

    task = run_job.using(run_after=run_after) if run_after is not None else run_job
    result = task.enqueue(job.pk)
    job.task_id = str(result.id)
    job.run_after = run_after
    job.save(update_fields=["task_id", "run_after"])


@transaction.atomic
def job_retry(*, actor: Actor, job_id: int) -> Job:
    """Run a failed job again (its starter, the consortium's secretariat, platform admins)."""
    job = access_object(actor, Job.objects.select_for_update(), job_id, "change")
    if job.state != JobState.FAILED:
        raise ValidationFailed(
            _("Only a failed job can be run again."),
            [FieldError("state", _("The job is %(state)s.") % {"state": job.get_state_display()})],
        )
    get_kind(job.kind)
    job.state = JobState.QUEUED
    job.attempts = 0
    job.error = job.traceback = ""
    job.result = None
    job.finished_at = None
    job.progress_done = 0
    job.save(
        update_fields=[
            "state",
            "attempts",
            "error",
            "traceback",
            "result",
            "finished_at",
            "progress_done",
        ]
    )
    record_written(
        actor, job, EventType.JOB_RETRIED, Action.UPDATE, message=f"job {job.kind} run again",
        after=None,
    )  # fmt: skip
    _enqueue(job)
    return job


# --- the worker's moves -----------------------------------------------------------------------
@transaction.atomic
def job_claim(*, job_id: int, worker_id: str) -> Job | None:
    """Mark a queued job running on ``worker_id``; ``None`` if it is not waiting to run (a
    duplicate message, or another worker has it)."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state not in (JobState.QUEUED, JobState.RETRYING):
        return None
    now = timezone.now()
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    job.worker_id = worker_id[:64]
    job.save(update_fields=["state", "attempts", "started_at", "heartbeat_at", "worker_id"])
    return job


def job_progress(*, job_id: int, done: int, total: int, message: str = "") -> None:
    """Write a running job's progress (and heartbeat) in its own short transaction."""
    with transaction.atomic():
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            progress_done=max(0, int(done)),
            progress_total=max(0, int(total)),
            progress_message=str(message)[:300],
            heartbeat_at=timezone.now(),
        )


def jobs_heartbeat(*, job_ids: Iterable[int]) -> int:
    """The worker is alive and still running these jobs."""
    ids = list(job_ids)
    if not ids:
        return 0
    with transaction.atomic():
        return Job.objects.filter(pk__in=ids, state=JobState.RUNNING).update(
            heartbeat_at=timezone.now()
        )


@transaction.atomic
def job_succeed(*, job: Job, result: Any, files: dict[str, str]) -> None:
    job.refresh_from_db(fields=["progress_done", "progress_total", "progress_message"])
    job.state = JobState.SUCCEEDED
    job.result = result
    job.files = {**job.files, **files}
    job.error = ""
    job.finished_at = timezone.now()
    if job.progress_total:
        job.progress_done = job.progress_total
    job.save(update_fields=["state", "result", "files", "error", "finished_at", "progress_done"])


@transaction.atomic
def job_fail(
    *, job: Job, message: str, trace: str = "", result: Any = None, retry_in: float | None = None
) -> None:
    """A run failed: wait ``retry_in`` seconds and run again, or (``None``) fail for good."""
    job.error = str(message)
    job.traceback = trace
    if retry_in is not None:
        job.state = JobState.RETRYING
        job.save(update_fields=["state", "error", "traceback"])
        _enqueue(job, run_after=timezone.now() + dt.timedelta(seconds=retry_in))
        return
    job.state = JobState.FAILED
    job.result = result
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "traceback", "result", "finished_at"])
    record_written(
        SYSTEM, job, EventType.JOB_FAILED, Action.UPDATE, after=None,
        message=f"job {job.kind} failed after {job.attempts} run(s): {message}"[:500],
    )  # fmt: skip


@transaction.atomic
def job_requeue(*, job: Job) -> None:
    """The worker is stopping: give the job back to the queue (this run does not count)."""
    job.state = JobState.QUEUED
    job.attempts = max(0, job.attempts - 1)
    job.save(update_fields=["state", "attempts"])
    _enqueue(job)


def error_text(exc: BaseException) -> tuple[str, str]:
    """(message for people, traceback for admins) of an exception raised by a job."""
    trace = "".join(tb.format_exception(exc))
    if isinstance(exc, ApplicationError):
        return str(exc.message), trace
    return (
        _("The job stopped with an unexpected error (%(error)s).")
        % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        trace,
    )


# --- recovery and pruning (run by the built-in sweeps) ---------------------------------------
def jobs_recover(*, now: dt.datetime | None = None) -> int:
    """Pick up jobs a dead worker left behind: running without a heartbeat for the lease
    time (run again, or fail once the attempt limit is used up), and queued jobs whose queue
    message is missing. Returns how many jobs were moved."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.GONGSHENG_JOB_LEASE_SECONDS)
    moved = 0
    lost = list(
        Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=now - lease).values_list(
            "pk", flat=True
        )
    )
    for pk in lost:
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=pk).first()
            if job is None or job.state != JobState.RUNNING or job.heartbeat_at >= now - lease:
                continue
            message = _("The worker running this job stopped (run %(n)s of %(max)s).") % {
                "n": job.attempts,
                "max": job.max_attempts,
            }
            if job.attempts >= job.max_attempts:
                job_fail(job=job, message=message)
            else:
                job.state = JobState.QUEUED
                job.error = message
                job.save(update_fields=["state", "error"])
                record_written(
                    SYSTEM, job, EventType.JOB_RESUMED, Action.UPDATE, after=None,
                    message=f"job {job.kind} resumed after its worker stopped",
                )  # fmt: skip
                _enqueue(job)
            moved += 1
    waiting = Job.objects.filter(
        state__in=(JobState.QUEUED, JobState.RETRYING), created_at__lt=now - lease
    ).values_list("pk", "task_id", "run_after")
    for pk, task_id, run_after in waiting:
        if run_after is not None and run_after > now - lease:
            continue
        if (
            task_id
            and DBTaskResult.objects.filter(pk=task_id, status__in=("READY", "RUNNING")).exists()
        ):
            continue
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=pk).first()
            if job is not None and job.state in (JobState.QUEUED, JobState.RETRYING):
                _enqueue(job)
                moved += 1
    return moved


def jobs_prune(*, older_than_days: int | None = None) -> int:
    """Remove finished jobs (and their files) older than the retention period, and the
    queue's finished messages of the same age."""
    from django_tasks_db.models import DBTaskResult

    days = older_than_days or settings.GONGSHENG_JOB_RETENTION_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    with transaction.atomic():
        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    old = list(Job.objects.filter(state__in=FINISHED_STATES, finished_at__lt=cutoff)[:500])
    if not old:
        return 0
    for job in old:
        _remove_files(job)
    with transaction.atomic():
        count, _details = Job.objects.filter(pk__in=[j.pk for j in old]).delete()
        audit_record(
            actor=SYSTEM,
            event=EventType.JOBS_PRUNED,
            action=Action.DELETE,
            object_repr="background jobs",
            message=f"removed {count} finished job(s) older than {days} days",
        )
    return count


def _remove_files(job: Job) -> None:
    paths = list(job.files.values()) + list((job.params or {}).get("_inputs", {}).values())
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:  # already gone
            continue
