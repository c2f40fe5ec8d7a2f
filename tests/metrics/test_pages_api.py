"""The metric pages and API: the catalogue, a consortium's table by year, bad windows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.services import Party, entry_create
from tests.metrics.test_metrics import NAMES, Y


def _entries(world):
    u = world.units
    for giver, qty, confidential in [("ent", "1000", False), ("ent", "70", True),
                                     ("school", "40", False)]:  # fmt: skip
        entry_create(
            actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(Y, 3, 1), category="money",
            quantity=Decimal(qty), giver=Party.unit(u[giver].pk),
            receiver=Party.unit(u["other"].pk), confidential=confidential,
        )  # fmt: skip


def test_api_catalogue(world, client):
    client.force_login(world.users["observer"])
    body = client.get("/api/metrics").json()
    assert {m["name"] for m in body} == NAMES
    m = next(m for m in body if m["name"] == "enterprise_inputs")
    # the API speaks the request's language (Chinese by default)
    assert m["unit"] == "元" and m["source"].startswith("台账：")
    assert "成本按价值计" in m["description"]
    body = client.get("/api/metrics", HTTP_ACCEPT_LANGUAGE="en").json()
    m = next(m for m in body if m["name"] == "enterprise_inputs")
    assert m["unit"] == "CNY" and "Cost = value" in m["description"]


def test_api_consortium_values_by_year_and_unit(world, client, settings):
    _entries(world)
    a = world.a.pk
    url = f"/api/consortia/{a}/metrics?year_from={Y - 1}&year_to={Y}"
    client.force_login(world.users["secretariat"])
    body = client.get(url).json()
    assert (body["consortium_id"], body["year_from"], body["year_to"]) == (a, Y - 1, Y)
    ent = {m["name"]: m for m in body["metrics"]}["enterprise_inputs"]
    assert ent["by_year"] == {str(Y - 1): 0.0, str(Y): 1070.0}
    assert ent["by_unit"] == [{"unit_id": world.units["ent"].pk, "year": Y, "value": 1070.0}]
    school = {m["name"]: m for m in body["metrics"]}["school_inputs"]
    assert school["by_year"][str(Y)] == 40.0
    # an observer: the total of what is not confidential, no unit; one enterprise alone
    # gave, so by default (GONGSHENG_MIN_GROUP_UNITS = 3) it is that unit's own figure:
    # left out (decision 0804)
    client.force_login(world.users["observer"])
    ent = {m["name"]: m for m in client.get(url).json()["metrics"]}["enterprise_inputs"]
    assert ent["by_year"][str(Y)] == 0.0 and ent["by_unit"] == []
    settings.GONGSHENG_MIN_GROUP_UNITS = 1
    ent = {m["name"]: m for m in client.get(url).json()["metrics"]}["enterprise_inputs"]
    assert ent["by_year"][str(Y)] == 1000.0 and ent["by_unit"] == []
    # ?metric= picks
    body = client.get(url + "&metric=school_inputs&metric=contracts_signed").json()
    assert [m["name"] for m in body["metrics"]] == ["contracts_signed", "school_inputs"]


def test_api_refuses_bad_windows_and_other_consortia(world, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    for query, field in [("year_from=abc", "year_from"), ("year_from=2020&year_to=2019",
                         "year_from"), ("year_to=99999", "year_to"),
                         ("year_from=1990&year_to=2030", "year_to")]:  # fmt: skip
        r = client.get(f"/api/consortia/{a}/metrics?{query}")
        assert r.status_code == 422, query
        assert r.json()["errors"][0]["field"] == field
    assert client.get(f"/api/consortia/{world.b.pk}/metrics").status_code == 404
    assert client.get("/api/consortia/999999/metrics").status_code == 404


def test_pages_in_chinese(world, client):
    _entries(world)
    client.force_login(world.users["secretariat"])
    html = client.get("/metrics/").content.decode()
    assert (
        "指标口径" in html and "企业投入（按成本）" in html and "台账：企业单位给出的记录" in html
    )
    r = client.get(f"/consortia/{world.a.pk}/metrics/?year_from={Y}&year_to={Y}")
    html = r.content.decode()
    assert r.status_code == 200 and "统计指标" in html
    assert 'data-metric="enterprise_inputs"' in html and "1070" in html
    # a bad window shows a message and the default window, never a 500
    r = client.get(f"/consortia/{world.a.pk}/metrics/?year_from=x")
    assert r.status_code == 200 and "必须是" in r.content.decode()
    client.force_login(world.users["other_consortium"])
    assert client.get(f"/consortia/{world.a.pk}/metrics/").status_code == 404


def test_command_line(world, settings):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    _entries(world)
    settings.GONGSHENG_MIN_GROUP_UNITS = 1  # one enterprise gave (decision 0804)
    out = StringIO()
    call_command("metrics", stdout=out)
    assert {line.split("\t")[0] for line in out.getvalue().splitlines()} == NAMES
    out = StringIO()
    call_command("metrics", user="observer", consortium=world.a.pk, year_from=str(Y),
                 year_to=str(Y), stdout=out)  # fmt: skip
    rows = dict(line.split("\t", 1) for line in out.getvalue().splitlines())
    assert rows["metric"] == f"unit\t{Y}"
    assert rows["enterprise_inputs"].split("\t")[1] == "1000"  # not the confidential 70
    with pytest.raises(CommandError, match="no active user"):
        call_command("metrics", user="ghost", consortium=world.a.pk)
    with pytest.raises(CommandError, match="Not found"):
        call_command("metrics", user="other_consortium", consortium=world.a.pk)
    with pytest.raises(CommandError, match="year_from"):
        call_command("metrics", user="observer", consortium=world.a.pk, year_from="x")
