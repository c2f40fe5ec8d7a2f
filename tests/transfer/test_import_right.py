"""The import page and the API ask the same question — the consortium's ``import`` move
(the secretariat and unit admins; the read-only supervisors and observers import nothing) —
and both ask it before the upload is read. The page shows no form to who may not submit it."""

from __future__ import annotations

import inspect
import io

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile

from gongsheng.access.services import token_create
from gongsheng.consortia.models import Unit
from gongsheng.transfer import importing

pytestmark = pytest.mark.django_db

_GARBAGE = b"PK\x03\x04" + b"\x00" * 1000  # any reader would answer 422


@pytest.fixture
def reads(monkeypatch):
    """Every read of an upload or of a table by the platform, counted."""
    seen: list[str] = []

    def upload_read(self):
        # the test client reads the files it sends; only the platform's own reads count
        if any("/gongsheng/" in frame.filename for frame in inspect.stack()[1:]):
            seen.append("upload")
        return self.file.read

    monkeypatch.setattr(InMemoryUploadedFile, "read", property(upload_read))
    monkeypatch.setattr(importing, "read_table", lambda *a, **k: seen.append("table"))
    return seen


def _api(client, world, user, data):
    upload = io.BytesIO(data)
    upload.name = "t.xlsx"
    token = token_create(actor=world.users[user], user=world.users[user], name="t")[1]
    return client.post(
        "/api/transfer/units/import",
        {"file": upload, "consortium": world.a.pk},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _page(client, world, user, data, name="t.xlsx"):
    client.force_login(world.users[user])
    return client.post(
        f"/consortia/{world.a.pk}/import/",
        {"resource": "units", "file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize("user", ["supervisor", "observer", "unit_member"])
def test_read_only_roles_import_nothing_on_either_path_and_the_file_is_not_read(
    world, client, user, reads
):
    assert _api(client, world, user, _GARBAGE).status_code == 403
    assert _page(client, world, user, _GARBAGE).status_code == 403
    assert reads == []
    page = client.get(f"/consortia/{world.a.pk}/import/")
    body = page.content.decode()
    assert page.status_code == 403 and 'type="file"' not in body
    assert "您无权向此联合体导入数据" in body


@pytest.mark.parametrize("user", ["secretariat", "unit_admin"])
def test_who_may_import_gets_the_form_and_the_file_read_on_both_paths(world, client, user):
    client.force_login(world.users[user])
    page = client.get(f"/consortia/{world.a.pk}/import/")
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
    # the same garbage is now read, and refused as a file (422), on both paths
    assert _api(client, world, user, _GARBAGE).status_code == 422
    assert _page(client, world, user, _GARBAGE).status_code == 422


def test_a_unit_admin_imports_through_the_page_rows_checked_one_by_one(world, client):
    own, other = world.units["ent"], world.units["school"]
    client.force_login(world.users["unit_admin"])
    export = client.get(f"/api/transfer/units/export?consortium={world.a.pk}&format=csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    own_row = next(line for line in lines if own.credit_code in line)
    renamed = own_row.replace(own.name, own.name + "（新名）")
    r = _page(client, world, "unit_admin", f"{lines[0]}\n{renamed}\n".encode(), "u.csv")
    assert r.status_code == 200, r.content.decode()
    own.refresh_from_db()
    assert own.name.endswith("（新名）")
    # another unit's row is refused row by row: the file was read, nothing changed
    other_row = next(line for line in lines if other.credit_code in line)
    changed = other_row.replace(other.name, "改名")
    response = _page(client, world, "unit_admin", f"{lines[0]}\n{changed}\n".encode(), "u.csv")
    assert response.status_code == 422
    assert Unit.objects.get(pk=other.pk).name == other.name


def test_a_refused_row_reads_chinese_to_a_chinese_user(world, client):
    # the default refusal (a service's bare Forbidden) goes through gettext: a unit admin adds
    # no contract, and the row says so in the request's language
    token = token_create(actor=world.users["unit_admin"], user=world.users["unit_admin"], name="t")
    ent, school = world.units["ent"].credit_code, world.units["school"].credit_code
    rows = f"code,title,type,parties\nHT-N1,新合同,internship,{ent}=enterprise; {school}=school\n"
    answers = {}
    for lang in ("zh-hans", "en"):
        upload = io.BytesIO(rows.encode())
        upload.name = "c.csv"
        response = client.post(
            "/api/transfer/contracts/import",
            {"file": upload, "consortium": world.a.pk, "dry_run": True},
            HTTP_AUTHORIZATION=f"Bearer {token[1]}",
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        assert response.status_code == 422
        answers[lang] = [(e["row"], e["field"], e["message"]) for e in response.json()["errors"]]
    assert answers["zh-hans"] == [(2, "code", "您无权执行此操作。")]
    assert answers["en"] == [(2, "code", "You may not do this.")]
