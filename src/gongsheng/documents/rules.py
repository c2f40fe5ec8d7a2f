"""Access to rendered documents: their author only (platform admins see everything).

A document is a snapshot of what its author could see; handing it to anyone else would show
them data their own roles do not reach.
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.documents.models import RenderedDocument


@register(RenderedDocument)
class RenderedDocumentPolicy(Policy):
    consortium = "consortium_id"
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if ctx.user_id is None:
            return None
        return Q(created_by_id=ctx.user_id)
