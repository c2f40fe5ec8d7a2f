from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class CooperationConfig(registry.GongshengAppConfig):
    name = "gongsheng.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation")
    events = "gongsheng.cooperation.events:CooperationEvent"
    event_block = range(600, 700)
    urls = "gongsheng.cooperation.urls"
    api_router = "gongsheng.cooperation.api:router"
    demo = "gongsheng.cooperation.demo"
    demo_order = 20
    navigation = (
        NavEntry(
            _("Projects"), "cooperation:projects", ("projects",), group="cooperation", order=10
        ),
        NavEntry(
            _("Contracts"), "cooperation:contracts", ("contracts",), group="cooperation", order=20
        ),
        NavEntry(_("IP"), "cooperation:ip_assets", ("ip",), group="cooperation", order=30),
        NavEntry(_("Alerts"), "cooperation:alerts", ("alerts",), group="cooperation", order=40),
    )
