"""The steps every write to a distribution study shares: lock, touch, audit, number inputs.

Also the coalitions a study stores (:func:`study_masks`) and their names (:func:`coalition_label`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import combinations
from typing import Any

from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.core.errors import FieldError
from gongsheng.core.services import check_version
from gongsheng.distribution.choices import GameKind
from gongsheng.distribution.models import Study


def coalition_label(mask: int, labels: list[str]) -> str:
    return "{" + ", ".join(labels[i] for i in range(len(labels)) if mask >> i & 1) + "}"


def study_masks(n: int, game: str) -> list[int]:
    """The coalitions a study stores: every one (full) or singletons and pairs (pairwise),
    always with the grand coalition (its value is the total)."""
    full = (1 << n) - 1
    if game == GameKind.FULL:
        return list(range(1, full + 1))
    masks = [1 << i for i in range(n)] + [(1 << i) | (1 << j) for i, j in combinations(range(n), 2)]
    return sorted(set(masks) | {full})


def lock(actor: Actor, study_id: int, action: str = "change") -> Study:
    """The study, locked for the write, if ``actor`` may do ``action`` on it."""
    qs = Study.objects.select_for_update()
    if is_system(actor):
        return qs.get(pk=study_id)
    return access_object(actor, qs, study_id, action)


def lock_current(actor: Actor, study_id: int, version: int | None) -> Study:
    """:func:`lock`, refusing when the study has changed since ``version`` was read."""
    study = lock(actor, study_id)
    check_version(study, version)
    return study


def touch(actor: Actor, study: Study, fields: list[str]) -> None:
    """Save, bump the version and drop stale results (every input change invalidates them)."""
    study.version += 1
    study.results = None
    study.computed_at = None
    study.save(update_fields=[*fields, "version", "results", "computed_at", "updated_at"])


def audit_study(
    actor: Actor, study: Study, event: EventType, action: Action = Action.UPDATE, **entry: Any
) -> None:
    """The audit entry of a write to ``study`` (``entry``: before, after, message, related)."""
    audit_record(
        actor=actor,
        event=event,
        action=action,
        obj=study,
        consortium_id=study.consortium_id,
        **entry,
    )


def parse_decimal(raw: Any, field: str, errors: list[FieldError], row: int | None = None) -> Any:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        errors.append(FieldError(field, _("not a number"), row=row))
        return None
    if not value.is_finite():
        errors.append(FieldError(field, _("not a number"), row=row))
        return None
    return value
