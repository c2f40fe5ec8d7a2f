"""Imports follow the membership lifecycle (issue 13, point 2) and name every problem by row,
column and reason in Chinese, the first 200 of them and a count of the rest (point 4).
Through the API, answers in Chinese (``Accept-Language: zh-hans``)."""

from __future__ import annotations

import csv
import io

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.services import token_create
from gongsheng.consortia import services
from gongsheng.consortia.models import Membership, Unit
from tests.support.world import code

pytestmark = pytest.mark.django_db
UNITS = ["统一社会信用代码", "名称", "类型", "状态"]
MEMBERSHIPS = ["统一社会信用代码", "级别", "状态", "备注"]


def _import(client, world, table: str, rows: list[list[str]], user: str = "secretariat"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = f"{table}.csv"
    token = token_create(actor=world.users[user], user=world.users[user], name="t")[1]
    return client.post(
        f"/api/transfer/{table}/import",
        {"file": upload, "consortium": world.a.pk},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def _status(world, credit_code: str) -> str:
    return Membership.objects.get(unit__credit_code=credit_code, consortium=world.a).status


@pytest.fixture
def no_admitting(monkeypatch):
    """An importer who may add memberships but not admit (the charter may ask a resolution)."""
    from gongsheng.access.policies import policy_for

    policy = policy_for(Membership)
    original = type(policy).move_q
    monkeypatch.setattr(
        type(policy), "move_q",
        lambda self, ctx, move: None if move == "admit" else original(self, ctx, move),
    )  # fmt: skip


class TestUnits:
    def test_a_new_unit_applies_unless_the_row_says_admitted(self, world, client):
        response = _import(client, world, "units", [
            UNITS, [code(60), "申请单位", "企业", ""], [code(61), "直接加入", "企业", "已加入"],
        ])  # fmt: skip
        assert response.status_code == 200, response.json()
        assert response.json()["created"] == 2
        assert (_status(world, code(60)), _status(world, code(61))) == ("applied", "admitted")

    def test_who_may_not_admit_only_applies(self, world, client, no_admitting):
        response = _import(client, world, "units", [UNITS, [code(62), "想加入", "企业", "已加入"]])
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert (error["row"], error["column"], error["field"]) == (2, "状态", "status")
        assert error["message"] == "你只能提交申请：请留空或填写“已申请”"
        assert not Unit.objects.filter(credit_code=code(62)).exists()
        response = _import(client, world, "units", [UNITS, [code(62), "想加入", "企业", ""]])
        assert response.status_code == 200 and _status(world, code(62)) == "applied"

    def test_a_unit_registered_elsewhere_applies_and_keeps_its_record(self, world, client):
        x = world.units["x"]  # consortium B's: the secretariat of A does not see it
        response = _import(client, world, "units", [UNITS, [x.credit_code, "改名", "企业", ""]])
        assert response.status_code == 200 and response.json()["created"] == 1
        assert _status(world, x.credit_code) == "applied"
        assert Unit.objects.get(pk=x.pk).name == "Unit x"

    def test_a_refused_move_names_the_state_and_the_allowed_ones(self, world, client):
        other = world.units["other"]  # admitted
        response = _import(client, world, "units", [UNITS, [other.credit_code, "Unit other",
                                                             "企业", "已申请"]])  # fmt: skip
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert (error["row"], error["field"]) == (2, "status")
        assert error["message"] == "当前为“已加入”，可变为：已退出、已除名"
        assert _status(world, other.credit_code) == "admitted"


class TestMemberships:
    def test_a_new_row_is_an_application_or_admitted_by_the_secretariat(self, world, client):
        a = services.unit_create(actor=SYSTEM, credit_code=code(63), name="甲", type="other")
        b = services.unit_create(actor=SYSTEM, credit_code=code(64), name="乙", type="other")
        response = _import(client, world, "memberships", [
            MEMBERSHIPS, [a.credit_code, "成员单位", "", ""], [b.credit_code, "理事单位", "已加入", ""],
        ])  # fmt: skip
        assert response.status_code == 200 and response.json()["created"] == 2
        assert (_status(world, a.credit_code), _status(world, b.credit_code)) == (
            "applied", "admitted",
        )  # fmt: skip

    def test_who_may_not_admit_only_applies(self, world, client, no_admitting):
        a = services.unit_create(actor=SYSTEM, credit_code=code(65), name="丙", type="other")
        response = _import(client, world, "memberships",
                           [MEMBERSHIPS, [a.credit_code, "成员单位", "已加入", ""]])  # fmt: skip
        assert response.status_code == 422
        assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "状态")]
        assert not Membership.objects.filter(unit=a).exists()

    def test_a_refused_move_names_the_state_and_the_allowed_ones(self, world, client):
        other = world.units["other"]
        response = _import(client, world, "memberships",
                           [MEMBERSHIPS, [other.credit_code, "成员单位", "已拒绝", "迟了"]])  # fmt: skip
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert (error["row"], error["column"], error["field"]) == (2, "状态", "status")
        assert error["message"] == "当前为“已加入”，可变为：已退出、已除名"

    def test_an_applicant_is_admitted_by_a_row(self, world, client):
        response = _import(client, world, "units", [UNITS, [code(66), "候选", "企业", ""]])
        assert response.status_code == 200
        response = _import(client, world, "memberships",
                           [MEMBERSHIPS, [code(66), "成员单位", "已加入", ""]])  # fmt: skip
        assert response.status_code == 200 and response.json()["updated"] == 1
        assert _status(world, code(66)) == "admitted"


def test_every_problem_is_named_by_row_column_and_reason_in_chinese(world, client):
    rows = [UNITS, [code(67), "", "宇宙飞船", ""], ["91110000100017643A", "坏代码", "企业", "瞎写"]]
    response = _import(client, world, "units", rows)
    assert response.status_code == 422
    body = response.json()
    assert "未导入任何数据" in body["detail"]
    problems = {(e["row"], e["column"], e["field"]) for e in body["errors"]}
    assert problems == {
        (2, "名称", "name"), (2, "类型", "type"), (3, "统一社会信用代码", "credit_code"),
        (3, "状态", "status"),
    }  # fmt: skip
    for error in body["errors"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error


def test_the_first_200_problems_and_a_count_of_the_rest_in_chinese(world, client):
    rows = [UNITS] + [[f"坏{i}", f"单位{i}", "宇宙飞船", ""] for i in range(130)]
    body = _import(client, world, "units", rows).json()
    assert "260" in body["detail"]
    errors = body["errors"]
    assert len(errors) == 201 and all(e["row"] for e in errors[:200])
    assert errors[-1]["field"] == "file" and errors[-1]["message"] == "……另有 60 个问题未列出。"
    assert not Unit.objects.filter(name__startswith="单位").exists()
