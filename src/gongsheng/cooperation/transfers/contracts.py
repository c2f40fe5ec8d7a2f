"""Import and export of contracts (keyed by number; parties as ``credit code = role [share %]``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.consortia.transfers import admitted_units
from gongsheng.cooperation import services
from gongsheng.cooperation.choices import (
    BenefitMethod,
    ContractStatus,
    ContractType,
)
from gongsheng.cooperation.models import Contract, Project
from gongsheng.cooperation.transfers.cells import (
    _SHARE,
    _if_visible,
    _items,
    _lookup,
    _percent,
    _role,
    by_code_or_number,
    code_or_number,
    reference,
    unknown_number,
)
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.transfer.resources import (
    CellError,
    Column,
    RowContext,
    choice_parser,
    parse_date,
    parse_decimal,
)


def parse_parties(value: Any) -> list[tuple[str, str, Decimal | None]] | str:
    """``code=role [share %]; …`` -> [(credit code, role, share or None)]; "" when empty."""
    parties = []
    for item, code, rest in _items(value):
        share = None
        match = _SHARE.match(rest)
        if match:
            rest, share = match.group(1).strip(), Decimal(match.group(2)) / 100
        try:
            role = _role(rest)
        except CellError as exc:
            raise CellError(f"“{item}”: {exc}") from exc
        if not role:
            raise CellError(_("“%(v)s”: the role is missing") % {"v": item})
        parties.append((code, role, share))
    return parties or ""


def format_parties(contract: Contract) -> str:
    shown = getattr(contract, "contents_visible", False)
    return "; ".join(
        f"{p.unit.credit_code}={p.get_role_display()}"
        + (f" {_percent(p.share)}" if shown and p.share is not None else "")
        for p in contract.parties.all()
    )


#: the contract's columns: its declaration's (export, import, the list's export)
COLUMNS = [
    Column("code", gettext_lazy("Number"), required=True, export=code_or_number("code"),
           help=gettext_lazy("#12 for contract 12 when it has no number")),
    Column("title", gettext_lazy("Title"), required=True, export=_if_visible("title")),
    Column("type", gettext_lazy("Type"), required=True, parse=choice_parser(ContractType),
           choices=ContractType),
    Column("status", gettext_lazy("Status"), parse=choice_parser(ContractStatus),
           choices=ContractStatus),
    Column("parties", gettext_lazy("Parties"), required=True, parse=parse_parties,
           export=format_parties,
           help=gettext_lazy("credit code = role [share %]; … e.g. "
                             "91350100M000100Y43=委托方 60%; 12350100M000200Y1X=开发方 40%")),
    Column("party_names", gettext_lazy("Party names"), export=lambda c: "; ".join(
        p.unit.name for p in c.parties.all()),
           help=gettext_lazy("for reading only; the credit codes decide")),
    Column("value", gettext_lazy("Value (CNY)"), parse=parse_decimal),
    Column("signed_on", gettext_lazy("Signed on"), parse=parse_date),
    Column("starts_on", gettext_lazy("Starts on"), parse=parse_date,
           export=_if_visible("starts_on")),
    Column("ends_on", gettext_lazy("Ends on"), parse=parse_date,
           export=_if_visible("ends_on")),
    Column("benefit_method", gettext_lazy("Benefit sharing"),
           parse=choice_parser(BenefitMethod), choices=BenefitMethod,
           export=_if_visible("benefit_method")),
    Column("project", gettext_lazy("Project code"),
           export=reference("project"),
           help=gettext_lazy("optional: the code of the project it belongs to")),
    Column("terms", gettext_lazy("Terms"), export=_if_visible("terms")),
]  # fmt: skip


class ContractResource(DeclaredResource):
    """Contracts keyed by their number; a row whose number exists changes that contract (with
    the right to change it), saving the previous contents as a version. The contract's
    declaration registers it (``resource``); export and the right to change come from it."""

    key = "code"
    fields = ["title", "type", "status", "value", "signed_on", "starts_on", "ends_on",
              "benefit_method", "terms"]  # fmt: skip
    defaulted = {"status", "benefit_method", "value"}  # empty cells keep the default

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return super().export_queryset(user, context).order_by("-signed_on", "-id")

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = Contract.objects.filter(consortium_id=context.consortium_id)
        return by_code_or_number(qs.prefetch_related("parties"), keys, "code")

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = unknown_number(values, "code", existing)
        units = admitted_units(context)
        parties = values.get("parties") or []
        unknown = [c for c, _r, _s in parties if c not in units]
        if unknown:
            problems.append(("parties", _("no admitted member has the credit code %(codes)s")
                             % {"codes": ", ".join(unknown)}))  # fmt: skip
        elif parties and len({c for c, _r, _s in parties}) < 2:
            problems.append(("parties", _("a contract has at least two parties")))
        project = values.get("project")
        if project and project not in _lookup(context, "projects", Project, "code"):
            problems.append(("project", _("no project of this consortium has this code")))
        a, b = values.get("starts_on"), values.get("ends_on")
        if a and b and b < a:
            problems.append(("ends_on", _("earlier than the start")))
        return problems

    def _data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = {
            k: values[k]
            for k in self.fields
            if k in values and not (k in self.defaulted and values[k] in (None, ""))
        }
        if "project" in values:
            project = values["project"]
            data["project_id"] = (
                _lookup(context, "projects", Project, "code")[project] if project else None
            )
        return data

    def _parties(self, values: dict[str, Any], context: RowContext) -> list[dict[str, Any]]:
        units = admitted_units(context)
        return [{"unit_id": units[c], "role": r, "share": s} for c, r, s in values["parties"]]

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.contract_create(
            actor=context.actor, consortium_id=context.consortium_id, code=values["code"],
            parties=self._parties(values, context), **self._data(values, context),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        parties = self._parties(values, context)
        stored = [
            {"unit_id": p.unit_id, "role": p.role, "share": p.share} for p in obj.parties.all()
        ]
        c = services.contract_update(
            actor=context.actor, contract_id=obj.pk, version=None,
            parties=None if parties == stored else parties,
            note=_("changed by import"), **self._data(values, context),
        )  # fmt: skip
        return c.version != before
