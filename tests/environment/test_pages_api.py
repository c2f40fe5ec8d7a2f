"""Pages and API of the policy register: lists filter and page with constant query counts,
forms save and refuse stale versions, withdraw / delete / evidence, the API's ETag and
If-Match, the incentive amounts page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gongsheng.attachments.models import Attachment
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.environment.models import PublicPolicy
from tests.environment.support import make_policy
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

_ROUND = [0]


def _grow(world, n=4):
    def grow():
        _ROUND[0] += 1
        for i in range(n):
            make_policy(
                world, title=f"grown {_ROUND[0]}-{i}",
                target_unit_ids=[world.units["ent"].pk, world.units["school"].pk],
                kind="tax" if i % 2 else "fiscal",
            )  # fmt: skip

    return grow


@pytest.mark.parametrize(
    "role", ["admin", "secretariat", "supervisor", "observer", "unit_admin", "school_admin"]
)
def test_every_page_renders_for_every_role(world, client, role):
    _grow(world, 3)()
    p = PublicPolicy.objects.first()
    client.force_login(world.users[role])
    a = world.a.pk
    for url in [
        f"/consortia/{a}/policies/",
        f"/consortia/{a}/policies/?kind=tax&classification=positive&year=2025&q=grown",
        f"/consortia/{a}/incentives/?year=2025",
        f"/policies/{p.pk}/",
        f"/policies/{p.pk}/comparison/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_list_filters(world, client):
    make_policy(world, title="tax one", kind="tax", instrument="tax_relief")
    make_policy(world, title="old", effective_from=dt.date(2020, 1, 1),
                effective_to=dt.date(2021, 12, 31))  # fmt: skip
    make_policy(world, title="bad", classification="negative", classification_reason="r")
    client.force_login(world.users["observer"])
    url = f"/consortia/{world.a.pk}/policies/"

    def titles(query):
        html = client.get(url + query).content.decode()
        return {t for t in ("tax one", "old", "bad") if f">{t}<" in html}

    assert titles("") == {"tax one", "old", "bad"}
    assert titles("?kind=tax") == {"tax one"}
    assert titles("?classification=negative") == {"bad"}
    assert titles("?year=2021") == {"old"}
    assert titles("?year=2025") == {"tax one", "bad"}
    part = client.get(
        url + "?kind=tax", headers={"HX-Request": "true", "HX-Target": "policy-table"}
    )
    assert b"<html" not in part.content and b"tax one" in part.content


def test_list_page_and_api_query_counts_are_constant(world, client):
    client.force_login(world.users["secretariat"])
    grow = _grow(world)
    grow()
    a = world.a.pk
    assert_constant_queries(lambda: client.get(f"/consortia/{a}/policies/"), grow)
    assert_constant_queries(lambda: client.get(f"/api/policies?consortium={a}"), grow)
    assert_constant_queries(lambda: client.get(f"/consortia/{a}/incentives/?year=2025"), grow)
    body = client.get(f"/api/policies?consortium={a}&limit=5").json()
    assert body["count"] == 16 and len(body["items"]) == 5


def _form(policy=None, **overrides):
    data = {
        "title": "Land for a training base", "number": "No. 7", "issuer": "Park committee",
        "level": "park", "kind": "land", "instrument": "land_supply", "groups": ["enterprise"],
        "effective_from": "2025-03-01", "effective_to": "", "amount": "3600000",
        "amount_basis": "total", "quantity": "", "classification": "positive",
        "classification_reason": "cheap land", "notes": "", "issued_on": "",
    }  # fmt: skip
    if policy is not None:
        data["version"] = policy.version
    data.update(overrides)
    return data


def test_create_and_edit_pages(world, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    r = client.post(f"/consortia/{a}/policies/new/", _form(units=[world.units["ent"].pk]))
    assert r.status_code == 302
    p = PublicPolicy.objects.get()
    assert p.groups == ["enterprise"] and [u.pk for u in p.target_units.all()] == [
        world.units["ent"].pk
    ]
    # bad input: the message sits beside its field, nothing saved
    r = client.post(f"/consortia/{a}/policies/new/", _form(groups=[], classification_reason=""))
    assert r.status_code == 200
    form = r.context["form"]
    assert "groups" in form.errors and "classification_reason" in form.errors
    assert PublicPolicy.objects.count() == 1
    # edit, then a stale edit is refused and nothing is overwritten
    r = client.post(f"/policies/{p.pk}/edit/", _form(p, title="Changed"))
    assert r.status_code == 302
    r = client.post(f"/policies/{p.pk}/edit/", _form(p, title="Stale"))
    assert r.status_code == 200 and "__all__" in r.context["form"].errors
    p.refresh_from_db()
    assert p.title == "Changed" and p.version == 2


def test_withdraw_delete_and_evidence_pages(
    world, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    p = make_policy(world)
    client.force_login(world.users["supervisor"])
    page = client.get(f"/policies/{p.pk}/").content.decode()
    assert 'id="evidence"' in page and 'enctype="multipart/form-data"' in page
    r = client.post("/attachments/add/", {
        "record": f"environment.publicpolicy:{p.pk}", "purpose": "evidence",
        "file": _upload("doc.pdf", b"%PDF-1.4 x"), "next": f"/policies/{p.pk}/",
    })  # fmt: skip
    assert r.status_code == 302
    [doc] = Attachment.objects.filter(object_id=p.pk, purpose="evidence")
    assert doc.name == "doc.pdf"
    client.force_login(world.users["observer"])  # reads the policy, so its document
    page = client.get(f"/policies/{p.pk}/").content.decode()
    assert "doc.pdf" in page and 'enctype="multipart/form-data"' not in page
    got = client.get(f"/attachments/{doc.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 x"
    stored = Path(settings.MEDIA_ROOT) / doc.file.name
    assert stored.exists()
    assert client.post(f"/policies/{p.pk}/withdraw/", {"on": "2025-01-01"}).status_code == 403
    client.force_login(world.users["supervisor"])
    r = client.post(f"/policies/{p.pk}/withdraw/", {"version": 1, "on": "2025-06-30",
                                                      "reason": "replaced"})  # fmt: skip
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.withdrawn_on == dt.date(2025, 6, 30)
    r = client.post(f"/policies/{p.pk}/delete/", {"version": 1})  # stale
    assert PublicPolicy.objects.filter(pk=p.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the bytes go after the commit
        r = client.post(f"/policies/{p.pk}/delete/", {"version": 2})
    assert r.status_code == 302 and not PublicPolicy.objects.filter(pk=p.pk).exists()
    # its document went with it, rows and bytes, audited
    assert not Attachment.objects.filter(pk=doc.pk).exists() and not stored.exists()
    gone = AuditEntry.objects.get(event_type=EventType.ATTACHMENT_DELETED)
    assert gone.before["name"] == "doc.pdf" and gone.actor_id == world.users["supervisor"].pk
    assert gone.consortium_id == world.a.pk


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_api_create_detail_patch_withdraw_delete(world, client):
    client.force_login(world.users["secretariat"])
    body = {
        "consortium_id": world.a.pk, "title": "Apprentices", "issuer": "HR bureau",
        "level": "municipal", "kind": "employment", "instrument": "subsidy",
        "target_groups": ["enterprise"], "target_unit_ids": [world.units["ent"].pk],
        "effective_from": "2024-01-01", "amount": "6000", "amount_basis": "per_student",
        "quantity": "120", "classification": "positive", "classification_reason": "pays",
    }  # fmt: skip
    r = client.post("/api/policies", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["target_groups"] == ["enterprise"]
    assert r.json()["target_units"] == [{"id": world.units["ent"].pk, "name": "Unit ent"}]
    r = client.get(f"/api/policies/{pid}")
    assert r["ETag"] == 'W/"1"'
    # bad input: RFC 9457 problem naming the field
    bad = client.post(
        "/api/policies", json.dumps({**body, "target_groups": ["aliens"]}),
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422
    assert any(e["field"] == "target_groups" for e in bad.json()["errors"])
    r = client.patch(f"/api/policies/{pid}", json.dumps({"amount": "7000"}),
                     content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
    assert r.status_code == 200 and r["ETag"] == 'W/"2"' and float(r.json()["amount"]) == 7000
    stale = client.patch(f"/api/policies/{pid}", json.dumps({"amount": "8000"}),
                         content_type="application/json", headers={"If-Match": 'W/"1"'})  # fmt: skip
    assert stale.status_code == 409
    r = client.post(f"/api/policies/{pid}/withdraw",
                    json.dumps({"version": 2, "on": "2026-01-01"}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["withdrawn_on"] == "2026-01-01"
    r = client.get(f"/api/consortia/{world.a.pk}/incentives?year=2025")
    assert (
        r.status_code == 200 and r.json()["parameters"]["G_e"]["amount"] == 840000.0
    )  # 7000 × 120
    r = client.delete(f"/api/policies/{pid}", headers={"If-Match": 'W/"3"'})
    assert r.status_code == 204 and not PublicPolicy.objects.exists()
    events = list(
        AuditEntry.objects.filter(object_id=pid, event_type__gte=1000, event_type__lt=1100)
        .order_by("id").values_list("event_type", flat=True)
    )  # fmt: skip
    assert events == [
        EventType.PUBLIC_POLICY_CREATED, EventType.PUBLIC_POLICY_CHANGED,
        EventType.PUBLIC_POLICY_WITHDRAWN, EventType.PUBLIC_POLICY_DELETED,
    ]  # fmt: skip


def test_api_refuses_members_and_hides_other_consortia(world, client):
    p = make_policy(world)
    client.force_login(world.users["unit_admin"])
    r = client.patch(f"/api/policies/{p.pk}", json.dumps({"title": "x"}),
                     content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    client.force_login(world.users["other_consortium"])
    assert client.get(f"/api/policies/{p.pk}").status_code == 404
    assert client.get(f"/api/policies?consortium={world.a.pk}").json()["count"] == 0
    assert client.get(f"/api/consortia/{world.a.pk}/incentives?year=2025").status_code == 404


def test_list_page_exports_what_the_user_sees(world, client):
    from openpyxl import load_workbook

    make_policy(world, title="kept", kind="tax", instrument="tax_relief")
    make_policy(world, title="filtered out")
    client.force_login(world.users["observer"])
    r = client.get(f"/consortia/{world.a.pk}/policies/?kind=tax&export=xlsx")
    assert r.status_code == 200
    import io

    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "kept" in rows[1]


def test_detail_shows_the_change_history_to_the_secretariat(world, client):
    from gongsheng.environment import services

    p = make_policy(world)
    services.policy_update(actor=world.users["secretariat"], policy_id=p.pk, version=1,
                           title="Renamed policy")  # fmt: skip
    client.force_login(world.users["secretariat"])
    html = client.get(f"/policies/{p.pk}/").content.decode()
    assert 'id="history"' in html and "Renamed policy" in html


def test_api_evidence_upload_is_checked(world, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    p = make_policy(world)
    client.force_login(world.users["secretariat"])
    bad = client.post(f"/api/policies/{p.pk}/evidence",
                      {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    ok = client.post(f"/api/policies/{p.pk}/evidence",
                     {"file": SimpleUploadedFile("政策原文.pdf", b"%PDF-1.7 body")},
                     headers={"If-Match": 'W/"1"'})  # fmt: skip
    assert ok.status_code == 200 and ok["ETag"] == 'W/"2"'
    assert ok.json()["evidence_name"] == "政策原文.pdf"
    [doc] = Attachment.objects.filter(object_id=p.pk, removed_at__isnull=True)
    assert doc.name == "政策原文.pdf" and doc.purpose == "evidence"
    listed = client.get(f"/api/attachments?record=environment.publicpolicy:{p.pk}").json()
    assert [a["name"] for a in listed] == ["政策原文.pdf"]
    other = make_policy(world, title="No document")
    names = {
        row["id"]: row["evidence_name"]
        for row in client.get(f"/api/policies?consortium_id={p.consortium_id}").json()["items"]
    }
    assert names == {p.pk: "政策原文.pdf", other.pk: ""}
    again = client.post(f"/api/policies/{p.pk}/evidence",
                        {"file": SimpleUploadedFile("修订稿.pdf", b"%PDF-1.7 v2")})  # fmt: skip
    assert again.json()["evidence_name"] == "修订稿.pdf", "the replacing file's name"
    assert client.get(f"/api/policies/{p.pk}").json()["evidence_name"] == "修订稿.pdf"
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    out = next(s for n, s in schema.items() if "evidence_name" in s.get("properties", {}))
    assert "evidence_name" in out["required"]
    client.force_login(world.users["unit_admin"])
    denied = client.post(f"/api/policies/{p.pk}/evidence",
                         {"file": SimpleUploadedFile("y.pdf", b"%PDF-1.7")})  # fmt: skip
    assert denied.status_code == 403


def test_a_withdrawn_policy_offers_no_withdraw_form(world, client):
    """Issue 13.7: the page offers a move only where its service would take it."""
    p = make_policy(world)
    client.force_login(world.users["supervisor"])
    assert 'id="withdraw-form"' in client.get(f"/policies/{p.pk}/").content.decode()
    client.post(f"/policies/{p.pk}/withdraw/", {"version": 1, "on": "2025-06-30"})
    p.refresh_from_db()
    assert p.withdrawn_on == dt.date(2025, 6, 30)
    assert 'id="withdraw-form"' not in client.get(f"/policies/{p.pk}/").content.decode()
    # and the service refuses it all the same
    client.post(f"/policies/{p.pk}/withdraw/", {"version": p.version, "on": "2025-07-01"})
    p.refresh_from_db()
    assert p.withdrawn_on == dt.date(2025, 6, 30)
