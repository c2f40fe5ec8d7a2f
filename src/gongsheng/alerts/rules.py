from gongsheng.access.policies import Policy, register
from gongsheng.alerts.models import Alert


@register(Alert)
class AlertPolicy(Policy):
    """Alerts: the secretariat handles them (``acknowledge``); supervisors see them; a unit
    sees its own."""

    consortium = "consortium"
    owners = ("unit",)
    public = False
    moves = {"acknowledge": "change"}
