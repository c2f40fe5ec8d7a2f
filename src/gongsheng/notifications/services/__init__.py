"""Every write of notifications (a package: delivery, and the settings people make)."""

from gongsheng.notifications.services.delivery import (
    STALE_CLAIM,
    deliver,
    deliver_pending,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from gongsheng.notifications.services.groups import (
    chat_channel_create,
    chat_channel_delete,
    chat_channel_update,
    preferences_set,
)

__all__ = [
    "STALE_CLAIM",
    "chat_channel_create",
    "chat_channel_delete",
    "chat_channel_update",
    "deliver",
    "deliver_pending",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "preferences_set",
]
