"""The declarations of units and contacts (``gongsheng.declare``).

Units: the directory (``/consortia/<id>/units/``, filters, export, htmx partial), the unit's
page, its new and edit forms, the API (``/units``, ``/units/{id}``) and the import/export
table come from the declaration. What is the unit's own: it belongs to consortia through its
memberships (``in_consortium``), its directory filters by that membership's rank and status,
it is keyed by its credit code in imports (``transfers.UnitResource``), its page shows
memberships and contacts (``page_context``), a new unit applies for membership or is admitted
(``create_service``: ``services.unit_create``), and units are never deleted (memberships end).

Contacts: the API (``/units/{id}/contacts``, ``/contacts/{id}``) and the create / update /
delete services come from the declaration. What does not fit, and why: contacts belong to
a unit, not a consortium (``parent_field``); they have no pages of their own (the unit's
page lists them, ``selectors.unit_detail``) and no import/export table — they are personal
data (``personal``), which the platform does not hand out in spreadsheets; their audit
entries are confidential and shown in the unit's history (``related``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.consortia.choices import MembershipStatus, Rank, UnitType
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.filters import UnitFilterSet, within
from gongsheng.consortia.forms import UnitForm
from gongsheng.consortia.models import Contact, Unit
from gongsheng.consortia.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from gongsheng.consortia.transfers import UNIT_COLUMNS, UnitResource
from gongsheng.declare.declaration import Declaration, Events, register


@register
class UnitDeclaration(Declaration):
    model = Unit
    name = "units"
    namespace = "consortia"
    label = gettext_lazy("Member units")
    id_name = "unit_id"
    url_prefix = "unit_"
    url_names = {"list": "units", "detail": "unit", "edit": "unit_edit"}
    fields = (
        "credit_code", "name", "short_name", "type", "province", "city", "address", "website",
        "description",
    )  # fmt: skip
    events = Events(EventType.UNIT_CREATED, EventType.UNIT_CHANGED, EventType.UNIT_DELETED)
    consortium_field = None
    unit_field = "pk"
    deletable = False
    form = UnitForm
    filterset = UnitFilterSet
    columns = UNIT_COLUMNS
    resource = UnitResource
    schema_out, schema_in, schema_patch = UnitOut, UnitIn, UnitPatch
    create_service = "gongsheng.consortia.services.unit_create"
    api_tags = ["consortia"]
    list_template = "consortia/units.html"
    detail_template = "consortia/unit_detail.html"
    form_template = "consortia/unit_form.html"
    context_name = "u"
    table_id = "unit-table"
    nav = "units"
    select_related = ()
    clean_exclude = ()
    invalid_message = gettext_lazy("The unit could not be saved.")
    add_forbidden = gettext_lazy("Only the consortium's secretariat registers units.")

    def in_consortium(self, qs: Any, consortium_id: int, params: Any) -> Any:
        return within(qs, consortium_id, params)

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("credit_code") is not None:
            data = {**data, "credit_code": normalise(data["credit_code"])}
        return data

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:
            return {
                "types": UnitType.choices,
                "ranks": Rank.choices,
                "statuses": MembershipStatus.choices,
            }
        from gongsheng.access.personal import log_read
        from gongsheng.consortia.selectors import unit_detail

        detail = unit_detail(user=request.user, unit_id=obj.pk)
        log_read(user=request.user, objs=detail.contacts or [], what="unit page")
        current = detail.memberships[0].consortium if len(detail.memberships) == 1 else None
        wanted = request.GET.get("consortium", "")
        if wanted.isdigit():
            current = next(
                (m.consortium for m in detail.memberships if m.consortium_id == int(wanted)),
                current,
            )
        return {"d": detail, "current_consortium": current}


@register
class ContactDeclaration(Declaration):
    model = Contact
    name = "contacts"
    namespace = "consortia"
    label = gettext_lazy("Contacts")
    id_name = "contact_id"
    fields = ("name", "title", "phone", "email", "is_primary")
    personal = ("name", "phone", "email")
    events = Events(EventType.CONTACT_CREATED, EventType.CONTACT_CHANGED, EventType.CONTACT_DELETED)
    consortium_field = None
    parent_field = "unit"
    parent_model = "consortia.Unit"
    parent_url = "units"
    unit_field = "unit"
    pages = False
    transfer = False
    audit_confidential = True
    schema_out, schema_in, schema_patch = ContactOut, ContactIn, ContactPatch
    api_tags = ["consortia"]
    select_related = ("unit",)
    clean_exclude = ("unit",)
    invalid_message = gettext_lazy("The contact could not be saved.")

    def related(self, obj: Model) -> Any:
        return obj.unit
