from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class DeclareConfig(AppConfig):
    name = "gongsheng.declare"
    label = "declare"
    verbose_name = _("Declared models")

    def ready(self) -> None:
        # each app declares its models in <app>/declarations.py (registered on import)
        from importlib import import_module

        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "declarations"):
                import_module(f"{config.name}.declarations")
