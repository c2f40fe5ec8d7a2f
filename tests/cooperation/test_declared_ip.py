"""The IP asset's standard tests (``tests.support.declared``): data and the expected rights,
then what is the asset's own (owners, a change of shares through the edit page and PATCH)."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation.models import IPAsset, IPRecordedAction
from gongsheng.cooperation.services import ip_asset_create
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

SEE = {"view"}
EDIT = {"view", "add", "change"}  # IP assets are not deleted
NONE: set[str] = set()
#: role -> (an asset owned by ent, by other, by consortium B's x): confidential; the
#: secretariat writes them, the owners' people read them, a supervisor sees that they exist
#: (tests/cooperation/test_access.py's matrix)
RIGHTS = {
    "admin": (EDIT, EDIT, EDIT),
    "secretariat": (EDIT, EDIT, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (NONE, NONE, NONE),
    "unit_admin": (SEE, NONE, NONE),  # ent's admin
    "unit_member": (SEE, NONE, NONE),
    "school_admin": (NONE, NONE, NONE),
    "other_consortium": (NONE, NONE, SEE),  # x's admin in consortium B
    "nobody": (NONE, NONE, NONE),
}
OWNER = {"own": "ent", "other": "other", "b": "x"}
_numbers = itertools.count(1)


def _consortium(world, where):
    return world.b if where == "b" else world.a


def _make(world, where):
    return ip_asset_create(
        actor=SYSTEM, consortium_id=_consortium(world, where).pk, title=f"Method {where}",
        kind="know_how", number=f"IP-{where}-{next(_numbers)}",
        owners=[(world.units[OWNER[where]].pk, Decimal(1))],
    )  # fmt: skip


def _form(world, where):
    return {
        "title": f"Formed {where}", "kind": "software_copyright", "number": f"F-{next(_numbers)}",
        "origin": "own", "contract": "", "project": "", "delivered": "on", "value": "10",
        "owners-TOTAL_FORMS": "2", "owners-INITIAL_FORMS": "0", "owners-MIN_NUM_FORMS": "0",
        "owners-MAX_NUM_FORMS": "1000", "owners-0-unit": world.units[OWNER[where]].pk,
        "owners-0-share": "1", "owners-1-unit": "", "owners-1-share": "",
    }  # fmt: skip


def _api_create(world, where):
    return {"consortium_id": _consortium(world, where).pk, "title": f"Posted {where}",
            "kind": "know_how", "owners": [{"unit_id": world.units[OWNER[where]].pk,
                                            "share": "1"}]}  # fmt: skip


class TestIPAssets(StandardTests):
    data = StandardData(
        model=IPAsset,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"title": f"Patched {where}", "value": "5"},
        rights=RIGHTS,
    )


# --- what is the asset's own ----------------------------------------------------------
def test_a_patch_of_owners_is_a_transfer_checked_by_the_rules(world, client):
    asset = _make(world, "own")
    client.force_login(world.users["secretariat"])
    owners = [{"unit_id": world.units["ent"].pk, "share": "0.5"},
              {"unit_id": world.units["school"].pk, "share": "0.5"}]  # fmt: skip
    r = client.patch(f"/api/ip-assets/{asset.pk}",
                     json.dumps({"title": "Shared method", "owners": owners}),
                     content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
    assert r.status_code == 200, r.content
    assert r["ETag"] == 'W/"3"'  # the fields, then the owners
    assert {o["unit"]["id"] for o in r.json()["owners"]} == {
        world.units["ent"].pk,
        world.units["school"].pk,
    }
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(IPAsset)
    events = AuditEntry.objects.filter(content_type=ct, object_id=asset.pk).order_by("id")
    assert [e.event_type for e in events] == [
        EventType.IP_ASSET_CREATED,
        EventType.IP_ASSET_CHANGED,
        EventType.IP_OWNERS_CHANGED,
    ]
    transfer = IPRecordedAction.objects.get(asset=asset)
    assert (transfer.unit_id, transfer.action) == (world.units["ent"].pk, "transfer")


def test_a_patch_with_bad_owners_changes_nothing(world, client):
    asset = _make(world, "own")
    client.force_login(world.users["secretariat"])
    owners = [{"unit_id": world.units["ent"].pk, "share": "0.6"}]
    r = client.patch(f"/api/ip-assets/{asset.pk}",
                     json.dumps({"title": "Renamed", "owners": owners}),
                     content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "owners" in r.content.decode()
    asset.refresh_from_db()
    assert (asset.title, asset.version) == ("Method own", 1)


def test_the_api_hides_the_origin_from_those_who_see_only_that_it_exists(world, client):
    asset = _make(world, "own")
    client.force_login(world.users["supervisor"])
    row = client.get(f"/api/ip-assets/{asset.pk}").json()
    assert row["origin"] is None and row["value"] == "0.00"
    client.force_login(world.users["unit_admin"])
    assert client.get(f"/api/ip-assets/{asset.pk}").json()["origin"] == "own"
