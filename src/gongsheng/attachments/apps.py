from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry


class AttachmentsConfig(registry.GongshengAppConfig):
    """Files on any declared record (佐证材料, meeting materials, ticket attachments); no menu
    entry: a panel on other records' pages."""

    name = "gongsheng.attachments"
    label = "attachments"
    verbose_name = _("Attachments")
    events = "gongsheng.attachments.events:AttachmentEvent"
    event_block = range(1500, 1600)
    urls = "gongsheng.attachments.urls"
    api_router = "gongsheng.attachments.api:router"
