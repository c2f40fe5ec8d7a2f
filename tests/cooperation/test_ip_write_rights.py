"""Who may license an IP asset or record an action on it, asked through the API, the page and
the import (the Trust issue, point 1): the secretariat for any owner or licensee; a unit admin
only for its own unit's share or licence; never supervisors, observers or unit members; the
licensee and the counterparty are members of the asset's consortium. Nothing is written when
refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.access.services import token_create
from gongsheng.cooperation.models import IPRecordedAction, Licence
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource

pytestmark = pytest.mark.django_db


def _auth(user):
    raw = token_create(actor=user, user=user, name="t")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _licence(client, user, asset, licensor, licensee):
    return client.post(
        f"/api/ip-assets/{asset.pk}/licences",
        {"licensor_id": licensor.pk, "licensee_id": licensee.pk, "kind": "general",
         "starts_on": "2025-03-01"},
        content_type="application/json", **_auth(user),
    )  # fmt: skip


def _action(client, user, asset, unit, counterparty=None):
    body = {"unit_id": unit.pk, "action": "transfer", "on": "2025-03-01"}
    if counterparty is not None:
        body["counterparty_id"] = counterparty.pk
    return client.post(
        f"/api/ip-assets/{asset.pk}/actions", body, content_type="application/json",
        **_auth(user),
    )  # fmt: skip


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# (role, asset key, licensor key, licensee key) -> expected status
LICENCE_CASES = [
    ("secretariat", "ip own", "ent", "school", 201),
    ("unit_admin", "ip own", "ent", "school", 201),  # its own unit's share
    ("unit_member", "ip own", "ent", "school", 403),  # read-only role
    ("supervisor", "ip own", "ent", "school", 403),  # sees that it exists, writes nothing
    ("observer", "ip own", "ent", "school", 404),  # may not even see it
    ("unit_admin", "ip own", "other", "school", 422),  # in another unit's name
    ("unit_admin", "ip own", "ent", "x", 422),  # licensee of another consortium
    ("unit_admin", "ip other", "other", "ent", 404),  # not an owner: not its to see
    ("school_admin", "ip own", "ent", "school", 404),
    ("other_consortium", "ip own", "ent", "x", 404),
]


@pytest.mark.parametrize(("role", "asset", "licensor", "licensee", "status"), LICENCE_CASES)
def test_licence_rights(world, coop, client, role, asset, licensor, licensee, status):
    u = world.units
    response = _licence(client, world.users[role], coop[asset], u[licensor], u[licensee])
    assert response.status_code == status, response.content
    if status == 422:
        assert _fields(response) == {"licensor_id" if licensor != "ent" else "licensee_id"}
    if status != 201:
        assert not Licence.objects.exists()
        assert not IPRecordedAction.objects.exists()


def test_recorded_actions_follow_the_same_rights(world, coop, client):
    u, users = world.units, world.users
    asset = coop["ip own"]
    assert _action(client, users["unit_member"], asset, u["ent"]).status_code == 403
    assert _action(client, users["supervisor"], asset, u["ent"]).status_code == 403
    refused = _action(client, users["unit_admin"], asset, u["other"])
    assert refused.status_code == 422 and _fields(refused) == {"unit_id"}
    outside = _action(client, users["unit_admin"], asset, u["ent"], counterparty=u["x"])
    assert outside.status_code == 422 and _fields(outside) == {"counterparty_id"}
    assert not IPRecordedAction.objects.exists()
    ok = _action(client, users["unit_admin"], asset, u["ent"], counterparty=u["school"])
    assert ok.status_code == 201
    assert IPRecordedAction.objects.get().unit_id == u["ent"].pk


def test_the_page_shows_the_forms_only_to_who_may_record(world, coop, client):
    url = f"/ip/{coop['ip own'].pk}/"
    client.force_login(world.users["unit_member"])
    page = client.get(url).content.decode()
    assert 'id="licence-form"' not in page and 'id="action-form"' not in page
    client.force_login(world.users["unit_admin"])
    page = client.get(url).content.decode()
    assert 'id="licence-form"' in page and 'id="action-form"' in page
    # a unit admin licenses only in its own unit's name: the licensor choice is its unit
    form = page[page.index('id="licence-form"') :]
    licensor = form[form.index('name="licensor"') : form.index("</select>")]
    assert f'value="{world.units["ent"].pk}"' in licensor
    assert f'value="{world.units["other"].pk}"' not in licensor
    # a forged post in another unit's name writes nothing
    client.post(
        f"/ip/{coop['ip own'].pk}/record/licence/",
        {"licensor": world.units["other"].pk, "licensee": world.units["school"].pk,
         "kind": "general", "starts_on": "2025-03-01"},
    )  # fmt: skip
    assert not Licence.objects.exists()


def test_a_licence_import_in_another_units_name_is_refused(world, coop):
    from gongsheng.cooperation import services

    services.ip_asset_update(actor=SYSTEM, asset_id=coop["ip own"].pk, version=None, number="K-1")
    u = world.units
    book = Workbook()
    book.active.append(["asset", "licensor", "licensee", "kind", "starts_on"])
    book.active.append(["K-1", u["other"].credit_code, u["school"].credit_code, "general",
                        "2025-03-01"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed) as exc:
        run_import(
            get_resource("licences"), filename="t.xlsx", data=out.getvalue(),
            context=RowContext(actor=world.users["unit_admin"], consortium_id=world.a.pk),
        )  # fmt: skip
    assert {(e.row, e.field) for e in exc.value.errors} == {(2, "licensor")}
    assert not Licence.objects.exists()
