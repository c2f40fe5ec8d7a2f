from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gongsheng.documents"
    label = "documents"
    verbose_name = _("Documents")

    # the facts the app registry (core) will read; wired by hand until it lands
    navigation = [("documents:list", _("My documents"))]
    urls = "gongsheng.documents.urls"
    api_router = "gongsheng.documents.api:router"
    audit_events = (1600, 1699)
