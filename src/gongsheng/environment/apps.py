from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class EnvironmentConfig(registry.GongshengAppConfig):
    name = "gongsheng.environment"
    label = "environment"
    verbose_name = _("Symbiotic environment")
    events = "gongsheng.environment.events:EnvironmentEvent"
    event_block = range(1000, 1100)
    urls = "gongsheng.environment.urls"
    api_router = "gongsheng.environment.api:router"
    demo = "gongsheng.environment.demo"
    demo_order = 40
    navigation = (
        NavEntry(_("Policies"), "environment:list", ("environment",), group="analysis", order=20),
    )
