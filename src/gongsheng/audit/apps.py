from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry


class AuditConfig(registry.GongshengAppConfig):
    name = "gongsheng.audit"
    label = "audit"
    verbose_name = _("Audit log")
    events = "gongsheng.audit.events:AuditEvent"
    event_block = range(900, 1000)
