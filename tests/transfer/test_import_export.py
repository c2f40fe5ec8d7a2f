"""The generic importer and exporter, on units and memberships."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.consortia.models import Membership, Unit
from gongsheng.core.context import request_scope
from gongsheng.transfer.exporting import export_csv, export_xlsx, template_xlsx
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource
from tests.support.world import code


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the Chinese ones are checked where they show."""
    with translation.override("en"):
        yield


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(world, user: str, rows: list[list], resource: str = "units", **kw):
    with request_scope():  # one request id per import, as the web and the CLI give
        return run_import(
            get_resource(resource),
            filename="units.xlsx",
            data=xlsx(rows),
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
            **kw,
        )


HEADER_ZH = ["统一社会信用代码", "名称", "类型", "城市"]


class TestImport:
    def test_good_file_creates_and_updates_in_one_go(self, world):
        result = run(
            world,
            "secretariat",
            [
                HEADER_ZH,
                [code(70), "新企业甲", "企业", "滨江市"],
                [code(71), "New B", "enterprise", ""],
                [world.units["other"].credit_code, "Unit other renamed", "企业", ""],
            ],
        )
        assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
        assert Unit.objects.get(credit_code=code(70)).memberships.get().consortium == world.a
        assert Unit.objects.get(pk=world.units["other"].pk).name == "Unit other renamed"
        summary = AuditEntry.objects.filter(event_type=EventType.IMPORT_APPLIED).get()
        assert str(summary.request_id) == result.request_id
        per_row = AuditEntry.objects.filter(request_id=summary.request_id).exclude(pk=summary.pk)
        assert per_row.filter(event_type=EventType.UNIT_CREATED).count() == 2
        assert per_row.filter(event_type=EventType.UNIT_CHANGED).count() == 1

    def test_bad_cells_are_all_named_and_nothing_changes(self, world):
        before_units = Unit.objects.count()
        before_audit = AuditEntry.objects.count()
        with pytest.raises(ImportFailed) as info:
            run(
                world,
                "secretariat",
                [
                    HEADER_ZH,
                    [code(72), "Fine row", "企业", ""],
                    ["91110000100017643A", "Bad code", "企业", ""],
                    [code(73), "", "宇宙飞船", ""],
                    [code(72), "Duplicate", "企业", ""],
                ],
            )
        errors = {(e.row, e.column, e.field) for e in info.value.errors}
        assert errors == {
            (3, "统一社会信用代码", "credit_code"),
            (4, "名称", "name"),
            (4, "类型", "type"),
            (5, "统一社会信用代码", "credit_code"),
        }
        messages = {e.row: e.message for e in info.value.errors if e.field == "credit_code"}
        assert "K" in messages[3] and "2" in messages[5]
        assert Unit.objects.count() == before_units
        assert AuditEntry.objects.count() == before_audit

    def test_a_service_error_in_one_row_rolls_back_every_row(self, world):
        before = Unit.objects.count()
        with pytest.raises(ImportFailed) as info:
            run(
                world,
                "secretariat",
                [
                    ["credit_code", "name", "type", "website"],
                    [code(74), "Good", "enterprise", ""],
                    [code(75), "Bad website", "enterprise", "not a url"],
                ],
            )
        (err,) = info.value.errors
        assert (err.row, err.column, err.field) == (3, "website", "website")
        assert Unit.objects.count() == before

    def test_update_by_key_needs_the_right_to_change_that_row(self, world):
        with pytest.raises(ImportFailed) as info:
            run(
                world,
                "unit_admin",
                [HEADER_ZH, [world.units["other"].credit_code, "Hijacked", "企业", ""]],
            )
        assert "may not change" in info.value.errors[0].message
        assert Unit.objects.get(pk=world.units["other"].pk).name == "Unit other"

    def test_unknown_and_missing_headers(self, world):
        with pytest.raises(ImportFailed) as info:
            run(world, "secretariat", [["名称", "Colour"], ["x", "red"]])
        problems = {(e.column, e.message) for e in info.value.errors}
        assert ("Colour", "unknown column") in problems
        assert any(c == "统一社会信用代码" for c, _ in problems)

    def test_dry_run_changes_nothing(self, world):
        before = Unit.objects.count()
        result = run(world, "secretariat", [HEADER_ZH, [code(76), "Dry", "企业", ""]], dry_run=True)
        assert result.created == 1 and Unit.objects.count() == before

    def test_memberships_import_moves_the_lifecycle(self, world):
        cc = world.units["other"].credit_code
        result = run(
            world,
            "secretariat",
            [
                ["统一社会信用代码", "级别", "状态", "退出日期"],
                [cc, "理事单位", "已退出", "2025-03-01"],
            ],
            resource="memberships",
        )
        assert result.updated == 1
        m = Membership.objects.get(pk=world.memberships["other"].pk)
        assert (m.rank, m.status, str(m.left_on)) == ("council", "withdrawn", "2025-03-01")


class TestFormatsAndUploads:
    def test_csv_in_gb18030_and_ods(self, world):
        csv_bytes = (f"统一社会信用代码,名称,类型\n{code(77)},中文CSV,企业\n").encode("gb18030")
        result = run_import(
            get_resource("units"),
            filename="u.csv",
            data=csv_bytes,
            context=RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk),
        )
        assert result.created == 1 and Unit.objects.filter(name="中文CSV").exists()

    @pytest.mark.parametrize(
        ("name", "data", "reason"),
        [
            ("units.exe", b"MZ", "only"),
            ("units.xlsx", b"not a zip", "not really"),
            ("units.xlsx", b"", "empty"),
        ],
    )
    def test_uploads_are_checked(self, world, name, data, reason):
        with pytest.raises(Exception, match=reason):
            run_import(
                get_resource("units"),
                filename=name,
                data=data,
                context=RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk),
            )

    def test_too_large_upload(self, world, settings):
        settings.UPLOAD_MAX_BYTES = 10
        with pytest.raises(Exception, match="larger"):
            run(world, "secretariat", [HEADER_ZH])


class TestExport:
    @pytest.mark.parametrize("lang", ["zh-hans", "en"])
    @pytest.mark.parametrize("resource", ["units", "memberships"])
    def test_export_reimports_unchanged(self, world, lang, resource):
        res = get_resource(resource)
        context = RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk)
        data = export_xlsx(res, res.export_queryset(world.users["secretariat"], context), lang=lang)
        audit_before = AuditEntry.objects.exclude(event_type=EventType.IMPORT_APPLIED).count()
        result = run_import(res, filename="e.xlsx", data=data, context=context)
        assert (result.created, result.updated) == (0, 0)
        assert result.unchanged == result.rows > 0
        assert (
            AuditEntry.objects.exclude(event_type=EventType.IMPORT_APPLIED).count() == audit_before
        )

    def test_headers_follow_the_language(self, world):
        res = get_resource("units")
        zh = load_workbook(io.BytesIO(export_xlsx(res, [], lang="zh-hans"))).active[1]
        en = load_workbook(io.BytesIO(export_xlsx(res, [], lang="en"))).active[1]
        assert zh[0].value == "统一社会信用代码" and en[0].value == "Credit code"
        assert export_csv(res, [], lang="en").startswith("\ufeffCredit code".encode())

    def test_template_explains_every_column(self, world):
        book = load_workbook(io.BytesIO(template_xlsx(get_resource("units"), lang="zh-hans")))
        assert len(book.sheetnames) == 2
        codes = [row[1].value for row in book.worksheets[1].iter_rows(min_row=2) if row[1].value]
        assert codes == [c.name for c in get_resource("units").columns]

    def test_export_shows_only_what_the_user_may_see(self, world, client):
        client.force_login(world.users["other_consortium"])
        r = client.get("/api/transfer/units/export?lang=en")
        book = load_workbook(io.BytesIO(r.content))
        names = [row[1].value for row in book.active.iter_rows(min_row=2)]
        assert names == ["Unit x"]


def _ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet, written by hand (no ODS writer is a dependency)."""
    import zipfile
    from xml.sax.saxutils import escape

    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
            for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="units">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return out.getvalue()


def _xls(rows: list[list[str]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("units")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("suffix", "writer"), [(".ods", _ods), (".xls", _xls)])
def test_ods_and_xls_are_read(world, suffix, writer):
    rows = [["统一社会信用代码", "名称", "类型"], [code(80), f"来自{suffix}", "企业"]]
    with request_scope():
        result = run_import(
            get_resource("units"),
            filename=f"units{suffix}",
            data=writer(rows),
            context=RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk),
        )
    assert result.created == 1 and Unit.objects.filter(name=f"来自{suffix}").exists()
