"""Periodic sweeps: registered, run when due, once per period, and once when two workers
try at the same moment (threads with their own database connections; the test runs on
SQLite and, in CI, on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from gongsheng.jobs import sweeps
from gongsheng.jobs.models import SweepRun

CALLS: list[str] = []
LOCK = threading.Lock()


@pytest.fixture
def counted():
    CALLS.clear()

    @sweeps.register("test.counted", every=dt.timedelta(minutes=1))
    def counted_sweep() -> str:
        with LOCK:
            CALLS.append(threading.current_thread().name)
        time.sleep(0.2)  # long enough for the other worker to try meanwhile
        return "counted"

    yield "test.counted"
    sweeps.unregister("test.counted")


@pytest.mark.django_db
def test_runs_when_due_and_once_per_period(counted):
    assert sweeps.run_due_sweeps(worker_id="w1", names=[counted]) == [counted]
    assert sweeps.run_due_sweeps(worker_id="w2", names=[counted]) == []
    row = SweepRun.objects.get(name=counted)
    assert row.runs == 1 and row.last_result == "counted" and row.lease_until is None
    later = timezone.now() + dt.timedelta(minutes=1, seconds=1)
    assert sweeps.run_due_sweeps(worker_id="w2", names=[counted], now=later) == [counted]
    assert len(CALLS) == 2


@pytest.mark.django_db
def test_a_failing_sweep_is_recorded_and_runs_next_period():
    @sweeps.register("test.broken", every=dt.timedelta(minutes=1))
    def broken() -> None:
        raise RuntimeError("sweep broke")

    try:
        assert sweeps.run_due_sweeps(worker_id="w", names=["test.broken"]) == ["test.broken"]
        row = SweepRun.objects.get(name="test.broken")
        assert "sweep broke" in row.last_error and row.lease_until is None
    finally:
        sweeps.unregister("test.broken")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_it_once(counted):
    barrier = threading.Barrier(2)
    ran: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            barrier.wait(timeout=5)
            ran[name] = sweeps.run_due_sweeps(worker_id=name, names=[counted])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,), name=n) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(CALLS) == 1
    assert sorted(len(v) for v in ran.values()) == [0, 1]
    assert SweepRun.objects.get(name=counted).runs == 1


def test_registered_sweeps_include_the_builtin_ones():
    names = sweeps.registered()
    assert {"jobs.recover", "jobs.prune", "diagnosis.stale"} <= set(names)
    with pytest.raises(ValueError, match="every must be positive"):
        sweeps.register("x", every=dt.timedelta(0))
