"""The audit event types of alerts: numbers 400–499 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class AlertEvent(enum.IntEnum):
    """What happened to alerts."""

    ALERT_RAISED = 401
    ALERT_ACKNOWLEDGED = 402
