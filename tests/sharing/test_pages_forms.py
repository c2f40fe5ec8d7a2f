"""Create and edit pages for shared resources, the quota page and the quota API."""

from __future__ import annotations

import json

import pytest

from gongsheng.sharing.models import SharedResource
from tests.sharing.support import make_resource, price

pytestmark = pytest.mark.django_db

CONFLICT = "其他人已修改了这条记录"


@pytest.fixture
def base(world):
    price(world.a)
    return make_resource(world)


def _resource_form(**extra):
    form = {
        "code": "lab-1", "name": "Sensor lab", "kind": "laboratory", "capacity": "2",
        "location": "", "description": "", "rules": "",
        "opening_hours": json.dumps({"1": [["08:00", "17:00"]]}), "closed_dates": "[]",
        "cancel_hours": "24", "is_active": "on", "version": "",
    }  # fmt: skip
    form.update(extra)
    return form


def test_a_unit_admin_creates_and_edits_its_resource(world, client):
    client.force_login(world.users["unit_admin"])
    body = client.get(f"/consortia/{world.a.pk}/resources/").content.decode()
    assert 'id="new-resource"' in body
    assert client.get(f"/consortia/{world.a.pk}/resources/new/").status_code == 200
    r = client.post(
        f"/consortia/{world.a.pk}/resources/new/", _resource_form(owner=world.units["ent"].pk)
    )
    assert r.status_code == 302, r.content.decode()
    res = SharedResource.objects.get(code="lab-1")
    assert res.owner_id == world.units["ent"].pk and res.capacity == 2
    assert 'id="edit-resource"' in client.get(f"/resources/{res.pk}/").content.decode()
    body = client.get(f"/resources/{res.pk}/edit/").content.decode()
    assert 'name="version"' in body and "Sensor lab" in body
    r = client.post(
        f"/resources/{res.pk}/edit/", _resource_form(name="Sensor lab 2", version=res.version)
    )
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.name == "Sensor lab 2" and res.owner_id == world.units["ent"].pk


def test_a_unit_admin_cannot_add_for_another_unit(world, client):
    client.force_login(world.users["unit_admin"])
    r = client.post(
        f"/consortia/{world.a.pk}/resources/new/", _resource_form(owner=world.units["school"].pk)
    )
    assert r.status_code in (200, 403)
    assert not SharedResource.objects.filter(code="lab-1").exists()


def test_bad_opening_hours_are_shown_beside_the_field(world, base, client):
    client.force_login(world.users["secretariat"])
    r = client.post(
        f"/resources/{base.pk}/edit/",
        _resource_form(opening_hours=json.dumps({"9": [["08:00", "07:00"]]}), version=base.version),
    )
    assert r.status_code == 200
    form = r.context["form"]
    assert form.errors.get("opening_hours")
    base.refresh_from_db()
    assert base.name == "Resource base"


def test_a_stale_resource_version_is_refused(world, base, client):
    client.force_login(world.users["secretariat"])
    url = f"/resources/{base.pk}/edit/"
    form = _resource_form(version=base.version, name="First")
    assert client.post(url, form).status_code == 302
    body = client.post(url, {**form, "name": "Second"}).content.decode()
    assert CONFLICT in body
    assert SharedResource.objects.get(pk=base.pk).name == "First"


@pytest.mark.parametrize("who", ["school_admin", "observer", "nobody", "other_consortium"])
def test_resource_edit_needs_the_right(world, base, client, who):
    client.force_login(world.users[who])
    assert client.get(f"/resources/{base.pk}/edit/").status_code in (403, 404)
    r = client.post(f"/resources/{base.pk}/edit/", _resource_form(version=base.version))
    assert r.status_code in (403, 404)
    assert SharedResource.objects.get(pk=base.pk).name == "Resource base"
    if who in ("school_admin", "observer"):
        assert 'id="edit-resource"' not in client.get(f"/resources/{base.pk}/").content.decode()


@pytest.mark.parametrize("who", ["observer", "nobody", "other_consortium"])
def test_resource_create_needs_the_right(world, client, who):
    client.force_login(world.users[who])
    assert client.get(f"/consortia/{world.a.pk}/resources/new/").status_code in (403, 404)
    r = client.post(
        f"/consortia/{world.a.pk}/resources/new/", _resource_form(owner=world.units["ent"].pk)
    )
    assert r.status_code in (403, 404)
    assert not SharedResource.objects.filter(code="lab-1").exists()


# --- quotas ------------------------------------------------------------------------------
def test_the_quota_page_adds_and_deletes(world, base, client):
    from gongsheng.sharing.models import Quota

    client.force_login(world.users["unit_admin"])  # ent owns the base
    assert 'id="quotas-link"' in client.get(f"/consortia/{world.a.pk}/resources/").content.decode()
    url = f"/consortia/{world.a.pk}/quotas/"
    assert 'id="quota-form"' in client.get(url).content.decode()
    r = client.post(
        url, {"unit": world.units["school"].pk, "resource": base.pk, "owner": "",
              "period": "month", "hours": "10"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    q = Quota.objects.get(resource=base)
    assert q.unit_id == world.units["school"].pk and q.hours == 10
    body = client.get(url).content.decode()
    assert f'data-delete="{q.pk}"' in body
    # neither a resource nor an owner: the service's error is shown on the page
    r = client.post(url, {"unit": "", "resource": "", "owner": "", "period": "year", "hours": "5"})
    assert r.status_code == 200 and r.context["form"].errors.get("resource")
    assert Quota.objects.count() == 1
    # someone without the right sees no delete button and is refused
    client.force_login(world.users["school_admin"])
    assert f'data-delete="{q.pk}"' not in client.get(url).content.decode()
    assert client.post(f"/quotas/{q.pk}/delete/").status_code in (403, 404)
    assert Quota.objects.filter(pk=q.pk).exists()
    client.force_login(world.users["unit_admin"])
    assert client.post(f"/quotas/{q.pk}/delete/").status_code == 302
    assert not Quota.objects.filter(pk=q.pk).exists()


def test_the_quota_page_refuses_a_quota_on_someone_elses_resource(world, base, client):
    from gongsheng.sharing.models import Quota

    client.force_login(world.users["school_admin"])
    r = client.post(
        f"/consortia/{world.a.pk}/quotas/",
        {"unit": "", "resource": base.pk, "owner": "", "period": "month", "hours": "3"},
    )
    assert r.status_code in (403, 404)
    assert not Quota.objects.exists()


def test_the_quota_api_lists_creates_deletes_and_is_scoped(world, base, client):
    from gongsheng.sharing.models import Quota

    client.force_login(world.users["unit_admin"])
    r = client.post(
        "/api/quotas",
        {"consortium_id": world.a.pk, "period": "month", "hours": "8", "resource_id": base.pk,
         "unit_id": world.units["school"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    qid = r.json()["id"]
    r = client.post(
        "/api/quotas",
        {"consortium_id": world.a.pk, "period": "month", "hours": "8"},
        content_type="application/json",
    )
    assert r.status_code == 422
    body = client.get(f"/api/quotas?consortium={world.a.pk}").json()
    assert [q["id"] for q in body["items"]] == [qid]
    # another consortium sees none of it and may not delete it
    client.force_login(world.users["other_consortium"])
    assert client.get(f"/api/quotas?consortium={world.a.pk}").json()["items"] == []
    assert client.delete(f"/api/quotas/{qid}").status_code in (403, 404)
    # a unit that does not own the resource may neither add nor delete
    client.force_login(world.users["school_admin"])
    r = client.post(
        "/api/quotas",
        {"consortium_id": world.a.pk, "period": "year", "hours": "1", "resource_id": base.pk},
        content_type="application/json",
    )
    assert r.status_code in (403, 404)
    assert client.delete(f"/api/quotas/{qid}").status_code in (403, 404)
    assert Quota.objects.count() == 1
    client.force_login(world.users["unit_admin"])
    assert client.delete(f"/api/quotas/{qid}").status_code == 204
    assert not Quota.objects.exists()
