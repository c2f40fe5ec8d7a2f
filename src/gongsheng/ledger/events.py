"""The audit event types of ledger: numbers 500–599 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class LedgerEvent(enum.IntEnum):
    """What happened to ledger entries, rules, categories, evidence."""

    LEDGER_ENTRY_POSTED = 501
    LEDGER_ENTRY_REVERSED = 502
    VALUATION_RULE_CREATED = 511
    CATEGORY_CREATED = 521
    CATEGORY_CHANGED = 522
    EVIDENCE_ADDED = 531
    LEDGER_ENTRY_CORRECTED = 541
    LEDGER_SCALE_BATCH = 551
    LEDGER_ENTRY_CONFIRMED = 561
    LEDGER_ENTRY_DECLINED = 562
