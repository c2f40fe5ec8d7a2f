"""No input answers 500 (issue 14, point 8): each value below gets a 4xx problem document
naming the field, and nothing is written. Through HTTP, as a client sends it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from gongsheng.access.services import token_create
from gongsheng.consortia.models import Unit
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.services import entry_create
from gongsheng.ledger.services.values import Party

HUGE = 2**64


@pytest.fixture
def call(world, client):
    raw = token_create(actor=world.users["secretariat"], user=world.users["secretariat"], name="t")[
        1
    ]

    def send(method: str, path: str, body: str | None = None):
        kw = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if body is not None:
            kw |= {"data": body, "content_type": "application/json"}
        return getattr(client, method)(path, **kw)

    return send


def problem(response, status: int) -> set[str]:
    """The fields a problem document names (after checking its status and media type)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return {e["field"] for e in body["errors"]}


@pytest.fixture
def entry(world):
    u = world.units
    return entry_create(
        actor=world.users["secretariat"],
        consortium_id=world.a.pk,
        date=dt.date(2025, 3, 1),
        category="money",
        quantity=Decimal("100"),
        giver=Party.unit(u["ent"].pk),
        receiver=Party.unit(u["school"].pk),
    )


class TestNumbers:
    def test_ids_beyond_64_bits(self, call):
        assert problem(call("get", f"/api/units/{HUGE}"), 422) == {"pk"}
        assert problem(call("get", f"/api/ledger/entries/{-HUGE}"), 422) == {"entry_id"}

    def test_the_message_is_chinese_for_chinese_clients(self, world, client):
        raw = token_create(
            actor=world.users["secretariat"], user=world.users["secretariat"], name="zh"
        )[1]
        r = client.get(
            f"/api/units/{HUGE}",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert r.json()["errors"] == [{"field": "pk", "message": "数值超出范围（最多 19 位）。"}]

    def test_offsets_and_limits_beyond_64_bits(self, call, world):
        assert problem(call("get", f"/api/memberships?offset={HUGE}"), 422) == {"offset"}
        assert problem(call("get", f"/api/memberships?limit={HUGE}"), 422) == {"limit"}
        assert problem(call("get", f"/api/units?consortium={HUGE}"), 422) == {"consortium"}

    def test_numbers_that_are_not_finite(self, call, world):
        u = world.units
        for raw in ("1e400", "NaN", "Infinity", "-Infinity"):
            body = (
                f'{{"consortium_id": {world.a.pk}, "date": "2025-03-01", "category": "money",'
                f' "quantity": {raw}, "giver": {{"kind": "unit", "unit": {u["ent"].pk}}},'
                f' "receiver": {{"kind": "unit", "unit": {u["school"].pk}}}}}'
            )
            assert problem(call("post", "/api/ledger/entries", body), 422) == {"quantity"}, raw
        assert not LedgerEntry.objects.exists()

    def test_years_out_of_range(self, call, world):
        for year in (-89, 100000):
            r = call("get", f"/api/consortia/{world.a.pk}/incentives?year={year}")
            assert problem(r, 422) == {"year"}
            r = call("get", f"/api/consortia/{world.a.pk}/diagnosis?year_from={year}")
            assert problem(r, 422) == {"year_from"}

    def test_dates_at_the_end_of_the_calendar(self, call, world, entry):
        for day in ("9999-12-31", "2200-01-01", "0001-01-01"):
            r = call("post", f"/api/ledger/entries/{entry.pk}/correct", json.dumps({"date": day}))
            assert problem(r, 422) == {"date"}, day
        assert problem(call("get", "/api/ledger/entries?year_from=100000"), 422) >= {"year_from"}
        assert LedgerEntry.objects.count() == 1


class TestText:
    def test_lone_surrogates_in_the_body(self, call, world):
        unit = world.units["ent"]
        r = call("patch", f"/api/units/{unit.pk}", '{"name": "\\ud800"}')
        assert problem(r, 422) == {"name"}
        unit.refresh_from_db()
        assert unit.name == "Unit ent"

    def test_lone_surrogates_and_nul_in_the_query(self, call):
        assert call("get", "/api/units?q=%ED%A0%80").status_code == 200  # decoded as U+FFFD
        assert problem(call("get", "/api/units?q=a%00b"), 422) == {"q"}

    def test_nul_in_the_body(self, call, world):
        unit = world.units["ent"]
        assert problem(call("patch", f"/api/units/{unit.pk}", '{"name": "a\\u0000b"}'), 422) == {
            "name"
        }


class TestShapes:
    def test_a_body_that_is_not_an_object(self, call, world, entry):
        unit = world.units["ent"]
        for body in ("true", '"x"', "1", "[]", "null"):
            r = call("patch", f"/api/units/{unit.pk}", body)
            assert problem(r, 422) == {"body"}, body
            r = call("post", f"/api/ledger/entries/{entry.pk}/reverse", body)
            assert problem(r, 422) == {"body"}, body
        assert LedgerEntry.objects.count() == 1  # nothing was reversed
        assert Unit.objects.get(pk=unit.pk).version == unit.version

    def test_a_body_that_is_not_json(self, call, world):
        r = call("patch", f"/api/units/{world.units['ent'].pk}", "{name")
        assert problem(r, 400) == {"body"}

    def test_null_for_a_field_that_cannot_be_empty(self, call, world):
        unit = world.units["ent"]
        assert problem(call("patch", f"/api/units/{unit.pk}", '{"name": null}'), 422) == {"name"}

    def test_an_unknown_action(self, call, world):
        membership = world.memberships["ent"]
        r = call(
            "post",
            f"/api/memberships/{membership.pk}/transition",
            json.dumps({"to_status": "frobnicated"}),
        )
        assert problem(r, 422) in ({"to_status"}, {"status"})  # the membership's status

    def test_ids_outside_the_users_scope_are_missing(self, call, world):
        x = world.units["x"]  # consortium B: not the secretariat's
        assert (
            call("get", f"/api/units/{x.pk}").json()["detail"]
            == (call("get", "/api/units/987654321").json()["detail"])
        )
        assert problem(call("patch", f"/api/units/{x.pk}", '{"name": "n"}'), 404) == set()


class TestNaiveDateTimes:
    def test_a_naive_datetime_is_read_in_the_platforms_zone(self, call, world):
        """09:00 without a zone is 09:00 in Asia/Shanghai (inside the resource's opening
        hours, 08:00–12:00); read as UTC it would be 17:00, outside them."""
        from gongsheng.sharing.models import Booking
        from tests.sharing.support import at, make_resource, next_weekday, price

        price(world.a)
        base = make_resource(world)
        day = next_weekday(3)
        body = {
            "resource_id": base.pk,
            "unit_id": world.units["school"].pk,
            "start": f"{day.isoformat()}T09:00:00",
            "end": f"{day.isoformat()}T10:00:00",
        }
        r = call("post", "/api/bookings", json.dumps(body))
        assert r.status_code == 201, r.content
        booking = Booking.objects.get()
        assert booking.start == at(day, 9) and booking.end == at(day, 10)
        assert timezone.is_aware(booking.start)
