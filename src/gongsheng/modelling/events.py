"""The audit event types of modelling: numbers 1200–1299 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class ModellingEvent(enum.IntEnum):
    """What happened to saved dynamics and game scenarios."""

    SCENARIO_SAVED = 1201
    SCENARIO_CHANGED = 1202
    SCENARIO_DELETED = 1203
