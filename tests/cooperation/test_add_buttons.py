"""The "New …" buttons follow the access policies (``access.scope.can_add``), not a role check: a
role sees a button exactly when the service would let it add the record."""

from __future__ import annotations

import pytest

from gongsheng.access.scope import can_add
from gongsheng.cooperation.models import Contract, IPAsset, Project
from gongsheng.sharing.models import Quota, SharedResource

pytestmark = pytest.mark.django_db

PAGES = {
    "projects": ("/consortia/{c}/projects/", 'id="new-project"', Project, can_add),
    "contracts": ("/consortia/{c}/contracts/", 'id="new-contract"', Contract, can_add),
    "ip": ("/consortia/{c}/ip/", 'id="new-ip"', IPAsset, can_add),
    "resources": ("/consortia/{c}/resources/", 'id="new-resource"', SharedResource,
                  can_add),
    "quotas": ("/consortia/{c}/quotas/", 'id="quota-form"', Quota, can_add),
}  # fmt: skip
# role -> pages whose button it sees in consortium A
SEES = {
    "admin": set(PAGES),
    "secretariat": set(PAGES),
    "unit_admin": {"resources", "quotas"},
    "school_admin": {"resources", "quotas"},
    "unit_member": set(),
    "supervisor": set(),
    "observer": set(),
}


@pytest.mark.parametrize("who", sorted(SEES))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_buttons_follow_the_policy(world, client, who, page):
    url, marker, model, may_add = PAGES[page]
    user = world.users[who]
    expected = page in SEES[who]
    assert may_add(user, model, consortium_id=world.a.pk) is expected
    client.force_login(user)
    r = client.get(url.format(c=world.a.pk))
    assert r.status_code == 200
    assert (marker in r.content.decode()) is expected


@pytest.mark.parametrize("who", ["secretariat", "unit_admin", "nobody"])
def test_nobody_adds_to_a_consortium_it_has_no_role_in(world, who):
    for model, may_add in ((Contract, can_add), (SharedResource, can_add)):
        assert not may_add(world.users[who], model, consortium_id=world.b.pk)
    # B's unit admin adds its own unit's resources there, but no contracts
    user = world.users["other_consortium"]
    assert can_add(user, SharedResource, consortium_id=world.b.pk)
    assert not can_add(user, Contract, consortium_id=world.b.pk)


def test_a_unit_admin_adds_resources_only_for_its_own_unit(world):
    user, u = world.users["unit_admin"], world.units
    assert can_add(user, SharedResource, consortium_id=world.a.pk, owner_id=u["ent"].pk)
    assert not can_add(user, SharedResource, consortium_id=world.a.pk, owner_id=u["school"].pk)
    assert can_add(world.users["secretariat"], SharedResource, consortium_id=world.a.pk,
                           owner_id=u["school"].pk)  # fmt: skip


@pytest.mark.parametrize(
    ("who", "sees_button"),
    [("secretariat", True), ("admin", True), ("supervisor", False), ("unit_admin", False)],
)
def test_the_acknowledge_button_follows_the_alert_policy(world, client, who, sees_button):
    alert = world.extra["alert_ent"]
    client.force_login(world.users[who])
    html = client.get(f"/consortia/{world.a.pk}/alerts/").content.decode()
    assert "Alert about ent" in html  # each of them sees the alert
    assert (f"/alerts/{alert.pk}/acknowledge/" in html) is sees_button


@pytest.mark.parametrize(("who", "owners"), [("secretariat", {"gov", "school", "ent", "other"}),
                                             ("unit_admin", {"ent"})])  # fmt: skip
def test_the_owner_choices_of_a_new_resource_follow_the_policy(world, client, who, owners):
    import re

    client.force_login(world.users[who])
    html = client.get(f"/consortia/{world.a.pk}/resources/new/").content.decode()
    select = html[html.index('name="owner"') : html.index("</select>", html.index('name="owner"'))]
    offered = {int(v) for v in re.findall(r'value="(\d+)"', select)}
    assert offered == {world.units[k].pk for k in owners}
