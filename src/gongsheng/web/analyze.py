"""The analyze page: upload a workbook, get the symbiosis diagnosis report (``gongsheng analyze``
on the web).

Nothing goes to the database. The report files of a run are kept for an hour in a directory of
the user's own under the system temp directory (named by a random token), so that the HTML or
the zip of the three files can be downloaded; older runs are removed whenever the user runs a
new analysis.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongsheng.core.pages import page_errors
from gongsheng.workbook import build_files
from gongsheng.workbook.analysis import analyse
from gongsheng.workbook.model import Problem, WorkbookInvalid
from gongsheng.workbook.reading import EXTENSIONS, read_workbook
from gongsheng.workbook.report import render_all, zip_report

#: how long the files of a run stay downloadable
KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_DOWNLOADS = {
    "html": ("report.html", "text/html; charset=utf-8"),
    "json": ("report.json", "application/json"),
    "xlsx": ("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": ("report.zip", "application/zip"),
}


def _user_dir(user) -> Path:
    return Path(tempfile.gettempdir()) / "gongsheng-analyze" / f"user-{int(user.pk)}"


def _sweep(base: Path) -> None:
    """Remove the user's runs older than ``KEEP_SECONDS``."""
    if not base.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for run in base.iterdir():
        try:
            if run.stat().st_mtime < limit:
                shutil.rmtree(run, ignore_errors=True)
        except FileNotFoundError:  # removed by a concurrent request
            continue


def _download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if not _TOKEN.match(token) or fmt not in _DOWNLOADS:
        raise Http404
    name, content_type = _DOWNLOADS[fmt]
    path = _user_dir(request.user) / token / name
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=fmt != "html" or bool(request.GET.get("attachment")),
        filename=name,
        content_type=content_type,
    )


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
    if request.GET.get("download"):
        return _download(request, request.GET["download"], request.GET.get("format", "html"))
    context: dict = {"nav": "analyze", "max_mb": round(settings.UPLOAD_MAX_BYTES / 2**20, 1)}
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        if upload is None:
            problems = [Problem("", None, None, _("Choose a workbook to analyse."))]
        else:
            problems = _problems_of_upload(upload)
        report = None
        if not problems:
            try:
                data = read_workbook(upload.read(), upload.name)
                report = analyse(data)
            except WorkbookInvalid as exc:
                problems = exc.problems
            except ValueError as exc:  # the engine refused something the reader let through
                problems = [Problem(upload.name, None, None, str(exc))]
        if problems:
            context["problems"] = problems
        else:
            files = render_all(report)
            files_zip = zip_report(files)
            base = _user_dir(request.user)
            _sweep(base)
            token = secrets.token_urlsafe(18)
            run = base / token
            base.mkdir(parents=True, exist_ok=True, mode=0o700)
            run.mkdir(mode=0o700)
            for name, blob in files.items():
                (run / name).write_bytes(blob)
            (run / "report.zip").write_bytes(files_zip)
            context.update(report=report, token=token, source=upload.name)
        template = "web/analyze.html"
        if request.headers.get("HX-Request"):
            template += "#analyze-result"
        return render(request, template, context, status=422 if problems else 200)
    return render(request, "web/analyze.html", context)
