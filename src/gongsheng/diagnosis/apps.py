from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class DiagnosisConfig(registry.GongshengAppConfig):
    name = "gongsheng.diagnosis"
    label = "diagnosis"
    verbose_name = _("Symbiosis diagnosis")
    events = "gongsheng.diagnosis.events:DiagnosisEvent"
    event_block = range(800, 900)
    urls = "gongsheng.diagnosis.urls"
    api_router = "gongsheng.diagnosis.api:router"
    demo = "gongsheng.diagnosis.demo"
    demo_order = 90  # last: it diagnoses what the others wrote
    navigation = (
        NavEntry(
            _("Diagnosis"), "diagnosis:consortium", ("diagnosis",), group="analysis", order=10
        ),
    )

    def ready(self) -> None:
        from gongsheng.diagnosis.brief import REPORT
        from gongsheng.documents.registry import register

        register(REPORT)  # the consortium operations brief (联合体运行简报)
