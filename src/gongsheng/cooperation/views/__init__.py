"""The cooperation pages, by domain (projects, contracts, IP, alerts); ``urls.py`` names
them through this package."""

from gongsheng.cooperation.views.alerts import (
    alert_ack,
    alert_list,
)
from gongsheng.cooperation.views.contracts import (
    contract_create,
    contract_detail,
    contract_edit,
    contract_list,
)
from gongsheng.cooperation.views.ip import (
    ip_create,
    ip_detail,
    ip_edit,
    ip_list,
    ip_record,
)
from gongsheng.cooperation.views.projects import project_part

__all__ = [
    "alert_ack",
    "alert_list",
    "contract_create",
    "contract_detail",
    "contract_edit",
    "contract_list",
    "ip_create",
    "ip_detail",
    "ip_edit",
    "ip_list",
    "ip_record",
    "project_part",
]
