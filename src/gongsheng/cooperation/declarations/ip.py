"""The IP asset's declaration: its create / update services, list, detail, new and edit pages
(``/consortia/<id>/ip/``, ``/ip/<id>/`` …, URL names kept: ``ip_assets``, ``ip_asset``,
``ip_create``, ``ip_edit``), the API (``GET/POST /ip-assets``, ``GET/PATCH
/ip-assets/{id}``) and the import/export table (``ip_assets``) come from it
(``gongsheng.declare``).

What is the asset's own: its owners are an extra input (``owners``: ``[(unit id, share)]``
adding up to 1), checked with the fields and written after a new asset. A change of owners is
a transfer checked against the IP rules, with its own audit entry, so the edit page and the
API's PATCH call the app's ``ip_asset_update`` (``update_service``), which changes the fields
through the standard update and the owners through ``ip_owners_set``. IP assets are not
deleted (licences and recorded actions name them).

What stays hand-written, and why: licences and recorded IP actions are facts recorded on the
asset's page (``ip/<id>/record/<what>/``, ``POST /ip-assets/{id}/licences`` and
``/actions``), each checked by the rules engine with the trust rules of issue 14 (the acting
unit is the actor's own unless the actor may change the asset; licensor and licensee are
members): a recorded fact is not edited, so neither fits the declaration's edit pages,
PATCH or import-as-update; the asset's detail page carries their forms and the rules
engine's question form (``page_context``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import BooleanField, ExpressionWrapper, Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.audit.models import EventType
from gongsheng.cooperation.forms import IPAssetForm
from gongsheng.cooperation.models import IPAsset, IPOwner
from gongsheng.cooperation.schemas import IPAssetIn, IPAssetOut, IPAssetPatch
from gongsheng.core.errors import FieldError
from gongsheng.declare.declaration import Declaration, Events, register


class IPAssetFilters(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind")

    class Meta:
        model = IPAsset
        fields: list[str] = []


@register
class IPAssetDeclaration(Declaration):
    model = IPAsset
    name = "ip"
    api_name = "ip-assets"
    table_name = "ip_assets"
    namespace = "cooperation"
    label = gettext_lazy("IP assets")
    url_names = {
        "list": "ip_assets",
        "create": "ip_create",
        "detail": "ip_asset",
        "edit": "ip_edit",
    }
    table_id = "ip-table"
    id_name = "asset_id"
    fields = (
        "title", "kind", "number", "origin", "contract_id", "project_id", "patented",
        "delivered", "value",
    )  # fmt: skip
    events = Events(EventType.IP_ASSET_CREATED, EventType.IP_ASSET_CHANGED)
    deletable = False
    audit_confidential = True
    filterset = IPAssetFilters
    nav = "ip"
    context_name = "a"
    update_service = "gongsheng.cooperation.services.ip_asset_update"
    select_related = ("consortium", "contract", "project")
    prefetch_related = (Prefetch("owners", queryset=IPOwner.objects.select_related("unit")),)
    list_template = "cooperation/ip_list.html"
    detail_template = "cooperation/ip_detail.html"
    form_template = "cooperation/ip_form.html"
    api_tags = ["cooperation"]
    form = IPAssetForm
    schema_out, schema_in, schema_patch = IPAssetOut, IPAssetIn, IPAssetPatch
    invalid_message = gettext_lazy("The IP asset could not be saved.")

    @property
    def resource(self) -> Any:  # type: ignore[override]
        from gongsheng.cooperation.transfers.ip import IPAssetResource

        return IPAssetResource

    @property
    def columns(self) -> list[Any]:  # type: ignore[override]
        from gongsheng.cooperation.transfers.ip import ASSET_COLUMNS

        return ASSET_COLUMNS

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().order_by("title", "id")

    def for_viewer(self, qs: QuerySet, user: Any) -> QuerySet:
        readable = scope(user, IPAsset.objects.all(), "view_contents").values("pk")
        visible = ExpressionWrapper(Q(pk__in=readable), output_field=BooleanField())
        return qs.annotate(contents_visible=visible)

    def split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        fields = dict(data)
        owners = fields.pop("owners", None)
        fields.pop("consent_obtained", None)  # a new asset's owners transfer nothing
        if owners is None:
            return fields, {}
        from gongsheng.cooperation.services.ip import owner_rows

        return fields, {"owners": owner_rows(owners)}

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        from gongsheng.cooperation.services.ip import _owner_problems

        return _owner_problems(extra["owners"]) if "owners" in extra else []

    def save_extra(self, obj: Model, extra: dict[str, Any]) -> None:
        if "owners" in extra:  # a new asset's owners (a change goes through ip_owners_set)
            IPOwner.objects.bulk_create(
                [IPOwner(asset=obj, unit_id=u, share=Decimal(s)) for u, s in extra["owners"]]
            )

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        from gongsheng.cooperation.models import Contract, Project
        from gongsheng.cooperation.views.common import _units

        user = request.user
        contracts = Contract.objects.filter(consortium_id=consortium.pk)
        projects = Project.objects.filter(consortium_id=consortium.pk)
        return {
            "units": _units(user, consortium.pk),
            "contracts": scope(user, contracts).order_by("title"),
            "projects": scope(user, projects).order_by("name"),
        }

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:
            return {}
        from gongsheng.cooperation.views.ip import detail_context

        return detail_context(request, obj)
