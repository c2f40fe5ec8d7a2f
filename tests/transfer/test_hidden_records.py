"""Hidden records stay hidden on import (issue 14, point 9): a row naming a contract, unit,
project, booking, licence, ledger entry or category the importer may not see gets exactly
the answer a made-up one gets — no "you may not", no name. Asked through the API as a unit
admin of consortium A (unit ``ent``), each time once with the hidden record and once with a
made-up one, both as dry runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import scope
from gongsheng.access.services import token_create
from gongsheng.cooperation import services as coop
from gongsheng.ledger import services as ledger
from gongsheng.ledger.models import Category, LedgerEntry
from gongsheng.ledger.services import Party
from tests.support.world import code

pytestmark = pytest.mark.django_db
UNIT_ADMIN = "unit_admin"
#: what differs between two answers to the same question (the request's own id)
_OWN = {"request_id", "instance", "trace_id"}


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _answer(client, world, table: str, rows: list[list[str]], user: str = UNIT_ADMIN):
    token = token_create(actor=world.users[user], user=world.users[user], name="t")[1]
    upload = io.BytesIO(_csv(rows))
    upload.name = f"{table}.csv"
    response = client.post(
        f"/api/transfer/{table}/import",
        {"file": upload, "consortium": world.a.pk, "dry_run": True},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.json()
    return response.status_code, {k: v for k, v in body.items() if k not in _OWN}, response


def _same(client, world, table, header, hidden_row, made_up_row, *, secret=""):
    """Both answers, which must be equal; the hidden record's name is in neither."""
    hidden = _answer(client, world, table, [header, hidden_row])
    made_up = _answer(client, world, table, [header, made_up_row])
    assert hidden[:2] == made_up[:2]
    text = hidden[2].content.decode()
    if secret:
        assert secret not in text
    return hidden[:2]


@pytest.fixture
def hidden(world):
    """Records of consortium A the unit admin of ``ent`` may not see, and some of B."""
    u = {k: v.pk for k, v in world.units.items()}
    contract = coop.contract_create(
        actor=SYSTEM, consortium_id=world.a.pk, title="秘密合同甲", code="HT-SECRET",
        type="internship", parties=[{"unit_id": u["other"], "role": "enterprise"},
                                    {"unit_id": u["school"], "role": "school"}],
    )  # fmt: skip
    asset = coop.ip_asset_create(
        actor=SYSTEM, consortium_id=world.a.pk, title="秘密软件乙", number="RJ-SECRET",
        kind="software_copyright", owners=[(u["other"], Decimal(1))],
    )  # fmt: skip
    licence = coop.licence_grant(
        actor=SYSTEM, asset_id=asset.pk, licensor_id=u["other"], licensee_id=u["school"],
        kind="general", starts_on=dt.date(2025, 1, 1),
    )  # fmt: skip
    entry = ledger.entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 2, 1), category="money",
        quantity=Decimal(5), giver=Party.unit(u["other"]), receiver=Party.unit(u["gov"]),
        note="秘密往来丙", reference="PZ-SECRET",
    )  # fmt: skip
    ledger.rule_create(
        actor=SYSTEM, category_id=Category.objects.get(code="expert_hours", consortium=None).pk,
        consortium_id=world.a.pk, effective_from=dt.date(2020, 1, 1), unit_value=Decimal(300),
    )  # fmt: skip
    category = ledger.category_create(actor=SYSTEM, consortium_id=world.b.pk,
                                      code="b_only", name="乙联合体的类别", quantity_unit="次")  # fmt: skip
    project_b = coop.project_create(actor=SYSTEM, consortium_id=world.b.pk, name="乙的项目",
                                    type="other", lead_unit_id=u["x"])  # fmt: skip
    user = world.users[UNIT_ADMIN]
    for record in (contract, asset, licence, entry):  # the premise: none of them is visible
        assert not scope(user, type(record).objects.filter(pk=record.pk)).exists()
    return {"contract": contract, "asset": asset, "licence": licence, "entry": entry,
            "category": category, "project_b": project_b}  # fmt: skip


def test_a_hidden_contract_number_is_a_new_contract_as_a_made_up_one(world, client, hidden):
    ent, school = world.units["ent"].credit_code, world.units["school"].credit_code
    header = ["code", "title", "type", "parties"]
    row = ["", "我方新合同", "internship", f"{ent}=enterprise; {school}=school"]
    status, body = _same(client, world, "contracts", header, ["HT-SECRET", *row[1:]],
                         ["HT-MADE-UP", *row[1:]], secret="秘密合同甲")  # fmt: skip
    # a unit admin adds no contract: the same refusal for both, on the number's cell
    assert status == 422 and [e["field"] for e in body["errors"]] == ["code"], body


def test_a_hidden_contract_named_by_an_ip_asset(world, client, hidden):
    ent = world.units["ent"].credit_code
    header = ["number", "title", "kind", "owners", "contract"]
    row = ["ZL-1", "我方专利", "patent_application", f"{ent}=100%"]
    status, body = _same(client, world, "ip_assets", header, [*row, "HT-SECRET"],
                         [*row, "HT-MADE-UP"], secret="秘密合同甲")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["contract"], body


def test_a_hidden_ip_asset_number(world, client, hidden):
    ent = world.units["ent"].credit_code
    header = ["number", "title", "kind", "owners"]
    row = ["", "我方软件", "software_copyright", f"{ent}=100%"]
    status, body = _same(client, world, "ip_assets", header, ["RJ-SECRET", *row[1:]],
                         ["RJ-MADE-UP", *row[1:]], secret="秘密软件乙")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["number"], body


def test_a_hidden_licence_number(world, client, hidden):
    ent, school = world.units["ent"].credit_code, world.units["school"].credit_code
    header = ["number", "asset", "licensor", "licensee", "kind", "starts_on"]
    row = ["RJ-SECRET", ent, school, "general", "2025-01-01"]
    status, body = _same(client, world, "licences", header, [str(hidden["licence"].pk), *row],
                         ["987654", *row], secret="秘密软件乙")  # fmt: skip
    assert status == 422 and "number" in {e["field"] for e in body["errors"]}, body


def test_a_hidden_ledger_entry_and_another_consortiums_category(world, client, hidden):
    ent, gov = world.units["ent"].credit_code, world.units["gov"].credit_code
    header = ["reference", "date", "giver", "receiver", "category", "quantity"]
    row = ["2025-03-01", ent, gov, "expert_hours", "1"]
    status, body = _same(client, world, "ledger_entries", header,
                         [f"#{hidden['entry'].pk}", *row], ["#987654", *row],
                         secret="秘密往来丙")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["reference"], body
    status, body = _same(client, world, "ledger_entries", header, ["PZ-SECRET", *row],
                         ["PZ-MADE-UP", *row])  # fmt: skip
    assert status == 200 and body["created"] == 1, body  # a voucher number of its own
    row = ["PZ-NEW", "2025-03-01", ent, gov]
    status, body = _same(client, world, "ledger_entries", header, [*row, "b_only", "1"],
                         [*row, "made_up_category", "1"], secret="乙联合体的类别")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["category"], body
    assert LedgerEntry.objects.filter(source_key="PZ-SECRET").count() == 1  # dry runs


def test_another_consortiums_project(world, client, hidden):
    ent = world.units["ent"].credit_code
    header = ["code", "name", "type", "lead_credit_code"]
    row = ["改名", "joint_rd", ent]
    status, body = _same(client, world, "projects", header, [f"#{hidden['project_b'].pk}", *row],
                         ["#987654", *row], secret="乙的项目")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["code"], body


def test_another_consortiums_unit_in_units_and_memberships(world, client):
    x = world.units["x"]
    header = ["统一社会信用代码", "名称", "类型"]
    status, body = _same(client, world, "units", header, [x.credit_code, "改名", "企业"],
                         [code(950), "改名", "企业"], secret="Unit x")  # fmt: skip
    assert status in (403, 422), body
    header = ["统一社会信用代码", "级别"]
    status, body = _same(client, world, "memberships", header, [x.credit_code, "成员单位"],
                         [code(950), "成员单位"], secret="Unit x")  # fmt: skip
    assert status == 422 and [e["field"] for e in body["errors"]] == ["credit_code"], body


def test_a_visible_record_still_says_it_may_not_be_changed(world, client):
    """The other side of the rule: what the importer sees is named as it is."""
    other = world.units["other"]  # a member of the same consortium: visible, not theirs
    status, body, _r = _answer(client, world, "units",
                               [["统一社会信用代码", "名称", "类型"], [other.credit_code, "改名", "企业"]])  # fmt: skip
    assert status == 422 and body["errors"][0]["field"] == "credit_code"
