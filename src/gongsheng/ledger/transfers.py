"""Import and export of ledger entries (registered with the generic transfer app), and the
export of summaries.

Entries are never updated, so an import only ever *creates* manual entries. Each row carries a
reference (a voucher number, 凭证号) as its natural key; the reference is kept on the entry
(``source_key``). Exported rows carry their reference, or ``#<id>`` for entries posted without
one and for every row whose reference is not its own alone — a reversal (negative quantity),
the entry it reversed and the correction share their voucher number — so re-importing an
export (or the same file twice) finds every row already there and creates nothing. A row
whose reference exists with different values is refused: the entry has to be reversed (or
corrected) on its page, not overwritten by a spreadsheet (decision 0301).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.models import Membership
from gongsheng.ledger import selectors, services
from gongsheng.ledger.choices import PartyKind
from gongsheng.ledger.models import Category, LedgerEntry
from gongsheng.ledger.services import Party
from gongsheng.transfer.resources import (
    CellError,
    Column,
    Resource,
    RowContext,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_text,
    register,
)

_OUTSIDE = {"outside", "外部", "联合体外"}


def parse_party(value: Any) -> tuple[str, str]:
    """A credit code (a unit), ``pool:…`` / ``project:…`` (a pool) or ``outside`` (外部)."""
    text = parse_text(value)
    if not text:
        return ("", "")
    if text.casefold() in _OUTSIDE:
        return (PartyKind.OUTSIDE, "")
    if text.startswith("pool:"):
        return (PartyKind.POOL, text.removeprefix("pool:"))
    if ":" in text:
        return (PartyKind.POOL, text)
    code = normalise(text)
    if len(code) != 18:
        raise CellError(
            _("“%(v)s” is neither a credit code, a pool (project:12) nor “outside”.") % {"v": text}
        )
    return (PartyKind.UNIT, code)


def _party_cell(entry: LedgerEntry, side: str) -> str:
    kind = getattr(entry, f"{side}_kind")
    if kind == PartyKind.UNIT:
        return getattr(entry, f"{side}_unit").credit_code
    if kind == PartyKind.POOL:
        pool = getattr(entry, f"{side}_pool")
        return pool if ":" in pool else f"pool:{pool}"
    return "outside"


def _party_name(entry: LedgerEntry, side: str) -> str:
    unit = getattr(entry, f"{side}_unit")
    if unit:
        return unit.name
    return getattr(entry, f"{side}_pool_label") if getattr(entry, f"{side}_pool") else ""


def reference_of(entry: LedgerEntry) -> str:
    """The row's key: the voucher number of a standing manual entry that alone holds it, else
    ``#<id>`` (a reversal, a reversed entry, an entry without a number or sharing one)."""
    own = (
        entry.manual
        and entry.source_key
        and entry.reverses_id is None
        and not getattr(entry, "is_reversed", False)
        and not getattr(entry, "reference_shared", False)
    )
    return entry.source_key if own else f"#{entry.pk}"


def _number(key: Any) -> int | None:
    """The entry id of a ``#<id>`` key."""
    text = str(key)
    return int(text[1:]) if text.startswith("#") and text[1:].isdigit() else None


@register
class LedgerEntryResource(Resource):
    """Manual ledger entries of one consortium; rows create entries, never change them."""

    name = "ledger_entries"
    label = gettext_lazy("Ledger entries")
    key = "reference"
    needs_consortium = True
    columns = [
        Column("reference", gettext_lazy("Reference"), required=True, export=reference_of,
               help=gettext_lazy("voucher number; a row whose reference exists is skipped")),
        Column("date", gettext_lazy("Date"), required=True, parse=parse_date),
        Column("giver", gettext_lazy("Giver"), required=True, parse=parse_party,
               export=lambda e: _party_cell(e, "giver"),
               help=gettext_lazy("credit code, project:12 or outside")),
        Column("giver_name", gettext_lazy("Giver name"), export=lambda e: _party_name(e, "giver"),
               help=gettext_lazy("for reading only")),
        Column("receiver", gettext_lazy("Receiver"), required=True, parse=parse_party,
               export=lambda e: _party_cell(e, "receiver")),
        Column("receiver_name", gettext_lazy("Receiver name"),
               export=lambda e: _party_name(e, "receiver"), help=gettext_lazy("for reading only")),
        Column("category", gettext_lazy("Category"), required=True,
               export=lambda e: e.category.code, help=gettext_lazy("code or name")),
        Column("quantity", gettext_lazy("Quantity"), required=True, parse=parse_decimal),
        Column("quantity_unit", gettext_lazy("Unit of quantity"),
               export=lambda e: e.category.quantity_unit, help=gettext_lazy("for reading only")),
        Column("value", gettext_lazy("Value (CNY)"), parse=parse_decimal,
               help=gettext_lazy("for reading only: the valuation rule decides")),
        Column("note", gettext_lazy("Note")),
        Column("confidential", gettext_lazy("Confidential"), parse=parse_bool),
    ]  # fmt: skip

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        others = self._standing(LedgerEntry.objects.filter(manual=True)).filter(
            consortium_id=OuterRef("consortium_id"), source_key=OuterRef("source_key")
        )
        return selectors.entry_list(
            user=user,
            consortium_id=context.consortium_id,
            filters=selectors.LedgerFilter(manual=True),
        ).annotate(reference_shared=Exists(others.exclude(pk=OuterRef("pk"))))

    @staticmethod
    def _standing(qs: QuerySet) -> QuerySet:
        """Entries neither reversing nor reversed."""
        return qs.filter(reverses__isnull=True, reversed_by__isnull=True)

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        """``#<id>`` keys find any entry of the consortium (reversals too), voucher numbers
        the standing manual entry holding them."""
        keys = [str(k) for k in keys]
        ids = {n for n in map(_number, keys) if n is not None}
        refs = [k for k in keys if _number(k) is None]
        entries = LedgerEntry.objects.filter(consortium_id=context.consortium_id).select_related(
            "category", "giver_unit", "receiver_unit"
        )
        found: dict[Any, Model] = {}
        for e in self._standing(entries.filter(manual=True, source_key__in=refs)):
            found[e.source_key] = e
        for e in entries.filter(pk__in=ids):
            found[f"#{e.pk}"] = e
        return found

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        # rows are never applied to existing entries; seeing them is enough to skip them
        qs = LedgerEntry.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "view").values_list("pk", flat=True))

    def _units(self, context: RowContext) -> dict[str, int]:
        if "units" not in context.extra:
            context.extra["units"] = dict(
                Membership.objects.filter(consortium_id=context.consortium_id).values_list(
                    "unit__credit_code", "unit_id"
                )
            )
        return context.extra["units"]

    def _category(self, text: str, context: RowContext) -> Category | None:
        """As the ledger reads a category (``category_for``): the consortium's own before the
        platform's — a code may be held by both — and a code before a name (names are not
        unique)."""
        if "categories" not in context.extra:
            context.extra["categories"] = sorted(
                Category.objects.filter(
                    Q(consortium_id=context.consortium_id) | Q(consortium__isnull=True),
                    is_active=True,
                ),
                key=lambda c: c.consortium_id is None,  # own first
            )
        folded = text.casefold()
        categories = context.extra["categories"]
        return next((c for c in categories if c.code.casefold() == folded), None) or next(
            (c for c in categories if folded in (c.name.casefold(), c.name_en.casefold())), None
        )

    def _party(self, parsed: tuple[str, str], context: RowContext) -> Party | None:
        kind, ref = parsed
        if kind == PartyKind.UNIT:
            unit_id = self._units(context).get(ref)
            return Party.unit(unit_id) if unit_id else None
        if kind == PartyKind.POOL:
            return Party.of_pool(ref)
        if kind == PartyKind.OUTSIDE:
            return Party.outside()
        return None

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        parties = {}
        for side in ("giver", "receiver"):
            if side in values:
                party = self._party(values[side], context)
                if party is None:
                    problems.append((side, _("no member unit of this consortium has this code")))
                parties[side] = party
        category = (
            self._category(values.get("category", ""), context) if "category" in values else None
        )
        if "category" in values and category is None:
            problems.append(("category", _("no active category has this code or name")))
        if existing is None and _number(values.get("reference")) is not None:
            problems.append(("reference", _("no entry of this consortium has this number; give "
                                            "a new entry a reference of its own")))  # fmt: skip
        quantity = values.get("quantity")
        if existing is None and quantity is not None and quantity <= 0:
            problems.append(("quantity", _("must be positive")))
        values["_parties"] = parties
        values["_category"] = category
        if existing is not None and not problems:
            e: Any = existing
            same = (
                e.date == values.get("date")
                and e.category_id == (category.pk if category else None)
                and e.quantity == Decimal(values.get("quantity") or 0)
                and (e.giver_kind, e.giver_unit_id, e.giver_pool) == astuple(parties.get("giver"))
                and (e.receiver_kind, e.receiver_unit_id, e.receiver_pool)
                == astuple(parties.get("receiver"))
            )
            if not same:
                problems.append(
                    (
                        "reference",
                        _(
                            "an entry with this reference exists with other values; entries "
                            "are never overwritten: reverse or correct it on its page, or use "
                            "a new reference"
                        ),
                    )
                )
        return problems

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.entry_create(
            actor=context.actor,
            consortium_id=context.consortium_id,
            date=values["date"],
            category=values["_category"].code,
            quantity=values["quantity"],
            giver=values["_parties"]["giver"],
            receiver=values["_parties"]["receiver"],
            note=values.get("note", ""),
            confidential=bool(values.get("confidential")),
            reference=str(values["reference"]),
        )

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        return False  # the same entry is already there (check_row refused any difference)


def astuple(party: Party | None) -> tuple[Any, Any, Any]:
    if party is None:
        return (None, None, None)
    return (party.kind, party.unit_id, party.pool)


def _cell(value: Any) -> Any:
    """A number, or "—" where a small group was suppressed (decision 0804)."""
    return "—" if value is None else float(value)


def summaries_export(request: Any, s: selectors.Summaries, consortium: Any) -> Any:
    """The summaries page as a workbook: one sheet per summary (audited as an export)."""
    import io

    from django.db import transaction
    from django.http import HttpResponse
    from django.utils import timezone
    from openpyxl import Workbook

    from gongsheng.audit.models import Action, EventType
    from gongsheng.audit.services import audit_record

    book = Workbook()
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (_("Categories"), [_("Category"), _("Quantity"), _("Unit of quantity"), _("Value (CNY)"),
                           _("Entries")],
         [[r.name, float(r.quantity), r.quantity_unit, float(r.value), r.entries]
          for r in s.by_category]),
        (_("Periods"), [_("Period"), _("Value (CNY)"), _("Entries")],
         [[r.label, float(r.value), r.entries] for r in s.by_period]),
        (_("Unit types"), [_("Year"), _("Type"), _("Inputs (given)"), _("Outputs (received)")],
         [[r.year, r.unit_type, _cell(r.inputs), _cell(r.outputs)] for r in s.by_unit_type]),
    ]  # fmt: skip
    if s.by_unit is not None:
        sheets.append(
            (_("Units"), [_("Unit"), _("Inputs (given)"), _("Outputs (received)"), _("Net")],
             [[r.name, float(r.inputs), float(r.outputs), float(r.net)] for r in s.by_unit])
        )  # fmt: skip
        sheets.append(
            (_("Pairs"), [_("Unit A"), _("Unit B"), _("A → B direct"), _("B → A direct"),
                          _("A → B via pools"), _("B → A via pools")],
             [[r.a_name, r.b_name, float(r.a_to_b), float(r.b_to_a), float(r.a_to_b_pools),
               float(r.b_to_a_pools)] for r in s.by_pair or []])
        )  # fmt: skip
        sheets.append(
            (_("Pools"), [_("Pool"), _("Name"), _("Put in"), _("Given out"), _("Participants")],
             [[r.pool, r.label, float(r.inputs), float(r.outputs), r.participants]
              for r in s.by_pool or []])
        )  # fmt: skip
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            event=EventType.EXPORT_MADE,
            action=Action.EXPORT,
            consortium_id=consortium.pk,
            object_repr=f"ledger summaries ({consortium.code})",
            message="export ledger summaries as xlsx",
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-summaries-{stamp}.xlsx"'
    return response
