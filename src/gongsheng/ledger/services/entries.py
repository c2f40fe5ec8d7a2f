"""Posting, reversing and correcting entries by hand (the checks every poster passes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import check_saved, require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Membership
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.pools import pool_participants
from gongsheng.ledger.services.confirmations import confirmation_request, pending_for
from gongsheng.ledger.services.values import Party, _build, _reversal


@transaction.atomic
def entry_create(
    *,
    actor: Actor,
    consortium_id: int,
    date: dt.date,
    category: str,
    quantity: Decimal,
    giver: Party,
    receiver: Party,
    note: str = "",
    confidential: bool = False,
    reference: str = "",
) -> LedgerEntry:
    """Post a manual entry (marked as such). The secretariat posts for anyone; a unit admin
    only for flows its own unit gives or receives. A person names only member units and
    existing pools the unit on the other side takes part in (:func:`check_parties`); an entry
    naming a giver the poster may not answer for is posted ``pending`` and the giver's admins
    are asked to confirm it (decision 0804). ``reference`` (a voucher number, or the key of an
    imported row) is kept in ``source_key``, so a re-imported file is recognised."""
    require(
        actor,
        "add",
        LedgerEntry(
            consortium_id=consortium_id,
            giver_unit_id=giver.unit_id,
            receiver_unit_id=receiver.unit_id,
        ),
        message=_("You may post only flows your own unit gives or receives."),
    )
    if not is_system(actor):
        check_parties(consortium_id=consortium_id, giver=giver, receiver=receiver)
    entry = _build(
        actor=actor,
        consortium_id=consortium_id,
        date=date,
        category=category,
        quantity=quantity,
        giver=giver,
        receiver=receiver,
        note=note,
        manual=True,
        confidential=confidential,
        source=("", None, reference[:120]),
    )
    entry.pending = pending_for(actor, consortium_id, giver)
    entry.save()
    check_saved(actor, [entry], "view")
    record_written(
        actor, entry, EventType.LEDGER_ENTRY_POSTED,
        unit_id=entry.giver_unit_id or entry.receiver_unit_id, confidential=confidential,
    )  # fmt: skip
    if entry.pending:
        confirmation_request(actor=actor, entry=entry)
    return entry


def check_parties(*, consortium_id: int, giver: Party, receiver: Party) -> None:
    """What a person may name in a manual entry (decision 0804): units that are members of the
    consortium (applicants are not), pools that exist in it, and on the other side of a flow
    into or out of a pool a unit that takes part in it. Messages name the field, never the
    unit, so nothing of another consortium is told."""
    errors: list[FieldError] = []
    sides = (("giver", giver, "receiver", receiver), ("receiver", receiver, "giver", giver))
    unit_ids = {p.unit_id for p in (giver, receiver) if p.kind == PartyKind.UNIT and p.unit_id}
    members = set(
        Membership.objects.filter(consortium_id=consortium_id, unit_id__in=unit_ids)
        .exclude(status=MembershipStatus.APPLIED)
        .values_list("unit_id", flat=True)
    )
    for side, party, _other_side, _other in sides:
        if party.kind == PartyKind.UNIT and party.unit_id and party.unit_id not in members:
            errors.append(FieldError(side, _("not a member unit of this consortium")))
    pools = [p.pool for p in (giver, receiver) if p.kind == PartyKind.POOL and p.pool]
    found = pool_participants(consortium_id, pools) if pools else {}
    for side, party, other_side, other in sides:
        if party.kind != PartyKind.POOL or not party.pool:
            continue
        takes_part = found.get(party.pool)
        if takes_part is None:
            errors.append(FieldError(side, _("no project pool of this consortium has this name")))
        elif other.kind == PartyKind.UNIT and other.unit_id in members - takes_part:
            errors.append(FieldError(other_side, _("does not take part in this pool")))
    if errors:
        raise ValidationFailed(_("The ledger entry is not valid."), errors)


@transaction.atomic
def entry_reverse(*, actor: Actor, entry_id: int, note: str = "") -> LedgerEntry:
    """Cancel an entry by posting its negative; the original stays as it was."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry_id)
    require(actor, "reverse", entry, message=_("Only the secretariat reverses ledger entries."))
    if entry.reverses_id is not None:
        raise ValidationFailed(_("A reversal cannot itself be reversed; post a new entry."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationFailed(_("This entry has already been reversed."))
    reversal = _reversal(entry, actor, note)
    reversal.save()
    record_written(
        actor, reversal, EventType.LEDGER_ENTRY_REVERSED, consortium_id=entry.consortium_id,
        unit_id=entry.giver_unit_id or entry.receiver_unit_id, confidential=entry.confidential,
        related=entry,
    )  # fmt: skip
    return reversal


# --- corrections ----------------------------------------------------------------------------
@transaction.atomic
def entry_correct(
    *,
    actor: Actor,
    entry_id: int,
    date: dt.date | None = None,
    category: str | None = None,
    quantity: Decimal | None = None,
    giver: Party | None = None,
    receiver: Party | None = None,
    note: str = "",
) -> tuple[LedgerEntry, LedgerEntry]:
    """Correct a manual entry: reverse it and post the corrected one (the secretariat only).

    Entries from a source (a project, a booking …) are corrected by changing the source."""
    entry = LedgerEntry.objects.select_related("category").get(pk=entry_id)
    if not entry.manual:
        raise ValidationFailed(
            _("This entry comes from %(source)s; change the source instead.")
            % {"source": entry.source_type or "?"}
        )
    reversal = entry_reverse(actor=actor, entry_id=entry_id, note=_("corrected"))
    new = entry_create(
        actor=actor,
        consortium_id=entry.consortium_id,
        date=date or entry.date,
        category=category or entry.category.code,
        quantity=quantity if quantity is not None else entry.quantity,
        giver=giver or Party(entry.giver_kind, unit_id=entry.giver_unit_id, pool=entry.giver_pool),
        receiver=receiver
        or Party(entry.receiver_kind, unit_id=entry.receiver_unit_id, pool=entry.receiver_pool),
        note=note or entry.note,
        confidential=entry.confidential,
        reference=entry.source_key,
    )
    record_written(
        actor, new, EventType.LEDGER_ENTRY_CORRECTED, related=entry,
        consortium_id=entry.consortium_id, unit_id=new.giver_unit_id or new.receiver_unit_id,
        confidential=new.confidential,
        message=f"entry {entry.pk} corrected by reversal {reversal.pk} and entry {new.pk}",
        after=None,
    )  # fmt: skip
    return reversal, new
