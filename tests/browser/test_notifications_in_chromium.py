"""Notifications in Debian's chromium, the issue's done-when: a school's unit admin asks to book
the lead enterprise's assembly line; the enterprise's unit admin sees the unread badge and the
message in the inbox (消息中心) and marks it read; the same message went out by mail and reached
the WeCom group (a local fake server) through apprise, sent by the delivery job the request
started (the worker runs here in the test's thread, as in the jobs' browser test)."""

from __future__ import annotations

from django.core import mail

from gongsheng.access.actors import SYSTEM
from gongsheng.notifications.fake_chat import FakeChatServer
from tests.browser.conftest import login
from tests.browser.test_jobs_in_chromium import _work_until_done
from tests.browser.test_sharing_in_chromium import _book, _free_thursday, _resource


def test_booking_request_reaches_the_hosts_inbox_mail_and_wecom(
    demo_server, browser, page, settings
):
    from gongsheng.notifications.models import Delivery, Notification
    from gongsheng.notifications.services import chat_channel_create

    resource = _resource()
    Notification.objects.all().delete()  # what the demo bookings told people
    with FakeChatServer() as wecom:
        settings.GONGSHENG_CHAT_BASE_URLS = {"wecom": wecom.url}
        chat_channel_create(
            actor=SYSTEM, consortium_id=resource.consortium_id, name="秘书处企业微信群",
            kind="wecom", key="demo-key", events=["booking.requested"],
        )  # fmt: skip
        _work_until_done()  # the worker sends what loading the demo told people
        mail.outbox.clear()
        login(page, demo_server, "school_admin")
        _book(page, demo_server, resource, _free_thursday(resource), "14:00", "16:00")
        assert not wecom.texts()  # nothing is sent inside the request
        _work_until_done()

        [note] = Notification.objects.all()
        assert note.recipient.username == "enterprise_admin"
        title = wecom.texts()[0]
        assert "装配" in title or resource.name in title
        assert any(m.to == ["enterprise_admin@example.invalid"] for m in mail.outbox)
        mine = [m for m in mail.outbox if m.to == ["enterprise_admin@example.invalid"]]
        assert mine[0].subject in title  # the same message by mail and in the group
        assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}

    page.context.clear_cookies()
    login(page, demo_server, "enterprise_admin")
    assert page.locator("#unread-count").inner_text() == "1"
    page.click("#inbox-link")
    row = page.locator(f"#notification-{note.pk}")
    assert resource.name in row.inner_text() and "申请预约" in row.inner_text()
    row.locator("button.mark-read").click()
    page.wait_for_selector(f"#notification-{note.pk} >> text=标为已读", state="detached")
    note.refresh_from_db()
    assert note.read_at is not None
    page.reload()
    assert page.locator("#unread-count").count() == 0
