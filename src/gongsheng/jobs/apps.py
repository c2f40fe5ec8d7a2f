from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gongsheng.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    # the facts the app registry (core) will read; wired the current way meanwhile
    navigation = ({"name": "jobs:list", "label": "Background jobs", "scope": "user"},)
    urls = "gongsheng.jobs.urls"
    api_router = "gongsheng.jobs.api:router"
    audit_events = (1400, 1499)

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from gongsheng.jobs import builtin, rules  # noqa: F401

        # every app's background work: job kinds and sweeps in <app>/jobs.py
        autodiscover_modules("jobs")
