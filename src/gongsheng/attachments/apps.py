from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    """Files on any declared record (佐证材料, meeting materials, ticket attachments)."""

    name = "gongsheng.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    # the facts the app registry (core) will read; wired by hand until it lands
    navigation: list[dict[str, str]] = []  # no menu entry: a panel on other records' pages
    urls = "gongsheng.attachments.urls"
    api_router = "gongsheng.attachments.api:router"
    audit_events = (1501, 1599)  # EventType ATTACHMENT_* (15xx)
