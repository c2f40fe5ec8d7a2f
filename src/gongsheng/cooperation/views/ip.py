"""IP pages: the asset page's own parts, and recording licences and IP actions (the asset's
list, detail, new and edit pages are declared: ``cooperation.declarations.ip``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can
from gongsheng.consortia.models import Unit
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.forms import (
    AskForm,
    IPActionForm,
    LicenceForm,
)
from gongsheng.cooperation.views.common import _units
from gongsheng.core.errors import ApplicationError
from gongsheng.core.pages import page_errors


# --- IP ---------------------------------------------------------------------------------
# the list, detail, new and edit pages are declared (cooperation.declarations.ip); the detail
# page's forms come from here
def detail_context(request: HttpRequest, asset: Any) -> dict[str, Any]:
    """The asset page's own parts: its owners, licences and actions, the rules engine's
    question form (and its answer) and the forms recording a licence or another IP action."""
    d = selectors.ip_asset_detail(user=request.user, asset_id=asset.pk)
    units = _units(request.user, d.asset.consortium_id)
    verdict = None
    form = AskForm(request.GET if "action" in request.GET else None, units=units)
    if d.contents and form.is_bound and form.is_valid():
        verdict = selectors.ip_ask(
            user=request.user, asset_id=asset.pk, unit_id=form.cleaned_data["unit"].pk,
            action=form.cleaned_data["action"], licence_kind=form.cleaned_data["licence_kind"],
        )  # fmt: skip
    consent_units = (
        list(Unit.objects.filter(pk__in=verdict.consent_of)) if verdict is not None else []
    )
    acting = _acting_units(request.user, d.asset, units)
    return {
        "d": d,
        "form": form,
        "verdict": verdict,
        "consent_units": consent_units,
        "licence_form": LicenceForm(units=units, acting=acting)
        if can(request.user, "license", d.asset)
        else None,
        "action_form": IPActionForm(units=units, acting=acting)
        if can(request.user, "record_action", d.asset)
        else None,
    }


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
