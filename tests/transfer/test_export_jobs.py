"""A large export is written by a background job, a small one stays in the request; the job's
file equals the request's export and is downloaded only by the user who asked, while they may
still see its rows."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gongsheng.access.models import RoleAssignment
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.jobs.models import Job, JobState
from tests.support.jobs import run_jobs

pytestmark = pytest.mark.django_db


def _units(world, fmt="csv", query=""):
    return f"/consortia/{world.a.pk}/units/?export={fmt}{query}"


def _export_job(world, client, settings, fmt):
    settings.GONGSHENG_EXPORT_INLINE_ROWS = 1
    client.force_login(world.users["secretariat"])
    exports = AuditEntry.objects.filter(event_type=EventType.EXPORT_MADE)
    before = exports.count()
    r = client.get(_units(world, fmt))
    assert r.status_code == 202 and 'class="card job-progress"' in r.content.decode()
    job = Job.objects.get(kind="transfer.export")
    assert job.user == world.users["secretariat"] and job.consortium_id == world.a.pk
    assert exports.count() == before  # the worker writes the file (and its audit entry)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert exports.count() == before + 1
    assert exports.order_by("-id")[0].actor_id == world.users["secretariat"].pk
    return job


def test_a_small_export_stays_in_the_request(world, client):
    client.force_login(world.users["secretariat"])
    r = client.get(_units(world))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    assert not Job.objects.exists()


def test_a_large_export_becomes_a_job_whose_file_equals_the_inline_export(world, client, settings):
    inline = _inline(world, client, settings, "csv")
    job = _export_job(world, client, settings, "csv")
    assert job.result["rows"] == inline.count(b"\n") - 1 > 1 and job.result["left_out"] == 0
    assert job.progress_done == job.progress_total == job.result["rows"]
    page = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'id="export-success"' in page and job.result["file"] in page
    got = client.get(f"/jobs/{job.pk}/files/{job.result['file']}")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == inline


def test_an_xlsx_export_job_has_the_same_cells(world, client, settings):
    settings.GONGSHENG_EXPORT_INLINE_ROWS = 1
    client.force_login(world.users["secretariat"])
    inline_rows = _cells(_inline(world, client, settings, "xlsx"))
    job = _export_job(world, client, settings, "xlsx")
    got = client.get(f"/jobs/{job.pk}/files/{job.result['file']}")
    assert _cells(b"".join(got.streaming_content)) == inline_rows


def test_nobody_else_downloads_the_file_and_a_revoked_right_ends_it(world, client, settings):
    job = _export_job(world, client, settings, "csv")
    url = f"/jobs/{job.pk}/files/{job.result['file']}"
    for name in ("admin", "unit_admin", "supervisor", "other_consortium"):
        client.force_login(world.users[name])
        assert client.get(url).status_code == 404, name  # even those who see the job
    client.force_login(world.users["admin"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 200  # the platform admin sees it
    progress = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'id="export-private"' in progress and url not in progress
    client.force_login(world.users["secretariat"])
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(user=world.users["secretariat"]).delete()
    assert client.get(url).status_code == 404


def test_the_api_answers_202_with_the_job(world, client, settings):
    settings.GONGSHENG_EXPORT_INLINE_ROWS = 1
    client.force_login(world.users["secretariat"])
    r = client.get(f"/api/transfer/units/export?consortium={world.a.pk}&format=csv")
    assert r.status_code == 202
    body = r.json()
    assert body["kind"] == "transfer.export" and body["state"] == "queued"
    run_jobs()
    done = client.get(f"/api/jobs/{body['id']}").json()
    assert done["state"] == "succeeded"
    assert client.get(done["files"][done["result"]["file"]]).status_code == 200
    client.force_login(world.users["admin"])
    assert client.get(done["files"][done["result"]["file"]]).status_code == 404


def _inline(world, client, settings, fmt):
    old = settings.GONGSHENG_EXPORT_INLINE_ROWS
    settings.GONGSHENG_EXPORT_INLINE_ROWS = 10_000
    client.force_login(world.users["secretariat"])
    r = client.get(_units(world, fmt))
    settings.GONGSHENG_EXPORT_INLINE_ROWS = old
    assert r.status_code == 200
    return r.content


def _cells(data):
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]
