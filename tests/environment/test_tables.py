"""Import and export of the policy register: a round trip changes nothing in both languages;
bad cells are all named and nothing is written (all or nothing); updates by register number."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from gongsheng.core.context import request_scope
from gongsheng.environment.models import PublicPolicy
from gongsheng.environment.selectors import policy_list
from gongsheng.transfer.exporting import export_xlsx
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db


def _run(world, data: bytes, user="secretariat"):
    with request_scope(), translation.override("en"):
        return run_import(
            get_resource("policies"),
            filename="p.xlsx",
            data=data,
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
        )


def _book(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["id", "title", "issuer", "level", "kind", "instrument", "target_groups",
          "target_units", "effective_from", "effective_to", "amount", "amount_basis",
          "quantity", "classification", "classification_reason"]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_export_reimports_unchanged(world, lang):
    make_policy(world, target_groups=["school", "enterprise"],
                target_unit_ids=[world.units["ent"].pk, world.units["school"].pk],
                amount="6000.5", amount_basis="per_student", quantity="120",
                effective_to=dt.date(2026, 12, 31), number="No. 1", notes="two\nlines")  # fmt: skip
    make_policy(world, title="rule", instrument="requirement", amount=None,
                classification="neutral", classification_reason="")  # fmt: skip
    resource = get_resource("policies")
    qs = resource.export_queryset(world.users["secretariat"], RowContext(None, world.a.pk))
    data = export_xlsx(resource, qs, lang=lang)
    result = _run(world, data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_import_creates_updates_and_names_bad_cells(world):
    p = make_policy(world)
    b_policy = make_policy(world, consortium=world.b, title="in B")
    ent = world.units["ent"].credit_code
    good = [p.pk, "Renamed", "Bureau", "municipal", "fiscal", "subsidy", "enterprises", "",
            "2024-01-01", "", 100000, "total per year", "", "positive", "pays"]  # fmt: skip
    new = ["", "New land policy", "Park", "park", "Land", "land supply", "enterprises", ent,
           "2025-03-01", "2027-12-31", 3600000, "total over the term", "", "positive", "land"]  # fmt: skip
    bad = [b_policy.pk, "Bad", "", "galactic", "fiscal", "subsidy", "aliens",
           world.units["x"].credit_code, "someday", "", "lots", "", "", "negative", ""]  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, _book([HEADER, good, new, bad]))
    fields = {(e.row, e.field) for e in exc.value.errors}
    assert {(4, "id"), (4, "issuer"), (4, "level"), (4, "target_groups"), (4, "target_units"),
            (4, "effective_from"), (4, "amount")} <= fields  # fmt: skip
    assert PublicPolicy.objects.count() == 2  # nothing written
    p.refresh_from_db()
    assert p.title == "Apprenticeship subsidy"
    # a service error (reason missing for a negative policy) also rolls back every row
    svc_bad = ["", "Negative", "Park", "park", "land", "requirement", "school", "",
               "2026-01-01", "", "", "", "", "negative", ""]  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, _book([HEADER, good, new, svc_bad]))
    assert {(e.row, e.field) for e in exc.value.errors} == {(4, "classification_reason")}
    assert PublicPolicy.objects.count() == 2
    result = _run(world, _book([HEADER, good, new]))
    assert (result.created, result.updated) == (1, 1)
    p.refresh_from_db()
    assert p.title == "Renamed" and p.version == 2
    land = PublicPolicy.objects.get(title="New land policy")
    assert land.level == "park" and land.kind == "land" and land.instrument == "land_supply"
    assert [u.pk for u in land.target_units.all()] == [world.units["ent"].pk]


def test_members_may_not_import_and_export_only_what_they_see(world):
    p = make_policy(world)
    row = [p.pk, "Hijack", "Bureau", "municipal", "fiscal", "subsidy", "enterprise", "",
           "2024-01-01", "", 1, "per_year", "", "neutral", ""]  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, _book([HEADER, row]), user="unit_admin")
    assert exc.value.errors[0].field == "id"
    assert list(policy_list(user=world.users["other_consortium"], consortium_id=world.a.pk)) == []
