"""Every write of notifications: ``notify`` (inbox rows and pending deliveries, inside the
caller's transaction), ``deliver`` (after commit: mail and chat, each delivery once),
marking read, preferences and the chat groups.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongsheng.access.policies import policy_for
from gongsheng.access.scope import access_object, check_saved, scope
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import check_version, save_versioned
from gongsheng.notifications import channels, events
from gongsheng.notifications.models import (
    Channel,
    ChatChannel,
    ChatKind,
    Delivery,
    DeliveryState,
    Notification,
    Preference,
)
from gongsheng.notifications.recipients import users as distinct_users

log = logging.getLogger(__name__)

#: a delivery claimed this long ago by a worker that died is tried again
STALE_CLAIM = dt.timedelta(minutes=10)


# --- notify -------------------------------------------------------------------------------
def _consortium_of(obj: Model | None) -> int | None:
    if obj is None:
        return None
    policy = policy_for(type(obj))
    path = policy.consortium if policy is not None else "consortium"
    if path == "pk":
        return obj.pk
    if path and "__" not in path:
        return getattr(obj, f"{path}_id", None)
    return getattr(obj, "consortium_id", None)


def _wanted(user_ids: list[int], event: str) -> dict[tuple[int, str], bool]:
    rows = Preference.objects.filter(user_id__in=user_ids, event=event)
    return {(p.user_id, p.channel): p.enabled for p in rows}


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _message(
    kind: events.EventKind, params: Mapping[str, Any], link: str, lang: str
) -> tuple[str, str]:
    with translation.override(lang):
        title, body = kind.render(params)
        if link and settings.GONGSHENG_SITE_URL:
            body = "\n".join([body, settings.GONGSHENG_SITE_URL.rstrip("/") + link]).strip()
    return title, body


def notify(
    recipients: Iterable[Any],
    event: str,
    obj: Model | None,
    *,
    actor: Any,
    context: Mapping[str, Any] | None = None,
    consortium_id: int | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (users) that ``event`` happened to ``obj``.

    Runs inside the caller's transaction: writes one inbox row per recipient (the actor is not
    told of their own act) and a pending delivery per e-mail and chat group that the
    recipients' preferences ask for; the deliveries go out after the commit (:func:`deliver`).
    A rolled-back change tells nobody.
    """
    kind = events.get(event)
    actor_id = getattr(actor, "pk", None)
    people = [u for u in distinct_users(recipients) if u.pk != actor_id and u.is_active]
    if not people:
        return []
    consortium_id = consortium_id if consortium_id is not None else _consortium_of(obj)
    params = kind.params(obj, context or {})
    link = kind.link(obj) if (kind.link and obj is not None) else ""
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    actor_name = str(actor)[:150] if actor_id else ""
    notes = Notification.objects.bulk_create(
        [
            Notification(
                recipient=u,
                consortium_id=consortium_id,
                event=event,
                params=params,
                content_type=ct,
                object_id=getattr(obj, "pk", None),
                link=link[:300],
                actor_name=actor_name,
            )
            for u in people
        ]
    )
    wanted = _wanted([u.pk for u in people], event)
    out: list[Delivery] = []
    for note, user in zip(notes, people, strict=True):
        if user.email and wanted.get((user.pk, Channel.MAIL), kind.mail):
            title, body = _message(kind, params, link, _language(user))
            out.append(
                Delivery(
                    consortium_id=consortium_id,
                    event=event,
                    channel=Channel.MAIL,
                    notification=note if note.pk else None,
                    recipient=user,
                    address=user.email,
                    subject=title[:300],
                    body=body,
                )
            )
    if consortium_id is not None:
        groups = ChatChannel.objects.filter(consortium_id=consortium_id, is_active=True)
        for group in groups:
            if event not in (group.events or []):
                continue
            reached = [u for u in people if group.unit_id in (None, u.unit_id)]
            if not any(wanted.get((u.pk, Channel.CHAT), kind.chat) for u in reached):
                continue
            title, body = _message(kind, params, link, settings.LANGUAGE_CODE)
            out.append(
                Delivery(
                    consortium_id=consortium_id,
                    event=event,
                    channel=Channel.CHAT,
                    chat_channel=group,
                    address=f"{group.get_kind_display()} · {group.name}",
                    subject=title[:300],
                    body=body,
                )
            )
    if out:
        made = Delivery.objects.bulk_create(out)
        ids = [d.pk for d in made]  # SQLite ≥ 3.35 and PostgreSQL return the new ids
        transaction.on_commit(lambda: deliver(ids))
    return notes


# --- deliver ------------------------------------------------------------------------------
def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take one delivery for sending, once: a conditional UPDATE, so two workers (or a retry
    sweep racing the on-commit call) never both send it."""
    claimable = Q(state=DeliveryState.PENDING) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return bool(
        Delivery.objects.filter(claimable, pk=delivery_id).update(
            state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _send(d: Delivery) -> channels.Outcome:
    if d.channel == Channel.MAIL:
        return channels.send_mail(address=d.address, subject=d.subject, body=d.body)
    group = d.chat_channel
    if group is None:
        return channels.Outcome(False, "the chat group was removed")
    return channels.send_chat(
        kind=group.kind, key=group.key, secret=group.secret, title=d.subject, body=d.body
    )


def deliver(delivery_ids: Iterable[int]) -> dict[str, int]:
    """Send these deliveries (mail or chat) and record each result: pending → sent / failed.

    Idempotent: a delivery that is already sent, failed or being sent is left alone. Never
    raises (it runs after the commit of somebody's request); returns counts by final state.
    Network I/O happens outside any transaction.
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for pk in delivery_ids:
        if not _claim(pk, timezone.now()):
            counts["skipped"] += 1
            continue
        try:
            d = Delivery.objects.select_related("chat_channel").get(pk=pk)
            outcome = _send(d)
        except Exception as exc:
            log.exception("delivery %s failed", pk)
            outcome = channels.Outcome(False, f"{type(exc).__name__}: {exc}"[:2000])
        state = DeliveryState.SENT if outcome.ok else DeliveryState.FAILED
        Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING).update(
            state=state, result=outcome.result, finished_at=timezone.now()
        )
        counts[str(state)] += 1
    return counts


def deliver_pending(*, limit: int = 500) -> dict[str, int]:
    """The sweep: send what is still pending (e.g. the process stopped before its on-commit
    call ran) and deliveries whose sender died mid-way."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING)
            | Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver(ids)


# --- the inbox ----------------------------------------------------------------------------
@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (a second time changes nothing)."""
    mine = scope(actor, Notification.objects.filter(recipient_id=getattr(actor, "pk", None)))
    note = access_object(actor, mine, notification_id, "change")
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


@transaction.atomic
def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    mine = scope(actor, Notification.objects.filter(recipient_id=getattr(actor, "pk", None)))
    return mine.filter(read_at__isnull=True).update(read_at=timezone.now())


# --- preferences --------------------------------------------------------------------------
@transaction.atomic
def preferences_set(*, actor: Any, choices: Mapping[tuple[str, str], bool]) -> list[Preference]:
    """Set the actor's own mail / chat choices per event (the inbox is always on)."""
    if not getattr(actor, "pk", None):
        raise ValidationFailed(_("Sign in to change your notification settings."))
    known = {k.key for k in events.all_kinds()}
    errors = [
        FieldError(f"{event}.{channel}", _("unknown event or channel"))
        for event, channel in choices
        if event not in known or channel not in Channel.values
    ]
    if errors:
        raise ValidationFailed(_("The notification settings could not be saved."), errors)
    current = {
        (p.event, p.channel): p for p in Preference.objects.select_for_update().filter(user=actor)
    }
    before = {f"{e}.{c}": p.enabled for (e, c), p in current.items()}
    changed: list[Preference] = []
    for (event, channel), enabled in choices.items():
        row = current.get((event, channel))
        if row is None:
            row = Preference.objects.create(
                user=actor, event=event, channel=channel, enabled=bool(enabled)
            )
            changed.append(row)
        elif row.enabled != bool(enabled):
            row.enabled = bool(enabled)
            row.save(update_fields=["enabled"])
            changed.append(row)
    if changed:
        after = dict(before) | {f"{p.event}.{p.channel}": p.enabled for p in changed}
        audit_record(
            actor=actor,
            event=EventType.NOTIFICATION_PREFERENCES_CHANGED,
            action=Action.UPDATE,
            obj=actor,
            before=before,
            after=after,
            object_repr=str(actor),
        )
    return changed


# --- chat groups --------------------------------------------------------------------------
_CHANNEL_FIELDS = {"name", "kind", "key", "secret", "events", "is_active", "unit_id"}


def _validate_channel(group: ChatChannel) -> None:
    errors: list[FieldError] = []
    if not group.name.strip():
        errors.append(FieldError("name", _("required")))
    if group.kind not in ChatKind.values:
        errors.append(FieldError("kind", _("choose WeCom, DingTalk or Feishu")))
    elif channels.webhook_key(group.kind, group.key) is None:
        errors.append(FieldError("key", _("not a webhook key or address of this kind of bot")))
    if group.secret and group.kind != ChatKind.DINGTALK:
        errors.append(FieldError("secret", _("only DingTalk robots sign their messages")))
    elif not channels.secret_ok(group.secret):
        errors.append(FieldError("secret", _("letters and digits only")))
    known = {k.key for k in events.all_kinds()}
    if not isinstance(group.events, list) or any(e not in known for e in group.events):
        errors.append(FieldError("events", _("unknown event")))
    if group.unit_id is not None and not (
        group.unit.memberships.filter(consortium_id=group.consortium_id).exists()
    ):
        errors.append(FieldError("unit", _("is not a member unit of this consortium")))
    if errors:
        raise ValidationFailed(_("The chat group could not be saved."), errors)


def _channel_snapshot(group: ChatChannel) -> dict[str, Any]:
    data = snapshot(group)
    data["key"] = group.masked_key  # the audit log never holds the webhook key
    data["secret"] = "…" if group.secret else ""
    return data


@transaction.atomic
def chat_channel_create(*, actor: Any, consortium_id: int, **data: Any) -> ChatChannel:
    unknown = set(data) - _CHANNEL_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    group = ChatChannel(consortium_id=consortium_id, **data)
    group.key = group.key.strip()
    _validate_channel(group)
    group.save()
    check_saved(actor, [group], "add")
    audit_record(
        actor=actor,
        event=EventType.CHAT_CHANNEL_CREATED,
        action=Action.CREATE,
        obj=group,
        after=_channel_snapshot(group),
        consortium_id=consortium_id,
        unit_id=group.unit_id,
    )
    return group


@transaction.atomic
def chat_channel_update(
    *, actor: Any, channel_id: int, version: int | None, **data: Any
) -> ChatChannel:
    """Change a chat group; an empty ``key`` or ``secret`` keeps the stored one."""
    group = access_object(actor, ChatChannel.objects.select_for_update(), channel_id, "change")
    check_version(group, version)
    unknown = set(data) - _CHANNEL_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name in ("key", "secret"):
        if name in data and not str(data[name] or "").strip():
            data.pop(name)
    before = _channel_snapshot(group)
    fields = [n for n, v in data.items() if getattr(group, n) != v]
    if not fields:
        return group
    for name in fields:
        setattr(group, name, data[name])
    _validate_channel(group)
    save_versioned(group, fields)
    check_saved(actor, [group], "change")
    audit_record(
        actor=actor,
        event=EventType.CHAT_CHANNEL_CHANGED,
        action=Action.UPDATE,
        obj=group,
        before=before,
        after=_channel_snapshot(group),
        consortium_id=group.consortium_id,
        unit_id=group.unit_id,
    )
    return group


@transaction.atomic
def chat_channel_delete(*, actor: Any, channel_id: int) -> None:
    """Remove a chat group; its past deliveries stay in the log (naming it by address)."""
    group = access_object(actor, ChatChannel.objects.select_for_update(), channel_id, "delete")
    audit_record(
        actor=actor,
        event=EventType.CHAT_CHANNEL_DELETED,
        action=Action.DELETE,
        obj=group,
        before=_channel_snapshot(group),
        consortium_id=group.consortium_id,
        unit_id=group.unit_id,
    )
    group.delete()
