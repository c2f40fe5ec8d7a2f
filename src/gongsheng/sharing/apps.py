from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class SharingConfig(registry.GongshengAppConfig):
    name = "gongsheng.sharing"
    label = "sharing"
    verbose_name = _("Shared resources")
    events = "gongsheng.sharing.events:SharingEvent"
    event_block = range(700, 800)
    urls = "gongsheng.sharing.urls"
    api_router = "gongsheng.sharing.api:router"
    demo = "gongsheng.sharing.demo"
    demo_order = 30
    navigation = (
        NavEntry(
            _("Shared resources"), "sharing:catalogue", ("resources",), group="resources", order=10
        ),
        NavEntry(_("Bookings"), "sharing:mine", ("bookings",), group="resources", order=20),
    )
