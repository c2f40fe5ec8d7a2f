"""IP pages: assets, owners, recorded actions and licences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, can_add, scope
from gongsheng.consortia.models import Unit
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.forms import (
    AskForm,
    IPActionForm,
    IPAssetForm,
    LicenceForm,
    OwnerFormSet,
)
from gongsheng.cooperation.models import Contract, IPAsset, Project
from gongsheng.cooperation.views.common import _row_errors, _units
from gongsheng.core.errors import ApplicationError, Conflict, ValidationFailed
from gongsheng.core.pages import page_errors, paginate, query_without_page


# --- IP ---------------------------------------------------------------------------------
@login_required
@page_errors
def ip_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    qs = selectors.ip_asset_list(user=request.user, consortium_id=consortium.pk)
    return render(
        request,
        "cooperation/ip_list.html",
        {"page": paginate(request, qs), "query": query_without_page(request),
         "can_add": can_add(request.user, IPAsset, consortium_id=consortium.pk),
         "current_consortium": consortium, "nav": "ip"},
    )  # fmt: skip


@login_required
@page_errors
def ip_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    d = selectors.ip_asset_detail(user=request.user, asset_id=asset_id)
    units = _units(request.user, d.asset.consortium_id)
    verdict = None
    form = AskForm(request.GET if "action" in request.GET else None, units=units)
    if d.contents and form.is_bound and form.is_valid():
        verdict = selectors.ip_ask(
            user=request.user, asset_id=asset_id, unit_id=form.cleaned_data["unit"].pk,
            action=form.cleaned_data["action"], licence_kind=form.cleaned_data["licence_kind"],
        )  # fmt: skip
    consent_units = (
        list(Unit.objects.filter(pk__in=verdict.consent_of)) if verdict is not None else []
    )
    acting = _acting_units(request.user, d.asset, units)
    return render(
        request,
        "cooperation/ip_detail.html",
        {
            "d": d,
            "a": d.asset,
            "form": form,
            "verdict": verdict,
            "consent_units": consent_units,
            "licence_form": LicenceForm(units=units, acting=acting)
            if can(request.user, "license", d.asset)
            else None,
            "action_form": IPActionForm(units=units, acting=acting)
            if can(request.user, "record_action", d.asset)
            else None,
            "can_change": can(request.user, "change", d.asset),
            "current_consortium": d.asset.consortium,
            "nav": "ip",
        },
    )


def _acting_units(user: Any, asset: Any, units: Any) -> Any:
    """The units ``user`` may license or record in the name of: any (the secretariat, who
    may change the asset) or only its own unit (a unit admin of an owner or licensee)."""
    return units if can(user, "change", asset) else units.filter(pk=user.unit_id)


@login_required
@require_POST
@page_errors
def ip_record(request: HttpRequest, asset_id: int, what: str) -> HttpResponse:
    """Record a licence or another IP action; the rules engine checks it and may alert."""
    d = selectors.ip_asset_detail(user=request.user, asset_id=asset_id)
    units = _units(request.user, d.asset.consortium_id)
    acting = _acting_units(request.user, d.asset, units)
    form = (LicenceForm if what == "licence" else IPActionForm)(
        request.POST, units=units, acting=acting
    )
    if not d.contents or not form.is_valid():
        messages.error(request, _("The form was incomplete."))
        return redirect("cooperation:ip_asset", asset_id)
    c = form.cleaned_data
    try:
        if what == "licence":
            services.licence_grant(
                actor=request.user,
                asset_id=asset_id,
                licensor_id=c["licensor"].pk,
                licensee_id=c["licensee"].pk,
                kind=c["kind"],
                starts_on=c["starts_on"],
                ends_on=c["ends_on"],
                field_of_use=c["field_of_use"],
                territory=c["territory"],
                may_sublicense=c["may_sublicense"],
                may_transfer=c["may_transfer"],
                consent_obtained=c["consent_obtained"],
            )
        else:
            services.ip_action_record(
                actor=request.user,
                asset_id=asset_id,
                unit_id=c["unit"].pk,
                action=c["action"],
                on=c["on"],
                counterparty_id=c["counterparty"].pk if c["counterparty"] else None,
                consent_obtained=c["consent_obtained"],
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("cooperation:ip_asset", asset_id)


def _owner_rows(owners: Any) -> list[tuple[Any, tuple[int, Any]]]:
    """The filled rows of the owners formset, each with its (unit id, share)."""
    return [
        (f, (f.cleaned_data["unit"].pk, f.cleaned_data.get("share") or 0))
        for f in owners.forms
        if f.cleaned_data.get("unit")
    ]


def _ip_form_view(request: HttpRequest, consortium_id: int, asset: Any = None) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    units = _units(request.user, consortium.pk)
    choices = {
        "contracts": scope(request.user, Contract.objects.filter(consortium_id=consortium.pk))
        .order_by("title"),
        "projects": scope(request.user, Project.objects.filter(consortium_id=consortium.pk))
        .order_by("name"),
    }  # fmt: skip
    owner_errors: list[str] = []
    if request.method == "POST":
        form = IPAssetForm(request.POST, instance=asset, **choices)
        owners = OwnerFormSet(request.POST, prefix="owners", form_kwargs={"units": units})
        if form.is_valid() and owners.is_valid():
            data = {k: form.cleaned_data[k] for k in IPAssetForm.Meta.fields}
            for key in ("contract", "project"):
                data[f"{key}_id"] = data[key].pk if data[key] else None
                del data[key]
            rows = _owner_rows(owners)
            try:
                if asset is None:
                    saved = services.ip_asset_create(
                        actor=request.user, consortium_id=consortium.pk,
                        owners=[r for _f, r in rows], **data,
                    )  # fmt: skip
                else:
                    saved = services.ip_asset_update(
                        actor=request.user, asset_id=asset.pk,
                        version=form.cleaned_data["version"], owners=[r for _f, r in rows],
                        consent_obtained=form.cleaned_data["consent_obtained"], **data,
                    )  # fmt: skip
            except (Conflict, ValidationFailed) as exc:
                owner_errors = _row_errors(form, rows, exc, name="owners", row_field="share")
            else:
                messages.success(request, _("Saved."))
                return redirect("cooperation:ip_asset", saved.pk)
    else:
        form = IPAssetForm(
            instance=asset, initial={"version": asset.version} if asset else {}, **choices
        )
        initial = (
            [{"unit": o.unit_id, "share": o.share} for o in asset.owners.order_by("-share", "id")]
            if asset is not None
            else []
        )
        owners = OwnerFormSet(initial=initial, prefix="owners", form_kwargs={"units": units})
    return render(
        request,
        "cooperation/ip_form.html",
        {"form": form, "owners": owners, "owner_errors": owner_errors, "a": asset,
         "current_consortium": consortium, "nav": "ip"},
    )  # fmt: skip


@login_required
@page_errors
def ip_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    return _ip_form_view(request, consortium_id)


@login_required
@page_errors
def ip_edit(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = selectors.ip_asset_get(user=request.user, asset_id=asset_id, action="change")
    return _ip_form_view(request, asset.consortium_id, asset)
