from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class WebConfig(registry.GongshengAppConfig):
    name = "gongsheng.web"
    label = "web"
    verbose_name = _("Web")
    urls = "gongsheng.web.urls"
    navigation = (
        NavEntry(
            _("Analyse a workbook"),
            "web:analyze",
            ("analyze",),
            group="analysis",
            order=90,
            per_consortium=False,
        ),
        NavEntry(
            _("Audit log"),
            "web:audit",
            ("audit",),
            group="platform",
            order=10,
            per_consortium=False,
            query="consortium={consortium}",
        ),
        NavEntry(_("API"), "web:api_docs_link", group="platform", order=20, per_consortium=False),
    )
