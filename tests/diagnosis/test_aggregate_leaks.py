"""Issue 14, point 4: aggregates a user sees come only from what they may see (decision 0804).

Through HTTP, with the exact numbers: the park committee's inputs in the observer's
unit-type summary, a confidential 12,345.67 in ``inputs_by_group``, a unit solving pool
attributions in pair evidence, and flows still waiting for their giver's confirmation.
World A: gov (the park committee: alone in the government group), school (alone in the school
group), ent and other (the enterprise group).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.diagnosis.models import DiagnosisResult
from gongsheng.ledger.services import Party, entry_create
from tests.support.jobs import run_jobs

pytestmark = pytest.mark.django_db


def post(world, giver, receiver, amount, *, confidential=False, day="2025-03-01"):
    return entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=dt.date.fromisoformat(day),
        category="money", quantity=Decimal(amount), giver=giver, receiver=receiver,
        confidential=confidential,
    )  # fmt: skip


def unit(world, key):
    return Party.unit(world.units[key].pk)


@pytest.fixture
def flows(world):
    post(world, unit(world, "gov"), unit(world, "school"), "500")  # the park committee
    post(world, unit(world, "ent"), unit(world, "school"), "1000")
    post(world, unit(world, "other"), unit(world, "school"), "300")
    post(world, unit(world, "ent"), unit(world, "school"), "12345.67", confidential=True)
    post(world, unit(world, "school"), unit(world, "ent"), "200")
    return world


def _read(client, url, **kw):
    """A diagnosis read: a cold window answers 202 with the job that computes it (never in
    the request); once the worker ran it, the stored result."""
    r = client.get(url, **kw)
    if r.status_code == 202:
        run_jobs()
        r = client.get(url, **kw)
    return r


def _diagnosis(client, world):
    """The consortium diagnosis as ``client`` reads it: a cold window answers 202 with the
    job that computes it (never in the request); once the worker ran it, the stored one."""
    r = client.get(f"/api/consortia/{world.a.pk}/diagnosis")
    if r.status_code == 202:
        run_jobs()
        r = client.get(f"/api/consortia/{world.a.pk}/diagnosis")
    assert r.status_code == 200, r.content
    return r.json()


class TestUnitTypeSummary:
    def _cells(self, client, world):
        r = client.get(f"/api/ledger/summaries/unit-type?consortium={world.a.pk}")
        assert r.status_code == 200
        return {row["unit_type"]: row for row in r.json()["items"]}

    def test_the_observer_does_not_read_the_park_committee_from_its_group(
        self, flows, client, settings
    ):
        settings.GONGSHENG_MIN_GROUP_UNITS = 2
        world = flows
        client.force_login(world.users["observer"])
        cells = self._cells(client, world)
        assert cells["park_committee"]["inputs"] is None  # one unit: its own figure
        assert cells["higher_vocational"]["inputs"] is None  # one school
        assert cells["higher_vocational"]["outputs"] is None
        # two enterprises gave (not the confidential entry): shown
        assert Decimal(cells["enterprise"]["inputs"]) == Decimal("1300")
        client.force_login(world.users["secretariat"])  # sees the records: nothing left out
        cells = self._cells(client, world)
        assert Decimal(cells["park_committee"]["inputs"]) == Decimal("500")
        assert Decimal(cells["enterprise"]["inputs"]) == Decimal("13645.67")

    def test_the_default_threshold_is_three_units(self, flows, client):
        client.force_login(flows.users["observer"])
        cells = self._cells(client, flows)
        assert all(c["inputs"] is None and c["outputs"] is None for c in cells.values())
        page = client.get(f"/consortia/{flows.a.pk}/ledger/summaries/").content.decode()
        assert "500" not in page.split('id="chart-types-option"')[1].split("</script>")[0]


class TestDiagnosisAudiences:
    def test_a_confidential_entry_never_reaches_the_observers_totals(self, flows, client, settings):
        settings.GONGSHENG_MIN_GROUP_UNITS = 2
        world = flows
        client.force_login(world.users["observer"])
        body = _diagnosis(client, world)
        assert body["inputs_by_group"]["enterprise"] == pytest.approx(1300.0)
        assert "government" not in body["inputs_by_group"]  # the park committee alone
        assert "school" not in body["inputs_by_group"]
        # one enterprise (ent) received: the enterprises' outputs are left out, not their inputs
        assert "enterprise" not in body["outputs_by_group"]
        assert set(body["suppressed_groups"]) == {"enterprise", "government", "school"}
        assert all(12345.67 not in row for row in body["flows"]["matrix"])
        client.force_login(world.users["unit_admin"])  # a member unit: the members' totals
        assert _diagnosis(client, world)["inputs_by_group"]["enterprise"] == pytest.approx(1300.0)
        client.force_login(world.users["secretariat"])
        body = _diagnosis(client, world)
        assert body["inputs_by_group"]["enterprise"] == pytest.approx(13645.67)
        assert body["inputs_by_group"]["government"] == pytest.approx(500.0)
        assert body["suppressed_groups"] == []
        audiences = set(
            DiagnosisResult.objects.filter(consortium=world.a).values_list("audience", flat=True)
        )
        assert audiences == {"all", "members"}

    def test_the_refresh_job_stores_both_audiences(self, flows, client):
        world = flows
        client.force_login(world.users["secretariat"])
        assert client.post(f"/api/consortia/{world.a.pk}/diagnosis/refresh").status_code == 202
        run_jobs()
        rows = {
            r.audience: r.payload["diagnosis"]["inputs_by_group"]
            for r in DiagnosisResult.objects.filter(consortium=world.a)
        }
        assert rows["all"]["enterprise"] == pytest.approx(13645.67)
        assert rows["members"]["enterprise"] == pytest.approx(1300.0)

    def test_pending_flows_count_only_once_confirmed(self, world, client):
        post(world, unit(world, "ent"), unit(world, "school"), "100")
        client.force_login(world.users["unit_admin"])  # ent says school gave it 777
        body = {
            "consortium_id": world.a.pk, "date": "2025-04-01", "category": "money",
            "quantity": "777", "giver": {"kind": "unit", "unit": world.units["school"].pk},
            "receiver": {"kind": "unit", "unit": world.units["ent"].pk},
        }  # fmt: skip
        r = client.post("/api/ledger/entries", json.dumps(body), content_type="application/json")
        assert r.status_code == 201
        entry_id = r.json()["id"]
        client.force_login(world.users["secretariat"])
        assert _diagnosis(client, world)["inputs_by_group"].get("school", 0) == 0
        client.force_login(world.users["school_admin"])
        r = client.post(f"/api/ledger/entries/{entry_id}/confirm", "{}",
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201
        client.force_login(world.users["secretariat"])
        assert _diagnosis(client, world)["inputs_by_group"]["school"] == pytest.approx(777.0)


class TestPoolAttribution:
    @pytest.fixture
    def pool(self, world):
        # school and other put 300 and 100 into a pool that pays ent 400: ent put nothing in
        pool = Party.of_pool("project:leak")
        post(world, unit(world, "school"), pool, "300")
        post(world, unit(world, "other"), pool, "100")
        post(world, pool, unit(world, "ent"), "400", day="2025-06-01")
        post(world, unit(world, "ent"), unit(world, "gov"), "50")  # a pair of its own
        return world

    def test_pair_evidence_does_not_show_shares_of_a_pool_it_did_not_put_into(self, pool, client):
        world, u = pool, {k: v.pk for k, v in pool.units.items()}
        client.force_login(world.users["unit_admin"])  # ent
        for other in ("school", "other"):
            r = _read(client, f"/api/consortia/{world.a.pk}/diagnosis/pairs/{u['ent']}/{u[other]}")
            assert r.status_code == 200
            body = r.json()
            assert body["withheld"] is True and body["pair"] is None, other
            assert "300" not in json.dumps(body["pair"]) and "100.0" not in r.content.decode()
        listed = _read(client, f"/api/consortia/{world.a.pk}/diagnosis/pairs").json()["items"]
        assert {(p["a_id"], p["b_id"]) for p in listed} == {tuple(sorted((u["ent"], u["gov"])))}
        page = _read(
            client,
            f"/consortia/{world.a.pk}/diagnosis/pairs/{u['ent']}/{u['school']}/",
            follow=True,
        )
        assert page.status_code == 200
        assert "withheld" in page.content.decode() or "不予显示" in page.content.decode()
        # the secretariat sees the attribution: school's 300 of the 400 paid to ent
        client.force_login(world.users["secretariat"])
        body = _read(
            client, f"/api/consortia/{world.a.pk}/diagnosis/pairs/{u['ent']}/{u['school']}"
        ).json()
        assert body["withheld"] is False
        side = "a" if u["ent"] < u["school"] else "b"
        assert body["pair"][f"out_{side}_pools"] == pytest.approx(300.0)

    def test_a_unit_that_put_into_the_pool_keeps_its_pairs(self, pool, client):
        world, u = pool, {k: v.pk for k, v in pool.units.items()}
        client.force_login(world.users["school_admin"])  # school put 300 in
        body = _read(
            client, f"/api/consortia/{world.a.pk}/diagnosis/pairs/{u['school']}/{u['other']}"
        ).json()
        assert body["withheld"] is False and body["pair"] is not None
