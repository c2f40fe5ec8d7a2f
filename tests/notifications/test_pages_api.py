"""The inbox, settings, chat groups and delivery log pages and the API: scoping, badge, counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongsheng.access.actors import SYSTEM
from gongsheng.notifications.models import Delivery, Notification
from gongsheng.notifications.services import notify
from tests.notifications.support import group, request_booking, with_mail
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _digest(world, n=1):
    for _ in range(n):
        notify([world.users["secretariat"]], "diagnosis.digest", world.a, actor=SYSTEM,
               context={"counts": {"free_rider": 2}})  # fmt: skip


def test_inbox_shows_only_ones_own_notifications_and_the_badge(world, client):
    request_booking(world)  # unit_admin is told
    _digest(world)  # the secretariat is told
    client.force_login(world.users["unit_admin"])
    page = client.get("/notifications/").content.decode()
    assert "数控实训基地" in page and 'id="unread-count"' in page
    assert "free_rider" not in page and "搭便车" not in page
    client.force_login(world.users["school_admin"])
    page = client.get("/notifications/").content.decode()
    assert "数控实训基地" not in page and 'id="unread-count"' not in page
    assert "暂无通知" in page


def test_the_badge_costs_one_query(world, client):
    request_booking(world)
    client.force_login(world.users["unit_admin"])
    url = "/consortia/"
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    notif = [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    assert len(notif) == 1, notif


def test_nobody_marks_or_counts_anothers_notification(world, client):
    request_booking(world)
    note = Notification.objects.get()
    for who in ("school_admin", "secretariat", "unit_member"):
        client.force_login(world.users[who])
        assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
        assert client.post(f"/api/notifications/{note.pk}/read").status_code == 404
        assert client.get("/api/notifications/unread-count").json() == {"unread": 0}
        assert client.get("/api/notifications").json()["count"] == 0
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_read_by_htmx_and_all_read(world, client):
    request_booking(world)
    _digest(world, 2)
    client.force_login(world.users["unit_admin"])
    note = Notification.objects.get(recipient=world.users["unit_admin"])
    r = client.post(f"/notifications/{note.pk}/read/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "mark-read" not in r.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None
    client.force_login(world.users["secretariat"])
    assert client.get("/api/notifications/unread-count").json() == {"unread": 2}
    assert client.post("/api/notifications/read-all").json() == {"marked": 2}
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_inbox_hides_a_record_the_reader_can_no_longer_see(world, client):
    # consortium B's digest, wrongly addressed to a unit admin of A: the inbox names nothing
    notify([world.users["school_admin"]], "diagnosis.digest", world.b, actor=SYSTEM,
           context={"counts": {"free_rider": 1}})  # fmt: skip
    client.force_login(world.users["school_admin"])
    [row] = client.get("/api/notifications").json()["items"]
    assert row["link"] == "" and "无权查看" in row["title"]


def test_api_lists_and_sets_preferences(world, client):
    client.force_login(world.users["unit_admin"])
    rows = client.get("/api/notifications/preferences").json()
    assert {r["event"] for r in rows} >= {"booking.requested", "diagnosis.digest"}
    r = client.put(
        "/api/notifications/preferences",
        [{"event": "booking.requested", "mail": False}],
        content_type="application/json",
    )
    got = {x["event"]: x for x in r.json()}
    assert got["booking.requested"]["mail"] is False and got["booking.requested"]["chat"] is True
    bad = client.put(
        "/api/notifications/preferences",
        [{"event": "nope", "mail": False}],
        content_type="application/json",
    )
    assert bad.status_code == 422 and "nope.mail" in bad.content.decode()


def test_preferences_page_saves(world, client):
    client.force_login(world.users["unit_admin"])
    assert "通知设置" in client.get("/notifications/preferences/").content.decode()
    r = client.post("/notifications/preferences/", {"booking.requested.chat": "on"})
    assert r.status_code == 302
    rows = {x["event"]: x for x in client.get("/api/notifications/preferences").json()}
    assert rows["booking.requested"] == {**rows["booking.requested"], "mail": False, "chat": True}


def test_list_pages_keep_a_constant_query_count(world, client):
    with_mail(world)
    request_booking(world)
    client.force_login(world.users["secretariat"])
    _digest(world)
    assert_constant_queries(lambda: client.get("/notifications/"), lambda: _digest(world, 5))
    assert_constant_queries(
        lambda: client.get(f"/consortia/{world.a.pk}/deliveries/"), lambda: _digest(world, 3)
    )  # fmt: skip


def test_delivery_log_is_the_secretariats(world, client):
    with_mail(world)
    request_booking(world)
    assert Delivery.objects.count() == 1
    url = f"/consortia/{world.a.pk}/deliveries/"
    client.force_login(world.users["secretariat"])
    page = client.get(url).content.decode()
    assert "unit_admin@example.cn" in page and "数控实训基地" in page
    for who in ("unit_admin", "supervisor", "observer"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 403
        assert client.get("/deliveries/").status_code == 403
    client.force_login(world.users["other_consortium"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["admin"])
    assert "unit_admin@example.cn" in client.get("/deliveries/").content.decode()


def test_chat_groups_page_create_edit_and_scoping(world, client):
    client.force_login(world.users["secretariat"])
    url = f"/consortia/{world.a.pk}/chat-groups/"
    r = client.post(url + "new/", {"name": "秘书处群", "kind": "wecom", "key": "bad key!",
                                   "events": ["booking.requested"], "is_active": "on"})  # fmt: skip
    assert r.status_code == 422 and "key" in r.content.decode()
    r = client.post(url + "new/", {"name": "秘书处群", "kind": "wecom", "key": "abc123",
                                   "events": ["booking.requested"], "is_active": "on"})  # fmt: skip
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "秘书处群" in page and "abc123" not in page  # the key is never shown
    g = world.a.chat_channels.get()
    r = client.post(f"/chat-groups/{g.pk}/edit/", {"version": g.version, "name": "新名字",
                    "kind": "wecom", "key": "", "events": [], "is_active": "on"})  # fmt: skip
    assert r.status_code == 302
    g.refresh_from_db()
    assert (g.name, g.key, g.events) == ("新名字", "abc123", [])
    # a unit admin sees only its own unit's groups and cannot edit the consortium's
    client.force_login(world.users["unit_admin"])
    assert "新名字" not in client.get(url).content.decode()
    assert client.post(f"/chat-groups/{g.pk}/edit/", {"name": "x"}).status_code == 404
    assert client.post(f"/chat-groups/{g.pk}/delete/").status_code == 404
    client.force_login(world.users["other_consortium"])
    assert client.get(url).status_code == 404


def test_unit_admin_registers_its_own_units_group_only(world):
    from gongsheng.core.errors import Forbidden

    mine = group(world, unit="ent", key="entkey")
    assert mine.unit_id == world.units["ent"].pk
    from gongsheng.notifications.services import chat_channel_create

    with pytest.raises(Forbidden):
        chat_channel_create(actor=world.users["unit_admin"], consortium_id=world.a.pk,
                            name="x", kind="feishu", key="k1", unit_id=world.units["school"].pk)  # fmt: skip
    with pytest.raises(Forbidden):
        chat_channel_create(actor=world.users["unit_admin"], consortium_id=world.a.pk,
                            name="x", kind="feishu", key="k1")  # fmt: skip
    ok = chat_channel_create(actor=world.users["unit_admin"], consortium_id=world.a.pk,
                             name="x", kind="feishu", key="k1", unit_id=world.units["ent"].pk)  # fmt: skip
    assert ok.pk
