"""Pages for projects, contracts, IP and alerts: thin, over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, can_add, scope
from gongsheng.alerts.services import alert_acknowledge
from gongsheng.consortia.models import Unit
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.choices import (
    PROJECT_TRANSITIONS,
    ContractType,
    ProjectStatus,
    ProjectType,
)
from gongsheng.cooperation.forms import (
    AskForm,
    BudgetForm,
    ContractForm,
    InputForm,
    IPActionForm,
    IPAssetForm,
    LicenceForm,
    MilestoneForm,
    MoveForm,
    OutputForm,
    OwnerFormSet,
    ParticipantForm,
    PartyFormSet,
    ProjectForm,
)
from gongsheng.cooperation.models import Contract, IPAsset, Project
from gongsheng.core.errors import ApplicationError, Conflict, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.ledger.models import Category


def _units(user: Any, consortium_id: int) -> QuerySet[Unit]:
    return scope(
        user,
        Unit.objects.filter(
            memberships__consortium_id=consortium_id, memberships__status="admitted"
        ),
    ).order_by("name")


def _categories(consortium_id: int) -> list[tuple[str, str]]:
    return list(
        Category.objects.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
        .filter(is_active=True)
        .order_by("code")
        .values_list("code", "name")
    )


# --- projects ---------------------------------------------------------------------------
@login_required
@page_errors
def project_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    filters = selectors.ProjectFilter.from_params(request.GET)
    qs = selectors.project_list(user=request.user, consortium_id=consortium.pk, filters=filters)
    if request.GET.get("export"):
        from gongsheng.transfer.exporting import export_response

        return export_response(
            request, "projects", qs, fmt=request.GET["export"], actor=request.user,
            consortium_id=consortium.pk,
        )  # fmt: skip
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "filters": filters,
        "types": ProjectType.choices,
        "statuses": ProjectStatus.choices,
        "units": _units(request.user, consortium.pk),
        "current_consortium": consortium,
        "can_add": can_add(request.user, Project, consortium_id=consortium.pk),
        "nav": "projects",
    }
    template = "cooperation/projects.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "project-table":
        template += "#project-table"
    return render(request, template, context)


@login_required
@page_errors
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    d = selectors.project_detail(user=request.user, project_id=project_id)
    p = d.project
    units = _units(request.user, p.consortium_id)
    cats = _categories(p.consortium_id)
    participant_units = Unit.objects.filter(project_participations__project=p).order_by("name")
    return render(
        request,
        "cooperation/project_detail.html",
        {
            "d": d,
            "p": p,
            "moves": [(s, ProjectStatus(s).label) for s in PROJECT_TRANSITIONS[p.status]],
            "input_form": InputForm(units=participant_units, categories=cats),
            "output_form": OutputForm(units=units, categories=cats),
            "participant_form": ParticipantForm(units=units),
            "milestone_form": MilestoneForm(),
            "budget_form": BudgetForm(),
            "current_consortium": p.consortium,
            "nav": "projects",
        },
    )


def _project_form_view(
    request: HttpRequest, consortium_id: int, project: Any = None
) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    units = _units(request.user, consortium.pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project, units=units)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ProjectForm.Meta.fields}
            data["lead_unit_id"] = data.pop("lead_unit").pk
            try:
                if project is None:
                    saved = services.project_create(
                        actor=request.user, consortium_id=consortium.pk, **data
                    )
                else:
                    saved = services.project_update(
                        actor=request.user, project_id=project.pk,
                        version=form.cleaned_data["version"], **data,
                    )  # fmt: skip
            except (Conflict, ValidationFailed) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("cooperation:project", saved.pk)
    else:
        form = ProjectForm(
            instance=project, units=units,
            initial={"version": project.version} if project else {},
        )  # fmt: skip
    return render(
        request,
        "cooperation/project_form.html",
        {"form": form, "p": project, "current_consortium": consortium, "nav": "projects"},
    )


@login_required
@page_errors
def project_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    return _project_form_view(request, consortium_id)


@login_required
@page_errors
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=project_id, action="change")
    if request.method == "POST":  # re-read under the service's lock; the form carries the version
        project = selectors.project_get(user=request.user, project_id=project_id)
    return _project_form_view(request, project.consortium_id, project)


def _run(request: HttpRequest, project_id: int, call: Any) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        detail = "; ".join(str(e.message) for e in exc.errors)
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, _("Saved."))
    return redirect("cooperation:project", project_id)


@login_required
@require_POST
@page_errors
def project_move(request: HttpRequest, project_id: int) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete."))
        return redirect("cooperation:project", project_id)
    return _run(request, project_id, lambda: services.project_move(
        actor=request.user, project_id=project_id, to_status=form.cleaned_data["to_status"],
        version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
    ))  # fmt: skip


@login_required
@require_POST
@page_errors
def project_part(request: HttpRequest, project_id: int, part: str) -> HttpResponse:
    p = selectors.project_get(user=request.user, project_id=project_id)
    units = _units(request.user, p.consortium_id)
    cats = _categories(p.consortium_id)
    forms = {
        "input": lambda: InputForm(request.POST, units=units, categories=cats),
        "output": lambda: OutputForm(request.POST, units=units, categories=cats),
        "participant": lambda: ParticipantForm(request.POST, units=units),
        "milestone": lambda: MilestoneForm(request.POST),
        "budget": lambda: BudgetForm(request.POST),
    }
    if part not in forms:
        return redirect("cooperation:project", project_id)
    form = forms[part]()
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
                      for k, v in form.errors.items()),
        )  # fmt: skip
        return redirect("cooperation:project", project_id)
    c, u = form.cleaned_data, request.user
    calls = {
        "input": lambda: services.input_record(
            actor=u, project_id=p.pk, unit_id=c["unit"].pk, category=c["category"],
            committed=c["committed"], actual=c["actual"], on=c["on"],
        ),
        "output": lambda: services.output_record(
            actor=u, project_id=p.pk, title=c["title"], category=c["category"],
            quantity=c["quantity"], receiver_id=c["receiver"].pk, on=c["on"],
        ),
        "participant": lambda: services.participant_add(
            actor=u, project_id=p.pk, unit_id=c["unit"].pk, role=c["role"]
        ),
        "milestone": lambda: services.milestone_save(
            actor=u, project_id=p.pk, title=c["title"], due_on=c["due_on"],
            progress=c["progress"],
        ),
        "budget": lambda: services.budget_line_add(
            actor=u, project_id=p.pk, source=c["source"], amount=c["amount"]
        ),
    }  # fmt: skip
    return _run(request, project_id, calls[part])


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


def _row_errors(
    form: Any, rows: list[Any], exc: ApplicationError, *, name: str, row_field: str
) -> list[str]:
    """Put a service's problems with the ``name`` rows (parties, owners) beside the row they
    name and return those about the rows as a whole (shown above that table); problems with
    the record's own fields go beside those fields."""
    above: list[str] = []
    rest = []
    for err in exc.errors:
        if err.field == name and err.row is not None and 0 < err.row <= len(rows):
            rows[err.row - 1][0].add_error(row_field, err.message)
        elif err.field == name:
            above.append(str(err.message))
        else:
            rest.append(err)
    if rest or not exc.errors:
        form_errors(form, ValidationFailed(exc.message, rest) if rest else exc)
    elif not above:
        above.append(str(exc.message))
    return above


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


# --- alerts -----------------------------------------------------------------------------
@login_required
@page_errors
def alert_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    show_all = request.GET.get("all") == "1"
    qs = selectors.alert_list(
        user=request.user, consortium_id=consortium.pk, open_only=not show_all
    )
    page = paginate(request, qs)
    from gongsheng.cooperation.models import IPRecordedAction

    action_ids = [
        a.source_id for a in page.object_list if a.source_type == "cooperation.iprecordedaction"
    ]
    assets = dict(
        IPRecordedAction.objects.filter(pk__in=action_ids).values_list("pk", "asset_id")
    )  # one query for the page; links lead to the IP asset concerned
    for a in page.object_list:
        a.asset_id = assets.get(a.source_id) if a.source_type.startswith("cooperation.") else None
    return render(
        request,
        "cooperation/alerts.html",
        {
            "page": page,
            "query": query_without_page(request),
            "show_all": show_all,
            # the alert policy's "acknowledge" move, for the alerts on this page (one query)
            "ackable": set(
                scope(
                    request.user, qs.filter(pk__in=[a.pk for a in page.object_list]), "acknowledge"
                ).values_list("pk", flat=True)
            ),
            "current_consortium": consortium,
            "nav": "alerts",
        },
    )


@login_required
@require_POST
@page_errors
def alert_ack(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_acknowledge(actor=request.user, alert_id=alert_id)
    messages.success(request, _("Alert acknowledged."))
    return redirect("cooperation:alerts", alert.consortium_id)
