"""What people enter into a study where the ledger has no answer: player factors, coalition values.

Each entered value is marked entered, by whom and when; an empty one returns to missing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import EventType
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.distribution.choices import (
    ValueSource,
)
from gongsheng.distribution.models import (
    CoalitionValue,
    Player,
    Study,
)
from gongsheng.distribution.services.writes import (
    audit_study,
    coalition_label,
    lock_current,
    parse_decimal,
    touch,
)


@transaction.atomic
def player_factors_set(
    *, actor: Actor, study_id: int, version: int | None, factors: dict[int, dict[str, Any]]
) -> Study:
    """Enter risk, effort and bargaining power per player (``{position: {...}}``)."""
    study = lock_current(actor, study_id, version)
    players = {p.position: p for p in study.players.all()}
    errors: list[FieldError] = []
    changed: list[Player] = []
    for pos, values in factors.items():
        player = players.get(int(pos))
        if player is None:
            errors.append(FieldError("players", _("no player %(p)s") % {"p": pos}))
            continue
        dirty = False
        for name in ("risk", "effort", "power"):
            if name not in values:
                continue
            value = parse_decimal(values[name], name, errors, row=player.position + 1)
            if value is not None and (value < 0 or (name == "power" and value == 0)):
                errors.append(
                    FieldError(
                        name,
                        _("must be positive") if name == "power" else _("must not be negative"),
                        row=player.position + 1,
                    )
                )
            if getattr(player, name) != value:
                setattr(player, name, value)
                dirty = True
        if dirty:
            changed.append(player)
    if errors:
        raise ValidationFailed(_("The factors are not valid."), errors)
    if not changed:
        return study
    Player.objects.bulk_update(changed, ["risk", "effort", "power"])
    touch(actor, study, [])
    audit_study(
        actor, study, EventType.DISTRIBUTION_FACTORS_SET,
        after={p.label: {"risk": p.risk, "effort": p.effort, "power": p.power} for p in changed},
    )  # fmt: skip
    return study


@transaction.atomic
def coalition_values_set(
    *, actor: Actor, study_id: int, version: int | None, values: dict[int, Any]
) -> Study:
    """Enter v(S) for coalitions (``{mask: value}``); each is marked entered, by whom and when.

    An empty value returns the coalition to missing. The grand coalition's value is the total
    and cannot be entered here.
    """
    study = lock_current(actor, study_id, version)
    rows = {c.mask: c for c in study.coalitions.all()}
    labels = list(study.players.values_list("label", flat=True))
    full = (1 << len(labels)) - 1
    errors: list[FieldError] = []
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    changed: list[CoalitionValue] = []
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for raw_mask, raw in values.items():
        mask = int(raw_mask)
        row = rows.get(mask)
        if row is None:
            errors.append(FieldError(f"v_{mask}", _("no such coalition in this study")))
            continue
        name = coalition_label(mask, labels)
        if mask == full:
            errors.append(FieldError(f"v_{mask}", _("the grand coalition's value is the total")))
            continue
        value = parse_decimal(raw, f"v_{mask}", errors)
        if value is not None:
            value = value.quantize(Decimal("0.01"))
        if value is None and (raw is None or raw == ""):
            if row.source == ValueSource.ENTERED:
                before[name] = str(row.value)
                after[name] = None
                row.value, row.source, row.entered_by, row.entered_at = (
                    None, ValueSource.MISSING, None, None)  # fmt: skip
                changed.append(row)
            continue
        if value is None or (row.source == ValueSource.ENTERED and row.value == value):
            continue
        before[name] = None if row.value is None else str(row.value)
        after[name] = str(value)
        row.value, row.source, row.entered_by, row.entered_at = (
            value, ValueSource.ENTERED, user, now)  # fmt: skip
        row.pools = []
        row.basis = ""
        changed.append(row)
    if errors:
        raise ValidationFailed(_("Some coalition values are not valid."), errors)
    if not changed:
        return study
    CoalitionValue.objects.bulk_update(
        changed, ["value", "source", "entered_by", "entered_at", "pools", "basis"]
    )
    touch(actor, study, [])
    audit_study(actor, study, EventType.DISTRIBUTION_VALUES_SET, before=before, after=after)
    return study
