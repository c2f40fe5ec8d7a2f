"""The ledger core: valuation by dated rules, append-only entries, reversals, flows_sync."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Forbidden, ValidationFailed
from gongsheng.ledger.models import Category, LedgerEntry
from gongsheng.ledger.services import (
    Flow,
    Party,
    entry_create,
    entry_reverse,
    flows_sync,
    rule_create,
)


def _hours_rule(world, value="300", start=dt.date(2024, 1, 1)):
    cat = Category.objects.get(code="expert_hours", consortium=None)
    return rule_create(
        actor=world.users["secretariat"],
        category_id=cat.pk,
        consortium_id=world.a.pk,
        effective_from=start,
        unit_value=Decimal(value),
    )


class TestValuation:
    def test_money_is_valued_one_to_one(self, world):
        e = entry_create(
            actor=world.users["secretariat"],
            consortium_id=world.a.pk,
            date=dt.date(2025, 3, 1),
            category="money",
            quantity=Decimal("12000"),
            giver=Party.unit(world.units["ent"].pk),
            receiver=Party.unit(world.units["school"].pk),
        )
        assert e.value == Decimal("12000.00") and e.manual and e.year == 2025

    def test_dated_rules_and_versions(self, world):
        r1 = _hours_rule(world, "300", dt.date(2024, 1, 1))
        r2 = _hours_rule(world, "350", dt.date(2025, 1, 1))
        assert (r1.version, r2.version) == (1, 2)
        kw = dict(
            actor=world.users["secretariat"],
            consortium_id=world.a.pk,
            category="expert_hours",
            quantity=Decimal("10"),
            giver=Party.unit(world.units["ent"].pk),
            receiver=Party.unit(world.units["school"].pk),
        )
        old = entry_create(date=dt.date(2024, 6, 1), **kw)
        new = entry_create(date=dt.date(2025, 6, 1), **kw)
        assert (old.value, old.rule) == (Decimal("3000.00"), r1)
        assert (new.value, new.rule) == (Decimal("3500.00"), r2)

    def test_no_rule_is_a_clear_error_and_writes_nothing(self, world):
        before = LedgerEntry.objects.count()
        with pytest.raises(ValidationFailed, match="No valuation rule"):
            entry_create(
                actor=world.users["secretariat"],
                consortium_id=world.a.pk,
                date=dt.date(2025, 1, 1),
                category="equipment",
                quantity=Decimal("1"),
                giver=Party.unit(world.units["ent"].pk),
                receiver=Party.outside(),
            )
        assert LedgerEntry.objects.count() == before

    def test_unit_admin_posts_only_its_own_flows(self, world):
        kw = dict(
            consortium_id=world.a.pk,
            date=dt.date(2025, 1, 1),
            category="money",
            quantity=Decimal("1"),
            receiver=Party.outside(),
        )
        entry_create(actor=world.users["unit_admin"], giver=Party.unit(world.units["ent"].pk), **kw)
        with pytest.raises(Forbidden):
            entry_create(
                actor=world.users["unit_admin"], giver=Party.unit(world.units["other"].pk), **kw
            )


class TestAppendOnly:
    def test_entries_cannot_be_edited_or_deleted(self, world):
        e = entry_create(
            actor=SYSTEM,
            consortium_id=world.a.pk,
            date=dt.date(2025, 1, 1),
            category="money",
            quantity=Decimal("5"),
            giver=Party.outside(),
            receiver=Party.unit(world.units["ent"].pk),
        )
        with pytest.raises(PermissionError):
            e.save()
        with pytest.raises(PermissionError):
            LedgerEntry.objects.all().update(note="x")
        with pytest.raises(PermissionError):
            LedgerEntry.objects.all().delete()

    def test_reversal_cancels_and_cannot_repeat(self, world):
        e = entry_create(
            actor=SYSTEM,
            consortium_id=world.a.pk,
            date=dt.date(2025, 1, 1),
            category="money",
            quantity=Decimal("5"),
            giver=Party.outside(),
            receiver=Party.unit(world.units["ent"].pk),
        )
        r = entry_reverse(actor=world.users["secretariat"], entry_id=e.pk)
        assert r.value == -e.value and r.reverses == e
        from django.db.models import Sum

        assert LedgerEntry.objects.aggregate(s=Sum("value"))["s"] == 0
        with pytest.raises(ValidationFailed):
            entry_reverse(actor=world.users["secretariat"], entry_id=e.pk)


class TestFlowsSync:
    def test_post_change_and_remove(self, world):
        source = world.memberships["ent"]  # any model can be a source
        ent, school = world.units["ent"].pk, world.units["school"].pk
        flows = [
            Flow("money", dt.date(2025, 1, 1), "money", Decimal("100"), Party.unit(ent), Party.of_pool("project:1")),
            Flow("out", dt.date(2025, 6, 1), "money", Decimal("40"), Party.of_pool("project:1"), Party.unit(school)),
        ]  # fmt: skip
        with transaction.atomic():
            r1 = flows_sync(actor=SYSTEM, consortium_id=world.a.pk, source=source, flows=flows)
        assert (r1.posted, r1.reversed, r1.unchanged) == (2, 0, 0)
        with transaction.atomic():
            r2 = flows_sync(actor=SYSTEM, consortium_id=world.a.pk, source=source, flows=flows)
        assert (r2.posted, r2.reversed, r2.unchanged) == (0, 0, 2)
        changed = [flows[0].__class__(**{**flows[0].__dict__, "quantity": Decimal("120")})]
        with transaction.atomic():
            r3 = flows_sync(actor=SYSTEM, consortium_id=world.a.pk, source=source, flows=changed)
        assert (r3.posted, r3.reversed, r3.unchanged) == (1, 2, 0)
        from django.db.models import Sum

        net = LedgerEntry.objects.filter(source_id=source.pk).aggregate(s=Sum("value"))["s"]
        assert net == Decimal("120.00")
        audits = AuditEntry.objects.filter(
            event_type__in=[EventType.LEDGER_ENTRY_POSTED, EventType.LEDGER_ENTRY_REVERSED]
        )
        assert audits.count() == LedgerEntry.objects.count() == 5  # 2 + 2 reversals + 1

    def test_outside_a_transaction_is_refused(self, transactional_db):
        with pytest.raises(RuntimeError):
            flows_sync(actor=SYSTEM, consortium_id=1, source=Category(code="x"), flows=[])
