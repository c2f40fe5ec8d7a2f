"""The before/after comparison around a policy's start: windows bounded by the data, the
numbers are the diagnosis's own, labelled descriptive on the page and in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.diagnosis.selectors import window_comparison
from gongsheng.environment.selectors import policy_comparison
from gongsheng.ledger.services import Party, entry_create
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db


def _post(world, day, giver, receiver, value):
    entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=dt.date.fromisoformat(day), category="money",
        quantity=Decimal(value), giver=giver, receiver=receiver,
    )  # fmt: skip


@pytest.fixture
def flows(world):
    u = {k: v.pk for k, v in world.units.items()}
    unit, pool = Party.unit, Party.of_pool
    # 2023: school and ent each put 100 into a pool that pays 150 to each (both gain)
    _post(world, "2023-03-01", unit(u["school"]), pool("project:a"), 100)
    _post(world, "2023-03-02", unit(u["ent"]), pool("project:a"), 100)
    _post(world, "2023-09-01", pool("project:a"), unit(u["school"]), 150)
    _post(world, "2023-09-02", pool("project:a"), unit(u["ent"]), 150)
    # 2024: school 100, ent 300 in; the pool pays 200 to school and 400 to gov
    _post(world, "2024-03-01", unit(u["school"]), pool("project:b"), 100)
    _post(world, "2024-03-02", unit(u["ent"]), pool("project:b"), 300)
    _post(world, "2024-06-01", pool("project:b"), unit(u["school"]), 200)
    _post(world, "2024-06-02", pool("project:b"), unit(u["gov"]), 400)


def test_windows_are_cut_to_the_data_and_numbers_are_the_diagnosis(world, flows):
    policy = make_policy(world, effective_from=dt.date(2024, 1, 1))
    sec = world.users["secretariat"]
    c = policy_comparison(user=sec, policy_id=policy.pk, k=2)
    assert (c.k_requested, c.k, c.before, c.after) == (2, 1, (2023, 2023), (2024, 2024))
    assert c.data_years == (2023, 2024) and c.descriptive
    direct = window_comparison(
        user=sec, consortium_id=world.a.pk, before=(2023, 2023), after=(2024, 2024)
    )
    assert c.result.before.energy == direct.before.energy
    assert c.result.after.energy == direct.after.energy
    rows = {str(r["label"]): r for r in c.rows()}
    energy = rows["energy surplus (CNY)"]
    assert energy["change"] == energy["after"] - energy["before"]
    assert energy["before"] == pytest.approx(100.0)  # (150 + 150) − (100 + 100)
    data = c.as_dict()
    assert data["descriptive"] is True and "do not show" in data["note"]


def test_no_data_before_the_start_says_why(world, flows):
    policy = make_policy(world, effective_from=dt.date(2019, 1, 1))
    c = policy_comparison(user=world.users["observer"], policy_id=policy.pk)
    assert c.result is None and c.before is None
    assert c.reason == "no year of data before 2019 (data: 2023–2024)"


def test_page_and_api_label_it_descriptive(world, flows, client):
    policy = make_policy(world, effective_from=dt.date(2024, 1, 1))
    client.force_login(world.users["unit_member"])
    page = client.get(f"/policies/{policy.pk}/comparison/?k=3")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-descriptive="true"' in html and 'id="comparison-table"' in html
    part = client.get(f"/policies/{policy.pk}/comparison/", headers={"HX-Request": "true"})
    assert b"<html" not in part.content and b"comparison-table" in part.content
    detail = client.get(f"/policies/{policy.pk}/").content.decode()
    assert "descriptive-note" in detail and "hx-indicator" in detail
    api = client.get(f"/api/policies/{policy.pk}/comparison?k=2").json()
    assert api["descriptive"] is True and api["before"] == [2023, 2023]
    assert api["result"]["after"]["years"] == [2024, 2024]
    client.force_login(world.users["other_consortium"])
    assert client.get(f"/api/policies/{policy.pk}/comparison").status_code == 404
