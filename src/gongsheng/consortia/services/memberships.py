"""Every write to memberships: apply, admit, refuse, withdraw, expel, apply again, and the
changes of rank and details; each a recorded event, an audit entry and a notification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.consortia.choices import (
    MEMBERSHIP_TRANSITIONS,
    MembershipEventKind,
    MembershipStatus,
)
from gongsheng.consortia.models import Membership, MembershipEvent
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify

MEMBERSHIP_FIELDS = {"rank", "applied_on", "joined_on", "left_on", "note"}

#: checks a decision on an application must pass before it is written, each
#: ``check(actor=, membership=, to_status=)`` raising ``ValidationFailed`` to stop it. The hook
#: for admission by a resolution where the charter asks for one (the Governance issue: not yet
#: built; nothing is registered today, so the secretariat decides alone).
DECISION_CHECKS: list[Callable[..., None]] = []


def _locked(actor: Actor, pk: int) -> Membership:
    """The membership, locked for the rest of the transaction, if the actor may see it."""
    queryset = Membership.objects.select_for_update()
    if is_system(actor):
        return queryset.get(pk=pk)
    return access_object(actor, queryset, pk, "view")


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
    MembershipStatus.REFUSED: "refuse",
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
    if status != MembershipStatus.APPLIED:  # anything but an application is a decision
        _require_secretariat(
            actor, "admit", Membership, consortium_id=consortium_id, owner_id=unit_id
        )
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
    if status == MembershipStatus.REFUSED:
        _event(membership, status, today, actor, note=note)
    record_written(
        actor, membership, _CREATE_EVENTS.get(status, EventType.MEMBERSHIP_ADMITTED),
        consortium_id=consortium_id, unit_id=unit_id,
    )  # fmt: skip
    _notify_membership(actor, membership)
    return membership


def _notify_membership(actor: Actor, m: Membership) -> None:
    people = notified.users(
        notified.secretariat(m.consortium_id), notified.unit_admins(m.consortium_id, [m.unit_id])
    )
    event = "membership.applied" if m.status == MembershipStatus.APPLIED else "membership.decided"
    notify(people, event, m, actor=actor)


_CREATE_EVENTS = {
    MembershipStatus.APPLIED: EventType.MEMBERSHIP_APPLIED,
    MembershipStatus.REFUSED: EventType.MEMBERSHIP_REFUSED,
}
_TRANSITION_EVENTS = {
    MembershipStatus.APPLIED: (MembershipEventKind.APPLIED, EventType.MEMBERSHIP_APPLIED),
    MembershipStatus.ADMITTED: (MembershipEventKind.ADMITTED, EventType.MEMBERSHIP_ADMITTED),
    MembershipStatus.WITHDRAWN: (MembershipEventKind.WITHDRAWN, EventType.MEMBERSHIP_WITHDRAWN),
    MembershipStatus.EXPELLED: (MembershipEventKind.EXPELLED, EventType.MEMBERSHIP_EXPELLED),
    MembershipStatus.REFUSED: (MembershipEventKind.REFUSED, EventType.MEMBERSHIP_REFUSED),
}


def _label(status: str) -> str:
    return str(MembershipStatus(status).label) if status in MembershipStatus.values else status


def _check_move(membership: Membership, to_status: str, note: str) -> None:
    """The lifecycle allows the move; a refusal says why. A refused move names the current
    status and the ones it may become."""
    allowed = MEMBERSHIP_TRANSITIONS.get(membership.status, frozenset())
    if to_status not in allowed:
        allowed_labels = "、".join(_label(s) for s in MembershipStatus.values if s in allowed)
        raise ValidationFailed(
            _("A membership that is %(now)s cannot become %(to)s; it can become: %(allowed)s.")
            % {
                "now": _label(membership.status),
                "to": _label(to_status),
                "allowed": allowed_labels,
            },
            [
                FieldError(
                    "status",
                    _("is %(now)s, which can become: %(allowed)s")
                    % {"now": _label(membership.status), "allowed": allowed_labels},
                )
            ],
        )
    if to_status == MembershipStatus.REFUSED and not note.strip():
        raise ValidationFailed(
            _("Say why the application is refused."), [FieldError("note", _("give the reason"))]
        )


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
    """Move a membership along its lifecycle: applied → admitted (or refused, with the
    reason in ``note``) → withdrawn / expelled (and a former or refused applicant may apply
    again)."""
    membership = _locked(actor, membership_id)
    _require_secretariat(actor, STATUS_MOVES.get(to_status, "change"), membership)
    check_version(membership, version)
    _check_move(membership, to_status, note)
    if membership.status == MembershipStatus.APPLIED:  # a decision on an application
        for check in DECISION_CHECKS:
            check(actor=actor, membership=membership, to_status=to_status)
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
    record_written(
        actor, membership, event, before=before, unit_id=membership.unit_id, message=note
    )
    _notify_membership(actor, membership)
    return membership


@transaction.atomic
def membership_update(
    *, actor: Actor, membership_id: int, version: int | None, on: dt.date | None = None, **data: Any
) -> Membership:
    """Change a membership's rank or details; each change is a recorded event."""
    membership = _locked(actor, membership_id)
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
    record_written(
        actor, membership, EventType.MEMBERSHIP_CHANGED, before=before, unit_id=membership.unit_id
    )
    return membership


def membership_apply(
    *, actor: Actor, consortium_id: int, unit_id: int | None = None, credit_code: str = "",
    **data: Any,
) -> Membership:  # fmt: skip
    """Apply for membership (or, with the right to admit, record one): the unit named by its id
    or, on the page, by its credit code, the platform-wide key (as the import names it)."""
    if unit_id is None:
        from gongsheng.consortia.credit_code import normalise
        from gongsheng.consortia.models import Unit

        found = Unit.objects.filter(credit_code=normalise(credit_code)).values_list("pk", flat=True)
        if not found:
            raise ValidationFailed(
                _("No unit has this credit code; register the unit first."),
                [FieldError("credit_code", _("no unit has this credit code"))],
            )
        unit_id = found[0]
    return membership_create(actor=actor, consortium_id=consortium_id, unit_id=unit_id, **data)


def _move(to_status: str, doc: str) -> Callable[..., Membership]:
    def move(
        *, actor: Actor, membership_id: int, version: int | None = None,
        on: dt.date | None = None, note: str = "",
    ) -> Membership:  # fmt: skip
        return membership_transition(
            actor=actor, membership_id=membership_id, to_status=to_status, version=version,
            on=on, note=note,
        )  # fmt: skip

    move.__name__ = move.__qualname__ = f"membership_{STATUS_MOVES[to_status]}"
    move.__doc__ = doc
    return move


#: the lifecycle's named moves (the declaration's ``Move``s, pages and ``POST
#: /memberships/{id}/<move>``), each :func:`membership_transition` to one status
membership_admit = _move(MembershipStatus.ADMITTED, "Admit an applicant (the secretariat).")
membership_refuse = _move(MembershipStatus.REFUSED, "Refuse an application, saying why.")
membership_withdraw = _move(MembershipStatus.WITHDRAWN, "A member or applicant withdraws.")
membership_expel = _move(MembershipStatus.EXPELLED, "Expel a member, saying why.")
membership_reapply = _move(MembershipStatus.APPLIED, "A former or refused applicant applies again.")
