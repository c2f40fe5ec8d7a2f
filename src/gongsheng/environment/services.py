"""Writes to the policy register: create, change, withdraw, delete, attach the evidence file.

Every service checks the input (a field error per bad field, nothing written), takes the
version the editor read (``Conflict`` when the row moved on), writes one audit entry in the
same transaction and re-checks that the saved row is still within the actor's reach.
``actor=SYSTEM`` is the system (demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.core.errors import FieldError, ValidationFailed, from_django_validation
from gongsheng.core.services import apply_changes, check_version, save_versioned
from gongsheng.environment.choices import (
    QUANTITY_BASES,
    AmountBasis,
    Classification,
    TargetGroup,
)
from gongsheng.environment.models import PublicPolicy

POLICY_FIELDS = {
    "title", "number", "issuer", "level", "kind", "instrument", "target_groups", "issued_on",
    "effective_from", "effective_to", "withdrawn_on", "amount", "amount_basis", "quantity",
    "classification", "classification_reason", "notes",
}  # fmt: skip


def _snap(policy: PublicPolicy, unit_ids: Iterable[int] | None = None) -> dict[str, Any]:
    data = snapshot(policy)
    data["evidence"] = policy.evidence.name or ""
    if unit_ids is None:
        unit_ids = policy.target_units.values_list("pk", flat=True) if policy.pk else []
    data["target_units"] = sorted(unit_ids)
    return data


def normalise_groups(value: Any) -> str:
    """``["school", "enterprise"]`` or ``"school, enterprise"`` -> ``"school,enterprise"`` (in the
    order of :class:`TargetGroup`); raises ``ValidationFailed`` naming an unknown group."""
    if value is None:
        return ""
    items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value)
    names = {str(v).strip() for v in items if str(v).strip()}
    unknown = names - set(TargetGroup.values)
    if unknown:
        raise ValidationFailed(
            _("Unknown target group: %(g)s.") % {"g": ", ".join(sorted(unknown))},
            [
                FieldError(
                    "target_groups",
                    _("“%(g)s” is not one of: %(allowed)s")
                    % {"g": ", ".join(sorted(unknown)), "allowed": ", ".join(TargetGroup.values)},
                )
            ],
        )
    return ",".join(g for g in TargetGroup.values if g in names)


def _check(policy: PublicPolicy, unit_ids: list[int] | None) -> None:
    """The field checks and the rules across fields (what the form and the importer cannot see
    alone), every bad field in one ``ValidationFailed``."""
    errors: list[FieldError] = []
    try:
        policy.full_clean(exclude=["consortium"], validate_constraints=False)
    except ValidationError as exc:
        errors.extend(from_django_validation(exc))
    n_units = len(unit_ids) if unit_ids is not None else policy.target_units.count()
    if not policy.target_groups and n_units == 0:
        errors.append(FieldError("target_groups", _("name a target group or a target unit")))
    start, end = policy.effective_from, policy.effective_to
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors.append(FieldError("effective_to", _("earlier than the date it takes effect")))
    if isinstance(policy.amount, Decimal) and policy.amount < 0:
        errors.append(FieldError("amount", _("must not be negative")))
    if (
        policy.amount_basis == AmountBasis.PERCENTAGE
        and isinstance(policy.amount, Decimal)
        and policy.amount > 100
    ):
        errors.append(FieldError("amount", _("a percentage is at most 100")))
    if isinstance(policy.quantity, Decimal) and policy.quantity < 0:
        errors.append(FieldError("quantity", _("must not be negative")))
    if policy.quantity is not None and policy.amount_basis not in QUANTITY_BASES:
        errors.append(
            FieldError(
                "quantity",
                _("only per-unit, per-student, per-project or percentage amounts take one"),
            )
        )
    reason = (policy.classification_reason or "").strip()
    if policy.classification != Classification.NEUTRAL and not reason:
        errors.append(
            FieldError("classification_reason", _("say why the policy is positive or negative"))
        )
    if errors:
        raise ValidationFailed(_("The policy could not be saved."), errors)


def _check_units(consortium_id: int, unit_ids: list[int]) -> list[int]:
    from gongsheng.consortia.models import Membership

    ids = sorted({int(u) for u in unit_ids})
    members = set(
        Membership.objects.filter(consortium_id=consortium_id, unit_id__in=ids).values_list(
            "unit_id", flat=True
        )
    )
    missing = [u for u in ids if u not in members]
    if missing:
        raise ValidationFailed(
            _("Target units must be members of the consortium."),
            [
                FieldError(
                    "target_units",
                    _("not a member unit of this consortium: %(ids)s")
                    % {"ids": ", ".join(map(str, missing))},
                )
            ],
        )
    return ids


def _prepare(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if "target_groups" in data:
        data["target_groups"] = normalise_groups(data["target_groups"])
    for name in ("amount", "quantity"):
        if data.get(name) in ("", None):
            if name in data:
                data[name] = None
            continue
        try:
            data[name] = Decimal(str(data[name]))
        except ArithmeticError as exc:
            raise ValidationFailed(
                _("The policy could not be saved."), [FieldError(name, _("not a number"))]
            ) from exc
        if not data[name].is_finite():
            raise ValidationFailed(
                _("The policy could not be saved."), [FieldError(name, _("not a number"))]
            )
    for name in ("number", "classification_reason", "notes"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _lock(actor: Actor, policy_id: int, action: str) -> PublicPolicy:
    qs = PublicPolicy.objects.select_for_update(of=("self",))
    if is_system(actor):
        return qs.get(pk=policy_id)
    return access_object(actor, qs, policy_id, action)


@transaction.atomic
def policy_create(
    *, actor: Actor, consortium_id: int, target_unit_ids: list[int] | None = None, **data: Any
) -> PublicPolicy:
    """Record a policy for a consortium (version 1)."""
    is_demo = bool(data.pop("is_demo", False))
    policy = PublicPolicy(consortium_id=consortium_id, is_demo=is_demo)
    apply_changes(policy, _prepare(data), POLICY_FIELDS)
    unit_ids = _check_units(consortium_id, target_unit_ids or [])
    _check(policy, unit_ids)
    policy.save()
    if unit_ids:
        policy.target_units.set(unit_ids)
    if not is_system(actor):
        check_saved(actor, [policy], "add")
    audit_record(
        actor=actor, event=EventType.PUBLIC_POLICY_CREATED, action=Action.CREATE, obj=policy,
        after=_snap(policy, unit_ids), consortium_id=consortium_id,
    )  # fmt: skip
    return policy


@transaction.atomic
def policy_update(
    *,
    actor: Actor,
    policy_id: int,
    version: int | None,
    target_unit_ids: list[int] | None = None,
    **data: Any,
) -> PublicPolicy:
    """Change a policy; a stale ``version`` is refused. ``target_unit_ids=None`` keeps them."""
    policy = _lock(actor, policy_id, "change")
    check_version(policy, version)
    before = _snap(policy)
    changes = apply_changes(policy, _prepare(data), POLICY_FIELDS)
    unit_ids = None
    units_changed = False
    if target_unit_ids is not None:
        unit_ids = _check_units(policy.consortium_id, target_unit_ids)
        units_changed = unit_ids != before["target_units"]
    if not changes and not units_changed:
        return policy
    _check(policy, unit_ids)
    if units_changed:
        policy.target_units.set(unit_ids or [])
    save_versioned(policy, list(changes))
    if not is_system(actor):
        check_saved(actor, [policy], "change")
    audit_record(
        actor=actor, event=EventType.PUBLIC_POLICY_CHANGED, action=Action.UPDATE, obj=policy,
        before=before, after=_snap(policy), consortium_id=policy.consortium_id,
    )  # fmt: skip
    return policy


@transaction.atomic
def policy_withdraw(
    *, actor: Actor, policy_id: int, version: int | None, on: dt.date, reason: str = ""
) -> PublicPolicy:
    """Mark a policy withdrawn (废止) from ``on``: it stays in the register, no longer in force."""
    policy = _lock(actor, policy_id, "change")
    check_version(policy, version)
    if on is None:
        raise ValidationFailed(
            _("Give the date the policy is withdrawn."), [FieldError("withdrawn_on", _("required"))]
        )
    if policy.withdrawn_on is not None:
        raise ValidationFailed(
            _("The policy was already withdrawn on %(d)s.") % {"d": policy.withdrawn_on},
            [FieldError("withdrawn_on", _("already withdrawn"))],
        )
    before = _snap(policy)
    policy.withdrawn_on = on
    fields = ["withdrawn_on"]
    if reason.strip():
        policy.notes = (policy.notes + "\n" if policy.notes else "") + _(
            "Withdrawn on %(d)s: %(r)s"
        ) % {"d": on.isoformat(), "r": reason.strip()}
        fields.append("notes")
    save_versioned(policy, fields)
    audit_record(
        actor=actor, event=EventType.PUBLIC_POLICY_WITHDRAWN, action=Action.UPDATE, obj=policy,
        before=before, after=_snap(policy), consortium_id=policy.consortium_id,
        message=reason[:500],
    )  # fmt: skip
    return policy


@transaction.atomic
def policy_delete(*, actor: Actor, policy_id: int, version: int | None = None) -> None:
    """Delete a policy recorded by mistake (its evidence file goes too)."""
    policy = _lock(actor, policy_id, "delete")
    check_version(policy, version)
    before = _snap(policy)
    audit_record(
        actor=actor, event=EventType.PUBLIC_POLICY_DELETED, action=Action.DELETE, obj=policy,
        before=before, consortium_id=policy.consortium_id,
    )  # fmt: skip
    name = policy.evidence.name
    storage = policy.evidence.storage
    policy.target_units.clear()
    policy.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def policy_evidence_set(
    *, actor: Actor, policy_id: int, name: str, data: bytes, version: int | None = None
) -> PublicPolicy:
    """Attach (or replace) the policy's evidence file: the document itself, checked by type,
    content and size as ledger evidence is (``ledger.services.check_evidence``)."""
    from django.core.files.base import ContentFile

    from gongsheng.ledger.services import check_evidence

    policy = _lock(actor, policy_id, "change")
    check_version(policy, version)
    ext = check_evidence(name, data)
    before = _snap(policy)
    old = policy.evidence.name
    policy.evidence_name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:150]
    policy.evidence.save(f"policy-{policy.pk}{ext}", ContentFile(data), save=False)
    save_versioned(policy, ["evidence", "evidence_name"])
    audit_record(
        actor=actor, event=EventType.PUBLIC_POLICY_EVIDENCE_SET, action=Action.UPDATE,
        obj=policy, before=before, after=_snap(policy), consortium_id=policy.consortium_id,
    )  # fmt: skip
    if old and old != policy.evidence.name:
        storage = policy.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))
    return policy
