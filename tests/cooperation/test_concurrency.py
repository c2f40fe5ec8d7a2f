"""Two clerks editing or moving the same project at once (PostgreSQL, real connections):
one wins, the other is told, nothing is lost or half-written."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from gongsheng.cooperation import services
from gongsheng.cooperation.models import Project, ProjectTransition
from gongsheng.core.errors import Conflict
from gongsheng.ledger.models import LedgerEntry
from tests.support.ledger_seed import ensure_default_categories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections (SQLite's in-memory test database shares one cache)",
)


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: dict[str, str] = {}

    def run(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "saved"
        except Conflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _project(world):
    ensure_default_categories()
    sec = world.users["secretariat"]
    p = services.project_create(actor=sec, consortium_id=world.a.pk, name="Race",
                                type="joint_rd", lead_unit_id=world.units["ent"].pk)  # fmt: skip
    services.input_record(
        actor=sec,
        project_id=p.pk,
        unit_id=world.units["ent"].pk,
        category="money",
        actual=Decimal(1000),
        on=dt.date(2025, 1, 1),
    )
    for step in ("proposed", "feasibility"):
        p = Project.objects.get(pk=p.pk)
        services.project_move(actor=sec, project_id=p.pk, to_status=step, version=p.version)
    return Project.objects.get(pk=p.pk)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_edit_the_same_project():
    from tests.support.world import build_world

    world = build_world()
    p = _project(world)
    sec = world.users["secretariat"]
    outcomes = _race({
        name: (lambda name=name: services.project_update(
            actor=sec, project_id=p.pk, version=p.version, name=f"Race {name}"))
        for name in ("a", "b")
    })  # fmt: skip
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    stored = Project.objects.get(pk=p.pk)
    assert stored.name == f"Race {winner}" and stored.version == p.version + 1


@pytest.mark.django_db(transaction=True)
def test_two_clerks_approve_the_same_project_the_ledger_posts_once():
    from tests.support.world import build_world

    world = build_world()
    p = _project(world)
    sec = world.users["secretariat"]
    outcomes = _race({
        name: (lambda: services.project_move(
            actor=sec, project_id=p.pk, to_status="approved", version=p.version))
        for name in ("a", "b")
    })  # fmt: skip
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    assert ProjectTransition.objects.filter(project=p, to_status="approved").count() == 1
    assert (
        LedgerEntry.objects.filter(source_type="cooperation.project", source_id=p.pk).count() == 1
    )
