"""The audit event types of background jobs: numbers 1400–1499 (``event_block`` in its
AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class JobEvent(enum.IntEnum):
    """What happened to background jobs."""

    JOB_STARTED = 1401
    JOB_FAILED = 1402
    JOB_RESUMED = 1403
    JOBS_PRUNED = 1404
    JOB_RETRIED = 1405
