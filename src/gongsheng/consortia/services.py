"""Every write to consortia, units, contacts and memberships.

Each public service runs in one transaction, checks the actor's access (``access.scope``), detects
concurrent edits by version, writes an audit entry with before/after snapshots, and checks after
saving that the record is still within the actor's reach.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved, require
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, audited_update, snapshot
from gongsheng.consortia.choices import (
    MEMBERSHIP_TRANSITIONS,
    MembershipEventKind,
    MembershipStatus,
)
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.models import Consortium, Contact, Membership, MembershipEvent, Unit
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify

CONSORTIUM_FIELDS = {
    "code", "name", "level", "batch", "status", "province", "city", "founded_on", "description",
    "park_name", "park_industry_chain", "park_output", "park_output_rank",
    "lead_government_id", "lead_school_id", "lead_enterprise_id",
}  # fmt: skip
UNIT_FIELDS = {
    "credit_code", "name", "short_name", "type", "province", "city", "address", "website",
    "description",
}  # fmt: skip
MEMBERSHIP_FIELDS = {"rank", "applied_on", "joined_on", "left_on", "note"}


def _is_system(actor: Actor) -> bool:
    """The demo loader and migrations act as the system (``actor=SYSTEM``)."""
    return is_system(actor)


def _locked(actor: Actor, queryset: Any, pk: int, action: str = "change") -> Any:
    """The row, locked for the rest of the transaction, if the actor may ``action`` it."""
    queryset = queryset.select_for_update()
    if _is_system(actor):
        return queryset.get(pk=pk)
    return access_object(actor, queryset, pk, action)


# --- consortium -----------------------------------------------------------------------
def _check_leads(consortium: Consortium) -> None:
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
    require(actor, "add", Consortium, message=_("Only platform administrators create consortia."))
    is_demo = bool(data.pop("is_demo", False))
    consortium = Consortium(is_demo=is_demo)
    apply_changes(consortium, data, CONSORTIUM_FIELDS)
    full_clean_or_raise(consortium, message=_("The consortium could not be saved."))
    consortium.save()
    _check_leads(consortium)
    audit_record(
        actor=actor,
        event=EventType.CONSORTIUM_CREATED,
        action=Action.CREATE,
        obj=consortium,
        after=snapshot(consortium),
        consortium_id=consortium.pk,
    )
    return consortium


@transaction.atomic
def consortium_update(
    *, actor: Actor, consortium_id: int, version: int | None, **data: Any
) -> Consortium:
    consortium = _locked(actor, Consortium.objects.all(), consortium_id)
    audited_update(
        consortium,
        actor=actor,
        version=version,
        data=data,
        allowed=CONSORTIUM_FIELDS,
        event=EventType.CONSORTIUM_CHANGED,
        message=_("The consortium could not be saved."),
        consortium_id=consortium.pk,
        check=_check_leads,
    )
    return consortium


# --- unit -----------------------------------------------------------------------------
@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    consortium_id: int | None = None,
    rank: str = "member",
    joined_on: dt.date | None = None,
    **data: Any,
) -> Unit:
    """Create a unit; with ``consortium_id`` it is admitted to that consortium at once
    (a secretariat registering a new member)."""
    is_demo = bool(data.pop("is_demo", False))
    if "credit_code" in data:
        data["credit_code"] = normalise(data["credit_code"])
    unit = Unit(is_demo=is_demo)
    apply_changes(unit, data, UNIT_FIELDS)
    full_clean_or_raise(unit, message=_("The unit could not be saved."))
    unit.save()
    audit_record(
        actor=actor,
        event=EventType.UNIT_CREATED,
        action=Action.CREATE,
        obj=unit,
        after=snapshot(unit),
        consortium_id=consortium_id,
        unit_id=unit.pk,
    )
    if consortium_id is not None:
        membership_create(
            actor=actor,
            consortium_id=consortium_id,
            unit_id=unit.pk,
            rank=rank,
            status=MembershipStatus.ADMITTED,
            joined_on=joined_on or timezone.localdate(),
        )
    if not _is_system(actor):
        check_saved(actor, [unit], "add")
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit_id: int, version: int | None, **data: Any) -> Unit:
    unit = _locked(actor, Unit.objects.all(), unit_id)
    if "credit_code" in data:
        data["credit_code"] = normalise(data["credit_code"])
    audited_update(
        unit,
        actor=actor,
        version=version,
        data=data,
        allowed=UNIT_FIELDS,
        event=EventType.UNIT_CHANGED,
        message=_("The unit could not be saved."),
        unit_id=unit.pk,
    )
    return unit


# --- contacts (declared: consortia.declarations.ContactDeclaration) ----------------------
def _contacts() -> Any:
    from gongsheng.declare.declaration import declaration_for

    return declaration_for(Contact)


def contact_create(*, actor: Actor, unit_id: int, **data: Any) -> Contact:
    """A contact person of a unit (personal data: audited as confidential)."""
    from gongsheng.declare import services as declared

    return declared.create(_contacts(), actor=actor, unit_id=unit_id, **data)


def contact_update(*, actor: Actor, contact_id: int, version: int | None, **data: Any) -> Contact:
    from gongsheng.declare import services as declared

    return declared.update(_contacts(), actor=actor, pk=contact_id, version=version, **data)


def contact_delete(*, actor: Actor, contact_id: int, version: int | None = None) -> None:
    from gongsheng.declare import services as declared

    declared.delete(_contacts(), actor=actor, pk=contact_id, version=version)


# --- memberships ----------------------------------------------------------------------
def _event(
    membership: Membership, kind: str, on: dt.date, actor: Actor, frm: str = "", to: str = "",
    note: str = "",
) -> MembershipEvent:  # fmt: skip
    return MembershipEvent.objects.create(
        membership=membership,
        kind=kind,
        on=on,
        from_value=frm,
        to_value=to,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def _require_secretariat(actor: Actor, action: str, target: Any, **where: Any) -> None:
    """The membership policy decides (``add``, ``change`` or a lifecycle move)."""
    require(
        actor,
        action,
        target,
        message=_("Only the consortium's secretariat manages its memberships."),
        **where,
    )


#: the membership policy's move for each target status
STATUS_MOVES = {
    MembershipStatus.APPLIED: "reapply",
    MembershipStatus.ADMITTED: "admit",
    MembershipStatus.WITHDRAWN: "withdraw",
    MembershipStatus.EXPELLED: "expel",
}


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    consortium_id: int,
    unit_id: int,
    rank: str = "member",
    status: str = MembershipStatus.APPLIED,
    applied_on: dt.date | None = None,
    joined_on: dt.date | None = None,
    left_on: dt.date | None = None,
    note: str = "",
) -> Membership:
    _require_secretariat(actor, "add", Membership, consortium_id=consortium_id, owner_id=unit_id)
    today = timezone.localdate()
    membership = Membership(
        consortium_id=consortium_id,
        unit_id=unit_id,
        rank=rank,
        status=status,
        applied_on=applied_on or joined_on or today,
        joined_on=joined_on if status != MembershipStatus.APPLIED else None,
        left_on=left_on,
        note=note,
    )
    if status == MembershipStatus.ADMITTED:
        membership.joined_on = joined_on or today
        membership.approved_by = actor if getattr(actor, "pk", None) else None
        membership.approved_at = timezone.now()
    full_clean_or_raise(
        membership, message=_("The membership could not be saved."), exclude=["consortium", "unit"]
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationFailed(
            _("This unit is already a member of the consortium."),
            [FieldError("unit", _("already a member"))],
        ) from exc
    _event(membership, MembershipEventKind.APPLIED, membership.applied_on, actor, to=rank)
    if status in (MembershipStatus.ADMITTED, MembershipStatus.WITHDRAWN, MembershipStatus.EXPELLED):
        _event(membership, MembershipEventKind.ADMITTED, membership.joined_on or today, actor)
    if status in (MembershipStatus.WITHDRAWN, MembershipStatus.EXPELLED):
        _event(membership, status, left_on or today, actor)
    audit_record(
        actor=actor,
        event=EventType.MEMBERSHIP_APPLIED
        if status == MembershipStatus.APPLIED
        else EventType.MEMBERSHIP_ADMITTED,
        action=Action.CREATE,
        obj=membership,
        after=snapshot(membership),
        consortium_id=consortium_id,
        unit_id=unit_id,
    )
    _notify_membership(actor, membership)
    return membership


def _notify_membership(actor: Actor, m: Membership) -> None:
    people = notified.users(
        notified.secretariat(m.consortium_id), notified.unit_admins(m.consortium_id, [m.unit_id])
    )
    event = "membership.applied" if m.status == MembershipStatus.APPLIED else "membership.decided"
    notify(people, event, m, actor=actor)


_TRANSITION_EVENTS = {
    MembershipStatus.APPLIED: (MembershipEventKind.APPLIED, EventType.MEMBERSHIP_APPLIED),
    MembershipStatus.ADMITTED: (MembershipEventKind.ADMITTED, EventType.MEMBERSHIP_ADMITTED),
    MembershipStatus.WITHDRAWN: (MembershipEventKind.WITHDRAWN, EventType.MEMBERSHIP_WITHDRAWN),
    MembershipStatus.EXPELLED: (MembershipEventKind.EXPELLED, EventType.MEMBERSHIP_EXPELLED),
}


@transaction.atomic
def membership_transition(
    *,
    actor: Actor,
    membership_id: int,
    to_status: str,
    version: int | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> Membership:
    """Move a membership along its lifecycle: applied → admitted → withdrawn / expelled
    (and a former member may apply again)."""
    membership = _locked(actor, Membership.objects.all(), membership_id, "view")
    _require_secretariat(actor, STATUS_MOVES.get(to_status, "change"), membership)
    check_version(membership, version)
    allowed = MEMBERSHIP_TRANSITIONS.get(membership.status, frozenset())
    if to_status not in allowed:
        raise ValidationFailed(
            _("A membership that is %(now)s cannot become %(to)s.")
            % {
                "now": MembershipStatus(membership.status).label,
                "to": MembershipStatus(to_status).label
                if to_status in MembershipStatus.values
                else to_status,
            },
            [FieldError("status", _("not allowed from the current status"))],
        )
    on = on or timezone.localdate()
    before = snapshot(membership)
    fields = ["status"]
    membership.status = to_status
    if to_status == MembershipStatus.ADMITTED:
        membership.joined_on = on
        membership.left_on = None
        membership.approved_by = actor if getattr(actor, "pk", None) else None
        membership.approved_at = timezone.now()
        fields += ["joined_on", "left_on", "approved_by", "approved_at"]
    elif to_status in (MembershipStatus.WITHDRAWN, MembershipStatus.EXPELLED):
        if membership.joined_on and on < membership.joined_on:
            raise ValidationFailed(
                _("A member cannot leave before it joined."),
                [FieldError("on", _("before the joining date"))],
            )
        membership.left_on = on
        fields.append("left_on")
    elif to_status == MembershipStatus.APPLIED:
        membership.applied_on = on
        membership.joined_on = None
        membership.left_on = None
        fields += ["applied_on", "joined_on", "left_on"]
    save_versioned(membership, fields)
    kind, event = _TRANSITION_EVENTS[MembershipStatus(to_status)]
    _event(membership, kind, on, actor, frm=before["status"], to=to_status, note=note)
    audit_record(
        actor=actor,
        event=event,
        action=Action.UPDATE,
        obj=membership,
        before=before,
        after=snapshot(membership),
        consortium_id=membership.consortium_id,
        unit_id=membership.unit_id,
        message=note,
    )
    _notify_membership(actor, membership)
    return membership


@transaction.atomic
def membership_update(
    *, actor: Actor, membership_id: int, version: int | None, on: dt.date | None = None, **data: Any
) -> Membership:
    """Change a membership's rank or details; each change is a recorded event."""
    membership = _locked(actor, Membership.objects.all(), membership_id, "view")
    _require_secretariat(actor, "change", membership)
    check_version(membership, version)
    before = snapshot(membership)
    changes = apply_changes(membership, data, MEMBERSHIP_FIELDS)
    if not changes:
        return membership
    full_clean_or_raise(
        membership, message=_("The membership could not be saved."), exclude=["consortium", "unit"]
    )
    save_versioned(membership, list(changes))
    on = on or timezone.localdate()
    if "rank" in changes:
        old, new = changes["rank"]
        _event(membership, MembershipEventKind.RANK_CHANGED, on, actor, frm=old, to=new)
    details = [name for name in changes if name != "rank"]
    if details:
        _event(membership, MembershipEventKind.DETAILS_CHANGED, on, actor, note=", ".join(details))
    audit_record(
        actor=actor,
        event=EventType.MEMBERSHIP_CHANGED,
        action=Action.UPDATE,
        obj=membership,
        before=before,
        after=snapshot(membership),
        consortium_id=membership.consortium_id,
        unit_id=membership.unit_id,
    )
    return membership
