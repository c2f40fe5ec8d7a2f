"""Pages of the diagnosis: every page per role, the cold page's background job, a unit
sees only its own pairs, the pair page shows the evidence, settings with a version check,
constant query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.services import Party, entry_create
from tests.support.jobs import run_jobs
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

_N = [0]


# --- data shared with test_api.py --------------------------------------------------------------
def post(world, giver, receiver, value, day=dt.date(2025, 3, 1), consortium=None):
    def party(p):
        return Party.of_pool(p[5:]) if p.startswith("pool:") else Party.unit(world.units[p].pk)

    return entry_create(
        actor=SYSTEM,
        consortium_id=(consortium or world.a).pk,
        date=day,
        category="money",
        quantity=Decimal(str(value)),
        giver=party(giver),
        receiver=party(receiver),
    )


def seed(world):
    """Pairs school–ent (direct), gov–school (direct) and school–ent–other (a shared pool)."""
    return [
        post(world, "school", "ent", 100, dt.date(2024, 3, 1)),
        post(world, "ent", "school", 150, dt.date(2024, 5, 1)),
        post(world, "gov", "school", 80, dt.date(2025, 2, 1)),
        post(world, "school", "gov", 20, dt.date(2025, 4, 1)),
        post(world, "school", "pool:P1", 100, dt.date(2025, 3, 1)),
        post(world, "ent", "pool:P1", 100, dt.date(2025, 3, 1)),
        post(world, "other", "pool:P1", 50, dt.date(2025, 3, 1)),
        post(world, "pool:P1", "school", 150, dt.date(2025, 9, 1)),
        post(world, "pool:P1", "ent", 150, dt.date(2025, 9, 1)),
        post(world, "pool:P1", "other", 60, dt.date(2025, 9, 1)),
    ]


def grow(world):
    """Each call adds flows between more pairs and in more months."""

    def add():
        _N[0] += 1
        day = dt.date(2024, 1 + _N[0] % 11, 2)
        post(world, "other", "school", 10 + _N[0], day)
        post(world, "school", "other", 5 + _N[0], day)
        post(world, "gov", "ent", 30 + _N[0], day)
        post(world, "ent", "gov", 7, day)
        post(world, "other", "ent", 12, day)

    return add


def ids(world, *keys):
    return sorted(world.units[k].pk for k in keys)


@pytest.fixture
def flows(world):
    return seed(world)


def warm(client, url):
    """The page once the diagnosis of its window is stored: the first visit starts the job
    that computes it, the worker runs it, the second visit reads the stored result."""
    client.get(url)
    run_jobs()
    return client.get(url)


def _url(world, *parts):
    return f"/consortia/{world.a.pk}/diagnosis/" + "".join(f"{p}/" for p in parts)


def _option(body, name):
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def _pairs_in(body):
    return set(re.findall(r'data-pair="(\d+)-(\d+)"', body))


# --- pages per role --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role", ["admin", "secretariat", "supervisor", "unit_admin", "unit_member", "school_admin"]
)
def test_every_page_renders_for_every_role(world, client, flows, role):
    client.force_login(world.users[role])
    a, b = ids(world, "school", "ent")
    for url in [
        _url(world),
        _url(world) + "?partial=body&year_from=2024&year_to=2025",
        _url(world, "pairs", a, b),
        _url(world, "settings"),
        "/diagnosis/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_the_nav_links_the_diagnosis(world, client, flows):
    client.force_login(world.users["secretariat"])
    body = client.get(f"/consortia/{world.a.pk}/").content.decode()
    assert f'href="/consortia/{world.a.pk}/diagnosis/"' in body


def test_a_cold_page_starts_a_job_and_shows_its_progress_instead_of_computing(
    world, client, flows, django_assert_max_num_queries
):
    from gongsheng.diagnosis.models import DiagnosisResult
    from gongsheng.jobs.models import Job

    client.force_login(world.users["unit_admin"])
    url = _url(world) + "?year_from=2024&year_to=2025"
    body = client.get(url).content.decode()
    job = Job.objects.get(kind="diagnosis.window")
    assert job.user == world.users["unit_admin"] and job.state == "queued"
    assert job.params == {"year_from": 2024, "year_to": 2025, "page": url}
    assert (
        'class="card job-progress"' in body and f'hx-get="/jobs/{job.pk}/?partial=progress"' in body
    )
    assert 'id="chart-graph"' not in body and not DiagnosisResult.objects.exists()
    # the htmx partial and a second visit do not compute either: the same job
    part = client.get(url + "&partial=body").content.decode()
    assert "<html" not in part and f'data-job="{job.pk}"' in part
    client.get(url)
    assert Job.objects.filter(kind="diagnosis.window").count() == 1
    assert not DiagnosisResult.objects.exists()
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result["pairs"] >= 1
    done = client.get(f"/jobs/{job.pk}/?partial=progress").content.decode()
    assert 'id="diagnosis-ready"' in done and 'hx-select="#diagnosis-body"' in done
    assert f'hx-get="{url}"'.replace("&", "&amp;") in done
    # now stored: the page renders at once
    body = client.get(url).content.decode()
    assert 'id="chart-graph"' in body and 'class="card job-progress"' not in body


def test_a_cold_pair_page_waits_for_the_job_too(world, client, flows):
    client.force_login(world.users["secretariat"])
    a, b = ids(world, "school", "ent")
    body = client.get(_url(world, "pairs", a, b)).content.decode()
    assert 'id="diagnosis-computing"' in body and 'id="verdict"' not in body
    run_jobs()
    assert 'id="verdict"' in client.get(_url(world, "pairs", a, b)).content.decode()


def test_the_charts_are_json_with_urls_to_the_evidence(world, client, flows):
    client.force_login(world.users["secretariat"])
    body = warm(client, _url(world)).content.decode()
    series = _option(body, "opt-graph")["series"][0]
    assert series["type"] == "graph" and len(series["data"]) >= 3 and series["links"]
    assert all("/diagnosis/pairs/" in link["url"] for link in series["links"])
    assert all(link["lineStyle"]["color"].startswith("#") for link in series["links"])
    for name in ("opt-modes", "opt-sankey", "opt-trends"):
        assert f'id="{name}"' in body
    assert 'id="mode-legend"' in body


def test_a_unit_sees_only_its_own_pairs(world, client, flows):
    own = world.units["ent"].pk
    client.force_login(world.users["unit_admin"])
    body = warm(client, _url(world)).content.decode()
    pairs = _pairs_in(body)
    assert pairs and all(str(own) in p for p in pairs), pairs
    graph = _option(body, "opt-graph")["series"][0]
    assert {link["source"] for link in graph["links"]} | {
        link["target"] for link in graph["links"]
    } >= {str(own)}
    assert all(str(own) in (link["source"], link["target"]) for link in graph["links"])
    partners = [n for n in graph["data"] if n["id"] != str(own)]
    assert partners and all(n["value"] == 0 for n in partners)  # their totals are not its own
    gov_school = ids(world, "gov", "school")
    assert client.get(_url(world, "pairs", *gov_school)).status_code == 404
    client.force_login(world.users["secretariat"])
    body = warm(client, _url(world)).content.decode()
    assert tuple(str(i) for i in gov_school) in _pairs_in(body)


def test_the_province_page_has_a_row_per_consortium(world, client, flows):
    client.force_login(world.users["supervisor"])
    body = client.get("/diagnosis/").content.decode()
    row = re.search(rf'<tr data-consortium="{world.a.pk}">(.*?)</tr>', body, re.S).group(1)
    assert "/diagnosis/" in row and re.search(r'class="num[^"]*">-?\d', row)
    assert f'data-consortium="{world.b.pk}"' not in body


def test_other_consortia_and_strangers_get_not_found(world, client, flows):
    client.force_login(world.users["other_consortium"])
    a, b = ids(world, "school", "ent")
    assert warm(client, _url(world)).status_code == 404
    assert client.get(_url(world, "pairs", a, b)).status_code == 404
    body = client.get("/diagnosis/").content.decode()
    assert f'data-consortium="{world.a.pk}"' not in body


def test_the_pair_table_filters_by_mode_with_htmx(world, client, flows):
    client.force_login(world.users["secretariat"])
    warm(client, _url(world))
    r = client.get(_url(world) + "?mode=symmetric_mutualism", HTTP_HX_REQUEST="true",
                   HTTP_HX_TARGET="pair-table")  # fmt: skip
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="pair-table">')
    assert set(re.findall(r'data-mode="(\w+)"', html)) <= {"symmetric_mutualism"}


def test_the_pair_page_shows_the_verdict_and_links_the_ledger_entries(world, client, flows):
    client.force_login(world.users["secretariat"])
    a, b = ids(world, "school", "ent")
    body = warm(client, _url(world, "pairs", a, b)).content.decode()
    assert 'id="verdict"' in body and 'id="reasons"' in body
    linked = {int(i) for i in re.findall(r'href="/ledger/entries/(\d+)/"', body)}
    direct = {e.pk for e in flows[:2]}
    assert direct <= linked, (direct, linked)
    # the reverse order redirects to the one page of the pair
    r = client.get(_url(world, "pairs", b, a))
    assert r.status_code == 302 and r["Location"].startswith(_url(world, "pairs", a, b))


def test_settings_are_the_secretariats_and_check_the_version(world, client, flows):
    client.force_login(world.users["secretariat"])
    body = client.get(_url(world, "settings")).content.decode()
    assert 'id="settings-form"' in body
    form = _settings_form(body)
    form["tolerance"] = "0.1"
    r = client.post(_url(world, "settings"), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    form = _settings_form(client.get(_url(world, "settings")).content.decode())
    assert form["tolerance"] == "0.1"
    form["cold_ratio"] = "0.3"
    assert client.post(_url(world, "settings"), form).status_code == 302
    r = client.post(_url(world, "settings"), form)  # the version it read is stale now
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    client.force_login(world.users["unit_admin"])
    body = client.get(_url(world, "settings")).content.decode()
    assert 'id="settings-form"' not in body and 'id="settings-view"' in body
    assert client.post(_url(world, "settings"), form).status_code == 403


def _settings_form(body):
    form = {}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', body):
        form[name] = value
    for name, value in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="(\w+)"', body):
        form.setdefault(value, name)
    for name, inner in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', inner)
        form[name] = chosen.group(1) if chosen else ""
    for name in re.findall(r'<input type="checkbox" name="(\w+)"[^>]*checked', body):
        form[name] = "on"
    form.pop("csrfmiddlewaretoken", None)
    return form


def test_refresh_is_the_secretariats(world, client, flows):
    client.force_login(world.users["unit_admin"])
    assert client.post(_url(world, "refresh")).status_code == 403
    client.force_login(world.users["secretariat"])
    r = client.post(_url(world, "refresh"), {"next": _url(world) + "?year_from=2024"})
    assert r.status_code == 302 and r["Location"] == _url(world) + "?year_from=2024"
    r = client.post(_url(world, "refresh") + "?year_from=2024", HTTP_HX_REQUEST="true")
    # the same background job (one at a time), shown with its progress
    assert r.status_code == 202 and 'class="card job-progress"' in r.content.decode()
    from gongsheng.jobs.models import Job

    assert Job.objects.filter(kind="diagnosis.refresh").count() == 1
    page = client.get(_url(world)).content.decode()
    assert 'id="being-updated"' in page and 'id="diagnosis-body"' in page
    from tests.support.jobs import run_jobs

    run_jobs()
    page = client.get(_url(world)).content.decode()
    assert 'id="being-updated"' not in page


def test_the_pages_keep_a_constant_query_count(world, client, flows):
    client.force_login(world.users["secretariat"])
    a, b = ids(world, "school", "ent")
    for url in [
        _url(world),
        _url(world) + "?partial=body",
        _url(world, "pairs", a, b),
        "/diagnosis/",
    ]:
        warm(client, url)  # the diagnosis of the current data is stored
        assert_constant_queries(lambda url=url: client.get(url), grown(world, client, url))
    client.force_login(world.users["unit_admin"])
    url = _url(world)
    warm(client, url)
    assert_constant_queries(lambda: client.get(url), grown(world, client, url))


def grown(world, client, url):
    """More rows, then one visit that stores the diagnosis of the new data (a warm page is
    what the count is about; a cold one computes)."""
    add = grow(world)

    def run():
        add()
        warm(client, url)

    return run


def test_an_observer_sees_the_totals_only(world, client, flows):
    client.force_login(world.users["observer"])
    body = warm(client, _url(world)).content.decode()
    assert 'id="totals-note"' in body and 'id="total-energy"' in body
    assert 'id="pair-table"' not in body and 'id="chart-graph"' not in body
    a, b = ids(world, "school", "ent")
    assert client.get(_url(world, "pairs", a, b)).status_code == 404


# role × (consortium page, own unit's pair, another unit's pair, the other consortium's page)
MATRIX = {
    "admin": (200, 200, 200, 200),
    "secretariat": (200, 200, 200, 404),
    "supervisor": (200, 200, 200, 404),
    "observer": (200, 404, 404, 404),
    "unit_admin": (200, 200, 404, 404),
    "unit_member": (200, 200, 404, 404),
    "school_admin": (200, 200, 200, 404),
    "other_consortium": (404, 404, 404, 200),
    "nobody": (404, 404, 404, 404),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_access_matrix_of_the_pages_and_the_api(world, client, flows, role):
    """ent–school is the own pair of the ent users; gov–school belongs to others."""
    client.force_login(world.users[role])
    own, other = ids(world, "school", "ent"), ids(world, "gov", "school")
    urls = [
        (_url(world), f"/api/consortia/{world.a.pk}/diagnosis"),
        (_url(world, "pairs", *own), f"/api/consortia/{world.a.pk}/diagnosis/pairs/{own[0]}/{own[1]}"),
        (_url(world, "pairs", *other),
         f"/api/consortia/{world.a.pk}/diagnosis/pairs/{other[0]}/{other[1]}"),
        (f"/consortia/{world.b.pk}/diagnosis/", f"/api/consortia/{world.b.pk}/diagnosis"),
    ]  # fmt: skip
    got = tuple(client.get(page).status_code for page, _api in urls)
    assert got == MATRIX[role], got
    run_jobs()  # the pages started computing the windows their user may see
    got = tuple(client.get(api).status_code for _page, api in urls)
    assert got == MATRIX[role], got


def test_a_bad_window_is_named_and_the_default_window_shown(world, client, flows):
    client.force_login(world.users["secretariat"])
    r = warm(client, _url(world) + "?year_from=2026&year_to=2024")
    body = r.content.decode()
    assert r.status_code == 200 and 'class="errorlist"' in body and 'id="chart-graph"' in body
    r = client.get(f"/api/consortia/{world.a.pk}/diagnosis?year_from=2026&year_to=2024")
    assert r.status_code == 422 and "year_to" in r.content.decode()


def test_the_diagnosis_names_the_open_ip_rule_breaches(world, client, flows):
    from gongsheng.alerts.services import alert_raise

    client.force_login(world.users["secretariat"])
    assert 'id="ip-breaches"' not in warm(client, _url(world)).content.decode()
    alert_raise(
        actor=SYSTEM,
        consortium_id=world.a.pk,
        kind="ip_rule_breach",
        title="General licensee passed the technology on",
        unit_id=world.units["ent"].pk,
    )
    body = warm(client, _url(world)).content.decode()
    assert 'id="ip-breaches"' in body and f"/consortia/{world.a.pk}/alerts/" in body
