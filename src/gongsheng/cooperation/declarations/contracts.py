"""The contract's declaration: its create / update services, list, detail, new and edit pages
(``/consortia/<id>/contracts/``, ``/contracts/<id>/`` …, URL names kept: ``contracts``,
``contract``, ``contract_create``, ``contract_edit``), the API (``GET/POST /contracts``,
``GET/PATCH /contracts/{id}``) and the import/export table come from it (``gongsheng.declare``).

What is the contract's own: its parties are an extra input (``parties``: ``[{"unit_id",
"role", "share"}]``, at least two, fixed shares at most 1), checked with the fields and
written after the contract; every write keeps the contents as a numbered
:class:`~gongsheng.cooperation.models.ContractVersion` (``after_save``, with the ``note`` an
update gives); contents are confidential (``for_viewer`` marks each row
``contents_visible``, which the pages, the API schema and the export read). Contracts are not
deleted (``deletable = False``): a contract is a record with a history, ledger entries and IP
assets naming it. Obligations and IP clauses stay explicit services of the contract
(``obligation_add``, ``ip_clause_add``): they are parts added to a contract, not records of
their own with pages.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django.db.models import BooleanField, ExpressionWrapper, Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.audit.models import EventType
from gongsheng.audit.services import snapshot
from gongsheng.cooperation.choices import ContractType, PartyRole
from gongsheng.cooperation.forms import ContractForm
from gongsheng.cooperation.models import Contract, ContractParty, ContractVersion
from gongsheng.cooperation.schemas import ContractIn, ContractOut, ContractPatch
from gongsheng.core.errors import FieldError
from gongsheng.declare.declaration import Declaration, Events, register


class ContractFilters(django_filters.FilterSet):
    type = django_filters.CharFilter(field_name="type")  # as before: an exact match, "" = all

    class Meta:
        model = Contract
        fields: list[str] = []


def party_problems(parties: list[dict[str, Any]]) -> list[FieldError]:
    """What is wrong with a contract's parties, each problem naming its row."""
    errors: list[FieldError] = []
    seen: set[int] = set()
    total = Decimal(0)
    for i, p in enumerate(parties, start=1):
        if p["unit_id"] in seen:
            errors.append(FieldError("parties", _("a unit is named twice"), row=i))
        seen.add(p["unit_id"])
        if p.get("role") not in PartyRole.values:
            errors.append(FieldError("parties", _("unknown role"), row=i))
        if p.get("share") is not None:
            total += p["share"]
    if len(parties) < 2:
        errors.append(FieldError("parties", _("a contract has at least two parties")))
    if total > 1:
        errors.append(FieldError("parties", _("the fixed shares add up to more than 1")))
    return errors


def _parties(raw: list[Any]) -> list[dict[str, Any]]:
    """The parties as plain rows, shares as decimals."""
    return [
        {"unit_id": p["unit_id"], "role": p.get("role"),
         "share": None if p.get("share") is None else Decimal(p["share"])}
        for p in raw
    ]  # fmt: skip


def stored_parties(contract: Contract) -> list[dict[str, Any]]:
    return [
        {"unit_id": p.unit_id, "role": p.role, "share": p.share}
        for p in contract.parties.order_by("id")
    ]


@register
class ContractDeclaration(Declaration):
    model = Contract
    name = "contracts"
    namespace = "cooperation"
    label = gettext_lazy("Contracts")
    url_names = {
        "list": "contracts", "create": "contract_create", "detail": "contract",
        "edit": "contract_edit",
    }  # fmt: skip
    table_id = "contract-table"
    id_name = "contract_id"
    fields = (
        "code", "title", "type", "status", "signed_on", "starts_on", "ends_on", "value",
        "benefit_method", "terms", "project_id",
    )  # fmt: skip
    events = Events(EventType.CONTRACT_CREATED, EventType.CONTRACT_CHANGED)
    deletable = False
    audit_confidential = True
    filterset = ContractFilters
    nav = "contracts"
    context_name = "c"
    select_related = ("consortium", "project")
    prefetch_related = (Prefetch("parties", queryset=ContractParty.objects.select_related("unit")),)
    list_template = "cooperation/contracts.html"
    detail_template = "cooperation/contract_detail.html"
    form_template = "cooperation/contract_form.html"
    api_tags = ["cooperation"]
    form = ContractForm
    schema_out, schema_in, schema_patch = ContractOut, ContractIn, ContractPatch
    invalid_message = gettext_lazy("The contract could not be saved.")

    @property
    def resource(self) -> Any:  # type: ignore[override]
        from gongsheng.cooperation.transfers.contracts import ContractResource

        return ContractResource

    @property
    def columns(self) -> list[Any]:  # type: ignore[override]
        from gongsheng.cooperation.transfers.contracts import COLUMNS

        return COLUMNS

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().order_by("-signed_on", "-id")

    def for_viewer(self, qs: QuerySet, user: Any) -> QuerySet:
        readable = scope(user, Contract.objects.all(), "view_contents").values("pk")
        visible = ExpressionWrapper(Q(pk__in=readable), output_field=BooleanField())
        return qs.annotate(contents_visible=visible)

    def split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        fields = dict(data)
        extra = {"note": fields.pop("note", "") or ""}
        if fields.get("parties") is not None:
            extra["parties"] = _parties(fields.pop("parties"))
        fields.pop("parties", None)
        return fields, extra

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        return party_problems(extra["parties"]) if "parties" in extra else []

    def extra_changed(self, obj: Model, extra: dict[str, Any], before: dict[str, Any]) -> bool:
        return "parties" in extra and extra["parties"] != stored_parties(obj)

    def save_extra(self, obj: Model, extra: dict[str, Any]) -> None:
        if "parties" not in extra:
            return
        obj.parties.all().delete()
        ContractParty.objects.bulk_create(
            [ContractParty(contract=obj, **p) for p in extra["parties"]]
        )

    def after_save(self, obj: Model, extra: dict[str, Any], *, actor: Any, created: bool) -> None:
        data = snapshot(obj)
        data["parties"] = [
            {**p, "share": None if p["share"] is None else str(p["share"])}
            for p in obj.parties.order_by("id").values("unit_id", "role", "share")
        ]
        note = str(_("created") if created else (extra.get("note") or _("changed")))
        previous = obj.versions.filter(number__lt=obj.version).order_by("-number").first()
        if previous is not None:  # what changed, for the page's message
            obj.changed_names = [
                str(_("parties")) if k == "parties"
                else str(Contract._meta.get_field(k.removesuffix("_id")).verbose_name)
                for k in [*self.fields, "parties"]
                if data.get(k) != previous.data.get(k)
            ]  # fmt: skip
        ContractVersion.objects.create(
            contract=obj, number=obj.version, data=data, note=note[:300],
            created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip

    def saved_message(self, obj: Model, form: Any = None, *, created: bool) -> str:
        """What the save did: a new contract's version 1, or what the new version changed
        (``after_save`` noted it); an edit that changed nothing says so."""
        if created:
            return _("Contract created (version 1).")
        changed = getattr(obj, "changed_names", None)
        if not changed:
            return _("Nothing changed.")
        return _("Saved as version %(n)s; changed: %(what)s.") % {
            "n": obj.version, "what": _(", ").join(changed),
        }  # fmt: skip

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        from gongsheng.cooperation.views.common import _units

        return {"units": _units(request.user, consortium.pk)}

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:  # the list
            return {"types": ContractType.choices, "type": request.GET.get("type", "")}
        from django.contrib import messages

        from gongsheng.cooperation import selectors

        d = selectors.contract_detail(user=request.user, contract_id=obj.pk)
        split = None
        if d.contents and request.GET.get("total"):
            try:
                split = selectors.benefit_split(
                    user=request.user, contract_id=obj.pk, total=Decimal(request.GET["total"])
                )
            except (InvalidOperation, ImportError) as exc:
                messages.error(request, str(exc))
        return {"d": d, "split": split}
