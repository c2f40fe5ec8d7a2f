"""The audit event types of consortia: numbers 100–199 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class ConsortiaEvent(enum.IntEnum):
    """What happened to consortia, units, contacts, memberships."""

    CONSORTIUM_CREATED = 101
    CONSORTIUM_CHANGED = 102
    CONSORTIUM_DELETED = 103
    UNIT_CREATED = 111
    UNIT_CHANGED = 112
    UNIT_DELETED = 113
    CONTACT_CREATED = 121
    CONTACT_CHANGED = 122
    CONTACT_DELETED = 123
    MEMBERSHIP_APPLIED = 131
    MEMBERSHIP_ADMITTED = 132
    MEMBERSHIP_CHANGED = 133
    MEMBERSHIP_WITHDRAWN = 134
    MEMBERSHIP_EXPELLED = 135
    MEMBERSHIP_DELETED = 136
    MEMBERSHIP_REFUSED = 140
