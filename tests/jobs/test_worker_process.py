"""The worker as a process (what ``gongsheng serve`` starts): stopping it mid-job gives the
job back to the queue and a new worker finishes it; a worker killed outright leaves a
"running" job that the next worker resumes once its heartbeat is older than the lease.

The child process must reach the test database, so this runs on PostgreSQL (CI runs every
database test there); the in-memory SQLite test database lives only in this process."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.db import connection

from gongsheng.access.actors import SYSTEM
from gongsheng.jobs import services
from gongsheng.jobs.models import Job, JobState
from gongsheng.jobs.supervise import WorkerProcess
from tests.jobs import kinds  # noqa: F401  (registers the test kinds here too)

ROOT = Path(__file__).resolve().parents[2]


def _wait(predicate, timeout=60.0, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _job(pk):
    return Job.objects.get(pk=pk)


@pytest.fixture
def child_env(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share (PostgreSQL)")
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.jobs.worker_settings")
    monkeypatch.setenv("GONGSHENG_JOB_LEASE_SECONDS", "5")
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))


@pytest.mark.django_db(transaction=True)
def test_stop_and_start_loses_no_job(child_env):
    job = services.job_start(actor=SYSTEM, kind="test.slow", params={"steps": 40, "sleep": 0.1})
    args = ["--interval", "0.2", "--no-sweeps", "-v", "0"]
    first = WorkerProcess(args, grace=20).start()
    try:
        _wait(lambda: _job(job.pk).progress_done >= 3, what="the job to run")
    finally:
        code = first.stop()  # SIGTERM: the job goes back at its next step
    assert code == 0
    stopped = _job(job.pk)
    assert stopped.state == JobState.QUEUED and stopped.attempts == 0
    second = WorkerProcess(args, grace=20).start()
    try:
        _wait(lambda: _job(job.pk).state == JobState.SUCCEEDED, what="the job to finish")
    finally:
        second.stop()
    done = _job(job.pk)
    assert done.result == {"steps": 40} and done.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_job_is_resumed(child_env):
    job = services.job_start(actor=SYSTEM, kind="test.slow", params={"steps": 30, "sleep": 0.1})
    args = ["--interval", "0.2", "--no-sweeps", "-v", "0"]
    first = WorkerProcess(args, max_restarts=0).start()
    _wait(lambda: _job(job.pk).progress_done >= 2, what="the job to run")
    first._stopping.set()
    first.process.kill()  # no chance to give the job back
    first.process.wait()
    assert _job(job.pk).state == JobState.RUNNING
    time.sleep(5.5)  # the lease (5 s in this test) runs out
    second = WorkerProcess(args).start()
    try:
        _wait(lambda: _job(job.pk).state == JobState.SUCCEEDED, what="the resumed job")
    finally:
        second.stop()
    done = _job(job.pk)
    assert done.attempts == 2 and done.result == {"steps": 30}
