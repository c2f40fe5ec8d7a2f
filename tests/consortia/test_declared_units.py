"""The unit's standard tests (``tests.support.declared``): data and the expected rights, and
what is the unit's own: the new unit's credit code and its application."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Membership, Unit
from gongsheng.consortia.services import unit_create
from tests.support.declared import StandardData, StandardTests
from tests.support.world import code

pytestmark = pytest.mark.django_db

SEE, NONE = {"view"}, set()
EDIT = {"view", "change"}
ALL = {"view", "add", "change"}  # units are never deleted: memberships end instead
#: role -> (the unit ent, another unit of A, the unit x of consortium B): the directory is
#: public within a consortium; a unit admin edits its own unit; only the secretariat (and
#: platform admins) register new units
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (EDIT, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, EDIT),
    "nobody": (NONE, NONE, NONE),
}
_numbers = itertools.count(500)


def _fresh() -> str:
    return code(next(_numbers))


def _make(world, where: str) -> Unit:
    if where == "own":
        return world.units["ent"]
    if where == "b":
        return world.units["x"]
    return unit_create(
        actor=SYSTEM, consortium_id=world.a.pk, credit_code=_fresh(), name="Another unit",
        type="enterprise",
    )  # fmt: skip


def _form(world, where: str) -> dict:
    return {"credit_code": _fresh(), "name": f"Unit {where} (form)", "type": "enterprise",
            "city": "杭州"}  # fmt: skip


class TestUnits(StandardTests):
    data = StandardData(
        model=Unit,
        make=_make,
        form=_form,
        api_create=lambda world, where: {
            "credit_code": _fresh(),
            "name": "New unit",
            "type": "research_institute",
            "consortium_id": (world.b if where == "b" else world.a).pk,
        },
        api_patch=lambda world, where: {"city": f"City {where}"},
        rights=RIGHTS,
    )


class TestNewUnitPage:
    def test_a_new_unit_applies_for_membership(self, world, client):
        client.force_login(world.users["secretariat"])
        cc = _fresh()
        r = client.post(
            f"/consortia/{world.a.pk}/units/new/",
            {"credit_code": cc.lower(), "name": "新单位", "type": "enterprise"},
        )
        unit = Unit.objects.get(credit_code=cc)
        assert r.status_code == 302 and r["Location"] == f"/units/{unit.pk}/"
        m = Membership.objects.get(unit=unit)
        assert (m.consortium_id, m.status, m.joined_on) == (world.a.pk, "applied", None)

    def test_a_wrong_check_character_is_refused_at_the_field_in_chinese(self, world, client):
        client.force_login(world.users["secretariat"])
        good = _fresh()
        wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
        before = Unit.objects.count()
        with translation.override("zh-hans"):
            r = client.post(
                f"/consortia/{world.a.pk}/units/new/",
                {"credit_code": wrong, "name": "新单位", "type": "enterprise"},
                headers={"Accept-Language": "zh-hans"},
            )
        assert r.status_code == 200 and Unit.objects.count() == before
        errors = r.context["form"].errors
        assert list(errors) == ["credit_code"]
        assert "统一社会信用代码的校验码应为" in errors["credit_code"][0]
        assert good[-1] in errors["credit_code"][0]

    def test_each_save_says_what_it_did(self, world, client):
        from django.contrib.messages import get_messages

        from gongsheng.consortia.forms import UNIT_FIELDS

        def message(response) -> str:
            return [str(m) for m in get_messages(response.wsgi_request)][-1]

        client.force_login(world.users["secretariat"])
        r = client.post(
            f"/consortia/{world.a.pk}/units/new/",
            {"credit_code": _fresh(), "name": "新单位", "type": "enterprise"},
        )
        assert message(r) == "已登记单位“新单位”，其入会申请已进入待审批队列。"
        unit = Unit.objects.get(name="新单位")
        form = {**{f: getattr(unit, f) for f in UNIT_FIELDS}, "version": unit.version}
        r = client.post(f"/units/{unit.pk}/edit/", {**form, "city": "杭州"})
        assert message(r) == "已保存单位“新单位”，修改了：城市。"
        r = client.post(f"/units/{unit.pk}/edit/", {**form, "city": "杭州", "version": 2})
        assert message(r) == "单位“新单位”：没有修改任何内容。"

    def test_membership_moves_name_the_unit(self, world, client):
        from django.contrib.messages import get_messages

        client.force_login(world.users["secretariat"])
        m = world.memberships["other"]
        r = client.post(
            f"/memberships/{m.pk}/withdraw/", {"note": "业务调整", "version": m.version}
        )
        assert [str(x) for x in get_messages(r.wsgi_request)] == ["已登记退出：Unit other。"]

    def test_the_directory_offers_the_new_unit_to_the_secretariat_only(self, world, client):
        url = f"/consortia/{world.a.pk}/units/"
        client.force_login(world.users["secretariat"])
        assert 'id="new-record"' in client.get(url).content.decode()
        client.force_login(world.users["unit_admin"])
        assert 'id="new-record"' not in client.get(url).content.decode()
        assert client.get(f"/consortia/{world.a.pk}/units/new/").status_code == 403

    def test_directory_filters_by_membership_within_the_consortium(self, world, client):
        from gongsheng.consortia.services import membership_transition

        membership_transition(
            actor=SYSTEM, membership_id=world.memberships["other"].pk, to_status="withdrawn"
        )
        client.force_login(world.users["secretariat"])
        r = client.get(f"/consortia/{world.a.pk}/units/", {"status": "withdrawn"})
        assert [u.name for u in r.context["page"].object_list] == ["Unit other"]
        api = client.get("/api/units", {"consortium": world.a.pk, "status": "admitted"}).json()
        assert "Unit other" not in {u["name"] for u in api["items"]}
