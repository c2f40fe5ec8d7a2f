from django.utils.translation import gettext_lazy as _

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry


class ConsortiaConfig(registry.GongshengAppConfig):
    name = "gongsheng.consortia"
    label = "consortia"
    verbose_name = _("Consortia")
    events = "gongsheng.consortia.events:ConsortiaEvent"
    event_block = range(100, 200)
    urls = "gongsheng.consortia.urls"
    #: masked for users without the policy's ``view_personal`` (``access.personal``)
    personal_data = {"Contact": ("phone", "email")}
    api_router = "gongsheng.consortia.api:router"
    navigation = (
        NavEntry(_("Consortia"), "consortia:list", ("consortia",), order=10, per_consortium=False),
        NavEntry(_("Overview"), "consortia:overview", ("overview",), order=20),
        NavEntry(_("Member units"), "consortia:units", ("units",), order=30),
    )
