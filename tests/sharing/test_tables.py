"""The catalogue's import and export: a round trip changes nothing, in both languages; bad
cells are named."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongsheng.core.context import request_scope
from gongsheng.sharing.models import SharedResource
from gongsheng.transfer.exporting import export_xlsx
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource
from tests.sharing.support import make_resource

pytestmark = pytest.mark.django_db


def _run(world, data: bytes, user="secretariat"):
    with request_scope():
        return run_import(
            get_resource("shared_resources"),
            filename="r.xlsx",
            data=data,
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
        )


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_export_reimports_unchanged(world, lang):
    make_resource(world, code="base", closed_dates=["2030-10-01", "2030-10-02"])
    make_resource(world, code="lab", kind="laboratory", owner="school", capacity=3,
                  opening_hours={"1": [["09:00", "12:00"]], "3": [["14:00", "18:00"]]})  # fmt: skip
    resource = get_resource("shared_resources")
    qs = resource.export_queryset(world.users["secretariat"], RowContext(None, world.a.pk))
    data = export_xlsx(resource, qs, lang=lang)
    with translation.override("en"):
        result = _run(world, data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_import_creates_and_names_bad_cells(world):
    book = Workbook()
    rows = [
        ["code", "name", "kind", "owner", "opening_hours", "closed_dates", "capacity"],
        [
            "new",
            "新实训室",
            "training base",
            world.units["ent"].credit_code,
            "1=08:00-12:00",
            "",
            2,
        ],
        ["bad", "坏", "rocket", world.units["x"].credit_code, "Mon all day", "someday", ""],
    ]
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with translation.override("en"), pytest.raises(ImportFailed) as exc:
        _run(world, out.getvalue())
    fields = {(e.row, e.field) for e in exc.value.errors}
    assert {(3, "kind"), (3, "opening_hours"), (3, "closed_dates")} <= fields
    assert not SharedResource.objects.exists()
    book.active.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    with translation.override("en"):
        try:
            result = _run(world, out.getvalue())
        except ImportFailed as exc:
            raise AssertionError([e.as_dict() for e in exc.errors]) from exc
    assert result.created == 1
    r = SharedResource.objects.get(code="new")
    assert r.opening_hours == {"1": [["08:00", "12:00"]]} and r.capacity == 2
    assert load_workbook  # imported for symmetry with the transfer tests
