"""Changing an IP asset's owners and shares: version check, shares add up to 100 %, audit, and
the change checked against the IP rules as a transfer (with the same alert as the page)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.alerts.models import Alert
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import services
from gongsheng.cooperation.models import IPAsset, IPRecordedAction
from gongsheng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def _shares(asset):
    return {o.unit_id: o.share for o in asset.owners.all()}


def test_a_sole_owner_shares_its_asset(world, coop):
    a, u, sec = coop["ip own"], world.units, world.users["secretariat"]  # ent's own know-how
    before = AuditEntry.objects.count()
    saved = services.ip_owners_set(
        actor=sec, asset_id=a.pk, version=a.version,
        owners=[(u["ent"].pk, Decimal("0.6")), (u["school"].pk, Decimal("0.4"))],
    )  # fmt: skip
    assert saved.version == a.version + 1
    assert _shares(saved) == {u["ent"].pk: Decimal("0.6"), u["school"].pk: Decimal("0.4")}
    rec = IPRecordedAction.objects.get(asset=a)
    assert (rec.unit_id, rec.action, rec.counterparty_id, rec.outcome) == (
        u["ent"].pk, "transfer", u["school"].pk, "allowed",
    )  # fmt: skip
    assert not Alert.objects.filter(kind="ip_rule_breach").exists()
    events = [e.event_type for e in AuditEntry.objects.order_by("pk")[before:]]
    assert events == [EventType.IP_ACTION_RECORDED, EventType.IP_OWNERS_CHANGED]
    entry = AuditEntry.objects.get(event_type=EventType.IP_OWNERS_CHANGED)
    assert entry.before == {"owners": {str(u["ent"].pk): "1.0000"}}
    assert entry.after["owners"][str(u["school"].pk)] == "0.4"


def test_a_co_owner_giving_away_its_share_without_consent_alerts(world, coop):
    a, u, sec = coop["ip own"], world.units, world.users["secretariat"]
    a = services.ip_owners_set(
        actor=sec, asset_id=a.pk, version=a.version,
        owners=[(u["ent"].pk, Decimal("0.5")), (u["school"].pk, Decimal("0.5"))],
    )  # fmt: skip
    a = services.ip_owners_set(
        actor=sec, asset_id=a.pk, version=a.version,
        owners=[(u["ent"].pk, Decimal("0.2")), (u["school"].pk, Decimal("0.8"))],
    )  # fmt: skip
    alert = Alert.objects.get(kind="ip_rule_breach")
    assert alert.unit_id == u["ent"].pk and "co-ownership" in alert.reason
    # with the co-owner's consent recorded the same change raises nothing
    services.ip_owners_set(
        actor=sec, asset_id=a.pk, version=a.version, consent_obtained=True,
        owners=[(u["ent"].pk, Decimal("0.1")), (u["school"].pk, Decimal("0.9"))],
    )  # fmt: skip
    assert Alert.objects.filter(kind="ip_rule_breach").count() == 1


@pytest.mark.parametrize(
    ("owners", "row", "words"),
    [
        ([("ent", "0.5"), ("school", "0.4")], None, "90 %"),
        ([("ent", "0.5"), ("ent", "0.5")], 2, "twice"),
        ([("ent", "1.2"), ("school", "-0.2")], 1, "above 0"),
        ([], None, "at least one"),
    ],
)
def test_bad_owners_are_named_and_nothing_changes(world, coop, owners, row, words):
    a, u = coop["ip own"], world.units
    with pytest.raises(ValidationFailed) as exc:
        services.ip_owners_set(
            actor=world.users["secretariat"], asset_id=a.pk, version=a.version,
            owners=[(u[k].pk, Decimal(s)) for k, s in owners],
        )  # fmt: skip
    errors = [(e.field, e.row) for e in exc.value.errors if words in str(e.message)]
    assert errors and errors[0] == ("owners", row)
    fresh = IPAsset.objects.get(pk=a.pk)
    assert fresh.version == a.version and _shares(fresh) == {u["ent"].pk: Decimal(1)}
    assert not IPRecordedAction.objects.filter(asset=a).exists()


def test_a_stale_version_is_refused(world, coop):
    a, u = coop["ip own"], world.units
    owners = [(u["ent"].pk, Decimal("0.5")), (u["school"].pk, Decimal("0.5"))]
    services.ip_owners_set(actor=SYSTEM, asset_id=a.pk, version=a.version, owners=owners)
    with pytest.raises(Conflict):
        services.ip_owners_set(
            actor=world.users["secretariat"], asset_id=a.pk, version=a.version,
            owners=[(u["ent"].pk, Decimal(1))],
        )  # fmt: skip


@pytest.mark.parametrize("who", ["unit_admin", "unit_member", "supervisor", "other_consortium"])
def test_only_those_who_may_change_the_asset_change_its_owners(world, coop, who):
    a, u = coop["ip own"], world.units
    with pytest.raises((Forbidden, NotFound)):
        services.ip_owners_set(
            actor=world.users[who], asset_id=a.pk, version=a.version,
            owners=[(u["ent"].pk, Decimal("0.5")), (u["other"].pk, Decimal("0.5"))],
        )  # fmt: skip
    assert _shares(IPAsset.objects.get(pk=a.pk)) == {u["ent"].pk: Decimal(1)}


def _form(world, asset, owners, **extra):
    form = {
        "title": asset.title, "kind": asset.kind, "number": asset.number,
        "origin": asset.origin, "contract": "", "project": "", "delivered": "on",
        "value": "0", "version": asset.version,
        "owners-TOTAL_FORMS": "3", "owners-INITIAL_FORMS": "0",
        "owners-MIN_NUM_FORMS": "0", "owners-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i in range(3):
        unit, share = owners[i] if i < len(owners) else ("", "")
        form[f"owners-{i}-unit"] = world.units[unit].pk if unit else ""
        form[f"owners-{i}-share"] = share
    form.update(extra)
    return form


def test_the_edit_page_changes_owners_and_shows_problems_at_the_owners(world, coop, client):
    a, u = coop["ip own"], world.units
    client.force_login(world.users["secretariat"])
    body = client.get(f"/ip/{a.pk}/edit/").content.decode()
    assert 'id="ip-owners"' in body and 'name="owners-0-share"' in body and 'value="1' in body
    bad = client.post(f"/ip/{a.pk}/edit/", _form(world, a, [("ent", "0.5"), ("school", "0.3")]))
    html = bad.content.decode()
    assert bad.status_code == 200 and 'id="owner-errors"' in html and "80 %" in html
    twice = client.post(f"/ip/{a.pk}/edit/", _form(world, a, [("ent", "0.5"), ("ent", "0.5")]))
    html = twice.content.decode()
    row2 = html[html.index('name="owners-1-share"') :]
    assert "同一单位重复出现" in row2[: row2.index("</tr>")]  # beside the second row's share
    assert _shares(IPAsset.objects.get(pk=a.pk)) == {u["ent"].pk: Decimal(1)}
    ok = client.post(f"/ip/{a.pk}/edit/", _form(world, a, [("ent", "0.5"), ("school", "0.5")]))
    assert ok.status_code == 302
    assert _shares(IPAsset.objects.get(pk=a.pk)) == {
        u["ent"].pk: Decimal("0.5"), u["school"].pk: Decimal("0.5"),
    }  # fmt: skip


def test_the_api_replaces_owners_with_if_match(world, coop, client):
    a, u = coop["ip own"], world.units
    client.force_login(world.users["secretariat"])
    body = {"owners": [{"unit_id": u["ent"].pk, "share": "0.25"},
                       {"unit_id": u["school"].pk, "share": "0.75"}]}  # fmt: skip
    url = f"/api/ip-assets/{a.pk}/owners"
    r = client.put(url, body, content_type="application/json", headers={"If-Match": 'W/"1"'})
    assert r.status_code == 200, r.content
    assert r["ETag"] == f'W/"{a.version + 1}"'
    shares = {o["unit"]["id"]: Decimal(str(o["share"])) for o in r.json()["owners"]}
    assert shares == {u["ent"].pk: Decimal("0.25"), u["school"].pk: Decimal("0.75")}
    stale = client.put(url, body, content_type="application/json", headers={"If-Match": 'W/"1"'})
    assert stale.status_code == 409
    bad = client.put(url, {"owners": [{"unit_id": u["ent"].pk, "share": "0.5"}]},
                     content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "50 %" in bad.content.decode()
    client.force_login(world.users["unit_member"])
    assert client.put(url, body, content_type="application/json").status_code in (403, 404)
