from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class JobsConfig(registry.GongshengAppConfig):
    name = "gongsheng.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    events = "gongsheng.jobs.events:JobEvent"
    event_block = range(1400, 1500)
    urls = "gongsheng.jobs.urls"
    api_router = "gongsheng.jobs.api:router"
    navigation = (
        NavEntry(
            _("Background jobs"),
            "jobs:list",
            ("jobs",),
            group="platform",
            order=35,
            per_consortium=False,
        ),
    )

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from gongsheng.jobs import builtin, rules  # noqa: F401

        # every app's background work: job kinds and sweeps in <app>/jobs.py
        autodiscover_modules("jobs")
