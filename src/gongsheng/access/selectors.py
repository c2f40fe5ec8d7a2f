"""Reads of users, tokens and the audit log, scoped like every other read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from gongsheng.access.models import ApiToken, RoleAssignment
from gongsheng.access.scope import scope
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
