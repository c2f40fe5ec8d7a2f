from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry


class AccessConfig(registry.GongshengAppConfig):
    name = "gongsheng.access"
    label = "access"
    verbose_name = _("Access")
    events = "gongsheng.access.events:AccessEvent"
    event_block = range(200, 300)
    api_router = "gongsheng.access.api:router"

    def ready(self) -> None:
        # every app declares its policies in <app>/rules.py
        from importlib import import_module

        for config in apps.get_app_configs():
            if config.name.startswith("gongsheng.") and module_has_submodule(
                config.module, "rules"
            ):
                import_module(f"{config.name}.rules")
