from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class NotificationsConfig(registry.GongshengAppConfig):
    name = "gongsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    events = "gongsheng.notifications.audit_events:NotificationsAuditEvent"
    event_block = range(1300, 1400)
    urls = "gongsheng.notifications.urls"
    api_router = "gongsheng.notifications.api:router"
    api_prefix = "/notifications"
    demo = "gongsheng.notifications.demo"
    demo_order = 95  # after every app that tells people something
    # the inbox is in the header (the unread badge), preferences on the inbox page
    navigation = (
        NavEntry(
            _("Chat groups"),
            "notifications:channels",
            ("chat_groups", "deliveries"),
            group="platform",
            order=40,
            requires=("add", "notifications.ChatChannel"),
        ),
    )
