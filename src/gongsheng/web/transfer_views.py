"""The import page: upload a table, see every bad cell or what was imported."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.errors import ValidationFailed
from gongsheng.core.pages import page_errors
from gongsheng.transfer.exporting import template_response
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource, resources


@login_required
@page_errors
def import_page(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id, action="change")
    tables = [r for r in resources() if r.importable and r.needs_consortium]
    context: dict = {
        "current_consortium": consortium,
        "tables": tables,
        "selected": request.POST.get("resource") or request.GET.get("resource") or "units",
        "nav": "units",
    }
    if request.GET.get("template"):
        return template_response(request, request.GET["template"])
    if request.method == "POST":
        upload = request.FILES.get("file")
        resource = get_resource(context["selected"])
        dry_run = bool(request.POST.get("dry_run"))
        if upload is None:
            context["failure"] = ValidationFailed("Choose a file to import.")
        else:
            try:
                context["result"] = run_import(
                    resource,
                    filename=upload.name,
                    data=upload.read(),
                    context=RowContext(actor=request.user, consortium_id=consortium.pk),
                    dry_run=dry_run,
                )
                context["dry_run"] = dry_run
            except ImportFailed as exc:
                context["failure"] = exc
            except ValidationFailed as exc:
                context["failure"] = exc
        template = "web/import.html"
        if request.headers.get("HX-Request"):
            template += "#import-result"
        return render(request, template, context, status=422 if "failure" in context else 200)
    return render(request, "web/import.html", context)
