"""Pages and API of dynamics and games: render per role, the not-enough message, the prefill
with its sources, htmx partials, saving and comparing scenarios, query counts, the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.modelling import services
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.runs import default_game_parameters
from tests.environment.support import make_policy
from tests.modelling.support import corner_ess, post_outputs, synthetic_series
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

GAME = {"delta_r": 10, "alpha": 0.4, "c_s": 3, "c_e": 4, "s_s": 1, "s_e": 1.5, "g_s": 1,
        "g_e": 1, "t": 0.5, "p_s": 1, "p_e": 1, "c_g": 2, "l": 6, "sweep_param": "p_e",
        "bracket_hi": 10, "grid": 3, "scale": 10000, "year": 2025}  # fmt: skip
FIT = {"groups": ["school", "enterprise"], "quality": "outputs", "measure": "per_year"}


def _save(world, kind="game", name="Base case", data=None):
    return services.scenario_save(
        actor=world.users["secretariat"], consortium_id=world.a.pk, kind=kind, name=name,
        data=data or (GAME if kind == "game" else FIT),
    )  # fmt: skip


@pytest.mark.parametrize("role", ["secretariat", "supervisor", "unit_admin", "school_admin"])
def test_pages_render_for_every_viewing_role(world, client, role):
    post_outputs(world, synthetic_series(6))
    s = _save(world)
    client.force_login(world.users[role])
    a = world.a.pk
    for url in (f"/consortia/{a}/modelling/dynamics/", f"/consortia/{a}/modelling/game/",
                f"/consortia/{a}/modelling/scenarios/", f"/modelling/scenarios/{s.pk}/",
                f"/consortia/{a}/modelling/scenarios/compare/?ids={s.pk}"):  # fmt: skip
        r = client.get(url)
        assert r.status_code == 200, url
    r = client.get(f"/consortia/{a}/modelling/game/")
    assert (b"save-scenario" in r.content) == (role == "secretariat")


@pytest.mark.parametrize(("role", "status"), [("observer", 403), ("other_consortium", 404)])
def test_pages_refused(world, client, role, status):
    s = _save(world)
    client.force_login(world.users[role])
    a = world.a.pk
    assert client.get(f"/consortia/{a}/modelling/dynamics/").status_code == status
    assert client.get(f"/consortia/{a}/modelling/game/").status_code == status
    assert client.get(f"/modelling/scenarios/{s.pk}/").status_code == 404


@pytest.mark.parametrize(("role", "shown"), [("secretariat", True), ("observer", False)])
def test_the_navigation_links_the_models_only_for_who_may_open_them(world, client, role, shown):
    client.force_login(world.users[role])
    html = client.get(f"/consortia/{world.a.pk}/ledger/").content.decode()
    assert (f'href="/consortia/{world.a.pk}/modelling/dynamics/"' in html) == shown


def test_dynamics_page_fits_and_says_when_periods_are_missing(world, client):
    client.force_login(world.users["secretariat"])
    post_outputs(world, synthetic_series(4))
    url = f"/consortia/{world.a.pk}/modelling/dynamics/"
    r = client.get(url)
    html = r.content.decode()
    assert 'id="not-enough"' in html and "<strong>还需 1 个</strong>" in html
    assert "8 个参数" in html
    r = client.get(url, {**FIT, "groups": ["government", "school", "enterprise"]})
    assert "15 个参数" in r.content.decode() and 'id="series-table"' in r.content.decode()


def test_dynamics_partial_with_the_fit(world, client):
    client.force_login(world.users["supervisor"])
    post_outputs(world, synthetic_series(10))
    r = client.get(
        f"/consortia/{world.a.pk}/modelling/dynamics/", FIT,
        headers={"HX-Request": "true", "HX-Target": "dynamics-result"},
    )  # fmt: skip
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="dynamics-result">')
    assert 'id="fit-pairs"' in html and 'id="logistic-data"' in html and "<h1>" not in html


def test_game_page_prefills_policies_with_their_sources(world, client):
    pol = make_policy(world, title="Apprentice subsidy", amount="1500000")
    client.force_login(world.users["unit_member"])
    r = client.get(f"/consortia/{world.a.pk}/modelling/game/", {"year": 2025})
    html = r.content.decode()
    assert f'data-policy="{pol.pk}"' in html and "Apprentice subsidy" in html
    assert 'name="g_e" value="150.0"' in html  # 1 500 000 CNY in 万元
    assert 'id="equilibria"' in html and 'id="thresholds"' in html
    assert 'id="scale-warning"' in html  # 150 万元 against the illustrative ΔR = 10, C_e = 4
    r = client.get(f"/consortia/{world.a.pk}/modelling/game/", {"year": 2025, "scale": 1000000})
    assert 'name="g_e" value="1.5"' in r.content.decode()
    assert 'id="scale-warning"' not in r.content.decode()


def test_game_partial_and_bad_input(world, client):
    client.force_login(world.users["secretariat"])
    url = f"/consortia/{world.a.pk}/modelling/game/"
    hx = {"HX-Request": "true", "HX-Target": "game-result"}
    r = client.get(url, GAME, headers=hx)
    assert r.content.decode().lstrip().startswith('<div id="game-result">')
    assert "(1, 1, 1)" in r.content.decode()
    r = client.get(url, {**GAME, "alpha": 2}, headers=hx)
    assert "alpha" in r.content.decode() and 'role="alert"' in r.content.decode()


def test_secretariat_saves_renames_and_deletes_a_scenario(world, client):
    client.force_login(world.users["secretariat"])
    from urllib.parse import urlencode

    r = client.post(
        f"/consortia/{world.a.pk}/modelling/scenarios/save/",
        {"kind": "game", "name": "Higher penalty", "query": urlencode({**GAME, "p_e": 3})},
    )
    s = Scenario.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/modelling/scenarios/{s.pk}/"
    assert s.inputs["params"]["p_e"] == 3.0 and s.result["ess"] == ["(1, 1, 1)"]
    r = client.post(f"/modelling/scenarios/{s.pk}/", {"name": "P_e = 3", "note": "", "version": 1})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.name == "P_e = 3" and s.version == 2
    r = client.post(f"/modelling/scenarios/{s.pk}/", {"name": "stale", "note": "", "version": 1})
    assert r.status_code == 200 and 'class="errorlist"' in r.content.decode()
    assert Scenario.objects.get().name == "P_e = 3"
    r = client.post(f"/modelling/scenarios/{s.pk}/", {"name": "x", "version": 2, "delete": "1"})
    assert r.status_code == 302 and not Scenario.objects.exists()
    events = list(
        AuditEntry.objects.filter(event_type__gte=1200, event_type__lt=1300)
        .order_by("id").values_list("event_type", flat=True)
    )  # fmt: skip
    assert events == [EventType.SCENARIO_SAVED, EventType.SCENARIO_CHANGED,
                      EventType.SCENARIO_DELETED]  # fmt: skip


@pytest.mark.parametrize("role", ["supervisor", "unit_admin"])
def test_others_may_not_save_or_edit(world, client, role):
    s = _save(world)
    client.force_login(world.users[role])
    from urllib.parse import urlencode

    r = client.post(f"/consortia/{world.a.pk}/modelling/scenarios/save/",
                    {"kind": "game", "name": "x", "query": urlencode(GAME)})  # fmt: skip
    assert r.status_code == 403
    r = client.post(f"/modelling/scenarios/{s.pk}/", {"name": "y", "version": 1})
    assert r.status_code == 403
    assert Scenario.objects.get().name == "Base case"


def test_scenario_list_and_compare_query_counts(world, client):
    client.force_login(world.users["secretariat"])
    _save(world)
    a = world.a.pk

    def grow():
        for i in range(3):
            _save(world, name=f"grown {i}")
            Scenario.objects.create(consortium=world.a, kind="logistic", name=f"fit {i}",
                                    inputs=FIT, result={"status": "not_enough_periods"})  # fmt: skip

    assert_constant_queries(lambda: client.get(f"/consortia/{a}/modelling/scenarios/"), grow)
    ids = "&".join(f"ids={s.pk}" for s in Scenario.objects.all()[:2])

    def grow2():
        _save(world, name="more")

    assert_constant_queries(
        lambda: client.get(f"/consortia/{a}/modelling/scenarios/compare/?{ids}"), grow2
    )
    r = client.get(f"/consortia/{a}/modelling/scenarios/compare/?{ids}")
    assert 'id="compare-games"' in r.content.decode() or 'id="compare-fits"' in r.content.decode()


class TestApi:
    def test_run_endpoints(self, world, client):
        post_outputs(world, synthetic_series(10))
        client.force_login(world.users["supervisor"])
        r = client.post(f"/api/modelling/consortia/{world.a.pk}/logistic", FIT,
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 200 and r.json()["status"] == "fitted"
        r = client.post(f"/api/modelling/consortia/{world.a.pk}/logistic",
                        {**FIT, "groups": ["school"]}, content_type="application/json")  # fmt: skip
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "groups"
        r = client.post(f"/api/modelling/consortia/{world.a.pk}/game", {"p_e": 3, "grid": 3},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 200 and r.json()["ess"] == corner_ess(r.json()["params"])
        # the parameters not given: the page's starting values for this year, not the
        # command line's illustrative ones
        year = timezone.localdate().year
        start = client.get(f"/api/modelling/consortia/{world.a.pk}/game/prefill?year={year}")
        expected = {**start.json()["defaults"], **start.json()["values"], "p_e": 3.0}
        assert r.json()["params"] == expected
        assert expected != {**default_game_parameters(), "p_e": 3.0}
        r = client.get(f"/api/modelling/consortia/{world.a.pk}/game/prefill?year=2025")
        assert r.status_code == 200 and set(r.json()["values"]) == {"g_s", "g_e", "t", "p_s",
                                                                    "p_e"}  # fmt: skip

    def test_run_refused_for_observer_and_outsiders(self, world, client):
        client.force_login(world.users["observer"])
        r = client.post(f"/api/modelling/consortia/{world.a.pk}/game", {},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 403
        client.force_login(world.users["other_consortium"])
        r = client.post(f"/api/modelling/consortia/{world.a.pk}/logistic", FIT,
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 404

    def test_scenarios(self, world, client):
        client.force_login(world.users["secretariat"])
        r = client.post("/api/modelling/scenarios", {
            "consortium_id": world.a.pk, "kind": "game", "name": "Via API",
            "inputs": {**GAME, "g_s": 2.2},
        }, content_type="application/json")  # fmt: skip
        assert r.status_code == 201, r.content
        sid = r.json()["id"]
        assert r.json()["inputs"]["params"]["g_s"] == 2.2 and r.json()["result"]["ess"]
        r = client.get("/api/modelling/scenarios", {"consortium": world.a.pk})
        assert r.json()["count"] == 1 and r.json()["items"][0]["created_by"] == "secretariat"
        r = client.get(f"/api/modelling/scenarios/{sid}")
        assert r["ETag"] == 'W/"1"'
        r = client.patch(f"/api/modelling/scenarios/{sid}", {"name": "Renamed"},
                         content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
        assert r.status_code == 200 and r["ETag"] == 'W/"2"'
        r = client.patch(f"/api/modelling/scenarios/{sid}", {"name": "Stale"},
                         content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
        assert r.status_code == 409
        r = client.post("/api/modelling/scenarios", {
            "consortium_id": world.a.pk, "kind": "dance", "name": "x",
        }, content_type="application/json")  # fmt: skip
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
        client.force_login(world.users["supervisor"])
        assert client.get(f"/api/modelling/scenarios/{sid}").status_code == 200
        r = client.post("/api/modelling/scenarios", {
            "consortium_id": world.a.pk, "kind": "game", "name": "no", "inputs": GAME,
        }, content_type="application/json")  # fmt: skip
        assert r.status_code == 403
        assert client.delete(f"/api/modelling/scenarios/{sid}").status_code == 403
        client.force_login(world.users["secretariat"])
        assert client.delete(f"/api/modelling/scenarios/{sid}").status_code == 204

    def test_scenario_list_query_count(self, world, client):
        client.force_login(world.users["supervisor"])
        _save(world)

        def grow():
            for i in range(3):
                _save(world, name=f"g{i}")

        assert_constant_queries(lambda: client.get("/api/modelling/scenarios"), grow)
