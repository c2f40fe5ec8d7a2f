"""Pages of the policy register: thin, over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, has_role
from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.environment import selectors, services
from gongsheng.environment.choices import Classification, Instrument, PolicyKind
from gongsheng.environment.forms import EvidenceForm, PolicyForm, WithdrawForm


def may_edit(user: Any, consortium_id: int) -> bool:
    """The secretariat, the consortium's supervisors and platform admins edit the register."""
    return has_role(user, "secretariat", consortium_id) or has_role(
        user, "supervisor", consortium_id
    )


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 < int(raw) < 2200 else timezone.localdate().year


@login_required
@page_errors
def policy_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    filters = selectors.PolicyFilter.from_params(request.GET)
    qs = selectors.policy_list(user=request.user, consortium_id=consortium.pk, filters=filters)
    if request.GET.get("export"):
        from gongsheng.transfer.exporting import export_response

        return export_response(
            request, "policies", qs.order_by("pk"), fmt=request.GET["export"],
            actor=request.user, consortium_id=consortium.pk,
        )  # fmt: skip
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "filters": filters,
        "kinds": PolicyKind.choices,
        "instruments": Instrument.choices,
        "classifications": Classification.choices,
        "can_add": may_edit(request.user, consortium.pk),
        "can_import": can(request.user, "change", consortium),
        "current_consortium": consortium,
        "nav": "environment",
    }
    template = "environment/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "policy-table":
        template += "#policy-table"
    return render(request, template, context)


@login_required
@page_errors
def incentives(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    year = _year(request)
    result = selectors.incentive_amounts(user=request.user, consortium_id=consortium.pk, year=year)
    return render(
        request,
        "environment/incentives.html",
        {"result": result, "year": year, "current_consortium": consortium,
         "nav": "environment"},
    )  # fmt: skip


@login_required
@page_errors
def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    from gongsheng.access.selectors import audit_contents_visible, audit_for_object

    policy = selectors.policy_get(user=request.user, policy_id=policy_id)
    editable = may_edit(request.user, policy.consortium_id)
    history = list(audit_for_object(user=request.user, obj=policy)[:20])
    return render(
        request,
        "environment/detail.html",
        {
            "p": policy,
            "can_change": editable,
            "withdraw_form": WithdrawForm(
                initial={"version": policy.version, "on": timezone.localdate()}
            ),
            "evidence_form": EvidenceForm(initial={"version": policy.version}),
            "history": history,
            "visible": audit_contents_visible(user=request.user, entries=history),
            "current_consortium": policy.consortium,
            "nav": "environment",
        },
    )


@login_required
@page_errors
def policy_comparison(request: HttpRequest, policy_id: int) -> HttpResponse:
    """The descriptive before/after comparison around the policy's start (htmx part)."""
    policy = selectors.policy_get(user=request.user, policy_id=policy_id)
    raw = request.GET.get("k", "")
    k = int(raw) if raw.isdigit() else 2
    comparison = selectors.policy_comparison(user=request.user, policy_id=policy.pk, k=k)
    template = "environment/comparison.html"
    if request.headers.get("HX-Request"):
        template += "#comparison"
    return render(
        request,
        template,
        {"p": policy, "c": comparison, "current_consortium": policy.consortium,
         "nav": "environment"},
    )  # fmt: skip


def _form_view(request: HttpRequest, consortium_id: int, policy: Any = None) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    units = selectors.member_units(user=request.user, consortium_id=consortium.pk)
    if request.method == "POST":
        form = PolicyForm(request.POST, instance=policy, units=units)
        if form.is_valid():
            try:
                if policy is None:
                    saved = services.policy_create(
                        actor=request.user, consortium_id=consortium.pk, **form.service_data()
                    )
                else:
                    saved = services.policy_update(
                        actor=request.user, policy_id=policy.pk,
                        version=form.cleaned_data["version"], **form.service_data(),
                    )  # fmt: skip
            except (Conflict, ValidationFailed) as exc:
                form_errors(form, _field_map(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("environment:detail", saved.pk)
    else:
        form = PolicyForm(
            instance=policy, units=units,
            initial={"version": policy.version} if policy else {},
        )  # fmt: skip
    return render(
        request,
        "environment/form.html",
        {"form": form, "p": policy, "current_consortium": consortium, "nav": "environment"},
    )


def _field_map(exc: Any) -> Any:
    """Service field names -> form fields (target_groups -> groups, target_units -> units)."""
    names = {"target_groups": "groups", "target_units": "units"}
    for err in exc.errors:
        err.field = names.get(err.field, err.field)
    return exc


@login_required
@page_errors
def policy_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium_get(user=request.user, consortium_id=consortium_id)
    if not may_edit(request.user, consortium_id):
        raise Forbidden(_("You may not add policies in this consortium."))
    return _form_view(request, consortium_id)


@login_required
@page_errors
def policy_edit(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = selectors.policy_get(user=request.user, policy_id=policy_id, action="change")
    return _form_view(request, policy.consortium_id, policy)


@login_required
@require_POST
@page_errors
def policy_withdraw(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = selectors.policy_get(user=request.user, policy_id=policy_id, action="change")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the policy is withdrawn."))
        return redirect("environment:detail", policy.pk)
    try:
        services.policy_withdraw(
            actor=request.user, policy_id=policy.pk, version=form.cleaned_data["version"],
            on=form.cleaned_data["on"], reason=form.cleaned_data["reason"],
        )  # fmt: skip
        messages.success(request, _("Withdrawn."))
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    return redirect("environment:detail", policy.pk)


@login_required
@require_POST
@page_errors
def policy_delete(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = selectors.policy_get(user=request.user, policy_id=policy_id, action="delete")
    try:
        services.policy_delete(actor=request.user, policy_id=policy.pk, version=_version(request))
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("environment:detail", policy.pk)
    messages.success(request, _("Deleted."))
    return redirect("environment:list", policy.consortium_id)


@login_required
@page_errors
def policy_evidence(request: HttpRequest, policy_id: int) -> HttpResponse:
    """GET: download the evidence file; POST: attach or replace it."""
    if request.method == "POST":
        policy = selectors.policy_get(user=request.user, policy_id=policy_id, action="change")
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.policy_evidence_set(
                    actor=request.user, policy_id=policy.pk, name=upload.name,
                    data=upload.read(), version=form.cleaned_data["version"],
                )  # fmt: skip
                messages.success(request, _("Evidence attached."))
            except (Conflict, ValidationFailed) as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, _("Choose a file."))
        return redirect("environment:detail", policy.pk)
    policy = selectors.policy_get(user=request.user, policy_id=policy_id)
    if not policy.evidence:
        raise NotFound()
    return FileResponse(
        policy.evidence.open("rb"), as_attachment=True, filename=policy.evidence_name
    )
