from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry


class AlertsConfig(registry.GongshengAppConfig):
    name = "gongsheng.alerts"
    label = "alerts"
    verbose_name = _("Alerts")
    events = "gongsheng.alerts.events:AlertEvent"
    event_block = range(400, 500)
