"""Policies for the access app's own models."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongsheng.access.models import ApiToken, RoleAssignment, ShareGrant, User
from gongsheng.access.policies import AccessContext, Policy, any_of, register
from gongsheng.access.roles import UNIT_ROLES, Role
from gongsheng.audit.models import AuditEntry


def _holding(**where: Any) -> Q:
    """Users who hold a role assignment matching ``where`` (a subquery, no join)."""
    return Q(pk__in=RoleAssignment.objects.filter(**where).values("user_id"))


def _roles_outside(consortia: frozenset[int], roles: frozenset[str] | None = None) -> Q:
    """Users who hold a role outside ``consortia`` (or, with ``roles``, a role not in it):
    someone else's people, whom these consortia's managers do not change."""
    outside = _holding(consortium__isnull=True) | Q(
        pk__in=RoleAssignment.objects.exclude(consortium_id__in=sorted(consortia)).values("user_id")
    )
    if roles is not None:
        outside |= _holding(consortium__isnull=False, role__in=sorted(set(Role.values) - roles))
    return outside


@register(User)
class UserPolicy(Policy):
    """People. Seen by themselves, the secretariat of a consortium where they hold a role and
    the admins of their own unit. Managed (invited, changed, deactivated) by:

    - the secretariat: people with a role in its consortia and none elsewhere;
    - a unit admin: its own unit's people who hold only unit roles, and only in consortia
      where it is unit admin;
    - nobody but platform admins: platform admins and superusers.
    """

    consortium = ""
    multi_valued = True
    moves = {"deactivate": "change", "reactivate": "change"}

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        secretariat = ctx.consortia(Role.SECRETARIAT)
        unit_admin = ctx.consortia(Role.UNIT_ADMIN) if ctx.unit_id else frozenset()
        if action in ("view", "view_contents"):
            parts: list[Q | None] = [Q(pk=ctx.user_id)]
            if secretariat:
                parts.append(Q(role_assignments__consortium_id__in=sorted(secretariat)))
            if unit_admin:
                parts.append(Q(unit_id=ctx.unit_id))
            return any_of(parts)
        managed: list[Q | None] = []
        if secretariat:
            managed.append(
                Q(role_assignments__consortium_id__in=sorted(secretariat))
                & ~_roles_outside(secretariat)
            )
        if unit_admin:
            managed.append(
                Q(unit_id=ctx.unit_id) & ~_roles_outside(unit_admin, frozenset(UNIT_ROLES))
            )
        out = any_of(managed)
        return out & Q(is_superuser=False) if out is not None else None


@register(RoleAssignment)
class RoleAssignmentPolicy(Policy):
    """Roles. Seen by their holder, the secretariat of their consortium and the admins of the
    holder's unit (in consortia where they are unit admin). Granted and revoked by the
    secretariat in its consortia (never platform admin or supervisor) and by a unit admin for
    its own unit's people (unit roles only, in consortia where it is unit admin). The move
    ``manage`` (consortium-wide: may this user manage anyone's roles here?) shows the people
    page in the navigation."""

    consortium = "consortium"
    public = False
    moves = {"manage": "add"}

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        secretariat = ctx.consortia(Role.SECRETARIAT)
        unit_admin = ctx.consortia(Role.UNIT_ADMIN) if ctx.unit_id else frozenset()
        unit_people = (
            Q(consortium_id__in=sorted(unit_admin)) & Q(user__unit_id=ctx.unit_id)
            if unit_admin
            else None
        )
        if action in ("view", "view_contents"):
            parts: list[Q | None] = [Q(user_id=ctx.user_id), unit_people]
            if secretariat:
                parts.append(Q(consortium_id__in=sorted(secretariat)))
            return any_of(parts)
        parts = []
        if secretariat:
            parts.append(
                Q(consortium_id__in=sorted(secretariat))
                & ~Q(role__in=[Role.SUPERVISOR, Role.PLATFORM_ADMIN])
            )
        if unit_people is not None:
            parts.append(unit_people & Q(role__in=sorted(UNIT_ROLES)))
        return any_of(parts)

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        ids = self.managed_consortia(ctx)
        return Q(consortium_id__in=sorted(ids)) if ids else None

    def managed_consortia(self, ctx: AccessContext) -> frozenset[int]:
        """``manage``: the consortia where the user hands out any role at all."""
        ids = ctx.consortia(Role.SECRETARIAT)
        if ctx.unit_id:
            ids |= ctx.consortia(Role.UNIT_ADMIN)
        return ids

    def grantable(
        self, ctx: AccessContext, *, consortium_id: int, unit_id: int | None
    ) -> list[str]:
        """The roles this user may grant in ``consortium_id`` to someone of unit ``unit_id``:
        the ``add`` rule above, checked against the new assignment (no other copy of it)."""
        if ctx.platform_admin:
            return [r for r in Role.values if r != Role.PLATFORM_ADMIN]
        q = self.q(ctx, "add")
        if q is None:
            return []
        return [
            role
            for role in Role.values
            if role != Role.PLATFORM_ADMIN
            and _check(q, {"consortium": consortium_id, "role": role, "user__unit": unit_id})
        ]


def _check(q: Q, values: dict[str, Any]) -> bool:
    """``q`` evaluated against the values of a record not yet saved (one query)."""
    from django.db.models import CharField, IntegerField, Value

    from gongsheng.access.scope import _renamed

    names = {path: f"p{i}" for i, path in enumerate(values)}
    against = {
        names[path]: Value(v, output_field=CharField() if isinstance(v, str) else IntegerField())
        for path, v in values.items()
    }
    return _renamed(q, names).check(against)


@register(ApiToken)
class ApiTokenPolicy(Policy):
    def q(self, ctx: AccessContext, action: str) -> Q | None:
        return Q(user_id=ctx.user_id)


@register(ShareGrant)
class ShareGrantPolicy(Policy):
    """Grants are seen by the unit that made them (through its users) and the receiving unit."""

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        if ctx.unit_id is None:
            return None
        if action in ("view", "view_contents"):
            return Q(unit_id=ctx.unit_id) | Q(granted_by__unit_id=ctx.unit_id)
        return Q(granted_by__unit_id=ctx.unit_id)


@register(AuditEntry)
class AuditEntryPolicy(Policy):
    """The audit log: the secretariat and supervisors see their consortia's entries (snapshots
    of confidential records only for the secretariat), a unit admin its own unit's entries.
    Nobody changes it."""

    consortium = "consortium_id"

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        from django.apps import apps

        sec_ids = ctx.consortia(Role.SECRETARIAT)
        secretariat = None
        if sec_ids:
            # entries of the consortium, and of unit-level records (a unit, its contacts) of
            # the units that are members of it
            membership = apps.get_model("consortia", "Membership")
            member_units = membership.objects.filter(consortium_id__in=sorted(sec_ids)).values(
                "unit_id"
            )
            secretariat = Q(consortium_id__in=sorted(sec_ids)) | Q(
                consortium_id__isnull=True, unit_id__in=member_units
            )
        supervisor = None
        sup_ids = ctx.consortia(Role.SUPERVISOR)
        if sup_ids:
            membership = apps.get_model("consortia", "Membership")
            supervised_units = membership.objects.filter(consortium_id__in=sorted(sup_ids)).values(
                "unit_id"
            )
            supervisor = Q(consortium_id__in=sorted(sup_ids)) | Q(
                consortium_id__isnull=True, unit_id__in=supervised_units
            )
        own = Q(unit_id=ctx.unit_id) if ctx.unit_id and ctx.consortia(Role.UNIT_ADMIN) else None
        if action == "view":
            parts = [secretariat, supervisor, own]
        elif action == "view_contents":
            parts = [secretariat, own, supervisor & Q(confidential=False) if supervisor else None]
        else:
            return None
        out = None
        for part in parts:
            if part is not None:
                out = part if out is None else out | part
        return out
