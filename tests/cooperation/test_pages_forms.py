"""Create and edit pages for contracts and IP assets: hidden version, errors, access."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongsheng.cooperation.models import Contract

pytestmark = pytest.mark.django_db

CONFLICT = "其他人已修改了这条记录"


def _contract_form(world, **extra):
    u = world.units
    form = {
        "code": "HT-9", "title": "Sensor co-development", "type": "cooperative_dev",
        "status": "draft", "value": "1000", "benefit_method": "fixed", "terms": "",
        "signed_on": "", "starts_on": "", "ends_on": "", "version": "",
        "parties-TOTAL_FORMS": "3", "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "1000",
        "parties-0-unit": u["ent"].pk, "parties-0-role": "co_developer", "parties-0-share": "0.5",
        "parties-1-unit": u["school"].pk, "parties-1-role": "co_developer",
        "parties-1-share": "0.5",
        "parties-2-unit": "", "parties-2-role": "", "parties-2-share": "",
    }  # fmt: skip
    form.update(extra)
    return form


def test_a_contract_is_created_and_edited_on_its_pages(world, client):
    client.force_login(world.users["secretariat"])
    body = client.get(f"/consortia/{world.a.pk}/contracts/").content.decode()
    assert 'id="new-contract"' in body
    assert client.get(f"/consortia/{world.a.pk}/contracts/new/").status_code == 200
    r = client.post(f"/consortia/{world.a.pk}/contracts/new/", _contract_form(world))
    assert r.status_code == 302, r.content.decode()
    c = Contract.objects.get(title="Sensor co-development")
    assert sorted(c.parties.values_list("unit_id", flat=True)) == sorted(
        [world.units["ent"].pk, world.units["school"].pk]
    )
    assert 'id="edit-contract"' in client.get(f"/contracts/{c.pk}/").content.decode()
    body = client.get(f"/contracts/{c.pk}/edit/").content.decode()
    assert 'name="version"' in body and "Sensor co-development" in body
    r = client.post(
        f"/contracts/{c.pk}/edit/",
        _contract_form(
            world,
            title="Renamed",
            version=c.version,
            **{"parties-2-unit": world.units["other"].pk, "parties-2-role": "party"},
        ),
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.title == "Renamed" and c.parties.count() == 3 and c.versions.count() == 2


def test_contract_errors_are_shown_beside_their_fields(world, client):
    client.force_login(world.users["secretariat"])
    r = client.post(
        f"/consortia/{world.a.pk}/contracts/new/",
        _contract_form(world, **{"parties-1-unit": ""}),
    )
    assert r.status_code == 200
    assert 'class="errorlist' in r.content.decode()
    assert not Contract.objects.filter(title="Sensor co-development").exists()


def test_a_stale_contract_version_is_refused(world, coop, client):
    c = coop["contract own"]
    client.force_login(world.users["secretariat"])
    url = f"/contracts/{c.pk}/edit/"
    form = _contract_form(world, version=c.version, title="First")
    assert client.post(url, form).status_code == 302
    body = client.post(url, {**form, "title": "Second"}).content.decode()
    assert CONFLICT in body
    assert Contract.objects.get(pk=c.pk).title == "First"


@pytest.mark.parametrize("who", ["observer", "nobody", "other_consortium", "supervisor"])
def test_contract_edit_needs_the_right(world, coop, client, who):
    c = coop["contract own"]
    client.force_login(world.users[who])
    assert client.get(f"/contracts/{c.pk}/edit/").status_code in (403, 404)
    r = client.post(f"/contracts/{c.pk}/edit/", _contract_form(world, version=c.version))
    assert r.status_code in (403, 404)
    assert Contract.objects.get(pk=c.pk).title == c.title
    body = client.get(f"/contracts/{c.pk}/").content.decode()
    assert 'id="edit-contract"' not in body


def test_contract_create_needs_the_right(world, client):
    client.force_login(world.users["other_consortium"])
    r = client.post(f"/consortia/{world.a.pk}/contracts/new/", _contract_form(world))
    assert r.status_code in (403, 404)
    assert not Contract.objects.filter(title="Sensor co-development").exists()


# --- IP assets ---------------------------------------------------------------------------
def _ip_form(world, **extra):
    form = {
        "title": "Blade scanner software", "kind": "software_copyright", "number": "",
        "origin": "own", "contract": "", "project": "", "delivered": "on", "value": "0",
        "version": "",
        "owners-TOTAL_FORMS": "3", "owners-INITIAL_FORMS": "0",
        "owners-MIN_NUM_FORMS": "0", "owners-MAX_NUM_FORMS": "1000",
        "owners-0-unit": world.units["ent"].pk, "owners-0-share": "0.7",
        "owners-1-unit": world.units["school"].pk, "owners-1-share": "0.3",
        "owners-2-unit": "", "owners-2-share": "",
    }  # fmt: skip
    form.update(extra)
    return form


def test_an_ip_asset_is_created_and_edited_on_its_pages(world, client):
    from gongsheng.cooperation.models import IPAsset

    client.force_login(world.users["secretariat"])
    assert 'id="new-ip"' in client.get(f"/consortia/{world.a.pk}/ip/").content.decode()
    assert client.get(f"/consortia/{world.a.pk}/ip/new/").status_code == 200
    r = client.post(f"/consortia/{world.a.pk}/ip/new/", _ip_form(world))
    assert r.status_code == 302, r.content.decode()
    a = IPAsset.objects.get(title="Blade scanner software")
    assert sorted(a.owners.values_list("share", flat=True)) == [Decimal("0.3"), Decimal("0.7")]
    assert 'id="edit-ip"' in client.get(f"/ip/{a.pk}/").content.decode()
    body = client.get(f"/ip/{a.pk}/edit/").content.decode()
    assert 'name="version"' in body and "Blade scanner software" in body
    r = client.post(f"/ip/{a.pk}/edit/", _ip_form(world, title="Renamed", version=a.version))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.title == "Renamed" and a.owners.count() == 2


def test_ip_owner_shares_must_add_up(world, client):
    from gongsheng.cooperation.models import IPAsset

    client.force_login(world.users["secretariat"])
    r = client.post(
        f"/consortia/{world.a.pk}/ip/new/", _ip_form(world, **{"owners-1-share": "0.1"})
    )
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode()
    assert not IPAsset.objects.filter(title="Blade scanner software").exists()


def test_a_stale_ip_version_is_refused(world, coop, client):
    from gongsheng.cooperation.models import IPAsset

    a = coop["ip own"]
    client.force_login(world.users["secretariat"])
    url = f"/ip/{a.pk}/edit/"
    form = _ip_form(world, version=a.version, title="First", kind="know_how")
    assert client.post(url, form).status_code == 302
    body = client.post(url, {**form, "title": "Second"}).content.decode()
    assert CONFLICT in body
    assert IPAsset.objects.get(pk=a.pk).title == "First"


@pytest.mark.parametrize("who", ["observer", "nobody", "other_consortium", "school_admin"])
def test_ip_edit_needs_the_right(world, coop, client, who):
    from gongsheng.cooperation.models import IPAsset

    a = coop["ip own"]  # ent's know-how
    client.force_login(world.users[who])
    assert client.get(f"/ip/{a.pk}/edit/").status_code in (403, 404)
    r = client.post(f"/ip/{a.pk}/edit/", _ip_form(world, version=a.version))
    assert r.status_code in (403, 404)
    assert IPAsset.objects.get(pk=a.pk).title == a.title
