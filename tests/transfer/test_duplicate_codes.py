"""Category codes and names held twice (decision 0301): a consortium's own category and a
platform-wide one may share a code (a platform category added after the consortium's), and
names are not unique at all. The import reads a category cell as the services do — the
consortium's own before the platform's, a code before a name — so an export re-imports
unchanged and a new row lands in the category the ledger would pick. Through the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.services import token_create
from gongsheng.ledger import services as ledger
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.services import Party

pytestmark = pytest.mark.django_db


def _category(consortium_id, name):
    category = ledger.category_create(
        actor=SYSTEM, consortium_id=consortium_id, code="lab_hours", name=name, quantity_unit="小时"
    )
    ledger.rule_create(
        actor=SYSTEM, category_id=category.pk, consortium_id=consortium_id,
        effective_from=dt.date(2020, 1, 1), unit_value=Decimal(80 if consortium_id else 50),
    )  # fmt: skip
    return category


def _import(client, world, token, text, *, dry_run):
    upload = io.BytesIO(text.encode("utf-8-sig"))
    upload.name = "entries.csv"
    return client.post(
        "/api/transfer/ledger_entries/import",
        {"file": upload, "consortium": world.a.pk, "dry_run": dry_run},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_code_held_by_the_consortium_and_the_platform_reads_as_the_consortiums(world, client):
    own = _category(world.a.pk, "实验室工时")
    platform = _category(None, "实验室工时")  # the same code and name, added later
    u = {k: v.pk for k, v in world.units.items()}
    entry = ledger.entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 4, 1), category="lab_hours",
        quantity=Decimal("2.5"), giver=Party.unit(u["ent"]), receiver=Party.unit(u["school"]),
        reference="PZ-LAB-1",
    )  # fmt: skip
    assert entry.category_id == own.pk != platform.pk
    secretariat = world.users["secretariat"]
    token = token_create(actor=secretariat, user=secretariat, name="t")[1]
    exported = client.get(
        f"/api/transfer/ledger_entries/export?consortium={world.a.pk}&format=csv&lang=zh-hans",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).content.decode("utf-8-sig")
    header, *rows = exported.splitlines()
    row = next(r for r in rows if r.startswith("PZ-LAB-1,"))
    for dry_run in (True, False):
        response = _import(client, world, token, f"{header}\n{row}\n", dry_run=dry_run)
        assert response.status_code == 200, response.content.decode()
        assert response.json()["unchanged"] == 1 and response.json()["created"] == 0
    # a new row naming the category by its code or its name lands where the ledger puts it
    for key, cell in (("PZ-LAB-2", "lab_hours"), ("PZ-LAB-3", "实验室工时")):
        new = row.replace("PZ-LAB-1", key).replace(",lab_hours,", f",{cell},")
        response = _import(client, world, token, f"{header}\n{new}\n", dry_run=False)
        assert response.status_code == 200 and response.json()["created"] == 1, response.content
        assert LedgerEntry.objects.get(source_key=key).category_id == own.pk
