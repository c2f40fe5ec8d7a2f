"""Exports never hand a spreadsheet a live formula (the Trust issue, point 6): text that begins
like a formula stays text in .xlsx and is made inert in .csv, and both re-import unchanged."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from gongsheng.access.services import token_create
from gongsheng.consortia.models import Unit
from gongsheng.consortia.services import unit_update
from gongsheng.transfer.importing import run_import
from gongsheng.transfer.resources import RowContext, get_resource

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://127.0.0.1/x?"&A1,"点这里")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


def _set_descriptions(world):
    sec = world.users["secretariat"]
    units = [world.units[k] for k in ("gov", "school", "ent", "other")]
    for unit, text in zip(units, PAYLOADS):
        unit_update(actor=sec, unit_id=unit.pk, version=unit.version, description=text)
    return units


def _export(client, world, fmt):
    response = client.get(
        f"/api/transfer/units/export?consortium={world.a.pk}&format={fmt}",
        **_auth(world.users["secretariat"]),
    )
    assert response.status_code == 200
    return response.content


def test_xlsx_writes_formula_like_text_as_text(world, client):
    _set_descriptions(world)
    body = _export(client, world, "xlsx")
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere in the sheet
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=False))
    cells = [row[-1] for row in rows[1:]]
    assert {c.value for c in cells} >= set(PAYLOADS)
    assert {c.data_type for c in cells if c.value in PAYLOADS} == {"s"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_reimports_unchanged(world, client, fmt):
    units = _set_descriptions(world)
    body = _export(client, world, fmt)
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        for payload in PAYLOADS:
            assert f"'{payload}" in text or f"'{payload}".replace('"', '""') in text
    result = run_import(
        get_resource("units"), filename=f"units.{fmt}", data=body,
        context=RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk),
    )  # fmt: skip
    assert (result.created, result.updated) == (0, 0)
    assert [Unit.objects.get(pk=u.pk).description for u in units] == PAYLOADS
