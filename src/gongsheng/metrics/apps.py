from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class MetricsConfig(registry.GongshengAppConfig):
    """The metric registry: named, documented queries that return a number per unit,
    consortium and year. Definitions live in the apps whose data they read
    (``<app>/metrics.py``), loaded here when the apps are ready."""

    name = "gongsheng.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    urls = "gongsheng.metrics.urls"
    api_router = "gongsheng.metrics.api:router"
    navigation = (
        NavEntry(_("Metrics"), "metrics:consortium", ("metrics",), group="analysis", order=15),
    )  # reads only: no audit events

    def ready(self) -> None:
        from importlib import import_module

        for config in apps.get_app_configs():
            if (
                config.name.startswith("gongsheng.")
                and config.name != self.name
                and module_has_submodule(config.module, "metrics")
            ):
                import_module(f"{config.name}.metrics")
