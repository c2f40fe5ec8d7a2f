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

from typing import Any

from django.db.models import IntegerField, Model, Q, Value

from gongsheng.access.policies import Policy, policy_for, register
from gongsheng.access.scope import context_for
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


def _renamed(q: Q, names: dict[str, str]) -> Q:
    """``q`` with every lookup that starts with a path in ``names`` renamed (recursively)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_renamed(child, names))
            continue
        lookup, value = child
        for old, new in names.items():
            if lookup == old or lookup.startswith(old + "__"):
                lookup = new + lookup[len(old) :]
                break
        out.children.append((lookup, value))
    return out


def may_add(
    user: Any, model: type[Model], *, consortium_id: int, owner_id: int | None = None
) -> bool:
    """Whether ``model``'s access policy lets ``user`` add a record to this consortium, owned by
    ``owner_id`` (default: the user's own unit) — the policy's ``add`` filter checked against
    the new record's consortium and owner (``Q.check``, one query). Pages show their "New …"
    buttons by it; the services decide again (``check_saved``) when the record is saved."""
    ctx = context_for(user)
    if ctx.user_id is None:
        return False
    if ctx.platform_admin:
        return True
    policy = policy_for(model)
    q = policy.q(ctx, "add") if policy is not None else None
    if q is None:
        return False
    if not q:
        return True
    owner_id = owner_id if owner_id is not None else ctx.unit_id
    paths = [policy.consortium, *policy.owners]
    names = {p: f"p{i}" for i, p in enumerate(paths)}
    values = [consortium_id] + [owner_id] * len(policy.owners)
    against = {
        names[p]: Value(v, output_field=IntegerField()) for p, v in zip(paths, values, strict=True)
    }
    return _renamed(q, names).check(against)
