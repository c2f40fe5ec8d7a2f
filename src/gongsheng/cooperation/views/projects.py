"""Project pages: list, detail, create, edit, lifecycle moves and parts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can_add
from gongsheng.consortia.models import Unit
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.choices import (
    PROJECT_TRANSITIONS,
    ProjectStatus,
    ProjectType,
)
from gongsheng.cooperation.forms import (
    BudgetForm,
    InputForm,
    MilestoneForm,
    MoveForm,
    OutputForm,
    ParticipantForm,
    ProjectForm,
)
from gongsheng.cooperation.models import Project
from gongsheng.cooperation.views.common import _categories, _units
from gongsheng.core.errors import ApplicationError, Conflict, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page


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
