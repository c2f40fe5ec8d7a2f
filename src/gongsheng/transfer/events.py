"""The audit event types of transfer: numbers 300–399 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class TransferEvent(enum.IntEnum):
    """What happened to imports and exports."""

    IMPORT_APPLIED = 301
    EXPORT_MADE = 302
