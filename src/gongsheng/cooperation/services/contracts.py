"""Contracts: create and change (declared: ``cooperation.declarations.contracts``; each write
saves a numbered version), obligations, IP clauses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.cooperation.choices import Outcome
from gongsheng.cooperation.models import Contract, IPClause, Obligation
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import full_clean_or_raise, save_versioned
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for


def _decl() -> Any:
    return declaration_for(Contract)


def _lock(actor: Actor, contract_id: int) -> Contract:
    return declared.lock(_decl(), actor, contract_id, "change")


def _save_version(actor: Actor, contract: Contract, note: str) -> None:
    _decl().after_save(contract, {"note": note}, actor=actor, created=False)


def contract_create(
    *, actor: Actor, consortium_id: int, parties: list[dict[str, Any]], **data: Any
) -> Contract:
    """Create a contract with its parties (``[{"unit_id", "role", "share"}]``); version 1."""
    return declared.create(
        _decl(), actor=actor, consortium_id=consortium_id, parties=parties, **data
    )


def contract_update(
    *,
    actor: Actor,
    contract_id: int,
    version: int | None,
    parties: list[dict[str, Any]] | None = None,
    note: str = "",
    **data: Any,
) -> Contract:
    """Change a contract (and its parties when given); the contents stay as a numbered
    version, with ``note``."""
    return declared.update(
        _decl(), actor=actor, pk=contract_id, version=version, parties=parties, note=note,
        **data,
    )  # fmt: skip


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
    record_written(
        actor, ob, EventType.OBLIGATION_CHANGED, consortium_id=contract.consortium_id,
        confidential=True,
    )  # fmt: skip
    return ob


@transaction.atomic
def obligation_fulfil(*, actor: Actor, obligation_id: int, on: dt.date) -> Obligation:
    ob = Obligation.objects.select_for_update().get(pk=obligation_id)
    contract = _lock(actor, ob.contract_id)
    before = snapshot(ob)
    ob.fulfilled_on = on
    ob.save(update_fields=["fulfilled_on", "updated_at"])
    record_written(
        actor, ob, EventType.OBLIGATION_CHANGED, before=before,
        consortium_id=contract.consortium_id, confidential=True,
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
    record_written(
        actor, clause, EventType.CONTRACT_CHANGED, consortium_id=contract.consortium_id,
        confidential=True,
    )  # fmt: skip
    return clause
