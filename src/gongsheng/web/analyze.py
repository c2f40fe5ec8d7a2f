"""The analyze page: upload a workbook, get the symbiosis diagnosis report (``gongsheng analyze``
on the web).

The upload is checked at once (type, size) and handed to a background job
(``workbook.analyze`` in :mod:`gongsheng.web.jobs`); the page returns immediately with the
job's progress component, which shows every bad cell or the report's summary and downloads
when the job ends. Nothing of the analysis goes into the platform's data; the report files
are the job's files (data directory, by storage), kept until old jobs are pruned.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongsheng.core.pages import page_errors
from gongsheng.jobs import selectors as jobs_selectors
from gongsheng.jobs.services import job_start
from gongsheng.web.jobs import ANALYZE
from gongsheng.workbook import build_files
from gongsheng.workbook.model import Problem
from gongsheng.workbook.reading import EXTENSIONS


def _problems_of_upload(upload) -> list[Problem]:
    name = upload.name or "upload"
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EXTENSIONS:
        return [
            Problem(name, None, None, _("Only .xlsx, .xls and .ods workbooks can be analysed."))
        ]
    if upload.size > settings.UPLOAD_MAX_BYTES:
        mb = round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1)
        return [
            Problem(
                name,
                None,
                None,
                _("The file is %(size)s MB; at most %(mb)s MB can be analysed.")
                % {"size": round(upload.size / (1024 * 1024), 1), "mb": mb},
            )
        ]
    return []


@login_required
@page_errors
def analyze_page(request: HttpRequest) -> HttpResponse:
    if request.GET.get("file") in ("template", "example"):
        path = build_files.TEMPLATE if request.GET["file"] == "template" else build_files.EXAMPLE
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    context: dict = {"nav": "analyze", "max_mb": round(settings.UPLOAD_MAX_BYTES / 2**20, 1)}
    template = "web/analyze.html"
    if request.GET.get("job"):
        try:
            job_id = int(request.GET["job"])
        except ValueError:
            job_id = 0
        context["job"] = jobs_selectors.job_get(user=request.user, job_id=job_id)
    if request.method != "POST":
        return render(request, template, context)
    upload = request.FILES.get("workbook")
    if upload is None:
        problems = [Problem("", None, None, _("Choose a workbook to analyse."))]
    else:
        problems = _problems_of_upload(upload)
    if problems:
        context["problems"] = problems
    else:
        context["job"] = job_start(
            actor=request.user,
            kind=ANALYZE,
            params={"source": upload.name},
            files={"workbook": upload.read()},
        )
    if request.headers.get("HX-Request"):
        template += "#analyze-result"
    return render(request, template, context, status=422 if problems else 202)
