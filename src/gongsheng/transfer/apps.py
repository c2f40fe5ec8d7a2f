from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry


class TransferConfig(registry.GongshengAppConfig):
    name = "gongsheng.transfer"
    label = "transfer"
    verbose_name = _("Import and export")
    events = "gongsheng.transfer.events:TransferEvent"
    event_block = range(300, 400)
    api_router = "gongsheng.transfer.api:router"
    api_prefix = "/transfer"

    def ready(self) -> None:
        # each app registers its transfer resources in <app>/transfers.py (``tables`` is the
        # old name, still loaded while an app keeps it)
        from importlib import import_module

        import_module("gongsheng.transfer.builtin")
        for config in apps.get_app_configs():
            if not config.name.startswith("gongsheng."):
                continue
            for module in ("transfers", "tables"):
                if module_has_submodule(config.module, module):
                    import_module(f"{config.name}.{module}")
