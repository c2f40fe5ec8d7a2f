from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    # the facts the app registry (core) will read; wired the current way meanwhile
    # (settings.INSTALLED_APPS, urls.py, api.py _mount(), web/templates/web/base.html)
    navigation = [
        {"name": "notifications:inbox", "label": _("Inbox"), "scope": "user"},
        {"name": "notifications:preferences", "label": _("Notification settings"), "scope": "user"},
        {"name": "notifications:channels", "label": _("Chat groups"), "scope": "consortium"},
        {"name": "notifications:deliveries", "label": _("Delivery log"), "scope": "consortium"},
    ]
    urls = "gongsheng.notifications.urls"
    api_router = "gongsheng.notifications.api:router"
    audit_events = (1301, 1399)
