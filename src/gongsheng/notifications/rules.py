"""Who sees what of notifications."""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.notifications.models import ChatChannel, Delivery, Notification, Preference


@register(Notification)
class NotificationPolicy(Policy):
    """A notification is its recipient's alone: nobody else sees it, not even as a count."""

    consortium = ""

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("add", "delete"):
            return None  # made by notify(), kept with the user
        return Q(recipient_id=ctx.user_id)


@register(Preference)
class PreferencePolicy(Policy):
    consortium = ""

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        return Q(user_id=ctx.user_id)


@register(ChatChannel)
class ChatChannelPolicy(Policy):
    """Chat groups: the secretariat manages its consortium's, a unit admin its own unit's;
    supervisors see them; the webhook key is never shown to anyone."""

    consortium = "consortium"
    owners = ("unit",)
    public = False
    unit_edits = True


@register(Delivery)
class DeliveryPolicy(Policy):
    """The delivery log: read-only evidence for the secretariat of its consortium (and platform
    admins)."""

    consortium = "consortium"
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action not in ("view", "view_contents"):
            return None
        return self.in_consortia(ctx.consortia(Role.SECRETARIAT))
