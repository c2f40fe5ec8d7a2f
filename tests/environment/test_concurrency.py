"""Two clerks edit the same policy at once, on real connections (PostgreSQL): the service
locks the row before it checks the version, so one wins and the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongsheng.core.errors import Conflict
from gongsheng.environment import services
from gongsheng.environment.models import PublicPolicy
from tests.environment.support import make_policy

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections (SQLite's in-memory test database shares one cache)",
)


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: dict[int, str] = {}

    def run(i, job):
        from django.utils import translation

        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            job()
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return [outcomes.get(i, "missing") for i in range(len(jobs))]


@pytest.mark.django_db(transaction=True)
def test_secretariat_and_supervisor_edit_at_once_one_wins():
    from tests.support.world import build_world

    world = build_world()
    p = make_policy(world)
    jobs = [
        lambda u=u: services.policy_update(
            actor=world.users[u], policy_id=p.pk, version=1, title=f"by {u}"
        )
        for u in ("secretariat", "supervisor")
    ]
    assert sorted(_race(*jobs)) == ["conflict", "ok"]
    p.refresh_from_db()
    assert p.version == 2 and p.title in ("by secretariat", "by supervisor")
    assert PublicPolicy.objects.count() == 1
