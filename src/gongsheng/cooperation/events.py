"""The audit event types of cooperation: numbers 600–699 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class CooperationEvent(enum.IntEnum):
    """What happened to projects, contracts, IP."""

    PROJECT_CREATED = 601
    PROJECT_CHANGED = 602
    PROJECT_MOVED = 603
    PROJECT_DETAIL_CHANGED = 604
    CONTRACT_CREATED = 611
    CONTRACT_CHANGED = 612
    OBLIGATION_CHANGED = 613
    IP_ASSET_CREATED = 621
    IP_ASSET_CHANGED = 622
    LICENCE_GRANTED = 631
    IP_ACTION_RECORDED = 632
    IP_OWNERS_CHANGED = 633
