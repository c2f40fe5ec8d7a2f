"""Who sees and edits the policy register.

Policies are public documents: every role of the consortium (secretariat, supervisors, unit
admins and members, observers) sees its register. The secretariat, the consortium's
supervisors and platform admins add, change, withdraw (a named move, asked as
``can(user, "withdraw", policy)``) and delete them; member units do not. The policy document
itself (evidence, 佐证材料) is an attachment: read by whoever sees the policy, added and
removed by whoever changes it.
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.attachments.registry import attachable
from gongsheng.environment.models import PublicPolicy


@register(PublicPolicy)
class PublicPolicyPolicy(Policy):
    consortium = "consortium"
    public = True
    moves = {"withdraw": "change"}

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            return self.in_consortia(ctx.all_consortia)
        return self.in_consortia(ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR))


attachable(PublicPolicy, purposes=("evidence",))
