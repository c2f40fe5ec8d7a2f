"""A study's results: every method computed side by side, and written into a contract.

Computing refuses while a required coalition value is missing and names the coalitions.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import EventType
from gongsheng.audit.services import snapshot
from gongsheng.consortia.models import Unit
from gongsheng.cooperation.models import Contract
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.distribution import compute as calc
from gongsheng.distribution.choices import (
    GameKind,
    Method,
)
from gongsheng.distribution.models import (
    Study,
)
from gongsheng.distribution.selectors import method_error
from gongsheng.distribution.services.writes import (
    audit_study,
    coalition_label,
    lock,
)

SHARE_PLACES = Decimal("0.0001")  # a contract party's share has four decimals


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
    study = lock(actor, study_id)
    g = game_input(study)
    if study.total <= 0:
        raise ValidationFailed(
            _("The total to distribute must be positive."), [FieldError("total", _("≤ 0"))]
        )
    study.results = calc.compute(g)
    study.computed_at = timezone.now()
    study.save(update_fields=["results", "computed_at", "updated_at"])
    audit_study(
        actor, study, EventType.DISTRIBUTION_COMPUTED,
        after={k: v.get("shares") for k, v in study.results["methods"].items()},
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

    study = lock(actor, study_id)
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
    audit_study(
        actor, study, EventType.DISTRIBUTION_SAVED_TO_CONTRACT, before=before,
        after=snapshot(study), related=contract, message=str(note),
    )  # fmt: skip
    return study
