"""Flows posted in another unit's name wait for that unit's confirmation (decision 0804).

A manual entry whose giver is a unit the poster may not speak for (the ``confirm`` move of
the entry policy: the giving unit's admin or the secretariat) is posted ``pending``: it is
shown apart and counted nowhere until the giving unit (or the secretariat) confirms it. The
answer is its own append-only :class:`~gongsheng.ledger.models.EntryConfirmation`; the entry
is never edited. A declined entry stays in the ledger, uncounted, for the record.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import can, check_saved, require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.ledger.choices import Decision, PartyKind
from gongsheng.ledger.models import EntryConfirmation, LedgerEntry
from gongsheng.ledger.services.values import Party

#: the notification kind the giving unit's admins receive
REQUESTED = "ledger.confirmation_requested"


def pending_for(actor: Actor, consortium_id: int, giver: Party) -> bool:
    """Whether an entry ``actor`` posts with this giver waits for the giver's confirmation:
    a unit giver the actor may not confirm for. The system (operations: projects,
    bookings; the demo loader), the secretariat and the giving unit's own admins post
    entries that count at once."""
    if is_system(actor) or giver.kind != PartyKind.UNIT or not giver.unit_id:
        return False
    shape = LedgerEntry(consortium_id=consortium_id, giver_unit_id=giver.unit_id)
    return not can(actor, "confirm", shape)


def confirmation_request(*, actor: Actor, entry: LedgerEntry) -> None:
    """Tell the giving unit's admins that a flow in their name waits for them (inside the
    posting's transaction: delivered after the commit)."""
    from gongsheng.notifications import recipients
    from gongsheng.notifications.services import notify

    people = recipients.unit_admins(entry.consortium_id, [entry.giver_unit_id])
    notify(people, REQUESTED, entry, actor=actor, consortium_id=entry.consortium_id)


@transaction.atomic
def entry_confirm(
    *, actor: Actor, entry_id: int, confirm: bool = True, note: str = ""
) -> EntryConfirmation:
    """Confirm (or, with ``confirm=False``, decline) a pending entry in the giving unit's
    name: its unit admin or the secretariat. Once: the answer is final and append-only."""
    entry = LedgerEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    require(
        actor,
        "confirm",
        entry,
        message=_("Only the giving unit's admin or the secretariat confirms this flow."),
    )
    if not entry.pending or entry.reverses_id is not None:
        raise ValidationFailed(_("This entry needs no confirmation."))
    if EntryConfirmation.objects.filter(entry_id=entry.pk).exists():
        raise ValidationFailed(_("This entry has already been answered."))
    if LedgerEntry.objects.filter(reverses_id=entry.pk).exists():
        raise ValidationFailed(_("This entry has been reversed; there is nothing to confirm."))
    row = EntryConfirmation(
        entry=entry,
        consortium_id=entry.consortium_id,
        unit_id=entry.giver_unit_id,
        decision=Decision.CONFIRMED if confirm else Decision.DECLINED,
        note=(note or "").strip()[:300],
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_by_name=getattr(actor, "username", "") or "system",
    )
    row.save()
    check_saved(actor, [row], "view")
    record_written(
        actor, row,
        EventType.LEDGER_ENTRY_CONFIRMED if confirm else EventType.LEDGER_ENTRY_DECLINED,
        unit_id=entry.giver_unit_id, confidential=entry.confidential, related=entry,
    )  # fmt: skip
    return row
