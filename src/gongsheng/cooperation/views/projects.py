"""The project page's forms for its parts (milestones, participants, inputs, outputs, budget).

The list, detail, new, edit and move pages are declared (``cooperation.declarations.projects``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.forms import (
    BudgetForm,
    InputForm,
    MilestoneForm,
    OutputForm,
    ParticipantForm,
)
from gongsheng.cooperation.views.common import _categories, _units
from gongsheng.core.errors import ApplicationError
from gongsheng.core.pages import page_errors


def _run(request: HttpRequest, project_id: int, call: Any, part: str) -> HttpResponse:
    try:
        saved = call()
    except ApplicationError as exc:
        detail = "; ".join(str(e.message) for e in exc.errors)
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, _done(part, saved))
    return redirect("cooperation:project", project_id)


def _done(part: str, obj: Any) -> str:
    """What the step recorded, in the page's message (not just "Saved.")."""
    if part == "milestone":
        return _("Milestone “%(t)s” added.") % {"t": obj.title}
    if part == "participant":
        return _("%(unit)s takes part as %(role)s.") % {
            "unit": obj.unit, "role": obj.get_role_display(),
        }  # fmt: skip
    if part == "input":
        return _("Input of %(unit)s recorded: %(c)s, committed %(k)s, actual %(a)s.") % {
            "unit": obj.unit, "c": obj.category, "k": f"{obj.committed:g}", "a": f"{obj.actual:g}",
        }  # fmt: skip
    if part == "output":
        return _("Output “%(t)s” recorded for %(unit)s.") % {"t": obj.title, "unit": obj.receiver}
    return _("Budget line added: %(s)s, %(a)s CNY.") % {
        "s": obj.get_source_display(), "a": f"{obj.amount:,.2f}",
    }  # fmt: skip


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
    return _run(request, project_id, calls[part], part)
