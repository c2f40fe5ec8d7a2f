"""Import and export of IP assets (owners as ``credit code = share %``) and licences."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.transfers import admitted_units, parse_credit_code
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.choices import (
    IPKind,
    IPOrigin,
    LicenceKind,
)
from gongsheng.cooperation.models import Contract, IPAsset, Licence, Project
from gongsheng.cooperation.transfers.cells import (
    _SHARE,
    _if_visible,
    _items,
    _lookup,
    _optional_bool,
    _percent,
    by_code_or_number,
    code_or_number,
    reference,
    unknown_number,
)
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.transfer.resources import (
    CellError,
    Column,
    Resource,
    RowContext,
    choice_parser,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    register,
)


def parse_owners(value: Any) -> list[tuple[str, Decimal]] | str:
    """``code=share %; …`` adding up to 100 % -> [(credit code, share as a fraction)]."""
    owners = []
    for item, code, rest in _items(value):
        match = _SHARE.match(rest) if rest else None
        if match is None or match.group(1).strip():
            raise CellError(_("“%(v)s”: write the share as a per cent, e.g. 60%%") % {"v": item})
        owners.append((code, Decimal(match.group(2)) / 100))
    if not owners:
        return ""
    codes = [c for c, _s in owners]
    if len(set(codes)) != len(codes):
        raise CellError(_("a unit is named twice"))
    total = sum((s for _c, s in owners), Decimal(0))
    if total != 1:
        raise CellError(
            _("the shares add up to %(total)s %%, not 100 %%")
            % {"total": format((total * 100).normalize(), "f")}
        )
    if any(s <= 0 for _c, s in owners):
        raise CellError(_("a share lies above 0 and at most 100 per cent"))
    return owners


def format_owners(asset: IPAsset) -> str:
    if not getattr(asset, "contents_visible", False):
        return ""
    return "; ".join(f"{o.unit.credit_code}={_percent(o.share)}" for o in asset.owners.all())


#: the IP asset's columns: its declaration's (export, import, the list's export)
ASSET_COLUMNS = [
    Column("number", gettext_lazy("Number"), required=True, export=code_or_number("number"),
           help=gettext_lazy("patent or registration number, or your own reference; #12 for "
                             "asset 12 when it has none")),
    Column("title", gettext_lazy("Title"), required=True, export=_if_visible("title")),
    Column("kind", gettext_lazy("Kind"), required=True, parse=choice_parser(IPKind),
           choices=IPKind),
    Column("origin", gettext_lazy("Origin"), parse=choice_parser(IPOrigin), choices=IPOrigin,
           export=_if_visible("origin")),
    Column("owners", gettext_lazy("Owners"), required=True, parse=parse_owners,
           export=format_owners,
           help=gettext_lazy("credit code = share %; … adding up to 100 %, e.g. "
                             "91350100M000100Y43=60%; 12350100M000200Y1X=40%")),
    Column("owner_names", gettext_lazy("Owner names"), export=lambda a: "; ".join(
        o.unit.name for o in a.owners.all()) if getattr(a, "contents_visible", False) else "",
           help=gettext_lazy("for reading only; the credit codes decide")),
    Column("contract", gettext_lazy("Development contract number"),
           export=reference("contract")),
    Column("project", gettext_lazy("Project code"),
           export=reference("project")),
    Column("patented", gettext_lazy("Patent granted"), parse=_optional_bool(False)),
    Column("delivered", gettext_lazy("Delivered to the commissioning party"),
           parse=_optional_bool(True)),
    Column("value", gettext_lazy("Value (CNY)"), parse=parse_decimal),
]  # fmt: skip


class IPAssetResource(DeclaredResource):
    """IP assets keyed by their number, with their owners and shares (adding up to 100 %).
    The asset's declaration registers it (``resource``); export and the right to change come
    from it."""

    key = "number"
    fields = ["title", "kind", "origin", "patented", "delivered", "value"]

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return super().export_queryset(user, context).order_by("title", "id")

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = IPAsset.objects.filter(consortium_id=context.consortium_id)
        return by_code_or_number(qs.prefetch_related("owners"), keys, "number")

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = unknown_number(values, "number", existing)
        units = admitted_units(context)
        unknown = [c for c, _s in values.get("owners") or [] if c not in units]
        if unknown:
            problems.append(("owners", _("no admitted member has the credit code %(codes)s")
                             % {"codes": ", ".join(unknown)}))  # fmt: skip
        for column, model, field in (("contract", Contract, "code"), ("project", Project, "code")):
            code = values.get(column)
            if code and code not in _lookup(context, f"{column}s", model, field):
                problems.append((column, _("no such record in this consortium")))
        return problems

    def _data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = {
            k: values[k]
            for k in self.fields
            if k in values and not (k in ("origin", "value") and values[k] in (None, ""))
        }
        for column, model in (("contract", Contract), ("project", Project)):
            if column in values:
                code = values[column]
                data[f"{column}_id"] = (
                    _lookup(context, f"{column}s", model, "code")[code] if code else None
                )
        return data

    def _owners(self, values: dict[str, Any], context: RowContext) -> list[tuple[int, Decimal]]:
        units = admitted_units(context)
        return [(units[c], s) for c, s in values["owners"]]

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.ip_asset_create(
            actor=context.actor, consortium_id=context.consortium_id, number=values["number"],
            owners=self._owners(values, context), **self._data(values, context),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        owners = self._owners(values, context)
        stored = {o.unit_id: o.share for o in obj.owners.all()}
        a = services.ip_asset_update(
            actor=context.actor, asset_id=obj.pk, version=None,
            owners=None if dict(owners) == stored else owners, **self._data(values, context),
        )  # fmt: skip
        return a.version != before


def _licence_number(lic: Licence) -> int:
    return lic.pk


@register
class LicenceResource(Resource):
    """Licences on the consortium's IP assets. A row without a number records a new licence
    (a sublicence when the licensor is not an owner), checked against the IP rules."""

    name = "licences"
    label = gettext_lazy("Licences")
    key = "number"
    needs_consortium = True
    columns = [
        Column("number", gettext_lazy("Licence number"), parse=parse_int, export=_licence_number,
               help=gettext_lazy("empty for a new licence; a row whose number exists is "
                                 "skipped when it matches")),
        Column("asset", gettext_lazy("IP asset number"), required=True,
               export=reference("asset", "number")),
        Column("asset_title", gettext_lazy("IP asset"), export=lambda lic: lic.asset.title
               if getattr(lic, "contents_visible", False) else "",
               help=gettext_lazy("for reading only")),
        Column("licensor", gettext_lazy("Licensor credit code"), required=True,
               parse=parse_credit_code, export=lambda lic: lic.licensor.credit_code),
        Column("licensee", gettext_lazy("Licensee credit code"), required=True,
               parse=parse_credit_code, export=lambda lic: lic.licensee.credit_code),
        Column("kind", gettext_lazy("Kind of licence"), required=True,
               parse=choice_parser(LicenceKind), choices=LicenceKind),
        Column("field_of_use", gettext_lazy("Field"), export=_if_visible("field_of_use")),
        Column("territory", gettext_lazy("Territory"), export=_if_visible("territory")),
        Column("starts_on", gettext_lazy("Starts on"), required=True, parse=parse_date,
               export=_if_visible("starts_on")),
        Column("ends_on", gettext_lazy("Ends on"), parse=parse_date,
               export=_if_visible("ends_on")),
        Column("may_sublicense", gettext_lazy("May sublicense"), parse=parse_bool,
               export=_if_visible("may_sublicense")),
        Column("may_transfer", gettext_lazy("May transfer"), parse=parse_bool,
               export=_if_visible("may_transfer")),
        Column("fee", gettext_lazy("Fee (CNY)"), parse=parse_decimal),
        Column("contract", gettext_lazy("Contract number"),
               export=reference("contract")),
        Column("consent_obtained", gettext_lazy("Consent obtained"), parse=parse_bool,
               export=lambda lic: "",
               help=gettext_lazy("yes when the consent the IP rules ask for was given")),
    ]  # fmt: skip
    compared = ["kind", "field_of_use", "territory", "starts_on", "ends_on", "may_sublicense",
                "may_transfer"]  # fmt: skip

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return selectors.licence_list(user=user, consortium_id=context.consortium_id)

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = Licence.objects.filter(
            asset__consortium_id=context.consortium_id, pk__in=[k for k in keys if k]
        ).select_related("asset", "licensor", "licensee")
        return {lic.pk: lic for lic in qs}

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        # rows are never applied to recorded licences; seeing them is enough to skip them
        qs = Licence.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "view").values_list("pk", flat=True))

    def _assets(self, context: RowContext) -> dict[str, int]:
        return _lookup(context, "assets", IPAsset, "number")

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        number = values.get("number")
        if existing is not None:
            differs = [
                k for k in self.compared if k in values and values[k] != getattr(existing, k)
            ]
            if self._assets(context).get(values.get("asset")) != existing.asset_id:
                differs.insert(0, "asset")
            for side in ("licensor", "licensee"):
                if values.get(side) != getattr(existing, side).credit_code:
                    differs.append(side)
            if differs:
                return [(differs[0], _("a recorded licence is not changed by import; record a "
                                       "new one (leave the number empty)"))]  # fmt: skip
            return []
        if number:
            return [("number", _("no licence of this consortium has this number; leave it "
                                 "empty to record a new licence"))]  # fmt: skip
        if values.get("asset") and values["asset"] not in self._assets(context):
            problems.append(("asset", _("no IP asset of this consortium has this number")))
        units = admitted_units(context)
        for side in ("licensor", "licensee"):
            if values.get(side) and values[side] not in units:
                problems.append((side, _("no admitted member has this credit code")))
        if values.get("licensor") and values.get("licensor") == values.get("licensee"):
            problems.append(("licensee", _("the same unit as the licensor")))
        a, b = values.get("starts_on"), values.get("ends_on")
        if a and b and b < a:
            problems.append(("ends_on", _("earlier than the start")))
        contract = values.get("contract")
        if contract and contract not in _lookup(context, "contracts", Contract, "code"):
            problems.append(("contract", _("no contract of this consortium has this number")))
        return problems

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        units = admitted_units(context)
        data = {k: values[k] for k in (*self.compared, "fee") if values.get(k) not in (None, "")}
        if values.get("contract"):
            data["contract_id"] = _lookup(context, "contracts", Contract, "code")[
                values["contract"]
            ]
        return services.licence_grant(
            actor=context.actor, asset_id=self._assets(context)[values["asset"]],
            licensor_id=units[values["licensor"]], licensee_id=units[values["licensee"]],
            consent_obtained=values.get("consent_obtained", False), **data,
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        return False  # check_row refused every difference
