"""Who sees and saves modelling scenarios.

The consortium's secretariat, supervisors and member units (unit admins and members) view
them; observers do not (the fit reads the ledger, which observers see only as confidential-free
totals). Only the secretariat saves, renames and deletes them.
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.modelling.models import Scenario

VIEW_ROLES = (Role.SECRETARIAT, Role.SUPERVISOR, Role.UNIT_ADMIN, Role.UNIT_MEMBER)


@register(Scenario)
class ScenarioPolicy(Policy):
    consortium = "consortium"
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            return self.in_consortia(ctx.consortia(*VIEW_ROLES))
        if action in ("add", "change", "delete"):
            return self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        raise ValueError(f"unknown action {action!r}")
