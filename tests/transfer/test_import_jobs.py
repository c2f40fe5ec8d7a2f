"""A large import runs as a background job with progress; a small one stays in the request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.consortia.models import Unit
from gongsheng.jobs.models import Job, JobState
from tests.support.jobs import run_jobs
from tests.support.world import code
from tests.transfer.test_import_export import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "名称", "类型"]


def post(client, world, rows):
    upload = SimpleUploadedFile("units.xlsx", xlsx([HEADER, *rows]))
    return client.post(f"/consortia/{world.a.pk}/import/", {"resource": "units", "file": upload})


def test_a_large_file_is_imported_by_a_job(world, client, settings):
    settings.GONGSHENG_IMPORT_INLINE_ROWS = 2
    client.force_login(world.users["secretariat"])
    before = Unit.objects.count()
    r = post(client, world, [[code(70 + i), f"新企业{i}", "企业"] for i in range(3)])
    assert r.status_code == 202 and 'class="card job-progress"' in r.content.decode()
    assert Unit.objects.count() == before  # nothing yet: the worker imports
    job = Job.objects.get(kind="transfer.import")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["created"] == 3 and job.progress_done == job.progress_total == 3
    assert Unit.objects.count() == before + 3
    summary = AuditEntry.objects.get(event_type=EventType.IMPORT_APPLIED)
    assert summary.actor_id == world.users["secretariat"].pk
    assert str(summary.request_id) == job.result["request_id"] == str(job.request_id)
    body = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'id="import-success"' in body


def test_a_large_bad_file_names_every_cell_and_changes_nothing(world, client, settings):
    settings.GONGSHENG_IMPORT_INLINE_ROWS = 2
    client.force_login(world.users["secretariat"])
    before = Unit.objects.count()
    post(client, world, [[code(80), "甲", "企业"], ["bad", "乙", "企业"], [code(81), "", "企业"]])
    run_jobs()
    job = Job.objects.get(kind="transfer.import")
    assert job.state == JobState.FAILED and job.attempts == 1
    assert sorted(e["row"] for e in job.result["errors"]) == [3, 4]
    body = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'id="import-errors"' in body
    assert Unit.objects.count() == before


def test_a_small_file_stays_inline(world, client):
    client.force_login(world.users["secretariat"])
    r = post(client, world, [[code(90), "小文件", "企业"]])
    assert r.status_code == 200 and 'id="import-success"' in r.content.decode()
    assert not Job.objects.exists()
