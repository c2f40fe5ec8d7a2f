"""The cooperation project's standard tests (``tests.support.declared``): data and the expected
rights, then what is the project's own on the declaration (filters, the lead unit taking part,
the detail with its parts, the move's page and API)."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import services
from gongsheng.cooperation.models import Participant, Project
from gongsheng.core.errors import ValidationFailed
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "move"}  # projects are never deleted
SEE = {"view"}
NONE: set[str] = set()
#: role -> (own unit's, another unit's, consortium B's): projects are public in their
#: consortium; the secretariat (and platform admins) add, change and move them
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (SEE, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, SEE),
    "nobody": (NONE, NONE, NONE),
}
UNIT = {"own": "ent", "other": "other", "b": "x"}
_codes = itertools.count(1)


def _consortium(world, where):
    return world.b if where == "b" else world.a


def _make(world, where):
    return services.project_create(
        actor=SYSTEM, consortium_id=_consortium(world, where).pk, code=f"P-{next(_codes)}",
        name=f"Project {where}", type="joint_rd", lead_unit_id=world.units[UNIT[where]].pk,
        starts_on=dt.date(2025, 3, 1),
    )  # fmt: skip


def _form(world, where):
    return {
        "code": f"F-{next(_codes)}", "name": "Gearbox diagnosis", "type": "order_class",
        "lead_unit": world.units[UNIT[where]].pk, "starts_on": "2025-04-01", "ends_on": "",
        "description": "from the page",
    }  # fmt: skip


def _api_create(world, where):
    return {
        "consortium_id": _consortium(world, where).pk, "name": "API project", "type": "other",
        "lead_unit_id": world.units[UNIT[where]].pk,
    }  # fmt: skip


class TestProjects(StandardTests):
    data = StandardData(
        model=Project,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"name": f"Renamed {where}"},
        moves={"move": lambda world: {"to_status": "proposed", "reason": "ready"}},
        rights=RIGHTS,
    )


# --- the project's own ----------------------------------------------------------------------
def test_the_lead_unit_takes_part_and_must_be_an_admitted_member(world):
    sec, u = world.users["secretariat"], world.units
    p = _make(world, "own")
    assert list(p.participants.values_list("unit_id", "role")) == [(u["ent"].pk, "lead")]
    with pytest.raises(ValidationFailed) as exc:
        services.project_update(actor=sec, project_id=p.pk, version=None, lead_unit_id=u["x"].pk)
    assert "admitted member" in exc.value.message
    assert [e.field for e in exc.value.errors] == ["lead_unit"]
    p = services.project_update(
        actor=sec, project_id=p.pk, version=None, lead_unit_id=u["other"].pk
    )
    roles = dict(Participant.objects.filter(project=p).values_list("unit_id", "role"))
    assert roles == {u["ent"].pk: "lead", u["other"].pk: "lead"}
    # a lead expelled later does not stop the project's other fields from being edited
    again = services.project_update(actor=sec, project_id=p.pk, version=None, name="Same lead")
    assert again.name == "Same lead" and again.version == p.version + 1


def test_filters_are_one_definition_for_page_and_api(world, client):
    sec, u = world.users["secretariat"], world.units
    a = _make(world, "own")
    b = _make(world, "other")
    services.project_update(actor=SYSTEM, project_id=b.pk, version=None, name="Wind blades",
                            starts_on=dt.date(2024, 5, 1))  # fmt: skip
    services.participant_add(actor=SYSTEM, project_id=a.pk, unit_id=u["school"].pk)
    client.force_login(sec)
    base = f"/api/projects?consortium={world.a.pk}"
    for query, want in (
        ("q=blades", {b.pk}), (f"unit={u['school'].pk}", {a.pk}), ("year=2024", {b.pk}),
        ("status=draft", {a.pk, b.pk}), ("status=closed", set()), ("type=other", set()),
        ("year=bad", {a.pk, b.pk}),
    ):  # fmt: skip
        r = client.get(f"{base}&{query}")
        if query == "year=bad":  # a bad number is refused by the API naming the parameter
            assert r.status_code == 422 and "year" in r.content.decode()
            continue
        assert {i["id"] for i in r.json()["items"]} == want, query
        page = client.get(f"/consortia/{world.a.pk}/projects/?{query}")
        assert {p.pk for p in page.context["page"].object_list} == want, query
    page = client.get(f"/consortia/{world.a.pk}/projects/?year=bad")
    assert page.status_code == 200 and len(page.context["page"].object_list) == 2


def test_the_api_detail_shows_the_project_with_its_parts(world, client):
    p = _make(world, "own")
    client.force_login(world.users["secretariat"])
    r = client.get(f"/api/projects/{p.pk}")
    assert r.status_code == 200 and r["ETag"] == f'W/"{p.version}"'
    body = r.json()
    assert body["project"]["lead_unit"]["id"] == world.units["ent"].pk
    assert [pa["role"] for pa in body["participants"]] == ["lead"]
    assert body["transitions"] == [] and body["ledger"] == []


def test_the_move_through_page_and_api(world, client):
    p = _make(world, "own")
    client.force_login(world.users["secretariat"])
    r = client.post(f"/projects/{p.pk}/move/", {"to_status": "proposed", "version": p.version})
    assert r.status_code == 302 and r["Location"] == f"/projects/{p.pk}/"
    p.refresh_from_db()
    assert p.status == "proposed"
    r = client.post(f"/projects/{p.pk}/move/", {"to_status": "feasibility"}, follow=True)
    assert "表单填写不完整" in r.content.decode()  # no version: the form is incomplete
    stale = client.post(
        f"/api/projects/{p.pk}/move", json.dumps({"to_status": "feasibility", "version": 1}),
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    ok = client.post(
        f"/api/projects/{p.pk}/move", json.dumps({"to_status": "feasibility"}),
        content_type="application/json", headers={"If-Match": f'W/"{p.version}"'},
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "feasibility"
    moved = AuditEntry.objects.filter(object_id=p.pk, event_type=EventType.PROJECT_MOVED)
    assert moved.count() == 2
