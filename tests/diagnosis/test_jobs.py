"""The diagnosis in the background: the refresh job and the stale-diagnoses sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Forbidden
from gongsheng.diagnosis import jobs, services
from gongsheng.diagnosis.models import DiagnosisResult
from gongsheng.jobs import sweeps
from gongsheng.jobs.models import Job, JobState
from gongsheng.ledger.services import Party
from tests.diagnosis.diag_data import build, post
from tests.support.jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return build(world)


def test_refresh_job_recomputes_and_raises_alerts(world, data):
    sec = world.users["secretariat"]
    job = jobs.diagnosis_refresh_start(actor=sec, consortium_id=world.a.pk)
    again = jobs.diagnosis_refresh_start(actor=sec, consortium_id=world.a.pk)
    assert again.pk == job.pk  # one at a time
    assert not DiagnosisResult.objects.filter(consortium=world.a).exists()
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["pairs"] >= 1 and job.progress_done == job.progress_total == 2
    assert DiagnosisResult.objects.filter(consortium=world.a).exists()
    entry = AuditEntry.objects.get(event_type=EventType.DIAGNOSIS_REFRESHED)
    assert entry.actor_id == sec.pk and entry.request_id == job.request_id


@pytest.mark.parametrize("user", ["unit_admin", "supervisor", "observer"])
def test_only_the_secretariat_starts_a_refresh(world, data, user):
    with pytest.raises(Forbidden):
        jobs.diagnosis_refresh_start(actor=world.users[user], consortium_id=world.a.pk)
    assert not Job.objects.exists()


def test_stale_sweep_recomputes_only_stale_results_once(world, data):
    services.diagnosis_result(consortium_id=world.a.pk)
    services.diagnosis_result(consortium_id=world.b.pk)
    sweep = sweeps.registered()["diagnosis.stale"]
    assert jobs.stale_consortia() == []
    assert sweep.func() == "no stale diagnosis" and not Job.objects.exists()
    post(world, "2024-07-01", Party.unit(data["u"]["ent"]), Party.unit(data["u"]["gov"]), 5)
    assert jobs.stale_consortia() == [world.a.pk]
    before = DiagnosisResult.objects.get(consortium=world.b, window_key="all").computed_at
    # two sweeps before a worker runs: one job
    sweep.func()
    sweep.func()
    assert Job.objects.filter(kind=jobs.RECOMPUTE_STALE).count() == 1
    run_jobs()
    job = Job.objects.get(kind=jobs.RECOMPUTE_STALE)
    assert job.state == JobState.SUCCEEDED and job.result["recomputed"] == 1, job.error
    assert jobs.stale_consortia() == []
    assert DiagnosisResult.objects.get(consortium=world.b, window_key="all").computed_at == before


def test_the_worker_runs_the_stale_sweep(world, data):
    services.diagnosis_result(consortium_id=world.a.pk)
    post(world, "2024-07-01", Party.unit(data["u"]["ent"]), Party.unit(data["u"]["gov"]), 5)
    ran = sweeps.run_due_sweeps(
        worker_id="w", names=["diagnosis.stale"], now=timezone.now() + dt.timedelta(seconds=1)
    )
    assert ran == ["diagnosis.stale"]
    run_jobs()
    assert jobs.stale_consortia() == []
