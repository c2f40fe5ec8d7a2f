"""The audit event types of documents: numbers 1600–1699 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class DocumentEvent(enum.IntEnum):
    """What happened to rendered PDF and Word documents."""

    DOCUMENT_RENDERED = 1601
    DOCUMENT_DELETED = 1602
