"""The cooperation pages, by domain (projects, IP, alerts; the contract's pages are declared:
``cooperation.declarations.contracts``); ``urls.py`` names them through this package."""

from gongsheng.cooperation.views.alerts import (
    alert_ack,
    alert_list,
)
from gongsheng.cooperation.views.ip import (
    ip_create,
    ip_detail,
    ip_edit,
    ip_list,
    ip_record,
)
from gongsheng.cooperation.views.projects import (
    project_create,
    project_detail,
    project_edit,
    project_list,
    project_move,
    project_part,
)

__all__ = [
    "alert_ack",
    "alert_list",
    "ip_create",
    "ip_detail",
    "ip_edit",
    "ip_list",
    "ip_record",
    "project_create",
    "project_detail",
    "project_edit",
    "project_list",
    "project_move",
    "project_part",
]
