"""Import bombs (the Trust issue, point 3): the right to import is checked before the file is
read; unpacked size, rows and cells are limited and reading stops at the limit; the error list
is capped at the first 200 problems plus a count. Asked through the API."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.test import override_settings
from openpyxl import Workbook

from gongsheng.access.services import token_create
from gongsheng.consortia.models import Unit

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


def _post(client, world, user, name, data, consortium=None):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        "/api/transfer/units/import",
        {"file": upload, "consortium": consortium or world.a.pk},
        HTTP_ACCEPT_LANGUAGE="en",
        **_auth(world.users[user]),
    )


def _units_csv(rows: int, *, bad: bool = False) -> bytes:
    lines = ["credit_code,name,type"]
    for i in range(rows):
        lines.append(f"{'not-a-code' if bad else ''}{i},Imported {i},{'nonsense' if bad else ''}")
    return "\n".join(lines).encode()


@pytest.mark.parametrize("user", ["observer", "unit_member", "other_consortium", "nobody"])
def test_the_right_to_import_is_checked_before_the_file_is_read(world, client, user):
    # garbage that any reader would reject with a 422: a 403/404 shows it was never read
    response = _post(client, world, user, "bomb.xlsx", b"PK\x03\x04" + b"\x00" * 1000)
    assert response.status_code in (403, 404), response.content
    assert response.json()["status"] in (403, 404)


def test_an_unpacking_bomb_is_stopped_at_the_limit(world, client):
    book = Workbook()
    for i in range(20_000):
        book.active.append(["x" * 40, f"row {i}", "enterprise"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    assert unpacked > 1024 * 1024 > len(data)  # small on the wire, big unpacked
    with override_settings(IMPORT_MAX_UNPACKED_BYTES=1024 * 1024):
        started = time.monotonic()
        response = _post(client, world, "secretariat", "bomb.xlsx", data)
        assert time.monotonic() - started < 10
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert "too large" in response.json()["detail"]


@override_settings(IMPORT_MAX_ROWS=10)
def test_rows_over_the_limit_are_refused_without_reading_on(world, client):
    response = _post(client, world, "secretariat", "units.csv", _units_csv(11))
    assert response.status_code == 422 and "10 rows" in response.json()["detail"]
    with override_settings(IMPORT_MAX_CELLS=20):
        response = _post(client, world, "secretariat", "units.csv", _units_csv(9))
    assert response.status_code == 422 and "20 cells" in response.json()["detail"]
    assert not Unit.objects.filter(name__startswith="Imported ").exists()


def test_the_error_list_is_capped_with_a_count(world, client):
    response = _post(client, world, "secretariat", "units.csv", _units_csv(150, bad=True))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert len(errors) == 201  # 300 problems: the first 200 and one line counting the rest
    assert errors[-1]["field"] == "file" and "100 more problems" in errors[-1]["message"]
