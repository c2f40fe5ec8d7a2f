"""The analyze page: upload a workbook, see every bad cell or download the report."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from gongsheng.web import analyze as analyze_view
from gongsheng.workbook import build_files

URL = "/analyze/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def temp_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(analyze_view.tempfile, "gettempdir", lambda: str(tmp_path))
    return tmp_path


def upload(path_or_bytes, name="workbook.xlsx"):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return SimpleUploadedFile(name, data, content_type=XLSX)


def bad_example(tmp_path):
    wb = load_workbook(build_files.EXAMPLE)
    wb["单元"]["C3"] = "工厂"
    wb["台账"]["G2"] = "很多"
    wb["合作事件"]["A3"] = "ZZ"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    return path


@pytest.mark.django_db
class TestAnalyzePage:
    def test_login_required(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "login" in response["Location"]
        response = client.post(URL, {"workbook": upload(build_files.EXAMPLE)})
        assert response.status_code == 302

    @pytest.mark.parametrize("role", ["secretariat", "unit_member", "observer"])
    def test_page_and_files(self, world, client, role):
        client.force_login(world.users[role])
        body = client.get(URL).content.decode()
        assert 'hx-indicator="#analyze-progress"' in body and 'name="workbook"' in body
        t = client.get(URL + "?file=template")
        assert t.status_code == 200 and b"".join(t.streaming_content).startswith(b"PK")
        assert "template.xlsx" in t["Content-Disposition"]
        assert "example.xlsx" in client.get(URL + "?file=example")["Content-Disposition"]

    def test_example_gives_the_report_and_downloads(self, world, client, temp_dir):
        client.force_login(world.users["secretariat"])
        response = client.post(URL, {"workbook": upload(build_files.EXAMPLE, "example.xlsx")})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="analyze-success"' in body and "example.xlsx" in body
        assert "华屿电子信息有限公司" in body  # the free rider's alert
        token = response.context["token"]
        html = client.get(URL, {"download": token, "format": "html"})
        assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
        text = b"".join(html.streaming_content).decode("utf-8")
        assert "共生诊断报告" in text and "滨江职业技术学院" in text
        z = client.get(URL, {"download": token, "format": "zip"})
        assert "report.zip" in z["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(b"".join(z.streaming_content)))
        assert sorted(archive.namelist()) == ["report.html", "report.json", "report.xlsx"]
        report = json.loads(archive.read("report.json"))
        assert report["consortium"]["pairs"] == 14
        # the files live in the user's own temp directory, nothing else is kept
        user_dir = temp_dir / "gongsheng-analyze" / f"user-{world.users['secretariat'].pk}"
        assert [p.name for p in user_dir.iterdir()] == [token]

    def test_htmx_returns_the_partial(self, world, client):
        client.force_login(world.users["secretariat"])
        response = client.post(
            URL, {"workbook": upload(build_files.EXAMPLE)}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith('<div id="analyze-result">') and "<html" not in body

    def test_bad_cells_all_listed_nothing_kept(self, world, client, tmp_path, temp_dir):
        client.force_login(world.users["unit_member"])
        response = client.post(URL, {"workbook": upload(bad_example(tmp_path))})
        assert response.status_code == 422
        rows = [(p.sheet, p.row, p.column) for p in response.context["problems"]]
        assert ("单元", 3, "类别") in rows
        assert ("台账", 2, "价值（元）") in rows
        assert ("合作事件", 3, "单元A") in rows
        body = response.content.decode()
        assert 'id="analyze-errors"' in body and "not a number (&#x27;很多&#x27;)" in body
        assert not (temp_dir / "gongsheng-analyze").exists()

    def test_size_limit_and_file_type(self, world, client):
        client.force_login(world.users["secretariat"])
        with override_settings(UPLOAD_MAX_BYTES=1024):
            response = client.post(URL, {"workbook": upload(build_files.EXAMPLE)})
        assert response.status_code == 422
        assert "最多可分析 0.0 MB" in response.content.decode()
        response = client.post(URL, {"workbook": upload(b"a,b\n1,2\n", "data.csv")})
        assert response.status_code == 422
        assert "只能分析 .xlsx、.xls 和 .ods 工作簿" in response.content.decode()
        response = client.post(URL, {"workbook": upload(b"not a zip", "fake.xlsx")})
        assert (
            response.status_code == 422 and "not really a .xlsx file" in response.content.decode()
        )
        response = client.post(URL, {})
        assert response.status_code == 422 and "请选择要分析的工作簿" in response.content.decode()

    def test_downloads_are_per_user(self, world, client):
        client.force_login(world.users["secretariat"])
        token = client.post(URL, {"workbook": upload(build_files.EXAMPLE)}).context["token"]
        assert client.get(URL, {"download": token, "format": "zip"}).status_code == 200
        client.force_login(world.users["unit_member"])
        assert client.get(URL, {"download": token, "format": "zip"}).status_code == 404
        assert client.get(URL, {"download": "../../etc", "format": "zip"}).status_code == 404
        assert client.get(URL, {"download": token, "format": "exe"}).status_code == 404

    def test_old_runs_are_swept(self, world, client, temp_dir, monkeypatch):
        client.force_login(world.users["secretariat"])
        first = client.post(URL, {"workbook": upload(build_files.EXAMPLE)}).context["token"]
        monkeypatch.setattr(analyze_view, "KEEP_SECONDS", -1)
        second = client.post(URL, {"workbook": upload(build_files.EXAMPLE)}).context["token"]
        user_dir = temp_dir / "gongsheng-analyze" / f"user-{world.users['secretariat'].pk}"
        assert [p.name for p in user_dir.iterdir()] == [second] and first != second
