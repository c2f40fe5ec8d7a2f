"""Pages for dynamics and games: thin, over selectors and services.

Each model page is a GET form; the result is rendered into ``#…-result`` by htmx (with a
progress indicator) or in the full page without JavaScript. The secretariat saves the inputs
shown as a scenario (POST), which the service runs again and keeps.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.core.errors import Conflict, ValidationFailed
from gongsheng.core.pages import error_text, form_errors, page_errors, paginate, query_without_page
from gongsheng.modelling import display, selectors, services
from gongsheng.modelling.choices import GAME_PARAMETERS, Group, ScenarioKind
from gongsheng.modelling.forms import (
    GameForm,
    LogisticForm,
    ScenarioEditForm,
    ScenarioSaveForm,
    logistic_initial,
)
from gongsheng.modelling.models import Scenario


def _is_htmx(request: HttpRequest, target: str) -> bool:
    return bool(request.headers.get("HX-Request")) and request.headers.get("HX-Target") == target


def _series_table(series: selectors.GroupSeries) -> list[dict[str, Any]]:
    rows = []
    for k, y in enumerate(series.years):
        rows.append(
            {
                "year": y,
                "cells": [(series.inputs[g][k], series.outputs[g][k]) for g in Group.values],
            }
        )
    return rows


@login_required
@page_errors
def dynamics(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.viewable_consortium(user=request.user, consortium_id=consortium_id)
    bound = "quality" in request.GET
    form = LogisticForm(request.GET if bound else None, initial=logistic_initial())
    data = request.GET if bound else _as_query(logistic_initial())
    result, error = _run(request, consortium.pk, ScenarioKind.LOGISTIC, data)
    context = _model_context(request, consortium, form, result, error, data)
    context["view_logistic"] = display.logistic(result)
    template = "modelling/dynamics.html"
    if _is_htmx(request, "dynamics-result"):
        template += "#dynamics-result"
    else:
        series = selectors.group_series(user=request.user, consortium_id=consortium.pk)
        context["series"] = series
        context["series_rows"] = _series_table(series)
        context["group_labels"] = [str(lab) for lab in Group.labels]
    return render(request, template, context)


def _run(
    request: HttpRequest, consortium_id: int, kind: str, data: QueryDict
) -> tuple[dict[str, Any] | None, ValidationFailed | None]:
    """(the model's result, None), or (None, why its inputs are refused)."""
    try:
        inputs = selectors.run_inputs(kind, data)
        result = selectors.run(
            user=request.user, consortium_id=consortium_id, kind=kind, inputs=inputs
        )
    except ValidationFailed as exc:
        return None, exc
    return result, None


def _model_context(
    request: HttpRequest, consortium: Any, form: Any, result: Any, error: Any, data: QueryDict
) -> dict[str, Any]:
    """What the dynamics and the game pages both show: the form, the result or the error, the
    query to save as a scenario."""
    return {
        "current_consortium": consortium,
        "nav": "modelling",
        "form": form,
        "result": result,
        "error": error,
        "query": data.urlencode(),
        "can_save": selectors.may_save(user=request.user, consortium_id=consortium.pk),
        "save_form": ScenarioSaveForm(),
    }


def _as_query(data: dict[str, Any]) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in data.items():
        if v is None:
            continue
        if isinstance(v, list):
            q.setlist(k, [str(x) for x in v])
        else:
            q[k] = str(v)
    return q


@login_required
@page_errors
def game(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.viewable_consortium(user=request.user, consortium_id=consortium_id)
    bound = "delta_r" in request.GET
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
    raw_scale = request.GET.get("scale", "")
    scale = int(raw_scale) if raw_scale.isdigit() and int(raw_scale) > 0 else 10_000
    prefill = selectors.game_prefill(
        user=request.user, consortium_id=consortium.pk, year=year, scale=scale
    )
    initial = selectors.game_start(prefill)
    data = request.GET if bound else _as_query(initial)
    form = GameForm(data)
    result, error = _run(request, consortium.pk, ScenarioKind.GAME, data)
    rows = [
        {
            "field": form[name],
            "prefillable": prefillable,
            "prefill": prefill.values.get(name),
            "cny": prefill.amounts_cny.get(name),
            "sources": prefill.sources.get(name, []),
        }
        for name, _label, prefillable in GAME_PARAMETERS
    ]
    incentives = [v for v in prefill.values.values() if v]
    context = _model_context(request, consortium, form, result, error, data)
    context |= {
        "rows": rows,
        # the policies' amounts dwarf the other parameters: probably a different unit
        "scale_warning": bool(
            result
            and incentives
            and max(incentives) > 10 * max(result["params"][k] for k in ("delta_r", "c_s", "c_e"))
        ),
        "prefill": prefill,
        "view_game": display.game(result),
    }
    template = "modelling/game.html"
    if _is_htmx(request, "game-result"):
        template += "#game-result"
    return render(request, template, context)


@login_required
@require_POST
@page_errors
def scenario_save(request: HttpRequest, consortium_id: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    page = "modelling:game" if kind == ScenarioKind.GAME else "modelling:dynamics"
    back = reverse(page, args=[consortium_id]) + "?" + request.POST.get("query", "")
    inputs = QueryDict(request.POST.get("query", ""))
    try:
        scenario = services.scenario_save(
            actor=request.user, consortium_id=consortium_id, kind=kind,
            name=request.POST.get("name", ""), note=request.POST.get("note", ""), data=inputs,
        )  # fmt: skip
    except ValidationFailed as exc:
        messages.error(request, error_text(exc, Scenario, GameForm(), LogisticForm))
        return redirect(back)
    messages.success(request, _("Scenario saved."))
    return redirect("modelling:scenario", scenario.pk)


@login_required
@page_errors
def scenarios(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.viewable_consortium(user=request.user, consortium_id=consortium_id)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ScenarioKind.values else ""
    qs = selectors.scenario_list(user=request.user, consortium_id=consortium.pk, kind=kind)
    return render(
        request,
        "modelling/scenarios.html",
        {
            "current_consortium": consortium,
            "nav": "modelling",
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "kind": kind,
            "kinds": ScenarioKind.choices,
        },
    )


@login_required
@page_errors
def scenario_compare(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.viewable_consortium(user=request.user, consortium_id=consortium_id)
    ids = [int(v) for v in request.GET.getlist("ids") if v.isdigit()]
    items = selectors.scenarios_compare(user=request.user, consortium_id=consortium.pk, ids=ids)
    return render(
        request,
        "modelling/compare.html",
        {
            "current_consortium": consortium,
            "nav": "modelling",
            "games": [s for s in items if s.kind == ScenarioKind.GAME],
            "fits": [s for s in items if s.kind == ScenarioKind.LOGISTIC],
            "params": GAME_PARAMETERS,
        },
    )


@login_required
@page_errors
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, scenario_id=scenario_id)
    can_edit = selectors.may_save(user=request.user, consortium_id=scenario.consortium_id)
    form = ScenarioEditForm(
        initial={"name": scenario.name, "note": scenario.note, "version": scenario.version}
    )
    if request.method == "POST":
        form = ScenarioEditForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("delete"):
                    services.scenario_delete(
                        actor=request.user, scenario_id=scenario.pk,
                        version=form.cleaned_data.get("version"),
                    )  # fmt: skip
                    messages.success(request, _("Scenario deleted."))
                    return redirect("modelling:scenarios", scenario.consortium_id)
                services.scenario_update(
                    actor=request.user, scenario_id=scenario.pk,
                    version=form.cleaned_data.get("version"),
                    name=form.cleaned_data["name"], note=form.cleaned_data["note"],
                )  # fmt: skip
                messages.success(request, _("Scenario saved."))
                return redirect("modelling:scenario", scenario.pk)
            except (ValidationFailed, Conflict) as exc:
                form_errors(form, exc)
    context = {
        "current_consortium": scenario.consortium,
        "nav": "modelling",
        "s": scenario,
        "result": scenario.result,
        "view_game": display.game(scenario.result) if scenario.kind == ScenarioKind.GAME else None,
        "view_logistic": (
            display.logistic(scenario.result) if scenario.kind == ScenarioKind.LOGISTIC else None
        ),
        "rerun_url": _rerun_url(scenario),
        "can_edit": can_edit,
        "form": form,
        "params": GAME_PARAMETERS,
        "group_labels": dict(Group.choices),
    }
    return render(request, "modelling/scenario_detail.html", context)


def _rerun_url(scenario: Any) -> str:
    inputs = dict(scenario.inputs)
    if scenario.kind == ScenarioKind.GAME:
        flat = {**inputs.pop("params", {}), **inputs}
        return (
            reverse("modelling:game", args=[scenario.consortium_id])
            + "?"
            + (_as_query(flat).urlencode())
        )
    return (
        reverse("modelling:dynamics", args=[scenario.consortium_id])
        + "?"
        + (_as_query(inputs).urlencode())
    )
