from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModellingConfig(AppConfig):
    name = "gongsheng.modelling"
    label = "modelling"
    verbose_name = _("Dynamics and games")
