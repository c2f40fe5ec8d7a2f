"""Reads of notifications, each starting from ``access.scope``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from gongsheng.access.policies import policy_for
from gongsheng.access.scope import access_object, can, scope
from gongsheng.notifications import events
from gongsheng.notifications.models import Channel, ChatChannel, Delivery, Notification, Preference


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    qs = scope(user, Notification.objects.all()).filter(recipient_id=getattr(user, "pk", None))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def unread_count(user: Any) -> int:
    """How many of the user's own notifications are unread (one query)."""
    return inbox(user, unread_only=True).order_by().count()


@dataclass(frozen=True)
class InboxRow:
    """One notification as the inbox shows it: the title and link only while the reader may
    still see the record it is about."""

    id: int
    event: str
    title: str
    body: str
    link: str
    actor_name: str
    created_at: Any
    read: bool


def inbox_rows(user: Any, notes: list[Notification]) -> list[InboxRow]:
    """Render a page of notifications; one visibility query per kind of record on the page."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for n in notes:
        if n.content_type_id and n.object_id is not None:
            by_type[n.content_type_id].add(n.object_id)
    visible: dict[int, set[int]] = {}
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None or policy_for(model) is None:
            visible[ct_id] = set()
            continue
        qs = model._default_manager.filter(pk__in=ids)
        visible[ct_id] = set(scope(user, qs, "view").values_list("pk", flat=True))
    rows = []
    for n in notes:
        seen = n.content_type_id is None or n.object_id in visible.get(n.content_type_id, ())
        title, body = n.render() if seen else (_("About a record you can no longer see"), "")
        rows.append(
            InboxRow(
                id=n.pk,
                event=n.event,
                title=title,
                body=body,
                link=n.link if seen else "",
                actor_name=n.actor_name,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
        )
    return rows


@dataclass(frozen=True)
class PreferenceRow:
    event: str
    label: str
    mail: bool
    chat: bool


def preferences(user: Any) -> list[PreferenceRow]:
    """Every event kind with the user's mail and chat choice (the default where none is set)."""
    rows = scope(user, Preference.objects.all()).filter(user_id=getattr(user, "pk", None))
    chosen = {(p.event, p.channel): p.enabled for p in rows}
    return [
        PreferenceRow(
            event=k.key,
            label=str(k.label),
            mail=chosen.get((k.key, Channel.MAIL), k.mail),
            chat=chosen.get((k.key, Channel.CHAT), k.chat),
        )
        for k in events.all_kinds()
    ]


def chat_channels(user: Any, *, consortium_id: int) -> QuerySet[ChatChannel]:
    return (
        scope(user, ChatChannel.objects.all())
        .filter(consortium_id=consortium_id)
        .select_related("unit")
        .order_by("name", "id")
    )


def deliveries(
    user: Any,
    *,
    consortium_id: int | None = None,
    state: str = "",
    channel: str = "",
) -> QuerySet[Delivery]:
    """The delivery log the user may read (the secretariat its consortium's; platform admins
    everything), newest first."""
    qs = scope(user, Delivery.objects.all()).select_related("recipient", "chat_channel")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-id")


def consortium_get(user: Any, consortium_id: int) -> Any:
    """The consortium a page is about, if the user may see it (``NotFound`` otherwise). The
    model is reached through the chat group's relation: this app imports nothing above it."""
    model = ChatChannel._meta.get_field("consortium").related_model
    return access_object(user, model._default_manager.all(), consortium_id)


def unit_choices(user: Any, consortium_id: int) -> list[tuple[int, str]]:
    """The member units a chat group may belong to, as far as the user may add one for them."""
    model = ChatChannel._meta.get_field("unit").related_model
    units = scope(user, model._default_manager.filter(memberships__consortium_id=consortium_id))
    out = []
    for unit in units.distinct().order_by("name"):
        if can(user, "add", ChatChannel, consortium_id=consortium_id, owner_id=unit.pk):
            out.append((unit.pk, str(unit)))
    return out


def chat_channel_get(user: Any, channel_id: int, action: str = "view") -> ChatChannel:
    return access_object(user, ChatChannel.objects.select_related("unit"), channel_id, action)
