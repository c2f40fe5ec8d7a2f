"""The audit event types of distribution: numbers 1100–1199 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class DistributionEvent(enum.IntEnum):
    """What happened to benefit-distribution studies."""

    DISTRIBUTION_STUDY_CREATED = 1101
    DISTRIBUTION_STUDY_CHANGED = 1102
    DISTRIBUTION_VALUES_SET = 1103
    DISTRIBUTION_FACTORS_SET = 1104
    DISTRIBUTION_COMPUTED = 1105
    DISTRIBUTION_SAVED_TO_CONTRACT = 1106
    DISTRIBUTION_STUDY_DELETED = 1107
