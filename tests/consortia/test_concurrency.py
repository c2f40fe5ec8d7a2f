"""Two clerks saving the same record at the same moment, on real connections (PostgreSQL).

Both read version v; both save with v. The row lock taken by the service makes one wait for the
other; the second then sees version v+1 and is refused. Nothing is overwritten.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongsheng.consortia import services
from gongsheng.consortia.models import Unit
from gongsheng.core.errors import Conflict

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections (SQLite's in-memory test database shares one cache)",
)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_save_at_once_one_wins_the_other_is_told():
    from tests.support.world import build_world

    world = build_world()
    unit = world.units["ent"]
    seen = unit.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def clerk(name: str, city: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.unit_update(
                actor=world.users["secretariat"], unit_id=unit.pk, version=seen, city=city
            )
            outcomes[name] = "saved"
        except Conflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n, c)) for n, c in (("a", "甲"), ("b", "乙"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    stored = Unit.objects.get(pk=unit.pk)
    assert stored.city == {"a": "甲", "b": "乙"}[winner]
    assert stored.version == seen + 1
