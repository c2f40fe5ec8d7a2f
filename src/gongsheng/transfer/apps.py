from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "gongsheng.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

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
