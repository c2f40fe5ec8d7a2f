"""The shared resource's declaration: the catalogue (list with filters, export, htmx table),
the new and edit pages, the API (``GET/POST /resources``, ``GET/PATCH /resources/{id}``) and
the ``shared_resources`` import/export table come from it (``gongsheng.declare``).

Not from it: the resource's page (``own_pages``: its booking calendar, utilisation charts and
the export of its bookings are the sharing app's own view, ``views.resource_detail``), and
deleting (a resource is closed for booking, ``is_active``, never deleted: bookings and ledger
entries name it). The owner unit is named when the resource is made and fixed afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.consortia.credit_code import normalise
from gongsheng.core.errors import FieldError
from gongsheng.declare.declaration import Declaration, Events, register
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.sharing.choices import ResourceKind
from gongsheng.sharing.forms import ResourceForm
from gongsheng.sharing.models import SharedResource
from gongsheng.sharing.schemas import ResourceIn, ResourceOut, ResourcePatch
from gongsheng.sharing.transfers import format_hours, parse_dates, parse_hours
from gongsheng.transfer.resources import (
    Column,
    RowContext,
    choice_parser,
    parse_bool,
    parse_int,
    parse_text,
)


class ResourceFilters(django_filters.FilterSet):
    """The catalogue's filters (page, API and export): words in the name, code or location,
    the kind, the owner unit."""

    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    kind = django_filters.CharFilter(label=gettext_lazy("Kind"), field_name="kind")
    owner = django_filters.NumberFilter(label=gettext_lazy("Owner unit"), field_name="owner_id")

    class Meta:
        model = SharedResource
        fields = ["q", "kind", "owner"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(location__icontains=value)
        )


def check_schedule(resource: SharedResource) -> list[FieldError]:
    """Opening hours map ISO weekdays to ``[start, end]`` windows; closed dates are ISO dates
    (kept sorted, once each)."""
    errors: list[FieldError] = []
    hours = resource.opening_hours or {}
    if not isinstance(hours, dict):
        errors.append(FieldError("opening_hours", _("must map weekdays 1–7 to time windows")))
    else:
        for day, windows in hours.items():
            if str(day) not in {str(d) for d in range(1, 8)}:
                errors.append(
                    FieldError("opening_hours", _("%(day)s is not a weekday 1–7") % {"day": day})
                )
                continue
            try:
                for a, b in windows:
                    if dt.time.fromisoformat(a) >= dt.time.fromisoformat(b):
                        raise ValueError
            except (TypeError, ValueError):
                errors.append(
                    FieldError(
                        "opening_hours",
                        _("weekday %(day)s: windows must be [start, end] (HH:MM), start first")
                        % {"day": day},
                    )
                )
    try:
        dates = {dt.date.fromisoformat(str(d)).isoformat() for d in resource.closed_dates or []}
        resource.closed_dates = sorted(dates)
    except (TypeError, ValueError):
        errors.append(FieldError("closed_dates", _("must be ISO dates (YYYY-MM-DD)")))
    return errors


# --- import/export: keyed by the resource's code, the owner by its credit code ---------------
class SharedResourceResource(DeclaredResource):
    """The consortium's catalogue of shared resources, keyed by the resource code."""

    name = "shared_resources"
    key = "code"
    fields = [
        "name", "kind", "capacity", "location", "description", "rules", "opening_hours",
        "closed_dates", "cancel_hours", "is_active",
    ]  # fmt: skip

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = SharedResource.objects.filter(consortium_id=context.consortium_id, code__in=list(keys))
        return {r.code: r for r in qs}

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        from gongsheng.consortia.models import Unit

        units = context.extra.setdefault("owners", {})
        code = values.get("owner")
        if code and code not in units:
            unit = Unit.objects.filter(
                credit_code=code, memberships__consortium_id=context.consortium_id
            ).first()
            units[code] = unit.pk if unit else None
        if code and units.get(code) is None:
            return [("owner", _("no member unit of this consortium has this credit code"))]
        if existing is not None and units.get(code) != existing.owner_id:
            return [("owner", _("the owner of a resource does not change by import"))]
        return []

    def data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = {k: values[k] for k in self.fields if k in values}
        for k in ("capacity", "cancel_hours", "opening_hours"):
            if data.get(k) is None:
                data.pop(k, None)
        return data

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        from gongsheng.declare.services import create

        return create(
            self.declaration, actor=context.actor, consortium_id=context.consortium_id,
            owner_id=context.extra["owners"][values["owner"]], code=values["code"],
            **self.data(values, context),
        )  # fmt: skip


COLUMNS = [
    Column("code", gettext_lazy("Code"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("kind", gettext_lazy("Kind"), required=True, parse=choice_parser(ResourceKind),
           choices=ResourceKind),
    Column("owner", gettext_lazy("Owner unit credit code"), required=True,
           parse=lambda v: normalise(parse_text(v)), export=lambda r: r.owner.credit_code),
    Column("owner_name", gettext_lazy("Owner unit"), export=lambda r: r.owner.name,
           help=gettext_lazy("for reading only; the credit code decides")),
    Column("capacity", gettext_lazy("Capacity"), parse=parse_int),
    Column("location", gettext_lazy("Location")),
    Column("description", gettext_lazy("Description")),
    Column("rules", gettext_lazy("Rules of use")),
    Column("opening_hours", gettext_lazy("Opening hours"), parse=parse_hours,
           export=lambda r: format_hours(r.opening_hours or {})),
    Column("closed_dates", gettext_lazy("Closed dates"), parse=parse_dates,
           export=lambda r: ", ".join(r.closed_dates or [])),
    Column("cancel_hours", gettext_lazy("Cancellation deadline (hours)"), parse=parse_int),
    Column("is_active", gettext_lazy("Open for booking"), parse=parse_bool),
]  # fmt: skip


@register
class SharedResourceDeclaration(Declaration):
    model = SharedResource
    name = "resources"  # /consortia/<id>/resources/, /resources/<id>/, /api/resources
    namespace = "sharing"
    label = gettext_lazy("Shared resources")
    id_name = "resource_id"
    url_prefix = "resource_"  # resource_create, resource_edit
    url_names = {"list": "catalogue", "detail": "resource"}
    own_pages = ("detail",)
    deletable = False
    table_name = "shared_resources"
    fields = (
        "code", "name", "kind", "capacity", "location", "description", "rules", "opening_hours",
        "closed_dates", "cancel_hours", "is_active",
    )  # fmt: skip
    unit_field = "owner"
    events = Events(
        EventType.RESOURCE_CREATED, EventType.RESOURCE_CHANGED, EventType.RESOURCE_DELETED
    )
    form = ResourceForm
    filterset = ResourceFilters
    columns = COLUMNS
    resource = SharedResourceResource
    schema_out, schema_in, schema_patch = ResourceOut, ResourceIn, ResourcePatch
    api_tags = ["sharing"]
    list_template = "sharing/catalogue.html"
    form_template = "sharing/resource_form.html"
    table_id = "resource-table"
    context_name = "r"
    nav = "resources"
    select_related = ("consortium", "owner")
    clean_exclude = ()  # the code is unique in its consortium: checked with the field's name
    invalid_message = gettext_lazy("The resource could not be saved.")
    add_forbidden = gettext_lazy("You may not add shared resources in this consortium.")

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().order_by("name", "pk")

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        if "opening_hours" in data and data["opening_hours"] is None:  # the API: the default
            data = {k: v for k, v in data.items() if k != "opening_hours"}
        return data

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        return check_schedule(obj)  # type: ignore[arg-type]

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        from gongsheng.sharing.selectors import owner_units

        return {"owners": owner_units(user=request.user, consortium_id=consortium.pk)}

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is not None:
            return {}
        from gongsheng.sharing.selectors import owner_choices

        consortium_id = request.resolver_match.kwargs["consortium_id"]
        return {
            "kinds": ResourceKind.choices,
            "owners": owner_choices(user=request.user, consortium_id=consortium_id),
        }
