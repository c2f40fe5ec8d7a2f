"""Who sees and changes shared resources, quotas and bookings.

- The catalogue (resources) and quotas are public within a consortium: every role of it sees
  them; the owner unit's admin and the secretariat edit them.
- Bookings are not confidential but not public either: the booking unit, the host (owner) unit,
  the secretariat and supervisors see them; observers see none (they see utilisation aggregates
  only, which ``selectors.utilisation`` computes over the consortium's approved bookings).
  Unit admins of either party and the secretariat may change one; the services decide which
  move each may make (only the host or the secretariat approves).
"""

from __future__ import annotations

from gongsheng.access.policies import Policy, register
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
    consortium = "consortium"
    owners = ("unit", "host_unit")
    public = False
    unit_edits = True
