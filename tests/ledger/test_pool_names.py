"""Pools are shown by name ("项目账户「name」") on ledger rows, summaries and the exports'
display columns; their code (``project:<id>``) stays in the import's key columns."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils.translation import override
from openpyxl import load_workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.pools import pool_label
from gongsheng.ledger.services import Party, entry_create
from tests.support.pools import project_pool
from tests.support.queries import assert_constant_queries

LABEL = "项目账户「产教融合实训基地」"


@pytest.fixture
def pool(world):
    pool = project_pool(world, name="产教融合实训基地")
    units = world.units
    for giver, receiver in (
        (Party.unit(units["ent"].pk), Party.of_pool(pool)),
        (Party.of_pool(pool), Party.unit(units["school"].pk)),
    ):
        entry_create(
            actor=world.users["secretariat"], consortium_id=world.a.pk, date=dt.date(2025, 5, 1),
            category="money", quantity=Decimal(100), giver=giver, receiver=receiver,
        )  # fmt: skip
    return pool


def _text(html: bytes) -> str:
    """What a reader sees: the page without its tags and their attributes."""
    return re.sub(r"<[^>]*>", " ", html.decode())


def test_the_label_function(world, pool):
    with override("zh-hans"):
        assert pool_label(pool, "产教融合实训基地") == LABEL
        assert pool_label(pool) == f"项目账户「{pool}」"  # a pool whose name is not known
        assert pool_label("") == ""
    with override("en"):
        assert pool_label(pool, "产教融合实训基地") == "project pool “产教融合实训基地”"


def test_list_detail_and_summary_pages_show_the_name(world, pool, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    entry = LedgerEntry.objects.get(giver_kind="pool")
    for url in (f"/consortia/{a}/ledger/", f"/ledger/entries/{entry.pk}/",
                f"/consortia/{a}/ledger/summaries/"):  # fmt: skip
        page = _text(client.get(url).content)
        assert LABEL in page, url
        assert pool not in page, url  # the code only in attributes (links, titles)


def test_exports_name_the_pool_beside_its_code_and_read_back(world, pool, client):
    from gongsheng.transfer.exporting import export_csv
    from gongsheng.transfer.resources import RowContext, get_resource

    client.force_login(world.users["secretariat"])
    a = world.a.pk
    r = client.get(f"/consortia/{a}/ledger/?export=xlsx&manual=1")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    header = rows[0]
    into = next(row for row in rows[1:] if row[header.index("接收方")] == pool)
    assert into[header.index("接收方名称")] == LABEL
    out = next(row for row in rows[1:] if row[header.index("提供方")] == pool)
    assert out[header.index("提供方名称")] == LABEL

    r = client.get(f"/consortia/{a}/ledger/summaries/?export=xlsx")
    sheet = load_workbook(io.BytesIO(r.content))["项目账户"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("项目账户", "名称") and values[1][:2] == (pool, LABEL)

    # the import reads the exported file back: the code column is the key, names are read-only
    res = get_resource("ledger_entries")
    sec = world.users["secretariat"]
    exported = export_csv(res, res.export_queryset(sec, RowContext(actor=sec, consortium_id=a)))
    assert LABEL.encode() in exported
    from gongsheng.core.context import request_scope
    from gongsheng.transfer.importing import run_import

    with request_scope():
        result = run_import(res, filename="ledger.csv", data=exported,
                            context=RowContext(actor=sec, consortium_id=a))  # fmt: skip
    assert (result.created, result.unchanged) == (0, 2)


def test_the_list_names_pools_in_constant_queries(world, pool, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    n = [0]

    def grow():
        n[0] += 1
        more = project_pool(world, name=f"项目 {n[0]}")
        entry_create(
            actor=SYSTEM, consortium_id=a, date=dt.date(2025, 6, n[0]), category="money",
            quantity=Decimal(3), giver=Party.unit(world.units["ent"].pk),
            receiver=Party.of_pool(more),
        )  # fmt: skip

    def render():
        r = client.get(f"/consortia/{a}/ledger/")
        assert r.status_code == 200 and LABEL in r.content.decode()

    assert_constant_queries(render, grow)
