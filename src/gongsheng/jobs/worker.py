"""The worker: django-tasks-db's database worker, plus a ticker thread that writes the
heartbeat of the running job and runs the periodic sweeps.

A stop (SIGINT, SIGTERM) sets :data:`gongsheng.jobs.runner.STOPPING`: the running job gives
itself back to the queue at its next ``progress()`` call, so stopping is quick and loses no
job; a job killed outright is picked up again by the ``jobs.recover`` sweep once its
heartbeat is older than ``GONGSHENG_JOB_LEASE_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
from types import FrameType

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from gongsheng.jobs import runner, services, sweeps

logger = logging.getLogger("gongsheng.jobs")


class GongshengWorker(Worker):
    """A database worker that also keeps heartbeats and runs sweeps (``sweep_every`` s)."""

    def __init__(self, *, sweep_every: float = 5.0, sweeps_on: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sweep_every = sweep_every
        self.sweeps_on = sweeps_on
        self._ticker_stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        runner.STOPPING.set()
        self._ticker_stop.set()
        super().shutdown(signum, frame)

    def tick(self) -> None:
        """One round of the ticker: heartbeats, then the due sweeps."""
        services.jobs_heartbeat(job_ids=runner.running_jobs())
        if self.sweeps_on and not runner.STOPPING.is_set():
            sweeps.run_due_sweeps(worker_id=self.worker_id)

    def _tick_loop(self) -> None:
        beat = max(1.0, settings.GONGSHENG_JOB_LEASE_SECONDS / 3)
        every = min(beat, self.sweep_every)
        while not self._ticker_stop.wait(every):
            try:
                self.tick()
            except Exception:  # the database may be briefly unavailable; try again
                logger.exception("worker tick failed")
            finally:
                close_old_connections()
        connection.close()

    def run(self) -> None:
        runner.STOPPING.clear()
        # jobs a dead worker left behind are not to wait for the first sweep
        try:
            services.jobs_recover()
        except Exception:
            logger.exception("recovering lost jobs failed")
        if not self.batch:
            self._ticker = threading.Thread(target=self._tick_loop, name="jobs-ticker", daemon=True)
            self._ticker.start()
        try:
            super().run()
        finally:
            self._ticker_stop.set()

    def run_ready(self) -> int:
        """Run every task that is ready now, in this thread, then return how many ran.
        Unlike the library's loop it leaves the database connection alone (a test's
        transaction stays open)."""
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction

        ran = 0
        while True:
            ready = DBTaskResult.objects.ready().filter(
                backend_name=self.backend_name, queue_name__in=self.queue_names
            )
            with exclusive_transaction(ready.db):
                task_result = ready.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            if task_result is None:
                return ran
            self.run_task(task_result)
            ran += 1


def run_pending(*, worker_id: str = "inline", sweeps_on: bool = False) -> int:
    """Run every job that is ready now in this process, then return (tests, ``--batch``)."""
    worker = GongshengWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        sweeps_on=sweeps_on,
    )
    if sweeps_on:
        sweeps.run_due_sweeps(worker_id=worker_id)
    return worker.run_ready()
