"""The shared resource's standard tests (``tests.support.declared``): data and the expected
rights only. Resources are not deleted (closed for booking instead): no delete column."""

from __future__ import annotations

import itertools
import json

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.sharing.models import SharedResource
from gongsheng.sharing.services import resource_create
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

EDIT = {"view", "add", "change"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (a resource of the unit ent, of another unit, in consortium B): the catalogue is
#: public in its consortium; the owner unit's admin and the secretariat add and edit
RIGHTS = {
    "admin": (EDIT, EDIT, EDIT),
    "secretariat": (EDIT, EDIT, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (EDIT, SEE, NONE),  # ent's admin
    "unit_member": (SEE, SEE, NONE),  # a member reads, its unit's admin edits
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, EDIT),  # x's admin in consortium B
    "nobody": (NONE, NONE, NONE),
}
UNIT = {"own": "ent", "other": "other", "b": "x"}
_CODES = itertools.count(1)


def _consortium(world, where):
    return world.b if where == "b" else world.a


def _make(world, where):
    return resource_create(
        actor=SYSTEM, consortium_id=_consortium(world, where).pk,
        owner_id=world.units[UNIT[where]].pk, code=f"made-{next(_CODES)}",
        name=f"Lab {where}", kind="laboratory", capacity=2,
    )  # fmt: skip


def _form(world, where):
    return {
        "owner": world.units[UNIT[where]].pk, "code": f"form-{next(_CODES)}",
        "name": f"Workshop {where}", "kind": "training_base", "capacity": "3", "location": "",
        "description": "", "rules": "", "opening_hours": json.dumps({"2": [["09:00", "12:00"]]}),
        "closed_dates": "[]", "cancel_hours": "12", "is_active": "on",
    }  # fmt: skip


def _api_create(world, where):
    return {"consortium_id": _consortium(world, where).pk, "owner_id": world.units[UNIT[where]].pk,
            "code": f"api-{next(_CODES)}", "name": "API lab", "kind": "equipment"}  # fmt: skip


class TestSharedResources(StandardTests):
    data = StandardData(
        model=SharedResource,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"name": f"Renamed {where}", "capacity": 4},
        rights=RIGHTS,
        add_form_also={"school_admin"},  # for resources of the school itself
    )


def test_the_owner_is_fixed_once_the_resource_exists(world, client):
    resource = _make(world, "own")
    client.force_login(world.users["secretariat"])
    r = client.patch(
        f"/api/resources/{resource.pk}", {"owner_id": world.units["other"].pk},
        content_type="application/json",
    )  # fmt: skip
    resource.refresh_from_db()
    assert resource.owner_id == world.units["ent"].pk and resource.version == 1
    assert r.status_code in (200, 422)
    form = {**_form(world, "other"), "version": resource.version}
    assert client.post(f"/resources/{resource.pk}/edit/", form).status_code == 302
    resource.refresh_from_db()
    assert resource.owner_id == world.units["ent"].pk and resource.name == "Workshop other"


def test_a_unit_admin_is_offered_only_its_own_unit(world, client):
    client.force_login(world.users["unit_admin"])
    form = client.get(f"/consortia/{world.a.pk}/resources/new/").context["form"]
    offered = {v for v, _label in form.fields["owner"].widget.choices if v}
    assert offered == {world.units["ent"].pk}
    client.force_login(world.users["secretariat"])
    form = client.get(f"/consortia/{world.a.pk}/resources/new/").context["form"]
    offered = {v for v, _label in form.fields["owner"].widget.choices if v}
    assert offered == {world.units[k].pk for k in ("gov", "school", "ent", "other")}


def test_a_duplicate_code_is_named_and_writes_nothing(world, client):
    made = _make(world, "own")
    client.force_login(world.users["secretariat"])
    body = {**_api_create(world, "own"), "code": made.code}
    r = client.post("/api/resources", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    assert SharedResource.objects.filter(code=made.code).count() == 1
