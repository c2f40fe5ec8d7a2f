"""The declarations of consortia, units, memberships and contacts (``gongsheng.declare``).

Consortia: the API (``/consortia``, ``/consortia/{id}``: list with filters, detail, create,
PATCH with ETag and If-Match), the new and edit pages (``consortia/new/``,
``consortia/<id>/edit/``, through ``declare.views.page``) and the update service come from the
declaration. What does not fit, and why: a consortium is the record every other one belongs
to, so it has no list "in a consortium": its list and overview pages stay the app's own
(``views``: member counts, charts, reports) and the declared create page is mounted at a path
of its own; its founding is the app's service (``create_service``: a supervisor who founds
one is granted its supervision); it has no import/export table and is never deleted.

Units: the directory (``/consortia/<id>/units/``, filters, export, htmx partial), the unit's
page, its new and edit forms, the API (``/units``, ``/units/{id}``) and the import/export
table come from the declaration. What is the unit's own: it belongs to consortia through its
memberships (``in_consortium``), its directory filters by that membership's rank and status,
it is keyed by its credit code in imports (``transfers.UnitResource``), its page shows
memberships and contacts (``page_context``), a new unit applies for membership or is admitted
(``create_service``: ``services.unit_create``), and units are never deleted (memberships end).

Memberships: the list (the secretariat's queue of applications is ``?status=applied``), the
page with the lifecycle's moves (admit, refuse, withdraw, expel, apply again: each with its
date and reason, shown where the current status allows it), the application form (the unit
named by its credit code), the edit form, the API (``/memberships``, ``/memberships/{id}``,
``POST /memberships/{id}/<move>``) and the import/export table come from the declaration.
What is its own: creating and changing one records membership events, so the declaration
names the app's services (``create_service``, ``update_service``); ``POST
/memberships/{id}/transition`` (any status in one call) stays in ``api.py``; memberships are
never deleted (they end by a move).

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
from django.utils.translation import gettext, gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.consortia.choices import MEMBERSHIP_TRANSITIONS, MembershipStatus, Rank, UnitType
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.filters import (
    ConsortiumFilterSet,
    MembershipFilterSet,
    UnitFilterSet,
    within,
)
from gongsheng.consortia.forms import (
    ConsortiumForm,
    MembershipForm,
    MoveForm,
    ReasonForm,
    UnitForm,
    move_form,
)
from gongsheng.consortia.models import Consortium, Contact, Membership, Unit
from gongsheng.consortia.schemas import (
    ConsortiumIn,
    ConsortiumOut,
    ConsortiumPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from gongsheng.consortia.transfers import (
    MEMBERSHIP_COLUMNS,
    UNIT_COLUMNS,
    MembershipResource,
    UnitResource,
)
from gongsheng.declare.declaration import Declaration, Events, Move, register


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

    def saved_message(self, obj: Model, form: Any = None, *, created: bool) -> str:
        """A new unit is registered and applies for membership (``UnitForm``); an edit
        names the fields it changed."""
        name = {"name": obj.name}
        if created:
            message = gettext(
                "Unit “%(name)s” registered; its application for membership waits in the queue."
            )
            return message % name
        changed = [str(form.fields[n].label) for n in form.changed_data if n != "version"]
        if not changed:
            return gettext("Unit “%(name)s”: nothing changed.") % name
        return gettext("Unit “%(name)s” saved; changed: %(fields)s.") % {
            **name, "fields": gettext(", ").join(changed),
        }  # fmt: skip

    def may_add(self, user: Any, consortium_id: int | None) -> bool:
        """A new unit joins through a new membership: who may register one here."""
        from gongsheng.access.scope import can

        return can(user, "add", Membership, consortium_id=consortium_id)

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
        log_read(user=request.user, objs=detail.contacts or [], what=str(gettext_lazy("unit page")))
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


def _move(name: str, label: Any, event: EventType, done: Any, form: Any = ReasonForm) -> Move:
    """A lifecycle move of memberships; its message (``done``) names the unit it moved."""
    return Move(
        name, f"gongsheng.consortia.services.membership_{name}", label=label,
        form=move_form(form, name), event=event,
        done=lambda m: str(done) % {"unit": m.unit.name},
        invalid=gettext_lazy("Give the reason."),
    )  # fmt: skip


@register
class MembershipDeclaration(Declaration):
    model = Membership
    name = "memberships"
    namespace = "consortia"
    label = gettext_lazy("Memberships")
    id_name = "membership_id"
    url_prefix = "membership_"
    url_names = {"list": "memberships"}
    fields = ("unit_id", "rank", "applied_on", "joined_on", "left_on", "note")
    events = Events(
        EventType.MEMBERSHIP_APPLIED, EventType.MEMBERSHIP_CHANGED, EventType.MEMBERSHIP_DELETED
    )
    moves = (
        _move("admit", gettext_lazy("Admit"), EventType.MEMBERSHIP_ADMITTED,
              gettext_lazy("Admitted: %(unit)s."), form=MoveForm),
        _move("refuse", gettext_lazy("Refuse"), EventType.MEMBERSHIP_REFUSED,
              gettext_lazy("Refused the application of %(unit)s.")),
        _move("withdraw", gettext_lazy("Withdraw"), EventType.MEMBERSHIP_WITHDRAWN,
              gettext_lazy("Withdrawn: %(unit)s.")),
        _move("expel", gettext_lazy("Expel"), EventType.MEMBERSHIP_EXPELLED,
              gettext_lazy("Expelled: %(unit)s.")),
        _move("reapply", gettext_lazy("Apply again"), EventType.MEMBERSHIP_APPLIED,
              gettext_lazy("Applied again: %(unit)s."), form=MoveForm),
    )  # fmt: skip
    unit_field = "unit"
    deletable = False
    form = MembershipForm
    filterset = MembershipFilterSet
    columns = MEMBERSHIP_COLUMNS
    list_columns = ("unit_name", "credit_code", "rank", "status", "applied_on", "joined_on")
    resource = MembershipResource
    schema_out, schema_in, schema_patch = MembershipOut, MembershipIn, MembershipPatch
    create_service = "gongsheng.consortia.services.membership_apply"
    update_service = "gongsheng.consortia.services.membership_update"
    api_tags = ["consortia"]
    list_template = "consortia/memberships.html"
    detail_template = "consortia/membership_detail.html"
    context_name = "m"
    table_id = "membership-table"
    nav = "units"
    select_related = ("consortium", "unit", "approved_by")
    clean_exclude = ("consortium", "unit")
    invalid_message = gettext_lazy("The membership could not be saved.")
    add_forbidden = gettext_lazy("Only the consortium's secretariat manages its memberships.")

    def base_queryset(self) -> Any:
        return super().base_queryset().order_by("consortium__name", "unit__name", "pk")

    def page_field(self, field: str) -> str:
        return "credit_code" if field in ("unit", "unit_id") else field

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:
            return {"queue": request.GET.get("status") == MembershipStatus.APPLIED}
        allowed = MEMBERSHIP_TRANSITIONS.get(obj.status, frozenset())
        from gongsheng.consortia.services.memberships import STATUS_MOVES

        return {"open_moves": {STATUS_MOVES[s] for s in allowed}}


@register
class ConsortiumDeclaration(Declaration):
    model = Consortium
    name = "consortia"
    namespace = "consortia"
    label = gettext_lazy("Consortia")
    id_name = "consortium_id"
    url_prefix = "consortium_"
    url_names = {"list": "list", "detail": "overview"}
    fields = (
        "code", "name", "level", "batch", "status", "province", "city", "founded_on",
        "description", "park_name", "park_industry_chain", "park_output", "park_output_rank",
        "lead_government_id", "lead_school_id", "lead_enterprise_id",
    )  # fmt: skip
    events = Events(
        EventType.CONSORTIUM_CREATED, EventType.CONSORTIUM_CHANGED, EventType.CONSORTIUM_DELETED
    )
    consortium_field = None
    pages = False  # list and overview: the app's own views; new and edit: consortia/urls.py
    transfer = False
    deletable = False
    form = ConsortiumForm
    filterset = ConsortiumFilterSet
    schema_out, schema_in, schema_patch = ConsortiumOut, ConsortiumIn, ConsortiumPatch
    create_service = "gongsheng.consortia.services.consortium_create"
    api_tags = ["consortia"]
    form_template = "consortia/consortium_form.html"
    context_name = "c"
    nav = "consortia"
    invalid_message = gettext_lazy("The consortium could not be saved.")
    add_forbidden = gettext_lazy("Only platform administrators and supervisors create consortia.")

    def base_queryset(self) -> Any:
        from gongsheng.consortia.selectors import with_member_count

        return with_member_count(Consortium.objects.all())

    def consortium_of(self, obj: Model) -> int | None:
        return obj.pk

    def check(self, obj: Model, extra: dict[str, Any]) -> list[Any]:
        from gongsheng.consortia.services import check_leads

        check_leads(obj)  # raises naming each lead unit that is not an admitted member
        return []
