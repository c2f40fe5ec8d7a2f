from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class DocumentsConfig(registry.GongshengAppConfig):
    name = "gongsheng.documents"
    label = "documents"
    verbose_name = _("Documents")
    events = "gongsheng.documents.events:DocumentEvent"
    event_block = range(1600, 1700)
    urls = "gongsheng.documents.urls"
    api_router = "gongsheng.documents.api:router"
    navigation = (
        NavEntry(
            _("My documents"),
            "documents:list",
            ("documents",),
            group="platform",
            order=30,
            per_consortium=False,
        ),
    )
