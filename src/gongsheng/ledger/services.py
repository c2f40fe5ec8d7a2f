"""Writes to the ledger: valuation, posting, reversing, and keeping a source's flows in step.

Operations (projects, bookings …) describe the flows they cause as :class:`Flow` records and call
:func:`flows_sync` inside their own transaction; it reverses what no longer holds and posts what
is new, so the ledger stays append-only and always agrees with its sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import check_saved, require
from gongsheng.audit.models import Action, AuditEntry, EventType
from gongsheng.audit.services import audit_bulk, audit_record, snapshot
from gongsheng.core.context import current_request_id
from gongsheng.core.errors import FieldError, NotFound, ValidationFailed
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
    return (Decimal(quantity) * rule.unit_value).quantize(CENT, rounding=ROUND_HALF_UP)


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
) -> LedgerEntry:
    errors = _check_party(giver, "giver") + _check_party(receiver, "receiver")
    if giver == receiver:
        errors.append(FieldError("receiver", _("the giver and the receiver are the same")))
    quantity = Decimal(quantity)
    if quantity <= 0:
        errors.append(FieldError("quantity", _("must be positive")))
    if errors:
        raise ValidationFailed(_("The ledger entry is not valid."), errors)
    cat = category_for(consortium_id, category)
    rule = rule_for(cat, consortium_id, date)
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
        value=value_of(quantity, rule),
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


@transaction.atomic
def entry_create(
    *,
    actor: Actor,
    consortium_id: int,
    date: dt.date,
    category: str,
    quantity: Decimal,
    giver: Party,
    receiver: Party,
    note: str = "",
    confidential: bool = False,
    reference: str = "",
) -> LedgerEntry:
    """Post a manual entry (marked as such). The secretariat posts for anyone; a unit admin
    only for flows its own unit gives or receives. ``reference`` (a voucher number, or the key
    of an imported row) is kept in ``source_key``, so a re-imported file is recognised."""
    require(
        actor,
        "add",
        LedgerEntry(
            consortium_id=consortium_id,
            giver_unit_id=giver.unit_id,
            receiver_unit_id=receiver.unit_id,
        ),
        message=_("You may post only flows your own unit gives or receives."),
    )
    entry = _build(
        actor=actor,
        consortium_id=consortium_id,
        date=date,
        category=category,
        quantity=quantity,
        giver=giver,
        receiver=receiver,
        note=note,
        manual=True,
        confidential=confidential,
        source=("", None, reference[:120]),
    )
    entry.save()
    if not is_system(actor):
        check_saved(actor, [entry], "view")
    audit_record(
        actor=actor,
        event=EventType.LEDGER_ENTRY_POSTED,
        action=Action.CREATE,
        obj=entry,
        after=snapshot(entry),
        consortium_id=consortium_id,
        unit_id=entry.giver_unit_id or entry.receiver_unit_id,
        confidential=confidential,
    )
    return entry


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
        rule_id=entry.rule_id,
        source_type=entry.source_type,
        source_id=entry.source_id,
        source_key=entry.source_key,
        manual=entry.manual,
        confidential=entry.confidential,
        reverses=entry,
        note=(note or _("reversal"))[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def entry_reverse(*, actor: Actor, entry_id: int, note: str = "") -> LedgerEntry:
    """Cancel an entry by posting its negative; the original stays as it was."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry_id)
    require(actor, "reverse", entry, message=_("Only the secretariat reverses ledger entries."))
    if entry.reverses_id is not None:
        raise ValidationFailed(_("A reversal cannot itself be reversed; post a new entry."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationFailed(_("This entry has already been reversed."))
    reversal = _reversal(entry, actor, note)
    reversal.save()
    audit_record(
        actor=actor,
        event=EventType.LEDGER_ENTRY_REVERSED,
        action=Action.CREATE,
        obj=reversal,
        after=snapshot(reversal),
        consortium_id=entry.consortium_id,
        unit_id=entry.giver_unit_id or entry.receiver_unit_id,
        confidential=entry.confidential,
        related=entry,
    )
    return reversal


@dataclass(frozen=True)
class SyncResult:
    posted: int
    reversed: int
    unchanged: int


def _same(entry: LedgerEntry, flow: Flow) -> bool:
    return (
        entry.date == flow.date
        and entry.category.code == flow.category
        and entry.quantity == Decimal(flow.quantity)
        and (entry.giver_kind, entry.giver_unit_id, entry.giver_pool)
        == (flow.giver.kind, flow.giver.unit_id, flow.giver.pool)
        and (entry.receiver_kind, entry.receiver_unit_id, entry.receiver_pool)
        == (flow.receiver.kind, flow.receiver.unit_id, flow.receiver.pool)
        and entry.confidential == flow.confidential
    )


def flows_sync(
    *,
    actor: Actor,
    consortium_id: int,
    source: Model,
    flows: Iterable[Flow],
) -> SyncResult:
    """Make the ledger's live entries from ``source`` equal ``flows``.

    Must run inside the caller's transaction (the operation that changed the source). Entries
    whose flow disappeared or changed are reversed; new or changed flows are posted. Valuation
    happens here, so a flow without a valuation rule fails the whole operation with a clear
    error. Audit entries are written in bulk, one per posted or reversed entry.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("flows_sync() must run inside the operation's transaction")
    label = source_label(source)
    flows = list(flows)
    keys = [f.key for f in flows]
    if len(keys) != len(set(keys)):
        raise ValueError("flow keys must be unique within a source")
    live = {
        e.source_key: e
        for e in LedgerEntry.objects.select_related("category")
        .filter(source_type=label, source_id=source.pk, reverses__isnull=True)
        .exclude(reversed_by__isnull=False)
    }
    to_post: list[LedgerEntry] = []
    to_reverse: list[LedgerEntry] = []
    unchanged = 0
    wanted = {f.key: f for f in flows}
    for key, entry in live.items():
        flow = wanted.get(key)
        if flow is None or not _same(entry, flow):
            to_reverse.append(entry)
    for flow in flows:
        entry = live.get(flow.key)
        if entry is not None and _same(entry, flow):
            unchanged += 1
            continue
        to_post.append(
            _build(
                actor=actor,
                consortium_id=consortium_id,
                date=flow.date,
                category=flow.category,
                quantity=flow.quantity,
                giver=flow.giver,
                receiver=flow.receiver,
                note=flow.note,
                manual=False,
                confidential=flow.confidential,
                source=(label, source.pk, flow.key),
            )
        )
    reversals = [_reversal(e, actor, _("source changed")) for e in to_reverse]
    # SQLite (3.35+) and PostgreSQL return the new ids, which the audit entries need
    created = LedgerEntry.objects.bulk_create([*reversals, *to_post], batch_size=500)
    audit_bulk(
        [
            _audit(
                actor,
                e,
                EventType.LEDGER_ENTRY_REVERSED if e.reverses_id else EventType.LEDGER_ENTRY_POSTED,
            )
            for e in created
        ]
    )
    return SyncResult(posted=len(to_post), reversed=len(to_reverse), unchanged=unchanged)


@transaction.atomic
def rule_create(
    *,
    actor: Actor,
    category_id: int,
    consortium_id: int | None,
    effective_from: dt.date,
    unit_value: Decimal,
    basis: str = "",
) -> ValuationRule:
    """A new dated price for a category (platform-wide when ``consortium_id`` is None)."""
    require(
        actor,
        "add",
        ValuationRule,
        consortium_id=consortium_id,
        message=_("Only the secretariat sets its consortium's valuation rules."),
    )
    if Decimal(unit_value) < 0:
        raise ValidationFailed(
            _("A value per unit cannot be negative."), [FieldError("unit_value", _("negative"))]
        )
    last = (
        ValuationRule.objects.filter(category_id=category_id, consortium_id=consortium_id)
        .order_by("-version")
        .first()
    )
    if ValuationRule.objects.filter(
        category_id=category_id, consortium_id=consortium_id, effective_from=effective_from
    ).exists():
        raise ValidationFailed(
            _("A rule for this category already starts on that date."),
            [FieldError("effective_from", _("taken"))],
        )
    rule = ValuationRule.objects.create(
        category_id=category_id,
        consortium_id=consortium_id,
        effective_from=effective_from,
        unit_value=Decimal(unit_value),
        version=(last.version + 1) if last else 1,
        basis=basis,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        event=EventType.VALUATION_RULE_CREATED,
        action=Action.CREATE,
        obj=rule,
        after=snapshot(rule),
        consortium_id=consortium_id,
    )
    return rule


# --- corrections ----------------------------------------------------------------------------
@transaction.atomic
def entry_correct(
    *,
    actor: Actor,
    entry_id: int,
    date: dt.date | None = None,
    category: str | None = None,
    quantity: Decimal | None = None,
    giver: Party | None = None,
    receiver: Party | None = None,
    note: str = "",
) -> tuple[LedgerEntry, LedgerEntry]:
    """Correct a manual entry: reverse it and post the corrected one (the secretariat only).

    Entries from a source (a project, a booking …) are corrected by changing the source."""
    entry = LedgerEntry.objects.select_related("category").get(pk=entry_id)
    if not entry.manual:
        raise ValidationFailed(
            _("This entry comes from %(source)s; change the source instead.")
            % {"source": entry.source_type or "?"}
        )
    reversal = entry_reverse(actor=actor, entry_id=entry_id, note=_("corrected"))
    new = entry_create(
        actor=actor,
        consortium_id=entry.consortium_id,
        date=date or entry.date,
        category=category or entry.category.code,
        quantity=quantity if quantity is not None else entry.quantity,
        giver=giver or Party(entry.giver_kind, unit_id=entry.giver_unit_id, pool=entry.giver_pool),
        receiver=receiver
        or Party(entry.receiver_kind, unit_id=entry.receiver_unit_id, pool=entry.receiver_pool),
        note=note or entry.note,
        confidential=entry.confidential,
        reference=entry.source_key,
    )
    audit_record(
        actor=actor,
        event=EventType.LEDGER_ENTRY_CORRECTED,
        action=Action.CREATE,
        obj=new,
        related=entry,
        consortium_id=entry.consortium_id,
        unit_id=new.giver_unit_id or new.receiver_unit_id,
        confidential=new.confidential,
        message=f"entry {entry.pk} corrected by reversal {reversal.pk} and entry {new.pk}",
    )
    return reversal, new


# --- categories -----------------------------------------------------------------------------
def _require_secretariat(actor: Actor, target: Any, consortium_id: int | None) -> None:
    """The category's policy decides (``add`` on the model, ``change`` on the record)."""
    action = "add" if isinstance(target, type) else "change"
    where = {"consortium_id": consortium_id} if isinstance(target, type) else {}
    require(
        actor,
        action,
        target,
        **where,
        message=_("Only the platform administrator changes platform categories.")
        if consortium_id is None
        else _("Only the secretariat manages its consortium's ledger categories."),
    )


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    consortium_id: int | None,
    code: str,
    name: str,
    quantity_unit: str,
    name_en: str = "",
) -> Category:
    """A consortium's own category (or a platform-wide one, for the platform admin)."""
    from django.utils.text import slugify

    _require_secretariat(actor, Category, consortium_id)
    code = slugify(code).replace("-", "_")
    errors = []
    if not code:
        errors.append(FieldError("code", _("letters, digits and underscores")))
    if not name.strip():
        errors.append(FieldError("name", _("must not be empty")))
    if not quantity_unit.strip():
        errors.append(FieldError("quantity_unit", _("must not be empty")))
    if (
        code
        and Category.objects.filter(
            Q(consortium_id=consortium_id) | Q(consortium__isnull=True), code=code
        ).exists()
    ):
        errors.append(FieldError("code", _("taken")))
    if errors:
        raise ValidationFailed(_("The category is not valid."), errors)
    category = Category.objects.create(
        consortium_id=consortium_id,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        quantity_unit=quantity_unit.strip(),
    )
    audit_record(
        actor=actor,
        event=EventType.CATEGORY_CREATED,
        action=Action.CREATE,
        obj=category,
        after=snapshot(category),
        consortium_id=consortium_id,
    )
    return category


@transaction.atomic
def category_update(
    *,
    actor: Actor,
    category_id: int,
    version: int | None,
    **changes: Any,
) -> Category:
    """Rename a category or (de)activate it (``is_active``); codes never change, since
    operations name categories by code. Deactivated categories take no new entries."""
    from gongsheng.core.services import apply_changes, check_version

    category = Category.objects.select_for_update().get(pk=category_id)
    _require_secretariat(actor, category, category.consortium_id)
    check_version(category, version)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed(
            _("The category is not valid."), [FieldError("name", _("must not be empty"))]
        )
    before = snapshot(category)
    diff = apply_changes(category, changes, {"name", "name_en", "quantity_unit", "is_active"})
    if diff:
        category.version += 1
        category.save(update_fields=[*diff, "version"])
        audit_record(
            actor=actor,
            event=EventType.CATEGORY_CHANGED,
            action=Action.UPDATE,
            obj=category,
            before=before,
            after=snapshot(category),
            consortium_id=category.consortium_id,
        )
    return category


# --- evidence -------------------------------------------------------------------------------
#: kept for ``environment.PublicPolicy``'s evidence file until it moves onto attachments
#: (the ledger's own evidence uses ``gongsheng.attachments.checks``)
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
}


def check_evidence(name: str, data: bytes) -> str:
    """The file's extension after checking its type (by content) and size."""
    from django.conf import settings

    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationFailed(
            _("%(name)s: evidence must be a PDF, image, Word, Excel or OFD file.") % {"name": name},
            [FieldError("file", _("type not accepted"))],
        )
    if not data:
        raise ValidationFailed(
            _("%(name)s is empty.") % {"name": name}, [FieldError("file", _("empty"))]
        )
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationFailed(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1)},
            [FieldError("file", _("too large"))],
        )
    if not any(data.startswith(magic) for magic in EVIDENCE_TYPES[ext]):
        raise ValidationFailed(
            _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext},
            [FieldError("file", _("content does not match its name"))],
        )
    return ext


def evidence_add(*, actor: Any, entry_id: int, name: str, data: Any) -> Any:
    """Attach an evidence file (佐证材料) to an entry: an ``attachments.Attachment`` with
    purpose ``evidence`` (checked by content, size and name; audited as ATTACHMENT_ADDED).
    Whoever may post the entry may attach evidence to it: the secretariat, or a unit admin of
    a party (the entry policy's ``attach`` move). ``data`` is bytes or an uploaded file."""
    from gongsheng.attachments.services import attachment_add

    entry = LedgerEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    require(
        actor,
        "attach",
        entry,
        message=_("You may add evidence only to your own unit's entries."),
    )
    return attachment_add(actor=actor, record=entry, file=data, name=name, purpose="evidence")
