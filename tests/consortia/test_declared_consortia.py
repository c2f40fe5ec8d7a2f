"""The consortium's standard tests (API: ``tests.support.declared``; its pages are its own),
then its new and edit pages: platform admins and supervisors found consortia."""

from __future__ import annotations

import itertools

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.consortia.models import Consortium
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

SEE, NONE = {"view"}, set()
ALL = {"view", "add", "change"}  # consortia are never deleted: they exit (a status)
EDIT = {"view", "change"}
FOUND = {"view", "add"}
#: role -> (consortium A, A again: a consortium has no owner unit, consortium B); ``add`` is
#: founding a new consortium, which belongs to none yet
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (EDIT, EDIT, NONE),
    "supervisor": (FOUND, FOUND, {"add"}),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (SEE, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, SEE),
    "nobody": (NONE, NONE, NONE),
}
_numbers = itertools.count(1)


class TestConsortia(StandardTests):
    data = StandardData(
        model=Consortium,
        make=lambda world, where: Consortium.objects.get(
            pk=(world.b if where == "b" else world.a).pk
        ),
        form=lambda world, where: {},  # pages of its own (below)
        api_create=lambda world, where: {
            "code": f"new-{next(_numbers)}",
            "name": "新联合体",
            "level": "municipal",
        },
        api_patch=lambda world, where: {"batch": f"batch {where}"},
        rights=RIGHTS,
    )


def _found(client, code: str = "found-1"):
    return client.post(
        "/consortia/new/",
        {"code": code, "name": "滨海新联合体", "level": "municipal", "status": "building"},
    )


class TestFoundingPages:
    @pytest.mark.parametrize("role", ["admin", "supervisor"])
    def test_admins_and_supervisors_found_a_consortium(self, world, client, role):
        client.force_login(world.users[role])
        assert 'id="new-consortium"' in client.get("/consortia/").content.decode()
        assert client.get("/consortia/new/").status_code == 200
        r = _found(client)
        c = Consortium.objects.get(code="found-1")
        assert r.status_code == 302 and r["Location"] == f"/consortia/{c.pk}/"
        entries = AuditEntry.objects.filter(object_id=c.pk, content_type__model="consortium")
        assert [e.event_type for e in entries] == [int(EventType.CONSORTIUM_CREATED)]
        assert entries[0].consortium_id == c.pk and entries[0].actor_name == role
        assert client.get(f"/consortia/{c.pk}/").status_code == 200  # it sees what it made

    @pytest.mark.parametrize("role", ["secretariat", "unit_admin", "observer", "nobody"])
    def test_nobody_else_founds_one(self, world, client, role):
        client.force_login(world.users[role])
        assert 'id="new-consortium"' not in client.get("/consortia/").content.decode()
        assert client.get("/consortia/new/").status_code == 403
        assert _found(client).status_code == 403
        assert not Consortium.objects.filter(code="found-1").exists()

    def test_a_taken_code_is_refused_at_its_field(self, world, client):
        client.force_login(world.users["admin"])
        r = _found(client, code="a")
        assert r.status_code == 200 and "code" in r.context["form"].errors
        assert Consortium.objects.filter(code="a").count() == 1

    def test_the_secretariat_edits_its_consortium_only(self, world, client):
        client.force_login(world.users["secretariat"])
        a = world.a
        assert 'id="edit-consortium"' in client.get(f"/consortia/{a.pk}/").content.decode()
        body = {"code": "a", "name": "Consortium A", "level": "provincial", "status": "running",
                "version": a.version}  # fmt: skip
        r = client.post(f"/consortia/{a.pk}/edit/", body)
        assert r.status_code == 302
        a.refresh_from_db()
        assert (a.level, a.status, a.version) == ("provincial", "running", 2)
        entry = AuditEntry.objects.filter(event_type=int(EventType.CONSORTIUM_CHANGED)).get()
        assert entry.consortium_id == a.pk and entry.before["level"] == "municipal"
        stale = client.post(f"/consortia/{a.pk}/edit/", {**body, "level": "national"})
        assert stale.status_code == 200 and "__all__" in stale.context["form"].errors
        assert client.get(f"/consortia/{world.b.pk}/edit/").status_code == 404
        client.force_login(world.users["supervisor"])
        assert client.get(f"/consortia/{a.pk}/edit/").status_code == 403
