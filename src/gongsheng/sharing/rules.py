"""Who sees and changes shared resources, quotas and bookings.

- The catalogue (resources) and quotas are public within a consortium: every role of it sees
  them; the owner unit's admin and the secretariat edit them.
- Bookings are not confidential but not public either: the booking unit, the host (owner) unit,
  the secretariat and supervisors see them; observers see none (they see utilisation aggregates
  only, which ``selectors.utilisation`` computes over the consortium's approved bookings).
  Unit admins of either party and the secretariat may change one; the named moves
  (``approve``, ``reject``, ``cancel_late``) belong to the host unit and the secretariat;
  ``cancel`` (before the resource's notice period) to whoever may change the booking.
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, any_of, register
from gongsheng.access.roles import Role
from gongsheng.sharing.models import Booking, Quota, SharedResource


@register(SharedResource)
class SharedResourcePolicy(Policy):
    consortium = "consortium"
    owners = ("owner",)
    public = True
    unit_edits = True


@register(Quota)
class QuotaPolicy(Policy):
    consortium = "consortium"
    owners = ("owner", "resource__owner")
    public = True
    unit_edits = True


@register(Booking)
class BookingPolicy(Policy):
    """Bookings: the booking unit and the host unit, the secretariat. Deciding on a booking
    (``approve``, ``reject``) and cancelling it after the notice period (``cancel_late``):
    the secretariat and the host unit's users."""

    consortium = "consortium"
    owners = ("unit", "host_unit")
    public = False
    unit_edits = True
    moves = {
        "approve": "change", "reject": "change", "cancel_late": "change", "cancel": "change",
    }  # fmt: skip

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        if move == "cancel":  # either party's admin, the secretariat (before the deadline)
            return super().move_q(ctx, move)
        host = None
        where = self.in_consortia(ctx.unit_consortia)
        if ctx.unit_id is not None and where is not None:
            host = Q(host_unit=ctx.unit_id) & where
        return any_of([self.in_consortia(ctx.consortia(Role.SECRETARIAT)), host])
