"""Running one job inside a worker: claim it, call its kind's function with a
:class:`JobContext`, then record success, a retry with back-off, or the final failure.

Called by the django-tasks task :func:`gongsheng.jobs.tasks.run_job`; tests may call
:func:`execute` directly.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongsheng.core.context import request_scope
from gongsheng.core.errors import ApplicationError
from gongsheng.jobs import services
from gongsheng.jobs.models import Job
from gongsheng.jobs.registry import JobFailed, get_kind

#: set when the worker is asked to stop: the next ``progress()`` gives the job back
STOPPING = threading.Event()
#: ids of the jobs this process is running now (the worker's heartbeat reads them)
_RUNNING: set[int] = set()
_RUNNING_LOCK = threading.Lock()

#: at most one progress write per this many seconds (the last step is always written)
PROGRESS_EVERY = 0.5


class JobInterrupted(Exception):
    """The worker is stopping; the job goes back to the queue and runs again later."""


def running_jobs() -> list[int]:
    with _RUNNING_LOCK:
        return sorted(_RUNNING)


class JobContext:
    """What a job function gets: its job, parameters, user, progress and file helpers."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = {
            k: v for k, v in (job.params or {}).items() if not k.startswith("_")
        }
        self.user = job.user
        self.consortium_id = job.consortium_id
        self.files: dict[str, str] = {}
        self._last_write = 0.0

    def progress(self, done: int, total: int, message: Any = "") -> None:
        """Record ``done`` of ``total`` steps (throttled; its own short transaction). Raises
        :class:`JobInterrupted` when the worker is stopping, so the job is run again."""
        if STOPPING.is_set():
            raise JobInterrupted
        now = time.monotonic()
        if done < total and now - self._last_write < PROGRESS_EVERY:
            return
        self._last_write = now
        services.job_progress(job_id=self.job.pk, done=done, total=total, message=str(message))

    def input(self, name: str) -> bytes:
        """The bytes of an input file given to ``job_start(files=...)``."""
        path = (self.job.params or {}).get("_inputs", {})[name]
        with default_storage.open(path, "rb") as fh:
            return fh.read()

    def save_file(self, name: str, content: bytes) -> str:
        """Keep a result file (in storage, under the data directory); returns its path."""
        path = f"{services.job_dir(self.job)}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)
        self.files[name] = default_storage.save(path, ContentFile(content))
        return self.files[name]


def execute(job_id: int, *, worker_id: str = "inline") -> str:
    """Run job ``job_id`` once; returns what happened (``succeeded``, ``retrying``,
    ``failed``, ``requeued`` or ``skipped``)."""
    job = services.job_claim(job_id=job_id, worker_id=worker_id)
    if job is None:
        return "skipped"
    with _RUNNING_LOCK:
        _RUNNING.add(job.pk)
    try:
        return _run(job)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(job.pk)


def _run(job: Job) -> str:
    try:
        kind = get_kind(job.kind)
    except LookupError as exc:
        services.job_fail(job=job, message=str(exc))
        return "failed"
    ctx = JobContext(job)
    try:
        with request_scope(job.request_id):
            result = kind.func(ctx)
    except JobInterrupted:
        services.job_requeue(job=job)
        return "requeued"
    except JobFailed as exc:
        services.job_fail(job=job, message=str(exc.message), result=exc.result)
        return "failed"
    except ApplicationError as exc:  # refused by a service: running again changes nothing
        message, trace = services.error_text(exc)
        services.job_fail(job=job, message=message, trace=trace)
        return "failed"
    except Exception as exc:
        message, trace = services.error_text(exc)
        if job.attempts < job.max_attempts:
            services.job_fail(
                job=job, message=message, trace=trace, retry_in=kind.delay(job.attempts)
            )
            return "retrying"
        services.job_fail(job=job, message=message, trace=trace)
        return "failed"
    services.job_succeed(job=job, result=result, files=ctx.files)
    return "succeeded"
