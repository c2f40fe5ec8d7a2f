"""``notify`` (inbox rows and pending deliveries, inside the caller's transaction), ``deliver``
(after commit: mail and chat, each delivery once) and marking read."""

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

from gongsheng.access.actors import SYSTEM
from gongsheng.access.policies import policy_for
from gongsheng.access.scope import access_object, scope
from gongsheng.notifications import channels, events
from gongsheng.notifications.models import (
    Channel,
    ChatChannel,
    Delivery,
    DeliveryState,
    Notification,
    Preference,
)
from gongsheng.notifications.recipients import users as distinct_users

log = logging.getLogger(__name__)

#: the job kind that sends a batch of deliveries (``notifications/jobs.py``)
DELIVER_JOB = "notifications.deliver"
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
    recipients' preferences ask for; after the commit one background job sends them
    (:func:`delivery_start` → :func:`deliver`). A rolled-back change tells nobody.
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
                    body=f"{title}\n\n{body}".strip(),
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
        # robust: a failed start is logged, never raised into the caller's committed change
        transaction.on_commit(lambda: delivery_start(ids, consortium_id), robust=True)
    return notes


def delivery_start(delivery_ids: list[int], consortium_id: int | None) -> Any:
    """After the commit: one ``notifications.deliver`` job for this batch of deliveries
    (run by the worker; ``gongsheng worker``, or ``run_jobs()`` in tests). Should the start
    itself fail (the database went away between the commit and this call), the rows stay
    pending and the ``notifications.deliver_pending`` sweep sends them."""
    from gongsheng.jobs.services import job_start

    # only what is still to send: a batch the same transaction dropped again (the demo loader
    # trims old notifications) starts no job
    ids = list(
        Delivery.objects.filter(pk__in=list(delivery_ids), state=DeliveryState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return None
    return job_start(actor=SYSTEM, kind=DELIVER_JOB, consortium_id=consortium_id,
                     params={"ids": ids})  # fmt: skip


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
