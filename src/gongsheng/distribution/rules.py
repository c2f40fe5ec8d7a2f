"""Who sees and changes benefit-distribution studies.

* the secretariat: every study of its consortium (view, add, change, delete);
* supervisors: every study of the consortia they supervise (view);
* a project study: also the project's participants (view the whole study);
* a consortium study: a unit that is (or is in) a player sees its own player row and shares,
  not the other players' (``Player`` rows), and not the study's coalition values.
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, any_of, register
from gongsheng.access.roles import Role
from gongsheng.distribution.models import CoalitionValue, Player, Study

_UNIT_ROLES = (Role.UNIT_ADMIN, Role.UNIT_MEMBER)


class _StudyPart(Policy):
    """Studies and their parts: wide roles, plus the participants of a project study."""

    prefix = ""  # path from the model to the study ("" for the study itself)
    consortium = "consortium"
    public = False
    multi_valued = True

    def participant(self, ctx: AccessContext) -> Q | None:
        ids = ctx.consortia(*_UNIT_ROLES)
        if ctx.unit_id is None or not ids:
            return None
        p = self.prefix
        return Q(
            **{
                f"{p}scope": "project",
                f"{p}project__participants__unit": ctx.unit_id,
                f"{p}consortium__in": sorted(ids),
            }
        )

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if action in ("view", "view_contents"):
            wide = ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR)
            return any_of([self.in_consortia(wide), self.participant(ctx)])
        return super().q(ctx, action)  # add / change / delete: the secretariat


@register(Study)
class StudyPolicy(_StudyPart):
    pass


@register(CoalitionValue)
class CoalitionValuePolicy(_StudyPart):
    prefix = "study__"
    consortium = "study__consortium"


@register(Player)
class PlayerPolicy(_StudyPart):
    """A unit also sees its own player row (its shares) in a consortium study."""

    prefix = "study__"
    consortium = "study__consortium"
    owners = ("units",)

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        base = super().q(ctx, action)
        if action in ("view", "view_contents"):
            return any_of([base, self.own_in_member_consortia(ctx, _UNIT_ROLES)])
        return base
