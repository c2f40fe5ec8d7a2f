"""The audit app's own event types (the platform): numbers 900–999 (``event_block``)."""

from __future__ import annotations

import enum


@enum.unique
class AuditEvent(enum.IntEnum):
    """What happened to the platform: demo loads, audit prunes, backups and restores."""

    DEMO_LOADED = 901
    AUDIT_PRUNED = 902
    BACKUP_CREATED = 910
    BACKUP_RESTORED = 911
