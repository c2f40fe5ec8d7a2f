"""Pages and API of the sharing app: every page renders per role, the booking form names the
field on overlap, the queue approves and rejects, query counts stay constant, the API pages."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.sharing import services
from gongsheng.sharing.models import Booking, SharedResource
from tests.sharing.support import at, make_resource, next_weekday, price
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(world):
    price(world.a)
    return make_resource(world)


_ROUND = [0]


def _grow(world, base, n=6):
    def grow():
        _ROUND[0] += 1
        first = next_weekday(1, weeks=2 + 3 * _ROUND[0])
        for i in range(n):
            day = first + dt.timedelta(days=7 * (i // 3))
            b = services.booking_create(
                actor=SYSTEM, resource_id=base.pk, unit_id=world.units["school"].pk,
                start=at(day, 8 + i % 3), end=at(day, 9 + i % 3),
            )  # fmt: skip
            if i % 2:
                services.booking_approve(actor=SYSTEM, booking_id=b.pk, version=None)
            make_resource(world, code=f"grown{_ROUND[0]}-{i}", owner="other")

    return grow


@pytest.mark.parametrize(
    "role", ["secretariat", "supervisor", "observer", "unit_admin", "school_admin"]
)
def test_every_page_renders_for_every_role(world, client, base, role):
    _grow(world, base, 3)()
    client.force_login(world.users[role])
    a = world.a.pk
    for url in [
        f"/consortia/{a}/resources/",
        f"/consortia/{a}/resources/?kind=training_base&q=Res",
        f"/consortia/{a}/utilisation/",
        f"/resources/{base.pk}/",
        f"/consortia/{a}/bookings/queue/",
        f"/consortia/{a}/bookings/mine/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_booking_form_names_the_overlap_and_the_queue_decides(world, client, base):
    day = next_weekday(2)
    client.force_login(world.users["school_admin"])
    form = {"day": day.isoformat(), "start_time": "09:00", "end_time": "11:00", "quantity": 1}
    r = client.post(f"/resources/{base.pk}/book/", form)
    assert r.status_code == 302
    booking = Booking.objects.get()
    client.force_login(world.users["unit_admin"])
    body = client.get(f"/consortia/{world.a.pk}/bookings/queue/").content.decode()
    assert f'data-booking="{booking.pk}"' in body
    r = client.post(f"/bookings/{booking.pk}/decide/", {"decision": "approve", "version": 1})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "approved"
    client.force_login(world.users["secretariat"])
    form["start_time"] = "10:00"
    form["unit"] = world.units["gov"].pk  # the secretariat names the unit it books for
    body = client.post(f"/resources/{base.pk}/book/", form).content.decode()
    # the secretariat's unit (gov) books: refused for the overlap, named beside "From"
    assert 'data-field="start_time"' in body
    assert Booking.objects.count() == 1


def test_a_failed_decision_names_each_field_by_its_chinese_label(world, client):
    price(world.a)
    pair = make_resource(world, code="pair", capacity=2)
    day = next_weekday(3)
    first, second = [
        services.booking_create(actor=SYSTEM, resource_id=pair.pk, unit_id=world.units[u].pk,
                                start=at(day, 9), end=at(day, 11))
        for u in ("school", "gov")
    ]  # fmt: skip
    services.booking_approve(actor=SYSTEM, booking_id=first.pk, version=None)
    SharedResource.objects.filter(pk=pair.pk).update(capacity=1)  # the owner lowered it since
    client.force_login(world.users["unit_admin"])

    def decide(**data):
        r = client.post(f"/bookings/{second.pk}/decide/", data)
        assert r.status_code == 302
        return client.get(r["Location"]).content.decode()

    # approving the second now overlaps the first: the start time is named in Chinese
    body = decide(decision="approve", version=1)
    assert "该预约不能批准。 开始时间：与该资源" in body
    assert "start:" not in body
    # a rejection without a reason: the reason field's label
    body = decide(decision="reject", version=1, reason=" ")
    assert "请说明驳回预约的原因。 原因：必填" in body
    assert "reason:" not in body
    # a stale version: the conflict's message alone, no field prefix
    body = decide(decision="approve", version=7)
    assert "（您的版本 7，当前版本 1）。请重新打开后再修改；没有任何内容被覆盖。<" in body
    second.refresh_from_db()
    assert second.status == "pending"


def test_list_pages_keep_a_constant_query_count(world, client, base):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    for url in [
        f"/consortia/{a}/resources/",
        f"/consortia/{a}/utilisation/?year={next_weekday(1, weeks=5 + 3 * _ROUND[0]).year}",
        f"/consortia/{a}/bookings/queue/",
        # the week the next growth fills
        f"/resources/{base.pk}/?week={next_weekday(1, weeks=5 + 3 * _ROUND[0])}",
    ]:
        assert_constant_queries(lambda url=url: client.get(url), _grow(world, base, 6))
    client.force_login(world.users["school_admin"])
    assert_constant_queries(
        lambda: client.get(f"/consortia/{a}/bookings/mine/"), _grow(world, base, 3)
    )


def test_utilisation_is_a_fixed_number_of_aggregate_queries(world, base):
    from gongsheng.sharing.selectors import utilisation
    from tests.support.queries import count_queries

    year = next_weekday(1, weeks=5 + 3 * _ROUND[0]).year
    run = lambda: utilisation(user=world.users["observer"], consortium_id=world.a.pk, year=year)  # noqa: E731
    _grow(world, base, 2)()
    run()  # the observer's roles are loaded once per request
    n1, _, _ = count_queries(run)
    _grow(world, base, 6)()
    n2, sql, u = count_queries(run)
    assert n1 == n2 <= 8
    booking_sql = [q.upper() for q in sql if "sharing_booking" in q]
    assert booking_sql and all(("SUM(" in q or "MIN(" in q) for q in booking_sql), sql
    assert sum(r["hours"] for r in u.resources) > 0


def test_api_books_approves_and_pages(world, client, base):
    day = next_weekday(2)
    client.force_login(world.users["school_admin"])
    r = client.post(
        "/api/bookings",
        {"resource_id": base.pk, "start": at(day, 9).isoformat(), "end": at(day, 10).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    bid = r.json()["id"]
    r = client.post(
        "/api/bookings",
        {"resource_id": base.pk, "start": at(day, 9).isoformat(), "end": at(day, 12).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    assert "start" in r.content.decode()
    r = client.post(f"/api/bookings/{bid}/approve", {"version": 1}, content_type="application/json")
    assert r.status_code == 403
    client.force_login(world.users["unit_admin"])
    r = client.post(f"/api/bookings/{bid}/approve", {"version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r["ETag"] == 'W/"2"'
    r = client.post(f"/api/bookings/{bid}/approve", {"version": 1}, content_type="application/json")
    assert r.status_code == 409
    body = client.get(f"/api/bookings?consortium={world.a.pk}").json()
    assert body["count"] == 1 and body["items"][0]["id"] == bid
    body = client.get(f"/api/resources?consortium={world.a.pk}&kind=training_base").json()
    assert body["count"] == 1
    year = day.year
    body = client.get(f"/api/consortia/{world.a.pk}/utilisation?year={year}").json()
    assert body["resources"][0]["hours"] in ("1.00", "1", 1, 1.0)
    client.force_login(world.users["observer"])
    assert client.get(f"/api/bookings/{bid}").status_code == 404
    assert client.get(f"/api/consortia/{world.a.pk}/utilisation").status_code == 200


def test_catalogue_exports_excel(world, client, base):
    client.force_login(world.users["observer"])
    r = client.get(f"/consortia/{world.a.pk}/resources/?export=xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
