"""Pages and API of distribution studies: create, values form, compute, results, save."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.distribution import services
from gongsheng.distribution.models import CoalitionValue, Study
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_pages_create_enter_values_compute(world, ledger_project, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    body = client.get(f"/consortia/{a}/distribution/").content.decode()
    assert 'id="new-project-study"' in body
    assert client.get(f"/consortia/{a}/distribution/new/?scope=consortium").status_code == 200
    r = client.post(f"/consortia/{a}/distribution/new/", {
        "scope": "project", "title": "Shares", "project": ledger_project.pk,
        "history_from": "2025-01-01"})  # fmt: skip
    study = Study.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/distribution/{study.pk}/values/"
    body = client.get(f"/distribution/{study.pk}/values/").content.decode()
    assert "缺少 2 个价值" in body and 'name="v_5"' in body and "solo:school" in body
    # computing now is refused, naming the coalitions
    r = client.post(f"/distribution/{study.pk}/compute/")
    assert r.status_code == 422 and "{Unit school, Unit gov}" in r.content.decode()
    r = client.post(f"/distribution/{study.pk}/values/",
                    {"version": study.version, "v_5": "abc", "v_6": "400"})  # fmt: skip
    assert r.status_code == 422 and "v_5: 不是数字" in r.content.decode()
    r = client.post(f"/distribution/{study.pk}/values/",
                    {"version": study.version, "v_5": "300", "v_6": "400"})  # fmt: skip
    assert r.status_code == 302
    assert CoalitionValue.objects.get(study=study, mask=5).entered_by == world.users["secretariat"]
    r = client.post(f"/distribution/{study.pk}/compute/", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and 'id="results-table"' in body and "<html" not in body
    body = client.get(f"/distribution/{study.pk}/").content.decode()
    raw = re.search(r'id="chart-data"[^>]*>(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["labels"] == ["Unit school", "Unit ent", "Unit gov"]
    assert [round(x, 4) for x in data["series"][0]["data"]] == [0.6, 0.3, 0.1]


def test_consortium_study_page_form_with_groups(world, ledger_project, client):
    client.force_login(world.users["secretariat"])
    u = world.units
    r = client.post(f"/consortia/{world.a.pk}/distribution/new/", {
        "scope": "consortium", "title": "All", "period_from": "2025-01-01",
        "period_to": "2025-12-31", "unit": [u["school"].pk, u["ent"].pk, u["gov"].pk],
        f"group_{u['ent'].pk}": "Industry", f"group_{u['gov'].pk}": "Industry"})  # fmt: skip
    assert r.status_code == 302
    study = Study.objects.get()
    assert [p.label for p in study.players.all()] == ["Unit school", "Industry"]
    r = client.post(f"/consortia/{world.a.pk}/distribution/new/", {
        "scope": "consortium", "title": "Bad", "period_from": "2025-13-01"})  # fmt: skip
    assert "period_from: 请使用 YYYY-MM-DD 格式" in r.content.decode()


@pytest.mark.parametrize("who,status", [("unit_admin", 403), ("supervisor", 403),
                                        ("other_consortium", 404)])  # fmt: skip
def test_only_the_secretariat_creates(world, client, who, status):
    client.force_login(world.users[who])
    assert client.get(f"/consortia/{world.a.pk}/distribution/new/").status_code == status


def test_study_detail_by_role(world, study, client):
    for who, status in (("secretariat", 200), ("supervisor", 200), ("unit_admin", 200),
                        ("school_admin", 200), ("observer", 404), ("other_consortium", 404)):  # fmt: skip
        client.force_login(world.users[who])
        r = client.get(f"/distribution/{study.pk}/")
        assert r.status_code == status, who
        if status == 200:
            assert ('id="factors-form"' in r.content.decode()) == (who == "secretariat")


def test_list_page_constant_queries(world, ledger_project, client):
    def grow():
        for i in range(4):
            services.study_create(
                actor=SYSTEM, consortium_id=world.a.pk, scope="project",
                project_id=ledger_project.pk, title=f"S{i}",
            )  # fmt: skip

    services.study_create(actor=SYSTEM, consortium_id=world.a.pk, scope="project",
                          project_id=ledger_project.pk, title="first")  # fmt: skip
    client.force_login(world.users["unit_admin"])
    url = f"/consortia/{world.a.pk}/distribution/"
    assert_constant_queries(lambda: client.get(url), grow)
    assert_constant_queries(lambda: client.get("/api/distribution/studies"), grow)


def test_detail_and_values_constant_queries(world, ledger_project, client):
    from gongsheng.consortia.services import unit_create
    from tests.support.world import code

    client.force_login(world.users["secretariat"])
    sec = world.users["secretariat"]
    small = services.study_create(
        actor=sec, consortium_id=world.a.pk, scope="consortium", title="2",
        period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
        players=[{"unit_ids": [world.units["school"].pk]}, {"unit_ids": [world.units["ent"].pk]}],
    )  # fmt: skip
    extra = [unit_create(actor=SYSTEM, consortium_id=world.a.pk, credit_code=code(50 + i),
                         name=f"U{i}", type="enterprise", joined_on=dt.date(2024, 1, 1))
             for i in range(3)]  # fmt: skip
    big = services.study_create(
        actor=sec, consortium_id=world.a.pk, scope="consortium", title="5",
        period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
        players=[{"unit_ids": [world.units["school"].pk]}, {"unit_ids": [world.units["ent"].pk]}]
        + [{"unit_ids": [u.pk]} for u in extra],
    )  # fmt: skip
    from tests.support.queries import count_queries

    for path in ("/distribution/{}/", "/distribution/{}/values/", "/api/distribution/studies/{}"):
        n_small, _, _ = count_queries(lambda p=path: client.get(p.format(small.pk)))
        n_big, sql, _ = count_queries(lambda p=path: client.get(p.format(big.pk)))
        assert n_small == n_big, (path, sql)


def test_api_flow(world, ledger_project, client):
    client.force_login(world.users["secretariat"])
    r = client.post("/api/distribution/studies", {
        "consortium_id": world.a.pk, "scope": "project", "title": "API",
        "project_id": ledger_project.pk, "history_from": "2025-01-01"},
        content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    r = client.post(f"/api/distribution/studies/{sid}/compute")
    assert r.status_code == 422
    problem = r.json()
    assert "{Unit school, Unit gov}" in problem["detail"]
    r = client.get(f"/api/distribution/studies/{sid}")
    assert r["ETag"] == 'W/"1"' and r.json()["missing"] == ["{Unit school, Unit gov}",
                                                            "{Unit ent, Unit gov}"]  # fmt: skip
    coalition = {c["mask"]: c for c in r.json()["coalitions"]}
    assert coalition[1]["source"] == "ledger" and coalition[1]["pools"] == ["solo:school"]
    r = client.put(f"/api/distribution/studies/{sid}/values", {"values": {"5": 300, "6": 400}},
                   content_type="application/json", HTTP_IF_MATCH='W/"1"')  # fmt: skip
    assert r.status_code == 200 and r.json()["missing"] == []
    assert r.json()["coalitions"][4]["entered_by"] == "secretariat"
    r = client.put(f"/api/distribution/studies/{sid}/values", {"values": {"5": 1}},
                   content_type="application/json", HTTP_IF_MATCH='W/"1"')  # fmt: skip
    assert r.status_code == 409
    r = client.post(f"/api/distribution/studies/{sid}/compute")
    shapley = r.json()["results"]["methods"]["shapley"]
    assert shapley["values"] == pytest.approx([408 + 1 / 3, 508 + 1 / 3, 283 + 1 / 3])
    r = client.get("/api/distribution/studies", {"consortium": world.a.pk})
    assert r.json()["count"] == 1 and r.json()["items"][0]["title"] == "API"


def test_units_see_their_own_shares_only(world, ledger_project, client):
    u = world.units
    study = services.study_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, scope="consortium",
        title="Consortium", period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
        players=[{"unit_ids": [u["school"].pk]}, {"unit_ids": [u["ent"].pk, u["gov"].pk]}],
    )  # fmt: skip
    services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    client.force_login(world.users["unit_admin"])  # ent
    assert client.get(f"/distribution/{study.pk}/").status_code == 404
    assert client.get(f"/api/distribution/studies/{study.pk}").status_code == 404
    mine = client.get("/api/distribution/my-shares").json()
    assert mine["count"] == 1
    row = mine["items"][0]
    assert row["player"] == "Unit ent + Unit gov"
    assert row["shares"]["shapley"] == pytest.approx((250 + 900) / 2150)
    body = client.get(f"/consortia/{world.a.pk}/distribution/").content.decode()
    assert 'id="own-shares"' in body and "Unit school" not in body
    client.force_login(world.users["supervisor"])
    assert client.get(f"/api/distribution/studies/{study.pk}").status_code == 200
    assert client.get("/api/distribution/my-shares").json()["count"] == 0


def test_save_to_contract_page_with_stale_version(world, study, ledger_project, client):
    from gongsheng.cooperation import services as coop
    from gongsheng.cooperation.models import Contract

    sec = world.users["secretariat"]
    services.coalition_values_set(actor=sec, study_id=study.pk, version=study.version,
                                  values={5: "300", 6: "400"})  # fmt: skip
    services.study_compute(actor=sec, study_id=study.pk)
    contract = coop.contract_create(
        actor=sec, consortium_id=world.a.pk, project_id=ledger_project.pk, title="Agreement",
        type="cooperative_dev",
        parties=[{"unit_id": world.units[k].pk, "role": "co_developer"}
                 for k in ("school", "ent", "gov")],
    )  # fmt: skip
    client.force_login(sec)
    body = client.get(f"/distribution/{study.pk}/").content.decode()
    assert f'value="{contract.pk}:1"' in body and 'id="save-form"' in body
    coop.contract_update(actor=sec, contract_id=contract.pk, version=1, title="Renamed")
    r = client.post(f"/distribution/{study.pk}/save/",
                    {"contract": f"{contract.pk}:1", "method": "nash"})  # fmt: skip
    assert r.status_code == 422 and 'id="form-errors"' in r.content.decode()
    r = client.post(f"/distribution/{study.pk}/save/",
                    {"contract": f"{contract.pk}:2", "method": "nash"})  # fmt: skip
    assert r.status_code == 302
    assert Contract.objects.get(pk=contract.pk).benefit_method == "nash"


def test_weights_form_shows_the_consistency_ratio(world, study, client):
    sec = world.users["secretariat"]
    services.coalition_values_set(actor=sec, study_id=study.pk, version=study.version,
                                  values={5: "300", 6: "400"})  # fmt: skip
    services.player_factors_set(actor=sec, study_id=study.pk, version=2,
                                factors={i: {"risk": "1", "effort": "2"} for i in range(3)})  # fmt: skip
    client.force_login(sec)
    form = {"version": 3, "weight_method": "ahp", "ahp_0_0": 1, "ahp_0_1": 3, "ahp_0_2": 5,
            "ahp_1_0": "0.333", "ahp_1_1": 1, "ahp_1_2": 3, "ahp_2_0": "0.2", "ahp_2_1": "0.333",
            "ahp_2_2": 1}  # fmt: skip
    assert client.post(f"/distribution/{study.pk}/settings/", form).status_code == 302
    assert client.post(f"/distribution/{study.pk}/compute/").status_code == 302
    body = client.get(f"/distribution/{study.pk}/").content.decode()
    assert 'id="ahp-cr"' in body and "CR = 0.03" in body
    bad = {**form, "version": 4, "ahp_1_0": "3"}
    r = client.post(f"/distribution/{study.pk}/settings/", bad)
    assert r.status_code == 422 and "reciprocal" in r.content.decode()
