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
    # people on pages (250–299)
    USER_INVITED = 250
    INVITATION_SENT = 251
    INVITATION_ACCEPTED = 252
    USER_DEACTIVATED = 253
    USER_REACTIVATED = 254
    PASSWORD_CHANGED = 255
    PASSWORD_RESET = 256
