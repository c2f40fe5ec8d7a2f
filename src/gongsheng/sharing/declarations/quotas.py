"""The booking quota's declaration: list page with its add form, detail, edit, delete, API
and import/export come from it (``gongsheng.declare``). Quotas have no lifecycle move.

The quota check at booking time (``services.bookings._check_quota``) stays in the booking
service: it is a rule of bookings, not of the quota record.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.consortia.credit_code import normalise
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.declare.declaration import Declaration, Events, register
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.sharing.choices import QuotaPeriod
from gongsheng.sharing.forms import QuotaForm
from gongsheng.sharing.models import Quota
from gongsheng.sharing.schemas import QuotaIn, QuotaOut
from gongsheng.transfer.resources import (
    Column,
    RowContext,
    choice_parser,
    parse_decimal,
    parse_int,
    parse_text,
)


# --- import/export (here rather than in sharing/transfers.py, which is renamed from tables.py
# in parallel): units by credit code, resources by their code
def credit_code_of(field: str) -> Any:
    def export(quota: Quota) -> str:
        unit = getattr(quota, field)
        return unit.credit_code if unit is not None else ""

    return export


def code_of(quota: Quota) -> str:
    return quota.resource.code if quota.resource is not None else ""


class QuotaResource(DeclaredResource):
    """The consortium's booking quotas."""

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        from gongsheng.consortia.models import Unit
        from gongsheng.sharing.models import SharedResource

        found = super().existing(keys, context)
        cid = context.consortium_id
        context.extra["units"] = dict(
            Unit.objects.filter(memberships__consortium_id=cid).values_list("credit_code", "pk")
        )
        context.extra["resources"] = dict(
            SharedResource.objects.filter(consortium_id=cid).values_list("code", "pk")
        )
        return found

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = super().check_row(values, existing, context)
        units, resources = context.extra.get("units", {}), context.extra.get("resources", {})
        for name in ("unit", "owner"):
            code = values.get(name)
            if code and normalise(code) not in units:
                problems.append((name, _("not a member unit: %(c)s") % {"c": code}))
        if values.get("resource") and values["resource"] not in resources:
            problems.append(("resource", _("no resource of this consortium has this code")))
        return problems

    def data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        units, resources = context.extra["units"], context.extra["resources"]
        data = {k: values[k] for k in ("period", "hours") if k in values}
        for name in ("unit", "owner"):
            if name in values:
                data[f"{name}_id"] = units[normalise(values[name])] if values[name] else None
        if "resource" in values:
            data["resource_id"] = resources[values["resource"]] if values["resource"] else None
        return data


COLUMNS = [
    Column("id", gettext_lazy("Quota number"), parse=parse_int,
           help=gettext_lazy("empty for a new quota; keep it to update one")),
    Column("unit", gettext_lazy("Booking unit"), parse=parse_text, export=credit_code_of("unit"),
           help=gettext_lazy("credit code; empty: every unit")),
    Column("resource", gettext_lazy("Resource"), parse=parse_text, export=code_of,
           help=gettext_lazy("the resource's code; or name an owner unit instead")),
    Column("owner", gettext_lazy("Owner unit"), parse=parse_text, export=credit_code_of("owner"),
           help=gettext_lazy("credit code: all resources of this owner")),
    Column("period", gettext_lazy("Period"), required=True, parse=choice_parser(QuotaPeriod),
           choices=QuotaPeriod),
    Column("hours", gettext_lazy("Hours"), required=True, parse=parse_decimal),
]  # fmt: skip


@register
class QuotaDeclaration(Declaration):
    model = Quota
    name = "quotas"
    namespace = "sharing"
    label = gettext_lazy("Booking quotas")
    id_name = "quota_id"
    url_prefix = "quota_"
    url_names = {"list": "quotas"}
    add_on_list = True
    fields = ("unit_id", "resource_id", "owner_id", "period", "hours")
    unit_field = "unit"
    events = Events(EventType.QUOTA_CREATED, EventType.QUOTA_CHANGED, EventType.QUOTA_DELETED)
    form = QuotaForm
    columns = COLUMNS
    list_columns = ("unit", "resource", "owner", "period", "hours")
    resource = QuotaResource
    schema_out, schema_in = QuotaOut, QuotaIn
    api_tags = ["sharing"]
    list_template = "sharing/quotas.html"
    nav = "resources"
    select_related = ("consortium", "unit", "resource", "owner")
    validate_constraints = False  # check() names the field instead
    invalid_message = gettext_lazy("The quota could not be saved.")
    add_forbidden = gettext_lazy("You may not add quotas in this consortium.")

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        if data.get("hours") not in (None, ""):
            try:
                data["hours"] = Decimal(str(data["hours"]))
            except InvalidOperation:
                raise ValidationFailed(
                    str(self.invalid_message), [FieldError("hours", _("not a number"))]
                ) from None
        return data

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        errors = []
        if (obj.resource_id is None) == (obj.owner_id is None):
            errors.append(FieldError("resource", _("name a resource or an owner unit, not both")))
        if isinstance(obj.hours, Decimal) and obj.hours < 0:
            errors.append(FieldError("hours", _("must not be negative")))
        return errors

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        from gongsheng.access.scope import scope
        from gongsheng.consortia.models import Unit
        from gongsheng.sharing import selectors

        members = Unit.objects.filter(
            memberships__consortium_id=consortium.pk, memberships__status="admitted"
        )
        return {
            "units": scope(request.user, members).order_by("name"),
            "resources": selectors.resource_list(user=request.user, consortium_id=consortium.pk),
        }

    def page_field(self, field: str) -> str:
        return field.removesuffix("_id")
