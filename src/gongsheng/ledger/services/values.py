"""The parts of a ledger posting: parties, flows, categories, valuation rules, new entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Model, Q
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.audit.models import Action, AuditEntry, EventType
from gongsheng.audit.services import snapshot
from gongsheng.core.context import current_request_id
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import Category, LedgerEntry, ValuationRule, academic_year_of

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Party:
    """A giver or receiver: a unit, a pool (e.g. ``"project:12"``) or outside."""

    kind: str
    unit_id: int | None = None
    pool: str = ""

    @classmethod
    def unit(cls, unit_id: int) -> Party:
        return cls(PartyKind.UNIT, unit_id=unit_id)

    @classmethod
    def of_pool(cls, pool: str) -> Party:
        return cls(PartyKind.POOL, pool=pool)

    @classmethod
    def outside(cls) -> Party:
        return cls(PartyKind.OUTSIDE)


@dataclass(frozen=True)
class Flow:
    """One flow a source causes. ``key`` names it within its source (stable across edits)."""

    key: str
    date: dt.date
    category: str  # category code
    quantity: Decimal
    giver: Party
    receiver: Party
    note: str = ""
    confidential: bool = False
    #: a cost stated by the operation instead of the rule's (public value: 0, its costs are
    #: already the producer's recorded inputs); None: the category's cost rule
    cost: Decimal | None = None
    cost_reason: str = ""


def source_label(obj: Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def category_for(consortium_id: int, code: str) -> Category:
    """The consortium's own category with this code, else the platform-wide one."""
    found = list(
        Category.objects.filter(
            Q(consortium_id=consortium_id) | Q(consortium__isnull=True), code=code
        )
    )
    own = [c for c in found if c.consortium_id == consortium_id]
    pick = own[0] if own else next((c for c in found if c.consortium_id is None), None)
    if pick is None or not pick.is_active:
        raise ValidationFailed(
            _("There is no ledger category %(code)s.") % {"code": code},
            [FieldError("category", _("unknown category"))],
        )
    return pick


def rule_for(category: Category, consortium_id: int, on: dt.date) -> ValuationRule:
    """The valuation rule in force on ``on``: the consortium's own, else the platform's."""
    rules = list(
        ValuationRule.objects.filter(
            Q(consortium_id=consortium_id) | Q(consortium__isnull=True),
            category=category,
            effective_from__lte=on,
        ).order_by("-effective_from", "-id")
    )
    own = [r for r in rules if r.consortium_id == consortium_id]
    pick = own[0] if own else next((r for r in rules if r.consortium_id is None), None)
    if pick is None:
        raise ValidationFailed(
            _("No valuation rule values %(category)s on %(date)s; add one first.")
            % {"category": category.name, "date": on.isoformat()},
            [FieldError("category", _("no valuation rule for this date"))],
        )
    return pick


def value_of(quantity: Decimal, rule: ValuationRule) -> Decimal:
    """The value to the receiver of ``quantity`` under ``rule``, to the cent (half up)."""
    return (Decimal(quantity) * rule.unit_value).quantize(CENT, rounding=ROUND_HALF_UP)


def cost_of(quantity: Decimal, value: Decimal, rule: ValuationRule) -> Decimal:
    """The cost to the giver: ``quantity`` × the rule's cost per unit, or ``value`` × its
    cost share, or ``value`` where the rule has neither (MODELS.md)."""
    if rule.cost_unit_value is not None:
        return (Decimal(quantity) * rule.cost_unit_value).quantize(CENT, rounding=ROUND_HALF_UP)
    if rule.cost_share is not None:
        return (Decimal(value) * rule.cost_share).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(value)


def _check_party(party: Party, role: str) -> list[FieldError]:
    if party.kind == PartyKind.UNIT and not party.unit_id:
        return [FieldError(role, _("a unit must be named"))]
    if party.kind == PartyKind.POOL and not party.pool:
        return [FieldError(role, _("a pool must be named"))]
    if party.kind not in PartyKind.values:
        return [FieldError(role, _("unknown kind of party"))]
    return []


def _build(
    *,
    actor: Actor,
    consortium_id: int,
    date: dt.date,
    category: str,
    quantity: Decimal,
    giver: Party,
    receiver: Party,
    note: str = "",
    manual: bool,
    confidential: bool = False,
    source: tuple[str, int | None, str] = ("", None, ""),
    value: Decimal | None = None,
    cost: Decimal | None = None,
    stated_reason: str = "",
) -> LedgerEntry:
    """A new (unsaved) entry valued by the category's rule on ``date``; ``value`` or ``cost``
    given here are stated by hand and need ``stated_reason``."""
    errors = _check_party(giver, "giver") + _check_party(receiver, "receiver")
    if giver == receiver:
        errors.append(FieldError("receiver", _("the giver and the receiver are the same")))
    quantity = Decimal(quantity)
    if quantity <= 0:
        errors.append(FieldError("quantity", _("must be positive")))
    for name, amount in (("value", value), ("cost", cost)):
        if amount is not None and Decimal(amount) < 0:
            errors.append(FieldError(name, _("must not be negative")))
    if (value is not None or cost is not None) and not stated_reason.strip():
        errors.append(FieldError("stated_reason", _("say why the amount differs from the rule")))
    if errors:
        raise ValidationFailed(_("The ledger entry is not valid."), errors)
    cat = category_for(consortium_id, category)
    rule = rule_for(cat, consortium_id, date)
    amount = (
        value_of(quantity, rule)
        if value is None
        else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    )
    giver_cost = (
        cost_of(quantity, amount, rule)
        if cost is None
        else Decimal(cost).quantize(CENT, rounding=ROUND_HALF_UP)
    )
    return LedgerEntry(
        consortium_id=consortium_id,
        date=date,
        year=date.year,
        academic_year=academic_year_of(date),
        giver_kind=giver.kind,
        giver_unit_id=giver.unit_id,
        giver_pool=giver.pool,
        receiver_kind=receiver.kind,
        receiver_unit_id=receiver.unit_id,
        receiver_pool=receiver.pool,
        category=cat,
        quantity=quantity,
        value=amount,
        cost=giver_cost,
        value_stated=value is not None,
        cost_stated=cost is not None,
        stated_reason=stated_reason.strip()[:300],
        rule=rule,
        source_type=source[0],
        source_id=source[1],
        source_key=source[2],
        manual=manual,
        confidential=confidential,
        note=note[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _audit(actor: Actor, entry: LedgerEntry, event: EventType) -> AuditEntry:
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        request_id=current_request_id(),
        event_type=int(event),
        action=Action.CREATE,
        content_type=ContentType.objects.get_for_model(LedgerEntry),
        object_id=entry.pk,
        object_repr=str(entry)[:300],
        consortium_id=entry.consortium_id,
        unit_id=entry.giver_unit_id or entry.receiver_unit_id,
        confidential=entry.confidential,
        after=snapshot(entry),
    )


def _reversal(entry: LedgerEntry, actor: Actor, note: str) -> LedgerEntry:
    return LedgerEntry(
        consortium_id=entry.consortium_id,
        date=entry.date,
        year=entry.year,
        academic_year=entry.academic_year,
        giver_kind=entry.giver_kind,
        giver_unit_id=entry.giver_unit_id,
        giver_pool=entry.giver_pool,
        receiver_kind=entry.receiver_kind,
        receiver_unit_id=entry.receiver_unit_id,
        receiver_pool=entry.receiver_pool,
        category_id=entry.category_id,
        quantity=-entry.quantity,
        value=-entry.value,
        cost=-entry.cost,
        value_stated=entry.value_stated,
        cost_stated=entry.cost_stated,
        stated_reason=entry.stated_reason,
        rule_id=entry.rule_id,
        source_type=entry.source_type,
        source_id=entry.source_id,
        source_key=entry.source_key,
        manual=entry.manual,
        confidential=entry.confidential,
        reverses=entry,
        pending=entry.pending,  # counted exactly when the entry it reverses is
        note=(note or _("reversal"))[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
