"""A hand-built ledger for three players (school, ent, gov) in consortium A.

History in 2025 (the study's period, so the scale is exactly 1):

=================  ==============  ============  =========================
pool               contributors    outputs       so v(S) from the ledger
=================  ==============  ============  =========================
solo:school        school          100           v({school}) = 100
solo:ent           ent             200           v({ent}) = 200
solo:gov-1, -2     gov             30 + 20       v({gov}) = 50 (two pools)
pair:se            school, ent     600           v({school, ent}) = 600
pair:mixed         school, other   999           left out (other is no player)
project:<p>        all three       1200          the total V (the study's own pool)
=================  ==============  ============  =========================

{school, gov} and {ent, gov} have no history: missing until entered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation import services as coop
from gongsheng.ledger.services import Party, entry_create

D = dt.date(2025, 3, 1)


def post(world, giver, receiver, amount, day=D):
    return entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=day, category="money",
        quantity=Decimal(amount), giver=giver, receiver=receiver,
    )  # fmt: skip


def pool_run(world, pool, contributors, output, receiver="school"):
    for key in contributors:
        post(world, Party.unit(world.units[key].pk), Party.of_pool(pool), 10)
    if output:
        post(world, Party.of_pool(pool), Party.unit(world.units[receiver].pk), output)


@pytest.fixture
def ledger_project(world):
    from tests.support.ledger_seed import ensure_default_categories

    ensure_default_categories()
    sec = world.users["secretariat"]
    u = world.units
    p = coop.project_create(
        actor=sec, consortium_id=world.a.pk, name="Wind blade college", type="industrial_college",
        lead_unit_id=u["school"].pk, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
    )  # fmt: skip
    for key in ("ent", "gov"):
        coop.participant_add(actor=sec, project_id=p.pk, unit_id=u[key].pk)
    pool_run(world, "solo:school", ["school"], 100)
    pool_run(world, "solo:ent", ["ent"], 200, receiver="ent")
    pool_run(world, "solo:gov-1", ["gov"], 30, receiver="gov")
    pool_run(world, "solo:gov-2", ["gov"], 20, receiver="gov")
    pool_run(world, "pair:se", ["school", "ent"], 600)
    pool_run(world, "pair:mixed", ["school", "other"], 999)
    # the project itself: inputs school 60, ent 30, gov 10; outputs 1200
    pool = f"project:{p.pk}"
    for key, amount in (("school", 60), ("ent", 30), ("gov", 10)):
        post(world, Party.unit(u[key].pk), Party.of_pool(pool), amount)
    post(world, Party.of_pool(pool), Party.unit(u["ent"].pk), 1200)
    p.refresh_from_db()
    return p


@pytest.fixture
def study(world, ledger_project):
    from gongsheng.distribution import services

    return services.study_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, scope="project",
        project_id=ledger_project.pk, title="Blade college shares",
        history_from=dt.date(2025, 1, 1),
    )  # fmt: skip
