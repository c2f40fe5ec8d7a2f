"""notify(): recipients, preferences, the digest, deliveries after commit, mail in Chinese."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import ValidationFailed
from gongsheng.notifications import recipients
from gongsheng.notifications.models import Delivery, Notification
from gongsheng.notifications.services import (
    deliver,
    notify,
    preferences_set,
)
from tests.notifications.support import delivered, request_booking, with_mail

pytestmark = pytest.mark.django_db


def test_recipients_are_the_role_holders(world):
    assert [u.username for u in recipients.secretariat(world.a.pk)] == ["secretariat"]
    admins = recipients.unit_admins(world.a.pk, [world.units["ent"].pk, world.units["school"].pk])
    assert sorted(u.username for u in admins) == ["school_admin", "unit_admin"]
    # a unit admin of consortium B is not one of A's
    assert recipients.unit_admins(world.a.pk, [world.units["x"].pk]) == []


def test_booking_request_tells_the_host_unit_admin_inbox_and_mail_after_commit(
    world, django_capture_on_commit_callbacks
):
    with_mail(world)
    with delivered(django_capture_on_commit_callbacks):
        booking = request_booking(world)
    note = Notification.objects.get()
    assert note.recipient == world.users["unit_admin"]
    assert note.event == "booking.requested" and note.object_id == booking.pk
    with translation.override("zh-hans"):
        title, _ = note.render()
    assert "数控实训基地" in title and "预约" in title
    [message] = mail.outbox
    assert message.to == ["unit_admin@example.cn"]
    assert "数控实训基地" in message.subject and "申请预约" in message.subject
    d = Delivery.objects.get()
    assert (d.channel, d.state, d.attempts, d.recipient_id) == (
        "mail",
        "sent",
        1,
        world.users["unit_admin"].pk,
    )
    assert d.finished_at is not None and d.subject == message.subject


def test_nothing_is_told_when_the_change_rolls_back(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    with_mail(world)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_booking(world)
        raise RuntimeError("boom")
    assert not Notification.objects.exists() and not mail.outbox


def test_the_actor_is_not_told_of_their_own_act(world):
    notify([world.users["secretariat"]], "diagnosis.digest", world.a, actor=world.users["secretariat"],
           context={"counts": {"free_rider": 1}})  # fmt: skip
    assert not Notification.objects.exists()


def test_preferences_turn_mail_off_but_the_inbox_stays(world, django_capture_on_commit_callbacks):
    with_mail(world)
    preferences_set(actor=world.users["unit_admin"], choices={("booking.requested", "mail"): False})
    entry = AuditEntry.objects.get(event_type=EventType.NOTIFICATION_PREFERENCES_CHANGED)
    assert entry.after == {"booking.requested.mail": False}
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    assert Notification.objects.filter(recipient=world.users["unit_admin"]).count() == 1
    assert not mail.outbox and not Delivery.objects.exists()


def test_preferences_refuse_unknown_events_and_change_nothing(world):
    with pytest.raises(ValidationFailed) as exc:
        preferences_set(actor=world.users["unit_admin"], choices={("nonsense", "mail"): False})
    assert exc.value.errors[0].field == "nonsense.mail"
    assert not AuditEntry.objects.filter(event_type=EventType.NOTIFICATION_PREFERENCES_CHANGED)


def test_unknown_event_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown notification event"):
        notify([world.users["unit_admin"]], "no.such", None, actor=SYSTEM)


def test_diagnosis_alerts_make_one_digest_per_consortium(world, monkeypatch):
    from gongsheng.diagnosis import services as diagnosis

    alerts = [
        {"kind": "free_rider", "units": [world.units[k].pk], "reason": "r"}
        for k in ("ent", "other", "school")
    ] + [{"kind": "parasitic_pair", "units": [world.units["ent"].pk, world.units["other"].pk],
          "reason": "r"}]  # fmt: skip

    class Result:
        payload = {"diagnosis": {"units": [], "alerts": alerts}}

    raised = diagnosis.raise_alerts(actor=SYSTEM, consortium_id=world.a.pk, result=Result())
    assert raised == 4
    [note] = Notification.objects.all()
    assert note.recipient == world.users["secretariat"] and note.event == "diagnosis.digest"
    assert note.params["counts"] == {"free_rider": 3, "parasitic_pair": 1}
    with translation.override("zh-hans"):
        title, body = note.render()
    assert "新增 4 条诊断预警" in title and "搭便车" in body and "寄生" in body
    # the same alerts again: nothing new is raised, so nobody is told again
    assert diagnosis.raise_alerts(actor=SYSTEM, consortium_id=world.a.pk, result=Result()) == 0
    assert Notification.objects.count() == 1


def test_deliver_is_idempotent(world, django_capture_on_commit_callbacks):
    with_mail(world)
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    d = Delivery.objects.get()
    assert deliver([d.pk]) == {"sent": 0, "failed": 0, "skipped": 1}
    assert len(mail.outbox) == 1


def test_a_mail_transport_error_is_recorded_as_failed(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with_mail(world)
    request_booking(world)  # on-commit callbacks are not run in this test's transaction
    d = Delivery.objects.get()
    assert d.state == "pending"
    assert deliver([d.pk]) == {"sent": 0, "failed": 1, "skipped": 0}
    d.refresh_from_db()
    assert d.state == "failed" and "Error" in d.result and d.attempts == 1


def test_the_delivery_log_is_never_deleted(world):
    with_mail(world)
    request_booking(world)
    with pytest.raises(PermissionError):
        Delivery.objects.all().delete()
    with pytest.raises(PermissionError):
        Delivery.objects.get().delete()


def test_membership_moves_tell_the_secretariat_and_the_units_admins(world):
    from gongsheng.consortia.services import membership_transition

    m = world.memberships["ent"]
    membership_transition(actor=world.users["admin"], membership_id=m.pk, to_status="withdrawn")
    got = sorted(Notification.objects.values_list("recipient__username", "event"))
    assert got == [("secretariat", "membership.decided"), ("unit_admin", "membership.decided")]
    note = Notification.objects.get(recipient__username="unit_admin")
    with translation.override("zh-hans"):
        assert "成员资格现为" in note.render()[0]
    with translation.override("en"):
        assert "withdrawn" in note.render()[0]


def test_project_moves_tell_the_participants_unit_admins(world):
    from gongsheng.cooperation.services import participant_add, project_create, project_move

    project = project_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, name="风电运维订单班",
        type="other", lead_unit_id=world.units["school"].pk,
    )  # fmt: skip
    participant_add(actor=world.users["secretariat"], project_id=project.pk,
                    unit_id=world.units["ent"].pk)  # fmt: skip
    project.refresh_from_db()
    project_move(actor=world.users["secretariat"], project_id=project.pk, to_status="proposed",
                 version=project.version, reason="立项评审通过")  # fmt: skip
    notes = Notification.objects.filter(event="project.moved")
    assert sorted(n.recipient.username for n in notes) == ["school_admin", "unit_admin"]
    note = notes[0]
    assert note.params["reason"] == "立项评审通过" and note.link == f"/projects/{project.pk}/"
    with translation.override("zh-hans"):
        title, body = note.render()
    assert "风电运维订单班" in title and body == "原因：立项评审通过"


def test_deliver_pending_sends_what_was_left_and_a_second_sender_sends_nothing(world):
    from gongsheng.notifications.services import deliver_pending

    with_mail(world)
    request_booking(world)  # the on-commit send never ran (the process "stopped")
    d = Delivery.objects.get()
    assert d.state == "pending"
    assert deliver_pending() == {"sent": 1, "failed": 0, "skipped": 0}
    assert deliver([d.pk]) == {"sent": 0, "failed": 0, "skipped": 1}
    assert deliver_pending() == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 1


def test_mail_carries_the_title_and_the_link_under_the_site_address(
    world, settings, django_capture_on_commit_callbacks
):
    settings.GONGSHENG_SITE_URL = "https://gongsheng.example.cn/"
    with_mail(world)
    with delivered(django_capture_on_commit_callbacks):
        booking = request_booking(world)
    [message] = mail.outbox
    assert message.body.startswith(message.subject)
    assert f"https://gongsheng.example.cn/consortia/{booking.consortium_id}/bookings/queue/" in (
        message.body
    )


def test_one_delivery_job_per_batch_sends_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    from gongsheng.consortia.services import membership_transition
    from gongsheng.jobs.models import Job
    from tests.support.jobs import run_jobs

    with_mail(world)
    m = world.memberships["ent"]
    with django_capture_on_commit_callbacks(execute=True):
        membership_transition(actor=world.users["admin"], membership_id=m.pk, to_status="withdrawn")
    [job] = Job.objects.filter(kind="notifications.deliver")  # one job for both recipients
    assert sorted(job.params["ids"]) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(job.params["ids"]) == 2 and job.consortium_id == world.a.pk
    assert not mail.outbox and set(Delivery.objects.values_list("state", flat=True)) == {"pending"}
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result == {"sent": 2, "failed": 0, "skipped": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "secretariat@example.cn",
        "unit_admin@example.cn",
    ]


def test_a_failed_job_start_leaves_the_deliveries_to_the_sweep(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from gongsheng.jobs import services as job_services
    from gongsheng.jobs.models import Job
    from gongsheng.notifications.jobs import send_pending

    def down(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(job_services, "job_start", down)
    with_mail(world)
    with django_capture_on_commit_callbacks(execute=True):
        booking = request_booking(world)  # the booking itself is saved all the same
    assert booking.pk and not Job.objects.filter(kind="notifications.deliver").exists()
    assert Delivery.objects.get().state == "pending"
    assert send_pending() == "failed 0, sent 1, skipped 0"
    assert len(mail.outbox) == 1


def test_a_batch_dropped_before_the_commit_starts_no_job(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    from gongsheng.jobs.models import Job

    with_mail(world)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        request_booking(world)
        Delivery.objects.all()._purge()  # as the demo loader trims what it told people
    assert not Job.objects.filter(kind="notifications.deliver").exists()
