"""Contracts: create and change (each change saves a version), obligations, IP clauses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.cooperation.choices import Outcome, PartyRole
from gongsheng.cooperation.models import (
    Contract,
    ContractParty,
    ContractVersion,
    IPClause,
    Obligation,
)
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)

CONTRACT_FIELDS = {
    "code", "title", "type", "status", "signed_on", "starts_on", "ends_on", "value",
    "benefit_method", "terms", "project_id",
}  # fmt: skip


def _lock(actor: Actor, contract_id: int) -> Contract:
    qs = Contract.objects.select_for_update()
    if is_system(actor):
        return qs.get(pk=contract_id)
    return access_object(actor, qs, contract_id, "change")


def _save_version(actor: Actor, contract: Contract, note: str) -> None:
    data = snapshot(contract)
    data["parties"] = list(contract.parties.order_by("id").values("unit_id", "role", "share"))
    for p in data["parties"]:
        p["share"] = None if p["share"] is None else str(p["share"])
    ContractVersion.objects.create(
        contract=contract, number=contract.version, data=data, note=note[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip


def _set_parties(contract: Contract, parties: list[dict[str, Any]]) -> None:
    errors: list[FieldError] = []
    seen: set[int] = set()
    total = Decimal(0)
    for i, p in enumerate(parties):
        if p["unit_id"] in seen:
            errors.append(FieldError("parties", _("a unit is named twice"), row=i + 1))
        seen.add(p["unit_id"])
        if p.get("role") not in PartyRole.values:
            errors.append(FieldError("parties", _("unknown role"), row=i + 1))
        if p.get("share") is not None:
            total += Decimal(p["share"])
    if len(parties) < 2:
        errors.append(FieldError("parties", _("a contract has at least two parties")))
    if total > 1:
        errors.append(FieldError("parties", _("the fixed shares add up to more than 1")))
    if errors:
        raise ValidationFailed(_("The parties are not valid."), errors)
    contract.parties.all().delete()
    ContractParty.objects.bulk_create(
        [
            ContractParty(
                contract=contract, unit_id=p["unit_id"], role=p["role"],
                share=None if p.get("share") is None else Decimal(p["share"]),
            )
            for p in parties
        ]
    )  # fmt: skip


@transaction.atomic
def contract_create(
    *, actor: Actor, consortium_id: int, parties: list[dict[str, Any]], **data: Any
) -> Contract:
    """Create a contract with its parties (``[{"unit_id", "role", "share"}]``); version 1."""
    is_demo = bool(data.pop("is_demo", False))
    contract = Contract(consortium_id=consortium_id, is_demo=is_demo)
    apply_changes(contract, data, CONTRACT_FIELDS)
    full_clean_or_raise(contract, message=_("The contract could not be saved."))
    contract.save()
    _set_parties(contract, parties)
    if not is_system(actor):
        check_saved(actor, [contract], "add")
    _save_version(actor, contract, _("created"))
    audit_record(
        actor=actor, event=EventType.CONTRACT_CREATED, action=Action.CREATE, obj=contract,
        after=snapshot(contract), consortium_id=consortium_id, confidential=True,
    )  # fmt: skip
    return contract


@transaction.atomic
def contract_update(
    *,
    actor: Actor,
    contract_id: int,
    version: int | None,
    parties: list[dict[str, Any]] | None = None,
    note: str = "",
    **data: Any,
) -> Contract:
    """Change a contract; the previous contents stay as a numbered version."""
    contract = _lock(actor, contract_id)
    check_version(contract, version)
    before = snapshot(contract)
    changes = apply_changes(contract, data, CONTRACT_FIELDS)
    if not changes and parties is None:
        return contract
    full_clean_or_raise(contract, message=_("The contract could not be saved."))
    if parties is not None:
        _set_parties(contract, parties)
    save_versioned(contract, list(changes))
    if not is_system(actor):
        check_saved(actor, [contract], "change")
    _save_version(actor, contract, note or _("changed"))
    audit_record(
        actor=actor, event=EventType.CONTRACT_CHANGED, action=Action.UPDATE, obj=contract,
        before=before, after=snapshot(contract), consortium_id=contract.consortium_id,
        confidential=True,
    )  # fmt: skip
    return contract


@transaction.atomic
def obligation_add(
    *, actor: Actor, contract_id: int, unit_id: int, description: str, due_on: dt.date | None
) -> Obligation:
    contract = _lock(actor, contract_id)
    if not contract.parties.filter(unit_id=unit_id).exists():
        raise ValidationFailed(
            _("Only a party to the contract can be obliged."),
            [FieldError("unit", _("not a party"))],
        )
    ob = Obligation.objects.create(
        contract=contract, unit_id=unit_id, description=description, due_on=due_on
    )
    audit_record(
        actor=actor, event=EventType.OBLIGATION_CHANGED, action=Action.CREATE, obj=ob,
        after=snapshot(ob), consortium_id=contract.consortium_id, confidential=True,
    )  # fmt: skip
    return ob


@transaction.atomic
def obligation_fulfil(*, actor: Actor, obligation_id: int, on: dt.date) -> Obligation:
    ob = Obligation.objects.select_for_update().get(pk=obligation_id)
    contract = _lock(actor, ob.contract_id)
    before = snapshot(ob)
    ob.fulfilled_on = on
    ob.save(update_fields=["fulfilled_on", "updated_at"])
    audit_record(
        actor=actor, event=EventType.OBLIGATION_CHANGED, action=Action.UPDATE, obj=ob,
        before=before, after=snapshot(ob), consortium_id=contract.consortium_id,
        confidential=True,
    )  # fmt: skip
    return ob


@transaction.atomic
def ip_clause_add(
    *,
    actor: Actor,
    contract_id: int,
    ref: str,
    action: str,
    outcome: str,
    unit_id: int | None = None,
    text: str = "",
) -> IPClause:
    contract = _lock(actor, contract_id)
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown outcome."), [FieldError("outcome", _("unknown"))])
    clause = IPClause(contract=contract, ref=ref, action=action, outcome=outcome,
                      unit_id=unit_id, text=text)  # fmt: skip
    full_clean_or_raise(clause, message=_("The clause is not valid."), exclude=["contract"])
    clause.save()
    save_versioned(contract, [])
    _save_version(actor, contract, _("IP clause %(ref)s added") % {"ref": ref})
    audit_record(
        actor=actor, event=EventType.CONTRACT_CHANGED, action=Action.CREATE, obj=clause,
        after=snapshot(clause), consortium_id=contract.consortium_id, confidential=True,
    )  # fmt: skip
    return clause
