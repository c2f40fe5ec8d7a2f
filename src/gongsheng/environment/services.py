"""Writes to the policy register: create, change, withdraw, delete, attach the evidence file.

Create, change and delete are the declared services (``gongsheng.declare.services`` over
``declarations.PolicyDeclaration``, which holds the checks); withdraw (a lifecycle move) and
the evidence file are explicit. Every service checks the input (a field error per bad field,
nothing written), takes the version the editor read (``Conflict`` when the row moved on),
writes one audit entry in the
same transaction and re-checks that the saved row is still within the actor's reach.
``actor=SYSTEM`` is the system (demo loader).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import check_version, save_versioned
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for
from gongsheng.environment.declarations import PolicyDeclaration, normalise_groups
from gongsheng.environment.models import PublicPolicy

DECLARED = declaration_for(PublicPolicy)
__all__ = [
    "normalise_groups",
    "policy_create",
    "policy_delete",
    "policy_evidence_set",
    "policy_update",
    "policy_withdraw",
]  # fmt: skip

#: what people set on a policy (the declaration's fields)
POLICY_FIELDS = set(PolicyDeclaration.fields)


def _snap(policy: PublicPolicy) -> dict[str, Any]:
    return DECLARED.snapshot(policy)


def _lock(actor: Actor, policy_id: int, action: str) -> PublicPolicy:
    return declared.lock(DECLARED, actor, policy_id, action)


def policy_create(
    *, actor: Actor, consortium_id: int, target_unit_ids: list[int] | None = None, **data: Any
) -> PublicPolicy:
    """Record a policy for a consortium (version 1)."""
    return declared.create(
        DECLARED, actor=actor, consortium_id=consortium_id, target_unit_ids=target_unit_ids,
        **data,
    )  # fmt: skip


def policy_update(
    *, actor: Actor, policy_id: int, version: int | None, **data: Any
) -> PublicPolicy:
    """Change a policy; a stale ``version`` is refused. ``target_unit_ids=None`` keeps them."""
    return declared.update(DECLARED, actor=actor, pk=policy_id, version=version, **data)


def policy_delete(*, actor: Actor, policy_id: int, version: int | None = None) -> None:
    """Delete a policy recorded by mistake (its evidence files go too, audited)."""
    declared.delete(DECLARED, actor=actor, pk=policy_id, version=version)


def policy_withdraw(
    *, actor: Actor, policy_id: int, version: int | None, on: dt.date, reason: str = ""
) -> PublicPolicy:
    """Mark a policy withdrawn (废止) from ``on``: it stays in the register, no longer in force.
    The move ``withdraw`` of the declaration (``can(user, "withdraw", policy)``)."""

    def change(policy: PublicPolicy) -> list[str]:
        if on is None:
            raise ValidationFailed(
                _("Give the date the policy is withdrawn."),
                [FieldError("withdrawn_on", _("required"))],
            )
        if policy.withdrawn_on is not None:
            raise ValidationFailed(
                _("The policy was already withdrawn on %(d)s.") % {"d": policy.withdrawn_on},
                [FieldError("withdrawn_on", _("already withdrawn"))],
            )
        policy.withdrawn_on = on
        if not reason.strip():
            return ["withdrawn_on"]
        policy.notes = (policy.notes + "\n" if policy.notes else "") + _(
            "Withdrawn on %(d)s: %(r)s"
        ) % {"d": on.isoformat(), "r": reason.strip()}
        return ["withdrawn_on", "notes"]

    return declared.perform(
        DECLARED, "withdraw", actor=actor, pk=policy_id, version=version, change=change,
        message=reason,
    )  # fmt: skip


@transaction.atomic
def policy_evidence_set(
    *, actor: Actor, policy_id: int, name: str, data: bytes, version: int | None = None
) -> PublicPolicy:
    """Attach (or replace) the policy's document: an ``attachments.Attachment`` with purpose
    ``evidence`` (checked by type, content, size and name), the earlier evidence taken off
    (kept, as every removed attachment). Bumps the policy's version (the API's ETag) and
    writes ``PUBLIC_POLICY_EVIDENCE_SET`` beside the attachments' own entries."""
    from gongsheng.attachments.models import Attachment
    from gongsheng.attachments.services import attachment_add, attachment_remove

    policy = _lock(actor, policy_id, "change")
    check_version(policy, version)
    before = _snap(policy)
    earlier = list(
        Attachment.objects.filter(
            content_type__app_label="environment", content_type__model="publicpolicy",
            object_id=policy.pk, purpose="evidence", removed_at__isnull=True,
        ).values_list("pk", flat=True)
    )  # fmt: skip
    plain = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]  # a browser's or client's path goes
    added = attachment_add(actor=actor, record=policy, file=data, name=plain, purpose="evidence")
    for pk in earlier:
        attachment_remove(actor=actor, attachment_id=pk, reason="replaced by a new document")
    save_versioned(policy, [])
    record_written(
        actor, policy, EventType.PUBLIC_POLICY_EVIDENCE_SET, before=before, after=_snap(policy),
        message=f"evidence {added.name} (attachment {added.pk})",
    )  # fmt: skip
    return policy
