"""Writing the audit log. Called by every service, inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Min
from django.utils import timezone

from gongsheng.audit import chain
from gongsheng.audit.events import AuditEvent
from gongsheng.audit.models import Action, AuditChainHead, AuditEntry
from gongsheng.core.actors import is_system
from gongsheng.core.context import current_request_id

#: fields never copied into snapshots
_SECRET_FIELDS = {"password", "key_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a record (foreign keys as ids), JSON-safe."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SECRET_FIELDS:
            continue
        data[f.attname] = _plain(getattr(obj, f.attname))
    return data


def audit_record(
    *,
    actor: Any,
    event: int,
    action: Action | str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    consortium_id: int | None = None,
    unit_id: int | None = None,
    related: models.Model | None = None,
    confidential: bool = False,
    message: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    """Write one audit entry in the current transaction.

    ``actor`` is a user or :data:`gongsheng.core.actors.SYSTEM` for work nobody did by hand
    (demo loader, migrations, sweeps); ``None`` is refused. The actor's name is copied so the
    entry keeps it after the user is removed.
    """
    if actor is None:
        raise TypeError(
            "audit_record(actor=None): pass the user, or gongsheng.core.actors.SYSTEM for work "
            "nobody did by hand"
        )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must run inside the service's transaction")
    entry = AuditEntry(
        actor=None if is_system(actor) else actor,
        actor_name="system" if is_system(actor) else actor.get_username(),
        request_id=current_request_id(),
        event_type=int(event),
        action=str(action),
        before=before,
        after=after,
        consortium_id=consortium_id,
        unit_id=unit_id,
        confidential=confidential,
        message=message[:500],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        entry.object_id = obj.pk
        entry.object_repr = (object_repr or str(obj))[:300]
    elif object_repr:
        entry.object_repr = object_repr[:300]
    if related is not None:
        entry.related_content_type = ContentType.objects.get_for_model(related)
        entry.related_object_id = related.pk
    heads = chain.link([entry])
    entry.save()
    chain.save_heads(heads)
    return entry


def audit_bulk(entries: list[AuditEntry]) -> None:
    """Append many prepared (unsaved) entries at once (imports, ledger flows), chained like
    :func:`audit_record`'s; still inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_bulk() must run inside the service's transaction")
    if not entries:
        return
    heads = chain.link(entries)
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    chain.save_heads(heads)


_OWN: Any = object()  # record_written's defaults: the record's snapshot, the record's consortium


def record_written(
    actor: Any,
    obj: models.Model,
    event: int,
    action: Action | str | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = _OWN,
    consortium_id: int | None = _OWN,
    **audit: Any,
) -> AuditEntry:
    """The audit entry of a record a service has just written (in its transaction).

    :func:`audit_record` with the defaults every such call spelled out: ``action`` is
    ``CREATE``, or ``UPDATE`` when there is a ``before``; ``after`` is the record's
    :func:`snapshot`; ``consortium_id`` is the record's own (``None`` for a record without
    one). The other arguments (``unit_id``, ``confidential``, ``related``, ``message``) pass
    through. A service that creates or moves a record calls ``check_saved`` as well.
    """
    if action is None:
        action = Action.CREATE if before is None else Action.UPDATE
    if consortium_id is _OWN:
        consortium_id = getattr(obj, "consortium_id", None)
    return audit_record(
        actor=actor,
        event=event,
        action=action,
        obj=obj,
        before=before,
        after=snapshot(obj) if after is _OWN else after,
        consortium_id=consortium_id,
        **audit,
    )


#: the PostgreSQL setting the audit table's trigger lets DELETE through with (migration 0005)
PRUNE_SETTING = "gongsheng.audit_prune"


def _prune_gate(open_: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT set_config(%s, %s, true)", [PRUNE_SETTING, "on" if open_ else ""])


def audit_prune(*, actor: Any, older_than_days: int, minimum_days: int = 180) -> int:
    """Remove entries older than ``older_than_days`` (never fewer than 180 days).

    Each chain loses a prefix: the entries before its first entry that is not older than the
    cutoff. The last removed entry's position and hash become the chain's anchor, from which
    ``gongsheng audit verify`` starts, so the chain stays verifiable. On PostgreSQL this is the
    only way past the trigger that refuses DELETE on the table: the transaction sets
    ``gongsheng.audit_prune`` for the trigger to see, and clears it again.
    """
    if older_than_days < minimum_days:
        raise ValueError(f"Audit entries are kept at least {minimum_days} days.")
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    count = 0
    with transaction.atomic():
        heads = list(AuditChainHead.objects.select_for_update().order_by("chain"))
        _prune_gate(True)  # undone with the transaction if anything below fails
        for head in heads:
            entries = AuditEntry.objects.filter(chain=head.chain)
            keep_from = entries.filter(time__gte=cutoff).aggregate(m=Min("seq"))["m"]
            old = entries if keep_from is None else entries.filter(seq__lt=keep_from)
            last = old.order_by("-seq").only("seq", "hash").first()
            if last is None:
                continue
            removed, _ = old._prune()
            count += removed
            AuditChainHead.objects.filter(pk=head.pk).update(
                anchor_seq=last.seq, anchor_hash=last.hash
            )
        _prune_gate(False)
        audit_record(
            actor=actor,
            event=AuditEvent.AUDIT_PRUNED,
            action=Action.DELETE,
            message=f"pruned {count} entries older than {older_than_days} days",
            object_repr="audit log",
        )
    return count
