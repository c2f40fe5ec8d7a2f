"""Start page, audit log and small platform pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongsheng.access import selectors as access_selectors
from gongsheng.audit.models import Action
from gongsheng.consortia.selectors import consortium_list
from gongsheng.core.pages import page_errors, paginate, query_without_page
from gongsheng.transfer.exporting import export_response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    consortia = list(consortium_list(user=request.user)[:2])
    if len(consortia) == 1:
        return redirect("consortia:overview", consortia[0].pk)
    return redirect("consortia:list")


@login_required
def api_docs_link(request: HttpRequest) -> HttpResponse:
    return redirect("/api/docs")


@login_required
@page_errors
def audit(request: HttpRequest) -> HttpResponse:
    filters = access_selectors.AuditFilter.from_params(request.GET)
    qs = access_selectors.audit_list(user=request.user, filters=filters)
    if request.GET.get("export"):
        return export_response(
            request, "audit", qs, fmt=request.GET.get("export", "xlsx"), actor=request.user
        )
    page = paginate(request, qs)
    visible = access_selectors.audit_contents_visible(user=request.user, entries=list(page))
    current = None
    if filters.consortium:
        current = consortium_list(user=request.user).filter(pk=filters.consortium).first()
    return render(
        request,
        "web/audit.html",
        {
            "page": page,
            "visible": visible,
            "filters": filters,
            "actions": Action.choices,
            "query": query_without_page(request),
            "nav": "audit",
            "current_consortium": current,
        },
    )
