from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """The metric registry: named, documented queries that return a number per unit,
    consortium and year. Definitions live in the apps whose data they read
    (``<app>/metrics.py``), loaded here when the apps are ready."""

    name = "gongsheng.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    # the facts the app registry (core) will read; wired by hand until it lands
    navigation = [
        {"url": "metrics:consortium", "label": "Metrics", "scope": "consortium"},
        {"url": "metrics:catalogue", "label": "Metric definitions", "scope": "platform"},
    ]
    urls = "gongsheng.metrics.urls"
    api_router = "gongsheng.metrics.api:router"
    audit_events = None  # reads only

    def ready(self) -> None:
        from importlib import import_module

        for config in apps.get_app_configs():
            if (
                config.name.startswith("gongsheng.")
                and config.name != self.name
                and module_has_submodule(config.module, "metrics")
            ):
                import_module(f"{config.name}.metrics")
