"""Pages for benefit-distribution studies: thin, over selectors and services.

Forms are parsed here and validated by the services, whose errors (each naming its field, row
or coalition) are shown at the top of the page; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, require, scope
from gongsheng.consortia.models import Unit
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation.models import Project
from gongsheng.core.errors import ApplicationError, FieldError, ValidationFailed
from gongsheng.core.pages import page_errors, paginate, query_without_page
from gongsheng.distribution import selectors, services
from gongsheng.distribution.choices import FACTOR_LABELS, GameKind, Method, StudyScope, WeightMethod
from gongsheng.distribution.compute import FACTORS
from gongsheng.distribution.models import Study


def _errors(exc: ApplicationError) -> list[str]:
    out = [str(exc.message)]
    for e in exc.errors:
        where = e.field + (f" ({_('row')} {e.row})" if e.row else "")
        out.append(f"{where}: {e.message}")
    return out


def _date(raw: str, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed(
            _("A date is not valid."), [FieldError(field, _("use YYYY-MM-DD"))]
        ) from exc


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@page_errors
def study_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    scope_ = request.GET.get("scope", "")
    qs = selectors.study_list(user=request.user, consortium_id=consortium.pk, scope_=scope_)
    return render(
        request,
        "distribution/studies.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "scope": scope_,
            "scopes": StudyScope.choices,
            "own": selectors.own_shares(user=request.user, consortium_id=consortium.pk),
            "methods": selectors.METHODS,
            "method_labels": [Method(m).label for m in selectors.METHODS],
            "can_add": can(request.user, "add", Study, consortium_id=consortium.pk),
            "current_consortium": consortium,
            "nav": "distribution",
        },
    )


def _players_from_post(request: HttpRequest) -> list[dict[str, Any]]:
    """Checked units; units sharing a group name form one player."""
    groups: dict[str, list[int]] = {}
    players: list[dict[str, Any]] = []
    for raw in request.POST.getlist("unit"):
        if not raw.isdigit():
            continue
        group = request.POST.get(f"group_{raw}", "").strip()
        if group:
            if group not in groups:
                groups[group] = []
                players.append({"label": group, "unit_ids": groups[group]})
            groups[group].append(int(raw))
        else:
            players.append({"label": "", "unit_ids": [int(raw)]})
    return players


@login_required
@page_errors
def study_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    require(
        request.user,
        "add",
        Study,
        consortium_id=consortium.pk,
        message=_("Only the secretariat creates distribution studies."),
    )
    scope_ = request.POST.get("scope") or request.GET.get("scope") or StudyScope.PROJECT
    errors: list[str] = []
    if request.method == "POST":
        try:
            project_raw = request.POST.get("project", "")
            total_raw = request.POST.get("total", "").strip()
            study = services.study_create(
                actor=request.user, consortium_id=consortium.pk, scope=scope_,
                title=request.POST.get("title", "").strip(),
                project_id=int(project_raw) if project_raw.isdigit() else None,
                players=_players_from_post(request) if scope_ == StudyScope.CONSORTIUM else None,
                period_from=_date(request.POST.get("period_from", ""), "period_from"),
                period_to=_date(request.POST.get("period_to", ""), "period_to"),
                history_from=_date(request.POST.get("history_from", ""), "history_from"),
                game=request.POST.get("game") or None,
                total=total_raw or None,
            )  # fmt: skip
            messages.success(request, _("Study created; check the coalition values."))
            return redirect("distribution:values", study.pk)
        except ApplicationError as exc:
            errors = _errors(exc)
    projects = scope(request.user, Project.objects.filter(consortium=consortium)).order_by("name")
    units = scope(
        request.user,
        Unit.objects.filter(memberships__consortium=consortium, memberships__status="admitted"),
    ).order_by("name")
    return render(
        request,
        "distribution/study_form.html",
        {
            "scope": scope_,
            "scopes": StudyScope.choices,
            "games": GameKind.choices,
            "projects": projects,
            "units": units,
            "post": request.POST,
            "errors": errors,
            "current_consortium": consortium,
            "nav": "distribution",
        },
    )


@login_required
@page_errors
def study_detail(request: HttpRequest, study_id: int) -> HttpResponse:
    d = selectors.study_detail(user=request.user, study_id=study_id)
    return _render_detail(request, d, [])


def _render_detail(request: HttpRequest, d: Any, errors: list[str]) -> HttpResponse:
    s = d.study
    template = "distribution/study_detail.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    matrix = s.ahp_matrix or [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
    return render(
        request,
        template,
        {
            "d": d,
            "s": s,
            "errors": errors,
            "factors": [FACTOR_LABELS[f] for f in FACTORS],
            "ahp_rows": list(zip([FACTOR_LABELS[f] for f in FACTORS], matrix, strict=False)),
            "factor_labels": FACTOR_LABELS,
            "weight_methods": WeightMethod.choices,
            "method_choices": [(c, label) for c, label, r in d.methods if "shares" in r],
            "current_consortium": s.consortium,
            "nav": "distribution",
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
@page_errors
def study_action(request: HttpRequest, study_id: int, what: str) -> HttpResponse:
    """compute | settings | factors | total | remeasure | save (to a contract)."""
    errors: list[str] = []
    user = request.user
    try:
        if what == "compute":
            services.study_compute(actor=user, study_id=study_id)
        elif what == "settings":
            method = request.POST.get("weight_method", WeightMethod.EQUAL)
            matrix = None
            if method == WeightMethod.AHP:
                matrix = [
                    [request.POST.get(f"ahp_{i}_{j}", "1") for j in range(3)] for i in range(3)
                ]
            data: dict[str, Any] = {"weight_method": method}
            if matrix is not None:
                data["ahp_matrix"] = matrix
            for name in ("samples", "seed"):
                raw = request.POST.get(name, "")
                if raw.isdigit():
                    data[name] = int(raw)
            services.study_update(actor=user, study_id=study_id, version=_version(request), **data)
        elif what == "factors":
            positions = [int(p) for p in request.POST.getlist("position") if p.isdigit()]
            factors = {
                p: {n: request.POST.get(f"{n}_{p}", "") for n in ("risk", "effort", "power")}
                for p in positions
            }
            services.player_factors_set(
                actor=user, study_id=study_id, version=_version(request), factors=factors
            )
        elif what == "total":
            services.study_total_set(
                actor=user, study_id=study_id, version=_version(request),
                total=request.POST.get("total", ""), basis=request.POST.get("basis", ""),
            )  # fmt: skip
        elif what == "remeasure":
            services.study_remeasure(actor=user, study_id=study_id, version=_version(request))
        elif what == "save":
            # "<contract id>:<the version shown>", so a contract changed since is refused
            contract_raw, _sep, cv = request.POST.get("contract", "").partition(":")
            services.study_save_to_contract(
                actor=user, study_id=study_id,
                contract_id=int(contract_raw) if contract_raw.isdigit() else 0,
                method=request.POST.get("method", ""),
                contract_version=int(cv) if cv.isdigit() else None,
            )  # fmt: skip
            messages.success(request, _("The shares were saved into the contract."))
        else:
            from gongsheng.core.errors import NotFound

            raise NotFound()
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        errors = _errors(exc)
    d = selectors.study_detail(user=user, study_id=study_id)
    if not errors and not request.headers.get("HX-Request"):
        return redirect("distribution:study", study_id)
    return _render_detail(request, d, errors)


@login_required
@page_errors
def values_form(request: HttpRequest, study_id: int) -> HttpResponse:
    """Every coalition with its value and source; the secretariat enters the missing ones."""
    errors: list[str] = []
    if request.method == "POST":
        values = {
            int(k[2:]): v.strip()
            for k, v in request.POST.items()
            if k.startswith("v_") and k[2:].isdigit()
        }
        try:
            services.coalition_values_set(
                actor=request.user, study_id=study_id, version=_version(request), values=values
            )
            messages.success(request, _("Coalition values saved."))
            return redirect("distribution:values", study_id)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            errors = _errors(exc)
    d = selectors.study_detail(user=request.user, study_id=study_id)
    return render(
        request,
        "distribution/values.html",
        {
            "d": d,
            "s": d.study,
            "errors": errors,
            "post": request.POST,
            "current_consortium": d.study.consortium,
            "nav": "distribution",
        },
        status=422 if errors else 200,
    )
