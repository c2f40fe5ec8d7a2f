"""The contract's standard tests (``tests.support.declared``): data and the expected rights,
then what is the contract's own (parties, numbered versions, confidential contents)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.consortia.services import unit_create
from gongsheng.cooperation.models import Contract, ContractVersion
from gongsheng.cooperation.services import contract_create, contract_update
from gongsheng.core.errors import ValidationFailed
from tests.support.declared import StandardData, StandardTests
from tests.support.world import code

pytestmark = pytest.mark.django_db

SEE = {"view"}
EDIT = {"view", "add", "change"}  # contracts are not deleted
NONE: set[str] = set()
#: role -> (a contract of ent and school, of other and school, of consortium B's x and y):
#: confidential; the secretariat writes them, the parties' people read them, a supervisor sees
#: that they exist (tests/cooperation/test_access.py's matrix)
RIGHTS = {
    "admin": (EDIT, EDIT, EDIT),
    "secretariat": (EDIT, EDIT, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (NONE, NONE, NONE),
    "unit_admin": (SEE, NONE, NONE),  # ent's admin: a party only to the first
    "unit_member": (SEE, NONE, NONE),
    "school_admin": (SEE, SEE, NONE),  # the school is a party to both
    "other_consortium": (NONE, NONE, SEE),  # x's admin in consortium B
    "nobody": (NONE, NONE, NONE),
}
PARTIES = {"own": ("ent", "school"), "other": ("other", "school"), "b": ("x", "y")}
_codes = itertools.count(1)


def _units(world, where):
    if where == "b" and "y" not in world.units:  # B's second member, for a contract there
        world.units["y"] = unit_create(
            actor=SYSTEM, consortium_id=world.b.pk, credit_code=code(98, "91"), joined_on=dt.date(2024, 1, 1),
            name="Unit y", type="enterprise",
        )  # fmt: skip
    return [world.units[k] for k in PARTIES[where]]


def _parties(world, where):
    first, second = _units(world, where)
    return [{"unit_id": first.pk, "role": "commissioning", "share": Decimal("0.6")},
            {"unit_id": second.pk, "role": "developer", "share": Decimal("0.4")}]  # fmt: skip


def _make(world, where):
    return contract_create(
        actor=SYSTEM, consortium_id=(world.b if where == "b" else world.a).pk,
        code=f"HT-{where}-{next(_codes)}", title=f"Contract {where}", type="commissioned_dev",
        value=Decimal(1000), parties=_parties(world, where),
    )  # fmt: skip


def _form(world, where):
    first, second = _units(world, where)
    return {
        "code": f"HT-F-{next(_codes)}", "title": f"Formed {where}", "type": "cooperative_dev",
        "status": "draft", "value": "1000", "benefit_method": "fixed", "terms": "",
        "signed_on": "", "starts_on": "", "ends_on": "",
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "1000",
        "parties-0-unit": first.pk, "parties-0-role": "co_developer", "parties-0-share": "0.5",
        "parties-1-unit": second.pk, "parties-1-role": "co_developer", "parties-1-share": "0.5",
    }  # fmt: skip


def _api_create(world, where):
    parties = [{**p, "share": str(p["share"])} for p in _parties(world, where)]
    return {"consortium_id": (world.b if where == "b" else world.a).pk,
            "title": f"Posted {where}", "type": "framework", "parties": parties}  # fmt: skip


class TestContracts(StandardTests):
    data = StandardData(
        model=Contract,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"title": f"Patched {where}", "status": "in_force"},
        rights=RIGHTS,
    )


# --- what is the contract's own -------------------------------------------------------
def test_every_write_keeps_a_numbered_version_with_its_note(world):
    c = _make(world, "own")
    contract_update(actor=SYSTEM, contract_id=c.pk, version=1, value=Decimal(5), note="raised")
    nothing = contract_update(actor=SYSTEM, contract_id=c.pk, version=2, value=Decimal(5))
    assert nothing.version == 2, "a change that changes nothing writes nothing"
    versions = list(ContractVersion.objects.filter(contract=c).order_by("number"))
    assert [(v.number, v.note) for v in versions] == [(1, "created"), (2, "raised")]
    assert Decimal(versions[1].data["value"]) == 5 and len(versions[1].data["parties"]) == 2


def test_a_change_of_parties_alone_is_a_change(world):
    c = _make(world, "own")
    parties = _parties(world, "own")
    same = contract_update(actor=SYSTEM, contract_id=c.pk, version=1, parties=parties)
    assert same.version == 1
    parties[1] = {**parties[1], "unit_id": world.units["other"].pk}
    moved = contract_update(actor=SYSTEM, contract_id=c.pk, version=1, parties=parties)
    assert moved.version == 2
    assert set(moved.parties.values_list("unit_id", flat=True)) == {
        world.units["ent"].pk,
        world.units["other"].pk,
    }
    assert AuditEntry.objects.filter(
        event_type=EventType.CONTRACT_CHANGED, object_id=c.pk
    ).count() == 1  # fmt: skip


@pytest.mark.parametrize(
    ("parties", "problem"),
    [
        ([("ent", "developer", None)], "a contract has at least two parties"),
        ([("ent", "developer", "0.7"), ("school", "developer", "0.7")], "more than 1"),
        ([("ent", "developer", None), ("ent", "school", None)], "a unit is named twice"),
        ([("ent", "chief", None), ("school", "school", None)], "unknown role"),
    ],
)
def test_bad_parties_are_refused_naming_the_field(world, parties, problem):
    rows = [{"unit_id": world.units[u].pk, "role": r, "share": s and Decimal(s)}
            for u, r, s in parties]  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        contract_create(actor=SYSTEM, consortium_id=world.a.pk, title="Bad", type="framework",
                        parties=rows)  # fmt: skip
    assert any(e.field == "parties" and problem in str(e.message) for e in exc.value.errors)
    assert not Contract.objects.filter(title="Bad").exists()


def test_the_api_patch_changes_parties_and_hides_contents_from_supervisors(world, client):
    c = _make(world, "own")
    client.force_login(world.users["secretariat"])
    parties = [{"unit_id": world.units[k].pk, "role": "party"} for k in ("ent", "other")]
    r = client.patch(f"/api/contracts/{c.pk}", json.dumps({"parties": parties, "note": "swap"}),
                     content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
    assert r.status_code == 200 and r["ETag"] == 'W/"2"'
    assert {p["unit"]["id"] for p in r.json()["parties"]} == {
        world.units["ent"].pk,
        world.units["other"].pk,
    }
    assert ContractVersion.objects.get(contract=c, number=2).note == "swap"
    bad = client.patch(f"/api/contracts/{c.pk}", json.dumps({"parties": parties[:1]}),
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "parties" in bad.content.decode()
    client.force_login(world.users["supervisor"])
    row = client.get(f"/api/contracts/{c.pk}").json()
    assert row["title"] is None and row["terms"] is None and row["value"] == "1000.00"


def test_each_save_says_what_changed(world, client):
    client.force_login(world.users["secretariat"])
    r = client.post(f"/consortia/{world.a.pk}/contracts/new/", _form(world, "own"), follow=True)
    assert "合同已创建（第 1 版）。" in r.content.decode()
    c = r.context["c"]
    form = {**_form(world, "own"), "code": c.code, "title": "Renamed", "value": "2000",
            "version": 1}  # fmt: skip
    r = client.post(f"/contracts/{c.pk}/edit/", form, follow=True)
    assert "已保存为第 2 版；变更：名称、价值（元）。" in r.content.decode()
    r = client.post(f"/contracts/{c.pk}/edit/", {**form, "version": 2}, follow=True)
    assert "没有任何变更。" in r.content.decode()
