"""Every write to projects, contracts and IP (one transaction each, audited, version-checked)."""

from gongsheng.cooperation.services.contracts import (
    contract_create,
    contract_update,
    ip_clause_add,
    obligation_add,
    obligation_fulfil,
)
from gongsheng.cooperation.services.ip import (
    ip_asset_create,
    ip_asset_update,
    ip_owners_set,
)
from gongsheng.cooperation.services.ip_actions import (
    facts_for,
    ip_action_record,
    licence_grant,
)
from gongsheng.cooperation.services.projects import (
    budget_line_add,
    input_record,
    milestone_save,
    output_record,
    participant_add,
    project_create,
    project_flows,
    project_move,
    project_update,
)

__all__ = [
    "budget_line_add", "contract_create", "contract_update", "facts_for", "input_record",
    "ip_action_record", "ip_asset_create", "ip_asset_update", "ip_clause_add", "ip_owners_set",
    "licence_grant",
    "milestone_save",
    "obligation_add", "obligation_fulfil", "output_record", "participant_add", "project_create",
    "project_flows", "project_move", "project_update",
]  # fmt: skip
