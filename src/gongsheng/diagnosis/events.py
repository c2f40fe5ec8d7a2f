"""The audit event types of diagnosis: numbers 800–899 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class DiagnosisEvent(enum.IntEnum):
    """What happened to diagnosis settings and refreshes."""

    DIAGNOSIS_SETTINGS_CHANGED = 801
    DIAGNOSIS_REFRESHED = 802
