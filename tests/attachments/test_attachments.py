"""Attachments on records: stored with a checksum, scoped and audited like their record,
served only after the check, removed with the bytes kept, verified after a restore."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongsheng.access.actors import SYSTEM
from gongsheng.attachments import selectors, services
from gongsheng.attachments.integrity import verify
from gongsheng.attachments.models import Attachment
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Forbidden, NotFound, ValidationFailed
from tests.attachments.conftest import DOCX, PDF
from tests.support.queries import assert_constant_queries

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip
#: L: lists and downloads the record's files; A: adds and removes them
EXPECTED: dict[str, list[str]] = {
    #            admin  sec   sup   obs   uadm  umem  sadm  othc  nobody
    "project": ["LA", "LA", "L",  "L",  "L",  "L",  "L",  "",   ""],
    "entry":   ["LA", "LA", "L",  "",   "LA", "L",  "LA", "",   ""],
    "secret":  ["LA", "LA", "",   "",   "LA", "L",  "",   "",   ""],
}  # fmt: skip


def _add(actor, record, data=PDF, name="proof.pdf", **kw):
    return services.attachment_add(actor=actor, record=record, file=data, name=name, **kw)


def test_add_stores_the_file_under_the_data_directory_with_its_checksum(world, records, media):
    sec = world.users["secretariat"]
    a = _add(sec, records["entry"], purpose="evidence", note="voucher 12")
    stored = Path(media) / a.file.name
    assert stored.read_bytes() == PDF
    assert a.file.name.startswith("attachments/ledger.ledgerentry/")
    assert "proof" not in a.file.name  # the uploaded name never reaches the file system
    assert (a.name, a.size, a.mime_type, a.purpose, a.note) == (
        "proof.pdf", len(PDF), "application/pdf", "evidence", "voucher 12"
    )  # fmt: skip
    assert a.sha256 == hashlib.sha256(PDF).hexdigest()
    assert a.uploaded_by == sec and a.record == records["entry"]


def test_every_add_and_remove_is_audited_like_its_record(world, records, media):
    sec = world.users["secretariat"]
    secret = records["secret"]
    a = _add(sec, secret, name="合同.pdf", purpose="evidence")
    services.attachment_remove(actor=sec, attachment_id=a.pk, reason="wrong file")
    rows = list(AuditEntry.objects.filter(object_id=a.pk, event_type__gte=1500).order_by("id"))
    assert [r.event_type for r in rows] == [
        EventType.ATTACHMENT_ADDED,
        EventType.ATTACHMENT_REMOVED,
    ]
    for r in rows:
        assert (r.consortium_id, r.unit_id, r.confidential) == (
            world.a.pk, world.units["ent"].pk, True
        )  # fmt: skip
        assert r.related_object_id == secret.pk and r.actor == sec
    assert rows[0].after["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert rows[0].after["name"] == "合同.pdf" and rows[0].after["purpose"] == "evidence"
    assert rows[1].before["name"] == "合同.pdf" and rows[1].after["removed_at"]
    assert rows[1].message == "wrong file"
    # a project's file: not confidential, the lead unit's
    p = _add(sec, records["project"], name="方案.docx", data=DOCX)
    row = AuditEntry.objects.get(object_id=p.pk, event_type=EventType.ATTACHMENT_ADDED)
    assert (row.consortium_id, row.unit_id, row.confidential) == (
        world.a.pk, world.units["ent"].pk, False
    )  # fmt: skip


def test_refused_files_change_nothing(world, records, media):
    sec = world.users["secretariat"]
    with pytest.raises(ValidationFailed, match=r"invoice\.pdf: its content is not a \.pdf"):
        _add(sec, records["entry"], data=b"MZ\x90\x00", name="invoice.pdf", purpose="evidence")
    with pytest.raises(ValidationFailed, match="takes files for") as exc:
        _add(sec, records["entry"], purpose="material")
    assert exc.value.errors[0].field == "purpose"
    with pytest.raises(ValidationFailed, match="note") as exc:
        _add(sec, records["project"], note="x" * 301)
    assert Attachment.objects.count() == 0
    assert not AuditEntry.objects.filter(event_type=EventType.ATTACHMENT_ADDED).exists()
    assert not list(Path(media).rglob("*.pdf"))


def _may(user, record) -> str:
    out = ""
    try:
        selectors.attachments_for(user, record)
        out += "L"
    except NotFound:
        pass
    try:
        a = _add(user, record, purpose="evidence")
        services.attachment_remove(actor=user, attachment_id=a.pk)
        out += "A"
    except (NotFound, Forbidden):
        pass
    return out


@pytest.mark.parametrize("record", list(EXPECTED))
def test_access_follows_the_record(world, records, media, record):
    got = [_may(world.users[role], records[record]) for role in ROLES]
    mismatches = [
        f"{role}: expected {exp or '-'}, got {g or '-'}"
        for role, exp, g in zip(ROLES, EXPECTED[record], got, strict=True)
        if exp != g
    ]
    assert not mismatches, f"{record}: " + "; ".join(mismatches)


@pytest.mark.parametrize("record", list(EXPECTED))
def test_download_and_api_per_role(world, records, media, client, record):
    a = _add(SYSTEM, records[record], purpose="evidence")
    for role, exp in zip(ROLES, EXPECTED[record], strict=True):
        client.force_login(world.users[role])
        page = client.get(f"/attachments/{a.pk}/")
        api = client.get(f"/api/attachments/{a.pk}/download")
        listing = client.get(f"/api/attachments?record=ledger.ledgerentry:{records[record].pk}"
                             if record != "project"
                             else f"/api/attachments?record=cooperation.project:{records[record].pk}")  # fmt: skip
        want = 200 if "L" in exp else 404
        assert (page.status_code, api.status_code, listing.status_code) == (want,) * 3, role
        if want == 200:
            assert b"".join(page.streaming_content) == PDF
            assert [x["id"] for x in listing.json()] == [a.pk]


def test_download_headers_and_confidential_downloads_audited(world, records, media, client):
    sec = world.users["secretariat"]
    open_file = _add(sec, records["entry"], name="发票 2025.pdf", purpose="evidence")
    secret_file = _add(sec, records["secret"], name="合同.pdf", purpose="evidence")
    client.force_login(world.users["unit_admin"])
    r = client.get(f"/attachments/{open_file.pk}/")
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%8F%91%E7%A5%A8%202025.pdf" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in r["Cache-Control"]
    downloads = AuditEntry.objects.filter(event_type=EventType.ATTACHMENT_DOWNLOADED)
    assert not downloads.exists()
    assert client.get(f"/api/attachments/{secret_file.pk}/download").status_code == 200
    row = downloads.get()
    assert (row.object_id, row.actor, row.confidential) == (
        secret_file.pk, world.users["unit_admin"], True
    )  # fmt: skip


def test_removal_keeps_the_bytes_and_hides_the_file(world, records, media, client):
    sec = world.users["secretariat"]
    a = _add(sec, records["entry"], purpose="evidence")
    with pytest.raises(Forbidden):
        services.attachment_remove(actor=world.users["unit_member"], attachment_id=a.pk)
    with pytest.raises(NotFound):
        services.attachment_remove(actor=world.users["other_consortium"], attachment_id=a.pk)
    services.attachment_remove(actor=world.users["unit_admin"], attachment_id=a.pk)
    a.refresh_from_db()
    assert a.removed_at and a.removed_by == world.users["unit_admin"]
    assert (Path(media) / a.file.name).read_bytes() == PDF  # kept: evidence stays provable
    assert selectors.attachments_for(sec, records["entry"]) == []
    client.force_login(sec)
    assert client.get(f"/attachments/{a.pk}/").status_code == 404
    with pytest.raises(NotFound):
        services.attachment_remove(actor=sec, attachment_id=a.pk)


def test_api_add_list_delete_and_bad_input(world, records, media, client):
    client.force_login(world.users["unit_admin"])
    ref = f"ledger.ledgerentry:{records['entry'].pk}"
    r = client.post(f"/api/attachments?record={ref}",
                    {"file": SimpleUploadedFile("方案.docx", DOCX), "purpose": "evidence",
                     "note": "signed"})  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["name"], body["record"], body["size"], body["uploaded_by"]) == (
        "方案.docx", ref, len(DOCX), "unit_admin"
    )  # fmt: skip
    assert body["sha256"] == hashlib.sha256(DOCX).hexdigest()
    r = client.post(f"/api/attachments?record={ref}",
                    {"file": SimpleUploadedFile("a.pdf", b"MZ"), "purpose": "evidence"})  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    assert "a.pdf" in r.json()["detail"]
    for bad, status in [("ledger.ledgerentry", 422), ("nothing:1", 404), ("x:y", 422),
                        (f"ledger.ledgerentry:{records['entry'].pk + 999}", 404),
                        ("access.user:1", 404)]:  # fmt: skip
        assert client.get(f"/api/attachments?record={bad}").status_code == status, bad
    assert client.delete(f"/api/attachments/{body['id']}").status_code == 204
    assert client.get(f"/api/attachments?record={ref}").json() == []
    assert client.delete(f"/api/attachments/{body['id']}").status_code == 404
    # a unit member reads but may not add
    client.force_login(world.users["unit_member"])
    r = client.post(f"/api/attachments?record={ref}",
                    {"file": SimpleUploadedFile("a.pdf", PDF), "purpose": "evidence"})  # fmt: skip
    assert r.status_code == 403


def test_verify_finds_missing_and_changed_files(world, records, media):
    sec = world.users["secretariat"]
    a = _add(sec, records["entry"], purpose="evidence")
    b = _add(sec, records["project"], name="b.docx", data=DOCX)
    c = _add(sec, records["project"], name="c.pdf")
    services.attachment_remove(actor=sec, attachment_id=c.pk)
    seen = []
    report = verify(progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.checked == 3 and seen[-1] == (3, 3)
    (Path(media) / a.file.name).write_bytes(PDF + b"tampered")
    (Path(media) / c.file.name).unlink()  # removed files are checked too
    report = verify()
    assert (report.ok, report.mismatched, report.missing) == (False, [a.pk], [c.pk])
    assert b.pk not in report.mismatched + report.missing


def test_panel_on_detail_pages(world, records, media, client):
    sec = world.users["secretariat"]
    _add(sec, records["entry"], name="凭证.pdf", purpose="evidence")
    url = f"/ledger/entries/{records['entry'].pk}/"
    client.force_login(world.users["unit_admin"])
    html = client.get(url).content.decode()
    assert "凭证.pdf" in html and 'action="/attachments/add/"' in html
    client.force_login(world.users["unit_member"])
    html = client.get(url).content.decode()
    assert "凭证.pdf" in html and 'action="/attachments/add/"' not in html
    assert "/remove/" not in html
    # the upload form round trip, with a refusal shown as a message naming the file
    client.force_login(world.users["secretariat"])
    r = client.post("/attachments/add/", {"record": f"cooperation.project:{records['project'].pk}",
                    "purpose": "material", "next": f"/projects/{records['project'].pk}/",
                    "file": SimpleUploadedFile("纪要.pdf", PDF)}, follow=True)  # fmt: skip
    assert r.status_code == 200 and "纪要.pdf" in r.content.decode()
    assert Attachment.objects.filter(purpose="material").count() == 1
    r = client.post("/attachments/add/", {"record": f"cooperation.project:{records['project'].pk}",
                    "next": "https://evil.example/",
                    "file": SimpleUploadedFile("x.pdf", b"MZ")})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == "/"
    client.force_login(world.users["other_consortium"])
    r = client.post("/attachments/add/", {"record": f"cooperation.project:{records['project'].pk}",
                    "file": SimpleUploadedFile("x.pdf", PDF)})  # fmt: skip
    assert r.status_code == 404


def test_panel_queries_do_not_grow_with_files(world, records, media):
    from gongsheng.attachments.selectors import panel

    user = world.users["unit_admin"]

    def render():
        return panel(user, records["entry"])

    def grow():
        for i in range(4):
            _add(SYSTEM, records["entry"], name=f"{i}.pdf", purpose="evidence")

    render()  # the user's roles are loaded once and cached
    assert assert_constant_queries(render, grow) == 3  # may see, files, may change


def test_deleting_a_record_deletes_its_files_audited_and_a_rollback_keeps_them(
    world, media, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from gongsheng.attachments.services import attachment_add, attachment_remove
    from gongsheng.environment import services as environment
    from tests.environment.support import make_policy

    sec = world.users["secretariat"]
    policy = make_policy(world)
    first = attachment_add(actor=sec, record=policy, file=PDF, name="a.pdf", purpose="evidence")
    second = attachment_add(actor=sec, record=policy, file=PDF, name="b.pdf", purpose="evidence")
    attachment_remove(actor=sec, attachment_id=first.pk)  # removed ones go too
    paths = [media / a.file.name for a in (first, second)]
    other = attachment_add(actor=sec, record=make_policy(world, title="Other"), file=PDF,
                           name="c.pdf", purpose="evidence")  # fmt: skip

    class Boom(Exception):
        pass

    with (
        pytest.raises(Boom),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        environment.policy_delete(actor=sec, policy_id=policy.pk)
        raise Boom
    assert Attachment.objects.filter(object_id=policy.pk).count() == 2
    assert all(p.exists() for p in paths)

    with django_capture_on_commit_callbacks(execute=True):
        environment.policy_delete(actor=sec, policy_id=policy.pk)
    assert not Attachment.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not any(p.exists() for p in paths)
    assert Attachment.objects.filter(pk=other.pk).exists() and (media / other.file.name).exists()
    entries = AuditEntry.objects.filter(event_type=EventType.ATTACHMENT_DELETED).order_by("id")
    assert [e.before["name"] for e in entries] == ["a.pdf", "b.pdf"]
    assert {(e.actor_id, e.consortium_id, e.object_id) for e in entries} == {
        (sec.pk, world.a.pk, first.pk), (sec.pk, world.a.pk, second.pk),
    }  # fmt: skip
