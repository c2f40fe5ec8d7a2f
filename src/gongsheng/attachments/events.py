"""The audit event types of attachments: numbers 1500–1599 (``event_block`` in its AppConfig)."""

from __future__ import annotations

import enum


@enum.unique
class AttachmentEvent(enum.IntEnum):
    """What happened to files on records (佐证材料, meeting materials, ticket attachments)."""

    ATTACHMENT_ADDED = 1501
    ATTACHMENT_REMOVED = 1502
    ATTACHMENT_DOWNLOADED = 1503
    #: the record was deleted: its files' rows and bytes go with it (one entry per file)
    ATTACHMENT_DELETED = 1504
