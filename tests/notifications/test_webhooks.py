"""Chat groups through apprise against a local fake server: WeCom, DingTalk (signed), Feishu,
a failure recorded in the delivery log, and the done-when: inbox + mail + WeCom alike."""

from __future__ import annotations

import pytest
from django.core import mail

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import ValidationFailed
from gongsheng.notifications.fake_chat import FakeChatServer
from gongsheng.notifications.models import Delivery, Notification
from tests.notifications.support import delivered, group, request_booking, with_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings):
    with FakeChatServer() as server:
        settings.GONGSHENG_CHAT_BASE_URLS = dict.fromkeys(
            ("wecom", "dingtalk", "feishu"), server.url
        )
        yield server


def test_booking_request_reaches_inbox_mail_and_wecom_alike(
    world, fake, django_capture_on_commit_callbacks
):
    with_mail(world)
    group(world, "wecom", "wecomkey1")
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    note = Notification.objects.get()
    [message] = mail.outbox
    [req] = fake.received
    assert req.path == "/cgi-bin/webhook/send" and req.query["key"] == ["wecomkey1"]
    assert req.body["msgtype"] == "text"
    text = req.body["text"]["content"]
    assert "数控实训基地" in text and message.subject in text
    assert note.recipient.email == message.to[0]
    states = sorted(Delivery.objects.values_list("channel", "state"))
    assert states == [("chat", "sent"), ("mail", "sent")]


def test_dingtalk_signed_and_feishu(world, fake, django_capture_on_commit_callbacks):
    group(world, "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=dtok1",
          secret="SECabc123")  # fmt: skip
    group(world, "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/fs-hook-1")
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    by_path = {r.path: r for r in fake.received}
    ding = by_path["/robot/send"]
    assert ding.query["access_token"] == ["dtok1"]
    assert ding.query["timestamp"] and ding.query["sign"]  # signed with the secret
    assert "数控实训基地" in ding.body["text"]["content"]
    feishu = by_path["/open-apis/bot/v2/hook/fs-hook-1/"]
    assert feishu.body["msg_type"] == "text"
    assert "数控实训基地" in feishu.body["content"]["text"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_failing_service_is_recorded_in_the_delivery_log(
    world, fake, django_capture_on_commit_callbacks
):
    fake.status = 500
    group(world, "wecom", "wecomkey1")
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    d = Delivery.objects.get()
    assert d.state == "failed" and d.attempts == 1 and d.finished_at
    assert "500" in d.result and len(fake.received) == 1


def test_groups_get_only_their_events_and_their_units(
    world, fake, django_capture_on_commit_callbacks
):
    group(world, "wecom", "notbookings", events=["project.moved"])
    group(world, "wecom", "schoolunit", unit="school")  # the host is ent, not school
    group(world, "wecom", "entunit", unit="ent")
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    assert [r.query["key"] for r in fake.received] == [["entunit"]]


def test_chat_preference_off_keeps_the_unit_group_quiet(
    world, fake, django_capture_on_commit_callbacks
):
    from gongsheng.notifications.services import preferences_set

    group(world, "wecom", "entunit", unit="ent")
    preferences_set(actor=world.users["unit_admin"], choices={("booking.requested", "chat"): False})
    with delivered(django_capture_on_commit_callbacks):
        request_booking(world)
    assert fake.received == [] and not Delivery.objects.exists()


def test_chat_group_validation_and_audit(world):
    with pytest.raises(ValidationFailed) as exc:
        group(world, "wecom", "no spaces allowed", secret="x")
    assert {e.field for e in exc.value.errors} == {"key", "secret"}
    with pytest.raises(ValidationFailed) as exc:
        group(world, "dingtalk", "tok", events=["no.such"], unit="x")  # x is in consortium B
    assert {e.field for e in exc.value.errors} == {"events", "unit"}
    g = group(world, "dingtalk", "tok", secret="SECabc")
    entry = AuditEntry.objects.get(event_type=EventType.CHAT_CHANNEL_CREATED)
    assert entry.after["key"] == "…" and entry.after["secret"] == "…"
    assert "tok" not in str(entry.after.values())
    assert g.pk
