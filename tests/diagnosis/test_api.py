"""The diagnosis API: every endpoint, paging ``{"items", "count"}``, the mode filter, 403/404
scoping, the settings' ETag and 409 on a stale version, and refresh."""

from __future__ import annotations

import pytest

from tests.diagnosis.test_pages import grow, ids, seed, warm
from tests.support.jobs import run_jobs
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(world):
    return seed(world)


def _api(world, rest="", consortium=None):
    return f"/api/consortia/{(consortium or world.a).pk}/diagnosis{rest}"


def test_consortium_diagnosis(world, client, flows):
    client.force_login(world.users["secretariat"])
    url = _api(world) + "?year_from=2024&year_to=2025"
    cold = client.get(url)  # nothing stored: computed by a job, not in the request
    assert cold.status_code == 202 and cold.json()["kind"] == "diagnosis.window"
    lists = client.get(_api(world, "/pairs?year_from=2024&year_to=2025"))
    assert lists.status_code == 202 and f"/api/jobs/{cold.json()['id']}" in lists.json()["detail"]
    run_jobs()
    assert client.get(f"/api/jobs/{cold.json()['id']}").json()["state"] == "succeeded"
    r = client.get(url)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["consortium_id"] == world.a.pk
    assert body["pair_count"] >= 3
    assert set(body["behaviour_counts"]) >= {"symmetric_mutualism", "parasitism"}
    assert 0 <= body["target_share"] <= 1
    assert len(body["units"]) >= 4 and body["flows"]["groups"][0] == "government"


def test_pairs_page_and_filter_by_mode(world, client, flows):
    client.force_login(world.users["secretariat"])
    body = warm(client, _api(world, "/pairs")).json()
    assert set(body) == {"items", "count"} and body["count"] >= 3
    pair = body["items"][0]
    assert {"a_id", "b_id", "behaviour", "energy", "reason"} <= set(pair)
    mode = pair["behaviour"]
    only = client.get(_api(world, f"/pairs?mode={mode}")).json()
    assert only["count"] >= 1 and {p["behaviour"] for p in only["items"]} == {mode}
    page = client.get(_api(world, "/pairs?limit=1&offset=1")).json()
    assert page["count"] == body["count"] and len(page["items"]) == 1
    r = client.get(_api(world, "/pairs?mode=friendship"))
    assert r.status_code == 422 and "mode" in r.content.decode()


def test_one_pair_with_its_evidence(world, client, flows):
    client.force_login(world.users["secretariat"])
    a, b = ids(world, "school", "ent")
    body = warm(client, _api(world, f"/pairs/{a}/{b}")).json()
    assert (body["a_id"], body["b_id"]) == (a, b)
    assert {e.pk for e in flows[:2]} <= set(body["entry_ids"])
    same = client.get(_api(world, f"/pairs/{b}/{a}")).json()
    assert (same["a_id"], same["b_id"]) == (a, b)


def test_alerts(world, client, flows):
    client.force_login(world.users["secretariat"])
    body = warm(client, _api(world, "/alerts")).json()
    assert set(body) == {"items", "count"}
    for alert in body["items"]:
        assert {"kind", "unit_ids", "reason"} <= set(alert)


def test_scoping(world, client, flows):
    a, b = ids(world, "school", "ent")
    gov_school = ids(world, "gov", "school")
    client.force_login(world.users["unit_admin"])
    own = world.units["ent"].pk
    body = warm(client, _api(world, "/pairs")).json()
    assert body["count"] >= 1 and all(own in (p["a_id"], p["b_id"]) for p in body["items"])
    assert client.get(_api(world, f"/pairs/{a}/{b}")).status_code == 200
    assert client.get(_api(world, f"/pairs/{gov_school[0]}/{gov_school[1]}")).status_code == 404
    assert client.post(_api(world, "/refresh")).status_code == 403
    r = client.patch(_api(world, "/settings"), {"tolerance": 0.1}, content_type="application/json")
    assert r.status_code == 403
    client.force_login(world.users["other_consortium"])
    assert client.get(_api(world)).status_code == 404
    assert client.get(_api(world, "/pairs")).status_code == 404
    assert client.get(_api(world, "/settings")).status_code == 404
    rows = client.get("/api/diagnosis").json()
    assert world.a.pk not in {r["consortium_id"] for r in rows["items"]}


def test_settings_etag_and_stale_version(world, client, flows):
    client.force_login(world.users["secretariat"])
    first = client.patch(_api(world, "/settings"), {"cold_ratio": 0.4},
                         content_type="application/json")  # fmt: skip
    assert first.status_code == 200, first.content  # the consortium's own row now exists
    r = client.get(_api(world, "/settings"))
    assert r.status_code == 200
    etag = r["ETag"]
    assert etag == f'W/"{r.json()["version"]}"'
    ok = client.patch(
        _api(world, "/settings"), {"tolerance": 0.1}, content_type="application/json",
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert ok.status_code == 200, ok.content
    assert ok.json()["tolerance"] == pytest.approx(0.1) and ok["ETag"] != etag
    stale = client.patch(
        _api(world, "/settings"), {"tolerance": 0.2}, content_type="application/json",
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    bad = client.patch(
        _api(world, "/settings"), {"tolerance": -1, "version": ok.json()["version"]},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422 and "tolerance" in bad.content.decode()


def test_refresh(world, client, flows):
    client.force_login(world.users["secretariat"])
    r = client.post(_api(world, "/refresh"))
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["kind"] == "diagnosis.refresh" and job["state"] == "queued"
    assert job["consortium_id"] == world.a.pk
    from tests.support.jobs import run_jobs

    run_jobs()
    done = client.get(f"/api/jobs/{job['id']}").json()
    assert done["state"] == "succeeded" and done["result"]["pairs"] >= 1


def test_province_summary(world, client, flows):
    client.force_login(world.users["supervisor"])
    body = client.get("/api/diagnosis").json()
    assert set(body) == {"items", "count"}
    row = next(r for r in body["items"] if r["consortium_id"] == world.a.pk)
    assert row["pair_count"] >= 3


def test_list_endpoints_keep_a_constant_query_count(world, client, flows):
    client.force_login(world.users["secretariat"])
    for url in [_api(world, "/pairs"), _api(world, "/alerts"), "/api/diagnosis", _api(world)]:
        warm(client, url)
        add = grow(world)

        def grown(url=url, add=add):
            add()
            warm(client, url)

        assert_constant_queries(lambda url=url: client.get(url), grown)
