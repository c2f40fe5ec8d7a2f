"""The cooperation project's declaration: its list (filters, htmx table, export), detail, new
and edit pages, the API (``/projects``, ``/projects/{id}``, PATCH with If-Match, ``POST
/projects/{id}/move``), the import/export table and the create / update services come from it
(``gongsheng.declare``).

What stays explicit in the app, and why:

* the lifecycle (``project_move``): a named service that records the transition, brings the
  ledger in step and tells the participants; it is the declaration's ``move`` (same page URL
  ``/projects/<id>/move/`` and API path);
* a new project's lead unit takes part in it (``save_extra`` adds the participant, on create
  and when the lead changes), and the lead must be an admitted member (``prepare_extra``);
* the project's parts — milestones, budget lines, participants, inputs and outputs — are
  recorded on the project's page and under ``/api/projects/{id}/…`` by their own services:
  each write bumps the project's version, is audited as a change of the project and (inputs,
  outputs) reposts the project's ledger flows. They have no version of their own, no page of
  their own, and are never edited or deleted one by one, so the declaration's standard
  update / delete (version checks, one record's page) has nothing to serve them;
* projects are not deleted (their transitions and ledger flows are the record of what
  happened): a project that should not go on is terminated.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.cooperation.choices import PROJECT_TRANSITIONS, ProjectStatus, ProjectType
from gongsheng.cooperation.forms import BudgetForm, MilestoneForm, MoveForm, ProjectForm
from gongsheng.cooperation.models import Participant, Project
from gongsheng.cooperation.schemas import (
    MoveIn,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)
from gongsheng.cooperation.services.projects import FINISHED
from gongsheng.cooperation.transfers.projects import COLUMNS, ProjectResource
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.declare.declaration import Declaration, Events, Move, register


class ProjectFilterSet(django_filters.FilterSet):
    """Search in name and code; type, status, a participating unit, the year it starts.
    The list page, the API (query parameters of the same names) and the export use it."""

    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    type = django_filters.CharFilter(label=gettext_lazy("Type"))
    status = django_filters.CharFilter(label=gettext_lazy("Status"))
    unit = django_filters.NumberFilter(label=gettext_lazy("Participant"), method="participant")
    year = django_filters.NumberFilter(label=gettext_lazy("Year"), field_name="starts_on__year")

    class Meta:
        model = Project
        fields = ["q", "type", "status", "unit", "year"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else qs

    def participant(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        units = Participant.objects.filter(unit_id=int(value)).values("project_id")
        return qs.filter(pk__in=units)


def _member_units(user: Any, consortium_id: int) -> QuerySet:
    from gongsheng.cooperation.views.common import _units

    return _units(user, consortium_id)


def check_lead(consortium_id: int, unit_id: int) -> None:
    """The lead unit must be an admitted member of the consortium."""
    from gongsheng.consortia.models import Membership

    if not Membership.objects.filter(
        consortium_id=consortium_id, unit_id=unit_id, status="admitted"
    ).exists():
        raise ValidationFailed(
            _("The unit is not an admitted member of this consortium."),
            [FieldError("lead_unit", _("not an admitted member"))],
        )


@register
class ProjectDeclaration(Declaration):
    model = Project
    name = "projects"
    namespace = "cooperation"
    label = gettext_lazy("Cooperation projects")
    id_name = "project_id"
    url_names = {
        "list": "projects", "create": "project_create", "detail": "project",
        "edit": "project_edit", "move": "project_move",
    }  # fmt: skip
    fields = ("code", "name", "type", "lead_unit_id", "starts_on", "ends_on", "description")
    # projects are not deleted (see above): ``deleted`` is never written
    events = Events(EventType.PROJECT_CREATED, EventType.PROJECT_CHANGED, EventType.PROJECT_CHANGED)
    deletable = False
    moves = (
        Move(
            "move",
            "gongsheng.cooperation.services.projects.project_move",
            label=gettext_lazy("Move"),
            form=MoveForm,
            schema=MoveIn,
            event=EventType.PROJECT_MOVED,
            invalid=gettext_lazy("The form was incomplete."),
            done=lambda p: moved_message(p),
        ),
    )
    form = ProjectForm
    filterset = ProjectFilterSet
    columns = COLUMNS
    resource = ProjectResource
    schema_out, schema_in, schema_patch = ProjectOut, ProjectIn, ProjectPatch
    schema_detail = ProjectDetailOut
    api_tags = ["cooperation"]
    unit_field = "lead_unit"
    select_related = ("consortium", "lead_unit")
    list_template = "cooperation/projects.html"
    detail_template = "cooperation/project_detail.html"
    form_template = "cooperation/project_form.html"
    context_name = "p"
    table_id = "project-table"
    nav = "projects"
    invalid_message = gettext_lazy("The project could not be saved.")
    add_forbidden = gettext_lazy("You may not add projects in this consortium.")

    def prepare_extra(self, obj: Model, extra: dict[str, Any]) -> dict[str, Any]:
        lead = obj.lead_unit_id
        if lead is None:  # the field check names the missing lead unit
            return {"lead_changed": False}
        if obj.pk is None:
            changed = True
        else:
            stored = Project.objects.filter(pk=obj.pk).values_list("lead_unit_id", flat=True)
            changed = stored.first() != lead
        if changed:
            check_lead(obj.consortium_id, lead)
        return {"lead_changed": changed}

    def extra_changed(self, obj: Model, extra: dict[str, Any], before: dict[str, Any]) -> bool:
        return bool(extra.get("lead_changed"))

    def save_extra(self, obj: Model, extra: dict[str, Any]) -> None:
        if extra.get("lead_changed"):
            Participant.objects.get_or_create(
                project=obj, unit_id=obj.lead_unit_id, defaults={"role": "lead"}
            )

    def saved_message(self, obj: Model, form: Any = None, *, created: bool) -> str:
        if created:
            return _("Project “%(name)s” created as a draft.") % {"name": obj.name}
        changed = [str(form.fields[n].label) for n in form.changed_data if n != "version"]
        if not changed:
            return _("Project “%(name)s”: nothing changed.") % {"name": obj.name}
        return _("Project “%(name)s” saved; changed: %(fields)s.") % {
            "name": obj.name,
            "fields": _(", ").join(changed),
        }

    def service_data(self, form: Any) -> dict[str, Any]:
        data = {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        data["lead_unit_id"] = form.cleaned_data["lead_unit"].pk
        return data

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        return {"units": _member_units(request.user, consortium.pk)}

    def api_detail(self, user: Any, obj: Model) -> Any:
        from gongsheng.cooperation.selectors import project_detail

        return project_detail(user=user, project_id=obj.pk).__dict__

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:  # the list: the filters' choices
            consortium_id = request.resolver_match.kwargs["consortium_id"]
            return {
                "types": ProjectType.choices,
                "statuses": ProjectStatus.choices,
                "units": _member_units(request.user, consortium_id),
            }
        return detail_context(request, obj)


def moved_message(project: Project) -> str:
    """The page's message after a lifecycle move: where the project is now."""
    return _("Project “%(name)s” is now %(status)s.") % {
        "name": project.name,
        "status": project.get_status_display(),
    }


def detail_context(request: Any, obj: Project) -> dict[str, Any]:
    """The project page: the project with its parts and the forms that record them."""
    from gongsheng.consortia.models import Unit
    from gongsheng.cooperation.forms import InputForm, OutputForm, ParticipantForm
    from gongsheng.cooperation.selectors import project_detail
    from gongsheng.cooperation.views.common import _categories

    d = project_detail(user=request.user, project_id=obj.pk)
    p = d.project
    units = _member_units(request.user, p.consortium_id)
    cats = _categories(p.consortium_id)
    participant_units = Unit.objects.filter(project_participations__project=p).order_by("name")
    return {
        "d": d,
        "p": p,
        "moves": [(s, ProjectStatus(s).label) for s in PROJECT_TRANSITIONS[p.status]],
        "input_form": InputForm(units=participant_units, categories=cats),
        "output_form": OutputForm(units=units, categories=cats),
        "participant_form": ParticipantForm(units=units),
        "milestone_form": MilestoneForm(),
        "budget_form": BudgetForm(),
        "current_consortium": p.consortium,
        # a closed or terminated project takes no more parts: their forms are not shown
        "open": p.status not in FINISHED,
    }
