from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class DistributionConfig(registry.GongshengAppConfig):
    name = "gongsheng.distribution"
    label = "distribution"
    verbose_name = _("Benefit distribution")
    events = "gongsheng.distribution.events:DistributionEvent"
    event_block = range(1100, 1200)
    urls = "gongsheng.distribution.urls"
    api_router = "gongsheng.distribution.api:router"
    demo = "gongsheng.distribution.demo"
    demo_order = 50
    navigation = (
        NavEntry(
            _("Benefit distribution"),
            "distribution:studies",
            ("distribution",),
            group="analysis",
            order=30,
        ),
    )
