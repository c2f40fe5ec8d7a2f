"""Every write to benefit-distribution studies: one transaction each, audited, version-checked.

Coalition values are measured from the ledger when a study is created (or re-measured on
request), entered by people where the ledger has no history, and every value keeps its source
(docs/decisions/0705-coalition-values-from-the-ledger.md). Computing refuses while a required
value is missing and names the coalitions.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from itertools import combinations
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.consortia.models import Membership, Unit
from gongsheng.cooperation.models import Contract, Project
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import apply_changes, check_version, full_clean_or_raise
from gongsheng.distribution import compute as calc
from gongsheng.distribution import gather
from gongsheng.distribution.choices import (
    GameKind,
    Method,
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
from gongsheng.distribution.selectors import method_error

STUDY_FIELDS = {"title", "weight_method", "ahp_matrix", "samples", "seed"}
SHARE_PLACES = Decimal("0.0001")  # a contract party's share has four decimals


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


def _lock(actor: Actor, study_id: int) -> Study:
    qs = Study.objects.select_for_update()
    if is_system(actor):
        return qs.get(pk=study_id)
    return access_object(actor, qs, study_id, "change")


def _touch(actor: Actor, study: Study, fields: list[str]) -> None:
    """Save, bump the version and drop stale results (every input change invalidates them)."""
    study.version += 1
    study.results = None
    study.computed_at = None
    study.save(update_fields=[*fields, "version", "results", "computed_at", "updated_at"])


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
        total = _decimal(total, "total", errors)
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
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_STUDY_CREATED, action=Action.CREATE,
        obj=study, after=snapshot(study), consortium_id=consortium_id,
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
    study = _lock(actor, study_id)
    check_version(study, version)
    before = snapshot(study)
    if "ahp_matrix" in data and data["ahp_matrix"] is not None:
        data["ahp_matrix"] = _check_ahp(data["ahp_matrix"])
    changes = apply_changes(study, data, STUDY_FIELDS)
    if not changes:
        return study
    full_clean_or_raise(study, message=_("The study could not be saved."))
    _touch(actor, study, list(changes))
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_STUDY_CHANGED, action=Action.UPDATE,
        obj=study, before=before, after=snapshot(study), consortium_id=study.consortium_id,
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


def _decimal(raw: Any, field: str, errors: list[FieldError], row: int | None = None) -> Any:
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


@transaction.atomic
def player_factors_set(
    *, actor: Actor, study_id: int, version: int | None, factors: dict[int, dict[str, Any]]
) -> Study:
    """Enter risk, effort and bargaining power per player (``{position: {...}}``)."""
    study = _lock(actor, study_id)
    check_version(study, version)
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
            value = _decimal(values[name], name, errors, row=player.position + 1)
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
    _touch(actor, study, [])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_FACTORS_SET, action=Action.UPDATE, obj=study,
        after={p.label: {"risk": p.risk, "effort": p.effort, "power": p.power} for p in changed},
        consortium_id=study.consortium_id,
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
    study = _lock(actor, study_id)
    check_version(study, version)
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
        value = _decimal(raw, f"v_{mask}", errors)
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
    _touch(actor, study, [])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_VALUES_SET, action=Action.UPDATE, obj=study,
        before=before, after=after, consortium_id=study.consortium_id,
    )  # fmt: skip
    return study


@transaction.atomic
def study_remeasure(*, actor: Actor, study_id: int, version: int | None) -> Study:
    """Measure the coalition values and inputs from the ledger again (entered values stay)."""
    study = _lock(actor, study_id)
    check_version(study, version)
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
    _touch(actor, study, [])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_VALUES_SET, action=Action.UPDATE, obj=study,
        message="remeasured from the ledger", consortium_id=study.consortium_id,
    )  # fmt: skip
    return study


def game_input(study: Study) -> calc.GameInput:
    """The study as numbers; refuses while a required coalition value is missing."""
    players = list(study.players.all())
    labels = [p.label for p in players]
    coalitions = list(study.coalitions.all())
    missing = [c.mask for c in coalitions if c.value is None]
    if missing:
        names = [coalition_label(m, labels) for m in missing]
        shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
        raise ValidationFailed(
            _("%(n)s coalition values are missing: %(names)s. Enter them (or add ledger history) "
              "before computing.") % {"n": len(names), "names": shown},
            [FieldError(f"v_{m}", _("missing: %(c)s") % {"c": name})
             for m, name in zip(missing, names, strict=True)],
        )  # fmt: skip

    def num(x: Decimal | None) -> float | None:
        return None if x is None else float(x)

    return calc.GameInput(
        labels=labels,
        total=float(study.total),
        values={c.mask: float(c.value) for c in coalitions},  # type: ignore[arg-type]
        pairwise=study.game == GameKind.PAIRWISE,
        inputs=[float(p.input_value) for p in players],
        risk=[num(p.risk) for p in players],
        effort=[num(p.effort) for p in players],
        powers=[num(p.power) for p in players],
        weight_method=study.weight_method,
        ahp_matrix=study.ahp_matrix,
        samples=study.samples,
        seed=study.seed,
    )


@transaction.atomic
def study_compute(*, actor: Actor, study_id: int) -> Study:
    """Compute every method side by side and keep the results on the study."""
    study = _lock(actor, study_id)
    g = game_input(study)
    if study.total <= 0:
        raise ValidationFailed(
            _("The total to distribute must be positive."), [FieldError("total", _("≤ 0"))]
        )
    study.results = calc.compute(g)
    study.computed_at = timezone.now()
    study.save(update_fields=["results", "computed_at", "updated_at"])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_COMPUTED, action=Action.UPDATE, obj=study,
        after={k: v.get("shares") for k, v in study.results["methods"].items()},
        consortium_id=study.consortium_id,
    )  # fmt: skip
    return study


@transaction.atomic
def study_total_set(
    *, actor: Actor, study_id: int, version: int | None, total: Any, basis: str = ""
) -> Study:
    """Enter the total to distribute (it replaces the ledger's figure; v(N) follows)."""
    study = _lock(actor, study_id)
    check_version(study, version)
    errors: list[FieldError] = []
    value = _decimal(total, "total", errors)
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
    _touch(actor, study, ["total", "total_source", "total_basis"])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_STUDY_CHANGED, action=Action.UPDATE,
        obj=study, before=before, after=snapshot(study), consortium_id=study.consortium_id,
    )  # fmt: skip
    return study


def contract_shares(study: Study, method: str) -> dict[int, Decimal]:
    """unit id → share of the total under ``method``, four decimals summing to exactly 1
    (largest remainders). Players must be single units; shares must not be negative."""
    if not study.results:
        raise ValidationFailed(_("Compute the study first."))
    row = study.results["methods"].get(method)
    if row is None or "shares" not in row:
        reason = method_error(row) if row else _("unknown method")
        raise ValidationFailed(
            _("The method %(m)s has no result: %(r)s") % {"m": method, "r": reason},
            [FieldError("method", reason)],
        )
    players = list(study.players.prefetch_related("units"))
    errors = []
    for p, share in zip(players, row["shares"], strict=True):
        if len(p.units.all()) != 1:
            errors.append(FieldError("method", _("%(p)s is a group of units") % {"p": p.label}))
        if share < 0:
            errors.append(FieldError("method", _("%(p)s gets a negative share") % {"p": p.label}))
    if errors:
        raise ValidationFailed(_("These shares cannot be written into a contract."), errors)
    exact = [Decimal(str(s)) for s in row["shares"]]
    floors = [s.quantize(SHARE_PLACES, rounding=ROUND_FLOOR) for s in exact]
    left = int(((Decimal(1) - sum(floors)) / SHARE_PLACES).to_integral_value())
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] - floors[i]))
    for i in order[: max(left, 0)]:
        floors[i] += SHARE_PLACES
    return {p.units.all()[0].pk: s for p, s in zip(players, floors, strict=True)}


@transaction.atomic
def study_save_to_contract(
    *,
    actor: Actor,
    study_id: int,
    contract_id: int,
    method: str,
    contract_version: int | None,
) -> Study:
    """Write the chosen method's shares into the contract's benefit rule (a new contract
    version, noted with method, date and study id). The contract's parties must be exactly the
    study's players."""
    from gongsheng.cooperation.choices import BenefitMethod
    from gongsheng.cooperation.services import contract_update

    study = _lock(actor, study_id)
    if method not in Method.values:
        raise ValidationFailed(_("Unknown method."), [FieldError("method", _("unknown"))])
    contract = Contract.objects.filter(pk=contract_id, consortium_id=study.consortium_id).first()
    if contract is None or (study.project_id and contract.project_id != study.project_id):
        raise ValidationFailed(
            _("Choose a contract of the study's project."),
            [FieldError("contract", _("not a contract of this project"))],
        )
    shares = contract_shares(study, method)
    parties = list(contract.parties.order_by("id").values("unit_id", "role"))
    party_units = {p["unit_id"] for p in parties}
    if party_units != set(shares):
        names = dict(
            Unit.objects.filter(pk__in=party_units ^ set(shares)).values_list("pk", "name")
        )
        raise ValidationFailed(
            _("The contract's parties are not the study's players."),
            [FieldError("contract", _("not a party: %(u)s") % {"u": names.get(u, u)})
             for u in set(shares) - party_units]
            + [FieldError("contract", _("not a player: %(u)s") % {"u": names.get(u, u)})
               for u in party_units - set(shares)],
        )  # fmt: skip
    benefit = {
        Method.SHAPLEY: BenefitMethod.SHAPLEY,
        Method.MODIFIED: BenefitMethod.SHAPLEY,
        Method.NASH: BenefitMethod.NASH,
        Method.INPUT: BenefitMethod.BY_INPUT,
    }[method]
    today = timezone.localdate()
    note = _("benefit shares by %(m)s from distribution study %(id)s, %(d)s") % {
        "m": Method(method).label, "id": study.pk, "d": today.isoformat()}  # fmt: skip
    contract_update(
        actor=actor, contract_id=contract.pk, version=contract_version, note=str(note),
        benefit_method=str(benefit),
        parties=[{**p, "share": shares[p["unit_id"]]} for p in parties],
    )  # fmt: skip
    before = snapshot(study)
    study.contract = contract
    study.saved_method = method
    study.saved_at = timezone.now()
    study.save(update_fields=["contract", "saved_method", "saved_at", "updated_at"])
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_SAVED_TO_CONTRACT, action=Action.UPDATE,
        obj=study, before=before, after=snapshot(study), consortium_id=study.consortium_id,
        related=contract, message=str(note),
    )  # fmt: skip
    return study


@transaction.atomic
def study_delete(*, actor: Actor, study_id: int) -> None:
    study = (
        access_object(actor, Study.objects.select_for_update(), study_id, "delete")
        if not is_system(actor)
        else Study.objects.get(pk=study_id)
    )
    before = snapshot(study)
    audit_record(
        actor=actor, event=EventType.DISTRIBUTION_STUDY_DELETED, action=Action.DELETE, obj=study,
        before=before, consortium_id=study.consortium_id,
    )  # fmt: skip
    study.delete()
