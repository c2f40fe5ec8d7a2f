"""Access matrix for projects, contracts and IP: role × record × own / other unit / other
consortium. V = sees it exists (parties, values), C = sees its contents, W = may change it."""

from __future__ import annotations

import pytest

from gongsheng.access.scope import scope
from gongsheng.access.services import share_grant
from gongsheng.cooperation import selectors

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip

MATRIX: dict[str, list[str]] = {
    #                    admin  sec    sup   obs   uadm  umem  sadm  othc  nobody
    "project own":      ["VCW", "VCW", "VC", "VC", "VC", "VC", "VC", "",   ""],
    "project other":    ["VCW", "VCW", "VC", "VC", "VC", "VC", "VC", "",   ""],
    "project other-c":  ["VCW", "",    "",   "",   "",   "",   "",   "VC", ""],
    "input own":        ["VCW", "VCW", "VC", "",   "VC", "VC", "VC", "",   ""],
    "input other":      ["VCW", "VCW", "VC", "",   "",   "",   "",   "",   ""],
    "contract own":     ["VCW", "VCW", "V",  "",   "VC", "VC", "VC", "",   ""],
    "contract other":   ["VCW", "VCW", "V",  "",   "",   "",   "VC", "",   ""],
    "contract other-c": ["VCW", "",    "",   "",   "",   "",   "",   "VC", ""],
    "ip own":           ["VCW", "VCW", "V",  "",   "VC", "VC", "",   "",   ""],
    "ip other":         ["VCW", "VCW", "V",  "",   "",   "",   "",   "",   ""],
}  # fmt: skip


def _allowed(user, obj) -> str:
    base = type(obj)._default_manager.filter(pk=obj.pk)
    return "".join(
        letter
        for letter, action in (("V", "view"), ("C", "view_contents"), ("W", "change"))
        if scope(user, base, action).exists()
    )


@pytest.mark.parametrize("record", list(MATRIX))
def test_access_matrix(world, coop, record):
    obj = coop[record]
    got = [_allowed(world.users[role], obj) for role in ROLES]
    mismatches = [
        f"{role}: expected {exp or '-'}, got {g or '-'}"
        for role, exp, g in zip(ROLES, MATRIX[record], got, strict=True)
        if exp != g
    ]
    assert not mismatches, f"{record}: " + "; ".join(mismatches)


def test_a_party_shares_a_contract_with_a_named_unit(world, coop):
    contract = coop["contract other"]
    ent_user = world.users["unit_admin"]
    assert _allowed(ent_user, contract) == ""
    share_grant(actor=world.users["school_admin"], obj=contract, unit_id=world.units["ent"].pk)
    assert _allowed(ent_user, contract) == "VC"
    assert _allowed(world.users["unit_member"], contract) == "VC"
    assert _allowed(world.users["observer"], contract) == ""


def test_supervisors_see_parties_and_values_not_contents(world, coop, client):
    client.force_login(world.users["supervisor"])
    body = client.get("/api/contracts").json()
    assert body["count"] == 2
    row = next(c for c in body["items"] if c["id"] == coop["contract own"].pk)
    assert row["title"] is None and row["terms"] is None
    assert row["value"] == "300000.00" and len(row["parties"]) == 2
    d = selectors.contract_detail(user=world.users["supervisor"], contract_id=row["id"])
    assert not d.contents and d.obligations == [] and d.versions == []
    page = client.get(f"/contracts/{row['id']}/").content.decode()
    assert "Blade inspection development" not in page
    client.force_login(world.users["unit_admin"])
    row = client.get(f"/api/contracts/{coop['contract own'].pk}").json()
    assert row["title"] == "Blade inspection development"


def test_participants_details_stay_with_participants(world, coop, client):
    client.force_login(world.users["observer"])
    body = client.get(f"/api/projects/{coop['project own'].pk}").json()
    assert body["project"]["name"] == "Blade inspection"
    assert body["inputs"] == [] and body["ledger"] == []
    client.force_login(world.users["school_admin"])
    body = client.get(f"/api/projects/{coop['project own'].pk}").json()
    assert len(body["inputs"]) == 1


def test_other_consortium_sees_nothing_of_ours(world, coop, client):
    client.force_login(world.users["other_consortium"])
    for path, n in (("/api/projects", 1), ("/api/contracts", 1), ("/api/ip-assets", 0)):
        body = client.get(path).json()
        assert body["count"] == n, path
    assert client.get(f"/api/projects/{coop['project own'].pk}").status_code == 404
    assert client.get(f"/ip/{coop['ip own'].pk}/").status_code == 404


def test_api_creates_an_ip_asset_and_refuses_bad_shares(world, client):
    client.force_login(world.users["secretariat"])
    body = {"consortium_id": world.a.pk, "title": "Gearbox seal", "kind": "utility_model",
            "owners": [{"unit_id": world.units["ent"].pk, "share": "0.5"},
                       {"unit_id": world.units["school"].pk, "share": "0.5"}]}  # fmt: skip
    r = client.post("/api/ip-assets", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["origin"] == "own"
    body["owners"][0]["share"] = "0.7"
    r = client.post("/api/ip-assets", body, content_type="application/json")
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    client.force_login(world.users["observer"])
    body["owners"][0]["share"] = "0.5"
    assert client.post("/api/ip-assets", body, content_type="application/json").status_code == 403
