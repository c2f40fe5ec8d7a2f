"""The audit event types of notifications: numbers 1300–1399 (``event_block`` in its
AppConfig). The kinds of notification people receive are in ``events.py``."""

from __future__ import annotations

import enum


@enum.unique
class NotificationsAuditEvent(enum.IntEnum):
    """What happened to chat groups and notification preferences."""

    CHAT_CHANNEL_CREATED = 1301
    CHAT_CHANNEL_CHANGED = 1302
    CHAT_CHANNEL_DELETED = 1303
    NOTIFICATION_PREFERENCES_CHANGED = 1311
