"""API: who am I, my tokens, the audit log."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.access import selectors, services
from gongsheng.access.models import User
from gongsheng.access.scope import context_for

router = Router(tags=["access"])


class AuthedRequest(HttpRequest):
    """A request the API's authentication let through: ``request.user`` is a real user."""

    user: User


class RoleOut(Schema):
    role: str
    consortium_id: int | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    unit_id: int | None
    platform_admin: bool
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenIn(Schema):
    name: str
    expires_at: dt.datetime | None = None


class TokenCreated(TokenOut):
    token: str


class AuditOut(Schema):
    id: int
    time: dt.datetime
    actor_name: str
    request_id: str
    event: str
    action: str
    model: str | None
    object_id: int | None
    object_repr: str
    consortium_id: int | None
    unit_id: int | None
    message: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    contents_hidden: bool


class AuditQuery(Schema):
    q: str = ""
    actor: str = ""
    action: str = ""
    model: str = ""
    object_id: int | None = None
    consortium: int | None = None
    request_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/me", response=MeOut)
def me(request: AuthedRequest):
    user = request.user
    ctx = context_for(user)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "unit_id": user.unit_id,
        "platform_admin": ctx.platform_admin,
        "roles": list(selectors.role_list(user=user).values("role", "consortium_id")),
    }


@router.get("/tokens", response=list[TokenOut])
@paginate(LimitOffsetPagination)
def token_list(request: HttpRequest):
    return selectors.token_list(user=request.user)


@router.post("/tokens", response={201: TokenCreated})
def token_create(request: AuthedRequest, payload: TokenIn):
    token, raw = services.token_create(
        actor=request.user, user=request.user, name=payload.name, expires_at=payload.expires_at
    )
    data = TokenOut.from_orm(token).dict()
    data["token"] = raw
    return Status(201, data)


@router.delete("/tokens/{token_id}", response=TokenOut)
def token_revoke(request: AuthedRequest, token_id: int):
    return services.token_revoke(actor=request.user, token_id=token_id)


@router.get("/audit", response=list[AuditOut])
@paginate(LimitOffsetPagination)
def audit_list(request: HttpRequest, filters: Query[AuditQuery]):
    qs = selectors.audit_list(user=request.user, filters=selectors.AuditFilter(**filters.dict()))
    return _AuditPage(request.user, qs)


class _AuditPage:
    """Lazily serialises a page of audit entries, hiding snapshots the user may not read
    (one extra query per page, whatever its length)."""

    def __init__(self, user: Any, qs: Any) -> None:
        self.user, self.qs = user, qs

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        entries = list(self.qs[item])
        visible = selectors.audit_contents_visible(user=self.user, entries=entries)
        out = []
        for e in entries:
            shown = e.pk in visible
            out.append(
                {
                    "id": e.pk,
                    "time": e.time,
                    "actor_name": e.actor_name,
                    "request_id": str(e.request_id),
                    "event": e.event_name,
                    "action": e.action,
                    "model": f"{e.content_type.app_label}.{e.content_type.model}"
                    if e.content_type
                    else None,
                    "object_id": e.object_id,
                    "object_repr": e.object_repr,
                    "consortium_id": e.consortium_id,
                    "unit_id": e.unit_id,
                    "message": e.message,
                    "before": e.before if shown else None,
                    "after": e.after if shown else None,
                    "contents_hidden": not shown,
                }
            )
        return out
