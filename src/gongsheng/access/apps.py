from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class AccessConfig(registry.GongshengAppConfig):
    name = "gongsheng.access"
    label = "access"
    verbose_name = _("Access")
    events = "gongsheng.access.events:AccessEvent"
    event_block = range(200, 300)
    api_router = "gongsheng.access.api:router"
    urls = "gongsheng.access.urls"
    # "My account" (password, API tokens) is linked from the header's user name
    navigation = (
        NavEntry(
            _("People"),
            "access:people",
            ("people",),
            group="platform",
            order=5,
            requires=("manage", "access.RoleAssignment"),
        ),
    )

    def ready(self) -> None:
        # every app declares its policies in <app>/rules.py
        from importlib import import_module

        import_module("gongsheng.access.checks")  # `check --deploy`: demo passwords

        for config in apps.get_app_configs():
            if config.name.startswith("gongsheng.") and module_has_submodule(
                config.module, "rules"
            ):
                import_module(f"{config.name}.rules")
