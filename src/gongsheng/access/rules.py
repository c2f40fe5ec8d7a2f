"""Policies for the access app's own models."""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.models import ApiToken, RoleAssignment, ShareGrant, User
from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.audit.models import AuditEntry


@register(User)
class UserPolicy(Policy):
    """Users are seen by their own unit's admins and the secretariat of their consortia."""

    consortium = ""
    multi_valued = True

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        own_self = Q(pk=ctx.user_id)
        secretariat = ctx.consortia(Role.SECRETARIAT)
        sec_q = Q(role_assignments__consortium_id__in=sorted(secretariat)) if secretariat else None
        unit_admin = (
            Q(unit_id=ctx.unit_id) if ctx.unit_id and ctx.consortia(Role.UNIT_ADMIN) else None
        )
        if action in ("view", "view_contents"):
            out = own_self
            for part in (sec_q, unit_admin):
                if part is not None:
                    out |= part
            return out
        managed: Q | None = None
        for part in (sec_q, unit_admin):
            if part is not None:
                managed = part if managed is None else managed | part
        return managed


@register(RoleAssignment)
class RoleAssignmentPolicy(Policy):
    consortium = "consortium"
    public = False

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        secretariat = ctx.consortia(Role.SECRETARIAT)
        if action in ("view", "view_contents"):
            mine = Q(user_id=ctx.user_id)
            return mine | Q(consortium_id__in=sorted(secretariat)) if secretariat else mine
        # secretariats hand out roles in their consortium, except supervisor and admin
        if not secretariat:
            return None
        return Q(consortium_id__in=sorted(secretariat)) & ~Q(
            role__in=[Role.SUPERVISOR, Role.PLATFORM_ADMIN]
        )


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
