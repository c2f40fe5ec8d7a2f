"""The audit event types of sharing: numbers 700–799 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class SharingEvent(enum.IntEnum):
    """What happened to shared resources, quotas, bookings."""

    RESOURCE_CREATED = 701
    RESOURCE_CHANGED = 702
    BOOKING_CREATED = 711
    BOOKING_MOVED = 712
    QUOTA_CREATED = 721
    QUOTA_DELETED = 722
    QUOTA_CHANGED = 723
    RESOURCE_DELETED = 730  # declared with the resource; resources are closed, not deleted
    BOOKING_CHANGED = 731  # the purpose, edited after the request
    BOOKING_DELETED = 732  # declared with the booking; bookings are cancelled, not deleted
