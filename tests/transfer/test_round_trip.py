"""Every export re-imports unchanged (issue 13, point 6), generated from the table registry: a
new table is covered without a new test.

The demo is loaded once for the module (inside one transaction rolled back at the end) and
given awkward rows the demo lacks: formula-like and Chinese text, empty optional cells,
decimals, an entry posted without a voucher number, a corrected entry (its reversal has a
negative quantity and shares the voucher number), memberships in every state. For each table
the secretariat exports through the API in .xlsx and .csv with Chinese and English headers,
imports the file back (dry run, then for real) and exports again: no problem, nothing
created or changed, the same rows.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import transaction

from gongsheng.transfer.reading import read_table
from gongsheng.transfer.resources import get_resource, resources

# django_db also makes pytest-django set up the test database for the module's fixture; one
# xdist worker runs the module's tests together, so the demo is loaded once
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("round_trip")]

#: tables that cannot round-trip, and why (each is also marked so in its code)
CANNOT = {
    "audit": "the audit log is written only by the platform itself (importable = False)",
}
FORMATS = [("xlsx", "zh-hans"), ("xlsx", "en"), ("csv", "zh-hans"), ("csv", "en")]


def _awkward(main, units) -> None:
    """Rows the demo does not have."""
    from gongsheng.access.actors import SYSTEM
    from gongsheng.consortia import services as consortia
    from gongsheng.ledger import services as ledger
    from gongsheng.ledger.services import Party
    from tests.support.world import code

    odd = consortia.unit_create(
        actor=SYSTEM, consortium_id=main.pk, credit_code=code(901), name="=1+1 公式样名称",
        type="enterprise", description="-5 以减号开头；@提及；+86 电话",
    )  # fmt: skip
    consortia.unit_create(actor=SYSTEM, consortium_id=main.pk, credit_code=code(902),
                          name="申请中的单位", type="other", status="applied")  # fmt: skip
    left = consortia.unit_create(actor=SYSTEM, consortium_id=main.pk, credit_code=code(903),
                                 name="已退出的单位", type="research_institute")  # fmt: skip
    memberships = {m.unit_id: m for m in main.memberships.all()}
    consortia.membership_withdraw(actor=SYSTEM, membership_id=memberships[left.pk].pk,
                                  on=dt.date.today(), note="章程到期")  # fmt: skip
    refused = consortia.unit_create(actor=SYSTEM, consortium_id=main.pk, credit_code=code(904),
                                    name="未获准的单位", type="other", status="applied")  # fmt: skip
    consortia.membership_refuse(actor=SYSTEM, membership_id=refused.memberships.get().pk,
                                note="不符合条件")  # fmt: skip
    a, b = [u for u in units.values() if u.memberships.filter(status="admitted").exists()][:2]
    ledger.entry_create(actor=SYSTEM, consortium_id=main.pk, date=dt.date(2025, 3, 1),
                        category="expert_hours", quantity=Decimal("1.25"), giver=Party.unit(a.pk),
                        receiver=Party.unit(odd.pk), note="无凭证号，小数")  # fmt: skip
    wrong = ledger.entry_create(actor=SYSTEM, consortium_id=main.pk, date=dt.date(2025, 4, 1),
                                category="expert_hours", quantity=Decimal("3"),
                                giver=Party.unit(b.pk), receiver=Party.unit(a.pk),
                                reference="PZ-奇-1")  # fmt: skip
    ledger.entry_correct(actor=SYSTEM, entry_id=wrong.pk, quantity=Decimal("2.5"))
    try:  # the test-only example table (tests/declare_example), where it is installed
        from gongsheng.declare import services as declared
        from gongsheng.declare.declaration import declaration_for
        from tests.declare_example.models import Notice
    except (ImportError, LookupError):
        return
    declared.create(declaration_for(Notice), actor=SYSTEM, consortium_id=main.pk,
                    title="通知：=SUM(A1)", body="", expires_on=None)  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo and the awkward rows, once for the module, rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from gongsheng.access.models import User
            from gongsheng.consortia.models import Consortium, Unit
            from gongsheng.web import demo as whole

            whole.load()
            main = Consortium.objects.get(code="binjiang-wind", is_demo=True)
            units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
            _awkward(main, units)
            yield {"consortium": main, "secretariat": User.objects.get(username="secretariat")}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _export(client, name: str, consortium: int, fmt: str, lang: str) -> bytes:
    response = client.get(
        f"/api/transfer/{name}/export", {"consortium": consortium, "format": fmt, "lang": lang}
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def _import(client, name: str, consortium: int, fmt: str, body: bytes, *, dry_run: bool):
    upload = io.BytesIO(body)
    upload.name = f"{name}.{fmt}"
    return client.post(
        f"/api/transfer/{name}/import",
        {"file": upload, "consortium": consortium, "dry_run": dry_run},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def _rows(fmt: str, body: bytes) -> tuple[list[str], list[list[str]]]:
    table = read_table(f"t.{fmt}", body)
    return table.header, [["" if c is None else str(c) for c in cells] for _n, cells in table.rows]


@pytest.mark.parametrize("name", sorted(r.name for r in resources()))
def test_every_export_reimports_unchanged(demo, client, name):
    resource = get_resource(name)
    consortium = demo["consortium"].pk
    client.force_login(demo["secretariat"])
    if name in CANNOT:
        assert not resource.importable, CANNOT[name]
        response = _import(client, name, consortium, "csv", b"x\n1\n", dry_run=True)
        assert response.status_code == 422
        return
    assert resource.importable and resource.needs_consortium
    for fmt, lang in FORMATS:
        first = _export(client, name, consortium, fmt, lang)
        header, rows = _rows(fmt, first)
        assert rows, f"{name}: the demo and the awkward rows give this table no row to export"
        for dry_run in (True, False):
            response = _import(client, name, consortium, fmt, first, dry_run=dry_run)
            assert response.status_code == 200, (fmt, lang, response.json())
            result = response.json()
            assert (result["created"], result["updated"]) == (0, 0), (fmt, lang, result)
            assert result["unchanged"] == result["rows"] == len(rows)
        assert _rows(fmt, _export(client, name, consortium, fmt, lang)) == (header, rows)
