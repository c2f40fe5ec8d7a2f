"""Pages of background jobs: my jobs, one job with its progress (polled by htmx), its files."""

from __future__ import annotations

import mimetypes
import posixpath

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongsheng.core.pages import page_errors, paginate
from gongsheng.jobs import selectors, services
from gongsheng.jobs.models import JobState

#: the policy of a job's HTML file (its own inline scripts, no network, no forms)
SANDBOXED = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


@login_required
@page_errors
def job_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    if state not in JobState.values:
        state = None
    page = paginate(request, selectors.job_list(user=request.user, state=state))
    return render(
        request,
        "jobs/list.html",
        {"page": page, "nav": "jobs", "states": JobState.choices, "state": state},
    )


@login_required
@page_errors
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=job_id)
    if request.GET.get("partial") == "progress" or request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", {"job": job})
    return render(request, "jobs/detail.html", {"job": job, "nav": "jobs"})


@login_required
@page_errors
def job_file(request: HttpRequest, job_id: int, name: str) -> HttpResponse:
    path = selectors.job_file(user=request.user, job_id=job_id, name=name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    inline = name.endswith(".html") and not request.GET.get("attachment")
    response = FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=not inline,
        filename=posixpath.basename(name),
        content_type=content_type,
    )
    if name.endswith(".html"):
        # a job's page (the report of an uploaded workbook) is made from what users uploaded:
        # shown in a sandbox, an origin of its own, never with the platform's cookies or
        # pages; its own scripts run, nothing leaves it (decision 0805)
        response["Content-Security-Policy"] = SANDBOXED
    return response


@login_required
@require_POST
@page_errors
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.job_retry(actor=request.user, job_id=job_id)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", {"job": job})
    return redirect("jobs:detail", job.pk)
