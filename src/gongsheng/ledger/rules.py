"""Who sees ledger entries, categories and valuation rules."""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, any_of, register
from gongsheng.access.roles import Role
from gongsheng.attachments.registry import attachable
from gongsheng.ledger.models import Category, EntryConfirmation, LedgerEntry, ValuationRule


@register(LedgerEntry)
class LedgerEntryPolicy(Policy):
    """Entries: the secretariat and supervisors of the consortium, and the units that give or
    receive them. Confidential entries (from contracts, IP, students' data) show supervisors
    that they exist, their parties and values, not their notes and sources. Nobody edits them
    (corrections are reversing entries posted by services).

    Adding (a manual entry) and adding evidence: the secretariat, or a unit admin for flows its
    own unit gives or receives. Reversing and correcting: the secretariat. Confirming or
    declining a flow posted in a unit's name (``confirm``, decision 0804): the giving unit's
    admin or the secretariat."""

    consortium = "consortium"
    owners = ("giver_unit", "receiver_unit")
    public = False
    confidential = True
    summary_fields = ("date", "giver_unit_id", "receiver_unit_id", "category_id", "value")
    #: ``attach``: adding or removing evidence files — whoever may post the entry (the
    #: secretariat, a unit admin of a party), although nobody may change the entry itself
    moves = {"reverse": "change", "correct": "change", "attach": "add", "confirm": "change"}

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        if move == "attach":
            return self.q(ctx, "add")
        if move == "confirm":
            sec = self.in_consortia(ctx.consortia(Role.SECRETARIAT))
            admin_of = self.in_consortia(ctx.consortia(Role.UNIT_ADMIN))
            giver = (
                Q(giver_unit=ctx.unit_id) & admin_of
                if ctx.unit_id is not None and admin_of is not None
                else None
            )
            return any_of([sec, giver])
        return self.in_consortia(ctx.consortia(Role.SECRETARIAT))  # reverse, correct

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        sec = self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        sup = self.in_consortia(ctx.consortia(Role.SUPERVISOR))
        own = self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN, Role.UNIT_MEMBER))
        if action == "view":
            return any_of([sec, sup, own, self.shared(ctx)])
        if action == "view_contents":
            return any_of(
                [sec, own, self.shared(ctx), sup & Q(confidential=False) if sup else None]
            )
        if action == "add":
            return any_of([sec, self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN,))])
        return None


@register(EntryConfirmation)
class EntryConfirmationPolicy(Policy):
    """A giver's answer to a pending entry: seen by those who see the entry (the secretariat,
    supervisors, the two parties); written only by ``ledger.services.entry_confirm``."""

    consortium = "consortium"
    owners = ("entry__giver_unit", "entry__receiver_unit")
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            return super().q(ctx, "view")
        return None  # nobody edits an answer; the entry policy's ``confirm`` move gives it


@register(Category)
class CategoryPolicy(Policy):
    consortium = "consortium"

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            return Q(consortium__isnull=True) | Q(consortium_id__in=sorted(ctx.all_consortia))
        sec = ctx.consortia(Role.SECRETARIAT)
        return Q(consortium_id__in=sorted(sec)) if sec else None


@register(ValuationRule)
class ValuationRulePolicy(CategoryPolicy):
    pass


# evidence files (佐证材料) are attachments: read by those who see the entry's contents,
# added and removed by those who may post it
attachable(LedgerEntry, purposes=("evidence",), view="view_contents", change="attach")
