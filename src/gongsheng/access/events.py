"""The audit event types of access: numbers 200–299 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class AccessEvent(enum.IntEnum):
    """What happened to users, roles, tokens, share grants."""

    USER_CREATED = 201
    USER_CHANGED = 202
    ROLE_GRANTED = 211
    ROLE_REVOKED = 212
    TOKEN_CREATED = 221
    TOKEN_REVOKED = 222
    SHARE_GRANTED = 231
    SHARE_REVOKED = 232
    PERSONAL_DATA_READ = 241
