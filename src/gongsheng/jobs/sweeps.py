"""Periodic sweeps: small idempotent functions the worker runs on a schedule.

An app registers one in ``<app>/jobs.py``::

    from gongsheng.jobs import sweeps

    @sweeps.register("governance.overdue_tasks", every=timedelta(minutes=1))
    def overdue_tasks() -> str:
        ...                      # find what is due; start jobs for heavy work
        return "3 tasks overdue"   # kept as the sweep's last result

Every worker runs :func:`run_due_sweeps` about every few seconds; a sweep runs only in the
worker that claims its :class:`SweepRun` row for the run: the row is locked with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (an IMMEDIATE transaction on SQLite), its
next run time checked and moved forward and a lease written, all in one short transaction.
So two workers never run the same sweep at the same time, and a sweep runs once per period.
A sweep must be quick and safe to run again (heavy work goes into jobs it starts).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from gongsheng.jobs.models import SweepRun

logger = logging.getLogger("gongsheng.jobs")


@dataclass(frozen=True)
class Sweep:
    name: str
    func: Callable[[], object]
    every: dt.timedelta
    #: how long a claim holds when its worker dies mid-sweep
    lease: dt.timedelta


_SWEEPS: dict[str, Sweep] = {}


def register(
    name: str, *, every: dt.timedelta = dt.timedelta(minutes=1), lease: dt.timedelta | None = None
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register ``func`` as the sweep ``name``, run every ``every`` (decorator)."""
    if every.total_seconds() <= 0:
        raise ValueError(f"every must be positive, got {every}")

    def wrap(func: Callable[[], object]) -> Callable[[], object]:
        _SWEEPS[name] = Sweep(name, func, every, lease or max(every, dt.timedelta(minutes=5)))
        return func

    return wrap


def registered() -> dict[str, Sweep]:
    return dict(_SWEEPS)


def unregister(name: str) -> None:
    """Remove a sweep (tests)."""
    _SWEEPS.pop(name, None)


def claim(sweep: Sweep, *, worker_id: str, now: dt.datetime | None = None) -> bool:
    """Claim this period's run of ``sweep`` for ``worker_id``; False if it is not due or
    another worker holds it."""
    now = now or timezone.now()
    try:
        if not SweepRun.objects.filter(name=sweep.name).exists():
            try:
                with transaction.atomic():
                    SweepRun.objects.create(name=sweep.name, next_run_at=now)
            except IntegrityError:  # another worker made the row first
                pass
        with transaction.atomic():
            rows = SweepRun.objects.filter(name=sweep.name)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            row = rows.first()
            if row is None:  # locked by another worker right now
                return False
            if row.next_run_at > now or (row.lease_until is not None and row.lease_until > now):
                return False
            row.next_run_at = now + sweep.every
            row.lease_until = now + sweep.lease
            row.worker_id = worker_id[:64]
            row.last_started_at = now
            row.save(update_fields=["next_run_at", "lease_until", "worker_id", "last_started_at"])
            return True
    except OperationalError as exc:  # SQLite: another worker holds the database: it's theirs
        if _locked(exc):
            return False
        raise


def _locked(exc: OperationalError) -> bool:
    return "locked" in str(exc).lower()


def _finish(name: str, *, result: str, error: str) -> None:
    for attempt in range(20):
        try:
            return _finish_once(name, result=result, error=error)
        except OperationalError as exc:  # SQLite busy beyond its timeout: try again
            if not _locked(exc) or attempt == 19:
                raise
            time.sleep(0.1)


def _finish_once(name: str, *, result: str, error: str) -> None:
    with transaction.atomic():
        row = SweepRun.objects.select_for_update().get(name=name)
        row.lease_until = None
        row.last_finished_at = timezone.now()
        row.last_result = result[:500]
        row.last_error = error
        row.runs += 1
        row.save(
            update_fields=["lease_until", "last_finished_at", "last_result", "last_error", "runs"]
        )


def run_sweep(sweep: Sweep, *, worker_id: str, now: dt.datetime | None = None) -> bool:
    """Run ``sweep`` if this worker can claim it; True if it ran (even if it failed)."""
    if not claim(sweep, worker_id=worker_id, now=now):
        return False
    try:
        outcome = sweep.func()
    except Exception:  # a sweep's failure is recorded; the next period tries again
        logger.exception("sweep %s failed", sweep.name)
        _finish(sweep.name, result="", error=traceback.format_exc())
    else:
        _finish(sweep.name, result="" if outcome is None else str(outcome), error="")
    return True


def run_due_sweeps(
    *, worker_id: str, names: list[str] | None = None, now: dt.datetime | None = None
) -> list[str]:
    """Run every registered sweep that is due (or only ``names``); returns those that ran."""
    ran = []
    for name, sweep in sorted(_SWEEPS.items()):
        if names is not None and name not in names:
            continue
        if run_sweep(sweep, worker_id=worker_id, now=now):
            ran.append(name)
    return ran
