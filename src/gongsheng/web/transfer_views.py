"""The import page: upload a table, see every bad cell or what was imported; a large file
is imported by a background job whose progress the page shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongsheng.access.scope import can
from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.errors import Forbidden, ValidationFailed
from gongsheng.core.pages import page_errors
from gongsheng.transfer.exporting import template_response
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.jobs import import_in_background, import_start
from gongsheng.transfer.resources import RowContext, get_resource, resources


@login_required
@page_errors
def import_page(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    if not can(request.user, "import", consortium):  # the API's question; no form, no upload read
        raise Forbidden(_("You may not import into this consortium."))
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
        data = upload.read() if upload is not None else b""
        if upload is None:
            context["failure"] = ValidationFailed(_("Choose a file to import."))
        elif import_in_background(upload.name, data):
            # a large file: a background job with its progress on this page
            context["job"] = import_start(
                actor=request.user,
                resource=resource,
                consortium_id=consortium.pk,
                filename=upload.name,
                data=data,
                dry_run=dry_run,
            )
        else:
            try:
                context["result"] = run_import(
                    resource,
                    filename=upload.name,
                    data=data,
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
        status = 422 if "failure" in context else 202 if "job" in context else 200
        return render(request, template, context, status=status)
    return render(request, "web/import.html", context)
