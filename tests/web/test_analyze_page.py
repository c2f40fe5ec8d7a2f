"""The analyze page: upload a workbook, the page returns at once with a background job's
progress; the job ends with every bad cell or the report and its downloads."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from gongsheng.jobs.models import Job, JobState
from gongsheng.workbook import build_files
from tests.support.jobs import run_jobs

URL = "/analyze/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def finished(client, response):
    """Run the job the page started (the worker, in-process) and the page's progress poll."""
    job = response.context["job"]
    assert job.state == JobState.QUEUED  # nothing was analysed in the request
    run_jobs()
    job.refresh_from_db()
    poll = client.get(f"/jobs/{job.pk}/?partial=progress")
    assert poll.status_code == 200
    return job, poll.content.decode()


def read(response):
    return b"".join(response.streaming_content)


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
        assert t.status_code == 200 and read(t).startswith(b"PK")
        assert "template.xlsx" in t["Content-Disposition"]
        assert "example.xlsx" in client.get(URL + "?file=example")["Content-Disposition"]

    def test_example_returns_at_once_and_the_job_gives_the_report(self, world, client):
        client.force_login(world.users["secretariat"])
        response = client.post(URL, {"workbook": upload(build_files.EXAMPLE, "example.xlsx")})
        assert response.status_code == 202
        body = response.content.decode()
        assert 'class="card job-progress"' in body and 'hx-trigger="every 1s"' in body
        job, body = finished(client, response)
        assert job.state == JobState.SUCCEEDED, job.error
        assert job.progress_done == job.progress_total == 6
        assert 'id="analyze-success"' in body and "example.xlsx" in body
        assert "华屿电子信息有限公司" in body  # the free rider's alert
        html = client.get(f"/jobs/{job.pk}/files/report.html")
        assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
        # made from an upload: shown in a sandbox (an origin of its own), never as the platform
        assert html["Content-Security-Policy"].startswith("sandbox allow-scripts;")
        assert "allow-same-origin" not in html["Content-Security-Policy"]
        text = read(html).decode("utf-8")
        assert "共生诊断报告" in text and "滨江职业技术学院" in text
        z = client.get(f"/jobs/{job.pk}/files/report.zip")
        assert "report.zip" in z["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(read(z)))
        assert sorted(archive.namelist()) == ["report.html", "report.json", "report.xlsx"]
        report = json.loads(archive.read("report.json"))
        assert report["consortium"]["pairs"] == 14
        # the files live in the data directory's storage, beside the job
        assert all(path.startswith(f"jobs/{job.pk}/") for path in job.files.values())
        # the page can be opened again on the job
        again = client.get(URL, {"job": job.pk}).content.decode()
        assert 'id="analyze-success"' in again

    def test_htmx_returns_the_partial(self, world, client):
        client.force_login(world.users["secretariat"])
        response = client.post(
            URL, {"workbook": upload(build_files.EXAMPLE)}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert response.status_code == 202
        assert body.lstrip().startswith('<div id="analyze-result">') and "<html" not in body

    def test_bad_cells_all_listed(self, world, client, tmp_path):
        client.force_login(world.users["unit_member"])
        response = client.post(URL, {"workbook": upload(bad_example(tmp_path))})
        job, body = finished(client, response)
        assert job.state == JobState.FAILED and job.attempts == 1  # not retried
        rows = [(p["sheet"], p["row"], p["column"]) for p in job.result["problems"]]
        assert ("单元", 3, "类别") in rows
        assert ("台账", 2, "价值（元）") in rows
        assert ("合作事件", 3, "单元A") in rows
        assert 'id="analyze-errors"' in body and "not a number (&#x27;很多&#x27;)" in body
        assert not job.files

    def test_size_limit_and_file_type(self, world, client):
        client.force_login(world.users["secretariat"])
        with override_settings(UPLOAD_MAX_BYTES=1024):
            response = client.post(URL, {"workbook": upload(build_files.EXAMPLE)})
        assert response.status_code == 422
        assert "最多可分析 0.0 MB" in response.content.decode()
        response = client.post(URL, {"workbook": upload(b"a,b\n1,2\n", "data.csv")})
        assert response.status_code == 422
        assert "只能分析 .xlsx、.xls 和 .ods 工作簿" in response.content.decode()
        response = client.post(URL, {})
        assert response.status_code == 422 and "请选择要分析的工作簿" in response.content.decode()
        assert not Job.objects.exists()
        response = client.post(URL, {"workbook": upload(b"not a zip", "fake.xlsx")})
        job, body = finished(client, response)
        assert job.state == JobState.FAILED and "not really a .xlsx file" in body

    def test_reports_are_per_user(self, world, client):
        client.force_login(world.users["secretariat"])
        response = client.post(URL, {"workbook": upload(build_files.EXAMPLE)})
        job, _body = finished(client, response)
        assert client.get(f"/jobs/{job.pk}/files/report.zip").status_code == 200
        client.force_login(world.users["unit_member"])
        assert client.get(f"/jobs/{job.pk}/files/report.zip").status_code == 404
        assert client.get(URL, {"job": job.pk}).status_code == 404
        assert client.get(URL, {"job": "../../etc"}).status_code == 404
        assert client.get(f"/jobs/{job.pk}/files/report.exe").status_code == 404
