"""Who sees a background job: the user who started it, the secretariat of its consortium
(for consortium jobs) and platform admins (who see everything through ``scope``). The same
people may run a failed job again (``change``); anyone signed in may start jobs of their
own (``add``) — the app that starts the job checks the right to the work itself."""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.jobs.models import Job


@register(Job)
class JobPolicy(Policy):
    consortium = "consortium"
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if ctx.user_id is None:
            return None
        mine = Q(user_id=ctx.user_id)
        if action == "add":
            return mine
        secretariat = ctx.consortia(Role.SECRETARIAT)
        if action in ("view", "view_contents", "change") and secretariat:
            return mine | Q(consortium_id__in=sorted(secretariat))
        if action in ("view", "view_contents", "change"):
            return mine
        return None  # nobody deletes a job by hand; the prune sweep removes old ones
