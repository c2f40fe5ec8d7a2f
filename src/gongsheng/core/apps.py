from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongsheng.core"
    label = "core"
