"""Contract pages: list, detail, create and edit with parties."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongsheng.access.scope import can, can_add
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.choices import (
    ContractType,
)
from gongsheng.cooperation.forms import (
    ContractForm,
    PartyFormSet,
)
from gongsheng.cooperation.models import Contract
from gongsheng.cooperation.views.common import _row_errors, _units
from gongsheng.core.errors import Conflict, ValidationFailed
from gongsheng.core.pages import page_errors, paginate, query_without_page


# --- contracts --------------------------------------------------------------------------
@login_required
@page_errors
def contract_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    qs = selectors.contract_list(
        user=request.user, consortium_id=consortium.pk, type=request.GET.get("type", "")
    )
    page = paginate(request, qs)
    from gongsheng.access.scope import visible_contents

    visible = visible_contents(
        request.user, Contract.objects.filter(pk__in=[c.pk for c in page.object_list])
    )
    return render(
        request,
        "cooperation/contracts.html",
        {
            "page": page,
            "visible": visible,
            "query": query_without_page(request),
            "types": ContractType.choices,
            "type": request.GET.get("type", ""),
            "current_consortium": consortium,
            "can_add": can_add(request.user, Contract, consortium_id=consortium.pk),
            "nav": "contracts",
        },
    )


@login_required
@page_errors
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    d = selectors.contract_detail(user=request.user, contract_id=contract_id)
    split = None
    if d.contents and request.GET.get("total"):
        from decimal import Decimal, InvalidOperation

        try:
            split = selectors.benefit_split(
                user=request.user, contract_id=contract_id, total=Decimal(request.GET["total"])
            )
        except (InvalidOperation, ImportError) as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "cooperation/contract_detail.html",
        {
            "d": d,
            "c": d.contract,
            "split": split,
            "can_change": can(request.user, "change", d.contract),
            "current_consortium": d.contract.consortium,
            "nav": "contracts",
        },
    )


def _party_rows(formset: Any) -> list[tuple[Any, dict[str, Any]]]:
    """The filled rows of the parties formset, each with its party."""
    return [
        (f, {"unit_id": f.cleaned_data["unit"].pk, "role": f.cleaned_data["role"],
             "share": f.cleaned_data.get("share")})
        for f in formset.forms
        if f.cleaned_data.get("unit") is not None
    ]  # fmt: skip


def _contract_form_view(
    request: HttpRequest, consortium_id: int, contract: Any = None
) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    units = _units(request.user, consortium.pk)
    party_errors: list[str] = []
    if request.method == "POST":
        form = ContractForm(request.POST, instance=contract)
        parties = PartyFormSet(request.POST, prefix="parties", form_kwargs={"units": units})
        if form.is_valid() and parties.is_valid():
            data = {k: form.cleaned_data[k] for k in ContractForm.Meta.fields}
            rows = _party_rows(parties)
            try:
                if contract is None:
                    saved = services.contract_create(
                        actor=request.user, consortium_id=consortium.pk,
                        parties=[p for _f, p in rows], **data,
                    )  # fmt: skip
                else:
                    saved = services.contract_update(
                        actor=request.user, contract_id=contract.pk,
                        version=form.cleaned_data["version"], parties=[p for _f, p in rows],
                        **data,
                    )  # fmt: skip
            except (Conflict, ValidationFailed) as exc:
                party_errors = _row_errors(form, rows, exc, name="parties", row_field="unit")
            else:
                messages.success(request, _("Saved."))
                return redirect("cooperation:contract", saved.pk)
    else:
        initial = []
        if contract is not None:
            initial = [
                {"unit": p.unit_id, "role": p.role, "share": p.share}
                for p in contract.parties.order_by("id")
            ]
        form = ContractForm(
            instance=contract, initial={"version": contract.version} if contract else {}
        )
        parties = PartyFormSet(initial=initial, prefix="parties", form_kwargs={"units": units})
    return render(
        request,
        "cooperation/contract_form.html",
        {"form": form, "parties": parties, "party_errors": party_errors, "c": contract,
         "current_consortium": consortium, "nav": "contracts"},
    )  # fmt: skip


@login_required
@page_errors
def contract_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    return _contract_form_view(request, consortium_id)


@login_required
@page_errors
def contract_edit(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, contract_id=contract_id, action="change")
    return _contract_form_view(request, contract.consortium_id, contract)
