"""The cooperation pages, by domain (projects, IP, alerts; the contract's and the IP
asset's pages are declared: ``cooperation.declarations``); ``urls.py`` names them through
this package."""

from gongsheng.cooperation.views.alerts import (
    alert_ack,
    alert_list,
)
from gongsheng.cooperation.views.ip import (
    ip_record,
)
from gongsheng.cooperation.views.projects import project_part

__all__ = [
    "alert_ack",
    "alert_list",
    "ip_record",
    "project_part",
]
