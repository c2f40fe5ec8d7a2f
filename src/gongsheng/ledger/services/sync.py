"""Keeping a source's ledger flows in step with it (operations call :func:`flows_sync`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import EventType
from gongsheng.audit.services import audit_bulk
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.services.values import Flow, _audit, _build, _reversal, source_label


@dataclass(frozen=True)
class SyncResult:
    posted: int
    reversed: int
    unchanged: int


def _same(entry: LedgerEntry, flow: Flow) -> bool:
    return (
        entry.date == flow.date
        and entry.category.code == flow.category
        and entry.quantity == Decimal(flow.quantity)
        and (entry.giver_kind, entry.giver_unit_id, entry.giver_pool)
        == (flow.giver.kind, flow.giver.unit_id, flow.giver.pool)
        and (entry.receiver_kind, entry.receiver_unit_id, entry.receiver_pool)
        == (flow.receiver.kind, flow.receiver.unit_id, flow.receiver.pool)
        and entry.confidential == flow.confidential
        and (flow.cost is None) == (not entry.cost_stated)
        and (flow.cost is None or entry.cost == Decimal(flow.cost))
    )


def flows_sync(
    *,
    actor: Actor,
    consortium_id: int,
    source: Model,
    flows: Iterable[Flow],
) -> SyncResult:
    """Make the ledger's live entries from ``source`` equal ``flows``.

    Must run inside the caller's transaction (the operation that changed the source). Entries
    whose flow disappeared or changed are reversed; new or changed flows are posted. Valuation
    happens here, so a flow without a valuation rule fails the whole operation with a clear
    error. Audit entries are written in bulk, one per posted or reversed entry.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("flows_sync() must run inside the operation's transaction")
    label = source_label(source)
    flows = list(flows)
    keys = [f.key for f in flows]
    if len(keys) != len(set(keys)):
        raise ValueError("flow keys must be unique within a source")
    live = {
        e.source_key: e
        for e in LedgerEntry.objects.select_related("category")
        .filter(source_type=label, source_id=source.pk, reverses__isnull=True)
        .exclude(reversed_by__isnull=False)
    }
    to_post: list[LedgerEntry] = []
    to_reverse: list[LedgerEntry] = []
    unchanged = 0
    wanted = {f.key: f for f in flows}
    for key, entry in live.items():
        flow = wanted.get(key)
        if flow is None or not _same(entry, flow):
            to_reverse.append(entry)
    for flow in flows:
        entry = live.get(flow.key)
        if entry is not None and _same(entry, flow):
            unchanged += 1
            continue
        to_post.append(
            _build(
                actor=actor,
                consortium_id=consortium_id,
                date=flow.date,
                category=flow.category,
                quantity=flow.quantity,
                giver=flow.giver,
                receiver=flow.receiver,
                note=flow.note,
                manual=False,
                confidential=flow.confidential,
                source=(label, source.pk, flow.key),
                cost=flow.cost,
                stated_reason=flow.cost_reason if flow.cost is not None else "",
            )
        )
    reversals = [_reversal(e, actor, _("source changed")) for e in to_reverse]
    # SQLite (3.35+) and PostgreSQL return the new ids, which the audit entries need
    created = LedgerEntry.objects.bulk_create([*reversals, *to_post], batch_size=500)
    audit_bulk(
        [
            _audit(
                actor,
                e,
                EventType.LEDGER_ENTRY_REVERSED if e.reverses_id else EventType.LEDGER_ENTRY_POSTED,
            )
            for e in created
        ]
    )
    return SyncResult(posted=len(to_post), reversed=len(to_reverse), unchanged=unchanged)
