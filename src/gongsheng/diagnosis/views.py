"""Pages of the symbiosis diagnosis: thin, over the selectors and services of the app.

The consortium and pair pages render at once when the diagnosis of their window is stored
and current; otherwise (a cold window) they start the ``diagnosis.window`` job and show its
progress, then load the result by htmx when it ends: no page request computes it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can
from gongsheng.consortia import selectors as consortia_selectors
from gongsheng.cooperation import selectors as cooperation_selectors
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.diagnosis import display, labels, pair_display, payloads, selectors, services
from gongsheng.diagnosis import jobs as diagnosis_jobs
from gongsheng.diagnosis.forms import YEARS, PairFilterForm, SettingsForm, WindowForm
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.jobs import selectors as jobs_selectors


def _may_edit(user: Any, consortium_id: int) -> bool:
    return can(user, "change", DiagnosisSettings, consortium_id=consortium_id)


def _may_refresh(user: Any, consortium_id: int) -> bool:
    return can(user, "refresh", DiagnosisResult, consortium_id=consortium_id)


def _window_query(year_from: int | None, year_to: int | None) -> str:
    return urlencode({k: v for k, v in (("year_from", year_from), ("year_to", year_to)) if v})


def pair_url(consortium_id: int, a_id: int, b_id: int, window_query: str = "") -> str:
    url = reverse("diagnosis:pair", args=[consortium_id, a_id, b_id])
    return f"{url}?{window_query}" if window_query else url


def _frame(request: HttpRequest, consortium: Any) -> dict[str, Any]:
    window = WindowForm(request.GET or None)
    year_from, year_to = window.window()
    return {
        "window": window,
        "years": YEARS,
        "window_from": year_from,
        "window_to": year_to,
        "window_query": _window_query(year_from, year_to),
        "query": query_without_page(request),
        "current_consortium": consortium,
        "may_edit": _may_edit(request.user, consortium.pk),
        "may_refresh": _may_refresh(request.user, consortium.pk),
        "nav": "diagnosis",
        # a recompute in the background: the stored result is shown, marked as being updated
        "refresh_job": jobs_selectors.active_job(
            user=request.user, kind=diagnosis_jobs.REFRESH, consortium_id=consortium.pk
        ),
    }


def _page(request: HttpRequest) -> str:
    """This page's address without the htmx partial: where a window job's result shows."""
    query = request.GET.copy()
    for name in ("partial", "compute"):
        query.pop(name, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _window_job(request: HttpRequest, consortium_id: int, ctx: dict[str, Any]) -> Any:
    """The job computing a cold window (``None`` when it is stored and current): the page
    never computes the diagnosis itself."""
    return diagnosis_jobs.diagnosis_window_job(
        user=request.user, consortium_id=consortium_id, year_from=ctx["window_from"],
        year_to=ctx["window_to"], page=_page(request),
    )  # fmt: skip


@login_required
@page_errors
def consortium(request: HttpRequest, consortium_id: int) -> HttpResponse:
    c = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    ctx = _frame(request, c)
    partial = request.GET.get("partial", "")
    hx_target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    window = {"year_from": ctx["window_from"], "year_to": ctx["window_to"]}
    job = _window_job(request, c.pk, ctx)
    if job is not None:  # a cold window: computed by the worker, its progress shown here
        ctx.update({"d": None, "compute_job": job})
        if partial or hx_target:
            return render(request, "diagnosis/_computing.html", ctx)
        return render(request, "diagnosis/consortium.html", ctx)
    d = selectors.consortium_diagnosis(user=request.user, consortium_id=c.pk, **window)
    ctx.update(_consortium_context(request, c.pk, d, ctx["window_query"]))
    template = "diagnosis/consortium.html"
    if partial == "body":
        template += "#body"
    elif hx_target == "pair-table":
        template += "#pair-table"
    return render(request, template, ctx)


def _consortium_context(
    request: HttpRequest, consortium_id: int, d: Any, window_query: str
) -> dict[str, Any]:
    view = display.ConsortiumDisplay(d, window_query=window_query)
    units = view.filter_units
    pair_filter = PairFilterForm(request.GET or None, units=units)
    mode, unit = pair_filter.values()
    rows = view.pair_rows(mode=mode, unit_id=unit)
    return {
        "d": view,
        "legend": labels.mode_legend(),
        "organisation_rows": view.organisation_rows,
        "group_rows": view.group_rows,
        "alert_rows": view.alert_rows,
        # the operations' own alerts the diagnosis names beside its own (issue 7, point 3)
        "ip_breaches": cooperation_selectors.alert_list(
            user=request.user, consortium_id=consortium_id
        )
        .filter(kind="ip_rule_breach")
        .count(),
        "pair_filter": pair_filter,
        "chosen_mode": mode,
        "chosen_unit": unit,
        "filter_units": units,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "charts": view.chart_options(),
    }


@login_required
@page_errors
def pair(request: HttpRequest, consortium_id: int, a_id: int, b_id: int) -> HttpResponse:
    c = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    ctx = _frame(request, c)
    if a_id > b_id:
        return redirect(pair_url(c.pk, b_id, a_id, ctx["window_query"]))
    selectors.pair_allowed(user=request.user, consortium_id=c.pk, a_id=a_id, b_id=b_id)
    job = _window_job(request, c.pk, ctx)
    if job is not None:
        ctx.update({"compute_job": job, "heading": _("Pair diagnosis")})
        return render(request, "diagnosis/computing.html", ctx)
    detail = selectors.pair_diagnosis(
        user=request.user, consortium_id=c.pk, a_id=a_id, b_id=b_id,
        year_from=ctx["window_from"], year_to=ctx["window_to"],
    )  # fmt: skip
    shown = pair_display.PairDisplay(detail)
    ctx.update(
        {
            "p": shown,
            "episodes": shown.episodes,
            "page": paginate(request, shown.entries),
        }
    )
    return render(request, "diagnosis/pair.html", ctx)


@login_required
@page_errors
def settings_edit(request: HttpRequest, consortium_id: int) -> HttpResponse:
    c = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    current = selectors.settings_get(user=request.user, consortium_id=c.pk)
    may_edit = _may_edit(request.user, c.pk)
    Form = SettingsForm
    if request.method == "POST":
        if not may_edit:
            raise Forbidden(_("Only the secretariat changes the diagnosis settings."))
        form = Form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.settings_update(
                    actor=request.user, consortium_id=c.pk, version=version, **data
                )
            except (ValidationFailed, Conflict) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved. The diagnosis is computed again with them."))
                return redirect("diagnosis:settings", c.pk)
    else:
        form = Form(initial=Form.initial_from(current))
    return render(
        request,
        "diagnosis/settings.html",
        {"form": form, "may_edit": may_edit, "current_consortium": c, "nav": "diagnosis"},
    )


@login_required
@require_POST
@page_errors
def refresh(request: HttpRequest, consortium_id: int) -> HttpResponse:
    c = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    if not _may_refresh(request.user, c.pk):
        raise Forbidden(_("Only the secretariat recomputes the diagnosis."))
    job = diagnosis_jobs.diagnosis_refresh_start(actor=request.user, consortium_id=c.pk)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", {"job": job}, status=202)
    messages.success(
        request,
        _("The diagnosis is being computed again in the background; its alerts follow."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("diagnosis:consortium", args=[c.pk])
    return redirect(target)


@login_required
@page_errors
def province(request: HttpRequest) -> HttpResponse:
    rows = [payloads.province_payload(r) for r in selectors.province_diagnosis(user=request.user)]
    return render(request, "diagnosis/province.html", {"rows": rows, "nav": "diagnosis"})
