from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.cooperation import services


@pytest.fixture
def project(world):
    """A project led by ent, with school taking part; rules value expert hours at 300."""
    from gongsheng.ledger.models import Category
    from gongsheng.ledger.services import rule_create

    for code, value in (("expert_hours", "300"), ("problems_solved", "50000")):
        rule_create(
            actor=None,
            category_id=Category.objects.get(code=code, consortium=None).pk,
            consortium_id=world.a.pk,
            effective_from=dt.date(2020, 1, 1),
            unit_value=Decimal(value),
        )
    p = services.project_create(
        actor=world.users["secretariat"],
        consortium_id=world.a.pk,
        name="Blade inspection",
        type="joint_rd",
        lead_unit_id=world.units["ent"].pk,
        starts_on=dt.date(2025, 1, 1),
    )
    services.participant_add(
        actor=world.users["secretariat"], project_id=p.pk, unit_id=world.units["school"].pk
    )
    p.refresh_from_db()
    return p
