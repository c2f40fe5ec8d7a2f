"""The one exporter: any registered resource to .xlsx or .csv, with headers in Chinese or
English, and a blank template with an instructions sheet. Exports use the importer's columns,
so an export re-imports unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.transfer.resources import Resource, get_resource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang(lang: str | None) -> str:
    lang = (lang or get_language() or "zh-hans").lower()
    return "en" if lang.startswith("en") else "zh-hans"


def _sheet_title(resource: Resource, lang: str) -> str:
    with override(lang):
        return str(resource.label)[:31]


def export_xlsx(resource: Resource, objs: Iterable[Any], *, lang: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    lang = _lang(lang)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _sheet_title(resource, lang)
    sheet.append([c.header(lang) for c in resource.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6F4EA")
    for obj in objs:
        sheet.append([c.value_of(obj, lang) for c in resource.columns])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl reads "=…" as a formula: keep it text
                cell.data_type = "s"
    for i, column in enumerate(resource.columns, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(column.header(lang)) * 2 + 4))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: first characters that make a spreadsheet program read a CSV cell as a formula (OWASP's
#: "CSV injection"); such text is written with a leading apostrophe, which the importer drops
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert: ``'=…``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(resource: Resource, objs: Iterable[Any], *, lang: str | None = None) -> bytes:
    lang = _lang(lang)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header(lang) for c in resource.columns])
    for obj in objs:
        writer.writerow([neutralise(c.value_of(obj, lang)) for c in resource.columns])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def template_xlsx(resource: Resource, *, lang: str | None = None) -> bytes:
    """A blank sheet with the headers, and a second sheet explaining every column."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    lang = _lang(lang)
    book = load_workbook(io.BytesIO(export_xlsx(resource, [], lang=lang)))
    with override(lang):
        info = book.create_sheet(str(_("Instructions"))[:31])
        info.append([_("Column"), _("Code name"), _("Required"), _("Allowed values / format")])
        for cell in info[1]:
            cell.font = Font(bold=True)
        for c in resource.columns:
            allowed = "、".join(str(m.label) for m in c.choices) if c.choices else str(c.help or "")
            info.append([c.header(lang), c.name, _("yes") if c.required else "", allowed])
        info.append([])
        info.append(
            [
                _(
                    "Headers may be in Chinese or English or the code names. Rows whose key "
                    "already exists update that record; the whole file is imported or nothing."
                )
            ]
        )
        for letter, width in zip("ABCD", (24, 20, 10, 60), strict=True):
            info.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_file(
    resource: Resource,
    objs: Iterable[Any],
    *,
    fmt: str,
    lang: str | None,
    actor: Any,
    consortium_id: int | None = None,
) -> tuple[bytes, str, str]:
    """The export's ``(bytes, content type, extension)``: personal data masked where the actor
    may not read it, one audit entry for the export (and one for a full read of another
    unit's personal data). The request and the export job both write their files here."""
    from gongsheng.access import personal

    lang = _lang(lang)
    # personal data (declared in the AppConfig) masked where the actor may not read it; a
    # full read of another unit's is recorded (one entry for the export)
    objs = personal.masked(actor, list(objs))
    if fmt == "csv":
        body, content_type, ext = (
            export_csv(resource, objs, lang=lang),
            "text/csv; charset=utf-8",
            "csv",
        )
    else:
        body, content_type, ext = export_xlsx(resource, objs, lang=lang), XLSX, "xlsx"
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=EventType.EXPORT_MADE,
            action=Action.EXPORT,
            consortium_id=consortium_id,
            object_repr=_("%(table)s (%(n)d rows)") % {"table": resource.name, "n": len(objs)},
            message=_("export %(table)s as %(fmt)s, %(n)d rows")
            % {"table": resource.name, "fmt": ext, "n": len(objs)},
        )
        personal.log_read(
            user=actor, objs=objs, what=_("export %(table)s") % {"table": resource.name}
        )
    return body, content_type, ext


def export_filename(resource: Resource, ext: str) -> str:
    return f"{resource.name}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{ext}"


def export_response(
    request: HttpRequest,
    resource_name: str,
    objs: Iterable[Any],
    *,
    fmt: str = "xlsx",
    actor: Any,
    consortium_id: int | None = None,
) -> HttpResponse:
    """The export a page asked for: the file itself, or — for a queryset of more rows than
    ``GONGSHENG_EXPORT_INLINE_ROWS`` — a page with the export job's progress, whose file only
    the user who asked downloads (:mod:`gongsheng.transfer.jobs`)."""
    from gongsheng.transfer.jobs import export_in_background

    resource = get_resource(resource_name)
    lang = request.GET.get("lang")
    job = export_in_background(
        actor=actor, resource=resource, objs=objs, fmt=fmt, lang=lang, consortium_id=consortium_id
    )
    if job is not None:
        back = request.GET.copy()
        back.pop("export", None)
        back.pop("lang", None)
        context = {
            "job": job,
            "resource": resource,
            "back": f"{request.path}?{back.urlencode()}" if back else request.path,
            "nav": "",
        }
        return render(request, "transfer/export_job.html", context, status=202)
    body, content_type, ext = export_file(
        resource, objs, fmt=fmt, lang=lang, actor=actor, consortium_id=consortium_id
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(resource, ext)}"'
    return response


def template_response(request: HttpRequest, resource_name: str) -> HttpResponse:
    resource = get_resource(resource_name)
    body = template_xlsx(resource, lang=_lang(request.GET.get("lang")))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{resource.name}-template.xlsx"'
    return response
