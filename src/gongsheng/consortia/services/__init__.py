"""Every write to consortia, units, contacts and memberships.

Each public service runs in one transaction, checks the actor's access (``access.scope``), detects
concurrent edits by version, writes an audit entry with before/after snapshots, and checks after
saving that the record is still within the actor's reach. Updates and contacts are the declared
services (``consortia.declarations``) called by name; founding a consortium and registering a
unit do more than the standard write (a supervision granted, a membership made) and stay here;
the membership lifecycle is ``memberships.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import SYSTEM, Actor, is_system
from gongsheng.access.scope import check_saved, context_for, forget, require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.models import Consortium, Contact, Membership, Unit
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import apply_changes, full_clean_or_raise


def _declared(model: type) -> Any:
    from gongsheng.declare.declaration import declaration_for

    return declaration_for(model)


# --- consortium -----------------------------------------------------------------------
def check_leads(consortium: Consortium) -> None:
    """A lead unit must be an admitted member (one error per lead unit that is not)."""
    errors = []
    for field in ("lead_government_id", "lead_school_id", "lead_enterprise_id"):
        unit_id = getattr(consortium, field)
        if unit_id is None or consortium.pk is None:
            continue
        if not Membership.objects.filter(
            consortium_id=consortium.pk, unit_id=unit_id, status=MembershipStatus.ADMITTED
        ).exists():
            errors.append(FieldError(field.removesuffix("_id"), _("must be an admitted member")))
    if errors:
        raise ValidationFailed(_("A lead unit must be an admitted member."), errors)


@transaction.atomic
def consortium_create(*, actor: Actor, **data: Any) -> Consortium:
    """Found a consortium (platform admins and supervisors); a supervisor who founds one
    supervises it from then on (its role granted by the system)."""
    require(
        actor, "add", Consortium,
        message=_("Only platform administrators and supervisors create consortia."),
    )  # fmt: skip
    is_demo = bool(data.pop("is_demo", False))
    consortium = Consortium(is_demo=is_demo)
    apply_changes(consortium, data, set(_declared(Consortium).fields))
    full_clean_or_raise(consortium, message=_("The consortium could not be saved."))
    consortium.save()
    check_leads(consortium)
    record_written(actor, consortium, EventType.CONSORTIUM_CREATED, consortium_id=consortium.pk)
    if not is_system(actor) and not context_for(actor).platform_admin:
        from gongsheng.access.roles import Role
        from gongsheng.access.services import role_grant

        role_grant(actor=SYSTEM, user=actor, role=Role.SUPERVISOR, consortium_id=consortium.pk)
        forget(actor)  # the actor's cached rights now include the new consortium
    return consortium


def consortium_update(
    *, actor: Actor, consortium_id: int, version: int | None, **data: Any
) -> Consortium:
    from gongsheng.declare import services as declared

    decl = _declared(Consortium)
    return declared.update(decl, actor=actor, pk=consortium_id, version=version, **data)


# --- unit -----------------------------------------------------------------------------
@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    consortium_id: int | None = None,
    rank: str = "member",
    joined_on: dt.date | None = None,
    status: str = MembershipStatus.ADMITTED,
    **data: Any,
) -> Unit:
    """Create a unit; with ``consortium_id`` it is admitted to that consortium at once (a
    secretariat registering a new member), or applies there with ``status="applied"`` (the
    unit page's "new unit": the application then waits in the queue)."""
    is_demo = bool(data.pop("is_demo", False))
    if "credit_code" in data:
        data["credit_code"] = normalise(data["credit_code"])
    unit = Unit(is_demo=is_demo)
    apply_changes(unit, data, set(_declared(Unit).fields))
    full_clean_or_raise(unit, message=_("The unit could not be saved."))
    unit.save()
    record_written(
        actor, unit, EventType.UNIT_CREATED, consortium_id=consortium_id, unit_id=unit.pk
    )
    if consortium_id is not None:
        membership_create(
            actor=actor,
            consortium_id=consortium_id,
            unit_id=unit.pk,
            rank=rank,
            status=status,
            joined_on=joined_on or timezone.localdate(),
        )
    check_saved(actor, [unit], "add")
    return unit


def unit_update(*, actor: Actor, unit_id: int, version: int | None, **data: Any) -> Unit:
    from gongsheng.declare import services as declared

    return declared.update(_declared(Unit), actor=actor, pk=unit_id, version=version, **data)


# --- contacts (declared: consortia.declarations.ContactDeclaration) ----------------------
def contact_create(*, actor: Actor, unit_id: int, **data: Any) -> Contact:
    """A contact person of a unit (personal data: audited as confidential)."""
    from gongsheng.declare import services as declared

    return declared.create(_declared(Contact), actor=actor, unit_id=unit_id, **data)


def contact_update(*, actor: Actor, contact_id: int, version: int | None, **data: Any) -> Contact:
    from gongsheng.declare import services as declared

    return declared.update(_declared(Contact), actor=actor, pk=contact_id, version=version, **data)


def contact_delete(*, actor: Actor, contact_id: int, version: int | None = None) -> None:
    from gongsheng.declare import services as declared

    declared.delete(_declared(Contact), actor=actor, pk=contact_id, version=version)


# --- memberships (``consortia.services.memberships``) -----------------------------------
from gongsheng.consortia.services.memberships import (  # noqa: E402
    DECISION_CHECKS,
    membership_admit,
    membership_apply,
    membership_create,
    membership_expel,
    membership_reapply,
    membership_refuse,
    membership_transition,
    membership_update,
    membership_withdraw,
)

__all__ = [
    "DECISION_CHECKS", "consortium_create", "consortium_update", "contact_create",
    "contact_delete", "contact_update", "membership_admit", "membership_apply",
    "membership_create", "membership_expel", "membership_reapply", "membership_refuse",
    "membership_transition", "membership_update", "membership_withdraw", "unit_create",
    "unit_update",
]  # fmt: skip
