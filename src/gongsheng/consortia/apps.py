from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class ConsortiaConfig(registry.GongshengAppConfig):
    name = "gongsheng.consortia"
    label = "consortia"
    verbose_name = _("Consortia")
    urls = "gongsheng.consortia.urls"
    api_router = "gongsheng.consortia.api:router"
    navigation = (
        NavEntry(_("Consortia"), "consortia:list", ("consortia",), order=10, per_consortium=False),
        NavEntry(_("Overview"), "consortia:overview", ("overview",), order=20),
        NavEntry(_("Member units"), "consortia:units", ("units",), order=30),
    )
