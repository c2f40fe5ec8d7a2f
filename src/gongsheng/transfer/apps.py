from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "gongsheng.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        # each app registers its tables in <app>/tables.py
        from importlib import import_module

        import_module("gongsheng.transfer.builtin")
        for config in apps.get_app_configs():
            if config.name.startswith("gongsheng.") and module_has_submodule(
                config.module, "tables"
            ):
                import_module(f"{config.name}.tables")
