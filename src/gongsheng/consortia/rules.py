"""Who may see and change consortia, units, contacts and memberships."""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, any_of, register
from gongsheng.access.roles import Role
from gongsheng.consortia.models import Consortium, Contact, Membership, MembershipEvent, Unit


@register(Consortium)
class ConsortiumPolicy(Policy):
    """Every role sees its consortia; the secretariat edits its own; platform admins and
    supervisors add new ones (a supervisor then supervises what it made)."""

    consortium = "pk"
    #: ``import``: may upload a table into the consortium (each row is then checked against
    #: the right to add or change that record) — the roles that write anything in it: the
    #: secretariat and unit admins; the read-only roles (supervisors, observers) import nothing
    #: ``report``: may ask for the consortium's reports (the operations brief, later the
    #: annual report) — the secretariat and its supervisors
    moves = {"import": "change", "report": "view"}

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            return self.in_consortia(ctx.all_consortia)
        if action == "change":
            return self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        if action == "add" and ctx.consortia(Role.SUPERVISOR):
            return Q()  # a new consortium belongs to none yet: any supervisor may found one
        return None  # delete: platform administrators only

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        if move == "import":
            return self.in_consortia(ctx.consortia(Role.SECRETARIAT, Role.UNIT_ADMIN))
        if move == "report":
            return self.in_consortia(ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR))
        return super().move_q(ctx, move)


@register(Unit)
class UnitPolicy(Policy):
    """The unit directory is public within a consortium; a unit admin edits its own unit."""

    consortium = "memberships__consortium"
    owners = ("pk",)
    unit_edits = True
    multi_valued = True

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action == "delete":
            return None  # units are never deleted by members; memberships end instead
        return super().q(ctx, action)


@register(Contact)
class ContactPolicy(Policy):
    """Contacts are personal data: the unit itself and the secretariat only."""

    consortium = "unit__memberships__consortium"
    owners = ("unit",)
    confidential = True
    public = False
    unit_edits = True
    multi_valued = True
    summary_fields = ("unit_id",)

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action == "view":  # personal data: nobody else even sees that it exists
            return super().q(ctx, "view_contents")
        return super().q(ctx, action)


@register(Membership)
class MembershipPolicy(Policy):
    """Memberships: every role of the consortium sees them (a unit its own); the secretariat
    adds them and moves them along their lifecycle (``admit``, ``refuse``, ``withdraw``,
    ``expel``, ``reapply``); a unit admin applies again for its own unit (``reapply``: a unit
    admin's role is held where the unit is a member, so there is no first application of its
    own to make) and no more."""

    consortium = "consortium"
    owners = ("unit",)
    moves = {
        "admit": "change", "refuse": "change", "withdraw": "change", "expel": "change",
        "reapply": "change",
    }  # fmt: skip

    def _own_unit(self, ctx: AccessContext) -> Q | None:
        return self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN,))

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        if move == "reapply":
            return any_of([super().move_q(ctx, move), self._own_unit(ctx)])
        return super().move_q(ctx, move)


@register(MembershipEvent)
class MembershipEventPolicy(Policy):
    consortium = "membership__consortium"
    owners = ("membership__unit",)
