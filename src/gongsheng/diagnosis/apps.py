from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "gongsheng.diagnosis"
    label = "diagnosis"
    verbose_name = _("Symbiosis diagnosis")

    def ready(self) -> None:
        from gongsheng.diagnosis.brief import REPORT
        from gongsheng.documents.registry import register

        register(REPORT)  # the consortium operations brief (联合体运行简报)
