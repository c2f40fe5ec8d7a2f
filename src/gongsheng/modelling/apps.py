from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class ModellingConfig(registry.GongshengAppConfig):
    name = "gongsheng.modelling"
    label = "modelling"
    verbose_name = _("Dynamics and games")
    events = "gongsheng.modelling.events:ModellingEvent"
    event_block = range(1200, 1300)
    urls = "gongsheng.modelling.urls"
    api_router = "gongsheng.modelling.api:router"
    demo = "gongsheng.modelling.demo"
    demo_order = 60
    navigation = (
        NavEntry(
            _("Dynamics and games"),
            "modelling:dynamics",
            ("modelling",),
            group="analysis",
            order=40,
            # observers may not open the models: no link for them
            requires=("view", "modelling.Scenario"),
        ),
    )
