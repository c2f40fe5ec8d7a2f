"""A distribution study and what it measures: create, change, re-measure, set the total, delete.

Coalition values are measured from the ledger when a study is created (or re-measured on
request); every value keeps its source (docs/decisions/0705-coalition-values-from-the-ledger.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import snapshot
from gongsheng.consortia.models import Membership, Unit
from gongsheng.cooperation.models import Project
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import apply_changes, full_clean_or_raise
from gongsheng.distribution import compute as calc
from gongsheng.distribution import gather
from gongsheng.distribution.choices import (
    GameKind,
    StudyScope,
    TotalSource,
    ValueSource,
    WeightMethod,
)
from gongsheng.distribution.models import (
    MAX_FULL_PLAYERS,
    MAX_PAIRWISE_PLAYERS,
    CoalitionValue,
    Player,
    Study,
)
from gongsheng.distribution.services.writes import (
    audit_study,
    lock,
    lock_current,
    parse_decimal,
    study_masks,
    touch,
)

STUDY_FIELDS = {"title", "weight_method", "ahp_matrix", "samples", "seed"}


def _players_of(
    consortium_id: int, project: Project | None, players: list[dict[str, Any]] | None
) -> list[tuple[str, list[int]]]:
    if players is None:
        if project is None:
            raise ValidationFailed(
                _("Choose the players."), [FieldError("players", _("at least two players"))]
            )
        rows = list(
            project.participants.select_related("unit")
            .order_by("id")
            .values_list("unit_id", "unit__short_name", "unit__name")
        )
        return [(short or name, [uid]) for uid, short, name in rows]
    out: list[tuple[str, list[int]]] = []
    errors: list[FieldError] = []
    seen: set[int] = set()
    admitted = set(
        Membership.objects.filter(consortium_id=consortium_id, status="admitted").values_list(
            "unit_id", flat=True
        )
    )
    names = dict(Unit.objects.filter(pk__in=admitted).values_list("pk", "name"))
    for row, p in enumerate(players, start=1):
        units = [int(u) for u in p.get("unit_ids") or []]
        if not units:
            errors.append(FieldError("players", _("a player needs at least one unit"), row=row))
        for u in units:
            if u not in admitted:
                errors.append(
                    FieldError(
                        "players", _("unit %(u)s is not an admitted member") % {"u": u}, row=row
                    )
                )
            if u in seen:
                errors.append(FieldError("players", _("a unit is in two players"), row=row))
            seen.add(u)
        label = (p.get("label") or "").strip() or " + ".join(names.get(u, str(u)) for u in units)
        out.append((label[:200], units))
    if errors:
        raise ValidationFailed(_("The players are not valid."), errors)
    return out


@transaction.atomic
def study_create(
    *,
    actor: Actor,
    consortium_id: int,
    scope: str,
    title: str,
    project_id: int | None = None,
    players: list[dict[str, Any]] | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    history_from: dt.date | None = None,
    game: str | None = None,
    total: Decimal | str | None = None,
    weight_method: str = WeightMethod.EQUAL,
    is_demo: bool = False,
) -> Study:
    """Create a study with its players, measure the coalition values, inputs and (unless
    ``total`` is entered) the total from the ledger; values the ledger cannot give are missing."""
    errors: list[FieldError] = []
    if scope not in StudyScope.values:
        raise ValidationFailed(_("Unknown scope."), [FieldError("scope", _("unknown"))])
    project = None
    qs = gather.entries(consortium_id)
    pool = None
    if scope == StudyScope.PROJECT:
        project = Project.objects.filter(pk=project_id, consortium_id=consortium_id).first()
        if project is None:
            raise ValidationFailed(
                _("Choose a project of this consortium."),
                [FieldError("project", _("not a project of this consortium"))],
            )
        pool = gather.project_pool(project.pk)
        first, last = gather.pool_dates(qs, pool)
        period_from = period_from or project.starts_on or first
        period_to = period_to or project.ends_on or last
    elif project_id is not None:
        errors.append(FieldError("project", _("a consortium study has no project")))
    if period_from is None:
        errors.append(FieldError("period_from", _("required")))
    if period_to is None:
        errors.append(FieldError("period_to", _("required")))
    if period_from and period_to and period_to < period_from:
        errors.append(FieldError("period_to", _("before the start of the period")))
    if total is not None and total != "":
        total = parse_decimal(total, "total", errors)
        if total is not None and total <= 0:
            errors.append(FieldError("total", _("must be positive")))
    else:
        total = None
    if errors:
        raise ValidationFailed(_("The study could not be created."), errors)
    assert period_from is not None and period_to is not None
    chosen = _players_of(consortium_id, project, players)
    n = len(chosen)
    if n < 2:
        raise ValidationFailed(
            _("A study needs at least two players."), [FieldError("players", _("at least two"))]
        )
    game = game or (GameKind.FULL if n <= MAX_FULL_PLAYERS else GameKind.PAIRWISE)
    limit = MAX_FULL_PLAYERS if game == GameKind.FULL else MAX_PAIRWISE_PLAYERS
    if game not in GameKind.values:
        raise ValidationFailed(_("Unknown game."), [FieldError("game", _("unknown"))])
    if n > limit:
        raise ValidationFailed(
            _("Too many players: %(n)s; this game allows at most %(max)s.")
            % {"n": n, "max": limit},
            [FieldError("players", _("at most %(max)s") % {"max": limit})],
        )
    unit_sets = [set(units) for _label, units in chosen]
    if total is not None:
        total = total.quantize(Decimal("0.01"))  # type: ignore[union-attr]
        total_source, basis = TotalSource.ENTERED, ""
    elif pool is not None:
        total = gather.pool_total(qs, pool, period_from, period_to)
        total_source = TotalSource.LEDGER
        basis = _("outputs of pool %(pool)s in the period") % {"pool": pool}
    else:
        total, pools = gather.consortium_total(
            qs, players=unit_sets, period_from=period_from, period_to=period_to
        )
        total_source = TotalSource.LEDGER
        basis = _("outputs in the period of %(n)s pools of the players") % {"n": len(pools)}
    study = Study(
        consortium_id=consortium_id, scope=scope, project=project, title=title,
        period_from=period_from, period_to=period_to, history_from=history_from, game=game,
        total=total, total_source=total_source, total_basis=basis[:300],
        weight_method=weight_method, is_demo=is_demo,
    )  # fmt: skip
    full_clean_or_raise(study, message=_("The study could not be created."))
    study.save()
    inputs = gather.player_inputs(
        qs, players=unit_sets, period_from=period_from, period_to=period_to, pool=pool
    )
    for pos, ((label, units), value) in enumerate(zip(chosen, inputs, strict=True)):
        player = Player.objects.create(study=study, position=pos, label=label, input_value=value)
        player.units.set(units)
    _measure(study, unit_sets, keep_entered=False)
    if not is_system(actor):
        check_saved(actor, [study], "add")
    audit_study(
        actor, study, EventType.DISTRIBUTION_STUDY_CREATED, Action.CREATE, after=snapshot(study),
    )  # fmt: skip
    return study


def _measure(study: Study, unit_sets: list[set[int]], *, keep_entered: bool) -> None:
    """(Re)write the coalition values from the ledger; entered values stay when asked."""
    n = len(unit_sets)
    masks = study_masks(n, study.game)
    full = (1 << n) - 1
    exclude = {gather.project_pool(study.project_id)} if study.project_id else set()
    measured = gather.coalition_values(
        gather.entries(study.consortium_id), players=unit_sets, period_from=study.period_from,
        period_to=study.period_to, history_from=study.history_from, exclude_pools=exclude,
        wanted=set(masks),
    )  # fmt: skip
    existing = {c.mask: c for c in study.coalitions.all()} if keep_entered else {}
    rows = []
    for mask in masks:
        old = existing.get(mask)
        if old is not None and old.source == ValueSource.ENTERED:
            continue
        if mask == full:
            row = CoalitionValue(study=study, mask=mask, size=n, value=study.total,
                                 source=ValueSource.TOTAL, basis=study.total_basis)  # fmt: skip
        elif mask in measured.values:
            m = measured.values[mask]
            row = CoalitionValue(
                study=study, mask=mask, size=mask.bit_count(), value=m.value,
                source=ValueSource.LEDGER, pools=m.pools,
                basis=_("%(raw)s CNY over the history × %(scale)s") % {
                    "raw": m.raw, "scale": measured.scale.quantize(Decimal("0.0001"))},
            )  # fmt: skip
        else:
            row = CoalitionValue(study=study, mask=mask, size=mask.bit_count(), value=None,
                                 source=ValueSource.MISSING)  # fmt: skip
        rows.append(row)
    if existing:
        CoalitionValue.objects.filter(study=study, mask__in=[r.mask for r in rows]).delete()
    CoalitionValue.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def study_update(*, actor: Actor, study_id: int, version: int | None, **data: Any) -> Study:
    """Change the title, the factor weights (method, AHP matrix) or the Monte Carlo settings."""
    study = lock_current(actor, study_id, version)
    before = snapshot(study)
    if "ahp_matrix" in data and data["ahp_matrix"] is not None:
        data["ahp_matrix"] = _check_ahp(data["ahp_matrix"])
    changes = apply_changes(study, data, STUDY_FIELDS)
    if not changes:
        return study
    full_clean_or_raise(study, message=_("The study could not be saved."))
    touch(actor, study, list(changes))
    audit_study(
        actor, study, EventType.DISTRIBUTION_STUDY_CHANGED, before=before, after=snapshot(study),
    )  # fmt: skip
    return study


def _check_ahp(matrix: Any) -> list[list[float]]:
    from gongsheng.analytics.evaluation import ahp

    try:
        rows = [[float(x) for x in row] for row in matrix]
        ahp(rows)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            _("The AHP matrix is not valid."), [FieldError("ahp_matrix", str(exc))]
        ) from exc
    if len(rows) != len(calc.FACTORS):
        raise ValidationFailed(
            _("The AHP matrix is not valid."),
            [FieldError("ahp_matrix", _("3 × 3: risk, input, effort"))],
        )
    return rows


@transaction.atomic
def study_remeasure(*, actor: Actor, study_id: int, version: int | None) -> Study:
    """Measure the coalition values and inputs from the ledger again (entered values stay)."""
    study = lock_current(actor, study_id, version)
    players = list(study.players.prefetch_related("units"))
    unit_sets = [{u.pk for u in p.units.all()} for p in players]
    pool = gather.project_pool(study.project_id) if study.project_id else None
    inputs = gather.player_inputs(
        gather.entries(study.consortium_id), players=unit_sets, period_from=study.period_from,
        period_to=study.period_to, pool=pool,
    )  # fmt: skip
    for p, value in zip(players, inputs, strict=True):
        p.input_value = value
    Player.objects.bulk_update(players, ["input_value"])
    _measure(study, unit_sets, keep_entered=True)
    touch(actor, study, [])
    audit_study(
        actor, study, EventType.DISTRIBUTION_VALUES_SET, message="remeasured from the ledger",
    )  # fmt: skip
    return study


@transaction.atomic
def study_total_set(
    *, actor: Actor, study_id: int, version: int | None, total: Any, basis: str = ""
) -> Study:
    """Enter the total to distribute (it replaces the ledger's figure; v(N) follows)."""
    study = lock_current(actor, study_id, version)
    errors: list[FieldError] = []
    value = parse_decimal(total, "total", errors)
    if value is None and not errors:
        errors.append(FieldError("total", _("required")))
    if value is not None and value <= 0:
        errors.append(FieldError("total", _("must be positive")))
    if errors:
        raise ValidationFailed(_("The total is not valid."), errors)
    before = snapshot(study)
    study.total = value.quantize(Decimal("0.01"))  # type: ignore[union-attr]
    study.total_source = TotalSource.ENTERED
    study.total_basis = basis[:300]
    full = (1 << study.players.count()) - 1
    CoalitionValue.objects.filter(study=study, mask=full).update(
        value=study.total, basis=study.total_basis
    )
    touch(actor, study, ["total", "total_source", "total_basis"])
    audit_study(
        actor, study, EventType.DISTRIBUTION_STUDY_CHANGED, before=before, after=snapshot(study),
    )  # fmt: skip
    return study


@transaction.atomic
def study_delete(*, actor: Actor, study_id: int) -> None:
    study = lock(actor, study_id, "delete")
    audit_study(
        actor, study, EventType.DISTRIBUTION_STUDY_DELETED, Action.DELETE, before=snapshot(study),
    )  # fmt: skip
    study.delete()
