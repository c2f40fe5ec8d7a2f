from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class LedgerConfig(registry.GongshengAppConfig):
    name = "gongsheng.ledger"
    label = "ledger"
    verbose_name = _("Ledger")
    events = "gongsheng.ledger.events:LedgerEvent"
    event_block = range(500, 600)
    urls = "gongsheng.ledger.urls"
    api_router = "gongsheng.ledger.api:router"
    api_prefix = "/ledger"
    demo = "gongsheng.ledger.demo"
    demo_order = 10
    navigation = (
        NavEntry(
            _("Ledger"),
            "ledger:list",
            ("ledger", "ledger_summaries", "ledger_rules"),
            group="resources",
            order=30,
        ),
    )

    def ready(self) -> None:
        # the apps that own project pools declare them (``<app>/ledger_pools.py``)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ledger_pools")
