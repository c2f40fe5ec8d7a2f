"""The notifications API: the caller's own inbox and settings (thin, over selectors/services)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    link: str
    actor_name: str
    created_at: dt.datetime
    read: bool


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    event: str
    label: str
    mail: bool
    chat: bool


class PreferenceIn(Schema):
    event: str
    mail: bool | None = None
    chat: bool | None = None


@router.get("", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def notification_list(request: HttpRequest, unread: bool = False):
    """The caller's notifications, unread first (a record they may no longer see is named as
    such, without its title or link)."""
    return _Rows(request.user, selectors.inbox(request.user, unread_only=unread))


@router.get("/unread-count", response=UnreadOut)
def unread_count(request: HttpRequest):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: int):
    note = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    return selectors.inbox_rows(request.user, [note])[0]


@router.post("/read-all", response=MarkedOut)
def notifications_read_all(request: HttpRequest):
    return {"marked": services.notifications_mark_all_read(actor=request.user)}


@router.get("/preferences", response=list[PreferenceOut])
def preference_list(request: HttpRequest):
    """Every event with the caller's e-mail and chat choice (the inbox is always on)."""
    return selectors.preferences(request.user)


@router.put("/preferences", response=list[PreferenceOut])
def preference_set(request: HttpRequest, payload: list[PreferenceIn]):
    choices = {}
    for p in payload:
        if p.mail is not None:
            choices[(p.event, "mail")] = p.mail
        if p.chat is not None:
            choices[(p.event, "chat")] = p.chat
    services.preferences_set(actor=request.user, choices=choices)
    return selectors.preferences(request.user)


class _Rows:
    """A lazily rendered page: the paginator slices the queryset, then the slice is rendered
    with one visibility query per kind of record on it."""

    def __init__(self, user, queryset) -> None:  # type: ignore[no-untyped-def]
        self.user, self.queryset = user, queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):  # type: ignore[no-untyped-def]
        notes = list(self.queryset[item])
        return selectors.inbox_rows(self.user, notes)
