"""Run background jobs in the test process: ``run_jobs()`` is the worker in batch mode
(every job that is ready now, retries included when their back-off is zero)."""

from __future__ import annotations


def run_jobs(*, sweeps: bool = False) -> None:
    from gongsheng.jobs.worker import run_pending

    run_pending(worker_id="test-worker", sweeps_on=sweeps)
