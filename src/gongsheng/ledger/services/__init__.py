"""Writes to the ledger: valuation, posting, reversing, and keeping a source's flows in step.

Operations (projects, bookings …) describe the flows they cause as :class:`Flow` records and call
:func:`flows_sync` inside their own transaction; it reverses what no longer holds and posts what
is new, so the ledger stays append-only and always agrees with its sources.
"""

from gongsheng.ledger.services.catalogue import category_create, category_update, rule_create
from gongsheng.ledger.services.confirmations import entry_confirm, pending_for
from gongsheng.ledger.services.entries import entry_correct, entry_create, entry_reverse
from gongsheng.ledger.services.evidence import EVIDENCE_TYPES, check_evidence, evidence_add
from gongsheng.ledger.services.sync import SyncResult, flows_sync
from gongsheng.ledger.services.values import (
    CENT,
    Flow,
    Party,
    category_for,
    rule_for,
    source_label,
    value_of,
)

__all__ = [
    "CENT",
    "EVIDENCE_TYPES",
    "Flow",
    "Party",
    "SyncResult",
    "category_create",
    "category_for",
    "category_update",
    "check_evidence",
    "entry_confirm",
    "entry_correct",
    "entry_create",
    "entry_reverse",
    "evidence_add",
    "flows_sync",
    "pending_for",
    "rule_create",
    "rule_for",
    "source_label",
    "value_of",
]
