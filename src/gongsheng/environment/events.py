"""The audit event types of environment: numbers 1000–1099 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class EnvironmentEvent(enum.IntEnum):
    """What happened to the register of policies and incentives."""

    PUBLIC_POLICY_CREATED = 1001
    PUBLIC_POLICY_CHANGED = 1002
    PUBLIC_POLICY_WITHDRAWN = 1003
    PUBLIC_POLICY_DELETED = 1004
    PUBLIC_POLICY_EVIDENCE_SET = 1005
