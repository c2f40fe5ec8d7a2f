"""Background jobs: start, run, retries with a limit, progress, files, restart, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.jobs import services
from gongsheng.jobs.models import Job, JobState
from gongsheng.jobs.runner import STOPPING, execute
from tests.jobs import kinds
from tests.support.jobs import run_jobs


@pytest.fixture(autouse=True)
def _fresh_calls():
    kinds.CALLS.clear()


def start(world, kind="test.flaky", user="secretariat", **params):
    return services.job_start(
        actor=world.users[user], kind=kind, consortium_id=world.a.pk, params=params
    )


def test_fails_twice_then_succeeds(world):
    job = start(world, fail_times=2)
    assert job.state == JobState.QUEUED and job.task_id
    entry = AuditEntry.objects.get(event_type=EventType.JOB_STARTED)
    assert entry.object_id == job.pk and entry.actor_id == world.users["secretariat"].pk
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.attempts == 3 and job.result == {"runs": 3}
    assert job.error == "" and job.finished_at is not None
    assert default_storage.open(job.files["out.txt"]).read().decode() == "共生 ok"


def test_retry_waits_for_its_back_off(world):
    job = start(world, fail_times=1)
    kind = services.get_kind("test.flaky")
    assert kind.delay(1) == 0
    from gongsheng.jobs.registry import JobKind

    assert JobKind("x", lambda c: None, "x", backoff=10).delay(3) == 40
    # one run only: the retry is due at once with back-off 0, so run exactly one message
    assert execute(job.pk, worker_id="w") == "retrying"
    job.refresh_from_db()
    assert job.state == JobState.RETRYING and job.attempts == 1
    assert "boom 1" in job.error and "RuntimeError" in job.traceback
    assert job.run_after is not None


def test_over_the_limit_fails_with_its_error_shown(world, client):
    job = start(world, fail_times=5)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 3
    assert "boom 3" in job.error and "Traceback" in job.traceback
    failed = AuditEntry.objects.get(event_type=EventType.JOB_FAILED)
    assert failed.object_id == job.pk and failed.consortium_id == world.a.pk
    client.force_login(world.users["secretariat"])
    body = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert "boom 3" in body and 'data-state="failed"' in body and "hx-trigger" not in body
    assert "Traceback (most recent" not in body  # the traceback is for admins
    # run again from the page: a fresh set of attempts
    client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0


def test_a_refusal_is_not_retried(world):
    job = start(world, kind="test.refuse")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.error == "the input is wrong" and job.result == {"problems": ["A1"]}


def test_progress_is_recorded_and_shown(world, client):
    job = start(world, kind="test.steps", total=4)
    client.force_login(world.users["secretariat"])
    body = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'hx-trigger="every 1s"' in body and 'data-state="queued"' in body
    services.job_claim(job_id=job.pk, worker_id="w")
    services.job_progress(job_id=job.pk, done=2, total=4, message="half way")
    body = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert "2 / 4" in body and "half way" in body and 'style="width: 50%"' in body
    api = client.get(f"/api/jobs/{job.pk}").json()
    assert api["state"] == "running" and api["percent"] == 50


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        services.job_start(actor=world.users["secretariat"], kind="nope")
    assert exc.value.errors[0].field == "kind"
    assert not Job.objects.exists()


def test_dedupe_returns_the_active_job(world):
    a = services.job_start(actor=SYSTEM, kind="test.steps", dedupe_key="k")
    b = services.job_start(actor=SYSTEM, kind="test.steps", dedupe_key="k")
    assert a.pk == b.pk and Job.objects.count() == 1
    run_jobs()
    c = services.job_start(actor=SYSTEM, kind="test.steps", dedupe_key="k")
    assert c.pk != a.pk


def test_a_job_left_running_by_a_dead_worker_is_resumed(world):
    job = start(world, kind="test.steps", total=3)
    services.job_claim(job_id=job.pk, worker_id="dead-worker")  # ... and then it died
    # its queue message was taken; nothing runs it until the lease runs out
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING
    assert services.jobs_recover() == 0  # the heartbeat is fresh
    later = timezone.now() + dt.timedelta(seconds=120)
    assert services.jobs_recover(now=later) == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "stopped" in job.error
    assert AuditEntry.objects.filter(event_type=EventType.JOB_RESUMED, object_id=job.pk).exists()
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2 and job.result == {"done": 3}


def test_a_stopping_worker_gives_the_job_back(world):
    job = start(world, kind="test.steps", total=3)
    STOPPING.set()
    try:
        assert execute(job.pk, worker_id="w") == "requeued"
    finally:
        STOPPING.clear()
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1


def test_a_lost_queue_message_is_sent_again(world):
    from django_tasks_db.models import DBTaskResult

    job = start(world, kind="test.steps", total=1)
    DBTaskResult.objects.all().delete()  # e.g. pruned by hand
    assert services.jobs_recover(now=timezone.now() + dt.timedelta(minutes=5)) == 1
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("secretariat", True),  # the starter
        ("admin", True),  # platform admin
        ("unit_admin", False),
        ("supervisor", False),
        ("other_consortium", False),
    ],
)
def test_who_sees_a_job(world, client, user, sees):
    job = start(world, kind="test.steps")
    run_jobs()
    client.force_login(world.users[user])
    page = client.get(f"/jobs/{job.pk}/")
    api = client.get(f"/api/jobs/{job.pk}")
    listed = client.get("/api/jobs").json()["items"]
    if sees:
        assert page.status_code == 200 and api.status_code == 200
        assert [j["id"] for j in listed] == [job.pk]
    else:
        assert page.status_code == 404 and api.status_code == 404  # not 403
        assert listed == []
        assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404


def test_the_secretariat_sees_its_consortiums_jobs(world, client):
    job = start(world, kind="test.steps", user="unit_admin")
    client.force_login(world.users["secretariat"])
    assert client.get(f"/api/jobs/{job.pk}").status_code == 200
    client.force_login(world.users["unit_member"])
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404


def test_cannot_start_a_job_for_a_consortium_one_cannot_see(world):
    with pytest.raises(NotFound):
        services.job_start(
            actor=world.users["other_consortium"], kind="test.steps", consortium_id=world.a.pk
        )


def test_files_only_for_those_who_see_the_job(world, client):
    job = start(world, fail_times=0)
    run_jobs()
    client.force_login(world.users["secretariat"])
    r = client.get(f"/jobs/{job.pk}/files/out.txt")
    assert r.status_code == 200 and b"".join(r.streaming_content).decode() == "共生 ok"
    assert client.get(f"/jobs/{job.pk}/files/missing.txt").status_code == 404
    client.force_login(world.users["unit_admin"])
    assert client.get(f"/jobs/{job.pk}/files/out.txt").status_code == 404


def test_list_page(world, client):
    start(world, kind="test.steps")
    client.force_login(world.users["secretariat"])
    body = client.get("/jobs/").content.decode()
    assert 'id="jobs"' in body and "Steps" in body
    assert client.get("/jobs/?state=bogus").status_code == 200


def test_prune_removes_old_finished_jobs_and_files(world):
    job = start(world, fail_times=0)
    run_jobs()
    job.refresh_from_db()
    path = job.files["out.txt"]
    assert services.jobs_prune() == 0
    from django_tasks_db.models import DBTaskResult

    long_ago = timezone.now() - dt.timedelta(days=30)
    Job.objects.filter(pk=job.pk).update(finished_at=long_ago)
    DBTaskResult.objects.update(finished_at=long_ago)
    assert services.jobs_prune() == 1
    assert not DBTaskResult.objects.exists()
    assert not Job.objects.filter(pk=job.pk).exists() and not default_storage.exists(path)


def test_list_page_and_endpoint_keep_a_constant_query_count(world, client):
    from tests.support.queries import assert_constant_queries

    start(world, kind="test.steps")
    client.force_login(world.users["secretariat"])

    def grow():
        for user in ("secretariat", "unit_admin"):
            start(world, kind="test.steps", user=user)

    for url in ("/jobs/", "/api/jobs"):
        client.get(url)
        assert_constant_queries(lambda url=url: client.get(url), grow)
