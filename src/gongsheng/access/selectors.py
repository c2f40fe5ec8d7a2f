"""Reads of users, tokens and the audit log, scoped like every other read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from gongsheng.access.models import ApiToken, RoleAssignment, User
from gongsheng.access.scope import access_object, context_for, scope
from gongsheng.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit log; the page, the API and the export build it alike."""

    q: str = ""
    actor: str = ""
    action: str = ""
    model: str = ""
    object_id: int | None = None
    consortium: int | None = None
    request_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_params(cls, params: Any) -> AuditFilter:
        def _int(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            return int(raw) if raw.isdigit() else None

        def _date(name: str) -> dt.date | None:
            raw = (params.get(name) or "").strip()
            try:
                return dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                return None

        return cls(
            q=(params.get("q") or "").strip(),
            actor=(params.get("actor") or "").strip(),
            action=(params.get("action") or "").strip(),
            model=(params.get("model") or "").strip(),
            object_id=_int("object_id"),
            consortium=_int("consortium"),
            request_id=(params.get("request_id") or "").strip(),
            since=_date("since"),
            until=_date("until"),
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.q:
            qs = qs.filter(Q(object_repr__icontains=self.q) | Q(message__icontains=self.q))
        if self.actor:
            qs = qs.filter(actor_name__icontains=self.actor)
        if self.action:
            qs = qs.filter(action=self.action)
        if self.model:
            app_label, _, model = self.model.partition(".")
            ct = ContentType.objects.filter(app_label=app_label, model=model).first()
            qs = qs.filter(content_type=ct) if ct else qs.none()
        if self.object_id is not None:
            qs = qs.filter(object_id=self.object_id)
        if self.consortium is not None:
            qs = qs.filter(consortium_id=self.consortium)
        if self.request_id:
            qs = qs.filter(request_id=self.request_id)
        if self.since:
            qs = qs.filter(time__date__gte=self.since)
        if self.until:
            qs = qs.filter(time__date__lte=self.until)
        return qs


def audit_list(*, user: Any, filters: AuditFilter | None = None) -> QuerySet:
    qs = scope(user, AuditEntry.objects.all(), "view").select_related("content_type")
    if filters:
        qs = filters.apply(qs)
    return qs


def audit_contents_visible(*, user: Any, entries: list[AuditEntry]) -> set[int]:
    """Ids of the entries whose before/after snapshots the user may read (one query); the
    personal fields in them are masked, in memory, where the user may not read them
    (``access.personal``)."""
    from gongsheng.access.personal import mask_entries

    mask_entries(user, entries)
    ids = [e.pk for e in entries]
    return set(
        scope(user, AuditEntry.objects.filter(pk__in=ids), "view_contents").values_list(
            "pk", flat=True
        )
    )


def audit_for_object(*, user: Any, obj: Any) -> QuerySet:
    ct = ContentType.objects.get_for_model(obj)
    return audit_list(user=user).filter(
        Q(content_type=ct, object_id=obj.pk) | Q(related_content_type=ct, related_object_id=obj.pk)
    )


def token_list(*, user: Any) -> QuerySet:
    return scope(user, ApiToken.objects.all(), "view").filter(user_id=user.pk)


def role_list(*, user: Any) -> QuerySet:
    return RoleAssignment.objects.filter(user_id=user.pk).select_related("consortium")


def people_list(*, user: Any, consortium_id: int, q: str = "") -> QuerySet:
    """The people of a consortium the user may see (those holding a role in it), each with
    the roles in it the user may see (``roles_here``)."""
    here = RoleAssignment.objects.filter(consortium_id=consortium_id)
    qs = (
        scope(user, User.objects.all(), "view")
        .filter(pk__in=here.values("user_id"))
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=scope(user, here, "view").order_by("role"),
                to_attr="roles_here",
            )
        )
    )
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q)
        )
    return qs


def person_get(*, user: Any, user_id: int) -> User:
    return access_object(user, User.objects.select_related("unit"), user_id, "view")


def person_roles(*, user: Any, person: User) -> QuerySet:
    return scope(user, RoleAssignment.objects.filter(user_id=person.pk), "view").select_related(
        "consortium"
    )


def managed_consortia(*, user: Any) -> QuerySet:
    """The consortia where the user may hand out roles (platform admins: every one)."""
    from gongsheng.access.policies import policy_for

    consortium = apps.get_model("consortia", "Consortium")
    ctx = context_for(user)
    if ctx.platform_admin:
        return consortium.objects.order_by("name")
    policy = policy_for(RoleAssignment)
    ids = policy.managed_consortia(ctx) if policy is not None else frozenset()  # type: ignore[attr-defined]
    return consortium.objects.filter(pk__in=sorted(ids)).order_by("name")


def member_units(*, user: Any, consortium_id: int) -> QuerySet:
    """The units a person invited into the consortium may belong to: its member units the
    user sees (a unit admin: its own unit only)."""
    unit = apps.get_model("consortia", "Unit")
    ctx = context_for(user)
    qs = scope(user, unit.objects.all(), "view").filter(
        memberships__consortium_id=consortium_id,
        memberships__status__in=["applied", "admitted"],
    )
    from gongsheng.access.roles import Role

    if not ctx.platform_admin and consortium_id not in ctx.consortia(Role.SECRETARIAT):
        qs = qs.filter(pk=ctx.unit_id) if ctx.unit_id is not None else qs.none()
    return qs.distinct().order_by("name")
